//! Counting without building lists: [`counted`] recognises `list.size()`
//! and `list.filter(x, P).size()`, so an aggregate can count its records
//! with `P` (natively when it can, see [`super::native`]) instead of handing
//! CEL the whole list.

use cel::IdedExpr;
use cel::common::ast::{Expr, LiteralValue, operators};

use super::reads::{is_ident, reads};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::compile_with;

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
}
