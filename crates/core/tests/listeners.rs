//! Listeners observe, they never change the outcome: a panicking listener on any event, at the
//! application or the service level, is caught and logged, the listeners after it still run
//! and the response is the one without it. `method_context_closed` fires exactly once per
//! context, from the transport's `ContextCloseGuard` (on success, fault, method panic,
//! unreadable input, early return and unwinding), never from dropping a context.

mod support;

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rpclib_core::{Application, ApplicationBuilder, ClientError, Event, InProcess, MethodContext};
use support::{Calc, CalcClient, LineProtocol, Recorder, serve, wait};

/// Collects every log record of the test process as `LEVEL target: message`.
struct TestLogger {
    records: Mutex<Vec<String>>,
}

impl log::Log for TestLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        self.records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line);
    }

    fn flush(&self) {}
}

fn logger() -> &'static TestLogger {
    static LOGGER: OnceLock<&'static TestLogger> = OnceLock::new();
    LOGGER.get_or_init(|| {
        let logger: &'static TestLogger = Box::leak(Box::new(TestLogger {
            records: Mutex::new(Vec::new()),
        }));
        log::set_logger(logger).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
        logger
    })
}

/// The log lines containing `needle` (tests run in parallel: each looks for its own marker).
fn logged(needle: &str) -> Vec<String> {
    logger()
        .records
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter(|line| line.contains(needle))
        .cloned()
        .collect()
}

/// Where the panicking listener is registered.
#[derive(Debug, Clone, Copy)]
enum Level {
    App,
    Service,
}

/// An application whose recorders see every event at both levels; `panicking` adds, before
/// the recorder of its level, a listener that panics with `marker`.
fn app(rec: &Recorder, panicking: Option<(Level, Event, String)>) -> Arc<Application> {
    let mut builder: ApplicationBuilder =
        Application::builder("Calc", "urn:test:calc").protocol(LineProtocol);
    let (app_panic, svc_panic) = match panicking {
        Some((Level::App, event, marker)) => (Some((event, marker)), None),
        Some((Level::Service, event, marker)) => (None, Some((event, marker))),
        None => (None, None),
    };
    if let Some((event, marker)) = app_panic {
        builder = builder.add_listener(event, move |_: &mut MethodContext| panic!("{marker}"));
    }
    for event in Event::ALL {
        builder = builder.add_listener(event, rec.listener("app:", event));
    }
    let rec = rec.clone();
    builder
        .service_with(Calc, move |s| {
            if let Some((event, marker)) = svc_panic {
                // A `&str` payload this time: both payload kinds are logged.
                let marker: &'static str = Box::leak(marker.into_boxed_str());
                s.add_listener(event, move |_: &mut MethodContext| {
                    std::panic::panic_any(marker)
                });
            }
            for event in Event::ALL {
                s.add_listener(event, rec.listener("svc:", event));
            }
        })
        .build()
        .unwrap()
}

/// One request of each outcome: success, returned fault, method panic, unreadable input.
const REQUESTS: [&str; 4] = ["add a=2 b=3", "divide a=1 b=0", "explode", "nosuch x=1"];

