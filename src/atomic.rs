//! Writing a file atomically: the bytes go to a temporary file in the same
//! directory, which is then renamed over the target. A reader (a CI step, an
//! editor, the next `check --baseline`) sees the old file or the new one,
//! never half of one — also when naleving is killed halfway. The file is not
//! synced to disk before the rename (for a 270 MB report that took longer than
//! writing it): after a power loss the target may be empty, and a run
//! again writes it; the data files, which naleving never writes, are not at
//! stake.
//!
//! Only a regular file is replaced. A symbolic link is followed (the file it
//! points to is replaced, the link stays), and a target that is not a file —
//! `/dev/null`, a named pipe, a terminal — is written to in place: renaming
//! over `/dev/null` would turn it into a regular file for every program on
//! the machine.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`: atomically when it is (or will be) a regular
/// file, in place when it is a device or pipe.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, &mut |out| out.write_all(bytes))
}

/// Like [`write`], with the bytes written by `fill` piece by piece, so a
/// large report need not be one string in memory.
pub fn write_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let path: PathBuf = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let mut target = std::fs::OpenOptions::new().write(true).open(&path)?;
            fill(&mut target)?;
            target.flush()
        }
        _ => replace(&path, fill),
    }
}

/// Removes the temporary files a killed run left for target `name` in
/// `dir` (`.{name}.{pid}.{n}.tmp` of a process that no longer runs). A
/// writer that is still running keeps its file. Only Linux can tell which
/// processes run (`/proc`); elsewhere nothing is removed.
fn remove_stale(dir: &Path, name: &str) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((pid, attempt)) = rest.split_once('.') else {
            continue;
        };
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if numeric(pid) && numeric(attempt) && is_file && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes a temporary file next to `path` and renames it over `path`.
fn replace(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "naleving".to_string());
    remove_stale(dir, &name);
    // The same directory, so the rename never crosses a file system.
    let (temp, mut file) = (0..100)
        .find_map(|attempt| {
            let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .ok()
                .map(|file| (temp, file))
        })
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("cannot create a temporary file in {}", dir.display()),
            )
        })?;
    let written = fill(&mut file)
        .and_then(|()| file.flush())
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    /// A run killed while writing left `.out.json.<pid>.<n>.tmp` (up to the
    /// size of a report) for ever; the next write to the same target
    /// removes it, unless its process still runs.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_temporary_file_of_a_killed_run_is_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        // No process has a pid above the kernel's maximum (2^22).
        let dead = dir.path().join(".out.json.99999999.0.tmp");
        let alive = dir
            .path()
            .join(format!(".out.json.{}.7.tmp", std::process::id()));
        let other = dir.path().join(".other.json.99999999.0.tmp");
        for file in [&dead, &alive, &other] {
            std::fs::write(file, "half a report").unwrap();
        }
        super::write(&path, b"new").unwrap();
        assert!(!dead.exists(), "the killed run's file is removed");
        assert!(alive.exists(), "a running writer's file is kept");
        assert!(other.exists(), "another target's file is not touched");
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        super::write(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.json"]);
    }

    /// `/dev/null` and named pipes are written to, never replaced: a rename
    /// over `/dev/null` (run as root) broke every later build on a machine.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        let reader = {
            let pipe = pipe.clone();
            std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
        };
        super::write(&pipe, b"report").unwrap();
        // Checked before joining: a replaced pipe leaves the reader waiting.
        let kind = std::fs::symlink_metadata(&pipe).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
        assert_eq!(reader.join().unwrap(), "report");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        super::write(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(super::write(&dir.path().join("nope/out.json"), b"x").is_err());
    }
}
