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
//!
//! One job per file: [`plan`] decides which collections stream and in which
//! order; [`stream`] runs the rules over a streamed collection a batch at a
//! time; [`judge`] runs one rule over records (and a whole resident run);
//! [`findings`] builds located findings and messages; [`locate`] places them
//! on fields; [`inputs`] loads the calendar and the plugins.

mod findings;
mod inputs;
mod judge;
mod locate;
pub mod manifest;
mod plan;
mod pushdown;
mod stream;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;

pub use findings::interpolate;
pub use inputs::{calendar, plugins};
pub use judge::evaluate;
pub use plan::Plan;

use crate::baseline::{Baseline, Comparison};
use crate::calendar::Calendar;
use crate::data::{self, Dataset};
use crate::finding::Finding;
use crate::plugin::Plugins;
use crate::problem::{Impact, Problem, Problems, did_you_mean};
use crate::project::{self, Project};
use crate::rule::{LoadedRules, Rule, RuleCode, load_rules};
use crate::text::{Lang, Text};
use crate::tr;

crate::problem_codes! {
    /// The codes of naleving's own faults: a bug to report, never the user's.
    pub enum InternalCode {
        /// A check crashed on some records: a bug in naleving. The other rules still ran; the
        /// check is incomplete.
        Panic = "internal::panic",
        /// The built-in calendar data does not load: a bug in naleving.
        Calendar = "internal::calendar",
    }
}

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
    /// Report only findings not in this baseline file (and those of its
    /// groups that got worse).
    pub baseline: Option<PathBuf>,
    /// With a baseline, group findings that got worse fail the run too
    /// (`--fail-on-changed`).
    pub fail_on_changed: bool,
    /// Note in each finding the value of this field of its record, to
    /// group findings by (`--group-by regio`).
    pub group_by: Option<String>,
    /// Read every row of a database table and judge every rule in
    /// naleving, instead of pushing checks down (`--no-pushdown`).
    pub no_pushdown: bool,
    /// Digest every row of a database table, however little is read
    /// (`--digest-data`).
    pub digest_data: bool,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Every input that decided the verdicts, with its digest.
    pub manifest: manifest::Manifest,
}

/// What every rule of a run shares: the evaluation date, the calendar and
/// the plugins.
pub struct RunCx<'a> {
    /// The evaluation date.
    pub as_of: Date,
    /// The working-day calendar.
    pub calendar: Arc<Calendar>,
    /// The plugins the selected rules use.
    pub plugins: &'a Plugins,
    /// The record field findings are grouped by (`--group-by`).
    pub group_by: Option<&'a str>,
    /// Checks may be pushed down into a database (not `--no-pushdown`).
    pub push_down: bool,
    /// Digest every row of a database table (`--digest-data`).
    pub digest_data: bool,
}

/// Runs a check as described by `options`.
pub fn check(options: &Options) -> Run {
    check_with(options, &mut ())
}

/// Runs a check, telling `progress` about its steps.
pub fn check_with(options: &Options, progress: &mut dyn Progress) -> Run {
    let mut problems = Problems::default();
    let project = project::load(&options.project, &mut problems);
    let (as_of, as_of_source) = match (options.as_of, project.as_ref().and_then(|p| p.as_of)) {
        (Some(date), _) => (date, AsOfSource::Flag),
        (None, Some(date)) => (date, AsOfSource::Project),
        (None, None) => (today(), AsOfSource::Today),
    };
    let mut run = Run {
        as_of,
        as_of_source,
        project: None,
        rules: LoadedRules::default(),
        rules_run: Vec::new(),
        dataset: Dataset::default(),
        findings: Vec::new(),
        problems: Vec::new(),
        baseline: None,
        manifest: manifest::Manifest::default(),
    };
    if let Some(project) = project {
        run.rules = load_rules(
            &project.root,
            &project.rules,
            Some(&project.collections),
            &mut problems,
        );
        if run.rules.files == 0 {
            problems.push(
                Problem::unusable(
                    RuleCode::NoRules,
                    tr!("the project selects no rule: its `rules` name no rule file"),
                )
                .in_file(&options.project)
                .help(tr!(
                    "`rules: [rules]` names a directory of `<id>.yaml` rule files"
                )),
            );
        }
        run_project(options, &project, &mut run, progress, &mut problems);
        run.project = Some(project);
    }
    run.problems = problems.into_sorted();
    run.manifest = manifest::Manifest::of(options, &run);
    run
}

