//! Findings: what the engine reports for a record that breaks a rule, in the
//! one shape every output format renders (SPEC §6).

use std::borrow::Cow;
use std::sync::Arc;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::calendar::Due;
use crate::problem::LineCol;

mod shared;

pub use shared::{BasisList, Fingerprint, Shared};

/// How serious a finding of a rule is.
#[derive(
    Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; fails the run only with `--fail-on info`.
    Info,
    /// Should be looked at; fails the run with `--fail-on warning`.
    Warning,
    /// A violation; fails the run by default.
    Error,
}

impl Severity {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The legal or policy source a rule rests on.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    /// The citation, e.g. `Uitvoeringsbesluit Wmo 2015, art. 4.1.7 lid 1`.
    pub citation: String,
    /// Where to read it, e.g. a wetten.overheid.nl address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What a waived finding carries into every output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Waived {
    /// Why the finding is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// The last day the waiver holds, if it expires.
    pub expires: Option<Date>,
}

/// What a group finding measured when the baseline was written, carried by
/// a finding that is in the baseline but measures worse now (or, for a rule
/// without a `measure`, measures differently).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Changed {
    /// The group's `let` values in the baseline.
    pub values: Map<String, Value>,
    /// The rule's measure in the baseline, when the rule declares one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<Value>,
}

/// Where a finding points in the data. A record of a database table has
/// no line: its key (the finding's `record`) says which row, and `line` is
/// only its place among the rows read, to order findings; it is not
/// written (see [`Location::line_column`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The data file, relative to the project root, with `/` separators.
    pub path: Shared,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// A spreadsheet's sheet (the line is then its row).
    pub sheet: Option<String>,
    /// A spreadsheet's cell, `Blad1!D12`.
    pub cell: Option<String>,
}

impl Location {
    /// A record of a database table (`postgres://HOST/DB#vt.meldingen`).
    pub fn in_table(&self) -> bool {
        crate::problem::is_table(&self.path)
    }

    /// The line and column, when there are any: not for a database table.
    pub fn line_column(&self) -> Option<(u32, u32)> {
        (!self.in_table()).then_some((self.line, self.column))
    }

    /// The place as people write it: `path, Blad1!D12` in a spreadsheet,
    /// the table (`postgres://HOST/DB#vt.meldingen`) for a database record
    /// (its key says which row), `path:line:column` elsewhere.
    pub fn place(&self) -> String {
        match (&self.cell, self.line_column()) {
            (Some(cell), _) => format!("{}, {cell}", self.path),
            (None, None) => self.path.to_string(),
            (None, Some((line, column))) => format!("{}:{line}:{column}", self.path),
        }
    }
}

impl Serialize for Location {
    /// `path`, then `line` and `column` (not for a database table), then
    /// a spreadsheet's `sheet` and `cell`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Location", 5)?;
        out.serialize_field("path", &self.path)?;
        match self.line_column() {
            Some((line, column)) => {
                out.serialize_field("line", &line)?;
                out.serialize_field("column", &column)?;
            }
            None => {
                out.skip_field("line")?;
                out.skip_field("column")?;
            }
        }
        for (name, value) in [("sheet", &self.sheet), ("cell", &self.cell)] {
            match value {
                Some(value) => out.serialize_field(name, value)?,
                None => out.skip_field(name)?,
            }
        }
        out.end()
    }
}

/// One record breaking one rule.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: Shared,
    /// The rule's severity.
    pub severity: Severity,
    /// The message, interpolated.
    pub message: Shared,
    /// The collection of the record.
    pub collection: Shared,
    /// The record's key.
    pub record: String,
    /// Where the record (or its field) is written.
    pub location: Location,
    /// The field at fault, if one is.
    pub field: Option<Shared>,
    /// The rule's legal basis.
    pub basis: BasisList,
    /// Identifies the finding across runs: independent of line numbers and
    /// record order, so baselines survive reformatting.
    pub fingerprint: Fingerprint,
    /// Computed values (for deadlines at least `due` and `late_by`).
    pub details: Details,
    /// The waiver that accepts this finding, if one does and has not expired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<Box<Waived>>,
    /// With `--baseline`: what the finding measured in the baseline, when it
    /// is there but changed since (a norm that got worse keeps its
    /// fingerprint, see [`crate::baseline`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<Box<Changed>>,
    /// With `--group-by FIELD`: that field's value in the record (absent
    /// when the record has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What the human renderer needs beyond the record: not serialized.
    #[serde(skip)]
    pub source: SourceRef,
    /// The records of a group finding (key, file id, line), until the
    /// engine has placed them in the details as `members`.
    #[serde(skip)]
    pub members: Vec<(String, u32, u32)>,
}

