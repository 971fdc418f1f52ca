//! `expr`: a CEL expression must be true for the record.
//!
//! ```yaml
//! check:
//!   expr: record.status != "voldaan" || has(record.nakoming)
//! ```
//! A record for which the expression is false is a finding; a record on which
//! it cannot be evaluated (a missing field without `has()`, a type mismatch) is
//! reported as not judged, which makes the check incomplete.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict, compile_in_file};
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
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let expr = compile_in_file(&spec.0, cx.text).map_err(|e| vec![e])?;
    Ok(Box::new(ExprCheck { expr }))
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
