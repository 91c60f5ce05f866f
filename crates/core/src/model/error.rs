//! Errors of the model layer: bad lexical values, failed reads and writes, broken constraints.

use std::fmt;

use crate::fault::{Fault, FaultCode};

/// A text that is not a valid lexical form of its XSD type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexicalError {
    /// XSD name of the expected type (`int`, `dateTime`).
    pub type_name: &'static str,
    /// The offending text, cut to 64 characters.
    pub text: String,
    /// Why it is invalid.
    pub reason: String,
}

impl LexicalError {
    /// A new error; the text is cut to 64 characters so that hostile input cannot bloat logs.
    pub fn new(type_name: &'static str, text: &str, reason: impl Into<String>) -> Self {
        LexicalError {
            type_name,
            text: text.chars().take(64).collect(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for LexicalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid xs:{}: {}",
            self.text, self.type_name, self.reason
        )
    }
}

impl std::error::Error for LexicalError {}

/// Where in a document an error was found (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number.
    pub line: u32,
    /// Column number.
    pub column: u32,
}

/// Reading a value from a protocol document failed.
///
/// The message says what was wrong; `field` names the element being read, `position` where,
/// when the protocol knows. Converts into a `Client` fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    /// What was wrong.
    pub message: String,
    /// The element (field or part) being read.
    pub field: Option<String>,
    /// Where in the document.
    pub position: Option<Position>,
}

impl DeError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        DeError {
            message: message.into(),
            field: None,
            position: None,
        }
    }

    /// A required element is absent.
    pub fn missing(field: &str) -> Self {
        DeError::new(format!("missing required element `{field}`")).in_field(field)
    }

    /// Names the field the error belongs to, unless one is already named.
    pub fn in_field(mut self, field: &str) -> Self {
        if self.field.is_none() {
            self.field = Some(field.to_owned());
        }
        self
    }

    /// Records where in the document the error was found, unless already known.
    pub fn at(mut self, position: Position) -> Self {
        if self.position.is_none() {
            self.position = Some(position);
        }
        self
    }
}

impl From<LexicalError> for DeError {
    fn from(e: LexicalError) -> Self {
        DeError::new(e.to_string())
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(field) = &self.field
            && !self.message.contains(&format!("`{field}`"))
        {
            write!(f, " (in `{field}`)")?;
        }
        if let Some(p) = self.position {
            write!(f, " at line {}, column {}", p.line, p.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for DeError {}

impl From<DeError> for Fault {
    fn from(e: DeError) -> Self {
        Fault::new(FaultCode::client("ValidationError"), e.to_string())
    }
}

/// Writing a value into a protocol document failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerError {
    /// What went wrong.
    pub message: String,
}

impl SerError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        SerError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SerError {}

impl From<SerError> for Fault {
    fn from(e: SerError) -> Self {
        Fault::server(format!("cannot serialize the response: {e}"))
    }
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment {
    /// A named field or parameter.
    Field(&'static str),
    /// An array item.
    Index(usize),
}

/// The path from a message to the value being validated, e.g. `sc.items[3].name`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath {
    segments: Vec<PathSegment>,
}

impl FieldPath {
    /// An empty path.
    pub fn new() -> Self {
        FieldPath::default()
    }

    /// Enters a named field.
    pub fn push_field(&mut self, name: &'static str) {
        self.segments.push(PathSegment::Field(name));
    }

    /// Enters an array item.
    pub fn push_index(&mut self, index: usize) {
        self.segments.push(PathSegment::Index(index));
    }

    /// Leaves the innermost segment.
    pub fn pop(&mut self) {
        self.segments.pop();
    }

    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSegment] {
        &self.segments
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            match seg {
                PathSegment::Field(name) if i == 0 => f.write_str(name)?,
                PathSegment::Field(name) => write!(f, ".{name}")?,
                PathSegment::Index(idx) => write!(f, "[{idx}]")?,
            }
        }
        Ok(())
    }
}

/// A value broke a declared constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The path of the offending field, e.g. `sc.items[3].name`.
    pub path: String,
    /// What was wrong.
    pub message: String,
}

impl ValidationError {
    /// An error at `path`.
    pub fn new(path: &FieldPath, message: impl Into<String>) -> Self {
        ValidationError {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

impl From<ValidationError> for Fault {
    fn from(e: ValidationError) -> Self {
        Fault::new(FaultCode::client("ValidationError"), e.to_string())
    }
}
