//! Differential fuzzing of the SOAP reader's tokenizer: arbitrary bytes through
//! `rpclib_protocol_soap::check_well_formed` (default limits) and through roxmltree
//! (`Document::parse_with_options`, `allow_dtd: false`). A document that we accept and that
//! roxmltree refuses is a crash (the panic message has both verdicts and the document). The
//! other direction is not a failure: we refuse more than roxmltree on purpose (every DTD,
//! namespace rules roxmltree does not check, our limits) and it is not logged.
//!
//! Exceptions, where a refusal by roxmltree says nothing about well-formedness:
//! - `NodesLimitReached`, `AttributesLimitReached`, `NamespacesLimitReached`: roxmltree's own
//!   resource limits, beyond XML (more than `u32::MAX` nodes or attributes, nesting deeper
//!   than `u32::MAX`, more than `u16::MAX` distinct namespaces per document). Unreachable
//!   with `-max_len=16384`; listed so that a longer run cannot report them.
//! - `EntityReferenceLoop`, `EntityResolver`, `UnexpectedEntityCloseTag`, `InvalidExternalID`:
//!   entity declarations and external subsets only exist in a DTD, which roxmltree refuses
//!   here (`allow_dtd: false`) before reading one.
//!
//! - `UnknownNamespace("xml", _)`: roxmltree binds the `xml` prefix for attributes only, and
//!   refuses an element named `xml:…`; Namespaces in XML 1.0 (section 3) binds the prefix by
//!   definition everywhere, so such an element is namespace-well-formed (first found after
//!   3.5 million executions; `tests/xmlconf/extra/valid-xml-prefix-element.xml` holds it).
//!
//! No exception for `DtdDetected` (the one DTD-related refusal roxmltree makes with
//! `allow_dtd: false`): it means the prolog has a `<!DOCTYPE`, and `check_well_formed`
//! refuses every DTD too, so our accepting such a document is a bug of ours.
//!
//! Both readers get the same text: a UTF-8 byte order mark is skipped by both. We read UTF-8
//! only, so accepting bytes that are not UTF-8 is a crash too.
//!
//! No `#![forbid(unsafe_code)]` here: libFuzzer's `fuzz_target!` expands to an exported
//! `#[no_mangle] extern "C"` entry point, which the `unsafe_code` lint counts as unsafe. This
//! file has no unsafe block.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roxmltree::{Document, Error, ParsingOptions};
use rpclib_protocol_soap::{Limits, check_well_formed};

fuzz_target!(|data: &[u8]| {
    if check_well_formed(data, Limits::default()).is_err() {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        panic!("check_well_formed accepted bytes that are not UTF-8: {data:?}");
    };
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    match Document::parse_with_options(text, options) {
        Ok(_) => {}
        Err(e) if roxmltree_limitation(&e) => {}
        Err(e) => panic!(
            "check_well_formed accepted a document that roxmltree refuses ({e}; {e:?})\n\
             document: {text:?}"
        ),
    }
});

/// Refusals of roxmltree that are not well-formedness verdicts (see the file's comment).
fn roxmltree_limitation(e: &Error) -> bool {
    matches!(
        e,
        Error::NodesLimitReached
            | Error::AttributesLimitReached
            | Error::NamespacesLimitReached
            | Error::EntityReferenceLoop(_)
            | Error::EntityResolver(..)
            | Error::UnexpectedEntityCloseTag(_)
            | Error::InvalidExternalID(_)
    ) || matches!(e, Error::UnknownNamespace(prefix, _) if prefix == "xml")
}
