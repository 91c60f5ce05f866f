//! The schema the WSDL gives polymorphic values (`#[derive(Polymorphic)]`): the field's element
//! typed with the base, every variant's complexType extending its base, an abstract base
//! marked `abstract="true"`. Pinned byte for byte in `tests/data/polymorphism.wsdl` (set
//! `RPCLIB_UPDATE_SNAPSHOTS=1` to rewrite it, never under CI), and read back by our reader.
#![allow(missing_docs, missing_debug_implementations)]

use std::path::PathBuf;

use rpclib_core::{Application, ComplexModel, Fault, Polymorphic, TransportInfo, service};
use rpclib_interface_wsdl::{Wsdl11, WsdlDocument};

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
    let app = Application::builder("Zoos", "urn:zoo")
        .service(Zoos)
        .interface(Wsdl11::new())
        .build()
        .unwrap();
    let transport = TransportInfo {
        uri: "http://schemas.xmlsoap.org/soap/http".into(),
    };
    app.interface_document(&transport)
        .unwrap()
        .render("http://localhost:8000/")
}

#[test]
fn the_schema_declares_bases_and_subtypes() {
    let text = wsdl();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/polymorphism.wsdl");
    let update = std::env::var("RPCLIB_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    assert!(
        !(update && ci),
        "snapshots are compared in CI, never rewritten"
    );
    if update {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == text,
        "polymorphism.wsdl changed; rerun with RPCLIB_UPDATE_SNAPSHOTS=1 and review:\n{text}"
    );
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
    let doc = WsdlDocument::parse(&text).unwrap();
    assert_eq!(doc.unresolved(), Vec::<String>::new());
}
