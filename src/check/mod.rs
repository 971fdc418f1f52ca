//! Check kinds: what a rule's `check:` can say (SPEC §5).
//!
//! Each kind lives in its own file with its spec (the YAML shape, deserialized
//! strictly) and its [`Check`] implementation. A new kind adds a file, a
//! variant of [`CheckSpec`] and one arm in [`CheckSpec::build`]; the engine
//! and the other kinds do not change.

mod aggregate;
mod deadline;
mod expr;
mod plugin;
mod reference;
mod required;
mod steps;
mod unique;

use std::fmt::Debug;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::calendar::Calendar;
use crate::data::{Dataset, Record};
use crate::expr::{Env, Expr};
use crate::finding::Details;
use crate::plugin::Plugins;
use crate::problem::{LineCol, Problem};
use crate::strict::{Shape, fields_of};

/// The `check:` of a rule file: exactly one kind.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckSpec {
    /// Listed fields are present and non-empty.
    Required(required::Spec),
    /// A CEL expression is true for the record.
    Expr(#[schemars(with = "String")] Spanned<String>),
    /// An act happened within a legal term after a start date.
    Deadline(deadline::Spec),
    /// A field refers to an existing key in another collection.
    Reference(reference::Spec),
    /// A field (or a combination of fields) is unique across the collection.
    Unique(unique::Spec),
    /// An ordered process: each step present, in order, with its conditions.
    Steps(steps::Spec),
    /// A condition over a collection or its groups.
    Aggregate(aggregate::Spec),
    /// A sandboxed WebAssembly plugin checks the records.
    Plugin(plugin::Spec),
}

/// What a check sees besides the records it judges.
pub struct CheckCx<'a> {
    /// All loaded data, for cross-collection checks.
    pub dataset: &'a Dataset,
    /// The CEL environment of the run.
    pub env: &'a Env,
    /// The evaluation date.
    pub as_of: Date,
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// The plugins the project loaded, by name.
    pub plugins: &'a Plugins,
}

/// A record that breaks the rule.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Index into the records the check was given.
    pub record: usize,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// The default message, used when the rule has none.
    pub message: String,
    /// Computed values for `{{ name }}` in the rule's message (`due`, `late_by`, …).
    pub vars: Vec<(String, String)>,
    /// Machine-readable details for the outputs.
    pub details: Details,
    /// Tells apart several findings of one rule on one record and field, for
    /// the fingerprint (e.g. the other record of a duplicate).
    pub discriminator: Option<String>,
    /// What the finding is about when it is not one record: a group of an
    /// aggregate (`regio=Haaglanden, periode=2020-H1`). Shown as the record.
    pub subject: Option<String>,
    /// Use `message` even when the rule has its own (for verdicts the rule's
    /// template cannot describe, such as an unknown due phrase).
    pub keep_message: bool,
}

/// The result of judging one record.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The record breaks the rule.
    Finding(Verdict),
    /// The record could not be judged (e.g. an expression failed on it).
    Unjudged {
        /// Index into the records the check was given.
        record: usize,
        /// Why.
        cause: String,
    },
    /// The check itself failed for some or all records (a plugin trapped,
    /// ran out of fuel, returned garbage): the run is incomplete.
    Failed(Problem),
}

/// A check kind, compiled from its spec.
pub trait Check: Send + Sync + Debug {
    /// The kind's name as written in rule files (`required`, `expr`, …).
    fn kind(&self) -> &'static str;

    /// Other collections the check reads.
    fn reads(&self) -> Vec<&str> {
        Vec::new()
    }

    /// The keys the check looks up in other collections, as (collection,
    /// field; `None`: the collection's key). A collection the other rules
    /// only look keys up in need not be kept: it can be streamed, its keys
    /// indexed as it passes (see [`Dataset::keys`]).
    fn looks_up(&self) -> Vec<(&str, Option<&str>)> {
        Vec::new()
    }

    /// The plugin the check runs, if it is a plugin check.
    fn plugin(&self) -> Option<&str> {
        None
    }

    /// The CEL expressions of the check.
    fn expressions(&self) -> Vec<&Expr> {
        Vec::new()
    }

    /// True when a CEL expression of the check reads `collections`.
    fn uses_collections(&self) -> bool {
        self.expressions().iter().any(|e| e.uses_collections())
    }

