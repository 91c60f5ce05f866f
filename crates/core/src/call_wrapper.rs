//! Call wrappers: user code around every method call of an application or a service.

use std::any::Any;
use std::cell::Cell;
use std::fmt;

use crate::context::MethodContext;
use crate::fault::Fault;
use crate::service::MethodDescriptor;

/// Code that runs around a method call: the application-level wrapper wraps the service-level
/// one, which wraps the user method (rpclib's `call_wrapper`).
///
/// An override must call through with [`Next::call`]; it may act before and after (timing,
/// transactions, authorisation), or refuse the call by returning a fault without calling
/// through. Returning `Ok` without having called through is a bug, reported as a `Server`
/// fault. Any `Fn(&mut MethodContext, Next<'_>) -> Result<(), Fault>` closure is a wrapper.
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
///     fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
///         if ctx.user_data.get::<UserId>().is_none() {
///             return Err(Fault::client("NotAuthenticated", "no user"));
///         }
///         next.call(ctx)
///     }
/// }
/// ```
pub trait CallWrapper: Send + Sync + 'static {
    /// Runs around the call; must call `next.call(ctx)` to reach the method.
    fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault>;
}

impl<F> CallWrapper for F
where
    F: Fn(&mut MethodContext, Next<'_>) -> Result<(), Fault> + Send + Sync + 'static,
{
    fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
        self(ctx, next)
    }
}

/// The rest of the call chain, handed to a [`CallWrapper`].
pub struct Next<'a> {
    pub(crate) service_wrapper: Option<&'a dyn CallWrapper>,
    pub(crate) instance: &'a (dyn Any + Send + Sync),
    pub(crate) method: &'static MethodDescriptor,
    pub(crate) called: &'a Cell<bool>,
}

impl Next<'_> {
    /// Calls the next layer: the service's wrapper, or the user method. On success the
    /// method's response message is in `ctx.out_object`.
    pub fn call(self, ctx: &mut MethodContext) -> Result<(), Fault> {
        self.called.set(true);
        match self.service_wrapper {
            Some(wrapper) => {
                let inner_called = Cell::new(false);
                let next = Next {
                    service_wrapper: None,
                    instance: self.instance,
                    method: self.method,
                    called: &inner_called,
                };
                let result = wrapper.call(ctx, next);
                check_called_through(result, &inner_called, "service")
            }
            None => invoke(self.instance, self.method, ctx),
        }
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
    called: &Cell<bool>,
    level: &str,
) -> Result<(), Fault> {
    match result {
        Ok(()) if !called.get() => Err(Fault::server(format!(
            "the {level}-level call wrapper returned without calling through"
        ))),
        other => other,
    }
}

fn invoke(
    instance: &(dyn Any + Send + Sync),
    method: &'static MethodDescriptor,
    ctx: &mut MethodContext,
) -> Result<(), Fault> {
    let args = ctx
        .in_object
        .take()
        .ok_or_else(|| Fault::server(format!("no arguments for `{}`", method.operation)))?;
    let out = (method.invoke)(instance, ctx, args)?;
    ctx.out_object = Some(out);
    Ok(())
}
