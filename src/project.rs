//! The project file, `naleving.yaml`: which data to check (collections), with
//! which rules, as of which date (SPEC §3).
//!
//! Loading is strict — an unknown key is an error with its line and column —
//! and every problem found is collected rather than returned on the first one.
//! Paths in the file are relative to the file's own directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::calendar::{Reading, parse_date};
use crate::plugin::{Limits, PluginSpec};
use crate::problem::{LineCol, Problem, Problems, from_yaml_error, relative};
use crate::strict::{self, Shape};
use crate::table_schema::{Field, Kind, Schema, SchemaSpec};
use crate::text::Text;
use crate::tr;
use crate::waiver::{self, Waiver, WaiversSpec};

mod phrases;

pub use phrases::{PhraseSpec, PhrasesSpec};

crate::problem_codes! {
    /// The codes of problems with the project file.
    pub enum ProjectCode {
        /// The project file could not be read.
        Read = "project::read",
        /// The project file is not YAML of the project shape (a syntax error or a value of the
        /// wrong type).
        Parse = "project::parse",
        /// The project file has a key naleving does not know; every unknown key is reported with
        /// its place.
        UnknownKey = "project::unknown-key",
        /// `as_of` is not an ISO date (YYYY-MM-DD).
        AsOf = "project::as-of",
        /// `calendar` names a calendar other than `nl`, or a `calendar_extend` file does not
        /// exist.
        Calendar = "project::calendar",
        /// The project declares no collections.
        Collections = "project::collections",
        /// A collection's `key` is empty.
        Key = "project::key",
        /// A path under `rules` does not exist.
        Rules = "project::rules",
        /// A collection's schema cannot be used: its file is missing or not a
        /// schema, a field has a type that does not exist or a date format that
        /// cannot parse, or its primaryKey is not the collection's key.
        Schema = "project::schema",
        /// The project file names a `plugin_cache`, which is ignored: compiled
        /// plugins are native code, and a repository being checked must not
        /// choose where they come from (a warning; set `NALEVING_CACHE_DIR`).
        PluginCache = "project::plugin-cache",
        /// A plugin entry is wrong: its `sha256` is not 64 hex digits.
        Plugin = "project::plugin",
        /// A reading under `phrases` is wrong: its `means` is no due phrase or term naleving
        /// knows, or is itself a declared phrase; its `reason` is empty; the phrase is a term or
        /// a date, or declared twice.
        Phrases = "project::phrases",
    }
}

/// The project file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// Default evaluation date (ISO); `--as-of` wins; else today.
    #[serde(default)]
    pub as_of: Option<Spanned<String>>,
    /// The working-day calendar; `nl` is built in and the only one so far.
    #[serde(default)]
    pub calendar: Option<Spanned<String>>,
    /// The programme data, one entry per collection.
    pub collections: BTreeMap<String, CollectionSpec>,
    /// Files or directories of rule files.
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    /// Calendar files that extend the built-in calendar: more days
    /// gelijkgesteld by Royal Decree, more Tweede Kamer recesses.
    #[serde(default)]
    pub calendar_extend: Vec<Spanned<String>>,
    /// Accepted findings: a list of `{ rule, record, reason, approved_by,
    /// expires }`, or the path of a YAML file holding that list.
    #[serde(default)]
    pub waivers: Option<Spanned<WaiversSpec>>,
    /// WebAssembly plugins, by name, each pinned by sha256.
    #[serde(default)]
    pub plugins: BTreeMap<String, PluginEntry>,
    /// Ignored with a warning: a project file cannot choose where compiled
    /// plugins are cached (`$NALEVING_CACHE_DIR`, else the user's cache
    /// directory).
    #[serde(default)]
    pub plugin_cache: Option<Spanned<String>>,
    /// The project's readings of due phrases naleving does not decide
    /// ("voor de zomer"): phrase → `{ means, reason }`, `means` a due
    /// phrase or term naleving knows. Applied first wherever a deadline
    /// reads a due phrase, and shown with it.
    #[serde(default)]
    pub phrases: PhrasesSpec,
}

/// A plugin as the project pins it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginEntry {
    /// The component file (`.wasm`).
    pub path: Spanned<String>,
    /// Its sha256, hex; a mismatch refuses to load the plugin.
    pub sha256: Spanned<String>,
    /// Per-batch limits; anything left out keeps its default.
    #[serde(default)]
    pub limits: LimitsSpec,
}

