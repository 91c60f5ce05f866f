//! Generates rpclib code from WSDL 1.1 and XML Schema 1.0 documents: model types
//! (`#[derive(ComplexModel)]`, `#[derive(SimpleEnum)]`), and per port type a `#[service]`
//! trait, which gives a server trait to implement and a typed async client.
//!
//! Two front doors: [`Builder`] for `build.rs` (writes into `OUT_DIR`), and the
//! `rpclib-wsdl2rs` binary, which writes a complete Cargo crate. Both read local files only;
//! remote locations resolve through a [`LocationMap`] and are never fetched.
//!
//! Every construct the model system cannot express yet is refused with a [`Diagnostic`]
//! naming the file, line, column and construct; nothing is dropped silently.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     rpclib_codegen::Builder::new()
//!         .wsdl("wsdl/service.wsdl")
//!         .map("http://www.example.com/schemas/", "wsdl/schemas")
//!         .compile()?;
//!     Ok(())
//! }
//! ```

mod builder;
pub mod diag;
mod emit;
pub mod ir;
pub mod loader;
pub mod naming;
mod xml;

pub use builder::{Builder, Generated};
pub use diag::{Diagnostic, Error, Location, Severity};
pub use loader::LocationMap;
