//! `--format json`: the machine-readable report of SPEC §6.
//!
//! `{ tool, as_of, rules_digest, data_digest, summary, findings, problems }`,
//! findings sorted by path, line and rule. Nothing in it depends on the clock
//! (beyond `as_of`), the machine or the order of loading, so the same inputs
//! give the same bytes.

use rayon::prelude::*;
use serde::Serialize;

use super::Summary;
use crate::engine::{AsOfSource, RuleRun, Run};
use crate::finding::Finding;
use crate::problem::Problem;
use crate::rule::{Basis, Severity, Validity};

#[derive(Serialize)]
struct Report<'a> {
    tool: Tool,
    as_of: String,
    as_of_source: AsOfSource,
    rules_digest: &'a str,
    data_digest: String,
    summary: Summary,
    rules: Vec<RuleEntry<'a>>,
    findings: &'a [Finding],
    problems: &'a [Problem],
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

/// Renders the run as pretty-printed JSON, ending in a newline.
pub fn render(run: &Run, fail_on: Severity) -> String {
    let report = Report {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: run.as_of.to_string(),
        as_of_source: run.as_of_source,
        rules_digest: &run.rules.digest,
        data_digest: run.dataset.digest(),
        summary: Summary::of(run, fail_on),
        rules: rule_entries(run),
        findings: &[],
        problems: &run.problems,
    };
    let mut out =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    splice_findings(out, &run.findings)
}

/// Puts the findings into a report rendered without them: each finding is
/// rendered on its own, on all cores, and indented to its depth, giving the
/// bytes serde_json writes for them in place (JSON strings hold no raw
/// newline, so indenting after each newline is exact).
fn splice_findings(report: String, findings: &[Finding]) -> String {
    // The top-level key, at two spaces; deeper keys have more.
    const EMPTY: &str = "\n  \"findings\": []";
    let Some(at) = report.find(EMPTY).filter(|_| !findings.is_empty()) else {
        return report;
    };
    let rendered: Vec<String> = findings
        .par_chunks(FINDINGS_CHUNK)
        .map(|chunk| {
            let mut text = String::new();
            for finding in chunk {
                let one = serde_json::to_string_pretty(finding)
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
                text.push_str(",\n    ");
                text.push_str(&one.replace('\n', "\n    "));
            }
            text
        })
        .collect();
    let size = rendered.iter().map(String::len).sum::<usize>() + report.len();
    let mut out = String::with_capacity(size + 16);
    out.push_str(&report[..at]);
    out.push_str("\n  \"findings\": [");
    for (n, chunk) in rendered.iter().enumerate() {
        // Each finding starts with a comma; the first one has none.
        out.push_str(if n == 0 { &chunk[1..] } else { chunk });
    }
    out.push_str("\n  ]");
    out.push_str(&report[at + EMPTY.len()..]);
    out
}

/// Findings rendered per parallel work item.
const FINDINGS_CHUNK: usize = 512;
