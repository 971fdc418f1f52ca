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
//!
//! An `.xlsx`, `.xlsm` or `.xlsb` sheet is read cell by cell, a row at a
//! time, so memory does not grow with the sheet (nor with the size it
//! declares); calamine holds an `.xls` or `.ods` sheet whole, so those are
//! refused over [`MAX_CELLS`].

use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{Data, Range, Reader, Sheets};
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use super::{DataCode, RecordPos, Sink, column_letters, plain};
use crate::problem::Problem;
use crate::project::CellRange;
use crate::text::Text;
use crate::tr;

/// The most cells an `.xls` or `.ods` sheet may have (a full-height sheet of
/// 16 columns): calamine holds such a sheet whole while it is read, about
/// 65 bytes a cell. An `.xlsx`, `.xlsm` or `.xlsb` sheet is read cell by
/// cell, a row at a time, and has no limit.
pub const MAX_CELLS: u64 = 16 * 1_048_576;

/// The columns a sheet can have (A to XFD); a cell beyond them is a damaged
/// or crafted file, refused before a row of that width takes memory.
const MAX_COLUMNS: u32 = 16_384;

/// A workbook's sheet, opened: what the collection needs to know before
/// its records are read (the sheet's name and its columns).
pub(crate) struct Opened {
    /// The sheet read.
    pub sheet: String,
    /// The header's names, by column from column A.
    pub columns: Vec<String>,
    /// The 0-based number of the header row.
    header: u32,
    /// The cells read, when not the whole sheet.
    range: Option<CellRange>,
    cells: Cells,
    digest: [u8; 32],
}

/// Where a sheet's cells come from.
enum Cells {
    /// Read cell by cell from the workbook (`.xlsx`, `.xlsm`, `.xlsb`).
    Streamed(Box<Sheets<Cursor<Vec<u8>>>>),
    /// Held whole by calamine (`.xls`, `.ods`), at most [`MAX_CELLS`].
    Whole(Range<Data>),
}

/// A row's cells with a value: (0-based column, value).
type Row = Vec<(u32, Data)>;

/// Gathers streamed cells into rows and hands each on, from row `from` on.
struct Rows<F> {
    from: u32,
    row: Option<u32>,
    cells: Row,
    each: F,
}

impl<F: FnMut(u32, Row) -> ControlFlow<()>> Rows<F> {
    /// Takes one cell; `Ok(false)` when the caller wants no more.
    fn cell(&mut self, (row, column): (u32, u32), value: Data) -> Result<bool, Text> {
        if column >= MAX_COLUMNS {
            return Err(tr!(
                "cell {cell} lies beyond the last column a sheet can have (XFD)",
                cell = format!("{}{}", column_letters(column as usize), u64::from(row) + 1)
            ));
        }
        if row < self.from || matches!(value, Data::Empty) {
            return Ok(true);
        }
        if let Some(current) = self.row
            && current != row
        {
            if row < current {
                return Err(tr!(
                    "the sheet's cells are out of order (row {row} after row {before})",
                    row = row + 1,
                    before = current + 1
                ));
            }
            if (self.each)(current, std::mem::take(&mut self.cells)).is_break() {
                self.row = None;
                return Ok(false);
            }
        }
        self.row = Some(row);
        self.cells.push((column, value));
        Ok(true)
    }

    /// Hands on the last row.
    fn finish(mut self) {
        if let Some(row) = self.row {
            let _ = (self.each)(row, self.cells);
        }
    }
}

impl Opened {
    /// Hands each row with a value from 0-based row `from` on to `each`, in
    /// row order, until it breaks.
    fn rows(
        &mut self,
        from: u32,
        mut each: impl FnMut(u32, Row) -> ControlFlow<()>,
    ) -> Result<(), Text> {
        let Some(range) = self.range else {
            return rows(&mut self.cells, &self.sheet, from, each);
        };
        rows(&mut self.cells, &self.sheet, from, |row, mut cells| {
            if row > range.bottom {
                return ControlFlow::Break(());
            }
            cells.retain(|(col, _)| (range.left..=range.right).contains(col));
            if cells.is_empty() {
                ControlFlow::Continue(())
            } else {
                each(row, cells)
            }
        })
    }
}

