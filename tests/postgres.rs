//! naleving reading collections from PostgreSQL (`source: { postgres: … }`),
//! against the throwaway server of [`crate::pg`]: the steekproef from the
//! database gives the findings of its JSONL files; the connection never
//! shows; a name from a project or rule file never becomes SQL; a query runs
//! only when the environment allows it.

use std::path::Path;

use serde_json::Value;

use crate::pg::{Server, load_steekproef};
use crate::support::{naleving_in, root, run};

/// The steekproef's project with `meldingen` and `dossiers` read from the
/// tables of [`load_steekproef`] instead of their JSONL files (every other
/// path made absolute), written into `dir`.
pub(crate) fn steekproef_from_postgres(dir: &Path) -> std::path::PathBuf {
    let sample = root().join("fixtures/ghnt/steekproef");
    let text = std::fs::read_to_string(sample.join("naleving.yaml")).unwrap();
    let text = text
        .replace(": ../", &format!(": {}/../", sample.display()))
        .replace("[../", &format!("[{}/../", sample.display()))
        .replace(
            "path: meldingen.jsonl",
            "source: { postgres: { table: vt.meldingen } }",
        )
        .replace(
            "path: dossiers.jsonl",
            "source: { postgres: { table: vt.dossiers } }",
        );
    assert!(text.contains("vt.meldingen") && text.contains("vt.dossiers"));
    let project = dir.join("naleving.yaml");
    std::fs::write(&project, text).unwrap();
    project
}

/// `check --format json --lang en` of `project` with the database `url`.
pub(crate) fn json_run(project: &Path, url: &str, extra: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", url)
        .env_remove("NALEVING_ALLOW_QUERY")
        .args(["check", "--format", "json", "--lang", "en", "--project"])
        .arg(project)
        .args(extra));
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (code, value, stderr)
}

/// A report's findings without where they are, in fingerprint order: what
/// must be the same from any source.
pub(crate) fn findings(report: &Value) -> Vec<Value> {
    let mut all: Vec<Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(without_location)
        .collect();
    all.sort_by_key(|f| f["fingerprint"].as_str().unwrap().to_string());
    all
}

/// A finding without where it is: what must be the same from any source.
fn without_location(finding: &Value) -> Value {
    let mut finding = finding.clone();
    let object = finding.as_object_mut().unwrap();
    object.remove("location");
    // Group members name their file and line.
    if let Some(Value::Object(details)) = object.get_mut("details") {
        details.remove("members");
    }
    finding
}

