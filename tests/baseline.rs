//! Baselines on a temporary copy of the reference project: writing one,
//! surviving reordered, reformatted and moved data, and reporting only new
//! findings while counting the fixed and still-present ones.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::support::{
    json_report, naleving_in, reference_copy, reference_counts, root, rule_records, run,
};

/// Writes `baseline.json` in the copy and returns its parsed content.
fn write_baseline(dir: &Path) -> Value {
    let (code, stdout, stderr) =
        run(naleving_in(dir).args(["baseline", "write", "baseline.json", "--lang", "en"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "wrote {} findings to baseline.json (as of 2021-01-15)\n",
            reference_counts().0
        )
    );
    serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap()
}

fn with_baseline(dir: &Path, args: &[&str]) -> (i32, Value) {
    json_report(dir, &[&["--baseline", "baseline.json"], args].concat())
}

fn edit(dir: &Path, file: &str, change: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(text)).unwrap();
}

const MELDINGEN: &str = "fixtures/ghnt/veilig-thuis/meldingen.jsonl";

#[test]
fn baseline_write_records_fingerprints_and_nothing_else() {
    let dir = reference_copy();
    let baseline = write_baseline(dir.path());
    assert_eq!(baseline["version"], 2);
    assert_eq!(baseline["as_of"], "2021-01-15");
    let entries = baseline["entries"].as_array().unwrap();
    for entry in entries {
        let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
        // A group finding (an aggregate) also keeps what it measured: its
        // `let` values (counts and sums, not record values) and its measure.
        let better = match entry["rule"].as_str().unwrap() {
            "veiligheidsbeoordeling-norm-regio" | "onderzoek-norm-regio" => "higher",
            "verdeling-telt-niet-op" | "structurele-reeks-onderbroken" => "lower",
            _ => {
                assert_eq!(keys, ["fingerprint", "rule", "record"]);
                continue;
            }
        };
        assert_eq!(keys, ["fingerprint", "rule", "record", "values", "measure"]);
        assert!(entry["values"].is_object(), "{entry}");
        assert!(entry["measure"]["value"].is_number(), "{entry}");
        assert_eq!(entry["measure"]["better"], better);
    }
    // Sorted by rule, record and fingerprint, so the file diffs well.
    let order: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("rule"), s("record"), s("fingerprint"))
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // The same fingerprints as the report, and no messages or field values.
    let (_, report) = json_report(dir.path(), &[]);
    let mut prints: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    let mut recorded: Vec<&str> = order.iter().map(|o| o.2.as_str()).collect();
    prints.sort();
    recorded.sort();
    assert_eq!(prints, recorded);
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(!text.contains("Veiligheidsbeoordeling"));
    assert!(!text.contains("2020-06-09"));
    // Written atomically: nothing but the baseline is left next to it.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "baseline.json",
            "fixtures",
            "naleving.yaml",
            "plugins",
            "rules"
        ]
    );
    // Writing again gives the same bytes.
    write_baseline(dir.path());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("baseline.json")).unwrap(),
        text
    );
}

#[test]
fn unchanged_data_has_no_new_findings() {
    let dir = reference_copy();
    write_baseline(dir.path());
    let (code, report) = with_baseline(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["findings"], Value::Array(Vec::new()));
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({ "path": "baseline.json", "new": 0, "changed": 0, "fixed": 0, "still_present": reference_counts().0, "fail_on_changed": false })
    );
}

/// Reordering records, reformatting files and moving lines changes no
/// fingerprint: still zero new findings.
#[test]
fn baseline_survives_reordering_reformatting_and_moving_lines() {
    let dir = reference_copy();
    write_baseline(dir.path());
    let (_, before) = json_report(dir.path(), &[]);
    // JSONL: records reversed, blank lines between them.
    edit(dir.path(), MELDINGEN, |text| {
        let mut lines: Vec<&str> = text.lines().collect();
        lines.reverse();
        format!("\n{}\n", lines.join("\n\n"))
    });
    // JSON: reformatted from pretty to one line per record, order reversed.
    edit(dir.path(), "fixtures/ghnt/kamer/moties.json", |text| {
        let mut records: Vec<Value> = serde_json::from_str(&text).unwrap();
        records.reverse();
        let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
        format!("[\n{}\n]\n", lines.join(",\n"))
    });
    // YAML: comments and blank lines move every record down.
    edit(
        dir.path(),
        "fixtures/ghnt/kamer/toezeggingen.yaml",
        |text| {
            format!(
                "# moved\n\n\n{}",
                text.replace("\n- nummer", "\n\n# --\n- nummer")
            )
        },
    );
    // CSV: data rows in reverse order.
    edit(dir.path(), "fixtures/ghnt/financien/middelen.csv", |text| {
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        lines.reverse();
        format!("{header}\n{}\n", lines.join("\n"))
    });
    let (_, after) = json_report(dir.path(), &[]);
    let line_of = |r: &Value| -> Vec<u64> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["location"]["line"].as_u64().unwrap())
            .collect()
    };
    assert_ne!(
        line_of(&before),
        line_of(&after),
        "the edits moved findings"
    );
    assert_ne!(before["data_digest"], after["data_digest"]);

    let (code, report) = with_baseline(dir.path(), &[]);
    assert_eq!(report["findings"], Value::Array(Vec::new()), "{report:#}");
    assert_eq!(
        report["summary"]["baseline"]["still_present"],
        reference_counts().0
    );
    assert_eq!(report["summary"]["baseline"]["fixed"], 0);
    assert_eq!(code, 0);
}

