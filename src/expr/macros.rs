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

/// The two-variable comprehensions of cel-go (`macros2`): `all`, `exists`
/// and `existsOne` (`exists_one`) with an index or key and a value,
/// `transformList(i, v, [filter,] expr)`.
pub(super) fn two_variable() -> Vec<Macro> {
    let mut macros = Vec::new();
    for (name, kind) in [
        ("all", Fold::All),
        ("exists", Fold::Exists),
        ("existsOne", Fold::ExistsOne),
        ("exists_one", Fold::ExistsOne),
    ] {
        macros.push(Macro::receiver(name, 3, move |h, t, a| {
            expand_two(h, t, a, kind)
        }));
    }
    macros.push(Macro::receiver("transformList", 3, |h, t, a| {
        expand_two(h, t, a, Fold::Transform)
    }));
    macros.push(Macro::receiver("transformList", 4, |h, t, a| {
        expand_two(h, t, a, Fold::FilterTransform)
    }));
    macros.push(Macro::receiver("transformMap", 3, |h, t, a| {
        expand_two(h, t, a, Fold::TransformMap)
    }));
    macros.push(Macro::receiver("transformMap", 4, |h, t, a| {
        expand_two(h, t, a, Fold::FilterTransformMap)
    }));
    macros
}

/// What a two-variable comprehension computes.
#[derive(Clone, Copy)]
enum Fold {
    All,
    Exists,
    ExistsOne,
    Transform,
    FilterTransform,
    TransformMap,
    FilterTransformMap,
}

/// The function `transformMap` adds entries with (registered with
/// naleving's functions: CEL has no operator that adds to a map).
pub(super) const MAP_INSERT: &str = "@naleving_map_insert";

