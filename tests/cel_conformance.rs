//! The CEL conformance suite (google/cel-spec `tests/simple/testdata`, see
//! tests/cel/README.md) through naleving's own expression layer: every case
//! compiled with `naleving::expr::compile_with` in the environment rules
//! use, its bindings bound, and evaluated with `Expr::eval_in`.
//!
//! Each case ends as a pass, as unsupported for a named reason, or as a
//! wrong answer (a value other than the expected one, or a value where an
//! error was expected). Wrong answers fail the test outright; passes and
//! unsupported cases must match `tests/cel/expectations.txt`, and the
//! figures in the README must match the run. `NALEVING_BLESS=1` rewrites
//! both after a deliberate change.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use cel::Value;
use cel::objects::{Key, Map as CelMap};

use crate::support::root;

// ---------------------------------------------------------------------------
// The protobuf text format, as far as the suite uses it.

/// A field's value: a scalar as written, or a message.
#[derive(Debug, Clone)]
enum Node {
    /// A string literal, as bytes (octal escapes make bytes that are not UTF-8).
    Str(Vec<u8>),
    /// A number, identifier or keyword (`true`, `NULL_VALUE`, `-inf`).
    Word(String),
    Message(Message),
}

/// A message: its fields in order (a repeated field appears once per value).
#[derive(Debug, Clone, Default)]
struct Message(Vec<(String, Node)>);

impl Message {
    fn get(&self, name: &str) -> Option<&Node> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn all<'m>(&'m self, name: &'m str) -> impl Iterator<Item = &'m Node> + 'm {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v)
    }

    fn message(&self, name: &str) -> Option<&Message> {
        match self.get(name)? {
            Node::Message(m) => Some(m),
            _ => None,
        }
    }

    fn text(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            Node::Str(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            Node::Word(word) => Some(word.clone()),
            Node::Message(_) => None,
        }
    }

    fn flag(&self, name: &str) -> bool {
        self.text(name).as_deref() == Some("true")
    }
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn blank(&mut self) {
        while let Some(&b) = self.text.get(self.at) {
            if b == b'#' {
                while self.text.get(self.at).is_some_and(|&b| b != b'\n') {
                    self.at += 1;
                }
            } else if b.is_ascii_whitespace() {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.blank();
        self.text.get(self.at).copied()
    }

    /// Fields up to `}` (or the end of the text).
    fn message(&mut self) -> Message {
        let mut fields = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                Some(b',' | b';') => self.at += 1,
                Some(_) => {
                    let name = self.name();
                    if self.peek() == Some(b':') {
                        self.at += 1;
                    }
                    let value = self.value();
                    fields.push((name, value));
                }
            }
        }
        Message(fields)
    }

    fn name(&mut self) -> String {
        self.blank();
        if self.text.get(self.at) == Some(&b'[') {
            let start = self.at;
            while self.text.get(self.at).is_some_and(|&b| b != b']') {
                self.at += 1;
            }
            self.at += 1;
            return String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        }
        self.word()
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self
            .text
            .get(self.at)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b"_.-+".contains(&b))
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
    }

    fn value(&mut self) -> Node {
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                Node::Message(self.message())
            }
            Some(b'"' | b'\'') => {
                // Adjacent literals are one string.
                let mut bytes = Vec::new();
                while let Some(quote @ (b'"' | b'\'')) = self.peek() {
                    self.at += 1;
                    self.string(quote, &mut bytes);
                }
                Node::Str(bytes)
            }
            _ => Node::Word(self.word()),
        }
    }

    fn string(&mut self, quote: u8, out: &mut Vec<u8>) {
        while let Some(&b) = self.text.get(self.at) {
            self.at += 1;
            if b == quote {
                return;
            }
            if b != b'\\' {
                out.push(b);
                continue;
            }
            let Some(&e) = self.text.get(self.at) else {
                return;
            };
            self.at += 1;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'a' => out.push(7),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'v' => out.push(11),
                b'0'..=b'7' => {
                    let mut value = u32::from(e - b'0');
                    for _ in 0..2 {
                        match self.text.get(self.at) {
                            Some(&d @ b'0'..=b'7') => {
                                value = value * 8 + u32::from(d - b'0');
                                self.at += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push(value as u8);
                }
                b'x' => {
                    let mut value = 0u32;
                    for _ in 0..2 {
                        match self
                            .text
                            .get(self.at)
                            .and_then(|&d| (d as char).to_digit(16))
                        {
                            Some(d) => {
                                value = value * 16 + d;
                                self.at += 1;
                            }
                            None => break,
                        }
                    }
                    out.push(value as u8);
                }
                b'u' | b'U' => {
                    let len = if e == b'u' { 4 } else { 8 };
                    let hex = String::from_utf8_lossy(&self.text[self.at..self.at + len]);
                    self.at += len;
                    let c = u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}');
                    out.extend_from_slice(c.to_string().as_bytes());
                }
                other => out.push(other),
            }
        }
    }
}

