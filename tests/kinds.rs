//! One small fixture per check kind (`tests/kinds/<kind>/`, see its
//! README.md), run by the real binary as `check --format json` and pinned by
//! one small snapshot per kind: a change in one kind's verdicts or messages
//! shows up in that kind's snapshot, not only in the whole-run snapshots of
//! the reference data.
//!
//! Each snapshot lists the rules with their counts, every finding (rule,
//! record, field, severity, message, then its details as compact JSON), the
//! problems and the exit code. Beyond the snapshot, each test checks that its
//! fixture still fails and still passes: it has findings, a rule judged more
//! records than it flagged, and the records (or groups) meant to pass are not
//! flagged; and that the fixture's rules pass their own `tests:`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{json_report, naleving_in, root, run};

/// The fixture directory of a kind.
fn fixture(kind: &str) -> PathBuf {
    root().join("tests/kinds").join(kind)
}

/// A string field of a JSON object, or `-` when it is absent or null.
fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or("-")
}

/// The compact, deterministic text the snapshot holds.
fn render(report: &Value, code: i32) -> String {
    let mut out = String::from("rules\n");
    for rule in report["rules"].as_array().unwrap() {
        writeln!(
            out,
            "  {} ({}): {} records · {} judged · {} not applicable · {} outside window · {} findings",
            text(rule, "id"),
            text(rule, "check"),
            rule["records"],
            rule["judged"],
            rule["not_applicable"],
            rule["outside_window"],
            rule["findings"],
        )
        .unwrap();
    }
    out.push_str("findings\n");
    for finding in report["findings"].as_array().unwrap() {
        writeln!(
            out,
            "  {} · {} · {} · {} · {}",
            text(finding, "rule"),
            text(finding, "record"),
            text(finding, "field"),
            text(finding, "severity"),
            text(finding, "message"),
        )
        .unwrap();
        let details = finding.get("details").cloned().unwrap_or(Value::Null);
        writeln!(out, "      {details}").unwrap();
    }
    out.push_str("problems\n");
    for problem in report["problems"].as_array().unwrap() {
        let path = text(problem, "path").replace('\\', "/");
        let at = &problem["at"];
        let place = if at.is_object() {
            format!("{path}:{}:{}", at["line"], at["column"])
        } else {
            path
        };
        writeln!(
            out,
            "  {} · {} · {place}",
            text(problem, "code"),
            text(problem, "message"),
        )
        .unwrap();
    }
    writeln!(out, "exit {code}").unwrap();
    out
}

/// Runs a kind's fixture, checks that it still fails and still passes —
/// `passing` names records (or aggregate groups) the fixture means to pass
/// — and returns the text for its snapshot. The fixture's rules must load
/// and pass their own `tests:` too.
fn check_kind(kind: &str, passing: &[&str]) -> String {
    let dir = fixture(kind);
    let (code, stdout, stderr) = run(naleving_in(&dir).args(["test", "rules"]));
    assert_eq!(
        code, 0,
        "{kind}: `naleving test rules` failed\n{stdout}{stderr}"
    );

    let (code, report) = json_report(&dir, &[]);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "{kind}: the fixture has no findings");

    let flagged: BTreeSet<&str> = findings.iter().map(|f| text(f, "record")).collect();
    let passes_some = report["rules"].as_array().unwrap().iter().any(|rule| {
        let id = text(rule, "id");
        let records: BTreeSet<&str> = findings
            .iter()
            .filter(|f| text(f, "rule") == id)
            .map(|f| text(f, "record"))
            .collect();
        rule["judged"].as_u64().unwrap() > records.len() as u64
    });
    assert!(
        passes_some,
        "{kind}: no rule judged more records than it flagged"
    );
    assert!(
        !passing.is_empty(),
        "{kind}: name the records meant to pass"
    );
    for name in passing {
        assert!(
            !flagged.contains(name),
            "{kind}: `{name}` is meant to pass but has a finding"
        );
    }
    render(&report, code)
}

#[test]
fn required() {
    let text = check_kind("required", &["compleet", "nul-contacten"]);
    insta::assert_snapshot!("kind_required", text);
}

#[test]
fn expr() {
    let text = check_kind(
        "expr",
        &[
            "open-zonder-nakoming",
            "voldaan-met-nakoming",
            "zonder-status-met-nakoming",
            "vrouwenopvang-2020",
            "veilig-thuis-2020",
            "nul-bedrag",
        ],
    );
    insta::assert_snapshot!("kind_expr", text);
}

#[test]
fn deadline() {
    let text = check_kind(
        "deadline",
        &[
            "op-tijd",
            "op-de-uiterste-dag",
            "open-binnen-termijn",
            "voor-zomerreces-nagekomen",
            "datum-nog-niet-verlopen",
        ],
    );
    insta::assert_snapshot!("kind_deadline", text);
}

#[test]
fn reference() {
    let text = check_kind(
        "reference",
        &[
            "bekend-stuk",
            "lijst-bekend",
            "zonder-nakoming",
            "nakoming-null",
            "lege-lijst",
            "regio-bekend",
        ],
    );
    insta::assert_snapshot!("kind_reference", text);
}

#[test]
fn unique() {
    let text = check_kind(
        "unique",
        &[
            "uniek",
            "zelfde-vindplaats-ander-onderwerp",
            "dubbel-a",
            "drievoud-a",
            "andere-hoofdletters",
            "zonder-onderwerp-1",
            "zonder-onderwerp-2",
            "drenthe-2020",
            "drenthe-2021",
        ],
    );
    insta::assert_snapshot!("kind_unique", text);
}

#[test]
fn steps() {
    let text = check_kind(
        "steps",
        &[
            "vijf-stappen-op-volgorde",
            "alles-op-een-dag",
            "lopend-zonder-gaten",
            "zonder-stappen",
            "compleet",
        ],
    );
    insta::assert_snapshot!("kind_steps", text);
}

#[test]
fn aggregate() {
    let text = check_kind(
        "aggregate",
        &[
            "regio=Haaglanden, periode=2020-H1",
            "regio=Drenthe, periode=2020-H2",
            "regio=Drenthe, periode=2021-H1",
            "regeling=vrouwenopvang",
        ],
    );
    insta::assert_snapshot!("kind_aggregate", text);
}

#[test]
fn plugin() {
    let text = check_kind(
        "plugin",
        &[
            "onveiligheid-gemeld",
            "geen-vermoeden-afgesloten",
            "hulp-aanvaard-en-duurzaam",
            "hulp-loopt-nog",
            "melden-en-hulp",
        ],
    );
    insta::assert_snapshot!("kind_plugin", text);
}

/// Every check kind has its fixture and its test here: a kind added to
/// `kinds!` without them fails this test.
#[test]
fn every_kind_has_a_fixture_and_a_test() {
    let source = std::fs::read_to_string(root().join("tests/kinds.rs")).unwrap();
    let dirs: BTreeSet<String> = std::fs::read_dir(root().join("tests/kinds"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let kinds: BTreeSet<String> = naleving::check::KINDS
        .iter()
        .map(|k| k.name.to_string())
        .collect();
    assert_eq!(dirs, kinds, "tests/kinds/ has one directory per check kind");
    for kind in &kinds {
        assert!(
            source.contains(&format!("#[test]\nfn {kind}() {{")),
            "tests/kinds.rs has no test for `{kind}`"
        );
        assert!(fixture(kind).join("naleving.yaml").is_file(), "{kind}");
    }
}
