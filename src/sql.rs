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

/// A top-level field as a column of the table.
#[derive(Clone, Debug)]
pub struct Column {
    /// Its value as the JSON naleving reads, e.g. `to_jsonb(r."regio")`.
    pub json: String,
    /// The column itself, e.g. `r."regio"`.
    pub plain: String,
    /// What every value of the column is as JSON, when its SQL type says
    /// (a `text` column's values are strings, or NULL): conditions on the
    /// column itself then replace conditions on its JSON.
    pub kind: Option<ColumnKind>,
}

/// The JSON every non-NULL value of a column of some SQL types is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// `text`, `varchar`: a string, the column's text itself.
    Text,
    /// `smallint`, `integer`, `bigint`: a whole number.
    Integer,
    /// `boolean`.
    Boolean,
    /// `date`: a string, ISO for the years 1–9999 (`infinity` and BC dates
    /// are written otherwise).
    Date,
}

impl ColumnKind {
    /// The kind a column of the SQL type `sql_type` (as PostgreSQL's
    /// `format_type` names it) has, if any.
    pub fn of(sql_type: &str) -> Option<ColumnKind> {
        let base = sql_type.split('(').next().unwrap_or(sql_type).trim();
        match base {
            "text" | "character varying" => Some(ColumnKind::Text),
            "smallint" | "integer" | "bigint" => Some(ColumnKind::Integer),
            "boolean" => Some(ColumnKind::Boolean),
            "date" => Some(ColumnKind::Date),
            _ => None,
        }
    }

    /// The JSON type name of the values.
    fn json_type(self) -> &'static str {
        match self {
            ColumnKind::Text | ColumnKind::Date => "string",
            ColumnKind::Integer => "number",
            ColumnKind::Boolean => "boolean",
        }
    }
}

impl Column {
    /// A column known only by its JSON (no type folding).
    pub fn json_only(json: String) -> Column {
        Column {
            plain: json.clone(),
            json,
            kind: None,
        }
    }

    /// The value is of the JSON type `name` (`'string'`, …); never NULL.
    pub fn is(&self, d: &dyn Dialect, name: &str) -> String {
        match self.kind {
            Some(kind) if kind.json_type() == name => format!("({} IS NOT NULL)", self.plain),
            Some(_) => "FALSE".to_string(),
            None => format!("COALESCE({} = '{name}', FALSE)", d.json_type(&self.json)),
        }
    }

    /// The value is absent (SQL NULL or JSON `null`); never NULL.
    pub fn absent(&self, d: &dyn Dialect) -> String {
        match self.kind {
            Some(_) => format!("({} IS NULL)", self.plain),
            None => format!(
                "({json} IS NULL OR {} = 'null')",
                d.json_type(&self.json),
                json = self.json
            ),
        }
    }

    /// The text of a string value.
    pub fn text(&self, d: &dyn Dialect) -> String {
        match self.kind {
            Some(ColumnKind::Text) => self.plain.clone(),
            _ => d.json_text(&self.json),
        }
    }

    /// A scalar as JSON writes it (a whole number's digits).
    pub fn literal(&self, d: &dyn Dialect) -> String {
        match self.kind {
            Some(ColumnKind::Integer) => d.cast(&self.plain, SqlType::Text),
            _ => d.json_literal(&self.json),
        }
    }

    /// The value is certainly a string naleving reads as a date as it
    /// stands: `YYYY-MM-DD` of a day that exists, in the years 1000–9999
    /// (whatever the column's type: a `date` column is written so). Never
    /// NULL, and never an error: the date is only made once the text is
    /// known to be one. Where it holds, [`Column::date`] is that date.
    pub fn iso_date(&self, d: &dyn Dialect) -> String {
        if self.kind == Some(ColumnKind::Date) {
            // A `date` column is written ISO for the years 1–9999; the
            // bounds leave out infinity, BC and years before 1000 as the
            // text form below does.
            return format!(
                "COALESCE({c} >= {} AND {c} <= {}, FALSE)",
                d.date_literal(FIRST_DATE),
                d.date_literal(LAST_DATE),
                c = self.plain
            );
        }
        let text = self.text(d);
        let part = |from: usize, length: usize| {
            d.cast(&format!("substr({text}, {from}, {length})"), SqlType::Int)
        };
        format!(
            "(CASE WHEN {} AND {} THEN {} <= {} ELSE FALSE END)",
            self.is(d, "string"),
            d.matches(
                &text,
                "^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
            ),
            part(9, 2),
            d.days_in_month(&part(1, 4), &part(6, 2))
        )
    }

