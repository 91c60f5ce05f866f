//! What the schema tests share: publish an application's WSDL and check fragments of it.
#![allow(dead_code)]

use rpclib_core::{ApplicationBuilder, TransportInfo};
use rpclib_interface_wsdl::{Wsdl11, WsdlDocument};

/// Builds the application with the WSDL 1.1 interface and renders its document as served at
/// `http://localhost:8000/`.
pub(crate) fn wsdl_of(builder: ApplicationBuilder) -> String {
    let app = builder.interface(Wsdl11::new()).build().unwrap();
    let transport = TransportInfo {
        uri: "http://schemas.xmlsoap.org/soap/http".into(),
    };
    app.interface_document(&transport)
        .unwrap()
        .render("http://localhost:8000/")
}

/// Asserts that every fragment is in the document, and that our WSDL reader resolves every
/// name the document uses.
pub(crate) fn assert_contains_and_resolves(text: &str, fragments: &[&str]) {
    for fragment in fragments {
        assert!(text.contains(fragment), "{fragment} not in {text}");
    }
    assert_resolves(text);
}

/// Asserts that our WSDL reader reads the document and resolves every name it uses.
pub(crate) fn assert_resolves(text: &str) {
    let doc = WsdlDocument::parse(text).unwrap();
    assert_eq!(doc.unresolved(), Vec::<String>::new());
}

/// Asserts that the document is byte for byte `tests/data/<file>`; with
/// `RPCLIB_UPDATE_SNAPSHOTS=1` (never under CI) rewrites the file first.
pub(crate) fn assert_snapshot(file: &str, text: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let update = std::env::var("RPCLIB_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    assert!(
        !(update && ci),
        "snapshots are compared in CI, never rewritten"
    );
    if update {
        std::fs::write(&path, text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == text,
        "{file} changed; rerun with RPCLIB_UPDATE_SNAPSHOTS=1 and review:\n{text}"
    );
}
