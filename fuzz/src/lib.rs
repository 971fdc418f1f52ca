//! What the fuzz targets share: scratch projects, running a check on one the
//! way `naleving check` does, and the invariants every run must keep.
//!
//! A scratch project is a handful of small files in a directory of its own
//! under the temporary directory (one per process and target), written once;
//! a target then rewrites one file of it per input — the file under test —
//! and runs the library's public entry point on the project.
//!
//! The invariants (issue #15, "Fuzzing as part of the project"):
//!
//! - no panic and no abort: libFuzzer reports either as a crash. Its panic
//!   hook aborts on every panic, also on one the engine would catch and turn
//!   into an `internal::panic` problem — which is a bug in naleving too;
//! - bounded time: `scripts/fuzz.sh` runs libFuzzer with `-timeout`, so an
//!   input that takes longer is reported as a finding;
//! - every problem and every finding is located ([`assert_located`]).

use std::path::{Path, PathBuf};

use naleving::engine::{self, Options, Run};
use naleving::finding::{Finding, Severity};
use naleving::problem::{LineCol, Problem};
use naleving::report;

/// A project in a directory of its own, removed and written afresh when the
/// process starts.
pub struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// Writes `files` (path relative to the project, contents) into a fresh
    /// directory named after `name` and the process.
    pub fn new(name: &str, files: &[(&str, &[u8])]) -> Scratch {
        let root =
            std::env::temp_dir().join(format!("naleving-fuzz-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let scratch = Scratch { root };
        for (path, bytes) in files {
            scratch.write(path, bytes);
        }
        scratch
    }

    /// The project directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A file of the project.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Writes (or replaces) one file of the project.
    pub fn write(&self, relative: &str, bytes: &[u8]) {
        let full = self.root.join(relative);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("the scratch directory can be made");
        }
        std::fs::write(&full, bytes).expect("the scratch directory is writable");
    }

    /// `naleving check` on the project's `naleving.yaml`, with a baseline
    /// when one is given.
    pub fn check(&self, baseline: Option<PathBuf>) -> Run {
        engine::check(&Options {
            project: self.path("naleving.yaml"),
            baseline,
            ..Options::default()
        })
    }
}

/// The file under test: its path as the project names it, and its bytes.
#[derive(Clone, Copy)]
pub struct Fuzzed<'a> {
    /// Relative to the project root, `/`-separated.
    pub path: &'a str,
    /// What the fuzzer wrote into it.
    pub bytes: &'a [u8],
}

impl Fuzzed<'_> {
    /// True when `path` (relative or absolute) names this file.
    fn is(&self, path: &Path) -> bool {
        path.ends_with(self.path)
    }
}

/// True when `bytes` has a `\r` that is not followed by `\n`.
fn has_lone_cr(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, b)| *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The lines of `bytes` as YAML sees them: split at `\n`, `\r\n` and a
/// lone `\r`.
fn yaml_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let lone_cr = *b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if *b == b'\n' || lone_cr {
            lines.push(&bytes[start..i]);
            start = i + 1;
        }
    }
    lines.push(&bytes[start..]);
    lines
}

/// True when `at` lies in one of `lines`, at most one column past its end.
fn fits(lines: &[&[u8]], at: LineCol) -> bool {
    lines
        .get(at.line as usize - 1)
        .is_some_and(|line| at.column as usize <= line.len() + 1)
}

/// Codes that say a file is not of its format: they must give a line and a
/// column in that file.
fn says_unparsable(code: &str) -> bool {
    code.ends_with("::parse") || code.ends_with("::unknown-key")
}

