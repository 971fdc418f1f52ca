//! The Excel report (`--format xlsx=FILE`): the findings as a workbook an
//! audit team can sort, filter and triage in.
//!
//! The sheets:
//!
//! - **Findings**, one row per finding: rule, severity, collection, record,
//!   location (`path:line:column`, the cell of a spreadsheet, or a
//!   database table, whose record is named by its key), field,
//!   message, and for a deadline its start, term, due date, end and how
//!   late; every fact behind the verdict as lines of text (see
//!   [`super::facts`]); the basis, the fingerprint, the waiver; then two empty columns
//!   for the team's own judgement, *beoordeling* and *toelichting*.
//! - **Rules**, one row per rule that ran: title, severity, collection,
//!   check kind, validity window, the records it judged, found not
//!   applicable or outside its window, its findings and basis.
//! - **Groups**, with `--group-by FIELD`: the findings per value of the
//!   field (also a column of *Findings*), by severity.
//! - **Run**: the evaluation date, naleving's version, the digests and the
//!   summary counts, so a copy passed around still says what it is of.
//!
//! Dates are Excel dates (shown `yyyy-mm-dd`), counts numbers; each sheet
//! has its header row frozen and an autofilter. Like every report it names
//! records by key and field, never their values. The workbook's creation
//! time is the evaluation date, so the same inputs give the same bytes.

use jiff::civil::Date;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Deadline, Summary};
use crate::engine::Run;
use crate::finding::{Basis, Finding, Severity};

/// The findings sheet's columns: header and width.
const FINDING_COLUMNS: &[(&str, f64)] = &[
    ("rule", 30.0),
    ("severity", 9.0),
    ("collection", 14.0),
    ("record", 20.0),
    ("location", 36.0),
    ("field", 22.0),
    ("message", 60.0),
    ("start", 11.0),
    ("term", 14.0),
    ("due", 11.0),
    ("end", 11.0),
    ("late by", 14.0),
    ("facts", 50.0),
    ("basis", 40.0),
    ("fingerprint", 18.0),
    ("waived", 30.0),
    ("group", 20.0),
    ("beoordeling", 16.0),
    ("toelichting", 40.0),
];

/// The rules sheet's columns: header and width.
const RULE_COLUMNS: &[(&str, f64)] = &[
    ("rule", 30.0),
    ("title", 50.0),
    ("severity", 9.0),
    ("collection", 14.0),
    ("check", 10.0),
    ("valid from", 11.0),
    ("valid until", 11.0),
    ("records", 10.0),
    ("judged", 10.0),
    ("not applicable", 10.0),
    ("outside window", 10.0),
    ("findings", 10.0),
    ("basis", 60.0),
];

/// Renders the run as an .xlsx workbook.
pub fn render(run: &Run, fail_on: Severity) -> Result<Vec<u8>, String> {
    build(run, fail_on).map_err(|err| format!("cannot write the workbook: {err}"))
}

