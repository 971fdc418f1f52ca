//! Loading a plugin: read, verify the pinned sha256, compile (or take the
//! cached compilation), refuse foreign imports, link, and ask the plugin for
//! its `info` once.
//!
//! The order matters: nothing is parsed before the hash matches the pin, and
//! nothing runs before the imports are known to be only the world's `log`.

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};

use super::bindings::CheckerPre;
use super::error::PluginError;
use super::run::{self, Runner};
use super::{LoadedPlugin, PluginHost, PluginInfo, PluginSpec};
use crate::digest::hex;

/// The only import a plugin may have: the world's own `log` function.
const ALLOWED_IMPORTS: &[&str] = &["log"];

pub(crate) fn load(host: &PluginHost, spec: &PluginSpec) -> Result<LoadedPlugin, PluginError> {
    let plugin = spec.name.clone();
    let bytes = crate::read::bytes(&spec.path).map_err(|e| PluginError::Read {
        plugin: plugin.clone(),
        path: spec.path.display().to_string(),
        cause: e.text(),
    })?;

    let actual = hex(&Sha256::digest(&bytes));
    let expected = spec.sha256.trim().to_ascii_lowercase();
    if actual != expected {
        return Err(PluginError::Integrity {
            plugin,
            expected: spec.sha256.clone(),
            actual,
        });
    }

    let engine = &host.engine;
    let cached = host
        .cache
        .as_ref()
        .and_then(|cache| cache.load(engine, &actual));
    let compiled_from_cache = cached.is_some();
    let component = match cached {
        Some(component) => component,
        None => {
            let component = Component::new(engine, &bytes).map_err(|e| PluginError::Compile {
                plugin: plugin.clone(),
                cause: format!("{e:#}"),
            })?;
            if let Some(cache) = &host.cache {
                // A cache that cannot be written only costs the next run a
                // compilation; it is not a reason to fail this one.
                let _ = cache.store(&actual, &component);
            }
            component
        }
    };

    check_imports(host, &component, &plugin)?;

    let incompatible = |e: wasmtime::Error| PluginError::Incompatible {
        plugin: plugin.clone(),
        cause: format!("{e:#}"),
    };
    let mut linker = Linker::new(engine);
    run::add_to_linker(&mut linker).map_err(incompatible)?;
    let pre = linker.instantiate_pre(&component).map_err(incompatible)?;
    let pre = CheckerPre::new(pre).map_err(incompatible)?;

    let runner = Runner {
        engine,
        pre: &pre,
        plugin: &plugin,
        limits: &spec.limits,
    };
    let info = runner.run(|checker, store| checker.call_info(store))?.value;
    let info = PluginInfo {
        name: info.name,
        version: info.version,
        description: info.description,
    };

    Ok(LoadedPlugin {
        name: plugin,
        sha256: actual,
        limits: spec.limits.clone(),
        engine: engine.clone(),
        pre,
        info,
        compiled_from_cache,
    })
}

/// Refuses a component that imports anything but the world's `log`, naming
/// every offending import (a WASI interface, another package, ...).
fn check_imports(
    host: &PluginHost,
    component: &Component,
    plugin: &str,
) -> Result<(), PluginError> {
    let names: Vec<String> = component
        .component_type()
        .imports(&host.engine)
        .map(|(name, _)| name)
        .filter(|name| !ALLOWED_IMPORTS.contains(name))
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        Ok(())
    } else {
        Err(PluginError::Imports {
            plugin: plugin.to_owned(),
            names,
        })
    }
}
