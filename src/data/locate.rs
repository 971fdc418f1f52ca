//! Where a field is written inside a record, so that a finding or a type
//! fault points at the field instead of the record's first line; and the
//! line index that finds a record's lines without scanning from the top.
//!
//! JSON and JSONL records are scanned as JSON from the record's first byte:
//! a dotted path is followed key by key, only keys of the record's own
//! objects count (not a value that happens to read `"name"`, nor a key of the
//! next record on the same line), and the scan ends where the record ends.
//! YAML records are searched line by line for `name:`.

use super::{Format, RecordPos};
use crate::problem::LineCol;

/// Finds where `field` (a name or dotted path) is written inside a record.
/// `text` starts at the record's first line (see [`LineIndex`]).
pub fn locate_field(text: &str, format: Format, pos: &RecordPos, field: &str) -> Option<LineCol> {
    match format {
        Format::Csv | Format::Sheet | Format::Parquet | Format::Postgres => None,
        Format::Yaml => locate_yaml(text, pos, field),
        Format::Json | Format::Jsonl => {
            let from = (pos.byte as usize).min(text.len());
            let found = json_key(text.as_bytes(), from, field)?;
            Some(line_col_from(text, from, found, pos))
        }
    }
}

/// The line and column of byte `found`, counted on from the record's start
/// at byte `from` (line `pos.line`, column `pos.column`): the cost is the
/// record's length, not the line's.
fn line_col_from(text: &str, from: usize, found: usize, pos: &RecordPos) -> LineCol {
    let between = text.get(from..found).unwrap_or("");
    match between.rfind('\n') {
        None => LineCol {
            line: pos.line,
            column: pos.column + between.chars().count() as u32,
        },
        Some(last) => LineCol {
            line: pos.line + between.matches('\n').count() as u32,
            column: between[last + 1..].chars().count() as u32 + 1,
        },
    }
}

