//! `deadline`: an act happened within a legal term after a start date
//! (SPEC §5 and §7).
//!
//! ```yaml
//! check:
//!   deadline:
//!     start: ontvangen_op               # field with the start date (day 0)
//!     end: veiligheidsbeoordeling_op    # field with the date of the act
//!     term: 5 werkdagen                 # or `due: termijn`, a field with a term,
//!                                       # a due phrase or a date
//!     atw: true                         # default; false = plain calendar arithmetic
//! ```
//! An `end` after the due date is a finding ("te laat"); a missing `end` is a
//! finding only when `as_of` is past the due date ("overdue"). A due phrase
//! that cannot be resolved — unknown wording, or a recess the calendar has no
//! data for — is a finding too (`termijn::onbekend`), never a silent pass. A
//! record without a usable start date cannot be judged.
//!
//! Every finding carries `details.due` (ISO), `details.late_by` and the days
//! that moved the deadline (`details.skipped`), so an auditor can retrace it.

use crate::text::Text;
use crate::tr;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{BuildCode, BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict};
use crate::calendar::TermijnCode;
use crate::calendar::parse_date;
use crate::calendar::{Due, Term, TermijnError, Unit, resolve_termijn};
use crate::data::{Record, field};
use crate::finding::{DeadlineDetails, Details};

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "An act happened within a legal term after a start date.",
    use_for: "legal terms",
    written: "`{ start, end, term: 5 werkdagen }` or `{ start, end, due: field-with-phrase }`, `atw: false` to switch the Algemene termijnenwet off",
    checks: "`end` lies within the term after `start`; a missing `end` is overdue once `as_of` is past the due date; `due:` names a field holding a term, a due phrase or a date",
};

/// The YAML shape of a `deadline` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The field holding the start date (day 0).
    pub start: String,
    /// The field holding the date the act happened.
    pub end: String,
    /// The term, e.g. `5 werkdagen`, `10 weken`.
    #[serde(default)]
    pub term: Option<String>,
    /// Instead of `term`: a field holding a term, a due phrase or a date,
    /// resolved relative to the start date.
    #[serde(default)]
    pub due: Option<String>,
    /// Apply the Algemene termijnenwet (default true).
    #[serde(default = "yes")]
    pub atw: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug)]
enum Termijn {
    Fixed(Term),
    Field(String),
}

#[derive(Debug)]
struct Deadline {
    start: String,
    end: String,
    termijn: Termijn,
    atw: bool,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let invalid = |message: Text| {
        vec![BuildError::invalid(message, cx.check_at).help(tr!(
            "a deadline needs `start`, `end` and either `term` or `due`"
        ))]
    };
    let termijn = match (spec.term, spec.due) {
        (Some(term), None) => match term.parse::<Term>() {
            Ok(term) => Termijn::Fixed(term),
            Err(err) => {
                return Err(vec![BuildError {
                    code: BuildCode::Term,
                    message: tr!("invalid term: {cause}", cause = err.text()),
                    at: Some(cx.check_at),
                    help: Some(tr!(
                        "write a term as `5 werkdagen`, `14 dagen`, `10 weken` or `3 maanden`"
                    )),
                }]);
            }
        },
        (None, Some(field)) => Termijn::Field(field),
        (Some(_), Some(_)) => {
            return Err(invalid(tr!("`term` and `due` exclude each other")));
        }
        (None, None) => {
            return Err(invalid(tr!("the deadline has no `term` and no `due`")));
        }
    };
    Ok(Box::new(Deadline {
        start: spec.start,
        end: spec.end,
        termijn,
        atw: spec.atw,
    }))
}

impl Check for Deadline {
    fn fields(&self) -> Vec<String> {
        let mut fields = vec![self.start.clone(), self.end.clone()];
        if let Termijn::Field(due) = &self.termijn {
            fields.push(due.clone());
        }
        fields
    }

    fn vars(&self) -> Option<Vec<String>> {
        let names = ["due", "late_by", "term", "start", "as_of"];
        Some(names.iter().map(|n| n.to_string()).collect())
    }

    fn per_record(&self) -> bool {
        true
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        records
            .iter()
            .enumerate()
            .filter_map(|(index, record)| self.judge(cx, index, record))
            .collect()
    }
}

