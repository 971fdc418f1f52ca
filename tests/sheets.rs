//! Spreadsheets as collections (issue #17): the reference workbooks are
//! generated from their YAML/CSV sources and checked in; findings in a
//! sheet are placed at cells in every format; each bad workbook gives its
//! own located problem.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};
use serde_json::{Map, Value};

use crate::support::{json_report, naleving_in, problems_of, root, run};

/// A workbook's bytes with one sheet `name` holding `rows` under `header`:
/// ISO dates as date cells, numbers as numbers, booleans as booleans,
/// formulas (text starting with `=`, with the cached value after `|`) as
/// formulas. The creation time is fixed, so the bytes are the same on
/// every run.
fn workbook(name: &str, header: &[String], rows: &[Vec<Value>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2020, 6, 26).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (col, field) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, field).unwrap();
    }
    for (index, row) in rows.iter().enumerate() {
        let r = index as u32 + 1;
        for (col, value) in row.iter().enumerate() {
            let c = col as u16;
            match value {
                Value::Null => {}
                Value::Bool(b) => {
                    sheet.write_boolean(r, c, *b).unwrap();
                }
                Value::Number(n) => {
                    sheet.write_number(r, c, n.as_f64().unwrap()).unwrap();
                }
                Value::String(s) if s.starts_with('=') => {
                    let (formula, cached) = s.split_once('|').unwrap_or((s, ""));
                    let formula = Formula::new(formula).set_result(cached);
                    sheet.write_formula(r, c, formula).unwrap();
                }
                Value::String(s) => match naleving::calendar::parse_date(s) {
                    Some(d) if s.len() == 10 => {
                        let when = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )
                        .unwrap();
                        sheet
                            .write_datetime_with_format(r, c, &when, &date)
                            .unwrap();
                    }
                    _ => {
                        sheet.write_string(r, c, s).unwrap();
                    }
                },
                other => {
                    sheet.write_string(r, c, other.to_string()).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// Records as a header (fields in first-seen order) and rows.
fn table(records: &[Map<String, Value>]) -> (Vec<String>, Vec<Vec<Value>>) {
    let mut header: Vec<String> = Vec::new();
    for record in records {
        for field in record.keys() {
            if !header.contains(field) {
                header.push(field.clone());
            }
        }
    }
    let rows = records
        .iter()
        .map(|r| {
            header
                .iter()
                .map(|f| r.get(f).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The reference workbooks, from their sources: the ministry's register of
/// commitments (from `toezeggingen.yaml`) and its budget table (from
/// `middelen.csv`, typed as the project file types it).
fn reference_workbooks() -> Vec<(&'static str, Vec<u8>)> {
    let dir = root().join("fixtures/ghnt");
    let yaml = std::fs::read_to_string(dir.join("kamer/toezeggingen.yaml")).unwrap();
    let toezeggingen: Vec<Map<String, Value>> = serde_saphyr::from_str(&yaml).unwrap();
    let (header, rows) = table(&toezeggingen);
    let register = workbook("Toezeggingen", &header, &rows);

    let mut csv = csv::Reader::from_path(dir.join("financien/middelen.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<Value>> = csv
        .records()
        .map(|row| {
            header
                .iter()
                .zip(row.unwrap().iter())
                .map(|(field, cell)| match (field.as_str(), cell) {
                    (_, "") => Value::Null,
                    ("jaar" | "looptijd_tot", n) => Value::from(n.parse::<i64>().unwrap()),
                    ("bedrag_mln", n) => Value::from(n.parse::<f64>().unwrap()),
                    ("structureel", b) => Value::Bool(matches!(b, "ja" | "true")),
                    (_, text) => Value::from(text),
                })
                .collect()
        })
        .collect();
    let budget = workbook("Middelen", &header, &rows);
    vec![
        ("kamer/toezeggingen.xlsx", register),
        ("financien/middelen.xlsx", budget),
    ]
}

/// The checked-in workbooks are what their sources give (regenerate with
/// `NALEVING_BLESS=1 cargo test reference_workbooks`).
#[test]
fn reference_workbooks_are_current() {
    for (path, bytes) in reference_workbooks() {
        let file = root().join("fixtures/ghnt").join(path);
        if std::env::var_os("NALEVING_BLESS").is_some() {
            std::fs::write(&file, &bytes).unwrap();
            continue;
        }
        let on_disk = std::fs::read(&file).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "{path} is not what its source gives; run `NALEVING_BLESS=1 cargo test reference_workbooks`"
        );
    }
}

/// The main job reads the commitments from the workbook and places their
/// findings at cells: in JSON (`sheet`, `cell`), SARIF (a region at the row,
/// `sheet` and `cell` in the result's properties) and the human format.
#[test]
fn commitment_findings_are_located_at_cells() {
    let (_, report) = json_report(&root(), &["--collection", "toezeggingen"]);
    let located: Vec<(String, String, Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["collection"] == "toezeggingen")
        .map(|f| {
            (
                f["record"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["cell"].clone(),
            )
        })
        .collect();
    assert!(!located.is_empty(), "{report:#}");
    for (record, path, cell) in &located {
        assert_eq!(path, "fixtures/ghnt/kamer/toezeggingen.xlsx", "{record}");
        let cell = cell.as_str().unwrap_or_default();
        assert!(cell.starts_with("Toezeggingen!"), "{record}: {cell}");
    }
    let (_, sarif, _) = run(crate::support::naleving().args([
        "check",
        "--collection",
        "toezeggingen",
        "--format",
        "sarif",
    ]));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let first = &sarif["runs"][0]["results"][0];
    assert!(
        first["properties"]["cell"]
            .as_str()
            .is_some_and(|c| c.starts_with("Toezeggingen!")),
        "{first:#}"
    );
    let row = first["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
    assert!(row.is_some_and(|r| r >= 2));
    let (_, human, _) =
        run(crate::support::naleving().args(["check", "--collection", "toezeggingen"]));
    assert!(
        human.contains("in fixtures/ghnt/kamer/toezeggingen.xlsx, Toezeggingen!"),
        "{human}"
    );
    let (_, html, _) = run(crate::support::naleving().args([
        "check",
        "--collection",
        "toezeggingen",
        "--format",
        "html",
    ]));
    assert!(
        html.contains("<code>fixtures/ghnt/kamer/toezeggingen.xlsx, Toezeggingen!K3</code>"),
        "the HTML names the cell"
    );
    let (_, junit, _) = run(crate::support::naleving().args([
        "check",
        "--collection",
        "toezeggingen",
        "--format",
        "junit",
    ]));
    assert!(
        junit.contains("message=\"fixtures/ghnt/kamer/toezeggingen.xlsx, Toezeggingen!K9: "),
        "the JUnit failure names the cell: {junit}"
    );
    // The record's row, cell by cell, instead of source lines.
    assert!(
        human.contains("rij: A3 nummer: GHNT-2020-02 · B3 gedaan_op: 2020-06-26"),
        "{human}"
    );
}

/// A project with one collection `m` read from the workbook `bytes`, with
/// extra collection options, and one rule requiring `code`.
fn sheet_project(bytes: &[u8], options: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        format!(
            "as_of: 2021-01-15\ncollections:\n  m: {{ path: m.xlsx, key: id{options} }}\nrules: [rules]\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join("m.xlsx"), bytes).unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(
        root.join("rules/code.yaml"),
        "id: code\ntitle: t\nseverity: error\ncollection: m\n\
         basis: [{ citation: \"x\" }]\ncheck: { required: { fields: [code] } }\n",
    )
    .unwrap();
    dir
}

fn problems(dir: &Path) -> Vec<(String, String, u64, u64)> {
    problems_of(dir, &[]).1
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The header and rows of a sheet whose cells have types: a number, a
/// date, a boolean, and an empty `code` in the second row.
const TYPED_HEADER: [&str; 5] = ["id", "code", "n", "op", "ok"];

fn typed_rows() -> Vec<Vec<Value>> {
    vec![
        vec![
            Value::from("a"),
            Value::from("x"),
            Value::from(3.0),
            Value::from("2020-06-15"),
            Value::Bool(true),
        ],
        vec![
            Value::from("b"),
            Value::Null,
            Value::from(2.5),
            Value::from("2020-02-29"),
            Value::Bool(false),
        ],
    ]
}

/// A rule that holds when record `a`'s cells kept their types.
const TYPED_RULE: &str = "id: typen\ntitle: t\nseverity: error\ncollection: m\nbasis: [{ citation: \"x\" }]\n\
     check: { expr: \"record.id != 'a' || (record.n == 3 && record.op == '2020-06-15' && record.ok)\" }\n";

/// Cell types are kept: a whole number is an integer, a date cell an ISO
/// date, a boolean a boolean; an empty cell is an absent field, so
/// `required` finds it missing, at its cell.
#[test]
fn cells_keep_their_types_and_findings_name_the_cell() {
    let bytes = workbook("Blad1", &header(&TYPED_HEADER), &typed_rows());
    let dir = sheet_project(&bytes, "");
    std::fs::write(dir.path().join("rules/typen.yaml"), TYPED_RULE).unwrap();
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["rule"], "code");
    assert_eq!(findings[0]["record"], "b");
    assert_eq!(findings[0]["location"]["sheet"], "Blad1");
    assert_eq!(findings[0]["location"]["cell"], "Blad1!B3");
    assert_eq!(findings[0]["location"]["line"], 3);
    assert_eq!(findings[0]["location"]["column"], 2);
}

/// Each bad workbook is its own located problem, with the message pinned:
/// a sheet that does not exist (with the closest name), a file that is no
/// workbook, a formula whose value is an error, a repeated or empty header
/// name over values, `header_row` pointing at an empty row.
#[test]
fn bad_workbooks_are_located_problems() {
    let good = workbook(
        "Blad1",
        &header(&["id", "code"]),
        &[vec![Value::from("a"), Value::from("x")]],
    );
    let dir = sheet_project(&good, ", sheet: blad1");
    assert_eq!(
        problems(dir.path()),
        [(
            "data::read".to_string(),
            "the workbook has no sheet `blad1`; did you mean `Blad1`?".to_string(),
            0,
            0
        )]
    );

    let dir = sheet_project(b"PK\x03\x04 not a workbook", "");
    let found = problems(dir.path());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "data::read");
    assert!(
        found[0].1.starts_with("cannot read the workbook: "),
        "{found:?}"
    );

    let rows = vec![
        vec![
            Value::from("a"),
            Value::from("=1/0|#DIV/0!"),
            Value::from(1),
            Value::from(2),
        ],
        vec![
            Value::from("b"),
            Value::from("y"),
            Value::from(1),
            Value::from(2),
        ],
    ];
    let bytes = workbook("Blad1", &header(&["id", "code", "id", ""]), &rows);
    let dir = sheet_project(&bytes, "");
    let problem = |code: &str, message: &str, line, column| {
        (code.to_string(), message.to_string(), line, column)
    };
    assert_eq!(
        problems(dir.path()),
        [
            problem(
                "data::parse",
                "header cell Blad1!C1 repeats the name `id`: its column is not read",
                1,
                3
            ),
            problem(
                "data::parse",
                "header cell Blad1!D1 is empty (a merged cell?): its column is not read",
                1,
                4
            ),
            problem(
                "data::cell",
                "cell Blad1!B2 holds the error value #DIV/0!",
                2,
                2
            ),
        ]
    );

    let dir = sheet_project(&good, ", header_row: 5");
    assert_eq!(
        problems(dir.path()),
        [problem(
            "data::empty",
            "sheet `Blad1` has no header in row 5",
            0,
            0
        )]
    );

    // `sheet:` on a file that is not a spreadsheet is an error at the option.
    let dir = sheet_project(&good, ", sheet: Blad1");
    let project = std::fs::read_to_string(dir.path().join("naleving.yaml")).unwrap();
    std::fs::write(
        dir.path().join("naleving.yaml"),
        project.replace("m.xlsx", "m.csv"),
    )
    .unwrap();
    std::fs::write(dir.path().join("m.csv"), "id,code\na,x\n").unwrap();
    let (code, _, _) = run(naleving_in(dir.path()).arg("check"));
    assert_eq!(code, 2);
    let found = problems(dir.path());
    assert_eq!(
        found[0].1,
        "collection `m`: `sheet` applies to a spreadsheet path (.xlsx, .xlsm, .xlsb, .xls, .ods) only"
    );
}

/// A declared type wins over the cell's: a text cell `01-06-2020` in a
/// `date` column is a `data::type` problem at its cell, never a silent text.
#[test]
fn a_declared_type_wins_over_the_cell() {
    let rows = vec![
        vec![
            Value::from("a"),
            Value::from("x"),
            Value::from("2020-06-15"),
        ],
        vec![
            Value::from("b"),
            Value::from("y"),
            Value::from("01-06-2020"),
        ],
    ];
    let bytes = workbook("Blad1", &header(&["id", "code", "op"]), &rows);
    let dir = sheet_project(&bytes, ", types: { op: date }");
    assert_eq!(
        problems(dir.path()),
        [(
            "data::type".to_string(),
            "record `b`: `op` is not a date written YYYY-MM-DD (cell Blad1!C3)".to_string(),
            3,
            3
        )]
    );
}

/// A full-height sheet (1,048,576 rows, 17 columns: more cells than an
/// .xls or .ods may have) is read a row at a time, its size whatever it
/// declares: the record in its last row is judged, at its cell, and the
/// value in a column without a header is a problem, not a field.
#[test]
fn a_full_height_sheet_is_read_a_row_at_a_time() {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2020, 6, 26).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(0, 1, "code").unwrap();
    sheet.write_string(1, 0, "a").unwrap();
    sheet.write_string(1, 1, "x").unwrap();
    sheet.write_string(1_048_575, 0, "z").unwrap();
    sheet.write_string(1_048_575, 16, "x").unwrap();
    let dir = sheet_project(&book.save_to_buffer().unwrap(), "");
    let (_, report) = json_report(dir.path(), &[]);
    let problems: Vec<(&str, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [(
            "data::parse",
            "header cell Sheet1!Q1 is empty (a merged cell?): its column is not read"
        )]
    );
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["record"], "z");
    assert_eq!(findings[0]["location"]["cell"], "Sheet1!B1048576");
}

/// `range:` reads a table that does not start at A1 and has notes around
/// it: the header is the range's first row, cells outside it are not read
/// (no problem for the note right of the header, no record for the totals
/// row below), and findings still name the sheet's own cells.
#[test]
fn a_range_reads_the_table_within_it() {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2020, 6, 26).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "Register van toezeggingen")
        .unwrap();
    sheet.write_string(2, 1, "id").unwrap();
    sheet.write_string(2, 2, "code").unwrap();
    sheet.write_string(3, 1, "a").unwrap();
    sheet.write_string(3, 2, "x").unwrap();
    sheet.write_string(3, 5, "noot zonder kop").unwrap();
    sheet.write_string(4, 1, "b").unwrap();
    sheet.write_string(6, 1, "totaal").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let dir = sheet_project(&bytes, ", range: B3:C5");
    let (_, report) = json_report(dir.path(), &[]);
    assert_eq!(report["problems"], serde_json::json!([]));
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["record"], "b");
    assert_eq!(findings[0]["location"]["cell"], "Sheet1!C5");
    assert_eq!(report["summary"]["records"], 2);

    // A range that is none, one naming a sheet, and a header row outside
    // the range: each located at the option in the project file.
    for (options, message) in [
        (
            ", range: B3-C5",
            "collection `m`: `B3-C5` is no cell range: a range is two cells, the top left and the bottom right, e.g. `A1:F200`",
        ),
        (
            ", range: \"Blad1!B3:C5\"",
            "collection `m`: `Blad1!B3:C5` names a sheet: name it with `sheet:`, and write the range as e.g. `A1:F200`",
        ),
        (
            ", range: C5:B3",
            "collection `m`: `C5:B3` ends above or left of where it starts: a range is two cells, the top left and the bottom right, e.g. `A1:F200`",
        ),
        (
            ", range: B3:C5, header_row: 1",
            "collection `m`: `header_row` 1 is outside the range `B3:C5` (rows 3 to 5)",
        ),
    ] {
        let dir = sheet_project(&bytes, options);
        let found = problems(dir.path());
        let found: Vec<(&str, &str, u64)> = found
            .iter()
            .map(|(code, message, line, _)| (code.as_str(), message.as_str(), *line))
            .collect();
        assert_eq!(found, [("project::collections", message, 3)], "{options}");
    }
}

/// A minimal OpenDocument spreadsheet with sheet `Blad1`: its rows of
/// cells, each `(value type, attribute value, text)` (`None`: empty).
fn ods(rows: &[Vec<Option<(&str, &str)>>]) -> Vec<u8> {
    use std::io::Write;
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for cell in row {
            match cell {
                None => table.push_str("<table:table-cell/>"),
                Some(("string", text)) => table.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>"
                )),
                Some(("date", date)) => table.push_str(&format!(
                    "<table:table-cell office:value-type=\"date\" office:date-value=\"{date}\"><text:p>{date}</text:p></table:table-cell>"
                )),
                Some(("boolean", b)) => table.push_str(&format!(
                    "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"{b}\"><text:p>{b}</text:p></table:table-cell>"
                )),
                Some((kind, value)) => table.push_str(&format!(
                    "<table:table-cell office:value-type=\"{kind}\" office:value=\"{value}\"><text:p>{value}</text:p></table:table-cell>"
                )),
            }
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Blad1\">{table}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
         <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
         <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
         </manifest:manifest>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An .ods and an .xlsm are collections like an .xlsx: types kept (a
/// float, a date, a boolean), an empty cell an absent field found missing
/// at its cell.
#[test]
fn ods_and_xlsm_are_read_like_xlsx() {
    let rows = vec![
        vec![
            Some(("string", "id")),
            Some(("string", "code")),
            Some(("string", "n")),
            Some(("string", "op")),
            Some(("string", "ok")),
        ],
        vec![
            Some(("string", "a")),
            Some(("string", "x")),
            Some(("float", "3")),
            Some(("date", "2020-06-15")),
            Some(("boolean", "true")),
        ],
        vec![
            Some(("string", "b")),
            None,
            Some(("float", "2.5")),
            Some(("date", "2020-02-29")),
            Some(("boolean", "false")),
        ],
    ];
    let xlsx = workbook("Blad1", &header(&TYPED_HEADER), &typed_rows());
    for (file, bytes) in [("m.ods", ods(&rows)), ("m.xlsm", xlsx)] {
        let dir = sheet_project(&[], "");
        let project = dir.path().join("naleving.yaml");
        let text = std::fs::read_to_string(&project).unwrap();
        std::fs::write(&project, text.replace("m.xlsx", file)).unwrap();
        std::fs::remove_file(dir.path().join("m.xlsx")).unwrap();
        std::fs::write(dir.path().join(file), bytes).unwrap();
        std::fs::write(dir.path().join("rules/typen.yaml"), TYPED_RULE).unwrap();
        let (_, report) = json_report(dir.path(), &[]);
        assert_eq!(report["problems"], serde_json::json!([]), "{file}");
        let findings: Vec<(&str, &str, &str)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap(),
                    f["record"].as_str().unwrap(),
                    f["location"]["cell"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(findings, [("code", "b", "Blad1!B3")], "{file}");
    }
}

/// Fingerprints do not depend on where a record's row is: the same rows in
/// another order give the same fingerprints (and other cells).
#[test]
fn fingerprints_do_not_depend_on_row_order() {
    let row = |id: &str| vec![Value::from(id), Value::Null];
    let prints = |rows: &[Vec<Value>]| {
        let bytes = workbook("Blad1", &header(&["id", "code"]), rows);
        let dir = sheet_project(&bytes, "");
        let (_, report) = json_report(dir.path(), &[]);
        let mut found: Vec<(String, String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["record"].as_str().unwrap().to_string(),
                    f["fingerprint"].as_str().unwrap().to_string(),
                    f["location"]["cell"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let forward = prints(&[row("a"), row("b")]);
    let backward = prints(&[row("b"), row("a")]);
    assert_eq!(forward.len(), 2);
    for (f, b) in forward.iter().zip(&backward) {
        assert_eq!((&f.0, &f.1), (&b.0, &b.1));
        assert_ne!(f.2, b.2, "the rows did move");
    }
}

/// A cell beyond the last column a sheet can have (XFD) is a damaged or
/// crafted file: a located problem, never a row of that width in memory.
#[test]
fn a_cell_beyond_the_last_column_is_refused() {
    use std::io::Write;
    let files = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>",
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        ),
        (
            "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Blad1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
        ),
        (
            "xl/worksheets/sheet1.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c><c r=\"ZZZZ1\" t=\"inlineStr\"><is><t>ver</t></is></c></row></sheetData></worksheet>",
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in files {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let dir = sheet_project(&bytes, "");
    let found = problems(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "data::read");
    assert_eq!(
        found[0].1,
        "cannot read sheet `Blad1`: cell ZZZZ1 lies beyond the last column a sheet can have (XFD)"
    );
}
