//! The functions naleving adds to CEL for rule authors: dates and legal
//! time (SPEC §7). Dates are ISO `YYYY-MM-DD` strings in CEL.
//!
//! - `date(s)`: the ISO date of `s` (a date, or the date part of a date-time);
//!   an error when `s` is not one.
//! - `add_term(d, "5 werkdagen")`: the due date of a term from `d`, with the
//!   Algemene termijnenwet applied.
//! - `workdays_between(a, b)`: working days in `(a, b]` (negative when `b < a`).
//! - `workdays_in(a, b)`: working days from `a` through `b`, both included
//!   (what a text means by "de twaalf werkdagen van 25 mei tot en met 9 juni").
//! - `is_workday(d)`: whether `d` is a working day.
//! - `sum(list)`: the sum of a list of numbers (CEL has no built-in sum).
//! - `year(d)`: the year of a date, as an int.
//! - `min(list)`, `max(list)`: the smallest and largest of numbers or strings.

use std::sync::{Arc, RwLock};

use cel::{Context, ExecutionError, Value};
use jiff::civil::Date;

use crate::calendar::parse_date;
use crate::calendar::{Calendar, Due, Term};
use crate::data::FastMap;

fn date_arg(function: &str, text: &str) -> Result<Date, ExecutionError> {
    parse_date(text)
        .ok_or_else(|| ExecutionError::function_error(function, format!("{text:?} is not a date")))
}

/// `add_term` with its answers remembered: rules call it once per record
/// with few distinct (term, start) pairs. CEL's `add_term` and the native
/// path ([`super::fast`]) share one, so both give the same dates.
pub(crate) struct Terms {
    calendar: Arc<Calendar>,
    known: RwLock<FastMap<String, FastMap<Date, Arc<String>>>>,
    /// Whole deadlines with their explanation, for `deadline` checks.
    dues: RwLock<FastMap<(Term, bool, Date), Arc<Due>>>,
}

impl Terms {
    pub(crate) fn new(calendar: Arc<Calendar>) -> Terms {
        Terms {
            calendar,
            known: RwLock::default(),
            dues: RwLock::default(),
        }
    }

    /// `term.due(calendar, start, atw)`, remembered.
    pub(crate) fn due(&self, term: Term, start: Date, atw: bool) -> Arc<Due> {
        let key = (term, atw, start);
        if let Some(due) = self.dues.read().ok().and_then(|d| d.get(&key).cloned()) {
            return due;
        }
        let due = Arc::new(term.due(&self.calendar, start, atw));
        if let Ok(mut dues) = self.dues.write() {
            // Bounded like `add`.
            if dues.len() < 100_000 {
                dues.insert(key, Arc::clone(&due));
            }
        }
        due
    }

    /// The due date of `term` from the ISO date `start`, as CEL's
    /// `add_term(start, term)` gives it.
    pub(crate) fn add(&self, start: &str, term: &str) -> Result<Arc<String>, ExecutionError> {
        let start = date_arg("add_term", start)?;
        let remembered = self
            .known
            .read()
            .ok()
            .and_then(|known| known.get(term)?.get(&start).cloned());
        if let Some(due) = remembered {
            return Ok(due);
        }
        let parsed: Term = term
            .parse()
            .map_err(|e| ExecutionError::function_error("add_term", format!("{e}")))?;
        let due = Arc::new(parsed.due(&self.calendar, start, true).due.to_string());
        if let Ok(mut known) = self.known.write() {
            let dates = known.entry(term.to_string()).or_default();
            // Bounded: a pathological rule cannot grow this without end.
            if dates.len() < 100_000 {
                dates.insert(start, Arc::clone(&due));
            }
        }
        Ok(due)
    }
}

