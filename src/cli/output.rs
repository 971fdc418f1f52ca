//! Where the reports of a `check` go: one or more formats, each to standard
//! output or to its own file (`--format json --format sarif=out.sarif`,
//! `--output FILE` for the one that would go to standard output).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::engine::Run;
use crate::finding::Severity;
use crate::report::lang::Lang;
use crate::report::{self, human::Style};
use crate::text::Text;
use crate::tr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical diagnostics for people.
    Human,
    /// The machine-readable report.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A self-contained HTML report for auditors.
    Html,
    /// An Excel workbook of the findings, for triage (to a file only).
    Xlsx,
}

/// One report to write: a format and, unless it goes to standard output, a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The format.
    pub format: Format,
    /// The file, or `None` for standard output.
    pub file: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=FILE`.
pub fn parse_target(text: &str) -> Result<Target, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, "")) => {
            return Err(format!("no file after `{name}=`"));
        }
        Some((name, file)) => (name, Some(PathBuf::from(file))),
        None => (text, None),
    };
    let format = Format::from_str(name, true).map_err(|_| {
        format!(
            "unknown format `{name}` (expected human, json, sarif, junit, github, html or xlsx)"
        )
    })?;
    Ok(Target { format, file })
}

/// The reports to write: the `--format`s given (human when none), with
/// `--output` as the file of the one that has none. At most one report can
/// go to standard output.
pub fn resolve(formats: &[Target], output: Option<PathBuf>) -> Result<Vec<Target>, Text> {
    let mut targets = if formats.is_empty() {
        vec![Target {
            format: Format::Human,
            file: None,
        }]
    } else {
        formats.to_vec()
    };
    let to_stdout: Vec<usize> = (0..targets.len())
        .filter(|&i| targets[i].file.is_none())
        .collect();
    if to_stdout.len() > 1 {
        return Err(tr!(
            "only one format can go to standard output; give the others a file, e.g. `--format sarif=naleving.sarif`"
        ));
    }
    if let Some(output) = output {
        match to_stdout.first() {
            Some(&i) => targets[i].file = Some(output),
            None => {
                return Err(tr!(
                    "--output has no format to write: every --format names its own file"
                ));
            }
        }
    }
    if targets
        .iter()
        .any(|t| t.format == Format::Xlsx && t.file.is_none())
    {
        return Err(tr!(
            "an Excel workbook is not written to standard output: name its file, e.g. `--format xlsx=bevindingen.xlsx`"
        ));
    }
    Ok(targets)
}

/// Renders the run in one format. `to_terminal` allows colours.
pub fn render(
    format: Format,
    run: &Run,
    fail_on: Severity,
    to_terminal: bool,
    lang: Lang,
) -> String {
    match format {
        Format::Human => {
            let style = if to_terminal && std::env::var_os("NO_COLOR").is_none() {
                Style {
                    color: true,
                    width: terminal_width(),
                    lang,
                }
            } else {
                Style {
                    lang,
                    ..Style::plain()
                }
            };
            report::human::render(run, fail_on, style)
        }
        Format::Json => report::json::render(run, fail_on),
        Format::Sarif => report::sarif::render(run, fail_on),
        Format::Junit => report::junit::render(run, fail_on),
        Format::Github => report::github::render(run, fail_on),
        Format::Html => report::html::render(run, fail_on, lang),
        // Binary: written by `write_all` (and never to standard output).
        Format::Xlsx => String::new(),
    }
}

/// Refuses report files that are an input of the run (the project file, a
/// rule file, a data file, the baseline, a waivers or calendar file, a
/// plugin) or the file of another report: by the file they name, through
/// `./`, `..` and symbolic links.
pub fn guard(targets: &[Target], run: &Run, baseline: Option<&Path>) -> Result<(), Text> {
    let mut inputs: Vec<(PathBuf, Text)> = Vec::new();
    if let Some(path) = baseline {
        inputs.push((path.to_path_buf(), tr!("the baseline")));
    }
    if let Some(project) = &run.project {
        let root = &project.root;
        if let Some(file) = &project.file {
            inputs.push((file.clone(), tr!("the project file")));
        }
        for rule in &run.rules.rules {
            inputs.push((
                root.join(&rule.path),
                tr!("the rule file of `{rule}`", rule = &rule.id),
            ));
        }
        for waiver in &project.waivers {
            inputs.push((root.join(&waiver.file), tr!("a waivers file")));
        }
        for path in &project.calendar_extend {
            inputs.push((path.clone(), tr!("a calendar file")));
        }
        for plugin in &project.plugins {
            inputs.push((
                plugin.path.clone(),
                tr!("plugin `{name}`", name = &plugin.name),
            ));
        }
    }
    for file in &run.dataset.files {
        inputs.push((
            file.path.clone(),
            tr!(
                "a data file of `{collection}`",
                collection = &file.collection
            ),
        ));
    }
    let inputs: Vec<(PathBuf, Text)> = inputs
        .into_iter()
        .filter_map(|(path, what)| identity(&path).map(|id| (id, what)))
        .collect();
    let mut written: Vec<PathBuf> = Vec::new();
    for file in targets.iter().filter_map(|t| t.file.as_ref()) {
        let Some(id) = identity(file) else {
            continue;
        };
        // A device (`/dev/null`) is written in place and is nobody's input.
        if std::fs::metadata(&id).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            continue;
        }
        if let Some((_, what)) = inputs.iter().find(|(input, _)| *input == id) {
            return Err(tr!(
                "{file} is {what}: a report would overwrite it",
                file = file.display(),
                what = what.clone()
            ));
        }
        if written.contains(&id) {
            return Err(tr!(
                "{file} is named for two reports: the last would overwrite the first",
                file = file.display()
            ));
        }
        written.push(id);
    }
    Ok(())
}

/// The file a path names, as the system names it: canonical when it exists,
/// else its canonical directory joined with its name.
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok().or_else(|| {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
    })
}

/// Renders and writes every target; false when one could not be written.
pub fn write_all(targets: &[Target], run: &Run, fail_on: Severity, lang: Lang) -> bool {
    let mut ok = true;
    for target in targets {
        if target.format == Format::Json {
            // Written piece by piece: on 10^6 records the report is hundreds
            // of megabytes.
            ok &= emit_with(target.file.as_ref(), &mut |out| {
                report::json::write(run, fail_on, &mut |piece| out.write_all(piece.as_bytes()))
            });
            continue;
        }
        if target.format == Format::Xlsx {
            ok &= match report::xlsx::render(run, fail_on) {
                Ok(bytes) => emit_with(target.file.as_ref(), &mut |out| out.write_all(&bytes)),
                Err(err) => {
                    eprintln!("naleving: {err}");
                    false
                }
            };
            continue;
        }
        let to_terminal = target.file.is_none() && std::io::stdout().is_terminal();
        let text = render(target.format, run, fail_on, to_terminal, lang);
        ok &= emit(&text, target.file.as_ref());
    }
    ok
}

/// Writes a text to a file (atomically) or to standard output; false (after
/// saying why on stderr) when it could not.
pub fn emit(text: &str, file: Option<&PathBuf>) -> bool {
    emit_with(file, &mut |out| out.write_all(text.as_bytes()))
}

/// Like [`emit`], with the text written by `fill`.
fn emit_with(
    file: Option<&PathBuf>,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> bool {
    let result = match file {
        Some(path) => crate::atomic::write_with(path, &mut |out| {
            let mut buffered = std::io::BufWriter::new(out);
            fill(&mut buffered)?;
            buffered.flush()
        })
        .map_err(|err| std::io::Error::new(err.kind(), format!("{}: {err}", path.display()))),
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            fill(&mut stdout).and_then(|()| stdout.flush())
        }
    };
    match result {
        Ok(()) => true,
        Err(err) => {
            eprintln!("naleving: cannot write the report: {err}");
            false
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(format: Format, file: Option<&str>) -> Target {
        Target {
            format,
            file: file.map(PathBuf::from),
        }
    }

    #[test]
    fn format_with_and_without_a_file() {
        assert_eq!(parse_target("json"), Ok(target(Format::Json, None)));
        assert_eq!(
            parse_target("sarif=out/n.sarif"),
            Ok(target(Format::Sarif, Some("out/n.sarif")))
        );
        assert!(parse_target("sarif=").is_err());
        assert!(
            parse_target("xml")
                .unwrap_err()
                .contains("unknown format `xml`")
        );
    }

    #[test]
    fn output_goes_to_the_format_without_a_file() {
        let formats = [
            target(Format::Sarif, Some("a.sarif")),
            target(Format::Json, None),
        ];
        let resolved = resolve(&formats, Some(PathBuf::from("r.json"))).unwrap();
        assert_eq!(resolved[1], target(Format::Json, Some("r.json")));
        assert_eq!(resolve(&[], None).unwrap(), [target(Format::Human, None)]);
        assert_eq!(
            resolve(&[], Some(PathBuf::from("r.txt"))).unwrap(),
            [target(Format::Human, Some("r.txt"))]
        );
        assert!(
            resolve(
                &[target(Format::Json, None), target(Format::Html, None)],
                None
            )
            .is_err()
        );
        assert!(resolve(&formats[..1], Some(PathBuf::from("x"))).is_err());
    }
}
