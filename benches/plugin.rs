//! Plugin host overhead: loading (cold compile vs. cache hit) and checking a
//! batch of 1000 records with the `noop` fixture (pure host overhead: fresh
//! store, instantiation, passing 1000 strings) and with `afwegingskader`.
//!
//! `cargo bench --bench plugin`

// A benchmark that cannot set up may stop loudly; criterion's macros
// generate undocumented functions.
#![allow(clippy::panic, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use naleving::plugin::{Limits, PluginHost, PluginSpec};
use sha2::{Digest, Sha256};

fn spec(name: &str, path: &str) -> PluginSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(&path).unwrap_or_default();
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    PluginSpec {
        name: name.to_owned(),
        path,
        sha256,
        limits: Limits::default(),
    }
}

fn dossiers(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                r#"{{"id": "D-{i}", "sector": "jeugdzorg", "signaal_op": "2024-03-01",
                    "stappen": {{"signalen": "2024-03-01", "wegen": "2024-03-08"}},
                    "afweging": {{"vermoeden": "ja", "onveiligheid": "{}"}},
                    "besluit": "hulp"}}"#,
                if i % 2 == 0 { "ja" } else { "nee" }
            )
        })
        .collect()
}

fn load(c: &mut Criterion) {
    let noop = spec("noop", "fixtures/plugins/noop.wasm");
    let kader = spec("afwegingskader", "plugins/afwegingskader.wasm");
    let host = PluginHost::new(None).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cached = PluginHost::new(Some(dir.path().to_owned())).unwrap_or_else(|e| panic!("{e}"));

    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    for spec in [&noop, &kader] {
        group.bench_function(format!("{}/cold-compile", spec.name), |b| {
            b.iter(|| black_box(host.load(spec).unwrap_or_else(|e| panic!("{e}"))))
        });
        cached.load(spec).unwrap_or_else(|e| panic!("{e}"));
        group.bench_function(format!("{}/cache-hit", spec.name), |b| {
            b.iter(|| {
                let plugin = cached.load(spec).unwrap_or_else(|e| panic!("{e}"));
                assert!(plugin.compiled_from_cache());
                black_box(plugin)
            })
        });
    }
    group.finish();
}

fn check(c: &mut Criterion) {
    let host = PluginHost::new(None).unwrap_or_else(|e| panic!("{e}"));
    let records = dossiers(1000);
    let mut group = c.benchmark_group("check-1000");
    group.throughput(Throughput::Elements(records.len() as u64));
    for spec in [
        spec("noop", "fixtures/plugins/noop.wasm"),
        spec("afwegingskader", "plugins/afwegingskader.wasm"),
    ] {
        let plugin = host.load(&spec).unwrap_or_else(|e| panic!("{e}"));
        group.bench_function(spec.name.as_str(), |b| {
            b.iter(|| {
                black_box(
                    plugin
                        .check_batch(&records, "{}", "2024-06-01")
                        .unwrap_or_else(|e| panic!("{e}")),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load, check);
criterion_main!(benches);
