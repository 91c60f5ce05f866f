//! Rendering items and services as tokens (formatted afterwards by prettyplease).

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::builtin::Numeric;
use super::services::ServicePlan;
use super::types::{Declared, Field, FieldNs, Item, ItemKind, Shape, Ty};
use crate::ir::{MaxOccurs, SoapVersion};
use crate::naming::{self, Scope};

pub(crate) fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

fn path(s: &str) -> TokenStream {
    s.parse().unwrap_or_default()
}

fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote!(#(#[doc = #lines])*)
}

/// The path of an item's type, from inside a namespace module (`in_module`) or the root.
fn item_path(items: &[Item], i: usize, in_module: bool) -> TokenStream {
    let m = ident(&items[i].module);
    let n = ident(&items[i].rust_name);
    if in_module {
        quote!(super::#m::#n)
    } else {
        quote!(#m::#n)
    }
}

fn base_ty(items: &[Item], ty: &Ty, in_module: bool) -> TokenStream {
    match ty {
        Ty::Rust(p) => path(p),
        Ty::Item(i) => item_path(items, *i, in_module),
        Ty::List(item) => {
            let item = base_ty(items, item, in_module);
            quote!(::rpclib_core::model::XmlList<#item>)
        }
    }
}

/// The Rust names of an enumeration's variants, in value order.
pub(crate) fn variant_idents(values: &[String]) -> Vec<String> {
    let mut scope = Scope::default();
    values
        .iter()
        .map(|v| scope.claim(&naming::type_name(v), "Value"))
        .collect()
}

/// The Rust names of a struct's fields, in field order.
pub(crate) fn field_idents(fields: &[Field]) -> Vec<String> {
    let mut scope = Scope::with_reserved(&[]);
    fields
        .iter()
        .map(|f| {
            if f.base {
                scope.claim("base", "")
            } else {
                scope.claim(&naming::field_name(&f.xml), "_field")
            }
        })
        .collect()
}

/// A field's Rust type and its `#[model(..)]` attribute contents.
fn field_type(items: &[Item], f: &Field, in_module: bool) -> (TokenStream, Vec<TokenStream>) {
    let mut t = base_ty(items, &f.ty, in_module);
    if f.boxed {
        t = quote!(::std::boxed::Box<#t>);
    }
    let xml = &f.xml;
    let mut attrs = match &f.shape {
        Shape::Element => vec![quote!(name = #xml)],
        Shape::Attribute => vec![quote!(name = #xml), quote!(attribute)],
        Shape::Text => vec![quote!(text)],
        // A choice's elements are its alternatives': the field's name is not on the wire.
        Shape::Choice => vec![],
        Shape::Any {
            namespace,
            process_contents,
            ..
        } => vec![
            quote!(any = #namespace),
            quote!(process_contents = #process_contents),
        ],
        Shape::AnyAttribute {
            namespace,
            process_contents,
        } => vec![
            quote!(any_attribute = #namespace),
            quote!(process_contents = #process_contents),
        ],
    };
    match &f.ns {
        // A wildcard's attributes have names of their own.
        _ if matches!(f.shape, Shape::AnyAttribute { .. }) => {}
        FieldNs::Default => {}
        FieldNs::Unqualified => attrs.push(quote!(form = "unqualified")),
        FieldNs::Uri(ns) => attrs.push(quote!(namespace = #ns)),
    }
    let element_like = matches!(f.shape, Shape::Element | Shape::Choice | Shape::Any { .. });
    let ty = if !element_like {
        // Attributes and text are never nil: required is the type, optional an `Option`.
        if f.min == 0 {
            quote!(::std::option::Option<#t>)
        } else {
            t
        }
    } else if f.max != MaxOccurs::Bounded(1) {
        attrs.push(quote!(unwrapped));
        let min = f.min;
        attrs.push(quote!(min_occurs = #min));
        match f.max {
            MaxOccurs::Bounded(n) => attrs.push(quote!(max_occurs = #n)),
            MaxOccurs::Unbounded => attrs.push(quote!(max_occurs = "unbounded")),
        }
        quote!(::std::vec::Vec<#t>)
    } else if f.min == 0 {
        // `Option<T>` reads nil and absent alike: where the schema allows both, the
        // `Nillable` inside tells them apart.
        if f.nillable {
            quote!(::std::option::Option<::rpclib_core::model::Nillable<#t>>)
        } else {
            attrs.push(quote!(nillable = false));
            quote!(::std::option::Option<#t>)
        }
    } else if f.nillable {
        quote!(::rpclib_core::model::Nillable<#t>)
    } else {
        t
    };
    let fc = &f.facets;
    if let Some(n) = fc.min_len {
        let n = Literal::u64_unsuffixed(n);
        attrs.push(quote!(min_len = #n));
    }
    if let Some(n) = fc.max_len {
        let n = Literal::u64_unsuffixed(n);
        attrs.push(quote!(max_len = #n));
    }
    for (name, v) in [
        ("min_inclusive", &fc.min_inclusive),
        ("max_inclusive", &fc.max_inclusive),
        ("min_exclusive", &fc.min_exclusive),
        ("max_exclusive", &fc.max_exclusive),
    ] {
        if let Some((v, kind)) = v {
            let key = ident(name);
            // Re-printed from the parsed value: `.5`, `+3` or `007` become literals Rust reads.
            let text = match kind {
                Numeric::Float => v
                    .parse::<f64>()
                    .map(|f| format!("{f:?}"))
                    .unwrap_or_default(),
                _ => v
                    .trim_start_matches('+')
                    .parse::<i128>()
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
            };
            if let Ok(lit) = text.parse::<TokenStream>() {
                attrs.push(quote!(#key = #lit));
            }
        }
    }
    match &fc.value {
        Some(Declared::Default(v)) => attrs.push(quote!(default = #v)),
        Some(Declared::Fixed(v)) => attrs.push(quote!(fixed = #v)),
        None => {}
    }
    (ty, attrs)
}

/// The variants of a choice: one newtype variant per alternative element (a nillable one holds
/// a `Nillable`), named after the element.
fn choice_variants(items: &[Item], alternatives: &[Field]) -> Vec<TokenStream> {
    let mut scope = Scope::default();
    alternatives
        .iter()
        .map(|f| {
            let id = ident(&scope.claim(&naming::type_name(&f.xml), "Alternative"));
            let plain = Field {
                nillable: false,
                ..f.clone()
            };
            let (mut t, attrs) = field_type(items, &plain, true);
            if f.nillable && f.max == MaxOccurs::Bounded(1) {
                t = quote!(::rpclib_core::model::Nillable<#t>);
            }
            let mut d = vec![format!("`{}`", f.xml)];
            d.extend(f.doc.iter().cloned());
            let d = docs(&d);
            quote!(#d #[model(#(#attrs),*)] #id(#t),)
        })
        .collect()
}

/// The namespace of the item `ty` names (empty for a Rust type).
fn item_ns<'a>(items: &'a [Item], ty: &Ty) -> &'a str {
    match ty {
        Ty::Item(j) => items.get(*j).map_or("", |it| it.ns.as_str()),
        Ty::Rust(_) | Ty::List(_) => "",
    }
}

/// The Rust names of a choice's variants, in alternative order.
pub(crate) fn choice_idents(alternatives: &[Field]) -> Vec<String> {
    let mut scope = Scope::default();
    alternatives
        .iter()
        .map(|f| scope.claim(&naming::type_name(&f.xml), "Alternative"))
        .collect()
}

fn render_item(items: &[Item], it: &Item) -> TokenStream {
    let name = ident(&it.rust_name);
    let xml = &it.xml_name;
    let ns = &it.ns;
    let mut doc = vec![format!("`{{{}}}{}`", it.ns, it.xml_name)];
    doc.push(String::new());
    // The file name only: output must not depend on where the inputs live.
    let file = it
        .pos
        .file
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    doc.push(format!(
        "Declared at {file}:{}:{}.",
        it.pos.line, it.pos.column
    ));
    doc.extend(it.doc.iter().cloned());
    let doc = docs(&doc);
    match &it.kind {
        ItemKind::Enum(values) => {
            let variants = values.iter().zip(variant_idents(values)).map(|(v, id)| {
                let id = ident(&id);
                quote!(#[model(name = #v)] #id,)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::rpclib_core::SimpleEnum)]
                #[model(name = #xml, namespace = #ns)]
                pub enum #name { #(#variants)* }
            }
        }
        ItemKind::Choice(alternatives) => {
            let variants = choice_variants(items, alternatives);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::rpclib_core::Choice)]
                #[model(name = #xml, namespace = #ns)]
                pub enum #name { #(#variants)* }
            }
        }
        ItemKind::Polymorphic {
            base,
            abstract_base,
            variants,
        } => {
            let idents = choice_idents(variants);
            let variants = variants.iter().zip(idents).map(|(f, id)| {
                let id = ident(&id);
                let mut t = base_ty(items, &f.ty, true);
                if f.boxed {
                    t = quote!(::std::boxed::Box<#t>);
                }
                let d = docs(&[format!("`{{{}}}{}`", item_ns(items, &f.ty), f.xml)]);
                quote!(#d #id(#t),)
            });
            let attr = if *abstract_base {
                let b = base_ty(items, &Ty::Item(*base), true);
                quote!(#[polymorphic(abstract_base = #b)])
            } else {
                quote!()
            };
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::rpclib_core::Polymorphic)]
                #attr
                pub enum #name { #(#variants)* }
            }
        }
        ItemKind::Struct(fields) => {
            let fields = fields.iter().zip(field_idents(fields)).map(|(f, id)| {
                if f.base {
                    let id = ident(&id);
                    let t = base_ty(items, &f.ty, true);
                    return quote!(#[doc = " The base type's content."] #[model(base)] pub #id: #t,);
                }
                let id = ident(&id);
                let (t, attrs) = field_type(items, f, true);
                // A field's XML name heads its doc; a wildcard's attributes have none.
                let mut d = match f.shape {
                    Shape::AnyAttribute { .. } => Vec::new(),
                    _ => vec![format!("`{}`", f.xml)],
                };
                d.extend(f.doc.iter().cloned());
                let d = docs(&d);
                if attrs.is_empty() {
                    return quote!(#d pub #id: #t,);
                }
                quote!(#d #[model(#(#attrs),*)] pub #id: #t,)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::rpclib_core::ComplexModel)]
                #[model(name = #xml, namespace = #ns)]
                pub struct #name { #(#fields)* }
            }
        }
    }
}

/// The `#[service]` trait of a planned service, and the mock's `impl` of it (answering every
/// operation with the sample of its result).
fn render_service(
    items: &[Item],
    s: &ServicePlan,
    scope: &mut Scope,
    default_stubs: bool,
    elements: &[(crate::ir::QName, usize)],
) -> (TokenStream, (TokenStream, TokenStream)) {
    let trait_name = scope.claim(&naming::type_name(&s.port_type), "Contract");
    scope.claim(
        &format!("{}Client", trait_name.trim_start_matches("r#")),
        "",
    );
    scope.claim(
        &format!("{}Service", trait_name.trim_start_matches("r#")),
        "",
    );
    let tr = ident(&trait_name);
    let service_name = &s.service_name;
    let ns = &s.namespace;
    let version = match s.soap {
        SoapVersion::Soap11 => "SOAP 1.1",
        SoapVersion::Soap12 => "SOAP 1.2",
    };
    let mut doc = vec![
        format!(
            "Port type `{}` (binding `{}`, {version}), service `{service_name}`.",
            s.port_type, s.binding
        ),
        String::new(),
        format!(
            "`#[service]` gives this trait (implement it to serve the contract), `{trait_name}Client` (the typed client) and `{trait_name}Service`."
        ),
    ];
    for a in &s.addresses {
        doc.push(format!("Address in the WSDL: <{a}>"));
    }
    if s.shadowed {
        doc.push(String::new());
        doc.push("Its operations take the request element of an operation of an earlier trait of the same port type (told apart by SOAPAction only): call them with this trait's client; a server routes those requests to the earlier trait.".into());
    }
    if !s.skipped.is_empty() {
        doc.push(String::new());
        doc.extend(s.skipped.iter().cloned());
    }
    let doc = docs(&doc);
    // The client `#[service]` generates has these inherent functions next to the operations.
    let mut fn_scope = Scope::with_reserved(&[
        "new",
        "set_header",
        "headers_mut",
        "caller",
        "descriptor",
        "into_service",
    ]);
    let (methods, mocks): (Vec<TokenStream>, Vec<TokenStream>) = s.ops.iter().map(|o| {
        let f = ident(&fn_scope.claim(&naming::field_name(&o.fn_xml), "_op"));
        let op = &o.name;
        let in_m = &o.in_message;
        let out_m = &o.out_message;
        let mut args = vec![
            quote!(operation = #op),
            quote!(in_message = #in_m),
            quote!(out_message = #out_m),
        ];
        if o.bare {
            args.push(quote!(body = "bare"));
        }
        if !o.bare {
            match o.results.as_slice() {
                [] => {}
                [r] => {
                    let n = &r.xml;
                    args.push(quote!(result = #n));
                }
                rs => {
                    let ns = rs.iter().map(|r| &r.xml);
                    args.push(quote!(results(#(#ns),*)));
                }
            }
            if o.results.iter().any(|r| r.max != MaxOccurs::Bounded(1)) {
                args.push(quote!(unwrapped_result));
            }
        }
        let list = |v: &[usize]| {
            v.iter()
                .map(|&i| item_path(items, i, false))
                .collect::<Vec<_>>()
        };
        let faults = list(&o.faults);
        if !faults.is_empty() {
            args.push(quote!(faults(#(#faults),*)));
        }
        let ih = list(&o.in_headers);
        if !ih.is_empty() {
            args.push(quote!(in_headers(#(#ih),*)));
        }
        let oh = list(&o.out_headers);
        if !oh.is_empty() {
            args.push(quote!(out_headers(#(#oh),*)));
        }
        let mut pscope = Scope::with_reserved(&["self", "ctx"]);
        let mock_params: Vec<TokenStream> = o
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let id = ident(&format!("_arg{i}"));
                let (t, _) = field_type(items, p, true);
                quote!(#id: #t)
            })
            .collect();
        let mock_results: Vec<TokenStream> = o
            .results
            .iter()
            .map(|r| super::sample::field_value(items, r, ns, elements))
            .collect();
        let mock_value = match mock_results.as_slice() {
            [] => quote!(()),
            [v] => quote!(#v),
            vs => quote!((#(#vs),*)),
        };
        let mock_ret: Vec<TokenStream> = o
            .results
            .iter()
            .map(|r| field_type(items, r, true).0)
            .collect();
        let mock_ret = match mock_ret.as_slice() {
            [] => quote!(()),
            [t] => quote!(#t),
            ts => quote!((#(#ts),*)),
        };
        let mock = quote! {
            async fn #f(&self, #(#mock_params),*) -> ::std::result::Result<#mock_ret, ::rpclib_core::Fault> {
                ::std::result::Result::Ok(#mock_value)
            }
        };
        let mut param_ids = Vec::new();
        let params: Vec<TokenStream> = o.params.iter().map(|p| {
            let id = ident(&pscope.claim(&naming::param_name(&p.xml), "_arg"));
            param_ids.push(id.clone());
            let (t, attrs) = field_type(items, p, false);
            if o.bare {
                quote!(#id: #t)
            } else {
                quote!(#[model(#(#attrs),*)] #id: #t)
            }
        }).collect();
        let results: Vec<TokenStream> = o
            .results
            .iter()
            .map(|r| {
                let (t, _) = field_type(items, r, false);
                t
            })
            .collect();
        let ret = match results.as_slice() {
            [] => quote!(()),
            [t] => quote!(#t),
            ts => quote!((#(#ts),*)),
        };
        let mut d = vec![format!(
            "Operation `{op}` ({} style{}).",
            o.style,
            if o.bare { ", bare body" } else { ", wrapped" }
        )];
        if let Some(a) = o.action.as_deref().filter(|a| !a.is_empty()) {
            d.push(format!("SOAPAction: `{a}`."));
        }
        if o.one_way {
            d.push("One-way in the WSDL: the result is empty.".into());
        }
        let d = docs(&d);
        let body = if default_stubs {
            // Provided: an implementation overrides the operations it serves; the others
            // answer that they are not implemented.
            let message = format!("the operation `{op}` is not implemented by this server");
            quote!({
                let _ = (#(#param_ids,)*);
                ::std::result::Result::Err(::rpclib_core::Fault::new(
                    ::rpclib_core::FaultCode::server("NotImplemented"),
                    #message,
                ))
            })
        } else {
            quote!(;)
        };
        let method = quote! {
            #d
            #[rpc(#(#args),*)]
            async fn #f(&self, #(#params),*) -> ::std::result::Result<#ret, ::rpclib_core::Fault> #body
        };
        (method, mock)
    }).unzip();
    let service = quote! {
        #doc
        #[::rpclib_core::service(name = #service_name, namespace = #ns)]
        pub trait #tr { #(#methods)* }
    };
    let mock = quote! {
        impl super::#tr for Mock { #(#mocks)* }
    };
    let register = quote!(.service(<Mock as super::#tr>::into_service(Mock)));
    (service, (mock, register))
}

/// The whole generated file: a module per namespace with its types, then the services, then
/// (with `mock`) the `mock` module: `Sample` impls, `Mock` implementing every service trait,
/// `app()`, the endpoints and the sample round trip of each global element in `elements`.
pub(crate) fn file(
    items: &[Item],
    services: &[ServicePlan],
    options: &super::Options,
    elements: &[(crate::ir::QName, usize)],
) -> TokenStream {
    let mut modules: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for it in items {
        modules.entry(it.module.as_str()).or_default().push(it);
    }
    let mut scope = Scope::with_reserved(&modules.keys().copied().collect::<Vec<_>>());
    let mods = modules.iter().map(|(m, its)| {
        let mut its = its.clone();
        its.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let ns = &its[0].ns;
        let d = format!(" Types of namespace `{ns}`.");
        let name = ident(m);
        let body = its.iter().map(|it| render_item(items, it));
        quote! {
            #[doc = #d]
            pub mod #name { #(#body)* }
        }
    });
    let planned: Vec<&ServicePlan> = services.iter().filter(|s| !s.ops.is_empty()).collect();
    let (services, mocks): (Vec<TokenStream>, Vec<(TokenStream, TokenStream)>) = planned
        .iter()
        .map(|s| render_service(items, s, &mut scope, options.default_stubs, elements))
        .unzip();
    let mock_module = if options.mock {
        super::mock::module(items, &planned, &mocks, elements)
    } else {
        TokenStream::new()
    };
    quote! {
        #(#mods)*
        #(#services)*
        #mock_module
    }
}
