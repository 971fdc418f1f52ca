//! Spreadsheets as collections: `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and `.ods`,
//! read with calamine.
//!
//! One sheet (`sheet:`, default the first) is one collection: the row
//! `header_row:` (default 1) names the fields, each later row with a value is
//! a record. Cell types are kept: numbers stay numbers (a whole number as an
//! integer: Excel has no other), booleans booleans, a date cell becomes an
//! ISO date (`2020-06-15`, or a date-time when it has a time), from the 1900
//! or the 1904 system as the workbook says; an empty cell is an absent field.
//! A formula gives its cached value; one whose value is an error (`#REF!`,
//! `#DIV/0!`) is a located `data::cell` problem and the field is absent.
//!
//! A record's line is its row number in the sheet, a field's column the
//! sheet's column, so findings are placed at a cell (`Blad1!D12`).

use std::path::Path;

use calamine::{Data, Range, Reader};
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use super::{DataCode, RecordPos, Sink, column_letters};
use crate::problem::{LineCol, Problem};

/// The most cells a sheet may have (a full-height sheet of 16 columns): the
/// sheet is held in memory while it is read, about 65 bytes a cell (10⁶
/// rows of 14 columns took 951 MB, BENCHMARKS.md).
pub const MAX_CELLS: u64 = 16 * 1_048_576;

/// A workbook's sheet, opened: what the collection needs to know before
/// its records are read (the sheet's name and its columns).
pub(crate) struct Opened {
    /// The sheet read.
    pub sheet: String,
    /// The header's names, by column from the sheet's first column.
    pub columns: Vec<String>,
    /// The 0-based row and column where the sheet's cells start.
    start: (u32, u32),
    /// The 0-based index of the header row within the cells.
    header: usize,
    range: Range<Data>,
    digest: [u8; 32],
}

/// Why a workbook or sheet cannot be read.
pub(crate) struct Refused {
    pub problem: Problem,
    /// The file's digest, when its bytes were read.
    pub digest: Option<[u8; 32]>,
}

/// Opens the sheet of `path` a collection names, and reads its header.
pub(crate) fn open(
    path: &Path,
    sheet: Option<&str>,
    header_row: u32,
) -> Result<Opened, Box<Refused>> {
    let refuse = |problem: Problem, digest: Option<[u8; 32]>| Box::new(Refused { problem, digest });
    let bytes = crate::read::bytes(path).map_err(|err| {
        refuse(
            Problem::unusable(DataCode::Read, format!("cannot read data file: {err}")),
            None,
        )
    })?;
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|err| {
            refuse(
                Problem::unusable(
                    DataCode::Read,
                    format!("cannot read the workbook: {}", plain(&err.to_string())),
                )
                .help("a workbook protected by a password, or damaged, cannot be read: save an unprotected copy"),
                Some(digest),
            )
        })?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) if names.iter().any(|n| n == wanted) => wanted.to_string(),
        Some(wanted) => {
            let hint = crate::problem::did_you_mean(wanted, names.iter().map(String::as_str))
                .map_or(String::new(), |s| format!("; {s}"));
            return Err(refuse(
                Problem::unusable(
                    DataCode::Read,
                    format!("the workbook has no sheet `{wanted}`{hint}"),
                )
                .help(format!("its sheets: {}", names.join(", "))),
                Some(digest),
            ));
        }
        None => match names.first() {
            Some(first) => first.clone(),
            None => {
                return Err(refuse(
                    Problem::unusable(DataCode::Empty, "the workbook has no sheets"),
                    Some(digest),
                ));
            }
        },
    };
    // An .xlsx sheet says its size before its cells: a sheet over the limit
    // is refused before it takes memory.
    if let calamine::Sheets::Xlsx(xlsx) = &mut workbook
        && let Ok(cells) = xlsx.worksheet_cells_reader(&name)
    {
        let size = cells.dimensions();
        let rows = u64::from(size.end.0.saturating_sub(size.start.0)) + 1;
        let width = u64::from(size.end.1.saturating_sub(size.start.1)) + 1;
        if rows * width > MAX_CELLS {
            return Err(refuse(too_many(&name, rows, width), Some(digest)));
        }
    }
    let range = workbook.worksheet_range(&name).map_err(|err| {
        refuse(
            Problem::unusable(
                DataCode::Read,
                format!("cannot read sheet `{name}`: {}", plain(&err.to_string())),
            ),
            Some(digest),
        )
    })?;
    let (rows, width) = range.get_size();
    if rows as u64 * width as u64 > MAX_CELLS {
        return Err(refuse(
            too_many(&name, rows as u64, width as u64),
            Some(digest),
        ));
    }
    let start = range.start().unwrap_or((0, 0));
    let header = (header_row - 1).saturating_sub(start.0) as usize;
    let header_cells: Vec<&Data> = range
        .rows()
        .nth(header)
        .map(|row| row.iter().collect())
        .unwrap_or_default();
    if header_cells.iter().all(|cell| matches!(cell, Data::Empty)) {
        return Err(refuse(
            Problem::unusable(
                DataCode::Empty,
                format!("sheet `{name}` has no header in row {header_row}"),
            )
            .help("set `header_row:` in the collection to the row that names the columns"),
            Some(digest),
        ));
    }
    let columns = header_cells.iter().map(|cell| text(cell)).collect();
    Ok(Opened {
        sheet: name,
        columns,
        start,
        header,
        range,
        digest,
    })
}

