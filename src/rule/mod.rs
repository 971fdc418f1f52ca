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
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

pub use load::{LoadedRules, load_rules};

use crate::check::{CheckSpec, Compiled};
use crate::expr::Expr;
use crate::finding::{Basis, Severity};
use crate::problem::LineCol;
use crate::strict::Text;

crate::problem_codes! {
    /// The codes of problems with rule files.
    pub enum RuleCode {
        /// A rule file or directory could not be read, or does not exist.
        Read = "rule::read",
        /// A rule file is not YAML of the rule shape (a syntax error, a value of the wrong type,
        /// an unknown check kind).
        Parse = "rule::parse",
        /// A rule file has a key naleving does not know, at any depth; every unknown key is
        /// reported with its place.
        UnknownKey = "rule::unknown-key",
        /// A rule's id is not kebab-case, or is not its file name.
        Id = "rule::id",
        /// Two rule files have the same id.
        DuplicateId = "rule::duplicate-id",
        /// A rule names a collection the project does not declare.
        UnknownCollection = "rule::unknown-collection",
        /// A rule's validity window is wrong: a date that is not ISO, or `until` before `from`.
        Valid = "rule::valid",
        /// A rule uses a plugin the project file does not declare.
        UnknownPlugin = "rule::unknown-plugin",
        /// A rule's `when` or validity window left out every record of its
        /// collection: it checked nothing (a warning; a misspelt field or value
        /// in `when` is the usual cause).
        JudgedNothing = "rule::judged-nothing",
        /// A rule reads a field its collection does not have: an error when the
        /// collection's schema lists every field (`additionalFields: false`), a
        /// warning when the fields are those seen in the data; the closest known
        /// field is named.
        UnknownField = "rule::unknown-field",
        /// The project names no rule file at all: a check would judge nothing.
        NoRules = "rule::no-rules",
        /// A rule file has no `basis`: its findings would cite no legal or policy
        /// source (a warning).
        NoBasis = "rule::no-basis",
        /// A rule could not judge some records (an expression failed on them, a deadline has no
        /// usable start date); the check is incomplete.
        Eval = "rule::eval",
        /// An expression could take more steps on some records than the
        /// evaluation budget allows (nested `exists`/`all` over long lists); those
        /// records were not judged and the check is incomplete.
        Budget = "rule::budget",
    }
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
    #[serde(default, deserialize_with = "basis_list")]
    pub basis: Vec<Basis>,
    /// Markdown documentation in fixed sections.
    #[serde(default)]
    pub docs: Option<String>,
    /// Tests: records in, expected findings out.
    #[serde(default)]
    pub tests: Vec<RuleTest>,
}

/// `basis:` as a list of sources; a single text or mapping gets a message
/// that shows the list form instead of serde's "expected a sequence".
fn basis_list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Basis>, D::Error> {
    struct List;
    impl<'de> serde::de::Visitor<'de> for List {
        type Value = Vec<Basis>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of sources, each `{ citation, url }`")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Basis>, A::Error> {
            let mut list = Vec::new();
            while let Some(basis) = seq.next_element()? {
                list.push(basis);
            }
            Ok(list)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<Basis>, E> {
            Err(E::custom(format!(
                "`basis` is a list of sources, not a text: write `basis: [{{ citation: {v:?}, url: \"…\" }}]`"
            )))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Vec<Basis>, A::Error> {
            Err(serde::de::Error::custom(
                "`basis` is a list of sources: put a `-` before `citation` (`basis: [{ citation, url }]`)",
            ))
        }
    }
    deserializer.deserialize_any(List)
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
    pub records: Vec<Map<String, Value>>,
    /// Records of other collections, for cross-collection checks.
    #[serde(default)]
    pub collections: BTreeMap<String, Vec<Map<String, Value>>>,
    /// Evaluation date for the test.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The findings expected, each matching one finding; no other findings
    /// may come.
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

/// One finding a test expects.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The key of the record (or the group of an aggregate) it is about.
    #[schemars(with = "String")]
    pub record: Text,
    /// The field it points at.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub field: Option<Text>,
    /// Its computed due date (deadlines).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub due: Option<Text>,
    /// Text its message contains.
    #[serde(default)]
    pub message: Option<String>,
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
    pub check: Compiled,
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

/// The `{{ name }}` of a message template, in order: where each is written
/// (braces included) and the name, trimmed.
pub fn placeholders(template: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let open = from + template[from..].find("{{")?;
        let close = open + template[open..].find("}}")?;
        from = close + 2;
        Some((open..from, template[open + 2..close].trim()))
    })
}

/// A field that a rule reads, the collection it is in, and where the rule
/// names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldRef {
    /// The collection: the rule's own, or one it looks keys up in.
    pub collection: String,
    /// The field as written (a name or a dotted path).
    pub path: String,
    /// Where: `when`, `check`, `valid.date_field` or `message`.
    pub place: &'static str,
}

impl FieldRef {
    /// The top-level field of the path (`stappen` of `stappen.signalen`).
    pub fn top(&self) -> &str {
        self.path.split('.').next().unwrap_or(&self.path)
    }
}

/// The fields a rule reads: those of its collection that its `when` selects
/// on `record`, its check reads, its validity window dates by and its message
/// names (a placeholder its check does not compute, other than `record`),
/// and the key fields it looks up in other collections.
pub fn fields_read(
    collection: &str,
    when: Option<&Expr>,
    check: &Compiled,
    valid: Option<&Validity>,
    message: Option<&str>,
) -> Vec<FieldRef> {
    // In order, each once (a set beside the list: a rule may name
    // thousands of fields).
    let mut refs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut keep = move |field: FieldRef, refs: &mut Vec<FieldRef>| {
        if seen.insert(field.clone()) {
            refs.push(field);
        }
    };
    let mut add = |path: &str, place: &'static str, refs: &mut Vec<FieldRef>| {
        let field = FieldRef {
            collection: collection.to_string(),
            path: path.to_string(),
            place,
        };
        keep(field, refs);
    };
    for path in when.and_then(Expr::record_fields).into_iter().flatten() {
        add(path, "when", &mut refs);
    }
    for path in check.fields() {
        add(&path, "check", &mut refs);
    }
    if let Some(valid) = valid {
        add(&valid.date_field, "valid.date_field", &mut refs);
    }
    if let (Some(message), Some(vars)) = (message, check.vars()) {
        for (_, name) in placeholders(message) {
            if name != "record" && !vars.iter().any(|v| v == name) {
                add(name, "message", &mut refs);
            }
        }
    }
    for (target, field) in check.looks_up() {
        if let Some(field) = field {
            let field = FieldRef {
                collection: target.to_string(),
                path: field.to_string(),
                place: "check",
            };
            keep(field, &mut refs);
        }
    }
    refs
}

impl Rule {
    /// See [`fields_read`].
    pub fn fields_read(&self) -> Vec<FieldRef> {
        fields_read(
            &self.collection,
            self.when.as_ref(),
            &self.check,
            self.valid.as_ref(),
            self.message.as_deref(),
        )
    }
}
