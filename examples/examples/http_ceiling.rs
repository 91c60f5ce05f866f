//! The HTTP ceiling of the bench: a bare hyper server that answers every POST with a fixed
//! response of a given size, doing no other work. `cargo xtask bench http` loads it next to
//! the bench service to tell what HTTP alone costs.
//!
//! Run: `cargo run --release -p rpclib-examples --example http_ceiling -- --port 0 --body-bytes 300`

use std::convert::Infallible;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut port, mut size) = (0u16, 300usize);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().context("--port N")?.parse()?,
            "--body-bytes" => size = args.next().context("--body-bytes N")?.parse()?,
            other => bail!("unknown argument {other:?}"),
        }
    }
    // Same shape as a SOAP response so that no layer treats it specially.
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>";
    let tail = "</r>";
    let filler = size.saturating_sub(head.len() + tail.len());
    let body = Bytes::from(format!("{head}{}{tail}", "x".repeat(filler)));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        #[allow(clippy::print_stdout)] // the documented readiness line
        {
            println!("listening on http://{}/", listener.local_addr()?);
        }
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    let body = body.clone();
                    async move {
                        // Read the request body as a real server must.
                        let _ = request.into_body().collect().await;
                        let mut response = Response::new(Full::new(body));
                        response.headers_mut().insert(
                            "content-type",
                            hyper::header::HeaderValue::from_static("text/xml; charset=utf-8"),
                        );
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}
