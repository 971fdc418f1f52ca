//! `naleving schema`: the JSON Schema of the rule file format, generated from
//! the Rust types rules deserialize into — their `///` docs become the
//! descriptions an editor shows. Point yaml-language-server at it with
//! `# yaml-language-server: $schema=../../schema/rule.schema.json`.

use crate::rule::RuleFile;

/// The schema as pretty-printed JSON, ending in a newline.
pub fn rule_schema() -> String {
    let mut schema = schemars::schema_for!(RuleFile);
    schema.insert("title".to_string(), "naleving rule".into());
    schema.insert(
        "$id".to_string(),
        "https://naleving.invalid/schema/rule.schema.json".into(),
    );
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}
