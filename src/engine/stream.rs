//! Streaming one collection through its rules a batch at a time: per-record
//! checks judge each batch, [`Stream`]s count or index it, key lookups index
//! it, and the batch is dropped (see [`super::plan`] for which collections
//! stream).

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use super::judge::{Batch, Sink, Unjudged, crashed, run_rule, take_outcomes};
use super::locate::{Sources, locate_streamed};
use super::{
    RuleRun, RunCx,
    findings::{compare_findings, message_fields},
};
use crate::check::{CheckCx, Stream};
use crate::data::{self, DataFile, Dataset, KeySet, Record, lookup_key};
use crate::expr::Env;
use crate::finding::Finding;
use crate::problem::Problems;
use crate::project::Collection;
use crate::rule::Rule;

/// One streamed collection and the rules over it.
pub(super) struct Streamed<'a> {
    /// The project root, that the collection's path is relative to.
    pub root: &'a Path,
    /// The collection.
    pub collection: &'a Collection,
    /// The selected rules over it: each judges records one by one, takes
    /// them as a [`Stream`], or only looks keys up in other collections.
    pub rules: &'a [&'a Rule],
    /// The fields of the collection other rules look keys up by (`None`:
    /// its key), indexed as the batches pass.
    pub looked_up: &'a BTreeSet<Option<&'a str>>,
    /// The only top-level fields the rules read of it, when bounded.
    pub columns: Option<&'a BTreeSet<String>>,
    /// The project's collections, for the tables a pushed-down check
    /// refers to.
    pub collections: &'a std::collections::BTreeMap<String, Collection>,
}

/// What each rule has gathered so far over the batches.
struct PerRule<'s> {
    runs: Vec<RuleRun>,
    unjudged: Vec<Unjudged>,
    streams: Vec<Option<Box<dyn Stream + 's>>>,
}

