//! Programme data: records loaded from YAML, JSON, JSONL and CSV files, each
//! remembering the file and lines it came from (SPEC §4).
//!
//! One loader per format lives in its own file; they all hand raw records to a
//! [`Sink`], which checks that each is an object with a unique key. A malformed
//! file or line becomes a located `data::parse` problem and loading goes on
//! with the next line or file, so the rest of the data is still checked.

mod csv;
mod field;
mod json;
mod jsonl;
mod locate;
mod parquet;
pub mod postgres;
mod sheet;

pub use sheet::SheetText;
mod yaml;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

pub use crate::fields::{Fields, Lookup};
pub use field::{as_key, field, get, is_present, lookup_key};
pub use locate::{LineIndex, locate_field};

use crate::digest::hex;
use crate::problem::{LineCol, Problem, Problems};
use crate::project::Collection;
use crate::table_schema::Fault;
use crate::text::Text;
use crate::tr;

crate::problem_codes! {
    /// The codes of problems with data files.
    pub enum DataCode {
        /// A data file, or a line or row of one, is not valid JSON, JSONL, YAML or CSV, or a CSV
        /// value does not have its declared type; the other records and files are still
        /// checked.
        Parse = "data::parse",
        /// A data file or directory could not be read (permissions, not UTF-8, an I/O error).
        Read = "data::read",
        /// A JSONL or CSV data file holds no records (an intentionally empty collection is `[]`
        /// in a .json or .yaml file).
        Empty = "data::empty",
        /// A collection's `path` matches no data file.
        Missing = "data::missing",
        /// A record lacks the key field of its collection, so findings could not name it; it is
        /// not judged.
        MissingKey = "data::missing-key",
        /// A value does not fit the collection's schema (a date not in its
        /// format, text where a number is declared, a value outside `enum`, a
        /// missing required field): it is taken out of the record, so it never
        /// takes part in a comparison; the rest of the record is still checked.
        Type = "data::type",
        /// A spreadsheet cell holds an error value (`#REF!`, `#DIV/0!`) or a date serial
        /// that is no date: the field is left out of its record, located at the cell.
        Cell = "data::cell",
        /// Two records of a collection have the same key; the key must identify one record.
        DuplicateKey = "data::duplicate-key",
    }
}

/// A hash map with a fast hasher, for the engine's own maps over data
/// (keys, indexes, memos): seeded per process, not tuned against attack —
/// the data is the user's own.
pub type FastMap<K, V> = foldhash::HashMap<K, V>;

/// What is kept of a record's key to find duplicates: the first 128 bits of
/// its sha256 (16 bytes instead of the key and its allocation; two keys
/// agree on them with a chance far below one in 10²⁰ even among 10⁹
/// records). With where the key was first seen, 24 bytes per record: the
/// one thing that grows with a streamed collection besides its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct KeyDigest([u8; 16]);

impl KeyDigest {
    fn of(key: &str) -> KeyDigest {
        let digest = Sha256::digest(key.as_bytes());
        let mut first = [0; 16];
        first.copy_from_slice(&digest[..16]);
        KeyDigest(first)
    }
}

/// A set of keys (see [`FastMap`]).
pub type KeySet = foldhash::HashSet<String>;

/// Index of a data file in [`Dataset::files`].
pub type FileId = u32;

/// Where a record is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordPos {
    /// The file, an index into [`Dataset::files`].
    pub file: FileId,
    /// First line of the record (1-based); for a database table, the row's
    /// place among the rows read, which orders findings and is never shown.
    pub line: u32,
    /// Column where the record starts (1-based, in characters).
    pub column: u32,
    /// Byte offset of the record's start within its first line.
    pub byte: u32,
    /// Last line of the record.
    pub end_line: u32,
}

impl RecordPos {
    /// A record that is one row (a CSV line, a sheet or Parquet row),
    /// starting in its first column; the file is set by the sink.
    pub(crate) fn row(line: u32) -> RecordPos {
        RecordPos {
            file: 0,
            line,
            column: 1,
            byte: 0,
            end_line: line,
        }
    }
}

/// One record of a collection.
#[derive(Clone, Debug)]
pub struct Record {
    /// The value of the collection's key field, as text.
    pub key: String,
    /// The record's fields.
    pub fields: Fields,
    /// Where it is written.
    pub pos: RecordPos,
}

/// The format of a data file, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.yaml`/`.yml`: a list of records, or one record per document.
    Yaml,
    /// `.json`: an array of objects.
    Json,
    /// `.jsonl`: one object per line.
    Jsonl,
    /// `.csv`: a header row, then one record per row.
    Csv,
    /// `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`: one sheet, a header row, then
    /// one record per row.
    Sheet,
    /// `.parquet`: one record per row, read row group by row group.
    Parquet,
    /// A PostgreSQL table or query (no file): one record per row.
    Postgres,
}