/// The machine-readable details of a finding: a JSON object in the outputs.
/// Each kind is boxed, so a finding without details (or with a small
/// object) does not carry the room of the largest.
#[derive(Clone, Debug, Default)]
pub enum Details {
    /// No details: `{}`.
    #[default]
    Empty,
    /// Any object (aggregates, steps, plugins, …).
    Map(Box<Map<String, Value>>),
    /// A missed deadline, kept as computed and written out as an object only
    /// when the finding is rendered: the due date, its explanation and the
    /// skipped days are shared by every finding with the same start and
    /// term, so 10⁵ late records do not hold 10⁵ copies of them.
    Deadline(Box<DeadlineDetails>),
    /// A failed one-comparison `expr`: the sides as written and the
    /// operator, shared by every finding of the rule, and what each side
    /// came to on the record. Written as the object `{ left, left_value,
    /// operator, right, right_value }` (a value only when shown).
    Comparison(Box<ComparisonDetails>),
}

/// What a failed one-comparison `expr` says about its sides.
#[derive(Clone, Debug)]
pub struct ComparisonDetails {
    /// The sides as written and the operator.
    pub sides: Arc<ComparisonSides>,
    /// What the left side came to, when it may be shown.
    pub left_value: Option<Shown>,
    /// What the right side came to, when it may be shown.
    pub right_value: Option<Shown>,
}

/// A value a finding may show of a record (see `check::expr`): a number, a
/// boolean, null or a date — kept in 24 bytes instead of a JSON value's 72.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as read.
    Number(serde_json::Number),
    /// A date, as written.
    Date(Box<str>),
}

impl Shown {
    /// A scalar JSON value as shown (a string is taken to be a date);
    /// `None` for a list or an object.
    pub fn of(value: Value) -> Option<Shown> {
        match value {
            Value::Null => Some(Shown::Null),
            Value::Bool(b) => Some(Shown::Bool(b)),
            Value::Number(n) => Some(Shown::Number(n)),
            Value::String(text) => Some(Shown::Date(text.into_boxed_str())),
            Value::Array(_) | Value::Object(_) => None,
        }
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::Null => serializer.serialize_unit(),
            Shown::Bool(b) => serializer.serialize_bool(*b),
            Shown::Number(n) => n.serialize(serializer),
            Shown::Date(text) => serializer.serialize_str(text),
        }
    }
}

/// The sides of a one-comparison expression, as written, and its operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComparisonSides {
    /// The left side (`record.betrokkenen`).
    pub left: String,
    /// The operator (`<=`).
    pub operator: &'static str,
    /// The right side (`6`).
    pub right: String,
}

/// What a `deadline` finding says about the deadline it missed.
#[derive(Clone, Debug)]
pub struct DeadlineDetails {
    /// The start date (day 0).
    pub start: Date,
    /// The term as written (`5 werkdagen`) or the due phrase.
    pub term: String,
    /// The computed deadline: due date, explanation, skipped days.
    pub due: Arc<Due>,
    /// How late, in words (`3 werkdagen`).
    pub late_by: String,
    /// True when the act has not happened and the deadline has passed.
    pub overdue: bool,
    /// When the act happened, if it did.
    pub end: Option<Date>,
}

impl From<Map<String, Value>> for Details {
    fn from(map: Map<String, Value>) -> Details {
        Details::Map(Box::new(map))
    }
}

impl From<DeadlineDetails> for Details {
    fn from(deadline: DeadlineDetails) -> Details {
        Details::Deadline(Box::new(deadline))
    }
}

impl Details {
    /// The details as a JSON object, keys in the order they are written.
    pub fn to_map(&self) -> Cow<'_, Map<String, Value>> {
        match self {
            Details::Empty => Cow::Owned(Map::new()),
            Details::Map(map) => Cow::Borrowed(map),
            // Written as it serializes: the same keys, in the same order.
            Details::Deadline(_) | Details::Comparison(_) => match serde_json::to_value(self) {
                Ok(Value::Object(map)) => Cow::Owned(map),
                _ => Cow::Owned(Map::new()),
            },
        }
    }
}

