//! The engine: from a project file to findings. It loads the project, the
//! rules and the data (collecting every problem on the way), runs each rule
//! over the records it applies to, and turns verdicts into located findings.
//!
//! A rule that panics or cannot judge a record does not stop the run: it
//! becomes a problem that marks the check incomplete, and every other rule
//! still runs.
//!
//! Last, the project's waivers mark the findings they accept, and a baseline
//! (when given) keeps only the findings it does not already hold — in that
//! order, so that a waiver is judged against every finding of the run.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use serde_json::Value;

use crate::baseline::{Baseline, Comparison};
use crate::calendar::Calendar;
use crate::check::{CheckCx, Outcome, Stream, Verdict, field, lookup_key};
use crate::data::{self, DataFile, Dataset, FileId, KeySet, LineIndex, Record, RecordPos};
use crate::expr::{CollectionsVar, Env};
use crate::finding::{Finding, Location, SourceRef, fingerprint};
use crate::plugin::Plugins;
use crate::problem::{Problem, Problems};
use crate::project::{self, Project, parse_date};
use crate::rule::{LoadedRules, Rule, load_rules};

/// What to check.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The project file.
    pub project: PathBuf,
    /// The evaluation date from the command line.
    pub as_of: Option<Date>,
    /// Only these rules (all when empty).
    pub rules: Vec<String>,
    /// Only rules over these collections (all when empty).
    pub collections: Vec<String>,
    /// Report only findings not in this baseline file.
    pub baseline: Option<PathBuf>,
}

/// Told about the steps of a run, so the CLI can show progress on long ones.
/// Every method does nothing by default.
pub trait Progress {
    /// The data is being loaded.
    fn loading(&mut self) {}
    /// `total` rules are about to run.
    fn rules(&mut self, total: usize) {
        let _ = total;
    }
    /// A rule starts.
    fn rule(&mut self, id: &str) {
        let _ = id;
    }
    /// The run is over.
    fn done(&mut self) {}
}

/// No progress reporting.
impl Progress for () {}

/// Where the evaluation date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsOfSource {
    /// `--as-of`.
    Flag,
    /// The project file's `as_of`.
    Project,
    /// The system clock.
    Today,
}

/// What one rule did in a run.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RuleRun {
    /// The rule's id (the JSON report prints it with the rule).
    #[serde(skip_serializing)]
    pub id: String,
    /// Records of its collection.
    pub records: usize,
    /// Records outside the rule's validity window, not judged.
    pub outside_window: usize,
    /// Records for which `when` was false, not judged.
    pub not_applicable: usize,
    /// Records judged.
    pub judged: usize,
    /// Findings.
    pub findings: usize,
}

/// Everything a run produced, for the renderers.
#[derive(Debug)]
pub struct Run {
    /// The evaluation date.
    pub as_of: Date,
    /// Where it came from.
    pub as_of_source: AsOfSource,
    /// The project, if its file could be read.
    pub project: Option<Project>,
    /// The rules that loaded.
    pub rules: LoadedRules,
    /// The rules that ran, with how many records each judged.
    pub rules_run: Vec<RuleRun>,
    /// The data.
    pub dataset: Dataset,
    /// Findings, sorted by path, line, column and rule.
    pub findings: Vec<Finding>,
    /// Problems with the inputs, sorted.
    pub problems: Vec<Problem>,
    /// How the findings compare with the baseline, when one was given.
    pub baseline: Option<Comparison>,
}

/// Runs a check as described by `options`.
pub fn check(options: &Options) -> Run {
    check_with(options, &mut ())
}