impl Format {
    /// Whether the format is text, whose lines a report can show.
    pub fn is_text(self) -> bool {
        !matches!(self, Format::Sheet | Format::Parquet | Format::Postgres)
    }
}

impl Format {
    /// The format for a file name, if it is a data file.
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(Format::Sheet),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// A data file that was read.
#[derive(Clone, Debug)]
pub struct DataFile {
    /// The path as shown in findings: relative to the project root.
    pub display: PathBuf,
    /// The path to open.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// The collection it belongs to.
    pub collection: String,
    /// sha256 of its bytes.
    pub digest: [u8; 32],
    /// A spreadsheet's sheet that was read.
    pub sheet: Option<String>,
    /// A spreadsheet's columns (header names, from column A), to place a
    /// field at its cell.
    pub columns: Vec<String>,
    /// A database source: what was read, to reproduce it.
    pub database: Option<DbRead>,
}

/// What was read from a database: the transaction's snapshot
/// (`pg_current_snapshot()`) and how many rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbRead {
    /// The snapshot every collection of the run was read in.
    pub snapshot: String,
    /// The rows read.
    pub rows: u64,
    /// When checks were pushed down: what was counted of the rows left in
    /// the database.
    pub pushed: Option<PushedRead>,
    /// The digest is over every row and column (`--digest-data`), not
    /// over the rows read.
    pub every_row: bool,
}

/// The rows a push-down left in the database (see [`postgres::Pushed`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushedRead {
    /// How many rows were not read.
    pub left: u64,
    /// Of those, how many meet each of the push-down's count conditions.
    pub counts: Vec<u64>,
}

impl DataFile {
    /// The cell of `field` in a spreadsheet record on row `row`
    /// (`Blad1!D12`), with its line and column.
    pub fn cell(&self, row: u32, field: &str) -> Option<(LineCol, String)> {
        let sheet = self.sheet.as_ref()?;
        let index = self.columns.iter().position(|c| c.trim() == field)?;
        let column = index as u32 + 1;
        let name = format!("{sheet}!{}{row}", column_letters(index));
        Some((LineCol { line: row, column }, name))
    }
}

/// Every collection's records, and the files they came from.
#[derive(Debug, Default)]
pub struct Dataset {
    /// The files read, in loading order.
    pub files: Vec<DataFile>,
    /// Records per collection, in file and line order.
    pub collections: BTreeMap<String, Vec<Record>>,
    /// Collections that were streamed through their rules (see [`stream`])
    /// and not kept, with how many records they had.
    pub streamed: BTreeMap<String, usize>,
    /// The keys other rules look up in streamed collections, by collection
    /// and field (`None`: the collection's key); see
    /// `Check::looks_up` (in `check`).
    pub keys: BTreeMap<(String, Option<String>), KeySet>,
    /// The top-level fields seen in each collection's records, gathered as
    /// they are read: what a rule's fields are checked against when the
    /// collection's schema does not list them all.
    pub fields_seen: BTreeMap<String, SeenFields>,
}

/// The top-level field names seen in a collection's records, up to
/// [`SeenFields::MAX`] names (past that, too many to judge a name by).
#[derive(Clone, Debug, Default)]
pub struct SeenFields {
    /// The names, sorted.
    pub names: std::collections::BTreeSet<String>,
    /// How many records were read.
    pub records: usize,
    /// More names than [`SeenFields::MAX`] were seen.
    pub overflow: bool,
    /// The top-level names of the last record noted whose values are all
    /// not mappings: a record with exactly these names adds nothing, and
    /// most records of a collection have the same fields.
    shape: Vec<String>,
}

impl SeenFields {
    /// The most names kept.
    pub const MAX: usize = 1000;

    /// The depth of the mappings whose names are kept (`a.b.c`).
    pub const DEPTH: usize = 3;

    /// Notes a top-level name without a record (a column not read).
    fn note(&mut self, name: &str) {
        if self.names.contains(name) {
            return;
        }
        if self.names.len() >= Self::MAX {
            self.overflow = true;
        } else {
            self.names.insert(name.to_string());
        }
    }

    /// Notes the fields of one record.
    fn add(&mut self, fields: &Fields) {
        self.records += 1;
        let flat = !fields.values().any(Value::is_object);
        if flat && fields.len() == self.shape.len() && fields.keys().eq(self.shape.iter()) {
            // Its names were all noted with the record before.
            return;
        }
        self.add_within("", fields.iter(), 0);
        self.shape.clear();
        if flat {
            self.shape.extend(fields.keys().cloned());
        }
    }

