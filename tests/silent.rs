//! A checker that cannot silently pass: the mistakes a new rule author
//! makes (a misspelt rule id, collection, check kind, key or field, a `when`
//! that excludes everything, a rule without a basis) each end in a located
//! problem with the closest correct name, never in "0 findings" and exit 0.
//! Each message is pinned.

use std::path::Path;

use crate::support::{json_report, naleving_in, run};

/// A project of a policy expert's own: rapporten (CSV) of gemeenten (CSV),
/// and the rules written into `rules/`.
fn project(rules: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        "as_of: 2021-01-15\ncollections:\n  rapporten: { path: rapporten.csv, key: id }\n  \
         gemeenten: { path: gemeenten.csv, key: naam }\nrules: [rules]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("rapporten.csv"),
        "id,gemeente,status,verzoek_op,raadsrapport_op\n\
         a,Utrecht,open,2020-06-01,\nb,Utrecht,afgerond,2020-06-01,2020-06-20\n\
         c,Zeist,afgerond,2020-06-01,2020-06-05\n",
    )
    .unwrap();
    std::fs::write(root.join("gemeenten.csv"), "naam\nUtrecht\nZeist\n").unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    for (id, body) in rules {
        let text = format!("id: {id}\ntitle: t\nseverity: error\ncollection: rapporten\n{body}\n");
        std::fs::write(root.join("rules").join(format!("{id}.yaml")), text).unwrap();
    }
    dir
}

const BASIS: &str = "basis: [{ citation: \"Gemeentewet, art. 1\" }]";

/// The problems of a `check --format json` run as (code, message, help).
fn problems(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let (code, report) = json_report(dir, args);
    let problems = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
            (text("code"), text("message"), text("help"))
        })
        .collect();
    (code, problems)
}

fn one(code: &str, message: &str, help: &str) -> Vec<(String, String, String)> {
    vec![(code.to_string(), message.to_string(), help.to_string())]
}

#[test]
fn a_misspelt_rule_id_on_the_command_line_names_the_closest() {
    let rule = format!("check:\n  required: {{ fields: [status] }}\n{BASIS}");
    let dir = project(&[("raadsrapport-te-laat", &rule)]);
    let (code, found) = problems(dir.path(), &["--rule", "raadsrapport-telaat"]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        one(
            "cli::unknown-rule",
            "no rule with id `raadsrapport-telaat`",
            "did you mean `raadsrapport-te-laat`?"
        )
    );
    let (code, _, stderr) = run(naleving_in(dir.path()).args(["explain", "raadsrapport-telaat"]));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "naleving: no valid rule with id `raadsrapport-telaat`; did you mean `raadsrapport-te-laat`?\n"
    );
    let (_, found) = problems(dir.path(), &["--collection", "rapport"]);
    assert_eq!(
        found,
        one(
            "cli::unknown-collection",
            "no collection named `rapport`",
            "did you mean `rapporten`?"
        )
    );
}

#[test]
fn a_misspelt_check_kind_or_key_names_the_closest() {
    let kind = format!("check:\n  requird: {{ fields: [status] }}\n{BASIS}");
    let key = format!("check:\n  reference: {{ field: gemeente, too: gemeenten }}\n{BASIS}");
    let dir = project(&[("soort-fout", &kind), ("sleutel-fout", &key)]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        [
            one(
                "rule::unknown-key",
                "unknown key `too` in `check.reference`",
                "did you mean `to`? expected one of: field, to, key"
            ),
            one(
                "rule::unknown-key",
                "unknown key `requird` in `check`",
                "did you mean `required`? expected one of: required, expr, deadline, reference, unique, steps, aggregate, plugin"
            ),
        ]
        .concat()
    );
}

