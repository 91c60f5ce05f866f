//! Reading WSDL 1.1 documents (ours and others') into a typed model, with namespace
//! resolution, and checking that every qualified name they use is declared.

use std::fmt;

use roxmltree::{Document, Node, ParsingOptions};
use rpclib_core::model::XSD_NS;

use crate::{WSDL_NS, WSDL_SOAP11_NS, WSDL_SOAP12_NS};

/// Why a WSDL document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Not well-formed XML (or it has a DTD, which is refused).
    #[error("malformed XML: {0}")]
    Xml(#[from] roxmltree::Error),
    /// Well-formed, but not a WSDL 1.1 document.
    #[error("not a WSDL 1.1 document: {0}")]
    NotWsdl(String),
    /// A prefixed name whose prefix is not declared.
    #[error("undeclared prefix in {0:?}")]
    UndeclaredPrefix(String),
}

/// A namespace-qualified name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    /// Namespace URI (empty for no namespace).
    pub namespace: String,
    /// Local name.
    pub local: String,
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.namespace, self.local)
    }
}

/// An element declaration (global, or inside a sequence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementDecl {
    /// Element name.
    pub name: String,
    /// Its type, if named.
    pub type_name: Option<QName>,
    /// A reference to a global element (`ref=`), instead of a name and type.
    pub reference: Option<QName>,
    /// `minOccurs` (default 1).
    pub min_occurs: u32,
    /// `maxOccurs`: `None` for unbounded (default 1).
    pub max_occurs: Option<u32>,
    /// `nillable`.
    pub nillable: bool,
}

/// A complex type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplexTypeDecl {
    /// Type name (`None` for an anonymous type).
    pub name: Option<String>,
    /// The type it extends (`complexContent/extension`).
    pub base: Option<QName>,
    /// Its sequence's elements (its own, without the base's).
    pub elements: Vec<ElementDecl>,
}

/// A simple type (a restriction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleTypeDecl {
    /// Type name.
    pub name: String,
    /// The restricted type.
    pub base: Option<QName>,
    /// `xs:enumeration` values.
    pub enumeration: Vec<String>,
    /// Other facets: (`minLength`, `1`) and so on.
    pub facets: Vec<(String, String)>,
}

/// One `xs:schema`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// Target namespace.
    pub target_namespace: String,
    /// Whether local elements are qualified.
    pub element_form_qualified: bool,
    /// Imported namespaces.
    pub imports: Vec<String>,
    /// Global elements.
    pub elements: Vec<ElementDecl>,
    /// Named complex types (and anonymous ones of global elements, named after them).
    pub complex_types: Vec<ComplexTypeDecl>,
    /// Named simple types.
    pub simple_types: Vec<SimpleTypeDecl>,
}

/// A `wsdl:message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Message name.
    pub name: String,
    /// Parts: name and the element (or type) they refer to.
    pub parts: Vec<(String, Option<QName>)>,
}

/// An operation of a port type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Operation name.
    pub name: String,
    /// Input message.
    pub input: Option<QName>,
    /// Output message.
    pub output: Option<QName>,
    /// Fault messages, by fault name.
    pub faults: Vec<(String, QName)>,
}

/// A `wsdl:portType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortType {
    /// Name.
    pub name: String,
    /// Operations.
    pub operations: Vec<Operation>,
}

/// A `wsdl:binding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Name.
    pub name: String,
    /// The port type it binds.
    pub port_type: Option<QName>,
    /// 11 or 12 for SOAP bindings, 0 for others.
    pub soap_version: u8,
    /// The transport URI of the SOAP binding.
    pub transport: Option<String>,
    /// Operation names with their SOAPAction.
    pub operations: Vec<(String, Option<String>)>,
    /// Header messages referenced by the binding (`soap:header message=`).
    pub header_messages: Vec<QName>,
}

/// A `wsdl:service` port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// Port name.
    pub name: String,
    /// Binding.
    pub binding: Option<QName>,
    /// The SOAP address location.
    pub address: Option<String>,
}

/// A `wsdl:service`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceDecl {
    /// Name.
    pub name: String,
    /// Ports.
    pub ports: Vec<Port>,
}