    /// Notes the names of a mapping at `prefix`, and of the mappings in it
    /// (`stappen.signalen`), down to [`SeenFields::DEPTH`] levels.
    fn add_within<'a>(
        &mut self,
        prefix: &str,
        fields: impl Iterator<Item = (&'a String, &'a Value)>,
        depth: usize,
    ) {
        for (name, value) in fields {
            let known = if prefix.is_empty() {
                self.names.contains(name.as_str())
            } else {
                self.names.contains(&format!("{prefix}{name}"))
            };
            if !known {
                if self.names.len() >= Self::MAX {
                    self.overflow = true;
                    return;
                }
                self.names.insert(format!("{prefix}{name}"));
            }
            if let Value::Object(inner) = value
                && depth + 1 < Self::DEPTH
            {
                self.add_within(&format!("{prefix}{name}."), inner.iter(), depth + 1);
            }
        }
    }

    /// True when `path` (a name or a dotted path) can be judged and was
    /// seen: a path inside a mapping is judged only when something inside
    /// that mapping was seen (a value that is not a mapping has no paths).
    pub fn has(&self, path: &str) -> bool {
        if self.names.contains(path) {
            return true;
        }
        match path.rsplit_once('.') {
            // Nothing seen inside the parent: not judged here.
            Some((parent, _)) => {
                let inside = format!("{parent}.");
                !self
                    .names
                    .range::<str, _>((
                        std::ops::Bound::Included(inside.as_str()),
                        std::ops::Bound::Unbounded,
                    ))
                    .next()
                    .is_some_and(|n| n.starts_with(&inside))
                    && self.has(parent)
            }
            None => false,
        }
    }

    /// True when the names can be trusted to be all there are: some records
    /// were read and the names did not overflow.
    pub fn complete(&self) -> bool {
        self.records > 0 && !self.overflow
    }
}

impl Dataset {
    /// How many records each collection has, kept or streamed, by name.
    pub fn counts(&self) -> BTreeMap<&str, usize> {
        self.collections
            .iter()
            .map(|(name, records)| (name.as_str(), records.len()))
            .chain(self.streamed.iter().map(|(name, n)| (name.as_str(), *n)))
            .collect()
    }

    /// The index of a streamed collection's keys (or of a field's values as
    /// keys), if one was kept.
    pub fn index(&self, collection: &str, field: Option<&str>) -> Option<&KeySet> {
        self.keys
            .get(&(collection.to_string(), field.map(str::to_string)))
    }

    /// An index of a kept collection's keys (or of a field's values as
    /// keys), built from its records.
    pub fn index_records(&self, collection: &str, field: Option<&str>) -> KeySet {
        self.records(collection)
            .iter()
            .filter_map(|r| lookup_key(r, field))
            .collect()
    }

    /// The records of a collection (empty when unknown).
    pub fn records(&self, collection: &str) -> &[Record] {
        self.collections.get(collection).map_or(&[], Vec::as_slice)
    }

    /// The file a record came from.
    pub fn file(&self, id: FileId) -> Option<&DataFile> {
        self.files.get(id as usize)
    }

    /// sha256 over the names and bytes of every data file, in a canonical order.
    pub fn digest(&self) -> String {
        let mut files: Vec<&DataFile> = self.files.iter().collect();
        files.sort_by(|a, b| (&a.collection, &a.display).cmp(&(&b.collection, &b.display)));
        let mut hasher = Sha256::new();
        for file in files {
            hasher.update(file.collection.as_bytes());
            hasher.update([0]);
            hasher.update(file.display.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(file.digest);
        }
        hex(&hasher.finalize())
    }
}

/// Loads the named collections of a project into a dataset.
/// `columns` names, for some collections, the only top-level fields the
/// run reads of them (see [`Sink::wanted`]).
pub fn load(
    root: &Path,
    collections: &[&Collection],
    columns: &BTreeMap<&str, BTreeSet<String>>,
    digest_all: bool,
    problems: &mut Problems,
) -> Dataset {
    let mut dataset = Dataset::default();
    for collection in collections {
        let seen = dataset
            .fields_seen
            .entry(collection.name.clone())
            .or_default();
        let reads = Reads {
            wanted: columns.get(collection.name.as_str()),
            push: None,
            digest_all,
        };
        let records = read(
            root,
            collection,
            reads,
            &mut dataset.files,
            seen,
            problems,
            None,
        );
        dataset.collections.insert(collection.name.clone(), records);
    }
    dataset
}

/// The longest record a streamed file (JSONL line, CSV row) may have: a
/// longer one is a located `data::parse` problem and is not read, so a file
/// without line breaks cannot exhaust memory.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// Records handed to a [`stream`] callback at a time (at most).
pub const STREAM_BATCH: usize = 1024;

/// What [`stream`] calls with each batch of records: the file they are in
/// (its digest is not known yet) and the records, in line order.
/// With the records, what a database found of each for each rule, when it
/// judged some itself (see [`postgres::Pushed::settled`]): one list per
/// record, in rule order; empty otherwise.
pub type OnBatch<'f> = dyn FnMut(&DataFile, &[Record], &[Vec<Settled>]) + 'f;

/// What a database found of a row it sent for one rule of a push-down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The rule must judge the row.
    Judge,
    /// The row is certainly outside the rule's validity window.
    Outside,
    /// The rule certainly does not apply to the row (`when`).
    NotApplicable,
    /// The rule applies and certainly passes the row (or its group).
    Passed,
}

