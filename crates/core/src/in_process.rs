//! The in-process transport (rpclib's null server): calls through the whole pipeline,
//! events, validation and call wrappers included, without moving bytes.

use std::fmt;
use std::sync::Arc;

use crate::application::Application;
use crate::client::{Call, Caller, ClientError, ReplyParts};
use crate::service::BoxFuture;

/// The transport part of a [`MethodContext`](crate::MethodContext) for in-process calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InProcessTransport;

/// Calls an application's methods directly: a typed client over `InProcess` is the fastest way
/// to test a service, with the same events, validation, call wrappers and panic handling as
/// any transport. Its calls are futures (`client.method(args).await`), for blocking and
/// `async fn` methods alike.
///
/// ```
/// # use rpclib_core::{Application, InProcess};
/// # let app = Application::builder("app", "urn:app").build().unwrap();
/// let caller = InProcess::new(app);
/// ```
pub struct InProcess {
    app: Arc<Application>,
}

impl InProcess {
    /// A caller for `app`.
    pub fn new(app: Arc<Application>) -> Self {
        InProcess { app }
    }

    /// The application.
    pub fn app(&self) -> &Arc<Application> {
        &self.app
    }
}

impl fmt::Debug for InProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InProcess")
            .field("app", &self.app.name())
            .finish()
    }
}

impl InProcess {
    /// Runs one call through the pipeline: validation, events, call wrappers, the method
    /// (awaited if it is an `async fn`), as a server transport would.
    async fn run<T: Send + 'static>(&self, call: Call<T>) -> Result<T, ClientError> {
        let method = self
            .app
            .catalogue()
            .method_ref(call.method)
            .ok_or(ClientError::UnknownMethod(call.method.operation))?;
        // Closed once when this call is done, whatever happens (the guard); dropping the
        // future mid-call closes it too.
        let mut ctx = self.app.new_context_with(InProcessTransport);
        ctx.set_method(method);
        ctx.in_object = Some(call.args);
        ctx.in_headers = call.headers;
        self.app.get_out_object(&mut ctx).await;
        let result = match (ctx.out_error.take(), ctx.out_object.take()) {
            (Some(fault), _) => Err(ClientError::Fault(fault)),
            (None, Some(out)) => (call.extract)(ReplyParts {
                message: out,
                headers: std::mem::take(&mut ctx.out_headers),
            })
            .ok_or(ClientError::NoReply),
            (None, None) => Err(ClientError::NoReply),
        };
        ctx.close();
        result
    }
}

/// Calls are futures: await them on any executor. A blocking method runs inside the poll,
/// an `async fn` is awaited (so an async method that needs a runtime, such as tokio's
/// timers, needs the call to be awaited on that runtime).
impl Caller for InProcess {
    type Output<'a, T: Send + 'static>
        = BoxFuture<'a, Result<T, ClientError>>
    where
        Self: 'a;

    fn call<'a, T: Send + 'static>(&'a self, call: Call<T>) -> Self::Output<'a, T> {
        Box::pin(self.run(call))
    }
}
