//! Baselines: the fingerprints of the findings a project already had, so that
//! CI fails a data update only for what it introduces (SPEC §6).
//!
//! `naleving baseline write FILE` records today's findings; `check --baseline
//! FILE` then reports only the findings whose fingerprint is not in it (new),
//! and counts the entries it no longer finds (fixed) and those it still finds
//! (still present). Fingerprints are independent of line numbers and record
//! order (see [`crate::finding::fingerprint`]), so reformatting a data file or
//! reordering its records does not make old findings look new.
//!
//! The file is small, sorted JSON — `version`, `as_of` and `entries` of
//! `{ fingerprint, rule, record }` — so it diffs well in review. It holds no
//! messages and no field values: only what identifies a finding.
//!
//! A group finding (an `aggregate` norm: 2 of 3 on time) keeps its
//! fingerprint when its group changes, so its entry also records what it
//! measured: the group's `let` values and, when the rule declares one, its
//! `measure`. A finding that is in the baseline but measures worse now (2
//! of 4 on time) is *changed*: reported, marked with what it measured then,
//! and failing the run only with `--fail-on-changed`. Without a `measure`,
//! naleving cannot tell worse from better, so any change in the values is a
//! change. A version 1 baseline has no values: nothing in it can change.
//!
//! Waived findings are left out of a baseline on purpose: a waiver may
//! expire, and a baseline must not keep suppressing a finding whose waiver
//! did (the same bug as an expired waiver that still applies).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::finding::{Changed, Details, Finding};
use crate::problem::{Problem, Problems};
use crate::text::Text;
use crate::tr;

crate::problem_codes! {
    /// The codes of problems with a `--baseline` file.
    pub enum BaselineCode {
        /// The baseline file could not be read.
        Read = "baseline::read",
        /// The baseline file is not a baseline naleving wrote.
        Parse = "baseline::parse",
        /// The baseline file was written in a format version this naleving does not read.
        Version = "baseline::version",
    }
}

/// The baseline format version this naleving writes (it also reads 1, which
/// has no group values).
pub const VERSION: u32 = 2;

/// A baseline file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The format version, [`VERSION`].
    pub version: u32,
    /// The evaluation date of the run that wrote it.
    pub as_of: String,
    /// One entry per finding, sorted by rule, record and fingerprint.
    pub entries: Vec<Entry>,
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The finding's fingerprint: what matches it across runs.
    pub fingerprint: String,
    /// The rule, for people reading the file.
    pub rule: String,
    /// The record key, for people reading the file.
    pub record: String,
    /// A group finding's `let` values (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Map<String, Value>>,
    /// A group finding's measure, `{ value, better }`, when its rule
    /// declares one (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Value>,
}

/// What a group finding measured: its `let` values and its measure, if any.
/// `None` for a finding that is not of a group.
fn state(finding: &Finding) -> Option<(&Map<String, Value>, Option<&Value>)> {
    let Details::Map(details) = &finding.details else {
        return None;
    };
    let values = details.get("values")?.as_object()?;
    Some((values, details.get("measure")))
}

/// How a group that measured `before` in the baseline compares `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// Not worse by the measure, or the same values.
    None,
    /// Worse by the measure both have.
    Worse,
    /// Other values, and no measure on both sides to say which way.
    Differs,
}

/// Whether a group that measured `before` in the baseline measures worse
/// `now`: by the measure when both have one that is a number, else by any
/// difference in the values.
fn change(before: &Entry, now: (&Map<String, Value>, Option<&Value>)) -> Change {
    let number = |m: &Value| m.get("value").and_then(Value::as_f64);
    let better = |m: &Value| m.get("better").and_then(Value::as_str).map(str::to_string);
    if let (Some(then), Some(measure)) = (&before.measure, now.1)
        && let (Some(a), Some(b)) = (number(then), number(measure))
        && better(then).is_some()
        && better(then) == better(measure)
    {
        let worse = match better(measure).as_deref() {
            Some("lower") => b > a,
            _ => b < a,
        };
        return if worse { Change::Worse } else { Change::None };
    }
    if before.values.as_ref().is_some_and(|values| values != now.0) {
        Change::Differs
    } else {
        Change::None
    }
}

