//! [`MethodContext`]: everything one request touches.

use std::any::Any;
use std::fmt;
use std::time::Instant;

use crate::fault::Fault;
use crate::raw_header::RawHeader;
use crate::request_meta::RequestMeta;
use crate::service::{MethodDescriptor, MethodRef, ServiceDescriptor};
use crate::type_map::TypeMap;

/// The largest message buffer (by capacity) that a context keeps for
/// [`MethodContext::reusable_in_buffer`] and [`MethodContext::reusable_out_buffer`]: larger
/// ones are freed, so that a context kept between requests (one per thread of a transport
/// that reuses them) pins at most this much for each side however large one message was (the
/// bench's W3 messages, 25 KB, fit).
const KEPT_BUFFER_BYTES: usize = 64 * 1024;

/// Keeps `buffer`, emptied, in `spare`, unless it is larger than [`KEPT_BUFFER_BYTES`].
fn keep(spare: &mut Option<Vec<u8>>, mut buffer: Vec<u8>) {
    if buffer.capacity() <= KEPT_BUFFER_BYTES {
        buffer.clear();
        *spare = Some(buffer);
    }
}

/// Everything one request touches, from the incoming bytes to the outgoing ones.
///
/// A transport gets one from [`Application::new_context`](crate::Application::new_context)
/// (inside a [`ContextCloseGuard`](crate::ContextCloseGuard), which ends the request exactly
/// once however it ends), fills [`in_string`] and its own [`transport`](Self::transport) part,
/// and runs the pipeline: [`get_in_object`](crate::Application::get_in_object),
/// [`get_out_object`](crate::Application::get_out_object),
/// [`get_out_string`](crate::Application::get_out_string); then it sends [`out_string`].
/// The slots in between are public so that protocols, transports, event listeners and call
/// wrappers can read and write them; each says which stage fills it.
///
/// The context is plain data: it does not know the application that serves it (protocols
/// get the application's [`Catalogue`](crate::Catalogue) beside it), and dropping it fires
/// nothing.
///
/// [`in_string`]: Self::in_string
/// [`out_string`]: Self::out_string
pub struct MethodContext {
    /// The method being called, with its service: set by the in-protocol's
    /// `decompose_incoming_envelope` (server) or by the client before serializing.
    method: Option<MethodRef>,
    transport: Option<Box<dyn Any + Send>>,
    /// The transport part's box after [`reset`](Self::reset), for
    /// [`set_transport`](Self::set_transport) to overwrite rather than allocate anew (it still
    /// holds the previous request's part until then; nothing reads it).
    spare_transport: Option<Box<dyn Any + Send>>,
    /// [`in_content_type`](Self::in_content_type)'s string after [`reset`](Self::reset), for
    /// [`set_request`](Self::set_request) to refill rather than allocate anew.
    spare_content_type: Option<String>,
    /// [`method_request_string`](Self::method_request_string) after [`reset`](Self::reset),
    /// for [`reusable_method_request_string`](Self::reusable_method_request_string).
    spare_method_request_string: Option<String>,
    /// The first chunk of [`in_string`](Self::in_string) after [`reset`](Self::reset)
    /// (emptied, if not larger than `KEPT_BUFFER_BYTES`), for
    /// [`reusable_in_buffer`](Self::reusable_in_buffer).
    spare_in_buffer: Option<Vec<u8>>,
    /// A buffer for the next reply's bytes, for
    /// [`reusable_out_buffer`](Self::reusable_out_buffer): kept by [`reset`](Self::reset)
    /// from [`out_string`](Self::out_string), or handed back by the transport
    /// ([`keep_out_buffer`](Self::keep_out_buffer)).
    spare_out_buffer: Option<Vec<u8>>,
    /// `{namespace}name` of the request's body element, as received.
    pub method_request_string: Option<String>,
    /// The incoming bytes, as chunks (set by the transport: a transport that reuses contexts
    /// fills [`reusable_in_buffer`](Self::reusable_in_buffer) for them). A protocol may take
    /// them while it reads the message; one that takes a chunk whole gives it back once the
    /// message is read, so that [`reset`](Self::reset) can keep its buffer.
    pub in_string: Vec<Vec<u8>>,
    /// The media type the transport received the message with (HTTP `Content-Type`), if it
    /// has one. Protocols may take it as a hint (a SOAP endpoint serving both versions picks
    /// the version of a fault for an unreadable request from it), never as the truth.
    pub in_content_type: Option<String>,
    /// The request's method, path, query string and headers, in transport-neutral form
    /// (set by a server transport that has them, e.g. HTTP, before the in-protocol runs;
    /// `None` otherwise). When set, its `Content-Type` header is also in
    /// [`in_content_type`](Self::in_content_type).
    pub request: Option<RequestMeta>,
    /// The in-protocol's parsed document (`create_in_document`).
    pub in_document: Option<Box<dyn Any + Send>>,
    /// The in-protocol's header part (`decompose_incoming_envelope`).
    pub in_header_doc: Option<Box<dyn Any + Send>>,
    /// The in-protocol's body part (`decompose_incoming_envelope`).
    pub in_body_doc: Option<Box<dyn Any + Send>>,
    /// Header blocks read from the request, one value per declared header type
    /// (`deserialize`); read them with [`in_header`](Self::in_header). A protocol with header
    /// blocks also puts each block there as a [`RawHeader`], declared or not; read those with
    /// [`raw_in_headers`](Self::raw_in_headers).
    pub in_headers: Vec<Box<dyn Any + Send>>,
    /// The request message (`deserialize`): the generated struct of the method's parameters.
    pub in_object: Option<Box<dyn Any + Send>>,
    /// What went wrong reading the request.
    pub in_error: Option<Fault>,
    /// The response message (`get_out_object`).
    pub out_object: Option<Box<dyn Any + Send>>,
    /// The fault the method (or a call wrapper, or validation) produced.
    pub out_error: Option<Fault>,
    /// Header blocks to send; set them with [`set_out_header`](Self::set_out_header), or push
    /// a [`RawHeader`] for a block written as is.
    pub out_headers: Vec<Box<dyn Any + Send>>,
    /// The out-protocol's document (`serialize`).
    pub out_document: Option<Box<dyn Any + Send>>,
    /// The outgoing bytes, as chunks (`create_out_string`).
    pub out_string: Vec<Vec<u8>>,
    /// What the protocols keep about this message across their stages (rpclib's
    /// `ctx.protocol`): e.g. the SOAP version a request was read in, which the reply, its
    /// content type and its status then follow.
    pub protocol_data: TypeMap,
    /// Data event listeners share during this request (rpclib's `ctx.event`).
    pub event: TypeMap,
    /// The application's own data for this request (rpclib's `ctx.udc`).
    pub user_data: TypeMap,
    /// When the user method was called.
    pub call_start: Option<Instant>,
    /// When the user method returned.
    pub call_end: Option<Instant>,
}

