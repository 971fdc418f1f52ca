//! `aggregate`: a condition over a whole collection or its groups — per Veilig
//! Thuis region per half year, at least 90% of veiligheidsbeoordelingen on
//! time; per regeling, the budget lines add up to the promised total.
//!
//! ```yaml
//! check:
//!   aggregate:
//!     group_by: [regio]                                # fields; none = one group
//!     period: { field: ontvangen_op, per: half_year }  # optional: year | half_year | quarter | month
//!     let:                                             # named values per group, in order
//!       totaal: records.size()
//!       op_tijd: records.filter(r, has(r.veiligheidsbeoordeling_op)
//!                  && r.veiligheidsbeoordeling_op <= add_term(r.ontvangen_op, '5 werkdagen')).size()
//!     expr: totaal == 0 || op_tijd * 100 >= totaal * 90
//!     measure: { value: double(op_tijd) * 100.0 / double(totaal), better: higher }  # optional
//! ```
//! Expressions see `records` (the group's records), `group` (the group's key
//! values, including `periode`), `as_of`, `collections` and every `let`
//! defined before. A
//! group for which `expr` is false is one finding, located on the group's
//! first record, with the group and every `let` value in its details and
//! message variables (`{{ totaal }}`, `{{ groep }}`).
//!
//! `measure` (optional) says how a failing group measures against the norm
//! and which way is better; it sees what `expr` sees. A finding carries it
//! as `measure: { value, better }`, and a baseline compares it: a group
//! that measures worse than the baseline recorded is reported as *changed*
//! (see [`crate::baseline`]). Without a measure, any change in the `let`
//! values is a change.
//!
//! A `let` that counts — `records.size()` or `records.filter(r, P).size()`
//! with a `P` that does not read `records` — is counted record by record
//! (`P` natively where [`crate::expr`] can), without handing CEL the list;
//! anything else, and any record on which `P` fails, goes to CEL as written,
//! so results and error messages are CEL's.

mod sql;
mod stream;

use crate::tr;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use cel::objects::{Key, Map as CelMap};
use cel::{Context, Value as CelValue};
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value, json};
use serde_saphyr::Spanned;

use super::{
    BuildCx, BuildError, Check, CheckCx, KindDocs, MEMBERS_LISTED, Outcome, Stream, Verdict,
    compile_in_file_with,
};
use crate::calendar::parse_date;
use crate::data::{Record, as_key, field};
use crate::expr::{Counter, Expr, object, projected, to_json};

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "A condition over a collection or its groups.",
    use_for: "norms over groups (90% per region per half year), sums",
    written: "`{ group_by, period?, let, expr, measure? }`",
    checks: "a condition over groups (per region per half year: ≥ 90% on time; a distribution adds up), located on the group's first record",
};

/// The YAML shape of an `aggregate` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Fields whose values form the groups; none: the whole collection.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// Also group by the period of a date field.
    #[serde(default)]
    pub period: Option<PeriodSpec>,
    /// Named values computed per group, in order.
    #[serde(default, rename = "let", deserialize_with = "ordered")]
    #[schemars(with = "BTreeMap<String, String>")]
    pub lets: Vec<(String, Spanned<String>)>,
    /// The condition each group must meet.
    #[schemars(with = "String")]
    pub expr: Spanned<String>,
    /// How a failing group measures against the norm, and which way is
    /// better: lets `--baseline` tell a group that got worse from one that
    /// did not.
    #[serde(default)]
    pub measure: Option<MeasureSpec>,
}

/// A group's measure: a number computed from the `let` values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    /// A CEL expression over the `let` values (and `group`, `as_of`) that
    /// gives a number, e.g. `double(op_tijd) / double(totaal)`.
    #[schemars(with = "String")]
    pub value: Spanned<String>,
    /// Which way the measure is better: `higher` or `lower`.
    pub better: Better,
}

/// Which way a measure is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// A higher measure is better (a share on time).
    Higher,
    /// A lower measure is better (a share late, a backlog).
    Lower,
}