/// Per-batch limits of a plugin.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// Fuel (about one unit per wasm instruction); default 1 000 000 000.
    #[serde(default)]
    pub fuel: Option<u64>,
    /// Linear memory cap in MiB; default 64.
    #[serde(default)]
    pub memory_mib: Option<u32>,
    /// Wall-clock budget per batch in milliseconds; default 2000.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Records per batch; default 1000.
    #[serde(default)]
    pub batch_size: Option<usize>,
}

/// One collection of records.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionSpec {
    /// A file, a directory (every data file in it, sorted) or a glob.
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    /// A database the records are read from, instead of files.
    #[serde(default)]
    pub source: Option<Spanned<SourceSpec>>,
    /// The field that identifies a record; keys must be unique.
    pub key: Spanned<String>,
    /// Types of fields (CSV columns are otherwise text): a short way to
    /// write a schema's `fields` with only a `type` each.
    #[serde(default)]
    pub types: BTreeMap<String, Kind>,
    /// The collection's schema: inline, or the path of a JSON or YAML file
    /// (a Frictionless Table Schema, see [`crate::table_schema`]).
    #[serde(default)]
    pub schema: Option<Spanned<SchemaSource>>,
    /// A spreadsheet's sheet, by name (default: the first).
    #[serde(default)]
    pub sheet: Option<Spanned<String>>,
    /// A spreadsheet's header row, 1-based (default 1); records follow it.
    #[serde(default)]
    pub header_row: Option<Spanned<u32>>,
    /// A spreadsheet's cells to read (`B3:H40`, default the whole sheet);
    /// the header is its first row unless `header_row` names another in it.
    #[serde(default)]
    pub range: Option<Spanned<String>>,
}

/// A collection's records from a database: `source: { postgres: { … } }`.
/// The connection is never written here (see [`crate::data::postgres`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// A PostgreSQL table or query.
    #[serde(default)]
    pub postgres: Option<PostgresSpec>,
}

/// A PostgreSQL table (`vt.meldingen`) or a read-only query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresSpec {
    /// The table or view, `schema.table` or `table`.
    #[serde(default)]
    pub table: Option<Spanned<String>>,
    /// A query whose rows are the records (run only when the environment
    /// allows queries: `NALEVING_ALLOW_QUERY=1`).
    #[serde(default)]
    pub query: Option<Spanned<String>>,
    /// The longest a statement may run, in milliseconds (default 300000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// A collection read from PostgreSQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgSource {
    /// The table or the query.
    pub from: PgFrom,
    /// `statement_timeout`, in milliseconds.
    pub timeout_ms: u64,
}

/// What a PostgreSQL collection reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PgFrom {
    /// A table or view: its schema (when written) and name, both checked to
    /// be plain identifiers.
    Table {
        /// The schema, e.g. `vt`.
        schema: Option<String>,
        /// The table.
        table: String,
    },
    /// A query, as written.
    Query(String),
}

impl PgFrom {
    /// How it is named in locations: `vt.meldingen`, or `query`.
    pub fn shown(&self) -> String {
        match self {
            PgFrom::Table {
                schema: Some(schema),
                table,
            } => format!("{schema}.{table}"),
            PgFrom::Table {
                schema: None,
                table,
            } => table.clone(),
            PgFrom::Query(_) => "query".to_string(),
        }
    }
}

/// The default `statement_timeout` of a PostgreSQL collection: 5 minutes.
pub const PG_TIMEOUT_MS: u64 = 300_000;

/// Where a collection's schema is written.
#[derive(Debug)]
pub enum SchemaSource {
    /// In the project file.
    Inline(SchemaSpec),
    /// In a file, relative to the project file.
    File(String),
}

