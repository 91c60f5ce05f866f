//! The built-in types derived from `xs:string` (`token`, `NCName`, `language`...) and
//! `xs:anyURI`: a `String` whose value is checked against the type's lexical rules.
//!
//! Reading applies the type's whitespace facet first (`replace` for `normalizedString`,
//! `collapse` for the others), as a schema validator would; constructing a value with `new`
//! checks the value as given, without changing it.

use std::fmt;
use std::ops::Deref;

use super::primitive::lexical_model;
use super::validate::{check_length, check_pattern};
use super::{
    Constraints, DeError, Deserializer, FieldPath, Lexical, LexicalError, Model, SerError,
    Serializer, SimpleKind, SimpleType, TypeRef, ValidationError,
};

/// XSD's whitespace facet.
#[derive(Clone, Copy)]
enum Whitespace {
    /// Tabs, carriage returns and line feeds become spaces.
    Replace,
    /// As `Replace`, then runs of spaces become one and leading/trailing spaces go.
    Collapse,
}

fn apply(ws: Whitespace, text: &str) -> String {
    let replaced = text.replace(['\t', '\r', '\n'], " ");
    match ws {
        Whitespace::Replace => replaced,
        Whitespace::Collapse => replaced
            .split(' ')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// XML 1.0 (fifth edition) `NameStartChar`.
fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) `NameChar`.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn no_line_breaks(s: &str) -> Result<(), String> {
    match s.find(['\t', '\r', '\n']) {
        Some(_) => Err("tabs and line breaks are not allowed".to_owned()),
        None => Ok(()),
    }
}

fn token(s: &str) -> Result<(), String> {
    no_line_breaks(s)?;
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return Err("leading, trailing or repeated spaces are not allowed".to_owned());
    }
    Ok(())
}

fn name(s: &str) -> Result<(), String> {
    let mut chars = s.chars();
    match chars.next() {
        None => Err("a name cannot be empty".to_owned()),
        Some(c) if !is_name_start(c) => Err(format!("a name cannot start with `{c}`")),
        Some(_) => match chars.find(|&c| !is_name_char(c)) {
            Some(c) => Err(format!("`{c}` is not allowed in a name")),
            None => Ok(()),
        },
    }
}

fn nc_name(s: &str) -> Result<(), String> {
    name(s)?;
    if s.contains(':') {
        return Err("a colon is not allowed in a non-colonized name".to_owned());
    }
    Ok(())
}

fn nm_token(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("a name token cannot be empty".to_owned());
    }
    match s.chars().find(|&c| !is_name_char(c)) {
        Some(c) => Err(format!("`{c}` is not allowed in a name token")),
        None => Ok(()),
    }
}

/// `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*` (RFC 3066 as XSD 1.0 words it).
fn language(s: &str) -> Result<(), String> {
    let bad = || Err("expected a language tag such as `en` or `pt-BR`".to_owned());
    for (i, part) in s.split('-').enumerate() {
        let ok_len = (1..=8).contains(&part.len());
        let ok_chars = if i == 0 {
            part.bytes().all(|b| b.is_ascii_alphabetic())
        } else {
            part.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        if !ok_len || !ok_chars {
            return bad();
        }
    }
    Ok(())
}

/// What XSD 1.0 leaves of a URI reference's syntax once its characters are escaped: no
/// control characters, and `%` only as the start of an escape.
fn any_uri(s: &str) -> Result<(), String> {
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the control character U+{:04X} is not allowed",
            u32::from(c)
        ));
    }
    let bytes = s.as_bytes();
    for (i, _) in s.match_indices('%') {
        let hex = bytes.get(i + 1..i + 3);
        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            return Err("`%` must start an escape of two hexadecimal digits".to_owned());
        }
    }
    Ok(())
}

