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
//! same `meldingen.jsonl` as `--kind all`; the dossiers' decisions draw from
//! a fourth, the starts of the onderzoeken from a fifth, the vindplaats and
//! register date of the toezeggingen from a sixth, the dossiers' adult
//! clients from a seventh, the promises registered twice from an eighth,
//! the feedback after an onderzoek from a ninth, the `betrokkenen` of
//! meldingen and adviesvragen from a tenth, the dossiers' doubt at the
//! weighing and consultation of Veilig Thuis from an eleventh), no clock is
//! read, and no hash map is iterated.
//! Records come out sorted by their own date.
//! The extract is taken at `--as-of` (default `--to`): a follow-up date after
//! it is left out, so what was received just before it is still open.
//!
//! Volumes and distributions (tags are the sources of the domain brief,
//! `shared/domain/BRIEF.md` §5; "assumed" means no source gave a figure):
//!
//! - soort: melding 47%, advies 53%, from 127,340 meldingen and 143,210
//!   adviezen in 2023 [S63].
//! - regio: the 25 Veilig Thuis organisations [S21], weighted by the
//!   population of their veiligheidsregio, West-Nederland (Utrecht, Noord- en
//!   Zuid-Holland, Zeeland) lifted to 54% [S65].
//! - ontvangen_op: a working day weighs four times a weekend day or feestdag
//!   (assumed); the counts per day are spread evenly, not drawn.
//! - melder of a melding: politie 67.5% (justitie en veiligheid, 85,590 of
//!   126,750) and niet-beroepsmatig 8.1% [S63]; the other professionals share
//!   the rest in the ratio of their 2023 counts [S63]; apotheek 0.2%
//!   (assumed). Of an advies: niet-beroepsmatig 45% (63,200 of 141,235)
//!   [S63], the split of the professionals assumed.
//! - aard: kindermishandeling 50%, partnergeweld 38%, ouderenmishandeling 2%,
//!   overig 10% [S64].
//! - veiligheidsbeoordeling: within 5 working days for most; each region has
//!   its own share that is 1–20 working days late, so that only 5 of the 25
//!   regions meet the 90% norm [S20][S21]; 37% are late overall, near the
//!   IGJ's 4,200 of some 10,600 meldingen a month [S21]. About 2% of a year's
//!   meldingen are still unassessed at the extract.
//! - onderzoek start: on the day of the vaststelling (the beoordeling) or
//!   up to two weeks later, mostly the same or the next day (assumed).
//! - onderzoek_nodig: 6% of meldingen [S66]; per region 10–45% of the
//!   onderzoeken take longer than 10 weeks (fewer show in an extract, as the
//!   slow ones are often still open), so 5 regions meet the 80% norm [S20].
//! - vervolgmelding: 28.5% of meldingen [S67].
//! - terugkoppeling after a finished onderzoek: 1–10 working days after it
//!   for 90%, none for 8%, dated before the afronding for 2% (assumed),
//!   from a ninth stream.
//! - betrokkenen (art. 4.1.8 Uitvoeringsbesluit Wmo 2015), without names:
//!   the adviesvrager or the melder, contacted on the day of receipt; one to
//!   three persons the melding is about, contacted within five working
//!   days; one to three informants of an onderzoek, in its first two weeks.
//!   The information of art. 4.1.8 lid 2 on the day of the first contact,
//!   except 1% none and 1% 1–7 days later; the vertrouwenspersoon for
//!   whom the melding is about, except 3% (assumed), from a tenth stream.
//! - afwegingskader [S1][S3]: the five questions walked as far as the kader
//!   goes; help given after question 4 has an agreed evaluation 6–26 weeks
//!   on (10% of it ends earlier), and question 5 is answered only once that
//!   moment has passed at the extract, so help still running leaves it
//!   open; "nee" brings a new melding after the evaluation, "ja" agreements
//!   on monitoring (the terms assumed).
//! - twijfel at the weighing (step 4): 20% of the weighed dossiers; then
//!   Veilig Thuis consulted between the weighing and the decision by 95%
//!   of those weighed before 2019 (when doubt meant always consulting) and
//!   60% since (assumed), from an eleventh stream.
//! - codewoord ("masker 19", from 1 May 2020, Kamerstuk 28 345, nr. 234):
//!   half of the apotheek meldingen and 30% of the apotheek dossiers from
//!   that day (assumed).
//!
//! Nothing about people is generated: no names, BSNs, birth dates or free
//! text. Which regions are late is arbitrary and says nothing about the real
//! organisations. What is deliberately wrong in the data is listed in
//! `fixtures/ghnt/README-generator.md`.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

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
    /// meldingen.jsonl
    Meldingen,
    /// dossiers.jsonl
    Dossiers,
    /// toezeggingen.jsonl
    Toezeggingen,
    /// All three.
    All,
}

/// The writer every generator streams into.
type Out = BufWriter<File>;

/// A generator: writes `n` records whose own date lies in the window of the
/// calendar and returns how many it wrote.
type Generator = fn(&mut Out, &Calendar, u64, &mut ChaCha8Rng) -> Res<u64>;

/// Parses the arguments and writes the files asked for.
fn main() -> Res<()> {
    let args = Args::parse();
    let as_of = args.as_of.unwrap_or(args.to);
    if args.to < args.from || as_of < args.from {
        return Err("--to and --as-of must not lie before --from".into());
    }
    std::fs::create_dir_all(&args.out)?;
    let cal = Calendar::new(args.from, args.to, as_of)?;
    let n = args.records;
    let all = args.kind == Kind::All;
    let files: [(Kind, &str, u64, Generator); 3] = [
        (Kind::Meldingen, "meldingen", 1, meldingen),
        (Kind::Dossiers, "dossiers", 10, dossiers),
        (Kind::Toezeggingen, "toezeggingen", 1000, toezeggingen),
    ];
    for (stream, (kind, name, divisor, generate)) in (1..).zip(files) {
        if !all && args.kind != kind {
            continue;
        }
        let count = if all { (n / divisor).max(n.min(1)) } else { n };
        let path = args.out.join(format!("{name}.jsonl"));
        let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        // Each file has a stream of its own, so it does not depend on which
        // other files are generated.
        let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
        rng.set_stream(stream);
        let written =
            generate(&mut out, &cal, count, &mut rng).map_err(|e| format!("{name}: {e}"))?;
        out.flush()?;
        eprintln!("{name}: {written} records -> {}", path.display());
    }
    Ok(())
}

