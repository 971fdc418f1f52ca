//! Checks pushed down into PostgreSQL: a run that lets the database leave
//! out the rows its rules certainly pass gives the report of a run that
//! reads every row (`--no-pushdown`) — the same findings at the same
//! places, problems and per-rule counts — on a table of awkward rows (keys
//! missing, blank or twice, values outside the schema, dates outside the
//! window or not dates) and for every rule of the pack over the steekproef.

use serde_json::Value;

use crate::pg::{Server, load_steekproef};
use crate::postgres::{findings, json_run, table_project, write_rules};
use crate::support::{naleving_in, root, run};

/// A report without what depends on how the rows were read: the manifest
/// (a table's digest is over the rows read) and the digests made from it.
fn verdicts(report: &Value) -> Value {
    let mut report = report.clone();
    let object = report.as_object_mut().unwrap();
    for key in ["manifest", "run_digest", "data_digest"] {
        object.remove(key);
    }
    report
}

/// How many records a report flags: with a finding or named by a problem.
fn flagged(report: &Value) -> u64 {
    let mut flagged: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .chain(
            report["problems"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p["records"].as_array().into_iter().flatten())
                .map(|r| r.as_str().unwrap()),
        )
        .collect();
    flagged.sort_unstable();
    flagged.dedup();
    flagged.len() as u64
}

/// The manifest's entry for the table `table` of a report.
fn table_input<'a>(report: &'a Value, table: &str) -> &'a Value {
    report["manifest"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with(&format!("#{table}")))
        .unwrap_or_else(|| panic!("no input {table}: {report}"))
}

