//! Calls a JSON-RPC 2.0 server of the bench and hello contracts (`echo_string`,
//! `echo_integer_array`, `echo_people`, `say_hello`) with the typed clients `#[service]`
//! generates, over HTTP: `cargo xtask interop` runs it against a server we did not write
//! (`xtask/interop/jsonrpc_server.py`, on PyPI's `jsonrpcserver`). Prints one line per case
//! (`PASS name` or `FAIL name: why`), then `N passed, N failed`, and exits non-zero when any
//! failed.
//!
//! `cargo run -p rpclib-examples --example jsonrpc_client -- --url http://127.0.0.1:8000/`
//!
//! The cases: each operation with named params over the async client; `positional`, the
//! same calls with positional params over the blocking client; the server's errors as
//! faults with their JSON-RPC code and data (`invalid_params` -32602, `application_error`
//! code 4001, `internal_error` -32603); and `http_error_status`, the application error
//! again from `URL` + `http-status`, where the server answers errors with HTTP 500.

#![allow(clippy::print_stdout)] // its output lines are the point

use std::fmt::Debug;
use std::sync::Arc;

use anyhow::{Context, bail};
use rpclib_core::{Application, ClientError, Fault, Service};
use rpclib_examples::bench::{BenchService, BenchServiceClient, Person};
use rpclib_examples::hello::{HelloWorldService, HelloWorldServiceClient};
use rpclib_protocol_json::{JsonRpc, JsonRpcError};
use rpclib_transport_http::{AsyncHttpClient, HttpClient};
use serde_json::json;

const USAGE: &str = "usage: jsonrpc_client [--url URL]";

fn main() -> anyhow::Result<()> {
    let mut url = "http://127.0.0.1:8000/".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--url" => url = args.next().context("--url needs a value")?,
            "--help" | "-h" => bail!(USAGE),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let mut run = Run::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(named(&url, &mut run))?;
    blocking(&url, &mut run)?;
    println!("{} passed, {} failed", run.passed, run.failed);
    if run.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// The tally, printing a line per case.
#[derive(Default)]
struct Run {
    passed: usize,
    failed: usize,
}

impl Run {
    fn record(&mut self, name: &str, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => {
                self.passed += 1;
                println!("PASS {name}");
            }
            Err(why) => {
                self.failed += 1;
                println!("FAIL {name}: {why}");
            }
        }
    }
}

/// `got` is `Ok(want)`.
fn same<T: PartialEq + Debug>(got: Result<T, ClientError>, want: &T) -> Result<(), String> {
    match got {
        Ok(v) if v == *want => Ok(()),
        Ok(v) => Err(format!("expected {want:?}, got {v:?}")),
        Err(e) => Err(format!("error: {e}")),
    }
}

/// `got` is a fault with `code` and `string`, read from a JSON-RPC error with `rpc_code`
/// and `data`.
fn fault<T: Debug>(
    got: Result<T, ClientError>,
    code: &str,
    string: &str,
    rpc_code: i64,
    data: &serde_json::Value,
) -> Result<(), String> {
    let f: Fault = match got {
        Err(ClientError::Fault(f)) => f,
        other => return Err(format!("expected a fault, got {other:?}")),
    };
    let error = JsonRpcError::of(&f).ok_or("the fault carries no JSON-RPC error")?;
    let got = (
        f.code.as_str(),
        f.string.as_str(),
        error.code,
        error.data.as_ref(),
    );
    if got == (code, string, rpc_code, Some(data)) {
        Ok(())
    } else {
        Err(format!(
            "expected ({code}, {string:?}, {rpc_code}, {data}), got {got:?}"
        ))
    }
}

fn app(
    service: &'static rpclib_core::ServiceDescriptor,
    protocol: JsonRpc,
) -> anyhow::Result<Arc<Application>> {
    Ok(Application::builder("Client", "urn:jsonrpc-client")
        .declare(service)
        .protocol(protocol)
        .build()?)
}

fn people() -> Vec<Person> {
    (0..3)
        .map(|i| Person {
            name: format!("Person {i} é \"q\""),
            age: 20 + i,
            email: format!("p{i}@example.com"),
            tags: vec!["a".into(), format!("t{i}")],
        })
        .collect()
}

/// Every operation with named params, the errors, over the async client.
async fn named(url: &str, run: &mut Run) -> anyhow::Result<()> {
    let transport = AsyncHttpClient::new(url)?;
    let bench = BenchServiceClient::new(
        transport
            .clone()
            .caller(app(BenchService::descriptor(), JsonRpc::new())?),
    );
    let hello_app = app(HelloWorldService::descriptor(), JsonRpc::new())?;
    let hello = HelloWorldServiceClient::new(transport.caller(Arc::clone(&hello_app)));
    let text = "café & <tags> \"q\" \u{1F600}".to_owned();
    run.record(
        "echo_string",
        same(bench.echo_string(text.clone()).await, &text),
    );
    let values: Vec<i32> = (0..1000).map(|i| i * 7 - 3500).collect();
    run.record(
        "echo_integer_array",
        same(bench.echo_integer_array(values.clone()).await, &values),
    );
    run.record(
        "echo_people",
        same(bench.echo_people(people()).await, &people()),
    );
    run.record(
        "say_hello",
        same(
            hello.say_hello("Dave".into(), 2).await,
            &vec!["Hello, Dave".to_owned(); 2],
        ),
    );
    run.record(
        "invalid_params",
        fault(
            hello.say_hello("Dave".into(), 1001).await,
            "Client.ValidationError",
            "Invalid params",
            -32602,
            &json!("times must be at most 1000"),
        ),
    );
    let application_error = json!({"field": "name", "min_len": 1});
    run.record(
        "application_error",
        fault(
            hello.say_hello(String::new(), 1).await,
            "Server",
            "name must not be empty",
            4001,
            &application_error,
        ),
    );
    run.record(
        "internal_error",
        fault(
            hello.say_hello("crash".into(), 1).await,
            "Server.InternalError",
            "Internal error",
            -32603,
            &json!("the method crashed"),
        ),
    );
    let status_url = format!("{}http-status", url.trim_end_matches('/').to_owned() + "/");
    let strict = HelloWorldServiceClient::new(AsyncHttpClient::new(&status_url)?.caller(hello_app));
    run.record(
        "http_error_status",
        fault(
            strict.say_hello(String::new(), 1).await,
            "Server",
            "name must not be empty",
            4001,
            &application_error,
        ),
    );
    Ok(())
}

/// Positional params over the blocking client.
fn blocking(url: &str, run: &mut Run) -> anyhow::Result<()> {
    let transport = HttpClient::new(url)?;
    let bench = BenchServiceClient::new(transport.clone().caller(app(
        BenchService::descriptor(),
        JsonRpc::new().positional_params(),
    )?));
    let hello = HelloWorldServiceClient::new(transport.caller(app(
        HelloWorldService::descriptor(),
        JsonRpc::new().positional_params(),
    )?));
    let outcome = same(
        hello.say_hello("Ann".into(), 1),
        &vec!["Hello, Ann".to_owned()],
    )
    .and_then(|()| same(bench.echo_people(people()), &people()))
    .and_then(|()| same(bench.echo_integer_array(vec![1, -2]), &vec![1, -2]));
    run.record("positional", outcome);
    Ok(())
}
