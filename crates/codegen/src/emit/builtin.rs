//! The XSD built-in types and the Rust type each maps to.

/// What a built-in type becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// A Rust type (a path as text), and whether range facets apply (numbers).
    Rust(&'static str, Numeric),
    /// A type the model system cannot represent faithfully; the string names the reason.
    Refused(&'static str),
}

/// Whether range facets can be written for the type, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Numeric {
    /// Not a number: no range facets.
    No,
    /// An integer type: integer bounds.
    Int,
    /// A floating-point or decimal type: float bounds.
    Float,
}

/// The mapping of the built-in type `local` of the XML Schema namespace; `None` when the name
/// is not a built-in type.
pub(crate) fn builtin(local: &str) -> Option<Builtin> {
    use Numeric::*;
    let r = |t, n| Some(Builtin::Rust(t, n));
    match local {
        "boolean" => r("bool", No),
        "byte" => r("i8", Int),
        "short" => r("i16", Int),
        "int" => r("i32", Int),
        "long" => r("i64", Int),
        "unsignedByte" => r("u8", Int),
        "unsignedShort" => r("u16", Int),
        "unsignedInt" => r("u32", Int),
        "unsignedLong" => r("u64", Int),
        "integer" | "negativeInteger" | "nonPositiveInteger" => {
            r("::rpclib_core::model::BigInt", Int)
        }
        "nonNegativeInteger" | "positiveInteger" => r("::rpclib_core::model::BigUint", Int),
        "float" => r("f32", Float),
        "double" => r("f64", Float),
        "decimal" => r("::rpclib_core::model::Decimal", Float),
        "base64Binary" => r("::rpclib_core::model::ByteArray", No),
        "date" => r("::rpclib_core::model::Date", No),
        "time" => r("::rpclib_core::model::Time", No),
        "dateTime" => r("::rpclib_core::model::DateTime", No),
        "duration" => r("::rpclib_core::model::Duration", No),
        "anyType" => r("::rpclib_core::model::AnyXml", No),
        // Types whose lexical space is a string with no further value semantics the model
        // system has a type for: written and read as the exact text, which is wire-exact.
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "ID"
        | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "NMTOKEN" | "NMTOKENS" | "anyURI"
        | "anySimpleType" | "hexBinary" | "gYear" | "gYearMonth" | "gMonth" | "gMonthDay"
        | "gDay" => r("::std::string::String", No),
        // A QName's prefix is bound by the document it travels in: text alone loses that.
        "QName" | "NOTATION" => Some(Builtin::Refused(
            "a QName value needs its namespace bindings, which the model system does not carry yet",
        )),
        _ => None,
    }
}