/// Runs a check, telling `progress` about its steps.
pub fn check_with(options: &Options, progress: &mut dyn Progress) -> Run {
    let mut problems = Problems::default();
    let project = project::load(&options.project, &mut problems);
    let as_of_today = today;
    let (as_of, as_of_source) = match (options.as_of, project.as_ref().and_then(|p| p.as_of)) {
        (Some(date), _) => (date, AsOfSource::Flag),
        (None, Some(date)) => (date, AsOfSource::Project),
        (None, None) => (as_of_today(), AsOfSource::Today),
    };
    let Some(project) = project else {
        return Run {
            as_of,
            as_of_source,
            project: None,
            rules: LoadedRules::default(),
            rules_run: Vec::new(),
            dataset: Dataset::default(),
            findings: Vec::new(),
            problems: problems.into_sorted(),
            baseline: None,
        };
    };

    let rules = load_rules(
        &project.root,
        &project.rules,
        Some(&project.collections),
        &mut problems,
    );
    for id in &options.rules {
        if !rules.rules.iter().any(|r| &r.id == id) {
            problems.push(Problem::unusable(
                "cli::unknown-rule",
                format!("no rule with id `{id}`"),
            ));
        }
    }
    for name in &options.collections {
        if !project.collections.contains_key(name) {
            problems.push(Problem::unusable(
                "cli::unknown-collection",
                format!("no collection named `{name}`"),
            ));
        }
    }
    let selected: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| options.rules.is_empty() || options.rules.contains(&r.id))
        .filter(|r| options.collections.is_empty() || options.collections.contains(&r.collection))
        .collect();

    // Load the collections the selected rules judge or read; without a rule
    // filter, every declared collection (so broken data is always reported).
    let uses_collections = reads_collections(&selected);
    let needed: BTreeSet<&str> =
        if (options.rules.is_empty() && options.collections.is_empty()) || uses_collections {
            project.collections.keys().map(String::as_str).collect()
        } else {
            selected
                .iter()
                .flat_map(|r| std::iter::once(r.collection.as_str()).chain(r.check.reads()))
                .collect()
        };
    let streamed = streamable(&selected, &needed, uses_collections);
    let to_load: Vec<&project::Collection> = needed
        .iter()
        .filter(|name| !streamed.contains(*name))
        .filter_map(|name| project.collections.get(*name))
        .collect();
    progress.loading();
    let mut dataset = data::load(&project.root, &to_load, &mut problems);

    let calendar = Arc::new(calendar(&project, &mut problems));
    progress.rules(selected.len());
    let plugins = plugins(&project, &selected, &mut problems);
    // The streamed collections go first, in their order: rules may look up
    // keys in them, indexed as they pass. Keys looked up in the resident
    // collections are indexed now.
    let mut looked_up: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
    for (collection, field) in selected.iter().flat_map(|r| r.check.looks_up()) {
        looked_up.entry(collection).or_default().insert(field);
    }
    for (collection, fields) in &looked_up {
        if streamed.contains(collection) {
            continue;
        }
        for field in fields {
            let keys = dataset.index_records(collection, *field);
            let at = (collection.to_string(), field.map(str::to_string));
            dataset.keys.insert(at, keys);
        }
    }
    let mut findings = Vec::new();
    let mut rules_run = Vec::new();
    for name in &streamed {
        let Some(collection) = project.collections.get(*name) else {
            continue;
        };
        let over: Vec<&Rule> = selected
            .iter()
            .copied()
            .filter(|r| r.collection == *name)
            .collect();
        for rule in &over {
            progress.rule(&rule.id);
        }
        let (streamed_findings, runs) = evaluate_streaming(
            &project.root,
            collection,
            &over,
            looked_up.get(name).unwrap_or(&BTreeSet::new()),
            &mut dataset,
            as_of,
            Arc::clone(&calendar),
            &plugins,
            &mut problems,
        );
        findings.extend(streamed_findings);
        rules_run.extend(runs);
    }
    let resident: Vec<&Rule> = selected
        .iter()
        .copied()
        .filter(|r| !streamed.contains(&r.collection.as_str()))
        .collect();
    let (resident_findings, resident_runs) = evaluate(
        &resident,
        &dataset,
        as_of,
        Arc::clone(&calendar),
        &plugins,
        progress,
        &mut problems,
    );
    findings.extend(resident_findings);
    rules_run.extend(resident_runs);
    if !streamed.is_empty() {
        // Back in the order of the selected rules, and of the findings.
        let order: HashMap<&str, usize> = selected
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        rules_run.sort_by_key(|run| order.get(run.id.as_str()).copied());
        sort_findings(&mut findings);
    }
    let ran: BTreeSet<&str> = selected.iter().map(|r| r.id.as_str()).collect();
    let known: BTreeSet<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    crate::waiver::apply(
        &project.waivers,
        &mut findings,
        as_of,
        &ran,
        &known,
        &mut problems,
    );
    let baseline = options.baseline.as_ref().and_then(|path| {
        Baseline::read(path, &mut problems).map(|b| b.compare(path, &mut findings, &ran))
    });
    progress.done();
    Run {
        as_of,
        as_of_source,
        project: Some(project),
        rules,
        rules_run,
        dataset,
        findings,
        problems: problems.into_sorted(),
        baseline,
    }
}

