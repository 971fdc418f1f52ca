//! `naleving termijn`: the deadline calculator, with the brief's worked cases.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{naleving, run};

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
