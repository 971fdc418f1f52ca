//! Parquet collections (issue #17): the 1% sample read from its Parquet copy
//! gives the findings of its JSONL files, and a bad Parquet file is a
//! located problem while the other collections are still checked.

use serde_json::Value;

use crate::support::{json_report, problems_of, root};

/// Findings without their places (which differ between a JSONL line and a
/// Parquet row), sorted, as text.
fn placeless(report: &Value) -> Vec<String> {
    let mut findings: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let object = f.as_object_mut().unwrap();
            object.remove("location");
            object.remove("source");
            // A group's records are placed too: keep their keys.
            if let Some(members) = object
                .get_mut("details")
                .and_then(|d| d.get_mut("members"))
                .and_then(Value::as_array_mut)
            {
                for member in members {
                    let member = member.as_object_mut().unwrap();
                    member.remove("path");
                    member.remove("line");
                }
            }
            f.to_string()
        })
        .collect();
    findings.sort();
    findings
}

/// `fixtures/ghnt/steekproef/parquet.yaml` reads meldingen and dossiers from
/// Parquet (dates as DATE, nested structs, the meldingen's `betrokkenen` a
/// list of structs, zstd and snappy, row groups of 1,000 rows): every
/// finding is the JSONL run's, and so are the problems.
#[test]
fn the_sample_from_parquet_gives_the_findings_of_its_jsonl() {
    let sample = root().join("fixtures/ghnt/steekproef");
    let (code, jsonl) = json_report(
        &root(),
        &["--project", &sample.join("naleving.yaml").to_string_lossy()],
    );
    let (same_code, parquet) = json_report(
        &root(),
        &["--project", &sample.join("parquet.yaml").to_string_lossy()],
    );
    assert_eq!(code, same_code);
    assert_eq!(jsonl["summary"], parquet["summary"]);
    assert_eq!(jsonl["problems"], parquet["problems"]);
    let (a, b) = (placeless(&jsonl), placeless(&parquet));
    assert_eq!(a.len(), 937);
    assert!(a == b, "the findings differ");
    // The rules that read the list of structs judge it from Parquet too.
    for rule in [
        "informatie-betrokkene-ontbreekt",
        "vertrouwenspersoon-informatie-ontbreekt",
    ] {
        let found = parquet["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .count();
        assert!(found > 50, "{rule}: {found}");
    }
    // Located at rows of the Parquet file.
    let first = parquet["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["collection"] == "meldingen")
        .unwrap();
    assert_eq!(first["location"]["path"], "parquet/meldingen.parquet");
}

/// A project with the reference sample's meldingen as `m.parquet` (written
/// by `bytes`) besides a good JSONL collection, and one rule on each.
fn project(bytes: &[u8], key: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        format!(
            "as_of: 2021-01-15\ncollections:\n  m: {{ path: m.parquet, key: {key} }}\n  \
             goed: {{ path: goed.jsonl, key: id }}\nrules: [rules]\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join("m.parquet"), bytes).unwrap();
    std::fs::write(root.join("goed.jsonl"), "{\"id\": \"a\"}\n").unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    for collection in ["m", "goed"] {
        std::fs::write(
            root.join(format!("rules/code-{collection}.yaml")),
            format!(
                "id: code-{collection}\ntitle: t\nseverity: error\ncollection: {collection}\n\
                 basis: [{{ citation: \"x\" }}]\ncheck: {{ required: {{ fields: [code] }} }}\n"
            ),
        )
        .unwrap();
    }
    dir
}

fn sample_bytes() -> Vec<u8> {
    std::fs::read(root().join("fixtures/ghnt/steekproef/parquet/meldingen.parquet")).unwrap()
}

/// A truncated file, a file that is no Parquet, and a schema without the
/// key column are each one located problem; the good collection is still
/// checked (its finding is there).
#[test]
fn bad_parquet_files_are_problems_and_the_rest_is_checked() {
    let whole = sample_bytes();
    let cases: Vec<(Vec<u8>, &str, &str, &str)> = vec![
        (
            whole[..whole.len() / 2].to_vec(),
            "id",
            "data::parse",
            "not a readable Parquet file: ",
        ),
        (
            b"id,code\na,b\n".to_vec(),
            "id",
            "data::parse",
            "not a readable Parquet file: ",
        ),
        (
            whole.clone(),
            "nummer",
            "data::missing-key",
            "the file's schema has no column `nummer`, the collection's key",
        ),
    ];
    for (bytes, key, code, start) in cases {
        let dir = project(&bytes, key);
        let (exit, problems) = problems_of(dir.path(), &[]);
        assert_eq!(exit, 2);
        let found: Vec<&(String, String, u64, u64)> = problems
            .iter()
            .filter(|p| p.0.starts_with("data::"))
            .collect();
        assert_eq!(found.len(), 1, "{problems:?}");
        assert_eq!(found[0].0, code);
        assert!(found[0].1.starts_with(start), "{:?}", found[0]);
        let (_, report) = json_report(dir.path(), &[]);
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == "code-goed"),
            "the good collection is still checked"
        );
    }
}

/// A run reads of a Parquet file only the columns its rules read (with the
/// key); the others are not decoded, but their names are still offered for
/// a misspelt field.
#[test]
fn only_the_columns_read_are_decoded() {
    use naleving::{data, problem::Problems, project};
    use std::collections::{BTreeMap, BTreeSet};

    let dir = project(&sample_bytes(), "id");
    let mut problems = Problems::default();
    let project = project::load(&dir.path().join("naleving.yaml"), &mut problems).unwrap();
    let m = &project.collections["m"];
    let fields = |columns: &BTreeMap<&str, BTreeSet<String>>| {
        let dataset = data::load(
            &project.root,
            &[m],
            columns,
            false,
            &mut Problems::default(),
        );
        let mut names = BTreeSet::new();
        for record in &dataset.collections["m"] {
            names.extend(record.fields.keys().cloned());
        }
        (names, dataset)
    };
    let (all, _) = fields(&BTreeMap::new());
    assert!(all.len() > 5, "{all:?}");
    let wanted = BTreeMap::from([("m", BTreeSet::from(["regio".to_string()]))]);
    let (read, dataset) = fields(&wanted);
    assert_eq!(
        read,
        BTreeSet::from(["id".to_string(), "regio".to_string()])
    );
    let seen = &dataset.fields_seen["m"];
    assert!(all.iter().all(|name| seen.names.contains(name)), "{seen:?}");

    // End to end: a misspelt field read by a rule finds the closest
    // column, which the run did not read.
    std::fs::write(
        dir.path().join("rules/code-m.yaml"),
        "id: code-m\ntitle: t\nseverity: error\ncollection: m\n\
         basis: [{ citation: \"x\" }]\ncheck: { required: { fields: [regoi] } }\n",
    )
    .unwrap();
    let (_, report) = json_report(dir.path(), &["--rule", "code-m"]);
    let problems = report["problems"].as_array().unwrap();
    let unknown = problems
        .iter()
        .find(|p| p["code"] == "rule::unknown-field")
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("reads `regoi`")
    );
    assert_eq!(unknown["help"], "did you mean `regio`?", "{unknown}");
}

