//! From WSDL bindings to `#[service]` traits: one per port type, from its first SOAP binding.

use super::types::{Field, FieldFacets, FieldNs, Shape, Ty, Types};
use crate::diag::{Location, Sink};
use crate::ir::*;

/// One `#[service]` trait.
#[derive(Debug)]
pub(crate) struct ServicePlan {
    pub(crate) port_type: String,
    pub(crate) service_name: String,
    pub(crate) namespace: String,
    pub(crate) binding: String,
    pub(crate) soap: SoapVersion,
    pub(crate) addresses: Vec<String>,
    /// The paths the mock serves it at (sorted, distinct): each port's `soap:address` path,
    /// `/<binding name>` for a SOAP binding of the port type that no port names.
    pub(crate) paths: Vec<String>,
    pub(crate) ops: Vec<OpPlan>,
    /// Holds operations whose request element an operation of an earlier trait of the same
    /// port type takes: a client can call them, a server cannot tell them apart from it, so
    /// the mock does not serve this trait.
    pub(crate) shadowed: bool,
    /// Notification and solicit-response operations of the port type, left out (SOAP over
    /// HTTP has no way to carry a message the server sends unasked): one doc line each.
    pub(crate) skipped: Vec<String>,
}

/// One operation.
#[derive(Debug)]
pub(crate) struct OpPlan {
    pub(crate) name: String,
    pub(crate) fn_xml: String,
    pub(crate) in_message: String,
    pub(crate) out_message: String,
    pub(crate) bare: bool,
    pub(crate) params: Vec<Field>,
    pub(crate) results: Vec<Field>,
    pub(crate) faults: Vec<usize>,
    pub(crate) in_headers: Vec<usize>,
    pub(crate) out_headers: Vec<usize>,
    pub(crate) one_way: bool,
    pub(crate) action: Option<String>,
    pub(crate) style: &'static str,
}

/// Plans every service; reachable types are created in `types` on the way.
pub(crate) fn plan(types: &mut Types<'_>, sink: &mut Sink) -> Vec<ServicePlan> {
    let defs = &types.model.wsdl;
    let mut out = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    // SOAP 1.1 bindings first, then 1.2, each in name order: deterministic.
    let mut bindings: Vec<&Binding> = defs.bindings.values().collect();
    bindings.sort_by(|a, b| {
        (a.soap.is_none(), a.soap, &a.name).cmp(&(b.soap.is_none(), b.soap, &b.name))
    });
    for b in bindings {
        let Some(soap) = b.soap else {
            sink.warning(
                Some(b.pos.clone()),
                format!("wsdl:binding \"{}\"", b.name.local),
                "not a SOAP binding (HTTP GET/POST or MIME): skipped",
            );
            continue;
        };
        if !done.insert(b.port_type.clone()) {
            continue;
        }
        let Some(pt) = defs.port_types.get(&b.port_type) else {
            continue;
        };
        if let Some(p) = plan_binding(types, b, soap, pt, sink) {
            out.extend(split_shared_requests(p, sink));
        }
    }
    for pt in defs.port_types.values() {
        if !done.contains(&pt.name) {
            sink.warning(
                Some(pt.pos.clone()),
                format!("wsdl:portType \"{}\"", pt.name.local),
                "no SOAP binding: no service generated for it",
            );
        }
    }
    out
}

