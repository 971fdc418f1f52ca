//! Dutch names for weekdays and months, and the long date format used in
//! explanations ("vrijdag 3 juli 2020").
//!
//! Everything a user reads about a computed deadline is in Dutch, because the
//! law and the programme data are; these helpers keep the spelling in one
//! place.

use jiff::civil::{Date, Weekday};

/// The Dutch month names, January first, in lower case as Dutch writes them.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// The Dutch name of a weekday, in lower case ("zaterdag").
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "maandag",
        Weekday::Tuesday => "dinsdag",
        Weekday::Wednesday => "woensdag",
        Weekday::Thursday => "donderdag",
        Weekday::Friday => "vrijdag",
        Weekday::Saturday => "zaterdag",
        Weekday::Sunday => "zondag",
    }
}

/// The Dutch name of month `month` (1–12), or `None` outside that range.
pub fn month_name(month: i8) -> Option<&'static str> {
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    MONTHS.get(index).copied()
}

/// The month number (1–12) of a Dutch month name; the name must already be
/// in lower case.
pub fn month_number(name: &str) -> Option<i8> {
    let index = MONTHS.iter().position(|m| *m == name)?;
    i8::try_from(index + 1).ok()
}

/// A date written out in Dutch: "vrijdag 3 juli 2020".
pub fn long_date(date: Date) -> String {
    let month = month_name(date.month()).unwrap_or("?");
    format!(
        "{} {} {} {}",
        weekday_name(date.weekday()),
        date.day(),
        month,
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn month_names_round_trip() {
        for m in 1..=12 {
            let name = month_name(m).unwrap_or_default();
            assert_eq!(month_number(name), Some(m));
        }
        assert_eq!(month_name(0), None);
        assert_eq!(month_name(13), None);
        assert_eq!(
            month_number("Juni"),
            None,
            "names are matched in lower case"
        );
    }

    #[test]
    fn long_date_is_dutch() {
        assert_eq!(long_date(date(2020, 7, 3)), "vrijdag 3 juli 2020");
        assert_eq!(long_date(date(2025, 4, 26)), "zaterdag 26 april 2025");
    }
}
