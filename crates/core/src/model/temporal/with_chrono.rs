//! Conversions to and from the `chrono` crate.
