//! Fuzzes the project file: `naleving.yaml` of a small project over the
//! check-kind fixtures (data, rules, a calendar file, a waivers file and a
//! schema it may name) is the fuzzer's input; the whole check runs and is
//! rendered. Asserts the invariants of `naleving_fuzz`: no panic, no abort,
//! bounded time, every problem and finding located.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving_fuzz::{Fuzzed, Scratch, check_one, kinds_project};

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| kinds_project("project", &[]));

fuzz_target!(|bytes: &[u8]| {
    check_one(
        &SCRATCH,
        Fuzzed {
            path: "naleving.yaml",
            bytes,
        },
    );
});
