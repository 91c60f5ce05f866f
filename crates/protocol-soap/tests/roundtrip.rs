//! Values survive a real loopback through both protocol directions: a typed client over
//! `RemoteClient` writes the request (client side), a server application reads it, calls
//! the echo and writes the reply, and the client reads the reply back. In SOAP 1.1, SOAP 1.2
//! and the plain XML document protocol (`XmlDocument`): `wire` 0, 1 and 2.

mod common;

use std::sync::Arc;

use common::golden_service::{
    Base, Containers, Day, Derived, GoldenService, GoldenServiceClient, Primitives, Problem,
};
use proptest::prelude::*;
use rpclib_core::model::{AnyXml, BigInt, ByteArray, Decimal, Lexical};
use rpclib_core::{
    Application, ClientError, ClientTransport, OutgoingRequest, RemoteClient, Service,
};
use rpclib_protocol_soap::{Soap11, Soap12, XmlDocument};

/// Feeds each request to a server application in memory.
struct Loopback {
    server: Arc<Application>,
}

impl ClientTransport for Loopback {
    fn send(
        &self,
        request: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        let (_, reply) = common::serve(&self.server, request.body);
        common::assert_well_formed(&reply);
        Ok(Some(reply.into_bytes()))
    }
}

type Client = GoldenServiceClient<RemoteClient<Loopback>>;

/// A client speaking wire format `wire` (0: SOAP 1.1, 1: SOAP 1.2, 2: XmlDocument) to a
/// server speaking the same.
fn client(wire: u8) -> Client {
    let server = Application::builder("Golden", "urn:golden").service(GoldenService);
    let local = Application::builder("Golden", "urn:golden")
        .declare(<GoldenService as Service>::descriptor());
    let (server, local) = match wire {
        0 => (
            server.protocol(Soap11::new()),
            local.protocol(Soap11::new()),
        ),
        1 => (
            server.protocol(Soap12::new()),
            local.protocol(Soap12::new()),
        ),
        _ => (
            server.protocol(XmlDocument::new()),
            local.protocol(XmlDocument::new()),
        ),
    };
    let server = server.build().expect("valid server");
    let local = local.build().expect("valid client");
    GoldenServiceClient::new(RemoteClient::new(local, Loopback { server }))
}

/// Text XML can carry, biased towards markup, whitespace XML normalizes, and non-ASCII.
fn xml_text() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('<'),
        Just('>'),
        Just('&'),
        Just('"'),
        Just('\''),
        Just('\t'),
        Just('\r'),
        Just('\n'),
        Just(' '),
        Just('é'),
        Just('€'),
        Just('\u{1F600}'),
        Just('\u{FFFD}'),
        Just(']'),
    ];
    let any_xml = any::<char>().prop_filter("an XML character", |c| {
        matches!(*c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    });
    prop::collection::vec(
        prop_oneof![2 => special, 3 => any_xml, 3 => "[a-z0-9]"
        .prop_map(|s| s.chars().next().unwrap_or('a'))],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
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
            any::<i16>(),
            any::<i32>(),
            any::<i64>(),
        ),
        (
            any::<u8>(),
            any::<u16>(),
            any::<u32>(),
            any::<u64>(),
            any::<i128>(),
        ),
        (
            any::<f32>().prop_filter("not NaN", |f| !f.is_nan()),
            any::<f64>().prop_filter("not NaN", |f| !f.is_nan()),
            (any::<i64>(), 0u32..12).prop_map(|(m, s)| Decimal::new(m, s)),
        ),
        (xml_text(), prop::collection::vec(any::<u8>(), 0..40)),
        (lexical(date), lexical(time), lexical(stamp), lexical(span)),
    )
        .prop_map(
            |(
                (flag, tiny, small, int, long),
                (ubyte, ushort, uint, ulong, big),
                (single, double, dec),
                (text, bytes),
                (date, time, stamp, span),
            )| Primitives {
                flag,
                tiny,
                small,
                int,
                long,
                ubyte,
                ushort,
                uint,
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
        proptest::option::of(xml_text()),
        xml_text(),
        prop_oneof![Just(Day::Monday), Just(Day::Tuesday), Just(Day::Weekend)],
    )
        .prop_map(|(id, label, extra, day)| Derived {
            base: Base { id, label },
            extra,
            day,
        })
}

