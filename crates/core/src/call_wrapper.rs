//! Call wrappers: user code around every method call of an application or a service.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::context::MethodContext;
use crate::fault::Fault;
use crate::raw_header::HeaderName;
use crate::service::{BoxFuture, Invoke, MethodDescriptor};

/// Code that runs around a method call: the application-level wrapper wraps the service-level
/// one, which wraps the user method (rpclib's `call_wrapper`).
///
/// A wrapper is async, so it can await around the call (take a connection from a pool, ask an
/// authorisation service, time the call), and it wraps blocking and `async fn` methods
/// alike: `next.call(ctx).await` runs the rest of the chain either way.
///
/// An override must call through with [`Next::call`]; it may act before and after (timing,
/// transactions, authorisation), or refuse the call by returning a fault without calling
/// through. Returning `Ok` without having called through is a bug, reported as a `Server`
/// fault. A panic in a wrapper is caught like a panic in the method (a `Server` fault).
///
/// Implement it with an `async fn`:
///
/// ```
/// use rpclib_core::{CallWrapper, Fault, MethodContext, Next};
///
/// /// Refuses calls without a user id in the request's user data.
/// #[derive(Debug)]
/// struct RequireUser;
///
/// #[derive(Debug)]
/// struct UserId(u64);
///
/// impl CallWrapper for RequireUser {
///     async fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
///         if ctx.user_data.get::<UserId>().is_none() {
///             return Err(Fault::client("NotAuthenticated", "no user"));
///         }
///         next.call(ctx).await
///     }
/// }
/// ```
///
/// or from a closure with [`wrap_fn`].
///
/// The future must be `Send` (it may move between the runtime's threads while it waits): hold
/// no `Rc` or `std::sync::MutexGuard` across an `.await`.
pub trait CallWrapper: Send + Sync + 'static {
    /// Runs around the call; must call `next.call(ctx).await` to reach the method.
    fn call(
        &self,
        ctx: &mut MethodContext,
        next: Next<'_>,
    ) -> impl Future<Output = Result<(), Fault>> + Send;

    /// The header blocks this wrapper processes. Installing the wrapper registers them with
    /// the application ([`ApplicationBuilder::understand_header`](crate::ApplicationBuilder::understand_header)),
    /// so that a block marked `mustUnderstand` with one of these names is accepted rather than
    /// refused with a `MustUnderstand` fault: the wrapper takes on understanding it (and
    /// should refuse a call whose block it cannot process). None by default.
    fn understood_headers(&self) -> Vec<HeaderName> {
        Vec::new()
    }
}

/// A [`CallWrapper`] made from a closure returning a boxed future.
///
/// ```
/// use rpclib_core::{Application, Fault, wrap_fn};
///
/// let app = Application::builder("app", "urn:app")
///     .call_wrapper(wrap_fn(|ctx, next| {
///         Box::pin(async move {
///             let started = std::time::Instant::now();
///             let result = next.call(ctx).await;
///             log::debug!("call took {:?}", started.elapsed());
///             result
///         })
///     }))
///     .build()?;
/// # Ok::<(), rpclib_core::ConfigError>(())
/// ```
pub fn wrap_fn<F>(f: F) -> FnWrapper<F>
where
    F: for<'a> Fn(&'a mut MethodContext, Next<'a>) -> BoxFuture<'a, Result<(), Fault>>
        + Send
        + Sync
        + 'static,
{
    FnWrapper(f)
}

/// The [`CallWrapper`] [`wrap_fn`] makes.
pub struct FnWrapper<F>(F);

impl<F> fmt::Debug for FnWrapper<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnWrapper")
    }
}

impl<F> CallWrapper for FnWrapper<F>
where
    F: for<'a> Fn(&'a mut MethodContext, Next<'a>) -> BoxFuture<'a, Result<(), Fault>>
        + Send
        + Sync
        + 'static,
{
    // An `async fn`, so that the future captures the three input lifetimes as they are (the
    // closure's own future lives only as long as the shortest of them).
    async fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
        (self.0)(ctx, next).await
    }
}

/// The object-safe form of [`CallWrapper`] the application stores (`impl Future` in a trait
/// cannot be called through `dyn`): one boxed future per wrapper per call.
pub(crate) trait DynCallWrapper: Send + Sync {
    fn call_boxed<'a>(
        &'a self,
        ctx: &'a mut MethodContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<(), Fault>>;
}

impl<W: CallWrapper> DynCallWrapper for W {
    fn call_boxed<'a>(
        &'a self,
        ctx: &'a mut MethodContext,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<(), Fault>> {
        Box::pin(self.call(ctx, next))
    }
}

/// The rest of the call chain, handed to a [`CallWrapper`].
pub struct Next<'a> {
    pub(crate) service_wrapper: Option<&'a dyn DynCallWrapper>,
    pub(crate) instance: &'a (dyn Any + Send + Sync),
    pub(crate) method: &'static MethodDescriptor,
    pub(crate) called: &'a AtomicBool,
}

impl Next<'_> {
    /// Calls the next layer: the service's wrapper, or the user method (awaiting it if it is
    /// an `async fn`, calling it in place if it is a blocking one). On success the method's
    /// response message is in `ctx.out_object`.
    pub async fn call(self, ctx: &mut MethodContext) -> Result<(), Fault> {
        self.called.store(true, Ordering::Relaxed);
        match self.service_wrapper {
            Some(wrapper) => {
                let inner_called = AtomicBool::new(false);
                let next = Next {
                    service_wrapper: None,
                    instance: self.instance,
                    method: self.method,
                    called: &inner_called,
                };
                let result = wrapper.call_boxed(ctx, next).await;
                check_called_through(result, &inner_called, "service")
            }
            None => invoke(self.instance, self.method, ctx).await,
        }
    }

    /// The method this call reaches.
    pub fn method(&self) -> &'static MethodDescriptor {
        self.method
    }
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("method", &self.method.operation)
            .finish_non_exhaustive()
    }
}

/// Turns `Ok` from a wrapper that never called through into a `Server` fault.
pub(crate) fn check_called_through(
    result: Result<(), Fault>,
    called: &AtomicBool,
    level: &str,
) -> Result<(), Fault> {
    match result {
        Ok(()) if !called.load(Ordering::Relaxed) => Err(Fault::server(format!(
            "the {level}-level call wrapper returned without calling through"
        ))),
        other => other,
    }
}

async fn invoke(
    instance: &(dyn Any + Send + Sync),
    method: &'static MethodDescriptor,
    ctx: &mut MethodContext,
) -> Result<(), Fault> {
    let args = ctx
        .in_object
        .take()
        .ok_or_else(|| Fault::server(format!("no arguments for `{}`", method.operation)))?;
    let out = match method.invoke {
        Invoke::Blocking(f) => f(instance, ctx, args)?,
        Invoke::Async(f) => f(instance, ctx, args).await?,
    };
    ctx.out_object = Some(out);
    Ok(())
}