/// With one rule selected, the projection leaves out even the schema's
/// fields: each rule over the sample's Parquet collections, run on its own
/// (so no other rule's columns hide a column it needs), gives the findings
/// of the JSONL run.
#[test]
fn each_rule_over_parquet_alone_gives_the_findings_of_jsonl() {
    let sample = root().join("fixtures/ghnt/steekproef");
    let mut ids = Vec::new();
    for file in std::fs::read_dir(root().join("rules/veilig-thuis"))
        .unwrap()
        .chain(std::fs::read_dir(root().join("rules/meldcode")).unwrap())
    {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let id = text.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
        ids.push(id.to_string());
    }
    ids.sort();
    assert!(ids.len() >= 13, "{ids:?}");
    let mut judged = 0;
    for id in &ids {
        let run = |project: &str| {
            let project = sample.join(project).display().to_string();
            json_report(&root(), &["--project", &project, "--rule", id])
        };
        let (code, jsonl) = run("naleving.yaml");
        let (same_code, parquet) = run("parquet.yaml");
        assert_eq!(code, same_code, "{id}");
        assert_eq!(jsonl["summary"], parquet["summary"], "{id}");
        assert!(
            placeless(&jsonl) == placeless(&parquet),
            "{id}: the findings differ"
        );
        judged += jsonl["findings"].as_array().unwrap().len();
    }
    assert!(judged > 500, "{judged}");
}

/// `--group-by` a field no selected rule reads: the projection still reads
/// it, so every finding names its group as with JSONL.
#[test]
fn a_group_by_field_is_read_from_parquet_too() {
    let sample = root().join("fixtures/ghnt/steekproef");
    let groups = |project: &str| {
        let project = sample.join(project).display().to_string();
        let (_, report) = json_report(
            &root(),
            &[
                "--project",
                &project,
                "--rule",
                "veiligheidsbeoordeling-te-laat",
                "--group-by",
                "melder",
            ],
        );
        let mut groups: Vec<(String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["record"].as_str().unwrap().to_string(),
                    f["group"].as_str().unwrap_or("-").to_string(),
                )
            })
            .collect();
        groups.sort();
        groups
    };
    let jsonl = groups("naleving.yaml");
    assert!(jsonl.iter().filter(|(_, g)| g != "-").count() > 100);
    assert_eq!(jsonl, groups("parquet.yaml"));
}
