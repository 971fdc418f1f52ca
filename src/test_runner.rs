//! `naleving test`: runs the tests written beside each rule — records in,
//! expected findings out — so a rule author can prove a rule flags what it
//! should and nothing else, without writing Rust.
//!
//! A test lives in the rule's `tests:` or in a sibling `<id>.test.yaml` (a
//! list of tests of the same shape):
//!
//! ```yaml
//! - name: te laat over Pinksteren
//!   as_of: 2020-07-01                      # default: the project's as_of, else today
//!   records: [{ id: b, ontvangen_op: 2020-05-29, veiligheidsbeoordeling_op: 2020-06-09 }]
//!   collections: { kamerstukken: [...] }    # other collections, for cross-collection rules
//!   expect: [{ record: b, field: veiligheidsbeoordeling_op, due: 2020-06-08 }]
//! ```
//! Every expected finding must match a distinct finding — `record` always,
//! `field`, `due` and `message` (a substring) when given — and there must be
//! no other findings. A record the rule cannot judge fails the test.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;
use serde_json::{Map, Value};

use crate::calendar::Calendar;
use crate::calendar::parse_date;
use crate::data::{DataFile, Dataset, Format, Record, RecordPos, as_key};
use crate::engine::{RunCx, evaluate};
use crate::finding::Finding;
use crate::problem::Problems;
use crate::project::Collection;
use crate::rule::{Expectation, Rule, RuleTest};

/// The outcome of one test.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The rule's id.
    pub rule: String,
    /// The test's name.
    pub name: String,
    /// Why it failed; empty when it passed.
    pub failures: Vec<String>,
}

impl TestResult {
    /// True when the test passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// What a test run needs from the project: the key field of each collection,
/// a default evaluation date and the calendar.
pub struct TestEnv<'a> {
    /// The project's collections, for their key fields.
    pub collections: Option<&'a BTreeMap<String, Collection>>,
    /// The evaluation date of tests that do not set one.
    pub as_of: Date,
    /// The working-day calendar.
    pub calendar: Arc<Calendar>,
    /// The project's plugins, for rules that use one.
    pub plugins: &'a crate::plugin::Plugins,
}

/// Runs every test of `rule`.
pub fn run_rule_tests(rule: &Rule, env: &TestEnv<'_>) -> Vec<TestResult> {
    rule.tests
        .iter()
        .map(|test| run_one(rule, test, env))
        .collect()
}

fn run_one(rule: &Rule, test: &RuleTest, env: &TestEnv<'_>) -> TestResult {
    let mut result = TestResult {
        rule: rule.id.clone(),
        name: test.name.clone(),
        failures: Vec::new(),
    };
    let as_of = match &test.as_of {
        Some(text) => match parse_date(text) {
            Some(date) => date,
            None => {
                result
                    .failures
                    .push(format!("`as_of` {text:?} is not a date"));
                return result;
            }
        },
        None => env.as_of,
    };
    let mut dataset = Dataset::default();
    dataset.files.push(DataFile {
        display: PathBuf::from(format!("<test {}>", test.name)),
        path: PathBuf::new(),
        format: Format::Yaml,
        collection: rule.collection.clone(),
        digest: [0; 32],
        sheet: None,
        columns: Vec::new(),
        database: None,
    });
    let mut collections: Vec<(&str, &[Map<String, Value>])> =
        vec![(rule.collection.as_str(), &test.records)];
    collections.extend(
        test.collections
            .iter()
            .map(|(name, records)| (name.as_str(), records.as_slice())),
    );
    for (name, records) in collections {
        let declared = env.collections.and_then(|c| c.get(name));
        match records_of(name, records, declared) {
            Ok(records) => {
                dataset.collections.insert(name.to_string(), records);
            }
            Err(why) => {
                result.failures.push(why);
                return result;
            }
        }
    }
    let mut problems = Problems::default();
    let run = RunCx {
        as_of,
        calendar: Arc::clone(&env.calendar),
        plugins: env.plugins,
        group_by: None,
        push_down: false,
        digest_data: false,
    };
    let (findings, _) = evaluate(&[rule], &dataset, &run, &mut (), &mut problems);
    for problem in problems.into_sorted() {
        result
            .failures
            .push(format!("{}: {}", problem.code, problem.message.en()));
    }
    compare(&test.expect, &findings, &mut result.failures);
    result
}

