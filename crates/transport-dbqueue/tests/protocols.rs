//! The queue carries any protocol's payloads: for SOAP 1.1, JsonDocument and MessagePack, a
//! typed client enqueues calls through a producer whose application speaks that protocol, the
//! stored payload is that protocol's request, and a consumer with the same protocol runs each
//! call with exactly the arguments sent; a payload that is not a request of the protocol is a
//! recorded failure with the protocol's own fault. On every backend at hand (`support/db.rs`).
// Test-only types: the service macro needs them public; they need no docs.
#![allow(missing_docs, missing_debug_implementations, unreachable_pub)]

mod support;

use std::sync::{Arc, Mutex};

use rpclib_core::{Application, ApplicationBuilder, ComplexModel, Protocol, service};
use rpclib_protocol_json::JsonDocument;
use rpclib_protocol_msgpack::MsgPack;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_dbqueue::Queue;

use support::db::databases;

const NS: &str = "urn:test:protocols";

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:test:protocols")]
pub struct Order {
    pub id: u64,
    pub customer: String,
    pub lines: Vec<Line>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:test:protocols")]
pub struct Line {
    pub item: String,
    pub quantity: i32,
}

/// Every order the consumer ran, in order.
#[derive(Debug, Clone, Default)]
pub struct Seen(Arc<Mutex<Vec<Order>>>);

pub struct Orders(Seen);

#[service(namespace = "urn:test:protocols")]
impl Orders {
    #[rpc]
    fn place(&self, order: Order) {
        self.0.0.lock().unwrap().push(order);
    }
}

fn orders() -> Vec<Order> {
    vec![
        Order {
            id: u64::MAX,
            customer: "Zoë <&> \"Ann\" 😀".into(),
            lines: vec![
                Line {
                    item: "tea".into(),
                    quantity: -3,
                },
                Line {
                    item: String::new(),
                    quantity: i32::MAX,
                },
            ],
            note: Some("line one\nline two".into()),
        },
        Order {
            id: 0,
            customer: "B".into(),
            lines: Vec::new(),
            note: None,
        },
    ]
}

fn app(protocol: impl Protocol, seen: &Seen) -> Arc<Application> {
    let builder: ApplicationBuilder = Application::builder("Orders", NS)
        .service(Orders(seen.clone()))
        .protocol(protocol);
    builder.build().unwrap()
}

/// Enqueues [`orders`] through `protocol`, checks each payload with `is_request`, consumes
/// them and checks what ran; then a `garbage` payload fails with `fault` in its record.
fn carries(
    name: &str,
    protocol: impl Protocol + Clone,
    is_request: impl Fn(&[u8]) -> bool,
    garbage: &[u8],
    fault: &str,
) {
    let _ = env_logger::builder().is_test(true).try_init();
    for db in databases(name) {
        eprintln!("--- {name} on {}", db.backend);
        let seen = Seen::default();
        let queue = Queue::open(&db.url).unwrap();
        let producer = OrdersClient::new(queue.producer(app(protocol.clone(), &Seen::default())));
        let mut ids = Vec::new();
        for order in orders() {
            ids.push(producer.place(order).unwrap());
        }
        for id in &ids {
            let payload = queue.task_payload(*id).unwrap().expect("stored");
            assert!(
                is_request(&payload),
                "{name}: not a request of the protocol: {}",
                String::from_utf8_lossy(&payload)
            );
        }
        let bad = queue.enqueue_raw(&[garbage]).unwrap();
        let consumer = queue.consumer(app(protocol.clone(), &seen), 1).build();
        consumer.run_until_idle().unwrap();
        assert_eq!(
            *seen.0.lock().unwrap(),
            orders(),
            "{name} on {}",
            db.backend
        );
        let failures = queue.failed_tasks(Some(1), 10).unwrap();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(failures[0].task_id, bad[0]);
        assert!(
            failures[0].error.contains(fault),
            "{name}: {:?} does not mention {fault}",
            failures[0].error
        );
    }
}

#[test]
fn the_queue_carries_soap() {
    carries(
        "soap",
        Soap11::new(),
        |p| {
            let text = String::from_utf8_lossy(p);
            text.contains("Envelope") && text.contains("place")
        },
        b"<not xml",
        "Client",
    );
}

#[test]
fn the_queue_carries_json() {
    carries(
        "json",
        JsonDocument::new(),
        |p| {
            serde_json::from_slice::<serde_json::Value>(p)
                .is_ok_and(|v| v["place"]["order"].is_object())
        },
        b"{\"place\": ",
        "Client.JSONSyntaxError",
    );
}

#[test]
fn the_queue_carries_msgpack() {
    carries(
        "msgpack",
        MsgPack::new(),
        // A map of one member (fixmap 1) named `place` (fixstr 5).
        |p| p.starts_with(b"\x81\xa5place"),
        b"\xc1",
        "Client.",
    );
}
