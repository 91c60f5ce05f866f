//! One task through rpclib's server pipeline, as rpclib's consumer ran it.

use std::sync::Arc;

use rpclib_core::{Application, ContextCloseGuard, Event};

use crate::LOG_TARGET;
use crate::executor::Executor;
use crate::position::TaskId;
use crate::session::SharedSession;
use crate::transport::QueueTransport;

/// Runs one task; returns the failure to record, if it failed.
///
/// `kept` is the context of the worker's previous task, closed and emptied: a worker runs
/// its tasks one after the other, so it starts each in that one (its transport box, method
/// name and buffers kept; `method_context_created` and `_closed` fire per task as before)
/// rather than building and dropping a context per task. What a task holds is still
/// dropped when it ends.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_task(
    app: &Arc<Application>,
    worker: i64,
    task: TaskId,
    data: Vec<u8>,
    max_payload: usize,
    session: &SharedSession,
    executor: &Executor,
    kept: &mut Option<ContextCloseGuard>,
) -> Option<String> {
    if data.len() > max_payload {
        let error = format!(
            "payload of {} bytes exceeds the limit of {max_payload} bytes; not parsed",
            data.len()
        );
        log::error!(target: LOG_TARGET, "worker {worker}, task {task}: {error}");
        return Some(error);
    }
    // `method_context_closed` fires once per task: at its end below, or from the guard if
    // this function is left by a panic.
    let transport = QueueTransport::new(worker, task, Arc::clone(session));
    let ctx = match kept {
        Some(ctx) => {
            ctx.reopen_with(transport);
            ctx
        }
        None => kept.insert(app.new_context_with(transport)),
    };
    ctx.in_string = vec![data];
    app.get_in_object(ctx);
    let failure = if let Some(fault) = ctx.in_error.as_ref().map(ToString::to_string) {
        app.get_out_string(ctx);
        log::error!(
            target: LOG_TARGET,
            "worker {worker}, task {task}: request rejected: {}",
            String::from_utf8_lossy(&ctx.out_bytes())
        );
        Some(format!("request rejected: {fault}"))
    } else {
        executor.block_on(app.get_out_object(ctx));
        // The reply of a task that succeeded goes nowhere but the debug log and the string
        // listeners: write it only when one of them reads it. A fault is always written (its
        // text is logged at error level).
        if ctx.out_error.is_some() || reply_is_read(app, ctx) {
            app.get_out_string(ctx);
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
    ctx.close_and_keep();
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
