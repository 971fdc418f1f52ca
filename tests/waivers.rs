//! Waivers on a temporary copy of the reference project: a waived finding is
//! shown but does not fail; an expired waiver suppresses nothing and is
//! reported; an unused one is reported; broken waivers are located errors.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::support::{append_to_project, json_report, naleving_in, reference_copy, run};

/// The three late safety assessments of the reference data (all errors).
const LATE: &str = "veiligheidsbeoordeling-te-laat";

fn late_only(dir: &Path) -> (i32, Value) {
    json_report(dir, &["--rule", LATE])
}

fn waiver(record: &str, expires: Option<&str>) -> String {
    let expires = expires.map_or_else(String::new, |e| format!(", expires: {e}"));
    format!(
        "  - {{ rule: {LATE}, record: {record}, reason: \"uitgesteld door Pinksteren, melder gesproken\", approved_by: \"teamleider VT Haaglanden\"{expires} }}\n"
    )
}

fn problems(report: &Value) -> Vec<(String, String, u64)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["impact"].as_str().unwrap().to_string(),
                p["at"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_waived_finding_is_counted_and_shown_but_does_not_fail() {
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}",
            waiver("VT-HGL-2020-0002", Some("2021-06-30"))
        ),
    );
    let (code, report) = late_only(dir.path());
    // The other three late assessments still fail the run.
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 4);
    let waived: Vec<&Value> = findings
        .iter()
        .filter(|f| f.get("waived").is_some())
        .collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["record"], "VT-HGL-2020-0002");
    assert_eq!(
        waived[0]["waived"],
        serde_json::json!({
            "reason": "uitgesteld door Pinksteren, melder gesproken",
            "approved_by": "teamleider VT Haaglanden",
            "expires": "2021-06-30"
        })
    );
    assert_eq!(report["summary"]["findings"], 4);
    assert_eq!(report["summary"]["waived"], 1);
    assert_eq!(report["summary"]["failing"], 3);
    assert_eq!(report["problems"], Value::Array(Vec::new()));

    // All four waived (two without expiry): the run passes.
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}{}{}{}",
            waiver("VT-HGL-2020-0002", Some("2021-06-30")),
            waiver("VT-AA-2020-0002", None),
            waiver("VT-FL-2020-0001", Some("2021-01-15")),
            waiver("VT-HGL-2018-0001", None),
        ),
    );
    let (code, report) = late_only(dir.path());
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["waived"], 4);
    assert_eq!(report["summary"]["failing"], 0);
    // A waiver holds on its last day (expires == as_of) and not after.
    let (code, report) = json_report(dir.path(), &["--rule", LATE, "--as-of", "2021-01-16"]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["waived"], 3);
}

/// Kyverno's CLI kept applying expired policy exceptions. Here an expired
/// waiver suppresses nothing: the finding counts again, fails the run with
/// exit 1 (not 2), and the expiry is reported where the waiver is written.
#[test]
fn an_expired_waiver_does_not_suppress() {
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}",
            waiver("VT-HGL-2020-0002", Some("2020-12-31"))
        ),
    );
    let (code, report) = json_report(dir.path(), &["--rule", LATE, "--fail-on", "error"]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f.get("waived").is_none()),
        "{report:#}"
    );
    assert_eq!(report["summary"]["waived"], 0);
    assert_eq!(report["summary"]["failing"], 4);
    let project_lines = std::fs::read_to_string(dir.path().join("naleving.yaml"))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(
        problems(&report),
        [(
            "waiver::expired".to_string(),
            "warning".to_string(),
            project_lines
        )]
    );
    assert!(
        report["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2020-12-31")
    );
    assert_eq!(report["problems"][0]["path"], "naleving.yaml");

    // With only that finding in scope the expired waiver alone decides: exit 1.
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}{}{}{}",
            waiver("VT-HGL-2020-0002", Some("2020-12-31")),
            waiver("VT-AA-2020-0002", None),
            waiver("VT-FL-2020-0001", None),
            waiver("VT-HGL-2018-0001", None),
        ),
    );
    let (code, report) = late_only(dir.path());
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["failing"], 1);
}

#[test]
fn an_unused_waiver_is_reported() {
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}  - {{ rule: regel-bestaat-niet, record: x, reason: r, approved_by: a }}\n",
            waiver("VT-HGL-2020-0001", None)
        ),
    );
    let (code, report) = late_only(dir.path());
    // Warnings only: the exit code is the findings' (1), never 2.
    assert_eq!(code, 1);
    let found = problems(&report);
    let codes: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(codes, ["waiver::unused", "waiver::unused"]);
    assert!(found.iter().all(|p| p.1 == "warning"));
    let helps: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["help"].as_str().unwrap())
        .collect();
    assert!(helps[0].contains("remove the waiver"), "{helps:?}");
    assert!(helps[1].contains("no rule has this id"), "{helps:?}");

    // A waiver of a rule that a --rule filter left out is neither used nor unused.
    let (_, report) = json_report(dir.path(), &["--rule", "bedrag-ontbreekt"]);
    let codes: Vec<String> = problems(&report).into_iter().map(|p| p.0).collect();
    assert_eq!(codes, ["waiver::unused"], "only the unknown rule's waiver");
}

