//! `#[derive(ComplexModel)]`, and the complex-type rendering the service macro reuses for its
//! generated message structs.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Ident, Type};

use crate::attr::{
    ContainerAttrs, FieldAttrs, Form, MaxOccursAttr, default_crate, doc_of, opt_str,
};
use crate::ctxt::Ctxt;

/// One field of a complex type (or one part of a message).
#[derive(Clone)]
pub(crate) struct FieldSpec {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) wire_name: String,
    pub(crate) attrs: FieldAttrs,
    pub(crate) doc: Option<String>,
}

/// Everything needed to render a complex type's statics and impls.
pub(crate) struct ComplexSpec<'a> {
    pub(crate) krate: &'a syn::Path,
    pub(crate) self_ty: TokenStream,
    /// Prefix for the generated hidden items, unique in the scope they are emitted in.
    pub(crate) prefix: String,
    pub(crate) name: String,
    pub(crate) namespace: Option<String>,
    pub(crate) base: Option<(Ident, Type)>,
    pub(crate) fields: Vec<FieldSpec>,
    pub(crate) doc: Option<String>,
}

impl ComplexSpec<'_> {
    /// Name of the `static ComplexType` this spec renders.
    pub(crate) fn type_static(&self) -> Ident {
        format_ident!("__{}_TYPE", self.prefix)
    }
}

/// Whether a type is syntactically `Vec<_>` or `Option<Vec<_>>`.
pub(crate) fn is_vec_like(ty: &Type) -> bool {
    fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
        match ty {
            Type::Path(p) => p.path.segments.last(),
            _ => None,
        }
    }
    match last_segment(ty) {
        Some(seg) if seg.ident == "Vec" => true,
        Some(seg) if seg.ident == "Option" => match &seg.arguments {
            syn::PathArguments::AngleBracketed(args) => args.args.iter().any(|a| match a {
                syn::GenericArgument::Type(inner) => {
                    last_segment(inner).is_some_and(|s| s.ident == "Vec")
                }
                _ => false,
            }),
            _ => false,
        },
        _ => false,
    }
}

/// Checks attributes that need the field's type.
pub(crate) fn check_field(cx: &Ctxt, field: &FieldSpec) {
    let a = &field.attrs;
    if let Some(what) = a
        .attribute
        .map(|_| "an `attribute`")
        .or(a.text.map(|_| "the `text`"))
    {
        if is_vec_like(&field.ty) || a.unwrapped.is_some() {
            cx.error(
                &field.ty,
                format!("{what} field holds one simple value, not a `Vec`"),
            );
        }
        if a.max_occurs.is_some() || a.min_occurs.is_some() || a.nillable.is_some() {
            cx.error(
                &field.ty,
                format!(
                    "{what} field takes no `min_occurs`, `max_occurs` or `nillable` \
                     (an `Option` makes it optional)"
                ),
            );
        }
    }
    if field.attrs.unwrapped.is_some() && !is_vec_like(&field.ty) {
        cx.error(
            &field.ty,
            "`unwrapped` applies to `Vec<T>` (or `Option<Vec<T>>`) fields only",
        );
    }
    let repetition = field.attrs.unwrapped.is_some() || field.attrs.any.is_some();
    if !repetition
        && let Some(MaxOccursAttr::Unbounded) | Some(MaxOccursAttr::Bounded(2..)) =
            field.attrs.max_occurs
    {
        cx.error(
            &field.ty,
            "`max_occurs` above 1 needs `unwrapped` (a repeated element is a `Vec<T>` field)",
        );
    }
}

/// Checks that a type declares at most one attribute wildcard (XSD allows one
/// `xs:anyAttribute` per type; a base's is the base's business, see `FieldKind::AnyAttribute`).
fn check_any_attribute(cx: &Ctxt, fields: &[FieldSpec]) {
    for f in fields
        .iter()
        .filter(|f| f.attrs.any_attribute.is_some())
        .skip(1)
    {
        cx.error(
            &f.ident,
            "only one field can be the `any_attribute` of a type (xs:anyAttribute)",
        );
    }
}

