//! The reading stages of the pipeline: `create_in_document`, `decompose_incoming_envelope`
//! and `deserialize`, for requests (server) and responses (client).

use rpclib_core::{
    BodyStyle, Catalogue, Fault, FaultCode, HeaderName, MessageKind, MethodContext, RawHeader,
};

use super::any::capture_element;
use super::cursor::{Cursor, StartTag, Token};
use super::de::{XmlDeserializer, clark};
use super::envelope::HeaderPart;
use super::envelope::{self, Parts};
use super::fault::{DeclaredFaults, read_fault};
use crate::LOG_TARGET;
use crate::error::{
    METHOD_NOT_FOUND, REQUEST_TOO_LONG, ReadError, ReadErrorKind, XML_SYNTAX_ERROR, de_fault,
    internal, position_of,
};
use crate::limits::Limits;
use crate::version::SoapVersion;

/// What the reading stages keep between them: the message text and, once decomposed, where
/// its parts are.
///
/// It lives in `ctx.protocol_data` rather than in `ctx.in_document`: the typed map keeps a
/// type's box when its value goes, so a context that a transport reuses holds the next
/// request's document without allocating one (a box per request in `ctx.in_document`, which
/// [`MethodContext::reset`] drops).
#[derive(Debug)]
pub(crate) struct InDocument {
    text: String,
    parts: Option<Parts>,
}

/// Joins `ctx.in_string` into text, refusing oversized, empty and non-UTF-8 input.
pub(crate) fn create_in_document(ctx: &mut MethodContext, limits: &Limits) -> Result<(), Fault> {
    let total: usize = ctx.in_string.iter().map(Vec::len).sum();
    if total > limits.max_input_bytes {
        return Err(Fault::client(
            REQUEST_TOO_LONG,
            format!(
                "the message is {total} bytes long, more than the limit of {} bytes",
                limits.max_input_bytes
            ),
        ));
    }
    // A message in one piece (what the transports hand over) becomes the document as it is:
    // copying it would cost a pass over it and an allocation.
    let bytes = if ctx.in_string.len() == 1 {
        ctx.in_string.pop().unwrap_or_default()
    } else {
        let mut bytes = Vec::with_capacity(total);
        for chunk in &ctx.in_string {
            bytes.extend_from_slice(chunk);
        }
        bytes
    };
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = e
            .as_bytes()
            .get(..valid)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let p = position_of(prefix, valid);
        Fault::client(
            XML_SYNTAX_ERROR,
            format!(
                "the message is not valid UTF-8: invalid byte sequence at line {}, column {}",
                p.line, p.column
            ),
        )
        .with_source(e.utf8_error())
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if text.trim().is_empty() {
        return Err(Fault::client(XML_SYNTAX_ERROR, "the message is empty"));
    }
    log::trace!(target: LOG_TARGET, "incoming message: {text}");
    ctx.protocol_data.insert(InDocument { text, parts: None });
    Ok(())
}

/// How long the request was, in bytes: the document `create_in_document` made of it (which
/// took the request's bytes when they came in one piece, and `deserialize` gives them back),
/// else the bytes in `in_string`.
pub(crate) fn request_len(ctx: &MethodContext) -> usize {
    match ctx.protocol_data.get::<InDocument>() {
        Some(d) => d.text.len(),
        None => ctx.in_string.iter().map(Vec::len).sum(),
    }
}

/// The text of the message `create_in_document` read (for a protocol that looks at the
/// envelope before decomposing it).
pub(crate) fn document_text(ctx: &MethodContext) -> Result<&str, Fault> {
    ctx.protocol_data
        .get::<InDocument>()
        .map(|d| d.text.as_str())
        .ok_or_else(|| internal("no SOAP document was created for this message"))
}

fn document(ctx: &mut MethodContext) -> Result<&mut InDocument, Fault> {
    ctx.protocol_data
        .get_mut::<InDocument>()
        .ok_or_else(|| internal("no SOAP document was created for this message"))
}

/// Finds the header blocks and the Body's element; for a request, selects the method it
/// names and checks `mustUnderstand` blocks against the headers the method declares.
pub(crate) fn decompose(
    catalogue: &Catalogue,
    ctx: &mut MethodContext,
    version: SoapVersion,
    limits: &Limits,
    kind: MessageKind,
) -> Result<(), Fault> {
    decompose_in(catalogue, ctx, &mut { version }, false, limits, kind)
}

/// [`decompose`] on an endpoint that speaks both versions: the message is read in the
/// version of its envelope (`hint`, the content type's, when the envelope names none), which
/// is recorded in `ctx.protocol_data` whatever the outcome, for the later stages and for the
/// fault.
pub(crate) fn decompose_negotiated(
    catalogue: &Catalogue,
    ctx: &mut MethodContext,
    hint: SoapVersion,
    limits: &Limits,
    kind: MessageKind,
) -> Result<(), Fault> {
    let mut version = hint;
    let result = decompose_in(catalogue, ctx, &mut version, true, limits, kind);
    ctx.protocol_data.insert(version);
    result
}

