//! Choices (`#[derive(Choice)]`), element wildcards (`#[model(any)]`) and lists (`XmlList`):
//! the exact XML written, that it reads back through a typed client and a server in both SOAP
//! versions, and the faults bad input gets.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use common::loopback::{Loopback, caller, soap_app};

use std::sync::Arc;

use proptest::prelude::*;
use rpclib_core::model::{AnyXml, FieldKind, MaxOccurs, Token, XmlList};
use rpclib_core::{
    Application, Choice, ComplexModel, Fault, RemoteClient, Service, SimpleEnum, service,
};

const NS: &str = "urn:choices";

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:choices")]
pub struct Address {
    pub street: String,
    pub city: String,
}

/// How to reach someone: one of three elements.
#[derive(Debug, Clone, PartialEq, Choice)]
#[model(namespace = "urn:choices")]
pub enum Contact {
    #[model(name = "email", max_len = 64)]
    Email(String),
    #[model(name = "phone")]
    Phone(u64),
    #[model(name = "address")]
    Address(Address),
    /// A repeated alternative: a run of `<fax>` elements.
    #[model(name = "fax", unwrapped, max_occurs = "unbounded")]
    Fax(Vec<String>),
}

/// What happened, repeated in any order.
#[derive(Debug, Clone, PartialEq, Choice)]
#[model(namespace = "urn:choices")]
pub enum Event {
    #[model(name = "opened")]
    Opened(String),
    #[model(name = "closed")]
    Closed(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:choices")]
pub enum Level {
    Low,
    High,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:choices")]
pub struct Person {
    #[model(attribute)]
    pub scopes: Option<XmlList<Token>>,
    pub name: String,
    pub contact: Contact,
    /// A second way, optional.
    pub backup: Option<Contact>,
    pub history: Vec<Event>,
    pub ranks: XmlList<i32>,
    pub levels: Option<XmlList<Level>>,
    /// Extensions of other vocabularies.
    #[model(any = "##other")]
    pub extra: Vec<AnyXml>,
}

/// A type ending in a `##any` wildcard that may hold at most one element.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:choices")]
pub struct Open {
    pub id: i32,
    #[model(any, process_contents = "skip")]
    pub rest: Option<AnyXml>,
}

pub struct Choices;

#[service(namespace = "urn:choices")]
impl Choices {
    #[rpc]
    fn echo_person(&self, person: Person) -> Result<Person, Fault> {
        Ok(person)
    }

    #[rpc]
    fn echo_open(&self, open: Open) -> Result<Open, Fault> {
        Ok(open)
    }

    #[rpc]
    fn echo_contact(&self, contact: Contact) -> Result<Contact, Fault> {
        Ok(contact)
    }
}

fn server(soap12: bool) -> Arc<Application> {
    soap_app(Application::builder("Choices", NS).service(Choices), soap12)
}

fn client(soap12: bool) -> ChoicesClient<RemoteClient<Loopback>> {
    ChoicesClient::new(caller(
        "Choices",
        NS,
        <Choices as Service>::descriptor(),
        server(soap12),
        soap12,
    ))
}

fn person() -> Person {
    Person {
        scopes: Some(XmlList(vec![
            Token::new("onvif://a").unwrap(),
            Token::new("b").unwrap(),
        ])),
        name: "Ada".into(),
        contact: Contact::Address(Address {
            street: "1 Loop".into(),
            city: "Lon".into(),
        }),
        backup: Some(Contact::Phone(9)),
        history: vec![
            Event::Opened("x".into()),
            Event::Closed(2),
            Event::Opened("y".into()),
        ],
        ranks: XmlList(vec![1, -2, 30]),
        levels: Some(XmlList(vec![Level::High, Level::Low])),
        extra: vec![
            AnyXml::new(r#"<v:ext xmlns:v="urn:vendor" v:k="1"><v:deep>t</v:deep></v:ext>"#),
            AnyXml::new(r#"<w:more xmlns:w="urn:w"/>"#),
        ],
    }
}

/// The body of the request `echo_person(person())` sends, exactly.
const PERSON_BODY: &str = concat!(
    r#"<tns:echo_person><tns:person scopes="onvif://a b"><tns:name>Ada</tns:name>"#,
    r#"<tns:address><tns:street>1 Loop</tns:street><tns:city>Lon</tns:city></tns:address>"#,
    r#"<tns:phone>9</tns:phone>"#,
    r#"<tns:opened>x</tns:opened><tns:closed>2</tns:closed><tns:opened>y</tns:opened>"#,
    r#"<tns:ranks>1 -2 30</tns:ranks><tns:levels>High Low</tns:levels>"#,
    r#"<v:ext xmlns:v="urn:vendor" v:k="1"><v:deep>t</v:deep></v:ext><w:more xmlns:w="urn:w"/>"#,
    r#"</tns:person></tns:echo_person>"#
);

#[test]
fn descriptors_say_choice_wildcard_and_list() {
    let p = Person::complex_type();
    let kinds: Vec<_> = p
        .fields
        .iter()
        .map(|f| {
            (
                f.name,
                f.kind,
                f.min_occurs,
                f.max_occurs,
                f.unwrapped,
                f.nillable,
            )
        })
        .collect();
    let any = match p.fields[7].kind {
        FieldKind::Any(w) => w,
        other => panic!("{other:?}"),
    };
    assert_eq!(any.namespace, "##other");
    assert_eq!(
        kinds,
        [
            (
                "scopes",
                FieldKind::Attribute,
                0,
                MaxOccurs::Bounded(1),
                false,
                false
            ),
            (
                "name",
                FieldKind::Element,
                1,
                MaxOccurs::Bounded(1),
                false,
                false
            ),
            (
                "contact",
                FieldKind::Choice,
                1,
                MaxOccurs::Bounded(1),
                false,
                false
            ),
            (
                "backup",
                FieldKind::Choice,
                0,
                MaxOccurs::Bounded(1),
                false,
                false
            ),
            (
                "history",
                FieldKind::Choice,
                0,
                MaxOccurs::Unbounded,
                true,
                false
            ),
            (
                "ranks",
                FieldKind::Element,
                1,
                MaxOccurs::Bounded(1),
                false,
                false
            ),
            (
                "levels",
                FieldKind::Element,
                0,
                MaxOccurs::Bounded(1),
                false,
                true
            ),
            (
                "extra",
                FieldKind::Any(any),
                0,
                MaxOccurs::Unbounded,
                true,
                false
            ),
        ]
    );
    assert_eq!(
        (
            Open::complex_type().fields[1].min_occurs,
            Open::complex_type().fields[1].max_occurs
        ),
        (0, MaxOccurs::Bounded(1))
    );
}

#[test]
fn writes_the_exact_xml() {
    let c = client(false);
    c.echo_person(person()).unwrap();
    let (sent, reply) = c.caller().transport().last();
    assert!(sent.contains(PERSON_BODY), "{sent}");
    assert!(
        reply.contains(r#"<tns:ranks>1 -2 30</tns:ranks>"#),
        "{reply}"
    );
}

#[test]
fn round_trips_in_both_versions() {
    for soap12 in [false, true] {
        let c = client(soap12);
        assert_eq!(c.echo_person(person()).unwrap(), person());
        let bare = Person {
            scopes: None,
            contact: Contact::Email("a@b".into()),
            backup: None,
            history: vec![],
            ranks: XmlList(vec![]),
            levels: None,
            extra: vec![],
            ..person()
        };
        assert_eq!(c.echo_person(bare.clone()).unwrap(), bare);
        let faxes = Person {
            contact: Contact::Fax(vec!["1".into(), "2".into()]),
            backup: Some(Contact::Phone(3)),
            ..person()
        };
        assert_eq!(c.echo_person(faxes.clone()).unwrap(), faxes);
        for contact in [Contact::Phone(5), Contact::Email(String::new())] {
            assert_eq!(c.echo_contact(contact.clone()).unwrap(), contact);
        }
        let open = Open {
            id: 1,
            rest: Some(AnyXml::new(
                r#"<tns:later xmlns:tns="urn:choices">1</tns:later>"#,
            )),
        };
        assert_eq!(c.echo_open(open.clone()).unwrap(), open);
    }
}

fn request(body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:h=\"{NS}\" xmlns:v=\"urn:vendor\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Body>{body}</s:Body></s:Envelope>",
        common::SOAP11
    )
}

fn person_request(content: &str) -> String {
    request(&format!(
        "<h:echo_person><h:person>{content}</h:person></h:echo_person>"
    ))
}

/// The fault code and string the server answers `body` with.
fn fault_of(body: &str) -> (String, String) {
    let (status, reply, fault) = common::serve_fault(&server(false), body.as_bytes());
    assert_eq!(status, 500, "{reply}");
    fault.expect("a fault")
}

#[test]
fn reads_wildcard_elements_with_the_declarations_they_use() {
    // The `v` prefix is declared on the envelope: the captured element declares it itself.
    let body = person_request(
        "<h:name>n</h:name><h:phone> 7 </h:phone><h:ranks>\n 4\t5 </h:ranks>\
         <v:x xsi:nil=\"true\" a=\"1\"/><v:y><v:z/></v:y>",
    );
    let (status, reply) = common::serve(&server(false), body.as_bytes());
    assert_eq!(status, 200, "{reply}");
    assert!(
        reply.contains(r#"<v:x xmlns:v="urn:vendor" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true" a="1"/><v:y xmlns:v="urn:vendor"><v:z/></v:y>"#),
        "{reply}"
    );
    assert!(reply.contains("<tns:ranks>4 5</tns:ranks>"), "{reply}");
}

#[test]
fn bad_input_gets_a_fault_naming_what_was_expected() {
    let (code, string) = fault_of(&person_request("<h:name>n</h:name><h:telex>1</h:telex>"));
    assert_eq!(code, "Client.ValidationError");
    assert!(
        string.contains(
            "unexpected element `{urn:choices}telex` in `Person`: expected one of `email`, `phone`, `address` or `fax` (the choice `Contact`)"
        ),
        "{string}"
    );
    let (_, string) = fault_of(&person_request("<h:name>n</h:name>"));
    assert!(
        string.contains("missing required element: one of `email`, `phone`, `address` or `fax`"),
        "{string}"
    );
    // A bare choice parameter: the message part is the alternative's element.
    let (_, string) = fault_of(&request(
        "<h:echo_contact><h:telex>1</h:telex></h:echo_contact>",
    ));
    assert!(string.contains("`{urn:choices}telex`"), "{string}");
    let (code, string) = fault_of(&person_request(
        "<h:name>n</h:name><h:phone>1</h:phone><h:ranks>1 x 3</h:ranks>",
    ));
    assert_eq!(code, "Client.ValidationError");
    assert!(string.contains("list item 1 (`x`)"), "{string}");
    let (_, string) = fault_of(&person_request(
        "<h:name>n</h:name><h:phone>1</h:phone><h:ranks/><h:levels>Low Mid</h:levels>",
    ));
    assert!(string.contains("list item 1 (`Mid`)"), "{string}");
    // `##other`: an undeclared element of the target namespace is not the wildcard's.
    let (_, string) = fault_of(&person_request(
        "<h:name>n</h:name><h:phone>1</h:phone><h:ranks/><h:unknown/>",
    ));
    assert!(
        string.contains("unexpected element `{urn:choices}unknown` in `Person`"),
        "{string}"
    );
    // Constraints on an alternative are checked.
    let long = "e".repeat(65);
    let (_, string) = fault_of(&person_request(&format!(
        "<h:name>n</h:name><h:email>{long}</h:email><h:ranks/>"
    )));
    assert!(string.contains("person.contact.email"), "{string}");
}

#[test]
fn writing_what_xml_cannot_carry_fails() {
    let c = client(false);
    let mut p = person();
    p.extra = vec![AnyXml::new("just text")];
    let e = c.echo_person(p).unwrap_err();
    assert!(e.to_string().contains("must be an element"), "{e}");
    let mut p = person();
    p.history = vec![Event::Opened("<".into())];
    assert_eq!(c.echo_person(p.clone()).unwrap(), p);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lists_and_choices_round_trip(
        ranks in proptest::collection::vec(any::<i32>(), 0..6),
        history in proptest::collection::vec(
            prop_oneof![
                "[a-z<&>]{0,6}".prop_map(Event::Opened),
                any::<i32>().prop_map(Event::Closed),
            ],
            0..5,
        ),
        phone in any::<u64>(),
    ) {
        let p = Person {
            scopes: None,
            name: "n".into(),
            contact: Contact::Phone(phone),
            backup: None,
            history,
            ranks: XmlList(ranks),
            levels: None,
            extra: vec![],
        };
        prop_assert_eq!(client(false).echo_person(p.clone()).unwrap(), p);
    }
}
