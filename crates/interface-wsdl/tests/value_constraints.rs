//! The schema the WSDL gives `default` and `fixed` values (`#[model(default = "..")]`,
//! `#[model(fixed = "..")]`) of elements and attributes, read back by our WSDL reader.
#![allow(missing_docs, missing_debug_implementations)]

use rpclib_core::{Application, ComplexModel, Fault, service};
mod common;

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:values")]
pub struct Settings {
    #[model(attribute, default = "high")]
    pub level: String,
    #[model(attribute, fixed = "1.0")]
    pub version: f64,
    #[model(attribute, fixed = "x")]
    pub mode: Option<String>,
    #[model(default = "7")]
    pub retries: i32,
    #[model(fixed = "v2")]
    pub schema: Option<String>,
}

pub struct Values;

#[service(namespace = "urn:values")]
impl Values {
    #[rpc]
    fn echo(&self, settings: Settings) -> Result<Settings, Fault> {
        Ok(settings)
    }
}

#[test]
fn the_schema_declares_defaults_and_fixed_values() {
    let text = common::wsdl_of(Application::builder("Values", "urn:values").service(Values));
    common::assert_contains_and_resolves(
        &text,
        &[
            // XSD allows a default on an optional attribute only.
            r#"<xs:attribute name="level" type="xs:string" use="optional" default="high"/>"#,
            r#"<xs:attribute name="version" type="xs:double" use="required" fixed="1.0"/>"#,
            r#"<xs:attribute name="mode" type="xs:string" use="optional" fixed="x"/>"#,
            r#"<xs:element name="retries" type="xs:int" default="7"/>"#,
            r#"<xs:element name="schema" type="xs:string" minOccurs="0" nillable="true" fixed="v2"/>"#,
        ],
    );
}
