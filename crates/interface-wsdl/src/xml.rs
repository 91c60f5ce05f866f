//! A minimal indenting XML writer: interface documents are small and written once, so clarity
//! and deterministic output matter more than speed here.

use std::borrow::Cow;

use rpclib_core::xml_escape;

/// Escapes text for an attribute value in double quotes, with the escaper every rpclib
/// crate shares; `Err` holds the first character XML cannot carry.
pub(crate) fn escape_attr(value: &str) -> Result<Cow<'_, str>, char> {
    escape_with(value, xml_escape::escape_attribute)
}

/// Escapes character data; `Err` holds the first character XML cannot carry.
pub(crate) fn escape_text(value: &str) -> Result<Cow<'_, str>, char> {
    escape_with(value, xml_escape::escape_text)
}

fn escape_with(
    value: &str,
    escape: fn(&mut Vec<u8>, &str) -> Result<(), char>,
) -> Result<Cow<'_, str>, char> {
    let mut out = Vec::with_capacity(value.len());
    escape(&mut out, value)?;
    if out == value.as_bytes() {
        return Ok(Cow::Borrowed(value));
    }
    // Escaping replaces ASCII bytes with ASCII references: the output is UTF-8 as the input.
    Ok(Cow::Owned(String::from_utf8(out).unwrap_or_else(|e| {
        String::from_utf8_lossy(e.as_bytes()).into()
    })))
}

/// Writes indented XML into a string.
#[derive(Debug, Default)]
pub(crate) struct XmlOut {
    out: String,
    depth: usize,
    /// The first character met that XML cannot carry: the document is refused at
    /// [`finish`](Self::finish) rather than written malformed.
    invalid: Option<char>,
}

impl XmlOut {
    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            // The address slot is a marker the template replaces per request; it holds a
            // character XML cannot carry precisely so that nothing else can look like it.
            if *v == crate::ADDRESS_SLOT {
                self.out.push_str(v);
                self.out.push('"');
                continue;
            }
            match escape_attr(v) {
                Ok(v) => self.out.push_str(&v),
                Err(c) => {
                    self.invalid.get_or_insert(c);
                }
            }
            self.out.push('"');
        }
    }

    /// `<name attrs>` and a newline; children follow.
    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `<name attrs/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name attrs>text</name>`.
    pub(crate) fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start_tag(name, attrs);
        self.out.push('>');
        match escape_text(text) {
            Ok(t) => self.out.push_str(&t),
            Err(c) => {
                self.invalid.get_or_insert(c);
            }
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `</name>`.
    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// Appends pre-written XML (already indented for its place).
    pub(crate) fn raw(&mut self, xml: &str) {
        self.out.push_str(xml);
    }

    /// Current nesting depth.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Sets the nesting depth (for fragments written apart and spliced in).
    pub(crate) fn with_depth(depth: usize) -> XmlOut {
        XmlOut {
            out: String::new(),
            depth,
            invalid: None,
        }
    }

    /// Appends a fragment written apart, with its verdict on characters.
    pub(crate) fn append(&mut self, fragment: XmlOut) {
        self.out.push_str(&fragment.out);
        if let Some(c) = fragment.invalid {
            self.invalid.get_or_insert(c);
        }
    }

    /// The document, or the first character XML cannot carry that something in it held.
    pub(crate) fn finish(self) -> Result<String, char> {
        match self.invalid {
            Some(c) => Err(c),
            None => Ok(self.out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_with_the_shared_escaper_and_refuses_what_xml_cannot_carry() {
        let mut out = XmlOut::default();
        out.text("doc", &[("a", "x\"<'")], "1 < 2\r\n");
        assert_eq!(
            out.finish().ok().as_deref(),
            Some("<doc a=\"x&quot;&lt;'\">1 &lt; 2&#13;\n</doc>\n")
        );
        let mut out = XmlOut::default();
        let mut inner = XmlOut::with_depth(1);
        inner.text("doc", &[], "bell \u{7}");
        out.append(inner);
        assert_eq!(out.finish(), Err('\u{7}'));
    }
}
