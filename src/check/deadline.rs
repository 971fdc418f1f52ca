//! `deadline`: an act happened within a legal term after a start date
//! (SPEC §5 and §7).
//!
//! ```yaml
//! check:
//!   deadline:
//!     start: ontvangen_op               # field with the start date (day 0)
//!     end: veiligheidsbeoordeling_op    # field with the date of the act
//!     term: 5 werkdagen                 # or `due: termijn`, a field with a term,
//!                                       # a due phrase or a date
//!     atw: true                         # default; false = plain calendar arithmetic
//! ```
//! An `end` after the due date is a finding ("te laat"); a missing `end` is a
//! finding only when `as_of` is past the due date ("overdue"). A due phrase
//! that cannot be resolved — unknown wording, or a recess the calendar has no
//! data for — is a finding too (`termijn::onbekend`), never a silent pass. A
//! record without a usable start date cannot be judged.
//!
//! Every finding carries `details.due` (ISO), `details.late_by` and the days
//! that moved the deadline (`details.skipped`), so an auditor can retrace it.

use crate::text::Text;
use crate::tr;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{BuildCode, BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict};
use crate::calendar::TermijnCode;
use crate::calendar::parse_date;
use crate::calendar::sql::BEYOND_ANY_DATE;
use crate::calendar::{Due, Term, TermijnError, Unit, resolve_termijn};
use crate::data::{Record, field};
use crate::finding::{DeadlineDetails, Details};
use crate::sql::{LAST_DATE, SqlType};

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "An act happened within a legal term after a start date.",
    use_for: "legal terms",
    written: "`{ start, end, term: 5 werkdagen }` or `{ start, end, due: field-with-phrase }`, `atw: false` to switch the Algemene termijnenwet off",
    checks: "`end` lies within the term after `start`; a missing `end` is overdue once `as_of` is past the due date; `due:` names a field holding a term, a due phrase or a date",
};

/// The YAML shape of a `deadline` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The field holding the start date (day 0).
    pub start: String,
    /// The field holding the date the act happened.
    pub end: String,
    /// The term, e.g. `5 werkdagen`, `10 weken`.
    #[serde(default)]
    pub term: Option<String>,
    /// Instead of `term`: a field holding a term, a due phrase or a date,
    /// resolved relative to the start date.
    #[serde(default)]
    pub due: Option<String>,
    /// Apply the Algemene termijnenwet (default true).
    #[serde(default = "yes")]
    pub atw: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug)]
enum Termijn {
    Fixed(Term),
    Field(String),
}

#[derive(Debug)]
struct Deadline {
    start: String,
    end: String,
    termijn: Termijn,
    atw: bool,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let invalid = |message: Text| {
        vec![BuildError::invalid(message, cx.check_at).help(tr!(
            "a deadline needs `start`, `end` and either `term` or `due`"
        ))]
    };
    let termijn = match (spec.term, spec.due) {
        (Some(term), None) => match term.parse::<Term>() {
            Ok(term) => Termijn::Fixed(term),
            Err(err) => {
                return Err(vec![BuildError {
                    code: BuildCode::Term,
                    message: tr!("invalid term: {cause}", cause = err.text()),
                    at: Some(cx.check_at),
                    help: Some(tr!(
                        "write a term as `5 werkdagen`, `14 dagen`, `10 weken` or `3 maanden`"
                    )),
                }]);
            }
        },
        (None, Some(field)) => Termijn::Field(field),
        (Some(_), Some(_)) => {
            return Err(invalid(tr!("`term` and `due` exclude each other")));
        }
        (None, None) => {
            return Err(invalid(tr!("the deadline has no `term` and no `due`")));
        }
    };
    Ok(Box::new(Deadline {
        start: spec.start,
        end: spec.end,
        termijn,
        atw: spec.atw,
    }))
}

impl Check for Deadline {
    fn fields(&self) -> Vec<String> {
        let mut fields = vec![self.start.clone(), self.end.clone()];
        if let Termijn::Field(due) = &self.termijn {
            fields.push(due.clone());
        }
        fields
    }

    fn vars(&self) -> Option<Vec<String>> {
        let names = ["due", "late_by", "term", "start", "as_of"];
        Some(names.iter().map(|n| n.to_string()).collect())
    }

    fn per_record(&self) -> bool {
        true
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        records
            .iter()
            .enumerate()
            .filter_map(|(index, record)| self.judge(cx, index, record))
            .collect()
    }