/// Rewrites `target.f(i, v, body…)` into
/// `cel.bind(@it, target, KEYS.f(i, cel.bind(v, @it[i], body…)))`, where
/// KEYS are a map's keys or a list's indexes
/// (`type(@it) == map ? @it : lists.range(size(@it))`): CEL's evaluator
/// binds one variable per element, so the second is bound from the first.
fn expand_two(
    helper: &mut MacroExprHelper<'_>,
    target: &mut Option<IdedExpr>,
    args: &mut Vec<IdedExpr>,
    fold: Fold,
) -> Result<Option<IdedExpr>, ParseError> {
    let names: Vec<Option<String>> = args
        .iter()
        .take(2)
        .map(|a| match &a.expr {
            Expr::Ident(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    let (Some(Some(index)), Some(Some(value))) = (names.first(), names.get(1)) else {
        return Err(helper.new_error(
            args.first().map_or(0, |a| a.id),
            "the first two arguments must be simple names",
        ));
    };
    let (index, value) = (index.clone(), value.clone());
    let list = target.take().unwrap_or_default();
    let mut rest: Vec<IdedExpr> = args.drain(2..).collect();
    let input = "@it".to_string();
    let mut n = Nodes(helper);
    // Each body sees `value` bound to `@it[index]`.
    let with_value = |n: &mut Nodes<'_, '_>, body: IdedExpr| {
        let args = vec![n.ident(&input), n.ident(&index)];
        let element = n.call(cel::common::ast::operators::INDEX, args);
        n.bind(&value, element, body)
    };
    let last = rest.pop().unwrap_or_default();
    let filter = rest.pop();
    let body = with_value(&mut n, last);
    let filter = filter.map(|f| with_value(&mut n, f));
    let it = n.ident(&input);
    let type_of = n.call("type", vec![it]);
    let map = n.ident("map");
    let is_map = n.call(cel::common::ast::operators::EQUALS, vec![type_of, map]);
    let it = n.ident(&input);
    let size = n.call("size", vec![it]);
    let indexes = n.call("lists.range", vec![size]);
    let it = n.ident(&input);
    let keys = n.call(
        cel::common::ast::operators::CONDITIONAL,
        vec![is_map, it, indexes],
    );
    let walk = n.fold(fold, keys, &index, body, filter);
    Ok(Some(n.bind(&input, list, walk)))
}

/// Builds nodes with fresh ids.
struct Nodes<'h, 'p>(&'h mut MacroExprHelper<'p>);

impl Nodes<'_, '_> {
    fn node(&mut self, expr: Expr) -> IdedExpr {
        self.0.next_expr(expr)
    }

    fn ident(&mut self, name: &str) -> IdedExpr {
        self.node(Expr::Ident(name.to_string()))
    }

    fn bool(&mut self, b: bool) -> IdedExpr {
        self.node(Expr::Literal(LiteralValue::Boolean(b.into())))
    }

    fn int(&mut self, i: i64) -> IdedExpr {
        self.node(Expr::Literal(LiteralValue::Int(i.into())))
    }

    fn call(&mut self, function: &str, args: Vec<IdedExpr>) -> IdedExpr {
        self.node(Expr::Call(cel::common::ast::CallExpr {
            func_name: function.to_string(),
            target: None,
            args,
        }))
    }

    /// `cel.bind(name, value, body)`.
    fn bind(&mut self, name: &str, value: IdedExpr, body: IdedExpr) -> IdedExpr {
        let empty = self.node(Expr::List(ListExpr {
            elements: Vec::new(),
            optional_indices: Vec::new(),
        }));
        let stop = self.bool(false);
        let step = self.ident(name);
        self.node(Expr::Comprehension(Box::new(ComprehensionExpr {
            iter_range: empty,
            iter_var: "#unused".to_string(),
            iter_var2: None,
            accu_var: name.to_string(),
            accu_init: value,
            loop_cond: stop,
            loop_step: step,
            result: body,
        })))
    }

    /// The comprehension of `fold` over `range` with `var`, as CEL's own
    /// macros expand it.
    fn fold(
        &mut self,
        fold: Fold,
        range: IdedExpr,
        var: &str,
        body: IdedExpr,
        filter: Option<IdedExpr>,
    ) -> IdedExpr {
        use cel::common::ast::operators::{
            ADD, CONDITIONAL, EQUALS, LOGICAL_AND, LOGICAL_NOT, LOGICAL_OR, NOT_STRICTLY_FALSE,
        };
        let accu = "@result";
        let (init, cond, step, result) = match fold {
            Fold::All | Fold::Exists => {
                let all = matches!(fold, Fold::All);
                let init = self.bool(all);
                let seen = self.ident(accu);
                let seen = if all {
                    seen
                } else {
                    self.call(LOGICAL_NOT, vec![seen])
                };
                let cond = self.call(NOT_STRICTLY_FALSE, vec![seen]);
                let op = if all { LOGICAL_AND } else { LOGICAL_OR };
                let seen = self.ident(accu);
                let step = self.call(op, vec![seen, body]);
                let result = self.ident(accu);
                (init, cond, step, result)
            }
            Fold::ExistsOne => {
                let init = self.int(0);
                let cond = self.bool(true);
                let (count, one) = (self.ident(accu), self.int(1));
                let more = self.call(ADD, vec![count, one]);
                let same = self.ident(accu);
                let step = self.call(CONDITIONAL, vec![body, more, same]);
                let (count, one) = (self.ident(accu), self.int(1));
                let result = self.call(EQUALS, vec![count, one]);
                (init, cond, step, result)
            }
            Fold::Transform
            | Fold::FilterTransform
            | Fold::TransformMap
            | Fold::FilterTransformMap => {
                let so_far = self.ident(accu);
                let (init, add) = if matches!(fold, Fold::TransformMap | Fold::FilterTransformMap) {
                    // A map, one entry added per key: `@naleving_map_insert`.
                    let empty = self.node(Expr::Map(cel::common::ast::MapExpr {
                        entries: Vec::new(),
                    }));
                    let key = self.ident(var);
                    (empty, self.call(MAP_INSERT, vec![so_far, key, body]))
                } else {
                    // A list, one element appended per element: `+ [body]`.
                    let empty = self.node(Expr::List(ListExpr {
                        elements: Vec::new(),
                        optional_indices: Vec::new(),
                    }));
                    let one = self.node(Expr::List(ListExpr {
                        elements: vec![body],
                        optional_indices: Vec::new(),
                    }));
                    (empty, self.call(ADD, vec![so_far, one]))
                };
                let cond = self.bool(true);
                let step = match filter {
                    Some(filter) => {
                        let same = self.ident(accu);
                        self.call(CONDITIONAL, vec![filter, add, same])
                    }
                    None => add,
                };
                let result = self.ident(accu);
                (init, cond, step, result)
            }
        };
        self.node(Expr::Comprehension(Box::new(ComprehensionExpr {
            iter_range: range,
            iter_var: var.to_string(),
            iter_var2: None,
            accu_var: accu.to_string(),
            accu_init: init,
            loop_cond: cond,
            loop_step: step,
            result,
        })))
    }
}
