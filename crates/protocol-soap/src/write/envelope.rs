//! Writing whole envelopes: a request or response message with its header blocks, or a fault.

use std::borrow::Cow;

use rpclib_core::model::{ComplexType, SerError, TypeRef};
use rpclib_core::{
    BodyStyle, Catalogue, Fault, FaultClass, FaultDetail, HeaderDescriptor, MessageKind,
    MethodContext, RawHeader,
};

use super::any::check_raw_header;
use super::ser::{Element, NilRule, XmlSerializer};
use super::writer::{DocumentStart, Open, XmlWriter};
use crate::LOG_TARGET;
use crate::error::internal;
use crate::read::cursor::XSI_NS;
use crate::read::de::array_namespace;
use crate::spares::{self, spare_stack};
use crate::version::SoapVersion;

/// What `serialize` leaves for `create_out_string`: the finished message. In
/// `ctx.protocol_data` rather than `ctx.out_document`, whose box a reused context would
/// allocate anew per message (the typed map keeps its slot).
#[derive(Debug)]
pub(crate) struct OutDocument(pub(crate) Vec<u8>);

pub(crate) const DECLARATION: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Writes the message `kind` for `ctx`: for a response, its fault if it has one.
///
/// `supported` lists the envelopes the endpoint speaks, in order of preference, when it
/// speaks several: a SOAP 1.2 `VersionMismatch` fault then names them in an `Upgrade` header
/// block (SOAP 1.2 part 1, section 5.4.7). Single-version endpoints pass nothing.
pub(crate) fn serialize(
    catalogue: &Catalogue,
    ctx: &mut MethodContext,
    version: SoapVersion,
    kind: MessageKind,
    supported: &[SoapVersion],
) -> Result<(), Fault> {
    let capacity = 512 + crate::read::stages::request_len(ctx);
    // The previous message's buffer, on a context that a transport reuses.
    let buffer = ctx.reusable_out_buffer();
    let bytes = match (kind, ctx.error()) {
        (MessageKind::Response, Some(fault)) => {
            write_fault_envelope(catalogue, version, fault, buffer, capacity, supported)
        }
        _ => write_message(ctx, catalogue, version, kind, buffer, capacity)?,
    };
    ctx.protocol_data.insert(OutDocument(bytes));
    Ok(())
}

fn begin<'n>(w: &mut XmlWriter<'n>, version: SoapVersion, tns: &'n str) -> Open {
    w.start_document(DocumentStart {
        declaration: DECLARATION,
        root_ns: version.envelope_namespace(),
        root_prefix: version.prefix(),
        root_local: "Envelope",
        other_ns: tns,
        other_prefix: "tns",
    })
}

fn write_message(
    ctx: &MethodContext,
    catalogue: &Catalogue,
    version: SoapVersion,
    kind: MessageKind,
    buffer: Vec<u8>,
    capacity: usize,
) -> Result<Vec<u8>, Fault> {
    let selected = ctx
        .method()
        .ok_or_else(|| internal("no method was selected"))?;
    let (service, method) = (selected.service(), selected.method());
    let (message, headers) = match kind {
        MessageKind::Request => (&method.input, method.effective_in_headers(service)),
        MessageKind::Response => (&method.output, method.effective_out_headers(service)),
    };
    let value = ctx
        .out_object
        .as_deref()
        .ok_or_else(|| internal(format!("no message to write for `{}`", method.operation)))?;
    let tns = catalogue.tns();
    let env_ns = version.envelope_namespace();
    let mut w = XmlWriter::with_buffer(buffer, capacity);
    let envelope = begin(&mut w, version, tns);
    // Declaring every namespace the message can use once, on the Envelope, keeps them from
    // being declared again on each element of an array.
    declare_namespaces(&mut w, message.ty, tns);
    write_headers(&mut w, catalogue, env_ns, headers, &ctx.out_headers)?;
    let body = w.open(env_ns, "Body");
    let nil = match (method.body_style, message.ty.fields.first()) {
        (BodyStyle::Bare, Some(part)) if part.nillable => NilRule::Nil,
        _ => NilRule::Reject,
    };
    let mut ser = XmlSerializer::new(&mut w, tns);
    ser.element(Element {
        ns: catalogue.message_namespace(service, message),
        local: Cow::Borrowed(message.name),
        nil,
        unwrapped: false,
    });
    (message.serialize)(value, &mut ser)?;
    ser.finish()?;
    // The serializer borrows the writer until it is dropped.
    drop(ser);
    w.end(body, "Body");
    w.end(envelope, "Envelope");
    Ok(w.into_bytes())
}

