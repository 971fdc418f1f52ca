//! The command line: parsing arguments, running a command, choosing the exit
//! code. This is the only place that prints; `output` decides where reports
//! go and `progress` draws the bar of long runs.

mod explain;
mod output;
mod progress;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::baseline::Baseline;
use crate::engine::{self, Options, Run};
use crate::finding::Severity;
use crate::problem::{Impact, Problem, Problems, did_you_mean};
use crate::report::lang::Lang;
use crate::report::{self, Summary, human::Style};
use crate::rule::{LoadedRules, load_rules};
use crate::tr;
use output::{Target, emit, parse_target};

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  the inputs could not be used (project file, rules, data, plugin integrity) or a usage error
  3  the check is incomplete (a record could not be judged, a rule crashed, a plugin failed)
When several apply, the highest code wins; whatever could be checked is still reported.
Waived findings never fail the run; with --baseline only new findings do (and,\nwith --fail-on-changed, group findings that got worse since the baseline).";

/// naleving checks the data of a public programme against declarative YAML
/// rules and reports findings that point at the exact record and line.
#[derive(Debug, Parser)]
#[command(name = "naleving", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the project's data against its rules.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Run the tests written beside the rules (inline `tests:` or `<id>.test.yaml`).
    Test {
        /// Rule files or directories; default: the project's rules.
        paths: Vec<PathBuf>,
        /// The project file, for collection keys, `as_of` and the calendar.
        #[arg(long, default_value = "naleving.yaml")]
        project: PathBuf,
    },
    /// Print the JSON Schema of the rule file format (for editors).
    Schema,
    /// Work with rule files.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Compute a deadline: a term ("5 werkdagen") or a due phrase
    /// ("voor het zomerreces 2020") from a start date, with every skipped day.
    Termijn {
        /// The start date (day 0), YYYY-MM-DD.
        #[arg(value_parser = parse_as_of)]
        start: Date,
        /// A term (`N werkdagen|dagen|weken|maanden`) or a due phrase.
        term: String,
        /// Print JSON: `{ start, term, due, skipped: [{ date, reason }], … }`.
        #[arg(long)]
        json: bool,
        /// Plain calendar arithmetic, without the Algemene termijnenwet.
        #[arg(long)]
        no_atw: bool,
        /// A project file whose calendar extensions to use (when it exists).
        #[arg(long, default_value = "naleving.yaml")]
        project: PathBuf,
    },
    /// Record today's findings, so that `check --baseline` reports only new ones.
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// Show a rule's title, severity, basis, validity and docs, or what a
    /// problem code (`data::parse`) means; `naleving explain codes` lists
    /// every code.
    Explain {
        /// The rule's id, a problem code, or `codes`.
        id: String,
        /// The project file.
        #[arg(long, default_value = "naleving.yaml")]
        project: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Load and check rule files without data (exit 2 on any problem).
    Validate {
        /// Rule files or directories; default: the project's rules.
        paths: Vec<PathBuf>,
        /// The project file, for its rule paths and collections.
        #[arg(long, default_value = "naleving.yaml")]
        project: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum BaselineCommand {
    /// Write the fingerprints of today's findings (waived ones excluded) to FILE.
    #[command(
        after_help = "Exit codes: 0 written; 2 or 3 when the check could not be completed \
(nothing is written then)."
    )]
    Write {
        /// The baseline file to write (JSON; replaced atomically).
        file: PathBuf,
        #[command(flatten)]
        run: RunArgs,
    },
}

/// What to check: shared by `check` and `baseline write`.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The project file.
    #[arg(long, default_value = "naleving.yaml")]
    project: PathBuf,
    /// Evaluate as of this date (YYYY-MM-DD); default: the project's `as_of`, else today.
    #[arg(long, value_parser = parse_as_of)]
    as_of: Option<Date>,
    /// Only run these rules (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// Only run rules over these collections (repeatable).
    #[arg(long = "collection", value_name = "NAME")]
    collections: Vec<String>,
    /// The language of the reports' and the terminal's own words and of
    /// naleving's messages (rule messages stay as written; JSON, SARIF,
    /// JUnit and GitHub output keep English).
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    lang: LangArg,
    /// Read every row of a database table and judge every rule in naleving,
    /// instead of letting the database leave out the rows the pushed-down
    /// checks certainly pass (the findings are the same).
    #[arg(long)]
    no_pushdown: bool,
    /// Digest every row of a database table in the report's manifest,
    /// however few rows the run reads (a second pass over the table), so
    /// `--verify` notices any change to it.
    #[arg(long)]
    digest_data: bool,
}

