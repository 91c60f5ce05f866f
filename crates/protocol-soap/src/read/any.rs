//! Capturing raw XML (`xs:anyType`) so that the text stands alone: the namespace
//! declarations it relies on from its ancestors are copied onto its top-level elements.
//!
//! Copying declarations onto every top-level element multiplies them: a value with many
//! top-level elements inside a scope with many used prefixes would grow far beyond its input.
//! The captured text is therefore held to the string limit as it is built. Only the prefixes
//! the content uses are looked up (a hashed lookup per use), never every binding in scope:
//! a scope may hold thousands while each of many small values uses one or two.

use std::collections::{BTreeMap, HashSet};

use rpclib_core::model::AnyXml;
use rpclib_core::xml_escape;

use super::cursor::{Cursor, StartTag, Token, unclosed};
use crate::error::ReadError;

/// A top-level element of the captured content: where its declarations go, and the prefixes
/// it declares itself (which must not be declared twice).
struct Root<'a> {
    insert_at: usize,
    declared: HashSet<&'a str>,
}

/// Reads the content of `start` (whose start tag was just read) as raw XML, through its end
/// tag. Text, comments, CDATA and references are kept as written.
pub(crate) fn capture<'a>(
    cursor: &mut Cursor<'a>,
    start: &StartTag<'a>,
) -> Result<AnyXml, ReadError> {
    let depth = cursor.depth();
    capture_from(cursor, depth, start.content, start.offset, None)
}

/// Reads one whole element, start tag to end tag, as raw XML: `cursor` was resumed at its
/// start tag (a header block). Its own declarations stay as written; those it uses from the
/// envelope are copied onto it.
pub(crate) fn capture_element(cursor: &mut Cursor<'_>) -> Result<AnyXml, ReadError> {
    let depth = cursor.depth();
    let Token::Start(start) = cursor.next()? else {
        return Err(ReadError::syntax(
            "internal: no element where one was found before",
            0,
        ));
    };
    let from = start.offset;
    // `<x/>` ends where its start tag does; `<x>..</x>` after its end tag's `>`.
    let self_closing = cursor
        .text()
        .get(..start.content)
        .is_some_and(|t| t.ends_with("/>"))
        .then_some(start.content);
    // Put the start tag back so that the capture sees it as its one top-level element.
    cursor.push_back(Token::Start(start));
    capture_from(cursor, depth, from, from, Some(self_closing))
}

/// Reads one whole element whose start tag `start` was just read, start tag to end tag, as
/// raw XML (an element a wildcard, `xs:any`, stands for). Declarations it uses from its
/// ancestors are copied onto it.
pub(crate) fn capture_current<'a>(
    cursor: &mut Cursor<'a>,
    start: StartTag<'a>,
) -> Result<AnyXml, ReadError> {
    // The start tag was read: the cursor is one level inside the element.
    let depth = cursor.depth().saturating_sub(1);
    let from = start.offset;
    let self_closing = cursor
        .text()
        .get(..start.content)
        .is_some_and(|t| t.ends_with("/>"))
        .then_some(start.content);
    cursor.push_back(Token::Start(start));
    capture_from(cursor, depth, from, from, Some(self_closing))
}

