//! The sandboxed WebAssembly plugin host (SPEC §8).
//!
//! A plugin is a WebAssembly component implementing the `checker` world of
//! `plugins/wit/world.wit`: it gets batches of records as JSON text and
//! returns findings. The host links no WASI, refuses any other import, pins
//! each plugin by sha256, caches its compilation on disk, and runs every
//! batch in a fresh store bounded by fuel, a wall-clock timeout, a memory cap
//! and log/result budgets. A plugin that misbehaves ends in a
//! [`PluginError`]; the host itself stays intact and runs the next batch.
//!
//! ```no_run
//! # use naleving::plugin::*;
//! # fn main() -> Result<(), PluginError> {
//! let host = PluginHost::new(Some(".naleving/cache/plugins".into()))?;
//! let plugin = host.load(&PluginSpec {
//!     name: "afwegingskader".into(),
//!     path: "plugins/afwegingskader.wasm".into(),
//!     sha256: "…pinned in naleving.yaml…".into(),
//!     limits: Limits::default(),
//! })?;
//! let records = vec![r#"{"id": "D-1", "afweging": {"vermoeden": "nee"}}"#.to_owned()];
//! for batch in plugin.batches(&records) {
//!     let output = plugin.check_batch(batch, "{}", "2024-06-01")?;
//!     for finding in output.findings { /* attach rule id, record, … */ }
//! }
//! # Ok(()) }
//! ```
//!
//! Files: `runtime` (the wasmtime engine and its epoch ticker), `cache` (compiled
//! components on disk), `load` (integrity, imports, linking), `run` (one
//! store per call, limits, trap mapping), `error` (the diagnostics).

mod cache;
mod error;
mod load;
mod registry;
mod run;
mod runtime;

use std::path::PathBuf;

use serde_json::{Map, Value};
use wasmtime::Engine;

pub use error::PluginError;
pub use registry::{Plugins, default_cache_dir};

use bindings::CheckerPre;
use run::{HostState, Runner, truncate};

use crate::text::Text;
use crate::tr;

crate::problem_codes! {
    /// The codes of problems with plugins: refused before running (exit 2) or failed while checking (exit 3).
    pub enum PluginCode {
        /// The plugin file could not be read.
        Read = "plugin::read",
        /// The plugin file's sha256 is not the one pinned in the project file: it is not loaded.
        Integrity = "plugin::integrity",
        /// The plugin imports something the host does not offer (WASI, the network, files): it is
        /// refused.
        Imports = "plugin::imports",
        /// The plugin is not a valid WebAssembly component.
        Compile = "plugin::compile",
        /// The plugin does not implement the naleving plugin contract (plugins/wit/world.wit).
        Incompatible = "plugin::incompatible",
        /// The plugin ran longer than its `timeout_ms` on a batch.
        Timeout = "plugin::timeout",
        /// The plugin ran out of fuel (its instruction budget) on a batch.
        Fuel = "plugin::fuel",
        /// The plugin tried to use more than its `memory_mib`.
        Memory = "plugin::memory",
        /// The plugin trapped (a WebAssembly runtime error) on a batch.
        Trap = "plugin::trap",
        /// The plugin logged more lines or bytes than allowed.
        LogFlood = "plugin::log-flood",
        /// The plugin returned a malformed result (a record index out of range, invalid JSON).
        Result = "plugin::result",
        /// The plugin returned more findings than records it was given.
        TooManyFindings = "plugin::too-many-findings",
        /// The plugin returned an error of its own for a batch.
        Error = "plugin::error",
        /// The cache of compiled plugins is not used: it is not a private
        /// directory of the user, or its key is readable by others (a warning;
        /// plugins are compiled instead).
        Cache = "plugin::cache",
        /// The host could not run the plugin (an internal error setting up its store).
        Host = "plugin::host",
        /// A rule's plugin was not loaded (see the plugin's own problem), so its records were not
        /// checked.
        Unavailable = "plugin::unavailable",
    }
}

