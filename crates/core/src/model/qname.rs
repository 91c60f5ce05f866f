//! [`QName`] (`xs:QName`): a namespace and a local name, written in XML as `prefix:local`
//! with the prefix bound where the value appears.
//!
//! A QName's text only means something together with the namespace declarations in scope
//! where it is written, which a plain simple value never needs. So it travels through its own
//! pair of methods: [`Serializer::write_qualified`] (the XML writer declares a prefix on
//! demand) and [`Deserializer::read_qualified`] (the XML reader hands over the bindings in
//! scope at the value). Formats without prefixes (JSON, MessagePack, HttpRpc, the value tree)
//! keep the defaults of those methods and carry the [Clark notation](QName#clark-notation)
//! `{namespace}local` instead.

use std::fmt;

use super::primitive::trim_xml;
use super::{
    Constraints, DeError, Deserializer, FieldPath, LexicalError, Model, SerError, Serializer,
    SimpleKind, SimpleType, TypeRef, ValidationError,
};

/// The descriptor of `xs:QName`.
pub(crate) static QNAME: SimpleType = SimpleType {
    name: "QName",
    kind: SimpleKind::String,
};

/// The namespace bindings in scope where a QName was written, as a format that has prefixes
/// (XML) hands them to [`Deserializer::read_qualified`]'s visitor.
pub trait NamespaceScope {
    /// The namespace bound to `prefix` (`""`: the default namespace, which is `Some("")`, no
    /// namespace, when none is declared); `None` when `prefix` is not declared.
    fn namespace_of(&self, prefix: &str) -> Option<&str>;
}

/// Visitor of a qualified value's text: called once with the text and the namespaces in
/// scope where it was written (`None`: the format has no prefixes and writes QNames in Clark
/// notation).
pub type QualifiedVisitor<'a> =
    dyn FnMut(&str, Option<&dyn NamespaceScope>) -> Result<(), DeError> + 'a;

/// Whether values of `ty` hold QNames (`xs:QName`, a list of them): the types that are read
/// with [`Deserializer::read_qualified`] and written with [`Serializer::write_qualified`].
pub fn holds_qnames(ty: TypeRef) -> bool {
    match ty {
        TypeRef::Simple(s) => std::ptr::eq(s, &QNAME),
        TypeRef::List(item) => matches!(item(), TypeRef::Simple(s) if std::ptr::eq(s, &QNAME)),
        _ => false,
    }
}

/// `xs:QName`: a local name in a namespace (or in none).
///
/// In XML the value is written `prefix:local`: the SOAP writer declares a prefix for the
/// namespace on the element (or attribute's element) that holds the value unless one is in
/// scope, and the reader resolves the prefix against the declarations in scope there; an
/// unprefixed value is in the default namespace (no namespace when none is declared). A
/// prefix that is not declared is an error naming it.
///
/// # Clark notation
///
/// Formats without namespace declarations (JSON, MessagePack, HttpRpc) carry the value as
/// `{namespace}local` (James Clark's notation, which lxml, ElementTree and zeep use too), or
/// `local` alone for a name in no namespace. [`Display`](fmt::Display) and
/// [`FromStr`](std::str::FromStr) use the same form.
///
/// ```
/// use rpclib_core::model::QName;
/// use rpclib_core::model::value::{from_value, to_value, Value};
///
/// let name = QName::new("http://www.onvif.org/ver10/schema", "Profile").unwrap();
/// let v = to_value(&name).unwrap();
/// assert_eq!(v, Value::Simple("{http://www.onvif.org/ver10/schema}Profile".into()));
/// assert_eq!(from_value::<QName>(&v).unwrap(), name);
/// assert!("{urn:x}a:b".parse::<QName>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    namespace: String,
    local: String,
}

impl QName {
    /// The name `local` in `namespace` (`""`: no namespace); an error if `local` is not an
    /// NCName (a name without colons) or the namespace holds `{` or `}`, which Clark notation
    /// could not carry.
    pub fn new(
        namespace: impl Into<String>,
        local: impl Into<String>,
    ) -> Result<Self, LexicalError> {
        let namespace = namespace.into();
        let local = local.into();
        if namespace.contains(['{', '}']) {
            return Err(LexicalError::new(
                "QName",
                &format!("{{{namespace}}}{local}"),
                "a namespace cannot hold `{` or `}`",
            ));
        }
        check_local(&local, &local)?;
        Ok(QName { namespace, local })
    }

    /// The namespace (`""`: no namespace).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The local name.
    pub fn local_name(&self) -> &str {
        &self.local
    }

    /// Reads the Clark notation `{namespace}local` (or `local`, in no namespace).
    pub fn from_clark(text: &str) -> Result<Self, LexicalError> {
        let t = trim_xml(text);
        if t.is_empty() {
            return Err(LexicalError::new("QName", text, "a QName cannot be empty"));
        }
        let (namespace, local) = match t.strip_prefix('{') {
            None => ("", t),
            Some(rest) => rest.split_once('}').ok_or_else(|| {
                LexicalError::new("QName", text, "`{` opens a namespace that `}` never closes")
            })?,
        };
        if namespace.contains('{') {
            return Err(LexicalError::new(
                "QName",
                text,
                "a namespace cannot hold `{`",
            ));
        }
        check_local(local, text)?;
        Ok(QName {
            namespace: namespace.to_owned(),
            local: local.to_owned(),
        })
    }

