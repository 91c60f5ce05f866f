//! Errors of the model layer: bad lexical values, failed reads and writes, broken constraints.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use crate::fault::{Fault, FaultCode};

/// A text that is not a valid lexical form of its XSD type.
///
/// `#[non_exhaustive]`: its fields can be read anywhere; make one with [`LexicalError::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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

impl Error for LexicalError {}

/// The cause of an error, as a shared trait object so that errors holding one stay `Clone`.
pub(crate) type SharedSource = Arc<dyn Error + Send + Sync + 'static>;

/// A boxed error, the form sources are handed over in (anything that converts into one:
/// any `Error + Send + Sync`, a `String` or a `&str`).
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// The source as the `Error` trait hands it out.
fn source_ref(source: Option<&SharedSource>) -> Option<&(dyn Error + 'static)> {
    source.map(|s| {
        let s: &(dyn Error + 'static) = &**s;
        s
    })
}

/// Where in a document an error was found (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number.
    pub line: u32,
    /// Column number.
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// What class of problem a [`DeError`] is: the kinds of problems protocols report while
/// reading a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeErrorKind {
    /// A text is not a valid lexical form of its type (`abc` for an `xs:int`); the source is
    /// the [`LexicalError`].
    Lexical,
    /// A required element is absent.
    Missing,
    /// Something is where it does not belong: an unknown, repeated or out-of-order element,
    /// text or content in a nil element, a nil value where none is allowed.
    Unexpected,
    /// A configured limit (depth, items, text length, ...) was exceeded.
    Limit,
    /// The document is not well-formed XML (or not readable as the protocol's syntax).
    Syntax,
    /// The reader itself went wrong (a bug, not bad input).
    Internal,
    /// Anything else: what [`DeError::new`] makes, e.g. a hand-written model's own check.
    Custom,
}

/// Reading a value from a protocol document failed.
///
/// The [`kind`](Self::kind) says what class of problem it is, the message what was wrong,
/// [`field`](Self::field) names the element being read and [`position`](Self::position)
/// where, when the protocol knows. The error it was caused by, if any (a [`LexicalError`], a
/// protocol's XML error), is kept as its [`source`](Error::source). Converts into a
/// `Client.ValidationError` fault whose source is this error.
///
/// ```
/// use std::error::Error;
/// use rpclib_core::model::{DeError, DeErrorKind, Lexical};
///
/// let lexical = i32::parse_lexical("abc").unwrap_err();
/// let err = DeError::from(lexical).in_field("count");
/// assert_eq!(err.kind(), DeErrorKind::Lexical);
/// assert_eq!(err.field(), Some("count"));
/// assert!(err.source().is_some());
/// ```
#[derive(Debug, Clone)]
pub struct DeError {
    kind: DeErrorKind,
    message: String,
    field: Option<String>,
    position: Option<Position>,
    source: Option<SharedSource>,
}

impl DeError {
    /// An error of kind [`Custom`](DeErrorKind::Custom) with a message.
    pub fn new(message: impl Into<String>) -> Self {
        DeError::with_kind(DeErrorKind::Custom, message)
    }

    /// An error of `kind` with a message.
    pub fn with_kind(kind: DeErrorKind, message: impl Into<String>) -> Self {
        DeError {
            kind,
            message: message.into(),
            field: None,
            position: None,
            source: None,
        }
    }

    /// An error of `kind` with a message, caused by `source`.
    pub fn with_source(
        kind: DeErrorKind,
        message: impl Into<String>,
        source: impl Into<BoxError>,
    ) -> Self {
        DeError::with_kind(kind, message).caused_by(source)
    }

    /// A required element is absent.
    pub fn missing(field: &str) -> Self {
        DeError::with_kind(
            DeErrorKind::Missing,
            format!("missing required element `{field}`"),
        )
        .in_field(field)
    }

    /// Something is where it does not belong (kind [`Unexpected`](DeErrorKind::Unexpected)).
    pub fn unexpected(message: impl Into<String>) -> Self {
        DeError::with_kind(DeErrorKind::Unexpected, message)
    }