impl Serialize for Details {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Details::Empty => serializer.serialize_map(Some(0))?.end(),
            Details::Map(map) => map.serialize(serializer),
            Details::Deadline(d) => {
                #[derive(Serialize)]
                struct Skip<'a> {
                    date: String,
                    reason: &'a str,
                }
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("start", &d.start.to_string())?;
                map.serialize_entry("term", &d.term)?;
                if let Some(reading) = &d.due.reading {
                    #[derive(Serialize)]
                    struct Read<'a> {
                        phrase: &'a str,
                        means: &'a str,
                        reason: &'a str,
                    }
                    map.serialize_entry(
                        "reading",
                        &Read {
                            phrase: &reading.phrase,
                            means: &reading.means,
                            reason: &reading.reason,
                        },
                    )?;
                }
                map.serialize_entry("due", &d.due.due.to_string())?;
                map.serialize_entry("late_by", &d.late_by)?;
                map.serialize_entry("overdue", &d.overdue)?;
                if let Some(end) = d.end {
                    map.serialize_entry("end", &end.to_string())?;
                }
                map.serialize_entry("explanation", &d.due.explanation)?;
                if !d.due.skipped.is_empty() {
                    let days: Vec<Skip<'_>> = d
                        .due
                        .skipped
                        .iter()
                        .map(|s| Skip {
                            date: s.date.to_string(),
                            reason: &s.reason,
                        })
                        .collect();
                    map.serialize_entry("skipped", &days)?;
                }
                map.end()
            }
            Details::Comparison(c) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("left", &c.sides.left)?;
                if let Some(value) = &c.left_value {
                    map.serialize_entry("left_value", value)?;
                }
                map.serialize_entry("operator", c.sides.operator)?;
                map.serialize_entry("right", &c.sides.right)?;
                if let Some(value) = &c.right_value {
                    map.serialize_entry("right_value", value)?;
                }
                map.end()
            }
        }
    }
}

/// Where to find the lines to show for a finding.
#[derive(Clone, Debug, Default)]
pub struct SourceRef {
    /// First and last line of the record.
    pub record_lines: (u32, u32),
    /// The field's position, when it was found.
    pub field_at: Option<LineCol>,
    /// The rule file.
    pub rule_path: Shared,
    /// Where the rule's `check:` is written.
    pub check_at: LineCol,
    /// The check kind.
    pub check_kind: &'static str,
}

