//! The Dutch catalogue of the messages of the calendar (terms, due phrases, calendar files); see
//! [`crate::text`].

/// English key, Dutch text.
pub(super) static NL: &[(&str, &str)] = &[];
