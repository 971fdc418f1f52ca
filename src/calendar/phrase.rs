//! Due phrases: the way commitments to parliament state their deadline.
//!
//! A toezegging is rarely due on a date; it is due "voor het zomerreces",
//! "eind 2020" or "in het derde kwartaal". [`resolve_phrase`] turns such a
//! phrase into the last day it allows, and says how. The forms (SPEC §7),
//! matched case-insensitively, with "vóór" and "voor" alike, an optional
//! leading "uiterlijk", and optional "in het"/"in de" and "van" where Dutch
//! puts them:
//!
//! | phrase | due date |
//! |---|---|
//! | `2020-06-05` | that date |
//! | `voor het zomerreces 2020` (kerst-, herfst-, voorjaars-, meireces) | the day before the recess starts |
//! | `voor het zomerreces` | the day before the first such recess starting after the commitment was made |
//! | `eind 2020`, `einde 2020` | 31 December |
//! | `medio 2020` | 30 June |
//! | `Q3 2020`, `derde kwartaal 2020`, `3e kwartaal 2020` | the last day of the quarter |
//! | `juni 2020`, `eind juni 2020` | the last day of the month |
//! | `voorjaar 2020`, `zomer 2020`, `najaar 2020` | 20 June, 21 September, 20 December |
//! | `Prinsjesdag 2021`, `op Prinsjesdag 2021` | the third Tuesday of September (Grondwet art. 65) |
//! | `voor Prinsjesdag 2021` | the day before it |
//! | `Verantwoordingsdag 2022`, `voor Verantwoordingsdag 2022` | the third Wednesday of May, or the day before (Comptabiliteitswet 2016 art. 2.37 lid 2; see [`super::named_day`]) |
//! | `voor Prinsjesdag` | the day before the first Prinsjesdag after the commitment was made |
//!
//! Every year may be written `dit jaar` (the year the commitment was made)
//! or `volgend jaar`. A recess the data does not cover is
//! [`PhraseError::NoRecessData`], never a guess; anything else is
//! [`PhraseError::Unknown`], never a silent pass.
//!
//! Not supported, on purpose: `winter 2020` (it spans two years, so the
//! phrase does not say which end is meant), and year-less forms other than
//! the recess ones ("eind juni" could be this June or next).

use std::fmt;

use jiff::civil::Date;
use miette::Diagnostic;

use super::dutch::{long_date, month_name, month_number};
use super::load::parse_iso_date;
use super::named_day::NamedDay;
use super::recess::RecessKind;
use super::{Calendar, TermijnCode};
use crate::text::Text;
use crate::tr;

/// A resolved due phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseDue {
    /// The last day the phrase allows.
    pub due: Date,
    /// How the phrase was read, in Dutch, e.g. "dag vóór het zomerreces
    /// 2020 (reces begint vrijdag 3 juli 2020)".
    pub explanation: String,
}

/// Why a due phrase could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhraseError {
    /// The phrase is none of the known forms.
    Unknown {
        /// The phrase as given.
        text: String,
    },
    /// The phrase names a recess whose dates the calendar does not have.
    NoRecessData {
        /// The recess.
        kind: RecessKind,
        /// Its year.
        year: i16,
    },
    /// The phrase is relative ("dit jaar", a year-less recess) and no date
    /// of the commitment was given.
    NeedsDate {
        /// The phrase as given.
        text: String,
    },
    /// The phrase is shaped like a date but is not one (`2020-02-30`), or
    /// names a day outside the representable years.
    InvalidDate {
        /// The phrase as given.
        text: String,
        /// What is wrong with it.
        reason: Text,
    },
}

impl PhraseError {
    /// What is wrong, in either language.
    pub fn text(&self) -> Text {
        match self {
            PhraseError::Unknown { text } => tr!("unknown due phrase `{text}`", text = text),
            PhraseError::NoRecessData { kind, year } => tr!(
                "no recess data for the {kind} of {year}",
                kind = kind,
                year = year
            ),
            PhraseError::NeedsDate { text } => tr!(
                "`{text}` is relative, but the date the commitment was made is unknown",
                text = text
            ),
            PhraseError::InvalidDate { text, reason } => tr!(
                "`{text}` is not a valid date: {reason}",
                text = text,
                reason = reason.clone()
            ),
        }
    }

