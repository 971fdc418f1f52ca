//! Days of the parliamentary year that the law fixes: Prinsjesdag and
//! Verantwoordingsdag, as due phrases name them ("voor Prinsjesdag 2021",
//! "uiterlijk Verantwoordingsdag 2022").
//!
//! Unlike a recess, these need no data: the law says which day they are.
//!
//! - **Prinsjesdag** is the third Tuesday of September. Grondwet art. 65
//!   (BWBR0001840): "Jaarlijks op de derde dinsdag van september of op een
//!   bij de wet te bepalen eerder tijdstip wordt door of namens de Koning in
//!   een verenigde vergadering van de Staten-Generaal een uiteenzetting van
//!   het door de regering te voeren beleid gegeven." No law setting an
//!   earlier day is known, and the Grondwet does not use the name.
//! - **Verantwoordingsdag** is the third Wednesday of May. From 2018,
//!   Comptabiliteitswet 2016 (BWBR0039429) art. 2.37 lid 2 (and art. 2.38
//!   lid 2, 2.39 lid 1): the minister offers the annual reports "op de derde
//!   woensdag van mei … tenzij deze datum valt in een periode wanneer de
//!   Tweede Kamer der Staten-Generaal met reces is of wanneer een nationale
//!   feestdag is. In dat geval … uiterlijk op 1 juni van hetzelfde jaar".
//!   So when that Wednesday is a feestdag or inside a recess the calendar
//!   knows, the day is 1 June; when the calendar lacks the year's meireces,
//!   the explanation says that this was not checked. Before 2018,
//!   Comptabiliteitswet 2001 (BWBR0013891) art. 63 lid 1 set the same
//!   Wednesday; its exception for an election (lid 2) is not modelled, and
//!   the explanation says so.

use jiff::civil::{Date, Weekday};

use super::dutch::long_date;
use super::recess::RecessKind;
use super::{Calendar, holidays};

/// A day of the parliamentary year fixed by law.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedDay {
    /// The third Tuesday of September (Grondwet art. 65).
    Prinsjesdag,
    /// The third Wednesday of May (Comptabiliteitswet 2016 art. 2.37).
    Verantwoordingsdag,
}

/// A named day in one year: the date and the rule that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedDate {
    /// The day.
    pub date: Date,
    /// Why it is that day, in Dutch, with the article
    /// ("derde dinsdag van september, Grondwet art. 65").
    pub rule: String,
}

/// The first year the Comptabiliteitswet 2016 governs Verantwoordingsdag
/// (in force 1 January 2018).
const CW_2016_FROM: i16 = 2018;

impl NamedDay {
    /// The day a lower-case word names, if any.
    pub fn from_word(word: &str) -> Option<NamedDay> {
        match word {
            "prinsjesdag" => Some(NamedDay::Prinsjesdag),
            "verantwoordingsdag" => Some(NamedDay::Verantwoordingsdag),
            _ => None,
        }
    }

    /// The name as Dutch writes it ("Prinsjesdag").
    pub fn name(self) -> &'static str {
        match self {
            NamedDay::Prinsjesdag => "Prinsjesdag",
            NamedDay::Verantwoordingsdag => "Verantwoordingsdag",
        }
    }

    /// The day in `year`, or `None` when the year is out of range.
    pub fn in_year(self, year: i16, cal: &Calendar) -> Option<NamedDate> {
        match self {
            NamedDay::Prinsjesdag => {
                let date = third(year, 9, Weekday::Tuesday)?;
                Some(NamedDate {
                    date,
                    rule: "derde dinsdag van september, Grondwet art. 65".to_string(),
                })
            }
            NamedDay::Verantwoordingsdag => verantwoordingsdag(year, cal),
        }
    }

    /// The first such day after `after` (a year-less "voor Prinsjesdag"
    /// made on `after`), or `None` past the representable years.
    pub fn next_after(self, after: Date, cal: &Calendar) -> Option<NamedDate> {
        let this_year = self.in_year(after.year(), cal)?;
        if this_year.date > after {
            return Some(this_year);
        }
        self.in_year(after.year().checked_add(1)?, cal)
    }
}

/// The third `weekday` of `month` in `year`.
fn third(year: i16, month: i8, weekday: Weekday) -> Option<Date> {
    Date::new(year, month, 1)
        .ok()?
        .nth_weekday_of_month(3, weekday)
        .ok()
}

