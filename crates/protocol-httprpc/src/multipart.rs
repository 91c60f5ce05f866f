//! A bounded `multipart/form-data` reader (RFC 7578 over RFC 2046's multipart syntax), for
//! a body already in memory: each part's `Content-Disposition` name becomes a key, its
//! content the value (a part with a `filename` is a file: binary types take its bytes).
//!
//! Every search moves forward only, so reading is linear in the body's size (times the
//! delimiter's length, at most 74 bytes); the number of parts is bounded by
//! [`Limits::max_parts`].

use rpclib_core::Fault;

use crate::error::{invalid, limit};
use crate::form::{Leaf, Pairs};
use crate::limits::Limits;

/// Longest boundary RFC 2046 allows.
const MAX_BOUNDARY: usize = 70;
/// Longest header block of one part: names and a few parameters need far less.
const MAX_PART_HEADERS: usize = 8 * 1024;

/// The `boundary` parameter of a `multipart/form-data` media type.
pub(crate) fn boundary(content_type: &str) -> Result<String, Fault> {
    let value = params(content_type)
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value)
        .ok_or_else(|| invalid("a multipart/form-data body needs a `boundary` parameter"))?;
    if value.is_empty()
        || value.len() > MAX_BOUNDARY
        || !value.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
    {
        return Err(invalid(
            "the multipart boundary must be 1 to 70 printable ASCII characters",
        ));
    }
    Ok(value)
}

/// The `;`-separated parameters after a header's first value, unquoted (`name="x"`).
fn params(header: &str) -> impl Iterator<Item = (&str, String)> {
    split_params(header).into_iter().skip(1).filter_map(|p| {
        let (name, value) = p.split_once('=')?;
        let value = value.trim();
        let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(quoted) => unescape(quoted),
            None => value.to_owned(),
        };
        Some((name.trim(), value))
    })
}

/// Splits on `;` outside double quotes.
fn split_params(header: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&header[start..]);
    out
}

/// Removes quoted-pair backslashes (`\"` is `"`).
fn unescape(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The first position of `needle` in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let next = hay[i..].iter().position(|b| *b == first)? + i;
        if hay.get(next..next + needle.len()) == Some(needle) {
            return Some(next);
        }
        i = next + 1;
    }
    None
}

/// Reads every part of `body` into `pairs`.
pub(crate) fn parse_into(
    pairs: &mut Pairs,
    body: &[u8],
    boundary: &str,
    limits: &Limits,
) -> Result<(), Fault> {
    let delimiter = [b"\r\n--".as_slice(), boundary.as_bytes()].concat();
    // The first delimiter may open the body without its CRLF.
    let mut at = if body.starts_with(&delimiter[2..]) {
        delimiter.len() - 2
    } else {
        find(body, &delimiter, 0)
            .ok_or_else(|| invalid("the multipart body has no part: its boundary never appears"))?
            + delimiter.len()
    };
    let mut parts = 0;
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(()); // the close delimiter; an epilogue is ignored
        }
        // Transport padding (spaces and tabs) may follow a delimiter before its CRLF.
        let pad = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        if !rest[pad..].starts_with(b"\r\n") {
            return Err(invalid(
                "malformed multipart body: a boundary line must end with CRLF",
            ));
        }
        parts += 1;
        if parts > limits.max_parts {
            return Err(limit(format!(
                "the multipart body has more than {} parts (the part limit)",
                limits.max_parts
            )));
        }
        let headers_start = at + pad + 2;
        // The search stops where the headers would exceed their limit.
        let window = &body[..body.len().min(headers_start + MAX_PART_HEADERS + 4)];
        let headers_end = find(window, b"\r\n\r\n", headers_start).ok_or_else(|| {
                invalid(format!(
                    "malformed multipart body: part {parts} has no end of headers within {MAX_PART_HEADERS} bytes"
                ))
            })?;
        let content_start = headers_end + 4;
        let content_end = find(body, &delimiter, headers_end + 2).ok_or_else(|| {
            invalid(format!(
                "malformed multipart body: part {parts} is not closed by a boundary"
            ))
        })?;
        let headers = std::str::from_utf8(&body[headers_start..headers_end]).map_err(|_| {
            invalid(format!(
                "malformed multipart body: the headers of part {parts} are not UTF-8"
            ))
        })?;
        let (name, file) = disposition(headers, parts)?;
        let content = body.get(content_start..content_end).unwrap_or_default();
        pairs.push(name, Leaf::from_bytes(content.to_vec(), file))?;
        at = content_end + delimiter.len();
    }
}

