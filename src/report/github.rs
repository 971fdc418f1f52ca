//! `--format github`: GitHub Actions workflow commands, which GitHub shows as
//! annotations on the data files of a pull request (SPEC §6).
//!
//! One line per finding: `::error file=…,line=…,col=…,title=RULE::MESSAGE`
//! (no line or column for a database table's record),
//! `::warning` for warnings and `::notice` for info and for waived findings.
//! Problems with the inputs get their own line, titled with their code. Text
//! is escaped as the Actions toolkit does (`escapeData`, `escapeProperty` in
//! `@actions/core`): in a message `%`, CR and LF; in a property also `:` and
//! `,`, so that a message cannot end the command early or inject another
//! one. A plain summary line closes the output.

use super::{Deadline, Summary};
use crate::engine::Run;
use crate::finding::Finding;
use crate::finding::Severity;
use crate::problem::{Impact, Problem};

/// Renders the run as workflow commands, one per line.
pub fn render(run: &Run, fail_on: Severity) -> String {
    let mut out = String::new();
    for problem in &run.problems {
        out.push_str(&problem_line(problem));
        out.push('\n');
    }
    for finding in &run.findings {
        out.push_str(&finding_line(finding));
        out.push('\n');
    }
    out.push_str(&summary_line(&Summary::of(run, fail_on), run));
    out
}

/// Escapes the message of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A command with `file`, `line`, `col` and `title` properties.
fn command(
    name: &str,
    file: Option<&str>,
    at: Option<(u32, u32)>,
    title: &str,
    message: &str,
) -> String {
    let mut properties = Vec::new();
    if let Some(file) = file {
        properties.push(format!("file={}", escape_property(file)));
        if let Some((line, column)) = at.filter(|(line, _)| *line >= 1) {
            properties.push(format!("line={line}"));
            properties.push(format!("col={}", column.max(1)));
        }
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(message)
    )
}

fn finding_line(finding: &Finding) -> String {
    let (name, mut title) = match (&finding.waived, finding.severity) {
        (Some(_), _) => ("notice", format!("{} (waived)", finding.rule)),
        (None, Severity::Error) => ("error", finding.rule.to_string()),
        (None, Severity::Warning) => ("warning", finding.rule.to_string()),
        (None, Severity::Info) => ("notice", finding.rule.to_string()),
    };
    if finding.changed.is_some() {
        title.push_str(" (changed since the baseline)");
    }
    let mut message = format!(
        "{} · {} `{}`",
        finding.message, finding.collection, finding.record
    );
    let deadline = Deadline::of(finding);
    if let Some(due) = deadline.due {
        message.push_str(&format!("\ndue: {due}"));
        if let Some(late_by) = deadline.late_by {
            message.push_str(&format!(", late by {late_by}"));
        }
    }
    if let Some(basis) = finding.basis.first() {
        message.push_str(&format!("\nbasis: {}", basis.citation));
    }
    if let Some(waived) = &finding.waived {
        message.push_str(&format!(
            "\nwaived: {} (approved by {})",
            waived.reason, waived.approved_by
        ));
    }
    if finding.changed.is_some() {
        for line in super::fact_lines(finding, 10, super::lang::Lang::En) {
            message.push('\n');
            message.push_str(&line);
        }
    }
    command(
        name,
        Some(&finding.location.path),
        finding.location.line_column(),
        &title,
        &message,
    )
}

fn problem_line(problem: &Problem) -> String {
    let name = match problem.impact {
        Impact::Warning => "warning",
        Impact::Unusable | Impact::Incomplete => "error",
    };
    let path = problem
        .path
        .as_ref()
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let mut message = problem.message.en();
    if let Some(help) = &problem.help {
        message.push_str(&format!("\nhelp: {}", help.en()));
    }
    command(
        name,
        path.as_deref(),
        problem.at.map(|at| (at.line, at.column)),
        &problem.code,
        &message,
    )
}

fn summary_line(summary: &Summary, run: &Run) -> String {
    let mut line = format!(
        "naleving: {} findings ({} errors, {} warnings, {} info), {} failing at --fail-on {} · {} waived · {} problems · as of {}",
        summary.findings,
        summary.counts.error,
        summary.counts.warning,
        summary.counts.info,
        summary.failing,
        summary.fail_on.as_str(),
        summary.waived,
        summary.problems,
        run.as_of,
    );
    if let Some(baseline) = &summary.baseline {
        line.push_str(&format!(
            " · baseline {}: {} new, {} changed, {} fixed, {} still present",
            baseline.path, baseline.new, baseline.changed, baseline.fixed, baseline.still_present
        ));
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // Escaping `%` first keeps an existing escape from being decoded.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn a_message_cannot_inject_a_command() {
        let line = command(
            "error",
            Some("d,ata:1.csv"),
            Some((3, 0)),
            "r",
            "x\n::error::injected",
        );
        assert_eq!(
            line,
            "::error file=d%2Cata%3A1.csv,line=3,col=1,title=r::x%0A::error::injected"
        );
        assert_eq!(line.lines().count(), 1);
    }
}