/// `waivers: waivers.yaml` — the list in a file of its own, as in SPEC §6.
#[test]
fn waivers_from_a_file() {
    let dir = reference_copy();
    append_to_project(dir.path(), "waivers: beheer/waivers.yaml\n");
    std::fs::create_dir_all(dir.path().join("beheer")).unwrap();
    std::fs::write(
        dir.path().join("beheer/waivers.yaml"),
        format!(
            "# Geaccepteerde bevindingen\n{}{}",
            waiver("VT-HGL-2020-0002", Some("2021-06-30")),
            waiver("VT-FL-2020-0001", Some("2020-01-01"))
        ),
    )
    .unwrap();
    let (code, report) = late_only(dir.path());
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["waived"], 1);
    assert_eq!(
        problems(&report),
        [("waiver::expired".to_string(), "warning".to_string(), 3)]
    );
    assert_eq!(report["problems"][0]["path"], "beheer/waivers.yaml");

    let dir = reference_copy();
    append_to_project(dir.path(), "waivers: ontbreekt.yaml\n");
    let (code, report) = late_only(dir.path());
    assert_eq!(code, 2);
    assert_eq!(report["problems"][0]["code"], "waiver::read");
}

/// Every broken waiver is reported at once, located: missing fields, an
/// unknown key, a date that is not one. Broken waivers are unusable inputs.
#[test]
fn broken_waivers_are_located_errors() {
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        "waivers:\n\
         \x20 - rule: veiligheidsbeoordeling-te-laat\n\
         \x20   record: VT-HGL-2020-0002\n\
         \x20   approved_by: teamleider\n\
         \x20 - { rule: bedrag-ontbreekt, record: csg-2021, reason: r, approved_by: a, expires: eind juni }\n",
    );
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 2);
    let base = std::fs::read_to_string(crate::support::root().join("naleving.yaml"))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(
        problems(&report),
        [
            (
                "waiver::missing-field".to_string(),
                "unusable".to_string(),
                base + 2
            ),
            (
                "waiver::expires".to_string(),
                "unusable".to_string(),
                base + 5
            ),
        ]
    );
    // An unknown key stops the project file, like any unknown key.
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        "waivers:\n  - { rule: a, record: b, reason: c, approved_by: d, goedgekeurd_door: e }\n",
    );
    assert_cmd_snapshot!(naleving_in(dir.path()).args([
        "check",
        "--rule",
        LATE,
        "--as-of",
        "2021-01-15"
    ]));
}

/// A waived finding is marked as such in every format.
#[test]
fn waived_in_every_format() {
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}",
            waiver("VT-HGL-2020-0002", Some("2021-06-30"))
        ),
    );
    let expect = [
        ("human", "(geaccepteerd)"),
        (
            "human",
            "geaccepteerd: uitgesteld door Pinksteren, melder gesproken (akkoord: teamleider VT",
        ),
        ("json", "\"waived\": {"),
        ("sarif", "\"suppressions\": ["),
        (
            "junit",
            "<skipped message=\"waived: uitgesteld door Pinksteren",
        ),
        (
            "github",
            "::notice file=fixtures/ghnt/veilig-thuis/meldingen.jsonl,line=2,col=93,title=veiligheidsbeoordeling-te-laat (waived)::",
        ),
        ("html", "<span class=\"badge\">geaccepteerd</span>"),
        ("html", "1</b>geaccepteerd"),
    ];
    for (format, text) in expect {
        let (code, stdout, stderr) =
            run(naleving_in(dir.path()).args(["check", "--rule", LATE, "--format", format]));
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(stdout.contains(text), "{format} lacks {text}:\n{stdout}");
    }
}

/// A waived finding stays out of a baseline, so the baseline cannot keep
/// suppressing it once the waiver expires.
#[test]
fn waived_findings_stay_out_of_a_baseline() {
    let dir = reference_copy();
    append_to_project(
        dir.path(),
        &format!(
            "waivers:\n{}",
            waiver("VT-HGL-2020-0002", Some("2021-06-30"))
        ),
    );
    let (code, stdout, _) =
        run(naleving_in(dir.path()).args(["baseline", "write", "baseline.json", "--lang", "en"]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        format!(
            "wrote {} findings to baseline.json (as of 2021-01-15); 1 waived findings left out\n",
            crate::support::reference_counts().0 - 1
        )
    );
    // After the waiver expires the finding is new again, and fails.
    let (code, report) = json_report(
        dir.path(),
        &["--baseline", "baseline.json", "--as-of", "2021-07-01"],
    );
    assert_eq!(code, 1);
    let records: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert!(records.contains(&"VT-HGL-2020-0002"), "{records:?}");
}
