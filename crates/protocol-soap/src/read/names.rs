//! [`Namespaces`]: the namespace declarations in force while reading.
//!
//! Lookups must not grow with the number of declarations in scope: a document may declare
//! thousands of prefixes (64 per element at 128 levels with the default limits), and every
//! element and prefixed attribute resolves one. Each declaration links to the one it shadows,
//! and once more than a handful are in scope a hash index finds the innermost declaration of
//! a prefix in constant time; with few (the usual SOAP message has three to five) a short
//! backwards scan is cheaper than hashing.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

// Randomly seeded per process: prefixes come from the input, and a predictable hash would let
// a document collide them all into one bucket.
use foldhash::quality::RandomState;

use crate::spares::{self, spare_stack};

/// The namespace bound to the `xml` prefix by definition.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations themselves; it can be bound to no prefix.
pub(crate) const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Declarations in scope beyond which lookups go through the hash index.
const INDEX_FROM: usize = 8;

/// A declaration's namespace: a span of the document, or decoded text when the declaration
/// held references.
#[derive(Debug, Clone)]
enum Uri {
    Span(usize, usize),
    Owned(Box<str>),
}

#[derive(Debug, Clone)]
struct Declaration {
    /// Span of the prefix in the document (empty for the default namespace).
    prefix: (usize, usize),
    uri: Uri,
    /// Depth of the declaring element.
    depth: usize,
    /// The prefix's hash, once the index exists.
    hash: u64,
    /// With the index: the previous declaration whose prefix has the same hash (almost always
    /// the same prefix; the chain is walked comparing prefixes, so a collision costs a step,
    /// never a wrong answer).
    shadows: Option<usize>,
}

/// Hashes a `u64` that is already a seeded hash of a prefix: as is.
#[derive(Debug, Clone, Copy, Default)]
struct PrehashedState;

#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in rather than drop it.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl BuildHasher for PrehashedState {
    type Hasher = Prehashed;

    fn build_hasher(&self) -> Prehashed {
        Prehashed::default()
    }
}

/// The hash index: prefix hash to the innermost declaration with that hash. Keys are hashes
/// rather than prefixes so that declaring and leaving allocate nothing and growing the table
/// rehashes nothing.
#[derive(Debug, Clone)]
struct Index {
    hasher: RandomState,
    innermost: HashMap<u64, usize, PrehashedState>,
}

/// A stack of declarations, innermost last. Spans keep a snapshot (for resuming a cursor)
/// free of borrows, and cheap to clone. The stack's vector is one of the thread's spares
/// ([`crate::spares`]): a message makes several (the reading cursor's, the snapshots of the
/// Body's scope and of elements holding QNames), each one allocation when new.
#[derive(Debug)]
pub(crate) struct Namespaces {
    declarations: Vec<Declaration>,
    /// Built when the stack first grows past [`INDEX_FROM`], then kept in step with it.
    index: Option<Index>,
    /// The declaration the last prefix resolved found: the elements of a message mostly
    /// share one prefix, so the next look-up is usually answered by testing this one alone.
    /// Forgotten whenever the stack changes (it is then no longer known to be the innermost
    /// declaration of its prefix).
    last: Cell<Option<usize>>,
}

spare_stack!(
    /// Spare declaration stacks.
    SPARE_DECLARATIONS,
    Declaration
);

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces {
            declarations: spares::take(&SPARE_DECLARATIONS),
            index: None,
            last: Cell::new(None),
        }
    }
}

impl Clone for Namespaces {
    fn clone(&self) -> Self {
        let mut declarations = spares::take(&SPARE_DECLARATIONS);
        declarations.extend_from_slice(&self.declarations);
        Namespaces {
            declarations,
            index: self.index.clone(),
            last: Cell::new(self.last.get()),
        }
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        spares::give(&SPARE_DECLARATIONS, std::mem::take(&mut self.declarations));
    }
}

fn span_of(text: &str, part: &str) -> (usize, usize) {
    // `part` is a slice of `text`: its offset is the distance between the two pointers.
    let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    (start, start + part.len())
}

