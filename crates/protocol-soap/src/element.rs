//! One model value as a standalone XML element, outside any envelope: the same writer and
//! reader as SOAP bodies, for documents that hold a single value (a sample message checked
//! against its schema, a value stored as XML).

use std::borrow::Cow;

use rpclib_core::model::{DeError, DeErrorKind, Model, SerError};

use crate::limits::Limits;
use crate::read::cursor::{Cursor, Token};
use crate::read::de::XmlDeserializer;
use crate::write::ser::{Element, NilRule, XmlSerializer};
use crate::write::writer::XmlWriter;

/// Writes `value` as the element `{namespace}name` (`namespace` empty: no namespace), a
/// document of its own: every namespace it uses is declared on it, with prefixes chosen by
/// the writer. A `None` or nil value is written `xsi:nil="true"`.
///
/// The element names and namespaces of the content are the ones the value's descriptors
/// declare, exactly as in a SOAP body; a character XML cannot carry is an error.
///
/// ```
/// use rpclib_core::ComplexModel;
/// use rpclib_protocol_soap::{from_element_xml, to_element_xml};
///
/// #[derive(Debug, PartialEq, ComplexModel)]
/// #[model(namespace = "urn:example")]
/// struct Point {
///     x: i32,
///     #[model(attribute)]
///     label: String,
/// }
///
/// let p = Point { x: 3, label: "a".into() };
/// let xml = to_element_xml(&p, "point", "urn:example")?;
/// assert_eq!(xml, r#"<s0:point xmlns:s0="urn:example" label="a"><s0:x>3</s0:x></s0:point>"#);
/// assert_eq!(from_element_xml::<Point>(&xml)?, p);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_element_xml<T: Model>(
    value: &T,
    name: &str,
    namespace: &str,
) -> Result<String, SerError> {
    let mut w = XmlWriter::with_capacity(256);
    let mut ser = XmlSerializer::new(&mut w, namespace);
    ser.element(Element {
        ns: namespace,
        local: Cow::Owned(name.to_owned()),
        nil: NilRule::Nil,
        unwrapped: false,
    });
    value.serialize(&mut ser)?;
    ser.finish()?;
    drop(ser);
    // The writer only ever writes UTF-8 (names and escaped text from `&str`).
    String::from_utf8(w.into_bytes())
        .map_err(|_| SerError::new("internal: the writer produced invalid UTF-8"))
}

/// Reads a `T` from `xml`, a document whose root element holds the value (whatever its
/// name: the caller checks it if it matters). The document must be namespace-well-formed,
/// without a DTD, within the default [`Limits`], with nothing but white space, comments and
/// processing instructions around the root. Names in the content resolve as the descriptors
/// of `T` declare; a field without a namespace of its own takes the root element's.
///
/// Errors name what is wrong and where (line and column).
pub fn from_element_xml<T: Model>(xml: &str) -> Result<T, DeError> {
    from_element_xml_with::<T>(xml, Limits::default())
}

/// [`from_element_xml`] within `limits`.
pub fn from_element_xml_with<T: Model>(xml: &str, limits: Limits) -> Result<T, DeError> {
    let xml = xml.strip_prefix('\u{FEFF}').unwrap_or(xml);
    if xml.len() > limits.max_input_bytes {
        return Err(DeError::with_kind(
            DeErrorKind::Limit,
            format!(
                "the document is {} bytes long, more than the limit of {} bytes",
                xml.len(),
                limits.max_input_bytes
            ),
        ));
    }
    // The root's namespace first: names without a namespace of their own resolve to it.
    let tns = {
        let mut c = Cursor::new(xml, limits);
        let start = root(&mut c).map_err(|e| e.into_de_error(xml))?;
        c.resolve(&start)
            .map_err(|e| e.into_de_error(xml))?
            .0
            .to_owned()
    };
    let mut de = XmlDeserializer::new(Cursor::new(xml, limits), &tns);
    let start = root(de.cursor()).map_err(|e| e.into_de_error(xml))?;
    de.set_current(start, None);
    let value = T::deserialize(&mut de)?;
    // Only white space (comments and processing instructions are not tokens) may follow.
    match de.cursor().next_significant() {
        Ok(Token::Eof { .. }) => Ok(value),
        Ok(Token::Start(s)) => Err(crate::error::ReadError::syntax(
            "malformed XML: a second root element",
            s.offset,
        )
        .into_de_error(xml)),
        Ok(Token::Text { offset, .. } | Token::End { offset }) => {
            Err(crate::error::ReadError::syntax(
                "malformed XML: content after the root element",
                offset,
            )
            .into_de_error(xml))
        }
        Err(e) => Err(e.into_de_error(xml)),
    }
}

