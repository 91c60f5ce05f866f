//! [`HttpRpc`]: the [`Protocol`] implementation (its reading stages; it writes nothing).

use std::any::Any;
use std::borrow::Cow;
use std::cell::Cell;

use rpclib_core::document::take_slot;
use rpclib_core::{
    Catalogue, Fault, MessageKind, MethodContext, Protocol, REQUEST_NOT_ALLOWED, RequestMeta,
};

use crate::error::{METHOD_NOT_FOUND, REQUEST_TOO_LONG, de_fault, invalid};
use crate::form::{Node, Pairs};
use crate::limits::Limits;
use crate::read::FormReader;
use crate::urlencoded::percent_decode;
use crate::{multipart, urlencoded};

/// Spyne's HttpRpc as an in-protocol: the method from the last segment of the request's
/// path (`/rpc/say_hello`), the arguments from its query string and, for a `POST`, from an
/// `application/x-www-form-urlencoded` or `multipart/form-data` body. See the
/// [crate documentation](crate) for how keys map to parameters.
///
/// It reads requests only: pair it with an out-protocol that writes the replies
/// (`ApplicationBuilder::in_protocol(HttpRpc::new()).out_protocol(JsonDocument::new())`,
/// the usual choice, which answers `Client` faults with 400 and a request beyond the size
/// limit with 413). `GET` is accepted for methods marked
/// [`safe`](rpclib_core::MethodDescriptor::safe) only; for the others it is a
/// `Client.RequestNotAllowed` fault, which the HTTP transport answers with
/// `405 Method Not Allowed` and `Allow: POST`.
///
/// ```
/// use rpclib_protocol_httprpc::{HttpRpc, Limits};
///
/// let rpc = HttpRpc::new();
/// assert_eq!(rpc.limits(), &Limits::default());
/// ```
#[derive(Debug, Clone, Default)]
pub struct HttpRpc {
    limits: Limits,
}

/// The decoded request, between the reading stages.
struct Document {
    /// The method name: the path's last segment, percent-decoded.
    name: String,
    /// The request method (`GET`, `POST`; empty when the transport has none).
    http_method: String,
    form: Node,
}

impl HttpRpc {
    /// The protocol with the default [`Limits`].
    pub fn new() -> Self {
        HttpRpc::default()
    }

    /// The protocol with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        HttpRpc { limits }
    }

    /// The limits applied to incoming requests.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Reads the request's path, query string and body into a [`Document`].
    fn read(&self, meta: &RequestMeta, body: &[u8]) -> Result<Document, Fault> {
        let query = meta.query.as_deref().unwrap_or_default().as_bytes();
        let size = query.len() + body.len();
        if size > self.limits.max_input_bytes {
            return Err(Fault::client(
                REQUEST_TOO_LONG,
                format!(
                    "the query string and body are {size} bytes, more than the limit of {}",
                    self.limits.max_input_bytes
                ),
            ));
        }
        let segment = meta.path.rsplit('/').next().unwrap_or_default();
        let name = percent_decode(segment.as_bytes(), false, &|| "the path".to_owned())?;
        let name = String::from_utf8(name)
            .map_err(|_| invalid("the method name in the path is not UTF-8 once decoded"))?;
        let mut pairs = Pairs::new(self.limits);
        urlencoded::parse_into(&mut pairs, query, "the query string")?;
        if !body.is_empty() {
            let content_type = meta.content_type().unwrap_or_default();
            let media = content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            match media.as_str() {
                "application/x-www-form-urlencoded" => {
                    urlencoded::parse_into(&mut pairs, body, "the form body")?;
                }
                "multipart/form-data" => {
                    let boundary = multipart::boundary(content_type)?;
                    multipart::parse_into(&mut pairs, body, &boundary, &self.limits)?;
                }
                _ => {
                    return Err(invalid(format!(
                        "a request body must be application/x-www-form-urlencoded or \
                         multipart/form-data, not `{content_type}`"
                    )));
                }
            }
        }
        Ok(Document {
            name,
            http_method: meta.method.clone(),
            form: pairs.into_root(),
        })
    }
}

fn take<T: Any>(slot: &mut Option<Box<dyn Any + Send>>, what: &str) -> Result<T, Fault> {
    take_slot(slot).ok_or_else(|| Fault::server(format!("HttpRpc protocol: {what}")))
}

/// What the writing stages answer: this protocol has no reply format of its own.
fn in_only() -> Fault {
    Fault::server(
        "HttpRpc reads requests only: give the application an out-protocol (JsonDocument) \
         to write replies",
    )
}

impl Protocol for HttpRpc {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let Some(meta) = ctx.request.as_ref() else {
            return Err(invalid(
                "HttpRpc reads the method from the request's path, and this request came \
                 without one (not over HTTP)",
            ));
        };
        let body: Cow<'_, [u8]> = match ctx.in_string.as_slice() {
            [one] => Cow::Borrowed(one),
            chunks => Cow::Owned(chunks.concat()),
        };
        let document = self.read(meta, &body)?;
        ctx.in_document = Some(Box::new(document));
        Ok(())
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        if kind == MessageKind::Response {
            return Err(in_only());
        }
        let document: Document = take(&mut ctx.in_document, "no decoded request")?;
        if document.name.is_empty() {
            return Err(Fault::client(
                METHOD_NOT_FOUND,
                "the path names no method: call `<endpoint>/<method>`",
            ));
        }
        let method = catalogue
            .lookup_method_by_name(&document.name)
            .ok_or_else(|| {
                Fault::client(
                    METHOD_NOT_FOUND,
                    format!("no method is called `{}`", document.name),
                )
            })?;
        let safe = method.method().safe;
        match document.http_method.as_str() {
            "GET" | "HEAD" if !safe => {
                return Err(Fault::client(
                    REQUEST_NOT_ALLOWED,
                    format!(
                        "`{}` changes state: call it with POST (GET is for methods marked safe)",
                        document.name
                    ),
                ));
            }
            "GET" | "HEAD" | "POST" | "" => {}
            other => {
                return Err(Fault::client(
                    REQUEST_NOT_ALLOWED,
                    format!(
                        "HTTP method {other} is not allowed: use POST (or GET for safe methods)"
                    ),
                ));
            }
        }
        ctx.set_method(method);
        ctx.method_request_string = Some(document.name);
        ctx.in_body_doc = Some(Box::new(document.form));
        Ok(())
    }

    fn deserialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        if kind == MessageKind::Response {
            return Err(in_only());
        }
        let form: Node = take(&mut ctx.in_body_doc, "no decoded form")?;
        let method = ctx
            .descriptor()
            .ok_or_else(|| Fault::server("HttpRpc protocol: no method to read"))?;
        let located = Cell::new(false);
        let mut reader = FormReader::root(&form, &located);
        let object = (method.input.deserialize)(&mut reader)
            .map_err(|e| reader.locate(e))
            .map_err(de_fault)?;
        ctx.in_object = Some(object);
        Ok(())
    }

    fn serialize(&self, _: &Catalogue, _: &mut MethodContext, _: MessageKind) -> Result<(), Fault> {
        Err(in_only())
    }

    fn create_out_string(&self, _: &mut MethodContext) -> Result<(), Fault> {
        Err(in_only())
    }

    fn message_content_type(&self, _: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed("text/plain; charset=utf-8")
    }

    fn accepts_get(&self) -> bool {
        true
    }
}