    /// How to fix it.
    pub fn help_text(&self) -> Text {
        match self {
            PhraseError::Unknown { .. } => tr!(
                "write a term (`5 werkdagen`, `14 dagen`, `zes weken`, `3 maanden`), a date (`2020-06-05`) or a phrase: `voor het zomerreces 2020`, `eind 2020`, `medio 2020`, `Q3 2020`, `derde kwartaal 2020`, `juni 2020`, `najaar 2020`, `voor Prinsjesdag 2020`, `Verantwoordingsdag 2020`; a year may be `dit jaar` or `volgend jaar`"
            ),
            PhraseError::NoRecessData { .. } => tr!(
                "add the recess with its source to a calendar file (`recesses: [{ name, year, start, end, source }]`), or write the due date itself"
            ),
            PhraseError::NeedsDate { .. } => {
                tr!("give the date the commitment was made, or name the year (`eind 2020`)")
            }
            PhraseError::InvalidDate { .. } => tr!("write dates as YYYY-MM-DD"),
        }
    }

    /// The problem code (`termijn::onbekend`, `termijn::geen-datum`,
    /// `termijn::datum`).
    pub fn problem_code(&self) -> TermijnCode {
        match self {
            PhraseError::Unknown { .. } | PhraseError::NoRecessData { .. } => TermijnCode::Onbekend,
            PhraseError::NeedsDate { .. } => TermijnCode::GeenDatum,
            PhraseError::InvalidDate { .. } => TermijnCode::Datum,
        }
    }
}

/// The English message, as logs and the machine formats show it.
impl fmt::Display for PhraseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl std::error::Error for PhraseError {}

impl Diagnostic for PhraseError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.problem_code().as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_text().en()))
    }
}

/// Resolves a due phrase. `made_on` is the date the commitment was made;
/// it is needed only for `dit jaar`, `volgend jaar` and a recess phrase
/// without a year.
pub fn resolve_phrase(
    text: &str,
    made_on: Option<Date>,
    cal: &Calendar,
) -> Result<PhraseDue, PhraseError> {
    let normalized = normalize(text);
    let words: Vec<&str> = normalized.split_whitespace().collect();
    let unknown = || PhraseError::Unknown {
        text: text.trim().to_string(),
    };
    if let [single] = words.as_slice()
        && looks_like_date(single)
    {
        let due = parse_iso_date(single).map_err(|reason| PhraseError::InvalidDate {
            text: text.trim().to_string(),
            reason,
        })?;
        return Ok(PhraseDue {
            due,
            explanation: format!("vaste datum: {}", long_date(due)),
        });
    }
    let words = strip_prefix(&words, &["uiterlijk"]);
    let (head, year) = split_year(words);
    let context = Context { text, made_on };

    if let Some(kind) = recess_head(head) {
        return resolve_recess(&context, cal, kind, year);
    }
    if let Some((before, day)) = named_day_head(head) {
        return resolve_named_day(&context, cal, day, before, year);
    }

    let head = strip_prefix(head, &["in", "het", "de"]);
    let form = Form::parse(head).ok_or_else(unknown)?;
    let Some(year) = year else {
        return Err(unknown());
    };
    let resolved_year = context.year(year)?;
    let due = form
        .due(resolved_year)
        .ok_or_else(|| PhraseError::InvalidDate {
            text: text.trim().to_string(),
            reason: tr!("the year {year} is out of range", year = resolved_year),
        })?;
    let year_text = match year {
        YearSpec::Absolute(y) => y.to_string(),
        YearSpec::This => format!("dit jaar ({resolved_year})"),
        YearSpec::Next => format!("volgend jaar ({resolved_year})"),
    };
    let (name, rule) = form.describe();
    Ok(PhraseDue {
        due,
        explanation: format!("{name} {year_text}: {} ({rule})", long_date(due)),
    })
}

/// Lower case, accents of "vóór" dropped, whitespace and a final full stop
/// removed.
pub(super) fn normalize(text: &str) -> String {
    text.trim()
        .trim_end_matches('.')
        .to_lowercase()
        .replace(['ó', 'ò'], "o")
}

/// Whether a word has the shape of an ISO date (digits and dashes, at
/// least one dash, starting with four digits): such a word is a date or an
/// invalid date, never an unknown phrase.
fn looks_like_date(word: &str) -> bool {
    word.len() >= 8
        && word.contains('-')
        && word.chars().all(|c| c.is_ascii_digit() || c == '-')
        && word.chars().take(4).all(|c| c.is_ascii_digit())
}

