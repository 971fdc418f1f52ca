//! JSONL data files: one object per line, read as a stream.
//!
//! Each line is parsed on its own; a broken line is reported with its line and
//! column, and reading goes on with the next one. Lines are read in batches
//! and each batch is parsed on all cores, then handed to the sink in order.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::json::strip_position;
use super::{MAX_RECORD_BYTES, RecordPos, Sink};
use crate::data::DataCode;
use crate::problem::{LineCol, Problem};
use crate::tr;

/// Streams one JSONL file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let file = super::open(path, sink)?;
    let mut reader = BufReader::new(file);
    let mut hasher = Sha256::new();
    let mut batch: Vec<(u32, Vec<u8>)> = Vec::with_capacity(BATCH);
    let mut number = 0u32;
    let mut records = 0usize;
    loop {
        let mut line = Vec::new();
        let limit = MAX_RECORD_BYTES as u64 + 1;
        match (&mut reader).take(limit).read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) if line.len() > MAX_RECORD_BYTES && line.last() != Some(&b'\n') => {
                number += 1;
                hasher.update(&line);
                sink.parse_error(
                    tr!(
                        "line longer than {mib} MiB: not read",
                        mib = MAX_RECORD_BYTES >> 20
                    ),
                    Some(LineCol {
                        line: number,
                        column: 1,
                    }),
                );
                if let Err(err) = skip_line(&mut reader, &mut hasher) {
                    sink.parse_error(
                        tr!("cannot read line: {cause}", cause = err),
                        Some(LineCol {
                            line: number,
                            column: 1,
                        }),
                    );
                    break;
                }
                continue;
            }
            Ok(_) => {}
            Err(err) => {
                sink.parse_error(
                    tr!("cannot read line: {cause}", cause = err),
                    Some(LineCol {
                        line: number + 1,
                        column: 1,
                    }),
                );
                break;
            }
        }
        number += 1;
        hasher.update(&line);
        if line.trim_ascii().is_empty() {
            continue;
        }
        records += 1;
        batch.push((number, line));
        if batch.len() == BATCH {
            parse_batch(&mut batch, sink);
        }
    }
    parse_batch(&mut batch, sink);
    if records == 0 {
        sink.problem(
            Problem::unusable(DataCode::Empty, tr!("data file is empty")).help(tr!(
                "an intentionally empty collection is `[]` in a .json or .yaml file"
            )),
        );
    }
    Some(hasher.finalize().into())
}

/// Reads past the rest of a line (its `\n` included), hashing it.
fn skip_line(reader: &mut impl BufRead, hasher: &mut Sha256) -> std::io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        let (used, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        hasher.update(&buffer[..used]);
        reader.consume(used);
        if done {
            return Ok(());
        }
    }
}

/// Lines parsed together: enough to keep the cores busy, few enough that
/// the raw lines of a batch take little memory.
const BATCH: usize = 1024;

/// Parses the lines of `batch` in parallel and hands them to the sink in
/// order; empties the batch.
fn parse_batch(batch: &mut Vec<(u32, Vec<u8>)>, sink: &mut Sink<'_, '_>) {
    let parsed: Vec<Result<Value, serde_json::Error>> = batch
        .par_iter()
        .map(|(_, line)| serde_json::from_slice(line.trim_ascii()))
        .collect();
    for ((number, line), result) in batch.drain(..).zip(parsed) {
        let indent = line.len() - line.trim_ascii_start().len();
        match result {
            Ok(value) => {
                let text = std::str::from_utf8(&line).ok();
                let pos = RecordPos {
                    file: 0,
                    line: number,
                    column: indent as u32 + 1,
                    byte: indent as u32,
                    end_line: number,
                };
                sink.record(value, pos, text);
            }
            Err(err) => sink.parse_error(
                crate::text::Text::verbatim(strip_position(&err.to_string())),
                Some(LineCol {
                    line: number,
                    column: indent as u32 + err.column() as u32,
                }),
            ),
        }
    }
}
