//! The reproducibility manifest (issue #16, point 3): `run_digest` over every
//! input that decides the verdicts, and `check --verify REPORT.json`, which
//! reruns the report's check and names what changed.

use std::path::Path;

use serde_json::Value;

use crate::support::{append_to_project, naleving, reference_copy, run};

/// A copy of the reference project with a waivers file (one waiver that
/// applies), a calendar extension and a baseline, and its JSON report
/// (with `--fail-on-changed`, which `--verify` must replay).
fn project() -> tempfile::TempDir {
    let dir = reference_copy();
    let root = dir.path();
    append_to_project(
        root,
        "waivers: waivers.yaml\ncalendar_extend: [kalender.yaml]\n",
    );
    std::fs::write(
        root.join("waivers.yaml"),
        "- { rule: bedrag-ontbreekt, record: csg-2021, reason: \"begroting volgt\", approved_by: auditor }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("kalender.yaml"),
        "gelijkgesteld:\n  - { date: 2030-05-31, source: \"Besluit van 24 oktober 2016 (test)\" }\n",
    )
    .unwrap();
    let (code, _, err) = run(naleving().current_dir(root).args([
        "baseline",
        "write",
        "baseline.json",
        "--rule",
        "structurele-reeks-onderbroken",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(naleving().current_dir(root).args([
        "check",
        "--baseline",
        "baseline.json",
        "--fail-on-changed",
        "--fail-on",
        "warning",
        "--format",
        "json=report.json",
    ]));
    assert_eq!(code, 1, "{err}");
    dir
}

fn verify(root: &Path) -> (i32, String) {
    let (code, out, err) = run(naleving().current_dir(root).args([
        "check",
        "--verify",
        "report.json",
        "--lang",
        "en",
    ]));
    (code, out + &err)
}

fn report(root: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(root.join("report.json")).unwrap()).unwrap()
}

#[test]
fn the_manifest_lists_every_input_with_its_digest() {
    let dir = project();
    let report = report(dir.path());
    let manifest = &report["manifest"];
    assert_eq!(manifest["as_of"], "2021-01-15");
    assert_eq!(manifest["baseline"], "baseline.json");
    let inputs = manifest["inputs"].as_array().unwrap();
    let kinds: Vec<&str> = inputs.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    for kind in [
        "project", "rule", "schema", "data", "waivers", "calendar", "plugin", "baseline",
    ] {
        assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
    }
    let named = |kind: &str, path: &str| {
        inputs
            .iter()
            .find(|i| i["kind"] == kind && i["path"] == path)
            .unwrap_or_else(|| panic!("no {kind} {path}"))["sha256"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let digest = |path: &str| {
        use sha2::Digest;
        let bytes = std::fs::read(dir.path().join(path)).unwrap();
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    for (kind, path) in [
        ("project", "naleving.yaml"),
        ("waivers", "waivers.yaml"),
        ("calendar", "kalender.yaml"),
        ("baseline", "baseline.json"),
        ("plugin", "plugins/afwegingskader.wasm"),
        ("data", "fixtures/ghnt/kamer/toezeggingen.xlsx"),
        ("rule", "rules/kamer/toezegging-dubbel.yaml"),
        ("schema", "fixtures/ghnt/kamer/toezeggingen.schema.yaml"),
    ] {
        assert_eq!(named(kind, path), digest(path), "{kind} {path}");
    }
    assert_eq!(report["run_digest"].as_str().unwrap().len(), 64);
    // The built-in calendar's data is an input too.
    for name in ["builtin:gelijkgesteld.yaml", "builtin:recesses.yaml"] {
        assert_eq!(named("calendar", name).len(), 64, "{name}");
    }
    // The same digest in SARIF's run properties.
    let (_, sarif, _) = run(naleving().current_dir(dir.path()).args([
        "check",
        "--baseline",
        "baseline.json",
        "--format",
        "sarif",
    ]));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let properties = &sarif["runs"][0]["properties"];
    assert_eq!(properties["run_digest"], report["run_digest"]);
    assert_eq!(properties["inputs"], manifest["inputs"]);
}

#[test]
fn an_unchanged_project_verifies() {
    let dir = project();
    let (code, out) = verify(dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("verified: report.json is what these inputs give, byte for byte ("),
        "{out}"
    );
    // In Dutch, the default.
    let (code, out, _) =
        run(naleving()
            .current_dir(dir.path())
            .args(["check", "--verify", "report.json"]));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("geverifieerd: report.json is wat deze invoer geeft, byte voor byte ("),
        "{out}"
    );
}

/// Changing only a waiver, the baseline, a calendar extension, a plugin, a
/// rule or a data file changes `run_digest`, and `--verify` names it.
#[test]
fn each_changed_input_is_named() {
    let cases: [(&str, &str, &[u8]); 6] = [
        (
            "waivers.yaml",
            "changed waivers waivers.yaml",
            b"- { rule: bedrag-ontbreekt, record: csg-2021, reason: \"begroting volgt later\", approved_by: auditor }\n",
        ),
        (
            "kalender.yaml",
            "changed calendar kalender.yaml",
            b"gelijkgesteld:\n  - { date: 2030-12-27, source: \"Besluit van 24 oktober 2016 (test)\" }\n",
        ),
        ("baseline.json", "changed baseline baseline.json", b""),
        (
            "plugins/afwegingskader.wasm",
            "changed plugin plugins/afwegingskader.wasm",
            b"\0",
        ),
        (
            "rules/kamer/toezegging-dubbel.yaml",
            "changed rule rules/kamer/toezegging-dubbel.yaml",
            b"\n# a comment\n",
        ),
        (
            "fixtures/ghnt/veilig-thuis/meldingen.jsonl",
            "changed data fixtures/ghnt/veilig-thuis/meldingen.jsonl",
            b"\n",
        ),
    ];
    for (file, named, bytes) in cases {
        let dir = project();
        let root = dir.path();
        let before = report(root)["run_digest"].clone();
        let path = root.join(file);
        if file == "baseline.json" {
            // Another baseline: of another rule's findings.
            let (code, _, err) = run(naleving().current_dir(root).args([
                "baseline",
                "write",
                "baseline.json",
                "--rule",
                "nakoming-onbekend-kamerstuk",
            ]));
            assert_eq!(code, 0, "{err}");
        } else if file.ends_with(".yaml") && !file.starts_with("rules/") {
            std::fs::write(&path, bytes).unwrap();
        } else {
            let mut content = std::fs::read(&path).unwrap();
            content.extend_from_slice(bytes);
            std::fs::write(&path, content).unwrap();
        }
        let (code, out) = verify(root);
        assert_eq!(code, 1, "{file}: {out}");
        assert!(
            out.starts_with("not verified: rerunning the check does not give report.json\n"),
            "{out}"
        );
        assert!(
            out.contains(&format!("  what changed since the report:\n    {named}\n")),
            "{file}: {out}"
        );
        // A new report of the changed inputs has another run digest.
        let (_, again, _) = run(naleving().current_dir(root).args([
            "check",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "warning",
            "--format",
            "json",
        ]));
        let again: Value = serde_json::from_str(&again).unwrap();
        assert_ne!(again["run_digest"], before, "{file}");
    }
}

#[test]
fn new_and_gone_findings_are_named() {
    let dir = project();
    let root = dir.path();
    // A melding with a finding gets another key: its findings go, the
    // same ones come under the new key.
    let finding = report(root)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["collection"] == "meldingen" && f["field"].is_string())
        .unwrap()
        .clone();
    let key = finding["record"].as_str().unwrap();
    let data = root.join("fixtures/ghnt/veilig-thuis/meldingen.jsonl");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(
        &data,
        text.replace(&format!("\"{key}\""), "\"VT-XX-2020-9999\""),
    )
    .unwrap();
    let (code, out) = verify(root);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("changed data fixtures/ghnt/veilig-thuis/meldingen.jsonl"),
        "{out}"
    );
    let rule = finding["rule"].as_str().unwrap();
    let field = finding["field"].as_str().unwrap();
    assert!(
        out.contains(&format!(" new:\n    {rule} › VT-XX-2020-9999 › {field}\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("    {rule} › {key} › {field}\n")),
        "{out}"
    );
    assert!(out.contains(" gone:\n"), "{out}");
}

#[test]
fn a_file_that_is_no_report_is_refused() {
    let dir = project();
    let (code, out, err) = run(naleving().current_dir(dir.path()).args([
        "check",
        "--verify",
        "naleving.yaml",
        "--lang",
        "en",
    ]));
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("naleving: naleving.yaml: is not a JSON report ("),
        "{err}"
    );
    let (code, _, err) = run(naleving().current_dir(dir.path()).args([
        "check",
        "--verify",
        "report.json",
        "--rule",
        "x",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}