/// Reads a collection in batches of at most [`STREAM_BATCH`] records, handing
/// each to `on_batch` and then dropping it, so memory does not grow with the
/// number of records (JSONL and CSV; a YAML or JSON file is parsed whole and
/// then handed on in batches). Only a digest of each key is kept, to report
/// duplicates (see [`KeyDigest`]).
/// The files read are appended to `files` (their ids continue from its
/// length); returns how many records there were. `reads` says which
/// fields need be read and what a database may judge itself.
pub fn stream(
    root: &Path,
    collection: &Collection,
    reads: Reads<'_>,
    files: &mut Vec<DataFile>,
    seen: &mut SeenFields,
    problems: &mut Problems,
    on_batch: &mut OnBatch<'_>,
) -> usize {
    let mut count = 0;
    let mut counting = |file: &DataFile, batch: &[Record], settled: &[Vec<Settled>]| {
        count += batch.len();
        on_batch(file, batch, settled);
    };
    read(
        root,
        collection,
        reads,
        files,
        seen,
        problems,
        Some(&mut counting),
    );
    count
}

/// What a run reads of a collection.
#[derive(Clone, Copy, Default)]
pub struct Reads<'r> {
    /// The only top-level fields the run reads, when bounded (see
    /// [`Sink::wanted`]).
    pub wanted: Option<&'r BTreeSet<String>>,
    /// For a database table: the checks it may judge itself (see
    /// [`postgres::Push`]).
    pub push: Option<&'r postgres::Push<'r>>,
    /// For a database table: digest every row and column, whatever is read
    /// (`--digest-data`).
    pub digest_all: bool,
}

/// Reads every file of a collection; with `on_batch`, hands the records on in
/// batches instead of returning them.
fn read(
    root: &Path,
    collection: &Collection,
    reads: Reads<'_>,
    files: &mut Vec<DataFile>,
    seen: &mut SeenFields,
    problems: &mut Problems,
    mut on_batch: Option<&mut OnBatch<'_>>,
) -> Vec<Record> {
    let Reads {
        wanted,
        push,
        digest_all,
    } = reads;
    let mut records = Vec::new();
    if collection.unreadable {
        return records;
    }
    let mut keys: FastMap<KeyDigest, (FileId, u32)> = FastMap::default();
    // A database table is one source, named by its location; files are
    // found by the collection's path.
    let sources = match &collection.postgres {
        Some(source) => vec![PathBuf::from(postgres::location(source))],
        None => resolve(root, collection, problems),
    };
    for path in sources {
        let format = match &collection.postgres {
            Some(_) => Format::Postgres,
            None => match Format::of(&path) {
                Some(format) => format,
                None => continue,
            },
        };
        let display = match format {
            Format::Postgres => path.clone(),
            _ => crate::problem::relative(root, &path),
        };
        let mut file = DataFile {
            display,
            path,
            format,
            collection: collection.name.clone(),
            digest: [0; 32],
            sheet: None,
            columns: Vec::new(),
            database: None,
        };
        // A sheet is opened first: its name and columns place findings
        // while its records stream.
        let mut opened = if format == Format::Sheet {
            match sheet::open(
                &file.path,
                collection.sheet.as_deref(),
                collection.header_row,
                collection.range,
            ) {
                Ok(opened) => {
                    file.sheet = Some(opened.sheet.clone());
                    file.columns = opened.columns.clone();
                    Some(opened)
                }
                Err(refused) => {
                    problems.push(refused.problem.in_file(&file.display));
                    if let Some(digest) = refused.digest {
                        file.digest = digest;
                        files.push(file);
                    }
                    continue;
                }
            }
        } else {
            None
        };
        let mut sink = Sink {
            collection,
            file: &file,
            id: files.len() as FileId,
            earlier: files,
            records: &mut records,
            keys: &mut keys,
            problems,
            on_batch: on_batch.as_deref_mut(),
            columns: Vec::new(),
            seen: &mut *seen,
            wanted,
            settled: Vec::new(),
            settle_next: None,
        };
        let mut database = None;
        let digest = match format {
            Format::Yaml => yaml::load(&file.path, &mut sink),
            Format::Json => json::load(&file.path, &mut sink),
            Format::Jsonl => jsonl::load(&file.path, &mut sink),
            Format::Csv => csv::load(&file.path, &mut sink),
            Format::Sheet => opened
                .as_mut()
                .and_then(|opened| sheet::load(opened, &mut sink)),
            Format::Parquet => parquet::load(&file.path, &mut sink),
            Format::Postgres => collection
                .postgres
                .as_ref()
                .and_then(|source| postgres::load(source, push, digest_all, &mut sink))
                .map(|(digest, read)| {
                    database = Some(read);
                    digest
                }),
        };
        sink.flush();
        if let Some(digest) = digest {
            file.digest = digest;
            file.database = database;
            files.push(file);
        }
    }
    records
}

