//! CSV data files: a header row names the fields; values are strings unless
//! the collection declares a type for the column. An empty cell is an absent
//! field, so `required` and `has()` treat it as missing.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{MAX_RECORD_BYTES, RecordPos, Sink};
use crate::data::DataCode;
use crate::problem::{LineCol, Problem};
use crate::text::Text;
use crate::tr;

/// Streams one CSV file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let file = super::open(path, sink)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(Hashing {
            inner: file,
            hasher: Sha256::new(),
            budget: u64::MAX,
        });
    let result = rows(&mut reader, sink);
    let mut hashing = reader.into_inner();
    hashing.budget = u64::MAX;
    // Hash whatever the reader did not consume, so the digest covers the file.
    let _ = std::io::copy(&mut hashing, &mut std::io::sink());
    let _ = result;
    Some(hashing.hasher.finalize().into())
}

/// A reader that hashes what passes through it, so streaming and the file's
/// digest take one read; and refuses to give more than `budget` bytes, so
/// one row cannot grow without bound.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    budget: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.budget == 0 {
            return Err(std::io::Error::other(TOO_LONG));
        }
        let room = buf
            .len()
            .min(usize::try_from(self.budget).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..room])?;
        self.hasher.update(&buf[..n]);
        self.budget -= n as u64;
        Ok(n)
    }
}

/// The most columns a CSV file may have: Excel's 16,384. A million columns
/// took 18 s and 1.6 GB before a single record was judged.
const MAX_COLUMNS: usize = 16_384;

/// Why reading stopped at a row that is too long.
const TOO_LONG: &str = "row longer than the record limit";

/// Bytes the reader may take ahead of the row it is on (its buffer).
const READ_AHEAD: u64 = 1 << 16;

fn rows<R: Read>(reader: &mut csv::Reader<Hashing<R>>, sink: &mut Sink<'_, '_>) -> Option<()> {
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
                        tr!("invalid UTF-8 in the header row"),
                        Some(LineCol { line: 1, column: 1 }),
                    );
                    return None;
                }
            }
        }
        Ok(_) => {
            sink.problem(Problem::unusable(
                DataCode::Empty,
                tr!("data file is empty (no header row)"),
            ));
            return None;
        }
        Err(err) => {
            sink.parse_error(
                tr!("cannot read the header row: {cause}", cause = err),
                Some(LineCol { line: 1, column: 1 }),
            );
            return None;
        }
    };
    if headers.len() > MAX_COLUMNS {
        sink.parse_error(
            tr!(
                "the header row has {columns} columns; at most {max} (a spreadsheet's width) are read",
                columns = headers.len(),
                max = MAX_COLUMNS
            ),
            Some(LineCol { line: 1, column: 1 }),
        );
        return None;
    }
    sink.columns = headers.clone();
    let mut row = csv::ByteRecord::new();
    loop {
        // The line the next row starts on (the reader is between rows).
        let next_line = reader.position().line() as u32;
        reader.get_mut().budget = MAX_RECORD_BYTES as u64 + READ_AHEAD;
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) if err.is_io_error() => {
                let message = match err.kind() {
                    csv::ErrorKind::Io(io) if io.to_string() == TOO_LONG => tr!(
                        "row longer than {mib} MiB: it and the rest of the file are not read",
                        mib = MAX_RECORD_BYTES >> 20
                    ),
                    _ => tr!("cannot read: {cause}", cause = err),
                };
                let at = LineCol {
                    line: next_line,
                    column: 1,
                };
                sink.parse_error(message, Some(at));
                break;
            }
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line() as u32);
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => tr!(
                        "row has {len} fields, the header has {expected}",
                        len = len,
                        expected = expected_len
                    ),
                    _ => Text::verbatim(err.to_string()),
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
                bad = Some(tr!(
                    "invalid UTF-8 in column `{name}` (field {field})",
                    name = name,
                    field = index + 1
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
            None => sink.record(Value::Object(fields), RecordPos::row(line), None),
        }
    }
    Some(())
}
