//! Legal time: working days, Atw feestdagen, Tweede Kamer recesses, terms
//! and due phrases (SPEC §7).
//!
//! [`Calendar`] answers "is this a working day, and if not, why not". The
//! built-in `nl` calendar ([`Calendar::nl`]) combines rules computed here
//! (weekends, the feestdagen of Algemene termijnenwet art. 3, Easter by the
//! Gregorian computus) with data that cannot be computed and is embedded
//! with its sources: the days *gelijkgesteld* by Royal Decree and the
//! recess dates of the Tweede Kamer. A project can add to that data with
//! [`Calendar::extend_from_yaml`].
//!
//! On top of the calendar:
//! - [`term`]: the terms `N werkdagen`, `N dagen`, `N weken`, `N maanden`;
//! - [`due`]: their due dates, with the Atw extensions of art. 1 and 2 and
//!   the exclusions of art. 4, and an explanation of every skipped day;
//! - [`phrase`]: due phrases of commitments to parliament ("voor het
//!   zomerreces 2020", "Q3 2020", "eind dit jaar");
//! - [`named_day`]: the days the law fixes, Prinsjesdag and
//!   Verantwoordingsdag;
//! - [`reading`]: the readings of due phrases a project declares
//!   (`phrases:`), which the calendar holds and applies first;
//! - [`resolve_termijn`]: either of the two, as `naleving termijn` and the
//!   `deadline` check take it.

pub mod due;
pub mod dutch;
pub mod easter;
pub mod holidays;
pub mod iso;
pub mod load;
pub mod named_day;
pub mod phrase;
pub mod reading;
pub mod recess;
pub mod sql;
pub mod term;

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};

use crate::text::Text;
use crate::tr;

pub use due::{AtwOutcome, Due, Skipped, TermijnError, resolve_termijn};
pub use iso::parse_date;
pub use load::{CalendarError, GelijkgesteldeDag};
pub use phrase::{PhraseDue, PhraseError, resolve_phrase};
pub use reading::Reading;
pub use recess::{Recess, RecessKind};
pub use term::{Term, TermError, Unit};

use load::{Loaded, Source};

crate::problem_codes! {
    /// The codes of problems with calendar files (`calendar_extend`).
    pub enum CalendarCode {
        /// A calendar file could not be read.
        Read = "calendar::read",
        /// A calendar file is not YAML of the calendar shape (syntax, an unknown key, a wrong
        /// type, an unknown recess name).
        Parse = "calendar::parse",
        /// An entry of a calendar file is wrong: an invalid date, an end before its start, no
        /// source, or dates that contradict an earlier entry.
        Invalid = "calendar::invalid",
    }
}

crate::problem_codes! {
    /// The codes of terms that cannot be computed: in `naleving termijn`, and in findings of deadlines whose term is a due phrase.
    pub enum TermijnCode {
        /// A due phrase naleving does not know, or one whose recess is not in the calendar data:
        /// never guessed, reported as a finding.
        Onbekend = "termijn::onbekend",
        /// A phrase relative to the year (`dit jaar`) without the date the promise was made.
        GeenDatum = "termijn::geen-datum",
        /// A date that is not written YYYY-MM-DD.
        Datum = "termijn::datum",
        /// A term that is not `<number> <unit>` (`5 werkdagen`), or a number too large.
        Syntax = "termijn::syntax",
        /// A term in an unknown unit (known: werkdagen, dagen, weken, maanden, jaar).
        Eenheid = "termijn::eenheid",
        /// A term of zero units.
        Nul = "termijn::nul",
    }
}

/// The embedded list of gelijkgestelde dagen.
const GELIJKGESTELD_YAML: &str = include_str!("data/gelijkgesteld.yaml");
/// The embedded list of Tweede Kamer recesses.
const RECESSES_YAML: &str = include_str!("data/recesses.yaml");