/// The rules `options` selects (all when it names none).
fn selected<'r>(rules: &'r LoadedRules, options: &Options) -> Vec<&'r Rule> {
    rules
        .rules
        .iter()
        .filter(|r| options.rules.is_empty() || options.rules.contains(&r.id))
        .filter(|r| options.collections.is_empty() || options.collections.contains(&r.collection))
        .collect()
}

/// Runs the selected rules of a loaded project: loads the data the plan
/// keeps, streams the rest, then applies waivers and the baseline.
fn run_project(
    options: &Options,
    project: &Project,
    run: &mut Run,
    progress: &mut dyn Progress,
    problems: &mut Problems,
) {
    let selected = selected(&run.rules, options);
    let plan = data_plan(options, project, &selected);
    let to_load: Vec<&project::Collection> = plan
        .resident
        .iter()
        .filter_map(|name| project.collections.get(*name))
        .collect();
    progress.loading();
    run.dataset = data::load(
        &project.root,
        &to_load,
        &plan.columns,
        options.digest_data,
        problems,
    );
    let calendar = Arc::new(calendar(project, problems));
    progress.rules(selected.len());
    let plugins = plugins(project, &selected, problems);
    let cx = RunCx {
        as_of: run.as_of,
        calendar,
        plugins: &plugins,
        group_by: options.group_by.as_deref(),
        push_down: !options.no_pushdown,
        digest_data: options.digest_data,
    };
    let dataset = &mut run.dataset;
    let (mut findings, rules_run) =
        run_plan(&cx, project, &plan, &selected, dataset, progress, problems);
    // Every collection is read: the database's transaction ends here.
    data::postgres::close();
    findings::place_members(&mut findings, &dataset.files);
    judged_nothing(&selected, &rules_run, problems);
    unknown_fields(&selected, project, &run.dataset, problems);
    let ran: BTreeSet<&str> = selected.iter().map(|r| r.id.as_str()).collect();
    let known: BTreeSet<&str> = run.rules.rules.iter().map(|r| r.id.as_str()).collect();
    crate::waiver::apply(
        &project.waivers,
        &mut findings,
        run.as_of,
        &ran,
        &known,
        problems,
    );
    let grouped = grouped_rules(&run.rules);
    run.baseline = options.baseline.as_ref().and_then(|path| {
        Baseline::read(path, problems).map(|b| Comparison {
            fail_on_changed: options.fail_on_changed,
            ..b.compare(path, &mut findings, &ran, &grouped)
        })
    });
    run.findings = findings;
    run.rules_run = rules_run;
    progress.done();
}

/// The rules whose findings are of a group (`aggregate`): a baseline keeps
/// what they measured, to tell a group that got worse.
pub fn grouped_rules(rules: &LoadedRules) -> BTreeSet<&str> {
    rules
        .rules
        .iter()
        .filter(|r| r.check.kind() == "aggregate")
        .map(|r| r.id.as_str())
        .collect()
}

/// A warning for each rule whose `when` or validity window left out every
/// record of a collection that has records: it checked nothing, which must
/// not read as "compliant".
fn judged_nothing(rules: &[&Rule], runs: &[RuleRun], problems: &mut Problems) {
    for run in runs {
        let Some(rule) = rules.iter().find(|r| r.id == run.id) else {
            continue;
        };
        if run.records == 0 || run.judged > 0 {
            continue;
        }
        let mut why = Vec::new();
        if run.not_applicable > 0 {
            why.push(tr!(
                "`when` was false for {count}",
                count = run.not_applicable
            ));
        }
        if run.outside_window > 0 {
            why.push(tr!(
                "{count} lie outside its validity window",
                count = run.outside_window
            ));
        }
        let why = match why.as_slice() {
            [first, second] => tr!(
                "{first}, {second}",
                first = first.clone(),
                second = second.clone()
            ),
            [only] => only.clone(),
            _ => Text::verbatim(""),
        };
        let message = if run.records == 1 {
            tr!(
                "rule `{rule}` judged none of the 1 record of `{collection}`: {why}",
                rule = &rule.id,
                collection = &rule.collection,
                why = why
            )
        } else {
            tr!(
                "rule `{rule}` judged none of the {count} records of `{collection}`: {why}",
                rule = &rule.id,
                count = run.records,
                collection = &rule.collection,
                why = why
            )
        };
        problems.push(
            Problem::warning(RuleCode::JudgedNothing, message)
                .in_file(&rule.path)
                .at(rule.check_at.line, rule.check_at.column)
                .help(tr!(
                    "check the `when` and `valid` of the rule against the data: a misspelt field or value excludes every record"
                )),
        );
    }
}