fn rows(
    cells: &mut Cells,
    sheet: &str,
    from: u32,
    mut each: impl FnMut(u32, Row) -> ControlFlow<()>,
) -> Result<(), Text> {
    let failed = |err: &dyn std::fmt::Display| Text::verbatim(plain(&err.to_string()));
    match cells {
        Cells::Whole(range) => {
            let (top, left) = range.start().unwrap_or((0, 0));
            for (index, row) in range.rows().enumerate() {
                let number = top + index as u32;
                if number < from {
                    continue;
                }
                let cells: Row = row
                    .iter()
                    .enumerate()
                    .filter(|(_, cell)| !matches!(cell, Data::Empty))
                    .map(|(col, cell)| (left + col as u32, cell.clone()))
                    .collect();
                if !cells.is_empty() && each(number, cells).is_break() {
                    break;
                }
            }
            Ok(())
        }
        Cells::Streamed(book) => {
            // The .xlsx and .xlsb cell readers are different types with
            // the same methods.
            macro_rules! gather {
                ($reader:expr) => {{
                    let mut reader = $reader.map_err(|e| failed(&e))?;
                    let mut gather = Rows {
                        from,
                        row: None,
                        cells: Vec::new(),
                        each,
                    };
                    while let Some(cell) = reader.next_cell().map_err(|e| failed(&e))? {
                        if !gather.cell(cell.get_position(), cell.get_value().clone().into())? {
                            return Ok(());
                        }
                    }
                    gather.finish();
                    Ok(())
                }};
            }
            match &mut **book {
                Sheets::Xlsx(book) => gather!(book.worksheet_cells_reader(sheet)),
                Sheets::Xlsb(book) => gather!(book.worksheet_cells_reader(sheet)),
                _ => Err(tr!("this kind of workbook is not read cell by cell")),
            }
        }
    }
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
    range: Option<CellRange>,
) -> Result<Opened, Box<Refused>> {
    let refuse = |problem: Problem, digest: Option<[u8; 32]>| Box::new(Refused { problem, digest });
    let bytes = crate::read::bytes(path).map_err(|err| {
        refuse(
            Problem::unusable(
                DataCode::Read,
                tr!("cannot read data file: {cause}", cause = err.text()),
            ),
            None,
        )
    })?;
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    let workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|err| {
        refuse(
            Problem::unusable(
                DataCode::Read,
                tr!(
                    "cannot read the workbook: {cause}",
                    cause = plain(&err.to_string())
                ),
            )
            .help(tr!(
                "a workbook protected by a password, or damaged, cannot be read: save an unprotected copy"
            )),
            Some(digest),
        )
    })?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) if names.iter().any(|n| n == wanted) => wanted.to_string(),
        Some(wanted) => {
            let hint = crate::problem::hint(wanted, names.iter().map(String::as_str));
            return Err(refuse(
                Problem::unusable(
                    DataCode::Read,
                    tr!(
                        "the workbook has no sheet `{sheet}`{hint}",
                        sheet = wanted,
                        hint = hint
                    ),
                )
                .help(tr!("its sheets: {sheets}", sheets = names.join(", "))),
                Some(digest),
            ));
        }
        None => match names.first() {
            Some(first) => first.clone(),
            None => {
                return Err(refuse(
                    Problem::unusable(DataCode::Empty, tr!("the workbook has no sheets")),
                    Some(digest),
                ));
            }
        },
    };
    let cannot_read = |why: Text| {
        refuse(
            Problem::unusable(
                DataCode::Read,
                tr!(
                    "cannot read sheet `{sheet}`: {cause}",
                    sheet = &name,
                    cause = why
                ),
            ),
            Some(digest),
        )
    };
    let cells = match workbook {
        book @ (Sheets::Xlsx(_) | Sheets::Xlsb(_)) => Cells::Streamed(Box::new(book)),
        mut book => {
            let range = book
                .worksheet_range(&name)
                .map_err(|err| cannot_read(Text::verbatim(plain(&err.to_string()))))?;
            let (rows, width) = range.get_size();
            if rows as u64 * width as u64 > MAX_CELLS {
                return Err(refuse(
                    too_many(&name, rows as u64, width as u64),
                    Some(digest),
                ));
            }
            Cells::Whole(range)
        }
    };
    let mut opened = Opened {
        sheet: name.clone(),
        columns: Vec::new(),
        header: header_row - 1,
        range,
        cells,
        digest,
    };
    let mut header: Option<(u32, Row)> = None;
    opened
        .rows(header_row - 1, |row, cells| {
            header = Some((row, cells));
            ControlFlow::Break(())
        })
        .map_err(cannot_read)?;
    let Some((_, cells)) = header.filter(|(row, _)| *row == header_row - 1) else {
        return Err(refuse(
            Problem::unusable(
                DataCode::Empty,
                tr!(
                    "sheet `{sheet}` has no header in row {row}",
                    sheet = &name,
                    row = header_row
                ),
            )
            .help(tr!(
                "set `header_row:` in the collection to the row that names the columns"
            )),
            Some(digest),
        ));
    };
    let width = cells
        .iter()
        .map(|(col, _)| *col as usize + 1)
        .max()
        .unwrap_or(0);
    opened.columns = vec![String::new(); width];
    for (col, cell) in &cells {
        opened.columns[*col as usize] = text(cell);
    }
    Ok(opened)
}

