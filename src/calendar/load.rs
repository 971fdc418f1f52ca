//! Calendar data files: their YAML shape, strict parsing and validation.
//!
//! The built-in `nl` calendar embeds two files, `data/gelijkgesteld.yaml`
//! (days *gelijkgesteld* to feestdagen by Royal Decree, Atw art. 3 lid 3)
//! and `data/recesses.yaml` (Tweede Kamer recesses). A project may add a
//! file of the same shape; both keys are optional, so one file can carry
//! either list or both:
//!
//! ```yaml
//! gelijkgesteld:
//!   - { date: 2026-05-15, name: vrijdag na Hemelvaartsdag, source: "https://…" }
//! recesses:
//!   - { name: zomerreces, year: 2020, start: 2020-07-03, end: null, source: "https://…" }
//! ```
//!
//! Loading runs in two phases, as elsewhere in naleving: serde-saphyr
//! parses strictly (unknown keys are errors) keeping the position of every
//! date, then `parse_file` validates every entry and reports *all*
//! problems with their line and column, not just the first.

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use super::recess::{Recess, RecessKind};
use crate::calendar::CalendarCode;
use crate::text::Text;
use crate::tr;

/// A problem in a calendar data file. Every variant names the file
/// (`origin`), the line and the column, and carries the file's text so that
/// a miette report can show the offending line.
#[derive(Debug)]
pub enum CalendarError {
    /// The file is not YAML of the calendar shape (bad syntax, an unknown
    /// key, a wrong type, an unknown recess name).
    Parse {
        /// The file, as the caller named it.
        origin: String,
        /// 1-based line of the problem (0 when unknown).
        line: u64,
        /// 1-based column of the problem (0 when unknown).
        column: u64,
        /// What the YAML parser reported (its own words, in English).
        message: Text,
        /// The file's text.
        src: Arc<NamedSource<String>>,
        /// Where in the text.
        span: Option<SourceSpan>,
    },
    /// An entry parsed but its value is wrong: an invalid date, a year
    /// that does not match the start date, an end before the start, an
    /// empty source.
    Invalid {
        /// The file, as the caller named it.
        origin: String,
        /// 1-based line of the problem.
        line: u64,
        /// 1-based column of the problem.
        column: u64,
        /// What is wrong.
        message: Text,
        /// How to fix it (boxed: it is seldom read, and keeps the error
        /// small).
        help: Option<Box<Text>>,
        /// The file's text.
        src: Arc<NamedSource<String>>,
        /// Where in the text.
        span: Option<SourceSpan>,
    },
    /// An entry contradicts one already loaded (from this file or an
    /// earlier one): the same recess with other dates.
    Conflict {
        /// The file, as the caller named it.
        origin: String,
        /// 1-based line of the new entry.
        line: u64,
        /// 1-based column of the new entry.
        column: u64,
        /// What contradicts what.
        message: Text,
        /// The file's text.
        src: Arc<NamedSource<String>>,
        /// Where in the text.
        span: Option<SourceSpan>,
    },
    /// Several problems in one file; each is a related diagnostic.
    Many {
        /// The file, as the caller named it.
        origin: String,
        /// Every problem found, in file order.
        problems: Vec<CalendarError>,
    },
}

/// The English message with the file and position, as logs and miette show
/// it.
impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl std::error::Error for CalendarError {}

impl Diagnostic for CalendarError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self {
            CalendarError::Parse { .. } => CalendarCode::Parse.as_str(),
            CalendarError::Invalid { .. } => CalendarCode::Invalid.as_str(),
            CalendarError::Conflict { .. } => "calendar::conflict",
            CalendarError::Many { .. } => "calendar::invalid-file",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help_text()
            .map(|help| Box::new(help.en()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match self {
            CalendarError::Parse { src, .. }
            | CalendarError::Invalid { src, .. }
            | CalendarError::Conflict { src, .. } => Some(&**src),
            CalendarError::Many { .. } => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (label, span) = match self {
            CalendarError::Parse { span, .. } | CalendarError::Invalid { span, .. } => {
                ("here", span)
            }
            CalendarError::Conflict { span, .. } => ("conflicting entry", span),
            CalendarError::Many { .. } => return None,
        };
        let span = (*span)?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(label.to_string()),
            span,
        ))))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        match self {
            CalendarError::Many { problems, .. } => Some(Box::new(
                problems.iter().map(|problem| problem as &dyn Diagnostic),
            )),
            _ => None,
        }
    }
}

