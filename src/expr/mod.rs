//! CEL expressions in rules: compiling them when the rules load, and
//! evaluating them against a record.
//!
//! An expression sees `record` (the record being judged, a map), `as_of` (the
//! evaluation date as an ISO string) and `collections.<name>` (the records of
//! other collections, as lists of maps). Dates are ISO `YYYY-MM-DD` strings in
//! CEL: they compare correctly as strings, and no time zone can creep in.

mod cost;
mod count;
mod functions;
mod macros;
mod native;
mod reads;
mod sql;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock};

use crate::text::Text;
use crate::tr;
use cel::objects::{Key, Map as CelMap};
use cel::{Context, IdedExpr, Program, Value as CelValue};
use cost::Loops;
pub use cost::{MAX_STEPS, UNKNOWN_SIZE};
use count::Counted;
use functions::Terms;
pub use native::Side;
use native::{Bindings, Native};
use serde_json::Value;

use crate::data::Fields;
pub use sql::{Keys, SqlCx, TEXT_ARRAY_LIMIT, key_text, present, text_array};

/// How many operators (outside string literals) an expression may have:
/// CEL's parser needs stack for each, and 1,600 already fill the 2 MiB of a
/// worker thread.
pub const MAX_OPERATORS: usize = 1000;

/// The operator characters of `source` outside its string literals (an
/// upper bound of the nesting the parser will see).
fn operator_count(source: &str) -> usize {
    outside_strings(source)
        .filter(|(_, c)| "+-*/%.([!?<>=&|".contains(*c))
        .count()
}

/// The characters of `source` outside its string literals (quotes
/// included), with their byte offsets.
fn outside_strings(source: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    source.char_indices().filter(move |&(_, c)| match quote {
        Some(q) => {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            false
        }
        None if c == '"' || c == '\'' => {
            quote = Some(c);
            false
        }
        None => true,
    })
}

/// How deeply an expression may nest: deeper ones would overflow the stack
/// of the threads that evaluate them (2 MiB), and no rule needs it.
pub const MAX_DEPTH: usize = 100;

/// The CEL environment every expression compiles and runs in: the standard
/// library with the `strings`, `math` and `lists` extensions of cel-go
/// (`'Voldaan'.lowerAscii()`, `math.greatest(a, b)`, `lists.range(3)`), as
/// the `cel` crate provides them.
pub(crate) static CEL: LazyLock<Arc<cel::Env>> = LazyLock::new(|| {
    let mut env = cel::Env::stdlib();
    // Each fails only on a name declared twice, which the tests rule out.
    let _ = env.add_extension(cel::extensions::strings);
    let _ = env.add_extension(cel::extensions::math);
    let _ = env.add_extension(cel::extensions::lists);
    let _ = env.add_macro(macros::bind());
    for two in macros::two_variable() {
        let _ = env.add_macro(two);
    }
    Arc::new(env)
});

/// How the error of an expression over its budget begins.
pub const BUDGET_EXCEEDED: &str = "evaluation budget exceeded";

/// The variables an expression may use.
pub const VARIABLES: &[&str] = &["record", "as_of", "collections"];

/// CEL's own names that may stand as values: the type names.
const TYPE_NAMES: &[&str] = &[
    "bool",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
];

/// A compiled CEL expression.
pub struct Expr {
    program: Program,
    source: String,
    uses_collections: bool,
    /// The only fields of `record` it reads, when that is known.
    projection: Option<Vec<String>>,
    /// The native form of a simple predicate (see [`native`]).
    native: Option<Native>,
    /// Its comprehensions, to bound the work before it runs (see [`cost`]).
    loops: Loops,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Expr").field(&self.source).finish()
    }
}

/// Why an expression did not compile, with the place inside the expression
/// text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What is wrong.
    pub message: Text,
    /// Line inside the expression.
    pub line: u32,
    /// Column inside that line.
    pub column: u32,
}

/// Compiles a CEL expression over a record (`record`, `as_of`, `collections`).
pub fn compile(source: &str) -> Result<Expr, CompileError> {
    compile_with(source, VARIABLES)
}

