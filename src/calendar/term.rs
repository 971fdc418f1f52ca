//! Legal terms as written in rules: `N werkdagen`, `N dagen`, `N weken`,
//! `N maanden`, `N jaar` (SPEC §7). The count may also be written in words
//! ("drie maanden", "een jaar", "veertien dagen"), as letters and promises
//! write it ([`Term::read`]).
//!
//! This file is the grammar: [`Term`] parses a text case-insensitively and
//! prints it back in canonical form. What a term *means*, the due date and
//! the Algemene termijnenwet, is in [`super::due`].

use std::fmt;
use std::str::FromStr;

use miette::Diagnostic;

use super::TermijnCode;
use crate::text::Text;
use crate::tr;

/// The unit of a [`Term`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Working days: not a weekend day, feestdag or gelijkgestelde dag.
    Werkdagen,
    /// Calendar days.
    Dagen,
    /// Weeks of 7 calendar days.
    Weken,
    /// Calendar months.
    Maanden,
    /// Calendar years (12 months): longer than the Atw's three months, so
    /// the Atw never applies (art. 4).
    Jaren,
}

impl Unit {
    /// The Dutch word for `n` of this unit ("1 werkdag", "5 werkdagen").
    pub fn word(self, n: u32) -> &'static str {
        match (self, n == 1) {
            (Unit::Werkdagen, true) => "werkdag",
            (Unit::Werkdagen, false) => "werkdagen",
            (Unit::Dagen, true) => "dag",
            (Unit::Dagen, false) => "dagen",
            (Unit::Weken, true) => "week",
            (Unit::Weken, false) => "weken",
            (Unit::Maanden, true) => "maand",
            (Unit::Maanden, false) => "maanden",
            // Dutch counts years in the singular: "2 jaar".
            (Unit::Jaren, _) => "jaar",
        }
    }

    /// The unit a word names, singular or plural, in lower case.
    /// "kalenderdag(en)" is accepted as a synonym of "dag(en)".
    fn from_word(word: &str) -> Option<Unit> {
        match word {
            "werkdag" | "werkdagen" => Some(Unit::Werkdagen),
            "dag" | "dagen" | "kalenderdag" | "kalenderdagen" => Some(Unit::Dagen),
            "week" | "weken" => Some(Unit::Weken),
            "maand" | "maanden" => Some(Unit::Maanden),
            "jaar" | "jaren" => Some(Unit::Jaren),
            _ => None,
        }
    }

    /// The largest count of this unit to which the Atw applies (art. 4:
    /// not to terms longer than 90 days, 12 weeks or 3 months; so to no
    /// term in years); `None` for working days, to which it is irrelevant.
    pub fn atw_limit(self) -> Option<u32> {
        match self {
            Unit::Werkdagen => None,
            Unit::Dagen => Some(90),
            Unit::Weken => Some(12),
            Unit::Maanden => Some(3),
            Unit::Jaren => Some(0),
        }
    }

    /// Why the Atw does not apply to `n` of this unit (art. 4), in Dutch,
    /// or `None` when it does.
    pub fn atw_excluded(self, n: u32) -> Option<String> {
        match self {
            Unit::Jaren => Some("termijn langer dan 3 maanden (Atw art. 4)".to_string()),
            _ => self.atw_limit().filter(|limit| n > *limit).map(|limit| {
                format!(
                    "termijn langer dan {limit} {} (Atw art. 4)",
                    self.word(limit)
                )
            }),
        }
    }
}

/// A legal term: a positive count and a unit ("5 werkdagen").
///
/// Parses case-insensitively and tolerates extra whitespace ("5  Werkdagen",
/// "5werkdagen"); singular and plural are both accepted whatever the count.
/// [`fmt::Display`] gives the canonical form ("1 werkdag", "14 dagen").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Term {
    /// How many units.
    pub n: u32,
    /// Which unit.
    pub unit: Unit,
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.n, self.unit.word(self.n))
    }
}

/// Why a text is not a [`Term`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermError {
    /// The text is not a number followed by a unit.
    Syntax {
        /// The text as given.
        text: String,
    },
    /// The unit is not one of werkdagen, dagen, weken, maanden, jaar.
    UnknownUnit {
        /// The text as given.
        text: String,
        /// The word in the unit's place.
        unit: String,
    },
    /// The count is zero.
    Zero {
        /// The text as given.
        text: String,
    },
    /// The count does not fit in 32 bits.
    TooLong {
        /// The text as given.
        text: String,
    },
}

impl TermError {
    /// What is wrong, in either language.
    pub fn text(&self) -> Text {
        match self {
            TermError::Syntax { text } => tr!("`{text}` is not a term", text = text),
            TermError::UnknownUnit { text, unit } => tr!(
                "unknown unit `{unit}` in term `{text}`",
                unit = unit,
                text = text
            ),
            TermError::Zero { text } => tr!(
                "term `{text}` is empty: the count must be at least 1",
                text = text
            ),
            TermError::TooLong { text } => tr!("term `{text}` is too long", text = text),
        }
    }

