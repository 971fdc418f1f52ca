//! Checks pushed down into PostgreSQL: which rows of a table the run must
//! read, and what the database counts of the others.
//!
//! A table is pushed down when every selected rule over it has an SQL form
//! for its check, `when` and validity window (see [`crate::expr::sql`];
//! `required`, `expr` in the native subset, `unique`, `reference` — to a
//! table of the same database as a subquery, to any other collection with
//! the keys naleving read of it as one parameter —, `deadline` with a fixed
//! term, counting `aggregate`s), and no other rule looks keys up in it. The
//! database then sends back only the rows that some rule might not pass —
//! and every row naleving must see for another reason: a key that is
//! missing, blank, of another type or duplicated, and a value that does
//! not certainly fit the collection's schema as it stands (a schema may
//! convert a value; only a value it keeps unchanged is judged in SQL).
//! naleving judges those rows as it judges any record, so findings and
//! problems are the same as when every row is read; the rows left behind
//! are counted per rule — outside the window, not applicable, judged and
//! passed — so the report's statistics are the same too.
//!
//! A row is *settled* for a rule when it is certainly outside the rule's
//! window, or certainly inside it and either certainly not applicable or
//! certainly applicable and certainly passing. Every condition here is an
//! SQL boolean that is never NULL; anything uncertain reads the row. The
//! SQL is written through a [`Dialect`]; the tables read are PostgreSQL's.

use std::cell::Cell;
use std::collections::BTreeMap;

use crate::calendar::Calendar;
use crate::check::GroupScope;
use crate::data::postgres::{Pushed, Table};
use crate::expr::{Keys, SqlCx};
use crate::project::Collection;
use crate::rule::{Rule, Validity};
use crate::sql::{Column, Dialect, Postgres, SqlType};
use crate::table_schema::{Kind, Schema};

/// The push-down of `rules` over one table, or `None` when one of them (or
/// a column it names that the run does not read) has no SQL form. The
/// counts are two per rule, in order: outside the window; inside it and
/// not applicable.
pub(super) fn build(
    rules: &[&Rule],
    collections: &BTreeMap<String, Collection>,
    schema: Option<&Schema>,
    (as_of, calendar): (&str, &Calendar),
    listed: &dyn Fn(&str, Option<&str>) -> Option<String>,
    table: &Table<'_>,
) -> Option<Pushed> {
    // A column the table has but the run does not read cannot be judged
    // in SQL as "absent": the push-down is then given up.
    let unread = Cell::new(false);
    let column = |name: &str| {
        let column = table.field(name);
        if column.is_none() && table.type_of(name).is_some() {
            unread.set(true);
        }
        column
    };
    let d: &dyn Dialect = &Postgres;
    // A condition that reads the whole table (a subquery): computed once
    // per statement only when each row's conditions are computed once.
    let wide = Cell::new(!table.key_unique);
    let repeated = |fields: &[String]| {
        let sql = repeated(d, table, fields, &unread);
        wide.set(wide.get() || sql.as_deref().is_some_and(|s| s != "FALSE"));
        sql
    };
    // A target in the same database is a subquery; any other target's keys
    // (a file, a query, a field other than the key) are those naleving
    // read, sent as one parameter.
    let keys = |name: &str, field: Option<&str>| {
        match field {
            None => keys_of(d, collections.get(name)).map(Keys::Subquery),
            Some(_) => None,
        }
        .or_else(|| listed(name, field).map(Keys::Listed))
        .inspect(|_| wide.set(true))
    };
    let mut cx = SqlCx {
        dialect: d,
        column: &column,
        repeated: &repeated,
        keys: &keys,
        as_of,
        params: Vec::new(),
        calendar: Some(calendar),
        working_days: None,
    };
    let sound = format!(
        "({} AND {})",
        key_sound(d, table),
        schema_sound(schema, table, &mut cx)?
    );
    let mut settled = Vec::new();
    let mut counts = Vec::new();
    for rule in rules {
        let (applies, not_applicable) = match &rule.when {
            Some(when) => when.sql_certain(&mut cx)?,
            None => ("TRUE".to_string(), "FALSE".to_string()),
        };
        let (outside, inside) = window(rule.valid.as_ref(), table, &mut cx)?;
        let pass = match rule.check.sql_may_fail(&mut cx) {
            Some(may_fail) => format!("(NOT {may_fail})"),
            None => {
                let scope = GroupScope {
                    from: table.from,
                    maybe: format!("(NOT ({outside} OR ({inside} AND {not_applicable})))"),
                    sure: format!("({inside} AND {applies} AND {sound})"),
                };
                wide.set(true);
                rule.check.sql_group_passes(&mut cx, &scope)?
            }
        };
        settled.push(format!(
            "({outside} OR ({inside} AND ({not_applicable} OR ({applies} AND {pass}))))"
        ));
        counts.push(outside.clone());
        counts.push(format!("(NOT {outside} AND {not_applicable})"));
    }
    if unread.get() {
        return None;
    }
    Some(Pushed {
        with: cx.with_clause(),
        once: wide.get(),
        sound,
        counts,
        settled,
        params: cx.params,
    })
}

