//! `--format json`: the machine-readable report of SPEC §6.
//!
//! `{ tool, as_of, rules_digest, data_digest, summary, findings, problems }`,
//! findings sorted by path, line and rule. Nothing in it depends on the clock
//! (beyond `as_of`), the machine or the order of loading, so the same inputs
//! give the same bytes.

use serde::Serialize;

use super::Summary;
use crate::engine::{AsOfSource, Run};
use crate::finding::Finding;
use crate::problem::Problem;
use crate::rule::Severity;

#[derive(Serialize)]
struct Report<'a> {
    tool: Tool,
    as_of: String,
    as_of_source: AsOfSource,
    rules_digest: &'a str,
    data_digest: String,
    summary: Summary,
    findings: &'a [Finding],
    problems: &'a [Problem],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
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
        findings: &run.findings,
        problems: &run.problems,
    };
    let mut out =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
