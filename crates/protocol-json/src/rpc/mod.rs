//! [`JsonRpc`]: JSON-RPC 2.0 as a [`Protocol`], batches included.
//!
//! One request object is one call through the ordinary pipeline stages. A batch (an array
//! of request objects) is split by the transport ([`Protocol::split_batch`]) into one message
//! per element, each run as a call of its own, and the replies joined back into one array
//! ([`Protocol::join_batch`]).

mod bare;
mod error;
mod params;
mod params_writer;
mod reply_error;
mod request;
mod response;
mod result;
mod result_reader;

use std::any::Any;
use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rpclib_core::document::take_slot;
use rpclib_core::model::SerError;
use rpclib_core::{BodyStyle, Catalogue, Fault, FaultCode, MessageKind, MethodContext, Protocol};

pub use error::{
    INTERNAL_ERROR, INTERNAL_FAULT, INVALID_PARAMS, INVALID_REQUEST, INVALID_REQUEST_FAULT,
    METHOD_NOT_FOUND_CODE, PARSE_ERROR, SERVER_ERROR,
};

pub use reply_error::JsonRpcError;
pub use response::INVALID_RESPONSE_FAULT;

use self::error::{code_of, internal};
use self::params::Positional;
use self::params_writer::PositionalWriter;
use self::reply_error::fault_of;
use self::request::{Reply, read_request};
use self::response::{Outcome, invalid_response, read_response};
use self::result::ResultWriter;
use self::result_reader::ResultReader;
use crate::Limits;
use crate::error::{JSON_SYNTAX_ERROR, LIMIT_EXCEEDED, METHOD_NOT_FOUND, de_fault};
use crate::read::{JsonReader, Path, Step};
use crate::value::{DUPLICATE_MARKER, JsonValue, LIMIT_MARKER, parse};
use crate::write::JsonWriter;

