//! A deterministic generator of synthetic GHNT datasets, for benchmarks and
//! for trying rules on realistic volumes.
//!
//! ```text
//! cargo run --release --example gen -- --records 1000000 --seed 42 --out DIR \
//!     [--kind meldingen|dossiers|toezeggingen|all] \
//!     [--from 2020-01-01 --to 2020-12-31] [--as-of DATE]
//! ```
//!
//! It writes `meldingen.jsonl` (Veilig Thuis meldingen and adviesvragen),
//! `dossiers.jsonl` (meldcode dossiers of professionals) and
//! `toezeggingen.jsonl` (commitments to the Tweede Kamer) into `--out`, one
//! JSON object per line, streamed, so a million records take little memory.
//! `--records` is the count of each file asked for; with `--kind all` (the
//! default) it is the count of meldingen, and the dossiers get a tenth and
//! the toezeggingen a thousandth of it (at least one each).
//!
//! The same seed and arguments give byte-identical files: every file draws
//! from its own ChaCha8 stream of the seed (so `--kind meldingen` writes the
//! same `meldingen.jsonl` as `--kind all`), no clock is read, and no hash map
//! is iterated. Records come out sorted by their date. The extract is taken
//! at `--as-of` (default `--to`): a follow-up date after it is left out, so
//! the records received just before it are still open.
//!
//! Volumes and distributions (tags are the sources of the domain brief,
//! `shared/domain/BRIEF.md` §5; "assumed" means no source gave a figure):
//!
//! - soort: melding 47%, advies 53%, from 127,340 meldingen and 143,210
//!   adviezen in 2023 [S63].
//! - regio: the 25 Veilig Thuis organisations [S21], weighted by population
//!   of their veiligheidsregio, with West-Nederland (Utrecht, Noord- en
//!   Zuid-Holland, Zeeland) lifted to 54% [S65].
//! - ontvangen_op: working days weigh four times a weekend day or feestdag
//!   (assumed); the counts per day are spread evenly, not drawn.
//! - melder of a melding: politie 67.5% (justitie en veiligheid 85,590 of
//!   126,750) and niet-beroepsmatig 8.1% [S63]; the other professionals share
//!   the rest in the ratio of their 2023 counts [S63]; apotheek 0.2% (assumed).
//!   Of an advies: niet-beroepsmatig 45% (63,200 of 141,235) [S63], the
//!   professionals assumed.
//! - aard: kindermishandeling 50%, partnergeweld 38%, ouderenmishandeling 2%,
//!   overig 10% [S64].
//! - veiligheidsbeoordeling: within 5 working days for most; each region has
//!   its own share that is 1–20 working days late, so that only 5 of the 25
//!   regions meet the 90% norm [S20][S21]; about 40% late overall, close to
//!   the IGJ's 4,200 of some 10,600 meldingen a month [S21].
//! - onderzoek_nodig: 6% of meldingen [S66]; per region 10–40% of onderzoeken
//!   take longer than 10 weeks, so 5 regions meet the 80% norm [S20].
//! - vervolgmelding: 28.5% of meldingen [S67].
//! - codewoord ("masker 19", from 1 May 2020, Kamerstuk 28 345, nr. 234):
//!   half of the apotheek meldingen from that day.
//!
//! Everything about people is left out: no names, BSNs, birth dates or free
//! text. Which regions are late is arbitrary and says nothing about the real
//! organisations. What is deliberately wrong in the data is listed in
//! `fixtures/ghnt/README-generator.md`.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// The catch-all error of this binary's edge.
type Res<T> = Result<T, Box<dyn Error>>;

/// Generate synthetic GHNT data: Veilig Thuis meldingen, meldcode dossiers
/// and toezeggingen, one JSON object per line.
#[derive(Parser)]
#[command(name = "gen")]
struct Args {
    /// Records per file; with `--kind all`: meldingen, and a tenth as many
    /// dossiers and a thousandth as many toezeggingen.
    #[arg(long, default_value_t = 10_000)]
    records: u64,
    /// Seed of the random streams; the same seed gives the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Directory to write the `.jsonl` files into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Which file to write.
    #[arg(long, value_enum, default_value_t = Kind::All)]
    kind: Kind,
    /// First day of the window the records' own dates fall in.
    #[arg(long, default_value = "2020-01-01")]
    from: Date,
    /// Last day of the window.
    #[arg(long, default_value = "2020-12-31")]
    to: Date,
    /// Date of the extract: later follow-up dates are left out [default: --to].
    #[arg(long)]
    as_of: Option<Date>,
}

/// The files the generator can write.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// `meldingen.jsonl`
    Meldingen,
    /// `dossiers.jsonl`
    Dossiers,
    /// `toezeggingen.jsonl`
    Toezeggingen,
    /// All three.
    All,
}

