//! Conversions to and from the `jiff` crate.