#[test]
fn pushed_down_runs_report_what_reading_every_row_reports() {
    let server = Server::shared();
    let db = server.database();
    db.client()
        .batch_execute(
            "CREATE SCHEMA vt;
             CREATE TABLE vt.zaken (id text, soort text, n bigint, klaar boolean,
                                    op date, tekstdatum text, extra jsonb,
                                    gemeld text, vrij text, regio text);
             CREATE TABLE vt.regios (naam text, n int);
             INSERT INTO vt.regios VALUES ('Utrecht', 1), ('Zeeland', 2), ('  ', 3), (NULL, 4), ('12', 5),
                                          ('Zee\"land', 6), ('A\\B', 7), ('AB', 8);
             INSERT INTO vt.zaken
               SELECT 'z' || lpad(i::text, 4, '0'),
                      CASE WHEN i % 7 = 0 THEN 'advies' ELSE 'melding' END,
                      i % 12, i % 3 = 0,
                      DATE '2018-06-01' + i, to_char(DATE '2019-01-01' + i, 'YYYY-MM-DD'), NULL,
                      to_char(DATE '2019-01-01' + i, 'YYYY-MM-DD'), NULL
               FROM generate_series(1, 900) AS i;
             UPDATE vt.zaken SET regio = CASE WHEN n % 2 = 0 THEN 'Utrecht' ELSE 'Zeeland' END;
             INSERT INTO vt.zaken (id, soort, n, klaar, op, gemeld, vrij) VALUES
               ('geen-dag', 'melding', 1, true, '2020-03-03', '2020-02-30', NULL),
               ('tijdstip', 'melding', 1, true, '2020-03-04', '2020-03-04', '2018-03-01T10:00:00'),
               ('vrij-binnen', 'melding', 1, true, '2020-03-05', '2020-03-05', '2020-03-05');
             INSERT INTO vt.zaken (id, soort, n, klaar, op, regio) VALUES
               ('nergens', 'melding', 1, true, '2020-04-01', 'Atlantis'),
               ('spaties', 'melding', 1, true, '2020-04-02', '  '),
               ('getal', 'melding', 1, true, '2020-04-03', '12'),
               ('hoofdletters', 'melding', 1, true, '2020-04-04', 'utrecht'),
               ('aanhalingsteken', 'melding', 1, true, '2020-04-05', 'Zee\"land'),
               ('backslash', 'melding', 1, true, '2020-04-06', 'A\\B'),
               ('zonder-backslash', 'melding', 1, true, '2020-04-07', 'AB');
             INSERT INTO vt.zaken VALUES
               ('dubbel', 'melding', 20, true, '2020-01-01', '2020-01-01', NULL),
               ('dubbel', 'melding', 1, true, '2020-01-02', '2020-01-02', NULL),
               (NULL, 'melding', 1, true, '2020-01-03', NULL, NULL),
               ('   ', 'melding', 1, true, '2020-01-04', NULL, NULL),
               ('onbekend-soort', 'zorgmelding', 1, true, '2020-01-05', NULL, NULL),
               ('geen-soort', NULL, 1, true, '2020-01-06', NULL, NULL),
               ('leeg-soort', '', 1, true, '2020-01-07', NULL, NULL),
               ('oneindig', 'melding', 1, true, 'infinity', '2020-13-45', NULL),
               ('voor-christus', 'melding', 1, true, '0044-03-15 BC', 'gisteren', NULL),
               ('geen-datum', 'melding', 20, NULL, NULL, NULL, '{\"a\": 1}'),
               ('extra-veld', 'advies', 2, false, '2020-02-02', '2020-02-02', '[1]');",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rules = [
        // Per record, with and without `when`, in and outside a window of a
        // date column, a text column and no column at all.
        (
            "klein",
            "check:\n  expr: record.n < 10\nwhen: record.soort == 'melding'\n",
        ),
        (
            "klaar",
            "check:\n  expr: record.klaar == true\nvalid: { from: 2019-01-01, until: 2020-06-30, date_field: op }\n",
        ),
        (
            "aanwezig",
            "check:\n  required: { fields: [soort, n] }\nvalid: { from: 2019-06-01, date_field: tekstdatum }\n",
        ),
        (
            "zonder-kolom",
            "check:\n  expr: record.n != 11\nvalid: { until: 2019-06-01, date_field: afgesloten_op }\n",
        ),
        (
            "vrij-venster",
            "check:\n  expr: record.n >= 0\nvalid: { from: 2019-01-01, date_field: vrij }\n",
        ),
        // To the keys of another table.
        (
            "regio-bestaat",
            "check:\n  reference: { field: regio, to: regios }\n",
        ),
        // To the keys of a file, by its key and by another field: the keys
        // naleving read, sent as one parameter.
        (
            "regio-in-bestand",
            "check:\n  reference: { field: regio, to: gebieden }\n",
        ),
        (
            "code-in-bestand",
            "check:\n  reference: { field: n, to: gebieden, key: code }\n",
        ),
        // Across the table: the rows whose values another row has.
        (
            "uniek",
            "check:\n  unique: { fields: [gemeld] }\nwhen: record.n != 5\n",
        ),
        (
            "uniek-paar",
            "check:\n  unique: { fields: [soort, gemeld] }\n",
        ),
        (
            "niet-advies",
            "check:\n  expr: \"!(record.soort in ['advies']) || record.n > 0\"\n",
        ),
    ];
    let rules: Vec<(&str, String)> = rules
        .iter()
        .map(|(id, body)| (*id, body.to_string()))
        .collect();
    write_rules(dir.path(), "zaken", "severity: error\n", &rules);
    std::fs::write(
        dir.path().join("zaken.schema.yaml"),
        "primaryKey: id\nadditionalFields: false\nfields:\n\
         - { name: id, type: string, constraints: { required: true } }\n\
         - { name: soort, type: string, constraints: { required: true, enum: [melding, advies] } }\n\
         - { name: n, type: integer }\n\
         - { name: klaar, type: boolean }\n\
         - { name: op, type: date }\n\
         - { name: tekstdatum, type: date }\n\
         - { name: afgesloten_op, type: date }\n\
         - { name: gemeld, type: date }\n\
         - { name: vrij, type: any }\n\
         - { name: regio, type: string }\n",
    )
    .unwrap();
    // The file's keys: text with a quote and a backslash, a number (`12`
    // is the key of the text '12'); `AB` and the code 7 are missing.
    let gebieden: String = [
        r#"{"naam": "Utrecht", "code": 0}"#,
        r#"{"naam": "Zeeland", "code": 1}"#,
        r#"{"naam": 12, "code": 2}"#,
        r#"{"naam": "Zee\"land", "code": 3}"#,
        r#"{"naam": "A\\B", "code": 3}"#,
        r#"{"naam": "Noord", "code": 4}"#,
        r#"{"naam": "Oost", "code": 5}"#,
        r#"{"naam": "Zuid", "code": 6}"#,
        r#"{"naam": "West", "code": 8}"#,
        r#"{"naam": "Midden", "code": 9}"#,
        r#"{"naam": "Boven", "code": 10}"#,
        r#"{"naam": "Onder", "code": 11}"#,
    ]
    .join("\n");
    std::fs::write(dir.path().join("gebieden.jsonl"), gebieden + "\n").unwrap();
    let project = dir.path().join("naleving.yaml");
    std::fs::write(
        &project,
        "as_of: 2021-01-15\ncollections:\n  zaken:\n    source: { postgres: { table: vt.zaken } }\n    key: id\n    schema: zaken.schema.yaml\n  regios:\n    source: { postgres: { table: vt.regios } }\n    key: naam\n  gebieden:\n    path: gebieden.jsonl\n    key: naam\nrules: [rules]\n",
    )
    .unwrap();

    let (pushed_code, pushed, stderr) = json_run(&project, &db.url(), &[]);
    let (pulled_code, pulled, _) = json_run(&project, &db.url(), &["--no-pushdown"]);
    assert_eq!(pushed_code, pulled_code, "{stderr}");
    assert_eq!(verdicts(&pushed), verdicts(&pulled));

    // The run did push down, and most rows stayed in the database.
    let (read, all) = (
        table_input(&pushed, "vt.zaken"),
        table_input(&pulled, "vt.zaken"),
    );
    assert_eq!(read["rows"], 921);
    assert_eq!(all["rows"], 921);
    assert!(all.get("rows_read").is_none());
    let rows_read = read["rows_read"].as_u64().unwrap();
    assert!(rows_read < 700, "{rows_read} of 921 rows read");
    assert_eq!(pushed["manifest"]["no_pushdown"], Value::Null);
    assert_eq!(pulled["manifest"]["no_pushdown"], true);

    // What the comparison covers is there to compare.
    let problems = pulled["problems"].as_array().unwrap();
    let codes: Vec<&str> = problems
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    for code in ["data::duplicate-key", "data::missing-key", "data::type"] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    // A doubled key's first row is in the table: no line to name.
    let doubled = problems
        .iter()
        .find(|p| p["code"] == "data::duplicate-key")
        .unwrap();
    let message = doubled["message"].as_str().unwrap();
    assert!(
        message.contains("first at postgres://") && message.ends_with("#vt.zaken"),
        "{message}"
    );
    // Rows without a usable key (NULL, blank) cannot be told apart in a
    // table: one problem says how many.
    let keyless: Vec<&str> = problems
        .iter()
        .filter(|p| p["code"] == "data::missing-key")
        .map(|p| p["message"].as_str().unwrap())
        .filter(|m| m.contains("collection `zaken`"))
        .collect();
    assert_eq!(keyless.len(), 1, "{keyless:?}");
    assert!(keyless[0].ends_with("(2 rows)"), "{keyless:?}");
    let stats: Vec<(&str, u64, u64, u64)> = pulled["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["outside_window"].as_u64().unwrap(),
                r["not_applicable"].as_u64().unwrap(),
                r["findings"].as_u64().unwrap(),
            )
        })
        .collect();
    for (id, outside, not_applicable, findings) in &stats {
        match *id {
            "vrij-venster" => assert_eq!((*outside, *findings), (1, 0), "{stats:?}"),
            _ => assert!(*findings > 0, "{id} has no findings: {stats:?}"),
        }
        match *id {
            "klaar" | "aanwezig" => assert!(*outside > 0, "{stats:?}"),
            "klein" => assert!(*not_applicable > 0, "{stats:?}"),
            _ => {}
        }
    }
    let dangling: Vec<&str> = pushed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "regio-bestaat")
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert_eq!(dangling, ["hoofdletters", "nergens", "spaties"]);
    let of_rule = |id: &str| -> Vec<&str> {
        pushed["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == id)
            .map(|f| f["record"].as_str().unwrap())
            .collect()
    };
    assert_eq!(
        of_rule("regio-in-bestand"),
        ["hoofdletters", "nergens", "spaties", "zonder-backslash"]
    );
    let codes = of_rule("code-in-bestand");
    assert!(
        codes.contains(&"z0007") && codes.contains(&"geen-datum"),
        "{codes:?}"
    );
    assert!(!codes.contains(&"z0001"), "{codes:?}");
    // A table's rows have no lines: a finding names the table and the key,
    // in key order (as the rows were read), the same pushed or pulled.
    let findings = pushed["findings"].as_array().unwrap();
    for finding in findings {
        let location = finding["location"].as_object().unwrap();
        assert_eq!(location.keys().collect::<Vec<_>>(), ["path"], "{finding}");
    }
    // Nor do the problems with its rows (a duplicate key, a value of the
    // wrong type): they name the table, and the record by its key.
    let in_table: Vec<&Value> = pushed["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("postgres://"))
        })
        .collect();
    assert!(in_table.len() > 2, "{in_table:?}");
    for problem in in_table {
        assert_eq!(problem["at"], Value::Null, "{problem}");
    }
    let klein: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "klein")
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert!(klein.len() > 2 && klein.is_sorted(), "{klein:?}");

    // With a primary key (no two rows share a key), the rows are found by
    // a filtered scan: the same.
    db.client()
        .batch_execute(
            "CREATE TABLE vt.zaken_pk AS SELECT * FROM vt.zaken \
             WHERE id IS NOT NULL AND id <> 'dubbel';
             ALTER TABLE vt.zaken_pk ADD PRIMARY KEY (id);",
        )
        .unwrap();
    let keyed = dir.path().join("keyed.yaml");
    std::fs::write(
        &keyed,
        std::fs::read_to_string(&project)
            .unwrap()
            .replace("table: vt.zaken }", "table: vt.zaken_pk }"),
    )
    .unwrap();
    let (_, keyed_pushed, stderr) = json_run(&keyed, &db.url(), &[]);
    let (_, keyed_pulled, _) = json_run(&keyed, &db.url(), &["--no-pushdown"]);
    assert_eq!(verdicts(&keyed_pushed), verdicts(&keyed_pulled), "{stderr}");
    let keyed_read = table_input(&keyed_pushed, "vt.zaken_pk")["rows_read"]
        .as_u64()
        .unwrap();
    assert!(keyed_read < 700, "{keyed_read} rows read");
    let (_, keyed_plan, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&keyed));
    // Rows are not numbered (a window over every key): their key names
    // them; a unique key orders them alone.
    assert!(!keyed_plan.contains("row_number("), "{keyed_plan}");
    assert!(keyed_plan.contains("ORDER BY q.k"), "{keyed_plan}");
    assert!(!keyed_plan.contains("ORDER BY q.k, 1"), "{keyed_plan}");
    // Its rules read the whole table (`unique`, `reference`): the scan
    // computes each row's conditions once, behind a fence, so a subquery
    // over the table is not computed again for the rows it returns. A
    // rule of one row alone is written into the scan's filter, which the
    // server may run in parallel: the same report either way.
    assert!(keyed_plan.contains("OFFSET 0"), "{keyed_plan}");
    let (_, klein_plan, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&keyed)
        .args(["--rule", "klein"]));
    assert!(klein_plan.contains("ORDER BY q.k"), "{klein_plan}");
    assert!(!klein_plan.contains("OFFSET 0"), "{klein_plan}");
    let (_, klein_pushed, stderr) = json_run(&keyed, &db.url(), &["--rule", "klein"]);
    let (_, klein_pulled, _) = json_run(&keyed, &db.url(), &["--rule", "klein", "--no-pushdown"]);
    assert_eq!(verdicts(&klein_pushed), verdicts(&klein_pulled), "{stderr}");
    assert!(
        table_input(&klein_pushed, "vt.zaken_pk")["rows_read"]
            .as_u64()
            .is_some_and(|read| read < 700),
        "{stderr}"
    );

    // `--digest-data`: the table's digest covers every row, pushed down or
    // not; a change to a row left in the database shows only there.
    let digest = |report: &Value| {
        table_input(report, "vt.zaken")["sha256"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (_, pushed, _) = json_run(&project, &db.url(), &[]);
    let (_, every_pushed, _) = json_run(&project, &db.url(), &["--digest-data"]);
    let (_, every_pulled, _) = json_run(&project, &db.url(), &["--digest-data", "--no-pushdown"]);
    assert_eq!(digest(&every_pushed), digest(&every_pulled));
    assert_ne!(digest(&every_pushed), digest(&pushed));
    assert_eq!(verdicts(&every_pushed), verdicts(&pushed));
    assert_eq!(every_pushed["manifest"]["digest_data"], true);
    db.client()
        .batch_execute("UPDATE vt.zaken SET n = 3 WHERE id = 'z0002'")
        .unwrap();
    let (_, after, _) = json_run(&project, &db.url(), &[]);
    assert_eq!(verdicts(&after), verdicts(&pushed));
    assert_eq!(digest(&after), digest(&pushed), "z0002 was read");
    let (_, every_after, _) = json_run(&project, &db.url(), &["--digest-data"]);
    assert_ne!(digest(&every_after), digest(&every_pushed));

    // `--plan` says so, with the statements and their parameters.
    let (code, plan, stderr) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&project));
    assert_eq!(code, 0, "{stderr}");
    assert!(plan.contains("checks pushed down"), "{plan}");
    // No unique key: rows with the same key in the order of their JSON,
    // as reading every row orders them.
    assert!(plan.contains("ORDER BY q.k, 1"), "{plan}");
    assert!(plan.contains("count(*) FILTER"), "{plan}");
    assert!(
        plan.contains("klein (expr over zaken): judged in the database"),
        "{plan}"
    );
    for id in ["regio-in-bestand", "code-in-bestand"] {
        assert!(
            plan.contains(&format!(
                "{id} (reference over zaken): judged in the database"
            )),
            "{plan}"
        );
    }
    assert!(
        plan.contains("\"(the keys of `gebieden`, as the run reads them)\""),
        "{plan}"
    );
    let (_, plan, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args([
            "check",
            "--plan",
            "--no-pushdown",
            "--lang",
            "en",
            "--project",
        ])
        .arg(&project));
    assert!(plan.contains("every row is read"), "{plan}");
    assert!(
        plan.contains("klein (expr over zaken): judged in naleving"),
        "{plan}"
    );
}

