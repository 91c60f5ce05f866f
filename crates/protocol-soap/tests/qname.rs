//! `xs:QName` values (`QName`, `XmlList<QName>`) in elements, attributes and text: the
//! prefixes the writer declares (the exact XML, against a golden file), that they read back
//! through a typed client and a server in both SOAP versions, prefixes resolved against the
//! declarations in scope where the value stands, and the faults bad names get.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use common::loopback::{Loopback, caller, soap_app};

use std::sync::Arc;

use proptest::prelude::*;
use rpclib_core::model::{QName, XmlList};
use rpclib_core::{
    Application, ClientTransport, ComplexModel, Fault, OutgoingRequest, RemoteClient, Service,
    service,
};
use rpclib_protocol_soap::Soap11;

const NS: &str = "urn:names";

/// A QName as an attribute, as the text of an element with attributes (simpleContent), and
/// a list of them.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:names")]
pub struct Typed {
    #[model(attribute)]
    pub kind: QName,
    #[model(text)]
    pub value: QName,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:names")]
pub struct Names {
    #[model(attribute)]
    pub scheme: Option<QName>,
    pub first: QName,
    #[model(unwrapped)]
    pub others: Vec<QName>,
    pub list: XmlList<QName>,
    pub typed: Option<Typed>,
}

pub struct NameService;

#[service(namespace = "urn:names")]
impl NameService {
    #[rpc]
    fn echo_names(&self, names: Names) -> Result<Names, Fault> {
        Ok(names)
    }

    #[rpc]
    fn echo_name(&self, name: QName) -> Result<QName, Fault> {
        Ok(name)
    }
}

fn server(soap12: bool) -> Arc<Application> {
    soap_app(
        Application::builder("Names", NS).service(NameService),
        soap12,
    )
}

fn client(soap12: bool) -> NameServiceClient<RemoteClient<Loopback>> {
    NameServiceClient::new(caller(
        "Names",
        NS,
        <NameService as Service>::descriptor(),
        server(soap12),
        soap12,
    ))
}

fn q(ns: &str, local: &str) -> QName {
    QName::new(ns, local).expect("a valid QName")
}

fn names() -> Names {
    Names {
        scheme: Some(q("urn:scheme", "s")),
        first: q("http://www.onvif.org/ver10/schema", "Profile"),
        others: vec![q(NS, "own"), q("", "bare"), q("urn:scheme", "again")],
        list: XmlList(vec![q("urn:a", "x"), q("urn:b", "y"), q("urn:a", "z")]),
        typed: Some(Typed {
            kind: q("urn:kinds", "k"),
            value: q("urn:values", "v"),
        }),
    }
}

#[test]
fn writes_the_golden_reply() {
    let c = client(false);
    c.echo_names(names()).unwrap();
    let (_, reply) = c.caller().transport().last();
    // Prefixes are declared where a value first needs them, numbered in order of first use,
    // and reused while in scope; the target namespace keeps its own prefix.
    common::check_golden("qname", "echo_names_soap11.xml", &reply);
}

#[test]
fn round_trips_in_both_versions() {
    for soap12 in [false, true] {
        let c = client(soap12);
        assert_eq!(c.echo_names(names()).unwrap(), names());
        let bare = Names {
            scheme: None,
            others: vec![],
            list: XmlList(vec![]),
            typed: None,
            ..names()
        };
        assert_eq!(c.echo_names(bare.clone()).unwrap(), bare);
        for name in [q("", "a"), q(NS, "b"), q("urn:x", "c")] {
            assert_eq!(c.echo_name(name.clone()).unwrap(), name);
        }
    }
}

fn request(body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:h=\"{NS}\" xmlns:tt=\"urn:tt\"><s:Body>{body}</s:Body></s:Envelope>",
        common::SOAP11
    )
}

fn names_request(content: &str) -> String {
    request(&format!(
        "<h:echo_names><h:names>{content}</h:names></h:echo_names>"
    ))
}

/// What the server understood of `body`: it echoes the value, written with its own
/// prefixes, and the client's protocol reads that back.
fn echo_names(body: &str) -> Names {
    let (status, reply) = common::serve(&server(false), body.as_bytes());
    assert_eq!(status, 200, "{reply}");
    read_reply(&reply)
}

