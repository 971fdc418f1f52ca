//! The parts of a finding that many findings share, kept once: a rule's id,
//! its collection, a data file's path, a message every finding of a rule
//! has, the rule's basis ([`Shared`], [`BasisList`]); and the fingerprint,
//! kept in place instead of on the heap ([`Fingerprint`]).
//!
//! A run with 10⁵ findings held each of these as its own `String`: six or
//! seven allocations per finding, most of them copies of the same text.
//! Cloning a [`Shared`] or a [`BasisList`] counts a reference instead. Both
//! read like the `String` and `Vec` they replace (`&str` and `&[Basis]`
//! through `Deref`), so code that reads findings does not change.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::Basis;

/// Text shared by many findings; a clone counts a reference.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared(Arc<str>);

impl Shared {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Shared {
    fn from(text: &str) -> Shared {
        Shared(Arc::from(text))
    }
}

impl From<String> for Shared {
    fn from(text: String) -> Shared {
        Shared(Arc::from(text))
    }
}

impl From<&String> for Shared {
    fn from(text: &String) -> Shared {
        Shared(Arc::from(text.as_str()))
    }
}

impl From<&Shared> for String {
    fn from(text: &Shared) -> String {
        text.0.to_string()
    }
}

impl AsRef<std::path::Path> for Shared {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&*self.0)
    }
}

impl AsRef<std::ffi::OsStr> for Shared {
    fn as_ref(&self) -> &std::ffi::OsStr {
        std::ffi::OsStr::new(&*self.0)
    }
}

