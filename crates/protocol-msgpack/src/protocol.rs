//! [`MsgPack`]: the [`Protocol`] implementation, stage by stage.

use std::any::Any;
use std::borrow::Cow;
use std::cell::Cell;

use rpclib_core::document::take_slot;
use rpclib_core::model::SerError;
use rpclib_core::{Catalogue, Fault, FaultCode, MessageKind, MethodContext, Protocol};

use crate::Limits;
use crate::decode::{DecodeError, decode};
use crate::error::{
    INVALID_MESSAGE, LIMIT_EXCEEDED, METHOD_NOT_FOUND, MSGPACK_SYNTAX_ERROR, de_fault, internal,
    status,
};
use crate::path::Path;
use crate::read::MsgReader;
use crate::value::MsgValue;
use crate::write::MsgWriter;

/// The map key of a fault message.
const FAULT: &str = "Fault";

/// The content type of MessagePack messages.
pub const CONTENT_TYPE: &str = "application/msgpack";

/// The MessagePack document protocol: a message is a map with one entry, keyed by the
/// request or response element's name, holding the parts as a map (the shape of Spyne's
/// `JsonDocument`, and of [`rpclib_protocol_json`'s](https://docs.rs/rpclib-protocol-json)).
///
/// Request `{"say_hello": {"name": "Dave", "times": 2}}`, reply
/// `{"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}}`, fault
/// `{"Fault": {"faultcode": "Client.ValidationError", "faultstring": "..."}}` (with
/// `"faultactor"` and `"detail"` when the fault has them), all in MessagePack. Use it as
/// the protocol of a server application, or of a client application with
/// [`RemoteClient`](rpclib_core::RemoteClient). Messages are [`CONTENT_TYPE`]
/// (`application/msgpack`); a `Client` fault is answered with HTTP status 400 (413 for a
/// message beyond the size limit), any other with 500. See the [crate documentation](crate)
/// for how each model type is written.
///
/// ```
/// use rpclib_protocol_msgpack::{Limits, MsgPack};
///
/// let msgpack = MsgPack::new();
/// assert_eq!(msgpack.limits(), &Limits::default());
/// ```
#[derive(Debug, Clone, Default)]
pub struct MsgPack {
    limits: Limits,
}

/// The decoded message, between the reading stages.
struct Document(MsgValue);

/// The message's single entry: its key and value.
struct Body {
    name: String,
    value: MsgValue,
}

/// The bytes written, between the writing stages.
struct Bytes(Vec<u8>);

impl MsgPack {
    /// The protocol with the default [`Limits`].
    pub fn new() -> Self {
        MsgPack::default()
    }

    /// The protocol with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        MsgPack { limits }
    }

    /// The limits applied to incoming messages.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

fn take<T: Any>(slot: &mut Option<Box<dyn Any + Send>>, what: &str) -> Result<T, Fault> {
    take_slot(slot).ok_or_else(|| internal(what))
}

fn decode_fault(e: DecodeError) -> Fault {
    match e {
        DecodeError::Syntax(m) => Fault::client(MSGPACK_SYNTAX_ERROR, m),
        DecodeError::Limit(m) => Fault::client(LIMIT_EXCEEDED, m),
        DecodeError::Duplicate(m) => Fault::client("ValidationError", m),
    }
}

fn ser_fault(e: SerError) -> Fault {
    Fault::server(format!("writing the MessagePack message: {e}")).with_source(e)
}

/// Reads a fault message's map into a [`Fault`] (a client reading a response).
fn read_fault(value: &MsgValue) -> Result<Fault, Fault> {
    let MsgValue::Map(entries) = value else {
        return Err(Fault::client(INVALID_MESSAGE, "`Fault` is not a map"));
    };
    let text = |name: &str| {
        entries.iter().find_map(|(n, v)| match v {
            MsgValue::Str(s) if n == name => Some(s.clone()),
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
    Ok(fault)
}

impl Protocol for MsgPack {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let bytes = self.limits.message_bytes(&ctx.in_string)?;
        let doc = decode(&bytes, &self.limits).map_err(decode_fault)?;
        ctx.in_document = Some(Box::new(Document(doc)));
        Ok(())
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let Document(doc) = take(&mut ctx.in_document, "no MessagePack document")?;
        let found = doc.kind();
        let MsgValue::Map(entries) = doc else {
            return Err(Fault::client(
                INVALID_MESSAGE,
                format!("expected a map with one entry naming the method, found {found}"),
            ));
        };
        let count = entries.len();
        let Some((name, value)) = entries.into_iter().next().filter(|_| count == 1) else {
            return Err(Fault::client(
                INVALID_MESSAGE,
                format!("expected a map with one entry naming the method, found {count} entries"),
            ));
        };
        match kind {
            MessageKind::Request => {
                // Keys carry no namespace.
                let method = catalogue.lookup_method_by_name(&name).ok_or_else(|| {
                    Fault::client(
                        METHOD_NOT_FOUND,
                        format!("no method is called by a `{name}` message"),
                    )
                })?;
                ctx.set_method(method);
            }
            MessageKind::Response => {
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
            }
        }
        ctx.method_request_string = Some(name.clone());
        ctx.in_body_doc = Some(Box::new(Body { name, value }));
        Ok(())
    }

    fn deserialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let body: Body = take(&mut ctx.in_body_doc, "no MessagePack message body")?;
        if kind == MessageKind::Response && body.name == FAULT {
            ctx.in_error = Some(read_fault(&body.value)?);
            return Ok(());
        }
        let method = ctx
            .descriptor()
            .ok_or_else(|| internal("no method to read"))?;
        let message = match kind {
            MessageKind::Request => &method.input,
            MessageKind::Response => &method.output,
        };
        let located = Cell::new(false);
        let mut reader = MsgReader::new(&body.value, Path::root(&body.name), &located);
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
        let mut w = MsgWriter::new();
        w.begin_map(1).map_err(ser_fault)?;
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
        w.end().map_err(ser_fault)?;
        let bytes = w.into_bytes().map_err(ser_fault)?;
        ctx.out_document = Some(Box::new(Bytes(bytes)));
        Ok(())
    }

    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let Bytes(bytes) = take(&mut ctx.out_document, "no MessagePack written")?;
        ctx.out_string = vec![bytes];
        Ok(())
    }

    fn message_content_type(&self, _: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed(CONTENT_TYPE)
    }

    fn fault_status(&self, _: &MethodContext, fault: &Fault) -> u16 {
        status(fault)
    }
}

/// Writes the map of a fault message.
fn write_fault(w: &mut MsgWriter, fault: &Fault) -> Result<(), SerError> {
    let entries = 2 + usize::from(fault.actor.is_some()) + usize::from(fault.detail.is_some());
    w.begin_map(entries)?;
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
    w.end()
}
