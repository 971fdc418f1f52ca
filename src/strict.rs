//! Finding every unknown key in a YAML file before it is deserialized.
//!
//! serde stops at the first unknown field, but a user who misspelt three keys
//! should hear about all three at once. So the project file and rule files are
//! first read into a [`Tree`] that keeps every key's location, and walked
//! against the field names of the Rust types that will deserialize them — the
//! names come from serde itself (see [`fields_of`]), or from the JSON schema
//! derived from the same types (see [`Shape::of`]), so they cannot drift from
//! the types.

use schemars::JsonSchema;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::problem::LineCol;

/// A YAML document with the location of every mapping key.
#[derive(Debug)]
pub enum Tree {
    /// A mapping: keys with their locations, in order.
    Map(Vec<(Spanned<String>, Tree)>),
    /// A sequence.
    Seq(Vec<Tree>),
    /// Anything else.
    Scalar,
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Text>>()? {
            let value = map.next_value::<Tree>()?;
            entries.push((
                Spanned::new(key.value.0, key.referenced, key.defined),
                value,
            ));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Tree>()? {
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
}

/// A scalar read as text, whatever its YAML type: a mapping key (`2020: x`
/// has key "2020"), or a value where text is expected (`record: 12` is
/// "12").
#[derive(Debug, Clone)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text("null".to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// An unknown key and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The dotted path of the mapping it is in (`""` for the top level).
    pub within: String,
    /// The key.
    pub key: String,
    /// Where it is written.
    pub at: LineCol,
    /// The keys that are allowed there.
    pub expected: Vec<String>,
}

/// What keys a mapping may have, and what its values look like.
pub enum Shape {
    /// A struct: these fields; `child` gives the shape of each field's value.
    Struct(&'static [&'static str], fn(&str) -> Shape),
    /// Free-form (names chosen by the user, or scalars).
    Any,
    /// A list whose items have this shape.
    List(fn() -> Shape),
    /// A map with free keys whose values have this shape.
    MapOf(fn() -> Shape),
    /// A struct read off a JSON schema (see [`Shape::of`]): its fields, each
    /// with the shape of its value.
    Fields(Vec<(String, Shape)>),
    /// A list read off a JSON schema, whose items have this shape.
    Items(Box<Shape>),
    /// A map with free keys read off a JSON schema, whose values have this
    /// shape.
    Values(Box<Shape>),
}

impl Shape {
    /// The shape of `T`, read off its JSON schema: every struct that denies
    /// unknown fields (`additionalProperties: false`) at any depth, through
    /// lists, maps, options and enums of structs (whose variants' keys are
    /// merged: `check: { required: … }` may name any kind). What the schema
    /// leaves open is [`Shape::Any`].
    pub fn of<T: JsonSchema>() -> Shape {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
        let value = schema.as_value();
        let mut defs = value
            .get("$defs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // The root refers to itself as `#`.
        defs.insert("#".to_string(), value.clone());
        from_schema(value, &defs, &mut vec!["#".to_string()])
    }
}

/// See [`Shape::of`]. `within` holds the definitions being expanded, so a
/// recursive type ends in [`Shape::Any`] instead of recursing forever.
fn from_schema(schema: &Value, defs: &Map<String, Value>, within: &mut Vec<String>) -> Shape {
    let Some(object) = schema.as_object() else {
        return Shape::Any;
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/$defs/").unwrap_or(reference);
        let Some(def) = defs.get(name).filter(|_| !within.iter().any(|w| w == name)) else {
            return Shape::Any;
        };
        within.push(name.to_string());
        let shape = from_schema(def, defs, within);
        within.pop();
        return shape;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = object.get(key).and_then(Value::as_array) {
            let shapes = branches
                .iter()
                .map(|b| from_schema(b, defs, within))
                .filter(|s| !matches!(s, Shape::Any))
                .collect();
            return union(shapes);
        }
    }
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        if object.get("additionalProperties") != Some(&Value::Bool(false)) {
            return Shape::Any;
        }
        let fields = properties
            .iter()
            .map(|(key, value)| (key.clone(), from_schema(value, defs, within)))
            .collect();
        return Shape::Fields(fields);
    }
    let nested = |key: &str, within: &mut Vec<String>| {
        object
            .get(key)
            .filter(|v| v.is_object())
            .map(|v| from_schema(v, defs, within))
            .filter(|s| !matches!(s, Shape::Any))
            .map(Box::new)
    };
    if let Some(item) = nested("items", within) {
        return Shape::Items(item);
    }
    if let Some(value) = nested("additionalProperties", within) {
        return Shape::Values(value);
    }
    Shape::Any
}

