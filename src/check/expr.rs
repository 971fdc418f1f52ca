//! `expr`: a CEL expression must be true for the record.
//!
//! ```yaml
//! check:
//!   expr: record.status != "voldaan" || has(record.nakoming)
//! ```
//! A record for which the expression is false is a finding; a record on which
//! it cannot be evaluated (a missing field without `has()`, a type mismatch) is
//! reported as not judged, which makes the check incomplete.
//!
//! When the expression is one comparison (`workdays_in(record.van,
//! record.tot_en_met) == record.waarde`), a finding's details say what each
//! side came to: `{ left, left_value, operator, right, right_value }`, each
//! value shown only when it is a number, a boolean or a date.

use std::borrow::Cow;
use std::sync::Arc;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict, compile_in_file};
use serde_json::Value;

use crate::data::Record;
use crate::expr::{Expr, Side};
use crate::finding::{ComparisonDetails, ComparisonSides, Details, Shared, Shown};

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "A CEL expression is true for the record.",
    use_for: "any condition on one record",
    written: "a CEL expression that must be true",
    checks: "a CEL expression is true for the record",
};

/// The YAML shape of an `expr` check: the expression itself, with where
/// it is written (to place a syntax error inside it).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Spec(Spanned<String>);

/// A string in the schema, written in place.
impl JsonSchema for Spec {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

#[derive(Debug)]
struct ExprCheck {
    expr: Expr,
    /// The message of every finding (the expression as written).
    message: Shared,
    /// For a comparison, its sides: a finding then says what each came to.
    sides: Option<Sides>,
}

/// The sides of a one-comparison expression.
#[derive(Debug)]
struct Sides {
    /// As written, with the operator, shared by the rule's findings.
    written: Arc<ComparisonSides>,
    /// Each compiled on its own, and read off the record without CEL when
    /// it is a field or a literal.
    left: (Expr, Option<Side>),
    right: (Expr, Option<Side>),
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let expr = compile_in_file(&spec.0, cx.text).map_err(|e| vec![e])?;
    let sides = expr.comparison().and_then(|(left, operator, right)| {
        let compiled = |side: &str| {
            let expr = crate::expr::compile(side).ok()?;
            let read = expr.side();
            Some((expr, read))
        };
        Some(Sides {
            written: Arc::new(ComparisonSides {
                left: left.to_string(),
                operator,
                right: right.to_string(),
            }),
            left: compiled(left)?,
            right: compiled(right)?,
        })
    });
    let message = format!("voorwaarde niet vervuld: {}", expr.source().trim()).into();
    Ok(Box::new(ExprCheck {
        expr,
        message,
        sides,
    }))
}

impl ExprCheck {
    /// What each side of a comparison came to for `record`: the details
    /// `left`, `left_value`, `operator`, `right`, `right_value`. A value is
    /// shown when it is a number, a boolean, null or a date — never other
    /// text from a record (it may be personal).
    fn compared(&self, cx: &CheckCx<'_>, record: &Record) -> Details {
        let Some(sides) = &self.sides else {
            return Details::default();
        };
        let value = |(expr, read): &(Expr, Option<Side>)| {
            match read {
                Some(read) => read.value(&record.fields),
                None => expr
                    .eval(cx.env, &record.fields)
                    .ok()
                    .map(|v| crate::expr::to_json(&v)),
            }
            .filter(shown)
            .and_then(Shown::of)
        };
        Details::Comparison(Box::new(ComparisonDetails {
            sides: Arc::clone(&sides.written),
            left_value: value(&sides.left),
            right_value: value(&sides.right),
        }))
    }
}

/// True for a value a finding may show (see [`ExprCheck::compared`]).
fn shown(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => true,
        Value::String(text) => crate::calendar::parse_date(text).is_some(),
        Value::Array(_) | Value::Object(_) => false,
    }
}

impl Check for ExprCheck {
    fn sql_may_fail(&self, cx: &mut crate::expr::SqlCx<'_>) -> Option<String> {
        let (certainly_true, _) = self.expr.sql_certain(cx)?;
        Some(format!("NOT {certainly_true}"))
    }

    fn expressions(&self) -> Vec<&Expr> {
        vec![&self.expr]
    }

    fn per_record(&self) -> bool {
        true
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let mut out = Vec::new();
        for (index, record) in records.iter().enumerate() {
            match self.expr.eval_bool(cx.env, &record.fields) {
                Ok(true) => {}
                Ok(false) => out.push(Outcome::Finding(Verdict {
                    record: index,
                    message: self.message.clone(),
                    details: self.compared(cx, record),
                    ..Verdict::default()
                })),
                Err(cause) => out.push(Outcome::Unjudged {
                    record: index,
                    cause,
                }),
            }
        }
        out
    }
}