    /// The value as an SQL date: only to be used where
    /// [`Column::iso_date`] holds (elsewhere the cast may fail).
    pub fn date(&self, d: &dyn Dialect) -> String {
        match self.kind {
            Some(ColumnKind::Date) => self.plain.clone(),
            _ => d.cast(&self.text(d), SqlType::Date),
        }
    }

    /// The JSON type of the value, as SQL text (`'string'`, …; NULL when
    /// absent).
    pub fn type_name(&self, d: &dyn Dialect) -> String {
        match self.kind {
            Some(kind) => format!(
                "(CASE WHEN {} IS NULL THEN NULL ELSE '{}' END)",
                self.plain,
                kind.json_type()
            ),
            None => d.json_type(&self.json),
        }
    }
}

/// The first date naleving reads from data as it stands (an ISO date has
/// four digits of year and does not start with 0).
pub const FIRST_DATE: &str = "1000-01-01";

/// The last date naleving can represent: a due date beyond it is this day.
pub const LAST_DATE: &str = "9999-12-31";

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

    /// A date written in SQL from an ISO text of naleving's own (a
    /// constant such as [`LAST_DATE`], never a rule's value).
    fn date_literal(&self, iso: &str) -> String {
        self.cast(&format!("'{}'", iso.replace('\'', "''")), SqlType::Date)
    }

    /// The ISO day of the week of an SQL date, as an integer: 1 for
    /// Monday to 7 for Sunday.
    fn iso_weekday(&self, date: &str) -> String;

    /// The quotient of two non-negative SQL integers, rounded down.
    fn int_div(&self, dividend: &str, divisor: &str) -> String;

    /// The SQL date `days` (an SQL integer, may be negative) after `date`.
    fn add_days(&self, date: &str, days: &str) -> String;

    /// The SQL date `months` (an SQL integer) calendar months after
    /// `date`, on the same day of the month or, when the month is
    /// shorter, its last day (31 January plus one month is 28 or 29
    /// February) — as naleving adds months and years.
    fn add_months(&self, date: &str, months: &str) -> String;

    /// A sorted list of dates sent as one bind parameter (`{2020-01-02,…}`),
    /// as an array value. A statement makes it once, in its `WITH` clause
    /// (see [`crate::expr::SqlCx::with_clause`]): the list may hold
    /// thousands of days, and each place that made it would parse it anew.
    fn date_array(&self, param: &str) -> String;

    /// A subquery of the texts in the SQL array text `param` (a bind
    /// parameter such as `{"a","b"}`), one row each.
    fn text_list(&self, param: &str) -> String;

    /// How many dates of the sorted list `list` are on or before the SQL
    /// date `date` (0 when none).
    fn dates_up_to(&self, date: &str, list: &str) -> String;

    /// The `index`-th date of the list (1-based); NULL past either end.
    fn date_at(&self, list: &str, index: &str) -> String;

    /// The year and the month (1–12) of an SQL date, as integers.
    fn year_month(&self, date: &str) -> (String, String);
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

    fn iso_weekday(&self, date: &str) -> String {
        format!("extract(isodow FROM {date})::int")
    }

    fn int_div(&self, dividend: &str, divisor: &str) -> String {
        format!("({dividend} / {divisor})")
    }

    fn add_days(&self, date: &str, days: &str) -> String {
        format!("({date} + {days})")
    }

    fn add_months(&self, date: &str, months: &str) -> String {
        format!("({date} + make_interval(months => {months}))::date")
    }

    fn date_array(&self, param: &str) -> String {
        format!("({param})::date[]")
    }

    fn text_list(&self, param: &str) -> String {
        format!("SELECT unnest(({param})::text[])")
    }

    fn dates_up_to(&self, date: &str, list: &str) -> String {
        // A binary search of the list's lower bounds.
        format!("width_bucket({date}, {list})")
    }

    fn date_at(&self, list: &str, index: &str) -> String {
        format!("({list})[{index}]")
    }

    fn year_month(&self, date: &str) -> (String, String) {
        (
            format!("extract(year FROM {date})::int"),
            format!("extract(month FROM {date})::int"),
        )
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
