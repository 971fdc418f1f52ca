//! The plugin host's diagnostics: one variant per way a plugin can fail.
//!
//! Every variant names the plugin and carries its cause as text, so the enum
//! is `Clone` and the caller (the engine) can wrap it with the rule id and
//! batch number. Two groups matter for the exit code (SPEC §6): a plugin that
//! cannot be used at all ([`PluginError::is_unusable_input`], exit 2) and a
//! plugin that failed while checking ([`PluginError::is_incomplete`], exit 3).

use std::fmt;

use miette::Diagnostic;

use super::PluginCode;
use crate::text::Text;
use crate::tr;

/// Why a plugin could not be loaded or could not check a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PluginError {
    /// The plugin file could not be read.
    Read {
        /// Plugin name from the project file.
        plugin: String,
        /// Path that was read.
        path: String,
        /// Why not (the operating system's reason, or the host's).
        cause: Text,
    },

    /// The plugin file's sha256 differs from the one pinned in the project file.
    Integrity {
        /// Plugin name from the project file.
        plugin: String,
        /// The pinned hash, as written in the project file.
        expected: String,
        /// The hash of the file on disk.
        actual: String,
    },

    /// The component imports something besides the world's own `log`.
    Imports {
        /// Plugin name from the project file.
        plugin: String,
        /// Every import that is not allowed, as named in the component.
        names: Vec<String>,
    },

    /// The file is not a valid WebAssembly component, or compiling it failed.
    Compile {
        /// Plugin name from the project file.
        plugin: String,
        /// The compiler's reason.
        cause: String,
    },

    /// The component does not implement the `naleving:plugin/checker` world
    /// (missing export, wrong signature, wrong `log` type).
    Incompatible {
        /// Plugin name from the project file.
        plugin: String,
        /// The linker's reason.
        cause: String,
    },

    /// The plugin ran longer than `timeout_ms` (wall clock).
    Timeout {
        /// Plugin name from the project file.
        plugin: String,
        /// The limit that was exceeded.
        timeout_ms: u64,
    },

    /// The plugin used up its fuel (instructions) for the batch.
    Fuel {
        /// Plugin name from the project file.
        plugin: String,
        /// The budget that was exhausted.
        fuel: u64,
    },

    /// The plugin tried to grow its memory beyond `memory_mib`.
    Memory {
        /// Plugin name from the project file.
        plugin: String,
        /// The limit that was exceeded.
        memory_mib: u32,
    },

    /// The plugin crashed: a panic, `unreachable`, a stack overflow, an
    /// out-of-bounds memory access, or a malformed value at the boundary.
    Trap {
        /// Plugin name from the project file.
        plugin: String,
        /// The trap as wasmtime describes it.
        trap: String,
    },

    /// The plugin logged more lines or bytes than allowed for one batch.
    LogFlood {
        /// Plugin name from the project file.
        plugin: String,
        /// Line budget per batch.
        max_lines: usize,
        /// Byte budget per batch.
        max_bytes: usize,
    },

    /// The plugin returned a result the host cannot trust.
    Result {
        /// Plugin name from the project file.
        plugin: String,
        /// What is wrong with the result.
        reason: Text,
    },

    /// The plugin returned more findings for one batch than allowed.
    TooManyFindings {
        /// Plugin name from the project file.
        plugin: String,
        /// How many it returned.
        count: usize,
        /// The limit.
        max: usize,
    },

    /// The plugin declined the batch with its own error message.
    Returned {
        /// Plugin name from the project file.
        plugin: String,
        /// The plugin's `Err` string (truncated to the message limit).
        message: String,
    },

    /// The host itself failed (a thread could not be started, the cache
    /// directory could not be created, ...).
    Host {
        /// Plugin name, empty when no plugin was involved.
        plugin: String,
        /// What failed.
        cause: Text,
    },
}

impl PluginError {
    /// The name of the plugin the error is about (empty for host errors not
    /// tied to a plugin).
    pub fn plugin(&self) -> &str {
        match self {
            Self::Read { plugin, .. }
            | Self::Integrity { plugin, .. }
            | Self::Imports { plugin, .. }
            | Self::Compile { plugin, .. }
            | Self::Incompatible { plugin, .. }
            | Self::Timeout { plugin, .. }
            | Self::Fuel { plugin, .. }
            | Self::Memory { plugin, .. }
            | Self::Trap { plugin, .. }
            | Self::LogFlood { plugin, .. }
            | Self::Result { plugin, .. }
            | Self::TooManyFindings { plugin, .. }
            | Self::Returned { plugin, .. }
            | Self::Host { plugin, .. } => plugin,
        }
    }