impl Default for MethodContext {
    fn default() -> Self {
        MethodContext::new()
    }
}

impl MethodContext {
    /// An empty context. Transports get theirs from
    /// [`Application::new_context`](crate::Application::new_context), which also fires
    /// `method_context_created` and guards the close; a bare one suits a protocol's own tests.
    pub fn new() -> Self {
        MethodContext {
            method: None,
            transport: None,
            spare_transport: None,
            spare_content_type: None,
            spare_method_request_string: None,
            spare_in_buffer: None,
            spare_out_buffer: None,
            method_request_string: None,
            in_string: Vec::new(),
            in_content_type: None,
            request: None,
            in_document: None,
            in_header_doc: None,
            in_body_doc: None,
            in_headers: Vec::new(),
            in_object: None,
            in_error: None,
            out_object: None,
            out_error: None,
            out_headers: Vec::new(),
            out_document: None,
            out_string: Vec::new(),
            protocol_data: TypeMap::new(),
            event: TypeMap::new(),
            user_data: TypeMap::new(),
            call_start: None,
            call_end: None,
        }
    }

    /// The method being called, with its service.
    pub fn method(&self) -> Option<MethodRef> {
        self.method
    }

    /// The descriptor of the method being called.
    pub fn descriptor(&self) -> Option<&'static MethodDescriptor> {
        self.method.map(|m| m.method())
    }

    /// The service of the method being called.
    pub fn service(&self) -> Option<&'static ServiceDescriptor> {
        self.method.map(|m| m.service())
    }

    /// Sets the method being called; protocols call it from `decompose_incoming_envelope`
    /// with what [`Catalogue::lookup_method`](crate::Catalogue::lookup_method) found (a client,
    /// with [`Catalogue::method_ref`](crate::Catalogue::method_ref)).
    pub fn set_method(&mut self, method: MethodRef) {
        self.method = Some(method);
    }

    /// The public operation name of the method being called.
    pub fn method_name(&self) -> Option<&'static str> {
        self.method.map(|m| m.method().operation)
    }

    /// Sets [`request`](Self::request), and [`in_content_type`](Self::in_content_type) from
    /// its `Content-Type` header: what a server transport calls after creating the context.
    pub fn set_request(&mut self, request: RequestMeta) {
        // The string kept by `reset` is refilled: one allocation less per request of a
        // transport that reuses its contexts.
        let spare = self
            .in_content_type
            .take()
            .or_else(|| self.spare_content_type.take());
        match (request.content_type(), spare) {
            (Some(text), Some(mut kept)) => {
                kept.clear();
                kept.push_str(text);
                self.in_content_type = Some(kept);
            }
            (Some(text), None) => self.in_content_type = Some(text.to_owned()),
            (None, kept) => self.spare_content_type = kept,
        }
        self.request = Some(request);
    }

    /// An empty string for a protocol to write the request element's name into before it
    /// sets [`method_request_string`](Self::method_request_string): on a context that a
    /// transport reuses, the previous request's string (kept by [`reset`](Self::reset)), so
    /// that no new one is allocated.
    pub fn reusable_method_request_string(&mut self) -> String {
        let mut name = self
            .method_request_string
            .take()
            .or_else(|| self.spare_method_request_string.take())
            .unwrap_or_default();
        name.clear();
        name
    }

    /// An empty buffer for a transport to read (or copy) a request's bytes into before it
    /// pushes them onto [`in_string`](Self::in_string): on a context that a transport reuses,
    /// the previous request's first chunk (kept by [`reset`](Self::reset) when its capacity
    /// is at most 64 KiB: a larger one is freed, so that a context kept between requests
    /// pins little however large one message was), so that no new one is allocated for a
    /// message that fits.
    pub fn reusable_in_buffer(&mut self) -> Vec<u8> {
        let mut buffer = self.spare_in_buffer.take().unwrap_or_default();
        buffer.clear();
        buffer
    }

    /// An empty buffer for a protocol to write a reply (or a request, on a client) into: on a
    /// context that a transport reuses, the previous message's buffer (kept by
    /// [`reset`](Self::reset) from [`out_string`](Self::out_string), or handed back by the
    /// transport with [`keep_out_buffer`](Self::keep_out_buffer)), so that no new one is
    /// allocated for a message that fits.
    pub fn reusable_out_buffer(&mut self) -> Vec<u8> {
        let mut buffer = self.spare_out_buffer.take().unwrap_or_default();
        buffer.clear();
        buffer
    }

    /// Keeps `buffer` for the next [`reusable_out_buffer`](Self::reusable_out_buffer): for a
    /// transport that gets the bytes it sent back only once they are sent, after the context
    /// was [`reset`](Self::reset) (hyper frees a response's body when it has written it). A
    /// buffer of more than 64 KiB is freed instead, like the ones `reset` would keep.
    pub fn keep_out_buffer(&mut self, buffer: Vec<u8>) {
        keep(&mut self.spare_out_buffer, buffer);
    }

    /// The transport's own part (e.g. the queue's consumer and task ids, the HTTP peer).
    pub fn transport<T: Any + Send>(&self) -> Option<&T> {
        self.transport.as_ref().and_then(|t| t.downcast_ref())
    }

    /// The transport's own part, mutably.
    pub fn transport_mut<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.transport.as_mut().and_then(|t| t.downcast_mut())
    }

    /// Sets the transport's own part; a transport calls it right after creating the context.
    pub fn set_transport<T: Any + Send>(&mut self, transport: T) {
        // A box of the transport's type, current or kept by `reset`, is overwritten in place.
        if self.transport.is_none() {
            self.transport = self.spare_transport.take();
        }
        match self.transport_mut::<T>() {
            Some(slot) => *slot = transport,
            None => self.transport = Some(Box::new(transport)),
        }
    }

    /// Empties the context for another request: afterwards it reads exactly like
    /// [`new`](Self::new)'s, but its buffers keep their capacity (the lists, the typed maps'
    /// tables), the transport part's box is kept for the next
    /// [`set_transport`](Self::set_transport), and the first chunk of the request's and of
    /// the reply's bytes for [`reusable_in_buffer`](Self::reusable_in_buffer) and
    /// [`reusable_out_buffer`](Self::reusable_out_buffer), so that a transport reusing
    /// contexts (`ContextCloseGuard::close_and_keep` and `reopen_with`) allocates none of them
    /// per request.
    pub fn reset(&mut self) {
        let MethodContext {
            method,
            transport,
            spare_transport,
            spare_content_type,
            spare_method_request_string,
            spare_in_buffer,
            spare_out_buffer,
            method_request_string,
            in_string,
            in_content_type,
            request,
            in_document,
            in_header_doc,
            in_body_doc,
            in_headers,
            in_object,
            in_error,
            out_object,
            out_error,
            out_headers,
            out_document,
            out_string,
            protocol_data,
            event,
            user_data,
            call_start,
            call_end,
        } = self;
        *method = None;
        if let Some(part) = transport.take() {
            *spare_transport = Some(part);
        }
        if let Some(name) = method_request_string.take() {
            *spare_method_request_string = Some(name);
        }
        let mut chunks = in_string.drain(..);
        if let Some(first) = chunks.next() {
            keep(spare_in_buffer, first);
        }
        drop(chunks);
        if let Some(text) = in_content_type.take() {
            *spare_content_type = Some(text);
        }
        *request = None;
        *in_document = None;
        *in_header_doc = None;
        *in_body_doc = None;
        in_headers.clear();
        *in_object = None;
        *in_error = None;
        *out_object = None;
        *out_error = None;
        out_headers.clear();
        *out_document = None;
        let mut chunks = out_string.drain(..);
        if let Some(first) = chunks.next() {
            keep(spare_out_buffer, first);
        }
        drop(chunks);
        protocol_data.clear();
        event.clear();
        user_data.clear();
        *call_start = None;
        *call_end = None;
    }

    /// The request's header block of type `T`, if it was sent.
    pub fn in_header<T: Any + Send>(&self) -> Option<&T> {
        self.in_headers.iter().find_map(|h| h.downcast_ref())
    }

    /// The message's header blocks as raw XML, in document order (see [`RawHeader`]).
    pub fn raw_in_headers(&self) -> impl Iterator<Item = &RawHeader> {
        self.in_headers.iter().filter_map(|h| h.downcast_ref())
    }

    /// Sets the response's header block of type `T` (replacing one set before).
    pub fn set_out_header<T: Any + Send>(&mut self, header: T) {
        self.out_headers.retain(|h| !h.is::<T>());
        self.out_headers.push(Box::new(header));
    }

    /// The response's header block of type `T`.
    pub fn out_header<T: Any + Send>(&self) -> Option<&T> {
        self.out_headers.iter().find_map(|h| h.downcast_ref())
    }

    /// The fault to report: the request's error, else the method's.
    pub fn error(&self) -> Option<&Fault> {
        self.in_error.as_ref().or(self.out_error.as_ref())
    }

    /// The concatenated outgoing bytes.
    pub fn out_bytes(&self) -> Vec<u8> {
        self.out_string.concat()
    }
}

