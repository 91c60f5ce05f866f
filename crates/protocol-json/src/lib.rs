//! # rpclib-protocol-json
//!
//! Two JSON protocols for rpclib services: [`JsonDocument`], in the shape of Spyne's
//! `JsonDocument` (the same services, types, constraints and faults as SOAP, on JSON
//! messages, described below), and [`JsonRpc`], JSON-RPC 2.0 (named and positional params,
//! notifications, batches, the spec's error codes, on the server and in typed clients; see
//! its documentation). Both write every model type as the table below says, and read under
//! the same [`Limits`].
//!
//! ```text
//! request   {"say_hello": {"name": "Dave", "times": 2}}
//! response  {"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}}
//! fault     {"Fault": {"faultcode": "Client.ValidationError", "faultstring": "...", "detail": ...}}
//! ```
//!
//! A message is an object with exactly one member, named after the method's request
//! element (the operation name of a wrapped method) or response element, holding the
//! message's parts as an object. A fault object has `faultcode` and `faultstring`, and
//! `faultactor` and `detail` when the fault has them (`detail` is the fault's model value,
//! written like any other value).
//!
//! ```
//! use rpclib_core::{Application, InProcess, service};
//! use rpclib_protocol_json::JsonDocument;
//!
//! pub struct Hello;
//!
//! #[service(namespace = "urn:example:hello")]
//! impl Hello {
//!     #[rpc]
//!     fn say_hello(&self, name: String, times: u32) -> Vec<String> {
//!         (0..times).map(|_| format!("Hello, {name}")).collect()
//!     }
//! }
//!
//! let app = Application::builder("Hello", "urn:example:hello")
//!     .service(Hello)
//!     .protocol(JsonDocument::new())
//!     .build()
//!     .unwrap();
//! # let _ = app;
//! ```
//!
//! ## How model types are written
//!
//! | Model type | JSON | Read from |
//! |---|---|---|
//! | `bool` (`boolean`) | `true` / `false` | a JSON boolean only |
//! | integers (`i8`..`u64`, `integer`, ...) within ±(2^53 − 1) | a number | a number or a string of the XSD lexical form |
//! | integers beyond ±(2^53 − 1) | a **string** of digits (`"9007199254740993"`), so that JavaScript and every double-based reader keep them exact | a string, or a number that fits 64 bits (larger numbers are read as doubles and refused by the integer type) |
//! | `f32`, `f64` (`float`, `double`) | a number; `NaN`, `INF`, `-INF` as those strings | a number or a string |
//! | `Decimal` (`decimal`) | a **string** (`"12.50"`), never rounded through a double | a string, or a number (read through a double: send strings) |
//! | `String` and its derivatives | a string | a string only |
//! | enumerations (`SimpleEnum`) | the value's string | a string only |
//! | dates, times, durations | a string of the XSD lexical form (`"2024-02-29"`, `"12:30:00Z"`, `"2024-02-29T12:30:00.5+01:00"`, `"P1DT2H"`) | a string only |
//! | bytes (`base64Binary`) | a string, base64 (standard alphabet, padded) | a string only |
//! | `AnyXml` (`anyType`) | a string holding the XML text | a string only |
//! | `QName` (`QName`) | a string in Clark notation, `"{namespace}local"` (`"local"` in no namespace), as lxml and zeep print names: JSON has no namespace prefixes to bind | a string only |
//! | complex types (`ComplexModel`) | an object, members in declaration order (base type's first) | an object, members in any order |
//! | `Vec<T>` (wrapped or `unwrapped`) | an array | an array only |
//! | `Option<T>` = `None`, nil | `null` | `null` or an absent member |
//!
//! Reading is strict, with the same fault paths as SOAP: a member the type does not declare,
//! a member given twice, a required member absent or `null` (unless the field is nillable),
//! a value of the wrong JSON type, a text that is not a lexical form of its type, and a
//! violated constraint are `Client.ValidationError` faults naming the member and where it is
//! (``... at `$.say_hello.greeting.name` ``, `` `$.sum.values[3]` ``; the path is also the error's
//! field). A document that is not JSON is
//! `Client.JSONSyntaxError` (with serde_json's line and column), one that is not an object
//! with one member `Client.InvalidMessage`, a member naming no method
//! `Client.MethodNotFound`. A `Client` fault is answered with HTTP status 400 (413 for a
//! message beyond the size limit), any other with 500.
//!
//! ## Limits
//!
//! Reading is bounded by [`Limits`]: the size is checked before parsing
//! (`Client.RequestTooLong`, HTTP 413); depth, items per array or object, values per
//! message and string length while parsing (`Client.LimitExceeded`). A JsonDocument request
//! is read in one pass of the parser straight into the method's model values, without an
//! intermediate tree (the method is known from the member's name before its value is read);
//! a response a client reads, and a JSON-RPC request (whose `params` may come before its
//! `method`), are parsed whole into a tree first. Either way the whole document is parsed
//! and checked before a problem of the values is reported, so a syntax or limit error
//! anywhere is the message's fault; memory is bounded by the input size and these limits,
//! and the cost of reading is linear in the input.
//!
//! ## Not covered
//!
//! Header blocks (SOAP headers) have no JSON form: a method's declared headers are never
//! read or written. Bare (unwrapped) methods read and write their single part's value as the
//! member's value.

#![forbid(unsafe_code)]

mod detail;
mod error;
mod protocol;
mod read;
mod rpc;
mod stream;
mod value;
mod write;

pub use error::{
    INVALID_MESSAGE, JSON_SYNTAX_ERROR, LIMIT_EXCEEDED, METHOD_NOT_FOUND, REQUEST_TOO_LONG,
};
pub use protocol::JsonDocument;
pub use rpc::{JsonRpc, JsonRpcError, ParamStyle};
/// Bounds on incoming messages: the document protocols' shared [`DocumentLimits`](rpclib_core::DocumentLimits).
pub use rpclib_core::DocumentLimits as Limits;

/// JSON-RPC 2.0 error codes ([`JsonRpc`]) and the fault subcodes that lead to them.
pub mod jsonrpc {
    pub use crate::rpc::{
        INTERNAL_ERROR, INTERNAL_FAULT, INVALID_PARAMS, INVALID_REQUEST, INVALID_REQUEST_FAULT,
        INVALID_RESPONSE_FAULT, METHOD_NOT_FOUND_CODE, PARSE_ERROR, SERVER_ERROR,
    };
}
