//! Reply header blocks from a client call, over real HTTP in SOAP 1.1 and 1.2 and in-process:
//! the `<method>_with_headers` variant of a generated client returns the server's typed
//! out-header and every reply block as raw XML (one the server added as a `RawHeader` in a
//! call wrapper among them); the plain method returns the result alone.

mod common;

use std::sync::Arc;

use rpclib_core::{Application, HeaderName, InProcess, RawHeader, Service, wrap_fn};
use rpclib_examples::interop::{
    self, InteropServiceWithHeader, InteropServiceWithHeaderClient, OutHeader,
};
use rpclib_examples::server::soap_app_both_versions;
use rpclib_protocol_soap::{Soap11, Soap12};
use rpclib_transport_http::{AsyncHttpClient, HttpConfig};

const TRACE_NS: &str = "urn:example:trace";

/// The interop services, with a wrapper adding a raw `Trace` block to every reply.
fn server_builder() -> rpclib_core::ApplicationBuilder {
    interop::builder().call_wrapper(wrap_fn(|ctx, next| {
        Box::pin(async move {
            next.call(ctx).await?;
            ctx.out_headers.push(Box::new(RawHeader::new(
                HeaderName::new(TRACE_NS, "Trace"),
                format!("<t:Trace xmlns:t=\"{TRACE_NS}\">id-42</t:Trace>"),
                false,
            )));
            Ok(())
        })
    }))
}

fn client_app(soap12: bool) -> Arc<Application> {
    let builder = Application::builder("Application", interop::TNS)
        .declare(InteropServiceWithHeader::descriptor());
    let builder = if soap12 {
        builder.protocol(Soap12::new())
    } else {
        builder.protocol(Soap11::new())
    };
    builder.build().unwrap()
}

/// The contract's out-header value (the interop contract's f = 3.141592653, dt = 2000-01-01).
fn check_value(header: &OutHeader) {
    let text = format!("{header:?}");
    assert!(text.contains("3.141592653"), "{text}");
    assert!(text.contains("2000"), "{text}");
}

#[tokio::test]
async fn reply_headers_come_back_over_http() {
    let addr = common::serve(
        soap_app_both_versions(server_builder()).unwrap(),
        HttpConfig::default(),
    );
    for soap12 in [false, true] {
        let client = InteropServiceWithHeaderClient::new(
            AsyncHttpClient::new(&format!("http://{addr}/"))
                .unwrap()
                .caller(client_app(soap12)),
        );
        let reply = client.send_out_header_with_headers().await.unwrap();
        let value = reply.value.clone().expect("the method returns its header");
        check_value(&value);
        // The declared out-header, typed: the value the method set.
        assert_eq!(reply.header::<OutHeader>(), Some(&value));
        // Every block raw: the typed one and the wrapper's.
        let names: Vec<String> = reply.raw_headers().map(|h| h.name.to_string()).collect();
        assert_eq!(
            names,
            [
                format!("{{{}}}OutHeader", interop::TNS),
                format!("{{{TRACE_NS}}}Trace")
            ],
            "soap12: {soap12}"
        );
        let trace = reply
            .raw_headers()
            .find(|h| h.name.is(TRACE_NS, "Trace"))
            .unwrap();
        let doc = roxmltree::Document::parse(trace.xml.as_str()).unwrap();
        assert_eq!(doc.root_element().text(), Some("id-42"));
        // The plain method still returns the result alone.
        assert_eq!(client.send_out_header().await.unwrap(), Some(value));
        // A method whose reply has no typed header still brings the raw block.
        let reply = client.echo_in_header_with_headers().await.unwrap();
        assert_eq!(reply.value, None);
        assert_eq!(reply.header::<OutHeader>(), None);
        assert_eq!(reply.raw_headers().count(), 1);
    }
}

#[tokio::test]
async fn reply_headers_come_back_in_process() {
    let app = server_builder().build().unwrap();
    let client = InteropServiceWithHeaderClient::new(InProcess::new(app));
    let reply = client.send_out_header_with_headers().await.unwrap();
    let value = reply.value.clone().expect("the method returns its header");
    check_value(&value);
    assert_eq!(reply.header::<OutHeader>(), Some(&value));
    assert_eq!(
        reply
            .raw_headers()
            .map(|h| h.name.to_string())
            .collect::<Vec<_>>(),
        [format!("{{{TRACE_NS}}}Trace")]
    );
}
