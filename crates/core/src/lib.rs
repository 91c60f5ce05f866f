//! # rpclib-core
//!
//! The core of rpclib for Rust: plain, typed Rust functions become remote procedures with a
//! well-defined public interface. This crate holds what every other rpclib crate builds on,
//! and nothing tied to a wire format, a network or a database:
//!
//! - [`MethodContext`]: everything one request touches, with the transport-neutral
//!   [`RequestMeta`] a server transport fills (method, path, query, headers);
//! - [`Application`]: services, protocols and interface put together, and the request
//!   pipeline ([`get_in_object`](Application::get_in_object),
//!   [`get_out_object`](Application::get_out_object),
//!   [`get_out_string`](Application::get_out_string));
//! - [events](event) with closure listeners, and [call wrappers](CallWrapper);
//! - the [model system](model): Rust types as XSD types, with constraints checked on input;
//! - the extension traits: [`Protocol`], [`Interface`], [`AsyncClientTransport`],
//!   [`ClientTransport`] and [`Caller`];
//! - [`Fault`], the error that travels on the wire;
//! - [`InProcess`], a transport that calls through the whole pipeline without bytes;
//! - [`Service`] and the descriptors of methods and messages ([`ServiceDescriptor`],
//!   [`MethodDescriptor`], [`MessageDescriptor`], the erased function types such as
//!   [`InvokeFn`] and their generic implementations such as [`deserialize_boxed`]), which
//!   `#[service]` writes and which can be written by hand;
//! - [`xml_escape`], the one XML escaper every crate that writes XML uses;
//! - with the `derive` feature (on by default): `#[derive(ComplexModel)]`,
//!   `#[derive(SimpleEnum)]`, `#[derive(Choice)]` (an `xs:choice`, see
//!   `model::deserialize_variant` for what it writes), `#[derive(Polymorphic)]` (a base type
//!   or its subtypes, `xsi:type` in XML; see `model::PolymorphicType`) and the `#[service]` attribute macro (on an `impl` block, or on a
//!   trait declaring a contract that one crate implements and another calls), which also
//!   writes a typed client. The macros are sugar: what they emit uses only the public items
//!   of the crate root and [`model`] (plus [`hygiene`], standard-library re-exports), and can
//!   be written by hand (`crates/core/tests/no_macro.rs` in the repository does, and checks the
//!   result against its macro twin).
//!
//! ## Example
//!
//! ```
//! use rpclib_core::{Application, ComplexModel, Fault, InProcess, service};
//!
//! #[derive(Debug, Clone, PartialEq, ComplexModel)]
//! #[model(namespace = "urn:example:hello")]
//! pub struct Greeting {
//!     #[model(min_len = 1, max_len = 64)]
//!     pub name: String,
//!     pub times: u32,
//! }
//!
//! pub struct HelloService;
//!
//! #[service(namespace = "urn:example:hello")]
//! impl HelloService {
//!     /// Says hello `times` times: an `async fn`, which may await a database or another
//!     /// service without holding a thread.
//!     #[rpc]
//!     async fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault> {
//!         if greeting.times > 100 {
//!             return Err(Fault::client("ArgumentError", "at most 100 times"));
//!         }
//!         Ok((0..greeting.times).map(|_| format!("Hello, {}", greeting.name)).collect())
//!     }
//!
//!     /// A plain `fn` is a blocking method: transports run it where it may block.
//!     #[rpc]
//!     fn ping(&self) -> String {
//!         "pong".into()
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let app = Application::builder("Hello", "urn:example:hello")
//!     .service(HelloService)
//!     .build()?;
//! let client = HelloServiceClient::new(InProcess::new(app));
//!
//! let greeting = Greeting { name: "Dave".into(), times: 2 };
//! assert_eq!(client.say_hello(greeting).await?, ["Hello, Dave", "Hello, Dave"]);
//! assert_eq!(client.ping().await?, "pong");
//!
//! // Declared constraints are checked on every transport, naming the field.
//! let err = client.say_hello(Greeting { name: String::new(), times: 1 }).await.unwrap_err();
//! assert!(err.to_string().contains("greeting.name"));
//! # Ok(())
//! # }
//! ```
//!
//! ## The request pipeline
//!
//! 1. A server transport decides whether a request asks for the interface document
//!    ([`Application::interface_document`]) or is a call.
//! 2. For a call it creates a [`MethodContext`] ([`Application::new_context_with`], carrying
//!    its own transport part; it comes inside a [`ContextCloseGuard`]) and puts the incoming
//!    bytes in `ctx.in_string`.
//! 3. [`Application::get_in_object`] runs the in-protocol's `create_in_document`,
//!    `decompose_incoming_envelope` and `deserialize` (the middle ones with the application's
//!    [`Catalogue`]): the method is identified (a [`MethodRef`]) and its
//!    arguments read into `ctx.in_object`, or a fault lands in `ctx.in_error`.
//! 4. [`Application::get_out_object`] (a future) validates the arguments, fires
//!    `method_call`, runs the application's call wrapper, which calls the service's, which
//!    calls the user method (awaiting an `async fn`, calling a blocking `fn` in place; the
//!    transport picks where the future runs from [`MethodDescriptor::invoke`]); the
//!    result lands in `ctx.out_object`, a fault (or a panic, as a `Server` fault) in
//!    `ctx.out_error`.
//! 5. [`Application::get_out_string`] runs the out-protocol's `serialize` and
//!    `create_out_string`, filling `ctx.out_string`.
//! 6. The transport sends `ctx.out_string` (with [`Application::response_status`]) and closes
//!    the context: the guard fires `method_context_closed` exactly once, on an early return or
//!    an unwind too.
//!
//! Clients run the same protocol stages in reverse ([`RemoteClient`]).

