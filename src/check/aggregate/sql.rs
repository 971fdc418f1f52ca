//! An `aggregate` pushed down into a database: which groups certainly
//! pass, counted there with `GROUP BY` and `FILTER`.
//!
//! A group certainly passes when every `let` counts (`records.size()`,
//! `records.filter(r, P).size()` with a `P` that has an SQL form, see
//! [`crate::expr::sql`]), `expr` is in the subset of sums, products and
//! comparisons of whole numbers, and — for every row that may belong to
//! the group — the row certainly belongs to it (its window, `when`, key and
//! values certain, its period known) and `P` is certainly true or
//! certainly false. Its counts are then the ones naleving would make, and
//! `expr` over them is certainly true. A row whose period is not certain
//! may belong to any period of its other key values: none of those groups
//! is certain.

use super::{Aggregate, Per};
use crate::check::GroupScope;
use crate::expr::{SqlCx, key_text};

/// See [`crate::check::Check::sql_group_passes`].
pub(super) fn group_passes(
    aggregate: &Aggregate,
    cx: &mut SqlCx<'_>,
    scope: &GroupScope<'_>,
) -> Option<String> {
    if !aggregate.streams {
        return None;
    }
    let d = cx.dialect;
    // The group's key: each `group_by` value as naleving makes a key of it
    // ('' for none), then the period as a number (NULL when not certain).
    let mut keys = Vec::new();
    for name in &aggregate.group_by {
        if name.contains('.') {
            return None;
        }
        keys.push(match (cx.column)(name) {
            Some(column) => format!("COALESCE({}, '')", key_text(d, &column)),
            // No such column: the value is absent from every row.
            None => "''".to_string(),
        });
    }
    let period = match &aggregate.period {
        None => "0".to_string(),
        Some((name, _)) if name.contains('.') => return None,
        Some((name, per)) => match (cx.column)(name) {
            // No row has a period: every row is left to naleving.
            None => "CAST(NULL AS integer)".to_string(),
            Some(column) => {
                let (year, month) = d.year_month(&column.date(d));
                let part = match per {
                    Per::Year => "0".to_string(),
                    Per::HalfYear => format!("(CASE WHEN {month} <= 6 THEN 1 ELSE 2 END)"),
                    Per::Quarter => format!("({} + 1)", d.int_div(&format!("({month} - 1)"), "3")),
                    Per::Month => month,
                };
                format!(
                    "(CASE WHEN {} THEN {year} * 100 + {part} END)",
                    column.iso_date(d)
                )
            }
        },
    };
    keys.push(period);
    // Each `let` counted, and whether each row is certainly counted or not.
    let mut counts = Vec::new();
    let mut certain = vec![
        scope.sure.clone(),
        format!("({} IS NOT NULL)", keys[keys.len() - 1]),
    ];
    for (_, _, counter) in &aggregate.lets {
        match counter.as_ref()?.sql_certain(cx)? {
            None => counts.push("count(*)".to_string()),
            Some((yes, no)) => {
                counts.push(d.count_if(&yes));
                certain.push(format!("({yes} OR {no})"));
            }
        }
    }
    let names: Vec<&str> = aggregate.lets.iter().map(|(n, ..)| n.as_str()).collect();
    let value = |name: &str| {
        let i = names.iter().position(|n| *n == name)?;
        Some(format!("CAST(w.l{} AS numeric)", i + 1))
    };
    let (passes, _) = aggregate.expr.sql_over_numbers(cx, &value)?;
    let columns: Vec<String> = (1..=keys.len()).map(|i| format!("g{i}")).collect();
    let named = |prefix: &str| {
        columns
            .iter()
            .map(|c| format!("{prefix}{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let grouped: Vec<String> = keys
        .iter()
        .zip(&columns)
        .map(|(key, c)| format!("{key} AS {c}"))
        .chain(
            counts
                .iter()
                .enumerate()
                .map(|(i, count)| format!("{count} AS l{}", i + 1)),
        )
        .collect();
    let partition = named("g.")
        .rsplit_once(", ")
        .map_or(String::new(), |(others, _)| {
            format!("PARTITION BY {others}")
        });
    let period_column = columns.last().cloned().unwrap_or_default();
    let groups = format!(
        "SELECT {outer} FROM (\
         SELECT g.*, bool_and(g.{period_column} IS NOT NULL) OVER ({partition}) AS known FROM (\
         SELECT {grouped}, bool_and({certain}) AS exact FROM {from} AS r WHERE {maybe} \
         GROUP BY {by}) AS g) AS w \
         WHERE w.known AND w.exact AND {passes}",
        outer = named("w."),
        grouped = grouped.join(", "),
        certain = certain.join(" AND "),
        from = scope.from,
        maybe = scope.maybe,
        by = (1..=keys.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    Some(format!(
        "COALESCE(({}) IN ({groups}), FALSE)",
        keys.join(", ")
    ))
}
