//! The standard WS-Security faults (WSS 1.0 SOAP Message Security, section 12), with their
//! codes in the `wsse` namespace: `wsse:InvalidSecurity` in SOAP 1.1, `env:Sender` with the
//! subcode `wsse:InvalidSecurity` in SOAP 1.2.

use rpclib_core::{Fault, FaultCode};

use crate::names::WSSE_NS;

/// `wsse:FailedAuthentication`: the token could not be authenticated (unknown user, wrong
/// password, a replayed nonce). The message says nothing more, so that it tells an attacker
/// nothing (not whether the user exists).
pub fn failed_authentication() -> Fault {
    fault(
        "FailedAuthentication",
        "The security token could not be authenticated or authorized".to_owned(),
    )
}

/// `wsse:InvalidSecurity`: the `wsse:Security` header is missing or cannot be processed;
/// `why` says what was wrong.
pub fn invalid_security(why: &str) -> Fault {
    fault(
        "InvalidSecurity",
        format!("An error was discovered processing the <wsse:Security> header: {why}"),
    )
}

/// `wsse:UnsupportedSecurityToken`: a password type or encoding this validator does not handle.
pub fn unsupported_security_token(why: &str) -> Fault {
    fault(
        "UnsupportedSecurityToken",
        format!("An unsupported token was provided: {why}"),
    )
}

/// `wsse:MessageExpired`: the message's timestamp or the token's `Created` is too old.
pub fn message_expired(why: &str) -> Fault {
    fault("MessageExpired", format!("The message has expired: {why}"))
}

fn fault(code: &str, string: String) -> Fault {
    Fault::new(FaultCode::client(code).with_namespace(WSSE_NS), string)
}
