//! One application, SOAP 1.1 and SOAP 1.2 on one endpoint ([`SoapAny`]): each request is
//! answered in its own version, content type, fault shape and status; typed clients of either
//! version (and a `SoapAny` client) round-trip against it.

use std::sync::Arc;

use rpclib_core::{
    Application, ClientError, ClientTransport, Fault, OutgoingRequest, RemoteClient, Service,
    service,
};
use rpclib_protocol_soap::{
    SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, Soap11, Soap12, SoapAny, SoapVersion,
};

const NS: &str = "urn:both";
const TEXT_XML: &str = "text/xml; charset=utf-8";
const SOAP_XML: &str = "application/soap+xml; charset=utf-8";

/// Echoes, and fails in both fault classes.
#[derive(Debug)]
pub struct BothService;

#[service(namespace = "urn:both")]
impl BothService {
    #[rpc]
    fn echo_string(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    #[rpc]
    fn fail_client(&self) -> Result<(), Fault> {
        Err(Fault::client(
            "Documented.Deeper",
            "the caller got it wrong",
        ))
    }

    #[rpc]
    fn fail_server(&self) -> Result<(), Fault> {
        Err(Fault::server("the service got it wrong"))
    }
}

fn server() -> Arc<Application> {
    Application::builder("Both", NS)
        .service(BothService)
        .protocol(SoapAny::new())
        .build()
        .expect("valid application")
}

/// What the server answered.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    version: Option<SoapVersion>,
    body: String,
}

/// Runs one request through the server pipeline, as a transport would: `content_type` is
/// the request's media type.
fn serve(app: &Arc<Application>, content_type: Option<&str>, request: &[u8]) -> Answer {
    let mut ctx = app.new_context();
    ctx.in_content_type = content_type.map(str::to_owned);
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let answer = Answer {
        status: app.response_status(&ctx),
        content_type: app.response_content_type(&ctx).into_owned(),
        version: ctx.protocol_data.get::<SoapVersion>().copied(),
        body: String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8"),
    };
    ctx.close();
    answer
}

fn envelope(env_ns: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"{env_ns}\" xmlns:b=\"{NS}\">\
         <e:Body>{body}</e:Body></e:Envelope>"
    )
}

fn echo(env_ns: &str) -> String {
    envelope(
        env_ns,
        "<b:echo_string><b:s>héllo &amp; bye</b:s></b:echo_string>",
    )
}

/// The document's root `Envelope`: its namespace, and the Body's single child element.
fn body_child<'a>(doc: &'a roxmltree::Document<'a>) -> (&'a str, roxmltree::Node<'a, 'a>) {
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "Envelope");
    let ns = root.tag_name().namespace().expect("a namespaced Envelope");
    let body = root
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "Body")
        .expect("a Body");
    assert_eq!(body.tag_name().namespace(), Some(ns));
    let children: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    assert_eq!(children.len(), 1, "one element in the Body");
    (ns, children[0])
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, ns: &str, name: &str) -> roxmltree::Node<'a, 'a> {
    node.children()
        .find(|n| {
            n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
        })
        .unwrap_or_else(|| panic!("no {{{ns}}}{name} in {:?}", node.tag_name()))
}

/// `prefix:local` resolved against `node`'s scope.
fn qname_value(node: roxmltree::Node<'_, '_>) -> (String, String) {
    let text = node.text().expect("a QName value").trim();
    let (prefix, local) = text.split_once(':').expect("a prefixed QName");
    let ns = node
        .lookup_namespace_uri(Some(prefix))
        .expect("a bound prefix");
    (ns.to_owned(), local.to_owned())
}

/// Checks a SOAP 1.1 fault; returns its `faultcode` (`prefix` resolved to the 1.1 envelope).
fn soap11_fault(body: &str) -> (String, String) {
    let doc = roxmltree::Document::parse(body).expect("well-formed");
    let (ns, fault) = body_child(&doc);
    assert_eq!(ns, SOAP11_ENVELOPE_NS, "{body}");
    assert_eq!(
        (fault.tag_name().namespace(), fault.tag_name().name()),
        (Some(SOAP11_ENVELOPE_NS), "Fault")
    );
    let code = fault
        .children()
        .find(|n| n.tag_name().name() == "faultcode" && n.tag_name().namespace().is_none())
        .expect("an unqualified faultcode");
    let (code_ns, code) = qname_value(code);
    assert_eq!(code_ns, SOAP11_ENVELOPE_NS);
    let string = fault
        .children()
        .find(|n| n.tag_name().name() == "faultstring" && n.tag_name().namespace().is_none())
        .and_then(|n| n.text())
        .expect("a faultstring");
    assert!(
        !body.contains(SOAP12_ENVELOPE_NS),
        "no 1.2 namespace in a 1.1 fault: {body}"
    );
    (code, string.to_owned())
}