/// A WSDL 1.1 document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsdlDocument {
    /// `definitions/@name`.
    pub name: Option<String>,
    /// `definitions/@targetNamespace`.
    pub target_namespace: String,
    /// Inline schemas.
    pub schemas: Vec<Schema>,
    /// Messages.
    pub messages: Vec<Message>,
    /// Port types.
    pub port_types: Vec<PortType>,
    /// Bindings.
    pub bindings: Vec<Binding>,
    /// Services.
    pub services: Vec<ServiceDecl>,
}

/// Built-in XSD types a document may refer to without declaring them.
const XSD_BUILTINS: &[&str] = &[
    "anyType",
    "anySimpleType",
    "string",
    "boolean",
    "decimal",
    "float",
    "double",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
    "anyURI",
    "QName",
    "NOTATION",
    "normalizedString",
    "token",
    "language",
    "NMTOKEN",
    "NMTOKENS",
    "Name",
    "NCName",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
];

fn is(node: &Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| is(c, ns, local))
}

/// Resolves a `prefix:local` attribute value against the namespaces in scope at `node`.
fn qname(node: Node<'_, '_>, attr: &str) -> Result<Option<QName>, ReadError> {
    let Some(value) = node.attribute(attr) else {
        return Ok(None);
    };
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    let namespace = match node.lookup_namespace_uri(prefix) {
        Some(ns) => ns.to_owned(),
        None if prefix.is_none() => String::new(),
        None => return Err(ReadError::UndeclaredPrefix(value.to_owned())),
    };
    Ok(Some(QName {
        namespace,
        local: local.to_owned(),
    }))
}

fn element_decl(node: Node<'_, '_>) -> Result<ElementDecl, ReadError> {
    let max = node.attribute("maxOccurs").unwrap_or("1");
    Ok(ElementDecl {
        name: node.attribute("name").unwrap_or("").to_owned(),
        type_name: qname(node, "type")?,
        reference: qname(node, "ref")?,
        min_occurs: node
            .attribute("minOccurs")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
        max_occurs: if max == "unbounded" {
            None
        } else {
            max.parse().ok()
        },
        nillable: node.attribute("nillable") == Some("true"),
    })
}

fn sequence_elements(node: Node<'_, '_>) -> Result<Vec<ElementDecl>, ReadError> {
    let mut out = Vec::new();
    for group in node
        .children()
        .filter(|c| is(c, XSD_NS, "sequence") || is(c, XSD_NS, "all") || is(c, XSD_NS, "choice"))
    {
        for e in children(group, XSD_NS, "element") {
            out.push(element_decl(e)?);
        }
    }
    Ok(out)
}

fn complex_type(node: Node<'_, '_>, name: Option<String>) -> Result<ComplexTypeDecl, ReadError> {
    let extension = node
        .children()
        .filter(|c| is(c, XSD_NS, "complexContent"))
        .flat_map(|c| children(c, XSD_NS, "extension"))
        .next();
    Ok(match extension {
        Some(ext) => ComplexTypeDecl {
            name,
            base: qname(ext, "base")?,
            elements: sequence_elements(ext)?,
        },
        None => ComplexTypeDecl {
            name,
            base: None,
            elements: sequence_elements(node)?,
        },
    })
}

fn schema(node: Node<'_, '_>) -> Result<Schema, ReadError> {
    let mut s = Schema {
        target_namespace: node.attribute("targetNamespace").unwrap_or("").to_owned(),
        element_form_qualified: node.attribute("elementFormDefault") == Some("qualified"),
        ..Schema::default()
    };
    for child in node.children().filter(Node::is_element) {
        if is(&child, XSD_NS, "import") {
            s.imports
                .push(child.attribute("namespace").unwrap_or("").to_owned());
        } else if is(&child, XSD_NS, "element") {
            let decl = element_decl(child)?;
            if let Some(anonymous) = children(child, XSD_NS, "complexType").next() {
                s.complex_types
                    .push(complex_type(anonymous, Some(decl.name.clone()))?);
            }
            s.elements.push(decl);
        } else if is(&child, XSD_NS, "complexType") {
            let name = child.attribute("name").map(str::to_owned);
            s.complex_types.push(complex_type(child, name)?);
        } else if is(&child, XSD_NS, "simpleType") {
            let restriction = children(child, XSD_NS, "restriction").next();
            let mut decl = SimpleTypeDecl {
                name: child.attribute("name").unwrap_or("").to_owned(),
                base: None,
                enumeration: Vec::new(),
                facets: Vec::new(),
            };
            if let Some(r) = restriction {
                decl.base = qname(r, "base")?;
                for facet in r.children().filter(Node::is_element) {
                    let value = facet.attribute("value").unwrap_or("").to_owned();
                    match facet.tag_name().name() {
                        "enumeration" => decl.enumeration.push(value),
                        other => decl.facets.push((other.to_owned(), value)),
                    }
                }
            }
            s.simple_types.push(decl);
        }
    }
    Ok(s)
}

