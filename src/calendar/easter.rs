//! Easter Sunday by the Gregorian computus.
//!
//! Goede Vrijdag, Tweede Paasdag, Hemelvaartsdag and Tweede Pinksterdag are
//! fixed offsets from Easter Sunday, so the whole Atw calendar hangs on this
//! one function. It uses the anonymous Gregorian algorithm published by Meeus
//! (after Butcher), which needs only integer arithmetic and is exact for
//! every Gregorian year.

use jiff::civil::Date;

/// The first year of the Gregorian calendar; the computus means nothing
/// before it.
pub const FIRST_GREGORIAN_YEAR: i16 = 1583;

/// Easter Sunday of `year`, or `None` for a year before 1583 (the
/// computus is only defined for the Gregorian calendar).
pub fn easter_sunday(year: i16) -> Option<Date> {
    if year < FIRST_GREGORIAN_YEAR {
        return None;
    }
    let y = i32::from(year);
    // The names follow Meeus, "Astronomical Algorithms", ch. 8.
    let a = y % 19; // position in the 19-year Metonic cycle
    let b = y / 100; // century
    let c = y % 100;
    let d = b / 4; // leap-century correction
    let e = b % 4;
    let f = (b + 8) / 25; // lunar correction
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30; // epact-like term
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7; // days to the next Sunday
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    Date::new(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn known_easter_sundays() {
        let known = [
            (1583, date(1583, 4, 10)),
            (1818, date(1818, 3, 22)), // earliest possible date
            (1943, date(1943, 4, 25)), // latest possible date
            (2000, date(2000, 4, 23)),
            (2005, date(2005, 3, 27)),
            (2019, date(2019, 4, 21)),
            (2020, date(2020, 4, 12)),
            (2021, date(2021, 4, 4)),
            (2022, date(2022, 4, 17)),
            (2023, date(2023, 4, 9)),
            (2024, date(2024, 3, 31)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 5)),
            (2027, date(2027, 3, 28)),
            (2028, date(2028, 4, 16)),
            (2029, date(2029, 4, 1)),
            (2030, date(2030, 4, 21)),
            (2038, date(2038, 4, 25)),
        ];
        for (year, expected) in known {
            assert_eq!(easter_sunday(year), Some(expected), "Easter {year}");
        }
    }

    #[test]
    fn always_a_sunday_between_22_march_and_25_april() {
        for year in FIRST_GREGORIAN_YEAR..=9999 {
            let Some(easter) = easter_sunday(year) else {
                unreachable!("no Easter for {year}");
            };
            assert_eq!(easter.weekday(), jiff::civil::Weekday::Sunday, "{year}");
            assert!(easter >= date(year, 3, 22) && easter <= date(year, 4, 25));
        }
    }

    #[test]
    fn no_easter_before_the_gregorian_calendar() {
        assert_eq!(easter_sunday(1582), None);
        assert_eq!(easter_sunday(-44), None);
    }
}
