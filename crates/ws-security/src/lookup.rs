//! Where the validator finds a user's password.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;

/// Finds the password of a user, or `None` for an unknown user. The validator needs the
/// password in clear: a `PasswordDigest` can only be checked by computing it again.
///
/// Implemented by `HashMap<String, String>` (user name to password), by [`sync_lookup`] for
/// a closure and by [`async_lookup`] for a closure returning a future (a database query).
pub trait PasswordLookup: Send + Sync + 'static {
    /// The password of `username`, if the user exists.
    fn password(&self, username: &str) -> impl Future<Output = Option<String>> + Send;
}

impl PasswordLookup for HashMap<String, String> {
    async fn password(&self, username: &str) -> Option<String> {
        self.get(username).cloned()
    }
}

/// A [`PasswordLookup`] from a plain function.
///
/// ```
/// use rpclib_ws_security::{UsernameTokenValidator, sync_lookup};
///
/// let validator = UsernameTokenValidator::new(sync_lookup(|user| {
///     (user == "ann").then(|| "secret".to_owned())
/// }));
/// # let _ = validator;
/// ```
pub fn sync_lookup<F>(f: F) -> SyncLookup<F>
where
    F: Fn(&str) -> Option<String> + Send + Sync + 'static,
{
    SyncLookup(f)
}

/// The [`PasswordLookup`] [`sync_lookup`] makes.
pub struct SyncLookup<F>(F);

impl<F> fmt::Debug for SyncLookup<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncLookup")
    }
}

impl<F> PasswordLookup for SyncLookup<F>
where
    F: Fn(&str) -> Option<String> + Send + Sync + 'static,
{
    async fn password(&self, username: &str) -> Option<String> {
        (self.0)(username)
    }
}

/// A [`PasswordLookup`] from a function returning a future (which owns the user name).
///
/// ```
/// use rpclib_ws_security::{UsernameTokenValidator, async_lookup};
///
/// let validator = UsernameTokenValidator::new(async_lookup(|user: String| async move {
///     // e.g. a query on a connection pool
///     (user == "ann").then(|| "secret".to_owned())
/// }));
/// # let _ = validator;
/// ```
pub fn async_lookup<F, Fut>(f: F) -> AsyncLookup<F>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<String>> + Send,
{
    AsyncLookup(f)
}

/// The [`PasswordLookup`] [`async_lookup`] makes.
pub struct AsyncLookup<F>(F);

impl<F> fmt::Debug for AsyncLookup<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AsyncLookup")
    }
}

impl<F, Fut> PasswordLookup for AsyncLookup<F>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<String>> + Send,
{
    fn password(&self, username: &str) -> impl Future<Output = Option<String>> + Send {
        (self.0)(username.to_owned())
    }
}