/// Asserts that `at` lies in `bytes`: a line the text has, and at most one
/// column past that line's end (columns are counted in characters, which
/// are never more than the bytes, so the bound in bytes holds either way).
fn assert_inside(bytes: &[u8], at: LineCol, what: &dyn Fn() -> String) {
    assert!(
        at.line >= 1 && at.column >= 1,
        "{} is at line {}, column {}: positions are 1-based",
        what(),
        at.line,
        at.column
    );
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    // YAML counts a lone `\r` as a line break (YAML 1.2, 5.4), and so do
    // editors: the parser's line is the one a reader finds. Not a defect.
    if has_lone_cr(bytes) && fits(&yaml_lines(bytes), at) {
        return;
    }
    let Some(line) = lines.get(at.line as usize - 1) else {
        panic!(
            "{} is at line {}, past the end of the file ({} lines)",
            what(),
            at.line,
            lines.len()
        );
    };
    assert!(
        at.column as usize <= line.len() + 1,
        "{} is at line {}, column {}, past the end of that line ({} bytes)",
        what(),
        at.line,
        at.column,
        line.len()
    );
}

/// Asserts that a problem is located: it names a file; when that file is
/// the one under test, any position lies inside it; and a problem saying
/// the file under test does not parse gives a position.
pub fn assert_problem_located(problem: &Problem, fuzzed: Fuzzed<'_>) {
    let what = || format!("problem {} ({:?})", problem.code, problem.message);
    let Some(path) = &problem.path else {
        panic!("{} names no file", what());
    };
    let ours = fuzzed.is(path);
    match problem.at {
        Some(at) if ours => assert_inside(fuzzed.bytes, at, &what),
        Some(at) => assert!(
            at.line >= 1 && at.column >= 1,
            "{} in {} is at line {}, column {}: positions are 1-based",
            what(),
            path.display(),
            at.line,
            at.column
        ),
        None => assert!(
            !(ours && says_unparsable(&problem.code)),
            "{} says {} does not parse but gives no line and column",
            what(),
            path.display()
        ),
    }
}

/// Asserts that a finding is located: it names a file and a 1-based line
/// and column, inside the file when that is the one under test.
pub fn assert_finding_located(finding: &Finding, fuzzed: Fuzzed<'_>) {
    let location = &finding.location;
    let what = || {
        format!(
            "finding of {} on record {:?} ({}:{}:{})",
            finding.rule, finding.record, location.path, location.line, location.column
        )
    };
    assert!(!location.path.is_empty(), "{} names no file", what());
    let at = LineCol {
        line: location.line,
        column: location.column,
    };
    if fuzzed.is(Path::new(&location.path)) {
        assert_inside(fuzzed.bytes, at, &what);
    } else {
        assert!(
            at.line >= 1 && at.column >= 1,
            "{}: positions are 1-based",
            what()
        );
    }
}

/// Asserts that every problem and every finding of the run is located.
pub fn assert_located(run: &Run, fuzzed: Fuzzed<'_>) {
    for problem in &run.problems {
        assert_problem_located(problem, fuzzed);
    }
    for finding in &run.findings {
        assert_finding_located(finding, fuzzed);
    }
}

/// Renders the run as `naleving check` would for a person and for a
/// machine: the human renderer reads the files again to draw their lines.
pub fn render(run: &Run) {
    let human = report::human::render(run, Severity::Info, report::human::Style::plain());
    std::hint::black_box(human);
    let json = report::json::render(run, Severity::Error);
    std::hint::black_box(json);
}

/// Rewrites `fuzzed` in the scratch project, checks the project, asserts the
/// invariants and renders the run: the whole of most targets.
pub fn check_one(scratch: &Scratch, fuzzed: Fuzzed<'_>) {
    scratch.write(fuzzed.path, fuzzed.bytes);
    let run = scratch.check(None);
    assert_located(&run, fuzzed);
    render(&run);
}

/// The data files of the check-kind fixtures (tests/kinds), one per
/// collection name, under the names [`KINDS_PROJECT`] gives them.
pub const KINDS_DATA: &[(&str, &[u8])] = &[
    (
        "meldingen.jsonl",
        include_bytes!("../../tests/kinds/deadline/meldingen.jsonl"),
    ),
    (
        "toezeggingen.yaml",
        include_bytes!("../../tests/kinds/deadline/toezeggingen.yaml"),
    ),
    (
        "verdeling.csv",
        include_bytes!("../../tests/kinds/aggregate/verdeling.csv"),
    ),
    (
        "middelen.csv",
        include_bytes!("../../tests/kinds/expr/middelen.csv"),
    ),
    (
        "kamerstukken.jsonl",
        include_bytes!("../../tests/kinds/reference/kamerstukken.jsonl"),
    ),
    (
        "regios.csv",
        include_bytes!("../../tests/kinds/reference/regios.csv"),
    ),
    (
        "dossiers.yaml",
        include_bytes!("../../tests/kinds/steps/dossiers.yaml"),
    ),
    (
        "trajecten.jsonl",
        include_bytes!("../../tests/kinds/steps/trajecten.jsonl"),
    ),
    (
        "adviezen.csv",
        include_bytes!("../../tests/kinds/required/adviezen.csv"),
    ),
];

