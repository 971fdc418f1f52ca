//! One finding of the JSON report, written straight from the [`Finding`]:
//! the bytes serde_json's pretty printer writes for it at its depth in the
//! report (a unit test holds the two to the same bytes), without going
//! through serde's generic machinery for the fields every finding has.
//!
//! A report of 10⁵ findings spends most of its time here, so the fixed
//! parts (keys, indentation, punctuation) are written as whole pieces; only
//! strings that may need escaping are looked at byte by byte. The details,
//! a waiver and other rare or nested values go through serde_json and are
//! indented to their depth.

use serde::Serialize;

use crate::finding::{Basis, Details, Finding, Shown};

/// Appends `,` and one finding as the JSON report writes it inside its
/// `findings` array: a newline, four spaces, the object.
pub(super) fn write(out: &mut String, finding: &Finding) {
    out.push_str(",\n    {\n      \"rule\": ");
    string(out, &finding.rule);
    out.push_str(",\n      \"severity\": \"");
    out.push_str(finding.severity.as_str());
    out.push_str("\",\n      \"message\": ");
    string(out, &finding.message);
    out.push_str(",\n      \"collection\": ");
    string(out, &finding.collection);
    out.push_str(",\n      \"record\": ");
    string(out, &finding.record);
    let location = &finding.location;
    out.push_str(",\n      \"location\": {\n        \"path\": ");
    string(out, &location.path);
    if let Some((line, column)) = location.line_column() {
        out.push_str(",\n        \"line\": ");
        number(out, line);
        out.push_str(",\n        \"column\": ");
        number(out, column);
    }
    if let Some(sheet) = &location.sheet {
        out.push_str(",\n        \"sheet\": ");
        string(out, sheet);
    }
    if let Some(cell) = &location.cell {
        out.push_str(",\n        \"cell\": ");
        string(out, cell);
    }
    out.push_str("\n      },\n      \"field\": ");
    match &finding.field {
        Some(field) => string(out, field),
        None => out.push_str("null"),
    }
    out.push_str(",\n      \"basis\": ");
    basis(out, &finding.basis);
    out.push_str(",\n      \"fingerprint\": ");
    string(out, &finding.fingerprint);
    out.push_str(",\n      \"details\": ");
    details(out, &finding.details);
    if let Some(waived) = &finding.waived {
        out.push_str(",\n      \"waived\": ");
        nested(out, waived, DEPTH);
    }
    if let Some(changed) = &finding.changed {
        out.push_str(",\n      \"changed\": ");
        nested(out, changed, DEPTH);
    }
    if let Some(group) = &finding.group {
        out.push_str(",\n      \"group\": ");
        string(out, group);
    }
    out.push_str("\n    }");
}

/// The indentation of a finding's fields: the report's `findings` (2
/// spaces), its elements (4), their fields (6).
const DEPTH: &str = "      ";

/// A finding's details: the common kinds written directly, the others by
/// serde_json.
fn details(out: &mut String, details: &Details) {
    match details {
        Details::Map(map) if map.is_empty() => out.push_str("{}"),
        Details::Comparison(c) => {
            out.push_str("{\n        \"left\": ");
            string(out, &c.sides.left);
            if let Some(value) = &c.left_value {
                out.push_str(",\n        \"left_value\": ");
                shown(out, value);
            }
            out.push_str(",\n        \"operator\": ");
            string(out, c.sides.operator);
            out.push_str(",\n        \"right\": ");
            string(out, &c.sides.right);
            if let Some(value) = &c.right_value {
                out.push_str(",\n        \"right_value\": ");
                shown(out, value);
            }
            out.push_str("\n      }");
        }
        _ => nested(out, details, DEPTH),
    }
}

/// A value a finding shows, as serde_json writes it.
fn shown(out: &mut String, value: &Shown) {
    match value {
        Shown::Null => out.push_str("null"),
        Shown::Bool(true) => out.push_str("true"),
        Shown::Bool(false) => out.push_str("false"),
        // serde_json writes numbers with itoa and ryu, as `Display` does.
        Shown::Number(n) => {
            use std::fmt::Write;
            let _ = write!(out, "{n}");
        }
        Shown::Date(text) => string(out, text),
    }
}

