//! `required`: the listed fields are present and non-empty.
//!
//! ```yaml
//! check:
//!   required: { fields: [ontvangen_op, regio] }
//! ```
//! A field counts as missing when it is absent, null, a blank string or an
//! empty list or map. Dotted paths (`stappen.signalen`) reach into objects.
//! One finding per missing field.

use crate::tr;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict};
use crate::data::{Record, field, is_present};
use crate::finding::Shared;

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "Listed fields are present and non-empty.",
    use_for: "fields that must be filled",
    written: "`{ fields: [a, stappen.b] }`",
    checks: "the fields are present and non-empty",
};

/// The YAML shape of a `required` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The fields that must be present and non-empty.
    pub fields: Vec<String>,
}

#[derive(Debug)]
struct Required {
    fields: Vec<String>,
    /// Per field, its name and the message of its findings, made once and
    /// shared by them.
    shared: Vec<(Shared, Shared)>,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    if spec.fields.is_empty() || spec.fields.iter().any(|f| f.trim().is_empty()) {
        return Err(vec![BuildError::invalid(
            tr!("`required` needs a non-empty list of field names"),
            cx.check_at,
        )]);
    }
    let shared = spec
        .fields
        .iter()
        .map(|name| {
            let message = format!("verplicht veld `{name}` ontbreekt of is leeg");
            (Shared::from(name), Shared::from(message))
        })
        .collect();
    Ok(Box::new(Required {
        fields: spec.fields,
        shared,
    }))
}

impl Check for Required {
    fn sql_may_fail(&self, cx: &mut crate::expr::SqlCx<'_>) -> Option<String> {
        // Certainly present (see `is_present` and `expr::present`).
        let mut present = Vec::new();
        for name in &self.fields {
            if name.contains('.') {
                return None;
            }
            let Some(json) = (cx.column)(name) else {
                // No such column: missing from every row.
                return Some("TRUE".to_string());
            };
            present.push(crate::expr::present(cx.dialect, &json));
        }
        Some(format!("NOT ({})", present.join(" AND ")))
    }

    fn fields(&self) -> Vec<String> {
        self.fields.clone()
    }

    fn vars(&self) -> Option<Vec<String>> {
        Some(vec!["field".to_string()])
    }

    fn per_record(&self) -> bool {
        true
    }

    fn run(&self, _cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let mut out = Vec::new();
        for (index, record) in records.iter().enumerate() {
            for (name, (shared, message)) in self.fields.iter().zip(&self.shared) {
                if !is_present(field(&record.fields, name)) {
                    out.push(Outcome::Finding(Verdict {
                        record: index,
                        field: Some(shared.clone()),
                        message: message.clone(),
                        vars: vec![("field".to_string(), name.clone())],
                        ..Verdict::default()
                    }));
                }
            }
        }
        out
    }
}
