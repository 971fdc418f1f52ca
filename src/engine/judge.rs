//! Running a rule over records: select the records it applies to (validity
//! window, `when`), run its check (in parallel chunks when it judges records
//! one by one), and turn outcomes into findings, unjudged records and
//! problems. A check that panics becomes an `internal::panic` problem.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use super::findings::{RuleParts, finding, shown_path, sort_findings};
use super::locate::Sources;
use super::plan::{collections_read, reads_collections};
use super::{Progress, RuleRun, RunCx};
use crate::calendar::parse_date;
use crate::check::{CheckCx, Outcome, Stream};
use crate::data::{DataFile, Dataset, FileId, Record, RecordPos, Settled, field};
use crate::engine::InternalCode;
use crate::expr::{CollectionsVar, Env};
use crate::finding::{Finding, Shared};
use crate::problem::{Problem, Problems};
use crate::rule::Rule;
use crate::rule::RuleCode;
use crate::text::Text;
use crate::tr;

/// Runs `rules` over `dataset` as of a date: the findings, sorted by path,
/// line, column and rule, and what each rule did. Used by `check` and by
/// `naleving test`, which builds its dataset from a rule's test records.
pub fn evaluate(
    rules: &[&Rule],
    dataset: &Dataset,
    run: &RunCx<'_>,
    progress: &mut dyn Progress,
    problems: &mut Problems,
) -> (Vec<Finding>, Vec<RuleRun>) {
    let read = collections_read(rules);
    let collections_var: Option<Box<CollectionsVar<'_>>> = reads_collections(rules).then(|| {
        dataset
            .collections
            .iter()
            .filter(|(name, _)| read.as_ref().is_none_or(|read| read.contains(*name)))
            .map(|(name, records)| (name.as_str(), records.iter().map(|r| &r.fields).collect()))
            .collect()
    });
    let env = Env::new(
        run.as_of,
        Arc::clone(&run.calendar),
        collections_var.as_deref(),
    );
    let cx = CheckCx {
        dataset,
        env: &env,
        as_of: run.as_of,
        calendar: &run.calendar,
        plugins: run.plugins,
        group_by: run.group_by,
    };
    let mut sources = Sources::default();
    let mut findings = Vec::new();
    let mut rules_run = Vec::new();
    for rule in rules {
        progress.rule(&rule.id);
        let mut unjudged = Unjudged::default();
        let mut stats = RuleRun {
            id: rule.id.clone(),
            ..RuleRun::default()
        };
        let batch = Batch {
            records: dataset.records(&rule.collection),
            file: &|id| dataset.file(id),
            sources: Some(&mut sources),
            stream: None,
            settled: &[],
        };
        run_rule(
            rule,
            &cx,
            batch,
            &mut stats,
            &mut findings,
            &mut unjudged,
            problems,
        );
        unjudged.report(rule, problems);
        rules_run.push(stats);
    }
    sort_findings(&mut findings);
    (findings, rules_run)
}

/// Runs one rule: select the records it applies to, run its check, and turn
/// the outcomes into findings and problems.
/// Records to run a rule over: a whole collection, or one batch of a
/// streamed one.
pub(super) struct Batch<'b> {
    pub(super) records: &'b [Record],
    /// The data file of a record's `pos.file`.
    pub(super) file: &'b dyn Fn(FileId) -> Option<&'b DataFile>,
    /// File texts to place findings on fields; `None` leaves that to
    /// [`locate_streamed`].
    pub(super) sources: Option<&'b mut Sources>,
    /// The rule's [`Stream`] state when its check takes a streamed
    /// collection batch by batch; its outcomes come at the end.
    pub(super) stream: Option<&'b mut dyn Stream>,
    /// For records a database sent from a push-down: what it found of
    /// each for this rule; the rule judges only those marked
    /// [`Settled::Judge`] (empty: every record).
    pub(super) settled: &'b [Settled],
}

