//! Sample values for the mock service (`--mock`, [`crate::Builder::mock`]): a `Sample` impl per
//! generated type and a sample expression per field, deterministic and valid against the
//! schema's facets where the model carries them.
//!
//! Rules: a required element is present, an optional one (`minOccurs="0"`) is absent, a list
//! holds `minOccurs` items; enumerations take their first value; strings are `"x"` repeated to
//! the minimum length (at least one character, never above the maximum); numbers are 1, moved
//! into the range facets; dates and times are fixed values (2000-01-01, 12:00:00).
//! Known gaps, because the model does not carry them to the emitter: `xs:pattern` is not
//! honoured, and `negativeInteger`/`nonPositiveInteger` (both `BigInt`) get 1.
//!
//! The trait lives in the generated code, not in rpclib-core: a sample is a testing device
//! tied to what the generator knows about facets, not a property of the model system.

use proc_macro2::TokenStream;
use quote::quote;

use super::builtin::Numeric;
use super::types::{Field, FieldFacets, Item, ItemKind, Ty};
use crate::ir::MaxOccurs;

/// The expression of a field's sample value (its Rust type as `field_type` renders it),
/// from inside the `mock` module.
pub(crate) fn field_value(items: &[Item], f: &Field) -> TokenStream {
    // A wildcard's item is an element of a namespace it allows.
    let wildcard = f.shape.wildcard_sample_namespace().map(|ns| {
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
    });
    let one = || {
        if let Some(w) = &wildcard {
            return w.clone();
        }
        let v = base_value(items, &f.ty, &f.facets);
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
        quote!(::std::option::Option::Some(#v))
    } else {
        v
    }
}

fn base_value(items: &[Item], ty: &Ty, fc: &FieldFacets) -> TokenStream {
    let rust = match ty {
        Ty::Item(i) => {
            let it = &items[*i];
            let m = super::render::ident(&it.module);
            let n = super::render::ident(&it.rust_name);
            return quote!(<super::#m::#n as Sample>::sample());
        }
        Ty::List(item) => {
            let v = base_value(items, item, fc);
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
    match rust {
        "bool" => quote!(false),
        "::std::string::String" => {
            let min = fc.min_len.unwrap_or(1).max(1);
            let len = fc.max_len.map_or(min, |max| min.min(max.max(1)));
            let s = "x".repeat(usize::try_from(len).unwrap_or(1).min(4096));
            quote!(::std::string::String::from(#s))
        }
        "::rpclib_core::model::AnyXml" => quote!(::std::default::Default::default()),
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
            let v = int_in_range(fc);
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

/// 1, moved into the range facets (the lower bound first).
fn int_in_range(fc: &FieldFacets) -> i128 {
    let int = |v| bound(v).and_then(|s| s.parse::<i128>().ok());
    let mut v = 1i128;
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
pub(crate) fn impls(items: &[Item]) -> TokenStream {
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
            ItemKind::Struct(fields) => {
                let names = super::render::field_idents(fields);
                let inits = fields.iter().zip(names).map(|(f, id)| {
                    let id = super::render::ident(&id);
                    let v = field_value(items, f);
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
