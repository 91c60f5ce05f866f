//! The plain XML document protocol (`XmlDocument`): golden files (each
//! `golden/xml_document/requests/NAME.xml`, the SOAP golden request's Body element as a whole
//! document, run through a server; the status and reply compared byte for byte with
//! `golden/xml_document/replies/NAME.xml`, first line the status; regenerate with
//! `BLESS=1 cargo test -p rpclib-protocol-soap --test xml_document`), every reply
//! namespace-well-formed, and a bad-input table with the exact faults. Round trips of every
//! model type are in `roundtrip.rs` (`wire` 2).

mod common;

use std::path::Path;
use std::sync::Arc;

use common::golden_service::GoldenService;
use common::{assert_well_formed, serve_fault};
use rpclib_core::Application;
use rpclib_protocol_soap::{Limits, XmlDocument};

fn server_with(limits: Limits) -> Arc<Application> {
    Application::builder("Golden", "urn:golden")
        .service(GoldenService)
        .protocol(XmlDocument::with_limits(limits))
        .build()
        .expect("valid application")
}

const CASES: &[&str] = &[
    "echo_primitives",
    "echo_containers",
    "echo_bare",
    "echo_bare_array",
    "echo_any",
    "multi",
    "nothing",
    "fault_documented",
    "fault_plain",
    "fault_validation",
    "fault_unknown_operation",
];

#[test]
fn golden_replies() {
    let app = server_with(Limits::default());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/xml_document");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for name in CASES {
        let request = std::fs::read(dir.join("requests").join(format!("{name}.xml"))).unwrap();
        let (status, reply, _) = serve_fault(&app, &request);
        assert_well_formed(&reply);
        let got = format!("{status}\n{reply}\n");
        let path = dir.join("replies").join(format!("{name}.xml"));
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n got  {got}\n want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (request, status, fault code, fault string).
const TABLE: &[(&str, u16, &str, &str)] = &[
    ("", 400, "Client.XMLSyntaxError", "the message is empty"),
    (
        "x",
        400,
        "Client.XMLSyntaxError",
        "malformed XML: text before the root element at line 1, column 1",
    ),
    (
        "<g:nothing xmlns:g=\"urn:golden\"/><more/>",
        400,
        "Client.XMLSyntaxError",
        "content after the end of the root element at line 1, column 34",
    ),
    (
        "<g:nothing xmlns:g=\"urn:golden\">",
        400,
        "Client.XMLSyntaxError",
        "unexpected end of the document: an element is not closed at line 1, column 33",
    ),
    (
        "<nothing/>",
        400,
        "Client.MethodNotFound",
        "no operation receives the element `nothing` at line 1, column 1",
    ),
    (
        "<!DOCTYPE x [<!ENTITY a \"b\">]><g:nothing xmlns:g=\"urn:golden\"/>",
        400,
        "Client.XMLSyntaxError",
        "a DOCTYPE is not allowed in a SOAP message (DTDs and entity declarations are refused) at line 1, column 1",
    ),
    (
        "<g:multi xmlns:g=\"urn:golden\"><g:a>x</g:a><g:b>1</g:b></g:multi>",
        400,
        "Client.ValidationError",
        "\"x\" is not a valid xs:int: expected an integer (in `a`) at line 1, column 31",
    ),
    (
        "<g:multi xmlns:g=\"urn:golden\"><g:b>1</g:b></g:multi>",
        400,
        "Client.ValidationError",
        "missing required element `a` at line 1, column 1",
    ),
    (
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>",
        400,
        "Client.MethodNotFound",
        "no operation receives the element `{http://schemas.xmlsoap.org/soap/envelope/}Envelope` at line 1, column 1",
    ),
];

#[test]
fn bad_input_table() {
    let app = server_with(Limits::default());
    let mut failures = Vec::new();
    for (request, status, code, string) in TABLE {
        let (got_status, reply, fault) = serve_fault(&app, request.as_bytes());
        assert_well_formed(&reply);
        assert!(reply.contains("<Fault><faultcode>"), "{reply}");
        let (got_code, got_string) = fault.unwrap_or_default();
        if (got_status, got_code.as_str(), got_string.as_str()) != (*status, *code, *string) {
            failures.push(format!(
                "{request:?}\n  got  ({got_status}, {got_code:?}, {got_string:?})\n  want ({status}, {code:?}, {string:?})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn limits_apply() {
    let app = server_with(Limits::default().max_input_bytes(16));
    let (status, _, fault) = serve_fault(&app, b"<g:nothing xmlns:g=\"urn:golden\"/>");
    assert_eq!(status, 400);
    assert_eq!(fault.map(|f| f.0).as_deref(), Some("Client.RequestTooLong"));
}