fn decompose_in(
    catalogue: &Catalogue,
    ctx: &mut MethodContext,
    version: &mut SoapVersion,
    negotiate: bool,
    limits: &Limits,
    kind: MessageKind,
) -> Result<(), Fault> {
    // Taken before the document borrows the context: the previous request's string, on a
    // context the transport reuses.
    let mut request_name = match kind {
        MessageKind::Request => ctx.reusable_method_request_string(),
        _ => String::new(),
    };
    let text = document_text(ctx)?;
    let parts =
        envelope::decompose(text, version, negotiate, *limits).map_err(|e| e.into_fault(text))?;
    let version = *version;
    let (child_ns, child_local) = (parts.child_ns(text), parts.child_local(text));
    // The element's position and Clark name only go into error messages: a pass over the
    // text before it and an allocation, made when there is an error to report.
    let at = || position_of(text, parts.child_offset);
    let name = || clark(child_ns, child_local);
    match kind {
        MessageKind::Request => {
            let Some(selected) = catalogue.lookup_method(child_ns, child_local) else {
                let (at, name) = (at(), name());
                return Err(Fault::client(
                    METHOD_NOT_FOUND,
                    format!(
                        "no operation receives the element `{name}` at line {}, column {}",
                        at.line, at.column
                    ),
                ));
            };
            let (service, method) = (selected.service(), selected.method());
            log::debug!(target: LOG_TARGET, "`{}` dispatched to `{}`", name(), method.operation);
            request_name.reserve(child_ns.len() + child_local.len() + 2);
            request_name.push('{');
            request_name.push_str(child_ns);
            request_name.push('}');
            request_name.push_str(child_local);
            ctx.set_method(selected);
            ctx.method_request_string = Some(request_name);
            check_must_understand(catalogue, &parts, method.effective_in_headers(service))?;
        }
        MessageKind::Response => {
            let selected = ctx
                .method()
                .ok_or_else(|| internal("no method was selected"))?;
            let (service, method) = (selected.service(), selected.method());
            let expected_ns = catalogue.message_namespace(service, &method.output);
            let is_result = child_local == method.output.name && child_ns == expected_ns;
            if !parts.is_fault(text, version) && !is_result {
                let (at, name) = (at(), name());
                return Err(Fault::client(
                    "InvalidReply",
                    format!(
                        "the reply holds `{name}` at line {}, column {}, not `{}` or a fault",
                        at.line,
                        at.column,
                        clark(expected_ns, method.output.name)
                    ),
                ));
            }
        }
    }
    document(ctx)?.parts = Some(parts);
    Ok(())
}

/// A `mustUnderstand` block addressed to us that the method does not declare, and that the
/// application did not register as understood (a call wrapper processing it), is a
/// `MustUnderstand` fault (SOAP 1.1 section 4.2.3, SOAP 1.2 part 1 section 5.2.3).
fn check_must_understand(
    catalogue: &Catalogue,
    parts: &Parts,
    declared: &'static [rpclib_core::HeaderDescriptor],
) -> Result<(), Fault> {
    let Some(header) = &parts.header else {
        return Ok(());
    };
    for block in header
        .blocks
        .iter()
        .filter(|b| b.must_understand && b.for_us)
    {
        let understood = catalogue.understands_header(&block.ns, &block.local)
            || declared.iter().any(|hd| {
                let ty = (hd.ty)();
                ty.name() == block.local.as_str()
                    && catalogue.resolve_namespace(ty.namespace()) == block.ns
            });
        if !understood {
            return Err(Fault::new(
                FaultCode::MUST_UNDERSTAND,
                format!(
                    "the header block `{}` must be understood, but this operation does not understand it",
                    clark(&block.ns, &block.local)
                ),
            ));
        }
    }
    Ok(())
}

/// Reads every header block into `ctx.in_headers` as a [`RawHeader`], then the declared ones
/// as their types, and the Body's element into `ctx.in_object` (a reply's fault into
/// `ctx.in_error`).
pub(crate) fn deserialize(
    catalogue: &Catalogue,
    ctx: &mut MethodContext,
    version: SoapVersion,
    limits: &Limits,
    kind: MessageKind,
) -> Result<(), Fault> {
    let Some(mut doc) = ctx.protocol_data.remove::<InDocument>() else {
        return Err(internal("no SOAP document was created for this message"));
    };
    let result = read_message(catalogue, ctx, &mut doc, version, *limits, kind);
    // The message is read: its bytes go back to `in_string` where they came from (taken in
    // one piece, never copied), so that a context the transport reuses keeps their buffer
    // for the next request's bytes (`MethodContext::reusable_in_buffer`) instead of freeing
    // it with the document. Bytes that came in several pieces are still there.
    if ctx.in_string.is_empty() {
        ctx.in_string.push(doc.text.into_bytes());
    }
    result
}

