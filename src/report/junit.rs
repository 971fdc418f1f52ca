//! `--format junit`: JUnit XML, which most CI systems show as a test report
//! (SPEC §6).
//!
//! A testsuite per collection; inside it, the rules over that collection.
//! JUnit allows one failure per testcase (and CI systems show only one), so
//! a rule is the testcase's `classname` and each finding its own failing
//! testcase, named `rule › record` (plus the field when there is one): every
//! finding is visible, each a failure of its rule. A rule without findings is
//! one passing testcase named after the rule. A waived finding is a skipped
//! testcase whose message is the waiver; a finding changed since the
//! baseline (a group that got worse) fails with its message prefixed
//! `changed since the baseline:` and the property `baseline_state=changed`.
//! Problems with the inputs are
//! errors in a suite of their own, `naleving`. The report carries no
//! timestamps or durations, so the same inputs give the same bytes.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Summary, rules_run};
use crate::engine::Run;
use crate::finding::Finding;
use crate::finding::Severity;
use crate::problem::Impact;

/// Renders the run as JUnit XML.
pub fn render(run: &Run, fail_on: Severity) -> String {
    let summary = Summary::of(run, fail_on);
    let mut report = Report::new("naleving");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for (rule, _) in rules_run(run) {
        let suite = suites.entry(rule.collection.as_str()).or_insert_with(|| {
            let mut suite = TestSuite::new(rule.collection.as_str());
            suite.add_properties([
                Property::new("as_of", run.as_of.to_string()),
                Property::new("rules_digest", run.rules.digest.as_str()),
                Property::new("data_digest", run.dataset.digest()),
            ]);
            suite
        });
        let findings: Vec<&Finding> = run.findings.iter().filter(|f| f.rule == rule.id).collect();
        if findings.is_empty() {
            let mut case = TestCase::new(rule.id.as_str(), TestCaseStatus::success());
            case.set_classname(rule.id.as_str());
            suite.add_test_case(case);
        }
        for finding in findings {
            suite.add_test_case(case(finding));
        }
    }
    report.add_test_suites(suites.into_values());
    if !run.problems.is_empty() || summary.baseline.is_some() {
        report.add_test_suite(problems_suite(run, &summary));
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot write JUnit XML: {e} -->\n"))
}

/// The testcase of one finding.
fn case(finding: &Finding) -> TestCase {
    let mut name = format!("{} › {}", finding.rule, finding.record);
    if let Some(field) = &finding.field {
        name.push_str(&format!(" › {field}"));
    }
    let location = finding.location.place();
    let mut description = vec![location.clone(), finding.message.to_string()];
    description.extend(super::fact_lines(finding, 10, super::lang::Lang::En));
    for basis in &finding.basis {
        description.push(format!("basis: {}", basis.citation));
    }
    description.push(format!("fingerprint: {}", finding.fingerprint));
    let status = match &finding.waived {
        Some(waived) => {
            let mut status = TestCaseStatus::skipped();
            let until = waived
                .expires
                .map_or_else(String::new, |d| format!(", until {d}"));
            status.set_message(format!(
                "waived: {} (approved by {}{until})",
                waived.reason, waived.approved_by
            ));
            status.set_description(description.join("\n"));
            status
        }
        None => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let changed = if finding.changed.is_some() {
                "changed since the baseline: "
            } else {
                ""
            };
            status.set_message(format!("{changed}{location}: {}", finding.message));
            status.set_type(finding.severity.as_str());
            status.set_description(description.join("\n"));
            status
        }
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(finding.rule.as_str());
    case.add_property(Property::new("fingerprint", finding.fingerprint.as_str()));
    if finding.changed.is_some() {
        case.add_property(Property::new("baseline_state", "changed"));
    }
    case
}

/// The `naleving` suite: an error per problem with the inputs (a warning
/// such as an unused waiver passes, with its message as output), and the
/// baseline counts as properties.
fn problems_suite(run: &Run, summary: &Summary) -> TestSuite {
    let mut suite = TestSuite::new("naleving");
    if let Some(baseline) = &summary.baseline {
        suite.add_properties([
            Property::new("baseline", baseline.path.as_str()),
            Property::new("baseline.new", baseline.new.to_string()),
            Property::new("baseline.changed", baseline.changed.to_string()),
            Property::new(
                "baseline.fail_on_changed",
                baseline.fail_on_changed.to_string(),
            ),
            Property::new("baseline.fixed", baseline.fixed.to_string()),
            Property::new("baseline.still_present", baseline.still_present.to_string()),
        ]);
    }
    for problem in &run.problems {
        let place = match (&problem.path, problem.at) {
            (Some(path), Some(at)) => format!("{}:{}:{}", path.display(), at.line, at.column),
            (Some(path), None) => path.display().to_string(),
            _ => String::new(),
        };
        let text = if place.is_empty() {
            problem.message.en()
        } else {
            format!("{place}: {}", problem.message.en())
        };
        let name = if place.is_empty() {
            problem.code.to_string()
        } else {
            format!("{} · {place}", problem.code)
        };
        let mut case = match problem.impact {
            Impact::Warning => {
                let mut case = TestCase::new(name, TestCaseStatus::success());
                case.set_system_out(text);
                case
            }
            Impact::Unusable | Impact::Incomplete => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(text);
                status.set_type(problem.code.as_ref());
                if let Some(help) = &problem.help {
                    status.set_description(help.en());
                }
                TestCase::new(name, status)
            }
        };
        case.set_classname("naleving");
        suite.add_test_case(case);
    }
    suite
}
