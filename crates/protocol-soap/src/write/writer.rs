//! [`XmlWriter`]: element and namespace bookkeeping over a byte buffer.
//!
//! Writing straight into a `Vec<u8>` (rather than through an event writer) keeps the
//! per-element cost to a few `extend_from_slice` calls, which matters for arrays of small
//! values. Namespaces get a prefix per document; a prefix is declared on the first element
//! that needs it and stays in scope until that element ends. No default namespace is ever
//! declared, so unprefixed names (SOAP 1.1 fault children, raw XML) are in no namespace.

use std::borrow::Cow;
use std::collections::HashMap;

use rpclib_core::model::XSD_NS;

use crate::read::cursor::XSI_NS;
use crate::spares::{self, spare_stack};
use rpclib_core::xml_escape;

/// A namespace and its prefix in this document.
#[derive(Debug)]
struct Binding<'n> {
    /// Borrowed for the namespaces of descriptors and configuration; owned for those of
    /// values (a QName's namespace lives no longer than the call that writes it).
    ns: Cow<'n, str>,
    prefix: Cow<'static, str>,
    /// How many open elements declare it (0: not in scope).
    declared: usize,
}

/// An open element: what is needed to write its end tag.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Open {
    /// Index of the namespace's binding; `None` for names in no namespace.
    binding: Option<usize>,
}

/// A position to roll back to (see [`XmlWriter::rollback`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    len: usize,
    depth: usize,
    in_scope: usize,
    tag_open: bool,
}

/// Writes elements into a buffer, declaring namespaces where first needed.
#[derive(Debug)]
pub(crate) struct XmlWriter<'n> {
    pub(crate) buf: Vec<u8>,
    bindings: Vec<Binding<'n>>,
    /// Declared bindings in force: (binding index, depth of the declaring element).
    in_scope: Vec<(usize, usize)>,
    depth: usize,
    generated: usize,
    /// Other pointers to the text of a bound namespace (the same URI held by a descriptor and
    /// by the application), so that lookups stay pointer comparisons.
    aliases: Vec<(*const u8, usize, usize)>,
    /// The last start tag is not closed yet: attributes may follow, and an element ended
    /// right away is written `<x/>`.
    tag_open: bool,
    /// The namespace text last found and its binding: nearly every element of a message is
    /// in the namespace of the one before it. The text lives for `'n`, as long as the writer,
    /// so its address and length name it; bindings are never removed, so the entry stays true.
    last_found: Option<(*const u8, usize, usize)>,
    /// Start tags of simple elements written so far, which the next element of the same name
    /// copies from the buffer rather than assembles from its pieces.
    tags: Vec<WrittenTag>,
    /// Bindings by namespace text, built once a document has many (values' namespaces, such
    /// as thousands of wildcard attributes', would otherwise each be a linear search).
    by_text: Option<HashMap<String, usize>>,
}

/// The lists every writer uses, kept together per thread ([`crate::spares`]): a message
/// would otherwise allocate each of them anew, and taking and giving them back one group at
/// a time costs one look-up of the thread's spares instead of one per list.
#[derive(Debug, Default)]
struct Lists {
    /// Kept without their borrow of a catalogue.
    bindings: Vec<Binding<'static>>,
    in_scope: Vec<(usize, usize)>,
    tags: Vec<WrittenTag>,
}

thread_local! {
    /// Spare groups of a writer's lists.
    static SPARE_LISTS: std::cell::RefCell<Vec<Lists>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

spare_stack!(
    /// Spare lists of namespace aliases (taken only by the writers that need one).
    SPARE_ALIASES,
    (*const u8, usize, usize)
);

impl Drop for XmlWriter<'_> {
    fn drop(&mut self) {
        let mut lists = Lists {
            bindings: spares::recast(std::mem::take(&mut self.bindings)),
            in_scope: std::mem::take(&mut self.in_scope),
            tags: std::mem::take(&mut self.tags),
        };
        spares::empty_for_keeping(&mut lists.bindings);
        spares::empty_for_keeping(&mut lists.in_scope);
        spares::empty_for_keeping(&mut lists.tags);
        spares::give_group(&SPARE_LISTS, lists);
        if self.aliases.capacity() > 0 {
            spares::give(&SPARE_ALIASES, std::mem::take(&mut self.aliases));
        }
    }
}

