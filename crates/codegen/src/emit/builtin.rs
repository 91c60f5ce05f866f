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
        "integer" => r("::rpclib_core::model::BigInt", Int),
        "negativeInteger" => r("::rpclib_core::model::NegativeInteger", Int),
        "nonPositiveInteger" => r("::rpclib_core::model::NonPositiveInteger", Int),
        "positiveInteger" => r("::rpclib_core::model::PositiveInteger", Int),
        "nonNegativeInteger" => r("::rpclib_core::model::BigUint", Int),
        "float" => r("f32", Float),
        "double" => r("f64", Float),
        "decimal" => r("::rpclib_core::model::Decimal", Float),
        "base64Binary" => r("::rpclib_core::model::ByteArray", No),
        "hexBinary" => r("::rpclib_core::model::HexBinary", No),
        "date" => r("::rpclib_core::model::Date", No),
        "time" => r("::rpclib_core::model::Time", No),
        "dateTime" => r("::rpclib_core::model::DateTime", No),
        "duration" => r("::rpclib_core::model::Duration", No),
        "gYear" => r("::rpclib_core::model::GYear", No),
        "gYearMonth" => r("::rpclib_core::model::GYearMonth", No),
        "gMonth" => r("::rpclib_core::model::GMonth", No),
        "gMonthDay" => r("::rpclib_core::model::GMonthDay", No),
        "gDay" => r("::rpclib_core::model::GDay", No),
        "anyType" => r("::rpclib_core::model::AnyXml", No),
        "string" => r("::std::string::String", No),
        // The string types derived by restriction: each checks its lexical space when read
        // and built, and applies its whitespace rule.
        "normalizedString" => r("::rpclib_core::model::NormalizedString", No),
        "token" => r("::rpclib_core::model::Token", No),
        "language" => r("::rpclib_core::model::Language", No),
        "Name" => r("::rpclib_core::model::Name", No),
        "NCName" => r("::rpclib_core::model::NcName", No),
        "ID" => r("::rpclib_core::model::Id", No),
        "IDREF" => r("::rpclib_core::model::IdRef", No),
        "NMTOKEN" => r("::rpclib_core::model::NmToken", No),
        "anyURI" => r("::rpclib_core::model::AnyUri", No),
        // List types (IDREFS, ENTITIES, NMTOKENS) are whitespace-separated lists, and an
        // ENTITY names an unparsed entity of a DTD SOAP forbids: all written and read as the
        // exact text, which is wire-exact. anySimpleType has no lexical constraint at all.
        "ENTITY" | "IDREFS" | "ENTITIES" | "NMTOKENS" | "anySimpleType" => {
            r("::std::string::String", No)
        }
        // The namespace a QName's prefix is bound to travels with the value (prefixes are
        // resolved where it is read and declared where it is written).
        "QName" => r("::rpclib_core::model::QName", No),
        // A NOTATION names a notation declared in a DTD, which SOAP forbids.
        "NOTATION" => Some(Builtin::Refused(
            "xs:NOTATION names a DTD notation, and SOAP messages cannot carry a DTD",
        )),
        _ => None,
    }
}

/// Whether the Rust type of a built-in is text (`String` or one of the string types derived
/// from it): an enumeration restricting it becomes a `SimpleEnum`.
pub(crate) fn is_text(rust: &str) -> bool {
    matches!(
        rust,
        "::std::string::String"
            | "::rpclib_core::model::NormalizedString"
            | "::rpclib_core::model::Token"
            | "::rpclib_core::model::Language"
            | "::rpclib_core::model::Name"
            | "::rpclib_core::model::NcName"
            | "::rpclib_core::model::Id"
            | "::rpclib_core::model::IdRef"
            | "::rpclib_core::model::NmToken"
            | "::rpclib_core::model::AnyUri"
    )
}
