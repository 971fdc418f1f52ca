//! Report renderers: one file per output format, all rendering the same
//! [`Run`](crate::engine::Run).
//!
//! Every renderer writes to a `String` so that the bytes are the same whether
//! they go to a terminal, a file or a test snapshot.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod xlsx;

use crate::baseline::Comparison;
use crate::engine::{RuleRun, Run};
use crate::finding::Severity;
use crate::finding::{Counts, Finding};
use crate::problem::Impact;
use crate::rule::Rule;

/// The summary every format shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    /// All findings.
    pub findings: usize,
    /// Findings per severity.
    #[serde(flatten)]
    pub counts: Counts,
    /// Findings accepted by a waiver: counted, but not failing.
    pub waived: usize,
    /// Findings at or above the `--fail-on` level and not waived.
    pub failing: usize,
    /// The `--fail-on` level.
    pub fail_on: Severity,
    /// Rules that ran.
    pub rules: usize,
    /// Records loaded.
    pub records: usize,
    /// Problems with the inputs.
    pub problems: usize,
    /// New, fixed and still-present findings, when a baseline was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Comparison>,
}

impl Summary {
    /// Summarises a run.
    pub fn of(run: &Run, fail_on: Severity) -> Summary {
        let counts = Counts::of(&run.findings);
        Summary {
            findings: counts.total(),
            counts,
            waived: run.findings.iter().filter(|f| f.waived.is_some()).count(),
            failing: run.findings.iter().filter(|f| fails(f, fail_on)).count(),
            fail_on,
            rules: run.rules_run.len(),
            records: run.dataset.counts().values().sum(),
            problems: run.problems.len(),
            baseline: run.baseline.clone(),
        }
    }

    /// The exit code of SPEC §6: the highest that applies of 1 (failing
    /// findings), 2 (unusable inputs) and 3 (incomplete check).
    pub fn exit_code(run: &Run, fail_on: Severity) -> u8 {
        let mut code = 0;
        if run.findings.iter().any(|f| fails(f, fail_on)) {
            code = 1;
        }
        if run.problems.iter().any(|p| p.impact == Impact::Unusable) {
            code = 2;
        }
        if run.problems.iter().any(|p| p.impact == Impact::Incomplete) {
            code = 3;
        }
        code
    }
}

/// True when a finding fails the run: at or above `fail_on` and not waived.
pub fn fails(finding: &Finding, fail_on: Severity) -> bool {
    finding.severity >= fail_on && finding.waived.is_none()
}

/// The rules that ran, each with what it did, in run order (by id).
pub fn rules_run(run: &Run) -> Vec<(&Rule, &RuleRun)> {
    run.rules_run
        .iter()
        .filter_map(|counts| {
            let rule = run.rules.rules.iter().find(|r| r.id == counts.id)?;
            Some((rule, counts))
        })
        .collect()
}

/// The computed deadline of a finding, from its details: what the auditor's
/// outputs show beyond the message. Never a field value of the record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Deadline {
    /// The due date (ISO).
    pub due: Option<String>,
    /// How late, in words ("1 werkdag").
    pub late_by: Option<String>,
    /// The days the term skipped, with why: (date, reason).
    pub skipped: Vec<(String, String)>,
}

impl Deadline {
    /// The deadline details of a finding (all empty for other checks).
    pub fn of(finding: &Finding) -> Deadline {
        let details = finding.details.to_map();
        let text = |key: &str| {
            details
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let skipped = details
            .get("skipped")
            .and_then(serde_json::Value::as_array)
            .map(|days| {
                days.iter()
                    .filter_map(|day| {
                        let text = |key: &str| day.get(key)?.as_str().map(str::to_string);
                        Some((text("date")?, text("reason")?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Deadline {
            due: text("due"),
            late_by: text("late_by"),
            skipped,
        }
    }
}

/// The project file as shown in reports: relative to where naleving ran.
pub fn project_name(run: &Run) -> String {
    run.project
        .as_ref()
        .and_then(|p| p.file.as_ref())
        .map_or_else(String::new, |f| f.to_string_lossy().replace('\\', "/"))
}
