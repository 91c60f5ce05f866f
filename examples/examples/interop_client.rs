//! Calls every operation of the interop contract (`docs/contracts/interop-service.md`) with
//! the typed clients `#[service]` generates from `rpclib_examples::interop`, against any
//! server of that contract: ours (`cargo run -p rpclib-examples --example interop`) or
//! Spyne's own interop server. Prints one line per operation (`PASS name` or
//! `FAIL name: why`), then `N passed, N failed`, and exits non-zero when any failed.
//!
//! `cargo run -p rpclib-examples --example interop_client -- --url http://127.0.0.1:8000/`
//!
//! Flags: `--url URL` (default `http://127.0.0.1:8000/`); `--skip OP` (repeatable) leaves an
//! operation out (listed as `SKIP`), for servers known to lack it.

#![allow(clippy::print_stdout)] // its output lines are the point

use std::fmt::Debug;
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;

use anyhow::{Context, bail};
use rpclib_core::model::{AnyXml, BigInt, ByteArray, Date, DateTime, Duration, Time};
use rpclib_core::{Application, ClientError, Service};
use rpclib_examples::interop::{
    ClassWithSelfReference, DaysOfWeek, ExtensionClass, Float, InHeader, InTraceHeader,
    InteropArray, InteropArrayClient, InteropBare, InteropBareClient, InteropClass,
    InteropClassClient, InteropException, InteropExceptionClient, InteropMisc, InteropMiscClient,
    InteropPrimitive, InteropPrimitiveClient, InteropServiceWithComplexHeader,
    InteropServiceWithComplexHeaderClient, InteropServiceWithHeader,
    InteropServiceWithHeaderClient, NestedClass, NonNillableClass, OtherClass, Role, SimpleClass,
    TNS,
};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::AsyncHttpClient;

const USAGE: &str = "usage: interop_client [--url URL] [--skip OPERATION]...";

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    env_logger::init();
    let mut url = "http://127.0.0.1:8000/".to_owned();
    let mut skip = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--url" => url = value()?,
            "--skip" => skip.push(value()?),
            "--help" | "-h" => bail!(USAGE),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let mut run = Run {
        skip,
        passed: 0,
        failed: 0,
    };
    calls(&url, &mut run).await?;
    println!("{} passed, {} failed", run.passed, run.failed);
    if run.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// The tally, printing a line per operation.
struct Run {
    skip: Vec<String>,
    passed: usize,
    failed: usize,
}