/// Runs one rule over a batch of records, adding to its statistics,
/// findings and unjudged records.
pub(super) fn run_rule(
    rule: &Rule,
    cx: &CheckCx<'_>,
    batch: Batch<'_>,
    stats: &mut RuleRun,
    findings: &mut Vec<Finding>,
    unjudged: &mut Unjudged,
    problems: &mut Problems,
) {
    let Batch {
        records,
        file,
        sources,
        stream,
        settled,
    } = batch;
    stats.records += records.len();
    let before = findings.len();
    let mut applies: Vec<&Record> = Vec::new();
    let chosen = |(index, record): (usize, &Record)| match settled.get(index) {
        None | Some(Settled::Judge) => select(rule, cx, record),
        Some(Settled::Outside) => Selection::OutsideWindow,
        Some(Settled::NotApplicable) => Selection::NotApplicable,
        Some(Settled::Passed) => Selection::Passed,
    };
    let selections: Vec<Selection> = if records.len() > CHUNK {
        records.par_iter().enumerate().map(chosen).collect()
    } else {
        records.iter().enumerate().map(chosen).collect()
    };
    for (record, selection) in records.iter().zip(selections) {
        match selection {
            Selection::Applies => applies.push(record),
            Selection::OutsideWindow => stats.outside_window += 1,
            Selection::NotApplicable => stats.not_applicable += 1,
            Selection::Passed => stats.judged += 1,
            Selection::Unjudged(cause) => unjudged.add(record, cause, file),
        }
    }
    stats.judged += applies.len();

    let outcomes = catch_unwind(AssertUnwindSafe(|| match stream {
        Some(stream) => stream.feed(cx, &applies),
        None => judge(rule, cx, &applies),
    }));
    match outcomes {
        Ok(outcomes) => {
            let sink = Sink {
                findings,
                unjudged,
                problems,
                group_by: cx.group_by,
            };
            take_outcomes(rule, outcomes, &applies, file, sources, sink);
        }
        Err(panic) => problems.push(crashed(rule, &*panic)),
    }
    stats.findings += findings.len() - before;
}

/// The problem of a rule whose check panicked.
pub(super) fn crashed(rule: &Rule, panic: &(dyn std::any::Any + Send)) -> Problem {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Problem::incomplete(
        InternalCode::Panic,
        tr!(
            "rule `{rule}` crashed: {cause}",
            rule = &rule.id,
            cause = what
        ),
    )
    .in_file(&rule.path)
    .at(rule.check_at.line, rule.check_at.column)
    .help(tr!("this is a bug in naleving; the other rules still ran"))
}

/// Where a rule's outcomes go.
pub(super) struct Sink<'s> {
    pub(super) findings: &'s mut Vec<Finding>,
    pub(super) unjudged: &'s mut Unjudged,
    pub(super) problems: &'s mut Problems,
    /// The field whose value each finding notes (`--group-by`).
    pub(super) group_by: Option<&'s str>,
}

/// Turns a check's outcomes, pointing into `applies`, into findings,
/// unjudged records and problems.
pub(super) fn take_outcomes<'f>(
    rule: &Rule,
    outcomes: Vec<Outcome>,
    applies: &[&Record],
    file: &dyn Fn(FileId) -> Option<&'f DataFile>,
    mut sources: Option<&mut Sources>,
    sink: Sink<'_>,
) {
    let Sink {
        findings,
        unjudged,
        problems,
        group_by,
    } = sink;
    // Findings are built on all cores (message, fingerprint, location), in
    // outcome order; the file texts they need are read first. What they
    // share is made once: the rule's id, collection, basis and path, and
    // the shown path of each file.
    let parts = RuleParts::of(rule);
    let mut paths: Vec<(FileId, Shared)> = Vec::new();
    let mut found = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Outcome::Finding(verdict) => {
                if let Some(record) = applies.get(verdict.record) {
                    let data_file = file(record.pos.file);
                    let source = match (&verdict.field, data_file, sources.as_deref_mut()) {
                        // A spreadsheet or Parquet file has no text to
                        // search; its cell comes from its columns.
                        (Some(_), Some(data_file), Some(sources)) if data_file.format.is_text() => {
                            sources.text(record.pos.file, &data_file.path)
                        }
                        _ => None,
                    };
                    let id = record.pos.file;
                    let path = match paths.iter().find(|(file, _)| *file == id) {
                        Some((_, path)) => path.clone(),
                        None => {
                            let path =
                                data_file.map_or_else(Shared::default, |f| shown_path(&f.display));
                            paths.push((id, path.clone()));
                            path
                        }
                    };
                    found.push((verdict, *record, (data_file, path), source));
                }
            }
            Outcome::Unjudged { record, cause } => {
                if let Some(record) = applies.get(record) {
                    unjudged.add(record, cause, file);
                }
            }
            Outcome::Failed(problem) => {
                let message = tr!(
                    "rule `{rule}`: {problem}",
                    rule = &rule.id,
                    problem = problem.message.clone()
                );
                problems.push(
                    Problem { message, ..problem }
                        .in_file(&rule.path)
                        .at(rule.check_at.line, rule.check_at.column),
                );
            }
        }
    }
    let built: Vec<Finding> = found
        .into_par_iter()
        .with_min_len(FINDINGS_CHUNK)
        .map(|(verdict, record, (data_file, path), source)| {
            let file = (data_file, &path);
            let mut finding = finding(rule, &parts, record, verdict, file, source.as_ref());
            finding.group = group_by
                .and_then(|name| crate::data::field(&record.fields, name))
                .and_then(crate::data::as_key);
            finding
        })
        .collect();
    if findings.is_empty() {
        *findings = built;
    } else {
        findings.extend(built);
    }
}

