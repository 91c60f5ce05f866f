//! The server side: a call wrapper that checks the request's UsernameToken.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rpclib_core::{CallWrapper, Fault, HeaderName, MethodContext, Next};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::clock;
use crate::digest::digest_bytes;
use crate::faults::{
    failed_authentication, invalid_security, message_expired, unsupported_security_token,
};
use crate::lookup::PasswordLookup;
use crate::names::{WSSE_NS, security_header};
use crate::nonce_cache::NonceCache;
use crate::parse::{self, ParseError, Password, Security, Token};

/// The request's one `wsse:Security` block, read.
fn read_security(ctx: &MethodContext) -> Result<Security, Fault> {
    let mut blocks = ctx
        .raw_in_headers()
        .filter(|h| h.name.is(WSSE_NS, "Security"));
    let block = blocks
        .next()
        .ok_or_else(|| invalid_security("the request has no wsse:Security header"))?;
    if blocks.next().is_some() {
        return Err(invalid_security(
            "the request has more than one wsse:Security header",
        ));
    }
    parse::parse(block.xml.as_str()).map_err(|e| match e {
        ParseError::Invalid(why) => invalid_security(&why),
        ParseError::Unsupported(why) => unsupported_security_token(&why),
    })
}

/// The user a request was authenticated as: put into `ctx.user_data` by
/// [`UsernameTokenValidator`] before the method runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedUser(pub String);

/// What the validator accepts.
#[derive(Debug, Clone)]
pub struct ValidatorConfig {
    /// How far a sender's clock may be ahead of ours or behind it (default 5 minutes).
    pub max_clock_skew: Duration,
    /// How old a token's `Created` (and a timestamp's `Created`) may be (default 5 minutes):
    /// the replay window, for which nonces are remembered.
    pub max_age: Duration,
    /// How many nonces are remembered at most (default 100,000).
    pub nonce_cache_capacity: usize,
    /// Accept `#PasswordText` (default `true`; turn it off to require digests).
    pub allow_text: bool,
    /// Require a nonce and `Created` with text passwords too (default `false`, as zeep and
    /// most clients send a text password alone; without them replays cannot be told apart).
    /// Digest passwords always require both.
    pub require_nonce: bool,
    /// Require a `wsu:Timestamp` (default `false`).
    pub require_timestamp: bool,
}

impl Default for ValidatorConfig {
    fn default() -> Self {
        ValidatorConfig {
            max_clock_skew: Duration::from_secs(300),
            max_age: Duration::from_secs(300),
            nonce_cache_capacity: 100_000,
            allow_text: true,
            require_nonce: false,
            require_timestamp: false,
        }
    }
}

/// A [`CallWrapper`] that admits only calls carrying a valid WS-Security UsernameToken
/// (OASIS WSS UsernameToken profile 1.0/1.1), checked against a [`PasswordLookup`].
///
/// Installing it (application or service level) registers `wsse:Security` as understood, so
/// that the block's `mustUnderstand="1"` is accepted. For each call it:
///
/// - reads the request's `wsse:Security` block (as raw XML, with roxmltree, bounded);
///   missing or malformed: `wsse:InvalidSecurity`;
/// - checks a `wsu:Timestamp`: `Expires` passed (beyond the clock skew) or `Created` older than
///   [`max_age`](ValidatorConfig::max_age): `wsse:MessageExpired`; `Created` in the future
///   beyond the skew: `wsse:InvalidSecurity`; the token's own `Created` likewise;
/// - looks the password up and compares it in constant time (a text password through SHA-1 of
///   both sides, so that its length does not show; a digest recomputed from nonce, created and
///   password); unknown user or wrong password: `wsse:FailedAuthentication`;
/// - refuses a nonce the same user sent within the window (`wsse:FailedAuthentication`);
/// - puts [`AuthenticatedUser`] into `ctx.user_data` and calls the method.
///
/// ```
/// use std::collections::HashMap;
/// use rpclib_core::Application;
/// use rpclib_ws_security::UsernameTokenValidator;
///
/// let users = HashMap::from([("ann".to_owned(), "secret".to_owned())]);
/// let app = Application::builder("app", "urn:app")
///     .call_wrapper(UsernameTokenValidator::new(users))
///     .build()?;
/// assert!(app.catalogue().understands_header(rpclib_ws_security::WSSE_NS, "Security"));
/// # Ok::<(), rpclib_core::ConfigError>(())
/// ```
pub struct UsernameTokenValidator<L> {
    lookup: L,
    config: ValidatorConfig,
    nonces: NonceCache,
}

