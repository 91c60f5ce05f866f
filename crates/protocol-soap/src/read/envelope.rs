//! Finding the parts of a SOAP envelope: its header blocks and the Body's element, in one
//! streaming pass that stops at the Body's first child (the payload is read later, from there).

use super::cursor::{Cursor, Scope, StartTag, Token, unclosed};
use super::prolog;
use crate::error::ReadError;
use crate::limits::Limits;
use crate::read::de::clark;
use crate::version::{SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, SoapVersion};

/// A header block: its name, where it starts, and whether it must be understood.
#[derive(Debug, Clone)]
pub(crate) struct HeaderBlock {
    pub(crate) ns: String,
    pub(crate) local: String,
    pub(crate) offset: usize,
    pub(crate) must_understand: bool,
    /// Addressed to the ultimate receiver (no `actor`/`role`, or `next`/`ultimateReceiver`).
    pub(crate) for_us: bool,
}

/// The `Header`: its blocks and the scope they are read in.
#[derive(Debug, Clone)]
pub(crate) struct HeaderPart {
    pub(crate) scope: Scope,
    pub(crate) blocks: Vec<HeaderBlock>,
}

/// Where a piece of text stands in the document: names are kept as positions rather than
/// copied into `String`s (an allocation each, for every message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// Where `part`, a slice of `text`, stands in it; `None` when `part` lies elsewhere.
    fn of(text: &str, part: &str) -> Option<Span> {
        // Addresses only compared and subtracted, never dereferenced.
        let base = text.as_ptr() as usize;
        let start = (part.as_ptr() as usize).checked_sub(base)?;
        let end = start.checked_add(part.len())?;
        (end <= text.len()).then_some(Span { start, end })
    }

    /// The text of the span in `text` (the document it was taken from).
    pub(crate) fn get(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// The namespace of the Body's element: where it is written in the document, or, when the
/// declaration held references (or the name is in no namespace), its text.
#[derive(Debug, Clone)]
enum NamespaceText {
    At(Span),
    Owned(Box<str>),
}

/// What decomposition found. Names are positions in the document, read with the document's
/// text.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    /// The qualified names of `Envelope` and `Body` as written, to check their end tags.
    envelope_qname: Span,
    body_qname: Span,
    pub(crate) header: Option<HeaderPart>,
    /// The scope inside `Body` (taken by the one reading of the Body's element), and the
    /// offset of its element's start tag.
    pub(crate) body_scope: Option<Scope>,
    pub(crate) child_offset: usize,
    /// When the Body's element has no attributes and content (its start tag declares
    /// nothing and is not `<x/>`): where its content starts and its qualified name, so that
    /// its reading can begin after the start tag rather than read it again.
    pub(crate) child_plain: Option<(usize, Span)>,
    child_ns: NamespaceText,
    child_local: Span,
    /// Elements read so far, for the document-wide limit.
    pub(crate) elements: usize,
    /// How much of the document the decomposition read: up to the end of the start tag of
    /// the Body's element.
    pub(crate) read: usize,
}

impl Parts {
    /// The namespace of the Body's element; `text` is the document.
    pub(crate) fn child_ns<'t>(&'t self, text: &'t str) -> &'t str {
        match &self.child_ns {
            NamespaceText::At(span) => span.get(text),
            NamespaceText::Owned(ns) => ns,
        }
    }

    /// The local name of the Body's element; `text` is the document.
    pub(crate) fn child_local<'t>(&self, text: &'t str) -> &'t str {
        self.child_local.get(text)
    }

    /// Whether the Body of the document `text` holds a fault of `version`.
    pub(crate) fn is_fault(&self, text: &str, version: SoapVersion) -> bool {
        self.child_local(text) == "Fault" && self.child_ns(text) == version.envelope_namespace()
    }
}

/// Reads `text` up to the Body's first element, in `version`; with `negotiate` (an endpoint
/// speaking both versions), `version` is a hint that the root element's namespace replaces
/// when it is a SOAP envelope namespace (see [`negotiate_version`]), and holds the version
/// read in (or to answer in) when this returns, whatever the outcome.
pub(crate) fn decompose(
    text: &str,
    version: &mut SoapVersion,
    negotiate: bool,
    limits: Limits,
) -> Result<Parts, ReadError> {
    // The same start as the last message's, up to the Body's element (the same client
    // calling the same operation): what the decomposition found then, it finds now.
    let asked = *version;
    if let Some((parts, read_in)) = prolog::envelope(text, limits, negotiate, asked) {
        *version = read_in;
        return Ok(parts);
    }
    let parts = read_envelope(text, version, negotiate, limits)?;
    // Header blocks are kept as strings: a message with a header is read each time.
    if parts.header.is_none() {
        prolog::remember_envelope(text, limits, negotiate, (asked, *version), &parts);
    }
    Ok(parts)
}

