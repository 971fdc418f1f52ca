//! The manifest of a run: every input that decides its verdicts, each with
//! the sha256 of its bytes, and one `run_digest` over all of them — so an
//! auditor can say exactly what a report is of, and `check --verify` can
//! rerun it and name what changed.
//!
//! The inputs, in this order: the project file; each rule file; each schema
//! file; each data file read; each waivers file (waivers written in the
//! project file are covered by its digest); the built-in calendar's data
//! (`builtin:gelijkgesteld.yaml`, `builtin:recesses.yaml`: a change to it
//! shows without a new version) and each calendar extension file; each
//! plugin's component (the file as it is; the run checked it against
//! the sha256 the project pins); the baseline. Besides the files, the digest covers
//! naleving's version (its built-in calendar and checks), the evaluation
//! date and the `--rule` / `--collection` selection.
//!
//! Data files and rule files are digested as they were read; the other
//! files are read again once the run is over (a file changed in between
//! shows as changed on `--verify`).

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Options, Run};
use crate::digest::hex;
use crate::problem::relative;
use crate::text::Text;
use crate::tr;

/// The kinds of input, in the order they are listed.
pub const KINDS: &[&str] = &[
    "project", "rule", "schema", "data", "waivers", "calendar", "plugin", "baseline",
];

/// What decided a run's verdicts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// naleving's version.
    pub naleving: String,
    /// The evaluation date.
    pub as_of: String,
    /// The rules selected with `--rule` (all when empty).
    pub rules: Vec<String>,
    /// The collections selected with `--collection` (all when empty).
    pub collections: Vec<String>,
    /// The baseline given with `--baseline`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// The field findings were grouped by (`--group-by`): it changes the
    /// report, not the verdicts, so it is not in the digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Every row of a database table was read and judged in naleving
    /// (`--no-pushdown`): it changes what is read (the digest of a table's
    /// rows), not the verdicts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_pushdown: bool,
    /// A database table's digest is over every row and column
    /// (`--digest-data`), not over the rows read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub digest_data: bool,
    /// Every input file, in the order of the module docs.
    pub inputs: Vec<Input>,
}

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Input {
    /// `project`, `rule`, `schema`, `data`, `waivers`, `calendar`,
    /// `plugin` or `baseline`.
    pub kind: String,
    /// The file, relative to the project (the baseline as given).
    pub path: String,
    /// The sha256 of its bytes, hex; `unreadable` when it could not be read
    /// again after the run. For a database table, of the rows read.
    pub sha256: String,
    /// A database table's transaction snapshot (`pg_current_snapshot()`):
    /// recorded, not part of the run digest (a rerun has another).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// A database table's rows (all of them, read or judged in the
    /// database).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// When checks were pushed down into the database: the rows it sent
    /// back to be judged (the digest is over these and the condition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_read: Option<u64>,
}

