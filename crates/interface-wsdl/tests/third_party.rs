//! The WSDL reader on a document that we did not write: the WSDL that gSOAP's `soapcpp2`
//! generates for the bench contract (`xtask/interop/gsoap/bench_service.h`; `cargo xtask
//! interop` regenerates it into `target/interop/gsoap/gsoap-bench.wsdl`). gSOAP's style differs
//! from ours: unprefixed WSDL and XSD elements (default namespaces), anonymous request types,
//! `xsd:` and `ns:` prefixes declared twice, a `SOAP-ENC` import with no schema, XML comments,
//! and messages whose single part is called `Body`.

use rpclib_interface_wsdl::{ComplexTypeDecl, QName, WsdlDocument};

const GSOAP_BENCH: &str = include_str!("data/gsoap-bench.wsdl");
const OUR_BENCH: &str = include_str!("../../../examples/tests/snapshots/bench.wsdl");
const TNS: &str = "urn:rpclib:bench";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

fn q(namespace: &str, local: &str) -> QName {
    QName {
        namespace: namespace.to_owned(),
        local: local.to_owned(),
    }
}

fn complex<'a>(doc: &'a WsdlDocument, name: &str) -> &'a ComplexTypeDecl {
    doc.schemas
        .iter()
        .flat_map(|s| &s.complex_types)
        .find(|c| c.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no complex type {name}"))
}

/// (name, type, minOccurs, maxOccurs) of a complex type's elements.
fn fields(doc: &WsdlDocument, name: &str) -> Vec<(String, Option<QName>, u32, Option<u32>)> {
    complex(doc, name)
        .elements
        .iter()
        .map(|e| {
            (
                e.name.clone(),
                e.type_name.clone(),
                e.min_occurs,
                e.max_occurs,
            )
        })
        .collect()
}

