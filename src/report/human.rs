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
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
    SourceSpan,
};

use super::Summary;
use crate::engine::{AsOfSource, Run};
use crate::finding::Finding;
use crate::finding::Severity;
use crate::problem::{Impact, LineCol, Problem};
use crate::rule::RuleCode;

/// How to draw: colours and width.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Use colours.
    pub color: bool,
    /// Wrap at this width.
    pub width: usize,
}

impl Style {
    /// Colourless at 100 columns: the stable rendering for files and tests.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
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
    let mut out = String::new();

    for problem in &run.problems {
        let diagnostic = ProblemDiagnostic {
            problem,
            source: problem
                .path
                .as_ref()
                .and_then(|path| texts.named(&root, path)),
        };
        render_one(&handler, &diagnostic, &mut out);
    }
    for finding in &run.findings {
        let data = texts.named(&root, Path::new(&finding.location.path));
        let rule = texts.named(&root, Path::new(&finding.source.rule_path));
        let diagnostic = FindingDiagnostic {
            finding,
            data,
            rule: RuleLabel {
                finding,
                source: rule,
            },
        };
        render_one(&handler, &diagnostic, &mut out);
    }
    out.push_str(&summary_line(run, fail_on));
    out
}

fn render_one(handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic, out: &mut String) {
    if handler.render_report(out, diagnostic).is_err() {
        out.push_str(&diagnostic.to_string());
    }
    out.push('\n');
}

/// The closing summary line.
fn summary_line(run: &Run, fail_on: Severity) -> String {
    let summary = Summary::of(run, fail_on);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let source = match run.as_of_source {
        AsOfSource::Flag => "--as-of",
        AsOfSource::Project => "project file",
        AsOfSource::Today => "today",
    };
    let mut line = format!(
        "{} ({}, {}, {} info) from {} over {} · as of {} ({source})",
        plural(summary.findings, "finding", "findings"),
        plural(summary.counts.error, "error", "errors"),
        plural(summary.counts.warning, "warning", "warnings"),
        summary.counts.info,
        plural(summary.rules, "rule", "rules"),
        plural(summary.records, "record", "records"),
        run.as_of,
    );
    if summary.waived > 0 {
        line.push_str(&format!(" · {} waived", summary.waived));
    }
    if let Some(baseline) = &summary.baseline {
        line.push_str(&format!(
            " · baseline {}: {} new, {} fixed, {} still present",
            baseline.path, baseline.new, baseline.fixed, baseline.still_present
        ));
    }
    let judged_nothing = run
        .problems
        .iter()
        .filter(|p| p.code == RuleCode::JudgedNothing.as_str())
        .count();
    if judged_nothing > 0 {
        line.push_str(&format!(
            " · {} judged no record",
            plural(judged_nothing, "rule", "rules")
        ));
    }
    if summary.problems > 0 {
        line.push_str(&format!(
            " · {}",
            plural(
                summary.problems,
                "problem with the inputs",
                "problems with the inputs"
            )
        ));
    }
    line.push('\n');
    line
}

/// Source texts by path, read once each.
#[derive(Default)]
struct Texts {
    cache: HashMap<String, Option<Arc<str>>>,
}

impl Texts {
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
                std::fs::read(&full)
                    .ok()
                    .map(|b| Arc::from(String::from_utf8_lossy(&b).into_owned()))
            })
            .clone()?;
        Some(Source {
            named: WholeLines(NamedSource::new(key, text.clone()), text.clone()),
            text,
        })
    }
}

/// A file's text, named for display.
struct Source {
    text: Arc<str>,
    named: WholeLines,
}

/// The largest char boundary at or below `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Shows whole lines around every label, however short the label's span:
/// a problem at a column is easier to read with its line around it.
struct WholeLines(NamedSource<Arc<str>>, Arc<str>);

impl SourceCode for WholeLines {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = &self.1;
        let start = floor_boundary(text, span.offset());
        let end = floor_boundary(text, span.offset() + span.len()).max(start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let whole = SourceSpan::new(line_start.into(), line_end - line_start);
        self.0.read_span(&whole, before, after)
    }
}

impl Source {
    /// Byte offset of a line and column.
    fn offset(&self, at: LineCol) -> usize {
        let mut offset = 0;
        for (index, line) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == at.line as usize {
                let column: usize = line
                    .chars()
                    .take(at.column.saturating_sub(1) as usize)
                    .map(char::len_utf8)
                    .sum();
                return offset + column.min(line.trim_end_matches(['\n', '\r']).len());
            }
            offset += line.len();
        }
        self.text.len()
    }

    /// The span from the start of line `first` to the end of line `last`.
    fn lines(&self, first: u32, last: u32) -> SourceSpan {
        let start = self.offset(LineCol {
            line: first,
            column: 1,
        });
        let end_line_start = self.offset(LineCol {
            line: last,
            column: 1,
        });
        let end = self.text[end_line_start..]
            .find('\n')
            .map_or(self.text.len(), |i| end_line_start + i);
        SourceSpan::new(start.into(), end.saturating_sub(start).max(1))
    }

    /// A one-token span at a position.
    fn point(&self, at: LineCol) -> SourceSpan {
        let start = self.offset(at);
        let rest = &self.text[start..];
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let len = rest[first.min(rest.len())..]
            .find([':', '\n', ',', '"'])
            .map_or(first, |i| i + first);
        SourceSpan::new(start.into(), len)
    }
}

/// A detail value for people: strings bare, `{date, reason}` pairs as
/// "date (reason)", lists joined with commas.
fn show(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::Object(map) => match (map.get("date"), map.get("reason")) {
            (Some(date), Some(reason)) => format!("{} ({})", show(date), show(reason)),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    data: Option<Source>,
    rule: RuleLabel<'a>,
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
        if finding.waived.is_some() {
            f.write_str(" (waived)")?;
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
        for (key, value) in finding.details.to_map().iter() {
            lines.push(format!("{key}: {}", show(value)));
        }
        for basis in &finding.basis {
            match &basis.url {
                Some(url) => lines.push(format!("basis: {} <{url}>", basis.citation)),
                None => lines.push(format!("basis: {}", basis.citation)),
            }
        }
        if let Some(waived) = &finding.waived {
            let until = waived
                .expires
                .map_or_else(|| "no expiry".to_string(), |d| format!("until {d}"));
            lines.push(format!(
                "waived: {} (approved by {}, {until})",
                waived.reason, waived.approved_by
            ));
        }
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.data.as_ref().map(|s| &s.named as &dyn SourceCode)
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
                Some(format!("record `{}`", finding.record)),
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
        write!(f, "verdict from rule `{}`", self.finding.rule)
    }
}

impl std::error::Error for RuleLabel<'_> {}

impl Diagnostic for RuleLabel<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| &s.named as &dyn SourceCode)
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
                problem.message
            ),
            (Some(path), None, _) => write!(f, "{}: {}", path.display(), problem.message),
            _ => f.write_str(&problem.message),
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
            .map(|h| Box::new(h) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.problem.at?;
        self.source.as_ref().map(|s| &s.named as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let at = self.problem.at?;
        let source = self.source.as_ref()?;
        let offset = source.offset(at);
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(format!("line {}, column {}", at.line, at.column)),
                SourceSpan::new(offset.into(), 1),
            ),
        )))
    }
}
