//! Loading rule files in phases: read, parse with spans and deserialize
//! strictly, then validate — collecting every problem of every file.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use sha2::{Digest, Sha256};

use serde_saphyr::Spanned;

use super::{Rule, RuleFile, RuleTest, ValidSpec, Validity};
use crate::calendar::parse_date;
use crate::check::BuildCode;
use crate::check::{BuildCx, BuildError, compile_in_file};
use crate::digest::hex;
use crate::problem::relative as display;
use crate::problem::{LineCol, Problem, Problems, from_yaml_error, suggest};
use crate::project::Collection;
use crate::rule::RuleCode;
use crate::strict::{self, Shape};
use crate::text::Text;
use crate::tr;

/// The rules that loaded, and a digest of every rule file read.
#[derive(Debug, Default)]
pub struct LoadedRules {
    /// Valid rules, sorted by id.
    pub rules: Vec<Rule>,
    /// sha256 over the paths and bytes of the rule files, in path order.
    pub digest: String,
    /// How many rule files were read.
    pub files: usize,
    /// Each rule file read (as shown, relative to the project) and the
    /// sha256 of its bytes, in path order.
    pub file_digests: Vec<(PathBuf, [u8; 32])>,
}

/// The largest rule file read (1 MiB; the pack's largest is under 8 KiB): a
/// rule with a list of a million values took 20 s and 4.9 GB to load.
pub const MAX_RULE_BYTES: u64 = 1 << 20;

/// Loads every rule file under `paths` (files or directories). When
/// `collections` is given, rules are also checked against the project's
/// collections. `root` makes paths in problems relative to the project.
pub fn load_rules(
    root: &Path,
    paths: &[PathBuf],
    collections: Option<&BTreeMap<String, Collection>>,
    problems: &mut Problems,
) -> LoadedRules {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let walked = crate::walk::files(path, &is_rule_file);
            report_walk(root, &walked, problems);
            if walked.files.is_empty() && walked.unreadable.is_empty() {
                problems.push(
                    Problem::warning(RuleCode::Read, tr!("no rule files in this directory"))
                        .in_file(display(root, path))
                        .help(tr!(
                            "rule files are `<id>.yaml` files, in this directory or below it"
                        )),
                );
            }
            files.extend(walked.files);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            problems.push(
                Problem::unusable(RuleCode::Read, tr!("rule path does not exist"))
                    .in_file(display(root, path)),
            );
        }
    }
    files.sort();
    files.dedup();

    let mut hasher = Sha256::new();
    let mut loaded = LoadedRules {
        files: files.len(),
        ..LoadedRules::default()
    };
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for path in &files {
        let shown = display(root, path);
        let bytes = match crate::read::bytes_at_most(path, MAX_RULE_BYTES) {
            Ok(bytes) => bytes,
            Err(err) => {
                let mut problem = Problem::unusable(
                    RuleCode::Read,
                    tr!("cannot read rule file: {cause}", cause = err.text()),
                )
                .in_file(&shown);
                if matches!(err, crate::read::ReadError::TooLarge(_)) {
                    problem = problem.help(tr!(
                        "a rule holds no data: keep long lists in a collection and look them up with a `reference` check"
                    ));
                }
                problems.push(problem);
                continue;
            }
        };
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        hasher.update(shown.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(digest);
        loaded.file_digests.push((shown.clone(), digest));
        let text = match crate::read::utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                problems.push(
                    err.place(Problem::unusable(RuleCode::Parse, err.text()))
                        .in_file(&shown),
                );
                continue;
            }
        };
        if let Some(rule) = validate(&shown, path, &text, collections, &mut seen, problems) {
            loaded.rules.push(rule);
        }
    }
    loaded.rules.sort_by(|a, b| a.id.cmp(&b.id));
    loaded.digest = hex(&hasher.finalize());
    loaded
}

/// The keys a rule file may have, for [`strict::check_keys`]: read off the
/// rule file's schema, so every check kind's keys are known at every depth.
fn shape() -> &'static Shape {
    static SHAPE: LazyLock<Shape> = LazyLock::new(Shape::of::<RuleFile>);
    &SHAPE
}

