//! Runnable examples of rpclib and its end-to-end tests. Each example is a file in
//! `examples/examples/`; run one with `cargo run -p rpclib-examples --example NAME`. This
//! library holds the services and protocols several examples and tests share.

#![forbid(unsafe_code)]

pub mod bench;
pub mod hello;
#[allow(missing_docs)] // field names are the interop contract's; their docs would repeat it
pub mod interop;
pub mod multi;
pub mod server;
pub mod shapes;
pub mod tcp;

/// The guide's chapters (`docs/`), compiled and run as doc tests so that they stay true.
#[cfg(doctest)]
pub mod guide {
    #[doc = include_str!("../../docs/getting-started.md")]
    pub struct GettingStarted;
    #[doc = include_str!("../../docs/services-and-types.md")]
    pub struct ServicesAndTypes;
    #[doc = include_str!("../../docs/from-wsdl-to-rust.md")]
    pub struct FromWsdlToRust;
    #[doc = include_str!("../../docs/events-and-call-wrappers.md")]
    pub struct EventsAndCallWrappers;
    #[doc = include_str!("../../docs/soap-and-wsdl.md")]
    pub struct SoapAndWsdl;
    #[doc = include_str!("../../docs/http.md")]
    pub struct Http;
    #[doc = include_str!("../../docs/calling-a-soap-service.md")]
    pub struct CallingASoapService;
    #[doc = include_str!("../../docs/queue.md")]
    pub struct Queue;
    #[doc = include_str!("../../docs/implementing-transports-and-protocols.md")]
    pub struct ImplementingTransportsAndProtocols;
    #[doc = include_str!("../../docs/openapi.md")]
    pub struct OpenApi;
    #[doc = include_str!("../../docs/performance.md")]
    pub struct Performance;
    #[doc = include_str!("../../docs/interop.md")]
    pub struct Interop;
    #[doc = include_str!("../../docs/ARCHITECTURE.md")]
    pub struct Architecture;
    #[doc = include_str!("../../docs/README.md")]
    pub struct Index;
}
