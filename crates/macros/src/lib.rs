//! Procedural macros of rpclib: `#[derive(ComplexModel)]`, `#[derive(SimpleEnum)]` and
//! `#[service]`.
//!
//! Use them through `rpclib-core`, which re-exports them (feature `derive`, on by default) and
//! documents them; the code they emit refers to `rpclib_core`.

#![forbid(unsafe_code)]

mod attr;
mod choice;
mod complex;
mod ctxt;
mod enumeration;
mod polymorphic;
mod service;

use proc_macro::TokenStream;
use syn::{DeriveInput, Item, parse_macro_input};

/// Derives `Model` and `ComplexModel` for a struct with named fields: an XSD complex type.
///
/// Type attributes: `#[model(name = "XsdName", namespace = "urn:ns", crate = "path")]`.
/// Field attributes: `#[model(name = "element", base, unwrapped, min_occurs = N,
/// max_occurs = N | "unbounded", nillable = bool, min_len = N, max_len = N, pattern = "re",
/// min_inclusive = X, max_inclusive = X, min_exclusive = X, max_exclusive = X, min_items = N,
/// max_items = N, any | any = "##other", process_contents = "lax")]`. See `rpclib_core::model` for what each means.
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

/// Derives `Model` for an enum of newtype variants: an XSD choice (`xs:choice`), one
/// alternative element per variant, named after the variant unless `#[model(name = "..")]`
/// says otherwise.
///
/// Type attributes as for `ComplexModel` (`namespace` is the alternatives' elements'
/// namespace); variant attributes: `name`, `form`, `namespace`, `nillable` and the value
/// constraints of a field. A struct field holding the enum (or `Option` of it, or `Vec` of it:
/// a repeated choice) is a choice field: the alternative's element stands in the struct's
/// content directly.
#[proc_macro_derive(Choice, attributes(model))]
pub fn derive_choice(input: TokenStream) -> TokenStream {
    choice::derive(parse_macro_input!(input as DeriveInput)).into()
}

/// Derives `Model` for an enum of newtype variants, each holding a complex type: a value of a
/// base type or any of its declared subtypes (`xsi:type` polymorphism in XML, `{"Variant":
/// {..}}` in JSON and MessagePack).
///
/// The base is the first variant's type, unless `#[polymorphic(abstract_base = Base)]` names
/// an abstract base that no variant holds. Other attributes: `name = "EnumName"` (the name in
/// messages), `crate = "path"`. Every other variant's type must extend the base
/// (`#[model(base)]`), directly or through other types.
#[proc_macro_derive(Polymorphic, attributes(polymorphic))]
pub fn derive_polymorphic(input: TokenStream) -> TokenStream {
    polymorphic::derive(parse_macro_input!(input as DeriveInput)).into()
}

/// Declares a service, on an inherent `impl` block or on a trait (a contract).
///
/// **On an `impl` block**, every method marked `#[rpc]` becomes a remote procedure of the
/// type, which implements `Service` and is registered as is; a typed client
/// `<Type>Client<C>` is generated next to it.
///
/// **On a trait**, the trait is a contract declared once (in an API crate) for a server crate
/// to implement and a client crate to call. Generated: the trait itself (with `Send + Sync +
/// 'static` supertraits, each `async fn` declared as `fn .. -> impl Future<Output = ..> +
/// Send`, and a provided `into_service`), the concrete `<Trait>Service` that holds any
/// implementation and implements `Service`, and the typed client `<Trait>Client<C>`. Every
/// item of the trait is an `#[rpc]` method taking `&self`; a method with a body is provided:
/// the server's answer when an implementation leaves it out.
///
/// Methods are blocking `fn`s or `async fn`s (whose futures must be `Send`). Each typed client
/// method returns `C::Output<'_, T>`: the result for a blocking caller, a future for an async
/// one. Its twin `<method>_with_headers` returns `C::Output<'_, Reply<T>>`: the result with the
/// reply's header blocks (`reply.header::<H>()` for a declared out-header,
/// `reply.raw_headers()` for every block as raw XML).
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
