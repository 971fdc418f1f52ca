//! Deadlines: what a [`Term`] from a start date comes to, with the
//! Algemene termijnenwet applied and every skipped day explained (SPEC §7).
//!
//! The start day is day 0 and a term ends at the end of its last day.
//!
//! - `N werkdagen`: the N-th working day after the start date. The due date
//!   is a working day by construction, so the Algemene termijnenwet has
//!   nothing to add.
//! - `N dagen` / `N weken` / `N maanden` / `N jaar`: start + N days, 7N
//!   days, N calendar months or N years (clamped to the last day of a
//!   shorter month: one month after 31 January is 28 or 29 February). This
//!   is the *plain* due date. Then the Atw extends it, unless the term is
//!   longer than 90 days, 12 weeks or 3 months (art. 4; so never for a
//!   term in years) or the rule says `atw: false`:
//!   - art. 1: a term ending on a Saturday, Sunday or feestdag runs on to
//!     the end of the next working day;
//!   - art. 2: a term of 3 days or more is extended, where needed, until it
//!     contains at least 2 working days after the start day.
//!
//! Both articles only ever extend, and the result must satisfy both. We
//! apply art. 1 first and art. 2 to its result. The order does not change
//! the outcome: either way the due date is the earliest working day on or
//! after the plain date that leaves 2 working days in the term, because
//! art. 2 always extends to a working day. The flags of [`AtwOutcome`]
//! report which article changed the date in that order.

use std::fmt;

use jiff::Span;
use jiff::civil::Date;
use miette::Diagnostic;

use super::dutch::long_date;
use super::phrase::{PhraseError, resolve_phrase};
use super::reading::{self, Reading};
use super::term::{Term, TermError, Unit, looks_like_term};
use super::{Calendar, TermijnCode};
use crate::text::Text;
use crate::tr;

/// A non-working day that moved or extended a deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The day.
    pub date: Date,
    /// Why it is not a working day ("zaterdag", "Tweede Pinksterdag").
    pub reason: String,
}

/// What the Algemene termijnenwet did to a deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AtwOutcome {
    /// The Atw does not apply; `reason` says why ("atw: false", "termijn
    /// langer dan 12 weken (Atw art. 4)", "termijn in werkdagen").
    NotApplicable {
        /// Why not, in Dutch.
        reason: String,
    },
    /// The Atw applies; the flags say which articles changed the date.
    Applied {
        /// Art. 1 moved a due date on a non-working day to the next
        /// working day.
        art1_moved: bool,
        /// Art. 2 extended the term (after art. 1) to contain 2 working
        /// days.
        art2_extended: bool,
    },
}

/// A computed deadline and how it came about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// The start date (day 0).
    pub start: Date,
    /// The last day of the term: a deadline is met when the act happens on
    /// or before this day.
    pub due: Date,
    /// The due date before any Atw extension (for werkdagen and phrases:
    /// equal to `due`).
    pub plain: Date,
    /// What the Atw did.
    pub atw: AtwOutcome,
    /// Every non-working day that moved or extended the deadline, in date
    /// order. For werkdagen: the non-working days passed over between the
    /// start and the due date. For phrases: empty.
    pub skipped: Vec<Skipped>,
    /// The computation in one Dutch sentence, for reports.
    pub explanation: String,
    /// The project's reading of the due phrase, when one was applied
    /// ([`super::reading`]): the phrase, what it was read as, and why.
    pub reading: Option<Reading>,
}

impl Term {
    /// The deadline of this term from `start`; `atw: false` turns the Atw
    /// off (plain calendar arithmetic).
    ///
    /// Dates past 9999-12-31 cannot be represented; a term that reaches
    /// beyond ends there.
    pub fn due(&self, cal: &Calendar, start: Date, atw: bool) -> Due {
        match self.unit {
            Unit::Werkdagen => self.due_in_workdays(cal, start),
            Unit::Dagen | Unit::Weken | Unit::Maanden | Unit::Jaren => {
                self.due_in_calendar_time(cal, start, atw)
            }
        }
    }

