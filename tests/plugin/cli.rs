//! Plugins through `naleving check`: the sandbox's failures end the run as
//! incomplete (exit 3) or unusable (exit 2) with a `plugin::*` problem naming
//! plugin, rule and batch — and the other rules' findings are still there.

use std::path::Path;

use super::{fixture_path, plugin_path, sha256_of};
use crate::support::{json_report, root};

/// A project with the reference dossiers, one ordinary rule that has a
/// finding, and one rule running `plugin` pinned to `sha256`.
fn project(plugin: &Path, sha256: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/ghnt/meldcode/dossiers.yaml"),
        dir.path().join("dossiers.yaml"),
    )
    .unwrap();
    std::fs::copy(plugin, dir.path().join("plugin.wasm")).unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("naleving.yaml"),
        format!(
            "as_of: 2021-01-15\ncollections:\n  dossiers: {{ path: dossiers.yaml, key: id }}\nrules: [rules]\n\
             plugins:\n  proef:\n    path: plugin.wasm\n    sha256: {sha256}\n    \
             limits: {{ timeout_ms: 300, memory_mib: 16, fuel: 100000000000, batch_size: 5 }}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules/collegiale-consultatie-ontbreekt.yaml"),
        "id: collegiale-consultatie-ontbreekt\ntitle: t\nseverity: error\ncollection: dossiers\n\
         when: has(record.stappen.beslissen)\ncheck:\n  required: { fields: [stappen.collegiale_consultatie] }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules/proef.yaml"),
        "id: proef\ntitle: t\nseverity: error\ncollection: dossiers\ncheck:\n  plugin: { name: proef }\n",
    )
    .unwrap();
    dir
}

/// Runs the check and returns the exit code, the problem codes and whether
/// the ordinary rule's finding survived.
fn outcome(plugin: &Path, sha256: &str) -> (i32, Vec<String>, bool, serde_json::Value) {
    let dir = project(plugin, sha256);
    let (code, report) = json_report(dir.path(), &[]);
    let codes = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    let survived = report["findings"].as_array().unwrap().iter().any(|f| {
        f["rule"] == "collegiale-consultatie-ontbreekt" && f["record"] == "MC-ONDERWIJS-0002"
    });
    (code, codes, survived, report)
}

fn hostile(name: &str) -> (i32, Vec<String>, bool, serde_json::Value) {
    let path = fixture_path(name);
    outcome(&path, &sha256_of(&path))
}

#[test]
fn each_hostile_plugin_ends_in_its_own_diagnostic() {
    for (fixture, code, exit) in [
        ("infinite-loop", "plugin::timeout", 3),
        ("memory-bomb", "plugin::memory", 3),
        ("deep-recursion", "plugin::trap", 3),
        ("panic", "plugin::trap", 3),
        ("bad-index", "plugin::result", 3),
        ("finding-flood", "plugin::too-many-findings", 3),
        ("log-flood", "plugin::log-flood", 3),
        ("wasi-import", "plugin::imports", 2),
    ] {
        let (status, codes, survived, report) = hostile(fixture);
        assert_eq!(status, exit, "{fixture}: {report:#}");
        assert!(
            codes.iter().any(|c| c == code),
            "{fixture}: expected {code}, got {codes:?}"
        );
        assert!(
            survived,
            "{fixture}: the other rule's finding is gone: {report:#}"
        );
    }
}

#[test]
fn a_runtime_failure_names_plugin_rule_and_batch() {
    let (_, _, _, report) = hostile("panic");
    let problem = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "plugin::trap")
        .unwrap()
        .clone();
    let message = problem["message"].as_str().unwrap();
    assert!(message.contains("rule `proef`"), "{message}");
    assert!(message.contains("plugin `proef`"), "{message}");
    assert!(message.contains("batch 1"), "{message}");
    assert_eq!(problem["path"], "rules/proef.yaml");
}

#[test]
fn a_tampered_component_is_refused_before_it_runs() {
    // The pin is the genuine plugin's hash; the file on disk has one byte changed.
    let genuine = sha256_of(&plugin_path("afwegingskader"));
    let (status, codes, survived, report) = outcome(&fixture_path("tampered"), &genuine);
    assert_eq!(status, 2, "{report:#}");
    assert!(codes.iter().any(|c| c == "plugin::integrity"), "{codes:?}");
    assert!(
        codes.iter().any(|c| c == "plugin::unavailable"),
        "{codes:?}"
    );
    assert!(survived);
}

#[test]
fn the_main_job_runs_the_afwegingskader_plugin() {
    let (code, report) = json_report(&root(), &["--rule", "afwegingskader-niet-gevolgd"]);
    assert_eq!(code, 1, "{report:#}");
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let records: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    // Acute onveiligheid without a melding; closed on Q1 without a note;
    // Q4 answered without Q3. The 2018 dossiers are outside the window.
    for key in ["MC-KINDEROPVANG-0002", "MC-GGZ-0003", "MC-ONDERWIJS-0003"] {
        assert!(records.contains(key), "{key} missing: {records:?}");
    }
    assert!(!records.contains("MC-ONDERWIJS-2018-0001"));
    assert!(!records.contains("MC-KINDEROPVANG-2018-0001"));
    assert_eq!(report["rules"][0]["outside_window"], 2);
}

/// A project file cannot choose the cache of compiled plugins (native
/// code): a repository being checked is untrusted. Its `plugin_cache` is a
/// located warning, and nothing is read from or written to it.
#[test]
fn a_project_file_naming_a_cache_is_not_followed() {
    let plugin = plugin_path("afwegingskader");
    let dir = project(&plugin, &sha256_of(&plugin));
    let file = dir.path().join("naleving.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}plugin_cache: .naleving-cache\n")).unwrap();
    let (_, report) = json_report(dir.path(), &[]);
    let warning = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "project::plugin-cache")
        .cloned()
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(
        warning["message"],
        "`plugin_cache` is ignored: a project file cannot choose where compiled plugins are cached"
    );
    assert_eq!(warning["impact"], "warning");
    assert!(warning["at"]["line"].as_u64().unwrap() > 0);
    assert!(!dir.path().join(".naleving-cache").exists());
}
