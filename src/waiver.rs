//! Waivers: a finding the programme has knowingly accepted, with who approved
//! it, why, and until when (SPEC §6).
//!
//! The project file's `waivers:` key holds either the list itself or the
//! path of a YAML file holding it. Each entry is
//! `{ rule, record, reason, approved_by, expires }`, all required but
//! `expires`. Loading is strict like the rest of the project file: every
//! unknown key and every missing field is reported, located, at once.
//!
//! Applying the waivers to a run ([`apply`]) marks the findings they cover as
//! waived: such a finding is still counted and shown, but no longer fails the
//! run. Two things are reported as problems of impact
//! [`Warning`](crate::problem::Impact::Warning):
//!
//! - `waiver::expired`: the waiver's `expires` lies before `as_of`. The
//!   finding then counts again — an expired waiver never suppresses anything
//!   (Kyverno's CLI kept applying expired exceptions; that bug is a test
//!   here). It is a warning, not an unusable input, on purpose: the finding
//!   itself already fails the run with exit 1, and turning that into exit 2
//!   would present a data violation as a broken configuration.
//! - `waiver::unused`: the waiver matches no finding (the record was fixed, or
//!   the rule id or record key is misspelt).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::calendar::parse_date;
use crate::finding::{Finding, Waived};
use crate::problem::{LineCol, Problem, Problems, did_you_mean, from_yaml_error};
use crate::strict::{self, Shape, Text};
use crate::tr;

crate::problem_codes! {
    /// The codes of problems with waivers.
    pub enum WaiverCode {
        /// The waivers file could not be read.
        Read = "waiver::read",
        /// The waivers are not YAML of the waiver shape.
        Parse = "waiver::parse",
        /// A waiver has a key naleving does not know.
        UnknownKey = "waiver::unknown-key",
        /// A waiver lacks `rule`, `record`, `reason` or `approved_by`.
        MissingField = "waiver::missing-field",
        /// A waiver's `expires` is not an ISO date.
        Expires = "waiver::expires",
        /// A waiver expired before the evaluation date: its findings count again.
        Expired = "waiver::expired",
        /// A waiver matches no finding of the run (the finding was fixed, or the waiver names the
        /// wrong rule or record): remove it.
        Unused = "waiver::unused",
    }
}

/// One waiver as written: every field optional here, so that validation can
/// report each missing one rather than serde stopping at the first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverEntry {
    /// The id of the rule whose finding is accepted.
    #[serde(default)]
    pub rule: Option<Spanned<Text>>,
    /// The key of the record the finding is about.
    #[serde(default)]
    pub record: Option<Spanned<Text>>,
    /// Why the finding is accepted.
    #[serde(default)]
    pub reason: Option<Spanned<Text>>,
    /// Who approved the waiver (a role or a name).
    #[serde(default)]
    pub approved_by: Option<Spanned<Text>>,
    /// The last day the waiver holds (ISO date); none means it does not expire.
    #[serde(default)]
    pub expires: Option<Spanned<Text>>,
}

/// The `waivers:` key of the project file: the list, or a file holding it.
#[derive(Debug)]
pub enum WaiversSpec {
    /// The waivers written in the project file.
    Inline(Vec<Spanned<WaiverEntry>>),
    /// The path of a YAML file (relative to the project file) with the list.
    File(String),
}