/// The `basis` list, whose objects are at the depth of a finding's fields.
fn basis(out: &mut String, basis: &[Basis]) {
    if basis.is_empty() {
        out.push_str("[]");
        return;
    }
    for (n, entry) in basis.iter().enumerate() {
        out.push_str(if n == 0 { "[\n" } else { ",\n" });
        out.push_str("        {\n          \"citation\": ");
        string(out, &entry.citation);
        if let Some(url) = &entry.url {
            out.push_str(",\n          \"url\": ");
            string(out, url);
        }
        out.push_str("\n        }");
    }
    out.push_str("\n      ]");
}

/// Any value, as serde_json pretty-prints it, each line after the first
/// indented by `indent` (a JSON string holds no raw newline, so every
/// newline is between tokens).
pub(super) fn nested<T: Serialize + ?Sized>(out: &mut String, value: &T, indent: &str) {
    let text = match serde_json::to_string_pretty(value) {
        Ok(text) => text,
        Err(e) => {
            out.push_str("{\"error\": ");
            string(out, &e.to_string());
            out.push('}');
            return;
        }
    };
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push('\n');
        out.push_str(indent);
        out.push_str(line);
    }
}

/// A JSON string: quoted, escaped as serde_json escapes (`"`, `\`, and the
/// control characters below U+0020, the common ones by letter, the others
/// as `\u00XX` in lower-case hex); everything else as it is.
pub(super) fn string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    // Most text needs no escape: checked 16 bytes at a time, without a
    // branch per byte, and copied whole.
    if !bytes.chunks(16).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    }) {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0a => "\\n",
            0x0c => "\\f",
            0x0d => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Everything before an ASCII byte ends on a character boundary.
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// A number in decimal.
fn number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// Every control character, the characters JSON escapes, and text
    /// beyond ASCII come out as serde_json writes them.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        texts.extend(
            [
                "",
                "gewoon",
                "a\"b\\c",
                "regel\nregel\r\n\ttab",
                "é ü ☞ 𝄞 and \u{7f} \u{80} \u{2028}",
                "\u{1}x\u{1f}y\u{0}",
                "ends with \\",
                "0123456789abcde\"",
                "0123456789abcdef\"",
                "0123456789abcdef0123456789abcdef\u{1f}",
                "0123456789abcdef0123456789abcdef0123456789abcdef",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut out = String::new();
            string(&mut out, &text);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    /// Every kind of shown value, numbers of every representation, is
    /// written as serde_json writes the JSON value it came from.
    #[test]
    fn shown_values_are_written_as_serde_json_writes_them() {
        let values = serde_json::json!([
            null,
            true,
            false,
            0,
            7,
            -7,
            u64::MAX,
            i64::MIN,
            1.5,
            -0.0,
            100.0,
            1e300,
            1e-7,
            2.5e-300,
            0.1,
            "2020-01-01",
            "a\"b"
        ]);
        let Value::Array(values) = values else {
            unreachable!()
        };
        for value in values {
            let mut out = String::new();
            shown(&mut out, &Shown::of(value.clone()).unwrap());
            assert_eq!(out, serde_json::to_string(&value).unwrap(), "{value:?}");
        }
        assert_eq!(Shown::of(serde_json::json!([1])), None);
        assert_eq!(Shown::of(serde_json::json!({})), None);
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u32::MAX] {
            let mut out = String::new();
            number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn nested_values_are_indented_after_their_first_line() {
        let value = serde_json::json!({"a": [1, {"b": "c\nd"}], "e": {}});
        let mut out = String::new();
        nested(&mut out, &value, "  ");
        let expected = serde_json::to_string_pretty(&value)
            .unwrap()
            .replace('\n', "\n  ");
        assert_eq!(out, expected);
    }
}
