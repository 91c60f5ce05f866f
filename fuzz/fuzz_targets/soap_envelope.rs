//! Arbitrary bytes through the SOAP 1.1 and 1.2 server pipelines (envelope reader, header and
//! body deserializers of every model type, dispatch, serializer): every input must give a
//! well-formed reply, a value or a fault, and never a panic.
//!
//! No `#![forbid(unsafe_code)]` here: libFuzzer's `fuzz_target!` expands to an exported
//! `#[no_mangle] extern "C"` entry point, which the `unsafe_code` lint counts as unsafe. The
//! code of this file and of `rpclib_fuzz` (which forbids it) has no unsafe block.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use rpclib_core::Application;

static APPS: OnceLock<(Arc<Application>, Arc<Application>)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (soap11, soap12) =
        APPS.get_or_init(|| (rpclib_fuzz::soap_app(false), rpclib_fuzz::soap_app(true)));
    rpclib_fuzz::serve_and_check(soap11, false, data);
    // The same bytes at a SOAP 1.2 endpoint, with the envelope namespace swapped so that
    // the SOAP 1.1 seeds reach the 1.2 reader's body too.
    let swapped = swap_namespace(data);
    rpclib_fuzz::serve_and_check(soap12, true, swapped.as_deref().unwrap_or(data));
});

fn swap_namespace(data: &[u8]) -> Option<Vec<u8>> {
    const FROM: &[u8] = b"http://schemas.xmlsoap.org/soap/envelope/";
    const TO: &[u8] = b"http://www.w3.org/2003/05/soap-envelope";
    let at = data.windows(FROM.len()).position(|w| w == FROM)?;
    let mut out = Vec::with_capacity(data.len() + TO.len());
    out.extend_from_slice(&data[..at]);
    out.extend_from_slice(TO);
    out.extend_from_slice(&data[at + FROM.len()..]);
    Some(out)
}
