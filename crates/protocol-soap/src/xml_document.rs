//! [`XmlDocument`]: Spyne's plain XML document protocol: the message element itself, with
//! no envelope, in and out; faults as a plain `<Fault>` element.
//!
//! It lives in this crate because it *is* the SOAP reader and writer without the envelope:
//! the same streaming cursor (limits, namespace checks, DTD refusal), the same deserializer
//! and serializer of every model type, the same fault paths. A crate of its own would have to
//! make those public API of `rpclib-protocol-soap` (or copy them), for no gain in
//! dependencies: it needs nothing the SOAP crate does not already have.

use std::borrow::Cow;

use rpclib_core::{
    BodyStyle, Catalogue, Fault, FaultClass, FaultCode, MessageKind, MethodContext, Protocol,
};

use crate::error::{METHOD_NOT_FOUND, ReadError, de_fault, internal, position_of};
use crate::limits::Limits;
use crate::read::cursor::{Cursor, StartTag, Token, is_whitespace};
use crate::read::de::{XmlDeserializer, clark};
use crate::read::stages;
use crate::write::envelope::{DECLARATION, OutDocument, simple, write_detail};
use crate::write::ser::{Element, NilRule, XmlSerializer};
use crate::write::writer::XmlWriter;

/// The plain XML document protocol (Spyne's `XmlDocument`): a request is the method's
/// request element as the whole document (`<tns:say_hello xmlns:tns="..."><tns:name>Dave
/// </tns:name>...</tns:say_hello>`), a reply its response element; read and written exactly
/// as the SOAP Body's element is, with the same limits and faults.
///
/// A fault is a `<Fault>` element in no namespace, with unqualified children as in SOAP 1.1
/// but the code written as rpclib's dotted code, without a prefix:
///
/// ```text
/// <Fault><faultcode>Client.ValidationError</faultcode><faultstring>...</faultstring>
///   <faultactor>...</faultactor><detail>...</detail></Fault>
/// ```
///
/// (`faultactor` and `detail` when the fault has them). Messages are
/// `text/xml; charset=utf-8`; a `Client` fault is answered with HTTP status 400, any other
/// with 500. Header blocks have no place in a plain document: declared headers are neither
/// read nor written.
///
/// ```
/// use rpclib_protocol_soap::{Limits, XmlDocument};
///
/// let xml = XmlDocument::with_limits(Limits::default());
/// assert_eq!(xml.limits(), &Limits::default());
/// ```
#[derive(Debug, Clone, Default)]
pub struct XmlDocument {
    limits: Limits,
}

/// The root element's name, between decomposing and reading.
struct Root {
    is_fault: bool,
}

impl XmlDocument {
    /// The protocol with the default [`Limits`].
    pub fn new() -> Self {
        XmlDocument::default()
    }

    /// The protocol with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        XmlDocument { limits }
    }

    /// The limits incoming messages are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// The root element's start tag: only whitespace, comments and processing instructions (the
/// cursor skips those, and refuses a DTD) may come before it.
fn root<'a>(c: &mut Cursor<'a>) -> Result<StartTag<'a>, ReadError> {
    loop {
        match c.next()? {
            Token::Start(s) => return Ok(s),
            Token::Text { text, offset } => {
                if !is_whitespace(&text) {
                    return Err(ReadError::syntax("text before the root element", offset));
                }
            }
            Token::End { offset } => {
                return Err(ReadError::syntax("end tag without a start tag", offset));
            }
            Token::Eof { offset } => {
                return Err(ReadError::syntax("the message has no root element", offset));
            }
        }
    }
}

/// Nothing but whitespace (and comments) may follow the root element.
fn finish(c: &mut Cursor<'_>) -> Result<(), ReadError> {
    loop {
        match c.next()? {
            Token::Eof { .. } => return Ok(()),
            Token::Text { text, .. } if is_whitespace(&text) => {}
            Token::Start(StartTag { offset, .. })
            | Token::End { offset }
            | Token::Text { offset, .. } => {
                return Err(ReadError::syntax(
                    "content after the end of the root element",
                    offset,
                ));
            }
        }
    }
}

/// Reads a `<Fault>` element's children (a client reading a reply).
fn read_plain_fault(c: &mut Cursor<'_>) -> Result<Fault, ReadError> {
    let (mut code, mut string, mut actor) = (None, String::new(), None);
    loop {
        match c.next_significant()? {
            Token::Start(s) => match s.local() {
                "faultcode" => code = c.simple_content()?.map(Cow::into_owned),
                "faultstring" => {
                    string = c.simple_content()?.map(Cow::into_owned).unwrap_or_default()
                }
                "faultactor" => actor = c.simple_content()?.map(Cow::into_owned),
                _ => {
                    c.skip_element()?;
                }
            },
            Token::End { .. } => break,
            Token::Text { offset, .. } => {
                return Err(ReadError::syntax("unexpected text in the Fault", offset));
            }
            Token::Eof { offset } => return Err(crate::read::cursor::unclosed(offset)),
        }
    }
    let mut fault = Fault::new(
        FaultCode::new(code.unwrap_or_else(|| "Server".to_owned())),
        string,
    );
    fault.actor = actor;
    Ok(fault)
}