/// Reads a reply of `echo_names` with the client's protocol.
fn read_reply(reply: &str) -> Names {
    struct Canned(String);
    impl ClientTransport for Canned {
        fn send(
            &self,
            _: &OutgoingRequest<'_>,
        ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
            Ok(Some(self.0.clone().into_bytes()))
        }
    }
    let local = Application::builder("Names", NS)
        .declare(<NameService as Service>::descriptor())
        .protocol(Soap11::new())
        .build()
        .expect("valid client");
    NameServiceClient::new(RemoteClient::new(local, Canned(reply.to_owned())))
        .echo_names(names())
        .expect("the reply reads")
}

#[test]
fn prefixes_resolve_where_the_value_stands() {
    // `tt` bound on the envelope; `p` bound on the element itself, and rebound deeper; an
    // unprefixed name takes the default namespace in scope, or none.
    let got = echo_names(&names_request(
        "<h:first xmlns:p=\"urn:p\">p:one</h:first>\
         <h:others>tt:two</h:others>\
         <h:others xmlns=\"urn:default\">three</h:others>\
         <h:others>four</h:others>\
         <h:list xmlns:p=\"urn:p2\">\n p:a\ttt:b c </h:list>\
         <h:typed xmlns:k=\"urn:k\" kind=\"k:kind\">k:text</h:typed>",
    ));
    assert_eq!(got.first, q("urn:p", "one"));
    assert_eq!(
        got.others,
        [q("urn:tt", "two"), q("urn:default", "three"), q("", "four")]
    );
    assert_eq!(got.list.0, [q("urn:p2", "a"), q("urn:tt", "b"), q("", "c")]);
    assert_eq!(
        got.typed,
        Some(Typed {
            kind: q("urn:k", "kind"),
            value: q("urn:k", "text"),
        })
    );
    assert_eq!(got.scheme, None);
}

/// The fault code and string the server answers `body` with.
fn fault_of(body: &str) -> (String, String) {
    let (status, reply, fault) = common::serve_fault(&server(false), body.as_bytes());
    assert_eq!(status, 500, "{reply}");
    fault.expect("a fault")
}

#[test]
fn bad_names_get_a_validation_fault_naming_what_and_where() {
    let cases = [
        (
            "<h:first>zz:a</h:first>",
            "the namespace prefix `zz` is not declared",
        ),
        // Declared on a sibling only: out of scope here.
        (
            "<h:first>p:a</h:first><h:others xmlns:p=\"urn:p\">p:b</h:others>",
            "prefix `p` is not declared",
        ),
        ("<h:first></h:first>", "a QName cannot be empty"),
        ("<h:first>a:b:c</h:first>", "the local name `b:c`"),
        ("<h:first>tt:</h:first>", "the local name ``"),
        ("<h:first>1x</h:first>", "the local name `1x`"),
        (
            "<h:first>tt:a</h:first><h:list>tt:b qq:c</h:list>",
            "list item 1 (`qq:c`)",
        ),
    ];
    for (content, expected) in cases {
        let (code, string) = fault_of(&names_request(content));
        assert_eq!(code, "Client.ValidationError", "{content}: {string}");
        assert!(string.contains(expected), "{content}: {string}");
        assert!(string.contains("QName"), "{content}: {string}");
    }
    // The attribute's element is named, with the position.
    let (code, string) = fault_of(&names_request(
        "<h:first>tt:a</h:first><h:list/><h:typed kind=\"nope:k\">tt:v</h:typed>",
    ));
    assert_eq!(code, "Client.ValidationError");
    assert!(string.contains("prefix `nope`"), "{string}");
    assert!(string.contains("kind"), "{string}");
    assert!(string.contains("line 1"), "{string}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_names_round_trip(
        names in proptest::collection::vec(
            ("(urn:[a-z]{1,3})?", "[A-Za-z_][A-Za-z0-9_.-]{0,5}"),
            1..6,
        ),
    ) {
        let qs: Vec<QName> = names.iter().map(|(ns, local)| q(ns, local)).collect();
        let v = Names {
            scheme: qs.last().cloned(),
            first: qs[0].clone(),
            others: qs.clone(),
            list: XmlList(qs.clone()),
            typed: Some(Typed { kind: qs[0].clone(), value: qs[qs.len() - 1].clone() }),
        };
        prop_assert_eq!(client(false).echo_names(v.clone()).unwrap(), v);
    }
}