/// A project over [`KINDS_DATA`], its rules in `rules/`.
pub const KINDS_PROJECT: &str = "\
as_of: 2021-01-15
calendar: nl
collections:
  meldingen: { path: meldingen.jsonl, key: id }
  toezeggingen: { path: toezeggingen.yaml, key: nummer }
  verdeling:
    path: verdeling.csv
    key: id
    types: { jaar: integer, bedrag_mln: number, totaal_mln: number }
  middelen:
    path: middelen.csv
    key: id
    types: { jaar: integer, bedrag_mln: number }
  kamerstukken: { path: kamerstukken.jsonl, key: nummer }
  regios: { path: regios.csv, key: code }
  dossiers: { path: dossiers.yaml, key: id }
  trajecten: { path: trajecten.jsonl, key: id }
  adviezen:
    path: adviezen.csv
    key: id
    types: { contacten: integer }
rules: [rules]
";

/// The rules of the check-kind fixtures but the plugin one, by file name.
pub const KINDS_RULES: &[(&str, &[u8])] = &[
    (
        "rules/terugkoppeling-te-laat.yaml",
        include_bytes!("../../tests/kinds/deadline/rules/terugkoppeling-te-laat.yaml"),
    ),
    (
        "rules/toezegging-over-termijn.yaml",
        include_bytes!("../../tests/kinds/deadline/rules/toezegging-over-termijn.yaml"),
    ),
    (
        "rules/veiligheidsbeoordeling-te-laat.yaml",
        include_bytes!("../../tests/kinds/deadline/rules/veiligheidsbeoordeling-te-laat.yaml"),
    ),
    (
        "rules/bedrag-negatief.yaml",
        include_bytes!("../../tests/kinds/expr/rules/bedrag-negatief.yaml"),
    ),
    (
        "rules/nakoming-onbekend-kamerstuk.yaml",
        include_bytes!("../../tests/kinds/reference/rules/nakoming-onbekend-kamerstuk.yaml"),
    ),
    (
        "rules/meldgegevens-ontbreken.yaml",
        include_bytes!("../../tests/kinds/required/rules/meldgegevens-ontbreken.yaml"),
    ),
    (
        "rules/traject-onvolledig.yaml",
        include_bytes!("../../tests/kinds/steps/rules/traject-onvolledig.yaml"),
    ),
    (
        "rules/verdeling-dubbel.yaml",
        include_bytes!("../../tests/kinds/unique/rules/verdeling-dubbel.yaml"),
    ),
    (
        "rules/verdeling-telt-niet-op.yaml",
        include_bytes!("../../tests/kinds/aggregate/rules/verdeling-telt-niet-op.yaml"),
    ),
];

