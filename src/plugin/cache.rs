//! The on-disk cache of compiled plugins, so a second run does not compile.
//!
//! A compiled component is native code: loading one is `unsafe`, because
//! wasmtime trusts it completely. So an entry must be impossible to forge or
//! swap for anyone who cannot already run code as the user (the threat
//! model: README "Plugins", plugins/README.md):
//!
//! - every entry carries an HMAC-SHA256, under a per-user secret key kept
//!   *outside* the cache (`$NALEVING_CACHE_KEY`, else
//!   `$XDG_CONFIG_HOME/naleving/cache.key`, else
//!   `~/.config/naleving/cache.key`, created 0600 on first use), over the
//!   plugin's sha256 (verified against the pin), the engine's tag and the
//!   artifact: an entry copied from another plugin's slot, or written by
//!   someone without the key, fails the check and is recompiled;
//! - the cache directory must be the user's own and writable by no one
//!   else, and the key file readable by no one else, or the cache is not
//!   used (and a warning says why);
//! - the project file cannot choose the cache: a repository being checked
//!   is untrusted input;
//! - files are written to a temporary name and renamed, so a reader never
//!   sees half a file.
//!
//! Any other problem reading the cache is a miss, and any problem writing
//! it is ignored: the cache only saves time.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

use super::error::PluginError;
use crate::digest::hex;
use crate::text::Text;
use crate::tr;

/// Bumped whenever the file layout or the host's compilation settings change
/// in a way the engine's compatibility hash would not notice.
pub(crate) const CACHE_VERSION: &str = "v2";

/// First bytes of every cache file.
const MAGIC: &[u8; 8] = b"NLVPLG02";

/// Length of the header: magic plus the entry's MAC.
const HEADER_LEN: usize = MAGIC.len() + 32;

/// The MAC of cache entries.
type EntryMac = hmac::Hmac<Sha256>;

/// A directory of compiled plugins for one engine configuration.
pub(crate) struct Cache {
    dir: PathBuf,
    /// Hex digest of the engine's compatibility hash plus [`CACHE_VERSION`].
    engine_tag: String,
    /// The user's secret key for entry MACs.
    key: [u8; 32],
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Cache").field("dir", &self.dir).finish()
    }
}

impl Cache {
    /// Opens (creating it if needed) the cache directory for `engine`.
    pub(crate) fn open(dir: PathBuf, engine: &Engine) -> Result<Self, PluginError> {
        let refuse = |cause: Text| PluginError::Host {
            plugin: String::new(),
            cause,
        };
        private_dir(&dir).map_err(|e| {
            refuse(tr!(
                "the plugin cache {dir} is not used: {cause}",
                dir = dir.display(),
                cause = e
            ))
        })?;
        let key_path = key_path().ok_or_else(|| {
            refuse(tr!(
                "the plugin cache is not used: no place for its key (set HOME)"
            ))
        })?;
        if key_path.starts_with(&dir) {
            return Err(refuse(tr!(
                "the plugin cache {dir} is not used: its key must not lie inside it",
                dir = dir.display()
            )));
        }
        let key = user_key(&key_path).map_err(|e| {
            refuse(tr!(
                "the plugin cache is not used: its key {path}: {cause}",
                path = key_path.display(),
                cause = e
            ))
        })?;
        let mut hasher = Sha256Hasher::default();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        CACHE_VERSION.hash(&mut hasher);
        let engine_tag = hex(&hasher.0.finalize())[..16].to_owned();
        Ok(Self {
            dir,
            engine_tag,
            key,
        })
    }

