//! Each hostile fixture ends in its own diagnostic, and the same host then
//! still loads and runs the real plugin.

use std::time::{Duration, Instant};

use naleving::plugin::{Limits, PluginError, PluginHost, PluginSpec};

use super::{AFWEGINGSKADER_SHA256, assert_host_intact, fixture_path, fixture_spec};

fn records(n: usize) -> Vec<String> {
    (0..n).map(|i| format!(r#"{{"id": "R-{i}"}}"#)).collect()
}

/// Loads a fixture on a fresh host, runs one batch with `params`, and
/// returns the error; then checks the host is intact.
fn run_hostile(name: &str, limits: Limits, params: &str) -> PluginError {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&fixture_spec(name, limits)).unwrap();
    assert_eq!(plugin.info().name, name);
    let error = plugin
        .check_batch(&records(3), params, "2024-06-01")
        .unwrap_err();
    assert!(error.is_incomplete(), "{error:?}");
    assert!(!error.is_unusable_input(), "{error:?}");
    assert!(
        error.to_string().contains(&format!("plugin `{name}`")),
        "{error}"
    );
    // The same loaded plugin fails the same way on the next batch: nothing
    // from the trapped instance is reused.
    let again = plugin
        .check_batch(&records(1), params, "2024-06-01")
        .unwrap_err();
    assert_eq!(again.code().as_str(), error.code().as_str());
    assert_host_intact(&host);
    error
}

/// Loads a fixture that must be refused at load time.
fn load_refused(spec: &PluginSpec) -> PluginError {
    let host = PluginHost::new(None).unwrap();
    let error = host.load(spec).unwrap_err();
    assert!(error.is_unusable_input(), "{error:?}");
    assert!(!error.is_incomplete(), "{error:?}");
    assert_host_intact(&host);
    error
}

#[test]
fn infinite_loop_times_out() {
    let limits = Limits {
        fuel: u64::MAX,
        timeout_ms: 200,
        ..Limits::default()
    };
    let started = Instant::now();
    let error = run_hostile("infinite-loop", limits, "{}");
    assert_eq!(
        error,
        PluginError::Timeout {
            plugin: "infinite-loop".into(),
            timeout_ms: 200
        }
    );
    assert_eq!(error.code().as_str(), "plugin::timeout");
    // Two batches of 200 ms plus loading; far from the minutes of a hang.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn infinite_loop_runs_out_of_fuel() {
    let limits = Limits {
        fuel: 5_000_000,
        timeout_ms: 60_000,
        ..Limits::default()
    };
    let error = run_hostile("infinite-loop", limits, "{}");
    assert_eq!(
        error,
        PluginError::Fuel {
            plugin: "infinite-loop".into(),
            fuel: 5_000_000
        }
    );
    assert_eq!(error.code().as_str(), "plugin::fuel");
}

#[test]
fn memory_bomb_hits_the_cap() {
    let limits = Limits {
        memory_mib: 16,
        ..Limits::default()
    };
    let error = run_hostile("memory-bomb", limits, "{}");
    assert_eq!(
        error,
        PluginError::Memory {
            plugin: "memory-bomb".into(),
            memory_mib: 16
        }
    );
    assert_eq!(error.code().as_str(), "plugin::memory");
}

#[test]
fn deep_recursion_on_the_shadow_stack_traps() {
    let error = run_hostile("deep-recursion", Limits::default(), "{}");
    let PluginError::Trap { trap, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(error.code().as_str(), "plugin::trap");
    assert!(trap.contains("out of bounds"), "{trap}");
}

#[test]
fn deep_recursion_on_the_wasm_stack_traps() {
    let error = run_hostile("deep-recursion", Limits::default(), r#"{"mode": "native"}"#);
    let PluginError::Trap { trap, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(trap.contains("call stack exhausted"), "{trap}");
}

#[test]
fn panic_traps() {
    let error = run_hostile("panic", Limits::default(), "{}");
    let PluginError::Trap { trap, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(trap.contains("unreachable"), "{trap}");
}

#[test]
fn bad_index_is_a_malformed_result() {
    let error = run_hostile("bad-index", Limits::default(), "{}");
    let PluginError::Result { reason, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(error.code().as_str(), "plugin::result");
    assert_eq!(
        reason.en(),
        "finding for record index 1000000000 in a batch of 3 records"
    );
}

#[test]
fn finding_flood_is_refused() {
    let error = run_hostile("finding-flood", Limits::default(), "{}");
    assert_eq!(
        error,
        PluginError::TooManyFindings {
            plugin: "finding-flood".into(),
            count: 20_000,
            max: 10_000
        }
    );
    assert_eq!(error.code().as_str(), "plugin::too-many-findings");
}

#[test]
fn log_flood_of_lines_kills_the_plugin() {
    let error = run_hostile("log-flood", Limits::default(), "{}");
    assert_eq!(
        error,
        PluginError::LogFlood {
            plugin: "log-flood".into(),
            max_lines: 1000,
            max_bytes: 64 * 1024
        }
    );
    assert_eq!(error.code().as_str(), "plugin::log-flood");
}

#[test]
fn log_flood_of_bytes_kills_the_plugin() {
    let error = run_hostile("log-flood", Limits::default(), r#"{"mode": "bytes"}"#);
    assert_eq!(error.code().as_str(), "plugin::log-flood");
}

#[test]
fn wasi_import_is_refused_and_named() {
    let error = load_refused(&fixture_spec("wasi-import", Limits::default()));
    assert_eq!(
        error,
        PluginError::Imports {
            plugin: "wasi-import".into(),
            names: vec!["wasi:cli/environment@0.2.0".into()]
        }
    );
    assert_eq!(error.code().as_str(), "plugin::imports");
}

#[test]
fn tampered_component_fails_integrity() {
    let spec = PluginSpec {
        name: "afwegingskader".into(),
        path: fixture_path("tampered"),
        sha256: AFWEGINGSKADER_SHA256.to_owned(),
        limits: Limits::default(),
    };
    let error = load_refused(&spec);
    let PluginError::Integrity {
        expected, actual, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(expected, AFWEGINGSKADER_SHA256);
    assert_eq!(actual, &super::sha256_of(&fixture_path("tampered")));
    assert_eq!(error.code().as_str(), "plugin::integrity");
}

#[test]
fn pin_is_case_insensitive_but_must_match() {
    let host = PluginHost::new(None).unwrap();
    let mut spec = super::afwegingskader_spec();
    spec.sha256 = AFWEGINGSKADER_SHA256.to_uppercase();
    host.load(&spec).unwrap();
    spec.sha256 = "not-a-hash".into();
    assert_eq!(
        host.load(&spec).unwrap_err().code().as_str(),
        "plugin::integrity"
    );
}

#[test]
fn missing_file_is_a_read_error() {
    let mut spec = fixture_spec("noop", Limits::default());
    spec.path = fixture_path("does-not-exist");
    let error = load_refused(&spec);
    assert_eq!(error.code().as_str(), "plugin::read");
}

#[test]
fn garbage_is_a_compile_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.wasm");
    std::fs::write(&path, b"\0asm garbage, not a component").unwrap();
    let spec = PluginSpec {
        name: "garbage".into(),
        sha256: super::sha256_of(&path),
        path,
        limits: Limits::default(),
    };
    let error = load_refused(&spec);
    assert_eq!(error.code().as_str(), "plugin::compile");
}

#[test]
fn noop_returns_nothing() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&fixture_spec("noop", Limits::default())).unwrap();
    let output = plugin
        .check_batch(&records(1000), "{}", "2024-06-01")
        .unwrap();
    assert!(output.findings.is_empty());
    assert!(output.logs.is_empty());
}
