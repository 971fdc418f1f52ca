//! JSONL data files: one object per line, read as a stream.
//!
//! Each line is parsed on its own; a broken line is reported with its line and
//! column, and reading goes on with the next one. Lines are read in batches
//! and each batch is parsed on all cores, then handed to the sink in order.
//!
//! The line buffers of a batch are reused for the next one, and a record's
//! map is made with room for as many fields as the record before it had
//! ([`Record`](super::Record)s of one file mostly have the same fields), so
//! reading allocates little beyond the records themselves.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::json::strip_position;
use super::{Fields, MAX_RECORD_BYTES, RecordPos, Sink};
use crate::data::DataCode;
use crate::problem::{LineCol, Problem};
use crate::tr;

/// Streams one JSONL file into the sink; returns the file's digest if it was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let file = super::open(path, sink)?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = 0u64;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut hasher = Sha256::new();
    // The lines of a batch, `used` of them; their buffers are kept for the
    // next batch.
    let mut batch: Vec<(u32, Vec<u8>)> = Vec::with_capacity(BATCH);
    let mut used = 0;
    let mut fields = 0;
    let mut number = 0u32;
    let mut records = 0usize;
    loop {
        if used == batch.len() {
            batch.push((0, Vec::new()));
        }
        let (at, line) = &mut batch[used];
        line.clear();
        let limit = MAX_RECORD_BYTES as u64 + 1;
        match (&mut reader).take(limit).read_until(b'\n', line) {
            Ok(0) => break,
            Ok(_) if line.len() > MAX_RECORD_BYTES && line.last() != Some(&b'\n') => {
                number += 1;
                hasher.update(&line);
                // Not kept for the next line.
                *line = Vec::new();
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
        bytes += line.len() as u64;
        if line.trim_ascii().is_empty() {
            continue;
        }
        *at = number;
        records += 1;
        used += 1;
        if used == BATCH {
            if records == BATCH {
                // The file's size over the first lines' is about how many
                // records it has.
                let estimate = size / (bytes / records as u64).max(1);
                sink.expect_records(usize::try_from(estimate).unwrap_or(0));
            }
            fields = parse_batch(&batch[..used], fields, sink);
            used = 0;
        }
    }
    parse_batch(&batch[..used], fields, sink);
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
/// order, each record's map made with room for `fields` fields; returns how
/// many fields the last record had.
fn parse_batch(batch: &[(u32, Vec<u8>)], fields: usize, sink: &mut Sink<'_, '_>) -> usize {
    let parsed: Vec<Result<Parsed, serde_json::Error>> = batch
        .par_iter()
        .map(|(_, line)| parse_line(line.trim_ascii(), fields))
        .collect();
    // The text of a line is only read to place a value that does not fit
    // the collection's schema.
    let wants_text = sink.types_records();
    let mut last = fields;
    for ((number, line), result) in batch.iter().zip(parsed) {
        let number = *number;
        let indent = line.len() - line.trim_ascii_start().len();
        match result {
            Ok(parsed) => {
                let text = wants_text.then(|| std::str::from_utf8(line).ok()).flatten();
                let pos = RecordPos {
                    file: 0,
                    line: number,
                    column: indent as u32 + 1,
                    byte: indent as u32,
                    end_line: number,
                };
                match parsed {
                    Parsed::Record(fields) => {
                        last = fields.len();
                        sink.record_fields(fields, pos, text);
                    }
                    Parsed::Other(value) => sink.record(value, pos, text),
                }
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
    last
}

/// A line as read: a record's fields, or another JSON value (which the
/// sink refuses as a record).
#[derive(Debug, PartialEq)]
enum Parsed {
    /// An object: a record's fields.
    Record(Fields),
    /// Anything else.
    Other(Value),
}

/// One line: an object straight into [`Fields`] with room for `fields`
/// fields (see [`Sized`]), or the value `serde_json::from_slice` gives.
fn parse_line(line: &[u8], fields: usize) -> Result<Parsed, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(line);
    match Sized(fields).deserialize(&mut de) {
        Ok(Some(fields)) if de.end().is_ok() => Ok(Parsed::Record(fields)),
        // Not a plain object, or not JSON: read (and reported) the way
        // serde_json reads any value.
        _ => serde_json::from_slice(line).map(Parsed::Other),
    }
}

/// Reads a JSON object into [`Fields`] with room for this many, as
/// serde_json's own `Value` would read it (a repeated name keeps its first
/// place and its last value); anything else is `None`, to be read by
/// serde_json itself.
struct Sized(usize);

impl<'de> DeserializeSeed<'de> for Sized {
    type Value = Option<Fields>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<Fields>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Sized {
    type Value = Option<Fields>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Option<Fields>, A::Error> {
        let mut fields = Fields::with_capacity(self.0);
        while let Some(name) = access.next_key::<String>()? {
            // serde_json's marker for a raw value: left to serde_json.
            if fields.is_empty() && name == RAW_VALUE_TOKEN {
                return Ok(None);
            }
            let value: Value = access.next_value()?;
            fields.insert(name, value);
        }
        Ok(Some(fields))
    }

    // Any other value: `None`, and the line is read again by serde_json
    // (a record must be an object, so this is the rare case of an error).
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<Fields>, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<Fields>, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<Fields>, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<Fields>, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<Fields>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Fields>, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Option<Fields>, A::Error> {
        while access.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The name serde_json gives the one field of a raw value's map.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

#[cfg(test)]
mod tests {
    use super::*;

    /// A line read with a sized map is the value serde_json reads, for
    /// objects (empty, nested, repeated names, every kind of value), for
    /// values that are not objects, and for broken lines (the same error).
    #[test]
    fn lines_read_as_serde_json_reads_them() {
        let lines = [
            r#"{}"#,
            r#"{"id":"a","n":1,"x":1.5,"b":true,"z":null,"l":[1,{"a":2}],"o":{"p":"q"}}"#,
            r#"{"id":"a","id":"b","n":1,"id":"c"}"#,
            r#"{"é":"ü","\u00e9":"\n"}"#,
            r#"{"$serde_json::private::RawValue":"1"}"#,
            r#"{"a":1,"$serde_json::private::RawValue":2}"#,
            r#"[1,2]"#,
            r#""text""#,
            r#"12"#,
            r#"-1.5e3"#,
            r#"true"#,
            r#"null"#,
            r#"{"a":1} {"b":2}"#,
            r#"{"a":1,}"#,
            r#"{"a":"#,
            r#"{"a":1}x"#,
            r#"[1,2"#,
            r#""#,
            r#"{"big":18446744073709551615,"neg":-9223372036854775808,"f":1e308}"#,
        ];
        for line in lines {
            for fields in [0, 1, 5, 40] {
                let ours = parse_line(line.as_bytes(), fields).map(|parsed| match parsed {
                    Parsed::Record(fields) => Value::Object(fields.into_map()),
                    Parsed::Other(value) => value,
                });
                let theirs: Result<Value, _> = serde_json::from_slice(line.as_bytes());
                match (&ours, &theirs) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a, b, "{line}");
                        // Same order of names, too.
                        assert_eq!(a.to_string(), b.to_string(), "{line}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{line}"),
                    _ => panic!("{line}: {ours:?} against {theirs:?}"),
                }
            }
        }
    }
}
