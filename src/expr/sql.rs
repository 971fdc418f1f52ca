//! A rule's predicate as SQL, for checks pushed down into a database (in
//! the SQL of a [`Dialect`]; PostgreSQL is the one run).
//!
//! The database is asked a question whose answer may be too wide but never
//! too narrow: *which rows might this rule not pass?* naleving then judges
//! the rows it gets back as it judges any record, so the findings are the
//! same as when every row is read, and a row left in the table is one the
//! rule certainly passes.
//!
//! For each [`Native`] predicate two conditions are made: one that holds only
//! when the predicate is **certainly true** for the row under CEL's rules
//! (both sides of a comparison of the same JSON type, the field present),
//! and one only when it is **certainly false**. Whatever else can happen — a
//! missing field, another type, an error — satisfies neither, and the row is
//! sent back for naleving to judge. `!` swaps the two, `&&` and `||` combine
//! them as CEL's commutative operators do (`false && error` is `false`,
//! `true || error` is `true`). Values are compared as naleving sees them:
//! each column as its JSON, strings byte by byte (like Rust's and CEL's
//! string order), integers only when written as integers. A value is cast
//! only inside a `CASE` that has checked its type: SQL may evaluate the
//! sides of an `AND` in any order.
//!
//! Every literal of a rule and `as_of` are **bind parameters** (as text,
//! cast in SQL); a field becomes SQL only as a column that exists, named
//! by the caller (quoted); a field that is no column is an absent one.

use super::native::{Lit, Native, Op, Operand};
use crate::calendar::{Calendar, Term};
use crate::sql::{Column, ColumnKind, Dialect, SqlType};

/// What a translation needs: each field as a column (`None` when the table
/// has no such column), `as_of`, and the parameters so far.
pub struct SqlCx<'a> {
    /// The SQL the conditions are written in.
    pub dialect: &'a dyn Dialect,
    /// A top-level field as a column of the row.
    pub column: &'a dyn Fn(&str) -> Option<Column>,
    /// The run's evaluation date (`YYYY-MM-DD`).
    pub as_of: &'a str,
    /// A condition that holds for a row whose combination of these
    /// top-level fields' values (as keys: see [`crate::data::as_key`]) is
    /// also another row's — for `unique`; `None` when the table cannot say.
    pub repeated: &'a dyn Fn(&[String]) -> Option<String>,
    /// The keys naleving accepts of a collection (by its key, or by the
    /// field named), each as [`key_text`] makes it — for `reference`;
    /// `None` when they cannot be known in SQL.
    pub keys: &'a dyn Fn(&str, Option<&str>) -> Option<Keys>,
    /// The bind parameters, all text; `$n` is `params[n - 1]`.
    pub params: Vec<String>,
    /// The run's working-day calendar, for due dates computed in SQL
    /// (`add_term`); `None`: they are left to naleving.
    pub calendar: Option<&'a Calendar>,
    /// The parameter that holds the list of working days, once sent (see
    /// [`SqlCx::working_days`]).
    pub working_days: Option<String>,
}

/// The name of the list of working days in a statement's `WITH` clause.
const WORKING_DAYS: &str = "naleving_werkdagen";

/// The keys of a collection, for a `reference` pushed down.
pub enum Keys {
    /// A subquery over a table of the same database.
    Subquery(String),
    /// The keys naleving read (from a file, or a query), to be sent as one
    /// parameter: an SQL array text (see [`text_array`]).
    Listed(String),
}

/// The most text [`text_array`] makes: 32 MiB, about 1.5 million keys of
/// the steekproef's length. A larger set of keys is not sent (PostgreSQL
/// takes up to 1 GB, but the statement is built, sent and parsed whole):
/// the rule is judged in naleving on every row instead.
pub const TEXT_ARRAY_LIMIT: usize = 32 << 20;