/// Checks what stands beside a `text` field (simpleContent): attributes only, no base.
fn check_content(cx: &Ctxt, ident: &Ident, has_base: bool, fields: &[FieldSpec]) {
    let texts = fields.iter().filter(|f| f.attrs.text.is_some()).count();
    if texts == 0 {
        return;
    }
    if texts > 1 {
        cx.error(ident, "only one field can be the `text` of an element");
    }
    if has_base {
        cx.error(
            ident,
            "a type with a `text` field cannot have a `base` (simpleContent extends a simple \
             type)",
        );
    }
    for f in fields {
        if f.attrs.text.is_none() && f.attrs.attribute.is_none() && f.attrs.any_attribute.is_none()
        {
            cx.error(
                &f.ident,
                "beside a `text` field only `attribute` fields may stand (simpleContent has no \
                 child elements)",
            );
        }
    }
}

/// Tokens of one `FieldDescriptor`.
pub(crate) fn field_descriptor(
    krate: &syn::Path,
    namespace: &TokenStream,
    pattern_static: Option<&Ident>,
    f: &FieldSpec,
) -> TokenStream {
    let ty = &f.ty;
    let name = &f.wire_name;
    let rust_name = f.ident.to_string().trim_start_matches("r#").to_owned();
    let a = &f.attrs;
    let model = quote!(<#ty as #krate::Model>);
    // A `Vec` of a choice or of wildcard elements is a repetition (no wrapper element of its
    // own): unwrapped without saying so.
    let element = a.attribute.is_none() && a.text.is_none() && a.any_attribute.is_none();
    let vec_like = is_vec_like(ty);
    let explicit_unwrapped = a.unwrapped.is_some() || (a.any.is_some() && vec_like);
    let unwrapped = if explicit_unwrapped {
        quote!(true)
    } else if element && vec_like {
        quote!(#model::CHOICE)
    } else {
        quote!(false)
    };
    let min_occurs = match a.min_occurs {
        Some(n) => quote!(#n),
        // XSD allows a `default` on optional attributes only: absent, it reads as the default.
        None if a.attribute.is_some() && a.default.is_some() => quote!(0u32),
        // Wildcard attributes may all be absent: the field then reads as empty.
        None if a.any_attribute.is_some() => quote!(0u32),
        None if explicit_unwrapped => quote!(0u32),
        None if element && vec_like => {
            quote!(if #model::OPTIONAL || #model::CHOICE { 0u32 } else { 1u32 })
        }
        None => quote!(if #model::OPTIONAL { 0u32 } else { 1u32 }),
    };
    let max_occurs = match (a.max_occurs, explicit_unwrapped) {
        (Some(MaxOccursAttr::Bounded(n)), _) => quote!(#krate::model::MaxOccurs::Bounded(#n)),
        (Some(MaxOccursAttr::Unbounded), _) | (None, true) => {
            quote!(#krate::model::MaxOccurs::Unbounded)
        }
        (None, false) if element && vec_like => quote!(if #model::CHOICE {
            #krate::model::MaxOccurs::Unbounded
        } else {
            #krate::model::MaxOccurs::Bounded(1u32)
        }),
        (None, false) => quote!(#krate::model::MaxOccurs::Bounded(1u32)),
    };
    let nillable = match a.nillable {
        Some(b) => quote!(#b),
        // An attribute, a text or a wildcard cannot be nil: an `Option` there is only
        // optional. Nor can a choice (its alternatives are what may be nil).
        None if !element || a.any.is_some() => quote!(false),
        None => quote!(#model::NILLABLE && !#model::CHOICE),
    };
    let opt_usize = |v: Option<usize>| match v {
        Some(n) => quote!(#krate::hygiene::Some(#n)),
        None => quote!(#krate::hygiene::None),
    };
    let opt_tokens = |v: &Option<TokenStream>| match v {
        Some(t) => quote!(#krate::hygiene::Some(#t)),
        None => quote!(#krate::hygiene::None),
    };
    let min_len = opt_usize(a.min_len);
    let max_len = opt_usize(a.max_len);
    let (min_items, max_items) = if explicit_unwrapped {
        (
            opt_usize(a.min_items.or(a.min_occurs.map(|n| n as usize))),
            opt_usize(a.max_items.or(match a.max_occurs {
                Some(MaxOccursAttr::Bounded(n)) => Some(n as usize),
                _ => None,
            })),
        )
    } else {
        (opt_usize(a.min_items), opt_usize(a.max_items))
    };
    let pattern = match pattern_static {
        Some(p) => quote!(#krate::hygiene::Some(&#p)),
        None => quote!(#krate::hygiene::None),
    };
    let min_inclusive = opt_tokens(&a.min_inclusive);
    let max_inclusive = opt_tokens(&a.max_inclusive);
    let min_exclusive = opt_tokens(&a.min_exclusive);
    let max_exclusive = opt_tokens(&a.max_exclusive);
    let doc = opt_str(f.doc.as_deref());
    let value_constraint = match (&a.default, &a.fixed) {
        (Some(v), _) => quote!(#krate::hygiene::Some(#krate::model::ValueConstraint::Default(#v))),
        (None, Some(v)) => quote!(#krate::hygiene::Some(#krate::model::ValueConstraint::Fixed(#v))),
        (None, None) => quote!(#krate::hygiene::None),
    };
    let field_namespace = match (&a.namespace, a.form) {
        (Some(uri), _) => quote!(#krate::model::FieldNamespace::Uri(#uri)),
        (None, Some(Form::Unqualified)) => quote!(#krate::model::FieldNamespace::Unqualified),
        (None, Some(Form::Qualified)) => {
            quote!(#krate::model::FieldNamespace::qualified(#namespace))
        }
        // Attributes are unqualified unless declared otherwise (attributeFormDefault).
        (None, None) if a.attribute.is_some() || a.text.is_some() => {
            quote!(#krate::model::FieldNamespace::Unqualified)
        }
        (None, None) => quote!(#krate::model::FieldNamespace::qualified(#namespace)),
    };
    let process = match a.process_contents.as_ref().map(|p| p.value()).as_deref() {
        Some("strict") => quote!(Strict),
        Some("skip") => quote!(Skip),
        _ => quote!(Lax),
    };
    let kind = if a.attribute.is_some() {
        quote!(#krate::model::FieldKind::Attribute)
    } else if let Some(ns) = &a.any_attribute {
        quote!(#krate::model::FieldKind::AnyAttribute(&#krate::model::Wildcard {
            namespace: #ns,
            process_contents: #krate::model::ProcessContents::#process,
        }))
    } else if a.text.is_some() {
        quote!(#krate::model::FieldKind::Text)
    } else if let Some(ns) = &a.any {
        quote!(#krate::model::FieldKind::Any(&#krate::model::Wildcard {
            namespace: #ns,
            process_contents: #krate::model::ProcessContents::#process,
        }))
    } else {
        quote!(if #model::CHOICE {
            #krate::model::FieldKind::Choice
        } else {
            #krate::model::FieldKind::Element
        })
    };
    quote! {
        #krate::model::FieldDescriptor {
            name: #name,
            rust_name: #rust_name,
            namespace: #field_namespace,
            kind: #kind,
            ty: <#ty as #krate::Model>::type_ref,
            min_occurs: #min_occurs,
            max_occurs: #max_occurs,
            nillable: #nillable,
            unwrapped: #unwrapped,
            constraints: #krate::model::Constraints {
                min_len: #min_len,
                max_len: #max_len,
                pattern: #pattern,
                min_inclusive: #min_inclusive,
                max_inclusive: #max_inclusive,
                min_exclusive: #min_exclusive,
                max_exclusive: #max_exclusive,
                min_items: #min_items,
                max_items: #max_items,
            },
            value_constraint: #value_constraint,
            doc: #doc,
        }
    }
}

/// Renders the statics, the builder and the `Model` + `ComplexModel` impls of a spec, into
/// the current scope (callers wrap them in an anonymous `const`).
pub(crate) fn render(spec: &ComplexSpec<'_>) -> TokenStream {
    let krate = spec.krate;
    let self_ty = &spec.self_ty;
    let type_static = spec.type_static();
    let builder = format_ident!("__{}_Builder", spec.prefix);
    let name = &spec.name;
    let namespace = opt_str(spec.namespace.as_deref());
    let doc = opt_str(spec.doc.as_deref());

    let mut pattern_statics = Vec::new();
    let mut descriptors = Vec::new();
    for (i, f) in spec.fields.iter().enumerate() {
        let pattern_static = f.attrs.pattern.as_ref().map(|p| {
            let ident = format_ident!("__{}_PATTERN_{}", spec.prefix, i);
            pattern_statics.push(
                quote!(static #ident: #krate::model::Pattern = #krate::model::Pattern::new(#p);),
            );
            ident
        });
        descriptors.push(field_descriptor(
            krate,
            &namespace,
            pattern_static.as_ref(),
            f,
        ));
    }

    let idents: Vec<&Ident> = spec.fields.iter().map(|f| &f.ident).collect();
    // Attributes go in the start tag, before any content: each level writes its own
    // attributes before its base's fields, so every attribute of the chain precedes every
    // element and the text.
    let (attr_indices, attr_idents): (Vec<usize>, Vec<&Ident>) = spec
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.attrs.attribute.is_some() || f.attrs.any_attribute.is_some())
        .map(|(i, f)| (i, &f.ident))
        .unzip();
    let (content_indices, content_idents): (Vec<usize>, Vec<&Ident>) = spec
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.attrs.attribute.is_none() && f.attrs.any_attribute.is_none())
        .map(|(i, f)| (i, &f.ident))
        .unzip();
    let tys: Vec<&Type> = spec.fields.iter().map(|f| &f.ty).collect();
    let slots: Vec<Ident> = (0..spec.fields.len())
        .map(|i| format_ident!("f{}", i))
        .collect();
    let indices: Vec<usize> = (0..spec.fields.len()).collect();

    let (base_ty_static, base_slot, base_ser, base_de, base_build, base_validate) = match &spec.base
    {
        Some((ident, ty)) => (
            quote!(#krate::hygiene::Some(<#ty as #krate::ComplexModel>::complex_type)),
            quote!(base: <#ty as #krate::ComplexModel>::Builder,),
            quote!(<#ty as #krate::ComplexModel>::serialize_fields(&self.#ident, s)?;),
            quote! {
                let base_count = <#ty as #krate::ComplexModel>::complex_type().field_count();
                if index < base_count {
                    return <#ty as #krate::ComplexModel>::deserialize_field(&mut builder.base, index, d);
                }
                let index = index - base_count;
            },
            quote!(#ident: <#ty as #krate::ComplexModel>::build(builder.base)?,),
            quote!(<#ty as #krate::ComplexModel>::validate_fields(&self.#ident, path)?;),
        ),
        None => (
            quote!(#krate::hygiene::None),
            quote!(),
            quote!(),
            quote!(),
            quote!(),
            quote!(),
        ),
    };

    quote! {
        #(#pattern_statics)*

        static #type_static: #krate::model::ComplexType = #krate::model::ComplexType {
            name: #name,
            namespace: #namespace,
            base: #base_ty_static,
            fields: &[#(#descriptors),*],
            doc: #doc,
        };

        #[doc(hidden)]
        #[allow(non_camel_case_types, unreachable_pub, missing_docs, missing_debug_implementations)]
        #[derive(Default)]
        pub struct #builder {
            #base_slot
            #(#slots: #krate::hygiene::Option<#tys>,)*
        }

        #[automatically_derived]
        impl #krate::Model for #self_ty {
            fn type_ref() -> #krate::model::TypeRef {
                #krate::model::TypeRef::Complex(&#type_static)
            }

            fn serialize(&self, s: &mut dyn #krate::model::Serializer) -> #krate::hygiene::Result<(), #krate::model::SerError> {
                s.begin_complex(&#type_static)?;
                <Self as #krate::ComplexModel>::serialize_fields(self, s)?;
                s.end_complex()
            }

            fn deserialize(d: &mut dyn #krate::model::Deserializer) -> #krate::hygiene::Result<Self, #krate::model::DeError> {
                let mut builder = <#builder as ::core::default::Default>::default();
                d.read_complex(&#type_static, &mut |index, d| {
                    <Self as #krate::ComplexModel>::deserialize_field(&mut builder, index, d)
                })?;
                <Self as #krate::ComplexModel>::build(builder)
            }

            fn validate(
                &self,
                _constraints: &#krate::model::Constraints,
                path: &mut #krate::model::FieldPath,
            ) -> #krate::hygiene::Result<(), #krate::model::ValidationError> {
                <Self as #krate::ComplexModel>::validate_fields(self, path)
            }
        }

        #[automatically_derived]
        impl #krate::ComplexModel for #self_ty {
            type Builder = #builder;

            fn complex_type() -> &'static #krate::model::ComplexType {
                &#type_static
            }

            fn serialize_fields(&self, s: &mut dyn #krate::model::Serializer) -> #krate::hygiene::Result<(), #krate::model::SerError> {
                #(s.write_field(&#type_static.fields[#attr_indices], &self.#attr_idents)?;)*
                #base_ser
                #(s.write_field(&#type_static.fields[#content_indices], &self.#content_idents)?;)*
                #krate::hygiene::Ok(())
            }

            #[allow(unused_variables)]
            fn deserialize_field(
                builder: &mut #builder,
                index: usize,
                d: &mut dyn #krate::model::Deserializer,
            ) -> #krate::hygiene::Result<(), #krate::model::DeError> {
                #base_de
                match index {
                    #(#indices => #krate::model::deserialize_slot(&mut builder.#slots, &#type_static.fields[#indices], d),)*
                    _ => #krate::hygiene::Err(#krate::model::DeError::new("no such field")),
                }
            }

            fn build(builder: #builder) -> #krate::hygiene::Result<Self, #krate::model::DeError> {
                #krate::hygiene::Ok(Self {
                    #base_build
                    #(#idents: #krate::model::finish_slot(builder.#slots, &#type_static.fields[#indices])?,)*
                })
            }

            #[allow(unused_variables)]
            fn validate_fields(&self, path: &mut #krate::model::FieldPath) -> #krate::hygiene::Result<(), #krate::model::ValidationError> {
                #base_validate
                #(#krate::model::validate_field(&self.#idents, &#type_static.fields[#indices], path)?;)*
                #krate::hygiene::Ok(())
            }
        }
    }
}

/// `#[derive(ComplexModel)]`.
pub(crate) fn derive(input: DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let container = ContainerAttrs::parse(&cx, &input.attrs);
    let krate = container.krate.clone().unwrap_or_else(default_crate);
    if !input.generics.params.is_empty() {
        cx.error(
            &input.generics,
            "`ComplexModel` cannot be derived for generic types: an XSD type has one fixed shape",
        );
    }
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => Some(named),
            Fields::Unit => None,
            Fields::Unnamed(f) => {
                cx.error(
                    f,
                    "`ComplexModel` needs named fields (they become element names)",
                );
                None
            }
        },
        Data::Enum(e) => {
            cx.error(
                e.enum_token,
                "`ComplexModel` is for structs; use `SimpleEnum` for a string enumeration",
            );
            None
        }
        Data::Union(u) => {
            cx.error(u.union_token, "`ComplexModel` is for structs");
            None
        }
    };
    let mut base = None;
    let mut fields = Vec::new();
    for field in named.iter().flat_map(|n| n.named.iter()) {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let attrs = FieldAttrs::parse(&cx, &krate, &field.attrs);
        if let Some(span) = attrs.base {
            if attrs.has_value_attrs() {
                cx.push(syn::Error::new(
                    span,
                    "a `base` field takes no other attribute",
                ));
            }
            if base.is_some() {
                cx.push(syn::Error::new(span, "only one field can be the `base`"));
            }
            base = Some((ident, field.ty.clone()));
            continue;
        }
        let mut attrs = attrs;
        if attrs.form.is_none()
            && attrs.namespace.is_none()
            && attrs.attribute.is_none()
            && attrs.text.is_none()
            && attrs.any.is_none()
            && attrs.any_attribute.is_none()
        {
            attrs.form = container.element_form;
        }
        let wire_name = attrs
            .name
            .as_ref()
            .map(|n| n.value())
            .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
        let spec = FieldSpec {
            ident,
            ty: field.ty.clone(),
            wire_name,
            attrs,
            doc: doc_of(&field.attrs),
        };
        check_field(&cx, &spec);
        fields.push(spec);
    }
    check_content(&cx, &input.ident, base.is_some(), &fields);
    check_any_attribute(&cx, &fields);
    if let Err(e) = cx.check() {
        return e;
    }
    let ident = &input.ident;
    let spec = ComplexSpec {
        krate: &krate,
        self_ty: quote!(#ident),
        prefix: ident.to_string(),
        name: container
            .name
            .map(|n| n.value())
            .unwrap_or_else(|| ident.to_string()),
        namespace: container.namespace.map(|n| n.value()),
        base,
        fields,
        doc: doc_of(&input.attrs),
    };
    let body = render(&spec);
    let _ = Span::call_site();
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case)]
        const _: () = {
            #body
        };
    }
}