fn main() -> Res<()> {
    let args = Args::parse();
    if args.to < args.from {
        return Err(format!("--to {} lies before --from {}", args.to, args.from).into());
    }
    let as_of = args.as_of.unwrap_or(args.to);
    if as_of < args.from {
        return Err(format!("--as-of {as_of} lies before --from {}", args.from).into());
    }
    std::fs::create_dir_all(&args.out)?;
    // Follow-up dates (a late onderzoek, a toezegging due next year) may lie
    // well after the window; the calendar reaches far enough to compute them.
    let cal = Calendar::new(
        args.from,
        as_of.max(args.to).checked_add(800.days())?,
        as_of,
    )?;
    let window = (cal.index(args.from)?, cal.index(args.to)?);
    let n = args.records;
    let scaled = |div: u64| if n == 0 { 0 } else { (n / div).max(1) };
    let all = args.kind == Kind::All;
    if all || args.kind == Kind::Meldingen {
        write_file(&args.out, "meldingen", |w| {
            meldingen(w, &cal, window, n, args.seed)
        })?;
    }
    if all || args.kind == Kind::Dossiers {
        let count = if all { scaled(10) } else { n };
        write_file(&args.out, "dossiers", |w| {
            dossiers(w, &cal, window, count, args.seed)
        })?;
    }
    if all || args.kind == Kind::Toezeggingen {
        let count = if all { scaled(1000) } else { n };
        write_file(&args.out, "toezeggingen", |w| {
            toezeggingen(w, &cal, window, count, args.seed)
        })?;
    }
    Ok(())
}

/// The writer every generator streams into.
type Out = BufWriter<File>;

/// Creates `DIR/NAME.jsonl`, lets `generate` fill it and prints the summary
/// line to stderr.
fn write_file(dir: &Path, name: &str, generate: impl FnOnce(&mut Out) -> Res<u64>) -> Res<()> {
    let path = dir.join(format!("{name}.jsonl"));
    let file = File::create(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let count = generate(&mut out)?;
    out.flush()?;
    eprintln!("{name}: {count} records -> {}", path.display());
    Ok(())
}

/// Writes one record as a line of JSON.
fn emit(out: &mut Out, record: &impl Serialize) -> Res<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A random stream of its own for each file, so that one file does not
/// depend on which others are generated.
fn stream(seed: u64, file: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(file);
    rng
}

// ---------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------

/// Every day from the window's start to well after the extract, with its
/// ISO text and whether it is a working day, so that record dates are plain
/// indices and working-day arithmetic is a table look-up.
struct Calendar {
    /// The dates, one per index.
    dates: Vec<Date>,
    /// `YYYY-MM-DD` of each date, formatted once.
    text: Vec<String>,
    /// Whether each date is a working day.
    working: Vec<bool>,
    /// The number of working days up to and including each index.
    rank: Vec<u32>,
    /// The index of the r-th working day.
    workdays: Vec<u32>,
    /// The index of the extract date; later dates are not known yet.
    as_of: usize,
}

impl Calendar {
    /// Builds the calendar from `first` through `last`.
    fn new(first: Date, last: Date, as_of: Date) -> Res<Self> {
        let mut cal = Calendar {
            dates: Vec::new(),
            text: Vec::new(),
            working: Vec::new(),
            rank: Vec::new(),
            workdays: Vec::new(),
            as_of: 0,
        };
        let mut holidays = Vec::new();
        for year in first.year()..=last.year() {
            holidays.extend(feestdagen(year)?);
        }
        holidays.extend(
            GELIJKGESTELD
                .iter()
                .filter_map(|&(y, m, d)| Date::new(y, m, d).ok()),
        );
        holidays.sort();
        let mut day = first;
        while day <= last {
            let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
            let working = !weekend && holidays.binary_search(&day).is_err();
            if working {
                cal.workdays.push(u32::try_from(cal.dates.len())?);
            }
            if day == as_of {
                cal.as_of = cal.dates.len();
            }
            cal.rank.push(u32::try_from(cal.workdays.len())?);
            cal.working.push(working);
            cal.text.push(day.to_string());
            cal.dates.push(day);
            day = day.tomorrow()?;
        }
        Ok(cal)
    }

    /// The index of `date`.
    fn index(&self, date: Date) -> Res<usize> {
        let first = self.dates.first().ok_or("empty calendar")?;
        let days = first.until(date)?.get_days();
        usize::try_from(days)
            .ok()
            .filter(|&i| i < self.dates.len())
            .ok_or_else(|| format!("{date} lies outside the generated calendar").into())
    }

    /// The day `n` calendar days after `i`.
    fn add_days(&self, i: usize, n: usize) -> Option<usize> {
        Some(i + n).filter(|&j| j < self.dates.len())
    }

    /// The `n`-th working day after `i` (the day itself when `n` is 0).
    fn add_workdays(&self, i: usize, n: u32) -> Option<usize> {
        if n == 0 {
            return Some(i);
        }
        let r = *self.rank.get(i)? + n - 1;
        self.workdays.get(r as usize).map(|&j| j as usize)
    }

    /// The ISO text of day `i` if the extract already knows it.
    fn known(&self, i: Option<usize>) -> Option<&str> {
        i.filter(|&i| i <= self.as_of)
            .map(|i| self.text[i].as_str())
    }
}

/// The Atw feestdagen of `year` (art. 3): Nieuwjaarsdag, Goede Vrijdag,
/// Tweede Paasdag, Koningsdag, 5 mei, Hemelvaart, Tweede Pinksterdag and
/// both Kerstdagen.
fn feestdagen(year: i16) -> Res<Vec<Date>> {
    let easter = easter_sunday(year)?;
    // Koninginnedag (30 April) before 2014; the day before when it is a Sunday.
    let birthday = Date::new(year, 4, if year >= 2014 { 27 } else { 30 })?;
    let royal = if birthday.weekday() == Weekday::Sunday {
        birthday.yesterday()?
    } else {
        birthday
    };
    Ok(vec![
        Date::new(year, 1, 1)?,
        easter.checked_add((-2).days())?,
        easter.checked_add(1.days())?,
        royal,
        Date::new(year, 5, 5)?,
        easter.checked_add(39.days())?,
        easter.checked_add(50.days())?,
        Date::new(year, 12, 25)?,
        Date::new(year, 12, 26)?,
    ])
}

/// Easter Sunday by the Gregorian computus (Meeus/Butcher).
fn easter_sunday(year: i16) -> Res<Date> {
    let y = i32::from(year);
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Ok(Date::new(year, i8::try_from(month)?, i8::try_from(day)?)?)
}

/// Days gelijkgesteld to feestdagen by Royal Decree [S31]; the checker's
/// calendar knows them too, so the generator counts working days the same way.
const GELIJKGESTELD: [(i16, i8, i8); 10] = [
    (2023, 4, 28),
    (2023, 5, 19),
    (2024, 5, 10),
    (2024, 12, 27),
    (2025, 5, 30),
    (2026, 1, 2),
    (2026, 5, 15),
    (2027, 5, 7),
    (2028, 4, 28),
    (2028, 5, 26),
];

/// Splits `n` records over the days of a window in proportion to `weights`,
/// exactly and without randomness, so output stays sorted by date.
fn spread(n: u64, weights: &[u64]) -> Res<Vec<u64>> {
    let total = u128::from(weights.iter().sum::<u64>());
    if total == 0 && n > 0 {
        return Err("the window has no day on which these records can fall".into());
    }
    let (mut cum, mut before) = (0u128, 0u64);
    let mut counts = Vec::with_capacity(weights.len());
    for &w in weights {
        cum += u128::from(w);
        let upto = u64::try_from(cum * u128::from(n) / total.max(1))?;
        counts.push(upto - before);
        before = upto;
    }
    Ok(counts)
}

// ---------------------------------------------------------------------------
// Random helpers
// ---------------------------------------------------------------------------

/// Picks a value with probability proportional to its weight.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|e| e.1).sum();
    let mut x = rng.random_range(0..total);
    for &(value, weight) in table {
        if x < weight {
            return value;
        }
        x -= weight;
    }
    table[0].0
}

