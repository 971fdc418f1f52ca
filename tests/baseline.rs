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
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["as_of"], "2021-01-15");
    let entries = baseline["entries"].as_array().unwrap();
    for entry in entries {
        let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["fingerprint", "rule", "record"]);
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
        serde_json::json!({ "path": "baseline.json", "new": 0, "fixed": 0, "still_present": reference_counts().0 })
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
/// new finding, and the run fails on it alone.
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
        [(
            "veiligheidsbeoordeling-te-laat".to_string(),
            "VT-HGL-2020-0099".to_string()
        )]
    );
    assert_eq!(code, 1);
    assert_eq!(
        report["summary"]["baseline"],
        serde_json::json!({ "path": "baseline.json", "new": 1, "fixed": 0, "still_present": reference_counts().0 })
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
        serde_json::json!({ "path": "baseline.json", "new": 0, "fixed": 2, "still_present": reference_counts().0 - 2 })
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
            format!("baseline baseline.json: 0 nieuw, 2 opgelost, {n} nog aanwezig"),
        ),
        (
            "github",
            format!("baseline baseline.json: 0 new, 2 fixed, {n} still present"),
        ),
        ("json", format!("\"still_present\": {n}")),
        ("sarif", format!("\"still_present\": {n}")),
        (
            "junit",
            "<property name=\"baseline.fixed\" value=\"2\"/>".to_string(),
        ),
        (
            "html",
            format!("0 nieuwe bevindingen (hieronder), 2 opgelost, {n} nog aanwezig"),
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