    /// Reads `prefix:local` (or `local`, in the default namespace) with the prefix resolved
    /// in `scope`; an undeclared prefix is an error naming it.
    pub fn from_prefixed(text: &str, scope: &dyn NamespaceScope) -> Result<Self, LexicalError> {
        let t = trim_xml(text);
        if t.is_empty() {
            return Err(LexicalError::new("QName", text, "a QName cannot be empty"));
        }
        // A colon always introduces a prefix, which must be a name: `:a` is not `a`.
        let (prefix, local) = match t.split_once(':') {
            Some((prefix, local)) => {
                check_ncname(prefix).map_err(|reason| {
                    LexicalError::new("QName", text, format!("the prefix `{prefix}`: {reason}"))
                })?;
                (prefix, local)
            }
            None => ("", t),
        };
        check_local(local, text)?;
        let namespace = scope.namespace_of(prefix).ok_or_else(|| {
            LexicalError::new(
                "QName",
                text,
                format!("the namespace prefix `{prefix}` is not declared here"),
            )
        })?;
        Ok(QName {
            namespace: namespace.to_owned(),
            local: local.to_owned(),
        })
    }

    /// Reads a QName as a format hands it over: prefixed and resolved in `scope`, or in
    /// Clark notation when the format has no scope.
    pub fn read_in(text: &str, scope: Option<&dyn NamespaceScope>) -> Result<Self, LexicalError> {
        match scope {
            Some(scope) => Self::from_prefixed(text, scope),
            None => Self::from_clark(text),
        }
    }
}

/// The local part must be an NCName; `a:b:c` and `:a` fail here.
fn check_local(local: &str, text: &str) -> Result<(), LexicalError> {
    check_ncname(local).map_err(|reason| {
        LexicalError::new("QName", text, format!("the local name `{local}`: {reason}"))
    })
}

fn check_ncname(s: &str) -> Result<(), String> {
    super::NcName::new(s).map(drop).map_err(|e| e.reason)
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.local)
        } else {
            write!(f, "{{{}}}{}", self.namespace, self.local)
        }
    }
}

impl std::str::FromStr for QName {
    type Err = LexicalError;
    fn from_str(s: &str) -> Result<Self, LexicalError> {
        Self::from_clark(s)
    }
}

impl Model for QName {
    fn type_ref() -> TypeRef {
        TypeRef::Simple(&QNAME)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.write_qualified(Self::type_ref(), &[(&self.namespace, &self.local)])
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut out = None;
        d.read_qualified(Self::type_ref(), &mut |text, scope| {
            out = Some(QName::read_in(text, scope)?);
            Ok(())
        })?;
        out.ok_or_else(|| DeError::new("internal: no QName was read"))
    }

    fn validate(&self, c: &Constraints, p: &mut FieldPath) -> Result<(), ValidationError> {
        // Length facets are deprecated for QName (XSD 1.0 errata); a pattern applies to the
        // Clark form, the only text the value has without a document.
        if c.pattern.is_some() {
            super::validate::check_pattern(c, p, &self.to_string())?;
        }
        Ok(())
    }
}

/// Writes the names of a QName-holding value as a format without prefixes carries them:
/// Clark notation, space-separated for a list.
pub(crate) fn clark_text(names: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (i, (ns, local)) in names.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        if !ns.is_empty() {
            text.push('{');
            text.push_str(ns);
            text.push('}');
        }
        text.push_str(local);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::XmlList;

    struct Scope;
    impl NamespaceScope for Scope {
        fn namespace_of(&self, prefix: &str) -> Option<&str> {
            match prefix {
                "" => Some(""),
                "tt" => Some("urn:tt"),
                _ => None,
            }
        }
    }

    #[test]
    fn prefixed_names_resolve_in_scope() {
        let q = QName::from_prefixed(" tt:Profile\n", &Scope).unwrap();
        assert_eq!((q.namespace(), q.local_name()), ("urn:tt", "Profile"));
        let q = QName::from_prefixed("Local", &Scope).unwrap();
        assert_eq!((q.namespace(), q.local_name()), ("", "Local"));
    }

    #[test]
    fn bad_prefixed_names_say_what_is_wrong() {
        let cases = [
            ("zz:a", "prefix `zz` is not declared"),
            ("", "cannot be empty"),
            ("a:b:c", "local name `b:c`"),
            (":a", "prefix ``"),
            ("tt:", "local name ``"),
            ("1a", "local name `1a`"),
        ];
        for (text, expected) in cases {
            let e = QName::from_prefixed(text, &Scope).unwrap_err();
            assert!(e.to_string().contains(expected), "{text}: {e}");
            assert_eq!(e.type_name, "QName");
        }
    }

    #[test]
    fn clark_notation_round_trips() {
        for text in ["{urn:a}b", "b", "{http://x/y?z=1}a.b-c"] {
            let q: QName = text.parse().unwrap();
            assert_eq!(q.to_string(), text);
        }
        for bad in ["", "{urn:a", "{urn:a}", "{urn:a}b:c", "{a{b}c", "a}b"] {
            assert!(QName::from_clark(bad).is_err(), "{bad}");
        }
        assert!(QName::new("urn:{x}", "a").is_err());
        assert_eq!(clark_text(&[("urn:a", "b"), ("", "c")]), "{urn:a}b c");
    }

    #[test]
    fn only_qname_types_are_qualified() {
        assert!(holds_qnames(QName::type_ref()));
        assert!(holds_qnames(<XmlList<QName>>::type_ref()));
        assert!(!holds_qnames(String::type_ref()));
        assert!(!holds_qnames(<XmlList<String>>::type_ref()));
    }
}