/// The field name of a part, and whether it is a file, from its `Content-Disposition`.
fn disposition(headers: &str, part: usize) -> Result<(String, bool), Fault> {
    let value = headers
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-disposition"))
        .map(|(_, value)| value.trim())
        .ok_or_else(|| invalid(format!("part {part} has no Content-Disposition header")))?;
    let kind = split_params(value)[0].trim();
    if !kind.eq_ignore_ascii_case("form-data") {
        return Err(invalid(format!("part {part} is `{kind}`, not `form-data`")));
    }
    let mut name = None;
    let mut file = false;
    for (param, v) in params(value) {
        if param.eq_ignore_ascii_case("name") {
            name = Some(v);
        } else if param.eq_ignore_ascii_case("filename") {
            file = true;
        }
    }
    let name = name.ok_or_else(|| invalid(format!("part {part} has no `name` parameter")))?;
    Ok((name, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Node;

    fn parse(body: &str, limits: Limits) -> Result<Node, String> {
        let mut pairs = Pairs::new(limits);
        parse_into(&mut pairs, body.as_bytes(), "XyZ", &limits).map_err(|f| f.string)?;
        Ok(pairs.into_root())
    }

    #[test]
    fn parts() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nDave\r\n\
                    --XyZ  \r\ncontent-disposition: form-data; name=\"doc\"; filename=\"a;b.txt\"\r\n\
                    Content-Type: text/plain\r\n\r\n\r\n--X\r\n--XyZ--\r\nepilogue";
        let root = parse(body, Limits::default()).unwrap();
        assert_eq!(root.fields["name"].values, [Leaf::Text("Dave".into())]);
        assert_eq!(
            root.fields["doc"].values,
            [Leaf::Bytes {
                data: b"\r\n--X".to_vec(),
                file: true
            }]
        );
        let first = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--";
        assert_eq!(
            parse(first, Limits::default()).unwrap().fields["a"].values,
            [Leaf::Text("1".into())]
        );
    }

    #[test]
    fn bad_bodies() {
        let part = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n";
        for (body, why) in [
            ("", "never appears"),
            ("--XyZ", "must end with CRLF"),
            (
                "--XyZ\r\nContent-Disposition: form-data; name=a\r\n1",
                "no end of headers",
            ),
            (
                "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1",
                "not closed",
            ),
            (
                "--XyZ\r\nX: y\r\n\r\n1\r\n--XyZ--",
                "no Content-Disposition",
            ),
            (
                "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n\r\n--XyZ--",
                "not `form-data`",
            ),
            (
                "--XyZ\r\nContent-Disposition: form-data\r\n\r\n\r\n--XyZ--",
                "no `name`",
            ),
        ] {
            let err = parse(body, Limits::default()).unwrap_err();
            assert!(err.contains(why), "{body:?}: {err}");
        }
        let three = format!("{part}{part}{part}--XyZ--");
        assert!(
            parse(&three, Limits::default().max_parts(2))
                .unwrap_err()
                .contains("part limit")
        );
    }

    #[test]
    fn boundaries() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").unwrap(),
            "abc"
        );
        assert_eq!(
            boundary("multipart/form-data; charset=x; Boundary=\"a b;c\"").unwrap(),
            "a b;c"
        );
        for bad in [
            "multipart/form-data",
            "multipart/form-data; boundary=",
            &format!("multipart/form-data; boundary={}", "x".repeat(71)),
        ] {
            assert!(boundary(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        /// Any body made of delimiter pieces, headers, CRLFs and bytes: parts or a fault,
        /// never a panic.
        #[test]
        fn any_body_parses_or_fails(pieces in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(b"--XyZ".to_vec()),
                proptest::strategy::Just(b"\r\n".to_vec()),
                proptest::strategy::Just(b"--".to_vec()),
                proptest::strategy::Just(b"Content-Disposition: form-data; name=\"a\"".to_vec()),
                proptest::collection::vec(proptest::prelude::any::<u8>(), 0..8),
            ],
            0..24,
        )) {
            let body = pieces.concat();
            let mut pairs = Pairs::new(Limits::default());
            let _ = parse_into(&mut pairs, &body, "XyZ", &Limits::default());
        }
    }
}
