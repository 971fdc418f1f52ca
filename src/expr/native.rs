//! A native evaluator for the simple predicates most rules are made of.
//!
//! [`Native`] answers comparisons of fields with literals, with each other,
//! with `as_of` or with `add_term(field, '<term>')`, `in` over a literal
//! list, `has()`, `!`, `&&` and `||` straight from the JSON values. It only
//! answers when the answer is certain under CEL's rules — both sides of a
//! comparison of the same type (string, integer, or booleans for
//! `==`/`!=`), every field present — and otherwise says "don't know", and
//! the caller runs the CEL program, so errors, mixed types and edge cases
//! keep CEL's exact behaviour and messages.

use std::sync::Arc;

use cel::IdedExpr;
use cel::common::ast::{Expr, LiteralValue, operators};
use serde_json::Value;

use super::functions::Terms;
use super::reads::is_ident;
use crate::data::{Fields, get};

/// What a native predicate may read besides the record: `as_of`, and
/// `add_term`'s remembered answers.
pub(crate) struct Bindings<'a> {
    pub as_of: &'a str,
    pub terms: &'a Terms,
}

/// A literal a native predicate compares with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Field(String),
    Lit(Lit),
    /// The variable `as_of`.
    AsOf,
    /// `add_term(<field>, '<term>')`.
    AddTerm(String, String),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A predicate evaluated without CEL; see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Native {
    /// `a && b && …`
    And(Vec<Native>),
    /// `a || b || …`
    Or(Vec<Native>),
    /// `!a`
    Not(Box<Native>),
    /// `has(<var>.field)`
    Has(String),
    /// `left op right`, at least one side a field.
    Cmp(Operand, Op, Operand),
    /// `<var>.field in [literals]`, all of one type.
    In(String, Vec<Lit>),
    /// `<var>.field.matches('<pattern>')` (or `matches(<var>.field, …)`),
    /// the pattern compiled once instead of on every record as CEL does.
    Matches(String, Pattern),
    /// `true` or `false`.
    Const(bool),
}