/// Every rule of the pack, run alone over the steekproef in PostgreSQL —
/// pushed down where the planner can — gives the findings, problems and
/// per-rule counts of the same rule over the JSONL files; the rules that
/// can be pushed down are.
/// Two collections over one table: each reads its own rows, and a row's
/// place among them orders its findings, so the collections' findings
/// come one collection after the other, as when every row is read.
#[test]
fn two_collections_over_one_table_report_in_one_order() {
    let server = Server::shared();
    let db = server.database();
    db.client()
        .batch_execute(
            "CREATE TABLE zaken (id text PRIMARY KEY, n int);
             INSERT INTO zaken SELECT 'z' || lpad(i::text, 3, '0'), i % 10
               FROM generate_series(1, 200) AS i;",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_rules(
        dir.path(),
        "hoog",
        "severity: error\n",
        &[("klein", "check:\n  expr: record.n < 8\n".to_string())],
    );
    write_rules(
        dir.path(),
        "laag",
        "severity: error\n",
        &[("groot", "check:\n  expr: record.n > 1\n".to_string())],
    );
    let project = dir.path().join("naleving.yaml");
    std::fs::write(
        &project,
        "as_of: 2021-01-15\ncollections:\n  hoog:\n    source: { postgres: { table: zaken } }\n    key: id\n  laag:\n    source: { postgres: { table: zaken } }\n    key: id\nrules: [rules]\n",
    )
    .unwrap();
    let (code, pushed, stderr) = json_run(&project, &db.url(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let (_, pulled, _) = json_run(&project, &db.url(), &["--no-pushdown"]);
    assert_eq!(verdicts(&pushed), verdicts(&pulled), "{stderr}");
    let rules: Vec<&str> = pushed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), 80, "{rules:?}");
    assert!(rules[..40].iter().all(|r| *r == "klein"), "{rules:?}");
    let read = table_input(&pushed, "zaken")["rows_read"].as_u64();
    assert!(
        read.is_some_and(|read| read < 200),
        "{}",
        pushed["manifest"]
    );
}

