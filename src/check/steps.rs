//! `steps`: an ordered process, such as the five steps of the meldcode, is
//! followed — each step present, in order, dates non-decreasing, and each
//! step's own conditions met.
//!
//! ```yaml
//! check:
//!   steps:
//!     in: stappen                 # object holding the step dates; default: the record itself
//!     order: [signalen, collegiale_consultatie, gesprek, wegen, beslissen]
//!     complete: true              # every step must be present (default: no gaps
//!                                 # before the last step recorded)
//!     needs:                      # a step may only be recorded after these
//!       beslissen: [signalen, collegiale_consultatie, gesprek, wegen]
//!     conditions:                 # CEL over `record`, checked when the step is present
//!       beslissen: has(record.afweging)
//!     skip_when:                  # CEL over `record`: the step may be missing
//!       gesprek: has(record.gesprek_overgeslagen)
//!     gaps: true                  # report missing steps (default true)
//!     in_order: true              # report dates that run back (default true)
//! ```
//! `gaps: false` or `in_order: false` leave that part to another rule, so
//! the order can be judged with another severity than a missing step.
//! One finding per broken step, on the step's field (`stappen.gesprek`), so
//! an auditor sees exactly which step of which dossier is at fault.

use crate::text::Text;
use crate::tr;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use serde_saphyr::Spanned;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict, compile_in_file};
use crate::calendar::parse_date;
use crate::data::{Lookup, Record, field, is_present};
use crate::expr::Expr;

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "An ordered process: each step present, in order, with its conditions.",
    use_for: "ordered processes (the meldcode)",
    written: "`{ in, order: [...], complete?, needs?, conditions?, skip_when?, gaps?, in_order? }`",
    checks: "an ordered process (the five meldcode steps): no gaps (unless a step's `skip_when` holds), dates non-decreasing, per-step conditions",
};

/// The YAML shape of a `steps` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The object field holding the steps; default: the record itself.
    #[serde(default, rename = "in")]
    pub within: Option<String>,
    /// The steps, in the order they must happen; each is a date field.
    pub order: Vec<String>,
    /// Every step must be present (default: only no gaps before the last
    /// step recorded).
    #[serde(default)]
    pub complete: bool,
    /// Steps that must be recorded before a step may be.
    #[serde(default)]
    pub needs: BTreeMap<String, Vec<String>>,
    /// CEL conditions per step, checked when the step is present.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub conditions: BTreeMap<String, Spanned<String>>,
    /// CEL conditions per step under which the step may be missing (a
    /// documented exception, such as a conversation skipped for safety).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub skip_when: BTreeMap<String, Spanned<String>>,
    /// Report missing steps (default true).
    #[serde(default = "yes")]
    pub gaps: bool,
    /// Report step dates that run back (default true).
    #[serde(default = "yes")]
    pub in_order: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug)]
struct Steps {
    within: Option<String>,
    order: Vec<String>,
    complete: bool,
    needs: Vec<(usize, Vec<usize>)>,
    conditions: Vec<(usize, Expr)>,
    skip_when: Vec<(usize, Expr)>,
    gaps: bool,
    in_order: bool,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let mut errors = Vec::new();
    let error = |message: Text| {
        BuildError::invalid(message, cx.check_at)
            .help(tr!("the steps are: {steps}", steps = spec.order.join(", ")))
    };
    if spec.order.is_empty() {
        errors.push(error(tr!("`steps` needs at least one step in `order`")));
    }
    let position = |name: &str| spec.order.iter().position(|s| s == name);
    let mut needs = Vec::new();
    for (step, required) in &spec.needs {
        let Some(at) = position(step) else {
            errors.push(error(tr!(
                "`needs` names `{step}`, which is not a step",
                step = step
            )));
            continue;
        };
        let mut list = Vec::new();
        for other in required {
            match position(other) {
                Some(i) => list.push(i),
                None => errors.push(error(tr!(
                    "`needs.{step}` names `{other}`, which is not a step",
                    step = step,
                    other = other
                ))),
            }
        }
        needs.push((at, list));
    }
    let mut compiled = |what: &str, map: &BTreeMap<String, Spanned<String>>| {
        let mut out = Vec::new();
        for (step, source) in map {
            let Some(at) = position(step) else {
                let hint = crate::problem::hint(step, spec.order.iter().map(String::as_str));
                errors.push(error(tr!(
                    "`{what}` names `{step}`, which is not a step{hint}",
                    what = what,
                    step = step,
                    hint = hint
                )));
                continue;
            };
            match compile_in_file(source, cx.text) {
                Ok(expr) => out.push((at, expr)),
                Err(err) => errors.push(err),
            }
        }
        out
    };
    let conditions = compiled("conditions", &spec.conditions);
    let skip_when = compiled("skip_when", &spec.skip_when);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Box::new(Steps {
        within: spec.within,
        order: spec.order,
        complete: spec.complete,
        needs,
        conditions,
        skip_when,
        gaps: spec.gaps,
        in_order: spec.in_order,
    }))
}

