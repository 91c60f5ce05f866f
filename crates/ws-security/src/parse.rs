//! Reading a `wsse:Security` block with roxmltree, bounded: the block's size, its number of
//! nodes, and the length of every value are capped before anything is decoded.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use roxmltree::{Document, Node, ParsingOptions};

use crate::names::{BASE64_BINARY, PASSWORD_TEXT, WSSE_NS, WSU_NS};

/// The largest `wsse:Security` block read (a UsernameToken and a Timestamp take well under
/// 2 KiB).
pub(crate) const MAX_BLOCK_BYTES: usize = 64 * 1024;
const MAX_NODES: u32 = 512;
/// The longest user name, password or digest read.
const MAX_VALUE_BYTES: usize = 4096;
/// The longest nonce, decoded.
const MAX_NONCE_BYTES: usize = 256;

/// What went wrong reading the block: `Unsupported` for a token or password type we do not
/// handle, `Invalid` for everything else.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ParseError {
    Invalid(String),
    Unsupported(String),
}

fn invalid(message: impl Into<String>) -> ParseError {
    ParseError::Invalid(message.into())
}

/// A `wsu:Timestamp`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Timestamp {
    pub(crate) created: String,
    pub(crate) expires: Option<String>,
}

/// The password and how it travels.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Password {
    Text(String),
    Digest(String),
}

/// A `wsse:UsernameToken`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) username: String,
    pub(crate) password: Option<Password>,
    pub(crate) nonce: Option<Vec<u8>>,
    pub(crate) created: Option<String>,
}

/// The parts of a `wsse:Security` block this crate reads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Security {
    pub(crate) token: Option<Token>,
    pub(crate) timestamp: Option<Timestamp>,
}

/// Reads the `wsse:Security` element `xml` (as the SOAP protocol captured it).
pub(crate) fn parse(xml: &str) -> Result<Security, ParseError> {
    if xml.len() > MAX_BLOCK_BYTES {
        return Err(invalid(format!(
            "the Security header is {} bytes long, more than {MAX_BLOCK_BYTES}",
            xml.len()
        )));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options)
        .map_err(|e| invalid(format!("the Security header cannot be read: {e}")))?;
    let root = doc.root_element();
    if !root.has_tag_name((WSSE_NS, "Security")) {
        return Err(invalid("the header block is not wsse:Security"));
    }
    let mut security = Security {
        token: None,
        timestamp: None,
    };
    for child in root.children().filter(Node::is_element) {
        if child.has_tag_name((WSSE_NS, "UsernameToken")) {
            if security.token.is_some() {
                return Err(invalid("more than one UsernameToken"));
            }
            security.token = Some(token(child)?);
        } else if child.has_tag_name((WSU_NS, "Timestamp")) {
            if security.timestamp.is_some() {
                return Err(invalid("more than one Timestamp"));
            }
            security.timestamp = Some(timestamp(child)?);
        }
        // Other children (signatures, other tokens) are not ours to judge here: the
        // validator requires a UsernameToken and ignores the rest.
    }
    Ok(security)
}

/// The text of a simple element, bounded.
fn text(node: Node<'_, '_>, what: &str) -> Result<String, ParseError> {
    if node.children().any(|c| c.is_element()) {
        return Err(invalid(format!("{what} holds elements")));
    }
    let text = node.text().unwrap_or("");
    if text.len() > MAX_VALUE_BYTES {
        return Err(invalid(format!(
            "{what} is longer than {MAX_VALUE_BYTES} bytes"
        )));
    }
    Ok(text.to_owned())
}

/// Sets `slot` to `value`, refusing a second occurrence of `what`.
fn once<T>(slot: &mut Option<T>, value: T, what: &str) -> Result<(), ParseError> {
    if slot.is_some() {
        return Err(invalid(format!("more than one {what}")));
    }
    *slot = Some(value);
    Ok(())
}

fn token(node: Node<'_, '_>) -> Result<Token, ParseError> {
    let (mut username, mut password, mut nonce, mut created) = (None, None, None, None);
    for child in node.children().filter(Node::is_element) {
        if child.has_tag_name((WSSE_NS, "Username")) {
            once(
                &mut username,
                text(child, "Username")?.trim().to_owned(),
                "Username",
            )?;
        } else if child.has_tag_name((WSSE_NS, "Password")) {
            let value = text(child, "Password")?;
            let value = match child.attribute("Type").map(str::trim) {
                None | Some(PASSWORD_TEXT) => Password::Text(value),
                Some(crate::names::PASSWORD_DIGEST) => Password::Digest(value.trim().to_owned()),
                Some(other) => {
                    return Err(ParseError::Unsupported(format!(
                        "unsupported password type `{}`",
                        excerpt(other)
                    )));
                }
            };
            once(&mut password, value, "Password")?;
        } else if child.has_tag_name((WSSE_NS, "Nonce")) {
            match child.attribute("EncodingType").map(str::trim) {
                None | Some(BASE64_BINARY) => {}
                Some(other) => {
                    return Err(ParseError::Unsupported(format!(
                        "unsupported nonce encoding `{}`",
                        excerpt(other)
                    )));
                }
            }
            let value = text(child, "Nonce")?;
            let bytes = STANDARD
                .decode(value.trim())
                .map_err(|_| invalid("the Nonce is not valid Base64"))?;
            if bytes.is_empty() || bytes.len() > MAX_NONCE_BYTES {
                return Err(invalid(format!(
                    "the Nonce must be 1 to {MAX_NONCE_BYTES} bytes long"
                )));
            }
            once(&mut nonce, bytes, "Nonce")?;
        } else if child.has_tag_name((WSU_NS, "Created")) {
            once(
                &mut created,
                text(child, "Created")?.trim().to_owned(),
                "Created",
            )?;
        }
    }
    let username = username
        .filter(|u| !u.is_empty())
        .ok_or_else(|| invalid("the UsernameToken has no Username"))?;
    Ok(Token {
        username,
        password,
        nonce,
        created,
    })
}

