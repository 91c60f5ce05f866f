//! SOAP 1.1 and SOAP 1.2 on one URL over real sockets: the bench example's application
//! (`bench::app()`, `SoapAny`) answers each version with its own status codes and
//! `Content-Type`, publishes both ports, and typed clients of either version call it. Replies
//! are checked with `roxmltree`, not with the tokenizer under test.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rpclib_core::{Application, Protocol, Service, service};
use rpclib_examples::bench::{self, BenchService, BenchServiceClient, Person};
use rpclib_protocol_soap::{
    SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, Soap11, Soap12, SoapAny, SoapVersion,
};
use rpclib_transport_http::{Execution, HttpClient, HttpConfig};

const TEXT_XML: &str = "text/xml; charset=utf-8";
const SOAP_XML: &str = "application/soap+xml; charset=utf-8";

/// A response: status, `Content-Type` header, body.
#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

fn start(app: Arc<Application>, config: HttpConfig) -> SocketAddr {
    common::serve(app, config)
}

fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let reply = common::exchange(addr, request);
    Reply {
        status: reply.status,
        content_type: reply.header("content-type"),
        body: reply.body,
    }
}

fn post(addr: SocketAddr, content_type: &str, body: &[u8]) -> Reply {
    let mut request = format!(
        "POST /bench HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    raw(addr, &request)
}

fn envelope(env_ns: &str, body: &str) -> String {
    format!(
        "<e:Envelope xmlns:e=\"{env_ns}\" xmlns:b=\"{}\"><e:Body>{body}</e:Body></e:Envelope>",
        bench::TNS
    )
}

fn echo(env_ns: &str) -> String {
    envelope(env_ns, "<b:echo_string><b:s>one URL</b:s></b:echo_string>")
}

/// Checks that `reply` is a well-formed, namespace-well-formed envelope in `env_ns` (with the
/// prefix our writer gives it) with no trace of the other version's namespace.
fn in_version(reply: &Reply, env_ns: &str) {
    let doc = match roxmltree::Document::parse(&reply.body) {
        Ok(doc) => doc,
        Err(e) => panic!("not well-formed ({e}): {reply:?}"),
    };
    let (prefix, other) = if env_ns == SOAP11_ENVELOPE_NS {
        ("soap11env", SOAP12_ENVELOPE_NS)
    } else {
        ("soap12env", SOAP11_ENVELOPE_NS)
    };
    let root = doc.root_element();
    assert_eq!(
        (root.tag_name().namespace(), root.tag_name().name()),
        (Some(env_ns), "Envelope"),
        "{reply:?}"
    );
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert_ne!(node.tag_name().namespace(), Some(other), "{reply:?}");
        assert!(node.namespaces().all(|ns| ns.uri() != other), "{reply:?}");
        assert!(
            node.attributes().all(|a| a.namespace() != Some(other)),
            "{reply:?}"
        );
    }
    let root = format!("<{prefix}:Envelope xmlns:{prefix}=\"{env_ns}\"");
    assert!(reply.body.contains(&root), "{reply:?}");
    assert!(!reply.body.contains(other), "{reply:?}");
}

#[test]
fn one_url_answers_each_version_in_its_own() {
    let addr = start(bench::app().unwrap(), HttpConfig::default());

    let r = post(addr, TEXT_XML, echo(SOAP11_ENVELOPE_NS).as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, TEXT_XML),
        "{r:?}"
    );
    in_version(&r, SOAP11_ENVELOPE_NS);
    assert!(r.body.contains(">one URL</tns:echo_stringResult>"), "{r:?}");

    let action = "application/soap+xml; charset=utf-8; action=\"echo_string\"";
    let r = post(addr, action, echo(SOAP12_ENVELOPE_NS).as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, SOAP_XML),
        "{r:?}"
    );
    in_version(&r, SOAP12_ENVELOPE_NS);
    assert!(r.body.contains(">one URL</tns:echo_stringResult>"), "{r:?}");

    // Faults: 1.1 always 500; 1.2 Sender 400.
    let unknown = "<b:no_such_operation/>";
    let r = post(
        addr,
        TEXT_XML,
        envelope(SOAP11_ENVELOPE_NS, unknown).as_bytes(),
    );
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (500, TEXT_XML),
        "{r:?}"
    );
    in_version(&r, SOAP11_ENVELOPE_NS);
    assert!(
        r.body
            .contains("<faultcode>soap11env:Client.MethodNotFound</faultcode>"),
        "{r:?}"
    );
    let r = post(
        addr,
        SOAP_XML,
        envelope(SOAP12_ENVELOPE_NS, unknown).as_bytes(),
    );
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (400, SOAP_XML),
        "{r:?}"
    );
    in_version(&r, SOAP12_ENVELOPE_NS);
    assert!(
        r.body
            .contains("<soap12env:Value>soap12env:Sender</soap12env:Value>"),
        "{r:?}"
    );

    // The envelope decides, not the content type.
    let r = post(addr, TEXT_XML, echo(SOAP12_ENVELOPE_NS).as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, SOAP_XML),
        "{r:?}"
    );
    let r = post(
        addr,
        "application/x-www-form-urlencoded",
        echo(SOAP11_ENVELOPE_NS).as_bytes(),
    );
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, TEXT_XML),
        "{r:?}"
    );

    // Garbage: the content type's version.
    let r = post(addr, SOAP_XML, b"not XML at all");
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (400, SOAP_XML),
        "{r:?}"
    );
    in_version(&r, SOAP12_ENVELOPE_NS);
    let r = post(addr, TEXT_XML, b"not XML at all");
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (500, TEXT_XML),
        "{r:?}"
    );
    in_version(&r, SOAP11_ENVELOPE_NS);

    // Neither namespace: a SOAP 1.2 VersionMismatch naming both envelopes.
    let r = post(
        addr,
        TEXT_XML,
        envelope("urn:not-soap", "<b:x/>").as_bytes(),
    );
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (500, SOAP_XML),
        "{r:?}"
    );
    assert!(r.body.contains("soap12env:VersionMismatch"), "{r:?}");
    assert!(r.body.contains("<soap12env:Upgrade>"), "{r:?}");
}

