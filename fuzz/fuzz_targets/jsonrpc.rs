//! Arbitrary bytes through the JSON-RPC 2.0 server pipeline, batches split and joined as the
//! HTTP transport does (bounded parse, request checks, dispatch, named and positional
//! params into every model type, result and error writing): every input must give nothing
//! (notifications) or well-formed response objects, and never a panic. The same bytes are
//! then a reply that typed JSON-RPC clients read (`rpclib_fuzz::read_jsonrpc_reply`): a
//! value, a fault or an invalid-reply error, never a panic.
//!
//! No `#![forbid(unsafe_code)]` here: libFuzzer's `fuzz_target!` expands to an exported
//! `#[no_mangle] extern "C"` entry point, which the `unsafe_code` lint counts as unsafe. The
//! code of this file and of `rpclib_fuzz` (which forbids it) has no unsafe block.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use rpclib_core::Application;

static APP: OnceLock<Arc<Application>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let app = APP.get_or_init(rpclib_fuzz::jsonrpc_app);
    rpclib_fuzz::serve_jsonrpc_and_check(app, data);
    rpclib_fuzz::read_jsonrpc_reply(data);
});