/// The root element's start tag.
fn root<'a>(
    c: &mut Cursor<'a>,
) -> Result<crate::read::cursor::StartTag<'a>, crate::error::ReadError> {
    match c.next_significant()? {
        Token::Start(s) => Ok(s),
        Token::Eof { offset } => Err(crate::error::ReadError::syntax(
            "malformed XML: the document has no root element",
            offset,
        )),
        Token::Text { offset, .. } | Token::End { offset } => Err(crate::error::ReadError::syntax(
            "malformed XML: text before the root element",
            offset,
        )),
    }
}

#[cfg(test)]
mod tests {
    use rpclib_core::ComplexModel;
    use rpclib_core::model::Nillable;

    use super::*;

    #[derive(Debug, Clone, PartialEq, ComplexModel)]
    #[model(namespace = "urn:t")]
    struct Inner {
        #[model(attribute)]
        id: Option<String>,
        #[model(unwrapped, min_occurs = 0, max_occurs = "unbounded")]
        item: Vec<i32>,
    }

    #[derive(Debug, Clone, PartialEq, ComplexModel)]
    #[model(namespace = "urn:t")]
    struct Outer {
        name: String,
        #[model(namespace = "urn:other")]
        inner: Inner,
        nil: Nillable<i32>,
        #[model(form = "unqualified")]
        plain: Option<String>,
    }

    fn outer() -> Outer {
        Outer {
            name: "a < b".into(),
            inner: Inner {
                id: Some("k".into()),
                item: vec![1, 2],
            },
            nil: Nillable::Nil,
            plain: Some("p".into()),
        }
    }

    #[test]
    fn round_trips() {
        let v = outer();
        let xml = to_element_xml(&v, "outer", "urn:t").unwrap();
        assert!(xml.starts_with("<s0:outer xmlns:s0=\"urn:t\">"), "{xml}");
        assert!(xml.contains("xsi:nil=\"true\""), "{xml}");
        assert!(xml.contains("<plain>p</plain>"), "{xml}");
        assert_eq!(from_element_xml::<Outer>(&xml).unwrap(), v);
        // Other prefixes, a default namespace, a prolog and a comment read the same.
        let other = concat!(
            "<?xml version=\"1.0\"?><!-- c -->",
            "<outer xmlns=\"urn:t\" xmlns:o=\"urn:other\" ",
            "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<name>a &lt; b</name><o:inner id=\"k\"><item>1</item><item>2</item></o:inner>",
            "<nil i:nil=\"true\"/><plain xmlns=\"\">p</plain></outer>\n"
        );
        assert_eq!(from_element_xml::<Outer>(other).unwrap(), v);
    }

    #[test]
    fn bad_documents_are_errors_with_positions() {
        let good = to_element_xml(&outer(), "outer", "urn:t").unwrap();
        for (bad, what) in [
            (String::new(), "no root element"),
            ("text".to_owned(), "text before the root"),
            (format!("{good}<x/>"), "a second root element"),
            (format!("{good}x"), "after"),
            (good.replace("</s0:outer>", ""), ""),
            ("<!DOCTYPE a><a/>".to_owned(), ""),
            (good.replace("<s0:name>a &lt; b</s0:name>", ""), ""),
        ] {
            let e = from_element_xml::<Outer>(&bad).expect_err(&bad);
            assert!(e.to_string().contains(what), "{bad}: {e}");
            assert!(
                e.position().is_some() || e.kind() != DeErrorKind::Syntax,
                "{bad}: {e}"
            );
        }
        let tight = Limits {
            max_input_bytes: 10,
            ..Limits::default()
        };
        let e = from_element_xml_with::<Outer>(&good, tight).unwrap_err();
        assert_eq!(e.kind(), DeErrorKind::Limit);
    }

    #[test]
    fn characters_xml_cannot_carry_are_write_errors() {
        let mut v = outer();
        v.name = "\u{1}".into();
        assert!(to_element_xml(&v, "outer", "urn:t").is_err());
    }
}