impl fmt::Debug for MethodContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodContext")
            .field("method", &self.method)
            .field("method_request_string", &self.method_request_string)
            .field("in_error", &self.in_error)
            .field("out_error", &self.out_error)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Part(u32);

    #[test]
    fn a_reset_context_reads_like_a_new_one_and_keeps_its_buffers() {
        let mut ctx = MethodContext::new();
        ctx.set_transport(Part(1));
        ctx.in_string.push(b"<a/>".to_vec());
        ctx.in_content_type = Some("text/xml".to_owned());
        ctx.request = Some(RequestMeta::new("POST", "/"));
        ctx.in_error = Some(Fault::client("X", "y"));
        ctx.out_string.push(b"<b/>".to_vec());
        ctx.protocol_data.insert(7u8);
        ctx.user_data.insert("user");
        ctx.call_start = Some(Instant::now());
        let part_box: *const Part = ctx.transport::<Part>().unwrap();
        let (in_capacity, out_capacity) = (ctx.in_string.capacity(), ctx.out_string.capacity());

        ctx.reset();
        assert!(ctx.transport::<Part>().is_none());
        assert!(ctx.in_string.is_empty() && ctx.out_string.is_empty());
        assert!(ctx.in_content_type.is_none() && ctx.request.is_none());
        assert!(ctx.error().is_none() && ctx.call_start.is_none());
        assert!(ctx.protocol_data.is_empty() && ctx.user_data.is_empty());
        assert_eq!(ctx.in_string.capacity(), in_capacity);
        assert_eq!(ctx.out_string.capacity(), out_capacity);

        // The next request's content type goes into the kept string.
        let mut meta = RequestMeta::new("POST", "/");
        meta.headers
            .push(("content-type".to_owned(), b"application/soap+xml".to_vec()));
        ctx.set_request(meta);
        assert_eq!(ctx.in_content_type.as_deref(), Some("application/soap+xml"));
        ctx.reset();
        let kept = ctx.spare_content_type.as_ref().unwrap().as_ptr();
        let mut meta = RequestMeta::new("POST", "/");
        meta.headers
            .push(("Content-Type".to_owned(), b"text/xml".to_vec()));
        ctx.set_request(meta);
        assert_eq!(ctx.in_content_type.as_deref(), Some("text/xml"));
        assert_eq!(ctx.in_content_type.as_ref().unwrap().as_ptr(), kept);
        // A request without one has none, and the string stays kept.
        ctx.reset();
        ctx.set_request(RequestMeta::new("GET", "/"));
        assert!(ctx.in_content_type.is_none());
        assert!(ctx.spare_content_type.is_some());

        // The request element's name goes into the kept string.
        let mut name = ctx.reusable_method_request_string();
        name.push_str("{urn:a}first");
        let kept = name.as_ptr();
        ctx.method_request_string = Some(name);
        ctx.reset();
        assert!(ctx.method_request_string.is_none());
        let mut name = ctx.reusable_method_request_string();
        name.push_str("{urn:a}b");
        ctx.method_request_string = Some(name);
        assert_eq!(ctx.method_request_string.as_deref(), Some("{urn:a}b"));
        assert_eq!(ctx.method_request_string.as_ref().unwrap().as_ptr(), kept);

        // The request's first chunk of bytes is kept for the next request's, emptied.
        ctx.reset();
        let mut bytes = ctx.reusable_in_buffer();
        bytes.extend_from_slice(b"<first/>");
        let kept = bytes.as_ptr();
        ctx.in_string.push(bytes);
        ctx.in_string.push(b"<second/>".to_vec());
        ctx.reset();
        assert!(ctx.in_string.is_empty());
        let bytes = ctx.reusable_in_buffer();
        assert!(bytes.is_empty());
        assert_eq!(bytes.as_ptr(), kept);
        // One larger than the limit is freed instead.
        ctx.in_string
            .push(Vec::with_capacity(KEPT_BUFFER_BYTES + 1));
        ctx.reset();
        assert_eq!(ctx.reusable_in_buffer().capacity(), 0);

        // So is the reply's, and one the transport hands back after the reset.
        let mut bytes = ctx.reusable_out_buffer();
        bytes.extend_from_slice(b"<reply/>");
        let kept = bytes.as_ptr();
        ctx.out_string.push(bytes);
        ctx.reset();
        assert!(ctx.out_string.is_empty());
        let bytes = ctx.reusable_out_buffer();
        assert!(bytes.is_empty());
        assert_eq!(bytes.as_ptr(), kept);
        ctx.keep_out_buffer(bytes);
        let bytes = ctx.reusable_out_buffer();
        assert_eq!(bytes.as_ptr(), kept);
        ctx.keep_out_buffer(Vec::with_capacity(KEPT_BUFFER_BYTES + 1));
        assert_eq!(ctx.reusable_out_buffer().capacity(), 0);

        // The next transport part of the same type goes into the kept box.
        ctx.set_transport(Part(2));
        assert_eq!(ctx.transport::<Part>(), Some(&Part(2)));
        assert!(std::ptr::eq(ctx.transport::<Part>().unwrap(), part_box));
        // One of another type replaces it.
        ctx.reset();
        ctx.set_transport("other");
        assert!(ctx.transport::<Part>().is_none());
        assert_eq!(ctx.transport::<&str>(), Some(&"other"));
    }
}