/// Findings per parallel work item.
const FINDINGS_CHUNK: usize = 256;

/// The records a rule could not judge, by cause: how many, their keys and
/// the first (by file and line), for one problem per rule and cause.
#[derive(Default)]
pub(super) struct Unjudged {
    causes: BTreeMap<Cause, Group>,
}

/// Why records could not be judged, as far as it tells the author what to
/// do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    /// A field the rule reads is not there.
    Missing,
    /// A field that should hold a date does not.
    NotADate,
    /// A value has another type than the rule compares it as.
    WrongType,
    /// An expression would take more steps than the budget allows.
    Budget,
    /// Anything else an expression or check failed on.
    Other,
}

impl Cause {
    /// The class of a failure's text.
    fn of(cause: &str) -> Cause {
        let lower = cause.to_lowercase();
        if cause.contains(crate::expr::BUDGET_EXCEEDED) {
            Cause::Budget
        } else if lower.contains("not a date") {
            Cause::NotADate
        } else if lower.contains("no such key") || lower.contains("is missing") {
            Cause::Missing
        } else if lower.contains("unsupported") || lower.contains("type") {
            Cause::WrongType
        } else {
            Cause::Other
        }
    }

    /// The advice that fits.
    fn help(self) -> Text {
        match self {
            Cause::Missing => tr!(
                "guard optional fields with `has(record.field)`, or declare them `required` in the collection's schema so a missing one is reported where the data is"
            ),
            Cause::NotADate => tr!(
                "write dates as YYYY-MM-DD, or declare the field `type: date` with its `format` in the collection's schema"
            ),
            Cause::WrongType => tr!(
                "declare the field's `type` in the collection's schema: a value that does not fit is then reported at load and left out of comparisons"
            ),
            Cause::Budget => tr!(
                "walk fewer elements: narrow a list with `filter` on a key before nesting `exists` or `all`, or split the rule; a `reference` check looks keys up without walking"
            ),
            Cause::Other => tr!("the rule's expression failed on these records: see the cause"),
        }
    }
}

/// The records of one cause.
#[derive(Default)]
struct Group {
    count: usize,
    /// Their keys, in record order (at most [`KEYS_KEPT`]).
    keys: Vec<String>,
    /// The first record: its place, key, cause, file, and whether that
    /// has lines (a database table's rows have none).
    first: Option<(RecordPos, String, Text, PathBuf, bool)>,
}

/// The most keys a problem lists.
const KEYS_KEPT: usize = 10_000;