impl RunArgs {
    fn options(self, baseline: Option<PathBuf>) -> Options {
        Options {
            project: self.project,
            as_of: self.as_of,
            rules: self.rules,
            collections: self.collections,
            baseline,
            fail_on_changed: false,
            group_by: None,
            no_pushdown: self.no_pushdown,
            digest_data: self.digest_data,
        }
    }
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Output format: human, json, sarif, junit, github or html (default human).
    /// Repeatable; `FORMAT=FILE` writes that format to FILE, e.g.
    /// `--format human --format sarif=naleving.sarif`. At most one format goes
    /// to standard output.
    #[arg(long = "format", value_name = "FORMAT[=FILE]", value_parser = parse_target)]
    formats: Vec<Target>,
    /// Write the format that would go to standard output to this file instead.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The lowest severity that fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Report only findings that are not in this baseline (see `naleving baseline write`),
    /// and the group findings (aggregates) that got worse since, marked changed;
    /// fixed and still-present ones are counted in the summary.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// With --baseline: changed findings (a group that got worse) fail the run
    /// too, at or above --fail-on. Without it they are reported but do not fail.
    #[arg(long, requires = "baseline")]
    fail_on_changed: bool,
    /// Note in each finding the value of this field of its record (e.g.
    /// `regio`), and group by it: counts per group and a group filter in
    /// the HTML report, a sheet per group count in the xlsx report.
    #[arg(long, value_name = "FIELD")]
    group_by: Option<String>,
    /// Rerun the check a JSON report records (its as-of date, selection,
    /// baseline and --fail-on) and say whether the same inputs give the same
    /// report, byte for byte; what changed when not. Exit 0 verified, 1 not.
    #[arg(
        long,
        value_name = "REPORT.json",
        conflicts_with_all = ["as_of", "rules", "collections", "formats", "output", "baseline", "fail_on_changed", "fail_on", "group_by"]
    )]
    verify: Option<PathBuf>,
    /// Print what the check would read (files, database tables with the
    /// statement sent) and where each rule is judged, without reading data.
    #[arg(
        long,
        conflicts_with_all = ["verify", "formats", "output", "baseline", "fail_on"]
    )]
    plan: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    /// Nederlands.
    Nl,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for Severity {
    fn from(level: FailOn) -> Severity {
        match level {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

fn parse_as_of(text: &str) -> Result<Date, String> {
    crate::calendar::parse_date(text).ok_or_else(|| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Baseline {
            command: BaselineCommand::Write { file, run },
        } => baseline_write(&file, run),
        Command::Rules {
            command: RulesCommand::Validate { paths, project },
        } => validate(paths, project),
        Command::Explain { id, project } => explain::explain(&id, project),
        Command::Test { paths, project } => test(paths, &project),
        Command::Schema => ExitCode::from(if emit(&crate::schema::rule_schema(), None) {
            0
        } else {
            2
        }),
        Command::Termijn {
            start,
            term,
            json,
            no_atw,
            project,
        } => termijn(start, &term, json, !no_atw, &project),
    };
    // Whatever the command read from a database, its transaction ends.
    crate::data::postgres::close();
    code
}

fn check(args: CheckArgs) -> ExitCode {
    if let Some(report) = &args.verify {
        return verify::verify(report, args.run.project, Lang::from(args.run.lang));
    }
    let lang = Lang::from(args.run.lang);
    if args.plan {
        let mut options = args.run.options(None);
        options.group_by = args.group_by;
        return match engine::plan_text(&options, lang) {
            Ok(text) => {
                if emit(&text, None) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                }
            }
            Err(problems) => {
                for problem in &problems {
                    eprintln!("{}: {}", problem.code, problem.message.render(lang));
                }
                ExitCode::from(2)
            }
        };
    }
    let targets = match output::resolve(&args.formats, args.output) {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("naleving: {}", message.render(lang));
            return ExitCode::from(2);
        }
    };
    let fail_on = Severity::from(args.fail_on);
    let mut options = args.run.options(args.baseline);
    options.group_by = args.group_by;
    options.fail_on_changed = args.fail_on_changed;
    let mut bar = progress::Bar::on_terminal();
    let mut run = engine::check_with(&options, &mut bar);
    bar.finish();
    unknown_selection(&mut run, &options);
    // naleving never writes to its inputs, nor two reports to one file.
    if let Err(message) = output::guard(&targets, &run, options.baseline.as_deref()) {
        let said = tr!("{problem}; nothing was written", problem = message);
        eprintln!("naleving: {}", said.render(lang));
        return ExitCode::from(2);
    }
    let written = output::write_all(&targets, &run, fail_on, lang);
    if written && targets.iter().all(|t| t.file.is_some()) {
        // Every report went to a file: the terminal is still told how the
        // run went, and where to look.
        let paths: Vec<String> = targets
            .iter()
            .filter_map(|t| t.file.as_ref().map(|f| f.display().to_string()))
            .collect();
        eprint!("{}", report::human::summary_line(&run, fail_on, lang));
        let said = tr!("wrote {files}", files = paths.join(", "));
        eprintln!("{}", said.render(lang));
    }
    let code = if written {
        exit_code(&run, fail_on)
    } else {
        ExitCode::from(2)
    };
    // The process ends here: freeing a run of 10^6 records' findings one by
    // one takes most of a second that the operating system saves.
    std::mem::forget(run);
    code
}

/// The `--rule` and `--collection` values that name no rule or collection
/// of the project: problems of the command line, added to the run's (the
/// engine simply selects nothing for them).
fn unknown_selection(run: &mut Run, options: &Options) {
    let Some(project) = &run.project else {
        return;
    };
    let mut problems = Problems::default();
    let ids = || run.rules.rules.iter().map(|r| r.id.as_str());
    for id in &options.rules {
        if !ids().any(|known| known == id) {
            let problem =
                Problem::unusable(CliCode::UnknownRule, tr!("no rule with id `{id}`", id = id));
            problems.push(match did_you_mean(id, ids()) {
                Some(suggestion) => problem.help(suggestion),
                None => problem,
            });
        }
    }
    let names = || project.collections.keys().map(String::as_str);
    for name in &options.collections {
        if !project.collections.contains_key(name) {
            let problem = Problem::unusable(
                CliCode::UnknownCollection,
                tr!("no collection named `{name}`", name = name),
            );
            problems.push(match did_you_mean(name, names()) {
                Some(suggestion) => problem.help(suggestion),
                None => problem,
            });
        }
    }
    if let Some(name) = &options.group_by {
        let seen = || run.dataset.fields_seen.values();
        let declared = || {
            project
                .collections
                .values()
                .filter_map(|c| c.schema.as_ref())
                .flat_map(|s| s.fields.keys())
        };
        if !seen().any(|s| s.has(name)) && !declared().any(|f| f == name) {
            let known: std::collections::BTreeSet<&str> = seen()
                .flat_map(|s| s.names.iter())
                .chain(declared())
                .map(String::as_str)
                .collect();
            let problem = Problem::unusable(
                CliCode::UnknownField,
                tr!("--group-by `{name}`: no record has that field", name = name),
            );
            problems.push(match did_you_mean(name, known) {
                Some(suggestion) => problem.help(suggestion),
                None => problem.help(tr!("name a field of the records, e.g. `--group-by regio`")),
            });
        }
    }
    if problems.is_empty() {
        return;
    }
    for problem in run.problems.drain(..) {
        problems.push(problem);
    }
    run.problems = problems.into_sorted();
}

/// The exit code of a run: the highest that applies.
pub fn exit_code(run: &Run, fail_on: Severity) -> ExitCode {
    ExitCode::from(Summary::exit_code(run, fail_on))
}

fn baseline_write(file: &std::path::Path, args: RunArgs) -> ExitCode {
    let lang = Lang::from(args.lang);
    let mut bar = progress::Bar::on_terminal();
    let options = args.options(None);
    let mut run = engine::check_with(&options, &mut bar);
    bar.finish();
    unknown_selection(&mut run, &options);
    let target = Target {
        format: output::Format::Json,
        file: Some(file.to_path_buf()),
    };
    if let Err(message) = output::guard(&[target], &run, None) {
        let said = tr!("{problem}; the baseline was not written", problem = message);
        eprintln!("naleving: {}", said.render(lang));
        return ExitCode::from(2);
    }
    for problem in &run.problems {
        let place = match (&problem.path, problem.at) {
            (Some(path), Some(at)) => format!("{}:{}:{}: ", path.display(), at.line, at.column),
            (Some(path), None) => format!("{}: ", path.display()),
            _ => String::new(),
        };
        eprintln!("{place}{}: {}", problem.code, problem.message.render(lang));
    }
    // A baseline of a check that could not be completed would record too
    // little: refuse, with the exit code of the check.
    if run.problems.iter().any(|p| p.impact >= Impact::Unusable) {
        let said = tr!("the baseline was not written: the check could not be completed");
        eprintln!("naleving: {}", said.render(lang));
        return ExitCode::from(Summary::exit_code(&run, Severity::Error).max(2));
    }
    let baseline = Baseline::of(run.as_of, &run.findings, &engine::grouped_rules(&run.rules));
    if let Err(err) = baseline.write(file) {
        let said = tr!(
            "cannot write the baseline {file}: {cause}",
            file = file.display(),
            cause = err
        );
        eprintln!("naleving: {}", said.render(lang));
        return ExitCode::from(2);
    }
    let waived = run.findings.len() - baseline.entries.len();
    let said = if waived > 0 {
        tr!(
            "wrote {count} findings to {file} (as of {as_of}); {waived} waived findings left out",
            count = baseline.entries.len(),
            file = file.display(),
            as_of = run.as_of,
            waived = waived
        )
    } else {
        tr!(
            "wrote {count} findings to {file} (as of {as_of})",
            count = baseline.entries.len(),
            file = file.display(),
            as_of = run.as_of
        )
    };
    let text = format!("{}\n", said.render(lang));
    if emit(&text, None) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn validate(paths: Vec<PathBuf>, project_path: PathBuf) -> ExitCode {
    let mut problems = Problems::default();
    // Rules given by path are still checked against the project's
    // collections when there is a project file.
    let project = (paths.is_empty() || project_path.is_file())
        .then(|| crate::project::load(&project_path, &mut problems))
        .flatten();
    let (root, rule_paths) = match (&project, paths.is_empty()) {
        (Some(project), true) => (project.root.clone(), project.rules.clone()),
        (None, true) => (PathBuf::from("."), Vec::new()),
        (_, false) => (PathBuf::from("."), paths),
    };
    let collections = project.as_ref().map(|p| &p.collections);
    let loaded = load_rules(&root, &rule_paths, collections, &mut problems);
    if let Some(project) = &project {
        // Fields the rules name are checked against the data's too.
        let seen = engine::fields_seen(project);
        let rules: Vec<&crate::rule::Rule> = loaded.rules.iter().collect();
        engine::unknown_fields(&rules, project, &seen, &mut problems);
    }
    let problems = problems.into_sorted();
    let warnings = problems
        .iter()
        .filter(|p| p.impact == Impact::Warning)
        .count();
    let count = problems.len() - warnings;
    let mut text = render_problems(problems);
    let valid = loaded.rules.len();
    text.push_str(&format!(
        "{valid} of {} rule files valid · {count} problems, {warnings} warnings\n",
        loaded.files,
    ));
    if !emit(&text, None) {
        return ExitCode::from(2);
    }
    ExitCode::from(if count == 0 { 0 } else { 2 })
}

/// Problems alone (no check summary), for commands that load rules without
/// checking data.
fn render_problems(problems: Vec<crate::problem::Problem>) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let run = Run {
        as_of: jiff::civil::date(1970, 1, 1),
        as_of_source: engine::AsOfSource::Today,
        project: None,
        rules: LoadedRules::default(),
        rules_run: Vec::new(),
        dataset: Default::default(),
        findings: Vec::new(),
        problems,
        baseline: None,
        manifest: Default::default(),
    };
    let style = Style {
        lang: Lang::En,
        ..Style::plain()
    };
    let rendered = report::human::render(&run, Severity::Error, style);
    rendered
        .rsplit_once("0 findings")
        .map_or(rendered.as_str(), |(head, _)| head)
        .to_string()
}

crate::problem_codes! {
    /// The codes of problems with the command line.
    pub enum CliCode {
        /// `--rule` names no rule of the project.
        UnknownRule = "cli::unknown-rule",
        /// `--collection` names no collection of the project.
        UnknownCollection = "cli::unknown-collection",
        /// `--group-by` names a field no record of the checked collections
        /// has.
        UnknownField = "cli::unknown-field",
    }
}

fn test(paths: Vec<PathBuf>, project_path: &std::path::Path) -> ExitCode {
    let mut problems = Problems::default();
    let project = if project_path.is_file() {
        crate::project::load(project_path, &mut problems)
    } else {
        None
    };
    let (root, rule_paths) = match (&project, paths.is_empty()) {
        (Some(project), true) => (project.root.clone(), project.rules.clone()),
        (_, true) => (PathBuf::from("."), vec![PathBuf::from("rules")]),
        (_, false) => (PathBuf::from("."), paths),
    };
    let collections = project.as_ref().map(|p| &p.collections);
    let loaded = load_rules(&root, &rule_paths, collections, &mut problems);
    let calendar = calendar_of(project.as_ref(), &mut problems);
    let plugins = match &project {
        Some(project) => {
            let rules: Vec<&crate::rule::Rule> = loaded.rules.iter().collect();
            engine::plugins(project, &rules, &mut problems)
        }
        None => crate::plugin::Plugins::default(),
    };
    let env = crate::test_runner::TestEnv {
        plugins: &plugins,
        collections,
        as_of: project
            .as_ref()
            .and_then(|p| p.as_of)
            .unwrap_or_else(engine::today),
        calendar: std::sync::Arc::new(calendar),
    };
    let problems = problems.into_sorted();
    let unusable = problems.iter().any(|p| p.impact != Impact::Warning);
    let mut out = render_problems(problems);
    let (mut passed, mut failed) = (0, 0);
    for rule in &loaded.rules {
        if rule.tests.is_empty() {
            out.push_str(&format!("none  {} › no tests\n", rule.id));
        }
        for result in crate::test_runner::run_rule_tests(rule, &env) {
            if result.passed() {
                passed += 1;
                out.push_str(&format!("ok    {} › {}\n", result.rule, result.name));
            } else {
                failed += 1;
                out.push_str(&format!("FAIL  {} › {}\n", result.rule, result.name));
                for failure in &result.failures {
                    out.push_str(&format!("        {failure}\n"));
                }
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    if !emit(&out, None) {
        return ExitCode::from(2);
    }
    ExitCode::from(if failed > 0 {
        1
    } else if unusable {
        2
    } else {
        0
    })
}

/// The project's calendar, or the built-in `nl` one without a project.
fn calendar_of(
    project: Option<&crate::project::Project>,
    problems: &mut Problems,
) -> crate::calendar::Calendar {
    match project {
        Some(project) => engine::calendar(project, problems),
        None => crate::calendar::Calendar::nl().unwrap_or_default(),
    }
}

fn termijn(
    start: Date,
    text: &str,
    json: bool,
    atw: bool,
    project_path: &std::path::Path,
) -> ExitCode {
    let mut problems = Problems::default();
    let project = project_path
        .is_file()
        .then(|| crate::project::load(project_path, &mut problems))
        .flatten();
    let calendar = calendar_of(project.as_ref(), &mut problems);
    let due = match crate::calendar::resolve_termijn(start, text, &calendar, atw) {
        Ok(due) => due,
        Err(err) => {
            let report = miette::Report::new(err);
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    let text_out = if json {
        let value = serde_json::json!({
            "start": due.start.to_string(),
            "term": text,
            "due": due.due.to_string(),
            "skipped": due.skipped.iter().map(|s| serde_json::json!({
                "date": s.date.to_string(),
                "reason": s.reason,
            })).collect::<Vec<_>>(),
            "plain": due.plain.to_string(),
            "atw": match &due.atw {
                crate::calendar::AtwOutcome::NotApplicable { reason } => serde_json::json!({ "applied": false, "reason": reason }),
                crate::calendar::AtwOutcome::Applied { art1_moved, art2_extended } => serde_json::json!({
                    "applied": true, "art1_moved": art1_moved, "art2_extended": art2_extended,
                }),
            },
            "explanation": due.explanation,
        });
        let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
        out.push('\n');
        out
    } else {
        let mut out = format!("{}\n{}\n", due.due, due.explanation);
        if !due.skipped.is_empty() {
            out.push_str("overgeslagen:\n");
            for skipped in &due.skipped {
                out.push_str(&format!("  {}  {}\n", skipped.date, skipped.reason));
            }
        }
        out
    };
    if emit(&text_out, None) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
