//! The fault codes of the JSON protocol, and how reading problems become faults.

use rpclib_core::model::{DeError, DeErrorKind};
use rpclib_core::{Fault, FaultCode};

/// Subcode of faults for input that is not JSON (or not UTF-8).
pub const JSON_SYNTAX_ERROR: &str = "JSONSyntaxError";
/// Subcode of faults for messages beyond the size limit (Spyne's name).
pub const REQUEST_TOO_LONG: &str = "RequestTooLong";
/// Subcode of faults for messages beyond a shape limit (depth, items, values, lengths).
pub const LIMIT_EXCEEDED: &str = "LimitExceeded";
/// Subcode of faults for JSON that is not a message: not an object with exactly one member.
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
    Fault::server(format!("JSON protocol: {message}"))
}

/// The HTTP status of a fault, as Spyne's JSON protocols answer: 413 for a message too
/// long, 400 for other `Client` faults, 500 for the rest.
pub(crate) fn status(fault: &Fault) -> u16 {
    let code = &fault.code;
    if *code == FaultCode::client(REQUEST_TOO_LONG) {
        413
    } else if code.class() == rpclib_core::FaultClass::Client {
        400
    } else {
        500
    }
}
