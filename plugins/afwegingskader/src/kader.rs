//! The afwegingskader of the verbeterde meldcode (BRIEF §1.3) as plain Rust.
//!
//! This module knows nothing of WebAssembly: `lib.rs` wraps it in the
//! component bindings, and the unit tests below run it natively with
//! `cargo test`. It walks the five afwegingsvragen of one meldcode dossier
//! the way the kader walks them, stops where the kader stops, and reports
//! what the dossier then must contain: a dossier note and `besluit:
//! afsluiten` after "nee" on question 1; a melding at Veilig Thuis after
//! "ja" on question 2 (or a disclosure, which also answers question 1) or
//! "nee" on question 3 or 4; and, once help is given (question 4 "ja"), the
//! follow-up of question 5.
//!
//! Question 5 asks whether the help leads, *within the agreed term*, to the
//! results needed for the safety and well-being of everyone involved. It can
//! only be answered after the help has had time to work, so an open question
//! 5 is no fault while the help runs: it is due once the agreed evaluation
//! date (`evaluatie_op`) has passed on the run's as-of date, or the help has
//! ended (`hulp_beeindigd_op`). "Nee" then requires a (new) melding on or
//! after that moment, "ja" the agreements on following the (on)safety
//! (`monitoring_afspraken`).
//!
//! A `besluit` may be `melden_en_hulp`: since 2019 a professional first
//! decides whether to report and then whether help is (also) possible, so
//! both together are legitimate. It counts as a melding wherever one is
//! required, and like `melden` it needs `gemeld_op`.
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
///
/// Question 5's key `duurzame_veiligheid` is older than its topic: the model
/// kader asks whether the help leads, within the desired term, to "de
/// noodzakelijke resultaten ten aanzien van de veiligheid en/of het welzijn
/// (herstel) van alle betrokkenen" (NJi, *Het afwegingskader in de
/// meldcode*), not about lasting safety. The key stays, so that existing
/// data keeps its meaning; the topic in the messages is the kader's.
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
    (
        "duurzame_veiligheid",
        "hulp leidt tot de noodzakelijke resultaten voor veiligheid en welzijn",
    ),
];

/// The decisions a dossier can record in `besluit`. `melden_en_hulp` is a
/// melding and help together, which the kader allows: a melding is decided
/// first, and then whether help is (also) possible.
const BESLUITEN: [&str; 4] = ["afsluiten", "hulp", "melden", "melden_en_hulp"];

