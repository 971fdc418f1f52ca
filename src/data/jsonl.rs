//! JSONL data files: one object per line, read as a stream.
//!
//! Each line is parsed on its own; a broken line is reported with its line and
//! column, and reading goes on with the next one.

use std::io::{BufRead, BufReader};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::Sink;
use super::json::strip_position;
use crate::problem::{LineCol, Problem};

/// Streams one JSONL file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_>) -> Option<[u8; 32]> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) => {
            sink.problem(Problem::unusable(
                "data::read",
                format!("cannot read data file: {err}"),
            ));
            return None;
        }
    };
    let mut reader = BufReader::new(file);
    let mut hasher = Sha256::new();
    let mut line = Vec::new();
    let mut number = 0u32;
    let mut records = 0usize;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => {
                sink.parse_error(
                    format!("cannot read line: {err}"),
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
        let body = line.trim_ascii();
        if body.is_empty() {
            continue;
        }
        records += 1;
        let indent = line.len() - line.trim_ascii_start().len();
        match serde_json::from_slice(body) {
            Ok(value) => sink.record(value, number, indent as u32 + 1, number),
            Err(err) => sink.parse_error(
                strip_position(&err.to_string()),
                Some(LineCol {
                    line: number,
                    column: indent as u32 + err.column() as u32,
                }),
            ),
        }
    }
    if records == 0 {
        sink.problem(
            Problem::unusable("data::empty", "data file is empty")
                .help("an intentionally empty collection is `[]` in a .json or .yaml file"),
        );
    }
    Some(hasher.finalize().into())
}
