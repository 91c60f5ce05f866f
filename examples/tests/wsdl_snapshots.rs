//! The WSDL of the hello, bench and interop services, pinned byte for byte. Set
//! `RPCLIB_UPDATE_SNAPSHOTS=1` to rewrite the files after an intended change, then review the
//! diff: these files are what stock clients consume.

use std::path::PathBuf;
use std::sync::Arc;

use rpclib_core::{Application, TransportInfo};
use rpclib_examples::{bench, hello, interop};
use rpclib_interface_wsdl::Wsdl11;

fn wsdl(app: &Arc<Application>) -> String {
    let transport = TransportInfo {
        uri: "http://schemas.xmlsoap.org/soap/http".into(),
    };
    app.interface_document(&transport)
        .unwrap()
        .render("http://localhost:8000/")
}

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("RPCLIB_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with RPCLIB_UPDATE_SNAPSHOTS=1)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} changed; rerun with RPCLIB_UPDATE_SNAPSHOTS=1 and review the diff"
    );
}

#[test]
fn hello_wsdl() {
    let app = hello::builder().interface(Wsdl11::new()).build().unwrap();
    check("hello.wsdl", &wsdl(&app));
}

#[test]
fn bench_wsdl() {
    let app = bench::builder().interface(Wsdl11::new()).build().unwrap();
    check("bench.wsdl", &wsdl(&app));
}

#[test]
fn interop_wsdl() {
    let app = interop::builder().interface(Wsdl11::new()).build().unwrap();
    let text = wsdl(&app);
    check("interop.wsdl", &text);
    // Deterministic: a second application gives the same bytes.
    let again = interop::builder().interface(Wsdl11::new()).build().unwrap();
    assert_eq!(text, wsdl(&again));
}

#[test]
fn soap11_only_documents_declare_no_soap12_namespace() {
    let app = bench::builder().interface(Wsdl11::new()).build().unwrap();
    assert!(!wsdl(&app).contains("wsdl/soap12/"));
    let both = bench::builder()
        .interface(Wsdl11::new().soap12(true))
        .build()
        .unwrap();
    let text = wsdl(&both);
    assert!(text.contains(r#"<wsdl:binding name="BenchServiceSoap12" type="tns:BenchService">"#));
    assert!(text.contains(r#"<soap12:address location="http://localhost:8000/"/>"#));
}