// The lists `collect_namespaces` works with are the thread's spares ([`crate::spares`]),
// and its result is kept for the next message of the same type (`declare_namespaces`).
spare_stack!(
    /// Spare lists of the types already looked through.
    SPARE_SEEN,
    *const ComplexType
);
spare_stack!(
    /// Spare lists of the types still to look through.
    SPARE_TYPES,
    TypeRef
);

/// The namespaces [`collect_namespaces`] found for the last message type this thread wrote:
/// an endpoint writes the same few types over and over, and the walk through a type's fields
/// costs more than the look-up.
#[derive(Debug)]
struct Collected {
    /// A descriptor `static`: its address names it.
    ty: *const ComplexType,
    tns: String,
    namespaces: Vec<&'static str>,
}

thread_local! {
    static LAST_COLLECTED: std::cell::RefCell<Option<Collected>> =
        const { std::cell::RefCell::new(None) };
}

/// Declares on the element being opened every namespace other than `tns` that values of `ty`
/// can use, as [`collect_namespaces`] finds them (remembered for the next message of the same
/// type, in the same allocation whatever the type).
fn declare_namespaces<'n>(w: &mut XmlWriter<'n>, ty: &'static ComplexType, tns: &'n str) {
    let same = |c: &Collected| std::ptr::eq(c.ty, ty) && c.tns == tns;
    let declared = LAST_COLLECTED
        .try_with(|last| {
            let last = last.try_borrow().ok()?;
            let last = last.as_ref().filter(|c| same(c))?;
            for &ns in &last.namespaces {
                w.declare(ns);
            }
            Some(())
        })
        .ok()
        .flatten()
        .is_some();
    if declared {
        return;
    }
    // Found now, into the remembered list's allocation when there is one.
    let mut entry = LAST_COLLECTED
        .try_with(|last| last.try_borrow_mut().ok().and_then(|mut l| l.take()))
        .ok()
        .flatten()
        .unwrap_or(Collected {
            ty,
            tns: String::new(),
            namespaces: Vec::new(),
        });
    entry.ty = ty;
    entry.tns.clear();
    entry.tns.push_str(tns);
    entry.namespaces.clear();
    let mut seen = spares::take(&SPARE_SEEN);
    collect_namespaces(ty, tns, &mut entry.namespaces, &mut seen);
    spares::give(&SPARE_SEEN, seen);
    for &ns in &entry.namespaces {
        w.declare(ns);
    }
    let _ = LAST_COLLECTED.try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some(entry);
        }
    });
}

