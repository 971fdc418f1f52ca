//! Engine micro-benchmarks: loading a JSONL collection (and serde_json alone on
//! the same lines, the floor), one expression on one
//! record (the native fast path and the CEL path), and each check kind over
//! 20,000 synthetic meldingen (loaded once; only the rule is timed).
//!
//! `cargo bench --bench engine` (filter: `cargo bench --bench engine -- check/`)

// A benchmark that cannot set up may stop loudly; criterion's macros
// generate undocumented functions.
#![allow(clippy::panic, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use naleving::data::{self, Dataset};
use naleving::engine::{RunCx, calendar, evaluate};
use naleving::expr::{Env, compile};
use naleving::plugin::Plugins;
use naleving::problem::Problems;
use naleving::project::{self, Project};
use naleving::rule::{LoadedRules, load_rules};

const RECORDS: usize = 20_000;
const REGIOS: [&str; 5] = ["Haaglanden", "Utrecht", "Zeeland", "Drenthe", "Twente"];

/// One rule per check kind, over `meldingen`.
const RULES: &[(&str, &str)] = &[
    (
        "required",
        "required: { fields: [id, regio, soort, ontvangen_op] }",
    ),
    (
        "expr-native",
        r#"expr: record.soort in ["melding", "advies"] && record.ontvangen_op >= "2019-01-01""#,
    ),
    (
        "expr-cel",
        "expr: size(record.id) > 3 && year(record.ontvangen_op) >= 2019",
    ),
    (
        "deadline",
        "deadline: { start: ontvangen_op, end: beoordeeld_op, term: 5 werkdagen }",
    ),
    ("reference", "reference: { field: regio, to: regios }"),
    ("unique", "unique: { fields: [id] }"),
    (
        "steps",
        "steps: { in: stappen, order: [signalen, wegen, beslissen], complete: false }",
    ),
    (
        "aggregate",
        r#"aggregate:
    group_by: [regio]
    period: { field: ontvangen_op, per: half_year }
    let:
      totaal: records.size()
      op_tijd: records.filter(r, has(r.beoordeeld_op) && r.beoordeeld_op <= add_term(r.ontvangen_op, '5 werkdagen')).size()
    expr: totaal == 0 || op_tijd * 100 >= totaal * 90"#,
    ),
];

/// A date in 2020 from a day number.
fn day(n: usize) -> String {
    let date = jiff::civil::date(2020, 1, 1)
        .checked_add(jiff::Span::new().days((n % 360) as i64))
        .unwrap();
    date.to_string()
}

/// Writes a project with `RECORDS` meldingen and one rule file per kind.
fn write_project(dir: &Path) {
    let mut lines = String::new();
    for i in 0..RECORDS {
        let received = day(i / 60);
        let assessed = day(i / 60 + 2 + i % 9);
        lines.push_str(&format!(
            r#"{{"id":"VT-{i:06}","regio":"{}","soort":"{}","ontvangen_op":"{received}","beoordeeld_op":"{assessed}","melder":"politie","stappen":{{"signalen":"{received}","wegen":"{assessed}","beslissen":"{}"}}}}"#,
            REGIOS[i % REGIOS.len()],
            if i % 2 == 0 { "melding" } else { "advies" },
            day(i / 60 + 1),
        ));
        lines.push('\n');
    }
    std::fs::write(dir.join("meldingen.jsonl"), lines).unwrap();
    let regios: String = REGIOS.iter().map(|r| format!("- naam: {r}\n")).collect();
    std::fs::write(dir.join("regios.yaml"), regios).unwrap();
    std::fs::write(
        dir.join("naleving.yaml"),
        "as_of: 2021-01-15\ncollections:\n  meldingen: { path: meldingen.jsonl, key: id }\n  \
         regios: { path: regios.yaml, key: naam }\nrules: [rules]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    for (kind, check) in RULES {
        std::fs::write(
            dir.join(format!("rules/{kind}.yaml")),
            format!(
                "id: {kind}\ntitle: {kind}\nseverity: error\ncollection: meldingen\n\
                 check:\n  {check}\nbasis:\n  - citation: benchmark\n"
            ),
        )
        .unwrap();
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    project: Project,
    rules: LoadedRules,
    dataset: Dataset,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path());
    let mut problems = Problems::default();
    let project = project::load(&dir.path().join("naleving.yaml"), &mut problems).unwrap();
    let rules = load_rules(
        &project.root,
        &project.rules,
        Some(&project.collections),
        &mut problems,
    );
    let collections: Vec<_> = project.collections.values().collect();
    let dataset = data::load(
        &project.root,
        &collections,
        &Default::default(),
        false,
        &mut problems,
    );
    let problems = problems.into_sorted();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(rules.rules.len(), RULES.len());
    Fixture {
        _dir: dir,
        project,
        rules,
        dataset,
    }
}

