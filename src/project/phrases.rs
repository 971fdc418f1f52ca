//! `phrases:` in the project file: the project's readings of due phrases
//! naleving does not decide ("voor de zomer"), each with its reason (see
//! [`crate::calendar::reading`]).
//!
//! ```yaml
//! phrases:
//!   "voor de zomer":
//!     means: "voor het zomerreces"
//!     reason: "de Kamer leest 'voor de zomer' als voor het zomerreces (brief 2020-03-12)"
//! ```
//!
//! Every problem is located in the project file and all are reported
//! together: a target naleving does not know (with the closest known
//! form), an empty reason, a phrase that is a term or a date, a target
//! that is itself a declared phrase, a phrase declared twice. An unknown
//! key inside an entry is found by the strict pass ([`super::shape`]),
//! with the closest key. A reading with a problem is left out.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::ProjectCode;
use crate::calendar::reading::{closest_form, is_term_or_date, phrase_key, unknown_target};
use crate::calendar::{Reading, TermijnError};
use crate::problem::{Problem, Problems};
use crate::text::Text;
use crate::tr;

/// One reading as written: `"<phrase>": { means, reason }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseSpec {
    /// The due phrase or term naleving knows that the phrase is read as
    /// (`voor het zomerreces`, `eind dit jaar`, `drie maanden`).
    pub means: Spanned<String>,
    /// Why the project reads the phrase so: the letter, decision or
    /// convention it follows. Shown with every deadline it decides.
    pub reason: Spanned<String>,
}

/// The `phrases:` mapping, in the order written, each phrase with its place.
#[derive(Debug, Default)]
pub struct PhrasesSpec(pub Vec<(Spanned<String>, PhraseSpec)>);

