//! `--format json`: the machine-readable report of SPEC §6.
//!
//! `{ tool, as_of, as_of_source, rules_digest, data_digest, run_digest,
//! summary, rules, findings, problems, manifest }`, findings sorted by path,
//! line and rule (a database table's location is its path alone: a row has
//! no line, its key names it); `manifest` lists every input with its sha256 (see
//! [`Manifest`]), `run_digest` is the digest over it. Nothing in it depends on the clock
//! (beyond `as_of`), the machine or the order of loading, so the same inputs
//! give the same bytes.

mod finding;

use rayon::prelude::*;
use serde::Serialize;

use super::Summary;
use crate::engine::manifest::Manifest;
use crate::engine::{AsOfSource, RuleRun, Run};
use crate::finding::Finding;
use crate::finding::{Basis, Severity};
use crate::problem::Problem;
use crate::rule::Validity;

#[derive(Serialize)]
struct Report<'a> {
    tool: Tool,
    as_of: String,
    as_of_source: AsOfSource,
    rules_digest: &'a str,
    data_digest: String,
    run_digest: String,
    summary: Summary,
    rules: Vec<RuleEntry<'a>>,
    findings: &'a [Finding],
    problems: &'a [Problem],
    manifest: &'a Manifest,
}

/// What the report says about each rule that ran: enough to judge the
/// findings (and the absence of findings) without the rule files.
#[derive(Serialize)]
struct RuleEntry<'a> {
    id: &'a str,
    title: &'a str,
    severity: Severity,
    collection: &'a str,
    check: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid: Option<&'a Validity>,
    basis: &'a [Basis],
    #[serde(flatten)]
    counts: &'a RuleRun,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

fn rule_entries(run: &Run) -> Vec<RuleEntry<'_>> {
    run.rules_run
        .iter()
        .filter_map(|counts| {
            let rule = run.rules.rules.iter().find(|r| r.id == counts.id)?;
            Some(RuleEntry {
                id: &rule.id,
                title: &rule.title,
                severity: rule.severity,
                collection: &rule.collection,
                check: rule.check.kind(),
                valid: rule.valid.as_ref(),
                basis: &rule.basis,
                counts,
            })
        })
        .collect()
}

/// The report of `run`, with `findings` as its findings.
fn report<'a>(run: &'a Run, fail_on: Severity, findings: &'a [Finding]) -> Report<'a> {
    Report {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: run.as_of.to_string(),
        as_of_source: run.as_of_source,
        rules_digest: &run.rules.digest,
        data_digest: run.dataset.digest(),
        run_digest: run.manifest.run_digest(),
        summary: Summary::of(run, fail_on),
        rules: rule_entries(run),
        findings,
        problems: &run.problems,
        manifest: &run.manifest,
    }
}

/// Renders the run as pretty-printed JSON, ending in a newline.
pub fn render(run: &Run, fail_on: Severity) -> String {
    let mut text = String::new();
    write(run, fail_on, &mut |piece| {
        text.push_str(piece);
        Ok(())
    })
    .unwrap_or_default();
    text
}

/// Writes what [`render`] gives, piece by piece: the findings are rendered a
/// window at a time, so the report is never whole in memory.
pub fn write(
    run: &Run,
    fail_on: Severity,
    out: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut report = serde_json::to_string_pretty(&report(run, fail_on, &[]))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    report.push('\n');
    // The findings go where the report without them has `[]`: the
    // top-level key, at two spaces (deeper keys have more).
    const EMPTY: &str = "\n  \"findings\": []";
    let Some(at) = report.find(EMPTY).filter(|_| !run.findings.is_empty()) else {
        return out(&report);
    };
    out(&report[..at])?;
    out("\n  \"findings\": [")?;
    for (n, window) in run.findings.chunks(FINDINGS_WINDOW).enumerate() {
        let rendered = render_findings(window);
        // Each finding starts with a comma; the very first one has none.
        for (m, piece) in rendered.iter().enumerate() {
            out(if n == 0 && m == 0 { &piece[1..] } else { piece })?;
        }
    }
    out("\n  ]")?;
    out(&report[at + EMPTY.len()..])
}

/// Renders findings on all cores, each indented to its depth in the report
/// and preceded by `,` and a newline: the bytes serde_json writes for them in
/// place (see [`finding`]).
fn render_findings(findings: &[Finding]) -> Vec<String> {
    findings
        .par_chunks(FINDINGS_CHUNK)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * 640);
            for f in chunk {
                finding::write(&mut out, f);
            }
            out
        })
        .collect()
}

/// Findings rendered per parallel work item.
const FINDINGS_CHUNK: usize = 512;