/// JSON-RPC 2.0 (<https://www.jsonrpc.org/specification>), server and client side: request
/// objects with named (`{..}`) or positional (`[..]`) params, notifications, batches, and the
/// spec's error objects.
///
/// ```text
/// request       {"jsonrpc": "2.0", "method": "say_hello", "params": {"name": "Dave", "times": 2}, "id": 1}
/// positional    {"jsonrpc": "2.0", "method": "say_hello", "params": ["Dave", 2], "id": "a"}
/// reply         {"jsonrpc":"2.0","result":["Hello, Dave","Hello, Dave"],"id":1}
/// error         {"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params","data":{"faultcode":"Client.ValidationError","faultstring":"..."}},"id":1}
/// ```
///
/// ## Server
///
/// - **Method**: `method` names a method by its operation (request element) name, as
///   [`JsonDocument`](crate::JsonDocument) does.
/// - **Params**: an object is read like a JsonDocument message's parts (members in any
///   order, `$.params.name` in errors); an array gives the parameters in declaration order
///   (`$.params[1]`); no `params` is the same as `{}`. A bare method's parameter is `params`
///   itself when it is an object or an array type; a scalar one (a string, a number, ...),
///   which `params` cannot be, is `{"<part name>": value}` or `[value]`.
/// - **Result**: the method's return value itself; `null` for a method returning nothing;
///   an object of the parts for a method with several out parameters.
/// - **Id**: echoed as read: a string, a number (integers exactly; a number with a fraction
///   or exponent in its shortest form, `1.50` as `1.5`) or `null`.
/// - **Notifications** (no `id` member) run and are never answered, errors included. A
///   request of only notifications answers nothing at all: over HTTP, `204 No Content`
///   without a body (the spec asks for no reply, and 204 says so without a body a client
///   would have to parse).
/// - **Batches** (an array) need a transport that splits them ([`Protocol::split_batch`];
///   the HTTP server does): each element is its own call, answered in order in one array;
///   an invalid element gets its own error object; notifications leave no element; `[]` is
///   one Invalid Request error. A transport that runs one call per message (the queue)
///   answers a batch with Invalid Request.
/// - **Errors**: `-32700` the request is not JSON; `-32600` not a valid request object (a
///   missing or wrong `jsonrpc`, `method` not a string, `params` neither object nor array,
///   an id that is no string, number or null, an unknown member, a member given twice, an
///   empty batch) or beyond the [`Limits`] (size, depth, items, values, string length);
///   `-32601` no such method; `-32602` params that do not read as the parameters or break
///   their constraints (`Client.ValidationError`); `-32603` the server failed (a panicking
///   method, a reply that cannot be written); `-32000` every fault the application returns
///   (its `faultstring` as the message). `data` always holds the fault: `faultcode`,
///   `faultstring` (what is wrong and where), and `faultactor` and `detail` when the
///   fault has them.
/// - **HTTP status**: `200` for every reply, errors included (the error is in the body, as
///   JSON-RPC clients expect); the transport's own refusals keep their status (413 for a
///   body beyond the server's limit, 503 past the request timeout).
///
/// ## Client
///
/// As the protocol of a client application ([`RemoteClient`](rpclib_core::RemoteClient),
/// e.g. over `rpclib-transport-http`'s client), each call is one request object:
///
/// - **Method**: the method's request element name (its operation name unless
///   `in_message` renames it), which the server side looks methods up by.
/// - **Id**: an integer, unique per protocol value (an atomic counter from 1, shared by its
///   clones), so that every call of a client has its own; the reply must carry it back.
/// - **Params**: by name (an object of the parts, [`ParamStyle::Named`], the default: it says
///   which value is which, and every server that reads names, rpclib's included, needs
///   nothing more), or in declaration order ([`ParamStyle::Positional`], set with
///   [`positional_params`](Self::positional_params), for servers that read only arrays);
///   a bare method's single part is written as the server side reads it.
/// - **Result**: read back into the method's return value as the server side writes it
///   (the value; an object of the parts for several out parameters; anything for a method
///   returning nothing).
/// - **Errors**: the `error` object is the typed client's
///   [`ClientError::Fault`](rpclib_core::ClientError::Fault). When its `data` holds a fault
///   (`faultcode`, `faultstring`, ...), as this server writes it, that fault comes back
///   exactly, its `detail` read into a type the method declares (`faults(..)`) when one
///   reads it. Otherwise the code gives the fault's code, the inverse of the server's
///   mapping (`-32700` `Client.JSONSyntaxError`, `-32600` `Client.InvalidRequest`,
///   `-32601` `Client.MethodNotFound`, `-32602` `Client.ValidationError`, `-32603`
///   `Server.InternalError`, any other `Server`) and the message its string. The error
///   object itself (code, message, data) is the fault's source: [`JsonRpcError::of`].
/// - **Invalid replies** are [`ClientError::InvalidReply`](rpclib_core::ClientError::InvalidReply):
///   not JSON (`Client.JSONSyntaxError`), beyond the limits (`Client.LimitExceeded`), or
///   not a response to this call ([`INVALID_RESPONSE_FAULT`]: not an object, no
///   `"jsonrpc": "2.0"`, both or neither of `result` and `error`, no `id` or another call's
///   (an `error` with a `null` id is accepted: the server could not read the request's),
///   an `error` without an integer `code` or a string `message`); a `result` that does not
///   read as the return value is `Client.ValidationError`.
///
/// ```
/// use rpclib_protocol_json::{JsonRpc, ParamStyle};
///
/// let client_side = JsonRpc::new().positional_params();
/// assert_eq!(client_side.param_style(), ParamStyle::Positional);
/// assert_eq!(JsonRpc::new().param_style(), ParamStyle::Named);
/// ```
///
/// Reading is bounded by the same [`Limits`] and reader as JsonDocument, on both sides.
#[derive(Debug, Clone, Default)]
pub struct JsonRpc {
    limits: Limits,
    params: ParamStyle,
    /// The last request id a client of this protocol sent.
    last_id: Arc<AtomicU64>,
}

/// How a client writes a call's `params` ([`JsonRpc::positional_params`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamStyle {
    /// An object of the parts by name: `"params": {"name": "Dave", "times": 2}`.
    #[default]
    Named,
    /// An array of the parts in declaration order: `"params": ["Dave", 2]`.
    Positional,
}

/// The id of the request a client wrote, kept in the call's context for its reply.
struct SentId(u64);

/// What a client read from a reply, between `decompose_incoming_envelope` and
/// `deserialize`.
struct Received(Outcome);

/// The parsed message, between the reading stages.
struct Document(JsonValue);

/// The call's params, between `decompose_incoming_envelope` and `deserialize`.
struct Params(Option<JsonValue>);

/// The JSON text written, between the writing stages.
struct Text(Vec<u8>);

impl JsonRpc {
    /// The protocol with the default [`Limits`].
    pub fn new() -> Self {
        JsonRpc::default()
    }

