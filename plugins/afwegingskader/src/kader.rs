//! The afwegingskader of the verbeterde meldcode (BRIEF §1.3) as plain Rust.
//!
//! This module knows nothing of WebAssembly: `lib.rs` wraps it in the
//! component bindings, and the unit tests below run it natively with
//! `cargo test`. It walks the five afwegingsvragen of one meldcode dossier
//! the way the kader walks them, stops where the kader stops, and reports
//! what the dossier then must contain: a dossier note and `besluit:
//! afsluiten` after "nee" on question 1, a melding at Veilig Thuis after
//! "ja" on question 2 (or a disclosure) or "nee" on question 3, 4 or 5.
//!
//! Messages are in Dutch and never repeat a value from the record: dossiers
//! hold personal data, findings end up in reports.

use serde_json::{Map, Value, json};

/// One finding about one record; mirrors the WIT `finding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Position of the record in the batch.
    pub index: u32,
    /// Dotted path of the offending field, if any.
    pub field: Option<String>,
    /// What is wrong, in Dutch.
    pub message: String,
    /// Details as JSON object text.
    pub details: Option<String>,
}

/// The five afwegingsvragen: JSON key under `afweging` and short Dutch topic.
const QUESTIONS: [(&str, &str); 5] = [
    (
        "vermoeden",
        "vermoeden van huiselijk geweld of kindermishandeling",
    ),
    ("onveiligheid", "acute of structurele onveiligheid"),
    (
        "hulp_mogelijk",
        "effectieve hulp bieden of organiseren mogelijk",
    ),
    ("hulp_aanvaard", "betrokkenen aanvaarden de hulp"),
    ("duurzame_veiligheid", "hulp leidt tot duurzame veiligheid"),
];

/// The decisions a dossier can record in `besluit`.
const BESLUITEN: [&str; 3] = ["afsluiten", "hulp", "melden"];

/// Checks the plugin's params: the plugin takes none yet, and an unknown key
/// is an error so that a rule author notices a typo instead of a silent
/// default.
pub fn validate_params(params: &str) -> Result<(), String> {
    let value: Value =
        serde_json::from_str(params).map_err(|e| format!("params zijn geen geldige JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("params moeten een JSON-object zijn".to_owned());
    };
    if let Some(key) = map.keys().next() {
        return Err(format!(
            "onbekende parameter `{key}`: afwegingskader kent geen parameters"
        ));
    }
    Ok(())
}

/// Checks a whole batch; `Err` only for problems with the call itself
/// (params, as-of), never for problems in a record.
pub fn check(records: &[String], params: &str, as_of: &str) -> Result<Vec<Finding>, String> {
    validate_params(params)?;
    if parse_date(as_of).is_none() {
        return Err("as-of is geen geldige datum (JJJJ-MM-DD)".to_owned());
    }
    let mut findings = Vec::new();
    for (index, text) in records.iter().enumerate() {
        let index = u32::try_from(index).map_err(|_| "te veel records in één batch".to_owned())?;
        check_record(index, text, &mut findings);
    }
    Ok(findings)
}

/// An answer to a yes/no question as found in the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Ja,
    Nee,
    /// Absent or `null`.
    Missing,
    /// Present but neither ja/nee nor a boolean.
    Invalid,
}

impl Answer {
    fn of(value: Option<&Value>) -> Self {
        match value {
            None | Some(Value::Null) => Self::Missing,
            Some(Value::Bool(true)) => Self::Ja,
            Some(Value::Bool(false)) => Self::Nee,
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "ja" => Self::Ja,
                "nee" => Self::Nee,
                _ => Self::Invalid,
            },
            Some(_) => Self::Invalid,
        }
    }

    fn answered(self) -> bool {
        matches!(self, Self::Ja | Self::Nee)
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::Nee => "nee",
            Self::Missing => "niet beantwoord",
            Self::Invalid => "ongeldig",
        }
    }
}

