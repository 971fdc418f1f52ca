//! Problems with the inputs: a located, coded diagnostic for anything naleving
//! could not use as given — a project file with an unknown key, a rule whose CEL
//! does not parse, a data line that is not JSON, a plugin that fails its hash.
//!
//! Every loader reports into a [`Problems`] list instead of returning on the
//! first error, so one run shows everything that is wrong (cargo-deny's
//! "collect every error" pass). Each problem knows whether it makes the inputs
//! unusable (exit 2) or the check incomplete (exit 3); see [`Impact`].

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::text::Text;
use crate::tr;

/// What a problem means for the run's verdict (and so its exit code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Something is off but the check is complete (e.g. an unused waiver).
    Warning,
    /// The inputs could not (all) be used: exit code 2.
    Unusable,
    /// Some records or rules could not be judged: exit code 3.
    Incomplete,
}

/// A position in a text file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl From<serde_saphyr::Location> for LineCol {
    fn from(loc: serde_saphyr::Location) -> LineCol {
        LineCol {
            line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
            column: u32::try_from(loc.column()).unwrap_or(u32::MAX),
        }
    }
}

/// One problem with the inputs, located where possible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Namespaced code such as `data::parse` or `rule::bad-expression`.
    pub code: Cow<'static, str>,
    /// What is wrong, as a lower-case phrase (in English in the machine
    /// formats, in the report's language in the human and HTML reports).
    pub message: Text,
    /// The file the problem is in, as given (relative to the project where possible).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// Where in that file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<LineCol>,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// What the problem means for the verdict.
    pub impact: Impact,
    /// The keys of the records it concerns, when it concerns records (a
    /// rule that could not judge them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
}

impl Problem {
    /// A problem that makes the inputs unusable (exit 2).
    pub fn unusable(code: impl Into<Cow<'static, str>>, message: impl Into<Text>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            path: None,
            at: None,
            help: None,
            impact: Impact::Unusable,
            records: Vec::new(),
        }
    }

    /// A problem that leaves the check incomplete (exit 3).
    pub fn incomplete(code: impl Into<Cow<'static, str>>, message: impl Into<Text>) -> Self {
        Self {
            impact: Impact::Incomplete,
            ..Self::unusable(code, message)
        }
    }

    /// A problem that is reported but does not change the verdict.
    pub fn warning(code: impl Into<Cow<'static, str>>, message: impl Into<Text>) -> Self {
        Self {
            impact: Impact::Warning,
            ..Self::unusable(code, message)
        }
    }

    /// Names the file the problem is in.
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Names the line and column in that file (both 1-based: a parser's
    /// column 0, "before the first character", is column 1).
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.at = Some(LineCol {
            line: line.max(1),
            column: column.max(1),
        });
        self
    }

    /// Names the place in that file.
    pub fn at_loc(self, at: impl Into<LineCol>) -> Self {
        let at = at.into();
        self.at(at.line, at.column)
    }

    /// Adds a hint on how to fix it.
    pub fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The problems collected during one run, in the order they were found.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.list.push(problem);
    }

    /// How many problems were recorded.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The worst impact recorded, if any.
    pub fn worst(&self) -> Option<Impact> {
        self.list.iter().map(|p| p.impact).max()
    }

    /// True when a problem of at least `impact` was recorded.
    pub fn any(&self, impact: Impact) -> bool {
        self.list.iter().any(|p| p.impact >= impact)
    }

    /// The problems sorted for output: by file, place, code and message, so
    /// that the order does not depend on the order of loading.
    /// A message is compared by its English text, rendered once per
    /// problem (not once per comparison: a file of 10^6 bad values has as
    /// many problems).
    pub fn into_sorted(mut self) -> Vec<Problem> {
        let mut keyed: Vec<(String, Problem)> = self
            .list
            .drain(..)
            .map(|problem| (problem.message.en(), problem))
            .collect();
        keyed.sort_by(|(a_text, a), (b_text, b)| {
            (&a.path, a.at, &a.code, a_text).cmp(&(&b.path, b.at, &b.code, b_text))
        });
        // Equal problems are one; in a database table, whose rows have no
        // lines to tell them apart (rows without a usable key, a key
        // three times), the one problem says how many rows it stands for.
        let mut list: Vec<(Problem, usize)> = Vec::with_capacity(keyed.len());
        for (_, problem) in keyed {
            match list.last_mut() {
                Some((last, rows)) if *last == problem => *rows += 1,
                _ => list.push((problem, 1)),
            }
        }
        self.list = list
            .into_iter()
            .map(|(mut problem, rows)| {
                let in_table = || {
                    problem
                        .path
                        .as_ref()
                        .is_some_and(|p| is_table(&p.to_string_lossy()))
                };
                if rows > 1 && problem.at.is_none() && in_table() {
                    problem.message = tr!(
                        "{problem} ({rows} rows)",
                        problem = problem.message,
                        rows = rows
                    );
                }
                problem
            })
            .collect();
        self.list
    }
}

/// How the path of a database table begins (`postgres://HOST/DB#vt.meldingen`).
pub const TABLE_SCHEME: &str = "postgres://";

/// Whether `path` names a database table: its rows have no lines, a
/// record is named by its key.
pub fn is_table(path: &str) -> bool {
    path.starts_with(TABLE_SCHEME)
}