/// A number in `0..max` skewed towards 0: most delays are short, a few long.
fn skewed(rng: &mut ChaCha8Rng, max: u32) -> u32 {
    let u: f64 = rng.random();
    ((u * u * f64::from(max)) as u32).min(max.saturating_sub(1))
}

/// True with probability `p`.
fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p)
}

// ---------------------------------------------------------------------------
// meldingen.jsonl
// ---------------------------------------------------------------------------

/// A Veilig Thuis organisation with its share of the meldingen and how
/// often it misses the norms (per mille).
struct Regio {
    /// The name, as in the `regio` field.
    naam: &'static str,
    /// The code in record ids.
    code: &'static str,
    /// Share of all meldingen and adviezen, per mille [S65].
    gewicht: u32,
    /// Meldingen whose veiligheidsbeoordeling is late, per mille.
    laat_beoordeling: u32,
    /// Onderzoeken that take longer than 10 weeks, per mille.
    laat_onderzoek: u32,
}

/// The 25 regions. Weights follow the population of the veiligheidsregio,
/// West-Nederland scaled to 540 of 1000 [S65]. Exactly five regions stay
/// under 100 late beoordelingen per mille [S21] and five under 200 late
/// onderzoeken [S20]; which ones is arbitrary.
const REGIOS: [Regio; 25] = [
    regio("Groningen", "GR", 30, 320, 250),
    regio("Friesland", "FR", 33, 60, 120),
    regio("Drenthe", "DR", 25, 80, 150),
    regio("IJsselland", "IJS", 27, 250, 300),
    regio("Twente", "TW", 32, 180, 220),
    regio("Noord- en Oost-Gelderland", "NOG", 42, 350, 280),
    regio("Gelderland-Midden", "GM", 35, 420, 350),
    regio("Gelderland-Zuid", "GZ", 28, 220, 210),
    regio("Utrecht", "UT", 86, 480, 330),
    regio("Noord-Holland-Noord", "NHN", 43, 300, 260),
    regio("Zaanstreek-Waterland", "ZW", 22, 150, 230),
    regio("Kennemerland", "KEN", 35, 270, 240),
    regio("Amsterdam-Amstelland", "AA", 68, 550, 400),
    regio("Gooi en Vechtstreek", "GV", 16, 50, 100),
    regio("Haaglanden", "HGL", 72, 600, 380),
    regio("Hollands-Midden", "HM", 52, 380, 290),
    regio("Rotterdam-Rijnmond", "RR", 91, 520, 360),
    regio("Zuid-Holland-Zuid", "ZHZ", 30, 260, 230),
    regio("Zeeland", "ZE", 25, 70, 140),
    regio("Midden- en West-Brabant", "MWB", 57, 400, 310),
    regio("Brabant-Noord", "BN", 33, 200, 240),
    regio("Brabant-Zuidoost", "BZO", 40, 330, 270),
    regio("Limburg-Noord", "LN", 26, 90, 160),
    regio("Zuid-Limburg", "ZL", 30, 290, 250),
    regio("Flevoland", "FL", 22, 440, 340),
];