#![forbid(unsafe_code)]

#[allow(unused_extern_crates)]
extern crate self as rpclib_core;

mod application;
mod call_wrapper;
mod catalogue;
mod client;
mod close_guard;
mod context;
pub mod document;
pub mod event;
mod fault;
mod future;
mod in_process;
mod interface;
mod method_future;
pub mod model;
mod protocol;
mod raw_header;
mod request_meta;
mod service;
mod type_map;
pub mod xml_escape;

pub use application::{Application, ApplicationBuilder, ServiceConfig, ServiceEntry};
pub use call_wrapper::{CallWrapper, FnWrapper, Next, wrap_fn};
pub use catalogue::{Catalogue, ConfigError};
pub use client::{
    Async, AsyncClientTransport, Blocking, BoxError, Call, Caller, ClientError, ClientTransport,
    HeaderSet, OutgoingCall, OutgoingRequest, RemoteClient, Reply, ReplyParts,
};
pub use close_guard::ContextCloseGuard;
pub use context::MethodContext;
pub use document::DocumentLimits;
pub use event::{Event, EventListener, EventManager};
pub use fault::{Fault, FaultClass, FaultCode, FaultDetail};
pub use in_process::{InProcess, InProcessTransport};
pub use interface::{Interface, InterfaceDocument, TransportInfo};
pub use method_future::method_future_must_be_send;
pub use model::{ComplexModel, Model};
pub use protocol::{MessageKind, Protocol, REQUEST_NOT_ALLOWED};
pub use raw_header::{HeaderName, RawHeader};
pub use request_meta::RequestMeta;
pub use service::{
    AsyncInvokeFn, BodyStyle, BoxFuture, DeserializeFn, FaultDescriptor, FaultDeserializeFn,
    HeaderDescriptor, HeaderSerializeFn, Invoke, InvokeFn, MessageDescriptor, MethodDescriptor,
    MethodRef, SerializeFn, Service, ServiceDescriptor, ValidateFn, deserialize_boxed,
    deserialize_fault, downcast_boxed, serialize_boxed, validate_boxed,
};
pub use type_map::TypeMap;

#[cfg(feature = "derive")]
pub use rpclib_macros::{Choice, ComplexModel, Polymorphic, SimpleEnum};

/// Declares a service on an `impl` block, or a contract on a trait.
///
/// The trait form is for a contract shared by crates: an API crate declares the trait (and
/// gets `<Trait>Client`, `<Trait>Service` and `into_service`), a server crate implements it,
/// a client crate calls it depending on the API crate only. The guide's "Trait contracts"
/// (`docs/services-and-types.md`) and `examples/contract/` in the repository show it whole.
#[cfg(feature = "derive")]
pub use rpclib_macros::service;

/// The READMEs' examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The result of a service method: a value or a [`Fault`].
pub type Result<T, E = Fault> = std::result::Result<T, E>;

/// Log target of this crate.
pub(crate) const LOG_TARGET: &str = "rpclib_core";

/// Standard-library items re-exported for macro hygiene, and nothing else.
///
/// Code emitted by `#[service]`, `#[derive(ComplexModel)]` and `#[derive(SimpleEnum)]` names
/// `Option`, `Some`, `Box`, `Result`, `Any`... through this module
/// (`rpclib_core::hygiene::Option`) so that a user's own item of the same name (a
/// `struct Result` in the scope the macro expands in) cannot capture it. Every item here is
/// the standard library's, unchanged; code written by hand (see [`Service`] and
/// [`ComplexModel`]) uses the standard library directly. All the rpclib items the macros use
/// are public and documented: at the crate root (the service descriptors, the erased function
/// types and their generic implementations) and in [`model`] (type descriptors, the
/// `Serializer`/`Deserializer` traits, the slot helpers of [`ComplexModel`]).
pub mod hygiene {
    pub use std::any::Any;
    pub use std::borrow::Cow;
    pub use std::boxed::Box;
    pub use std::option::Option::{self, None, Some};
    pub use std::result::Result::{self, Err, Ok};
    pub use std::string::String;
    pub use std::vec::Vec;
}