/// The problems of one rule file, each located in it.
struct FileProblems<'p> {
    shown: &'p Path,
    problems: &'p mut Problems,
    found: usize,
}

impl FileProblems<'_> {
    /// Records a problem at `at`, with a hint when one helps.
    fn push(
        &mut self,
        code: impl Into<Cow<'static, str>>,
        message: Text,
        at: LineCol,
        help: Option<Text>,
    ) {
        let mut problem = Problem::unusable(code, message)
            .in_file(self.shown)
            .at(at.line, at.column);
        if let Some(help) = help {
            problem = problem.help(help);
        }
        self.problems.push(problem);
        self.found += 1;
    }

    /// Records a warning: reported, but the rule still loads.
    fn warn(&mut self, code: RuleCode, message: Text, at: LineCol, help: Text) {
        self.problems.push(
            Problem::warning(code, message)
                .in_file(self.shown)
                .at(at.line, at.column)
                .help(help),
        );
    }

    /// Records a check's build error, at `at` when it has no place.
    fn build_error(&mut self, err: BuildError, at: LineCol) {
        self.push(err.code, err.message, err.at.unwrap_or(at), err.help);
    }
}

/// Parses and validates one rule file; every problem found is recorded.
fn validate(
    shown: &Path,
    path: &Path,
    text: &str,
    collections: Option<&BTreeMap<String, Collection>>,
    seen: &mut HashMap<String, PathBuf>,
    problems: &mut Problems,
) -> Option<Rule> {
    if !strict::check_keys(text, shape(), RuleCode::UnknownKey, shown, problems) {
        return None;
    }
    let file: RuleFile = match serde_saphyr::from_str(text) {
        Ok(file) => file,
        Err(err) => {
            problems.push(from_yaml_error(RuleCode::Parse, shown, &err));
            return None;
        }
    };
    let mut found = FileProblems {
        shown,
        problems,
        found: 0,
    };
    check_id(&file, path, seen, &mut found);
    check_collection(&file, collections, &mut found);
    if file.basis.is_empty() {
        found.warn(
            RuleCode::NoBasis,
            tr!("rule `{id}` has no `basis`", id = &file.id.value),
            LineCol::from(file.id.referenced),
            tr!(
                "cite the law or policy the rule rests on: `basis: [{ citation: \"…\", url: \"https://wetten.overheid.nl/…\" }]`"
            ),
        );
    }
    if file.title.trim().is_empty() {
        let at = LineCol::from(file.id.referenced);
        found.push(BuildCode::Invalid, tr!("rule has an empty title"), at, None);
    }
    let when = file.when.as_ref().and_then(|when| {
        compile_in_file(when, text)
            .map_err(|err| found.build_error(err, LineCol::default()))
            .ok()
    });
    let valid = file.valid.as_ref().map(|valid| validity(valid, &mut found));
    let check_at = LineCol::from(file.check.referenced);
    let check = match file.check.value.build(&BuildCx { text, check_at }) {
        Ok(check) => Some(check),
        Err(errors) => {
            for err in errors {
                found.build_error(err, check_at);
            }
            None
        }
    };
    if let (Some(check), Some(collections)) = (&check, collections) {
        // `collections.<name>` in the rule's expressions.
        let expressions = check.expressions().into_iter().chain(when.as_ref());
        let named: std::collections::BTreeSet<String> = expressions
            .filter_map(|e| e.collections_read())
            .flatten()
            .collect();
        for other in &named {
            if !collections.contains_key(other) {
                let message = tr!(
                    "the rule reads `collections.{other}`, which the project does not declare",
                    other = other
                );
                let help = Some(declared_help(other, collections));
                found.push(RuleCode::UnknownCollection, message, check_at, help);
            }
        }
        for other in check.reads() {
            if !collections.contains_key(other) {
                let message = tr!(
                    "the check reads collection `{other}`, which the project does not declare",
                    other = other
                );
                let help = Some(declared_help(other, collections));
                found.push(RuleCode::UnknownCollection, message, check_at, help);
            }
        }
    }
    if let (Some(check), Some(collections)) = (&check, collections) {
        let message = file.message.as_ref().map(|m| m.value.as_str());
        let collection = &file.collection.value;
        let reads = super::fields_read(collection, when.as_ref(), check, valid.as_ref(), message);
        // Where the rule writes each place.
        let place_at = |place: &str| {
            let spanned = match place {
                "when" => file.when.as_ref().map(|w| w.referenced),
                "valid.date_field" => file.valid.as_ref().map(|v| v.referenced),
                "message" => file.message.as_ref().map(|m| m.referenced),
                _ => None,
            };
            spanned.map_or(check_at, LineCol::from)
        };
        for read in &reads {
            let at = place_at(read.place);
            let (name, place) = (read.top(), read.place);
            closed_schema_has(collections, &read.collection, name, place, at, &mut found);
        }
    }
    if found.found > 0 {
        return None;
    }
    let mut tests = file.tests;
    tests.extend(sibling_tests(shown, path, problems)?);
    Some(Rule {
        id: file.id.value,
        title: file.title,
        severity: file.severity,
        collection: file.collection.value,
        when,
        valid,
        check: check?,
        message: file.message.map(|m| m.value),
        basis: file.basis,
        docs: file.docs,
        tests,
        path: shown.to_path_buf(),
        check_at,
    })
}

