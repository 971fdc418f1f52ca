//! Readings of due phrases that a project decides (`phrases:` in the
//! project file).
//!
//! "voor de zomer", "na de zomer" or "rond de jaarwisseling" are not law:
//! which day they end on is a convention of the Kamer or of whoever audits
//! the promises. naleving does not guess them ([`super::PhraseError::Unknown`],
//! a `termijn::onbekend` finding), but a project may declare its reading:
//!
//! ```yaml
//! phrases:
//!   "voor de zomer":
//!     means: "voor het zomerreces"
//!     reason: "de Kamer leest 'voor de zomer' als voor het zomerreces (brief 2020-03-12)"
//! ```
//!
//! A [`Reading`] maps the phrase to one naleving knows (a due phrase or a
//! term) and says why. The project file checks the target when it loads
//! ([`unknown_target`]); the [`super::Calendar`] holds the readings, and
//! [`super::resolve_termijn`] applies a declared reading before anything
//! else, so every deadline that reads a due phrase (the `deadline` check's
//! `due:` field, `naleving termijn --project`) uses it and its [`super::Due`]
//! says which reading was applied and why.
//!
//! A phrase is matched as [`super::phrase`] matches its forms: case-insensitively,
//! "vóór" and "voor" alike, whitespace and a final full stop aside
//! ([`phrase_key`]). A declared phrase followed by a year — `voor de zomer
//! 2021`, `voor de zomer van 2021` — is read as its target with that year
//! (`voor het zomerreces 2021`) when the target is a phrase that takes one
//! and has none ([`with_year`]); a target that is a term, or already names
//! a year, is not given another, and the phrase with a year is then
//! unknown, as any phrase the project does not read.

use jiff::civil::Date;

use super::Calendar;
use super::due::TermijnError;
use super::phrase::{PhraseError, normalize, resolve_phrase};
use super::recess::RecessKind;
use super::term::{Term, looks_like_term};

/// A project's reading of a due phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The phrase as the project file writes it ("voor de zomer").
    pub phrase: String,
    /// What it is read as: a due phrase or a term naleving knows ("voor het
    /// zomerreces").
    pub means: String,
    /// Why the project reads it so: the auditor's source for the reading.
    pub reason: String,
}

impl Reading {
    /// How the reading was applied, in Dutch, before the explanation of
    /// the due date it gave: "`voor de zomer` gelezen als `voor het
    /// zomerreces` (lezing van het project: …)".
    pub fn explanation(&self) -> String {
        format!(
            "`{}` gelezen als `{}` (lezing van het project: {})",
            self.phrase, self.means, self.reason
        )
    }
}