fn build(run: &Run, fail_on: Severity) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    if let Ok(created) = excel_date(run.as_of) {
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    }
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");

    let sheet = book.add_worksheet().set_name("Findings")?;
    header(sheet, FINDING_COLUMNS, &bold)?;
    // A sheet ends at row 1,048,576: the last one says how many more the
    // JSON report has.
    let fits = (LAST_ROW as usize - 1).min(run.findings.len());
    for (index, finding) in run.findings[..fits].iter().enumerate() {
        finding_row(sheet, index as u32 + 1, finding, &date)?;
    }
    if fits < run.findings.len() {
        let more = run.findings.len() - fits;
        put(
            sheet,
            LAST_ROW,
            0,
            format!("… {more} more findings: a sheet ends here; the JSON report has them all"),
        )?;
    }
    finish(sheet, FINDING_COLUMNS.len(), fits)?;

    let sheet = book.add_worksheet().set_name("Rules")?;
    header(sheet, RULE_COLUMNS, &bold)?;
    let mut rows = 0;
    for counts in &run.rules_run {
        let Some(rule) = run.rules.rules.iter().find(|r| r.id == counts.id) else {
            continue;
        };
        rows += 1;
        let row = rows as u32;
        put(sheet, row, 0, &rule.id)?;
        put(sheet, row, 1, &rule.title)?;
        put(sheet, row, 2, rule.severity.as_str())?;
        put(sheet, row, 3, &rule.collection)?;
        put(sheet, row, 4, rule.check.kind())?;
        let window = rule.valid.as_ref();
        if let Some(from) = window.and_then(|v| v.from) {
            put_date(sheet, row, 5, from, &date)?;
        }
        if let Some(until) = window.and_then(|v| v.until) {
            put_date(sheet, row, 6, until, &date)?;
        }
        let numbers = [
            counts.records,
            counts.judged,
            counts.not_applicable,
            counts.outside_window,
            counts.findings,
        ];
        for (offset, n) in numbers.into_iter().enumerate() {
            sheet.write_number(row, 7 + offset as u16, n as f64)?;
        }
        put(sheet, row, 12, basis(&rule.basis))?;
    }
    finish(sheet, RULE_COLUMNS.len(), rows)?;

    if let Some(field) = &run.manifest.group_by {
        let sheet = book.add_worksheet().set_name("Groups")?;
        groups_sheet(sheet, run, field, &bold)?;
    }

    let sheet = book.add_worksheet().set_name("Run")?;
    run_sheet(sheet, run, fail_on, &bold, &date)?;

    book.save_to_buffer()
}

/// The header row in bold, with the columns' widths.
fn header(sheet: &mut Worksheet, columns: &[(&str, f64)], bold: &Format) -> Result<(), XlsxError> {
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, bold)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    Ok(())
}

/// Freezes the header row and filters the table below it.
fn finish(sheet: &mut Worksheet, columns: usize, rows: usize) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows as u32, columns as u16 - 1)?;
    Ok(())
}

fn finding_row(
    sheet: &mut Worksheet,
    row: u32,
    finding: &Finding,
    date: &Format,
) -> Result<(), XlsxError> {
    put(sheet, row, 0, &finding.rule)?;
    put(sheet, row, 1, finding.severity.as_str())?;
    put(sheet, row, 2, &finding.collection)?;
    put(sheet, row, 3, &finding.record)?;
    put(sheet, row, 4, finding.location.place())?;
    if let Some(field) = &finding.field {
        put(sheet, row, 5, field)?;
    }
    put(sheet, row, 6, &finding.message)?;
    let details = finding.details.to_map();
    let text = |key: &str| details.get(key).and_then(|v| v.as_str());
    let dates = [(7, text("start")), (9, text("due")), (10, text("end"))];
    for (col, value) in dates {
        match value.map(|v| v.parse::<Date>()) {
            Some(Ok(day)) => put_date(sheet, row, col, day, date)?,
            Some(Err(_)) => {
                put(sheet, row, col, value.unwrap_or_default())?;
            }
            None => {}
        }
    }
    if let Some(term) = text("term") {
        put(sheet, row, 8, term)?;
    }
    if let Some(late_by) = Deadline::of(finding).late_by {
        put(sheet, row, 11, late_by)?;
    }
    put(
        sheet,
        row,
        12,
        super::fact_lines(finding, 10, super::lang::Lang::En).join("\n"),
    )?;
    put(sheet, row, 13, basis(&finding.basis))?;
    put(sheet, row, 14, finding.fingerprint)?;
    if let Some(waived) = &finding.waived {
        let until = waived
            .expires
            .map_or(String::new(), |d| format!(", until {d}"));
        put(
            sheet,
            row,
            15,
            format!("{} ({}{until})", waived.reason, waived.approved_by),
        )?;
    }
    if let Some(group) = &finding.group {
        put(sheet, row, 16, group)?;
    }
    Ok(())
}