/// Compiles a CEL expression that may use exactly `variables` (plus
/// comprehension variables it binds itself).
pub fn compile_with(source: &str, variables: &[&str]) -> Result<Expr, CompileError> {
    let operators = operator_count(source);
    if operators > MAX_OPERATORS {
        // CEL's parser recurses per operator: refuse before it could
        // overflow the stack.
        return Err(CompileError {
            message: tr!(
                "the expression has {operators} operators; at most {max} can be read safely (split it over `let`s or rules)",
                operators = operators,
                max = MAX_OPERATORS
            ),
            line: 1,
            column: 1,
        });
    }
    let program = CEL.compile(source).map_err(|errors| {
        let first = errors.errors.first();
        let message = first.map_or_else(|| tr!("invalid expression"), |e| plain(&e.msg));
        CompileError {
            message: match operator_hint(source) {
                Some(hint) => tr!("{message}; {hint}", message = message, hint = hint),
                None => message,
            },
            line: first.map_or(1, |e| e.pos.0.max(1) as u32),
            column: first.map_or(1, |e| e.pos.1.max(1) as u32),
        }
    })?;
    let depth = reads::depth(program.expression());
    if depth > MAX_DEPTH {
        // Evaluating it, walking it or even dropping it (the tree is freed
        // recursively) could overflow the stack: it is leaked instead, once,
        // as the rule is refused.
        std::mem::forget(program);
        return Err(CompileError {
            message: tr!(
                "the expression nests {depth} levels deep; at most {max} can be evaluated (split it over `let`s or rules)",
                depth = depth,
                max = MAX_DEPTH
            ),
            line: 1,
            column: 1,
        });
    }
    if let Some(why) = reads::bad_pattern(program.expression()) {
        let (line, column) = place_of(source, "matches", Name::Function);
        return Err(CompileError {
            message: tr!(
                "the pattern of `matches()` is not a regular expression: {cause}",
                cause = why
            ),
            line,
            column,
        });
    }
    let references = program.references();
    if let Some(unknown) = reads::calls(program.expression())
        .into_iter()
        .filter(|(name, qualified)| {
            !functions::known(name) && !qualified.as_deref().is_some_and(functions::known)
        })
        .map(|(name, _)| name)
        .min()
    {
        let unknown = unknown.as_str();
        let message = match unknown {
            "timestamp" | "duration" | "getFullYear" | "getMonth" | "getDate" => tr!(
                "`{name}` is not available: dates are ISO strings in naleving (`date(s)` reads one, `add_term(d, '5 werkdagen')` adds a term, `workdays_between(a, b)` counts working days)",
                name = unknown
            ),
            _ => {
                let names = functions::OWN.iter().chain(functions::COMMON).copied();
                let hint = crate::problem::hint(unknown, names);
                tr!(
                    "unknown function `{name}`{hint}",
                    name = unknown,
                    hint = hint
                )
            }
        };
        let (line, column) = place_of(source, unknown, Name::Function);
        return Err(CompileError {
            message,
            line,
            column,
        });
    }
    let known: Vec<&str> = variables.iter().chain(TYPE_NAMES).copied().collect();
    if let Some(unknown) = reads::unbound(program.expression(), &known).first() {
        let bound_elsewhere = references.variables().contains(unknown)
            && reads::binds_anywhere(program.expression(), unknown);
        let message = if bound_elsewhere {
            tr!(
                "`{name}` is used outside the macro that binds it (a variable of `all`, `exists`, `map` or `filter` exists inside its parentheses only)",
                name = unknown
            )
        } else {
            let known = variables
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match crate::problem::did_you_mean(unknown, variables.iter().copied()) {
                Some(suggestion) => tr!(
                    "unknown variable `{name}` ({suggestion}); this expression can use {known}",
                    name = unknown,
                    suggestion = suggestion,
                    known = known
                ),
                None => tr!(
                    "unknown variable `{name}`; this expression can use {known}",
                    name = unknown,
                    known = known
                ),
            }
        };
        let (line, column) = place_of(source, unknown, Name::Variable);
        return Err(CompileError {
            message,
            line,
            column,
        });
    }
    let uses_collections = references.has_variable("collections");
    let projection =
        reads::variable_fields(program.expression(), "record").map(|f| f.into_iter().collect());
    let native = Native::compile(program.expression(), "record");
    let loops = Loops::of(program.expression());
    Ok(Expr {
        program,
        source: source.to_string(),
        uses_collections,
        projection,
        native,
        loops,
    })
}

