//! # rpclib-ws-security
//!
//! The OASIS WS-Security UsernameToken profile (WSS 1.0 and 1.1) for rpclib's SOAP clients
//! and servers.
//!
//! - **Client**: [`WithUsernameToken`] wraps any [`Caller`](rpclib_core::Caller) (the async or
//!   blocking HTTP client's `RemoteClient`, `InProcess`) and adds to every call a fresh
//!   `wsse:Security` header marked `mustUnderstand="1"`, holding a `UsernameToken` with the
//!   password as `#PasswordText` or `#PasswordDigest` (Base64(SHA-1(nonce + created +
//!   password))), a random nonce and `wsu:Created`, and optionally a `wsu:Timestamp`.
//!   [`UsernameToken::header`] gives the block alone, for callers that build requests by hand.
//! - **Server**: [`UsernameTokenValidator`] is a call wrapper that checks the token against a
//!   [`PasswordLookup`] (a map, a closure, an async closure), refuses replayed nonces within
//!   the timestamp window (a cache bounded in size and time) and stale or future timestamps
//!   (with a configurable clock skew), and answers the standard faults
//!   `wsse:FailedAuthentication`, `wsse:InvalidSecurity`, `wsse:MessageExpired` and
//!   `wsse:UnsupportedSecurityToken`, their codes in the `wsse` namespace. Installing it makes
//!   the application understand `wsse:Security`, so `mustUnderstand="1"` is accepted only
//!   where it is installed.
//!
//! The block is read with roxmltree from the raw header the SOAP protocol captured, bounded
//! in size, node count and value lengths; passwords are compared in constant time.
//!
//! ## Example
//!
//! ```
//! use std::collections::HashMap;
//! use rpclib_core::{Application, Fault, InProcess, service};
//! use rpclib_protocol_soap::Soap11;
//! use rpclib_ws_security::{AuthenticatedUser, UsernameToken, UsernameTokenValidator, WithUsernameToken};
//!
//! pub struct Vault;
//!
//! #[service(namespace = "urn:vault", client = "VaultClient")]
//! impl Vault {
//!     #[rpc]
//!     fn whoami(&self, ctx: &mut rpclib_core::MethodContext) -> Result<String, Fault> {
//!         Ok(ctx.user_data.get::<AuthenticatedUser>().map(|u| u.0.clone()).unwrap_or_default())
//!     }
//! }
//!
//! let users = HashMap::from([("ann".to_owned(), "secret".to_owned())]);
//! let app = Application::builder("Vault", "urn:vault")
//!     .service(Vault)
//!     .protocol(Soap11::new())
//!     .call_wrapper(UsernameTokenValidator::new(users))
//!     .build()?;
//! let token = UsernameToken::digest("ann", "secret")?;
//! let client = VaultClient::new(WithUsernameToken::new(InProcess::new(app.clone()), token));
//! # let rt = tokio::runtime::Builder::new_current_thread().build()?;
//! # rt.block_on(async {
//! assert_eq!(client.whoami().await?, "ann");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod client;
mod clock;
mod digest;
pub mod faults;
mod lookup;
mod names;
mod nonce_cache;
mod parse;
mod validator;

pub use client::{CredentialError, NonceError, PasswordType, UsernameToken, WithUsernameToken};
pub use digest::password_digest;
pub use lookup::{AsyncLookup, PasswordLookup, SyncLookup, async_lookup, sync_lookup};
pub use names::{BASE64_BINARY, PASSWORD_DIGEST, PASSWORD_TEXT, WSSE_NS, WSU_NS, security_header};
pub use validator::{AuthenticatedUser, UsernameTokenValidator, ValidatorConfig};

/// Log target of this crate.
pub(crate) const LOG_TARGET: &str = "rpclib_ws_security";

/// The README's example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