/// Today's date in the Netherlands, whatever the machine's time zone.
pub fn today() -> Date {
    jiff::Timestamp::now()
        .in_tz("Europe/Amsterdam")
        .map_or_else(|_| jiff::ZonedDateTime::now().date(), |z| z.date())
}

/// True when an expression of one of the rules reads `collections`, so the
/// run must load every collection and convert it for CEL.
fn reads_collections(rules: &[&Rule]) -> bool {
    rules.iter().any(|r| {
        r.check.uses_collections() || r.when.as_ref().is_some_and(|w| w.uses_collections())
    })
}

/// The collections the rules' expressions read as `collections.<name>`, so
/// only those are converted for CEL; `None` when some expression may read any.
fn collections_read(rules: &[&Rule]) -> Option<BTreeSet<String>> {
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

/// Runs `rules` over `dataset` as of a date: the findings, sorted by path,
/// line, column and rule, and what each rule did. Used by `check` and by
/// `naleving test`, which builds its dataset from a rule's test records.
pub fn evaluate(
    rules: &[&Rule],
    dataset: &Dataset,
    as_of: Date,
    calendar: Arc<Calendar>,
    plugins: &Plugins,
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
    let env = Env::new(as_of, Arc::clone(&calendar), collections_var.as_deref());
    let cx = CheckCx {
        dataset,
        env: &env,
        as_of,
        calendar: &calendar,
        plugins,
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

/// Findings by path, line, column, rule and fingerprint: one order for
/// every run of the same inputs.
fn sort_findings(findings: &mut [Finding]) {
    // Stable, like `sort_by`, so equal keys keep their order.
    findings.par_sort_by(|a, b| {
        (&a.location, &a.rule, &a.fingerprint).cmp(&(&b.location, &b.rule, &b.fingerprint))
    });
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

/// Streams one collection through the rules over it (per-record checks,
/// [`Stream`]s and key lookups, see [`streamable`]): each batch of records
/// is judged (or counted, or indexed) and dropped, so memory holds the
/// findings, digests of the collection's keys, the streams' state and the
/// indexes of the fields in `looked_up`, not its records. The files read
/// join `dataset.files`, the record count `dataset.streamed` and the
/// indexes `dataset.keys`.
#[allow(clippy::too_many_arguments)]
fn evaluate_streaming(
    root: &Path,
    collection: &project::Collection,
    rules: &[&Rule],
    looked_up: &BTreeSet<Option<&str>>,
    dataset: &mut Dataset,
    as_of: Date,
    calendar: Arc<Calendar>,
    plugins: &Plugins,
    problems: &mut Problems,
) -> (Vec<Finding>, Vec<RuleRun>) {
    let env = Env::new(as_of, Arc::clone(&calendar), None);
    // The checks read nothing but the record and the key indexes (of the
    // resident collections and of those streamed before).
    let lookups = Dataset {
        keys: std::mem::take(&mut dataset.keys),
        ..Dataset::default()
    };
    let cx = CheckCx {
        dataset: &lookups,
        env: &env,
        as_of,
        calendar: &calendar,
        plugins,
    };
    let mut runs: Vec<RuleRun> = rules
        .iter()
        .map(|r| RuleRun {
            id: r.id.clone(),
            ..RuleRun::default()
        })
        .collect();
    let mut unjudged: Vec<Unjudged> = rules.iter().map(|_| Unjudged::default()).collect();
    let mut streams: Vec<Option<Box<dyn Stream + '_>>> = rules
        .iter()
        .map(|r| r.check.stream(&message_fields(r)))
        .collect();
    let mut findings = Vec::new();
    let mut rule_problems = Problems::default();
    let mut sources = Sources::default();
    let first_new = dataset.files.len();
    let mut keys: Vec<KeySet> = looked_up.iter().map(|_| KeySet::default()).collect();
    let count = data::stream(
        root,
        collection,
        &mut dataset.files,
        problems,
        &mut |file, records| {
            for (keys, field) in keys.iter_mut().zip(looked_up) {
                keys.extend(records.iter().filter_map(|r| lookup_key(r, *field)));
            }
            // JSONL fields are placed afterwards, line by line; other files
            // are read whole anyway.
            let jsonl = file.format == data::Format::Jsonl;
            let each = rules
                .iter()
                .zip(&mut runs)
                .zip(&mut unjudged)
                .zip(&mut streams);
            for (((rule, stats), unjudged), stream) in each {
                let batch = Batch {
                    records,
                    file: &|_| Some(file),
                    sources: (!jsonl).then_some(&mut sources),
                    stream: stream.as_deref_mut().map(|s| s as &mut dyn Stream),
                };
                run_rule(
                    rule,
                    &cx,
                    batch,
                    stats,
                    &mut findings,
                    unjudged,
                    &mut rule_problems,
                );
            }
        },
    );
    // Checks that kept state over the batches (aggregates) judge now.
    let each = rules.iter().zip(&mut runs).zip(&mut unjudged).zip(streams);
    for (((rule, stats), unjudged), stream) in each {
        let Some(stream) = stream else {
            continue;
        };
        let before = findings.len();
        match catch_unwind(AssertUnwindSafe(|| stream.finish(&cx))) {
            Ok((records, outcomes)) => {
                let applies: Vec<&Record> = records.iter().collect();
                let sink = Sink {
                    findings: &mut findings,
                    unjudged,
                    problems: &mut rule_problems,
                };
                let file = |id| dataset.file(id);
                take_outcomes(rule, outcomes, &applies, &file, Some(&mut sources), sink);
            }
            Err(panic) => rule_problems.push(crashed(rule, &*panic)),
        }
        stats.findings += findings.len() - before;
    }
    for (rule, unjudged) in rules.iter().zip(unjudged) {
        unjudged.report(rule, &mut rule_problems);
    }
    for problem in rule_problems.into_sorted() {
        problems.push(problem);
    }
    locate_streamed(&mut findings, &dataset.files[first_new..]);
    dataset.streamed.insert(collection.name.clone(), count);
    dataset.keys = lookups.keys;
    for (keys, field) in keys.into_iter().zip(looked_up) {
        let field = field.map(str::to_string);
        dataset.keys.insert((collection.name.clone(), field), keys);
    }
    (findings, runs)
}

/// Places findings on their fields in streamed JSONL files: one pass over
/// each file, a line at a time, visiting only the lines with such findings.
fn locate_streamed(findings: &mut [Finding], files: &[DataFile]) {
    'files: for file in files.iter().filter(|f| f.format == data::Format::Jsonl) {
        let shown = file.display.to_string_lossy().replace('\\', "/");
        let mut wanted: Vec<(u32, usize)> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.field.is_some() && f.location.path == shown)
            .map(|(i, f)| (f.location.line, i))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        wanted.sort_unstable();
        let Ok(handle) = std::fs::File::open(&file.path) else {
            continue;
        };
        let mut reader = std::io::BufReader::with_capacity(1 << 20, handle);
        // The number of the line in `bytes` (0: none read yet).
        let mut number = 0u32;
        let mut bytes = Vec::new();
        for (line, index) in wanted {
            if number < line {
                if skip_lines(&mut reader, line - number - 1).is_err() {
                    continue 'files;
                }
                bytes.clear();
                match std::io::BufRead::read_until(&mut reader, b'\n', &mut bytes) {
                    Ok(n) if n > 0 => number = line,
                    _ => continue 'files,
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let text = text.trim_end_matches(['\n', '\r']);
            let finding = &mut findings[index];
            let pos = RecordPos {
                file: 0,
                line,
                column: finding.location.column,
                end_line: line,
            };
            let Some(name) = finding.field.as_deref() else {
                continue;
            };
            if let Some(at) = data::locate_field(text, file.format, &pos, name) {
                finding.location.line = at.line;
                finding.location.column = at.column;
                finding.source.field_at = Some(at);
            }
        }
    }
}

/// Reads past `n` lines without copying them.
fn skip_lines(reader: &mut impl std::io::BufRead, mut n: u32) -> std::io::Result<()> {
    while n > 0 {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let mut used = 0;
        while n > 0 {
            match memchr(b'\n', &buffer[used..]) {
                Some(at) => {
                    used += at + 1;
                    n -= 1;
                }
                None => {
                    used = buffer.len();
                    break;
                }
            }
        }
        reader.consume(used);
    }
    Ok(())
}

/// The first position of `byte` in `haystack`.
fn memchr(byte: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == byte)
}

/// Loads the plugins the selected rules use; a rule naming a plugin the
/// project does not declare is a problem in the rule file.
pub fn plugins(project: &Project, rules: &[&Rule], problems: &mut Problems) -> Plugins {
    let mut wanted: Vec<&str> = Vec::new();
    for rule in rules {
        let Some(name) = rule.check.plugin() else {
            continue;
        };
        if project.plugins.iter().any(|p| p.name == name) {
            wanted.push(name);
        } else {
            problems.push(
                Problem::unusable(
                    "rule::unknown-plugin",
                    format!(
                        "rule `{}` uses plugin `{name}`, which the project does not declare",
                        rule.id
                    ),
                )
                .in_file(&rule.path)
                .at(rule.check_at.line, rule.check_at.column)
                .help("pin it in the project file: `plugins: { name: { path, sha256 } }`"),
            );
        }
    }
    let cache = project
        .plugin_cache
        .clone()
        .or_else(crate::plugin::default_cache_dir);
    let (plugins, load_problems) = Plugins::load(&project.plugins, &wanted, cache);
    for problem in load_problems {
        let path = problem
            .path
            .as_ref()
            .map(|p| project::relative(&project.root, p));
        problems.push(Problem { path, ..problem });
    }
    plugins
}

/// The `nl` calendar, extended with the project's calendar files.
pub fn calendar(project: &Project, problems: &mut Problems) -> Calendar {
    let mut calendar = match Calendar::nl() {
        Ok(calendar) => calendar,
        Err(err) => {
            problems.push(Problem::unusable(
                "internal::calendar",
                format!("the built-in calendar is broken: {err}"),
            ));
            Calendar::empty()
        }
    };
    for path in &project.calendar_extend {
        let shown = project::relative(&project.root, path);
        match std::fs::read_to_string(path) {
            Ok(text) => {
                if let Err(err) = calendar.extend_from_yaml(&text, &shown.to_string_lossy()) {
                    let code = miette::Diagnostic::code(&err)
                        .map_or_else(|| "calendar::invalid".to_string(), |c| c.to_string());
                    let code = if code.starts_with("calendar::parse") {
                        "calendar::parse"
                    } else {
                        "calendar::invalid"
                    };
                    problems.push(Problem::unusable(code, err.to_string()).in_file(&shown));
                }
            }
            Err(err) => problems.push(
                Problem::unusable(
                    "calendar::read",
                    format!("cannot read calendar file: {err}"),
                )
                .in_file(&shown),
            ),
        }
    }
    calendar
}

/// Runs one rule: select the records it applies to, run its check, and turn
/// the outcomes into findings and problems.
/// Records to run a rule over: a whole collection, or one batch of a
/// streamed one.
struct Batch<'b> {
    records: &'b [Record],
    /// The data file of a record's `pos.file`.
    file: &'b dyn Fn(FileId) -> Option<&'b DataFile>,
    /// File texts to place findings on fields; `None` leaves that to
    /// [`locate_streamed`].
    sources: Option<&'b mut Sources>,
    /// The rule's [`Stream`] state when its check takes a streamed
    /// collection batch by batch; its outcomes come at the end.
    stream: Option<&'b mut dyn Stream>,
}

/// Runs one rule over a batch of records, adding to its statistics,
/// findings and unjudged records.
fn run_rule(
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
    } = batch;
    stats.records += records.len();
    let before = findings.len();
    let mut applies: Vec<&Record> = Vec::new();
    let selections: Vec<Selection> = if records.len() > CHUNK {
        records.par_iter().map(|r| select(rule, cx, r)).collect()
    } else {
        records.iter().map(|r| select(rule, cx, r)).collect()
    };
    for (record, selection) in records.iter().zip(selections) {
        match selection {
            Selection::Applies => applies.push(record),
            Selection::OutsideWindow => stats.outside_window += 1,
            Selection::NotApplicable => stats.not_applicable += 1,
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
            };
            take_outcomes(rule, outcomes, &applies, file, sources, sink);
        }
        Err(panic) => problems.push(crashed(rule, &*panic)),
    }
    stats.findings += findings.len() - before;
}