    /// Records the error this one was caused by (replacing any recorded before).
    #[must_use]
    pub fn caused_by(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// Names the field the error belongs to, unless one is already named.
    #[must_use]
    pub fn in_field(mut self, field: &str) -> Self {
        if self.field.is_none() {
            self.field = Some(field.to_owned());
        }
        self
    }

    /// Records where in the document the error was found, unless already known.
    #[must_use]
    pub fn at(mut self, position: Position) -> Self {
        if self.position.is_none() {
            self.position = Some(position);
        }
        self
    }

    /// What class of problem this is.
    pub fn kind(&self) -> DeErrorKind {
        self.kind
    }

    /// What was wrong, without the field and position [`Display`](fmt::Display) adds.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The element (field or part) being read, if known.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// Where in the document, if known.
    pub fn position(&self) -> Option<Position> {
        self.position
    }

    /// The 1-based line of the problem, if known.
    pub fn line(&self) -> Option<u32> {
        self.position.map(|p| p.line)
    }

    /// The 1-based column of the problem, if known.
    pub fn column(&self) -> Option<u32> {
        self.position.map(|p| p.column)
    }
}

impl From<LexicalError> for DeError {
    fn from(e: LexicalError) -> Self {
        DeError::with_source(DeErrorKind::Lexical, e.to_string(), e)
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
            write!(f, " at {p}")?;
        }
        Ok(())
    }
}

impl Error for DeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        source_ref(self.source.as_ref())
    }
}

impl From<DeError> for Fault {
    /// A `Client.ValidationError` fault saying what the error says, with the error as its
    /// source.
    fn from(e: DeError) -> Self {
        Fault::new(FaultCode::client("ValidationError"), e.to_string()).with_source(e)
    }
}

/// What class of problem a [`SerError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SerErrorKind {
    /// The value holds something the format cannot carry: a character XML cannot carry, raw
    /// XML that is not well-formed.
    Unrepresentable,
    /// A required value is absent (`None` for a required, non-nillable element; nothing
    /// written for a field or item).
    Missing,
    /// The serializer was driven out of order, or given a value of another type than the
    /// message declares (a bug, not bad data).
    Internal,
    /// Anything else: what [`SerError::new`] makes.
    Custom,
}

/// Writing a value into a protocol document failed.
///
/// Converts into a `Server` fault whose source is this error.
#[derive(Debug, Clone)]
pub struct SerError {
    kind: SerErrorKind,
    message: String,
    source: Option<SharedSource>,
}

impl SerError {
    /// An error of kind [`Custom`](SerErrorKind::Custom) with a message.
    pub fn new(message: impl Into<String>) -> Self {
        SerError::with_kind(SerErrorKind::Custom, message)
    }

    /// An error of `kind` with a message.
    pub fn with_kind(kind: SerErrorKind, message: impl Into<String>) -> Self {
        SerError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error of `kind` with a message, caused by `source`.
    pub fn with_source(
        kind: SerErrorKind,
        message: impl Into<String>,
        source: impl Into<BoxError>,
    ) -> Self {
        SerError::with_kind(kind, message).caused_by(source)
    }

    /// Records the error this one was caused by (replacing any recorded before).
    #[must_use]
    pub fn caused_by(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// What class of problem this is.
    pub fn kind(&self) -> SerErrorKind {
        self.kind
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for SerError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        source_ref(self.source.as_ref())
    }
}

impl From<SerError> for Fault {
    /// A `Server` fault (`cannot serialize the response: ...`) with the error as its source.
    fn from(e: SerError) -> Self {
        Fault::server(format!("cannot serialize the response: {e}")).with_source(e)
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

/// Which declared constraint a [`ValidationError`] reports broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// `minLength`/`maxLength`.
    Length,
    /// `pattern`.
    Pattern,
    /// `minInclusive`, `maxInclusive`, `minExclusive`, `maxExclusive`.
    Range,
    /// The item count of an array (`minOccurs`/`maxOccurs`).
    Occurs,
    /// A `fixed` value constraint: the value is not the declared one.
    Fixed,
    /// Anything else: what [`ValidationError::new`] makes.
    Custom,
}

/// A value broke a declared constraint.
///
/// The [`path`](Self::path) names the offending field, e.g. `sc.items[3].name`. Converts into
/// a `Client.ValidationError` fault whose source is this error.
#[derive(Debug, Clone)]
pub struct ValidationError {
    kind: ValidationErrorKind,
    path: String,
    message: String,
    source: Option<SharedSource>,
}

impl ValidationError {
    /// An error of kind [`Custom`](ValidationErrorKind::Custom) at `path`.
    pub fn new(path: &FieldPath, message: impl Into<String>) -> Self {
        ValidationError::with_kind(ValidationErrorKind::Custom, path, message)
    }

    /// An error of `kind` at `path`.
    pub fn with_kind(
        kind: ValidationErrorKind,
        path: &FieldPath,
        message: impl Into<String>,
    ) -> Self {
        ValidationError {
            kind,
            path: path.to_string(),
            message: message.into(),
            source: None,
        }
    }

    /// Records the error this one was caused by (replacing any recorded before).
    #[must_use]
    pub fn caused_by(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(Arc::from(source.into()));
        self
    }

    /// Which constraint was broken.
    pub fn kind(&self) -> ValidationErrorKind {
        self.kind
    }

    /// The path of the offending field, e.g. `sc.items[3].name` (empty for a whole message).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.path, self.message)
    }
}

impl Error for ValidationError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        source_ref(self.source.as_ref())
    }
}

