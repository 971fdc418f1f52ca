//! Fuzzes a calendar file: the fuzzer's input is a project's
//! `calendar_extend` file, read and loaded onto the built-in `nl` calendar
//! the way a check does (`engine::calendar`, done here by the same public
//! steps with the `nl` calendar parsed once, not once per input: `read::text`,
//! `Calendar::extend_from_yaml`, one problem per error); the extended
//! calendar then resolves terms and recess phrases from a few start dates. Asserts: no panic, no abort,
//! bounded time, every problem located (in the calendar file, at a line
//! and column inside it), and the Atw only ever extends a term.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving::calendar::{Calendar, resolve_termijn};
use naleving::problem::Problem;
use naleving_fuzz::{Fuzzed, Scratch, assert_problem_located};

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| Scratch::new("calendar", &[]));

static NL: LazyLock<Calendar> =
    LazyLock::new(|| Calendar::nl().expect("the built-in calendar loads"));

/// The calendar a check would use with the file at `path` (shown as
/// `shown`) in `calendar_extend`, and the problems it would report.
fn extended(path: &std::path::Path, shown: &str) -> (Calendar, Vec<Problem>) {
    let mut calendar = NL.clone();
    let mut problems = Vec::new();
    match naleving::read::text(path) {
        Ok(text) => {
            if let Err(err) = calendar.extend_from_yaml(&text, shown) {
                for leaf in err.leaves() {
                    let mut problem =
                        Problem::unusable(leaf.problem_code(), leaf.message()).in_file(shown);
                    if let Some(at) = leaf.at() {
                        problem = problem.at(at.line, at.column);
                    }
                    problems.push(problem);
                }
            }
        }
        Err(err) => problems.push(
            err.place(Problem::unusable("calendar::read", err.text()))
                .in_file(shown),
        ),
    }
    (calendar, problems)
}

/// What the extended calendar is asked.
const QUESTIONS: &[&str] = &[
    "voor het zomerreces",
    "voor het kerstreces",
    "voor het meireces",
    "voor het zomerreces volgend jaar",
    "5 werkdagen",
    "6 weken",
];

fuzz_target!(|bytes: &[u8]| {
    let fuzzed = Fuzzed {
        path: "kalender.yaml",
        bytes,
    };
    SCRATCH.write(fuzzed.path, bytes);
    let (calendar, problems) = extended(&SCRATCH.path(fuzzed.path), fuzzed.path);
    for problem in &problems {
        assert_problem_located(problem, fuzzed);
    }
    for start in [
        jiff::civil::date(2019, 12, 31),
        jiff::civil::date(2021, 5, 10),
        jiff::civil::date(2024, 7, 1),
    ] {
        for question in QUESTIONS {
            if let Ok(due) = resolve_termijn(start, question, &calendar, true) {
                assert!(due.due >= due.plain, "the Atw only extends: {due:?}");
            }
        }
    }
});
