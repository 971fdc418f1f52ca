//! `--format human` (the default): graphical diagnostics for people.
//!
//! Each finding shows the record's lines in the data file, a label on the
//! field at fault, and — as a related diagnostic — the rule line that produced
//! the verdict (cargo-deny's second label). The legal basis and computed
//! values go in the help text. Problems with the inputs come first, a summary
//! last. A waived finding is shown as advice, marked `(waived)`, with its
//! waiver in the help. Colours only on a terminal; tests get a fixed,
//! colourless rendering.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::path::Path;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan,
};

use super::Summary;
use super::lang::{Lang, fill};
use crate::data::{LineIndex, SheetText};
use crate::engine::{AsOfSource, Run};
use crate::finding::Severity;
use crate::finding::{Finding, Location};
use crate::problem::{Impact, LineCol, Problem};
use crate::project::CellRange;
use crate::rule::RuleCode;

/// How to draw: colours and width.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Use colours.
    pub color: bool,
    /// Wrap at this width.
    pub width: usize,
    /// The language of the report's own words.
    pub lang: Lang,
}

impl Style {
    /// Colourless at 100 columns: the stable rendering for files and tests.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
            lang: Lang::default(),
        }
    }
}

/// Renders the run for people.
pub fn render(run: &Run, fail_on: Severity, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(0);
    let root = run
        .project
        .as_ref()
        .map(|p| p.root.clone())
        .unwrap_or_default();
    let mut texts = Texts::default();
    // The rows of each sheet that findings point at: only those are read
    // to show (a sheet may have a million rows).
    for finding in &run.findings {
        if let Some(sheet) = &finding.location.sheet {
            texts
                .rows
                .entry((finding.location.path.to_string(), sheet.clone()))
                .or_default()
                .insert(finding.location.line);
        }
    }
    let mut out = String::new();

    for problem in &run.problems {
        let source = match (&problem.path, problem.at) {
            (Some(path), Some(at)) => texts
                .named(&root, path)
                .filter(|s| s.drawable(at.line, at.line)),
            _ => None,
        };
        let diagnostic = ProblemDiagnostic {
            problem,
            source,
            lang: style.lang,
        };
        render_one(&handler, &diagnostic, style.lang, IS_PROBLEM, &mut out);
    }
    for finding in &run.findings {
        let (first, last) = finding.source.record_lines;
        let field_line = finding.source.field_at.map_or(first, |at| at.line);
        // A spreadsheet is not text: its cell is named instead.
        // A spreadsheet or Parquet file is not text: its cell or row is
        // named instead.
        let data = if is_text(&finding.location.path) {
            texts
                .named(&root, Path::new(&finding.location.path))
                .filter(|s| s.drawable(first.min(field_line), last.max(field_line)))
        } else {
            None
        };
        let check_line = finding.source.check_at.line;
        let rule = texts
            .named(&root, Path::new(&finding.source.rule_path))
            .filter(|s| s.drawable(check_line, check_line));
        let cells = match &finding.location.sheet {
            Some(sheet) => {
                let collection = run
                    .project
                    .as_ref()
                    .and_then(|p| p.collections.get(finding.collection.as_str()));
                let header_row = collection.map_or(1, |c| c.header_row);
                let range = collection.and_then(|c| c.range);
                texts
                    .sheet(&root, &finding.location.path, sheet, header_row, range)
                    .map(|text| text.row(finding.location.line).to_vec())
                    .unwrap_or_default()
            }
            None => Vec::new(),
        };
        let diagnostic = FindingDiagnostic {
            finding,
            data,
            rule: RuleLabel {
                finding,
                source: rule,
                lang: style.lang,
            },
            cells,
            lang: style.lang,
        };
        render_one(&handler, &diagnostic, style.lang, IS_FINDING, &mut out);
    }
    out.push_str(&summary_line(run, fail_on, style.lang));
    out
}

