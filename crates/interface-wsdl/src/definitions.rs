//! The WSDL document: types, messages, port type, bindings and services.

use rpclib_core::{Catalogue, Fault, HeaderDescriptor, MethodDescriptor, ServiceDescriptor};

use crate::prefixes::Prefixes;
use crate::schema::Schemas;
use crate::xml::XmlOut;
use crate::{ADDRESS_SLOT, SoapVersions, WSDL_NS, WSDL_SOAP11_NS, WSDL_SOAP12_NS};

/// A `wsdl:message` to declare: name and parts (part name, element QName).
struct Message {
    name: String,
    parts: Vec<(String, String)>,
}

/// Header messages of one method in one direction: the message name and its parts' names.
fn header_message(
    catalogue: &Catalogue,
    prefixes: &mut Prefixes,
    method: &MethodDescriptor,
    headers: &[HeaderDescriptor],
    suffix: &str,
) -> Option<Message> {
    let parts: Vec<(String, String)> = headers
        .iter()
        .map(|h| {
            let ty = (h.ty)();
            let name = ty.name().into_owned();
            let q = prefixes.qname(catalogue.resolve_namespace(ty.namespace()), &name);
            (name, q)
        })
        .collect();
    match parts.len() {
        0 => None,
        1 => Some(Message {
            name: parts[0].0.clone(),
            parts,
        }),
        _ => Some(Message {
            name: format!("{}{suffix}", method.operation),
            parts,
        }),
    }
}

/// Everything the port type and bindings say about one operation.
struct Operation {
    method: &'static MethodDescriptor,
    input: String,
    output: String,
    in_header: Option<Message>,
    out_header: Option<Message>,
    faults: Vec<String>,
}