#[test]
fn every_rule_of_the_pack_from_postgres_agrees_with_its_jsonl() {
    let server = Server::shared();
    let db = server.database();
    load_steekproef(&mut db.client());
    let dir = tempfile::tempdir().unwrap();
    // Keyed tables, as a database would keep them (the push-down then
    // numbers rows by the key's index).
    db.client()
        .batch_execute(
            "ALTER TABLE vt.meldingen ADD PRIMARY KEY (id);
             ALTER TABLE vt.dossiers ADD PRIMARY KEY (id);",
        )
        .unwrap();
    let project = crate::postgres::steekproef_from_postgres(dir.path());
    let original = root().join("fixtures/ghnt/steekproef/naleving.yaml");
    let (_, all, _) = json_run(&original, "host=/nonexistent", &[]);
    let ids: Vec<(String, String)> = all["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["collection"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(ids.len() >= 30, "{}", ids.len());
    let mut pushed = Vec::new();
    for (id, collection) in &ids {
        let (db_code, from_db, stderr) = json_run(&project, &db.url(), &["--rule", id]);
        let (file_code, from_files, _) = json_run(&original, "host=/nonexistent", &["--rule", id]);
        assert_eq!(db_code, file_code, "{id}: {stderr}");
        assert_eq!(findings(&from_db), findings(&from_files), "{id}");
        let problems = |report: &Value| -> Vec<String> {
            let mut all: Vec<String> = report["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| format!("{} {}", p["code"], p["message"]))
                .collect();
            all.sort();
            all
        };
        assert_eq!(problems(&from_db), problems(&from_files), "{id}");
        assert_eq!(from_db["rules"], from_files["rules"], "{id}");
        assert_eq!(from_db["summary"], from_files["summary"], "{id}");
        if ["meldingen", "dossiers"].contains(&collection.as_str())
            && table_input(&from_db, &format!("vt.{collection}"))
                .get("rows_read")
                .is_some()
        {
            pushed.push(id.clone());
        }
    }
    // The rules the planner can put in SQL over the steekproef's tables.
    for id in [
        "beoordeling-voor-ontvangst",
        "melding-zonder-ontvangstdatum",
        "terugkoppeling-ontbreekt",
        "veiligheidsbeoordeling-te-laat",
        "onderzoek-start-te-laat",
        "onderzoek-te-laat",
        "veiligheidsbeoordeling-norm-regio",
        "onderzoek-norm-regio",
    ] {
        assert!(
            pushed.contains(&id.to_string()),
            "{id} not pushed: {pushed:?}"
        );
    }
    // Together, the per-record rules over `meldingen` that have an SQL
    // form, deadlines among them, are judged in the database.
    let together = [
        "beoordeling-voor-ontvangst",
        "melding-zonder-ontvangstdatum",
        "terugkoppeling-ontbreekt",
        "veiligheidsbeoordeling-te-laat",
        "onderzoek-start-te-laat",
        "onderzoek-te-laat",
    ];
    let mut plan_run = naleving_in(&root());
    plan_run
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&project);
    for id in together {
        plan_run.args(["--rule", id]);
    }
    let (code, plan, stderr) = run(&mut plan_run);
    assert_eq!(code, 0, "{stderr}");
    assert!(plan.contains("checks pushed down"), "{plan}");
    for id in together {
        let line = plan
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} (")))
            .unwrap_or_else(|| panic!("{id} not in {plan}"));
        assert!(line.ends_with("judged in the database"), "{line}");
    }
}

/// `deadline` pushed down: every start day of a year and a half (weekends,
/// the feestdagen of 2020 — Easter, Koningsdag, Bevrijdingsdag of a lustrum
/// year, Hemelvaart, Pinksteren, Christmas), each with acts before the start,
/// on every day of the first weeks, around a month later and missing,
/// as `date`, `text` and `jsonb` columns, and rows whose dates are not ISO
/// dates or lie outside 1000–9999: the report is the one of reading every
/// row, for terms in working days, days (with Atw art. 1 and 2), weeks
/// without the Atw, months, a year, and terms that reach past 9999. The
/// rows read are few more than those with a finding or problem.
#[test]
fn pushed_down_deadlines_report_what_reading_every_row_reports() {
    let server = Server::shared();
    let db = server.database();
    db.client()
        .batch_execute(
            "CREATE SCHEMA vt;
             CREATE TABLE vt.termijnen (id text, soort text, ontvangen date, gedaan date,
                                        start_tekst text, eind_tekst text,
                                        start_json jsonb, eind_json jsonb);
             INSERT INTO vt.termijnen
               SELECT 'r' || to_char(s - DATE '2019-12-01', 'FM0000') || '-'
                          || COALESCE(to_char(k + 10, 'FM00'), 'xx'),
                      CASE WHEN (s - DATE '2019-12-01') % 5 = 0 THEN 'advies' ELSE 'melding' END,
                      s, s + k, to_char(s, 'YYYY-MM-DD'), to_char(s + k, 'YYYY-MM-DD'),
                      to_jsonb(to_char(s, 'YYYY-MM-DD')), to_jsonb(to_char(s + k, 'YYYY-MM-DD'))
               FROM generate_series(DATE '2019-12-01', DATE '2021-02-28', interval '1 day') AS g(t),
                    LATERAL (SELECT t::date AS s) AS d,
                    (SELECT unnest(ARRAY[-3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                         14, 15, 16, 27, 28, 29, 30, 31, 32, 33, NULL]) AS k) AS ks;
             INSERT INTO vt.termijnen VALUES
               ('x-geen-start', 'melding', NULL, '2020-03-03', NULL, '2020-03-03', NULL, '\"2020-03-03\"'),
               ('x-geen-dag', 'melding', '2020-03-03', '2020-03-03', '2020-02-30', '2020-02-31',
                 '\"2020-02-30\"', '\"2020-13-01\"'),
               ('x-tijdstip', 'melding', '2020-03-04', '2020-03-20', '2020-03-04T10:00:00',
                 '2020-03-20T09:00:00', '\"2020-03-04T10:00:00+01:00\"', '\"2020-03-20T09:00:00Z\"'),
               ('x-spatie', 'melding', '2020-03-05', '2020-03-30', ' 2020-03-05', '2020-03-30 ',
                 '\" 2020-03-05\"', '\"2020-03-30\"'),
               ('x-woord', 'melding', '2020-03-06', '2020-03-06', 'gisteren', 'morgen',
                 '\"gisteren\"', '\"morgen\"'),
               ('x-getal', 'melding', '2020-03-09', '2020-03-09', '20200309', '20200401',
                 '20200309', '20200401'),
               ('x-waar', 'melding', '2020-03-10', '2020-03-10', '2020-03-10', '', 'true', '{\"op\": 1}'),
               ('x-oud', 'melding', '0999-12-31', '1000-01-20', '0999-12-31', '1000-01-20',
                 '\"0999-12-31\"', '\"1000-01-20\"'),
               ('x-duizend', 'melding', '1000-01-01', '1000-01-20', '1000-01-01', '1000-01-20',
                 '\"1000-01-01\"', '\"1000-01-20\"'),
               ('x-bc', 'melding', '0044-03-15 BC', '2020-01-01', '0044-03-15', '2020-01-01',
                 '\"-0044-03-15\"', '\"2020-01-01\"'),
               ('x-oneindig', 'melding', 'infinity', 'infinity', '10000-01-01', '99999-01-01',
                 '\"10000-01-01\"', '\"infinity\"'),
               ('x-eind-oneindig', 'melding', '2020-03-11', 'infinity', '2020-03-11', 'infinity',
                 '\"2020-03-11\"', '\"infinity\"'),
               ('x-laatste', 'melding', '9999-12-20', '9999-12-31', '9999-12-20', '9999-12-31',
                 '\"9999-12-20\"', '\"9999-12-31\"'),
               ('x-eind-null', 'melding', '2020-01-06', NULL, '2020-01-06', NULL, '\"2020-01-06\"', 'null');",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let deadline = |start: &str, end: &str, term: &str| {
        format!("check:\n  deadline: {{ start: {start}, end: {end}, {term} }}\n")
    };
    let rules = [
        (
            "werkdagen",
            deadline("ontvangen", "gedaan", "term: 5 werkdagen")
                + "when: record.soort == 'melding'\nvalid: { from: 2020-01-01, until: 2020-12-31, date_field: ontvangen }\n",
        ),
        (
            "werkdag-tekst",
            deadline("start_tekst", "eind_tekst", "term: 1 werkdag"),
        ),
        (
            "werkdagen-json",
            deadline("start_json", "eind_json", "term: 12 werkdagen"),
        ),
        (
            "vijf-dagen",
            deadline("start_tekst", "eind_tekst", "term: 5 dagen")
                + "valid: { from: 2020-02-01, date_field: start_tekst }\n",
        ),
        (
            "drie-dagen",
            deadline("ontvangen", "gedaan", "term: 3 dagen"),
        ),
        (
            "twee-dagen",
            deadline("start_json", "eind_json", "term: 2 dagen"),
        ),
        ("een-dag", deadline("ontvangen", "gedaan", "term: 1 dag")),
        (
            "weken-zonder-atw",
            deadline("ontvangen", "gedaan", "term: 2 weken, atw: false"),
        ),
        (
            "weken",
            deadline("start_json", "eind_json", "term: 4 weken"),
        ),
        (
            "maand",
            deadline("start_tekst", "eind_tekst", "term: 1 maand"),
        ),
        (
            "maand-zonder-atw",
            deadline("ontvangen", "gedaan", "term: een maand, atw: false"),
        ),
        ("jaar", deadline("ontvangen", "gedaan", "term: 1 jaar")),
        (
            "lang",
            deadline("ontvangen", "gedaan", "term: 3000000 dagen"),
        ),
        (
            "eindeloos",
            deadline("start_tekst", "eind_tekst", "term: 4000000000 maanden"),
        ),
        (
            "zonder-eindkolom",
            deadline("ontvangen", "afgerond", "term: 10 werkdagen"),
        ),
    ];
    write_rules(dir.path(), "termijnen", "severity: error\n", &rules);
    let project = table_project(dir.path(), "termijnen", "vt.termijnen");

    // As of the project's date, one in the middle of the starts (many not
    // yet overdue), and one before them all.
    let mut as_of_project = None;
    for as_of in [
        &[][..],
        &["--as-of", "2020-06-02"],
        &["--as-of", "2019-11-01"],
    ] {
        let (pushed_code, pushed, stderr) = json_run(&project, &db.url(), as_of);
        let (pulled_code, pulled, _) =
            json_run(&project, &db.url(), &[as_of, &["--no-pushdown"]].concat());
        if as_of.is_empty() {
            as_of_project = Some(pulled.clone());
        }
        assert_eq!(pushed_code, pulled_code, "{as_of:?} {stderr}");
        assert_eq!(verdicts(&pushed), verdicts(&pulled), "{as_of:?}");
        let all = table_input(&pulled, "vt.termijnen")["rows"]
            .as_u64()
            .unwrap();
        let read = table_input(&pushed, "vt.termijnen")["rows_read"]
            .as_u64()
            .unwrap_or_else(|| panic!("not pushed down: {stderr}"));
        // The rows the database leaves are those on time (or outside a
        // window, or not applicable): it computes each due date from
        // naleving's working days, so exactly the rows with a finding or
        // problem are read.
        let flagged = flagged(&pulled);
        assert_eq!(read, flagged, "{as_of:?}: {read} of {all} rows read");
    }

    // What the comparison covers is there to compare: findings for every
    // rule that can have them, late acts and missing ones, records that
    // cannot be judged, and rows outside a window.
    let pulled = as_of_project.unwrap();
    let stats: Vec<(&str, u64, u64)> = pulled["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["outside_window"].as_u64().unwrap(),
                r["findings"].as_u64().unwrap(),
            )
        })
        .collect();
    for (id, outside, findings) in &stats {
        match *id {
            "lang" | "eindeloos" => assert_eq!(*findings, 0, "{stats:?}"),
            _ => assert!(*findings > 0, "{id} has no findings: {stats:?}"),
        }
        if ["werkdagen", "vijf-dagen"].contains(id) {
            assert!(*outside > 0, "{stats:?}");
        }
    }
    let findings = pulled["findings"].as_array().unwrap();
    let overdue = findings
        .iter()
        .filter(|f| f["details"]["overdue"] == true)
        .count();
    assert!(overdue > 0 && overdue < findings.len(), "{overdue}");
    let unjudged = serde_json::to_string(&pulled["problems"]).unwrap();
    for record in [
        "x-geen-start",
        "x-woord",
        "x-getal",
        "x-bc",
        "x-eind-oneindig",
    ] {
        assert!(unjudged.contains(record), "{record} not in {unjudged}");
    }

    // Each rule alone (where no other rule's findings bring a row back)
    // finds what it finds when every row is read, and reads the rows it
    // flags and few more: those whose act came in the days a feestdag or
    // Atw art. 2 added to the term.
    let of_rule = |report: &Value, key: &str, id: &str| -> Vec<Value> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["rule"] == id || v["id"] == id)
            .cloned()
            .collect()
    };
    for (id, _) in &rules {
        let (_, alone, stderr) = json_run(&project, &db.url(), &["--rule", id]);
        for key in ["findings", "rules"] {
            assert_eq!(of_rule(&alone, key, id), of_rule(&pulled, key, id), "{id}");
        }
        let problems = |report: &Value| -> Vec<Value> {
            report["problems"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["message"].as_str().unwrap().contains(&format!("`{id}`")))
                .cloned()
                .collect()
        };
        assert_eq!(problems(&alone), problems(&pulled), "{id}");
        let read = table_input(&alone, "vt.termijnen")["rows_read"]
            .as_u64()
            .unwrap_or_else(|| panic!("{id} not pushed down: {stderr}"));
        let flagged = flagged(&alone);
        let all = table_input(&alone, "vt.termijnen")["rows"]
            .as_u64()
            .unwrap();
        // Beyond those, at most the four rows whose dates naleving reads
        // and SQL does not prove dates (`x-oud`, `x-bc`: a year before
        // 1000; `x-tijdstip`: a date-time; `x-spatie`: a leading space),
        // when they pass or lie outside the window.
        assert!(
            read >= flagged && read <= flagged + 4,
            "{id}: {read} of {all} rows read, {flagged} flagged"
        );
    }

    // `--plan` says the deadlines are judged in the database; a due read
    // from a field is not, and keeps its table whole.
    let (code, plan, stderr) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&project));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        plan.contains("werkdagen (deadline over termijnen): judged in the database"),
        "{plan}"
    );
    assert!(plan.contains("extract(isodow FROM"), "{plan}");
    // Each statement makes the list of working days once, however many
    // conditions read it (each place that made it would parse it anew).
    let made = plan.matches("::date[]").count();
    assert!(made > 0, "{plan}");
    assert_eq!(
        made,
        plan.matches("WITH naleving_werkdagen AS (").count(),
        "{plan}"
    );
    std::fs::write(
        dir.path().join("rules/per-veld.yaml"),
        "id: per-veld\ntitle: per-veld\nseverity: error\ncollection: termijnen\nbasis: [{ citation: test }]\n\
         check:\n  deadline: { start: ontvangen, end: gedaan, due: eind_tekst }\n",
    )
    .unwrap();
    let (_, plan, _) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&project));
    assert!(
        plan.contains("these rules have no SQL form: per-veld"),
        "{plan}"
    );
    assert!(
        plan.contains("werkdagen (deadline over termijnen): judged in naleving"),
        "{plan}"
    );
}