impl Better {
    /// The name as written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }
}

/// Grouping by period.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    /// The date field.
    pub field: String,
    /// `year`, `half_year`, `quarter` or `month`.
    pub per: Per,
}

/// The length of a period.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// `2020`.
    Year,
    /// `2020-H1`.
    HalfYear,
    /// `2020-Q3`.
    Quarter,
    /// `2020-06`.
    Month,
}

/// A YAML mapping in its written order.
fn ordered<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<(String, Spanned<String>)>, D::Error> {
    struct Ordered;
    impl<'de> Visitor<'de> for Ordered {
        type Value = Vec<(String, Spanned<String>)>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a mapping of names to CEL expressions")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Spanned<String>>()? {
                entries.push((k, v));
            }
            Ok(entries)
        }
    }
    deserializer.deserialize_map(Ordered)
}

const RESERVED: &[&str] = &["records", "group", "as_of", "record", "collections"];

#[derive(Debug)]
struct Aggregate {
    group_by: Vec<String>,
    period: Option<(String, Per)>,
    /// Each `let` with, when it is `records.size()` or
    /// `records.filter(r, P).size()`, a way to count it record by record.
    lets: Vec<(String, Expr, Option<Counter>)>,
    expr: Expr,
    /// The measure of a failing group and which way is better.
    measure: Option<(Expr, Better)>,
    /// The only fields of `records` the expressions read, when known: only
    /// those are converted for CEL.
    fields: Option<BTreeSet<String>>,
    /// Whether CEL needs `records` as a list even when every counted `let`
    /// counts: some `let` is not a count, or `expr` reads `records`.
    list_needed: bool,
    /// Whether groups can be counted a batch at a time ([`Check::stream`]):
    /// every `let` counts, with a condition that reads no other `let`.
    streams: bool,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let mut errors = Vec::new();
    let mut variables: Vec<&str> = vec!["records", "group", "as_of", "collections"];
    let mut lets = Vec::new();
    for (name, source) in &spec.lets {
        if RESERVED.contains(&name.as_str())
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            let at = crate::problem::LineCol::from(source.referenced);
            errors.push(
                BuildError::invalid(
                    tr!(
                        "`let` name `{name}` is reserved or not an identifier",
                        name = name
                    ),
                    at,
                )
                .help(tr!("use lower-case letters, digits and `_`")),
            );
            continue;
        }
        match compile_in_file_with(source, cx.text, &variables) {
            Ok(expr) => lets.push((name.clone(), expr)),
            Err(err) => errors.push(err),
        }
        variables.push(name);
    }
    let measure = spec.measure.as_ref().and_then(|m| {
        match compile_in_file_with(&m.value, cx.text, &variables) {
            Ok(value) => Some((value, m.better)),
            Err(err) => {
                errors.push(err);
                None
            }
        }
    });
    let expr = compile_in_file_with(&spec.expr, cx.text, &variables);
    match expr {
        Ok(expr) if errors.is_empty() => {
            let fields = std::iter::once(&expr)
                .chain(measure.iter().map(|(e, _)| e))
                .chain(lets.iter().map(|(_, e)| e))
                .map(|e| e.element_fields("records"))
                .try_fold(BTreeSet::new(), |mut all, fields| {
                    all.extend(fields?);
                    Some(all)
                });
            let lets: Vec<(String, Expr, Option<Counter>)> = lets
                .into_iter()
                .map(|(name, e)| {
                    let counter = e.counter("records");
                    (name, e, counter)
                })
                .collect();
            let list_needed = expr.reads("records")
                || measure.as_ref().is_some_and(|(m, _)| m.reads("records"))
                || lets.iter().any(|(_, _, counter)| counter.is_none());
            let streams = !list_needed
                && lets.iter().all(|(_, _, counter)| {
                    counter
                        .as_ref()
                        .is_some_and(|c| lets.iter().all(|(name, ..)| !c.reads(name)))
                });
            Ok(Box::new(Aggregate {
                group_by: spec.group_by,
                period: spec.period.map(|p| (p.field, p.per)),
                lets,
                expr,
                measure,
                fields,
                list_needed,
                streams,
            }))
        }
        Ok(_) => Err(errors),
        Err(err) => {
            errors.push(err);
            Err(errors)
        }
    }
}