impl<'de> Deserialize<'de> for SchemaSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<SchemaSource, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SchemaSource;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a schema (`fields: [...]`) or the path of a schema file")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SchemaSource, E> {
                Ok(SchemaSource::File(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SchemaSource, A::Error> {
                SchemaSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(SchemaSource::Inline)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A project after validation: paths resolved, dates parsed.
#[derive(Debug)]
pub struct Project {
    /// The directory that project paths are relative to.
    pub root: PathBuf,
    /// The project file itself, when there is one.
    pub file: Option<PathBuf>,
    /// The project's default evaluation date.
    pub as_of: Option<Date>,
    /// The collections, by name.
    pub collections: BTreeMap<String, Collection>,
    /// Where to find the rules, resolved against `root`.
    pub rules: Vec<PathBuf>,
    /// Calendar extension files, resolved against `root`.
    pub calendar_extend: Vec<PathBuf>,
    /// The waivers, validated (see [`crate::waiver`]).
    pub waivers: Vec<Waiver>,
    /// The plugins, resolved against `root`.
    pub plugins: Vec<PluginSpec>,
    /// The readings of due phrases the project declares, validated (see
    /// [`crate::calendar::reading`]).
    pub phrases: Vec<Reading>,
}

/// A collection after validation.
#[derive(Debug, Clone)]
pub struct Collection {
    /// Its name in the project file.
    pub name: String,
    /// The path pattern as written (relative to the project root); empty
    /// for a collection read from a database.
    pub path: String,
    /// The database table or query it is read from, instead of files.
    pub postgres: Option<PgSource>,
    /// The key field.
    pub key: String,
    /// The collection's schema, when it declares one.
    pub schema: Option<Schema>,
    /// Where the collection's `path` is written in the project file.
    pub declared_at: Option<(PathBuf, LineCol)>,
    /// A spreadsheet's sheet, when the project names one.
    pub sheet: Option<String>,
    /// A spreadsheet's header row (1-based).
    pub header_row: u32,
    /// A spreadsheet's cells to read, when not the whole sheet.
    pub range: Option<CellRange>,
    /// Its options in the project file are wrong (reported when the
    /// project loaded), so its data is not read: reading the wrong cells
    /// would only bury that one problem under others.
    pub unreadable: bool,
    /// The file its schema is read from, when it is not written inline.
    pub schema_file: Option<PathBuf>,
}

/// A rectangle of a sheet's cells (`B3:H40`), 0-based and inclusive: the
/// cells a collection reads when its project names a `range`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellRange {
    /// The first row.
    pub top: u32,
    /// The first column.
    pub left: u32,
    /// The last row.
    pub bottom: u32,
    /// The last column.
    pub right: u32,
}

impl CellRange {
    /// Reads a range as a spreadsheet writes it (`B3:H40`, `$B$3:$H$40`).
    pub fn parse(text: &str) -> Result<CellRange, Text> {
        let usage =
            || tr!("a range is two cells, the top left and the bottom right, e.g. `A1:F200`");
        if text.contains('!') {
            return Err(tr!(
                "`{range}` names a sheet: name it with `sheet:`, and write the range as e.g. `A1:F200`",
                range = text
            ));
        }
        let no_range = || {
            tr!(
                "`{range}` is no cell range: {usage}",
                range = text,
                usage = usage()
            )
        };
        let Some((from, to)) = text.split_once(':') else {
            return Err(no_range());
        };
        let (Some((top, left)), Some((bottom, right))) = (cell(from), cell(to)) else {
            return Err(no_range());
        };
        if bottom < top || right < left {
            return Err(tr!(
                "`{range}` ends above or left of where it starts: {usage}",
                range = text,
                usage = usage()
            ));
        }
        Ok(CellRange {
            top,
            left,
            bottom,
            right,
        })
    }
}

/// A cell's 0-based (row, column) from `B3` (`$B$3` too), within the
/// largest sheet (XFD1048576).
fn cell(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let column = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    }) - 1;
    let row: u32 = digits.parse().ok()?;
    (column < 16_384 && (1..=1_048_576).contains(&row)).then(|| (row - 1, column))
}

/// The keys a project file may have, for [`strict::check_keys`].
fn shape() -> Shape {
    Shape::Struct(strict::fields_of::<ProjectFile>(), |key| match key {
        "collections" => Shape::MapOf(|| {
            Shape::Struct(strict::fields_of::<CollectionSpec>(), |key| match key {
                "source" => Shape::Struct(strict::fields_of::<SourceSpec>(), |key| match key {
                    "postgres" => {
                        Shape::Struct(strict::fields_of::<PostgresSpec>(), |_| Shape::Any)
                    }
                    _ => Shape::Any,
                }),
                _ => Shape::Any,
            })
        }),
        "waivers" => waiver::shape(),
        "plugins" => Shape::MapOf(|| {
            Shape::Struct(strict::fields_of::<PluginEntry>(), |key| match key {
                "limits" => Shape::Struct(strict::fields_of::<LimitsSpec>(), |_| Shape::Any),
                _ => Shape::Any,
            })
        }),
        "phrases" => {
            Shape::MapOf(|| Shape::Struct(strict::fields_of::<PhraseSpec>(), |_| Shape::Any))
        }
        _ => Shape::Any,
    })
}