    /// The MAC of an entry: the plugin it compiles, the engine it is for,
    /// and the compiled bytes.
    fn mac(&self, plugin_sha256: &str, artifact: &[u8]) -> EntryMac {
        let mut mac = EntryMac::new_from_slice(&self.key).unwrap_or_else(|_| {
            // HMAC takes a key of any length; this cannot happen.
            EntryMac::new_from_slice(&[0; 32]).unwrap_or_else(|_| unreachable!())
        });
        for part in [
            b"naleving plugin cache".as_slice(),
            plugin_sha256.as_bytes(),
            self.engine_tag.as_bytes(),
        ] {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        mac.update(artifact);
        mac
    }

    /// Where the compiled form of the plugin with this sha256 lives.
    pub(crate) fn path_for(&self, plugin_sha256: &str) -> PathBuf {
        self.dir
            .join(format!("{plugin_sha256}-{}.cwasm", self.engine_tag))
    }

    /// The compiled component for this plugin hash, if a sound one is cached.
    pub(crate) fn load(&self, engine: &Engine, plugin_sha256: &str) -> Option<Component> {
        let bytes = read_regular(&self.path_for(plugin_sha256))?;
        let artifact = self.verified_artifact(plugin_sha256, &bytes)?;
        deserialize(engine, artifact).ok()
    }

    /// The artifact inside a cache file, if the magic holds and the MAC is
    /// this user's for this plugin and engine.
    fn verified_artifact<'b>(&self, plugin_sha256: &str, bytes: &'b [u8]) -> Option<&'b [u8]> {
        let header = bytes.get(..HEADER_LEN)?;
        let artifact = bytes.get(HEADER_LEN..)?;
        let (magic, tag) = header.split_at(MAGIC.len());
        let genuine = self.mac(plugin_sha256, artifact).verify_slice(tag).is_ok();
        (magic == MAGIC && genuine).then_some(artifact)
    }

    /// Stores a freshly compiled component; errors are reported to the
    /// caller, which may ignore them.
    pub(crate) fn store(&self, plugin_sha256: &str, component: &Component) -> std::io::Result<()> {
        let artifact = component.serialize().map_err(std::io::Error::other)?;
        let target = self.path_for(plugin_sha256);
        let tmp = temp_path(&target);
        let tag = self.mac(plugin_sha256, &artifact).finalize().into_bytes();
        let result = write_file(&tmp, &tag, &artifact).and_then(|()| fs::rename(&tmp, &target));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

/// Writes header and artifact and flushes them to disk.
fn write_file(path: &Path, tag: &[u8], artifact: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(MAGIC)?;
    file.write_all(tag)?;
    file.write_all(artifact)?;
    file.sync_all()
}

/// A regular file's bytes (not a FIFO, a device or a directory, which
/// could block or grow without end).
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let metadata = fs::symlink_metadata(path).ok()?;
    if !metadata.file_type().is_file() {
        return None;
    }
    fs::read(path).ok()
}

/// Where the user's cache key lives: `$NALEVING_CACHE_KEY`, else
/// `$XDG_CONFIG_HOME/naleving/cache.key`, else `~/.config/naleving/cache.key`.
pub(crate) fn key_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NALEVING_CACHE_KEY") {
        return Some(PathBuf::from(path));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(dir).join("naleving/cache.key"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config/naleving/cache.key"))
}

/// An operating-system error, in its own words.
#[cfg(unix)]
fn os(err: std::io::Error) -> Text {
    Text::verbatim(err.to_string())
}

/// Creates `dir` (0700) if needed, and checks that it is a directory of
/// this user that no one else can write to.
#[cfg(unix)]
fn private_dir(dir: &Path) -> Result<(), Text> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(os)?;
    let metadata = fs::symlink_metadata(dir).map_err(os)?;
    if !metadata.is_dir() {
        return Err(tr!("it is not a directory"));
    }
    if metadata.uid() != own_uid().map_err(os)? {
        return Err(tr!("it belongs to another user"));
    }
    if metadata.mode() & 0o022 != 0 {
        return Err(tr!("others can write to it (chmod go-w, or remove it)"));
    }
    Ok(())
}

#[cfg(not(unix))]
fn private_dir(_: &Path) -> Result<(), Text> {
    Err(tr!("ownership cannot be checked on this platform"))
}

/// This process's user id, as the kernel shows it.
#[cfg(unix)]
fn own_uid() -> std::io::Result<u32> {
    use std::os::unix::fs::MetadataExt;
    Ok(fs::metadata("/proc/self")?.uid())
}

