//! [`Cursor`]: a streaming, namespace-aware reader of one message, with the hardening every
//! stage relies on (no DTD, only predefined entities, depth/element/attribute limits, XML
//! character checks).

use std::borrow::Cow;

use super::names::Namespaces;
use super::scan::{Attributes, Raw, Scanner, decode_attribute, decode_text};
use crate::error::ReadError;
use crate::limits::Limits;

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub(crate) const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// An element's start tag.
#[derive(Debug)]
pub(crate) struct StartTag<'a> {
    /// Offset of the `<` in the document.
    pub(crate) offset: usize,
    /// Offset just after the tag's `>` (where the content starts).
    pub(crate) content: usize,
    /// The qualified name as written.
    pub(crate) qname: &'a str,
    /// The raw attributes.
    pub(crate) attrs: &'a str,
}

impl<'a> StartTag<'a> {
    /// The local part of the name.
    pub(crate) fn local(&self) -> &'a str {
        self.qname
            .split_once(':')
            .map_or(self.qname, |(_, local)| local)
    }

    /// The prefix, if any.
    pub(crate) fn prefix(&self) -> Option<&'a str> {
        self.qname.split_once(':').map(|(prefix, _)| prefix)
    }

    /// The attributes as `(qualified name, raw value)` pairs.
    pub(crate) fn attributes(&self) -> Attributes<'a> {
        Attributes::new(self.attrs)
    }
}

/// One step through the document. Comments and processing instructions are skipped.
#[derive(Debug)]
pub(crate) enum Token<'a> {
    Start(StartTag<'a>),
    /// An end tag (also produced for `<empty/>` elements), at `offset`.
    End {
        offset: usize,
    },
    /// Character data: text with references resolved and line ends normalized, or CDATA.
    Text {
        text: Cow<'a, str>,
        offset: usize,
    },
    Eof {
        offset: usize,
    },
}

/// The namespaces and depth in force at a point of the document, so that a [`Cursor`] can
/// pick up reading there later.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub(crate) depth: usize,
    pub(crate) namespaces: Namespaces,
}

