//! The fast path for expressions: what an expression reads of `record`, and a
//! native evaluator for the simple predicates most rules are made of.
//!
//! Converting a whole record to CEL values costs more than evaluating a
//! typical rule, so [`variable_fields`] finds the top-level fields an expression
//! reads (`record.soort`, `has(record.melder)`), and only those are converted.
//! An expression that uses `record` in any other way (`record["x"]`, passing
//! `record` to a function) gets the whole record, as before.
//!
//! [`Native`] goes further for comparisons of fields with literals, with
//! each other, with `as_of` or with `add_term(field, '<term>')`, `in` over a
//! literal list, `has()`, `!`, `&&` and `||`: it answers straight from the
//! JSON values. It only answers when the answer is
//! certain under CEL's rules — both sides of a comparison of the same type
//! (string, integer, or booleans for `==`/`!=`), every field present — and
//! otherwise says "don't know", and the caller runs the CEL program, so
//! errors, mixed types and edge cases keep CEL's exact behaviour and messages.
//!
//! [`counted`] recognises `list.size()` and `list.filter(x, P).size()`, so an
//! aggregate can count its records with `P` (natively when it can) instead
//! of handing CEL the whole list.

use std::collections::BTreeSet;
use std::sync::Arc;

use cel::IdedExpr;
use cel::common::ast::{EntryExpr, Expr, LiteralValue, operators};
use serde_json::{Map, Value};

use super::functions::Terms;
use crate::check::get;

/// The fields selected on variable `var` (`record.soort` selects `soort`,
/// `collections.middelen` selects `middelen`), or `None` when `var` is used
/// in another way.
pub(crate) fn variable_fields(expr: &IdedExpr, var: &str) -> Option<BTreeSet<String>> {
    let mut fields = BTreeSet::new();
    collect(expr, var, &mut fields).then_some(fields)
}

/// True when `expr` reads the variable `var` at all.
pub(crate) fn reads(expr: &IdedExpr, var: &str) -> bool {
    variable_fields(expr, var).is_none_or(|fields| !fields.is_empty())
}

/// The fields of the elements of the list variable `list` that `expr` reads:
/// `records.filter(r, r.a > 1).size()` reads `a`. `None` when the elements
/// are used other than through a comprehension variable's named fields, or
/// the list other than by `size()` and comprehensions.
pub(crate) fn element_projection(expr: &IdedExpr, list: &str) -> Option<BTreeSet<String>> {
    let mut fields = BTreeSet::new();
    elements(expr, list, &mut fields).then_some(fields)
}

