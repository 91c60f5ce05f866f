//! Sample values for the mock service (`--mock`, [`crate::Builder::mock`]): a `Sample` impl per
//! generated type and a sample expression per field, deterministic and valid against the
//! schema's facets where the model carries them.
//!
//! Rules: a required element is present, an optional one (`minOccurs="0"`) is absent, a list
//! holds `minOccurs` items; enumerations take their first value; strings are `"x"` repeated to
//! the minimum length (at least one character, never above the maximum); numbers are 1, moved
//! into the range facets (-1 for `negativeInteger`, 0 for `nonPositiveInteger`); dates and
//! times are fixed values (2000-01-01, 12:00:00, the year 2000, January, the first); a QName
//! is `sample` in the target namespace of the schema declaring the field; a required strict
//! element wildcard holds a declared element (see `wildcard_sample`), any other wildcard a
//! placeholder element of a namespace it allows; an attribute wildcard holds no attribute.
//! Known gap, because the model does not carry it to the emitter: `xs:pattern` is not
//! honoured.
//!
//! The trait lives in the generated code, not in rpclib-core: a sample is a testing device
//! tied to what the generator knows about facets, not a property of the model system.

use proc_macro2::TokenStream;
use quote::quote;

use super::ItemKey;
use super::builtin::Numeric;
use super::types::{Declared, Field, FieldFacets, Item, ItemKind, Ty};
use crate::ir::{MaxOccurs, Model, QName, TypeDef, TypeUse};

