//! `default` and `fixed` value constraints (`#[model(default = "..")]`, `#[model(fixed =
//! "..")]`): an absent attribute and an empty element take the declared value, a `fixed` one
//! refuses any other value (compared as values, not text), and the exact XML written.
#![allow(missing_docs, missing_debug_implementations)]

mod common;

use std::sync::Arc;

use rpclib_core::model::{Decimal, MaxOccurs, ValueConstraint};
use rpclib_core::{Application, ComplexModel, Fault, SimpleEnum, service};
use rpclib_protocol_soap::Soap11;

const NS: &str = "urn:defaults";

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:defaults")]
pub enum Level {
    #[model(name = "low")]
    Low,
    #[model(name = "high")]
    High,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:defaults")]
pub struct Settings {
    /// Absent: `high`.
    #[model(attribute, default = "high")]
    pub level: Level,
    /// Absent: `false` (declared as `0`).
    #[model(attribute, default = "0")]
    pub relay: bool,
    /// Only `1.0` (in any spelling); absent: `1.0`.
    #[model(attribute, fixed = "1.0")]
    pub version: Decimal,
    /// Present and empty: `7`.
    #[model(default = "7")]
    pub retries: i32,
    /// Present and empty: `eu`; absent: absent.
    #[model(default = "eu")]
    pub region: Option<String>,
    /// Only `v2`.
    #[model(fixed = "v2")]
    pub schema: String,
}

pub struct Defaults;

#[service(namespace = "urn:defaults")]
impl Defaults {
    #[rpc]
    fn echo(&self, settings: Settings) -> Result<Settings, Fault> {
        Ok(settings)
    }
}

fn server() -> Arc<Application> {
    Application::builder("Defaults", NS)
        .service(Defaults)
        .protocol(Soap11::new())
        .build()
        .expect("valid server")
}

fn request(attrs: &str, content: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:h=\"{NS}\"><s:Body><h:echo>\
         <h:settings{attrs}>{content}</h:settings></h:echo></s:Body></s:Envelope>",
        common::SOAP11
    )
}

/// The content of the response element of the reply to `request(attrs, content)`.
fn echoed(attrs: &str, content: &str) -> String {
    let (status, reply) = common::serve(&server(), request(attrs, content).as_bytes());
    assert_eq!(status, 200, "{reply}");
    common::assert_well_formed(&reply);
    let start = reply
        .find("<tns:echoResponse>")
        .expect("a response element");
    let end = reply.find("</tns:echoResponse>").expect("its end");
    reply[start + "<tns:echoResponse>".len()..end].to_owned()
}

/// The fault code and string the server answers with.
fn fault_of(attrs: &str, content: &str) -> (String, String) {
    let (status, reply, fault) = common::serve_fault(&server(), request(attrs, content).as_bytes());
    assert_eq!(status, 500, "{reply}");
    fault.expect("a fault")
}

#[test]
fn descriptors_carry_the_value_constraints() {
    let fields = Settings::complex_type().fields;
    let got: Vec<_> = fields
        .iter()
        .map(|f| (f.name, f.min_occurs, f.value_constraint))
        .collect();
    assert_eq!(
        got,
        [
            // An attribute with a default is optional (XSD allows no other).
            ("level", 0, Some(ValueConstraint::Default("high"))),
            ("relay", 0, Some(ValueConstraint::Default("0"))),
            ("version", 1, Some(ValueConstraint::Fixed("1.0"))),
            ("retries", 1, Some(ValueConstraint::Default("7"))),
            ("region", 0, Some(ValueConstraint::Default("eu"))),
            ("schema", 1, Some(ValueConstraint::Fixed("v2"))),
        ]
    );
    assert!(fields.iter().all(|f| f.max_occurs == MaxOccurs::Bounded(1)));
}

#[test]
fn absent_attributes_and_empty_elements_take_the_declared_values() {
    // Golden: every value supplied, then written out in full.
    assert_eq!(
        echoed("", "<h:retries/><h:region></h:region><h:schema/>"),
        concat!(
            r#"<tns:echoResult level="high" relay="false" version="1.0">"#,
            "<tns:retries>7</tns:retries><tns:region>eu</tns:region>",
            "<tns:schema>v2</tns:schema></tns:echoResult>"
        )
    );
    // Values given are kept; an absent optional element stays absent.
    assert_eq!(
        echoed(
            r#" level="low" relay="true" version="1""#,
            "<h:retries>3</h:retries><h:schema>v2</h:schema>"
        ),
        concat!(
            r#"<tns:echoResult level="low" relay="true" version="1">"#,
            "<tns:retries>3</tns:retries><tns:schema>v2</tns:schema></tns:echoResult>"
        )
    );
}

#[test]
fn a_fixed_value_refuses_any_other() {
    let (code, string) = fault_of("", "<h:retries>1</h:retries><h:schema>v3</h:schema>");
    assert_eq!(code, "Client.ValidationError");
    assert!(
        string
            .contains("field `settings.schema`: the value must be the fixed value `v2`, not `v3`"),
        "{string}"
    );
    let (code, string) = fault_of(
        r#" version="1.5""#,
        "<h:retries>1</h:retries><h:schema>v2</h:schema>",
    );
    assert_eq!(code, "Client.ValidationError");
    assert!(
        string.contains(
            "field `settings.version`: the value must be the fixed value `1.0`, not `1.5`"
        ),
        "{string}"
    );
}

#[test]
fn a_default_does_not_make_a_required_element_optional() {
    // XSD: a default applies to an element that is present and empty, not to an absent one.
    let (code, string) = fault_of("", "<h:schema>v2</h:schema>");
    assert_eq!(code, "Client.ValidationError");
    assert!(string.contains("retries"), "{string}");
    // The declared value must still be valid text for the type when it is given.
    let (_, string) = fault_of(
        r#" level="mid""#,
        "<h:retries>1</h:retries><h:schema>v2</h:schema>",
    );
    assert!(string.contains("mid"), "{string}");
}
