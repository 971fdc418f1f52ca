//! `naleving termijn`: the deadline calculator, with the brief's worked cases.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{json_report, naleving, naleving_in, run};

#[test]
fn five_working_days_over_whit_monday() {
    // BRIEF: a melding received Friday 29 May 2020 is due Monday 8 June 2020,
    // because 1 June was Tweede Pinksterdag.
    assert_cmd_snapshot!(naleving().args(["termijn", "2020-05-29", "5 werkdagen"]));
}

#[test]
fn json_form() {
    assert_cmd_snapshot!(naleving().args(["termijn", "2020-05-29", "5 werkdagen", "--json"]));
}

#[test]
fn before_the_summer_recess() {
    let (code, stdout, _) = run(naleving().args(["termijn", "2020-01-30", "voor het zomerreces"]));
    assert_eq!(code, 0);
    assert!(stdout.starts_with("2020-07-02\n"), "{stdout}");
}

#[test]
fn days_fixed_by_law_and_counts_in_words() {
    let first_line = |args: &[&str]| {
        let (code, stdout, stderr) = run(naleving().args(args));
        assert_eq!(code, 0, "{stderr}");
        stdout.lines().next().unwrap_or_default().to_string()
    };
    // Grondwet art. 65: Prinsjesdag 2021 was Tuesday 21 September.
    assert_eq!(
        first_line(&["termijn", "2021-03-01", "voor Prinsjesdag 2021"]),
        "2021-09-20"
    );
    // Comptabiliteitswet 2016 art. 2.37 lid 2: Wednesday 18 May 2022.
    assert_eq!(
        first_line(&["termijn", "2021-03-01", "uiterlijk Verantwoordingsdag 2022"]),
        "2022-05-18"
    );
    assert_eq!(
        first_line(&["termijn", "2020-01-30", "drie maanden"]),
        first_line(&["termijn", "2020-01-30", "3 maanden"])
    );
}

#[test]
fn calendar_terms_use_the_atw() {
    assert_cmd_snapshot!(naleving().args(["termijn", "2020-04-30", "3 dagen"]));
    let (_, plain, _) = run(naleving().args(["termijn", "2020-04-30", "3 dagen", "--no-atw"]));
    assert!(plain.starts_with("2020-05-03\n"), "{plain}");
}

#[test]
fn unknown_phrase_and_missing_recess_data_are_errors() {
    assert_cmd_snapshot!(naleving().args(["termijn", "2020-06-26", "binnenkort"]));
    let (code, _, stderr) =
        run(naleving().args(["termijn", "2020-06-26", "voor het voorjaarsreces 2021"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("termijn::onbekend"), "{stderr}");
}

/// A project whose rule has a term in an unknown unit and whose calendar
/// file has a recess that ends before it starts: two calendar problems.
fn project_with_calendar_problems() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("naleving.yaml"),
        "as_of: 2021-01-15\ncalendar: nl\ncalendar_extend: [kalender.yaml]\n\
         collections:\n  meldingen: { path: meldingen.csv, key: id }\nrules: [rules]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("meldingen.csv"),
        "id,ontvangen_op,afgehandeld_op\na,2020-06-01,2020-06-05\n",
    )
    .unwrap();
    std::fs::write(
        root.join("kalender.yaml"),
        "recesses:\n  - { name: meireces, year: 2029, start: 2029-04-20, end: 2029-04-01, source: x }\n",
    )
    .unwrap();
    std::fs::create_dir(root.join("rules")).unwrap();
    std::fs::write(
        root.join("rules/afhandeling-te-laat.yaml"),
        "id: afhandeling-te-laat\ntitle: t\nseverity: error\ncollection: meldingen\n\
         check:\n  deadline: { start: ontvangen_op, end: afgehandeld_op, term: 5 uren }\n\
         basis: [{ citation: \"Awb, art. 4:13\" }]\n",
    )
    .unwrap();
    dir
}

/// The calendar's problems read in Dutch in the human report by default,
/// and in English with `--lang en` (as in the JSON report).
#[test]
fn calendar_problems_follow_the_language() {
    let dir = project_with_calendar_problems();
    let (code, dutch, stderr) = run(naleving_in(dir.path()).arg("check"));
    assert_eq!(code, 2, "{dutch}\n{stderr}");
    for line in [
        "  × meireces 2029 eindigt op 2029-04-01, vóór de begindatum 2029-04-20",
        "  hulp: `end` is de laatste dag van het reces, `start` de eerste",
        "  × ongeldige termijn: onbekende eenheid `uren` in termijn `5 uren`",
    ] {
        assert!(dutch.lines().any(|l| l == line), "{line:?} in:\n{dutch}");
    }
    let (code, english, stderr) = run(naleving_in(dir.path()).args(["check", "--lang", "en"]));
    assert_eq!(code, 2, "{english}\n{stderr}");
    for line in [
        "  × meireces 2029 ends on 2029-04-01, before it starts on 2029-04-20",
        "  help: `end` is the last day of the recess, `start` the first",
        "  × invalid term: unknown unit `uren` in term `5 uren`",
    ] {
        assert!(
            english.lines().any(|l| l == line),
            "{line:?} in:\n{english}"
        );
    }
    // The JSON report keeps English whatever the language.
    let (_, report) = json_report(dir.path(), &[]);
    let messages: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "meireces 2029 ends on 2029-04-01, before it starts on 2029-04-20",
            "invalid term: unknown unit `uren` in term `5 uren`",
        ]
    );
}