/// The expression of a field's sample value (its Rust type as `field_type` renders it),
/// from inside the `mock` module; `tns` is the target namespace of the schema declaring the
/// field (a QName sample names something there).
///
/// `elements` are the global elements with a generated type (see [`sample_elements`]): a
/// required strict wildcard's item is one of them (see `wildcard_sample`).
pub(crate) fn field_value(
    items: &[Item],
    f: &Field,
    tns: &str,
    elements: &[(QName, usize)],
) -> TokenStream {
    // A wildcard's item is an element of a namespace it allows: a declared one where the
    // wildcard is strict and required, else a placeholder.
    let declared = super::wildcard_sample::declared_element(items, f, elements);
    let wildcard = declared.or_else(|| {
        f.shape.wildcard_sample_namespace().map(|ns| {
            let xml = match ns {
                Some(ns) => format!(
                    "<s:sample xmlns:s=\"{}\"/>",
                    ns.replace('&', "&amp;")
                        .replace('"', "&quot;")
                        .replace('<', "&lt;")
                ),
                None => "<sample/>".to_owned(),
            };
            quote!(::rpclib_core::model::AnyXml::new(#xml))
        })
    });
    let one = || {
        if let Some(w) = &wildcard {
            return w.clone();
        }
        let mut v = base_value(items, &f.ty, &f.facets, tns);
        if let Some(Declared::Fixed(text)) = &f.facets.value {
            // The only valid value; the usual sample if the schema's text is not one of the
            // type (the mock must not panic over a schema error).
            v = quote!(::rpclib_core::model::value::from_value(
                &::rpclib_core::model::value::Value::Simple(::std::string::String::from(#text))
            )
            .unwrap_or_else(|_| #v));
        }
        if f.boxed {
            quote!(::std::boxed::Box::new(#v))
        } else {
            v
        }
    };
    if f.base {
        return one();
    }
    if f.max != MaxOccurs::Bounded(1) {
        let n = f.min as usize;
        if n == 0 {
            return quote!(::std::vec::Vec::new());
        }
        let v = one();
        return quote!(::std::iter::repeat_with(|| #v).take(#n).collect());
    }
    if f.min == 0 {
        return quote!(::std::option::Option::None);
    }
    let v = one();
    if f.nillable {
        quote!(::rpclib_core::model::Nillable::Value(#v))
    } else {
        v
    }
}

fn base_value(items: &[Item], ty: &Ty, fc: &FieldFacets, tns: &str) -> TokenStream {
    if let (false, Some(member)) = (matches!(ty, Ty::List(_)), &fc.union_member) {
        // (A list's items are the union's values: the list's own arm below.)
        // A union's sample is its first member's, as text when the union is carried as text.
        let (member_ty, member_facets) = &**member;
        let v = base_value(items, member_ty, member_facets, tns);
        if member_ty == ty {
            return v;
        }
        return quote!(match ::rpclib_core::model::value::to_value(&#v) {
            ::std::result::Result::Ok(::rpclib_core::model::value::Value::Simple(text)) => text,
            _ => ::std::string::String::from("x"),
        });
    }
    let rust = match ty {
        Ty::Item(i) => {
            let it = &items[*i];
            let m = super::render::ident(&it.module);
            let n = super::render::ident(&it.rust_name);
            return quote!(<super::#m::#n as Sample>::sample());
        }
        Ty::List(item) => {
            let v = base_value(items, item, fc, tns);
            return quote!(::rpclib_core::model::XmlList(::std::vec![#v]));
        }
        Ty::Rust(r) => *r,
    };
    let lexical = |text: String| {
        let t: TokenStream = rust.parse().unwrap_or_default();
        // A constant the generator chose for this type: failing to parse it is a generator
        // bug, not bad input.
        quote!(<#t as ::rpclib_core::model::Lexical>::parse_lexical(#text)
            .expect("a sample lexical form the generator chose for this type"))
    };
    // A length within the facets: the minimum, at least one, never above the maximum.
    let len = {
        let min = fc.min_len.unwrap_or(1).max(1);
        let len = fc.max_len.map_or(min, |max| min.min(max.max(1)));
        usize::try_from(len).unwrap_or(1).min(4096)
    };
    match rust {
        "bool" => quote!(false),
        "::std::string::String" => {
            let s = "x".repeat(len);
            quote!(::std::string::String::from(#s))
        }
        // `x...` is a normalizedString, token, Name, NCName, ID, IDREF, NMTOKEN, a relative
        // URI reference, and (up to 8 letters) a language tag.
        "::rpclib_core::model::NormalizedString"
        | "::rpclib_core::model::Token"
        | "::rpclib_core::model::Name"
        | "::rpclib_core::model::NcName"
        | "::rpclib_core::model::Id"
        | "::rpclib_core::model::IdRef"
        | "::rpclib_core::model::NmToken"
        | "::rpclib_core::model::AnyUri" => lexical("x".repeat(len)),
        "::rpclib_core::model::Language" => lexical("x".repeat(len.min(8))),
        // Length facets of hexBinary count octets.
        "::rpclib_core::model::HexBinary" => lexical("0A".repeat(len)),
        "::rpclib_core::model::GYear" => lexical("2000".into()),
        "::rpclib_core::model::GYearMonth" => lexical("2000-01".into()),
        "::rpclib_core::model::GMonth" => lexical("--01".into()),
        "::rpclib_core::model::GMonthDay" => lexical("--01-01".into()),
        "::rpclib_core::model::GDay" => lexical("---01".into()),
        "::rpclib_core::model::NegativeInteger" => lexical(int_in_range(fc, -1).to_string()),
        "::rpclib_core::model::NonPositiveInteger" => lexical(int_in_range(fc, 0).to_string()),
        "::rpclib_core::model::AnyXml" => quote!(::std::default::Default::default()),
        // No wildcard attribute: every attribute wildcard allows none.
        "::rpclib_core::model::AnyAttributes" => quote!(::rpclib_core::model::AnyAttributes::new()),
        // A name in the schema's own namespace, which a reader can resolve wherever the
        // writer declares its prefix.
        "::rpclib_core::model::QName" => quote!(::rpclib_core::model::QName::new(#tns, "sample")
            .expect("a sample QName the generator chose")),
        "::rpclib_core::model::ByteArray" => lexical("AAAA".into()),
        "::rpclib_core::model::Date" => lexical("2000-01-01".into()),
        "::rpclib_core::model::Time" => lexical("12:00:00".into()),
        "::rpclib_core::model::DateTime" => lexical("2000-01-01T12:00:00Z".into()),
        "::rpclib_core::model::Duration" => lexical("PT1S".into()),
        "f32" | "f64" | "::rpclib_core::model::Decimal" => {
            let v = float_in_range(fc);
            if rust == "::rpclib_core::model::Decimal" {
                lexical(format!("{v}"))
            } else {
                let lit: TokenStream = format!("{v:?}{rust}").parse().unwrap_or_default();
                lit
            }
        }
        _ => {
            let v = int_in_range(fc, 1);
            if rust.starts_with("::") {
                lexical(v.to_string())
            } else {
                let lit: TokenStream = format!("{v}{rust}").parse().unwrap_or_default();
                lit
            }
        }
    }
}

fn bound(v: &Option<(String, Numeric)>) -> Option<&str> {
    v.as_ref().map(|(s, _)| s.trim().trim_start_matches('+'))
}

/// `start` (1, or -1 and 0 for the negative types), moved into the range facets (the lower
/// bound first).
fn int_in_range(fc: &FieldFacets, start: i128) -> i128 {
    let int = |v| bound(v).and_then(|s| s.parse::<i128>().ok());
    let mut v = start;
    if let Some(hi) = int(&fc.max_inclusive) {
        v = v.min(hi);
    }
    if let Some(hi) = int(&fc.max_exclusive) {
        v = v.min(hi.saturating_sub(1));
    }
    if let Some(lo) = int(&fc.min_inclusive) {
        v = v.max(lo);
    }
    if let Some(lo) = int(&fc.min_exclusive) {
        v = v.max(lo.saturating_add(1));
    }
    v
}

fn float_in_range(fc: &FieldFacets) -> f64 {
    let num = |v| bound(v).and_then(|s| s.parse::<f64>().ok());
    let mut v = 1.0f64;
    if let Some(hi) = num(&fc.max_inclusive) {
        v = v.min(hi);
    }
    if let Some(hi) = num(&fc.max_exclusive) {
        v = v.min(hi - 1.0);
    }
    if let Some(lo) = num(&fc.min_inclusive) {
        v = v.max(lo);
    }
    if let Some(lo) = num(&fc.min_exclusive) {
        // Between the bounds when both are exclusive and close.
        v = match num(&fc.max_exclusive) {
            Some(hi) if hi - lo <= 1.0 => (lo + hi) / 2.0,
            _ => v.max(lo + 1.0),
        };
    }
    v
}

/// `impl Sample for` every item, from inside the `mock` module.
pub(crate) fn impls(items: &[Item], elements: &[(QName, usize)]) -> TokenStream {
    let all = items.iter().map(|it| {
        let m = super::render::ident(&it.module);
        let n = super::render::ident(&it.rust_name);
        let body = match &it.kind {
            ItemKind::Enum(values) => {
                let first = super::render::variant_idents(values)
                    .into_iter()
                    .next()
                    .map(|v| super::render::ident(&v));
                match first {
                    Some(v) => quote!(super::#m::#n::#v),
                    // An enumeration without values has no valid sample.
                    None => quote!(unreachable!("an enumeration without values")),
                }
            }
            // The first alternative.
            ItemKind::Choice(alternatives) => {
                let first = alternatives.first().zip(
                    super::render::choice_idents(alternatives)
                        .into_iter()
                        .next(),
                );
                match first {
                    Some((f, v)) => {
                        let v = super::render::ident(&v);
                        let value = field_value(
                            items,
                            &Field {
                                nillable: false,
                                ..f.clone()
                            },
                            &it.ns,
                            elements,
                        );
                        if f.nillable && f.max == MaxOccurs::Bounded(1) {
                            quote!(super::#m::#n::#v(::rpclib_core::model::Nillable::Value(#value)))
                        } else {
                            quote!(super::#m::#n::#v(#value))
                        }
                    }
                    None => quote!(unreachable!("a choice without alternatives")),
                }
            }
            // The first variant: the base unless abstract, else the first derived type by
            // name (the SOAP writer gives a derived type its `xsi:type`).
            ItemKind::Polymorphic { variants, .. } => {
                let first = variants
                    .first()
                    .zip(super::render::choice_idents(variants).into_iter().next());
                match first {
                    Some((f, v)) => {
                        let v = super::render::ident(&v);
                        let value = field_value(items, f, &it.ns, elements);
                        quote!(super::#m::#n::#v(#value))
                    }
                    None => quote!(unreachable!("a polymorphic value without variants")),
                }
            }
            ItemKind::Struct(fields) => {
                let names = super::render::field_idents(fields);
                let inits = fields.iter().zip(names).map(|(f, id)| {
                    let id = super::render::ident(&id);
                    let v = field_value(items, f, &it.ns, elements);
                    quote!(#id: #v,)
                });
                quote!(super::#m::#n { #(#inits)* })
            }
        };
        quote! {
            impl Sample for super::#m::#n {
                fn sample() -> Self { #body }
            }
        }
    });
    quote!(#(#all)*)
}

/// The global elements whose type is a generated item (abstract ones aside), each with that
/// item, in name order:
/// the documents the round trip writes (a named type's element, or an element's own
/// anonymous type; elements of built-in types have no item of their own).
pub(crate) fn sample_elements(model: &Model, items: &[Item]) -> Vec<(QName, usize)> {
    let find = |key: &ItemKey| items.iter().position(|it| it.key == *key);
    model
        .schema
        .elements
        .iter()
        // An abstract element is never a document's root (its substitution group's members
        // stand for it).
        .filter(|(_, decl)| !decl.is_abstract)
        .filter_map(|(q, decl)| {
            let own = find(&ItemKey::Element(q.clone()));
            let i = match &decl.ty {
                // A type with derived types: its polymorphic value (an abstract type's sample
                // is a derived type, with its `xsi:type`); an abstract type without one has no
                // valid document.
                TypeUse::Named(t) => own
                    .or_else(|| find(&ItemKey::Polymorphic(t.clone())))
                    .or_else(|| match model.schema.types.get(t) {
                        Some(TypeDef::Complex(ct)) if ct.is_abstract => None,
                        _ => find(&ItemKey::Named(t.clone())),
                    }),
                TypeUse::Anonymous(_) => own,
                TypeUse::Default => None,
            }?;
            Some((q.clone(), i))
        })
        .collect()
}

/// `SAMPLE_ELEMENTS`, `write_samples` and `read_samples` (inside the `mock` module): each
/// global element's sample written as a document of its own, and read back and compared.
pub(crate) fn round_trip(items: &[Item], elements: &[(QName, usize)]) -> TokenStream {
    let rows: Vec<(String, &QName, TokenStream)> = elements
        .iter()
        .enumerate()
        .map(|(n, (q, i))| {
            let safe: String = q
                .local
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let it = &items[*i];
            let m = super::render::ident(&it.module);
            let t = super::render::ident(&it.rust_name);
            (format!("{n:03}_{safe}.xml"), q, quote!(super::#m::#t))
        })
        .collect();
    let list = rows.iter().map(|(f, q, _)| {
        let (local, ns) = (&q.local, &q.ns);
        quote!((#f, #local, #ns))
    });
    let writes = rows.iter().map(|(f, q, t)| {
        let (local, ns) = (&q.local, &q.ns);
        quote! {
            let xml = ::rpclib_protocol_soap::to_element_xml(&<#t as Sample>::sample(), #local, #ns)
                .map_err(|e| ::std::format!("{}: {e}", #f))?;
            ::std::fs::write(dir.join(#f), xml)?;
        }
    });
    let reads = rows.iter().map(|(f, _, t)| {
        quote! {
            let text = ::std::fs::read_to_string(dir.join(#f))?;
            let value: #t = ::rpclib_protocol_soap::from_element_xml(&text)
                .map_err(|e| ::std::format!("{}: {e}", #f))?;
            if value != <#t as Sample>::sample() {
                return ::std::result::Result::Err(
                    ::std::format!("{}: reads back as a different value: {value:?}", #f).into(),
                );
            }
        }
    });
    let n = rows.len();
    // Without elements, `dir` is not used: say so rather than leave a warning.
    let unused = rows.is_empty().then(|| quote!(let _ = dir;));
    quote! {
        /// The global elements whose type is generated: (file name, element name, namespace),
        /// the documents [`write_samples`] writes.
        pub const SAMPLE_ELEMENTS: &[(&str, &str, &str)] = &[#(#list),*];

        /// Writes each element of [`SAMPLE_ELEMENTS`] holding its type's sample into `dir`, a
        /// document per element (to validate against the schema); the number written.
        pub fn write_samples(dir: &::std::path::Path) -> ::std::result::Result<
            usize,
            ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>,
        > {
            #unused
            #(#writes)*
            ::std::result::Result::Ok(#n)
        }

        /// Reads back every document [`write_samples`] wrote into `dir` and checks that each
        /// equals its sample; the number checked.
        pub fn read_samples(dir: &::std::path::Path) -> ::std::result::Result<
            usize,
            ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>,
        > {
            #unused
            #(#reads)*
            ::std::result::Result::Ok(#n)
        }
    }
}
