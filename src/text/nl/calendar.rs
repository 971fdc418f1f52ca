//! The Dutch catalogue of the messages of the calendar (terms, due phrases, calendar files); see
//! [`crate::text`].

/// English key, Dutch text.
pub(super) static NL: &[(&str, &str)] = &[
    // src/calendar/term.rs
    ("`{text}` is not a term", "`{text}` is geen termijn"),
    (
        "unknown unit `{unit}` in term `{text}`",
        "onbekende eenheid `{unit}` in termijn `{text}`",
    ),
    (
        "term `{text}` is empty: the count must be at least 1",
        "termijn `{text}` is leeg: het aantal moet ten minste 1 zijn",
    ),
    ("term `{text}` is too long", "termijn `{text}` is te lang"),
    (
        "write a term as a number and a unit: `5 werkdagen`, `14 dagen`, `10 weken`, `3 maanden`",
        "schrijf een termijn als een getal en een eenheid: `5 werkdagen`, `14 dagen`, `10 weken`, `3 maanden`",
    ),
    (
        "the units are werkdag(en), dag(en), week/weken, maand(en) and jaar; terms in hours are outside the Algemene termijnenwet",
        "de eenheden zijn werkdag(en), dag(en), week/weken, maand(en) en jaar; termijnen in uren vallen buiten de Algemene termijnenwet",
    ),
    (
        "a term counts at least one unit; for a deadline on a fixed day, write the date",
        "een termijn telt ten minste één eenheid; schrijf voor een uiterste datum op een vaste dag die datum zelf",
    ),
    (
        "a term counts at most 4294967295 units",
        "een termijn telt hoogstens 4294967295 eenheden",
    ),
    // src/calendar/phrase.rs
    (
        "unknown due phrase `{text}`",
        "onbekende termijnomschrijving `{text}`",
    ),
    (
        "no recess data for the {kind} of {year}",
        "geen gegevens over het {kind} van {year}",
    ),
    (
        "`{text}` is relative, but the date the commitment was made is unknown",
        "`{text}` is relatief, maar de datum waarop de toezegging is gedaan is onbekend",
    ),
    (
        "`{text}` is not a valid date: {reason}",
        "`{text}` is geen geldige datum: {reason}",
    ),
    (
        "write a term (`5 werkdagen`, `14 dagen`, `zes weken`, `3 maanden`), a date (`2020-06-05`) or a phrase: `voor het zomerreces 2020`, `eind 2020`, `medio 2020`, `Q3 2020`, `derde kwartaal 2020`, `juni 2020`, `najaar 2020`, `voor Prinsjesdag 2020`, `Verantwoordingsdag 2020`; a year may be `dit jaar` or `volgend jaar`",
        "schrijf een termijn (`5 werkdagen`, `14 dagen`, `zes weken`, `3 maanden`), een datum (`2020-06-05`) of een omschrijving: `voor het zomerreces 2020`, `eind 2020`, `medio 2020`, `Q3 2020`, `derde kwartaal 2020`, `juni 2020`, `najaar 2020`, `voor Prinsjesdag 2020`, `Verantwoordingsdag 2020`; een jaar mag ook `dit jaar` of `volgend jaar` zijn",
    ),
    (
        "add the recess with its source to a calendar file (`recesses: [{ name, year, start, end, source }]`), or write the due date itself",
        "voeg het reces met zijn bron toe aan een kalenderbestand (`recesses: [{ name, year, start, end, source }]`), of schrijf de uiterste datum zelf",
    ),
    (
        "give the date the commitment was made, or name the year (`eind 2020`)",
        "geef de datum waarop de toezegging is gedaan, of noem het jaar (`eind 2020`)",
    ),
    ("write dates as YYYY-MM-DD", "schrijf datums als JJJJ-MM-DD"),
    (
        "the year {year} is out of range",
        "het jaar {year} valt buiten het bereik",
    ),
    (
        "the {kind} {year} starts on the first representable day",
        "het {kind} {year} begint op de vroegst mogelijke datum",
    ),
    // src/calendar/recess.rs
    (
        "unknown recess `{name}` (expected voorjaarsreces, meireces, zomerreces, herfstreces or kerstreces)",
        "onbekend reces `{name}` (verwacht: voorjaarsreces, meireces, zomerreces, herfstreces of kerstreces)",
    ),
    // src/calendar/load.rs
    (
        "{origin}:{line}:{column}: {message}",
        "{origin}:{line}:{column}: {message}",
    ),
    (
        "{origin}: {count} problems in calendar file",
        "{origin}: {count} problemen in kalenderbestand",
    ),
    (
        "a calendar file has the keys `gelijkgesteld` and `recesses`; see the calendar documentation for the fields of each entry",
        "een kalenderbestand heeft de sleutels `gelijkgesteld` en `recesses`; zie de documentatie van de kalender voor de velden van elk item",
    ),
    (
        "remove one of the two entries, or make their dates agree",
        "verwijder een van de twee items, of maak hun datums gelijk",
    ),
    (
        "`{text}` is not a date of the form YYYY-MM-DD",
        "`{text}` is geen datum van de vorm JJJJ-MM-DD",
    ),
    (
        "invalid `{field}`: {reason}",
        "ongeldige waarde voor `{field}`: {reason}",
    ),
    (
        "write dates as YYYY-MM-DD, e.g. 2020-07-03",
        "schrijf datums als JJJJ-MM-DD, bijv. 2020-07-03",
    ),
    ("empty `source`", "lege `source`"),
    (
        "every calendar entry names where its dates come from: a URL or a citation",
        "elk item van een kalenderbestand noemt waar zijn datums vandaan komen: een URL of een bronvermelding",
    ),
    (
        "{recess} starts on {start}, which is not in {year}",
        "{recess} begint op {start}, en dat valt niet in {year}",
    ),
    (
        "`year` is the year in which the recess starts (a kerstreces belongs to the December it starts in)",
        "`year` is het jaar waarin het reces begint (een kerstreces hoort bij de december waarin het begint)",
    ),
    (
        "{kind} {year} ends on {end}, before it starts on {start}",
        "{kind} {year} eindigt op {end}, vóór de begindatum {start}",
    ),
    (
        "`end` is the last day of the recess, `start` the first",
        "`end` is de laatste dag van het reces, `start` de eerste",
    ),
    // src/calendar/mod.rs
    (
        "{kind} {year} is already known from {origin} as {known_dates}, not {dates}",
        "{kind} {year} is al bekend uit {origin} als {known_dates}, niet als {dates}",
    ),
    ("{start} to {end}", "{start} tot en met {end}"),
    ("from {start}", "vanaf {start}"),
    // src/calendar/due.rs
    (
        "`{phrase}` is read as `{means}` by the project ({reason}): {cause}",
        "`{phrase}` wordt door het project gelezen als `{means}` ({reason}): {cause}",
    ),
    // src/project/phrases.rs
    (
        "phrase `{phrase}` is declared twice (also as `{first}`)",
        "omschrijving `{phrase}` is twee keer opgegeven (ook als `{first}`)",
    ),
    (
        "keep one reading of each phrase",
        "houd één lezing per omschrijving",
    ),
    (
        "`{phrase}` is a term or a date, which naleving computes as the law has it: a project cannot read it otherwise",
        "`{phrase}` is een termijn of een datum, die naleving berekent zoals de wet dat doet: een project kan die niet anders lezen",
    ),
    (
        "declare readings of due phrases only (`voor de zomer`, `rond de jaarwisseling`)",
        "geef alleen lezingen van termijnomschrijvingen op (`voor de zomer`, `rond de jaarwisseling`)",
    ),
    (
        "phrase `{phrase}` means `{means}`, which the project reads otherwise itself: a reading cannot lead to another",
        "omschrijving `{phrase}` betekent `{means}`, die het project zelf anders leest: een lezing kan niet naar een andere lezing verwijzen",
    ),
    (
        "write what `{means}` is read as directly",
        "schrijf direct hoe `{means}` gelezen wordt",
    ),
    (
        "phrase `{phrase}` means `{means}`, which naleving cannot read: {cause}",
        "omschrijving `{phrase}` betekent `{means}`, die naleving niet kan lezen: {cause}",
    ),
    (
        "phrase `{phrase}` has an empty `reason`",
        "omschrijving `{phrase}` heeft een lege `reason`",
    ),
    (
        "say why the project reads the phrase so (the letter, decision or convention it follows): every deadline it decides shows it",
        "zeg waarom het project de omschrijving zo leest (de brief, het besluit of de afspraak die het volgt): elke termijn die ze bepaalt, toont dat",
    ),
    (
        "`means` is a due phrase naleving reads (`voor het zomerreces`, `eind dit jaar`, `Q3 2021`, `voor Prinsjesdag`) or a term (`drie maanden`)",
        "`means` is een termijnomschrijving die naleving leest (`voor het zomerreces`, `eind dit jaar`, `Q3 2021`, `voor Prinsjesdag`) of een termijn (`drie maanden`)",
    ),
    // src/engine/inputs.rs
    (
        "the built-in calendar is broken: {cause}",
        "de ingebouwde kalender is defect: {cause}",
    ),
];
