//! Loading what a run needs besides data and rules: the plugins the
//! selected rules use, and the calendar with the project's extensions.

use crate::calendar::Calendar;
use crate::calendar::CalendarCode;
use crate::engine::InternalCode;
use crate::plugin::Plugins;
use crate::problem::{Problem, Problems, relative};
use crate::project::Project;
use crate::rule::Rule;
use crate::rule::RuleCode;
use crate::tr;

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
                    RuleCode::UnknownPlugin,
                    tr!(
                        "rule `{rule}` uses plugin `{name}`, which the project does not declare",
                        rule = &rule.id,
                        name = name
                    ),
                )
                .in_file(&rule.path)
                .at(rule.check_at.line, rule.check_at.column)
                .help(tr!(
                    "pin it in the project file: `plugins: { name: { path, sha256 } }`"
                )),
            );
        }
    }
    // Never a place the project file names: see plugin::cache.
    let cache = crate::plugin::default_cache_dir();
    let (plugins, load_problems) = Plugins::load(&project.plugins, &wanted, cache);
    for problem in load_problems {
        let path = problem.path.as_ref().map(|p| relative(&project.root, p));
        problems.push(Problem { path, ..problem });
    }
    plugins
}

/// The `nl` calendar, extended with the project's calendar files, holding
/// the project's readings of due phrases (`phrases:`).
pub fn calendar(project: &Project, problems: &mut Problems) -> Calendar {
    let mut calendar = match Calendar::nl() {
        Ok(calendar) => calendar,
        Err(err) => {
            problems.push(Problem::unusable(
                InternalCode::Calendar,
                tr!(
                    "the built-in calendar is broken: {cause}",
                    cause = err.text()
                ),
            ));
            Calendar::empty()
        }
    };
    for path in &project.calendar_extend {
        let shown = relative(&project.root, path);
        match crate::read::text(path) {
            Ok(text) => {
                if let Err(err) = calendar.extend_from_yaml(&text, &shown.to_string_lossy()) {
                    for leaf in err.leaves() {
                        let mut problem =
                            Problem::unusable(leaf.problem_code(), leaf.message()).in_file(&shown);
                        if let Some(at) = leaf.at() {
                            problem = problem.at(at.line, at.column);
                        }
                        if let Some(help) = leaf.help_text() {
                            problem = problem.help(help);
                        }
                        problems.push(problem);
                    }
                }
            }
            Err(err) => problems.push(
                err.place(Problem::unusable(
                    CalendarCode::Read,
                    tr!("cannot read calendar file: {cause}", cause = err.text()),
                ))
                .in_file(&shown),
            ),
        }
    }
    calendar.set_readings(project.phrases.iter().cloned());
    calendar
}
