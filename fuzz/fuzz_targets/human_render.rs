//! Fuzzes the renderers on adversarial locations: a run is built directly
//! (its types are public) with three findings and two problems whose lines,
//! columns and record spans come from the input's 66-byte header — past
//! the end of the file, inside multi-byte characters, on very long lines,
//! near `u32::MAX`, last before first — over a data file that is the rest
//! of the input, and a rule file that is either a fixed rule or that same
//! data. It is rendered in the human format (colour or not, at any width
//! `COLUMNS` could give, 0 to 255) and in every other format. Asserts: no
//! panic, no abort, bounded time.
//!
//! Header: byte 0 flags (bit 0 colour; bits 1–3 finding *i* names a field;
//! bit 4 the first finding is waived; bit 5 the rule file is the data file;
//! bit 6 the second problem is in the rule file), byte 1 the width, then
//! eight places of four little-endian `u16` each (line, column, a, b); a
//! value from 0xFF00 up stands for `u32::MAX` minus its distance to 0xFFFF.
#![no_main]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use naleving::data::Dataset;
use naleving::engine::{AsOfSource, Run};
use naleving::finding::{Basis, Finding, Location, Severity, SourceRef, Waived};
use naleving::problem::{LineCol, Problem};
use naleving::project::Project;
use naleving::report::lang::Lang;
use naleving::report::{self, human::Style};
use naleving::rule::LoadedRules;
use naleving_fuzz::{DATA_RULES, Scratch};

const HEADER: usize = 2 + 8 * 8;
const DATA: &str = "d.jsonl";
const RULE: &str = "r.yaml";

static SCRATCH: LazyLock<Scratch> =
    LazyLock::new(|| Scratch::new("human", &[(RULE, DATA_RULES[3].1.as_bytes())]));

/// A header number: small ones as they are, the top 256 near `u32::MAX`.
fn number(raw: u16) -> u32 {
    if raw >= 0xFF00 {
        u32::MAX - u32::from(0xFFFF - raw)
    } else {
        u32::from(raw)
    }
}

/// A place from the header: line, column, and two more numbers.
#[derive(Clone, Copy)]
struct Place {
    line: u32,
    column: u32,
    a: u32,
    b: u32,
}

fn places(header: &[u8]) -> Vec<Place> {
    header
        .chunks_exact(8)
        .map(|c| {
            let n = |i: usize| number(u16::from_le_bytes([c[i], c[i + 1]]));
            Place {
                line: n(0),
                column: n(2),
                a: n(4),
                b: n(6),
            }
        })
        .collect()
}

fn finding(i: usize, record: Place, field: Place, flags: u8) -> Finding {
    let rule_path = if flags & 0b10_0000 != 0 { DATA } else { RULE };
    let named = flags & (1 << (i + 1)) != 0;
    Finding {
        rule: format!("regel-{i}"),
        severity: [Severity::Error, Severity::Warning, Severity::Info][i % 3],
        message: format!("bericht {i} · «é»"),
        collection: "m".to_string(),
        record: format!("sleutel-{i}"),
        location: Location {
            path: DATA.to_string(),
            line: record.line,
            column: record.column,
            sheet: None,
            cell: None,
        },
        field: named.then(|| "melder.rol".to_string()),
        basis: vec![Basis {
            citation: "Wmo 2015, art. 4.1.1".to_string(),
            url: Some("https://wetten.overheid.nl/BWBR0035362".to_string()),
        }],
        fingerprint: format!("{i:032x}"),
        details: Default::default(),
        members: Vec::new(),
        group: (flags & 0b100_0000 != 0).then(|| format!("groep-{i}")),
        waived: (i == 0 && flags & 0b1_0000 != 0).then(|| Waived {
            reason: "bekend".to_string(),
            approved_by: "teamleider".to_string(),
            expires: None,
        }),
        source: SourceRef {
            record_lines: (record.a, record.b),
            field_at: named.then_some(LineCol {
                line: field.line,
                column: field.column,
            }),
            rule_path: rule_path.to_string(),
            check_at: LineCol {
                line: field.a,
                column: field.b,
            },
            check_kind: "required",
        },
    }
}

fn problem(j: usize, place: Place, flags: u8) -> Problem {
    let path = if j == 1 && flags & 0b100_0000 != 0 {
        RULE
    } else {
        DATA
    };
    let problem = match place.a % 3 {
        0 => Problem::unusable("data::parse", format!("probleem {j}")),
        1 => Problem::incomplete("rule::eval", format!("probleem {j}")),
        _ => Problem::warning("waiver::unused", format!("probleem {j}")),
    }
    .in_file(path)
    .help("zo los je het op");
    if place.b % 2 == 0 {
        problem.at(place.line, place.column)
    } else {
        problem
    }
}

fuzz_target!(|bytes: &[u8]| {
    if bytes.len() < HEADER {
        return;
    }
    let (header, data) = bytes.split_at(HEADER);
    let flags = header[0];
    let lang = if flags & 0b1000_0000 != 0 {
        Lang::En
    } else {
        Lang::Nl
    };
    let style = Style {
        color: flags & 1 != 0,
        width: usize::from(header[1]),
        lang,
    };
    let places = places(&header[2..]);
    SCRATCH.write(DATA, data);
    let run = Run {
        as_of: jiff::civil::date(2021, 1, 15),
        as_of_source: AsOfSource::Flag,
        project: Some(Project {
            root: SCRATCH.root().to_path_buf(),
            file: Some(SCRATCH.path("naleving.yaml")),
            as_of: None,
            collections: BTreeMap::new(),
            rules: Vec::new(),
            calendar_extend: Vec::new(),
            waivers: Vec::new(),
            plugins: Vec::new(),
        }),
        rules: LoadedRules::default(),
        rules_run: Vec::new(),
        dataset: Dataset::default(),
        findings: (0..3)
            .map(|i| finding(i, places[2 * i], places[2 * i + 1], flags))
            .collect(),
        problems: (0..2).map(|j| problem(j, places[6 + j], flags)).collect(),
        baseline: None,
        manifest: Default::default(),
    };
    let fail_on = Severity::Warning;
    std::hint::black_box(report::human::render(&run, fail_on, style));
    std::hint::black_box(report::json::render(&run, fail_on));
    std::hint::black_box(report::sarif::render(&run, fail_on));
    std::hint::black_box(report::junit::render(&run, fail_on));
    std::hint::black_box(report::html::render(&run, fail_on, lang));
    let _ = std::hint::black_box(report::xlsx::render(&run, fail_on));
    std::hint::black_box(report::github::render(&run, fail_on));
});