impl Opened {
    /// The 1-based number of the sheet's first column.
    pub fn first_column(&self) -> u32 {
        self.start.1 + 1
    }
}

/// A sheet as text, to show a record's row to people: each row's cells
/// (`A3`, the header's name, the value as the record has it; empty cells
/// left out), by row number.
#[derive(Debug, Default)]
pub struct SheetText {
    rows: std::collections::HashMap<u32, Vec<(String, String, String)>>,
}

impl SheetText {
    /// Reads `sheet` of the workbook at `path` (with its header in row
    /// `header_row`); `None` when it cannot be read.
    pub fn read(path: &Path, sheet: &str, header_row: u32) -> Option<SheetText> {
        let opened = open(path, Some(sheet), header_row).ok()?;
        let mut rows = std::collections::HashMap::new();
        for (index, row) in opened.range.rows().enumerate().skip(opened.header + 1) {
            let number = opened.start.0 + index as u32 + 1;
            let cells = row
                .iter()
                .enumerate()
                .filter_map(|(col, cell)| {
                    let shown = match value(cell) {
                        Ok(Some(Value::String(s))) => s,
                        Ok(Some(other)) => other.to_string(),
                        Ok(None) => return None,
                        Err(_) => cell.to_string(),
                    };
                    let name = opened.columns.get(col).cloned().unwrap_or_default();
                    let at = format!("{}{number}", column_letters(opened.start.1 as usize + col));
                    Some((at, name, shown))
                })
                .collect();
            rows.insert(number, cells);
        }
        Some(SheetText { rows })
    }

    /// The cells of row `row`: (cell, column name, value).
    pub fn row(&self, row: u32) -> &[(String, String, String)] {
        self.rows.get(&row).map_or(&[], Vec::as_slice)
    }
}

/// The problem of a sheet over [`MAX_CELLS`].
fn too_many(name: &str, rows: u64, width: u64) -> Problem {
    Problem::unusable(
        DataCode::Read,
        format!(
            "sheet `{name}` has {rows} rows of {width} columns; at most {MAX_CELLS} cells are read"
        ),
    )
    .help("split the sheet, or export it as CSV, which is read as a stream")
}