impl<L> fmt::Debug for UsernameTokenValidator<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsernameTokenValidator")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<L: PasswordLookup> UsernameTokenValidator<L> {
    /// A validator with the default [`ValidatorConfig`].
    pub fn new(lookup: L) -> Self {
        Self::with_config(lookup, ValidatorConfig::default())
    }

    /// A validator with `config`.
    pub fn with_config(lookup: L, config: ValidatorConfig) -> Self {
        // A nonce must be remembered as long as a token created with it is accepted: its age
        // limit plus the skew on either side.
        let lifetime = config.max_age + config.max_clock_skew * 2;
        UsernameTokenValidator {
            nonces: NonceCache::new(config.nonce_cache_capacity, lifetime),
            lookup,
            config,
        }
    }

    /// Checks the token of the request in `ctx`; the authenticated user on success.
    pub fn validate(
        &self,
        ctx: &MethodContext,
    ) -> impl Future<Output = Result<AuthenticatedUser, Fault>> + Send + '_ {
        // Read the block before the future: the context is not `Sync`, so no reference to it
        // may live across an await.
        let security = read_security(ctx);
        async move {
            self.check(security?, OffsetDateTime::now_utc(), Instant::now())
                .await
        }
    }

    #[cfg(test)]
    async fn validate_at(
        &self,
        ctx: &MethodContext,
        now: OffsetDateTime,
        instant: Instant,
    ) -> Result<AuthenticatedUser, Fault> {
        let security = read_security(ctx);
        self.check(security?, now, instant).await
    }

    async fn check(
        &self,
        security: Security,
        now: OffsetDateTime,
        instant: Instant,
    ) -> Result<AuthenticatedUser, Fault> {
        match &security.timestamp {
            Some(ts) => {
                self.check_created(&ts.created, now, "the Timestamp")?;
                if let Some(expires) = &ts.expires {
                    let expires = clock::parse(expires).ok_or_else(|| {
                        invalid_security("the Timestamp's Expires is not a UTC xsd:dateTime")
                    })?;
                    if expires + self.config.max_clock_skew < now {
                        return Err(message_expired("the Timestamp's Expires has passed"));
                    }
                }
            }
            None if self.config.require_timestamp => {
                return Err(invalid_security(
                    "the wsse:Security header has no Timestamp",
                ));
            }
            None => {}
        }
        let token = security
            .token
            .ok_or_else(|| invalid_security("the wsse:Security header has no UsernameToken"))?;
        if let Some(created) = &token.created {
            self.check_created(created, now, "the UsernameToken")?;
        }
        self.check_password(&token).await?;
        if let Some(nonce) = &token.nonce
            && !self.nonces.insert(&token.username, nonce, instant)
        {
            log::warn!(
                target: crate::LOG_TARGET,
                "a UsernameToken nonce of `{}` was sent again: refused as a replay",
                token.username
            );
            return Err(failed_authentication());
        }
        Ok(AuthenticatedUser(token.username))
    }

    /// `Created` must be neither older than the window nor in the future beyond the skew.
    fn check_created(&self, created: &str, now: OffsetDateTime, what: &str) -> Result<(), Fault> {
        let created = clock::parse(created).ok_or_else(|| {
            invalid_security(&format!("{what}'s Created is not a UTC xsd:dateTime"))
        })?;
        if created > now + self.config.max_clock_skew {
            return Err(invalid_security(&format!(
                "{what}'s Created is in the future"
            )));
        }
        if created + self.config.max_age + self.config.max_clock_skew < now {
            return Err(message_expired(&format!("{what}'s Created is too old")));
        }
        Ok(())
    }

    async fn check_password(&self, token: &Token) -> Result<(), Fault> {
        let password = token
            .password
            .as_ref()
            .ok_or_else(|| invalid_security("the UsernameToken has no Password"))?;
        let (nonce, created) = match password {
            Password::Text(_) if !self.config.allow_text => {
                return Err(unsupported_security_token(
                    "this service requires a PasswordDigest",
                ));
            }
            Password::Text(_) if !self.config.require_nonce => (None, None),
            _ => match (&token.nonce, &token.created) {
                (Some(n), Some(c)) => (Some(n), Some(c)),
                _ => {
                    return Err(invalid_security(
                        "the UsernameToken needs a Nonce and a Created",
                    ));
                }
            },
        };
        // Look the user up even for a token that cannot match, so that timing does not tell
        // unknown users from known ones any more than the lookup itself does.
        let expected = self.lookup.password(&token.username).await;
        let matches = match (password, expected) {
            (_, None) => false,
            (Password::Text(given), Some(expected)) => {
                let a: [u8; 20] = Sha1::digest(given.as_bytes()).into();
                let b: [u8; 20] = Sha1::digest(expected.as_bytes()).into();
                bool::from(a.ct_eq(&b))
            }
            (Password::Digest(given), Some(expected)) => {
                let (Some(nonce), Some(created)) = (nonce, created) else {
                    return Err(failed_authentication());
                };
                let want = digest_bytes(nonce, created, &expected);
                match STANDARD.decode(given) {
                    Ok(got) => bool::from(got.as_slice().ct_eq(want.as_slice())),
                    Err(_) => false,
                }
            }
        };
        if matches {
            Ok(())
        } else {
            log::info!(
                target: crate::LOG_TARGET,
                "UsernameToken of `{}` refused: unknown user or wrong password",
                token.username
            );
            Err(failed_authentication())
        }
    }
}

