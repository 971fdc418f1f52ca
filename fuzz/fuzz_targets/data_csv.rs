//! Fuzzes the `.csv` data format: `m.csv`, the records of collection `m`
//! in a small project whose rules (one of each kind that reads fields:
//! required, expr, unique, deadline, reference) judge its fields, is the
//! fuzzer's input; the whole check runs and is rendered, so findings are
//! placed on fields of the fuzzed file and drawn from it. Asserts the
//! invariants of `naleving_fuzz`: no panic, no abort, bounded time, every
//! problem and finding located (inside the file when it is in the file).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving_fuzz::{Scratch, data_one, data_project};

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| data_project("csv"));

fuzz_target!(|bytes: &[u8]| {
    data_one(&SCRATCH, "csv", bytes);
});
