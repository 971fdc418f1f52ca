//! The real plugin through the host: one dossier per path of the kader.

use std::time::Instant;

use naleving::plugin::{Limits, PluginError, PluginHost};
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
                json!({"afweging": q5_nee, "besluit": "melden", "gemeld_op": "2024-06-01"}),
            ),
            vec![],
        ),
        (
            dossier(
                "alles-ja",
                json!({"afweging": all_ja.clone(), "besluit": "hulp"}),
            ),
            vec![],
        ),
        (
            dossier(
                "alles-ja-toch-gemeld",
                json!({"afweging": all_ja, "besluit": "melden", "gemeld_op": "2024-03-09"}),
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
    ]
}

#[test]
fn one_dossier_per_path_of_the_kader() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    assert_eq!(plugin.info().name, "afwegingskader");
    assert_eq!(plugin.info().version, "0.1.0");

    let cases = paths();
    let records: Vec<String> = cases.iter().map(|(r, _)| r.clone()).collect();
    let output = plugin.check_batch(&records, "{}", "2024-06-01").unwrap();
    for (index, (record, expected)) in cases.iter().enumerate() {
        let got: Vec<&str> = output
            .findings
            .iter()
            .filter(|f| f.index as usize == index)
            .map(|f| f.field.as_deref().unwrap_or("-"))
            .collect();
        assert_eq!(&got, expected, "{record}");
    }

    // The finding that names the mandatory melding carries machine-readable details.
    let q2 = output
        .findings
        .iter()
        .find(|f| f.index == 4 && f.field.as_deref() == Some("gemeld_op"))
        .unwrap();
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
    let disclosure = output.findings.iter().find(|f| f.index == 6).unwrap();
    assert_eq!(
        disclosure.details.as_ref().unwrap()["disclosure"],
        json!(true)
    );
}

#[test]
fn findings_never_echo_record_values() {
    let host = PluginHost::new(None).unwrap();
    let plugin = host.load(&afwegingskader_spec()).unwrap();
    let record = dossier(
        "GEHEIM-ID",
        json!({"afweging": {"vermoeden": "GEHEIM-A"}, "besluit": "GEHEIM-B", "gemeld_op": "GEHEIM-C", "disclosure": "GEHEIM-D"}),
    );
    let output = plugin.check_batch(&[record], "{}", "2024-06-01").unwrap();
    assert!(!output.findings.is_empty());
    for finding in &output.findings {
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
            message: "onbekende parameter `strict`: afwegingskader kent geen parameters".into()
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