/// Checks a SOAP 1.2 fault; returns `Code/Value` (local name), the subcode values (local
/// names) and `Reason/Text`.
fn soap12_fault(body: &str) -> (String, Vec<String>, String) {
    assert!(
        !body.contains(SOAP11_ENVELOPE_NS),
        "no 1.1 namespace in a 1.2 fault: {body}"
    );
    soap12_fault_naming_others(body)
}

/// [`soap12_fault`] for a fault that may name the SOAP 1.1 namespace (`VersionMismatch`).
fn soap12_fault_naming_others(body: &str) -> (String, Vec<String>, String) {
    let doc = roxmltree::Document::parse(body).expect("well-formed");
    let (ns, fault) = body_child(&doc);
    assert_eq!(ns, SOAP12_ENVELOPE_NS, "{body}");
    assert_eq!(
        (fault.tag_name().namespace(), fault.tag_name().name()),
        (Some(SOAP12_ENVELOPE_NS), "Fault")
    );
    let code = child(fault, ns, "Code");
    let (value_ns, value) = qname_value(child(code, ns, "Value"));
    assert_eq!(value_ns, SOAP12_ENVELOPE_NS);
    let mut subcodes = Vec::new();
    let mut at = code;
    while let Some(sub) = at
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "Subcode")
    {
        let (sub_ns, local) = qname_value(child(sub, ns, "Value"));
        assert_eq!(sub_ns, NS, "subcodes are in the target namespace");
        subcodes.push(local);
        at = sub;
    }
    let text = child(child(fault, ns, "Reason"), ns, "Text");
    assert_eq!(
        text.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en"),
        "Reason/Text carries xml:lang"
    );
    (value, subcodes, text.text().unwrap_or("").to_owned())
}

#[test]
fn each_version_is_answered_in_its_own() {
    let app = server();
    for (env_ns, content_type, version, reply_type) in [
        (
            SOAP11_ENVELOPE_NS,
            Some(TEXT_XML),
            SoapVersion::Soap11,
            TEXT_XML,
        ),
        (
            SOAP12_ENVELOPE_NS,
            Some("application/soap+xml; charset=utf-8; action=\"echo_string\""),
            SoapVersion::Soap12,
            SOAP_XML,
        ),
        // The envelope decides, whatever the content type says (or if there is none).
        (
            SOAP11_ENVELOPE_NS,
            Some(SOAP_XML),
            SoapVersion::Soap11,
            TEXT_XML,
        ),
        (
            SOAP12_ENVELOPE_NS,
            Some(TEXT_XML),
            SoapVersion::Soap12,
            SOAP_XML,
        ),
        (SOAP12_ENVELOPE_NS, None, SoapVersion::Soap12, SOAP_XML),
    ] {
        let answer = serve(&app, content_type, echo(env_ns).as_bytes());
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_eq!(answer.content_type, reply_type, "{answer:?}");
        assert_eq!(answer.version, Some(version));
        let doc = roxmltree::Document::parse(&answer.body).expect("well-formed");
        let (ns, response) = body_child(&doc);
        assert_eq!(ns, version.envelope_namespace(), "{}", answer.body);
        assert_eq!(response.tag_name().name(), "echo_stringResponse");
        let result = child(response, NS, "echo_stringResult");
        assert_eq!(result.text(), Some("héllo & bye"));
        let other = match version {
            SoapVersion::Soap11 => SOAP12_ENVELOPE_NS,
            SoapVersion::Soap12 => SOAP11_ENVELOPE_NS,
        };
        assert!(!answer.body.contains(other), "{}", answer.body);
    }
}

