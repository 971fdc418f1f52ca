//! The host's own messages — problems, their help, the errors of the
//! calendar and the plugin host — readable in Dutch and English.
//!
//! A message is written once, in English, where it arises, with [`tr!`]
//! (a template literal with `{name}` placeholders, then `name = value`
//! arguments). The English text is also
//! the message's key (as in gettext): the Dutch catalogue,
//! [`nl`](self::nl), maps each key to its Dutch text, and one test reads
//! every `tr!` in the source to check that each has a Dutch entry with the
//! same placeholders and that no entry is left over. A [`Text`] keeps its key
//! and arguments and is rendered when a report is written, so the same
//! problem reads in Dutch in the human and HTML reports and in English in
//! the machine formats (JSON, SARIF, JUnit, GitHub), whose consumers match
//! on stable text.
//!
//! Text from elsewhere — a parser's message, an operating-system error — is
//! passed as an argument and shown as it came; [`Text::verbatim`] wraps it
//! when it is the whole message. A `String` does not convert into a `Text`
//! by itself, so a message built with `format!` cannot slip past the
//! catalogue: the compiler asks for `tr!` or an explicit `verbatim`.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

mod nl;

/// The language of a report and of naleving's messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Nederlands (the default).
    #[default]
    Nl,
    /// English.
    En,
}

