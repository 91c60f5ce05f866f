//! Conversions to and from the `time` crate.
