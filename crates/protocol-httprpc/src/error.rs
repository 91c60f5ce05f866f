//! The fault codes of the HttpRpc protocol.

use rpclib_core::Fault;

/// The document protocols' subcodes (so that a JSON out-protocol answers a request too long
/// with HTTP 413): beyond the size limit, beyond a shape limit (keys, depth, parts, key
/// length).
pub use rpclib_core::document::{LIMIT_EXCEEDED, REQUEST_TOO_LONG};
/// Subcode of faults for requests that are not a form: bad percent-encoding, a malformed
/// key, a malformed multipart body, a body of another media type, no path.
pub const INVALID_REQUEST: &str = "InvalidRequest";
/// Subcode of faults for a path naming no operation (Spyne's name).
pub const METHOD_NOT_FOUND: &str = "MethodNotFound";

/// The fault for a value that could not be read (the document protocols' shared mapping).
pub(crate) use rpclib_core::document::read_fault as de_fault;

/// A `Client.InvalidRequest` fault.
pub(crate) fn invalid(message: impl Into<String>) -> Fault {
    Fault::client(INVALID_REQUEST, message)
}

/// A `Client.LimitExceeded` fault.
pub(crate) fn limit(message: impl Into<String>) -> Fault {
    Fault::client(LIMIT_EXCEEDED, message)
}
