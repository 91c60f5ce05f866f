//! What can go wrong reading a message, and how each problem becomes a fault.

use std::fmt;

use rpclib_core::model::{DeError, DeErrorKind, Position};
use rpclib_core::{Fault, FaultCode};

use crate::read::document::XmlError;

/// Subcode of faults for input that is not well-formed XML (Spyne's name).
pub(crate) const XML_SYNTAX_ERROR: &str = "XMLSyntaxError";
/// Subcode of faults for messages beyond a size limit (Spyne's name).
pub(crate) const REQUEST_TOO_LONG: &str = "RequestTooLong";
/// Subcode of faults for messages beyond a shape limit (depth, elements, items, lengths).
pub(crate) const LIMIT_EXCEEDED: &str = "LimitExceeded";
/// Subcode of faults for a well-formed message that is not a valid SOAP envelope or message.
pub(crate) const INVALID_ENVELOPE: &str = "InvalidEnvelope";
/// Subcode of faults for a request element that names no operation (Spyne's name).
pub(crate) const METHOD_NOT_FOUND: &str = "MethodNotFound";

/// Which class of problem a [`ReadError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadErrorKind {
    /// Not well-formed XML (or a DTD).
    Syntax,
    /// A configured limit was exceeded.
    Limit,
    /// Well-formed, but not a SOAP envelope we can read.
    Envelope,
    /// The envelope's namespace is not the endpoint's SOAP version.
    VersionMismatch,
}

/// A problem found while reading a message, with the byte offset where it was found.
#[derive(Debug, Clone)]
pub(crate) struct ReadError {
    pub(crate) kind: ReadErrorKind,
    pub(crate) message: String,
    pub(crate) offset: usize,
}

impl ReadError {
    pub(crate) fn syntax(message: impl Into<String>, offset: usize) -> Self {
        ReadError {
            kind: ReadErrorKind::Syntax,
            message: message.into(),
            offset,
        }
    }

    pub(crate) fn limit(message: impl Into<String>, offset: usize) -> Self {
        ReadError {
            kind: ReadErrorKind::Limit,
            message: message.into(),
            offset,
        }
    }

    pub(crate) fn envelope(message: impl Into<String>, offset: usize) -> Self {
        ReadError {
            kind: ReadErrorKind::Envelope,
            message: message.into(),
            offset,
        }
    }

    pub(crate) fn version_mismatch(message: impl Into<String>, offset: usize) -> Self {
        ReadError {
            kind: ReadErrorKind::VersionMismatch,
            message: message.into(),
            offset,
        }
    }

    /// The fault a peer sees, with the position in `text` appended to the message; its
    /// source is the [`XmlError`] (for logs).
    pub(crate) fn into_fault(self, text: &str) -> Fault {
        let source = XmlError::from_read(&self, text);
        let string = format!(
            "{} at line {}, column {}",
            self.message, source.line, source.column
        );
        let fault = match self.kind {
            ReadErrorKind::Syntax => Fault::client(XML_SYNTAX_ERROR, string),
            ReadErrorKind::Limit => Fault::client(LIMIT_EXCEEDED, string),
            ReadErrorKind::Envelope => Fault::client(INVALID_ENVELOPE, string),
            ReadErrorKind::VersionMismatch => Fault::new(FaultCode::VERSION_MISMATCH, string),
        };
        fault.with_source(source)
    }

    /// The error the model layer passes up for this problem, found in `text`: of kind
    /// [`Syntax`](DeErrorKind::Syntax) or [`Limit`](DeErrorKind::Limit), at its position,
    /// with the [`XmlError`] as its source. [`de_fault`] turns it back into this problem's
    /// fault.
    pub(crate) fn into_de_error(self, text: &str) -> DeError {
        let source = XmlError::from_read(&self, text);
        let position = Position {
            line: source.line,
            column: source.column,
        };
        let kind = match self.kind {
            ReadErrorKind::Limit => DeErrorKind::Limit,
            // The tokenizer reports nothing else; an envelope problem found by a reader is
            // still a message that cannot be read as XML of the expected shape.
            ReadErrorKind::Syntax | ReadErrorKind::Envelope | ReadErrorKind::VersionMismatch => {
                DeErrorKind::Syntax
            }
        };
        DeError::with_source(kind, self.message, source).at(position)
    }
}

/// The fault for a value that could not be read from `text`: a syntax or limit problem is
/// reported as such (`Client.XMLSyntaxError`, `Client.LimitExceeded`: message and position,
/// no field), anything else as a `Client.ValidationError` naming the field and the position
/// (`offset` if none is known). The error is the fault's source.
pub(crate) fn de_fault(e: DeError, text: &str, offset: usize) -> Fault {
    let subcode = match e.kind() {
        DeErrorKind::Syntax => XML_SYNTAX_ERROR,
        DeErrorKind::Limit => LIMIT_EXCEEDED,
        _ => return e.at(position_of(text, offset)).into(),
    };
    let p = e.position().unwrap_or_else(|| position_of(text, offset));
    let string = format!("{} at line {}, column {}", e.message(), p.line, p.column);
    Fault::client(subcode, string).with_source(e)
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
///
/// Only computed when an error is reported, so the scan costs nothing on the happy path.
pub(crate) fn position_of(text: &str, offset: usize) -> Position {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// A fault for a problem in the protocol's own state (a bug, not bad input).
pub(crate) fn internal(message: impl Into<String>) -> Fault {
    Fault::server(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(position_of(text, 0), Position { line: 1, column: 1 });
        assert_eq!(position_of(text, 3), Position { line: 2, column: 1 });
        // 'ç' is two bytes: byte 5 is the 'd', the second character of line 2.
        assert_eq!(position_of(text, 5), Position { line: 2, column: 2 });
        assert_eq!(position_of(text, 100), Position { line: 3, column: 3 });
    }
}
