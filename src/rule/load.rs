//! Loading rule files in phases: read, parse with spans and deserialize
//! strictly, then validate — collecting every problem of every file.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use sha2::{Digest, Sha256};

use super::{Rule, RuleFile, RuleTest, Validity};
use crate::calendar::parse_date;
use crate::check::BuildCode;
use crate::check::{BuildCx, compile_in_file};
use crate::digest::hex;
use crate::problem::relative as display;
use crate::problem::{LineCol, Problem, Problems, from_yaml_error};
use crate::project::Collection;
use crate::rule::RuleCode;
use crate::strict::{self, Shape};

/// The rules that loaded, and a digest of every rule file read.
#[derive(Debug, Default)]
pub struct LoadedRules {
    /// Valid rules, sorted by id.
    pub rules: Vec<Rule>,
    /// sha256 over the paths and bytes of the rule files, in path order.
    pub digest: String,
    /// How many rule files were read.
    pub files: usize,
}

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
            walk(path, &mut files);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            problems.push(
                Problem::unusable(RuleCode::Read, "rule path does not exist")
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
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                problems.push(
                    Problem::unusable(RuleCode::Read, format!("cannot read rule file: {err}"))
                        .in_file(&shown),
                );
                continue;
            }
        };
        hasher.update(shown.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(Sha256::digest(&bytes));
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let at = crate::data::line_col_of_bytes(
                    &err.as_bytes()[..err.utf8_error().valid_up_to()],
                );
                problems.push(
                    Problem::unusable(RuleCode::Parse, "invalid UTF-8")
                        .in_file(&shown)
                        .at(at.line, at.column),
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
    let before = problems.len();
    let mut problem =
        |code: Cow<'static, str>, message: String, at: LineCol, help: Option<String>| {
            let mut p = Problem::unusable(code, message)
                .in_file(shown)
                .at(at.line, at.column);
            if let Some(help) = help {
                p = p.help(help);
            }
            problems.push(p);
        };
    let at = LineCol::from;

    let id = file.id.value.clone();
    if !is_kebab(&id) {
        problem(
            RuleCode::Id.into(),
            format!("rule id `{id}` is not kebab-case"),
            at(file.id.referenced),
            Some(
                "use lower-case words joined by hyphens, naming the condition flagged".to_string(),
            ),
        );
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != id {
        problem(
            RuleCode::Id.into(),
            format!("rule id `{id}` does not match the file name `{stem}`"),
            at(file.id.referenced),
            Some(format!("rename the file to `{id}.yaml` or change the id")),
        );
    }
    match seen.get(&id) {
        Some(first) => problem(
            RuleCode::DuplicateId.into(),
            format!("rule id `{id}` is also used by {}", first.display()),
            at(file.id.referenced),
            Some("rule ids must be unique across the rule set".to_string()),
        ),
        None => {
            seen.insert(id.clone(), shown.to_path_buf());
        }
    }
    if let Some(collections) = collections
        && !collections.contains_key(&file.collection.value)
    {
        problem(
            RuleCode::UnknownCollection.into(),
            format!(
                "rule judges collection `{}`, which the project does not declare",
                file.collection.value
            ),
            at(file.collection.referenced),
            Some(format!(
                "the project declares: {}",
                collections
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    if file.title.trim().is_empty() {
        problem(
            BuildCode::Invalid.into(),
            "rule has an empty title".to_string(),
            at(file.id.referenced),
            None,
        );
    }

    let when = file
        .when
        .as_ref()
        .and_then(|when| match compile_in_file(when, text) {
            Ok(expr) => Some(expr),
            Err(err) => {
                problem(
                    err.code.into(),
                    err.message,
                    err.at.unwrap_or_default(),
                    err.help,
                );
                None
            }
        });

    let valid = file.valid.as_ref().map(|valid| {
        let mut date = |value: &Option<String>, name: &str| {
            value.as_ref().and_then(|v| {
                let parsed = parse_date(v);
                if parsed.is_none() {
                    problem(
                        RuleCode::Valid.into(),
                        format!("`valid.{name}` is not an ISO date"),
                        at(valid.referenced),
                        Some("write the date as YYYY-MM-DD".to_string()),
                    );
                }
                parsed
            })
        };
        let from = date(&valid.value.from, "from");
        let until = date(&valid.value.until, "until");
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            problem(
                RuleCode::Valid.into(),
                "`valid.until` lies before `valid.from`".to_string(),
                at(valid.referenced),
                None,
            );
        }
        Validity {
            from,
            until,
            date_field: valid.value.date_field.clone(),
        }
    });

    let check_at = at(file.check.referenced);
    let check = match file.check.value.build(&BuildCx { text, check_at }) {
        Ok(check) => Some(check),
        Err(errors) => {
            for err in errors {
                problem(
                    err.code.into(),
                    err.message,
                    err.at.unwrap_or(check_at),
                    err.help,
                );
            }
            None
        }
    };
    if let (Some(check), Some(collections)) = (&check, collections) {
        for other in check.reads() {
            if !collections.contains_key(other) {
                problem(
                    RuleCode::UnknownCollection.into(),
                    format!(
                        "the check reads collection `{other}`, which the project does not declare"
                    ),
                    check_at,
                    None,
                );
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let mut tests = file.tests;
    tests.extend(sibling_tests(shown, path, problems)?);
    Some(Rule {
        id,
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

/// Tests in a sibling `<id>.test.yaml`: a list of tests. `None` when the
/// file exists but cannot be used (the problem is recorded).
fn sibling_tests(shown: &Path, path: &Path, problems: &mut Problems) -> Option<Vec<RuleTest>> {
    let stem = path.file_stem()?.to_str()?;
    let sibling = path.with_file_name(format!("{stem}.test.yaml"));
    if !sibling.is_file() {
        return Some(Vec::new());
    }
    let shown = shown.with_file_name(format!("{stem}.test.yaml"));
    let text = match std::fs::read_to_string(&sibling) {
        Ok(text) => text,
        Err(err) => {
            problems.push(
                Problem::unusable(RuleCode::Read, format!("cannot read test file: {err}"))
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
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            walk(&path, files);
        } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
            && !name.ends_with(".test.yaml")
            && !name.ends_with(".test.yml")
        {
            files.push(path);
        }
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
