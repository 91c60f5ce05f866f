//! [`Scanner`]: the XML tokenizer under [`Cursor`](super::cursor::Cursor).
//!
//! Purpose-built rather than quick-xml's `Reader`: the input is already checked UTF-8 text,
//! so markup is found with `memchr` and sliced without per-event UTF-8 validation or event
//! copies. Measured on W2 (1000-item array): the cursor over quick-xml took ~120 µs, this
//! one ~55 µs, a bare quick-xml pass ~75 µs.
//!
//! It checks the syntax that decides structure (names with the XML name character classes,
//! quoted attribute values, duplicate attributes, matching end tags, terminated comments,
//! CDATA sections and processing instructions, `]]>` in text), the characters of comments
//! and processing instructions, and every attribute value (references defined and well
//! formed, characters allowed) as the tag is read, so that no value is left unchecked because
//! nobody asked for it. Text is checked where it is decoded ([`decode_text`]), which happens
//! to all of it. Each check is a single pass over the bytes it covers, and the attribute
//! limit is counted as attributes are read: the cost of reading any input is linear in its
//! size.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::spares::{self, spare_stack};

use foldhash::quality::RandomState;

use memchr::{memchr, memchr2, memmem};

use super::cursor::is_xml_char;
use crate::error::ReadError;
use crate::short_eq::same;

/// One piece of markup or text, borrowed from the document.
#[derive(Debug)]
pub(crate) enum Raw<'a> {
    /// `<name attrs>` or `<name attrs/>`; `attrs` is the raw text between the name and the
    /// closing `>` or `/>`.
    Start {
        name: &'a str,
        attrs: &'a str,
        empty: bool,
    },
    /// `</name>`; `matched` is false for an end tag whose start tag was before the point a
    /// resumed scanner started at.
    End {
        matched: bool,
    },
    /// Character data as written (references not resolved, line ends not normalized).
    Text(&'a str),
    /// The content of a CDATA section.
    CData(&'a str),
    /// The content of an XML declaration (`<?xml ...?>`).
    Decl(&'a str),
    /// A comment or processing instruction.
    Skip,
    /// A document type declaration.
    DocType,
    Eof,
}

/// Splits a document into [`Raw`] pieces.
#[derive(Debug)]
pub(crate) struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    /// Names of the open elements, to match end tags.
    open: Vec<&'a str>,
    /// Reusable list of one tag's attribute names, to find duplicates.
    seen: Vec<&'a str>,
    /// The same names hashed, once a tag has more than a few (linear time for any count).
    seen_set: HashSet<&'a str, RandomState>,
    /// Attributes of the current tag so far, namespace declarations included.
    count: usize,
    /// Most attributes (namespace declarations included) one start tag may carry.
    max_attributes: usize,
    /// Start-tag names already checked ([`KnownNames`]).
    known: KnownNames<'a>,
    /// Whether every attribute value of the current tag so far reads as written.
    plain_values: bool,
}

spare_stack!(
    /// Spare lists of names (a scanner's open elements and a tag's attribute names), kept
    /// without their borrow of a message.
    SPARE_NAMES,
    &'static str
);

impl Drop for Scanner<'_> {
    fn drop(&mut self) {
        for names in [
            std::mem::take(&mut self.open),
            std::mem::take(&mut self.seen),
        ] {
            // A list never taken (`seen` of a message whose attributes were all namespace
            // declarations) has nothing to give back.
            if names.capacity() > 0 {
                spares::give(&SPARE_NAMES, spares::recast(names));
            }
        }
    }
}

/// How many checked start-tag names a [`Scanner`] remembers.
const KNOWN_NAMES: usize = 8;

