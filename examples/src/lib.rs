//! Runnable examples of rpclib and its end-to-end tests. Each example is a file in
//! `examples/examples/`; run one with `cargo run -p rpclib-examples --example NAME`. This
//! library holds the services and protocols several examples and tests share.

pub mod bench;
pub mod hello;
#[allow(missing_docs)] // field names are the interop contract's; their docs would repeat it
pub mod interop;
pub mod json;
pub mod server;
pub mod tcp;