/// Test records as a collection. The key field is the project's, else the
/// first of `id`, `nummer`, `key` the records have; a value that does not
/// fit the collection's schema fails the test, as it would fail the data
/// (a required field may be left out: a test names what it needs).
fn records_of(
    collection: &str,
    values: &[Map<String, Value>],
    declared: Option<&Collection>,
) -> Result<Vec<Record>, String> {
    let key_field = declared.map(|c| c.key.clone()).or_else(|| {
        ["id", "nummer", "key"]
            .into_iter()
            .find(|k| values.iter().all(|v| v.get(*k).is_some()))
            .map(str::to_string)
    });
    let Some(key_field) = key_field else {
        return Err(format!(
            "records of `{collection}` have no key field (the project does not declare the collection, and not every record has `id` or `nummer`)"
        ));
    };
    let mut seen = std::collections::HashSet::new();
    let mut records = Vec::new();
    for (index, fields) in values.iter().enumerate() {
        let Some(key) = fields.get(&key_field).and_then(as_key) else {
            return Err(format!(
                "record {} of `{collection}` has no `{key_field}`",
                index + 1
            ));
        };
        if !seen.insert(key.clone()) {
            return Err(format!("records of `{collection}` repeat the key `{key}`"));
        }
        let mut fields = crate::data::Fields::from(fields.clone());
        if let Some(schema) = declared.and_then(|c| c.schema.as_ref()) {
            let faults = schema.type_record(&mut fields);
            if let Some(fault) = faults.iter().find(|f| !f.missing) {
                return Err(format!(
                    "record `{key}` of `{collection}` does not fit its schema: {}",
                    fault.message.en()
                ));
            }
        }
        let line = index as u32 + 1;
        records.push(Record {
            key,
            fields,
            pos: RecordPos {
                file: 0,
                line,
                column: 1,
                byte: 0,
                end_line: line,
            },
        });
    }
    Ok(records)
}

/// Matches expected findings to actual ones, one to one.
fn compare(expect: &[Expectation], findings: &[Finding], failures: &mut Vec<String>) {
    let mut unmatched: Vec<&Finding> = findings.iter().collect();
    for wanted in expect {
        let position = unmatched.iter().position(|f| {
            f.record == wanted.record.0
                && wanted
                    .field
                    .as_ref()
                    .is_none_or(|x| f.field.as_deref() == Some(x.0.as_str()))
                && wanted.due.as_ref().is_none_or(|d| {
                    f.details.to_map().get("due").and_then(Value::as_str) == Some(d.0.as_str())
                })
                && wanted
                    .message
                    .as_ref()
                    .is_none_or(|m| f.message.contains(m.as_str()))
        });
        match position {
            Some(i) => {
                unmatched.remove(i);
            }
            None => failures.push(format!(
                "expected a finding {}, got {}",
                describe_expectation(wanted),
                describe(findings)
            )),
        }
    }
    for extra in unmatched {
        failures.push(format!(
            "unexpected finding: {}",
            describe(std::slice::from_ref(extra))
        ));
    }
}

/// An expectation as the test writes it, as JSON.
fn describe_expectation(wanted: &Expectation) -> String {
    let mut map = Map::new();
    map.insert("record".to_string(), Value::from(wanted.record.0.as_str()));
    let optional = [
        ("field", wanted.field.as_ref().map(|t| t.0.as_str())),
        ("due", wanted.due.as_ref().map(|t| t.0.as_str())),
        ("message", wanted.message.as_deref()),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            map.insert(key.to_string(), Value::from(value));
        }
    }
    Value::Object(map).to_string()
}

fn describe(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no findings".to_string();
    }
    findings
        .iter()
        .map(|f| {
            let mut s = format!("record `{}`", f.record);
            if let Some(field) = &f.field {
                s.push_str(&format!(" field `{field}`"));
            }
            if let Some(due) = f.details.to_map().get("due").and_then(Value::as_str) {
                s.push_str(&format!(" due {due}"));
            }
            s.push_str(&format!(" ({})", f.message));
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}
