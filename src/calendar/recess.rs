//! Tweede Kamer recesses: the periods in which the Kamer does not meet.
//!
//! Commitments to parliament are often due "voor het zomerreces", so the
//! calendar needs the date each recess starts. Those dates are decided by the
//! Kamer each year and cannot be computed; they come from data files in which
//! every entry names its source (see `data/recesses.yaml`). A recess runs, in
//! the Kamer's own style, "vrijdag X t/m maandag Y": `start` is the first day
//! without sittings, `end` the last.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::Deserialize;

use crate::text::Text;
use crate::tr;

/// The kinds of recess the Tweede Kamer holds each year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecessKind {
    /// The February recess (around the spring school holiday).
    Voorjaarsreces,
    /// The recess around Koningsdag and 5 mei.
    Meireces,
    /// The summer recess, early July to early September.
    Zomerreces,
    /// The October recess (since 1997).
    Herfstreces,
    /// The Christmas recess; it belongs to the year in which it starts.
    Kerstreces,
}

impl RecessKind {
    /// Every kind, in calendar order.
    pub const ALL: [RecessKind; 5] = [
        RecessKind::Voorjaarsreces,
        RecessKind::Meireces,
        RecessKind::Zomerreces,
        RecessKind::Herfstreces,
        RecessKind::Kerstreces,
    ];

    /// The Dutch name, as used in data files and phrases ("zomerreces").
    pub fn as_str(self) -> &'static str {
        match self {
            RecessKind::Voorjaarsreces => "voorjaarsreces",
            RecessKind::Meireces => "meireces",
            RecessKind::Zomerreces => "zomerreces",
            RecessKind::Herfstreces => "herfstreces",
            RecessKind::Kerstreces => "kerstreces",
        }
    }
}

impl fmt::Display for RecessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`RecessKind`] from a name that is none of the
/// five.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRecessKind(pub String);

impl UnknownRecessKind {
    /// What is wrong, in either language.
    pub fn text(&self) -> Text {
        tr!(
            "unknown recess `{name}` (expected voorjaarsreces, meireces, zomerreces, herfstreces or kerstreces)",
            name = &self.0
        )
    }
}

/// The English message.
impl fmt::Display for UnknownRecessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl std::error::Error for UnknownRecessKind {}

impl FromStr for RecessKind {
    type Err = UnknownRecessKind;

    /// Parses a name case-insensitively ("Zomerreces" is `Zomerreces`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        RecessKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == lower)
            .ok_or_else(|| UnknownRecessKind(s.to_string()))
    }
}

/// One recess of one year, as loaded from a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recess {
    /// Which recess this is.
    pub kind: RecessKind,
    /// The year the recess belongs to: the year in which it starts.
    pub year: i16,
    /// The first day on which the Kamer does not meet (usually a Friday).
    pub start: Date,
    /// The last day of the recess (usually a Monday), when known.
    pub end: Option<Date>,
    /// Where the dates come from: a URL or a citation.
    pub source: String,
    /// A remark on the entry, e.g. that `start` is inferred from the last
    /// sitting day rather than stated by the source.
    pub note: Option<String>,
    /// The file the entry was loaded from (`builtin:recesses.yaml` for the
    /// embedded data).
    pub origin: String,
}

impl Recess {
    /// The last day before the recess: the due date of "voor het
    /// zomerreces" and the like. `None` only when `start` is the first
    /// representable date.
    pub fn day_before(&self) -> Option<Date> {
        self.start.yesterday().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_case_insensitively() {
        assert_eq!("Zomerreces".parse(), Ok(RecessKind::Zomerreces));
        assert_eq!(" kerstreces ".parse(), Ok(RecessKind::Kerstreces));
        for kind in RecessKind::ALL {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
    }

    #[test]
    fn unknown_kind_is_an_error() {
        let err = "winterreces".parse::<RecessKind>().err();
        insta::assert_snapshot!(
            err.map(|e| e.to_string()).unwrap_or_default(),
            @"unknown recess `winterreces` (expected voorjaarsreces, meireces, zomerreces, herfstreces or kerstreces)"
        );
    }
}
