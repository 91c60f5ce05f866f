//! # rpclib-protocol-httprpc
//!
//! [`HttpRpc`], Spyne's HttpRpc as an in-protocol: a call is a URL (and, for `POST`, a
//! form), the reply is written by the application's out-protocol (JSON, usually).
//!
//! ```text
//! GET  /rpc/say_hello?name=Dave&times=2
//! POST /rpc/say_hello      (Content-Type: application/x-www-form-urlencoded)  name=Dave&times=2
//! POST /rpc/upload         (Content-Type: multipart/form-data; boundary=...)   a file part
//! ```
//!
//! - **The method** is the last segment of the request's path, percent-decoded
//!   (`/rpc/say_hello` calls `say_hello`; the request element's name, which for a wrapped
//!   method is its operation name).
//! - **The arguments** are the key/value pairs of the query string, followed by those of an
//!   `application/x-www-form-urlencoded` or `multipart/form-data` body (any other body is a
//!   `Client.InvalidRequest` fault). Keys and values are percent-decoded (`+` is a space in
//!   form text, not in the path).
//! - **Keys are paths** into the parameters: `name` is a parameter, `person.name` a field of
//!   a complex parameter (fields of a base type too), `people[0].name` a field of the first
//!   item of an array of complex values, `matrix[1][0]` an item of an item. A **simple array**
//!   is its key repeated (`times=1&times=2`) or indexed (`times[0]=1&times[1]=2`), never both;
//!   indices count from 0 without gaps.
//! - **Values** are read from text with the model's lexical forms, exactly as SOAP reads
//!   element text: `true`/`false`/`1`/`0`, XSD numbers, dates, base64 for bytes; a `QName`
//!   in Clark notation, `{namespace}local` (a URL has no prefixes to bind). A multipart
//!   part with a `filename` is a file: a `ByteArray` (`base64Binary`) or `HexBinary`
//!   parameter takes its bytes as they are, a text parameter takes them if they are UTF-8.
//! - **There is no nil**: an optional parameter (`Option<T>`) is left out by leaving its
//!   key out; an empty value is the empty string (refused by non-string types).
//! - **`GET`** is accepted only for methods marked safe (`#[rpc(safe)]`,
//!   [`MethodDescriptor::safe`](rpclib_core::MethodDescriptor::safe)); for any other, and for
//!   request methods other than `GET`, `HEAD` and `POST`, the fault is
//!   `Client.RequestNotAllowed` ([`rpclib_core::REQUEST_NOT_ALLOWED`]), which the HTTP
//!   transport answers with `405` and `Allow: POST`.
//!
//! ```
//! use rpclib_core::{Application, service};
//! use rpclib_protocol_httprpc::HttpRpc;
//! use rpclib_protocol_json::JsonDocument;
//!
//! pub struct Hello;
//!
//! #[service(namespace = "urn:example:hello")]
//! impl Hello {
//!     /// Changes nothing: callable with GET.
//!     #[rpc(safe)]
//!     fn say_hello(&self, name: String, times: u32) -> Vec<String> {
//!         (0..times).map(|_| format!("Hello, {name}")).collect()
//!     }
//! }
//!
//! // HttpRpc in, JSON out (Spyne's usual pairing).
//! let app = Application::builder("Hello", "urn:example:hello")
//!     .service(Hello)
//!     .in_protocol(HttpRpc::new())
//!     .out_protocol(JsonDocument::new())
//!     .build()
//!     .unwrap();
//! # let _ = app;
//! ```
//!
//! ## Faults
//!
//! | Problem | Fault code |
//! |---|---|
//! | query string and body beyond [`Limits::max_input_bytes`] | `Client.RequestTooLong` (HTTP 413 with a JSON out-protocol) |
//! | more keys, parts, steps in a key, or a longer key than the [`Limits`] allow; an index not below `max_keys` | `Client.LimitExceeded` |
//! | bad percent-encoding, a malformed key (`a..b`, `a[x]`), a malformed multipart body, a body of another media type, a request without a path | `Client.InvalidRequest` |
//! | a path naming no method | `Client.MethodNotFound` |
//! | `GET` for a method not marked safe | `Client.RequestNotAllowed` (HTTP 405) |
//! | a value that is not a lexical form of its type, a key the parameters do not have, a required parameter missing, a simple value given twice, a violated constraint | `Client.ValidationError`, naming the key (``... (key `times`)``) |
//!
//! ## Limits
//!
//! Everything is bounded by [`Limits`] before or while it is decoded: the size (query and
//! body) first, then the number of pairs and multipart parts, each key's length and steps,
//! and array indices (below the key limit, so a form cannot make the reader walk more items
//! than it sent keys). Reading is linear in the request's size.
//!
//! ## Not covered
//!
//! Header blocks (SOAP headers) have no form representation and are never read. A bare
//! method's single part is read from the whole form: a complex part's fields are top-level
//! keys; a simple part cannot be given.

#![forbid(unsafe_code)]

mod error;
mod form;
mod key;
mod limits;
mod multipart;
mod protocol;
mod read;
#[cfg(test)]
mod roundtrip;
mod urlencoded;

pub use error::{INVALID_REQUEST, LIMIT_EXCEEDED, METHOD_NOT_FOUND, REQUEST_TOO_LONG};
pub use limits::Limits;
pub use protocol::HttpRpc;