impl Namespaces {
    /// Declares `prefix` (empty: the default namespace) as `uri` on the element at `depth`;
    /// both are slices of `text`, `uri` possibly decoded. Returns false, declaring nothing,
    /// when the element already declared `prefix` (the attribute is given twice).
    #[must_use]
    pub(crate) fn declare(
        &mut self,
        text: &str,
        prefix: &str,
        uri: Cow<'_, str>,
        depth: usize,
    ) -> bool {
        if self
            .innermost(text, prefix)
            .and_then(|i| self.declarations.get(i))
            .is_some_and(|d| d.depth == depth)
        {
            return false;
        }
        let uri = match uri {
            Cow::Borrowed(u) => {
                let (s, e) = span_of(text, u);
                Uri::Span(s, e)
            }
            Cow::Owned(u) => Uri::Owned(u.into_boxed_str()),
        };
        self.last.set(None);
        let at = self.declarations.len();
        let (hash, shadows) = match &mut self.index {
            Some(index) => {
                let hash = index.hasher.hash_one(prefix);
                (hash, index.innermost.insert(hash, at))
            }
            None => (0, None),
        };
        self.declarations.push(Declaration {
            prefix: span_of(text, prefix),
            uri,
            depth,
            hash,
            shadows,
        });
        if self.index.is_none() && self.declarations.len() > INDEX_FROM {
            self.build_index(text);
        }
        true
    }

    fn build_index(&mut self, text: &str) {
        let hasher = RandomState::default();
        let mut innermost =
            HashMap::with_capacity_and_hasher(self.declarations.len() * 2, PrehashedState);
        for (i, d) in self.declarations.iter_mut().enumerate() {
            d.hash = hasher.hash_one(Self::prefix_of(text, d));
            // In order, so that later declarations win and link to earlier ones.
            d.shadows = innermost.insert(d.hash, i);
        }
        self.index = Some(Index { hasher, innermost });
    }

    /// Forgets the declarations of elements deeper than `depth`.
    #[inline]
    pub(crate) fn leave(&mut self, depth: usize) {
        // Called at every end tag; only the few elements that declare something have work.
        if self.declarations.last().is_some_and(|d| d.depth > depth) {
            self.pop_deeper(depth);
        }
    }

    fn pop_deeper(&mut self, depth: usize) {
        self.last.set(None);
        while let Some(d) = self.declarations.pop_if(|d| d.depth > depth) {
            if let Some(index) = &mut self.index {
                match d.shadows {
                    Some(previous) => {
                        index.innermost.insert(d.hash, previous);
                    }
                    None => {
                        index.innermost.remove(&d.hash);
                    }
                }
            }
        }
    }

    /// Whether `d` declares `prefix`: lengths first, then the few bytes of a prefix one by
    /// one (cheaper than a general comparison for names this short).
    #[inline]
    fn is_prefix(text: &str, d: &Declaration, prefix: &str) -> bool {
        let (start, end) = d.prefix;
        end.wrapping_sub(start) == prefix.len()
            && text
                .as_bytes()
                .get(start..end)
                .is_some_and(|p| p.iter().zip(prefix.as_bytes()).all(|(a, b)| a == b))
    }

