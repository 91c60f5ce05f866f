//! Escaping text for XML, refusing (or replacing) characters XML cannot carry.
//!
//! The one escaper of every rpclib crate that writes XML (SOAP messages, WSDL and XSD
//! documents, raw XML values), so that what one writes another can read: `<`, `>` and `&`
//! are escaped everywhere, `"` in attribute values (always written in double quotes), CR as
//! `&#13;` so that line-end normalization does not turn it into LF, and tab and LF in
//! attribute values as references so that attribute-value normalization does not turn them
//! into spaces. Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF and
//! CR; U+FFFE and U+FFFF) are refused, or replaced with U+FFFD by the `_lossy` forms, for
//! text that must get out whatever it holds (fault strings, addresses taken from requests).
//!
//! ```
//! use rpclib_core::xml_escape::{escape_attribute, escape_text};
//!
//! let mut out = Vec::new();
//! escape_text(&mut out, "a < b & c\r\n").unwrap();
//! assert_eq!(out, b"a &lt; b &amp; c&#13;\n");
//! out.clear();
//! escape_attribute(&mut out, "say \"hi\"\t").unwrap();
//! assert_eq!(out, b"say &quot;hi&quot;&#9;");
//! assert_eq!(escape_text(&mut out, "bell \u{7}"), Err('\u{7}'));
//! ```

/// How each byte is treated: 0 copied as is, 1 escaped or checked.
static TEXT_CLASS: [u8; 256] = class_table(false);
static ATTR_CLASS: [u8; 256] = class_table(true);

const fn class_table(attribute: bool) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 1;
        b += 1;
    }
    if !attribute {
        // Tab and LF survive in text; in attributes they would be normalized to spaces.
        t[b'\t' as usize] = 0;
        t[b'\n' as usize] = 0;
    }
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b'&' as usize] = 1;
    t[0xEF] = 1;
    if attribute {
        t[b'"' as usize] = 1;
    }
    t
}

/// Appends `s` escaped for element content; fails with the first character XML cannot
/// carry (what was appended before it stays).
pub fn escape_text(out: &mut Vec<u8>, s: &str) -> Result<(), char> {
    escape::<false>(out, s, false)
}

/// Appends `s` escaped for a double-quoted attribute value; fails with the first character
/// XML cannot carry.
pub fn escape_attribute(out: &mut Vec<u8>, s: &str) -> Result<(), char> {
    escape::<true>(out, s, false)
}

/// Appends `s` escaped for element content, replacing characters XML cannot carry with
/// U+FFFD: for fault strings, which must get out whatever they hold.
pub fn escape_text_lossy(out: &mut Vec<u8>, s: &str) {
    // With `lossy` set, escape never fails.
    let _ = escape::<false>(out, s, true);
}

/// Appends `s` escaped for a double-quoted attribute value, replacing characters XML cannot
/// carry with U+FFFD.
pub fn escape_attribute_lossy(out: &mut Vec<u8>, s: &str) {
    let _ = escape::<true>(out, s, true);
}

/// Every byte of a word set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// Whether any byte of `word` is zero (exact as a yes or no).
const fn any_zero(word: u64) -> bool {
    word.wrapping_sub(splat(1)) & !word & splat(0x80) != 0
}

/// Whether any byte of the eight in `word` may need escaping or checking: a control
/// character (tab and LF included, which the byte loop then copies), `<`, `>`, `&`, the
/// lead byte of U+FFFE/U+FFFF, and `"` in attribute values. Plain text, nearly all of it,
/// is then skipped a word at a time instead of a table look-up per byte.
const fn word_needs_attention<const ATTRIBUTE: bool>(word: u64) -> bool {
    // Below 0x20: subtracting 0x20 from each byte borrows into its top bit.
    let control = word.wrapping_sub(splat(0x20)) & !word & splat(0x80) != 0;
    // `<` (0x3C) and `>` (0x3E) differ only in bit 1: one test for both.
    let angle = any_zero((word | splat(0x02)) ^ splat(b'>'));
    let amp = any_zero(word ^ splat(b'&'));
    let ef = any_zero(word ^ splat(0xEF));
    let quote = ATTRIBUTE && any_zero(word ^ splat(b'"'));
    control | angle | amp | ef | quote
}