/// A parser message without the Rust debug dump some of them end in
/// (`invalid string literal: InvalidUnicode { source: … }`).
fn plain(message: &str) -> Text {
    if message.contains("unsupported syntax: '`'") {
        return tr!(
            "backtick-quoted names are not supported; write a field with spaces as `record[\"datum van melding\"]`"
        );
    }
    for literal in ["invalid string literal", "invalid bytes literal"] {
        if message.starts_with(literal) {
            return tr!(
                "{literal}: an escape in it is not valid (`\\u` and `\\U` need a Unicode scalar value, not a surrogate)",
                literal = literal
            );
        }
    }
    Text::verbatim(message)
}

/// What an author coming from SQL or Python may have meant, when the
/// expression does not parse: `and`, `or`, `not` and a single `=`.
fn operator_hint(source: &str) -> Option<Text> {
    let words: Vec<&str> = source
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .collect();
    if words.contains(&"and") {
        return Some(tr!("did you mean `&&`? CEL writes `and` as `&&`"));
    }
    if words.contains(&"or") {
        return Some(tr!("did you mean `||`? CEL writes `or` as `||`"));
    }
    if words.contains(&"not") {
        return Some(tr!("did you mean `!`? CEL writes `not` as `!`"));
    }
    let bytes = source.as_bytes();
    let single_equals = bytes.iter().enumerate().any(|(i, b)| {
        *b == b'='
            && !matches!(bytes.get(i + 1), Some(b'='))
            && !matches!(
                i.checked_sub(1).map(|j| bytes[j]),
                Some(b'=' | b'!' | b'<' | b'>')
            )
    });
    single_equals.then(|| tr!("did you mean `==`? CEL compares with `==`"))
}

/// The line and column (1-based, the column in characters) of the first
/// whole-word `name` in `source` outside string literals; the start when it
/// is not found.
fn place_of(source: &str, name: &str, what: Name) -> (u32, u32) {
    let at = word_at(source, name, what).unwrap_or(0);
    let before = &source[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u32 + 1)
}

/// What a name found in the source is: a variable is never right after a
/// `.` (that is a field), a function may be (a member call).
#[derive(Clone, Copy, PartialEq)]
enum Name {
    Variable,
    Function,
}

/// The byte offset of the first whole-word `name` in `source` outside
/// string literals.
fn word_at(source: &str, name: &str, what: Name) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    outside_strings(source).map(|(at, _)| at).find(|&at| {
        if !source[at..].starts_with(name) {
            return false;
        }
        let before = source[..at].chars().next_back();
        let after = source[at + name.len()..].chars().next();
        let field = what == Name::Variable && before == Some('.');
        !before.is_some_and(is_word) && !field && !after.is_some_and(is_word)
    })
}

impl Expr {
    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The expression as a field of `record` or a literal, when it is one
    /// (see [`Side`]).
    pub fn side(&self) -> Option<Side> {
        Side::of(self.program.expression(), "record")
    }