/// The direct subexpressions of `expr`.
fn children(expr: &IdedExpr) -> Vec<&IdedExpr> {
    fn entry(entry: &cel::common::ast::IdedEntryExpr) -> Vec<&IdedExpr> {
        match &entry.expr {
            EntryExpr::MapEntry(e) => vec![&e.key, &e.value],
            EntryExpr::StructField(f) => vec![&f.value],
        }
    }
    match &expr.expr {
        Expr::Select(select) => vec![&select.operand],
        Expr::Call(call) => call
            .target
            .as_deref()
            .into_iter()
            .chain(&call.args)
            .collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(map) => map.entries.iter().flat_map(entry).collect(),
        Expr::Struct(s) => s.entries.iter().flat_map(entry).collect(),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

fn is_ident(expr: &IdedExpr, name: &str) -> bool {
    matches!(&expr.expr, Expr::Ident(n) if n == name)
}

/// True when a comprehension binds `name` (and would shadow ours).
fn binds(expr: &IdedExpr, name: &str) -> bool {
    matches!(&expr.expr, Expr::Comprehension(c)
        if c.iter_var == name || c.iter_var2.as_deref() == Some(name) || c.accu_var == name)
}

/// Adds the fields selected on the variable `var` to `out`; false when
/// `var` appears in a way that needs all of its value.
fn collect(expr: &IdedExpr, var: &str, out: &mut BTreeSet<String>) -> bool {
    match &expr.expr {
        Expr::Select(select) if is_ident(&select.operand, var) => {
            out.insert(select.field.clone());
            true
        }
        Expr::Ident(name) => name != var,
        _ if binds(expr, var) => false,
        _ => children(expr).into_iter().all(|e| collect(e, var, out)),
    }
}

/// See [`element_projection`].
fn elements(expr: &IdedExpr, list: &str, out: &mut BTreeSet<String>) -> bool {
    match &expr.expr {
        Expr::Ident(name) => name != list,
        Expr::Call(call) if call.func_name == "size" => {
            let operands: Vec<&IdedExpr> = call
                .target
                .as_deref()
                .into_iter()
                .chain(&call.args)
                .collect();
            match operands.as_slice() {
                [only] if is_ident(only, list) => true,
                _ => operands.into_iter().all(|e| elements(e, list, out)),
            }
        }
        Expr::Comprehension(c) if is_ident(&c.iter_range, list) => {
            c.iter_var2.is_none()
                && c.accu_var != list
                && c.iter_var != list
                && [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result]
                    .into_iter()
                    .all(|e| collect(e, &c.iter_var, out) && elements(e, list, out))
        }
        _ if binds(expr, list) => false,
        _ => children(expr).into_iter().all(|e| elements(e, list, out)),
    }
}

/// What `expr` counts of the list variable `list`, when it is
/// `list.size()` / `size(list)` or `list.filter(x, P).size()`.
#[derive(Debug, PartialEq)]
pub(crate) enum Counted<'e> {
    /// Every element.
    All,
    /// The elements for which the predicate is true, the element bound to
    /// the variable.
    Where(&'e str, &'e IdedExpr),
}

/// See [`Counted`]. The predicate must not itself read `list`.
pub(crate) fn counted<'e>(expr: &'e IdedExpr, list: &str) -> Option<Counted<'e>> {
    let Expr::Call(call) = &expr.expr else {
        return None;
    };
    let operand = match (
        call.func_name.as_str(),
        call.target.as_deref(),
        &call.args[..],
    ) {
        ("size", Some(target), []) | ("size", None, [target]) => target,
        _ => return None,
    };
    if is_ident(operand, list) {
        return Some(Counted::All);
    }
    // `list.filter(x, P)` as cel's parser expands it: a comprehension over
    // `list` starting from `[]`, with step `P ? @result + [x] : @result`.
    let Expr::Comprehension(c) = &operand.expr else {
        return None;
    };
    let accu = c.accu_var.as_str();
    let empty_start = matches!(&c.accu_init.expr, Expr::List(l) if l.elements.is_empty());
    let always = matches!(&c.loop_cond.expr, Expr::Literal(LiteralValue::Boolean(b)) if *b.inner());
    if !is_ident(&c.iter_range, list)
        || c.iter_var2.is_some()
        || !empty_start
        || !always
        || !is_ident(&c.result, accu)
    {
        return None;
    }
    let Expr::Call(step) = &c.loop_step.expr else {
        return None;
    };
    let [predicate, append, keep] = &step.args[..] else {
        return None;
    };
    let appends_element = matches!(&append.expr, Expr::Call(add)
        if add.func_name == operators::ADD
            && matches!(&add.args[..], [acc, one] if is_ident(acc, accu)
                && matches!(&one.expr, Expr::List(l)
                    if matches!(&l.elements[..], [e] if is_ident(e, &c.iter_var)))));
    let reads_list = reads(predicate, list) || reads(predicate, accu);
    (step.func_name == operators::CONDITIONAL
        && step.target.is_none()
        && appends_element
        && is_ident(keep, accu)
        && !reads_list)
        .then_some(Counted::Where(&c.iter_var, predicate))
}

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
    /// `true` or `false`.
    Const(bool),
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
    pub fn eval(&self, fields: &Map<String, Value>, bound: &Bindings<'_>) -> Option<bool> {
        match self {
            Native::Const(b) => Some(*b),
            Native::Has(field) => Some(get(fields, field).is_some()),
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
    fields: &'a Map<String, Value>,
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
                    let mut fields = Map::new();
                    fields.insert("other".into(), Value::from("not read"));
                    if let Some(a) = a.clone() {
                        fields.insert("a".into(), a);
                    }
                    if let Some(b) = b {
                        fields.insert("b".into(), b);
                    }
                    let mut scope = env.context.new_inner_scope();
                    scope.add_variable_from_value("record", object(&fields));
                    let full = expr.program.execute(&scope).map_err(|e| e.to_string());
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
                let list: Vec<Map<String, Value>> = window
                    .iter()
                    .zip(window.iter().rev())
                    .map(|(a, b)| {
                        let mut fields = Map::new();
                        a.clone().map(|a| fields.insert("a".into(), a));
                        b.clone().map(|b| fields.insert("b".into(), b));
                        fields
                    })
                    .collect();
                let mut scope = env.scope();
                let group = object(&Map::from_iter([("soort".to_string(), Value::from(3))]));
                scope.add_variable_from_value("group", group);
                let cel_list: Vec<cel::Value> = list.iter().map(object).collect();
                let mut whole = scope.new_inner_scope();
                whole.add_variable_from_value("records", cel::Value::List(Arc::new(cel_list)));
                let by_cel = expr.eval_in(&whole);
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
    fn counted_shapes() {
        let shape = |s: &str| {
            let expr = compile_with(s, &["records", "n"]).unwrap();
            match counted(expr.program.expression(), "records") {
                None => "none",
                Some(Counted::All) => "all",
                Some(Counted::Where(..)) => "where",
            }
        };
        assert_eq!(shape("records.size()"), "all");
        assert_eq!(shape("records.filter(r, r.a > 1).size()"), "where");
        assert_eq!(
            shape("records.filter(r, r.a > records.size()).size()"),
            "none"
        );
        assert_eq!(shape("records.map(r, r.a).size()"), "none");
        assert_eq!(shape("records.filter(r, r.a > 1).size() + 1"), "none");
        assert_eq!(shape("[1].filter(r, r > 1).size()"), "none");
        assert_eq!(shape("records.exists(r, r.a > n)"), "none");
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

    #[test]
    fn projection_lists_fields_or_gives_up() {
        let fields = |s: &str| compile(s).unwrap().projection;
        assert_eq!(
            fields(r#"has(record.b) && record.a.all(x, x > record.c)"#),
            Some(vec!["a".to_string(), "b".to_string(), "c".to_string()])
        );
        assert_eq!(fields(r#"record["a"] == 1"#), None);
        assert_eq!(fields(r#"size(record) > 1"#), None);
        assert_eq!(fields(r#"[1].all(record, record > 0)"#), None);
    }
}