/// Whether a run that reads the fields `wanted` of a collection (all when
/// `None`) reads its column `name`: the key, the schema's required fields,
/// every field when the schema allows no others (to report them), and
/// those wanted.
pub fn column_wanted(
    collection: &Collection,
    wanted: Option<&BTreeSet<String>>,
    name: &str,
) -> bool {
    let Some(wanted) = wanted else {
        return true;
    };
    let schema = collection.schema.as_ref();
    schema.is_some_and(|s| !s.additional_fields || s.required.iter().any(|r| r == name))
        || name == collection.key
        || wanted.contains(name)
}

/// A library's error message, its first line only (some carry a debug dump
/// after it).
fn plain(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_string()
}

/// Expands a collection's path (file, directory or glob) to data files, sorted.
fn resolve(root: &Path, collection: &Collection, problems: &mut Problems) -> Vec<PathBuf> {
    let pattern = root.join(&collection.path);
    let missing = |problems: &mut Problems, what: Text| {
        let mut problem = Problem::unusable(DataCode::Missing, what)
            .help(tr!("check the collection's `path` in the project file"));
        if let Some((file, at)) = &collection.declared_at {
            problem = problem.in_file(file).at(at.line, at.column);
        }
        problems.push(problem);
    };
    let mut found = Vec::new();
    if collection.path.contains(['*', '?', '[']) {
        match glob::glob(&pattern.to_string_lossy()) {
            Ok(paths) => {
                for path in paths {
                    match path {
                        Ok(path) if Format::of(&path).is_some() => found.push(path),
                        Ok(_) => {}
                        Err(err) => problems.push(
                            Problem::unusable(
                                DataCode::Read,
                                tr!("cannot read: {cause}", cause = err.error()),
                            )
                            .in_file(crate::problem::relative(root, err.path())),
                        ),
                    }
                }
            }
            Err(err) => missing(
                problems,
                tr!(
                    "invalid glob {glob}: {cause}",
                    glob = format!("{:?}", collection.path),
                    cause = err
                ),
            ),
        }
        if found.is_empty() {
            missing(
                problems,
                tr!(
                    "no data files match {glob}",
                    glob = format!("{:?}", collection.path)
                ),
            );
        }
    } else if pattern.is_dir() {
        let walked = crate::walk::files(&pattern, &|p| Format::of(p).is_some());
        for (dir, why) in &walked.unreadable {
            problems.push(
                Problem::unusable(DataCode::Read, tr!("cannot read: {cause}", cause = why))
                    .in_file(crate::problem::relative(root, dir)),
            );
        }
        for path in &walked.special {
            problems.push(
                Problem::unusable(
                    DataCode::Read,
                    tr!("not a regular file (a pipe, device or socket): not read"),
                )
                .in_file(crate::problem::relative(root, path)),
            );
        }
        found = walked.files;
        if found.is_empty() && walked.unreadable.is_empty() {
            missing(
                problems,
                tr!(
                    "no data files in directory {path}",
                    path = format!("{:?}", collection.path)
                ),
            );
        }
    } else if pattern.is_file() {
        if Format::of(&pattern).is_none() {
            missing(
                problems,
                tr!(
                    "{path} is not a data file (.yaml, .yml, .json, .jsonl, .csv, .parquet, .xlsx, .xlsm, .xlsb, .xls, .ods)",
                    path = format!("{:?}", collection.path)
                ),
            );
        } else {
            found.push(pattern);
        }
    } else if pattern.exists() {
        // A FIFO or device: refused when it is opened, with the reason.
        found.push(pattern);
    } else {
        missing(
            problems,
            tr!(
                "data file {path} does not exist",
                path = format!("{:?}", collection.path)
            ),
        );
    }
    found.sort();
    found
}