impl Check for Steps {
    fn fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = match &self.within {
            Some(within) => self.order.iter().map(|s| format!("{within}.{s}")).collect(),
            None => self.order.clone(),
        };
        fields.extend(
            self.conditions
                .iter()
                .chain(&self.skip_when)
                .filter_map(|(_, e)| e.record_fields())
                .flatten()
                .cloned(),
        );
        fields
    }

    fn vars(&self) -> Option<Vec<String>> {
        Some(vec!["step".to_string(), "problem".to_string()])
    }

    fn expressions(&self) -> Vec<&Expr> {
        self.conditions
            .iter()
            .chain(&self.skip_when)
            .map(|(_, e)| e)
            .collect()
    }

    fn per_record(&self) -> bool {
        true
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let mut out = Vec::new();
        for (index, record) in records.iter().enumerate() {
            self.judge(cx, index, record, &mut out);
        }
        out
    }
}

impl Steps {
    /// The dotted path of a step's field.
    fn path(&self, step: usize) -> String {
        match &self.within {
            Some(within) => format!("{within}.{}", self.order[step]),
            None => self.order[step].clone(),
        }
    }

    /// Label used in messages: "stap 3 (gesprek)".
    fn label(&self, step: usize) -> String {
        format!("stap {} ({})", step + 1, self.order[step])
    }

    fn judge(&self, cx: &CheckCx<'_>, index: usize, record: &Record, out: &mut Vec<Outcome>) {
        let holder: Option<&dyn Lookup> = match &self.within {
            Some(within) => field(&record.fields, within)
                .and_then(Value::as_object)
                .map(|m| m as &dyn Lookup),
            None => Some(&record.fields),
        };
        // Each step: absent, or present with a date.
        let mut dates = Vec::with_capacity(self.order.len());
        for (step, name) in self.order.iter().enumerate() {
            let value = holder.and_then(|h| h.lookup(name));
            if !is_present(value) {
                dates.push(None);
                continue;
            }
            match value.and_then(Value::as_str).and_then(parse_date) {
                Some(date) => dates.push(Some(date)),
                None => {
                    out.push(Outcome::Unjudged {
                        record: index,
                        cause: tr!("`{field}` is not a date", field = self.path(step)),
                    });
                    return;
                }
            }
        }
        let finding = |step: usize, message: String, kind: &str| {
            let mut details = Map::new();
            details.insert("step".to_string(), json!(step + 1));
            details.insert("step_name".to_string(), json!(self.order[step]));
            details.insert("problem".to_string(), json!(kind));
            Outcome::Finding(Verdict {
                record: index,
                field: Some(self.path(step).into()),
                message: message.into(),
                vars: vec![
                    ("step".to_string(), self.label(step)),
                    ("problem".to_string(), kind.to_string()),
                ],
                details: details.into(),
                discriminator: Some(kind.to_string()),
                keep_message: false,
                subject: None,
                members: Vec::new(),
            })
        };

        // Presence: every step when complete, else no gaps before the last
        // one; a step whose `skip_when` holds may be missing.
        let last = dates.iter().rposition(Option::is_some);
        for (step, date) in dates.iter().enumerate() {
            let required = self.gaps && (self.complete || last.is_some_and(|l| step < l));
            if date.is_none() && required {
                if let Some((_, excuse)) = self.skip_when.iter().find(|(s, _)| *s == step) {
                    match excuse.eval_bool(cx.env, &record.fields) {
                        Ok(true) => continue,
                        Ok(false) => {}
                        Err(cause) => {
                            out.push(Outcome::Unjudged {
                                record: index,
                                cause: tr!(
                                    "`skip_when.{step}`: {cause}",
                                    step = &self.order[step],
                                    cause = cause
                                ),
                            });
                            return;
                        }
                    }
                }
                let why = if self.complete {
                    String::new()
                } else {
                    format!(
                        ", terwijl {} wel is vastgelegd",
                        self.label(last.unwrap_or(step))
                    )
                };
                out.push(finding(
                    step,
                    format!("{} ontbreekt{why}", self.label(step)),
                    "ontbreekt",
                ));
            }
        }
        // Order: each present step on or after the previous present one.
        let mut previous: Option<usize> = None;
        for (step, date) in dates.iter().enumerate().filter(|_| self.in_order) {
            let Some(date) = date else { continue };
            if let Some(prev) = previous
                && let Some(prev_date) = dates[prev]
                && *date < prev_date
            {
                out.push(finding(
                    step,
                    format!(
                        "{} ({date}) ligt vóór {} ({prev_date})",
                        self.label(step),
                        self.label(prev)
                    ),
                    "volgorde",
                ));
            }
            previous = Some(step);
        }
        // Needs: a recorded step requires the steps it depends on.
        for (step, required) in &self.needs {
            if dates[*step].is_none() {
                continue;
            }
            let missing: Vec<String> = required
                .iter()
                .filter(|&&r| dates[r].is_none())
                .map(|&r| self.label(r))
                .collect();
            if !missing.is_empty() {
                out.push(finding(
                    *step,
                    format!(
                        "{} is vastgelegd zonder {}",
                        self.label(*step),
                        missing.join(", ")
                    ),
                    "vereist",
                ));
            }
        }
        // Conditions of present steps.
        for (step, expr) in &self.conditions {
            if dates[*step].is_none() {
                continue;
            }
            match expr.eval_bool(cx.env, &record.fields) {
                Ok(true) => {}
                Ok(false) => out.push(finding(
                    *step,
                    format!(
                        "{}: voorwaarde niet vervuld: {}",
                        self.label(*step),
                        expr.source().trim()
                    ),
                    "voorwaarde",
                )),
                Err(cause) => out.push(Outcome::Unjudged {
                    record: index,
                    cause,
                }),
            }
        }
    }
}