/// An ISO date as (year, month, day); tuples compare in calendar order.
type Day = (u16, u8, u8);

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
/// (params, as-of), never for problems in a record. `as_of` is the run's
/// evaluation date: question 5 is due when the agreed evaluation lies on or
/// before it.
pub fn check(records: &[String], params: &str, as_of: &str) -> Result<Vec<Finding>, String> {
    validate_params(params)?;
    let Some(as_of) = parse_date(as_of) else {
        return Err("as-of is geen geldige datum (JJJJ-MM-DD)".to_owned());
    };
    let mut findings = Vec::new();
    for (index, text) in records.iter().enumerate() {
        let index = u32::try_from(index).map_err(|_| "te veel records in één batch".to_owned())?;
        check_record(index, text, as_of, &mut findings);
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

/// A date field of the record as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateField {
    /// Absent or `null`.
    Missing,
    /// Present but not an ISO date (reported where it is read).
    Invalid,
    Day(Day),
}

/// What the kader requires once the walk has stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The walk stopped at an unanswered or invalid question before 5.
    Undecided,
    /// Question 1 is "nee": close the case and record it.
    Afsluiten,
    /// A melding is mandatory; `by` names the question (1-based) that made
    /// it so, `disclosure` whether a disclosure stood in for question 2.
    Melden { by: usize, disclosure: bool },
    /// Questions 1 to 4 lead to help (question 4 "ja"), and question 5 is
    /// "ja" or, while `q5_open`, not answered yet.
    Hulp { q5_open: bool },
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

fn check_record(index: u32, text: &str, as_of: Day, findings: &mut Vec<Finding>) {
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
    // A disclosure is a vermoeden (question 1) of acute onveiligheid
    // (question 2): it answers both, and a "nee" to either contradicts it.
    let disclosure = yes_no(&record, "disclosure", &mut report) == Answer::Ja;
    if disclosure && answers[0] == Answer::Nee {
        report.add(
            Some(&question_field(1)),
            "disclosure betekent een vermoeden, maar afwegingsvraag 1 is met nee beantwoord"
                .to_owned(),
            None,
        );
    }
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
    let gemeld_op = date_field(&record, "gemeld_op", &mut report);
    let evaluatie = Evaluatie::of(
        date_field(&record, "evaluatie_op", &mut report),
        date_field(&record, "hulp_beeindigd_op", &mut report),
    );
    let monitoring = yes_no(&record, "monitoring_afspraken", &mut report);
    let besluit = besluit(&record);

    match outcome {
        Outcome::Undecided => require_melding_date(besluit, gemeld_op, &mut report),
        Outcome::Afsluiten => {
            if record.get("dossier_notitie") != Some(&Value::Bool(true)) {
                report.add(
                    Some("dossier_notitie"),
                    "afwegingsvraag 1 is nee: het afsluiten moet in het dossier zijn vastgelegd"
                        .to_owned(),
                    None,
                );
            }
            if besluit != Some("afsluiten") {
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
            if gemeld_op == DateField::Missing {
                report.add(
                    Some("gemeld_op"),
                    format!(
                        "melding bij Veilig Thuis verplicht door {reason}, maar gemeld_op ontbreekt"
                    ),
                    Some(details.clone()),
                );
            }
            if !meldt(besluit) {
                report.add(
                    Some("besluit"),
                    format!(
                        "melding bij Veilig Thuis verplicht door {reason}: het besluit moet melden of melden_en_hulp zijn"
                    ),
                    Some(details),
                );
            }
            if by == 5 {
                check_melding_after_evaluation(evaluatie, gemeld_op, &mut report);
            }
        }
        Outcome::Hulp { q5_open } => {
            require_melding_date(besluit, gemeld_op, &mut report);
            if q5_open {
                check_question_5_due(evaluatie, as_of, &mut report);
            } else {
                check_monitoring(monitoring, &mut report);
            }
        }
    }
}

/// Question n+1 answered while question n is not: the kader was not walked
/// in order. A disclosure answers questions 1 and 2; an invalid answer
/// counts as given here (it has its own finding).
fn check_order(answers: &[Answer; 5], disclosure: bool, report: &mut Report<'_>) {
    let given = |n: usize| answers[n - 1] != Answer::Missing || (n <= 2 && disclosure);
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
/// the outcome and the answers walked (for the finding details). An open
/// question 5 is not reported here: whether it is due depends on the
/// evaluation date.
fn walk(answers: &[Answer; 5], disclosure: bool, report: &mut Report<'_>) -> (Outcome, Vec<Value>) {
    let mut walked = Vec::new();
    for n in 1..=5 {
        let by_disclosure = n <= 2 && disclosure;
        let answer = if by_disclosure {
            Answer::Ja
        } else {
            answers[n - 1]
        };
        match answer {
            Answer::Missing if n == 5 => return (Outcome::Hulp { q5_open: true }, walked),
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
    (Outcome::Hulp { q5_open: false }, walked)
}

/// When question 5 is due: the agreed evaluation date, or the end of the
/// help when that came first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evaluatie {
    /// Neither `evaluatie_op` nor `hulp_beeindigd_op` is recorded.
    Geen,
    /// One of them is not a date (already reported): nothing to judge by.
    Onleesbaar,
    /// The day, and the field it comes from.
    Op(Day, &'static str),
}

impl Evaluatie {
    fn of(evaluatie_op: DateField, hulp_beeindigd_op: DateField) -> Self {
        use DateField::{Day, Invalid, Missing};
        match (evaluatie_op, hulp_beeindigd_op) {
            (Invalid, _) | (_, Invalid) => Self::Onleesbaar,
            (Day(e), Day(h)) if h < e => Self::Op(h, "hulp_beeindigd_op"),
            (Day(e), _) => Self::Op(e, "evaluatie_op"),
            (Missing, Day(h)) => Self::Op(h, "hulp_beeindigd_op"),
            (Missing, Missing) => Self::Geen,
        }
    }
}

/// Question 5 is open: no fault while the help runs, but due once the agreed
/// evaluation date has passed or the help has ended. Without either date
/// the dossier cannot show when it falls due.
fn check_question_5_due(evaluatie: Evaluatie, as_of: Day, report: &mut Report<'_>) {
    match evaluatie {
        Evaluatie::Geen => report.add(
            Some("evaluatie_op"),
            format!(
                "hulp geboden en {} nog open, maar evaluatie_op ontbreekt: zonder afgesproken \
                 evaluatiedatum is niet na te gaan wanneer de vraag beantwoord moet zijn",
                question_label(5)
            ),
            None,
        ),
        Evaluatie::Op(day, field) if day <= as_of => {
            let why = if field == "evaluatie_op" {
                "de afgesproken evaluatiedatum (evaluatie_op) is verstreken"
            } else {
                "de hulp is beëindigd (hulp_beeindigd_op)"
            };
            report.add(
                Some(&question_field(5)),
                format!("{} niet beantwoord, terwijl {why}", question_label(5)),
                Some(json!({ "verplicht_door": field })),
            );
        }
        Evaluatie::Op(..) | Evaluatie::Onleesbaar => {}
    }
}

/// Question 5 is "nee": the (new) melding follows the evaluation, so
/// `gemeld_op` lies on or after the evaluation date (or the end of the help,
/// if that came first). A melding of before, such as one made together with
/// the help, is not the melding question 5 asks for.
fn check_melding_after_evaluation(
    evaluatie: Evaluatie,
    gemeld_op: DateField,
    report: &mut Report<'_>,
) {
    match (evaluatie, gemeld_op) {
        (Evaluatie::Geen, _) => report.add(
            Some("evaluatie_op"),
            format!(
                "{} = nee, maar evaluatie_op ontbreekt: niet na te gaan of na de evaluatie \
                 (opnieuw) is gemeld",
                question_label(5)
            ),
            None,
        ),
        (Evaluatie::Op(day, field), DateField::Day(gemeld)) if gemeld < day => report.add(
            Some("gemeld_op"),
            format!(
                "{} = nee: na de evaluatie moet (opnieuw) gemeld worden, maar gemeld_op ligt \
                 vóór {field}",
                question_label(5)
            ),
            Some(json!({ "verplicht_door": "vraag 5" })),
        ),
        _ => {}
    }
}

/// Question 5 is "ja": the help is closed with agreements on following the
/// (on)safety with those involved and partners.
fn check_monitoring(monitoring: Answer, report: &mut Report<'_>) {
    let state = match monitoring {
        Answer::Ja | Answer::Invalid => return,
        Answer::Nee => "is nee",
        Answer::Missing => "ontbreekt",
    };
    report.add(
        Some("monitoring_afspraken"),
        format!(
            "{} = ja: de hulp wordt afgesloten met afspraken over het volgen van de \
             (on)veiligheid, maar monitoring_afspraken {state}",
            question_label(5)
        ),
        None,
    );
}

/// A `besluit` that includes a melding needs its date, also where the kader
/// does not make the melding mandatory.
fn require_melding_date(besluit: Option<&str>, gemeld_op: DateField, report: &mut Report<'_>) {
    if meldt(besluit) && gemeld_op == DateField::Missing {
        report.add(
            Some("gemeld_op"),
            "het besluit omvat een melding bij Veilig Thuis, maar gemeld_op ontbreekt".to_owned(),
            None,
        );
    }
}

fn besluit(record: &Map<String, Value>) -> Option<&str> {
    record.get("besluit").and_then(Value::as_str)
}

/// Whether a `besluit` includes a melding at Veilig Thuis.
fn meldt(besluit: Option<&str>) -> bool {
    matches!(besluit, Some("melden" | "melden_en_hulp"))
}

fn check_besluit_value(record: &Map<String, Value>, report: &mut Report<'_>) {
    if let Some(value) = record.get("besluit").filter(|v| !v.is_null())
        && !value.as_str().is_some_and(|s| BESLUITEN.contains(&s))
    {
        report.add(
            Some("besluit"),
            "besluit heeft een onbekende waarde; verwacht afsluiten, hulp, melden of melden_en_hulp"
                .to_owned(),
            None,
        );
    }
}

/// Reads a date field; a value that is not an ISO date is reported (without
/// echoing it) and counts as [`DateField::Invalid`].
fn date_field(record: &Map<String, Value>, field: &str, report: &mut Report<'_>) -> DateField {
    match record.get(field) {
        None | Some(Value::Null) => DateField::Missing,
        Some(value) => match value.as_str().and_then(parse_date) {
            Some(day) => DateField::Day(day),
            None => {
                report.add(
                    Some(field),
                    format!("{field} is geen geldige datum (JJJJ-MM-DD)"),
                    None,
                );
                DateField::Invalid
            }
        },
    }
}

/// Reads a ja/nee field outside `afweging`; a value that is neither is
/// reported (without echoing it).
fn yes_no(record: &Map<String, Value>, field: &str, report: &mut Report<'_>) -> Answer {
    let answer = Answer::of(record.get(field));
    if answer == Answer::Invalid {
        report.add(Some(field), format!("{field} is geen ja/nee-waarde"), None);
    }
    answer
}

/// Parses an ISO calendar date `YYYY-MM-DD`; `None` when malformed or not a
/// real day. Kept here (no chrono) to keep the component small.
fn parse_date(text: &str) -> Option<Day> {
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

    /// The as-of date of every run below.
    const AS_OF: &str = "2024-06-01";

    fn run(record: Value) -> Vec<Finding> {
        check(&[record.to_string()], "{}", AS_OF).unwrap()
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

    /// Questions 1 to 4 answered to the help path; question 5 as given
    /// (`null`: not answered).
    fn help_path(q5: Value) -> Value {
        let mut afweging = json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"});
        if !q5.is_null() {
            afweging["duurzame_veiligheid"] = q5;
        }
        dossier(afweging)
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
        assert!(
            f[1].message
                .ends_with("het besluit moet melden of melden_en_hulp zijn")
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
    fn melden_en_hulp_is_a_melding_where_one_is_mandatory() {
        let r = with(
            dossier(json!({"vermoeden": "ja", "onveiligheid": "ja"})),
            json!({"besluit": "melden_en_hulp", "gemeld_op": "2024-03-09"}),
        );
        assert_eq!(run(r), []);
        // Without its date it is still a mandatory melding not made.
        let r = with(
            dossier(json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "nee"})),
            json!({"besluit": "melden_en_hulp"}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["gemeld_op"]);
        assert!(f[0].message.contains("afwegingsvraag 3"));
    }

    #[test]
    fn a_besluit_with_a_melding_needs_its_date_on_the_help_path_too() {
        for besluit in ["melden", "melden_en_hulp"] {
            let r = with(
                help_path(json!(null)),
                json!({"besluit": besluit, "evaluatie_op": "2024-09-01"}),
            );
            let f = run(r);
            assert_eq!(fields(&f), ["gemeld_op"], "{besluit}");
            assert_eq!(
                f[0].message,
                "het besluit omvat een melding bij Veilig Thuis, maar gemeld_op ontbreekt"
            );
            let r = with(
                help_path(json!(null)),
                json!({"besluit": besluit, "gemeld_op": "2024-03-09", "evaluatie_op": "2024-09-01"}),
            );
            assert_eq!(run(r), [], "{besluit}");
        }
        // Help alone needs no melding date.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": "2024-09-01"}),
        );
        assert_eq!(run(r), []);
        // Nor does a walk that stopped early, unless the besluit includes a melding.
        let r = with(
            dossier(json!({"vermoeden": "ja", "onveiligheid": "nee"})),
            json!({"besluit": "melden_en_hulp"}),
        );
        assert_eq!(fields(&run(r)), ["afweging.hulp_mogelijk", "gemeld_op"]);
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
    fn disclosure_contradicting_q1_nee() {
        // Closed on "no vermoeden" despite a disclosure: the contradiction,
        // and the melding the disclosure makes mandatory.
        let r = with(
            dossier(json!({"vermoeden": "nee"})),
            json!({"disclosure": true, "besluit": "afsluiten", "dossier_notitie": true}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["afweging.vermoeden", "gemeld_op", "besluit"]);
        assert_eq!(
            f[0].message,
            "disclosure betekent een vermoeden, maar afwegingsvraag 1 is met nee beantwoord"
        );
        let details: Value = serde_json::from_str(f[1].details.as_deref().unwrap()).unwrap();
        assert_eq!(details["disclosure"], true);
        // Reported, the contradiction alone remains.
        let r = with(
            dossier(json!({"vermoeden": "nee"})),
            json!({"disclosure": "ja", "besluit": "melden", "gemeld_op": "2024-03-09"}),
        );
        assert_eq!(fields(&run(r)), ["afweging.vermoeden"]);
        // Without a disclosure, "nee" on question 1 is no contradiction.
        let r = with(
            dossier(json!({"vermoeden": "nee"})),
            json!({"disclosure": false, "besluit": "afsluiten", "dossier_notitie": true}),
        );
        assert_eq!(run(r), []);
    }

    #[test]
    fn disclosure_answers_q1_and_q2() {
        // Neither question need be answered, and question 2 answered
        // without question 1 is in order.
        for afweging in [json!({}), json!({"onveiligheid": "ja"})] {
            let r = with(
                dossier(afweging.clone()),
                json!({"disclosure": true, "besluit": "melden", "gemeld_op": "2024-03-09"}),
            );
            assert_eq!(run(r), [], "{afweging}");
        }
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
            let r = with(
                dossier(afweging),
                json!({"besluit": "hulp", "evaluatie_op": "2024-05-01"}),
            );
            let f = run(r);
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
    fn q5_has_the_kaders_topic() {
        let f = run(with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": "2024-05-01"}),
        ));
        assert_eq!(
            f[0].message,
            "afwegingsvraag 5 (hulp leidt tot de noodzakelijke resultaten voor veiligheid en welzijn) \
             niet beantwoord, terwijl de afgesproken evaluatiedatum (evaluatie_op) is verstreken"
        );
    }

    #[test]
    fn q5_open_while_the_help_runs_is_fine() {
        // The evaluation is agreed for the day after the as-of date.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": "2024-06-02"}),
        );
        assert_eq!(run(r), []);
        // A planned end of the help after the as-of date is no end yet.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": "2024-09-01", "hulp_beeindigd_op": "2024-07-01"}),
        );
        assert_eq!(run(r), []);
    }

    #[test]
    fn q5_due_from_the_evaluation_date_on() {
        // Due on the evaluation day itself.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": AS_OF}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["afweging.duurzame_veiligheid"]);
        assert!(
            f[0].message
                .ends_with("evaluatiedatum (evaluatie_op) is verstreken")
        );
        let details: Value = serde_json::from_str(f[0].details.as_deref().unwrap()).unwrap();
        assert_eq!(details, json!({"verplicht_door": "evaluatie_op"}));
    }

    #[test]
    fn q5_due_when_the_help_ended() {
        // Ended before the agreed evaluation: due now.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": "2024-09-01", "hulp_beeindigd_op": "2024-05-20"}),
        );
        let f = run(r);
        assert_eq!(fields(&f), ["afweging.duurzame_veiligheid"]);
        assert!(
            f[0].message
                .ends_with("terwijl de hulp is beëindigd (hulp_beeindigd_op)")
        );
        // Ended without an evaluation date.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "hulp_beeindigd_op": AS_OF}),
        );
        assert_eq!(fields(&run(r)), ["afweging.duurzame_veiligheid"]);
    }

    #[test]
    fn q5_open_without_an_evaluation_date() {
        let r = with(help_path(json!(null)), json!({"besluit": "hulp"}));
        let f = run(r);
        assert_eq!(fields(&f), ["evaluatie_op"]);
        assert!(f[0].message.contains("evaluatie_op ontbreekt"));
    }

    #[test]
    fn q5_nee_requires_a_melding_on_or_after_the_evaluation() {
        let q5_nee = |extra: Value| run(with(help_path(json!("nee")), extra));
        // On the evaluation day, or later: fine, with either besluit.
        for (besluit, gemeld_op) in [("melden", "2024-05-01"), ("melden_en_hulp", "2024-05-20")] {
            let f = q5_nee(json!({
                "besluit": besluit, "gemeld_op": gemeld_op, "evaluatie_op": "2024-05-01",
            }));
            assert_eq!(f, [], "{besluit} {gemeld_op}");
        }
        // The melding of before the evaluation (made with the help) is not the new one.
        let f = q5_nee(json!({
            "besluit": "melden_en_hulp", "gemeld_op": "2024-03-09", "evaluatie_op": "2024-05-01",
        }));
        assert_eq!(fields(&f), ["gemeld_op"]);
        assert!(
            f[0].message
                .contains("= nee: na de evaluatie moet (opnieuw) gemeld worden")
        );
        assert!(f[0].message.ends_with("vóór evaluatie_op"));
        // The help ended before the agreed evaluation: a melding from its end on is in time.
        let f = q5_nee(json!({
            "besluit": "melden", "gemeld_op": "2024-04-10",
            "evaluatie_op": "2024-05-01", "hulp_beeindigd_op": "2024-04-10",
        }));
        assert_eq!(f, []);
        let f = q5_nee(json!({
            "besluit": "melden", "gemeld_op": "2024-04-09",
            "evaluatie_op": "2024-05-01", "hulp_beeindigd_op": "2024-04-10",
        }));
        assert_eq!(fields(&f), ["gemeld_op"]);
        assert!(f[0].message.ends_with("vóór hulp_beeindigd_op"));
        // Without a date of the evaluation, the order cannot be judged.
        let f = q5_nee(json!({"besluit": "melden", "gemeld_op": "2024-05-01"}));
        assert_eq!(fields(&f), ["evaluatie_op"]);
        // No melding at all: the mandatory melding's findings, no order finding.
        let f = q5_nee(json!({"besluit": "hulp", "evaluatie_op": "2024-05-01"}));
        assert_eq!(fields(&f), ["gemeld_op", "besluit"]);
    }

    #[test]
    fn q5_ja_requires_monitoring_agreements() {
        let q5_ja = |extra: Value| run(with(help_path(json!("ja")), extra));
        assert_eq!(
            q5_ja(json!({"besluit": "hulp", "monitoring_afspraken": true})),
            []
        );
        assert_eq!(
            q5_ja(json!({"besluit": "hulp", "monitoring_afspraken": "ja"})),
            []
        );
        let f = q5_ja(json!({"besluit": "hulp"}));
        assert_eq!(fields(&f), ["monitoring_afspraken"]);
        assert!(
            f[0].message
                .ends_with("maar monitoring_afspraken ontbreekt")
        );
        let f = q5_ja(json!({"besluit": "hulp", "monitoring_afspraken": false}));
        assert_eq!(fields(&f), ["monitoring_afspraken"]);
        assert!(f[0].message.ends_with("maar monitoring_afspraken is nee"));
        // Asked only once question 5 is answered "ja".
        assert_eq!(
            run(with(
                help_path(json!(null)),
                json!({"besluit": "hulp", "evaluatie_op": "2024-09-01", "monitoring_afspraken": false}),
            )),
            []
        );
    }

    #[test]
    fn all_ja_is_help_and_melding_is_still_allowed() {
        let done = json!({"monitoring_afspraken": true, "evaluatie_op": "2024-05-01"});
        for besluit in [
            json!({"besluit": "hulp"}),
            json!({"besluit": "melden", "gemeld_op": "2024-03-09"}),
            json!({"besluit": "melden_en_hulp", "gemeld_op": "2024-03-09"}),
        ] {
            let r = with(with(help_path(json!("ja")), done.clone()), besluit.clone());
            assert_eq!(run(r), [], "{besluit}");
        }
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
            json!({"besluit": "geheim-2", "gemeld_op": "geheim-3", "evaluatie_op": "geheim-4",
                   "hulp_beeindigd_op": 20240301, "monitoring_afspraken": "geheim-5",
                   "disclosure": "geheim-6"}),
        );
        let f = run(r);
        assert_eq!(
            fields(&f),
            [
                "afweging.vermoeden",
                "disclosure",
                "besluit",
                "gemeld_op",
                "evaluatie_op",
                "hulp_beeindigd_op",
                "monitoring_afspraken"
            ]
        );
        assert!(
            f.iter()
                .all(|f| !f.message.contains("geheim") && !f.message.contains("20240301"))
        );
    }

    #[test]
    fn unreadable_dates_are_reported_once_and_judge_nothing() {
        // Question 5 open, its dates unreadable: no "ontbreekt", no "due".
        for extra in [
            json!({"evaluatie_op": "2024-13-01"}),
            json!({"evaluatie_op": "2024-05-01", "hulp_beeindigd_op": "1 mei"}),
        ] {
            let f = run(with(
                help_path(json!(null)),
                with(json!({"besluit": "hulp"}), extra.clone()),
            ));
            assert_eq!(f.len(), 1, "{extra}: {f:?}");
            assert!(f[0].message.ends_with("is geen geldige datum (JJJJ-MM-DD)"));
        }
        // Question 5 "nee" with an unreadable evaluation date: not "ontbreekt".
        let f = run(with(
            help_path(json!("nee")),
            json!({"besluit": "melden", "gemeld_op": "2024-03-09", "evaluatie_op": "mei"}),
        ));
        assert_eq!(fields(&f), ["evaluatie_op"]);
        assert!(f[0].message.ends_with("is geen geldige datum (JJJJ-MM-DD)"));
    }

    #[test]
    fn not_an_object() {
        let f = check(&["[1]".to_owned(), "nope".to_owned()], "{}", AS_OF).unwrap();
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
