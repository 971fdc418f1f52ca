//! Reading a record's fields: by name, by dotted path, as a lookup key.
//! Every module that reads a field of a record (the checks, expressions,
//! the key of a record as it loads) reads it here.

use serde_json::Value;

use super::Record;
use crate::fields::Lookup;

/// Reads a (possibly dotted) field path from a record's fields (or a
/// mapping in one).
pub fn field<'a, F: Lookup + ?Sized>(fields: &'a F, path: &str) -> Option<&'a Value> {
    // Most paths are one name: looked up without splitting.
    let Some((first, rest)) = path.split_once('.') else {
        return get(fields, path);
    };
    let mut current = get(fields, first)?;
    for part in rest.split('.') {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// A top-level field of a record (or of a mapping in one).
pub fn get<'a, F: Lookup + ?Sized>(fields: &'a F, name: &str) -> Option<&'a Value> {
    fields.lookup(name)
}

/// True when a value counts as present: not null, not an empty or blank
/// string, not an empty list or map.
pub fn is_present(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

/// What a record is found by in a [`Check::looks_up`] index: its key, or
/// the value of `field` as a key (`None` when it has none).
pub fn lookup_key(record: &Record, field_name: Option<&str>) -> Option<String> {
    match field_name {
        None => Some(record.key.clone()),
        Some(name) => field(&record.fields, name).and_then(as_key),
    }
}

/// A value as text for keys and comparisons (never shown to users).
pub fn as_key(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => number_key(n).ok(),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number as a key: an integer as its digits, whether written `1` or
/// `1.0`, so the two name one record. A number JSON cannot hold exactly (an
/// integer beyond 2⁵³ written with a fraction or exponent, or beyond 2⁶⁴)
/// is refused: two different keys could become one.
pub fn number_key(n: &serde_json::Number) -> Result<String, crate::text::Text> {
    if n.is_i64() || n.is_u64() {
        return Ok(n.to_string());
    }
    let float = n
        .as_f64()
        .ok_or_else(|| crate::tr!("not a finite number"))?;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if float.abs() >= EXACT {
        return Err(crate::tr!(
            "too large to keep exactly; write the key as a string"
        ));
    }
    if float.fract() == 0.0 {
        return Ok(format!("{}", float as i64));
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_one_key_however_written() {
        let key = |text: &str| number_key(&serde_json::from_str(text).unwrap());
        assert_eq!(key("1"), Ok("1".to_string()));
        assert_eq!(key("1.0"), Ok("1".to_string()));
        assert_eq!(key("-2e0"), Ok("-2".to_string()));
        assert_eq!(key("1.5"), Ok("1.5".to_string()));
        assert_eq!(
            key("18446744073709551615"),
            Ok("18446744073709551615".to_string())
        );
        assert!(key("18446744073709551616").is_err());
        assert!(key("9007199254740993.0").is_err());
    }

    /// A path of one name, of several, with empty parts or through a
    /// value that is no object finds what walking the objects finds.
    #[test]
    fn field_paths_walk_the_objects() {
        let record = serde_json::json!({
            "a": {"b": {"c": 1}, "": 2},
            "x": 3,
            "": {"y": 4},
        });
        let Value::Object(fields) = record else {
            unreachable!()
        };
        let walk = |path: &str| {
            let mut current = Some(&fields);
            let mut value = None;
            for part in path.split('.') {
                value = current.and_then(|m| m.get(part));
                current = value.and_then(Value::as_object);
            }
            value
        };
        for path in [
            "a", "a.b", "a.b.c", "a.b.c.d", "a.", "a..", "x", "x.y", "", ".y", "z", "a.z", "a.b.z",
        ] {
            assert_eq!(field(&fields, path), walk(path), "{path}");
        }
    }

    /// `get` finds what the map's own lookup finds, for records searched by
    /// name and for larger ones looked up by hash, with names that share a
    /// length, a first byte, or both.
    #[test]
    fn get_finds_what_the_map_finds() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "ac",
            "ba",
            "abc",
            "abd",
            "é",
            "éa",
            "id",
            "regio",
            "regia",
            "soort",
            "ontvangen_op",
            "ontvangen_om",
            "x1",
            "x2",
            "x3",
            "x4",
            "x5",
            "x6",
        ];
        let asked: Vec<&str> = names.iter().copied().chain(["zz", "abcd", "A"]).collect();
        for size in 0..=names.len() {
            let fields: serde_json::Map<String, Value> = names[..size]
                .iter()
                .enumerate()
                .map(|(i, name)| (name.to_string(), Value::from(i)))
                .collect();
            let record = crate::fields::Fields::from(fields.clone());
            for name in &asked {
                assert_eq!(
                    get(&fields, name),
                    fields.get(*name),
                    "{name:?} in {size} fields"
                );
                assert_eq!(get(&record, name), fields.get(*name), "{name:?} in {size}");
            }
        }
        assert!(
            names.len() > crate::fields::SCAN,
            "both ways must be tested"
        );
    }
}