#[test]
fn the_steekproef_from_postgres_gives_the_findings_of_its_jsonl() {
    let server = Server::shared();
    let db = server.database();
    load_steekproef(&mut db.client());
    let dir = tempfile::tempdir().unwrap();
    let project = steekproef_from_postgres(dir.path());
    let (code, from_db, stderr) = json_run(&project, &db.url(), &[]);
    let original = root().join("fixtures/ghnt/steekproef/naleving.yaml");
    let (jsonl_code, from_files, _) = json_run(&original, "host=/nonexistent", &[]);
    assert_eq!(code, jsonl_code, "{stderr}");

    let (db_findings, file_findings) = (findings(&from_db), findings(&from_files));
    assert!(file_findings.len() > 500, "{}", file_findings.len());
    assert_eq!(db_findings.len(), file_findings.len());
    for (db, file) in db_findings.iter().zip(&file_findings) {
        assert_eq!(db, file);
    }
    // The same problems with the inputs (none is about the connection).
    let problems = |report: &Value| -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["code"].as_str().unwrap().to_string(),
                    p["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        all.sort();
        all
    };
    assert_eq!(problems(&from_db), problems(&from_files));
    assert_eq!(from_db["summary"], from_files["summary"]);

    // Findings point at the table; the manifest records what was read.
    let place = from_db["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["collection"] == "meldingen")
        .map(|f| f["location"]["path"].as_str().unwrap().to_string())
        .unwrap();
    assert_eq!(
        place,
        format!("postgres://localhost/{}#vt.meldingen", db.name())
    );
    let inputs = from_db["manifest"]["inputs"].as_array().unwrap();
    let table = inputs
        .iter()
        .find(|i| i["path"] == place.as_str())
        .unwrap_or_else(|| panic!("{inputs:?}"));
    assert_eq!(table["kind"], "data");
    assert!(table["snapshot"].as_str().is_some_and(|s| s.contains(':')));
    let rows = std::fs::read_to_string(root().join("fixtures/ghnt/steekproef/meldingen.jsonl"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(table["rows"], rows);

    // SARIF names a table's record as a logical location.
    let (_, sarif, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--format", "sarif", "--project"])
        .arg(&project));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let logical: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].as_str())
        .collect();
    assert!(!logical.is_empty());
    assert!(
        logical
            .iter()
            .all(|name| name.starts_with(&format!("postgres://localhost/{}#vt.", db.name()))),
        "{logical:?}"
    );
}

/// A run ends its transaction and closes the connection itself: the server
/// counts no session of the run's database as abandoned (a client that
/// dropped the line with a transaction open), for a run pushed down, one
/// that reads every row, and `--plan`.
#[test]
fn a_run_says_goodbye_to_the_server() {
    let server = Server::shared();
    let db = server.database();
    load_steekproef(&mut db.client());
    let dir = tempfile::tempdir().unwrap();
    let project = steekproef_from_postgres(dir.path());
    let mut client = db.client();
    let abandoned = |client: &mut postgres::Client| -> (i64, i64) {
        // The server counts a session when it has ended: wait until only
        // this one is left.
        for _ in 0..100 {
            let others: i64 = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap()
                .get(0);
            if others == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        client
            .batch_execute("SELECT pg_stat_clear_snapshot()")
            .unwrap();
        let row = client
            .query_one(
                "SELECT sessions, sessions_abandoned FROM pg_stat_database \
                 WHERE datname = current_database()",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let (before, _) = abandoned(&mut client);
    for extra in [&[][..], &["--no-pushdown"]] {
        let (_, report, stderr) = json_run(&project, &db.url(), extra);
        assert!(
            report["findings"].as_array().unwrap().len() > 500,
            "{stderr}"
        );
    }
    let (code, _, stderr) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--project"])
        .arg(&project));
    assert_eq!(code, 0, "{stderr}");
    let (after, gone) = abandoned(&mut client);
    assert!(after >= before + 2, "{before} -> {after} sessions");
    assert_eq!(gone, 0, "sessions abandoned");
}

#[test]
fn the_connection_string_never_shows() {
    // Nothing listens on port 9 of this machine: the connection fails.
    let secret = "Geheim-wachtwoord-42";
    let url = format!("postgresql://jansen:{secret}@127.0.0.1:9/vt?connect_timeout=5");
    let dir = tempfile::tempdir().unwrap();
    let project = steekproef_from_postgres(dir.path());
    for format in ["json", "human", "sarif", "junit", "github", "html"] {
        let (code, stdout, stderr) = run(naleving_in(&root())
            .env("NALEVING_DATABASE_URL", &url)
            .args(["check", "--format", format, "--project"])
            .arg(&project));
        assert_eq!(code, 2, "{format}: {stdout}{stderr}");
        let all = format!("{stdout}{stderr}");
        assert!(!all.contains(secret), "{format} shows the password: {all}");
        assert!(!all.contains("jansen"), "{format} shows the user: {all}");
        assert!(all.contains("postgres://127.0.0.1:9/vt"), "{format}: {all}");
    }
    // A string that is not one is refused without echoing it.
    let (code, report, _) = json_run(&project, &format!("{secret} ==="), &[]);
    assert_eq!(code, 2);
    let text = report.to_string();
    assert!(!text.contains(secret), "{text}");
    assert!(
        text.contains("NALEVING_DATABASE_URL is not a connection string"),
        "{text}"
    );
}

#[test]
fn names_from_the_project_and_rules_never_become_sql() {
    let server = Server::shared();
    let db = server.database();
    let mut client = db.client();
    load_steekproef(&mut client);
    let before: i64 = client
        .query_one("SELECT count(*) FROM vt.meldingen", &[])
        .unwrap()
        .get(0);
    let dir = tempfile::tempdir().unwrap();
    // A table name that is not a plain identifier is refused at load.
    std::fs::write(
        dir.path().join("naleving.yaml"),
        "collections:\n  meldingen:\n    source: { postgres: { table: 'vt.meldingen; DROP TABLE vt.meldingen' } }\n    key: id\nrules: [rules]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    // A rule whose field, value and message try to close the statement.
    std::fs::write(
        dir.path().join("rules/aanval.yaml"),
        r#"id: aanval
title: Namen worden nooit SQL
severity: error
collection: meldingen
basis: [{ citation: "test" }]
check:
  expr: "record[\"x\\\"; DROP TABLE vt.dossiers; --\"] != \"'); DROP TABLE vt.meldingen; --\""
message: "'); DROP TABLE vt.meldingen; --"
"#,
    )
    .unwrap();
    let project = dir.path().join("naleving.yaml");
    let (code, report, _) = json_run(&project, &db.url(), &[]);
    assert_eq!(code, 2);
    assert!(
        report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["message"]
                .as_str()
                .unwrap()
                .contains("is not a table name naleving reads")),
        "{report}"
    );
    // With a proper table name, the rule's strange names are only names.
    let yaml = std::fs::read_to_string(&project)
        .unwrap()
        .replace("'vt.meldingen; DROP TABLE vt.meldingen'", "vt.meldingen");
    std::fs::write(&project, yaml).unwrap();
    let (_, report, stderr) = json_run(&project, &db.url(), &[]);
    assert_eq!(report["summary"]["records"], before, "{report}\n{stderr}");
    for table in ["vt.meldingen", "vt.dossiers"] {
        let count: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0);
        assert!(count > 0, "{table}");
    }
}

#[test]
fn a_query_runs_only_when_the_environment_allows_it() {
    let server = Server::shared();
    let db = server.database();
    load_steekproef(&mut db.client());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/regio-ontbreekt.yaml"),
        "id: regio-ontbreekt\ntitle: Regio ontbreekt\nseverity: error\ncollection: meldingen\nbasis: [{ citation: test }]\ncheck:\n  required: { fields: [regio] }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("naleving.yaml"),
        "collections:\n  meldingen:\n    source: { postgres: { query: \"SELECT id, regio FROM vt.meldingen WHERE soort = 'melding'\" } }\n    key: id\nrules: [rules]\n",
    )
    .unwrap();
    let project = dir.path().join("naleving.yaml");
    let (code, refused, _) = json_run(&project, &db.url(), &[]);
    assert_eq!(code, 2);
    assert!(
        refused.to_string().contains("NALEVING_ALLOW_QUERY=1"),
        "{refused}"
    );
    assert_eq!(refused["summary"]["records"], 0);
    let (code, stdout, stderr) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .env("NALEVING_ALLOW_QUERY", "1")
        .args(["check", "--format", "json", "--project"])
        .arg(&project));
    let allowed: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    assert!(code <= 1, "{stderr}");
    let expected: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM vt.meldingen WHERE soort = 'melding'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(allowed["summary"]["records"], expected, "{allowed}");
    // A query cannot write: the transaction is read-only (even
    // advancing a sequence is refused).
    db.client()
        .batch_execute("CREATE SEQUENCE vt.teller")
        .unwrap();
    std::fs::write(
        &project,
        "collections:\n  meldingen:\n    source: { postgres: { query: \"SELECT id, regio, nextval('vt.teller') AS n FROM vt.meldingen\" } }\n    key: id\nrules: [rules]\n",
    )
    .unwrap();
    let (_, stdout, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .env("NALEVING_ALLOW_QUERY", "1")
        .args(["check", "--format", "json", "--lang", "en", "--project"])
        .arg(&project));
    assert!(stdout.contains("read-only transaction"), "{stdout}");
    let left: i64 = db
        .client()
        .query_one("SELECT count(*) FROM vt.meldingen", &[])
        .unwrap()
        .get(0);
    assert!(left > 0);
    let next: i64 = db
        .client()
        .query_one("SELECT nextval('vt.teller')", &[])
        .unwrap()
        .get(0);
    assert_eq!(next, 1, "the sequence was not advanced");
}

