//! What the generator writes for XSD constructs our own contracts in `tests/wsdl` exercise
//! (`cargo xtask codegen` compiles them, calls their mocks with zeep and validates their
//! samples against the schemas): the exact field declarations.

use std::path::{Path, PathBuf};

fn wsdl(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/wsdl")
        .join(name)
}

/// The generated code with whitespace collapsed, so fragments do not depend on line breaks.
fn generate(name: &str) -> String {
    let g = rpclib_codegen::Builder::new()
        .wsdl(wsdl(name))
        .mock(true)
        .generate()
        .unwrap_or_else(|e| panic!("{name} generates: {e}"));
    g.code.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_has(code: &str, fragments: &[&str]) {
    for f in fragments {
        assert!(code.contains(f), "`{f}` not in:\n{code}");
    }
}

#[test]
fn default_and_fixed_values_reach_the_model() {
    let code = generate("value_constraints.wsdl");
    assert_has(
        &code,
        &[
            // An attribute with a default always has a value: not an `Option`.
            r#"#[model(name = "level", attribute, default = "high")] pub level: super::values::Level,"#,
            r#"#[model(name = "relay", attribute, default = "0")] pub relay: bool,"#,
            // A fixed attribute keeps its `use`: required is the type, optional an `Option`.
            r#"#[model(name = "version", attribute, fixed = "1.0")] pub version: ::rpclib_core::model::Decimal,"#,
            r#"#[model(name = "code", attribute, fixed = "-500020")] pub code: ::std::option::Option<i32>,"#,
            // Elements: the default applies to a present, empty element; the type is unchanged.
            r#"#[model(name = "retries", default = "3")] pub retries: i32,"#,
            r#"#[model(name = "region", nillable = false, default = "eu")] pub region: ::std::option::Option<::std::string::String>,"#,
            r#"#[model(name = "schema", fixed = "v2")] pub schema: ::std::string::String,"#,
            r#"#[model(name = "level", fixed = "low")] pub level: super::values::Level,"#,
            // The mock's sample of a fixed value is that value.
            r#"schema: ::rpclib_core::model::value::from_value( &::rpclib_core::model::value::Value::Simple( ::std::string::String::from("v2"), ), ) .unwrap_or_else(|_| ::std::string::String::from("x")),"#,
        ],
    );
}

#[test]
fn unions_are_typed_where_their_members_agree_else_text() {
    let code = generate("unions.wsdl");
    assert_has(
        &code,
        &[
            // An enumeration or any URI: text.
            r#"#[model(name = "kind")] pub kind: ::std::string::String,"#,
            // Two restrictions of `xs:int`: an `i32`, the members' ranges not enforced.
            r#"#[model(name = "size")] pub size: i32,"#,
            r#"#[model(name = "when")] pub when: ::std::string::String,"#,
            r#"#[model(name = "kinds")] pub kinds: ::rpclib_core::model::XmlList<::std::string::String>,"#,
            r#"#[model(name = "mark", attribute)] pub mark: ::std::string::String,"#,
            // A choice of one sequence is that sequence.
            r#"#[model(name = "code")] pub code: i32, /// `text` #[model(name = "text")] pub text: ::std::string::String,"#,
            // Samples are values of the first member: `reply`, 5 (within `Small`), a date.
            "size: 5i32,",
            r#"kind: match ::rpclib_core::model::value::to_value( &<super::unions::Known as Sample>::sample(), )"#,
        ],
    );
}

#[test]
fn a_reference_to_a_substitution_group_head_is_a_choice_of_its_elements() {
    let code = generate("substitution_groups.wsdl");
    assert_has(
        &code,
        &[
            // `<xs:element ref="tns:shape" maxOccurs="unbounded"/>`, `shape` abstract: its
            // members, `ring` (which substitutes for `circle`) after `circle`.
            r#"#[model(unwrapped, min_occurs = 1u32, max_occurs = "unbounded")] pub choice: ::std::vec::Vec<super::substitution::DrawingChoice>,"#,
            r#"pub enum DrawingChoice { /// `circle` #[model(name = "circle")] Circle(super::substitution::Circle), /// `ring` #[model(name = "ring")] Ring(super::substitution::Circle), /// `square` #[model(name = "square")] Square(super::substitution::Square), }"#,
            // `note` is not abstract: itself, then `urgentNote`; the reference is optional.
            r#"#[model(nillable = false)] pub choice_field: ::std::option::Option<super::substitution::DrawingChoice2>,"#,
            r#"pub enum DrawingChoice2 { /// `note` #[model(name = "note")] Note(::std::string::String), /// `urgentNote` #[model(name = "urgentNote")] UrgentNote(::std::string::String), }"#,
        ],
    );
    // The abstract head is no sample document.
    assert!(
        !code.contains(r#""shape", "urn:rpclib:test:substitution""#),
        "{code}"
    );
    assert_has(
        &code,
        &[r#"("003_square.xml", "square", "urn:rpclib:test:substitution")"#],
    );
}

#[test]
fn a_field_typed_with_a_base_is_the_base_or_any_derived_type() {
    let code = generate("polymorphism.wsdl");
    assert_has(
        &code,
        &[
            // The abstract `Shape`: no variant of its own; its derived types by name, across
            // two levels of extension, a namespace and a restriction.
            r#"#[derive(Debug, Clone, PartialEq, ::rpclib_core::Polymorphic)] #[polymorphic(abstract_base = super::polymorphism::Shape)] pub enum AnyShape { /// `{urn:rpclib:test:polymorphism}Circle` Circle(super::polymorphism::Circle), /// `{urn:rpclib:test:polymorphism:more}Ring` Ring(super::more::Ring), /// `{urn:rpclib:test:polymorphism}Square` Square(super::polymorphism::Square), }"#,
            // A concrete base first; `Dog` holds `AnyAnimal` (`friend`): the cycle is boxed.
            r#"pub enum AnyAnimal { /// `{urn:rpclib:test:polymorphism}Animal` Animal(super::polymorphism::Animal), /// `{urn:rpclib:test:polymorphism}Dog` Dog(::std::boxed::Box<super::polymorphism::Dog>), }"#,
            // Single, optional and repeated fields of the bases.
            r#"#[model(name = "main")] pub main: super::polymorphism::AnyShape,"#,
            r#"#[model(name = "extra", nillable = false)] pub extra: ::std::option::Option<super::polymorphism::AnyShape>,"#,
            r#"pub shapes: ::std::vec::Vec<super::polymorphism::AnyShape>,"#,
            r#"pub pets: ::std::vec::Vec<super::polymorphism::AnyAnimal>,"#,
            r#"pub friend: ::std::option::Option< ::std::boxed::Box<super::polymorphism::AnyAnimal>, >,"#,
            // A base's own struct stays a struct: the subtypes' `base` field.
            r#"#[model(base)] pub base: super::polymorphism::Shape,"#,
            // Samples: the first concrete variant.
            r#"super::polymorphism::AnyShape::Circle( <super::polymorphism::Circle as Sample>::sample(), )"#,
            r#"super::polymorphism::AnyAnimal::Animal( <super::polymorphism::Animal as Sample>::sample(), )"#,
            // A global element of the abstract base: its sample document is the polymorphic
            // value's (a `Circle`, with its `xsi:type`), not the abstract struct's.
            r#"&<super::polymorphism::AnyShape as Sample>::sample(), "shapeDocument","#,
        ],
    );
}

#[test]
fn attribute_wildcards_are_any_attributes_fields() {
    let code = generate("any_attribute.wsdl");
    assert_has(
        &code,
        &[
            // The type's own wildcard, after its attributes.
            r###"#[model(name = "kind", attribute)] pub kind: ::std::option::Option<::std::string::String>, /// Attributes of namespace `##any` (`xs:anyAttribute`, processContents `skip`) no declared attribute claims. #[model(any_attribute = "##any", process_contents = "skip")] pub any_attributes: ::rpclib_core::model::AnyAttributes,"###,
            // Through an attribute group.
            r###"#[model(any_attribute = "##other", process_contents = "lax")] pub any_attributes: ::rpclib_core::model::AnyAttributes,"###,
            // Beside simple content.
            r###"#[model(any_attribute = "urn:rpclib:test:ext ##local", process_contents = "lax")] pub any_attributes: ::rpclib_core::model::AnyAttributes,"###,
            // The sample has none.
            "any_attributes: ::rpclib_core::model::AnyAttributes::new(),",
        ],
    );
    // The extension's own wildcard is left to its base's field: one per chain.
    let special = code
        .split("pub struct SpecialItem")
        .nth(1)
        .and_then(|rest| rest.split(", }").next())
        .unwrap_or_else(|| panic!("no SpecialItem in:\n{code}"));
    assert!(!special.contains("any_attribute"), "{special}");
    assert_eq!(code.matches("pub any_attributes:").count(), 3, "{code}");
}

#[test]
fn a_required_strict_wildcard_samples_a_declared_element() {
    let code = generate("strict_wildcard.wsdl");
    // `Envelope`'s wildcard (`##other`, strict, one or two): `payload`, not `loop`, whose own
    // content is a strict wildcard.
    assert_has(
        &code,
        &[
            r#"any: ::std::iter::repeat_with(|| ::rpclib_core::model::AnyXml::new( ::rpclib_protocol_soap::to_element_xml( &<super::payload::Payload as Sample>::sample(), "payload", "urn:rpclib:test:strict:payload", )"#,
            // `loop`'s own (`##any`): `payload` too.
            r#"impl Sample for super::payload::Loop { fn sample() -> Self { super::payload::Loop { any: ::rpclib_core::model::AnyXml::new( ::rpclib_protocol_soap::to_element_xml( &<super::payload::Payload as Sample>::sample(), "payload","#,
        ],
    );
    // The placeholder is left only where nothing fits.
    assert!(!code.contains("urn:rpclib:sample"), "{code}");
    // node-soap's `hl7Message` is a required strict `##any` and nothing else, and the only
    // element declared: no finite document is valid, and the placeholder stays.
    let hl7 = generate("../corpus/node-soap/wsdl_style_mix.wsdl");
    assert!(hl7.contains("urn:rpclib:sample"), "{hl7}");
    assert!(
        !hl7.contains("AnyXml::new( ::rpclib_protocol_soap::to_element_xml"),
        "{hl7}"
    );
}
