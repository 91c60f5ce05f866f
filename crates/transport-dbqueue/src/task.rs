//! One task through rpclib's server pipeline, as rpclib's consumer ran it.

use std::sync::Arc;

use rpclib_core::{Application, Event};

use crate::LOG_TARGET;
use crate::executor::Executor;
use crate::position::TaskId;
use crate::session::SharedSession;
use crate::transport::QueueTransport;

/// Runs one task; returns the failure to record, if it failed.
pub(crate) fn run_task(
    app: &Arc<Application>,
    worker: i64,
    task: TaskId,
    data: Vec<u8>,
    max_payload: usize,
    session: &SharedSession,
    executor: &Executor,
) -> Option<String> {
    if data.len() > max_payload {
        let error = format!(
            "payload of {} bytes exceeds the limit of {max_payload} bytes; not parsed",
            data.len()
        );
        log::error!(target: LOG_TARGET, "worker {worker}, task {task}: {error}");
        return Some(error);
    }
    // `method_context_closed` fires once, from the guard, on every path out of this function.
    let mut ctx = app.new_context_with(QueueTransport::new(worker, task, Arc::clone(session)));
    ctx.in_string = vec![data];
    app.get_in_object(&mut ctx);
    let failure = if let Some(fault) = ctx.in_error.as_ref().map(ToString::to_string) {
        app.get_out_string(&mut ctx);
        log::error!(
            target: LOG_TARGET,
            "worker {worker}, task {task}: request rejected: {}",
            String::from_utf8_lossy(&ctx.out_bytes())
        );
        Some(format!("request rejected: {fault}"))
    } else {
        executor.block_on(app.get_out_object(&mut ctx));
        // The reply of a task that succeeded goes nowhere but the debug log and the string
        // listeners: write it only when one of them reads it. A fault is always written (its
        // text is logged at error level).
        if ctx.out_error.is_some() || reply_is_read(app, &ctx) {
            app.get_out_string(&mut ctx);
        }
        match &ctx.out_error {
            Some(fault) => {
                log::error!(
                    target: LOG_TARGET,
                    "worker {worker}, task {task}: `{}` failed: {}",
                    ctx.method_name().unwrap_or("?"),
                    String::from_utf8_lossy(&ctx.out_bytes())
                );
                Some(format!(
                    "{} failed: {fault}",
                    ctx.method_name().unwrap_or("the method")
                ))
            }
            None => {
                // The reply goes nowhere but the log (rpclib's behaviour): only join its
                // chunks when someone reads it.
                if debug_logged() {
                    log::debug!(
                        target: LOG_TARGET,
                        "worker {worker}, task {task}: {}",
                        String::from_utf8_lossy(&ctx.out_bytes())
                    );
                }
                None
            }
        }
    };
    ctx.close();
    failure
}

/// Whether this crate's debug log, where the replies of tasks go, is on.
fn debug_logged() -> bool {
    log::log_enabled!(target: LOG_TARGET, log::Level::Debug)
}

/// Whether anyone reads the reply of a task that succeeded: the debug log, or a listener of
/// the events writing it fires (`method_return_string`, or `method_exception_string` if the
/// result cannot be written).
fn reply_is_read(app: &Application, ctx: &rpclib_core::MethodContext) -> bool {
    debug_logged()
        || app.has_listeners(Event::MethodReturnString, ctx)
        || app.has_listeners(Event::MethodExceptionString, ctx)
}