impl Manifest {
    /// The manifest of a finished run of `options`.
    pub fn of(options: &Options, run: &Run) -> Manifest {
        let mut inputs = Vec::new();
        let mut add = |kind: &str, path: String, sha256: String| {
            inputs.push(Input {
                kind: kind.to_string(),
                path: path.replace('\\', "/"),
                sha256,
                snapshot: None,
                rows: None,
                rows_read: None,
            });
        };
        let shown = |root: &Path, path: &Path| relative(root, path).display().to_string();
        if let Some(project) = &run.project {
            let root = &project.root;
            if let Some(file) = &project.file {
                add("project", shown(root, file), digest_of(file));
            }
            for (path, digest) in &run.rules.file_digests {
                add("rule", path.display().to_string(), hex(digest));
            }
            let schemas: BTreeSet<&Path> = project
                .collections
                .values()
                .filter_map(|c| c.schema_file.as_deref())
                .collect();
            for path in schemas {
                add("schema", shown(root, path), digest_of(path));
            }
            for file in &run.dataset.files {
                add(
                    "data",
                    file.display.display().to_string(),
                    hex(&file.digest),
                );
            }
            // Waivers written in the project file are in its digest.
            let inline = project.file.as_deref().map(|f| relative(root, f));
            let waivers: BTreeSet<&Path> = project
                .waivers
                .iter()
                .map(|w| w.file.as_path())
                .filter(|f| inline.as_deref() != Some(*f))
                .collect();
            for path in waivers {
                add("waivers", shown(root, path), digest_of(&root.join(path)));
            }
            // The built-in calendar's data, then the project's extensions.
            for (name, text) in crate::calendar::builtin_files() {
                add(
                    "calendar",
                    name.to_string(),
                    hex(&Sha256::digest(text.as_bytes())),
                );
            }
            for path in &project.calendar_extend {
                add("calendar", shown(root, path), digest_of(path));
            }
            for plugin in &project.plugins {
                add("plugin", shown(root, &plugin.path), digest_of(&plugin.path));
            }
        }
        if let Some(path) = &options.baseline {
            add("baseline", path.display().to_string(), digest_of(path));
        }
        // A database table's snapshot and row count, for the record.
        for file in &run.dataset.files {
            let Some(read) = &file.database else {
                continue;
            };
            let path = file.display.display().to_string();
            if let Some(input) = inputs
                .iter_mut()
                .find(|i| i.kind == "data" && i.path == path)
            {
                input.snapshot = Some(read.snapshot.clone());
                let left = read.pushed.as_ref().map_or(0, |p| p.left);
                input.rows = Some(read.rows + left);
                input.rows_read = read.pushed.as_ref().map(|_| read.rows);
            }
        }
        // Within a kind, by path (data files come in the order they were
        // read otherwise).
        let rank = |kind: &str| KINDS.iter().position(|k| *k == kind);
        inputs.sort_by(|a, b| (rank(&a.kind), &a.path).cmp(&(rank(&b.kind), &b.path)));
        Manifest {
            naleving: env!("CARGO_PKG_VERSION").to_string(),
            as_of: run.as_of.to_string(),
            rules: sorted(&options.rules),
            collections: sorted(&options.collections),
            baseline: options.baseline.as_ref().map(|p| p.display().to_string()),
            group_by: options.group_by.clone(),
            no_pushdown: options.no_pushdown,
            digest_data: options.digest_data,
            inputs,
        }
    }

    /// The sha256 over everything in the manifest, hex: the same for two
    /// runs exactly when they had the same inputs, version, date and
    /// selection.
    pub fn run_digest(&self) -> String {
        let mut hasher = Sha256::new();
        let mut line = |parts: &[&str]| {
            hasher.update(parts.join("\t").as_bytes());
            hasher.update(b"\n");
        };
        line(&["naleving-run-digest", "1"]);
        line(&["naleving", &self.naleving]);
        line(&["as_of", &self.as_of]);
        line(&["rules", &self.rules.join(",")]);
        line(&["collections", &self.collections.join(",")]);
        for input in &self.inputs {
            line(&[&input.kind, &input.path, &input.sha256]);
        }
        hex(&hasher.finalize())
    }

    /// What differs from `earlier` (the manifest of a report), in words,
    /// one line each; empty when nothing does.
    pub fn changes_since(&self, earlier: &Manifest) -> Vec<Text> {
        let mut changes = Vec::new();
        if self.naleving != earlier.naleving {
            changes.push(tr!(
                "naleving {before} → {now}",
                before = &earlier.naleving,
                now = &self.naleving
            ));
        }
        for (name, before, now) in [
            ("as_of", &earlier.as_of, &self.as_of),
            ("--rule", &earlier.rules.join(", "), &self.rules.join(", ")),
            (
                "--collection",
                &earlier.collections.join(", "),
                &self.collections.join(", "),
            ),
        ] {
            if before != now {
                changes.push(tr!(
                    "{name}: {before} → {now}",
                    name = name,
                    before = format!("{before:?}"),
                    now = format!("{now:?}")
                ));
            }
        }
        let key = |i: &Input| (i.kind.clone(), i.path.clone());
        for input in &self.inputs {
            match earlier.inputs.iter().find(|e| key(e) == key(input)) {
                Some(before) if before.sha256 != input.sha256 => {
                    changes.push(tr!(
                        "changed {kind} {path}",
                        kind = &input.kind,
                        path = &input.path
                    ));
                }
                Some(_) => {}
                None => changes.push(tr!(
                    "added {kind} {path}",
                    kind = &input.kind,
                    path = &input.path
                )),
            }
        }
        for before in &earlier.inputs {
            if !self.inputs.iter().any(|i| key(i) == key(before)) {
                changes.push(tr!(
                    "removed {kind} {path}",
                    kind = &before.kind,
                    path = &before.path
                ));
            }
        }
        changes
    }
}

fn sorted(names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    names.sort();
    names.dedup();
    names
}

/// The sha256 of a file's bytes, hex; `unreadable` when it cannot be read.
fn digest_of(path: &Path) -> String {
    match crate::read::bytes(path) {
        Ok(bytes) => hex(&Sha256::digest(&bytes)),
        Err(_) => "unreadable".to_string(),
    }
}