impl Unjudged {
    pub(super) fn add<'f>(
        &mut self,
        record: &Record,
        cause: Text,
        file: &dyn Fn(FileId) -> Option<&'f DataFile>,
    ) {
        let group = self.causes.entry(Cause::of(&cause.en())).or_default();
        group.count += 1;
        if group.keys.len() < KEYS_KEPT {
            group.keys.push(record.key.clone());
        }
        let earlier = group
            .first
            .as_ref()
            .is_some_and(|(pos, ..)| (pos.file, pos.line) <= (record.pos.file, record.pos.line));
        if !earlier {
            let file = file(record.pos.file);
            let path = file.map(|f| f.display.clone()).unwrap_or_default();
            let lines = file.is_none_or(|f| f.format != crate::data::Format::Postgres);
            group.first = Some((record.pos, record.key.clone(), cause, path, lines));
        }
    }

    /// One `rule::eval` problem (`rule::budget` for the budget) per cause, located on its first record,
    /// naming the first few records (all of them in the problem's
    /// `records`).
    pub(super) fn report(self, rule: &Rule, problems: &mut Problems) {
        for (cause, group) in self.causes {
            let Some((pos, key, text, path, lines)) = group.first else {
                continue;
            };
            let records = if group.count == 1 {
                tr!("record `{key}`", key = key)
            } else {
                let shown: Vec<String> = group
                    .keys
                    .iter()
                    .take(3)
                    .map(|k| format!("`{k}`"))
                    .collect();
                let more = group.count.saturating_sub(shown.len());
                if more > 0 {
                    tr!(
                        "{count} records ({keys} and {more} more)",
                        count = group.count,
                        keys = shown.join(", "),
                        more = more
                    )
                } else {
                    tr!(
                        "{count} records ({keys})",
                        count = group.count,
                        keys = shown.join(", ")
                    )
                }
            };
            let code = match cause {
                Cause::Budget => RuleCode::Budget,
                _ => RuleCode::Eval,
            };
            let mut problem = Problem::incomplete(
                code,
                tr!(
                    "rule `{rule}` could not judge {records}: {cause}",
                    rule = &rule.id,
                    records = records,
                    cause = text
                ),
            )
            .in_file(path)
            .help(cause.help());
            if lines {
                problem = problem.at(pos.line, pos.column);
            }
            problem.records = group.keys;
            problems.push(problem);
        }
    }
}

/// Records per parallel work item: big enough that splitting costs little
/// next to judging, small enough to spread a collection over the cores.
const CHUNK: usize = 256;

/// Whether a rule applies to a record.
enum Selection {
    Applies,
    OutsideWindow,
    NotApplicable,
    /// Judged and passed in the database: not handed to the check.
    Passed,
    Unjudged(Text),
}

/// Decides whether `rule` applies to `record`: its validity window, then
/// its `when`.
fn select(rule: &Rule, cx: &CheckCx<'_>, record: &Record) -> Selection {
    if let Some(valid) = &rule.valid {
        // A record without a readable date is judged: a missing date must
        // never exempt a record from a rule.
        let date = field(&record.fields, &valid.date_field)
            .and_then(Value::as_str)
            .and_then(parse_date);
        if date.is_some_and(|d| !valid.contains(d)) {
            return Selection::OutsideWindow;
        }
    }
    match rule
        .when
        .as_ref()
        .map(|when| when.eval_bool(cx.env, &record.fields))
    {
        None | Some(Ok(true)) => Selection::Applies,
        Some(Ok(false)) => Selection::NotApplicable,
        Some(Err(cause)) => Selection::Unjudged(tr!("`when` failed: {cause}", cause = cause)),
    }
}

/// Runs the rule's check over the records it applies to. A check that judges
/// records one by one gets them in chunks, on all cores; the outcomes are put
/// back in record order, so the result is the same as one call.
fn judge(rule: &Rule, cx: &CheckCx<'_>, applies: &[&Record]) -> Vec<Outcome> {
    if !rule.check.per_record() || applies.len() <= CHUNK {
        return rule.check.run(cx, applies);
    }
    let chunks: Vec<Vec<Outcome>> = applies
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let offset = n * CHUNK;
            let mut outcomes = rule.check.run(cx, chunk);
            for outcome in &mut outcomes {
                match outcome {
                    Outcome::Finding(verdict) => verdict.record += offset,
                    Outcome::Unjudged { record, .. } => *record += offset,
                    Outcome::Failed(_) => {}
                }
            }
            outcomes
        })
        .collect();
    chunks.into_iter().flatten().collect()
}
