//! Diagnostics: every problem names the file, line, column and the construct it is about.

use std::fmt;
use std::path::PathBuf;

/// Where in which document a construct is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as it was found (canonical where the file exists).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was left out on purpose and says so (a binding that is not SOAP, say); the
    /// rest of the output is complete and correct.
    Warning,
    /// Generation cannot produce correct code: nothing is written.
    Error,
}

/// One problem, with where it is and which construct it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where; `None` only for problems with no document (a root file that cannot be read has
    /// its own path as location).
    pub location: Option<Location>,
    /// The construct, in XML terms (`xs:choice`, `wsdl:binding "X"`, `xs:import`).
    pub construct: String,
    /// What is wrong, and where it helps, what to do.
    pub message: String,
}

impl Diagnostic {
    /// An error at `location` about `construct`.
    pub fn error(
        location: Option<Location>,
        construct: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            construct: construct.into(),
            message: message.into(),
        }
    }

    /// A warning at `location` about `construct`.
    pub fn warning(
        location: Option<Location>,
        construct: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, construct, message)
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.construct, self.message)
    }
}

/// Generation failed: the errors (and any warnings met on the way), in document order.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", render(.diagnostics))]
pub struct Error {
    /// Every diagnostic, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut out = format!("WSDL code generation failed with {errors} error(s)");
    for d in diagnostics {
        out.push_str("\n  ");
        out.push_str(&d.to_string());
    }
    out
}

/// Collects diagnostics while a pass runs.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) items: Vec<Diagnostic>,
}

impl Sink {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub(crate) fn error(
        &mut self,
        location: Option<Location>,
        construct: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Diagnostic::error(location, construct, message));
    }

    pub(crate) fn warning(
        &mut self,
        location: Option<Location>,
        construct: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(location, construct, message));
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}