/// Reads and validates the project file at `path`, collecting every problem.
/// Returns `None` when the file cannot be used at all.
pub fn load(path: &Path, problems: &mut Problems) -> Option<Project> {
    let text = match crate::read::text(path) {
        Ok(text) => text,
        Err(err) => {
            problems.push(
                err.place(Problem::unusable(
                    ProjectCode::Read,
                    tr!("cannot read the project file: {cause}", cause = err.text()),
                ))
                .in_file(path)
                .help(tr!(
                    "run naleving in a directory with a naleving.yaml, or pass --project FILE"
                )),
            );
            return None;
        }
    };
    if !strict::check_keys(&text, &shape(), ProjectCode::UnknownKey, path, problems) {
        return None;
    }
    let file: ProjectFile = match serde_saphyr::from_str(&text) {
        Ok(file) => file,
        Err(err) => {
            problems.push(from_yaml_error(ProjectCode::Parse, path, &err));
            return None;
        }
    };
    let root = path
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut project = Project {
        root,
        file: Some(path.to_path_buf()),
        as_of: None,
        collections: BTreeMap::new(),
        rules: Vec::new(),
        calendar_extend: Vec::new(),
        waivers: Vec::new(),
        plugins: Vec::new(),
        phrases: Vec::new(),
    };
    dates(&file, path, &mut project, problems);
    collections(file.collections, path, &mut project, problems);
    for rules in file.rules {
        let resolved = project.root.join(&rules.value);
        if !resolved.exists() {
            problems.push(
                Problem::unusable(
                    ProjectCode::Rules,
                    tr!(
                        "rule path {path} does not exist",
                        path = format!("{:?}", rules.value)
                    ),
                )
                .in_file(path)
                .at_loc(rules.referenced),
            );
        }
        project.rules.push(resolved);
    }
    for extra in file.calendar_extend {
        let resolved = project.root.join(&extra.value);
        if !resolved.is_file() {
            problems.push(
                Problem::unusable(
                    ProjectCode::Calendar,
                    tr!(
                        "calendar file {path} does not exist",
                        path = format!("{:?}", extra.value)
                    ),
                )
                .in_file(path)
                .at_loc(extra.referenced),
            );
        }
        project.calendar_extend.push(resolved);
    }
    if let Some(spec) = file.waivers {
        let shown = relative(&project.root, path);
        project.waivers = waiver::load(
            spec.value,
            LineCol::from(spec.referenced),
            &project.root,
            &shown,
            problems,
        );
    }
    project.plugins = plugins(file.plugins, path, &project.root, problems);
    project.phrases = phrases::readings(file.phrases, path, problems);
    if let Some(cache) = &file.plugin_cache {
        problems.push(
            Problem::warning(
                ProjectCode::PluginCache,
                tr!(
                    "`plugin_cache` is ignored: a project file cannot choose where compiled plugins are cached"
                ),
            )
            .in_file(path)
            .at_loc(cache.referenced)
            .help(tr!(
                "a repository being checked is untrusted input; set NALEVING_CACHE_DIR instead"
            )),
        );
    }
    Some(project)
}

/// The evaluation date and the calendar.
fn dates(file: &ProjectFile, path: &Path, project: &mut Project, problems: &mut Problems) {
    if let Some(as_of) = &file.as_of {
        match parse_date(&as_of.value) {
            Some(date) => project.as_of = Some(date),
            None => problems.push(
                Problem::unusable(
                    ProjectCode::AsOf,
                    tr!(
                        "`as_of` is not an ISO date: {value}",
                        value = format!("{:?}", as_of.value)
                    ),
                )
                .in_file(path)
                .at_loc(as_of.referenced)
                .help(tr!("write the date as YYYY-MM-DD")),
            ),
        }
    }
    if let Some(calendar) = &file.calendar
        && calendar.value != "nl"
    {
        problems.push(
            Problem::unusable(
                ProjectCode::Calendar,
                tr!(
                    "unknown calendar {name}",
                    name = format!("{:?}", calendar.value)
                ),
            )
            .in_file(path)
            .at_loc(calendar.referenced)
            .help(tr!("the built-in calendar is `nl`")),
        );
    }
}