macro_rules! string_types {
    ($(
        $(#[$doc:meta])*
        $ty:ident, $desc:ident, $xsd:literal, $ws:ident, $check:path;
    )*) => {$(
        pub(crate) static $desc: SimpleType = SimpleType {
            name: $xsd,
            kind: SimpleKind::String,
        };

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(String);

        impl $ty {
            #[doc = concat!("A `", $xsd, "`; an error naming the value and the type if it is not one.")]
            pub fn new(value: impl Into<String>) -> Result<Self, LexicalError> {
                let value = value.into();
                match $check(&value) {
                    Ok(()) => Ok(Self(value)),
                    Err(reason) => Err(LexicalError::new($xsd, &value, reason)),
                }
            }

            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value, giving up the wrapper.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl Deref for $ty {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $ty {
            type Err = LexicalError;
            fn from_str(s: &str) -> Result<Self, LexicalError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = LexicalError;
            fn try_from(s: String) -> Result<Self, LexicalError> {
                Self::new(s)
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0
            }
        }

        impl Lexical for $ty {
            const TYPE: &'static SimpleType = &$desc;

            fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
                Self::new(apply(Whitespace::$ws, text))
            }

            fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                f(&self.0)
            }
        }

        lexical_model!($ty, |v, c, p| {
            if c.min_len.is_some() || c.max_len.is_some() {
                check_length(c, p, v.0.chars().count(), "characters")?;
            }
            check_pattern(c, p, &v.0)
        });
    )*};
}

string_types! {
    /// `xs:normalizedString`: a string without tabs or line breaks (read with each of them
    /// turned into a space).
    NormalizedString, NORMALIZED_STRING, "normalizedString", Replace, no_line_breaks;
    /// `xs:token`: a string without tabs, line breaks, leading, trailing or repeated spaces
    /// (read with whitespace collapsed).
    Token, TOKEN, "token", Collapse, token;
    /// `xs:Name`: an XML name (`a:b`, `_x-1`).
    Name, NAME, "Name", Collapse, name;
    /// `xs:NCName`: an XML name without colons.
    NcName, NC_NAME, "NCName", Collapse, nc_name;
    /// `xs:NMTOKEN`: a run of XML name characters (`1.0`, `-x`).
    NmToken, NM_TOKEN, "NMTOKEN", Collapse, nm_token;
    /// `xs:ID`: an NCName that identifies its element in a document.
    Id, ID, "ID", Collapse, nc_name;
    /// `xs:IDREF`: an NCName referring to an `xs:ID`.
    IdRef, ID_REF, "IDREF", Collapse, nc_name;
    /// `xs:language`: a language tag (`en`, `pt-BR`, `x-klingon`).
    Language, LANGUAGE, "language", Collapse, language;
    /// `xs:anyURI`: a URI reference (absolute or relative), kept as written.
    AnyUri, ANY_URI, "anyURI", Collapse, any_uri;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_values() {
        assert_eq!(Token::parse_lexical("  a \t b\n").unwrap().as_str(), "a b");
        assert_eq!(
            NormalizedString::parse_lexical(" a\tb ").unwrap().as_str(),
            " a b "
        );
        assert!(Name::new("a:b-1.x").is_ok());
        assert!(NcName::new("_x\u{B7}1").is_ok());
        assert!(NmToken::new("1.0").is_ok());
        assert!(Id::new("id-1").is_ok());
        assert!(IdRef::new("id-1").is_ok());
        assert!(Language::new("pt-BR").is_ok());
        assert!(Language::new("x-klingon").is_ok());
        assert!(AnyUri::new("http://example.com/a%20b?q=1#f").is_ok());
        assert!(AnyUri::new("../relative").is_ok());
        assert!(AnyUri::new("").is_ok());
        assert_eq!(Name::parse_lexical(" a:b ").unwrap().to_string(), "a:b");
    }

    #[test]
    fn invalid_values_name_the_value_and_type() {
        let cases: [(Result<(), LexicalError>, &str); 12] = [
            (Token::new(" a").map(drop), "token"),
            (Token::new("a  b").map(drop), "token"),
            (NormalizedString::new("a\nb").map(drop), "normalizedString"),
            (Name::new("1a").map(drop), "Name"),
            (Name::new("").map(drop), "Name"),
            (NcName::new("a:b").map(drop), "NCName"),
            (NmToken::new("a b").map(drop), "NMTOKEN"),
            (Id::new("1").map(drop), "ID"),
            (IdRef::new("a:b").map(drop), "IDREF"),
            (Language::new("toolonglanguage").map(drop), "language"),
            (Language::new("en_US").map(drop), "language"),
            (AnyUri::new("a%2").map(drop), "anyURI"),
        ];
        for (result, type_name) in cases {
            let e = result.unwrap_err();
            assert_eq!(e.type_name, type_name, "{e}");
        }
        let e = NcName::parse_lexical("a:b").unwrap_err();
        assert!(
            e.to_string().contains("a:b") && e.to_string().contains("NCName"),
            "{e}"
        );
    }
}