/// Turns a serde-saphyr error into a located problem in `path`.
pub fn from_yaml_error(
    code: impl Into<Cow<'static, str>>,
    path: &Path,
    err: &serde_saphyr::Error,
) -> Problem {
    let message = yaml_message(err.without_snippet()).unwrap_or_else(|| {
        let mut message = err
            .without_snippet()
            .render_with_formatter(&serde_saphyr::DefaultMessageFormatter);
        // serde-saphyr appends " at line L, column C"; the location is shown separately.
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        Text::verbatim(message)
    });
    let problem = Problem::unusable(code, message).in_file(path);
    match err.location() {
        Some(loc) => problem.at_loc(loc),
        None => problem,
    }
}

/// serde-saphyr's messages in the words of a YAML author, where its own
/// default speaks to the Rust programmer ("set DuplicateKeyPolicy in
/// Options", "use Option<String>", "budget breached: Nodes { nodes: N }");
/// `None` for the others, which are shown as serde-saphyr words them.
fn yaml_message(err: &serde_saphyr::Error) -> Option<Text> {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;
    Some(match err {
        Error::DuplicateMappingKey { key: Some(key), .. } => {
            tr!("duplicate key `{key}`: a key may appear once", key = key)
        }
        Error::DuplicateMappingKey { key: None, .. } => {
            tr!("duplicate key: a key may appear once")
        }
        Error::NullIntoString { .. } | Error::InvalidCharNull { .. } => {
            tr!("a text is needed here, not an empty value (null)")
        }
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { depth } => tr!(
                "the YAML nests too deeply ({depth} levels); refused",
                depth = depth
            ),
            BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => {
                tr!("the YAML uses too many aliases or anchors (an alias bomb?); refused")
            }
            BudgetBreach::Documents { documents } => tr!(
                "the file has too many YAML documents ({documents}); refused",
                documents = documents
            ),
            _ => tr!("the YAML is too large to read safely (too many values); refused"),
        },
        _ => return None,
    })
}

/// `path` relative to `root` when it lies under it, without `./` segments:
/// how paths are shown in findings and problems.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    let clean = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let (root, path) = (clean(root), clean(path));
    path.strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or(path)
}

/// A problem code as `naleving explain` lists it: its name and what it
/// means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeDoc {
    /// The code, e.g. `data::parse`.
    pub name: &'static str,
    /// What it means and what to do, in a sentence or two.
    pub description: &'static str,
}

/// Declares the problem codes of a module as an enum (cargo-deny keeps one
/// per check): each variant names its code once, and its doc comment is
/// the description `naleving explain CODE` prints. A variant converts into
/// the code text [`Problem`]'s constructors take.
#[macro_export]
macro_rules! problem_codes {
    (
        $(#[doc = $enum_doc:literal])*
        pub enum $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $variant:ident = $code:literal,
            )+
        }
    ) => {
        $(#[doc = $enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(
                $(#[doc = $doc])+
                $variant,
            )+
        }

        impl $name {
            /// Every code of the enum, with its description.
            pub const ALL: &[$crate::problem::CodeDoc] = &[$(
                $crate::problem::CodeDoc {
                    name: $code,
                    description: concat!($($doc),+),
                },
            )+];

            /// The code as written in every output, e.g. `data::parse`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl From<$name> for std::borrow::Cow<'static, str> {
            fn from(code: $name) -> Self {
                std::borrow::Cow::Borrowed(code.as_str())
            }
        }
    };
}

/// The name among `known` closest to `name`, when one is close enough to be
/// a likely typo (`statsu` → `status`, `gemeeente` → `gemeente`): at most a
/// third of its characters apart by Damerau–Levenshtein distance (at least
/// one, at most three edits), or the same but for case, `-` and `_`.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = |s: &str| s.to_lowercase().replace(['-', '_'], "");
    let wanted = folded(name);
    let limit = (name.chars().count() / 3).clamp(1, 3);
    known
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            let distance = if folded(candidate) == wanted {
                0
            } else {
                strsim::damerau_levenshtein(name, candidate)
            };
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`?` for the closest of `known` to `name`, if any.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<Text> {
    closest(name, known).map(|c| tr!("did you mean `{name}`?", name = c))
}

/// `; did you mean `x`?` for the closest of `known` to `name`, or nothing:
/// the hint that ends a message about a misspelt name.
pub fn hint<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Text {
    closest(name, known).map_or_else(
        || Text::verbatim(""),
        |c| tr!("; did you mean `{name}`?", name = c),
    )
}

/// `rest`, after `did you mean `x`?` when a name of `known` is close to
/// `name`: the help for a misspelt name that also lists the right ones.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>, rest: Text) -> Text {
    match closest(name, known) {
        Some(c) => tr!("did you mean `{name}`? {rest}", name = c, rest = rest),
        None => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_are_likely_typos_only() {
        let fields = ["status", "gemeente", "raadsrapport_op", "record", "regio"];
        assert_eq!(closest("statsu", fields), Some("status"));
        assert_eq!(closest("staus", fields), Some("status"));
        assert_eq!(closest("gemeeente", fields), Some("gemeente"));
        assert_eq!(closest("raadrapport_op", fields), Some("raadsrapport_op"));
        assert_eq!(closest("Raadsrapport-Op", fields), Some("raadsrapport_op"));
        assert_eq!(closest("recrod", fields), Some("record"));
        assert_eq!(closest("regoi", fields), Some("regio"));
        // Too far apart to be a typo, or the name itself.
        assert_eq!(closest("bedrag", fields), None);
        assert_eq!(closest("x", fields), None);
        assert_eq!(closest("status", fields), None);
        assert_eq!(
            did_you_mean("raadsrapport-telaat", ["raadsrapport-te-laat", "x"]),
            Some(tr!("did you mean `{name}`?", name = "raadsrapport-te-laat"))
        );
    }
}