/// The data the built-in `nl` calendar embeds, by name: what a run's
/// manifest digests, so a change to it shows even without a new version.
pub fn builtin_files() -> [(&'static str, &'static str); 2] {
    [
        ("builtin:gelijkgesteld.yaml", GELIJKGESTELD_YAML),
        ("builtin:recesses.yaml", RECESSES_YAML),
    ]
}

/// A working-day calendar: weekends and Atw art. 3 feestdagen by rule, plus
/// gelijkgestelde dagen and recesses from data.
///
/// Cheap to query and immutable once built; build it once per run and
/// share it.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    /// Days gelijkgesteld by Royal Decree, by date.
    gelijkgesteld: BTreeMap<Date, GelijkgesteldeDag>,
    /// Recesses, by kind and year.
    recesses: BTreeMap<(RecessKind, i16), Recess>,
    /// The project's readings of due phrases, by [`reading::phrase_key`].
    readings: BTreeMap<String, Reading>,
}

impl Calendar {
    /// A calendar with weekends and the Atw art. 3 feestdagen only: no
    /// gelijkgestelde dagen and no recesses.
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// The built-in `nl` calendar: [`Calendar::empty`] plus the embedded
    /// gelijkgestelde dagen and recesses.
    ///
    /// An error here means the embedded data is broken, which the tests of
    /// this module rule out; it is still an error, not a panic.
    pub fn nl() -> Result<Calendar, CalendarError> {
        let mut calendar = Calendar::empty();
        calendar.extend_from_yaml(GELIJKGESTELD_YAML, "builtin:gelijkgesteld.yaml")?;
        calendar.extend_from_yaml(RECESSES_YAML, "builtin:recesses.yaml")?;
        Ok(calendar)
    }

    /// Adds the entries of a calendar file (same shape as the embedded
    /// ones: `{ gelijkgesteld: [...], recesses: [...] }`, both optional).
    ///
    /// `origin` names the file in errors, which give its line and column.
    /// Every problem in the file is reported (as [`CalendarError::Many`]
    /// when there are several), and on any problem the calendar is left
    /// unchanged.
    ///
    /// Repeating an entry that is already loaded is allowed when it agrees
    /// (the first one, with its source, is kept), so a project file may
    /// restate embedded data. A recess of the same kind and year with other
    /// dates is a [`CalendarError::Conflict`]. A gelijkgestelde dag is a
    /// date, so it cannot conflict.
    pub fn extend_from_yaml(&mut self, yaml: &str, origin: &str) -> Result<(), CalendarError> {
        let source = Source::new(origin, yaml);
        let loaded = load::parse_file(&source).map_err(|problems| {
            CalendarError::collect(origin, problems).unwrap_or_else(|| CalendarError::Many {
                origin: origin.to_string(),
                problems: Vec::new(),
            })
        })?;
        let mut next = self.clone();
        let problems = next.merge(&source, loaded);
        match CalendarError::collect(origin, problems) {
            Some(error) => Err(error),
            None => {
                *self = next;
                Ok(())
            }
        }
    }

    /// Adds validated entries, returning the conflicts found.
    fn merge(&mut self, source: &Source<'_>, loaded: Loaded) -> Vec<CalendarError> {
        let mut problems = Vec::new();
        for day in loaded.gelijkgesteld {
            self.gelijkgesteld
                .entry(day.value.date)
                .or_insert(day.value);
        }
        for placed in loaded.recesses {
            let recess = placed.value;
            match self.recesses.get(&(recess.kind, recess.year)) {
                Some(known)
                    if known.start != recess.start || !ends_agree(known.end, recess.end) =>
                {
                    problems.push(source.conflict(
                        &placed.at,
                        tr!(
                            "{kind} {year} is already known from {origin} as {known_dates}, not {dates}",
                            kind = recess.kind,
                            year = recess.year,
                            origin = &known.origin,
                            known_dates = span_text(known.start, known.end),
                            dates = span_text(recess.start, recess.end),
                        ),
                    ));
                }
                Some(known) if known.end.is_none() && recess.end.is_some() => {
                    // The new entry knows the end the old one lacked: take
                    // it, and record where it comes from.
                    let mut merged = known.clone();
                    merged.end = recess.end;
                    merged.source = format!(
                        "{}; end from {}: {}",
                        known.source, recess.origin, recess.source
                    );
                    self.recesses.insert((recess.kind, recess.year), merged);
                }
                Some(_) => {}
                None => {
                    self.recesses.insert((recess.kind, recess.year), recess);
                }
            }
        }
        problems
    }