/// A warning for each field a rule reads that no record of its collection
/// has (nor the collection's schema declares), with the closest that does.
/// Collections whose schema lists every field were checked when the rules
/// loaded; collections with no records, or too many field names, are not
/// judged here.
pub fn unknown_fields(
    rules: &[&Rule],
    project: &Project,
    dataset: &Dataset,
    problems: &mut Problems,
) {
    for rule in rules {
        for read in rule.fields_read() {
            let (collection, field, place) =
                (read.collection.as_str(), read.path.as_str(), read.place);
            let schema = project
                .collections
                .get(collection)
                .and_then(|c| c.schema.as_ref());
            let Some(seen) = dataset
                .fields_seen
                .get(collection)
                .filter(|s| s.complete() && schema.is_none_or(|s| s.additional_fields))
            else {
                continue;
            };
            let top = field.split('.').next().unwrap_or(field);
            let declared = schema.is_some_and(|s| s.fields.contains_key(top));
            if seen.has(field) || (declared && !field.contains('.')) {
                continue;
            }
            let known = seen
                .names
                .iter()
                .chain(schema.into_iter().flat_map(|s| s.fields.keys()))
                .map(String::as_str);
            let hint = did_you_mean(field, known)
                .unwrap_or_else(|| tr!("check the name against the data"));
            problems.push(
                Problem::warning(
                    RuleCode::UnknownField,
                    tr!(
                        "rule `{rule}` reads `{field}` (in `{place}`), which no record of `{collection}` has",
                        rule = &rule.id,
                        field = field,
                        place = place,
                        collection = collection
                    ),
                )
                .in_file(&rule.path)
                .at(rule.check_at.line, rule.check_at.column)
                .help(hint),
            );
        }
    }
}

/// The fields seen in each of the project's collections, read the way a
/// check reads them (every record, streamed; their problems are left for
/// the check to report): what `rules validate` checks fields against.
pub fn fields_seen(project: &Project) -> Dataset {
    let mut dataset = Dataset::default();
    for collection in project.collections.values() {
        let mut ignored = Problems::default();
        let seen = dataset
            .fields_seen
            .entry(collection.name.clone())
            .or_default();
        data::stream(
            &project.root,
            collection,
            data::Reads::default(),
            &mut dataset.files,
            seen,
            &mut ignored,
            &mut |_, _, _| {},
        );
    }
    dataset
}

/// Runs the rules as planned: the keys looked up in resident collections
/// indexed first, then the streamed collections in their order (rules may
/// look up keys in them, indexed as they pass), then the resident rules.
/// The findings sorted, the rule runs in the order of `selected`.
fn run_plan(
    cx: &RunCx<'_>,
    project: &Project,
    plan: &Plan<'_>,
    selected: &[&Rule],
    dataset: &mut Dataset,
    progress: &mut dyn Progress,
    problems: &mut Problems,
) -> (Vec<Finding>, Vec<RuleRun>) {
    for (collection, fields) in &plan.looked_up {
        if plan.streams(collection) {
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
    for name in &plan.streamed {
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
        let looked_up = plan.looked_up.get(name).cloned().unwrap_or_default();
        let stream = stream::Streamed {
            root: &project.root,
            collection,
            rules: &over,
            looked_up: &looked_up,
            columns: plan.columns.get(collection.name.as_str()),
            collections: &project.collections,
        };
        let (streamed_findings, runs) = stream.evaluate(cx, dataset, problems);
        if findings.is_empty() {
            // Taken as they are: 10⁵ findings are not copied.
            findings = streamed_findings;
        } else {
            findings.extend(streamed_findings);
        }
        rules_run.extend(runs);
    }
    let resident: Vec<&Rule> = selected
        .iter()
        .copied()
        .filter(|r| !plan.streams(&r.collection))
        .collect();
    let (resident_findings, resident_runs) = evaluate(&resident, dataset, cx, progress, problems);
    findings.extend(resident_findings);
    rules_run.extend(resident_runs);
    if !plan.streamed.is_empty() {
        // Back in the order of the selected rules, and of the findings.
        let order: HashMap<&str, usize> = selected
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        rules_run.sort_by_key(|run| order.get(run.id.as_str()).copied());
        findings::sort_findings(&mut findings);
    }
    (findings, rules_run)
}

/// Today's date in the Netherlands, whatever the machine's time zone.
pub fn today() -> Date {
    jiff::Timestamp::now()
        .in_tz("Europe/Amsterdam")
        .map_or_else(|_| jiff::ZonedDateTime::now().date(), |z| z.date())
}

/// Groups findings by rule id, for summaries.
pub fn by_rule(findings: &[Finding]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.rule.as_str()).or_insert(0) += 1;
    }
    counts
}

