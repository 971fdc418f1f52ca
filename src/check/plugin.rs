//! `plugin`: a sandboxed WebAssembly plugin checks the records (SPEC §8).
//!
//! ```yaml
//! check:
//!   plugin:
//!     name: afwegingskader      # a plugin pinned in the project file's `plugins:`
//!     params: {}                # passed to the plugin as JSON
//! ```
//! The YAML rule supplies id, severity, basis, docs and tests; the plugin
//! supplies only the logic. Records go to the plugin in batches as JSON text;
//! each finding names a record by its index in the batch and is mapped back to
//! that record's file and line. A batch that traps, runs out of fuel, memory
//! or time, or returns a malformed result makes the check incomplete
//! (`plugin::*`, exit 3) — the batch's records are not silently passed — and
//! the other batches and rules still run.

use crate::tr;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::{BuildCx, BuildError, Check, CheckCx, KindDocs, Outcome, Verdict};
use crate::data::Record;
use crate::finding::Shared;
use crate::plugin::PluginCode;
use crate::problem::Problem;

/// See [`KindDocs`].
pub const DOCS: KindDocs = KindDocs {
    summary: "A sandboxed WebAssembly plugin checks the records.",
    use_for: "logic YAML and CEL cannot express (the afwegingskader)",
    written: "`{ name, params? }`",
    checks: "a sandboxed WebAssembly component, pinned by sha256 in the project file, judges the records (see Plugins)",
};

/// The YAML shape of a `plugin` check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The plugin's name in the project file's `plugins:`.
    pub name: String,
    /// Parameters for the plugin (a mapping), passed as JSON.
    #[serde(default)]
    pub params: Option<Value>,
}

#[derive(Debug)]
struct PluginCheck {
    name: String,
    params: String,
}

pub(super) fn build(spec: Spec, cx: &BuildCx<'_>) -> Result<Box<dyn Check>, Vec<BuildError>> {
    let params = match spec.params {
        None | Some(Value::Null) => "{}".to_string(),
        Some(Value::Object(map)) => Value::Object(map).to_string(),
        Some(_) => {
            return Err(vec![BuildError::invalid(
                tr!("`params` of a plugin check must be a mapping"),
                cx.check_at,
            )]);
        }
    };
    Ok(Box::new(PluginCheck {
        name: spec.name,
        params,
    }))
}

impl Check for PluginCheck {
    fn vars(&self) -> Option<Vec<String>> {
        None
    }

    fn plugin(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn run(&self, cx: &CheckCx<'_>, records: &[&Record]) -> Vec<Outcome> {
        let Some(plugin) = cx.plugins.get(&self.name) else {
            // The engine reports plugins that failed to load; their rules
            // cannot judge anything.
            // An input problem (exit 2), like the load failure behind it.
            return vec![Outcome::Failed(
                Problem::unusable(
                    PluginCode::Unavailable,
                    tr!(
                        "plugin `{plugin}` is not loaded, so {count} records were not checked",
                        plugin = &self.name,
                        count = records.len()
                    ),
                )
                .help(tr!(
                    "see the plugin's own problem above: integrity, imports or a missing file"
                )),
            )];
        };
        let texts: Vec<String> = records
            .iter()
            .map(|r| serde_json::to_string(&r.fields).unwrap_or_else(|_| "{}".to_string()))
            .collect();
        let as_of = cx.as_of.to_string();
        let mut out = Vec::new();
        let mut offset = 0;
        for (batch, chunk) in plugin.batches(&texts).enumerate() {
            match plugin.check_batch(chunk, &self.params, &as_of) {
                Ok(output) => {
                    for finding in output.findings {
                        let message = finding.message;
                        out.push(Outcome::Finding(Verdict {
                            record: offset + finding.index as usize,
                            field: finding.field.map(Shared::from),
                            discriminator: Some(message.clone()),
                            message: message.into(),
                            vars: Vec::new(),
                            details: finding.details.unwrap_or_default().into(),
                            keep_message: false,
                            subject: None,
                            members: Vec::new(),
                        }));
                    }
                }
                Err(err) => {
                    let first = records.first().map_or("", |r| r.key.as_str());
                    let last = records
                        .get(offset + chunk.len() - 1)
                        .map_or("", |r| r.key.as_str());
                    let message = tr!(
                        "plugin `{plugin}` failed on batch {batch} (records {from}–{to}: `{first}` … `{last}`): {cause}",
                        plugin = &self.name,
                        batch = batch + 1,
                        from = offset + 1,
                        to = offset + chunk.len(),
                        first = records.get(offset).map_or(first, |r| r.key.as_str()),
                        last = last,
                        cause = err.text()
                    );
                    let problem = if err.is_unusable_input() {
                        Problem::unusable(err.code(), message)
                    } else {
                        Problem::incomplete(err.code(), message)
                    };
                    out.push(Outcome::Failed(match err.help_text() {
                        Some(help) => problem.help(help),
                        None => problem,
                    }));
                }
            }
            offset += chunk.len();
        }
        out
    }
}
