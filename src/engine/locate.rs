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
        let (used, skipped) = past_newlines(buffer, n);
        n -= skipped;
        reader.consume(used);
    }
    Ok(())
}

/// How far into `buffer` the `n`th newline ends (the whole buffer when it
/// has fewer), and how many newlines that passes. Blocks of 64 bytes with
/// fewer newlines than are still to pass are counted, not searched: a
/// count without a branch per byte, which the compiler makes wide.
fn past_newlines(buffer: &[u8], n: u32) -> (usize, u32) {
    let mut left = n as usize;
    let mut used = 0;
    for block in buffer.chunks(64) {
        let count = block.iter().filter(|&&b| b == b'\n').count();
        if count < left {
            left -= count;
            used += block.len();
            continue;
        }
        for (at, &b) in block.iter().enumerate() {
            if b == b'\n' {
                left -= 1;
                if left == 0 {
                    return (used + at + 1, n);
                }
            }
        }
    }
    (used, n - left as u32)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Skipping lines through buffers of every size ends where reading
    /// them one by one ends: newlines at block edges, runs of empty lines,
    /// long lines, and more lines asked for than there are.
    #[test]
    fn skipping_lines_ends_after_the_nth_newline() {
        let mut text = Vec::new();
        for i in 0..400usize {
            let len = [0, 1, 62, 63, 64, 65, 127, 128, 200][i % 9];
            text.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, len));
            text.push(b'\n');
        }
        text.extend_from_slice(b"last line without newline");
        let starts: Vec<usize> = std::iter::once(0)
            .chain(
                text.iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        for capacity in [1, 7, 64, 100, 4096] {
            for n in [0u32, 1, 2, 63, 64, 65, 200, 399, 400] {
                let mut reader = std::io::BufReader::with_capacity(capacity, text.as_slice());
                skip_lines(&mut reader, n).unwrap();
                let mut rest = Vec::new();
                std::io::Read::read_to_end(&mut reader, &mut rest).unwrap();
                assert_eq!(
                    rest.as_slice(),
                    &text[starts[n as usize]..],
                    "{n} lines through {capacity}-byte buffers"
                );
            }
            let mut reader = std::io::BufReader::with_capacity(capacity, text.as_slice());
            assert!(skip_lines(&mut reader, 402).is_err());
        }
    }
}