/// A sheet as text, to show a record's row to people: each row's cells
/// (`A3`, the header's name, the value as the record has it; empty cells
/// left out), by row number.
#[derive(Debug, Default)]
pub struct SheetText {
    rows: HashMap<u32, Vec<(String, String, String)>>,
}

impl SheetText {
    /// Reads rows `wanted` (1-based) of `sheet` of the workbook at `path`
    /// (with its header in row `header_row`), stopping after the last;
    /// `None` when it cannot be read.
    pub fn read(
        path: &Path,
        sheet: &str,
        header_row: u32,
        range: Option<CellRange>,
        wanted: &std::collections::BTreeSet<u32>,
    ) -> Option<SheetText> {
        let last = wanted.last().copied().unwrap_or(0);
        let mut opened = open(path, Some(sheet), header_row, range).ok()?;
        let columns = std::mem::take(&mut opened.columns);
        let mut rows = HashMap::new();
        opened
            .rows(header_row, |row, cells| {
                let number = row + 1;
                if number > last {
                    return ControlFlow::Break(());
                }
                if !wanted.contains(&number) {
                    return ControlFlow::Continue(());
                }
                let cells = cells
                    .iter()
                    .filter_map(|(col, cell)| {
                        let shown = match value(cell) {
                            Ok(Some(Value::String(s))) => s,
                            Ok(Some(other)) => other.to_string(),
                            Ok(None) => return None,
                            Err(_) => cell.to_string(),
                        };
                        let name = columns.get(*col as usize).cloned().unwrap_or_default();
                        let at = format!("{}{number}", column_letters(*col as usize));
                        Some((at, name, shown))
                    })
                    .collect();
                rows.insert(number, cells);
                ControlFlow::Continue(())
            })
            .ok()?;
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
        tr!(
            "sheet `{sheet}` has {rows} rows of {width} columns; at most {max} cells are read",
            sheet = name,
            rows = rows,
            width = width,
            max = MAX_CELLS
        ),
    )
    .help(tr!(
        "save it as .xlsx, which is read a row at a time, or export it as CSV"
    ))
}

