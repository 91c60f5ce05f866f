//! The document of a service using every kind of type and facet: compared with a snapshot
//! (byte for byte: the output is deterministic), and the errors for what cannot be said.

#![allow(missing_docs, missing_debug_implementations, unreachable_pub)] // test types

use std::path::PathBuf;

use rpclib_core::model::{AnyXml, BigInt, ByteArray, Date, DateTime, Decimal};
use rpclib_core::{Application, ComplexModel, Fault, SimpleEnum, service};
use rpclib_interface_openapi::OpenApi;
use serde_json::{Value, json};

/// A colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleEnum)]
#[model(namespace = "urn:shop")]
pub enum Colour {
    Red,
    Green,
}

/// Someone who orders.
#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:shop")]
pub struct Person {
    #[model(min_len = 1, max_len = 64, pattern = "[A-Z][a-z]*")]
    pub name: String,
    #[model(min_inclusive = 1, max_inclusive = 10)]
    pub times: u32,
    pub nick: Option<String>,
}

/// An order, with one of everything.
#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:shop")]
pub struct Order {
    pub who: Person,
    pub colour: Option<Colour>,
    #[model(min_items = 1, max_items = 5, max_len = 8)]
    pub tags: Vec<String>,
    pub total: Decimal,
    #[model(min_exclusive = 0.0)]
    pub weight: f64,
    pub id: i64,
    pub big: Option<BigInt>,
    pub small: i16,
    pub photo: Option<ByteArray>,
    pub due: Option<Date>,
    pub at: Option<DateTime>,
    pub note: Option<AnyXml>,
}

/// A tree: recursive.
#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:shop")]
pub struct Node {
    pub value: i32,
    pub next: Option<Box<Node>>,
}

/// A declared fault's detail.
#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:shop")]
pub struct OutOfStock {
    pub item: String,
}

pub struct Shop;

/// The shop.
#[service(namespace = "urn:shop")]
impl Shop {
    /// Places an order.
    #[rpc(faults(OutOfStock))]
    fn place(&self, order: Order, #[model(unwrapped)] extras: Vec<i32>) -> Result<u64, Fault> {
        let _ = (order, extras);
        Ok(1)
    }

    /// Greets.
    #[rpc]
    fn greet(&self, person: Person) -> Vec<String> {
        vec![person.name]
    }

    #[rpc]
    fn walk(&self, node: Node) -> Node {
        node
    }
}

fn app() -> std::sync::Arc<Application> {
    Application::builder("Shop", "urn:shop")
        .service(Shop)
        .build()
        .unwrap()
}

fn app_of_shop() -> std::sync::Arc<Application> {
    app()
}

fn snapshot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn json_document_matches_the_snapshot() {
    let app = app();
    let text = OpenApi::new("Shop", "1.0.0")
        .json_document("/json", app.catalogue())
        .to_json()
        .unwrap();
    let again = OpenApi::new("Shop", "1.0.0")
        .json_document("/json", app.catalogue())
        .to_json()
        .unwrap();
    assert_eq!(text, again, "not deterministic");
    let path = snapshot("shop.openapi.json");
    if std::env::var_os("RPCLIB_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        expected,
        "differs from {} (RPCLIB_BLESS=1 rewrites it)",
        path.display()
    );
}