/// Host bindings generated from the WIT world.
mod bindings {
    wasmtime::component::bindgen!({
        world: "checker",
        path: "plugins/wit",
        // `log` may return an error, which traps the plugin: that is how a
        // log flood is stopped.
        imports: { default: trappable },
    });
}

/// The bounds a plugin runs within; each applies per batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Fuel (roughly: wasm instructions) per batch; running out is
    /// `plugin::fuel`. Deterministic: a re-run stops at the same point.
    pub fuel: u64,
    /// Linear memory cap in MiB; growing past it is `plugin::memory`.
    pub memory_mib: u32,
    /// Wall-clock budget per batch in milliseconds (10 ms resolution);
    /// exceeding it is `plugin::timeout`.
    pub timeout_ms: u64,
    /// Records per batch (see [`LoadedPlugin::batches`]).
    pub batch_size: usize,
    /// Findings one batch may return; more is `plugin::too-many-findings`.
    pub max_findings: usize,
    /// Bytes kept of each finding message, error message and log line;
    /// longer text is cut and ends in `…`.
    pub max_message_len: usize,
    /// Log bytes per batch; more kills the plugin (`plugin::log-flood`).
    pub max_log_bytes: usize,
    /// Log lines per batch; more kills the plugin (`plugin::log-flood`).
    pub max_log_lines: usize,
}

impl Default for Limits {
    /// Generous for real checkers: `afwegingskader` uses about 62 million
    /// fuel (6% of the budget) on a batch of 1000 dossiers.
    fn default() -> Self {
        Self {
            fuel: 1_000_000_000,
            memory_mib: 64,
            timeout_ms: 2_000,
            batch_size: 1_000,
            max_findings: 10_000,
            max_message_len: 1_024,
            max_log_bytes: 64 * 1024,
            max_log_lines: 1_000,
        }
    }
}

/// A plugin as the project file pins it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginSpec {
    /// The plugin's name in the project file (`plugins.<name>`), used in
    /// every diagnostic.
    pub name: String,
    /// Path of the component (`.wasm`).
    pub path: PathBuf,
    /// The pinned sha256 of the file, hex.
    pub sha256: String,
    /// The limits it runs within.
    pub limits: Limits,
}

/// What a plugin says about itself (its `info` export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// The plugin's own name.
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// One line on what it checks.
    pub description: String,
}

/// The result of one batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchOutput {
    /// The findings, validated: indexes are in the batch, details are JSON
    /// objects, messages are within the length limit.
    pub findings: Vec<PluginFinding>,
    /// What the plugin logged during the batch.
    pub logs: Vec<String>,
    /// Fuel the batch used (instantiation included), to size `Limits::fuel`.
    pub fuel_consumed: u64,
}

/// One finding of a plugin about one record of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginFinding {
    /// Position of the record in the batch.
    pub index: u32,
    /// Dotted path of the offending field, if the plugin named one.
    pub field: Option<String>,
    /// The plugin's message (truncated to the limit).
    pub message: String,
    /// The plugin's details, a JSON object.
    pub details: Option<Map<String, Value>>,
}

/// The plugin host: one engine, one epoch ticker, an optional disk cache.
/// Cheap to share; load every plugin of a run through the same host.
#[derive(Debug)]
pub struct PluginHost {
    engine: Engine,
    cache: Option<cache::Cache>,
}

impl PluginHost {
    /// Creates the engine and starts its ticker. With a `cache_dir`, compiled
    /// plugins are kept there (created if missing) and reused by later runs.
    pub fn new(cache_dir: Option<PathBuf>) -> Result<Self, PluginError> {
        let engine = runtime::new_engine()?;
        let cache = cache_dir
            .map(|dir| cache::Cache::open(dir, &engine))
            .transpose()?;
        Ok(Self { engine, cache })
    }

    /// Loads a plugin: reads it, checks its sha256 against the pin
    /// (`plugin::integrity`), compiles it or takes it from the cache, refuses
    /// any import but `log` (`plugin::imports`), links it and calls its
    /// `info` once.
    pub fn load(&self, spec: &PluginSpec) -> Result<LoadedPlugin, PluginError> {
        load::load(self, spec)
    }
}

