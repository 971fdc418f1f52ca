//! `reference`: a field refers to an existing key in another collection.
//!
//! ```yaml
//! check:
//!   reference: { field: kamerstuk, to: kamerstukken }
//! ```
//! The target's key field is used unless `key:` names another field. A record
//! without the field is not judged by this check (pair it with `required`);
//! a list value must have every element resolve.
//!
//! The check needs only the target's keys: when the target collection is
//! streamed, the engine indexes them as it passes and drops the records.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict};
use crate::data::{KeySet, Record, as_key, field};

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "A field refers to an existing key in another collection.",
    use_for: "a field pointing at another collection",
    written: "`{ field, to, key? }`",
    checks: "the field refers to an existing key in another collection",
};

/// The YAML shape of a `reference` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The field holding the reference.
    pub field: String,
    /// The collection referred to.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// The field of the target records to match; defaults to the target's key.
    #[serde(default)]
    pub key: Option<String>,
}

#[derive(Debug)]
struct Reference {
    field: String,
    to: String,
    key: Option<String>,
}

pub(super) fn build(spec: Spec, _cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    Ok(Box::new(Reference {
        field: spec.field,
        to: spec.to.value,
        key: spec.key,
    }))
}

impl Check for Reference {
    fn sql_may_fail(&self, cx: &mut crate::expr::SqlCx<'_>) -> Option<String> {
        // Against the keys naleving accepts in the target — a table of the
        // same database (a subquery), or the keys it read from a file or
        // query (one parameter): a value certainly resolves when it is one
        // of them. A list or a nested field is left to naleving.
        if self.field.contains('.') {
            return None;
        }
        let Some(column) = (cx.column)(&self.field) else {
            // No such column: no record has the field, none is judged.
            return Some("FALSE".to_string());
        };
        let keys = cx.keys_subquery(&self.to, self.key.as_deref())?;
        let key = crate::expr::key_text(cx.dialect, &column);
        Some(format!(
            "NOT ({} OR COALESCE({key} IN ({keys}), FALSE))",
            column.absent(cx.dialect)
        ))
    }

    fn fields(&self) -> Vec<String> {
        vec![self.field.clone()]
    }

    fn vars(&self) -> Option<Vec<String>> {
        Some(vec!["to".to_string()])
    }

    fn reads(&self) -> Vec<&str> {
        vec![self.to.as_str()]
    }

    fn looks_up(&self) -> Vec<(&str, Option<&str>)> {
        vec![(self.to.as_str(), self.key.as_deref())]
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let built: KeySet;
        let known = match cx.dataset.index(&self.to, self.key.as_deref()) {
            Some(index) => index,
            None => {
                built = cx.dataset.index_records(&self.to, self.key.as_deref());
                &built
            }
        };
        let mut out = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let Some(value) = field(&record.fields, &self.field) else {
                continue;
            };
            let values: Vec<&serde_json::Value> = match value {
                serde_json::Value::Array(items) => items.iter().collect(),
                serde_json::Value::Null => continue,
                other => vec![other],
            };
            let dangling = values
                .iter()
                .filter(|v| as_key(v).is_none_or(|k| !known.contains(&k)))
                .count();
            if dangling > 0 {
                out.push(Outcome::Finding(Verdict {
                    record: index,
                    field: Some(self.field.as_str().into()),
                    message: format!(
                        "`{}` verwijst naar {} in `{}`",
                        self.field,
                        if dangling == 1 {
                            "een sleutel die niet bestaat".to_string()
                        } else {
                            format!("{dangling} sleutels die niet bestaan")
                        },
                        self.to
                    )
                    .into(),
                    vars: vec![("to".to_string(), self.to.clone())],
                    ..Verdict::default()
                }));
            }
        }
        out
    }
}