/// Writes one record as a line of JSON.
fn emit(out: &mut Out, record: &impl Serialize) -> Res<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Every day from `--from` to well after the extract, with its ISO text and
/// whether it is a working day, so that record dates are plain indices and
/// working-day arithmetic is a table look-up.
#[derive(Default)]
struct Calendar {
    /// The dates; index 0 is `--from`.
    dates: Vec<Date>,
    /// `YYYY-MM-DD` of each date, formatted once.
    text: Vec<String>,
    /// Whether each date is a working day.
    working: Vec<bool>,
    /// The number of working days up to and including each index.
    rank: Vec<u32>,
    /// The index of the r-th working day.
    workdays: Vec<u32>,
    /// The index of `--to`, the window's last day.
    to: usize,
    /// The index of the extract date; later dates are not known yet.
    as_of: usize,
}

impl Calendar {
    /// Builds the calendar for the window `from..=to` extracted on `as_of`.
    fn new(from: Date, to: Date, as_of: Date) -> Res<Self> {
        // Follow-up dates (a late onderzoek, a toezegging due next year) lie
        // well after the window; the calendar reaches far enough for them.
        let last = as_of.max(to).checked_add(800.days())?;
        let mut holidays = Vec::new();
        for (y, m, d) in GELIJKGESTELD {
            holidays.push(Date::new(y, m, d)?);
        }
        for year in from.year()..=last.year() {
            holidays.extend(feestdagen(year)?);
        }
        holidays.sort();
        let mut cal = Calendar::default();
        let mut day = from;
        while day <= last {
            let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
            let working = !weekend && holidays.binary_search(&day).is_err();
            let index = cal.dates.len();
            if working {
                cal.workdays.push(u32::try_from(index)?);
            }
            if day == to {
                cal.to = index;
            }
            if day == as_of {
                cal.as_of = index;
            }
            cal.rank.push(u32::try_from(cal.workdays.len())?);
            cal.working.push(working);
            cal.text.push(day.to_string());
            cal.dates.push(day);
            day = day.tomorrow()?;
        }
        Ok(cal)
    }

    /// The index of `date`, if the calendar reaches it.
    fn index(&self, date: Date) -> Option<usize> {
        let days = self.dates.first()?.until(date).ok()?.get_days();
        usize::try_from(days).ok().filter(|&i| i < self.dates.len())
    }

