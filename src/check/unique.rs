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
//!
//! Over a streamed collection the check keeps an index, not the records: per
//! combination of values the keys and places of the records that have it
//! (with only the fields the rule's message names), so memory holds a key,
//! a place and the values per record rather than whole records.

use crate::tr;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Stream, Verdict};
use crate::data::{FastMap, Record, as_key, field};

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "A field (or a combination of fields) is unique across the collection.",
    use_for: "no duplicates",
    written: "`{ fields: [a, b] }`",
    checks: "the combination of fields is unique",
};

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
        return Err(vec![BuildError::invalid(
            tr!("`unique` needs a non-empty list of field names"),
            cx.check_at,
        )]);
    }
    Ok(Box::new(Unique {
        fields: spec.fields,
    }))
}

impl Check for Unique {
    fn sql_may_fail(&self, cx: &mut crate::expr::SqlCx<'_>) -> Option<String> {
        // A record is a duplicate only if another row has its values.
        (cx.repeated)(&self.fields)
    }

    fn fields(&self) -> Vec<String> {
        self.fields.clone()
    }

    fn vars(&self) -> Option<Vec<String>> {
        Some(vec!["other".to_string()])
    }

    fn run(&self, _cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let mut groups: FastMap<Vec<String>, Vec<usize>> = FastMap::default();
        for (index, record) in records.iter().enumerate() {
            if let Some(values) = self.values(record) {
                groups.entry(values).or_default().push(index);
            }
        }
        let mut out = Vec::new();
        for members in groups.into_values() {
            self.duplicates(members, |&i| &records[i].key, &mut out);
        }
        out
    }

    fn stream(&self, keep: &[&str]) -> Option<Box<dyn Stream + '_>> {
        Some(Box::new(Index {
            check: self,
            keep: keep.iter().map(|name| name.to_string()).collect(),
            groups: FastMap::default(),
        }))
    }
}

impl Unique {
    /// The record's values of the fields, as keys; `None` when one is missing.
    fn values(&self, record: &Record) -> Option<Vec<String>> {
        self.fields
            .iter()
            .map(|name| field(&record.fields, name).and_then(as_key))
            .collect()
    }

    /// The verdicts on one group of records with the same values, given as
    /// indexes: every member but the original. The record with the smallest
    /// key counts as the original, so the verdict does not depend on the
    /// order of the records in the files.
    fn duplicates<'r>(
        &self,
        mut members: Vec<usize>,
        key: impl Fn(&usize) -> &'r String,
        out: &mut Vec<Outcome>,
    ) {
        if members.len() < 2 {
            return;
        }
        members.sort_by(|a, b| key(a).cmp(key(b)));
        let original = key(&members[0]);
        let named = self
            .fields
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(" + ");
        for index in &members[1..] {
            out.push(Outcome::Finding(Verdict {
                record: *index,
                field: Some(self.fields.join(", ").into()),
                message: format!(
                    "{named} is niet uniek: dezelfde waarde staat ook in record `{original}`"
                )
                .into(),
                vars: vec![("other".to_string(), original.clone())],
                discriminator: Some(original.clone()),
                ..Verdict::default()
            }));
        }
    }
}

/// A `unique` over a streamed collection: per combination of values, the
/// records that have it, each cut down to its key, place and the fields the
/// rule's message names.
struct Index<'a> {
    check: &'a Unique,
    /// The top-level fields a finding's message reads.
    keep: Vec<String>,
    groups: FastMap<Vec<String>, Vec<Record>>,
}

impl Stream for Index<'_> {
    fn feed(&mut self, _cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        for record in records {
            let Some(values) = self.check.values(record) else {
                continue;
            };
            let fields: crate::data::Fields = self
                .keep
                .iter()
                .filter_map(|name| Some((name.clone(), record.fields.get(name)?.clone())))
                .collect();
            self.groups.entry(values).or_default().push(Record {
                key: record.key.clone(),
                fields,
                pos: record.pos,
            });
        }
        Vec::new()
    }

    fn finish(self: Box<Self>, _cx: &CheckCx<'_>) -> (Vec<Record>, Vec<Outcome>) {
        let mut records = Vec::new();
        let mut out = Vec::new();
        for members in self.groups.into_values().filter(|m| m.len() > 1) {
            let first = records.len();
            records.extend(members);
            let indexes = (first..records.len()).collect();
            self.check
                .duplicates(indexes, |&i| &records[i].key, &mut out);
        }
        (records, out)
    }
}