#[test]
fn types_map_as_the_json_protocol_writes_them() {
    let app = app();
    let doc = OpenApi::new("Shop", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    let order = &schemas["Order"]["properties"];
    assert_eq!(
        schemas["Person"]["properties"]["name"],
        json!({"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^(?:[A-Z][a-z]*)$"})
    );
    // The type's own range and the facet's both hold.
    assert_eq!(
        schemas["Person"]["properties"]["times"],
        json!({"allOf": [
            {"type": "integer", "minimum": 0, "maximum": 4294967295u32},
            {"minimum": 1, "maximum": 10},
        ]})
    );
    assert_eq!(
        schemas["Person"]["properties"]["nick"],
        json!({"type": ["string", "null"]})
    );
    assert_eq!(schemas["Person"]["required"], json!(["name", "times"]));
    assert_eq!(schemas["Person"]["additionalProperties"], json!(false));
    assert_eq!(
        order["colour"],
        json!({"anyOf": [{"$ref": "#/components/schemas/Colour"}, {"type": "null"}]})
    );
    assert_eq!(schemas["Colour"]["enum"], json!(["Red", "Green"]));
    assert_eq!(
        order["tags"],
        json!({"type": "array", "items": {"type": "string", "maxLength": 8}, "minItems": 1, "maxItems": 5})
    );
    assert_eq!(order["total"]["type"], "string");
    assert_eq!(
        order["weight"]["anyOf"][0],
        json!({"type": "number", "format": "double", "exclusiveMinimum": 0.0})
    );
    assert_eq!(
        order["weight"]["anyOf"][1]["enum"],
        json!(["NaN", "INF", "-INF"])
    );
    // i64 goes beyond 2^53: a number or a string of digits.
    assert_eq!(order["id"]["type"], json!(["integer", "string"]));
    assert_eq!(order["id"]["format"], "int64");
    assert_eq!(order["big"]["type"], json!(["integer", "string", "null"]));
    assert_eq!(
        order["small"],
        json!({"type": "integer", "minimum": -32768, "maximum": 32767})
    );
    assert_eq!(order["photo"]["contentEncoding"], "base64");
    assert_eq!(
        order["due"],
        json!({"type": ["string", "null"], "x-xsd-type": "date"})
    );
    assert_eq!(order["note"]["contentMediaType"], "application/xml");
    // Recursion through a reference.
    assert_eq!(
        schemas["Node"]["properties"]["next"],
        json!({"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]})
    );
    // The unwrapped array: optional, an array.
    let place = &schemas["place"];
    assert_eq!(place["required"], json!(["order"]));
    assert_eq!(
        place["properties"]["extras"]["type"],
        json!(["array", "null"])
    );
    assert!(
        schemas["OutOfStock"].is_object(),
        "declared fault types are described"
    );
    let op = &doc["paths"]["/json"]["post"];
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        op["responses"]["400"]["$ref"],
        "#/components/responses/ClientFault"
    );
}

#[test]
fn http_rpc_flattens_arguments_or_says_why_not() {
    let app = app();
    let err = OpenApi::new("Shop", "1")
        .http_rpc("/rpc", app.catalogue())
        .to_value()
        .unwrap_err();
    assert_eq!(
        err.location(),
        "HttpRpc method `walk`, parameter `node.next`"
    );
    assert!(err.problem().contains("`Node` contains itself"), "{err}");

    // Without the recursive method: flat parameters.
    pub struct Greeter;
    #[service(namespace = "urn:shop")]
    impl Greeter {
        #[rpc]
        fn greet(&self, person: Person, #[model(unwrapped)] days: Vec<u8>) -> String {
            let _ = days;
            person.name
        }
    }
    let app = Application::builder("G", "urn:shop")
        .service(Greeter)
        .build()
        .unwrap();
    let text = OpenApi::new("G", "1")
        .http_rpc("/rpc/", app.catalogue())
        .to_json()
        .unwrap();
    let path = snapshot("greeter.http-rpc.openapi.json");
    if std::env::var_os("RPCLIB_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, committed, "differs from {}", path.display());
    let doc: Value = serde_json::from_str(&text).unwrap();
    let op = &doc["paths"]["/rpc/greet"]["post"];
    assert_eq!(op["operationId"], "rpc_greet");
    let form = &op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"];
    let names: Vec<&String> = form["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        ["days", "person.name", "person.nick", "person.times"]
    );
    assert_eq!(form["required"], json!(["person.name", "person.times"]));
    assert_eq!(form["properties"]["days"]["type"], "array");
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["required"],
        json!(["greetResponse"])
    );
    assert!(
        doc["paths"]["/rpc/greet"].get("get").is_none(),
        "not marked safe"
    );
}

#[test]
fn what_cannot_be_said_is_refused() {
    #[derive(Debug, Clone, ComplexModel)]
    #[model(namespace = "urn:a")]
    pub struct Price {
        #[model(min_inclusive = 0)]
        pub amount: Decimal,
    }
    pub struct Prices;
    #[service(namespace = "urn:a")]
    impl Prices {
        #[rpc]
        fn set(&self, price: Price) {
            let _ = price;
        }
    }
    let app = Application::builder("P", "urn:a")
        .service(Prices)
        .build()
        .unwrap();
    let err = OpenApi::new("P", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap_err();
    assert_eq!(err.location(), "Price.amount");
    assert!(err.problem().contains("range facet (minimum 0)"), "{err}");

    #[derive(Debug, Clone, ComplexModel)]
    #[model(namespace = "urn:a")]
    pub struct Code {
        #[model(pattern = "(?i)abc")]
        pub code: String,
    }
    pub struct Codes;
    #[service(namespace = "urn:a")]
    impl Codes {
        #[rpc]
        fn check(&self, code: Code) {
            let _ = code;
        }
    }
    let app = Application::builder("C", "urn:a")
        .service(Codes)
        .build()
        .unwrap();
    let err = OpenApi::new("C", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot describe Code.code in OpenAPI: the pattern `(?i)abc` uses inline flags or named groups (`(?..`), which ECMA-262 patterns do not have"
    );

    for bad in ["json", "/a b", "/{x}", "/a?b"] {
        let err = OpenApi::new("C", "1")
            .json_document(bad, app.catalogue())
            .to_value()
            .unwrap_err();
        assert!(err.location().contains(bad), "{err}");
    }
    let shop = app_of_shop();
    let err = OpenApi::new("C", "1")
        .json_document("/j", shop.catalogue())
        .json_document("/j", shop.catalogue())
        .to_value()
        .unwrap_err();
    assert_eq!(err.problem(), "two endpoints describe this path");
}

#[test]
fn two_types_of_one_name_are_refused() {
    mod a {
        use rpclib_core::ComplexModel;
        #[derive(Debug, Clone, ComplexModel)]
        #[model(namespace = "urn:one")]
        pub struct Item {
            pub x: i32,
        }
    }
    mod b {
        use rpclib_core::ComplexModel;
        #[derive(Debug, Clone, ComplexModel)]
        #[model(namespace = "urn:two")]
        pub struct Item {
            pub y: i32,
        }
    }
    pub struct Both;
    #[service(namespace = "urn:one")]
    impl Both {
        #[rpc]
        fn one(&self, i: a::Item) {
            let _ = i;
        }
        #[rpc]
        fn two(&self, i: b::Item) {
            let _ = i;
        }
    }
    let app = Application::builder("B", "urn:one")
        .service(Both)
        .build()
        .unwrap();
    let err = OpenApi::new("B", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap_err();
    assert_eq!(err.location(), "Item");
    assert!(err.problem().contains("share this name"), "{err}");
    let _: Value = json!(null);
}

#[test]
fn choices_and_lists_map_as_the_json_protocol_writes_them() {
    use rpclib_core::Choice;
    use rpclib_core::model::XmlList;

    /// How to reach someone.
    #[derive(Debug, Clone, PartialEq, Choice)]
    #[model(namespace = "urn:c")]
    pub enum Contact {
        #[model(name = "email", max_len = 64)]
        Email(String),
        #[model(name = "phone")]
        Phone(u64),
    }
    #[derive(Debug, Clone, ComplexModel)]
    #[model(namespace = "urn:c")]
    pub struct Card {
        pub contact: Contact,
        pub scores: XmlList<i32>,
    }
    pub struct Cards;
    #[service(namespace = "urn:c")]
    impl Cards {
        #[rpc]
        fn file(&self, card: Card) {
            let _ = card;
        }
    }
    let app = Application::builder("Cards", "urn:c")
        .service(Cards)
        .build()
        .unwrap();
    let doc = OpenApi::new("Cards", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Card"]["properties"]["contact"],
        json!({"$ref": "#/components/schemas/Contact"})
    );
    assert_eq!(
        schemas["Card"]["properties"]["scores"],
        json!({"type": "string", "x-xsd-list": "int"})
    );
    let alternatives = schemas["Contact"]["oneOf"].as_array().unwrap();
    assert_eq!(alternatives.len(), 2);
    assert_eq!(alternatives[0]["required"], json!(["email"]));
    assert_eq!(
        alternatives[0]["properties"]["email"]["maxLength"],
        json!(64)
    );
    assert_eq!(alternatives[1]["required"], json!(["phone"]));
    assert_eq!(alternatives[1]["additionalProperties"], json!(false));

    // A form has no flat form of a choice: HttpRpc refuses to describe it, naming where.
    let err = OpenApi::new("Cards", "1")
        .http_rpc("/rpc", app.catalogue())
        .to_value()
        .unwrap_err();
    assert!(err.location().contains("card.contact"), "{err}");
    assert!(err.problem().contains("the choice `Contact`"), "{err}");
}

#[test]
fn skip_unrepresentable_leaves_out_and_lists_what_has_no_flat_form() {
    let app = app();
    let openapi = OpenApi::new("Shop", "1")
        .json_document("/json", app.catalogue())
        .http_rpc("/rpc", app.catalogue())
        .skip_unrepresentable();
    let left_out = openapi.left_out().unwrap();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert_eq!(left_out[0].path, "/rpc/walk");
    assert_eq!(left_out[0].method, "walk");
    assert_eq!(
        left_out[0].reason.location(),
        "HttpRpc method `walk`, parameter `node.next`"
    );
    let doc = openapi.to_value().unwrap();
    assert!(doc["paths"].get("/rpc/walk").is_none());
    assert!(doc["paths"]["/rpc/place"]["post"].is_object());
    assert_eq!(doc["x-left-out"][0]["path"], "/rpc/walk");
    assert!(
        doc["x-left-out"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("`Node` contains itself")
    );
    // The JSON endpoint still describes it.
    let shapes = &doc["paths"]["/json"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["oneOf"];
    assert!(
        shapes
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["title"] == "walk")
    );
    // A form carries every value as text: a wide integer is a plain integer there.
    let form = &doc["paths"]["/rpc/place"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
        ["schema"]["properties"];
    assert_eq!(form["order.big"]["type"], "integer");
    assert!(form["order.big"].get("pattern").is_none());

    // Nothing left out: no `x-left-out` member at all.
    let bare = Application::builder("B", "urn:shop")
        .service(Bare)
        .build()
        .unwrap();
    let plain = OpenApi::new("B", "1").json_document("/json", bare.catalogue());
    assert!(plain.left_out().unwrap().is_empty());
    assert!(plain.to_value().unwrap().get("x-left-out").is_none());
}

pub struct Bare;

#[service(namespace = "urn:shop")]
impl Bare {
    #[rpc(body = "bare")]
    fn echo_name(&self, name: String) -> String {
        name
    }
    #[rpc(body = "bare")]
    fn greet_person(&self, person: Person) -> String {
        person.name
    }
}

#[test]
fn a_bare_part_is_read_from_the_whole_form() {
    let app = Application::builder("B", "urn:shop")
        .service(Bare)
        .build()
        .unwrap();
    let err = OpenApi::new("B", "1")
        .http_rpc("/rpc", app.catalogue())
        .to_value()
        .unwrap_err();
    assert_eq!(err.location(), "HttpRpc method `echo_name`");
    assert!(
        err.problem().contains("simple part has no form key"),
        "{err}"
    );
    let openapi = OpenApi::new("B", "1")
        .http_rpc("/rpc", app.catalogue())
        .skip_unrepresentable();
    let doc = openapi.to_value().unwrap();
    let left: Vec<&str> = openapi
        .left_out()
        .unwrap()
        .iter()
        .map(|l| l.method)
        .collect();
    assert_eq!(left, ["echo_name"]);
    // A complex part's fields are the top-level keys (no `person.` prefix).
    let form = &doc["paths"]["/rpc/greet_person"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
        ["schema"];
    let names: Vec<&String> = form["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["name", "nick", "times"]);
    assert_eq!(form["required"], json!(["name", "times"]));
}