/// The element namespaces other than `tns` that values of `ty` can use, in first-use order.
fn collect_namespaces(
    ty: &'static ComplexType,
    tns: &str,
    out: &mut Vec<&'static str>,
    seen: &mut Vec<*const ComplexType>,
) {
    if seen.contains(&std::ptr::from_ref(ty)) {
        return;
    }
    seen.push(std::ptr::from_ref(ty));
    fn note(out: &mut Vec<&'static str>, tns: &str, ns: Option<&'static str>) {
        if let Some(ns) = ns
            && ns != tns
            && !out.contains(&ns)
        {
            out.push(ns);
        }
    }
    let mut types = spares::take(&SPARE_TYPES);
    // By index: `all_fields` would allocate a list.
    for field in (0..ty.field_count()).filter_map(|i| ty.field_at(i)) {
        note(out, tns, field.namespace.uri());
        types.push((field.ty)());
    }
    while let Some(t) = types.pop() {
        match t {
            TypeRef::Complex(c) => collect_namespaces(c, tns, out, seen),
            TypeRef::Array(item) => {
                let item = item();
                note(out, tns, array_namespace(item));
                types.push(item);
            }
            TypeRef::Choice(c) => {
                for v in c.variants {
                    note(out, tns, v.namespace.uri());
                    types.push((v.ty)());
                }
            }
            // Every variant's fields, and the variant's own namespace for its `xsi:type`
            // (declared once on the envelope, with `xsi`, rather than on every element).
            TypeRef::Polymorphic(p) => {
                note(out, tns, Some(XSI_NS));
                for v in p.alternatives.variants {
                    let vt = (v.ty)();
                    note(out, tns, vt.namespace());
                    types.push(vt);
                }
            }
            // A list is text: no element of its own.
            TypeRef::Simple(_) | TypeRef::Enum(_) | TypeRef::Any | TypeRef::List(_) => {}
        }
    }
    spares::give(&SPARE_TYPES, types);
}

/// Writes the header blocks in `values`: raw blocks ([`RawHeader`]) as they are, the others
/// if they are declared in `declared`, each as an element named after its type; the `Header`
/// element only if at least one is written.
fn write_headers<'n>(
    w: &mut XmlWriter<'n>,
    catalogue: &'n Catalogue,
    env_ns: &'n str,
    declared: &'static [HeaderDescriptor],
    values: &[Box<dyn std::any::Any + Send>],
) -> Result<(), SerError> {
    if values.is_empty() {
        return Ok(());
    }
    let mark = w.mark();
    let header = w.open(env_ns, "Header");
    let mut wrote = false;
    for value in values {
        if let Some(raw) = value.downcast_ref::<RawHeader>() {
            write_raw_header(w, env_ns, raw)?;
            wrote = true;
            continue;
        }
        let mut matched = false;
        for hd in declared {
            let ty = (hd.ty)();
            let mut ser = XmlSerializer::new(w, catalogue.tns());
            ser.element(Element {
                ns: catalogue.resolve_namespace(ty.namespace()),
                local: ty.name(),
                nil: NilRule::Nil,
                unwrapped: false,
            });
            match (hd.serialize)(&**value, &mut ser) {
                Some(result) => {
                    result?;
                    ser.finish()?;
                    matched = true;
                    break;
                }
                None => ser.clear(),
            }
        }
        if matched {
            wrote = true;
        } else {
            log::warn!(
                target: LOG_TARGET,
                "a header value of a type this operation does not declare was not sent"
            );
        }
    }
    if wrote {
        w.end(header, "Header");
    } else {
        w.rollback(mark);
    }
    Ok(())
}

/// Writes a raw header block, adding `mustUnderstand="1"` in the envelope's namespace when
/// the block asks for it and does not carry the attribute already.
fn write_raw_header<'n>(
    w: &mut XmlWriter<'n>,
    env_ns: &'n str,
    raw: &RawHeader,
) -> Result<(), SerError> {
    let prefix = w.qname_prefix(env_ns);
    let checked = check_raw_header(raw, env_ns, &prefix)?;
    let text = checked.text;
    if !raw.must_understand || checked.has_must_understand {
        w.raw(text);
        return Ok(());
    }
    if checked.redeclares {
        return Err(SerError::with_kind(
            rpclib_core::model::SerErrorKind::Unrepresentable,
            format!(
                "the raw header block {} declares the envelope's prefix `{prefix}` itself, so \
                 `mustUnderstand` cannot be added to it",
                raw.name
            ),
        ));
    }
    let Some((head, tail)) = text.split_at_checked(checked.attribute_at) else {
        return Err(SerError::with_kind(
            rpclib_core::model::SerErrorKind::Unrepresentable,
            format!(
                "internal: no start tag in the raw header block {}",
                raw.name
            ),
        ));
    };
    w.raw(head);
    w.raw(&format!(" {prefix}:mustUnderstand=\"1\""));
    w.raw(tail);
    Ok(())
}