/// Shorthand for a row of [`REGIOS`].
const fn regio(naam: &'static str, code: &'static str, gewicht: u32, lb: u32, lo: u32) -> Regio {
    Regio {
        naam,
        code,
        gewicht,
        laat_beoordeling: lb,
        laat_onderzoek: lo,
    }
}

/// Who made a melding, per 10,000 [S63]: justitie en veiligheid 67.5%,
/// niet-beroepsmatig 8.1%, the rest in the ratio of the 2023 counts.
const MELDER_MELDING: [(&str, u32); 8] = [
    ("politie", 6750),
    ("gezondheidszorg", 1185),
    ("onderwijs", 615),
    ("jeugdzorg", 310),
    ("ggz", 240),
    ("kinderopvang", 70),
    ("apotheek", 20),
    ("niet-beroepsmatig", 810),
];

/// Who asked for advies, per 10,000: niet-beroepsmatig 4,475 [S63]; the split
/// of the professionals is assumed.
const MELDER_ADVIES: [(&str, u32); 8] = [
    ("politie", 550),
    ("gezondheidszorg", 1650),
    ("onderwijs", 1380),
    ("jeugdzorg", 830),
    ("ggz", 550),
    ("kinderopvang", 440),
    ("apotheek", 125),
    ("niet-beroepsmatig", 4475),
];

/// The kind of violence, per cent [S64].
const AARD: [(&str, u32); 4] = [
    ("kindermishandeling", 50),
    ("partnergeweld", 38),
    ("ouderenmishandeling", 2),
    ("overig", 10),
];

/// The follow-up when no onderzoek is needed, per cent (assumed).
const VERVOLG: [(&str, u32); 4] = [
    ("overdracht", 62),
    ("einde bemoeienis", 22),
    ("voorwaarden en vervolg", 12),
    ("verzoek raad voor de kinderbescherming", 4),
];

/// Working days from receipt to an on-time veiligheidsbeoordeling (0–5),
/// relative weights (assumed).
const OP_TIJD: [(u32, u32); 6] = [(0, 10), (1, 30), (2, 22), (3, 16), (4, 12), (5, 10)];

/// A line of `meldingen.jsonl`. A field that does not apply, or whose date
/// lies after the extract, is left out rather than written as null.
#[derive(Serialize)]
struct Melding<'a> {
    /// `VT-<regio code>-<year>-<seq>`.
    id: String,
    /// The Veilig Thuis organisation.
    regio: &'static str,
    /// `melding` or `advies`.
    soort: &'static str,
    /// Date of receipt.
    ontvangen_op: &'a str,
    /// Date of the veiligheidsbeoordeling (meldingen).
    #[serde(skip_serializing_if = "Option::is_none")]
    veiligheidsbeoordeling_op: Option<&'a str>,
    /// The hoedanigheid of the melder.
    melder: &'static str,
    /// The kind of violence.
    aard: &'static str,
    /// Whether Veilig Thuis does its own onderzoek (once assessed).
    #[serde(skip_serializing_if = "Option::is_none")]
    onderzoek_nodig: Option<bool>,
    /// When the need for onderzoek was established.
    #[serde(skip_serializing_if = "Option::is_none")]
    vastgesteld_op: Option<&'a str>,
    /// When the onderzoek was finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    onderzoek_afgerond_op: Option<&'a str>,
    /// The follow-up decided after the beoordeling.
    #[serde(skip_serializing_if = "Option::is_none")]
    vervolg: Option<&'static str>,
    /// When the melder was told what was done.
    #[serde(skip_serializing_if = "Option::is_none")]
    terugkoppeling_op: Option<&'a str>,
    /// Made through the pharmacy codeword "masker 19" (only when true).
    #[serde(skip_serializing_if = "Option::is_none")]
    codewoord: Option<bool>,
    /// Received while Veilig Thuis was already involved (meldingen).
    #[serde(skip_serializing_if = "Option::is_none")]
    vervolgmelding: Option<bool>,
}