impl CalendarError {
    /// The code of the run's problem for this error: `calendar::parse` for
    /// a file that is not YAML of the calendar shape, `calendar::invalid`
    /// for anything else wrong in it.
    pub fn problem_code(&self) -> CalendarCode {
        match self {
            CalendarError::Parse { .. } => CalendarCode::Parse,
            _ => CalendarCode::Invalid,
        }
    }

    /// Each problem on its own: the error itself, or every problem of
    /// [`CalendarError::Many`].
    pub fn leaves(&self) -> Vec<&CalendarError> {
        match self {
            CalendarError::Many { problems, .. } => {
                problems.iter().flat_map(CalendarError::leaves).collect()
            }
            one => vec![one],
        }
    }

    /// What is wrong, with the file and position (`kalender.yaml:4:44:
    /// …`), in either language.
    pub fn text(&self) -> Text {
        match self {
            CalendarError::Parse {
                origin,
                line,
                column,
                message,
                ..
            }
            | CalendarError::Invalid {
                origin,
                line,
                column,
                message,
                ..
            }
            | CalendarError::Conflict {
                origin,
                line,
                column,
                message,
                ..
            } => tr!(
                "{origin}:{line}:{column}: {message}",
                origin = origin,
                line = line,
                column = column,
                message = message.clone()
            ),
            CalendarError::Many { origin, problems } => tr!(
                "{origin}: {count} problems in calendar file",
                origin = origin,
                count = problems.len()
            ),
        }
    }

    /// What is wrong, without the file and position (a problem carries
    /// those apart).
    pub fn message(&self) -> Text {
        match self {
            CalendarError::Parse { message, .. }
            | CalendarError::Invalid { message, .. }
            | CalendarError::Conflict { message, .. } => message.clone(),
            many => many.text(),
        }
    }

    /// How to fix it, when there is advice.
    pub fn help_text(&self) -> Option<Text> {
        match self {
            CalendarError::Parse { .. } => Some(tr!(
                "a calendar file has the keys `gelijkgesteld` and `recesses`; see the calendar documentation for the fields of each entry"
            )),
            CalendarError::Invalid { help, .. } => help.as_deref().cloned(),
            CalendarError::Conflict { .. } => Some(tr!(
                "remove one of the two entries, or make their dates agree"
            )),
            CalendarError::Many { .. } => None,
        }
    }

    /// Where in the file, when known.
    pub fn at(&self) -> Option<crate::problem::LineCol> {
        match self {
            CalendarError::Parse { line, column, .. }
            | CalendarError::Invalid { line, column, .. }
            | CalendarError::Conflict { line, column, .. }
                if *line > 0 =>
            {
                Some(crate::problem::LineCol {
                    line: u32::try_from(*line).unwrap_or(u32::MAX),
                    column: u32::try_from(*column).unwrap_or(u32::MAX).max(1),
                })
            }
            _ => None,
        }
    }

    /// Folds a list of problems into one error: the problem itself when
    /// there is one, [`CalendarError::Many`] otherwise. `None` when the list
    /// is empty.
    pub(crate) fn collect(origin: &str, mut problems: Vec<CalendarError>) -> Option<CalendarError> {
        match problems.len() {
            0 => None,
            1 => problems.pop(),
            _ => Some(CalendarError::Many {
                origin: origin.to_string(),
                problems,
            }),
        }
    }
}

/// The top level of a calendar file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    /// Days gelijkgesteld by Royal Decree.
    #[serde(default)]
    gelijkgesteld: Vec<GelijkgesteldEntry>,
    /// Tweede Kamer recesses.
    #[serde(default)]
    recesses: Vec<RecessEntry>,
}

/// One `gelijkgesteld` entry as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GelijkgesteldEntry {
    /// The day, `YYYY-MM-DD`.
    date: Spanned<String>,
    /// A short description ("vrijdag na Hemelvaartsdag"), shown in reasons.
    #[serde(default)]
    name: Option<String>,
    /// Where the decree or a report of it can be read.
    source: Spanned<String>,
    /// Any remark.
    #[serde(default)]
    note: Option<String>,
}