/// `check --plan`: what a run of `options` would read and where each rule
/// runs, without reading any data; or the problems that stop it.
pub fn plan_text(options: &Options, lang: Lang) -> Result<String, Vec<Problem>> {
    let mut problems = Problems::default();
    let project = crate::project::load(&options.project, &mut problems);
    let Some(project) = project.filter(|_| !problems.any(Impact::Unusable)) else {
        return Err(problems.into_sorted());
    };
    let rules = load_rules(
        &project.root,
        &project.rules,
        Some(&project.collections),
        &mut problems,
    );
    if problems.any(Impact::Unusable) {
        return Err(problems.into_sorted());
    }
    let selected = selected(&rules, options);
    let plan = data_plan(options, &project, &selected);
    let mut out = String::new();
    let mut line = |text: Text| {
        out.push_str(&text.render(lang));
        out.push('\n');
    };
    let as_of = options
        .as_of
        .or(project.as_of)
        .unwrap_or_else(today)
        .to_string();
    // The run's calendar, for due dates computed in the database.
    let calendar = inputs::calendar(&project, &mut problems);
    // The rules judged in the database.
    let mut in_database: BTreeSet<&str> = BTreeSet::new();
    line(tr!("Collections read:"));
    for name in plan.resident.iter().chain(&plan.streamed) {
        let Some(collection) = project.collections.get(*name) else {
            continue;
        };
        let how = if plan.streams(name) {
            tr!("streamed")
        } else {
            tr!("kept in memory")
        };
        let Some(source) = &collection.postgres else {
            line(tr!(
                "  {name} ({how}): {path}",
                name = name,
                how = how,
                path = &collection.path
            ));
            continue;
        };
        line(tr!(
            "  {name} ({how}): {place}",
            name = name,
            how = how,
            place = data::postgres::location(source)
        ));
        let rules: Vec<&Rule> = selected
            .iter()
            .copied()
            .filter(|r| r.collection == **name)
            .collect();
        let looked_up = plan.looked_up.get(name).is_some_and(|l| !l.is_empty());
        let wanted = plan.columns.get(name);
        let alone = std::cell::RefCell::new(Vec::new());
        // The keys a run sends for a reference are read before the table;
        // the plan names them.
        let listed = |target: &str, field: Option<&str>| {
            plan.looked_up
                .get(target)
                .is_some_and(|fields| fields.contains(&field))
                .then(|| {
                    tr!(
                        "(the keys of `{collection}`, as the run reads them)",
                        collection = target
                    )
                    .render(lang)
                })
        };
        let push = |table: &data::postgres::Table<'_>| {
            *alone.borrow_mut() = rules
                .iter()
                .map(|r| {
                    pushdown::build(
                        &[*r],
                        &project.collections,
                        collection.schema.as_ref(),
                        (&as_of, &calendar),
                        &listed,
                        table,
                    )
                    .is_some()
                })
                .collect();
            pushdown::build(
                &rules,
                &project.collections,
                collection.schema.as_ref(),
                (&as_of, &calendar),
                &listed,
                table,
            )
        };
        let pushable = plan.streams(name) && !looked_up && !options.no_pushdown;
        let statements = data::postgres::plan(
            source,
            &collection.key,
            &|column| data::column_wanted(collection, wanted, column),
            pushable.then_some(&push as &data::postgres::Push<'_>),
        );
        match statements {
            Err(why) => line(tr!(
                "    the table's columns cannot be read, so the plan is not known: {why}",
                why = why
            )),
            Ok(statements) => match &statements.pushed {
                Some((pushed, counts)) => {
                    in_database.extend(rules.iter().map(|r| r.id.as_str()));
                    line(tr!(
                        "    checks pushed down; only the rows they may not pass are read, with: {sql}",
                        sql = &statements.read
                    ));
                    line(tr!(
                        "    the rows left in the database are counted with: {sql}",
                        sql = counts
                    ));
                    line(tr!(
                        "    parameters: {params}",
                        params = shown_params(&pushed.params, lang)
                    ));
                }
                None => {
                    line(tr!(
                        "    every row is read, with: {sql}",
                        sql = &statements.read
                    ));
                    let why = if !plan.streams(name) {
                        tr!("a rule needs every record at once")
                    } else if looked_up {
                        tr!("other rules look up its keys")
                    } else {
                        let cannot: Vec<&str> = rules
                            .iter()
                            .zip(alone.borrow().iter())
                            .filter(|(_, pushable)| !**pushable)
                            .map(|(r, _)| r.id.as_str())
                            .collect();
                        tr!(
                            "these rules have no SQL form: {rules}",
                            rules = cannot.join(", ")
                        )
                    };
                    line(tr!("    not pushed down: {why}", why = why));
                }
            },
        }
    }
    line(tr!("Rules:"));
    for rule in &selected {
        let place = if in_database.contains(rule.id.as_str()) {
            tr!("judged in the database")
        } else {
            tr!("judged in naleving")
        };
        line(tr!(
            "  {rule} ({kind} over {collection}): {place}",
            rule = &rule.id,
            kind = rule.check.kind(),
            collection = &rule.collection,
            place = place
        ));
    }
    Ok(out)
}