/// The last few distinct start-tag names that passed [`Scanner::name`]'s check. Documents
/// repeat a handful of names (an array's item, a struct's fields), and a name found again
/// byte for byte, ending where it ended before, needs no second check: comparing its first
/// eight bytes as one word costs a fraction of the per-byte class look-ups.
#[derive(Debug)]
struct KnownNames<'a> {
    /// Each name's first (up to) eight bytes as a little-endian word, the mask of those
    /// bytes, and the name. An unused slot has a mask of 0 and a head no word matches.
    names: [(u64, u64, &'a str); KNOWN_NAMES],
    /// The slot the next new name takes (round robin).
    next: usize,
}

impl<'a> KnownNames<'a> {
    fn new() -> Self {
        KnownNames {
            names: [(u64::MAX, 0, ""); KNOWN_NAMES],
            next: 0,
        }
    }

    /// The first (up to) eight bytes of `bytes` as a little-endian word, and their mask.
    fn head(bytes: &[u8]) -> (u64, u64) {
        let n = bytes.len().min(8);
        let mut word = [0u8; 8];
        word[..n].copy_from_slice(&bytes[..n]);
        let mask = if n == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
        (u64::from_le_bytes(word), mask)
    }

    /// The length of the known name `rest` starts with, if it ends there (the next byte
    /// ends a name, as [`Scanner::name`] would have found).
    #[inline]
    fn find(&self, rest: &[u8]) -> Option<usize> {
        let (word, _) = match rest.first_chunk::<8>() {
            Some(w) => (u64::from_le_bytes(*w), u64::MAX),
            None => Self::head(rest),
        };
        for &(head, mask, name) in &self.names {
            if word & mask != head {
                continue;
            }
            let n = name.len();
            // The head matched; a longer name must match to its end, and end there.
            let ends = rest
                .get(n)
                .is_some_and(|&b| NAME_CLASS[usize::from(b)] == NAME_OTHER);
            if ends && (n <= 8 || rest.get(8..n) == name.as_bytes().get(8..)) {
                return Some(n);
            }
        }
        None
    }

    fn remember(&mut self, name: &'a str) {
        let (head, mask) = Self::head(name.as_bytes());
        if let Some(slot) = self.names.get_mut(self.next) {
            *slot = (head, mask, name);
        }
        self.next = (self.next + 1) % KNOWN_NAMES;
    }
}

/// Attributes of one tag beyond which duplicates are found by hashing.
const HASH_ATTRIBUTES_FROM: usize = 8;

fn err(message: impl Into<String>, offset: usize) -> ReadError {
    ReadError::syntax(format!("malformed XML: {}", message.into()), offset)
}

impl<'a> Scanner<'a> {
    /// A scanner at byte `pos` of `text` (a start tag, or 0), refusing a start tag with more
    /// than `max_attributes` attributes as soon as the one too many is read.
    pub(crate) fn new(text: &'a str, pos: usize, max_attributes: usize) -> Self {
        Scanner {
            text,
            pos,
            open: spares::take(&SPARE_NAMES),
            // Taken when first needed: most messages' attributes are namespace declarations,
            // which it does not list.
            seen: Vec::new(),
            seen_set: HashSet::default(),
            count: 0,
            max_attributes,
            known: KnownNames::new(),
            plain_values: true,
        }
    }

    /// Whether every attribute value of the start tag just read reads as written (needs no
    /// decoding), so that a reader of the values need not look at them again. Only
    /// meaningful for a tag that has attributes (it is reset at a tag's first attribute,
    /// not at every tag: most have none).
    pub(crate) fn plain_values(&self) -> bool {
        self.plain_values
    }

    /// Opens the element `name` (a slice of the document whose start tag, read before,
    /// ends where this scanner starts), as reading its start tag would have.
    pub(crate) fn enter(&mut self, name: &'a str) {
        self.open.push(name);
    }

    /// Offset of the next piece.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    fn slice(&self, from: usize, to: usize) -> Result<&'a str, ReadError> {
        self.text
            .get(from..to)
            .ok_or_else(|| err("internal: a slice outside the document", from))
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// The next piece.
    pub(crate) fn next(&mut self) -> Result<Raw<'a>, ReadError> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let Some(rest) = bytes.get(start..).filter(|r| !r.is_empty()) else {
            return Ok(Raw::Eof);
        };
        if rest.first() != Some(&b'<') {
            let end = memchr(b'<', rest).map_or(bytes.len(), |i| start + i);
            self.pos = end;
            // `]]>` is refused where the text is decoded (all of it is).
            return self.slice(start, end).map(Raw::Text);
        }
        match self.byte(start + 1) {
            Some(b'/') => self.end_tag(start),
            Some(b'?') => self.processing_instruction(start),
            Some(b'!') => self.bang(start),
            _ => self.start_tag(start),
        }
    }

    /// The common content of a simple value, taken in one step: text (possibly none) up to
    /// the end tag of the innermost open element, written exactly `</name>`. Returns the raw
    /// text, where it starts, where the end tag starts, and whether the text is plain (it
    /// needs no decoding: [`decode_text`] would borrow it as it is); `None` (nothing
    /// consumed) for anything else, which the caller then reads piece by piece.
    pub(crate) fn text_then_end(&mut self) -> Option<(&'a str, usize, usize, bool)> {
        let open = *self.open.last()?;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let rest = bytes.get(start..)?;
        // One pass finds both the `<` and whether anything before it needs decoding: simple
        // values are short, and the decoding check would look at every byte again.
        let stop = rest.iter().position(|&b| TEXT_STOP[usize::from(b)])?;
        let (lt, plain) = if rest.get(stop) == Some(&b'<') {
            (start + stop, true)
        } else {
            (start + stop + memchr(b'<', rest.get(stop..)?)?, false)
        };
        let name_at = lt + 2;
        let after = name_at + open.len();
        let is_end = bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(name_at..after)
                .is_some_and(|n| same(n, open.as_bytes()))
            && bytes.get(after) == Some(&b'>');
        if !is_end {
            return None;
        }
        let text = self.text.get(start..lt)?;
        self.open.pop();
        self.pos = after + 1;
        Some((text, start, lt, plain))
    }

    /// An end tag written exactly `</qname>` (after any white space) for an element opened
    /// before the point a resumed scanner started at (the envelope's `Body` and `Envelope`,
    /// whose names were checked when their start tags were read): consumed, and the offset
    /// of its `<` returned; `None`, with nothing consumed, for anything else, which the
    /// caller then reads as usual.
    pub(crate) fn outer_end_tag(&mut self, qname: &str) -> Option<usize> {
        if !self.open.is_empty() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let start = self.pos
            + bytes
                .get(self.pos..)?
                .iter()
                .position(|&b| !is_xml_space(b))?;
        let after = bytes
            .get(start..)?
            .strip_prefix(b"</")?
            .strip_prefix(qname.as_bytes())?;
        if after.first() != Some(&b'>') {
            return None;
        }
        self.pos = start + 2 + qname.len() + 1;
        Some(start)
    }

    fn start_tag(&mut self, start: usize) -> Result<Raw<'a>, ReadError> {
        let rest = self.text.as_bytes().get(start + 1..).unwrap_or_default();
        let name_end = match self.known.find(rest) {
            Some(len) => start + 1 + len,
            None => {
                let end = self.name(start + 1)?;
                self.known.remember(self.slice(start + 1, end)?);
                end
            }
        };
        let name = self.slice(start + 1, name_end)?;
        // Most tags have no attributes: the per-tag attribute state is reset at the first one.
        let mut first_attribute = true;
        let mut p = name_end;
        loop {
            let q = self.skip_whitespace(p);
            match self.byte(q) {
                None => return Err(err(format!("the start tag `<{name}` is not closed"), start)),
                Some(b'>') => {
                    self.pos = q + 1;
                    self.open.push(name);
                    let attrs = self.slice(name_end, q)?;
                    return Ok(Raw::Start {
                        name,
                        attrs,
                        empty: false,
                    });
                }
                Some(b'/') => {
                    if self.byte(q + 1) != Some(b'>') {
                        return Err(err(format!("expected `/>` in the start tag `<{name}`"), q));
                    }
                    self.pos = q + 2;
                    let attrs = self.slice(name_end, q)?;
                    return Ok(Raw::Start {
                        name,
                        attrs,
                        empty: true,
                    });
                }
                Some(_) if q == p => {
                    return Err(err(
                        format!("expected whitespace before an attribute in `<{name}`"),
                        q,
                    ));
                }
                Some(_) => {
                    if first_attribute {
                        self.reset_attributes();
                        first_attribute = false;
                    }
                    p = self.attribute(q, name)?;
                }
            }
        }
    }

    /// Forgets the attributes of the previous tag, before the first one of a new tag.
    fn reset_attributes(&mut self) {
        self.seen.clear();
        self.plain_values = true;
        // Clearing a table costs its capacity: after one tag with very many attributes, start
        // the next with a fresh one rather than clear the large one at every tag.
        if self.seen_set.capacity() > 4 * HASH_ATTRIBUTES_FROM {
            self.seen_set = HashSet::default();
        } else {
            self.seen_set.clear();
        }
        self.count = 0;
    }

    /// Reads `name = "value"` at `at`; returns the offset after the closing quote.
    fn attribute(&mut self, at: usize, element: &str) -> Result<usize, ReadError> {
        let name_end = self.name(at)?;
        let name = self.slice(at, name_end)?;
        self.count += 1;
        if self.count > self.max_attributes {
            return Err(ReadError::limit(
                format!(
                    "the element `<{element}` has more than the limit of {} attributes",
                    self.max_attributes
                ),
                at,
            ));
        }
        // A namespace declaration given twice is found by the cursor when it declares the
        // prefix (one hash per declaration instead of two).
        let declaration = name == "xmlns" || name.starts_with("xmlns:");
        let duplicate = if declaration {
            false
        } else if self.seen_set.is_empty() && self.seen.len() < HASH_ATTRIBUTES_FROM {
            if self.seen.capacity() == 0 {
                self.seen = spares::take(&SPARE_NAMES);
            }
            let found = self.seen.contains(&name);
            self.seen.push(name);
            found
        } else {
            if !self.seen.is_empty() {
                self.seen_set.extend(self.seen.drain(..));
            }
            !self.seen_set.insert(name)
        };
        if duplicate {
            return Err(err(
                format!("the attribute `{name}` appears twice in `<{element}`"),
                at,
            ));
        }
        let eq = self.skip_whitespace(name_end);
        if self.byte(eq) != Some(b'=') {
            return Err(err(
                format!("expected `=` after the attribute `{name}`"),
                eq,
            ));
        }
        let q = self.skip_whitespace(eq + 1);
        let quote = match self.byte(q) {
            Some(c @ (b'"' | b'\'')) => c,
            _ => {
                return Err(err(
                    format!("the value of the attribute `{name}` is not quoted"),
                    q,
                ));
            }
        };
        let bytes = self.text.as_bytes();
        let value = bytes.get(q + 1..).unwrap_or_default();
        let Some(close) = memchr2(quote, b'<', value) else {
            return Err(err(
                format!("the value of the attribute `{name}` is not closed"),
                q,
            ));
        };
        if value.get(close) == Some(&b'<') {
            return Err(err(
                format!("`<` in the value of the attribute `{name}`"),
                q + 1 + close,
            ));
        }
        // Every value is checked now (references, characters), whether or not anyone reads
        // it later: an unchecked value is one a later reader may misread.
        let raw = self.slice(q + 1, q + 1 + close)?;
        let decoded = decode_attribute(raw, q + 1).map_err(|e| ReadError {
            message: format!("{} (in the attribute `{name}`)", e.message),
            ..e
        })?;
        if matches!(decoded, Cow::Owned(_)) {
            self.plain_values = false;
        }
        Ok(q + 1 + close + 1)
    }

    fn end_tag(&mut self, start: usize) -> Result<Raw<'a>, ReadError> {
        // Usually the end tag is exactly `</name>` for the innermost open element.
        if let Some(&open) = self.open.last() {
            let after = start + 2 + open.len();
            let rest = self.text.as_bytes().get(start + 2..).unwrap_or_default();
            if rest.starts_with(open.as_bytes()) && self.byte(after) == Some(b'>') {
                self.open.pop();
                self.pos = after + 1;
                return Ok(Raw::End { matched: true });
            }
        }
        let name_end = self.name(start + 2)?;
        let name = self.slice(start + 2, name_end)?;
        let gt = self.skip_whitespace(name_end);
        if self.byte(gt) != Some(b'>') {
            return Err(err(
                format!("expected `>` to close the end tag `</{name}`"),
                gt,
            ));
        }
        self.pos = gt + 1;
        match self.open.pop() {
            Some(open) if open == name => Ok(Raw::End { matched: true }),
            Some(open) => Err(err(
                format!("expected `</{open}>`, found `</{name}>`"),
                start,
            )),
            None => Ok(Raw::End { matched: false }),
        }
    }

    fn processing_instruction(&mut self, start: usize) -> Result<Raw<'a>, ReadError> {
        let target_end = self.name(start + 2)?;
        let target = self.slice(start + 2, target_end)?;
        let rest = self.text.as_bytes().get(target_end..).unwrap_or_default();
        let Some(close) = find_pi_end(rest) else {
            return Err(err("a processing instruction is not closed", start));
        };
        let content = self.slice(target_end, target_end + close)?;
        self.pos = target_end + close + 2;
        if target == "xml" {
            return Ok(Raw::Decl(content));
        }
        if target.eq_ignore_ascii_case("xml") {
            return Err(err(
                format!("the processing instruction target `{target}` is reserved"),
                start + 2,
            ));
        }
        if target.contains(':') {
            return Err(err(
                format!("the processing instruction target `{target}` contains a colon"),
                start + 2,
            ));
        }
        if !content.is_empty() && !content.starts_with([' ', '\t', '\r', '\n']) {
            return Err(err(
                format!("expected whitespace after the processing instruction target `{target}`"),
                target_end,
            ));
        }
        check_chars(content, target_end)?;
        Ok(Raw::Skip)
    }

    fn bang(&mut self, start: usize) -> Result<Raw<'a>, ReadError> {
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            let body = rest.get(4..).unwrap_or_default();
            let Some(close) = memmem::find(body, b"--") else {
                return Err(err("a comment is not closed", start));
            };
            if body.get(close + 2) != Some(&b'>') {
                return Err(err("`--` inside a comment", start + 4 + close));
            }
            check_chars(self.slice(start + 4, start + 4 + close)?, start + 4)?;
            self.pos = start + 4 + close + 3;
            return Ok(Raw::Skip);
        }
        if rest.starts_with(b"<![CDATA[") {
            let body = rest.get(9..).unwrap_or_default();
            let Some(close) = memmem::find(body, b"]]>") else {
                return Err(err("a CDATA section is not closed", start));
            };
            self.pos = start + 9 + close + 3;
            return self.slice(start + 9, start + 9 + close).map(Raw::CData);
        }
        if rest.starts_with(b"<!DOCTYPE") {
            return Ok(Raw::DocType);
        }
        Err(err("unknown markup after `<!`", start))
    }

    /// The end of the XML name at `at`.
    fn name(&self, at: usize) -> Result<usize, ReadError> {
        // ASCII names (nearly all) in one pass that also finds the colons, so that the
        // qualified-name rules need no second look at the name. The inner loop runs over the
        // bytes that only continue a name (letters, digits, `_`, `-`, `.`); a colon or a
        // non-ASCII byte stops it to be handled, anything else ends the name.
        let rest = self.text.as_bytes().get(at..).unwrap_or_default();
        let Some(&first) = rest.first() else {
            return Err(err("expected a name", at));
        };
        match NAME_CLASS[usize::from(first)] {
            NAME_START | NAME_COLON => {}
            NAME_NON_ASCII => return self.name_slow(at),
            _ => return Err(err("expected a name", at)),
        }
        let mut len = 0;
        let mut colons = 0usize;
        let mut colon = 0;
        loop {
            len += rest
                .get(len..)
                .unwrap_or_default()
                .iter()
                .position(|&b| !NAME_PLAIN[usize::from(b)])
                .unwrap_or(rest.len() - len);
            match rest.get(len) {
                Some(b':') => {
                    colons += 1;
                    colon = len;
                    len += 1;
                }
                Some(&b) if b >= 0x80 => return self.name_slow(at),
                _ => break,
            }
        }
        // Namespaces in XML: `local` or `prefix:local`, each part starting as a name does.
        let qualified = match colons {
            0 => true,
            1 => {
                colon > 0
                    && rest
                        .get(colon + 1)
                        .is_some_and(|&b| NAME_CLASS[usize::from(b)] == NAME_START)
            }
            _ => false,
        };
        if !qualified {
            let name = self.text.get(at..at + len).unwrap_or_default();
            return Err(err(format!("`{name}` is not a valid qualified name"), at));
        }
        Ok(at + len)
    }

    /// [`name`](Self::name) for a name with non-ASCII characters: the XML name character
    /// classes, one character at a time.
    #[cold]
    fn name_slow(&self, at: usize) -> Result<usize, ReadError> {
        let bytes = self.text.as_bytes();
        match bytes.get(at) {
            Some(&b) if b < 0x80 && is_name_start(b) => {}
            Some(&b) if b >= 0x80 => {
                let c = self.char_at(at);
                if !c.is_some_and(is_name_start_char) {
                    return Err(err(
                        format!(
                            "expected a name; U+{:04X} cannot start one",
                            c.map_or(0, u32::from)
                        ),
                        at,
                    ));
                }
            }
            _ => return Err(err("expected a name", at)),
        }
        // ASCII names (nearly all) in one pass; non-ASCII characters one at a time below.
        let mut end = at
            + bytes
                .get(at..)
                .unwrap_or_default()
                .iter()
                .position(|&b| !is_name_byte(b))
                .unwrap_or(bytes.len() - at);
        loop {
            match bytes.get(end) {
                Some(&b) if b < 0x80 => {
                    if !is_name_byte(b) {
                        break;
                    }
                    end += 1;
                }
                Some(_) => {
                    // Non-ASCII: the XML name character classes, one character at a time.
                    match self.char_at(end) {
                        Some(c) if is_name_char(c) => end += c.len_utf8(),
                        Some(c) if end == at => {
                            return Err(err(
                                format!("U+{:04X} cannot start a name", u32::from(c)),
                                end,
                            ));
                        }
                        Some(c) => {
                            return Err(err(
                                format!("U+{:04X} is not allowed in a name", u32::from(c)),
                                end,
                            ));
                        }
                        None => break,
                    }
                }
                None => break,
            }
        }
        // Namespaces in XML: a name is `local` or `prefix:local`, neither part empty (found
        // by fuzzing: `<:x/>` in an xs:anyType value was echoed into an unreadable reply).
        let name = self.text.get(at..end).unwrap_or_default();
        // Each part is an NCName, so the local part must start as a name does (found by the
        // differential fuzz target: `<a:1b/>`, `<a:-b/>`).
        if let Some((prefix, local)) = name.split_once(':')
            && (prefix.is_empty()
                || local.contains(':')
                || !local.chars().next().is_some_and(is_name_start_char))
        {
            return Err(err(format!("`{name}` is not a valid qualified name"), at));
        }
        Ok(end)
    }

    /// The character starting at byte `at` (a character boundary of the text).
    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    fn skip_whitespace(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let len = bytes
            .get(at..)
            .unwrap_or_default()
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(bytes.len().saturating_sub(at));
        at + len
    }
}

