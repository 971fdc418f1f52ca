//! Broken inputs: each gives a located, readable problem, never a panic, and
//! the rest of the inputs is still checked (fixtures/bad/README.md).

use insta_cmd::assert_cmd_snapshot;

use crate::support::{json_report, naleving, naleving_in, root, run};

fn bad() -> std::path::PathBuf {
    root().join("fixtures/bad")
}

#[test]
fn every_broken_input_is_reported_together() {
    assert_cmd_snapshot!(naleving_in(&bad()).arg("check"));
}

/// The same run in JSON: each problem with its code, file, line and column.
#[test]
fn problems_are_located() {
    let (code, report) = json_report(&bad(), &[]);
    assert_eq!(code, 2);
    let problems: Vec<(String, String, u64, u64)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["path"].as_str().unwrap_or("").to_string(),
                p["at"]["line"].as_u64().unwrap_or(0),
                p["at"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expect = [
        ("data::duplicate-key", "data/dubbel.yaml", 5, 3),
        ("data::parse", "data/kapot.json", 3, 14),
        ("data::parse", "data/kapot.yaml", 3, 5),
        ("data::parse", "data/latin1.jsonl", 2, 22),
        ("data::empty", "data/leeg.jsonl", 0, 0),
        ("data::parse", "data/rafelig.csv", 3, 1),
        ("data::parse", "data/regel-kapot.jsonl", 2, 15),
        ("data::missing", "naleving.yaml", 28, 11),
        ("rule::id", "rules/bestandsnaam-wijkt-af.yaml", 1, 5),
        ("rule::bad-expression", "rules/cel-syntaxfout.yaml", 6, 20),
        (
            "rule::unknown-collection",
            "rules/onbekende-collectie.yaml",
            4,
            13,
        ),
        ("rule::unknown-key", "rules/onbekende-sleutel.yaml", 6, 28),
        ("rule::unknown-key", "rules/onbekende-sleutel.yaml", 7, 1),
        (
            "rule::duplicate-id",
            "rules/sub/ontvangstdatum-ontbreekt.yaml",
            1,
            5,
        ),
    ];
    let expect: Vec<(String, String, u64, u64)> = expect
        .iter()
        .map(|(c, p, l, col)| (c.to_string(), p.to_string(), *l, *col))
        .collect();
    assert_eq!(problems, expect);
}

/// Broken files do not stop the others: the good rule still finds the good
/// collection's violation, and the good lines around a broken one load.
#[test]
fn the_rest_is_still_checked() {
    let (_, report) = json_report(&bad(), &[]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["record"], "b");
    assert_eq!(findings[0]["rule"], "ontvangstdatum-ontbreekt");
    // JSONL: lines 1 and 3 of regel-kapot.jsonl, CSV rows a and c, the
    // first record of the duplicate pair and both records of goed.jsonl load.
    assert_eq!(report["summary"]["records"], 2 + 2 + 2 + 1 + 2);
}

/// The project cannot be read, so the run is as of today: the date is
/// masked, or the snapshot would hold only on the day it was taken.
#[test]
fn unknown_keys_in_the_project_file() {
    insta::with_settings!({filters => vec![(r"peildatum \d{4}-\d{2}-\d{2} \(vandaag\)", "peildatum [datum] (vandaag)")]}, {
        assert_cmd_snapshot!(naleving_in(&bad()).args([
            "check",
            "--project",
            "project-unknown-key.yaml"
        ]));
    });
}

#[test]
fn missing_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run(naleving_in(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(stdout.contains("project::read"), "{stdout}");
    // naleving's own messages are Dutch by default, English on request.
    assert!(
        stdout.contains("kan het projectbestand niet lezen"),
        "{stdout}"
    );
    assert!(stdout.contains("hulp: "), "{stdout}");
    assert!(stdout.contains("--project BESTAND"), "{stdout}");
    let (code, stdout, _) = run(naleving_in(dir.path()).args(["check", "--lang", "en"]));
    assert_eq!(code, 2);
    assert!(stdout.contains("cannot read the project file"), "{stdout}");
    assert!(stdout.contains("help: "), "{stdout}");
    assert!(stdout.contains("--project FILE"), "{stdout}");
}

#[test]
fn rules_validate_reports_every_broken_rule() {
    let (code, stdout, _) = run(naleving_in(&bad()).args(["rules", "validate"]));
    assert_eq!(code, 2);
    for code in [
        "rule::id",
        "rule::bad-expression",
        "rule::unknown-collection",
        "rule::unknown-key",
        "rule::duplicate-id",
    ] {
        assert!(stdout.contains(code), "{code}: {stdout}");
    }
    assert!(stdout.contains("1 of 6 rule files valid"), "{stdout}");
}

/// The data files are never written.
#[test]
fn data_files_are_left_alone() {
    let before: Vec<Vec<u8>> = std::fs::read_dir(bad().join("data"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    run(naleving_in(&bad()).arg("check"));
    let after: Vec<Vec<u8>> = std::fs::read_dir(bad().join("data"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn hostile_yaml_is_refused_not_expanded() {
    // A "billion laughs" alias bomb: the YAML budget must stop it.
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from("- &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("- &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    std::fs::write(dir.path().join("bom.yaml"), bomb).unwrap();
    std::fs::write(
        dir.path().join("naleving.yaml"),
        "collections: { bom: { path: bom.yaml, key: id } }\nrules: []\n",
    )
    .unwrap();
    let (code, stdout, _) = run(naleving_in(dir.path()).args(["check", "--format", "json"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("data::parse"), "{stdout}");
}

#[test]
fn naleving_without_arguments_is_a_usage_error() {
    let (code, _, stderr) = run(&mut naleving());
    assert_eq!(code, 2);
    assert!(stderr.contains("Usage"), "{stderr}");
}