#[test]
fn faults_take_the_shape_of_the_request_version() {
    let app = server();
    let client = envelope(SOAP11_ENVELOPE_NS, "<b:fail_client/>");
    let answer = serve(&app, Some(TEXT_XML), client.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (500, TEXT_XML)
    );
    let (code, string) = soap11_fault(&answer.body);
    assert_eq!(code, "Client.Documented.Deeper");
    assert_eq!(string, "the caller got it wrong");

    let server_fault = envelope(SOAP11_ENVELOPE_NS, "<b:fail_server/>");
    let answer = serve(&app, Some(TEXT_XML), server_fault.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (500, TEXT_XML)
    );
    assert_eq!(soap11_fault(&answer.body).0, "Server");

    let client = envelope(SOAP12_ENVELOPE_NS, "<b:fail_client/>");
    let answer = serve(&app, Some(SOAP_XML), client.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (400, SOAP_XML)
    );
    let (value, subcodes, reason) = soap12_fault(&answer.body);
    assert_eq!(value, "Sender");
    assert_eq!(subcodes, ["Documented", "Deeper"]);
    assert_eq!(reason, "the caller got it wrong");

    let server_fault = envelope(SOAP12_ENVELOPE_NS, "<b:fail_server/>");
    let answer = serve(&app, Some(SOAP_XML), server_fault.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (500, SOAP_XML)
    );
    let (value, subcodes, _) = soap12_fault(&answer.body);
    assert_eq!((value.as_str(), subcodes.len()), ("Receiver", 0));

    // Reading problems too: an unknown operation in each version.
    let unknown = envelope(SOAP12_ENVELOPE_NS, "<b:no_such_operation/>");
    let answer = serve(&app, Some(TEXT_XML), unknown.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (400, SOAP_XML)
    );
    let (value, subcodes, _) = soap12_fault(&answer.body);
    assert_eq!(
        (value.as_str(), subcodes.as_slice()),
        ("Sender", &["MethodNotFound".to_owned()][..])
    );
    let unknown = envelope(SOAP11_ENVELOPE_NS, "<b:no_such_operation/>");
    let answer = serve(&app, Some(SOAP_XML), unknown.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (500, TEXT_XML)
    );
    assert_eq!(soap11_fault(&answer.body).0, "Client.MethodNotFound");
}

#[test]
fn unreadable_messages_are_answered_in_the_version_the_content_type_hints() {
    let app = server();
    // Cut after the Body's element opened: the envelope's namespace was read.
    let truncated = envelope(SOAP12_ENVELOPE_NS, "<b:echo_string><b:s>x</b:s>");
    let garbage: [&[u8]; 5] = [
        b"this is not XML",
        b"",
        b"<<<",
        b"\xff\xfe<x/>",
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>",
    ];
    for body in garbage {
        let answer = serve(&app, Some("application/soap+xml; charset=utf-8"), body);
        assert_eq!(
            (answer.status, answer.content_type.as_str()),
            (400, SOAP_XML),
            "{answer:?}"
        );
        assert_eq!(soap12_fault(&answer.body).0, "Sender");
        for hint in [
            Some(TEXT_XML),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let answer = serve(&app, hint, body);
            assert_eq!(
                (answer.status, answer.content_type.as_str()),
                (500, TEXT_XML),
                "{answer:?}"
            );
            assert!(
                soap11_fault(&answer.body).0.starts_with("Client."),
                "{}",
                answer.body
            );
        }
    }
    // Once the envelope's namespace was read, it decides, not the hint.
    let answer = serve(&app, Some(TEXT_XML), truncated.as_bytes());
    assert_eq!(
        (answer.status, answer.content_type.as_str()),
        (400, SOAP_XML),
        "{answer:?}"
    );
    let (value, subcodes, _) = soap12_fault(&answer.body);
    assert_eq!(
        (value.as_str(), subcodes.as_slice()),
        ("Sender", &["XMLSyntaxError".to_owned()][..])
    );
}

#[test]
fn an_unknown_envelope_namespace_is_a_soap12_version_mismatch_with_upgrade() {
    let app = server();
    let request = envelope(
        "urn:not-soap",
        "<b:echo_string><b:s>x</b:s></b:echo_string>",
    );
    for hint in [Some(TEXT_XML), Some(SOAP_XML), None] {
        let answer = serve(&app, hint, request.as_bytes());
        assert_eq!(
            (answer.status, answer.content_type.as_str()),
            (500, SOAP_XML),
            "{answer:?}"
        );
        let (value, subcodes, reason) = soap12_fault_naming_others(&answer.body);
        assert_eq!((value.as_str(), subcodes.len()), ("VersionMismatch", 0));
        assert!(
            reason.contains("unknown envelope namespace `urn:not-soap`"),
            "{reason}"
        );
        // The Upgrade header block lists both envelopes, 1.2 first.
        let doc = roxmltree::Document::parse(&answer.body).expect("well-formed");
        let header = child(doc.root_element(), SOAP12_ENVELOPE_NS, "Header");
        let upgrade = child(header, SOAP12_ENVELOPE_NS, "Upgrade");
        let supported: Vec<(String, String)> = upgrade
            .children()
            .filter(|n| n.is_element())
            .map(|n| {
                assert_eq!(n.tag_name().name(), "SupportedEnvelope");
                let qname = n.attribute("qname").expect("a qname attribute");
                let (prefix, local) = qname.split_once(':').expect("a prefixed qname");
                let ns = n
                    .lookup_namespace_uri(Some(prefix))
                    .expect("a bound prefix");
                (ns.to_owned(), local.to_owned())
            })
            .collect();
        assert_eq!(
            supported,
            [
                (SOAP12_ENVELOPE_NS.to_owned(), "Envelope".to_owned()),
                (SOAP11_ENVELOPE_NS.to_owned(), "Envelope".to_owned())
            ]
        );
    }
}