/// The byte offset of the key of `path` in the JSON object that starts at
/// byte `from` (after blanks), following the path's dots into nested objects.
fn json_key(bytes: &[u8], from: usize, path: &str) -> Option<usize> {
    let mut segments = path.split('.');
    let mut want = segments.next()?;
    let mut i = skip_blanks(bytes, from);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    // Depth of nesting below the record (1: inside the record's object), and
    // the depth of the object whose keys are being searched.
    let mut depth = 0usize;
    let mut target = 1usize;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                let end = string_end(bytes, i)?;
                let after = skip_blanks(bytes, end + 1);
                if depth == target
                    && bytes.get(after) == Some(&b':')
                    && key_is(&bytes[i..=end], want)
                {
                    let Some(next) = segments.next() else {
                        return Some(i);
                    };
                    want = next;
                    target += 1;
                    let value = skip_blanks(bytes, after + 1);
                    if bytes.get(value) != Some(&b'{') {
                        return None;
                    }
                    i = value;
                    continue;
                }
                i = end + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth < target {
                    return None;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The index of the quote that closes the string opening at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Whether a quoted JSON string (quotes included) reads `want`.
fn key_is(quoted: &[u8], want: &str) -> bool {
    let raw = &quoted[1..quoted.len() - 1];
    if !raw.contains(&b'\\') {
        return raw == want.as_bytes();
    }
    serde_json::from_slice::<String>(quoted).is_ok_and(|key| key == want)
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// YAML: the first line of the record with `leaf:` as a key.
fn locate_yaml(text: &str, pos: &RecordPos, field: &str) -> Option<LineCol> {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    let first = pos.line.saturating_sub(1) as usize;
    let lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (first + index, line))
        .take((pos.end_line - pos.line + 1) as usize);
    for (index, line) in lines {
        let start = if index + 1 == pos.line as usize {
            pos.column as usize - 1
        } else {
            0
        };
        let rest = line.get(start..).unwrap_or("");
        let body = rest.trim_start_matches([' ', '-', '{', ',']);
        for candidate in [
            format!("{leaf}:"),
            format!("\"{leaf}\":"),
            format!("'{leaf}':"),
        ] {
            if let Some(found) = find_key(body, &candidate) {
                let byte = start + (rest.len() - body.len()) + found;
                return Some(LineCol {
                    line: index as u32 + 1,
                    column: line[..byte].chars().count() as u32 + 1,
                });
            }
        }
    }
    None
}

/// Finds `key` at the start of `body` or after a flow separator.
fn find_key(body: &str, key: &str) -> Option<usize> {
    if body.starts_with(key) {
        return Some(0);
    }
    [", ", "{ ", ",", "{"]
        .iter()
        .filter_map(|sep| body.find(&format!("{sep}{key}")).map(|i| i + sep.len()))
        .min()
}

/// Where each line of a text starts, to find a record's lines without
/// scanning the text from the top for every finding.
#[derive(Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// `text` from the start of line `line` (1-based) on; empty past the end.
    pub fn from_line<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let start = self
            .starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(text.len());
        text.get(start..).unwrap_or("")
    }

    /// The byte offset where line `line` (1-based) starts, if the text has it.
    pub fn start(&self, line: u32) -> Option<usize> {
        self.starts.get(line.checked_sub(1)? as usize).copied()
    }

    /// The line (1-based) that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&start| start <= offset) as u32
    }

    /// The number of lines (a last line without `\n` counts).
    pub fn lines(&self) -> u32 {
        self.starts.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32, byte: u32) -> RecordPos {
        RecordPos {
            file: 0,
            line,
            column,
            byte,
            end_line: line,
        }
    }

    #[test]
    fn line_index_finds_line_starts() {
        let text = "[\n  {\"a\": \"é\"},\n\n  {\"b\": 1}\n]";
        let index = LineIndex::new(text);
        assert_eq!(index.from_line(text, 1), text);
        assert_eq!(index.from_line(text, 4), "  {\"b\": 1}\n]");
        assert_eq!(index.from_line(text, 9), "");
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(1), 1);
        assert_eq!(index.line_of(2), 2);
        assert_eq!(index.line_of(text.len()), 5);
        assert_eq!(index.start(4), Some(text.find("  {\"b\"").unwrap()));
        assert_eq!(index.start(0), None);
        assert_eq!(index.lines(), 5);
    }

    /// On a one-line array, each record's field is found inside that record:
    /// not in an earlier record, not in a later one when it is missing, not
    /// in a value that reads like the name, not in a nested object.
    #[test]
    fn a_json_field_is_found_inside_its_own_record() {
        let text =
            r#"[{"id":"a","naam":"x"},{"id":"b","x":"naam","sub":{"naam":1}},{"id":"c","naam":2}]"#;
        let second = text.find(r#"{"id":"b""#).unwrap();
        let pos = at(1, second as u32 + 1, second as u32);
        assert_eq!(locate_field(text, Format::Json, &pos, "naam"), None);
        let nested = text.find(r#""naam":1"#).unwrap() as u32 + 1;
        assert_eq!(
            locate_field(text, Format::Json, &pos, "sub.naam"),
            Some(LineCol {
                line: 1,
                column: nested
            })
        );
        let third = text.find(r#"{"id":"c""#).unwrap();
        let pos = at(1, third as u32 + 1, third as u32);
        let own = text.rfind(r#""naam":2"#).unwrap() as u32 + 1;
        assert_eq!(
            locate_field(text, Format::Json, &pos, "naam"),
            Some(LineCol {
                line: 1,
                column: own
            })
        );
    }

    /// Columns count characters from the record's start; lines go on across
    /// a pretty-printed record; escaped keys and strings with quotes and
    /// braces inside do not confuse the scan.
    #[test]
    fn json_positions_count_characters_and_lines() {
        let text = "  {\"é\": \"}\\\"{\",\n   \"dat\\u0075m\": 1}";
        let pos = RecordPos {
            end_line: 2,
            ..at(1, 3, 2)
        };
        assert_eq!(
            locate_field(text, Format::Json, &pos, "é"),
            Some(LineCol { line: 1, column: 4 })
        );
        assert_eq!(
            locate_field(text, Format::Json, &pos, "datum"),
            Some(LineCol { line: 2, column: 4 })
        );
    }
}