    /// For an expression that is one comparison (`a == b`, `<`, `<=`, `>`,
    /// `>=`, `!=`), its two sides as written and the operator; `None`
    /// otherwise (or when the text has more than one comparison outside
    /// brackets, so the split would be a guess).
    pub fn comparison(&self) -> Option<(&str, &'static str, &str)> {
        const OPERATORS: [(&str, &str); 6] = [
            ("_==_", "=="),
            ("_!=_", "!="),
            ("_<=_", "<="),
            ("_>=_", ">="),
            ("_<_", "<"),
            ("_>_", ">"),
        ];
        let cel::common::ast::Expr::Call(call) = &self.program.expression().expr else {
            return None;
        };
        let (_, operator) = OPERATORS.iter().find(|(f, _)| *f == call.func_name)?;
        // The one comparison outside brackets and strings.
        let bytes = self.source.as_bytes();
        let mut depth = 0i32;
        let mut found = Vec::new();
        let mut skip = 0;
        for (at, c) in outside_strings(&self.source) {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                '=' | '!' | '<' | '>' if depth == 0 => {
                    let next = bytes.get(at + 1).copied();
                    let two = next == Some(b'=');
                    if c == '!' && !two {
                        continue;
                    }
                    let text = if two {
                        &self.source[at..at + 2]
                    } else {
                        &self.source[at..at + 1]
                    };
                    if two {
                        skip = 1;
                    }
                    found.push((at, text));
                }
                _ => {}
            }
        }
        let [(at, text)] = found[..] else {
            return None;
        };
        (text == *operator).then(|| {
            (
                self.source[..at].trim(),
                *operator,
                self.source[at + text.len()..].trim(),
            )
        })
    }

    /// The fields it selects on `record` (`record.soort` selects `soort`),
    /// when that is known.
    pub fn record_fields(&self) -> Option<&[String]> {
        self.projection.as_deref()
    }

    /// True when the expression reads `collections`.
    pub fn uses_collections(&self) -> bool {
        self.uses_collections
    }

    /// The collections it reads as `collections.<name>`; `None` when it uses
    /// `collections` in another way (and may read any).
    pub fn collections_read(&self) -> Option<BTreeSet<String>> {
        reads::variable_fields(self.program.expression(), "collections")
    }

    /// Evaluates the expression with `record` bound to `fields` (only the
    /// fields it reads are converted, when those are known).
    pub fn eval(&self, env: &Env, fields: &Fields) -> Result<CelValue, Text> {
        self.within_budget(env, &[], Some(fields))?;
        let record = match &self.projection {
            Some(names) => projected(fields, names),
            None => object(fields),
        };
        let mut scope = env.context.new_inner_scope();
        scope.add_variable_from_value("record", record);
        self.program
            .execute(&scope)
            .map_err(|e| Text::verbatim(e.to_string()))
    }

    /// Evaluates the expression in a scope made with [`Env::scope`];
    /// `lists` gives the length of list variables bound in it (for the
    /// budget, see [`cost`]).
    pub fn eval_in(
        &self,
        scope: &Context<'_, 'static>,
        env: &Env,
        lists: &[(&str, usize)],
    ) -> Result<CelValue, Text> {
        self.within_budget(env, lists, None)?;
        self.program
            .execute(scope)
            .map_err(|e| Text::verbatim(e.to_string()))
    }

    /// Refuses to run an expression whose loops could take more than
    /// [`MAX_STEPS`] steps on these values.
    fn within_budget(
        &self,
        env: &Env,
        lists: &[(&str, usize)],
        record: Option<&Fields>,
    ) -> Result<(), Text> {
        if self.loops.is_empty() {
            return Ok(());
        }
        let size = |root: &str, fields: &[String]| -> Option<u64> {
            match (root, fields) {
                ("record", path) => cost::record_size(record?, path),
                ("collections", [name]) => env.sizes.get(name).copied(),
                (name, []) => lists
                    .iter()
                    .find(|(list, _)| *list == name)
                    .map(|(_, n)| *n as u64),
                _ => None,
            }
        };
        let steps = self.loops.steps(&size);
        if steps > MAX_STEPS {
            // Starts with BUDGET_EXCEEDED, by which the cause is classed.
            return Err(tr!(
                "evaluation budget exceeded: it could take {steps} steps here, at most {max} are allowed",
                steps = steps,
                max = MAX_STEPS
            ));
        }
        Ok(())
    }

    /// True when the expression reads the variable `name`.
    pub fn reads(&self, name: &str) -> bool {
        reads::reads(self.program.expression(), name)
    }

    /// The fields of the elements of list variable `list` the expression
    /// reads, when only those are read (see [`reads::element_projection`]).
    pub fn element_fields(&self, list: &str) -> Option<BTreeSet<String>> {
        reads::element_projection(self.program.expression(), list)
    }

    /// `(certainly true, certainly false)` of the expression over a row, as
    /// SQL (see [`sql`]); `None` when it has no native form, so only
    /// naleving can judge it.
    pub fn sql_certain(&self, cx: &mut SqlCx<'_>) -> Option<(String, String)> {
        self.native.as_ref().map(|native| sql::certain(native, cx))
    }

    /// `(certainly true, certainly false)` of the expression over named
    /// whole numbers as SQL (see [`sql::over_numbers`]): a group's `expr`
    /// over its counts. `None` beyond that subset.
    pub fn sql_over_numbers(
        &self,
        cx: &mut SqlCx<'_>,
        value: &dyn Fn(&str) -> Option<String>,
    ) -> Option<(String, String)> {
        sql::over_numbers(&self.program.expression().expr, value, cx)
    }

    /// Evaluates the expression and requires a boolean result.
    pub fn eval_bool(&self, env: &Env, fields: &Fields) -> Result<bool, Text> {
        if let Some(answer) = self
            .native
            .as_ref()
            .and_then(|n| n.eval(fields, &env.bindings()))
        {
            return Ok(answer);
        }
        match self.eval(env, fields)? {
            CelValue::Bool(b) => Ok(b),
            other => Err(tr!(
                "expected a boolean, got {kind}",
                kind = other.type_of()
            )),
        }
    }

    /// A way to count what the expression counts of list variable `list`,
    /// record by record, when it is `list.size()` or
    /// `list.filter(x, P).size()` (see [`Counter`]).
    pub fn counter(&self, list: &str) -> Option<Counter> {
        Some(match count::counted(self.program.expression(), list)? {
            Counted::All => Counter {
                var: String::new(),
                predicate: None,
            },
            Counted::Where(var, predicate) => Counter {
                var: var.to_string(),
                predicate: Some(Predicate {
                    native: Native::compile(predicate, var),
                    projection: reads::variable_fields(predicate, var)
                        .map(|f| f.into_iter().collect()),
                    expr: predicate.clone(),
                }),
            },
        })
    }
}

