//! The working-day calendar in SQL, for checks pushed down into a database:
//! due dates computed there exactly as [`Term::due`] computes them here.
//!
//! naleving sends its own list of working days (weekdays that are no Atw
//! feestdag and no day gelijkgesteld by decree, [`Calendar::is_workday`])
//! for a span of years around `as_of` as one bind parameter. The `n`-th
//! working day after a day `s` is then the list's entry at *(the number of
//! working days up to `s`) + n*, found by a binary search
//! ([`Dialect::dates_up_to`]); the first working day on or after a day
//! (Atw art. 1) is the entry after those up to the day before. A date the
//! list does not reach gives NULL, which the callers read as "not certain":
//! naleving then judges the row itself.

use jiff::civil::Date;

use super::{Calendar, Term, Unit};
use crate::sql::{Dialect, LAST_DATE};

/// Years of working days sent before `as_of`'s year…
const YEARS_BEFORE: i16 = 40;
/// …and after it.
const YEARS_AFTER: i16 = 10;

/// More days than lie between 1000-01-01 and 9999-12-31 (3 287 181): a
/// term at least this long ends past 9999-12-31 from any start.
pub const BEYOND_ANY_DATE: u64 = 4_000_000;

/// The working days from 1 January `YEARS_BEFORE` years before the year of
/// `as_of` to 31 December `YEARS_AFTER` years after it (within the years
/// 1000–9999), as an SQL array text `{2020-01-02,2020-01-03,…}`.
pub fn working_days(calendar: &Calendar, as_of: Date) -> String {
    let first = Date::new((as_of.year() - YEARS_BEFORE).max(1000), 1, 1).ok();
    let last = Date::new((as_of.year() + YEARS_AFTER).min(9999), 12, 31).ok();
    let mut text = String::from("{");
    if let (Some(first), Some(last)) = (first, last) {
        let mut day = first;
        while day <= last {
            if calendar.is_workday(day) {
                if text.len() > 1 {
                    text.push(',');
                }
                text.push_str(&day.to_string());
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
    }
    text.push('}');
    text
}

/// The due date of `term` from the SQL date `start`, as [`Term::due`]
/// gives it with the Atw applied when `atw` (as `add_term` does), or NULL
/// where the list of working days `list` (see [`crate::expr::SqlCx::working_days`]) does
/// not reach. `count` is the SQL integer `term.n` (a bind parameter).
pub fn due(d: &dyn Dialect, list: &str, term: Term, atw: bool, start: &str, count: &str) -> String {
    let first = d.date_at(list, "1");
    // The `k`-th working day after the SQL date `day`; NULL before the list.
    let nth_after = |day: &str, k: &str| {
        format!(
            "(CASE WHEN {day} >= {first} THEN {} END)",
            d.date_at(list, &format!("{} + {k}", d.dates_up_to(day, list)))
        )
    };
    if term.unit == Unit::Werkdagen {
        return nth_after(start, count);
    }
    let n = u64::from(term.n);
    let fewest = match term.unit {
        Unit::Werkdagen | Unit::Dagen => n,
        Unit::Weken => 7 * n,
        Unit::Maanden => 28 * n,
        Unit::Jaren => 336 * n,
    };
    let excluded = !atw || term.unit.atw_excluded(term.n).is_some();
    if fewest >= BEYOND_ANY_DATE {
        // Past 9999-12-31 from any start: that day, where naleving stops,
        // when the Atw does not apply; otherwise beyond the list.
        return if excluded {
            d.date_literal(LAST_DATE)
        } else {
            "NULL".to_string()
        };
    }
    let plain = match term.unit {
        Unit::Dagen => d.add_days(start, count),
        Unit::Weken => d.add_days(start, &format!("7 * {count}")),
        Unit::Maanden => d.add_months(start, count),
        _ => d.add_months(start, &format!("12 * {count}")),
    };
    if excluded {
        return format!("LEAST({plain}, {})", d.date_literal(LAST_DATE));
    }
    // Art. 1: the first working day on or after the plain due date.
    let moved = nth_after(&d.add_days(&plain, "-1"), "1");
    // Art. 2: a term of 3 days or more holds 2 working days after the start
    // day (only `1 dag` and `2 dagen` are shorter).
    if term.unit == Unit::Dagen && term.n < 3 {
        return moved;
    }
    let second = nth_after(start, "2");
    format!(
        "(CASE WHEN {moved} IS NULL OR {second} IS NULL THEN NULL ELSE GREATEST({moved}, {second}) END)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_working_days_only_in_order() {
        let calendar = Calendar::nl().unwrap();
        let text = working_days(&calendar, jiff::civil::date(2021, 1, 15));
        let days: Vec<&str> = text[1..text.len() - 1].split(',').collect();
        assert_eq!(days.first(), Some(&"1981-01-02"));
        assert_eq!(days.last(), Some(&"2031-12-31"));
        // Koningsdag 2021 (a Tuesday) and the weekend around it are left out.
        assert!(days.contains(&"2021-04-26") && !days.contains(&"2021-04-27"));
        assert!(!days.contains(&"2021-04-24") && !days.contains(&"2021-04-25"));
        assert!(days.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn long_terms_without_the_atw_end_on_the_last_day() {
        use crate::sql::Postgres;
        let term: Term = "4000000 dagen".parse().unwrap();
        assert!(due(&Postgres, "w", term, false, "s", "$1").contains("9999-12-31"));
        // Longer than the Atw's three months (art. 4): no list needed.
        assert!(due(&Postgres, "w", term, true, "s", "$1").contains("9999-12-31"));
        let term: Term = "3 dagen".parse().unwrap();
        assert!(due(&Postgres, "w", term, true, "s", "$1").contains("GREATEST"));
        let term: Term = "2 dagen".parse().unwrap();
        assert!(!due(&Postgres, "w", term, true, "s", "$1").contains("GREATEST"));
    }
}