/// For `unique`: the row's values of `fields`, as keys, are also another
/// row's (over the whole table: a superset of the rows the rule judges).
/// A row without one of the values is never a duplicate.
fn repeated(
    d: &dyn Dialect,
    table: &Table<'_>,
    fields: &[String],
    unread: &Cell<bool>,
) -> Option<String> {
    let mut here = Vec::new();
    let mut there = Vec::new();
    for name in fields {
        if name.contains('.') {
            return None;
        }
        if table.type_of(name).is_none() {
            // Absent from every row: no record is judged.
            return Some("FALSE".to_string());
        }
        if !table.chosen.contains(name) {
            unread.set(true);
            return None;
        }
        here.push(crate::expr::key_text(d, &table.of_row("r", name)?));
        there.push(crate::expr::key_text(d, &table.of_row("t", name)?));
    }
    let groups: Vec<String> = (1..=there.len()).map(|i| i.to_string()).collect();
    Some(format!(
        "COALESCE(({}) IN (SELECT {} FROM {} AS t GROUP BY {} HAVING count(*) > 1), FALSE)",
        here.join(", "),
        there.join(", "),
        table.from,
        groups.join(", ")
    ))
}

/// The row's key is one naleving accepts without a word, and no other row
/// has it: a non-blank string with a letter or digit, or a whole number
/// that a float keeps exactly.
fn key_sound(d: &dyn Dialect, table: &Table<'_>) -> String {
    let Some(column) = table.of_row("r", table.key) else {
        return "FALSE".to_string();
    };
    let accepted = accepted_key(d, &column);
    if table.key_unique {
        // A unique index on the key: no two rows have it.
        return accepted;
    }
    let quoted = d.ident(table.key);
    format!(
        "({accepted} AND {} NOT IN (SELECT {quoted} FROM {from} WHERE {quoted} IS NOT NULL \
         GROUP BY {quoted} HAVING count(*) > 1))",
        column.plain,
        from = table.from
    )
}

/// The JSON value is certainly a key naleving accepts: a string with a
/// letter or digit, or a whole number a float keeps exactly.
fn accepted_key(d: &dyn Dialect, column: &Column) -> String {
    format!(
        "COALESCE(({} AND {}) OR ({} AND {}), FALSE)",
        column.is(d, "string"),
        d.matches(&column.text(d), "[A-Za-z0-9]"),
        column.is(d, "number"),
        d.matches(&column.literal(d), "^-?[0-9]{1,15}$")
    )
}

/// For `reference`: the keys naleving certainly reads of `collection`, when
/// it is a table of the run's database whose key no schema converts or
/// takes out: a subquery of their key texts.
fn keys_of(d: &dyn Dialect, collection: Option<&Collection>) -> Option<String> {
    let collection = collection?;
    let source = collection.postgres.as_ref()?;
    if let crate::project::PgFrom::Query(_) = source.from {
        return None;
    }
    let schema_keeps_it = collection
        .schema
        .as_ref()
        .and_then(|s| s.fields.get(&collection.key))
        .is_none_or(|f| matches!(f.kind, Kind::String | Kind::Any) && f.values.is_none());
    if !schema_keeps_it {
        return None;
    }
    let column = Column::json_only(d.json("k", &collection.key));
    Some(format!(
        "SELECT {} FROM {} AS k WHERE {}",
        crate::expr::key_text(d, &column),
        crate::data::postgres::table_name(&source.from),
        accepted_key(d, &column)
    ))
}