    /// The day `n` calendar days after `i`.
    fn add_days(&self, i: usize, n: u32) -> Option<usize> {
        Some(i + n as usize).filter(|&j| j < self.dates.len())
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

    /// Splits `n` records over the window's days in proportion to
    /// `weight(day)`, exactly and without randomness, so output stays sorted
    /// by date; returns `(day, count)` pairs.
    fn spread(&self, n: u64, weight: impl Fn(usize) -> u64) -> Res<Vec<(usize, u64)>> {
        let weights: Vec<u64> = (0..=self.to).map(weight).collect();
        let total = u128::from(weights.iter().sum::<u64>());
        if total == 0 && n > 0 {
            return Err("the window has no day on which these records can fall".into());
        }
        let (mut cum, mut before) = (0u128, 0u64);
        let mut counts = Vec::with_capacity(weights.len());
        for (day, w) in weights.into_iter().enumerate() {
            cum += u128::from(w);
            let upto = u64::try_from(cum * u128::from(n) / total.max(1))?;
            counts.push((day, upto - before));
            before = upto;
        }
        Ok(counts)
    }
}

/// The Atw feestdagen of `year` (art. 3): Nieuwjaarsdag, Goede Vrijdag,
/// Tweede Paasdag, Koningsdag, 5 mei, Hemelvaart, Tweede Pinksterdag and
/// both Kerstdagen.
fn feestdagen(year: i16) -> Res<[Date; 9]> {
    let easter = easter_sunday(year)?;
    // Koninginnedag (30 April) before 2014; the Saturday when it is a Sunday.
    let birthday = Date::new(year, 4, if year >= 2014 { 27 } else { 30 })?;
    let royal = if birthday.weekday() == Weekday::Sunday {
        birthday.yesterday()?
    } else {
        birthday
    };
    Ok([
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

/// Days gelijkgesteld to feestdagen by Royal Decree [S31]. The checker's
/// calendar skips them too, so both count working days alike.
#[rustfmt::skip]
const GELIJKGESTELD: [(i16, i8, i8); 10] = [
    (2023, 4, 28), (2023, 5, 19), (2024, 5, 10), (2024, 12, 27), (2025, 5, 30),
    (2026, 1, 2), (2026, 5, 15), (2027, 5, 7), (2028, 4, 28), (2028, 5, 26),
];

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

/// The 25 Veilig Thuis organisations: name, id code, share of meldingen and
/// adviezen per mille, late veiligheidsbeoordelingen per mille, onderzoeken
/// over 10 weeks per mille. Shares follow the population of the
/// veiligheidsregio, West-Nederland scaled to 540 [S65]. Five regions stay
/// under 100 late beoordelingen [S21] and five under 200 late onderzoeken
/// [S20]; which ones is arbitrary.
const REGIOS: [(&str, &str, u32, u32, u32); 25] = [
    ("Groningen", "GR", 30, 320, 330),
    ("Friesland", "FR", 33, 60, 120),
    ("Drenthe", "DR", 25, 80, 150),
    ("IJsselland", "IJS", 27, 250, 360),
    ("Twente", "TW", 32, 180, 330),
    ("Noord- en Oost-Gelderland", "NOG", 42, 400, 340),
    ("Gelderland-Midden", "GM", 35, 480, 400),
    ("Gelderland-Zuid", "GZ", 28, 220, 330),
    ("Utrecht", "UT", 86, 540, 380),
    ("Noord-Holland-Noord", "NHN", 43, 300, 330),
    ("Zaanstreek-Waterland", "ZW", 22, 150, 330),
    ("Kennemerland", "KEN", 35, 270, 340),
    ("Amsterdam-Amstelland", "AA", 68, 620, 450),
    ("Gooi en Vechtstreek", "GV", 16, 50, 100),
    ("Haaglanden", "HGL", 72, 650, 430),
    ("Hollands-Midden", "HM", 52, 430, 350),
    ("Rotterdam-Rijnmond", "RR", 91, 600, 420),
    ("Zuid-Holland-Zuid", "ZHZ", 30, 260, 330),
    ("Zeeland", "ZE", 25, 70, 140),
    ("Midden- en West-Brabant", "MWB", 57, 450, 360),
    ("Brabant-Noord", "BN", 33, 200, 330),
    ("Brabant-Zuidoost", "BZO", 40, 380, 340),
    ("Limburg-Noord", "LN", 26, 90, 160),
    ("Zuid-Limburg", "ZL", 30, 290, 340),
    ("Flevoland", "FL", 22, 500, 400),
];

/// Who made a melding and who asked for advies, per 10,000 of each [S63].
/// Meldingen: justitie en veiligheid 67.5%, niet-beroepsmatig 8.1%, the other
/// professionals in their ratio of 2023, apotheek assumed. Adviezen:
/// niet-beroepsmatig 44.75%, the split of the professionals assumed.
const MELDER: [(&str, u32, u32); 8] = [
    ("politie", 6750, 550),
    ("gezondheidszorg", 1185, 1650),
    ("onderwijs", 615, 1380),
    ("jeugdzorg", 310, 830),
    ("ggz", 240, 550),
    ("kinderopvang", 70, 440),
    ("apotheek", 20, 125),
    ("niet-beroepsmatig", 810, 4475),
];

/// The kind of violence, per cent [S64].
#[rustfmt::skip]
const AARD: [(&str, u32); 4] = [
    ("kindermishandeling", 50), ("partnergeweld", 38), ("ouderenmishandeling", 2), ("overig", 10),
];

/// The follow-up when no onderzoek is needed, per cent (assumed).
#[rustfmt::skip]
const VERVOLG: [(&str, u32); 4] = [
    ("overdracht", 62), ("einde bemoeienis", 22), ("voorwaarden en vervolg", 12),
    ("verzoek raad voor de kinderbescherming", 4),
];

/// Working days from receipt to an on-time veiligheidsbeoordeling, with
/// relative weights (assumed).
const OP_TIJD: [(u32, u32); 6] = [(0, 10), (1, 30), (2, 22), (3, 16), (4, 12), (5, 10)];

/// A line of `meldingen.jsonl`. A field that does not apply, or whose date
/// lies after the extract, is left out rather than written as null. An
/// advies has only the fields up to `aard`, and `betrokkenen`.
#[derive(Serialize, Default)]
struct Melding<'a> {
    id: String,
    regio: &'static str,
    soort: &'static str,
    ontvangen_op: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    veiligheidsbeoordeling_op: Option<&'a str>,
    melder: &'static str,
    aard: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    onderzoek_nodig: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vastgesteld_op: Option<&'a str>,
    /// The start of the onderzoek (art. 4.1.7 lid 1 Uitvoeringsbesluit Wmo
    /// 2015), when one was needed and it started by the extract.
    #[serde(skip_serializing_if = "Option::is_none")]
    onderzoek_gestart_op: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    onderzoek_afgerond_op: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vervolg: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terugkoppeling_op: Option<&'a str>,
    /// The feedback to the melder after the onderzoek, about the steps it
    /// led to (art. 4.1.1 lid 2 onder g Wmo 2015).
    #[serde(skip_serializing_if = "Option::is_none")]
    terugkoppeling_onderzoek_op: Option<&'a str>,
    /// Only written when true.
    #[serde(skip_serializing_if = "Option::is_none")]
    codewoord: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vervolgmelding: Option<bool>,
    /// The persons Veilig Thuis had to inform (art. 4.1.8 lid 1
    /// Uitvoeringsbesluit Wmo 2015), without names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    betrokkenen: Vec<Betrokkene<'a>>,
}

/// One person of a melding's or adviesvraag's `betrokkenen`, without a
/// name: the role and the days of the first contact, of the information of
/// art. 4.1.8 lid 2 and (for whom the melding is about) of the information
/// about a vertrouwenspersoon. A date after the extract is left out.
#[derive(Serialize)]
struct Betrokkene<'a> {
    rol: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    eerste_contact_op: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    informatie_op: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vertrouwenspersoon_op: Option<&'a str>,
}

/// Writes `n` meldingen and adviezen received in the window.
fn meldingen(out: &mut Out, cal: &Calendar, n: u64, rng: &mut ChaCha8Rng) -> Res<u64> {
    let regio_weights: Vec<(usize, u32)> = (0..).zip(REGIOS.map(|r| r.2)).collect();
    // Indexed by `is_melding`: the adviezen column, then the meldingen one.
    let melders = [
        MELDER.map(|(m, _, a)| (m, a)),
        MELDER.map(|(m, w, _)| (m, w)),
    ];
    let codewoord_from = Date::new(2020, 5, 1)?;
    // The start of each onderzoek draws from a stream of its own, so the
    // other fields of every melding stay what they were without it.
    let mut start = rng.clone();
    start.set_stream(ONDERZOEK_STREAM);
    let mut feedback = rng.clone();
    feedback.set_stream(TERUGKOPPELING_STREAM);
    let mut persons = rng.clone();
    persons.set_stream(BETROKKENEN_STREAM);
    let mut seq = [0u32; 25];
    let mut year = cal.dates[0].year();
    let mut written = 0;
    for (day, count) in cal.spread(n, |i| if cal.working[i] { 4 } else { 1 })? {
        // Ids count per region and year.
        if cal.dates[day].year() != year {
            year = cal.dates[day].year();
            seq = [0; 25];
        }
        for _ in 0..count {
            let r = pick(rng, &regio_weights);
            let (naam, code, _, laat_beoordeling, laat_onderzoek) = REGIOS[r];
            seq[r] += 1;
            // 127,340 meldingen against 143,210 adviezen [S63].
            let is_melding = rng.random_range(0..270_550) < 127_340;
            let melder = pick(rng, &melders[usize::from(is_melding)]);
            let mut m = Melding {
                id: format!("VT-{code}-{year}-{:06}", seq[r]),
                regio: naam,
                soort: if is_melding { "melding" } else { "advies" },
                ontvangen_op: &cal.text[day],
                melder,
                aard: pick(rng, &AARD),
                ..Melding::default()
            };
            if is_melding {
                follow_up(
                    (rng, &mut start),
                    cal,
                    (laat_beoordeling, laat_onderzoek),
                    day,
                    &mut m,
                );
                feedback_after_onderzoek(&mut feedback, cal, &mut m);
                // The codeword started on 1 May 2020; the few earlier ones
                // are the registration error a rule should catch.
                let since = cal.dates[day] >= codewoord_from;
                if melder == "apotheek" && rng.random_bool(if since { 0.5 } else { 0.03 }) {
                    m.codewoord = Some(true);
                }
                m.vervolgmelding = Some(rng.random_bool(0.285));
            }
            m.betrokkenen = betrokkenen(&mut persons, cal, day, &m);
            emit(out, &m)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Days from the vaststelling that onderzoek is needed to its start, with
/// relative weights (assumed): mostly the same day or the next.
const START_ONDERZOEK: [(u32, u32); 7] =
    [(0, 50), (1, 20), (2, 12), (3, 8), (4, 4), (7, 4), (14, 2)];

/// The stream of the start dates of onderzoeken; the files use streams 1 to
/// 3, the dossiers' decisions 4.
const ONDERZOEK_STREAM: u64 = 5;

/// The stream of the feedback after an onderzoek, so that every other field
/// of a melding stays what it was without it.
const TERUGKOPPELING_STREAM: u64 = 9;

/// Fills in what happened after a melding received on `day`: the
/// beoordeling, the onderzoek, the vervolg and the terugkoppeling; `laat`
/// holds the region's late shares per mille (beoordeling, onderzoek). Of
/// the two generators, the second draws the start of an onderzoek.
fn follow_up<'a>(
    (rng, start): (&mut ChaCha8Rng, &mut ChaCha8Rng),
    cal: &'a Calendar,
    laat: (u32, u32),
    day: usize,
    m: &mut Melding<'a>,
) {
    let delay = if rng.random_range(0..1000) < laat.0 {
        6 + skewed(rng, 20)
    } else {
        pick(rng, &OP_TIJD)
    };
    let Some(beoordeeld) = cal.add_workdays(day, delay).filter(|&b| b <= cal.as_of) else {
        return; // still open at the extract
    };
    m.veiligheidsbeoordeling_op = cal.known(Some(beoordeeld));
    let onderzoek = rng.random_bool(0.06);
    m.onderzoek_nodig = Some(onderzoek);
    if onderzoek {
        m.vastgesteld_op = m.veiligheidsbeoordeling_op;
        m.vervolg = Some("onderzoek");
        // 10 weeks are 70 days; the late ones take up to five months more.
        let days = if rng.random_range(0..1000) < laat.1 {
            71 + skewed(rng, 150)
        } else {
            rng.random_range(21..=70)
        };
        m.onderzoek_afgerond_op = cal.known(cal.add_days(beoordeeld, days));
        // The onderzoek starts on or after the vaststelling (here the day of
        // the beoordeling), well before it ends (21 days at the least). The
        // statute counts five calendar days from receipt (art. 4.1.7 lid 1),
        // so a start after a beoordeling late in its five working days is
        // already late: no fault is injected, the model shows the tension.
        m.onderzoek_gestart_op = cal.known(cal.add_days(beoordeeld, pick(start, &START_ONDERZOEK)));
    } else {
        let vervolg = pick(rng, &VERVOLG);
        // Only children are the Raad voor de Kinderbescherming's business.
        let raad = vervolg.starts_with("verzoek raad");
        let kind = m.aard == "kindermishandeling";
        m.vervolg = Some(if raad && !kind { "overdracht" } else { vervolg });
    }
    // The melder hears which step follows the beoordeling (an onderzoek is
    // such a step); 3% never hear: the violation a rule should find.
    if !rng.random_bool(0.03) {
        m.terugkoppeling_op = cal.known(cal.add_workdays(beoordeeld, 1 + skewed(rng, 10)));
    }
}

/// Dates the feedback to the melder after a finished onderzoek: 1 to 10
/// working days after the afronding for most (assumed); 8% get none (the
/// warning `terugkoppeling-na-onderzoek-ontbreekt` should find them) and 2%
/// are dated one to three days before the afronding they report (the error
/// `terugkoppeling-voor-stap` should find them). A date after the extract is
/// left out.
fn feedback_after_onderzoek<'a>(rng: &mut ChaCha8Rng, cal: &'a Calendar, m: &mut Melding<'a>) {
    let Some(afgerond) = m.onderzoek_afgerond_op.and_then(|d| d.parse::<Date>().ok()) else {
        return;
    };
    let Some(day) = cal.index(afgerond) else {
        return;
    };
    let roll = rng.random_range(0..100);
    let when = match roll {
        0..8 => None,
        8..10 => day.checked_sub(rng.random_range(1..=3)),
        _ => cal.add_workdays(day, 1 + skewed(rng, 10)),
    };
    m.terugkoppeling_onderzoek_op = cal.known(when);
}

/// The stream of the `betrokkenen` of meldingen and adviesvragen, so that
/// every other field stays what it was without them.
const BETROKKENEN_STREAM: u64 = 10;

/// The persons of a melding or adviesvraag received on `day`: the
/// adviesvrager, or the melder (both contacted on the day of receipt), the
/// one to three persons the melding is about (contacted in the first five
/// working days: 55%, 35% and 10%), and for an onderzoek one to three
/// informants contacted in its first two weeks (the counts and terms
/// assumed). A person whose first contact lies after the extract is listed
/// without it.
fn betrokkenen<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    day: usize,
    m: &Melding<'a>,
) -> Vec<Betrokkene<'a>> {
    if m.soort == "advies" {
        return vec![contact(rng, cal, "adviesvrager", Some(day))];
    }
    let mut list = vec![contact(rng, cal, "melder", Some(day))];
    for _ in 0..pick(rng, &[(1, 55), (2, 35), (3, 10)]) {
        let first = cal.add_workdays(day, rng.random_range(0..=4));
        list.push(contact(rng, cal, "betrokkene", first));
    }
    let day_of = |text: Option<&str>| cal.index(text?.parse::<Date>().ok()?);
    if let Some(start) = day_of(m.onderzoek_gestart_op) {
        let end = day_of(m.onderzoek_afgerond_op).unwrap_or(usize::MAX);
        for _ in 0..rng.random_range(1..=3) {
            let first = cal
                .add_days(start, rng.random_range(0..=14))
                .map(|f| f.min(end));
            list.push(contact(rng, cal, "informant", first));
        }
    }
    list
}

/// A person first contacted on day `first`: the information of art. 4.1.8
/// lid 2 is given that day, except for 1% who get none and 1% who get it
/// 1 to 7 days later by letter (the error `informatie-betrokkene-
/// ontbreekt` should find them). Whom the melding is about also hears of
/// the vertrouwenspersoon, on the day of the contact or within five
/// working days, except 3% (the warning
/// `vertrouwenspersoon-informatie-ontbreekt` should find them). The rates
/// are assumed.
fn contact<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    rol: &'static str,
    first: Option<usize>,
) -> Betrokkene<'a> {
    let mut person = Betrokkene {
        rol,
        eerste_contact_op: None,
        informatie_op: None,
        vertrouwenspersoon_op: None,
    };
    let Some(first) = first.filter(|&f| f <= cal.as_of) else {
        return person; // not contacted yet at the extract
    };
    person.eerste_contact_op = cal.known(Some(first));
    person.informatie_op = match rng.random_range(0..1000) {
        0..10 => None,
        10..20 => cal.known(cal.add_days(first, rng.random_range(1..=7))),
        _ => person.eerste_contact_op,
    };
    if rol == "betrokkene" && !rng.random_bool(0.03) {
        let days = if rng.random_bool(0.8) {
            0
        } else {
            rng.random_range(1..=5)
        };
        person.vertrouwenspersoon_op = cal.known(cal.add_workdays(first, days));
    }
    person
}