/// The collections, each with its key and where it is declared.
fn collections(
    specs: BTreeMap<String, CollectionSpec>,
    path: &Path,
    project: &mut Project,
    problems: &mut Problems,
) {
    if specs.is_empty() {
        problems.push(
            Problem::unusable(
                ProjectCode::Collections,
                tr!("the project declares no collections"),
            )
            .in_file(path)
            .help(tr!(
                "add `collections: { name: { path: data.jsonl, key: id } }`"
            )),
        );
    }
    for (name, spec) in specs {
        if spec.key.value.trim().is_empty() {
            problems.push(
                Problem::unusable(
                    ProjectCode::Key,
                    tr!("collection `{name}` has an empty key", name = &name),
                )
                .in_file(path)
                .at_loc(spec.key.referenced),
            );
        }
        let before = problems.len();
        let range = sheet_options(&name, &spec, path, problems);
        let postgres = source(&name, &spec, path, problems);
        let unreadable = problems.len() > before;
        let schema_file = spec.schema.as_ref().and_then(|source| match &source.value {
            SchemaSource::File(file) => Some(project.root.join(file)),
            SchemaSource::Inline(_) => None,
        });
        let declared = spec
            .schema
            .map(|source| schema(source, &spec.key.value, path, &project.root, problems));
        // `types:` are fields of the schema (which wins where both type one).
        let schema = match declared {
            Some(declared) => declared,
            None if spec.types.is_empty() => None,
            None => Some(Schema::open()),
        }
        .map(|mut schema| {
            for (field, kind) in spec.types {
                schema
                    .fields
                    .entry(field)
                    .or_insert_with(|| Field::of(kind));
            }
            schema
        });
        project.collections.insert(
            name.clone(),
            Collection {
                name,
                path: spec
                    .path
                    .as_ref()
                    .map(|p| p.value.clone())
                    .unwrap_or_default(),
                postgres,
                key: spec.key.value,
                schema,
                declared_at: Some((
                    relative(&project.root, path),
                    LineCol::from(
                        spec.path
                            .as_ref()
                            .map(|p| p.referenced)
                            .or(spec.source.as_ref().map(|s| s.referenced))
                            .unwrap_or(spec.key.referenced),
                    ),
                )),
                sheet: spec.sheet.map(|s| s.value),
                header_row: spec
                    .header_row
                    .map_or(range.map_or(1, |r| r.top + 1), |h| h.value.max(1)),
                range,
                unreadable,
                schema_file,
            },
        );
    }
}