impl Run {
    /// Runs `call` unless skipped and records its outcome.
    async fn check(&mut self, name: &str, call: impl Future<Output = Result<(), String>>) {
        if self.skip.iter().any(|s| s == name) {
            println!("SKIP {name}");
            return;
        }
        match call.await {
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
fn same<T: PartialEq + Debug>(got: Result<T, ClientError>, want: T) -> Result<(), String> {
    match got {
        Ok(v) if v == want => Ok(()),
        Ok(v) => Err(format!("expected {want:?}, got {v:?}")),
        Err(e) => Err(format!("error: {e}")),
    }
}

/// `got` is a fault whose code is `code`.
fn fault<T: Debug>(got: Result<T, ClientError>, code: &str) -> Result<(), String> {
    match got {
        Err(ClientError::Fault(f)) if f.code.as_str() == code => Ok(()),
        Err(ClientError::Fault(f)) => Err(format!(
            "expected fault {code}, got {} ({})",
            f.code.as_str(),
            f.string
        )),
        Err(e) => Err(format!("expected fault {code}, got error: {e}")),
        Ok(v) => Err(format!("expected fault {code}, got {v:?}")),
    }
}

fn parse<T: FromStr>(text: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    T::from_str(text).map_err(|e| anyhow::anyhow!("{text:?}: {e}"))
}

/// Every operation of the contract, in its order.
async fn calls(url: &str, run: &mut Run) -> anyhow::Result<()> {
    let app: Arc<Application> = Application::builder("Application", TNS)
        .declare(InteropPrimitive::descriptor())
        .declare(InteropArray::descriptor())
        .declare(InteropClass::descriptor())
        .declare(InteropMisc::descriptor())
        .declare(InteropServiceWithHeader::descriptor())
        .declare(InteropServiceWithComplexHeader::descriptor())
        .declare(InteropException::descriptor())
        .declare(InteropBare::descriptor())
        .protocol(Soap11::new())
        .build()?;
    let transport = AsyncHttpClient::new(url)?;
    // One pooled transport shared by a caller per service client.
    let caller = || transport.clone().caller(Arc::clone(&app));
    let dt: DateTime = parse("2026-11-24T20:56:46.418574")?;
    let int = |n: i64| Some(BigInt::from(n));

    let p = InteropPrimitiveClient::new(caller());
    let xml = AnyXml::new("<x xmlns=\"urn:interop\"><y>1</y></x>");
    run.check("echo_any", async {
        match p.echo_any(Some(xml.clone())).await {
            Ok(Some(v)) if v.as_str().contains("<y>1</y>") || v.as_str().contains(">1<") => Ok(()),
            other => Err(format!("expected the element back, got {other:?}")),
        }
    })
    .await;
    run.check("echo_any_as_dict", async {
        match p.echo_any_as_dict(Some(xml.clone())).await {
            Ok(Some(v)) if v.as_str().contains('1') => Ok(()),
            other => Err(format!("expected the element back, got {other:?}")),
        }
    })
    .await;
    let big: BigInt = parse("123456789012345678901234567890")?;
    run.check("echo_integer", async {
        same(p.echo_integer(Some(big.clone())).await, Some(big.clone()))
    })
    .await;
    run.check("echo_string", async {
        same(
            p.echo_string(Some("café & <tags>".into())).await,
            Some("café & <tags>".to_owned()),
        )
    })
    .await;
    run.check("echo_datetime", async {
        same(p.echo_datetime(Some(dt)).await, Some(dt))
    })
    .await;
    run.check("echo_datetime_with_invalid_format", async {
        same(
            p.echo_datetime_with_invalid_format(Some(dt)).await,
            Some(dt),
        )
    })
    .await;
    let date: Date = parse("2026-11-24")?;
    run.check("echo_date", async {
        same(p.echo_date(Some(date)).await, Some(date))
    })
    .await;
    run.check("echo_date_with_invalid_format", async {
        same(
            p.echo_date_with_invalid_format(Some(date)).await,
            Some(date),
        )
    })
    .await;
    let time: Time = parse("20:56:46.418574")?;
    run.check("echo_time", async {
        same(p.echo_time(Some(time)).await, Some(time))
    })
    .await;
    run.check("echo_time_with_invalid_format", async {
        same(
            p.echo_time_with_invalid_format(Some(time)).await,
            Some(time),
        )
    })
    .await;
    run.check("echo_float", async {
        same(p.echo_float(Some(Float(12.34))).await, Some(Float(12.34)))
    })
    .await;
    run.check("echo_double", async {
        same(p.echo_double(Some(123.456)).await, Some(123.456))
    })
    .await;
    run.check("echo_boolean", async {
        same(p.echo_boolean(Some(true)).await, Some(true))
    })
    .await;
    run.check("echo_enum", async {
        same(
            p.echo_enum(Some(DaysOfWeek::Monday)).await,
            Some(DaysOfWeek::Monday),
        )
    })
    .await;
    let duration: Duration = parse("P1DT2H3M4.5S")?;
    run.check("echo_duration", async {
        // Compared by value: the precision printed may differ (Spyne prints six decimals).
        let key = |d: &Duration| {
            let parts = [
                d.years(),
                d.months(),
                d.days(),
                d.hours(),
                d.minutes(),
                d.seconds(),
            ];
            (d.is_negative(), parts, d.nanos())
        };
        same(
            p.echo_duration(Some(duration))
                .await
                .map(|d| d.as_ref().map(key)),
            Some(key(&duration)),
        )
    })
    .await;
    run.check("echo_bytearray", async {
        let data = ByteArray::from(vec![0u8, 1, 2, 3, 4]);
        same(p.echo_bytearray(Some(data.clone())).await, Some(data))
    })
    .await;

    let a = InteropArrayClient::new(caller());
    run.check("echo_integer_array", async {
        let v = vec![BigInt::from(1), BigInt::from(-2), big.clone()];
        same(a.echo_integer_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_string_array", async {
        let v = vec!["a".to_owned(), "b c".to_owned(), String::new()];
        same(a.echo_string_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_date_time_array", async {
        let v = vec![dt, parse("2000-01-01T00:00:00").map_err(|e| e.to_string())?];
        same(a.echo_date_time_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_float_array", async {
        let v = vec![Float(1.5), Float(-0.25)];
        same(a.echo_float_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_double_array", async {
        let v = vec![1.5, 123.456];
        same(a.echo_double_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_boolean_array", async {
        let v = vec![true, false, true];
        same(a.echo_boolean_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_simple_boolean_array", async {
        let v = vec![false, true];
        same(a.echo_simple_boolean_array(v.clone()).await, v)
    })
    .await;
    run.check("echo_array_in_array", async {
        let v = vec![true, false];
        same(a.echo_array_in_array(Some(v.clone())).await, Some(vec![v]))
    })
    .await;

    let c = InteropClassClient::new(caller());
    let simple = SimpleClass {
        i: int(45),
        s: Some("asd".into()),
    };
    let other = OtherClass {
        dt: Some(dt),
        d: Some(123.456),
        b: Some(true),
    };
    let nested = NestedClass {
        simple: Some(vec![simple.clone(), simple.clone()]),
        s: Some("abc".into()),
        i: int(12),
        f: Some(Float(1.22)),
        other: Some(other.clone()),
        ai: Some(vec![BigInt::from(1), BigInt::from(2)]),
    };
    run.check("echo_simple_class", async {
        same(
            c.echo_simple_class(Some(simple.clone())).await,
            Some(simple.clone()),
        )
    })
    .await;
    run.check("echo_simple_class_array", async {
        let v = vec![simple.clone(), SimpleClass { i: int(1), s: None }];
        same(c.echo_simple_class_array(Some(v.clone())).await, Some(v))
    })
    .await;
    run.check("echo_nested_class", async {
        same(
            c.echo_nested_class(Some(nested.clone())).await,
            Some(nested.clone()),
        )
    })
    .await;
    run.check("echo_nested_class_array", async {
        let v = vec![nested.clone(), nested.clone()];
        same(c.echo_nested_class_array(Some(v.clone())).await, Some(v))
    })
    .await;
    let extension = ExtensionClass {
        base: nested.clone(),
        p: Some(NonNillableClass {
            dt,
            i: int(7),
            s: Some("x".into()),
        }),
        l: Some(dt),
        q: int(5),
    };
    run.check("echo_extension_class", async {
        same(
            c.echo_extension_class(Some(extension.clone())).await,
            Some(extension.clone()),
        )
    })
    .await;
    run.check("echo_class_with_self_reference", async {
        let inner = ClassWithSelfReference {
            i: int(2),
            sr: None,
        };
        let v = ClassWithSelfReference {
            i: int(1),
            sr: Some(Box::new(inner)),
        };
        same(
            c.echo_class_with_self_reference(Some(v.clone())).await,
            Some(v),
        )
    })
    .await;

    let m = InteropMiscClient::new(caller());
    run.check("complex_return", async {
        same(
            m.complex_return().await,
            (
                int(1),
                Some("Test".to_owned()),
                int(123),
                Some(vec![Role::Member]),
            ),
        )
    })
    .await;
    run.check("huge_number", async {
        same(m.huge_number().await, BigInt::from(1) << 100_000usize)
    })
    .await;
    run.check("long_string", async {
        same(m.long_string().await, "0123456789abcdef".repeat(16384))
    })
    .await;
    run.check("test_empty", async { same(m.test_empty().await, ()) })
        .await;
    run.check("multi_param", async {
        same(m.multi_param(Some("s".into()), int(1), Some(dt)).await, ())
    })
    .await;
    run.check("non_nillable", async {
        let n = NonNillableClass {
            dt,
            i: int(1),
            s: Some("x".into()),
        };
        same(m.non_nillable(Some(n)).await, Some("OK".to_owned()))
    })
    .await;
    run.check("do_something", async {
        same(
            m.do_something_else(Some("done".into())).await,
            Some("done".to_owned()),
        )
    })
    .await;
    run.check("return_other_class_array", async {
        let item = OtherClass {
            dt: Some(parse("2010-12-06T00:00:00").map_err(|e| e.to_string())?),
            d: Some(3.0),
            b: Some(true),
        };
        same(
            m.return_other_class_array(int(3)).await,
            Some(vec![item; 3]),
        )
    })
    .await;
    run.check("return_invalid_data", async {
        // The implementation produces an invalid value: a Server fault (ours), or no value
        // at all (Spyne answers an envelope without a body, refused as an invalid reply);
        // either is acceptable, a value is not.
        match m.return_invalid_data().await {
            Err(ClientError::Fault(f)) if f.code.as_str().starts_with("Server") => Ok(()),
            Ok(None) | Err(ClientError::InvalidReply(_)) => Ok(()),
            Ok(Some(v)) => Err(format!("expected no valid value, got {v}")),
            Err(e) => Err(format!("expected a Server fault or no value, got {e}")),
        }
    })
    .await;
    run.check("custom_messages", async {
        same(
            m.custom_messages(Some("custom".into())).await,
            Some("custom".to_owned()),
        )
    })
    .await;

    let mut h = InteropServiceWithHeaderClient::new(caller());
    let in_header = InHeader {
        s: Some("header".into()),
        i: int(3),
    };
    h.set_header(in_header.clone());
    run.check("echo_in_header", async {
        same(h.echo_in_header().await, Some(in_header.clone()))
    })
    .await;
    let out_header = rpclib_examples::interop::OutHeader {
        // The contract's value; it is compared as sent.
        #[allow(clippy::approx_constant)]
        f: Some(Float(3.141592653)),
        dt: Some(parse("2000-01-01T00:00:00")?),
    };
    run.check("send_out_header", async {
        let reply = h
            .send_out_header_with_headers()
            .await
            .map_err(|e| format!("error: {e}"))?;
        if reply.value.as_ref() != Some(&out_header) {
            return Err(format!("expected {out_header:?}, got {:?}", reply.value));
        }
        match reply.header::<rpclib_examples::interop::OutHeader>() {
            Some(header) if *header == out_header => Ok(()),
            other => Err(format!("expected the OutHeader block, got {other:?}")),
        }
    })
    .await;

    let mut ch = InteropServiceWithComplexHeaderClient::new(caller());
    let trace = InTraceHeader {
        client: Some("rpclib".into()),
        call_date: Some(dt),
    };
    ch.set_header(in_header.clone());
    ch.set_header(trace.clone());
    run.check("echo_in_complex_header", async {
        same(
            ch.echo_in_complex_header().await,
            (Some(in_header.clone()), Some(trace.clone())),
        )
    })
    .await;
    run.check("send_out_complex_header", async {
        let (header, trace) = ch
            .send_out_complex_header()
            .await
            .map_err(|e| format!("error: {e}"))?;
        if header.as_ref() != Some(&out_header) {
            return Err(format!("expected {out_header:?}, got {header:?}"));
        }
        let want: Option<DateTime> =
            Some(parse("2000-01-01T01:01:01.000001").map_err(|e| e.to_string())?);
        match trace {
            Some(t) if t.receipt_date == want => Ok(()),
            other => Err(format!("expected receiptDate {want:?}, got {other:?}")),
        }
    })
    .await;

    let e = InteropExceptionClient::new(caller());
    run.check("python_exception", async {
        fault(e.python_exception().await, "Server")
    })
    .await;
    run.check("soap_exception", async {
        fault(e.soap_exception().await, "Plausible")
    })
    .await;
    run.check("documented_exception", async {
        fault(e.documented_exception().await, "Client.Documented")
    })
    .await;

    let b = InteropBareClient::new(caller());
    run.check("echo_simple_bare", async {
        same(b.echo_simple_bare("bare".into()).await, "bare".to_owned())
    })
    .await;
    run.check("echo_complex_bare", async {
        let v = vec!["a".to_owned(), "b".to_owned()];
        same(b.echo_complex_bare(v.clone()).await, v)
    })
    .await;
    run.check("empty_input_bare", async {
        same(b.empty_input_bare().await, "empty".to_owned())
    })
    .await;
    run.check("empty_output_bare", async {
        same(b.empty_output_bare("x".into()).await, ())
    })
    .await;
    Ok(())
}