/// Where `?>` starts in `rest`. A `?` is rare in a processing instruction (an XML
/// declaration is a few dozen bytes with none but its end), so looking for it alone is
/// cheaper than setting up a two-byte substring search for every message.
fn find_pi_end(rest: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + memchr(b'?', rest.get(from..)?)?;
        if rest.get(at + 1) == Some(&b'>') {
            return Some(at);
        }
        from = at + 1;
    }
}

/// [`NAME_CLASS`]: a byte that ends a name (ASCII only).
const NAME_OTHER: u8 = 0;
/// [`NAME_CLASS`]: an ASCII byte that may start a name (letters and `_`, not `:`).
const NAME_START: u8 = 1;
/// [`NAME_CLASS`]: an ASCII byte that may continue a name only (digits, `-`, `.`).
const NAME_REST: u8 = 2;
/// [`NAME_CLASS`]: the colon of a qualified name.
const NAME_COLON: u8 = 3;
/// [`NAME_CLASS`]: a byte of a non-ASCII character (the slow path decides).
const NAME_NON_ASCII: u8 = 4;

/// How each byte takes part in a name, for the one-pass scan of ASCII names.
static NAME_CLASS: [u8; 256] = {
    let mut t = [NAME_OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            NAME_NON_ASCII
        } else if c.is_ascii_alphabetic() || c == b'_' {
            NAME_START
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            NAME_REST
        } else if c == b':' {
            NAME_COLON
        } else {
            NAME_OTHER
        };
        b += 1;
    }
    t
};

