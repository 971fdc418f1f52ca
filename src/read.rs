//! Reading an input file (project, rules, data, waivers, baseline, calendar,
//! plugin): regular files only, and text as UTF-8 with the line and column
//! of the first bad byte.
//!
//! A FIFO or device given as an input would block the run or never end
//! (`--baseline` naming a pipe, a collection path linked to `/dev/zero`); it
//! is refused before it is opened.

use std::fmt;
use std::fs::File;
use std::io;
use std::path::Path;

use crate::problem::{LineCol, Problem};
use crate::text::Text;
use crate::tr;

/// Why an input file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system's reason (missing, no permission, …).
    Io(io::Error),
    /// A FIFO, device or socket.
    NotRegular,
    /// Not UTF-8: the position of the first bad byte.
    Utf8(LineCol),
    /// Longer than the limit for its kind of file (in bytes).
    TooLarge(u64),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl ReadError {
    /// Why, in words (the operating system's reason as it gives it).
    pub fn text(&self) -> Text {
        match self {
            ReadError::Io(err) => Text::verbatim(err.to_string()),
            ReadError::NotRegular => tr!("not a regular file (a pipe, device or socket)"),
            ReadError::Utf8(_) => tr!("invalid UTF-8"),
            ReadError::TooLarge(limit) => tr!(
                "larger than {kib} KiB, the limit for this file",
                kib = limit >> 10
            ),
        }
    }

    /// Whether the file does not exist.
    pub fn is_missing(&self) -> bool {
        matches!(self, ReadError::Io(err) if err.kind() == io::ErrorKind::NotFound)
    }

    /// Places `problem` at the bad byte, for invalid UTF-8.
    pub fn place(&self, problem: Problem) -> Problem {
        match self {
            ReadError::Utf8(at) => problem.at(at.line, at.column),
            _ => problem,
        }
    }
}

/// Opens a regular file for reading.
pub fn open(path: &Path) -> Result<File, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    File::open(path).map_err(ReadError::Io)
}

/// A regular file's bytes.
pub fn bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let mut file = open(path)?;
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut file, &mut bytes).map_err(ReadError::Io)?;
    Ok(bytes)
}

/// A regular file's bytes, when there are at most `limit`.
pub fn bytes_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path)?;
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(file, limit + 1), &mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// A regular file's text.
pub fn text(path: &Path) -> Result<String, ReadError> {
    utf8(bytes(path)?)
}

/// Bytes as UTF-8 text, or the position of the first bad byte.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        ReadError::Utf8(line_col_of_bytes(valid))
    })
}

/// The line and column just after `prefix` (the position of the next byte).
pub fn line_col_of_bytes(prefix: &[u8]) -> LineCol {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let last_line = prefix.rsplit(|&b| b == b'\n').next().unwrap_or(prefix);
    let column = String::from_utf8_lossy(last_line).chars().count() as u32 + 1;
    LineCol { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_placed_at_its_byte() {
        let Err(ReadError::Utf8(at)) = utf8(b"a: 1\nb: \"\xc3\xa9\xff\"\n".to_vec()) else {
            panic!("invalid UTF-8 accepted");
        };
        assert_eq!(at, LineCol { line: 2, column: 6 });
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pijp");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening would block this test for ever; refusing returns at once.
        assert!(matches!(text(&fifo), Err(ReadError::NotRegular)));
        assert!(text(dir.path()).is_err(), "a directory is not read either");
    }
}