/// Reads a document (or, resumed, the rest of it from a start tag) one [`Token`] at a time.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    scanner: Scanner<'a>,
    ns: Namespaces,
    depth: usize,
    elements: usize,
    limits: Limits,
    peeked: Option<Token<'a>>,
    /// An `<empty/>` element was just returned: its end comes next.
    pending_end: Option<usize>,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`.
    pub(crate) fn new(text: &'a str, limits: Limits) -> Self {
        Self::at(text, 0, Namespaces::default(), 0, limits)
    }

    /// A cursor picking up at `offset` (a start tag) in `scope`; the enclosing elements' end
    /// tags then arrive as [`Token::End`]s the scanner could not match, which the caller
    /// checks with [`Cursor::end_tag_is`].
    pub(crate) fn resume(
        text: &'a str,
        offset: usize,
        scope: &Scope,
        limits: Limits,
        elements: usize,
    ) -> Result<Self, ReadError> {
        if text.get(offset..).is_none() {
            return Err(ReadError::syntax(
                "internal: resume offset is outside the document",
                0,
            ));
        }
        let mut c = Self::at(text, offset, scope.namespaces.clone(), scope.depth, limits);
        c.elements = elements;
        Ok(c)
    }

    fn at(text: &'a str, offset: usize, ns: Namespaces, depth: usize, limits: Limits) -> Self {
        Cursor {
            text,
            scanner: Scanner::new(text, offset),
            ns,
            depth,
            elements: 0,
            limits,
            peeked: None,
            pending_end: None,
        }
    }

    /// The whole document.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// Current element depth (the document element is depth 1 while it is open).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Elements read so far (for the document-wide limit across resumed cursors).
    pub(crate) fn elements(&self) -> usize {
        self.elements
    }

    /// The limits in force.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A snapshot of the namespaces and depth in force now, to resume reading here later.
    pub(crate) fn scope(&self) -> Scope {
        Scope {
            depth: self.depth,
            namespaces: self.ns.clone(),
        }
    }

    /// The namespace bindings in force (`None`: the default namespace), innermost last.
    pub(crate) fn bindings(&self) -> Vec<(Option<&str>, &str)> {
        self.ns.bindings(self.text)
    }

    /// Puts a token back; the next [`next`](Self::next) returns it.
    pub(crate) fn push_back(&mut self, token: Token<'a>) {
        self.peeked = Some(token);
    }

    /// The next token.
    pub(crate) fn next(&mut self) -> Result<Token<'a>, ReadError> {
        if let Some(t) = self.peeked.take() {
            return Ok(t);
        }
        if let Some(offset) = self.pending_end.take() {
            return Ok(self.end(offset));
        }
        loop {
            let offset = self.scanner.position();
            match self.scanner.next()? {
                Raw::Start { name, attrs, empty } => {
                    let start = self.start(name, attrs, offset)?;
                    if empty {
                        self.pending_end = Some(start.content);
                    }
                    return Ok(Token::Start(start));
                }
                Raw::End { matched } => {
                    if !matched && self.depth == 0 {
                        return Err(ReadError::syntax(
                            "malformed XML: an end tag without a start tag",
                            offset,
                        ));
                    }
                    return Ok(self.end(offset));
                }
                Raw::Text(raw) => {
                    let text = decode_text(raw, offset)?;
                    if text.is_empty() {
                        continue;
                    }
                    return Ok(Token::Text { text, offset });
                }
                Raw::CData(raw) => {
                    // CDATA holds no references; decoding it would read `&` as one.
                    let text = if raw.contains('&') {
                        let escaped = raw.replace('&', "&amp;");
                        Cow::Owned(decode_text(&escaped, offset)?.into_owned())
                    } else {
                        decode_text(raw, offset)?
                    };
                    return Ok(Token::Text { text, offset });
                }
                Raw::Skip => {}
                Raw::Decl(content) => {
                    if offset != 0 {
                        return Err(ReadError::syntax(
                            "an XML declaration is only allowed at the very start of the document",
                            offset,
                        ));
                    }
                    check_declaration(content, offset)?;
                }
                Raw::DocType => {
                    return Err(ReadError::syntax(
                        "a DOCTYPE is not allowed in a SOAP message (DTDs and entity declarations are refused)",
                        offset,
                    ));
                }
                Raw::Eof => return Ok(Token::Eof { offset }),
            }
        }
    }

    /// The content of the element whose start tag was just read, when it is only text (or
    /// nothing), consumed through the end tag; `None`, with nothing consumed, otherwise.
    /// The fast path of simple values.
    pub(crate) fn simple_content(&mut self) -> Result<Option<Cow<'a, str>>, ReadError> {
        if self.peeked.is_some() {
            return Ok(None);
        }
        if let Some(offset) = self.pending_end.take() {
            self.end(offset);
            return Ok(Some(Cow::Borrowed("")));
        }
        match self.scanner.text_then_end() {
            Some((raw, at, end)) => {
                let text = decode_text(raw, at)?;
                self.end(end);
                Ok(Some(text))
            }
            None => Ok(None),
        }
    }

    fn end(&mut self, offset: usize) -> Token<'a> {
        self.depth = self.depth.saturating_sub(1);
        self.ns.leave(self.depth);
        Token::End { offset }
    }

    /// The next token that is not whitespace-only text.
    pub(crate) fn next_significant(&mut self) -> Result<Token<'a>, ReadError> {
        loop {
            match self.next()? {
                Token::Text { text, .. } if is_whitespace(&text) => {}
                other => return Ok(other),
            }
        }
    }

    /// Skips the rest of the element whose start tag was just read, through its end tag.
    pub(crate) fn skip_element(&mut self) -> Result<usize, ReadError> {
        let target = self.depth.saturating_sub(1);
        loop {
            match self.next()? {
                Token::Start(s) => {
                    self.resolve(&s)?;
                }
                Token::End { offset } if self.depth == target => return Ok(offset),
                Token::Eof { offset } => return Err(unclosed(offset)),
                _ => {}
            }
        }
    }

    /// Namespace and local name of an element (whose start tag was the last one read: the
    /// namespaces in force are its own). Every start tag is resolved by whoever reads it,
    /// which is where an undeclared prefix is found.
    pub(crate) fn resolve(&self, start: &StartTag<'a>) -> Result<(&str, &'a str), ReadError> {
        let (prefix, local) = match start.qname.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", start.qname),
        };
        match self.ns.resolve(self.text, prefix) {
            Some(ns) => Ok((ns, local)),
            None => Err(ReadError::syntax(
                format!(
                    "element `{}` uses the undeclared namespace prefix `{prefix}`",
                    start.qname
                ),
                start.offset,
            )),
        }
    }

    /// Namespace and local part of a QName written as text (e.g. a fault code), resolved
    /// with the namespaces in force now; `None` if its prefix is not declared.
    pub(crate) fn resolve_text_qname<'t>(&self, text: &'t str) -> Option<(&str, &'t str)> {
        let (prefix, local) = text.split_once(':').unwrap_or(("", text));
        self.ns.resolve(self.text, prefix).map(|ns| (ns, local))
    }

    /// Whether the end tag at `offset` closes an element named `qname` (for end tags the
    /// resumed scanner could not match itself).
    pub(crate) fn end_tag_is(&self, offset: usize, qname: &str) -> bool {
        let Some(rest) = self.text.get(offset..) else {
            return false;
        };
        rest.strip_prefix("</")
            .and_then(|r| r.strip_prefix(qname))
            .is_some_and(|r| r.starts_with(|c: char| c == '>' || c.is_ascii_whitespace()))
    }

    fn start(
        &mut self,
        qname: &'a str,
        attrs: &'a str,
        offset: usize,
    ) -> Result<StartTag<'a>, ReadError> {
        self.depth += 1;
        if self.depth > self.limits.depth() {
            return Err(ReadError::limit(
                format!(
                    "elements are nested deeper than the limit of {} levels",
                    self.limits.depth()
                ),
                offset,
            ));
        }
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(ReadError::limit(
                format!(
                    "the message has more than the limit of {} elements",
                    self.limits.max_elements
                ),
                offset,
            ));
        }
        if !is_whitespace(attrs) {
            self.scan_attributes(attrs, offset)?;
        }
        Ok(StartTag {
            offset,
            content: self.scanner.position(),
            qname,
            attrs,
        })
    }

    /// Declares the tag's namespaces and checks its attributes (count, prefixes).
    /// Declarations come first: an attribute may use a prefix declared after it.
    fn scan_attributes(&mut self, attrs: &'a str, offset: usize) -> Result<(), ReadError> {
        let mut count = 0usize;
        for (name, raw) in Attributes::new(attrs) {
            count += 1;
            if count > self.limits.max_attributes {
                return Err(ReadError::limit(
                    format!(
                        "an element has more than the limit of {} attributes",
                        self.limits.max_attributes
                    ),
                    offset,
                ));
            }
            let prefix = if name == "xmlns" {
                name.get(5..).unwrap_or("")
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            let uri = decode_attribute(raw, offset)?;
            if !prefix.is_empty() && uri.is_empty() {
                return Err(ReadError::syntax(
                    format!("the namespace prefix `{prefix}` cannot be undeclared"),
                    offset,
                ));
            }
            if prefix == "xmlns" || (prefix == "xml" && uri != super::names::XML_NS) {
                return Err(ReadError::syntax(
                    format!("the prefix `{prefix}` cannot be declared"),
                    offset,
                ));
            }
            self.ns.declare(self.text, prefix, uri, self.depth);
        }
        for (name, _) in Attributes::new(attrs) {
            let Some((prefix, _)) = name.split_once(':') else {
                continue;
            };
            if prefix != "xmlns" && self.ns.resolve(self.text, prefix).is_none() {
                return Err(ReadError::syntax(
                    format!("attribute `{name}` uses the undeclared namespace prefix `{prefix}`"),
                    offset,
                ));
            }
        }
        Ok(())
    }

    /// Whether `start` carries `xsi:nil="true"`; asked while its namespaces are in force
    /// (before its content is read).
    pub(crate) fn is_nil(&self, start: &StartTag<'a>) -> bool {
        if is_whitespace(start.attrs) {
            return false;
        }
        start.attributes().any(|(name, raw)| {
            name.split_once(':').is_some_and(|(prefix, local)| {
                local == "nil"
                    && self.ns.resolve(self.text, prefix) == Some(XSI_NS)
                    && matches!(raw.trim(), "true" | "1")
            })
        })
    }

    /// The value of the attribute `{ns}local` of `start` (references resolved), read while
    /// the namespaces in force are the tag's own.
    pub(crate) fn attribute(&self, start: &StartTag<'a>, ns: &str, local: &str) -> Option<String> {
        for (name, raw) in start.attributes() {
            let (prefix, name_local) = name.split_once(':').unwrap_or(("", name));
            if name_local != local || prefix == "xmlns" || name == "xmlns" {
                continue;
            }
            let matches = if prefix.is_empty() {
                ns.is_empty()
            } else {
                self.ns.resolve(self.text, prefix) == Some(ns)
            };
            if matches {
                return decode_attribute(raw, start.offset)
                    .ok()
                    .map(Cow::into_owned);
            }
        }
        None
    }
}

/// Whether text is only XML whitespace.
pub(crate) fn is_whitespace(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

pub(crate) fn unclosed(offset: usize) -> ReadError {
    ReadError::syntax(
        "unexpected end of the document: an element is not closed",
        offset,
    )
}

/// Whether XML 1.0 allows `c` in a document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Accepts XML 1.0 declarations in UTF-8 (or its ASCII subset): the bytes were already
/// checked to be UTF-8, and reading them as another encoding would change their meaning.
fn check_declaration(content: &str, offset: usize) -> Result<(), ReadError> {
    let Some(at) = content.find("encoding") else {
        return Ok(());
    };
    let rest = content.get(at + "encoding".len()..).unwrap_or("");
    let rest = rest
        .trim_start()
        .strip_prefix('=')
        .unwrap_or("")
        .trim_start();
    let encoding = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest.get(1..).and_then(|r| r.split(q).next()).unwrap_or(""),
        _ => return Err(ReadError::syntax("malformed XML declaration", offset)),
    };
    if matches!(
        encoding.to_ascii_lowercase().as_str(),
        "utf-8" | "utf8" | "us-ascii" | "ascii"
    ) {
        Ok(())
    } else {
        Err(ReadError::syntax(
            format!("unsupported encoding `{encoding}`: SOAP messages must be UTF-8"),
            offset,
        ))
    }
}
