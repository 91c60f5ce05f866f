//! The generated server and the generated client talk over HTTP, and the WSDL the generated
//! service publishes matches the input WSDL where a client looks: same operation, same body
//! elements in the same namespace.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::channel;

use codegen_example::generated::login_cms;
use rpclib_core::ClientError;
use rpclib_transport_http::{RpcService, Server};

const INPUT: &str =
    include_str!("../../../crates/codegen/tests/corpus/node-soap/strict/logincms.wsdl");

fn serve() -> SocketAddr {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = codegen_example::app().expect("app");
            let server = Server::bind("127.0.0.1:0", RpcService::new(app))
                .await
                .expect("bind");
            tx.send(server.local_addr().expect("addr")).expect("send");
            server.run().await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

/// (operation, input element, output element) of every operation, as `{ns}local` names.
fn operations(wsdl: &str) -> Vec<(String, String, String)> {
    const W: &str = "http://schemas.xmlsoap.org/wsdl/";
    let doc = roxmltree::Document::parse(wsdl).expect("WSDL parses");
    let qname = |n: roxmltree::Node<'_, '_>, attr: &str| -> String {
        let v = n.attribute(attr).unwrap_or_default();
        let (p, l) = v.split_once(':').unwrap_or(("", v));
        let ns = n
            .lookup_namespace_uri(if p.is_empty() { None } else { Some(p) })
            .unwrap_or_default();
        format!("{{{ns}}}{l}")
    };
    let part_of = |message: &str| -> String {
        let local = message.rsplit('}').next().unwrap_or_default();
        doc.descendants()
            .find(|m| m.has_tag_name((W, "message")) && m.attribute("name") == Some(local))
            .and_then(|m| m.children().find(|p| p.has_tag_name((W, "part"))))
            .map(|p| qname(p, "element"))
            .unwrap_or_default()
    };
    let mut out: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name((W, "operation"))
                && n.parent().is_some_and(|p| p.has_tag_name((W, "portType")))
        })
        .map(|op| {
            let io = |kind: &str| {
                op.children()
                    .find(|c| c.has_tag_name((W, kind)))
                    .map(|c| part_of(&qname(c, "message")))
                    .unwrap_or_default()
            };
            (
                op.attribute("name").unwrap_or_default().to_string(),
                io("input"),
                io("output"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn generated_client_calls_generated_server() {
    let addr = serve();
    let client = codegen_example::connect(&format!("http://{addr}/")).expect("client");
    let ticket = client.login_cms("MIIB...signed".to_string()).expect("call");
    assert_eq!(
        ticket,
        "<loginTicketResponse>13 bytes signed</loginTicketResponse>"
    );
    match client.login_cms("  ".to_string()) {
        Err(ClientError::Fault(f)) => {
            assert_eq!(f.string, "the CMS must not be empty");
            // The detail comes back typed: the generated struct for the WSDL's fault element.
            assert_eq!(f.detail::<login_cms::Fault>(), Some(&login_cms::Fault {}));
        }
        other => panic!("expected the LoginFault, got {other:?}"),
    }
}

#[test]
fn served_wsdl_has_the_input_operations_and_elements() {
    let addr = serve();
    let served = get(addr, "/?wsdl");
    let expected = operations(INPUT);
    assert_eq!(
        expected,
        vec![(
            "loginCms".to_string(),
            "{http://wsaa.view.sua.dvadac.desein.afip.gov}loginCms".to_string(),
            "{http://wsaa.view.sua.dvadac.desein.afip.gov}loginCmsResponse".to_string()
        )]
    );
    assert_eq!(operations(&served), expected, "served WSDL:\n{served}");
}
