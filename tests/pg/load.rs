//! The loader of the PostgreSQL test server ([`super::Server`]): a JSONL file
//! into a table that reads back as the same records, and the steekproef
//! loaded so.
//!
//! [`load_jsonl`] chooses a column type per field from all the file's values
//! ([`ColumnType`]) and copies the records in with `COPY … FROM STDIN`, in
//! file order, a missing field or `null` as NULL. The table is created and
//! filled in one transaction, so the rows are also *stored* in file order
//! (see [`load_jsonl`]). `SELECT to_jsonb(t) FROM
//! table t` without its null-valued keys gives back each line's record
//! ([`read_back`]); the tests below prove it for the steekproef and for a
//! file of awkward values, and check the types are real ones (a loader that
//! made every column `jsonb` would round-trip too).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::Path;

use serde_json::{Map, Value};

use super::{Server, ident, why};
use crate::support::root;

/// A table name, `table` or `schema.table`, quoted; the schema if any.
fn table_name(table: &str) -> (String, Option<String>) {
    match table.split_once('.') {
        Some((schema, name)) => {
            assert!(!name.contains('.'), "a table is `table` or `schema.table`");
            (
                format!("{}.{}", ident(schema), ident(name)),
                Some(ident(schema)),
            )
        }
        None => (ident(table), None),
    }
}

/// The type of a loaded column, chosen from every non-null value the field
/// has in the file, so that `to_jsonb` gives each value back as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Every value a string that is a valid date `YYYY-MM-DD` (years 1 to
    /// 9999), which PostgreSQL writes back the same way.
    Date,
    /// Every value a JSON integer that fits in 64 bits.
    Bigint,
    /// Every value a number, not all of them 64-bit integers: `numeric`
    /// keeps the decimal text (`1.50` reads back as `1.50`), which `double
    /// precision` would not.
    Numeric,
    /// Every value `true` or `false`.
    Boolean,
    /// Objects or arrays, or values of more than one JSON type (a date field
    /// with a number in it): the JSON value itself.
    Jsonb,
    /// Strings not all dates (a date field with a deliberately bad value in
    /// it stays loadable), or no value at all.
    Text,
}

impl ColumnType {
    /// The SQL type.
    pub fn sql(self) -> &'static str {
        match self {
            ColumnType::Date => "date",
            ColumnType::Bigint => "bigint",
            ColumnType::Numeric => "numeric",
            ColumnType::Boolean => "boolean",
            ColumnType::Jsonb => "jsonb",
            ColumnType::Text => "text",
        }
    }
}

/// A loaded column: the field's name and the type chosen for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
}

/// The kinds of value a field has shown, as bits.
#[derive(Clone, Copy, Default)]
struct Seen(u8);

impl Seen {
    const DATE: u8 = 1;
    const STRING: u8 = 2;
    const INTEGER: u8 = 4;
    const NUMBER: u8 = 8;
    const BOOLEAN: u8 = 16;
    const COMPOUND: u8 = 32;

    fn add(&mut self, value: &Value) {
        self.0 |= match value {
            Value::Null => 0,
            Value::String(s) if is_date(s) => Self::DATE,
            Value::String(_) => Self::STRING,
            Value::Number(n) if n.is_i64() => Self::INTEGER,
            Value::Number(_) => Self::NUMBER,
            Value::Bool(_) => Self::BOOLEAN,
            Value::Array(_) | Value::Object(_) => Self::COMPOUND,
        };
    }

    fn column_type(self) -> ColumnType {
        let only = |kinds: u8| self.0 & !kinds == 0;
        match self.0 {
            0 => ColumnType::Text,
            Self::DATE => ColumnType::Date,
            Self::INTEGER => ColumnType::Bigint,
            Self::BOOLEAN => ColumnType::Boolean,
            _ if only(Self::DATE | Self::STRING) => ColumnType::Text,
            _ if only(Self::INTEGER | Self::NUMBER) => ColumnType::Numeric,
            _ => ColumnType::Jsonb,
        }
    }
}

/// Whether a string is a date `YYYY-MM-DD` that PostgreSQL accepts and
/// writes back unchanged: four-digit year from 1, a month, a day of it.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return false;
    }
    if !digits(8..10) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| s[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}