    /// The problem code of the error, e.g. `plugin::integrity` (the same
    /// as its diagnostic code; a test keeps the two together).
    pub fn code(&self) -> PluginCode {
        match self {
            PluginError::Read { .. } => PluginCode::Read,
            PluginError::Integrity { .. } => PluginCode::Integrity,
            PluginError::Imports { .. } => PluginCode::Imports,
            PluginError::Compile { .. } => PluginCode::Compile,
            PluginError::Incompatible { .. } => PluginCode::Incompatible,
            PluginError::Timeout { .. } => PluginCode::Timeout,
            PluginError::Fuel { .. } => PluginCode::Fuel,
            PluginError::Memory { .. } => PluginCode::Memory,
            PluginError::Trap { .. } => PluginCode::Trap,
            PluginError::LogFlood { .. } => PluginCode::LogFlood,
            PluginError::Result { .. } => PluginCode::Result,
            PluginError::TooManyFindings { .. } => PluginCode::TooManyFindings,
            PluginError::Returned { .. } => PluginCode::Error,
            PluginError::Host { .. } => PluginCode::Host,
        }
    }

    /// What went wrong, in either language. Causes that come from
    /// wasmtime, the operating system or the plugin itself are shown as
    /// they came.
    pub fn text(&self) -> Text {
        match self {
            Self::Read {
                plugin,
                path,
                cause,
            } => tr!(
                "plugin `{plugin}`: cannot read {path}: {cause}",
                plugin = plugin,
                path = path,
                cause = cause.clone()
            ),
            Self::Integrity {
                plugin,
                expected,
                actual,
            } => tr!(
                "plugin `{plugin}`: sha256 mismatch: expected {expected}, found {actual}",
                plugin = plugin,
                expected = expected,
                actual = actual
            ),
            Self::Imports { plugin, names } => tr!(
                "plugin `{plugin}`: refused: it imports {names}",
                plugin = plugin,
                names = names.join(", ")
            ),
            Self::Compile { plugin, cause } => tr!(
                "plugin `{plugin}`: not a loadable component: {cause}",
                plugin = plugin,
                cause = cause
            ),
            Self::Incompatible { plugin, cause } => tr!(
                "plugin `{plugin}`: does not implement naleving:plugin/checker@0.1.0: {cause}",
                plugin = plugin,
                cause = cause
            ),
            Self::Timeout { plugin, timeout_ms } => tr!(
                "plugin `{plugin}`: timed out after {timeout_ms} ms",
                plugin = plugin,
                timeout_ms = timeout_ms
            ),
            Self::Fuel { plugin, fuel } => tr!(
                "plugin `{plugin}`: ran out of fuel ({fuel} units per batch)",
                plugin = plugin,
                fuel = fuel
            ),
            Self::Memory { plugin, memory_mib } => tr!(
                "plugin `{plugin}`: exceeded its memory limit of {memory_mib} MiB",
                plugin = plugin,
                memory_mib = memory_mib
            ),
            Self::Trap { plugin, trap } => tr!(
                "plugin `{plugin}`: crashed: {trap}",
                plugin = plugin,
                trap = trap
            ),
            Self::LogFlood {
                plugin,
                max_lines,
                max_bytes,
            } => tr!(
                "plugin `{plugin}`: killed for logging more than {max_lines} lines or {max_bytes} bytes in one batch",
                plugin = plugin,
                max_lines = max_lines,
                max_bytes = max_bytes
            ),
            Self::Result { plugin, reason } => tr!(
                "plugin `{plugin}`: malformed result: {reason}",
                plugin = plugin,
                reason = reason.clone()
            ),
            Self::TooManyFindings { plugin, count, max } => tr!(
                "plugin `{plugin}`: returned {count} findings for one batch; the limit is {max}",
                plugin = plugin,
                count = count,
                max = max
            ),
            Self::Returned { plugin, message } => tr!(
                "plugin `{plugin}`: reported an error: {message}",
                plugin = plugin,
                message = message
            ),
            Self::Host { cause, .. } => tr!("plugin host: {cause}", cause = cause.clone()),
        }
    }