#[test]
fn a_panicking_listener_changes_nothing_but_is_logged() {
    logger();
    for level in [Level::App, Level::Service] {
        for event in Event::ALL {
            for request in REQUESTS {
                let expected_rec = Recorder::default();
                let expected = serve(&app(&expected_rec, None), request);
                let expected_events = expected_rec.take();

                let marker = format!("listener panic {level:?} {event} `{request}`");
                let rec = Recorder::default();
                let app = app(&rec, Some((level, event, marker.clone())));
                let got = serve(&app, request);
                // The response is produced, and is the one without the panicking listener.
                assert_eq!(got, expected, "{marker}");
                // Every later listener ran, in the same order, at both levels.
                assert_eq!(rec.take(), expected_events, "{marker}");

                // Logged at error level, with the event name and the panic message, once per
                // time the event fired at that level.
                let fired = expected_events
                    .iter()
                    .filter(|e| {
                        let prefix = match level {
                            Level::App => "app:",
                            Level::Service => "svc:",
                        };
                        e.strip_prefix(prefix) == Some(event.name())
                    })
                    .count();
                let lines = logged(&marker);
                assert_eq!(lines.len(), fired, "{marker}: {lines:?}");
                for line in lines {
                    assert!(line.starts_with("ERROR rpclib_core: "), "{line}");
                    assert!(
                        line.contains(&format!("`{}` listener", event.name())),
                        "{line}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_panicking_listener_does_not_fail_an_in_process_call() {
    logger();
    for level in [Level::App, Level::Service] {
        for event in Event::ALL {
            let marker = format!("in-process listener panic {level:?} {event}");
            let rec = Recorder::default();
            let app = app(&rec, Some((level, event, marker.clone())));
            let client = CalcClient::new(InProcess::new(Arc::clone(&app)));
            assert_eq!(wait(client.add(2, 3)).unwrap(), 5, "{marker}");
            match wait(client.divide(1, 0)) {
                Err(ClientError::Fault(f)) => {
                    assert_eq!(f.code.as_str(), "Client.DivisionByZero", "{marker}")
                }
                other => panic!("{marker}: expected the method's fault, got {other:?}"),
            }
            let events = rec.take();
            // Both calls ran to the end: each context was closed at both levels.
            let closed = |prefix: &str| {
                events
                    .iter()
                    .filter(|e| **e == format!("{prefix}method_context_closed"))
                    .count()
            };
            assert_eq!((closed("app:"), closed("svc:")), (2, 2), "{marker}");
            // In process, every event fires but the two `*_string` ones (no bytes move), and
            // `method_context_created` fires before the service is known: otherwise the panic
            // was logged.
            let fires = !matches!(
                event,
                Event::MethodReturnString | Event::MethodExceptionString
            ) && (matches!(level, Level::App) || event != Event::MethodContextCreated);
            if fires {
                assert!(!logged(&marker).is_empty(), "{marker}: not logged");
            }
        }
    }
}

/// Counts `method_context_closed` at the application and at the service level.
#[derive(Clone, Default)]
struct Closed {
    app: Arc<AtomicUsize>,
    svc: Arc<AtomicUsize>,
}

impl Closed {
    fn app(&self) -> Arc<Application> {
        let (a, s) = (Arc::clone(&self.app), Arc::clone(&self.svc));
        Application::builder("Calc", "urn:test:calc")
            .protocol(LineProtocol)
            .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
                a.fetch_add(1, Ordering::SeqCst);
            })
            .service_with(Calc, move |c| {
                c.add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
                    s.fetch_add(1, Ordering::SeqCst);
                });
            })
            .build()
            .unwrap()
    }

    /// The counts since the last call.
    fn take(&self) -> (usize, usize) {
        (
            self.app.swap(0, Ordering::SeqCst),
            self.svc.swap(0, Ordering::SeqCst),
        )
    }
}

#[test]
fn method_context_closed_fires_exactly_once_per_request() {
    let closed = Closed::default();
    let app = closed.app();

    // Through the server pipeline, as a transport runs it.
    let (status, body) = serve(&app, "add a=2 b=3");
    assert_eq!((status, body.starts_with("ok")), (200, true), "{body}");
    assert_eq!(closed.take(), (1, 1), "success");
    let (status, body) = serve(&app, "divide a=1 b=0");
    assert_eq!(
        (status, body.as_str()),
        (500, "fault Client.DivisionByZero: b must not be 0")
    );
    assert_eq!(closed.take(), (1, 1), "fault");
    let (status, body) = serve(&app, "explode");
    assert_eq!(
        (status, body.as_str()),
        (500, "fault Server: Internal Error")
    );
    assert_eq!(closed.take(), (1, 1), "method panic");
    let (status, body) = serve(&app, "add a");
    assert_eq!(status, 500, "{body}");
    // The method is unknown: only the application's listener sees the context.
    assert_eq!(closed.take(), (1, 0), "unreadable input");

    // Through the in-process transport.
    let client = CalcClient::new(InProcess::new(Arc::clone(&app)));
    assert_eq!(wait(client.add(1, 1)).unwrap(), 2);
    assert_eq!(closed.take(), (1, 1), "in-process success");
    assert!(matches!(
        wait(client.divide(1, 0)),
        Err(ClientError::Fault(_))
    ));
    assert_eq!(closed.take(), (1, 1), "in-process fault");
    match wait(client.explode()) {
        Err(ClientError::Fault(f)) => assert_eq!(f.code.as_str(), "Server"),
        other => panic!("expected a Server fault, got {other:?}"),
    }
    assert_eq!(closed.take(), (1, 1), "in-process method panic");
}

#[test]
fn the_guard_closes_on_every_path_and_a_bare_context_never_closes_by_itself() {
    let closed = Closed::default();
    let app = closed.app();

    // An explicit close, then the guard's drop: once.
    let guard = app.new_context();
    guard.close();
    assert_eq!(closed.take(), (1, 0));

    // An early return (`?`) before the transport reached its close.
    fn early(app: &Arc<Application>) -> Result<(), &'static str> {
        let mut ctx = app.new_context();
        ctx.in_string = vec![b"add a=1 b=2".to_vec()];
        app.get_in_object(&mut ctx);
        app.get_out_object_blocking(&mut ctx);
        app.get_out_string(&mut ctx);
        let send = |_: &[u8]| -> Result<(), &'static str> { Err("the peer went away") };
        send(&ctx.out_bytes())?;
        ctx.close();
        Ok(())
    }
    assert_eq!(early(&app), Err("the peer went away"));
    assert_eq!(closed.take(), (1, 1));

    // Unwinding out of the transport.
    let unwound = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let _ctx = app.new_context();
        panic!("transport bug");
    }));
    assert!(unwound.is_err());
    assert_eq!(closed.take(), (1, 0));

    // A bare context (not handed out by an application, so with no guard) fires nothing when
    // dropped, wherever it is dropped.
    let ctx = MethodContext::new();
    std::thread::spawn(move || drop(ctx)).join().unwrap();
    assert_eq!(closed.take(), (0, 0));
}