/// Adds naleving's functions to a CEL context.
pub(super) fn register(
    context: &mut Context<'static, 'static>,
    calendar: &Arc<Calendar>,
    terms: &Arc<Terms>,
) {
    // Registration only fails on a name clash with CEL's standard library,
    // which the tests below rule out; a clash would leave the function out
    // and expressions using it would fail with "undeclared reference".
    let _ = context.add_function(
        "date",
        |s: Arc<String>| -> Result<Arc<String>, ExecutionError> {
            Ok(Arc::new(date_arg("date", &s)?.to_string()))
        },
    );
    let shared = Arc::clone(terms);
    let _ = context.add_function(
        "add_term",
        move |d: Arc<String>, term: Arc<String>| -> Result<Arc<String>, ExecutionError> {
            shared.add(&d, &term)
        },
    );
    let cal = Arc::clone(calendar);
    let _ = context.add_function(
        "workdays_between",
        move |a: Arc<String>, b: Arc<String>| -> Result<i64, ExecutionError> {
            Ok(cal.workdays_between(
                date_arg("workdays_between", &a)?,
                date_arg("workdays_between", &b)?,
            ))
        },
    );
    let cal = Arc::clone(calendar);
    let _ = context.add_function(
        "workdays_in",
        move |a: Arc<String>, b: Arc<String>| -> Result<i64, ExecutionError> {
            let (a, b) = (date_arg("workdays_in", &a)?, date_arg("workdays_in", &b)?);
            let before = a
                .yesterday()
                .map_err(|e| ExecutionError::function_error("workdays_in", e))?;
            Ok(cal.workdays_between(before, b))
        },
    );
    let _ = context.add_function("sum", sum);
    let _ = context.add_function(super::macros::MAP_INSERT, map_insert);
    let _ = context.add_function("min", |items: Arc<Vec<Value>>| {
        extreme("min", &items, std::cmp::Ordering::Less)
    });
    let _ = context.add_function("max", |items: Arc<Vec<Value>>| {
        extreme("max", &items, std::cmp::Ordering::Greater)
    });
    let _ = context.add_function("year", |d: Arc<String>| -> Result<i64, ExecutionError> {
        Ok(i64::from(date_arg("year", &d)?.year()))
    });
    let cal = Arc::clone(calendar);
    let _ = context.add_function(
        "is_workday",
        move |d: Arc<String>| -> Result<bool, ExecutionError> {
            Ok(cal.is_workday(date_arg("is_workday", &d)?))
        },
    );
}

/// The functions naleving adds to CEL.
pub const OWN: &[&str] = &[
    "date",
    "add_term",
    "workdays_between",
    "workdays_in",
    "sum",
    "min",
    "max",
    "year",
    "is_workday",
];

/// The standard functions rules use most, for `did you mean` beside
/// naleving's own.
pub const COMMON: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "double",
    "string",
    // The strings, math and lists extensions.
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "trim",
    "replace",
    "split",
    "substring",
    "join",
    "format",
    "reverse",
    "greatest",
    "least",
    "abs",
    "ceil",
    "floor",
    "round",
    "sign",
    "range",
    "flatten",
    "distinct",
    "sort",
    "sortBy",
    "slice",
];

/// True when a call to `name` can be evaluated: an operator, one of
/// CEL's standard functions (the `cel` crate refuses to let a context
/// redefine those), or one naleving adds.
pub fn known(name: &str) -> bool {
    // Operators are named for their shape: `_+_`, `-_`, `!_`, `_[_]`, `@in`.
    let operator = name.starts_with(['_', '@', '!']) || name.ends_with('_');
    operator
        || OWN.contains(&name)
        || cel::Context::with_env(Arc::clone(&super::CEL))
            .add_function(name, |a: i64| a)
            .is_err()
}

/// `@naleving_map_insert(map, key, value)`: the map with one more entry,
/// for `transformMap` (see [`super::macros`]); a key already there is an
/// error, as in a map literal.
fn map_insert(map: Value, key: Value, value: Value) -> Result<Value, ExecutionError> {
    let fail = |why: &str| ExecutionError::function_error("transformMap", why.to_string());
    let Value::Map(map) = map else {
        return Err(fail("not a map"));
    };
    let key: cel::objects::Key = key
        .try_into()
        .map_err(|_| fail("a key must be an int, uint, bool or string"))?;
    if map.map.contains_key(&key) {
        return Err(fail("a key appears twice"));
    }
    let mut entries = (*map.map).clone();
    entries.insert(key, value);
    Ok(Value::Map(cel::objects::Map {
        map: Arc::new(entries),
    }))
}