/// `values` as the text of an SQL array of text, `{"a","b\"c"}`: each
/// element quoted, a quote or backslash in it escaped; in sorted order, so
/// the same keys make the same parameter. `None` when the text would be
/// longer than `limit` bytes.
pub fn text_array<'v>(values: impl Iterator<Item = &'v String>, limit: usize) -> Option<String> {
    let mut sorted: Vec<&String> = values.collect();
    sorted.sort_unstable();
    let mut text = String::from("{");
    for (i, value) in sorted.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push('"');
        for c in value.chars() {
            if c == '"' || c == '\\' {
                text.push('\\');
            }
            text.push(c);
        }
        text.push('"');
        if text.len() >= limit {
            return None;
        }
    }
    text.push('}');
    Some(text)
}

impl SqlCx<'_> {
    /// The keys of `collection` (by `field`, or its key) as a subquery, a
    /// listed set sent as one parameter; `None` when unknown.
    pub fn keys_subquery(&mut self, collection: &str, field: Option<&str>) -> Option<String> {
        match (self.keys)(collection, field)? {
            Keys::Subquery(sql) => Some(sql),
            Keys::Listed(text) => {
                let param = self.param(text);
                Some(self.dialect.text_list(&param))
            }
        }
    }

    /// A new parameter holding `value`, as text.
    pub fn param(&mut self, value: String) -> String {
        self.params.push(value);
        self.dialect.param(self.params.len())
    }

    /// The calendar's working days around `as_of` as an SQL array: one
    /// parameter, sent once and made into a list once per statement, by
    /// the statement's [`SqlCx::with_clause`]; `None` without a calendar
    /// or with an `as_of` that is no date.
    pub fn working_days(&mut self) -> Option<String> {
        if self.working_days.is_none() {
            let as_of = crate::calendar::parse_date(self.as_of)?;
            let text = crate::calendar::sql::working_days(self.calendar?, as_of);
            let param = self.param(text);
            self.working_days = Some(param);
        }
        Some(format!("(SELECT a FROM {WORKING_DAYS})"))
    }

    /// What a statement that uses these conditions must begin with: the
    /// `WITH` clause that makes the list of working days once (empty when
    /// no condition uses it).
    pub fn with_clause(&self) -> String {
        match &self.working_days {
            Some(param) => format!(
                "WITH {WORKING_DAYS} AS (SELECT {} AS a) ",
                self.dialect.date_array(param)
            ),
            None => String::new(),
        }
    }
}

/// A JSON value as naleving makes a key of it (see
/// [`crate::data::as_key`]): a string as itself, a number without trailing
/// zeros (`1.0` and `1` are one key), a boolean as `true`/`false`; NULL
/// for anything else, which is no key.
pub fn key_text(d: &dyn Dialect, column: &Column) -> String {
    match column.kind {
        Some(ColumnKind::Text) => column.plain.clone(),
        Some(ColumnKind::Integer) => column.literal(d),
        _ => format!(
            "(CASE {} WHEN 'string' THEN {} WHEN 'number' THEN {} WHEN 'boolean' THEN {} END)",
            column.type_name(d),
            column.text(d),
            d.number_key(&column.json),
            column.literal(d)
        ),
    }
}

/// The JSON value is certainly present, as naleving's `required` judges
/// it: a number or boolean, a string with a letter or digit, a non-empty
/// list or object. Never NULL. (A string of only unusual spaces is left
/// to naleving.)
pub fn present(d: &dyn Dialect, column: &Column) -> String {
    match column.kind {
        Some(ColumnKind::Text) => format!(
            "COALESCE({}, FALSE)",
            d.matches(&column.plain, "[A-Za-z0-9]")
        ),
        // Any date's JSON has digits (`infinity` has letters).
        Some(ColumnKind::Date) => format!("({} IS NOT NULL)", column.plain),
        Some(ColumnKind::Integer) => column.is(d, "number"),
        Some(ColumnKind::Boolean) => column.is(d, "boolean"),
        None => format!(
            "COALESCE(CASE {} WHEN 'number' THEN TRUE WHEN 'boolean' THEN TRUE \
             WHEN 'string' THEN {} WHEN 'array' THEN {} WHEN 'object' THEN {} \
             ELSE FALSE END, FALSE)",
            d.json_type(&column.json),
            d.matches(&column.text(d), "[A-Za-z0-9]"),
            d.json_array_filled(&column.json),
            d.json_object_filled(&column.json)
        ),
    }
}