/// Captures from `from` (the start of the content, or of the one element when `from` is a
/// start tag) through the end tag that brings the cursor back to depth `depth` or above:
/// `start`'s own end tag (left out) for content, the element's (kept) for one element.
fn capture_from<'a>(
    cursor: &mut Cursor<'a>,
    depth: usize,
    from: usize,
    at: usize,
    whole_element: Option<Option<usize>>,
) -> Result<AnyXml, ReadError> {
    let max_bytes = cursor.limits().max_string_bytes;
    // Declarations from outside the content (or on `start` itself) that the content uses,
    // keyed by their position in declaration order so that they are written in that order.
    let mut inherited: BTreeMap<usize, (&'a str, String)> = BTreeMap::new();
    let mut note = |cursor: &Cursor<'a>, prefix: &'a str| {
        if let Some((at, declared_at, ns)) = cursor.declaration_of(prefix)
            && declared_at <= depth
            && !ns.is_empty()
        {
            inherited
                .entry(at)
                .or_insert_with(|| (prefix, ns.to_owned()));
        }
    };
    let mut roots: Vec<Root<'a>> = Vec::new();
    let end = loop {
        match cursor.next()? {
            Token::Start(s) => {
                cursor.resolve(&s)?;
                note(cursor, s.prefix().unwrap_or(""));
                let mut declared = HashSet::new();
                for (key, value) in s.attributes() {
                    if key == "xmlns" {
                        declared.insert("");
                    } else if let Some(p) = key.strip_prefix("xmlns:") {
                        declared.insert(p);
                    } else {
                        if let Some((p, _)) = key.split_once(':') {
                            note(cursor, p);
                        }
                        // QName-valued attributes (xsi:type="tns:T") need their prefix too.
                        if let Some((p, _)) = value.split_once(':')
                            && !p.is_empty()
                            && !p.contains(['/', ' '])
                        {
                            note(cursor, p);
                        }
                    }
                }
                if cursor.depth() == depth + 1 {
                    roots.push(Root {
                        insert_at: s.offset + 1 + s.qname.len(),
                        declared,
                    });
                }
            }
            Token::End { offset } if whole_element.is_some() && cursor.depth() <= depth => {
                match whole_element.flatten() {
                    Some(end) => break end,
                    None => break end_tag_end(cursor.text(), offset)?,
                }
            }
            Token::End { offset } if cursor.depth() < depth => break offset,
            Token::Eof { offset } => return Err(unclosed(offset)),
            Token::End { .. } | Token::Text { .. } => {}
        }
    };
    // The inherited declarations the content uses, written once; each root then gets those
    // it does not declare itself.
    let mut needed: Vec<(&str, Vec<u8>)> = Vec::new();
    for (key, ns) in inherited.values() {
        let key: &str = key;
        let mut declaration = if key.is_empty() {
            b" xmlns=\"".to_vec()
        } else {
            format!(" xmlns:{key}=\"").into_bytes()
        };
        xml_escape::escape_attribute(&mut declaration, ns).map_err(|c| {
            ReadError::syntax(
                format!(
                    "internal: the namespace of `{key}` holds U+{:04X}, which XML cannot carry",
                    u32::from(c)
                ),
                at,
            )
        })?;
        declaration.push(b'"');
        needed.push((key, declaration));
    }
    let text = cursor.text();
    let slice = |from: usize, to: usize| {
        text.get(from..to)
            .ok_or_else(|| ReadError::syntax("internal: raw XML range outside the document", from))
    };
    let too_long = || {
        ReadError::limit(
            format!(
                "the raw XML value with the namespace declarations it needs is longer than the limit of {max_bytes} bytes"
            ),
            at,
        )
    };
    let mut out: Vec<u8> = Vec::with_capacity(end.saturating_sub(from) + 64);
    let mut copied = from;
    for root in &roots {
        out.extend_from_slice(slice(copied, root.insert_at)?.as_bytes());
        for (key, declaration) in &needed {
            if root.declared.contains(key) {
                continue;
            }
            if out.len() + declaration.len() > max_bytes {
                return Err(too_long());
            }
            out.extend_from_slice(declaration);
        }
        copied = root.insert_at;
    }
    out.extend_from_slice(slice(copied, end)?.as_bytes());
    if out.len() > max_bytes {
        return Err(too_long());
    }
    // Slices of the document and escaped UTF-8 text: valid UTF-8 by construction.
    let out = String::from_utf8(out)
        .map_err(|_| ReadError::syntax("internal: captured XML is not UTF-8", at))?;
    Ok(AnyXml::new(out))
}

/// Where the end tag starting at `offset` ends (just after its `>`).
fn end_tag_end(text: &str, offset: usize) -> Result<usize, ReadError> {
    text.get(offset..)
        .filter(|t| t.starts_with("</"))
        .and_then(|t| t.find('>'))
        .map(|i| offset + i + 1)
        .ok_or_else(|| ReadError::syntax("internal: no end tag where one was read", offset))
}
