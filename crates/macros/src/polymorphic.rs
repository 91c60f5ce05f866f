//! `#[derive(Polymorphic)]`: an enum of newtype variants, each a complex type, as one value
//! that is a base type or any of its declared subtypes (`xsi:type` in XML).
//!
//! Sugar over `rpclib_core::model::PolymorphicType`: the derive writes the `static`
//! descriptor and the `Model` implementation its documentation shows written by hand.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Fields, LitStr, Type};

use crate::attr::{default_crate, doc_of, opt_str};
use crate::ctxt::Ctxt;

/// `#[polymorphic(abstract_base = Path, crate = "path")]` on the enum.
#[derive(Default)]
struct PolyAttrs {
    abstract_base: Option<Type>,
    krate: Option<syn::Path>,
    name: Option<LitStr>,
}

fn parse_attrs(cx: &Ctxt, attrs: &[Attribute]) -> PolyAttrs {
    let mut out = PolyAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("polymorphic")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("abstract_base") {
                out.abstract_base = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("crate") {
                let s: LitStr = meta.value()?.parse()?;
                out.krate = Some(s.parse()?);
            } else if meta.path.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error(
                    "unknown `polymorphic` attribute: expected `abstract_base`, `name` or `crate`",
                ));
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
    out
}

pub(crate) fn derive(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let attrs = parse_attrs(&cx, &input.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    if !input.generics.params.is_empty() {
        cx.error(
            &input.generics,
            "`Polymorphic` cannot be derived for generic types",
        );
    }
    let mut variants: Vec<(syn::Ident, Type)> = Vec::new();
    match &input.data {
        Data::Enum(e) => {
            if e.variants.is_empty() {
                cx.error(
                    &input.ident,
                    "a `Polymorphic` enum needs at least one variant",
                );
            }
            for v in &e.variants {
                match &v.fields {
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                        variants.push((v.ident.clone(), f.unnamed[0].ty.clone()));
                    }
                    _ => cx.error(
                        v,
                        "a `Polymorphic` variant holds one value of a complex type \
                         (`Variant(T)`, `T: ComplexModel`, or `Box<T>` to break a cycle)",
                    ),
                }
            }
        }
        _ => cx.error(
            &input.ident,
            "`Polymorphic` is for enums with newtype variants",
        ),
    }
    if let Err(e) = cx.check() {
        return e;
    }
    let ident = &input.ident;
    let name = attrs
        .name
        .map(|n| n.value())
        .unwrap_or_else(|| ident.to_string());
    let doc = opt_str(doc_of(&input.attrs).as_deref());
    // The base: named when abstract (no variant holds it), else the first variant's type.
    let (base, is_abstract) = match &attrs.abstract_base {
        Some(t) => (t.clone(), true),
        None => (variants[0].1.clone(), false),
    };
    let idents: Vec<_> = variants.iter().map(|v| &v.0).collect();
    let keys: Vec<String> = idents.iter().map(|i| i.to_string()).collect();
    let tys: Vec<_> = variants.iter().map(|v| &v.1).collect();
    let indices: Vec<usize> = (0..variants.len()).collect();
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const _: () = {
            static __POLYMORPHIC_TYPE: #krate::model::PolymorphicType = #krate::model::PolymorphicType {
                base: <#base as #krate::ComplexModel>::complex_type,
                abstract_base: #is_abstract,
                alternatives: #krate::model::ChoiceType {
                    name: #name,
                    namespace: ::core::option::Option::None,
                    variants: &[#(#krate::model::PolymorphicType::variant(
                        #keys,
                        <#tys as #krate::Model>::type_ref,
                    )),*],
                    doc: #doc,
                },
            };

            #[automatically_derived]
            impl #krate::Model for #ident {
                fn type_ref() -> #krate::model::TypeRef {
                    #krate::model::TypeRef::Polymorphic(&__POLYMORPHIC_TYPE)
                }

                fn serialize(&self, s: &mut dyn #krate::model::Serializer) -> #krate::hygiene::Result<(), #krate::model::SerError> {
                    match self {
                        #(Self::#idents(v) => s.write_polymorphic(&__POLYMORPHIC_TYPE, #indices, v),)*
                    }
                }

                fn deserialize(d: &mut dyn #krate::model::Deserializer) -> #krate::hygiene::Result<Self, #krate::model::DeError> {
                    let variants = __POLYMORPHIC_TYPE.alternatives.variants;
                    let mut out = #krate::hygiene::None;
                    d.read_polymorphic(&__POLYMORPHIC_TYPE, &mut |index, d| {
                        out = #krate::hygiene::Some(match index {
                            #(#indices => Self::#idents(#krate::model::deserialize_variant::<#tys>(&variants[#indices], d)?),)*
                            _ => return #krate::hygiene::Err(#krate::model::unknown_variant(&__POLYMORPHIC_TYPE.alternatives, index)),
                        });
                        #krate::hygiene::Ok(())
                    })?;
                    out.ok_or_else(|| #krate::model::unknown_variant(&__POLYMORPHIC_TYPE.alternatives, usize::MAX))
                }

                fn validate(
                    &self,
                    constraints: &#krate::model::Constraints,
                    path: &mut #krate::model::FieldPath,
                ) -> #krate::hygiene::Result<(), #krate::model::ValidationError> {
                    match self {
                        #(Self::#idents(v) => #krate::Model::validate(v, constraints, path),)*
                    }
                }
            }
        };
    }
}
