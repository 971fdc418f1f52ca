//! What an expression reads of a variable: the fields selected on `record`
//! (`record.soort`, `has(record.melder)`), the collections named on
//! `collections`, and the element fields of a list a comprehension walks.
//!
//! Converting a whole record to CEL values costs more than evaluating a
//! typical rule, so [`variable_fields`] finds the top-level fields an
//! expression reads, and only those are converted. An expression that uses
//! `record` in any other way (`record["x"]`, passing `record` to a function)
//! gets the whole record.

use std::collections::BTreeSet;

use cel::IdedExpr;
use cel::common::ast::{EntryExpr, Expr};

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

/// How deeply `expr` nests (a literal is 1), found without recursion, so
/// that an expression too deep to evaluate can be refused before anything
/// walks it recursively.
pub(crate) fn depth(expr: &IdedExpr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(expr, 1)];
    while let Some((expr, level)) = stack.pop() {
        deepest = deepest.max(level);
        stack.extend(children(expr).into_iter().map(|child| (child, level + 1)));
    }
    deepest
}

/// The first constant pattern of a `matches()` call that is not a valid
/// regular expression, with why (found without recursion).
pub(crate) fn bad_pattern(expr: &IdedExpr) -> Option<String> {
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        if let Expr::Call(call) = &expr.expr
            && call.func_name == "matches"
        {
            let pattern = match (&call.target, &call.args[..]) {
                (Some(_), [pattern]) | (None, [_, pattern]) => Some(pattern),
                _ => None,
            };
            if let Some(Expr::Literal(cel::common::ast::LiteralValue::String(text))) =
                pattern.map(|p| &p.expr)
                && let Err(err) = regex::Regex::new(text.inner())
            {
                return Some(err.to_string());
            }
        }
        stack.extend(children(expr));
    }
    None
}

/// The direct subexpressions of `expr`.
pub(crate) fn children(expr: &IdedExpr) -> Vec<&IdedExpr> {
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

/// The names read as variables where none of that name is in scope: not
/// one of `known`, nor bound by an enclosing comprehension (`x` of
/// `list.all(x, …)` is in scope inside the macro only), in sorted order.
pub(crate) fn unbound<'e>(expr: &'e IdedExpr, known: &[&'e str]) -> BTreeSet<&'e str> {
    let mut found = BTreeSet::new();
    let mut scope: Vec<&str> = known.to_vec();
    unbound_in(expr, &mut scope, &mut found);
    found
}

/// The namespaces of CEL's extensions: `math` in `math.greatest(…)` is the
/// function's name, not a variable.
const NAMESPACES: &[&str] = &["math", "strings", "lists", "optional", "cel"];

fn unbound_in<'e>(expr: &'e IdedExpr, scope: &mut Vec<&'e str>, found: &mut BTreeSet<&'e str>) {
    match &expr.expr {
        Expr::Call(call)
            if call.target.as_deref().is_some_and(
                |t| matches!(&t.expr, Expr::Ident(n) if NAMESPACES.contains(&n.as_str())),
            ) =>
        {
            for arg in &call.args {
                unbound_in(arg, scope, found);
            }
        }
        Expr::Ident(name) if !scope.contains(&name.as_str()) => {
            found.insert(name);
        }
        Expr::Comprehension(c) => {
            unbound_in(&c.iter_range, scope, found);
            unbound_in(&c.accu_init, scope, found);
            let outer = scope.len();
            scope.push(&c.iter_var);
            scope.extend(c.iter_var2.as_deref());
            scope.push(&c.accu_var);
            for inner in [&c.loop_cond, &c.loop_step, &c.result] {
                unbound_in(inner, scope, found);
            }
            scope.truncate(outer);
        }
        _ => {
            for child in children(expr) {
                unbound_in(child, scope, found);
            }
        }
    }
}

/// Every function `expr` calls, with the qualified name it has when it is
/// called on a name (`strings.quote(s)`: `quote` and `strings.quote`), so
/// that extension namespaces are known.
pub(crate) fn calls(expr: &IdedExpr) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        if let Expr::Call(call) = &expr.expr {
            let qualified = call
                .target
                .as_deref()
                .and_then(qualified_name)
                .map(|prefix| format!("{prefix}.{}", call.func_name));
            out.push((call.func_name.clone(), qualified));
        }
        stack.extend(children(expr));
    }
    out
}

/// `a.b.c` as the text `a.b.c`, for a name made of identifiers and fields.
fn qualified_name(expr: &IdedExpr) -> Option<String> {
    match &expr.expr {
        Expr::Ident(name) => Some(name.clone()),
        Expr::Select(select) if !select.test => Some(format!(
            "{}.{}",
            qualified_name(&select.operand)?,
            select.field
        )),
        _ => None,
    }
}

/// True when some comprehension in `expr` binds `name`.
pub(crate) fn binds_anywhere(expr: &IdedExpr, name: &str) -> bool {
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        if binds(expr, name) {
            return true;
        }
        stack.extend(children(expr));
    }
    false
}

pub(crate) fn is_ident(expr: &IdedExpr, name: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use crate::expr::compile;

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