/// A verified, compiled, linked plugin, ready to check batches. `Send` and
/// `Sync`: batches may run on several threads at once, each in its own store.
pub struct LoadedPlugin {
    name: String,
    sha256: String,
    limits: Limits,
    engine: Engine,
    pre: CheckerPre<HostState>,
    info: PluginInfo,
    compiled_from_cache: bool,
}

impl std::fmt::Debug for LoadedPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPlugin")
            .field("name", &self.name)
            .field("sha256", &self.sha256)
            .field("info", &self.info)
            .field("compiled_from_cache", &self.compiled_from_cache)
            .finish_non_exhaustive()
    }
}

impl LoadedPlugin {
    /// What the plugin said about itself at load.
    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    /// The plugin's name in the project file.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The verified sha256 of the component.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The limits the plugin runs within.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// True when the load took the compiled component from the disk cache
    /// instead of compiling it.
    pub fn compiled_from_cache(&self) -> bool {
        self.compiled_from_cache
    }

    /// Splits records into batches of the plugin's `batch_size`.
    pub fn batches<'a>(&self, records: &'a [String]) -> std::slice::Chunks<'a, String> {
        records.chunks(self.limits.batch_size.max(1))
    }

    /// Checks one batch in a fresh instance. `records` are JSON object
    /// texts, `params` the rule's params as JSON, `as_of` an ISO date.
    /// Every failure of the plugin is an error for the whole batch; the
    /// plugin stays loaded and the next batch starts afresh.
    pub fn check_batch(
        &self,
        records: &[String],
        params: &str,
        as_of: &str,
    ) -> Result<BatchOutput, PluginError> {
        let runner = Runner {
            engine: &self.engine,
            pre: &self.pre,
            plugin: &self.name,
            limits: &self.limits,
        };
        let ran = runner.run(|checker, store| checker.call_check(store, records, params, as_of))?;
        let findings = match ran.value {
            Ok(findings) => findings,
            Err(mut message) => {
                truncate(&mut message, self.limits.max_message_len);
                return Err(PluginError::Returned {
                    plugin: self.name.clone(),
                    message,
                });
            }
        };
        if findings.len() > self.limits.max_findings {
            return Err(PluginError::TooManyFindings {
                plugin: self.name.clone(),
                count: findings.len(),
                max: self.limits.max_findings,
            });
        }
        let findings = findings
            .into_iter()
            .map(|finding| self.validate(finding, records.len()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BatchOutput {
            findings,
            logs: ran.logs,
            fuel_consumed: ran.fuel_consumed,
        })
    }

    /// Checks one returned finding against the batch and the limits.
    fn validate(
        &self,
        finding: bindings::Finding,
        batch_len: usize,
    ) -> Result<PluginFinding, PluginError> {
        let malformed = |reason: Text| PluginError::Result {
            plugin: self.name.clone(),
            reason,
        };
        if usize::try_from(finding.index).map_or(true, |i| i >= batch_len) {
            return Err(malformed(tr!(
                "finding for record index {index} in a batch of {count} records",
                index = finding.index,
                count = batch_len
            )));
        }
        let details = match finding.details {
            None => None,
            Some(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => Some(map),
                Ok(_) => {
                    return Err(malformed(tr!(
                        "details of the finding for record {index} are not a JSON object",
                        index = finding.index
                    )));
                }
                Err(e) => {
                    return Err(malformed(tr!(
                        "details of the finding for record {index} are not JSON: {cause}",
                        index = finding.index,
                        cause = e
                    )));
                }
            },
        };
        let max = self.limits.max_message_len;
        let mut message = finding.message;
        truncate(&mut message, max);
        let field = finding.field.map(|mut field| {
            truncate(&mut field, max);
            field
        });
        Ok(PluginFinding {
            index: finding.index,
            field,
            message,
            details,
        })
    }
}
