//! Hostile and extreme inputs (issue #15): each case here once panicked,
//! hung, grew without bound or put a location in the wrong place. Each test
//! pins the answer that replaced it.

use std::path::Path;

use crate::support::{json_report, naleving_in, problems_of, run};

/// A project with one collection `meldingen` read from `file` (written with
/// `data`) and the rules given as (id, body).
fn project(file: &str, data: &[u8], rules: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        format!(
            "as_of: 2021-01-15\ncollections:\n  meldingen: {{ path: {file}, key: id }}\n\
             rules: [rules]\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join(file), data).unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    for (id, body) in rules {
        let text = format!(
            "id: {id}\ntitle: t\nseverity: error\ncollection: meldingen\n\
             basis: [{{ citation: \"Wmo 2015, art. 1\" }}]\n{body}\n"
        );
        std::fs::write(root.join("rules").join(format!("{id}.yaml")), text).unwrap();
    }
    dir
}

const CODE_FILLED: (&str, &str) = ("code-gevuld", "check: { required: { fields: [code] } }");

/// The findings of a JSON run as (record, line, column).
fn located(dir: &Path) -> Vec<(String, u64, u64)> {
    let (code, report) = json_report(dir, &[]);
    assert_eq!(code, 1, "{report:#}");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["record"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A 70 kB value made miette panic ("Formatting argument out of range") when
/// the human format drew the line. A line that long is not drawn: the
/// finding says where it is instead.
#[test]
fn a_very_long_line_is_located_not_drawn() {
    let long = "x".repeat(70_000);
    let data = format!("{{\"id\": \"a\", \"notitie\": \"{long}\", \"code\": \"\"}}\n");
    let dir = project("m.jsonl", data.as_bytes(), &[CODE_FILLED]);
    let (code, stdout, stderr) = run(naleving_in(dir.path()).arg("check"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("meldingen `a` in m.jsonl:1:70028"),
        "{stdout}"
    );
    assert!(!stdout.contains("xxxxxxxxxx"), "the line is not drawn");
}

/// Drawing read every line from the top of the file for every finding
/// (miette counts lines that way): quadratic. Now the line index is used;
/// the line numbers drawn for a record far down the file are still right.
#[test]
fn findings_far_down_a_file_are_drawn_at_their_line() {
    let mut data = String::new();
    for i in 0..3000 {
        data.push_str(&format!("{{\"id\": \"r{i}\", \"code\": \"\"}}\n"));
    }
    let dir = project("m.jsonl", data.as_bytes(), &[CODE_FILLED]);
    let (code, stdout, _) = run(naleving_in(dir.path()).arg("check"));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("\n 2999 │ {\"id\": \"r2998\", \"code\": \"\"}"),
        "{}",
        &stdout[stdout.len().saturating_sub(2000)..]
    );
    assert!(stdout.contains("3000 bevindingen"));
}

/// A JSON array on one line: each field is found inside its own record (it
/// was the first match on the line, in another record, for most of them).
#[test]
fn fields_on_a_one_line_json_array_are_found_in_their_own_record() {
    let data = r#"[{"id":"a","code":""},{"id":"b","x":"code","code":""},{"id":"c","code":""}]"#;
    let dir = project("m.json", data.as_bytes(), &[CODE_FILLED]);
    let column = |needle: &str, nth: usize| {
        let byte = data.match_indices(needle).nth(nth).unwrap().0;
        byte as u64 + 1
    };
    assert_eq!(
        located(dir.path()),
        [
            ("a".to_string(), 1, column(r#""code":"""#, 0)),
            ("b".to_string(), 1, column(r#""code":"""#, 1)),
            ("c".to_string(), 1, column(r#""code":"""#, 2)),
        ]
    );
}

/// Every problem in a calendar file is its own located problem (they were
/// one "2 problems in calendar file" without a line).
#[test]
fn calendar_file_problems_are_each_located() {
    let dir = project(
        "m.jsonl",
        b"{\"id\": \"a\", \"code\": \"x\"}\n",
        &[CODE_FILLED],
    );
    let root = dir.path();
    let project = std::fs::read_to_string(root.join("naleving.yaml")).unwrap();
    std::fs::write(
        root.join("naleving.yaml"),
        format!("{project}calendar_extend: [kalender.yaml]\n"),
    )
    .unwrap();
    std::fs::write(
        root.join("kalender.yaml"),
        "gelijkgesteld:\n  - { date: 2020-13-01, source: \"Stcrt. 2020, 1\" }\n  \
         - { date: 2020-05-22, source: \"\" }\n",
    )
    .unwrap();
    let (code, report) = json_report(root, &[]);
    assert_eq!(code, 2);
    let problems: Vec<(String, String, u64, u64)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["path"].as_str().unwrap().to_string(),
                p["at"]["line"].as_u64().unwrap_or(0),
                p["at"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expect = |line, column| {
        (
            "calendar::invalid".to_string(),
            "kalender.yaml".to_string(),
            line,
            column,
        )
    };
    assert_eq!(problems, [expect(2, 13), expect(3, 33)], "{report:#}");
}

/// Invalid UTF-8 in the project, baseline, calendar or waivers file is
/// placed at its first bad byte.
#[test]
fn invalid_utf8_in_any_input_is_located() {
    let dir = project(
        "m.jsonl",
        b"{\"id\": \"a\", \"code\": \"x\"}\n",
        &[CODE_FILLED],
    );
    let root = dir.path();
    let project = std::fs::read_to_string(root.join("naleving.yaml")).unwrap();
    let bad = b"# ok\n# caf\xe9\n".to_vec();
    for name in ["kalender.yaml", "baseline.json", "waivers.yaml"] {
        std::fs::write(root.join(name), &bad).unwrap();
    }
    std::fs::write(
        root.join("naleving.yaml"),
        format!("{project}calendar_extend: [kalender.yaml]\nwaivers: waivers.yaml\n"),
    )
    .unwrap();
    let (code, report) = json_report(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 2);
    let mut placed: Vec<(String, u64, u64)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["at"]["line"].as_u64().unwrap_or(0),
                p["at"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    placed.sort();
    let at = |path: &str| (path.to_string(), 2, 6);
    assert_eq!(
        placed,
        [at("baseline.json"), at("kalender.yaml"), at("waivers.yaml")],
        "{report:#}"
    );

    std::fs::write(root.join("naleving.yaml"), b"as_of: 2021-01-15\n# \xff\n").unwrap();
    let (code, report) = json_report(root, &[]);
    assert_eq!(code, 2);
    assert_eq!(report["problems"][0]["at"]["line"], 2, "{report:#}");
    assert_eq!(report["problems"][0]["at"]["column"], 3);
}

/// A FIFO given as the baseline, or as a collection's path, blocked the run
/// for ever; a link to `/dev/zero` grew one line until the process aborted.
/// Each is refused before it is opened, with the reason.
#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        "as_of: 2021-01-15\ncollections:\n  meldingen: { path: m.jsonl, key: id }\n  \
         nul: { path: nul.jsonl, key: id }\n  pijp: { path: pijp.jsonl, key: id }\n\
         rules: [rules]\n",
    )
    .unwrap();
    std::fs::write(root.join("m.jsonl"), "{\"id\": \"a\", \"code\": \"\"}\n").unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join("nul.jsonl")).unwrap();
    for fifo in ["pijp.jsonl", "baseline.json"] {
        let made = std::process::Command::new("mkfifo")
            .arg(root.join(fifo))
            .status()
            .unwrap();
        assert!(made.success());
    }
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(
        root.join("rules/code-gevuld.yaml"),
        "id: code-gevuld\ntitle: t\nseverity: error\ncollection: meldingen\n\
         basis: [{ citation: \"Wmo 2015, art. 1\" }]\ncheck: { required: { fields: [code] } }\n",
    )
    .unwrap();
    let (code, report) = json_report(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 2);
    let mut problems: Vec<(String, String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["path"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    problems.sort();
    let refused = |code: &str, path: &str, what: &str| {
        (
            code.to_string(),
            path.to_string(),
            format!("cannot read {what}: not a regular file (a pipe, device or socket)"),
        )
    };
    assert_eq!(
        problems,
        [
            refused("baseline::read", "baseline.json", "the baseline"),
            refused("data::read", "nul.jsonl", "data file"),
            refused("data::read", "pijp.jsonl", "data file"),
        ]
    );
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
}

/// A line without end grew one buffer until the process aborted. A JSONL
/// line or CSV row over 64 MiB is a located problem; JSONL reading goes on
/// with the next line, CSV (whose rows may span lines) stops there.
#[test]
fn a_record_over_the_limit_is_refused_not_read() {
    let limit = 64 << 20;
    let mut jsonl = b"{\"id\": \"a\", \"code\": \"\"}\n{\"id\": \"b\", \"x\": \"".to_vec();
    jsonl.resize(jsonl.len() + limit, b'y');
    jsonl.extend_from_slice(b"\"}\n{\"id\": \"c\", \"code\": \"\"}\n");
    let dir = project("m.jsonl", &jsonl, &[CODE_FILLED]);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["problems"][0]["code"], "data::parse");
    assert_eq!(
        report["problems"][0]["message"],
        "line longer than 64 MiB: not read"
    );
    assert_eq!(report["problems"][0]["at"]["line"], 2);
    let records: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    assert_eq!(records, ["a", "c"], "the line after the long one is read");

    let mut csv = b"id,code\na,\nb,".to_vec();
    csv.resize(csv.len() + limit + (1 << 17), b'y');
    csv.extend_from_slice(b"\nc,\n");
    let dir = project("m.csv", &csv, &[CODE_FILLED]);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        report["problems"][0]["message"],
        "row longer than 64 MiB: it and the rest of the file are not read"
    );
    assert_eq!(report["problems"][0]["at"]["line"], 3);
    assert_eq!(report["findings"][0]["record"], "a");
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
}

/// Three nested `exists` over lists of a few hundred elements ran for
/// minutes per record. The work is bounded before the expression runs: a
/// record over the budget is not judged (`rule::budget`, exit 3), the
/// others are.
#[test]
fn an_expression_over_its_budget_is_not_run() {
    let list = |n: usize| {
        let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!("[{}]", items.join(","))
    };
    let data = format!(
        "{{\"id\": \"klein\", \"a\": {0}, \"b\": {0}, \"c\": {0}}}\n\
         {{\"id\": \"groot\", \"a\": {1}, \"b\": {1}, \"c\": {1}}}\n",
        list(3),
        list(300)
    );
    let rule = (
        "drie-lussen",
        "check:\n  expr: \"!record.a.exists(x, record.b.exists(y, record.c.exists(z, x + y + z == 999)))\"",
    );
    let dir = project("m.jsonl", data.as_bytes(), &[rule]);
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 3, "{report:#}");
    let problem = &report["problems"][0];
    assert_eq!(problem["code"], "rule::budget");
    assert_eq!(
        problem["message"],
        "rule `drie-lussen` could not judge record `groot`: evaluation budget exceeded: \
         it could take 27090300 steps here, at most 10000000 are allowed"
    );
    assert_eq!(problem["at"]["line"], 2);
    assert_eq!(report["summary"]["records"], 2);
    assert!(report["findings"].as_array().unwrap().is_empty());
}

fn problem(code: &str, message: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (code.to_string(), message.to_string(), line, column)
}

/// `1.0` and `1` were two keys, integers beyond 2⁶⁴ became floats that
/// collided, and `{"id": true}` "had no id".
#[test]
fn keys_are_one_however_written_and_refused_when_inexact() {
    let data = "{\"id\": 1.0, \"code\": \"x\"}\n{\"id\": 1, \"code\": \"x\"}\n\
                {\"id\": true, \"code\": \"x\"}\n{\"id\": 18446744073709551616, \"code\": \"x\"}\n";
    let dir = project("m.jsonl", data.as_bytes(), &[CODE_FILLED]);
    let (code, problems) = problems_of(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        problems,
        [
            problem(
                "data::duplicate-key",
                "duplicate key `1` in collection `meldingen`; first at m.jsonl:1",
                2,
                1
            ),
            problem(
                "data::missing-key",
                "record of `meldingen`: the key `id` is a boolean; a key is a non-empty string or a number",
                3,
                1
            ),
            problem(
                "data::missing-key",
                "record of `meldingen`: the key `id` is a number too large to keep exactly; write the key as a string",
                4,
                1
            ),
        ]
    );
}

/// Messages spoke to the Rust programmer ("set DuplicateKeyPolicy in
/// Options", "InvalidUnicode { source: … }"); a JSON error at the start of
/// a line had column 0; a date-time with hour 25 was a valid `expires`.
#[test]
fn messages_are_for_the_author_and_dates_are_whole() {
    let rule = (
        "code-gevuld",
        "check: { required: { fields: [code] } }\ncheck: { required: { fields: [code] } }",
    );
    let literal = ("escape", "check: { expr: \"record.code == '\\\\uD800'\" }");
    let dir = project(
        "m.jsonl",
        b"{\"id\": \"a\", \"code\": \"x\"}\n",
        &[rule, literal],
    );
    let root = dir.path();
    let project_file = std::fs::read_to_string(root.join("naleving.yaml")).unwrap();
    std::fs::write(
        root.join("naleving.yaml"),
        format!(
            "{project_file}waivers:\n  - {{ rule: escape, record: a, reason: r, approved_by: x, \
             expires: 2021-06-30T25:99 }}\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join("baseline.json"), "{\"version\": 1,\n").unwrap();
    let (code, problems) = problems_of(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        problems,
        [
            problem("baseline::parse", "EOF while parsing a value", 2, 1),
            problem(
                "waiver::expires",
                "`expires` is not an ISO date: \"2021-06-30T25:99\"",
                6,
                68
            ),
            problem(
                "rule::parse",
                "duplicate key `check`: a key may appear once",
                7,
                1
            ),
            problem(
                "rule::bad-expression",
                "invalid CEL expression: invalid string literal: an escape in it is not valid (`\\u` and `\\U` need a Unicode scalar value, not a surrogate)",
                6,
                32
            ),
        ]
    );
}

/// A rule file of megabytes, a CSV of a million columns and a plugin limit
/// of 0 each took minutes or gigabytes, or failed later under another code.
#[test]
fn oversized_rules_and_tables_and_zero_limits_are_refused() {
    let fields: Vec<String> = (0..120_000).map(|i| format!("veld{i}")).collect();
    let wide = (
        "breed",
        format!(
            "check: {{ required: {{ fields: [{}] }} }}",
            fields.join(",")
        ),
    );
    let header = fields[..20_000].join(",");
    let data = format!("id,{header}\na\n");
    let dir = project("m.csv", data.as_bytes(), &[(wide.0, &wide.1)]);
    let root = dir.path();
    let project_file = std::fs::read_to_string(root.join("naleving.yaml")).unwrap();
    std::fs::write(
        root.join("naleving.yaml"),
        format!(
            "{project_file}plugins:\n  p:\n    path: p.wasm\n    sha256: {}\n    \
             limits: {{ fuel: 0 }}\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let (code, problems) = problems_of(root, &[]);
    assert_eq!(code, 2);
    let codes: Vec<(&str, &str)> = problems
        .iter()
        .map(|(code, message, ..)| (code.as_str(), message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "data::parse",
                "the header row has 20001 columns; at most 16384 (a spreadsheet's width) are read"
            ),
            (
                "project::plugin",
                "plugin `p`: `limits.fuel` is 0; no batch could run"
            ),
            (
                "rule::read",
                "cannot read rule file: larger than 1024 KiB, the limit for this file"
            ),
        ],
        "{problems:#?}"
    );
}