/// Writes `n` meldingen and adviezen received in `window`.
fn meldingen(out: &mut Out, cal: &Calendar, window: (usize, usize), n: u64, seed: u64) -> Res<u64> {
    let mut rng = stream(seed, 1);
    let regio_weights: Vec<(usize, u32)> = REGIOS
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.gewicht))
        .collect();
    let codewoord_from = Date::new(2020, 5, 1)?;
    let weights: Vec<u64> = (window.0..=window.1)
        .map(|i| if cal.working[i] { 4 } else { 1 })
        .collect();
    let mut seq = [0u32; 25];
    let mut year = cal.dates[window.0].year();
    let mut written = 0;
    for (offset, count) in spread(n, &weights)?.into_iter().enumerate() {
        let day = window.0 + offset;
        if cal.dates[day].year() != year {
            year = cal.dates[day].year();
            seq = [0; 25];
        }
        for _ in 0..count {
            let r = pick(&mut rng, &regio_weights);
            let regio = &REGIOS[r];
            seq[r] += 1;
            // 127,340 meldingen against 143,210 adviezen [S63].
            let is_melding = rng.random_range(0..270_550) < 127_340;
            let melder = pick(
                &mut rng,
                if is_melding {
                    &MELDER_MELDING
                } else {
                    &MELDER_ADVIES
                },
            );
            let mut record = Melding {
                id: format!("VT-{}-{year}-{:06}", regio.code, seq[r]),
                regio: regio.naam,
                soort: if is_melding { "melding" } else { "advies" },
                ontvangen_op: &cal.text[day],
                veiligheidsbeoordeling_op: None,
                melder,
                aard: pick(&mut rng, &AARD),
                onderzoek_nodig: None,
                vastgesteld_op: None,
                onderzoek_afgerond_op: None,
                vervolg: None,
                terugkoppeling_op: None,
                codewoord: None,
                vervolgmelding: None,
            };
            if is_melding {
                follow_up(&mut rng, cal, regio, day, &mut record);
                // The codeword started on 1 May 2020; a few earlier ones are
                // the registration error a rule should catch.
                let p = if cal.dates[day] >= codewoord_from {
                    0.5
                } else {
                    0.03
                };
                if melder == "apotheek" && chance(&mut rng, p) {
                    record.codewoord = Some(true);
                }
                record.vervolgmelding = Some(chance(&mut rng, 0.285));
            }
            emit(out, &record)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Fills in what happened after a melding received on `day`: the
/// beoordeling, the onderzoek, the vervolg and the terugkoppeling.
fn follow_up<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    regio: &Regio,
    day: usize,
    m: &mut Melding<'a>,
) {
    let delay = if rng.random_range(0..1000) < regio.laat_beoordeling {
        6 + skewed(rng, 20)
    } else {
        pick(rng, &OP_TIJD)
    };
    let Some(beoordeeld) = cal.add_workdays(day, delay).filter(|&b| b <= cal.as_of) else {
        return; // still open at the extract
    };
    m.veiligheidsbeoordeling_op = cal.known(Some(beoordeeld));
    let onderzoek = chance(rng, 0.06);
    m.onderzoek_nodig = Some(onderzoek);
    let terugkoppeling = if onderzoek {
        m.vastgesteld_op = m.veiligheidsbeoordeling_op;
        m.vervolg = Some("onderzoek");
        // 10 weeks is 70 days; late ones run up to five months more.
        let days = if rng.random_range(0..1000) < regio.laat_onderzoek {
            71 + skewed(rng, 150)
        } else {
            rng.random_range(21..=70)
        };
        let afgerond = cal.add_days(beoordeeld, days as usize);
        m.onderzoek_afgerond_op = cal.known(afgerond);
        m.onderzoek_afgerond_op
            .and(afgerond)
            .and_then(|a| cal.add_workdays(a, 1 + skewed(rng, 5)))
    } else {
        let vervolg = pick(rng, &VERVOLG);
        // Only children are the Raad voor de Kinderbescherming's business.
        m.vervolg = Some(
            if vervolg.starts_with("verzoek raad") && m.aard != "kindermishandeling" {
                "overdracht"
            } else {
                vervolg
            },
        );
        cal.add_workdays(beoordeeld, 1 + skewed(rng, 10))
    };
    if !chance(rng, 0.03) {
        m.terugkoppeling_op = cal.known(terugkoppeling);
    }
}

// ---------------------------------------------------------------------------
// dossiers.jsonl
// ---------------------------------------------------------------------------

/// Sectors with a meldcode dossier: name, id code, weight (assumed, after the
/// professional melders of [S63]) and whether the kindcheck applies.
const SECTOREN: [(&str, &str, u32, bool); 5] = [
    ("onderwijs", "ONDERWIJS", 40, false),
    ("jgz", "JGZ", 25, false),
    ("ggz", "GGZ", 20, true),
    ("kinderopvang", "KINDEROPVANG", 10, false),
    ("apotheek", "APOTHEEK", 5, true),
];

/// The five meldcode steps, by date [S4]; a step not taken (or not yet
/// taken at the extract) is left out.
#[derive(Serialize)]
struct Stappen<'a> {
    /// Step 1, in kaart brengen van signalen.
    #[serde(skip_serializing_if = "Option::is_none")]
    signalen: Option<&'a str>,
    /// Step 2, collegiale consultatie.
    #[serde(skip_serializing_if = "Option::is_none")]
    collegiale_consultatie: Option<&'a str>,
    /// Step 3, gesprek met de cliënt.
    #[serde(skip_serializing_if = "Option::is_none")]
    gesprek: Option<&'a str>,
    /// Step 4, wegen.
    #[serde(skip_serializing_if = "Option::is_none")]
    wegen: Option<&'a str>,
    /// Step 5, beslissen.
    #[serde(skip_serializing_if = "Option::is_none")]
    beslissen: Option<&'a str>,
}

