//! Parquet files as collections, read with the `parquet` crate's record
//! reader: row group by row group, each row a record handed to the sink (so
//! a Parquet collection streams like JSONL, in batches).
//!
//! Logical types become what the other formats give: DATE an ISO date,
//! TIMESTAMP an ISO date-time in UTC (`2020-06-15T10:00:00Z`), DECIMAL a
//! number, integers and floats numbers, strings strings, nested groups
//! objects, lists arrays, maps objects (keys as text); a null is an absent
//! field. A record's line is its row number (1-based); there are no columns
//! to point at within a row.

use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use parquet::schema::types::Type;
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use super::{DataCode, RecordPos, Sink, plain};
use crate::problem::{LineCol, Problem};
use crate::tr;

/// Streams one Parquet file into the sink; returns the file's digest if it
/// was read.
pub(super) fn load(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let digest = digest(path, sink)?;
    let file = super::open(path, sink)?;
    let reader = match SerializedFileReader::new(file) {
        Ok(reader) => reader,
        Err(err) => {
            sink.problem(
                Problem::unusable(
                    DataCode::Parse,
                    tr!(
                        "not a readable Parquet file: {cause}",
                        cause = plain(&err.to_string())
                    ),
                )
                .help(tr!("a truncated or damaged file: write it again")),
            );
            return Some(digest);
        }
    };
    let root = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema();
    let columns: Vec<String> = root
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let key = sink.key_field().to_string();
    if !columns.contains(&key) {
        let hint = crate::problem::hint(&key, columns.iter().map(String::as_str));
        sink.problem(
            Problem::unusable(
                DataCode::MissingKey,
                tr!(
                    "the file's schema has no column `{key}`, the collection's key{hint}",
                    key = &key,
                    hint = hint
                ),
            )
            .help(tr!("its columns: {columns}", columns = columns.join(", "))),
        );
        return Some(digest);
    }
    // Only the columns the run reads are decoded (the others are named,
    // for a misspelt field's closest name).
    let (read, unread): (Vec<_>, Vec<_>) = root
        .get_fields()
        .iter()
        .cloned()
        .partition(|f| sink.column_wanted(f.name()));
    for field in &unread {
        sink.unread_column(field.name());
    }
    let projection = (!unread.is_empty()).then(|| {
        Type::group_type_builder(root.name())
            .with_fields(read)
            .build()
    });
    let projection = match projection.transpose() {
        Ok(projection) => projection,
        Err(err) => {
            sink.parse_error(
                tr!(
                    "cannot select the columns read: {cause}",
                    cause = plain(&err.to_string())
                ),
                None,
            );
            return Some(digest);
        }
    };
    let rows = match reader.get_row_iter(projection) {
        Ok(rows) => rows,
        Err(err) => {
            sink.parse_error(
                tr!(
                    "cannot read the rows: {cause}",
                    cause = plain(&err.to_string())
                ),
                None,
            );
            return Some(digest);
        }
    };
    let mut number = 0u32;
    for row in rows {
        number += 1;
        match row {
            Ok(row) => {
                sink.record(Value::Object(object(&row)), RecordPos::row(number), None);
            }
            Err(err) => {
                sink.parse_error(
                    tr!(
                        "cannot read row {row}: {cause}; the rest of the file is not read",
                        row = number,
                        cause = plain(&err.to_string())
                    ),
                    Some(LineCol {
                        line: number,
                        column: 1,
                    }),
                );
                break;
            }
        }
    }
    if number == 0 {
        sink.problem(
            Problem::unusable(DataCode::Empty, tr!("data file has no rows")).help(tr!(
                "an intentionally empty collection is `[]` in a .json or .yaml file"
            )),
        );
    }
    Some(digest)
}

/// sha256 of the file's bytes, read as a stream.
fn digest(path: &Path, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let mut file = super::open(path, sink)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match std::io::Read::read(&mut file, &mut buffer) {
            Ok(0) => return Some(hasher.finalize().into()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => {
                sink.problem(Problem::unusable(
                    DataCode::Read,
                    tr!("cannot read data file: {cause}", cause = err),
                ));
                return None;
            }
        }
    }
}

/// A row (or a group) as a JSON object, nulls left out.
fn object(row: &Row) -> Map<String, Value> {
    row.get_column_iter()
        .filter_map(|(name, field)| value(field).map(|v| (name.clone(), v)))
        .collect()
}

