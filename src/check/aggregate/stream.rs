//! An `aggregate` over a streamed collection: each group's counts are kept
//! as batches of records pass, and the groups are judged at the end, so
//! memory holds one record per group instead of the collection.
//!
//! Only aggregates whose every `let` counts (`records.size()`,
//! `records.filter(r, P).size()` with a `P` that reads no other `let`) and
//! whose `expr` reads no `records` stream; the others keep their collection
//! in memory. Counting here gives what [`Aggregate::run`] gives: the same
//! groups, counts, first records and, when `P` fails on a record, CEL's
//! error for that record (the first failing record of the group).

use std::collections::BTreeMap;

use cel::Value as CelValue;
use rayon::prelude::*;

use super::Aggregate;
use crate::check::MEMBERS_LISTED;
use crate::check::{CheckCx, Outcome, Stream};
use crate::data::Record;
use crate::expr::object;

/// Records per parallel work item when counting a batch.
const CHUNK: usize = 1024;

/// The counts of every group seen so far.
pub(super) struct Tallies<'a> {
    check: &'a Aggregate,
    groups: BTreeMap<Vec<String>, Tally>,
}

/// One group: its first record (by file and line), how many records it has,
/// and per `let` the count so far or why counting failed.
struct Tally {
    first: Record,
    members: usize,
    /// The first records (key, file, line), at most [`MEMBERS_LISTED`].
    listed: Vec<(String, u32, u32)>,
    counts: Vec<Result<i64, crate::text::Text>>,
}

/// What one record adds: its group and, per `let`, whether it counts
/// (`None`: the condition failed on it).
type Hits = Result<(Vec<String>, Vec<Option<bool>>), crate::text::Text>;

impl<'a> Tallies<'a> {
    pub(super) fn new(check: &'a Aggregate) -> Tallies<'a> {
        Tallies {
            check,
            groups: BTreeMap::new(),
        }
    }

    fn hits(&self, cx: &CheckCx<'_>, record: &Record) -> Hits {
        let key = self.check.key_of(record)?;
        let mut scope = None;
        let hits = self
            .check
            .lets
            .iter()
            .map(|(_, _, counter)| {
                let counter = counter.as_ref()?;
                counter.natively(cx.env, &record.fields).or_else(|| {
                    let scope = scope.get_or_insert_with(|| self.check.scope(cx, &key));
                    counter.by_cel(scope, &record.fields)
                })
            })
            .collect();
        Ok((key, hits))
    }
}

impl Aggregate {
    /// CEL's error for `let` number `index` on the list of `record` alone:
    /// the error CEL gives for the whole group, whose first failing record
    /// this is.
    fn failure(
        &self,
        cx: &CheckCx<'_>,
        key: &[String],
        index: usize,
        record: &Record,
    ) -> crate::text::Text {
        let mut scope = self.scope(cx, key);
        let list = CelValue::List(std::sync::Arc::new(vec![object(&record.fields)]));
        scope.add_variable_from_value("records", list);
        match self.lets[index]
            .1
            .eval_in(&scope, cx.env, &[("records", 1)])
        {
            Err(cause) => cause,
            Ok(value) => crate::tr!(
                "the condition gave {kind} for a record",
                kind = value.type_of()
            ),
        }
    }
}

impl Stream for Tallies<'_> {
    fn feed(&mut self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let hits: Vec<Hits> = records
            .par_iter()
            .with_min_len(CHUNK)
            .map(|record| self.hits(cx, record))
            .collect();
        let mut out = Vec::new();
        for (index, (record, hits)) in records.iter().zip(hits).enumerate() {
            let (key, hits) = match hits {
                Ok(hits) => hits,
                Err(cause) => {
                    out.push(Outcome::Unjudged {
                        record: index,
                        cause,
                    });
                    continue;
                }
            };
            if !self.groups.contains_key(&key) {
                let tally = Tally {
                    first: (*record).clone(),
                    members: 0,
                    listed: Vec::new(),
                    counts: vec![Ok(0); hits.len()],
                };
                self.groups.insert(key.clone(), tally);
            }
            let Some(tally) = self.groups.get_mut(&key) else {
                continue;
            };
            if (record.pos.file, record.pos.line) < (tally.first.pos.file, tally.first.pos.line) {
                tally.first = (*record).clone();
            }
            tally.members += 1;
            // Batches come in file order, so the first ones seen are the
            // first in the file.
            if tally.listed.len() < MEMBERS_LISTED {
                tally
                    .listed
                    .push((record.key.clone(), record.pos.file, record.pos.line));
            }
            for (n, (count, hit)) in tally.counts.iter_mut().zip(hits).enumerate() {
                match hit {
                    Some(hit) => {
                        if let Ok(count) = count {
                            *count += i64::from(hit);
                        }
                    }
                    // The first record the condition fails on names the error.
                    None if count.is_ok() => {
                        *count = Err(self.check.failure(cx, &key, n, record));
                    }
                    None => {}
                }
            }
        }
        out
    }

    fn finish(self: Box<Self>, cx: &CheckCx<'_>) -> (Vec<Record>, Vec<Outcome>) {
        let groups: Vec<(Vec<String>, Tally)> = self.groups.into_iter().collect();
        let outcomes: Vec<Option<Outcome>> = groups
            .par_iter()
            .enumerate()
            .map(|(index, (key, tally))| {
                let mut value_of = |n: usize, _: &mut cel::Context<'_, 'static>| {
                    tally.counts[n].clone().map(CelValue::Int)
                };
                let scope = self.check.scope(cx, key);
                let group = (index, tally.members, tally.listed.clone());
                self.check
                    .conclude(cx.env, scope, key, group, &mut value_of)
            })
            .collect();
        let records = groups.into_iter().map(|(_, tally)| tally.first).collect();
        (records, outcomes.into_iter().flatten().collect())
    }
}