impl<'de> Deserialize<'de> for WaiversSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WaiversSpec, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WaiversSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of waivers or the path of a file with them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WaiversSpec, E> {
                Ok(WaiversSpec::File(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<WaiversSpec, E> {
                Ok(WaiversSpec::Inline(Vec::new()))
            }
            fn visit_none<E>(self) -> Result<WaiversSpec, E> {
                Ok(WaiversSpec::Inline(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WaiversSpec, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = seq.next_element::<Spanned<WaiverEntry>>()? {
                    entries.push(entry);
                }
                Ok(WaiversSpec::Inline(entries))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The keys a waiver list may have, for [`strict::check_keys`].
pub fn shape() -> Shape {
    Shape::List(|| Shape::Struct(strict::fields_of::<WaiverEntry>(), |_| Shape::Any))
}

/// A validated waiver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    /// The rule id.
    pub rule: String,
    /// The record key.
    pub record: String,
    /// Why the finding is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// The last day it holds.
    pub expires: Option<Date>,
    /// The file it is written in (relative to the project root).
    pub file: PathBuf,
    /// Where its entry starts in that file.
    pub at: LineCol,
}

/// Reads the waivers of a project file's `waivers:` key. `project_file` is
/// the project file as shown, `root` its directory; `at` is where the key's
/// value is written (for a file that cannot be read).
pub fn load(
    spec: WaiversSpec,
    at: LineCol,
    root: &Path,
    project_file: &Path,
    problems: &mut Problems,
) -> Vec<Waiver> {
    match spec {
        WaiversSpec::Inline(entries) => validate(&entries, project_file, problems),
        WaiversSpec::File(path) => {
            let full = root.join(&path);
            let shown = crate::problem::relative(root, &full);
            let text = match crate::read::text(&full) {
                Ok(text) => text,
                Err(err @ crate::read::ReadError::Utf8(_)) => {
                    problems.push(
                        err.place(Problem::unusable(WaiverCode::Read, err.text()))
                            .in_file(&shown),
                    );
                    return Vec::new();
                }
                Err(err) => {
                    problems.push(
                        Problem::unusable(
                            WaiverCode::Read,
                            crate::tr!(
                                "cannot read the waivers file {path}: {cause}",
                                path = format!("{path:?}"),
                                cause = err.text()
                            ),
                        )
                        .in_file(project_file)
                        .at_loc(at)
                        .help(crate::tr!("the path is relative to the project file")),
                    );
                    return Vec::new();
                }
            };
            if text.trim().is_empty() {
                return Vec::new();
            }
            if !strict::check_keys(&text, &shape(), WaiverCode::UnknownKey, &shown, problems) {
                return Vec::new();
            }
            match serde_saphyr::from_str::<Vec<Spanned<WaiverEntry>>>(&text) {
                Ok(entries) => validate(&entries, &shown, problems),
                Err(err) => {
                    problems.push(
                        from_yaml_error(WaiverCode::Parse, &shown, &err)
                            .help(crate::tr!(
                                "a waivers file is a list of `{ rule, record, reason, approved_by, expires }`"
                            )),
                    );
                    Vec::new()
                }
            }
        }
    }
}

/// Checks every entry, reporting each missing field and bad date; only
/// complete entries become waivers.
fn validate(entries: &[Spanned<WaiverEntry>], file: &Path, problems: &mut Problems) -> Vec<Waiver> {
    let mut waivers = Vec::new();
    for entry in entries {
        let at = LineCol::from(entry.referenced);
        let value = &entry.value;
        let mut complete = true;
        let mut required = |name: &str, field: &Option<Spanned<Text>>| -> String {
            match field {
                Some(text) if !text.value.0.trim().is_empty() => text.value.0.trim().to_string(),
                _ => {
                    complete = false;
                    problems.push(
                        Problem::unusable(
                            WaiverCode::MissingField,
                            crate::tr!("waiver without `{name}`", name = name),
                        )
                        .in_file(file)
                        .at_loc(at)
                        .help(crate::tr!(
                            "a waiver needs rule, record, reason and approved_by; expires is optional"
                        )),
                    );
                    String::new()
                }
            }
        };
        let rule = required("rule", &value.rule);
        let record = required("record", &value.record);
        let reason = required("reason", &value.reason);
        let approved_by = required("approved_by", &value.approved_by);
        let expires = match &value.expires {
            None => None,
            Some(text) => match parse_date(&text.value.0) {
                Some(date) => Some(date),
                None => {
                    complete = false;
                    problems.push(
                        Problem::unusable(
                            WaiverCode::Expires,
                            crate::tr!(
                                "`expires` is not an ISO date: {value}",
                                value = format!("{:?}", text.value.0)
                            ),
                        )
                        .in_file(file)
                        .at_loc(text.referenced)
                        .help(crate::tr!(
                            "write the last day the waiver holds as YYYY-MM-DD"
                        )),
                    );
                    None
                }
            },
        };
        if complete {
            waivers.push(Waiver {
                rule,
                record,
                reason,
                approved_by,
                expires,
                file: file.to_path_buf(),
                at,
            });
        }
    }
    waivers
}

/// Marks the findings the waivers cover as waived, and reports expired and
/// unused waivers. `ran` are the rules that ran and `known` every rule that
/// loaded: a waiver for a known rule that was filtered out of this run is
/// neither used nor unused, so it is left alone.
pub fn apply(
    waivers: &[Waiver],
    findings: &mut [Finding],
    as_of: Date,
    ran: &BTreeSet<&str>,
    known: &BTreeSet<&str>,
    problems: &mut Problems,
) {
    for waiver in waivers {
        if known.contains(waiver.rule.as_str()) && !ran.contains(waiver.rule.as_str()) {
            continue;
        }
        let expired = waiver.expires.filter(|&expires| expires < as_of);
        let mut matched = false;
        for finding in findings
            .iter_mut()
            .filter(|f| f.rule == waiver.rule && f.record == waiver.record)
        {
            matched = true;
            if expired.is_none() && finding.waived.is_none() {
                finding.waived = Some(Box::new(Waived {
                    reason: waiver.reason.clone(),
                    approved_by: waiver.approved_by.clone(),
                    expires: waiver.expires,
                }));
            }
        }
        let problem = match (matched, expired) {
            (true, Some(expires)) => Problem::warning(
                WaiverCode::Expired,
                tr!(
                    "the waiver for rule `{rule}` on record `{record}` expired on {expires}; its findings count again",
                    rule = &waiver.rule,
                    record = &waiver.record,
                    expires = expires
                ),
            )
            .help(tr!(
                "fix the record, or renew the waiver with a later `expires` and a new approval"
            )),
            (true, None) => continue,
            (false, _) => {
                let help = if known.contains(waiver.rule.as_str()) {
                    tr!(
                        "remove the waiver: the record no longer breaks the rule (or its key is misspelt)"
                    )
                } else {
                    match did_you_mean(&waiver.rule, known.iter().copied()) {
                        Some(suggestion) => {
                            tr!("no rule has this id; {suggestion}", suggestion = suggestion)
                        }
                        None => tr!("no rule has this id: is it misspelt?"),
                    }
                };
                Problem::warning(
                    WaiverCode::Unused,
                    tr!(
                        "the waiver for rule `{rule}` on record `{record}` matches no finding",
                        rule = &waiver.rule,
                        record = &waiver.record
                    ),
                )
                .help(help)
            }
        };
        problems.push(
            problem
                .in_file(&waiver.file)
                .at(waiver.at.line, waiver.at.column),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(yaml: &str) -> Vec<Spanned<WaiverEntry>> {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn every_missing_field_and_bad_date_is_reported() {
        let yaml = "- { rule: a, record: 1, reason: r, approved_by: x, expires: 2021-06-30 }\n\
                    - { rule: b, reason: '' }\n\
                    - { rule: c, record: k, reason: r, approved_by: x, expires: morgen }\n";
        let mut problems = Problems::default();
        let waivers = validate(&entries(yaml), Path::new("w.yaml"), &mut problems);
        assert_eq!(waivers.len(), 1);
        assert_eq!(waivers[0].record, "1");
        assert_eq!(waivers[0].expires, Some(jiff::civil::date(2021, 6, 30)));
        let found: Vec<(String, String, u32)> = problems
            .into_sorted()
            .iter()
            .map(|p| {
                (
                    p.code.to_string(),
                    p.message.en(),
                    p.at.map_or(0, |a| a.line),
                )
            })
            .collect();
        let found: Vec<(&str, String, u32)> = found
            .iter()
            .map(|(c, m, l)| (c.as_str(), m.clone(), *l))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "waiver::missing-field",
                    "waiver without `approved_by`".into(),
                    2
                ),
                ("waiver::missing-field", "waiver without `reason`".into(), 2),
                ("waiver::missing-field", "waiver without `record`".into(), 2),
                (
                    "waiver::expires",
                    "`expires` is not an ISO date: \"morgen\"".into(),
                    3
                ),
            ]
        );
    }

    #[test]
    fn inline_list_or_file_path() {
        let spec: WaiversSpec = serde_saphyr::from_str("waivers.yaml").unwrap();
        assert!(matches!(spec, WaiversSpec::File(path) if path == "waivers.yaml"));
        let spec: WaiversSpec =
            serde_saphyr::from_str("- { rule: a, record: b, reason: c, approved_by: d }").unwrap();
        assert!(matches!(spec, WaiversSpec::Inline(list) if list.len() == 1));
    }
}