    fn due_in_workdays(&self, cal: &Calendar, start: Date) -> Due {
        let mut day = start;
        let mut counted = 0;
        let mut skipped = Vec::new();
        while counted < self.n {
            let Ok(next) = day.tomorrow() else { break };
            day = next;
            if cal.is_workday(day) {
                counted += 1;
            } else {
                skipped.push(skip(cal, day));
            }
        }
        Due {
            start,
            due: day,
            plain: day,
            atw: AtwOutcome::NotApplicable {
                reason: "termijn in werkdagen".to_string(),
            },
            skipped,
            explanation: format!("{self} na {}: {}", long_date(start), long_date(day)),
            reading: None,
        }
    }

    /// Start + N days, 7N days, N months or N years (clamped), saturating at the
    /// last representable date. Meaningless for werkdagen, which never get
    /// here.
    fn calendar_due(&self, start: Date) -> Date {
        let n = i64::from(self.n);
        let span = match self.unit {
            Unit::Werkdagen | Unit::Dagen => Span::new().try_days(n),
            Unit::Weken => Span::new().try_days(n * 7),
            Unit::Maanden => Span::new().try_months(n),
            Unit::Jaren => Span::new().try_years(n),
        };
        span.and_then(|span| start.checked_add(span))
            .unwrap_or(Date::MAX)
    }

    fn due_in_calendar_time(&self, cal: &Calendar, start: Date, atw: bool) -> Due {
        let plain = self.calendar_due(start);
        let head = format!("{self} na {}: {}", long_date(start), long_date(plain));
        let not_applicable = if !atw {
            Some("atw: false".to_string())
        } else {
            self.unit.atw_excluded(self.n)
        };
        if let Some(reason) = not_applicable {
            return Due {
                start,
                due: plain,
                plain,
                explanation: format!("{head} (Atw niet van toepassing: {reason})"),
                atw: AtwOutcome::NotApplicable { reason },
                skipped: Vec::new(),
                reading: None,
            };
        }

        // Art. 1: run on to the next working day.
        let mut due = plain;
        while !cal.is_workday(due) {
            let Ok(next) = due.tomorrow() else { break };
            due = next;
        }
        let art1_moved = due != plain;

        // Art. 2: a term of 3 days or more holds at least 2 working days
        // after the start day.
        let length = start
            .until(plain)
            .map(|span| span.get_days())
            .unwrap_or(i32::MAX);
        let mut art2_extended = false;
        if length >= 3 {
            let mut working = cal.workdays_between(start, due);
            while working < 2 {
                let Some(next) = next_workday(cal, due) else {
                    break;
                };
                due = next;
                working += 1;
                art2_extended = true;
            }
        }

        // The days to show: those art. 2 counted against the term (every
        // non-working day inside it), or those art. 1 stepped over.
        let skipped = if art2_extended {
            non_working_days(cal, start, due)
        } else if art1_moved {
            let before_plain = plain.yesterday().unwrap_or(plain);
            non_working_days(cal, before_plain, due)
        } else {
            Vec::new()
        };

        let mut explanation = head;
        if art1_moved {
            let reason = cal.non_working_reason(plain).unwrap_or_default();
            explanation.push_str(&format!(
                " ({reason}); verlengd tot de volgende werkdag (Atw art. 1)"
            ));
        }
        if art2_extended {
            explanation.push_str(
                "; verlengd tot de termijn twee werkdagen na de begindag bevat (Atw art. 2)",
            );
        }
        if art1_moved || art2_extended {
            explanation.push_str(&format!(": {}", long_date(due)));
        }
        Due {
            start,
            due,
            plain,
            atw: AtwOutcome::Applied {
                art1_moved,
                art2_extended,
            },
            skipped,
            explanation,
            reading: None,
        }
    }
}

/// The first working day after `day`.
fn next_workday(cal: &Calendar, day: Date) -> Option<Date> {
    let mut day = day.tomorrow().ok()?;
    while !cal.is_workday(day) {
        day = day.tomorrow().ok()?;
    }
    Some(day)
}