/// A record with a late safety assessment, added to the data: exactly one
/// new finding, and the run fails on it alone. Its region's half year
/// (Haaglanden 2020-H1, 1 of 2 on time) gets worse too: 1 of 3, reported
/// as changed, not failing the run.
#[test]
fn a_new_violation_is_the_only_finding() {
    let dir = reference_copy();
    write_baseline(dir.path());
    edit(dir.path(), MELDINGEN, |text| {
        format!(
            "{{\"id\":\"VT-HGL-2020-0099\",\"regio\":\"Haaglanden\",\"soort\":\"melding\",\"ontvangen_op\":\"2020-06-15\",\"veiligheidsbeoordeling_op\":\"2020-06-24\",\"terugkoppeling_op\":\"2020-06-26\",\"melder\":\"politie\",\"aard\":\"partnergeweld\"}}\n{text}"
        )
    });
    let (code, report) = with_baseline(dir.path(), &[]);
    assert_eq!(
        rule_records(&report),
        [
            (
                "veiligheidsbeoordeling-norm-regio".to_string(),
                "regio=Haaglanden, periode=2020-H1".to_string()
            ),
            (
                "veiligheidsbeoordeling-te-laat".to_string(),
                "VT-HGL-2020-0099".to_string()
            )
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({ "path": "baseline.json", "new": 1, "changed": 1, "fixed": 0, "still_present": reference_counts().0 - 1, "fail_on_changed": false })
    );
}

/// Fixing a record removes its finding: counted as fixed, nothing new. (The
/// fix also lifts Haaglanden 2020-H1 over the regional 90% norm: two fixed.)
#[test]
fn a_fixed_finding_is_counted() {
    let dir = reference_copy();
    write_baseline(dir.path());
    edit(dir.path(), MELDINGEN, |text| {
        text.replace(
            "\"id\":\"VT-HGL-2020-0002\",\"regio\":\"Haaglanden\",\"soort\":\"melding\",\"ontvangen_op\":\"2020-05-29\",\"veiligheidsbeoordeling_op\":\"2020-06-09\"",
            "\"id\":\"VT-HGL-2020-0002\",\"regio\":\"Haaglanden\",\"soort\":\"melding\",\"ontvangen_op\":\"2020-05-29\",\"veiligheidsbeoordeling_op\":\"2020-06-08\"",
        )
    });
    let (code, report) = with_baseline(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["findings"], Value::Array(Vec::new()));
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({ "path": "baseline.json", "new": 0, "changed": 0, "fixed": 2, "still_present": reference_counts().0 - 2, "fail_on_changed": false })
    );
}

/// Entries of rules that did not run (`--rule`) are not counted as fixed.
#[test]
fn rule_filters_do_not_fix_anything() {
    let dir = reference_copy();
    write_baseline(dir.path());
    let (code, report) = with_baseline(dir.path(), &["--rule", "veiligheidsbeoordeling-te-laat"]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["baseline"]["fixed"], 0);
    let (_, only) = json_report(dir.path(), &["--rule", "veiligheidsbeoordeling-te-laat"]);
    assert_eq!(
        report["summary"]["baseline"]["still_present"],
        only["summary"]["findings"]
    );
}