/// Receives raw records from a format loader and turns them into [`Record`]s.
pub(crate) struct Sink<'a, 'f> {
    collection: &'a Collection,
    /// The file being read, and its id.
    file: &'a DataFile,
    id: FileId,
    /// The files read before, to name where a duplicate key was first seen.
    earlier: &'a [DataFile],
    records: &'a mut Vec<Record>,
    keys: &'a mut FastMap<KeyDigest, (FileId, u32)>,
    problems: &'a mut Problems,
    /// When streaming: where full batches go.
    on_batch: Option<&'a mut OnBatch<'f>>,
    /// A CSV file's columns, to name the cell of a value.
    pub(crate) columns: Vec<String>,
    /// The fields seen so far in the collection.
    seen: &'a mut SeenFields,
    /// The only top-level fields the run reads of the collection, when
    /// bounded: a format that stores columns apart reads these (with the
    /// key and the schema's fields, see [`Sink::columns_wanted`]).
    wanted: Option<&'a BTreeSet<String>>,
    /// When streaming from a push-down: what the database found of each
    /// record of the batch ([`Settled`]), beside `records`.
    settled: Vec<Vec<Settled>>,
    /// What it found of the next record, until it is kept or dropped.
    settle_next: Option<Vec<Settled>>,
}

impl Sink<'_, '_> {
    /// When streaming, hands the records gathered so far on.
    fn flush(&mut self) {
        if let Some(on_batch) = self.on_batch.as_mut()
            && !self.records.is_empty()
        {
            if self.settled.len() != self.records.len() {
                // Some records without: every record is judged.
                self.settled.clear();
            }
            on_batch(self.file, self.records, &self.settled);
            self.settled.clear();
            // Freeing a batch is a tenth of reading it: done on another core
            // while the next batch is read.
            let done = std::mem::replace(self.records, Vec::with_capacity(STREAM_BATCH));
            rayon::spawn(move || drop(done));
        }
    }

    /// What a database found of the next record given ([`Settled`], per
    /// rule), when streaming.
    pub(crate) fn settle_next(&mut self, settled: Vec<Settled>) {
        if self.on_batch.is_some() {
            self.settle_next = Some(settled);
        }
    }

    /// Reports a malformed file or line (`data::parse`), located where known.
    pub(crate) fn parse_error(&mut self, message: impl Into<Text>, at: Option<LineCol>) {
        let mut problem = Problem::unusable(DataCode::Parse, message).in_file(&self.file.display);
        if let Some(at) = at {
            problem = problem.at(at.line, at.column.max(1));
        }
        self.problems.push(problem);
    }

    /// Whether the column `name` must be read: always when the reads are
    /// not bounded or the schema refuses undeclared fields (each record's
    /// must be seen); otherwise for the fields wanted, the key and the
    /// fields the schema requires (a record without one is at fault).
    pub(crate) fn column_wanted(&self, name: &str) -> bool {
        column_wanted(self.collection, self.wanted, name)
    }

    /// Notes a field the file has but that was not read (see
    /// [`Sink::column_wanted`]), so that a misspelt field still finds it
    /// as the closest name.
    pub(crate) fn unread_column(&mut self, name: &str) {
        self.seen.note(name);
    }

    /// Makes room in the index of keys for about `records` records in all,
    /// as a format that can tell estimates from the first ones: the index
    /// is then made once at its size, instead of grown by doubling (when
    /// both the old and the new table are held).
    pub(crate) fn expect_records(&mut self, records: usize) {
        self.keys.reserve(records.saturating_sub(self.keys.len()));
    }

    /// Whether records are typed by a schema: only then is a record's text
    /// read, to place a value that does not fit.
    pub(crate) fn types_records(&self) -> bool {
        self.collection.schema.is_some()
    }

    /// The collection's key field.
    pub(crate) fn key_field(&self) -> &str {
        &self.collection.key
    }

    /// Reports another problem with this file.
    pub(crate) fn problem(&mut self, problem: Problem) {
        self.problems.push(problem.in_file(&self.file.display));
    }

    /// Accepts one record: it must be an object with a unique, non-empty key.
    /// `text` is the file's text from the record's first line on, where the
    /// format has it, to place a value that does not fit its schema.
    pub(crate) fn record(&mut self, value: Value, at: RecordPos, text: Option<&str>) {
        let RecordPos { line, column, .. } = at;
        let Value::Object(fields) = value else {
            self.parse_error(
                tr!(
                    "a record must be an object, found {kind}",
                    kind = kind(&value)
                ),
                Some(LineCol { line, column }),
            );
            return;
        };
        self.record_fields(Fields::from(fields), at, text);
    }