    /// How to fix it.
    pub fn help_text(&self) -> Text {
        match self {
            TermError::Syntax { .. } => tr!(
                "write a term as a number and a unit: `5 werkdagen`, `14 dagen`, `10 weken`, `3 maanden`"
            ),
            TermError::UnknownUnit { .. } => tr!(
                "the units are werkdag(en), dag(en), week/weken, maand(en) and jaar; terms in hours are outside the Algemene termijnenwet"
            ),
            TermError::Zero { .. } => tr!(
                "a term counts at least one unit; for a deadline on a fixed day, write the date"
            ),
            TermError::TooLong { .. } => tr!("a term counts at most 4294967295 units"),
        }
    }

    /// The problem code (`termijn::syntax`, `termijn::eenheid`, `termijn::nul`).
    pub fn problem_code(&self) -> TermijnCode {
        match self {
            TermError::Syntax { .. } | TermError::TooLong { .. } => TermijnCode::Syntax,
            TermError::UnknownUnit { .. } => TermijnCode::Eenheid,
            TermError::Zero { .. } => TermijnCode::Nul,
        }
    }
}

/// The English message, as logs and the machine formats show it.
impl fmt::Display for TermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl std::error::Error for TermError {}

impl Diagnostic for TermError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.problem_code().as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.help_text().en()))
    }
}

impl FromStr for Term {
    type Err = TermError;

    /// Reads a term with its count in digits or in words: see [`Term::read`].
    fn from_str(s: &str) -> Result<Term, TermError> {
        Term::read(s)
    }
}

impl Term {
    /// A term with its count in digits ("5 werkdagen", "5werkdagen").
    fn in_digits(s: &str) -> Result<Term, TermError> {
        let text = s.trim();
        let lower = text.to_lowercase();
        let digits_end = lower
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(lower.len());
        let (digits, rest) = lower.split_at(digits_end);
        let unit_word = rest.trim();
        let syntax = || TermError::Syntax {
            text: text.to_string(),
        };
        if digits.is_empty() || unit_word.is_empty() || unit_word.contains(char::is_whitespace) {
            return Err(syntax());
        }
        if !unit_word.chars().all(char::is_alphabetic) {
            return Err(syntax());
        }
        let n: u32 = digits.parse().map_err(|_| TermError::TooLong {
            text: text.to_string(),
        })?;
        let unit = Unit::from_word(unit_word).ok_or_else(|| TermError::UnknownUnit {
            text: text.to_string(),
            unit: unit_word.to_string(),
        })?;
        if n == 0 {
            return Err(TermError::Zero {
                text: text.to_string(),
            });
        }
        Ok(Term { n, unit })
    }

    /// Reads a term with its count in digits ("3 maanden") or as a Dutch
    /// number word ("drie maanden", "een jaar"), as letters and promises
    /// write it; [`str::parse`] reads the same, so a rule's `term:` and
    /// CEL's `add_term` take both.
    pub fn read(text: &str) -> Result<Term, TermError> {
        let trimmed = text.trim();
        let Some((n, unit_word)) = in_words(&trimmed.to_lowercase()) else {
            return Term::in_digits(trimmed);
        };
        let unit = Unit::from_word(&unit_word).ok_or_else(|| TermError::UnknownUnit {
            text: trimmed.to_string(),
            unit: unit_word.clone(),
        })?;
        Ok(Term { n, unit })
    }
}

/// The count a lower-case Dutch number word names: "een" (also "één",
/// "eén") to "twintig", and the tens to "negentig". Compounds ("eenentwintig") are not read; write
/// those in digits.
fn number_word(word: &str) -> Option<u32> {
    const WORDS: [(&str, u32); 27] = [
        ("een", 1),
        ("twee", 2),
        ("drie", 3),
        ("vier", 4),
        ("vijf", 5),
        ("zes", 6),
        ("zeven", 7),
        ("acht", 8),
        ("negen", 9),
        ("tien", 10),
        ("elf", 11),
        ("twaalf", 12),
        ("dertien", 13),
        ("veertien", 14),
        ("vijftien", 15),
        ("zestien", 16),
        ("zeventien", 17),
        ("achttien", 18),
        ("negentien", 19),
        ("twintig", 20),
        ("dertig", 30),
        ("veertig", 40),
        ("vijftig", 50),
        ("zestig", 60),
        ("zeventig", 70),
        ("tachtig", 80),
        ("negentig", 90),
    ];
    let word = word.replace('é', "e");
    WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
}

/// A lower-case term with its count in words ("drie maanden"): the count
/// and the unit's word, or `None` when the text is not two words of which
/// the first is a number word.
fn in_words(lower: &str) -> Option<(u32, String)> {
    let mut words = lower.split_whitespace();
    let (count, unit, None) = (words.next()?, words.next()?, words.next()) else {
        return None;
    };
    let n = number_word(count)?;
    unit.chars()
        .all(char::is_alphabetic)
        .then(|| (n, unit.to_string()))
}

