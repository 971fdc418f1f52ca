//! Fuzzes a baseline file: the fuzzer's input is read as `--baseline` is
//! (`Baseline::read`) and, when it is one, compared with the findings of a
//! check of the check-kind fixtures, computed once. Asserts: no panic, no
//! abort, bounded time, every problem located (in the baseline file, at a
//! line and column inside it when it does not parse), and the counts of the
//! comparison add up.
#![no_main]

use std::collections::BTreeSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving::baseline::Baseline;
use naleving::engine::Run;
use naleving::problem::Problems;
use naleving_fuzz::{Fuzzed, Scratch, assert_problem_located, kinds_project};

static SCRATCH: LazyLock<(Scratch, Run)> = LazyLock::new(|| {
    let scratch = kinds_project("baseline", &[]);
    let run = scratch.check(None);
    (scratch, run)
});

fuzz_target!(|bytes: &[u8]| {
    let (scratch, run) = &*SCRATCH;
    let fuzzed = Fuzzed {
        path: "baseline.json",
        bytes,
    };
    scratch.write(fuzzed.path, bytes);
    let path = scratch.path(fuzzed.path);
    let mut problems = Problems::default();
    let baseline = Baseline::read(&path, &mut problems);
    for problem in problems.into_sorted() {
        assert_problem_located(&problem, fuzzed);
    }
    if let Some(baseline) = baseline {
        let mut findings = run.findings.clone();
        let ran: BTreeSet<&str> = run.rules.rules.iter().map(|r| r.id.as_str()).collect();
        let comparison = baseline.compare(&path, &mut findings, &ran);
        assert_eq!(comparison.new, findings.len());
        assert_eq!(
            comparison.new + comparison.still_present,
            run.findings.len()
        );
        assert!(comparison.fixed <= baseline.entries.len());
    }
});