/// Writes each rule `(id, body)` over `collection` into `dir/rules`, with
/// `head` (YAML lines) before its body.
pub(crate) fn write_rules(dir: &Path, collection: &str, head: &str, rules: &[(&str, String)]) {
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    for (id, body) in rules {
        std::fs::write(
            dir.join(format!("rules/{id}.yaml")),
            format!(
                "id: {id}\ntitle: {id}\ncollection: {collection}\nbasis: [{{ citation: test }}]\n{head}{body}"
            ),
        )
        .unwrap();
    }
}

/// A project in `dir` reading `collection` from the table `table`, keyed
/// by `id`, as of 2021-01-15, with the rules in `dir/rules`.
pub(crate) fn table_project(dir: &Path, collection: &str, table: &str) -> std::path::PathBuf {
    let project = dir.join("naleving.yaml");
    std::fs::write(
        &project,
        format!(
            "as_of: 2021-01-15\ncollections:\n  {collection}:\n    source: {{ postgres: {{ table: {table} }} }}\n    key: id\nrules: [rules]\n"
        ),
    )
    .unwrap();
    project
}

/// [`table_project`] with a rule per `(id, check)`, the check as the YAML
/// under `check:`, each an error.
fn checks_project(
    dir: &Path,
    collection: &str,
    table: &str,
    rules: &[(&str, &str)],
) -> std::path::PathBuf {
    let rules: Vec<(&str, String)> = rules
        .iter()
        .map(|(id, check)| (*id, format!("check:\n  {check}\n")))
        .collect();
    write_rules(dir, collection, "severity: error\n", &rules);
    table_project(dir, collection, table)
}

