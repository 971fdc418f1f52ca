//! The plugins of one run: loaded once, before any rule runs, and looked up
//! by name by the `plugin` check kind.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{LoadedPlugin, PluginHost, PluginSpec};
use crate::problem::Problem;
use crate::tr;

/// The loaded plugins, by their name in the project file.
#[derive(Default)]
pub struct Plugins {
    loaded: BTreeMap<String, LoadedPlugin>,
}

impl std::fmt::Debug for Plugins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.loaded.keys()).finish()
    }
}

impl Plugins {
    /// A loaded plugin.
    pub fn get(&self, name: &str) -> Option<&LoadedPlugin> {
        self.loaded.get(name)
    }

    /// Loads the plugins in `specs` that `wanted` names. Every plugin that
    /// cannot be used — unreadable, a hash mismatch, a forbidden import — is
    /// a problem that makes the inputs unusable (exit 2); the rules using it
    /// then report themselves incomplete.
    pub fn load(
        specs: &[PluginSpec],
        wanted: &[&str],
        cache: Option<PathBuf>,
    ) -> (Plugins, Vec<Problem>) {
        let mut plugins = Plugins::default();
        let mut problems = Vec::new();
        let specs: Vec<&PluginSpec> = specs
            .iter()
            .filter(|s| wanted.contains(&s.name.as_str()))
            .collect();
        if specs.is_empty() {
            return (plugins, problems);
        }
        let host =
            match PluginHost::new(cache.clone()) {
                Ok(host) => host,
                // A cache that cannot be opened, or is not safe to use, should
                // not stop the audit: compile without it, and say why.
                Err(refused) if cache.is_some() => match PluginHost::new(None) {
                    Ok(host) => {
                        let message = match refused {
                            super::PluginError::Host { cause, .. } => cause,
                            other => other.text(),
                        };
                        problems.push(Problem::warning(super::PluginCode::Cache, message).help(
                            tr!("plugins are compiled on every run until the cache can be used"),
                        ));
                        host
                    }
                    Err(err) => {
                        problems.push(Problem::unusable(err.code(), err.text()));
                        return (plugins, problems);
                    }
                },
                Err(err) => {
                    problems.push(Problem::unusable(err.code(), err.text()));
                    return (plugins, problems);
                }
            };
        for spec in specs {
            match host.load(spec) {
                Ok(plugin) => {
                    plugins.loaded.insert(spec.name.clone(), plugin);
                }
                Err(err) => {
                    let mut problem = Problem::unusable(err.code(), err.text()).in_file(&spec.path);
                    if let Some(help) = err.help_text() {
                        problem = problem.help(help);
                    }
                    problems.push(problem);
                }
            }
        }
        (plugins, problems)
    }
}

/// Where compiled plugins are cached when the project does not say:
/// `$NALEVING_CACHE_DIR`, else `$XDG_CACHE_HOME/naleving/plugins`, else
/// `~/.cache/naleving/plugins`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("NALEVING_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("naleving/plugins"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/naleving/plugins"))
}