impl WsdlDocument {
    /// Parses a WSDL 1.1 document. DTDs are refused; nothing referenced by the document is
    /// fetched.
    pub fn parse(text: &str) -> Result<WsdlDocument, ReadError> {
        let options = ParsingOptions {
            allow_dtd: false,
            nodes_limit: 2_000_000,
            ..ParsingOptions::default()
        };
        let doc = Document::parse_with_options(text, options)?;
        let root = doc.root_element();
        if !is(&root, WSDL_NS, "definitions") {
            return Err(ReadError::NotWsdl(format!(
                "the root element is {:?}, not wsdl:definitions",
                root.tag_name().name()
            )));
        }
        let mut out = WsdlDocument {
            name: root.attribute("name").map(str::to_owned),
            target_namespace: root.attribute("targetNamespace").unwrap_or("").to_owned(),
            ..WsdlDocument::default()
        };
        for types in children(root, WSDL_NS, "types") {
            for s in children(types, XSD_NS, "schema") {
                out.schemas.push(schema(s)?);
            }
        }
        for m in children(root, WSDL_NS, "message") {
            let mut parts = Vec::new();
            for p in children(m, WSDL_NS, "part") {
                let target = match qname(p, "element")? {
                    Some(e) => Some(e),
                    None => qname(p, "type")?,
                };
                parts.push((p.attribute("name").unwrap_or("").to_owned(), target));
            }
            out.messages.push(Message {
                name: m.attribute("name").unwrap_or("").to_owned(),
                parts,
            });
        }
        for pt in children(root, WSDL_NS, "portType") {
            let mut operations = Vec::new();
            for op in children(pt, WSDL_NS, "operation") {
                let mut faults = Vec::new();
                for f in children(op, WSDL_NS, "fault") {
                    if let Some(q) = qname(f, "message")? {
                        faults.push((f.attribute("name").unwrap_or("").to_owned(), q));
                    }
                }
                operations.push(Operation {
                    name: op.attribute("name").unwrap_or("").to_owned(),
                    input: children(op, WSDL_NS, "input")
                        .next()
                        .map(|n| qname(n, "message"))
                        .transpose()?
                        .flatten(),
                    output: children(op, WSDL_NS, "output")
                        .next()
                        .map(|n| qname(n, "message"))
                        .transpose()?
                        .flatten(),
                    faults,
                });
            }
            out.port_types.push(PortType {
                name: pt.attribute("name").unwrap_or("").to_owned(),
                operations,
            });
        }
        for b in children(root, WSDL_NS, "binding") {
            let (soap_version, soap_ns) = if children(b, WSDL_SOAP11_NS, "binding").next().is_some()
            {
                (11, WSDL_SOAP11_NS)
            } else if children(b, WSDL_SOAP12_NS, "binding").next().is_some() {
                (12, WSDL_SOAP12_NS)
            } else {
                (0, WSDL_SOAP11_NS)
            };
            let transport = b
                .children()
                .find(|c| is(c, soap_ns, "binding"))
                .and_then(|c| c.attribute("transport"))
                .map(str::to_owned);
            let mut operations = Vec::new();
            let mut header_messages = Vec::new();
            for op in children(b, WSDL_NS, "operation") {
                let action = op
                    .children()
                    .find(|c| is(c, soap_ns, "operation"))
                    .and_then(|c| c.attribute("soapAction"))
                    .map(str::to_owned);
                operations.push((op.attribute("name").unwrap_or("").to_owned(), action));
                for h in op.descendants().filter(|c| is(c, soap_ns, "header")) {
                    if let Some(q) = qname(h, "message")? {
                        header_messages.push(q);
                    }
                }
            }
            out.bindings.push(Binding {
                name: b.attribute("name").unwrap_or("").to_owned(),
                port_type: qname(b, "type")?,
                soap_version,
                transport,
                operations,
                header_messages,
            });
        }
        for s in children(root, WSDL_NS, "service") {
            let mut ports = Vec::new();
            for p in children(s, WSDL_NS, "port") {
                let address = p
                    .children()
                    .find(|c| is(c, WSDL_SOAP11_NS, "address") || is(c, WSDL_SOAP12_NS, "address"))
                    .and_then(|c| c.attribute("location"))
                    .map(str::to_owned);
                ports.push(Port {
                    name: p.attribute("name").unwrap_or("").to_owned(),
                    binding: qname(p, "binding")?,
                    address,
                });
            }
            out.services.push(ServiceDecl {
                name: s.attribute("name").unwrap_or("").to_owned(),
                ports,
            });
        }
        Ok(out)
    }

