//! Fuzzes a waivers file: `waivers.yaml`, named by the project file of a
//! small project over the deadline fixtures (tests/kinds/deadline: two
//! collections and three deadline rules with findings to waive), is the
//! fuzzer's input; the check loads the waivers,
//! applies them to the findings (waived, expired, unused) and is rendered.
//! Asserts the invariants of `naleving_fuzz`: no panic, no abort, bounded
//! time, every problem and finding located.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving_fuzz::{Fuzzed, Scratch, check_one, kinds_project};

/// Only what the deadline rules need: loading less makes each run faster.
const PROJECT: &str = "\
as_of: 2021-01-15
collections:
  meldingen: { path: meldingen.jsonl, key: id }
  toezeggingen: { path: toezeggingen.yaml, key: nummer }
rules:
  - rules/terugkoppeling-te-laat.yaml
  - rules/toezegging-over-termijn.yaml
  - rules/veiligheidsbeoordeling-te-laat.yaml
waivers: waivers.yaml
";

static SCRATCH: LazyLock<Scratch> =
    LazyLock::new(|| kinds_project("waivers", &[("naleving.yaml", PROJECT.as_bytes())]));

fuzz_target!(|bytes: &[u8]| {
    check_one(
        &SCRATCH,
        Fuzzed {
            path: "waivers.yaml",
            bytes,
        },
    );
});