impl<L: PasswordLookup> CallWrapper for UsernameTokenValidator<L> {
    async fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
        let user = self.validate(ctx).await?;
        ctx.user_data.insert(user);
        next.call(ctx).await
    }

    fn understood_headers(&self) -> Vec<HeaderName> {
        vec![security_header()]
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use rpclib_core::RawHeader;

    use super::*;
    use crate::client::UsernameToken;

    fn validator() -> UsernameTokenValidator<HashMap<String, String>> {
        UsernameTokenValidator::new(HashMap::from([("ann".to_owned(), "secret".to_owned())]))
    }

    fn ctx_with(header: RawHeader) -> MethodContext {
        let mut ctx = MethodContext::new();
        ctx.in_headers.push(Box::new(header));
        ctx
    }

    fn code(result: Result<AuthenticatedUser, Fault>) -> String {
        match result {
            Ok(u) => format!("ok {}", u.0),
            Err(f) => {
                assert_eq!(f.code.namespace(), Some(WSSE_NS));
                f.code.as_str().to_owned()
            }
        }
    }

    fn block(token: &UsernameToken, nonce: &[u8], created: OffsetDateTime) -> MethodContext {
        ctx_with(token.header_with(nonce, created))
    }

    async fn check(
        v: &UsernameTokenValidator<HashMap<String, String>>,
        ctx: &MethodContext,
        now: OffsetDateTime,
    ) -> String {
        code(v.validate_at(ctx, now, Instant::now()).await)
    }

    #[tokio::test]
    async fn text_and_digest_pass_and_everything_else_fails() {
        let v = validator();
        let now = OffsetDateTime::now_utc();
        let digest = UsernameToken::digest("ann", "secret").expect("valid");
        let text = UsernameToken::text("ann", "secret").expect("valid");
        assert_eq!(check(&v, &block(&digest, b"n1", now), now).await, "ok ann");
        assert_eq!(check(&v, &block(&text, b"n2", now), now).await, "ok ann");
        // Replays of either.
        assert_eq!(
            check(&v, &block(&digest, b"n1", now), now).await,
            "Client.FailedAuthentication"
        );
        assert_eq!(
            check(&v, &block(&text, b"n2", now), now).await,
            "Client.FailedAuthentication"
        );
        let wrong = UsernameToken::digest("ann", "guess").expect("valid");
        assert_eq!(
            check(&v, &block(&wrong, b"n3", now), now).await,
            "Client.FailedAuthentication"
        );
        let wrong_text = UsernameToken::text("ann", "secre").expect("valid");
        assert_eq!(
            check(&v, &block(&wrong_text, b"n4", now), now).await,
            "Client.FailedAuthentication"
        );
        let unknown = UsernameToken::text("bob", "secret").expect("valid");
        assert_eq!(
            check(&v, &block(&unknown, b"n5", now), now).await,
            "Client.FailedAuthentication"
        );
        // A failed attempt does not burn the nonce for the real user.
        assert_eq!(check(&v, &block(&digest, b"n3", now), now).await, "ok ann");
        // Stale and future.
        let old = now - Duration::from_secs(3600);
        assert_eq!(
            check(&v, &block(&digest, b"n6", old), now).await,
            "Client.MessageExpired"
        );
        let future = now + Duration::from_secs(3600);
        assert_eq!(
            check(&v, &block(&digest, b"n7", future), now).await,
            "Client.InvalidSecurity"
        );
        // Within the skew is fine.
        let skewed = now + Duration::from_secs(60);
        assert_eq!(
            check(&v, &block(&digest, b"n8", skewed), now).await,
            "ok ann"
        );
        // No header at all.
        assert_eq!(
            check(&v, &MethodContext::new(), now).await,
            "Client.InvalidSecurity"
        );
    }

    #[tokio::test]
    async fn timestamps_are_checked() {
        let v = validator();
        let now = OffsetDateTime::now_utc();
        let token = UsernameToken::digest("ann", "secret")
            .expect("valid")
            .with_timestamp(Duration::from_secs(60));
        assert_eq!(check(&v, &block(&token, b"t1", now), now).await, "ok ann");
        // Expired 10 minutes ago (created 11 minutes ago, TTL 1 minute).
        let ctx = block(&token, b"t2", now - Duration::from_secs(660));
        assert_eq!(check(&v, &ctx, now).await, "Client.MessageExpired");
        let strict = UsernameTokenValidator::with_config(
            HashMap::from([("ann".to_owned(), "secret".to_owned())]),
            ValidatorConfig {
                require_timestamp: true,
                allow_text: false,
                ..ValidatorConfig::default()
            },
        );
        let plain = UsernameToken::digest("ann", "secret").expect("valid");
        assert_eq!(
            check(&strict, &block(&plain, b"t3", now), now).await,
            "Client.InvalidSecurity"
        );
        let text = UsernameToken::text("ann", "secret")
            .expect("valid")
            .with_timestamp(Duration::from_secs(60));
        assert_eq!(
            check(&strict, &block(&text, b"t4", now), now).await,
            "Client.UnsupportedSecurityToken"
        );
    }

    #[tokio::test]
    async fn a_text_password_without_nonce_is_accepted_unless_required() {
        let xml = format!(
            "<wsse:Security xmlns:wsse=\"{WSSE_NS}\"><wsse:UsernameToken>\
             <wsse:Username>ann</wsse:Username><wsse:Password>secret</wsse:Password>\
             </wsse:UsernameToken></wsse:Security>"
        );
        let ctx = ctx_with(RawHeader::new(security_header(), xml, true));
        let now = OffsetDateTime::now_utc();
        assert_eq!(check(&validator(), &ctx, now).await, "ok ann");
        let strict = UsernameTokenValidator::with_config(
            HashMap::from([("ann".to_owned(), "secret".to_owned())]),
            ValidatorConfig {
                require_nonce: true,
                ..ValidatorConfig::default()
            },
        );
        assert_eq!(check(&strict, &ctx, now).await, "Client.InvalidSecurity");
    }
}