/// A field as a JSON value; `None` for a null.
fn value(field: &Field) -> Option<Value> {
    Some(match field {
        Field::Null => return None,
        Field::Bool(b) => Value::Bool(*b),
        Field::Byte(n) => Value::from(*n),
        Field::Short(n) => Value::from(*n),
        Field::Int(n) => Value::from(*n),
        Field::Long(n) => Value::from(*n),
        Field::UByte(n) => Value::from(*n),
        Field::UShort(n) => Value::from(*n),
        Field::UInt(n) => Value::from(*n),
        Field::ULong(n) => Value::from(*n),
        Field::Float16(n) => float(f64::from(*n)),
        Field::Float(n) => float(f64::from(*n)),
        Field::Double(n) => float(*n),
        Field::Decimal(d) => decimal(d),
        Field::Str(s) => Value::String(s.clone()),
        Field::Bytes(b) => match std::str::from_utf8(b.data()) {
            Ok(text) => Value::String(text.to_string()),
            Err(_) => Value::Array(b.data().iter().map(|&x| Value::from(x)).collect()),
        },
        Field::Date(days) => {
            let date = jiff::civil::date(1970, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(*days)))
                .ok()?;
            Value::String(date.to_string())
        }
        Field::TimestampMillis(ms) => timestamp(jiff::Timestamp::from_millisecond(*ms).ok()?),
        Field::TimestampMicros(us) => timestamp(jiff::Timestamp::from_microsecond(*us).ok()?),
        Field::TimeMillis(ms) => Value::from(*ms),
        Field::TimeMicros(us) => Value::from(*us),
        Field::Group(row) => Value::Object(object(row)),
        Field::ListInternal(list) => Value::Array(
            list.elements()
                .iter()
                .map(|f| value(f).unwrap_or(Value::Null))
                .collect(),
        ),
        Field::MapInternal(map) => Value::Object(
            map.entries()
                .iter()
                .filter_map(|(k, v)| {
                    let key = match value(k)? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    Some((key, value(v).unwrap_or(Value::Null)))
                })
                .collect(),
        ),
    })
}

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// A DECIMAL as a number: its unscaled two's-complement integer over
/// 10^scale (exact for the 38 digits an i128 holds; larger ones as text).
fn decimal(d: &parquet::data_type::Decimal) -> Value {
    let bytes = d.data();
    if bytes.is_empty() || bytes.len() > 16 {
        return Value::String(format!("{d:?}"));
    }
    let negative = bytes[0] & 0x80 != 0;
    let mut unscaled: i128 = if negative { -1 } else { 0 };
    for &b in bytes {
        unscaled = (unscaled << 8) | i128::from(b);
    }
    // An i128 holds 38 digits: a larger scale is no number JSON can hold.
    if d.scale() > 38 {
        return Value::String(format!("{d:?}"));
    }
    let scale = d.scale().max(0) as u32;
    if scale == 0 {
        return match i64::try_from(unscaled) {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(unscaled.to_string()),
        };
    }
    let text = {
        let digits = unscaled.unsigned_abs().to_string();
        let digits = format!("{digits:0>width$}", width = scale as usize + 1);
        let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
        format!("{}{whole}.{fraction}", if unscaled < 0 { "-" } else { "" })
    };
    text.parse::<f64>().map_or(Value::String(text), float)
}

fn timestamp(at: jiff::Timestamp) -> Value {
    Value::String(at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::data_type::Decimal;

    #[test]
    fn logical_types_become_what_the_other_formats_give() {
        assert_eq!(value(&Field::Date(18_263)), Some(Value::from("2020-01-02")));
        assert_eq!(value(&Field::Date(-1)), Some(Value::from("1969-12-31")));
        assert_eq!(
            value(&Field::TimestampMillis(1_592_215_200_000)),
            Some(Value::from("2020-06-15T10:00:00Z"))
        );
        assert_eq!(value(&Field::Null), None);
        assert_eq!(
            decimal(&Decimal::from_i64(-12_345, 9, 2)),
            Value::from(-123.45)
        );
        assert_eq!(decimal(&Decimal::from_i32(7, 5, 0)), Value::from(7));
        assert_eq!(decimal(&Decimal::from_i32(5, 5, 3)), Value::from(0.005));
    }
}