/// Counts `list.filter(x, P).size()` (or `list.size()`) one element at a
/// time, without building the list for CEL: `P` natively when it can be,
/// else by CEL on the element alone. When `P` fails or is not a boolean for
/// an element, [`Counter::counts`] says so and the caller runs the whole
/// expression in CEL, which then fails in CEL's own words.
#[derive(Debug)]
pub struct Counter {
    var: String,
    predicate: Option<Predicate>,
}

#[derive(Debug)]
struct Predicate {
    expr: IdedExpr,
    native: Option<Native>,
    projection: Option<Vec<String>>,
}

impl Counter {
    /// What is counted, as SQL over a row: `Some(None)` for every element,
    /// `Some(Some((certainly counted, certainly not)))` for a condition
    /// with a native form, `None` otherwise.
    pub fn sql_certain(&self, cx: &mut SqlCx<'_>) -> Option<Option<(String, String)>> {
        match &self.predicate {
            None => Some(None),
            Some(predicate) => Some(Some(sql::certain(predicate.native.as_ref()?, cx))),
        }
    }

    /// True when the condition reads the variable `name`.
    pub fn reads(&self, name: &str) -> bool {
        self.predicate
            .as_ref()
            .is_some_and(|p| reads::reads(&p.expr, name))
    }

    /// Whether the element `fields` is counted; `None` when CEL must decide
    /// for the whole list. `scope` holds the other variables `P` may read.
    pub fn counts(&self, env: &Env, scope: &Context<'_, 'static>, fields: &Fields) -> Option<bool> {
        self.natively(env, fields)
            .or_else(|| self.by_cel(scope, fields))
    }

    /// [`Counter::counts`] when the native path can answer alone.
    pub fn natively(&self, env: &Env, fields: &Fields) -> Option<bool> {
        match &self.predicate {
            None => Some(true),
            Some(predicate) => predicate
                .native
                .as_ref()
                .and_then(|n| n.eval(fields, &env.bindings())),
        }
    }

    /// [`Counter::counts`] by CEL on the element alone.
    pub fn by_cel(&self, scope: &Context<'_, 'static>, fields: &Fields) -> Option<bool> {
        let Some(predicate) = &self.predicate else {
            return Some(true);
        };
        let element = match &predicate.projection {
            Some(names) => projected(fields, names),
            None => object(fields),
        };
        let mut inner = scope.new_inner_scope();
        inner.add_variable_from_value(self.var.as_str(), element);
        match CelValue::resolve(&predicate.expr, &inner) {
            Ok(CelValue::Bool(b)) => Some(b),
            _ => None,
        }
    }
}

/// The records of other collections, by collection name, as `collections`.
pub type CollectionsVar<'a> = [(&'a str, Vec<&'a Fields>)];

/// What every expression of a run can see besides `record`.
pub struct Env {
    context: Context<'static, 'static>,
    as_of: String,
    terms: Arc<Terms>,
    /// The number of records of each collection in `collections`.
    sizes: HashMap<String, u64>,
}