impl From<Shared> for String {
    fn from(text: Shared) -> String {
        text.0.to_string()
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Shared {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Shared> for str {
    fn eq(&self, other: &Shared) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Shared> for &str {
    fn eq(&self, other: &Shared) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A rule's basis, shared by its findings; reads as a `&[Basis]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BasisList(Arc<[Basis]>);

impl Deref for BasisList {
    type Target = [Basis];

    fn deref(&self) -> &[Basis] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a BasisList {
    type Item = &'a Basis;
    type IntoIter = std::slice::Iter<'a, Basis>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<Vec<Basis>> for BasisList {
    fn from(basis: Vec<Basis>) -> BasisList {
        BasisList(basis.into())
    }
}

impl FromIterator<Basis> for BasisList {
    fn from_iter<I: IntoIterator<Item = Basis>>(entries: I) -> BasisList {
        BasisList(entries.into_iter().collect())
    }
}

impl From<&[Basis]> for BasisList {
    fn from(basis: &[Basis]) -> BasisList {
        BasisList(basis.into())
    }
}

impl fmt::Debug for BasisList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for BasisList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A finding's fingerprint: 32 lower-case hex digits (the first 128 bits of
/// a sha256, see [`fingerprint`](super::fingerprint)), kept in place. Reads
/// as a `&str`; orders as its text does.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of 16 digest bytes.
    pub fn of_bytes(bytes: &[u8; 16]) -> Fingerprint {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0; 32];
        for (i, b) in bytes.iter().enumerate() {
            hex[2 * i] = DIGITS[usize::from(b >> 4)];
            hex[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
        }
        Fingerprint(hex)
    }

    /// A fingerprint as written (32 lower-case hex digits), if it is one.
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let bytes: [u8; 32] = text.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .then_some(Fingerprint(bytes))
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        // Always ASCII: made by `of_bytes` or checked by `parse`.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint([b'0'; 32])
    }
}

impl Deref for Fingerprint {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Fingerprint {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Fingerprint {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Fingerprint {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<Fingerprint> for String {
    fn from(fingerprint: Fingerprint) -> String {
        fingerprint.as_str().to_string()
    }
}

impl From<&Fingerprint> for String {
    fn from(fingerprint: &Fingerprint) -> String {
        fingerprint.as_str().to_string()
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// A shared text compares, orders, hashes, prints and serializes as
    /// the text itself, and a clone is the same allocation.
    #[test]
    fn shared_text_behaves_as_its_text() {
        let texts = [
            "", "a", "ab", "b", "regel-1", "regel-10", "regel-2", "é", "Z",
        ];
        for a in texts {
            let shared = Shared::from(a);
            assert_eq!(shared.as_str(), a);
            assert_eq!(&*shared, a);
            let owned = a.to_string();
            assert!(shared == a);
            assert!(a == shared);
            assert!(shared == *a);
            assert!(*a == shared);
            assert!(shared == owned);
            assert!(owned == shared);
            assert_eq!(shared.to_string(), a);
            assert_eq!(format!("{shared:?}"), format!("{a:?}"));
            assert_eq!(
                serde_json::to_string(&shared).unwrap(),
                serde_json::to_string(a).unwrap()
            );
            assert_eq!(String::from(shared.clone()), a);
            for b in texts {
                let other = Shared::from(b.to_string());
                assert_eq!(shared.cmp(&other), a.cmp(b), "{a} against {b}");
                assert_eq!(shared == other, a == b);
                assert_eq!(shared == b, a == b);
            }
        }
        let shared = Shared::from("regel");
        let clone = shared.clone();
        assert!(Arc::ptr_eq(&shared.0, &clone.0));
        let set: BTreeSet<Shared> = texts.iter().map(|t| Shared::from(*t)).collect();
        assert!(set.contains("regel-10"));
        assert!(!set.contains("regel-3"));
        assert_eq!(Shared::default(), "");
    }

    /// A basis list reads as its slice: iterated, indexed, compared and
    /// serialized like the `Vec` it was made from.
    #[test]
    fn basis_lists_read_as_their_entries() {
        let entries = vec![
            Basis {
                citation: "Wet 1".to_string(),
                url: None,
            },
            Basis {
                citation: "Wet 2".to_string(),
                url: Some("https://wetten.overheid.nl/".to_string()),
            },
        ];
        let list = BasisList::from(entries.clone());
        assert_eq!(&*list, entries.as_slice());
        assert_eq!((&list).into_iter().count(), 2);
        assert_eq!(list.first(), entries.first());
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            serde_json::to_string(&entries).unwrap()
        );
        assert_eq!(list, BasisList::from(entries.as_slice()));
        assert_ne!(list, BasisList::from(&entries[..1]));
        assert!(BasisList::default().is_empty());
    }

    /// A fingerprint is the hex of its bytes, lower-case, two digits a
    /// byte, high nibble first; it orders as its text and parses back.
    #[test]
    fn fingerprints_are_hex_in_place() {
        let mut bytes = [0u8; 16];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(11);
        }
        bytes[15] = 0xff;
        bytes[0] = 0x0a;
        let fp = Fingerprint::of_bytes(&bytes);
        assert_eq!(fp.as_str(), crate::digest::hex(&bytes));
        assert_eq!(fp.to_string(), fp.as_str());
        assert_eq!(Fingerprint::parse(fp.as_str()), Some(fp));
        assert_eq!(
            serde_json::to_string(&fp).unwrap(),
            format!("\"{}\"", fp.as_str())
        );
        for bad in [
            "",
            "0",
            &"0".repeat(31),
            &"0".repeat(33),
            &"A".repeat(32),
            &"g".repeat(32),
        ] {
            assert_eq!(Fingerprint::parse(bad), None, "{bad}");
        }
        // Byte order and text order agree.
        let all: Vec<[u8; 16]> = [0x00u8, 0x09, 0x0a, 0x0f, 0x10, 0x9f, 0xa0, 0xff]
            .iter()
            .flat_map(|&a| {
                [0x00u8, 0x0a, 0xff].map(move |b| {
                    let mut x = [0u8; 16];
                    x[0] = a;
                    x[1] = b;
                    x
                })
            })
            .collect();
        for a in &all {
            for b in &all {
                let (fa, fb) = (Fingerprint::of_bytes(a), Fingerprint::of_bytes(b));
                assert_eq!(fa.cmp(&fb), fa.as_str().cmp(fb.as_str()));
                assert_eq!(fa.cmp(&fb), a.cmp(b));
            }
        }
        assert_eq!(Fingerprint::default().as_str(), "0".repeat(32));
    }
}
