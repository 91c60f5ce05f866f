//! The client side: a `wsse:Security` header with a `UsernameToken` on every call.

use std::fmt;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rpclib_core::xml_escape::escape_text;
use rpclib_core::{Call, Caller, RawHeader};
use time::OffsetDateTime;

use crate::clock;
use crate::digest::password_digest;
use crate::names::{
    BASE64_BINARY, PASSWORD_DIGEST, PASSWORD_TEXT, WSSE_NS, WSU_NS, security_header,
};

/// How the password travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordType {
    /// `#PasswordText`: the password as is (use it over HTTPS only).
    Text,
    /// `#PasswordDigest`: Base64(SHA-1(nonce + created + password)); the server must know the
    /// password in clear to check it.
    Digest,
}

/// Credentials that cannot be sent in XML.
#[derive(Debug, thiserror::Error)]
#[error("the {what} holds U+{code:04X}, which XML cannot carry")]
pub struct CredentialError {
    what: &'static str,
    code: u32,
}

/// A UsernameToken to send with every call: user name, password, how the password travels,
/// and optionally a `wsu:Timestamp`.
///
/// Each [`header`](Self::header) is fresh: a random 16-byte nonce and the current time as
/// `wsu:Created` (sent with text passwords too, so that the server can refuse replays), the
/// block marked `mustUnderstand`.
///
/// ```
/// use std::time::Duration;
/// use rpclib_ws_security::{UsernameToken, WSSE_NS};
///
/// let token = UsernameToken::digest("ann", "secret")?.with_timestamp(Duration::from_secs(300));
/// let header = token.header()?;
/// assert!(header.name.is(WSSE_NS, "Security"));
/// assert!(header.must_understand);
/// assert!(header.xml.as_str().contains("#PasswordDigest"));
/// assert!(!header.xml.as_str().contains("secret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct UsernameToken {
    username: String,
    password: String,
    password_type: PasswordType,
    timestamp: Option<Duration>,
}

impl fmt::Debug for UsernameToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameToken")
            .field("username", &self.username)
            .field("password_type", &self.password_type)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

/// Failure to make a header: the system's random source did not answer.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw a random nonce for the UsernameToken: {0}")]
pub struct NonceError(getrandom::Error);

impl UsernameToken {
    /// A token sending `password` as text.
    pub fn text(username: &str, password: &str) -> Result<Self, CredentialError> {
        Self::new(username, password, PasswordType::Text)
    }

    /// A token sending a digest of `password`.
    pub fn digest(username: &str, password: &str) -> Result<Self, CredentialError> {
        Self::new(username, password, PasswordType::Digest)
    }

    /// A token sending `password` as `password_type` says.
    pub fn new(
        username: &str,
        password: &str,
        password_type: PasswordType,
    ) -> Result<Self, CredentialError> {
        for (what, value) in [("user name", username), ("password", password)] {
            escape_text(&mut Vec::new(), value).map_err(|c| CredentialError {
                what,
                code: u32::from(c),
            })?;
        }
        Ok(UsernameToken {
            username: username.to_owned(),
            password: password.to_owned(),
            password_type,
            timestamp: None,
        })
    }

    /// Also sends a `wsu:Timestamp` whose `Expires` is `ttl` after its `Created`.
    pub fn with_timestamp(mut self, ttl: Duration) -> Self {
        self.timestamp = Some(ttl);
        self
    }

    /// The user name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// How the password travels.
    pub fn password_type(&self) -> PasswordType {
        self.password_type
    }