fn containers() -> impl Strategy<Value = Containers> {
    let xml = prop_oneof![
        Just(""),
        Just("plain text"),
        Just("<a/>"),
        Just("<p:a xmlns:p=\"urn:p\" p:at=\"1\">x<p:b/>&amp;y</p:a>"),
        Just("<a xmlns=\"urn:d\"><b>1</b></a><c/>"),
    ];
    (
        proptest::option::of(xml_text()),
        proptest::option::of(xml_text()),
        prop::collection::vec(any::<i32>(), 0..5),
        prop::collection::vec(xml_text(), 0..4),
        prop::collection::vec(prop::collection::vec(any::<bool>(), 0..3), 0..3),
        prop::collection::vec(proptest::option::of(any::<i32>()), 0..4),
        prop::collection::vec(derived(), 0..3),
        xml,
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
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn primitives_round_trip(p in primitives(), wire in 0u8..3) {
        let got = client(wire).echo_primitives(p.clone());
        // `==` holds between 0.0 and -0.0: the bits tell the sign.
        let bits = got.as_ref().ok().map(|g| (g.single.to_bits(), g.double.to_bits()));
        prop_assert_eq!(bits, Some((p.single.to_bits(), p.double.to_bits())));
        prop_assert_eq!(got.ok(), Some(p));
    }

    #[test]
    fn containers_round_trip(c in containers(), wire in 0u8..3) {
        let got = client(wire).echo_containers(c.clone());
        prop_assert_eq!(got.ok(), Some(c));
    }

    #[test]
    fn strings_round_trip(s in xml_text(), wire in 0u8..3) {
        let c = client(wire);
        prop_assert_eq!(c.echo_string(s.clone()).ok(), Some(s.clone()));
        prop_assert_eq!(c.echo_bare(s.clone()).ok(), Some(s.clone()));
        prop_assert_eq!(c.echo_bare_array(vec![s.clone(), s.clone()]).ok(), Some(vec![s.clone(), s]));
    }

    #[test]
    fn multiple_results_round_trip(a in -1000i32..1000, b in -1000i32..1000, note in proptest::option::of(xml_text())) {
        let got = client(0).multi(a, b, note.clone());
        prop_assert_eq!(got.ok(), Some((i64::from(a) + i64::from(b), note)));
    }
}

#[test]
fn special_floats_round_trip() {
    let c = client(0);
    let mut p = sample();
    for (single, double) in [
        (f32::INFINITY, f64::NEG_INFINITY),
        (-0.0, 5e-324),
        (0.0, -0.0),
        (f32::MIN_POSITIVE, f64::MAX),
    ] {
        p.single = single;
        p.double = double;
        let back = c.echo_primitives(p.clone()).expect("special floats travel");
        // Bits, not `==`: `-0.0 == 0.0`, so only the bits show that the sign survived.
        assert_eq!(
            (back.single.to_bits(), back.double.to_bits()),
            (single.to_bits(), double.to_bits()),
            "{single:?} / {double:?} came back as {:?} / {:?}",
            back.single,
            back.double
        );
        assert_eq!(back, p);
    }
    p.double = f64::NAN;
    let back = c.echo_primitives(p).expect("NaN travels");
    assert!(back.double.is_nan());
}

fn sample() -> Primitives {
    Primitives {
        flag: true,
        tiny: 1,
        small: 2,
        int: 3,
        long: 4,
        ubyte: 5,
        ushort: 6,
        uint: 7,
        ulong: 8,
        big: BigInt::from(9),
        single: 1.5,
        double: 2.5,
        dec: Decimal::new(314, 2),
        text: "t".into(),
        bytes: ByteArray(vec![1, 2]),
        date: Lexical::parse_lexical("2020-01-02").expect("valid sample"),
        time: Lexical::parse_lexical("03:04:05").expect("valid sample"),
        stamp: Lexical::parse_lexical("2020-01-02T03:04:05Z").expect("valid sample"),
        span: Lexical::parse_lexical("PT1S").expect("valid sample"),
    }
}

#[test]
fn bare_none_and_empty_results_round_trip() {
    for wire in 0..3 {
        let c = client(wire);
        assert_eq!(c.bare_nothing("x".into()).ok(), Some(None));
        assert_eq!(c.nothing().ok(), Some(()));
        assert_eq!(c.whoami().ok(), Some(None));
    }
}

#[test]
fn client_reads_faults() {
    // SOAP only: XmlDocument's plain `<Fault>` carries no typed detail back to a client.
    for wire in 0..2 {
        let c = client(wire);
        let err = c.fail_documented("why".into()).expect_err("a fault");
        let fault = err.fault().expect("a server fault");
        assert_eq!(fault.code.as_str(), "Client.Documented");
        assert_eq!(fault.string, "A documented fault");
        assert_eq!(
            fault.actor.as_deref(),
            Some("http://faultactor.example.com")
        );
        // `Problem` is a declared fault of the method: the detail comes back as one.
        let detail = fault.detail::<Problem>().expect("typed detail");
        assert_eq!(
            detail,
            &Problem {
                reason: "why".into(),
                code: 42
            }
        );

        let err = c.fail_plain().expect_err("a fault");
        let code = err.fault().map(|f| f.code.as_str().to_owned());
        let expected = if wire == 1 {
            "Server.Plausible"
        } else {
            "Plausible"
        };
        assert_eq!(code.as_deref(), Some(expected));

        let err = c.unwritable().expect_err("a fault");
        let fault = err.fault().expect("a server fault");
        assert_eq!(fault.code.as_str(), "Server");
        assert!(fault.string.contains("U+0000"), "{}", fault.string);

        let err = c.ranged(0, "abcd".into()).expect_err("a fault");
        assert!(err.to_string().contains("field `n`"), "{err}");
    }
}

#[test]
fn unwritable_request_is_refused_by_the_client() {
    let err = client(0)
        .echo_string("a\u{0}b".into())
        .expect_err("refused");
    assert!(matches!(err, ClientError::InvalidRequest(_)), "{err}");
    assert!(err.to_string().contains("U+0000"), "{err}");
}

#[test]
fn unreadable_reply_is_an_error() {
    struct Garbage;
    impl ClientTransport for Garbage {
        fn send(
            &self,
            _: &OutgoingRequest<'_>,
        ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
            Ok(Some(b"<not-soap/>".to_vec()))
        }
    }
    let local = Application::builder("Golden", "urn:golden")
        .declare(<GoldenService as Service>::descriptor())
        .protocol(Soap11::new())
        .build()
        .expect("valid client");
    let c = GoldenServiceClient::new(RemoteClient::new(local, Garbage));
    let err = c.nothing().expect_err("unreadable");
    assert!(matches!(err, ClientError::InvalidReply(_)), "{err}");
}