/// Bindings beyond which [`XmlWriter::value_prefix`] looks namespaces up by hashing.
const HASHED_BINDINGS: usize = 32;

/// Where a simple element's `<p:local` stands in the buffer.
#[derive(Debug, Clone, Copy)]
struct WrittenTag {
    binding: usize,
    /// A `'static` name: its address and length name it.
    local: &'static str,
    at: usize,
    len: usize,
}

/// Names [`XmlWriter::tags`] remembers: the fields of a type or two (a linear search).
const WRITTEN_TAGS: usize = 12;

impl<'n> XmlWriter<'n> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        XmlWriter::with_buffer(Vec::new(), capacity)
    }

    /// A writer into `buf` (emptied first), with room for `capacity` bytes: a buffer that a
    /// reused context kept from its previous message (`MethodContext::reusable_out_buffer`)
    /// allocates nothing when it is large enough.
    pub(crate) fn with_buffer(mut buf: Vec<u8>, capacity: usize) -> Self {
        buf.clear();
        buf.reserve(capacity);
        let lists = spares::take_group(&SPARE_LISTS).unwrap_or_default();
        XmlWriter {
            buf,
            bindings: lists.bindings,
            in_scope: lists.in_scope,
            depth: 0,
            generated: 0,
            // Taken when first needed: most documents name each namespace by one text.
            aliases: Vec::new(),
            tag_open: false,
            last_found: None,
            tags: lists.tags,
            by_text: None,
        }
    }

    /// The document written.
    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    /// Chooses the prefix of `ns` for this document (before it is first used).
    pub(crate) fn assign_prefix(&mut self, ns: &'n str, prefix: &'static str) {
        if self.find(ns).is_none() {
            self.bindings.push(Binding {
                ns: Cow::Borrowed(ns),
                prefix: Cow::Borrowed(prefix),
                declared: 0,
            });
        }
    }

    #[inline(always)]
    fn find(&mut self, ns: &'n str) -> Option<usize> {
        if let Some((ptr, len, i)) = self.last_found
            && ptr == ns.as_ptr()
            && len == ns.len()
        {
            return Some(i);
        }
        let i = self.find_binding(ns)?;
        self.last_found = Some((ns.as_ptr(), ns.len(), i));
        Some(i)
    }

    #[inline(never)]
    fn find_binding(&mut self, ns: &str) -> Option<usize> {
        // Most lookups are for the same few namespaces, often the very same `&'static str`.
        if let Some(i) = self
            .bindings
            .iter()
            .position(|b| std::ptr::eq(b.ns.as_ref(), ns))
        {
            return Some(i);
        }
        let key = (ns.as_ptr(), ns.len());
        if let Some(&(_, _, i)) = self.aliases.iter().find(|a| (a.0, a.1) == key) {
            return Some(i);
        }
        let i = self.bindings.iter().position(|b| b.ns == ns)?;
        if self.aliases.len() < 8 {
            if self.aliases.capacity() == 0 {
                self.aliases = spares::take(&SPARE_ALIASES);
            }
            self.aliases.push((key.0, key.1, i));
        }
        Some(i)
    }

    fn binding(&mut self, ns: &'n str) -> usize {
        if let Some(i) = self.find(ns) {
            return i;
        }
        self.new_binding(Cow::Borrowed(ns))
    }

    /// A binding for a namespace not bound yet, with the next generated prefix (`xsi` and
    /// `xs` for their usual namespaces).
    fn new_binding(&mut self, ns: Cow<'n, str>) -> usize {
        let prefix = match ns.as_ref() {
            XSI_NS => Cow::Borrowed("xsi"),
            XSD_NS => Cow::Borrowed("xs"),
            _ => {
                let p = format!("s{}", self.generated);
                self.generated += 1;
                Cow::Owned(p)
            }
        };
        if let Some(map) = &mut self.by_text {
            map.entry(ns.as_ref().to_owned())
                .or_insert(self.bindings.len());
        }
        self.bindings.push(Binding {
            ns,
            prefix,
            declared: 0,
        });
        self.bindings.len() - 1
    }

    fn prefix(&self, binding: usize) -> &str {
        self.bindings.get(binding).map_or("", |b| &b.prefix)
    }

    /// Declares the binding on the element being opened unless it is in scope already.
    fn ensure_in_scope(&mut self, binding: usize) {
        let Some(b) = self.bindings.get_mut(binding) else {
            return;
        };
        if b.declared > 0 {
            return;
        }
        b.declared += 1;
        let buf = &mut self.buf;
        buf.extend_from_slice(b" xmlns:");
        buf.extend_from_slice(b.prefix.as_bytes());
        buf.extend_from_slice(b"=\"");
        // Namespace names come from descriptors and configuration; escape them anyway.
        if xml_escape::escape_attribute(buf, &b.ns).is_err() {
            buf.extend_from_slice(b"urn:invalid-namespace");
        }
        buf.push(b'"');
        self.in_scope.push((binding, self.depth));
    }

    /// Writes `<p:local` for `{ns}local` (`ns` empty: no namespace), leaving the tag open for
    /// attributes.
    pub(crate) fn open(&mut self, ns: &'n str, local: &str) -> Open {
        self.close_tag();
        self.depth += 1;
        self.tag_open = true;
        self.buf.push(b'<');
        if ns.is_empty() {
            self.buf.extend_from_slice(local.as_bytes());
            return Open { binding: None };
        }
        let binding = self.binding(ns);
        self.write_prefix(binding);
        self.buf.push(b':');
        self.buf.extend_from_slice(local.as_bytes());
        self.ensure_in_scope(binding);
        Open {
            binding: Some(binding),
        }
    }

    /// Appends the prefix of `binding` (split borrows: the buffer and the bindings are
    /// distinct fields).
    fn write_prefix(&mut self, binding: usize) {
        if let Some(b) = self.bindings.get(binding) {
            self.buf.extend_from_slice(b.prefix.as_bytes());
        }
    }

    /// Declares `ns` on the element being opened (so that its descendants share it).
    pub(crate) fn declare(&mut self, ns: &'n str) {
        let binding = self.binding(ns);
        self.ensure_in_scope(binding);
    }

    /// Writes ` p:local="value"` on the element being opened.
    pub(crate) fn attribute(&mut self, ns: &'n str, local: &str, value: &str) -> Result<(), char> {
        let binding = self.binding(ns);
        self.ensure_in_scope(binding);
        self.buf.push(b' ');
        self.write_prefix(binding);
        self.buf.push(b':');
        self.buf.extend_from_slice(local.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        xml_escape::escape_attribute(&mut self.buf, value)?;
        self.buf.push(b'"');
        Ok(())
    }

    /// Writes ` name="value"` (no namespace) on the element being opened.
    pub(crate) fn plain_attribute(&mut self, name: &str, value: &str) -> Result<(), char> {
        self.buf.push(b' ');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        xml_escape::escape_attribute(&mut self.buf, value)?;
        self.buf.push(b'"');
        Ok(())
    }

    /// Whether the last start tag is still open (attributes may be added to it).
    pub(crate) fn in_start_tag(&self) -> bool {
        self.tag_open
    }

    /// Closes a start tag still open: content follows.
    fn close_tag(&mut self) {
        if self.tag_open {
            self.buf.push(b'>');
            self.tag_open = false;
        }
    }

    /// Writes the end tag of `open`, named `local` (`<x/>` if it has no content).
    pub(crate) fn end(&mut self, open: Open, local: &str) {
        if self.tag_open {
            self.buf.extend_from_slice(b"/>");
            self.tag_open = false;
        } else {
            self.buf.extend_from_slice(b"</");
            if let Some(binding) = open.binding {
                self.write_prefix(binding);
                self.buf.push(b':');
            }
            self.buf.extend_from_slice(local.as_bytes());
            self.buf.push(b'>');
        }
        self.leave();
    }

    fn leave(&mut self) {
        while let Some(&(b, d)) = self.in_scope.last() {
            if d != self.depth {
                break;
            }
            self.in_scope.pop();
            if let Some(binding) = self.bindings.get_mut(b) {
                binding.declared = binding.declared.saturating_sub(1);
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    /// Writes `<p:local>text</p:local>` (`<p:local/>` for empty text) in one go: the common
    /// case of a simple value whose namespace is already in scope.
    pub(crate) fn simple(&mut self, ns: &'n str, local: &str, text: &str) -> Result<(), char> {
        let binding = match self.find(ns) {
            Some(b) if !ns.is_empty() && self.bindings.get(b).is_some_and(|b| b.declared > 0) => b,
            _ => {
                let open = self.open(ns, local);
                if !text.is_empty() {
                    self.text(text)?;
                }
                self.end(open, local);
                return Ok(());
            }
        };
        self.close_tag();
        self.buf.push(b'<');
        self.write_prefix(binding);
        self.buf.push(b':');
        self.buf.extend_from_slice(local.as_bytes());
        if text.is_empty() {
            self.buf.extend_from_slice(b"/>");
            return Ok(());
        }
        self.buf.push(b'>');
        xml_escape::escape_text(&mut self.buf, text)?;
        self.buf.extend_from_slice(b"</");
        self.write_prefix(binding);
        self.buf.push(b':');
        self.buf.extend_from_slice(local.as_bytes());
        self.buf.push(b'>');
        Ok(())
    }

    /// [`simple`](Self::simple) for an element named by a `'static` name (a descriptor's):
    /// the tags of a name written before are copied from where they were first written.
    pub(crate) fn simple_static(
        &mut self,
        ns: &'n str,
        local: &'static str,
        text: &str,
    ) -> Result<(), char> {
        let binding = match self.find(ns) {
            Some(b) if !ns.is_empty() && self.bindings.get(b).is_some_and(|b| b.declared > 0) => b,
            _ => return self.simple(ns, local, text),
        };
        self.close_tag();
        let written = self
            .tags
            .iter()
            .find(|t| t.binding == binding && std::ptr::eq(t.local, local))
            .map(|t| (t.at, t.len))
            .filter(|&(at, len)| at + len <= self.buf.len());
        let (at, len) = match written {
            Some((at, len)) => {
                self.buf.extend_from_within(at..at + len);
                (at, len)
            }
            None => {
                let at = self.buf.len();
                self.buf.push(b'<');
                self.write_prefix(binding);
                self.buf.push(b':');
                self.buf.extend_from_slice(local.as_bytes());
                let tag = WrittenTag {
                    binding,
                    local,
                    at,
                    len: self.buf.len() - at,
                };
                if self.tags.len() < WRITTEN_TAGS {
                    self.tags.push(tag);
                } else if let Some(slot) = self.tags.get_mut(at % WRITTEN_TAGS) {
                    *slot = tag;
                }
                (tag.at, tag.len)
            }
        };
        if text.is_empty() {
            self.buf.extend_from_slice(b"/>");
            return Ok(());
        }
        self.buf.push(b'>');
        xml_escape::escape_text(&mut self.buf, text)?;
        self.buf.extend_from_slice(b"</");
        // The name without its `<`.
        self.buf.extend_from_within(at + 1..at + len);
        self.buf.push(b'>');
        Ok(())
    }

    /// Appends escaped text; fails on a character XML cannot carry.
    pub(crate) fn text(&mut self, text: &str) -> Result<(), char> {
        self.close_tag();
        xml_escape::escape_text(&mut self.buf, text)
    }

    /// Appends escaped text, replacing characters XML cannot carry.
    pub(crate) fn text_lossy(&mut self, text: &str) {
        self.close_tag();
        xml_escape::escape_text_lossy(&mut self.buf, text);
    }

    /// Appends raw, already well-formed XML.
    pub(crate) fn raw(&mut self, xml: &str) {
        self.close_tag();
        self.buf.extend_from_slice(xml.as_bytes());
    }

    /// The prefix `ns` is written with, declaring it on the element being opened if needed
    /// (for QName values such as fault codes).
    pub(crate) fn qname_prefix(&mut self, ns: &'n str) -> String {
        let binding = self.binding(ns);
        self.ensure_in_scope(binding);
        self.prefix(binding).to_owned()
    }

    /// As [`qname_prefix`](Self::qname_prefix) for a namespace that may not outlive the
    /// call (a [`QName`](rpclib_core::model::QName) value's): looked up by content only,
    /// never remembered by address, and copied when it is new. Prefixes are generated in the
    /// order namespaces first appear, so the same value always writes the same document.
    pub(crate) fn value_prefix(&mut self, ns: &str) -> &str {
        if self.by_text.is_none() && self.bindings.len() >= HASHED_BINDINGS {
            // The first binding of a namespace wins, as the linear search finds it.
            let mut map = HashMap::with_capacity(self.bindings.len() * 2);
            for (i, b) in self.bindings.iter().enumerate() {
                map.entry(b.ns.as_ref().to_owned()).or_insert(i);
            }
            self.by_text = Some(map);
        }
        let found = match &self.by_text {
            Some(map) => map.get(ns).copied(),
            None => self.bindings.iter().position(|b| b.ns == ns),
        };
        let binding = match found {
            Some(i) => i,
            None => self.new_binding(Cow::Owned(ns.to_owned())),
        };
        self.ensure_in_scope(binding);
        self.prefix(binding)
    }

    pub(crate) fn mark(&self) -> Mark {
        Mark {
            len: self.buf.len(),
            depth: self.depth,
            in_scope: self.in_scope.len(),
            tag_open: self.tag_open,
        }
    }

    /// Forgets everything written since `mark`.
    pub(crate) fn rollback(&mut self, mark: Mark) {
        self.buf.truncate(mark.len);
        self.tags.retain(|t| t.at + t.len <= mark.len);
        self.depth = mark.depth;
        for (b, _) in self
            .in_scope
            .drain(mark.in_scope.min(self.in_scope.len())..)
        {
            if let Some(binding) = self.bindings.get_mut(b) {
                binding.declared = binding.declared.saturating_sub(1);
            }
        }
        self.tag_open = mark.tag_open;
    }
}

impl XmlWriter<'_> {
    /// Appends the XML declaration (before any element).
    pub(crate) fn raw_declaration(&mut self, declaration: &[u8]) {
        self.buf.extend_from_slice(declaration);
    }
}

/// The start of a document: its XML declaration, and its root element's start tag (left
/// open) with the root's namespace and one other declared on it, each with a prefix chosen
/// for it. Every message of an endpoint starts the same way (a SOAP envelope in the
/// application's namespace), so the bytes written for the last one are kept per thread and
/// copied (see [`XmlWriter::start_document`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocumentStart<'n> {
    pub(crate) declaration: &'static [u8],
    pub(crate) root_ns: &'static str,
    pub(crate) root_prefix: &'static str,
    pub(crate) root_local: &'static str,
    pub(crate) other_ns: &'n str,
    pub(crate) other_prefix: &'static str,
}

/// A [`DocumentStart`] and the bytes it wrote, for the next document that starts the same way.
#[derive(Debug)]
struct StartWritten {
    declaration: &'static [u8],
    root_ns: &'static str,
    root_prefix: &'static str,
    root_local: &'static str,
    other_ns: String,
    other_prefix: &'static str,
    bytes: Vec<u8>,
}

impl StartWritten {
    fn matches(&self, start: &DocumentStart<'_>) -> bool {
        fn same(a: &str, b: &str) -> bool {
            std::ptr::eq(a, b) || a == b
        }
        (std::ptr::eq(self.declaration, start.declaration) || self.declaration == start.declaration)
            && same(self.root_ns, start.root_ns)
            && same(self.root_prefix, start.root_prefix)
            && same(self.root_local, start.root_local)
            && self.other_ns == start.other_ns
            && same(self.other_prefix, start.other_prefix)
    }
}

thread_local! {
    /// The last document start this thread wrote (one: an endpoint writes one kind).
    static LAST_START: std::cell::RefCell<Option<StartWritten>> =
        const { std::cell::RefCell::new(None) };
}

impl<'n> XmlWriter<'n> {
    /// Writes `start` into a new writer: the declaration, `<p:root xmlns:p="…"
    /// xmlns:q="…"`, the tag left open; returns the root element to end. The bytes are
    /// copied from the last document this thread started the same way when there is one
    /// (the namespaces' escaping and the bindings' look-ups done once, not per message),
    /// with the writer's bookkeeping set as writing them would have set it.
    pub(crate) fn start_document(&mut self, start: DocumentStart<'n>) -> Open {
        let fresh = self.buf.is_empty() && self.bindings.is_empty() && self.depth == 0;
        // The same namespace twice would share one binding: written the long way.
        let distinct = start.root_ns != start.other_ns && !start.root_ns.is_empty();
        if fresh && distinct {
            let copied = LAST_START
                .try_with(|last| {
                    let last = last.try_borrow().ok()?;
                    let last = last.as_ref().filter(|l| l.matches(&start))?;
                    self.buf.extend_from_slice(&last.bytes);
                    Some(())
                })
                .ok()
                .flatten()
                .is_some();
            if copied {
                return self.started(start);
            }
        }
        let open = self.write_start(start);
        if fresh && distinct {
            let written = StartWritten {
                declaration: start.declaration,
                root_ns: start.root_ns,
                root_prefix: start.root_prefix,
                root_local: start.root_local,
                other_ns: start.other_ns.to_owned(),
                other_prefix: start.other_prefix,
                bytes: self.buf.clone(),
            };
            let _ = LAST_START.try_with(|last| {
                if let Ok(mut last) = last.try_borrow_mut() {
                    *last = Some(written);
                }
            });
        }
        open
    }

    /// Writes `start` piece by piece.
    fn write_start(&mut self, start: DocumentStart<'n>) -> Open {
        self.raw_declaration(start.declaration);
        self.assign_prefix(start.root_ns, start.root_prefix);
        self.assign_prefix(start.other_ns, start.other_prefix);
        let root = self.open(start.root_ns, start.root_local);
        self.declare(start.other_ns);
        root
    }

    /// The bookkeeping [`write_start`](Self::write_start) leaves on a new writer, for two
    /// distinct namespaces, without writing: the two bindings declared on the root (depth 1,
    /// its tag open), the other namespace the one last looked up.
    fn started(&mut self, start: DocumentStart<'n>) -> Open {
        self.bindings.push(Binding {
            ns: Cow::Borrowed(start.root_ns),
            prefix: Cow::Borrowed(start.root_prefix),
            declared: 1,
        });
        self.bindings.push(Binding {
            ns: Cow::Borrowed(start.other_ns),
            prefix: Cow::Borrowed(start.other_prefix),
            declared: 1,
        });
        self.depth = 1;
        self.in_scope.push((0, 1));
        self.in_scope.push((1, 1));
        self.tag_open = true;
        self.last_found = Some((start.other_ns.as_ptr(), start.other_ns.len(), 1));
        Open { binding: Some(0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document started from the copy is the one written piece by piece, bytes and
    /// bookkeeping alike, and so is what is written after it.
    #[test]
    fn a_copied_start_is_the_written_one() {
        let other = String::from("urn:other&\"x");
        let start = DocumentStart {
            declaration: b"<?xml version=\"1.0\"?>\n",
            root_ns: "urn:root",
            root_prefix: "r",
            root_local: "Root",
            other_ns: &other,
            other_prefix: "o",
        };
        fn finish<'n>(w: &mut XmlWriter<'n>, root: Open, other: &'n str) {
            let child = w.open(other, "child");
            w.end(child, "child");
            w.end(root, "Root");
        }
        let mut by_hand = XmlWriter::with_capacity(0);
        let root = by_hand.write_start(start);
        let state = format!("{by_hand:?}");
        finish(&mut by_hand, root, &other);
        for _ in 0..2 {
            // The first writes and keeps the bytes, the second copies them.
            let mut w = XmlWriter::with_capacity(0);
            let root = w.start_document(start);
            assert_eq!(format!("{w:?}"), state);
            finish(&mut w, root, &other);
            assert_eq!(w.buf, by_hand.buf);
        }
        let expected = "<?xml version=\"1.0\"?>\n<r:Root xmlns:r=\"urn:root\" \
                        xmlns:o=\"urn:other&amp;&quot;x\"><o:child/></r:Root>";
        assert_eq!(String::from_utf8_lossy(&by_hand.buf), expected);
        // Another start is written, not copied.
        let mut w = XmlWriter::with_capacity(0);
        let root = w.start_document(DocumentStart {
            root_local: "Other",
            ..start
        });
        w.end(root, "Other");
        assert!(
            String::from_utf8_lossy(&w.buf)
                .ends_with("<r:Other xmlns:r=\"urn:root\" xmlns:o=\"urn:other&amp;&quot;x\"/>")
        );
    }
}