/// Writes a fault envelope. Fault texts are written lossily (characters XML cannot carry
/// become U+FFFD) so that a fault always gets out; a typed detail that cannot be written is
/// left out and logged.
pub(crate) fn write_fault_envelope(
    catalogue: &Catalogue,
    version: SoapVersion,
    fault: &Fault,
    buffer: Vec<u8>,
    capacity: usize,
    supported: &[SoapVersion],
) -> Vec<u8> {
    let tns = catalogue.tns();
    let env_ns = version.envelope_namespace();
    let mut w = XmlWriter::with_buffer(buffer, capacity.min(4096));
    let envelope = begin(&mut w, version, tns);
    // A code in a namespace of its own is declared on the Envelope: readers that resolve the
    // QName after leaving `faultcode` (ours among them) still find its prefix.
    if let Some(ns) = fault.code.namespace() {
        w.declare(ns);
    }
    if version == SoapVersion::Soap12
        && fault.code.class() == FaultClass::VersionMismatch
        && !supported.is_empty()
    {
        write_upgrade(&mut w, env_ns, supported);
    }
    let body = w.open(env_ns, "Body");
    let f = w.open(env_ns, "Fault");
    match version {
        SoapVersion::Soap11 => write_fault_11(&mut w, version, fault),
        SoapVersion::Soap12 => write_fault_12(&mut w, version, fault, tns),
    }
    if let Some(detail) = &fault.detail {
        let name = match version {
            SoapVersion::Soap11 => "detail",
            SoapVersion::Soap12 => "Detail",
        };
        let detail_ns = match version {
            SoapVersion::Soap11 => "",
            SoapVersion::Soap12 => env_ns,
        };
        let mark = w.mark();
        let d = w.open(detail_ns, name);
        match write_detail(&mut w, catalogue, detail) {
            Ok(()) => w.end(d, name),
            Err(e) => {
                log::error!(target: LOG_TARGET, "cannot write the detail of fault `{}`: {e}", fault.code);
                w.rollback(mark);
            }
        }
    }
    w.end(f, "Fault");
    w.end(body, "Body");
    w.end(envelope, "Envelope");
    w.into_bytes()
}

/// The SOAP 1.2 `Upgrade` header block: one `SupportedEnvelope` per version, its `qname`
/// naming that version's `Envelope` (the prefix declared where it is used).
fn write_upgrade(w: &mut XmlWriter<'_>, env_ns: &'static str, supported: &[SoapVersion]) {
    let header = w.open(env_ns, "Header");
    let upgrade = w.open(env_ns, "Upgrade");
    for v in supported {
        w.assign_prefix(v.envelope_namespace(), v.prefix());
        let open = w.open(env_ns, "SupportedEnvelope");
        let prefix = w.qname_prefix(v.envelope_namespace());
        // Prefixes are plain ASCII names: nothing here can fail to escape.
        let _ = w.plain_attribute("qname", &format!("{prefix}:Envelope"));
        w.end(open, "SupportedEnvelope");
    }
    w.end(upgrade, "Upgrade");
    w.end(header, "Header");
}

pub(crate) fn simple<'n>(w: &mut XmlWriter<'n>, ns: &'n str, local: &str, text: &str) {
    let open = w.open(ns, local);
    if !text.is_empty() {
        w.text_lossy(text);
    }
    w.end(open, local);
}

