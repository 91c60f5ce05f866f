//! Loader, naming and IR tests on small documents written to a temporary directory.

use std::path::PathBuf;

use rpclib_codegen::{Builder, naming};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rpclib-codegen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

const WSDL_HEAD: &str = r#"<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">"#;

fn service(types: &str) -> String {
    format!(
        r#"{WSDL_HEAD}<types>{types}</types>
<message name="In"><part name="p" element="t:echo"/></message>
<message name="Out"><part name="p" element="t:echoResponse"/></message>
<portType name="Echo"><operation name="echo"><input message="t:In"/><output message="t:Out"/></operation></portType>
<binding name="EchoSoap" type="t:Echo"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
<operation name="echo"><soap:operation soapAction=""/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
</definitions>"#
    )
}

#[test]
fn include_cycle_terminates_and_chameleon_takes_the_includer_namespace() {
    let d = dir("cycle");
    std::fs::write(
        d.join("a.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"><xs:include schemaLocation="b.xsd"/>
<xs:element name="echo"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"#,
    )
    .unwrap();
    std::fs::write(
        d.join("b.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"><xs:include schemaLocation="a.xsd"/>
<xs:element name="echoResponse"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"#,
    )
    .unwrap();
    let types = r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified"><xs:include schemaLocation="a.xsd"/></xs:schema>"#;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let g = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .generate()
        .expect("generates");
    assert_eq!(g.files.len(), 3, "{:?}", g.files);
    assert!(g.code.contains(r#"namespace = "urn:t""#), "{}", g.code);
    assert!(g.code.contains("async fn echo("), "{}", g.code);
}

#[test]
fn remote_locations_are_refused_unless_mapped() {
    let d = dir("map");
    std::fs::create_dir_all(d.join("local")).unwrap();
    std::fs::write(
        d.join("local/types.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" elementFormDefault="qualified">
<xs:element name="echo"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="echoResponse"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"#,
    )
    .unwrap();
    let types = r#"<xs:schema targetNamespace="urn:other"><xs:import namespace="urn:t" schemaLocation="http://example.com/schemas/types.xsd"/></xs:schema>"#;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let err = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .generate()
        .expect_err("remote refused");
    let first = err.errors().next().unwrap().to_string();
    assert!(
        first.contains("s.wsdl:1:")
            && first.contains(
                "remote location `http://example.com/schemas/types.xsd` is never fetched"
            ),
        "{first}"
    );
    let g = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .map("http://example.com/schemas/", d.join("local"))
        .generate()
        .expect("mapped");
    assert!(g.files.iter().any(|f| f.ends_with("local/types.xsd")));
}

#[test]
fn missing_file_names_the_import() {
    let d = dir("missing");
    let types = r#"<xs:schema targetNamespace="urn:t"><xs:import namespace="urn:x" schemaLocation="nope.xsd"/></xs:schema>"#;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let err = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .generate()
        .expect_err("missing");
    let first = err.errors().next().unwrap().to_string();
    assert!(
        first.contains("s.wsdl:1:")
            && first.contains("xs:import: cannot open")
            && first.contains("nope.xsd"),
        "{first}"
    );
}

#[test]
fn refusals_name_the_construct_and_line() {
    let d = dir("refuse");
    let types = r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
<xs:element name="echo"><xs:complexType><xs:choice><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence><xs:element name="b" type="xs:int"/></xs:choice></xs:complexType></xs:element>
<xs:element name="echoResponse"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"#;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let err = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .generate()
        .expect_err("refused");
    let all: Vec<String> = err.errors().map(|d| d.to_string()).collect();
    assert!(
        all.iter().any(|e| e.contains("s.wsdl:2:")
            && e.contains("xs:choice: an alternative that is a sequence")),
        "{all:?}"
    );
}

#[test]
fn choices_wildcards_and_lists_generate() {
    let d = dir("choice");
    let types = r###"<xs:schema targetNamespace="urn:t" xmlns:t="urn:t" elementFormDefault="qualified">
<xs:simpleType name="Ranks"><xs:list itemType="xs:int"/></xs:simpleType>
<xs:element name="echo"><xs:complexType><xs:sequence>
<xs:choice><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int" nillable="true"/><xs:element name="c" type="xs:int" maxOccurs="unbounded"/></xs:choice>
<xs:choice minOccurs="0" maxOccurs="unbounded"><xs:element name="x" type="xs:string"/><xs:element name="y" type="t:Ranks"/></xs:choice>
<xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
</xs:sequence><xs:attribute name="scopes"><xs:simpleType><xs:list itemType="xs:anyURI"/></xs:simpleType></xs:attribute></xs:complexType></xs:element>
<xs:element name="echoResponse"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/><xs:any namespace="##targetNamespace" processContents="skip"/></xs:sequence></xs:complexType></xs:element></xs:schema>"###;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let g = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .mock(true)
        .generate()
        .expect("generates");
    let code = g.code.replace(char::is_whitespace, "");
    for expected in [
        "#[derive(Debug,Clone,PartialEq,::rpclib_core::Choice)]",
        "pubenumEchoChoice{",
        r###"#[model(name="a")]A(::std::string::String)"###,
        r###"#[model(name="b")]B(::rpclib_core::model::Nillable<i32>)"###,
        r###"#[model(name="c",unwrapped,min_occurs=1u32,max_occurs="unbounded")]C(::std::vec::Vec<i32>)"###,
        r###"#[model(name="y")]Y(::rpclib_core::model::XmlList<i32>)"###,
        "pubchoice:super::t::EchoChoice,",
        r###"#[model(unwrapped,min_occurs=0u32,max_occurs="unbounded")]pubchoice_field:::std::vec::Vec<super::t::EchoChoice2>"###,
        r###"#[model(any="##other",process_contents="lax",unwrapped,min_occurs=0u32,max_occurs="unbounded")]pubany:::std::vec::Vec<::rpclib_core::model::AnyXml>"###,
        r###"#[model(name="scopes",attribute)]pubscopes:::std::option::Option<::rpclib_core::model::XmlList<::rpclib_core::model::AnyUri>"###,
        r###"::rpclib_core::model::AnyXml::new("<s:samplexmlns:s=\"urn:t\"/>")"###,
    ] {
        assert!(code.contains(expected), "{expected} not in {}", g.code);
    }
}

#[test]
fn attributes_simple_content_and_unqualified_elements_generate() {
    let d = dir("attrs");
    let types = r#"<xs:schema targetNamespace="urn:t" xmlns:t="urn:t" elementFormDefault="unqualified">
<xs:attribute name="source" type="xs:string"/>
<xs:attributeGroup name="G"><xs:attribute name="g" type="xs:int" use="required"/><xs:anyAttribute/></xs:attributeGroup>
<xs:complexType name="Price"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string" use="required"/></xs:extension></xs:simpleContent></xs:complexType>
<xs:element name="echo"><xs:complexType><xs:sequence><xs:element name="price" type="t:Price"/></xs:sequence>
<xs:attribute name="lang" type="xs:string"/><xs:attribute ref="t:source"/><xs:attributeGroup ref="t:G"/></xs:complexType></xs:element>
<xs:element name="echoResponse"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"#;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let g = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .generate()
        .expect("generates");
    let code = g.code.replace(char::is_whitespace, "");
    for want in [
        r#"#[model(text)]pubvalue:::rpclib_core::model::Decimal"#,
        r#"#[model(name="currency",attribute)]pubcurrency:::std::string::String"#,
        r#"#[model(name="price",form="unqualified")]pubprice:super::t::Price"#,
        r#"#[model(name="lang",attribute)]publang:::std::option::Option<::std::string::String>"#,
        r#"#[model(name="source",attribute,namespace="urn:t")]pubsource:::std::option::Option"#,
        r#"#[model(name="g",attribute)]pubg:i32"#,
    ] {
        assert!(code.contains(want), "{want} not in\n{}", g.code);
    }
    // The attribute group's wildcard is a field of the type that uses the group.
    assert!(
        code.contains(
            r###"#[model(any_attribute="##any",process_contents="strict")]pubany_attributes:::rpclib_core::model::AnyAttributes"###
        ),
        "{}",
        g.code
    );
    assert!(
        !g.warnings
            .iter()
            .any(|w| w.to_string().contains("xs:anyAttribute")),
        "{:?}",
        g.warnings
    );
}

#[test]
fn wrapped_operation_and_naming_of_keywords() {
    let d = dir("wrapped");
    let types = r#"<xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
<xs:element name="echo"><xs:complexType><xs:sequence><xs:element name="type" type="xs:string"/><xs:element name="self" type="xs:int" minOccurs="0"/><xs:element name="item" type="xs:string" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
<xs:element name="echoResponse"><xs:complexType><xs:sequence><xs:element name="echoResult" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"#;
    std::fs::write(d.join("s.wsdl"), service(types)).unwrap();
    let g = Builder::new()
        .wsdl(d.join("s.wsdl"))
        .generate()
        .expect("generates")
        .code;
    assert!(g.contains("r#type: ::std::string::String"), "{g}");
    assert!(g.contains("self_: ::std::option::Option<i32>"), "{g}");
    assert!(g.contains("unwrapped"), "{g}");
    assert!(g.contains(r#"result = "echoResult""#), "{g}");
}

#[test]
fn names_are_idiomatic_and_escaped() {
    assert_eq!(naming::type_name("fooType"), "FooType");
    assert_eq!(naming::type_name("XMLParser"), "XmlParser");
    assert_eq!(naming::type_name("m³/s"), "MU00b3S");
    assert_eq!(naming::type_name("12"), "V12");
    assert_eq!(naming::type_name("Self"), "Self_");
    assert_eq!(naming::field_name("type"), "r#type");
    assert_eq!(naming::param_name("type"), "r#type");
    assert_eq!(naming::param_name("self"), "self_");
    assert_eq!(naming::field_name("self"), "self_");
    assert_eq!(naming::field_name("async"), "r#async");
    assert_eq!(naming::field_name("FirstName"), "first_name");
    assert_eq!(naming::field_name("3d"), "n3_d");
    assert_eq!(
        naming::module_name("http://www.example.com/schemas/orders/2020"),
        "orders_2020"
    );
    assert_eq!(naming::module_name("urn:example:hello"), "hello");
    let mut scope = naming::Scope::default();
    assert_eq!(scope.claim("Foo", "Element"), "Foo");
    assert_eq!(scope.claim("Foo", "Element"), "FooElement");
    assert_eq!(scope.claim("Foo", "Element"), "Foo_2");
}