/// Sectors with a meldcode dossier: name, id code, weight (assumed, after the
/// professional melders of [S63]), whether every dossier records a kindcheck
/// (the sectors facing adults), and per mille of dossiers whose client is an
/// adult (assumed: mbo and adult students in onderwijs, adults in the ggz
/// besides the youth ggz, every apotheek client).
#[rustfmt::skip]
const SECTOREN: [(&str, &str, u32, bool, u32); 5] = [
    ("onderwijs", "ONDERWIJS", 40, false, 80), ("jgz", "JGZ", 25, false, 0),
    ("ggz", "GGZ", 20, true, 800), ("kinderopvang", "KINDEROPVANG", 10, false, 0),
    ("apotheek", "APOTHEEK", 5, true, 1000),
];

/// The stream of whether a dossier's client is an adult, and of the
/// kindchecks of adults outside the sectors facing adults, so a dossier's
/// other fields stay what they were without them.
const CLIENT_STREAM: u64 = 7;

/// The five meldcode steps [S4], as `stappen` keys, with the consultation
/// of Veilig Thuis at the weighing (step 4) before the decision.
#[rustfmt::skip]
const STAPPEN: [&str; 6] = [
    "signalen", "collegiale_consultatie", "gesprek", "wegen", "veilig_thuis_geraadpleegd",
    "beslissen",
];