fn timestamp(node: Node<'_, '_>) -> Result<Timestamp, ParseError> {
    let (mut created, mut expires) = (None, None);
    for child in node.children().filter(Node::is_element) {
        if child.has_tag_name((WSU_NS, "Created")) {
            once(
                &mut created,
                text(child, "Created")?.trim().to_owned(),
                "Created",
            )?;
        } else if child.has_tag_name((WSU_NS, "Expires")) {
            once(
                &mut expires,
                text(child, "Expires")?.trim().to_owned(),
                "Expires",
            )?;
        } else {
            return Err(invalid("the Timestamp holds an unexpected element"));
        }
    }
    Ok(Timestamp {
        created: created.ok_or_else(|| invalid("the Timestamp has no Created"))?,
        expires,
    })
}

/// At most 80 characters of `text`, for messages.
fn excerpt(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::PASSWORD_DIGEST;

    fn security(inner: &str) -> String {
        format!(
            "<wsse:Security xmlns:wsse=\"{WSSE_NS}\" xmlns:wsu=\"{WSU_NS}\">{inner}</wsse:Security>"
        )
    }

    #[test]
    fn reads_a_full_token() {
        let xml = security(&format!(
            "<wsu:Timestamp><wsu:Created>2026-01-01T00:00:00Z</wsu:Created>\
             <wsu:Expires>2026-01-01T00:05:00Z</wsu:Expires></wsu:Timestamp>\
             <wsse:UsernameToken><wsse:Username> ann </wsse:Username>\
             <wsse:Password Type=\"{PASSWORD_DIGEST}\">abc=</wsse:Password>\
             <wsse:Nonce EncodingType=\"{BASE64_BINARY}\">AAEC</wsse:Nonce>\
             <wsu:Created>2026-01-01T00:00:00Z</wsu:Created></wsse:UsernameToken>"
        ));
        let s = parse(&xml).expect("valid");
        let token = s.token.expect("a token");
        assert_eq!(token.username, "ann");
        assert_eq!(token.password, Some(Password::Digest("abc=".into())));
        assert_eq!(token.nonce, Some(vec![0, 1, 2]));
        assert_eq!(token.created.as_deref(), Some("2026-01-01T00:00:00Z"));
        let ts = s.timestamp.expect("a timestamp");
        assert_eq!(ts.expires.as_deref(), Some("2026-01-01T00:05:00Z"));
    }

    #[test]
    fn refuses_hostile_and_broken_blocks() {
        let cases = [
            security("<wsse:UsernameToken/>"),
            security("<wsse:UsernameToken><wsse:Username/></wsse:UsernameToken>"),
            security(
                "<wsse:UsernameToken><wsse:Username>a</wsse:Username><wsse:Username>b</wsse:Username></wsse:UsernameToken>",
            ),
            security(
                "<wsse:UsernameToken><wsse:Username>a</wsse:Username><wsse:Nonce>!!</wsse:Nonce></wsse:UsernameToken>",
            ),
            security(
                "<wsse:UsernameToken><wsse:Username>a<x/></wsse:Username></wsse:UsernameToken>",
            ),
            security("<wsu:Timestamp><wsu:Expires>x</wsu:Expires></wsu:Timestamp>"),
            format!("<wsse:Other xmlns:wsse=\"{WSSE_NS}\"/>"),
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>".to_owned(),
            security(&"<a/>".repeat(1000)),
            security(&format!(
                "<wsse:UsernameToken><wsse:Username>{}</wsse:Username></wsse:UsernameToken>",
                "u".repeat(5000)
            )),
            "x".repeat(MAX_BLOCK_BYTES + 1),
            "<unclosed".to_owned(),
        ];
        for xml in cases {
            assert!(
                matches!(parse(&xml), Err(ParseError::Invalid(_))),
                "{}",
                excerpt(&xml)
            );
        }
        let unsupported = security(
            "<wsse:UsernameToken><wsse:Username>a</wsse:Username><wsse:Password Type=\"urn:x\">p</wsse:Password></wsse:UsernameToken>",
        );
        assert!(matches!(
            parse(&unsupported),
            Err(ParseError::Unsupported(_))
        ));
    }
}
