//! JSON-RPC 2.0 error codes, and which fault gets which.

use rpclib_core::{Fault, FaultClass, FaultCode};

use crate::error::{
    INVALID_MESSAGE, JSON_SYNTAX_ERROR, LIMIT_EXCEEDED, METHOD_NOT_FOUND, REQUEST_TOO_LONG,
};

/// `-32700`: the request is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// `-32600`: the JSON is not a valid request object (also: a limit exceeded, an empty batch).
pub const INVALID_REQUEST: i64 = -32600;
/// `-32601`: no method of that name.
pub const METHOD_NOT_FOUND_CODE: i64 = -32601;
/// `-32602`: the params could not be read into the method's parameters, or broke their
/// constraints (`Client.ValidationError`).
pub const INVALID_PARAMS: i64 = -32602;
/// `-32603`: the server failed (a panic in the method, a reply that could not be written).
pub const INTERNAL_ERROR: i64 = -32603;
/// `-32000`: any fault the application returned (its code and detail in the error's `data`).
pub const SERVER_ERROR: i64 = -32000;

/// Subcode of faults for JSON that is not a valid JSON-RPC 2.0 request object.
pub const INVALID_REQUEST_FAULT: &str = "InvalidRequest";
/// Subcode of the JSON-RPC protocol's own `Server` faults (a bug, not bad input).
pub const INTERNAL_FAULT: &str = "InternalError";

/// The error `code` and `message` a fault is answered with.
///
/// The protocol's own faults map to the spec's codes; core's fault for a panicking method
/// (`Server`, "Internal Error") to `-32603`; every other fault (the application's own) to
/// `-32000`, with the fault's text as the message.
pub(crate) fn code_of(fault: &Fault) -> (i64, &str) {
    let code = &fault.code;
    let client = |sub: &str| *code == FaultCode::client(sub);
    if client(JSON_SYNTAX_ERROR) {
        (PARSE_ERROR, "Parse error")
    } else if client(INVALID_REQUEST_FAULT)
        || client(INVALID_MESSAGE)
        || client(LIMIT_EXCEEDED)
        || client(REQUEST_TOO_LONG)
    {
        (INVALID_REQUEST, "Invalid Request")
    } else if client(METHOD_NOT_FOUND) {
        (METHOD_NOT_FOUND_CODE, "Method not found")
    } else if code.class() == FaultClass::Client
        && code.subcodes().next() == Some("ValidationError")
    {
        (INVALID_PARAMS, "Invalid params")
    } else if *code == FaultCode::server(INTERNAL_FAULT)
        || (*code == FaultCode::SERVER && fault.string == "Internal Error")
    {
        (INTERNAL_ERROR, "Internal error")
    } else {
        (SERVER_ERROR, fault.string.as_str())
    }
}

/// A fault for a request object that breaks the spec.
pub(crate) fn invalid_request(message: impl Into<String>) -> Fault {
    Fault::client(INVALID_REQUEST_FAULT, message)
}

/// A fault for a problem in the protocol's own state (a bug, not bad input).
pub(crate) fn internal(message: &str) -> Fault {
    Fault::new(
        FaultCode::server(INTERNAL_FAULT),
        format!("JSON-RPC protocol: {message}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let cases = [
            (Fault::client(JSON_SYNTAX_ERROR, "x"), PARSE_ERROR),
            (invalid_request("x"), INVALID_REQUEST),
            (Fault::client(LIMIT_EXCEEDED, "x"), INVALID_REQUEST),
            (Fault::client(REQUEST_TOO_LONG, "x"), INVALID_REQUEST),
            (Fault::client(METHOD_NOT_FOUND, "x"), METHOD_NOT_FOUND_CODE),
            (Fault::client("ValidationError", "x"), INVALID_PARAMS),
            (Fault::client("ValidationError.Range", "x"), INVALID_PARAMS),
            (Fault::server("Internal Error"), INTERNAL_ERROR),
            (internal("x"), INTERNAL_ERROR),
            (Fault::server("database down"), SERVER_ERROR),
            (Fault::client("NotFound", "no such user"), SERVER_ERROR),
        ];
        for (fault, expected) in cases {
            assert_eq!(code_of(&fault).0, expected, "{fault}");
        }
        assert_eq!(code_of(&Fault::server("db down")).1, "db down");
    }
}
