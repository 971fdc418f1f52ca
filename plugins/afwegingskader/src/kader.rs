//! The afwegingskader of the verbeterde meldcode (BRIEF §1.3) as plain Rust.
//!
//! This module knows nothing of WebAssembly: `lib.rs` wraps it in the
//! component bindings, and the unit tests below run it natively with
//! `cargo test`. It walks the afwegingsvragen of one meldcode dossier the
//! way the kader walks them, stops where the kader stops, and reports what
//! the dossier then must contain. The plugin serves two rules, chosen by the
//! `onderdeel` parameter, and each fact is reported by one of them only:
//!
//! - `besluit` (the default, rule `afwegingskader-niet-gevolgd`): questions
//!   1 to 4 and the decision. A dossier note and `besluit: afsluiten` after
//!   "nee" on question 1; a melding at Veilig Thuis after "ja" on question 2
//!   (or a disclosure, which also answers question 1) or "nee" on question 3
//!   or 4; the date of any melding the `besluit` records.
//! - `opvolging` (rule `afwegingsvraag-5-niet-opgevolgd`): once help is
//!   given (question 4 "ja"), the follow-up of question 5.
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

/// A JSON object: a record, or its `afweging`.
type Object = Map<String, Value>;

/// An ISO date as (year, month, day); tuples compare in calendar order.
type Day = (u16, u8, u8);

/// Which part of the kader a rule judges: the plugin serves two rules, and
/// each fact about a dossier is reported by one of them only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Onderdeel {
    /// Questions 1 to 4 and the decision they lead to (the default): the
    /// answers and their order, a disclosure, closing after "nee" on
    /// question 1, the mandatory melding after question 2, 3 or 4, and the
    /// `besluit` with its `gemeld_op`.
    Besluit,
    /// The follow-up of question 5 once help is given (question 4 "ja"):
    /// answered once the agreed evaluation has passed or the help has
    /// ended, then a (new) melding after "nee" or monitoring agreements
    /// after "ja". Also the fields only this part reads.
    Opvolging,
}

/// The values of the `onderdeel` parameter, as written in a rule.
const ONDERDELEN: [(&str, Onderdeel); 2] = [
    ("besluit", Onderdeel::Besluit),
    ("opvolging", Onderdeel::Opvolging),
];

/// The parameters the plugin knows.
const PARAMETERS: [&str; 1] = ["onderdeel"];