#[test]
fn a_misspelt_collection_names_the_closest() {
    let rule = format!("check:\n  reference: {{ field: gemeente, to: gemeente }}\n{BASIS}");
    let dir = project(&[("gemeente-onbekend", &rule)]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        one(
            "rule::unknown-collection",
            "the check reads collection `gemeente`, which the project does not declare",
            "did you mean `gemeenten`? the project declares: gemeenten, rapporten"
        )
    );
    // `rules validate PATH` checks against the project's collections too.
    let (code, stdout, _) =
        run(naleving_in(dir.path()).args(["rules", "validate", "rules/gemeente-onbekend.yaml"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("did you mean `gemeenten`?"), "{stdout}");
    assert!(
        stdout.ends_with("0 of 1 rule files valid · 1 problems, 0 warnings\n"),
        "{stdout}"
    );
}

#[test]
fn a_rule_that_judged_nothing_is_visible_in_every_format() {
    let rule =
        format!("when: has(record.statsu)\ncheck:\n  required: {{ fields: [status] }}\n{BASIS}");
    let dir = project(&[("status-ontbreekt", &rule)]);
    let (code, found) = problems(dir.path(), &[]);
    // A warning: it does not fail the run, but it is never silent.
    assert_eq!(code, 0);
    assert_eq!(
        found,
        [
            one(
                "rule::judged-nothing",
                "rule `status-ontbreekt` judged none of the 3 records of `rapporten`: `when` was false for 3",
                "check the `when` and `valid` of the rule against the data: a misspelt field or value excludes every record"
            ),
            one(
                "rule::unknown-field",
                "rule `status-ontbreekt` reads `statsu` (in `when`), which no record of `rapporten` has",
                "did you mean `status`?"
            ),
        ]
        .concat()
    );
    let (_, stdout, _) = run(naleving_in(dir.path()).arg("check"));
    let summary = stdout.lines().last().unwrap();
    assert_eq!(
        summary,
        "0 bevindingen (0 fouten, 0 waarschuwingen, 0 info) van 1 regel over 5 records · peildatum 2021-01-15 (projectbestand) · 1 regel beoordeelde geen record · 2 problemen met de invoer"
    );
    // The same in English with `--lang en`.
    let (_, stdout, _) = run(naleving_in(dir.path()).args(["check", "--lang", "en"]));
    assert_eq!(
        stdout.lines().last().unwrap(),
        "0 findings (0 errors, 0 warnings, 0 info) from 1 rule over 5 records · as of 2021-01-15 (project file) · 1 rule judged no record · 2 problems with the inputs"
    );
    // The machine formats keep English; the HTML report is Dutch unless
    // asked otherwise.
    for format in ["sarif", "junit", "github"] {
        let (_, out, _) = run(naleving_in(dir.path()).args(["check", "--format", format]));
        assert!(
            out.contains("judged none of the 3 records"),
            "{format}: {out}"
        );
    }
    let (_, out, _) = run(naleving_in(dir.path()).args(["check", "--format", "html"]));
    assert!(out.contains("beoordeelde geen van de 3 records"), "{out}");
    let (_, out, _) =
        run(naleving_in(dir.path()).args(["check", "--lang", "en", "--format", "html"]));
    assert!(out.contains("judged none of the 3 records"), "{out}");
}

#[test]
fn a_rule_without_basis_is_a_located_warning() {
    let dir = project(&[("zonder-basis", "check:\n  required: { fields: [status] }")]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        found,
        one(
            "rule::no-basis",
            "rule `zonder-basis` has no `basis`",
            "cite the law or policy the rule rests on: `basis: [{ citation: \"…\", url: \"https://wetten.overheid.nl/…\" }]`"
        )
    );
    let (code, stdout, _) = run(naleving_in(dir.path()).args(["rules", "validate"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("rule `zonder-basis` has no `basis`"),
        "{stdout}"
    );
    let (_, stdout, _) = run(naleving_in(dir.path()).arg("test"));
    assert!(
        stdout.contains("rule `zonder-basis` has no `basis`"),
        "{stdout}"
    );
}

#[test]
fn a_basis_written_as_text_says_how_to_write_it() {
    let rule = "check:\n  required: { fields: [status] }\nbasis: Gemeentewet, art. 1";
    let dir = project(&[("basis-als-tekst", rule)]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "rule::parse");
    assert_eq!(
        found[0].1,
        "`basis` is a list of sources, not a text: write `basis: [{ citation: \"Gemeentewet, art. 1\", url: \"…\" }]`"
    );
}

/// A project whose `rapporten` are described by `collection` (the YAML of
/// the collection entry after `path` and `key`) and whose data is `csv`.
fn typed_project(collection: &str, csv: &str, rules: &[(&str, &str)]) -> tempfile::TempDir {
    // A project needs a rule: one that every record passes.
    let passing = format!("check:\n  required: {{ fields: [id] }}\n{BASIS}");
    let fallback = [("id-ontbreekt", passing.as_str())];
    let dir = project(if rules.is_empty() { &fallback } else { rules });
    std::fs::write(
        dir.path().join("naleving.yaml"),
        format!(
            "as_of: 2021-01-15\ncollections:\n  rapporten:\n    path: rapporten.csv\n    key: id\n{collection}\n  \
             gemeenten: {{ path: gemeenten.csv, key: naam }}\nrules: [rules]\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("rapporten.csv"), csv).unwrap();
    dir
}

const CSV: &str = "id,gemeente,status,verzoek_op,raadsrapport_op\n\
a,Utrecht,open,01-06-2020,\nb,Utrecht,afgerond,2020-06-01,2020-06-20\n\
c,Zeist,gesloten,3 februari 2021,2021-02-05\n";

#[test]
fn a_date_in_another_format_is_a_located_fault_never_text() {
    let dir = typed_project("    types: { verzoek_op: date }", CSV, &[]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        [
            one(
                "data::type",
                "record `a`: `verzoek_op` is not a date written YYYY-MM-DD (cell D2)",
                ""
            ),
            one(
                "data::type",
                "record `c`: `verzoek_op` is not a date written YYYY-MM-DD (cell D4)",
                ""
            ),
        ]
        .concat()
    );
    let (_, report) = json_report(dir.path(), &[]);
    let lines: Vec<u64> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["at"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 4]);
}

#[test]
fn a_declared_date_format_is_read_and_compared_as_a_date() {
    let schema = "    schema:\n      primaryKey: id\n      fields:\n        \
                  - { name: verzoek_op, type: date, format: \"%d-%m-%Y\" }\n        \
                  - { name: raadsrapport_op, type: date }\n        \
                  - { name: status, type: string, constraints: { enum: [open, afgerond] } }";
    let csv = "id,gemeente,status,verzoek_op,raadsrapport_op\n\
               a,Utrecht,open,01-06-2020,\nb,Utrecht,afgerond,02-06-2020,2020-06-20\n\
               c,Zeist,gesloten,30-05-2020,2020-06-05\n";
    // Late when the report came more than 10 days after the request: with
    // the dates as text "02-06-2020" < "2020-06-20" would say otherwise.
    let rule = format!(
        "when: has(record.raadsrapport_op)\ncheck:\n  expr: record.raadsrapport_op <= add_term(record.verzoek_op, '10 dagen')\n{BASIS}"
    );
    let dir = typed_project(schema, csv, &[("raadsrapport-te-laat", &rule)]);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 2);
    let problems: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        problems,
        ["record `c`: `status` is not one of `open`, `afgerond` (cell C4)"]
    );
    let findings: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert_eq!(findings, ["b"]);
}

#[test]
fn a_schema_that_cannot_be_used_is_a_located_error() {
    let bad_format = "    schema: { fields: [{ name: verzoek_op, type: date, format: \"%Q\" }] }";
    let dir = typed_project(bad_format, CSV, &[]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        one(
            "project::schema",
            "field `verzoek_op`: format \"%Q\" is not a strftime pattern of a date (e.g. \"%d-%m-%Y\")",
            ""
        )
    );
    let other_key = "    schema: { primaryKey: nummer, fields: [{ name: id }] }";
    let dir = typed_project(other_key, CSV, &[]);
    let (_, found) = problems(dir.path(), &[]);
    assert_eq!(
        found,
        one(
            "project::schema",
            "the schema's primaryKey `nummer` is not the collection's key `id`",
            ""
        )
    );
    let unknown_type = "    schema: rapporten.schema.json";
    let dir = typed_project(unknown_type, CSV, &[]);
    std::fs::write(
        dir.path().join("rapporten.schema.json"),
        "{\"fields\": [{\"name\": \"verzoek_op\", \"type\": \"datum\"}]}",
    )
    .unwrap();
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 2);
    let problem = &report["problems"][0];
    assert_eq!(problem["code"], "project::schema");
    assert_eq!(problem["path"], "rapporten.schema.json");
    assert_eq!(
        problem["message"],
        "unknown variant `datum`, expected one of string, integer, number, boolean, date, datetime, object, array, any"
    );
    assert_eq!(
        problem["at"],
        serde_json::json!({ "line": 1, "column": 44 })
    );
}

/// The fields a rule names are checked against the fields the data has: a
/// misspelt one is a warning naming the closest, wherever it is written.
#[test]
fn a_misspelt_field_is_a_warning_naming_the_closest() {
    let reference = format!("check:\n  reference: {{ field: gemeeente, to: gemeenten }}\n{BASIS}");
    let deadline = format!(
        "check:\n  deadline: {{ start: verzoek_op, end: raadrapport_op, term: 6 weken }}\n{BASIS}"
    );
    let expr = format!("check:\n  expr: record.staus in ['open', 'afgerond']\n{BASIS}");
    let message = format!(
        "check:\n  required: {{ fields: [status] }}\nmessage: \"{{{{ stauts }}}} mist {{{{ field }}}}\"\n{BASIS}"
    );
    let dir = project(&[
        ("gemeente-onbekend", &reference),
        ("raadsrapport-te-laat", &deadline),
        ("status-onbekend", &expr),
        ("status-ontbreekt", &message),
    ]);
    let (_, found) = problems(dir.path(), &[]);
    let unknown: Vec<(String, String)> = found
        .into_iter()
        .filter(|(code, ..)| code == "rule::unknown-field")
        .map(|(_, message, help)| (message, help))
        .collect();
    let pair = |m: &str, h: &str| (m.to_string(), h.to_string());
    assert_eq!(
        unknown,
        [
            pair(
                "rule `gemeente-onbekend` reads `gemeeente` (in `check`), which no record of `rapporten` has",
                "did you mean `gemeente`?"
            ),
            pair(
                "rule `raadsrapport-te-laat` reads `raadrapport_op` (in `check`), which no record of `rapporten` has",
                "did you mean `raadsrapport_op`?"
            ),
            pair(
                "rule `status-onbekend` reads `staus` (in `check`), which no record of `rapporten` has",
                "did you mean `status`?"
            ),
            pair(
                "rule `status-ontbreekt` reads `stauts` (in `message`), which no record of `rapporten` has",
                "did you mean `status`?"
            ),
        ]
    );
    // `rules validate` (with or without a path) reads the data's fields too.
    for args in [
        &["rules", "validate"][..],
        &["rules", "validate", "rules/status-onbekend.yaml"],
    ] {
        let (code, stdout, _) = run(naleving_in(dir.path()).args(args));
        assert_eq!(code, 0, "{stdout}");
        assert!(
            stdout.contains("rule `status-onbekend` reads `staus` (in `check`), which no record of `rapporten` has"),
            "{stdout}"
        );
        assert!(stdout.contains("did you mean `status`?"), "{stdout}");
    }
}

/// Against a schema that lists every field, a misspelt field is an error
/// when the rules load, also in `rules validate`.
#[test]
fn against_a_closed_schema_a_misspelt_field_is_an_error_at_load() {
    let schema = "    schema:\n      additionalFields: false\n      fields:\n        \
                  - { name: id }\n        - { name: gemeente }\n        - { name: status }\n        \
                  - { name: verzoek_op, type: date }\n        - { name: raadsrapport_op, type: date }";
    let csv = "id,gemeente,status,verzoek_op,raadsrapport_op\na,Utrecht,open,2020-06-01,\n";
    let rule =
        format!("when: has(record.statsu)\ncheck:\n  required: {{ fields: [status] }}\n{BASIS}");
    let dir = typed_project(schema, csv, &[("status-ontbreekt", &rule)]);
    let (code, stdout, _) = run(naleving_in(dir.path()).args(["rules", "validate"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains(
            "the rule reads `statsu` (in `when`), which collection `rapporten` does not have"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("rules/status-ontbreekt.yaml:5:1"),
        "{stdout}"
    );
    assert!(stdout.contains("line 5, column 7"), "{stdout}");
    let (_, found) = problems(dir.path(), &[]);
    assert_eq!(
        found,
        one(
            "rule::unknown-field",
            "the rule reads `statsu` (in `when`), which collection `rapporten` does not have",
            "did you mean `status`? the schema of `rapporten` declares: gemeente, id, raadsrapport_op, status, verzoek_op"
        )
    );
}

/// Records a rule cannot judge are reported per cause, with the advice that
/// fits it, the first few keys in the message and all of them in JSON,
/// SARIF and HTML.
#[test]
fn records_that_could_not_be_judged_are_named_per_cause() {
    let csv = "id,gemeente,status,verzoek_op,raadsrapport_op\n\
               a,Utrecht,open,2020-06-01,\nb,Utrecht,open,2020-06-01,\nc,Zeist,open,2020-06-01,\n\
               d,Zeist,open,2020-06-01,\ne,Zeist,afgerond,2020-06-01,2020-06-05\n";
    let rule = format!("check:\n  expr: record.raadsrapport_op >= record.verzoek_op\n{BASIS}");
    let dir = typed_project("", csv, &[("rapport-voor-verzoek", &rule)]);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 3);
    let problem = &report["problems"][0];
    assert_eq!(report["problems"].as_array().unwrap().len(), 1);
    assert_eq!(
        problem["message"],
        "rule `rapport-voor-verzoek` could not judge 4 records (`a`, `b`, `c` and 1 more): No such key: raadsrapport_op"
    );
    assert_eq!(problem["records"], serde_json::json!(["a", "b", "c", "d"]));
    assert!(
        problem["help"]
            .as_str()
            .unwrap()
            .starts_with("guard optional fields")
    );
    let (_, sarif, _) = run(naleving_in(dir.path()).args(["check", "--format", "sarif"]));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let notification = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        notification["properties"]["records"],
        serde_json::json!(["a", "b", "c", "d"])
    );
    let (_, html, _) = run(naleving_in(dir.path()).args(["check", "--format", "html"]));
    assert!(html.contains("records: a, b, c, d"), "{html}");
}

/// Rule tests are strict: a misspelt key in a test or an expectation is an
/// error naming the closest, and test records must fit the collection's
/// schema.
#[test]
fn rule_tests_are_strict() {
    let rule = format!(
        "check:\n  required: {{ fields: [status] }}\n{BASIS}\ntests:\n  \
         - name: mist status\n    records: [{{ id: a }}]\n    expect: [{{ recrod: a }}]\n    foo: 1\n"
    );
    let dir = project(&[("status-ontbreekt", &rule)]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        [
            one(
                "rule::unknown-key",
                "unknown key `recrod` in `tests[0].expect[0]`",
                "did you mean `record`? expected one of: record, field, due, message"
            ),
            one(
                "rule::unknown-key",
                "unknown key `foo` in `tests[0]`",
                "expected one of: name, records, collections, as_of, expect"
            ),
        ]
        .concat()
    );
    let schema = "    types: { verzoek_op: date }";
    let rule = format!(
        "check:\n  required: {{ fields: [status] }}\n{BASIS}\ntests:\n  \
         - name: datum\n    records: [{{ id: a, status: open, verzoek_op: 01-06-2020 }}]\n    expect: []\n"
    );
    let dir = typed_project(schema, CSV, &[("status-ontbreekt", &rule)]);
    let (code, stdout, _) = run(naleving_in(dir.path()).arg("test"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("record `a` of `rapporten` does not fit its schema: `verzoek_op` is not a date written YYYY-MM-DD"),
        "{stdout}"
    );
}

/// A late report written `01-06-2020` in a region's norm: read as text it
/// would count as on time ("01-06-2020" < "2020-…"); typed, it is reported
/// at its cell and never compared, and with its format declared the norm is
/// computed on dates.
#[test]
fn a_norm_over_dates_is_computed_on_dates() {
    let csv = "id,gemeente,status,verzoek_op,raadsrapport_op\n\
               a,Utrecht,afgerond,2020-06-01,2020-06-05\nb,Utrecht,afgerond,2020-06-01,01-09-2020\n\
               c,Utrecht,afgerond,2020-06-01,2020-06-04\n";
    let norm = format!(
        "check:\n  aggregate:\n    group_by: [gemeente]\n    let:\n      totaal: records.size()\n      \
         op_tijd: records.filter(r, has(r.raadsrapport_op) && r.raadsrapport_op <= add_term(r.verzoek_op, '6 weken')).size()\n    \
         expr: op_tijd == totaal\n{BASIS}"
    );
    let rules = [("norm-niet-gehaald", norm.as_str())];
    // As text: the late report compares as on time; no finding, exit 0.
    let dir = typed_project("", csv, &rules);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!((code, report["findings"].as_array().unwrap().len()), (0, 0));
    // Typed as ISO dates: the value is reported at its cell and left out,
    // so the report does not count as on time.
    let dir = typed_project("    types: { raadsrapport_op: date }", csv, &rules);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        one(
            "data::type",
            "record `b`: `raadsrapport_op` is not a date written YYYY-MM-DD (cell E3)",
            ""
        )
    );
    let (_, report) = json_report(dir.path(), &[]);
    assert_eq!(report["findings"][0]["rule"], "norm-niet-gehaald");
    // With both formats in the data, no single format fits; with the
    // format of the late one declared for the whole column, it is late.
    let csv = csv
        .replace("2020-06-05", "05-06-2020")
        .replace("2020-06-04", "04-06-2020");
    let schema =
        "    schema: { fields: [{ name: raadsrapport_op, type: date, format: \"%d-%m-%Y\" }] }";
    let dir = typed_project(schema, &csv, &rules);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 1, "{report}");
    let finding = &report["findings"][0];
    assert_eq!(finding["record"], "gemeente=Utrecht");
    assert_eq!(finding["details"]["values"]["op_tijd"], 2);
}

/// A streamed collection with 1% bad dates: every one reported, located.
#[test]
fn every_bad_date_of_a_streamed_collection_is_reported() {
    let dir = project(&[]);
    let mut jsonl = String::new();
    for i in 0..20_000 {
        let date = if i % 100 == 7 {
            "7-6-2020"
        } else {
            "2020-06-07"
        };
        jsonl.push_str(&format!(
            "{{\"id\":\"r{i}\",\"status\":\"open\",\"verzoek_op\":\"{date}\"}}\n"
        ));
    }
    std::fs::write(dir.path().join("rapporten.jsonl"), jsonl).unwrap();
    std::fs::write(
        dir.path().join("naleving.yaml"),
        "as_of: 2021-01-15\ncollections:\n  rapporten: { path: rapporten.jsonl, key: id, types: { verzoek_op: date } }\nrules: [rules]\n",
    )
    .unwrap();
    let rule = format!("check:\n  required: {{ fields: [status] }}\n{BASIS}");
    std::fs::write(
        dir.path().join("rules/status-ontbreekt.yaml"),
        format!("id: status-ontbreekt\ntitle: t\nseverity: error\ncollection: rapporten\n{rule}\n"),
    )
    .unwrap();
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 2);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 200);
    assert_eq!(
        problems[0]["message"],
        "record `r7`: `verzoek_op` is not a date written YYYY-MM-DD"
    );
    assert_eq!(
        problems[0]["at"],
        serde_json::json!({ "line": 8, "column": 28 })
    );
    assert_eq!(report["rules"][0]["records"], 20_000);
}

