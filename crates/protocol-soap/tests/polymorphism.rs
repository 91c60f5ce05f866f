//! `xsi:type` polymorphism (`#[derive(Polymorphic)]`): the exact XML written (a golden file),
//! round trips through a typed client and a server in both SOAP versions, and the faults bad
//! `xsi:type`s get.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use common::loopback::{Loopback, caller, soap_app};

use std::sync::Arc;

use proptest::prelude::*;
use rpclib_core::model::TypeRef;
use rpclib_core::{
    Application, ComplexModel, Fault, Model, Polymorphic, RemoteClient, Service, service,
};

const NS: &str = "urn:zoo";

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

/// Two levels down, in another namespace.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:pets")]
pub struct Puppy {
    #[model(base)]
    pub dog: Dog,
    pub age: i32,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Cat {
    #[model(base)]
    pub animal: Animal,
    pub lives: i32,
}

/// An `Animal` element: the base or a subtype.
#[derive(Debug, Clone, PartialEq, Polymorphic)]
pub enum AnyAnimal {
    Animal(Animal),
    Cat(Cat),
    Dog(Dog),
    Puppy(Puppy),
}

/// An abstract base: every value is one of its subtypes.
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

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Square {
    #[model(base)]
    pub shape: Shape,
    pub side: i32,
}

#[derive(Debug, Clone, PartialEq, Polymorphic)]
#[polymorphic(abstract_base = Shape)]
pub enum AnyShape {
    Circle(Circle),
    Square(Square),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Zoo {
    pub star: AnyAnimal,
    pub guest: Option<AnyAnimal>,
    pub animals: Vec<AnyAnimal>,
    #[model(unwrapped)]
    pub shapes: Vec<AnyShape>,
    /// A plain complex field: accepts an `xsi:type` naming its own type.
    pub keeper: Animal,
}

pub struct Zoos;

#[service(namespace = "urn:zoo")]
impl Zoos {
    #[rpc]
    fn echo_zoo(&self, zoo: Zoo) -> Result<Zoo, Fault> {
        Ok(zoo)
    }

