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
    let doc = WsdlDocument::parse(text).unwrap();
    assert_eq!(doc.unresolved(), Vec::<String>::new());
}