#[test]
fn a_misspelt_collection_in_cel_names_the_closest() {
    let rule =
        format!("check:\n  expr: record.gemeente in collections.gemeentes.map(g, g.naam)\n{BASIS}");
    let dir = project(&[("gemeente-onbekend", &rule)]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        one(
            "rule::unknown-collection",
            "the rule reads `collections.gemeentes`, which the project does not declare",
            "did you mean `gemeenten`? the project declares: gemeenten, rapporten"
        )
    );
}

/// Paths inside mappings are checked too: a misspelt step of a process
/// held in `stappen`.
#[test]
fn a_misspelt_step_inside_a_mapping_names_the_closest() {
    let dir = project(&[]);
    std::fs::write(
        dir.path().join("naleving.yaml"),
        "as_of: 2021-01-15\ncollections:\n  dossiers: { path: dossiers.jsonl, key: id }\nrules: [rules]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("dossiers.jsonl"),
        "{\"id\":\"a\",\"stappen\":{\"signalen\":\"2020-02-03\",\"gesprek\":\"2020-02-10\"}}\n",
    )
    .unwrap();
    let rule = format!(
        "id: stappen-niet-gevolgd\ntitle: t\nseverity: error\ncollection: dossiers\n\
         check:\n  steps: {{ in: stappen, order: [signalen, gesprekk] }}\n{BASIS}\n"
    );
    std::fs::write(dir.path().join("rules/stappen-niet-gevolgd.yaml"), rule).unwrap();
    let (_, found) = problems(dir.path(), &[]);
    let unknown: Vec<_> = found
        .into_iter()
        .filter(|(code, ..)| code == "rule::unknown-field")
        .collect();
    assert_eq!(
        unknown,
        one(
            "rule::unknown-field",
            "rule `stappen-niet-gevolgd` reads `stappen.gesprekk` (in `check`), which no record of `dossiers` has",
            "did you mean `stappen.gesprek`?"
        )
    );
}