#[test]
fn transport_faults_follow_the_content_type() {
    let config = HttpConfig {
        max_body_bytes: 64,
        ..HttpConfig::default()
    };
    let addr = start(bench::app().unwrap(), config);
    let long = echo(SOAP12_ENVELOPE_NS);
    assert!(long.len() > 64);
    let r = post(addr, SOAP_XML, long.as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (413, SOAP_XML),
        "{r:?}"
    );
    in_version(&r, SOAP12_ENVELOPE_NS);
    let r = post(addr, TEXT_XML, echo(SOAP11_ENVELOPE_NS).as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (413, TEXT_XML),
        "{r:?}"
    );
    in_version(&r, SOAP11_ENVELOPE_NS);
}

#[test]
fn the_wsdl_publishes_both_ports_at_one_address() {
    let addr = start(bench::app().unwrap(), HttpConfig::default());
    let r = raw(
        addr,
        b"GET /bench?wsdl HTTP/1.1\r\nHost: example.test:8000\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        r.body
            .contains(r#"<soap:address location="http://example.test:8000/bench"/>"#),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(r#"<soap12:address location="http://example.test:8000/bench"/>"#),
        "{}",
        r.body
    );
}

/// A typed bench client over HTTP speaking `protocol`.
fn client(
    addr: SocketAddr,
    protocol: impl Protocol,
) -> BenchServiceClient<rpclib_core::RemoteClient<HttpClient>> {
    let app = Application::builder("BenchService", bench::TNS)
        .declare(BenchService::descriptor())
        .protocol(protocol)
        .build()
        .unwrap();
    BenchServiceClient::new(
        HttpClient::new(&format!("http://{addr}/bench"))
            .unwrap()
            .caller(app),
    )
}

#[test]
fn typed_clients_of_either_version_call_one_url() {
    let addr = start(bench::app().unwrap(), HttpConfig::default());
    let people = vec![Person {
        name: "Ada".into(),
        age: 36,
        email: "ada@example.com".into(),
        tags: vec!["math".into(), "<engines>".into()],
    }];
    let clients = [
        ("Soap11", client(addr, Soap11::new())),
        ("Soap12", client(addr, Soap12::new())),
        ("SoapAny", client(addr, SoapAny::new())),
        (
            "SoapAny 1.2",
            client(addr, SoapAny::new().request_version(SoapVersion::Soap12)),
        ),
    ];
    for (name, c) in clients {
        assert_eq!(c.echo_string("über".into()).expect(name), "über", "{name}");
        assert_eq!(
            c.echo_integer_array(vec![1, -2, 3]).expect(name),
            [1, -2, 3],
            "{name}"
        );
        assert_eq!(c.echo_people(people.clone()).expect(name), people, "{name}");
    }
}

/// A method that outlasts the request timeout of [`a_timed_out_request_gets_a_fault_in_its_version`].
#[derive(Debug)]
struct Slow;

#[service(namespace = "urn:test:slow")]
impl Slow {
    /// Sleeps `ms` milliseconds.
    #[rpc]
    fn nap(&self, ms: u64) -> u64 {
        std::thread::sleep(Duration::from_millis(ms));
        ms
    }
}

#[test]
fn a_timed_out_request_gets_a_fault_in_its_version() {
    let app = Application::builder("Slow", "urn:test:slow")
        .service(Slow)
        .protocol(SoapAny::new())
        .build()
        .unwrap();
    let addr = start(
        app,
        HttpConfig {
            request_timeout: Duration::from_millis(300),
            execution: Execution::BlockingPool,
            ..HttpConfig::default()
        },
    );
    let nap = |env_ns: &str| {
        format!(
            "<e:Envelope xmlns:e=\"{env_ns}\" xmlns:s=\"urn:test:slow\"><e:Body>\
             <s:nap><s:ms>1500</s:ms></s:nap></e:Body></e:Envelope>"
        )
    };

    // The transport writes the 503 fault after the request went into the pipeline: still in
    // the version the request's content type hints at.
    let r = post(addr, SOAP_XML, nap(SOAP12_ENVELOPE_NS).as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (503, SOAP_XML),
        "{r:?}"
    );
    in_version(&r, SOAP12_ENVELOPE_NS);
    assert!(
        r.body
            .contains("<soap12env:Value>soap12env:Receiver</soap12env:Value>"),
        "{r:?}"
    );
    assert!(r.body.contains("did not complete in time"), "{r:?}");

    let r = post(addr, TEXT_XML, nap(SOAP11_ENVELOPE_NS).as_bytes());
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (503, TEXT_XML),
        "{r:?}"
    );
    in_version(&r, SOAP11_ENVELOPE_NS);
    assert!(r.body.contains("did not complete in time"), "{r:?}");
}