/// The five afwegingsvragen [S1][S3], as `afweging` keys: vermoeden (Q1),
/// acute or structurele onveiligheid (Q2), effective help possible (Q3),
/// help accepted (Q4), and whether the help brings the results needed for
/// the safety and well-being of all involved within the desired term (Q5,
/// "gewenst resultaat"; its key `duurzame_veiligheid` is older than that
/// wording).
#[rustfmt::skip]
const VRAGEN: [&str; 5] =
    ["vermoeden", "onveiligheid", "hulp_mogelijk", "hulp_aanvaard", "duurzame_veiligheid"];

/// Values under fixed keys, written as a JSON object without the missing
/// ones: the steps taken, the questions answered.
struct Named<T, const N: usize>(&'static [&'static str; N], [Option<T>; N]);

impl<T: Serialize, const N: usize> Serialize for Named<T, N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (key, value) in self.0.iter().zip(&self.1) {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// A line of `dossiers.jsonl`. `besluit`, `gemeld_op` and the afweging are
/// missing while the dossier is still running at the extract; the
/// evaluation fields only follow help given after question 4.
#[derive(Serialize)]
struct Dossier<'a> {
    id: String,
    sector: &'static str,
    /// Whether the client (art. 1 onder d Besluit verplichte meldcode) is an
    /// adult: the kindcheck is then due from the first step.
    client_volwassen: bool,
    organisatie: String,
    signaal_op: &'a str,
    /// Only written when true.
    #[serde(skip_serializing_if = "Option::is_none")]
    codewoord: Option<bool>,
    stappen: Named<&'a str, 6>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kindcheck: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    afweging: Option<Named<&'static str, 5>>,
    /// Whether doubt was recorded at the weighing (step 4), once weighed.
    #[serde(skip_serializing_if = "Option::is_none")]
    twijfel: Option<bool>,
    disclosure: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    besluit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gemeld_op: Option<&'a str>,
    /// The agreed evaluation of the help (question 5), known from the start.
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluatie_op: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hulp_beeindigd_op: Option<&'a str>,
    /// Only written when true.
    #[serde(skip_serializing_if = "Option::is_none")]
    monitoring_afspraken: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dossier_notitie: Option<bool>,
}

/// Where walking the afwegingskader leads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Uitkomst {
    /// Q1 nee: close, and note it in the dossier.
    Afsluiten,
    /// Help is offered or continues.
    Hulp,
    /// A melding is mandatory: Q2 ja, or Q3, Q4 or Q5 nee.
    Melden,
}