/// The new/fixed/still-present counts appear in the summary of every format.
#[test]
fn baseline_counts_in_every_format() {
    let dir = reference_copy();
    write_baseline(dir.path());
    edit(dir.path(), MELDINGEN, |text| {
        text.replace(
            "\"veiligheidsbeoordeling_op\":\"2020-06-09\"",
            "\"veiligheidsbeoordeling_op\":\"2020-06-08\"",
        )
    });
    // The fix also lifts Haaglanden 2020-H1 over the regional 90% norm.
    let n = reference_counts().0 - 2;
    let expect = [
        (
            "human",
            format!("baseline baseline.json: 0 nieuw, 0 gewijzigd, 2 opgelost, {n} nog aanwezig"),
        ),
        (
            "github",
            format!("baseline baseline.json: 0 new, 0 changed, 2 fixed, {n} still present"),
        ),
        ("json", format!("\"still_present\": {n}")),
        ("sarif", format!("\"still_present\": {n}")),
        (
            "junit",
            "<property name=\"baseline.fixed\" value=\"2\"/>".to_string(),
        ),
        (
            "html",
            format!(
                "0 nieuwe en 0 gewijzigde bevindingen (hieronder), 2 opgelost, {n} nog aanwezig"
            ),
        ),
    ];
    for (format, text) in expect {
        let (code, stdout, stderr) = run(naleving_in(dir.path()).args([
            "check",
            "--format",
            format,
            "--baseline",
            "baseline.json",
        ]));
        assert_eq!(code, 0, "{format}: {stderr}");
        assert!(stdout.contains(text.as_str()), "{format}: {stdout}");
    }
}

#[test]
fn a_broken_baseline_is_an_unusable_input() {
    let dir = reference_copy();
    std::fs::write(
        dir.path().join("baseline.json"),
        "{\n  \"version\": 1,\n  \"entries\": [}\n",
    )
    .unwrap();
    let (code, report) = with_baseline(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["problems"][0]["code"], "baseline::parse");
    assert_eq!(report["problems"][0]["at"]["line"], 3);
    // Every finding is still reported.
    assert_eq!(
        report["findings"].as_array().unwrap().len() as u64,
        reference_counts().0
    );
    let (code, report) = json_report(dir.path(), &["--baseline", "bestaat-niet.json"]);
    assert_eq!(code, 2);
    assert_eq!(report["problems"][0]["code"], "baseline::read");
}

