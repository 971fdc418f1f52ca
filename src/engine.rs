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
use crate::check::{CheckCx, Outcome, Verdict, field};
use crate::data::{self, Dataset, FileId, LineIndex, Record};
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
    let to_load: Vec<&project::Collection> = needed
        .iter()
        .filter_map(|name| project.collections.get(*name))
        .collect();
    progress.loading();
    let dataset = data::load(&project.root, &to_load, &mut problems);

    let calendar = Arc::new(calendar(&project, &mut problems));
    progress.rules(selected.len());
    let plugins = plugins(&project, &selected, &mut problems);
    let (mut findings, rules_run) = evaluate(
        &selected,
        &dataset,
        as_of,
        calendar,
        &plugins,
        progress,
        &mut problems,
    );
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
    let collections_var: Option<Box<CollectionsVar<'_>>> = reads_collections(rules).then(|| {
        dataset
            .collections
            .iter()
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
        rules_run.push(run_rule(rule, &cx, &mut sources, &mut findings, problems));
    }
    findings.sort_by(|a, b| {
        (&a.location, &a.rule, &a.fingerprint).cmp(&(&b.location, &b.rule, &b.fingerprint))
    });
    (findings, rules_run)
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
fn run_rule(
    rule: &Rule,
    cx: &CheckCx<'_>,
    sources: &mut Sources,
    findings: &mut Vec<Finding>,
    problems: &mut Problems,
) -> RuleRun {
    let records = cx.dataset.records(&rule.collection);
    let mut stats = RuleRun {
        id: rule.id.clone(),
        records: records.len(),
        ..RuleRun::default()
    };
    let before = findings.len();
    let mut unjudged: Vec<(&Record, String)> = Vec::new();
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
            Selection::Unjudged(cause) => unjudged.push((record, cause)),
        }
    }
    stats.judged = applies.len();

    let outcomes = match catch_unwind(AssertUnwindSafe(|| judge(rule, cx, &applies))) {
        Ok(outcomes) => outcomes,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            problems.push(
                Problem::incomplete(
                    "internal::panic",
                    format!("rule `{}` crashed: {what}", rule.id),
                )
                .in_file(&rule.path)
                .at(rule.check_at.line, rule.check_at.column)
                .help("this is a bug in naleving; the other rules still ran"),
            );
            return stats;
        }
    };
    for outcome in outcomes {
        match outcome {
            Outcome::Finding(verdict) => {
                if let Some(record) = applies.get(verdict.record) {
                    findings.push(finding(rule, record, verdict, cx.dataset, sources));
                }
            }
            Outcome::Unjudged { record, cause } => {
                if let Some(record) = applies.get(record) {
                    unjudged.push((record, cause));
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
    if let Some((first, cause)) = unjudged
        .iter()
        .min_by_key(|(r, _)| (r.pos.file, r.pos.line))
    {
        let path = cx
            .dataset
            .file(first.pos.file)
            .map(|f| f.display.clone())
            .unwrap_or_default();
        let more = if unjudged.len() > 1 {
            format!(" (and {} more records)", unjudged.len() - 1)
        } else {
            String::new()
        };
        problems.push(
            Problem::incomplete(
                "rule::eval",
                format!(
                    "rule `{}` could not judge record `{}`{more}: {cause}",
                    rule.id, first.key
                ),
            )
            .in_file(path)
            .at(first.pos.line, first.pos.column)
            .help("guard optional fields with `has(record.field)` in the rule's expressions"),
        );
    }
    stats.findings = findings.len() - before;
    stats
}

/// Records per parallel work item: big enough that splitting costs little
/// next to judging, small enough to spread a collection over the cores.
const CHUNK: usize = 2048;

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
    dataset: &Dataset,
    sources: &mut Sources,
) -> Finding {
    let file = dataset.file(record.pos.file);
    let path = file
        .map(|f| f.display.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let field_at = match (&verdict.field, file) {
        (Some(name), Some(file)) => {
            sources
                .text(record.pos.file, &file.path)
                .and_then(|(text, index)| {
                    let from = index.from_line(&text, record.pos.line);
                    data::locate_field(from, file.format, &record.pos, name)
                })
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

/// Fills `{{ name }}` from the verdict's computed values, then `record`
/// (the key), then the record's fields (dotted paths allowed). A name that
/// resolves to nothing is left as written, so the gap is visible.
pub fn interpolate(template: &str, verdict: &Verdict, record: &Record) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = rest[open + 2..open + close].trim();
        let value = verdict
            .vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| (name == "record").then(|| record.key.clone()))
            .or_else(|| field(&record.fields, name).map(display_value));
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
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