    /// Every row except those that certainly pass: a start that is an ISO
    /// date, and an act (`end`) on or before the due date — or no act, with
    /// `as_of` on or before it. The due date is computed in SQL from
    /// naleving's own working days ([`crate::calendar::sql::due`]) where
    /// the list reaches, and is otherwise a day certainly no later than it
    /// ([`sure_by`]). A due read from a field (a phrase, a term or a date
    /// per row) has no SQL form: naleving judges it.
    fn sql_may_fail(&self, cx: &mut crate::expr::SqlCx<'_>) -> Option<String> {
        let Termijn::Fixed(term) = &self.termijn else {
            return None;
        };
        if self.start.contains('.') || self.end.contains('.') {
            return None;
        }
        let d = cx.dialect;
        let Some(start) = (cx.column)(&self.start) else {
            // No such column: no row has a start date, none can be judged.
            return Some("TRUE".to_string());
        };
        let start_date = start.date(d);
        let bound = sure_by(*term, self.atw, &start_date, cx);
        // The due date itself where naleving's working days reach (the
        // list is sent once per statement); the bound beyond them.
        let by = match cx.working_days() {
            Some(list) => {
                let count = {
                    let param = cx.param(term.n.to_string());
                    d.cast(&param, SqlType::Int)
                };
                let due = crate::calendar::sql::due(d, &list, *term, self.atw, &start_date, &count);
                format!("COALESCE({due}, {bound})")
            }
            None => bound,
        };
        let not_yet = match iso_text(cx.as_of) {
            Some(as_of) => {
                let param = cx.param(as_of.to_string());
                format!("{} <= {by}", d.cast(&param, SqlType::Date))
            }
            None => "FALSE".to_string(),
        };
        let on_time = match (cx.column)(&self.end) {
            Some(end) => format!(
                "WHEN {} THEN {not_yet} WHEN {} THEN {} <= {by}",
                end.absent(d),
                end.iso_date(d),
                end.date(d)
            ),
            // No such column: the act is missing from every row.
            None => format!("WHEN TRUE THEN {not_yet}"),
        };
        // The `CASE` makes each date only once its text is known to be one.
        Some(format!(
            "(NOT COALESCE(CASE WHEN NOT {} THEN FALSE {on_time} ELSE FALSE END, FALSE))",
            start.iso_date(d)
        ))
    }
}

/// A day, as SQL, that is certainly no later than the due date of `term`
/// from the SQL date `start` (in the years 1000–9999), as the host
/// computes it ([`Term::due`]). Working days are weekdays that are no
/// feestdag (Atw art. 3) or day gelijkgesteld by decree, so the day is
/// the due date as if every weekday were a working day:
///
/// - `N werkdagen`: the N-th weekday after the start (the N-th working
///   day is no earlier);
/// - a calendar term without the Atw: the due date itself, start plus N
///   days, weeks, months or years;
/// - with the Atw (art. 1, 2), which only extends: that date, or the
///   first weekday from it on when it falls on a Saturday or Sunday, and
///   for a term of 3 days no earlier than the second weekday after the
///   start.
///
/// A due date past 9999-12-31 is that day in the host, and so it is here.
/// The count is a bind parameter.
fn sure_by(term: Term, atw: bool, start: &str, cx: &mut crate::expr::SqlCx<'_>) -> String {
    let d = cx.dialect;
    let last = d.date_literal(LAST_DATE);
    let n = u64::from(term.n);
    // The fewest days the term can span, and the count sent to SQL.
    let (fewest, count) = match term.unit {
        Unit::Werkdagen | Unit::Dagen => (n, n),
        Unit::Weken => (7 * n, 7 * n),
        Unit::Maanden => (28 * n, n),
        Unit::Jaren => (28 * 12 * n, 12 * n),
    };
    if fewest > BEYOND_ANY_DATE {
        // From any start in the years 1000–9999 the term ends past
        // 9999-12-31: the host's due date is that day.
        return last;
    }
    let count = {
        let param = cx.param(count.to_string());
        d.cast(&param, SqlType::Int)
    };
    let by = match term.unit {
        Unit::Werkdagen => nth_weekday_after(d, start, &count),
        Unit::Dagen | Unit::Weken | Unit::Maanden | Unit::Jaren => {
            let plain = match term.unit {
                Unit::Dagen | Unit::Weken => d.add_days(start, &count),
                _ => d.add_months(start, &count),
            };
            if !atw || term.unit.atw_excluded(term.n).is_some() {
                plain
            } else {
                // Art. 1: not on a Saturday or Sunday.
                let weekday = d.add_days(
                    &plain,
                    &format!(
                        "(CASE {} WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END)",
                        d.iso_weekday(&plain)
                    ),
                );
                // Art. 2: a term of 3 days or more holds 2 working days
                // after the start day. The second weekday after a start
                // is at most 4 days on, so only a term of 3 days can end
                // before it.
                if term.unit == Unit::Dagen && term.n == 3 {
                    let two = nth_weekday_after(d, start, "2");
                    format!("GREATEST({weekday}, {two})")
                } else {
                    weekday
                }
            }
        }
    };
    format!("LEAST({by}, {last})")
}