/// The answers to the five afwegingsvragen [S1][S3], as far as reached.
#[derive(Serialize, Default)]
struct Afweging {
    /// Q1: is there a vermoeden?
    #[serde(skip_serializing_if = "Option::is_none")]
    vermoeden: Option<&'static str>,
    /// Q2: acute or structurele onveiligheid?
    #[serde(skip_serializing_if = "Option::is_none")]
    onveiligheid: Option<&'static str>,
    /// Q3: can I offer or organise effective help?
    #[serde(skip_serializing_if = "Option::is_none")]
    hulp_mogelijk: Option<&'static str>,
    /// Q4: do those involved accept the help?
    #[serde(skip_serializing_if = "Option::is_none")]
    hulp_aanvaard: Option<&'static str>,
    /// Q5: does the help lead to duurzame veiligheid?
    #[serde(skip_serializing_if = "Option::is_none")]
    duurzame_veiligheid: Option<&'static str>,
}

/// A line of `dossiers.jsonl`.
#[derive(Serialize)]
struct Dossier<'a> {
    /// `MC-<SECTOR>-<seq>`.
    id: String,
    /// The professional's sector.
    sector: &'static str,
    /// A synthetic organisation code.
    organisatie: String,
    /// The dossier's date: when the signals were first noted.
    signaal_op: &'a str,
    /// The dates of the five steps.
    stappen: Stappen<'a>,
    /// Whether the kindcheck was done (sectors facing adults only).
    #[serde(skip_serializing_if = "Option::is_none")]
    kindcheck: Option<bool>,
    /// The afwegingskader, mandatory since 2019-01-01.
    #[serde(skip_serializing_if = "Option::is_none")]
    afweging: Option<Afweging>,
    /// Whether the child or dependent adult disclosed the violence.
    disclosure: bool,
    /// `afsluiten`, `hulp` or `melden`, once decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    besluit: Option<&'static str>,
    /// Date of the melding to Veilig Thuis.
    #[serde(skip_serializing_if = "Option::is_none")]
    gemeld_op: Option<&'a str>,
    /// Whether closing the case was recorded in the dossier.
    #[serde(skip_serializing_if = "Option::is_none")]
    dossier_notitie: Option<bool>,
}

/// Where walking the afwegingskader leads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Uitkomst {
    /// Q1 nee: close and record.
    Afsluiten,
    /// Help is offered or continues.
    Hulp,
    /// A melding is mandatory (Q2 ja, Q3, Q4 or Q5 nee).
    Melden,
}

/// Walks the five afwegingsvragen. A disclosure counts as acute
/// onveiligheid [S3], except in 15% of them: the violation a rule should find.
fn afwegen(rng: &mut ChaCha8Rng, disclosure: bool) -> (Afweging, Uitkomst) {
    let yn = |b: bool| Some(if b { "ja" } else { "nee" });
    let mut a = Afweging::default();
    let vermoeden = disclosure || !chance(rng, 0.22);
    a.vermoeden = yn(vermoeden);
    if !vermoeden {
        return (a, Uitkomst::Afsluiten);
    }
    let onveilig = if disclosure {
        !chance(rng, 0.15)
    } else {
        chance(rng, 0.35)
    };
    a.onveiligheid = yn(onveilig);
    if onveilig {
        return (a, Uitkomst::Melden);
    }
    let mogelijk = !chance(rng, 0.15);
    a.hulp_mogelijk = yn(mogelijk);
    if !mogelijk {
        return (a, Uitkomst::Melden);
    }
    let aanvaard = !chance(rng, 0.20);
    a.hulp_aanvaard = yn(aanvaard);
    if !aanvaard {
        return (a, Uitkomst::Melden);
    }
    // Q5 is answered only once the help has run long enough.
    if chance(rng, 0.45) {
        let duurzaam = !chance(rng, 0.25);
        a.duurzame_veiligheid = yn(duurzaam);
        if !duurzaam {
            return (a, Uitkomst::Melden);
        }
    }
    (a, Uitkomst::Hulp)
}

