//! Reads one `wsdl:definitions` element into the [`Definitions`].

use roxmltree::Node;

use super::QName;
use super::wsdl::*;
use crate::diag::Sink;
use crate::xml::{self, WSDL, WSDL_SOAP11, WSDL_SOAP12};

struct Ctx<'p> {
    src: &'p xml::Source<'p>,
    tns: String,
}

impl Ctx<'_> {
    fn pos(&self, n: Node<'_, '_>) -> super::Pos {
        self.src.location(n)
    }

    fn qname(
        &self,
        n: Node<'_, '_>,
        attr: &str,
        construct: &str,
        sink: &mut Sink,
    ) -> Option<QName> {
        let Some(v) = n.attribute(attr) else {
            sink.error(
                Some(self.pos(n)),
                construct.to_string(),
                format!("missing `{attr}`"),
            );
            return None;
        };
        let q = xml::resolve_qname(n, v, None);
        if q.is_none() {
            sink.error(
                Some(self.pos(n)),
                format!("{construct} @{attr}"),
                format!("`{v}` uses an undeclared namespace prefix"),
            );
        }
        q
    }
}

fn soap_ns(n: Node<'_, '_>) -> Option<SoapVersion> {
    match n.tag_name().namespace() {
        Some(WSDL_SOAP11) => Some(SoapVersion::Soap11),
        Some(WSDL_SOAP12) => Some(SoapVersion::Soap12),
        _ => None,
    }
}

fn style(v: Option<&str>) -> Option<Style> {
    match v {
        Some("rpc") => Some(Style::Rpc),
        Some("document") => Some(Style::Document),
        _ => None,
    }
}

/// Adds the components of the `wsdl:definitions` element `root` in `file`.
pub(super) fn definitions(
    defs: &mut Definitions,
    src: &xml::Source<'_>,
    root: Node<'_, '_>,
    sink: &mut Sink,
) {
    let cx = Ctx {
        src,
        tns: root.attribute("targetNamespace").unwrap_or("").to_string(),
    };
    for child in xml::children(root, WSDL) {
        let Some(name) = child.attribute("name") else {
            if matches!(
                child.tag_name().name(),
                "message" | "portType" | "binding" | "service"
            ) {
                sink.error(
                    Some(cx.pos(child)),
                    format!("wsdl:{}", child.tag_name().name()),
                    "missing `name`",
                );
            }
            continue;
        };
        let qname = QName::new(cx.tns.clone(), name);
        match child.tag_name().name() {
            "message" => {
                let parts = xml::children(child, WSDL)
                    .filter(|p| p.tag_name().name() == "part")
                    .map(|p| part(&cx, p, sink))
                    .collect();
                defs.messages.entry(qname.clone()).or_insert(Message {
                    name: qname,
                    parts,
                    pos: cx.pos(child),
                });
            }
            "portType" => {
                let operations = xml::children(child, WSDL)
                    .filter(|o| o.tag_name().name() == "operation")
                    .filter_map(|o| operation(&cx, o, sink))
                    .collect();
                defs.port_types.entry(qname.clone()).or_insert(PortType {
                    name: qname,
                    operations,
                    pos: cx.pos(child),
                });
            }
            "binding" => {
                if let Some(b) = binding(&cx, child, qname.clone(), sink) {
                    defs.bindings.entry(qname).or_insert(b);
                }
            }
            "service" => {
                let ports = xml::children(child, WSDL)
                    .filter(|p| p.tag_name().name() == "port")
                    .filter_map(|p| {
                        let binding = cx.qname(p, "binding", "wsdl:port", sink)?;
                        let address = p
                            .children()
                            .find(|a| a.is_element() && a.tag_name().name() == "address")
                            .and_then(|a| a.attribute("location"))
                            .map(str::to_string);
                        Some(Port {
                            name: p.attribute("name").unwrap_or("").to_string(),
                            binding,
                            address,
                        })
                    })
                    .collect();
                defs.services.push(Service {
                    name: qname,
                    ports,
                    pos: cx.pos(child),
                });
            }
            _ => {}
        }
    }
}

fn part(cx: &Ctx<'_>, p: Node<'_, '_>, sink: &mut Sink) -> Part {
    let name = p.attribute("name").unwrap_or("").to_string();
    let kind = if p.attribute("element").is_some() {
        cx.qname(p, "element", "wsdl:part", sink)
            .map_or(PartKind::Missing, PartKind::Element)
    } else if p.attribute("type").is_some() {
        cx.qname(p, "type", "wsdl:part", sink)
            .map_or(PartKind::Missing, PartKind::Type)
    } else {
        sink.error(
            Some(cx.pos(p)),
            format!("wsdl:part \"{name}\""),
            "needs an `element` or a `type`",
        );
        PartKind::Missing
    };
    Part {
        name,
        kind,
        pos: cx.pos(p),
    }
}

