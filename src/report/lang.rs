//! The words of the reports people read (HTML and human), in Dutch (the
//! default) and English (`--lang en`): one table, each entry in both
//! languages, so neither can lack a word. Rule messages, titles and docs stay
//! as their authors wrote them; the machine formats (JSON, SARIF, JUnit,
//! GitHub, xlsx headers) keep their English keys.
//!
//! A text with `{name}` placeholders is filled with [`fill`]; both languages
//! of an entry name the same placeholders (a test checks it). naleving's
//! own messages — problems and their help — are translated by
//! [`crate::text`], whose Dutch catalogue is checked the same way.

pub use crate::text::{Lang, fill};

impl Lang {
    /// The words of this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    /// The HTML `lang` code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

macro_rules! words {
    ($($name:ident: $nl:literal, $en:literal;)*) => {
        /// Every word of the reports, in one language.
        #[derive(Debug)]
        pub struct Words {
            $(
                #[doc = $en]
                pub $name: &'static str,
            )*
        }

        /// Nederlands.
        pub const NL: Words = Words { $($name: $nl,)* };

        /// English.
        pub const EN: Words = Words { $($name: $en,)* };

        /// Every entry: name, Dutch, English.
        #[cfg(test)]
        fn entries() -> Vec<(&'static str, &'static str, &'static str)> {
            vec![$((stringify!($name), $nl, $en),)*]
        }
    };
}

words! {
    report_title: "Nalevingsrapport", "Compliance report";
    as_of: "peildatum", "as of";
    project: "Project", "Project";
    as_of_label: "Peildatum", "As of";
    as_of_flag: "--as-of", "--as-of";
    as_of_project: "projectbestand", "project file";
    as_of_today: "vandaag", "today";
    rules_digest: "Digest van de regels", "Rules digest";
    data_digest: "Digest van de gegevens", "Data digest";
    run_digest: "Digest van de run", "Run digest";
    tool: "Programma", "Tool";
    footer: "Geschreven door {tool}. Dezelfde invoer en peildatum geven precies dit bestand, byte voor byte; de digest van de run hierboven gaat over elke invoer in de lijst (`naleving check --verify` met het JSON-rapport voert de controle opnieuw uit).", "Written by {tool}. The same inputs and as-of date give this same file, byte for byte; the run digest above is over every input listed (`naleving check --verify` with the JSON report reruns it).";
    inputs: "Invoer ({n})", "Inputs ({n})";
    inputs_intro: "De digest van de run gaat over deze bestanden, de versie van naleving, de peildatum en de gekozen regels.", "The run digest is over these files, naleving's version, the as-of date and the rule selection.";
    kind: "Soort", "Kind";
    file: "Bestand", "File";
    summary: "Samenvatting", "Summary";
    findings_n: "bevindingen", "findings";
    errors_n: "fouten", "errors";
    warnings_n: "waarschuwingen", "warnings";
    info_n: "info", "info";
    waived_n: "geaccepteerd", "waived";
    problems_n: "problemen", "problems";
    rules_n: "regels", "rules";
    records_n: "records", "records";
    passes: "slaagt", "passes";
    fails: "faalt: {n} bevindingen", "fails: {n} findings";
    verdict: "Bij <code>--fail-on {level}</code> {verdict} de controle (geaccepteerde bevindingen laten haar nooit falen).", "At <code>--fail-on {level}</code> the check {verdict} (waived findings never fail it).";
    against_baseline: "Tegen de baseline <code>{path}</code>: {new} nieuwe en {changed} gewijzigde bevindingen (hieronder), {fixed} opgelost, {still} nog aanwezig (niet getoond).", "Against the baseline <code>{path}</code>: {new} new and {changed} changed findings (shown below), {fixed} fixed, {still} still present (not shown).";
    findings_per_rule: "Bevindingen per regel", "Findings per rule";
    finding_one: "bevinding", "finding";
    finding_many: "bevindingen", "findings";
    rules: "Regels", "Rules";
    rule: "Regel", "Rule";
    severity: "Ernst", "Severity";
    basis: "Grondslag", "Basis";
    valid: "Geldig", "Valid";
    judged: "Beoordeeld", "Judged";
    judged_of: "{judged} van {records}", "{judged} of {records}";
    not_applicable: "Niet van toepassing", "Not applicable";
    outside_window: "Buiten de periode", "Outside window";
    findings: "Bevindingen", "Findings";
    waived: "Geaccepteerd", "Waived";
    always: "altijd", "always";
    window_from_to: "{from} tot en met {until}", "{from} to {until}";
    window_from: "vanaf {from}", "from {from}";
    window_until: "tot en met {until}", "until {until}";
    findings_per: "Bevindingen per {field}", "Findings per {field}";
    no_value: "geen {field}", "no {field}";
    records_more: "Records met meer dan één bevinding", "Records with more than one finding";
    record: "Record", "Record";
    collection: "Collectie", "Collection";
    collections: "Collecties", "Collections";
    what_each_rule: "Wat elke regel controleert", "What each rule checks";
    check: "Controle", "Check";
    check_over: "<code>{kind}</code> over <code>{collection}</code>, {severity}", "<code>{kind}</code> over <code>{collection}</code>, {severity}";
    records_label: "Records", "Records";
    records_counts: "{records}: {judged} beoordeeld, {not_applicable} niet van toepassing, {outside} buiten de periode; {findings} bevindingen", "{records}: {judged} judged, {not_applicable} not applicable, {outside} outside the window; {findings} findings";
    no_docs: "(geen toelichting)", "(no docs)";
    problems: "Problemen met de invoer", "Problems with the inputs";
    impact_warning: "waarschuwing", "warning";
    help_label: "hulp", "help";
    line_column: "regel {line}, kolom {column}", "line {line}, column {column}";
    miette_help: "hulp: ", "help: ";
    miette_facts: "feit: ", "help: ";
    miette_advice: "Uitleg: ", "Advice: ";
    impact_unusable: "onbruikbaar", "unusable";
    impact_incomplete: "onvolledig", "incomplete";
    problem_records: "records: {records}", "records: {records}";
    no_findings: "Geen bevindingen.", "No findings.";
    filter_all: "alle", "all";
    filter_text: "Tekst", "Text";
    filter_placeholder: "record, melding, …", "record, message, …";
    sort_by: "Sorteren op", "Sort by";
    sort_rule: "regel", "rule";
    sort_place: "plaats", "location";
    sort_severity: "ernst", "severity";
    sort_record: "record", "record";
    sort_group: "groep", "group";
    shown: "{shown} van {total} bevindingen getoond", "{shown} of {total} findings shown";
    location: "Plaats", "Location";
    field: "Veld", "Field";
    fingerprint: "Vingerafdruk", "Fingerprint";
    waived_by: "{reason} — akkoord: {approved_by}, {until}", "{reason} — approved by {approved_by}, {until}";
    no_expiry: "zonder einddatum", "no expiry";
    until_date: "tot en met {date}", "until {date}";
    waived_badge: "geaccepteerd", "waived";
    changed_badge: "gewijzigd sinds de baseline", "changed since the baseline";
    sev_error: "fout", "error";
    sev_warning: "waarschuwing", "warning";
    sev_info: "info", "info";
    fact_start: "begin", "start";
    fact_term: "termijn", "term";
    fact_reading: "gelezen als", "read as";
    fact_reading_text: "{means} (lezing van het project: {reason})", "{means} (the project's reading: {reason})";
    fact_due: "uiterlijk", "due";
    fact_end: "gedaan op", "end";
    fact_open: "open: nog niet gedaan", "open: not done yet";
    fact_late_by: "te laat", "late by";
    fact_skipped: "overgeslagen", "skipped";
    fact_days: "{n} dagen", "{n} days";
    fact_group: "groep", "group";
    fact_norm: "norm", "norm";
    fact_records: "records", "records";
    fact_measure: "maat", "measure";
    fact_measure_error: "niet te berekenen ({error})", "cannot be computed ({error})";
    fact_higher_better: "{value} (hoger is beter)", "{value} (higher is better)";
    fact_lower_better: "{value} (lager is beter)", "{value} (lower is better)";
    fact_changed: "sinds de baseline", "since the baseline";
    fact_changed_worse: "verslechterd", "worse";
    fact_changed_other: "gewijzigd (geen maat aan beide kanten zegt wat beter is)", "changed (no measure on both sides says which way is better)";
    fact_changed_item: "{name}: {before} → {now}", "{name}: {before} → {now}";
    fact_first_listed: "{total}, de eerste {n} genoemd", "{total}, the first {n} listed";
    fact_left: "links", "left";
    fact_right: "rechts", "right";
    fact_required: "vereist", "required";
    fact_required_text: "links {operator} rechts", "left {operator} right";
    fact_not_shown: "(niet getoond: tekst uit het record)", "(not shown: text from the record)";
    fact_step: "stap", "step";
    fact_problem: "probleem", "problem";
    fact_more: "… en nog {n}", "… and {n} more";
    row: "rij", "row";
    waived_line: "geaccepteerd: {reason} (akkoord: {approved_by}, {until})", "waived: {reason} (approved by {approved_by}, {until})";
    at: "in", "at";
    verdict_from: "oordeel van regel `{rule}`", "verdict from rule `{rule}`";
    summary_line: "{findings} ({errors}, {warnings}, {info} info) van {rules} over {records} · peildatum {as_of} ({source})", "{findings} ({errors}, {warnings}, {info} info) from {rules} over {records} · as of {as_of} ({source})";
    n_finding: "{n} bevinding", "{n} finding";
    n_findings: "{n} bevindingen", "{n} findings";
    n_error: "{n} fout", "{n} error";
    n_errors: "{n} fouten", "{n} errors";
    n_warning: "{n} waarschuwing", "{n} warning";
    n_warnings: "{n} waarschuwingen", "{n} warnings";
    n_rule: "{n} regel", "{n} rule";
    n_rules: "{n} regels", "{n} rules";
    n_record: "{n} record", "{n} record";
    n_records: "{n} records", "{n} records";
    summary_waived: " · {n} geaccepteerd", " · {n} waived";
    summary_baseline: " · baseline {path}: {new} nieuw, {changed} gewijzigd, {fixed} opgelost, {still} nog aanwezig", " · baseline {path}: {new} new, {changed} changed, {fixed} fixed, {still} still present";
    judged_nothing_one: " · {n} regel beoordeelde geen record", " · {n} rule judged no record";
    judged_nothing_many: " · {n} regels beoordeelden geen record", " · {n} rules judged no record";
    problems_one: " · {n} probleem met de invoer", " · {n} problem with the inputs";
    problems_many: " · {n} problemen met de invoer", " · {n} problems with the inputs";
    what_it_checks: "wat zij controleert", "what it checks";
    at_cell: " in {path}, {cell}", " at {path}, {cell}";
    at_row: " in {path}, rij {line}", " at {path}, row {line}";
    at_table: " in {path}", " in {path}";
    at_place: " in {path}:{line}:{column}", " at {path}:{line}:{column}";
    waived_suffix: " (geaccepteerd)", " (waived)";
    changed_suffix: " (gewijzigd sinds de baseline)", " (changed since the baseline)";
    record_label: "record `{record}`", "record `{record}`";
    basis_line: "grondslag: {citation}", "basis: {citation}";
    row_line: "rij: {cells}", "row: {cells}";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}`s of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn both_languages_have_every_word_with_the_same_placeholders() {
        let entries = entries();
        assert!(entries.len() > 100);
        for (name, nl, en) in entries {
            assert!(
                !nl.trim().is_empty() && !en.trim().is_empty(),
                "{name} is empty"
            );
            assert_eq!(placeholders(nl), placeholders(en), "{name}");
        }
        assert_eq!(
            fill(NL.shown, &[("shown", "2"), ("total", "41")]),
            "2 van 41 bevindingen getoond"
        );
        // A value is not filled in again, and an unknown name stays.
        assert_eq!(
            fill(
                "{path}: {new} {other}",
                &[("path", "a{new}b"), ("new", "3")]
            ),
            "a{new}b: 3 {other}"
        );
    }
}