/// Drops leading words that are in `fillers`, in any number.
fn strip_prefix<'a, 'b>(mut words: &'a [&'b str], fillers: &[&str]) -> &'a [&'b str] {
    while let [first, rest @ ..] = words {
        if fillers.contains(first) {
            words = rest;
        } else {
            break;
        }
    }
    words
}

/// How a phrase names its year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum YearSpec {
    /// A four-digit year.
    Absolute(i16),
    /// "dit jaar".
    This,
    /// "volgend jaar".
    Next,
}

/// Splits off a trailing year ("2020", "dit jaar", "volgend jaar", each
/// optionally after "van").
fn split_year<'a, 'b>(words: &'a [&'b str]) -> (&'a [&'b str], Option<YearSpec>) {
    let (head, year) = match words {
        [head @ .., "dit", "jaar"] => (head, Some(YearSpec::This)),
        [head @ .., "volgend", "jaar"] => (head, Some(YearSpec::Next)),
        [head @ .., last] if last.len() == 4 && last.chars().all(|c| c.is_ascii_digit()) => {
            match last.parse() {
                Ok(year) => (head, Some(YearSpec::Absolute(year))),
                Err(_) => (words, None),
            }
        }
        _ => (words, None),
    };
    match (head, year) {
        ([head @ .., "van"], Some(year)) => (head, Some(year)),
        _ => (head, year),
    }
}

/// The recess of a head "voor [het] <reces>", if it is one.
fn recess_head(head: &[&str]) -> Option<RecessKind> {
    let name = match head {
        ["voor", "het", name] | ["voor", name] => name,
        _ => return None,
    };
    name.parse().ok()
}

/// The day a head names and whether the phrase wants the day before it:
/// "voor Prinsjesdag" (true), "Prinsjesdag" or "op Prinsjesdag" (false).
fn named_day_head(head: &[&str]) -> Option<(bool, NamedDay)> {
    match head {
        ["voor", name] => NamedDay::from_word(name).map(|day| (true, day)),
        ["op", name] | [name] => NamedDay::from_word(name).map(|day| (false, day)),
        _ => None,
    }
}

/// The phrase and its reference date, for errors and relative years.
struct Context<'a> {
    text: &'a str,
    made_on: Option<Date>,
}

impl Context<'_> {
    fn needs_date(&self) -> PhraseError {
        PhraseError::NeedsDate {
            text: self.text.trim().to_string(),
        }
    }

    fn year(&self, spec: YearSpec) -> Result<i16, PhraseError> {
        match spec {
            YearSpec::Absolute(year) => Ok(year),
            YearSpec::This => Ok(self.made_on.ok_or_else(|| self.needs_date())?.year()),
            YearSpec::Next => Ok(self
                .made_on
                .ok_or_else(|| self.needs_date())?
                .year()
                .saturating_add(1)),
        }
    }
}

fn resolve_recess(
    context: &Context<'_>,
    cal: &Calendar,
    kind: RecessKind,
    year: Option<YearSpec>,
) -> Result<PhraseDue, PhraseError> {
    let (recess, after) = match year {
        Some(spec) => {
            let year = context.year(spec)?;
            let recess = cal
                .recess(kind, year)
                .ok_or(PhraseError::NoRecessData { kind, year })?;
            (recess, None)
        }
        None => {
            let made_on = context.made_on.ok_or_else(|| context.needs_date())?;
            let recess = cal
                .next_recess(kind, made_on)
                .map_err(|year| PhraseError::NoRecessData { kind, year })?;
            (recess, Some(made_on))
        }
    };
    let due = recess
        .day_before()
        .ok_or_else(|| PhraseError::InvalidDate {
            text: context.text.trim().to_string(),
            reason: tr!(
                "the {kind} {year} starts on the first representable day",
                kind = kind,
                year = recess.year
            ),
        })?;
    let mut explanation = format!(
        "dag vóór het {kind} {} (reces begint {}",
        recess.year,
        long_date(recess.start)
    );
    if let Some(after) = after {
        explanation.push_str(&format!("; eerste {kind} na {}", long_date(after)));
    }
    explanation.push(')');
    Ok(PhraseDue { due, explanation })
}

