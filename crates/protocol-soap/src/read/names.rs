//! [`Namespaces`]: the namespace declarations in force while reading.

use std::borrow::Cow;

/// The namespace bound to the `xml` prefix by definition.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

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
}

/// A stack of declarations, innermost last. Spans keep a snapshot (for resuming a cursor)
/// free of borrows, and cheap to clone.
#[derive(Debug, Clone, Default)]
pub(crate) struct Namespaces {
    declarations: Vec<Declaration>,
}

fn span_of(text: &str, part: &str) -> (usize, usize) {
    // `part` is a slice of `text`: its offset is the distance between the two pointers.
    let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    (start, start + part.len())
}

impl Namespaces {
    /// Declares `prefix` (empty: the default namespace) as `uri` on the element at `depth`;
    /// both are slices of `text`, `uri` possibly decoded.
    pub(crate) fn declare(&mut self, text: &str, prefix: &str, uri: Cow<'_, str>, depth: usize) {
        let uri = match uri {
            Cow::Borrowed(u) => {
                let (s, e) = span_of(text, u);
                Uri::Span(s, e)
            }
            Cow::Owned(u) => Uri::Owned(u.into_boxed_str()),
        };
        self.declarations.push(Declaration {
            prefix: span_of(text, prefix),
            uri,
            depth,
        });
    }

    /// Forgets the declarations of elements deeper than `depth`.
    pub(crate) fn leave(&mut self, depth: usize) {
        while self.declarations.last().is_some_and(|d| d.depth > depth) {
            self.declarations.pop();
        }
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

    /// The namespace of `prefix` (empty: the default namespace); `Some("")` for no namespace
    /// (no default declared, or undeclared with `xmlns=""`), `None` for an undeclared prefix.
    pub(crate) fn resolve<'s>(&'s self, text: &'s str, prefix: &str) -> Option<&'s str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        match self
            .declarations
            .iter()
            .rev()
            .find(|d| Self::prefix_of(text, d) == prefix)
        {
            Some(d) => Some(self.uri_of(text, d)),
            None if prefix.is_empty() => Some(""),
            None => None,
        }
    }

    /// The bindings in force (`None`: the default namespace), innermost last, without the
    /// shadowed ones and without an undeclared default.
    pub(crate) fn bindings<'s>(&'s self, text: &'s str) -> Vec<(Option<&'s str>, &'s str)> {
        let mut out: Vec<(Option<&str>, &str)> = Vec::new();
        for (i, d) in self.declarations.iter().enumerate() {
            let prefix = Self::prefix_of(text, d);
            let shadowed = self
                .declarations
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .any(|later| Self::prefix_of(text, later) == prefix);
            let uri = self.uri_of(text, d);
            if !shadowed && !uri.is_empty() {
                out.push(((!prefix.is_empty()).then_some(prefix), uri));
            }
        }
        out
    }
}
