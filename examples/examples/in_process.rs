//! A service defined with the macros and called in-process: the whole pipeline (validation,
//! events, call wrappers, faults) without a network.
//!
//! Run: `cargo run -p rpclib-examples --example in_process`
#![allow(clippy::print_stdout)] // an example program: its output is the point

use std::time::{Duration, Instant};

use anyhow::Result;
use rpclib_core::{
    Application, CallWrapper, ComplexModel, Event, Fault, InProcess, MethodContext, Next, service,
};

/// A person to greet.
#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:example:hello")]
pub struct Person {
    /// The name, 1 to 64 characters.
    #[model(min_len = 1, max_len = 64)]
    pub name: String,
    /// How many greetings, at most 10.
    #[model(max_inclusive = 10)]
    pub times: u32,
}

/// Greets people.
#[derive(Debug)]
pub struct HelloService;

#[service(namespace = "urn:example:hello")]
impl HelloService {
    /// Says hello `times` times: an `async fn`, which awaits (here a timer standing for a
    /// database or another service) without holding a thread.
    #[rpc]
    async fn say_hello(&self, person: Person) -> Vec<String> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        (0..person.times)
            .map(|_| format!("Hello, {}", person.name))
            .collect()
    }

    /// Refuses to greet nobody: a plain (blocking) `fn` beside the async one.
    #[rpc]
    fn greet_nobody(&self) -> Result<String, Fault> {
        Err(Fault::client("NoOne", "there is nobody to greet"))
    }
}

/// Times every call: a call wrapper is async, and wraps blocking and async methods alike.
#[derive(Debug)]
struct Timing;

impl CallWrapper for Timing {
    async fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
        let started = Instant::now();
        let result = next.call(ctx).await;
        println!("<- done in {:?}", started.elapsed());
        result
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    env_logger::init();
    let app = Application::builder("Hello", "urn:example:hello")
        .service(HelloService)
        .add_listener(Event::MethodCall, |ctx: &mut MethodContext| {
            println!("-> calling {}", ctx.method_name().unwrap_or("?"));
        })
        .call_wrapper(Timing)
        .build()?;
    let client = HelloServiceClient::new(InProcess::new(app));

    for line in client
        .say_hello(Person {
            name: "Dave".into(),
            times: 2,
        })
        .await?
    {
        println!("{line}");
    }
    match client
        .say_hello(Person {
            name: "Dave".into(),
            times: 11,
        })
        .await
    {
        Ok(_) => println!("unexpected success"),
        Err(e) => println!("refused: {e}"),
    }
    match client.greet_nobody().await {
        Ok(_) => println!("unexpected success"),
        Err(e) => println!("refused: {e}"),
    }
    Ok(())
}