/// The most items of a fact (skipped days, a group's records) a finding
/// shows; the JSON, HTML and xlsx reports have them all.
const ITEMS_SHOWN: usize = 10;

const IS_FINDING: bool = true;
const IS_PROBLEM: bool = false;

fn render_one(
    handler: &GraphicalReportHandler,
    diagnostic: &dyn Diagnostic,
    lang: Lang,
    is_finding: bool,
    out: &mut String,
) {
    let mut drawn = String::new();
    if handler.render_report(&mut drawn, diagnostic).is_err() {
        drawn = diagnostic.to_string();
    }
    out.push_str(&miette_words(&drawn, lang, is_finding));
    out.push('\n');
}

/// miette writes two words of its own, `help:` before a hint (a finding's
/// facts, a problem's help) and `Advice:` before a related note; in Dutch
/// they become words of the same width (so its wrapping stays aligned).
/// Only a heading at the start of a line, after spaces and colour codes, is
/// changed, never a word of a message.
fn miette_words(drawn: &str, lang: Lang, is_finding: bool) -> String {
    let w = lang.words();
    let help = if is_finding {
        w.miette_facts
    } else {
        w.miette_help
    };
    let replacements = [("help: ", help), ("Advice: ", w.miette_advice)];
    let mut out = String::with_capacity(drawn.len());
    for line in drawn.split_inclusive('\n') {
        let heading = replacements.iter().find_map(|(word, own)| {
            let at = line.find(word)?;
            is_margin(&line[..at]).then_some((at, *word, *own))
        });
        match heading {
            Some((at, word, own)) => {
                out.push_str(&line[..at]);
                out.push_str(own);
                out.push_str(&line[at + word.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Whether `text` is only spaces and ANSI colour codes.
fn is_margin(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() {
            return true;
        }
        let Some(code) = rest.strip_prefix("\u{1b}[") else {
            return false;
        };
        match code.find(|c: char| c.is_ascii_alphabetic()) {
            Some(end) => rest = &code[end + 1..],
            None => return false,
        }
    }
}

/// Whether a data file is text whose lines can be drawn.
fn is_text(path: &str) -> bool {
    crate::data::Format::of(Path::new(path)).is_none_or(crate::data::Format::is_text)
}

/// The closing summary line (also what the terminal is told when every
/// report went to a file).
pub fn summary_line(run: &Run, fail_on: Severity, lang: Lang) -> String {
    let w = lang.words();
    let summary = Summary::of(run, fail_on);
    let count = |n: usize, one: &str, many: &str| {
        fill(if n == 1 { one } else { many }, &[("n", &n.to_string())])
    };
    let source = match run.as_of_source {
        AsOfSource::Flag => w.as_of_flag,
        AsOfSource::Project => w.as_of_project,
        AsOfSource::Today => w.as_of_today,
    };
    let mut line = fill(
        w.summary_line,
        &[
            (
                "findings",
                &count(summary.findings, w.n_finding, w.n_findings),
            ),
            (
                "errors",
                &count(summary.counts.error, w.n_error, w.n_errors),
            ),
            (
                "warnings",
                &count(summary.counts.warning, w.n_warning, w.n_warnings),
            ),
            ("info", &summary.counts.info.to_string()),
            ("rules", &count(summary.rules, w.n_rule, w.n_rules)),
            ("records", &count(summary.records, w.n_record, w.n_records)),
            ("as_of", &run.as_of.to_string()),
            ("source", source),
        ],
    );
    if summary.waived > 0 {
        line.push_str(&fill(
            w.summary_waived,
            &[("n", &summary.waived.to_string())],
        ));
    }
    if let Some(baseline) = &summary.baseline {
        line.push_str(&fill(
            w.summary_baseline,
            &[
                ("path", &baseline.path),
                ("new", &baseline.new.to_string()),
                ("changed", &baseline.changed.to_string()),
                ("fixed", &baseline.fixed.to_string()),
                ("still", &baseline.still_present.to_string()),
            ],
        ));
    }
    let judged_nothing = run
        .problems
        .iter()
        .filter(|p| p.code == RuleCode::JudgedNothing.as_str())
        .count();
    if judged_nothing > 0 {
        line.push_str(&count(
            judged_nothing,
            w.judged_nothing_one,
            w.judged_nothing_many,
        ));
    }
    if summary.problems > 0 {
        line.push_str(&count(summary.problems, w.problems_one, w.problems_many));
    }
    line.push('\n');
    line
}

/// Source texts by path, read once each, with the start of every line.
#[derive(Default)]
struct Texts {
    cache: HashMap<String, Option<Arc<Text>>>,
    /// Spreadsheets' sheets, by path and sheet, read once each.
    sheets: HashMap<(String, String), Option<Arc<SheetText>>>,
    /// The rows of each sheet to read.
    rows: HashMap<(String, String), std::collections::BTreeSet<u32>>,
}

/// A file's text and where its lines start.
struct Text {
    name: String,
    text: String,
    index: LineIndex,
}

impl Texts {
    fn sheet(
        &mut self,
        root: &Path,
        path: &str,
        sheet: &str,
        header_row: u32,
        range: Option<CellRange>,
    ) -> Option<Arc<SheetText>> {
        let key = (path.to_string(), sheet.to_string());
        let rows = self.rows.get(&key).cloned().unwrap_or_default();
        self.sheets
            .entry(key)
            .or_insert_with(|| {
                SheetText::read(&root.join(path), sheet, header_row, range, &rows).map(Arc::new)
            })
            .clone()
    }

    fn named(&mut self, root: &Path, path: &Path) -> Option<Source> {
        let key = path.to_string_lossy().replace('\\', "/");
        let text = self
            .cache
            .entry(key.clone())
            .or_insert_with(|| {
                let full = if path.is_absolute() {
                    path.to_path_buf()
                } else {
                    root.join(path)
                };
                let bytes = std::fs::read(&full).ok()?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let index = LineIndex::new(&text);
                Some(Arc::new(Text {
                    name: key,
                    text,
                    index,
                }))
            })
            .clone()?;
        Some(Source(text))
    }
}

/// A file's text, shown a whole line at a time around every label (a
/// problem at a column is easier to read with its line around it).
///
/// Lines are found with the line index, never by counting from the top of
/// the file (as miette's own sources do), so drawing every finding of a large
/// file stays linear.
#[derive(Clone)]
struct Source(Arc<Text>);

/// Lines longer than this are not drawn: a location is given instead. A
/// 70 kB line helps no reader, and miette cannot draw past column 65,535.
const MAX_DRAWN_LINE: usize = 1_000;

/// The largest char boundary at or below `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let Text { name, text, index } = &*self.0;
        let start = floor_boundary(text, span.offset());
        let end = floor_boundary(text, span.offset() + span.len()).max(start);
        let first = index.line_of(start);
        let last = index.line_of(end.saturating_sub(1).max(start));
        let line_start = index.start(first).unwrap_or(0);
        let line_end = self.line_end(last);
        let whole = SourceSpan::new(line_start.into(), line_end - line_start);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            name.clone(),
            &text.as_bytes()[line_start..line_end],
            whole,
            first as usize - 1,
            0,
            last as usize - 1,
        )))
    }
}

