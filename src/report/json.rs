//! `--format json`: the machine-readable report of SPEC §6.
//!
//! `{ tool, as_of, rules_digest, data_digest, summary, findings, problems }`,
//! findings sorted by path, line and rule. Nothing in it depends on the clock
//! (beyond `as_of`), the machine or the order of loading, so the same inputs
//! give the same bytes.

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
        findings: &run.findings,
        problems: &run.problems,
    };
    let mut out =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