/// The fingerprint of a finding: sha256 over what identifies it — rule,
/// collection, record key, field and an optional discriminator — never its
/// place in the file.
pub fn fingerprint(
    rule: &str,
    collection: &str,
    record: &str,
    field: Option<&str>,
    discriminator: Option<&str>,
) -> Fingerprint {
    let mut hasher = Sha256::new();
    for part in [
        "v1",
        rule,
        collection,
        record,
        field.unwrap_or(""),
        discriminator.unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut first = [0; 16];
    first.copy_from_slice(&digest[..16]);
    Fingerprint::of_bytes(&first)
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Findings of severity `error`.
    pub error: usize,
    /// Findings of severity `warning`.
    pub warning: usize,
    /// Findings of severity `info`.
    pub info: usize,
}

impl Counts {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Counts {
        Counts::of_severities(findings.iter().map(|f| f.severity))
    }

    /// Counts the findings referred to.
    pub fn of_refs(findings: &[&Finding]) -> Counts {
        Counts::of_severities(findings.iter().map(|f| f.severity))
    }

    fn of_severities(severities: impl Iterator<Item = Severity>) -> Counts {
        let mut counts = Counts::default();
        for severity in severities {
            match severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }

    /// All findings.
    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }

    /// Findings at or above `level`.
    pub fn at_least(&self, level: Severity) -> usize {
        match level {
            Severity::Error => self.error,
            Severity::Warning => self.error + self.warning,
            Severity::Info => self.total(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_identify_rule_record_and_field() {
        let a = fingerprint("r", "c", "k", Some("f"), None);
        assert_eq!(a, fingerprint("r", "c", "k", Some("f"), None));
        assert_ne!(a, fingerprint("r", "c", "k", Some("g"), None));
        assert_ne!(a, fingerprint("r", "c", "k2", Some("f"), None));
        assert_ne!(a, fingerprint("r", "c", "k", Some("f"), Some("other")));
        // Separators keep ("ab", "c") and ("a", "bc") apart.
        assert_ne!(
            fingerprint("ab", "c", "k", None, None),
            fingerprint("a", "bc", "k", None, None)
        );
        assert_eq!(a.len(), 32);
    }

    /// A comparison's details are written as the object the `expr` check
    /// wrote as a map: these keys, in this order, a value only when there
    /// is one.
    #[test]
    fn comparison_details_are_written_as_their_object() {
        let sides = Arc::new(ComparisonSides {
            left: "record.betrokkenen".to_string(),
            operator: "<=",
            right: "6".to_string(),
        });
        let both = Details::Comparison(Box::new(ComparisonDetails {
            sides: Arc::clone(&sides),
            left_value: Some(Shown::Number(7.into())),
            right_value: Some(Shown::Number(6.into())),
        }));
        let expected = r#"{"left":"record.betrokkenen","left_value":7,"operator":"<=","right":"6","right_value":6}"#;
        assert_eq!(serde_json::to_string(&both).unwrap(), expected);
        assert_eq!(serde_json::to_string(&*both.to_map()).unwrap(), expected);
        let neither = Details::Comparison(Box::new(ComparisonDetails {
            sides,
            left_value: None,
            right_value: None,
        }));
        let keys: Vec<String> = neither.to_map().keys().cloned().collect();
        assert_eq!(keys, ["left", "operator", "right"]);
    }

    /// A deadline's details, kept as computed, are written as the object
    /// every output shows: these keys, in this order, with `end` and
    /// `skipped` only when there are.
    #[test]
    fn deadline_details_are_written_as_their_object() {
        let calendar = crate::calendar::Calendar::nl().unwrap();
        let start = jiff::civil::date(2020, 1, 1);
        let term: crate::calendar::Term = "5 werkdagen".parse().unwrap();
        let due = Arc::new(term.due(&calendar, start, true));
        let late = Details::from(DeadlineDetails {
            start,
            term: "5 werkdagen".to_string(),
            due: Arc::clone(&due),
            late_by: "17 werkdagen".to_string(),
            overdue: false,
            end: Some(jiff::civil::date(2020, 1, 31)),
        });
        let expected = r#"{"start":"2020-01-01","term":"5 werkdagen","due":"2020-01-08","late_by":"17 werkdagen","overdue":false,"end":"2020-01-31","explanation":"5 werkdagen na woensdag 1 januari 2020: woensdag 8 januari 2020","skipped":[{"date":"2020-01-04","reason":"zaterdag"},{"date":"2020-01-05","reason":"zondag"}]}"#;
        assert_eq!(serde_json::to_string(&late).unwrap(), expected);
        let map = late.to_map();
        assert_eq!(serde_json::to_string(&*map).unwrap(), expected);

        let open = Details::from(DeadlineDetails {
            start,
            term: "5 werkdagen".to_string(),
            due: Arc::new(Due {
                skipped: Vec::new(),
                ..(*due).clone()
            }),
            late_by: "1 werkdag".to_string(),
            overdue: true,
            end: None,
        });
        let keys: Vec<String> = open.to_map().keys().cloned().collect();
        assert_eq!(
            keys,
            ["start", "term", "due", "late_by", "overdue", "explanation"]
        );
    }

    /// A due phrase the project reads otherwise writes out the reading it
    /// applied, after the term: phrase, meaning and reason.
    #[test]
    fn deadline_details_name_the_reading() {
        let mut calendar = crate::calendar::Calendar::nl().unwrap();
        calendar.set_readings([crate::calendar::Reading {
            phrase: "voor de zomer".to_string(),
            means: "voor het zomerreces".to_string(),
            reason: "brief 2020-03-12".to_string(),
        }]);
        let start = jiff::civil::date(2020, 1, 30);
        let due =
            crate::calendar::resolve_termijn(start, "voor de zomer", &calendar, true).unwrap();
        let details = Details::from(DeadlineDetails {
            start,
            term: "voor de zomer".to_string(),
            due: Arc::new(due),
            late_by: "1 dag".to_string(),
            overdue: true,
            end: None,
        });
        let map = details.to_map();
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "start",
                "term",
                "reading",
                "due",
                "late_by",
                "overdue",
                "explanation"
            ]
        );
        assert_eq!(
            serde_json::to_string(&map["reading"]).unwrap(),
            r#"{"phrase":"voor de zomer","means":"voor het zomerreces","reason":"brief 2020-03-12"}"#
        );
    }
}
