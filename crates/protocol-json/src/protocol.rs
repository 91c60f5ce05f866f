//! [`JsonDocument`]: the [`Protocol`] implementation, stage by stage.

use std::any::Any;
use std::borrow::Cow;
use std::cell::Cell;

use rpclib_core::document::take_slot;
use rpclib_core::model::{DeError, SerError};
use rpclib_core::{
    Catalogue, Fault, FaultCode, MessageKind, MethodContext, MethodDescriptor, Protocol,
};

use crate::Limits;
use crate::detail::typed_detail;
use crate::error::{
    INVALID_MESSAGE, JSON_SYNTAX_ERROR, LIMIT_EXCEEDED, METHOD_NOT_FOUND, de_fault, internal,
    status,
};
use crate::read::{JsonReader, Path};
use crate::stream::{Message, read_message};
use crate::value::{DUPLICATE_MARKER, JsonValue, LIMIT_MARKER, parse};
use crate::write::JsonWriter;

/// The member name of a fault message.
const FAULT: &str = "Fault";

/// The JSON document protocol (Spyne's `JsonDocument`): a message is an object with one
/// member, named after the request or response element, holding the parts.
///
/// Request `{"say_hello": {"name": "Dave", "times": 2}}`, reply
/// `{"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}}`, fault
/// `{"Fault": {"faultcode": "Client.ValidationError", "faultstring": "..."}}` (with
/// `"faultactor"` and `"detail"` when the fault has them). Use it as the in- and
/// out-protocol of a server application, or of a client application with
/// [`RemoteClient`](rpclib_core::RemoteClient). Messages are `application/json`; a `Client`
/// fault is answered with HTTP status 400 (413 for a message beyond the size limit), any
/// other with 500. See the [crate documentation](crate) for how each model type is written.
///
/// ```
/// use rpclib_protocol_json::{JsonDocument, Limits};
///
/// let json = JsonDocument::new();
/// assert_eq!(json.limits(), &Limits::default());
/// ```
#[derive(Debug, Clone, Default)]
pub struct JsonDocument {
    limits: Limits,
}

/// A request's message as read by `decompose_incoming_envelope`, or the problem found
/// reading it (a `ValidationError` once the rest of the document proved sound).
struct Read(Result<Box<dyn Any + Send>, DeError>);

/// A response's single member: its name and value.
struct Body {
    name: String,
    value: JsonValue,
}

/// The JSON text written, between the writing stages.
struct Text(Vec<u8>);

impl JsonDocument {
    /// The protocol with the default [`Limits`].
    pub fn new() -> Self {
        JsonDocument::default()
    }

    /// The protocol with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        JsonDocument { limits }
    }

    /// The limits applied to incoming messages.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

fn take<T: Any>(slot: &mut Option<Box<dyn Any + Send>>, what: &str) -> Result<T, Fault> {
    take_slot(slot).ok_or_else(|| internal(what))
}

/// The fault for a document serde_json could not read (or our limits refused).
pub(crate) fn parse_fault(e: &serde_json::Error) -> Fault {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix(LIMIT_MARKER) {
        Fault::client(LIMIT_EXCEEDED, rest)
    } else if let Some(rest) = text.strip_prefix(DUPLICATE_MARKER) {
        Fault::client("ValidationError", rest)
    } else if e.is_eof() {
        Fault::client(JSON_SYNTAX_ERROR, format!("incomplete JSON: {text}"))
    } else {
        Fault::client(JSON_SYNTAX_ERROR, format!("invalid JSON: {text}"))
    }
}

fn ser_fault(e: SerError) -> Fault {
    Fault::server(format!("writing the JSON message: {e}")).with_source(e)
}

/// Reads a fault message's object into a [`Fault`] (a client reading a response), its
/// `detail` into the type `method` declares for it when one reads it.
fn read_fault(value: &JsonValue, method: Option<&MethodDescriptor>) -> Result<Fault, Fault> {
    let JsonValue::Object(members) = value else {
        return Err(Fault::client(INVALID_MESSAGE, "`Fault` is not an object"));
    };
    let text = |name: &str| {
        members.iter().find_map(|(n, v)| match v {
            JsonValue::String(s) if n == name => Some(s.clone()),
            _ => None,
        })
    };
    let code = text("faultcode")
        .ok_or_else(|| Fault::client(INVALID_MESSAGE, "`Fault` has no string `faultcode`"))?;
    let mut fault = Fault::new(
        FaultCode::new(code),
        text("faultstring").unwrap_or_default(),
    );
    fault.actor = text("faultactor");
    fault.detail = members
        .iter()
        .find(|(n, _)| n == "detail")
        .and_then(|(_, detail)| typed_detail(method, detail));
    Ok(fault)
}