/// Whether `text` has the shape of a term (a number in digits or in words,
/// then one word: see [`Term::read`]), as opposed to a due phrase. A text of that shape with an
/// unknown unit is a bad term, not an unknown phrase.
pub fn looks_like_term(text: &str) -> bool {
    let text = text.trim();
    if in_words(&text.to_lowercase()).is_some() {
        return true;
    }
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.len() < text.len() && {
        let word = rest.trim();
        !word.is_empty() && word.chars().all(char::is_alphabetic)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn term(text: &str) -> Term {
        text.parse().expect("a valid term")
    }

    #[test]
    fn terms_parse_and_display_canonically() {
        let cases = [
            ("5 werkdagen", 5, Unit::Werkdagen, "5 werkdagen"),
            ("1 werkdag", 1, Unit::Werkdagen, "1 werkdag"),
            ("14 dagen", 14, Unit::Dagen, "14 dagen"),
            ("1 dag", 1, Unit::Dagen, "1 dag"),
            ("10 weken", 10, Unit::Weken, "10 weken"),
            ("1 week", 1, Unit::Weken, "1 week"),
            ("3 maanden", 3, Unit::Maanden, "3 maanden"),
            ("1 maand", 1, Unit::Maanden, "1 maand"),
            ("  5   WerkDagen ", 5, Unit::Werkdagen, "5 werkdagen"),
            ("5werkdagen", 5, Unit::Werkdagen, "5 werkdagen"),
            ("2 week", 2, Unit::Weken, "2 weken"),
            ("1 maanden", 1, Unit::Maanden, "1 maand"),
            ("7 kalenderdagen", 7, Unit::Dagen, "7 dagen"),
        ];
        for (text, n, unit, canonical) in cases {
            let parsed = term(text);
            assert_eq!(parsed, Term { n, unit }, "{text:?}");
            assert_eq!(parsed.to_string(), canonical);
            assert_eq!(term(canonical), parsed, "canonical form round-trips");
        }
    }

    #[test]
    fn counts_in_words() {
        let cases = [
            ("drie maanden", 3, Unit::Maanden, "3 maanden"),
            ("een jaar", 1, Unit::Jaren, "1 jaar"),
            ("één jaar", 1, Unit::Jaren, "1 jaar"),
            ("Eén week", 1, Unit::Weken, "1 week"),
            ("twee weken", 2, Unit::Weken, "2 weken"),
            ("zes weken", 6, Unit::Weken, "6 weken"),
            ("tien dagen", 10, Unit::Dagen, "10 dagen"),
            ("  Vijf   Werkdagen ", 5, Unit::Werkdagen, "5 werkdagen"),
            ("twaalf maanden", 12, Unit::Maanden, "12 maanden"),
            ("veertien dagen", 14, Unit::Dagen, "14 dagen"),
            ("twintig werkdagen", 20, Unit::Werkdagen, "20 werkdagen"),
            ("negentig dagen", 90, Unit::Dagen, "90 dagen"),
            ("twee jaren", 2, Unit::Jaren, "2 jaar"),
        ];
        let read = |text: &str| Term::read(text).expect("a valid term");
        for (text, n, unit, canonical) in cases {
            assert_eq!(read(text), Term { n, unit }, "{text:?}");
            assert_eq!(read(text).to_string(), canonical);
            assert!(looks_like_term(text), "{text:?}");
            // A rule's `term:` and `add_term` read words too (issue 19).
            assert_eq!(text.parse::<Term>(), Ok(Term { n, unit }), "{text:?}");
        }
        assert_eq!(read("14 dagen"), term("14 dagen"));
        let words = [
            "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf",
            "twaalf",
        ];
        for (n, word) in (1..).zip(words) {
            assert_eq!(read(&format!("{word} dagen")).n, n, "{word}");
        }
        // Not a count: a phrase, not a term.
        for text in [
            "eind juni",
            "voor het zomerreces",
            "een",
            "drie maanden na ontvangst",
        ] {
            assert!(!looks_like_term(text), "{text:?}");
        }
        insta::assert_snapshot!(
            Term::read("drie uren").err().map(|e| e.to_string()).unwrap_or_default(),
            @"unknown unit `uren` in term `drie uren`"
        );
        // Compounds are not read: the text is no term at all.
        assert!(Term::read("eenentwintig dagen").is_err());
    }

    #[test]
    fn bad_terms_say_why() {
        let error = |text: &str| {
            text.parse::<Term>()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        insta::assert_snapshot!(error(""), @"`` is not a term");
        insta::assert_snapshot!(error("werkdagen"), @"`werkdagen` is not a term");
        insta::assert_snapshot!(error("5"), @"`5` is not a term");
        insta::assert_snapshot!(error("5 werk dagen"), @"`5 werk dagen` is not a term");
        insta::assert_snapshot!(error("5 uren"), @"unknown unit `uren` in term `5 uren`");
        insta::assert_snapshot!(error("0 dagen"), @"term `0 dagen` is empty: the count must be at least 1");
        insta::assert_snapshot!(error("99999999999 dagen"), @"term `99999999999 dagen` is too long");
        let code = "5 jaartjes"
            .parse::<Term>()
            .err()
            .and_then(|e| e.code().map(|c| c.to_string()));
        assert_eq!(code.as_deref(), Some("termijn::eenheid"));
    }
}
