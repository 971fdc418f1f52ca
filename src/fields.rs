//! A record's fields, in the order they are written (issue #20, point 4):
//! the type every loader fills and every check reads ([`crate::data`]
//! re-exports it; it lives low so that `table_schema` can type a record).
//!
//! Most records have a handful of fields. serde_json's `Map` (an `IndexMap`
//! with `preserve_order`) gives each record a hash table besides its list of
//! entries: two allocations and a hash per field to build, for lookups that
//! a scan of a few names answers faster (see [`super::get`]). A [`Fields`]
//! of up to [`Fields::SMALL`] fields is a plain list of `(name, value)`;
//! a larger record keeps serde_json's map, so a record with thousands of
//! fields is still built and searched in linear time.
//!
//! Both keep what serde_json's map keeps: the written order, and for a name
//! written twice its first place and its last value. Values nested in a
//! record are still serde_json `Value`s.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// The fields of one record. Two are equal when they hold the same fields
/// in the same order, whichever form each has.
#[derive(Clone, Debug)]
pub enum Fields {
    /// Up to [`Fields::SMALL`] fields, searched by name.
    Small(Vec<(String, Value)>),
    /// More fields: serde_json's map, searched by hash.
    Large(Map<String, Value>),
}

impl PartialEq for Fields {
    fn eq(&self, other: &Fields) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Default for Fields {
    fn default() -> Fields {
        Fields::Small(Vec::new())
    }
}

impl Fields {
    /// The most fields kept as a list.
    pub const SMALL: usize = 32;

    /// No fields, with room for `capacity` of them.
    pub fn with_capacity(capacity: usize) -> Fields {
        if capacity > Self::SMALL {
            Fields::Large(Map::with_capacity(capacity))
        } else {
            Fields::Small(Vec::with_capacity(capacity))
        }
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        match self {
            Fields::Small(list) => list.len(),
            Fields::Large(map) => map.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of the field `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Fields::Small(list) => {
                // Length and first byte before the bytes: most names differ there.
                let first = name.as_bytes().first();
                list.iter()
                    .find(|(k, _)| {
                        k.len() == name.len() && k.as_bytes().first() == first && k.as_str() == name
                    })
                    .map(|(_, v)| v)
            }
            Fields::Large(map) => map.get(name),
        }
    }

    /// The value of the field `name`, to change it.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Fields::Small(list) => list.iter_mut().find(|(k, _)| k == name).map(|(_, v)| v),
            Fields::Large(map) => map.get_mut(name),
        }
    }

    /// Whether the record has a field `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets the field `name`: a name already there keeps its place and
    /// takes the new value (as serde_json's map does).
    pub fn insert(&mut self, name: String, value: Value) {
        match self {
            Fields::Small(list) => {
                if let Some(slot) = list.iter_mut().find(|(k, _)| *k == name) {
                    slot.1 = value;
                } else if list.len() < Self::SMALL {
                    list.push((name, value));
                } else {
                    let mut map: Map<String, Value> = std::mem::take(list).into_iter().collect();
                    map.insert(name, value);
                    *self = Fields::Large(map);
                }
            }
            Fields::Large(map) => {
                map.insert(name, value);
            }
        }
    }

    /// Removes the field `name` and gives its value. As serde_json's map
    /// (with `preserve_order`) does, the last field takes its place.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        match self {
            Fields::Small(list) => {
                let at = list.iter().position(|(k, _)| k == name)?;
                Some(list.swap_remove(at).1)
            }
            Fields::Large(map) => map.remove(name),
        }
    }

    /// The fields in their written order, their values to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Value)> + '_ {
        let (small, large) = match self {
            Fields::Small(list) => (Some(list.iter_mut().map(|(k, v)| (&*k, v))), None),
            Fields::Large(map) => (None, Some(map.iter_mut())),
        };
        small
            .into_iter()
            .flatten()
            .chain(large.into_iter().flatten())
    }