/// [`decompose`] from the document's first byte (or from after its root's start tag, when
/// the document starts as the last one read did: [`prolog::resume`]).
fn read_envelope(
    text: &str,
    version: &mut SoapVersion,
    negotiate: bool,
    limits: Limits,
) -> Result<Parts, ReadError> {
    let (mut c, root) = match prolog::resume(text, limits) {
        Some(resumed) => resumed,
        None => read_root(text, limits)?,
    };
    if negotiate {
        negotiate_version(&c, &root, version)?;
    }
    let version = *version;
    check_envelope(&c, &root, version)?;
    let env_ns = version.envelope_namespace();
    let mut header = None;
    let body = loop {
        match c.next_significant()? {
            Token::Start(s) => {
                let (ns, local) = c.resolve(&s)?;
                if ns == env_ns && local == "Body" {
                    break s;
                }
                if ns == env_ns && local == "Header" && header.is_none() {
                    header = Some(read_header(&mut c, version)?);
                    continue;
                }
                let name = clark(ns, local);
                return Err(ReadError::envelope(
                    format!(
                        "unexpected element `{name}` in the Envelope (expected Header or Body)"
                    ),
                    s.offset,
                ));
            }
            Token::End { offset } => {
                return Err(ReadError::envelope("the Envelope has no Body", offset));
            }
            Token::Text { offset, .. } => {
                return Err(ReadError::envelope(
                    "unexpected text in the Envelope",
                    offset,
                ));
            }
            Token::Eof { offset } => return Err(unclosed(offset)),
        }
    };
    // The scope inside the Body: the cursor's own namespaces once it is done (no copy).
    let body_depth = c.depth();
    let child = match c.next_significant()? {
        Token::Start(s) => s,
        Token::End { offset } => {
            return Err(ReadError::envelope("the Body has no element", offset));
        }
        Token::Text { offset, .. } => {
            return Err(ReadError::envelope("unexpected text in the Body", offset));
        }
        Token::Eof { offset } => return Err(unclosed(offset)),
    };
    let (child_ns, child_local) = c.resolve(&child)?;
    // The namespace is usually a declaration's value as written; `""`, `xml`'s, or one
    // decoded from references is not in the document.
    let child_ns = match Span::of(text, child_ns) {
        Some(span) if !child_ns.is_empty() => NamespaceText::At(span),
        _ => NamespaceText::Owned(child_ns.into()),
    };
    let span = |name: &str| Span::of(text, name).ok_or_else(|| outside(child.offset));
    let (envelope_qname, body_qname) = (span(root.qname)?, span(body.qname)?);
    let child_local = span(child_local)?;
    let child_plain = match (
        c.in_empty_element(),
        super::cursor::is_whitespace(child.attrs),
    ) {
        (false, true) => Some((child.content, span(child.qname)?)),
        _ => None,
    };
    let (child_offset, elements, read) = (child.offset, c.elements(), child.content);
    Ok(Parts {
        envelope_qname,
        body_qname,
        header,
        body_scope: Some(c.into_scope(body_depth)),
        child_offset,
        child_plain,
        child_ns,
        child_local,
        elements,
        read,
    })
}

/// Reads `text` from its first byte up to the end of its root element's start tag, and
/// keeps that start for the next document that begins with the same bytes
/// ([`prolog`]).
fn read_root(text: &str, limits: Limits) -> Result<(Cursor<'_>, StartTag<'_>), ReadError> {
    let mut c = Cursor::new(text, limits);
    let root = loop {
        match c.next()? {
            Token::Start(s) => break s,
            Token::Text { text, offset } => {
                if !super::cursor::is_whitespace(&text) {
                    return Err(ReadError::syntax("text before the root element", offset));
                }
            }
            Token::End { offset } => {
                return Err(ReadError::syntax("end tag without a start tag", offset));
            }
            Token::Eof { offset } => {
                return Err(ReadError::syntax("the message has no root element", offset));
            }
        }
    };
    if !c.in_empty_element() {
        prolog::remember(text, &c, &root, limits);
    }
    Ok((c, root))
}