    #[rpc]
    fn echo_shape(&self, shape: AnyShape) -> Result<AnyShape, Fault> {
        Ok(shape)
    }
}

fn server(soap12: bool) -> Arc<Application> {
    soap_app(Application::builder("Zoos", NS).service(Zoos), soap12)
}

fn client(soap12: bool) -> ZoosClient<RemoteClient<Loopback>> {
    ZoosClient::new(caller(
        "Zoos",
        NS,
        <Zoos as Service>::descriptor(),
        server(soap12),
        soap12,
    ))
}

fn animal(name: &str) -> Animal {
    Animal { name: name.into() }
}

fn dog(name: &str) -> Dog {
    Dog {
        animal: animal(name),
        barks: true,
    }
}

fn zoo() -> Zoo {
    Zoo {
        star: AnyAnimal::Puppy(Puppy {
            dog: dog("Rex"),
            age: 1,
        }),
        guest: Some(AnyAnimal::Animal(animal("Gnu"))),
        animals: vec![
            AnyAnimal::Dog(dog("Fido")),
            AnyAnimal::Animal(animal("Ant")),
            AnyAnimal::Cat(Cat {
                animal: animal("Tom"),
                lives: 9,
            }),
        ],
        shapes: vec![
            AnyShape::Circle(Circle {
                shape: Shape { id: 1 },
                radius: 2,
            }),
            AnyShape::Square(Square {
                shape: Shape { id: 3 },
                side: 4,
            }),
        ],
        keeper: animal("Kim"),
    }
}

#[test]
fn descriptors_check_and_name_the_base() {
    for ty in [AnyAnimal::type_ref(), AnyShape::type_ref()] {
        let TypeRef::Polymorphic(p) = ty else {
            panic!("{ty:?}")
        };
        assert_eq!(p.check(), Ok(()));
    }
    let TypeRef::Polymorphic(p) = AnyShape::type_ref() else {
        unreachable!()
    };
    assert!(p.abstract_base);
    assert_eq!(p.base_variant(), None);
    assert_eq!(AnyAnimal::type_ref().name(), "Animal");
    assert_eq!(AnyAnimal::type_ref().namespace(), Some(NS));
}

#[test]
fn writes_the_golden_reply() {
    let c = client(false);
    c.echo_zoo(zoo()).unwrap();
    let (_, reply) = c.caller().transport().last();
    // The base variant has no xsi:type; a subtype names its type, the prefix of another
    // namespace declared where it is first needed.
    common::check_golden("polymorphism", "echo_zoo_soap11.xml", &reply);
}

#[test]
fn round_trips_in_both_versions() {
    for soap12 in [false, true] {
        let c = client(soap12);
        assert_eq!(c.echo_zoo(zoo()).unwrap(), zoo());
        let bare = Zoo {
            star: AnyAnimal::Animal(animal("A")),
            guest: None,
            animals: vec![],
            shapes: vec![],
            ..zoo()
        };
        assert_eq!(c.echo_zoo(bare.clone()).unwrap(), bare);
        for shape in zoo().shapes {
            assert_eq!(c.echo_shape(shape.clone()).unwrap(), shape);
        }
    }
}

fn request(body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:h=\"{NS}\" xmlns:p=\"urn:pets\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Body>{body}</s:Body></s:Envelope>",
        common::SOAP11
    )
}

fn zoo_request(star: &str, rest: &str) -> String {
    request(&format!(
        "<h:echo_zoo><h:zoo>{star}<h:animals/>{rest}<h:keeper><h:name>k</h:name></h:keeper></h:zoo></h:echo_zoo>"
    ))
}

/// The fault code and string the server answers `body` with.
fn fault_of(body: &str) -> (String, String) {
    let (status, reply, fault) = common::serve_fault(&server(false), body.as_bytes());
    assert_eq!(status, 500, "{reply}");
    fault.expect("a fault")
}

#[test]
fn reads_what_stock_clients_send() {
    // A subtype's type in the default namespace, a prefix declared on the element itself,
    // and a plain field naming its own type.
    let body = request(
        "<h:echo_zoo><h:zoo xmlns=\"urn:zoo\">\
         <h:star xsi:type=\"Dog\"><h:name>d</h:name><h:barks>false</h:barks></h:star>\
         <h:animals><h:Animal xmlns:q=\"urn:pets\" xsi:type=\"q:Puppy\"><h:name>p</h:name>\
         <h:barks>1</h:barks><q:age>2</q:age></h:Animal></h:animals>\
         <h:shapes xsi:type=\" h:Square \"><h:id>1</h:id><h:side>2</h:side></h:shapes>\
         <h:keeper xsi:type=\"h:Animal\"><h:name>k</h:name></h:keeper></h:zoo></h:echo_zoo>",
    );
    let (status, reply) = common::serve(&server(false), body.as_bytes());
    assert_eq!(status, 200, "{reply}");
    assert!(
        reply.contains("<tns:star xsi:type=\"tns:Dog\"><tns:name>d</tns:name>"),
        "{reply}"
    );
    assert!(reply.contains("xsi:type=\"s0:Puppy\""), "{reply}");
    assert!(reply.contains("<tns:side>2</tns:side>"), "{reply}");
}

#[test]
fn bad_xsi_types_get_faults_naming_type_field_and_place() {
    let dog = "<h:name>d</h:name><h:barks>1</h:barks>";
    let square = "<h:shapes xsi:type=\"h:Square\"><h:id>1</h:id><h:side>2</h:side></h:shapes>";
    let table: [(String, &[&str]); 5] = [
        // A type nobody declared.
        (
            zoo_request(&format!("<h:star xsi:type=\"h:Fish\">{dog}</h:star>"), ""),
            &[
                "the xsi:type `{urn:zoo}Fish` of element `star` is not `Animal` or a subtype of it declared here: expected one of `Animal`, `Cat`, `Dog` or `Puppy`",
                "line 1, column 183",
            ],
        ),
        // A prefix nobody declared.
        (
            zoo_request(&format!("<h:star xsi:type=\"z:Dog\">{dog}</h:star>"), ""),
            &[
                "the xsi:type `z:Dog` of element `star` uses the undeclared namespace prefix `z`",
                "line 1, column 183",
            ],
        ),
        // A type that exists but is no subtype (another variant set's).
        (
            zoo_request(&format!("<h:star xsi:type=\"h:Square\">{dog}</h:star>"), ""),
            &["the xsi:type `{urn:zoo}Square` of element `star` is not `Animal`"],
        ),
        // Right name, wrong namespace.
        (
            zoo_request(&format!("<h:star xsi:type=\"p:Dog\">{dog}</h:star>"), ""),
            &["the xsi:type `{urn:pets}Dog` of element `star`"],
        ),
        // An abstract base without xsi:type.
        (
            zoo_request(
                "<h:star><h:name>a</h:name></h:star>",
                &format!("{square}<h:shapes><h:id>1</h:id></h:shapes>"),
            ),
            &[
                "element `shapes` has no xsi:type, but its type `Shape` is abstract: expected xsi:type naming one of `Circle` or `Square`",
            ],
        ),
    ];
    for (body, expected) in table {
        let (code, string) = fault_of(&body);
        assert_eq!(code, "Client.ValidationError", "{string}");
        for part in expected {
            assert!(string.contains(part), "{string}\nlacks {part}");
        }
    }
    // A bare parameter of an abstract type.
    let (code, string) = fault_of(&request(
        "<h:echo_shape><h:shape><h:id>1</h:id></h:shape></h:echo_shape>",
    ));
    assert_eq!(code, "Client.ValidationError");
    assert!(
        string.contains("element `shape` has no xsi:type"),
        "{string}"
    );
}

fn any_animal() -> impl Strategy<Value = AnyAnimal> {
    let name = "[a-z<&>]{0,6}";
    prop_oneof![
        name.prop_map(|n| AnyAnimal::Animal(animal(&n))),
        (name, any::<bool>()).prop_map(|(n, barks)| AnyAnimal::Dog(Dog {
            animal: animal(&n),
            barks
        })),
        (name, any::<i32>()).prop_map(|(n, age)| AnyAnimal::Puppy(Puppy { dog: dog(&n), age })),
        (name, any::<i32>()).prop_map(|(n, lives)| AnyAnimal::Cat(Cat {
            animal: animal(&n),
            lives
        })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn polymorphic_values_round_trip(
        star in any_animal(),
        guest in proptest::option::of(any_animal()),
        animals in proptest::collection::vec(any_animal(), 0..5),
        soap12 in any::<bool>(),
    ) {
        let z = Zoo { star, guest, animals, shapes: vec![], keeper: animal("k") };
        prop_assert_eq!(client(soap12).echo_zoo(z.clone()).unwrap(), z);
    }
}