fn resolve_named_day(
    context: &Context<'_>,
    cal: &Calendar,
    day: NamedDay,
    before: bool,
    year: Option<YearSpec>,
) -> Result<PhraseDue, PhraseError> {
    let out_of_range = |year: i16| PhraseError::InvalidDate {
        text: context.text.trim().to_string(),
        reason: tr!("the year {year} is out of range", year = year),
    };
    let (named, year_text, after) = match year {
        Some(spec) => {
            let resolved = context.year(spec)?;
            let named = day
                .in_year(resolved, cal)
                .ok_or_else(|| out_of_range(resolved))?;
            let year_text = match spec {
                YearSpec::Absolute(y) => y.to_string(),
                YearSpec::This => format!("dit jaar ({resolved})"),
                YearSpec::Next => format!("volgend jaar ({resolved})"),
            };
            (named, year_text, None)
        }
        None => {
            let made_on = context.made_on.ok_or_else(|| context.needs_date())?;
            let next_year = made_on.year().saturating_add(1);
            let named = day
                .next_after(made_on, cal)
                .ok_or_else(|| out_of_range(next_year))?;
            let year_text = named.date.year().to_string();
            (named, year_text, Some(made_on))
        }
    };
    let after = after
        .map(|after| format!("; eerste {} na {}", day.name(), long_date(after)))
        .unwrap_or_default();
    if !before {
        return Ok(PhraseDue {
            due: named.date,
            explanation: format!(
                "{} {year_text}: {} ({}{after})",
                day.name(),
                long_date(named.date),
                named.rule
            ),
        });
    }
    let due = named
        .date
        .yesterday()
        .map_err(|_| out_of_range(named.date.year()))?;
    Ok(PhraseDue {
        due,
        explanation: format!(
            "dag vóór {} {year_text}: {} ({} is {}: {}{after})",
            day.name(),
            long_date(due),
            day.name(),
            long_date(named.date),
            named.rule
        ),
    })
}

/// A phrase form other than a date or a recess, before its year is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// "eind 2020": 31 December.
    EndOfYear,
    /// "medio 2020": 30 June.
    MidYear,
    /// "Q3 2020": the last day of quarter 1–4.
    Quarter(i8),
    /// "juni 2020", "eind juni 2020": the last day of month 1–12.
    Month(i8),
    /// "voorjaar 2020": 20 June.
    Voorjaar,
    /// "zomer 2020": 21 September.
    Zomer,
    /// "najaar 2020": 20 December.
    Najaar,
}

impl Form {
    fn parse(head: &[&str]) -> Option<Form> {
        match head {
            ["eind" | "einde"] => Some(Form::EndOfYear),
            ["medio"] => Some(Form::MidYear),
            ["voorjaar"] => Some(Form::Voorjaar),
            ["zomer"] => Some(Form::Zomer),
            ["najaar"] => Some(Form::Najaar),
            [word] => quarter_code(word)
                .map(Form::Quarter)
                .or_else(|| month_number(word).map(Form::Month)),
            [ordinal, "kwartaal"] => quarter_ordinal(ordinal).map(Form::Quarter),
            ["eind" | "einde", month] => month_number(month).map(Form::Month),
            _ => None,
        }
    }

    /// The due date in `year`, or `None` when the year is out of range.
    fn due(self, year: i16) -> Option<Date> {
        let (month, day) = match self {
            Form::EndOfYear => (12, 31),
            Form::MidYear => (6, 30),
            Form::Voorjaar => (6, 20),
            Form::Zomer => (9, 21),
            Form::Najaar => (12, 20),
            Form::Quarter(q) => return Date::new(year, q * 3, 1).ok().map(Date::last_of_month),
            Form::Month(m) => return Date::new(year, m, 1).ok().map(Date::last_of_month),
        };
        Date::new(year, month, day).ok()
    }

    /// The form's name and the rule by which it was read, for an
    /// explanation ("Q3", "laatste dag van het kwartaal").
    fn describe(self) -> (String, &'static str) {
        match self {
            Form::EndOfYear => ("eind".to_string(), "laatste dag van het jaar"),
            Form::MidYear => ("medio".to_string(), "medio is 30 juni"),
            Form::Voorjaar => (
                "voorjaar".to_string(),
                "het voorjaar loopt tot en met 20 juni",
            ),
            Form::Zomer => (
                "zomer".to_string(),
                "de zomer loopt tot en met 21 september",
            ),
            Form::Najaar => (
                "najaar".to_string(),
                "het najaar loopt tot en met 20 december",
            ),
            Form::Quarter(q) => (format!("Q{q}"), "laatste dag van het kwartaal"),
            Form::Month(m) => (
                month_name(m).unwrap_or("?").to_string(),
                "laatste dag van de maand",
            ),
        }
    }
}