/// A regular expression compiled when the rule loads.
#[derive(Debug, Clone)]
pub(crate) struct Pattern(Arc<regex::Regex>);

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Native {
    /// The native form of `expr` over the record bound to `var`, when all
    /// of it is in the supported subset.
    pub fn compile(expr: &IdedExpr, var: &str) -> Option<Native> {
        let compile = |e| Native::compile(e, var);
        let operand = |e| operand(e, var);
        match &expr.expr {
            Expr::Literal(LiteralValue::Boolean(b)) => Some(Native::Const(*b.inner())),
            Expr::Select(select) if select.test => match &select.operand.expr {
                Expr::Ident(name) if name == var => Some(Native::Has(select.field.clone())),
                _ => None,
            },
            Expr::Call(call) if call.func_name == "matches" => {
                let (subject, pattern) = match (&call.target, &call.args[..]) {
                    (Some(subject), [pattern]) => (&**subject, pattern),
                    (None, [subject, pattern]) => (subject, pattern),
                    _ => return None,
                };
                let (Operand::Field(field), Expr::Literal(LiteralValue::String(text))) =
                    (operand(subject)?, &pattern.expr)
                else {
                    return None;
                };
                let regex = regex::Regex::new(text.inner()).ok()?;
                Some(Native::Matches(field, Pattern(Arc::new(regex))))
            }
            Expr::Call(call) if call.target.is_none() => {
                let args = &call.args;
                match call.func_name.as_str() {
                    operators::LOGICAL_AND => Some(Native::And(
                        args.iter().map(compile).collect::<Option<_>>()?,
                    )),
                    operators::LOGICAL_OR => {
                        Some(Native::Or(args.iter().map(compile).collect::<Option<_>>()?))
                    }
                    operators::LOGICAL_NOT if args.len() == 1 => {
                        Some(Native::Not(Box::new(compile(&args[0])?)))
                    }
                    operators::IN if args.len() == 2 => {
                        let Operand::Field(field) = operand(&args[0])? else {
                            return None;
                        };
                        let Expr::List(list) = &args[1].expr else {
                            return None;
                        };
                        let items: Vec<Lit> = list
                            .elements
                            .iter()
                            .map(|e| match operand(e)? {
                                Operand::Lit(lit) => Some(lit),
                                _ => None,
                            })
                            .collect::<Option<_>>()?;
                        let same_type = items.windows(2).all(|w| {
                            std::mem::discriminant(&w[0]) == std::mem::discriminant(&w[1])
                        });
                        (same_type && list.optional_indices.is_empty())
                            .then_some(Native::In(field, items))
                    }
                    name if args.len() == 2 => {
                        let op = match name {
                            operators::EQUALS => Op::Eq,
                            operators::NOT_EQUALS => Op::Ne,
                            operators::LESS => Op::Lt,
                            operators::LESS_EQUALS => Op::Le,
                            operators::GREATER => Op::Gt,
                            operators::GREATER_EQUALS => Op::Ge,
                            _ => return None,
                        };
                        let (left, right) = (operand(&args[0])?, operand(&args[1])?);
                        let lit_only =
                            matches!((&left, &right), (Operand::Lit(_), Operand::Lit(_)));
                        (!lit_only).then_some(Native::Cmp(left, op, right))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The value of the predicate for `fields`, or `None` when only CEL can
    /// say (a missing field, mixed types, …).
    pub fn eval(&self, fields: &Fields, bound: &Bindings<'_>) -> Option<bool> {
        match self {
            Native::Const(b) => Some(*b),
            Native::Has(field) => Some(get(fields, field).is_some()),
            Native::Matches(field, pattern) => match get(fields, field)? {
                Value::String(text) => Some(pattern.0.is_match(text)),
                // CEL's error for another type is CEL's to give.
                _ => None,
            },
            Native::Not(inner) => inner.eval(fields, bound).map(|b| !b),
            // Left to right, giving up at the first unknown: the answer is
            // then the same whatever CEL does with errors beside a `false`.
            Native::And(items) => {
                for item in items {
                    if !item.eval(fields, bound)? {
                        return Some(false);
                    }
                }
                Some(true)
            }
            Native::Or(items) => {
                for item in items {
                    if item.eval(fields, bound)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Native::In(field, items) => {
                let value = scalar(get(fields, field)?)?;
                let mut found = false;
                for item in items {
                    found |= match (item, &value) {
                        (Lit::Str(a), Scalar::Str(b)) => a == b,
                        (Lit::Int(a), Scalar::Int(b)) => a == b,
                        (Lit::Bool(a), Scalar::Bool(b)) => a == b,
                        // CEL's heterogeneous equality is CEL's to decide.
                        _ => return None,
                    };
                }
                Some(found)
            }
            Native::Cmp(left, op, right) => {
                let left = resolve(left, fields, bound)?;
                let right = resolve(right, fields, bound)?;
                let ordering = match (&left, &right) {
                    (Scalar::Int(a), Scalar::Int(b)) => a.cmp(b),
                    (Scalar::Bool(a), Scalar::Bool(b)) if matches!(op, Op::Eq | Op::Ne) => a.cmp(b),
                    _ => left.text()?.cmp(right.text()?),
                };
                Some(match op {
                    Op::Eq => ordering.is_eq(),
                    Op::Ne => ordering.is_ne(),
                    Op::Lt => ordering.is_lt(),
                    Op::Le => ordering.is_le(),
                    Op::Gt => ordering.is_gt(),
                    Op::Ge => ordering.is_ge(),
                })
            }
        }
    }
}

/// A field (of `var`), literal, `as_of` or `add_term` of a comparison.
fn operand(expr: &IdedExpr, var: &str) -> Option<Operand> {
    let field = |e: &IdedExpr| match &e.expr {
        Expr::Select(select) if !select.test && is_ident(&select.operand, var) => {
            Some(select.field.clone())
        }
        _ => None,
    };
    match &expr.expr {
        Expr::Select(_) => field(expr).map(Operand::Field),
        Expr::Ident(name) if name == "as_of" && var != "as_of" => Some(Operand::AsOf),
        Expr::Call(call) if call.func_name == "add_term" && call.target.is_none() => {
            match &call.args[..] {
                [start, term] => match &term.expr {
                    Expr::Literal(LiteralValue::String(term)) => {
                        Some(Operand::AddTerm(field(start)?, term.inner().to_string()))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        Expr::Literal(LiteralValue::String(s)) => {
            Some(Operand::Lit(Lit::Str(s.inner().to_string())))
        }
        Expr::Literal(LiteralValue::Int(i)) => Some(Operand::Lit(Lit::Int(*i.inner()))),
        Expr::Literal(LiteralValue::Boolean(b)) => Some(Operand::Lit(Lit::Bool(*b.inner()))),
        _ => None,
    }
}

/// A JSON scalar as CEL would see it, borrowed where it can be.
#[derive(Debug, PartialEq)]
enum Scalar<'a> {
    Str(&'a str),
    /// A computed string (a due date from `add_term`).
    Shared(Arc<String>),
    Int(i64),
    Bool(bool),
}

impl Scalar<'_> {
    fn text(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            Scalar::Shared(s) => Some(s),
            Scalar::Int(_) | Scalar::Bool(_) => None,
        }
    }
}

/// The scalar of a JSON value when CEL sees it as a string, an `int` or a
/// bool; numbers that are not `int` in CEL (`uint` beyond i64, doubles) are
/// left to CEL.
fn scalar(value: &Value) -> Option<Scalar<'_>> {
    match value {
        Value::String(s) => Some(Scalar::Str(s)),
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Number(n) => n.as_i64().map(Scalar::Int),
        _ => None,
    }
}

fn resolve<'a>(
    operand: &'a Operand,
    fields: &'a Fields,
    bound: &Bindings<'a>,
) -> Option<Scalar<'a>> {
    match operand {
        Operand::Field(name) => scalar(get(fields, name)?),
        Operand::AsOf => Some(Scalar::Str(bound.as_of)),
        // A start that is missing, not a string or not a date, and a term
        // that does not parse, are errors CEL reports in its own words.
        Operand::AddTerm(start, term) => match get(fields, start)? {
            Value::String(start) => bound.terms.add(start, term).ok().map(Scalar::Shared),
            _ => None,
        },
        Operand::Lit(Lit::Str(s)) => Some(Scalar::Str(s)),
        Operand::Lit(Lit::Int(i)) => Some(Scalar::Int(*i)),
        Operand::Lit(Lit::Bool(b)) => Some(Scalar::Bool(*b)),
    }
}

/// An expression that is a field of the record or a literal: what it comes
/// to can be read off the record without running CEL (see [`Side::value`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Side {
    /// `<var>.field`, a top-level field.
    Field(String),
    /// A string, `int` or bool literal, as the JSON value CEL's would become.
    Lit(Value),
}

impl Side {
    /// The side of `expr` over the record bound to `var`, when it is one.
    pub(crate) fn of(expr: &IdedExpr, var: &str) -> Option<Side> {
        match operand(expr, var)? {
            Operand::Field(name) => Some(Side::Field(name)),
            Operand::Lit(Lit::Str(s)) => Some(Side::Lit(Value::String(s))),
            Operand::Lit(Lit::Int(i)) => Some(Side::Lit(Value::from(i))),
            Operand::Lit(Lit::Bool(b)) => Some(Side::Lit(Value::Bool(b))),
            Operand::AsOf | Operand::AddTerm(..) => None,
        }
    }

    /// What the side comes to for `fields`, as the JSON value of its CEL
    /// value (`to_json` of the evaluation): a field's value as it is (JSON
    /// to CEL and back gives the same value), a literal's. `None` where CEL
    /// fails: the field is missing.
    pub fn value(&self, fields: &Fields) -> Option<Value> {
        match self {
            Side::Field(name) => get(fields, name).cloned(),
            Side::Lit(value) => Some(value.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Env, compile, compile_with, object};

    /// Expressions in and out of the native subset, over fields `a` and `b`.
    const EXPRESSIONS: &[&str] = &[
        r#"record.a == "x""#,
        r#"record.a != "x" && record.b > 2"#,
        r#"record.a < record.b"#,
        r#"record.a >= "m" || !has(record.b)"#,
        r#"record.a in ["x", "y"]"#,
        r#"record.b in [1, 2, 3] && record.a == true"#,
        r#"has(record.a) && record.a <= record.b || record.b == false"#,
        r#"!(record.b == 1) || record.a > 5"#,
        r#"record.a in []"#,
        r#"true && record.b != 3"#,
        r#"record.a == 1.0"#,
        r#"size(record.a) > 0"#,
        r#"add_term(record.a, '5 werkdagen') < as_of || has(record.c)"#,
        r#"has(record.b) && record.b <= add_term(record.a, '2 weken')"#,
        r#"as_of >= record.b"#,
        r#"record.a > add_term(record.b, 'vijf dagen')"#,
        r#"record.a.matches('^[x-z]$') || matches(record.b, '2020-06')"#,
        r#"!record.a.matches('') && record.b.matches('^[0-9]+$')"#,
    ];

    /// Field values: absent, each JSON type, and values around the literals.
    fn field_values() -> Vec<Option<Value>> {
        let mut values = vec![None, Some(Value::Null), Some(Value::from(1.0))];
        values.push(Some(Value::from(u64::MAX)));
        values.extend([true, false].map(|b| Some(Value::Bool(b))));
        values.extend((0..=5).map(|i| Some(Value::from(i))));
        values.extend(["", "m", "x", "y", "z"].map(|s| Some(Value::from(s))));
        // Around as_of (2020-07-01) and five working days before it.
        let dates = [
            "2020-06-23",
            "2020-06-24",
            "2020-06-30",
            "2020-07-01",
            "2020-07-08",
        ];
        values.extend(dates.map(|s| Some(Value::from(s))));
        values
    }

    fn env() -> Env {
        Env::new(
            jiff::civil::date(2020, 7, 1),
            Arc::new(crate::calendar::Calendar::empty()),
            None,
        )
    }

    /// Every expression over every pair of field values: whenever the native
    /// path answers, CEL on the whole record gives the same boolean, and the
    /// projected record gives exactly CEL's result (errors included).
    #[test]
    fn native_and_projection_agree_with_cel() {
        let env = env();
        let mut answered = 0;
        for source in EXPRESSIONS {
            let expr = compile(source).unwrap();
            for a in field_values() {
                for b in field_values() {
                    let mut fields = Fields::default();
                    fields.insert("other".into(), Value::from("not read"));
                    if let Some(a) = a.clone() {
                        fields.insert("a".into(), a);
                    }
                    if let Some(b) = b {
                        fields.insert("b".into(), b);
                    }
                    let mut scope = env.context.new_inner_scope();
                    scope.add_variable_from_value("record", object(&fields));
                    let full = expr
                        .program
                        .execute(&scope)
                        .map_err(|e| crate::text::Text::verbatim(e.to_string()));
                    assert_eq!(expr.eval(&env, &fields), full, "{source} on {fields:?}");
                    let bound = env.bindings();
                    if let Some(native) = expr.native.as_ref().and_then(|n| n.eval(&fields, &bound))
                    {
                        answered += 1;
                        assert_eq!(Ok(cel::Value::Bool(native)), full, "{source} on {fields:?}");
                    }
                }
            }
        }
        assert!(
            answered > 1000,
            "the native path answered only {answered} times"
        );
    }

    /// A comparison side that is a field or a literal comes to what CEL's
    /// evaluation comes to as JSON (`to_json`), for every field value
    /// (absent, each JSON type, nested): no CEL needed to show it.
    #[test]
    fn sides_read_off_the_record_are_what_cel_gives() {
        let env = env();
        let mut values = field_values();
        values.push(Some(serde_json::json!({"x": 1})));
        values.push(Some(serde_json::json!([1, "2"])));
        values.push(Some(Value::from(-7)));
        values.push(Some(Value::from(2.5)));
        let sides = [
            "record.a",
            "6",
            "-6",
            "0",
            "'2020-01-01'",
            "\"x\"",
            "true",
            "false",
        ];
        for source in sides {
            let expr = compile(source).unwrap();
            let side = expr.side().unwrap_or_else(|| panic!("{source} is a side"));
            for a in &values {
                let mut fields = Fields::default();
                if let Some(a) = a.clone() {
                    fields.insert("a".into(), a);
                }
                let by_cel = expr
                    .eval(&env, &fields)
                    .ok()
                    .map(|v| crate::expr::to_json(&v));
                let read = side.value(&fields);
                match (&read, &by_cel) {
                    // CEL shows a map as its debug text: neither is shown.
                    (Some(Value::Object(_)), Some(Value::String(_))) => {}
                    _ => assert_eq!(read, by_cel, "{source} on {fields:?}"),
                }
            }
        }
        for source in [
            "record.a.b",
            "size(record.a)",
            "as_of",
            "1.5",
            "record.a + 1",
        ] {
            assert!(compile(source).unwrap().side().is_none(), "{source}");
        }
    }

    /// `records.filter(r, P).size()` counted element by element (natively,
    /// else by CEL on the element, else by CEL on the whole list) equals CEL
    /// on the whole list, for lists of every pair of field values, errors
    /// included.
    #[test]
    fn counting_agrees_with_cel_filter() {
        let env = env();
        let lets = [
            "records.size()",
            "size(records)",
            "records.filter(r, has(r.a) && r.a <= add_term(r.b, '5 werkdagen')).size()",
            "records.filter(r, r.a == 'x' || r.b > 2).size()",
            "records.filter(r, r.a in ['x', 'y'] && r.b != group.soort).size()",
            "records.filter(x, size(x.a) > 0).size()",
            "records.filter(r, r.a).size()",
        ];
        let values = field_values();
        let mut native_or_element = 0;
        for source in lets {
            let expr = compile_with(source, &["records", "group", "as_of"]).unwrap();
            let counter = expr.counter("records").expect(source);
            // A list of records, each of a pair of values, several of each.
            for window in values.windows(3) {
                let list: Vec<Fields> = window
                    .iter()
                    .zip(window.iter().rev())
                    .map(|(a, b)| {
                        let mut fields = Fields::default();
                        if let Some(a) = a.clone() {
                            fields.insert("a".into(), a);
                        }
                        if let Some(b) = b.clone() {
                            fields.insert("b".into(), b);
                        }
                        fields
                    })
                    .collect();
                let mut scope = env.scope();
                let group = object(&Fields::from_iter([("soort".to_string(), Value::from(3))]));
                scope.add_variable_from_value("group", group);
                let cel_list: Vec<cel::Value> = list.iter().map(object).collect();
                let mut whole = scope.new_inner_scope();
                whole.add_variable_from_value("records", cel::Value::List(Arc::new(cel_list)));
                let by_cel = expr.eval_in(&whole, &env, &[("records", list.len())]);
                let counted: Option<i64> = list
                    .iter()
                    .map(|fields| counter.counts(&env, &scope, fields))
                    .try_fold(0, |n, counts| Some(n + i64::from(counts?)));
                match counted {
                    Some(n) => {
                        native_or_element += 1;
                        assert_eq!(by_cel, Ok(cel::Value::Int(n)), "{source} on {list:?}");
                    }
                    // Left to CEL: it must be because CEL fails or finds a
                    // non-boolean on some element.
                    None => assert!(
                        by_cel.is_err(),
                        "{source} on {list:?}: counting gave up, CEL gave {by_cel:?}"
                    ),
                }
            }
        }
        assert!(
            native_or_element > 60,
            "counted only {native_or_element} lists"
        );
    }

    #[test]
    fn the_subset_is_recognised() {
        for (source, native) in [
            (EXPRESSIONS[1], true),
            (EXPRESSIONS[4], true),
            (EXPRESSIONS[6], true),
            (r#""x" == "x""#, false),
            (EXPRESSIONS[11], false),
            (r#"record.a in ["x", 1]"#, false),
        ] {
            let expr = compile(source).unwrap();
            assert_eq!(expr.native.is_some(), native, "{source}");
        }
    }
}
