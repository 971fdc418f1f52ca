//! Report renderers: one file per output format, all rendering the same
//! [`Run`](crate::engine::Run).
//!
//! Every renderer writes to a `String` so that the bytes are the same whether
//! they go to a terminal, a file or a test snapshot.

pub mod human;
pub mod json;

use crate::engine::Run;
use crate::finding::Counts;
use crate::rule::Severity;

/// The summary every format shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    /// All findings.
    pub findings: usize,
    /// Findings per severity.
    #[serde(flatten)]
    pub counts: Counts,
    /// Findings at or above the `--fail-on` level.
    pub failing: usize,
    /// The `--fail-on` level.
    pub fail_on: Severity,
    /// Rules that ran.
    pub rules: usize,
    /// Records loaded.
    pub records: usize,
    /// Problems with the inputs.
    pub problems: usize,
}

impl Summary {
    /// Summarises a run.
    pub fn of(run: &Run, fail_on: Severity) -> Summary {
        let counts = Counts::of(&run.findings);
        Summary {
            findings: counts.total(),
            counts,
            failing: counts.at_least(fail_on),
            fail_on,
            rules: run.rules_run.len(),
            records: run.dataset.collections.values().map(Vec::len).sum(),
            problems: run.problems.len(),
        }
    }
}