fn parse(text: &str) -> Message {
    Reader {
        text: text.as_bytes(),
        at: 0,
    }
    .message()
}

// ---------------------------------------------------------------------------
// Values.

/// A conformance `Value` message as a CEL value, or why it has none here.
fn value(message: &Message) -> Result<Value, &'static str> {
    let (kind, node) = message.0.first().ok_or("an empty value")?;
    let word = || match node {
        Node::Word(w) => w.clone(),
        _ => String::new(),
    };
    let bytes = || match node {
        Node::Str(b) => b.clone(),
        _ => Vec::new(),
    };
    Ok(match kind.as_str() {
        "null_value" => Value::Null,
        "bool_value" => Value::Bool(word() == "true"),
        "int64_value" => Value::Int(word().parse().map_err(|_| "a bad int64")?),
        "uint64_value" => Value::UInt(word().parse().map_err(|_| "a bad uint64")?),
        "double_value" => Value::Float(double(&word()).ok_or("a bad double")?),
        "string_value" => Value::String(Arc::new(
            String::from_utf8(bytes()).map_err(|_| "bad UTF-8")?,
        )),
        "bytes_value" => Value::Bytes(Arc::new(bytes())),
        "list_value" => {
            let Node::Message(list) = node else {
                return Err("a bad list");
            };
            let items = list
                .all("values")
                .map(|v| match v {
                    Node::Message(m) => value(m),
                    _ => Err("a bad list element"),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Value::List(Arc::new(items))
        }
        "map_value" => {
            let Node::Message(map) = node else {
                return Err("a bad map");
            };
            let mut entries = HashMap::new();
            for entry in map.all("entries") {
                let Node::Message(entry) = entry else {
                    return Err("a bad map entry");
                };
                let key = match value(entry.message("key").ok_or("a map key")?)? {
                    Value::Int(i) => Key::Int(i),
                    Value::UInt(u) => Key::Uint(u),
                    Value::Bool(b) => Key::Bool(b),
                    Value::String(s) => Key::String(s),
                    _ => return Err("a map key of another type"),
                };
                entries.insert(key, value(entry.message("value").ok_or("a map value")?)?);
            }
            Value::Map(CelMap {
                map: Arc::new(entries),
            })
        }
        "object_value" => return Err("protobuf messages"),
        "enum_value" => return Err("protobuf enums"),
        "type_value" => return Err("type values (the crate gives a type as its name, a string)"),
        _ => return Err("a value kind the runner does not know"),
    })
}

fn double(word: &str) -> Option<f64> {
    match word {
        "inf" | "infinity" | "Infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" | "-Infinity" => Some(f64::NEG_INFINITY),
        "nan" | "NaN" => Some(f64::NAN),
        _ => word.trim_end_matches(['f', 'F']).parse().ok(),
    }
}

/// CEL values equal in type and value (NaN equals NaN here: the suite
/// expects NaN where CEL gives it).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => (x.is_nan() && y.is_nan()) || x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.map.len() == y.map.len()
                && x.map
                    .iter()
                    .all(|(k, v)| y.map.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::UInt(x), Value::UInt(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Running a case.

/// How a case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Pass,
    /// Not supported, and why (a class, then the message where there is one).
    Unsupported(String),
    /// A wrong answer: what came instead of what.
    Wrong(String),
}

/// Why a whole file is out of reach.
fn file_reason(file: &str) -> Option<&'static str> {
    Some(match file {
        "proto2" | "proto3" | "proto2_ext" | "wrappers" | "enums" | "dynamic" => {
            "protobuf messages"
        }
        "timestamps" => "timestamps and durations (naleving's dates are ISO strings)",
        "type_deduction" => "the type checker",
        "unknowns" => "unknown values",
        "network_ext" => "the network extension",
        "block_ext" => "cel.block",
        "encoders_ext" => "the encoders extension",
        _ => return None,
    })
}

/// Why a case is out of reach before it runs.
fn case_reason(test: &Message) -> Option<String> {
    if test.get("container").is_some() {
        return Some("containers".into());
    }
    if test.flag("check_only") || test.get("typed_result").is_some() {
        return Some("the type checker".into());
    }
    if test.get("unknown").is_some() || test.get("any_unknowns").is_some() {
        return Some("unknown values".into());
    }
    if test.flag("disable_macros") {
        return Some("macros switched off".into());
    }
    let text = all_text(test);
    if text.contains("message_type") || text.contains("object_value") {
        return Some("protobuf messages".into());
    }
    None
}

/// Whether a case that did not pass is about protobuf messages (a wrapper
/// type, a `google.protobuf` value, the suite's test messages).
fn about_protobuf(test: &Message) -> bool {
    let text = all_text(test);
    ["google.protobuf", "TestAllTypes", "cel.expr.conformance"]
        .iter()
        .any(|word| text.contains(word))
}

/// Every name and scalar of a message, as one text to search.
fn all_text(message: &Message) -> String {
    let mut out = String::new();
    for (name, node) in &message.0 {
        out.push_str(name);
        out.push(' ');
        match node {
            Node::Str(bytes) => out.push_str(&String::from_utf8_lossy(bytes)),
            Node::Word(word) => out.push_str(word),
            Node::Message(inner) => out.push_str(&all_text(inner)),
        }
        out.push('\n');
    }
    out
}

/// The first line of a message, shortened, for the expectations file.
fn short(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    let mut out: String = line.chars().take(90).collect();
    if line.chars().count() > 90 {
        out.push('…');
    }
    out
}

fn run_case(env: &naleving::expr::Env, test: &Message) -> Outcome {
    if let Some(reason) = case_reason(test) {
        return Outcome::Unsupported(reason);
    }
    let source = test.text("expr").unwrap_or_default();
    let mut bindings = Vec::new();
    for binding in test.all("bindings") {
        let Node::Message(binding) = binding else {
            continue;
        };
        let name = binding.text("key").unwrap_or_default();
        let bound = binding
            .message("value")
            .and_then(|v| v.message("value"))
            .map(value);
        match bound {
            Some(Ok(v)) => bindings.push((name, v)),
            Some(Err(why)) => return Outcome::Unsupported(format!("a binding: {why}")),
            None => return Outcome::Unsupported("a binding without a value".into()),
        }
    }
    let expected = if let Some(v) = test.message("value") {
        match value(v) {
            Ok(v) => Some(v),
            Err(why) => return Outcome::Unsupported(why.into()),
        }
    } else if test.get("eval_error").is_some() || test.get("any_eval_errors").is_some() {
        None
    } else {
        Some(Value::Bool(true))
    };
    let mut variables: Vec<&str> = naleving::expr::VARIABLES.to_vec();
    variables.extend(bindings.iter().map(|(n, _)| n.as_str()));
    let expr = match naleving::expr::compile_with(&source, &variables) {
        Ok(expr) => expr,
        Err(err) => {
            return match expected {
                None => Outcome::Pass,
                Some(_) => {
                    Outcome::Unsupported(format!("refused at load: {}", short(&err.message.en())))
                }
            };
        }
    };
    let mut scope = env.scope();
    for (name, v) in &bindings {
        scope.add_variable_from_value(name.as_str(), v.clone());
    }
    let got = expr.eval_in(&scope, env, &[]);
    if bindings.is_empty() {
        // The path an `expr` check takes (native answers first, then CEL)
        // must agree with CEL on every case.
        let as_rule = expr.eval_bool(env, &naleving::data::Fields::default());
        let agrees = match (&as_rule, &got) {
            (Ok(a), Ok(Value::Bool(b))) => a == b,
            (Err(_), Ok(Value::Bool(_))) => false,
            (Ok(_), _) => false,
            (Err(_), _) => true,
        };
        if !agrees {
            return Outcome::Wrong(format!("as a rule {as_rule:?}, in CEL {got:?}"));
        }
    }
    match (expected, got) {
        (Some(want), Ok(got)) if same(&want, &got) => Outcome::Pass,
        (Some(want), Ok(got)) => Outcome::Wrong(format!("{got:?} instead of {want:?}")),
        (Some(_), Err(err)) => {
            Outcome::Unsupported(format!("evaluation error: {}", short(&err.en())))
        }
        (None, Err(_)) => Outcome::Pass,
        (None, Ok(got)) => Outcome::Wrong(format!("{got:?} instead of an error")),
    }
}

/// Every case of the suite: `file/section/test` (a repeated name gets `#2`,
/// `#3`…) and its outcome, in file order.
fn run_suite() -> Vec<(String, Outcome)> {
    let env = naleving::expr::Env::new(
        jiff::civil::date(2020, 7, 1),
        Arc::new(naleving::calendar::Calendar::empty()),
        None,
    );
    let dir = root().join("tests/cel/testdata");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "textproto"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let file = path.file_stem().unwrap().to_string_lossy().into_owned();
        let suite = parse(&std::fs::read_to_string(&path).unwrap());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for section in suite.all("section") {
            let Node::Message(section) = section else {
                continue;
            };
            let section_name = section.text("name").unwrap_or_default();
            for test in section.all("test") {
                let Node::Message(test) = test else {
                    continue;
                };
                let base = format!(
                    "{file}/{section_name}/{}",
                    test.text("name").unwrap_or_default()
                );
                let n = seen.entry(base.clone()).or_default();
                *n += 1;
                let id = if *n == 1 { base } else { format!("{base}#{n}") };
                let outcome = match file_reason(&file) {
                    Some(reason) => Outcome::Unsupported(reason.into()),
                    None => {
                        // A panic inside the evaluator is a wrong answer too.
                        let outcome =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                run_case(&env, test)
                            }))
                            .unwrap_or_else(|_| Outcome::Wrong("a panic".into()));
                        match outcome {
                            Outcome::Unsupported(why)
                                if why.starts_with("evaluation error") && about_protobuf(test) =>
                            {
                                Outcome::Unsupported("protobuf messages".into())
                            }
                            other => other,
                        }
                    }
                };
                cases.push((id, outcome));
            }
        }
    }
    cases
}