/// `(certainly true, certainly false)` of a predicate, as SQL booleans
/// that are never NULL (a test checks it on a table of NULLs and edge
/// cases).
pub(super) fn certain(native: &Native, cx: &mut SqlCx<'_>) -> (String, String) {
    const NEITHER: (&str, &str) = ("FALSE", "FALSE");
    let neither = || (NEITHER.0.to_string(), NEITHER.1.to_string());
    match native {
        Native::Const(true) => ("TRUE".to_string(), "FALSE".to_string()),
        Native::Const(false) => ("FALSE".to_string(), "TRUE".to_string()),
        Native::Has(field) => match (cx.column)(field) {
            Some(column) => {
                let absent = column.absent(cx.dialect);
                (format!("(NOT {absent})"), absent)
            }
            // No such column: the field is absent from every row.
            None => ("FALSE".to_string(), "TRUE".to_string()),
        },
        Native::Not(inner) => {
            let (yes, no) = certain(inner, cx);
            (no, yes)
        }
        Native::And(items) => {
            let parts: Vec<(String, String)> = items.iter().map(|i| certain(i, cx)).collect();
            (
                joined(parts.iter().map(|p| &p.0), "AND", "TRUE"),
                joined(parts.iter().map(|p| &p.1), "OR", "FALSE"),
            )
        }
        Native::Or(items) => {
            let parts: Vec<(String, String)> = items.iter().map(|i| certain(i, cx)).collect();
            (
                joined(parts.iter().map(|p| &p.0), "OR", "FALSE"),
                joined(parts.iter().map(|p| &p.1), "AND", "TRUE"),
            )
        }
        Native::In(field, items) => {
            let Some(column) = (cx.column)(field) else {
                return neither();
            };
            let Some(kind) = items.first().map(kind_of) else {
                // `x in []` is false for any x of any type.
                return ("FALSE".to_string(), "TRUE".to_string());
            };
            let (typed, value) = typed_value(cx.dialect, &column, kind);
            let list: Vec<String> = items
                .iter()
                .map(|item| {
                    let param = cx.param(lit_text(item));
                    cast(cx.dialect, &param, kind)
                })
                .collect();
            let list = list.join(", ");
            (
                guarded(&typed, &format!("{value} IN ({list})")),
                guarded(&typed, &format!("{value} NOT IN ({list})")),
            )
        }
        Native::Cmp(left, op, right) => comparison(left, *op, right, cx).unwrap_or_else(neither),
        // A pattern, or a term added to a date: naleving judges.
        Native::Matches(..) => neither(),
    }
}

/// The kind of a literal's JSON type.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Str,
    Int,
    Bool,
}

fn kind_of(lit: &Lit) -> Kind {
    match lit {
        Lit::Str(_) => Kind::Str,
        Lit::Int(_) => Kind::Int,
        Lit::Bool(_) => Kind::Bool,
    }
}

fn lit_text(lit: &Lit) -> String {
    match lit {
        Lit::Str(s) => s.clone(),
        Lit::Int(i) => i.to_string(),
        Lit::Bool(b) => b.to_string(),
    }
}

/// A text parameter as a value of `kind`.
fn cast(d: &dyn Dialect, param: &str, kind: Kind) -> String {
    match kind {
        Kind::Str => d.bytewise(param),
        Kind::Int => d.cast(param, SqlType::Numeric),
        Kind::Bool => d.cast(param, SqlType::Boolean),
    }
}