/// The problem of a rule whose check panicked.
fn crashed(rule: &Rule, panic: &(dyn std::any::Any + Send)) -> Problem {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Problem::incomplete(
        "internal::panic",
        format!("rule `{}` crashed: {what}", rule.id),
    )
    .in_file(&rule.path)
    .at(rule.check_at.line, rule.check_at.column)
    .help("this is a bug in naleving; the other rules still ran")
}

/// Where a rule's outcomes go.
struct Sink<'s> {
    findings: &'s mut Vec<Finding>,
    unjudged: &'s mut Unjudged,
    problems: &'s mut Problems,
}

/// Turns a check's outcomes, pointing into `applies`, into findings,
/// unjudged records and problems.
fn take_outcomes<'f>(
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
    } = sink;
    // Findings are built on all cores (message, fingerprint, location), in
    // outcome order; the file texts they need are read first.
    let mut found = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Finding(verdict) => {
                if let Some(record) = applies.get(verdict.record) {
                    let data_file = file(record.pos.file);
                    let source = match (&verdict.field, data_file, sources.as_deref_mut()) {
                        (Some(_), Some(data_file), Some(sources)) => {
                            sources.text(record.pos.file, &data_file.path)
                        }
                        _ => None,
                    };
                    found.push((verdict, *record, data_file, source));
                }
            }
            Outcome::Unjudged { record, cause } => {
                if let Some(record) = applies.get(record) {
                    unjudged.add(record, cause, file);
                }
            }
            Outcome::Failed(problem) => {
                let message = format!("rule `{}`: {}", rule.id, problem.message);
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
        .map(|(verdict, record, data_file, source)| {
            finding(rule, record, verdict, data_file, source.as_ref())
        })
        .collect();
    findings.extend(built);
}

