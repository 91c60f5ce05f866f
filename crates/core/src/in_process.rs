//! The in-process transport (rpclib's null server): calls through the whole pipeline,
//! events, validation and call wrappers included, without moving bytes.

use std::fmt;
use std::sync::Arc;

use crate::application::Application;
use crate::client::{Call, Caller, ClientError};
use crate::context::ContextCloseGuard;

/// The transport part of a [`MethodContext`](crate::MethodContext) for in-process calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InProcessTransport;

/// Calls an application's methods directly: a typed client over `InProcess` is the fastest way
/// to test a service, with the same events, validation, call wrappers and panic handling as
/// any transport.
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

impl Caller for InProcess {
    type Reply<T: Send + 'static> = T;

    fn call<T: Send + 'static>(&self, call: Call<T>) -> Result<T, ClientError> {
        let service = self
            .app
            .service_index_of(call.method)
            .ok_or(ClientError::UnknownMethod(call.method.operation))?;
        // Closed once when this call is done, whatever happens (the guard).
        let mut ctx = ContextCloseGuard::new(self.app.new_context_with(InProcessTransport));
        ctx.set_method(service, call.method);
        ctx.in_object = Some(call.args);
        ctx.in_headers = call.headers;
        self.app.get_out_object(&mut ctx);
        let result = match (ctx.out_error.take(), ctx.out_object.take()) {
            (Some(fault), _) => Err(ClientError::Fault(fault)),
            (None, Some(out)) => (call.extract)(out).ok_or(ClientError::NoReply),
            (None, None) => Err(ClientError::NoReply),
        };
        ctx.close();
        result
    }
}
