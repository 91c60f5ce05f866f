//! Header blocks as raw XML: every block of a request readable as a `RawHeader`, blocks a call
//! wrapper registered as understood accepted under `mustUnderstand`, and raw blocks written
//! into replies (checked, with `mustUnderstand` added in the reply's envelope namespace).

mod common;

use std::sync::Arc;

use common::golden_service::GoldenService;
use common::{SOAP11, assert_well_formed, serve_fault};
use rpclib_core::{
    Application, CallWrapper, Fault, HeaderName, MethodContext, Next, RawHeader, wrap_fn,
};
use rpclib_protocol_soap::{Limits, SOAP12_ENVELOPE_NS, Soap11, Soap12};

const X: &str = "urn:x";

/// A request with `header` in the Header, calling `whoami`; `x` is bound on the Envelope.
fn request(env_ns: &str, header: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{env_ns}\" xmlns:g=\"urn:golden\" xmlns:x=\"{X}\" \
         xmlns:unused=\"urn:unused\"><s:Header>{header}</s:Header>\
         <s:Body><g:whoami/></s:Body></s:Envelope>"
    )
}

/// Records the raw blocks it sees into the reply as an `x:Seen` block per block, and
/// understands `{urn:x}Token`.
#[derive(Debug)]
struct Recorder;

impl CallWrapper for Recorder {
    async fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
        let seen: Vec<RawHeader> = ctx.raw_in_headers().cloned().collect();
        next.call(ctx).await?;
        for raw in seen {
            let text = raw.xml.as_str().replace('&', "&amp;").replace('<', "&lt;");
            ctx.out_headers.push(Box::new(RawHeader::new(
                HeaderName::new(X, "Seen"),
                format!(
                    "<x:Seen xmlns:x=\"{X}\" name=\"{}\" mu=\"{}\">{text}</x:Seen>",
                    raw.name, raw.must_understand
                ),
                false,
            )));
        }
        Ok(())
    }

    fn understood_headers(&self) -> Vec<HeaderName> {
        vec![HeaderName::new(X, "Token")]
    }
}

fn app11(wrapper: bool) -> Arc<Application> {
    let b = Application::builder("Golden", "urn:golden")
        .service(GoldenService)
        .protocol(Soap11::new());
    let b = if wrapper { b.call_wrapper(Recorder) } else { b };
    b.build().expect("valid application")
}