/// Findings per parallel work item.
const FINDINGS_CHUNK: usize = 256;

/// The records a rule could not judge: how many, and the first (by file and
/// line) with its cause, for one problem per rule.
#[derive(Default)]
struct Unjudged {
    count: usize,
    first: Option<(RecordPos, String, String, PathBuf)>,
}

impl Unjudged {
    fn add<'f>(
        &mut self,
        record: &Record,
        cause: String,
        file: &dyn Fn(FileId) -> Option<&'f DataFile>,
    ) {
        self.count += 1;
        let earlier = self
            .first
            .as_ref()
            .is_some_and(|(pos, ..)| (pos.file, pos.line) <= (record.pos.file, record.pos.line));
        if !earlier {
            let path = file(record.pos.file)
                .map(|f| f.display.clone())
                .unwrap_or_default();
            self.first = Some((record.pos, record.key.clone(), cause, path));
        }
    }

    /// One `rule::eval` problem, located on the first record not judged.
    fn report(self, rule: &Rule, problems: &mut Problems) {
        let Some((pos, key, cause, path)) = self.first else {
            return;
        };
        let more = if self.count > 1 {
            format!(" (and {} more records)", self.count - 1)
        } else {
            String::new()
        };
        problems.push(
            Problem::incomplete(
                "rule::eval",
                format!(
                    "rule `{}` could not judge record `{key}`{more}: {cause}",
                    rule.id
                ),
            )
            .in_file(path)
            .at(pos.line, pos.column)
            .help("guard optional fields with `has(record.field)` in the rule's expressions"),
        );
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
    Unjudged(String),
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
        Some(Err(cause)) => Selection::Unjudged(format!("`when` failed: {cause}")),
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

/// Builds a located finding from a verdict.
fn finding(
    rule: &Rule,
    record: &Record,
    verdict: Verdict,
    file: Option<&DataFile>,
    source: Option<&Source>,
) -> Finding {
    let path = file
        .map(|f| f.display.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let field_at = match (&verdict.field, file, source) {
        (Some(name), Some(file), Some((text, index))) => {
            let from = index.from_line(text, record.pos.line);
            data::locate_field(from, file.format, &record.pos, name)
        }
        _ => None,
    };
    let (line, column) = field_at.map_or((record.pos.line, record.pos.column), |at| {
        (at.line, at.column)
    });
    let message = match &rule.message {
        Some(template) if !verdict.keep_message => interpolate(template, &verdict, record),
        _ => verdict.message.clone(),
    };
    let subject = verdict
        .subject
        .clone()
        .unwrap_or_else(|| record.key.clone());
    Finding {
        fingerprint: fingerprint(
            &rule.id,
            &rule.collection,
            &subject,
            verdict.field.as_deref(),
            verdict.discriminator.as_deref(),
        ),
        rule: rule.id.clone(),
        severity: rule.severity,
        message,
        collection: rule.collection.clone(),
        record: subject,
        location: Location { path, line, column },
        field: verdict.field,
        basis: rule.basis.clone(),
        details: verdict.details,
        waived: None,
        source: SourceRef {
            record_lines: (record.pos.line, record.pos.end_line),
            field_at,
            rule_path: rule.path.to_string_lossy().replace('\\', "/"),
            check_at: rule.check_at,
            check_kind: rule.check.kind(),
        },
    }
}

/// The top-level record fields a rule's message may read: the first part of
/// every `{{ name }}` (computed values and `record` included; keeping a few
/// names too many costs nothing).
fn message_fields(rule: &Rule) -> Vec<&str> {
    placeholders(rule.message.as_deref().unwrap_or_default())
        .map(|(_, name)| name.split('.').next().unwrap_or(name))
        .collect()
}

/// The `{{ name }}` of a message template, in order: where each is written
/// (braces included) and the name, trimmed.
fn placeholders(template: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let open = from + template[from..].find("{{")?;
        let close = open + template[open..].find("}}")?;
        from = close + 2;
        Some((open..from, template[open + 2..close].trim()))
    })
}