    /// The protocol with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        JsonRpc {
            limits,
            ..JsonRpc::default()
        }
    }

    /// A client writes `params` as an array, in declaration order ([`ParamStyle::Positional`]);
    /// the server side reads both forms whatever this says.
    pub fn positional_params(mut self) -> Self {
        self.params = ParamStyle::Positional;
        self
    }

    /// How a client writes `params`.
    pub fn param_style(&self) -> ParamStyle {
        self.params
    }

    /// The limits applied to incoming messages (each element of a batch, and the batch).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Reads a message's bytes (in chunks) under the limits.
    fn read(&self, chunks: &[Vec<u8>]) -> Result<JsonValue, Fault> {
        let bytes = self.limits.message_bytes(chunks)?;
        parse(&bytes, &self.limits).map_err(|e| parse_fault(&e))
    }
}

fn take<T: Any>(slot: &mut Option<Box<dyn Any + Send>>, what: &str) -> Result<T, Fault> {
    take_slot(slot).ok_or_else(|| internal(what))
}

/// The fault for a document serde_json could not read (or our limits refused).
fn parse_fault(e: &serde_json::Error) -> Fault {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix(LIMIT_MARKER) {
        Fault::client(LIMIT_EXCEEDED, rest)
    } else if let Some(rest) = text.strip_prefix(DUPLICATE_MARKER) {
        error::invalid_request(rest)
    } else if e.is_eof() {
        Fault::client(JSON_SYNTAX_ERROR, format!("incomplete JSON: {text}"))
    } else {
        Fault::client(JSON_SYNTAX_ERROR, format!("invalid JSON: {text}"))
    }
}

fn ser_fault(e: SerError) -> Fault {
    Fault::new(
        FaultCode::server(INTERNAL_FAULT),
        format!("writing the JSON-RPC reply: {e}"),
    )
    .with_source(e)
}

