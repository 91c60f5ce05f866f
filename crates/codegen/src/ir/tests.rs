//! The IR keeps every construct, including those emission refuses today.

use super::*;
use crate::diag::Sink;
use crate::loader::{self, LocationMap};

fn model(schema: &str) -> (Model, Sink) {
    let dir = std::env::temp_dir().join(format!(
        "rpclib-codegen-ir-{}-{}",
        std::process::id(),
        schema.len()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("s.xsd");
    std::fs::write(&path, schema).expect("write");
    let mut sink = Sink::default();
    let loaded = loader::load(&[path], &LocationMap::new(), &mut sink);
    let m = build(&loaded, &mut sink);
    (m, sink)
}

const SCHEMA: &str = r###"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
  <xs:element name="head" type="xs:string" abstract="true"/>
  <xs:element name="member" type="xs:string" substitutionGroup="t:head" nillable="true" default="x"/>
  <xs:complexType name="C">
    <xs:sequence>
      <xs:choice maxOccurs="unbounded"><xs:element name="a" type="xs:int"/><xs:element ref="t:head"/></xs:choice>
      <xs:any namespace="##other" minOccurs="0"/>
      <xs:element name="q" type="xs:string" form="qualified"/>
      <xs:element name="u" type="xs:string"/>
    </xs:sequence>
    <xs:attribute name="lang" type="xs:language" use="required"/>
    <xs:attributeGroup ref="t:G"/>
    <xs:anyAttribute namespace="##any"/>
  </xs:complexType>
  <xs:attributeGroup name="G"><xs:attribute name="g" type="xs:int"/></xs:attributeGroup>
  <xs:simpleType name="L"><xs:list itemType="xs:int"/></xs:simpleType>
  <xs:simpleType name="U"><xs:union memberTypes="xs:int t:L"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="none"/></xs:restriction></xs:simpleType></xs:union></xs:simpleType>
  <xs:complexType name="S"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="unit" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
</xs:schema>"###;

#[test]
fn every_construct_is_represented() {
    let (m, sink) = model(SCHEMA);
    assert!(!sink.has_errors(), "{:?}", sink.items);
    let q = |l: &str| QName::new("urn:t", l);
    let member = &m.schema.elements[&q("member")];
    assert_eq!(member.substitution_group, Some(q("head")));
    assert!(member.nillable && member.default.as_deref() == Some("x"));
    assert!(m.schema.elements[&q("head")].is_abstract);

    let Some(TypeDef::Complex(c)) = m.schema.types.get(&q("C")) else {
        panic!("C")
    };
    assert_eq!(c.attributes.len(), 2);
    assert!(matches!(
        &c.attributes[0],
        AttributeUse::Local {
            required: AttributeRequirement::Required,
            ..
        }
    ));
    assert!(matches!(&c.attributes[1], AttributeUse::GroupRef { .. }));
    assert_eq!(
        c.any_attribute.as_ref().map(|w| w.namespace.as_str()),
        Some("##any")
    );
    let Content::Particle(Some(Particle {
        term: Term::Sequence(items),
        ..
    })) = &c.content
    else {
        panic!("sequence")
    };
    assert!(
        matches!(&items[0], Particle { max: MaxOccurs::Unbounded, term: Term::Choice(c), .. } if c.len() == 2)
    );
    assert!(
        matches!(&items[1], Particle { min: 0, term: Term::Any(w), .. } if w.namespace == "##other")
    );
    // Local elements: `form` wins, else the schema's elementFormDefault (unqualified here).
    assert!(matches!(&items[2].term, Term::Element(e) if e.qualified && e.name.ns == "urn:t"));
    assert!(matches!(&items[3].term, Term::Element(e) if !e.qualified && e.name.ns.is_empty()));

    assert!(matches!(
        m.schema.types.get(&q("L")),
        Some(TypeDef::Simple(SimpleType {
            variety: SimpleVariety::List { .. },
            ..
        }))
    ));
    let Some(TypeDef::Simple(SimpleType {
        variety: SimpleVariety::Union { members },
        ..
    })) = m.schema.types.get(&q("U"))
    else {
        panic!("union")
    };
    assert_eq!(members.len(), 3);
    let Some(TypeDef::Complex(s)) = m.schema.types.get(&q("S")) else {
        panic!("S")
    };
    assert!(matches!(&s.content, Content::SimpleExtension { base } if base.local == "decimal"));
    assert_eq!(s.attributes.len(), 1);
    assert!(m.schema.attribute_groups.contains_key(&q("G")));
}

#[test]
fn unresolved_references_are_reported_with_their_position() {
    let (_, sink) = model(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
<xs:element name="e" type="t:Missing"/>
<xs:element name="f" type="nope:X"/>
</xs:schema>"#,
    );
    let all: Vec<String> = sink.items.iter().map(|d| d.to_string()).collect();
    assert!(
        all.iter()
            .any(|d| d.contains("s.xsd:2:") && d.contains("`{urn:t}Missing` is not declared")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|d| d.contains("s.xsd:3:") && d.contains("undeclared namespace prefix")),
        "{all:?}"
    );
}