fn read_message(
    catalogue: &Catalogue,
    ctx: &mut MethodContext,
    doc: &mut InDocument,
    version: SoapVersion,
    limits: Limits,
    kind: MessageKind,
) -> Result<(), Fault> {
    let InDocument { text, parts } = doc;
    let parts = parts
        .as_mut()
        .ok_or_else(|| internal("the envelope was not decomposed"))?;
    // Taken: the Body is read once, in the cursor made of the scope itself.
    let body_scope = parts
        .body_scope
        .take()
        .ok_or_else(|| internal("the Body was read already"))?;
    let parts = &*parts;
    let selected = ctx
        .method()
        .ok_or_else(|| internal("no method was selected"))?;
    let (service, method) = (selected.service(), selected.method());
    let text = text.as_str();
    let tns = catalogue.tns();

    let declared = match kind {
        MessageKind::Request => method.effective_in_headers(service),
        MessageKind::Response => method.effective_out_headers(service),
    };
    if let Some(header) = &parts.header {
        read_raw_headers(ctx, text, header, limits, parts.elements)?;
        for hd in declared {
            let ty = (hd.ty)();
            let (name, ns) = (ty.name(), catalogue.resolve_namespace(ty.namespace()));
            let Some(block) = header.blocks.iter().find(|b| b.local == name && b.ns == ns) else {
                continue;
            };
            let cursor = Cursor::resume(text, block.offset, &header.scope, limits, parts.elements)
                .map_err(|e| e.into_fault(text))?;
            let mut de = XmlDeserializer::new(cursor, tns);
            let start = first_start(&mut de).map_err(|e| e.into_fault(text))?;
            de.set_current(start, None);
            let value = (hd.deserialize)(&mut de).map_err(|e| de_fault(e, text, block.offset))?;
            ctx.in_headers.push(value);
        }
    }

    // The Body's element, usually a plain start tag the decomposition read, is not read
    // again: the cursor starts inside it.
    let inside = match parts.child_plain {
        Some((content, qname)) => Cursor::resume_inside(
            text,
            parts.child_offset,
            content,
            qname.get(text),
            body_scope,
            limits,
            parts.elements,
        ),
        None => Err(body_scope),
    };
    let (mut de, start) = match inside {
        Ok((cursor, start)) => (XmlDeserializer::new(cursor, tns), start),
        Err(body_scope) => {
            let cursor =
                Cursor::resume_in(text, parts.child_offset, body_scope, limits, parts.elements)
                    .map_err(|e| e.into_fault(text))?;
            let mut de = XmlDeserializer::new(cursor, tns);
            let start = first_start(&mut de).map_err(|e| e.into_fault(text))?;
            (de, start)
        }
    };
    if kind == MessageKind::Response && parts.is_fault(text, version) {
        let declared = DeclaredFaults {
            catalogue,
            operation: method.operation,
            faults: method.faults,
        };
        let fault = read_fault(&mut de, start, version, Some(&declared))
            .map_err(|e| de_fault(e, text, parts.child_offset))?;
        envelope::finish(de.cursor(), parts).map_err(|e| e.into_fault(text))?;
        log::debug!(target: LOG_TARGET, "`{}` answered with a fault: {fault}", method.operation);
        ctx.in_error = Some(fault);
        return Ok(());
    }
    let message = match kind {
        MessageKind::Request => &method.input,
        MessageKind::Response => &method.output,
    };
    let part = match method.body_style {
        BodyStyle::Bare => message.ty.fields.first(),
        BodyStyle::Wrapped => None,
    };
    de.set_current(start, part);
    let value =
        (message.deserialize)(&mut de).map_err(|e| de_fault(e, text, parts.child_offset))?;
    envelope::finish(de.cursor(), parts).map_err(|e| e.into_fault(text))?;
    ctx.in_object = Some(value);
    Ok(())
}

/// Captures each header block as a [`RawHeader`]. The namespace declarations copied onto
/// each block can make it longer than its text, so all of them together are held to the
/// string limit: the cost stays linear in the size of the message.
fn read_raw_headers(
    ctx: &mut MethodContext,
    text: &str,
    header: &HeaderPart,
    limits: Limits,
    elements: usize,
) -> Result<(), Fault> {
    let mut budget = limits.max_string_bytes;
    for block in &header.blocks {
        let mut cursor = Cursor::resume(
            text,
            block.offset,
            &header.scope,
            limits.max_string_bytes(budget),
            elements,
        )
        .map_err(|e| e.into_fault(text))?;
        let xml = capture_element(&mut cursor).map_err(|mut e| {
            if matches!(e.kind, ReadErrorKind::Limit) && budget < limits.max_string_bytes {
                e.message = format!(
                    "the header blocks, with the namespace declarations each needs copied onto \
                     it, are longer than the limit of {} bytes",
                    limits.max_string_bytes
                );
            }
            e.into_fault(text)
        })?;
        budget = budget.saturating_sub(xml.as_str().len());
        ctx.in_headers.push(Box::new(RawHeader {
            name: HeaderName::new(block.ns.as_str(), block.local.as_str()),
            xml,
            must_understand: block.must_understand,
        }));
    }
    Ok(())
}

/// The start tag a resumed cursor begins with.
fn first_start<'a>(de: &mut XmlDeserializer<'a>) -> Result<StartTag<'a>, ReadError> {
    match de.cursor().next()? {
        Token::Start(s) => Ok(s),
        _ => Err(ReadError::syntax(
            "internal: no element where one was found before",
            0,
        )),
    }
}