/// The answers to the five afwegingsvragen, `None` where not (yet) answered.
type Antwoorden = [Option<&'static str>; 5];

/// Walks the afwegingsvragen 1 to 4, stopping where the kader stops: Q1 nee
/// closes the case, Q2 ja and a nee to Q3 or Q4 make a melding mandatory, Q4
/// ja starts the help whose evaluation ([`evalueren`]) answers Q5.
fn afwegen(rng: &mut ChaCha8Rng, disclosure: bool) -> (Antwoorden, Uitkomst) {
    // The chance of "ja" per question (assumed). A disclosure is a vermoeden
    // and counts as acute onveiligheid [S3], except in 5% (Q1) and 15% (Q2)
    // of them: the violations a rule should find.
    let ja = match disclosure {
        true => [0.95, 0.85, 0.85, 0.80],
        false => [0.78, 0.35, 0.85, 0.80],
    };
    let mut answers = [None; 5];
    let mut uitkomst = Uitkomst::Hulp;
    for (q, p) in ja.into_iter().enumerate() {
        let yes = rng.random_bool(p);
        answers[q] = Some(if yes { "ja" } else { "nee" });
        match (q, yes) {
            (0, false) => uitkomst = Uitkomst::Afsluiten,
            (1, true) | (2.., false) => uitkomst = Uitkomst::Melden,
            _ => continue,
        }
        break;
    }
    (answers, uitkomst)
}

/// Follows the help given from day `beslist` to its evaluation: an agreed
/// evaluation date, sometimes an earlier end of the help, and Q5 answered
/// once either has passed at the extract (before that the help still runs
/// and Q5 is rightly open). Returns the day from which a (new) melding is
/// due when Q5 is "nee".
fn evalueren<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    d: &mut Dossier<'a>,
    answers: &mut Antwoorden,
    beslist: usize,
) -> Option<usize> {
    // The desired term in which the help should show results: 6 to 26 weeks
    // (assumed). It is agreed when the help starts, so it is known even when
    // it lies after the extract.
    let evaluatie = cal.add_days(beslist, rng.random_range(42..=182))?;
    d.evaluatie_op = Some(&cal.text[evaluatie]);
    // 10% of the help ends within 2 to 6 weeks, before its evaluation
    // (assumed): broken off or stopped.
    let einde = if rng.random_bool(0.10) {
        cal.add_days(beslist, rng.random_range(14..=41))
    } else {
        None
    };
    let due = einde.unwrap_or(evaluatie);
    if due > cal.as_of {
        return None;
    }
    d.hulp_beeindigd_op = cal.known(einde);
    // 5% leave Q5 open after it fell due: the violation a rule should find.
    if rng.random_bool(0.05) {
        return None;
    }
    if rng.random_bool(0.75) {
        answers[4] = Some("ja");
        // The help is closed with agreements on following the safety, within
        // two weeks of the evaluation; 5% record no such agreements (a
        // violation).
        d.monitoring_afspraken = (!rng.random_bool(0.05)).then_some(true);
        if einde.is_none() {
            d.hulp_beeindigd_op = cal.known(cal.add_days(due, skewed(rng, 15)));
        }
        None
    } else {
        answers[4] = Some("nee");
        Some(due)
    }
}

/// The stream of the dossiers' decisions (afweging, besluit, melding and
/// the evaluation of the help); the files use streams 1 to 3.
const KADER_STREAM: u64 = 4;

/// Writes `n` meldcode dossiers whose signals were noted in the window.
fn dossiers(out: &mut Out, cal: &Calendar, n: u64, rng: &mut ChaCha8Rng) -> Res<u64> {
    let sectors: Vec<(usize, u32)> = (0..).zip(SECTOREN.map(|s| s.2)).collect();
    let orgs_per_sector = (n / 200).clamp(4, 1999);
    let verplicht = Date::new(2019, 1, 1)?;
    let codewoord_from = Date::new(2020, 5, 1)?;
    let mut seq = [0u32; 5];
    let mut written = 0;
    // The decisions draw from a stream of their own, so that a change in how
    // the kader is walked leaves every dossier's other fields as they are.
    let mut kader = rng.clone();
    kader.set_stream(KADER_STREAM);
    let mut client = rng.clone();
    client.set_stream(CLIENT_STREAM);
    let mut doubt = rng.clone();
    doubt.set_stream(TWIJFEL_STREAM);
    // Schools and day care are closed at weekends.
    for (day, count) in cal.spread(n, |i| if cal.working[i] { 20 } else { 1 })? {
        for _ in 0..count {
            let s = pick(rng, &sectors);
            let (sector, code, _, kindcheck, adult) = SECTOREN[s];
            let volwassen = client.random_range(0..1000) < adult;
            seq[s] += 1;
            // Numbering by sector keeps an organisation in one sector.
            let org = 1 + s as u64 + 5 * rng.random_range(0..orgs_per_sector);
            // Calendar days from one step to the next (assumed).
            let mut steps = [Some(day); 5];
            for (k, (lo, hi)) in [(1, 10), (1, 14), (0, 10), (0, 5)].into_iter().enumerate() {
                steps[k + 1] = steps[k].and_then(|p| cal.add_days(p, rng.random_range(lo..=hi)));
            }
            let beslist = steps[4].filter(|&b| b <= cal.as_of);
            if rng.random_bool(0.03) {
                let k = rng.random_range(1..=2);
                steps.swap(k, k + 1);
            }
            let mut dates = steps.map(|d| cal.known(d));
            if rng.random_bool(0.06) {
                dates[1] = None;
            } else if rng.random_bool(0.03) {
                dates[2] = None;
            }
            // As for meldingen: the codeword exists from 1 May 2020, and the
            // few earlier ones are the error a rule should catch.
            let since = cal.dates[day] >= codewoord_from;
            let codewoord = sector == "apotheek" && rng.random_bool(if since { 0.3 } else { 0.02 });
            let mut d = Dossier {
                id: format!("MC-{code}-{:06}", seq[s]),
                sector,
                client_volwassen: volwassen,
                organisatie: format!("ORG-{org:04}"),
                signaal_op: &cal.text[day],
                codewoord: codewoord.then_some(true),
                stappen: Named(
                    &STAPPEN,
                    [dates[0], dates[1], dates[2], dates[3], None, dates[4]],
                ),
                // 15% without a kindcheck (the violation a rule should
                // find), also while the dossier is at its first steps.
                kindcheck: if kindcheck {
                    Some(!rng.random_bool(0.15))
                } else {
                    volwassen.then(|| !client.random_bool(0.15))
                },
                afweging: None,
                twijfel: None,
                disclosure: rng.random_bool(0.03),
                besluit: None,
                gemeld_op: None,
                evaluatie_op: None,
                hulp_beeindigd_op: None,
                monitoring_afspraken: None,
                dossier_notitie: None,
            };
            twijfelen(&mut doubt, cal, &mut d, steps[3], steps[4])?;
            if let Some(beslist) = beslist {
                decide(
                    &mut kader,
                    cal,
                    &mut d,
                    beslist,
                    cal.dates[day] >= verplicht,
                );
            }
            emit(out, &d)?;
            written += 1;
        }
    }
    Ok(written)
}

/// The stream of the doubt at the weighing and the consultation of Veilig
/// Thuis, so that every other field of a dossier stays what it was without
/// them.
const TWIJFEL_STREAM: u64 = 11;

