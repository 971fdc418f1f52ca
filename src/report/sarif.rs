//! `--format sarif`: SARIF 2.1.0, the format code scanning (GitHub, GitLab,
//! Azure DevOps) uploads and shows (SPEC §6).
//!
//! Built with the typed model of `serde-sarif` (generated from the SARIF
//! schema), so a misspelt property cannot slip in. One `reportingDescriptor`
//! per rule that ran: title as short description, docs as full description,
//! docs and basis as help (text and markdown), the first basis URL as
//! `helpUri`. One `result` per
//! finding: `ruleId`, level, message, a physical location into the data file
//! (a URI relative to the project root, line and column counted in Unicode
//! code points; for a database table a logical location: table, key and
//! field), the finding's fingerprint as a partial fingerprint, and a
//! `suppressions` entry when a waiver accepts it. Problems with the inputs are
//! tool execution notifications. The run's properties carry `as_of`, the
//! `rules_digest` and `data_digest`, the `run_digest` and the `inputs` it is
//! over (each file with its sha256); nothing depends on the clock, so the same
//! inputs give the same bytes.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultLevel,
    Run as SarifRun, Sarif, Suppression, Tool, ToolComponent,
};

use super::{Deadline, Summary, project_name, rules_run};
use crate::engine::Run;
use crate::finding::Finding;
use crate::finding::Severity;
use crate::problem::{Impact, Problem};
use crate::rule::Rule;

/// The schema every SARIF log names (GitHub's examples use this address).
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of naleving's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "naleving/v1";

/// Renders the run as a SARIF 2.1.0 log, pretty-printed, ending in a newline.
pub fn render(run: &Run, fail_on: Severity) -> String {
    let ran = rules_run(run);
    let index: BTreeMap<&str, i64> = ran
        .iter()
        .enumerate()
        .map(|(i, (rule, _))| (rule.id.as_str(), i64::try_from(i).unwrap_or(i64::MAX)))
        .collect();
    let driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(
            ran.iter()
                .map(|(rule, _)| descriptor(rule))
                .collect::<Vec<_>>(),
        )
        .build();
    let results: Vec<SarifResult> = run
        .findings
        .iter()
        .map(|finding| result(finding, index.get(finding.rule.as_str()).copied(), run))
        .collect();
    let notifications: Vec<Notification> = run.problems.iter().map(notification).collect();
    let invocation = Invocation::builder()
        .execution_successful(!run.problems.iter().any(|p| p.impact > Impact::Warning))
        .tool_execution_notifications(notifications)
        .build();
    let summary = serde_json::to_value(Summary::of(run, fail_on)).unwrap_or(Value::Null);
    let properties = bag([
        ("project", json!(project_name(run))),
        ("as_of", json!(run.as_of.to_string())),
        ("as_of_source", json!(run.as_of_source)),
        ("rules_digest", json!(run.rules.digest)),
        ("data_digest", json!(run.dataset.digest())),
        ("run_digest", json!(run.manifest.run_digest())),
        ("inputs", json!(run.manifest.inputs)),
        ("summary", summary),
    ]);
    let sarif_run = SarifRun::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .properties(properties)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![sarif_run])
        .build();
    let mut out = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    out.push('\n');
    out
}

/// A property bag from key/value pairs.
fn bag<const N: usize>(pairs: [(&str, Value); N]) -> PropertyBag {
    PropertyBag::builder()
        .additional_properties(
            pairs
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
        )
        .build()
}

/// SARIF's level for a severity (`info` is a `note`).
fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// The help text of a rule: its docs, then its basis.
fn help(rule: &Rule, markdown: bool) -> String {
    let mut text = rule
        .docs
        .as_deref()
        .map_or_else(|| rule.title.clone(), |d| d.trim_end().to_string());
    if !rule.basis.is_empty() {
        text.push_str(if markdown {
            "\n\n**Basis**\n"
        } else {
            "\n\nBasis:\n"
        });
        for basis in &rule.basis {
            let line = match (&basis.url, markdown) {
                (Some(url), true) => format!("\n- [{}]({url})", basis.citation),
                (Some(url), false) => format!("\n- {} <{url}>", basis.citation),
                (None, _) => format!("\n- {}", basis.citation),
            };
            text.push_str(&line);
        }
    }
    text
}

/// The `reportingDescriptor` of a rule.
fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let basis: Vec<Value> = rule
        .basis
        .iter()
        .map(|b| serde_json::to_value(b).unwrap_or(Value::Null))
        .collect();
    // The docs describe the rule; the help (docs and basis) comes with a
    // markdown form, which code scanning shows with an alert.
    let docs = rule
        .docs
        .as_deref()
        .map_or(rule.title.as_str(), str::trim_end);
    let full = MultiformatMessageString::builder().text(docs).build();
    let properties = PropertyBag::builder()
        .tags(vec![rule.collection.clone(), rule.check.kind().to_string()])
        .additional_properties(BTreeMap::from([
            ("collection".to_string(), json!(rule.collection)),
            ("basis".to_string(), Value::Array(basis)),
        ]))
        .build();
    let descriptor = ReportingDescriptor::builder()
        .id(&rule.id)
        .name(&rule.id)
        .short_description(
            MultiformatMessageString::builder()
                .text(&rule.title)
                .build(),
        )
        .full_description(full)
        .help(
            MultiformatMessageString::builder()
                .text(help(rule, false))
                .markdown(help(rule, true))
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(rule.severity)))
                .build(),
        )
        .properties(properties);
    match rule.basis.iter().find_map(|b| b.url.as_ref()) {
        Some(url) => descriptor.help_uri(url).build(),
        None => descriptor.build(),
    }
}