/// The ASCII bytes that may continue a name, colon excepted: the inner loop of
/// [`Scanner::name`].
static NAME_PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(NAME_CLASS[b], NAME_START | NAME_REST);
        b += 1;
    }
    t
};

/// Whether an ASCII byte may start a name.
fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':'
}

/// Whether an ASCII byte may continue a name (false for every non-ASCII byte).
#[inline]
fn is_name_byte(b: u8) -> bool {
    matches!(
        NAME_CLASS[usize::from(b)],
        NAME_START | NAME_REST | NAME_COLON
    )
}

/// XML 1.0 (fifth edition) `NameStartChar`.
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) `NameChar`.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Refuses characters XML forbids in markup that is not decoded (comments, processing
/// instructions): the same bytes [`decode`] looks at, in one pass.
fn check_chars(raw: &str, offset: usize) -> Result<(), ReadError> {
    if !raw
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF)
    {
        return Ok(());
    }
    for (i, c) in raw.char_indices() {
        if !is_xml_char(c) {
            return Err(ReadError::syntax(
                format!("the character U+{:04X} is not allowed in XML", u32::from(c)),
                offset + i,
            ));
        }
    }
    Ok(())
}

/// The attributes of a start tag: `(qualified name, raw value)` pairs. The scanner checked
/// their syntax, so this only splits.
#[derive(Debug, Clone)]
pub(crate) struct Attributes<'a> {
    rest: &'a str,
}