    /// Why `d` is not a working day, in Dutch, or `None` when it is one.
    ///
    /// An Atw feestdag is named first ("Tweede Pinksterdag", also when it
    /// falls on a weekend), then a gelijkgestelde dag ("gelijkgesteld bij KB
    /// (vrijdag na Hemelvaartsdag)"), then the weekend day ("zaterdag",
    /// "zondag").
    pub fn non_working_reason(&self, d: Date) -> Option<String> {
        if let Some(name) = holidays::atw_feestdag(d) {
            return Some(name);
        }
        if let Some(day) = self.gelijkgesteld.get(&d) {
            return Some(gelijkgesteld_reason(day));
        }
        match d.weekday() {
            Weekday::Saturday | Weekday::Sunday => {
                Some(dutch::weekday_name(d.weekday()).to_string())
            }
            _ => None,
        }
    }

    /// Whether `d` is a working day: not a Saturday or Sunday, not an Atw
    /// feestdag, not gelijkgesteld.
    pub fn is_workday(&self, d: Date) -> bool {
        if matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            return false;
        }
        if self.gelijkgesteld.contains_key(&d) {
            return false;
        }
        !holidays::is_atw_feestdag(d)
    }

    /// The number of working days in `(a, b]`: after `a`, up to and
    /// including `b`. Negative (the count in `(b, a]`) when `b < a`; zero
    /// when they are equal.
    pub fn workdays_between(&self, a: Date, b: Date) -> i64 {
        if b < a {
            return -self.workdays_between(b, a);
        }
        let mut count = 0;
        let mut day = a;
        while day < b {
            let Ok(next) = day.tomorrow() else { break };
            day = next;
            if self.is_workday(day) {
                count += 1;
            }
        }
        count
    }

    /// The feestdagen of `year`: the Atw art. 3 days and the gelijkgestelde
    /// days, sorted by date, with their names ("Koningsdag", "gelijkgesteld
    /// bij KB (…)").
    pub fn feestdagen(&self, year: i16) -> Vec<(Date, String)> {
        let mut days = holidays::atw_feestdagen(year);
        let first = Date::new(year, 1, 1).ok();
        let last = Date::new(year, 12, 31).ok();
        if let (Some(first), Some(last)) = (first, last) {
            for (date, day) in self.gelijkgesteld.range(first..=last) {
                if !days.iter().any(|(d, _)| d == date) {
                    days.push((*date, gelijkgesteld_reason(day)));
                }
            }
        }
        days.sort();
        days
    }

    /// The days gelijkgesteld by Royal Decree, in date order.
    pub fn gelijkgesteld(&self) -> impl Iterator<Item = &GelijkgesteldeDag> {
        self.gelijkgesteld.values()
    }

    /// Sets the project's readings of due phrases (replacing any set
    /// before): [`resolve_termijn`] applies them first. The project file
    /// validates them ([`reading::unknown_target`]); a later reading of the
    /// same phrase wins.
    pub fn set_readings(&mut self, readings: impl IntoIterator<Item = Reading>) {
        self.readings = readings
            .into_iter()
            .map(|reading| (reading::phrase_key(&reading.phrase), reading))
            .collect();
    }

    /// The project's reading of the due phrase `text`, if it declares one:
    /// the phrase itself, or the phrase followed by a year ("voor de zomer
    /// 2021", "voor de zomer van 2021") when the project reads the phrase as
    /// one without a year (see [`reading::with_year`]).
    pub fn reading(&self, text: &str) -> Option<std::borrow::Cow<'_, Reading>> {
        if self.readings.is_empty() {
            return None;
        }
        let key = reading::phrase_key(text);
        if let Some(declared) = self.readings.get(&key) {
            return Some(std::borrow::Cow::Borrowed(declared));
        }
        let (stem, year) = reading::year_suffix(&key)?;
        let declared = self.readings.get(stem)?;
        reading::with_year(declared, year).map(std::borrow::Cow::Owned)
    }

    /// The recess of `kind` that starts in `year`, if the data has it.
    pub fn recess(&self, kind: RecessKind, year: i16) -> Option<&Recess> {
        self.recesses.get(&(kind, year))
    }

    /// Every known recess, by kind and then year.
    pub fn recesses(&self) -> impl Iterator<Item = &Recess> {
        self.recesses.values()
    }

    /// The first recess of `kind` that starts after `after`, as a year-less
    /// "voor het zomerreces" means.
    ///
    /// `Err(year)` names the year whose recess the data lacks: the year of
    /// `after` when that year's recess is unknown (it might still be ahead),
    /// else the next year.
    pub fn next_recess(&self, kind: RecessKind, after: Date) -> Result<&Recess, i16> {
        let year = after.year();
        match self.recess(kind, year) {
            Some(recess) if recess.start > after => Ok(recess),
            Some(_) => {
                let next = year.saturating_add(1);
                self.recess(kind, next).ok_or(next)
            }
            None => Err(year),
        }
    }
}

