//! [`OpenApiError`]: what cannot be described, and where.

use std::fmt;

/// Something in the services that an OpenAPI document cannot describe faithfully: the
/// document is refused rather than made to say something the server does not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiError {
    location: String,
    problem: String,
}

impl OpenApiError {
    pub(crate) fn new(location: impl Into<String>, problem: impl Into<String>) -> Self {
        OpenApiError {
            location: location.into(),
            problem: problem.into(),
        }
    }

    /// Where the problem is: an endpoint path, `Type.field`, or `method` and a parameter.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What cannot be described.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

impl fmt::Display for OpenApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot describe {} in OpenAPI: {}",
            self.location, self.problem
        )
    }
}

impl std::error::Error for OpenApiError {}
