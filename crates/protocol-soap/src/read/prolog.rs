//! The start of the last message read on this thread, up to the end of its root element's
//! start tag, kept so that the next message starting with the same bytes is read from there
//! instead of from its first byte; and, for a message without a `Header`, what the
//! decomposition of its envelope found, up to the end of the Body element's start tag, kept
//! for the next message starting with those bytes (the same client calling the same
//! operation).
//!
//! A client writes every request's start the same way (the XML declaration, the
//! `Envelope` tag and its namespace declarations), and reading it is most of what the
//! envelope of a small message costs: the declaration's check, the names, every attribute
//! value's check and each namespace declaration. Reading is deterministic, and what precedes
//! the end of the root's start tag does not depend on what follows it, so a document whose
//! first bytes are those of the last one leaves the cursor, after them, exactly as the last
//! one did: the same depth, elements and namespaces in force (positions, the same in both
//! documents), the root's name open. The limits are part of the key (they decide whether
//! those bytes are read at all).

use std::cell::RefCell;

use super::cursor::{Cursor, Scope, StartTag};
use super::envelope::Parts;
use crate::limits::Limits;
use crate::version::SoapVersion;

/// What reading a document's start left behind.
#[derive(Debug)]
struct Prolog {
    limits: Limits,
    /// The document's bytes up to the end of the root's start tag.
    bytes: Vec<u8>,
    /// Where the root's start tag begins, and the spans of its name and raw attributes.
    root_offset: usize,
    root_qname: (usize, usize),
    root_attrs: (usize, usize),
    /// Elements read (the root).
    elements: usize,
    /// The namespaces in force inside the root, and its depth.
    scope: Scope,
}

/// What decomposing a document's envelope found, and how it was asked.
#[derive(Debug)]
struct Envelope {
    limits: Limits,
    negotiate: bool,
    /// The version asked for (the hint, when negotiating) and the one read in.
    versions: (SoapVersion, SoapVersion),
    /// The document's bytes up to the end of the Body element's start tag.
    bytes: Vec<u8>,
    parts: Parts,
}

/// The longest start a thread keeps (of each kind): envelopes as clients write them take a
/// few hundred bytes; a message whose start is longer is read whole, so that no message can
/// make a thread hold a large copy of it.
const MAX_KEPT: usize = 4096;

thread_local! {
    static LAST: RefCell<Option<Prolog>> = const { RefCell::new(None) };
    static LAST_ENVELOPE: RefCell<Option<Envelope>> = const { RefCell::new(None) };
}

/// What decomposing `text` finds, and the version it is read in, when `text` starts with the
/// bytes the last decomposition on this thread read, asked the same way.
pub(crate) fn envelope(
    text: &str,
    limits: Limits,
    negotiate: bool,
    version: SoapVersion,
) -> Option<(Parts, SoapVersion)> {
    LAST_ENVELOPE
        .try_with(|last| {
            let last = last.try_borrow().ok()?;
            let e = last.as_ref()?;
            let same = e.limits == limits
                && e.negotiate == negotiate
                && e.versions.0 == version
                && text.as_bytes().starts_with(&e.bytes);
            same.then(|| (e.parts.clone(), e.versions.1))
        })
        .ok()
        .flatten()
}

/// Keeps what decomposing `text` found (`parts`, read up to `parts.read`), asked with
/// `limits`, `negotiate` and `versions.0`, read in `versions.1`, for [`envelope`].
pub(crate) fn remember_envelope(
    text: &str,
    limits: Limits,
    negotiate: bool,
    versions: (SoapVersion, SoapVersion),
    parts: &Parts,
) {
    let Some(bytes) = text
        .as_bytes()
        .get(..parts.read)
        .filter(|b| b.len() <= MAX_KEPT)
    else {
        return;
    };
    let parts = parts.clone();
    let _ = LAST_ENVELOPE.try_with(|last| {
        let Ok(mut last) = last.try_borrow_mut() else {
            return;
        };
        // Into the kept allocation, when there is one.
        let mut kept = last.take().map(|e| e.bytes).unwrap_or_default();
        kept.clear();
        kept.extend_from_slice(bytes);
        *last = Some(Envelope {
            limits,
            negotiate,
            versions,
            bytes: kept,
            parts,
        });
    });
}