/// Reads the records of an opened sheet into the sink; returns the file's
/// digest.
pub(crate) fn load(opened: &Opened, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let row_number = |index: usize| opened.start.0 + index as u32 + 1;
    let column_number = |index: usize| opened.start.1 + index as u32 + 1;
    let cell_name = |row: usize, col: usize| {
        format!(
            "{}!{}{}",
            opened.sheet,
            column_letters(opened.start.1 as usize + col),
            row_number(row)
        )
    };
    // The header: every column with values needs one distinct name.
    let header_line = row_number(opened.header);
    let mut named: Vec<Option<&str>> = Vec::new();
    for (col, name) in opened.columns.iter().enumerate() {
        let used = opened
            .range
            .rows()
            .skip(opened.header + 1)
            .any(|row| !matches!(row.get(col), None | Some(Data::Empty)));
        let name = name.trim();
        let at = LineCol {
            line: header_line,
            column: column_number(col),
        };
        if name.is_empty() {
            if used {
                sink.problem(
                    Problem::unusable(
                        DataCode::Parse,
                        format!(
                            "header cell {} is empty (a merged cell?): its column is not read",
                            cell_name(opened.header, col)
                        ),
                    )
                    .at(at.line, at.column)
                    .help("give every column with values a name in the header row"),
                );
            }
            named.push(None);
        } else if named.iter().flatten().any(|earlier| *earlier == name) {
            sink.problem(
                Problem::unusable(
                    DataCode::Parse,
                    format!(
                        "header cell {} repeats the name `{name}`: its column is not read",
                        cell_name(opened.header, col)
                    ),
                )
                .at(at.line, at.column),
            );
            named.push(None);
        } else {
            named.push(Some(name));
        }
    }
    let mut records = 0usize;
    for (index, row) in opened.range.rows().enumerate().skip(opened.header + 1) {
        let mut fields = Map::new();
        for (col, cell) in row.iter().enumerate() {
            let Some(Some(name)) = named.get(col) else {
                continue;
            };
            match value(cell) {
                Ok(Some(value)) => {
                    fields.insert((*name).to_string(), value);
                }
                Ok(None) => {}
                Err(why) => sink.problem(
                    Problem::unusable(
                        DataCode::Cell,
                        format!("cell {} {why}", cell_name(index, col)),
                    )
                    .at(row_number(index), column_number(col))
                    .help("fix the formula or the value in the workbook; the field is left out"),
                ),
            }
        }
        if fields.is_empty() {
            continue;
        }
        records += 1;
        let line = row_number(index);
        let pos = RecordPos {
            file: 0,
            line,
            column: column_number(0),
            byte: 0,
            end_line: line,
        };
        sink.record(Value::Object(fields), pos, None);
    }
    if records == 0 {
        sink.problem(
            Problem::unusable(
                DataCode::Empty,
                format!("sheet `{}` has no records below its header", opened.sheet),
            )
            .help("an intentionally empty collection is `[]` in a .json or .yaml file"),
        );
    }
    Some(opened.digest)
}

/// A cell as a field value; `None` for an empty cell.
fn value(cell: &Data) -> Result<Option<Value>, String> {
    Ok(Some(match cell {
        Data::Empty => return Ok(None),
        Data::String(s) if s.is_empty() => return Ok(None),
        Data::String(s) => Value::String(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::from(*i),
        Data::Float(f) => {
            number(*f).ok_or_else(|| format!("holds {f}, not a number JSON can hold"))?
        }
        Data::DateTime(when) if when.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = when.to_ymd_hms_milli();
            let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).map_err(|_| {
                format!("holds the date serial {}, which is no date", when.as_f64())
            })?;
            if (hh, mm, ss) == (0, 0, 0) {
                Value::String(date.to_string())
            } else {
                Value::String(format!("{date}T{hh:02}:{mm:02}:{ss:02}"))
            }
        }
        // A duration: its length in days, as Excel keeps it.
        Data::DateTime(when) => number(when.as_f64()).unwrap_or(Value::Null),
        Data::DateTimeIso(text) | Data::DurationIso(text) => Value::String(text.clone()),
        Data::Error(err) => return Err(format!("holds the error value {err}")),
    }))
}

/// A float as a JSON number: a whole number as an integer.
fn number(f: f64) -> Option<Value> {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Some(Value::from(f as i64));
    }
    Number::from_f64(f).map(Value::Number)
}

/// A header cell as a name.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// calamine's message without the Rust debug dump some of them carry.
fn plain(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
}