impl Protocol for XmlDocument {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        stages::create_in_document(ctx, &self.limits)
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let text = stages::document_text(ctx)?;
        let mut c = Cursor::new(text, self.limits);
        let start = root(&mut c).map_err(|e| e.into_fault(text))?;
        let (ns, local) = c.resolve(&start).map_err(|e| e.into_fault(text))?;
        let (ns, local) = (ns.to_owned(), local.to_owned());
        let at = position_of(text, start.offset);
        // The cursor borrows the context's document until it is dropped.
        drop(c);
        let name = clark(&ns, &local);
        let mut is_fault = false;
        match kind {
            MessageKind::Request => {
                let selected = catalogue.lookup_method(&ns, &local).ok_or_else(|| {
                    Fault::client(
                        METHOD_NOT_FOUND,
                        format!(
                            "no operation receives the element `{name}` at line {}, column {}",
                            at.line, at.column
                        ),
                    )
                })?;
                ctx.set_method(selected);
                ctx.method_request_string = Some(name);
            }
            MessageKind::Response => {
                is_fault = ns.is_empty() && local == "Fault";
                let selected = ctx
                    .method()
                    .ok_or_else(|| internal("no method was selected"))?;
                let expected =
                    catalogue.message_namespace(selected.service(), &selected.method().output);
                let is_result = local == selected.method().output.name && ns == expected;
                if !is_fault && !is_result {
                    return Err(Fault::client(
                        "InvalidReply",
                        format!(
                            "the reply is `{name}` at line {}, column {}, not `{}` or a Fault",
                            at.line,
                            at.column,
                            clark(expected, selected.method().output.name)
                        ),
                    ));
                }
            }
        }
        ctx.in_body_doc = Some(Box::new(Root { is_fault }));
        Ok(())
    }

    fn deserialize(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let root_info = ctx
            .in_body_doc
            .take()
            .and_then(|b| b.downcast::<Root>().ok())
            .ok_or_else(|| internal("the document was not decomposed"))?;
        let method = ctx
            .descriptor()
            .ok_or_else(|| internal("no method was selected"))?;
        let text = stages::document_text(ctx)?;
        let mut c = Cursor::new(text, self.limits);
        let start = root(&mut c).map_err(|e| e.into_fault(text))?;
        if root_info.is_fault {
            let fault = read_plain_fault(&mut c).map_err(|e| e.into_fault(text))?;
            finish(&mut c).map_err(|e| e.into_fault(text))?;
            drop(c);
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
        let offset = start.offset;
        let mut de = XmlDeserializer::new(c, catalogue.tns());
        de.set_current(start, part);
        let value = (message.deserialize)(&mut de).map_err(|e| de_fault(e, text, offset))?;
        finish(de.cursor()).map_err(|e| e.into_fault(text))?;
        drop(de);
        ctx.in_object = Some(value);
        Ok(())
    }

    fn serialize(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let tns = catalogue.tns();
        let mut w = XmlWriter::with_capacity(512);
        w.raw_declaration(DECLARATION);
        w.assign_prefix(tns, "tns");
        if let (MessageKind::Response, Some(fault)) = (kind, ctx.error()) {
            write_plain_fault(&mut w, catalogue, fault);
        } else {
            let selected = ctx
                .method()
                .ok_or_else(|| internal("no method was selected"))?;
            let (service, method) = (selected.service(), selected.method());
            let message = match kind {
                MessageKind::Request => &method.input,
                MessageKind::Response => &method.output,
            };
            let value = ctx.out_object.as_deref().ok_or_else(|| {
                internal(format!("no message to write for `{}`", method.operation))
            })?;
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
        }
        ctx.protocol_data.insert(OutDocument(w.into_bytes()));
        Ok(())
    }

    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        crate::protocol::create_out_string(ctx)
    }

    fn message_content_type(&self, _: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed("text/xml; charset=utf-8")
    }

    fn fault_status(&self, _: &MethodContext, fault: &Fault) -> u16 {
        match fault.code.class() {
            FaultClass::Client => 400,
            _ => 500,
        }
    }
}

/// `<Fault>` in no namespace; texts written lossily (a fault always gets out), a detail that
/// cannot be written left out and logged.
fn write_plain_fault<'n>(w: &mut XmlWriter<'n>, catalogue: &'n Catalogue, fault: &'n Fault) {
    let f = w.open("", "Fault");
    simple(w, "", "faultcode", fault.code.as_str());
    simple(w, "", "faultstring", &fault.string);
    if let Some(actor) = &fault.actor {
        simple(w, "", "faultactor", actor);
    }
    if let Some(detail) = &fault.detail {
        let mark = w.mark();
        let d = w.open("", "detail");
        match write_detail(w, catalogue, detail) {
            Ok(()) => w.end(d, "detail"),
            Err(e) => {
                log::error!(target: crate::LOG_TARGET, "cannot write the detail of fault `{}`: {e}", fault.code);
                w.rollback(mark);
            }
        }
    }
    w.end(f, "Fault");
}
