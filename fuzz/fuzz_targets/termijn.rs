//! Fuzzes `naleving termijn`: the fuzzer's input is `START\nTEXT` (or only
//! `TEXT`, from 29 May 2020). START is parsed as the command line parses a
//! date; TEXT — a term such as `5 werkdagen` or a due phrase such as `voor
//! het zomerreces 2020`, `!` in front for `--no-atw` — is resolved on the
//! built-in calendar (`resolve_termijn`), and the answer or the error is
//! written as the command writes it. Asserts: no panic, no abort, bounded
//! time, and the Atw only ever extends a term (`due >= plain`).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving::calendar::{Calendar, parse_date, resolve_termijn};

static CALENDAR: LazyLock<Calendar> =
    LazyLock::new(|| Calendar::nl().expect("the built-in calendar loads"));

fuzz_target!(|bytes: &[u8]| {
    let Ok(input) = std::str::from_utf8(bytes) else {
        return;
    };
    let default = jiff::civil::date(2020, 5, 29);
    let (start, text) = match input.split_once('\n') {
        Some((start, text)) => (parse_date(start).unwrap_or(default), text),
        None => (default, input),
    };
    let (atw, text) = match text.strip_prefix('!') {
        Some(rest) => (false, rest),
        None => (true, text),
    };
    match resolve_termijn(start, text, &CALENDAR, atw) {
        Ok(due) => {
            assert!(due.due >= due.plain, "the Atw only extends: {due:?}");
            let mut out = format!("{}\n{}\n{}\n", due.due, due.plain, due.explanation);
            for skipped in &due.skipped {
                out.push_str(&format!("  {}  {}\n", skipped.date, skipped.reason));
            }
            std::hint::black_box(out);
        }
        Err(err) => {
            let drawn = format!("{:?}", miette::Report::new(err));
            std::hint::black_box(drawn);
        }
    }
});