fn plan_binding(
    types: &mut Types<'_>,
    b: &Binding,
    soap: SoapVersion,
    pt: &PortType,
    sink: &mut Sink,
) -> Option<ServicePlan> {
    let defs = &types.model.wsdl;
    let mut service_name = None;
    let mut addresses = Vec::new();
    // Every SOAP binding of this port type is served by the one trait: at the address of each
    // port bound to it, or at `/<binding name>` when no port names it.
    let mut paths = Vec::new();
    let soap_bindings: Vec<&Binding> = defs
        .bindings
        .values()
        .filter(|pb| pb.port_type == b.port_type && pb.soap.is_some())
        .collect();
    for s in &defs.services {
        for p in s
            .ports
            .iter()
            .filter(|p| soap_bindings.iter().any(|pb| pb.name == p.binding))
        {
            service_name.get_or_insert_with(|| s.name.local.clone());
            addresses.extend(p.address.clone());
            paths.push(match &p.address {
                Some(a) => super::mock::address_path(a),
                None => format!("/{}", p.binding.local),
            });
        }
    }
    for pb in &soap_bindings {
        let bound = defs
            .services
            .iter()
            .any(|s| s.ports.iter().any(|p| p.binding == pb.name));
        if !bound {
            paths.push(format!("/{}", pb.name.local));
        }
    }
    paths.sort();
    paths.dedup();
    let mut plan = ServicePlan {
        port_type: pt.name.local.clone(),
        service_name: service_name.unwrap_or_else(|| pt.name.local.clone()),
        namespace: String::new(),
        binding: b.name.local.clone(),
        soap,
        addresses,
        paths,
        ops: Vec::new(),
        shadowed: false,
        skipped: Vec::new(),
    };
    let mut namespaces: Vec<(String, Location)> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    let mut rpc_warned = false;
    for op in &pt.operations {
        let construct = format!("wsdl:operation \"{}\"", op.name);
        if !names.insert(op.name.clone()) {
            sink.error(Some(op.pos.clone()), construct, "overloaded operation (one name, several inputs): an operation name must be unique per service");
            continue;
        }
        // svcutil and wsimport skip such an operation with a warning; refusing the whole
        // WSDL for it would lose every request-response operation next to it.
        let kind = match (&op.input, op.output_first) {
            (None, _) => Some("notification"),
            (Some(_), true) => Some("solicit-response"),
            (Some(_), false) => None,
        };
        if let Some(kind) = kind {
            sink.warning(
                Some(op.pos.clone()),
                construct,
                format!("{kind} operation (the server sends first): skipped, since SOAP over HTTP cannot carry a message the server sends unasked; the other operations are generated"),
            );
            plan.skipped.push(format!(
                "The WSDL's {kind} operation `{}` is left out: SOAP over HTTP cannot carry a message the server sends unasked.",
                op.name
            ));
            continue;
        }
        let Some(input) = &op.input else {
            continue;
        };
        let Some(bop) = b.operations.iter().find(|bo| bo.name == op.name) else {
            sink.error(
                Some(b.pos.clone()),
                format!("wsdl:binding \"{}\"", b.name.local),
                format!("does not bind operation `{}`", op.name),
            );
            continue;
        };
        let empty_body = BodyBinding {
            literal: true,
            namespace: None,
            parts: None,
            headers: Vec::new(),
            pos: bop.pos.clone(),
        };
        let in_body = bop.input.as_ref().unwrap_or(&empty_body);
        let out_body = bop.output.as_ref().unwrap_or(&empty_body);
        let style = match bop.style {
            Style::Rpc => "rpc",
            Style::Document => "document",
        };
        let mut refused = false;
        for body in [in_body, out_body] {
            if !body.literal {
                sink.error(Some(body.pos.clone()), format!("{style}/encoded"), format!("operation `{}`: SOAP encoding (use=\"encoded\") is not supported; only literal", op.name));
                refused = true;
            }
            for h in body.headers.iter().filter(|h| !h.literal) {
                sink.error(
                    Some(h.pos.clone()),
                    "soap:header use=\"encoded\"",
                    "SOAP encoding is not supported",
                );
                refused = true;
            }
        }
        if refused {
            continue;
        }
        let Some(in_msg) = defs.messages.get(&input.message) else {
            continue;
        };
        let out_msg = op
            .output
            .as_ref()
            .and_then(|o| defs.messages.get(&o.message));
        let header_parts = |body: &BodyBinding, msg: &Message| -> Vec<String> {
            body.headers
                .iter()
                .filter(|h| h.message == msg.name)
                .map(|h| h.part.clone())
                .collect()
        };
        let body_parts = |body: &BodyBinding, msg: &Message| -> Vec<Part> {
            let hp = header_parts(body, msg);
            msg.parts
                .iter()
                .filter(|p| {
                    body.parts
                        .as_ref()
                        .map_or(!hp.contains(&p.name), |list| list.contains(&p.name))
                })
                .cloned()
                .collect()
        };
        let in_parts = body_parts(in_body, in_msg);
        let out_parts = out_msg.map(|m| body_parts(out_body, m)).unwrap_or_default();
        let mut o = OpPlan {
            name: op.name.clone(),
            fn_xml: op.name.clone(),
            in_message: op.name.clone(),
            out_message: format!("{}Response", op.name),
            bare: false,
            params: Vec::new(),
            results: Vec::new(),
            faults: Vec::new(),
            in_headers: headers(types, in_body, sink),
            out_headers: headers(types, out_body, sink),
            one_way: op.output.is_none(),
            action: bop.action.clone(),
            style,
        };
        if o.one_way {
            sink.warning(Some(op.pos.clone()), construct.clone(), "one-way operation: the generated service answers it with an empty response (the model system has no one-way methods yet)");
        }
        match bop.style {
            Style::Rpc => {
                if !rpc_warned {
                    rpc_warned = true;
                    sink.warning(
                        Some(b.pos.clone()),
                        format!("wsdl:binding \"{}\" style=\"rpc\"", b.name.local),
                        "part accessors are written qualified in the body namespace; WS-I R2735 wants them unqualified (most servers accept both, and reading accepts both)",
                    );
                }
                let ns = in_body
                    .namespace
                    .clone()
                    .unwrap_or_else(|| pt.name.ns.clone());
                namespaces.push((ns, in_body.pos.clone()));
                for (parts, into) in [(&in_parts, &mut o.params), (&out_parts, &mut o.results)] {
                    for p in parts {
                        match &p.kind {
                            PartKind::Type(q) => {
                                if let Some(ty) = types.named_type(q, &p.pos, sink) {
                                    into.push(simple_field(&p.name, ty));
                                }
                            }
                            PartKind::Element(_) => sink.error(
                                Some(p.pos.clone()),
                                format!("wsdl:part \"{}\" @element", p.name),
                                "rpc style with element parts is not supported",
                            ),
                            PartKind::Missing => {}
                        }
                    }
                }
            }
            Style::Document => {
                if in_parts.len() > 1 || out_parts.len() > 1 {
                    sink.error(
                        Some(op.pos.clone()),
                        construct.clone(),
                        "document style with several body parts is not supported (WS-I allows one)",
                    );
                    continue;
                }
                let elem = |parts: &[Part], sink: &mut Sink| -> Option<Option<QName>> {
                    match parts.first().map(|p| (&p.kind, p)) {
                        None => Some(None),
                        Some((PartKind::Element(q), _)) => Some(Some(q.clone())),
                        Some((PartKind::Type(t), p)) => {
                            // zeep (and suds) read such a part as a body element named after
                            // the part, in no namespace, of the part's type; WS-I R2204
                            // forbids it and wsimport leaves such an operation out. The model system writes
                            // body elements in the service's namespace only.
                            sink.error(
                                Some(p.pos.clone()),
                                format!("wsdl:part \"{}\" @type", p.name),
                                format!("document style with a type part (WS-I R2204 wants `element=`): toolkits that accept it send a body element `<{}>` in no namespace, of type `{t}`, and the model system writes body elements in the service's namespace only; declare a global element of that type and point the part at it", p.name),
                            );
                            None
                        }
                        Some((PartKind::Missing, _)) => None,
                    }
                };
                let (Some(in_el), Some(out_el)) = (elem(&in_parts, sink), elem(&out_parts, sink))
                else {
                    continue;
                };
                let Some(in_el) = in_el else {
                    sink.error(
                        Some(op.pos.clone()),
                        construct.clone(),
                        "empty input body: not supported",
                    );
                    continue;
                };
                namespaces.push((in_el.ns.clone(), in_msg.pos.clone()));
                if let (Some(e), Some(m)) = (&out_el, out_msg) {
                    namespaces.push((e.ns.clone(), m.pos.clone()));
                }
                o.in_message = in_el.local.clone();
                if let Some(e) = &out_el {
                    o.out_message = e.local.clone();
                }
                if !document_op(types, op, &in_el, out_el.as_ref(), &mut o, sink) {
                    continue;
                }
            }
        }
        for f in &op.faults {
            let Some(m) = defs.messages.get(&f.message) else {
                sink.error(
                    Some(f.pos.clone()),
                    format!("wsdl:fault \"{}\"", f.name.clone().unwrap_or_default()),
                    format!("message `{}` is not declared", f.message),
                );
                continue;
            };
            match m.parts.first().map(|p| &p.kind) {
                Some(PartKind::Element(q)) if m.parts.len() == 1 => match header_like(types, q, &f.pos, sink) {
                    Ok(i) => o.faults.push(i),
                    Err(why) => sink.warning(Some(f.pos.clone()), format!("wsdl:fault \"{}\"", f.name.clone().unwrap_or_default()), format!("not declared on the method: {why}; the fault still arrives as a Fault with its detail as raw XML")),
                },
                _ => sink.warning(Some(f.pos.clone()), format!("wsdl:fault \"{}\"", f.name.clone().unwrap_or_default()), "a fault message needs exactly one element part to be typed; it arrives as a Fault with raw detail"),
            }
        }
        plan.ops.push(o);
    }
    namespaces.sort();
    namespaces.dedup_by(|a, b| a.0 == b.0);
    match namespaces.as_slice() {
        [] => {}
        [(ns, _)] => plan.namespace = ns.clone(),
        [(first, _), rest @ ..] => {
            for (ns, pos) in rest {
                sink.error(Some(pos.clone()), format!("wsdl:portType \"{}\"", pt.name.local), format!("messages in namespace `{ns}` next to `{first}`: a service's body elements share one namespace in the model system"));
            }
        }
    }
    if plan.namespace.is_empty() && !plan.ops.is_empty() {
        sink.error(
            Some(pt.pos.clone()),
            format!("wsdl:portType \"{}\"", pt.name.local),
            "body elements without a namespace cannot be written yet",
        );
    }
    Some(plan)
}

