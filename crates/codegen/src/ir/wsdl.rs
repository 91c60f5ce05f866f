//! WSDL 1.1 components: messages, port types, bindings, services.

use std::collections::BTreeMap;

use super::{Pos, QName, SchemaSet};
use crate::diag::Sink;

/// Every WSDL component of every loaded WSDL document.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// Messages.
    pub messages: BTreeMap<QName, Message>,
    /// Port types.
    pub port_types: BTreeMap<QName, PortType>,
    /// Bindings.
    pub bindings: BTreeMap<QName, Binding>,
    /// Services, in document order.
    pub services: Vec<Service>,
}

/// `wsdl:message`.
#[derive(Debug, Clone)]
pub struct Message {
    /// Name.
    pub name: QName,
    /// Parts in order.
    pub parts: Vec<Part>,
    /// Where.
    pub pos: Pos,
}

/// `wsdl:part`.
#[derive(Debug, Clone)]
pub struct Part {
    /// Name.
    pub name: String,
    /// `element=` or `type=`.
    pub kind: PartKind,
    /// Where.
    pub pos: Pos,
}

/// What a part refers to.
#[derive(Debug, Clone)]
pub enum PartKind {
    /// `element=`.
    Element(QName),
    /// `type=`.
    Type(QName),
    /// Neither (an error reported when read).
    Missing,
}

/// `wsdl:portType`.
#[derive(Debug, Clone)]
pub struct PortType {
    /// Name.
    pub name: QName,
    /// Operations in order.
    pub operations: Vec<Operation>,
    /// Where.
    pub pos: Pos,
}

/// An abstract operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Name.
    pub name: String,
    /// `wsdl:input`.
    pub input: Option<IoRef>,
    /// `wsdl:output`.
    pub output: Option<IoRef>,
    /// Whether the output comes first (notification / solicit-response).
    pub output_first: bool,
    /// `wsdl:fault`s.
    pub faults: Vec<IoRef>,
    /// Where.
    pub pos: Pos,
}

/// An input, output or fault of an operation.
#[derive(Debug, Clone)]
pub struct IoRef {
    /// `name`.
    pub name: Option<String>,
    /// `message`.
    pub message: QName,
    /// Where.
    pub pos: Pos,
}

/// The SOAP version of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SoapVersion {
    /// SOAP 1.1 (`wsdl/soap/`).
    Soap11,
    /// SOAP 1.2 (`wsdl/soap12/`).
    Soap12,
}

/// `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `document` (the default).
    Document,
    /// `rpc`.
    Rpc,
}

/// `wsdl:binding`.
#[derive(Debug, Clone)]
pub struct Binding {
    /// Name.
    pub name: QName,
    /// The port type.
    pub port_type: QName,
    /// SOAP version; `None` for a binding that is not SOAP (HTTP GET/POST, MIME only).
    pub soap: Option<SoapVersion>,
    /// The binding's default style.
    pub style: Style,
    /// Operations.
    pub operations: Vec<BindingOperation>,
    /// Where.
    pub pos: Pos,
}

/// `wsdl:binding/wsdl:operation`.
#[derive(Debug, Clone)]
pub struct BindingOperation {
    /// Name.
    pub name: String,
    /// The input's `name`, for overloaded operations.
    pub input_name: Option<String>,
    /// `soapAction`.
    pub action: Option<String>,
    /// Style (the operation's, else the binding's).
    pub style: Style,
    /// Input body and headers.
    pub input: Option<BodyBinding>,
    /// Output body and headers.
    pub output: Option<BodyBinding>,
    /// Fault bindings: (name, `use="literal"`).
    pub faults: Vec<(String, bool)>,
    /// Where.
    pub pos: Pos,
}

/// `soap:body` and `soap:header`s of one input or output.
#[derive(Debug, Clone)]
pub struct BodyBinding {
    /// `use="literal"` (else encoded).
    pub literal: bool,
    /// `namespace` (rpc style).
    pub namespace: Option<String>,
    /// `parts`, when given.
    pub parts: Option<Vec<String>>,
    /// Headers.
    pub headers: Vec<HeaderBinding>,
    /// Where.
    pub pos: Pos,
}

/// `soap:header`.
#[derive(Debug, Clone)]
pub struct HeaderBinding {
    /// The message holding the header part.
    pub message: QName,
    /// The part.
    pub part: String,
    /// `use="literal"`.
    pub literal: bool,
    /// Where.
    pub pos: Pos,
}

/// `wsdl:service`.
#[derive(Debug, Clone)]
pub struct Service {
    /// Name.
    pub name: QName,
    /// Ports.
    pub ports: Vec<Port>,
    /// Where.
    pub pos: Pos,
}

/// `wsdl:port`.
#[derive(Debug, Clone)]
pub struct Port {
    /// Name.
    pub name: String,
    /// Binding.
    pub binding: QName,
    /// `soap:address@location`.
    pub address: Option<String>,
}

impl Definitions {
    /// Reports references to messages, port types, bindings, elements and types that no loaded
    /// document declares.
    pub(crate) fn check_references(&self, schema: &SchemaSet, sink: &mut Sink) {
        for m in self.messages.values() {
            for p in &m.parts {
                match &p.kind {
                    PartKind::Element(q) if !schema.elements.contains_key(q) => sink.error(
                        Some(p.pos.clone()),
                        format!("wsdl:part \"{}\" @element", p.name),
                        format!("element `{q}` is not declared in any loaded schema"),
                    ),
                    PartKind::Type(q)
                        if q.ns != crate::xml::XS
                            && q.ns != crate::xml::SOAP_ENC
                            && !schema.types.contains_key(q) =>
                    {
                        sink.error(
                            Some(p.pos.clone()),
                            format!("wsdl:part \"{}\" @type", p.name),
                            format!("type `{q}` is not declared in any loaded schema"),
                        )
                    }
                    _ => {}
                }
            }
        }
        for pt in self.port_types.values() {
            for op in &pt.operations {
                for io in op.input.iter().chain(&op.output).chain(&op.faults) {
                    if !self.messages.contains_key(&io.message) {
                        sink.error(
                            Some(io.pos.clone()),
                            format!("wsdl:operation \"{}\" message", op.name),
                            format!("message `{}` is not declared", io.message),
                        );
                    }
                }
            }
        }
        for b in self.bindings.values() {
            if !self.port_types.contains_key(&b.port_type) {
                sink.error(
                    Some(b.pos.clone()),
                    format!("wsdl:binding \"{}\" @type", b.name.local),
                    format!("port type `{}` is not declared", b.port_type),
                );
            }
        }
        for s in &self.services {
            for p in &s.ports {
                if !self.bindings.contains_key(&p.binding) {
                    sink.error(
                        Some(s.pos.clone()),
                        format!("wsdl:port \"{}\" @binding", p.name),
                        format!("binding `{}` is not declared", p.binding),
                    );
                }
            }
        }
    }
}
