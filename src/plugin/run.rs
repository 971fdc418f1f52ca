//! Running a plugin: one fresh store per call, every limit armed, every
//! failure mapped to a [`PluginError`].
//!
//! A trap poisons a component instance, so nothing is reused: each batch (and
//! the one `info` call at load) gets a new `Store` with its own fuel, epoch
//! deadline, memory limiter and log budget, and the store is dropped after
//! the call whatever happened. The call runs on its own thread with a large
//! native stack, because wasmtime bounds the wasm stack but not the native
//! stack of the thread that calls in.

use std::thread;

use wasmtime::component::HasSelf;
use wasmtime::{Engine, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, Trap};

use super::Limits;
use super::bindings::{Checker, CheckerImports, CheckerPre};
use super::error::PluginError;
use super::runtime::deadline_ticks;
use crate::text::Text;
use crate::tr;

/// Native stack of the thread a plugin call runs on: far above the wasm
/// stack limit plus wasmtime's own frames.
const CALL_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Linear memories, tables and instances a plugin store may create. A
/// component built from one Rust crate has one memory, one or two tables and
/// a handful of core instances; the caps stop a component that multiplies
/// them to escape the per-memory byte limit.
const MAX_MEMORIES: usize = 4;
const MAX_TABLES: usize = 16;
const MAX_INSTANCES: usize = 32;

/// The data of one store: the limiter and the log of the call.
pub(crate) struct HostState {
    limiter: Limiter,
    log: LogBuffer,
}

impl CheckerImports for HostState {
    fn log(&mut self, message: String) -> wasmtime::Result<()> {
        if self.log.push(message) {
            Ok(())
        } else {
            wasmtime::bail!("plugin log budget exhausted")
        }
    }
}

/// `StoreLimits` plus a note of whether the memory cap was what stopped the
/// plugin, so the failure can be named `plugin::memory`.
struct Limiter {
    limits: StoreLimits,
    memory_exceeded: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum);
        if !matches!(allowed, Ok(true)) {
            self.memory_exceeded = true;
        }
        allowed
    }

    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.memory_exceeded = true;
        self.limits.memory_grow_failed(error)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn table_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.table_grow_failed(error)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// The lines a plugin logged during one call, within a line and byte budget.
struct LogBuffer {
    lines: Vec<String>,
    bytes: usize,
    max_lines: usize,
    max_bytes: usize,
    max_line_len: usize,
    flooded: bool,
}

impl LogBuffer {
    /// Keeps the line; false (and flooded) once the budget is exceeded.
    fn push(&mut self, mut line: String) -> bool {
        self.bytes = self.bytes.saturating_add(line.len());
        if self.lines.len() >= self.max_lines || self.bytes > self.max_bytes {
            self.flooded = true;
            return false;
        }
        truncate(&mut line, self.max_line_len);
        self.lines.push(line);
        true
    }
}

/// Shortens `text` to at most `max` bytes on a character boundary, marking
/// the cut with `…` when there is room for it.
pub(crate) fn truncate(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    const MARK: &str = "…";
    let keep = if max >= MARK.len() {
        max - MARK.len()
    } else {
        max
    };
    let mut cut = keep;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    if max >= MARK.len() {
        text.push_str(MARK);
    }
}

/// What a successful plugin call produced.
pub(crate) struct Ran<R> {
    /// The call's return value.
    pub(crate) value: R,
    /// The lines the plugin logged.
    pub(crate) logs: Vec<String>,
    /// Fuel used by instantiation and the call.
    pub(crate) fuel_consumed: u64,
}

/// What a plugin call needs besides the closure: the compiled plugin, its
/// name and its limits.
pub(crate) struct Runner<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) pre: &'a CheckerPre<HostState>,
    pub(crate) plugin: &'a str,
    pub(crate) limits: &'a Limits,
}