    /// The fields in their written order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> + '_ {
        let (small, large) = match self {
            Fields::Small(list) => (Some(list.iter().map(|(k, v)| (k, v))), None),
            Fields::Large(map) => (None, Some(map.iter())),
        };
        small
            .into_iter()
            .flatten()
            .chain(large.into_iter().flatten())
    }

    /// The names in their written order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values in their written order.
    pub fn values(&self) -> impl Iterator<Item = &Value> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// The fields as serde_json's map, in their written order.
    pub fn into_map(self) -> Map<String, Value> {
        match self {
            Fields::Small(list) => list.into_iter().collect(),
            Fields::Large(map) => map,
        }
    }

    /// A copy as serde_json's map.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

impl From<Map<String, Value>> for Fields {
    fn from(map: Map<String, Value>) -> Fields {
        if map.len() > Self::SMALL {
            Fields::Large(map)
        } else {
            Fields::Small(map.into_iter().collect())
        }
    }
}

impl FromIterator<(String, Value)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(items: I) -> Fields {
        let mut fields = Fields::default();
        for (name, value) in items {
            fields.insert(name, value);
        }
        fields
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a Value);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Value)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, value) in self.iter() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// What a field path is read from: a record's [`Fields`] or a mapping
/// nested in one (`stappen`).
pub trait Lookup {
    /// The value of the top-level name `name`.
    fn lookup(&self, name: &str) -> Option<&Value>;
}

impl Lookup for Fields {
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl Lookup for Map<String, Value> {
    fn lookup(&self, name: &str) -> Option<&Value> {
        get_in_map(self, name)
    }
}

/// Mappings with at most this many names are searched by name (see
/// [`get_in_map`]).
pub(crate) const SCAN: usize = 16;

/// A name in a mapping. A mapping has a dozen names or so, and comparing
/// that many names (most differ in length) is cheaper than hashing one
/// (serde_json's map hashes with SipHash); larger mappings are looked up by
/// hash.
fn get_in_map<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if fields.len() <= SCAN {
        // Length and first byte before the bytes: most names differ there.
        let first = name.as_bytes().first();
        fields
            .iter()
            .find(|(k, _)| {
                k.len() == name.len() && k.as_bytes().first() == first && k.as_str() == name
            })
            .map(|(_, v)| v)
    } else {
        fields.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A list and a map hold the same fields the same way: order, a name
    /// written twice (first place, last value), lookups, and the JSON.
    #[test]
    fn small_and_large_fields_keep_order_and_the_last_value() {
        for n in [3usize, Fields::SMALL, Fields::SMALL + 1, 200] {
            let mut fields = Fields::with_capacity(1);
            let mut map = Map::new();
            for i in 0..n {
                fields.insert(format!("f{i}"), json!(i));
                map.insert(format!("f{i}"), json!(i));
            }
            fields.insert("f0".to_string(), json!("again"));
            map.insert("f0".to_string(), json!("again"));
            assert_eq!(fields.len(), n);
            assert_eq!(matches!(fields, Fields::Large(_)), n > Fields::SMALL, "{n}");
            assert_eq!(fields.get("f0"), Some(&json!("again")));
            assert_eq!(fields.get(&format!("f{}", n - 1)), Some(&json!(n - 1)));
            assert_eq!(fields.get("nope"), None);
            assert_eq!(
                serde_json::to_string(&fields).unwrap(),
                serde_json::to_string(&map).unwrap()
            );
            assert_eq!(fields.clone().into_map(), map);
            assert_eq!(Fields::from(map.clone()).to_map(), map);
            // Equal by content, whichever form each side has.
            let listed = Fields::Small(map.clone().into_iter().collect());
            assert_eq!(listed, Fields::Large(map.clone()));
            assert_ne!(listed, Fields::default());
            assert_eq!(fields.keys().count(), n);
            // Removing: the last field takes the place, as in serde_json's map.
            let (mut fewer, mut map) = (fields.clone(), map.clone());
            assert_eq!(fewer.remove("f1"), map.remove("f1"));
            assert_eq!(fewer.remove("nope"), None);
            assert_eq!(fewer.clone().into_map(), map);
            assert!(fewer.keys().eq(map.keys()));
        }
    }
}
