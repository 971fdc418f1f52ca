//! The streaming planner: which collections a run loads, which of them
//! pass through their rules in batches and are dropped (streamed), in which
//! order, and which keys the rules look up in each (SPEC-silent; README
//! "Large data").

use std::collections::{BTreeMap, BTreeSet};

use crate::rule::Rule;

/// How a run reads its data.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan<'a> {
    /// The collections streamed, in the order to read them.
    pub streamed: Vec<&'a str>,
    /// The collections read whole and kept in memory, by name.
    pub resident: Vec<&'a str>,
    /// The keys the rules look up, per collection: the fields whose values
    /// are indexed (`None`: the collection's key).
    pub looked_up: BTreeMap<&'a str, BTreeSet<Option<&'a str>>>,
    /// The top-level fields the rules may read of each collection whose
    /// reads are bounded (see [`crate::check::Check::fields_bound`]); a collection not
    /// named here may be read for any field. A source that stores columns
    /// apart (Parquet) reads only these, the key and the fields its schema
    /// requires (a whole run adds the fields the schema declares).
    pub columns: BTreeMap<&'a str, BTreeSet<String>>,
}

impl<'a> Plan<'a> {
    /// Plans a run of `rules` over a project with the collections
    /// `declared`. With `everything` (no `--rule` or `--collection`), every
    /// declared collection is read, so broken data is always reported;
    /// otherwise only those the rules judge or read — all of them when an
    /// expression reads `collections`.
    pub fn new(rules: &[&'a Rule], declared: &[&'a str], everything: bool) -> Plan<'a> {
        let uses_collections = reads_collections(rules);
        let needed: BTreeSet<&'a str> = if everything || uses_collections {
            declared.iter().copied().collect()
        } else {
            rules
                .iter()
                .flat_map(|r| std::iter::once(r.collection.as_str()).chain(r.check.reads()))
                .filter(|name| declared.contains(name))
                .collect()
        };
        let streamed = streamable(rules, &needed, uses_collections);
        let resident = needed
            .iter()
            .copied()
            .filter(|name| !streamed.contains(name))
            .collect();
        let mut looked_up: BTreeMap<&'a str, BTreeSet<Option<&'a str>>> = BTreeMap::new();
        for (collection, field) in rules.iter().flat_map(|r| r.check.looks_up()) {
            looked_up.entry(collection).or_default().insert(field);
        }
        let columns = columns(rules, &needed, uses_collections);
        Plan {
            streamed,
            resident,
            looked_up,
            columns,
        }
    }

    /// True when `collection` is streamed.
    pub fn streams(&self, collection: &str) -> bool {
        self.streamed.contains(&collection)
    }
}

/// True when an expression of one of the rules reads `collections`, so the
/// run must load every collection and convert it for CEL.
pub(super) fn reads_collections(rules: &[&Rule]) -> bool {
    rules.iter().any(|r| {
        r.check.uses_collections() || r.when.as_ref().is_some_and(|w| w.uses_collections())
    })
}

/// The collections the rules' expressions read as `collections.<name>`, so
/// only those are converted for CEL; `None` when some expression may read any.
pub(super) fn collections_read(rules: &[&Rule]) -> Option<BTreeSet<String>> {
    let mut read = BTreeSet::new();
    for rule in rules {
        for expr in rule
            .check
            .expressions()
            .into_iter()
            .chain(rule.when.as_ref())
        {
            if expr.uses_collections() {
                read.extend(expr.collections_read()?);
            }
        }
    }
    Some(read)
}

