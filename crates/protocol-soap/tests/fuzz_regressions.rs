//! Inputs the fuzz targets of `fuzz/` found crashing, kept as regression tests: each must get
//! a fault (or a value) and a well-formed reply.

mod common;

use std::sync::Arc;

use common::golden_service::GoldenService;
use common::{assert_well_formed, envelope};
use rpclib_core::Application;
use rpclib_protocol_soap::{SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, Soap11, Soap12};

fn apps() -> [Arc<Application>; 2] {
    let build = |soap12: bool| {
        let b = Application::builder("Golden", "urn:golden").service(GoldenService);
        let b = if soap12 {
            b.protocol(Soap12::new())
        } else {
            b.protocol(Soap11::new())
        };
        b.build().expect("valid application")
    };
    [build(false), build(true)]
}

fn syntax_fault(request: &[u8], says: &str) {
    for (app, ns) in apps().iter().zip([SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS]) {
        let request = String::from_utf8_lossy(request).replace(SOAP11_ENVELOPE_NS, ns);
        let (_, reply, fault) = common::serve_fault(app, request.as_bytes());
        assert_well_formed(&reply);
        let (code, string) = fault.unwrap_or_else(|| panic!("no fault: {reply}"));
        assert_eq!(code, "Client.XMLSyntaxError", "{string}");
        assert!(string.contains(says), "{string:?} does not say {says:?}");
    }
}

/// `<:x/>` (an empty namespace prefix) inside an xs:anyType value was accepted and echoed,
/// giving a reply no namespace-aware reader can parse.
#[test]
fn an_empty_prefix_is_a_syntax_error() {
    syntax_fault(
        include_bytes!("fuzz/empty-prefix-in-any.xml"),
        "`:rnsef` is not a valid qualified name",
    );
    for name in [":a", "a:", "a:b:c"] {
        syntax_fault(
            envelope(&format!(
                "<g:echo_any><g:xml><{name}/></g:xml></g:echo_any>"
            ))
            .as_bytes(),
            "is not a valid qualified name",
        );
        syntax_fault(
            envelope(&format!(
                "<g:echo_any><g:xml><x {name}=\"1\"/></g:xml></g:echo_any>"
            ))
            .as_bytes(),
            "is not a valid qualified name",
        );
    }
}

/// The check every reply above passes through is a namespace-aware parser's: it rejects
/// what a plain tokenizer lets through (this is how the empty prefix above went unseen).
#[test]
fn the_well_formedness_check_is_namespace_aware() {
    let ok = format!("<s:Envelope xmlns:s=\"{SOAP11_ENVELOPE_NS}\"><s:Body/></s:Envelope>");
    assert_well_formed(&ok);
    for bad in [
        // An unbound prefix.
        "<s:Envelope><s:Body/></s:Envelope>",
        // An empty prefix, on an element or an attribute; two colons.
        "<e xmlns:a=\"urn:a\"><:x/></e>",
        "<e :a=\"1\"/>",
        "<a:b:c xmlns:a=\"urn:a\"/>",
        // One attribute twice, by qualified name and by expanded name.
        "<e a=\"1\" a=\"2\"/>",
        "<e xmlns:p=\"urn:a\" xmlns:q=\"urn:a\" p:a=\"1\" q:a=\"2\"/>",
        // Text, or a second element, outside the root.
        "<e/>stray",
        "stray<e/>",
        "<e/><f/>",
        // An undefined entity; a character XML forbids.
        "<e>&nope;</e>",
        "<e>\u{1}</e>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_well_formed(bad)).is_err();
        assert!(caught, "accepted as well-formed: {bad:?}");
    }
}