/// Whether two ends describe the same recess: equal, or one unknown.
fn ends_agree(a: Option<Date>, b: Option<Date>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// "2020-07-03 to 2020-08-31", or "from 2020-07-03" without an end.
fn span_text(start: Date, end: Option<Date>) -> Text {
    match end {
        Some(end) => tr!("{start} to {end}", start = start, end = end),
        None => tr!("from {start}", start = start),
    }
}

/// The reason text of a gelijkgestelde dag.
fn gelijkgesteld_reason(day: &GelijkgesteldeDag) -> String {
    match &day.name {
        Some(name) => format!("gelijkgesteld bij KB ({name})"),
        None => "gelijkgesteld bij KB".to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// The diagnostic codes of the term and phrase errors come from
    /// [`TermijnCode`] (so `naleving explain` knows them), and every code
    /// it declares is the code of some error.
    #[test]
    fn every_termijn_code_has_an_error() {
        let text = || "x".to_string();
        let errors: Vec<TermijnError> = vec![
            TermError::Syntax { text: text() }.into(),
            TermError::UnknownUnit {
                text: text(),
                unit: text(),
            }
            .into(),
            TermError::Zero { text: text() }.into(),
            TermError::TooLong { text: text() }.into(),
            PhraseError::Unknown { text: text() }.into(),
            PhraseError::NoRecessData {
                kind: RecessKind::Zomerreces,
                year: 2020,
            }
            .into(),
            PhraseError::NeedsDate { text: text() }.into(),
            PhraseError::InvalidDate {
                text: text(),
                reason: crate::text::Text::verbatim(text()),
            }
            .into(),
            TermijnError::Reading {
                reading: Box::new(Reading {
                    phrase: text(),
                    means: text(),
                    reason: text(),
                }),
                cause: Box::new(PhraseError::Unknown { text: text() }.into()),
            },
        ];
        let used: Vec<&str> = errors.iter().map(|e| e.problem_code().as_str()).collect();
        for code in TermijnCode::ALL {
            assert!(used.contains(&code.name), "no error has `{}`", code.name);
        }
        for err in &errors {
            let diagnostic = err.code().map(|c| c.to_string());
            assert_eq!(diagnostic.as_deref(), Some(err.problem_code().as_str()));
            assert!(err.help().is_some(), "{err:?}");
        }
    }
    use jiff::civil::date;
    use miette::Diagnostic;

    fn nl() -> Calendar {
        Calendar::nl().expect("the embedded calendar data loads")
    }

    #[test]
    fn gelijkgestelde_dagen_are_exactly_the_confirmed_ones() {
        let dates: Vec<String> = nl().gelijkgesteld().map(|d| d.date.to_string()).collect();
        // Per KB (src/calendar/data/gelijkgesteld.yaml): 2010, 2013, 2016
        // (read on wetten.overheid.nl), 2023 and 2026 (by title); none for
        // 2020-2022.
        assert_eq!(
            dates,
            [
                "2011-05-06",
                "2011-06-03",
                "2012-05-18",
                "2012-12-24",
                "2012-12-31",
                "2013-04-29",
                "2013-05-10",
                "2013-12-27",
                "2014-05-30",
                "2015-01-02",
                "2015-05-04",
                "2015-05-15",
                "2016-05-06",
                "2017-04-28",
                "2017-05-26",
                "2018-05-11",
                "2018-12-24",
                "2018-12-31",
                "2019-05-31",
                "2019-12-27",
                "2023-04-28",
                "2023-05-19",
                "2024-05-10",
                "2024-12-27",
                "2025-05-30",
                "2026-01-02",
                "2026-05-15",
                "2027-05-07",
                "2028-04-28",
                "2028-05-26",
            ]
        );
        let cal = nl();
        for day in cal.gelijkgesteld() {
            assert!(!cal.is_workday(day.date), "{}", day.date);
            // Each cites its Royal Decree, never a commercial website.
            assert!(day.source.starts_with("Besluit "), "{}", day.date);
            assert!(!day.source.contains("sterfgeval"), "{}", day.date);
            assert!(
                matches!(day.date.weekday(), Weekday::Friday | Weekday::Monday),
                "{}",
                day.date
            );
        }
    }

    #[test]
    fn no_bridge_day_heuristic() {
        let cal = nl();
        // The 2022 source is unreliable, so Friday 27 May 2022 stays a
        // working day.
        assert!(cal.is_workday(date(2022, 5, 27)));
        // 5 May 2026 is a Tuesday, but the KB does not include Monday 4 May.
        assert!(cal.is_workday(date(2026, 5, 4)));
    }

    #[test]
    fn reasons_are_dutch() {
        let cal = nl();
        let reason = |y, m, d| cal.non_working_reason(date(y, m, d));
        assert_eq!(reason(2020, 5, 30).as_deref(), Some("zaterdag"));
        assert_eq!(reason(2020, 5, 31).as_deref(), Some("zondag"));
        assert_eq!(reason(2020, 6, 1).as_deref(), Some("Tweede Pinksterdag"));
        assert_eq!(reason(2020, 4, 10).as_deref(), Some("Goede Vrijdag"));
        assert_eq!(reason(2020, 5, 5).as_deref(), Some("Bevrijdingsdag"));
        assert_eq!(reason(2025, 4, 26).as_deref(), Some("Koningsdag"));
        assert_eq!(reason(2020, 12, 26).as_deref(), Some("Tweede Kerstdag"));
        assert_eq!(
            reason(2026, 5, 15).as_deref(),
            Some("gelijkgesteld bij KB (vrijdag na Hemelvaartsdag)")
        );
        assert_eq!(reason(2020, 6, 2), None);
        assert!(cal.is_workday(date(2020, 6, 2)));
    }

    #[test]
    fn feestdagen_include_gelijkgestelde_dagen() {
        let days = nl().feestdagen(2026);
        let dates: Vec<Date> = days.iter().map(|(d, _)| *d).collect();
        assert_eq!(
            dates,
            vec![
                date(2026, 1, 1),
                date(2026, 1, 2),
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 4, 27),
                date(2026, 5, 5),
                date(2026, 5, 14),
                date(2026, 5, 15),
                date(2026, 5, 25),
                date(2026, 12, 25),
                date(2026, 12, 26),
            ]
        );
        assert_eq!(days[1].1, "gelijkgesteld bij KB (vrijdag na Nieuwjaarsdag)");
        assert_eq!(Calendar::empty().feestdagen(2026).len(), 9);
    }

    #[test]
    fn workdays_between_counts_the_half_open_interval() {
        let cal = nl();
        let a = date(2020, 5, 29);
        let b = date(2020, 6, 8);
        assert_eq!(cal.workdays_between(a, b), 5);
        assert_eq!(cal.workdays_between(b, a), -5);
        assert_eq!(cal.workdays_between(a, a), 0);
        // (Friday, Monday] over Pinksteren: only Tuesday 2 June would count.
        assert_eq!(cal.workdays_between(a, date(2020, 6, 1)), 0);
        assert_eq!(
            cal.workdays_between(date(2020, 1, 1), date(2021, 1, 1)),
            254
        );
    }

    #[test]
    fn embedded_recesses_follow_the_kamer_style() {
        let cal = nl();
        let recesses: Vec<&Recess> = cal.recesses().collect();
        assert_eq!(recesses.len(), 16);
        for recess in recesses {
            let what = format!("{} {}", recess.kind, recess.year);
            assert_eq!(recess.start.weekday(), Weekday::Friday, "{what}");
            assert_eq!(recess.start.year(), recess.year, "{what}");
            if let Some(end) = recess.end {
                assert_eq!(end.weekday(), Weekday::Monday, "{what}");
            }
            assert!(recess.source.starts_with("https://"), "{what}");
        }
        let zomer = cal
            .recess(RecessKind::Zomerreces, 2020)
            .expect("zomerreces 2020");
        assert_eq!(zomer.start, date(2020, 7, 3));
        assert_eq!(zomer.day_before(), Some(date(2020, 7, 2)));
        assert!(
            zomer.note.is_some(),
            "the 2020 start is an inference and says so"
        );
        // Issue 19: the recesses found since, with the day before each.
        let found = [
            (RecessKind::Kerstreces, 2019, date(2019, 12, 19)),
            (RecessKind::Zomerreces, 2021, date(2021, 7, 8)),
            (RecessKind::Kerstreces, 2024, date(2024, 12, 19)),
        ];
        for (kind, year, day_before) in found {
            let recess = cal.recess(kind, year).expect("sourced");
            assert_eq!(recess.day_before(), Some(day_before), "{kind} {year}");
            assert!(
                recess.note.is_some(),
                "{kind} {year} is inferred and says so"
            );
        }
        assert_eq!(
            cal.recess(RecessKind::Zomerreces, 2021).and_then(|r| r.end),
            Some(date(2021, 9, 6))
        );
        // Not found, so not there.
        assert_eq!(cal.recess(RecessKind::Zomerreces, 2025), None);
        assert_eq!(cal.recess(RecessKind::Voorjaarsreces, 2021), None);
        assert_eq!(cal.recess(RecessKind::Herfstreces, 2024), None);
    }

    #[test]
    fn next_recess_is_the_first_starting_after() {
        let cal = nl();
        let next = |y, m, d| {
            cal.next_recess(RecessKind::Zomerreces, date(y, m, d))
                .map(|r| r.year)
        };
        assert_eq!(next(2020, 1, 30), Ok(2020));
        assert_eq!(next(2020, 7, 2), Ok(2020));
        // On or after its first day, the 2020 recess is no longer ahead.
        assert_eq!(next(2020, 7, 3), Ok(2021));
        assert_eq!(next(2021, 3, 1), Ok(2021));
        assert_eq!(next(2023, 9, 1), Ok(2024));
        assert_eq!(next(2024, 7, 5), Err(2025));
        assert_eq!(next(2025, 3, 1), Err(2025));
    }

    #[test]
    fn a_project_file_adds_days_and_recesses() {
        let mut cal = nl();
        let extra = "\
gelijkgesteld:
  - { date: 2029-05-11, name: vrijdag na Hemelvaartsdag, source: 'Stcrt. 2028, 1' }
  - { date: 2026-05-15, source: restated }
recesses:
  - { name: zomerreces, year: 2026, start: 2026-07-03, end: 2026-08-31, source: 'agenda' }
  - { name: zomerreces, year: 2020, start: 2020-07-03, end: 2020-08-31, source: 'agenda' }
";
        cal.extend_from_yaml(extra, "kalender.yaml")
            .expect("valid file");
        assert!(!cal.is_workday(date(2029, 5, 11)));
        // The embedded entry (and its name) wins over a restatement.
        assert_eq!(
            cal.non_working_reason(date(2026, 5, 15)).as_deref(),
            Some("gelijkgesteld bij KB (vrijdag na Hemelvaartsdag)")
        );
        let zomer = cal.recess(RecessKind::Zomerreces, 2026).expect("added");
        assert_eq!(zomer.origin, "kalender.yaml");
        // An agreeing entry may supply the end the embedded one lacks.
        let zomer2020 = cal.recess(RecessKind::Zomerreces, 2020).expect("embedded");
        assert_eq!(zomer2020.end, Some(date(2020, 8, 31)));
        assert_eq!(zomer2020.origin, "builtin:recesses.yaml");
        assert!(
            zomer2020
                .source
                .ends_with("; end from kalender.yaml: agenda")
        );
    }

    #[test]
    fn conflicting_recess_is_an_error_and_changes_nothing() {
        let mut cal = nl();
        let extra = "\
gelijkgesteld:
  - { date: 2029-05-11, source: x }
recesses:
  - { name: zomerreces, year: 2023, start: 2023-07-14, end: null, source: x }
";
        let err = cal
            .extend_from_yaml(extra, "kalender.yaml")
            .expect_err("conflict");
        insta::assert_snapshot!(err.to_string(), @"kalender.yaml:4:44: zomerreces 2023 is already known from builtin:recesses.yaml as 2023-07-07 to 2023-09-04, not from 2023-07-14");
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("calendar::conflict")
        );
        assert!(
            cal.is_workday(date(2029, 5, 11)),
            "nothing of a bad file is kept"
        );
    }

    #[test]
    fn several_problems_are_reported_together() {
        let mut cal = Calendar::empty();
        let extra = "\
gelijkgesteld:
  - { date: 2029-02-30, source: x }
recesses:
  - { name: meireces, year: 2029, start: 2029-04-20, end: 2029-04-01, source: x }
";
        let err = cal
            .extend_from_yaml(extra, "kalender.yaml")
            .expect_err("invalid");
        insta::assert_snapshot!(err.to_string(), @"kalender.yaml: 2 problems in calendar file");
        let related: Vec<String> = err
            .related()
            .into_iter()
            .flatten()
            .map(|d| d.to_string())
            .collect();
        insta::assert_snapshot!(related.join("\n"), @r"
        kalender.yaml:2:13: invalid `date`: `2029-02-30` is not a valid date: parsed date is not valid: parameter 'day' for `2029-02` is invalid, must be in range `1..=28`
        kalender.yaml:4:59: meireces 2029 ends on 2029-04-01, before it starts on 2029-04-20
        ");
    }

    #[test]
    fn errors_render_with_code_help_and_label() {
        let mut cal = Calendar::empty();
        let err = cal
            .extend_from_yaml(
                "recesses:\n  - { name: zomerreces, year: 2020, start: 2020-07-03 }\n",
                "k.yaml",
            )
            .expect_err("missing source");
        let mut out = String::new();
        miette::NarratableReportHandler::new()
            .render_report(&mut out, &err)
            .expect("renders");
        insta::assert_snapshot!(out, @r"
        k.yaml:2:37: missing field `source`
            Diagnostic severity: error
        Begin snippet for k.yaml starting at line 1, column 1

        snippet line 1: recesses:
        snippet line 2:   - { name: zomerreces, year: 2020, start: 2020-07-03 }
            label at line 2, columns 37 to 41: here
        diagnostic help: a calendar file has the keys `gelijkgesteld` and `recesses`; see the calendar documentation for the fields of each entry
        diagnostic code: calendar::parse
        ");
    }
}
