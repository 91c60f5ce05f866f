//! `application/x-www-form-urlencoded` text (query strings and form bodies): pairs split on
//! `&`, keys and values on the first `=`, `+` as a space, `%XX` as a byte.

use rpclib_core::Fault;

use crate::error::invalid;
use crate::form::{Leaf, Pairs};

/// Decodes `%XX` escapes (and, in form text, `+` as a space) into bytes; `what` names the
/// text in the fault for a malformed escape.
pub(crate) fn percent_decode(
    text: &[u8],
    plus_is_space: bool,
    what: &dyn Fn() -> String,
) -> Result<Vec<u8>, Fault> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'%' => {
                let hex = |j: usize| text.get(j).and_then(|c| (*c as char).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                    return Err(invalid(format!(
                        "malformed percent-encoding in {}: `%` must be followed by two hex digits",
                        what()
                    )));
                };
                // Two hex digits make at most 255.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(u8::MAX));
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Adds the pairs of urlencoded `text` to `pairs` (`source` names it in faults: "the query
/// string", "the form body"). Empty pieces (`a=1&&b=2`, a trailing `&`) are skipped, as
/// browsers do; a piece without `=` is a key with an empty value.
pub(crate) fn parse_into(pairs: &mut Pairs, text: &[u8], source: &str) -> Result<(), Fault> {
    for piece in text.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (key, value) = match piece.iter().position(|b| *b == b'=') {
            Some(eq) => (&piece[..eq], &piece[eq + 1..]),
            None => (piece, &[][..]),
        };
        let key = percent_decode(key, true, &|| format!("a key of {source}"))?;
        let key = String::from_utf8(key)
            .map_err(|_| invalid(format!("a key of {source} is not UTF-8 once decoded")))?;
        let value = percent_decode(value, true, &|| format!("the value of `{key}` in {source}"))?;
        pairs.push(key, Leaf::from_bytes(value, false))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Result<Vec<u8>, String> {
        percent_decode(s.as_bytes(), true, &|| "x".to_owned()).map_err(|f| f.string)
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(decode("a%20b+c").unwrap(), b"a b c");
        assert_eq!(decode("%C3%a9").unwrap(), "é".as_bytes());
        assert_eq!(decode("%ff").unwrap(), [0xff]);
        assert_eq!(decode("100%25").unwrap(), b"100%");
        for bad in ["%", "%4", "%zz", "a%g1"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
