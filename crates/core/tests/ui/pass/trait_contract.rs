// A trait contract: async and blocking methods, a context parameter, rpc arguments; an
// implementation registered with `into_service` and called through the generated client.
use std::sync::atomic::{AtomicU32, Ordering};

use rpclib_core::{
    Application, ComplexModel, Fault, InProcess, MethodContext, Service, service,
};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:contract")]
pub struct Greeting {
    #[model(min_len = 1)]
    pub name: String,
    pub times: u32,
}

/// The contract.
#[service(name = "Greeter", namespace = "urn:contract", client = "GreeterClient")]
pub trait Hello {
    /// Says hello.
    #[rpc]
    async fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault>;

    /// Blocking, with the context.
    #[rpc(operation = "Ping", result = "pong")]
    fn ping(&self, ctx: &mut MethodContext) -> u32;

    /// Async, with the context and two results.
    #[rpc(results("count", "op"))]
    async fn stats(&self, ctx: &MethodContext, #[model(max_inclusive = 10)] extra: u32) -> (u32, String);
}

#[derive(Default)]
struct MyHello(AtomicU32);

impl Hello for MyHello {
    async fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok((0..greeting.times).map(|_| format!("Hello, {}", greeting.name)).collect())
    }

    fn ping(&self, ctx: &mut MethodContext) -> u32 {
        let _ = ctx;
        7
    }

    // A plain `fn` returning a `Send` future implements an `async fn` of the contract too.
    fn stats(
        &self,
        ctx: &MethodContext,
        extra: u32,
    ) -> impl Future<Output = (u32, String)> + Send {
        let op = ctx.method_name().unwrap_or_default().to_owned();
        let count = self.0.load(Ordering::Relaxed) + extra;
        async move { (count, op) }
    }
}

fn main() {
    let service: HelloService = MyHello::default().into_service();
    assert_eq!(HelloService::descriptor().name, "Greeter");
    let app = Application::builder("Greeter", "urn:contract")
        .service(service)
        .build()
        .unwrap();
    let client = GreeterClient::new(InProcess::new(app));
    let _ = client.say_hello(Greeting { name: "Dave".into(), times: 1 });
    let _ = client.ping();
    let _ = client.stats(1);
}