/// One `recesses` entry as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecessEntry {
    /// Which recess.
    name: RecessKind,
    /// The year the recess starts in.
    year: Spanned<i16>,
    /// First day without sittings, `YYYY-MM-DD`.
    start: Spanned<String>,
    /// Last day of the recess, `YYYY-MM-DD`, or null when unknown.
    #[serde(default)]
    end: Option<Spanned<String>>,
    /// Where the dates come from.
    source: Spanned<String>,
    /// Any remark, e.g. that the start is inferred.
    #[serde(default)]
    note: Option<String>,
}

/// A day gelijkgesteld to a feestdag, as loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GelijkgesteldeDag {
    /// The day.
    pub date: Date,
    /// A short description ("vrijdag na Hemelvaartsdag"), if the file gave
    /// one.
    pub name: Option<String>,
    /// Where the decree or a report of it can be read.
    pub source: String,
    /// Any remark from the file.
    pub note: Option<String>,
    /// The file the entry was loaded from.
    pub origin: String,
}

/// A value together with the place it was written, for later diagnostics.
#[derive(Clone, Debug)]
pub(crate) struct Placed<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub at: Location,
}

/// The validated content of one calendar file.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// The gelijkgestelde dagen, in file order.
    pub gelijkgesteld: Vec<Placed<GelijkgesteldeDag>>,
    /// The recesses, in file order; `at` is the place of `start`.
    pub recesses: Vec<Placed<Recess>>,
}

/// Knows the file being loaded, to build errors that point into it.
pub(crate) struct Source<'a> {
    /// The file, as the caller named it.
    pub origin: &'a str,
    /// The file's text.
    pub text: &'a str,
    /// The text for miette, made once and shared by every error.
    named: std::cell::OnceCell<Arc<NamedSource<String>>>,
}

impl<'a> Source<'a> {
    /// A source named `origin` with text `text`.
    pub fn new(origin: &'a str, text: &'a str) -> Source<'a> {
        Source {
            origin,
            text,
            named: std::cell::OnceCell::new(),
        }
    }

    fn named(&self) -> Arc<NamedSource<String>> {
        Arc::clone(
            self.named
                .get_or_init(|| Arc::new(NamedSource::new(self.origin, self.text.to_string()))),
        )
    }

    /// An [`CalendarError::Invalid`] at `at`.
    pub fn invalid(&self, at: &Location, message: Text, help: Option<Text>) -> CalendarError {
        CalendarError::Invalid {
            origin: self.origin.to_string(),
            line: at.line(),
            column: at.column(),
            message,
            help: help.map(Box::new),
            src: self.named(),
            span: source_span(at),
        }
    }

    /// A [`CalendarError::Conflict`] at `at`.
    pub fn conflict(&self, at: &Location, message: Text) -> CalendarError {
        CalendarError::Conflict {
            origin: self.origin.to_string(),
            line: at.line(),
            column: at.column(),
            message,
            src: self.named(),
            span: source_span(at),
        }
    }

    /// A [`CalendarError::Parse`] from serde-saphyr's error.
    fn parse_error(&self, err: &serde_saphyr::Error) -> CalendarError {
        let location = err.location();
        let (line, column) = location.map_or((0, 0), |l| (l.line(), l.column()));
        let rendered = err.to_string();
        // The plain rendering ends in " at line L, column C"; we print the
        // place ourselves, in the `file:line:column` form, so drop it.
        let suffix = format!(" at line {line}, column {column}");
        let message = Text::verbatim(rendered.strip_suffix(&suffix).unwrap_or(&rendered));
        CalendarError::Parse {
            origin: self.origin.to_string(),
            line,
            column,
            message,
            src: self.named(),
            span: location.as_ref().and_then(source_span),
        }
    }
}

/// The byte range of a location, for a miette label.
fn source_span(at: &Location) -> Option<SourceSpan> {
    let span = at.span();
    let offset = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    Some(SourceSpan::from((offset, len)))
}

/// Parses a date written strictly as `YYYY-MM-DD`.
///
/// jiff's own parser also takes date-times and the basic format
/// (`20200703`); in a calendar file those are more likely typos than
/// intent, so anything but the extended date form is refused.
pub fn parse_iso_date(text: &str) -> Result<Date, Text> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(tr!(
            "`{text}` is not a date of the form YYYY-MM-DD",
            text = text
        ));
    }
    text.parse::<Date>().map_err(|e| {
        tr!(
            "`{text}` is not a valid date: {reason}",
            text = text,
            reason = e
        )
    })
}

