//! The fault codes of the MessagePack protocol, and how reading problems become faults.

use rpclib_core::Fault;

/// Subcode of faults for input that is not well-formed MessagePack (truncated, a reserved
/// marker, a string that is not UTF-8, a map key that is not a string, an extension type,
/// bytes after the message).
pub const MSGPACK_SYNTAX_ERROR: &str = "MsgPackSyntaxError";
pub use rpclib_core::document::{LIMIT_EXCEEDED, REQUEST_TOO_LONG};
/// Subcode of faults for MessagePack that is not a message: not a map with exactly one entry.
pub const INVALID_MESSAGE: &str = "InvalidMessage";
/// Subcode of faults for a message naming no operation (Spyne's name).
pub const METHOD_NOT_FOUND: &str = "MethodNotFound";

/// The fault for a value that could not be read (the document protocols' shared mapping).
pub(crate) use rpclib_core::document::read_fault as de_fault;

/// A fault for a problem in the protocol's own state (a bug, not bad input).
pub(crate) fn internal(message: &str) -> Fault {
    Fault::server(format!("MessagePack protocol: {message}"))
}

/// The HTTP status of a fault, as the JSON protocol answers: 413 for a message too long,
/// 400 for other `Client` faults, 500 for the rest (the document protocols' shared mapping).
pub(crate) use rpclib_core::document::fault_status as status;