/// The `n`-th weekday (Monday to Friday) after the SQL date `start`, for
/// an SQL integer `n` of at least 1. From a Saturday or Sunday it is the
/// `n`-th after the Friday before; from a weekday `w` (1–5) every 5
/// weekdays counted from the Monday of its week add a weekend:
/// `start + n + 2 * ((w - 1 + n) div 5)`.
fn nth_weekday_after(d: &dyn crate::sql::Dialect, start: &str, n: &str) -> String {
    let w = d.iso_weekday(start);
    let weekends = d.int_div(&format!("(LEAST({w}, 5) - 1 + {n})"), "5");
    d.add_days(
        start,
        &format!("({n} + 2 * {weekends} - GREATEST({w} - 5, 0))"),
    )
}

/// `text` when it is an ISO date `YYYY-MM-DD` in the years 1000–9999.
fn iso_text(text: &str) -> Option<&str> {
    let iso = text.len() == 10
        && !text.starts_with('0')
        && parse_date(text).is_some_and(|date| date.to_string() == text);
    iso.then_some(text)
}

impl Deadline {
    fn judge(&self, cx: &CheckCx<'_>, index: usize, record: &Record) -> Option<Outcome> {
        let Some(start) = date_of(field(&record.fields, &self.start)) else {
            return Some(Outcome::Unjudged {
                record: index,
                cause: tr!(
                    "start field `{field}` is missing or not a date",
                    field = &self.start
                ),
            });
        };
        let (due, term_text) = match &self.termijn {
            Termijn::Fixed(term) => (cx.env.due(*term, start, self.atw), term.to_string()),
            Termijn::Field(name) => {
                let Some(text) = field(&record.fields, name).and_then(Value::as_str) else {
                    return Some(Outcome::Unjudged {
                        record: index,
                        cause: tr!("due field `{field}` is missing or not text", field = name),
                    });
                };
                match resolve_termijn(start, text, cx.calendar, self.atw) {
                    Ok(due) => (Arc::new(due), text.to_string()),
                    Err(err) => return Some(unknown(index, name, text, &err)),
                }
            }
        };
        let end_value = field(&record.fields, &self.end);
        let end = match end_value {
            None | Some(Value::Null) => None,
            Some(value) => match date_of(Some(value)) {
                Some(date) => Some(date),
                None => {
                    return Some(Outcome::Unjudged {
                        record: index,
                        cause: tr!("end field `{field}` is not a date", field = &self.end),
                    });
                }
            },
        };
        let (late_until, overdue) = match end {
            Some(end) if end > due.due => (end, false),
            Some(_) => return None,
            None if cx.as_of > due.due => (cx.as_of, true),
            None => return None,
        };
        let unit = match &self.termijn {
            Termijn::Fixed(term) => term.unit,
            Termijn::Field(_) => Unit::Dagen,
        };
        let late_by = late_by(cx, &due, late_until, unit);
        let message = if overdue {
            format!(
                "`{}` ontbreekt en de termijn ({term_text}) is op {} verstreken: {late_by} over de termijn",
                self.end, due.due
            )
        } else {
            format!(
                "`{}` {late_by} te laat: uiterlijk {} ({term_text} na `{}`)",
                self.end, due.due, self.start
            )
        };
        let vars = vec![
            ("due".to_string(), due.due.to_string()),
            ("late_by".to_string(), late_by.clone()),
            ("term".to_string(), term_text.clone()),
            ("start".to_string(), start.to_string()),
            ("as_of".to_string(), cx.as_of.to_string()),
        ];
        let details = Details::from(DeadlineDetails {
            start,
            term: term_text,
            due,
            late_by,
            overdue,
            end,
        });
        Some(Outcome::Finding(Verdict {
            record: index,
            field: Some(self.end.as_str().into()),
            message: message.into(),
            vars,
            details,
            discriminator: None,
            keep_message: false,
            subject: None,
            members: Vec::new(),
        }))
    }
}

/// How late, in the unit of the term: working days for `werkdagen`, else
/// calendar days.
fn late_by(cx: &CheckCx<'_>, due: &Due, until: jiff::civil::Date, unit: Unit) -> String {
    if unit == Unit::Werkdagen {
        let n = cx.calendar.workdays_between(due.due, until).max(1);
        format!("{n} {}", if n == 1 { "werkdag" } else { "werkdagen" })
    } else {
        let n = due
            .due
            .until(until)
            .map_or(1, |span| span.get_days())
            .max(1);
        format!("{n} {}", if n == 1 { "dag" } else { "dagen" })
    }
}

