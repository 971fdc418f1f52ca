//! `naleving check` on the reference data: outputs, determinism, filters,
//! exit codes and fingerprints.

use std::collections::BTreeSet;

use insta_cmd::assert_cmd_snapshot;

use crate::support::{condensed, finding_values, json_report, naleving, reference_copy, root, run};

#[test]
fn human_output_on_the_reference_data() {
    assert_cmd_snapshot!(naleving().arg("check"));
}

#[test]
fn json_output_on_the_reference_data() {
    let (code, report) = json_report(&root(), &[]);
    assert_eq!(code, 1);
    let finding = |f: &serde_json::Value| {
        let at = &f["location"];
        format!(
            "{} · {} · {} · {}:{}:{}",
            f["rule"].as_str().unwrap(),
            f["record"].as_str().unwrap(),
            f["field"].as_str().unwrap_or("-"),
            at["path"].as_str().unwrap(),
            at["line"],
            at["column"]
        )
    };
    let rule = |r: &serde_json::Value| r["id"].as_str().unwrap().to_string();
    let text = condensed(report, &[(&["findings"], &finding), (&["rules"], &rule)]);
    insta::assert_snapshot!(text);
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let first = run(naleving().args(["check", "--format", "json"]));
    let second = run(naleving().args(["check", "--format", "json"]));
    assert_eq!(first, second);
    assert_eq!(first.0, 1);
}

#[test]
fn findings_are_sorted_by_path_line_and_rule() {
    let (_, report) = json_report(&root(), &[]);
    // Path, line and column of the location, then rule (two rules can flag
    // different fields of one record line).
    let keys: Vec<(String, u64, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.len() > 10);
}

