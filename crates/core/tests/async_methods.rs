//! `async fn` methods through the pipeline, over `InProcess` on a tokio runtime: call wrappers
//! at both levels around them (calling through, refusing, panicking, skipping), panics after
//! an await, faults with a typed detail, header blocks through the context, a blocking and
//! an async method side by side, and a panicking listener.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rpclib_core::{
    Application, CallWrapper, ComplexModel, Event, Fault, InProcess, MethodContext, Next, service,
};
use support::{LineProtocol, Recorder};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:test:async")]
struct Limit {
    max: i32,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:test:async")]
struct Token {
    value: String,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:test:async")]
struct Receipt {
    value: String,
}

/// Records what its methods do.
struct Mixed {
    rec: Recorder,
}

#[service(namespace = "urn:test:async", in_headers(Token), out_headers(Receipt))]
impl Mixed {
    /// Adds after a tokio timer.
    #[rpc]
    async fn delayed_add(&self, a: i32, b: i32, ms: u64) -> i32 {
        self.rec.push("method:start");
        tokio::time::sleep(Duration::from_millis(ms)).await;
        self.rec.push("method:end");
        a + b
    }

    /// The blocking twin.
    #[rpc]
    fn add(&self, a: i32, b: i32) -> i32 {
        self.rec.push("method:add");
        a + b
    }

    /// Panics once it has awaited.
    #[rpc]
    async fn explode_later(&self) -> i32 {
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
        panic!("boom after an await")
    }

    /// A fault with a typed detail, after an await.
    #[rpc(faults(Limit))]
    async fn limited(&self, n: i32) -> Result<i32, Fault> {
        tokio::task::yield_now().await;
        if n > 10 {
            return Err(
                Fault::client("TooBig", "n is over the limit").with_detail(Limit { max: 10 })
            );
        }
        Ok(n)
    }

    /// Reads the request's `Token` header, awaits, and answers with a `Receipt` header.
    #[rpc]
    async fn whoami(&self, ctx: &mut MethodContext) -> Result<String, Fault> {
        let who = ctx
            .in_header::<Token>()
            .map(|t| t.value.clone())
            .ok_or_else(|| Fault::client("NoToken", "send a Token header"))?;
        tokio::time::sleep(Duration::from_millis(1)).await;
        ctx.set_out_header(Receipt {
            value: format!("seen {who}"),
        });
        Ok(who)
    }
}

/// What a test wrapper does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    /// Records before and after, awaiting around the call.
    Through,
    /// Returns a fault without calling through.
    Refuse,
    /// Panics (after an await).
    Panic,
    /// Returns `Ok` without calling through: a bug.
    Skip,
}

/// A call wrapper written as a trait impl with an `async fn`.
struct Wrapper {
    level: &'static str,
    act: Act,
    rec: Recorder,
}

impl CallWrapper for Wrapper {
    async fn call(&self, ctx: &mut MethodContext, next: Next<'_>) -> Result<(), Fault> {
        self.rec.push(format!("{}:before", self.level));
        tokio::task::yield_now().await;
        match self.act {
            Act::Through => {
                let result = next.call(ctx).await;
                tokio::task::yield_now().await;
                let receipt = ctx.out_header::<Receipt>().map(|r| r.value.clone());
                self.rec.push(format!(
                    "{}:after ok={} receipt={receipt:?}",
                    self.level,
                    result.is_ok()
                ));
                result
            }
            Act::Refuse => Err(Fault::client(
                "Forbidden",
                format!("{} says no", self.level),
            )),
            Act::Panic => panic!("the {} wrapper broke", self.level),
            Act::Skip => Ok(()),
        }
    }
}

/// The application with a wrapper at each level, and a count of closed contexts.
struct Fixture {
    app: Arc<Application>,
    rec: Recorder,
    closed: Arc<AtomicUsize>,
}

fn fixture(app_act: Act, svc_act: Act) -> Fixture {
    let rec = Recorder::default();
    let closed = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&closed);
    let (r1, r2) = (rec.clone(), rec.clone());
    let app = Application::builder("Mixed", "urn:test:async")
        .protocol(LineProtocol)
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .call_wrapper(Wrapper {
            level: "app",
            act: app_act,
            rec: r1,
        })
        .service_with(Mixed { rec: rec.clone() }, move |s| {
            s.call_wrapper(Wrapper {
                level: "svc",
                act: svc_act,
                rec: r2,
            });
        })
        .build()
        .unwrap();
    Fixture { app, rec, closed }
}

