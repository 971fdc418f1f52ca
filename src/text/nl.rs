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
];
