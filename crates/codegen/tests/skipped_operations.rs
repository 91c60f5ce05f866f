//! Notification and solicit-response operations are left out of the generated code with a
//! warning (file, line, operation) and a doc line on the trait; the port type's other
//! operations still generate.

use std::path::Path;

fn corpus(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/node-soap")
        .join(file)
}

#[test]
fn a_notification_is_skipped_and_the_rest_generates() {
    let g = rpclib_codegen::Builder::new()
        .wsdl(corpus("nsTypeConflict/main.wsdl"))
        .mock(true)
        .generate()
        .expect("generates");
    let warning = g
        .warnings
        .iter()
        .map(|w| w.to_string())
        .find(|w| w.contains("OperationB"))
        .expect("a warning names the skipped operation");
    assert!(
        warning.contains("nsTypeConflict/main.wsdl:22:"),
        "{warning}"
    );
    assert!(
        warning.contains("notification operation (the server sends first): skipped"),
        "{warning}"
    );
    assert!(
        g.code
            .contains("/// The WSDL's notification operation `OperationB` is left out"),
        "{}",
        g.code
    );
    // The request-response (here one-way) operation next to it is a method of the trait.
    assert!(g.code.contains("operation = \"OperationA\""), "{}", g.code);
    assert!(!g.code.contains("operation = \"OperationB\""), "{}", g.code);
}

#[test]
fn a_port_type_of_only_notifications_gives_a_types_crate() {
    let g = rpclib_codegen::Builder::new()
        .wsdl(corpus("cross_schema.wsdl"))
        .generate()
        .expect("generates");
    let warnings: Vec<String> = g.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("cross_schema.wsdl:27:") && w.contains("\"Operation\"")),
        "{warnings:?}"
    );
    assert!(
        g.code.contains("pub struct OperationResponse"),
        "{}",
        g.code
    );
    assert!(!g.code.contains("#[rpc("), "{}", g.code);
}

#[test]
fn a_solicit_response_operation_is_skipped() {
    let dir = std::env::temp_dir().join(format!("rpclib-solicit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let wsdl = dir.join("solicit.wsdl");
    std::fs::write(
        &wsdl,
        r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:tns="urn:s" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:s">
  <types>
    <xs:schema targetNamespace="urn:s" elementFormDefault="qualified">
      <xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="PingResponse"><xs:complexType><xs:sequence><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Ask"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="Answer"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    </xs:schema>
  </types>
  <message name="PingIn"><part name="p" element="tns:Ping"/></message>
  <message name="PingOut"><part name="p" element="tns:PingResponse"/></message>
  <message name="AskOut"><part name="p" element="tns:Ask"/></message>
  <message name="AnswerIn"><part name="p" element="tns:Answer"/></message>
  <portType name="Pt">
    <operation name="Ping"><input message="tns:PingIn"/><output message="tns:PingOut"/></operation>
    <operation name="Poll"><output message="tns:AskOut"/><input message="tns:AnswerIn"/></operation>
  </portType>
  <binding name="B" type="tns:Pt">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
    <operation name="Poll"><output><soap:body use="literal"/></output><input><soap:body use="literal"/></input></operation>
  </binding>
</definitions>
"#,
    )
    .expect("write");
    let g = rpclib_codegen::Builder::new()
        .wsdl(&wsdl)
        .generate()
        .expect("generates");
    let _ = std::fs::remove_dir_all(&dir);
    let warning = g
        .warnings
        .iter()
        .map(|w| w.to_string())
        .find(|w| w.contains("\"Poll\""))
        .expect("a warning names the skipped operation");
    assert!(warning.contains("solicit.wsdl:18:"), "{warning}");
    assert!(warning.contains("solicit-response operation"), "{warning}");
    assert!(
        g.code
            .contains("/// The WSDL's solicit-response operation `Poll` is left out"),
        "{}",
        g.code
    );
    assert!(g.code.contains("operation = \"Ping\""), "{}", g.code);
}