/// The raw blocks the wrapper saw, read back from the reply with roxmltree.
fn seen(reply: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(reply).expect("well-formed reply");
    doc.descendants()
        .filter(|n| n.has_tag_name((X, "Seen")))
        .map(|n| {
            (
                n.attribute("name").unwrap_or_default().to_owned(),
                n.attribute("mu").unwrap_or_default().to_owned(),
                n.text().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_block_is_readable_raw_and_stands_alone() {
    let app = app11(true);
    let header = "<g:Session><g:token>t1</g:token></g:Session>\
         <x:Token s:mustUnderstand=\"1\"><x:User>ann</x:User><y:Z xmlns:y=\"urn:y\" a=\"x:q\"/></x:Token>\
         <x:Empty/>";
    let (status, reply, fault) = serve_fault(&app, request(SOAP11, header).as_bytes());
    assert_eq!(fault, None, "{reply}");
    assert_eq!(status, 200);
    assert_well_formed(&reply);
    // The typed header is still read as its type.
    assert!(
        reply.contains("<tns:whoamiResult>t1</tns:whoamiResult>"),
        "{reply}"
    );
    let seen = seen(&reply);
    assert_eq!(seen.len(), 3, "{reply}");
    assert_eq!(seen[0].0, "{urn:golden}Session");
    assert_eq!(seen[1].0, "{urn:x}Token");
    assert_eq!(seen[1].1, "true");
    assert_eq!(seen[0].1, "false");
    assert_eq!(seen[2].0, "{urn:x}Empty");
    // Each block stands alone: the declarations it uses are copied onto it, the others not.
    for (_, _, xml) in &seen {
        assert_well_formed(xml);
        assert!(!xml.contains("urn:unused"), "{xml}");
    }
    assert_eq!(
        seen[1].2,
        format!(
            "<x:Token xmlns:s=\"{SOAP11}\" xmlns:x=\"{X}\" s:mustUnderstand=\"1\"><x:User>ann</x:User><y:Z xmlns:y=\"urn:y\" a=\"x:q\"/></x:Token>"
        )
    );
    assert_eq!(seen[2].2, format!("<x:Empty xmlns:x=\"{X}\"/>"));
}

#[test]
fn must_understand_is_accepted_only_for_registered_blocks() {
    let token = "<x:Token s:mustUnderstand=\"1\"/>";
    let other = "<x:Other s:mustUnderstand=\"1\"/>";
    // Without the wrapper, nobody understands the token.
    let (_, _, fault) = serve_fault(&app11(false), request(SOAP11, token).as_bytes());
    let (code, string) = fault.expect("a MustUnderstand fault");
    assert_eq!(code, "MustUnderstand");
    assert!(string.contains("{urn:x}Token"), "{string}");
    // The wrapper registers it.
    let (_, reply, fault) = serve_fault(&app11(true), request(SOAP11, token).as_bytes());
    assert_eq!(fault, None, "{reply}");
    // But not another block.
    let (_, _, fault) = serve_fault(&app11(true), request(SOAP11, other).as_bytes());
    assert_eq!(fault.map(|f| f.0).as_deref(), Some("MustUnderstand"));
    // Registered on the builder, and by a service-level wrapper.
    let app = Application::builder("Golden", "urn:golden")
        .service(GoldenService)
        .protocol(Soap11::new())
        .understand_header(X, "Other")
        .build()
        .expect("valid application");
    let (_, reply, fault) = serve_fault(&app, request(SOAP11, other).as_bytes());
    assert_eq!(fault, None, "{reply}");
    let app = Application::builder("Golden", "urn:golden")
        .service_with(GoldenService, |s| {
            s.call_wrapper(Recorder);
        })
        .protocol(Soap11::new())
        .build()
        .expect("valid application");
    let (_, reply, fault) = serve_fault(&app, request(SOAP11, token).as_bytes());
    assert_eq!(fault, None, "{reply}");
}

fn app_with_out_header(
    soap12: bool,
    header: impl Fn() -> RawHeader + Send + Sync + 'static,
) -> Arc<Application> {
    let header = Arc::new(header);
    let b = Application::builder("Golden", "urn:golden")
        .service(GoldenService)
        .call_wrapper(wrap_fn(move |ctx, next| {
            let header = Arc::clone(&header);
            Box::pin(async move {
                next.call(ctx).await?;
                ctx.out_headers.push(Box::new(header()));
                Ok(())
            })
        }));
    let b = if soap12 {
        b.protocol(Soap12::new())
    } else {
        b.protocol(Soap11::new())
    };
    b.build().expect("valid application")
}

#[test]
fn raw_reply_blocks_are_written_with_must_understand() {
    for (soap12, env_ns) in [(false, SOAP11), (true, SOAP12_ENVELOPE_NS)] {
        let app = app_with_out_header(soap12, || {
            RawHeader::new(
                HeaderName::new(X, "Ticket"),
                "<t:Ticket xmlns:t=\"urn:x\">a &amp; b</t:Ticket>",
                true,
            )
        });
        let (status, reply, fault) = serve_fault(&app, request(env_ns, "").as_bytes());
        assert_eq!((status, fault), (200, None), "{reply}");
        assert_well_formed(&reply);
        let doc = roxmltree::Document::parse(&reply).expect("well-formed");
        let ticket = doc
            .descendants()
            .find(|n| n.has_tag_name((X, "Ticket")))
            .expect("the raw block");
        assert_eq!(ticket.text(), Some("a & b"));
        assert_eq!(ticket.attribute((env_ns, "mustUnderstand")), Some("1"));
        assert_eq!(ticket.parent().map(|p| p.tag_name().name()), Some("Header"));
        // The typed out-header is still written beside it.
        assert!(
            doc.descendants()
                .any(|n| n.has_tag_name(("urn:golden", "Served")))
        );
    }
    // A block that already carries the attribute keeps it, once.
    let app = app_with_out_header(false, || {
        RawHeader::new(
            HeaderName::new(X, "Ticket"),
            format!("<x:Ticket xmlns:x=\"{X}\" xmlns:e=\"{SOAP11}\" e:mustUnderstand=\"0\"/>"),
            true,
        )
    });
    let (_, reply, fault) = serve_fault(&app, request(SOAP11, "").as_bytes());
    assert_eq!(fault, None, "{reply}");
    assert_well_formed(&reply);
    assert!(reply.contains("e:mustUnderstand=\"0\"/>"), "{reply}");
}

#[test]
fn bad_raw_reply_blocks_are_server_faults() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "cannot draw a random nonce",
            "text beside its element: \"cannot draw a random nonce\"",
            "text only, quoted",
        ),
        (
            "<x:Ticket xmlns:x=\"urn:x\">",
            "not well-formed",
            "unclosed",
        ),
        ("<x:Other xmlns:x=\"urn:x\"/>", "{urn:x}Other", "wrong name"),
        (
            "<x:Ticket xmlns:x=\"urn:x\"/><x:Ticket xmlns:x=\"urn:x\"/>",
            "more than one element",
            "two elements",
        ),
        ("text<x:Ticket xmlns:x=\"urn:x\"/>", "text beside", "text"),
        ("", "no element", "empty"),
        (
            "<x:Ticket xmlns:x=\"urn:x\" xmlns:soap11env=\"urn:other\"/>",
            "declares the envelope's prefix",
            "prefix clash",
        ),
    ];
    for (xml, says, name) in cases {
        let app = app_with_out_header(false, move || {
            RawHeader::new(HeaderName::new(X, "Ticket"), xml, true)
        });
        let (status, reply, fault) = serve_fault(&app, request(SOAP11, "").as_bytes());
        assert_eq!(status, 500, "{name}: {reply}");
        assert_well_formed(&reply);
        let (code, string) = fault.expect("a fault");
        assert!(code.starts_with("Server"), "{name}: {code}");
        assert!(string.contains(says), "{name}: {string}");
    }
}

#[test]
fn copied_declarations_are_held_to_the_string_limit() {
    // Two long namespaces on the Envelope, used by many tiny blocks: each copy is long, so
    // all copies together must stay within the limit (linear cost, not blocks x namespaces).
    let long_a = format!("urn:{}", "a".repeat(2000));
    let long_b = format!("urn:{}", "b".repeat(2000));
    let blocks = "<p:B q:c=\"\"/>".repeat(2000);
    let req = format!(
        "<s:Envelope xmlns:s=\"{SOAP11}\" xmlns:g=\"urn:golden\" xmlns:p=\"{long_a}\" \
         xmlns:q=\"{long_b}\"><s:Header>{blocks}</s:Header><s:Body><g:whoami/></s:Body></s:Envelope>"
    );
    let app = Application::builder("Golden", "urn:golden")
        .service(GoldenService)
        .protocol(Soap11::with_limits(
            Limits::default().max_string_bytes(1 << 20),
        ))
        .build()
        .expect("valid application");
    let (status, reply, fault) = serve_fault(&app, req.as_bytes());
    assert_eq!(status, 500, "{reply}");
    let (code, string) = fault.expect("a fault");
    assert_eq!(code, "Client.LimitExceeded", "{string}");
    assert!(
        string.contains("header blocks") && string.contains("1048576 bytes"),
        "{string}"
    );
    // 100 blocks (400 KB of copies) stay within the limit.
    let few = "<p:B q:c=\"\"/>".repeat(100);
    let req = req.replace(&blocks, &few);
    let (_, reply, fault) = serve_fault(&app, req.as_bytes());
    assert_eq!(fault, None, "{reply}");
}
