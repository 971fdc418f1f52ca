//! `--format html`: one self-contained file an auditor can open, archive and
//! print (SPEC §6).
//!
//! A header with the evaluation date, the project file and the rules and data
//! digests (which pin exactly what was checked); a summary; an inline SVG bar
//! chart of findings per rule; a table per rule (severity, basis, counts) and
//! per collection; the problems with the inputs; then every finding, grouped
//! by rule, with its record key, location, message, computed deadline and the
//! days the deadline skipped. Waived findings are marked with their waiver.
//!
//! Nothing is loaded from elsewhere — no scripts, fonts, images or style
//! sheets — so the report reads the same offline and in ten years. Links to
//! the legal basis are plain anchors. Every text is escaped. The markup is
//! well-formed XML as well (a test parses it), and a print style sheet keeps
//! findings whole on paper and prints link targets.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::lang::{Lang, Words, fill};
use super::{Summary, project_name, rules_run};
use crate::engine::{AsOfSource, Run};
use crate::finding::Finding;
use crate::finding::{Basis, Severity};
use crate::problem::{Impact, Problem};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The style sheet, inline. Colours keep enough contrast in print.
const STYLE: &str = r#"
:root { --error: #b3261e; --warning: #8a5a00; --info: #1f5f99; --waived: #6b6b6b; --line: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; border-bottom: 2px solid var(--line); padding-bottom: .2em; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin: 1.4em 0 .4em; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card b { display: block; font-size: 1.5em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 5px 8px; }
th { background: #f3f3f3; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .8em; letter-spacing: .03em; }
.sev-error { color: var(--error); }
.sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
.badge { display: inline-block; border: 1px solid var(--waived); color: var(--waived); border-radius: 4px; padding: 0 5px; font-size: .8em; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
.finding.finding-error { border-left-color: var(--error); }
.finding.finding-warning { border-left-color: var(--warning); }
.finding.finding-info { border-left-color: var(--info); }
.finding.waived { border-left-color: var(--waived); background: #f7f7f7; }
.finding .msg { margin: .2em 0 .4em; color: #1b1b1b; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: 0; }
.finding dt { color: #555; }
.finding dd { margin: 0; }
ul.items { margin: 0; padding-left: 1.2em; }
.problem { margin: .3em 0; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
svg .bar-error { fill: var(--error); }
svg .bar-warning { fill: var(--warning); }
svg .bar-info { fill: var(--info); }
svg .bar-none { fill: var(--line); }
footer { margin-top: 2.5em; color: #555; font-size: .85em; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: end; background: #f3f3f3; border-radius: 6px; padding: 8px 12px; margin: .5em 0; }
.controls label { display: flex; flex-direction: column; font-size: .85em; color: #555; }
.controls output { font-weight: 600; margin-left: auto; }
.finding .rule { font-size: .9em; color: #555; }
@media print {
  .controls { display: none; }
  body { font-size: 10pt; max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  .finding, tr, svg { break-inside: avoid; }
  a { color: inherit; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .85em; word-break: break-all; }
  .finding.waived { background: none; }
}
"#;

/// Filters and sorts the findings in place; nothing is loaded, sent or
/// stored. Without it (or printed) the page shows every finding.
const SCRIPT: &str = r#"
(function () {
  var list = document.getElementById('finding-list');
  if (!list) { return; }
  var cards = Array.prototype.slice.call(list.querySelectorAll('article.finding'));
  var $ = function (id) { return document.getElementById(id); };
  var controls = $('controls');
  controls.hidden = false;
  var fields = ['f-severity', 'f-rule', 'f-collection', 'f-group', 'filter-text', 'f-sort'];
  function value(id) { var e = $(id); return e ? e.value : ''; }
  function apply() {
    var severity = value('f-severity'), rule = value('f-rule'), collection = value('f-collection');
    var group = value('f-group'), text = value('filter-text').trim().toLowerCase();
    var shown = 0;
    cards.forEach(function (card) {
      var d = card.dataset;
      var ok = (!severity || d.severity === severity) && (!rule || d.rule === rule)
        && (!collection || d.collection === collection) && (!group || d.group === group)
        && (!text || d.search.indexOf(text) !== -1);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var output = $('shown');
    output.textContent = output.getAttribute('data-template')
      .replace('{shown}', shown).replace('{total}', cards.length);
  }
  function sort() {
    var key = value('f-sort') || 'order';
    var sorted = cards.slice().sort(function (a, b) {
      var x = a.dataset[key] || '', y = b.dataset[key] || '';
      if (x !== y) { return x < y ? -1 : 1; }
      return a.dataset.order < b.dataset.order ? -1 : 1;
    });
    sorted.forEach(function (card) { list.appendChild(card); });
  }
  fields.forEach(function (id) {
    var e = $(id);
    if (!e) { return; }
    e.addEventListener(id === 'filter-text' ? 'input' : 'change', function () {
      if (id === 'f-sort') { sort(); } else { apply(); }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-set-group]'), function (link) {
    link.addEventListener('click', function () {
      var select = $('f-group');
      if (select) { select.value = link.getAttribute('data-set-group'); apply(); }
    });
  });
  apply();
})();
"#;

/// Renders the run as one HTML document.
pub fn render(run: &Run, fail_on: Severity, lang: Lang) -> String {
    let w = lang.words();
    let summary = Summary::of(run, fail_on);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />",
        lang.code()
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    let _ = writeln!(
        out,
        "<title>naleving · {} · {} {}</title>",
        escape(&project_name(run)),
        w.as_of,
        run.as_of
    );
    let _ = write!(out, "<style>{STYLE}</style>\n</head>\n<body>\n");
    header(&mut out, run, w);
    summary_section(&mut out, &summary, w);
    chart(&mut out, run, w);
    rules_table(&mut out, run, w);
    collections_table(&mut out, run, w);
    problems(&mut out, &run.problems, lang);
    groups_table(&mut out, run, w);
    records_table(&mut out, run, w);
    findings(&mut out, run, lang);
    rule_docs(&mut out, run, w);
    inputs_table(&mut out, run, w);
    if !run.findings.is_empty() {
        let _ = writeln!(out, "<script>/*<![CDATA[*/{SCRIPT}/*]]>*/</script>");
    }
    let tool = concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION"));
    let _ = write!(
        out,
        "<footer>{}</footer>\n</body>\n</html>\n",
        escape(&fill(w.footer, &[("tool", tool)]))
    );
    out
}

fn header(out: &mut String, run: &Run, w: &Words) {
    let source = match run.as_of_source {
        AsOfSource::Flag => w.as_of_flag,
        AsOfSource::Project => w.as_of_project,
        AsOfSource::Today => w.as_of_today,
    };
    let _ = write!(
        out,
        "<header>\n<h1>{title}</h1>\n<dl class=\"meta\">\n\
         <dt>{project}</dt><dd><code>{}</code></dd>\n\
         <dt>{as_of}</dt><dd>{} ({source})</dd>\n\
         <dt>{rules_digest}</dt><dd><code>{}</code></dd>\n\
         <dt>{data_digest}</dt><dd><code>{}</code></dd>\n\
         <dt>{run_digest}</dt><dd><code>{}</code></dd>\n\
         <dt>{tool}</dt><dd>{} {}</dd>\n</dl>\n</header>\n",
        escape(&project_name(run)),
        run.as_of,
        escape(&run.rules.digest),
        escape(&run.dataset.digest()),
        escape(&run.manifest.run_digest()),
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        title = w.report_title,
        project = w.project,
        as_of = w.as_of_label,
        rules_digest = w.rules_digest,
        data_digest = w.data_digest,
        run_digest = w.run_digest,
        tool = w.tool,
    );
}

/// Every input the run digest is over, each with its own digest.
fn inputs_table(out: &mut String, run: &Run, w: &Words) {
    let _ = write!(
        out,
        "<section id=\"inputs\">\n<h2>{}</h2>\n<p>{}</p>\n<table>\n\
         <thead><tr><th>{}</th><th>{}</th><th>sha256</th></tr></thead>\n<tbody>\n",
        fill(w.inputs, &[("n", &run.manifest.inputs.len().to_string())]),
        escape(w.inputs_intro),
        w.kind,
        w.file,
    );
    for input in &run.manifest.inputs {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            escape(&input.kind),
            escape(&input.path),
            escape(&input.sha256)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn summary_section(out: &mut String, summary: &Summary, w: &Words) {
    let _ = write!(
        out,
        "<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"cards\">\n",
        w.summary
    );
    let cards = [
        (w.findings_n, summary.findings),
        (w.errors_n, summary.counts.error),
        (w.warnings_n, summary.counts.warning),
        (w.info_n, summary.counts.info),
        (w.waived_n, summary.waived),
        (w.problems_n, summary.problems),
        (w.rules_n, summary.rules),
        (w.records_n, summary.records),
    ];
    for (label, count) in cards {
        let _ = writeln!(out, "<div class=\"card\"><b>{count}</b>{label}</div>");
    }
    out.push_str("</div>\n");
    let verdict = if summary.failing == 0 {
        w.passes.to_string()
    } else {
        fill(w.fails, &[("n", &summary.failing.to_string())])
    };
    let _ = writeln!(
        out,
        "<p>{}</p>",
        fill(
            w.verdict,
            &[("level", summary.fail_on.as_str()), ("verdict", &verdict)]
        )
    );
    if let Some(baseline) = &summary.baseline {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            fill(
                w.against_baseline,
                &[
                    ("path", &escape(&baseline.path)),
                    ("new", &baseline.new.to_string()),
                    ("changed", &baseline.changed.to_string()),
                    ("fixed", &baseline.fixed.to_string()),
                    ("still", &baseline.still_present.to_string()),
                ]
            )
        );
    }
    out.push_str("</section>\n");
}

/// Findings per rule id in this report (after the baseline).
fn counts_by_rule(run: &Run) -> BTreeMap<&str, (usize, usize)> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for finding in &run.findings {
        let entry = counts.entry(finding.rule.as_str()).or_default();
        entry.0 += 1;
        if finding.waived.is_some() {
            entry.1 += 1;
        }
    }
    counts
}

/// A horizontal bar chart of findings per rule, drawn in inline SVG.
fn chart(out: &mut String, run: &Run, w: &Words) {
    let ran = rules_run(run);
    if ran.is_empty() {
        return;
    }
    let counts = counts_by_rule(run);
    let max = counts.values().map(|c| c.0).max().unwrap_or(0).max(1);
    let (label_width, bar_width, row) = (300usize, 560usize, 24usize);
    let height = ran.len() * row + 8;
    let width = label_width + bar_width + 50;
    let _ = write!(
        out,
        "<section id=\"chart\">\n<h2>{title}</h2>\n\
         <svg role=\"img\" aria-label=\"{title}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n",
        title = w.findings_per_rule
    );
    for (i, (rule, _)) in ran.iter().enumerate() {
        let (count, _) = counts.get(rule.id.as_str()).copied().unwrap_or_default();
        let y = i * row + 4;
        let length = if count == 0 {
            2
        } else {
            (count * bar_width / max).max(4)
        };
        let class = if count == 0 {
            "bar-none".to_string()
        } else {
            format!("bar-{}", rule.severity.as_str())
        };
        let _ = writeln!(
            out,
            "<g><title>{id}: {count} {noun} ({severity})</title>\
             <text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{id}</text>\
             <rect class=\"{class}\" x=\"{label_width}\" y=\"{y}\" width=\"{length}\" height=\"{h}\" rx=\"2\" />\
             <text x=\"{cx}\" y=\"{ty}\">{count}</text></g>",
            id = escape(&rule.id),
            noun = if count == 1 {
                w.finding_one
            } else {
                w.finding_many
            },
            severity = rule.severity.as_str(),
            tx = label_width - 8,
            ty = y + 14,
            h = row - 8,
            cx = label_width + length + 6,
        );
    }
    out.push_str("</svg>\n</section>\n");
}

fn basis_html(basis: &[Basis]) -> String {
    basis
        .iter()
        .map(|b| match &b.url {
            // Only web and mail addresses become links (a rule file is
            // untrusted: no `javascript:` or `file:` targets).
            Some(url) if super::markdown::safe(url) => {
                format!("<a href=\"{}\">{}</a>", escape(url), escape(&b.citation))
            }
            _ => escape(&b.citation),
        })
        .collect::<Vec<_>>()
        .join("<br />")
}

fn rules_table(out: &mut String, run: &Run, w: &Words) {
    let counts = counts_by_rule(run);
    let _ = write!(
        out,
        "<section id=\"rules\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th>\
         <th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        w.rules,
        w.rule,
        w.severity,
        w.basis,
        w.valid,
        w.judged,
        w.not_applicable,
        w.outside_window,
        w.findings,
        w.waived,
    );
    for (rule, stats) in rules_run(run) {
        let (count, waived) = counts.get(rule.id.as_str()).copied().unwrap_or_default();
        let id = format!(
            "<a href=\"#doc-{0}\"><code>{0}</code></a>",
            escape(&rule.id)
        );
        let findings = if count > 0 {
            format!("<a href=\"#rule-{}\">{count}</a>", escape(&rule.id))
        } else {
            count.to_string()
        };
        let _ = writeln!(
            out,
            "<tr><td>{id}<br />{title} <span class=\"mono\">({collection})</span></td>\
             <td class=\"sev sev-{sev}\">{sev_word}</td><td>{basis}</td><td>{window}</td>\
             <td class=\"n\">{judged_of}</td><td class=\"n\">{not_applicable}</td>\
             <td class=\"n\">{outside}</td><td class=\"n\">{findings}</td><td class=\"n\">{waived}</td></tr>",
            title = escape(&rule.title),
            collection = escape(&rule.collection),
            sev = rule.severity.as_str(),
            sev_word = severity_word(rule.severity, w),
            basis = basis_html(&rule.basis),
            window = escape(&window(rule, w)),
            judged_of = fill(
                w.judged_of,
                &[
                    ("judged", &stats.judged.to_string()),
                    ("records", &stats.records.to_string())
                ]
            ),
            not_applicable = stats.not_applicable,
            outside = stats.outside_window,
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A severity in the report's language.
fn severity_word(severity: Severity, w: &Words) -> &'static str {
    match severity {
        Severity::Error => w.sev_error,
        Severity::Warning => w.sev_warning,
        Severity::Info => w.sev_info,
    }
}

/// A rule's validity window in words: `from 2019-01-01 (ontvangen_op)`.
fn window(rule: &crate::rule::Rule, w: &Words) -> String {
    let Some(valid) = &rule.valid else {
        return w.always.to_string();
    };
    let (from, until) = (
        valid.from.map(|d| d.to_string()).unwrap_or_default(),
        valid.until.map(|d| d.to_string()).unwrap_or_default(),
    );
    let range = match (valid.from, valid.until) {
        (Some(_), Some(_)) => fill(w.window_from_to, &[("from", &from), ("until", &until)]),
        (Some(_), None) => fill(w.window_from, &[("from", &from)]),
        (None, Some(_)) => fill(w.window_until, &[("until", &until)]),
        (None, None) => w.always.to_string(),
    };
    format!("{range} ({})", valid.date_field)
}

/// With `--group-by`: the findings per value of the field, by severity;
/// a group's name filters the list below to it.
fn groups_table(out: &mut String, run: &Run, w: &Words) {
    let Some(field) = &run.manifest.group_by else {
        return;
    };
    let groups = super::counts_by_group(run);
    let _ = write!(
        out,
        "<section id=\"groups\">\n<h2>{title}</h2>\n<table>\n<thead><tr><th>{field}</th>\
         <th class=\"n\">{errors}</th><th class=\"n\">{warnings}</th><th class=\"n\">{info}</th><th class=\"n\">{findings}</th></tr></thead>\n<tbody>\n",
        title = fill(w.findings_per, &[("field", &escape(field))]),
        field = escape(field),
        errors = w.errors_n,
        warnings = w.warnings_n,
        info = w.info_n,
        findings = w.findings_n,
    );
    for (group, counts) in groups {
        let (errors, warnings, info) = (counts.error, counts.warning, counts.info);
        let name = match group {
            Some(group) => format!(
                "<a href=\"#findings\" data-set-group=\"{0}\">{0}</a>",
                escape(group)
            ),
            None => format!("<i>{}</i>", fill(w.no_value, &[("field", &escape(field))])),
        };
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td class=\"n\">{errors}</td><td class=\"n\">{warnings}</td>\
             <td class=\"n\">{info}</td><td class=\"n\">{}</td></tr>",
            errors + warnings + info
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// Records with more than one finding, each with its rules: all a record's
/// findings together (the list below sorts by record, too).
fn records_table(out: &mut String, run: &Run, w: &Words) {
    let mut records: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for finding in &run.findings {
        records
            .entry((finding.collection.as_str(), finding.record.as_str()))
            .or_default()
            .push(finding.rule.as_str());
    }
    records.retain(|_, rules| rules.len() > 1);
    if records.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"records\">\n<h2>{}</h2>\n<table>\n\
         <thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        w.records_more, w.record, w.collection, w.rules
    );
    for ((collection, record), rules) in records {
        let rules: Vec<String> = rules
            .iter()
            .map(|r| format!("<a href=\"#doc-{0}\"><code>{0}</code></a>", escape(r)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(record),
            escape(collection),
            rules.join(", ")
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// What each rule that ran checks, as its author wrote it: title, check,
/// collection, window, basis, how many records it judged, found not
/// applicable or outside its window, and its docs (markdown, made safe).
fn rule_docs(out: &mut String, run: &Run, w: &Words) {
    let _ = writeln!(
        out,
        "<section id=\"rule-docs\">\n<h2>{}</h2>",
        w.what_each_rule
    );
    for (rule, stats) in rules_run(run) {
        let _ = write!(
            out,
            "<article class=\"rule-doc\" id=\"doc-{id}\">\n<h3><code>{id}</code> — {title}</h3>\n<dl>\n\
             <dt>{check_label}</dt><dd>{check}</dd>\n\
             <dt>{valid_label}</dt><dd>{window}</dd>\n<dt>{basis_label}</dt><dd>{basis}</dd>\n\
             <dt>{records_label}</dt><dd>{records}</dd>\n</dl>\n",
            id = escape(&rule.id),
            title = escape(&rule.title),
            check_label = w.check,
            check = fill(
                w.check_over,
                &[
                    ("kind", rule.check.kind()),
                    ("collection", &escape(&rule.collection)),
                    ("severity", severity_word(rule.severity, w)),
                ]
            ),
            valid_label = w.valid,
            window = escape(&window(rule, w)),
            basis_label = w.basis,
            basis = basis_html(&rule.basis),
            records_label = w.records_label,
            records = fill(
                w.records_counts,
                &[
                    ("records", &stats.records.to_string()),
                    ("judged", &stats.judged.to_string()),
                    ("not_applicable", &stats.not_applicable.to_string()),
                    ("outside", &stats.outside_window.to_string()),
                    ("findings", &stats.findings.to_string()),
                ]
            ),
        );
        match &rule.docs {
            Some(docs) => {
                let _ = write!(
                    out,
                    "<div class=\"docs\">\n{}</div>\n",
                    super::markdown::to_html(docs)
                );
            }
            None => {
                let _ = writeln!(out, "<p class=\"docs\">{}</p>", w.no_docs);
            }
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}

fn collections_table(out: &mut String, run: &Run, w: &Words) {
    let mut rows: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (name, records) in run.dataset.counts() {
        rows.entry(name).or_default().0 = records;
    }
    for (rule, _) in rules_run(run) {
        rows.entry(rule.collection.as_str()).or_default().1 += 1;
    }
    for finding in &run.findings {
        rows.entry(finding.collection.as_str()).or_default().2 += 1;
    }
    let _ = write!(
        out,
        "<section id=\"collections\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th>\
         <th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        w.collections, w.collection, w.records_label, w.rules, w.findings
    );
    for (name, (records, rules, findings)) in rows {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"n\">{records}</td><td class=\"n\">{rules}</td><td class=\"n\">{findings}</td></tr>",
            escape(name)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn problems(out: &mut String, problems: &[Problem], lang: Lang) {
    let w = lang.words();
    if problems.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section id=\"problems\">\n<h2>{}</h2>", w.problems);
    for problem in problems {
        let (class, word) = match problem.impact {
            Impact::Warning => ("sev-warning", w.impact_warning),
            Impact::Unusable => ("sev-error", w.impact_unusable),
            Impact::Incomplete => ("sev-error", w.impact_incomplete),
        };
        let place = match (&problem.path, problem.at) {
            (Some(path), Some(at)) => format!("{}:{}:{} ", path.display(), at.line, at.column),
            (Some(path), None) => format!("{} ", path.display()),
            _ => String::new(),
        };
        let mut help = problem.help.as_ref().map_or_else(String::new, |h| {
            format!("<br />{}: {}", w.help_label, escape(&h.render(lang)))
        });
        if !problem.records.is_empty() {
            let records = escape(&problem.records.join(", "));
            help.push_str(&format!(
                "<br />{}",
                fill(w.problem_records, &[("records", &records)])
            ));
        }
        let _ = writeln!(
            out,
            "<p class=\"problem\"><span class=\"sev {class}\">{word}</span> <code>{}</code> <span class=\"mono\">{}</span>{}{help}</p>",
            escape(&problem.code),
            escape(&place),
            escape(&problem.message.render(lang)),
        );
    }
    out.push_str("</section>\n");
}

fn findings(out: &mut String, run: &Run, lang: Lang) {
    let w = lang.words();
    let _ = writeln!(out, "<section id=\"findings\">\n<h2>{}</h2>", w.findings);
    if run.findings.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", w.no_findings);
        out.push_str("</section>\n");
        return;
    }
    controls(out, run, w);
    // One list, rule by rule (the order a printed report keeps); the
    // script filters and sorts it in place.
    out.push_str("<div id=\"finding-list\">\n");
    let mut order = 0;
    for (rule, _) in rules_run(run) {
        let mut first = true;
        for finding in run.findings.iter().filter(|f| f.rule == rule.id) {
            order += 1;
            let place = Place {
                first,
                order,
                group_field: run.manifest.group_by.as_deref(),
            };
            finding_html(out, finding, rule, place, lang);
            first = false;
        }
    }
    out.push_str("</div>\n</section>\n");
}

/// The filter and sort controls: hidden until the script shows them, so a
/// page without scripts (or printed) shows every finding, in rule order.
fn controls(out: &mut String, run: &Run, w: &Words) {
    let options = |values: BTreeSet<&str>| -> String {
        values
            .into_iter()
            .map(|v| format!("<option value=\"{0}\">{0}</option>", escape(v)))
            .collect()
    };
    let n = run.findings.len().to_string();
    let rules: BTreeSet<&str> = run.findings.iter().map(|f| f.rule.as_str()).collect();
    let collections: BTreeSet<&str> = run.findings.iter().map(|f| f.collection.as_str()).collect();
    let _ = write!(
        out,
        "<div class=\"controls\" id=\"controls\" hidden=\"hidden\">\n\
         <label>{severity} <select id=\"f-severity\"><option value=\"\">{all}</option>\
         <option value=\"error\">{error}</option><option value=\"warning\">{warning}</option><option value=\"info\">{info}</option></select></label>\n\
         <label>{rule} <select id=\"f-rule\"><option value=\"\">{all}</option>{rules}</select></label>\n\
         <label>{collection} <select id=\"f-collection\"><option value=\"\">{all}</option>{collections}</select></label>\n",
        severity = w.severity,
        all = w.filter_all,
        error = w.sev_error,
        warning = w.sev_warning,
        info = w.sev_info,
        rule = w.rule,
        collection = w.collection,
        rules = options(rules),
        collections = options(collections),
    );
    if let Some(field) = &run.manifest.group_by {
        let groups: BTreeSet<&str> = run
            .findings
            .iter()
            .filter_map(|f| f.group.as_deref())
            .collect();
        let _ = writeln!(
            out,
            "<label>{field} <select id=\"f-group\"><option value=\"\">{all}</option>{groups}</select></label>",
            field = escape(field),
            all = w.filter_all,
            groups = options(groups),
        );
    }
    let _ = write!(
        out,
        "<label>{text} <input id=\"filter-text\" type=\"search\" placeholder=\"{placeholder}\" /></label>\n\
         <label>{sort_by} <select id=\"f-sort\"><option value=\"order\">{by_rule}</option><option value=\"place\">{by_place}</option>\
         <option value=\"sevrank\">{by_severity}</option><option value=\"record\">{by_record}</option>{group}</select></label>\n\
         <output id=\"shown\" data-template=\"{template}\">{shown}</output>\n</div>\n",
        text = w.filter_text,
        placeholder = w.filter_placeholder,
        sort_by = w.sort_by,
        by_rule = w.sort_rule,
        by_place = w.sort_place,
        by_severity = w.sort_severity,
        by_record = w.sort_record,
        template = w.shown,
        shown = fill(w.shown, &[("shown", &n), ("total", &n)]),
        group = if run.manifest.group_by.is_some() {
            format!("<option value=\"group\">{}</option>", w.sort_group)
        } else {
            String::new()
        },
    );
}

/// Where a finding card stands in the list.
struct Place<'a> {
    /// The rule's first card (the rules table links to it).
    first: bool,
    /// Its position in rule order, for sorting back.
    order: usize,
    /// The `--group-by` field, if any.
    group_field: Option<&'a str>,
}

fn finding_html(
    out: &mut String,
    finding: &Finding,
    rule: &crate::rule::Rule,
    place_in_list: Place<'_>,
    lang: Lang,
) {
    let w = lang.words();
    let Place {
        first,
        order,
        group_field,
    } = place_in_list;
    let sev = finding.severity.as_str();
    let anchor = if first {
        format!(" id=\"rule-{}\"", escape(&rule.id))
    } else {
        String::new()
    };
    let rank = match finding.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let search = [
        finding.rule.as_str(),
        finding.collection.as_str(),
        finding.record.as_str(),
        finding.message.as_str(),
        finding.group.as_deref().unwrap_or_default(),
        finding.field.as_deref().unwrap_or_default(),
    ]
    .join(" ")
    .to_lowercase();
    // A database table's record sorts by its key.
    let place = match finding.location.line_column() {
        Some((line, column)) => format!("{} {line:010} {column:010}", finding.location.path),
        None => format!("{} {}", finding.location.path, finding.record),
    };
    let waived_class = if finding.waived.is_some() {
        " waived"
    } else {
        ""
    };
    let mut badge = if finding.waived.is_some() {
        format!(" <span class=\"badge\">{}</span>", w.waived_badge)
    } else {
        String::new()
    };
    if finding.changed.is_some() {
        let _ = write!(badge, " <span class=\"badge\">{}</span>", w.changed_badge);
    }
    let _ = write!(
        out,
        "<article class=\"finding finding-{sev}{waived_class}\"{anchor} data-order=\"{order:08}\" \
         data-severity=\"{sev}\" data-sevrank=\"{rank}\" data-rule=\"{rule_id}\" data-collection=\"{collection}\" \
         data-record=\"{record}\" data-group=\"{group}\" data-place=\"{place_key}\" data-search=\"{search}\">\n\
         <div class=\"rule\"><a href=\"#doc-{rule_id}\"><code>{rule_id}</code></a> — {title}</div>\n\
         <div><span class=\"sev sev-{sev}\">{sev_word}</span>{badge} {collection} <code>{record}</code></div>\n\
         <p class=\"msg\">{message}</p>\n<dl>\n\
         <dt>{location}</dt><dd><code>{place}</code></dd>\n",
        sev_word = severity_word(finding.severity, w),
        location = w.location,
        rule_id = escape(&rule.id),
        title = escape(&rule.title),
        collection = escape(&finding.collection),
        record = escape(&finding.record),
        group = escape(finding.group.as_deref().unwrap_or_default()),
        place_key = escape(&place),
        search = escape(&search),
        message = escape(&finding.message),
        place = escape(&finding.location.place()),
    );
    if let (Some(field), Some(group)) = (group_field, &finding.group) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(field), escape(group));
    }
    if let Some(field) = &finding.field {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd><code>{}</code></dd>",
            w.field,
            escape(field)
        );
    }
    // Every fact behind the verdict (start, term, due, end, skipped days;
    // a group's values, norm and records; a comparison's sides).
    for fact in super::facts(finding, lang) {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}",
            escape(&fact.label),
            escape(&fact.text)
        );
        if !fact.items.is_empty() {
            out.push_str("<ul class=\"items\">");
            for item in &fact.items {
                let _ = write!(out, "<li>{}</li>", escape(item));
            }
            out.push_str("</ul>");
        }
        out.push_str("</dd>\n");
    }
    if !finding.basis.is_empty() {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            w.basis,
            basis_html(&finding.basis)
        );
    }
    if let Some(waived) = &finding.waived {
        let until = waived.expires.map_or_else(
            || w.no_expiry.to_string(),
            |d| fill(w.until_date, &[("date", &d.to_string())]),
        );
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            w.waived,
            escape(&fill(
                w.waived_by,
                &[
                    ("reason", &waived.reason),
                    ("approved_by", &waived.approved_by),
                    ("until", &until),
                ]
            ))
        );
    }
    let _ = write!(
        out,
        "<dt>{}</dt><dd><code>{}</code></dd>\n</dl>\n</article>\n",
        w.fingerprint,
        escape(&finding.fingerprint)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