impl<'de> Deserialize<'de> for PhrasesSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PhrasesSpec, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PhrasesSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of due phrases to `{ means, reason }`")
            }
            fn visit_unit<E>(self) -> Result<PhrasesSpec, E> {
                Ok(PhrasesSpec::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PhrasesSpec, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<crate::strict::Text>>()? {
                    let spec = map.next_value::<PhraseSpec>()?;
                    entries.push((Spanned::new(key.value.0, key.referenced, key.defined), spec));
                }
                Ok(PhrasesSpec(entries))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The readings of `spec`, validated; every problem is pushed, located in
/// the project file at `path`, and its reading left out.
pub fn readings(spec: PhrasesSpec, path: &Path, problems: &mut Problems) -> Vec<Reading> {
    let located = |message: Text, at| {
        Problem::unusable(ProjectCode::Phrases, message)
            .in_file(path)
            .at_loc(at)
    };
    // The declared phrases, by key, for the checks that look at the others.
    let mut declared: BTreeMap<String, &str> = BTreeMap::new();
    for (phrase, _) in &spec.0 {
        declared
            .entry(phrase_key(&phrase.value))
            .or_insert(&phrase.value);
    }
    let mut readings = Vec::new();
    for (index, (phrase, entry)) in spec.0.iter().enumerate() {
        let before = problems.len();
        let name = phrase.value.trim();
        let key = phrase_key(name);
        if let Some(first) = spec.0[..index]
            .iter()
            .find(|(other, _)| phrase_key(&other.value) == key)
        {
            problems.push(
                located(
                    tr!(
                        "phrase `{phrase}` is declared twice (also as `{first}`)",
                        phrase = name,
                        first = first.0.value.trim()
                    ),
                    phrase.referenced,
                )
                .help(tr!("keep one reading of each phrase")),
            );
        }
        if is_term_or_date(name) {
            problems.push(
                located(
                    tr!(
                        "`{phrase}` is a term or a date, which naleving computes as the law has it: a project cannot read it otherwise",
                        phrase = name
                    ),
                    phrase.referenced,
                )
                .help(tr!(
                    "declare readings of due phrases only (`voor de zomer`, `rond de jaarwisseling`)"
                )),
            );
        }
        let means = entry.means.value.trim();
        if declared.contains_key(&phrase_key(means)) {
            problems.push(
                located(
                    tr!(
                        "phrase `{phrase}` means `{means}`, which the project reads otherwise itself: a reading cannot lead to another",
                        phrase = name,
                        means = means
                    ),
                    entry.means.referenced,
                )
                .help(tr!(
                    "write what `{means}` is read as directly",
                    means = means
                )),
            );
        } else if let Some(cause) = unknown_target(means) {
            problems.push(
                located(
                    tr!(
                        "phrase `{phrase}` means `{means}`, which naleving cannot read: {cause}",
                        phrase = name,
                        means = means,
                        cause = cause.text()
                    ),
                    entry.means.referenced,
                )
                .help(target_help(means, &cause)),
            );
        }
        if entry.reason.value.trim().is_empty() {
            problems.push(
                located(
                    tr!("phrase `{phrase}` has an empty `reason`", phrase = name),
                    entry.reason.referenced,
                )
                .help(tr!(
                    "say why the project reads the phrase so (the letter, decision or convention it follows): every deadline it decides shows it"
                )),
            );
        }
        if problems.len() == before {
            readings.push(Reading {
                phrase: name.to_string(),
                means: means.to_string(),
                reason: entry.reason.value.trim().to_string(),
            });
        }
    }
    readings
}

/// The help for a target naleving cannot read: the closest known form,
/// then what a target may be.
fn target_help(means: &str, cause: &TermijnError) -> Text {
    let rest = match cause {
        TermijnError::Term(_) => cause.help_text(),
        _ => tr!(
            "`means` is a due phrase naleving reads (`voor het zomerreces`, `eind dit jaar`, `Q3 2021`, `voor Prinsjesdag`) or a term (`drie maanden`)"
        ),
    };
    match closest_form(means) {
        Some(form) => tr!("did you mean `{name}`? {rest}", name = form, rest = rest),
        None => rest,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::path::PathBuf;

    use crate::problem::Problems;

    /// Loads a project file with `phrases` and returns the readings and
    /// the problems as `code line:column message | help`.
    fn load(phrases: &str) -> (Vec<(String, String)>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data.jsonl"), "{\"id\": 1}\n").unwrap();
        let path: PathBuf = dir.path().join("naleving.yaml");
        std::fs::write(
            &path,
            format!("collections:\n  c: {{ path: data.jsonl, key: id }}\n{phrases}"),
        )
        .unwrap();
        let mut problems = Problems::default();
        let project = super::super::load(&path, &mut problems);
        let readings = project
            .map(|p| p.phrases.into_iter().map(|r| (r.phrase, r.means)).collect())
            .unwrap_or_default();
        let problems = problems
            .into_sorted()
            .into_iter()
            .map(|p| {
                let at = p.at.map(|a| format!("{}:{}", a.line, a.column));
                format!(
                    "{} {} {} | {}",
                    p.code,
                    at.unwrap_or_default(),
                    p.message.en(),
                    p.help.map(|h| h.en()).unwrap_or_default()
                )
            })
            .collect();
        (readings, problems)
    }

    #[test]
    fn readings_load() {
        let (readings, problems) = load(
            "phrases:\n  \"voor de zomer\":\n    means: \"voor het zomerreces\"\n    reason: \"brief 2020-03-12\"\n  rond de jaarwisseling: { means: eind dit jaar, reason: conventie }\n",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(
            readings,
            [
                (
                    "voor de zomer".to_string(),
                    "voor het zomerreces".to_string()
                ),
                (
                    "rond de jaarwisseling".to_string(),
                    "eind dit jaar".to_string()
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_target_is_located_with_the_closest_form() {
        let (readings, problems) =
            load("phrases:\n  voor de zomer:\n    means: voor het zomereces\n    reason: brief\n");
        assert!(readings.is_empty());
        insta::assert_snapshot!(problems.join("\n"), @"project::phrases 5:12 phrase `voor de zomer` means `voor het zomereces`, which naleving cannot read: unknown due phrase `voor het zomereces` | did you mean `voor het zomerreces`? `means` is a due phrase naleving reads (`voor het zomerreces`, `eind dit jaar`, `Q3 2021`, `voor Prinsjesdag`) or a term (`drie maanden`)");
    }

    #[test]
    fn an_empty_reason_is_located() {
        let (readings, problems) =
            load("phrases:\n  voor de zomer: { means: voor het zomerreces, reason: \" \" }\n");
        assert!(readings.is_empty());
        insta::assert_snapshot!(problems.join("\n"), @"project::phrases 4:56 phrase `voor de zomer` has an empty `reason` | say why the project reads the phrase so (the letter, decision or convention it follows): every deadline it decides shows it");
    }

    #[test]
    fn an_unknown_key_is_located_with_the_closest_key() {
        let (_, problems) =
            load("phrases:\n  voor de zomer:\n    mean: voor het zomerreces\n    reason: brief\n");
        insta::assert_snapshot!(problems.join("\n"), @"project::unknown-key 5:5 unknown key `mean` in `phrases.voor de zomer` | did you mean `means`? expected one of: means, reason");
    }

    #[test]
    fn chains_terms_and_doubles_are_refused() {
        let (readings, problems) = load(
            "phrases:\n  voor de zomer: { means: na de zomer, reason: a }\n  na de zomer: { means: eind dit jaar, reason: b }\n  drie maanden: { means: eind dit jaar, reason: c }\n  Na de Zomer: { means: medio dit jaar, reason: d }\n",
        );
        insta::assert_snapshot!(problems.join("\n"), @r"
        project::phrases 4:27 phrase `voor de zomer` means `na de zomer`, which the project reads otherwise itself: a reading cannot lead to another | write what `na de zomer` is read as directly
        project::phrases 6:3 `drie maanden` is a term or a date, which naleving computes as the law has it: a project cannot read it otherwise | declare readings of due phrases only (`voor de zomer`, `rond de jaarwisseling`)
        project::phrases 7:3 phrase `Na de Zomer` is declared twice (also as `na de zomer`) | keep one reading of each phrase
        ");
        assert_eq!(
            readings,
            [("na de zomer".to_string(), "eind dit jaar".to_string())]
        );
    }
}