impl From<ValidationError> for Fault {
    /// A `Client.ValidationError` fault saying what the error says, with the error as its
    /// source.
    fn from(e: ValidationError) -> Self {
        Fault::new(FaultCode::client("ValidationError"), e.to_string()).with_source(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexical() -> LexicalError {
        LexicalError::new("int", "abc", "not a number")
    }

    #[test]
    fn a_de_error_keeps_its_lexical_cause() {
        let e = DeError::from(lexical())
            .in_field("count")
            .at(Position { line: 3, column: 7 });
        assert_eq!(e.kind(), DeErrorKind::Lexical);
        assert_eq!(e.field(), Some("count"));
        assert_eq!(e.position(), Some(Position { line: 3, column: 7 }));
        assert_eq!((e.line(), e.column()), (Some(3), Some(7)));
        assert_eq!(e.message(), lexical().to_string());
        // The message reads as before: the cause, the field, the position.
        assert_eq!(
            e.to_string(),
            "\"abc\" is not a valid xs:int: not a number (in `count`) at line 3, column 7"
        );
        let cause = e
            .source()
            .and_then(|s| s.downcast_ref::<LexicalError>())
            .expect("the source is the LexicalError");
        assert_eq!(cause, &lexical());
        // Clones share the cause.
        assert!(e.clone().source().is_some());
    }

    #[test]
    fn constructors_set_kinds() {
        assert_eq!(DeError::new("x").kind(), DeErrorKind::Custom);
        assert!(DeError::new("x").source().is_none());
        let missing = DeError::missing("b");
        assert_eq!(missing.kind(), DeErrorKind::Missing);
        assert_eq!(missing.to_string(), "missing required element `b`");
        assert_eq!(DeError::unexpected("x").kind(), DeErrorKind::Unexpected);
        let e = DeError::with_source(DeErrorKind::Syntax, "bad", "cause text");
        assert_eq!(e.kind(), DeErrorKind::Syntax);
        assert_eq!(
            e.source().map(ToString::to_string).as_deref(),
            Some("cause text")
        );
        // The first position and field recorded stay.
        let e = DeError::new("x")
            .at(Position { line: 1, column: 2 })
            .at(Position { line: 9, column: 9 })
            .in_field("a")
            .in_field("b");
        assert_eq!(e.position(), Some(Position { line: 1, column: 2 }));
        assert_eq!(e.field(), Some("a"));
    }

    #[test]
    fn faults_keep_the_error_they_come_from() {
        let fault = Fault::from(DeError::from(lexical()).in_field("n"));
        assert_eq!(fault.code.as_str(), "Client.ValidationError");
        assert_eq!(
            fault.string,
            "\"abc\" is not a valid xs:int: not a number (in `n`)"
        );
        // Fault -> DeError -> LexicalError.
        let de = fault
            .source()
            .and_then(|s| s.downcast_ref::<DeError>())
            .expect("the fault's source is the DeError");
        assert_eq!(de.kind(), DeErrorKind::Lexical);
        assert!(
            de.source()
                .and_then(|s| s.downcast_ref::<LexicalError>())
                .is_some()
        );

        let ser = SerError::with_source(SerErrorKind::Unrepresentable, "bad char", lexical());
        let fault = Fault::from(ser);
        assert_eq!(fault.code.as_str(), "Server");
        assert_eq!(fault.string, "cannot serialize the response: bad char");
        let ser = fault
            .source()
            .and_then(|s| s.downcast_ref::<SerError>())
            .expect("the fault's source is the SerError");
        assert_eq!(ser.kind(), SerErrorKind::Unrepresentable);
        assert!(ser.source().is_some());

        let mut path = FieldPath::new();
        path.push_field("items");
        path.push_index(3);
        let v = ValidationError::with_kind(ValidationErrorKind::Length, &path, "too long");
        assert_eq!(v.path(), "items[3]");
        assert_eq!(v.message(), "too long");
        let fault = Fault::from(v);
        assert_eq!(fault.string, "field `items[3]`: too long");
        let v = fault
            .source()
            .and_then(|s| s.downcast_ref::<ValidationError>())
            .expect("the fault's source is the ValidationError");
        assert_eq!(v.kind(), ValidationErrorKind::Length);
    }
}