/// The user's secret key: read, or created (0600, 32 bytes from the
/// system's random source) on first use. A key others can read is refused.
#[cfg(unix)]
fn user_key(path: &Path) -> Result<[u8; 32], Text> {
    use std::io::Read;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    if let Some(parent) = path.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .create(parent)
            .map_err(os)?;
    }
    match fs::symlink_metadata(path) {
        Ok(metadata) => {
            if !metadata.is_file()
                || metadata.uid() != own_uid().map_err(os)?
                || metadata.mode() & 0o077 != 0
            {
                return Err(tr!(
                    "it must be a file of yours that no one else can read (chmod 600)"
                ));
            }
            let bytes = fs::read(path).map_err(os)?;
            bytes.try_into().map_err(|_| tr!("it is not 32 bytes long"))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            // Written whole under a temporary name, then linked into place:
            // another process creating the key at the same moment either
            // wins (and its key is read) or loses; no one reads half a key.
            let mut key = [0u8; 32];
            fs::File::open("/dev/urandom")
                .and_then(|mut random| random.read_exact(&mut key))
                .map_err(os)?;
            let tmp = temp_path(path);
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(os)?;
            file.write_all(&key)
                .and_then(|()| file.sync_all())
                .map_err(os)?;
            let linked = fs::hard_link(&tmp, path);
            let _ = fs::remove_file(&tmp);
            match linked {
                Ok(()) => Ok(key),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => user_key(path),
                Err(err) => Err(os(err)),
            }
        }
        Err(err) => Err(os(err)),
    }
}

#[cfg(not(unix))]
fn user_key(_: &Path) -> Result<[u8; 32], Text> {
    Err(tr!("no private key store on this platform"))
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

/// Turns a cached artifact back into a component without compiling.
#[allow(unsafe_code)]
fn deserialize(engine: &Engine, artifact: &[u8]) -> wasmtime::Result<Component> {
    // SAFETY: wasmtime runs deserialized native code as is, so the bytes must
    // come from `Component::serialize` of a compatible engine. They do:
    // `verified_artifact` has just checked the HMAC that `Cache::store` wrote
    // in front of them, under the user's secret key (kept outside the cache,
    // readable by the user alone), over this plugin's verified sha256, this
    // engine's compatibility tag and these bytes. Without the key no one can
    // write an entry that passes, nor move one from another plugin's slot;
    // whoever has the key can already run code as the user. wasmtime itself
    // still rejects an artifact from another wasmtime version or
    // configuration with an error, not UB. We deserialize from memory rather
    // than `deserialize_file` so that the checked bytes are the bytes loaded.
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

    fn cache(key: [u8; 32]) -> Cache {
        Cache {
            dir: PathBuf::new(),
            engine_tag: "0123456789abcdef".to_string(),
            key,
        }
    }

    /// An entry passes only with the user's key, for its own plugin, with
    /// its own bytes: a checksum anyone can recompute is not enough.
    #[test]
    fn the_mac_guards_the_artifact_and_its_slot() {
        let cache = cache([7; 32]);
        let artifact = b"not really native code";
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&cache.mac("aa", artifact).finalize().into_bytes());
        file.extend_from_slice(artifact);
        assert_eq!(cache.verified_artifact("aa", &file), Some(&artifact[..]));
        // Another plugin's slot, another user's key.
        assert_eq!(cache.verified_artifact("bb", &file), None);
        assert_eq!(self::cache([8; 32]).verified_artifact("aa", &file), None);
        // Altered, cut short, another magic.
        let mut flipped = file.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(cache.verified_artifact("aa", &flipped), None);
        assert_eq!(cache.verified_artifact("aa", &file[..HEADER_LEN - 1]), None);
        let mut wrong_magic = file.clone();
        wrong_magic[0] = b'X';
        assert_eq!(cache.verified_artifact("aa", &wrong_magic), None);
        // The old checksum of the bytes, recomputed by a forger.
        let mut forged = MAGIC.to_vec();
        forged.extend_from_slice(&Sha256::digest(artifact));
        forged.extend_from_slice(artifact);
        assert_eq!(cache.verified_artifact("aa", &forged), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_can_write_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        assert!(private_dir(&cache).is_ok());
        fs::set_permissions(&cache, fs::Permissions::from_mode(0o777)).unwrap();
        let err = private_dir(&cache).unwrap_err().en();
        assert_eq!(err, "others can write to it (chmod go-w, or remove it)");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("naleving/cache.key");
        let key = user_key(&path).unwrap();
        assert_eq!(user_key(&path).unwrap(), key, "the key is kept");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(user_key(&path).is_err());
    }

    /// Processes creating the key at the same moment all end with the one
    /// key on disk.
    #[cfg(unix)]
    #[test]
    fn racing_first_uses_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.key");
        let keys: Vec<[u8; 32]> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| user_key(&path).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let on_disk = fs::read(&path).unwrap();
        assert!(keys.iter().all(|k| k[..] == on_disk[..]));
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary files are left");
    }
}