    /// A fresh `wsse:Security` header block: a new nonce, created now.
    pub fn header(&self) -> Result<RawHeader, NonceError> {
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce).map_err(NonceError)?;
        Ok(self.header_with(&nonce, OffsetDateTime::now_utc()))
    }

    /// The `wsse:Security` header block with this `nonce`, created at `now` (for tests and
    /// for callers with their own random source; never reuse a nonce).
    pub fn header_with(&self, nonce: &[u8], now: OffsetDateTime) -> RawHeader {
        let created = clock::format(now);
        let mut xml = String::with_capacity(1024);
        xml.push_str(&format!(
            "<wsse:Security xmlns:wsse=\"{WSSE_NS}\" xmlns:wsu=\"{WSU_NS}\">"
        ));
        if let Some(ttl) = self.timestamp {
            let expires = clock::format(now + ttl);
            xml.push_str(&format!(
                "<wsu:Timestamp wsu:Id=\"TS-1\"><wsu:Created>{created}</wsu:Created>\
                 <wsu:Expires>{expires}</wsu:Expires></wsu:Timestamp>"
            ));
        }
        let (kind, password) = match self.password_type {
            PasswordType::Text => (PASSWORD_TEXT, self.password.clone()),
            PasswordType::Digest => (
                PASSWORD_DIGEST,
                password_digest(nonce, &created, &self.password),
            ),
        };
        xml.push_str("<wsse:UsernameToken wsu:Id=\"UsernameToken-1\"><wsse:Username>");
        push_escaped(&mut xml, &self.username);
        xml.push_str(&format!("</wsse:Username><wsse:Password Type=\"{kind}\">"));
        push_escaped(&mut xml, &password);
        xml.push_str(&format!(
            "</wsse:Password><wsse:Nonce EncodingType=\"{BASE64_BINARY}\">{}</wsse:Nonce>\
             <wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>",
            STANDARD.encode(nonce)
        ));
        RawHeader::new(security_header(), xml, true)
    }
}

/// Appends `text` escaped; `new` checked that it holds only characters XML can carry.
fn push_escaped(xml: &mut String, text: &str) {
    let mut buf = Vec::with_capacity(text.len());
    let _ = escape_text(&mut buf, text);
    xml.push_str(&String::from_utf8_lossy(&buf));
}

/// A [`Caller`] that adds a fresh `wsse:Security` header with a [`UsernameToken`] to every
/// call of the caller it wraps (a `RemoteClient` over the async or the blocking HTTP client,
/// or any other): generated clients take it where they take the caller.
///
/// ```no_run
/// # use std::sync::Arc;
/// # fn demo(app: Arc<rpclib_core::Application>) -> Result<(), Box<dyn std::error::Error>> {
/// use rpclib_transport_http::AsyncHttpClient;
/// use rpclib_ws_security::{UsernameToken, WithUsernameToken};
///
/// let caller = AsyncHttpClient::new("https://example.com/soap")?.caller(app);
/// let caller = WithUsernameToken::new(caller, UsernameToken::digest("ann", "secret")?);
/// // let client = HelloWorldServiceClient::new(caller); client.say_hello(..).await?
/// # let _ = caller; Ok(()) }
/// ```
///
/// If the system's random source fails, the call is refused before anything is sent (the
/// caller's `ClientError::InvalidRequest`, naming the nonce).
#[derive(Debug)]
pub struct WithUsernameToken<C> {
    inner: C,
    token: UsernameToken,
}

impl<C> WithUsernameToken<C> {
    /// Wraps `inner`, sending `token` with every call.
    pub fn new(inner: C, token: UsernameToken) -> Self {
        WithUsernameToken { inner, token }
    }

    /// The wrapped caller.
    pub fn inner(&self) -> &C {
        &self.inner
    }

    /// The token sent.
    pub fn token(&self) -> &UsernameToken {
        &self.token
    }
}

impl<C: Caller> Caller for WithUsernameToken<C> {
    type Output<'a, T: Send + 'static>
        = C::Output<'a, T>
    where
        Self: 'a;

    fn call<'a, T: Send + 'static>(&'a self, mut call: Call<T>) -> Self::Output<'a, T> {
        let header = self.token.header().unwrap_or_else(|e| {
            // A block of text alone: the protocol refuses it, quoting the text, so the call
            // fails with this reason (`InvalidRequest`) instead of going out without a token.
            log::error!("{e}");
            RawHeader::new(security_header(), e.to_string(), true)
        });
        call.headers.push(Box::new(header));
        self.inner.call(call)
    }
}
