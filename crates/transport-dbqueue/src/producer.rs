//! The producer: a client transport that enqueues calls instead of sending them.

use std::fmt;
use std::sync::{Arc, Mutex};

use rpclib_core::{Application, Call, Caller, ClientError, Fault, OutgoingCall};

use crate::error::QueueError;
use crate::position::TaskId;
use crate::queue::Queue;

/// Enqueues the calls of any typed client: `FooClient::new(queue.producer(app))` returns a
/// [`TaskId`] per call, durable when the call returns. On PostgreSQL any number of producers
/// commit side by side; on SQLite and MySQL they take turns (see the crate's "Guarantees").
///
/// Calls are serialized with the application's out-protocol (for SOAP: the request envelope,
/// as rpclib stored it).
#[derive(Clone)]
pub struct Producer {
    queue: Queue,
    app: Arc<Application>,
}

impl fmt::Debug for Producer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer")
            .field("app", &self.app.name())
            .finish_non_exhaustive()
    }
}

impl Producer {
    pub(crate) fn new(queue: Queue, app: Arc<Application>) -> Producer {
        Producer { queue, app }
    }

    /// The queue.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// Enqueues every call `f` makes through the [`Batch`] in one transaction; returns
    /// their ids in call order. Nothing is enqueued if `f` fails.
    ///
    /// A typed client over `&Batch` (`FooClient::new(batch)`) queues each call in the batch
    /// and returns its position in it.
    pub fn batch(
        &self,
        f: impl FnOnce(&Batch) -> Result<(), ClientError>,
    ) -> Result<Vec<TaskId>, ClientError> {
        let batch = Batch {
            app: Arc::clone(&self.app),
            max_payload: self.queue.max_payload(),
            payloads: Mutex::new(Vec::new()),
        };
        f(&batch)?;
        let payloads = batch
            .payloads
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        self.queue.enqueue_raw(&payloads).map_err(transport_error)
    }
}

impl Caller for Producer {
    type Output<'a, T: Send + 'static>
        = Result<TaskId, ClientError>
    where
        Self: 'a;

    fn call<T: Send + 'static>(&self, call: Call<T>) -> Result<TaskId, ClientError> {
        let payload = serialize(&self.app, call, self.queue.max_payload())?;
        let ids = self
            .queue
            .enqueue_raw(&[payload])
            .map_err(transport_error)?;
        ids.first()
            .copied()
            .ok_or_else(|| transport_error(QueueError::Migration("no id was assigned".into())))
    }
}

/// Collects calls for [`Producer::batch`]; a typed client over `&Batch` returns each call's
/// position in the batch.
pub struct Batch {
    app: Arc<Application>,
    max_payload: usize,
    payloads: Mutex<Vec<Vec<u8>>>,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("app", &self.app.name())
            .finish_non_exhaustive()
    }
}

impl Caller for &Batch {
    type Output<'a, T: Send + 'static>
        = Result<usize, ClientError>
    where
        Self: 'a;

    fn call<T: Send + 'static>(&self, call: Call<T>) -> Result<usize, ClientError> {
        let payload = serialize(&self.app, call, self.max_payload)?;
        let mut payloads = self.payloads.lock().unwrap_or_else(|p| p.into_inner());
        payloads.push(payload);
        Ok(payloads.len() - 1)
    }
}

fn transport_error(e: QueueError) -> ClientError {
    match e {
        QueueError::PayloadTooLarge { size, max } => ClientError::InvalidRequest(Fault::client(
            "PayloadTooLarge",
            format!("the request is {size} bytes; the queue takes at most {max}"),
        )),
        other => ClientError::Transport(Box::new(other)),
    }
}

/// Writes a call with the out-protocol (the first half of rpclib's client pipeline).
fn serialize<T>(app: &Arc<Application>, call: Call<T>, max: usize) -> Result<Vec<u8>, ClientError> {
    let payload = OutgoingCall::write(app, call)?.into_body();
    if payload.len() > max {
        return Err(transport_error(QueueError::PayloadTooLarge {
            size: payload.len(),
            max,
        }));
    }
    Ok(payload)
}