/// A cursor over `text` after its root element's start tag, and that tag, when `text`
/// starts with the bytes of the last document start this thread read with `limits`.
pub(crate) fn resume<'a>(text: &'a str, limits: Limits) -> Option<(Cursor<'a>, StartTag<'a>)> {
    LAST.try_with(|last| {
        let last = last.try_borrow().ok()?;
        let p = last.as_ref()?;
        if p.limits != limits || !text.as_bytes().starts_with(&p.bytes) {
            return None;
        }
        let content = p.bytes.len();
        let qname = text.get(p.root_qname.0..p.root_qname.1)?;
        let attrs = text.get(p.root_attrs.0..p.root_attrs.1)?;
        let cursor =
            Cursor::resume_after_root(text, content, qname, p.scope.clone(), limits, p.elements);
        let root = StartTag {
            offset: p.root_offset,
            content,
            qname,
            attrs,
        };
        Some((cursor, root))
    })
    .ok()
    .flatten()
}

/// Keeps the start of `text`, read by `c` up to the end of `root`'s start tag (the first
/// element of the document, with content: not `<x/>`), for [`resume`].
pub(crate) fn remember(text: &str, c: &Cursor<'_>, root: &StartTag<'_>, limits: Limits) {
    let Some(bytes) = text
        .as_bytes()
        .get(..root.content)
        .filter(|b| b.len() <= MAX_KEPT)
    else {
        return;
    };
    let span = |part: &str| {
        // `part` is a slice of `text`: its offset is the distance between the two pointers.
        let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        (start, start + part.len())
    };
    let scope = c.scope();
    let _ = LAST.try_with(|last| {
        let Ok(mut last) = last.try_borrow_mut() else {
            return;
        };
        // Into the kept allocation, when there is one.
        let mut kept = last.take().map(|p| p.bytes).unwrap_or_default();
        kept.clear();
        kept.extend_from_slice(bytes);
        *last = Some(Prolog {
            limits,
            bytes: kept,
            root_offset: root.offset,
            root_qname: span(root.qname),
            root_attrs: span(root.attrs),
            elements: c.elements(),
            scope,
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::cursor::Token;

    /// Every token of a document read from a kept start is the token read from its first
    /// byte.
    #[test]
    fn a_resumed_start_reads_as_the_whole_document() {
        let limits = Limits::default();
        let first = r#"<?xml version="1.0"?> <!-- c --><e:Envelope xmlns:e="urn:e" xmlns:t="urn:t&amp;"><e:Body><t:a>1</t:a></e:Body></e:Envelope>"#;
        let second = r#"<?xml version="1.0"?> <!-- c --><e:Envelope xmlns:e="urn:e" xmlns:t="urn:t&amp;"><e:Body><t:b x="2">2</t:b><t:c/></e:Body></e:Envelope> "#;
        let tokens = |mut c: Cursor<'_>| {
            let mut out = Vec::new();
            loop {
                let token = c.next();
                let names = match &token {
                    Ok(Token::Start(s)) => c
                        .resolve(s)
                        .map(|(ns, local)| format!("{ns}|{local}|{}|{}", s.offset, s.content))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let end = matches!(token, Ok(Token::Eof { .. }) | Err(_));
                out.push(format!("{token:?} {names} {}", c.depth()));
                if end {
                    return out;
                }
            }
        };
        let read_root = |text| {
            let mut c = Cursor::new(text, limits);
            let root = loop {
                if let Ok(Token::Start(s)) = c.next() {
                    break s;
                }
            };
            (c, root)
        };
        let (c, root) = read_root(first);
        remember(first, &c, &root, limits);
        // Another document with the same start: resumed, and read as a whole read reads it.
        let (whole, whole_root) = read_root(second);
        let resumed = resume(second, limits);
        assert!(resumed.is_some());
        if let Some((cursor, root)) = resumed {
            assert_eq!(format!("{root:?}"), format!("{whole_root:?}"));
            assert_eq!(cursor.elements(), whole.elements());
            assert_eq!(tokens(cursor), tokens(whole));
        }
        // Other limits, or another start: not resumed.
        let other = Limits {
            max_attributes: 1,
            ..limits
        };
        assert!(resume(second, other).is_none());
        assert!(resume(&second.replace("urn:t", "urn:u"), limits).is_none());
        assert!(resume(&first[..40], limits).is_none());
    }

    /// A start longer than `MAX_KEPT` is not kept: the next message is read from its first
    /// byte.
    #[test]
    fn a_long_start_is_not_kept() {
        let limits = Limits::default();
        let long = format!(
            r#"<e:Envelope xmlns:e="urn:e" a="{}"><e:Body/></e:Envelope>"#,
            "x".repeat(MAX_KEPT)
        );
        let mut c = Cursor::new(&long, limits);
        let Ok(Token::Start(root)) = c.next() else {
            panic!("no root");
        };
        remember(&long, &c, &root, limits);
        assert!(resume(&long, limits).is_none());
    }
}