impl Env {
    /// Builds the environment for a run: `as_of`, and `collections` when some
    /// expression uses it (converting every collection is not free).
    pub fn new(
        as_of: jiff::civil::Date,
        calendar: Arc<crate::calendar::Calendar>,
        collections: Option<&CollectionsVar<'_>>,
    ) -> Env {
        let mut context = Context::with_env(Arc::clone(&CEL));
        context.add_variable_from_value("as_of", as_of.to_string());
        let sizes = collections
            .into_iter()
            .flatten()
            .map(|(name, records)| ((*name).to_string(), records.len() as u64))
            .collect();
        if let Some(collections) = collections {
            let map: HashMap<Key, CelValue> = collections
                .iter()
                .map(|(name, records)| {
                    let list: Vec<CelValue> = records.iter().map(|r| object(r)).collect();
                    (
                        Key::String(Arc::new((*name).to_string())),
                        CelValue::List(Arc::new(list)),
                    )
                })
                .collect();
            context.add_variable_from_value(
                "collections",
                CelValue::Map(CelMap { map: Arc::new(map) }),
            );
        }
        let terms = Arc::new(Terms::new(Arc::clone(&calendar)));
        functions::register(&mut context, &calendar, &terms);
        Env {
            context,
            as_of: as_of.to_string(),
            terms,
            sizes,
        }
    }

    /// The deadline of `term` from `start` on the run's calendar
    /// ([`crate::calendar::Term::due`]), computed once per start date.
    pub fn due(
        &self,
        term: crate::calendar::Term,
        start: jiff::civil::Date,
        atw: bool,
    ) -> Arc<crate::calendar::Due> {
        self.terms.due(term, start, atw)
    }

    fn bindings(&self) -> Bindings<'_> {
        Bindings {
            as_of: &self.as_of,
            terms: &self.terms,
        }
    }

    /// A scope for binding variables, for [`Expr::eval_in`].
    pub fn scope(&self) -> Context<'_, 'static> {
        self.context.new_inner_scope()
    }
}

/// Converts the named fields of a JSON object (those present) to a CEL map.
pub fn projected<'a>(fields: &Fields, names: impl IntoIterator<Item = &'a String>) -> CelValue {
    let map: HashMap<Key, CelValue> = names
        .into_iter()
        .filter_map(|name| {
            let v = crate::data::get(fields, name)?;
            Some((Key::String(Arc::new(name.clone())), value(v)))
        })
        .collect();
    CelValue::Map(CelMap { map: Arc::new(map) })
}

/// Converts a record's fields to a CEL map.
pub fn object(fields: &Fields) -> CelValue {
    object_of(fields.iter())
}

/// Converts the names and values of a mapping to a CEL map.
fn object_of<'a>(pairs: impl Iterator<Item = (&'a String, &'a Value)>) -> CelValue {
    let map: HashMap<Key, CelValue> = pairs
        .map(|(k, v)| (Key::String(Arc::new(k.clone())), value(v)))
        .collect();
    CelValue::Map(CelMap { map: Arc::new(map) })
}

/// Converts a JSON value to a CEL value.
pub fn value(v: &Value) -> CelValue {
    match v {
        Value::Null => CelValue::Null,
        Value::Bool(b) => CelValue::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => CelValue::Int(i),
            (None, Some(u)) => CelValue::UInt(u),
            _ => CelValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => CelValue::String(Arc::new(s.clone())),
        Value::Array(items) => CelValue::List(Arc::new(items.iter().map(value).collect())),
        Value::Object(fields) => object_of(fields.iter()),
    }
}

