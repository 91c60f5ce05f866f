//! [`check_well_formed`]: the tokenizer under the SOAP reader, applied to any document.
//!
//! The SOAP stages read an envelope in one streaming pass and stop where they have what they
//! need; this reads a whole document to its end with the same [`Cursor`], so that the
//! tokenizer's conformance can be tested (the W3C XML test suite, differential fuzzing) and
//! so that an application can check a document before storing or forwarding it.

use std::fmt;

use super::cursor::{Cursor, Token, is_whitespace};
use crate::error::{ReadError, ReadErrorKind, position_of};
use crate::limits::Limits;

/// Why a document is not well-formed (or is beyond a limit), and where.
///
/// [`check_well_formed`] returns it; the SOAP reader keeps it as the source of the
/// [`DeError`](rpclib_core::model::DeError) (and so of the fault) for a message it cannot
/// read. The struct is `#[non_exhaustive]`: its fields can be read anywhere, but only this
/// crate makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlError {
    /// What is wrong.
    pub message: String,
    /// 1-based line of the problem.
    pub line: u32,
    /// 1-based column (in characters) of the problem.
    pub column: u32,
    /// Whether a configured [`Limits`] value was passed (the document may be well-formed).
    pub limit: bool,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for XmlError {}

impl XmlError {
    /// The error for `e`, found in `text` (its byte offset turned into a line and column).
    pub(crate) fn from_read(e: &ReadError, text: &str) -> Self {
        let p = position_of(text, e.offset);
        XmlError {
            message: e.message.clone(),
            line: p.line,
            column: p.column,
            limit: e.kind == ReadErrorKind::Limit,
        }
    }
}

/// Checks that `document` is a namespace-well-formed XML 1.0 document, as the SOAP reader
/// would read it: UTF-8 (a byte order mark is allowed), no document type declaration (DTDs
/// are refused, so only the five predefined entities exist), every well-formedness
/// constraint of XML 1.0 (fifth edition) and Namespaces in XML 1.0 (third edition) that
/// applies to such a document, within `limits`. Cost is linear in the document's size.
///
/// ```
/// use rpclib_protocol_soap::{Limits, check_well_formed};
///
/// assert!(check_well_formed(b"<a xmlns:p='urn:x' p:b='1'/>", Limits::default()).is_ok());
/// let err = check_well_formed(b"<a>x ]]> y</a>", Limits::default()).unwrap_err();
/// assert_eq!((err.line, err.column), (1, 6));
/// ```
pub fn check_well_formed(document: &[u8], limits: Limits) -> Result<(), XmlError> {
    if document.len() > limits.max_input_bytes {
        return Err(XmlError {
            message: format!(
                "the document is {} bytes long, more than the limit of {} bytes",
                document.len(),
                limits.max_input_bytes
            ),
            line: 1,
            column: 1,
            limit: true,
        });
    }
    let text = match std::str::from_utf8(document) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.valid_up_to();
            let prefix = document
                .get(..valid)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("");
            let p = position_of(prefix, valid);
            return Err(XmlError {
                message: "the document is not valid UTF-8".to_owned(),
                line: p.line,
                column: p.column,
                limit: false,
            });
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    read_document(text, limits).map_err(|e| XmlError::from_read(&e, text))
}

/// Reads `text` to its end: one root element, only comments, processing instructions and
/// white space around it, every element name resolved.
fn read_document(text: &str, limits: Limits) -> Result<(), ReadError> {
    let mut c = Cursor::new(text, limits);
    let mut root_seen = false;
    loop {
        match c.next()? {
            Token::Start(s) => {
                if c.depth() == 1 {
                    if root_seen {
                        return Err(ReadError::syntax(
                            "malformed XML: a second root element",
                            s.offset,
                        ));
                    }
                    root_seen = true;
                }
                c.resolve(&s)?;
            }
            Token::End { .. } => {}
            Token::Text { text, offset } => {
                // The cursor refuses references and CDATA outside the root; plain text
                // there is refused here.
                if c.depth() == 0 && !is_whitespace(&text) {
                    return Err(ReadError::syntax(
                        "malformed XML: text outside the root element",
                        offset,
                    ));
                }
            }
            Token::Eof { offset } => {
                if !root_seen {
                    return Err(ReadError::syntax(
                        "malformed XML: the document has no root element",
                        offset,
                    ));
                }
                if c.depth() != 0 {
                    return Err(super::cursor::unclosed(offset));
                }
                return Ok(());
            }
        }
    }
}
