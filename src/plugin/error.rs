//! The plugin host's diagnostics: one variant per way a plugin can fail.
//!
//! Every variant names the plugin and carries its cause as text, so the enum
//! is `Clone` and the caller (the engine) can wrap it with the rule id and
//! batch number. Two groups matter for the exit code (SPEC §6): a plugin that
//! cannot be used at all ([`PluginError::is_unusable_input`], exit 2) and a
//! plugin that failed while checking ([`PluginError::is_incomplete`], exit 3).

use miette::Diagnostic;
use thiserror::Error;

use super::PluginCode;

/// Why a plugin could not be loaded or could not check a batch.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[non_exhaustive]
pub enum PluginError {
    /// The plugin file could not be read.
    #[error("plugin `{plugin}`: cannot read {path}: {cause}")]
    #[diagnostic(
        code(plugin::read),
        help("check `plugins.{plugin}.path` in naleving.yaml; it is relative to the project file")
    )]
    Read {
        /// Plugin name from the project file.
        plugin: String,
        /// Path that was read.
        path: String,
        /// The operating system's reason.
        cause: String,
    },

    /// The plugin file's sha256 differs from the one pinned in the project file.
    #[error("plugin `{plugin}`: sha256 mismatch: expected {expected}, found {actual}")]
    #[diagnostic(
        code(plugin::integrity),
        help(
            "the file is not the plugin that was pinned; if you rebuilt or upgraded it on purpose, \
             review it and pin the new hash (`sha256sum` prints it)"
        )
    )]
    Integrity {
        /// Plugin name from the project file.
        plugin: String,
        /// The pinned hash, as written in the project file.
        expected: String,
        /// The hash of the file on disk.
        actual: String,
    },

    /// The component imports something besides the world's own `log`.
    #[error("plugin `{plugin}`: refused: it imports {}", names.join(", "))]
    #[diagnostic(
        code(plugin::imports),
        help(
            "plugins get no WASI (no files, network, environment or clock); build for \
             wasm32-unknown-unknown and componentize with plugins/build.sh so that `log` is the \
             only import"
        )
    )]
    Imports {
        /// Plugin name from the project file.
        plugin: String,
        /// Every import that is not allowed, as named in the component.
        names: Vec<String>,
    },

    /// The file is not a valid WebAssembly component, or compiling it failed.
    #[error("plugin `{plugin}`: not a loadable component: {cause}")]
    #[diagnostic(
        code(plugin::compile),
        help(
            "a plugin must be a WebAssembly component (not a core module): build it with \
             plugins/build.sh"
        )
    )]
    Compile {
        /// Plugin name from the project file.
        plugin: String,
        /// The compiler's reason.
        cause: String,
    },

    /// The component does not implement the `naleving:plugin/checker` world
    /// (missing export, wrong signature, wrong `log` type).
    #[error("plugin `{plugin}`: does not implement naleving:plugin/checker@0.1.0: {cause}")]
    #[diagnostic(
        code(plugin::incompatible),
        help("rebuild the plugin against plugins/wit/world.wit of this naleving version")
    )]
    Incompatible {
        /// Plugin name from the project file.
        plugin: String,
        /// The linker's reason.
        cause: String,
    },

    /// The plugin ran longer than `timeout_ms` (wall clock).
    #[error("plugin `{plugin}`: timed out after {timeout_ms} ms")]
    #[diagnostic(
        code(plugin::timeout),
        help("raise `plugins.{plugin}.limits.timeout_ms`, or fix a loop in the plugin")
    )]
    Timeout {
        /// Plugin name from the project file.
        plugin: String,
        /// The limit that was exceeded.
        timeout_ms: u64,
    },

    /// The plugin used up its fuel (instructions) for the batch.
    #[error("plugin `{plugin}`: ran out of fuel ({fuel} units per batch)")]
    #[diagnostic(
        code(plugin::fuel),
        help(
            "raise `plugins.{plugin}.limits.fuel`, lower the batch size, or fix a loop in the plugin"
        )
    )]
    Fuel {
        /// Plugin name from the project file.
        plugin: String,
        /// The budget that was exhausted.
        fuel: u64,
    },

    /// The plugin tried to grow its memory beyond `memory_mib`.
    #[error("plugin `{plugin}`: exceeded its memory limit of {memory_mib} MiB")]
    #[diagnostic(
        code(plugin::memory),
        help("raise `plugins.{plugin}.limits.memory_mib`, or lower the batch size")
    )]
    Memory {
        /// Plugin name from the project file.
        plugin: String,
        /// The limit that was exceeded.
        memory_mib: u32,
    },

    /// The plugin crashed: a panic, `unreachable`, a stack overflow, an
    /// out-of-bounds memory access, or a malformed value at the boundary.
    #[error("plugin `{plugin}`: crashed: {trap}")]
    #[diagnostic(
        code(plugin::trap),
        help(
            "the plugin has a bug (a Rust panic shows up as `unreachable`); run its unit tests \
             natively to find it"
        )
    )]
    Trap {
        /// Plugin name from the project file.
        plugin: String,
        /// The trap as wasmtime describes it.
        trap: String,
    },

    /// The plugin logged more lines or bytes than allowed for one batch.
    #[error(
        "plugin `{plugin}`: killed for logging more than {max_lines} lines or {max_bytes} bytes in one batch"
    )]
    #[diagnostic(
        code("plugin::log-flood"),
        help("the plugin should log a summary, not a line per record")
    )]
    LogFlood {
        /// Plugin name from the project file.
        plugin: String,
        /// Line budget per batch.
        max_lines: usize,
        /// Byte budget per batch.
        max_bytes: usize,
    },

    /// The plugin returned a result the host cannot trust.
    #[error("plugin `{plugin}`: malformed result: {reason}")]
    #[diagnostic(
        code(plugin::result),
        help(
            "a finding's `index` must be a position in the batch and its `details` the text of a \
             JSON object"
        )
    )]
    Result {
        /// Plugin name from the project file.
        plugin: String,
        /// What is wrong with the result.
        reason: String,
    },

    /// The plugin returned more findings for one batch than allowed.
    #[error("plugin `{plugin}`: returned {count} findings for one batch; the limit is {max}")]
    #[diagnostic(
        code("plugin::too-many-findings"),
        help(
            "lower the batch size, or make the plugin report one finding per problem, not per field"
        )
    )]
    TooManyFindings {
        /// Plugin name from the project file.
        plugin: String,
        /// How many it returned.
        count: usize,
        /// The limit.
        max: usize,
    },

    /// The plugin declined the batch with its own error message.
    #[error("plugin `{plugin}`: reported an error: {message}")]
    #[diagnostic(
        code(plugin::error),
        help(
            "the message comes from the plugin; often the rule's `check.plugin.params` are wrong"
        )
    )]
    Returned {
        /// Plugin name from the project file.
        plugin: String,
        /// The plugin's `Err` string (truncated to the message limit).
        message: String,
    },

    /// The host itself failed (a thread could not be started, the cache
    /// directory could not be created, ...).
    #[error("plugin host: {cause}")]
    #[diagnostic(code(plugin::host))]
    Host {
        /// Plugin name, empty when no plugin was involved.
        plugin: String,
        /// What failed.
        cause: String,
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
                cause: p(),
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
                reason: p(),
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
                cause: p(),
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