/// Reads the plugin's params: `{}` or `{"onderdeel": "besluit"}` judge
/// questions 1 to 4 and the decision, `{"onderdeel": "opvolging"}` the
/// follow-up of question 5. An unknown key or value is an error naming the
/// closest known one, so that a rule author notices a typo instead of a
/// silent default.
pub fn validate_params(params: &str) -> Result<Onderdeel, String> {
    let value: Value =
        serde_json::from_str(params).map_err(|e| format!("params zijn geen geldige JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("params moeten een JSON-object zijn".to_owned());
    };
    if let Some(key) = map.keys().find(|k| !PARAMETERS.contains(&k.as_str())) {
        return Err(format!(
            "onbekende parameter `{key}`: afwegingskader kent alleen `onderdeel`{}",
            suggestion(key, &PARAMETERS)
        ));
    }
    let Some(value) = map.get("onderdeel") else {
        return Ok(Onderdeel::Besluit);
    };
    let names = ONDERDELEN.map(|(name, _)| name);
    let Some(text) = value.as_str() else {
        return Err("parameter `onderdeel` moet tekst zijn: besluit of opvolging".to_owned());
    };
    ONDERDELEN
        .iter()
        .find(|(name, _)| *name == text)
        .map(|&(_, onderdeel)| onderdeel)
        .ok_or_else(|| {
            format!(
                "onbekend onderdeel `{text}`: verwacht besluit of opvolging{}",
                suggestion(text, &names)
            )
        })
}

/// ` (bedoeld: `x`?)` for the known name closest to `written`, when one is
/// close enough to be a typo of it (at most a third of its letters differ).
fn suggestion(written: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|name| (edit_distance(written, name), *name))
        .filter(|&(distance, name)| distance * 3 <= name.chars().count().max(3))
        .min()
        .map(|(_, name)| format!(" (bedoeld: `{name}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Checks a whole batch; `Err` only for problems with the call itself
/// (params, as-of), never for problems in a record. `as_of` is the run's
/// evaluation date: question 5 is due when the agreed evaluation lies on or
/// before it.
pub fn check(records: &[String], params: &str, as_of: &str) -> Result<Vec<Finding>, String> {
    let onderdeel = validate_params(params)?;
    let Some(as_of) = parse_date(as_of) else {
        return Err("as-of is geen geldige datum (JJJJ-MM-DD)".to_owned());
    };
    let mut findings = Vec::new();
    for (index, text) in records.iter().enumerate() {
        let index = u32::try_from(index).map_err(|_| "te veel records in één batch".to_owned())?;
        let mut report = Report {
            index,
            findings: &mut findings,
        };
        match onderdeel {
            Onderdeel::Besluit => check_besluit(text, &mut report),
            Onderdeel::Opvolging => check_opvolging(text, as_of, &mut report),
        }
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

impl DateField {
    fn of(value: Option<&Value>) -> Self {
        match value {
            None | Some(Value::Null) => Self::Missing,
            Some(value) => value
                .as_str()
                .and_then(parse_date)
                .map_or(Self::Invalid, Self::Day),
        }
    }
}

/// Where walking questions 1 to 4 leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// The walk stopped at an unanswered or invalid question.
    Undecided,
    /// Question 1 is "nee": close the case and record it.
    Afsluiten,
    /// A melding is mandatory; `by` names the question (1-based) that made
    /// it so, `disclosure` whether a disclosure stood in for question 2.
    Melden { by: usize, disclosure: bool },
    /// Questions 1 to 4 lead to help (question 4 "ja"): question 5 follows
    /// once the help has had time.
    Hulp,
}

/// The walk through questions 1 to 4.
struct Walk {
    outcome: Outcome,
    /// The answers walked, for the finding details.
    walked: Vec<Value>,
    /// The first question reached but not answered, if the walk stopped there.
    open: Option<usize>,
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

/// The record as an object with its `afweging` object, or the reason it is
/// not one (reported by [`check_besluit`] only).
fn parse_dossier(text: &str) -> Result<(Object, Object), &'static str> {
    let mut record = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        _ => return Err("dossier is geen JSON-object"),
    };
    match record.remove("afweging") {
        None | Some(Value::Null) => {
            Err("afweging ontbreekt: het dossier legt het afwegingskader (stap 4 en 5) niet vast")
        }
        Some(Value::Object(afweging)) => Ok((record, afweging)),
        Some(_) => Err("afweging is geen object met de vijf afwegingsvragen"),
    }
}

/// The answers to the five questions, unreported.
fn answers(afweging: &Map<String, Value>) -> [Answer; 5] {
    QUESTIONS.map(|(key, _)| Answer::of(afweging.get(key)))
}

/// Questions 1 to 4 and the decision (`onderdeel: besluit`).
fn check_besluit(text: &str, report: &mut Report<'_>) {
    let (record, afweging) = match parse_dossier(text) {
        Ok(parts) => parts,
        Err(problem) => {
            let field = (problem != "dossier is geen JSON-object").then_some("afweging");
            report.add(field, problem.to_owned(), None);
            return;
        }
    };
    let answers = answers(&afweging);
    // Question 5's answer is the follow-up's (`onderdeel: opvolging`).
    for (n, answer) in answers.iter().enumerate().take(4) {
        if *answer == Answer::Invalid {
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
    let disclosure = yes_no(&record, "disclosure", report) == Answer::Ja;
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

    check_order(&answers, disclosure, report);
    let walk = walk(&answers, disclosure);
    if let Some(n) = walk.open {
        report.add(
            Some(&question_field(n)),
            format!("{} niet beantwoord", question_label(n)),
            None,
        );
    }
    check_besluit_value(&record, report);
    let gemeld_op = date_field(&record, "gemeld_op", report);
    let besluit = besluit(&record);

    match walk.outcome {
        Outcome::Undecided => require_melding_date(besluit, gemeld_op, report),
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
                "afweging": walk.walked,
            });
            require_melding(&reason, Ok(besluit), gemeld_op, &details, report);
        }
        // The melding after question 5 "nee" is the follow-up's; any other
        // melding on the help path is voluntary, but needs its date.
        Outcome::Hulp if answers[4] == Answer::Nee => {}
        Outcome::Hulp => require_melding_date(besluit, gemeld_op, report),
    }
}

/// The follow-up of question 5 (`onderdeel: opvolging`). A dossier that is
/// no object or has no `afweging` is [`check_besluit`]'s finding; here it is
/// not judged.
fn check_opvolging(text: &str, as_of: Day, report: &mut Report<'_>) {
    let Ok((record, afweging)) = parse_dossier(text) else {
        return;
    };
    let answers = answers(&afweging);
    if answers[4] == Answer::Invalid {
        report.add(
            Some(&question_field(5)),
            format!(
                "{} heeft een ongeldig antwoord; verwacht \"ja\" of \"nee\"",
                question_label(5)
            ),
            None,
        );
    }
    // The fields only the follow-up reads: reported here when unreadable.
    let evaluatie = Evaluatie::of(
        date_field(&record, "evaluatie_op", report),
        date_field(&record, "hulp_beeindigd_op", report),
    );
    let monitoring = yes_no(&record, "monitoring_afspraken", report);
    // Read by both parts; reported by the decision's.
    let disclosure = Answer::of(record.get("disclosure")) == Answer::Ja;
    let gemeld_op = DateField::of(record.get("gemeld_op"));
    let walk = walk(&answers, disclosure);
    if walk.outcome != Outcome::Hulp {
        return;
    }
    match answers[4] {
        Answer::Missing => check_question_5_due(evaluatie, as_of, report),
        Answer::Ja => check_monitoring(monitoring, report),
        Answer::Nee => {
            let mut walked = walk.walked;
            walked.push(json!({ "vraag": 5, "antwoord": "nee" }));
            let details = json!({
                "verplicht_door": "vraag 5",
                "disclosure": false,
                "afweging": walked,
            });
            let reason = format!("{} = nee", question_label(5));
            let besluit = match record.get("besluit") {
                Some(value) if !value.is_null() && !known_besluit(value) => Err(()),
                _ => Ok(besluit(&record)),
            };
            require_melding(&reason, besluit, gemeld_op, &details, report);
            check_melding_after_evaluation(evaluatie, gemeld_op, report);
        }
        Answer::Invalid => {}
    }
}

/// A melding at Veilig Thuis is mandatory for `reason`: the dossier has its
/// date and a `besluit` that includes it. `besluit` is `Err` when it holds
/// an unknown value, which the decision's part reports: the follow-up then
/// does not judge it again.
fn require_melding(
    reason: &str,
    besluit: Result<Option<&str>, ()>,
    gemeld_op: DateField,
    details: &Value,
    report: &mut Report<'_>,
) {
    if gemeld_op == DateField::Missing {
        report.add(
            Some("gemeld_op"),
            format!("melding bij Veilig Thuis verplicht door {reason}, maar gemeld_op ontbreekt"),
            Some(details.clone()),
        );
    }
    if besluit.is_ok_and(|besluit| !meldt(besluit)) {
        report.add(
            Some("besluit"),
            format!(
                "melding bij Veilig Thuis verplicht door {reason}: het besluit moet melden of melden_en_hulp zijn"
            ),
            Some(details.clone()),
        );
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

/// Walks questions 1 to 4 and stops where the kader stops: "nee" on
/// question 1 closes, "ja" on question 2 (or a disclosure) and "nee" on
/// question 3 or 4 make a melding mandatory, "ja" on question 4 starts the
/// help whose evaluation answers question 5. Reports nothing: the caller
/// decides which part reports what.
fn walk(answers: &[Answer; 5], disclosure: bool) -> Walk {
    let mut walked = Vec::new();
    let stop = |outcome, walked, open| Walk {
        outcome,
        walked,
        open,
    };
    for n in 1..=4 {
        let by_disclosure = n <= 2 && disclosure;
        let answer = if by_disclosure {
            Answer::Ja
        } else {
            answers[n - 1]
        };
        match answer {
            Answer::Missing => return stop(Outcome::Undecided, walked, Some(n)),
            // Reported where it is read; the walk cannot go on past it.
            Answer::Invalid => return stop(Outcome::Undecided, walked, None),
            Answer::Ja | Answer::Nee => {}
        }
        walked.push(json!({ "vraag": n, "antwoord": answer.as_str() }));
        match (n, answer) {
            (1, Answer::Nee) => return stop(Outcome::Afsluiten, walked, None),
            (2, Answer::Ja) => {
                let disclosure = by_disclosure && answers[1] != Answer::Ja;
                return stop(Outcome::Melden { by: 2, disclosure }, walked, None);
            }
            (3 | 4, Answer::Nee) => {
                let outcome = Outcome::Melden {
                    by: n,
                    disclosure: false,
                };
                return stop(outcome, walked, None);
            }
            _ => {}
        }
    }
    stop(Outcome::Hulp, walked, None)
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

/// Whether a `besluit` value is one of [`BESLUITEN`].
fn known_besluit(value: &Value) -> bool {
    value.as_str().is_some_and(|s| BESLUITEN.contains(&s))
}

fn check_besluit_value(record: &Map<String, Value>, report: &mut Report<'_>) {
    if let Some(value) = record.get("besluit").filter(|v| !v.is_null())
        && !known_besluit(value)
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

    /// Questions 1 to 4 and the decision (the default part).
    fn run(record: Value) -> Vec<Finding> {
        check(&[record.to_string()], "{}", AS_OF).unwrap()
    }

    /// The follow-up of question 5.
    fn follow(record: Value) -> Vec<Finding> {
        check(&[record.to_string()], OPVOLGING, AS_OF).unwrap()
    }

    const OPVOLGING: &str = r#"{"onderdeel": "opvolging"}"#;

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
            // Questions 3 and 4 are the decision's, question 5 the
            // follow-up's; the other part reports nothing about it.
            let (f, other) = if n == 5 {
                (follow(r.clone()), run(r))
            } else {
                (run(r.clone()), follow(r))
            };
            assert_eq!(fields(&other), Vec::<&str>::new(), "vraag {n}");
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
        let f = follow(with(
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
        assert_eq!(follow(r), []);
        // A planned end of the help after the as-of date is no end yet.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": "2024-09-01", "hulp_beeindigd_op": "2024-07-01"}),
        );
        assert_eq!(follow(r), []);
    }

    #[test]
    fn q5_due_from_the_evaluation_date_on() {
        // Due on the evaluation day itself.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "hulp", "evaluatie_op": AS_OF}),
        );
        let f = follow(r);
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
        let f = follow(r);
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
        assert_eq!(fields(&follow(r)), ["afweging.duurzame_veiligheid"]);
    }

    #[test]
    fn q5_open_without_an_evaluation_date() {
        let r = with(help_path(json!(null)), json!({"besluit": "hulp"}));
        let f = follow(r);
        assert_eq!(fields(&f), ["evaluatie_op"]);
        assert!(f[0].message.contains("evaluatie_op ontbreekt"));
    }

    #[test]
    fn q5_nee_requires_a_melding_on_or_after_the_evaluation() {
        let q5_nee = |extra: Value| follow(with(help_path(json!("nee")), extra));
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
        let q5_ja = |extra: Value| follow(with(help_path(json!("ja")), extra));
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
            follow(with(
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
            dossier(
                json!({"vermoeden": "geheim-1", "onveiligheid": "ja", "duurzame_veiligheid": "geheim-7"}),
            ),
            json!({"besluit": "geheim-2", "gemeld_op": "geheim-3", "evaluatie_op": "geheim-4",
                   "hulp_beeindigd_op": 20240301, "monitoring_afspraken": "geheim-5",
                   "disclosure": "geheim-6"}),
        );
        // Each unreadable value is reported once, by the part that reads it.
        let f = run(r.clone());
        assert_eq!(
            fields(&f),
            ["afweging.vermoeden", "disclosure", "besluit", "gemeld_op"]
        );
        let g = follow(r);
        assert_eq!(
            fields(&g),
            [
                "afweging.duurzame_veiligheid",
                "evaluatie_op",
                "hulp_beeindigd_op",
                "monitoring_afspraken"
            ]
        );
        assert!(
            f.iter()
                .chain(&g)
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
            let r = with(
                help_path(json!(null)),
                with(json!({"besluit": "hulp"}), extra.clone()),
            );
            let f = follow(r.clone());
            assert_eq!(f.len(), 1, "{extra}: {f:?}");
            assert!(f[0].message.ends_with("is geen geldige datum (JJJJ-MM-DD)"));
            assert_eq!(run(r), [], "{extra}");
        }
        // Question 5 "nee" with an unreadable evaluation date: not "ontbreekt".
        let f = follow(with(
            help_path(json!("nee")),
            json!({"besluit": "melden", "gemeld_op": "2024-03-09", "evaluatie_op": "mei"}),
        ));
        assert_eq!(fields(&f), ["evaluatie_op"]);
        assert!(f[0].message.ends_with("is geen geldige datum (JJJJ-MM-DD)"));
        // An unreadable gemeld_op is the decision's finding; the follow-up
        // neither repeats it nor calls the melding missing.
        let r = with(
            help_path(json!("nee")),
            json!({"besluit": "melden", "gemeld_op": "mei", "evaluatie_op": "2024-05-01"}),
        );
        assert_eq!(fields(&run(r.clone())), ["gemeld_op"]);
        assert_eq!(follow(r), []);
    }

    /// Every fact is reported by one part only: over dossiers on every path
    /// of the kader, no field has a finding from both.
    #[test]
    fn each_fact_is_reported_by_one_part() {
        let q5 = [json!(null), json!("ja"), json!("nee"), json!("misschien")];
        let extras = [
            json!({"besluit": "hulp"}),
            json!({"besluit": "melden"}),
            json!({"besluit": "melden_en_hulp", "gemeld_op": "2024-03-09"}),
            json!({"besluit": "melden", "gemeld_op": "2024-05-02", "evaluatie_op": "2024-05-01"}),
            json!({"besluit": "hulp", "evaluatie_op": "2024-05-01", "monitoring_afspraken": false}),
            json!({"besluit": "hulp", "evaluatie_op": "2024-09-01"}),
            json!({"besluit": "x", "gemeld_op": "x", "evaluatie_op": "x", "disclosure": "x"}),
            json!({"disclosure": true, "besluit": "hulp", "hulp_beeindigd_op": "2024-04-01"}),
        ];
        let afwegingen = [
            json!({"vermoeden": "nee"}),
            json!({"vermoeden": "ja", "onveiligheid": "ja"}),
            json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "nee"}),
            json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja"}),
            json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja", "hulp_aanvaard": "ja"}),
        ];
        let mut judged_by_follow_up = 0;
        for afweging in &afwegingen {
            for answer in &q5 {
                for extra in &extras {
                    let mut a = afweging.clone();
                    if !answer.is_null() {
                        a["duurzame_veiligheid"] = answer.clone();
                    }
                    let r = with(dossier(a), extra.clone());
                    let (f, g) = (run(r.clone()), follow(r.clone()));
                    judged_by_follow_up += usize::from(!g.is_empty());
                    for field in fields(&g) {
                        assert!(!fields(&f).contains(&field), "{field} twice: {r}");
                    }
                }
            }
        }
        assert!(judged_by_follow_up > 20, "{judged_by_follow_up}");
    }

    #[test]
    fn the_follow_up_judges_only_the_help_path() {
        // Not an object, no afweging: the decision's findings only.
        let f = check(&["[1]".to_owned()], OPVOLGING, AS_OF).unwrap();
        assert_eq!(f, []);
        let mut r = dossier(json!(null));
        r.as_object_mut().unwrap().remove("afweging");
        assert_eq!(follow(r), []);
        // Question 4 "nee": the mandatory melding is the decision's, even
        // with a question 5 answered out of order.
        let r = with(
            dossier(
                json!({"vermoeden": "ja", "onveiligheid": "nee", "hulp_mogelijk": "ja",
                            "hulp_aanvaard": "nee", "duurzame_veiligheid": "ja"}),
            ),
            json!({"besluit": "hulp", "evaluatie_op": "2024-05-01"}),
        );
        assert_eq!(follow(r), []);
        // A disclosure makes the melding mandatory at question 2: no help path.
        let r = with(
            help_path(json!(null)),
            json!({"disclosure": true, "besluit": "melden", "gemeld_op": "2024-03-09", "evaluatie_op": "2024-05-01"}),
        );
        assert_eq!(follow(r.clone()), []);
        assert_eq!(fields(&run(r)), ["afweging.onveiligheid"]);
    }

    #[test]
    fn q5_nee_melding_is_the_follow_ups() {
        // The repeat melding's date is asked by the follow-up only, also
        // where the besluit records it.
        let r = with(
            help_path(json!("nee")),
            json!({"besluit": "melden", "evaluatie_op": "2024-05-01"}),
        );
        assert_eq!(run(r.clone()), []);
        let f = follow(r);
        assert_eq!(fields(&f), ["gemeld_op"]);
        assert_eq!(
            f[0].message,
            "melding bij Veilig Thuis verplicht door afwegingsvraag 5 (hulp leidt tot de \
             noodzakelijke resultaten voor veiligheid en welzijn) = nee, maar gemeld_op ontbreekt"
        );
        let details: Value = serde_json::from_str(f[0].details.as_deref().unwrap()).unwrap();
        assert_eq!(details["verplicht_door"], "vraag 5");
        assert_eq!(details["afweging"].as_array().map(Vec::len), Some(5));
        // Help with question 5 still open: a voluntary melding's date is the decision's.
        let r = with(
            help_path(json!(null)),
            json!({"besluit": "melden", "evaluatie_op": "2024-09-01"}),
        );
        assert_eq!(fields(&run(r.clone())), ["gemeld_op"]);
        assert_eq!(follow(r), []);
    }

    #[test]
    fn not_an_object() {
        let f = check(&["[1]".to_owned(), "nope".to_owned()], "{}", AS_OF).unwrap();
        assert_eq!(f.iter().map(|f| f.index).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn params_and_as_of() {
        assert_eq!(validate_params("{}"), Ok(Onderdeel::Besluit));
        assert_eq!(
            validate_params(r#"{"onderdeel": "besluit"}"#),
            Ok(Onderdeel::Besluit)
        );
        assert_eq!(validate_params(OPVOLGING), Ok(Onderdeel::Opvolging));
        assert_eq!(
            validate_params("{\"x\": 1}").unwrap_err(),
            "onbekende parameter `x`: afwegingskader kent alleen `onderdeel`"
        );
        assert_eq!(
            validate_params(r#"{"onderdel": "opvolging"}"#).unwrap_err(),
            "onbekende parameter `onderdel`: afwegingskader kent alleen `onderdeel` (bedoeld: `onderdeel`?)"
        );
        assert_eq!(
            validate_params(r#"{"onderdeel": "opvolgng"}"#).unwrap_err(),
            "onbekend onderdeel `opvolgng`: verwacht besluit of opvolging (bedoeld: `opvolging`?)"
        );
        assert_eq!(
            validate_params(r#"{"onderdeel": "vraag 5"}"#).unwrap_err(),
            "onbekend onderdeel `vraag 5`: verwacht besluit of opvolging"
        );
        assert!(
            validate_params(r#"{"onderdeel": 5}"#)
                .unwrap_err()
                .contains("moet tekst zijn")
        );
        assert!(check(&[], r#"{"onderdeel": "x"}"#, AS_OF).is_err());
        assert!(validate_params("[]").is_err());
        assert!(check(&[], "{}", "2024-02-30").is_err());
        assert!(check(&[], "{}", "2024-02-29").is_ok());
    }
}