/// One shape for the branches of an `anyOf`/`oneOf`: the one that says
/// something, or the merged fields of several structs (the first shape of
/// a key wins); [`Shape::Any`] when they cannot be merged.
fn union(mut shapes: Vec<Shape>) -> Shape {
    if shapes.len() <= 1 {
        return shapes.pop().unwrap_or(Shape::Any);
    }
    let mut merged: Vec<(String, Shape)> = Vec::new();
    for shape in shapes {
        let Shape::Fields(fields) = shape else {
            return Shape::Any;
        };
        for (key, value) in fields {
            if !merged.iter().any(|(k, _)| *k == key) {
                merged.push((key, value));
            }
        }
    }
    Shape::Fields(merged)
}

impl UnknownKey {
    /// The problem to report for this key.
    pub fn problem(
        &self,
        code: impl Into<std::borrow::Cow<'static, str>> + Copy,
        path: &std::path::Path,
    ) -> crate::problem::Problem {
        let expected = crate::tr!("expected one of: {keys}", keys = self.expected.join(", "));
        let help = crate::problem::suggest(
            &self.key,
            self.expected.iter().map(String::as_str),
            expected,
        );
        let message = if self.within.is_empty() {
            crate::tr!("unknown key `{key}`", key = &self.key)
        } else {
            crate::tr!(
                "unknown key `{key}` in `{within}`",
                key = &self.key,
                within = &self.within
            )
        };
        crate::problem::Problem::unusable(code, message)
            .in_file(path)
            .at(self.at.line, self.at.column)
            .help(help)
    }
}

/// Parses `text` and reports every key `shape` does not allow. Returns false
/// (after reporting) when the file does not parse or has unknown keys.
pub fn check_keys(
    text: &str,
    shape: &Shape,
    code: impl Into<std::borrow::Cow<'static, str>> + Copy,
    path: &std::path::Path,
    problems: &mut crate::problem::Problems,
) -> bool {
    let tree: Tree = match serde_saphyr::from_str(text) {
        Ok(tree) => tree,
        // The strict pass reports syntax errors with the right code.
        Err(_) => return true,
    };
    let unknown = unknown_keys(&tree, shape);
    for key in &unknown {
        problems.push(key.problem(code, path));
    }
    unknown.is_empty()
}

/// Collects every key of `tree` that `shape` does not allow.
pub fn unknown_keys(tree: &Tree, shape: &Shape) -> Vec<UnknownKey> {
    let mut found = Vec::new();
    walk(tree, shape, "", &mut found);
    found
}