impl Check for Aggregate {
    fn fields(&self) -> Vec<String> {
        let mut fields = self.group_by.clone();
        if let Some((date_field, _)) = &self.period {
            fields.push(date_field.clone());
        }
        fields.extend(self.fields.iter().flatten().cloned());
        fields
    }

    fn fields_bound(&self) -> Option<Vec<String>> {
        // Its expressions read `records`, not `record`: bounded when what
        // they read of the records is.
        self.fields.as_ref()?;
        super::fields_and_record_reads(self)
    }

    fn vars(&self) -> Option<Vec<String>> {
        let mut names = vec!["groep".to_string()];
        names.extend(self.names().into_iter().map(str::to_string));
        names.extend(self.lets.iter().map(|(name, _, _)| name.clone()));
        Some(names)
    }

    fn expressions(&self) -> Vec<&Expr> {
        std::iter::once(&self.expr)
            .chain(self.measure.iter().map(|(e, _)| e))
            .chain(self.lets.iter().map(|(_, e, _)| e))
            .collect()
    }

    fn sql_group_passes(
        &self,
        cx: &mut crate::expr::SqlCx<'_>,
        scope: &crate::check::GroupScope<'_>,
    ) -> Option<String> {
        sql::group_passes(self, cx, scope)
    }

    fn stream(&self, _keep: &[&str]) -> Option<Box<dyn Stream + '_>> {
        self.streams
            .then(|| Box::new(stream::Tallies::new(self)) as Box<dyn Stream + '_>)
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let mut out = Vec::new();
        // Groups keyed by their values, in sorted order for stable output.
        let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (index, record) in records.iter().enumerate() {
            match self.key_of(record) {
                Ok(key) => groups.entry(key).or_default().push(index),
                Err(cause) => out.push(Outcome::Unjudged {
                    record: index,
                    cause,
                }),
            }
        }
        // Groups are independent: judge them on all cores, in group order.
        let groups: Vec<(Vec<String>, Vec<usize>)> = groups.into_iter().collect();
        let judged: Vec<Option<Outcome>> = groups
            .par_iter()
            .map(|(key, members)| self.judge_group(cx, records, key, members))
            .collect();
        out.extend(judged.into_iter().flatten());
        out
    }
}

