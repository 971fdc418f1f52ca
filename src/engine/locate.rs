//! Placing findings on their fields: data file texts read on demand with a
//! line index, and one pass over each streamed JSONL file afterwards.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::data::{self, DataFile, FileId, LineIndex, RecordPos};
use crate::finding::Finding;

/// Places findings on their fields in streamed JSONL files: one pass over
/// each file, a line at a time, visiting only the lines with such findings.
pub(super) fn locate_streamed(findings: &mut [Finding], files: &[DataFile]) {
    'files: for file in files.iter().filter(|f| f.format == data::Format::Jsonl) {
        let shown = file.display.to_string_lossy().replace('\\', "/");
        let mut wanted: Vec<(u32, usize)> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.field.is_some() && f.location.path == shown)
            .map(|(i, f)| (f.location.line, i))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        wanted.sort_unstable();
        let Ok(handle) = std::fs::File::open(&file.path) else {
            continue;
        };
        let mut reader = std::io::BufReader::with_capacity(1 << 20, handle);
        // The number of the line in `bytes` (0: none read yet).
        let mut number = 0u32;
        let mut bytes = Vec::new();
        for (line, index) in wanted {
            if number < line {
                if skip_lines(&mut reader, line - number - 1).is_err() {
                    continue 'files;
                }
                bytes.clear();
                match std::io::BufRead::read_until(&mut reader, b'\n', &mut bytes) {
                    Ok(n) if n > 0 => number = line,
                    _ => continue 'files,
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let text = text.trim_end_matches(['\n', '\r']);
            let finding = &mut findings[index];
            let pos = RecordPos {
                file: 0,
                line,
                column: finding.location.column,
                // JSONL records start after ASCII blanks only.
                byte: finding.location.column.saturating_sub(1),
                end_line: line,
            };
            let Some(name) = finding.field.as_deref() else {
                continue;
            };
            if let Some(at) = data::locate_field(text, file.format, &pos, name) {
                finding.location.line = at.line;
                finding.location.column = at.column;
                finding.source.field_at = Some(at);
            }
        }
    }
}

/// Reads past `n` lines without copying them.
fn skip_lines(reader: &mut impl std::io::BufRead, mut n: u32) -> std::io::Result<()> {
    while n > 0 {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let mut used = 0;
        while n > 0 {
            match memchr(b'\n', &buffer[used..]) {
                Some(at) => {
                    used += at + 1;
                    n -= 1;
                }
                None => {
                    used = buffer.len();
                    break;
                }
            }
        }
        reader.consume(used);
    }
    Ok(())
}

/// The first position of `byte` in `haystack`.
fn memchr(byte: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == byte)
}

/// Data file texts with their line index, read on demand to place findings
/// on fields.
#[derive(Default)]
pub(super) struct Sources {
    texts: HashMap<FileId, Option<Source>>,
}

impl Sources {
    pub(super) fn text(&mut self, id: FileId, path: &Path) -> Option<Source> {
        self.texts
            .entry(id)
            .or_insert_with(|| {
                let text: Arc<str> = std::fs::read_to_string(path).ok()?.into();
                let index = Arc::new(LineIndex::new(&text));
                Some((text, index))
            })
            .clone()
    }
}

/// A data file's text and where its lines start.
pub(super) type Source = (Arc<str>, Arc<LineIndex>);
