//! The layers of `src/`: a module may use the modules below it, never one
//! above. The order is the architecture in one list (lib.rs says the same
//! in words); this test reads every `crate::<module>` path in the code
//! (comments aside) and fails on a path that goes up, so an import circle
//! cannot come back unnoticed.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::root;

/// From the bottom up. Modules on one line are of one layer and must not
/// use each other either.
const LAYERS: &[&[&str]] = &[
    &["text"],
    &["atomic", "digest", "fields", "problem", "sql", "walk"],
    &["read"],
    &["calendar"],
    &["strict"],
    &["finding", "plugin"],
    &["waiver", "table_schema"],
    &["project"],
    &["data"],
    &["expr"],
    &["check"],
    &["rule"],
    &["schema", "baseline"],
    &["engine"],
    &["report", "test_runner"],
    &["cli"],
];

/// The layer of a top-level module.
fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module a source file belongs to (`src/check/steps.rs` is
/// in `check`), or `None` for the crate root and the binary.
fn module_of(path: &Path, src: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// Every `crate::<name>` in the code of `text` (comment lines left out); a
/// macro (`crate::<name>!`) comes back with its `!`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let mut name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if rest[name.len()..].starts_with('!') {
                name.push('!');
            }
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module that defines each `#[macro_export]`ed macro (exported
/// macros live at the crate root, but belong to the file declaring them).
fn macro_homes(files: &[std::path::PathBuf], src: &Path) -> Vec<(String, String)> {
    let mut homes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("macro_rules! ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(module) = module_of(file, src) {
                    homes.push((format!("{name}!"), module));
                }
            }
        }
    }
    homes
}

/// The uses that go up or sideways, as `file: module -> used`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let macros = macro_homes(&files, src);
    let mut found = Vec::new();
    for file in files {
        let Some(module) = module_of(&file, src) else {
            continue;
        };
        let Some(own) = layer(&module) else {
            found.push(format!(
                "{}: module `{module}` is in no layer of tests/layers.rs",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in crate_paths(&text) {
            let used = macros
                .iter()
                // `crate::tr!(…)`, or the macro imported as `use crate::tr;`.
                .find(|(name, _)| *name == used || name.strip_suffix('!') == Some(used.as_str()))
                .map_or(used, |(_, home)| home.clone());
            if used == module {
                continue;
            }
            match layer(&used) {
                Some(theirs) if theirs < own => {}
                _ => found.push(format!(
                    "{}: `{module}` uses `{used}`, which is not below it",
                    file.strip_prefix(src).unwrap_or(&file).display()
                )),
            }
        }
    }
    found
}

#[test]
fn no_module_uses_one_above_it() {
    let found = violations(&root().join("src"));
    assert!(
        found.is_empty(),
        "imports against the layers (move the helper down, or the module up):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_module_is_in_a_layer() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(!declared.is_empty());
    for module in declared {
        assert!(layer(module).is_some(), "`{module}` is in no layer");
    }
}

/// The test itself catches an upward use (a mutation it must fail on).
#[test]
fn an_upward_use_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("data")).unwrap();
    std::fs::write(
        src.join("data/mod.rs"),
        "//! x\nuse crate::problem::Problem;\n// crate::engine in a comment\nfn f() { crate::check::get(); }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("finding.rs"),
        "use crate::rule::Severity;\ncrate::codes! { }\n",
    )
    .unwrap();
    std::fs::write(src.join("problem.rs"), "macro_rules! codes { () => {} }\n").unwrap();
    std::fs::write(
        src.join("rule.rs"),
        "crate::problem::x(); crate::codes! {}\n",
    )
    .unwrap();
    let found = violations(src);
    assert_eq!(
        found,
        [
            "data/mod.rs: `data` uses `check`, which is not below it",
            "finding.rs: `finding` uses `rule`, which is not below it",
        ]
    );
}