/// The records of a JSONL file (blank lines skipped), each as parsed.
fn jsonl_lines(path: &Path) -> impl Iterator<Item = Map<String, Value>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let path = path.to_path_buf();
    BufReader::new(file)
        .lines()
        .enumerate()
        .filter_map(move |(i, line)| {
            let line = line.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if line.trim().is_empty() {
                return None;
            }
            match serde_json::from_str(&line) {
                Ok(Value::Object(record)) => Some(record),
                Ok(_) => panic!("{}:{}: not a JSON object", path.display(), i + 1),
                Err(e) => panic!("{}:{}: {e}", path.display(), i + 1),
            }
        })
}

/// Creates `table` (`name` or `schema.name`; the schema is created when
/// missing) with a column per field of the JSONL file at `path`, in order of
/// first appearance, typed by [`ColumnType`], and copies the file's records
/// in, in file order: a field that is missing or `null` is NULL. No key or
/// constraint, so a test can load a key with NULLs or duplicates. The file
/// is read twice (types, then rows), never held whole, so a large file
/// loads in bounded memory. Returns the columns.
pub fn load_jsonl(client: &mut postgres::Client, table: &str, path: &Path) -> Vec<Column> {
    let mut fields: Vec<(String, Seen)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for record in jsonl_lines(path) {
        for (name, value) in &record {
            let at = *index.entry(name.clone()).or_insert_with(|| {
                fields.push((name.clone(), Seen::default()));
                fields.len() - 1
            });
            fields[at].1.add(value);
        }
    }
    let columns: Vec<Column> = fields
        .into_iter()
        .map(|(name, seen)| {
            // PostgreSQL would cut a longer name short, and the field would
            // not read back under its own name.
            assert!(
                !name.is_empty() && name.len() <= 63,
                "field `{name}` cannot be a PostgreSQL column name (1 to 63 bytes)"
            );
            Column {
                name,
                ty: seen.column_type(),
            }
        })
        .collect();
    assert!(!columns.is_empty(), "{}: no fields", path.display());

    // One transaction: PostgreSQL copies into a table created in the same
    // transaction without consulting its free-space map, so the rows are
    // stored strictly in file order (otherwise a short row may fill a gap
    // an earlier page left) and `ORDER BY ctid` reads them back so.
    let mut tx = client.transaction().unwrap();
    let (quoted, schema) = table_name(table);
    let mut sql = String::new();
    if let Some(schema) = schema {
        writeln!(sql, "CREATE SCHEMA IF NOT EXISTS {schema};").unwrap();
    }
    let definitions: Vec<String> = columns
        .iter()
        .map(|c| format!("{} {}", ident(&c.name), c.ty.sql()))
        .collect();
    writeln!(sql, "CREATE TABLE {quoted} ({});", definitions.join(", ")).unwrap();
    tx.batch_execute(&sql)
        .unwrap_or_else(|e| panic!("creating {table}: {}", why(&e)));

    let names: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
    let copy = format!("COPY {quoted} ({}) FROM STDIN", names.join(", "));
    let mut writer = tx
        .copy_in(copy.as_str())
        .unwrap_or_else(|e| panic!("{copy}: {}", why(&e)));
    let mut row = String::new();
    for record in jsonl_lines(path) {
        row.clear();
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                row.push('\t');
            }
            match record.get(&column.name) {
                None | Some(Value::Null) => row.push_str("\\N"),
                Some(value) => copy_field(&mut row, column.ty, value),
            }
        }
        row.push('\n');
        writer.write_all(row.as_bytes()).unwrap();
    }
    writer
        .finish()
        .unwrap_or_else(|e| panic!("loading {} into {table}: {}", path.display(), why(&e)));
    tx.commit().unwrap();
    columns
}