impl Runner<'_> {
    /// Instantiates the plugin in a fresh store and runs `call` on a
    /// large-stack thread.
    pub(crate) fn run<R, F>(&self, call: F) -> Result<Ran<R>, PluginError>
    where
        R: Send,
        F: FnOnce(&Checker, &mut Store<HostState>) -> wasmtime::Result<R> + Send,
    {
        thread::scope(|scope| {
            let handle = thread::Builder::new()
                // A fixed name: a plugin name with a NUL byte would make `name` panic.
                .name("naleving-plugin".to_owned())
                .stack_size(CALL_STACK_BYTES)
                .spawn_scoped(scope, || self.run_here(call))
                .map_err(|e| {
                    self.host_error(tr!("cannot start a plugin thread: {cause}", cause = e))
                })?;
            handle
                .join()
                .unwrap_or_else(|_| Err(self.host_error(tr!("the plugin thread panicked"))))
        })
    }

    fn run_here<R, F>(&self, call: F) -> Result<Ran<R>, PluginError>
    where
        F: FnOnce(&Checker, &mut Store<HostState>) -> wasmtime::Result<R>,
    {
        let limits = self.limits;
        let memory_bytes =
            usize::try_from(u64::from(limits.memory_mib) * 1024 * 1024).unwrap_or(usize::MAX);
        let state = HostState {
            limiter: Limiter {
                limits: StoreLimitsBuilder::new()
                    .memory_size(memory_bytes)
                    .memories(MAX_MEMORIES)
                    .tables(MAX_TABLES)
                    .instances(MAX_INSTANCES)
                    .trap_on_grow_failure(true)
                    .build(),
                memory_exceeded: false,
            },
            log: LogBuffer {
                lines: Vec::new(),
                bytes: 0,
                max_lines: limits.max_log_lines,
                max_bytes: limits.max_log_bytes,
                max_line_len: limits.max_message_len,
                flooded: false,
            },
        };
        let mut store = Store::new(self.engine, state);
        store.limiter(|state| &mut state.limiter);
        store
            .set_fuel(limits.fuel)
            .map_err(|e| self.host_error(tr!("cannot set fuel: {cause}", cause = e)))?;
        store.set_epoch_deadline(deadline_ticks(limits.timeout_ms));

        let result = self
            .pre
            .instantiate(&mut store)
            .and_then(|checker| call(&checker, &mut store));
        let fuel_consumed = limits.fuel.saturating_sub(store.get_fuel().unwrap_or(0));
        let state = store.into_data();
        match result {
            Ok(value) => Ok(Ran {
                value,
                logs: state.log.lines,
                fuel_consumed,
            }),
            Err(error) => Err(self.classify(&error, &state)),
        }
    }

    /// Names a failed call. The host's own flags come first: a log flood or
    /// a refused memory grow surfaces as a generic error, not a `Trap`.
    fn classify(&self, error: &wasmtime::Error, state: &HostState) -> PluginError {
        let plugin = self.plugin.to_owned();
        if state.log.flooded {
            return PluginError::LogFlood {
                plugin,
                max_lines: self.limits.max_log_lines,
                max_bytes: self.limits.max_log_bytes,
            };
        }
        if state.limiter.memory_exceeded {
            return PluginError::Memory {
                plugin,
                memory_mib: self.limits.memory_mib,
            };
        }
        match error.downcast_ref::<Trap>() {
            Some(Trap::Interrupt) => PluginError::Timeout {
                plugin,
                timeout_ms: self.limits.timeout_ms,
            },
            Some(Trap::OutOfFuel) => PluginError::Fuel {
                plugin,
                fuel: self.limits.fuel,
            },
            Some(trap) => PluginError::Trap {
                plugin,
                trap: trap.to_string(),
            },
            // Not a trap: e.g. the plugin handed back an invalid string or an
            // out-of-bounds list. The plugin broke the ABI; treat it as a crash.
            None => {
                let mut trap = format!("{error:#}");
                truncate(&mut trap, self.limits.max_message_len);
                PluginError::Trap { plugin, trap }
            }
        }
    }

    fn host_error(&self, cause: Text) -> PluginError {
        PluginError::Host {
            plugin: self.plugin.to_owned(),
            cause,
        }
    }
}

/// Adds the world's imports (`log`) to a linker.
pub(crate) fn add_to_linker(
    linker: &mut wasmtime::component::Linker<HostState>,
) -> wasmtime::Result<()> {
    Checker::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_respects_char_boundaries() {
        let mut s = "ééééé".to_owned(); // 10 bytes
        truncate(&mut s, 6);
        assert_eq!(s, "é…");
        assert!(s.len() <= 6);
        let mut short = "abc".to_owned();
        truncate(&mut short, 3);
        assert_eq!(short, "abc");
        let mut tiny = "abcdef".to_owned();
        truncate(&mut tiny, 2);
        assert_eq!(tiny, "ab");
    }

    #[test]
    fn log_budget() {
        let mut log = LogBuffer {
            lines: vec![],
            bytes: 0,
            max_lines: 2,
            max_bytes: 10,
            max_line_len: 4,
            flooded: false,
        };
        assert!(log.push("abcdef".into()));
        assert_eq!(log.lines, ["a…"]);
        assert!(log.push("x".into()));
        assert!(!log.push("y".into()));
        assert!(log.flooded);

        let mut bytes = LogBuffer {
            lines: vec![],
            bytes: 0,
            max_lines: 100,
            max_bytes: 10,
            max_line_len: 100,
            flooded: false,
        };
        assert!(bytes.push("0123456789".into()));
        assert!(!bytes.push("a".into()));
    }
}