/// Reads the records of an opened sheet into the sink, a row at a time;
/// returns the file's digest.
pub(crate) fn load(opened: &mut Opened, sink: &mut Sink<'_, '_>) -> Option<[u8; 32]> {
    let sheet = opened.sheet.clone();
    let cell_name =
        |row: u32, col: u32| format!("{sheet}!{}{}", column_letters(col as usize), row + 1);
    let header = opened.header;
    // The header: every column with values needs one distinct name.
    let mut named: Vec<Option<String>> = Vec::new();
    for (col, name) in opened.columns.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            named.push(None);
        } else if named.iter().flatten().any(|earlier| earlier == name) {
            sink.problem(
                Problem::unusable(
                    DataCode::Parse,
                    tr!(
                        "header cell {cell} repeats the name `{name}`: its column is not read",
                        cell = cell_name(header, col as u32),
                        name = name
                    ),
                )
                .at(header + 1, col as u32 + 1),
            );
            named.push(None);
        } else {
            named.push(Some(name.to_string()));
        }
    }
    let repeated: BTreeSet<u32> = opened
        .columns
        .iter()
        .enumerate()
        .filter(|(col, name)| !name.trim().is_empty() && named[*col].is_none())
        .map(|(col, _)| col as u32)
        .collect();
    // Columns with values but no name in the header, reported once each.
    let mut unnamed: BTreeSet<u32> = BTreeSet::new();
    let mut records = 0usize;
    let read = opened.rows(header + 1, |row, cells| {
        let mut fields = Map::new();
        for (col, cell) in &cells {
            let Some(Some(name)) = named.get(*col as usize) else {
                if !repeated.contains(col) {
                    unnamed.insert(*col);
                }
                continue;
            };
            match value(cell) {
                Ok(Some(value)) => {
                    fields.insert(name.clone(), value);
                }
                Ok(None) => {}
                Err(why) => sink.problem(
                    Problem::unusable(
                        DataCode::Cell,
                        tr!(
                            "cell {cell} {cause}",
                            cell = cell_name(row, *col),
                            cause = why
                        ),
                    )
                    .at(row + 1, col + 1)
                    .help(tr!(
                        "fix the formula or the value in the workbook; the field is left out"
                    )),
                ),
            }
        }
        if !fields.is_empty() {
            records += 1;
            sink.record(Value::Object(fields), RecordPos::row(row + 1), None);
        }
        ControlFlow::Continue(())
    });
    for col in unnamed {
        sink.problem(
            Problem::unusable(
                DataCode::Parse,
                tr!(
                    "header cell {cell} is empty (a merged cell?): its column is not read",
                    cell = cell_name(header, col)
                ),
            )
            .at(header + 1, col + 1)
            .help(tr!(
                "give every column with values a name in the header row"
            )),
        );
    }
    if let Err(why) = read {
        sink.problem(
            Problem::unusable(
                DataCode::Read,
                tr!(
                    "cannot read sheet `{sheet}` to the end: {cause}",
                    sheet = &opened.sheet,
                    cause = why
                ),
            )
            .help(tr!(
                "the records before the fault are checked; save the workbook again"
            )),
        );
    } else if records == 0 {
        sink.problem(
            Problem::unusable(
                DataCode::Empty,
                tr!(
                    "sheet `{sheet}` has no records below its header",
                    sheet = &opened.sheet
                ),
            )
            .help(tr!(
                "an intentionally empty collection is `[]` in a .json or .yaml file"
            )),
        );
    }
    Some(opened.digest)
}

/// A cell as a field value; `None` for an empty cell.
fn value(cell: &Data) -> Result<Option<Value>, Text> {
    Ok(Some(match cell {
        Data::Empty => return Ok(None),
        Data::String(s) if s.is_empty() => return Ok(None),
        Data::String(s) => Value::String(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::Int(i) => Value::from(*i),
        Data::Float(f) => {
            number(*f).ok_or_else(|| tr!("holds {value}, not a number JSON can hold", value = f))?
        }
        Data::DateTime(when) if when.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = when.to_ymd_hms_milli();
            let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).map_err(|_| {
                tr!(
                    "holds the date serial {serial}, which is no date",
                    serial = when.as_f64()
                )
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
        Data::Error(err) => return Err(tr!("holds the error value {error}", error = err)),
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
