//! `--format xlsx=FILE` (issue #16, point 6): the workbook of the reference
//! run read back with calamine gives the JSON report's findings, rules and
//! summary; it is the same bytes for the same inputs, and it is never
//! written to standard output.

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

use crate::support::{naleving, reference_copy, run};

/// A sheet's rows, each cell as text (dates `yyyy-mm-dd`, numbers as
/// written), with the header's names.
pub(crate) fn sheet(
    book: &mut Xlsx<std::io::Cursor<Vec<u8>>>,
    name: &str,
) -> Vec<Vec<(String, String)>> {
    let range = book.worksheet_range(name).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    rows.map(|row| {
        row.iter()
            .zip(&header)
            .map(|(cell, name)| {
                let text = match cell {
                    Data::DateTime(when) => {
                        let (y, m, d, ..) = when.to_ymd_hms_milli();
                        format!("{y:04}-{m:02}-{d:02}")
                    }
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                };
                (name.clone(), text)
            })
            .collect()
    })
    .collect()
}

/// The Run sheet as a lookup: the value on the line a name heads.
pub(crate) fn run_values(
    book: &mut Xlsx<std::io::Cursor<Vec<u8>>>,
) -> impl Fn(&str) -> Option<Data> + use<> {
    let range = book.worksheet_range("Run").unwrap();
    move |name: &str| range.rows().find(|r| r[0] == name).map(|r| r[1].clone())
}

pub(crate) fn get<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    row.iter()
        .find(|(n, _)| n == name)
        .map_or_else(|| panic!("no column {name}"), |(_, v)| v.as_str())
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn the_workbook_reads_back_as_the_json_report() {
    let dir = reference_copy();
    let (xlsx, json) = (dir.path().join("r.xlsx"), dir.path().join("r.json"));
    let args = |x: &std::path::Path, j: &std::path::Path| {
        vec![
            "check".to_string(),
            "--format".to_string(),
            format!("xlsx={}", x.display()),
            "--format".to_string(),
            format!("json={}", j.display()),
        ]
    };
    let (code, _, _) = run(naleving().current_dir(dir.path()).args(args(&xlsx, &json)));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["Findings", "Rules", "Run"]);

    // Findings: one row each, in the JSON's order.
    let rows = sheet(&mut book, "Findings");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len());
    assert!(findings.len() > 30);
    let mut deadlines = 0;
    for (row, finding) in rows.iter().zip(findings) {
        for (column, key) in [
            ("rule", "rule"),
            ("severity", "severity"),
            ("collection", "collection"),
            ("record", "record"),
            ("field", "field"),
            ("message", "message"),
            ("fingerprint", "fingerprint"),
        ] {
            assert_eq!(
                get(row, column),
                text(&finding[key]),
                "{column} of {finding}"
            );
        }
        let location = &finding["location"];
        let place = match location["cell"].as_str() {
            Some(cell) => format!("{}, {cell}", location["path"].as_str().unwrap()),
            None => format!(
                "{}:{}:{}",
                location["path"].as_str().unwrap(),
                location["line"],
                location["column"]
            ),
        };
        assert_eq!(get(row, "location"), place);
        let details = &finding["details"];
        if details.get("due").is_some() && details.get("term").is_some() {
            deadlines += 1;
            for key in ["start", "term", "due", "late_by"] {
                let column = if key == "late_by" { "late by" } else { key };
                assert_eq!(get(row, column), text(&details[key]), "{key} of {finding}");
            }
            assert_eq!(get(row, "end"), text(&details["end"]));
        }
        let basis: Vec<&str> = finding["basis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["citation"].as_str().unwrap())
            .collect();
        assert_eq!(get(row, "basis"), basis.join("; "));
        assert_eq!(get(row, "beoordeling"), "");
        assert_eq!(get(row, "toelichting"), "");
    }
    assert!(deadlines >= 5, "{deadlines}");
    // Every fact behind a verdict, as lines of text.
    let norm = rows
        .iter()
        .find(|r| get(r, "rule") == "veiligheidsbeoordeling-norm-regio")
        .unwrap();
    assert!(
        get(norm, "facts").contains("\nnorm: totaal == 0 || op_tijd * 100 >= totaal * 90\n"),
        "{norm:?}"
    );

    // Rules: each with its counts.
    let rules = sheet(&mut book, "Rules");
    let entries = report["rules"].as_array().unwrap();
    assert_eq!(rules.len(), entries.len());
    for (row, rule) in rules.iter().zip(entries) {
        assert_eq!(get(row, "rule"), rule["id"].as_str().unwrap());
        for (column, key) in [
            ("records", "records"),
            ("judged", "judged"),
            ("not applicable", "not_applicable"),
            ("outside window", "outside_window"),
            ("findings", "findings"),
        ] {
            assert_eq!(
                get(row, column),
                rule[key].to_string(),
                "{column} of {rule}"
            );
        }
        assert_eq!(get(row, "valid from"), text(&rule["valid"]["from"]));
    }

    // Run: the date, the digests and the summary.
    let value = run_values(&mut book);
    let value = |name: &str| value(name).unwrap_or_else(|| panic!("no {name}"));
    assert_eq!(
        value("rules digest").to_string(),
        report["rules_digest"].as_str().unwrap()
    );
    assert_eq!(
        value("data digest").to_string(),
        report["data_digest"].as_str().unwrap()
    );
    for key in ["findings", "failing", "records", "problems"] {
        assert_eq!(
            value(key),
            Data::Float(report["summary"][key].as_f64().unwrap()),
            "{key}"
        );
    }

    // The same inputs give the same bytes.
    let again = dir.path().join("again.xlsx");
    let other = dir.path().join("again.json");
    run(naleving()
        .current_dir(dir.path())
        .args(args(&again, &other)));
    assert!(
        std::fs::read(&again).unwrap() == bytes,
        "the workbook differs between runs"
    );
}