/// The collections whose records can pass through their rules in batches
/// and be dropped (SPEC-silent; README "Large data"), in the order to read
/// them: every selected rule over them judges records one by one, takes
/// them as a [`Stream`] (a counting aggregate, a `unique`) or only looks up
/// keys in other collections (`reference`); no rule reads their records
/// from another collection, and no expression reads `collections`. A
/// collection comes after the streamed ones its rules look keys up in; one
/// that looks up its own keys, or is in a cycle of such lookups, is kept.
fn streamable<'n>(
    rules: &[&Rule],
    needed: &BTreeSet<&'n str>,
    uses_collections: bool,
) -> Vec<&'n str> {
    // Collections that expressions read as `collections.<name>` are kept;
    // all of them when some expression reads `collections` as a whole.
    let read = if uses_collections {
        match collections_read(rules) {
            Some(read) => read,
            None => return Vec::new(),
        }
    } else {
        BTreeSet::new()
    };
    let mut candidates: BTreeSet<&str> = needed
        .iter()
        .copied()
        .filter(|name| {
            // A collection no rule judges is streamed too: read, counted and
            // checked for broken records, then dropped.
            rules.iter().filter(|r| r.collection == *name).all(|r| {
                let batchable =
                    r.check.per_record() || r.check.stream(&[]).is_some() || looks_up_only(r);
                // The streamed run's expressions see no `collections`.
                batchable && !reads_collections(&[r])
            }) && !rules.iter().any(|r| reads_records(r, name))
                && !read.contains(*name)
        })
        .collect();
    let looks_up_in = |name: &str| -> BTreeSet<&str> {
        rules
            .iter()
            .filter(|r| r.collection == name)
            .flat_map(|r| r.check.looks_up().into_iter().map(|(c, _)| c))
            .collect()
    };
    let mut order: Vec<&'n str> = Vec::new();
    loop {
        let next = needed.iter().copied().find(|name| {
            candidates.contains(name)
                && !order.contains(name)
                && looks_up_in(name)
                    .iter()
                    .all(|t| !candidates.contains(t) || order.contains(t))
        });
        match next {
            Some(name) => order.push(name),
            None => {
                // What is left looks up keys in itself or in a cycle: keep
                // the first one in memory, which may free the others.
                let Some(kept) = candidates.iter().copied().find(|c| !order.contains(c)) else {
                    break;
                };
                candidates.remove(kept);
            }
        }
    }
    order
}

/// The top-level fields the rules may read of each needed collection, for
/// those where every rule's reads are bounded: what its `when`, check,
/// validity window and message name, and the fields other rules look up in
/// it. A collection an expression reads through `collections`, or whose
/// records another rule reads, may be read for anything and is left out.
fn columns<'n>(
    rules: &[&Rule],
    needed: &BTreeSet<&'n str>,
    uses_collections: bool,
) -> BTreeMap<&'n str, BTreeSet<String>> {
    let read_whole = if uses_collections {
        match collections_read(rules) {
            Some(read) => read,
            None => return BTreeMap::new(),
        }
    } else {
        BTreeSet::new()
    };
    let mut columns = BTreeMap::new();
    'collections: for &name in needed {
        if read_whole.contains(name) {
            continue;
        }
        let mut fields = BTreeSet::new();
        for rule in rules {
            if reads_records(rule, name) {
                continue 'collections;
            }
            for (collection, field) in rule.check.looks_up() {
                if let (true, Some(field)) = (collection == name, field) {
                    fields.insert(top(field).to_string());
                }
            }
            if rule.collection != name {
                continue;
            }
            let when = match &rule.when {
                Some(when) => when.record_fields(),
                None => Some(&[][..]),
            };
            let (Some(when), Some(check)) = (when, rule.check.fields_bound()) else {
                continue 'collections;
            };
            fields.extend(when.iter().map(|f| top(f).to_string()));
            fields.extend(check.iter().map(|f| top(f).to_string()));
            fields.extend(
                rule.fields_read()
                    .iter()
                    .filter(|f| f.collection == name)
                    .map(|f| f.top().to_string()),
            );
            fields.extend(
                super::findings::message_fields(rule)
                    .into_iter()
                    .map(str::to_string),
            );
        }
        columns.insert(name, fields);
    }
    columns
}

