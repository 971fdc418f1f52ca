//! JSON data files: one array of objects.
//!
//! The array is first split into raw elements, whose position in the text gives
//! each record's line; then each element is parsed on its own.

use std::path::Path;

use serde_json::value::RawValue;

use super::{Sink, line_col, read_text};
use crate::problem::LineCol;

/// Loads one JSON file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let (text, digest) = read_text(path, sink)?;
    let elements: Vec<&RawValue> = match serde_json::from_str(&text) {
        Ok(elements) => elements,
        Err(err) => {
            let message = strip_position(&err.to_string());
            let message = if err.is_data() {
                "a .json data file must be an array of objects".to_string()
            } else {
                message
            };
            sink.parse_error(
                message,
                Some(LineCol {
                    line: err.line() as u32,
                    column: err.column() as u32,
                }),
            );
            return Some(digest);
        }
    };
    let base = text.as_ptr() as usize;
    for raw in elements {
        let body = raw.get();
        let start = body.as_ptr() as usize - base;
        let at = line_col(&text, start);
        let end = line_col(&text, start + body.len().saturating_sub(1));
        match serde_json::from_str(body) {
            Ok(value) => sink.record(value, at.line, at.column, end.line),
            Err(err) => sink.parse_error(strip_position(&err.to_string()), Some(at)),
        }
    }
    Some(digest)
}

/// serde_json appends " at line L column C"; the location is reported separately.
pub(super) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message.to_string(),
    }
}
