//! `#[derive(Choice)]`: an enum of newtype variants as an XSD choice (`xs:choice`), one
//! alternative element per variant.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::attr::{ContainerAttrs, FieldAttrs, Form, default_crate, doc_of, opt_str};
use crate::complex::{FieldSpec, field_descriptor, is_vec_like};
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let container = ContainerAttrs::parse(&cx, &input.attrs);
    let krate = container.krate.clone().unwrap_or_else(default_crate);
    if !input.generics.params.is_empty() {
        cx.error(
            &input.generics,
            "`Choice` cannot be derived for generic types",
        );
    }
    let mut variants = Vec::new();
    match &input.data {
        Data::Enum(e) => {
            if e.variants.is_empty() {
                cx.error(&input.ident, "a `Choice` needs at least one alternative");
            }
            for v in &e.variants {
                let ty = match &v.fields {
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed[0].ty.clone(),
                    _ => {
                        cx.error(
                            v,
                            "a `Choice` variant holds one value, the alternative element's \
                             (`Variant(T)`)",
                        );
                        continue;
                    }
                };
                let mut attrs = FieldAttrs::parse(&cx, &krate, &v.attrs);
                if attrs.attribute.is_some()
                    || attrs.text.is_some()
                    || attrs.base.is_some()
                    || attrs.any.is_some()
                {
                    cx.error(
                        &v.ident,
                        "an alternative is an element: `attribute`, `text`, `base` and `any` do \
                         not apply",
                    );
                }
                // A repeated alternative (`<xs:element maxOccurs="unbounded">` in the choice)
                // is a run of its elements: an unwrapped `Vec`.
                if is_vec_like(&ty) && attrs.unwrapped.is_none() {
                    cx.error(
                        &ty,
                        "a repeated alternative is a run of elements: mark it `unwrapped`",
                    );
                }
                if !is_vec_like(&ty)
                    && (attrs.unwrapped.is_some()
                        || attrs.min_occurs.is_some()
                        || attrs.max_occurs.is_some())
                {
                    cx.error(
                        &v.ident,
                        "`unwrapped`, `min_occurs` and `max_occurs` apply to a repeated \
                         alternative (`Vec<T>`) only",
                    );
                }
                // A run of an alternative's elements has at least one (an empty run could not
                // tell which alternative it is).
                if attrs.unwrapped.is_some() && attrs.min_occurs.is_none() {
                    attrs.min_occurs = Some(1);
                }
                if attrs.form.is_none() && attrs.namespace.is_none() {
                    attrs.form = container.element_form.or(Some(Form::Qualified));
                }
                let wire_name = attrs
                    .name
                    .as_ref()
                    .map(|n| n.value())
                    .unwrap_or_else(|| v.ident.to_string());
                if variants
                    .iter()
                    .any(|s: &FieldSpec| s.wire_name == wire_name)
                {
                    cx.error(&v.ident, format!("the element {wire_name:?} is used twice"));
                }
                variants.push(FieldSpec {
                    ident: v.ident.clone(),
                    ty,
                    wire_name,
                    attrs,
                    doc: doc_of(&v.attrs),
                });
            }
        }
        _ => cx.error(&input.ident, "`Choice` is for enums with newtype variants"),
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
    let mut pattern_statics = Vec::new();
    let mut descriptors = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let pattern_static = v.attrs.pattern.as_ref().map(|p| {
            let id = quote::format_ident!("__CHOICE_PATTERN_{}", i);
            pattern_statics.push(
                quote!(static #id: #krate::model::Pattern = #krate::model::Pattern::new(#p);),
            );
            id
        });
        descriptors.push(field_descriptor(
            &krate,
            &namespace,
            pattern_static.as_ref(),
            v,
        ));
    }
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let tys: Vec<_> = variants.iter().map(|v| &v.ty).collect();
    let indices: Vec<usize> = (0..variants.len()).collect();
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        const _: () = {
            #(#pattern_statics)*

            static __CHOICE_TYPE: #krate::model::ChoiceType = #krate::model::ChoiceType {
                name: #type_name,
                namespace: #namespace,
                variants: &[#(#descriptors),*],
                doc: #doc,
            };

            #[automatically_derived]
            impl #krate::Model for #ident {
                fn type_ref() -> #krate::model::TypeRef {
                    #krate::model::TypeRef::Choice(&__CHOICE_TYPE)
                }

                fn serialize(&self, s: &mut dyn #krate::model::Serializer) -> #krate::hygiene::Result<(), #krate::model::SerError> {
                    match self {
                        #(Self::#idents(v) => s.write_choice(&__CHOICE_TYPE, #indices, v),)*
                    }
                }

                fn deserialize(d: &mut dyn #krate::model::Deserializer) -> #krate::hygiene::Result<Self, #krate::model::DeError> {
                    let mut out = #krate::hygiene::None;
                    d.read_choice(&__CHOICE_TYPE, &mut |index, d| {
                        out = #krate::hygiene::Some(match index {
                            #(#indices => Self::#idents(#krate::model::deserialize_variant::<#tys>(&__CHOICE_TYPE.variants[#indices], d)?),)*
                            _ => return #krate::hygiene::Err(#krate::model::unknown_variant(&__CHOICE_TYPE, index)),
                        });
                        #krate::hygiene::Ok(())
                    })?;
                    out.ok_or_else(|| #krate::model::unknown_variant(&__CHOICE_TYPE, usize::MAX))
                }

                fn validate(
                    &self,
                    _constraints: &#krate::model::Constraints,
                    path: &mut #krate::model::FieldPath,
                ) -> #krate::hygiene::Result<(), #krate::model::ValidationError> {
                    match self {
                        #(Self::#idents(v) => #krate::model::validate_field(v, &__CHOICE_TYPE.variants[#indices], path),)*
                    }
                }

                const CHOICE: bool = true;
            }
        };
    }
}