/// Writes `n` meldcode dossiers whose signals were noted in `window`.
fn dossiers(out: &mut Out, cal: &Calendar, window: (usize, usize), n: u64, seed: u64) -> Res<u64> {
    let mut rng = stream(seed, 2);
    let sectors: Vec<(usize, u32)> = SECTOREN.iter().enumerate().map(|(i, s)| (i, s.2)).collect();
    let orgs_per_sector = (n / 200).clamp(4, 1999);
    let verplicht = Date::new(2019, 1, 1)?;
    // Schools and day care are closed at weekends.
    let weights: Vec<u64> = (window.0..=window.1)
        .map(|i| if cal.working[i] { 20 } else { 1 })
        .collect();
    let mut seq = [0u32; 5];
    let mut written = 0;
    for (offset, count) in spread(n, &weights)?.into_iter().enumerate() {
        let day = window.0 + offset;
        for _ in 0..count {
            let s = pick(&mut rng, &sectors);
            let (sector, code, _, kindcheck) = SECTOREN[s];
            seq[s] += 1;
            // Numbering by sector keeps an organisation in one sector.
            let org = 1 + s as u64 + 5 * rng.random_range(0..orgs_per_sector);
            // Calendar days between the steps (assumed).
            let mut steps = [Some(day); 5];
            let gaps = [(1, 10), (1, 14), (0, 10), (0, 5)];
            for (k, &(lo, hi)) in gaps.iter().enumerate() {
                steps[k + 1] = steps[k].and_then(|p| cal.add_days(p, rng.random_range(lo..=hi)));
            }
            let beslist = steps[4].filter(|&b| b <= cal.as_of);
            if chance(&mut rng, 0.03) {
                let k = rng.random_range(1..=2);
                steps.swap(k, k + 1);
            }
            let mut dates = steps.map(|d| cal.known(d));
            if chance(&mut rng, 0.06) {
                dates[1] = None;
            } else if chance(&mut rng, 0.03) {
                dates[2] = None;
            }
            let disclosure = chance(&mut rng, 0.03);
            let mut d = Dossier {
                id: format!("MC-{code}-{:06}", seq[s]),
                sector,
                organisatie: format!("ORG-{org:04}"),
                signaal_op: &cal.text[day],
                stappen: Stappen {
                    signalen: dates[0],
                    collegiale_consultatie: dates[1],
                    gesprek: dates[2],
                    wegen: dates[3],
                    beslissen: dates[4],
                },
                kindcheck: kindcheck.then(|| !chance(&mut rng, 0.15)),
                afweging: None,
                disclosure,
                besluit: None,
                gemeld_op: None,
                dossier_notitie: None,
            };
            if let Some(beslist) = beslist {
                decide(&mut rng, cal, &mut d, beslist, cal.dates[day] >= verplicht);
            }
            emit(out, &d)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Fills in the afweging, the besluit, the melding and the dossier note of
/// a dossier decided on day `beslist`.
fn decide<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    d: &mut Dossier<'a>,
    beslist: usize,
    verplicht: bool,
) {
    // Before 2019 most dossiers have no afweging; since, 1% lacks it (a
    // violation).
    let uitkomst = if chance(rng, if verplicht { 0.99 } else { 0.10 }) {
        let (afweging, uitkomst) = afwegen(rng, d.disclosure);
        d.afweging = Some(afweging);
        uitkomst
    } else {
        pick(
            rng,
            &[
                (Uitkomst::Afsluiten, 20),
                (Uitkomst::Hulp, 55),
                (Uitkomst::Melden, 25),
            ],
        )
    };
    // Most decisions follow the outcome; a mandatory melding turned into
    // help is a violation, a voluntary melding is not.
    d.besluit = Some(match uitkomst {
        Uitkomst::Afsluiten if chance(rng, 0.98) => "afsluiten",
        Uitkomst::Melden if chance(rng, 0.95) => "melden",
        Uitkomst::Hulp if chance(rng, 0.04) => "melden",
        Uitkomst::Afsluiten | Uitkomst::Melden | Uitkomst::Hulp => "hulp",
    });
    if d.besluit == Some("melden") && !chance(rng, 0.04) {
        let gemeld = cal
            .add_days(beslist, skewed(rng, 4) as usize)
            .map(|g| g.min(cal.as_of));
        d.gemeld_op = cal.known(gemeld);
    }
    if uitkomst == Uitkomst::Afsluiten {
        d.dossier_notitie = Some(!chance(rng, 0.05));
    }
}

// ---------------------------------------------------------------------------
// toezeggingen.jsonl
// ---------------------------------------------------------------------------

/// Offices that make commitments to the Kamer, with weights (assumed).
const BEWINDSPERSONEN: [(&str, u32); 6] = [
    ("Minister van VWS", 35),
    ("Staatssecretaris van VWS", 25),
    ("Minister voor Rechtsbescherming", 15),
    ("Minister van Justitie en Veiligheid", 12),
    ("Staatssecretaris van Justitie en Veiligheid", 8),
    ("Minister van OCW", 5),
];

/// The start of an onderwerp.
const ACTIES: [&str; 6] = [
    "De Kamer informeren over",
    "Een brief sturen over",
    "De evaluatie delen van",
    "Terugkomen op",
    "Een voortgangsrapportage sturen over",
    "Een onderzoek laten doen naar",
];

/// The themes of the programme an onderwerp is about.
const THEMAS: [&str; 10] = [
    "de aanpak van huiselijk geweld",
    "de werking van de meldcode",
    "het afwegingskader in de meldcode",
    "de wachttijden bij Veilig Thuis",
    "de regionale plannen van aanpak",
    "de capaciteit van de vrouwenopvang",
    "het codewoord bij apotheken",
    "de Centra Seksueel Geweld",
    "het Toekomstscenario kind- en gezinsbescherming",
    "de aanpak van ouderenmishandeling",
];

/// Dutch month names, for `juni 2023`-style terms.
const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Phrases no deadline can be derived from (`termijn::onbekend`).
const VAAG: [&str; 4] = [
    "binnenkort",
    "zo spoedig mogelijk",
    "op korte termijn",
    "na de zomer",
];

/// A line of `toezeggingen.jsonl`.
#[derive(Serialize)]
struct Toezegging<'a> {
    /// `TZ-SYN-<seq>`, clearly synthetic.
    nummer: String,
    /// When the commitment was made.
    gedaan_op: &'a str,
    /// The office that made it.
    bewindspersoon: &'static str,
    /// Always `TK`.
    kamer: &'static str,
    /// What was promised, from a template.
    onderwerp: String,
    /// The due phrase as spoken.
    termijn: String,
    /// `openstaand` or `voldaan`.
    status: &'static str,
    /// The Kamerstuk that fulfils it.
    #[serde(skip_serializing_if = "Option::is_none")]
    nakoming: Option<String>,
    /// When it was fulfilled.
    #[serde(skip_serializing_if = "Option::is_none")]
    nagekomen_op: Option<&'a str>,
}

/// A due phrase for a commitment made on `made`, with the date it resolves
/// to (approximately, for the summer recess).
fn termijn(rng: &mut ChaCha8Rng, cal: &Calendar, made: usize) -> Res<(String, Date)> {
    let date = cal.dates[made];
    let (y, m) = (date.year(), date.month());
    let last_of = |y: i16, m: i8| Date::new(y, m, 1).map(|d| d.last_of_month());
    Ok(match rng.random_range(0..100) {
        0..28 => {
            let due = date.checked_add(i64::from(rng.random_range(30..=365)).days())?;
            (due.to_string(), due)
        }
        28..42 => {
            let y = if m < 6 { y } else { y + 1 };
            (format!("voor het zomerreces {y}"), Date::new(y, 7, 1)?)
        }
        42..56 => {
            let y = if m >= 10 && chance(rng, 0.5) {
                y + 1
            } else {
                y
            };
            (format!("eind {y}"), Date::new(y, 12, 31)?)
        }
        56..64 => {
            let y = if m < 5 { y } else { y + 1 };
            (format!("medio {y}"), Date::new(y, 6, 30)?)
        }
        64..74 => {
            let q = i16::from((m - 1) / 3) + rng.random_range(1..=3);
            let (y, q) = (y + q / 4, q % 4 + 1);
            (format!("Q{q} {y}"), last_of(y, i8::try_from(q * 3)?)?)
        }
        74..84 => {
            let k = i16::from(m - 1) + rng.random_range(1..=9);
            let (y, mm) = (y + k / 12, k % 12);
            (
                format!("{} {y}", MAANDEN[mm as usize]),
                last_of(y, i8::try_from(mm + 1)?)?,
            )
        }
        84..91 => {
            let y = if m < 9 { y } else { y + 1 };
            (format!("najaar {y}"), Date::new(y, 12, 20)?)
        }
        91..98 if m <= 10 => ("eind dit jaar".to_string(), Date::new(y, 12, 31)?),
        91..98 => (format!("eind {}", y + 1), Date::new(y + 1, 12, 31)?),
        _ => (
            VAAG[rng.random_range(0..VAAG.len())].to_string(),
            date.checked_add(120.days())?,
        ),
    })
}

/// A Kamerstuk reference for a fulfilled commitment; 3% are malformed.
fn nakoming(rng: &mut ChaCha8Rng) -> String {
    let nr = rng.random_range(186..=400);
    if chance(rng, 0.03) {
        return match rng.random_range(0..3) {
            0 => format!("28345-{nr}"),
            1 => format!("28 345 nr {nr}"),
            _ => format!("kst-28345-{nr}"),
        };
    }
    let dossier = pick(
        rng,
        &[("28 345", 70), ("31 015", 20), ("28 345 en 31 015", 10)],
    );
    format!("{dossier}, nr. {nr}")
}

/// Writes `n` toezeggingen made in `window`.
fn toezeggingen(
    out: &mut Out,
    cal: &Calendar,
    window: (usize, usize),
    n: u64,
    seed: u64,
) -> Res<u64> {
    let mut rng = stream(seed, 3);
    // The Kamer sits Tuesday to Thursday; commitments are made in debates.
    let weights: Vec<u64> = (window.0..=window.1)
        .map(|i| match (cal.working[i], cal.dates[i].weekday()) {
            (false, _) => 0,
            (true, Weekday::Tuesday | Weekday::Wednesday | Weekday::Thursday) => 6,
            (true, _) => 1,
        })
        .collect();
    let mut seq = 0u32;
    for (offset, count) in spread(n, &weights)?.into_iter().enumerate() {
        let made = window.0 + offset;
        for _ in 0..count {
            seq += 1;
            let (phrase, due) = termijn(&mut rng, cal, made)?;
            let onderwerp = format!(
                "{} {}",
                ACTIES[rng.random_range(0..ACTIES.len())],
                THEMAS[rng.random_range(0..THEMAS.len())]
            );
            // Three in four are fulfilled by the due date, the rest up to
            // half a year late; never within a week of the promise.
            let shift: i64 = if chance(&mut rng, 0.75) {
                -rng.random_range(0..=150)
            } else {
                rng.random_range(1..=180)
            };
            let earliest = cal.dates[made].checked_add(7.days())?;
            let done = due.checked_add(shift.days())?.max(earliest);
            let nagekomen_op = cal.known(cal.index(done).ok());
            let mut t = Toezegging {
                nummer: format!("TZ-SYN-{seq:06}"),
                gedaan_op: &cal.text[made],
                bewindspersoon: pick(&mut rng, &BEWINDSPERSONEN),
                kamer: "TK",
                onderwerp,
                termijn: phrase,
                status: if nagekomen_op.is_some() {
                    "voldaan"
                } else {
                    "openstaand"
                },
                nakoming: None,
                nagekomen_op,
            };
            let reference = nakoming(&mut rng);
            // 1% is marked voldaan without naming the Kamerstuk.
            if nagekomen_op.is_some() && !chance(&mut rng, 0.01) {
                t.nakoming = Some(reference);
            }
            emit(out, &t)?;
        }
    }
    Ok(u64::from(seq))
}
