//! The namespaces and URIs of the OASIS WSS 1.0 UsernameToken profile.

use rpclib_core::HeaderName;

/// The WSS 1.0 security extension namespace (`wsse`).
pub const WSSE_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// The WSS 1.0 utility namespace (`wsu`): `Timestamp`, `Created`, `Expires`, `Id`.
pub const WSU_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
/// The `Type` of a password sent as is.
pub const PASSWORD_TEXT: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
/// The `Type` of a password sent as Base64(SHA-1(nonce + created + password)).
pub const PASSWORD_DIGEST: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
/// The `EncodingType` of a Base64 nonce.
pub const BASE64_BINARY: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// The name of the `wsse:Security` header block.
pub fn security_header() -> HeaderName {
    HeaderName::new(WSSE_NS, "Security")
}