/// Findings rendered before they are written: bounds the memory the report
/// takes to a few megabytes however many findings there are.
const FINDINGS_WINDOW: usize = 16 * FINDINGS_CHUNK;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::engine::AsOfSource;
    use crate::finding::{Location, SourceRef};

    /// More findings than one window, with every optional part present
    /// and absent (sheet and cell, field, a basis with and without url,
    /// several or none, waivers with and without expiry, a group), strings
    /// that need escaping, and details of each kind: the report written
    /// piece by piece is the report serde_json writes whole, byte for byte.
    #[test]
    fn findings_written_in_windows_are_serde_jsons_bytes() {
        let calendar = crate::calendar::Calendar::nl().unwrap();
        let start = jiff::civil::date(2020, 1, 1);
        let term: crate::calendar::Term = "5 werkdagen".parse().unwrap();
        let due = std::sync::Arc::new(term.due(&calendar, start, true));
        let severities = [Severity::Error, Severity::Warning, Severity::Info];
        let sides = std::sync::Arc::new(crate::finding::ComparisonSides {
            left: "record.\"b\"".to_string(),
            operator: "<=",
            right: "6".to_string(),
        });
        let findings: Vec<Finding> = (0..FINDINGS_WINDOW * 2 + 7)
            .map(|n| Finding {
                rule: format!("regel-{}", n % 3).into(),
                severity: severities[n % 3],
                message: format!("bericht {n} met \"aanhalingstekens\"\nen een regel\t\u{1} ☞").into(),
                collection: "meldingen".into(),
                record: format!("m{n}\\é"),
                location: Location {
                    // A database table's record has no line to write.
                    path: if n % 6 == 4 {
                        "postgres://localhost/naleving#vt.meldingen".into()
                    } else {
                        "data/meldingen.jsonl".into()
                    },
                    line: n as u32 + 1,
                    column: 3,
                    sheet: (n % 5 == 1).then(|| "Blad \"1\"".to_string()),
                    cell: (n % 5 == 1).then(|| format!("Blad1!D{n}")),
                },
                field: (n % 2 == 0).then(|| "ontvangen_op".into()),
                basis: (0..n % 3)
                    .map(|b| Basis {
                        citation: format!("Wet {b}, art. \"1\""),
                        url: (b == 1).then(|| "https://wetten.overheid.nl/".to_string()),
                    })
                    .collect(),
                fingerprint: crate::finding::Fingerprint::parse(&format!("{n:032x}")).unwrap(),
                details: match n % 4 {
                    0 => match json!({"due": "2020-01-08", "skipped": [{"date": "2020-01-04"}], "n": n, "x": 1.5, "leeg": {}, "lijst": []}) {
                        serde_json::Value::Object(map) => map.into(),
                        _ => Default::default(),
                    },
                    1 => crate::finding::Details::from(crate::finding::DeadlineDetails {
                        start,
                        term: "5 werkdagen".to_string(),
                        due: std::sync::Arc::clone(&due),
                        late_by: "2 werkdagen".to_string(),
                        overdue: n % 8 == 1,
                        end: (n % 8 != 1).then(|| jiff::civil::date(2020, 1, 10)),
                    }),
                    2 => crate::finding::Details::Comparison(Box::new(
                        crate::finding::ComparisonDetails {
                            sides: std::sync::Arc::clone(&sides),
                            left_value: [json!(n), json!(n as f64 / 7.0), json!("2020-01-01")]
                                .get(n % 5)
                                .cloned()
                                .and_then(crate::finding::Shown::of),
                            right_value: [json!(6), json!(null), json!(true), json!(-1.5e-7)]
                                .get(n % 5)
                                .cloned()
                                .and_then(crate::finding::Shown::of),
                        },
                    )),
                    _ => Default::default(),
                },
                waived: (n % 7 == 5).then(|| Box::new(crate::finding::Waived {
                    reason: "bekend \"probleem\"".to_string(),
                    approved_by: "auditor".to_string(),
                    expires: (n % 2 == 0).then(|| jiff::civil::date(2022, 1, 1)),
                })),
                source: SourceRef::default(),
                members: Vec::new(),
                changed: None,
                group: (n % 3 == 2).then(|| format!("regio {n}")),
            })
            .collect();
        let run = Run {
            as_of: jiff::civil::date(2021, 1, 15),
            as_of_source: AsOfSource::Flag,
            project: None,
            rules: Default::default(),
            rules_run: Vec::new(),
            dataset: Default::default(),
            findings,
            problems: Vec::new(),
            baseline: None,
            manifest: Default::default(),
        };
        let whole = report(&run, Severity::Error, &run.findings);
        let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(render(&run, Severity::Error), expected);
        let empty = Run {
            findings: Vec::new(),
            ..run
        };
        assert!(render(&empty, Severity::Error).contains("\n  \"findings\": [],\n"));
    }
}
