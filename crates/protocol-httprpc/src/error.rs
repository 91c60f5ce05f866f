//! The fault codes of the HttpRpc protocol.

use rpclib_core::Fault;
use rpclib_core::model::{DeError, DeErrorKind};

/// Subcode of faults for requests beyond the size limit (the JSON protocols' name, so that
/// a JSON out-protocol answers it with HTTP 413).
pub const REQUEST_TOO_LONG: &str = "RequestTooLong";
/// Subcode of faults for requests beyond a shape limit (keys, depth, parts, key length).
pub const LIMIT_EXCEEDED: &str = "LimitExceeded";
/// Subcode of faults for requests that are not a form: bad percent-encoding, a malformed
/// key, a malformed multipart body, a body of another media type, no path.
pub const INVALID_REQUEST: &str = "InvalidRequest";
/// Subcode of faults for a path naming no operation (Spyne's name).
pub const METHOD_NOT_FOUND: &str = "MethodNotFound";

/// The fault for a value that could not be read: a limit problem as `Client.LimitExceeded`,
/// a reader bug as `Server`, anything else as `Client.ValidationError`.
pub(crate) fn de_fault(e: DeError) -> Fault {
    match e.kind() {
        DeErrorKind::Limit => Fault::client(LIMIT_EXCEEDED, e.to_string()).with_source(e),
        DeErrorKind::Internal => Fault::server(e.to_string()).with_source(e),
        _ => Fault::from(e),
    }
}

/// A `Client.InvalidRequest` fault.
pub(crate) fn invalid(message: impl Into<String>) -> Fault {
    Fault::client(INVALID_REQUEST, message)
}

/// A `Client.LimitExceeded` fault.
pub(crate) fn limit(message: impl Into<String>) -> Fault {
    Fault::client(LIMIT_EXCEEDED, message)
}