/// A name that should be a slice of the document and is not (a bug, reported rather than
/// panicking).
fn outside(offset: usize) -> ReadError {
    ReadError::syntax("internal: a name outside the document", offset)
}

/// The version of a message on an endpoint that speaks both, from its root element (read in
/// the same pass as the rest of the envelope, not in a pass of its own): the version whose
/// envelope namespace the root is in; for an `Envelope` in a namespace no version uses, a
/// `VersionMismatch` answered in SOAP 1.2 (which can name the supported envelopes); for
/// any other root, `version` (the content type's hint) stays, and the check of the
/// envelope reports the root.
fn negotiate_version(
    c: &Cursor<'_>,
    root: &StartTag<'_>,
    version: &mut SoapVersion,
) -> Result<(), ReadError> {
    let (ns, local) = c.resolve(root)?;
    match SoapVersion::from_namespace(ns) {
        Some(found) => *version = found,
        None if local == "Envelope" => {
            *version = SoapVersion::Soap12;
            return Err(ReadError::version_mismatch(
                format!(
                    "unknown envelope namespace `{ns}`: this endpoint speaks SOAP 1.2 \
                     (`{SOAP12_ENVELOPE_NS}`) and SOAP 1.1 (`{SOAP11_ENVELOPE_NS}`)"
                ),
                root.offset,
            ));
        }
        None => {}
    }
    Ok(())
}

fn check_envelope(
    c: &Cursor<'_>,
    root: &StartTag<'_>,
    version: SoapVersion,
) -> Result<(), ReadError> {
    let (ns, local) = c.resolve(root)?;
    if local != "Envelope" {
        return Err(ReadError::envelope(
            format!(
                "the root element `{}` is not a SOAP Envelope",
                clark(ns, local)
            ),
            root.offset,
        ));
    }
    if ns == version.envelope_namespace() {
        return Ok(());
    }
    let message = match SoapVersion::from_namespace(ns) {
        Some(other) => format!(
            "a {} envelope was sent to a {} endpoint",
            other.label(),
            version.label()
        ),
        None => format!(
            "unknown envelope namespace `{ns}`: this endpoint speaks {} (`{}`)",
            version.label(),
            version.envelope_namespace()
        ),
    };
    Err(ReadError::version_mismatch(message, root.offset))
}

fn read_header(c: &mut Cursor<'_>, version: SoapVersion) -> Result<HeaderPart, ReadError> {
    let env_ns = version.envelope_namespace();
    let scope = c.scope();
    let mut blocks = Vec::new();
    loop {
        match c.next_significant()? {
            Token::Start(s) => {
                let (ns, local) = c.resolve(&s)?;
                let must_understand = c
                    .attribute(&s, env_ns, "mustUnderstand")
                    .is_some_and(|v| SoapVersion::must_understand(&v));
                let for_us = c
                    .attribute(&s, env_ns, version.target_attribute())
                    .is_none_or(|t| version.targets_us(&t));
                blocks.push(HeaderBlock {
                    ns: ns.to_owned(),
                    local: local.to_owned(),
                    offset: s.offset,
                    must_understand,
                    for_us,
                });
                c.skip_element()?;
            }
            Token::End { .. } => return Ok(HeaderPart { scope, blocks }),
            Token::Text { offset, .. } => {
                return Err(ReadError::envelope("unexpected text in the Header", offset));
            }
            Token::Eof { offset } => return Err(unclosed(offset)),
        }
    }
}