impl<'a> Attributes<'a> {
    pub(crate) fn new(raw: &'a str) -> Self {
        Attributes { rest: raw }
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    /// Byte by byte: every tag with attributes (an envelope's namespace declarations) comes
    /// through here, and the names and quotes are ASCII, so no character decoding is needed
    /// (a slice that would split a character is refused by `get`, ending the iteration).
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let bytes = rest.as_bytes();
        let start = bytes.iter().position(|&b| !is_xml_space(b))?;
        let eq = start + memchr(b'=', bytes.get(start..)?)?;
        let mut name_end = eq;
        while name_end > start && bytes.get(name_end - 1).is_some_and(|&b| is_xml_space(b)) {
            name_end -= 1;
        }
        let mut q = eq + 1;
        while bytes.get(q).is_some_and(|&b| is_xml_space(b)) {
            q += 1;
        }
        let quote = *bytes.get(q)?;
        let close = q + 1 + memchr(quote, bytes.get(q + 1..)?)?;
        self.rest = rest.get(close + 1..)?;
        Some((rest.get(start..name_end)?, rest.get(q + 1..close)?))
    }
}

/// Whether `b` is XML white space.
#[inline]
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Which bytes send raw text to the decoding pass, per [`Mode`]: a reference, a CR (line ends
/// to normalize), a byte that may start a character XML forbids (a C0 control, or the lead
/// byte of U+FFFE/U+FFFF); in text a `>` too (`]]>`), in attribute values tab and LF
/// (normalized to spaces). One table look-up per byte: every byte of text comes through here.
static DECODE_TEXT: [bool; 256] = decode_table(Mode::Text);
static DECODE_ATTRIBUTE: [bool; 256] = decode_table(Mode::Attribute);
static DECODE_CDATA: [bool; 256] = decode_table(Mode::CData);

/// [`DECODE_TEXT`] and `<`: where a run of plain text stops.
static TEXT_STOP: [bool; 256] = {
    let mut t = decode_table(Mode::Text);
    t[b'<' as usize] = true;
    t
};

const fn decode_table(mode: Mode) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    let attribute = matches!(mode, Mode::Attribute);
    t[b'\t' as usize] = attribute;
    t[b'\n' as usize] = attribute;
    t[b'&' as usize] = true;
    t[0xEF] = true;
    t[b'>' as usize] = matches!(mode, Mode::Text);
    t
}

