//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub, missing_docs)]

pub mod bench_service;
pub mod golden_service;

use std::sync::Arc;

use rpclib_core::Application;

/// Runs one request through the whole server pipeline; returns the status and the reply.
pub fn serve(app: &Arc<Application>, request: &[u8]) -> (u16, String) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let reply = String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8");
    (status, reply)
}

/// Runs one request and returns the status, the reply, and the fault the pipeline recorded.
pub fn serve_fault(
    app: &Arc<Application>,
    request: &[u8],
) -> (u16, String, Option<(String, String)>) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let fault = ctx
        .error()
        .map(|f| (f.code.as_str().to_owned(), f.string.clone()));
    let reply = String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8");
    (status, reply, fault)
}

/// Panics unless `xml` is a well-formed document (balanced, no stray content).
pub fn assert_well_formed(xml: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
            }
            Ok(Event::Empty(_)) if depth == 0 => roots += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed ({e}): {xml}"),
        }
    }
    assert_eq!((depth, roots), (0, 1), "not one balanced root: {xml}");
}

pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// A SOAP 1.1 request with `body` in the Body; `g` is bound to `urn:golden`.
pub fn envelope(body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{SOAP11}\" xmlns:g=\"urn:golden\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Body>{body}</s:Body></s:Envelope>"
    )
}