fn verantwoordingsdag(year: i16, cal: &Calendar) -> Option<NamedDate> {
    let wednesday = third(year, 5, Weekday::Wednesday)?;
    if year < CW_2016_FROM {
        return Some(NamedDate {
            date: wednesday,
            rule: "derde woensdag van mei, Comptabiliteitswet 2001 art. 63 lid 1; \
                   de uitzondering bij verkiezingen (lid 2) is niet nagegaan"
                .to_string(),
        });
    }
    const BASIS: &str = "Comptabiliteitswet 2016 art. 2.37 lid 2";
    let first_of_june = || Date::new(year, 6, 1).ok();
    if let Some(feestdag) = holidays::atw_feestdag(wednesday) {
        return Some(NamedDate {
            date: first_of_june()?,
            rule: format!(
                "de derde woensdag van mei, {}, is {feestdag}: dan uiterlijk 1 juni, {BASIS}",
                long_date(wednesday)
            ),
        });
    }
    let in_recess = cal
        .recesses()
        .find(|r| r.start <= wednesday && r.end.is_some_and(|end| wednesday <= end));
    if let Some(recess) = in_recess {
        return Some(NamedDate {
            date: first_of_june()?,
            rule: format!(
                "de derde woensdag van mei, {}, valt in het {} {}: dan uiterlijk 1 juni, {BASIS}",
                long_date(wednesday),
                recess.kind,
                recess.year
            ),
        });
    }
    let mut rule = format!("derde woensdag van mei, {BASIS}");
    if cal.recess(RecessKind::Meireces, year).is_none() {
        rule.push_str(&format!(
            "; het meireces {year} staat niet in de kalenderdata, dus niet nagegaan of de dag in een reces valt"
        ));
    }
    Some(NamedDate {
        date: wednesday,
        rule,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::sync::LazyLock;

    static NL: LazyLock<Calendar> = LazyLock::new(|| Calendar::nl().expect("embedded data loads"));

    fn day(which: NamedDay, year: i16) -> Date {
        which.in_year(year, &NL).expect("in range").date
    }

    /// Prinsjesdag as it was held, 2019–2025 (the third Tuesday each time).
    #[test]
    fn prinsjesdag_is_the_third_tuesday_of_september() {
        let held = [
            (2019, 17),
            (2020, 15),
            (2021, 21),
            (2022, 20),
            (2023, 19),
            (2024, 17),
            (2025, 16),
        ];
        for (year, d) in held {
            assert_eq!(day(NamedDay::Prinsjesdag, year), date(year, 9, d), "{year}");
        }
        // September starting on a Tuesday: the third is the 15th, the
        // earliest possible; starting on a Wednesday: the 21st, the latest.
        assert_eq!(day(NamedDay::Prinsjesdag, 2026), date(2026, 9, 15));
        assert_eq!(day(NamedDay::Prinsjesdag, 2027), date(2027, 9, 21));
    }

    /// Verantwoordingsdag as it was held, 2019–2025.
    #[test]
    fn verantwoordingsdag_is_the_third_wednesday_of_may() {
        let held = [
            (2019, 15),
            (2020, 20),
            (2021, 19),
            (2022, 18),
            (2023, 17),
            (2024, 15),
            (2025, 21),
        ];
        for (year, d) in held {
            assert_eq!(
                day(NamedDay::Verantwoordingsdag, year),
                date(year, 5, d),
                "{year}"
            );
        }
        let known = NamedDay::Verantwoordingsdag.in_year(2024, &NL).unwrap();
        insta::assert_snapshot!(known.rule, @"derde woensdag van mei, Comptabiliteitswet 2016 art. 2.37 lid 2");
        let unchecked = NamedDay::Verantwoordingsdag.in_year(2022, &NL).unwrap();
        insta::assert_snapshot!(unchecked.rule, @"derde woensdag van mei, Comptabiliteitswet 2016 art. 2.37 lid 2; het meireces 2022 staat niet in de kalenderdata, dus niet nagegaan of de dag in een reces valt");
        let old = NamedDay::Verantwoordingsdag.in_year(2016, &NL).unwrap();
        assert_eq!(old.date, date(2016, 5, 18));
        assert!(old.rule.contains("Comptabiliteitswet 2001 art. 63"));
    }

    /// Cw 2016 art. 2.37 lid 2: in a recess, the day is 1 June.
    #[test]
    fn verantwoordingsdag_in_a_recess_is_the_first_of_june() {
        let mut cal = Calendar::empty();
        cal.extend_from_yaml(
            "recesses:\n  - { name: meireces, year: 2030, start: 2030-05-10, end: 2030-05-20, source: test }\n",
            "test",
        )
        .expect("valid");
        let moved = NamedDay::Verantwoordingsdag.in_year(2030, &cal).unwrap();
        assert_eq!(moved.date, date(2030, 6, 1));
        insta::assert_snapshot!(moved.rule, @"de derde woensdag van mei, woensdag 15 mei 2030, valt in het meireces 2030: dan uiterlijk 1 juni, Comptabiliteitswet 2016 art. 2.37 lid 2");
        // A recess that ends the day before leaves the Wednesday alone.
        let mut cal = Calendar::empty();
        cal.extend_from_yaml(
            "recesses:\n  - { name: meireces, year: 2030, start: 2030-04-26, end: 2030-05-14, source: test }\n",
            "test",
        )
        .expect("valid");
        let kept = NamedDay::Verantwoordingsdag.in_year(2030, &cal).unwrap();
        assert_eq!(kept.date, date(2030, 5, 15));
    }

    #[test]
    fn the_next_one_is_strictly_after() {
        let next = |after| NamedDay::Prinsjesdag.next_after(after, &NL).unwrap().date;
        assert_eq!(next(date(2021, 1, 5)), date(2021, 9, 21));
        assert_eq!(next(date(2021, 9, 20)), date(2021, 9, 21));
        assert_eq!(next(date(2021, 9, 21)), date(2022, 9, 20));
        assert!(NamedDay::Prinsjesdag.next_after(Date::MAX, &NL).is_none());
    }
}
