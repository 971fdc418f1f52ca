//! JSON data files: one array of objects.
//!
//! The array is first split into raw elements, whose position in the text gives
//! each record's line; then each element is parsed on its own.

use std::path::Path;

use serde_json::value::RawValue;

use super::{RecordPos, Sink, read_text};
use crate::problem::LineCol;
use crate::text::Text;
use crate::tr;

/// Loads one JSON file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let (text, digest) = read_text(path, sink)?;
    let elements: Vec<&RawValue> = match serde_json::from_str(&text) {
        Ok(elements) => elements,
        Err(err) => {
            let message = strip_position(&err.to_string());
            let message = if err.is_data() {
                tr!("a .json data file must be an array of objects")
            } else {
                Text::verbatim(message)
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
    let mut cursor = Cursor {
        text: &text,
        offset: 0,
        line_start: 0,
        at: LineCol { line: 1, column: 1 },
    };
    for raw in elements {
        let body = raw.get();
        let start = body.as_ptr() as usize - base;
        let at = cursor.advance(start);
        let line_start = cursor.line_start;
        let end = cursor.advance(start + body.len().saturating_sub(1));
        match serde_json::from_str(body) {
            Ok(value) => {
                let pos = RecordPos {
                    file: 0,
                    line: at.line,
                    column: at.column,
                    byte: u32::try_from(start - line_start).unwrap_or(u32::MAX),
                    end_line: end.line,
                };
                sink.record(value, pos, Some(&text[line_start..]));
            }
            Err(err) => {
                sink.parse_error(Text::verbatim(strip_position(&err.to_string())), Some(at))
            }
        }
    }
    Some(digest)
}

/// Line and column of increasing byte offsets, counted on from the previous
/// one: elements come in order, so the whole file is read once, even when
/// it is all on one line.
struct Cursor<'t> {
    text: &'t str,
    offset: usize,
    /// The byte offset where the line of `offset` starts.
    line_start: usize,
    at: LineCol,
}

impl Cursor<'_> {
    /// The position of byte `to` (a char boundary at or after the last).
    fn advance(&mut self, to: usize) -> LineCol {
        let to = to.clamp(self.offset, self.text.len());
        for (i, ch) in self.text.get(self.offset..to).unwrap_or("").char_indices() {
            if ch == '\n' {
                self.at = LineCol {
                    line: self.at.line + 1,
                    column: 1,
                };
                self.line_start = self.offset + i + 1;
            } else {
                self.at.column += 1;
            }
        }
        self.offset = to;
        self.at
    }
}

/// serde_json appends " at line L column C"; the location is reported separately.
pub(super) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::line_col_of_bytes;

    /// Counting on from the previous offset gives what counting from the top
    /// gives, at every char boundary, multi-byte characters included.
    #[test]
    fn the_cursor_agrees_with_counting_from_the_top() {
        let text = "[\n  {\"a\": \"é\"}, {\"c\": \"ü\"},\n\n  {\"b\": 1}\n]";
        let mut cursor = Cursor {
            text,
            offset: 0,
            line_start: 0,
            at: LineCol { line: 1, column: 1 },
        };
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let counted = line_col_of_bytes(&text.as_bytes()[..offset]);
            assert_eq!(cursor.advance(offset), counted, "offset {offset}");
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(cursor.line_start, line_start, "offset {offset}");
        }
    }
}