/// The id is kebab-case, is the file's name, and is not taken.
fn check_id(
    file: &RuleFile,
    path: &Path,
    seen: &mut HashMap<String, PathBuf>,
    found: &mut FileProblems<'_>,
) {
    let id = &file.id.value;
    let at = LineCol::from(file.id.referenced);
    if !is_kebab(id) {
        found.push(
            RuleCode::Id,
            tr!("rule id `{id}` is not kebab-case", id = id),
            at,
            Some(tr!(
                "use lower-case words joined by hyphens, naming the condition flagged"
            )),
        );
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != id {
        found.push(
            RuleCode::Id,
            tr!(
                "rule id `{id}` does not match the file name `{stem}`",
                id = id,
                stem = stem
            ),
            at,
            Some(tr!(
                "rename the file to `{id}.yaml` or change the id",
                id = id
            )),
        );
    }
    match seen.get(id) {
        Some(first) => found.push(
            RuleCode::DuplicateId,
            tr!(
                "rule id `{id}` is also used by {file}",
                id = id,
                file = first.display()
            ),
            at,
            Some(tr!("rule ids must be unique across the rule set")),
        ),
        None => {
            seen.insert(id.clone(), found.shown.to_path_buf());
        }
    }
}

/// The collection the rule judges is one the project declares.
fn check_collection(
    file: &RuleFile,
    collections: Option<&BTreeMap<String, Collection>>,
    found: &mut FileProblems<'_>,
) {
    let Some(collections) = collections else {
        return;
    };
    let name = &file.collection.value;
    if collections.contains_key(name) {
        return;
    }
    found.push(
        RuleCode::UnknownCollection,
        tr!(
            "rule judges collection `{name}`, which the project does not declare",
            name = name
        ),
        LineCol::from(file.collection.referenced),
        Some(declared_help(name, collections)),
    );
}

/// The hint for a collection `name` the project does not declare: the
/// closest it does, and all it does.
fn declared_help(name: &str, collections: &BTreeMap<String, Collection>) -> Text {
    let declared: Vec<&str> = collections.keys().map(String::as_str).collect();
    let all = tr!(
        "the project declares: {collections}",
        collections = declared.join(", ")
    );
    suggest(name, declared.iter().copied(), all)
}

/// Against a collection whose schema lists every field
/// (`additionalFields: false`), a field the rule reads must be one of them.
fn closed_schema_has(
    collections: &BTreeMap<String, Collection>,
    collection: &str,
    field: &str,
    place: &str,
    at: LineCol,
    found: &mut FileProblems<'_>,
) {
    let Some(schema) = collections
        .get(collection)
        .and_then(|c| c.schema.as_ref())
        .filter(|s| !s.additional_fields)
    else {
        return;
    };
    if schema.fields.contains_key(field) {
        return;
    }
    let names = || schema.fields.keys().map(String::as_str);
    let all = tr!(
        "the schema of `{collection}` declares: {fields}",
        collection = collection,
        fields = names().collect::<Vec<_>>().join(", ")
    );
    let help = suggest(field, names(), all);
    found.push(
        RuleCode::UnknownField,
        tr!(
            "the rule reads `{field}` (in `{place}`), which collection `{collection}` does not have",
            field = field,
            place = place,
            collection = collection
        ),
        at,
        Some(help),
    );
}

/// The validity window, its dates parsed.
fn validity(valid: &Spanned<ValidSpec>, found: &mut FileProblems<'_>) -> Validity {
    let at = LineCol::from(valid.referenced);
    let mut date = |value: &Option<String>, name: &str| {
        let parsed = parse_date(value.as_deref()?);
        if parsed.is_none() {
            found.push(
                RuleCode::Valid,
                tr!("`valid.{name}` is not an ISO date", name = name),
                at,
                Some(tr!("write the date as YYYY-MM-DD")),
            );
        }
        parsed
    };
    let from = date(&valid.value.from, "from");
    let until = date(&valid.value.until, "until");
    if let (Some(from), Some(until)) = (from, until)
        && until < from
    {
        let message = tr!("`valid.until` lies before `valid.from`");
        found.push(RuleCode::Valid, message, at, None);
    }
    Validity {
        from,
        until,
        date_field: valid.value.date_field.clone(),
    }
}

/// Tests in a sibling `<id>.test.yaml`: a list of tests. `None` when the
/// file exists but cannot be used (the problem is recorded).
fn sibling_tests(shown: &Path, path: &Path, problems: &mut Problems) -> Option<Vec<RuleTest>> {
    let stem = path.file_stem()?.to_str()?;
    let sibling = path.with_file_name(format!("{stem}.test.yaml"));
    if !sibling.is_file() {
        return Some(Vec::new());
    }
    let shown = shown.with_file_name(format!("{stem}.test.yaml"));
    let text = match crate::read::text(&sibling) {
        Ok(text) => text,
        Err(err) => {
            problems.push(
                err.place(Problem::unusable(
                    RuleCode::Read,
                    tr!("cannot read test file: {cause}", cause = err.text()),
                ))
                .in_file(&shown),
            );
            return None;
        }
    };
    let shape = Shape::of::<Vec<RuleTest>>();
    if !strict::check_keys(&text, &shape, RuleCode::UnknownKey, &shown, problems) {
        return None;
    }
    match serde_saphyr::from_str::<Vec<RuleTest>>(&text) {
        Ok(tests) => Some(tests),
        Err(err) => {
            problems.push(from_yaml_error(RuleCode::Parse, &shown, &err));
            None
        }
    }
}

/// True for ids like `veiligheidsbeoordeling-te-laat`.
fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Collects rule files under a directory: `*.yaml`/`*.yml`, not the tests
/// beside them (`*.test.yaml`).
/// A rule file: `<id>.yaml` (or `.yml`), not a sibling `<id>.test.yaml`.
fn is_rule_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && !name.ends_with(".test.yaml")
        && !name.ends_with(".test.yml")
}

/// The directories a walk could not read, and the rule files that are not
/// regular files, as located problems.
fn report_walk(root: &Path, walked: &crate::walk::Walked, problems: &mut Problems) {
    for (dir, why) in &walked.unreadable {
        problems.push(
            Problem::unusable(RuleCode::Read, tr!("cannot read: {cause}", cause = why))
                .in_file(display(root, dir)),
        );
    }
    for path in &walked.special {
        problems.push(
            Problem::unusable(
                RuleCode::Read,
                tr!("not a regular file (a pipe, device or socket)"),
            )
            .in_file(display(root, path)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_case_ids() {
        assert!(is_kebab("veiligheidsbeoordeling-te-laat"));
        assert!(is_kebab("q3-2020"));
        assert!(!is_kebab("Te-laat"));
        assert!(!is_kebab("te_laat"));
        assert!(!is_kebab("te--laat"));
        assert!(!is_kebab("-te"));
    }
}
