//! CSV data files: a header row names the fields; values are strings unless
//! the collection declares a type for the column. An empty cell is an absent
//! field, so `required` and `has()` treat it as missing.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{RecordPos, Sink};
use crate::data::DataCode;
use crate::problem::{LineCol, Problem};

/// Streams one CSV file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let file = super::open(path, sink)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(Hashing {
            inner: file,
            hasher: Sha256::new(),
        });
    let result = rows(&mut reader, sink);
    let mut hashing = reader.into_inner();
    // Hash whatever the reader did not consume, so the digest covers the file.
    let _ = std::io::copy(&mut hashing, &mut std::io::sink());
    let _ = result;
    Some(hashing.hasher.finalize().into())
}

/// A reader that hashes what passes through it, so streaming and the file's
/// digest take one read.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

fn rows<R: Read>(reader: &mut csv::Reader<R>, sink: &mut Sink<'_, '_>) -> Option<()> {
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(headers) if !headers.is_empty() && headers.iter().any(|h| !h.is_empty()) => {
            match headers
                .iter()
                .map(|h| std::str::from_utf8(h).map(str::to_string))
                .collect()
            {
                Ok(names) => names,
                Err(_) => {
                    sink.parse_error(
                        "invalid UTF-8 in the header row",
                        Some(LineCol { line: 1, column: 1 }),
                    );
                    return None;
                }
            }
        }
        Ok(_) => {
            sink.problem(Problem::unusable(
                DataCode::Empty,
                "data file is empty (no header row)",
            ));
            return None;
        }
        Err(err) => {
            sink.parse_error(
                format!("cannot read the header row: {err}"),
                Some(LineCol { line: 1, column: 1 }),
            );
            return None;
        }
    };
    sink.columns = headers.clone();
    let mut row = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line() as u32);
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("row has {len} fields, the header has {expected_len}")
                    }
                    _ => err.to_string(),
                };
                sink.parse_error(message, Some(LineCol { line, column: 1 }));
                continue;
            }
        }
        let line = row.position().map_or(0, |p| p.line() as u32);
        let mut fields = Map::new();
        let mut bad = None;
        for (index, (name, cell)) in headers.iter().zip(row.iter()).enumerate() {
            let Ok(text) = std::str::from_utf8(cell) else {
                bad = Some(format!(
                    "invalid UTF-8 in column `{name}` (field {})",
                    index + 1
                ));
                break;
            };
            if text.is_empty() {
                continue;
            }
            fields.insert(name.clone(), Value::String(text.to_string()));
        }
        match bad {
            Some(message) => sink.parse_error(message, Some(LineCol { line, column: 1 })),
            None => {
                let pos = RecordPos {
                    file: 0,
                    line,
                    column: 1,
                    byte: 0,
                    end_line: line,
                };
                sink.record(Value::Object(fields), pos, None);
            }
        }
    }
    Some(())
}