    /// How to fix it, when there is advice.
    pub fn help_text(&self) -> Option<Text> {
        Some(match self {
            Self::Read { plugin, .. } => tr!(
                "check `plugins.{plugin}.path` in naleving.yaml; it is relative to the project file",
                plugin = plugin
            ),
            Self::Integrity { .. } => tr!(
                "the file is not the plugin that was pinned; if you rebuilt or upgraded it on purpose, \
                 review it and pin the new hash (`sha256sum` prints it)"
            ),
            Self::Imports { .. } => tr!(
                "plugins get no WASI (no files, network, environment or clock); build for \
                 wasm32-unknown-unknown and componentize with plugins/build.sh so that `log` is the \
                 only import"
            ),
            Self::Compile { .. } => tr!(
                "a plugin must be a WebAssembly component (not a core module): build it with \
                 plugins/build.sh"
            ),
            Self::Incompatible { .. } => {
                tr!("rebuild the plugin against plugins/wit/world.wit of this naleving version")
            }
            Self::Timeout { plugin, .. } => tr!(
                "raise `plugins.{plugin}.limits.timeout_ms`, or fix a loop in the plugin",
                plugin = plugin
            ),
            Self::Fuel { plugin, .. } => tr!(
                "raise `plugins.{plugin}.limits.fuel`, lower the batch size, or fix a loop in the plugin",
                plugin = plugin
            ),
            Self::Memory { plugin, .. } => tr!(
                "raise `plugins.{plugin}.limits.memory_mib`, or lower the batch size",
                plugin = plugin
            ),
            Self::Trap { .. } => tr!(
                "the plugin has a bug (a Rust panic shows up as `unreachable`); run its unit tests \
                 natively to find it"
            ),
            Self::LogFlood { .. } => {
                tr!("the plugin should log a summary, not a line per record")
            }
            Self::Result { .. } => tr!(
                "a finding's `index` must be a position in the batch and its `details` the text of a \
                 JSON object"
            ),
            Self::TooManyFindings { .. } => tr!(
                "lower the batch size, or make the plugin report one finding per problem, not per field"
            ),
            Self::Returned { .. } => tr!(
                "the message comes from the plugin; often the rule's `check.plugin.params` are wrong"
            ),
            Self::Host { .. } => return None,
        })
    }

    /// True when the check ran but is incomplete: the plugin trapped, ran
    /// out of fuel, memory or time, flooded the log, or returned a malformed
    /// result or its own error (exit 3).
    pub fn is_incomplete(&self) -> bool {
        matches!(
            self,
            Self::Timeout { .. }
                | Self::Fuel { .. }
                | Self::Memory { .. }
                | Self::Trap { .. }
                | Self::LogFlood { .. }
                | Self::Result { .. }
                | Self::TooManyFindings { .. }
                | Self::Returned { .. }
                | Self::Host { .. }
        )
    }

    /// True when the plugin could not be used at all: unreadable, wrong
    /// hash, forbidden imports, not a component of our world (exit 2).
    pub fn is_unusable_input(&self) -> bool {
        matches!(
            self,
            Self::Read { .. }
                | Self::Integrity { .. }
                | Self::Imports { .. }
                | Self::Compile { .. }
                | Self::Incompatible { .. }
        )
    }
}

/// The English message, as logs and the machine formats show it.
impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en())
    }
}

impl std::error::Error for PluginError {}

impl Diagnostic for PluginError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(PluginError::code(self).as_str()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help_text()
            .map(|help| Box::new(help.en()) as Box<dyn fmt::Display>)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_exactly_one_exit_class() {
        let p = || "p".to_owned();
        let all = [
            PluginError::Read {
                plugin: p(),
                path: p(),
                cause: Text::verbatim(p()),
            },
            PluginError::Integrity {
                plugin: p(),
                expected: p(),
                actual: p(),
            },
            PluginError::Imports {
                plugin: p(),
                names: vec![p()],
            },
            PluginError::Compile {
                plugin: p(),
                cause: p(),
            },
            PluginError::Incompatible {
                plugin: p(),
                cause: p(),
            },
            PluginError::Timeout {
                plugin: p(),
                timeout_ms: 1,
            },
            PluginError::Fuel {
                plugin: p(),
                fuel: 1,
            },
            PluginError::Memory {
                plugin: p(),
                memory_mib: 1,
            },
            PluginError::Trap {
                plugin: p(),
                trap: p(),
            },
            PluginError::LogFlood {
                plugin: p(),
                max_lines: 1,
                max_bytes: 1,
            },
            PluginError::Result {
                plugin: p(),
                reason: Text::verbatim(p()),
            },
            PluginError::TooManyFindings {
                plugin: p(),
                count: 2,
                max: 1,
            },
            PluginError::Returned {
                plugin: p(),
                message: p(),
            },
            PluginError::Host {
                plugin: p(),
                cause: Text::verbatim(p()),
            },
        ];
        for e in &all {
            assert_ne!(e.is_incomplete(), e.is_unusable_input(), "{e:?}");
            let diagnostic = Diagnostic::code(e).map(|c| c.to_string());
            assert_eq!(diagnostic.as_deref(), Some(e.code().as_str()), "{e:?}");
            assert_eq!(e.plugin(), "p");
        }
    }

    #[test]
    fn messages_name_the_plugin() {
        let e = PluginError::Imports {
            plugin: "x".into(),
            names: vec!["wasi:cli/environment@0.2.0".into()],
        };
        assert_eq!(
            e.to_string(),
            "plugin `x`: refused: it imports wasi:cli/environment@0.2.0"
        );
        assert_eq!(e.code().as_str(), "plugin::imports");
    }
}