fn loading(c: &mut Criterion) {
    let fx = fixture();
    let meldingen = &fx.project.collections["meldingen"];
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.sample_size(20);
    group.bench_function("jsonl", |b| {
        b.iter(|| {
            let mut problems = Problems::default();
            black_box(data::load(
                &fx.project.root,
                &[meldingen],
                &Default::default(),
                false,
                &mut problems,
            ))
        })
    });
    // The floor: serde_json alone, one line at a time, into the same values.
    let text = std::fs::read(fx.project.root.join("meldingen.jsonl")).unwrap();
    group.bench_function("serde_json-only", |b| {
        b.iter(|| {
            let values: Vec<serde_json::Value> = text
                .split(|&b| b == b'\n')
                .filter(|line| !line.is_empty())
                .map(|line| serde_json::from_slice(line).unwrap())
                .collect();
            black_box(values)
        })
    });
    group.finish();
}

fn expressions(c: &mut Criterion) {
    let fx = fixture();
    let record = &fx.dataset.records("meldingen")[0].fields;
    let env = Env::new(
        jiff::civil::date(2021, 1, 15),
        Arc::new(naleving::calendar::Calendar::nl().unwrap()),
        None,
    );
    let mut group = c.benchmark_group("expr");
    for (name, source) in [
        (
            "native",
            r#"record.soort in ["melding", "advies"] && has(record.melder) && record.ontvangen_op <= record.beoordeeld_op"#,
        ),
        (
            "cel",
            r#"size(record.soort) > 0 && has(record.melder) && record.ontvangen_op <= record.beoordeeld_op"#,
        ),
        (
            "add_term",
            r#"record.beoordeeld_op <= add_term(record.ontvangen_op, "5 werkdagen")"#,
        ),
    ] {
        let expr = compile(source).unwrap();
        assert_eq!(expr.eval_bool(&env, record), Ok(true), "{source}");
        group.bench_function(name, |b| {
            b.iter(|| black_box(expr.eval_bool(&env, black_box(record))))
        });
    }
    group.finish();
}

fn checks(c: &mut Criterion) {
    let fx = fixture();
    let mut problems = Problems::default();
    let calendar = Arc::new(calendar(&fx.project, &mut problems));
    let plugins = Plugins::default();
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.sample_size(10);
    for (kind, _) in RULES {
        let rule = fx.rules.rules.iter().find(|r| r.id == *kind).unwrap();
        group.bench_function(*kind, |b| {
            b.iter(|| {
                let mut problems = Problems::default();
                let run = RunCx {
                    as_of: jiff::civil::date(2021, 1, 15),
                    calendar: Arc::clone(&calendar),
                    plugins: &plugins,
                    group_by: None,
                    push_down: false,
                    digest_data: false,
                };
                let (findings, _) = evaluate(&[rule], &fx.dataset, &run, &mut (), &mut problems);
                black_box(findings)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, loading, expressions, checks);
criterion_main!(benches);
