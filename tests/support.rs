//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (where the reference `naleving.yaml` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `naleving` command running in `dir`, with a fixed environment so the
/// output does not depend on the terminal.
pub fn naleving_in(dir: &Path) -> Command {
    let mut cmd = Command::new(insta_cmd::get_cargo_bin("naleving"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    cmd
}

/// A `naleving` command in the repository root.
pub fn naleving() -> Command {
    naleving_in(&root())
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("naleving runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `check --format json` with extra arguments and parses the report.
pub fn json_report(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = run(naleving_in(dir)
        .args(["check", "--format", "json"])
        .args(args));
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (code, value)
}

/// Copies a directory tree (for tests that edit a dataset).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the reference project (project file, rules, fixtures/ghnt) in a
/// temporary directory.
pub fn reference_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("naleving.yaml"),
        dir.path().join("naleving.yaml"),
    )
    .unwrap();
    copy_tree(&root().join("rules"), &dir.path().join("rules"));
    copy_tree(
        &root().join("fixtures/ghnt"),
        &dir.path().join("fixtures/ghnt"),
    );
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::copy(
        root().join("plugins/afwegingskader.wasm"),
        dir.path().join("plugins/afwegingskader.wasm"),
    )
    .unwrap();
    dir
}

/// Appends text (e.g. a `waivers:` list) to the project file of a copy.
pub fn append_to_project(dir: &Path, text: &str) {
    let path = dir.join("naleving.yaml");
    let mut project = std::fs::read_to_string(&path).unwrap();
    project.push_str(text);
    std::fs::write(&path, project).unwrap();
}

/// The problems of a JSON run as (code, message, line, column).
pub fn problems_of(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, u64, u64)>) {
    let (code, report) = json_report(dir, args);
    let problems = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
                p["at"]["line"].as_u64().unwrap_or(0),
                p["at"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (code, problems)
}

/// The findings of a JSON report as (rule, record) pairs.
pub fn rule_records(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["record"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Counts of the reference data's findings — (all, errors, warnings) — read
/// from a JSON run, so tests follow the pack as it grows instead of pinning
/// numbers (the JSON snapshot pins them).
pub fn reference_counts() -> (u64, u64, u64) {
    let (_, report) = json_report(&root(), &[]);
    let summary = &report["summary"];
    (
        summary["findings"].as_u64().unwrap(),
        summary["error"].as_u64().unwrap(),
        summary["warning"].as_u64().unwrap(),
    )
}

/// One string field of every finding of a JSON report, in report order
/// (`"rule"`, `"record"`, `"collection"`, `"fingerprint"`, …).
pub fn finding_values<'a>(report: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[key].as_str().unwrap())
        .collect()
}

/// A way to write one entry of a condensed list on one line.
pub type Line<'a> = &'a dyn Fn(&serde_json::Value) -> String;

/// A report for a whole-run snapshot with some of its lists cut short:
/// their first three entries in full (which pin the format), the others
/// one line each (which pins which entries there are). The per-kind
/// snapshots (tests/kinds/) pin what each entry says.
pub fn condensed(mut report: serde_json::Value, lists: &[(&[&str], Line<'_>)]) -> String {
    let mut tails = String::new();
    for (list, line) in lists {
        let mut at = &mut report;
        for key in *list {
            at = match key.parse::<usize>() {
                Ok(index) => &mut at[index],
                Err(_) => &mut at[*key],
            };
        }
        let entries = at.as_array_mut().expect("a list to condense");
        let rest: Vec<String> = entries.iter().skip(3).map(line).collect();
        entries.truncate(3);
        tails.push_str(&format!(
            "\n… and {} more in `{}`:\n",
            rest.len(),
            list.join(".")
        ));
        for entry in rest {
            tails.push_str(&format!("  {entry}\n"));
        }
    }
    serde_json::to_string_pretty(&report).unwrap() + "\n" + &tails
}