impl Fixture {
    fn client(&self) -> MixedClient<InProcess> {
        MixedClient::new(InProcess::new(Arc::clone(&self.app)))
    }
}

#[tokio::test]
async fn wrappers_at_both_levels_nest_around_an_async_method() {
    let fx = fixture(Act::Through, Act::Through);
    assert_eq!(fx.client().delayed_add(2, 3, 10).await.unwrap(), 5);
    assert_eq!(
        fx.rec.take(),
        [
            "app:before",
            "svc:before",
            "method:start",
            "method:end",
            "svc:after ok=true receipt=None",
            "app:after ok=true receipt=None",
        ]
    );
    assert_eq!(fx.closed.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refusing_wrapper_keeps_the_async_method_from_running() {
    for (app_act, svc_act, says) in [
        (Act::Refuse, Act::Through, "app says no"),
        (Act::Through, Act::Refuse, "svc says no"),
    ] {
        let fx = fixture(app_act, svc_act);
        let err = fx.client().delayed_add(1, 1, 1).await.unwrap_err();
        let fault = err.fault().expect("a fault");
        assert_eq!(fault.code.as_str(), "Client.Forbidden");
        assert_eq!(fault.string, says);
        let log = fx.rec.take();
        assert!(
            !log.iter().any(|e| e.starts_with("method")),
            "the method ran: {log:?}"
        );
        assert_eq!(fx.closed.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test]
async fn a_panicking_wrapper_is_a_server_fault_and_the_application_goes_on() {
    for (app_act, svc_act) in [(Act::Panic, Act::Through), (Act::Through, Act::Panic)] {
        let fx = fixture(app_act, svc_act);
        let err = fx.client().delayed_add(1, 1, 1).await.unwrap_err();
        let fault = err.fault().expect("a fault");
        assert_eq!(fault.code.as_str(), "Server");
        assert_eq!(fault.string, "Internal Error");
        assert_eq!(fx.closed.load(Ordering::SeqCst), 1, "closed once");
        let log = fx.rec.take();
        assert!(!log.iter().any(|e| e.starts_with("method")), "{log:?}");
        // The same application answers the next call (the blocking method) the same way: the
        // caught panic left nothing behind, and the context of each call closed once.
        let again = fx.client().add(1, 2).await.unwrap_err();
        assert_eq!(
            again.fault().map(|f| f.string.as_str()),
            Some("Internal Error")
        );
        assert_eq!(fx.closed.load(Ordering::SeqCst), 2);
    }
    // And an application whose wrappers call through is unaffected by the panics above.
    let fx = fixture(Act::Through, Act::Through);
    assert_eq!(fx.client().delayed_add(40, 2, 1).await.unwrap(), 42);
}

#[tokio::test]
async fn a_wrapper_returning_ok_without_calling_through_is_a_server_fault() {
    for (app_act, svc_act, level) in [
        (Act::Skip, Act::Through, "application"),
        (Act::Through, Act::Skip, "service"),
    ] {
        let fx = fixture(app_act, svc_act);
        let err = fx.client().delayed_add(1, 1, 1).await.unwrap_err();
        let fault = err.fault().expect("a fault");
        assert_eq!(fault.code.as_str(), "Server");
        assert_eq!(
            fault.string,
            format!("the {level}-level call wrapper returned without calling through")
        );
        assert!(!fx.rec.take().iter().any(|e| e.starts_with("method")));
        assert_eq!(fx.closed.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test]
async fn an_async_method_panicking_after_an_await() {
    let fx = fixture(Act::Through, Act::Through);
    let err = fx.client().explode_later().await.unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(
        (fault.code.as_str(), fault.string.as_str()),
        ("Server", "Internal Error")
    );
    // The panic unwound through both wrappers: only their "before" was recorded.
    assert_eq!(fx.rec.take(), ["app:before", "svc:before"]);
    assert_eq!(fx.closed.load(Ordering::SeqCst), 1);
    assert_eq!(fx.client().delayed_add(1, 2, 1).await.unwrap(), 3);
}

#[tokio::test]
async fn an_async_method_returns_a_fault_with_a_typed_detail() {
    let fx = fixture(Act::Through, Act::Through);
    let client = fx.client();
    assert_eq!(client.limited(7).await.unwrap(), 7);
    fx.rec.take();
    let err = client.limited(11).await.unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(fault.code.as_str(), "Client.TooBig");
    assert_eq!(fault.detail::<Limit>(), Some(&Limit { max: 10 }));
    assert_eq!(
        fx.rec.take(),
        [
            "app:before",
            "svc:before",
            "svc:after ok=false receipt=None",
            "app:after ok=false receipt=None"
        ]
    );
}

#[tokio::test]
async fn an_async_method_reads_a_header_and_sets_one() {
    let fx = fixture(Act::Through, Act::Through);
    let mut client = fx.client();
    let err = client.whoami().await.unwrap_err();
    assert_eq!(err.fault().map(|f| f.code.as_str()), Some("Client.NoToken"));
    fx.rec.take();
    client.set_header(Token {
        value: "alice".into(),
    });
    assert_eq!(client.whoami().await.unwrap(), "alice");
    // The out header the method set after its await, seen by both wrappers.
    assert_eq!(
        fx.rec.take(),
        [
            "app:before",
            "svc:before",
            r#"svc:after ok=true receipt=Some("seen alice")"#,
            r#"app:after ok=true receipt=Some("seen alice")"#,
        ]
    );
}

#[tokio::test]
async fn a_blocking_and_an_async_method_in_one_service() {
    let fx = fixture(Act::Through, Act::Through);
    let client = fx.client();
    assert_eq!(client.add(1, 2).await.unwrap(), 3);
    assert_eq!(
        fx.rec.take(),
        [
            "app:before",
            "svc:before",
            "method:add",
            "svc:after ok=true receipt=None",
            "app:after ok=true receipt=None",
        ]
    );
    // Ten async calls of 100 ms awaited together on this one thread overlap: far less than
    // the 1 s they would take one after the other. The blocking one runs among them.
    let started = Instant::now();
    let calls: Vec<_> = (0..10).map(|i| client.delayed_add(i, 1, 100)).collect();
    let (sums, blocking) = tokio::join!(futures_join_all(calls), client.add(5, 5));
    let elapsed = started.elapsed();
    assert_eq!(blocking.unwrap(), 10);
    assert_eq!(
        sums.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_millis(600),
        "the async calls did not overlap: {elapsed:?}"
    );
    assert_eq!(fx.closed.load(Ordering::SeqCst), 12);
}

/// Awaits every future, concurrently, in order (a stand-in for `futures::join_all`).
async fn futures_join_all<F: std::future::Future + Unpin>(futures: Vec<F>) -> Vec<F::Output> {
    let mut slots: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let mut pending: Vec<(usize, F)> = futures.into_iter().enumerate().collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(i, f)| match std::pin::Pin::new(f).poll(cx) {
            std::task::Poll::Ready(out) => {
                slots[*i] = Some(out);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    slots.into_iter().map(Option::unwrap).collect()
}

/// Runs one request through the server pipeline on the current runtime, as a transport
/// would: awaiting `get_out_object`.
async fn serve(app: &Arc<Application>, request: &str) -> (u16, String) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.as_bytes().to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object(&mut ctx).await;
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let body = String::from_utf8(ctx.out_bytes()).unwrap();
    ctx.close();
    (status, body)
}

#[tokio::test]
async fn a_panicking_listener_does_not_change_the_response_of_an_async_call() {
    let plain = fixture(Act::Through, Act::Through);
    let expected_ok = serve(&plain.app, "delayed_add a=2 b=3 ms=5").await;
    assert_eq!(
        expected_ok,
        (
            200,
            r#"ok Complex([("delayed_addResult", Simple("5"))])"#.to_owned()
        )
    );
    let expected_fault = serve(&plain.app, "limited n=11").await;
    assert_eq!(expected_fault.0, 500);

    let rec = Recorder::default();
    let closed = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&closed);
    let mut builder = Application::builder("Mixed", "urn:test:async").protocol(LineProtocol);
    for event in Event::ALL {
        builder = builder.add_listener(event, move |_: &mut MethodContext| {
            panic!("a listener of {} broke", event.name())
        });
    }
    let app = builder
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .service_with(Mixed { rec: rec.clone() }, |s| {
            for event in Event::ALL {
                s.add_listener(event, move |_: &mut MethodContext| {
                    panic!("a service listener of {} broke", event.name())
                });
            }
        })
        .build()
        .unwrap();
    assert_eq!(serve(&app, "delayed_add a=2 b=3 ms=5").await, expected_ok);
    assert_eq!(rec.take(), ["method:start", "method:end"]);
    assert_eq!(serve(&app, "limited n=11").await, expected_fault);
    let client = MixedClient::new(InProcess::new(Arc::clone(&app)));
    assert_eq!(client.delayed_add(20, 22, 1).await.unwrap(), 42);
    // The counting listener after the panicking ones still ran, once per call.
    assert_eq!(closed.load(Ordering::SeqCst), 3);
}