/// Parses and validates one calendar file. On failure, every problem found
/// is returned, in file order.
pub(crate) fn parse_file(source: &Source<'_>) -> Result<Loaded, Vec<CalendarError>> {
    let options = serde_saphyr::options! { with_snippet: false };
    let file: CalendarFile = match serde_saphyr::from_str_with_options(source.text, options) {
        Ok(file) => file,
        // An empty file (or one with only comments) is an empty calendar.
        Err(_) if source.text.lines().all(is_blank_or_comment) => return Ok(Loaded::default()),
        Err(err) => return Err(vec![source.parse_error(&err)]),
    };
    let mut problems = Vec::new();
    let mut loaded = Loaded::default();
    for entry in file.gelijkgesteld {
        match gelijkgesteld_entry(source, entry) {
            Ok(day) => loaded.gelijkgesteld.push(day),
            Err(mut errs) => problems.append(&mut errs),
        }
    }
    for entry in file.recesses {
        match recess_entry(source, entry) {
            Ok(recess) => loaded.recesses.push(recess),
            Err(mut errs) => problems.append(&mut errs),
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        problems.sort_by_key(|e| match e {
            CalendarError::Parse { line, column, .. }
            | CalendarError::Invalid { line, column, .. }
            | CalendarError::Conflict { line, column, .. } => (*line, *column),
            CalendarError::Many { .. } => (0, 0),
        });
        Err(problems)
    }
}

fn is_blank_or_comment(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with('#') || line == "---"
}

/// Checks a date field, turning a bad one into a located problem.
fn date_field(
    source: &Source<'_>,
    field: &str,
    value: &Spanned<String>,
) -> Result<Date, CalendarError> {
    parse_iso_date(&value.value).map_err(|reason| {
        source.invalid(
            &value.referenced,
            tr!(
                "invalid `{field}`: {reason}",
                field = field,
                reason = reason
            ),
            Some(tr!("write dates as YYYY-MM-DD, e.g. 2020-07-03")),
        )
    })
}

/// Checks that a `source` field says something.
fn source_field(source: &Source<'_>, value: &Spanned<String>) -> Result<String, CalendarError> {
    let text = value.value.trim();
    if text.is_empty() {
        Err(source.invalid(
            &value.referenced,
            tr!("empty `source`"),
            Some(tr!(
                "every calendar entry names where its dates come from: a URL or a citation"
            )),
        ))
    } else {
        Ok(text.to_string())
    }
}

fn gelijkgesteld_entry(
    source: &Source<'_>,
    entry: GelijkgesteldEntry,
) -> Result<Placed<GelijkgesteldeDag>, Vec<CalendarError>> {
    let date = date_field(source, "date", &entry.date);
    let src = source_field(source, &entry.source);
    match (date, src) {
        (Ok(date), Ok(src)) => Ok(Placed {
            value: GelijkgesteldeDag {
                date,
                name: entry.name.filter(|n| !n.trim().is_empty()),
                source: src,
                note: entry.note,
                origin: source.origin.to_string(),
            },
            at: entry.date.referenced,
        }),
        (date, src) => Err([date.err(), src.err()].into_iter().flatten().collect()),
    }
}

fn recess_entry(
    source: &Source<'_>,
    entry: RecessEntry,
) -> Result<Placed<Recess>, Vec<CalendarError>> {
    let mut problems = Vec::new();
    let start = date_field(source, "start", &entry.start)
        .map_err(|e| problems.push(e))
        .ok();
    let end = match &entry.end {
        Some(end) => date_field(source, "end", end)
            .map_err(|e| problems.push(e))
            .ok()
            .map(Some),
        None => Some(None),
    };
    let src = source_field(source, &entry.source)
        .map_err(|e| problems.push(e))
        .ok();
    let year = entry.year.value;
    if let Some(start) = start
        && start.year() != year
    {
        problems.push(source.invalid(
            &entry.year.referenced,
            tr!(
                "{recess} starts on {start}, which is not in {year}",
                recess = format!("{} {year}", entry.name),
                start = start,
                year = year
            ),
            Some(tr!(
                "`year` is the year in which the recess starts (a kerstreces belongs to the December it starts in)"
            )),
        ));
    }
    if let (Some(start), Some(Some(end))) = (start, end)
        && end < start
    {
        let at = entry
            .end
            .as_ref()
            .map_or(&entry.start.referenced, |e| &e.referenced);
        problems.push(source.invalid(
            at,
            tr!(
                "{kind} {year} ends on {end}, before it starts on {start}",
                kind = entry.name,
                year = year,
                end = end,
                start = start
            ),
            Some(tr!(
                "`end` is the last day of the recess, `start` the first"
            )),
        ));
    }
    match (start, end, src) {
        (Some(start), Some(end), Some(src)) if problems.is_empty() => Ok(Placed {
            value: Recess {
                kind: entry.name,
                year,
                start,
                end,
                source: src,
                note: entry.note,
                origin: source.origin.to_string(),
            },
            at: entry.start.referenced,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Loaded, Vec<CalendarError>> {
        parse_file(&Source::new("extra.yaml", text))
    }

    fn messages(text: &str) -> String {
        match load(text) {
            Ok(_) => "ok".to_string(),
            Err(errs) => errs
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn strict_iso_dates() {
        assert_eq!(
            parse_iso_date("2020-07-03"),
            Ok(jiff::civil::date(2020, 7, 3))
        );
        assert!(parse_iso_date("20200703").is_err());
        assert!(parse_iso_date("2020-07-03T10:00").is_err());
        assert!(parse_iso_date("2020-7-3").is_err());
        insta::assert_snapshot!(
            parse_iso_date("2020-02-30").err().map(|e| e.en()).unwrap_or_default(),
            @"`2020-02-30` is not a valid date: parsed date is not valid: parameter 'day' for `2020-02` is invalid, must be in range `1..=29`"
        );
    }

    #[test]
    fn empty_files_are_empty_calendars() {
        for text in [
            "",
            "# nothing yet\n",
            "---\n",
            "{}",
            "gelijkgesteld: []\nrecesses: []\n",
        ] {
            let loaded = load(text).map_err(|e| format!("{e:?}"));
            assert!(loaded.is_ok(), "{text:?}: {loaded:?}");
        }
    }

    #[test]
    fn unknown_keys_name_line_and_column() {
        insta::assert_snapshot!(
            messages("gelijkgesteld:\n  - date: 2026-05-15\n    source: x\n    reden: brug\n"),
            @"extra.yaml:4:5: unknown field `reden`, expected one of date, name, source, note"
        );
        insta::assert_snapshot!(
            messages("feestdagen: []\n"),
            @"extra.yaml:1:1: unknown field `feestdagen`, expected one of gelijkgesteld, recesses"
        );
    }

    #[test]
    fn unknown_recess_name() {
        insta::assert_snapshot!(
            messages("recesses:\n  - { name: winterreces, year: 2020, start: 2020-02-14, source: x }\n"),
            @"extra.yaml:2:13: unknown variant `winterreces`, expected one of voorjaarsreces, meireces, zomerreces, herfstreces, kerstreces"
        );
    }

    #[test]
    fn every_invalid_value_is_reported() {
        let text = "\
gelijkgesteld:
  - { date: 2026-13-01, source: x }
  - { date: 2026-05-15, source: '' }
recesses:
  - { name: kerstreces, year: 2024, start: 2023-12-22, end: 2024-01-15, source: x }
  - { name: zomerreces, year: 2024, start: 2024-07-05, end: 2024-07-01, source: x }
";
        insta::assert_snapshot!(messages(text), @r"
        extra.yaml:2:13: invalid `date`: `2026-13-01` is not a valid date: failed to parse two digit integer as month: parameter 'month' is not in the required range of 1..=12
        extra.yaml:3:33: empty `source`
        extra.yaml:5:31: kerstreces 2024 starts on 2023-12-22, which is not in 2024
        extra.yaml:6:61: zomerreces 2024 ends on 2024-07-01, before it starts on 2024-07-05
        ");
    }

    #[test]
    fn entries_keep_their_fields() {
        let text = "recesses:\n  - name: zomerreces\n    year: 2022\n    start: 2022-07-08\n    end: null\n    source: S46\n    note: end unknown\n";
        let loaded = load(text).map_err(|e| format!("{e:?}"));
        let Ok(loaded) = loaded else {
            unreachable!("{loaded:?}");
        };
        let recess = &loaded.recesses[0];
        assert_eq!(recess.value.start, jiff::civil::date(2022, 7, 8));
        assert_eq!(recess.value.end, None);
        assert_eq!(recess.value.note.as_deref(), Some("end unknown"));
        assert_eq!((recess.at.line(), recess.at.column()), (4, 12));
    }
}