fn run_sheet(
    sheet: &mut Worksheet,
    run: &Run,
    fail_on: Severity,
    bold: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 70)?;
    let summary = Summary::of(run, fail_on);
    let mut row = 0;
    let mut line = |sheet: &mut Worksheet, name: &str| -> Result<u32, XlsxError> {
        sheet.write_string_with_format(row, 0, name, bold)?;
        row += 1;
        Ok(row - 1)
    };
    let at = line(sheet, "as of")?;
    put_date(sheet, at, 1, run.as_of, date)?;
    let at = line(sheet, "tool")?;
    put(
        sheet,
        at,
        1,
        concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")),
    )?;
    let at = line(sheet, "rules digest")?;
    put(sheet, at, 1, &run.rules.digest)?;
    let at = line(sheet, "data digest")?;
    put(sheet, at, 1, run.dataset.digest())?;
    let counts = [
        ("findings", summary.findings),
        ("errors", summary.counts.error),
        ("warnings", summary.counts.warning),
        ("info", summary.counts.info),
        ("waived", summary.waived),
        ("failing", summary.failing),
        ("rules", summary.rules),
        ("records", summary.records),
        ("problems", summary.problems),
    ];
    for (name, n) in counts {
        let at = line(sheet, name)?;
        sheet.write_number(at, 1, n as f64)?;
    }
    let at = line(sheet, "fail on")?;
    put(sheet, at, 1, fail_on.as_str())?;
    if let Some(baseline) = &summary.baseline {
        let at = line(sheet, "baseline")?;
        put(sheet, at, 1, &baseline.path)?;
        let counts = [
            ("baseline new", baseline.new),
            ("baseline changed", baseline.changed),
            ("baseline fixed", baseline.fixed),
            ("baseline still present", baseline.still_present),
        ];
        for (name, n) in counts {
            let at = line(sheet, name)?;
            sheet.write_number(at, 1, n as f64)?;
        }
        let at = line(sheet, "fail on changed")?;
        put(sheet, at, 1, baseline.fail_on_changed.to_string())?;
    }
    Ok(())
}

/// With `--group-by`: the findings per value of the field, by severity.
fn groups_sheet(
    sheet: &mut Worksheet,
    run: &Run,
    field: &str,
    bold: &Format,
) -> Result<(), XlsxError> {
    let columns: [(&str, f64); 5] = [
        (field, 30.0),
        ("errors", 10.0),
        ("warnings", 10.0),
        ("info", 10.0),
        ("findings", 10.0),
    ];
    header(sheet, &columns, bold)?;
    let groups = super::counts_by_group(run);
    let rows = groups.len();
    for (index, (group, counts)) in groups.into_iter().enumerate() {
        let row = index as u32 + 1;
        put(sheet, row, 0, group.unwrap_or_default())?;
        let numbers = [counts.error, counts.warning, counts.info, counts.total()];
        for (col, n) in numbers.into_iter().enumerate() {
            sheet.write_number(row, col as u16 + 1, n as f64)?;
        }
    }
    finish(sheet, columns.len(), rows)
}

/// The citations, `; ` between them.
fn basis(basis: &[Basis]) -> String {
    basis
        .iter()
        .map(|b| b.citation.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn excel_date(day: Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
}

/// The longest text a cell holds (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;

/// The last row a sheet has (Excel's limit, 1,048,576 rows, 0-based).
const LAST_ROW: u32 = 1_048_575;

/// Writes a text, cut to what a cell holds (the JSON report has it whole).
fn put(sheet: &mut Worksheet, row: u32, col: u16, text: impl AsRef<str>) -> Result<(), XlsxError> {
    let text = text.as_ref();
    match text.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((cut, _)) => sheet.write_string(row, col, format!("{}…", &text[..cut])),
        None => sheet.write_string(row, col, text),
    }
    .map(|_| ())
}

/// Writes a date as an Excel date, or as text when Excel has no such date
/// (before 1900).
fn put_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    day: Date,
    format: &Format,
) -> Result<(), XlsxError> {
    match excel_date(day) {
        Ok(date) => sheet
            .write_datetime_with_format(row, col, date, format)
            .map(|_| ()),
        Err(_) => put(sheet, row, col, day.to_string()),
    }
}
