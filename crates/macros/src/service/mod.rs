//! `#[service]`: a set of plain functions becomes a service, with descriptors, an invoker per
//! method, and a typed client.
//!
//! The expansion runs in stages, one file each:
//!
//! - [`parse`]: the macro's arguments and the methods' signatures, read from syn;
//! - [`model`]: the service and its methods with every name and shape decided once;
//! - [`render_server`]: message structs, invokers, the descriptor `static`, the `Service` impl;
//! - [`render_client`]: the typed client;
//! - [`render_faults`]: the client's enum of each method's declared faults;
//! - [`render_contract`]: for a trait, the trait as implementors see it, its erased twin and
//!   the server type wrapping an implementation.
//!
//! This file holds the entry points, one per form (an inherent `impl` block, a trait), which
//! check the item the attribute is on and run the stages; both forms share the model and the
//! renderers.

mod model;
mod parse;
mod render_client;
mod render_contract;
mod render_faults;
mod render_server;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{ImplItem, Item, ItemImpl, ItemTrait, TraitItem, Type};

use crate::attr::doc_of;
use crate::ctxt::Ctxt;
use model::Form;
use parse::{RpcArgs, ServiceArgs};

/// `#[service]` on any item: dispatches on the form.
pub(crate) fn expand(args: TokenStream, item: Item) -> TokenStream {
    match item {
        Item::Impl(item) => expand_impl(args, item),
        Item::Trait(item) => expand_trait(args, item),
        other => syn::Error::new_spanned(
            other,
            "`#[service]` goes on an inherent `impl` block (a service type) or on a trait (a \
             contract implemented in one crate and called from another)",
        )
        .into_compile_error(),
    }
}

/// `#[service]` on an inherent `impl` block.
pub(crate) fn expand_impl(args: TokenStream, mut item: ItemImpl) -> TokenStream {
    let cx = Ctxt::new();
    let args = ServiceArgs::parse(&cx, args);
    let krate = args
        .krate
        .clone()
        .unwrap_or_else(crate::attr::default_crate);
    if let Some(t) = &item.trait_ {
        cx.error(
            &t.1,
            "`#[service]` goes on an inherent `impl` block, not a trait impl",
        );
    }
    if !item.generics.params.is_empty() {
        cx.error(&item.generics, "a service type cannot be generic");
    }
    let self_ty = (*item.self_ty).clone();
    let self_name = match &self_ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    let Some(self_name) = self_name else {
        cx.error(&self_ty, "`#[service]` needs a named type");
        return cx.check().err().unwrap_or_default();
    };

    let mut methods = Vec::new();
    for impl_item in item.items.iter_mut() {
        let ImplItem::Fn(f) = impl_item else { continue };
        let Some(rpc) = RpcArgs::take(&cx, &mut f.attrs) else {
            continue;
        };
        let parsed = parse::parse_method(&cx, &krate, &mut f.sig, &f.attrs, rpc);
        methods.push(model::method(&cx, methods.len(), parsed));
    }
    model::check_methods(&cx, &methods, &item.self_ty);
    if let Err(e) = cx.check() {
        return e;
    }

    let mut svc = model::service(
        args,
        Form::Impl { self_ty },
        syn::parse_quote!(pub),
        self_name,
        doc_of(&item.attrs),
    );
    svc.methods = methods;
    let rendered = render(&svc);
    quote! {
        #item
        #rendered
    }
}

/// `#[service]` on a trait: a contract.
pub(crate) fn expand_trait(args: TokenStream, mut item: ItemTrait) -> TokenStream {
    let cx = Ctxt::new();
    let args = ServiceArgs::parse(&cx, args);
    let krate = args
        .krate
        .clone()
        .unwrap_or_else(crate::attr::default_crate);
    if !item.generics.params.is_empty() {
        cx.error(
            &item.generics,
            "a service trait cannot be generic: its messages have one fixed shape; declare \
             one trait per concrete service",
        );
    } else if let Some(w) = &item.generics.where_clause {
        cx.error(w, "a service trait takes no `where` clause");
    }
    if let Some(u) = &item.unsafety {
        cx.error(u, "a service trait cannot be `unsafe`");
    }
    if let Some(a) = &item.auto_token {
        cx.error(a, "a service trait cannot be an `auto` trait");
    }

    let mut methods = Vec::new();
    for trait_item in item.items.iter_mut() {
        let TraitItem::Fn(f) = trait_item else {
            cx.error(
                &*trait_item,
                "a `#[service]` trait holds `#[rpc]` methods only: declare this item in \
                 another trait",
            );
            continue;
        };
        let Some(rpc) = RpcArgs::take(&cx, &mut f.attrs) else {
            cx.error(
                &f.sig,
                "every method of a `#[service]` trait is a remote method: mark it `#[rpc]`, \
                 or declare it in another trait",
            );
            continue;
        };
        // A provided method is the server's default answer (an implementation may leave it
        // out); the client still calls it remotely.
        let parsed = parse::parse_method(&cx, &krate, &mut f.sig, &f.attrs, rpc);
        if !parsed.has_self {
            cx.error(
                &f.sig.ident,
                "a method of a `#[service]` trait takes `&self` as its first parameter",
            );
        }
        methods.push(model::method(&cx, methods.len(), parsed));
    }
    model::check_methods(&cx, &methods, &item.ident);
    if let Err(e) = cx.check() {
        return e;
    }

    let ident = item.ident.clone();
    let form = Form::Trait {
        server: format_ident!("{}Service", ident),
        erased: format_ident!("__{}Dyn", ident),
        ident: ident.clone(),
    };
    let mut svc = model::service(
        args,
        form,
        item.vis.clone(),
        ident.to_string(),
        doc_of(&item.attrs),
    );
    svc.methods = methods;
    render_contract::rewrite_trait(&svc, &mut item);
    let contract = render_contract::render_contract(&svc);
    let rendered = render(&svc);
    quote! {
        #item
        #contract
        #rendered
    }
}

/// The items generated for a resolved service (the user's item itself excepted).
fn render(svc: &model::Service) -> TokenStream {
    let client_struct = render_client::render_client_struct(svc);
    let fault_enums = render_faults::render_fault_enums(svc);
    let server = render_server::render_server(svc);
    let client = render_client::render_client_impl(svc);
    quote! {
        #client_struct
        #fault_enums

        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case, non_camel_case_types, clippy::unused_unit)]
        const _: () = {
            #server
            #client
        };
    }
}