impl Aggregate {
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.group_by.iter().map(String::as_str).collect();
        if self.period.is_some() {
            names.push("periode");
        }
        names
    }

    /// The group of a record (its `group_by` values, then its period), or
    /// why it has none.
    fn key_of(&self, record: &Record) -> Result<Vec<String>, crate::text::Text> {
        let mut key = Vec::with_capacity(self.group_by.len() + 1);
        for name in &self.group_by {
            key.push(
                field(&record.fields, name)
                    .and_then(as_key)
                    .unwrap_or_default(),
            );
        }
        if let Some((date_field, per)) = &self.period {
            match field(&record.fields, date_field)
                .and_then(Value::as_str)
                .and_then(parse_date)
            {
                Some(date) => key.push(period_of(date, *per)),
                None => {
                    return Err(tr!(
                        "`{field}` is missing or not a date, so the record has no period",
                        field = date_field
                    ));
                }
            }
        }
        Ok(key)
    }

    /// `group` for CEL: the group's key values by name.
    fn group_value(&self, key: &[String]) -> CelValue {
        let group: HashMap<Key, CelValue> = self
            .names()
            .iter()
            .zip(key)
            .map(|(n, v)| {
                (
                    Key::String(Arc::new((*n).to_string())),
                    CelValue::String(Arc::new(v.clone())),
                )
            })
            .collect();
        CelValue::Map(CelMap {
            map: Arc::new(group),
        })
    }

    /// Judges a group whose records are all at hand.
    fn judge_group(
        &self,
        cx: &CheckCx<'_>,
        records: &[&Record],
        key: &[String],
        members: &[usize],
    ) -> Option<Outcome> {
        let first = *members
            .iter()
            .min_by_key(|&&i| (records[i].pos.file, records[i].pos.line))?;
        // The group's records for CEL, converted only when some expression
        // needs them as a list.
        let list = || {
            let list: Vec<CelValue> = members
                .iter()
                .map(|&i| match &self.fields {
                    Some(names) => projected(&records[i].fields, names),
                    None => object(&records[i].fields),
                })
                .collect();
            CelValue::List(Arc::new(list))
        };
        let mut scope = self.scope(cx, key);
        let mut listed = self.list_needed;
        if listed {
            scope.add_variable_from_value("records", list());
        }
        let mut value_of = |index: usize, scope: &mut Context<'_, 'static>| {
            let (_, expr, counter) = &self.lets[index];
            let counted = counter.as_ref().and_then(|counter| {
                members.iter().try_fold(0i64, |n, &i| {
                    let counts = counter.counts(cx.env, scope, &records[i].fields)?;
                    Some(n + i64::from(counts))
                })
            });
            match counted {
                Some(n) => Ok(CelValue::Int(n)),
                None => {
                    if !listed {
                        scope.add_variable_from_value("records", list());
                        listed = true;
                    }
                    expr.eval_in(scope, cx.env, &[("records", members.len())])
                }
            }
        };
        let mut listed: Vec<(u32, u32, &str)> = members
            .iter()
            .map(|&i| {
                (
                    records[i].pos.file,
                    records[i].pos.line,
                    records[i].key.as_str(),
                )
            })
            .collect();
        listed.sort_unstable();
        listed.truncate(MEMBERS_LISTED);
        let listed = listed
            .into_iter()
            .map(|(file, line, key)| (key.to_string(), file, line))
            .collect();
        self.conclude(
            cx.env,
            scope,
            key,
            (first, members.len(), listed),
            &mut value_of,
        )
    }

    /// A failing group's measure, `{ value, better }`, when the rule declares
    /// one. When it does not come to a finite number (a division by zero, a
    /// value of another type), the value is `null` and `error` says why:
    /// never silently left out; a baseline then compares the `let` values.
    fn measure_of(
        &self,
        scope: &Context<'_, 'static>,
        env: &crate::expr::Env,
        members: usize,
    ) -> Option<Value> {
        let (expr, better) = self.measure.as_ref()?;
        let value = expr
            .eval_in(scope, env, &[("records", members)])
            .map_err(|cause| cause.en())
            .and_then(|value| match (&value, to_json(&value)) {
                (_, Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => {
                    Ok(Value::Number(n))
                }
                (CelValue::Float(_), _) => Err("`measure` is not a finite number".to_string()),
                _ => Err(format!("`measure` gave {}, not a number", value.type_of())),
            });
        Some(match value {
            Ok(value) => json!({ "value": value, "better": better.as_str() }),
            Err(error) => json!({ "value": null, "better": better.as_str(), "error": error }),
        })
    }

    /// A scope with `group` bound, for the expressions of group `key`.
    fn scope<'e>(&self, cx: &CheckCx<'e>, key: &[String]) -> Context<'e, 'static> {
        let mut scope = cx.env.scope();
        scope.add_variable_from_value("group", self.group_value(key));
        scope
    }

    /// The outcome for a group: its `let` values in order (from `value_of`,
    /// given the scope so far), then `expr`, in `scope` (see [`Self::scope`]).
    /// `group` is the record a finding or unjudged outcome points at, how
    /// many records the group has, and those listed in a finding.
    fn conclude(
        &self,
        env: &crate::expr::Env,
        mut scope: Context<'_, 'static>,
        key: &[String],
        group: (usize, usize, Vec<(String, u32, u32)>),
        value_of: &mut dyn FnMut(
            usize,
            &mut Context<'_, 'static>,
        ) -> Result<CelValue, crate::text::Text>,
    ) -> Option<Outcome> {
        let (first, members, listed) = group;
        let names = self.names();
        let label = if key.is_empty() {
            "alle records".to_string()
        } else {
            names
                .iter()
                .zip(key)
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut values = Map::new();
        for (index, (name, ..)) in self.lets.iter().enumerate() {
            match value_of(index, &mut scope) {
                Ok(value) => {
                    values.insert(name.clone(), to_json(&value));
                    scope.add_variable_from_value(name.as_str(), value);
                }
                Err(cause) => {
                    return Some(Outcome::Unjudged {
                        record: first,
                        cause: tr!(
                            "`let {name}` failed for group {group}: {cause}",
                            name = name,
                            group = &label,
                            cause = cause
                        ),
                    });
                }
            }
        }
        match self.expr.eval_in(&scope, env, &[("records", members)]) {
            Ok(CelValue::Bool(true)) => None,
            Ok(CelValue::Bool(false)) => {
                let mut vars: Vec<(String, String)> = vec![("groep".to_string(), label.clone())];
                vars.extend(
                    names
                        .iter()
                        .zip(key)
                        .map(|(n, v)| ((*n).to_string(), v.clone())),
                );
                vars.extend(values.iter().map(|(k, v)| (k.clone(), show(v))));
                let mut details = Map::new();
                details.insert(
                    "group".to_string(),
                    Value::Object(
                        names
                            .iter()
                            .zip(key)
                            .map(|(n, v)| ((*n).to_string(), json!(v)))
                            .collect(),
                    ),
                );
                details.insert("records".to_string(), json!(members));
                details.insert("values".to_string(), Value::Object(values));
                details.insert("norm".to_string(), json!(self.expr.source().trim()));
                if let Some(measure) = self.measure_of(&scope, env, members) {
                    details.insert("measure".to_string(), measure);
                }
                Some(Outcome::Finding(Verdict {
                    record: first,
                    field: None,
                    message: format!(
                        "groep {label}: voorwaarde niet vervuld: {}",
                        self.expr.source().trim()
                    )
                    .into(),
                    vars,
                    details: details.into(),
                    discriminator: Some(label.clone()),
                    keep_message: false,
                    subject: Some(label),
                    members: listed,
                }))
            }
            Ok(other) => Some(Outcome::Unjudged {
                record: first,
                cause: tr!(
                    "`expr` gave {kind} for group {group}, not a boolean",
                    kind = other.type_of(),
                    group = &label
                ),
            }),
            Err(cause) => Some(Outcome::Unjudged {
                record: first,
                cause: tr!(
                    "`expr` failed for group {group}: {cause}",
                    group = &label,
                    cause = cause
                ),
            }),
        }
    }
}

/// The period a date falls in: `2020`, `2020-H1`, `2020-Q3`, `2020-06`.
fn period_of(date: jiff::civil::Date, per: Per) -> String {
    let (year, month) = (date.year(), date.month());
    match per {
        Per::Year => format!("{year}"),
        Per::HalfYear => format!("{year}-H{}", if month <= 6 { 1 } else { 2 }),
        Per::Quarter => format!("{year}-Q{}", (month - 1) / 3 + 1),
        Per::Month => format!("{year}-{month:02}"),
    }
}

/// A detail value for a message.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{:.1}", (f * 10.0).round() / 10.0),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let d = jiff::civil::date(2020, 7, 1);
        assert_eq!(period_of(d, Per::Year), "2020");
        assert_eq!(period_of(d, Per::HalfYear), "2020-H2");
        assert_eq!(period_of(d, Per::Quarter), "2020-Q3");
        assert_eq!(period_of(d, Per::Month), "2020-07");
        assert_eq!(
            period_of(jiff::civil::date(2020, 6, 30), Per::HalfYear),
            "2020-H1"
        );
    }
}
