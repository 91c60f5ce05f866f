//! `#[service]`: a set of plain functions becomes a service, with descriptors, an invoker per
//! method, and a typed client.
//!
//! The expansion runs in stages, one file each:
//!
//! - [`parse`]: the macro's arguments and the methods' signatures, read from syn;
//! - [`model`]: the service and its methods with every name and shape decided once;
//! - [`render_server`]: message structs, invokers, the descriptor `static`, the `Service` impl;
//! - [`render_client`]: the typed client.
//!
//! This file holds the entry points, which check the item the attribute is on and run the
//! stages.

mod model;
mod parse;
mod render_client;
mod render_server;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, ItemImpl, Type};

use crate::attr::doc_of;
use crate::ctxt::Ctxt;
use model::Form;
use parse::{RpcArgs, ServiceArgs};

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

    let mut svc = model::service(args, Form::Impl { self_ty }, self_name, doc_of(&item.attrs));
    svc.methods = methods;
    let rendered = render(&svc);
    quote! {
        #item
        #rendered
    }
}

/// The items generated for a resolved service (the user's item itself excepted).
fn render(svc: &model::Service) -> TokenStream {
    let client_struct = render_client::render_client_struct(svc);
    let server = render_server::render_server(svc);
    let client = render_client::render_client_impl(svc);
    quote! {
        #client_struct

        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case, non_camel_case_types, clippy::unused_unit)]
        const _: () = {
            #server
            #client
        };
    }
}