/// What the kader requires once the walk has stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The walk stopped at an unanswered or invalid question: nothing follows.
    Undecided,
    /// Question 1 is "nee": close the case and record it.
    Afsluiten,
    /// A melding is mandatory; `by` names the question (1-based) that made
    /// it so, `disclosure` whether a disclosure stood in for question 2.
    Melden { by: usize, disclosure: bool },
    /// All five "ja": help continues, nothing is mandatory.
    Hulp,
}

/// Collects the findings of one record.
struct Report<'a> {
    index: u32,
    findings: &'a mut Vec<Finding>,
}

impl Report<'_> {
    fn add(&mut self, field: Option<&str>, message: String, details: Option<Value>) {
        self.findings.push(Finding {
            index: self.index,
            field: field.map(str::to_owned),
            message,
            details: details.map(|d| d.to_string()),
        });
    }
}

fn question_label(n: usize) -> String {
    let (_, topic) = QUESTIONS[n - 1];
    format!("afwegingsvraag {n} ({topic})")
}

fn question_field(n: usize) -> String {
    format!("afweging.{}", QUESTIONS[n - 1].0)
}

fn check_record(index: u32, text: &str, findings: &mut Vec<Finding>) {
    let mut report = Report { index, findings };
    let record = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        _ => {
            report.add(None, "dossier is geen JSON-object".to_owned(), None);
            return;
        }
    };
    let afweging = match record.get("afweging") {
        None | Some(Value::Null) => {
            report.add(
                Some("afweging"),
                "afweging ontbreekt: het dossier legt het afwegingskader (stap 4 en 5) niet vast"
                    .to_owned(),
                None,
            );
            return;
        }
        Some(Value::Object(map)) => map,
        Some(_) => {
            report.add(
                Some("afweging"),
                "afweging is geen object met de vijf afwegingsvragen".to_owned(),
                None,
            );
            return;
        }
    };

    let mut answers: [Answer; 5] = [Answer::Missing; 5];
    for (n, (key, _)) in QUESTIONS.iter().enumerate() {
        answers[n] = Answer::of(afweging.get(*key));
        if answers[n] == Answer::Invalid {
            report.add(
                Some(&question_field(n + 1)),
                format!(
                    "{} heeft een ongeldig antwoord; verwacht \"ja\" of \"nee\"",
                    question_label(n + 1)
                ),
                None,
            );
        }
    }
    let disclosure = match Answer::of(record.get("disclosure")) {
        Answer::Ja => true,
        Answer::Nee | Answer::Missing => false,
        Answer::Invalid => {
            report.add(
                Some("disclosure"),
                "disclosure is geen ja/nee-waarde".to_owned(),
                None,
            );
            false
        }
    };
    if disclosure && answers[1] == Answer::Nee {
        report.add(
            Some(&question_field(2)),
            "disclosure telt als acute onveiligheid, maar afwegingsvraag 2 is met nee beantwoord"
                .to_owned(),
            None,
        );
    }

    check_order(&answers, disclosure, &mut report);
    let (outcome, walked) = walk(&answers, disclosure, &mut report);
    check_besluit_value(&record, &mut report);
    check_gemeld_op_value(&record, &mut report);

    match outcome {
        Outcome::Undecided | Outcome::Hulp => {}
        Outcome::Afsluiten => {
            if record.get("dossier_notitie") != Some(&Value::Bool(true)) {
                report.add(
                    Some("dossier_notitie"),
                    "afwegingsvraag 1 is nee: het afsluiten moet in het dossier zijn vastgelegd"
                        .to_owned(),
                    None,
                );
            }
            if besluit(&record) != Some("afsluiten") {
                report.add(
                    Some("besluit"),
                    "afwegingsvraag 1 is nee: het besluit moet afsluiten zijn".to_owned(),
                    None,
                );
            }
        }
        Outcome::Melden { by, disclosure } => {
            let reason = if disclosure {
                "disclosure (telt als ja op afwegingsvraag 2, acute onveiligheid)".to_owned()
            } else {
                let answer = if by == 2 { "ja" } else { "nee" };
                format!("{} = {answer}", question_label(by))
            };
            let details = json!({
                "verplicht_door": format!("vraag {by}"),
                "disclosure": disclosure,
                "afweging": walked,
            });
            if !present(record.get("gemeld_op")) {
                report.add(
                    Some("gemeld_op"),
                    format!(
                        "melding bij Veilig Thuis verplicht door {reason}, maar gemeld_op ontbreekt"
                    ),
                    Some(details.clone()),
                );
            }
            if besluit(&record) != Some("melden") {
                report.add(
                    Some("besluit"),
                    format!("melding bij Veilig Thuis verplicht door {reason}: het besluit moet melden zijn"),
                    Some(details),
                );
            }
        }
    }
}

