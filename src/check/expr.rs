//! `expr`: a CEL expression must be true for the record.
//!
//! ```yaml
//! check:
//!   expr: record.status != "voldaan" || has(record.nakoming)
//! ```
//! A record for which the expression is false is a finding; a record on which
//! it cannot be evaluated (a missing field without `has()`, a type mismatch) is
//! reported as not judged, which makes the check incomplete.

use serde_saphyr::Spanned;

use super::{BuildCx, BuildError, Check, CheckCx, Outcome, Verdict, compile_in_file};
use crate::data::Record;
use crate::expr::Expr;

#[derive(Debug)]
struct ExprCheck {
    expr: Expr,
}

pub(super) fn build(
    source: Spanned<String>,
    cx: &BuildCx<'_>,
) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let expr = compile_in_file(&source, cx.text).map_err(|e| vec![e])?;
    Ok(Box::new(ExprCheck { expr }))
}

impl Check for ExprCheck {
    fn kind(&self) -> &'static str {
        "expr"
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