#[test]
fn every_finding_carries_its_basis_and_no_record_values() {
    let (_, report) = json_report(&root(), &[]);
    for finding in report["findings"].as_array().unwrap() {
        assert!(
            !finding["basis"].as_array().unwrap().is_empty(),
            "{finding}"
        );
        assert_eq!(finding["fingerprint"].as_str().unwrap().len(), 32);
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    // The reference data has errors: exit 1 by default.
    assert_eq!(run(naleving().args(["check", "--format", "json"])).0, 1);
    // Only warnings for this rule: passes at --fail-on error, fails at warning.
    let rule = [
        "check",
        "--format",
        "json",
        "--rule",
        "motie-zonder-uitvoering",
    ];
    assert_eq!(run(naleving().args(rule)).0, 0);
    assert_eq!(
        run(naleving().args(rule).args(["--fail-on", "warning"])).0,
        1
    );
    // A rule with no findings passes even at info.
    let clean = ["check", "--rule", "toezegging-dubbel", "--fail-on", "info"];
    assert_eq!(run(naleving().args(clean)).0, 0);
}

#[test]
fn rule_and_collection_filters() {
    let (_, report) = json_report(&root(), &["--rule", "veiligheidsbeoordeling-te-laat"]);
    let rules: BTreeSet<&str> = finding_values(&report, "rule").into_iter().collect();
    assert_eq!(rules, BTreeSet::from(["veiligheidsbeoordeling-te-laat"]));

    let (_, report) = json_report(&root(), &["--collection", "moties"]);
    let collections: BTreeSet<&str> = finding_values(&report, "collection").into_iter().collect();
    assert_eq!(collections, BTreeSet::from(["moties"]));

    let (code, stdout, _) = run(naleving().args(["check", "--rule", "bestaat-niet"]));
    assert_eq!(code, 2);
    assert!(
        stdout.contains("geen regel met id `bestaat-niet`"),
        "{stdout}"
    );
    let (code, stdout, _) =
        run(naleving().args(["check", "--lang", "en", "--rule", "bestaat-niet"]));
    assert_eq!(code, 2);
    assert!(
        stdout.contains("no rule with id `bestaat-niet`"),
        "{stdout}"
    );
}

#[test]
fn as_of_flag_wins_over_the_project() {
    let (_, report) = json_report(&root(), &["--as-of", "2020-07-01"]);
    assert_eq!(report["as_of"], "2020-07-01");
    assert_eq!(report["as_of_source"], "flag");
    let (_, report) = json_report(&root(), &[]);
    assert_eq!(report["as_of"], "2021-01-15");
    assert_eq!(report["as_of_source"], "project");
    let (code, _, stderr) = run(naleving().args(["check", "--as-of", "15-01-2021"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a date"), "{stderr}");
}

#[test]
fn validity_window_keeps_old_records_out() {
    // The regional norm counts from 2019: the melding of 2018 stays out of
    // every group.
    let (_, report) = json_report(&root(), &["--rule", "veiligheidsbeoordeling-norm-regio"]);
    let rule = &report["rules"][0];
    assert_eq!(rule["valid"]["from"], "2019-01-01");
    assert_eq!(rule["outside_window"], 1);
    let keys = finding_values(&report, "record");
    assert!(!keys.iter().any(|k| k.contains("2018")), "{keys:?}");
    assert!(
        keys.contains(&"regio=Haaglanden, periode=2020-H1"),
        "{keys:?}"
    );
    // The Handelingsprotocol's five working days count from 2015: the
    // melding of 2018 is judged (it was assessed six working days late).
    let (_, report) = json_report(&root(), &["--rule", "veiligheidsbeoordeling-te-laat"]);
    let rule = &report["rules"][0];
    assert_eq!(rule["valid"]["from"], "2015-01-01");
    assert_eq!(rule["outside_window"], 0);
    let keys = finding_values(&report, "record");
    assert!(keys.contains(&"VT-HGL-2018-0001"), "{keys:?}");
    assert!(keys.contains(&"VT-HGL-2020-0002"), "{keys:?}");
}

/// Fingerprints identify findings, not positions: reversing the records of
/// every JSONL file and reflowing the YAML must not change a single one.
#[test]
fn fingerprints_survive_reordering_and_reformatting() {
    let (_, before) = json_report(&root(), &[]);
    let dir = reference_copy();
    let jsonl = dir
        .path()
        .join("fixtures/ghnt/veilig-thuis/meldingen.jsonl");
    let text = std::fs::read_to_string(&jsonl).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.reverse();
    std::fs::write(&jsonl, format!("\n\n{}\n", lines.join("\n\n"))).unwrap();
    let yaml = dir.path().join("fixtures/ghnt/kamer/toezeggingen.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        format!(
            "# moved down\n\n\n{}",
            text.replace("\n- nummer", "\n\n# gap\n- nummer")
        ),
    )
    .unwrap();
    let (_, after) = json_report(dir.path(), &[]);
    let prints = |report: &serde_json::Value| -> BTreeSet<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    let lines_of = |report: &serde_json::Value| -> Vec<u64> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["location"]["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(prints(&before), prints(&after));
    assert_ne!(
        lines_of(&before),
        lines_of(&after),
        "the edit must have moved lines"
    );
}

#[test]
fn a_rule_author_adds_a_rule_without_rust() {
    let dir = reference_copy();
    std::fs::write(
        dir.path()
            .join("rules/veilig-thuis/terugkoppeling-ontbreekt.yaml"),
        r#"id: terugkoppeling-ontbreekt
title: De melder krijgt terugkoppeling
severity: warning
collection: meldingen
when: record.soort == "melding" && has(record.veiligheidsbeoordeling_op)
check:
  required: { fields: [terugkoppeling_op] }
basis:
  - citation: Wmo 2015, art. 4.1.1 lid 2 onder g
"#,
    )
    .unwrap();
    let (_, report) = json_report(dir.path(), &["--rule", "terugkoppeling-ontbreekt"]);
    let keys = finding_values(&report, "record");
    assert_eq!(keys, ["VT-DR-2020-0003", "VT-FL-2020-0001"]);
}

#[test]
fn explain_shows_basis_validity_and_docs() {
    assert_cmd_snapshot!(naleving().args(["explain", "veiligheidsbeoordeling-te-laat"]));
}

#[test]
fn rules_validate_accepts_the_reference_pack() {
    let (code, stdout, _) = run(naleving().args(["rules", "validate"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("0 problems"), "{stdout}");
}

#[test]
fn help_documents_the_exit_codes() {
    let (code, stdout, _) = run(naleving().args(["check", "--help"]));
    assert_eq!(code, 0);
    for line in [
        "0  no finding",
        "1  findings",
        "2  the inputs",
        "3  the check is incomplete",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
}