/// A relative path as a URI reference: every byte outside the unreserved
/// characters and `/` percent-encoded (spaces, `#`, `?`, non-ASCII).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A physical location at a line and column of a file (no region without a line).
fn location(path: &str, line: u32, column: u32) -> Location {
    let artifact = ArtifactLocation::builder().uri(uri(path)).build();
    let physical = if line >= 1 {
        PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(
                Region::builder()
                    .start_line(i64::from(line))
                    .start_column(i64::from(column.max(1)))
                    .build(),
            )
            .build()
    } else {
        PhysicalLocation::builder()
            .artifact_location(artifact)
            .build()
    };
    Location::builder().physical_location(physical).build()
}

/// Where a finding is: a line and column of its file, or for a record of a
/// database table a logical location — the table, the record's key and the
/// field, as `postgres://HOST/DB#vt.meldingen[KEY].field` (a table has no
/// lines to point at).
fn finding_location(finding: &Finding) -> Location {
    let path = &finding.location.path;
    if let Some((line, column)) = finding.location.line_column() {
        return location(path, line, column);
    }
    let mut name = format!("{path}[{}]", finding.record);
    if let Some(field) = &finding.field {
        name.push('.');
        name.push_str(field);
    }
    let logical = LogicalLocation::builder()
        .name(finding.record.to_string())
        .fully_qualified_name(name)
        .kind("object")
        .build();
    Location::builder().logical_locations(vec![logical]).build()
}

/// The `result` of a finding.
fn result(finding: &Finding, rule_index: Option<i64>, run: &Run) -> SarifResult {
    let deadline = Deadline::of(finding);
    let properties = bag([
        ("collection", json!(finding.collection)),
        ("record", json!(finding.record)),
        ("field", json!(finding.field)),
        ("due", json!(deadline.due)),
        ("late_by", json!(deadline.late_by)),
        ("sheet", json!(finding.location.sheet)),
        ("cell", json!(finding.location.cell)),
        ("details", json!(finding.details)),
        ("changed", json!(finding.changed)),
    ]);
    let message = format!(
        "{} · {} `{}`",
        finding.message, finding.collection, finding.record
    );
    let mut result = SarifResult::builder()
        .rule_id(&finding.rule)
        .level(level(finding.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![finding_location(finding)])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT_KEY.to_string(),
            finding.fingerprint.to_string(),
        )]))
        .properties(properties)
        .build();
    result.rule_index = rule_index;
    if run.baseline.is_some() {
        // With a baseline, only findings absent from it are reported, and
        // those of a group that got worse: SARIF's "updated".
        let state = if finding.changed.is_some() {
            "updated"
        } else {
            "new"
        };
        result.baseline_state = Some(json!(state));
    }
    if let Some(waived) = &finding.waived {
        result.suppressions = Some(vec![
            Suppression::builder()
                .kind(json!("external"))
                .status(json!("accepted"))
                .justification(&waived.reason)
                .properties(bag([
                    ("approved_by", json!(waived.approved_by)),
                    ("expires", json!(waived.expires.map(|d| d.to_string()))),
                ]))
                .build(),
        ]);
    }
    result
}

/// A problem with the inputs as a tool execution notification.
fn notification(problem: &Problem) -> Notification {
    let level = match problem.impact {
        Impact::Warning => "warning",
        Impact::Unusable | Impact::Incomplete => "error",
    };
    let mut text = problem.message.en();
    if let Some(help) = &problem.help {
        text.push_str(&format!(" (help: {})", help.en()));
    }
    let records = (!problem.records.is_empty()).then(|| {
        PropertyBag::builder()
            .additional_properties(BTreeMap::from([(
                "records".to_string(),
                json!(problem.records),
            )]))
            .build()
    });
    let notification = Notification::builder()
        .message(Message::builder().text(text).build())
        .level(json!(level))
        .descriptor(
            ReportingDescriptorReference::builder()
                .id(problem.code.to_string())
                .build(),
        );
    let mut notification = match &problem.path {
        Some(path) => {
            let at = problem.at.unwrap_or_default();
            let path = path.to_string_lossy().replace('\\', "/");
            notification
                .locations(vec![location(&path, at.line, at.column)])
                .build()
        }
        None => notification.build(),
    };
    notification.properties = records;
    notification
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("fixtures/ghnt/a.jsonl"), "fixtures/ghnt/a.jsonl");
        assert_eq!(uri("data/mei 2020#1.csv"), "data/mei%202020%231.csv");
        assert_eq!(uri("data/één.yaml"), "data/%C3%A9%C3%A9n.yaml");
    }
}
