//! Check kinds: what a rule's `check:` can say (SPEC §5).
//!
//! A kind is one file of this folder (or a folder with a `mod.rs`), and the
//! file's name is the kind's name in rule files. The file declares, once:
//! `Spec`, the YAML shape under `check: { <kind>: … }` (deserialized
//! strictly; its JSON schema, derived, goes into the editor schema and the
//! unknown-key pass); `DOCS`, what the kind is for and how it is written
//! (the kind tables of the READMEs are generated from them); and `build`,
//! which compiles a spec into a [`Check`]. Below, `kinds!` lists the kinds
//! in one place (beside their `mod` lines); the engine and the other kinds
//! do not change when one is added (`docs/adding-a-check-kind.md` shows the
//! whole diff of one).

use std::borrow::Cow;
use std::fmt::Debug;

use jiff::civil::Date;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_json::{Value, json};
use serde_saphyr::Spanned;

use crate::calendar::Calendar;
use crate::data::{Dataset, Record};
use crate::expr::{Env, Expr};
use crate::finding::{Details, Shared};
use crate::plugin::Plugins;
use crate::problem::{LineCol, Problem};
use crate::text::Text;
use crate::tr;

crate::problem_codes! {
    /// The codes of problems building a rule's check (reported as problems in the rule file).
    pub enum BuildCode {
        /// A CEL expression does not parse, or uses a variable it cannot see; the error points
        /// into the expression.
        BadExpression = "rule::bad-expression",
        /// A check's spec is wrong beyond its shape: an empty field list, a reserved `let` name,
        /// a step named twice.
        Invalid = "rule::invalid",
        /// A deadline's `term` is not a term naleving can compute.
        Term = "rule::term",
    }
}

/// Declares the check kinds from their module names: the [`CheckSpec`] enum rule files deserialize into (one variant per kind,
/// named like its module, so serde reads the kind's name from it), and
/// [`KINDS`].
macro_rules! kinds {
    ($($kind:ident),+ $(,)?) => {
        /// The `check:` of a rule file: exactly one kind.
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(non_camel_case_types)]
        pub enum CheckSpec {
            $(
                #[doc = concat!("The `", stringify!($kind), "` kind.")]
                $kind($kind::Spec),
            )+
        }

        /// Every check kind, in the order the docs list them.
        pub const KINDS: &[Kind] = &[$(
            Kind {
                name: stringify!($kind),
                docs: $kind::DOCS,
                schema: |generator| generator.subschema_for::<$kind::Spec>(),
            },
        )+];

        impl CheckSpec {
            /// The kind's name.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(CheckSpec::$kind(_) => stringify!($kind),)+
                }
            }

            /// Compiles the spec into a runnable check.
            pub fn build(self, cx: &BuildCx<'_>) -> Result<Compiled, Vec<BuildError>> {
                let kind = self.kind();
                let check = match self {
                    $(CheckSpec::$kind(spec) => $kind::build(spec, cx)?,)+
                };
                Ok(Compiled { kind, check })
            }
        }
    };
}

// The kinds, in the order the docs list them. The modules are declared
// outside the macro so that rustfmt reaches their files.
mod aggregate;
mod deadline;
mod expr;
mod plugin;
mod reference;
mod required;
mod steps;
mod unique;

kinds!(
    required, expr, deadline, reference, unique, steps, aggregate, plugin,
);

/// A check kind as the docs and the schema know it.
pub struct Kind {
    /// Its name in rule files.
    pub name: &'static str,
    /// What it is for and how it is written.
    pub docs: KindDocs,
    /// The schema of its `Spec`.
    schema: fn(&mut SchemaGenerator) -> Schema,
}

/// The rows a check over groups judges, as [`Check::sql_group_passes`]
/// is given them: conditions on a row `r` of the table `from`.
pub struct GroupScope<'a> {
    /// The table, as SQL.
    pub from: &'a str,
    /// The row may be judged by the rule (it is not certainly outside its
    /// window or certainly not applicable).
    pub maybe: String,
    /// The row is certainly judged by the rule, as it is in the table (its
    /// key and values are read unchanged).
    pub sure: String,
}

/// A check kind's documentation, declared in its file.
#[derive(Clone, Copy, Debug)]
pub struct KindDocs {
    /// One sentence: what a record (or group) must satisfy. The editor
    /// schema's description of the kind.
    pub summary: &'static str,
    /// What a rule author reaches for it for, in a few words.
    pub use_for: &'static str,
    /// How its spec is written (Markdown), e.g. `` `{ fields: [a, b.c] }` ``.
    pub written: &'static str,
    /// What it checks, in detail (Markdown).
    pub checks: &'static str,
}

