//! Values survive a loopback through both directions of the JSON protocol: a typed client
//! (`RemoteClient` with `JsonDocument`) writes the request, a server application reads it,
//! echoes, writes the reply, and the client reads it back; faults come back as faults.

mod common;

use std::sync::Arc;

use common::{Base, Containers, Day, Derived, JsonService, JsonServiceClient, Primitives};
use proptest::prelude::*;
use rpclib_core::model::{AnyXml, BigInt, ByteArray, Decimal, Lexical};
use rpclib_core::{
    Application, ClientError, ClientTransport, OutgoingRequest, RemoteClient, Service,
};
use rpclib_protocol_json::JsonDocument;

/// Feeds each request to a server application in memory; every reply must be JSON.
struct Loopback {
    server: Arc<Application>,
}

impl ClientTransport for Loopback {
    fn send(
        &self,
        request: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        let (_, reply) = common::serve(&self.server, request.body);
        serde_json::from_str::<serde_json::Value>(&reply)?;
        Ok(Some(reply.into_bytes()))
    }
}

type Client = JsonServiceClient<RemoteClient<Loopback>>;

fn client() -> Client {
    let local = Application::builder("Json", "urn:json")
        .declare(<JsonService as Service>::descriptor())
        .protocol(JsonDocument::new())
        .build()
        .expect("valid client");
    JsonServiceClient::new(RemoteClient::new(
        local,
        Loopback {
            server: common::server(),
        },
    ))
}

/// Any text: JSON carries every Unicode scalar value.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            any::<char>(),
            Just('"'),
            Just('\\'),
            Just('\u{0}'),
            Just('\n'),
            Just('\u{2028}')
        ],
        0..24,
    )
    .prop_map(|c| c.into_iter().collect())
}

fn lexical<T: Lexical + std::fmt::Debug>(pattern: &'static str) -> impl Strategy<Value = T> {
    pattern.prop_filter_map("a valid lexical form", |s| T::parse_lexical(&s).ok())
}

fn primitives() -> impl Strategy<Value = Primitives> {
    let date = "(000[1-9]|1[0-9]{3}|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])(Z|[+-]0[0-9]:[0-5][0-9])?";
    let time = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]1[0-4]:00)?";
    let stamp = "(19[0-9]{2}|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]0[0-9]:[0-5][0-9])?";
    let span = "-?P([0-9]{1,4}Y)?([0-9]{1,2}M)?([0-9]{1,3}D)?(T([0-9]{1,2}H)?([0-9]{1,2}M)?([0-9]{1,2}(\\.[0-9]{1,6})?S)?)?";
    (
        (
            any::<bool>(),
            any::<i8>(),
            any::<i32>(),
            any::<i64>(),
            any::<u64>(),
        ),
        (
            any::<i128>(),
            any::<f32>().prop_filter("not NaN", |f| !f.is_nan()),
            any::<f64>().prop_filter("not NaN", |f| !f.is_nan()),
            (any::<i64>(), 0u32..12).prop_map(|(m, s)| Decimal::new(m, s)),
        ),
        (text(), prop::collection::vec(any::<u8>(), 0..40)),
        (lexical(date), lexical(time), lexical(stamp), lexical(span)),
    )
        .prop_map(
            |(
                (flag, tiny, int, long, ulong),
                (big, single, double, dec),
                (text, bytes),
                (date, time, stamp, span),
            )| Primitives {
                flag,
                tiny,
                int,
                long,
                ulong,
                big: BigInt::from(big) * BigInt::from(big),
                single,
                double,
                dec,
                text,
                bytes: ByteArray(bytes),
                date,
                time,
                stamp,
                span,
            },
        )
}

fn derived() -> impl Strategy<Value = Derived> {
    (
        any::<i32>(),
        proptest::option::of(text()),
        "[a-z]{0,8}",
        prop_oneof![Just(Day::Monday), Just(Day::Weekend)],
    )
        .prop_map(|(id, label, extra, day)| Derived {
            base: Base { id, label },
            extra,
            day,
        })
}

fn containers() -> impl Strategy<Value = Containers> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        prop::collection::vec(any::<i32>(), 0..5),
        prop::collection::vec(text(), 0..4),
        prop::collection::vec(prop::collection::vec(any::<bool>(), 0..3), 0..3),
        prop::collection::vec(proptest::option::of(any::<i32>()), 0..4),
        prop::collection::vec(derived(), 0..3),
        prop_oneof![
            Just(""),
            Just("<a/>"),
            Just("<p:a xmlns:p=\"urn:p\">x</p:a>")
        ],
    )
        .prop_map(
            |(absent, nil, ints, tags, matrix, maybe, people, xml)| Containers {
                absent,
                nil,
                ints,
                tags,
                matrix,
                maybe,
                people,
                xml: AnyXml::new(xml),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn primitives_round_trip(p in primitives()) {
        let got = client().echo_primitives(p.clone());
        // `==` holds between 0.0 and -0.0: the bits tell the sign.
        let bits = got.as_ref().ok().map(|g| (g.single.to_bits(), g.double.to_bits()));
        prop_assert_eq!(bits, Some((p.single.to_bits(), p.double.to_bits())));
        prop_assert_eq!(got.ok(), Some(p));
    }

    #[test]
    fn containers_round_trip(c in containers()) {
        let got = client().echo_containers(c.clone());
        prop_assert_eq!(got.ok(), Some(c));
    }

    #[test]
    fn derived_round_trip(d in derived()) {
        let got = client().echo_derived(d.clone());
        prop_assert_eq!(got.ok(), Some(d));
    }
}

#[test]
fn faults_come_back_as_faults() {
    match client().fail(7) {
        Err(ClientError::Fault(f)) => {
            assert_eq!(f.code.as_str(), "Client.Refused");
            assert_eq!(f.string, "always fails");
            // The detail is read into the fault type the method declares.
            assert_eq!(
                f.detail::<common::Problem>(),
                Some(&common::Problem {
                    reason: "because".into(),
                    code: 7
                })
            );
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    match client().say_hello(String::new(), 1) {
        Err(ClientError::Fault(f)) => assert_eq!(f.code.as_str(), "Client.ValidationError"),
        other => panic!("expected a fault, got {other:?}"),
    }
    assert_eq!(
        client().say_hello("Dave".into(), 2).ok(),
        Some(vec!["Hello, Dave".to_owned(), "Hello, Dave".to_owned()])
    );
}