    fn prefix_of<'t>(text: &'t str, d: &Declaration) -> &'t str {
        text.get(d.prefix.0..d.prefix.1).unwrap_or("")
    }

    fn uri_of<'s>(&'s self, text: &'s str, d: &'s Declaration) -> &'s str {
        match &d.uri {
            Uri::Span(s, e) => text.get(*s..*e).unwrap_or(""),
            Uri::Owned(u) => u,
        }
    }

    /// Index of the innermost declaration of `prefix`.
    fn innermost(&self, text: &str, prefix: &str) -> Option<usize> {
        match &self.index {
            Some(index) => {
                let mut at = index.innermost.get(&index.hasher.hash_one(prefix)).copied();
                while let Some(d) = at.and_then(|i| self.declarations.get(i)) {
                    if Self::prefix_of(text, d) == prefix {
                        return at;
                    }
                    at = d.shadows;
                }
                None
            }
            None => self
                .declarations
                .iter()
                .rposition(|d| Self::is_prefix(text, d, prefix)),
        }
    }

    /// The namespace of `prefix` (empty: the default namespace); `Some("")` for no namespace
    /// (no default declared, or undeclared with `xmlns=""`), `None` for an undeclared prefix.
    pub(crate) fn resolve<'s>(&'s self, text: &'s str, prefix: &str) -> Option<&'s str> {
        if let Some(d) = self.last.get().and_then(|i| self.declarations.get(i))
            && Self::is_prefix(text, d, prefix)
        {
            return Some(self.uri_of(text, d));
        }
        if prefix == "xml" {
            return Some(XML_NS);
        }
        let found = self.innermost(text, prefix);
        if let Some(i) = found
            && !prefix.is_empty()
        {
            self.last.set(Some(i));
        }
        match found.and_then(|i| self.declarations.get(i)) {
            Some(d) => Some(self.uri_of(text, d)),
            None if prefix.is_empty() => Some(""),
            None => None,
        }
    }

    /// The declaration in force for `prefix` (never `xml`, which is bound without one): its
    /// position in the stack (declaration order), the depth of the element that declared
    /// it, and its namespace. `None` when the prefix is not declared.
    pub(crate) fn declaration_of<'s>(
        &'s self,
        text: &'s str,
        prefix: &str,
    ) -> Option<(usize, usize, &'s str)> {
        let i = self.innermost(text, prefix)?;
        let d = self.declarations.get(i)?;
        Some((i, d.depth, self.uri_of(text, d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The declaration remembered from the last look-up never outlives a change of the
    /// stack: a prefix shadowed deeper, or left again, resolves to its innermost declaration.
    #[test]
    fn the_remembered_declaration_follows_the_stack() {
        let text = "p q urn:a urn:b urn:c";
        let slice = |from: usize, len: usize| text.get(from..from + len).unwrap_or("");
        let (p, q) = (slice(0, 1), slice(2, 1));
        let (a, b, c) = (slice(4, 5), slice(10, 5), slice(16, 5));
        let mut ns = Namespaces::default();
        assert!(ns.declare(text, p, Cow::Borrowed(a), 1));
        assert!(ns.declare(text, q, Cow::Borrowed(c), 1));
        assert_eq!(ns.resolve(text, "p"), Some("urn:a"));
        // Asked again (the remembered declaration), and for another prefix in between.
        assert_eq!(ns.resolve(text, "p"), Some("urn:a"));
        assert_eq!(ns.resolve(text, "q"), Some("urn:c"));
        assert_eq!(ns.resolve(text, "p"), Some("urn:a"));
        // Shadowed deeper: the new declaration, not the remembered one.
        assert!(ns.declare(text, p, Cow::Borrowed(b), 2));
        assert_eq!(ns.resolve(text, "p"), Some("urn:b"));
        assert_eq!(ns.resolve(text, "p"), Some("urn:b"));
        // Left: the outer one again.
        ns.leave(1);
        assert_eq!(ns.resolve(text, "p"), Some("urn:a"));
        assert_eq!(ns.resolve(text, "r"), None);
        assert_eq!(ns.resolve(text, ""), Some(""));
        // A clone answers the same.
        let copy = ns.clone();
        assert_eq!(copy.resolve(text, "p"), Some("urn:a"));
        ns.leave(0);
        assert_eq!(ns.resolve(text, "p"), None);
        assert_eq!(copy.resolve(text, "q"), Some("urn:c"));
    }

    /// Declares `xmlns:pN` for every N at depth N, then resolves and leaves; with more
    /// declarations than [`INDEX_FROM`] the index is built and must agree with the stack.
    #[test]
    fn index_agrees_with_the_stack() {
        let text = "p0p1p2p3p4p5p6p7p8p9p10p11 urn:a urn:b";
        let prefixes: Vec<&str> = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"]
            .iter()
            .map(|p| {
                let at = text.find(p).unwrap_or(0);
                text.get(at..at + p.len()).unwrap_or("")
            })
            .collect();
        let a = text.get(text.len() - 11..text.len() - 6).unwrap_or("");
        let b = text.get(text.len() - 5..).unwrap_or("");
        let mut ns = Namespaces::default();
        for (depth, p) in prefixes.iter().enumerate() {
            assert!(ns.declare(text, p, Cow::Borrowed(a), depth + 1));
        }
        assert!(ns.index.is_some());
        // Shadow p3 deeper, then leave it again.
        let p3 = prefixes.get(3).copied().unwrap_or("");
        assert!(ns.declare(text, p3, Cow::Borrowed(b), 20));
        assert!(!ns.declare(text, p3, Cow::Borrowed(a), 20));
        assert_eq!(ns.resolve(text, "p3"), Some("urn:b"));
        assert_eq!(
            ns.declaration_of(text, "p3").map(|(_, d, u)| (d, u)),
            Some((20, "urn:b"))
        );
        ns.leave(19);
        assert_eq!(ns.resolve(text, "p3"), Some("urn:a"));
        ns.leave(5);
        assert_eq!(ns.resolve(text, "p4"), Some("urn:a"));
        assert_eq!(ns.resolve(text, "p5"), None);
        assert_eq!(ns.resolve(text, ""), Some(""));
        assert_eq!(ns.resolve(text, "xml"), Some(XML_NS));
        assert_eq!(ns.declaration_of(text, "p4").map(|(i, _, _)| i), Some(4));
    }
}