    fn schema_for(&self, namespace: &str) -> impl Iterator<Item = &Schema> {
        self.schemas
            .iter()
            .filter(move |s| s.target_namespace == namespace)
    }

    /// Whether `name` is a declared type (or an XSD built-in).
    pub fn has_type(&self, name: &QName) -> bool {
        if name.namespace == XSD_NS {
            return XSD_BUILTINS.contains(&name.local.as_str());
        }
        self.schema_for(&name.namespace).any(|s| {
            s.complex_types
                .iter()
                .any(|c| c.name.as_deref() == Some(name.local.as_str()))
                || s.simple_types.iter().any(|t| t.name == name.local)
        })
    }

    /// Whether `name` is a declared global element.
    pub fn has_element(&self, name: &QName) -> bool {
        self.schema_for(&name.namespace)
            .any(|s| s.elements.iter().any(|e| e.name == name.local))
    }

    /// Every qualified name the document uses that resolves to nothing it declares: types,
    /// elements, messages, port types and bindings. Empty for a consistent document.
    pub fn unresolved(&self) -> Vec<String> {
        let mut missing = Vec::new();
        let tns = &self.target_namespace;
        let check_type = |q: &Option<QName>, what: &str, missing: &mut Vec<String>| {
            if let Some(q) = q
                && !self.has_type(q)
            {
                missing.push(format!("type {q} ({what})"));
            }
        };
        for s in &self.schemas {
            for e in &s.elements {
                check_type(&e.type_name, &format!("element {}", e.name), &mut missing);
            }
            for c in &s.complex_types {
                let owner = c.name.clone().unwrap_or_default();
                check_type(&c.base, &format!("base of {owner}"), &mut missing);
                for e in &c.elements {
                    check_type(&e.type_name, &format!("{owner}.{}", e.name), &mut missing);
                    if let Some(r) = &e.reference
                        && !self.has_element(r)
                    {
                        missing.push(format!("element {r} (ref in {owner})"));
                    }
                }
            }
            for t in &s.simple_types {
                check_type(&t.base, &format!("base of {}", t.name), &mut missing);
            }
        }
        for m in &self.messages {
            for (part, target) in &m.parts {
                if let Some(q) = target
                    && !self.has_element(q)
                    && !self.has_type(q)
                {
                    missing.push(format!("element {q} (part {} of message {})", part, m.name));
                }
            }
        }
        let has_message =
            |q: &QName| q.namespace == *tns && self.messages.iter().any(|m| m.name == q.local);
        for pt in &self.port_types {
            for op in &pt.operations {
                for q in op
                    .input
                    .iter()
                    .chain(op.output.iter())
                    .chain(op.faults.iter().map(|(_, q)| q))
                {
                    if !has_message(q) {
                        missing.push(format!("message {q} (operation {})", op.name));
                    }
                }
            }
        }
        for b in &self.bindings {
            if let Some(q) = &b.port_type
                && !(q.namespace == *tns && self.port_types.iter().any(|p| p.name == q.local))
            {
                missing.push(format!("portType {q} (binding {})", b.name));
            }
            for q in &b.header_messages {
                if !has_message(q) {
                    missing.push(format!("message {q} (header in binding {})", b.name));
                }
            }
        }
        for s in &self.services {
            for p in &s.ports {
                if let Some(q) = &p.binding
                    && !(q.namespace == *tns && self.bindings.iter().any(|b| b.name == q.local))
                {
                    missing.push(format!("binding {q} (port {})", p.name));
                }
            }
        }
        missing
    }
}
