//! The 1% sample `fixtures/ghnt/steekproef/`: its data is exactly what the
//! seeded generator `examples/gen.rs` writes with the arguments of its
//! `generate.sh`, and the check over it finds what its README says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{json_report, root, run};

/// The sample project, relative to the repository root.
const PROJECT: &str = "fixtures/ghnt/steekproef/naleving.yaml";

/// The aggregate rules whose findings name the regions that miss a norm.
const NORM_RULES: [&str; 2] = ["veiligheidsbeoordeling-norm-regio", "onderzoek-norm-regio"];

/// The generator `cargo test` builds next to the tests: examples land in
/// `target/<profile>/examples/`, beside the directory of the binary. (`cargo
/// test --test main` alone does not build examples; `cargo test` does.)
fn generator() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_naleving"));
    let generator = bin
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("gen{}", std::env::consts::EXE_SUFFIX));
    assert!(
        generator.is_file(),
        "{} is missing: `cargo test` builds it (or `cargo build --example gen`)",
        generator.display()
    );
    generator
}

/// Panics with the first differing line when two files are not byte-identical
/// (the files are too large to print whole).
fn assert_same_bytes(regenerated: &Path, committed: &Path) {
    let (new, old) = (
        std::fs::read(regenerated).unwrap(),
        std::fs::read(committed).unwrap(),
    );
    if new == old {
        return;
    }
    let (new_text, old_text) = (String::from_utf8_lossy(&new), String::from_utf8_lossy(&old));
    let (mut new_lines, mut old_lines) = (new_text.lines(), old_text.lines());
    for line in 1.. {
        let (n, o) = (new_lines.next(), old_lines.next());
        assert!(
            n == o,
            "{} differs from what generate.sh writes, first at line {line}:\n\
             committed:   {o:?}\nregenerated: {n:?}\n\
             run fixtures/ghnt/steekproef/generate.sh and commit the result",
            committed.display()
        );
        if n.is_none() {
            break;
        }
    }
    panic!(
        "{} differs from what generate.sh writes (line endings?)",
        committed.display()
    );
}

#[test]
fn the_committed_sample_is_what_the_seeded_generator_writes() {
    let sample = root().join("fixtures/ghnt/steekproef");
    let dir = tempfile::tempdir().unwrap();
    // The committed script, so its arguments are the ones under test.
    std::fs::copy(sample.join("generate.sh"), dir.path().join("generate.sh")).unwrap();
    let (code, stdout, stderr) = run(Command::new("sh")
        .arg(dir.path().join("generate.sh"))
        .env("GEN", generator()));
    assert_eq!(code, 0, "generate.sh failed:\n{stdout}\n{stderr}");

    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // toezeggingen.jsonl is removed: the sample uses the letter's toezeggingen.
    assert_eq!(
        written,
        ["dossiers.jsonl", "generate.sh", "meldingen.jsonl"]
    );
    for file in ["meldingen.jsonl", "dossiers.jsonl"] {
        assert_same_bytes(&dir.path().join(file), &sample.join(file));
    }
}

#[test]
fn findings_on_the_sample() {
    let (code, report) = json_report(&root(), &["--project", PROJECT]);
    assert_eq!(code, 1, "{}", report["summary"]);
    // The generator writes `codewoord` only on some apotheek meldingen, and
    // neither of the sample's two got it, so the rule about it judges no
    // melding and says so (the schema declares the field, so it is not
    // unknown); the rule on doubt before 2019 judges no dossier of 2020,
    // although the generator writes `twijfel`. The rules on `betrokkenen`
    // judge the sample: no problem names them.
    let problems: Vec<(&str, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "rule::judged-nothing",
                "rule `twijfel-zonder-veilig-thuis` judged none of the 270 records of `dossiers`: `when` was false for 6, 264 lie outside its validity window"
            ),
            (
                "rule::judged-nothing",
                "rule `codewoord-melding-voor-invoering` judged none of the 2700 records of `meldingen`: `when` was false for 2700"
            ),
        ]
    );

    // Every rule with its count (zeros included), then per norm rule the
    // region and half year that miss it (the finding's record) with its
    // message.
    let per_rule: BTreeMap<&str, u64> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| {
            (
                rule["id"].as_str().unwrap(),
                rule["findings"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut norms = serde_json::Map::new();
    for rule in NORM_RULES {
        let misses: BTreeMap<&str, &str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                (
                    f["record"].as_str().unwrap(),
                    f["message"].as_str().unwrap(),
                )
            })
            .collect();
        // One finding per region and half year: none is lost as a map key.
        assert_eq!(misses.len() as u64, per_rule[rule]);
        norms.insert(rule.to_owned(), json!(misses));
    }
    let summary = &report["summary"];
    let projection: Value = json!({
        "summary": {
            "records": summary["records"],
            "findings": summary["findings"],
            "error": summary["error"],
            "warning": summary["warning"],
        },
        "per_rule": per_rule,
        "norm_regio": norms,
    });
    insta::assert_json_snapshot!(projection);
}