/// Fills `{name}` placeholders of `template` with `values`, in one pass
/// over the template (a value that itself holds `{name}` stays as it is).
/// A placeholder without a value is left as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A message with its arguments, rendered in either language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Text {
    /// The English template, `{name}` placeholders included; also the key
    /// of the Dutch catalogue. Empty for a verbatim text.
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Text`]: a value shown as it is, or a message that is
/// translated in turn.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Shown as it is in both languages (a name, a number, a parser's text).
    Plain(String),
    /// A message of its own, rendered in the same language.
    Text(Text),
}

/// What [`tr!`] accepts as an argument: anything displayable (shown as it
/// is) or another [`Text`] (translated too).
pub trait IntoArg {
    /// The argument.
    fn into_arg(self) -> Arg;
}

impl<T: fmt::Display> IntoArg for T {
    fn into_arg(self) -> Arg {
        Arg::Plain(self.to_string())
    }
}

impl IntoArg for Text {
    fn into_arg(self) -> Arg {
        Arg::Text(self)
    }
}

/// A translatable message: an English template literal with `{name}`
/// placeholders, then one `name = value` per placeholder. The template must
/// be a literal (the catalogue test reads it from the
/// source) and name exactly the placeholders it is given.
#[macro_export]
macro_rules! tr {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::text::Text::new(
            $id,
            vec![$((stringify!($name), $crate::text::IntoArg::into_arg($value))),*],
        )
    };
}

impl Text {
    /// A message from its English template and arguments; use [`tr!`].
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        debug_assert_eq!(
            {
                let mut names = placeholders(id);
                names.sort_unstable();
                names
            },
            {
                let mut names: Vec<&str> = args.iter().map(|(n, _)| *n).collect();
                names.sort_unstable();
                names
            },
            "tr!(\"{id}\") is given other arguments than it names"
        );
        Self { id, args }
    }

    /// Text from elsewhere (a library's or the system's message), shown the
    /// same in both languages.
    pub fn verbatim(text: impl Into<String>) -> Self {
        Self {
            id: "",
            args: vec![("", Arg::Plain(text.into()))],
        }
    }

    /// The message in `lang`. A key the catalogue lacks (the test prevents
    /// it) reads in English.
    pub fn render(&self, lang: Lang) -> String {
        if self.id.is_empty() {
            return match self.args.first() {
                Some((_, Arg::Plain(text))) => text.clone(),
                Some((_, Arg::Text(text))) => text.render(lang),
                None => String::new(),
            };
        }
        let template = match lang {
            Lang::En => self.id,
            Lang::Nl => nl_catalogue().get(self.id).copied().unwrap_or(self.id),
        };
        if self.args.is_empty() {
            return template.to_owned();
        }
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Plain(text) => text.clone(),
                    Arg::Text(text) => text.render(lang),
                };
                (*name, value)
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        fill(template, &borrowed)
    }

    /// The message in English: what the machine formats write.
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }

    /// True when the English message contains `needle` (for tests and for
    /// matching a message a test expects).
    pub fn contains(&self, needle: &str) -> bool {
        self.en().contains(needle)
    }
}

/// Messages sort and compare by their English text, so the order of output
/// does not depend on how a message was built.
impl Ord for Text {
    fn cmp(&self, other: &Self) -> Ordering {
        self.en().cmp(&other.en())
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The problem as the machine formats write it: its English text.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.en())
    }
}

/// The `{name}` placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn nl_catalogue() -> &'static HashMap<&'static str, &'static str> {
    static CATALOGUE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    CATALOGUE.get_or_init(|| nl::entries().copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn renders_in_both_languages_with_nested_texts() {
        let inner = tr!("did you mean `{name}`?", name = "status");
        assert_eq!(inner.render(Lang::En), "did you mean `status`?");
        assert_eq!(inner.render(Lang::Nl), "bedoelt u `status`?");
        let verbatim = Text::verbatim("expected `,` at 3");
        assert_eq!(verbatim.render(Lang::Nl), "expected `,` at 3");
        assert!(inner.contains("did you mean"));
        assert_eq!(placeholders("a {b} {c_d} {} {x y} {{"), ["b", "c_d"]);
    }

    /// Every `tr!` in the source has a Dutch entry naming the same
    /// placeholders, and the catalogue holds no entry no code uses.
    #[test]
    fn the_dutch_catalogue_is_complete() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used = BTreeSet::new();
        for path in rust_files(&root) {
            let source = std::fs::read_to_string(&path).unwrap();
            for id in tr_ids(&source) {
                used.insert(id);
            }
        }
        let catalogue = nl_catalogue();
        let missing: Vec<&String> = used
            .iter()
            .filter(|id| !catalogue.contains_key(id.as_str()))
            .collect();
        assert!(missing.is_empty(), "no Dutch text for: {missing:#?}");
        let unused: Vec<&&str> = catalogue.keys().filter(|id| !used.contains(**id)).collect();
        assert!(unused.is_empty(), "Dutch texts no code uses: {unused:#?}");
        let mut ids: Vec<&str> = nl::entries().map(|(en, _)| *en).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "a key appears twice in the catalogue");
        for (en, nl) in nl::entries() {
            let mut a = placeholders(en);
            let mut b = placeholders(nl);
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "placeholders differ:\n  {en}\n  {nl}");
            assert_ne!(en.trim(), "", "an empty key");
            assert_ne!(nl.trim(), "", "an empty Dutch text for {en}");
        }
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }

    /// The template literals of the `tr!` calls in `source` (not those in
    /// this module's own tests).
    fn tr_ids(source: &str) -> Vec<String> {
        let mut ids = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find("tr!(") {
            // `include_str!(` is not a `tr!(`, nor is the text "tr!(".
            let before = rest[..at].chars().next_back();
            let after = rest[at + 4..].trim_start();
            rest = &rest[at + 4..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"') {
                continue;
            }
            let Some(literal) = after.strip_prefix('"') else {
                continue;
            };
            ids.push(unescape(literal));
        }
        ids
    }

    /// The value of a string literal whose opening quote is already
    /// consumed: handles `\"`, `\\`, `\n`, `\t` and a line continuation.
    fn unescape(literal: &str) -> String {
        let mut out = String::new();
        let mut chars = literal.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('\n') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    Some(other) => out.push(other),
                    None => break,
                },
                other => out.push(other),
            }
        }
        out
    }

    #[test]
    fn the_source_reader_unescapes_literals() {
        let source = "x tr!(\"a \\\"b\\\" \\\n     c {d}\", d = 1) tr!(q) tr!(\n  \"e\") \
                      include_str!(\"f\") crate::tr!(\"g\")";
        assert_eq!(tr_ids(source), ["a \"b\" c {d}", "e", "g"]);
    }
}
