//! The one wasmtime `Engine` of the process and its epoch ticker.
//!
//! The engine meters fuel (deterministic: the same batch stops at the same
//! instruction on every run) and checks an epoch deadline (wall clock: a
//! batch that runs too long is interrupted). A background thread advances the
//! epoch every [`TICK`]; it holds only a weak reference, so it ends by itself
//! once the host and every loaded plugin are dropped.

use std::thread;
use std::time::Duration;

use wasmtime::{Config, Engine};

use super::error::PluginError;
use crate::tr;

/// How often the epoch advances; timeouts are measured in these ticks.
pub(crate) const TICK: Duration = Duration::from_millis(10);

/// Wasm's own stack limit; plugin calls run on a thread with a native stack
/// far larger than this (see `run.rs`), so a deep recursion traps cleanly.
pub(crate) const MAX_WASM_STACK: usize = 512 * 1024;

/// Builds the engine. Every setting here changes the compiled code, and so
/// goes into the cache key through `precompile_compatibility_hash`.
pub(crate) fn new_engine() -> Result<Engine, PluginError> {
    let mut config = Config::new();
    config
        .consume_fuel(true)
        .epoch_interruption(true)
        .max_wasm_stack(MAX_WASM_STACK)
        .wasm_component_model(true);
    let engine = Engine::new(&config).map_err(|e| PluginError::Host {
        plugin: String::new(),
        cause: tr!("cannot create the wasm engine: {cause}", cause = e),
    })?;
    spawn_ticker(&engine)?;
    Ok(engine)
}

/// Starts the thread that advances the engine's epoch every [`TICK`].
fn spawn_ticker(engine: &Engine) -> Result<(), PluginError> {
    let weak = engine.weak();
    thread::Builder::new()
        .name("naleving-plugin-epoch".to_owned())
        .spawn(move || {
            loop {
                thread::sleep(TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .map(drop)
        .map_err(|e| PluginError::Host {
            plugin: String::new(),
            cause: tr!("cannot start the epoch ticker thread: {cause}", cause = e),
        })
}

/// The epoch deadline, in ticks, for a wall-clock timeout: rounded up, plus
/// one because the first tick may come at any moment after the store starts.
pub(crate) fn deadline_ticks(timeout_ms: u64) -> u64 {
    let tick_ms = u64::try_from(TICK.as_millis()).unwrap_or(10).max(1);
    timeout_ms.div_ceil(tick_ms).max(1).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_rounds_up_and_never_zero() {
        assert_eq!(deadline_ticks(0), 2);
        assert_eq!(deadline_ticks(1), 2);
        assert_eq!(deadline_ticks(2000), 201);
        assert_eq!(deadline_ticks(u64::MAX), u64::MAX.div_ceil(10) + 1);
    }
}