/// The quarter of "q1" … "q4".
fn quarter_code(word: &str) -> Option<i8> {
    let n: i8 = word.strip_prefix('q')?.parse().ok()?;
    (1..=4).contains(&n).then_some(n)
}

/// The quarter an ordinal names: "eerste"/"1e"/"1ste" … "vierde"/"4e"/"4de".
fn quarter_ordinal(word: &str) -> Option<i8> {
    match word {
        "eerste" | "1e" | "1ste" => Some(1),
        "tweede" | "2e" | "2de" => Some(2),
        "derde" | "3e" | "3de" => Some(3),
        "vierde" | "4e" | "4de" => Some(4),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use std::sync::LazyLock;

    static NL: LazyLock<Calendar> = LazyLock::new(|| Calendar::nl().expect("embedded data loads"));

    fn due(text: &str, made_on: Option<Date>) -> Date {
        match resolve_phrase(text, made_on, &NL) {
            Ok(resolved) => resolved.due,
            Err(err) => panic!("{text:?}: {err}"),
        }
    }

    fn error(text: &str, made_on: Option<Date>) -> PhraseError {
        match resolve_phrase(text, made_on, &NL) {
            Ok(resolved) => panic!("{text:?} resolved to {}", resolved.due),
            Err(err) => err,
        }
    }

    #[test]
    fn iso_dates() {
        assert_eq!(due("2020-06-05", None), date(2020, 6, 5));
        assert_eq!(due(" 2020-06-05 ", None), date(2020, 6, 5));
        assert!(matches!(
            error("2020-02-30", None),
            PhraseError::InvalidDate { .. }
        ));
        assert!(matches!(
            error("2020-6-5", None),
            PhraseError::InvalidDate { .. }
        ));
    }

    #[test]
    fn recess_with_a_year() {
        let resolved = resolve_phrase("voor het zomerreces 2020", None, &NL).expect("known recess");
        assert_eq!(resolved.due, date(2020, 7, 2));
        insta::assert_snapshot!(resolved.explanation, @"dag vóór het zomerreces 2020 (reces begint vrijdag 3 juli 2020)");
        for text in [
            "vóór het zomerreces 2020",
            "Voor het Zomerreces 2020",
            "voor zomerreces 2020",
            "uiterlijk vóór het zomerreces van 2020",
            "voor het zomerreces 2020.",
        ] {
            assert_eq!(due(text, None), date(2020, 7, 2), "{text:?}");
        }
        assert_eq!(due("voor het kerstreces 2023", None), date(2023, 12, 21));
        assert_eq!(due("voor het herfstreces 2023", None), date(2023, 10, 12));
        assert_eq!(due("voor het voorjaarsreces 2024", None), date(2024, 2, 15));
        assert_eq!(due("voor het meireces 2024", None), date(2024, 4, 25));
    }

    #[test]
    fn recess_without_a_year_is_the_next_one() {
        let made_on = Some(date(2023, 9, 1));
        assert_eq!(due("voor het zomerreces", made_on), date(2024, 7, 4));
        assert_eq!(due("voor het kerstreces", made_on), date(2023, 12, 21));
        assert_eq!(
            due("voor het zomerreces dit jaar", Some(date(2023, 1, 10))),
            date(2023, 7, 6)
        );
        assert_eq!(
            due("voor het zomerreces volgend jaar", Some(date(2023, 1, 10))),
            date(2024, 7, 4)
        );
    }

    #[test]
    fn recess_without_data_is_never_guessed() {
        assert_eq!(
            error("voor het zomerreces 2025", None),
            PhraseError::NoRecessData {
                kind: RecessKind::Zomerreces,
                year: 2025
            }
        );
        // Made during the 2024 recess: the next one is 2025, unknown.
        assert_eq!(
            error("voor het zomerreces", Some(date(2024, 8, 1))),
            PhraseError::NoRecessData {
                kind: RecessKind::Zomerreces,
                year: 2025
            }
        );
        let err = error("voor het herfstreces 2019", None);
        insta::assert_snapshot!(err.to_string(), @"no recess data for the herfstreces of 2019");
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("termijn::onbekend")
        );
        insta::assert_snapshot!(err.help().map(|h| h.to_string()).unwrap_or_default(), @"add the recess with its source to a calendar file (`recesses: [{ name, year, start, end, source }]`), or write the due date itself");
    }

    #[test]
    fn end_and_middle_of_the_year() {
        assert_eq!(due("eind 2020", None), date(2020, 12, 31));
        assert_eq!(due("einde 2020", None), date(2020, 12, 31));
        assert_eq!(due("Uiterlijk eind 2020", None), date(2020, 12, 31));
        assert_eq!(due("medio 2020", None), date(2020, 6, 30));
        let resolved =
            resolve_phrase("eind dit jaar", Some(date(2021, 3, 4)), &NL).expect("relative");
        assert_eq!(resolved.due, date(2021, 12, 31));
        insta::assert_snapshot!(resolved.explanation, @"eind dit jaar (2021): vrijdag 31 december 2021 (laatste dag van het jaar)");
        assert_eq!(
            due("medio volgend jaar", Some(date(2021, 3, 4))),
            date(2022, 6, 30)
        );
    }

    #[test]
    fn quarters() {
        assert_eq!(due("Q1 2020", None), date(2020, 3, 31));
        assert_eq!(due("q2 2020", None), date(2020, 6, 30));
        assert_eq!(due("Q3 2020", None), date(2020, 9, 30));
        assert_eq!(due("Q4 2020", None), date(2020, 12, 31));
        assert_eq!(due("derde kwartaal 2020", None), date(2020, 9, 30));
        assert_eq!(
            due("in het derde kwartaal van 2020", None),
            date(2020, 9, 30)
        );
        assert_eq!(due("eerste kwartaal 2021", None), date(2021, 3, 31));
        assert_eq!(due("2e kwartaal 2021", None), date(2021, 6, 30));
        assert_eq!(
            due("4e kwartaal dit jaar", Some(date(2020, 2, 1))),
            date(2020, 12, 31)
        );
        let resolved = resolve_phrase("Q3 2020", None, &NL).expect("quarter");
        insta::assert_snapshot!(resolved.explanation, @"Q3 2020: woensdag 30 september 2020 (laatste dag van het kwartaal)");
        assert!(matches!(
            error("Q5 2020", None),
            PhraseError::Unknown { .. }
        ));
    }

    #[test]
    fn months() {
        assert_eq!(due("juni 2020", None), date(2020, 6, 30));
        assert_eq!(due("eind juni 2020", None), date(2020, 6, 30));
        assert_eq!(due("februari 2020", None), date(2020, 2, 29));
        assert_eq!(due("eind februari 2021", None), date(2021, 2, 28));
        assert_eq!(
            due("in september dit jaar", Some(date(2020, 1, 1))),
            date(2020, 9, 30)
        );
        let resolved = resolve_phrase("eind juni 2020", None, &NL).expect("month");
        insta::assert_snapshot!(resolved.explanation, @"juni 2020: dinsdag 30 juni 2020 (laatste dag van de maand)");
    }

    #[test]
    fn seasons() {
        assert_eq!(due("voorjaar 2020", None), date(2020, 6, 20));
        assert_eq!(due("zomer 2020", None), date(2020, 9, 21));
        assert_eq!(due("najaar 2020", None), date(2020, 12, 20));
        assert_eq!(due("in het voorjaar van 2020", None), date(2020, 6, 20));
        assert_eq!(
            due("in de zomer van dit jaar", Some(date(2020, 1, 1))),
            date(2020, 9, 21)
        );
        // Winter spans two years; the phrase does not say which end.
        assert!(matches!(
            error("winter 2020", None),
            PhraseError::Unknown { .. }
        ));
    }

    #[test]
    fn prinsjesdag_and_verantwoordingsdag() {
        // Grondwet art. 65: the third Tuesday of September.
        let on = resolve_phrase("Prinsjesdag 2021", None, &NL).expect("known day");
        assert_eq!(on.due, date(2021, 9, 21));
        insta::assert_snapshot!(on.explanation, @"Prinsjesdag 2021: dinsdag 21 september 2021 (derde dinsdag van september, Grondwet art. 65)");
        let before = resolve_phrase("voor Prinsjesdag 2021", None, &NL).expect("known day");
        assert_eq!(before.due, date(2021, 9, 20));
        insta::assert_snapshot!(before.explanation, @"dag vóór Prinsjesdag 2021: maandag 20 september 2021 (Prinsjesdag is dinsdag 21 september 2021: derde dinsdag van september, Grondwet art. 65)");
        for text in [
            "uiterlijk Prinsjesdag 2021",
            "op Prinsjesdag 2021",
            "uiterlijk op prinsjesdag van 2021",
            "PRINSJESDAG 2021.",
        ] {
            assert_eq!(due(text, None), date(2021, 9, 21), "{text:?}");
        }
        assert_eq!(due("vóór Prinsjesdag 2021", None), date(2021, 9, 20));
        // Comptabiliteitswet 2016 art. 2.37 lid 2: the third Wednesday of May.
        assert_eq!(
            due("uiterlijk Verantwoordingsdag 2022", None),
            date(2022, 5, 18)
        );
        assert_eq!(due("voor Verantwoordingsdag 2024", None), date(2024, 5, 14));
        let resolved = resolve_phrase("Verantwoordingsdag 2024", None, &NL).expect("known day");
        insta::assert_snapshot!(resolved.explanation, @"Verantwoordingsdag 2024: woensdag 15 mei 2024 (derde woensdag van mei, Comptabiliteitswet 2016 art. 2.37 lid 2)");
        assert_eq!(
            due("Verantwoordingsdag volgend jaar", Some(date(2021, 6, 1))),
            date(2022, 5, 18)
        );
        assert_eq!(
            due("voor Prinsjesdag dit jaar", Some(date(2021, 1, 4))),
            date(2021, 9, 20)
        );
    }

    #[test]
    fn a_named_day_without_a_year_is_the_next_one() {
        let resolved =
            resolve_phrase("voor Prinsjesdag", Some(date(2021, 9, 21)), &NL).expect("next one");
        assert_eq!(resolved.due, date(2022, 9, 19));
        insta::assert_snapshot!(resolved.explanation, @"dag vóór Prinsjesdag 2022: maandag 19 september 2022 (Prinsjesdag is dinsdag 20 september 2022: derde dinsdag van september, Grondwet art. 65; eerste Prinsjesdag na dinsdag 21 september 2021)");
        assert_eq!(
            due("Verantwoordingsdag", Some(date(2023, 1, 10))),
            date(2023, 5, 17)
        );
        assert!(matches!(
            error("voor Prinsjesdag", None),
            PhraseError::NeedsDate { .. }
        ));
        // Other prepositions and names stay unknown.
        for text in [
            "rond Prinsjesdag 2021",
            "na Prinsjesdag 2021",
            "voor het Prinsjesdag 2021",
            "voor Koningsdag 2021",
        ] {
            assert!(
                matches!(error(text, None), PhraseError::Unknown { .. }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn dit_jaar_needs_a_date() {
        let err = error("eind dit jaar", None);
        insta::assert_snapshot!(err.to_string(), @"`eind dit jaar` is relative, but the date the commitment was made is unknown");
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("termijn::geen-datum")
        );
        assert!(matches!(
            error("voor het zomerreces", None),
            PhraseError::NeedsDate { .. }
        ));
        assert!(matches!(
            error("Q3 volgend jaar", None),
            PhraseError::NeedsDate { .. }
        ));
    }

    #[test]
    fn anything_else_is_unknown() {
        for text in [
            "",
            "binnenkort",
            "zo snel mogelijk",
            "eind juni",
            "2020",
            "voor de zomer 2020",
            "eind 20200",
            "voor het winterreces 2020",
        ] {
            assert!(
                matches!(
                    error(text, Some(date(2020, 1, 1))),
                    PhraseError::Unknown { .. }
                ),
                "{text:?}"
            );
        }
        let err = error("zo snel mogelijk", None);
        insta::assert_snapshot!(err.to_string(), @"unknown due phrase `zo snel mogelijk`");
        insta::assert_snapshot!(
            err.text().render(crate::text::Lang::Nl),
            @"onbekende termijnomschrijving `zo snel mogelijk`"
        );
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("termijn::onbekend")
        );
    }
}
