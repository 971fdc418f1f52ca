//! The compile cache: a second run does not compile, and a damaged or stale
//! cache file is recompiled, never trusted.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use naleving::plugin::PluginHost;

use super::{afwegingskader_spec, assert_host_intact};

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn second_load_comes_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();

    let started = Instant::now();
    let first = PluginHost::new(Some(dir.path().to_owned()))
        .unwrap()
        .load(&afwegingskader_spec())
        .unwrap();
    let cold = started.elapsed();
    assert!(!first.compiled_from_cache());
    let files = cache_files(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(super::AFWEGINGSKADER_SHA256) && name.ends_with(".cwasm"),
        "{name}"
    );

    let host = PluginHost::new(Some(dir.path().to_owned())).unwrap();
    let started = Instant::now();
    let second = host.load(&afwegingskader_spec()).unwrap();
    let warm = started.elapsed();
    assert!(second.compiled_from_cache());
    eprintln!("afwegingskader load: cold (compile) {cold:?}, warm (cache) {warm:?}");
    assert_host_intact(&host);
}

#[test]
fn without_a_cache_dir_every_load_compiles() {
    let host = PluginHost::new(None).unwrap();
    assert!(
        !host
            .load(&afwegingskader_spec())
            .unwrap()
            .compiled_from_cache()
    );
    assert!(
        !host
            .load(&afwegingskader_spec())
            .unwrap()
            .compiled_from_cache()
    );
}

/// Damages the one cache file with `damage`, then checks that the next load
/// recompiles, works, and repairs the cache for the load after it.
fn recompiles_after(damage: impl FnOnce(&mut Vec<u8>)) {
    let dir = tempfile::tempdir().unwrap();
    PluginHost::new(Some(dir.path().to_owned()))
        .unwrap()
        .load(&afwegingskader_spec())
        .unwrap();
    let file = cache_files(dir.path()).remove(0);
    let mut bytes = fs::read(&file).unwrap();
    damage(&mut bytes);
    fs::write(&file, &bytes).unwrap();

    let host = PluginHost::new(Some(dir.path().to_owned())).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    assert!(
        !plugin.compiled_from_cache(),
        "a damaged cache file was trusted"
    );
    assert_host_intact(&host);
    assert_eq!(
        cache_files(dir.path()),
        std::slice::from_ref(&file),
        "no temp files are left behind"
    );

    let host = PluginHost::new(Some(dir.path().to_owned())).unwrap();
    assert!(
        host.load(&afwegingskader_spec())
            .unwrap()
            .compiled_from_cache(),
        "the cache was not repaired"
    );
}

#[test]
fn a_corrupt_cache_file_is_recompiled() {
    // One flipped bit in the native code: only the checksum can tell.
    recompiles_after(|bytes| {
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x10;
    });
}

#[test]
fn a_truncated_cache_file_is_recompiled() {
    recompiles_after(|bytes| bytes.truncate(bytes.len() / 3));
}

#[test]
fn a_forged_cache_file_with_a_recomputed_checksum_is_recompiled() {
    // A well-formed file whose header holds the sha256 of its artifact, as
    // anyone can compute it (the format before the MAC): never run.
    recompiles_after(|bytes| {
        use sha2::{Digest, Sha256};
        let artifact = b"\x7fELF not an artifact of this engine".to_vec();
        bytes.truncate(8);
        bytes.extend_from_slice(&Sha256::digest(&artifact));
        bytes.extend_from_slice(&artifact);
    });
}

/// The compiled entry of one plugin copied over the slot of another (the
/// file name is all that ties a plain checksummed entry to its plugin): the
/// MAC covers the plugin's sha256, so the other plugin is recompiled and
/// runs as itself.
#[test]
fn a_swapped_cache_entry_is_recompiled_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let host = PluginHost::new(Some(dir.path().to_owned())).unwrap();
    let other = super::fixture_spec("bad-index", naleving::plugin::Limits::default());
    host.load(&other).unwrap();
    let entry = cache_files(dir.path()).remove(0);
    let slot = entry
        .to_string_lossy()
        .replace(&other.sha256, super::AFWEGINGSKADER_SHA256);
    fs::copy(&entry, &slot).unwrap();

    let host = PluginHost::new(Some(dir.path().to_owned())).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    assert!(
        !plugin.compiled_from_cache(),
        "another plugin's entry was run"
    );
    assert_host_intact(&host);
}

/// A cache directory others can write to is not used: every load compiles.
#[cfg(unix)]
#[test]
fn a_cache_directory_others_can_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    PluginHost::new(Some(cache.clone())).unwrap();
    fs::set_permissions(&cache, fs::Permissions::from_mode(0o777)).unwrap();
    let err = PluginHost::new(Some(cache.clone())).err().unwrap();
    assert!(
        err.to_string()
            .contains("is not used: others can write to it"),
        "{err}"
    );
}