/// `min(list)` / `max(list)`: the smallest or largest of a non-empty list of
/// numbers or strings (ISO dates compare correctly as strings).
fn extreme(
    name: &str,
    items: &[Value],
    wanted: std::cmp::Ordering,
) -> Result<Value, ExecutionError> {
    let mut best: Option<&Value> = None;
    for item in items {
        best = match best {
            None => Some(item),
            Some(current) => match item.partial_cmp(current) {
                Some(order) if order == wanted => Some(item),
                Some(_) => Some(current),
                None => {
                    return Err(ExecutionError::function_error(
                        name,
                        format!(
                            "cannot compare {} with {}",
                            item.type_of(),
                            current.type_of()
                        ),
                    ));
                }
            },
        };
    }
    best.cloned()
        .ok_or_else(|| ExecutionError::function_error(name, "empty list"))
}

/// `sum(list)`: integers stay integers; any float makes the sum a float.
fn sum(items: Arc<Vec<Value>>) -> Result<Value, ExecutionError> {
    let overflow = || ExecutionError::function_error("sum", "overflow");
    let mut int: i64 = 0;
    let mut float: Option<f64> = None;
    for item in items.iter() {
        match item {
            Value::Int(i) => int = int.checked_add(*i).ok_or_else(overflow)?,
            Value::UInt(u) => {
                int = i64::try_from(*u)
                    .ok()
                    .and_then(|u| int.checked_add(u))
                    .ok_or_else(overflow)?;
            }
            Value::Float(f) => *float.get_or_insert(0.0) += f,
            other => {
                return Err(ExecutionError::function_error(
                    "sum",
                    format!("not a number: {}", other.type_of()),
                ));
            }
        }
    }
    Ok(match float {
        Some(f) => Value::Float(f + int as f64),
        None => Value::Int(int),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::expr::{Env, compile};

    fn eval(source: &str) -> Result<cel::Value, String> {
        let calendar = Arc::new(Calendar::nl().unwrap());
        let env = Env::new(jiff::civil::date(2020, 7, 1), calendar, None);
        let record: Map<String, Value> = match json!({"ontvangen_op": "2020-05-29", "t": "2020-05-29T23:10:00+02:00"})
        {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        compile(source)
            .map_err(|e| e.message.en())?
            .eval(&env, &crate::data::Fields::from(record))
            .map_err(|e| e.en())
    }

    #[test]
    fn date_functions() {
        let s = |v: &str| cel::Value::String(Arc::new(v.to_string()));
        assert_eq!(
            eval("add_term(record.ontvangen_op, '5 werkdagen')"),
            Ok(s("2020-06-08"))
        );
        assert_eq!(eval("date(record.t)"), Ok(s("2020-05-29")));
        assert_eq!(
            eval("workdays_between('2020-05-29', '2020-06-08')"),
            Ok(cel::Value::Int(5))
        );
        assert_eq!(
            eval("is_workday('2020-06-01')"),
            Ok(cel::Value::Bool(false))
        );
        assert_eq!(
            eval("add_term(record.ontvangen_op, '5 werkdagen') < as_of"),
            Ok(cel::Value::Bool(true))
        );
        assert_eq!(
            eval("workdays_in('2020-05-25', '2020-06-09')"),
            Ok(cel::Value::Int(11))
        );
        assert_eq!(eval("sum([1, 2, 3])"), Ok(cel::Value::Int(6)));
        assert_eq!(eval("year(as_of)"), Ok(cel::Value::Int(2020)));
        assert_eq!(eval("min([2019, 2018, 2020])"), Ok(cel::Value::Int(2018)));
        assert_eq!(
            eval("max(['2020-01-02', '2020-03-01'])"),
            Ok(s("2020-03-01"))
        );
        assert!(eval("max([])").is_err());
        assert_eq!(eval("sum([1.5, 2])"), Ok(cel::Value::Float(3.5)));
        assert!(eval("sum(['a'])").is_err());
        assert!(eval("date('gisteren')").is_err());
        // Counts in words, as letters write them (issue 19).
        assert_eq!(
            eval("add_term('2020-05-29', 'vijf dagen')"),
            eval("add_term('2020-05-29', '5 dagen')")
        );
        assert!(eval("add_term('2020-05-29', 'vijf')").is_err());
    }
}