pub(crate) fn build(
    catalogue: &Catalogue,
    transport: &str,
    versions: SoapVersions,
) -> Result<String, Fault> {
    let mut prefixes = Prefixes::new(catalogue.tns());
    let mut schemas = Schemas::new(catalogue);
    let services: Vec<&'static ServiceDescriptor> = catalogue.services().collect();
    for service in &services {
        for method in service.methods {
            schemas.visit_method(service, method)?;
        }
    }

    let mut types = XmlOut::with_depth(1);
    types.open("wsdl:types", &[]);
    schemas.write(&mut types, &mut prefixes);
    types.close("wsdl:types");

    let mut messages: Vec<Message> = Vec::new();
    let mut operations = Vec::new();
    for service in &services {
        for method in service.methods {
            let mut element = |m: &rpclib_core::MessageDescriptor| {
                let q = prefixes.qname(catalogue.message_namespace(service, m), m.name);
                Message {
                    name: m.name.to_owned(),
                    parts: vec![(m.name.to_owned(), q)],
                }
            };
            let input = element(&method.input);
            let output = element(&method.output);
            let in_header = header_message(
                catalogue,
                &mut prefixes,
                method,
                method.effective_in_headers(service),
                "InHeaderMsg",
            );
            let out_header = header_message(
                catalogue,
                &mut prefixes,
                method,
                method.effective_out_headers(service),
                "OutHeaderMsg",
            );
            let mut faults = Vec::new();
            for fault in method.faults {
                let ty = (fault.ty)();
                let name = ty.name().into_owned();
                let q = prefixes.qname(catalogue.resolve_namespace(ty.namespace()), &name);
                faults.push(name.clone());
                messages.push(Message {
                    name,
                    parts: vec![(ty.name().into_owned(), q)],
                });
            }
            operations.push(Operation {
                method,
                input: input.name.clone(),
                output: output.name.clone(),
                in_header: in_header.as_ref().map(|m| Message {
                    name: m.name.clone(),
                    parts: m.parts.clone(),
                }),
                out_header: out_header.as_ref().map(|m| Message {
                    name: m.name.clone(),
                    parts: m.parts.clone(),
                }),
                faults,
            });
            messages.extend([input, output]);
            messages.extend(in_header);
            messages.extend(out_header);
        }
    }

    let mut body = XmlOut::with_depth(1);
    let mut declared: Vec<String> = Vec::new();
    for m in &messages {
        if declared.contains(&m.name) {
            continue;
        }
        declared.push(m.name.clone());
        body.open("wsdl:message", &[("name", &m.name)]);
        for (part, element) in &m.parts {
            body.empty("wsdl:part", &[("name", part), ("element", element)]);
        }
        body.close("wsdl:message");
    }

    let name = catalogue.name();
    let tns_q = |local: &str| format!("tns:{local}");
    body.open("wsdl:portType", &[("name", name)]);
    for op in &operations {
        let operation = op.method.operation;
        body.open(
            "wsdl:operation",
            &[("name", operation), ("parameterOrder", &op.input)],
        );
        if let Some(doc) = op.method.doc {
            body.text("wsdl:documentation", &[], doc);
        }
        body.empty(
            "wsdl:input",
            &[("name", &op.input), ("message", &tns_q(&op.input))],
        );
        body.empty(
            "wsdl:output",
            &[("name", &op.output), ("message", &tns_q(&op.output))],
        );
        for f in &op.faults {
            body.empty("wsdl:fault", &[("name", f), ("message", &tns_q(f))]);
        }
        body.close("wsdl:operation");
    }
    body.close("wsdl:portType");

    let bindings: Vec<(String, &str)> = versions
        .list()
        .into_iter()
        .map(|v| match v {
            11 => (name.to_owned(), "soap"),
            _ => (format!("{name}Soap12"), "soap12"),
        })
        .collect();
    for (binding, soap) in &bindings {
        body.open("wsdl:binding", &[("name", binding), ("type", &tns_q(name))]);
        body.empty(
            &format!("{soap}:binding"),
            &[("style", "document"), ("transport", transport)],
        );
        for op in &operations {
            let operation = op.method.operation;
            body.open("wsdl:operation", &[("name", operation)]);
            body.empty(
                &format!("{soap}:operation"),
                &[("soapAction", operation), ("style", "document")],
            );
            for (tag, message_name, header) in [
                ("wsdl:input", &op.input, &op.in_header),
                ("wsdl:output", &op.output, &op.out_header),
            ] {
                body.open(tag, &[("name", message_name)]);
                body.empty(&format!("{soap}:body"), &[("use", "literal")]);
                if let Some(h) = header {
                    for (part, _) in &h.parts {
                        body.empty(
                            &format!("{soap}:header"),
                            &[
                                ("message", &tns_q(&h.name)),
                                ("part", part),
                                ("use", "literal"),
                            ],
                        );
                    }
                }
                body.close(tag);
            }
            for f in &op.faults {
                body.open("wsdl:fault", &[("name", f)]);
                body.empty(&format!("{soap}:fault"), &[("name", f), ("use", "literal")]);
                body.close("wsdl:fault");
            }
            body.close("wsdl:operation");
        }
        body.close("wsdl:binding");
    }

    for service in &services {
        body.open("wsdl:service", &[("name", service.name)]);
        if let Some(doc) = service.doc {
            body.text("wsdl:documentation", &[], doc);
        }
        for (binding, soap) in &bindings {
            body.open(
                "wsdl:port",
                &[("name", binding), ("binding", &tns_q(binding))],
            );
            body.empty(&format!("{soap}:address"), &[("location", ADDRESS_SLOT)]);
            body.close("wsdl:port");
        }
        body.close("wsdl:service");
    }

    let mut root: Vec<(String, String)> = vec![
        ("xmlns:wsdl".into(), WSDL_NS.into()),
        ("xmlns:xs".into(), rpclib_core::model::XSD_NS.into()),
    ];
    if versions.soap11 {
        root.push(("xmlns:soap".into(), WSDL_SOAP11_NS.into()));
    }
    if versions.soap12 {
        root.push(("xmlns:soap12".into(), WSDL_SOAP12_NS.into()));
    }
    root.push(("xmlns:tns".into(), catalogue.tns().into()));
    for (i, ns) in prefixes.others().iter().enumerate() {
        root.push((format!("xmlns:s{i}"), ns.clone()));
    }
    root.push(("name".into(), name.into()));
    root.push(("targetNamespace".into(), catalogue.tns().into()));
    let attrs: Vec<(&str, &str)> = root.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    let mut doc = XmlOut::default();
    doc.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    doc.open("wsdl:definitions", &attrs);
    doc.append(types);
    doc.append(body);
    doc.close("wsdl:definitions");
    doc.finish().map_err(|c| {
        Fault::server(format!(
            "the WSDL cannot be written: a name, namespace or documentation text holds U+{:04X}, which XML cannot carry",
            u32::from(c)
        ))
    })
}
