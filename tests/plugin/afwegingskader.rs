//! The real plugin through the host: one dossier per path of the kader, run
//! through both parts (`onderdeel: besluit`, the default, and `opvolging`).

use std::time::Instant;

use naleving::plugin::{Limits, LoadedPlugin, PluginError, PluginFinding, PluginHost};
use serde_json::{Value, json};

use super::afwegingskader_spec;

/// A dossier with all five steps dated and the given fields on top.
fn dossier(id: &str, extra: Value) -> String {
    let mut record = json!({
        "id": id, "sector": "jeugdzorg", "signaal_op": "2024-03-01",
        "stappen": { "signalen": "2024-03-01", "collegiale_consultatie": "2024-03-04",
                     "gesprek": "2024-03-06", "wegen": "2024-03-08", "beslissen": "2024-03-09" },
    });
    if let (Value::Object(r), Value::Object(e)) = (&mut record, extra) {
        r.extend(e);
    }
    record.to_string()
}

/// One dossier per path of the kader, and the (field) findings each gets.
/// The batch runs as of 2024-06-01.
fn paths() -> Vec<(String, Vec<&'static str>)> {
    let ja4 = json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"});
    let mut all_ja = ja4.clone();
    all_ja["duurzame_veiligheid"] = json!("ja");
    let mut q5_nee = ja4.clone();
    q5_nee["duurzame_veiligheid"] = json!(false);
    vec![
        (dossier("geen-afweging", json!({})), vec!["afweging"]),
        (
            dossier(
                "q1-nee-ok",
                json!({"afweging": {"vermoeden": "nee"}, "besluit": "afsluiten", "dossier_notitie": true}),
            ),
            vec![],
        ),
        (
            dossier(
                "q1-nee-fout",
                json!({"afweging": {"vermoeden": "nee"}, "besluit": "melden", "gemeld_op": "2024-03-09"}),
            ),
            vec!["dossier_notitie", "besluit"],
        ),
        (
            dossier("q1-open", json!({"afweging": {}})),
            vec!["afweging.vermoeden"],
        ),
        (
            dossier(
                "q2-ja",
                json!({"afweging": {"vermoeden": "ja", "onveiligheid": "ja"}, "besluit": "hulp"}),
            ),
            vec!["gemeld_op", "besluit"],
        ),
        (
            dossier(
                "q2-ja-gemeld",
                json!({"afweging": {"vermoeden": "ja", "onveiligheid": "ja"}, "besluit": "melden", "gemeld_op": "2024-03-09"}),
            ),
            vec![],
        ),
        (
            dossier(
                "disclosure",
                json!({"afweging": {"vermoeden": "ja"}, "disclosure": true, "besluit": "hulp", "gemeld_op": "2024-03-09"}),
            ),
            vec!["besluit"],
        ),
        (
            dossier("q2-open", json!({"afweging": {"vermoeden": "ja"}})),
            vec!["afweging.onveiligheid"],
        ),
        (
            dossier(
                "q3-nee",
                json!({"afweging": {"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "nee"}, "besluit": "melden"}),
            ),
            vec!["gemeld_op"],
        ),
        (
            dossier(
                "q4-nee",
                json!({"afweging": {"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "nee"}}),
            ),
            vec!["gemeld_op", "besluit"],
        ),
        (
            dossier(
                "q4-open",
                json!({"afweging": {"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja"}, "besluit": "hulp"}),
            ),
            vec!["afweging.hulp_aanvaard"],
        ),
        (
            dossier(
                "q5-nee",
                json!({"afweging": q5_nee.clone(), "besluit": "melden", "gemeld_op": "2024-06-01", "evaluatie_op": "2024-05-15"}),
            ),
            vec![],
        ),
        (
            dossier(
                "alles-ja",
                json!({"afweging": all_ja.clone(), "besluit": "hulp", "monitoring_afspraken": true}),
            ),
            vec![],
        ),
        (
            dossier(
                "alles-ja-toch-gemeld",
                json!({"afweging": all_ja.clone(), "besluit": "melden", "gemeld_op": "2024-03-09", "monitoring_afspraken": "ja"}),
            ),
            vec![],
        ),
        (
            dossier(
                "volgorde",
                json!({"afweging": {"vermoeden": "ja", "hulp_aanvaard": "ja"}}),
            ),
            vec!["afweging.hulp_aanvaard", "afweging.onveiligheid"],
        ),
        // Question 5 and the evaluation of the help.
        (
            dossier(
                "q5-open-hulp-loopt",
                json!({"afweging": ja4.clone(), "besluit": "hulp", "evaluatie_op": "2024-07-01"}),
            ),
            vec![],
        ),
        (
            dossier(
                "q5-open-evaluatie-verstreken",
                json!({"afweging": ja4.clone(), "besluit": "hulp", "evaluatie_op": "2024-05-31"}),
            ),
            vec!["afweging.duurzame_veiligheid"],
        ),
        (
            dossier(
                "q5-open-hulp-beeindigd",
                json!({"afweging": ja4.clone(), "besluit": "hulp", "evaluatie_op": "2024-07-01", "hulp_beeindigd_op": "2024-05-10"}),
            ),
            vec!["afweging.duurzame_veiligheid"],
        ),
        (
            dossier(
                "q5-open-zonder-evaluatiedatum",
                json!({"afweging": ja4.clone(), "besluit": "hulp"}),
            ),
            vec!["evaluatie_op"],
        ),
        (
            dossier(
                "q5-nee-gemeld-voor-evaluatie",
                json!({"afweging": q5_nee, "besluit": "melden_en_hulp", "gemeld_op": "2024-03-09", "evaluatie_op": "2024-05-15"}),
            ),
            vec!["gemeld_op"],
        ),
        (
            dossier(
                "q5-ja-zonder-monitoring",
                json!({"afweging": all_ja, "besluit": "hulp", "hulp_beeindigd_op": "2024-05-15"}),
            ),
            vec!["monitoring_afspraken"],
        ),
        // Melden and help together, and a disclosure against question 1.
        (
            dossier(
                "melden-en-hulp",
                json!({"afweging": {"vermoeden": "ja", "onveiligheid": "ja"}, "besluit": "melden_en_hulp", "gemeld_op": "2024-03-09"}),
            ),
            vec![],
        ),
        (
            dossier(
                "melden-en-hulp-zonder-datum",
                json!({"afweging": ja4, "besluit": "melden_en_hulp", "evaluatie_op": "2024-07-01"}),
            ),
            vec!["gemeld_op"],
        ),
        (
            dossier(
                "disclosure-geen-vermoeden",
                json!({"afweging": {"vermoeden": "nee"}, "disclosure": true, "besluit": "afsluiten", "dossier_notitie": true}),
            ),
            vec!["afweging.vermoeden", "gemeld_op", "besluit"],
        ),
        (
            dossier(
                "ongeldige-vervolgvelden",
                json!({"afweging": {"vermoeden": "nee"}, "besluit": "afsluiten", "dossier_notitie": true,
                       "evaluatie_op": "volgende week", "hulp_beeindigd_op": 3, "monitoring_afspraken": "misschien"}),
            ),
            vec!["evaluatie_op", "hulp_beeindigd_op", "monitoring_afspraken"],
        ),
    ]
}

/// The params of the follow-up of question 5.
const OPVOLGING: &str = r#"{"onderdeel": "opvolging"}"#;

/// The findings of both parts on one batch, in record order (the decision's
/// first for each record), after checking that no field of a record has a
/// finding from both: each fact is reported once.
fn both(plugin: &LoadedPlugin, records: &[String], as_of: &str) -> Vec<PluginFinding> {
    let besluit = plugin.check_batch(records, "{}", as_of).unwrap().findings;
    let opvolging = plugin
        .check_batch(records, OPVOLGING, as_of)
        .unwrap()
        .findings;
    for f in &opvolging {
        assert!(
            !besluit
                .iter()
                .any(|g| g.index == f.index && g.field == f.field),
            "{:?} reported by both parts: {}",
            f.field,
            records[f.index as usize]
        );
    }
    let mut all: Vec<PluginFinding> = besluit.into_iter().chain(opvolging).collect();
    all.sort_by_key(|f| f.index);
    all
}

/// The finding of `field` on the dossier with `id` in a run over [`paths`].
fn finding<'a>(findings: &'a [PluginFinding], id: &str, field: &str) -> &'a PluginFinding {
    let index = paths()
        .iter()
        .position(|(record, _)| record.contains(&format!("\"id\":\"{id}\"")))
        .unwrap();
    findings
        .iter()
        .find(|f| f.index as usize == index && f.field.as_deref() == Some(field))
        .unwrap()
}

#[test]
fn one_dossier_per_path_of_the_kader() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    assert_eq!(plugin.info().name, "afwegingskader");
    assert_eq!(plugin.info().version, "0.3.0");

    let cases = paths();
    let records: Vec<String> = cases.iter().map(|(r, _)| r.clone()).collect();
    let output = both(&plugin, &records, "2024-06-01");
    for (index, (record, expected)) in cases.iter().enumerate() {
        let got: Vec<&str> = output
            .iter()
            .filter(|f| f.index as usize == index)
            .map(|f| f.field.as_deref().unwrap_or("-"))
            .collect();
        assert_eq!(&got, expected, "{record}");
    }

    // The finding that names the mandatory melding carries machine-readable details.
    let q2 = finding(&output, "q2-ja", "gemeld_op");
    assert_eq!(
        q2.message,
        "melding bij Veilig Thuis verplicht door afwegingsvraag 2 (acute of structurele onveiligheid) = ja, maar gemeld_op ontbreekt"
    );
    let details = Value::Object(q2.details.clone().unwrap());
    assert_eq!(
        details,
        json!({"verplicht_door": "vraag 2", "disclosure": false,
               "afweging": [{"vraag": 1, "antwoord": "ja"}, {"vraag": 2, "antwoord": "ja"}]})
    );
    let disclosure = finding(&output, "disclosure", "besluit");
    assert_eq!(
        disclosure.details.as_ref().unwrap()["disclosure"],
        json!(true)
    );
    assert_eq!(
        disclosure.message,
        "melding bij Veilig Thuis verplicht door disclosure (telt als ja op afwegingsvraag 2, acute onveiligheid): het besluit moet melden of melden_en_hulp zijn"
    );

    // Question 5, in the kader's words, once it is due.
    assert_eq!(
        finding(
            &output,
            "q5-open-evaluatie-verstreken",
            "afweging.duurzame_veiligheid"
        )
        .message,
        "afwegingsvraag 5 (hulp leidt tot de noodzakelijke resultaten voor veiligheid en welzijn) niet beantwoord, terwijl de afgesproken evaluatiedatum (evaluatie_op) is verstreken"
    );
    let ended = finding(
        &output,
        "q5-open-hulp-beeindigd",
        "afweging.duurzame_veiligheid",
    );
    assert!(
        ended
            .message
            .ends_with("terwijl de hulp is beëindigd (hulp_beeindigd_op)"),
        "{}",
        ended.message
    );
    assert_eq!(
        Value::Object(ended.details.clone().unwrap()),
        json!({"verplicht_door": "hulp_beeindigd_op"})
    );
    assert!(
        finding(&output, "q5-open-zonder-evaluatiedatum", "evaluatie_op")
            .message
            .contains("evaluatie_op ontbreekt")
    );
    assert!(
        finding(&output, "q5-nee-gemeld-voor-evaluatie", "gemeld_op")
            .message
            .ends_with("moet (opnieuw) gemeld worden, maar gemeld_op ligt vóór evaluatie_op")
    );
    assert!(
        finding(&output, "q5-ja-zonder-monitoring", "monitoring_afspraken")
            .message
            .ends_with("maar monitoring_afspraken ontbreekt")
    );
    assert_eq!(
        finding(&output, "melden-en-hulp-zonder-datum", "gemeld_op").message,
        "het besluit omvat een melding bij Veilig Thuis, maar gemeld_op ontbreekt"
    );
    assert_eq!(
        finding(&output, "disclosure-geen-vermoeden", "afweging.vermoeden").message,
        "disclosure betekent een vermoeden, maar afwegingsvraag 1 is met nee beantwoord"
    );
}

/// The same dossier is judged by the run's as-of date: question 5 left open
/// is no finding of the follow-up before the agreed evaluation, and one from
/// that day on.
#[test]
fn question_5_falls_due_on_the_evaluation_date() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    let record = dossier(
        "loopt",
        json!({"afweging": {"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"},
               "besluit": "hulp", "evaluatie_op": "2024-06-03"}),
    );
    let fields = |as_of: &str| -> Vec<Option<String>> {
        plugin
            .check_batch(std::slice::from_ref(&record), OPVOLGING, as_of)
            .unwrap()
            .findings
            .into_iter()
            .map(|f| f.field)
            .collect()
    };
    assert_eq!(fields("2024-06-02"), []);
    assert_eq!(
        fields("2024-06-03"),
        [Some("afweging.duurzame_veiligheid".to_owned())]
    );
}

#[test]
fn findings_never_echo_record_values() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    let record = dossier(
        "GEHEIM-ID",
        json!({"afweging": {"vermoeden": "GEHEIM-A"}, "besluit": "GEHEIM-B", "gemeld_op": "GEHEIM-C", "disclosure": "GEHEIM-D",
               "evaluatie_op": "GEHEIM-E", "hulp_beeindigd_op": "GEHEIM-F", "monitoring_afspraken": "GEHEIM-G"}),
    );
    let findings = both(&plugin, &[record], "2024-06-01");
    // Each unreadable value has its finding, in one part only, none repeats it.
    assert_eq!(findings.len(), 7, "{findings:?}");
    for finding in &findings {
        let text = format!("{finding:?}");
        assert!(!text.contains("GEHEIM"), "{text}");
    }
}

#[test]
fn unknown_params_are_the_plugins_error_and_the_next_batch_runs() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    let records = vec![dossier(
        "d",
        json!({"afweging": {"vermoeden": "nee"}, "besluit": "afsluiten", "dossier_notitie": true}),
    )];
    let error = plugin
        .check_batch(&records, r#"{"strict": true}"#, "2024-06-01")
        .unwrap_err();
    assert_eq!(
        error,
        PluginError::Returned {
            plugin: "afwegingskader".into(),
            message: "onbekende parameter `strict`: afwegingskader kent alleen `onderdeel`".into()
        }
    );
    assert!(error.is_incomplete());
    assert!(
        plugin
            .check_batch(&records, "{}", "2024-06-01")
            .unwrap()
            .findings
            .is_empty()
    );
}

/// 1000 dossiers, cycling through every path of the kader.
pub fn thousand_dossiers() -> Vec<String> {
    let cases = paths();
    (0..1000)
        .map(|i| cases[i % cases.len()].0.clone())
        .collect()
}

#[test]
fn a_batch_of_1000_fits_the_default_fuel_ten_times() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    let records = thousand_dossiers();
    let started = Instant::now();
    let output = plugin.check_batch(&records, "{}", "2024-06-01").unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "afwegingskader: 1000 dossiers, {} findings, {} fuel, {elapsed:?} (instantiate + check)",
        output.findings.len(),
        output.fuel_consumed
    );
    assert!(output.fuel_consumed > 0);
    assert!(
        output.fuel_consumed.saturating_mul(10) <= Limits::default().fuel,
        "{}",
        output.fuel_consumed
    );
    // Fuel is deterministic: the same batch costs the same.
    assert_eq!(
        plugin
            .check_batch(&records, "{}", "2024-06-01")
            .unwrap()
            .fuel_consumed,
        output.fuel_consumed
    );
}

#[test]
fn batches_run_in_parallel_on_one_plugin() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    let records = thousand_dossiers();
    let counts: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = plugin
            .batches(&records)
            .flat_map(|batch| batch.chunks(250))
            .map(|batch| {
                s.spawn(|| {
                    plugin
                        .check_batch(batch, "{}", "2024-06-01")
                        .unwrap()
                        .findings
                        .len()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let whole = plugin
        .check_batch(&records, "{}", "2024-06-01")
        .unwrap()
        .findings
        .len();
    assert_eq!(counts.len(), 4);
    assert_eq!(counts.iter().sum::<usize>(), whole);
}
