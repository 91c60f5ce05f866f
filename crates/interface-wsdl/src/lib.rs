//! # rpclib-interface-wsdl
//!
//! This crate will hold WSDL 1.1 and XML Schema interface documents for rpclib applications (an implementation of `rpclib_core::Interface`).
//!
//! **Status: not implemented yet.** It exposes no API so far; nothing here pretends to work.
//! It depends on `rpclib-core` only, like every rpclib crate other than the core and the
//! macros. See the project README for the crate map and what is ready.

#![forbid(unsafe_code)]
