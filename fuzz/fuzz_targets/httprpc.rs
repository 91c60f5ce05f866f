//! Arbitrary requests (request line, content type, body) through the HttpRpc server
//! pipeline, JSON out (percent-decoding, keys, the multipart reader, the form reader of every
//! model type): every input must give a JSON reply, a value or a fault, and never a panic.
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
    let app = APP.get_or_init(rpclib_fuzz::httprpc_app);
    rpclib_fuzz::serve_httprpc_and_check(app, data);
});