/// A check that could not be completed writes no baseline.
#[test]
fn baseline_write_refuses_a_check_with_unusable_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("baseline.json");
    let (code, _, stderr) = run(naleving_in(&root().join("fixtures/bad")).args([
        "baseline",
        "write",
        file.to_str().unwrap(),
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("de baseline is niet geschreven"),
        "Dutch by default: {stderr}"
    );
    assert!(!file.exists());
}

#[test]
fn baseline_summary_in_the_human_output() {
    let dir = reference_copy();
    write_baseline(dir.path());
    edit(dir.path(), MELDINGEN, |text| {
        text.replace(
            "\"veiligheidsbeoordeling_op\":\"2020-06-09\"",
            "\"veiligheidsbeoordeling_op\":\"2020-06-10\"",
        )
    });
    // The finding's message changes (2 working days late) but not its
    // fingerprint: still present, nothing new.
    assert_cmd_snapshot!(naleving_in(dir.path()).args(["check", "--baseline", "baseline.json"]));
}

/// A melding of Amsterdam-Amstelland, 2020, received on `received` and
/// assessed on `assessed`: one more record in the region's 2020-H1 group,
/// which the reference data has at 2 of 3 assessed within 5 working days.
fn one_more_in_amsterdam(dir: &Path, received: &str, assessed: &str) {
    edit(dir, MELDINGEN, |text| {
        format!(
            "{text}{{\"id\":\"VT-AA-2020-0099\",\"regio\":\"Amsterdam-Amstelland\",\"soort\":\"melding\",\"ontvangen_op\":\"{received}\",\"veiligheidsbeoordeling_op\":\"{assessed}\",\"melder\":\"politie\",\"aard\":\"partnergeweld\"}}\n"
        )
    });
}

const NORM: &[&str] = &["--rule", "veiligheidsbeoordeling-norm-regio"];

/// Issue #19, item 7: a norm group that gets worse keeps its fingerprint —
/// 2 of 3 on time becomes 2 of 4 — and is reported as changed, with what it
/// measured in the baseline, instead of hidden as still present. It fails
/// the run only with `--fail-on-changed`.
#[test]
fn a_group_that_got_worse_is_changed() {
    let dir = reference_copy();
    write_baseline(dir.path());
    one_more_in_amsterdam(dir.path(), "2020-06-01", "2020-06-20");
    let (code, report) = with_baseline(dir.path(), &[NORM, &["--fail-on", "warning"]].concat());
    assert_eq!(code, 0, "changed findings do not fail the run by default");
    assert_eq!(
        rule_records(&report),
        [(
            "veiligheidsbeoordeling-norm-regio".to_string(),
            "regio=Amsterdam-Amstelland, periode=2020-H1".to_string()
        )]
    );
    let finding = &report["findings"][0];
    assert_eq!(
        finding["details"]["values"],
        serde_json::json!({ "totaal": 4, "op_tijd": 2 })
    );
    assert_eq!(finding["details"]["measure"]["value"], 50.0);
    assert_eq!(
        finding["changed"]["values"],
        serde_json::json!({ "totaal": 3, "op_tijd": 2 })
    );
    assert!((finding["changed"]["measure"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({ "path": "baseline.json", "new": 0, "changed": 1, "fixed": 0, "still_present": 2, "fail_on_changed": false })
    );
    assert_eq!(report["summary"]["failing"], 0);

    let (code, report) = with_baseline(
        dir.path(),
        &[NORM, &["--fail-on", "warning", "--fail-on-changed"]].concat(),
    );
    assert_eq!(code, 1, "--fail-on-changed gates it");
    assert_eq!(report["summary"]["failing"], 1);
    assert_eq!(report["summary"]["baseline"]["fail_on_changed"], true);
    // Still below --fail-on: a warning does not fail at the default level.
    let (code, _) = with_baseline(dir.path(), &[NORM, &["--fail-on-changed"]].concat());
    assert_eq!(code, 0);
}

/// A group that improved but still misses the norm (2 of 3 → 3 of 4) is not
/// worse: still present, not reported.
#[test]
fn a_group_that_improved_is_still_present() {
    let dir = reference_copy();
    write_baseline(dir.path());
    one_more_in_amsterdam(dir.path(), "2020-06-01", "2020-06-03");
    let (code, report) = with_baseline(
        dir.path(),
        &[NORM, &["--fail-on", "warning", "--fail-on-changed"]].concat(),
    );
    assert_eq!(code, 0);
    assert_eq!(report["findings"], Value::Array(Vec::new()), "{report:#}");
    assert_eq!(report["summary"]["baseline"]["still_present"], 3);
    assert_eq!(report["summary"]["baseline"]["changed"], 0);
}

/// Without a `measure`, naleving cannot tell worse from better: any change
/// in the group's values is reported as changed, and says so.
#[test]
fn a_group_without_a_measure_is_changed_by_any_change() {
    let dir = reference_copy();
    let rule = "rules/veilig-thuis/veiligheidsbeoordeling-norm-regio.yaml";
    edit(dir.path(), rule, |text| {
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("measure:"))
            .collect();
        assert_ne!(kept.len(), text.lines().count(), "the rule had a measure");
        kept.join("\n") + "\n"
    });
    write_baseline(dir.path());
    one_more_in_amsterdam(dir.path(), "2020-06-01", "2020-06-03");
    let (_, report) = with_baseline(dir.path(), &[NORM, &["--lang", "en"]].concat());
    assert_eq!(report["summary"]["baseline"]["changed"], 1, "{report:#}");
    let finding = &report["findings"][0];
    assert_eq!(
        finding["changed"],
        serde_json::json!({ "values": { "totaal": 3, "op_tijd": 2 } })
    );
    let (_, stdout, _) = run(naleving_in(dir.path()).args(
        [
            &["check", "--lang", "en", "--baseline", "baseline.json"],
            NORM,
        ]
        .concat(),
    ));
    assert!(
        stdout.contains(
            "since the baseline: changed (no measure on both sides says which way is better)"
        ),
        "{stdout}"
    );
}

/// A version 1 baseline (no group values) is still read: its groups can
/// only be still present or fixed.
#[test]
fn a_version_1_baseline_is_read() {
    let dir = reference_copy();
    write_baseline(dir.path());
    let path = dir.path().join("baseline.json");
    let mut baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    baseline["version"] = 1.into();
    for entry in baseline["entries"].as_array_mut().unwrap() {
        let entry = entry.as_object_mut().unwrap();
        entry.remove("values");
        entry.remove("measure");
    }
    std::fs::write(&path, serde_json::to_string_pretty(&baseline).unwrap()).unwrap();
    one_more_in_amsterdam(dir.path(), "2020-06-01", "2020-06-20");
    let (code, report) = with_baseline(dir.path(), NORM);
    assert_eq!(code, 0);
    assert_eq!(report["findings"], Value::Array(Vec::new()));
    assert_eq!(report["summary"]["baseline"]["still_present"], 3);
}

/// The changed finding in every format: marked, with what it measured in
/// the baseline, and the count in the summary.
#[test]
fn a_changed_finding_in_every_format() {
    let dir = reference_copy();
    write_baseline(dir.path());
    one_more_in_amsterdam(dir.path(), "2020-06-01", "2020-06-20");
    let expect: [(&str, &[&str]); 6] = [
        (
            "human",
            &[
                "(gewijzigd sinds de baseline)",
                "sinds de baseline: verslechterd",
                "totaal: 3 → 4",
                "maat: 66.67 → 50",
                "baseline baseline.json: 0 nieuw, 1 gewijzigd, 0 opgelost, 2 nog aanwezig",
            ],
        ),
        (
            "github",
            &[
                "title=veiligheidsbeoordeling-norm-regio (changed since the baseline)",
                "since the baseline: worse",
                "baseline baseline.json: 0 new, 1 changed, 0 fixed, 2 still present",
            ],
        ),
        ("json", &["\"changed\": {", "\"changed\": 1,"]),
        (
            "sarif",
            &["\"baselineState\": \"updated\"", "\"changed\": {"],
        ),
        (
            "junit",
            &[
                "changed since the baseline: ",
                "<property name=\"baseline_state\" value=\"changed\"/>",
                "<property name=\"baseline.changed\" value=\"1\"/>",
            ],
        ),
        (
            "html",
            &[
                "<span class=\"badge\">gewijzigd sinds de baseline</span>",
                "0 nieuwe en 1 gewijzigde bevindingen (hieronder)",
                "totaal: 3 → 4",
            ],
        ),
    ];
    for (format, texts) in expect {
        let (code, stdout, stderr) = run(naleving_in(dir.path()).args(
            [
                &["check", "--format", format, "--baseline", "baseline.json"],
                NORM,
            ]
            .concat(),
        ));
        assert_eq!(code, 0, "{format}: {stderr}");
        for text in texts {
            assert!(stdout.contains(text), "{format} lacks {text}: {stdout}");
        }
    }
    // The workbook: the fact in the finding's row, the counts on the run sheet.
    let (code, _, stderr) = run(naleving_in(dir.path()).args(
        [
            &[
                "check",
                "--format",
                "xlsx=r.xlsx",
                "--baseline",
                "baseline.json",
                "--fail-on-changed",
            ],
            NORM,
        ]
        .concat(),
    ));
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(dir.path().join("r.xlsx")).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let findings = crate::excel_report::sheet(&mut book, "Findings");
    let facts = crate::excel_report::get(&findings[0], "facts");
    assert!(facts.contains("since the baseline: worse"), "{facts}");
    assert!(
        !facts.contains("op_tijd: 2 →") && facts.contains("totaal: 3 → 4"),
        "{facts}"
    );
    let value = crate::excel_report::run_values(&mut book);
    let value = |name: &str| value(name).map(|v| v.to_string());
    assert_eq!(value("baseline changed").as_deref(), Some("1"));
    assert_eq!(value("baseline still present").as_deref(), Some("2"));
    assert_eq!(value("fail on changed").as_deref(), Some("true"));
}

/// A measure that cannot be computed for a group is not left out silently:
/// the finding says why, and a baseline compares the group's values.
#[test]
fn a_measure_that_cannot_be_computed_says_so() {
    let dir = reference_copy();
    let rule = "rules/veilig-thuis/veiligheidsbeoordeling-norm-regio.yaml";
    edit(dir.path(), rule, |text| {
        let changed = text.replace(
            "double(op_tijd) * 100.0 / double(totaal)",
            "double(op_tijd) / double(totaal - totaal)",
        );
        assert_ne!(changed, text, "the rule had its measure");
        changed
    });
    write_baseline(dir.path());
    let (_, report) = json_report(dir.path(), NORM);
    let measure = &report["findings"][0]["details"]["measure"];
    assert_eq!(measure["value"], Value::Null, "{measure}");
    assert_eq!(measure["error"], "`measure` is not a finite number");
    let (_, stdout, _) =
        run(naleving_in(dir.path()).args([&["check", "--lang", "en"], NORM].concat()));
    assert!(
        stdout.contains("measure: cannot be computed (`measure` is not a finite number)"),
        "{stdout}"
    );
    // Against the baseline: any change in the values is a change.
    one_more_in_amsterdam(dir.path(), "2020-06-01", "2020-06-03");
    let (_, report) = with_baseline(dir.path(), NORM);
    assert_eq!(report["summary"]["baseline"]["changed"], 1, "{report:#}");
}