fn line(id: &str, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Pass => format!("{id}: pass"),
        Outcome::Unsupported(why) => format!("{id}: unsupported: {why}"),
        Outcome::Wrong(what) => format!("{id}: WRONG: {what}"),
    }
}

/// The class of an unsupported reason, for the README's figures.
fn class(why: &str) -> &str {
    if why.contains("unknown variable") || why.contains("unknown function") {
        "names CEL leaves unbound until run time (naleving refuses unknown names at load)"
    } else if why.contains("`timestamp` is not") || why.contains("`duration` is not") {
        "timestamps and durations (naleving's dates are ISO strings)"
    } else if why.contains("backtick") {
        "backtick-quoted names (the crate's parser does not expose them)"
    } else {
        why.split(':').next().unwrap_or(why)
    }
}

/// The README block with the figures of `cases`.
fn figures(cases: &[(String, Outcome)]) -> String {
    let total = cases.len();
    let passed = cases.iter().filter(|(_, o)| *o == Outcome::Pass).count();
    let mut by_class: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_file: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (id, outcome) in cases {
        let file = id.split('/').next().unwrap_or_default();
        let entry = by_file.entry(file).or_default();
        entry.1 += 1;
        match outcome {
            Outcome::Pass => entry.0 += 1,
            Outcome::Unsupported(why) => *by_class.entry(class(why)).or_default() += 1,
            Outcome::Wrong(_) => {}
        }
    }
    let mut out = format!(
        "{total} cases: **{passed} pass**, {} unsupported, 0 wrong answers.\n\n\
         | file | pass / cases |\n|---|---:|\n",
        total - passed
    );
    for (file, (pass, all)) in &by_file {
        out.push_str(&format!("| {file} | {pass} / {all} |\n"));
    }
    out.push_str("\n| unsupported, by reason | cases |\n|---|---:|\n");
    let mut classes: Vec<(&&str, &usize)> = by_class.iter().collect();
    classes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (reason, n) in classes {
        out.push_str(&format!("| {reason} | {n} |\n"));
    }
    out
}

