//! Macros naleving adds to the CEL parser: `cel.bind(name, value, expr)`
//! from cel-go's bindings extension, a local name inside an expression (a
//! long norm rule can compute a value once and use it twice).
//!
//! Like the standard macros, it is rewritten into a comprehension when the
//! expression is parsed: one that walks an empty list, with `name` as its
//! accumulator set to `value`, and `expr` as its result. Evaluation needs
//! nothing new, and the variable checks and the budget see an ordinary
//! comprehension.

use cel::common::ast::{ComprehensionExpr, Expr, IdedExpr, ListExpr, LiteralValue};
use cel::parser::{Macro, MacroExprHelper, ParseError};

/// `cel.bind(name, value, expr)`.
pub(super) fn bind() -> Macro {
    Macro::receiver("bind", 3, expand_bind)
}

fn expand_bind(
    helper: &mut MacroExprHelper<'_>,
    target: &mut Option<IdedExpr>,
    args: &mut Vec<IdedExpr>,
) -> Result<Option<IdedExpr>, ParseError> {
    // `x.bind(…)` on anything but `cel` stays the call it is written as.
    if !matches!(target.as_ref().map(|t| &t.expr), Some(Expr::Ident(name)) if name == "cel") {
        return Ok(None);
    }
    let result = args.pop().unwrap_or_default();
    let value = args.pop().unwrap_or_default();
    let name = match args.pop().map(|a| (a.id, a.expr)) {
        Some((_, Expr::Ident(name))) => name,
        Some((id, _)) => {
            return Err(helper.new_error(id, "the first argument of cel.bind must be a name"));
        }
        None => return Err(helper.new_error(0, "cel.bind needs a name, a value and an expression")),
    };
    target.take();
    let empty = helper.next_expr(Expr::List(ListExpr {
        elements: Vec::new(),
        optional_indices: Vec::new(),
    }));
    let stop = helper.next_expr(Expr::Literal(LiteralValue::Boolean(false.into())));
    let step = helper.next_expr(Expr::Ident(name.clone()));
    Ok(Some(helper.next_expr(Expr::Comprehension(Box::new(
        ComprehensionExpr {
            iter_range: empty,
            iter_var: "#unused".to_string(),
            iter_var2: None,
            accu_var: name,
            accu_init: value,
            loop_cond: stop,
            loop_step: step,
            result,
        },
    )))))
}