/// Counting `aggregate`s pushed down: four regions with a melding on every
/// day from December 2019 to February 2021 (the feestdagen of 2020, years,
/// halves, quarters and months), acts a region-typical number of days
/// later, as `date`, `text` and `jsonb` columns, and rows that make a group
/// uncertain (a start that is not an ISO date, none at all, a key twice or
/// missing, a region as the number 12 and as the text '12', a start naleving
/// reads as a date that the database cannot prove one: a date-time, a
/// leading space; a `soort` missing where `when` asks for it). Per half
/// year, month, quarter and year, with working days, days, months, `when`
/// and `valid`, each rule alone and all together give the report of
/// reading every row, and the groups that certainly pass stay in the
/// database.
#[test]
fn pushed_down_aggregates_report_what_reading_every_row_reports() {
    let server = Server::shared();
    let db = server.database();
    db.client()
        .batch_execute(
            "CREATE SCHEMA vt;
             CREATE TABLE vt.agg (id text, regio text, regio_j jsonb, soort text,
                                  ontvangen date, ontvangen_t text, beoordeeld date, beoordeeld_t text);
             INSERT INTO vt.agg
               SELECT r.naam || '-' || to_char(s, 'YYYYMMDD'), r.naam, to_jsonb(r.naam),
                      CASE WHEN (s - DATE '2019-12-01') % 11 = 0 THEN 'advies' ELSE 'melding' END,
                      s, to_char(s, 'YYYY-MM-DD'), s + k, to_char(s + k, 'YYYY-MM-DD')
               FROM generate_series(DATE '2019-12-01', DATE '2021-02-28', interval '1 day') AS g(t),
                    LATERAL (SELECT t::date AS s, (t::date - DATE '2019-12-01') AS n) AS d,
                    LATERAL (VALUES
                      ('Noord', n % 8 + 1),
                      ('Oost', n % 12),
                      ('Zuid', CASE WHEN n % 37 = 0 THEN 14 ELSE n % 4 + 1 END),
                      ('West', CASE WHEN n % 9 = 0 THEN NULL ELSE 2 END)) AS r(naam, k);
             INSERT INTO vt.agg VALUES
               ('w-geen-dag', 'West', '\"West\"', 'melding', '2020-03-03', '2020-02-30', '2020-03-04', '2020-03-04'),
               ('w-woord', 'West', '\"West\"', 'melding', '2020-07-03', 'gisteren', '2020-07-04', 'morgen'),
               ('w-geen-start', 'West', '\"West\"', 'melding', NULL, NULL, '2020-10-04', '2020-10-04'),
               ('West-20200505', 'West', '\"West\"', 'melding', '2020-05-05', '2020-05-05', '2020-05-06', '2020-05-06'),
               (NULL, 'Oost', '\"Oost\"', 'melding', '2020-11-11', '2020-11-11', '2020-11-12', '2020-11-12'),
               ('getal', '12', '12', 'melding', '2020-04-01', '2020-04-01', '2020-04-02', '2020-04-02'),
               ('tekst', '12', '\"12\"', 'melding', '2020-04-02', '2020-04-02', '2020-04-03', '2020-04-03'),
               ('geen-regio', NULL, NULL, 'melding', '2020-04-03', '2020-04-03', '2020-04-30', '2020-04-30'),
               ('n-tijdstip', 'Noord', '\"Noord\"', 'melding', '2020-08-04', '2020-08-04T10:00:00', '2020-09-30', '2020-09-30'),
               ('z-spatie', 'Zuid', '\"Zuid\"', 'melding', '2020-11-05', ' 2020-11-05', '2020-12-30', ' 2020-12-30'),
               ('z-geen-soort', 'Zuid', '\"Zuid\"', NULL, '2020-05-05', '2020-05-05', '2020-06-30', '2020-06-30'),
               ('Noord-20200303', 'Noord', '\"Noord\"', 'melding', '2020-03-03', '2020-03-03', '2020-03-04', '2020-04-30');",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let aggregate = |group_by: &str, period: &str, lets: &[(&str, &str)], expr: &str| {
        let lets: String = lets
            .iter()
            .map(|(name, counter)| format!("      {name}: \"{counter}\"\n"))
            .collect();
        format!(
            "check:\n  aggregate:\n    group_by: [{group_by}]\n    period: {{ {period} }}\n    let:\n{lets}    expr: \"{expr}\"\n"
        )
    };
    let on_time = |start: &str, end: &str, term: &str| {
        format!(
            "records.filter(r, has(r.{end}) && r.{end} <= add_term(r.{start}, '{term}')).size()"
        )
    };
    let due = |start: &str, end: &str, term: &str| {
        format!("records.filter(r, add_term(r.{start}, '{term}') < as_of || has(r.{end})).size()")
    };
    let rules = [
        (
            "norm-halfjaar",
            aggregate(
                "regio",
                "field: ontvangen, per: half_year",
                &[
                    ("totaal", &due("ontvangen", "beoordeeld", "5 werkdagen")),
                    (
                        "op_tijd",
                        &on_time("ontvangen", "beoordeeld", "5 werkdagen"),
                    ),
                ],
                "totaal == 0 || op_tijd * 100 >= totaal * 90",
            ) + "when: record.soort == 'melding'\nvalid: { from: 2020-01-01, date_field: ontvangen_t }\n",
        ),
        (
            "geen-laat-maand",
            aggregate(
                "regio, soort",
                "field: ontvangen, per: month",
                &[(
                    "laat",
                    "records.filter(r, has(r.beoordeeld) && r.beoordeeld > add_term(r.ontvangen, '5 werkdagen')).size()",
                )],
                "laat == 0",
            ),
        ),
        (
            "kwartaal-tekst",
            aggregate(
                "regio",
                "field: ontvangen_t, per: quarter",
                &[
                    (
                        "op_tijd",
                        &on_time("ontvangen_t", "beoordeeld_t", "10 dagen"),
                    ),
                    ("totaal", "records.size()"),
                ],
                "op_tijd * 10 >= totaal * 9",
            ) + "when: record.soort == 'melding'\nvalid: { from: 2020-01-01, date_field: ontvangen_t }\n",
        ),
        (
            "jaar-json",
            aggregate(
                "regio_j",
                "field: ontvangen, per: year",
                &[
                    ("op_tijd", &on_time("ontvangen", "beoordeeld", "3 dagen")),
                    ("totaal", "records.size()"),
                ],
                "op_tijd * 2 >= totaal",
            ),
        ),
        (
            "jaar-maanden",
            aggregate(
                "regio",
                "field: ontvangen, per: year",
                &[(
                    "laat",
                    "records.filter(r, !has(r.beoordeeld) || r.beoordeeld > add_term(r.ontvangen, '2 maanden')).size()",
                )],
                "laat < 1",
            ),
        ),
        // Fails for a group that is not whole: a group the database left
        // must not be judged from the rows another rule reads.
        (
            "genoeg",
            aggregate(
                "regio",
                "field: ontvangen, per: month",
                &[("n", "records.size()")],
                "n >= 20",
            ),
        ),
        // Per record, beside the aggregates: reads few rows of a group.
        (
            "per-melding",
            "check:\n  expr: \"!has(record.beoordeeld) || record.beoordeeld <= add_term(record.ontvangen, '10 dagen')\"\n\
             when: record.soort == 'melding'\n"
                .to_string(),
        ),
    ];
    write_rules(
        dir.path(),
        "agg",
        "severity: warning\nmessage: '{{ periode }}'\n",
        &rules,
    );
    let project = table_project(dir.path(), "agg", "vt.agg");

    let rows_read = |report: &Value| table_input(report, "vt.agg")["rows_read"].as_u64();
    for as_of in [&[][..], &["--as-of", "2020-06-02"]] {
        // All together.
        let (pushed_code, pushed, stderr) = json_run(&project, &db.url(), as_of);
        let (pulled_code, pulled, _) =
            json_run(&project, &db.url(), &[as_of, &["--no-pushdown"]].concat());
        assert_eq!(pushed_code, pulled_code, "{as_of:?} {stderr}");
        assert_eq!(verdicts(&pushed), verdicts(&pulled), "{as_of:?}");
        let all = table_input(&pulled, "vt.agg")["rows"].as_u64().unwrap();
        let read = rows_read(&pushed).unwrap_or_else(|| panic!("not pushed down: {stderr}"));
        assert!(read < all, "{as_of:?}: {read} of {all} read");
        // Each alone: the same findings, problems and counts for the rule,
        // and some groups left in the database.
        for (id, _) in &rules {
            let (code, alone, stderr) =
                json_run(&project, &db.url(), &[as_of, &["--rule", id]].concat());
            let (pulled_code, pulled_alone, _) = json_run(
                &project,
                &db.url(),
                &[as_of, &["--rule", id, "--no-pushdown"]].concat(),
            );
            assert_eq!(code, pulled_code, "{id} {as_of:?} {stderr}");
            assert_eq!(verdicts(&alone), verdicts(&pulled_alone), "{id} {as_of:?}");
            let read =
                rows_read(&alone).unwrap_or_else(|| panic!("{id} not pushed down: {stderr}"));
            assert!(read < all, "{id} {as_of:?}: {read} of {all} read");
        }
        // What the comparison covers is there to compare: every rule has
        // groups that fail, and groups that pass.
        if as_of.is_empty() {
            for (id, _) in &rules {
                let stats = pulled["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["id"] == *id)
                    .unwrap();
                let findings = stats["findings"].as_u64().unwrap();
                assert!(findings > 0, "{id}: {stats}");
            }
        }
    }

    // An `expr` whose arithmetic CEL refuses (beyond 64 bits) is not
    // decided in the database: the group's error is the host's.
    let overflow = aggregate(
        "regio",
        "field: ontvangen, per: year",
        &[("n", "records.size()")],
        "n * 4611686018427387904 > 0 || n < 0",
    );
    write_rules(
        dir.path(),
        "agg",
        "severity: warning\n",
        &[("overloop", overflow)],
    );
    let (code, alone, stderr) = json_run(&project, &db.url(), &["--rule", "overloop"]);
    let (pulled_code, pulled_alone, _) = json_run(
        &project,
        &db.url(),
        &["--rule", "overloop", "--no-pushdown"],
    );
    assert_eq!(code, pulled_code, "{stderr}");
    assert_eq!(verdicts(&alone), verdicts(&pulled_alone));
    let problems = serde_json::to_string(&pulled_alone["problems"]).unwrap();
    assert!(
        problems.contains("overloop") && problems.contains("Overflow"),
        "{problems}"
    );

    // `--plan` says where each runs, and shows the working days as a
    // parameter without printing thousands of dates.
    let (code, plan, stderr) = run(naleving_in(&root())
        .env("NALEVING_DATABASE_URL", db.url())
        .args(["check", "--plan", "--lang", "en", "--project"])
        .arg(&project)
        .args(["--rule", "norm-halfjaar", "--rule", "geen-laat-maand"]));
    assert_eq!(code, 0, "{stderr}");
    for id in ["norm-halfjaar", "geen-laat-maand"] {
        assert!(
            plan.contains(&format!(
                "{id} (aggregate over agg): judged in the database"
            )),
            "{plan}"
        );
    }
    assert!(plan.contains("GROUP BY"), "{plan}");
    // The read computes each row's conditions once (in the window that
    // numbers the rows: the table's key is not unique), so each rule's
    // passing groups once: not again for the rows it returns.
    assert_eq!(plan.matches("AS exact FROM").count(), 2, "{plan}");
    assert!(plan.contains("characters)"), "{plan}");
    assert!(!plan.contains("2000-01-04"), "{plan}");
}