/// A rules directory without rules, an unreadable one, and a project that
/// selects no rule at all: never "0 findings" and exit 0.
#[test]
fn no_rules_or_unreadable_rules_are_problems() {
    let dir = project(&[]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        [
            one(
                "rule::no-rules",
                "the project selects no rule: its `rules` name no rule file",
                "`rules: [rules]` names a directory of `<id>.yaml` rule files"
            ),
            one(
                "rule::read",
                "no rule files in this directory",
                "rule files are `<id>.yaml` files, in this directory or below it"
            ),
        ]
        .concat()
    );
}

#[cfg(unix)]
#[test]
fn a_loop_or_a_pipe_in_a_data_directory_does_not_hang_the_run() {
    let rule = format!("check:\n  required: {{ fields: [status] }}\n{BASIS}");
    let dir = project(&[("status-ontbreekt", &rule)]);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::rename(dir.path().join("rapporten.csv"), data.join("rapporten.csv")).unwrap();
    std::os::unix::fs::symlink(&data, data.join("lus")).unwrap();
    let fifo = data.join("pijp.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let project = std::fs::read_to_string(dir.path().join("naleving.yaml"))
        .unwrap()
        .replace("path: rapporten.csv", "path: data");
    std::fs::write(dir.path().join("naleving.yaml"), project).unwrap();
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        found,
        one(
            "data::read",
            "not a regular file (a pipe, device or socket): not read",
            ""
        )
    );
    let (_, report) = json_report(dir.path(), &[]);
    assert_eq!(report["problems"][0]["path"], "data/pijp.csv");
    assert_eq!(report["rules"][0]["records"], 3);
}