/// A CEL value as JSON, for details.
pub fn to_json(value: &CelValue) -> Value {
    match value {
        CelValue::Int(i) => serde_json::json!(i),
        CelValue::UInt(u) => serde_json::json!(u),
        CelValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        CelValue::Bool(b) => serde_json::json!(b),
        CelValue::String(s) => serde_json::json!(s.as_str()),
        CelValue::List(items) => Value::Array(items.iter().map(to_json).collect()),
        CelValue::Null => Value::Null,
        other => serde_json::json!(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expression_too_deep_to_evaluate_is_refused_at_compile() {
        let chain = vec!["1"; 10_000].join(" + ") + " > 0";
        let err = compile(&chain).err().map(|e| e.message.en());
        assert_eq!(
            err.as_deref(),
            Some(
                "the expression has 10000 operators; at most 1000 can be read safely (split it over `let`s or rules)"
            )
        );
        let nested = "has(record".to_string() + &".a".repeat(150) + ")";
        let err = compile(&nested).err().map(|e| e.message.en());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("the expression nests")),
            "{err:?}"
        );
        // Strings do not count: a list of dates is no deep expression.
        let dates = format!("record.d in [{}]", vec!["'2020-06-01'"; 600].join(", "));
        assert!(compile(&dates).is_ok());
        let fine = vec!["1"; 90].join(" + ") + " > 0";
        let expr = compile(&fine).unwrap();
        let fields = Fields::default();
        let env = Env::new(
            jiff::civil::date(2021, 1, 15),
            Arc::new(crate::calendar::Calendar::empty()),
            None,
        );
        assert_eq!(expr.eval_bool(&env, &fields), Ok(true));
    }

    #[test]
    fn unknown_functions_and_sql_operators_fail_at_compile_with_a_hint() {
        let message = |source: &str| compile(source).err().map(|e| e.message.en());
        assert_eq!(
            message("record.a.startswith('x')"),
            Some("unknown function `startswith`; did you mean `startsWith`?".to_string())
        );
        assert_eq!(
            message("add_terms(record.d, '5 werkdagen') < as_of"),
            Some("unknown function `add_terms`; did you mean `add_term`?".to_string())
        );
        assert_eq!(
            message("lengte(record.a) > 2"),
            Some("unknown function `lengte`".to_string())
        );
        assert!(
            message("record.a = 1")
                .unwrap()
                .ends_with("did you mean `==`? CEL compares with `==`")
        );
        assert!(
            message("record.a == 1 and record.b == 2")
                .unwrap()
                .ends_with("CEL writes `and` as `&&`")
        );
        // CEL's own functions and macros, and naleving's, compile; those
        // this build leaves out (`duration`, `timestamp`: no chrono) do not,
        // and say what to use instead.
        assert_eq!(
            message("duration('1h') > duration('1m')"),
            Some("`duration` is not available: dates are ISO strings in naleving (`date(s)` reads one, `add_term(d, '5 werkdagen')` adds a term, `workdays_between(a, b)` counts working days)".to_string())
        );
        for source in [
            "size(record.a) > 0 && record.a.contains('x') && record.a.matches('^x')",
            "int(record.n) + double(record.m) > 0.0 && string(record.n) != ''",
            "record.l.all(x, x > 0) && record.l.exists_one(x, x == 1) && has(record.a)",
            "add_term(record.d, '5 werkdagen') <= as_of && is_workday(record.d)",
            "record.a.endsWith('x') && uint(1) > uint(0) && bytes('a') == b'a'",
        ] {
            assert!(
                compile(source).is_ok(),
                "{source}: {:?}",
                compile(source).err()
            );
        }
    }
    use serde_json::json;

    fn fields(v: Value) -> Fields {
        match v {
            Value::Object(m) => Fields::from(m),
            _ => Fields::default(),
        }
    }

    #[test]
    fn evaluates_against_a_record() {
        let env = Env::new(
            jiff::civil::date(2020, 7, 1),
            Arc::new(crate::calendar::Calendar::empty()),
            None,
        );
        let expr = compile(r#"record.soort == "melding" && record.n > 2"#).unwrap();
        assert_eq!(
            expr.eval_bool(&env, &fields(json!({"soort": "melding", "n": 3}))),
            Ok(true)
        );
        assert_eq!(
            expr.eval_bool(&env, &fields(json!({"soort": "advies", "n": 3}))),
            Ok(false)
        );
        let expr = compile(r#"record.d < as_of"#).unwrap();
        assert_eq!(
            expr.eval_bool(&env, &fields(json!({"d": "2020-06-30"}))),
            Ok(true)
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = compile("record.a ==").unwrap_err();
        assert_eq!((err.line, err.column), (1, 12), "{err:?}");
        let err = compile("1 + * 2").unwrap_err();
        assert_eq!((err.line, err.column), (1, 5), "{err:?}");
        let err = compile("record.a &&\n  (b").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
    }

    /// The rules README's examples of the extensions and `cel.bind`; and the
    /// names CEL knows (namespaces, type names) are not unknown variables.
    #[test]
    fn extensions_and_bind_work_in_rules() {
        let env = Env::new(
            jiff::civil::date(2020, 7, 1),
            Arc::new(crate::calendar::Calendar::empty()),
            None,
        );
        let status = compile(
            r#"record.status.trim().lowerAscii() in ["voldaan", "lopend"] && record.kamerstuk.replace(" ", "").matches('^[0-9]+-[0-9]+$')"#,
        )
        .unwrap();
        let record = fields(json!({"status": " Voldaan", "kamerstuk": "28345 -234"}));
        assert_eq!(status.eval_bool(&env, &record), Ok(true));
        let record = fields(json!({"status": "open", "kamerstuk": "28345-234"}));
        assert_eq!(status.eval_bool(&env, &record), Ok(false));
        let bound = compile("cel.bind(n, size(record.a), n > 1 && n < 4) && math.greatest(1, 3) == 3 && type(record.a) == list").unwrap();
        assert_eq!(
            bound.eval_bool(&env, &fields(json!({"a": [1, 2]}))),
            Ok(true)
        );
        let two = compile(
            "record.a.all(i, v, v > i) && record.m.exists(k, v, k == 'x' && v == 1) && record.a.transformList(i, v, v * 2) == [2, 4]",
        )
        .unwrap();
        let record = fields(json!({"a": [1, 2], "m": {"x": 1}}));
        assert_eq!(two.eval_bool(&env, &record), Ok(true));
        let err = compile("record.s.lowerASCII() == 'x'").unwrap_err();
        assert_eq!(
            err.message.en(),
            "unknown function `lowerASCII`; did you mean `lowerAscii`?"
        );
        let err = compile("timestamp(record.d) < as_of").unwrap_err();
        assert!(
            err.message.en().starts_with("`timestamp` is not available"),
            "{err:?}"
        );
        let err = compile("record.`datum van melding` == 1").unwrap_err();
        assert!(
            err.message.en().contains(r#"record["datum van melding"]"#),
            "{err:?}"
        );
    }

    /// Found by fuzzing: a name on the second line of an expression was
    /// placed on line 1 at a column past its end.
    #[test]
    fn load_errors_are_placed_on_their_line() {
        for (source, line, column) in [
            ("1 +\nf()", 2, 1),
            ("true &&\n\"a\".matches(\"(\")", 2, 5),
            ("record.x == 1 &&\n  x > 2", 2, 3),
        ] {
            let err = compile(source).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{source}: {err:?}");
        }
    }

    #[test]
    fn parser_messages_carry_no_debug_dump() {
        let err = compile(r"'\uD800' == 'x'").unwrap_err();
        assert_eq!(
            err.message.en(),
            "invalid string literal: an escape in it is not valid (`\\u` and `\\U` need a Unicode scalar value, not a surrogate)"
        );
    }

    #[test]
    fn unknown_variables_are_refused() {
        let err = compile("record.a == 1 && recrod.a == 1").unwrap_err();
        assert_eq!(
            (err.message.en().as_str(), err.column),
            (
                "unknown variable `recrod` (did you mean `record`?); this expression can use `record`, `as_of`, `collections`",
                18
            )
        );
        assert!(compile("record.items.all(x, x > 1)").is_ok());
        assert!(compile("record.items.all(x, record.other.exists(y, y == x))").is_ok());
        assert!(compile("record.a.map(x, x + 1).filter(y, y > 2).size() > 0").is_ok());
    }

    /// A comprehension variable exists inside its macro only: used after
    /// it, the expression failed on every record ("undeclared reference").
    #[test]
    fn a_comprehension_variable_outside_its_macro_is_refused() {
        for (source, name) in [
            ("record.items.exists(x, x > 1) && x > 2", "x"),
            ("record.items.exists(x, x > 1) && record.n == 1 || x", "x"),
            (
                "record.items.all(y, y > 0) && record.b.exists(x, y == x)",
                "y",
            ),
        ] {
            let err = compile(source).unwrap_err();
            assert_eq!(
                err.message.en(),
                format!(
                    "`{name}` is used outside the macro that binds it (a variable of `all`, `exists`, `map` or `filter` exists inside its parentheses only)"
                ),
                "{source}"
            );
        }
    }
}
