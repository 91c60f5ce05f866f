//! The error of a conversion between a temporal type and another crate's type.

use std::fmt;

/// A conversion between an XSD temporal value and another type failed: the value does not
/// fit the target (out of its range, a zone it cannot hold, a leap second, a duration in
/// years or months where a fixed length is needed…).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConversionError {
    /// The source type (`rpclib Date`, `chrono::NaiveTime`).
    pub from: &'static str,
    /// The target type.
    pub to: &'static str,
    /// What did not fit.
    pub reason: String,
}

impl ConversionError {
    pub(crate) fn new(from: &'static str, to: &'static str, reason: impl Into<String>) -> Self {
        Self {
            from,
            to,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot convert {} to {}: {}",
            self.from, self.to, self.reason
        )
    }
}

impl std::error::Error for ConversionError {}
