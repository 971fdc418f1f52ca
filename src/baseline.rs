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
//! Waived findings are left out of a baseline on purpose: a waiver may
//! expire, and a baseline must not keep suppressing a finding whose waiver
//! did (the same bug as an expired waiver that still applies).

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
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

/// The baseline format version this naleving reads and writes.
pub const VERSION: u32 = 1;

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
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The finding's fingerprint: what matches it across runs.
    pub fingerprint: String,
    /// The rule, for people reading the file.
    pub rule: String,
    /// The record key, for people reading the file.
    pub record: String,
}

/// How the findings of a run compare with a baseline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The baseline file, as given.
    pub path: String,
    /// Findings not in the baseline: the ones reported.
    pub new: usize,
    /// Baseline entries no longer found.
    pub fixed: usize,
    /// Findings in the baseline and still found: not reported.
    pub still_present: usize,
}

impl Baseline {
    /// The baseline of a run's findings, waived ones left out.
    pub fn of(as_of: jiff::civil::Date, findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| f.waived.is_none())
            .map(|f| Entry {
                fingerprint: f.fingerprint.to_string(),
                rule: f.rule.to_string(),
                record: f.record.clone(),
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
        if baseline.version != VERSION {
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

    /// Keeps only the findings not in the baseline and counts the rest.
    /// Entries of rules that did not run (`--rule`, `--collection`) are
    /// neither fixed nor present: this run says nothing about them.
    pub fn compare(
        &self,
        path: &Path,
        findings: &mut Vec<Finding>,
        ran: &BTreeSet<&str>,
    ) -> Comparison {
        let known: BTreeSet<&str> = self
            .entries
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let found: BTreeSet<String> = findings.iter().map(|f| f.fingerprint.to_string()).collect();
        let before = findings.len();
        findings.retain(|f| !known.contains(f.fingerprint.as_str()));
        let fixed = self
            .entries
            .iter()
            .filter(|e| ran.contains(e.rule.as_str()) && !found.contains(&e.fingerprint))
            .map(|e| e.fingerprint.as_str())
            .collect::<BTreeSet<_>>()
            .len();
        Comparison {
            path: path.to_string_lossy().replace('\\', "/"),
            new: findings.len(),
            fixed,
            still_present: before - findings.len(),
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
        );
        let mut now = vec![finding("r", "b"), finding("r", "c"), finding("s", "x")];
        let ran = BTreeSet::from(["r"]);
        let comparison = old.compare(Path::new("b.json"), &mut now, &ran);
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