#[test]
fn single_version_protocols_are_unchanged() {
    // A Soap11 endpoint still refuses 1.2 (and the reverse), and never writes Upgrade.
    for (eleven, env_ns) in [(true, SOAP12_ENVELOPE_NS), (false, SOAP11_ENVELOPE_NS)] {
        let builder = Application::builder("Both", NS).service(BothService);
        let app = if eleven {
            builder.protocol(Soap11::new())
        } else {
            builder.protocol(Soap12::new())
        }
        .build()
        .expect("valid application");
        let answer = serve(&app, None, echo(env_ns).as_bytes());
        assert_eq!(answer.status, 500);
        assert!(answer.body.contains("VersionMismatch"), "{}", answer.body);
        assert!(!answer.body.contains("Upgrade"), "{}", answer.body);
        let expected = if eleven { TEXT_XML } else { SOAP_XML };
        assert_eq!(answer.content_type, expected);
        assert_eq!(answer.version, None);
    }
}

/// A client transport that runs the server's pipeline on the bytes, the request's content
/// type as the hint, and checks the reply's content type against the request's version.
struct Loopback {
    server: Arc<Application>,
}

impl ClientTransport for Loopback {
    fn send(
        &self,
        request: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        let answer = serve(&self.server, Some(request.content_type), request.body);
        let sent = if request
            .body
            .windows(SOAP12_ENVELOPE_NS.len())
            .any(|w| w == SOAP12_ENVELOPE_NS.as_bytes())
        {
            SOAP_XML
        } else {
            TEXT_XML
        };
        if request.content_type != sent || answer.content_type != sent {
            return Err(format!(
                "content types: sent {} for a {sent} body, answered {}",
                request.content_type, answer.content_type
            )
            .into());
        }
        Ok(Some(answer.body.into_bytes()))
    }
}

#[test]
fn typed_clients_of_either_version_round_trip() {
    let server = server();
    let clients = [
        (
            "Soap11",
            Application::builder("Both", NS)
                .declare(BothService::descriptor())
                .protocol(Soap11::new())
                .build(),
        ),
        (
            "Soap12",
            Application::builder("Both", NS)
                .declare(BothService::descriptor())
                .protocol(Soap12::new())
                .build(),
        ),
        (
            "SoapAny",
            Application::builder("Both", NS)
                .declare(BothService::descriptor())
                .protocol(SoapAny::new())
                .build(),
        ),
        (
            "SoapAny 1.2",
            Application::builder("Both", NS)
                .declare(BothService::descriptor())
                .protocol(SoapAny::new().request_version(SoapVersion::Soap12))
                .build(),
        ),
    ];
    for (name, local) in clients {
        let local = local.expect("valid client application");
        let client = BothServiceClient::new(RemoteClient::new(
            local,
            Loopback {
                server: Arc::clone(&server),
            },
        ));
        assert_eq!(
            client.echo_string("a < b ∑".into()).expect(name),
            "a < b ∑",
            "{name}"
        );
        let fault = match client.fail_client() {
            Err(ClientError::Fault(fault)) => fault,
            other => panic!("{name}: expected a fault, got {other:?}"),
        };
        assert_eq!(fault.code.as_str(), "Client.Documented.Deeper", "{name}");
        assert_eq!(fault.string, "the caller got it wrong", "{name}");
        let fault = match client.fail_server() {
            Err(ClientError::Fault(fault)) => fault,
            other => panic!("{name}: expected a fault, got {other:?}"),
        };
        assert_eq!(fault.code.as_str(), "Server", "{name}");
    }
}