    /// True when the check judges each record on its own, so the engine may
    /// split the records into chunks and judge them in parallel.
    fn per_record(&self) -> bool {
        false
    }

    /// Judges the records (those that passed `when` and `valid`).
    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome>;

    /// For a check over a whole collection that can take its records a
    /// batch at a time: the state to feed them to. `None` (the default) when
    /// the check needs all records at once, or judges them one by one.
    /// The argument names the fields the rule's message reads from a record,
    /// for a stream that keeps records cut down to what its findings need.
    fn stream(&self, _keep: &[&str]) -> Option<Box<dyn Stream + '_>> {
        None
    }
}

/// A check taking a collection a batch at a time, keeping only what it needs
/// between batches (an `aggregate` keeps counts per group, a `unique` an
/// index of values); see
/// [`Check::stream`]. Its findings are the same as [`Check::run`]'s over
/// all the batches at once.
pub trait Stream: Send {
    /// Takes a batch of records (those that passed `when` and `valid`), in
    /// file order; the outcomes it can give already, pointing into `records`
    /// (a record it cannot judge).
    fn feed(&mut self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome>;

    /// The outcomes at the end, and the records they point at.
    fn finish(self: Box<Self>, cx: &CheckCx<'_>) -> (Vec<Record>, Vec<Outcome>);
}

/// A problem found while building a check, located in the rule file.
#[derive(Debug, Clone)]
pub struct BuildError {
    /// Namespaced code, e.g. `rule::bad-expression`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where in the rule file.
    pub at: Option<LineCol>,
    /// How to fix it.
    pub help: Option<String>,
}

/// What building a check needs to know.
pub struct BuildCx<'a> {
    /// The rule file's text, to place errors inside expressions.
    pub text: &'a str,
    /// Where the `check:` mapping starts.
    pub check_at: LineCol,
}

impl CheckSpec {
    /// The kind's name.
    pub fn kind(&self) -> &'static str {
        match self {
            CheckSpec::Required(_) => "required",
            CheckSpec::Expr(_) => "expr",
            CheckSpec::Deadline(_) => "deadline",
            CheckSpec::Reference(_) => "reference",
            CheckSpec::Unique(_) => "unique",
            CheckSpec::Steps(_) => "steps",
            CheckSpec::Aggregate(_) => "aggregate",
            CheckSpec::Plugin(_) => "plugin",
        }
    }

    /// Compiles the spec into a runnable check.
    pub fn build(self, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
        match self {
            CheckSpec::Required(spec) => required::build(spec, cx),
            CheckSpec::Expr(source) => expr::build(source, cx),
            CheckSpec::Deadline(spec) => deadline::build(spec, cx),
            CheckSpec::Reference(spec) => reference::build(spec, cx),
            CheckSpec::Unique(spec) => unique::build(spec, cx),
            CheckSpec::Steps(spec) => steps::build(spec, cx),
            CheckSpec::Aggregate(spec) => aggregate::build(spec, cx),
            CheckSpec::Plugin(spec) => plugin::build(spec, cx),
        }
    }
}

/// The keys allowed inside `check: { <kind>: … }`, for the unknown-key pass
/// of rule loading.
pub fn shape(kind: &str) -> Shape {
    let fields = match kind {
        "required" => fields_of::<required::Spec>(),
        "reference" => fields_of::<reference::Spec>(),
        "unique" => fields_of::<unique::Spec>(),
        "deadline" => fields_of::<deadline::Spec>(),
        "steps" => fields_of::<steps::Spec>(),
        "plugin" => fields_of::<plugin::Spec>(),
        "aggregate" => {
            return Shape::Struct(fields_of::<aggregate::Spec>(), |key| match key {
                "period" => Shape::Struct(fields_of::<aggregate::PeriodSpec>(), |_| Shape::Any),
                _ => Shape::Any,
            });
        }
        _ => return Shape::Any,
    };
    Shape::Struct(fields, |_| Shape::Any)
}

/// Compiles a CEL expression written at `spanned` in a rule file, mapping a
/// syntax error to its line and column in the file.
pub fn compile_in_file(
    spanned: &Spanned<String>,
    text: &str,
) -> Result<crate::expr::Expr, BuildError> {
    compile_in_file_with(spanned, text, crate::expr::VARIABLES)
}

