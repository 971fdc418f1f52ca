//! The Dutch catalogue of the host's messages: each English template (the
//! key, exactly as written in its `tr!`) with its Dutch text, naming the
//! same `{placeholders}`. Kept in the order of the source files; a test
//! checks it is complete and holds nothing unused. The messages of the
//! calendar and the plugin host are in the files beside this one.

mod calendar;
mod plugin;

/// Every entry: English key, Dutch text.
pub(super) fn entries() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    NL.iter().chain(calendar::NL).chain(plugin::NL)
}

/// English key, Dutch text.
static NL: &[(&str, &str)] = &[
    // src/problem.rs
    ("did you mean `{name}`?", "bedoelt u `{name}`?"),
    ("; did you mean `{name}`?", "; bedoelt u `{name}`?"),
    // src/check
    (
        "invalid CEL expression: {cause}",
        "ongeldige CEL-expressie: {cause}",
    ),
    (
        "see https://github.com/google/cel-spec/blob/master/doc/langdef.md",
        "zie https://github.com/google/cel-spec/blob/master/doc/langdef.md",
    ),
    ("the steps are: {steps}", "de stappen zijn: {steps}"),
    (
        "`steps` needs at least one step in `order`",
        "`steps` heeft ten minste één stap in `order` nodig",
    ),
    (
        "`needs` names `{step}`, which is not a step",
        "`needs` noemt `{step}`, dat geen stap is",
    ),
    (
        "`needs.{step}` names `{other}`, which is not a step",
        "`needs.{step}` noemt `{other}`, dat geen stap is",
    ),
    (
        "`{what}` names `{step}`, which is not a step{hint}",
        "`{what}` noemt `{step}`, dat geen stap is{hint}",
    ),
    (
        "a deadline needs `start`, `end` and either `term` or `due`",
        "een termijn heeft `start`, `end` en `term` of `due` nodig",
    ),
    ("invalid term: {cause}", "ongeldige termijn: {cause}"),
    (
        "write a term as `5 werkdagen`, `14 dagen`, `10 weken` or `3 maanden`",
        "schrijf een termijn als `5 werkdagen`, `14 dagen`, `10 weken` of `3 maanden`",
    ),
    (
        "`term` and `due` exclude each other",
        "`term` en `due` sluiten elkaar uit",
    ),
    (
        "the deadline has no `term` and no `due`",
        "de termijn heeft geen `term` en geen `due`",
    ),
    (
        "`unique` needs a non-empty list of field names",
        "`unique` heeft een niet-lege lijst veldnamen nodig",
    ),
    (
        "`required` needs a non-empty list of field names",
        "`required` heeft een niet-lege lijst veldnamen nodig",
    ),
    (
        "`params` of a plugin check must be a mapping",
        "`params` van een plugincontrole moet een mapping zijn",
    ),
    (
        "`let` name `{name}` is reserved or not an identifier",
        "`let`-naam `{name}` is gereserveerd of geen geldige naam",
    ),
    (
        "use lower-case letters, digits and `_`",
        "gebruik kleine letters, cijfers en `_`",
    ),
    // src/rule/load.rs, src/strict.rs, src/waiver.rs, src/test_runner.rs, src/problem.rs
    (
        "did you mean `{name}`? {rest}",
        "bedoelt u `{name}`? {rest}",
    ),
    (
        "the project declares: {collections}",
        "het project declareert: {collections}",
    ),
    (
        "the schema of `{collection}` declares: {fields}",
        "het schema van `{collection}` declareert: {fields}",
    ),
    ("expected one of: {keys}", "verwacht een van: {keys}"),
    ("unknown key `{key}`", "onbekende sleutel `{key}`"),
    (
        "unknown key `{key}` in `{within}`",
        "onbekende sleutel `{key}` in `{within}`",
    ),
    (
        "the waiver for rule `{rule}` on record `{record}` expired on {expires}; its findings count again",
        "de uitzondering voor regel `{rule}` op record `{record}` is op {expires} verlopen; de bevindingen tellen weer mee",
    ),
    (
        "fix the record, or renew the waiver with a later `expires` and a new approval",
        "herstel het record, of verleng de uitzondering met een latere `expires` en een nieuwe goedkeuring",
    ),
    (
        "remove the waiver: the record no longer breaks the rule (or its key is misspelt)",
        "verwijder de uitzondering: het record overtreedt de regel niet meer (of de sleutel is verkeerd gespeld)",
    ),
    (
        "no rule has this id; {suggestion}",
        "geen regel heeft dit id; {suggestion}",
    ),
    (
        "no rule has this id: is it misspelt?",
        "geen regel heeft dit id: is het verkeerd gespeld?",
    ),
    (
        "the waiver for rule `{rule}` on record `{record}` matches no finding",
        "de uitzondering voor regel `{rule}` op record `{record}` past op geen bevinding",
    ),
    // src/read.rs, src/rule/load.rs
    (
        "not a regular file (a pipe, device or socket)",
        "geen gewoon bestand (een pipe, apparaat of socket)",
    ),
    ("invalid UTF-8", "ongeldige UTF-8"),
    (
        "larger than {kib} KiB, the limit for this file",
        "groter dan {kib} KiB, de grens voor dit bestand",
    ),
    (
        "rule `{id}` has no `basis`",
        "regel `{id}` heeft geen `basis`",
    ),
    (
        "cite the law or policy the rule rests on: `basis: [{ citation: \"…\", url: \"https://wetten.overheid.nl/…\" }]`",
        "noem de wet of het beleid waarop de regel rust: `basis: [{ citation: \"…\", url: \"https://wetten.overheid.nl/…\" }]`",
    ),
    ("rule has an empty title", "regel heeft een lege titel"),
    (
        "the rule reads `collections.{other}`, which the project does not declare",
        "de regel leest `collections.{other}`, die het project niet declareert",
    ),
    (
        "the check reads collection `{other}`, which the project does not declare",
        "de controle leest collectie `{other}`, die het project niet declareert",
    ),
    (
        "rule id `{id}` is not kebab-case",
        "regel-id `{id}` is niet in kebab-case",
    ),
    (
        "use lower-case words joined by hyphens, naming the condition flagged",
        "gebruik woorden in kleine letters met koppeltekens, die de gemelde toestand noemen",
    ),
    (
        "rule id `{id}` does not match the file name `{stem}`",
        "regel-id `{id}` komt niet overeen met de bestandsnaam `{stem}`",
    ),
    (
        "rename the file to `{id}.yaml` or change the id",
        "hernoem het bestand naar `{id}.yaml` of wijzig het id",
    ),
    (
        "rule id `{id}` is also used by {file}",
        "regel-id `{id}` wordt ook gebruikt door {file}",
    ),
    (
        "rule ids must be unique across the rule set",
        "regel-id's moeten uniek zijn in de hele regelset",
    ),
    (
        "rule judges collection `{name}`, which the project does not declare",
        "regel beoordeelt collectie `{name}`, die het project niet declareert",
    ),
    (
        "the rule reads `{field}` (in `{place}`), which collection `{collection}` does not have",
        "de regel leest `{field}` (in `{place}`), dat collectie `{collection}` niet heeft",
    ),
    (
        "`valid.{name}` is not an ISO date",
        "`valid.{name}` is geen ISO-datum",
    ),
    (
        "write the date as YYYY-MM-DD",
        "schrijf de datum als JJJJ-MM-DD",
    ),
    (
        "`valid.until` lies before `valid.from`",
        "`valid.until` ligt vóór `valid.from`",
    ),
    (
        "cannot read test file: {cause}",
        "kan het testbestand niet lezen: {cause}",
    ),
    ("cannot read: {cause}", "kan niet lezen: {cause}"),
    // src/expr/mod.rs
    (
        "the expression has {operators} operators; at most {max} can be read safely (split it over `let`s or rules)",
        "de expressie heeft {operators} operatoren; er kunnen er hoogstens {max} veilig gelezen worden (verdeel haar over `let`s of regels)",
    ),
    ("invalid expression", "ongeldige expressie"),
    ("{message}; {hint}", "{message}; {hint}"),
    (
        "the expression nests {depth} levels deep; at most {max} can be evaluated (split it over `let`s or rules)",
        "de expressie is {depth} niveaus diep genest; hoogstens {max} kunnen geëvalueerd worden (verdeel haar over `let`s of regels)",
    ),
    (
        "the pattern of `matches()` is not a regular expression: {cause}",
        "het patroon van `matches()` is geen reguliere expressie: {cause}",
    ),
    (
        "`{name}` is not available: dates are ISO strings in naleving (`date(s)` reads one, `add_term(d, '5 werkdagen')` adds a term, `workdays_between(a, b)` counts working days)",
        "`{name}` bestaat niet: datums zijn ISO-teksten in naleving (`date(s)` leest er een, `add_term(d, '5 werkdagen')` telt een termijn op, `workdays_between(a, b)` telt werkdagen)",
    ),
    (
        "unknown function `{name}`{hint}",
        "onbekende functie `{name}`{hint}",
    ),
    (
        "`{name}` is used outside the macro that binds it (a variable of `all`, `exists`, `map` or `filter` exists inside its parentheses only)",
        "`{name}` wordt gebruikt buiten de macro die hem bindt (een variabele van `all`, `exists`, `map` of `filter` bestaat alleen binnen de haakjes daarvan)",
    ),
    (
        "unknown variable `{name}` ({suggestion}); this expression can use {known}",
        "onbekende variabele `{name}` ({suggestion}); deze expressie kan {known} gebruiken",
    ),
    (
        "unknown variable `{name}`; this expression can use {known}",
        "onbekende variabele `{name}`; deze expressie kan {known} gebruiken",
    ),
    (
        "backtick-quoted names are not supported; write a field with spaces as `record[\"datum van melding\"]`",
        "namen tussen backticks worden niet ondersteund; schrijf een veld met spaties als `record[\"datum van melding\"]`",
    ),
    (
        "{literal}: an escape in it is not valid (`\\u` and `\\U` need a Unicode scalar value, not a surrogate)",
        "{literal}: een escape erin is ongeldig (`\\u` en `\\U` hebben een Unicode-scalaire waarde nodig, geen surrogaat)",
    ),
    // src/expr/mod.rs (operator hints)
    (
        "did you mean `&&`? CEL writes `and` as `&&`",
        "bedoelt u `&&`? CEL schrijft `and` als `&&`",
    ),
    (
        "did you mean `||`? CEL writes `or` as `||`",
        "bedoelt u `||`? CEL schrijft `or` als `||`",
    ),
    (
        "did you mean `!`? CEL writes `not` as `!`",
        "bedoelt u `!`? CEL schrijft `not` als `!`",
    ),
    (
        "did you mean `==`? CEL compares with `==`",
        "bedoelt u `==`? CEL vergelijkt met `==`",
    ),
    // src/table_schema.rs
    (
        "field `{field}`: format {format} is not a strftime pattern of a {kind} (e.g. \"%d-%m-%Y\")",
        "veld `{field}`: formaat {format} is geen strftime-patroon van een {kind} (bijv. \"%d-%m-%Y\")",
    ),
    (
        "field `{field}` is declared twice",
        "veld `{field}` is twee keer gedeclareerd",
    ),
    (
        "`{name}` is not a field of the schema{hint}",
        "`{name}` is geen veld van het schema{hint}",
    ),
    ("`{name}` is not {expected}", "`{name}` is geen {expected}"),
    (
        "`{name}` is not one of {allowed}",
        "`{name}` is niet een van {allowed}",
    ),
    (
        "required field `{name}` is missing",
        "verplicht veld `{name}` ontbreekt",
    ),
    (
        "required field `{name}` is empty",
        "verplicht veld `{name}` is leeg",
    ),
    ("a date written {format}", "datum geschreven als {format}"),
    (
        "a date written YYYY-MM-DD",
        "datum geschreven als JJJJ-MM-DD",
    ),
    (
        "a date and time written {format}",
        "datum en tijd geschreven als {format}",
    ),
    ("an ISO date and time", "ISO-datum en -tijd"),
    ("a whole number", "geheel getal"),
    ("a string", "tekst"),
    ("a number", "getal"),
    ("a boolean", "booleaanse waarde"),
    ("an object", "object"),
    ("an array", "lijst"),
    ("any value", "willekeurige waarde"),
    (
        "the schema's primaryKey `{primary}` is not the collection's key `{key}`",
        "de primaryKey `{primary}` van het schema is niet de sleutel `{key}` van de collectie",
    ),
    // src/data/mod.rs, src/test_runner.rs, src/engine
    (
        "record `{key}`: {fault} (cell {cell})",
        "record `{key}`: {fault} (cel {cell})",
    ),
    ("record `{key}`: {fault}", "record `{key}`: {fault}"),
    (
        "check the name against the data",
        "controleer de naam aan de hand van de gegevens",
    ),
    (
        "rule `{rule}` reads `{field}` (in `{place}`), which no record of `{collection}` has",
        "regel `{rule}` leest `{field}` (in `{place}`), dat geen record van `{collection}` heeft",
    ),
    ("rule `{rule}`: {problem}", "regel `{rule}`: {problem}"),
    // src/data/parquet.rs, src/data/sheet.rs (names)
    (
        "the file's schema has no column `{key}`, the collection's key{hint}",
        "het schema van het bestand heeft geen kolom `{key}`, de sleutel van de collectie{hint}",
    ),
    ("its columns: {columns}", "de kolommen: {columns}"),
    (
        "the workbook has no sheet `{sheet}`{hint}",
        "de werkmap heeft geen blad `{sheet}`{hint}",
    ),
    ("its sheets: {sheets}", "de bladen: {sheets}"),
    // src/project.rs
    (
        "a range is two cells, the top left and the bottom right, e.g. `A1:F200`",
        "een bereik is twee cellen, linksboven en rechtsonder, bijv. `A1:F200`",
    ),
    (
        "`{range}` names a sheet: name it with `sheet:`, and write the range as e.g. `A1:F200`",
        "`{range}` noemt een blad: noem dat met `sheet:` en schrijf het bereik als bijv. `A1:F200`",
    ),
    (
        "`{range}` is no cell range: {usage}",
        "`{range}` is geen celbereik: {usage}",
    ),
    (
        "`{range}` ends above or left of where it starts: {usage}",
        "`{range}` eindigt boven of links van waar het begint: {usage}",
    ),
    (
        "cannot read the project file: {cause}",
        "kan het projectbestand niet lezen: {cause}",
    ),
    (
        "run naleving in a directory with a naleving.yaml, or pass --project FILE",
        "start naleving in een map met een naleving.yaml, of geef --project BESTAND",
    ),
    (
        "rule path {path} does not exist",
        "regelpad {path} bestaat niet",
    ),
    (
        "calendar file {path} does not exist",
        "kalenderbestand {path} bestaat niet",
    ),
    (
        "`plugin_cache` is ignored: a project file cannot choose where compiled plugins are cached",
        "`plugin_cache` wordt genegeerd: een projectbestand kan niet kiezen waar gecompileerde plugins bewaard worden",
    ),
    (
        "a repository being checked is untrusted input; set NALEVING_CACHE_DIR instead",
        "een repository die gecontroleerd wordt is onbetrouwbare invoer; zet in plaats daarvan NALEVING_CACHE_DIR",
    ),
    (
        "`as_of` is not an ISO date: {value}",
        "`as_of` is geen ISO-datum: {value}",
    ),
    ("unknown calendar {name}", "onbekende kalender {name}"),
    (
        "the built-in calendar is `nl`",
        "de ingebouwde kalender is `nl`",
    ),
    (
        "the project declares no collections",
        "het project declareert geen collecties",
    ),
    (
        "add `collections: { name: { path: data.jsonl, key: id } }`",
        "voeg `collections: { naam: { path: data.jsonl, key: id } }` toe",
    ),
    (
        "collection `{name}` has an empty key",
        "collectie `{name}` heeft een lege sleutel",
    ),
    (
        "collection `{name}`: `{option}` applies to a spreadsheet path (.xlsx, .xlsm, .xlsb, .xls, .ods) only",
        "collectie `{name}`: `{option}` geldt alleen voor een spreadsheet (.xlsx, .xlsm, .xlsb, .xls, .ods)",
    ),
    (
        "collection `{name}`: `header_row` counts from 1",
        "collectie `{name}`: `header_row` telt vanaf 1",
    ),
    (
        "collection `{name}`: {cause}",
        "collectie `{name}`: {cause}",
    ),
    (
        "collection `{name}`: `header_row` {row} is outside the range `{range}` (rows {top} to {bottom})",
        "collectie `{name}`: `header_row` {row} ligt buiten het bereik `{range}` (rijen {top} tot en met {bottom})",
    ),
    (
        "leave `header_row` out: the header is the range's first row",
        "laat `header_row` weg: de kop is de eerste rij van het bereik",
    ),
    (
        "cannot read schema file {file}: {cause}",
        "kan schemabestand {file} niet lezen: {cause}",
    ),
    (
        "plugin `{name}`: `sha256` is not 64 hex digits",
        "plugin `{name}`: `sha256` is geen 64 hexadecimale cijfers",
    ),
    (
        "pin the plugin with the output of `sha256sum <file>.wasm`",
        "leg de plugin vast met de uitvoer van `sha256sum <bestand>.wasm`",
    ),
    (
        "plugin `{name}`: `limits.{limit}` is 0; no batch could run",
        "plugin `{name}`: `limits.{limit}` is 0; geen enkele batch zou kunnen draaien",
    ),
    (
        "leave the limit out for its default, or give a positive number",
        "laat de grens weg voor de standaardwaarde, of geef een positief getal",
    ),
    // src/data/mod.rs, src/data/field.rs
    ("not a finite number", "geen eindig getal"),
    (
        "too large to keep exactly; write the key as a string",
        "te groot om exact te bewaren; schrijf de sleutel als tekst",
    ),
    (
        "check the collection's `path` in the project file",
        "controleer het `path` van de collectie in het projectbestand",
    ),
    (
        "invalid glob {glob}: {cause}",
        "ongeldig patroon {glob}: {cause}",
    ),
    (
        "no data files match {glob}",
        "geen gegevensbestanden passen op {glob}",
    ),
    (
        "not a regular file (a pipe, device or socket): not read",
        "geen gewoon bestand (een pipe, apparaat of socket): niet gelezen",
    ),
    (
        "no data files in directory {path}",
        "geen gegevensbestanden in map {path}",
    ),
    (
        "{path} is not a data file (.yaml, .yml, .json, .jsonl, .csv, .parquet, .xlsx, .xlsm, .xlsb, .xls, .ods)",
        "{path} is geen gegevensbestand (.yaml, .yml, .json, .jsonl, .csv, .parquet, .xlsx, .xlsm, .xlsb, .xls, .ods)",
    ),
    (
        "data file {path} does not exist",
        "gegevensbestand {path} bestaat niet",
    ),
    (
        "a record must be an object, found {kind}",
        "een record moet een object zijn, gevonden: {kind}",
    ),
    (
        "the key `{key}` is a number {cause}",
        "de sleutel `{key}` is een getal {cause}",
    ),
    (
        "the key `{key}` is {kind}; a key is a non-empty string or a number",
        "de sleutel `{key}` is een {kind}; een sleutel is een niet-lege tekst of een getal",
    ),
    (
        "record has no `{key}` (the key of collection `{collection}`)",
        "record heeft geen `{key}` (de sleutel van collectie `{collection}`)",
    ),
    (
        "every record needs a non-empty string or number key",
        "elk record heeft een niet-lege tekst of een getal als sleutel nodig",
    ),
    (
        "duplicate key `{key}` in collection `{collection}`; first at {place}",
        "dubbele sleutel `{key}` in collectie `{collection}`; eerst op {place}",
    ),
    (
        "`{key}` must identify one record; the duplicate is not checked",
        "`{key}` moet één record aanwijzen; het dubbele record wordt niet gecontroleerd",
    ),
    (
        "record of `{collection}`: {problem}",
        "record van `{collection}`: {problem}",
    ),
    (
        "every record needs a non-empty string or number key; the record is not checked",
        "elk record heeft een niet-lege tekst of een getal als sleutel nodig; het record wordt niet gecontroleerd",
    ),
    ("null", "null"),
    ("a list", "lijst"),
    (
        "cannot read data file: {cause}",
        "kan gegevensbestand niet lezen: {cause}",
    ),
    ("data file is empty", "gegevensbestand is leeg"),
    (
        "an intentionally empty collection is `[]` in a .json or .yaml file",
        "een bewust lege collectie is `[]` in een .json- of .yaml-bestand",
    ),
    // src/data/sheet.rs
    (
        "cell {cell} lies beyond the last column a sheet can have (XFD)",
        "cel {cell} ligt voorbij de laatste kolom die een blad kan hebben (XFD)",
    ),
    (
        "the sheet's cells are out of order (row {row} after row {before})",
        "de cellen van het blad staan niet op volgorde (rij {row} na rij {before})",
    ),
    (
        "this kind of workbook is not read cell by cell",
        "dit soort werkmap wordt niet cel voor cel gelezen",
    ),
    (
        "cannot read the workbook: {cause}",
        "kan de werkmap niet lezen: {cause}",
    ),
    (
        "a workbook protected by a password, or damaged, cannot be read: save an unprotected copy",
        "een werkmap met een wachtwoord, of een beschadigde, kan niet gelezen worden: sla een onbeveiligde kopie op",
    ),
    ("the workbook has no sheets", "de werkmap heeft geen bladen"),
    (
        "cannot read sheet `{sheet}`: {cause}",
        "kan blad `{sheet}` niet lezen: {cause}",
    ),
    (
        "sheet `{sheet}` has no header in row {row}",
        "blad `{sheet}` heeft geen kop in rij {row}",
    ),
    (
        "set `header_row:` in the collection to the row that names the columns",
        "zet `header_row:` in de collectie op de rij die de kolommen een naam geeft",
    ),
    (
        "sheet `{sheet}` has {rows} rows of {width} columns; at most {max} cells are read",
        "blad `{sheet}` heeft {rows} rijen van {width} kolommen; hoogstens {max} cellen worden gelezen",
    ),
    (
        "save it as .xlsx, which is read a row at a time, or export it as CSV",
        "sla het op als .xlsx, dat rij voor rij gelezen wordt, of exporteer het als CSV",
    ),
    (
        "header cell {cell} repeats the name `{name}`: its column is not read",
        "kopcel {cell} herhaalt de naam `{name}`: die kolom wordt niet gelezen",
    ),
    ("cell {cell} {cause}", "cel {cell} {cause}"),
    (
        "fix the formula or the value in the workbook; the field is left out",
        "herstel de formule of de waarde in de werkmap; het veld wordt weggelaten",
    ),
    (
        "header cell {cell} is empty (a merged cell?): its column is not read",
        "kopcel {cell} is leeg (een samengevoegde cel?): die kolom wordt niet gelezen",
    ),
    (
        "give every column with values a name in the header row",
        "geef elke kolom met waarden een naam in de koprij",
    ),
    (
        "cannot read sheet `{sheet}` to the end: {cause}",
        "kan blad `{sheet}` niet tot het einde lezen: {cause}",
    ),
    (
        "the records before the fault are checked; save the workbook again",
        "de records vóór de fout worden gecontroleerd; sla de werkmap opnieuw op",
    ),
    (
        "sheet `{sheet}` has no records below its header",
        "blad `{sheet}` heeft geen records onder de kop",
    ),
    (
        "holds {value}, not a number JSON can hold",
        "bevat {value}, geen getal dat JSON kan bevatten",
    ),
    (
        "holds the date serial {serial}, which is no date",
        "bevat het datumserienummer {serial}, dat geen datum is",
    ),
    (
        "holds the error value {error}",
        "bevat de foutwaarde {error}",
    ),
    // src/data/parquet.rs, csv.rs, jsonl.rs, json.rs
    (
        "not a readable Parquet file: {cause}",
        "geen leesbaar Parquet-bestand: {cause}",
    ),
    (
        "a truncated or damaged file: write it again",
        "een afgebroken of beschadigd bestand: schrijf het opnieuw",
    ),
    (
        "cannot select the columns read: {cause}",
        "kan de te lezen kolommen niet kiezen: {cause}",
    ),
    (
        "cannot read the rows: {cause}",
        "kan de rijen niet lezen: {cause}",
    ),
    (
        "cannot read row {row}: {cause}; the rest of the file is not read",
        "kan rij {row} niet lezen: {cause}; de rest van het bestand wordt niet gelezen",
    ),
    ("data file has no rows", "gegevensbestand heeft geen rijen"),
    (
        "invalid UTF-8 in the header row",
        "ongeldige UTF-8 in de koprij",
    ),
    (
        "data file is empty (no header row)",
        "gegevensbestand is leeg (geen koprij)",
    ),
    (
        "cannot read the header row: {cause}",
        "kan de koprij niet lezen: {cause}",
    ),
    (
        "the header row has {columns} columns; at most {max} (a spreadsheet's width) are read",
        "de koprij heeft {columns} kolommen; hoogstens {max} (de breedte van een spreadsheet) worden gelezen",
    ),
    (
        "row longer than {mib} MiB: it and the rest of the file are not read",
        "rij langer dan {mib} MiB: die en de rest van het bestand worden niet gelezen",
    ),
    (
        "row has {len} fields, the header has {expected}",
        "rij heeft {len} velden, de kop heeft er {expected}",
    ),
    (
        "invalid UTF-8 in column `{name}` (field {field})",
        "ongeldige UTF-8 in kolom `{name}` (veld {field})",
    ),
    (
        "line longer than {mib} MiB: not read",
        "regel langer dan {mib} MiB: niet gelezen",
    ),
    ("cannot read line: {cause}", "kan regel niet lezen: {cause}"),
    (
        "a .json data file must be an array of objects",
        "een .json-gegevensbestand moet een lijst (array) van objecten zijn",
    ),
    // src/waiver.rs, src/baseline.rs, src/rule/load.rs (files)
    (
        "cannot read the waivers file {path}: {cause}",
        "kan het uitzonderingenbestand {path} niet lezen: {cause}",
    ),
    (
        "the path is relative to the project file",
        "het pad is relatief aan het projectbestand",
    ),
    (
        "a waivers file is a list of `{ rule, record, reason, approved_by, expires }`",
        "een uitzonderingenbestand is een lijst van `{ rule, record, reason, approved_by, expires }`",
    ),
    ("waiver without `{name}`", "uitzondering zonder `{name}`"),
    (
        "a waiver needs rule, record, reason and approved_by; expires is optional",
        "een uitzondering heeft rule, record, reason en approved_by nodig; expires is optioneel",
    ),
    (
        "`expires` is not an ISO date: {value}",
        "`expires` is geen ISO-datum: {value}",
    ),
    (
        "write the last day the waiver holds as YYYY-MM-DD",
        "schrijf de laatste dag waarop de uitzondering geldt als JJJJ-MM-DD",
    ),
    (
        "cannot read the baseline: {cause}",
        "kan de baseline niet lezen: {cause}",
    ),
    (
        "write one with `naleving baseline write FILE`",
        "schrijf er een met `naleving baseline write BESTAND`",
    ),
    (
        "a baseline is written by `naleving baseline write FILE`; do not edit it by hand",
        "een baseline wordt geschreven door `naleving baseline write BESTAND`; bewerk haar niet met de hand",
    ),
    (
        "baseline version {version} is not supported (this naleving reads version {supported})",
        "baselineversie {version} wordt niet ondersteund (deze naleving leest versie {supported})",
    ),
    (
        "write the baseline again with this naleving",
        "schrijf de baseline opnieuw met deze naleving",
    ),
    (
        "no rule files in this directory",
        "geen regelbestanden in deze map",
    ),
    (
        "rule files are `<id>.yaml` files, in this directory or below it",
        "regelbestanden zijn `<id>.yaml`-bestanden, in deze map of daaronder",
    ),
    ("rule path does not exist", "regelpad bestaat niet"),
    (
        "cannot read rule file: {cause}",
        "kan regelbestand niet lezen: {cause}",
    ),
    (
        "a rule holds no data: keep long lists in a collection and look them up with a `reference` check",
        "een regel bevat geen gegevens: houd lange lijsten in een collectie en zoek ze op met een `reference`-controle",
    ),
    // src/problem.rs (YAML)
    (
        "duplicate key `{key}`: a key may appear once",
        "dubbele sleutel `{key}`: een sleutel mag één keer voorkomen",
    ),
    (
        "duplicate key: a key may appear once",
        "dubbele sleutel: een sleutel mag één keer voorkomen",
    ),
    (
        "a text is needed here, not an empty value (null)",
        "hier is een tekst nodig, geen lege waarde (null)",
    ),
    (
        "the YAML nests too deeply ({depth} levels); refused",
        "de YAML is te diep genest ({depth} niveaus); geweigerd",
    ),
    (
        "the YAML uses too many aliases or anchors (an alias bomb?); refused",
        "de YAML gebruikt te veel aliassen of ankers (een aliasbom?); geweigerd",
    ),
    (
        "the file has too many YAML documents ({documents}); refused",
        "het bestand heeft te veel YAML-documenten ({documents}); geweigerd",
    ),
    (
        "the YAML is too large to read safely (too many values); refused",
        "de YAML is te groot om veilig te lezen (te veel waarden); geweigerd",
    ),
    // src/engine
    (
        "rule `{rule}` uses plugin `{name}`, which the project does not declare",
        "regel `{rule}` gebruikt plugin `{name}`, die het project niet declareert",
    ),
    (
        "pin it in the project file: `plugins: { name: { path, sha256 } }`",
        "leg hem vast in het projectbestand: `plugins: { naam: { path, sha256 } }`",
    ),
    (
        "cannot read calendar file: {cause}",
        "kan kalenderbestand niet lezen: {cause}",
    ),
    (
        "rule `{rule}` crashed: {cause}",
        "regel `{rule}` is vastgelopen: {cause}",
    ),
    (
        "this is a bug in naleving; the other rules still ran",
        "dit is een fout in naleving; de andere regels zijn wel uitgevoerd",
    ),
    (
        "guard optional fields with `has(record.field)`, or declare them `required` in the collection's schema so a missing one is reported where the data is",
        "bescherm optionele velden met `has(record.veld)`, of declareer ze `required` in het schema van de collectie, zodat een ontbrekend veld gemeld wordt waar de gegevens staan",
    ),
    (
        "write dates as YYYY-MM-DD, or declare the field `type: date` with its `format` in the collection's schema",
        "schrijf datums als JJJJ-MM-DD, of declareer het veld `type: date` met zijn `format` in het schema van de collectie",
    ),
    (
        "declare the field's `type` in the collection's schema: a value that does not fit is then reported at load and left out of comparisons",
        "declareer het `type` van het veld in het schema van de collectie: een waarde die niet past wordt dan bij het inlezen gemeld en buiten vergelijkingen gehouden",
    ),
    (
        "walk fewer elements: narrow a list with `filter` on a key before nesting `exists` or `all`, or split the rule; a `reference` check looks keys up without walking",
        "doorloop minder elementen: beperk een lijst met `filter` op een sleutel voordat u `exists` of `all` nest, of splits de regel; een `reference`-controle zoekt sleutels op zonder alles te doorlopen",
    ),
    (
        "the rule's expression failed on these records: see the cause",
        "de expressie van de regel faalde op deze records: zie de oorzaak",
    ),
    ("record `{key}`", "record `{key}`"),
    (
        "{count} records ({keys} and {more} more)",
        "{count} records ({keys} en nog {more})",
    ),
    ("{count} records ({keys})", "{count} records ({keys})"),
    (
        "rule `{rule}` could not judge {records}: {cause}",
        "regel `{rule}` kon {records} niet beoordelen: {cause}",
    ),
    (
        "the project selects no rule: its `rules` name no rule file",
        "het project kiest geen regel: zijn `rules` noemen geen regelbestand",
    ),
    (
        "`rules: [rules]` names a directory of `<id>.yaml` rule files",
        "`rules: [rules]` noemt een map met `<id>.yaml`-regelbestanden",
    ),
    (
        "`when` was false for {count}",
        "`when` was onwaar voor {count}",
    ),
    (
        "{count} lie outside its validity window",
        "{count} vallen buiten de geldigheidsperiode",
    ),
    ("{first}, {second}", "{first}, {second}"),
    (
        "rule `{rule}` judged none of the 1 record of `{collection}`: {why}",
        "regel `{rule}` beoordeelde het ene record van `{collection}` niet: {why}",
    ),
    (
        "rule `{rule}` judged none of the {count} records of `{collection}`: {why}",
        "regel `{rule}` beoordeelde geen van de {count} records van `{collection}`: {why}",
    ),
    (
        "check the `when` and `valid` of the rule against the data: a misspelt field or value excludes every record",
        "controleer `when` en `valid` van de regel aan de hand van de gegevens: een verkeerd gespeld veld of verkeerd gespelde waarde sluit elk record uit",
    ),
    // src/cli.rs, src/cli/output.rs
    (
        "only one format can go to standard output; give the others a file, e.g. `--format sarif=naleving.sarif`",
        "er kan maar één formaat naar de standaarduitvoer; geef de andere een bestand, bijv. `--format sarif=naleving.sarif`",
    ),
    (
        "--output has no format to write: every --format names its own file",
        "--output heeft geen formaat om te schrijven: elke --format noemt een eigen bestand",
    ),
    (
        "an Excel workbook is not written to standard output: name its file, e.g. `--format xlsx=bevindingen.xlsx`",
        "een Excel-werkmap wordt niet naar de standaarduitvoer geschreven: noem het bestand, bijv. `--format xlsx=bevindingen.xlsx`",
    ),
    ("the baseline", "de baseline"),
    ("the project file", "het projectbestand"),
    ("the rule file of `{rule}`", "het regelbestand van `{rule}`"),
    ("a waivers file", "een uitzonderingenbestand"),
    ("a calendar file", "een kalenderbestand"),
    ("plugin `{name}`", "plugin `{name}`"),
    (
        "a data file of `{collection}`",
        "een gegevensbestand van `{collection}`",
    ),
    (
        "{file} is {what}: a report would overwrite it",
        "{file} is {what}: een rapport zou het overschrijven",
    ),
    (
        "{file} is named for two reports: the last would overwrite the first",
        "{file} is voor twee rapporten genoemd: het laatste zou het eerste overschrijven",
    ),
    (
        "{problem}; nothing was written",
        "{problem}; er is niets geschreven",
    ),
    ("wrote {files}", "geschreven: {files}"),
    ("no rule with id `{id}`", "geen regel met id `{id}`"),
    (
        "no collection named `{name}`",
        "geen collectie met de naam `{name}`",
    ),
    (
        "--group-by `{name}`: no record has that field",
        "--group-by `{name}`: geen record heeft dat veld",
    ),
    (
        "name a field of the records, e.g. `--group-by regio`",
        "noem een veld van de records, bijv. `--group-by regio`",
    ),
    (
        "{problem}; the baseline was not written",
        "{problem}; de baseline is niet geschreven",
    ),
    (
        "the baseline was not written: the check could not be completed",
        "de baseline is niet geschreven: de controle kon niet worden voltooid",
    ),
    (
        "cannot write the baseline {file}: {cause}",
        "kan de baseline {file} niet schrijven: {cause}",
    ),
    (
        "wrote {count} findings to {file} (as of {as_of}); {waived} waived findings left out",
        "{count} bevindingen naar {file} geschreven (peildatum {as_of}); {waived} geaccepteerde bevindingen weggelaten",
    ),
    (
        "wrote {count} findings to {file} (as of {as_of})",
        "{count} bevindingen naar {file} geschreven (peildatum {as_of})",
    ),
    // unjudged causes (src/check, src/engine/judge.rs)
    (
        "`{field}` is missing or not a date, so the record has no period",
        "`{field}` ontbreekt of is geen datum, dus het record heeft geen periode",
    ),
    (
        "`let {name}` failed for group {group}: {cause}",
        "`let {name}` faalde voor groep {group}: {cause}",
    ),
    (
        "`expr` gave {kind} for group {group}, not a boolean",
        "`expr` gaf {kind} voor groep {group}, geen booleaanse waarde",
    ),
    (
        "`expr` failed for group {group}: {cause}",
        "`expr` faalde voor groep {group}: {cause}",
    ),
    ("`{field}` is not a date", "`{field}` is geen datum"),
    ("`skip_when.{step}`: {cause}", "`skip_when.{step}`: {cause}"),
    (
        "start field `{field}` is missing or not a date",
        "beginveld `{field}` ontbreekt of is geen datum",
    ),
    (
        "due field `{field}` is missing or not text",
        "termijnveld `{field}` ontbreekt of is geen tekst",
    ),
    (
        "end field `{field}` is not a date",
        "eindveld `{field}` is geen datum",
    ),
    ("`when` failed: {cause}", "`when` faalde: {cause}"),
    // src/cli/verify.rs, src/engine/manifest.rs
    (
        "cannot read the report: {cause}",
        "kan het rapport niet lezen: {cause}",
    ),
    (
        "is not a JSON report ({cause}); --verify takes the file of `--format json=FILE`",
        "is geen JSON-rapport ({cause}); --verify neemt het bestand van `--format json=BESTAND`",
    ),
    (
        "has no `manifest`: it is not a naleving JSON report, or one written before reports recorded their inputs",
        "heeft geen `manifest`: het is geen JSON-rapport van naleving, of een van vóór de tijd dat rapporten hun invoer vastlegden",
    ),
    (
        "its as_of {value} is not a date",
        "de as_of {value} is geen datum",
    ),
    (
        "verified: {report} is what these inputs give, byte for byte ({count} inputs, run digest {digest})",
        "geverifieerd: {report} is wat deze invoer geeft, byte voor byte ({count} invoerbestanden, digest van de run {digest})",
    ),
    (
        "not verified: rerunning the check does not give {report}",
        "niet geverifieerd: de controle opnieuw uitvoeren geeft niet {report}",
    ),
    (
        "  the inputs are the same (run digest {digest}), yet the report differs: that is a fault in naleving, please report it",
        "  de invoer is dezelfde (digest van de run {digest}), maar het rapport verschilt: dat is een fout in naleving, meld die alstublieft",
    ),
    (
        "  what changed since the report:",
        "  wat sinds het rapport veranderde:",
    ),
    ("    {change}", "    {change}"),
    (
        "  the findings are the same (by fingerprint); the rest of the report differs",
        "  de bevindingen zijn dezelfde (op vingerafdruk); de rest van het rapport verschilt",
    ),
    ("  1 finding new:", "  1 bevinding nieuw:"),
    ("  {count} findings new:", "  {count} bevindingen nieuw:"),
    ("  1 finding gone:", "  1 bevinding verdwenen:"),
    (
        "  {count} findings gone:",
        "  {count} bevindingen verdwenen:",
    ),
    ("    … and {count} more", "    … en nog {count}"),
    ("naleving {before} → {now}", "naleving {before} → {now}"),
    ("{name}: {before} → {now}", "{name}: {before} → {now}"),
    ("changed {kind} {path}", "gewijzigd: {kind} {path}"),
    ("added {kind} {path}", "toegevoegd: {kind} {path}"),
    ("removed {kind} {path}", "verwijderd: {kind} {path}"),
    // src/expr/mod.rs (evaluation)
    (
        "evaluation budget exceeded: it could take {steps} steps here, at most {max} are allowed",
        "evaluatiebudget overschreden: het zou hier {steps} stappen kunnen kosten, hoogstens {max} zijn toegestaan",
    ),
    (
        "expected a boolean, got {kind}",
        "verwachtte een booleaanse waarde, kreeg {kind}",
    ),
    (
        "the condition gave {kind} for a record",
        "de voorwaarde gaf {kind} voor een record",
    ),
    // src/project.rs (database sources)
    (
        "collection `{name}` has no `path` and no `source`",
        "collectie `{name}` heeft geen `path` en geen `source`",
    ),
    (
        "read files with `path: data.jsonl`, or a database table with `source: { postgres: { table: schema.table } }`",
        "lees bestanden met `path: data.jsonl`, of een databasetabel met `source: { postgres: { table: schema.tabel } }`",
    ),
    (
        "collection `{name}` has both `path` and `source`: it is read from one place",
        "collectie `{name}` heeft zowel `path` als `source`: ze wordt uit één plaats gelezen",
    ),
    (
        "collection `{name}`: `source` names no database",
        "collectie `{name}`: `source` noemt geen database",
    ),
    (
        "write `source: { postgres: { table: schema.table } }`",
        "schrijf `source: { postgres: { table: schema.tabel } }`",
    ),
    (
        "collection `{name}`: `{table}` is not a table name naleving reads",
        "collectie `{name}`: `{table}` is geen tabelnaam die naleving leest",
    ),
    (
        "write `table` or `schema.table` with letters, digits and `_`; for anything else, a view",
        "schrijf `tabel` of `schema.tabel` met letters, cijfers en `_`; voor al het andere: een view",
    ),
    (
        "collection `{name}`: `postgres` needs either `table` or `query`",
        "collectie `{name}`: `postgres` heeft `table` of `query` nodig",
    ),
    // src/data/postgres.rs, check --plan
    ("  {name} ({how}): {path}", "  {name} ({how}): {path}"),
    ("Collections read:", "Gelezen collecties:"),
    ("PGPORT is not a port number", "PGPORT is geen poortnummer"),
    ("Rules:", "Regels:"),
    (
        "cannot connect to {server}: {cause}",
        "kan geen verbinding maken met {server}: {cause}",
    ),
    (
        "cannot read `{from}` from {server}: {cause}",
        "kan `{from}` niet lezen uit {server}: {cause}",
    ),
    (
        "cannot start a read-only transaction on {server}: {cause}",
        "kan geen alleen-lezen-transactie starten op {server}: {cause}",
    ),
    ("kept in memory", "in het geheugen gehouden"),
    (
        "naleving reads the connection from {var} or libpq's PG* variables, never from the project",
        "naleving leest de verbinding uit {var} of de PG*-variabelen van libpq, nooit uit het project",
    ),
    (
        "no database is named: set {var} (or libpq's PGHOST, PGDATABASE, PGUSER …)",
        "er is geen database genoemd: zet {var} (of PGHOST, PGDATABASE, PGUSER … van libpq)",
    ),
    (
        "a row read is not a record",
        "een gelezen rij is geen record",
    ),
    ("{problem} ({rows} rows)", "{problem} ({rows} rijen)"),
    ("streamed", "gestroomd"),
    (
        "table `{table}` has no column `{key}`, the collection's key{hint}",
        "tabel `{table}` heeft geen kolom `{key}`, de sleutel van de collectie{hint}",
    ),
    (
        "the collection is a query, and queries from a project file run only when the environment sets {var}=1",
        "de collectie is een query, en query's uit een projectbestand worden alleen uitgevoerd als de omgeving {var}=1 zet",
    ),
    (
        "{server} has no table `{table}` that this user can read{hint}",
        "{server} heeft geen tabel `{table}` die deze gebruiker kan lezen{hint}",
    ),
    (
        "{var} is not a connection string naleving can read (a postgresql:// URL or key=value pairs)",
        "{var} is geen verbindingsgegeven dat naleving kan lezen (een postgresql://-URL of sleutel=waarde-paren)",
    ),
    // src/data/postgres/tls.rs
    (
        "a root certificate in {path} cannot be used: {cause}",
        "een rootcertificaat in {path} is onbruikbaar: {cause}",
    ),
    (
        "cannot read the root certificate file {path}: {cause}",
        "kan het rootcertificaatbestand {path} niet lezen: {cause}",
    ),
    (
        "cannot set up TLS: {cause}",
        "kan TLS niet instellen: {cause}",
    ),
    (
        "sslmode {mode} is not one of disable, allow, prefer, require, verify-ca, verify-full",
        "sslmode {mode} is niet een van disable, allow, prefer, require, verify-ca, verify-full",
    ),
    // check --plan (pushdown)
    (
        "    checks pushed down; only the rows they may not pass are read, with: {sql}",
        "    controles naar de database verplaatst; alleen de rijen waar ze mogelijk niet aan voldoen worden gelezen, met: {sql}",
    ),
    (
        "    every row is read, with: {sql}",
        "    elke rij wordt gelezen, met: {sql}",
    ),
    (
        "    not pushed down: {why}",
        "    niet naar de database verplaatst: {why}",
    ),
    ("    parameters: {params}", "    parameters: {params}"),
    (
        "(the keys of `{collection}`, as the run reads them)",
        "(de sleutels van `{collection}`, zoals de run ze leest)",
    ),
    ("none", "geen"),
    (
        "    the rows left in the database are counted with: {sql}",
        "    de rijen die in de database blijven worden geteld met: {sql}",
    ),
    (
        "    the table's columns cannot be read, so the plan is not known: {why}",
        "    de kolommen van de tabel zijn niet te lezen, dus het plan is niet bekend: {why}",
    ),
    ("  {name} ({how}): {place}", "  {name} ({how}): {place}"),
    (
        "  {rule} ({kind} over {collection}): {place}",
        "  {rule} ({kind} over {collection}): {place}",
    ),
    (
        "a rule needs every record at once",
        "een regel heeft alle records tegelijk nodig",
    ),
    ("judged in naleving", "beoordeeld in naleving"),
    ("judged in the database", "beoordeeld in de database"),
    (
        "other rules look up its keys",
        "andere regels zoeken er sleutels in op",
    ),
    (
        "these rules have no SQL form: {rules}",
        "deze regels hebben geen SQL-vorm: {rules}",
    ),
];