/// A calendar file extending the built-in one, for projects that name it.
pub const CALENDAR_FILE: &str = "\
gelijkgesteld:
  - { date: 2021-05-14, name: vrijdag na Hemelvaartsdag, source: \"Stcrt. 2020, 1\" }
recesses:
  - { name: zomerreces, year: 2021, start: 2021-07-02, end: 2021-09-06, source: \"tweedekamer.nl\" }
";

/// A waivers file for projects that name it: one waiver of a late
/// assessment in [`KINDS_DATA`], one that matches nothing.
pub const WAIVERS_FILE: &str = "\
- rule: veiligheidsbeoordeling-te-laat
  record: VT-HGL-2020-0002
  reason: de melding kwam binnen via een andere regio
  approved_by: teamleider
  expires: 2021-06-30
- rule: terugkoppeling-te-laat
  record: bestaat-niet
  reason: x
  approved_by: y
";

/// The rules of the data targets: one of each kind that reads fields of the
/// collection `m` (the file under test), so that findings are placed on
/// fields of the fuzzed file.
pub const DATA_RULES: &[(&str, &str)] = &[
    (
        "rules/velden.yaml",
        "id: velden\ntitle: t\nseverity: error\ncollection: m\n\
         check: { required: { fields: [code, melder.rol] } }\n\
         message: \"{{ record }}: {{ field }} ontbreekt\"\n\
         basis: [{ citation: \"Wmo 2015, art. 1\" }]\n",
    ),
    (
        "rules/bedrag.yaml",
        "id: bedrag\ntitle: t\nseverity: warning\ncollection: m\n\
         when: has(record.bedrag)\n\
         check: { expr: \"record.bedrag >= 0.0 && size(record.code) < 10\" }\n\
         basis: [{ citation: \"Wmo 2015, art. 2\" }]\n",
    ),
    (
        "rules/uniek.yaml",
        "id: uniek\ntitle: t\nseverity: info\ncollection: m\n\
         check: { unique: { fields: [code] } }\n\
         basis: [{ citation: \"Wmo 2015, art. 3\" }]\n",
    ),
    (
        "rules/termijn.yaml",
        "id: termijn\ntitle: t\nseverity: error\ncollection: m\n\
         when: has(record.ontvangen_op)\n\
         check: { deadline: { start: ontvangen_op, end: beoordeeld_op, term: 5 werkdagen } }\n\
         basis: [{ citation: \"Wmo 2015, art. 4\" }]\n",
    ),
    (
        "rules/regio.yaml",
        "id: regio\ntitle: t\nseverity: warning\ncollection: m\n\
         when: has(record.regio)\n\
         check: { reference: { field: regio, to: regios, key: naam } }\n\
         basis: [{ citation: \"Wmo 2015, art. 5\" }]\n",
    ),
];

/// The scratch project of a data target: collection `m` read from
/// `m.<extension>` (the file under test), collection `regios` to refer to,
/// and [`DATA_RULES`].
pub fn data_project(extension: &str) -> Scratch {
    let project = format!(
        "as_of: 2021-01-15\ncalendar: nl\ncollections:\n  \
         m:\n    path: m.{extension}\n    key: id\n    \
         types: {{ bedrag: number, aantal: integer }}\n  \
         regios: {{ path: regios.csv, key: code }}\nrules: [rules]\n"
    );
    let mut files: Vec<(&str, &[u8])> = vec![
        ("naleving.yaml", project.as_bytes()),
        (
            "regios.csv",
            include_bytes!("../../tests/kinds/reference/regios.csv"),
        ),
    ];
    files.extend(DATA_RULES.iter().map(|(p, t)| (*p, t.as_bytes())));
    Scratch::new(&format!("data-{extension}"), &files)
}

/// One input of a data target.
pub fn data_one(scratch: &Scratch, extension: &str, bytes: &[u8]) {
    let path = format!("m.{extension}");
    check_one(scratch, Fuzzed { path: &path, bytes });
}

/// The scratch project over [`KINDS_DATA`] and [`KINDS_RULES`], with a
/// calendar file, a waivers file and a schema file for a project file to
/// name.
pub fn kinds_project(name: &str, extra: &[(&str, &[u8])]) -> Scratch {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("naleving.yaml", KINDS_PROJECT.as_bytes()),
        ("kalender.yaml", CALENDAR_FILE.as_bytes()),
        ("waivers.yaml", WAIVERS_FILE.as_bytes()),
        (
            "meldingen.schema.yaml",
            include_bytes!("../../fixtures/ghnt/veilig-thuis/meldingen.schema.yaml"),
        ),
    ];
    files.extend_from_slice(KINDS_DATA);
    files.extend_from_slice(KINDS_RULES);
    files.extend_from_slice(extra);
    Scratch::new(name, &files)
}

/// The evaluation date of the scratch projects.
pub fn as_of() -> jiff::civil::Date {
    jiff::civil::date(2021, 1, 15)
}