/// Records whether the dossier weighed on day `wegen` (if the extract knows
/// it) doubted, in 20% (assumed), and when it consulted Veilig Thuis: on a
/// day from the weighing to the decision (`beslissen`, or the weighing
/// while that is open). Until 2019 doubt meant always consulting (art. 2
/// lid 2 onder d Besluit verplichte meldcode, text until 2019); 5% of the
/// doubting dossiers weighed before 2019 did not (the error
/// `twijfel-zonder-veilig-thuis` should find them). Since, consulting is no
/// longer required at doubt, and 60% do (assumed).
fn twijfelen<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    d: &mut Dossier<'a>,
    wegen: Option<usize>,
    beslissen: Option<usize>,
) -> Res<()> {
    let Some(wegen) = wegen.filter(|&w| w <= cal.as_of) else {
        return Ok(());
    };
    let twijfel = rng.random_bool(0.2);
    d.twijfel = Some(twijfel);
    let verplicht = cal.dates[wegen] < Date::new(2019, 1, 1)?;
    if twijfel && rng.random_bool(if verplicht { 0.95 } else { 0.6 }) {
        let last = beslissen.unwrap_or(wegen).min(cal.as_of).max(wegen);
        let consulted = wegen + rng.random_range(0..=last - wegen);
        d.stappen.1[4] = cal.known(Some(consulted));
    }
    Ok(())
}

/// Fills in the afweging, the besluit, the melding, the evaluation of the
/// help and the dossier note of a dossier decided on day `beslist`.
fn decide<'a>(
    rng: &mut ChaCha8Rng,
    cal: &'a Calendar,
    d: &mut Dossier<'a>,
    beslist: usize,
    verplicht: bool,
) {
    // Before 2019 most dossiers have no afweging; since, 1% lacks it (a
    // violation).
    let (mut afweging, mut uitkomst) = if rng.random_bool(if verplicht { 0.99 } else { 0.10 }) {
        let (answers, uitkomst) = afwegen(rng, d.disclosure);
        (Some(answers), uitkomst)
    } else {
        let table = [
            (Uitkomst::Afsluiten, 20),
            (Uitkomst::Hulp, 55),
            (Uitkomst::Melden, 25),
        ];
        (None, pick(rng, &table))
    };
    // A melding after Q5 nee comes after the evaluation, not with the help;
    // 5% of those dossiers show only the melding made with the help (a
    // violation).
    let mut melding_vanaf = beslist;
    let mut niet_opnieuw = false;
    if let Some(answers) = &mut afweging
        && uitkomst == Uitkomst::Hulp
        && let Some(due) = evalueren(rng, cal, d, answers, beslist)
    {
        uitkomst = Uitkomst::Melden;
        melding_vanaf = due;
        niet_opnieuw = rng.random_bool(0.05);
    }
    d.afweging = afweging.map(|answers| Named(&VRAGEN, answers));
    // Most decisions follow the outcome, 30% of the mandatory meldingen
    // together with help of the professional's own; a mandatory melding
    // turned into help is a violation, a voluntary melding is not.
    d.besluit = Some(match uitkomst {
        Uitkomst::Afsluiten if rng.random_bool(0.98) => "afsluiten",
        Uitkomst::Melden if niet_opnieuw => "melden_en_hulp",
        Uitkomst::Melden if rng.random_bool(0.95) => {
            if rng.random_bool(0.3) {
                "melden_en_hulp"
            } else {
                "melden"
            }
        }
        Uitkomst::Hulp if rng.random_bool(0.04) => "melden",
        Uitkomst::Hulp if rng.random_bool(0.04) => "melden_en_hulp",
        Uitkomst::Afsluiten | Uitkomst::Melden | Uitkomst::Hulp => "hulp",
    });
    if matches!(d.besluit, Some("melden" | "melden_en_hulp")) && !rng.random_bool(0.04) {
        let vanaf = if niet_opnieuw { beslist } else { melding_vanaf };
        let gemeld = cal
            .add_days(vanaf, skewed(rng, 4))
            .map(|g| g.min(cal.as_of));
        d.gemeld_op = cal.known(gemeld);
    }
    if uitkomst == Uitkomst::Afsluiten {
        d.dossier_notitie = Some(!rng.random_bool(0.05));
    }
}

/// Offices that make commitments to the Kamer, with weights (assumed).
#[rustfmt::skip]
const BEWINDSPERSONEN: [(&str, u32); 6] = [
    ("Minister van VWS", 35), ("Staatssecretaris van VWS", 25),
    ("Minister voor Rechtsbescherming", 15), ("Minister van Justitie en Veiligheid", 12),
    ("Staatssecretaris van Justitie en Veiligheid", 8), ("Minister van OCW", 5),
];

/// The start of an onderwerp.
#[rustfmt::skip]
const ACTIES: [&str; 6] = [
    "De Kamer informeren over", "Een brief sturen over", "De evaluatie delen van",
    "Terugkomen op", "Een voortgangsrapportage sturen over", "Een onderzoek laten doen naar",
];

/// The themes of the programme an onderwerp is about.
#[rustfmt::skip]
const THEMAS: [&str; 10] = [
    "de aanpak van huiselijk geweld", "de werking van de meldcode",
    "het afwegingskader in de meldcode", "de wachttijden bij Veilig Thuis",
    "de regionale plannen van aanpak", "de capaciteit van de vrouwenopvang",
    "het codewoord bij apotheken", "de Centra Seksueel Geweld",
    "het Toekomstscenario kind- en gezinsbescherming", "de aanpak van ouderenmishandeling",
];

/// Dutch month names, for `juni 2023`-style terms.
#[rustfmt::skip]
const MAANDEN: [&str; 12] = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
];

/// Phrases no deadline can be derived from (`termijn::onbekend`).
const VAAG: [&str; 4] = [
    "binnenkort",
    "zo spoedig mogelijk",
    "op korte termijn",
    "na de zomer",
];

/// A line of `toezeggingen.jsonl`; `nakoming` and `nagekomen_op` only when
/// `voldaan`.
#[derive(Serialize)]
struct Toezegging<'a> {
    nummer: String,
    gedaan_op: &'a str,
    bewindspersoon: &'static str,
    kamer: &'static str,
    /// Where the promise was made: the Handelingen of a plenary debate or
    /// the verslag of a committee's debate.
    vindplaats: String,
    onderwerp: String,
    termijn: String,
    /// The date the register records as the term, for some promises.
    #[serde(skip_serializing_if = "Option::is_none")]
    uiterste_datum: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nakoming: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nagekomen_op: Option<&'a str>,
}

