//! Fuzzes a rule file: `r.yaml`, the only rule of a project over the
//! check-kind fixtures (every collection the fixtures' rules name), is the
//! fuzzer's input; the rule loads, is validated against the collections,
//! runs over their records, and the run is rendered. Asserts the invariants
//! of `naleving_fuzz`: no panic, no abort, bounded time, every problem and
//! finding located.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving_fuzz::{Fuzzed, KINDS_PROJECT, Scratch, check_one, kinds_project};

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| {
    let project = KINDS_PROJECT.replace("rules: [rules]", "rules: [r.yaml]");
    kinds_project("rule", &[("naleving.yaml", project.as_bytes())])
});

fuzz_target!(|bytes: &[u8]| {
    check_one(
        &SCRATCH,
        Fuzzed {
            path: "r.yaml",
            bytes,
        },
    );
});
