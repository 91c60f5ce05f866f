//! Procedural macros of rpclib: `#[derive(ComplexModel)]`, `#[derive(SimpleEnum)]` and
//! `#[service]`.
//!
//! Use them through `rpclib-core`, which re-exports them (feature `derive`, on by default) and
//! documents them; the code they emit refers to `rpclib_core`.

#![forbid(unsafe_code)]

mod attr;
mod complex;
mod ctxt;
mod enumeration;
mod service;

use proc_macro::TokenStream;
use syn::{DeriveInput, Item, parse_macro_input};

/// Derives `Model` and `ComplexModel` for a struct with named fields: an XSD complex type.
///
/// Type attributes: `#[model(name = "XsdName", namespace = "urn:ns", crate = "path")]`.
/// Field attributes: `#[model(name = "element", base, unwrapped, min_occurs = N,
/// max_occurs = N | "unbounded", nillable = bool, min_len = N, max_len = N, pattern = "re",
/// min_inclusive = X, max_inclusive = X, min_exclusive = X, max_exclusive = X, min_items = N,
/// max_items = N)]`. See `rpclib_core::model` for what each means.
#[proc_macro_derive(ComplexModel, attributes(model))]
pub fn derive_complex_model(input: TokenStream) -> TokenStream {
    complex::derive(parse_macro_input!(input as DeriveInput)).into()
}

/// Derives `Model` for a fieldless enum: an XSD string enumeration.
///
/// Type attributes as for `ComplexModel`; a variant's wire value is its name unless
/// `#[model(name = "VALUE")]` says otherwise.
#[proc_macro_derive(SimpleEnum, attributes(model))]
pub fn derive_simple_enum(input: TokenStream) -> TokenStream {
    enumeration::derive(parse_macro_input!(input as DeriveInput)).into()
}

/// Turns an inherent `impl` block into a service: every method marked `#[rpc]` becomes a
/// remote procedure, and a typed client `<Type>Client<C>` is generated next to it.
///
/// Service attributes: `#[service(name = "ServiceName", namespace = "urn:ns",
/// in_headers(H1, H2), out_headers(H3), client = "ClientName", crate = "path")]`.
/// Method attributes: `#[rpc(operation = "op", in_message = "element",
/// out_message = "element", result = "name" | results("a", "b"), body = "bare",
/// faults(F1, F2), in_headers(..), out_headers(..))]`. Parameters take the field attributes
/// of `ComplexModel` (`#[model(name = "..", max_len = 5)] s: String`); a parameter of type
/// `&mut MethodContext` (or `&MethodContext`) receives the request's context.
#[proc_macro_attribute]
pub fn service(args: TokenStream, input: TokenStream) -> TokenStream {
    service::expand(args.into(), parse_macro_input!(input as Item)).into()
}