/// Splits a plan whose operations share a request element (legal WSDL when `soapAction`
/// tells them apart, as in `wsdl:operation`s renamed for a client) into traits whose
/// operations each take their own: the core routes a request by its body element alone, so
/// one service cannot hold both. The first trait keeps the first operation of each element;
/// the others are `shadowed` (a client calls them; no server can route to them).
fn split_shared_requests(plan: ServicePlan, sink: &mut Sink) -> Vec<ServicePlan> {
    let ServicePlan {
        port_type,
        service_name,
        namespace,
        binding,
        soap,
        addresses,
        paths,
        ops,
        shadowed: _,
        skipped,
    } = plan;
    let mut groups: Vec<Vec<OpPlan>> = Vec::new();
    for o in ops {
        let free = groups
            .iter()
            .position(|g| g.iter().all(|p| p.in_message != o.in_message));
        match free {
            Some(i) => groups[i].push(o),
            None => {
                if let Some(first) = groups
                    .first()
                    .and_then(|g| g.iter().find(|p| p.in_message == o.in_message))
                {
                    sink.warning(
                        None,
                        format!("wsdl:operation \"{}\"", o.name),
                        format!(
                            "takes the same request element `{}` as operation `{}`: it gets a trait of its own (a client can call it; a server routes that element to `{}`, since requests are told apart by their body element, not by SOAPAction)",
                            o.in_message, first.name, first.name
                        ),
                    );
                }
                groups.push(vec![o]);
            }
        }
    }
    if groups.is_empty() {
        groups.push(Vec::new());
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(i, ops)| ServicePlan {
            port_type: port_type.clone(),
            service_name: service_name.clone(),
            namespace: namespace.clone(),
            binding: binding.clone(),
            soap,
            addresses: addresses.clone(),
            paths: paths.clone(),
            ops,
            shadowed: i > 0,
            skipped: skipped.clone(),
        })
        .collect()
}