/// `(the JSON value has this kind, its value as SQL)`. The first is never
/// NULL (a NULL column, an absent field, has no kind), so the value is only
/// compared when it is there.
fn typed_value(d: &dyn Dialect, column: &Column, kind: Kind) -> (String, String) {
    let (typed, value) = match (kind, column.kind) {
        (Kind::Str, _) => (column.is(d, "string"), d.bytewise(&column.text(d))),
        (Kind::Int, Some(ColumnKind::Integer)) => (
            column.is(d, "number"),
            d.cast(&column.plain, SqlType::Numeric),
        ),
        (Kind::Bool, Some(ColumnKind::Boolean)) => (column.is(d, "boolean"), column.plain.clone()),
        (_, Some(_)) => ("FALSE".to_string(), "NULL".to_string()),
        // An integer as JSON writes it: no fraction, no exponent.
        (Kind::Int, None) => (
            format!(
                "({} AND {})",
                column.is(d, "number"),
                d.matches(&column.literal(d), "^-?[0-9]+$")
            ),
            d.cast(&column.literal(d), SqlType::Numeric),
        ),
        (Kind::Bool, None) => (
            column.is(d, "boolean"),
            d.cast(&column.literal(d), SqlType::Boolean),
        ),
    };
    (format!("COALESCE({typed}, FALSE)"), value)
}

/// A comparison of a field with a literal, `as_of` or another field, when
/// its sides' kinds are known; `None` otherwise (naleving judges).
fn comparison(
    left: &Operand,
    op: Op,
    right: &Operand,
    cx: &mut SqlCx<'_>,
) -> Option<(String, String)> {
    let (field, op, other) = match (left, right) {
        (Operand::Field(field), other) => (field, op, other),
        (other, Operand::Field(field)) => (field, flipped(op), other),
        _ => return None,
    };
    let column = (cx.column)(field)?;
    let sql_op = match op {
        Op::Eq => "=",
        Op::Ne => "<>",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
    };
    if let Some(dates) = date_comparison(&column, sql_op, other, cx) {
        return Some(dates);
    }
    if let Operand::AddTerm(start, term) = other {
        return due_comparison(&column, sql_op, start, term, cx);
    }
    let (typed, value, against) = match other {
        Operand::Lit(lit) => {
            let kind = kind_of(lit);
            if kind == Kind::Bool && !matches!(op, Op::Eq | Op::Ne) {
                return None;
            }
            let (typed, value) = typed_value(cx.dialect, &column, kind);
            let param = cx.param(lit_text(lit));
            (typed, value, cast(cx.dialect, &param, kind))
        }
        Operand::AsOf => {
            let (typed, value) = typed_value(cx.dialect, &column, Kind::Str);
            let param = cx.param(cx.as_of.to_string());
            (typed, value, cast(cx.dialect, &param, Kind::Str))
        }
        Operand::Field(other) => {
            let other = (cx.column)(other)?;
            let (typed, value) = typed_value(cx.dialect, &column, Kind::Str);
            let (other_typed, other_value) = typed_value(cx.dialect, &other, Kind::Str);
            (format!("({typed} AND {other_typed})"), value, other_value)
        }
        Operand::AddTerm(..) => return None,
    };
    Some((
        guarded(&typed, &format!("{value} {sql_op} {against}")),
        guarded(&typed, &format!("NOT ({value} {sql_op} {against})")),
    ))
}

/// A `date` column compared with `as_of`, an ISO date literal or another
/// `date` column: as dates, which for the years 1000–9999 order as their
/// ISO texts do (naleving compares the texts); a date outside those years
/// is left to naleving. `None` for other comparisons.
fn date_comparison(
    column: &Column,
    sql_op: &str,
    other: &Operand,
    cx: &mut SqlCx<'_>,
) -> Option<(String, String)> {
    if column.kind != Some(ColumnKind::Date) {
        return None;
    }
    let d = cx.dialect;
    let in_range = |c: &Column| {
        let bound = |text: &str| d.cast(&format!("'{text}'"), SqlType::Date);
        format!(
            "COALESCE({c} >= {} AND {c} <= {}, FALSE)",
            bound("1000-01-01"),
            bound("9999-12-31"),
            c = c.plain
        )
    };
    let iso = |text: &str| {
        text.len() == 10
            && text.as_bytes()[0] != b'0'
            && crate::calendar::parse_date(text).is_some_and(|date| date.to_string() == text)
    };
    let (typed, against) = match other {
        Operand::AsOf if iso(cx.as_of) => {
            let param = cx.param(cx.as_of.to_string());
            (in_range(column), d.cast(&param, SqlType::Date))
        }
        Operand::Lit(Lit::Str(text)) if iso(text) => {
            let param = cx.param(text.clone());
            (in_range(column), d.cast(&param, SqlType::Date))
        }
        Operand::Field(other) => {
            let other = (cx.column)(other).filter(|o| o.kind == Some(ColumnKind::Date))?;
            (
                format!("({} AND {})", in_range(column), in_range(&other)),
                other.plain.clone(),
            )
        }
        _ => return None,
    };
    let value = &column.plain;
    Some((
        guarded(&typed, &format!("{value} {sql_op} {against}")),
        guarded(&typed, &format!("NOT ({value} {sql_op} {against})")),
    ))
}