fn escape<const ATTRIBUTE: bool>(out: &mut Vec<u8>, s: &str, lossy: bool) -> Result<(), char> {
    let class = if ATTRIBUTE { &ATTR_CLASS } else { &TEXT_CLASS };
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && !word_needs_attention::<ATTRIBUTE>(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        i += 1;
        if class[usize::from(b)] == 0 {
            continue;
        }
        // The byte's own index, as the rules below use it.
        let i = i - 1;
        let replacement: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'"' => b"&quot;",
            // A raw CR would be read back as LF (XML line-end normalization).
            b'\r' => b"&#13;",
            b'\n' => b"&#10;",
            b'\t' => b"&#9;",
            0xEF => match bytes.get(i + 1..i + 3) {
                // U+FFFE and U+FFFF are not XML characters.
                Some([0xBF, 0xBE | 0xBF]) => {
                    if !lossy {
                        return Err(if bytes.get(i + 2) == Some(&0xBE) {
                            '\u{FFFE}'
                        } else {
                            '\u{FFFF}'
                        });
                    }
                    out.extend_from_slice(bytes.get(copied..i).unwrap_or_default());
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                    // Skip the two continuation bytes too: they are copied from `copied` on.
                    copied = i + 3;
                    continue;
                }
                _ => continue,
            },
            _ => {
                if !lossy {
                    return Err(char::from(b));
                }
                "\u{FFFD}".as_bytes()
            }
        };
        out.extend_from_slice(bytes.get(copied..i).unwrap_or_default());
        out.extend_from_slice(replacement);
        copied = i + 1;
    }
    out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> Result<String, char> {
        let mut out = Vec::new();
        escape_text(&mut out, s)?;
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn escapes_markup_and_cr() {
        assert_eq!(esc("a<b>&c\"'"), Ok("a&lt;b&gt;&amp;c\"'".to_owned()));
        assert_eq!(esc("x\r\ny\tz"), Ok("x&#13;\ny\tz".to_owned()));
        assert_eq!(esc("ﬀ€日本"), Ok("ﬀ€日本".to_owned()));
    }

    #[test]
    fn refuses_what_xml_cannot_carry() {
        assert_eq!(esc("a\u{0}b"), Err('\u{0}'));
        assert_eq!(esc("\u{1b}"), Err('\u{1b}'));
        assert_eq!(esc("\u{FFFF}"), Err('\u{FFFF}'));
        assert_eq!(esc("\u{FFFE}"), Err('\u{FFFE}'));
        assert_eq!(esc("\u{FFFD}\u{FF21}"), Ok("\u{FFFD}\u{FF21}".to_owned()));
    }

    /// The word-at-a-time skip must find every byte the table finds, wherever it sits in a
    /// word: each ASCII character and U+FFFF at every offset of a longer text, checked
    /// against the escaping rules applied one character at a time.
    #[test]
    fn word_skip_misses_nothing() {
        let reference = |s: &str, attribute: bool| -> Result<String, char> {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '&' => out.push_str("&amp;"),
                    '"' if attribute => out.push_str("&quot;"),
                    '\r' => out.push_str("&#13;"),
                    '\n' if attribute => out.push_str("&#10;"),
                    '\t' if attribute => out.push_str("&#9;"),
                    '\t' | '\n' => out.push(c),
                    '\u{FFFE}' | '\u{FFFF}' => return Err(c),
                    c if u32::from(c) < 0x20 => return Err(c),
                    c => out.push(c),
                }
            }
            Ok(out)
        };
        let odd = (0u8..0x80)
            .map(char::from)
            .chain(['\u{FFFF}', '\u{FFFE}', '\u{FFFD}']);
        for c in odd {
            for at in 0..20 {
                let s = format!("{}{c}{}", "x".repeat(at), "y".repeat(19 - at));
                for attribute in [false, true] {
                    let mut out = Vec::new();
                    let got = if attribute {
                        escape_attribute(&mut out, &s)
                    } else {
                        escape_text(&mut out, &s)
                    }
                    .map(|()| String::from_utf8(out).unwrap_or_default());
                    assert_eq!(got, reference(&s, attribute), "{c:?} at {at}");
                }
            }
        }
    }

    #[test]
    fn lossy_replaces() {
        let mut out = Vec::new();
        escape_text_lossy(&mut out, "a\u{0}b\u{FFFF}c<");
        assert_eq!(
            String::from_utf8(out).ok().as_deref(),
            Some("a\u{FFFD}b\u{FFFD}c&lt;")
        );
    }

    #[test]
    fn attributes_escape_quotes_and_whitespace() {
        let mut out = Vec::new();
        assert_eq!(escape_attribute(&mut out, "a\"b\tc\n"), Ok(()));
        assert_eq!(
            String::from_utf8(out).ok().as_deref(),
            Some("a&quot;b&#9;c&#10;")
        );
    }
}