/// After the Body's element was read: checks that nothing but the end tags of `Body` and
/// `Envelope` (and trailing whitespace, comments and processing instructions) follow.
pub(crate) fn finish(c: &mut Cursor<'_>, parts: &Parts) -> Result<(), ReadError> {
    let text = c.text();
    for (qname, container) in [
        (parts.body_qname.get(text), "Body"),
        (parts.envelope_qname.get(text), "Envelope"),
    ] {
        // Usually the end tag, written as the start tag was, comes next: read without the
        // general path's name scan.
        if c.outer_end_tag(qname) {
            continue;
        }
        match c.next_significant()? {
            Token::End { offset } if c.end_tag_is(offset, qname) => {}
            Token::End { offset } => {
                return Err(ReadError::syntax(
                    format!("mismatched end tag: expected `</{qname}>`"),
                    offset,
                ));
            }
            Token::Start(s) => {
                let message = if container == "Body" {
                    format!(
                        "the Body has more than one element (unexpected `{}`)",
                        s.qname
                    )
                } else {
                    format!("unexpected element `{}` after the Body", s.qname)
                };
                return Err(ReadError::envelope(message, s.offset));
            }
            Token::Text { offset, .. } => {
                return Err(ReadError::envelope(
                    format!("unexpected text in the {container}"),
                    offset,
                ));
            }
            Token::Eof { offset } => return Err(unclosed(offset)),
        }
    }
    loop {
        match c.next()? {
            Token::Eof { .. } => return Ok(()),
            Token::Text { text, .. } if super::cursor::is_whitespace(&text) => {}
            Token::Start(StartTag { offset, .. })
            | Token::End { offset }
            | Token::Text { offset, .. } => {
                return Err(ReadError::syntax(
                    "content after the end of the Envelope",
                    offset,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ReadErrorKind;

    /// A document starting as the last one decomposed on the thread gets what decomposing
    /// it from its first byte gets.
    #[test]
    fn a_kept_decomposition_is_the_fresh_one() {
        let limits = Limits::default();
        let start = r#"<?xml version="1.0"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:t="urn:t"><e:Body><t:op>"#;
        let a = format!("{start}<t:x>1</t:x></t:op></e:Body></e:Envelope>");
        let b = format!("{start}<t:y>22</t:y></t:op></e:Body></e:Envelope>");
        let other = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><x/></e:Body></e:Envelope>"#;
        let read = |text: &str| {
            let mut version = SoapVersion::Soap11;
            let parts = decompose(text, &mut version, true, limits);
            (format!("{parts:?}"), version)
        };
        let fresh_a = read(&a);
        // `b` starts as `a` did: kept.
        let kept_b = read(&b);
        // After another start, `b` is read from its first byte.
        let other_parts = read(other);
        let fresh_b = read(&b);
        assert_eq!(kept_b, fresh_b);
        assert_eq!(fresh_a, fresh_b);
        assert_eq!(kept_b.1, SoapVersion::Soap12);
        assert_eq!(other_parts.1, SoapVersion::Soap11);
        // Asked for a fixed version, the kept one is not used: SOAP 1.1 refuses the 1.2
        // envelope.
        let mut version = SoapVersion::Soap11;
        assert!(decompose(&b, &mut version, false, limits).is_err());
    }

    /// Negotiated, the root's namespace decides; a root that cannot be read, or is in no
    /// SOAP namespace, leaves the hint; an `Envelope` in another namespace is a
    /// `VersionMismatch` answered in SOAP 1.2.
    #[test]
    fn the_root_namespace_decides() {
        let limits = Limits::default();
        let read = |text: &str, hint: SoapVersion| {
            let mut version = hint;
            let result = decompose(text, &mut version, true, limits);
            (result, version)
        };
        let v11 = r#"<?xml version="1.0"?><!-- c --><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><x/></e:Body></e:Envelope>"#;
        let (parts, version) = read(v11, SoapVersion::Soap12);
        assert!(parts.is_ok());
        assert_eq!(version, SoapVersion::Soap11);
        let v12 = r#"<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body><x/></Body></Envelope>"#;
        let (parts, version) = read(v12, SoapVersion::Soap11);
        assert!(parts.is_ok());
        assert_eq!(version, SoapVersion::Soap12);
        let (error, version) = read(
            r#"<e:Envelope xmlns:e="urn:not-soap"/>"#,
            SoapVersion::Soap11,
        );
        assert!(
            error.is_err_and(|e| e.kind == ReadErrorKind::VersionMismatch
                && e.message.contains("SOAP 1.2")
                && e.message.contains("SOAP 1.1"))
        );
        assert_eq!(version, SoapVersion::Soap12);
        for bad in [
            "",
            "garbage",
            "<a xmlns='urn:x'/>",
            "<p:Envelope/>",
            "<!DOCTYPE x><x/>",
        ] {
            for hint in [SoapVersion::Soap11, SoapVersion::Soap12] {
                let (result, version) = read(bad, hint);
                assert!(result.is_err(), "{bad}");
                assert_eq!(version, hint, "{bad}");
            }
        }
        // A fixed version is never replaced.
        let mut version = SoapVersion::Soap12;
        assert!(decompose(v11, &mut version, false, limits).is_err());
        assert_eq!(version, SoapVersion::Soap12);
    }
}