/// A field compared with `add_term(start, 'term')`: both ISO dates in the
/// years 1000–9999 (whose texts, which naleving compares, order as the
/// dates do) and a due date the list of working days reaches; anything else
/// is left to naleving. The term's count is a bind parameter.
fn due_comparison(
    column: &Column,
    sql_op: &str,
    start: &str,
    term: &str,
    cx: &mut SqlCx<'_>,
) -> Option<(String, String)> {
    let term: Term = term.parse().ok()?;
    let start = (cx.column)(start)?;
    let list = cx.working_days()?;
    let d = cx.dialect;
    let count = {
        let param = cx.param(term.n.to_string());
        d.cast(&param, SqlType::Int)
    };
    let due = crate::calendar::sql::due(d, &list, term, true, &start.date(d), &count);
    // The dates are only made once their texts are known to be dates.
    let due = format!(
        "(CASE WHEN {} AND {} THEN {due} END)",
        column.iso_date(d),
        start.iso_date(d)
    );
    let value = column.date(d);
    let typed = format!("({due} IS NOT NULL)");
    Some((
        guarded(&typed, &format!("{value} {sql_op} {due}")),
        guarded(&typed, &format!("NOT ({value} {sql_op} {due})")),
    ))
}

/// `condition` where `typed` holds, else false: a `CASE`, because SQL may
/// evaluate both sides of an `AND`, and a value cast to a type it is not
/// (the text `"NaN"` to a number) is an error that would end the read.
fn guarded(typed: &str, condition: &str) -> String {
    format!("(CASE WHEN {typed} THEN {condition} ELSE FALSE END)")
}

/// The operator with its sides swapped (`5 < x` is `x > 5`).
fn flipped(op: Op) -> Op {
    match op {
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        same => same,
    }
}

/// `a AND b AND …` (or `OR`), `empty` for none.
fn joined<'a>(parts: impl Iterator<Item = &'a String>, op: &str, empty: &str) -> String {
    let parts: Vec<&String> = parts.collect();
    if parts.is_empty() {
        return empty.to_string();
    }
    let separator = format!(" {op} ");
    format!(
        "({})",
        parts
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(&separator)
    )
}

/// An expression over named whole numbers (a group's counts) as SQL: a
/// condition `(certainly true, certainly false)` under CEL's rules, or
/// `None` beyond the subset — integer literals and names, `+`, `-`, `*`,
/// unary `-`, comparisons, `!`, `&&`, `||`. `value` gives a name's SQL (an
/// exact number, never NULL), `None` for a name it does not know. Sums and
/// products are exact in SQL; CEL fails on one outside 64 bits, so a
/// condition is certain only where every number in it stays inside.
pub(super) fn over_numbers(
    expr: &cel::common::ast::Expr,
    value: &dyn Fn(&str) -> Option<String>,
    cx: &mut SqlCx<'_>,
) -> Option<(String, String)> {
    match numbers(expr, value, cx)? {
        Numbers::Condition(yes, no) => Some((yes, no)),
        Numbers::Number(..) => None,
    }
}

/// A part of [`over_numbers`]: a condition, or a number with the condition
/// under which CEL computes it without failing.
enum Numbers {
    Condition(String, String),
    Number(String, String),
}