/// The sample is of 2020, where `twijfel-zonder-veilig-thuis` no longer
/// applies; the generator's doubt (`twijfel`, from its own stream) is
/// judged over dossiers weighed in 2018: the rule finds exactly the
/// doubting dossiers weighed before 2019 that did not consult Veilig Thuis,
/// a few per cent of them, as the generator injects.
#[test]
fn the_generated_doubt_before_2019_is_judged() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(Command::new(generator())
        .args(["--kind", "dossiers", "--records", "4000", "--seed", "7"])
        .args([
            "--from",
            "2018-01-01",
            "--to",
            "2018-12-31",
            "--as-of",
            "2019-01-15",
        ])
        .arg("--out")
        .arg(dir.path()));
    assert_eq!(code, 0, "{stderr}");
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::copy(
        root().join("rules/meldcode/twijfel-zonder-veilig-thuis.yaml"),
        dir.path().join("rules/twijfel-zonder-veilig-thuis.yaml"),
    )
    .unwrap();
    let schema = root().join("fixtures/ghnt/meldcode/dossiers.schema.yaml");
    std::fs::write(
        dir.path().join("naleving.yaml"),
        format!(
            "as_of: 2019-01-15\ncollections:\n  dossiers: {{ path: dossiers.jsonl, key: id, schema: '{}' }}\n\
             rules: [rules]\n",
            schema.display()
        ),
    )
    .unwrap();
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(report["problems"], json!([]), "{report:#}");
    let found: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["record"].as_str().unwrap())
        .collect();
    let text = std::fs::read_to_string(dir.path().join("dossiers.jsonl")).unwrap();
    let (mut doubting, mut expected) = (0, BTreeSet::new());
    for line in text.lines() {
        let d: Value = serde_json::from_str(line).unwrap();
        let weighed = d["stappen"]["wegen"].as_str();
        if d["twijfel"] == json!(true) && weighed.is_some_and(|w| w < "2019-01-01") {
            doubting += 1;
            if d["stappen"]["veilig_thuis_geraadpleegd"].is_null() {
                expected.insert(d["id"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(code, i32::from(!expected.is_empty()));
    let found: BTreeSet<String> = found.into_iter().map(str::to_string).collect();
    assert_eq!(found, expected);
    // 20% doubt, 5% of them do not consult (the generator's rates).
    assert!(
        (500..1000).contains(&doubting),
        "{doubting} doubting dossiers"
    );
    assert!(
        (10..=70).contains(&expected.len()),
        "{} of {doubting} did not consult",
        expected.len()
    );
}

/// The sample has more meldingen than one parallel work item holds, so the
/// engine splits them over threads: with one thread or four, every output
/// byte is the same (human output included: order and locations).
#[test]
fn one_thread_or_four_give_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let outputs: Vec<(i32, String, String)> = ["1", "4"]
        .into_iter()
        .map(|threads| {
            let human = dir.path().join(format!("human-{threads}.txt"));
            let (code, json, _) = run(crate::support::naleving()
                .env("RAYON_NUM_THREADS", threads)
                .args(["check", "--project", PROJECT, "--format", "json"])
                .arg("--format")
                .arg(format!("human={}", human.display())));
            (code, json, std::fs::read_to_string(human).unwrap())
        })
        .collect();
    assert_eq!(outputs[0].0, 1);
    assert!(outputs[0].2.len() > 100_000, "too little output");
    assert!(outputs[0] == outputs[1], "the outputs differ");
}

/// A rule that reads `collections`, so a run with it keeps every record in
/// memory instead of streaming: the reference the streamed runs are held to.
const RESIDENT_RULE: &str = "id: houdt-alles-vast\ntitle: Leest alle meldingen\nseverity: info\nbasis: [{ citation: t }]\n\
collection: meldingen\nwhen: size(collections.meldingen) >= 0\ncheck:\n  expr: \"true\"\n";

/// A `unique` over meldingen with duplicates in any sample, whose message
/// reads a field of the record: streamed, it keeps an index of values and
/// records cut down to that field.
const UNIQUE_RULE: &str = "id: dubbele-melding\ntitle: Eén melding per regio, dag, melder en aard\n\
severity: info\nbasis: [{ citation: t }]\ncollection: meldingen\nwhen: record.soort == 'melding'\n\
check:\n  unique: { fields: [regio, ontvangen_op, melder, aard] }\n\
message: \"{{ record }} ({{ regio }}) is dezelfde melding als {{ other }}\"\n";

/// Writes `naleving.yaml` (rules in `rules/`) and `resident.yaml` (the same
/// plus [`RESIDENT_RULE`]) in `dir`, over `meldingen.jsonl`.
fn two_projects(dir: &Path) {
    two_projects_with(dir, "");
}

/// A directory with `meldingen.jsonl`: 20,000 generated meldingen (seed 7),
/// enough for several streamed batches.
fn twenty_thousand_meldingen() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(Command::new(generator())
        .args(["--kind", "meldingen", "--records", "20000", "--seed", "7"])
        .arg("--out")
        .arg(dir.path()));
    assert_eq!(code, 0, "{stderr}");
    dir
}

/// [`two_projects`] with more collections (lines of the `collections:` map).
fn two_projects_with(dir: &Path, collections: &str) {
    std::fs::create_dir_all(dir.join("resident")).unwrap();
    std::fs::write(dir.join("resident/houdt-alles-vast.yaml"), RESIDENT_RULE).unwrap();
    for (name, rules) in [("naleving", "[rules]"), ("resident", "[rules, resident]")] {
        std::fs::write(
            dir.join(format!("{name}.yaml")),
            format!(
                "as_of: 2021-01-15\ncollections:\n  meldingen: {{ path: meldingen.jsonl, key: id }}\n\
                 {collections}rules: {rules}\n"
            ),
        )
        .unwrap();
    }
}

/// A collection that the other rules only look keys up in (`reference`,
/// by its key and by a field) is streamed, and only those keys are kept,
/// not its records; so is a collection whose rules only look keys up, after
/// the collections it looks them up in. The findings are those of a run
/// that keeps the meldingen in memory. A `unique` over the streamed
/// collection keeps an index as well.
#[test]
fn looked_up_collections_are_streamed_and_only_their_keys_kept() {
    let dir = twenty_thousand_meldingen();
    let text = std::fs::read_to_string(dir.path().join("meldingen.jsonl")).unwrap();
    let ids: Vec<String> = text
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 20_000);
    // Two references by key and two by region resolve; one of each does not.
    let sample = format!(
        "- {{ id: s1, melding: {}, regio: Haaglanden }}\n\
         - {{ id: s2, melding: {}, regio: Twente }}\n\
         - {{ id: s3, melding: VT-XX-2020-999999, regio: Atlantis }}\n",
        ids[0], ids[19_999]
    );
    std::fs::write(dir.path().join("steekproef.yaml"), sample).unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let rule = |id: &str, check: &str| {
        let text = format!(
            "id: {id}\ntitle: Verwijzing\nseverity: error\nbasis: [{{ citation: t }}]\ncollection: steekproef\ncheck:\n  {check}\n"
        );
        std::fs::write(dir.path().join(format!("rules/{id}.yaml")), text).unwrap();
    };
    rule(
        "melding-bestaat",
        "reference: { field: melding, to: meldingen }",
    );
    rule(
        "regio-bestaat",
        "reference: { field: regio, to: meldingen, key: regio }",
    );
    std::fs::write(dir.path().join("rules/dubbele-melding.yaml"), UNIQUE_RULE).unwrap();
    // And the meldingen refer to a list of regions that lacks Drenthe.
    let regions: BTreeSet<&str> = text
        .lines()
        .filter_map(|line| line.split(r#""regio":""#).nth(1)?.split('"').next())
        .collect();
    assert!(regions.len() > 10 && regions.contains("Drenthe"));
    let listed: String = regions
        .iter()
        .filter(|r| **r != "Drenthe")
        .map(|r| format!("- {{ naam: {r} }}\n"))
        .collect();
    std::fs::write(dir.path().join("regios.yaml"), listed).unwrap();
    let in_drenthe = text
        .lines()
        .filter(|l| l.contains(r#""regio":"Drenthe""#))
        .count();
    std::fs::write(
        dir.path().join("rules/regio-bekend.yaml"),
        "id: regio-bekend\ntitle: Bekende regio\nseverity: error\nbasis: [{ citation: t }]\ncollection: meldingen\n\
         check:\n  reference: { field: regio, to: regios }\n",
    )
    .unwrap();
    two_projects_with(
        dir.path(),
        "  steekproef: { path: steekproef.yaml, key: id }\n  \
         regios: { path: regios.yaml, key: naam }\n",
    );

    let options = |project: &str| naleving::engine::Options {
        project: dir.path().join(project),
        ..Default::default()
    };
    let streamed = naleving::engine::check(&options("naleving.yaml"));
    assert_eq!(streamed.problems.len(), 0, "{:?}", streamed.problems);
    // Everything streams: regios, then meldingen (which looks keys up in
    // regios), then steekproef (which looks keys up in meldingen).
    assert_eq!(streamed.dataset.streamed.get("meldingen"), Some(&20_000));
    assert_eq!(streamed.dataset.streamed.get("steekproef"), Some(&3));
    assert!(streamed.dataset.collections.values().all(Vec::is_empty));
    let by_key = streamed.dataset.index("meldingen", None).unwrap();
    assert_eq!(by_key.len(), 20_000);
    assert!(by_key.contains(&ids[12_345]));
    let by_region = streamed.dataset.index("meldingen", Some("regio")).unwrap();
    assert!(by_region.contains("Twente") && !by_region.contains("Atlantis"));
    // Here meldingen stay in memory; steekproef still streams, its keys
    // looked up in an index of the resident meldingen.
    let resident = naleving::engine::check(&options("resident.yaml"));
    assert_eq!(resident.problems.len(), 0, "{:?}", resident.problems);
    assert!(!resident.dataset.streamed.contains_key("meldingen"));
    assert_eq!(resident.dataset.records("meldingen").len(), 20_000);
    assert!(resident.dataset.streamed.contains_key("steekproef"));

    let found = |run: &naleving::engine::Run, id: &str| -> Vec<(String, String, u32)> {
        run.findings
            .iter()
            .filter(|f| f.rule == id)
            .map(|f| (f.record.clone(), f.message.to_string(), f.location.line))
            .collect()
    };
    for id in ["melding-bestaat", "regio-bestaat"] {
        let dangling = found(&streamed, id);
        assert_eq!(dangling.len(), 1, "{id}: {dangling:?}");
        assert_eq!(dangling[0].0, "s3");
        assert_eq!(dangling, found(&resident, id), "{id}");
    }
    let unknown_region = found(&streamed, "regio-bekend");
    assert_eq!(unknown_region.len(), in_drenthe);
    assert_eq!(unknown_region, found(&resident, "regio-bekend"));
    let duplicates = found(&streamed, "dubbele-melding");
    assert!(duplicates.len() > 5, "too few duplicates to compare");
    assert_eq!(duplicates, found(&resident, "dubbele-melding"));
}

/// The rules over meldingen (per-record and aggregate alike) stream the
/// collection through in batches (20,000 meldingen are several batches).
/// The findings, their places on fields and the per-rule counts are those
/// of a run that keeps every record.
#[test]
fn streamed_and_resident_runs_agree() {
    let dir = twenty_thousand_meldingen();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let compared = [
        "veiligheidsbeoordeling-te-laat",
        "terugkoppeling-ontbreekt",
        "onderzoek-te-laat",
        "veiligheidsbeoordeling-norm-regio",
        "onderzoek-norm-regio",
        "dubbele-melding",
    ];
    std::fs::write(dir.path().join("rules/dubbele-melding.yaml"), UNIQUE_RULE).unwrap();
    for id in &compared[..5] {
        std::fs::copy(
            root().join(format!("rules/veilig-thuis/{id}.yaml")),
            dir.path().join(format!("rules/{id}.yaml")),
        )
        .unwrap();
    }
    two_projects(dir.path());

    let (_, resident) = json_report(dir.path(), &["--project", "resident.yaml"]);
    let (_, streamed) = json_report(dir.path(), &[]);
    assert_eq!(streamed["problems"], json!([]));
    let of_rules = |report: &Value| -> (Vec<Value>, Vec<Value>) {
        let keep = |v: &&Value, key: &str| compared.contains(&v[key].as_str().unwrap());
        (
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| keep(f, "rule"))
                .cloned()
                .collect(),
            report["rules"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| keep(r, "id"))
                .cloned()
                .collect(),
        )
    };
    let (resident, streamed) = (of_rules(&resident), of_rules(&streamed));
    assert!(resident.0.len() > 1000, "too few findings to compare");
    for &id in NORM_RULES.iter().chain(&["dubbele-melding"]) {
        let found =
            |report: &(Vec<Value>, Vec<Value>)| report.0.iter().filter(|f| f["rule"] == id).count();
        assert!(found(&resident) > 5, "too few {id} findings to compare");
        assert_eq!(found(&resident), found(&streamed), "{id}");
    }
    // Field placement happened in the streamed run too.
    assert!(streamed.0.iter().any(|f| f["field"].is_string()));
    assert!(resident == streamed, "the streamed run differs");
}

/// A streamed aggregate fails where the resident one fails, in the same
/// words: a record without a period is not judged, and a group where a
/// `let`'s condition errs on a record (a missing field; a term CEL's
/// `add_term` refuses) is not judged, named by its first such record; the
/// other group is judged.
#[test]
fn streamed_aggregates_fail_like_resident_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for (n, regio) in ["A", "B", "C"].iter().cycle().take(30).enumerate() {
        lines.push(format!(
            r#"{{"id":"m{n}","regio":"{regio}","ontvangen_op":"2020-03-{:02}","termijn":"5 werkdagen","beoordeeld_op":"2020-04-01"}}"#,
            n % 28 + 1
        ));
    }
    // No date, so no period; no `beoordeeld_op` in B; a bad term in C.
    lines[3] = r#"{"id":"m3","regio":"A","ontvangen_op":"2020-3-9"}"#.to_string();
    lines[4] = r#"{"id":"m4","regio":"B","ontvangen_op":"2020-03-05","termijn":"5 werkdagen"}"#
        .to_string();
    lines[8] =
        r#"{"id":"m8","regio":"C","ontvangen_op":"2020-03-09","termijn":"vijf uren","beoordeeld_op":"2020-04-01"}"#
            .to_string();
    std::fs::write(dir.path().join("meldingen.jsonl"), lines.join("\n") + "\n").unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/norm.yaml"),
        "id: norm\ntitle: Norm\nseverity: warning\nbasis: [{ citation: t }]\ncollection: meldingen\ncheck:\n  aggregate:\n\
         \x20   group_by: [regio]\n    period: { field: ontvangen_op, per: half_year }\n    let:\n\
         \x20     totaal: records.size()\n\
         \x20     op_tijd: records.filter(r, r.beoordeeld_op <= add_term(r.ontvangen_op, r.termijn)).size()\n\
         \x20   expr: op_tijd * 100 >= totaal * 90\n",
    )
    .unwrap();
    two_projects(dir.path());

    let (_, resident) = json_report(dir.path(), &["--project", "resident.yaml"]);
    let (_, streamed) = json_report(dir.path(), &[]);
    let norm = |report: &Value| -> Vec<Value> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "norm")
            .cloned()
            .collect()
    };
    assert_eq!(
        norm(&resident).len(),
        1,
        "group A misses the norm: {resident:#}"
    );
    assert_eq!(norm(&resident), norm(&streamed));
    // One problem per cause, each on its first record with the advice that
    // fits: group B's count failed on a missing field (m1), group C's on a
    // term that does not parse (m2), m3 has no date for its period.
    let problems: Vec<(&str, &str)> = streamed["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["message"].as_str().unwrap(), p["help"].as_str().unwrap()))
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].0.contains("could not judge record `m1`: `let op_tijd` failed for group regio=B, periode=2020-H1: No such key"), "{problems:#?}");
    assert!(
        problems[0]
            .1
            .starts_with("guard optional fields with `has(record.field)`")
    );
    assert!(
        problems[1].0.contains("could not judge record `m2`"),
        "{problems:#?}"
    );
    assert!(problems[1].1.starts_with("the rule's expression failed"));
    assert!(
        problems[2]
            .0
            .contains("could not judge record `m3`: `ontvangen_op` is missing or not a date"),
        "{problems:#?}"
    );
    assert!(problems[2].1.starts_with("write dates as YYYY-MM-DD"));
    assert_eq!(resident["problems"], streamed["problems"]);
    assert_eq!(resident["rules"][1], streamed["rules"][0]);
}