/// `faultcode` is the envelope prefix and the dotted code; the 1.2 class names map back to
/// the 1.1 ones, every other head is written as given (as Spyne does: `soap11env:Plausible`).
/// A code with a namespace of its own is its last segment qualified by that namespace
/// (`wsse:FailedAuthentication`).
fn write_fault_11<'n>(w: &mut XmlWriter<'n>, version: SoapVersion, fault: &'n Fault) {
    if let Some(ns) = fault.code.namespace() {
        let local = fault.code.as_str().rsplit('.').next().unwrap_or("");
        let open = w.open("", "faultcode");
        let prefix = w.qname_prefix(ns);
        w.text_lossy(&format!("{prefix}:{local}"));
        w.end(open, "faultcode");
        simple(w, "", "faultstring", &fault.string);
        if let Some(actor) = &fault.actor {
            simple(w, "", "faultactor", actor);
        }
        return;
    }
    let code = fault.code.as_str();
    let code: Cow<'_, str> = match fault.code.head() {
        "Sender" => Cow::Owned(code.replacen("Sender", "Client", 1)),
        "Receiver" => Cow::Owned(code.replacen("Receiver", "Server", 1)),
        _ => Cow::Borrowed(code),
    };
    let open = w.open("", "faultcode");
    let prefix = w.qname_prefix(version.envelope_namespace());
    w.text_lossy(&format!("{prefix}:{code}"));
    w.end(open, "faultcode");
    simple(w, "", "faultstring", &fault.string);
    if let Some(actor) = &fault.actor {
        simple(w, "", "faultactor", actor);
    }
}

/// `Code/Value` is one of the four SOAP 1.2 codes (`Client` becomes `Sender`, `Server`
/// becomes `Receiver`, any other head is kept as the first subcode under `Receiver`); the
/// remaining dotted segments become nested `Subcode`s in the target namespace (or the code's
/// own namespace, if it has one).
fn write_fault_12<'n>(w: &mut XmlWriter<'n>, version: SoapVersion, fault: &'n Fault, tns: &'n str) {
    let sub_ns = fault.code.namespace().unwrap_or(tns);
    let env_ns = version.envelope_namespace();
    let head = fault.code.head();
    let (value, extra) = match head {
        "Client" | "Sender" => ("Sender", None),
        "Server" | "Receiver" => ("Receiver", None),
        "VersionMismatch" | "MustUnderstand" | "DataEncodingUnknown" => (head, None),
        other => ("Receiver", Some(other)),
    };
    let code = w.open(env_ns, "Code");
    let v = w.open(env_ns, "Value");
    let prefix = w.qname_prefix(env_ns);
    w.text_lossy(&format!("{prefix}:{value}"));
    w.end(v, "Value");
    let mut subcodes = Vec::new();
    for sub in extra
        .into_iter()
        .chain(fault.code.subcodes())
        .filter(|s| !s.is_empty())
    {
        subcodes.push(w.open(env_ns, "Subcode"));
        let v = w.open(env_ns, "Value");
        let prefix = w.qname_prefix(sub_ns);
        w.text_lossy(&format!("{prefix}:{sub}"));
        w.end(v, "Value");
    }
    for open in subcodes.into_iter().rev() {
        w.end(open, "Subcode");
    }
    w.end(code, "Code");
    let reason = w.open(env_ns, "Reason");
    let text = w.open(env_ns, "Text");
    // `xml:lang` needs no declaration: the `xml` prefix is bound by definition.
    let _ = w.plain_attribute("xml:lang", "en");
    w.text_lossy(&fault.string);
    w.end(text, "Text");
    w.end(reason, "Reason");
    if let Some(actor) = &fault.actor {
        simple(w, env_ns, "Role", actor);
    }
}

/// The detail value: raw XML as is, any other value as an element named after its type.
pub(crate) fn write_detail<'n>(
    w: &mut XmlWriter<'n>,
    catalogue: &'n Catalogue,
    detail: &FaultDetail,
) -> Result<(), SerError> {
    let ty = detail.value_type();
    let mut ser = XmlSerializer::new(w, catalogue.tns());
    match ty {
        TypeRef::Any => ser.raw(),
        other => ser.element(Element {
            ns: catalogue.resolve_namespace(other.namespace()),
            local: other.name(),
            nil: NilRule::Nil,
            unwrapped: false,
        }),
    }
    detail.value().serialize_value(&mut ser)?;
    ser.finish()
}