/// The top-level field of a dotted path.
fn top(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

/// True when the rule reads other collections only to look keys up in
/// them (see [`Check::looks_up`]), so it can judge a batch at a time once
/// their keys are indexed.
fn looks_up_only(rule: &Rule) -> bool {
    let looks_up = rule.check.looks_up();
    !looks_up.is_empty()
        && rule
            .check
            .reads()
            .iter()
            .all(|read| looks_up.iter().any(|(c, _)| c == read))
}

/// True when the rule reads the records of collection `name` (not only its
/// keys, see [`Check::looks_up`]), so they must be kept.
fn reads_records(rule: &Rule, name: &str) -> bool {
    rule.check.reads().contains(&name) && !rule.check.looks_up().iter().any(|(c, _)| *c == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problems;
    use crate::rule::{LoadedRules, load_rules};

    /// Rules from (id, collection, check) written to rule files and loaded.
    fn rules(specs: &[(&str, &str, &str)]) -> LoadedRules {
        let dir = tempfile::tempdir().unwrap();
        for (id, collection, check) in specs {
            let text = format!(
                "id: {id}\ntitle: t\nseverity: error\ncollection: {collection}\nbasis: [{{ citation: c }}]\ncheck:\n  {check}\n"
            );
            std::fs::write(dir.path().join(format!("{id}.yaml")), text).unwrap();
        }
        let mut problems = Problems::default();
        let loaded = load_rules(dir.path(), &[dir.path().to_path_buf()], None, &mut problems);
        let problems = problems.into_sorted();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(loaded.rules.len(), specs.len());
        loaded
    }

    /// The plan of all `loaded` rules over `declared`, as (streamed, resident).
    fn plan<'a>(loaded: &'a LoadedRules, declared: &[&'a str], everything: bool) -> Plan<'a> {
        let selected: Vec<&Rule> = loaded.rules.iter().collect();
        Plan::new(&selected, declared, everything)
    }

    const REQUIRED: &str = "required: { fields: [regio] }";

    #[test]
    fn per_record_rules_and_unjudged_collections_stream_in_name_order() {
        let loaded = rules(&[
            ("a", "meldingen", REQUIRED),
            ("b", "meldingen", "expr: record.soort == 'melding'"),
            ("c", "dossiers", "unique: { fields: [nummer] }"),
        ]);
        let plan = plan(&loaded, &["regios", "meldingen", "dossiers"], true);
        assert_eq!(plan.streamed, ["dossiers", "meldingen", "regios"]);
        assert!(plan.resident.is_empty());
        assert!(plan.looked_up.is_empty());
    }

    #[test]
    fn a_filtered_run_reads_only_what_its_rules_judge_or_read() {
        let loaded = rules(&[("a", "meldingen", "reference: { field: regio, to: regios }")]);
        let plan = plan(&loaded, &["dossiers", "meldingen", "regios"], false);
        assert_eq!(plan.streamed, ["regios", "meldingen"]);
        assert!(plan.resident.is_empty());
    }

    #[test]
    fn a_lookup_target_streams_first_and_its_keys_are_indexed() {
        let loaded = rules(&[
            ("a", "meldingen", "reference: { field: regio, to: regios }"),
            (
                "b",
                "meldingen",
                "reference: { field: gemeente, to: regios, key: gemeente }",
            ),
            (
                "c",
                "steekproef",
                "reference: { field: melding, to: meldingen }",
            ),
        ]);
        let plan = plan(&loaded, &["meldingen", "regios", "steekproef"], true);
        assert_eq!(plan.streamed, ["regios", "meldingen", "steekproef"]);
        let regios: Vec<Option<&str>> = plan.looked_up["regios"].iter().copied().collect();
        assert_eq!(regios, [None, Some("gemeente")]);
        let meldingen: Vec<Option<&str>> = plan.looked_up["meldingen"].iter().copied().collect();
        assert_eq!(meldingen, [None]);
    }

    #[test]
    fn a_collection_looking_up_its_own_keys_is_kept() {
        let loaded = rules(&[(
            "a",
            "meldingen",
            "reference: { field: vorige, to: meldingen }",
        )]);
        let plan = plan(&loaded, &["meldingen"], true);
        assert!(plan.streamed.is_empty());
        assert_eq!(plan.resident, ["meldingen"]);
    }

    #[test]
    fn in_a_cycle_of_lookups_the_first_is_kept_and_the_rest_streams() {
        let loaded = rules(&[
            ("a", "alfa", "reference: { field: b, to: beta }"),
            ("b", "beta", "reference: { field: a, to: alfa }"),
        ]);
        let plan = plan(&loaded, &["alfa", "beta"], true);
        assert_eq!(plan.streamed, ["beta"]);
        assert_eq!(plan.resident, ["alfa"]);
    }

    #[test]
    fn collections_read_by_expressions_and_rules_needing_all_records_are_kept() {
        let loaded = rules(&[
            (
                "a",
                "meldingen",
                "expr: record.regio in collections.regios.map(r, r.naam)",
            ),
            (
                "b",
                "verdeling",
                "aggregate: { group_by: [jaar], let: { som: 'sum(records.map(r, r.bedrag))' }, expr: som > 0 }",
            ),
            ("c", "dossiers", "plugin: { name: afwegingskader }"),
            ("d", "middelen", REQUIRED),
        ]);
        let declared = ["dossiers", "meldingen", "middelen", "regios", "verdeling"];
        let plan = plan(&loaded, &declared, true);
        // `meldingen` reads `collections`, `regios` is read by it: both
        // kept; so are the aggregate's and the plugin's collections.
        assert_eq!(plan.streamed, ["middelen"]);
        assert_eq!(
            plan.resident,
            ["dossiers", "meldingen", "regios", "verdeling"]
        );
    }

    #[test]
    fn columns_are_bounded_where_every_rule_names_what_it_reads() {
        let loaded = rules(&[
            ("a", "meldingen", REQUIRED),
            (
                "b",
                "meldingen",
                "expr: record.soort == 'x' && record.extra.diep > 1",
            ),
            ("c", "dossiers", "expr: size(record) > 3"),
            (
                "d",
                "dossiers",
                "reference: { field: melding, to: meldingen, key: nummer }",
            ),
            ("e", "regios", "expr: collections.kamer.size() > 0"),
        ]);
        let plan = plan(&loaded, &["dossiers", "kamer", "meldingen", "regios"], true);
        let columns: Vec<(&str, Vec<&str>)> = plan
            .columns
            .iter()
            .map(|(name, fields)| (*name, fields.iter().map(String::as_str).collect()))
            .collect();
        // `dossiers` is read whole (`record` as a whole), and so is `kamer`
        // (read through `collections`); `nummer` is looked up in meldingen.
        assert_eq!(
            columns,
            [
                ("meldingen", vec!["extra", "nummer", "regio", "soort"]),
                ("regios", vec![]),
            ]
        );
    }

    #[test]
    fn a_counting_aggregate_streams() {
        let loaded = rules(&[(
            "a",
            "meldingen",
            "aggregate: { group_by: [regio], let: { n: records.size(), laat: 'records.filter(r, r.dagen > 5).size()' }, expr: laat * 10 <= n }",
        )]);
        let plan = plan(&loaded, &["meldingen"], true);
        assert_eq!(plan.streamed, ["meldingen"]);
    }

    #[test]
    fn reading_the_whole_collections_variable_keeps_everything() {
        let loaded = rules(&[
            ("a", "meldingen", "expr: size(collections) > 0"),
            ("b", "dossiers", REQUIRED),
        ]);
        let plan = plan(&loaded, &["dossiers", "meldingen"], false);
        assert!(plan.streamed.is_empty());
        assert_eq!(plan.resident, ["dossiers", "meldingen"]);
    }
}