impl Streamed<'_> {
    /// Streams the collection through its rules: each batch of records is
    /// judged (or counted, or indexed) and dropped, so memory holds the
    /// findings, digests of the collection's keys, the streams' state and
    /// the indexes of the fields in `looked_up`, not its records. The files
    /// read join `dataset.files`, the record count `dataset.streamed` and
    /// the indexes `dataset.keys`.
    pub fn evaluate(
        &self,
        run: &RunCx<'_>,
        dataset: &mut Dataset,
        problems: &mut Problems,
    ) -> (Vec<Finding>, Vec<RuleRun>) {
        let env = Env::new(run.as_of, Arc::clone(&run.calendar), None);
        // The checks read nothing but the record and the key indexes (of the
        // resident collections and of those streamed before).
        let lookups = Dataset {
            keys: std::mem::take(&mut dataset.keys),
            ..Dataset::default()
        };
        let cx = CheckCx {
            dataset: &lookups,
            env: &env,
            as_of: run.as_of,
            calendar: &run.calendar,
            plugins: run.plugins,
            group_by: run.group_by,
        };
        let mut per_rule = PerRule {
            runs: self
                .rules
                .iter()
                .map(|r| RuleRun {
                    id: r.id.clone(),
                    ..RuleRun::default()
                })
                .collect(),
            unjudged: self.rules.iter().map(|_| Unjudged::default()).collect(),
            streams: self
                .rules
                .iter()
                .map(|r| r.check.stream(&message_fields(r)))
                .collect(),
        };
        let mut rule_problems = Problems::default();
        let mut sources = Sources::default();
        let first_new = dataset.files.len();
        let mut keys: Vec<KeySet> = self.looked_up.iter().map(|_| KeySet::default()).collect();
        let mut sink = Gathered {
            batches: Vec::new(),
            findings: Vec::new(),
            problems: &mut rule_problems,
            sources: &mut sources,
        };
        let name = &self.collection.name;
        let seen = dataset.fields_seen.entry(name.clone()).or_default();
        // A table whose rules all have an SQL form is judged in the
        // database, apart from the rows it sends back (see `pushdown`).
        let as_of = run.as_of.to_string();
        let schema = self.collection.schema.as_ref();
        // The keys of the collections looked up, read before this one.
        let listed = |name: &str, field: Option<&str>| {
            let at = (name.to_string(), field.map(str::to_string));
            lookups.keys.get(&at).and_then(|keys| {
                crate::expr::text_array(keys.iter(), crate::expr::TEXT_ARRAY_LIMIT)
            })
        };
        let push = |table: &data::postgres::Table<'_>| {
            super::pushdown::build(
                self.rules,
                self.collections,
                schema,
                (&as_of, &run.calendar),
                &listed,
                table,
            )
        };
        let pushable =
            run.push_down && self.collection.postgres.is_some() && self.looked_up.is_empty();
        let mut count = data::stream(
            self.root,
            self.collection,
            data::Reads {
                wanted: self.columns,
                push: pushable.then_some(&push as &data::postgres::Push<'_>),
                digest_all: run.digest_data,
            },
            &mut dataset.files,
            seen,
            problems,
            &mut |file, records, settled| {
                for (keys, field) in keys.iter_mut().zip(self.looked_up) {
                    keys.extend(records.iter().filter_map(|r| lookup_key(r, *field)));
                }
                self.feed(&cx, file, records, settled, &mut per_rule, &mut sink);
            },
        );
        let mut runs = self.finish(&cx, dataset, per_rule, &mut sink);
        let pushed = dataset.files[first_new..]
            .iter()
            .filter_map(|f| f.database.as_ref()?.pushed.as_ref());
        for left in pushed {
            count += usize::try_from(left.left).unwrap_or(usize::MAX);
            add_left(&mut runs, left);
        }
        let mut findings = sink.all_findings();
        for problem in rule_problems.into_sorted() {
            problems.push(problem);
        }
        locate_streamed(&mut findings, &dataset.files[first_new..]);
        dataset.streamed.insert(name.clone(), count);
        dataset.keys = lookups.keys;
        for (keys, field) in keys.into_iter().zip(self.looked_up) {
            let field = field.map(str::to_string);
            dataset.keys.insert((name.clone(), field), keys);
        }
        (findings, runs)
    }

    /// Runs every rule over one batch of records read from `file`.
    fn feed(
        &self,
        cx: &CheckCx<'_>,
        file: &DataFile,
        records: &[Record],
        settled: &[Vec<data::Settled>],
        per_rule: &mut PerRule<'_>,
        sink: &mut Gathered<'_>,
    ) {
        // JSONL fields are placed afterwards, line by line; other files
        // are read whole anyway.
        let jsonl = file.format == data::Format::Jsonl;
        let each = self
            .rules
            .iter()
            .zip(&mut per_rule.runs)
            .zip(&mut per_rule.unjudged)
            .zip(&mut per_rule.streams);
        let mut by_rule: Vec<Vec<Finding>> = Vec::new();
        for (index, (((rule, stats), unjudged), stream)) in each.enumerate() {
            // What the database found of each record for this rule.
            let settled: Vec<data::Settled> = settled
                .iter()
                .map(|s| s.get(index).copied().unwrap_or(data::Settled::Judge))
                .collect();
            let batch = Batch {
                records,
                file: &|_| Some(file),
                sources: (!jsonl).then_some(&mut *sink.sources),
                stream: stream.as_deref_mut().map(|s| s as &mut dyn Stream),
                settled: &settled,
            };
            let mut found = Vec::new();
            run_rule(rule, cx, batch, stats, &mut found, unjudged, sink.problems);
            if !found.is_empty() {
                by_rule.push(found);
            }
        }
        // The rules' findings moved once into a list of the right size.
        let mut found = if by_rule.len() == 1 {
            by_rule.pop().unwrap_or_default()
        } else {
            let mut all = Vec::with_capacity(by_rule.iter().map(Vec::len).sum());
            for found in by_rule {
                all.extend(found);
            }
            all
        };
        if !found.is_empty() {
            // In report order within the batch (a batch is a run of lines
            // of one file), so that the findings of all batches are in
            // order, or nearly, for the one sort at the end.
            found.sort_by(compare_findings);
            sink.batches.push(found);
        }
    }

    /// The checks that kept state over the batches (aggregates, `unique`)
    /// judge now; every rule reports the records it could not judge.
    fn finish(
        &self,
        cx: &CheckCx<'_>,
        dataset: &Dataset,
        per_rule: PerRule<'_>,
        sink: &mut Gathered<'_>,
    ) -> Vec<RuleRun> {
        let PerRule {
            mut runs,
            mut unjudged,
            streams,
        } = per_rule;
        let each = self
            .rules
            .iter()
            .zip(&mut runs)
            .zip(&mut unjudged)
            .zip(streams);
        for (((rule, stats), unjudged), stream) in each {
            let Some(stream) = stream else {
                continue;
            };
            let before = sink.findings.len();
            match catch_unwind(AssertUnwindSafe(|| stream.finish(cx))) {
                Ok((records, outcomes)) => {
                    let applies: Vec<&Record> = records.iter().collect();
                    let to = Sink {
                        findings: &mut sink.findings,
                        unjudged,
                        problems: &mut *sink.problems,
                        group_by: cx.group_by,
                    };
                    let file = |id| dataset.file(id);
                    let sources = Some(&mut *sink.sources);
                    take_outcomes(rule, outcomes, &applies, &file, sources, to);
                }
                Err(panic) => sink.problems.push(crashed(rule, &*panic)),
            }
            stats.findings += sink.findings.len() - before;
        }
        for (rule, unjudged) in self.rules.iter().zip(unjudged) {
            unjudged.report(rule, sink.problems);
        }
        runs
    }
}

/// Adds the rows a push-down left in the database to the rules' counts:
/// each rule's two counts (outside its window; not applicable), the rest
/// judged and passed.
fn add_left(runs: &mut [RuleRun], left: &data::PushedRead) {
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    for (stats, counts) in runs.iter_mut().zip(left.counts.chunks(2)) {
        let (outside, not_applicable) = (count(counts[0]), count(counts[1]));
        stats.records += count(left.left);
        stats.outside_window += outside;
        stats.not_applicable += not_applicable;
        stats.judged += count(left.left)
            .saturating_sub(outside)
            .saturating_sub(not_applicable);
    }
}

/// Where the streamed rules' findings and problems go.
struct Gathered<'g> {
    /// The findings of each batch, sorted: kept apart until the end, so
    /// that 10⁵ findings are moved once into one list of the right size
    /// instead of into ever larger ones as they come.
    batches: Vec<Vec<Finding>>,
    /// The findings of the checks that judge at the end.
    findings: Vec<Finding>,
    problems: &'g mut Problems,
    sources: &'g mut Sources,
}

impl Gathered<'_> {
    /// Every finding: the batches' in batch order, then the end's.
    fn all_findings(&mut self) -> Vec<Finding> {
        let batches = std::mem::take(&mut self.batches);
        let end = std::mem::take(&mut self.findings);
        let total = batches.iter().map(Vec::len).sum::<usize>() + end.len();
        let mut all = Vec::with_capacity(total);
        for batch in batches {
            all.extend(batch);
        }
        all.extend(end);
        all
    }
}