/// Question n+1 answered while question n is not: the kader was not walked
/// in order. A disclosure answers question 2; an invalid answer counts as
/// given here (it has its own finding).
fn check_order(answers: &[Answer; 5], disclosure: bool, report: &mut Report<'_>) {
    let given = |n: usize| answers[n - 1] != Answer::Missing || (n == 2 && disclosure);
    for (n, next) in answers.iter().enumerate().skip(1) {
        // `n` is the 1-based number of the question before `next`.
        if next.answered() && !given(n) {
            report.add(
                Some(&question_field(n + 1)),
                format!(
                    "afwegingsvraag {} is beantwoord terwijl afwegingsvraag {n} niet beantwoord is: \
                     de vragen worden in volgorde doorlopen",
                    n + 1
                ),
                None,
            );
        }
    }
}

/// Walks the kader from question 1 and stops where the kader stops. Returns
/// the outcome and the answers walked (for the finding details).
fn walk(answers: &[Answer; 5], disclosure: bool, report: &mut Report<'_>) -> (Outcome, Vec<Value>) {
    let mut walked = Vec::new();
    for n in 1..=5 {
        let mut answer = answers[n - 1];
        let by_disclosure = n == 2 && disclosure;
        if by_disclosure {
            answer = Answer::Ja;
        }
        match answer {
            Answer::Missing => {
                report.add(
                    Some(&question_field(n)),
                    format!("{} niet beantwoord", question_label(n)),
                    None,
                );
                return (Outcome::Undecided, walked);
            }
            // Already reported; the walk cannot go on past it.
            Answer::Invalid => return (Outcome::Undecided, walked),
            Answer::Ja | Answer::Nee => {}
        }
        walked.push(json!({ "vraag": n, "antwoord": answer.as_str() }));
        match (n, answer) {
            (1, Answer::Nee) => return (Outcome::Afsluiten, walked),
            (2, Answer::Ja) => {
                let disclosure = by_disclosure && answers[1] != Answer::Ja;
                return (Outcome::Melden { by: 2, disclosure }, walked);
            }
            (3..=5, Answer::Nee) => {
                return (
                    Outcome::Melden {
                        by: n,
                        disclosure: false,
                    },
                    walked,
                );
            }
            _ => {}
        }
    }
    (Outcome::Hulp, walked)
}

fn besluit(record: &Map<String, Value>) -> Option<&str> {
    record.get("besluit").and_then(Value::as_str)
}

fn present(value: Option<&Value>) -> bool {
    !matches!(value, None | Some(Value::Null))
}

fn check_besluit_value(record: &Map<String, Value>, report: &mut Report<'_>) {
    if let Some(value) = record.get("besluit").filter(|v| !v.is_null())
        && !value.as_str().is_some_and(|s| BESLUITEN.contains(&s))
    {
        report.add(
            Some("besluit"),
            "besluit heeft een onbekende waarde; verwacht afsluiten, hulp of melden".to_owned(),
            None,
        );
    }
}

