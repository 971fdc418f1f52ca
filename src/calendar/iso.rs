//! Dates as the data writes them: ISO 8601 dates, and the date part of
//! ISO date-times (SPEC §4). Every module that reads a date from data,
//! a rule, a waiver or the command line reads it here.

use jiff::civil::Date;

/// Parses an ISO date, or the date part of an ISO date-time (SPEC §4). A
/// date-time must be valid as a whole (`2021-06-30T25:99` is no date).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let date_part = text.get(..10)?;
    // `get`, not slicing: byte 10 may fall inside a multi-byte character.
    if text.len() > 10 && !(text.get(10..)?.starts_with(['T', ' ', 't']) && is_date_time(text)) {
        return None;
    }
    date_part
        .parse::<Date>()
        .ok()
        .filter(|_| date_part.len() == 10)
}

/// Whether `text` is an ISO date-time: local (`2020-06-05T10:00`), with an
/// offset (`+02:00`) or in UTC (`Z`).
fn is_date_time(text: &str) -> bool {
    text.parse::<jiff::civil::DateTime>().is_ok() || text.parse::<jiff::Timestamp>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times() {
        assert_eq!(
            parse_date("2020-06-05"),
            Some(jiff::civil::date(2020, 6, 5))
        );
        assert_eq!(
            parse_date("2020-06-05T10:00:00+02:00"),
            Some(jiff::civil::date(2020, 6, 5))
        );
        assert_eq!(
            parse_date("2020-06-05T10:00:00Z"),
            Some(jiff::civil::date(2020, 6, 5))
        );
        assert_eq!(
            parse_date("2020-06-05 10:00"),
            Some(jiff::civil::date(2020, 6, 5))
        );
        assert_eq!(parse_date("2021-06-30T25:99"), None);
        assert_eq!(parse_date("2021-06-30T"), None);
        assert_eq!(parse_date("2021-06-30 morgen"), None);
        assert_eq!(parse_date("2020-6-5"), None);
        assert_eq!(parse_date("2020-06-05x"), None);
        assert_eq!(parse_date("2020-02-30"), None);
        assert_eq!(parse_date(""), None);
        // A multi-byte character at the boundary is no date, not a panic.
        assert_eq!(parse_date("2020-06-0é"), None);
        assert_eq!(parse_date("2020-06-05é"), None);
        assert_eq!(parse_date("é020-06-05T"), None);
    }
}