#[test]
fn reads_gsoaps_bench_wsdl() {
    let doc = WsdlDocument::parse(GSOAP_BENCH).expect("gSOAP's WSDL parses");
    assert_eq!(doc.name.as_deref(), Some("BenchService"));
    assert_eq!(doc.target_namespace, TNS);

    // Types: one schema, qualified, importing SOAP-ENC (declared by no schema here).
    assert_eq!(doc.schemas.len(), 1);
    let schema = &doc.schemas[0];
    assert_eq!(schema.target_namespace, TNS);
    assert!(schema.element_form_qualified);
    assert_eq!(
        schema.imports,
        ["http://schemas.xmlsoap.org/soap/encoding/"]
    );
    assert_eq!(
        fields(&doc, "intArray"),
        [("int".to_owned(), Some(q(XSD, "int")), 0, None)]
    );
    assert_eq!(
        fields(&doc, "stringArray"),
        [("string".to_owned(), Some(q(XSD, "string")), 0, None)]
    );
    assert_eq!(
        fields(&doc, "Person"),
        [
            ("name".to_owned(), Some(q(XSD, "string")), 1, Some(1)),
            ("age".to_owned(), Some(q(XSD, "int")), 1, Some(1)),
            ("email".to_owned(), Some(q(XSD, "string")), 1, Some(1)),
            ("tags".to_owned(), Some(q(TNS, "stringArray")), 1, Some(1)),
        ]
    );
    assert_eq!(
        fields(&doc, "PersonArray"),
        [("Person".to_owned(), Some(q(TNS, "Person")), 0, None)]
    );
    // Request elements carry anonymous types (recorded under the element's name); responses
    // are named types with a global element each.
    assert_eq!(
        fields(&doc, "echo_string"),
        [("s".to_owned(), Some(q(XSD, "string")), 1, Some(1))]
    );
    assert_eq!(
        fields(&doc, "echo_peopleResponse"),
        [(
            "echo_peopleResult".to_owned(),
            Some(q(TNS, "PersonArray")),
            1,
            Some(1)
        )]
    );
    for element in [
        "echo_string",
        "echo_stringResponse",
        "echo_integer_array",
        "echo_integer_arrayResponse",
        "echo_people",
        "echo_peopleResponse",
    ] {
        assert!(doc.has_element(&q(TNS, element)), "element {element}");
    }
    assert_eq!(
        schema
            .elements
            .iter()
            .find(|e| e.name == "echo_stringResponse")
            .and_then(|e| e.type_name.clone()),
        Some(q(TNS, "echo_stringResponse"))
    );

    // Messages: one part named Body, referring to the element.
    assert_eq!(doc.messages.len(), 6);
    let request = doc
        .messages
        .iter()
        .find(|m| m.name == "echo_people")
        .expect("message echo_people");
    assert_eq!(
        request.parts,
        [("Body".to_owned(), Some(q(TNS, "echo_people")))]
    );

    // Port type, binding, service.
    assert_eq!(doc.port_types.len(), 1);
    let port_type = &doc.port_types[0];
    assert_eq!(port_type.name, "BenchServicePortType");
    let ops: Vec<_> = port_type
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.input.clone(), o.output.clone()))
        .collect();
    assert_eq!(
        ops,
        [
            (
                "echo_string",
                Some(q(TNS, "echo_string")),
                Some(q(TNS, "echo_stringResponse"))
            ),
            (
                "echo_integer_array",
                Some(q(TNS, "echo_integer_array")),
                Some(q(TNS, "echo_integer_arrayResponse"))
            ),
            (
                "echo_people",
                Some(q(TNS, "echo_people")),
                Some(q(TNS, "echo_peopleResponse"))
            ),
        ]
    );
    assert!(port_type.operations.iter().all(|o| o.faults.is_empty()));
    assert_eq!(doc.bindings.len(), 1);
    let binding = &doc.bindings[0];
    assert_eq!(binding.name, "BenchService");
    assert_eq!(binding.port_type, Some(q(TNS, "BenchServicePortType")));
    assert_eq!(binding.soap_version, 11);
    assert_eq!(
        binding.transport.as_deref(),
        Some("http://schemas.xmlsoap.org/soap/http")
    );
    assert_eq!(
        binding.operations,
        [
            ("echo_string".to_owned(), Some("echo_string".to_owned())),
            (
                "echo_integer_array".to_owned(),
                Some("echo_integer_array".to_owned())
            ),
            ("echo_people".to_owned(), Some("echo_people".to_owned())),
        ]
    );
    assert!(binding.header_messages.is_empty());
    assert_eq!(doc.services.len(), 1);
    let service = &doc.services[0];
    assert_eq!(service.name, "BenchService");
    assert_eq!(service.ports.len(), 1);
    assert_eq!(service.ports[0].binding, Some(q(TNS, "BenchService")));
    assert_eq!(
        service.ports[0].address.as_deref(),
        Some("http://localhost:8000/")
    );

    // Every qualified name resolves.
    assert_eq!(doc.unresolved(), Vec::<String>::new());
}

/// gSOAP's WSDL and ours describe the same contract: same operations, and the same shape of
/// the array and Person types (names, item types and repetition).
#[test]
fn gsoaps_bench_contract_matches_ours() {
    let theirs = WsdlDocument::parse(GSOAP_BENCH).expect("gSOAP's WSDL parses");
    let ours = WsdlDocument::parse(OUR_BENCH).expect("our WSDL parses");
    let names = |doc: &WsdlDocument| -> Vec<String> {
        doc.port_types[0]
            .operations
            .iter()
            .map(|o| o.name.clone())
            .collect()
    };
    assert_eq!(names(&theirs), names(&ours));
    for ty in ["intArray", "stringArray", "PersonArray", "Person"] {
        let shape = |doc: &WsdlDocument| -> Vec<(String, Option<QName>, Option<u32>)> {
            fields(doc, ty)
                .into_iter()
                .map(|(name, ty, _, max)| (name, ty, max))
                .collect()
        };
        assert_eq!(shape(&theirs), shape(&ours), "type {ty}");
    }
    for response in [
        "echo_stringResponse",
        "echo_integer_arrayResponse",
        "echo_peopleResponse",
    ] {
        assert!(theirs.has_element(&q(TNS, response)));
        assert!(ours.has_element(&q(TNS, response)));
    }
}

#[test]
fn refuses_what_is_not_wsdl() {
    assert!(WsdlDocument::parse("<definitions/>").is_err());
    let truncated = &GSOAP_BENCH[..GSOAP_BENCH.len() / 2];
    assert!(WsdlDocument::parse(truncated).is_err());
}
