//! The reference rule pack (`rules/`): every rule documented, based, tested,
//! valid against the editor schema; `naleving test` passes and can fail.

use std::path::{Path, PathBuf};

use crate::support::{naleving, naleving_in, root, run};

const SECTIONS: [&str; 4] = [
    "## Wat wordt gecontroleerd",
    "## Waarom",
    "## Voorbeeld",
    "## Bron",
];

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml")
            && !path.to_string_lossy().ends_with(".test.yaml")
        {
            out.push(path);
        }
    }
}

fn pack() -> Vec<(PathBuf, serde_json::Value)> {
    let mut files = Vec::new();
    rule_files(&root().join("rules"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
            (path, value)
        })
        .collect()
}

#[test]
fn the_pack_covers_five_domains_with_twenty_rules() {
    let rules = pack();
    assert!(rules.len() >= 20, "{} rules", rules.len());
    let mut domains: Vec<String> = rules
        .iter()
        .map(|(p, _)| {
            p.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    domains.dedup();
    for domain in [
        "meldcode",
        "veilig-thuis",
        "kamer",
        "financien",
        "rapportage",
    ] {
        assert!(
            domains.iter().any(|d| d == domain),
            "no rules in {domain}: {domains:?}"
        );
    }
}

#[test]
fn every_rule_has_basis_docs_and_passing_and_failing_tests() {
    let mut missing = Vec::new();
    for (path, rule) in pack() {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let basis = rule["basis"].as_array().cloned().unwrap_or_default();
        if basis.is_empty()
            || basis
                .iter()
                .any(|b| b["citation"].as_str().is_none() || b["url"].as_str().is_none())
        {
            missing.push(format!("{name}: basis needs a citation and a url"));
        }
        let docs = rule["docs"].as_str().unwrap_or("");
        for section in SECTIONS {
            if !docs.contains(section) {
                missing.push(format!("{name}: docs lack `{section}`"));
            }
        }
        let tests = rule["tests"].as_array().cloned().unwrap_or_default();
        let failing = tests
            .iter()
            .filter(|t| t["expect"].as_array().is_some_and(|e| !e.is_empty()))
            .count();
        if tests.len() < 2 || failing == 0 || failing == tests.len() {
            missing.push(format!(
                "{name}: needs a test that fails the rule and one that passes it"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_rule_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/rule.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut errors = Vec::new();
    for (path, rule) in pack() {
        for error in validator.iter_errors(&rule) {
            errors.push(format!(
                "{}: {} at {}",
                path.display(),
                error,
                error.instance_path()
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // And the schema rejects what the loader rejects: an unknown key.
    let bad = serde_json::json!({"id": "x", "title": "t", "severity": "error", "collection": "c",
        "check": {"required": {"fields": ["a"]}}, "ernst": "hoog"});
    assert!(!validator.is_valid(&bad));
    // A misspelt kind: the first error names the key; mistyped test
    // expectations are refused too.
    let kind = serde_json::json!({"id": "x", "title": "t", "severity": "error", "collection": "c",
        "check": {"requird": {"fields": ["a"]}}});
    let first = validator.iter_errors(&kind).next().unwrap().to_string();
    assert!(first.contains("requird"), "{first}");
    let expect = serde_json::json!({"id": "x", "title": "t", "severity": "error", "collection": "c",
        "check": {"required": {"fields": ["a"]}},
        "tests": [{"name": "n", "records": [{"id": "a"}], "expect": [{"recrod": "a"}]}]});
    assert!(!validator.is_valid(&expect));
}

#[test]
fn the_committed_schema_is_current() {
    let (code, generated, _) = run(naleving().arg("schema"));
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(root().join("schema/rule.schema.json")).unwrap();
    assert!(
        generated == committed,
        "schema/rule.schema.json is stale: run `naleving schema > schema/rule.schema.json`"
    );
}

#[test]
fn naleving_test_passes_on_the_pack() {
    let (code, stdout, _) = run(naleving().arg("test"));
    assert_eq!(code, 0, "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 2 * pack().len(), "{last}");
    assert!(
        !stdout.contains("none  "),
        "a rule without tests:\n{stdout}"
    );
}

#[test]
fn naleving_test_reports_a_wrong_expectation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/bedrag-ontbreekt.yaml"),
        "id: bedrag-ontbreekt\ntitle: t\nseverity: error\nbasis: [{ citation: t }]\ncollection: middelen\ncheck:\n  required: { fields: [bedrag] }\n\
         tests:\n  - name: verwacht te weinig\n    records: [{ id: a }]\n    expect: []\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules/bedrag-ontbreekt.test.yaml"),
        "- name: verwacht het verkeerde veld\n  records: [{ id: b }]\n  expect: [{ record: b, field: jaar }]\n\
         - name: klopt\n  records: [{ id: c }]\n  expect: [{ record: c, field: bedrag }]\n",
    )
    .unwrap();
    let (code, stdout, _) = run(naleving_in(dir.path()).arg("test"));
    assert_eq!(code, 1, "{stdout}");
    insta::assert_snapshot!(stdout, @r#"
    FAIL  bedrag-ontbreekt › verwacht te weinig
            unexpected finding: record `a` field `bedrag` (verplicht veld `bedrag` ontbreekt of is leeg)
    FAIL  bedrag-ontbreekt › verwacht het verkeerde veld
            expected a finding {"record":"b","field":"jaar"}, got record `b` field `bedrag` (verplicht veld `bedrag` ontbreekt of is leeg)
            unexpected finding: record `b` field `bedrag` (verplicht veld `bedrag` ontbreekt of is leeg)
    ok    bedrag-ontbreekt › klopt
    1 passed, 2 failed
    "#);
}
