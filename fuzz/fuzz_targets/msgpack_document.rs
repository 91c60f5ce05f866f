//! Arbitrary bytes through the MessagePack document server pipeline (bounded parse, dispatch, the
//! deserializer of every model type, serializer): every input must give a MessagePack reply, a
//! value or a fault, and never a panic.
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
    let app = APP.get_or_init(rpclib_fuzz::msgpack_app);
    rpclib_fuzz::serve_msgpack_and_check(app, data);
});
