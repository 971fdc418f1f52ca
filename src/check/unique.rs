//! `unique`: a field, or a combination of fields, is unique across the
//! records the rule judges.
//!
//! ```yaml
//! check:
//!   unique: { fields: [regio, jaar] }
//! ```
//! Every record after the first with the same values is a finding that names
//! the first record's key — never the duplicated value itself, which may be
//! personal data. Records missing one of the fields are not judged.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{BuildCx, BuildError, Check, CheckCx, Outcome, Verdict, as_key, field};
use crate::data::Record;

/// The YAML shape of a `unique` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The fields whose combined values must be unique.
    pub fields: Vec<String>,
}

#[derive(Debug)]
struct Unique {
    fields: Vec<String>,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    if spec.fields.is_empty() {
        return Err(vec![BuildError {
            code: "rule::invalid",
            message: "`unique` needs a non-empty list of field names".to_string(),
            at: Some(cx.check_at),
            help: None,
        }]);
    }
    Ok(Box::new(Unique {
        fields: spec.fields,
    }))
}

impl Check for Unique {
    fn kind(&self) -> &'static str {
        "unique"
    }

    fn run(&self, _cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let mut groups: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for (index, record) in records.iter().enumerate() {
            let values = self
                .fields
                .iter()
                .map(|name| field(&record.fields, name).and_then(as_key))
                .collect::<Option<Vec<String>>>();
            if let Some(values) = values {
                groups.entry(values).or_default().push(index);
            }
        }
        // The record with the smallest key counts as the original, so the
        // verdict does not depend on the order of the records in the files.
        let mut out = Vec::new();
        for mut members in groups.into_values().filter(|m| m.len() > 1) {
            members.sort_by(|&a, &b| records[a].key.cmp(&records[b].key));
            let original = &records[members[0]].key;
            for &index in &members[1..] {
                out.push(Outcome::Finding(Verdict {
                    record: index,
                    field: Some(self.fields.join(", ")),
                    message: format!(
                        "{} is niet uniek: dezelfde waarde staat ook in record `{original}`",
                        self.fields
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    ),
                    vars: vec![("other".to_string(), original.clone())],
                    discriminator: Some(original.clone()),
                    ..Verdict::default()
                }));
            }
        }
        out
    }
}