impl Protocol for JsonRpc {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let doc = self.read(&ctx.in_string).map_err(|fault| {
            // A client's reply (its context holds the request's id) with a member given twice
            // is an invalid response, not a request.
            if ctx.protocol_data.get::<SentId>().is_some()
                && fault.code == FaultCode::client(INVALID_REQUEST_FAULT)
            {
                invalid_response(fault.string)
            } else {
                fault
            }
        })?;
        ctx.in_document = Some(Box::new(Document(doc)));
        Ok(())
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let Document(doc) = take(&mut ctx.in_document, "no JSON document")?;
        if kind == MessageKind::Response {
            let sent = ctx.protocol_data.get::<SentId>().map(|SentId(id)| *id);
            let outcome = read_response(doc, sent)?;
            ctx.in_body_doc = Some(Box::new(Received(outcome)));
            return Ok(());
        }
        let request = match read_request(doc) {
            Ok(request) => request,
            Err(refused) => {
                let (fault, id) = *refused;
                ctx.protocol_data.insert(Reply::To(id));
                return Err(fault);
            }
        };
        // Before the lookup, so that an unknown method's error carries the id (and a
        // notification of one is not answered).
        ctx.protocol_data.insert(request.reply);
        let method = catalogue
            .lookup_method_by_name(&request.method)
            .ok_or_else(|| {
                Fault::client(
                    METHOD_NOT_FOUND,
                    format!("no method is called `{}`", request.method),
                )
            })?;
        ctx.set_method(method);
        ctx.method_request_string = Some(request.method);
        ctx.in_body_doc = Some(Box::new(Params(request.params)));
        Ok(())
    }

    fn deserialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        if kind == MessageKind::Response {
            return read_result(ctx);
        }
        let Params(params) = take(&mut ctx.in_body_doc, "no JSON-RPC params")?;
        let method = ctx
            .descriptor()
            .ok_or_else(|| internal("no method to read"))?;
        let mut params = params.unwrap_or(JsonValue::Object(Vec::new()));
        let located = Cell::new(false);
        let scalar = (method.body_style == BodyStyle::Bare)
            .then(|| bare::scalar_part(&method.input))
            .flatten();
        let object = if let Some(field) = scalar {
            let root = Path::root("params");
            let (mut value, slot) = bare::take_scalar(&mut params, field).map_err(de_fault)?;
            let path = match slot {
                bare::Slot::Named => root.child(Step::Member(field.name)),
                bare::Slot::Positional => root.child(Step::Index(0)),
            };
            let mut reader = JsonReader::new(&mut value, path, &located);
            (method.input.deserialize)(&mut reader).map_err(|e| reader.locate(e))
        } else if matches!(params, JsonValue::Array(_)) {
            let mut reader = Positional::new(&mut params, Path::root("params"), &located);
            (method.input.deserialize)(&mut reader).map_err(|e| reader.locate(e))
        } else {
            let mut reader = JsonReader::new(&mut params, Path::root("params"), &located);
            (method.input.deserialize)(&mut reader).map_err(|e| reader.locate(e))
        }
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
        if kind == MessageKind::Request {
            return self.write_request(ctx);
        }
        let id = match ctx.protocol_data.get::<Reply>() {
            Some(Reply::Nothing) => {
                ctx.out_document = Some(Box::new(Text(Vec::new())));
                return Ok(());
            }
            Some(Reply::To(id)) => id,
            None => &JsonValue::Null,
        };
        let mut w = JsonWriter::new();
        w.begin_object();
        w.member("jsonrpc").map_err(ser_fault)?;
        w.string("2.0").map_err(ser_fault)?;
        if let Some(fault) = ctx.error() {
            w.member("error").map_err(ser_fault)?;
            write_error(&mut w, fault).map_err(ser_fault)?;
        } else {
            let method = ctx
                .descriptor()
                .ok_or_else(|| internal("no method to write"))?;
            let value = ctx
                .out_object
                .as_deref()
                .ok_or_else(|| internal("no result to write"))?;
            w.member("result").map_err(ser_fault)?;
            match method.body_style {
                BodyStyle::Bare => (method.output.serialize)(value, &mut w),
                _ => (method.output.serialize)(value, &mut ResultWriter::new(&mut w)),
            }
            .map_err(ser_fault)?;
        }
        w.member("id").map_err(ser_fault)?;
        w.value(id).map_err(ser_fault)?;
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

    fn fault_status(&self, _: &MethodContext, _: &Fault) -> u16 {
        200
    }

    fn split_batch(&self, message: &[u8]) -> Option<Vec<Vec<u8>>> {
        // Anything but a non-empty array is one call, whose reading reports any problem; a
        // request object is told apart by its first byte, so it is parsed only once.
        let first = message.iter().find(|b| !b.is_ascii_whitespace())?;
        if *first != b'[' || message.len() > self.limits.max_input_bytes {
            return None;
        }
        let JsonValue::Array(items) = parse(message, &self.limits).ok()? else {
            return None;
        };
        if items.is_empty() {
            return None;
        }
        let mut messages = Vec::with_capacity(items.len());
        for item in &items {
            let mut w = JsonWriter::new();
            w.value(item).ok()?;
            messages.push(w.into_bytes());
        }
        Some(messages)
    }

    fn join_batch(&self, replies: Vec<Vec<u8>>) -> Vec<u8> {
        let size: usize = replies.iter().map(|r| r.len() + 1).sum();
        let mut out = Vec::with_capacity(size + 1);
        for reply in replies.into_iter().filter(|r| !r.is_empty()) {
            out.push(if out.is_empty() { b'[' } else { b',' });
            out.extend_from_slice(&reply);
        }
        if !out.is_empty() {
            out.push(b']');
        }
        out
    }
}

impl JsonRpc {
    /// Writes a client's call: `{"jsonrpc":"2.0","method":..,"params":..,"id":N}` with the
    /// next id, which the context keeps for the reply.
    fn write_request(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let method = ctx
            .descriptor()
            .ok_or_else(|| internal("no method to call"))?;
        let args = ctx
            .out_object
            .as_deref()
            .ok_or_else(|| internal("no params to write"))?;
        // Relaxed: the counter only has to hand out distinct values.
        let id = self.last_id.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        let mut w = JsonWriter::new();
        w.begin_object();
        w.member("jsonrpc").map_err(ser_fault)?;
        w.string("2.0").map_err(ser_fault)?;
        w.member("method").map_err(ser_fault)?;
        // What the server side looks methods up by: the request element's name.
        w.string(method.input.name).map_err(ser_fault)?;
        w.member("params").map_err(ser_fault)?;
        let scalar = (method.body_style == BodyStyle::Bare)
            .then(|| bare::scalar_part(&method.input))
            .flatten();
        match (self.params, method.body_style, scalar) {
            (ParamStyle::Named, _, Some(field)) => {
                w.begin_object();
                w.member(field.name).map_err(ser_fault)?;
                (method.input.serialize)(args, &mut w).map_err(ser_fault)?;
                w.end_object()
            }
            (ParamStyle::Positional, _, Some(_)) => {
                w.begin_array();
                w.item();
                (method.input.serialize)(args, &mut w).map_err(ser_fault)?;
                w.end_array()
            }
            (ParamStyle::Positional, BodyStyle::Wrapped, None) => {
                (method.input.serialize)(args, &mut PositionalWriter::new(&mut w))
            }
            _ => (method.input.serialize)(args, &mut w),
        }
        .map_err(ser_fault)?;
        w.member("id").map_err(ser_fault)?;
        w.raw(itoa::Buffer::new().format(id));
        w.end_object().map_err(ser_fault)?;
        ctx.protocol_data.insert(SentId(id));
        ctx.out_document = Some(Box::new(Text(w.into_bytes())));
        Ok(())
    }
}