impl Deadline {
    fn judge(&self, cx: &CheckCx<'_>, index: usize, record: &Record) -> Option<Outcome> {
        let Some(start) = date_of(field(&record.fields, &self.start)) else {
            return Some(Outcome::Unjudged {
                record: index,
                cause: tr!(
                    "start field `{field}` is missing or not a date",
                    field = &self.start
                ),
            });
        };
        let (due, term_text) = match &self.termijn {
            Termijn::Fixed(term) => (cx.env.due(*term, start, self.atw), term.to_string()),
            Termijn::Field(name) => {
                let Some(text) = field(&record.fields, name).and_then(Value::as_str) else {
                    return Some(Outcome::Unjudged {
                        record: index,
                        cause: tr!("due field `{field}` is missing or not text", field = name),
                    });
                };
                match resolve_termijn(start, text, cx.calendar, self.atw) {
                    Ok(due) => (Arc::new(due), text.to_string()),
                    Err(err) => return Some(unknown(index, name, text, &err)),
                }
            }
        };
        let end_value = field(&record.fields, &self.end);
        let end = match end_value {
            None | Some(Value::Null) => None,
            Some(value) => match date_of(Some(value)) {
                Some(date) => Some(date),
                None => {
                    return Some(Outcome::Unjudged {
                        record: index,
                        cause: tr!("end field `{field}` is not a date", field = &self.end),
                    });
                }
            },
        };
        let (late_until, overdue) = match end {
            Some(end) if end > due.due => (end, false),
            Some(_) => return None,
            None if cx.as_of > due.due => (cx.as_of, true),
            None => return None,
        };
        let unit = match &self.termijn {
            Termijn::Fixed(term) => term.unit,
            Termijn::Field(_) => Unit::Dagen,
        };
        let late_by = late_by(cx, &due, late_until, unit);
        let message = if overdue {
            format!(
                "`{}` ontbreekt en de termijn ({term_text}) is op {} verstreken: {late_by} over de termijn",
                self.end, due.due
            )
        } else {
            format!(
                "`{}` {late_by} te laat: uiterlijk {} ({term_text} na `{}`)",
                self.end, due.due, self.start
            )
        };
        let vars = vec![
            ("due".to_string(), due.due.to_string()),
            ("late_by".to_string(), late_by.clone()),
            ("term".to_string(), term_text.clone()),
            ("start".to_string(), start.to_string()),
            ("as_of".to_string(), cx.as_of.to_string()),
        ];
        let details = Details::from(DeadlineDetails {
            start,
            term: term_text,
            due,
            late_by,
            overdue,
            end,
        });
        Some(Outcome::Finding(Verdict {
            record: index,
            field: Some(self.end.as_str().into()),
            message: message.into(),
            vars,
            details,
            discriminator: None,
            keep_message: false,
            subject: None,
            members: Vec::new(),
        }))
    }
}

/// How late, in the unit of the term: working days for `werkdagen`, else
/// calendar days.
fn late_by(cx: &CheckCx<'_>, due: &Due, until: jiff::civil::Date, unit: Unit) -> String {
    if unit == Unit::Werkdagen {
        let n = cx.calendar.workdays_between(due.due, until).max(1);
        format!("{n} {}", if n == 1 { "werkdag" } else { "werkdagen" })
    } else {
        let n = due
            .due
            .until(until)
            .map_or(1, |span| span.get_days())
            .max(1);
        format!("{n} {}", if n == 1 { "dag" } else { "dagen" })
    }
}

/// A due phrase that cannot be resolved: a finding, so it cannot pass silently.
fn unknown(index: usize, name: &str, text: &str, err: &TermijnError) -> Outcome {
    let mut details = Map::new();
    details.insert("code".to_string(), json!(TermijnCode::Onbekend.as_str()));
    details.insert("term".to_string(), json!(text));
    details.insert("cause".to_string(), json!(err.to_string()));
    Outcome::Finding(Verdict {
        record: index,
        field: Some(name.into()),
        // The kind's own messages are Dutch (rule messages stay as
        // written): so is the reason inside.
        message: format!(
            "termijn::onbekend — de termijn in `{name}` is niet te bepalen: {}",
            err.text().render(crate::text::Lang::Nl)
        )
        .into(),
        vars: vec![
            ("due".to_string(), "onbekend".to_string()),
            ("late_by".to_string(), "onbekend".to_string()),
            ("term".to_string(), text.to_string()),
        ],
        details: details.into(),
        discriminator: Some(TermijnCode::Onbekend.as_str().to_string()),
        keep_message: true,
        subject: None,
        members: Vec::new(),
    })
}

/// A date from a field: an ISO date, or the date part of a date-time.
fn date_of(value: Option<&Value>) -> Option<jiff::civil::Date> {
    value.and_then(Value::as_str).and_then(parse_date)
}