/// The key a phrase is declared and looked up by: lower case, "vóór" as
/// "voor", words separated by one space, no final full stop.
pub fn phrase_key(text: &str) -> String {
    normalize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` is a term ("5 werkdagen", "drie maanden") or an ISO date:
/// what the law or the data fixes, so no project reads it otherwise.
pub fn is_term_or_date(text: &str) -> bool {
    let key = phrase_key(text);
    looks_like_term(&key) || super::iso::parse_date(&key).is_some() || looks_like_date(&key)
}

/// A word with the shape of an ISO date (as [`super::phrase`] tells dates
/// from phrases).
fn looks_like_date(key: &str) -> bool {
    !key.contains(' ')
        && key.len() >= 8
        && key.contains('-')
        && key.chars().all(|c| c.is_ascii_digit() || c == '-')
}

/// Why `means` is no due phrase or term naleving knows, or `None` when it
/// is one.
///
/// The target is resolved against an empty calendar without the date of
/// the commitment: a phrase that needs a recess the data lacks ("voor het
/// zomerreces 2031") or that needs that date ("voor het zomerreces") is
/// still a known phrase; a form naleving does not know, a term that is no
/// term ("drie uren") or an invalid date is not.
pub fn unknown_target(means: &str) -> Option<TermijnError> {
    if looks_like_term(means) {
        return Term::read(means).err().map(TermijnError::from);
    }
    match resolve_phrase(means, None, &Calendar::empty()) {
        Ok(_) => None,
        Err(PhraseError::NoRecessData { .. } | PhraseError::NeedsDate { .. }) => None,
        Err(err @ (PhraseError::Unknown { .. } | PhraseError::InvalidDate { .. })) => {
            Some(err.into())
        }
    }
}

/// The known phrase form closest to `text`, with the year `text` ends on
/// ("voor het zomereces 2021" → "voor het zomerreces 2021"), when one is
/// close enough to be a likely typo.
pub fn closest_form(text: &str) -> Option<String> {
    let key = phrase_key(text);
    let words: Vec<&str> = key.split_whitespace().collect();
    let (head, year) = match words.as_slice() {
        [head @ .., "dit" | "volgend", "jaar"] => (head, &words[words.len() - 2..]),
        [head @ .., last] if last.len() == 4 && last.chars().all(|c| c.is_ascii_digit()) => {
            (head, &words[words.len() - 1..])
        }
        _ => (words.as_slice(), &words[..0]),
    };
    let head = head.join(" ");
    let forms = known_forms();
    let closest = crate::problem::closest(&head, forms.iter().map(String::as_str))?;
    Some(
        std::iter::once(closest)
            .chain(year.iter().copied())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The phrase forms [`super::phrase`] reads, without their year, as
/// candidates for [`closest_form`].
fn known_forms() -> Vec<String> {
    let mut forms = Vec::new();
    for kind in RecessKind::ALL {
        forms.push(format!("voor het {kind}"));
    }
    for day in ["prinsjesdag", "verantwoordingsdag"] {
        forms.push(day.to_string());
        forms.push(format!("voor {day}"));
        forms.push(format!("op {day}"));
    }
    for form in ["eind", "einde", "medio", "voorjaar", "zomer", "najaar"] {
        forms.push(form.to_string());
    }
    for ordinal in ["eerste", "tweede", "derde", "vierde"] {
        forms.push(format!("{ordinal} kwartaal"));
        forms.push(format!("in het {ordinal} kwartaal"));
    }
    for month in super::dutch::MONTHS {
        forms.push(month.to_string());
        forms.push(format!("eind {month}"));
    }
    forms
}

/// A phrase key that ends on a year — `… 2021` or `… van 2021` — as the
/// phrase before it and the year.
pub fn year_suffix(key: &str) -> Option<(&str, &str)> {
    let (head, year) = key.rsplit_once(' ')?;
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let head = head.strip_suffix(" van").unwrap_or(head);
    (!head.is_empty()).then_some((head, year))
}

/// The reading of `declared`'s phrase followed by `year`: its target with
/// that year, when the target is a due phrase without one ("voor het
/// zomerreces", "eind juni", "prinsjesdag"); `None` for a term ("drie
/// maanden") or a target that names its year already ("… 2021", "… dit
/// jaar", "… volgend jaar").
pub fn with_year(declared: &Reading, year: &str) -> Option<Reading> {
    let means = phrase_key(&declared.means);
    let dated = means.ends_with(" jaar")
        || means
            .split_whitespace()
            .any(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()));
    if looks_like_term(&means) || dated {
        return None;
    }
    Some(Reading {
        phrase: format!("{} {year}", declared.phrase),
        means: format!("{} {year}", declared.means),
        reason: declared.reason.clone(),
    })
}

/// The day a declared reading gives: resolved as [`super::resolve_termijn`]
/// resolves its target, a failure naming the reading.
pub(super) fn apply(
    reading: &Reading,
    start: Date,
    cal: &Calendar,
    atw: bool,
) -> Result<super::Due, TermijnError> {
    match super::due::resolve_unread(start, &reading.means, cal, atw) {
        Ok(mut due) => {
            due.explanation = format!("{}: {}", reading.explanation(), due.explanation);
            due.reading = Some(reading.clone());
            Ok(due)
        }
        Err(cause) => Err(TermijnError::Reading {
            reading: Box::new(reading.clone()),
            cause: Box::new(cause),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::calendar::resolve_termijn;
    use jiff::civil::date;
    use miette::Diagnostic;

    fn reading(phrase: &str, means: &str) -> Reading {
        Reading {
            phrase: phrase.to_string(),
            means: means.to_string(),
            reason: "brief 2020-03-12".to_string(),
        }
    }

    fn nl_reading(phrase: &str, means: &str) -> Calendar {
        let mut cal = Calendar::nl().expect("embedded data loads");
        cal.set_readings([reading(phrase, means)]);
        cal
    }

    #[test]
    fn phrases_match_as_phrase_forms_do() {
        assert_eq!(phrase_key("  Vóór de  Zomer. "), "voor de zomer");
        assert_eq!(phrase_key("voor de zomer"), "voor de zomer");
    }

    /// A declared reading is applied first, and the due date says which
    /// reading and why.
    #[test]
    fn a_declared_reading_is_applied_and_shown() {
        let cal = nl_reading("voor de zomer", "voor het zomerreces");
        let due = resolve_termijn(date(2020, 1, 30), "Vóór de zomer", &cal, true).expect("read");
        assert_eq!(due.due, date(2020, 7, 2));
        assert_eq!(
            due.reading,
            Some(reading("voor de zomer", "voor het zomerreces"))
        );
        insta::assert_snapshot!(due.explanation, @"`voor de zomer` gelezen als `voor het zomerreces` (lezing van het project: brief 2020-03-12): dag vóór het zomerreces 2020 (reces begint vrijdag 3 juli 2020; eerste zomerreces na donderdag 30 januari 2020)");
        // Without the reading: unknown, as before.
        let nl = Calendar::nl().expect("embedded data loads");
        let err = resolve_termijn(date(2020, 1, 30), "voor de zomer", &nl, true).expect_err("x");
        assert_eq!(err.problem_code().as_str(), "termijn::onbekend", "{err}");
        // A phrase naleving knows carries no reading.
        let known =
            resolve_termijn(date(2020, 1, 30), "voor het zomerreces", &cal, true).expect("known");
        assert_eq!(known.reading, None);
    }

    /// A declared phrase with a year is read as its target with that year;
    /// a target that is a term or has a year of its own takes none.
    #[test]
    fn a_declared_phrase_with_a_year_reads_its_target_in_that_year() {
        let cal = nl_reading("voor de zomer", "voor het zomerreces");
        for text in ["voor de zomer 2021", "Vóór de zomer van 2021."] {
            let due = resolve_termijn(date(2020, 1, 30), text, &cal, true).expect("read");
            assert_eq!(due.due, date(2021, 7, 8), "{text}");
            assert_eq!(
                due.reading,
                Some(reading("voor de zomer 2021", "voor het zomerreces 2021"))
            );
        }
        // A year the recess data lacks: says which reading and what is missing.
        let err = resolve_termijn(date(2020, 1, 30), "voor de zomer 2031", &cal, true)
            .expect_err("no data");
        insta::assert_snapshot!(err.to_string(), @"`voor de zomer 2031` is read as `voor het zomerreces 2031` by the project (brief 2020-03-12): no recess data for the zomerreces of 2031");
        // A term, or a target with its own year, takes no other year.
        for (means, text) in [
            ("drie maanden", "binnenkort 2021"),
            ("voor het zomerreces 2020", "binnenkort 2021"),
            ("eind dit jaar", "binnenkort 2021"),
        ] {
            let cal = nl_reading("binnenkort", means);
            let err = resolve_termijn(date(2020, 1, 30), text, &cal, true).expect_err(means);
            assert_eq!(
                err.problem_code().as_str(),
                "termijn::onbekend",
                "{means}: {err}"
            );
            assert!(
                matches!(err, TermijnError::Phrase(_)) && !err.to_string().contains("read as"),
                "{means}: the phrase with a year is not read: {err}"
            );
        }
        assert_eq!(
            year_suffix("voor de zomer van 2021"),
            Some(("voor de zomer", "2021"))
        );
        assert_eq!(year_suffix("voor de zomer"), None);
        assert_eq!(year_suffix("2021"), None);
    }

    /// A reading may also mean a term, which then runs from the start date
    /// with the Atw.
    #[test]
    fn a_reading_may_mean_a_term() {
        let cal = nl_reading("binnen afzienbare tijd", "drie maanden");
        let read =
            resolve_termijn(date(2020, 1, 30), "binnen afzienbare tijd", &cal, true).expect("read");
        let term = resolve_termijn(date(2020, 1, 30), "3 maanden", &cal, true).expect("term");
        assert_eq!(read.due, term.due);
        assert_eq!(read.atw, term.atw);
    }

    /// A reading whose target cannot be resolved on the day (no recess
    /// data) is `termijn::onbekend`, and the message names the reading.
    #[test]
    fn a_reading_that_cannot_resolve_names_itself() {
        let cal = nl_reading("voor de zomer", "voor het zomerreces");
        let err = resolve_termijn(date(2025, 1, 30), "voor de zomer", &cal, true)
            .expect_err("no recess data for 2025");
        insta::assert_snapshot!(err.to_string(), @"`voor de zomer` is read as `voor het zomerreces` by the project (brief 2020-03-12): no recess data for the zomerreces of 2025");
        assert_eq!(
            err.code().map(|c| c.to_string()).as_deref(),
            Some("termijn::onbekend")
        );
        assert!(err.help().is_some());
    }

    #[test]
    fn targets_are_checked_without_data() {
        for known in [
            "voor het zomerreces",
            "voor het zomerreces 2031",
            "eind dit jaar",
            "Q3 2021",
            "voor Prinsjesdag",
            "drie maanden",
            "5 werkdagen",
            "2021-06-30",
        ] {
            assert_eq!(unknown_target(known), None, "{known}");
        }
        for unknown in [
            "voor de zomer",
            "drie uren",
            "2021-02-30",
            "voor het zomereces",
        ] {
            assert!(unknown_target(unknown).is_some(), "{unknown}");
        }
    }

    #[test]
    fn the_closest_form_keeps_the_year() {
        assert_eq!(
            closest_form("voor het zomereces 2021").as_deref(),
            Some("voor het zomerreces 2021")
        );
        assert_eq!(
            closest_form("voor prinsjedag").as_deref(),
            Some("voor prinsjesdag")
        );
        assert_eq!(
            closest_form("eind volgnd jaar").as_deref(),
            None,
            "the year words are not corrected"
        );
        assert_eq!(
            closest_form("medo volgend jaar").as_deref(),
            Some("medio volgend jaar")
        );
        assert_eq!(closest_form("rond de jaarwisseling"), None);
    }

    #[test]
    fn terms_and_dates_are_not_phrases() {
        for fixed in ["5 werkdagen", "drie maanden", "2021-06-30", "2021-02-30"] {
            assert!(is_term_or_date(fixed), "{fixed}");
        }
        for phrase in ["voor de zomer", "eind 2021", "Q3 2021"] {
            assert!(!is_term_or_date(phrase), "{phrase}");
        }
    }
}