const BEGIN: &str = "<!-- cel-conformance: generated by tests/cel_conformance.rs -->\n";
const END: &str = "<!-- /cel-conformance -->";

#[test]
fn cel_conformance() {
    let cases = run_suite();
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Wrong(_)))
        .map(|(id, o)| line(id, o))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let listed: String = cases.iter().map(|(id, o)| line(id, o) + "\n").collect();
    let expectations = root().join("tests/cel/expectations.txt");
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (start, end) = (
        readme
            .find(BEGIN)
            .expect("the README has the conformance block"),
        readme
            .find(END)
            .expect("the README's conformance block ends"),
    );
    let fresh = format!(
        "{}{BEGIN}{}{}",
        &readme[..start],
        figures(&cases),
        &readme[end..]
    );
    if std::env::var_os("NALEVING_BLESS").is_some() {
        std::fs::write(&expectations, &listed).unwrap();
        std::fs::write(&readme_path, &fresh).unwrap();
        return;
    }
    let before = std::fs::read_to_string(&expectations).unwrap_or_default();
    let changed: Vec<String> = diff(&before, &listed);
    assert!(
        changed.is_empty(),
        "the conformance outcomes changed (review, then `NALEVING_BLESS=1 cargo test cel_conformance`):\n{}",
        changed.join("\n")
    );
    assert!(
        readme == fresh,
        "README.md: the CEL conformance figures are stale; run `NALEVING_BLESS=1 cargo test cel_conformance`"
    );
}

