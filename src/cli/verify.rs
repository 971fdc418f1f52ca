//! `naleving check --verify REPORT.json`: reruns the check a JSON report
//! records and says whether the same inputs still give the same report.
//!
//! The report's `manifest` says how it was made: the as-of date, the
//! `--rule` / `--collection` selection and the baseline; its summary says
//! `--fail-on`. The check is run again that way on the project given with
//! `--project` (default `naleving.yaml`) and its JSON report compared with
//! the file, byte for byte. When they differ, the rerun's manifest is
//! compared with the report's, naming each input file that changed, was
//! added or is gone, and the findings are compared by fingerprint. The same
//! inputs giving another report would be a fault in naleving itself, and is
//! said so.
//!
//! Exit codes: 0 verified, 1 not verified, 2 the report cannot be used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

use crate::engine::manifest::Manifest;
use crate::engine::{self, AsOfSource, Options};
use crate::finding::Severity;
use crate::report;
use crate::text::{Lang, Text};
use crate::tr;

/// How many added or gone findings are named (the rest are counted).
const NAMED: usize = 10;

/// Verifies `report` against a rerun on `project`; prints the verdict.
pub fn verify(report: &Path, project: PathBuf, lang: Lang) -> ExitCode {
    match recorded(report) {
        Ok((bytes, recorded)) => rerun(report, &bytes, &recorded, project, lang),
        Err(message) => {
            eprintln!("naleving: {}: {}", report.display(), message.render(lang));
            ExitCode::from(2)
        }
    }
}

/// What a report records about how it was made.
struct Recorded {
    manifest: Manifest,
    as_of_source: AsOfSource,
    fail_on: Severity,
    fail_on_changed: bool,
    findings: Vec<Value>,
}

fn recorded(path: &Path) -> Result<(Vec<u8>, Recorded), Text> {
    let bytes = crate::read::bytes(path)
        .map_err(|err| tr!("cannot read the report: {cause}", cause = err.text()))?;
    let report: Value = serde_json::from_slice(&bytes).map_err(|err| {
        tr!(
            "is not a JSON report ({cause}); --verify takes the file of `--format json=FILE`",
            cause = err
        )
    })?;
    let manifest: Manifest = report
        .get("manifest")
        .cloned()
        .and_then(|m| serde_json::from_value(m).ok())
        .ok_or_else(|| {
            tr!(
                "has no `manifest`: it is not a naleving JSON report, or one written before reports recorded their inputs"
            )
        })?;
    let as_of_source = report
        .get("as_of_source")
        .cloned()
        .and_then(|s| serde_json::from_value(s).ok())
        .unwrap_or(AsOfSource::Flag);
    let fail_on = match report["summary"]["fail_on"].as_str() {
        Some("warning") => Severity::Warning,
        Some("info") => Severity::Info,
        _ => Severity::Error,
    };
    let fail_on_changed = report["summary"]["baseline"]["fail_on_changed"]
        .as_bool()
        .unwrap_or(false);
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    Ok((
        bytes,
        Recorded {
            manifest,
            as_of_source,
            fail_on,
            fail_on_changed,
            findings,
        },
    ))
}

fn rerun(path: &Path, bytes: &[u8], recorded: &Recorded, project: PathBuf, lang: Lang) -> ExitCode {
    let say = |text: Text| println!("{}", text.render(lang));
    let Some(as_of) = crate::calendar::parse_date(&recorded.manifest.as_of) else {
        let said = tr!(
            "its as_of {value} is not a date",
            value = format!("{:?}", recorded.manifest.as_of)
        );
        eprintln!("naleving: {}: {}", path.display(), said.render(lang));
        return ExitCode::from(2);
    };
    let options = Options {
        project,
        as_of: Some(as_of),
        rules: recorded.manifest.rules.clone(),
        collections: recorded.manifest.collections.clone(),
        baseline: recorded.manifest.baseline.as_ref().map(PathBuf::from),
        fail_on_changed: recorded.fail_on_changed,
        group_by: recorded.manifest.group_by.clone(),
        no_pushdown: recorded.manifest.no_pushdown,
        digest_data: recorded.manifest.digest_data,
    };
    let mut run = engine::check(&options);
    // The date is the report's; so is where it came from.
    run.as_of_source = recorded.as_of_source;
    super::unknown_selection(&mut run, &options);
    let again = report::json::render(&run, recorded.fail_on);
    let shown = path.display();
    if again.as_bytes() == bytes {
        say(tr!(
            "verified: {report} is what these inputs give, byte for byte ({count} inputs, run digest {digest})",
            report = &shown,
            count = run.manifest.inputs.len(),
            digest = run.manifest.run_digest()
        ));
        return ExitCode::SUCCESS;
    }
    say(tr!(
        "not verified: rerunning the check does not give {report}",
        report = &shown
    ));
    let changes = run.manifest.changes_since(&recorded.manifest);
    if changes.is_empty() {
        say(tr!(
            "  the inputs are the same (run digest {digest}), yet the report differs: that is a fault in naleving, please report it",
            digest = run.manifest.run_digest()
        ));
    } else {
        say(tr!("  what changed since the report:"));
        for change in changes {
            say(tr!("    {change}", change = change));
        }
    }
    let now = serde_json::from_str::<Value>(&again)
        .ok()
        .and_then(|r| r["findings"].as_array().cloned())
        .unwrap_or_default();
    let (added, gone) = compare(&recorded.findings, &now);
    if added.is_empty() && gone.is_empty() {
        say(tr!(
            "  the findings are the same (by fingerprint); the rest of the report differs"
        ));
    }
    for (new, list) in [(true, &added), (false, &gone)] {
        if list.is_empty() {
            continue;
        }
        say(match (new, list.len()) {
            (true, 1) => tr!("  1 finding new:"),
            (true, n) => tr!("  {count} findings new:", count = n),
            (false, 1) => tr!("  1 finding gone:"),
            (false, n) => tr!("  {count} findings gone:", count = n),
        });
        for name in list.iter().take(NAMED) {
            println!("    {name}");
        }
        if list.len() > NAMED {
            say(tr!("    … and {count} more", count = list.len() - NAMED));
        }
    }
    ExitCode::from(1)
}

/// The findings of `now` not in `before`, and those of `before` not in
/// `now`, by fingerprint, each named `rule › record [› field]`.
fn compare(before: &[Value], now: &[Value]) -> (Vec<String>, Vec<String>) {
    let index = |findings: &[Value]| -> BTreeMap<String, String> {
        findings
            .iter()
            .map(|f| {
                let mut name = format!(
                    "{} › {}",
                    f["rule"].as_str().unwrap_or_default(),
                    f["record"].as_str().unwrap_or_default()
                );
                if let Some(field) = f["field"].as_str() {
                    name.push_str(&format!(" › {field}"));
                }
                (
                    f["fingerprint"].as_str().unwrap_or_default().to_string(),
                    name,
                )
            })
            .collect()
    };
    let (before, now) = (index(before), index(now));
    let only = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| {
        a.iter()
            .filter(|(print, _)| !b.contains_key(*print))
            .map(|(_, name)| name.clone())
            .collect()
    };
    (only(&now, &before), only(&before, &now))
}
