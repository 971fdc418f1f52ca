//! Report renderers: one file per output format, all rendering the same
//! [`Run`](crate::engine::Run).
//!
//! Every renderer writes to a `String` so that the bytes are the same whether
//! they go to a terminal, a file or a test snapshot.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod lang;
pub mod markdown;
pub mod sarif;
pub mod xlsx;

use crate::baseline::Comparison;
use crate::engine::{RuleRun, Run};
use crate::finding::Severity;
use crate::finding::{Counts, Finding};
use crate::problem::Impact;
use crate::rule::Rule;

/// The summary every format shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Summary {
    /// All findings.
    pub findings: usize,
    /// Findings per severity.
    #[serde(flatten)]
    pub counts: Counts,
    /// Findings accepted by a waiver: counted, but not failing.
    pub waived: usize,
    /// Findings at or above the `--fail-on` level and not waived.
    pub failing: usize,
    /// The `--fail-on` level.
    pub fail_on: Severity,
    /// Rules that ran.
    pub rules: usize,
    /// Records loaded.
    pub records: usize,
    /// Problems with the inputs.
    pub problems: usize,
    /// New, fixed and still-present findings, when a baseline was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Comparison>,
}

impl Summary {
    /// Summarises a run.
    pub fn of(run: &Run, fail_on: Severity) -> Summary {
        let counts = Counts::of(&run.findings);
        Summary {
            findings: counts.total(),
            counts,
            waived: run.findings.iter().filter(|f| f.waived.is_some()).count(),
            failing: run
                .findings
                .iter()
                .filter(|f| fails(f, fail_on, gates_changed(run)))
                .count(),
            fail_on,
            rules: run.rules_run.len(),
            records: run.dataset.counts().values().sum(),
            problems: run.problems.len(),
            baseline: run.baseline.clone(),
        }
    }

    /// The exit code of SPEC §6: the highest that applies of 1 (failing
    /// findings), 2 (unusable inputs) and 3 (incomplete check).
    pub fn exit_code(run: &Run, fail_on: Severity) -> u8 {
        let mut code = 0;
        if run
            .findings
            .iter()
            .any(|f| fails(f, fail_on, gates_changed(run)))
        {
            code = 1;
        }
        if run.problems.iter().any(|p| p.impact == Impact::Unusable) {
            code = 2;
        }
        if run.problems.iter().any(|p| p.impact == Impact::Incomplete) {
            code = 3;
        }
        code
    }
}

/// True when a finding fails the run: at or above `fail_on`, not waived,
/// and, when it is a changed one (see [`crate::baseline`]), only when
/// `changed` (`--fail-on-changed`).
pub fn fails(finding: &Finding, fail_on: Severity, changed: bool) -> bool {
    finding.severity >= fail_on
        && finding.waived.is_none()
        && (changed || finding.changed.is_none())
}

/// Whether the run's changed findings fail it (`--fail-on-changed`).
pub fn gates_changed(run: &Run) -> bool {
    run.baseline.as_ref().is_some_and(|b| b.fail_on_changed)
}

/// The rules that ran, each with what it did, in run order (by id).
pub fn rules_run(run: &Run) -> Vec<(&Rule, &RuleRun)> {
    run.rules_run
        .iter()
        .filter_map(|counts| {
            let rule = run.rules.rules.iter().find(|r| r.id == counts.id)?;
            Some((rule, counts))
        })
        .collect()
}

/// The computed deadline of a finding, from its details: what the auditor's
/// outputs show beyond the message. Never a field value of the record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Deadline {
    /// The due date (ISO).
    pub due: Option<String>,
    /// How late, in words ("1 werkdag").
    pub late_by: Option<String>,
    /// The days the term skipped, with why: (date, reason).
    pub skipped: Vec<(String, String)>,
}

