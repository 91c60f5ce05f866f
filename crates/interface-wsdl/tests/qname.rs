//! `QName` in the published schema: `xs:QName` for elements and attributes, an `xs:list` of
//! it for `XmlList<QName>`; the document reads back with every name resolved.
#![allow(missing_docs, missing_debug_implementations)]

use rpclib_core::model::{QName, XmlList};
use rpclib_core::{Application, ComplexModel, Fault, service};
mod common;

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:names")]
pub struct Names {
    #[model(attribute)]
    pub kind: Option<QName>,
    pub first: QName,
    pub list: XmlList<QName>,
}

pub struct NameService;

#[service(namespace = "urn:names")]
impl NameService {
    #[rpc]
    fn echo(&self, names: Names) -> Result<QName, Fault> {
        Ok(names.first)
    }
}

#[test]
fn qnames_are_xs_qname_in_the_schema() {
    let text = common::wsdl_of(Application::builder("Names", "urn:names").service(NameService));
    common::assert_contains_and_resolves(
        &text,
        &[
            r#"<xs:attribute name="kind" type="xs:QName" use="optional"/>"#,
            r#"<xs:element name="first" type="xs:QName"/>"#,
            r#"<xs:list itemType="xs:QName"/>"#,
            r#"<xs:element name="echoResult" type="xs:QName"/>"#,
        ],
    );
}