impl Source {
    /// The byte offset just before line `line`'s `\n` (or the end of the text).
    fn line_end(&self, line: u32) -> usize {
        let Text { text, index, .. } = &*self.0;
        index
            .start(line + 1)
            .map_or(text.len(), |next| next.saturating_sub(1))
    }

    /// Whether lines `first` to `last` exist and are short enough to draw.
    fn drawable(&self, first: u32, last: u32) -> bool {
        let index = &self.0.index;
        first >= 1
            && first <= last
            && last <= index.lines()
            && (first..=last).all(|line| {
                let start = index.start(line).unwrap_or(0);
                self.line_end(line) - start <= MAX_DRAWN_LINE
            })
    }

    /// Byte offset of a line and column.
    fn offset(&self, at: LineCol) -> usize {
        let Text { text, index, .. } = &*self.0;
        let Some(start) = index.start(at.line) else {
            return text.len();
        };
        let line = &text[start..self.line_end(at.line)];
        let column: usize = line
            .chars()
            .take(at.column.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum();
        start + column.min(line.trim_end_matches('\r').len())
    }

    /// The span from the start of line `first` to the end of line `last`.
    fn lines(&self, first: u32, last: u32) -> SourceSpan {
        let start = self.offset(LineCol {
            line: first,
            column: 1,
        });
        let end = self.line_end(last).max(start);
        SourceSpan::new(start.into(), end.saturating_sub(start).max(1))
    }

    /// A one-token span at a position.
    fn point(&self, at: LineCol) -> SourceSpan {
        let text = &self.0.text;
        let start = self.offset(at);
        let rest = &text[start..];
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let len = rest[first.min(rest.len())..]
            .find([':', '\n', ',', '"'])
            .map_or(first, |i| i + first);
        SourceSpan::new(start.into(), len)
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    data: Option<Source>,
    rule: RuleLabel<'a>,
    /// A spreadsheet record's cells, shown instead of source lines.
    cells: Vec<(String, String, String)>,
    lang: Lang,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = self.finding;
        write!(
            f,
            "{} · {} `{}`",
            finding.message, finding.collection, finding.record
        )?;
        if self.data.is_none() && !finding.location.path.is_empty() {
            let Location {
                path,
                line,
                column,
                cell,
                ..
            } = &finding.location;
            let w = self.lang.words();
            let (line, column) = (line.to_string(), column.to_string());
            let place = match cell {
                Some(cell) => fill(w.at_cell, &[("path", path), ("cell", cell)]),
                // A database record: its key (in the message) says which
                // row.
                None if finding.location.in_table() => fill(w.at_table, &[("path", path)]),
                None if !is_text(path) => fill(w.at_row, &[("path", path), ("line", &line)]),
                None => fill(
                    w.at_place,
                    &[("path", path), ("line", &line), ("column", &column)],
                ),
            };
            f.write_str(&place)?;
        }
        if finding.waived.is_some() {
            f.write_str(self.lang.words().waived_suffix)?;
        }
        if finding.changed.is_some() {
            f.write_str(self.lang.words().changed_suffix)?;
        }
        Ok(())
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        if self.finding.waived.is_some() {
            return Some(miette::Severity::Advice);
        }
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        let finding = self.finding;
        let mut lines = Vec::new();
        if !self.cells.is_empty() {
            let field = finding.field.as_deref();
            let cells: Vec<String> = self
                .cells
                .iter()
                .map(|(at, name, value)| {
                    let mark = if Some(name.as_str()) == field {
                        "▶ "
                    } else {
                        ""
                    };
                    format!("{mark}{at} {name}: {value}")
                })
                .collect();
            let cells = cells.join(" · ");
            lines.push(fill(self.lang.words().row_line, &[("cells", &cells)]));
        }
        let w = self.lang.words();
        lines.extend(super::fact_lines(finding, ITEMS_SHOWN, self.lang));
        for basis in &finding.basis {
            let line = fill(w.basis_line, &[("citation", &basis.citation)]);
            match &basis.url {
                Some(url) => lines.push(format!("{line} <{url}>")),
                None => lines.push(line),
            }
        }
        if let Some(waived) = &finding.waived {
            let until = waived.expires.map_or_else(
                || w.no_expiry.to_string(),
                |d| fill(w.until_date, &[("date", &d.to_string())]),
            );
            lines.push(fill(
                w.waived_line,
                &[
                    ("reason", &waived.reason),
                    ("approved_by", &waived.approved_by),
                    ("until", &until),
                ],
            ));
        }
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.data.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.data.as_ref()?;
        let finding = self.finding;
        let (first, last) = finding.source.record_lines;
        let field = finding.source.field_at.zip(finding.field.as_ref());
        let mut labels = Vec::new();
        // A one-line record (JSONL, CSV) with a located field: the field label
        // alone says it; underlining the whole line would only add noise.
        if first != last || field.is_none() {
            labels.push(LabeledSpan::new_with_span(
                Some(fill(
                    self.lang.words().record_label,
                    &[("record", &finding.record)],
                )),
                source.lines(first, last),
            ));
        }
        if let Some((at, field)) = field {
            labels.push(LabeledSpan::new_primary_with_span(
                Some(format!("`{field}`")),
                source.point(at),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        self.rule.source.as_ref()?;
        Some(Box::new(std::iter::once(&self.rule as &dyn Diagnostic)))
    }
}

/// The second label: the rule line that produced the verdict.
struct RuleLabel<'a> {
    finding: &'a Finding,
    source: Option<Source>,
    lang: Lang,
}

impl fmt::Debug for RuleLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleLabel")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl Display for RuleLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.lang.words();
        f.write_str(&fill(w.verdict_from, &[("rule", &self.finding.rule)]))
    }
}

impl std::error::Error for RuleLabel<'_> {}

impl Diagnostic for RuleLabel<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let at = self.finding.source.check_at;
        let span = source.lines(at.line, at.line);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(format!("`{}` check", self.finding.source.check_kind)),
            span,
        ))))
    }
}