/// Whether raw text needs the decoding pass (see [`DECODE_TEXT`]).
#[inline]
fn needs_decoding(raw: &str, mode: Mode) -> bool {
    let table = match mode {
        Mode::Text => &DECODE_TEXT,
        Mode::Attribute => &DECODE_ATTRIBUTE,
        Mode::CData => &DECODE_CDATA,
    };
    let mut rest = raw.as_bytes();
    // Attribute values are mostly namespace URIs, tens of bytes long: eight bytes at a time
    // up to the first word that may hold a byte to look at, the rest one by one.
    if mode == Mode::Attribute {
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            if may_need_decoding(u64::from_le_bytes(*word)) {
                break;
            }
            rest = tail;
        }
    }
    rest.iter().any(|&b| table[usize::from(b)])
}

/// Whether any byte of `word` may send an attribute value to the decoding pass (see
/// [`DECODE_ATTRIBUTE`]): a byte below 0x20, `&` or 0xEF. Never false when one is there (the
/// borrow of the subtraction can only add flags above a byte that raised one), so a word
/// for which it is false needs no look at its bytes.
#[inline]
fn may_need_decoding(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    (below(word, 0x20) | below(word ^ (ONES * 0x26), 1) | below(word ^ (ONES * 0xEF), 1)) != 0
}

/// Character data as the application sees it: references resolved (only the five
/// predefined entities exist: DTDs are refused), CR LF and lone CR read as LF, characters XML
/// forbids refused. `offset` is where `raw` starts, for errors.
pub(crate) fn decode_text(raw: &str, offset: usize) -> Result<Cow<'_, str>, ReadError> {
    decode(raw, offset, Mode::Text)
}

/// The content of a CDATA section (`offset`: where the content starts): line ends
/// normalized and characters checked like text, but `&` is itself (a CDATA section holds no
/// references) and `]]>` cannot occur (it ends the section).
pub(crate) fn decode_cdata(raw: &str, offset: usize) -> Result<Cow<'_, str>, ReadError> {
    decode(raw, offset, Mode::CData)
}

/// An attribute value as the application sees it: decoded like text, then whitespace
/// characters read as spaces (attribute-value normalization).
pub(crate) fn decode_attribute(raw: &str, offset: usize) -> Result<Cow<'_, str>, ReadError> {
    decode(raw, offset, Mode::Attribute)
}

/// What is being decoded: the rules differ in references, whitespace and `]]>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Attribute,
    CData,
}