fn operation(cx: &Ctx<'_>, o: Node<'_, '_>, sink: &mut Sink) -> Option<Operation> {
    let name = o.attribute("name")?.to_string();
    let mut op = Operation {
        name,
        input: None,
        output: None,
        output_first: false,
        faults: Vec::new(),
        pos: cx.pos(o),
    };
    for c in xml::children(o, WSDL) {
        let kind = c.tag_name().name();
        if !matches!(kind, "input" | "output" | "fault") {
            continue;
        }
        let Some(message) = cx.qname(c, "message", &format!("wsdl:{kind}"), sink) else {
            continue;
        };
        let io = IoRef {
            name: c.attribute("name").map(str::to_string),
            message,
            pos: cx.pos(c),
        };
        match kind {
            "input" => op.input = Some(io),
            "output" => {
                op.output_first = op.input.is_none();
                op.output = Some(io);
            }
            _ => op.faults.push(io),
        }
    }
    Some(op)
}

fn binding(cx: &Ctx<'_>, b: Node<'_, '_>, name: QName, sink: &mut Sink) -> Option<Binding> {
    let port_type = cx.qname(b, "type", "wsdl:binding", sink)?;
    let soap_binding = b
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "binding" && soap_ns(*c).is_some());
    let soap = soap_binding.and_then(soap_ns);
    let default_style = soap_binding
        .and_then(|s| style(s.attribute("style")))
        .unwrap_or(Style::Document);
    let operations = xml::children(b, WSDL)
        .filter(|o| o.tag_name().name() == "operation")
        .map(|o| {
            let soap_op = o.children().find(|c| {
                c.is_element() && c.tag_name().name() == "operation" && soap_ns(*c).is_some()
            });
            let io = |kind: &str| xml::children(o, WSDL).find(|c| c.tag_name().name() == kind);
            BindingOperation {
                name: o.attribute("name").unwrap_or("").to_string(),
                input_name: io("input")
                    .and_then(|i| i.attribute("name"))
                    .map(str::to_string),
                action: soap_op
                    .and_then(|s| s.attribute("soapAction"))
                    .map(str::to_string),
                style: soap_op
                    .and_then(|s| style(s.attribute("style")))
                    .unwrap_or(default_style),
                input: io("input").map(|n| body(cx, n, sink)),
                output: io("output").map(|n| body(cx, n, sink)),
                faults: xml::children(o, WSDL)
                    .filter(|c| c.tag_name().name() == "fault")
                    .map(|f| {
                        let literal = f
                            .children()
                            .find(|c| {
                                c.is_element()
                                    && c.tag_name().name() == "fault"
                                    && soap_ns(*c).is_some()
                            })
                            .is_none_or(|s| s.attribute("use") != Some("encoded"));
                        (f.attribute("name").unwrap_or("").to_string(), literal)
                    })
                    .collect(),
                pos: cx.pos(o),
            }
        })
        .collect();
    Some(Binding {
        name,
        port_type,
        soap,
        style: default_style,
        operations,
        pos: cx.pos(b),
    })
}

fn body(cx: &Ctx<'_>, io: Node<'_, '_>, sink: &mut Sink) -> BodyBinding {
    let soap_children = || {
        io.descendants()
            .filter(|c| c.is_element() && soap_ns(*c).is_some())
    };
    let body = soap_children().find(|c| c.tag_name().name() == "body");
    let headers = soap_children()
        .filter(|c| c.tag_name().name() == "header")
        .filter_map(|h| {
            Some(HeaderBinding {
                message: cx.qname(h, "message", "soap:header", sink)?,
                part: h.attribute("part").unwrap_or("").to_string(),
                literal: h.attribute("use") != Some("encoded"),
                pos: cx.pos(h),
            })
        })
        .collect();
    BodyBinding {
        literal: body.is_none_or(|b| b.attribute("use") != Some("encoded")),
        namespace: body
            .and_then(|b| b.attribute("namespace"))
            .map(str::to_string),
        parts: body
            .and_then(|b| b.attribute("parts"))
            .map(|p| p.split_whitespace().map(str::to_string).collect()),
        headers,
        pos: body.map_or_else(|| cx.pos(io), |b| cx.pos(b)),
    }
}
