//! Building findings from verdicts: the message (with `{{ name }}` filled
//! in), the fingerprint, the location on the record or its field, and the
//! one order of findings in every output.

use rayon::prelude::*;
use serde_json::Value;

use super::locate::Source;
use crate::check::Verdict;
use crate::data::{self, DataFile, Record, field};
use crate::finding::{BasisList, Finding, Location, Shared, SourceRef, fingerprint};
use crate::rule::{Rule, placeholders};

/// Findings by path, line, column, rule and fingerprint (a table's by
/// collection and key order): one order for every run of the same inputs.
pub(super) fn sort_findings(findings: &mut [Finding]) {
    // Streamed findings come sorted batch by batch, so often in order
    // already: then a pass over them is all it takes (a stable sort of a
    // sorted list leaves it as it is).
    if findings.is_sorted_by(|a, b| compare_findings(a, b).is_le()) {
        return;
    }
    // Stable, like `sort_by`, so equal keys keep their order.
    findings.par_sort_by(compare_findings);
}

/// The order of findings in every report (see [`sort_findings`]). A
/// database table's "line" is a row's place among the rows its collection
/// read, which differs between collections over the same table (one may
/// read fewer rows): the collection comes first there.
pub(super) fn compare_findings(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    fn collection(f: &Finding) -> Option<&Shared> {
        f.location.in_table().then_some(&f.collection)
    }
    (&a.location.path, collection(a))
        .cmp(&(&b.location.path, collection(b)))
        .then_with(|| {
            (&a.location, &a.rule, &a.fingerprint).cmp(&(&b.location, &b.rule, &b.fingerprint))
        })
}

/// What every finding of a rule shares, made once per batch of outcomes
/// (see [`Shared`]).
pub(super) struct RuleParts {
    id: Shared,
    collection: Shared,
    basis: BasisList,
    path: Shared,
}

impl RuleParts {
    pub(super) fn of(rule: &Rule) -> RuleParts {
        RuleParts {
            id: rule.id.as_str().into(),
            collection: rule.collection.as_str().into(),
            basis: rule.basis.as_slice().into(),
            path: shown_path(&rule.path),
        }
    }
}

/// A path as findings show it: with `/` separators.
pub(super) fn shown_path(path: &std::path::Path) -> Shared {
    path.to_string_lossy().replace('\\', "/").into()
}

/// Builds a located finding from a verdict. `path` is the shown path of
/// `file` (empty when there is none).
pub(super) fn finding(
    rule: &Rule,
    parts: &RuleParts,
    record: &Record,
    verdict: Verdict,
    (file, path): (Option<&DataFile>, &Shared),
    source: Option<&Source>,
) -> Finding {
    let sheet_cell = file.filter(|f| f.sheet.is_some()).map(|file| {
        let name = verdict
            .field
            .as_deref()
            .or_else(|| file.columns.first().map(String::as_str))
            .unwrap_or_default();
        (file.sheet.clone(), file.cell(record.pos.line, name))
    });
    let field_at = match (&verdict.field, file, source, &sheet_cell) {
        (Some(_), _, _, Some((_, Some((at, _))))) => Some(*at),
        (Some(name), Some(file), Some((text, index)), None) => {
            let from = index.from_line(text, record.pos.line);
            data::locate_field(from, file.format, &record.pos, name)
        }
        _ => None,
    };
    let (line, column) = field_at.map_or((record.pos.line, record.pos.column), |at| {
        (at.line, at.column)
    });
    let (sheet, cell) = match sheet_cell {
        Some((sheet, cell)) => (sheet, cell.map(|(_, name)| name)),
        None => (None, None),
    };
    let message = match &rule.message {
        Some(template) if !verdict.keep_message => interpolate(template, &verdict, record).into(),
        _ => verdict.message.clone(),
    };
    let subject = verdict
        .subject
        .clone()
        .unwrap_or_else(|| record.key.clone());
    Finding {
        fingerprint: fingerprint(
            &parts.id,
            &parts.collection,
            &subject,
            verdict.field.as_deref(),
            verdict.discriminator.as_deref(),
        ),
        rule: parts.id.clone(),
        severity: rule.severity,
        message,
        collection: parts.collection.clone(),
        record: subject,
        location: Location {
            path: path.clone(),
            line,
            column,
            sheet,
            cell,
        },
        field: verdict.field,
        basis: parts.basis.clone(),
        details: verdict.details,
        members: verdict.members,
        waived: None,
        changed: None,
        group: None,
        source: SourceRef {
            record_lines: (record.pos.line, record.pos.end_line),
            field_at,
            rule_path: parts.path.clone(),
            check_at: rule.check_at,
            check_kind: rule.check.kind(),
        },
    }
}

/// The top-level record fields a rule's message may read: the first part of
/// every `{{ name }}` (computed values and `record` included; keeping a few
/// names too many costs nothing).
pub(super) fn message_fields(rule: &Rule) -> Vec<&str> {
    placeholders(rule.message.as_deref().unwrap_or_default())
        .map(|(_, name)| name.split('.').next().unwrap_or(name))
        .collect()
}

/// Fills `{{ name }}` from the verdict's computed values, then `record`
/// (the key), then the record's fields (dotted paths allowed). A name that
/// resolves to nothing is left as written, so the gap is visible.
pub fn interpolate(template: &str, verdict: &Verdict, record: &Record) -> String {
    let mut out = String::with_capacity(template.len());
    let mut written = 0;
    for (at, name) in placeholders(template) {
        out.push_str(&template[written..at.start]);
        let value = verdict
            .vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| (name == "record").then(|| record.key.clone()))
            .or_else(|| field(&record.fields, name).map(display_value));
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&template[at.clone()]),
        }
        written = at.end;
    }
    out.push_str(&template[written..]);
    out
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Puts the records of each group finding in its details, as `members:
/// [{ record, path, line }]` (the file's row for a spreadsheet, no line for
/// a database table), once every file of the run is known.
pub(super) fn place_members(findings: &mut [Finding], files: &[DataFile]) {
    for finding in findings.iter_mut().filter(|f| !f.members.is_empty()) {
        let members: Vec<Value> = std::mem::take(&mut finding.members)
            .into_iter()
            .map(|(key, file, line)| {
                let file = files.get(file as usize);
                let path = file
                    .map(|f| f.display.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                match file.map(|f| f.format) {
                    // A table's rows have no lines: the key says which.
                    Some(data::Format::Postgres) => {
                        serde_json::json!({ "record": key, "path": path })
                    }
                    _ => serde_json::json!({ "record": key, "path": path, "line": line }),
                }
            })
            .collect();
        let mut details = finding.details.to_map().into_owned();
        details.insert("members".to_string(), Value::Array(members));
        finding.details = details.into();
    }
}