fn simple_field(xml: &str, ty: Ty) -> Field {
    Field {
        xml: xml.to_string(),
        ty,
        min: 1,
        max: MaxOccurs::Bounded(1),
        nillable: false,
        base: false,
        boxed: false,
        facets: FieldFacets::default(),
        doc: Vec::new(),
        shape: Shape::Element,
        ns: FieldNs::Default,
    }
}

/// The item for a header or fault element. The model system writes a header or a fault detail
/// as an element named after its type, so the struct must carry the element's name: an
/// anonymous type already does; for a named type of the element's namespace, a struct of the
/// same content named after the element is emitted (exact on the wire).
fn header_like(
    types: &mut Types<'_>,
    q: &QName,
    pos: &Location,
    sink: &mut Sink,
) -> Result<usize, String> {
    let model = types.model;
    // A named complex type of the element's namespace: a struct named after the element,
    // without emitting the type's own struct (nothing else may use it).
    if let Some(decl) = model.schema.elements.get(q)
        && let TypeUse::Named(t) = &decl.ty
        && t != q
        && let Some(TypeDef::Complex(ct)) = model.schema.types.get(t)
        && ct.namespace == q.ns
    {
        return Ok(types.element_struct(q, ct));
    }
    let Some((ty, decl)) = types.element_type(q, pos, sink) else {
        return Err(format!("element `{q}` has no usable type"));
    };
    match (ty, &decl.ty) {
        (Ty::Item(i), TypeUse::Anonymous(_)) => Ok(i),
        (Ty::Item(i), TypeUse::Named(t)) if t == q => Ok(i),
        (Ty::Item(_), TypeUse::Named(t)) => Err(format!(
            "element `{}` has type `{t}` of another namespace",
            q.local
        )),
        _ => Err(format!(
            "element `{}` does not hold a complex type",
            q.local
        )),
    }
}