fn decode(raw: &str, offset: usize, mode: Mode) -> Result<Cow<'_, str>, ReadError> {
    let attribute = mode == Mode::Attribute;
    // In text, a `>` is looked at too: `]]>` is not allowed in character data (XML 1.0,
    // production 14), and this pass is the one every byte of text goes through.
    if !needs_decoding(raw, mode) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '&' if mode == Mode::CData => out.push('&'),
            '&' => {
                let tail = raw.get(i + 1..).unwrap_or("");
                // No cap on the length: a character reference may carry any number of leading
                // zeros, and each reference is scanned once, so the pass stays linear.
                let end = tail.bytes().position(|b| b == b';').ok_or_else(|| {
                    ReadError::syntax("malformed XML: `&` without a reference", offset + i)
                })?;
                let name = tail.get(..end).unwrap_or("");
                out.push(resolve_reference(name, offset + i)?);
                for _ in 0..=end {
                    chars.next();
                }
            }
            '\r' => {
                if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                }
                out.push(if attribute { ' ' } else { '\n' });
            }
            '\t' | '\n' if attribute => out.push(' '),
            '>' if mode == Mode::Text && i >= 2 && raw.as_bytes().get(i - 2..i) == Some(b"]]") => {
                return Err(ReadError::syntax(
                    "malformed XML: `]]>` is not allowed in character data",
                    offset + i - 2,
                ));
            }
            c if is_xml_char(c) => out.push(c),
            c => {
                return Err(ReadError::syntax(
                    format!("the character U+{:04X} is not allowed in XML", u32::from(c)),
                    offset + i,
                ));
            }
        }
    }
    Ok(Cow::Owned(out))
}