/// A due phrase for a commitment made on `date`, with the date it resolves
/// to (approximately, for the summer recess).
fn termijn(rng: &mut ChaCha8Rng, date: Date) -> Res<(String, Date)> {
    let (y, m) = (date.year(), date.month());
    let last_of =
        |y: i16, m: i16| Ok::<_, Box<dyn Error>>(Date::new(y, m.try_into()?, 1)?.last_of_month());
    // The year of the next occurrence of a month, this year or the next.
    let next = |month: i8| if m < month { y } else { y + 1 };
    Ok(match rng.random_range(0..100) {
        0..28 => {
            let due = date.checked_add(rng.random_range(30..=365i64).days())?;
            (due.to_string(), due)
        }
        28..42 => (
            format!("voor het zomerreces {}", next(6)),
            Date::new(next(6), 7, 1)?,
        ),
        42..56 => {
            let y = y + i16::from(m >= 10 && rng.random_bool(0.5));
            (format!("eind {y}"), Date::new(y, 12, 31)?)
        }
        56..64 => (format!("medio {}", next(5)), Date::new(next(5), 6, 30)?),
        64..74 => {
            let q = i16::from((m - 1) / 3) + rng.random_range(1..=3);
            let (y, q) = (y + q / 4, q % 4 + 1);
            (format!("Q{q} {y}"), last_of(y, q * 3)?)
        }
        74..84 => {
            let k = i16::from(m - 1) + rng.random_range(1..=9);
            let (y, month) = (y + k / 12, k % 12 + 1);
            (
                format!("{} {y}", MAANDEN[usize::try_from(month - 1)?]),
                last_of(y, month)?,
            )
        }
        84..91 => (format!("najaar {}", next(9)), Date::new(next(9), 12, 20)?),
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
    if rng.random_bool(0.03) {
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

/// The stream of the vindplaats and the register's date of each
/// toezegging, so its other fields stay what they were without them.
const REGISTER_STREAM: u64 = 6;

/// Where a promise made on `date` was made: three in four in a plenary
/// debate (`Handelingen II 2019/20, nr. 48, item 8`, the sitting numbered
/// from September, when the vergaderjaar starts), the others in a committee
/// debate whose verslag is a Kamerstuk, numbered by the day (assumed).
fn vindplaats(rng: &mut ChaCha8Rng, date: Date) -> Res<String> {
    let (y, m) = (date.year(), date.month());
    let start = if m >= 9 { y } else { y - 1 };
    let september = Date::new(start, 9, 1)?;
    let day = september.until(date)?.get_days();
    let sitting = 1 + day * 110 / 366;
    let item = rng.random_range(1..=60);
    Ok(if rng.random_bool(0.75) {
        format!(
            "Handelingen II {start}/{:02}, nr. {sitting}, item {item}",
            (start + 1) % 100
        )
    } else {
        let dossier = pick(rng, &[("28 345", 70), ("31 015", 30)]);
        format!("{dossier}, nr. {}", 150 + day)
    })
}

/// The stream of the promises registered twice, so the other promises stay
/// what they were without them.
const DUBBEL_STREAM: u64 = 8;

/// A Kamerstuk written `28 345, nr. 234` in another notation the registers
/// use (`28345-234`, `kst-28345-234`, `28 345 nr 234`); the Handelingen as
/// they are.
fn anders_geschreven(rng: &mut ChaCha8Rng, vindplaats: &str) -> String {
    let kamerstuk = vindplaats.split_once(", nr. ");
    let Some((dossier, nr)) = kamerstuk.filter(|_| !vindplaats.starts_with("Handelingen")) else {
        return vindplaats.to_string();
    };
    let compact = dossier.replace(' ', "");
    match rng.random_range(0..3) {
        0 => format!("{compact}-{nr}"),
        1 => format!("kst-{compact}-{nr}"),
        _ => format!("{dossier} nr {nr}"),
    }
}

/// Writes `n` toezeggingen made in the window.
fn toezeggingen(out: &mut Out, cal: &Calendar, n: u64, rng: &mut ChaCha8Rng) -> Res<u64> {
    let mut register = rng.clone();
    register.set_stream(REGISTER_STREAM);
    let mut dubbel = rng.clone();
    dubbel.set_stream(DUBBEL_STREAM);
    // The vindplaats and onderwerp of the promise before, for the 1% that
    // register it a second time (assumed): the violation a rule should find.
    let mut vorige: Option<(String, String)> = None;
    // The Kamer sits Tuesday to Thursday; commitments are made in debates.
    let weight = |i: usize| match (cal.working[i], cal.dates[i].weekday()) {
        (false, _) => 0,
        (true, Weekday::Tuesday | Weekday::Wednesday | Weekday::Thursday) => 6,
        (true, _) => 1,
    };
    let mut seq = 0u64;
    for (made, count) in cal.spread(n, weight)? {
        for _ in 0..count {
            seq += 1;
            let (termijn, due) = termijn(rng, cal.dates[made])?;
            let actie = ACTIES[rng.random_range(0..ACTIES.len())];
            let thema = THEMAS[rng.random_range(0..THEMAS.len())];
            // Three in four are fulfilled by the due date, the rest up to
            // half a year late; none within a week of the promise.
            let shift: i64 = if rng.random_bool(0.75) {
                -rng.random_range(0..=150)
            } else {
                rng.random_range(1..=180)
            };
            let earliest = cal.dates[made].checked_add(7.days())?;
            let done = due.checked_add(shift.days())?.max(earliest);
            let nagekomen_op = cal.known(cal.index(done));
            let reference = nakoming(rng);
            // 1% is marked voldaan without naming the Kamerstuk.
            let nakoming = (nagekomen_op.is_some() && !rng.random_bool(0.01)).then_some(reference);
            // 40% of the promises have a date of the register (assumed):
            // the due date the phrase stands for, which the rules then
            // prefer to reading the phrase.
            let mut vindplaats = vindplaats(&mut register, cal.dates[made])?;
            let uiterste_datum = register.random_bool(0.4).then(|| due.to_string());
            let mut onderwerp = format!("{actie} {thema}");
            if dubbel.random_bool(0.01)
                && let Some((plaats, wat)) = &vorige
            {
                vindplaats = anders_geschreven(&mut dubbel, plaats);
                onderwerp = wat.clone();
            } else {
                vorige = Some((vindplaats.clone(), onderwerp.clone()));
            }
            let t = Toezegging {
                nummer: format!("TZ-SYN-{seq:06}"),
                gedaan_op: &cal.text[made],
                bewindspersoon: pick(rng, &BEWINDSPERSONEN),
                kamer: "TK",
                vindplaats,
                onderwerp,
                termijn,
                uiterste_datum,
                status: if nagekomen_op.is_some() {
                    "voldaan"
                } else {
                    "openstaand"
                },
                nakoming,
                nagekomen_op,
            };
            emit(out, &t)?;
        }
    }
    Ok(seq)
}
