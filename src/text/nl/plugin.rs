//! The Dutch catalogue of the messages of the plugin host; see
//! [`crate::text`].

/// English key, Dutch text.
pub(super) static NL: &[(&str, &str)] = &[
    // src/plugin/error.rs
    (
        "plugin `{plugin}`: cannot read {path}: {cause}",
        "plugin `{plugin}`: kan {path} niet lezen: {cause}",
    ),
    (
        "plugin `{plugin}`: sha256 mismatch: expected {expected}, found {actual}",
        "plugin `{plugin}`: sha256 klopt niet: verwacht {expected}, gevonden {actual}",
    ),
    (
        "plugin `{plugin}`: refused: it imports {names}",
        "plugin `{plugin}`: geweigerd: hij importeert {names}",
    ),
    (
        "plugin `{plugin}`: not a loadable component: {cause}",
        "plugin `{plugin}`: geen laadbare component: {cause}",
    ),
    (
        "plugin `{plugin}`: does not implement naleving:plugin/checker@0.1.0: {cause}",
        "plugin `{plugin}`: implementeert naleving:plugin/checker@0.1.0 niet: {cause}",
    ),
    (
        "plugin `{plugin}`: timed out after {timeout_ms} ms",
        "plugin `{plugin}`: tijdslimiet overschreden na {timeout_ms} ms",
    ),
    (
        "plugin `{plugin}`: ran out of fuel ({fuel} units per batch)",
        "plugin `{plugin}`: brandstof op ({fuel} eenheden per batch)",
    ),
    (
        "plugin `{plugin}`: exceeded its memory limit of {memory_mib} MiB",
        "plugin `{plugin}`: geheugengrens van {memory_mib} MiB overschreden",
    ),
    (
        "plugin `{plugin}`: crashed: {trap}",
        "plugin `{plugin}`: gecrasht: {trap}",
    ),
    (
        "plugin `{plugin}`: killed for logging more than {max_lines} lines or {max_bytes} bytes in one batch",
        "plugin `{plugin}`: gestopt omdat hij in één batch meer dan {max_lines} regels of {max_bytes} bytes logde",
    ),
    (
        "plugin `{plugin}`: malformed result: {reason}",
        "plugin `{plugin}`: ongeldig resultaat: {reason}",
    ),
    (
        "plugin `{plugin}`: returned {count} findings for one batch; the limit is {max}",
        "plugin `{plugin}`: gaf {count} bevindingen voor één batch; de grens is {max}",
    ),
    (
        "plugin `{plugin}`: reported an error: {message}",
        "plugin `{plugin}`: meldde een fout: {message}",
    ),
    ("plugin host: {cause}", "pluginhost: {cause}"),
    (
        "check `plugins.{plugin}.path` in naleving.yaml; it is relative to the project file",
        "controleer `plugins.{plugin}.path` in naleving.yaml; het pad is relatief aan het projectbestand",
    ),
    (
        "the file is not the plugin that was pinned; if you rebuilt or upgraded it on purpose, review it and pin the new hash (`sha256sum` prints it)",
        "het bestand is niet de plugin die is vastgelegd; hebt u hem bewust opnieuw gebouwd of bijgewerkt, controleer hem dan en leg de nieuwe hash vast (`sha256sum` geeft die)",
    ),
    (
        "plugins get no WASI (no files, network, environment or clock); build for wasm32-unknown-unknown and componentize with plugins/build.sh so that `log` is the only import",
        "plugins krijgen geen WASI (geen bestanden, netwerk, omgeving of klok); bouw voor wasm32-unknown-unknown en maak er met plugins/build.sh een component van, zodat `log` de enige import is",
    ),
    (
        "a plugin must be a WebAssembly component (not a core module): build it with plugins/build.sh",
        "een plugin moet een WebAssembly-component zijn (geen core-module): bouw hem met plugins/build.sh",
    ),
    (
        "rebuild the plugin against plugins/wit/world.wit of this naleving version",
        "bouw de plugin opnieuw tegen plugins/wit/world.wit van deze versie van naleving",
    ),
    (
        "raise `plugins.{plugin}.limits.timeout_ms`, or fix a loop in the plugin",
        "verhoog `plugins.{plugin}.limits.timeout_ms`, of herstel een lus in de plugin",
    ),
    (
        "raise `plugins.{plugin}.limits.fuel`, lower the batch size, or fix a loop in the plugin",
        "verhoog `plugins.{plugin}.limits.fuel`, verklein de batches, of herstel een lus in de plugin",
    ),
    (
        "raise `plugins.{plugin}.limits.memory_mib`, or lower the batch size",
        "verhoog `plugins.{plugin}.limits.memory_mib`, of verklein de batches",
    ),
    (
        "the plugin has a bug (a Rust panic shows up as `unreachable`); run its unit tests natively to find it",
        "de plugin bevat een fout (een Rust-panic verschijnt als `unreachable`); draai zijn unittests native om de fout te vinden",
    ),
    (
        "the plugin should log a summary, not a line per record",
        "de plugin hoort een samenvatting te loggen, niet een regel per record",
    ),
    (
        "a finding's `index` must be a position in the batch and its `details` the text of a JSON object",
        "de `index` van een bevinding moet een positie in de batch zijn en de `details` de tekst van een JSON-object",
    ),
    (
        "lower the batch size, or make the plugin report one finding per problem, not per field",
        "verklein de batches, of laat de plugin één bevinding per probleem melden, niet per veld",
    ),
    (
        "the message comes from the plugin; often the rule's `check.plugin.params` are wrong",
        "de melding komt van de plugin zelf; vaak kloppen de `check.plugin.params` van de regel niet",
    ),
    // src/plugin/mod.rs
    (
        "finding for record index {index} in a batch of {count} records",
        "bevinding voor recordindex {index} in een batch van {count} records",
    ),
    (
        "details of the finding for record {index} are not a JSON object",
        "de details van de bevinding voor record {index} zijn geen JSON-object",
    ),
    (
        "details of the finding for record {index} are not JSON: {cause}",
        "de details van de bevinding voor record {index} zijn geen JSON: {cause}",
    ),
    // src/plugin/cache.rs
    (
        "the plugin cache {dir} is not used: {cause}",
        "de plugincache {dir} wordt niet gebruikt: {cause}",
    ),
    (
        "the plugin cache is not used: no place for its key (set HOME)",
        "de plugincache wordt niet gebruikt: er is geen plek voor zijn sleutel (zet HOME)",
    ),
    (
        "the plugin cache {dir} is not used: its key must not lie inside it",
        "de plugincache {dir} wordt niet gebruikt: zijn sleutel mag er niet in liggen",
    ),
    (
        "the plugin cache is not used: its key {path}: {cause}",
        "de plugincache wordt niet gebruikt: de sleutel {path}: {cause}",
    ),
    ("it is not a directory", "het is geen map"),
    (
        "it belongs to another user",
        "de map is van een andere gebruiker",
    ),
    (
        "others can write to it (chmod go-w, or remove it)",
        "anderen kunnen erin schrijven (chmod go-w, of verwijder de map)",
    ),
    (
        "ownership cannot be checked on this platform",
        "de eigenaar kan op dit platform niet gecontroleerd worden",
    ),
    (
        "it must be a file of yours that no one else can read (chmod 600)",
        "het moet een bestand van u zijn dat niemand anders kan lezen (chmod 600)",
    ),
    ("it is not 32 bytes long", "het is niet 32 bytes lang"),
    (
        "no private key store on this platform",
        "geen afgeschermde opslag voor de sleutel op dit platform",
    ),
    // src/plugin/registry.rs
    (
        "plugins are compiled on every run until the cache can be used",
        "plugins worden bij elke run gecompileerd tot de cache bruikbaar is",
    ),
    // src/plugin/run.rs, src/plugin/runtime.rs
    (
        "cannot start a plugin thread: {cause}",
        "kan geen thread voor de plugin starten: {cause}",
    ),
    (
        "the plugin thread panicked",
        "de thread van de plugin brak af met een panic",
    ),
    (
        "cannot set fuel: {cause}",
        "kan de brandstof niet instellen: {cause}",
    ),
    (
        "cannot create the wasm engine: {cause}",
        "kan de wasm-engine niet aanmaken: {cause}",
    ),
    (
        "cannot start the epoch ticker thread: {cause}",
        "kan de thread van de epochklok niet starten: {cause}",
    ),
    // src/check/plugin.rs
    (
        "plugin `{plugin}` is not loaded, so {count} records were not checked",
        "plugin `{plugin}` is niet geladen, dus {count} records zijn niet gecontroleerd",
    ),
    (
        "see the plugin's own problem above: integrity, imports or a missing file",
        "zie het probleem van de plugin zelf hierboven: integriteit, imports of een ontbrekend bestand",
    ),
    (
        "plugin `{plugin}` failed on batch {batch} (records {from}–{to}: `{first}` … `{last}`): {cause}",
        "plugin `{plugin}` faalde bij batch {batch} (records {from}–{to}: `{first}` … `{last}`): {cause}",
    ),
];
