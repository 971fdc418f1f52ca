//! An evaluation budget: before an expression with comprehensions runs on a
//! record, the work it may take is bounded from the sizes of the lists it
//! walks, and an expression over the budget is not run.
//!
//! CEL itself has no way to stop an evaluation, and three nested `exists`
//! over lists of 1,000 elements take a billion steps per record. So the
//! loops are found when the expression compiles (each comprehension, with
//! the loops inside its body), and before each evaluation their ranges are
//! sized: `collections.<name>` by the collection, `record.<path>` (or a
//! variable the caller sizes, such as `records` of a group) by the value, a
//! list literal by its length, a `map`/`filter` by the list it walks, and
//! anything else by [`UNKNOWN_SIZE`]. The bound is the sum over loops of
//! size × (1 + the bound of its body): exact for nested walks of whole
//! lists, an upper bound when a loop stops early.

use cel::IdedExpr;
use cel::common::ast::Expr;
use serde_json::Value;

/// The most steps an expression may take for one record.
pub const MAX_STEPS: u64 = 10_000_000;

/// The size assumed for a list whose size cannot be known before the
/// expression runs (a list computed inside it, a field of a list element).
pub const UNKNOWN_SIZE: u64 = 1_000;

/// The loops of an expression, outermost first.
#[derive(Debug, Default)]
pub(crate) struct Loops(Vec<Loop>);

#[derive(Debug)]
struct Loop {
    range: Range,
    body: Loops,
}

/// What a loop walks, as far as it can be sized before running.
#[derive(Debug)]
enum Range {
    /// A variable, or a field path on one (`record.a.b`: `record`, `[a, b]`).
    Path(String, Vec<String>),
    /// A list literal.
    Known(u64),
    /// As long as another range (`map` and `filter` keep at most as many).
    Like(Box<Range>),
    Unknown,
}

impl Loops {
    /// The loops of `expr` (nesting is bounded when the expression
    /// compiles, so the walk may recurse).
    pub(crate) fn of(expr: &IdedExpr) -> Loops {
        let mut loops = Loops::default();
        collect(expr, &mut loops);
        loops
    }

    /// True when the expression has no loop: nothing to bound.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bound on the steps, with `size` giving the length of a path's
    /// value where it is known.
    pub(crate) fn steps(&self, size: &dyn Fn(&str, &[String]) -> Option<u64>) -> u64 {
        self.0.iter().fold(0u64, |total, one| {
            let n = one.range.size(size);
            let body = one.body.steps(size);
            total.saturating_add(n.saturating_mul(body.saturating_add(1)))
        })
    }
}

impl Range {
    fn of(expr: &IdedExpr) -> Range {
        match &expr.expr {
            Expr::List(list) => Range::Known(list.elements.len() as u64),
            Expr::Comprehension(c) => Range::Like(Box::new(Range::of(&c.iter_range))),
            _ => match path(expr) {
                Some((root, fields)) => Range::Path(root, fields),
                None => Range::Unknown,
            },
        }
    }

    fn size(&self, size: &dyn Fn(&str, &[String]) -> Option<u64>) -> u64 {
        match self {
            Range::Path(root, fields) => size(root, fields).unwrap_or(UNKNOWN_SIZE),
            Range::Known(n) => *n,
            Range::Like(inner) => inner.size(size),
            Range::Unknown => UNKNOWN_SIZE,
        }
    }
}

/// `a.b.c` as (`a`, [`b`, `c`]).
fn path(expr: &IdedExpr) -> Option<(String, Vec<String>)> {
    let mut fields = Vec::new();
    let mut at = expr;
    loop {
        match &at.expr {
            Expr::Ident(name) => {
                fields.reverse();
                return Some((name.clone(), fields));
            }
            Expr::Select(select) if !select.test => {
                fields.push(select.field.clone());
                at = &select.operand;
            }
            _ => return None,
        }
    }
}

fn collect(expr: &IdedExpr, out: &mut Loops) {
    if let Expr::Comprehension(c) = &expr.expr {
        // The range and the start value run once, outside the loop.
        collect(&c.iter_range, out);
        collect(&c.accu_init, out);
        let mut body = Loops::default();
        for inner in [&c.loop_cond, &c.loop_step] {
            collect(inner, &mut body);
        }
        out.0.push(Loop {
            range: Range::of(&c.iter_range),
            body,
        });
        collect(&c.result, out);
        return;
    }
    for child in super::reads::children(expr) {
        collect(child, out);
    }
}

/// The length of the value at `fields` in a record (a list's elements, an
/// object's keys, 0 for anything else); `None` when it is absent.
pub(crate) fn record_size(record: &crate::data::Fields, fields: &[String]) -> Option<u64> {
    let (first, rest) = fields.split_first()?;
    let mut value = record.get(first)?;
    for field in rest {
        value = value.as_object()?.get(field)?;
    }
    Some(match value {
        Value::Array(items) => items.len() as u64,
        Value::Object(map) => map.len() as u64,
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(source: &str, size: &dyn Fn(&str, &[String]) -> Option<u64>) -> u64 {
        let program = super::super::CEL.compile(source).unwrap();
        Loops::of(program.expression()).steps(size)
    }

    #[test]
    fn nested_walks_multiply_and_siblings_add() {
        let thousand = |_: &str, _: &[String]| Some(1_000);
        assert_eq!(steps("record.a == 1", &thousand), 0);
        assert_eq!(steps("record.a.exists(x, x == 1)", &thousand), 1_000);
        assert_eq!(
            steps("record.a.exists(x, record.b.exists(y, y == x))", &thousand),
            1_000 * 1_001
        );
        assert_eq!(
            steps(
                "record.a.all(x, x > 0) && record.b.all(y, y > 0)",
                &thousand
            ),
            2_000
        );
        let three = "record.a.exists(x, record.b.exists(y, record.c.exists(z, x == y && y == z)))";
        assert!(steps(three, &thousand) > MAX_STEPS);
    }

    #[test]
    fn ranges_are_sized_from_what_is_known() {
        let sizes = |root: &str, fields: &[String]| match (root, fields) {
            ("collections", [name]) if name == "dossiers" => Some(5),
            _ => None,
        };
        assert_eq!(
            steps("collections.dossiers.exists(d, d.id == record.id)", &sizes),
            5
        );
        assert_eq!(steps("[1, 2, 3].all(x, x > 0)", &sizes), 3);
        // `filter` walks the collection, and `size()` of its result is free.
        assert_eq!(
            steps(
                "collections.dossiers.filter(d, d.a).map(d, d.b).size() > 0",
                &sizes
            ),
            10
        );
        assert_eq!(
            steps("record.items.exists(x, x.parts.exists(p, p > 0))", &sizes),
            UNKNOWN_SIZE * (UNKNOWN_SIZE + 1)
        );
    }

    #[test]
    fn record_values_are_sized() {
        let record: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"a": [1, 2, 3], "b": {"c": {"x": 1, "y": 2}}, "d": 7}"#)
                .unwrap();
        let record = crate::data::Fields::from(record);
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(record_size(&record, &path(&["a"])), Some(3));
        assert_eq!(record_size(&record, &path(&["b", "c"])), Some(2));
        assert_eq!(record_size(&record, &path(&["d"])), Some(0));
        assert_eq!(record_size(&record, &path(&["e"])), None);
    }
}