/// Where the records come from: files (`path`) or a database (`source`),
/// exactly one. Returns the database source, checked.
fn source(
    name: &str,
    spec: &CollectionSpec,
    path: &Path,
    problems: &mut Problems,
) -> Option<PgSource> {
    let at = spec.key.referenced;
    let problem = |message: Text, at| {
        Problem::unusable(ProjectCode::Collections, message)
            .in_file(path)
            .at_loc(at)
    };
    let source = match (&spec.path, &spec.source) {
        (Some(_), None) => return None,
        (None, None) => {
            problems.push(
                problem(
                    tr!(
                        "collection `{name}` has no `path` and no `source`",
                        name = name
                    ),
                    at,
                )
                .help(tr!(
                    "read files with `path: data.jsonl`, or a database table with `source: { postgres: { table: schema.table } }`"
                )),
            );
            return None;
        }
        (Some(_), Some(source)) => {
            problems.push(problem(
                tr!(
                    "collection `{name}` has both `path` and `source`: it is read from one place",
                    name = name
                ),
                source.referenced,
            ));
            return None;
        }
        (None, Some(source)) => source,
    };
    let Some(pg) = &source.value.postgres else {
        problems.push(
            problem(
                tr!(
                    "collection `{name}`: `source` names no database",
                    name = name
                ),
                source.referenced,
            )
            .help(tr!("write `source: { postgres: { table: schema.table } }`")),
        );
        return None;
    };
    let from = match (&pg.table, &pg.query) {
        (Some(table), None) => {
            let parts: Vec<&str> = table.value.split('.').collect();
            let plain = |s: &str| {
                !s.is_empty()
                    && s.len() <= 63
                    && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            match parts.as_slice() {
                [table] if plain(table) => PgFrom::Table {
                    schema: None,
                    table: (*table).to_string(),
                },
                [schema, table] if plain(schema) && plain(table) => PgFrom::Table {
                    schema: Some((*schema).to_string()),
                    table: (*table).to_string(),
                },
                _ => {
                    problems.push(
                        problem(
                            tr!(
                                "collection `{name}`: `{table}` is not a table name naleving reads",
                                name = name,
                                table = &table.value
                            ),
                            table.referenced,
                        )
                        .help(tr!(
                            "write `table` or `schema.table` with letters, digits and `_`; for anything else, a view"
                        )),
                    );
                    return None;
                }
            }
        }
        (None, Some(query)) if !query.value.trim().is_empty() => {
            PgFrom::Query(query.value.trim().trim_end_matches(';').to_string())
        }
        _ => {
            problems.push(problem(
                tr!(
                    "collection `{name}`: `postgres` needs either `table` or `query`",
                    name = name
                ),
                source.referenced,
            ));
            return None;
        }
    };
    Some(PgSource {
        from,
        timeout_ms: pg.timeout_ms.unwrap_or(PG_TIMEOUT_MS).max(1),
    })
}

/// `sheet`, `header_row` and `range` belong to spreadsheets, rows count
/// from 1, and a header row named with a range is in it. Returns the range.
fn sheet_options(
    name: &str,
    spec: &CollectionSpec,
    path: &Path,
    problems: &mut Problems,
) -> Option<CellRange> {
    let spreadsheet = [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|ext| {
            spec.path
                .as_ref()
                .is_some_and(|p| p.value.to_ascii_lowercase().ends_with(ext))
        });
    let options = [
        spec.sheet.as_ref().map(|s| ("sheet", s.referenced)),
        spec.header_row
            .as_ref()
            .map(|h| ("header_row", h.referenced)),
        spec.range.as_ref().map(|r| ("range", r.referenced)),
    ];
    for (option, at) in options.into_iter().flatten() {
        if !spreadsheet {
            problems.push(
                Problem::unusable(
                    ProjectCode::Collections,
                    tr!(
                        "collection `{name}`: `{option}` applies to a spreadsheet path (.xlsx, .xlsm, .xlsb, .xls, .ods) only",
                        name = name,
                        option = option
                    ),
                )
                .in_file(path)
                .at_loc(at),
            );
        }
    }
    if let Some(row) = spec.header_row.as_ref().filter(|h| h.value == 0) {
        problems.push(
            Problem::unusable(
                ProjectCode::Collections,
                tr!(
                    "collection `{name}`: `header_row` counts from 1",
                    name = name
                ),
            )
            .in_file(path)
            .at_loc(row.referenced),
        );
    }
    let written = spec.range.as_ref()?;
    let range = match CellRange::parse(&written.value) {
        Ok(range) => range,
        Err(why) => {
            problems.push(
                Problem::unusable(
                    ProjectCode::Collections,
                    tr!("collection `{name}`: {cause}", name = name, cause = why),
                )
                .in_file(path)
                .at_loc(written.referenced),
            );
            return None;
        }
    };
    if let Some(row) = spec
        .header_row
        .as_ref()
        .filter(|h| h.value > 0 && !(range.top + 1..=range.bottom + 1).contains(&h.value))
    {
        problems.push(
            Problem::unusable(
                ProjectCode::Collections,
                tr!(
                    "collection `{name}`: `header_row` {row} is outside the range `{range}` (rows {top} to {bottom})",
                    name = name,
                    row = row.value,
                    range = &written.value,
                    top = range.top + 1,
                    bottom = range.bottom + 1
                ),
            )
            .in_file(path)
            .at_loc(row.referenced)
            .help(tr!(
                "leave `header_row` out: the header is the range's first row"
            )),
        );
    }
    Some(range)
}

/// A collection's schema, read from its file when it names one, and
/// validated; its problems are located in the file that writes it.
fn schema(
    source: Spanned<SchemaSource>,
    key: &str,
    path: &Path,
    root: &Path,
    problems: &mut Problems,
) -> Option<Schema> {
    let at = LineCol::from(source.referenced);
    let (spec, shown, at) = match source.value {
        SchemaSource::Inline(spec) => (spec, path.to_path_buf(), Some(at)),
        SchemaSource::File(file) => {
            let full = root.join(&file);
            let shown = relative(root, &full);
            let text = match crate::read::text(&full) {
                Ok(text) => text,
                Err(err) => {
                    let problem = Problem::unusable(
                        ProjectCode::Schema,
                        tr!(
                            "cannot read schema file {file}: {cause}",
                            file = format!("{file:?}"),
                            cause = err.text()
                        ),
                    );
                    problems.push(match err {
                        crate::read::ReadError::Utf8(_) => err.place(problem).in_file(&shown),
                        _ => problem.in_file(path).at_loc(at),
                    });
                    return None;
                }
            };
            match serde_saphyr::from_str::<SchemaSpec>(&text) {
                Ok(spec) => (spec, shown, None),
                Err(err) => {
                    problems.push(from_yaml_error(ProjectCode::Schema, &shown, &err));
                    return None;
                }
            }
        }
    };
    let mut errors = Vec::new();
    if let Some(primary) = &spec.primary_key
        && primary != key
    {
        errors.push(tr!(
            "the schema's primaryKey `{primary}` is not the collection's key `{key}`",
            primary = primary,
            key = key
        ));
    }
    let schema = Schema::from_spec(spec).map_err(|e| errors.extend(e)).ok();
    for message in &errors {
        let problem = Problem::unusable(ProjectCode::Schema, message.clone()).in_file(&shown);
        problems.push(match at {
            Some(at) => problem.at_loc(at),
            None => problem,
        });
    }
    schema.filter(|_| errors.is_empty())
}

/// The plugins, pinned by sha256, with their limits.
fn plugins(
    entries: BTreeMap<String, PluginEntry>,
    path: &Path,
    root: &Path,
    problems: &mut Problems,
) -> Vec<PluginSpec> {
    let mut plugins = Vec::new();
    for (name, entry) in entries {
        let sha256 = entry.sha256.value.trim().to_ascii_lowercase();
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            problems.push(
                Problem::unusable(
                    ProjectCode::Plugin,
                    tr!(
                        "plugin `{name}`: `sha256` is not 64 hex digits",
                        name = &name
                    ),
                )
                .in_file(path)
                .at_loc(entry.sha256.referenced)
                .help(tr!(
                    "pin the plugin with the output of `sha256sum <file>.wasm`"
                )),
            );
        }
        let zero = [
            ("fuel", entry.limits.fuel == Some(0)),
            ("memory_mib", entry.limits.memory_mib == Some(0)),
            ("timeout_ms", entry.limits.timeout_ms == Some(0)),
            ("batch_size", entry.limits.batch_size == Some(0)),
        ];
        for (limit, _) in zero.iter().filter(|(_, is_zero)| *is_zero) {
            problems.push(
                Problem::unusable(
                    ProjectCode::Plugin,
                    tr!(
                        "plugin `{name}`: `limits.{limit}` is 0; no batch could run",
                        name = &name,
                        limit = limit
                    ),
                )
                .in_file(path)
                .at_loc(entry.path.referenced)
                .help(tr!(
                    "leave the limit out for its default, or give a positive number"
                )),
            );
        }
        let defaults = Limits::default();
        let limits = Limits {
            fuel: entry.limits.fuel.unwrap_or(defaults.fuel),
            memory_mib: entry.limits.memory_mib.unwrap_or(defaults.memory_mib),
            timeout_ms: entry.limits.timeout_ms.unwrap_or(defaults.timeout_ms),
            batch_size: entry
                .limits
                .batch_size
                .unwrap_or(defaults.batch_size)
                .max(1),
            ..defaults
        };
        plugins.push(PluginSpec {
            name,
            path: root.join(&entry.path.value),
            sha256,
            limits,
        });
    }
    plugins
}

#[cfg(test)]
mod cell_range_tests {
    use super::CellRange;

    #[test]
    fn ranges_are_read_as_spreadsheets_write_them() {
        let range = |top, left, bottom, right| CellRange {
            top,
            left,
            bottom,
            right,
        };
        assert_eq!(CellRange::parse("B3:H40"), Ok(range(2, 1, 39, 7)));
        assert_eq!(CellRange::parse("$b$3:$h$40"), Ok(range(2, 1, 39, 7)));
        assert_eq!(
            CellRange::parse("A1:XFD1048576"),
            Ok(range(0, 0, 1_048_575, 16_383))
        );
        for wrong in [
            "A1:XFE1",
            "A0:B2",
            "A1:B1048577",
            "1:2",
            "A:B",
            "AAAA1:B2",
            "A1",
        ] {
            assert!(CellRange::parse(wrong).is_err(), "{wrong}");
        }
    }
}