/// The Markdown table of the check kinds, as the READMEs show it between
/// the [`KINDS_TABLE_START`] and [`KINDS_TABLE_END`] markers (a test keeps
/// them current).
pub fn kinds_table() -> String {
    let mut out =
        String::from("| kind | use it for | written as | what it checks |\n|---|---|---|---|\n");
    for kind in KINDS {
        let KindDocs {
            use_for,
            written,
            checks,
            ..
        } = kind.docs;
        out.push_str(&format!(
            "| `{}` | {use_for} | {written} | {checks} |\n",
            kind.name
        ));
    }
    out
}

/// The line before the generated table of check kinds in a README.
pub const KINDS_TABLE_START: &str =
    "<!-- check kinds: generated from the DOCS in src/check/, a test keeps it current -->";

/// The line after it.
pub const KINDS_TABLE_END: &str = "<!-- end of check kinds -->";

/// The schema of `check:`: one object per kind with the kind's name as its
/// only key, described by the kind's summary.
impl JsonSchema for CheckSpec {
    fn schema_name() -> Cow<'static, str> {
        "CheckSpec".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one_of: Vec<Value> = KINDS
            .iter()
            .map(|kind| {
                let spec = (kind.schema)(generator);
                json!({
                    "description": kind.docs.summary,
                    "type": "object",
                    "properties": { kind.name: spec },
                    "required": [kind.name],
                    "additionalProperties": false,
                })
            })
            .collect();
        // `propertyNames` first, so an editor's first error for a misspelt
        // kind names the key, not "missing property required".
        let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        let schema = json!({
            "description": "The `check:` of a rule file: exactly one kind.",
            "type": "object",
            "propertyNames": { "enum": names },
            "minProperties": 1,
            "maxProperties": 1,
            "oneOf": one_of,
        });
        Schema::try_from(schema).unwrap_or_default()
    }
}

/// A compiled check and the name of its kind. Derefs to the [`Check`].
#[derive(Debug)]
pub struct Compiled {
    kind: &'static str,
    check: Box<dyn Check>,
}

impl Compiled {
    /// The kind's name as written in rule files (`required`, `expr`, …).
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

impl std::ops::Deref for Compiled {
    type Target = dyn Check;

    fn deref(&self) -> &(dyn Check + 'static) {
        &*self.check
    }
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
    /// The record field the run groups findings by (`--group-by`), whose
    /// value each finding notes.
    pub group_by: Option<&'a str>,
}

/// A record that breaks the rule.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Index into the records the check was given.
    pub record: usize,
    /// The field at fault, if one is.
    pub field: Option<Shared>,
    /// The default message, used when the rule has none.
    pub message: Shared,
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
    /// The records a group verdict is about (an aggregate's group): each
    /// key with its file and line, at most [`MEMBERS_LISTED`], in file
    /// order. The engine puts them in the details as `members`, placed.
    pub members: Vec<(String, u32, u32)>,
}

/// The most records of a group an aggregate finding lists (its details say
/// how many the group has).
pub const MEMBERS_LISTED: usize = 1000;

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
        cause: Text,
    },
    /// The check itself failed for some or all records (a plugin trapped,
    /// ran out of fuel, returned garbage): the run is incomplete.
    Failed(Problem),
}

/// A check kind, compiled from its spec.
pub trait Check: Send + Sync + Debug {
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

    /// The fields of its collection's records it is known to read (dotted
    /// paths allowed), to check them against the fields the collection has.
    /// By default the fields its CEL expressions select on `record`.
    fn fields(&self) -> Vec<String> {
        self.expressions()
            .iter()
            .filter_map(|e| e.record_fields())
            .flatten()
            .cloned()
            .collect()
    }

    /// Every field of its collection's records the check may read (dotted
    /// paths allowed), when that is known: an upper bound where
    /// [`Check::fields`] is a lower one, so a source may read only these
    /// columns. `None` when it may read any field: a plugin gets the whole
    /// record, an expression may use `record` as a whole.
    fn fields_bound(&self) -> Option<Vec<String>> {
        if self.plugin().is_some() {
            return None;
        }
        fields_and_record_reads(self)
    }

