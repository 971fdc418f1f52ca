//! YAML data files: a list of records, or one record per document.
//!
//! serde-saphyr's `Spanned` gives the line and column where each record starts;
//! a record ends on the line before the next one starts.

use std::path::Path;

use serde_json::Value;
use serde_saphyr::Spanned;

use super::{RecordPos, Sink, read_text};
use crate::problem::LineCol;
use crate::text::Text;

/// Loads one YAML file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let (text, digest) = read_text(path, sink)?;
    let records = match serde_saphyr::from_str::<Vec<Spanned<Value>>>(&text) {
        Ok(records) => records,
        Err(list_err) => match serde_saphyr::from_multiple::<Spanned<Value>>(&text) {
            // Several documents, each one record.
            Ok(docs) if docs.len() > 1 || docs.iter().all(|d| d.value.is_object()) => docs,
            _ => {
                let at = list_err.location().map(LineCol::from);
                let mut message = list_err.without_snippet().to_string();
                if let Some(cut) = message.rfind(" at line ") {
                    message.truncate(cut);
                }
                sink.parse_error(Text::verbatim(message), at);
                return Some(digest);
            }
        },
    };
    let lines: Vec<&str> = text.lines().collect();
    let last_line = lines.len() as u32;
    let starts: Vec<LineCol> = records
        .iter()
        .map(|r| LineCol::from(r.referenced))
        .collect();
    let index_of_lines = super::LineIndex::new(&text);
    for (index, record) in records.into_iter().enumerate() {
        let at = starts[index];
        let from = index_of_lines.from_line(&text, at.line);
        let byte: usize = from
            .chars()
            .take(at.column.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum();
        let next = starts.get(index + 1).map_or(last_line + 1, |s| s.line);
        let pos = RecordPos {
            file: 0,
            line: at.line,
            column: at.column,
            byte: byte as u32,
            end_line: last_content_line(&lines, at.line, next.saturating_sub(1)),
        };
        sink.record(record.value, pos, Some(from));
    }
    Some(digest)
}

/// The last line in `first..=last` that is not blank, a comment or a document marker.
fn last_content_line(lines: &[&str], first: u32, last: u32) -> u32 {
    let mut end = last;
    while end > first {
        let line = lines.get(end as usize - 1).map_or("", |l| l.trim());
        if line.is_empty() || line.starts_with('#') || line == "---" || line == "..." {
            end -= 1;
        } else {
            break;
        }
    }
    end
}
