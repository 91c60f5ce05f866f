//! The [`Protocol`] extension trait: bytes to values and back.

use std::borrow::Cow;
use std::fmt;

use crate::catalogue::Catalogue;
use crate::context::MethodContext;
use crate::fault::Fault;

/// Subcode of the `Client` fault for a request whose transport method the endpoint does not
/// accept for it (a `GET` for a method that is not [`safe`](crate::MethodDescriptor::safe)):
/// HTTP answers it with `405 Method Not Allowed` and `Allow: POST`.
pub const REQUEST_NOT_ALLOWED: &str = "RequestNotAllowed";

/// Which message of an exchange a protocol step handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// The call: read by servers, written by clients.
    Request,
    /// The reply (a result or a fault): written by servers, read by clients.
    Response,
}

/// A wire format: turns incoming bytes into the method and its arguments, and results or
/// faults into outgoing bytes (rpclib's `ProtocolBase`).
///
/// The five stages run in the pipeline's order. Reading: [`create_in_document`] parses
/// `ctx.in_string` into the protocol's document, [`decompose_incoming_envelope`] finds the
/// header and body parts and the method (for a request: with
/// [`Catalogue::lookup_method`], then [`MethodContext::set_method`]), [`deserialize`] reads
/// the message into `ctx.in_object` (and header blocks into `ctx.in_headers`) through the
/// method's [`MessageDescriptor`](crate::MessageDescriptor). Writing: [`serialize`] turns
/// `ctx.out_object` or the context's fault into the protocol's document, and
/// [`create_out_string`] produces `ctx.out_string`. A failure is returned as a [`Fault`]
/// (the application stores it in the context); a protocol never panics on input.
///
/// The stages that deal with methods and names get the application's [`Catalogue`] (its
/// namespaces, services and method index) beside the context; a protocol sees nothing else of
/// the application.
///
/// Clients run the same stages with [`MessageKind::Request`] for writing and
/// [`MessageKind::Response`] for reading.
///
/// The media type and the transport status are asked per message
/// ([`message_content_type`], [`fault_status`]), after the writing stages, with the message's
/// context: a protocol that speaks several formats on one endpoint (SOAP 1.1 and 1.2, told
/// apart by the envelope) records in the context which one a request came in
/// (`ctx.protocol_data`) and answers in it.
///
/// ```
/// use std::borrow::Cow;
///
/// use rpclib_core::{Catalogue, Fault, MessageKind, MethodContext, Protocol};
///
/// /// Answers every request with an empty body (a sketch: a real protocol parses and
/// /// dispatches in the reading stages).
/// #[derive(Debug)]
/// struct Silent;
///
/// impl Protocol for Silent {
///     fn create_in_document(&self, _ctx: &mut MethodContext) -> Result<(), Fault> {
///         Ok(())
///     }
///     fn decompose_incoming_envelope(
///         &self,
///         _: &Catalogue,
///         _ctx: &mut MethodContext,
///         _: MessageKind,
///     ) -> Result<(), Fault> {
///         Err(Fault::client("UnknownMethod", "this protocol understands no request"))
///     }
///     fn deserialize(&self, _: &Catalogue, _: &mut MethodContext, _: MessageKind) -> Result<(), Fault> {
///         Ok(())
///     }
///     fn serialize(&self, _: &Catalogue, _: &mut MethodContext, _: MessageKind) -> Result<(), Fault> {
///         Ok(())
///     }
///     fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
///         ctx.out_string = vec![Vec::new()];
///         Ok(())
///     }
///     fn message_content_type(&self, _ctx: &MethodContext) -> Cow<'_, str> {
///         Cow::Borrowed("application/octet-stream")
///     }
/// }
/// ```
///
/// [`create_in_document`]: Protocol::create_in_document
/// [`decompose_incoming_envelope`]: Protocol::decompose_incoming_envelope
/// [`deserialize`]: Protocol::deserialize
/// [`serialize`]: Protocol::serialize
/// [`create_out_string`]: Protocol::create_out_string
/// [`message_content_type`]: Protocol::message_content_type
/// [`fault_status`]: Protocol::fault_status
pub trait Protocol: Send + Sync + fmt::Debug + 'static {
    /// Parses `ctx.in_string` into the protocol's document (`ctx.in_document`).
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault>;

    /// Splits the document into header and body parts and identifies the method.
    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault>;

    /// Reads the message into `ctx.in_object` and header blocks into `ctx.in_headers` (for a
    /// response: the result into `ctx.in_object`, or the fault into `ctx.in_error`).
    fn deserialize(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault>;

    /// Writes `ctx.out_object` (or, for a response, the context's fault) into
    /// `ctx.out_document`.
    fn serialize(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault>;

    /// Produces the outgoing bytes in `ctx.out_string`.
    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault>;

    /// The media type of the message just written in `ctx` (a server's response or a
    /// client's request, after `create_out_string`): what a transport sends as its content
    /// type, e.g. `text/xml; charset=utf-8`. A protocol serving several formats on one
    /// endpoint answers each message in its own.
    fn message_content_type(&self, ctx: &MethodContext) -> Cow<'_, str>;

    /// The transport status (HTTP status code) for `fault`, written as the response of `ctx`;
    /// 500 unless a protocol says otherwise.
    fn fault_status(&self, ctx: &MethodContext, fault: &Fault) -> u16 {
        let _ = (ctx, fault);
        500
    }

    /// Whether requests may arrive without a body, their call in the request line (the
    /// method in the path, the arguments in the query string): HttpRpc says yes. A transport
    /// with request methods (HTTP) runs a `GET` through the pipeline only when the
    /// in-protocol says yes (otherwise `GET` serves the interface document or is refused);
    /// the protocol then accepts it only for methods marked
    /// [`safe`](crate::MethodDescriptor::safe), refusing the others with a
    /// [`REQUEST_NOT_ALLOWED`] fault. The default is `false`: calls are `POST`ed.
    fn accepts_get(&self) -> bool {
        false
    }

    /// Batches: whether the request `message` (the bytes a transport received) carries
    /// several calls, and if so each call's own message, in order (a JSON-RPC 2.0 batch
    /// array). A transport that supports
    /// batches asks this of the in-protocol before running the pipeline, runs each message as
    /// a call of its own (its own context, from `get_in_object` to `get_out_string`), and
    /// gives the written replies to the out-protocol's [`join_batch`](Self::join_batch).
    ///
    /// `None` (the default, and the answer for anything the protocol cannot read as a batch):
    /// the request is one call, and reading it reports any problem. Must cost no more than
    /// reading the request once, under the protocol's limits.
    fn split_batch(&self, message: &[u8]) -> Option<Vec<Vec<u8>>> {
        let _ = message;
        None
    }

    /// Joins the replies of a batch's calls ([`split_batch`](Self::split_batch)), in order,
    /// into one message; a reply may be empty (a call that answers nothing, such as a
    /// JSON-RPC notification). An empty result means the request answers nothing at all.
    /// The default concatenates the replies; a protocol that splits overrides it.
    fn join_batch(&self, replies: Vec<Vec<u8>>) -> Vec<u8> {
        replies.concat()
    }
}
