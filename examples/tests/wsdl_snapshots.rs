//! The WSDL of the hello, bench and interop services, pinned byte for byte. Set
//! `RPCLIB_UPDATE_SNAPSHOTS=1` to rewrite the files after an intended change, then review the
//! diff: these files are what stock clients consume. Only the value `1` rewrites (any other
//! value compares), and under CI (`CI` set to anything but empty, `0` or `false`) asking for a
//! rewrite fails the test: CI compares, it never writes.

use std::path::PathBuf;
use std::sync::Arc;

use rpclib_core::{Application, TransportInfo};
use rpclib_examples::{bench, hello, interop, shapes};
use rpclib_interface_wsdl::Wsdl11;

fn wsdl(app: &Arc<Application>) -> String {
    let transport = TransportInfo {
        uri: "http://schemas.xmlsoap.org/soap/http".into(),
    };
    app.interface_document(&transport)
        .unwrap()
        .render("http://localhost:8000/")
}

/// Whether the run asks to rewrite the snapshots; a failure when it does so under CI.
fn update_requested() -> bool {
    let update = std::env::var("RPCLIB_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    assert!(
        !(update && ci),
        "RPCLIB_UPDATE_SNAPSHOTS=1 under CI: snapshots are compared in CI, never rewritten"
    );
    update
}

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if update_requested() {
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

/// The bench and interop documents are pinned as their example servers publish them: a
/// SOAP 1.1 and a SOAP 1.2 port at one address.
#[test]
fn bench_wsdl() {
    check("bench.wsdl", &wsdl(&bench::app().unwrap()));
}

#[test]
fn interop_wsdl() {
    let text = wsdl(&interop::app().unwrap());
    check("interop.wsdl", &text);
    // Deterministic: a second application gives the same bytes.
    assert_eq!(text, wsdl(&interop::app().unwrap()));
}

/// Attributes, simple content, unqualified elements and references to another namespace's
/// declarations.
#[test]
fn shapes_wsdl() {
    let app = shapes::builder().interface(Wsdl11::new()).build().unwrap();
    let text = wsdl(&app);
    check("shapes.wsdl", &text);
    read_back(&app);
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

/// Reads our WSDL back and checks it against the application: every name resolves, every
/// operation and message type is there.
fn read_back(app: &Arc<Application>) {
    use rpclib_interface_wsdl::{QName, WsdlDocument};
    let doc = WsdlDocument::parse(&wsdl(app)).unwrap();
    assert_eq!(doc.unresolved(), Vec::<String>::new());
    let catalogue = app.catalogue();
    assert_eq!(doc.target_namespace, catalogue.tns());
    let operations: Vec<&str> = doc.port_types[0]
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    let expected: Vec<&str> = catalogue.methods().map(|m| m.method().operation).collect();
    assert_eq!(operations, expected);
    for selected in catalogue.methods() {
        let (service, method) = (selected.service(), selected.method());
        for message in [&method.input, &method.output] {
            let element = QName {
                namespace: catalogue.message_namespace(service, message).to_owned(),
                local: message.name.to_owned(),
            };
            assert!(doc.has_element(&element), "missing element {element}");
        }
    }
    assert_eq!(doc.services.len(), app.services().count());
    for service in &doc.services {
        assert_eq!(
            service.ports[0].address.as_deref(),
            Some("http://localhost:8000/")
        );
    }
    let binding = &doc.bindings[0];
    assert_eq!(binding.soap_version, 11);
    assert_eq!(
        binding.transport.as_deref(),
        Some("http://schemas.xmlsoap.org/soap/http")
    );
}

#[test]
fn our_wsdl_reads_back_consistently() {
    read_back(&hello::builder().interface(Wsdl11::new()).build().unwrap());
    read_back(&bench::builder().interface(Wsdl11::new()).build().unwrap());
    read_back(&interop::builder().interface(Wsdl11::new()).build().unwrap());
}

#[test]
fn interop_types_are_where_the_contract_puts_them() {
    use rpclib_interface_wsdl::{QName, WsdlDocument};
    let app = interop::builder().interface(Wsdl11::new()).build().unwrap();
    let doc = WsdlDocument::parse(&wsdl(&app)).unwrap();
    let q = |ns: &str, local: &str| QName {
        namespace: ns.into(),
        local: local.into(),
    };
    let tns = interop::TNS;
    for name in [
        "SimpleClass",
        "OtherClass",
        "ClassWithSelfReference",
        "InHeader",
        "OutHeader",
        "InTraceHeader",
        "OutTraceHeader",
        "DocumentedFault",
        "DaysOfWeekEnum",
        "RoleEnum",
        "integerArray",
        "stringArray",
        "floatArray",
        "doubleArray",
        "booleanArray",
        "dateTimeArray",
        "SimpleClassArray",
        "OtherClassArray",
        "RoleEnumArray",
        "booleanArrayArray",
    ] {
        assert!(doc.has_type(&q(tns, name)), "{name} not in tns");
        assert!(doc.has_element(&q(tns, name)), "no global element {name}");
    }
    assert!(doc.has_type(&q("punk.tunk", "NestedClass")));
    assert!(doc.has_type(&q("punk.tunk", "NestedClassArray")));
    assert!(doc.has_type(&q("hunk.sunk", "NonNillableClass")));
    assert!(doc.has_type(&q("hunk.sunk", "NonNillableClass_sType")));
    assert!(doc.has_type(&q("bar", "ExtensionClass")));
    let bar = doc
        .schemas
        .iter()
        .find(|s| s.target_namespace == "bar")
        .unwrap();
    let ext = bar
        .complex_types
        .iter()
        .find(|c| c.name.as_deref() == Some("ExtensionClass"))
        .unwrap();
    assert_eq!(ext.base, Some(q("punk.tunk", "NestedClass")));
    let hunk = doc
        .schemas
        .iter()
        .find(|s| s.target_namespace == "hunk.sunk")
        .unwrap();
    let nn = hunk
        .complex_types
        .iter()
        .find(|c| c.name.as_deref() == Some("NonNillableClass"))
        .unwrap();
    let dt = &nn.elements[0];
    assert_eq!((dt.min_occurs, dt.nillable), (1, false));
    let messages: Vec<&str> = doc.messages.iter().map(|m| m.name.as_str()).collect();
    for m in [
        "do_something",
        "do_something_elseResponse",
        "getCustomMessagesMsgIn",
        "getCustomMessagesMsgOut",
        "InHeader",
        "OutHeader",
        "echo_in_complex_headerInHeaderMsg",
        "DocumentedFault",
    ] {
        assert!(messages.contains(&m), "no message {m}");
    }
    assert_eq!(doc.services.len(), 8);
}