/// Every value the run reads fits the schema as it is, so the schema
/// neither reports nor converts it: what SQL judges is what naleving would.
/// `None` when the schema names a column the run does not read.
fn schema_sound(schema: Option<&Schema>, table: &Table<'_>, cx: &mut SqlCx<'_>) -> Option<String> {
    let Some(schema) = schema else {
        return Some("TRUE".to_string());
    };
    let d = cx.dialect;
    let mut parts = Vec::new();
    for name in &schema.required {
        if table.type_of(name).is_none() {
            // Missing from every row: each row has a fault to report.
            return Some("FALSE".to_string());
        }
    }
    for name in table.chosen {
        let column = table.field(name)?;
        let absent = column.absent(d);
        let Some(field) = schema.fields.get(name) else {
            if !schema.additional_fields {
                parts.push(absent);
            }
            continue;
        };
        let fits = fits(field, &column, cx);
        parts.push(if field.required {
            format!("({} AND {fits})", crate::expr::present(d, &column))
        } else {
            format!("({absent} OR {fits})")
        });
    }
    Some(if parts.is_empty() {
        "TRUE".to_string()
    } else {
        format!("COALESCE({}, FALSE)", parts.join(" AND "))
    })
}

/// The value is of the field's type as it stands, and one of its values
/// when it lists them.
fn fits(field: &crate::table_schema::Field, column: &Column, cx: &mut SqlCx<'_>) -> String {
    let d = cx.dialect;
    let of_type = |name: &str| column.is(d, name);
    let typed = match (field.kind, &field.format) {
        (Kind::Any, _) => "TRUE".to_string(),
        (Kind::String, _) => of_type("string"),
        (Kind::Number, _) => of_type("number"),
        (Kind::Integer, _) => format!(
            "({} AND {})",
            of_type("number"),
            d.matches(&column.literal(d), "^-?[0-9]{1,18}$")
        ),
        (Kind::Boolean, _) => of_type("boolean"),
        (Kind::Object, _) => of_type("object"),
        (Kind::Array, _) => of_type("array"),
        // An ISO date is kept as it is.
        (Kind::Date, None) => column.iso_date(d),
        // Other dates and date-times may be converted: naleving judges.
        (Kind::Date | Kind::Datetime, _) => "FALSE".to_string(),
    };
    let Some(values) = &field.values else {
        return typed;
    };
    let texts: Option<Vec<&str>> = values.iter().map(|v| v.as_str()).collect();
    match texts {
        Some(texts) if !texts.is_empty() => {
            let list: Vec<String> = texts
                .iter()
                .map(|text| {
                    let param = cx.param((*text).to_string());
                    d.bytewise(&param)
                })
                .collect();
            // The text is only read once the value is known to be one.
            format!(
                "(CASE WHEN {typed} AND {} THEN {} IN ({}) ELSE FALSE END)",
                of_type("string"),
                d.bytewise(&column.text(d)),
                list.join(", ")
            )
        }
        // Values of other types: naleving compares them.
        _ => "FALSE".to_string(),
    }
}

/// `(certainly outside, certainly inside)` the rule's validity window. A
/// record without a readable date is judged (inside): a value that is
/// absent, or an ISO date, is certain; anything else (a date-time, a
/// date in another form) is left to naleving.
fn window(
    valid: Option<&Validity>,
    table: &Table<'_>,
    cx: &mut SqlCx<'_>,
) -> Option<(String, String)> {
    let Some(valid) = valid else {
        return Some(("FALSE".to_string(), "TRUE".to_string()));
    };
    let name = valid.date_field.as_str();
    if name.contains('.') {
        return Some(("FALSE".to_string(), "FALSE".to_string()));
    }
    if table.type_of(name).is_none() {
        // No such column: no record has the date, each is judged.
        return Some(("FALSE".to_string(), "TRUE".to_string()));
    }
    let column = table.field(name)?;
    let d = cx.dialect;
    let date = column.date(d);
    let mut beyond = Vec::new();
    if let Some(from) = valid.from {
        let param = cx.param(from.to_string());
        beyond.push(format!("{date} < {}", d.cast(&param, SqlType::Date)));
    }
    if let Some(until) = valid.until {
        let param = cx.param(until.to_string());
        beyond.push(format!("{date} > {}", d.cast(&param, SqlType::Date)));
    }
    if beyond.is_empty() {
        return Some(("FALSE".to_string(), "TRUE".to_string()));
    }
    let beyond = beyond.join(" OR ");
    let iso = column.iso_date(d);
    let outside = format!("(CASE WHEN {iso} THEN ({beyond}) ELSE FALSE END)");
    let inside = format!(
        "({} OR (CASE WHEN {iso} THEN NOT ({beyond}) ELSE FALSE END))",
        column.absent(d)
    );
    Some((outside, inside))
}
