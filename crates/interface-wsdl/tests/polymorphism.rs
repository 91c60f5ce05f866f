//! The schema the WSDL gives polymorphic values (`#[derive(Polymorphic)]`): the field's element
//! typed with the base, every variant's complexType extending its base, an abstract base
//! marked `abstract="true"`. Pinned byte for byte in `tests/data/polymorphism.wsdl` (set
//! `RPCLIB_UPDATE_SNAPSHOTS=1` to rewrite it, never under CI), and read back by our reader.
#![allow(missing_docs, missing_debug_implementations)]

use rpclib_core::{Application, ComplexModel, Fault, Polymorphic, service};
mod common;

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Animal {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Dog {
    #[model(base)]
    pub animal: Animal,
    pub barks: bool,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:pets")]
pub struct Puppy {
    #[model(base)]
    pub dog: Dog,
    pub age: i32,
}

#[derive(Debug, Clone, PartialEq, Polymorphic)]
pub enum AnyAnimal {
    Animal(Animal),
    Dog(Dog),
    Puppy(Puppy),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Shape {
    pub id: i32,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Circle {
    #[model(base)]
    pub shape: Shape,
    pub radius: i32,
}

#[derive(Debug, Clone, PartialEq, Polymorphic)]
#[polymorphic(abstract_base = Shape)]
pub enum AnyShape {
    Circle(Circle),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Zoo {
    pub star: AnyAnimal,
    pub guest: Option<AnyAnimal>,
    pub animals: Vec<AnyAnimal>,
    #[model(unwrapped)]
    pub shapes: Vec<AnyShape>,
}

pub struct Zoos;

#[service(namespace = "urn:zoo")]
impl Zoos {
    #[rpc]
    fn echo_zoo(&self, zoo: Zoo) -> Result<Zoo, Fault> {
        Ok(zoo)
    }
}

fn wsdl() -> String {
    common::wsdl_of(Application::builder("Zoos", "urn:zoo").service(Zoos))
}

#[test]
fn the_schema_declares_bases_and_subtypes() {
    let text = wsdl();
    common::assert_snapshot("polymorphism.wsdl", &text);
    for fragment in [
        r#"<xs:element name="star" type="tns:Animal"/>"#,
        r#"<xs:element name="guest" type="tns:Animal" minOccurs="0" nillable="true"/>"#,
        r#"<xs:element name="animals" type="tns:AnimalArray"/>"#,
        r#"<xs:element name="shapes" type="tns:Shape" minOccurs="0" maxOccurs="unbounded"/>"#,
        r#"<xs:complexType name="Shape" abstract="true">"#,
        r#"<xs:complexType name="Dog">"#,
        r#"<xs:extension base="tns:Animal">"#,
        r#"<xs:extension base="tns:Shape">"#,
        r#"<xs:complexType name="Puppy">"#,
    ] {
        assert!(text.contains(fragment), "{fragment} not in {text}");
    }
    // No abstract marker on a base that is concrete.
    assert!(!text.contains(r#"name="Animal" abstract"#), "{text}");
    common::assert_resolves(&text);
}
