//! Hostile and odd input: truncated corpus files never panic, and the constructs that are easy
//! to get wrong (cycles through extension, keyword namespaces, odd numeric facets) give either
//! code or a diagnostic.

use std::path::{Path, PathBuf};

use rpclib_codegen::Builder;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "wsdl" || e == "xsd") {
            out.push(p);
        }
    }
}

/// Every corpus document cut at eight points, each cut loaded as a root: diagnostics, no panic.
#[test]
fn truncated_documents_give_diagnostics() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/node-soap");
    let mut all = Vec::new();
    files(&corpus, &mut all);
    let dir = std::env::temp_dir().join(format!("rpclib-codegen-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut refused = 0;
    for f in &all {
        let text = std::fs::read(f).unwrap();
        for k in 1..=8 {
            let cut = text.len() * k / 9;
            let target = dir.join(f.file_name().unwrap());
            std::fs::write(&target, &text[..cut]).unwrap();
            if let Err(e) = Builder::new().wsdl(&target).generate() {
                assert!(
                    e.errors().next().is_some(),
                    "{}: an error without diagnostics",
                    f.display()
                );
                refused += 1;
            }
        }
    }
    assert!(
        refused > all.len() * 7,
        "truncated XML should nearly always be refused ({refused})"
    );
}

fn generate(types: &str) -> Result<String, rpclib_codegen::Error> {
    let dir = std::env::temp_dir().join(format!(
        "rpclib-codegen-odd-{}-{}",
        std::process::id(),
        types.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let wsdl = format!(
        r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:type" targetNamespace="urn:type">
<types><xs:schema targetNamespace="urn:type" elementFormDefault="qualified">{types}</xs:schema></types>
<message name="In"><part name="p" element="t:op"/></message>
<message name="Out"><part name="p" element="t:opResponse"/></message>
<portType name="P"><operation name="op"><input message="t:In"/><output message="t:Out"/></operation></portType>
<binding name="B" type="t:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
<operation name="op"><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
</definitions>"#
    );
    std::fs::write(dir.join("s.wsdl"), wsdl).unwrap();
    Builder::new()
        .wsdl(dir.join("s.wsdl"))
        .generate()
        .map(|g| g.code)
}

#[test]
fn a_field_of_a_derived_type_is_boxed_not_refused() {
    let code = generate(
        r#"<xs:complexType name="Node"><xs:sequence><xs:element name="child" type="t:Leaf" minOccurs="0"/></xs:sequence></xs:complexType>
<xs:complexType name="Leaf"><xs:complexContent><xs:extension base="t:Node"><xs:sequence><xs:element name="v" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
<xs:element name="op"><xs:complexType><xs:sequence><xs:element name="n" type="t:Node"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="opResponse"><xs:complexType><xs:sequence><xs:element name="r" type="xs:int"/></xs:sequence></xs:complexType></xs:element>"#,
    )
    .expect("generates");
    assert!(
        code.contains("::std::option::Option<::std::boxed::Box<super::r#type::Leaf>>"),
        "{code}"
    );
    assert!(code.contains("pub mod r#type"), "{code}");
}

#[test]
fn an_extension_cycle_is_refused() {
    let err = generate(
        r#"<xs:complexType name="A"><xs:complexContent><xs:extension base="t:B"/></xs:complexContent></xs:complexType>
<xs:complexType name="B"><xs:complexContent><xs:extension base="t:A"/></xs:complexContent></xs:complexType>
<xs:element name="op"><xs:complexType><xs:sequence><xs:element name="a" type="t:A"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="opResponse"><xs:complexType><xs:sequence><xs:element name="r" type="xs:int"/></xs:sequence></xs:complexType></xs:element>"#,
    )
    .expect_err("refused");
    assert!(err.to_string().contains("derives from itself"), "{err}");
}

#[test]
fn numeric_facets_become_valid_literals_and_enumerations_escape() {
    let code = generate(
        r#"<xs:simpleType name="Ratio"><xs:restriction base="xs:double"><xs:minInclusive value=".5"/><xs:maxExclusive value="+10"/></xs:restriction></xs:simpleType>
<xs:simpleType name="Count"><xs:restriction base="xs:int"><xs:minInclusive value="+007"/></xs:restriction></xs:simpleType>
<xs:simpleType name="Unit"><xs:restriction base="xs:string"><xs:enumeration value="m³/s"/><xs:enumeration value="+L1"/><xs:enumeration value="-L1"/><xs:enumeration value="self"/></xs:restriction></xs:simpleType>
<xs:element name="op"><xs:complexType><xs:sequence><xs:element name="ratio" type="t:Ratio"/><xs:element name="count" type="t:Count"/><xs:element name="unit" type="t:Unit"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="opResponse"><xs:complexType><xs:sequence><xs:element name="r" type="xs:int"/></xs:sequence></xs:complexType></xs:element>"#,
    )
    .expect("generates");
    for needle in [
        "min_inclusive = 0.5",
        "max_exclusive = 10.0",
        "min_inclusive = 7",
        "MU00b3S",
        "L1,",
        "L1Value",
        "Self_",
    ] {
        assert!(code.contains(needle), "{needle} missing in\n{code}");
    }
}

#[test]
fn an_operation_named_like_a_client_function_is_renamed() {
    let dir = std::env::temp_dir().join(format!("rpclib-codegen-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wsdl = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
<message name="In"><part name="a" type="xs:string"/></message><message name="Out"><part name="b" type="xs:int"/></message>
<portType name="P"><operation name="new"><input message="t:In"/><output message="t:Out"/></operation></portType>
<binding name="B" type="t:P"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
<operation name="new"><input><soap:body use="literal" namespace="urn:t"/></input><output><soap:body use="literal" namespace="urn:t"/></output></operation></binding>
</definitions>"#;
    std::fs::write(dir.join("s.wsdl"), wsdl).unwrap();
    let code = Builder::new()
        .wsdl(dir.join("s.wsdl"))
        .generate()
        .expect("generates")
        .code;
    assert!(code.contains("async fn new_op("), "{code}");
    assert!(code.contains(r#"operation = "new""#), "{code}");
}