/// The non-working days in `(after, before)`, both ends excluded.
fn non_working_days(cal: &Calendar, after: Date, before: Date) -> Vec<Skipped> {
    let mut days = Vec::new();
    let mut day = after;
    while let Ok(next) = day.tomorrow() {
        if next >= before {
            break;
        }
        day = next;
        if !cal.is_workday(day) {
            days.push(skip(cal, day));
        }
    }
    days
}

fn skip(cal: &Calendar, date: Date) -> Skipped {
    Skipped {
        date,
        reason: cal
            .non_working_reason(date)
            .unwrap_or_else(|| "geen werkdag".to_string()),
    }
}

/// Why `naleving termijn` or a `deadline` check could not resolve a term
/// or phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermijnError {
    /// The text has the shape of a term but is not a valid one.
    Term(TermError),
    /// The text is not a term and not a phrase we can resolve.
    Phrase(PhraseError),
    /// The project reads the phrase as another ([`Reading`]), and that one
    /// cannot be resolved: `cause` says why.
    Reading {
        /// The reading that was applied.
        reading: Box<Reading>,
        /// Why its target could not be resolved.
        cause: Box<TermijnError>,
    },
}

impl TermijnError {
    /// What is wrong, in either language: the term's or the phrase's own
    /// message.
    pub fn text(&self) -> Text {
        match self {
            TermijnError::Term(err) => err.text(),
            TermijnError::Phrase(err) => err.text(),
            TermijnError::Reading { reading, cause } => tr!(
                "`{phrase}` is read as `{means}` by the project ({reason}): {cause}",
                phrase = &reading.phrase,
                means = &reading.means,
                reason = &reading.reason,
                cause = cause.text()
            ),
        }
    }

    /// How to fix it.
    pub fn help_text(&self) -> Text {
        match self {
            TermijnError::Term(err) => err.help_text(),
            TermijnError::Phrase(err) => err.help_text(),
            TermijnError::Reading { cause, .. } => cause.help_text(),
        }
    }

    /// The problem code (`termijn::*`).
    pub fn problem_code(&self) -> TermijnCode {
        match self {
            TermijnError::Term(err) => err.problem_code(),
            TermijnError::Phrase(err) => err.problem_code(),
            TermijnError::Reading { cause, .. } => cause.problem_code(),
        }
    }
}

impl From<TermError> for TermijnError {
    fn from(err: TermError) -> Self {
        TermijnError::Term(err)
    }
}

impl From<PhraseError> for TermijnError {
    fn from(err: PhraseError) -> Self {
        TermijnError::Phrase(err)
    }
}

/// The English message.
impl fmt::Display for TermijnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl std::error::Error for TermijnError {}

impl Diagnostic for TermijnError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.problem_code().as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_text().en()))
    }
}

/// Resolves `text`, a term or a due phrase, relative to `start`.
///
/// A phrase the project reads otherwise ([`Calendar::reading`]) is read so
/// first: its target is resolved as below, and the [`Due`] carries the
/// reading (`Due::reading`, and in its explanation).
/// A term ("5 werkdagen", also "drie maanden": [`Term::read`]) runs from
/// `start` as [`Term::due`] computes it.
/// Anything else is a due phrase ("voor het zomerreces", "eind dit jaar"),
/// resolved with `start` as the date the commitment was made: a year-less
/// recess phrase means the first such recess starting after `start`. For a
/// phrase, `skipped` is empty and the Atw does not apply.
pub fn resolve_termijn(
    start: Date,
    text: &str,
    cal: &Calendar,
    atw: bool,
) -> Result<Due, TermijnError> {
    match cal.reading(text) {
        Some(declared) => reading::apply(&declared, start, cal, atw),
        None => resolve_unread(start, text, cal, atw),
    }
}

