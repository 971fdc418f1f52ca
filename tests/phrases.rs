//! `phrases:` in the project file: a due phrase the project reads as one
//! naleving knows, applied by the `deadline` check and `naleving termijn`,
//! and named in the finding (issue 19).

use crate::support::{json_report, naleving_in, run};

/// A project whose promises are due "voor de zomer" (declared), "rond de
/// jaarwisseling" (declared, as a term) or "binnenkort" (not declared).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        "as_of: 2021-01-15\n\
         collections:\n  toezeggingen: { path: toezeggingen.jsonl, key: nummer }\n\
         rules: [rules]\n\
         phrases:\n  \
           \"Voor de zomer\":\n    \
             means: \"voor het zomerreces\"\n    \
             reason: \"de Kamer leest 'voor de zomer' als voor het zomerreces (brief 2020-03-12)\"\n  \
           rond de jaarwisseling: { means: twee weken, reason: conventie van de auditor }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("toezeggingen.jsonl"),
        "{\"nummer\": \"a\", \"gedaan_op\": \"2020-01-30\", \"termijn\": \"voor de zomer\", \"nagekomen_op\": \"2020-09-01\"}\n\
         {\"nummer\": \"b\", \"gedaan_op\": \"2020-01-30\", \"termijn\": \"binnenkort\", \"nagekomen_op\": null}\n\
         {\"nummer\": \"c\", \"gedaan_op\": \"2020-12-20\", \"termijn\": \"rond de jaarwisseling\", \"nagekomen_op\": \"2021-01-05\"}\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(
        root.join("rules/toezegging-te-laat.yaml"),
        "id: toezegging-te-laat\ntitle: t\nseverity: error\ncollection: toezeggingen\n\
         check:\n  deadline: { start: gedaan_op, end: nagekomen_op, due: termijn }\n\
         basis: [{ citation: \"de toezegging\" }]\n",
    )
    .unwrap();
    dir
}

/// The finding of a declared phrase names the reading and its reason; an
/// undeclared phrase is still `termijn::onbekend`.
#[test]
fn a_declared_reading_is_applied_and_named() {
    let dir = project();
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let findings = report["findings"].as_array().unwrap();
    let of = |record: &str| {
        findings
            .iter()
            .find(|f| f["record"] == record)
            .unwrap_or_else(|| panic!("no finding for {record}: {report:#}"))
    };
    let read = &of("a")["details"];
    assert_eq!(read["due"], "2020-07-02", "{read:#}");
    assert_eq!(read["term"], "voor de zomer");
    assert_eq!(
        read["reading"],
        serde_json::json!({
            "phrase": "Voor de zomer",
            "means": "voor het zomerreces",
            "reason": "de Kamer leest 'voor de zomer' als voor het zomerreces (brief 2020-03-12)",
        })
    );
    assert!(
        read["explanation"]
            .as_str()
            .unwrap()
            .starts_with("`Voor de zomer` gelezen als `voor het zomerreces`"),
        "{read:#}"
    );
    // A reading may mean a term: two weeks from Sunday 20 December 2020,
    // Sunday 3 January 2021, run on to Monday 4 January by the Atw.
    let term = &of("c")["details"];
    assert_eq!(term["due"], "2021-01-04", "{term:#}");
    assert_eq!(term["reading"]["means"], "twee weken");
    // Not declared: unknown, as before.
    let unknown = &of("b")["details"];
    assert_eq!(unknown["code"], "termijn::onbekend", "{unknown:#}");
    assert!(unknown.get("reading").is_none());
    assert_eq!(findings.len(), 3);
}

/// The human report shows the reading as a fact, once, in the report's
/// language.
#[test]
fn the_human_report_shows_the_reading() {
    let dir = project();
    let (code, out, stderr) =
        run(naleving_in(dir.path()).args(["check", "--rule", "toezegging-te-laat"]));
    assert_eq!(code, 1, "{out}\n{stderr}");
    let line = "gelezen als: voor het zomerreces (lezing van het project: de Kamer leest 'voor de zomer' als voor het zomerreces (brief 2020-03-12))";
    // The report wraps long facts: compare the words.
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(line), "{line:?} in:\n{out}");
    assert_eq!(out.matches("brief 2020-03-12").count(), 1, "{out}");
    let (_, english, _) = run(naleving_in(dir.path()).args(["check", "--lang", "en"]));
    assert!(
        english.contains("read as: voor het zomerreces (the project's reading: "),
        "{english}"
    );
}

/// `naleving termijn` reads the project's phrases too.
#[test]
fn termijn_applies_the_reading_of_the_project() {
    let dir = project();
    let (code, out, stderr) =
        run(naleving_in(dir.path()).args(["termijn", "2020-01-30", "voor de zomer"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(out.starts_with("2020-07-02\n`Voor de zomer` gelezen als `voor het zomerreces` (lezing van het project: de Kamer leest"), "{out}");
    // With a year: the reading's target in that year.
    let (code, out, stderr) =
        run(naleving_in(dir.path()).args(["termijn", "2020-01-30", "voor de zomer van 2021"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        out.starts_with("2021-07-08\n`Voor de zomer 2021` gelezen als `voor het zomerreces 2021`"),
        "{out}"
    );
    // Without the project: unknown.
    let elsewhere = tempfile::tempdir().unwrap();
    let (code, _, stderr) =
        run(naleving_in(elsewhere.path()).args(["termijn", "2020-01-30", "voor de zomer"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("termijn::onbekend"), "{stderr}");
}

/// A bad reading stops the run, located in the project file, with the
/// closest known form.
#[test]
fn a_bad_reading_is_a_located_problem() {
    let dir = project();
    crate::support::append_to_project(
        dir.path(),
        "  na de zomer: { means: voor het zomereces, reason: x }\n",
    );
    let (code, problems) = crate::support::problems_of(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        problems,
        [(
            "project::phrases".to_string(),
            "phrase `na de zomer` means `voor het zomereces`, which naleving cannot read: unknown due phrase `voor het zomereces`".to_string(),
            10,
            25,
        )]
    );
}