/// Like [`compile_in_file`], for an expression that sees other variables.
pub fn compile_in_file_with(
    spanned: &Spanned<String>,
    text: &str,
    variables: &[&str],
) -> Result<crate::expr::Expr, BuildError> {
    crate::expr::compile_with(&spanned.value, variables).map_err(|err| BuildError {
        code: "rule::bad-expression",
        message: format!("invalid CEL expression: {}", err.message),
        at: Some(place_in_scalar(text, spanned, err.line, err.column)),
        help: Some("see https://github.com/google/cel-spec/blob/master/doc/langdef.md".to_string()),
    })
}

/// Maps a position inside a YAML scalar's value to the position in the file:
/// plain and quoted scalars continue on their own line; block scalars (`|`,
/// `>`) start on the next line at the block's indentation.
pub fn place_in_scalar(text: &str, spanned: &Spanned<String>, line: u32, column: u32) -> LineCol {
    let start = LineCol::from(spanned.referenced);
    let file_line = text.lines().nth(start.line as usize - 1).unwrap_or("");
    let rest: String = file_line.chars().skip(start.column as usize - 1).collect();
    if rest.starts_with(['|', '>']) {
        let body_line = start.line + line;
        let indent = text
            .lines()
            .nth(body_line as usize - 1)
            .map_or(0, |l| l.len() - l.trim_start().len()) as u32;
        LineCol {
            line: body_line,
            column: indent + column,
        }
    } else if line <= 1 {
        let quote = u32::from(rest.starts_with(['"', '\'']));
        LineCol {
            line: start.line,
            column: start.column + quote + column - 1,
        }
    } else {
        LineCol {
            line: start.line + line - 1,
            column,
        }
    }
}

/// Reads a (possibly dotted) field path from a record.
pub fn field<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut current = get(fields, parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// Records with at most this many fields are searched by name (see [`get`]).
const SCAN: usize = 16;

/// A top-level field of a record. A record has a dozen fields or so, and
/// comparing that many names (most differ in length) is cheaper than
/// hashing one (serde_json's map hashes with SipHash); larger records are
/// looked up by hash.
pub fn get<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if fields.len() <= SCAN {
        // Length and first byte before the bytes: most names differ there.
        let first = name.as_bytes().first();
        fields
            .iter()
            .find(|(k, _)| {
                k.len() == name.len() && k.as_bytes().first() == first && k.as_str() == name
            })
            .map(|(_, v)| v)
    } else {
        fields.get(name)
    }
}

/// True when a value counts as present: not null, not an empty or blank
/// string, not an empty list or map.
pub fn is_present(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

/// What a record is found by in a [`Check::looks_up`] index: its key, or
/// the value of `field` as a key (`None` when it has none).
pub fn lookup_key(record: &Record, field_name: Option<&str>) -> Option<String> {
    match field_name {
        None => Some(record.key.clone()),
        Some(name) => field(&record.fields, name).and_then(as_key),
    }
}

/// A value as text for keys and comparisons (never shown to users).
pub fn as_key(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `get` finds what the map's own lookup finds, for records searched by
    /// name and for larger ones looked up by hash, with names that share a
    /// length, a first byte, or both.
    #[test]
    fn get_finds_what_the_map_finds() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "ac",
            "ba",
            "abc",
            "abd",
            "é",
            "éa",
            "id",
            "regio",
            "regia",
            "soort",
            "ontvangen_op",
            "ontvangen_om",
            "x1",
            "x2",
            "x3",
            "x4",
            "x5",
            "x6",
        ];
        let asked: Vec<&str> = names.iter().copied().chain(["zz", "abcd", "A"]).collect();
        for size in 0..=names.len() {
            let fields: Map<String, Value> = names[..size]
                .iter()
                .enumerate()
                .map(|(i, name)| (name.to_string(), Value::from(i)))
                .collect();
            for name in &asked {
                assert_eq!(
                    get(&fields, name),
                    fields.get(*name),
                    "{name:?} in {size} fields"
                );
            }
        }
        assert!(names.len() > SCAN, "both ways must be tested");
    }
}