/// A report never overwrites an input or another report, however the path
/// is written; nothing is written then, and the input is intact.
#[test]
fn a_report_never_overwrites_an_input() {
    let rule = format!("check:\n  required: {{ fields: [status] }}\n{BASIS}");
    let dir = project(&[("status-ontbreekt", &rule)]);
    let before = std::fs::read(dir.path().join("rapporten.csv")).unwrap();
    for (args, message) in [
        (
            vec!["--format", "json=rapporten.csv"],
            "naleving: rapporten.csv is a data file of `rapporten`: a report would overwrite it; nothing was written\n",
        ),
        (
            vec!["--format", "json=./rules/../rules/status-ontbreekt.yaml"],
            "naleving: ./rules/../rules/status-ontbreekt.yaml is the rule file of `status-ontbreekt`: a report would overwrite it; nothing was written\n",
        ),
        (
            vec!["--format", "json=naleving.yaml"],
            "naleving: naleving.yaml is the project file: a report would overwrite it; nothing was written\n",
        ),
        (
            vec!["--format", "json=o.json", "--format", "sarif=./o.json"],
            "naleving: ./o.json is named for two reports: the last would overwrite the first; nothing was written\n",
        ),
    ] {
        let (code, _, stderr) = run(naleving_in(dir.path())
            .args(["check", "--lang", "en"])
            .args(&args));
        assert_eq!((code, stderr.as_str()), (2, message));
    }
    assert_eq!(
        std::fs::read(dir.path().join("rapporten.csv")).unwrap(),
        before
    );
    assert!(!dir.path().join("o.json").exists());
}

/// A step named in `skip_when` (or `conditions`) that is not a step is a
/// located rule error with the closest step.
#[test]
fn a_misspelt_step_names_the_closest() {
    let dir = project(&[(
        "stappen",
        &format!(
            "check:\n  steps:\n    order: [verzoek_op, raadsrapport_op]\n    skip_when:\n      raadsraport_op: has(record.status)\n{BASIS}"
        ),
    )]);
    let (code, found) = problems(dir.path(), &[]);
    assert_eq!(code, 2);
    let step = found
        .iter()
        .find(|p| p.1.contains("raadsraport_op"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        step.1,
        "`skip_when` names `raadsraport_op`, which is not a step; did you mean `raadsrapport_op`?"
    );
}
