//! `#[service]` on a trait: a contract, implemented by one type and called through the
//! generated client.

use rpclib_core::{Application, ComplexModel, Fault, InProcess, MethodContext, service};

/// A greeting.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:contract")]
pub struct Greeting {
    /// Who.
    #[model(min_len = 1)]
    pub name: String,
    /// How many times.
    pub times: u32,
}

/// Says hello.
#[service(namespace = "urn:example:contract")]
pub trait Hello {
    /// Says hello `times` times.
    #[rpc]
    fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault>;

    /// The number of calls so far, and the operation's name.
    #[rpc(results("count", "operation"))]
    fn ping(&self, ctx: &mut MethodContext) -> (u32, String);

    /// `n` doubled, after an `.await`, with the context.
    #[rpc]
    async fn double(&self, ctx: &mut MethodContext, n: u32) -> Result<u64, Fault>;

    /// Does nothing, asynchronously.
    #[rpc]
    async fn nothing(&self);
}

struct MyHello {
    calls: std::sync::atomic::AtomicU32,
}

impl Hello for MyHello {
    fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault> {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if greeting.times > 100 {
            return Err(Fault::client("ArgumentError", "at most 100 times"));
        }
        Ok((0..greeting.times)
            .map(|_| format!("Hello, {}", greeting.name))
            .collect())
    }

    fn ping(&self, ctx: &mut MethodContext) -> (u32, String) {
        let n = self
            .calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (n, ctx.method_name().unwrap_or_default().to_owned())
    }

    async fn double(&self, ctx: &mut MethodContext, n: u32) -> Result<u64, Fault> {
        tokio::task::yield_now().await;
        if ctx.method_name() != Some("double") {
            return Err(Fault::server("wrong context"));
        }
        Ok(u64::from(n) * 2)
    }

    async fn nothing(&self) {}
}

fn client() -> HelloClient<InProcess> {
    let app = Application::builder("Hello", "urn:example:contract")
        .service(MyHello { calls: 0.into() }.into_service())
        .build()
        .expect("the contract's service registers");
    HelloClient::new(InProcess::new(app))
}

#[tokio::test]
async fn a_contract_is_implemented_registered_and_called() {
    let client = client();
    let greeting = Greeting {
        name: "Dave".into(),
        times: 2,
    };
    assert_eq!(
        client.say_hello(greeting).await.unwrap(),
        ["Hello, Dave", "Hello, Dave"]
    );
    let err = client
        .say_hello(Greeting {
            name: "Dave".into(),
            times: 101,
        })
        .await
        .unwrap_err();
    assert_eq!(err.fault().unwrap().code.as_str(), "Client.ArgumentError");
    assert_eq!(client.ping().await.unwrap(), (2, "ping".to_owned()));
    assert_eq!(client.double(21).await.unwrap(), 42);
    client.nothing().await.unwrap();

    let descriptor = HelloClient::<InProcess>::descriptor();
    assert_eq!(descriptor.name, "Hello");
    assert_eq!(descriptor.namespace, Some("urn:example:contract"));
    assert_eq!(descriptor.doc, Some("Says hello."));
    assert_eq!(descriptor.methods[1].output.ty.fields[1].name, "operation");
}

#[test]
fn the_server_type_wraps_any_implementation() {
    let service = HelloService::new(MyHello { calls: 0.into() });
    assert_eq!(format!("{service:?}"), "HelloService { .. }");
}

/// Raw identifiers as parameter names: `r#type` is the element `type`.
#[allow(unreachable_pub)]
mod raw_idents {
    use rpclib_core::{Fault, InProcess, Service, service};

    pub struct Raw;

    #[service(namespace = "urn:raw")]
    impl Raw {
        #[rpc]
        fn echo(&self, r#type: String, r#match: Option<i32>) -> Result<String, Fault> {
            Ok(format!("{type}:{match:?}", type = r#type, match = r#match))
        }
    }

    #[service(namespace = "urn:raw:contract")]
    pub trait RawContract {
        #[rpc]
        async fn call(&self, r#type: String) -> Result<String, Fault>;
    }

    struct Impl;

    impl RawContract for Impl {
        async fn call(&self, r#type: String) -> Result<String, Fault> {
            Ok(r#type)
        }
    }

    #[tokio::test]
    async fn raw_parameter_names_are_their_xml_names() {
        let descriptor = <Raw as Service>::descriptor();
        let input = &descriptor.methods[0].input;
        let names: Vec<_> = input
            .ty
            .fields
            .iter()
            .map(|f| (f.name, f.rust_name))
            .collect();
        assert_eq!(names, [("type", "type"), ("match", "match")]);
        let app = rpclib_core::Application::builder("Raw", "urn:raw")
            .service(Raw)
            .build()
            .unwrap();
        let client = RawClient::new(InProcess::new(app));
        assert_eq!(client.echo("t".into(), Some(1)).await.unwrap(), "t:Some(1)");
        let app = rpclib_core::Application::builder("RawContract", "urn:raw:contract")
            .service(Impl.into_service())
            .build()
            .unwrap();
        let client = RawContractClient::new(InProcess::new(app));
        assert_eq!(client.call("x".into()).await.unwrap(), "x");
    }
}

/// A contract whose methods have bodies: an implementation may leave them out.
#[service(namespace = "urn:example:provided")]
pub trait Provided {
    /// Implemented below.
    #[rpc]
    async fn own(&self, n: u32) -> u32;

    /// Provided: answers a fault unless implemented.
    #[rpc]
    async fn later(&self, n: u32) -> Result<u32, Fault> {
        let _ = n;
        tokio::task::yield_now().await;
        Err(Fault::server("`later` is not implemented"))
    }

    /// Provided and blocking.
    #[rpc]
    fn blocking(&self) -> String {
        "default".into()
    }
}

struct OnlyOwn;

impl Provided for OnlyOwn {
    async fn own(&self, n: u32) -> u32 {
        n + 1
    }
}

#[tokio::test]
async fn provided_methods_answer_when_an_implementation_leaves_them_out() {
    let app = Application::builder("Provided", "urn:example:provided")
        .service(OnlyOwn.into_service())
        .build()
        .expect("registers");
    let client = ProvidedClient::new(InProcess::new(app));
    assert_eq!(client.own(1).await.unwrap(), 2);
    assert_eq!(client.blocking().await.unwrap(), "default");
    let e = client.later(1).await.unwrap_err();
    assert!(e.to_string().contains("`later` is not implemented"), "{e}");
}