/// Per rule, the records of a JSON report it has a finding for or could
/// not judge (a `rule::eval` problem names them).
fn failing_records(
    report: &Value,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut failing = std::collections::BTreeMap::<_, std::collections::BTreeSet<_>>::new();
    for finding in report["findings"].as_array().unwrap() {
        failing
            .entry(finding["rule"].as_str().unwrap().to_string())
            .or_default()
            .insert(finding["record"].as_str().unwrap().to_string());
    }
    for problem in report["problems"].as_array().unwrap() {
        let message = problem["message"].as_str().unwrap();
        let Some(rule) = message
            .strip_prefix("rule `")
            .and_then(|m| m.split('`').next())
        else {
            continue;
        };
        for record in problem["records"].as_array().into_iter().flatten() {
            failing
                .entry(rule.to_string())
                .or_default()
                .insert(record.as_str().unwrap().to_string());
        }
    }
    failing
}

/// The keys a query of one text column returns, with text parameters.
fn keys_returned(
    client: &mut postgres::Client,
    sql: &str,
    params: &[String],
) -> std::collections::BTreeSet<String> {
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> = params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect();
    client
        .query(sql, &params)
        .unwrap_or_else(|e| panic!("{e:?}\n{sql}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The SQL of a pushed-down check may be wider than the rule but never
/// narrower: every record of the steekproef a rule has a finding for, or
/// could not judge, is among the rows the database returns for it — and
/// the database leaves out most rows of at least some rules.
#[test]
fn pushed_down_conditions_never_leave_out_a_failing_row() {
    use std::collections::BTreeSet;

    let server = Server::shared();
    let db = server.database();
    let mut client = db.client();
    load_steekproef(&mut client);
    let project_file = root().join("fixtures/ghnt/steekproef/naleving.yaml");
    let mut problems = naleving::problem::Problems::default();
    let project = naleving::project::load(&project_file, &mut problems).unwrap();
    let rules = naleving::rule::load_rules(
        &project.root,
        &project.rules,
        Some(&project.collections),
        &mut problems,
    );
    let as_of = project.as_of.unwrap().to_string();
    // What naleving finds reading the JSONL files: per rule, the records
    // with a finding or that it could not judge.
    let (_, report, _) = json_run(&project_file, "host=/nonexistent", &[]);
    let failing = failing_records(&report);
    let mut pushed = 0;
    let mut narrow = 0;
    for (table, _, key) in crate::pg::STEEKPROEF {
        let collection = table.trim_start_matches("vt.");
        let columns: BTreeSet<String> = client
            .query(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = 'vt' AND table_name = $1::text",
                &[&collection],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let total: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0);
        let column = |name: &str| {
            columns
                .contains(name)
                .then(|| naleving::sql::Column::json_only(format!("to_jsonb(r.\"{name}\")")))
        };
        for rule in rules.rules.iter().filter(|r| r.collection == collection) {
            let mut cx = naleving::expr::SqlCx {
                dialect: &naleving::sql::Postgres,
                column: &column,
                repeated: &|_| None,
                keys: &|_, _| None,
                as_of: &as_of,
                params: Vec::new(),
                calendar: None,
                working_days: None,
            };
            let Some(may_fail) = rule.check.sql_may_fail(&mut cx) else {
                continue;
            };
            // A `when` that is certainly false excludes a row.
            let applies = match rule.when.as_ref().and_then(|w| w.sql_certain(&mut cx)) {
                Some((_, certainly_false)) => format!("NOT {certainly_false}"),
                None => "TRUE".to_string(),
            };
            let sql = format!(
                "SELECT r.\"{key}\"::text FROM {table} r WHERE ({applies}) AND ({may_fail})"
            );
            let returned = keys_returned(&mut client, &sql, &cx.params);
            let expected = failing.get(&rule.id).cloned().unwrap_or_default();
            let missing: Vec<&String> = expected.difference(&returned).collect();
            assert!(
                missing.is_empty(),
                "{}: the database left out failing records {missing:?}\n{sql}\n{:?}",
                rule.id,
                cx.params
            );
            pushed += 1;
            if (returned.len() as i64) * 2 < total {
                narrow += 1;
            }
        }
    }
    assert!(pushed >= 4, "only {pushed} rules could be put in SQL");
    assert!(
        narrow >= 2,
        "the database left out few rows ({narrow} rules)"
    );
}

/// On a table of edge cases (empty and blank strings, NULLs, boundary
/// values, `as_of` itself, mixed case), the rows the database returns for
/// each rule are exactly the rows naleving fails or cannot judge: the SQL is
/// neither narrower (a lost finding) nor wider than it needs to be here.
#[test]
fn pushed_down_conditions_match_naleving_on_edge_cases() {
    let server = Server::shared();
    let db = server.database();
    let mut client = db.client();
    client
        .batch_execute(
            "CREATE SCHEMA vt;
             CREATE TABLE vt.randgevallen (id text PRIMARY KEY, s text, n bigint, b boolean, d date, j jsonb);
             INSERT INTO vt.randgevallen VALUES
               ('r1', 'ja', 5, true, '2020-06-01', '[1]'),
               ('r2', '', 10, false, '2020-06-02', '[]'),
               ('r3', '   ', NULL, NULL, NULL, '{}'),
               ('r4', 'nee', -3, true, '2021-01-15', '{\"a\": 1}'),
               ('r5', NULL, 0, false, '2019-12-31', NULL),
               ('r6', 'Ja', 4, true, '2021-01-16', '\"x\"'),
               ('r7', 'ja ', 6, false, '2021-01-14', '0'),
               ('r8', '  ', 7, true, '2020-01-01', '[1]'),
               ('r9', '', 3, NULL, '2020-01-02', '{\"a\": 2}');",
        )
        .unwrap();
    let rules: [(&str, &str); 13] = [
        ("gelijk", "expr: record.s == 'ja'"),
        ("groter", "expr: record.n > 5"),
        ("minstens", "expr: record.n >= 5"),
        ("kleiner", "expr: record.n < 5"),
        ("hoogstens", "expr: record.n <= 5"),
        ("niet-waar", "expr: '!(record.b == true)'"),
        ("een-van", "expr: record.s in ['ja', 'nee']"),
        ("voor-peildatum", "expr: has(record.d) && record.d < as_of"),
        ("of", "expr: record.d <= as_of || record.n == 0"),
        ("ongelijk", "expr: record.s != 'nee'"),
        ("verplicht", "required: { fields: [s, j] }"),
        ("niet-beide", "expr: '!(has(record.n) && record.n > 4)'"),
        ("niet-een-van", "expr: \"!(record.s in ['nee'])\""),
    ];
    let dir = tempfile::tempdir().unwrap();
    let project = checks_project(dir.path(), "randgevallen", "vt.randgevallen", &rules);
    let (_, report, stderr) = json_run(&project, &db.url(), &[]);
    let failing = failing_records(&report);
    let mut problems = naleving::problem::Problems::default();
    let loaded = naleving::project::load(&project, &mut problems).unwrap();
    let compiled = naleving::rule::load_rules(
        &loaded.root,
        &loaded.rules,
        Some(&loaded.collections),
        &mut problems,
    );
    assert_eq!(compiled.rules.len(), rules.len(), "{stderr}");
    // Each column known by its JSON only, and by its SQL type as well (the
    // conditions then read the column itself): both give exactly the rows.
    let columns = [
        ("id", "text"),
        ("s", "text"),
        ("n", "bigint"),
        ("b", "boolean"),
        ("d", "date"),
        ("j", "jsonb"),
    ];
    for typed in [false, true] {
        let column = |name: &str| {
            let (_, sql_type) = columns.iter().find(|(c, _)| *c == name)?;
            Some(naleving::sql::Column {
                json: format!("to_jsonb(r.\"{name}\")"),
                plain: format!("r.\"{name}\""),
                kind: if typed {
                    naleving::sql::ColumnKind::of(sql_type)
                } else {
                    None
                },
            })
        };
        for rule in &compiled.rules {
            let mut cx = naleving::expr::SqlCx {
                dialect: &naleving::sql::Postgres,
                column: &column,
                repeated: &|_| None,
                keys: &|_, _| None,
                as_of: "2021-01-15",
                params: Vec::new(),
                calendar: None,
                working_days: None,
            };
            let may_fail = rule
                .check
                .sql_may_fail(&mut cx)
                .unwrap_or_else(|| panic!("{} is not put in SQL", rule.id));
            let sql = format!("SELECT r.id FROM vt.randgevallen r WHERE {may_fail}");
            let returned = keys_returned(&mut client, &sql, &cx.params);
            let expected = failing.get(&rule.id).cloned().unwrap_or_default();
            assert_eq!(
                returned, expected,
                "{} (typed: {typed})\n{sql}\n{:?}",
                rule.id, cx.params
            );
        }
    }
}

/// TLS as libpq's sslmodes promise it, against a server that takes only
/// encrypted connections on 127.0.0.1 with a certificate for `localhost`
/// from a test CA: `verify-full` with that CA reads the table; without it
/// (the Mozilla roots), or for another host name, it refuses; `verify-ca`
/// does not check the name; `require` encrypts without checking; `disable`
/// is refused by the server.
#[test]
fn tls_checks_what_the_sslmode_says() {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "naleving test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::from_params(&ca_params, &ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let server = Server::start_tls(&leaf.pem(), &key.serialize_pem());
    let mut client = server.connect("postgres");
    client
        .batch_execute(
            "CREATE SCHEMA vt; CREATE TABLE vt.meldingen (id text, regio text);
             INSERT INTO vt.meldingen VALUES ('a', 'Haaglanden'), ('b', NULL);",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/regio-ontbreekt.yaml"),
        "id: regio-ontbreekt\ntitle: Regio ontbreekt\nseverity: error\ncollection: meldingen\nbasis: [{ citation: test }]\ncheck:\n  required: { fields: [regio] }\n",
    )
    .unwrap();
    let project = dir.path().join("naleving.yaml");
    std::fs::write(
        &project,
        "collections:\n  meldingen:\n    source: { postgres: { table: vt.meldingen } }\n    key: id\nrules: [rules]\n",
    )
    .unwrap();
    let tcp = server.tcp_url("postgres");
    let localhost = tcp.replace("host=127.0.0.1", "host=localhost hostaddr=127.0.0.1");
    let root = format!("sslrootcert={}", ca_file.display());
    let cases = [
        (format!("{localhost} sslmode=verify-full {root}"), None),
        (
            format!("{localhost} sslmode=verify-full"),
            Some("UnknownIssuer"),
        ),
        (
            format!("{tcp} sslmode=verify-full {root}"),
            Some("not valid for name"),
        ),
        (format!("{tcp} sslmode=verify-ca {root}"), None),
        (format!("{tcp} sslmode=verify-ca"), Some("UnknownIssuer")),
        (format!("{tcp} sslmode=require"), None),
        (format!("{tcp} sslmode=disable"), Some("no encryption")),
    ];
    for (url, refused) in cases {
        let (code, stdout, stderr) = run(naleving_in(dir.path())
            .env("NALEVING_DATABASE_URL", &url)
            // No ~/.postgresql/root.crt of this machine's user.
            .env("HOME", dir.path())
            .args(["check", "--format", "json", "--lang", "en"]));
        let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
        match refused {
            None => {
                assert_eq!(code, 1, "{url}: {report}");
                assert_eq!(report["summary"]["records"], 2, "{url}");
                assert_eq!(report["summary"]["findings"], 1, "{url}");
            }
            Some(why) => {
                assert_eq!(code, 2, "{url}: {report}");
                let problem = report["problems"][0]["message"].as_str().unwrap();
                assert!(problem.contains(why), "{url}: {problem}");
            }
        }
    }
}

/// PostgreSQL's types as naleving sees them: `timestamptz` as ISO in UTC,
/// `numeric` a number, arrays arrays, `jsonb` itself, `date` an ISO date,
/// `boolean` a boolean, NULL an absent field — each written as a rule that
/// must pass, and one that must fail so the rules are known to have run.
#[test]
fn column_types_become_the_values_rules_compare() {
    let server = Server::shared();
    let db = server.database();
    db.client()
        .batch_execute(
            "CREATE SCHEMA vt;
             CREATE TABLE vt.typen (id text, ts timestamptz, n numeric, i int[], j jsonb,
                                    d date, b boolean, leeg text, t timestamp);
             INSERT INTO vt.typen VALUES ('t1', '2020-06-01 10:00:00+02', 1.50, '{1,2}',
                                          '{\"a\": {\"b\": 1}}', '2020-06-01', true, NULL,
                                          '2020-06-01 10:00:00');",
        )
        .unwrap();
    let checks = [
        ("tijdstip", "record.ts == '2020-06-01T08:00:00+00:00'"),
        ("getal", "record.n == 1.5"),
        ("lijst", "record.i == [1, 2]"),
        ("object", "record.j.a.b == 1"),
        ("datum", "record.d == '2020-06-01'"),
        ("waarheid", "record.b == true"),
        ("afwezig", "!has(record.leeg)"),
        ("tijd", "record.t == '2020-06-01T10:00:00'"),
        ("moet-falen", "record.d == '1999-01-01'"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let rules: Vec<(&str, String)> = checks
        .iter()
        .map(|(id, expr)| (*id, format!("expr: \"{expr}\"")))
        .collect();
    let rules: Vec<(&str, &str)> = rules.iter().map(|(id, c)| (*id, c.as_str())).collect();
    let project = checks_project(dir.path(), "typen", "vt.typen", &rules);
    let (code, report, stderr) = json_run(&project, &db.url(), &[]);
    assert_eq!(code, 1, "{report}\n{stderr}");
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    let failed: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["moet-falen"], "{report}");
    for rule in report["rules"].as_array().unwrap() {
        assert_eq!(rule["judged"], 1, "{rule}");
    }
    // People read where the record is: the table (the key says which row).
    let (_, human, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--project"])
        .arg(&project));
    assert!(
        human.contains("typen `t1` in postgres://localhost/"),
        "{human}"
    );
    assert!(
        human.contains(&format!("{}#vt.typen\n", db.name())),
        "{human}"
    );
}