/// The lines of `after` that differ from `before`, as `- old` / `+ new`.
fn diff(before: &str, after: &str) -> Vec<String> {
    let old: BTreeMap<&str, &str> = before.lines().filter_map(|l| l.split_once(": ")).collect();
    let new: BTreeMap<&str, &str> = after.lines().filter_map(|l| l.split_once(": ")).collect();
    let mut out = Vec::new();
    for (id, status) in &new {
        match old.get(id) {
            Some(was) if was == status => {}
            Some(was) => out.push(format!("{id}: {was} → {status}")),
            None => out.push(format!("{id}: new: {status}")),
        }
    }
    for id in old.keys().filter(|id| !new.contains_key(*id)) {
        out.push(format!("{id}: gone"));
    }
    out
}

/// The reader keeps strings, escapes and nesting as the text format means
/// them.
#[test]
fn the_text_format_reader_reads_the_suite_shapes() {
    let m = parse(
        "# comment\nname: \"a\" 'b'\nsection { test: { expr: \"'\\\\x41\\303\\251'\" value: { bytes_value: \"\\377\" } } }\n",
    );
    assert_eq!(m.text("name").as_deref(), Some("ab"));
    let Some(Node::Message(section)) = m.get("section") else {
        panic!("no section");
    };
    let Some(Node::Message(test)) = section.get("test") else {
        panic!("no test");
    };
    assert_eq!(test.text("expr").as_deref(), Some("'\\x41é'"));
    assert!(matches!(
        value(test.message("value").unwrap()),
        Ok(Value::Bytes(b)) if *b == vec![0xff]
    ));
    let _ = Path::new("");
}