/// A due phrase that cannot be resolved: a finding, so it cannot pass silently.
fn unknown(index: usize, name: &str, text: &str, err: &TermijnError) -> Outcome {
    let mut details = Map::new();
    details.insert("code".to_string(), json!(TermijnCode::Onbekend.as_str()));
    details.insert("term".to_string(), json!(text));
    details.insert("cause".to_string(), json!(err.to_string()));
    Outcome::Finding(Verdict {
        record: index,
        field: Some(name.into()),
        // The kind's own messages are Dutch (rule messages stay as
        // written): so is the reason inside.
        message: format!(
            "termijn::onbekend — de termijn in `{name}` is niet te bepalen: {}",
            err.text().render(crate::text::Lang::Nl)
        )
        .into(),
        vars: vec![
            ("due".to_string(), "onbekend".to_string()),
            ("late_by".to_string(), "onbekend".to_string()),
            ("term".to_string(), text.to_string()),
        ],
        details: details.into(),
        discriminator: Some(TermijnCode::Onbekend.as_str().to_string()),
        keep_message: true,
        subject: None,
        members: Vec::new(),
    })
}

/// A date from a field: an ISO date, or the date part of a date-time.
fn date_of(value: Option<&Value>) -> Option<jiff::civil::Date> {
    value.and_then(Value::as_str).and_then(parse_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::SqlCx;
    use crate::sql::{Column, ColumnKind, Postgres};

    /// The SQL form of a deadline over `date` columns `s` and `e` (and no
    /// other column), and its parameters.
    fn sql_form(termijn: Termijn, end: &str, as_of: &str) -> (Option<String>, Vec<String>) {
        let check = Deadline {
            start: "s".to_string(),
            end: end.to_string(),
            termijn,
            atw: true,
        };
        let column = |name: &str| {
            ["s", "e"].contains(&name).then(|| Column {
                json: format!("to_jsonb(r.\"{name}\")"),
                plain: format!("r.\"{name}\""),
                kind: Some(ColumnKind::Date),
            })
        };
        let none = |_: &str, _: Option<&str>| None;
        let no_fields = |_: &[String]| None;
        let mut cx = SqlCx {
            dialect: &Postgres,
            column: &column,
            repeated: &no_fields,
            keys: &none,
            as_of,
            params: Vec::new(),
            calendar: None,
            working_days: None,
        };
        let sql = check.sql_may_fail(&mut cx);
        (sql, cx.params)
    }

    fn fixed(term: &str) -> Termijn {
        Termijn::Fixed(term.parse().unwrap())
    }

    #[test]
    fn the_term_and_as_of_are_parameters() {
        let (sql, params) = sql_form(fixed("17 werkdagen"), "e", "2021-01-15");
        let sql = sql.unwrap();
        assert_eq!(params, ["17", "2021-01-15"]);
        assert!(!sql.contains("17") && !sql.contains("2021"), "{sql}");
        assert!(sql.contains("extract(isodow FROM r.\"s\")"), "{sql}");
        // Months are added as months, weeks as days.
        let (sql, params) = sql_form(fixed("2 maanden"), "e", "2021-01-15");
        assert!(sql.unwrap().contains("make_interval(months =>"));
        assert_eq!(params, ["2", "2021-01-15"]);
        let (_, params) = sql_form(fixed("3 weken"), "e", "2021-01-15");
        assert_eq!(params, ["21", "2021-01-15"]);
        let (_, params) = sql_form(fixed("2 jaar"), "e", "2021-01-15");
        assert_eq!(params, ["24", "2021-01-15"]);
    }

    #[test]
    fn what_has_no_sql_form_or_no_certain_pass() {
        // A due per row (a phrase, a term or a date in a field).
        assert_eq!(
            sql_form(Termijn::Field("e".into()), "e", "2021-01-15").0,
            None
        );
        // A field inside an object.
        assert_eq!(sql_form(fixed("5 dagen"), "e.op", "2021-01-15").0, None);
        // A term past any date: the last date, no count sent.
        let (sql_text, params) = sql_form(fixed("4000000000 dagen"), "e", "2021-01-15");
        assert!(sql_text.unwrap().contains("'9999-12-31'"));
        assert_eq!(params, ["2021-01-15"]);
        // An as_of that is no ISO date of 1000–9999: a missing act is
        // never certainly on time.
        let (sql_text, params) = sql_form(fixed("5 dagen"), "e", "0999-01-01");
        assert!(sql_text.unwrap().contains("THEN FALSE WHEN"));
        assert_eq!(params, ["5"]);
    }
}
