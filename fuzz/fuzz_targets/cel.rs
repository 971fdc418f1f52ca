//! Fuzzes CEL expressions: the fuzzer's input (UTF-8) is compiled as a
//! rule's `expr` or `when` is, and, when it compiles, evaluated against a
//! record with fields of every type, with `as_of` and `collections` bound
//! and naleving's own functions (`add_term`, `date`, …) registered. It runs
//! on a thread with the 2 MiB stack of the engine's worker threads, which
//! is what the expression limits (`MAX_OPERATORS`, `MAX_DEPTH`) are sized
//! for: one such thread serves every input, with one environment. Asserts: no panic, no abort (a stack overflow aborts), bounded time,
//! and a compile error is located inside the expression text.
#![no_main]

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, LazyLock, Mutex};

use libfuzzer_sys::fuzz_target;
use naleving::calendar::Calendar;
use naleving::expr::{Env, compile};
use serde_json::{Map, Value};

/// The stack of a rayon worker thread, where rules are evaluated.
const WORKER_STACK: usize = 2 * 1024 * 1024;

static CALENDAR: LazyLock<Arc<Calendar>> =
    LazyLock::new(|| Arc::new(Calendar::nl().expect("the built-in calendar loads")));

/// The records: the one judged and another of the same collection.
static RECORDS: LazyLock<Vec<Map<String, Value>>> = LazyLock::new(|| {
    let records = serde_json::json!([
        {
            "id": "a", "code": "X1", "bedrag": 12.5, "aantal": 3,
            "ontvangen_op": "2020-05-29", "beoordeeld_op": "2020-06-09T10:00:00+02:00",
            "termijn": "voor het zomerreces 2020", "tags": ["a", "b", "c"],
            "melder": { "rol": "politie", "regio": { "naam": "Haaglanden" } },
            "leeg": null, "waar": true, "groot": 18446744073709551615u64, "negatief": -7,
            "tekst": "café ☕ 𝄞"
        },
        { "id": "b", "code": "X1", "bedrag": -1, "tags": [], "melder": {} }
    ]);
    match records {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
});

/// The environment of every expression: `as_of`, `collections`, functions.
fn env() -> Env {
    let others: Vec<&Map<String, Value>> = RECORDS.iter().collect();
    let collections = [("m", others), ("regios", Vec::new())];
    Env::new(
        jiff::civil::date(2021, 1, 15),
        Arc::clone(&CALENDAR),
        Some(&collections[..]),
    )
}

fn one(env: &Env, source: &str) {
    match compile(source) {
        Ok(expr) => {
            for record in RECORDS.iter() {
                let _ = std::hint::black_box(expr.eval_bool(env, record));
                let _ = std::hint::black_box(expr.eval(env, record));
            }
            std::hint::black_box((
                expr.record_fields(),
                expr.collections_read(),
                expr.element_fields("records"),
                expr.counter("records").is_some(),
            ));
        }
        Err(err) => {
            let lines: Vec<&str> = source.split('\n').collect();
            assert!(
                err.line >= 1 && err.column >= 1,
                "compile error at {}:{}: {}",
                err.line,
                err.column,
                err.message
            );
            let line = lines.get(err.line as usize - 1).unwrap_or_else(|| {
                panic!(
                    "compile error at line {}, past the {} lines: {}",
                    err.line,
                    lines.len(),
                    err.message
                )
            });
            assert!(
                err.column as usize <= line.len() + 1,
                "compile error at {}:{}, past the end of the line: {}",
                err.line,
                err.column,
                err.message
            );
        }
    }
}

/// The worker: expressions go in, a unit comes out when one is done.
struct Worker {
    inputs: SyncSender<String>,
    done: Receiver<()>,
}

static WORKER: LazyLock<Mutex<Worker>> = LazyLock::new(|| {
    let (inputs, work) = sync_channel::<String>(0);
    let (finished, done) = sync_channel::<()>(0);
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let env = env();
            for source in work {
                one(&env, &source);
                let _ = finished.send(());
            }
        })
        .expect("a thread starts");
    Mutex::new(Worker { inputs, done })
});

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = std::str::from_utf8(bytes) else {
        return;
    };
    let worker = WORKER.lock().expect("one input at a time");
    // A panic on the worker aborts the process (libFuzzer's panic hook), so
    // the answer always comes.
    worker
        .inputs
        .send(source.to_string())
        .expect("the worker is there");
    worker.done.recv().expect("the worker answers");
});