fn resolve_reference(name: &str, offset: usize) -> Result<char, ReadError> {
    // A reference has no length limit, so an error quotes at most its first 32 characters.
    let shown = match name.char_indices().nth(32) {
        Some((cut, _)) => Cow::Owned(format!("{}…", name.get(..cut).unwrap_or(""))),
        None => Cow::Borrowed(name),
    };
    let number = match name.strip_prefix('#') {
        None => {
            return match name {
                "lt" => Ok('<'),
                "gt" => Ok('>'),
                "amp" => Ok('&'),
                "apos" => Ok('\''),
                "quot" => Ok('"'),
                _ => Err(ReadError::syntax(
                    format!("undefined entity &{shown};"),
                    offset,
                )),
            };
        }
        Some(n) => n,
    };
    let code = match number.strip_prefix('x') {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u32::from_str_radix(hex, 16).ok()
        }
        None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            number.parse().ok()
        }
        _ => None,
    };
    match code.and_then(char::from_u32) {
        Some(c) if is_xml_char(c) => Ok(c),
        Some(c) => Err(ReadError::syntax(
            format!(
                "the character reference &{shown}; (U+{:04X}) is not allowed in XML",
                u32::from(c)
            ),
            offset,
        )),
        None => Err(ReadError::syntax(
            format!("invalid character reference &{shown};"),
            offset,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Result<Vec<String>, ReadError> {
        let mut s = Scanner::new(text, 0, 64);
        let mut out = Vec::new();
        loop {
            let piece = match s.next()? {
                Raw::Eof => return Ok(out),
                Raw::Start { name, attrs, empty } => format!("<{name}|{attrs}|{empty}"),
                Raw::End { matched } => format!("/{matched}"),
                Raw::Text(t) => format!("T{t}"),
                Raw::CData(t) => format!("C{t}"),
                Raw::Decl(t) => format!("D{t}"),
                Raw::Skip => "S".to_owned(),
                Raw::DocType => "DT".to_owned(),
            };
            out.push(piece);
        }
    }

    #[test]
    fn splits_markup() {
        let got = pieces(
            "<?xml version='1.0'?><a x='1' y = \"2>\"><!-- c --><b/>t&amp;<![CDATA[<]]></a >",
        );
        let expected = [
            "D version='1.0'",
            "<a| x='1' y = \"2>\"|false",
            "S",
            "<b||true",
            "Tt&amp;",
            "C<",
            "/true",
        ];
        assert_eq!(got.ok(), Some(expected.map(String::from).to_vec()));
    }

    #[test]
    fn refuses_malformed_markup() {
        for bad in [
            "<a></b>",
            "<a b='1' b='2'/>",
            "<a b=1/>",
            "<a b='<'/>",
            "<a b='1'c='2'/>",
            "<a",
            "<1a/>",
            "<!-- x",
            "<!-- a -- b -->",
            "<![CDATA[x",
            "<?pi x",
            "<!ELEMENT a>",
            "</>",
            "<a b='&x;'/>",
            "<a b='&#1;'/>",
            "<a b='&#xFFFE;'/>",
            "<a b='&amp'/>",
            "<?XML version='1.0'?>",
            "<?Xml x?>",
            "<?a:b x?>",
            "<?pi\u{1}?>",
            "<!-- \u{1} -->",
            "<!-- \u{FFFF} -->",
            "<a\u{D7}/>",
            "<\u{300}a/>",
            "<a b\u{F7}='1'/>",
            "<a:1b/>",
            "<a:-b/>",
            "<a:\u{B7}b/>",
            "<a p:.b='1'/>",
        ] {
            assert!(pieces(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn accepts_what_xml_allows() {
        for good in [
            "<a b='&#x20AC;&lt;&quot;'/>",
            "x ]] > y",
            "<?pi?>",
            "<?pi data?>",
            "<?pi a?b ? >?>",
            "<?xml-stylesheet x?>",
            "<!-- ]]> is fine here -->",
            "<\u{E9}l\u{E8}ve\u{B7}x/>",
            "<a\u{10000}/>",
        ] {
            assert!(pieces(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn counts_attributes_as_it_reads_them() {
        let many: String = (0..100).map(|i| format!(" a{i}='1'")).collect();
        let doc = format!("<e{many}/>");
        let mut s = Scanner::new(&doc, 0, 10);
        let e = s.next().err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.message.contains("limit of 10")),
            "{e:?}"
        );
        // The refusal comes at the eleventh attribute, not after reading all of them.
        assert!(e.is_some_and(|e| e.offset < 90));
        let dup: String = (0..40).map(|i| format!(" a{i}='1'")).collect();
        let doc = format!("<e{dup} a3='2'/>");
        let mut s = Scanner::new(&doc, 0, 64);
        assert!(
            s.next()
                .is_err_and(|e| e.message.contains("`a3` appears twice"))
        );
    }

    #[test]
    fn outer_end_tags_are_taken_only_as_written() {
        let text = "<b:x/> \n</e:Body></e:Envelope >";
        let mut s = Scanner::new(text, 0, 64);
        // An element of its own is open: its end tag is the scanner's to match.
        assert!(matches!(s.next(), Ok(Raw::Start { empty: true, .. })));
        assert_eq!(s.outer_end_tag("e:Body"), Some(8));
        assert_eq!(s.position(), 17);
        // Another name, or white space inside the tag: left for the general path.
        assert_eq!(s.outer_end_tag("e:Body"), None);
        assert_eq!(s.outer_end_tag("e:Envelope"), None);
        assert_eq!(s.position(), 17);
        let mut s = Scanner::new("<a></e:Body>", 0, 64);
        assert!(s.next().is_ok());
        assert_eq!(s.outer_end_tag("e:Body"), None);
    }

    #[test]
    fn words_with_a_byte_to_decode_are_found() {
        // Every byte value at every position of an otherwise plain word: the word test says
        // exactly what the per-byte table says.
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = *b"urn:abcd";
                if let Some(slot) = word.get_mut(at) {
                    *slot = b;
                }
                assert_eq!(
                    may_need_decoding(u64::from_le_bytes(word)),
                    DECODE_ATTRIBUTE[usize::from(b)],
                    "{b:#x} at {at}"
                );
            }
        }
        let long = "http://example.com/a-long/namespace/uri&amp;x";
        assert_eq!(
            decode_attribute(long, 0).ok().as_deref(),
            Some("http://example.com/a-long/namespace/uri&x")
        );
        let plain = "http://schemas.xmlsoap.org/soap/envelope/";
        assert!(matches!(decode_attribute(plain, 0), Ok(Cow::Borrowed(_))));
        assert!(decode_attribute("http://example.com/\u{1}/", 0).is_err());
    }

    #[test]
    fn attributes_split() {
        let attrs: Vec<_> = Attributes::new(" a='1' b = \"x'y\"\n c=''").collect();
        assert_eq!(attrs, [("a", "1"), ("b", "x'y"), ("c", "")]);
    }

    #[test]
    fn decodes_cdata_and_long_references() {
        assert_eq!(
            decode_cdata("a&b&amp;\r\n", 0).ok().as_deref(),
            Some("a&b&amp;\n")
        );
        let e = decode_cdata("x&&\u{1}", 10).err();
        assert_eq!(e.map(|e| e.offset), Some(13));
        // Any number of leading zeros.
        let zeros = format!("&#{}65;", "0".repeat(70));
        assert_eq!(decode_text(&zeros, 0).ok().as_deref(), Some("A"));
        // A long unknown name is quoted cut short.
        let long = format!("&{};", "n".repeat(1000));
        assert!(decode_text(&long, 0).is_err_and(|e| e.message.len() < 100));
    }

    #[test]
    fn decodes_text() {
        // `]]>` is refused in text, allowed in attribute values and when written with a
        // reference.
        assert!(decode_attribute("x ]]> y", 0).is_ok());
        assert_eq!(
            decode_text("]]&gt; ]&#93;>", 0).ok().as_deref(),
            Some("]]> ]]>")
        );
        assert_eq!(decode_text("plain", 0).ok(), Some(Cow::Borrowed("plain")));
        let decoded = decode_text("a&lt;&#x20AC;&#233;\r\nb\rc", 0).ok();
        assert_eq!(decoded.as_deref(), Some("a<€é\nb\nc"));
        assert_eq!(
            decode_attribute("a\tb\r\nc&#10;", 0).ok().as_deref(),
            Some("a b c\n")
        );
        for bad in [
            "&nbsp;", "&#0;", "&#xD800;", "&", "&#;", "\u{1}", "\u{FFFF}", "x ]]> y",
        ] {
            assert!(decode_text(bad, 0).is_err(), "{bad:?}");
        }
    }
}
