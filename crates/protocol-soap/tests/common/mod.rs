//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub, missing_docs)]

pub mod bench_service;
pub mod golden_service;
pub mod loopback;

use std::sync::Arc;

use rpclib_core::Application;

/// Runs one request through the whole server pipeline; returns the status and the reply.
pub fn serve(app: &Arc<Application>, request: &[u8]) -> (u16, String) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
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
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let fault = ctx
        .error()
        .map(|f| (f.code.as_str().to_owned(), f.string.clone()));
    let reply = String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8");
    (status, reply, fault)
}

/// Panics unless `xml` is a namespace-well-formed XML document, checked by an independent
/// namespace-aware parser (roxmltree): one root element, balanced tags, every prefix bound, no
/// attribute twice (by qualified or by expanded name), no text or markup outside the root,
/// valid references and characters; and, which roxmltree lets through (it reads `<:x/>` as
/// `<x/>`), no element or attribute name with an empty prefix.
pub fn assert_well_formed(xml: &str) {
    let doc = match roxmltree::Document::parse(xml) {
        Ok(doc) => doc,
        Err(e) => panic!("not well-formed ({e}): {xml}"),
    };
    for element in doc.descendants().filter(roxmltree::Node::is_element) {
        let tag = &xml[element.range().start + 1..];
        let end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        let name = &tag[..end];
        assert!(
            !name.starts_with(':'),
            "not namespace-well-formed (element `{name}`: empty prefix): {xml}"
        );
        for attribute in element.attributes() {
            let name = &xml[attribute.range_qname()];
            assert!(
                !name.starts_with(':'),
                "not namespace-well-formed (attribute `{name}`: empty prefix): {xml}"
            );
        }
    }
}

pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// A SOAP 1.1 request with `body` in the Body; `g` is bound to `urn:golden`.
pub fn envelope(body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{SOAP11}\" xmlns:g=\"urn:golden\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Body>{body}</s:Body></s:Envelope>"
    )
}

/// Compares `actual` with the golden file `tests/golden/<dir>/<name>`;
/// `RPCLIB_UPDATE_GOLDEN=1` rewrites it instead (never under CI), as in `tests/golden.rs`.
pub fn check_golden(dir: &str, name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(dir)
        .join(name);
    let update = std::env::var("RPCLIB_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    assert!(
        !(update && ci),
        "golden files are compared in CI, never rewritten"
    );
    if update {
        std::fs::write(&path, format!("{actual}\n")).expect("writable golden file");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(actual, expected.trim_end(), "{}", path.display());
}
