//! Findings: what the engine reports for a record that breaks a rule, in the
//! one shape every output format renders (SPEC §6).

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::data::hex;
use crate::problem::LineCol;
use crate::rule::{Basis, Severity};
use crate::waiver::Waived;

/// Where a finding points in the data.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The data file, relative to the project root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// One record breaking one rule.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: String,
    /// The rule's severity.
    pub severity: Severity,
    /// The message, interpolated.
    pub message: String,
    /// The collection of the record.
    pub collection: String,
    /// The record's key.
    pub record: String,
    /// Where the record (or its field) is written.
    pub location: Location,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// The rule's legal basis.
    pub basis: Vec<Basis>,
    /// Identifies the finding across runs: independent of line numbers and
    /// record order, so baselines survive reformatting.
    pub fingerprint: String,
    /// Computed values (for deadlines at least `due` and `late_by`).
    pub details: Map<String, Value>,
    /// The waiver that accepts this finding, if one does and has not expired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<Waived>,
    /// What the human renderer needs beyond the record: not serialized.
    #[serde(skip)]
    pub source: SourceRef,
}

/// Where to find the lines to show for a finding.
#[derive(Clone, Debug, Default)]
pub struct SourceRef {
    /// First and last line of the record.
    pub record_lines: (u32, u32),
    /// The field's position, when it was found.
    pub field_at: Option<LineCol>,
    /// The rule file.
    pub rule_path: String,
    /// Where the rule's `check:` is written.
    pub check_at: LineCol,
    /// The check kind.
    pub check_kind: &'static str,
}

/// The fingerprint of a finding: sha256 over what identifies it — rule,
/// collection, record key, field and an optional discriminator — never its
/// place in the file.
pub fn fingerprint(
    rule: &str,
    collection: &str,
    record: &str,
    field: Option<&str>,
    discriminator: Option<&str>,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        "v1",
        rule,
        collection,
        record,
        field.unwrap_or(""),
        discriminator.unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize()[..16])
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Findings of severity `error`.
    pub error: usize,
    /// Findings of severity `warning`.
    pub warning: usize,
    /// Findings of severity `info`.
    pub info: usize,
}

impl Counts {
    /// Counts the findings.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }

    /// All findings.
    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }

    /// Findings at or above `level`.
    pub fn at_least(&self, level: Severity) -> usize {
        match level {
            Severity::Error => self.error,
            Severity::Warning => self.error + self.warning,
            Severity::Info => self.total(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_identify_rule_record_and_field() {
        let a = fingerprint("r", "c", "k", Some("f"), None);
        assert_eq!(a, fingerprint("r", "c", "k", Some("f"), None));
        assert_ne!(a, fingerprint("r", "c", "k", Some("g"), None));
        assert_ne!(a, fingerprint("r", "c", "k2", Some("f"), None));
        assert_ne!(a, fingerprint("r", "c", "k", Some("f"), Some("other")));
        // Separators keep ("ab", "c") and ("a", "bc") apart.
        assert_ne!(
            fingerprint("ab", "c", "k", None, None),
            fingerprint("a", "bc", "k", None, None)
        );
        assert_eq!(a.len(), 32);
    }
}