/// Reads a client's reply: the `result` into `ctx.in_object`, or the `error` into
/// `ctx.in_error`.
fn read_result(ctx: &mut MethodContext) -> Result<(), Fault> {
    let Received(outcome) = take(&mut ctx.in_body_doc, "no JSON-RPC reply read")?;
    let method = ctx
        .descriptor()
        .ok_or_else(|| internal("no method to read"))?;
    let mut result = match outcome {
        Outcome::Error(error) => {
            ctx.in_error = Some(fault_of(&error, Some(method))?);
            return Ok(());
        }
        Outcome::Result(result) => result,
    };
    let located = Cell::new(false);
    let object = match method.body_style {
        BodyStyle::Bare => {
            let mut reader = JsonReader::new(&mut result, Path::root("result"), &located);
            (method.output.deserialize)(&mut reader).map_err(|e| reader.locate(e))
        }
        _ => {
            let mut reader = ResultReader::new(&mut result, Path::root("result"), &located);
            (method.output.deserialize)(&mut reader).map_err(|e| reader.locate(e))
        }
    }
    .map_err(de_fault)?;
    ctx.in_object = Some(object);
    Ok(())
}

/// Writes the `error` object of a fault.
fn write_error(w: &mut JsonWriter, fault: &Fault) -> Result<(), SerError> {
    let (code, message) = code_of(fault);
    w.begin_object();
    w.member("code")?;
    w.raw(&code.to_string());
    w.member("message")?;
    w.string(message)?;
    w.member("data")?;
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
    w.end_object()?;
    w.end_object()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_only_non_empty_arrays() {
        let rpc = JsonRpc::new();
        for one in [&b"{}"[..], b"[]", b"  [ ] ", b"[1,", b"", b"1", b"\"[\""] {
            assert_eq!(
                rpc.split_batch(one),
                None,
                "{}",
                String::from_utf8_lossy(one)
            );
        }
        let parts = rpc
            .split_batch(b" [1, {\"a\" : [true,null]}, \"x\"] ")
            .unwrap();
        assert_eq!(parts, [&b"1"[..], b"{\"a\":[true,null]}", b"\"x\""]);
        // Over the limits: one call, whose reading reports the limit.
        let small = JsonRpc::with_limits(Limits::default().max_items(2));
        assert_eq!(small.split_batch(b"[1,2,3]"), None);
        let tiny = JsonRpc::with_limits(Limits::default().max_input_bytes(4));
        assert_eq!(tiny.split_batch(b"[1,2]"), None);
    }

    #[test]
    fn join_skips_empty_replies() {
        let rpc = JsonRpc::new();
        assert_eq!(rpc.join_batch(vec![]), b"");
        assert_eq!(rpc.join_batch(vec![vec![], vec![]]), b"");
        assert_eq!(
            rpc.join_batch(vec![b"{\"a\":1}".to_vec(), vec![], b"{\"b\":2}".to_vec()]),
            b"[{\"a\":1},{\"b\":2}]"
        );
        assert_eq!(rpc.join_batch(vec![vec![], b"1".to_vec()]), b"[1]");
    }

    #[test]
    fn notifications_and_ids() {
        let doc = |text: &str| parse(text.as_bytes(), &Limits::default()).unwrap();
        let r = read_request(doc(r#"{"jsonrpc":"2.0","method":"m"}"#)).unwrap();
        assert_eq!(r.reply, Reply::Nothing);
        assert!(r.params.is_none());
        let r = read_request(doc(
            r#"{"id":null,"jsonrpc":"2.0","method":"m","params":[]}"#,
        ))
        .unwrap();
        assert_eq!(r.reply, Reply::To(JsonValue::Null));
        let (_, id) = *read_request(doc(r#"{"jsonrpc":"2.0","method":1,"id":"k"}"#)).unwrap_err();
        assert_eq!(id, JsonValue::String("k".into()));
        let (_, id) = *read_request(doc(r#"{"jsonrpc":"2.0","method":"m","id":[]}"#)).unwrap_err();
        assert_eq!(id, JsonValue::Null);
    }
}