fn check_gemeld_op_value(record: &Map<String, Value>, report: &mut Report<'_>) {
    if let Some(value) = record.get("gemeld_op").filter(|v| !v.is_null())
        && value.as_str().and_then(parse_date).is_none()
    {
        report.add(
            Some("gemeld_op"),
            "gemeld_op is geen geldige datum (JJJJ-MM-DD)".to_owned(),
            None,
        );
    }
}

/// Parses an ISO calendar date `YYYY-MM-DD`; `None` when malformed or not a
/// real day. Kept here (no chrono) to keep the component small.
fn parse_date(text: &str) -> Option<(u16, u8, u8)> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: u16 = text.get(0..4)?.parse().ok()?;
    let month: u8 = text.get(5..7)?.parse().ok()?;
    let day: u8 = text.get(8..10)?.parse().ok()?;
    if !text.get(0..4)?.bytes().all(|b| b.is_ascii_digit())
        || !text.get(5..7)?.bytes().all(|b| b.is_ascii_digit())
        || !text.get(8..10)?.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(record: Value) -> Vec<Finding> {
        check(&[record.to_string()], "{}", "2024-06-01").unwrap()
    }

    fn fields(findings: &[Finding]) -> Vec<&str> {
        findings
            .iter()
            .map(|f| f.field.as_deref().unwrap_or("-"))
            .collect()
    }

    fn dossier(afweging: Value) -> Value {
        json!({
            "id": "D-1", "sector": "jeugdzorg", "signaal_op": "2024-03-01",
            "stappen": { "signalen": "2024-03-01", "collegiale_consultatie": "2024-03-04",
                         "gesprek": "2024-03-06", "wegen": "2024-03-08", "beslissen": "2024-03-09" },
            "afweging": afweging,
        })
    }

    fn with(mut record: Value, extra: Value) -> Value {
        if let (Value::Object(r), Value::Object(e)) = (&mut record, extra) {
            r.extend(e);
        }
        record
    }

    #[test]
    fn afweging_missing() {
        let mut r = dossier(json!(null));
        r.as_object_mut().unwrap().remove("afweging");
        let f = run(r);
        assert_eq!(fields(&f), ["afweging"]);
        assert!(f[0].message.contains("afweging ontbreekt"));
    }

    #[test]
    fn q1_nee_closed_and_recorded_is_fine() {
        let r = with(
            dossier(json!({"vermoeden": "nee"})),
            json!({"besluit": "afsluiten", "dossier_notitie": true}),
        );
        assert_eq!(run(r), []);
    }

    #[test]
    fn q1_nee_without_note_or_closing() {
        let r = with(
            dossier(json!({"vermoeden": false})),
            json!({"besluit": "hulp"}),
        );
        assert_eq!(fields(&run(r)), ["dossier_notitie", "besluit"]);
    }

    #[test]
    fn q1_unanswered() {
        let f = run(dossier(json!({})));
        assert_eq!(fields(&f), ["afweging.vermoeden"]);
        assert_eq!(
            f[0].message,
            "afwegingsvraag 1 (vermoeden van huiselijk geweld of kindermishandeling) niet beantwoord"
        );
    }

    #[test]
    fn q2_ja_requires_melding() {
        let r = with(
            dossier(json!({"vermoeden": "ja", "onveiligheid": "ja"})),
            json!({"besluit": "hulp"}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["gemeld_op", "besluit"]);
        assert!(
            f[0].message
                .contains("afwegingsvraag 2 (acute of structurele onveiligheid) = ja")
        );
        let details: Value = serde_json::from_str(f[0].details.as_deref().unwrap()).unwrap();
        assert_eq!(details["verplicht_door"], "vraag 2");
        assert_eq!(
            details["afweging"],
            json!([{"vraag": 1, "antwoord": "ja"}, {"vraag": 2, "antwoord": "ja"}])
        );
    }

    #[test]
    fn q2_ja_melded_is_fine_and_q3_to_5_not_required() {
        let r = with(
            dossier(json!({"vermoeden": "ja", "onveiligheid": "ja"})),
            json!({"besluit": "melden", "gemeld_op": "2024-03-09"}),
        );
        assert_eq!(run(r), []);
    }

    #[test]
    fn disclosure_counts_as_q2() {
        let r = with(
            dossier(json!({"vermoeden": "ja"})),
            json!({"disclosure": true, "besluit": "hulp"}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["gemeld_op", "besluit"]);
        assert!(f[0].message.contains("disclosure"));
        let details: Value = serde_json::from_str(f[0].details.as_deref().unwrap()).unwrap();
        assert_eq!(details["disclosure"], true);
    }

    #[test]
    fn disclosure_contradicting_q2_nee() {
        let r = with(
            dossier(json!({"vermoeden": "ja", "onveiligheid": "nee"})),
            json!({"disclosure": true, "besluit": "melden", "gemeld_op": "2024-03-09"}),
        );
        assert_eq!(fields(&run(r)), ["afweging.onveiligheid"]);
    }

    #[test]
    fn q3_q4_q5_nee_require_melding() {
        for (n, afweging) in [
            (
                3,
                json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "nee"}),
            ),
            (
                4,
                json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "nee"}),
            ),
            (
                5,
                json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja", "duurzame_veiligheid": "nee"}),
            ),
        ] {
            let f = run(with(dossier(afweging), json!({"besluit": "hulp"})));
            assert_eq!(fields(&f), ["gemeld_op", "besluit"], "vraag {n}");
            assert!(
                f[0].message.contains(&format!("afwegingsvraag {n} (")),
                "vraag {n}"
            );
            assert!(
                f[0].details
                    .as_deref()
                    .unwrap()
                    .contains(&format!("\"vraag {n}\""))
            );
        }
    }

    #[test]
    fn all_ja_is_help_and_melding_is_still_allowed() {
        let all = json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja", "duurzame_veiligheid": "ja"});
        assert_eq!(
            run(with(dossier(all.clone()), json!({"besluit": "hulp"}))),
            []
        );
        assert_eq!(
            run(with(
                dossier(all),
                json!({"besluit": "melden", "gemeld_op": "2024-03-09"})
            )),
            []
        );
    }

    #[test]
    fn reached_question_unanswered() {
        let f = run(dossier(
            json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja"}),
        ));
        assert_eq!(fields(&f), ["afweging.hulp_aanvaard"]);
        assert!(
            f[0].message
                .starts_with("afwegingsvraag 4 (betrokkenen aanvaarden de hulp) niet beantwoord")
        );
    }

    #[test]
    fn out_of_order() {
        let f = run(dossier(json!({"vermoeden": "ja", "hulp_mogelijk": "ja"})));
        assert_eq!(
            fields(&f),
            ["afweging.hulp_mogelijk", "afweging.onveiligheid"]
        );
        assert!(f[0].message.contains("volgorde"));
    }

    #[test]
    fn invalid_values_are_not_echoed() {
        let r = with(
            dossier(json!({"vermoeden": "geheim-1", "onveiligheid": "ja"})),
            json!({"besluit": "geheim-2", "gemeld_op": "geheim-3"}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["afweging.vermoeden", "besluit", "gemeld_op"]);
        assert!(f.iter().all(|f| !f.message.contains("geheim")));
    }

    #[test]
    fn not_an_object() {
        let f = check(&["[1]".to_owned(), "nope".to_owned()], "{}", "2024-06-01").unwrap();
        assert_eq!(f.iter().map(|f| f.index).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn params_and_as_of() {
        assert!(validate_params("{}").is_ok());
        assert!(
            validate_params("{\"x\": 1}")
                .unwrap_err()
                .contains("onbekende parameter `x`")
        );
        assert!(validate_params("[]").is_err());
        assert!(check(&[], "{}", "2024-02-30").is_err());
        assert!(check(&[], "{}", "2024-02-29").is_ok());
    }
}