#[test]
fn a_workbook_is_not_written_to_standard_output() {
    let (code, out, err) = run(naleving().args(["check", "--lang", "en", "--format", "xlsx"]));
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("an Excel workbook is not written to standard output: name its file, e.g. `--format xlsx=bevindingen.xlsx`"),
        "{err}"
    );
}

/// With `--group-by regio`: a *Groups* sheet counts the findings per
/// region, and each finding row names its region.
#[test]
fn a_group_by_field_gets_its_own_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, json) = (dir.path().join("r.xlsx"), dir.path().join("r.json"));
    let (code, _, err) = run(naleving().current_dir(crate::support::root()).args([
        "check",
        "--group-by",
        "regio",
        "--format",
        &format!("xlsx={}", xlsx.display()),
        "--format",
        &format!("json={}", json.display()),
    ]));
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(std::fs::read(&xlsx).unwrap())).unwrap();
    assert_eq!(book.sheet_names(), ["Findings", "Rules", "Groups", "Run"]);
    let groups = sheet(&mut book, "Groups");
    let drenthe = groups
        .iter()
        .find(|r| get(r, "regio") == "Drenthe")
        .unwrap();
    let expected = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["group"] == "Drenthe")
        .count();
    assert_eq!(get(drenthe, "findings"), expected.to_string());
    let rows = sheet(&mut book, "Findings");
    assert_eq!(
        rows.iter().filter(|r| get(r, "group") == "Drenthe").count(),
        expected
    );
}

/// What Excel cannot hold does not lose the workbook: a date before 1900 is
/// written as text, a message over 32,767 characters is cut (the JSON has
/// it whole).
#[test]
fn what_excel_cannot_hold_is_written_as_it_can() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        "as_of: 2021-01-15\ncollections:\n  m: { path: m.jsonl, key: id }\nrules: [rules]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("m.jsonl"),
        "{\"id\": \"oud\", \"begin\": \"1850-03-01\"}\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    let long = "x".repeat(40_000);
    std::fs::write(
        root.join("rules/oud.yaml"),
        format!(
            "id: oud\ntitle: t\nseverity: error\ncollection: m\nbasis: [{{ citation: c }}]\n\
             check: {{ deadline: {{ start: begin, end: eind, term: 5 dagen }} }}\nmessage: \"{long}\"\n"
        ),
    )
    .unwrap();
    let (code, _, err) =
        run(naleving()
            .current_dir(root)
            .args(["check", "--format", "xlsx=r.xlsx"]));
    assert_eq!(code, 1, "{err}");
    let mut book = Xlsx::new(std::io::Cursor::new(
        std::fs::read(root.join("r.xlsx")).unwrap(),
    ))
    .unwrap();
    let rows = sheet(&mut book, "Findings");
    assert_eq!(rows.len(), 1);
    assert_eq!(get(&rows[0], "start"), "1850-03-01");
    assert_eq!(get(&rows[0], "due"), "1850-03-06");
    assert_eq!(get(&rows[0], "message").chars().count(), 32_767);
    assert!(get(&rows[0], "message").ends_with('…'));
}
