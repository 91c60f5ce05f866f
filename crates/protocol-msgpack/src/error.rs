//! The fault codes of the MessagePack protocol, and how reading problems become faults.

use rpclib_core::model::{DeError, DeErrorKind};
use rpclib_core::{Fault, FaultClass, FaultCode};

/// Subcode of faults for input that is not well-formed MessagePack (truncated, a reserved
/// marker, a string that is not UTF-8, a map key that is not a string, an extension type,
/// bytes after the message).
pub const MSGPACK_SYNTAX_ERROR: &str = "MsgPackSyntaxError";
/// Subcode of faults for messages beyond the size limit (Spyne's name).
pub const REQUEST_TOO_LONG: &str = "RequestTooLong";
/// Subcode of faults for messages beyond a shape limit (depth, items, values, lengths).
pub const LIMIT_EXCEEDED: &str = "LimitExceeded";
/// Subcode of faults for MessagePack that is not a message: not a map with exactly one entry.
pub const INVALID_MESSAGE: &str = "InvalidMessage";
/// Subcode of faults for a message naming no operation (Spyne's name).
pub const METHOD_NOT_FOUND: &str = "MethodNotFound";

/// The fault for a value that could not be read: a limit problem as `Client.LimitExceeded`,
/// anything else as `Client.ValidationError`; the error is the fault's source.
pub(crate) fn de_fault(e: DeError) -> Fault {
    match e.kind() {
        DeErrorKind::Limit => Fault::client(LIMIT_EXCEEDED, e.to_string()).with_source(e),
        DeErrorKind::Internal => Fault::server(e.to_string()).with_source(e),
        _ => Fault::from(e),
    }
}

/// A fault for a problem in the protocol's own state (a bug, not bad input).
pub(crate) fn internal(message: &str) -> Fault {
    Fault::server(format!("MessagePack protocol: {message}"))
}

/// The HTTP status of a fault, as the JSON protocol answers: 413 for a message too long,
/// 400 for other `Client` faults, 500 for the rest.
pub(crate) fn status(fault: &Fault) -> u16 {
    let code = &fault.code;
    if *code == FaultCode::client(REQUEST_TOO_LONG) {
        413
    } else if code.class() == FaultClass::Client {
        400
    } else {
        500
    }
}