fn numbers(
    expr: &cel::common::ast::Expr,
    value: &dyn Fn(&str) -> Option<String>,
    cx: &mut SqlCx<'_>,
) -> Option<Numbers> {
    use cel::common::ast::{Expr, LiteralValue, operators};
    let d = cx.dialect;
    match expr {
        Expr::Ident(name) => Some(Numbers::Number(value(name)?, "TRUE".to_string())),
        Expr::Literal(LiteralValue::Int(i)) => {
            let param = cx.param(i.inner().to_string());
            Some(Numbers::Number(
                d.cast(&param, SqlType::Numeric),
                "TRUE".to_string(),
            ))
        }
        Expr::Literal(LiteralValue::Boolean(b)) => Some(if *b.inner() {
            Numbers::Condition("TRUE".to_string(), "FALSE".to_string())
        } else {
            Numbers::Condition("FALSE".to_string(), "TRUE".to_string())
        }),
        Expr::Call(call) if call.target.is_none() => {
            let mut args = Vec::new();
            for arg in &call.args {
                args.push(numbers(&arg.expr, value, cx)?);
            }
            let name = call.func_name.as_str();
            match (name, &args[..]) {
                (operators::LOGICAL_NOT, [Numbers::Condition(yes, no)]) => {
                    Some(Numbers::Condition(no.clone(), yes.clone()))
                }
                (operators::LOGICAL_AND | operators::LOGICAL_OR, _) => {
                    let mut yes = Vec::new();
                    let mut no = Vec::new();
                    for arg in &args {
                        let Numbers::Condition(y, n) = arg else {
                            return None;
                        };
                        yes.push(y);
                        no.push(n);
                    }
                    let (yes, no) = if name == operators::LOGICAL_AND {
                        (
                            joined(yes.into_iter(), "AND", "TRUE"),
                            joined(no.into_iter(), "OR", "FALSE"),
                        )
                    } else {
                        (
                            joined(yes.into_iter(), "OR", "FALSE"),
                            joined(no.into_iter(), "AND", "TRUE"),
                        )
                    };
                    Some(Numbers::Condition(yes, no))
                }
                (operators::NEGATE, [Numbers::Number(v, ok)]) => {
                    Some(within(format!("(-{v})"), ok))
                }
                (_, [Numbers::Number(a, a_ok), Numbers::Number(b, b_ok)]) => {
                    let ok = format!("({a_ok} AND {b_ok})");
                    let arithmetic = match name {
                        operators::ADD => Some("+"),
                        operators::SUBSTRACT => Some("-"),
                        operators::MULTIPLY => Some("*"),
                        _ => None,
                    };
                    if let Some(op) = arithmetic {
                        return Some(within(format!("({a} {op} {b})"), &ok));
                    }
                    let op = match name {
                        operators::EQUALS => "=",
                        operators::NOT_EQUALS => "<>",
                        operators::LESS => "<",
                        operators::LESS_EQUALS => "<=",
                        operators::GREATER => ">",
                        operators::GREATER_EQUALS => ">=",
                        _ => return None,
                    };
                    Some(Numbers::Condition(
                        format!("({ok} AND {a} {op} {b})"),
                        format!("({ok} AND NOT ({a} {op} {b}))"),
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A number CEL computes where `ok` holds and the number fits 64 bits.
fn within(number: String, ok: &str) -> Numbers {
    let fits = format!("({ok} AND {number} BETWEEN {} AND {})", i64::MIN, i64::MAX);
    Numbers::Number(number, fits)
}

#[cfg(test)]
mod tests {
    use super::text_array;

    #[test]
    fn a_text_array_quotes_and_escapes_and_sorts() {
        let keys = [
            "b".to_string(),
            "A\\B".to_string(),
            "Zee\"land".to_string(),
            String::new(),
        ];
        let whole = r#"{"","A\\B","Zee\"land","b"}"#;
        assert_eq!(text_array(keys.iter(), 100).as_deref(), Some(whole));
        assert_eq!(text_array(std::iter::empty(), 100).as_deref(), Some("{}"));
        // Up to the limit, and not a byte beyond it.
        assert_eq!(text_array(keys.iter(), whole.len()).as_deref(), Some(whole));
        assert_eq!(text_array(keys.iter(), whole.len() - 1), None);
        assert_eq!(text_array(keys.iter(), 3), None);
    }
}
