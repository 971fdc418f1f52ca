//! Rules: the file format a rule author writes (SPEC §5), and the validated
//! form the engine runs.
//!
//! Loading happens in phases (`load.rs`): parse the YAML keeping spans, then
//! deserialize strictly into [`RuleFile`] (unknown keys are errors), then
//! validate into [`Rule`] — CEL compiled, collections known, dates parsed — while
//! collecting every problem. Only a [`Rule`] reaches the engine.

mod load;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;

pub use load::{LoadedRules, load_rules};

use crate::check::{Check, CheckSpec};
use crate::expr::Expr;
use crate::problem::LineCol;

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

/// A rule file as written: one rule per file, the file name is its id.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Kebab-case id naming the condition it flags; equals the file name.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line saying what the rule requires.
    pub title: String,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// The collection whose records the rule judges.
    #[schemars(with = "String")]
    pub collection: Spanned<String>,
    /// Optional CEL guard: only records for which it is true are judged.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    /// Optional validity window: only records whose date lies in it are judged.
    #[serde(default)]
    #[schemars(with = "Option<ValidSpec>")]
    pub valid: Option<Spanned<ValidSpec>>,
    /// What to check: exactly one check kind.
    #[schemars(with = "CheckSpec")]
    pub check: Spanned<CheckSpec>,
    /// The finding's message; `{{ name }}` interpolates record fields and computed values.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub message: Option<Spanned<String>>,
    /// The legal basis, carried into every output.
    #[serde(default)]
    pub basis: Vec<Basis>,
    /// Markdown documentation in fixed sections.
    #[serde(default)]
    pub docs: Option<String>,
    /// Tests: records in, expected findings out.
    #[serde(default)]
    pub tests: Vec<RuleTest>,
}

/// The window in which a rule applies (e.g. a law's entry into force).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidSpec {
    /// First day the rule applies (inclusive).
    #[serde(default)]
    pub from: Option<String>,
    /// Last day the rule applies (inclusive).
    #[serde(default)]
    pub until: Option<String>,
    /// The record field whose date must lie in the window.
    pub date_field: String,
}

/// One test of a rule.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleTest {
    /// What the test shows.
    pub name: String,
    /// Records of the rule's collection.
    #[serde(default)]
    pub records: Vec<Value>,
    /// Records of other collections, for cross-collection checks.
    #[serde(default)]
    pub collections: BTreeMap<String, Vec<Value>>,
    /// Evaluation date for the test.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The findings expected, by record key (and optionally field, due date).
    #[serde(default)]
    pub expect: Vec<Value>,
}

/// A validated validity window.
#[derive(Clone, Debug, Serialize)]
pub struct Validity {
    /// First day (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Last day (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The field holding the record's date.
    pub date_field: String,
}

impl Validity {
    /// True when `date` lies inside the window.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.until.is_none_or(|until| date <= until)
    }
}

/// A rule that passed validation, ready to run.
#[derive(Debug)]
pub struct Rule {
    /// The rule's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its severity.
    pub severity: Severity,
    /// The collection it judges.
    pub collection: String,
    /// The compiled `when` guard.
    pub when: Option<Expr>,
    /// The validity window.
    pub valid: Option<Validity>,
    /// The compiled check.
    pub check: Box<dyn Check>,
    /// The message template.
    pub message: Option<String>,
    /// The legal basis.
    pub basis: Vec<Basis>,
    /// The documentation.
    pub docs: Option<String>,
    /// The tests written in the file.
    pub tests: Vec<RuleTest>,
    /// The rule file.
    pub path: PathBuf,
    /// Where the `check:` is written in it (the second label of a finding).
    pub check_at: LineCol,
}