/// Writes one value in `COPY`'s text format: the value's text for its
/// column type, with backslash, tab, newline and carriage return escaped.
fn copy_field(row: &mut String, ty: ColumnType, value: &Value) {
    let text = match (ty, value) {
        (ColumnType::Jsonb, value) => value.to_string(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Bool(b)) => if *b { "t" } else { "f" }.to_string(),
        // serde_json writes a non-integer with a decimal point or an
        // exponent, so `numeric` keeps it a non-integer.
        (_, Value::Number(n)) => n.to_string(),
        (ty, value) => unreachable!("a {value} in a {ty:?} column"),
    };
    for c in text.chars() {
        match c {
            '\\' => row.push_str("\\\\"),
            '\t' => row.push_str("\\t"),
            '\n' => row.push_str("\\n"),
            '\r' => row.push_str("\\r"),
            c => row.push(c),
        }
    }
}

/// The rows of `table` as `to_jsonb` makes them, without their null-valued
/// fields, in the order they are stored (loaded) — what a loaded JSONL file
/// reads back as.
pub fn read_back(client: &mut postgres::Client, table: &str) -> Vec<Value> {
    let (quoted, _) = table_name(table);
    let sql = format!("SELECT to_jsonb(t)::text FROM {quoted} AS t ORDER BY t.ctid");
    client
        .query(sql.as_str(), &[])
        .unwrap_or_else(|e| panic!("{sql}: {}", why(&e)))
        .iter()
        .map(|row| {
            let text: String = row.get(0);
            without_nulls(serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// A record without its top-level null-valued fields.
fn without_nulls(record: Value) -> Value {
    match record {
        Value::Object(fields) => {
            Value::Object(fields.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => other,
    }
}

/// The steekproef's collections read from files that load into PostgreSQL:
/// (table, JSONL file under `fixtures/ghnt/steekproef/`, key).
pub const STEEKPROEF: [(&str, &str, &str); 2] = [
    ("vt.meldingen", "meldingen.jsonl", "id"),
    ("vt.dossiers", "dossiers.jsonl", "id"),
];

/// Loads the steekproef's meldingen and dossiers into `vt.meldingen` and
/// `vt.dossiers` (see [`STEEKPROEF`]).
pub fn load_steekproef(client: &mut postgres::Client) {
    let sample = root().join("fixtures/ghnt/steekproef");
    for (table, file, _) in STEEKPROEF {
        load_jsonl(client, table, &sample.join(file));
    }
}

/// Asserts that every record of the JSONL file reads back from `table`,
/// value for value and in the file's order.
fn assert_round_trip(client: &mut postgres::Client, table: &str, path: &Path) {
    let expected: Vec<Value> = jsonl_lines(path)
        .map(|record| without_nulls(Value::Object(record)))
        .collect();
    let read = read_back(client, table);
    assert_eq!(read.len(), expected.len(), "{table}: rows");
    for (line, (read, expected)) in read.iter().zip(&expected).enumerate() {
        assert_eq!(
            read,
            expected,
            "{table}, line {} of {}",
            line + 1,
            path.display()
        );
    }
}

/// The SQL types of a table's columns, in order, as the server has them.
fn server_types(client: &mut postgres::Client, schema: &str, table: &str) -> Vec<(String, String)> {
    client
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = $1::text AND table_name = $2::text ORDER BY ordinal_position",
            &[&schema, &table],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// The steekproef loads into schema `vt` and reads back as its JSONL files,
/// with real types: dates as `date`, flags as `boolean`, the dossiers' steps
/// and weighing as `jsonb`, names as `text`.
#[test]
fn the_steekproef_loads_and_reads_back_as_its_jsonl() {
    let db = Server::shared().database();
    let mut client = db.client();
    load_steekproef(&mut client);
    let sample = root().join("fixtures/ghnt/steekproef");
    for (table, file, key) in STEEKPROEF {
        assert_round_trip(&mut client, table, &sample.join(file));
        let count: i64 = client
            .query_one(
                format!(
                    "SELECT count(DISTINCT {}) FROM {}",
                    ident(key),
                    table_name(table).0
                )
                .as_str(),
                &[],
            )
            .unwrap()
            .get(0);
        assert!(count > 200, "{table}: {count} keys");
    }
    let types = |table| server_types(&mut db.client(), "vt", table);
    let meldingen = types("meldingen");
    for (column, ty) in [
        ("id", "text"),
        ("ontvangen_op", "date"),
        ("onderzoek_nodig", "boolean"),
        ("vastgesteld_op", "date"),
    ] {
        assert!(
            meldingen.contains(&(column.to_string(), ty.to_string())),
            "{column} {ty}: {meldingen:?}"
        );
    }
    assert_eq!(
        meldingen[..2],
        [
            ("id".into(), "text".into()),
            ("regio".into(), "text".into())
        ]
    );
    let dossiers = types("dossiers");
    for (column, ty) in [
        ("stappen", "jsonb"),
        ("afweging", "jsonb"),
        ("signaal_op", "date"),
    ] {
        assert!(
            dossiers.contains(&(column.to_string(), ty.to_string())),
            "{column} {ty}: {dossiers:?}"
        );
    }
}

/// Awkward values load and read back as they were: COPY's special
/// characters, a literal `\N`, a bad date among good ones, a field of mixed
/// types, big and decimal numbers, nested values, a field only ever null, a
/// name with a quote; and each column gets the type the rules give it.
#[test]
fn awkward_values_read_back_as_they_were() {
    let lines = [
        r#"{"id":"a","tekst":"tab\there, new\nline, cr\r, back\\slash, \\N, 'quote' \"dq\", é ✓","op":"2020-02-29","n":1,"x":1.5,"mixed":"2020-01-01","bool":true,"obj":{"b":[1,2.50,{"c":null}],"a":"\t"},"leeg":null,"rare \"naam\"":"x"}"#,
        r#"{"id":"b","tekst":"","op":"2021-12-31","n":-9223372036854775808,"x":100000.0,"mixed":3,"bool":false,"obj":[],"big":18446744073709551615,"groot":18446744073709551615}"#,
        r#"{"id":"c","op":"2020-02-30","n":9223372036854775807,"x":1e-7,"mixed":{"k":1},"obj":"een string","big":1.0}"#,
        "",
        r#"{"id":"d","datum":"2020-01-01","bedrag":1.50,"x":-0.25}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raar.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let db = Server::shared().database();
    let mut client = db.client();
    let columns = load_jsonl(&mut client, "raar", &path);
    let types: Vec<(&str, ColumnType)> = columns.iter().map(|c| (c.name.as_str(), c.ty)).collect();
    use ColumnType::*;
    assert_eq!(
        types,
        [
            ("id", Text),
            ("tekst", Text),
            ("op", Text),
            ("n", Bigint),
            ("x", Numeric),
            ("mixed", Jsonb),
            ("bool", Boolean),
            ("obj", Jsonb),
            ("leeg", Text),
            ("rare \"naam\"", Text),
            ("big", Numeric),
            ("groot", Numeric),
            ("datum", Date),
            ("bedrag", Numeric),
        ]
    );
    assert_round_trip(&mut client, "raar", &path);
    // Into a schema too; the server has the types named.
    load_jsonl(&mut client, "s.raar", &path);
    assert_round_trip(&mut client, "s.raar", &path);
    let on_server: Vec<String> = server_types(&mut client, "s", "raar")
        .into_iter()
        .map(|(_, ty)| ty)
        .collect();
    assert_eq!(
        on_server,
        [
            "text", "text", "text", "bigint", "numeric", "jsonb", "boolean", "jsonb", "text",
            "text", "numeric", "numeric", "date", "numeric"
        ]
    );
}

/// `is_date` accepts exactly the dates PostgreSQL reads and writes back
/// the same way.
#[test]
fn dates_are_recognised_strictly() {
    for good in [
        "2020-01-01",
        "2020-02-29",
        "2000-02-29",
        "0001-01-01",
        "9999-12-31",
    ] {
        assert!(is_date(good), "{good}");
    }
    for bad in [
        "2021-02-29",
        "1900-02-29",
        "2020-04-31",
        "2020-13-01",
        "2020-00-10",
        "2020-01-00",
        "0000-01-01",
        "2020-1-01",
        "2020/01/01",
        "20200101",
        "2020-01-01T00:00:00",
        " 2020-01-01",
        "２０２０-01-01",
    ] {
        assert!(!is_date(bad), "{bad}");
    }
}