impl JsonDocument {
    /// Reads a request in one pass: the method from the first member's name, its message
    /// from the value (see [`read_message`]).
    fn read_request(&self, catalogue: &Catalogue, ctx: &mut MethodContext) -> Result<(), Fault> {
        let bytes = self.limits.message_bytes(&ctx.in_string)?;
        let message = read_message(&bytes, &self.limits, catalogue).map_err(|e| parse_fault(&e))?;
        drop(bytes);
        let (count, first) = match message {
            Message::NotObject(found) => {
                return Err(Fault::client(
                    INVALID_MESSAGE,
                    format!(
                        "expected an object with one member naming the method, found {}",
                        found.kind()
                    ),
                ));
            }
            Message::Object { members, first } => (members, first),
        };
        let Some(first) = first.filter(|_| count == 1) else {
            return Err(one_member(count));
        };
        let (Some(method), Some(read)) = (first.method, first.read) else {
            return Err(Fault::client(
                METHOD_NOT_FOUND,
                format!("no method is called by a `{}` message", first.name),
            ));
        };
        ctx.set_method(method);
        ctx.method_request_string = Some(first.name);
        ctx.in_body_doc = Some(Box::new(Read(read)));
        Ok(())
    }

    /// Parses a response (a client's) into a tree and checks its single member's name.
    fn read_response(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let bytes = self.limits.message_bytes(&ctx.in_string)?;
        let doc = parse(&bytes, &self.limits).map_err(|e| parse_fault(&e))?;
        drop(bytes);
        let found = doc.kind();
        let JsonValue::Object(members) = doc else {
            return Err(Fault::client(
                INVALID_MESSAGE,
                format!("expected an object with one member naming the method, found {found}"),
            ));
        };
        let count = members.len();
        let Some((name, value)) = members.into_iter().next().filter(|_| count == 1) else {
            return Err(one_member(count));
        };
        let expected = ctx.descriptor().map(|m| m.output.name);
        if name != FAULT && expected.is_some_and(|e| e != name) {
            return Err(Fault::client(
                INVALID_MESSAGE,
                format!(
                    "expected a `{}` or `Fault` message, found `{name}`",
                    expected.unwrap_or_default()
                ),
            ));
        }
        ctx.method_request_string = Some(name.clone());
        ctx.in_body_doc = Some(Box::new(Body { name, value }));
        Ok(())
    }
}

/// The fault of a message object without exactly one member.
fn one_member(count: usize) -> Fault {
    Fault::client(
        INVALID_MESSAGE,
        format!("expected an object with one member naming the method, found {count} members"),
    )
}

impl Protocol for JsonDocument {
    /// Checks the size only: a request is read in one pass by `decompose_incoming_envelope`,
    /// straight into the method's message (the method is known from the first member, before
    /// its value), and a response there as a tree.
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        self.limits.message_bytes(&ctx.in_string)?;
        Ok(())
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        match kind {
            MessageKind::Request => self.read_request(catalogue, ctx),
            MessageKind::Response => self.read_response(ctx),
        }
    }

    fn deserialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        if kind == MessageKind::Request {
            let Read(object) = take(&mut ctx.in_body_doc, "no JSON message read")?;
            ctx.in_object = Some(object.map_err(de_fault)?);
            return Ok(());
        }
        let mut body: Body = take(&mut ctx.in_body_doc, "no JSON message body")?;
        if body.name == FAULT {
            ctx.in_error = Some(read_fault(&body.value, ctx.descriptor())?);
            return Ok(());
        }
        let method = ctx
            .descriptor()
            .ok_or_else(|| internal("no method to read"))?;
        let message = &method.output;
        let located = Cell::new(false);
        let mut reader = JsonReader::new(&mut body.value, Path::root(&body.name), &located);
        let object = (message.deserialize)(&mut reader)
            .map_err(|e| reader.locate(e))
            .map_err(de_fault)?;
        ctx.in_object = Some(object);
        Ok(())
    }

    fn serialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let mut w = JsonWriter::new();
        w.begin_object();
        if let (Some(fault), MessageKind::Response) = (ctx.error(), kind) {
            w.member(FAULT).map_err(ser_fault)?;
            write_fault(&mut w, fault).map_err(ser_fault)?;
        } else {
            let method = ctx
                .descriptor()
                .ok_or_else(|| internal("no method to write"))?;
            let message = match kind {
                MessageKind::Request => &method.input,
                MessageKind::Response => &method.output,
            };
            let value = ctx
                .out_object
                .as_deref()
                .ok_or_else(|| internal("no message to write"))?;
            w.member(message.name).map_err(ser_fault)?;
            (message.serialize)(value, &mut w).map_err(ser_fault)?;
        }
        w.end_object().map_err(ser_fault)?;
        ctx.out_document = Some(Box::new(Text(w.into_bytes())));
        Ok(())
    }

    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let Text(bytes) = take(&mut ctx.out_document, "no JSON text written")?;
        ctx.out_string = vec![bytes];
        Ok(())
    }

    fn message_content_type(&self, _: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed("application/json")
    }

    fn fault_status(&self, _: &MethodContext, fault: &Fault) -> u16 {
        status(fault)
    }
}

/// Writes the object of a fault message.
fn write_fault(w: &mut JsonWriter, fault: &Fault) -> Result<(), SerError> {
    w.begin_object();
    w.member("faultcode")?;
    w.string(fault.code.as_str())?;
    w.member("faultstring")?;
    w.string(&fault.string)?;
    if let Some(actor) = &fault.actor {
        w.member("faultactor")?;
        w.string(actor)?;
    }
    if let Some(detail) = &fault.detail {
        w.member("detail")?;
        detail.value().serialize_value(w)?;
    }
    w.end_object()
}
