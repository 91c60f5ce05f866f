//! `MethodContext::request`: a protocol sees the request's method, path, query string and
//! headers in transport-neutral form (`RequestMeta`), set by hand (as a protocol's own test
//! would) and by the HTTP transport over a real socket.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::net::TcpStream;

use rpclib_core::{
    Application, Catalogue, Fault, MessageKind, MethodContext, Protocol, RequestMeta, service,
};
use rpclib_transport_http::{RpcService, Server};

/// A protocol that answers every request with what it saw of it: the request line and the
/// `X-Probe` header, written as the fault string. It knows nothing of HTTP.
#[derive(Debug)]
struct MetaEcho;

fn describe(ctx: &MethodContext) -> String {
    match &ctx.request {
        None => "no request metadata".to_owned(),
        Some(meta) => format!(
            "{} {} ?{} probe={} type={} hint={}",
            meta.method,
            meta.path,
            meta.query.as_deref().unwrap_or("-"),
            meta.header_str("x-probe").unwrap_or("-"),
            meta.content_type().unwrap_or("-"),
            ctx.in_content_type.as_deref().unwrap_or("-"),
        ),
    }
}

impl Protocol for MetaEcho {
    fn create_in_document(&self, _: &mut MethodContext) -> Result<(), Fault> {
        Ok(())
    }
    fn decompose_incoming_envelope(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        _: MessageKind,
    ) -> Result<(), Fault> {
        Err(Fault::client("Seen", describe(ctx)))
    }
    fn deserialize(
        &self,
        _: &Catalogue,
        _: &mut MethodContext,
        _: MessageKind,
    ) -> Result<(), Fault> {
        Ok(())
    }
    fn serialize(&self, _: &Catalogue, _: &mut MethodContext, _: MessageKind) -> Result<(), Fault> {
        Ok(())
    }
    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let text = ctx.error().map(|f| f.string.clone()).unwrap_or_default();
        ctx.out_string = vec![text.into_bytes()];
        Ok(())
    }
    fn message_content_type(&self, _: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed("text/plain")
    }
}

#[derive(Debug)]
struct Nothing;

#[service(namespace = "urn:test:meta")]
impl Nothing {
    #[rpc]
    fn nothing(&self) {}
}

fn app() -> std::sync::Arc<Application> {
    Application::builder("Meta", "urn:test:meta")
        .service(Nothing)
        .protocol(MetaEcho)
        .build()
        .unwrap()
}

#[test]
fn a_protocol_reads_the_request_metadata_it_is_given() {
    let app = app();
    let mut ctx = MethodContext::new();
    assert_eq!(describe(&ctx), "no request metadata");
    ctx.set_request(
        RequestMeta::new("PUT", "/a/b")
            .with_query("x=1&y")
            .with_header("X-Probe", "p1")
            .with_header("Content-Type", "text/csv"),
    );
    let err = MetaEcho
        .decompose_incoming_envelope(app.catalogue(), &mut ctx, MessageKind::Request)
        .unwrap_err();
    assert_eq!(
        err.string,
        "PUT /a/b ?x=1&y probe=p1 type=text/csv hint=text/csv"
    );
}

#[test]
fn the_http_transport_fills_the_request_metadata() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(Server::bind("127.0.0.1:0", RpcService::new(app())))
        .unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = rt.spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(
        b"POST /svc/json?debug=1&x=%20 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
          X-Probe: hello\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    assert_eq!(
        body,
        "POST /svc/json ?debug=1&x=%20 probe=hello type=application/json hint=application/json",
        "{out}"
    );
    let _ = stop.send(());
    rt.block_on(running).unwrap().unwrap();
}
