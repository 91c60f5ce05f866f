//! The request pipeline: event order for success, fault, panic and unreadable requests; call
//! wrappers at both levels; the in-process transport.

mod support;

use std::sync::Arc;

use rpclib_core::{Application, Event, Fault, InProcess, MethodContext, Next, service, wrap_fn};
use support::{Calc, CalcClient, LineProtocol, Recorder, serve};

fn app_with_recorder(rec: &Recorder) -> Arc<Application> {
    let mut builder = Application::builder("Calc", "urn:test:calc").protocol(LineProtocol);
    for event in Event::ALL {
        builder = builder.add_listener(event, rec.listener("app:", event));
    }
    let rec2 = rec.clone();
    builder
        .service_with(Calc, move |s| {
            for event in Event::ALL {
                s.add_listener(event, rec2.listener("svc:", event));
            }
        })
        .build()
        .unwrap()
}

#[test]
fn success_fires_events_in_order() {
    let rec = Recorder::default();
    let app = app_with_recorder(&rec);
    let (status, body) = serve(&app, "add a=2 b=3");
    assert_eq!(status, 200);
    assert_eq!(body, r#"ok Complex([("addResult", Simple("5"))])"#);
    assert_eq!(
        rec.take(),
        [
            "app:method_context_created",
            "app:method_call",
            "svc:method_call",
            "app:method_return_object",
            "svc:method_return_object",
            "app:method_return_string",
            "svc:method_return_string",
            "app:method_context_closed",
            "svc:method_context_closed",
        ]
    );
}

#[test]
fn returned_fault_fires_exception_events() {
    let rec = Recorder::default();
    let app = app_with_recorder(&rec);
    let (status, body) = serve(&app, "divide a=1 b=0");
    assert_eq!(status, 500);
    assert_eq!(body, "fault Client.DivisionByZero: b must not be 0");
    assert_eq!(
        rec.take(),
        [
            "app:method_context_created",
            "app:method_call",
            "svc:method_call",
            "app:method_exception_object",
            "svc:method_exception_object",
            "app:method_exception_string",
            "svc:method_exception_string",
            "app:method_context_closed",
            "svc:method_context_closed",
        ]
    );
}

#[test]
fn panic_becomes_server_fault_with_same_events() {
    let rec = Recorder::default();
    let app = app_with_recorder(&rec);
    let (status, body) = serve(&app, "explode");
    assert_eq!(status, 500);
    assert_eq!(body, "fault Server: Internal Error");
    assert_eq!(
        rec.take(),
        [
            "app:method_context_created",
            "app:method_call",
            "svc:method_call",
            "app:method_exception_object",
            "svc:method_exception_object",
            "app:method_exception_string",
            "svc:method_exception_string",
            "app:method_context_closed",
            "svc:method_context_closed",
        ]
    );
    // The application keeps serving after a panic.
    assert_eq!(
        serve(&app, "add a=1 b=1").1,
        r#"ok Complex([("addResult", Simple("2"))])"#
    );
}

#[test]
fn unreadable_request_skips_the_call() {
    let rec = Recorder::default();
    let app = app_with_recorder(&rec);
    let (status, body) = serve(&app, "nosuch x=1");
    assert_eq!(status, 500);
    assert_eq!(body, "fault Client.MethodNotFound: no method `nosuch`");
    assert_eq!(
        rec.take(),
        [
            "app:method_context_created",
            "app:method_exception_object",
            "app:method_exception_string",
            "app:method_context_closed",
        ]
    );
}

#[test]
fn bad_lexical_value_is_a_client_fault_naming_the_field() {
    let app = app_with_recorder(&Recorder::default());
    let (_, body) = serve(&app, "add a=two b=3");
    assert!(body.starts_with("fault Client.ValidationError:"), "{body}");
    assert!(body.contains("\"two\" is not a valid xs:int"), "{body}");
    assert!(body.contains("`a`"), "{body}");
    let (_, body) = serve(&app, "add a=1");
    assert!(body.contains("missing required element `b`"), "{body}");
    let (_, body) = serve(&app, "add a=1 b=2 c=3");
    assert!(body.contains("unexpected element `c`"), "{body}");
}

#[test]
fn call_wrappers_nest_and_call_through() {
    let rec = Recorder::default();
    let (r1, r2, r3) = (rec.clone(), rec.clone(), rec.clone());
    let app = Application::builder("Calc", "urn:test:calc")
        .protocol(LineProtocol)
        .add_listener(Event::MethodCall, move |_: &mut MethodContext| {
            r3.push("method_call")
        })
        .call_wrapper(wrap_fn(move |ctx: &mut MethodContext, next: Next<'_>| {
            let r1 = r1.clone();
            Box::pin(async move {
                r1.push("app:before");
                let result = next.call(ctx).await;
                r1.push(format!("app:after ok={}", result.is_ok()));
                result
            })
        }))
        .service_with(Calc, move |s| {
            s.call_wrapper(wrap_fn(move |ctx: &mut MethodContext, next: Next<'_>| {
                let r2 = r2.clone();
                Box::pin(async move {
                    r2.push("svc:before");
                    let result = next.call(ctx).await;
                    r2.push(format!("svc:after has_out={}", ctx.out_object.is_some()));
                    result
                })
            }));
        })
        .build()
        .unwrap();
    assert_eq!(
        serve(&app, "add a=4 b=5").1,
        r#"ok Complex([("addResult", Simple("9"))])"#
    );
    assert_eq!(
        rec.take(),
        [
            "method_call",
            "app:before",
            "svc:before",
            "svc:after has_out=true",
            "app:after ok=true"
        ]
    );
}

