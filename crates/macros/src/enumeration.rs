//! `#[derive(SimpleEnum)]`: a fieldless enum as an XSD string enumeration.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::attr::{ContainerAttrs, default_crate, doc_of, opt_str};
use crate::ctxt::Ctxt;

fn variant_name(cx: &Ctxt, variant: &syn::Variant) -> String {
    let mut name = variant.ident.to_string();
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") || meta.path.is_ident("name") {
                let s: LitStr = meta.value()?.parse()?;
                name = s.value();
                Ok(())
            } else {
                Err(meta.error("unknown variant attribute; expected `name`"))
            }
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
    name
}

pub(crate) fn derive(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let container = ContainerAttrs::parse(&cx, &input.attrs);
    let krate = container.krate.clone().unwrap_or_else(default_crate);
    if !input.generics.params.is_empty() {
        cx.error(
            &input.generics,
            "`SimpleEnum` cannot be derived for generic types",
        );
    }
    let mut idents = Vec::new();
    let mut names = Vec::new();
    match &input.data {
        Data::Enum(e) => {
            if e.variants.is_empty() {
                cx.error(&input.ident, "a `SimpleEnum` needs at least one variant");
            }
            for v in &e.variants {
                if !matches!(v.fields, Fields::Unit) {
                    cx.error(
                        &v.fields,
                        "`SimpleEnum` variants carry no data: each is one string value",
                    );
                }
                let name = variant_name(&cx, v);
                if names.contains(&name) {
                    cx.error(&v.ident, format!("the value {name:?} is used twice"));
                }
                idents.push(v.ident.clone());
                names.push(name);
            }
        }
        _ => cx.error(&input.ident, "`SimpleEnum` is for fieldless enums"),
    }
    if let Err(e) = cx.check() {
        return e;
    }
    let ident = &input.ident;
    let type_name = container
        .name
        .map(|n| n.value())
        .unwrap_or_else(|| ident.to_string());
    let namespace = opt_str(container.namespace.as_ref().map(|n| n.value()).as_deref());
    let doc = opt_str(doc_of(&input.attrs).as_deref());
    let expected = names.join(", ");
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const _: () = {
            static __ENUM_TYPE: #krate::model::EnumType = #krate::model::EnumType {
                name: #type_name,
                namespace: #namespace,
                values: &[#(#names),*],
                doc: #doc,
            };

            #[automatically_derived]
            impl #krate::Model for #ident {
                fn type_ref() -> #krate::model::TypeRef {
                    #krate::model::TypeRef::Enum(&__ENUM_TYPE)
                }

                fn serialize(&self, s: &mut dyn #krate::model::Serializer) -> #krate::hygiene::Result<(), #krate::model::SerError> {
                    let text = match self {
                        #(Self::#idents => #names,)*
                    };
                    s.write_simple(#krate::model::TypeRef::Enum(&__ENUM_TYPE), text)
                }

                fn deserialize(d: &mut dyn #krate::model::Deserializer) -> #krate::hygiene::Result<Self, #krate::model::DeError> {
                    let text = d.read_simple(#krate::model::TypeRef::Enum(&__ENUM_TYPE))?;
                    match text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                        #(#names => #krate::hygiene::Ok(Self::#idents),)*
                        _ => #krate::hygiene::Err(#krate::model::DeError::from(#krate::model::LexicalError::new(
                            #type_name,
                            &text,
                            ::core::concat!("expected one of: ", #expected),
                        ))),
                    }
                }
            }
        };
    }
}
