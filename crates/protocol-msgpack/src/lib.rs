//! # rpclib-protocol-msgpack
//!
//! A MessagePack document protocol for rpclib services: the message shape of Spyne's
//! `JsonDocument` (and of `rpclib-protocol-json`) in [MessagePack](https://msgpack.org):
//! the same services, types, constraints and faults as SOAP, on compact binary messages.
//!
//! ```text
//! request   {"say_hello": {"name": "Dave", "times": 2}}
//! response  {"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}}
//! fault     {"Fault": {"faultcode": "Client.ValidationError", "faultstring": "...", "detail": ...}}
//! ```
//!
//! (shown as JSON, sent as MessagePack). A message is a map with exactly one entry, its key
//! the method's request element name (the operation name of a wrapped method) or response
//! element name, its value a map of the message's parts. A fault map has `faultcode` and
//! `faultstring`, and `faultactor` and `detail` when the fault has them (`detail` is the
//! fault's model value, written like any other value). Messages are `application/msgpack`
//! ([`CONTENT_TYPE`]; the most common name in use, also what the `msgpack` ecosystem's HTTP
//! libraries send).
//!
//! ```
//! use rpclib_core::{Application, service};
//! use rpclib_protocol_msgpack::MsgPack;
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
//!     .protocol(MsgPack::new())
//!     .build()
//!     .unwrap();
//! # let _ = app;
//! ```
//!
//! ## How model types are written
//!
//! Every model type MessagePack has a type for is written natively; the others as strings
//! of their XSD lexical form.
//!
//! | Model type | MessagePack written | Read from |
//! |---|---|---|
//! | `bool` (`boolean`) | bool | a bool only |
//! | integers (`i8`..`u64`, `integer`, `BigInt`, ...) within `i64::MIN..=u64::MAX` | an int, in its smallest form (fixint, int 8..64, uint 8..64) | an int of any width, or a string of the XSD lexical form |
//! | integers beyond 64 bits | a **string** of digits (`"340282366920938463463374607431768211456"`) | a string |
//! | `f32`, `f64` (`float`, `double`) | float 64, `NaN` and the infinities included (an `f32` as the double of its shortest decimal form: `0.1f32` as `0.1`, which reads back as the same `f32`) | a float 32 or 64, an int, or a string (`"INF"`) |
//! | `Decimal` (`decimal`) | a **string** (`"12.50"`), never rounded through a double | a string, an int, or a float (read through its shortest decimal form: send strings) |
//! | `String` and its derivatives | str | a str only |
//! | enumerations (`SimpleEnum`) | the value's str | a str only |
//! | dates, times, durations | a str of the XSD lexical form (`"2024-02-29"`, `"12:30:00Z"`, `"P1DT2H"`) | a str only |
//! | bytes (`base64Binary`) | **bin** (the raw bytes) | a bin only |
//! | `AnyXml` (`anyType`) | a str holding the XML text | a str only |
//! | `QName` (`QName`) | a str in Clark notation, `"{namespace}local"` (`"local"` in no namespace) | a str only |
//! | complex types (`ComplexModel`) | a map with string keys, members in declaration order (base type's first) | a map, members in any order |
//! | `Vec<T>` (wrapped or `unwrapped`) | an array | an array only |
//! | `Option<T>` = `None`, nil | nil (an absent member when the field is optional) | nil or an absent member |
//!
//! Extension types and the reserved byte `0xc1` are never written and refused when read;
//! map keys must be strings.
//!
//! Reading is strict, with the same fault codes and paths as the JSON protocol: a member the
//! type does not declare, a member given twice, a required member absent or nil (unless the
//! field is nillable), a value of the wrong MessagePack type, a text that is not a lexical
//! form of its type, and a violated constraint are `Client.ValidationError` faults naming
//! the member and where it is (``... at `$.say_hello.greeting.name` ``). Bytes that are not
//! well-formed MessagePack (truncated, `0xc1`, an extension, a string that is not UTF-8, a
//! key that is not a string, bytes after the message) are `Client.MsgPackSyntaxError`, a
//! value that is not a map with one entry `Client.InvalidMessage`, a key naming no method
//! `Client.MethodNotFound`. A `Client` fault is answered with HTTP status 400 (413 for a
//! message beyond the size limit), any other with 500.
//!
//! ## Limits
//!
//! Reading is bounded by [`Limits`]: the size is checked before decoding
//! (`Client.RequestTooLong`, HTTP 413); depth, items per array or map, values per message
//! and string/bin length while decoding (`Client.LimitExceeded`). MessagePack headers
//! declare lengths up front; no declared length is trusted: each is checked against the
//! limits and against the bytes left in the input (an item takes at least one byte) before
//! anything is allocated for it, so a five-byte message declaring a 4 GiB array is refused
//! at once. The message is decoded whole into an in-memory tree, so memory is bounded by the
//! input size and these limits; the cost of reading is linear in the input.
//!
//! ## Not covered
//!
//! Header blocks (SOAP headers) have no MessagePack form: a method's declared headers are
//! never read or written. Bare (unwrapped) methods read and write their single part's value
//! as the entry's value.

#![forbid(unsafe_code)]

mod decode;
mod error;
mod path;
mod protocol;
mod read;
mod value;
mod write;

pub use error::{
    INVALID_MESSAGE, LIMIT_EXCEEDED, METHOD_NOT_FOUND, MSGPACK_SYNTAX_ERROR, REQUEST_TOO_LONG,
};
pub use protocol::{CONTENT_TYPE, MsgPack};
/// Bounds on incoming messages: the document protocols' shared [`DocumentLimits`](rpclib_core::DocumentLimits).
pub use rpclib_core::DocumentLimits as Limits;