#[test]
fn wrapper_may_refuse_but_not_skip_silently() {
    let refusing = Application::builder("Calc", "urn:test:calc")
        .protocol(LineProtocol)
        .call_wrapper(wrap_fn(|_: &mut MethodContext, _: Next<'_>| {
            Box::pin(async { Err(Fault::client("Forbidden", "no")) })
        }))
        .service(Calc)
        .build()
        .unwrap();
    assert_eq!(
        serve(&refusing, "add a=1 b=2").1,
        "fault Client.Forbidden: no"
    );

    let skipping = Application::builder("Calc", "urn:test:calc")
        .protocol(LineProtocol)
        .service_with(Calc, |s| {
            s.call_wrapper(wrap_fn(|_: &mut MethodContext, _: Next<'_>| {
                Box::pin(async { Ok(()) })
            }));
        })
        .build()
        .unwrap();
    assert_eq!(
        serve(&skipping, "add a=1 b=2").1,
        "fault Server: the service-level call wrapper returned without calling through"
    );
}

#[tokio::test]
async fn in_process_calls_run_the_pipeline_without_bytes() {
    let rec = Recorder::default();
    let app = app_with_recorder(&rec);
    let client = CalcClient::new(InProcess::new(app));
    assert_eq!(client.add(20, 22).await.unwrap(), 42);
    assert_eq!(
        rec.take(),
        [
            "app:method_context_created",
            "app:method_call",
            "svc:method_call",
            "app:method_return_object",
            "svc:method_return_object",
            "app:method_context_closed",
            "svc:method_context_closed",
        ]
    );
    let err = client.divide(1, 0).await.unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(fault.code.as_str(), "Client.DivisionByZero");
    let err = client.explode().await.unwrap_err();
    assert_eq!(
        err.fault().map(|f| f.string.as_str()),
        Some("Internal Error")
    );
}

#[test]
fn duplicate_request_elements_are_refused() {
    let err = Application::builder("Calc", "urn:test:calc")
        .service(Calc)
        .service(Calc)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "request element {urn:test:calc}add is used by both `Calc.add` and `Calc.add`"
    );
}

#[derive(Debug, Clone, PartialEq, rpclib_core::ComplexModel)]
struct Token {
    value: String,
}

#[derive(Debug)]
struct Guarded;

#[service(namespace = "urn:test:guarded", in_headers(Token))]
impl Guarded {
    #[rpc]
    fn whoami(&self, ctx: &mut MethodContext) -> Result<String, Fault> {
        ctx.in_header::<Token>()
            .map(|t| t.value.clone())
            .ok_or_else(|| Fault::client("NoToken", "send a Token header"))
    }
}

#[tokio::test]
async fn typed_clients_send_header_blocks() {
    let app = Application::builder("Guarded", "urn:test:guarded")
        .service(Guarded)
        .build()
        .unwrap();
    let mut client = GuardedClient::new(InProcess::new(app));
    assert_eq!(
        client
            .whoami()
            .await
            .unwrap_err()
            .fault()
            .map(|f| f.code.as_str()),
        Some("Client.NoToken")
    );
    client.set_header(Token {
        value: "alice".into(),
    });
    assert_eq!(client.whoami().await.unwrap(), "alice");
    client.set_header(Token {
        value: "bob".into(),
    });
    assert_eq!(client.whoami().await.unwrap(), "bob");
}
