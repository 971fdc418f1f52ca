//! The *algemeen erkende feestdagen* of Algemene termijnenwet art. 3.
//!
//! Art. 3 lid 1 names Nieuwjaarsdag, Tweede Paasdag, Tweede Pinksterdag, both
//! Christmas days, Hemelvaartsdag, the day on which the King's birthday is
//! celebrated, and "de vijfde mei" (every year, not only in lustrum years);
//! lid 2 adds Goede Vrijdag. These follow from rules, so they are computed
//! here. The days *gelijkgesteld* by Royal Decree (lid 3) are not: they are
//! data, loaded by [`super::Calendar`].

use jiff::civil::{Date, Weekday};

use super::easter::easter_sunday;

/// The first year in which the King's birthday is celebrated as Koningsdag
/// (27 April) rather than Koninginnedag (30 April).
pub const FIRST_KONINGSDAG_YEAR: i16 = 2014;

/// The Atw art. 3 feestdagen of `year`, sorted by date, with their Dutch
/// names.
///
/// Two feestdagen can fall on one date (Hemelvaartsdag on 5 May, as in
/// 2005); such a date appears once, its names joined with " en ".
///
/// The Easter-based days are left out for years before 1583, where the
/// Gregorian computus is undefined. Koninginnedag is modelled by the rule in
/// force from 1980 to 2013 (30 April, or 29 April when that is a Sunday);
/// earlier years followed other rules that this function does not know.
pub fn atw_feestdagen(year: i16) -> Vec<(Date, String)> {
    let mut days: Vec<(Date, &'static str)> = candidates(year)
        .into_iter()
        .filter_map(|(date, name)| Some((date?, name)))
        .collect();
    days.sort();
    merge_same_dates(days)
}

/// Whether `date` is an Atw art. 3 feestdag. Does not allocate, so it is
/// cheap enough to ask for every day of a long range.
pub fn is_atw_feestdag(date: Date) -> bool {
    candidates(date.year())
        .iter()
        .any(|(day, _)| *day == Some(date))
}

/// The name of the Atw art. 3 feestdag on `date`, or `None` when it is
/// not one; as in [`atw_feestdagen`], coinciding names are joined with
/// " en ".
pub fn atw_feestdag(date: Date) -> Option<String> {
    let mut names: Vec<&'static str> = candidates(date.year())
        .into_iter()
        .filter(|(day, _)| *day == Some(date))
        .map(|(_, name)| name)
        .collect();
    names.sort_unstable();
    (!names.is_empty()).then(|| names.join(" en "))
}

/// Every Atw feestdag of `year` with its name, unsorted; `None` where a
/// date cannot be computed (no computus before 1583, or past the last
/// representable date).
fn candidates(year: i16) -> [(Option<Date>, &'static str); 9] {
    let fixed = |month: i8, day: i8| Date::new(year, month, day).ok();
    let easter = easter_sunday(year);
    let from_easter = |offset: i64| {
        easter.and_then(|easter| easter.checked_add(jiff::Span::new().days(offset)).ok())
    };
    let (royal, royal_name) = match royal_birthday(year) {
        Some((date, name)) => (Some(date), name),
        None => (None, "Koningsdag"),
    };
    [
        (fixed(1, 1), "Nieuwjaarsdag"),
        (from_easter(-2), "Goede Vrijdag"),
        (from_easter(1), "Tweede Paasdag"),
        (royal, royal_name),
        (fixed(5, 5), "Bevrijdingsdag"),
        (from_easter(39), "Hemelvaartsdag"),
        (from_easter(50), "Tweede Pinksterdag"),
        (fixed(12, 25), "Eerste Kerstdag"),
        (fixed(12, 26), "Tweede Kerstdag"),
    ]
}

/// The day on which the monarch's birthday is celebrated in `year`, with
/// its name: Koningsdag from 2014 on (27 April, or the Saturday 26 April
/// when the 27th is a Sunday), Koninginnedag before (30 April, or the
/// Saturday 29 April when the 30th is a Sunday).
pub fn royal_birthday(year: i16) -> Option<(Date, &'static str)> {
    let (day, name) = if year >= FIRST_KONINGSDAG_YEAR {
        (27, "Koningsdag")
    } else {
        (30, "Koninginnedag")
    };
    let date = Date::new(year, 4, day).ok()?;
    if date.weekday() == Weekday::Sunday {
        Some((date.yesterday().ok()?, name))
    } else {
        Some((date, name))
    }
}

/// Joins the names of entries that share a date; `days` must be sorted.
fn merge_same_dates(days: Vec<(Date, &'static str)>) -> Vec<(Date, String)> {
    let mut merged: Vec<(Date, String)> = Vec::with_capacity(days.len());
    for (date, name) in days {
        match merged.last_mut() {
            Some((last, names)) if *last == date => {
                names.push_str(" en ");
                names.push_str(name);
            }
            _ => merged.push((date, name.to_string())),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Builds the expected list of one year from the movable dates; the
    /// fixed days are the same every year.
    fn expected(
        year: i16,
        goede_vrijdag: Date,
        tweede_paasdag: Date,
        koningsdag: Date,
        hemelvaart: Date,
        tweede_pinksterdag: Date,
    ) -> Vec<(Date, String)> {
        let mut days = vec![
            (date(year, 1, 1), "Nieuwjaarsdag".to_string()),
            (goede_vrijdag, "Goede Vrijdag".to_string()),
            (tweede_paasdag, "Tweede Paasdag".to_string()),
            (koningsdag, "Koningsdag".to_string()),
            (date(year, 5, 5), "Bevrijdingsdag".to_string()),
            (hemelvaart, "Hemelvaartsdag".to_string()),
            (tweede_pinksterdag, "Tweede Pinksterdag".to_string()),
            (date(year, 12, 25), "Eerste Kerstdag".to_string()),
            (date(year, 12, 26), "Tweede Kerstdag".to_string()),
        ];
        days.sort();
        days
    }

    /// Every Atw feestdag of 2019–2030. 2019–2026 are the brief's table
    /// (spot-checked against school calendars); 2027–2030 follow from the
    /// known Easter dates (28 March 2027, 16 April 2028, 1 April 2029,
    /// 21 April 2030) by the offsets −2, +1, +39 and +50.
    #[test]
    fn feestdagen_2019_to_2030() {
        let table = [
            (
                2019,
                date(2019, 4, 19),
                date(2019, 4, 22),
                date(2019, 4, 27),
                date(2019, 5, 30),
                date(2019, 6, 10),
            ),
            (
                2020,
                date(2020, 4, 10),
                date(2020, 4, 13),
                date(2020, 4, 27),
                date(2020, 5, 21),
                date(2020, 6, 1),
            ),
            (
                2021,
                date(2021, 4, 2),
                date(2021, 4, 5),
                date(2021, 4, 27),
                date(2021, 5, 13),
                date(2021, 5, 24),
            ),
            (
                2022,
                date(2022, 4, 15),
                date(2022, 4, 18),
                date(2022, 4, 27),
                date(2022, 5, 26),
                date(2022, 6, 6),
            ),
            (
                2023,
                date(2023, 4, 7),
                date(2023, 4, 10),
                date(2023, 4, 27),
                date(2023, 5, 18),
                date(2023, 5, 29),
            ),
            (
                2024,
                date(2024, 3, 29),
                date(2024, 4, 1),
                date(2024, 4, 27),
                date(2024, 5, 9),
                date(2024, 5, 20),
            ),
            (
                2025,
                date(2025, 4, 18),
                date(2025, 4, 21),
                date(2025, 4, 26),
                date(2025, 5, 29),
                date(2025, 6, 9),
            ),
            (
                2026,
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 4, 27),
                date(2026, 5, 14),
                date(2026, 5, 25),
            ),
            (
                2027,
                date(2027, 3, 26),
                date(2027, 3, 29),
                date(2027, 4, 27),
                date(2027, 5, 6),
                date(2027, 5, 17),
            ),
            (
                2028,
                date(2028, 4, 14),
                date(2028, 4, 17),
                date(2028, 4, 27),
                date(2028, 5, 25),
                date(2028, 6, 5),
            ),
            (
                2029,
                date(2029, 3, 30),
                date(2029, 4, 2),
                date(2029, 4, 27),
                date(2029, 5, 10),
                date(2029, 5, 21),
            ),
            (
                2030,
                date(2030, 4, 19),
                date(2030, 4, 22),
                date(2030, 4, 27),
                date(2030, 5, 30),
                date(2030, 6, 10),
            ),
        ];
        for (year, gv, tp, kd, hv, pi) in table {
            assert_eq!(
                atw_feestdagen(year),
                expected(year, gv, tp, kd, hv, pi),
                "{year}"
            );
        }
    }

    #[test]
    fn koningsdag_moves_to_saturday_when_27_april_is_a_sunday() {
        for year in [2014, 2025, 2031, 2036, 2042] {
            assert_eq!(
                royal_birthday(year),
                Some((date(year, 4, 26), "Koningsdag")),
                "{year}"
            );
        }
        assert_eq!(
            royal_birthday(2026),
            Some((date(2026, 4, 27), "Koningsdag"))
        );
    }

    #[test]
    fn koninginnedag_before_2014() {
        assert_eq!(
            royal_birthday(2013),
            Some((date(2013, 4, 30), "Koninginnedag"))
        );
        // 30 April 2006 was a Sunday: Koninginnedag was Saturday 29 April.
        assert_eq!(
            royal_birthday(2006),
            Some((date(2006, 4, 29), "Koninginnedag"))
        );
    }

    #[test]
    fn hemelvaart_on_5_mei_is_one_entry() {
        // Easter 2005 was 27 March, so Hemelvaartsdag was 5 May.
        let days = atw_feestdagen(2005);
        let may5: Vec<_> = days
            .iter()
            .filter(|(d, _)| *d == date(2005, 5, 5))
            .collect();
        assert_eq!(may5.len(), 1);
        assert_eq!(may5[0].1, "Bevrijdingsdag en Hemelvaartsdag");
        assert_eq!(days.len(), 8);
    }

    #[test]
    fn lookups_agree_with_the_list() {
        for year in [2005, 2019, 2020, 2025, 2026, 2030] {
            let days = atw_feestdagen(year);
            let mut day = date(year, 1, 1);
            while day.year() == year {
                let listed = days.iter().find(|(d, _)| *d == day).map(|(_, n)| n.clone());
                assert_eq!(atw_feestdag(day), listed, "{day}");
                assert_eq!(is_atw_feestdag(day), listed.is_some(), "{day}");
                day = day.tomorrow().unwrap_or(day);
            }
        }
    }

    #[test]
    fn years_without_computus_keep_fixed_days() {
        let days = atw_feestdagen(1500);
        assert!(days.iter().all(|(_, n)| n != "Goede Vrijdag"));
        assert!(days.iter().any(|(_, n)| n == "Nieuwjaarsdag"));
        // The last representable year still works (no overflow past 9999).
        assert_eq!(atw_feestdagen(9999).len(), 9);
    }
}