    /// [`Sink::record`] of a record already read as [`Fields`].
    pub(crate) fn record_fields(&mut self, mut fields: Fields, at: RecordPos, text: Option<&str>) {
        let RecordPos { line, column, .. } = at;
        // Kept only with the record.
        let settled = self.settle_next.take();
        let key_field = &self.collection.key;
        let key = match get(&fields, key_field) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) => match field::number_key(n) {
                Ok(key) => key,
                Err(why) => {
                    self.bad_key(
                        tr!(
                            "the key `{key}` is a number {cause}",
                            key = key_field,
                            cause = why
                        ),
                        line,
                        column,
                    );
                    return;
                }
            },
            Some(other @ (Value::Bool(_) | Value::Array(_) | Value::Object(_))) => {
                let message = tr!(
                    "the key `{key}` is {kind}; a key is a non-empty string or a number",
                    key = key_field,
                    kind = kind(other)
                );
                self.bad_key(message, line, column);
                return;
            }
            _ => {
                self.problems.push(
                    Problem::unusable(
                        DataCode::MissingKey,
                        tr!(
                            "record has no `{key}` (the key of collection `{collection}`)",
                            key = key_field,
                            collection = &self.collection.name
                        ),
                    )
                    .in_row_of(self.file, line, column)
                    .help(tr!("every record needs a non-empty string or number key")),
                );
                return;
            }
        };
        match self.keys.entry(KeyDigest::of(&key)) {
            Entry::Occupied(first) => {
                let (first_file, first_line) = *first.get();
                let first_file = if first_file == self.id {
                    &self.file.display
                } else {
                    self.earlier
                        .get(first_file as usize)
                        .map_or(&self.file.display, |f| &f.display)
                };
                self.problems.push(
                    Problem::unusable(
                        DataCode::DuplicateKey,
                        tr!(
                            "duplicate key `{key}` in collection `{collection}`; first at {place}",
                            key = &key,
                            collection = &self.collection.name,
                            // A table's rows have no lines: the key says which.
                            place = match self.file.format {
                                Format::Postgres => first_file.display().to_string(),
                                _ => format!("{}:{first_line}", first_file.display()),
                            }
                        ),
                    )
                    .in_row_of(self.file, line, column)
                    .help(tr!(
                        "`{key}` must identify one record; the duplicate is not checked",
                        key = key_field
                    )),
                );
                return;
            }
            Entry::Vacant(slot) => {
                slot.insert((self.id, line));
            }
        }
        let pos = RecordPos {
            file: self.id,
            end_line: at.end_line.max(line),
            ..at
        };
        self.seen.add(&fields);
        if let Some(schema) = &self.collection.schema {
            for fault in schema.type_record(&mut fields) {
                self.type_fault(&key, &fault, &pos, text);
            }
        }
        self.records.push(Record { key, fields, pos });
        if let Some(settled) = settled {
            self.settled.push(settled);
        }
        if self.records.len() >= STREAM_BATCH {
            self.flush();
        }
    }
}

impl Sink<'_, '_> {
    /// Reports a record whose key cannot be used (`data::missing-key`).
    fn bad_key(&mut self, message: Text, line: u32, column: u32) {
        self.problems.push(
            Problem::unusable(
                DataCode::MissingKey,
                tr!(
                    "record of `{collection}`: {problem}",
                    collection = &self.collection.name,
                    problem = message
                ),
            )
            .in_row_of(self.file, line, column)
            .help(tr!(
                "every record needs a non-empty string or number key; the record is not checked"
            )),
        );
    }

    /// Reports a value that does not fit its schema (`data::type`), at the
    /// value where it can be found (the cell of a CSV file).
    fn type_fault(&mut self, key: &str, fault: &Fault, pos: &RecordPos, text: Option<&str>) {
        let sheet_cell = self.file.cell(pos.line, &fault.field);
        let at = text
            .and_then(|text| locate_field(text, self.file.format, pos, &fault.field))
            .or(sheet_cell.as_ref().map(|(at, _)| *at))
            .unwrap_or(LineCol {
                line: pos.line,
                column: pos.column,
            });
        let cell = match sheet_cell {
            Some((_, name)) => Some(name.to_string()),
            None => self
                .columns
                .iter()
                .position(|c| *c == fault.field)
                .map(|index| format!("{}{}", column_letters(index), pos.line)),
        };
        let message = match cell {
            Some(cell) => tr!(
                "record `{key}`: {fault} (cell {cell})",
                key = key,
                fault = fault.message.clone(),
                cell = cell
            ),
            None => tr!(
                "record `{key}`: {fault}",
                key = key,
                fault = fault.message.clone()
            ),
        };
        self.problems.push(
            Problem::unusable(DataCode::Type, message).in_row_of(self.file, at.line, at.column),
        );
    }
}

