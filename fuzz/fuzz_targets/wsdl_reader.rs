//! Arbitrary text through the WSDL reader (`WsdlDocument::parse`, then `unresolved()`):
//! every input must give a document or an error, never a panic.
//!
//! No `#![forbid(unsafe_code)]` here: libFuzzer's `fuzz_target!` expands to an exported
//! `#[no_mangle] extern "C"` entry point, which the `unsafe_code` lint counts as unsafe. This
//! file has no unsafe block.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rpclib_interface_wsdl::WsdlDocument;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(doc) = WsdlDocument::parse(&text) {
        let _ = doc.unresolved();
        let _ = format!("{doc:?}");
    }
});