fn headers(types: &mut Types<'_>, body: &BodyBinding, sink: &mut Sink) -> Vec<usize> {
    let mut out = Vec::new();
    for h in &body.headers {
        let Some(m) = types.model.wsdl.messages.get(&h.message) else {
            sink.error(
                Some(h.pos.clone()),
                "soap:header",
                format!("message `{}` is not declared", h.message),
            );
            continue;
        };
        let Some(part) = m.parts.iter().find(|p| p.name == h.part) else {
            sink.error(
                Some(h.pos.clone()),
                "soap:header",
                format!("message `{}` has no part `{}`", h.message, h.part),
            );
            continue;
        };
        match &part.kind {
            PartKind::Element(q) => match header_like(types, q, &h.pos, sink) {
                Ok(i) => out.push(i),
                Err(why) => sink.error(Some(h.pos.clone()), "soap:header", why),
            },
            _ => sink.error(
                Some(h.pos.clone()),
                "soap:header",
                "a literal header part needs an element",
            ),
        }
    }
    out
}

/// The JAX-WS wrapper test (JAX-WS 2.x §2.3.1.2): the input element is named like the
/// operation, both wrappers are complex types holding only a sequence of elements, not
/// nillable. Wrapped: one parameter per child; else bare with the element's type.
fn document_op(
    types: &mut Types<'_>,
    op: &Operation,
    in_el: &QName,
    out_el: Option<&QName>,
    o: &mut OpPlan,
    sink: &mut Sink,
) -> bool {
    let model = types.model;
    let wrapper = |q: &QName| -> Option<&ComplexType> {
        let decl = model.schema.elements.get(q)?;
        if decl.nillable {
            return None;
        }
        let ct = match &decl.ty {
            TypeUse::Anonymous(d) => match &**d {
                TypeDef::Complex(ct) => ct,
                TypeDef::Simple(_) => return None,
            },
            TypeUse::Named(t) => match model.schema.types.get(t)? {
                TypeDef::Complex(ct) => ct,
                TypeDef::Simple(_) => return None,
            },
            TypeUse::Default => return None,
        };
        let plain =
            ct.attributes.is_empty() && ct.any_attribute.is_none() && !ct.mixed && !ct.is_abstract;
        let seq_ok = match &ct.content {
            Content::Particle(None) => true,
            Content::Particle(Some(p)) => {
                p.min == 1
                    && p.max == MaxOccurs::Bounded(1)
                    && match &p.term {
                        Term::Sequence(items) => items
                            .iter()
                            .all(|i| matches!(i.term, Term::Element(_) | Term::ElementRef(_))),
                        _ => false,
                    }
            }
            _ => false,
        };
        (plain && seq_ok).then_some(ct)
    };
    let in_ct = (in_el.local == op.name).then(|| wrapper(in_el)).flatten();
    let out_ct = match out_el {
        Some(q) => wrapper(q).map(Some),
        None => Some(None),
    };
    if let (Some(in_ct), Some(out_ct)) = (in_ct, out_ct) {
        let params = types.wrapper_fields(in_ct, &naming_owner(&in_el.local), sink);
        let results = match out_ct {
            Some(ct) => types.wrapper_fields(
                ct,
                &naming_owner(&out_el.map_or(String::new(), |q| q.local.clone())),
                sink,
            ),
            None => Vec::new(),
        };
        // Results carry no occurrence attributes in `#[rpc]`: only single values (plain,
        // `Option`, `Nillable`, `Option<Nillable>`, whose types say their occurrence), or
        // all-repeated values (`unwrapped_result`) are exact.
        let all_vec = !results.is_empty()
            && results
                .iter()
                .all(|r| r.max != MaxOccurs::Bounded(1) && r.min == 0);
        let each_plain = results.iter().all(|r| r.max == MaxOccurs::Bounded(1));
        if all_vec || each_plain {
            o.params = params;
            o.results = results;
            return true;
        }
    }
    // Bare: the body element is the value.
    o.bare = true;
    let Some((ty, decl)) = types.element_type(in_el, &op.pos, sink) else {
        return false;
    };
    o.params = vec![Field {
        nillable: decl.nillable,
        ..simple_field("body", ty)
    }];
    if let Some(q) = out_el {
        let Some((ty, decl)) = types.element_type(q, &op.pos, sink) else {
            return false;
        };
        o.results = vec![Field {
            nillable: decl.nillable,
            ..simple_field("body", ty)
        }];
    }
    true
}

fn naming_owner(element: &str) -> String {
    crate::naming::type_name(element)
        .trim_start_matches("r#")
        .to_string()
}
