//! # rpclib-transport-http
//!
//! This crate will hold the HTTP server and client transport of rpclib (hyper 1.x, a `tower::Service`, graceful shutdown, limits).
//!
//! **Status: not implemented yet.** It exposes no API so far; nothing here pretends to work.
//! It depends on `rpclib-core` only, like every rpclib crate other than the core and the
//! macros. See the project README for the crate map and what is ready.

#![forbid(unsafe_code)]
