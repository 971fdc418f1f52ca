//! SQL dialects: the pieces of SQL that differ between the engines checks
//! can be pushed down into.
//!
//! naleving judges a table's rows in SQL through conditions on each row's
//! columns *as the JSON naleving reads* (so a comparison in SQL means what
//! it means in naleving: the same types, the same absent values). What
//! differs between engines is small and listed here: how a column becomes
//! JSON and a JSON value is taken apart, casts, regular expressions,
//! byte-wise text order, bind parameters, counting with a condition, and
//! quoting. The checks ([`crate::expr::sql`], `check::*::sql_may_fail`) and
//! the engine's push-down write their SQL through a [`Dialect`]; only
//! [`Postgres`] is implemented and run — `docs/scale.md` shows what Trino
//! and Spark SQL would answer to each method, and what stays in naleving.

/// A type a value is cast to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    /// Text.
    Text,
    /// An exact number of any size.
    Numeric,
    /// A whole number that fits 32 bits.
    Int,
    /// `true` / `false`.
    Boolean,
    /// A calendar date.
    Date,
}

/// What an SQL engine writes differently. Every method returns SQL text;
/// arguments are SQL expressions (never values from a rule: those are bind
/// parameters, [`Dialect::param`]).
pub trait Dialect: Sync {
    /// The engine's name, for `check --plan` and the docs.
    fn name(&self) -> &'static str;

    /// A name quoted as an identifier (`"regio"`).
    fn ident(&self, name: &str) -> String;

    /// The `n`-th bind parameter (from 1), as text.
    fn param(&self, n: usize) -> String;

    /// The value of the column `column` of the row `row` as JSON, as naleving
    /// reads it (a date as `"2020-06-01"`, SQL NULL as NULL).
    fn json(&self, row: &str, column: &str) -> String;

    /// A whole row as JSON text, one member per column.
    fn row_json(&self, row: &str) -> String;

    /// The JSON type of a JSON value (`'string'`, `'number'`, `'boolean'`,
    /// `'array'`, `'object'`, `'null'`); NULL for SQL NULL.
    fn json_type(&self, json: &str) -> String;

    /// The text of a JSON string (for other types: not used unguarded).
    fn json_text(&self, json: &str) -> String;

    /// A JSON scalar as JSON writes it (a number's digits, `true`).
    fn json_literal(&self, json: &str) -> String;

    /// A JSON array has at least one element.
    fn json_array_filled(&self, json: &str) -> String;

    /// A JSON object has at least one member.
    fn json_object_filled(&self, json: &str) -> String;

    /// `value` cast to `to`.
    fn cast(&self, value: &str, to: SqlType) -> String;

    /// `text` matches the regular expression `pattern` (a literal of
    /// naleving's, never a rule's).
    fn matches(&self, text: &str, pattern: &str) -> String;

    /// Text that compares byte by byte, as Rust's and CEL's strings do.
    fn bytewise(&self, text: &str) -> String;

    /// A JSON number as naleving makes a key of it: its digits without
    /// trailing zeros (`1.0` and `1` are one key).
    fn number_key(&self, json: &str) -> String;

    /// The number of days of the month `month` (1–12) of the year `year`,
    /// both SQL integers.
    fn days_in_month(&self, year: &str, month: &str) -> String;

    /// An aggregate: the number of rows for which `condition` holds.
    fn count_if(&self, condition: &str) -> String;
}

/// PostgreSQL (12 and later: `jsonb`, `trim_scale`, `FILTER`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    fn ident(&self, name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }

    fn param(&self, n: usize) -> String {
        format!("${n}::text")
    }

    fn json(&self, row: &str, column: &str) -> String {
        format!("to_jsonb({row}.{})", self.ident(column))
    }

    fn row_json(&self, row: &str) -> String {
        format!("to_jsonb({row})::text")
    }

    fn json_type(&self, json: &str) -> String {
        format!("jsonb_typeof({json})")
    }

    fn json_text(&self, json: &str) -> String {
        format!("({json} #>> '{{}}')")
    }

    fn json_literal(&self, json: &str) -> String {
        format!("({json})::text")
    }

    fn json_array_filled(&self, json: &str) -> String {
        format!("jsonb_array_length({json}) > 0")
    }

    fn json_object_filled(&self, json: &str) -> String {
        format!("{json} <> '{{}}'::jsonb")
    }

    fn cast(&self, value: &str, to: SqlType) -> String {
        let name = match to {
            SqlType::Text => "text",
            SqlType::Numeric => "numeric",
            SqlType::Int => "int",
            SqlType::Boolean => "boolean",
            SqlType::Date => "date",
        };
        format!("({value})::{name}")
    }

    fn matches(&self, text: &str, pattern: &str) -> String {
        format!("{text} ~ '{}'", pattern.replace('\'', "''"))
    }

    fn bytewise(&self, text: &str) -> String {
        format!("{text} COLLATE \"C\"")
    }

    fn number_key(&self, json: &str) -> String {
        format!(
            "trim_scale({})::text",
            self.cast(&self.json_literal(json), SqlType::Numeric)
        )
    }

    fn days_in_month(&self, year: &str, month: &str) -> String {
        format!(
            "extract(day FROM make_date({year}, {month}, 1) + interval '1 month' - interval '1 day')"
        )
    }

    fn count_if(&self, condition: &str) -> String {
        format!("count(*) FILTER (WHERE {condition})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_quotes_names_and_literals() {
        let pg = Postgres;
        assert_eq!(pg.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(pg.json("r", "regio"), "to_jsonb(r.\"regio\")");
        assert_eq!(pg.matches("x", "^it's$"), "x ~ '^it''s$'");
        assert_eq!(pg.param(3), "$3::text");
        assert_eq!(pg.cast("$1::text", SqlType::Date), "($1::text)::date");
    }
}