/// What a run of `selected` reads: the collections, streamed or kept, and
/// the columns of each (see [`Plan`]).
/// The bind parameters as `--plan` shows them: a short one whole, a long
/// one (the working days a pushed `add_term` needs, thousands of dates) as
/// its first and last characters and its length, so the plan stays
/// readable and still says what is sent.
fn shown_params(params: &[String], lang: Lang) -> String {
    const WHOLE: usize = 200;
    let shown: Vec<String> = params
        .iter()
        .enumerate()
        .map(|(i, param)| {
            let chars = param.chars().count();
            let text = if chars <= WHOLE {
                format!("{param:?}")
            } else {
                let head: String = param.chars().take(WHOLE / 2).collect();
                let tail: String = param.chars().skip(chars - WHOLE / 4).collect();
                format!("{head:?} … {tail:?} ({chars} characters)")
            };
            format!("${} = {text}", i + 1)
        })
        .collect();
    if shown.is_empty() {
        tr!("none").render(lang)
    } else {
        shown.join("; ")
    }
}

fn data_plan<'a>(options: &Options, project: &'a Project, selected: &[&'a Rule]) -> Plan<'a> {
    let declared: Vec<&str> = project.collections.keys().map(String::as_str).collect();
    let everything = options.rules.is_empty() && options.collections.is_empty();
    let mut plan = Plan::new(selected, &declared, everything);
    if let Some(field) = &options.group_by {
        // The field findings are grouped by is read wherever it is.
        let top = field.split('.').next().unwrap_or(field);
        for columns in plan.columns.values_mut() {
            columns.insert(top.to_string());
        }
    }
    if everything {
        // A whole run reports every field's fault against its schema, so
        // the fields a schema declares are read whether a rule reads them
        // or not (a run with `--rule` reads what its rules read).
        for (name, columns) in &mut plan.columns {
            let schema = project
                .collections
                .get(*name)
                .and_then(|c| c.schema.as_ref());
            columns.extend(schema.into_iter().flat_map(|s| s.fields.keys().cloned()));
        }
    }
    plan
}