/// [`resolve_termijn`] without the project's readings: the target of a
/// reading is never read again, so readings do not chain.
pub(super) fn resolve_unread(
    start: Date,
    text: &str,
    cal: &Calendar,
    atw: bool,
) -> Result<Due, TermijnError> {
    if looks_like_term(text) {
        let term = Term::read(text)?;
        return Ok(term.due(cal, start, atw));
    }
    let phrase = resolve_phrase(text, Some(start), cal)?;
    Ok(Due {
        start,
        due: phrase.due,
        plain: phrase.due,
        atw: AtwOutcome::NotApplicable {
            reason: "geen termijn maar een datum uit een omschrijving".to_string(),
        },
        skipped: Vec::new(),
        explanation: phrase.explanation,
        reading: None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::{Weekday, date};
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static NL: LazyLock<Calendar> = LazyLock::new(|| Calendar::nl().expect("embedded data loads"));

    fn term(text: &str) -> Term {
        text.parse().expect("a valid term")
    }

    fn skipped(due: &Due) -> Vec<(String, String)> {
        due.skipped
            .iter()
            .map(|s| (s.date.to_string(), s.reason.clone()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(d, r)| (d.to_string(), r.to_string()))
            .collect()
    }

    /// The brief's worked case: a melding on Friday 29 May 2020, before
    /// Pinksteren, with a term of 5 werkdagen.
    #[test]
    fn five_werkdagen_over_pinksteren() {
        let due = term("5 werkdagen").due(&NL, date(2020, 5, 29), true);
        assert_eq!(due.due, date(2020, 6, 8));
        assert_eq!(due.plain, due.due);
        assert_eq!(due.due.weekday(), Weekday::Monday);
        assert_eq!(
            skipped(&due),
            pairs(&[
                ("2020-05-30", "zaterdag"),
                ("2020-05-31", "zondag"),
                ("2020-06-01", "Tweede Pinksterdag"),
                ("2020-06-06", "zaterdag"),
                ("2020-06-07", "zondag"),
            ])
        );
        assert_eq!(
            due.atw,
            AtwOutcome::NotApplicable {
                reason: "termijn in werkdagen".to_string()
            }
        );
        insta::assert_snapshot!(due.explanation, @"5 werkdagen na vrijdag 29 mei 2020: maandag 8 juni 2020");
    }

    #[test]
    fn werkdagen_from_a_non_working_day() {
        // From Saturday: Sunday is passed over, Monday is the first.
        let due = term("1 werkdag").due(&NL, date(2020, 5, 30), true);
        assert_eq!(
            due.due,
            date(2020, 6, 2),
            "Monday 1 June is Tweede Pinksterdag"
        );
        assert_eq!(
            skipped(&due),
            pairs(&[
                ("2020-05-31", "zondag"),
                ("2020-06-01", "Tweede Pinksterdag")
            ])
        );
    }

    /// Art. 1 and art. 2 together: 3 days from Maundy Thursday end on
    /// Easter Sunday; art. 1 moves past Tweede Paasdag to Tuesday, which
    /// leaves only one working day in the term, so art. 2 extends to
    /// Wednesday.
    #[test]
    fn three_dagen_from_maundy_thursday() {
        let due = term("3 dagen").due(&NL, date(2020, 4, 9), true);
        assert_eq!(due.plain, date(2020, 4, 12));
        assert_eq!(due.due, date(2020, 4, 15));
        assert_eq!(
            due.atw,
            AtwOutcome::Applied {
                art1_moved: true,
                art2_extended: true
            }
        );
        assert_eq!(
            skipped(&due),
            pairs(&[
                ("2020-04-10", "Goede Vrijdag"),
                ("2020-04-11", "zaterdag"),
                ("2020-04-12", "zondag"),
                ("2020-04-13", "Tweede Paasdag"),
            ])
        );
        insta::assert_snapshot!(due.explanation, @"3 dagen na donderdag 9 april 2020: zondag 12 april 2020 (zondag); verlengd tot de volgende werkdag (Atw art. 1); verlengd tot de termijn twee werkdagen na de begindag bevat (Atw art. 2): woensdag 15 april 2020");
    }

    /// Art. 2 alone: 3 days from a Friday end on a Monday, a working day,
    /// but the term then holds one working day only.
    #[test]
    fn three_dagen_from_a_friday() {
        let due = term("3 dagen").due(&NL, date(2020, 6, 5), true);
        assert_eq!(due.plain, date(2020, 6, 8));
        assert_eq!(due.due, date(2020, 6, 9));
        assert_eq!(
            due.atw,
            AtwOutcome::Applied {
                art1_moved: false,
                art2_extended: true
            }
        );
        assert_eq!(
            skipped(&due),
            pairs(&[("2020-06-06", "zaterdag"), ("2020-06-07", "zondag")])
        );
        // Without the Atw, plain arithmetic.
        let plain = term("3 dagen").due(&NL, date(2020, 6, 5), false);
        assert_eq!(plain.due, date(2020, 6, 8));
        assert_eq!(
            plain.atw,
            AtwOutcome::NotApplicable {
                reason: "atw: false".to_string()
            }
        );
        assert!(plain.skipped.is_empty());
    }

    /// Two days is below the art. 2 threshold: only art. 1 applies.
    #[test]
    fn two_dagen_only_art1() {
        let due = term("2 dagen").due(&NL, date(2020, 6, 5), true);
        assert_eq!(due.plain, date(2020, 6, 7));
        assert_eq!(due.due, date(2020, 6, 8));
        assert_eq!(
            due.atw,
            AtwOutcome::Applied {
                art1_moved: true,
                art2_extended: false
            }
        );
        assert_eq!(skipped(&due), pairs(&[("2020-06-07", "zondag")]));
    }

    /// 5 mei is an Atw feestdag every year, not only in lustrum years.
    #[test]
    fn term_ending_on_5_mei() {
        let due = term("5 dagen").due(&NL, date(2020, 4, 30), true);
        assert_eq!(due.plain, date(2020, 5, 5));
        assert_eq!(due.due, date(2020, 5, 6));
        assert_eq!(skipped(&due), pairs(&[("2020-05-05", "Bevrijdingsdag")]));
        let due = term("5 dagen").due(&NL, date(2021, 4, 30), true);
        assert_eq!(
            due.due,
            date(2021, 5, 6),
            "5 May 2021, a Wednesday, counts too"
        );
    }

    #[test]
    fn gelijkgestelde_dag_extends_like_a_feestdag() {
        // 7 days from Friday 8 May 2026 end on Friday 15 May, gelijkgesteld.
        let due = term("7 dagen").due(&NL, date(2026, 5, 8), true);
        assert_eq!(due.plain, date(2026, 5, 15));
        assert_eq!(due.due, date(2026, 5, 18));
        assert_eq!(
            skipped(&due),
            pairs(&[
                (
                    "2026-05-15",
                    "gelijkgesteld bij KB (vrijdag na Hemelvaartsdag)"
                ),
                ("2026-05-16", "zaterdag"),
                ("2026-05-17", "zondag"),
            ])
        );
    }

    #[test]
    fn ten_weken_are_extended() {
        // 70 days from Monday 23 March 2020 is Tweede Pinksterdag.
        let due = term("10 weken").due(&NL, date(2020, 3, 23), true);
        assert_eq!(due.plain, date(2020, 6, 1));
        assert_eq!(due.due, date(2020, 6, 2));
        assert_eq!(
            skipped(&due),
            pairs(&[("2020-06-01", "Tweede Pinksterdag")])
        );
    }

    #[test]
    fn art4_excludes_long_terms() {
        // 4 months from 3 January 2020 is Sunday 3 May: not extended.
        let due = term("4 maanden").due(&NL, date(2020, 1, 3), true);
        assert_eq!(due.due, date(2020, 5, 3));
        assert_eq!(
            due.atw,
            AtwOutcome::NotApplicable {
                reason: "termijn langer dan 3 maanden (Atw art. 4)".to_string()
            }
        );
        insta::assert_snapshot!(due.explanation, @"4 maanden na vrijdag 3 januari 2020: zondag 3 mei 2020 (Atw niet van toepassing: termijn langer dan 3 maanden (Atw art. 4))");
        // 3 months from 3 February 2020 is Sunday 3 May: extended.
        let due = term("3 maanden").due(&NL, date(2020, 2, 3), true);
        assert_eq!(due.due, date(2020, 5, 4));
        // 13 weeks (91 days) are out, 12 weeks in.
        let due = term("13 weken").due(&NL, date(2020, 2, 2), true);
        assert_eq!(due.due, date(2020, 5, 3));
        assert_eq!(
            due.atw,
            AtwOutcome::NotApplicable {
                reason: "termijn langer dan 12 weken (Atw art. 4)".to_string()
            }
        );
        let due = term("12 weken").due(&NL, date(2020, 2, 9), true);
        assert_eq!((due.plain, due.due), (date(2020, 5, 3), date(2020, 5, 4)));
        let due = term("91 dagen").due(&NL, date(2020, 2, 2), true);
        assert_eq!(
            due.atw,
            AtwOutcome::NotApplicable {
                reason: "termijn langer dan 90 dagen (Atw art. 4)".to_string()
            }
        );
    }

    /// Art. 4 makes the law itself non-monotonic at its boundary: 90 days
    /// ending on a Saturday run on to Monday, while 91 days end on the
    /// Sunday in between.
    #[test]
    fn art4_boundary_is_not_monotonic() {
        let start = date(2020, 1, 5);
        let ninety = term("90 dagen").due(&NL, start, true);
        let ninety_one = term("91 dagen").due(&NL, start, true);
        assert_eq!(ninety.plain, date(2020, 4, 4));
        assert_eq!(ninety.due, date(2020, 4, 6));
        assert_eq!(ninety_one.due, date(2020, 4, 5));
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        let due = term("1 maand").due(&NL, date(2020, 1, 31), false);
        assert_eq!(due.due, date(2020, 2, 29));
        let due = term("1 maand").due(&NL, date(2021, 1, 31), false);
        assert_eq!(due.due, date(2021, 2, 28));
        // With the Atw, Saturday 29 February 2020 runs on to Monday.
        let due = term("1 maand").due(&NL, date(2020, 1, 31), true);
        assert_eq!((due.plain, due.due), (date(2020, 2, 29), date(2020, 3, 2)));
        let due = term("3 maanden").due(&NL, date(2020, 11, 30), false);
        assert_eq!(due.due, date(2021, 2, 28));
    }

    #[test]
    fn terms_saturate_at_the_last_representable_date() {
        let huge = Term {
            n: u32::MAX,
            unit: Unit::Maanden,
        };
        assert_eq!(huge.due(&NL, date(2020, 1, 1), true).due, Date::MAX);
        let huge = Term {
            n: u32::MAX,
            unit: Unit::Dagen,
        };
        assert_eq!(huge.due(&NL, date(2020, 1, 1), false).due, Date::MAX);
    }

    #[test]
    fn resolve_termijn_takes_terms_and_phrases() {
        let due = resolve_termijn(date(2020, 5, 29), "5 werkdagen", &NL, true).expect("term");
        assert_eq!(due.due, date(2020, 6, 8));
        // SPEC §6: `naleving termijn 2020-01-30 "voor het zomerreces"`.
        let due =
            resolve_termijn(date(2020, 1, 30), "voor het zomerreces", &NL, true).expect("phrase");
        assert_eq!(due.due, date(2020, 7, 2));
        assert!(due.skipped.is_empty());
        assert!(matches!(due.atw, AtwOutcome::NotApplicable { .. }));
        insta::assert_snapshot!(due.explanation, @"dag vóór het zomerreces 2020 (reces begint vrijdag 3 juli 2020; eerste zomerreces na donderdag 30 januari 2020)");
    }

    #[test]
    fn terms_in_words_and_in_years() {
        // Thursday 30 January 2020 + 3 months: Thursday 30 April 2020.
        let words = resolve_termijn(date(2020, 1, 30), "drie maanden", &NL, true).expect("term");
        let digits = resolve_termijn(date(2020, 1, 30), "3 maanden", &NL, true).expect("term");
        assert_eq!(words, digits);
        let due = resolve_termijn(date(2020, 2, 29), "een jaar", &NL, true).expect("term");
        assert_eq!(due.due, date(2021, 2, 28));
        insta::assert_snapshot!(due.explanation, @"1 jaar na zaterdag 29 februari 2020: zondag 28 februari 2021 (Atw niet van toepassing: termijn langer dan 3 maanden (Atw art. 4))");
        assert_eq!(
            term("2 jaar").due(&NL, date(2019, 6, 3), true).due,
            date(2021, 6, 3)
        );
        // Twelve weeks still have the Atw, thirteen do not.
        let twelve = resolve_termijn(date(2020, 1, 30), "twaalf weken", &NL, true).expect("term");
        assert!(matches!(twelve.atw, AtwOutcome::Applied { .. }));
        let due = resolve_termijn(date(2020, 1, 30), "twee weken", &NL, true).expect("term");
        assert_eq!(due.due, date(2020, 2, 13));
    }

    #[test]
    fn resolve_termijn_errors() {
        let err = resolve_termijn(date(2020, 1, 30), "5 uren", &NL, true).expect_err("bad unit");
        assert!(matches!(
            err,
            TermijnError::Term(TermError::UnknownUnit { .. })
        ));
        let err = resolve_termijn(date(2020, 1, 30), "binnenkort", &NL, true).expect_err("unknown");
        insta::assert_snapshot!(err.to_string(), @"unknown due phrase `binnenkort`");
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("termijn::onbekend")
        );
        assert!(err.help().is_some());
    }

    /// A start date between 2015 and 2035.
    fn start_date() -> impl Strategy<Value = Date> {
        (0i64..7300).prop_map(|offset| {
            date(2015, 1, 1)
                .checked_add(Span::new().days(offset))
                .expect("in range")
        })
    }

    fn unit() -> impl Strategy<Value = Unit> {
        prop_oneof![
            Just(Unit::Werkdagen),
            Just(Unit::Dagen),
            Just(Unit::Weken),
            Just(Unit::Maanden)
        ]
    }

    proptest! {
        #[test]
        fn werkdagen_due_is_a_working_day(start in start_date(), n in 1u32..300) {
            let due = Term { n, unit: Unit::Werkdagen }.due(&NL, start, true);
            prop_assert!(NL.is_workday(due.due));
            prop_assert_eq!(NL.workdays_between(start, due.due), i64::from(n));
        }

        #[test]
        fn due_dates_never_decrease_as_n_grows(
            start in start_date(),
            unit in unit(),
            seed in 0u32..400,
            atw in any::<bool>(),
        ) {
            let n = match (atw, unit.atw_limit()) {
                // Keep n + 1 within art. 4's limit: crossing it may give an
                // earlier date, as the law has it (tested above).
                (true, Some(limit)) => 1 + seed % (limit - 1),
                _ => 1 + seed,
            };
            let shorter = Term { n, unit }.due(&NL, start, atw);
            let longer = Term { n: n + 1, unit }.due(&NL, start, atw);
            prop_assert!(
                shorter.due <= longer.due,
                "{} {:?}: {}, but {} {:?}: {}", n, unit, shorter.due, n + 1, unit, longer.due
            );
        }

        #[test]
        fn atw_never_shortens_a_term(start in start_date(), unit in unit(), n in 1u32..120) {
            let due = Term { n, unit }.due(&NL, start, true);
            prop_assert!(due.due >= due.plain);
            prop_assert_eq!(Term { n, unit }.due(&NL, start, false).due, due.plain);
            if let AtwOutcome::Applied { .. } = due.atw {
                prop_assert!(NL.is_workday(due.due));
                if start.until(due.plain).map(|s| s.get_days()).unwrap_or(0) >= 3 {
                    prop_assert!(NL.workdays_between(start, due.due) >= 2);
                }
            }
        }

        #[test]
        fn every_skipped_day_is_a_non_working_day(start in start_date(), unit in unit(), n in 1u32..120, atw in any::<bool>()) {
            let due = Term { n, unit }.due(&NL, start, atw);
            for day in &due.skipped {
                prop_assert!(!NL.is_workday(day.date), "{} listed as skipped", day.date);
                prop_assert!(day.date > start && day.date < due.due.tomorrow().unwrap_or(Date::MAX));
            }
            prop_assert!(due.skipped.windows(2).all(|w| w[0].date < w[1].date));
        }
    }
}