/// Fills `{{ name }}` from the verdict's computed values, then `record`
/// (the key), then the record's fields (dotted paths allowed). A name that
/// resolves to nothing is left as written, so the gap is visible.
pub fn interpolate(template: &str, verdict: &Verdict, record: &Record) -> String {
    let mut out = String::with_capacity(template.len());
    let mut written = 0;
    for (at, name) in placeholders(template) {
        out.push_str(&template[written..at.start]);
        let value = verdict
            .vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| (name == "record").then(|| record.key.clone()))
            .or_else(|| field(&record.fields, name).map(display_value));
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&template[at.clone()]),
        }
        written = at.end;
    }
    out.push_str(&template[written..]);
    out
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Data file texts with their line index, read on demand to place findings
/// on fields.
#[derive(Default)]
struct Sources {
    texts: HashMap<FileId, Option<Source>>,
}

/// A data file's text and where its lines start.
type Source = (Arc<str>, Arc<LineIndex>);

impl Sources {
    fn text(&mut self, id: FileId, path: &Path) -> Option<Source> {
        self.texts
            .entry(id)
            .or_insert_with(|| {
                let text: Arc<str> = std::fs::read_to_string(path).ok()?.into();
                let index = Arc::new(LineIndex::new(&text));
                Some((text, index))
            })
            .clone()
    }
}

/// Groups findings by rule id, for summaries.
pub fn by_rule(findings: &[Finding]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.rule.as_str()).or_insert(0) += 1;
    }
    counts
}
