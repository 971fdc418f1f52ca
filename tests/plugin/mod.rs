//! Tests of the plugin host against the committed components: the real
//! `afwegingskader` plugin, the hostile fixtures, and the compile cache. No
//! wasm target is needed; `plugins/build.sh` rebuilds the components.

mod afwegingskader;
mod cache;
mod cli;
mod hostile;

use std::path::{Path, PathBuf};

use naleving::plugin::{Limits, LoadedPlugin, PluginHost, PluginSpec};
use sha2::{Digest, Sha256};

/// The pinned hash of the committed `plugins/afwegingskader.wasm`, as a
/// project file would pin it. A rebuild that changes the component must
/// update this (and the README's example).
pub const AFWEGINGSKADER_SHA256: &str =
    "24c0fd03944a9a00ee03c1b3486250e9feff5be6da788b31f08aa14fc4da8c5a";

/// `plugins/<name>.wasm`.
pub fn plugin_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("plugins")
        .join(format!("{name}.wasm"))
}

/// `fixtures/plugins/<name>.wasm`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/plugins")
        .join(format!("{name}.wasm"))
}

/// The sha256 of a file, hex.
pub fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A spec for a fixture, pinned to the fixture's own hash.
pub fn fixture_spec(name: &str, limits: Limits) -> PluginSpec {
    let path = fixture_path(name);
    PluginSpec {
        name: name.to_owned(),
        sha256: sha256_of(&path),
        path,
        limits,
    }
}

/// The spec of the real plugin, pinned to the committed hash.
pub fn afwegingskader_spec() -> PluginSpec {
    PluginSpec {
        name: "afwegingskader".to_owned(),
        path: plugin_path("afwegingskader"),
        sha256: AFWEGINGSKADER_SHA256.to_owned(),
        limits: Limits::default(),
    }
}

/// Loads and runs the real plugin on the host: proof that a hostile plugin
/// left it intact.
pub fn assert_host_intact(host: &PluginHost) {
    let plugin: LoadedPlugin = host.load(&afwegingskader_spec()).unwrap();
    let records = vec![
        r#"{"id": "D-1", "afweging": {"vermoeden": "ja", "onveiligheid": "ja"}, "besluit": "hulp"}"#.to_owned(),
        r#"{"id": "D-2", "afweging": {"vermoeden": "nee"}, "besluit": "afsluiten", "dossier_notitie": true}"#.to_owned(),
    ];
    let output = plugin.check_batch(&records, "{}", "2024-06-01").unwrap();
    let got: Vec<_> = output
        .findings
        .iter()
        .map(|f| (f.index, f.field.as_deref()))
        .collect();
    assert_eq!(got, [(0, Some("gemeld_op")), (0, Some("besluit"))]);
}