struct ProblemDiagnostic<'a> {
    problem: &'a Problem,
    source: Option<Source>,
    lang: Lang,
}

impl fmt::Debug for ProblemDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProblemDiagnostic")
            .field("code", &self.problem.code)
            .finish()
    }
}

impl Display for ProblemDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = self.problem;
        match (&problem.path, problem.at, &self.source) {
            (Some(path), Some(at), None) => write!(
                f,
                "{}:{}:{}: {}",
                path.display(),
                at.line,
                at.column,
                problem.message.render(self.lang)
            ),
            (Some(path), None, _) => write!(
                f,
                "{}: {}",
                path.display(),
                problem.message.render(self.lang)
            ),
            _ => f.write_str(&problem.message.render(self.lang)),
        }
    }
}

impl std::error::Error for ProblemDiagnostic<'_> {}

impl Diagnostic for ProblemDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        Some(Box::new(&self.problem.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.problem.impact {
            Impact::Warning => miette::Severity::Warning,
            Impact::Unusable | Impact::Incomplete => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h.render(self.lang)) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.problem.at?;
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let at = self.problem.at?;
        let source = self.source.as_ref()?;
        let offset = source.offset(at);
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(fill(
                    self.lang.words().line_column,
                    &[
                        ("line", &at.line.to_string()),
                        ("column", &at.column.to_string()),
                    ],
                )),
                SourceSpan::new(offset.into(), 1),
            ),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miettes_own_words_are_translated_only_as_headings() {
        let drawn = "  × help: in a message stays\n  help: the hint\n\u{1b}[36m  help: \u{1b}[0mcoloured\nAdvice: \n  Advice: x help: y\n";
        assert_eq!(
            miette_words(drawn, Lang::Nl, IS_PROBLEM),
            "  × help: in a message stays\n  hulp: the hint\n\u{1b}[36m  hulp: \u{1b}[0mcoloured\nUitleg: \n  Uitleg: x help: y\n"
        );
        assert!(miette_words(drawn, Lang::Nl, IS_FINDING).contains("  feit: the hint"));
        assert_eq!(miette_words(drawn, Lang::En, IS_PROBLEM), drawn);
        assert!(is_margin("  \u{1b}[1;36m "));
        assert!(!is_margin("  x"));
        assert!(!is_margin("\u{1b}[36"));
    }
}