fn walk(tree: &Tree, shape: &Shape, path: &str, found: &mut Vec<UnknownKey>) {
    match (tree, shape) {
        (Tree::Map(entries), Shape::Struct(fields, child)) => {
            for (key, value) in entries {
                let here = join(path, &key.value);
                if fields.contains(&key.value.as_str()) {
                    walk(value, &child(&key.value), &here, found);
                } else {
                    found.push(UnknownKey {
                        within: path.to_string(),
                        key: key.value.clone(),
                        at: LineCol::from(key.referenced),
                        expected: fields.iter().map(|f| f.to_string()).collect(),
                    });
                }
            }
        }
        (Tree::Map(entries), Shape::Fields(fields)) => {
            for (key, value) in entries {
                let here = join(path, &key.value);
                match fields.iter().find(|(name, _)| *name == key.value) {
                    Some((_, shape)) => walk(value, shape, &here, found),
                    None => found.push(UnknownKey {
                        within: path.to_string(),
                        key: key.value.clone(),
                        at: LineCol::from(key.referenced),
                        expected: fields.iter().map(|(name, _)| name.clone()).collect(),
                    }),
                }
            }
        }
        (Tree::Map(entries), Shape::Values(item)) => {
            for (key, value) in entries {
                let here = join(path, &key.value);
                walk(value, item, &here, found);
            }
        }
        (Tree::Seq(items), Shape::Items(item)) => {
            for (index, value) in items.iter().enumerate() {
                walk(value, item, &format!("{path}[{index}]"), found);
            }
        }
        (Tree::Map(entries), Shape::MapOf(item)) => {
            for (key, value) in entries {
                let here = join(path, &key.value);
                walk(value, &item(), &here, found);
            }
        }
        (Tree::Seq(items), Shape::List(item)) => {
            for (index, value) in items.iter().enumerate() {
                walk(value, &item(), &format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

/// The dotted path of `key` in the mapping at `path`.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The field names serde expects for a struct type (or the variant names of
/// an enum), read from its `Deserialize` implementation.
pub fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut probe = Probe(&[]);
    let _ = T::deserialize(&mut probe);
    probe.0
}

/// A deserializer that only records which fields or variants it is asked for.
struct Probe(&'static [&'static str]);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probe")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Stop {
        Stop
    }
}

impl<'de> Deserializer<'de> for &mut Probe {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0 = fields;
        Err(Stop)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0 = variants;
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        a: u32,
        b: Option<u32>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Inner,
        list: Vec<Inner>,
    }

    fn shape() -> Shape {
        Shape::Struct(fields_of::<Outer>(), |key| match key {
            "inner" => Shape::Struct(fields_of::<Inner>(), |_| Shape::Any),
            "list" => Shape::List(|| Shape::Struct(fields_of::<Inner>(), |_| Shape::Any)),
            _ => Shape::Any,
        })
    }

    /// A type whose schema has every form [`Shape::of`] reads.
    #[derive(Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Derived {
        inner: Option<Inner2>,
        list: Vec<Inner2>,
        map: std::collections::BTreeMap<String, Inner2>,
        either: Either,
        free: serde_json::Value,
        nested: Option<Box<Derived>>,
    }

    #[derive(Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner2 {
        a: u32,
    }

    #[derive(Deserialize, schemars::JsonSchema)]
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    #[allow(dead_code)]
    enum Either {
        One(Inner2),
        Two { b: u32 },
    }

    #[test]
    fn shapes_read_off_a_schema_find_unknown_keys_at_every_depth() {
        let yaml = "\
inner: { a: 1, x: 1 }
list: [{ a: 1 }, { yy: 2 }]
map: { k: { a: 1, z: 3 } }
either: { one: { a: 1, w: 4 }, three: 1 }
free: { anything: [1, { goes: 2 }] }
nested: { inner: { a: 1, v: 5 }, nested: { q: 6 } }
extra: 7
";
        let tree: Tree = serde_saphyr::from_str(yaml).unwrap();
        let found = unknown_keys(&tree, &Shape::of::<Derived>());
        let summary: Vec<(&str, &str)> = found
            .iter()
            .map(|u| (u.within.as_str(), u.key.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("inner", "x"),
                ("list[1]", "yy"),
                ("map.k", "z"),
                ("either.one", "w"),
                ("either", "three"),
                // A recursive type is checked once, then left open.
                ("", "extra"),
            ]
        );
        assert_eq!(found[4].expected, ["one", "two"]);
    }

    #[test]
    fn field_names_come_from_serde() {
        assert_eq!(fields_of::<Outer>(), ["name", "inner", "list"]);
        assert_eq!(fields_of::<Inner>(), ["a", "b"]);
    }

    #[test]
    fn every_unknown_key_is_found_with_its_place() {
        let yaml = "name: x\nnaam: y\ninner:\n  a: 1\n  c: 2\nlist:\n  - { a: 1, d: 3 }\n";
        let tree: Tree = serde_saphyr::from_str(yaml).unwrap();
        let found = unknown_keys(&tree, &shape());
        let summary: Vec<(&str, &str, u32, u32)> = found
            .iter()
            .map(|u| (u.within.as_str(), u.key.as_str(), u.at.line, u.at.column))
            .collect();
        assert_eq!(
            summary,
            [
                ("", "naam", 2, 1),
                ("inner", "c", 5, 3),
                ("list[0]", "d", 7, 13)
            ]
        );
    }
}
