//! The on-disk cache of compiled plugins, so a second run does not compile.
//!
//! A compiled component is native code: loading one is `unsafe`, because
//! wasmtime trusts it completely. So this cache only ever loads files it
//! wrote itself, and checks each before use:
//!
//! - the file name is the key: the plugin's sha256 (already verified against
//!   the pin), a digest of the engine's compatibility hash (wasmtime version
//!   and every `Config` setting that changes code) and [`CACHE_VERSION`];
//! - the file starts with [`MAGIC`] and the sha256 of the artifact that
//!   follows, so a truncated or corrupted file is detected and recompiled;
//! - files are written to a temporary name and renamed, so a reader never
//!   sees half a file.
//!
//! Any problem reading the cache is a miss, and any problem writing it is
//! ignored: the cache only saves time.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

use super::error::PluginError;
use crate::digest::hex;

/// Bumped whenever the file layout or the host's compilation settings change
/// in a way the engine's compatibility hash would not notice.
pub(crate) const CACHE_VERSION: &str = "v1";

/// First bytes of every cache file.
const MAGIC: &[u8; 8] = b"NLVPLG01";

/// Length of the header: magic plus the artifact's sha256.
const HEADER_LEN: usize = MAGIC.len() + 32;

/// A directory of compiled plugins for one engine configuration.
#[derive(Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
    /// Hex digest of the engine's compatibility hash plus [`CACHE_VERSION`].
    engine_tag: String,
}

impl Cache {
    /// Opens (creating it if needed) the cache directory for `engine`.
    pub(crate) fn open(dir: PathBuf, engine: &Engine) -> Result<Self, PluginError> {
        fs::create_dir_all(&dir).map_err(|e| PluginError::Host {
            plugin: String::new(),
            cause: format!(
                "cannot create the plugin cache directory {}: {e}",
                dir.display()
            ),
        })?;
        let mut hasher = Sha256Hasher::default();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        CACHE_VERSION.hash(&mut hasher);
        let engine_tag = hex(&hasher.0.finalize())[..16].to_owned();
        Ok(Self { dir, engine_tag })
    }

    /// Where the compiled form of the plugin with this sha256 lives.
    pub(crate) fn path_for(&self, plugin_sha256: &str) -> PathBuf {
        self.dir
            .join(format!("{plugin_sha256}-{}.cwasm", self.engine_tag))
    }

    /// The compiled component for this plugin hash, if a sound one is cached.
    pub(crate) fn load(&self, engine: &Engine, plugin_sha256: &str) -> Option<Component> {
        let bytes = fs::read(self.path_for(plugin_sha256)).ok()?;
        let artifact = verified_artifact(&bytes)?;
        deserialize(engine, artifact).ok()
    }

    /// Stores a freshly compiled component; errors are reported to the
    /// caller, which may ignore them.
    pub(crate) fn store(&self, plugin_sha256: &str, component: &Component) -> std::io::Result<()> {
        let artifact = component.serialize().map_err(std::io::Error::other)?;
        let target = self.path_for(plugin_sha256);
        let tmp = temp_path(&target);
        let result = write_file(&tmp, &artifact).and_then(|()| fs::rename(&tmp, &target));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

/// Writes header and artifact and flushes them to disk.
fn write_file(path: &Path, artifact: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(MAGIC)?;
    file.write_all(&Sha256::digest(artifact))?;
    file.write_all(artifact)?;
    file.sync_all()
}

/// A temporary name beside `target`, unique per process and call, so that
/// concurrent writers never share one.
fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    target.with_file_name(name)
}

/// The artifact inside a cache file, if the magic and checksum hold.
fn verified_artifact(bytes: &[u8]) -> Option<&[u8]> {
    let header = bytes.get(..HEADER_LEN)?;
    let artifact = bytes.get(HEADER_LEN..)?;
    let (magic, digest) = header.split_at(MAGIC.len());
    (magic == MAGIC && Sha256::digest(artifact).as_slice() == digest).then_some(artifact)
}

/// Turns a cached artifact back into a component without compiling.
#[allow(unsafe_code)]
fn deserialize(engine: &Engine, artifact: &[u8]) -> wasmtime::Result<Component> {
    // SAFETY: wasmtime runs deserialized native code as is, so the bytes must
    // come from `Component::serialize` of a compatible engine. They do: the
    // only writer of this directory is `Cache::store`, which writes the output
    // of `Component::serialize` under a name derived from the plugin's
    // verified sha256 and this engine's compatibility hash, atomically (temp
    // file + rename); `verified_artifact` has just checked the sha256 that
    // `store` wrote in front of it, so a truncated or altered file never
    // reaches this call; and wasmtime itself still rejects an artifact from
    // another wasmtime version or configuration with an error, not UB. We
    // deserialize from memory rather than `deserialize_file` so that the
    // checksummed bytes are the bytes loaded.
    unsafe { Component::deserialize(engine, artifact) }
}

/// Feeds `Hash` output into sha256, giving a cache key that is stable across
/// processes (std's `DefaultHasher` promises no such thing).
#[derive(Default)]
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        let digest = self.0.clone().finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_le_bytes(first)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_guards_the_artifact() {
        let artifact = b"not really native code";
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&Sha256::digest(artifact));
        file.extend_from_slice(artifact);
        assert_eq!(verified_artifact(&file), Some(&artifact[..]));

        let mut flipped = file.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(verified_artifact(&flipped), None);
        assert_eq!(verified_artifact(&file[..HEADER_LEN - 1]), None);
        let mut wrong_magic = file;
        wrong_magic[0] = b'X';
        assert_eq!(verified_artifact(&wrong_magic), None);
    }
}
