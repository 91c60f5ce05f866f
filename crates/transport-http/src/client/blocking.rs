//! [`HttpClient`]: the blocking wrapper of [`AsyncHttpClient`].

use std::sync::{Arc, mpsc};
use std::thread;

use http::Uri;
use rpclib_core::{Application, BoxError, ClientTransport, OutgoingRequest, RemoteClient};
use tokio::sync::mpsc as async_mpsc;

use super::async_client::AsyncHttpClient;
use super::config::HttpClientConfig;
use super::error::HttpClientError;

/// One call handed to the background runtime.
struct Job {
    body: Vec<u8>,
    content_type: String,
    operation: String,
    reply: mpsc::SyncSender<Result<Vec<u8>, HttpClientError>>,
}

/// The blocking HTTP client: an [`AsyncHttpClient`] (same options, `https://`, HTTP/2) whose
/// calls run on a tokio runtime owned by a background thread; the calling thread sends each
/// call there through a channel and waits for the reply. A blocking
/// [`ClientTransport`].
///
/// It is safe to create, use and drop anywhere: on plain threads and inside a tokio runtime
/// alike. Its runtime lives and ends on its own thread (dropping the last clone closes the
/// channel; the thread then stops its runtime), so it is never dropped inside async code. A
/// call blocks the calling thread, though: inside async code, prefer [`AsyncHttpClient`].
///
/// ```no_run
/// # use std::sync::Arc;
/// # fn demo(app: Arc<rpclib_core::Application>) -> Result<(), Box<dyn std::error::Error>> {
/// use rpclib_transport_http::HttpClient;
///
/// // `app` declares the services (`Application::builder(..).declare(..)`) and the protocol.
/// let caller = HttpClient::new("http://127.0.0.1:8000/")?.caller(app);
/// // let client = HelloServiceClient::new(caller);
/// // let greetings = client.say_hello("Dave".into(), 3)?;
/// # let _ = caller; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: AsyncHttpClient,
    jobs: async_mpsc::UnboundedSender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client for the endpoint at `url` (`http://` or `https://`), with default options.
    pub fn new(url: &str) -> Result<HttpClient, HttpClientError> {
        HttpClient::with_config(url, HttpClientConfig::default())
    }

    /// A client for the endpoint at `url` (`http://` or `https://`).
    pub fn with_config(url: &str, config: HttpClientConfig) -> Result<HttpClient, HttpClientError> {
        HttpClient::from_async(AsyncHttpClient::with_config(url, config)?)
    }

    /// Runs `client` (with its options and request hook) behind the blocking API. Starts the
    /// background thread and its runtime.
    pub fn from_async(client: AsyncHttpClient) -> Result<HttpClient, HttpClientError> {
        let (jobs, mut queue) = async_mpsc::unbounded_channel::<Job>();
        let (ready, started) = mpsc::sync_channel(1);
        let worker = client.clone();
        thread::Builder::new()
            .name("rpclib-http-client".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                runtime.block_on(async move {
                    while let Some(job) = queue.recv().await {
                        let client = worker.clone();
                        tokio::spawn(async move {
                            let result = client
                                .post(OutgoingRequest {
                                    body: &job.body,
                                    content_type: &job.content_type,
                                    operation: &job.operation,
                                })
                                .await;
                            // The caller may have gone (it panicked): nothing to tell.
                            let _ = job.reply.send(result);
                        });
                    }
                });
                // Every sender is gone: the runtime ends here, on its own thread, dropping
                // the calls still in flight (their callers are gone too).
            })
            .map_err(HttpClientError::Runtime)?;
        match started.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(HttpClientError::Runtime(e)),
            Err(_) => return Err(HttpClientError::Closed),
        }
        Ok(HttpClient {
            inner: Arc::new(Inner { client, jobs }),
        })
    }

    /// A caller for typed clients: this transport with `app`'s protocols. Its calls return
    /// their results.
    pub fn caller(self, app: Arc<Application>) -> RemoteClient<HttpClient> {
        RemoteClient::new(app, self)
    }

    /// The endpoint URL.
    pub fn uri(&self) -> &Uri {
        self.inner.client.uri()
    }

    /// The async client it runs (a clone shares its connection pool, but its futures run on
    /// the runtime that awaits them).
    pub fn async_client(&self) -> &AsyncHttpClient {
        &self.inner.client
    }

    /// Posts one serialized call and waits for the reply's body.
    pub fn post(&self, request: &OutgoingRequest<'_>) -> Result<Vec<u8>, HttpClientError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.inner
            .jobs
            .send(Job {
                body: request.body.to_vec(),
                content_type: request.content_type.to_owned(),
                operation: request.operation.to_owned(),
                reply,
            })
            .map_err(|_| HttpClientError::Closed)?;
        answer.recv().map_err(|_| HttpClientError::Closed)?
    }
}

impl ClientTransport for HttpClient {
    fn send(&self, request: &OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError> {
        self.post(request)
            .map(Some)
            .map_err(|e| Box::new(e) as BoxError)
    }
}
