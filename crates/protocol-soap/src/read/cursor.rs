//! [`Cursor`]: a streaming, namespace-aware reader of one message, with the hardening every
//! stage relies on (no DTD, only predefined entities, depth/element/attribute limits, XML
//! character checks).

use std::borrow::Cow;

use std::collections::HashSet;

use foldhash::quality::RandomState;

use super::names::{Namespaces, XML_NS, XMLNS_NS};
use super::scan::{Attributes, Raw, Scanner, decode_attribute, decode_cdata, decode_text};
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
        split_qname(self.qname).map_or(self.qname, |(_, local)| local)
    }

    /// The prefix, if any.
    pub(crate) fn prefix(&self) -> Option<&'a str> {
        split_qname(self.qname).map(|(prefix, _)| prefix)
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

/// Namespace bindings of a document at one point, to resolve the prefixes of QName values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScopeAt<'s> {
    text: &'s str,
    namespaces: &'s Namespaces,
}

impl<'s> ScopeAt<'s> {
    /// The bindings of the snapshot `scope` of the document `text`.
    pub(crate) fn of(text: &'s str, scope: &'s Scope) -> Self {
        ScopeAt {
            text,
            namespaces: &scope.namespaces,
        }
    }
}

impl rpclib_core::model::NamespaceScope for ScopeAt<'_> {
    fn namespace_of(&self, prefix: &str) -> Option<&str> {
        self.namespaces.resolve(self.text, prefix)
    }
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
    /// Reading a document (only white space, comments and processing instructions outside
    /// the root), not a fragment of content (where text may stand beside elements).
    document: bool,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`.
    pub(crate) fn new(text: &'a str, limits: Limits) -> Self {
        Self::at(text, 0, Namespaces::default(), 0, limits)
    }

    /// A cursor over `text` read as element content (raw XML values): text and several
    /// elements may stand at the top level.
    pub(crate) fn fragment(text: &'a str, limits: Limits) -> Self {
        let mut c = Self::new(text, limits);
        c.document = false;
        c
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
        Self::resume_in(text, offset, scope.clone(), limits, elements)
    }

    /// [`resume`](Self::resume) with the scope itself rather than a copy of it, for a scope
    /// read from only once (the Body's).
    pub(crate) fn resume_in(
        text: &'a str,
        offset: usize,
        scope: Scope,
        limits: Limits,
        elements: usize,
    ) -> Result<Self, ReadError> {
        if text.get(offset..).is_none() {
            return Err(ReadError::syntax(
                "internal: resume offset is outside the document",
                0,
            ));
        }
        let Scope { depth, namespaces } = scope;
        let mut c = Self::at(text, offset, namespaces, depth, limits);
        c.elements = elements;
        Ok(c)
    }

    /// [`resume_in`](Self::resume_in) after the start tag of an element without
    /// attributes and with content (`<qname>` at `offset`, its content at `content`), which
    /// was read before in this scope: the cursor is left as reading that tag would leave it
    /// (one level deeper, one more element counted, the name open), and the tag is returned.
    /// The scope back when reading the tag could meet a limit: the caller then resumes at
    /// `offset`.
    pub(crate) fn resume_inside(
        text: &'a str,
        offset: usize,
        content: usize,
        qname: &'a str,
        scope: Scope,
        limits: Limits,
        elements: usize,
    ) -> Result<(Self, StartTag<'a>), Scope> {
        if text.get(content..).is_none()
            || scope.depth >= limits.depth()
            || elements >= limits.max_elements
        {
            return Err(scope);
        }
        let Scope { depth, namespaces } = scope;
        let mut c = Self::at(text, content, namespaces, depth + 1, limits);
        c.elements = elements + 1;
        c.scanner.enter(qname);
        let start = StartTag {
            offset,
            content,
            qname,
            attrs: "",
        };
        Ok((c, start))
    }

    /// A cursor after the start tag of the root element `qname` of `text` (its content at
    /// `content`), read before with the same bytes ([`super::prolog`]): `scope` the
    /// namespaces in force inside it and its depth, `elements` those read so far.
    pub(crate) fn resume_after_root(
        text: &'a str,
        content: usize,
        qname: &'a str,
        scope: Scope,
        limits: Limits,
        elements: usize,
    ) -> Self {
        let Scope { depth, namespaces } = scope;
        let mut c = Self::at(text, content, namespaces, depth, limits);
        c.elements = elements;
        c.scanner.enter(qname);
        c
    }

    /// Whether the start tag just read was `<x/>` (its end comes next).
    pub(crate) fn in_empty_element(&self) -> bool {
        self.pending_end.is_some()
    }

    /// The scope at `depth` (an enclosing element's, after its start tag), made of this
    /// cursor's namespaces, the declarations of deeper elements forgotten: what
    /// [`scope`](Self::scope) returned there, when the cursor is not needed any further.
    pub(crate) fn into_scope(self, depth: usize) -> Scope {
        let Cursor { mut ns, .. } = self;
        ns.leave(depth);
        Scope {
            depth,
            namespaces: ns,
        }
    }

    fn at(text: &'a str, offset: usize, ns: Namespaces, depth: usize, limits: Limits) -> Self {
        Cursor {
            text,
            scanner: Scanner::new(text, offset, limits.max_attributes),
            ns,
            depth,
            elements: 0,
            limits,
            peeked: None,
            pending_end: None,
            document: true,
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

    /// The declaration in force for `prefix`: its position in declaration order, the depth
    /// of its element, and its namespace (see [`Namespaces::declaration_of`]).
    pub(crate) fn declaration_of(&self, prefix: &str) -> Option<(usize, usize, &str)> {
        self.ns.declaration_of(self.text, prefix)
    }

    /// The namespace bindings in force now, as core's [`NamespaceScope`] (QName values of
    /// the element whose start tag was the last one read).
    ///
    /// [`NamespaceScope`]: rpclib_core::model::NamespaceScope
    pub(crate) fn namespace_scope(&self) -> ScopeAt<'_> {
        ScopeAt {
            text: self.text,
            namespaces: &self.ns,
        }
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
                    if self.document && self.depth == 0 && !is_whitespace(raw) {
                        // Outside the root only white space may appear, written as such: not
                        // as references, which would pass a check of the decoded text.
                        let place = if self.elements > 0 {
                            "after the end of"
                        } else {
                            "before"
                        };
                        return Err(ReadError::syntax(
                            format!("malformed XML: text {place} the root element"),
                            offset,
                        ));
                    }
                    let text = decode_text(raw, offset)?;
                    if text.is_empty() {
                        continue;
                    }
                    return Ok(Token::Text { text, offset });
                }
                Raw::CData(raw) => {
                    if self.document && self.depth == 0 {
                        return Err(ReadError::syntax(
                            "malformed XML: a CDATA section outside the root element",
                            offset,
                        ));
                    }
                    // The content starts after `<![CDATA[`, which errors must not count.
                    let text = decode_cdata(raw, offset + "<![CDATA[".len())?;
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
            Some((raw, at, end, plain)) => {
                let text = if plain {
                    Cow::Borrowed(raw)
                } else {
                    decode_text(raw, at)?
                };
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

    /// Reads the end tag `</qname>` of an element the cursor was resumed inside (see
    /// [`Scanner::outer_end_tag`]) when it comes next, written exactly so, after white space
    /// at most; false, with nothing consumed, when something else comes first (the caller
    /// then reads it with [`next_significant`](Self::next_significant)).
    pub(crate) fn outer_end_tag(&mut self, qname: &str) -> bool {
        if self.peeked.is_some() || self.pending_end.is_some() || self.depth == 0 {
            return false;
        }
        match self.scanner.outer_end_tag(qname) {
            Some(offset) => {
                self.end(offset);
                true
            }
            None => false,
        }
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
    #[inline]
    pub(crate) fn resolve(&self, start: &StartTag<'a>) -> Result<(&str, &'a str), ReadError> {
        let (prefix, local) = match split_qname(start.qname) {
            Some((p, l)) => (p, l),
            None => ("", start.qname),
        };
        match self.ns.resolve(self.text, prefix) {
            Some(ns) => Ok((ns, local)),
            None => Err(undeclared_prefix(start, prefix)),
        }
    }

    /// Namespace and local part of a QName written as text (e.g. a fault code), resolved
    /// with the namespaces in force now; `None` if its prefix is not declared.
    pub(crate) fn resolve_text_qname<'t>(&self, text: &'t str) -> Option<(&str, &'t str)> {
        let (prefix, local) = split_qname(text).unwrap_or(("", text));
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

    /// Declares the tag's namespaces and checks its attributes: the reserved prefixes and
    /// namespaces, declared prefixes, and unique expanded names (`p:a` and `q:a` are the same
    /// attribute when `p` and `q` are bound to one namespace). The scanner has already
    /// counted them and checked their syntax and values (when none needs decoding, each is
    /// taken as written without a second look). Declarations come first: an attribute may
    /// use a prefix declared after it.
    fn scan_attributes(&mut self, attrs: &'a str, offset: usize) -> Result<(), ReadError> {
        let plain = self.scanner.plain_values();
        let mut prefixed = 0usize;
        for (name, raw) in Attributes::new(attrs) {
            let prefix = if name == "xmlns" {
                ""
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                p
            } else {
                prefixed += usize::from(name.contains(':'));
                continue;
            };
            let uri = if plain {
                Cow::Borrowed(raw)
            } else {
                decode_attribute(raw, offset)?
            };
            check_declaration_of(prefix, &uri, offset)?;
            if !self.ns.declare(self.text, prefix, uri, self.depth) {
                return Err(ReadError::syntax(
                    format!("malformed XML: the attribute `{name}` appears twice"),
                    offset,
                ));
            }
        }
        if prefixed == 0 {
            return Ok(());
        }
        // Expanded names of the prefixed attributes, to find two that are one.
        let mut expanded: HashSet<(&str, &str), RandomState> =
            HashSet::with_capacity_and_hasher(prefixed, RandomState::default());
        for (name, _) in Attributes::new(attrs) {
            let Some((prefix, local)) = split_qname(name) else {
                continue;
            };
            if prefix == "xmlns" {
                continue;
            }
            let Some(uri) = self.ns.resolve(self.text, prefix) else {
                return Err(ReadError::syntax(
                    format!("attribute `{name}` uses the undeclared namespace prefix `{prefix}`"),
                    offset,
                ));
            };
            if !expanded.insert((uri, local)) {
                return Err(ReadError::syntax(
                    format!(
                        "malformed XML: the attribute `{name}` is `{{{uri}}}{local}`, which \
                         another attribute of the element already is"
                    ),
                    offset,
                ));
            }
        }
        Ok(())
    }

    /// Whether `start` carries `xsi:nil="true"`; asked while its namespaces are in force
    /// (before its content is read).
    #[inline]
    pub(crate) fn is_nil(&self, start: &StartTag<'a>) -> bool {
        // Asked of every value: the usual tag without attributes is answered inline.
        !is_whitespace(start.attrs) && self.has_nil(start)
    }

    fn has_nil(&self, start: &StartTag<'a>) -> bool {
        self.attribute(start, XSI_NS, "nil")
            .is_some_and(|v| matches!(v.trim_matches([' ', '\t', '\r', '\n']), "true" | "1"))
    }

    /// The value of the attribute `{ns}local` of `start` (references resolved), read while
    /// the namespaces in force are the tag's own.
    pub(crate) fn attribute(&self, start: &StartTag<'a>, ns: &str, local: &str) -> Option<String> {
        for (name, raw) in start.attributes() {
            let (prefix, name_local) = split_qname(name).unwrap_or(("", name));
            if name_local != local || prefix == "xmlns" || name == "xmlns" {
                continue;
            }
            let matches = if prefix.is_empty() {
                ns.is_empty()
            } else {
                self.ns.resolve(self.text, prefix) == Some(ns)
            };
            if matches {
                // The scanner decoded every value of the tag when it read it: this cannot
                // fail here, and if it ever did, the value must not pass for absent.
                return Some(match decode_attribute(raw, start.offset) {
                    Ok(v) => v.into_owned(),
                    Err(_) => "\u{FFFD}".to_owned(),
                });
            }
        }
        None
    }
}

/// `prefix:local` split at its (first) colon; `None` for a name without one. Names are a
/// few bytes long: a plain loop finds the colon sooner than a general string search.
#[inline]
pub(crate) fn split_qname(qname: &str) -> Option<(&str, &str)> {
    let colon = qname.bytes().position(|b| b == b':')?;
    Some((qname.get(..colon)?, qname.get(colon + 1..)?))
}

/// Whether text is only XML whitespace.
pub(crate) fn is_whitespace(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The error of an element whose prefix is not declared (out of line: every element is
/// resolved, and this is rare).
#[cold]
#[inline(never)]
fn undeclared_prefix(start: &StartTag<'_>, prefix: &str) -> ReadError {
    ReadError::syntax(
        format!(
            "element `{}` uses the undeclared namespace prefix `{prefix}`",
            start.qname
        ),
        start.offset,
    )
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

/// The namespace constraints on one declaration (Namespaces in XML 1.0, section 3):
/// `xml` only to its namespace and its namespace to no other prefix, `xmlns` and its
/// namespace never, and no prefix undeclared with an empty value.
fn check_declaration_of(prefix: &str, uri: &str, offset: usize) -> Result<(), ReadError> {
    let problem = if prefix == "xmlns" {
        Some("the prefix `xmlns` cannot be declared".to_owned())
    } else if prefix == "xml" && uri != XML_NS {
        Some(format!("the prefix `xml` can only be bound to {XML_NS}"))
    } else if prefix != "xml" && uri == XML_NS {
        Some(format!("{XML_NS} can only be bound to the prefix `xml`"))
    } else if uri == XMLNS_NS {
        Some(format!("{XMLNS_NS} cannot be declared"))
    } else if !prefix.is_empty() && uri.is_empty() {
        Some(format!(
            "the namespace prefix `{prefix}` cannot be undeclared"
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(ReadError::syntax(
            format!("malformed XML: {message}"),
            offset,
        )),
        None => Ok(()),
    }
}

/// Checks an XML declaration (`content` is what follows `<?xml`): `version="1.x"`, then
/// optionally `encoding` (UTF-8 or its ASCII subset: the bytes were already read as UTF-8,
/// and reading them as another encoding would change their meaning) and `standalone`
/// (`yes` or `no`), in that order, separated by white space. Byte by byte (its syntax is
/// ASCII), and out of line: every message with a declaration comes here once, and the
/// cursor's `next`, which every token goes through, need not carry it.
#[inline(never)]
fn check_declaration(content: &str, offset: usize) -> Result<(), ReadError> {
    // What nearly every client writes, recognized whole (one comparison) before the general
    // reading of the parts, which costs several hundred instructions per message.
    if matches!(
        content.strip_suffix(' ').unwrap_or(content),
        " version=\"1.0\" encoding=\"utf-8\""
            | " version=\"1.0\" encoding=\"UTF-8\""
            | " version='1.0' encoding='utf-8'"
            | " version='1.0' encoding='UTF-8'"
            | " version=\"1.0\""
            | " version='1.0'"
    ) {
        return Ok(());
    }
    let bad = |message: String| {
        ReadError::syntax(format!("malformed XML declaration: {message}"), offset)
    };
    let bytes = content.as_bytes();
    let skip_space = |from: usize| {
        from + bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .count()
    };
    let mut at = 0;
    // The rank of the last part read (in `expected_order`): a list of the parts seen would
    // cost an allocation for every message.
    let mut last_rank: Option<usize> = None;
    loop {
        let part = skip_space(at);
        if part >= bytes.len() {
            break;
        }
        if part == at {
            return Err(bad("expected white space between its parts".to_owned()));
        }
        let name_end = part
            + bytes
                .get(part..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        let name = content.get(part..name_end).unwrap_or("");
        let eq = skip_space(name_end);
        if bytes.get(eq) != Some(&b'=') {
            return Err(bad(format!("expected `=` after `{name}`")));
        }
        let q = skip_space(eq + 1);
        let quote = match bytes.get(q) {
            Some(&c @ (b'"' | b'\'')) => c,
            _ => return Err(bad(format!("the value of `{name}` is not quoted"))),
        };
        let Some(close) = bytes
            .get(q + 1..)
            .and_then(|b| b.iter().position(|&c| c == quote))
        else {
            return Err(bad(format!("the value of `{name}` is not closed")));
        };
        let value = content.get(q + 1..q + 1 + close).unwrap_or("");
        at = q + 1 + close + 1;
        let expected_order = ["version", "encoding", "standalone"];
        let Some(rank) = expected_order.iter().position(|n| *n == name) else {
            return Err(bad(format!("unknown part `{name}`")));
        };
        if last_rank.is_none() && rank != 0 {
            return Err(bad("the version must come first".to_owned()));
        }
        if last_rank.is_some_and(|l| l >= rank) {
            return Err(bad(format!("`{name}` is out of order or repeated")));
        }
        last_rank = Some(rank);
        match name {
            "version" => {
                let minor = value.strip_prefix("1.").unwrap_or("");
                if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad(format!("unsupported version `{value}` (expected 1.x)")));
                }
            }
            "encoding" => {
                let well_formed = value.starts_with(|c: char| c.is_ascii_alphabetic())
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                if !well_formed {
                    return Err(bad(format!("`{value}` is not an encoding name")));
                }
                // Compared without case in place (a lowercased copy is an allocation).
                if !["utf-8", "utf8", "us-ascii", "ascii"]
                    .iter()
                    .any(|e| value.eq_ignore_ascii_case(e))
                {
                    return Err(ReadError::syntax(
                        format!("unsupported encoding `{value}`: SOAP messages must be UTF-8"),
                        offset,
                    ));
                }
            }
            _ => {
                if !matches!(value, "yes" | "no") {
                    return Err(bad(format!(
                        "standalone must be `yes` or `no`, not `{value}`"
                    )));
                }
            }
        }
    }
    if last_rank.is_none() {
        return Err(bad("the version is missing".to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_declarations_are_checked() {
        for good in [
            " version=\"1.0\" encoding=\"utf-8\"",
            " version='1.0' encoding='UTF-8' ",
            " version=\"1.0\"",
            " version = '1.1'\n encoding=\"US-ASCII\" standalone='yes'",
            " version=\"1.0\" standalone=\"no\"",
            " version=\"1.0\" encoding=\"utf8\"  ",
        ] {
            assert!(check_declaration(good, 0).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            " ",
            "version=\"1.0\"",
            " version=\"2.0\"",
            " version=\"1.\"",
            " version=\"1.0\" encoding=\"latin1\"",
            " version=\"1.0\" encoding=\"-x\"",
            " encoding=\"utf-8\" version=\"1.0\"",
            " version=\"1.0\"encoding=\"utf-8\"",
            " version=1.0",
            " version=\"1.0",
            " version \"1.0\"",
            " version=\"1.0\" standalone=\"maybe\"",
            " version=\"1.0\" version=\"1.0\"",
            " version=\"1.0\" other=\"x\"",
            " version=\"1.0\" encoding=\"UTF-8\" \u{e9}=\"x\"",
        ] {
            assert!(check_declaration(bad, 0).is_err(), "{bad:?}");
        }
    }
}
