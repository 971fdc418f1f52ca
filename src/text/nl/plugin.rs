//! The Dutch catalogue of the messages of the plugin host; see
//! [`crate::text`].

/// English key, Dutch text.
pub(super) static NL: &[(&str, &str)] = &[];
