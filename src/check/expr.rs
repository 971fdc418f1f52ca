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

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict, compile_in_file};
use serde_json::Value;

use crate::data::Record;
use crate::expr::Expr;

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
    /// For a comparison, its sides compiled on their own (as written), and
    /// the operator: a finding then says what each side came to.
    sides: Option<(String, Expr, &'static str, String, Expr)>,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let expr = compile_in_file(&spec.0, cx.text).map_err(|e| vec![e])?;
    let sides = expr.comparison().and_then(|(left, operator, right)| {
        let compiled = |side: &str| crate::expr::compile(side).ok();
        Some((
            left.to_string(),
            compiled(left)?,
            operator,
            right.to_string(),
            compiled(right)?,
        ))
    });
    Ok(Box::new(ExprCheck { expr, sides }))
}

impl ExprCheck {
    /// What each side of a comparison came to for `record`: the details
    /// `left`, `left_value`, `operator`, `right`, `right_value`. A value is
    /// shown when it is a number, a boolean, null or a date — never other
    /// text from a record (it may be personal).
    fn compared(&self, cx: &CheckCx<'_>, record: &Record) -> serde_json::Map<String, Value> {
        let mut details = serde_json::Map::new();
        let Some((left, left_expr, operator, right, right_expr)) = &self.sides else {
            return details;
        };
        for (name, source, expr) in [("left", left, left_expr), ("right", right, right_expr)] {
            details.insert(name.to_string(), Value::from(source.as_str()));
            if let Some(value) = expr
                .eval(cx.env, &record.fields)
                .ok()
                .map(|v| crate::expr::to_json(&v))
                .filter(shown)
            {
                details.insert(format!("{name}_value"), value);
            }
            if name == "left" {
                details.insert("operator".to_string(), Value::from(*operator));
            }
        }
        details
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
                    message: format!("voorwaarde niet vervuld: {}", self.expr.source().trim()),
                    details: self.compared(cx, record).into(),
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