#[test]
fn a_guard_kept_between_requests_closes_each_once_and_reads_as_new() {
    let closed = Closed::default();
    let app = closed.app();
    let mut guard = app.new_context_with(1u32);
    for (n, request) in ["add a=2 b=3", "divide a=1 b=0", "add a=1 b=1"]
        .into_iter()
        .enumerate()
    {
        if n > 0 {
            guard.reopen_with(n as u32 + 1);
        }
        assert_eq!(guard.transport::<u32>(), Some(&(n as u32 + 1)));
        assert!(guard.method().is_none() && guard.error().is_none());
        guard.in_string = vec![request.as_bytes().to_vec()];
        app.get_in_object(&mut guard);
        app.get_out_object_blocking(&mut guard);
        app.get_out_string(&mut guard);
        assert!(!guard.out_string.is_empty());
        guard.close_and_keep();
        // Closed with the whole context seen by the listeners, then emptied.
        assert_eq!(closed.take(), (1, 1), "request {n}");
        assert!(guard.out_string.is_empty() && guard.method().is_none());
        guard.close_and_keep();
        assert_eq!(closed.take(), (0, 0), "closed once");
    }
    // A context changed after it was closed and kept is emptied again when reopened.
    guard.close_and_keep();
    guard.in_string.push(b"left behind".to_vec());
    guard.user_data.insert(7u8);
    guard.reopen_with(8u32);
    assert!(guard.in_string.is_empty() && guard.user_data.is_empty());
    assert_eq!(closed.take(), (0, 0));
    // A request left open (8) is closed by the next one's start, and that one (9) by the
    // guard's drop.
    guard.reopen_with(9u32);
    assert_eq!(closed.take(), (1, 0));
    drop(guard);
    assert_eq!(closed.take(), (1, 0));
}

#[test]
fn a_closed_listener_panicking_while_the_transport_unwinds_does_not_abort() {
    logger();
    // Without the per-listener catch this would be a panic inside a drop during unwinding:
    // the process would abort and the whole test binary with it.
    let count = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&count);
    let marker = "closed listener panic during unwind";
    let app = Application::builder("Calc", "urn:test:calc")
        .protocol(LineProtocol)
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            panic!("{marker}")
        })
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .service(Calc)
        .build()
        .unwrap();
    let unwound = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let _ctx = app.new_context();
        panic!("transport bug");
    }));
    assert!(unwound.is_err());
    assert_eq!(count.load(Ordering::SeqCst), 1, "the later listener ran");
    assert_eq!(logged(marker).len(), 1);
}

/// A service of another application, whose methods the tests below smuggle into contexts.
struct Other;

#[rpclib_core::service(namespace = "urn:test:other")]
impl Other {
    #[rpc]
    fn other(&self) -> u32 {
        1
    }
}

#[test]
fn a_method_of_another_application_breaks_nothing() {
    logger();
    // `set_method` is public: a listener may select a method of another application's
    // catalogue. A `MethodRef` only comes from a catalogue, so it always names a real method,
    // but not necessarily one this application serves: the pipeline must not trust it.
    let other_app = Application::builder("Other", "urn:test:other")
        .service(Other)
        .build()
        .unwrap();
    let foreign = other_app.catalogue().methods().next().unwrap();
    let closed = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&closed);
    let app = Application::builder("Calc", "urn:test:calc")
        .protocol(LineProtocol)
        .add_listener(Event::MethodCall, move |ctx: &mut MethodContext| {
            ctx.set_method(foreign);
        })
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .service(Calc)
        .build()
        .unwrap();
    // The method was chosen before `method_call`: it runs. The out-protocol then writes the
    // result as the method the context names now, which fails: a `Server` fault, no panic.
    let (status, body) = serve(&app, "add a=2 b=3");
    assert_eq!(status, 500, "{body}");
    assert!(body.starts_with("fault Server: "), "{body}");
    assert_eq!(closed.swap(0, Ordering::SeqCst), 1);

    // A context naming a method this application does not serve: no call, a `Server` fault,
    // a warning.
    let before = logged("is not registered in this application").len();
    let mut ctx = app.new_context();
    ctx.set_method(foreign);
    app.get_out_object_blocking(&mut ctx);
    assert_eq!(
        ctx.out_error.as_ref().map(|f| f.code.as_str()),
        Some("Server")
    );
    ctx.close();
    assert_eq!(closed.swap(0, Ordering::SeqCst), 1);
    let warnings = logged("is not registered in this application");
    assert!(warnings.len() > before, "no warning logged");
    assert!(
        warnings.iter().all(|l| l.starts_with("WARN rpclib_core: ")),
        "{warnings:?}"
    );

    // Closed by the guard while the transport unwinds: no panic inside the drop (which would
    // abort the test binary).
    let unwound = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut ctx = app.new_context();
        ctx.set_method(foreign);
        panic!("transport bug");
    }));
    assert!(unwound.is_err());
    assert_eq!(closed.swap(0, Ordering::SeqCst), 1);
}