/// A problem with a record, placed in its file.
trait InRow {
    /// In the data file `file`, at `line` and `column` of a record — or,
    /// for a database table, in the table alone: its rows have no lines
    /// (the message names the record by its key).
    fn in_row_of(self, file: &DataFile, line: u32, column: u32) -> Self;
}

impl InRow for Problem {
    fn in_row_of(self, file: &DataFile, line: u32, column: u32) -> Problem {
        let problem = self.in_file(&file.display);
        match file.format {
            Format::Postgres => problem,
            _ => problem.at(line, column),
        }
    }
}

/// A spreadsheet's name of the column at `index` (0: `A`, 26: `AA`).
fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn kind(value: &Value) -> Text {
    match value {
        Value::Null => tr!("null"),
        Value::Bool(_) => tr!("a boolean"),
        Value::Number(_) => tr!("a number"),
        Value::String(_) => tr!("a string"),
        Value::Array(_) => tr!("a list"),
        Value::Object(_) => tr!("an object"),
    }
}

/// Opens a data file to stream it, reporting one that cannot be read.
pub(crate) fn open(path: &Path, sink: &mut Sink<'_, '_>) -> Option<std::fs::File> {
    crate::read::open(path)
        .map_err(|err| cannot_read(sink, &err))
        .ok()
}

/// Reports a data file that cannot be read (`data::read`).
fn cannot_read(sink: &mut Sink<'_, '_>, err: &crate::read::ReadError) {
    sink.problem(Problem::unusable(
        DataCode::Read,
        tr!("cannot read data file: {cause}", cause = err.text()),
    ));
}

/// Reads a whole file as UTF-8, reporting unreadable files and invalid UTF-8
/// (with the line and column of the first bad byte) to the sink.
pub(crate) fn read_text(path: &Path, sink: &mut Sink<'_, '_>) -> Option<(String, [u8; 32])> {
    let bytes = match crate::read::bytes(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            cannot_read(sink, &err);
            return None;
        }
    };
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    match crate::read::utf8(bytes) {
        Ok(text) => {
            if text.trim().is_empty() {
                sink.problem(
                    Problem::unusable(DataCode::Empty, tr!("data file is empty")).help(tr!(
                        "an intentionally empty collection is `[]` in a .json or .yaml file"
                    )),
                );
                return None;
            }
            Some((text, digest))
        }
        Err(err) => {
            sink.problem(err.place(Problem::unusable(DataCode::Parse, err.text())));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Noting records one by one gives the names and overflow that noting
    /// each record in full gives: records with the same names (skipped),
    /// new names, names in another order, mappings (never skipped), and
    /// past the most names kept.
    #[test]
    fn seen_fields_note_every_name() {
        let records = [
            r#"{"a":1,"b":2}"#,
            r#"{"a":3,"b":4}"#,
            r#"{"a":1,"c":2}"#,
            r#"{"b":1,"a":2}"#,
            r#"{"a":1,"b":2}"#,
            r#"{"a":{"x":1},"b":2}"#,
            r#"{"a":{"y":1},"b":2}"#,
            r#"{"a":{"y":{"z":{"w":1}}},"b":2}"#,
            r#"{"a":1,"b":2}"#,
            r#"{}"#,
            r#"{"a":1,"b":2,"d":[{"e":1}]}"#,
            r#"{"a":1,"b":2,"d":null}"#,
        ];
        let parsed: Vec<Fields> = records
            .iter()
            .map(|r| {
                Fields::from(serde_json::from_str::<serde_json::Map<String, Value>>(r).unwrap())
            })
            .collect();
        let mut seen = SeenFields::default();
        let mut full = SeenFields::default();
        for (n, fields) in parsed.iter().enumerate() {
            seen.add(fields);
            full.records += 1;
            full.add_within("", fields.iter(), 0);
            assert_eq!(seen.names, full.names, "after record {n}");
            assert_eq!(seen.records, n + 1);
        }
        let names: Vec<&str> = seen.names.iter().map(String::as_str).collect();
        assert_eq!(
            names,
            ["a", "a.x", "a.y", "a.y.z", "b", "c", "d"],
            "three levels deep, lists not entered"
        );

        // Past the most names: the overflow is noted whether or not the
        // record's names were the last record's.
        let mut seen = SeenFields::default();
        for n in 0..SeenFields::MAX {
            seen.note(&format!("n{n}"));
        }
        let one = Fields::from(
            serde_json::from_str::<serde_json::Map<String, Value>>(r#"{"new":1}"#).unwrap(),
        );
        seen.add(&one);
        seen.add(&one);
        assert!(seen.overflow);
        assert!(!seen.names.contains("new"));
        assert_eq!(seen.records, 2);
    }
}