impl Deadline {
    /// The deadline details of a finding (all empty for other checks).
    pub fn of(finding: &Finding) -> Deadline {
        let details = finding.details.to_map();
        let text = |key: &str| {
            details
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let skipped = details
            .get("skipped")
            .and_then(serde_json::Value::as_array)
            .map(|days| {
                days.iter()
                    .filter_map(|day| {
                        let text = |key: &str| day.get(key)?.as_str().map(str::to_string);
                        Some((text("date")?, text("reason")?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Deadline {
            due: text("due"),
            late_by: text("late_by"),
            skipped,
        }
    }
}

/// One fact behind a finding's verdict, as the reports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// What it is (`due`, `norm`, `op_tijd`, …).
    pub label: String,
    /// Its value, in words.
    pub text: String,
    /// Items that belong under it, one per line (the days a term skipped,
    /// the records of a group).
    pub items: Vec<String>,
}

impl Fact {
    fn new(label: impl Into<String>, text: impl Into<String>) -> Fact {
        Fact {
            label: label.into(),
            text: text.into(),
            items: Vec::new(),
        }
    }
}

/// Every fact behind a finding's verdict, from its details, in the order an
/// auditor reads them (README "What a finding says"):
///
/// - a deadline: start, term, the project's reading of its due phrase when
///   one was applied, due (and how it was computed), end — or
///   `open` when the act has not happened —, how late, and the days the
///   term skipped, each with its reason;
/// - an aggregate: the group, each `let` value, the norm it failed, how many
///   records the group has and which (key and place);
/// - a comparison (`expr` of the form `a == b`): each side as written and
///   what it came to;
/// - a step of a `steps` check: which step and what is wrong with it;
/// - anything else in the details: each key and its value.
pub fn facts(finding: &Finding, lang: lang::Lang) -> Vec<Fact> {
    use serde_json::Value;
    let w = lang.words();
    let details = finding.details.to_map();
    fn text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join("; "),
            other => other.to_string(),
        }
    }
    let mut facts = Vec::new();
    if let Some(changed) = &finding.changed {
        facts.push(changed_fact(changed, &details, lang));
    }
    let mut done: Vec<&str> = Vec::new();
    let mut take = |key: &'static str, label: &str, facts: &mut Vec<Fact>| {
        if let Some(value) = details.get(key) {
            facts.push(Fact::new(label, text(value)));
        }
        done.push(key);
    };
    if details.contains_key("due") && details.contains_key("term") {
        take("start", w.fact_start, &mut facts);
        take("term", w.fact_term, &mut facts);
        // A reading the project declared for the phrase: what it was read
        // as, and why. The explanation starts with the same; the fact says
        // it once.
        let reading = details.get("reading").map(|reading| {
            let part = |k: &str| {
                reading
                    .get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            crate::calendar::Reading {
                phrase: part("phrase"),
                means: part("means"),
                reason: part("reason"),
            }
        });
        if let Some(reading) = &reading {
            facts.push(Fact::new(
                w.fact_reading,
                lang::fill(
                    w.fact_reading_text,
                    &[("means", &reading.means), ("reason", &reading.reason)],
                ),
            ));
        }
        take("due", w.fact_due, &mut facts);
        if let Some(explanation) = details.get("explanation").and_then(Value::as_str)
            && let Some(due) = facts.last_mut()
        {
            let prefix = reading.map(|r| format!("{}: ", r.explanation()));
            let explanation = prefix
                .and_then(|p| explanation.strip_prefix(&p))
                .unwrap_or(explanation);
            due.text = format!("{} ({explanation})", due.text);
        }
        match details.get("end") {
            Some(end) => facts.push(Fact::new(w.fact_end, text(end))),
            None => facts.push(Fact::new(w.fact_end, w.fact_open)),
        }
        take("late_by", w.fact_late_by, &mut facts);
        let mut skipped = Fact::new(w.fact_skipped, "");
        for day in details
            .get("skipped")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let part = |k: &str| day.get(k).and_then(Value::as_str).unwrap_or_default();
            skipped
                .items
                .push(format!("{} {}", part("date"), part("reason")));
        }
        if !skipped.items.is_empty() {
            skipped.text = lang::fill(w.fact_days, &[("n", &skipped.items.len().to_string())]);
            facts.push(skipped);
        }
        done.extend(["reading", "end", "explanation", "skipped", "overdue"]);
    } else if details.contains_key("norm") {
        take("group", w.fact_group, &mut facts);
        for (name, value) in details
            .get("values")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            facts.push(Fact::new(name.as_str(), text(value)));
        }
        if let Some(measure) = details.get("measure") {
            let value = match measure.get("error") {
                Some(error) => lang::fill(w.fact_measure_error, &[("error", &text(error))]),
                None => measure.get("value").map(measure_shown).unwrap_or_default(),
            };
            let better = match measure.get("better").and_then(Value::as_str) {
                Some("lower") => w.fact_lower_better,
                _ => w.fact_higher_better,
            };
            facts.push(Fact::new(
                w.fact_measure,
                lang::fill(better, &[("value", &value)]),
            ));
        }
        take("norm", w.fact_norm, &mut facts);
        let mut records = Fact::new(
            w.fact_records,
            details.get("records").map(text).unwrap_or_default(),
        );
        let members = details.get("members").and_then(Value::as_array);
        for member in members.into_iter().flatten() {
            let part = |k: &str| member.get(k).map(text).unwrap_or_default();
            records.items.push(match member.get("line") {
                Some(line) => format!("{} ({}:{})", part("record"), part("path"), text(line)),
                None => format!("{} ({})", part("record"), part("path")),
            });
        }
        let total = details.get("records").and_then(Value::as_u64).unwrap_or(0);
        if total > records.items.len() as u64 && !records.items.is_empty() {
            records.text = lang::fill(
                w.fact_first_listed,
                &[
                    ("total", &total.to_string()),
                    ("n", &records.items.len().to_string()),
                ],
            );
        }
        facts.push(records);
        done.extend(["values", "measure", "records", "members"]);
    } else if details.contains_key("operator") {
        for (side, label) in [("left", w.fact_left), ("right", w.fact_right)] {
            let written = details.get(side).map(text).unwrap_or_default();
            let value = details
                .get(&format!("{side}_value"))
                .map_or_else(|| w.fact_not_shown.to_string(), text);
            facts.push(Fact::new(label, format!("{written} = {value}")));
        }
        if let Some(operator) = details.get("operator").and_then(Value::as_str) {
            facts.push(Fact::new(
                w.fact_required,
                lang::fill(w.fact_required_text, &[("operator", operator)]),
            ));
        }
        done.extend(["left", "left_value", "operator", "right", "right_value"]);
    } else if details.contains_key("step_name") {
        if let (Some(step), Some(name)) = (details.get("step"), details.get("step_name")) {
            facts.push(Fact::new(
                w.fact_step,
                format!("{} ({})", text(step), text(name)),
            ));
        }
        take("problem", w.fact_problem, &mut facts);
        done.extend(["step", "step_name"]);
    }
    for (key, value) in details.iter() {
        if !done.contains(&key.as_str()) {
            facts.push(Fact::new(key.as_str(), text(value)));
        }
    }
    facts
}

/// What a changed finding measured in the baseline against now: worse by
/// its measure, or changed when its rule has none; an item per value that
/// moved.
fn changed_fact(
    changed: &crate::finding::Changed,
    details: &serde_json::Map<String, serde_json::Value>,
    lang: lang::Lang,
) -> Fact {
    use serde_json::Value;
    let w = lang.words();
    let shown = |value: Option<&Value>| value.map_or_else(|| "—".to_string(), Value::to_string);
    let mut fact = Fact::new(
        w.fact_changed,
        if changed.measure.is_some() {
            w.fact_changed_worse
        } else {
            w.fact_changed_other
        },
    );
    let now = details.get("values").and_then(Value::as_object);
    let mut names: Vec<&String> = changed.values.keys().collect();
    for name in now.into_iter().flat_map(|n| n.keys()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for name in names {
        let before = changed.values.get(name);
        let after = now.and_then(|n| n.get(name));
        if before != after {
            fact.items.push(lang::fill(
                w.fact_changed_item,
                &[
                    ("name", name),
                    ("before", &shown(before)),
                    ("now", &shown(after)),
                ],
            ));
        }
    }
    if let Some(before) = &changed.measure {
        let after = details.get("measure").and_then(|m| m.get("value"));
        fact.items.push(lang::fill(
            w.fact_changed_item,
            &[
                ("name", w.fact_measure),
                ("before", &measure_shown(before)),
                ("now", &after.map_or_else(|| "—".to_string(), measure_shown)),
            ],
        ));
    }
    fact
}

/// A measure as people read it: a whole number as it is, a fraction to two
/// decimals (`66.67`, not `66.66666666666667`); the JSON keeps the number
/// as computed.
fn measure_shown(value: &serde_json::Value) -> String {
    match value.as_f64() {
        Some(n) if value.is_f64() && n.is_finite() => {
            let text = format!("{n:.2}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        _ => value.to_string(),
    }
}

/// The facts of a finding as lines of text (`label: text`, then its items
/// indented), at most `items` items each (the rest counted): what the human
/// and JUnit reports show.
pub fn fact_lines(finding: &Finding, items: usize, lang: lang::Lang) -> Vec<String> {
    let mut lines = Vec::new();
    for fact in facts(finding, lang) {
        lines.push(format!("{}: {}", fact.label, fact.text));
        for item in fact.items.iter().take(items) {
            lines.push(format!("  {item}"));
        }
        if fact.items.len() > items {
            let more = (fact.items.len() - items).to_string();
            lines.push(format!(
                "  {}",
                lang::fill(lang.words().fact_more, &[("n", &more)])
            ));
        }
    }
    lines
}

/// The findings per `--group-by` value (`None`: records without one), by
/// severity: what the HTML and xlsx reports count per group.
pub fn counts_by_group(run: &Run) -> std::collections::BTreeMap<Option<&str>, Counts> {
    let mut groups: std::collections::BTreeMap<Option<&str>, Vec<&Finding>> = Default::default();
    for finding in &run.findings {
        groups
            .entry(finding.group.as_deref())
            .or_default()
            .push(finding);
    }
    groups
        .into_iter()
        .map(|(group, findings)| (group, Counts::of_refs(&findings)))
        .collect()
}

/// The project file as shown in reports: relative to where naleving ran.
pub fn project_name(run: &Run) -> String {
    run.project
        .as_ref()
        .and_then(|p| p.file.as_ref())
        .map_or_else(String::new, |f| f.to_string_lossy().replace('\\', "/"))
}
