//! Walking a directory for the files naleving reads (rule files, data
//! files): regular files only, sorted, each directory once.
//!
//! A directory that cannot be read is reported, never skipped silently; a
//! symbolic link back to a directory already walked is walked once, so a
//! loop cannot hang the run; a FIFO, device or socket with a matching name
//! is reported and not opened, since reading one can block or never end.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The regular files `keep` accepted, sorted.
    pub files: Vec<PathBuf>,
    /// Directories that could not be read, with why.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Matching names that are not regular files (FIFOs, devices, sockets).
    pub special: Vec<PathBuf>,
}

/// Walks `dir` for the regular files whose path `keep` accepts.
pub fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Walked {
    let mut walked = Walked::default();
    let mut seen = HashSet::new();
    walk(dir, keep, &mut seen, &mut walked);
    walked.files.sort();
    walked
}

fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, seen: &mut HashSet<PathBuf>, out: &mut Walked) {
    // The real directory, so a link back to one already walked stops here.
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                return;
            }
        }
        Err(err) => {
            out.unreadable.push((dir.to_path_buf(), err.to_string()));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            out.unreadable.push((dir.to_path_buf(), err.to_string()));
            return;
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(err) => out.unreadable.push((dir.to_path_buf(), err.to_string())),
        }
    }
    paths.sort();
    for path in paths {
        // Following links: a link to a file or a directory counts as one.
        let Ok(metadata) = std::fs::metadata(&path) else {
            if keep(&path) {
                out.unreadable
                    .push((path, "a broken link or unreadable".to_string()));
            }
            continue;
        };
        if metadata.is_dir() {
            walk(&path, keep, seen, out);
        } else if keep(&path) {
            if metadata.is_file() {
                out.files.push(path);
            } else {
                out.special.push(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn loops_are_walked_once_and_special_files_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/x.yaml"), "").unwrap();
        std::fs::write(root.join("a/y.txt"), "").unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/terug")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b"), root.join("a/lus")).unwrap();
        let fifo = root.join("a/pijp.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let walked = files(root, &|p| p.extension().is_some_and(|e| e == "yaml"));
        assert_eq!(walked.files, [root.join("a/b/x.yaml")]);
        assert!(walked.unreadable.is_empty(), "{:?}", walked.unreadable);
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(walked.special, [fifo]);
        }
    }
}