/// How the findings of a run compare with a baseline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The baseline file, as given.
    pub path: String,
    /// Findings not in the baseline: reported.
    pub new: usize,
    /// Group findings in the baseline that measure worse now: reported,
    /// marked with what they measured then.
    pub changed: usize,
    /// Baseline entries no longer found.
    pub fixed: usize,
    /// Findings in the baseline and still found, not worse: not reported.
    pub still_present: usize,
    /// Whether changed findings fail the run (`--fail-on-changed`).
    pub fail_on_changed: bool,
}

impl Baseline {
    /// The baseline of a run's findings, waived ones left out. The findings
    /// of the rules in `grouped` (the `aggregate`s) keep what they measured.
    pub fn of(
        as_of: jiff::civil::Date,
        findings: &[Finding],
        grouped: &BTreeSet<&str>,
    ) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| f.waived.is_none())
            .map(|f| {
                let state = state(f).filter(|_| grouped.contains(&*f.rule));
                Entry {
                    fingerprint: f.fingerprint.to_string(),
                    rule: f.rule.to_string(),
                    record: f.record.clone(),
                    values: state.map(|(values, _)| values.clone()),
                    measure: state.and_then(|(_, measure)| measure.cloned()),
                }
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.rule, &a.record, &a.fingerprint).cmp(&(&b.rule, &b.record, &b.fingerprint))
        });
        entries.dedup();
        Baseline {
            version: VERSION,
            as_of: as_of.to_string(),
            entries,
        }
    }

    /// The file's text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the baseline to `path` atomically.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        crate::atomic::write(path, self.to_json().as_bytes())
    }

    /// Reads a baseline file, reporting why it cannot be used.
    pub fn read(path: &Path, problems: &mut Problems) -> Option<Baseline> {
        let text = match crate::read::text(path) {
            Ok(text) => text,
            Err(err) => {
                problems.push(
                    err.place(Problem::unusable(
                        BaselineCode::Read,
                        tr!("cannot read the baseline: {cause}", cause = err.text()),
                    ))
                    .in_file(path)
                    .help(tr!("write one with `naleving baseline write FILE`")),
                );
                return None;
            }
        };
        let baseline: Baseline = match serde_json::from_str(&text) {
            Ok(baseline) => baseline,
            Err(err) => {
                let line = u32::try_from(err.line()).unwrap_or(u32::MAX);
                let column = u32::try_from(err.column()).unwrap_or(u32::MAX);
                let mut message = err.to_string();
                if let Some(cut) = message.rfind(" at line ") {
                    message.truncate(cut);
                }
                problems.push(
                    Problem::unusable(BaselineCode::Parse, Text::verbatim(message))
                        .in_file(path)
                        .at(line, column)
                        .help(tr!(
                            "a baseline is written by `naleving baseline write FILE`; do not edit it by hand"
                        )),
                );
                return None;
            }
        };
        if !(1..=VERSION).contains(&baseline.version) {
            problems.push(
                Problem::unusable(
                    BaselineCode::Version,
                    tr!(
                        "baseline version {version} is not supported (this naleving reads version {supported})",
                        version = baseline.version,
                        supported = VERSION
                    ),
                )
                .in_file(path)
                .help(tr!("write the baseline again with this naleving")),
            );
            return None;
        }
        Some(baseline)
    }

    /// Keeps the findings not in the baseline and the group findings of
    /// `grouped` rules that measure worse than it recorded (marked
    /// [`Finding::changed`]), and counts the rest. Entries of rules that did
    /// not run (`--rule`, `--collection`) are neither fixed nor present:
    /// this run says nothing about them.
    pub fn compare(
        &self,
        path: &Path,
        findings: &mut Vec<Finding>,
        ran: &BTreeSet<&str>,
        grouped: &BTreeSet<&str>,
    ) -> Comparison {
        let known: BTreeMap<&str, &Entry> = self
            .entries
            .iter()
            .map(|e| (e.fingerprint.as_str(), e))
            .collect();
        let found: BTreeSet<String> = findings.iter().map(|f| f.fingerprint.to_string()).collect();
        let before = findings.len();
        let (mut new, mut changed) = (0, 0);
        findings.retain_mut(|f| {
            let Some(entry) = known.get(f.fingerprint.as_str()) else {
                new += 1;
                return true;
            };
            let now = state(f).filter(|_| grouped.contains(&*f.rule));
            let how = now.map_or(Change::None, |now| change(entry, now));
            if how == Change::None {
                return false;
            }
            changed += 1;
            // The measure then, only when it decided: a change in the values
            // alone does not say which way.
            let measure = (how == Change::Worse)
                .then(|| entry.measure.as_ref().and_then(|m| m.get("value")).cloned())
                .flatten();
            f.changed = Some(Box::new(Changed {
                values: entry.values.clone().unwrap_or_default(),
                measure,
            }));
            true
        });
        let fixed = self
            .entries
            .iter()
            .filter(|e| ran.contains(e.rule.as_str()) && !found.contains(&e.fingerprint))
            .map(|e| e.fingerprint.as_str())
            .collect::<BTreeSet<_>>()
            .len();
        Comparison {
            path: path.to_string_lossy().replace('\\', "/"),
            new,
            changed,
            fixed,
            still_present: before - findings.len(),
            fail_on_changed: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::finding::{Location, SourceRef};

    fn finding(rule: &str, record: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            message: "m".into(),
            collection: "c".into(),
            record: record.into(),
            location: Location {
                path: "d.jsonl".into(),
                line: 1,
                column: 1,
                sheet: None,
                cell: None,
            },
            field: None,
            basis: Default::default(),
            fingerprint: crate::finding::fingerprint(rule, "c", record, None, None),
            details: Default::default(),
            waived: None,
            changed: None,
            group: None,
            source: SourceRef::default(),
            members: Vec::new(),
        }
    }

    #[test]
    fn new_fixed_and_still_present() {
        let date = jiff::civil::date(2021, 1, 15);
        let old = Baseline::of(
            date,
            &[finding("r", "a"), finding("r", "b"), finding("s", "x")],
            &BTreeSet::new(),
        );
        let mut now = vec![finding("r", "b"), finding("r", "c"), finding("s", "x")];
        let ran = BTreeSet::from(["r"]);
        let comparison = old.compare(Path::new("b.json"), &mut now, &ran, &BTreeSet::new());
        assert_eq!(
            now.iter().map(|f| f.record.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
        // `s` did not run: its entry is not counted as fixed.
        assert_eq!(
            (comparison.new, comparison.fixed, comparison.still_present),
            (1, 1, 2)
        );
    }

    /// A group finding of rule `g` with these `let` values and, when given,
    /// a measure.
    fn group(values: serde_json::Value, measure: Option<(f64, &str)>) -> Finding {
        let mut details = values
            .as_object()
            .map(|v| Map::from_iter([("values".to_string(), Value::Object(v.clone()))]))
            .unwrap_or_default();
        if let Some((value, better)) = measure {
            details.insert(
                "measure".to_string(),
                serde_json::json!({ "value": value, "better": better }),
            );
        }
        Finding {
            details: details.into(),
            ..finding("g", "regio=X")
        }
    }

    /// How a group that measured `then` compares when it measures `now`:
    /// the findings kept and the comparison.
    fn compared(then: Finding, now: Finding, grouped: &[&str]) -> (Vec<Finding>, Comparison) {
        let grouped: BTreeSet<&str> = grouped.iter().copied().collect();
        let old = Baseline::of(jiff::civil::date(2021, 1, 15), &[then], &grouped);
        let mut now = vec![now];
        let ran = BTreeSet::from(["g"]);
        let comparison = old.compare(Path::new("b.json"), &mut now, &ran, &grouped);
        (now, comparison)
    }

    #[test]
    fn a_group_is_changed_only_when_it_measures_worse() {
        use serde_json::json;
        let two_of_three = || group(json!({"totaal": 3, "op_tijd": 2}), Some((66.7, "higher")));
        // 2 of 3 → 2 of 4: worse by the measure.
        let (kept, comparison) = compared(
            two_of_three(),
            group(json!({"totaal": 4, "op_tijd": 2}), Some((50.0, "higher"))),
            &["g"],
        );
        assert_eq!((comparison.changed, comparison.still_present), (1, 0));
        let changed = kept[0].changed.as_deref().unwrap();
        assert_eq!(
            changed.values,
            *json!({"totaal": 3, "op_tijd": 2}).as_object().unwrap()
        );
        assert_eq!(changed.measure, Some(json!(66.7)));
        // 2 of 3 → 3 of 4: better, still present.
        let (kept, comparison) = compared(
            two_of_three(),
            group(json!({"totaal": 4, "op_tijd": 3}), Some((75.0, "higher"))),
            &["g"],
        );
        assert!(kept.is_empty());
        assert_eq!((comparison.changed, comparison.still_present), (0, 1));
        // The same measure with other values (2 of 3 → 4 of 6): not worse.
        let (kept, _) = compared(
            two_of_three(),
            group(json!({"totaal": 6, "op_tijd": 4}), Some((66.7, "higher"))),
            &["g"],
        );
        assert!(kept.is_empty());
        // Lower is better: a gap that grows is worse, one that shrinks is not.
        let gap = |v: f64| group(json!({"verschil": v}), Some((v, "lower")));
        assert_eq!(compared(gap(0.1), gap(0.2), &["g"]).1.changed, 1);
        assert_eq!(compared(gap(0.2), gap(0.1), &["g"]).1.changed, 0);
        // A measure that could not be computed on one side: the values
        // decide, and the change does not claim a direction.
        let (kept, comparison) = compared(
            two_of_three(),
            group(json!({"totaal": 0, "op_tijd": 0}), None),
            &["g"],
        );
        assert_eq!(comparison.changed, 1);
        assert_eq!(kept[0].changed.as_deref().unwrap().measure, None);
        // Without a measure, any change in the values is a change; none is none.
        let plain = |n: u64| group(json!({"jaren": n}), None);
        assert_eq!(compared(plain(3), plain(4), &["g"]).1.changed, 1);
        assert_eq!(compared(plain(4), plain(3), &["g"]).1.changed, 1);
        assert_eq!(compared(plain(3), plain(3), &["g"]).1.changed, 0);
        // A rule that is not a group's keeps no state: never changed.
        assert_eq!(compared(plain(3), plain(4), &[]).1.changed, 0);
        let entry = &Baseline::of(
            jiff::civil::date(2021, 1, 15),
            &[plain(3)],
            &BTreeSet::new(),
        )
        .entries[0];
        assert_eq!((&entry.values, &entry.measure), (&None, &None));
    }

    #[test]
    fn sorted_and_without_waived_findings() {
        let mut waived = finding("r", "w");
        waived.waived = Some(Box::new(crate::finding::Waived {
            reason: "x".into(),
            approved_by: "y".into(),
            expires: None,
        }));
        let baseline = Baseline::of(
            jiff::civil::date(2021, 1, 15),
            &[finding("s", "a"), waived, finding("r", "b")],
            &BTreeSet::new(),
        );
        let rules: Vec<_> = baseline.entries.iter().map(|e| e.rule.as_str()).collect();
        assert_eq!(rules, ["r", "s"]);
    }

    #[test]
    fn unreadable_and_foreign_files_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let mut problems = Problems::default();
        assert!(Baseline::read(&dir.path().join("nope.json"), &mut problems).is_none());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\n  \"version\": 1,\n  \"as_of\": 3\n}\n").unwrap();
        assert!(Baseline::read(&bad, &mut problems).is_none());
        let future = dir.path().join("future.json");
        std::fs::write(
            &future,
            r#"{"version": 9, "as_of": "2021-01-15", "entries": []}"#,
        )
        .unwrap();
        assert!(Baseline::read(&future, &mut problems).is_none());
        let codes: Vec<_> = problems
            .into_sorted()
            .iter()
            .map(|p| p.code.to_string())
            .collect();
        assert_eq!(
            codes,
            ["baseline::parse", "baseline::version", "baseline::read"]
        );
    }
}