    /// The names it computes for `{{ name }}` in a rule's message (`due`,
    /// `late_by`, …); `None` when any name may come (a plugin's).
    fn vars(&self) -> Option<Vec<String>> {
        Some(Vec::new())
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

    /// An SQL condition that holds for every row of a table the check might
    /// not pass or not judge (it may hold for more), so the database can
    /// leave out the rows it certainly passes — and the check, given only
    /// the rows where it holds, finds what it finds given all of them;
    /// `None` when the check cannot be put in SQL. See
    /// [`crate::expr::SqlCx`].
    fn sql_may_fail(&self, _cx: &mut crate::expr::SqlCx<'_>) -> Option<String> {
        None
    }

    /// For a check over groups of rows: an SQL condition on the row `r`
    /// that holds only when the row's group certainly passes — every row
    /// that may belong to it certainly does, and the check certainly
    /// passes on them. The engine then leaves the group's rows in the
    /// database, and hands the check none of them (a group is judged
    /// whole or not at all). `None` when the check cannot be put in SQL.
    fn sql_group_passes(
        &self,
        _cx: &mut crate::expr::SqlCx<'_>,
        _scope: &GroupScope<'_>,
    ) -> Option<String> {
        None
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

/// The fields a check names and those its expressions select on `record`;
/// `None` when an expression uses `record` as a whole (see
/// [`Check::fields_bound`]).
pub(crate) fn fields_and_record_reads<C: Check + ?Sized>(check: &C) -> Option<Vec<String>> {
    let mut fields = check.fields();
    for expr in check.expressions() {
        fields.extend(expr.record_fields()?.iter().cloned());
    }
    Some(fields)
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
    /// Its code, e.g. `rule::bad-expression`.
    pub code: BuildCode,
    /// What is wrong.
    pub message: Text,
    /// Where in the rule file.
    pub at: Option<LineCol>,
    /// How to fix it.
    pub help: Option<Text>,
}

impl BuildError {
    /// A spec that is wrong beyond its shape (`rule::invalid`), at `at`.
    pub fn invalid(message: impl Into<Text>, at: LineCol) -> BuildError {
        BuildError {
            code: BuildCode::Invalid,
            message: message.into(),
            at: Some(at),
            help: None,
        }
    }

    /// Adds a hint on how to fix it.
    pub fn help(mut self, help: impl Into<Text>) -> BuildError {
        self.help = Some(help.into());
        self
    }
}

/// What building a check needs to know.
pub struct BuildCx<'a> {
    /// The rule file's text, to place errors inside expressions.
    pub text: &'a str,
    /// Where the `check:` mapping starts.
    pub check_at: LineCol,
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
        code: BuildCode::BadExpression,
        message: tr!("invalid CEL expression: {cause}", cause = err.message),
        at: Some(place_in_scalar(text, spanned, err.line, err.column)),
        help: Some(tr!(
            "see https://github.com/google/cel-spec/blob/master/doc/langdef.md"
        )),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The READMEs' tables of check kinds are the ones [`kinds_table`]
    /// makes. `NALEVING_BLESS=1 cargo test kinds_tables` rewrites them.
    #[test]
    fn the_readme_kinds_tables_are_current() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let table = kinds_table();
        for file in ["README.md", "rules/README.md"] {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let start = text.find(KINDS_TABLE_START).unwrap() + KINDS_TABLE_START.len() + 1;
            let end = text.find(KINDS_TABLE_END).unwrap();
            if std::env::var_os("NALEVING_BLESS").is_some() {
                let updated = format!("{}{table}{}", &text[..start], &text[end..]);
                std::fs::write(&path, updated).unwrap();
                continue;
            }
            assert_eq!(
                &text[start..end],
                table,
                "{file}: the table of check kinds is stale; run `NALEVING_BLESS=1 cargo test kinds_tables`"
            );
        }
    }

    /// Every kind documents itself, and its name is what rule files write.
    #[test]
    fn every_kind_is_documented_and_named_like_its_variant() {
        let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        assert_eq!(crate::strict::fields_of::<CheckSpec>(), names.as_slice());
        for kind in KINDS {
            let docs = kind.docs;
            for text in [docs.summary, docs.use_for, docs.written, docs.checks] {
                assert!(!text.trim().is_empty(), "`{}` lacks docs", kind.name);
            }
            assert!(docs.summary.ends_with('.'), "{}", kind.name);
        }
    }
}
