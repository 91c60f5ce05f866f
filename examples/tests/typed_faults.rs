//! Declared fault details read back into their types by a typed client: over HTTP (a real
//! socket, the async and the blocking client, SOAP 1.1 and 1.2) and in process. A detail of
//! an undeclared type, or of more than one element, still arrives as raw XML; whitespace
//! around the element does not matter; a detail that names a declared type but does not read
//! as it is an invalid reply.

mod common;

use std::sync::Arc;

use rpclib_core::model::AnyXml;
use rpclib_core::{Application, ClientError, ComplexModel, Fault, InProcess, Service, service};
use rpclib_examples::server::{soap_app, soap_app_both_versions};
use rpclib_protocol_soap::{Soap11, Soap12};
use rpclib_transport_http::{AsyncHttpClient, HttpClient, HttpConfig};

const TNS: &str = "urn:example:faults";

/// The first declared fault.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:faults")]
pub struct NotFound {
    /// What was looked for.
    pub id: i32,
    /// Where it was looked for.
    pub tried: Vec<String>,
}

/// The second declared fault, in a namespace of its own.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:faults:auth")]
pub struct Forbidden {
    /// Who asked.
    pub user: String,
    /// Why not.
    pub reason: Option<String>,
}

/// A detail type the method does not declare.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:faults")]
pub struct Undeclared {
    /// Anything.
    pub note: String,
}

fn not_found() -> NotFound {
    NotFound {
        id: 7,
        tried: vec!["cache".into(), "disk <&>".into()],
    }
}

fn forbidden() -> Forbidden {
    Forbidden {
        user: "eve".into(),
        reason: Some("not on the list".into()),
    }
}

/// A store that refuses.
#[derive(Debug)]
pub struct Store;

#[service(namespace = "urn:example:faults")]
impl Store {
    /// Fails with the fault `which` names.
    #[rpc(faults(NotFound, Forbidden))]
    fn fetch(&self, which: String) -> Result<String, Fault> {
        let fault = Fault::client("Refused", format!("refused: {which}"));
        Err(match which.as_str() {
            "not_found" => fault.with_detail(not_found()),
            "forbidden" => fault.with_detail(forbidden()),
            "undeclared" => fault.with_detail(Undeclared { note: "why".into() }),
            // Named as the declared `NotFound`, but `id` is not a number.
            "malformed" => fault.with_detail(AnyXml::new(
                "<f:NotFound xmlns:f=\"urn:example:faults\"><f:id>seven</f:id></f:NotFound>",
            )),
            // Written by hand, with whitespace around and inside: still one `Forbidden`.
            "spaced" => fault.with_detail(AnyXml::new(
                "\n  <a:Forbidden xmlns:a=\"urn:example:faults:auth\">\n    \
                 <a:user>eve</a:user>\n  </a:Forbidden>\n",
            )),
            // A declared element and another one: not a lone typed detail.
            "two" => fault.with_detail(AnyXml::new(
                "<a:Forbidden xmlns:a=\"urn:example:faults:auth\"><a:user>eve</a:user>\
                 </a:Forbidden><b:more xmlns:b=\"urn:b\"/>",
            )),
            _ => return Ok(which),
        })
    }
}

fn server_app(both_versions: bool) -> Arc<Application> {
    let builder = Application::builder("Store", TNS).service(Store);
    if both_versions {
        soap_app_both_versions(builder).unwrap()
    } else {
        soap_app(builder).unwrap()
    }
}

fn client_app(soap12: bool) -> Arc<Application> {
    let builder = Application::builder("Store", TNS).declare(Store::descriptor());
    let builder = if soap12 {
        builder.protocol(Soap12::new())
    } else {
        builder.protocol(Soap11::new())
    };
    builder.build().unwrap()
}

fn fault_of(result: Result<String, ClientError>) -> Fault {
    match result {
        Err(ClientError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

/// What every transport must give back, whatever the call's shape.
fn check_faults(mut call: impl FnMut(&str) -> Result<String, ClientError>, at: &str) {
    let f = fault_of(call("not_found"));
    assert_eq!(f.code.as_str(), "Client.Refused", "{at}");
    assert_eq!(f.detail::<NotFound>(), Some(&not_found()), "{at}");
    assert!(f.detail::<Forbidden>().is_none(), "{at}");

    let f = fault_of(call("forbidden"));
    assert_eq!(f.detail::<Forbidden>(), Some(&forbidden()), "{at}");
}

#[tokio::test]
async fn declared_details_come_back_typed_over_async_http_in_both_versions() {
    let addr = common::serve(server_app(true), HttpConfig::default());
    for soap12 in [false, true] {
        let at = if soap12 { "soap 1.2" } else { "soap 1.1" };
        let client = StoreClient::new(
            AsyncHttpClient::new(&format!("http://{addr}/"))
                .unwrap()
                .caller(client_app(soap12)),
        );
        let mut results = Vec::new();
        for which in ["not_found", "forbidden", "undeclared", "malformed"] {
            results.push(client.fetch(which.into()).await);
        }
        let mut results = results.into_iter();
        check_faults(|_| results.next().unwrap(), at);

        // Undeclared: raw XML, as before.
        let f = fault_of(results.next().unwrap());
        let raw = f.detail::<AnyXml>().expect("raw detail");
        assert!(raw.as_str().contains("Undeclared"), "{at}: {raw:?}");
        assert!(raw.as_str().contains(">why<"), "{at}: {raw:?}");

        // Declared but unreadable: an invalid reply naming the detail.
        match results.next().unwrap() {
            Err(ClientError::InvalidReply(f)) => {
                assert!(f.string.contains("`NotFound`"), "{at}: {f}");
                assert!(f.string.contains("`fetch`"), "{at}: {f}");
            }
            other => panic!("{at}: expected an invalid reply, got {other:?}"),
        }

        let f = fault_of(client.fetch("spaced".into()).await);
        let expected = Forbidden {
            user: "eve".into(),
            reason: None,
        };
        assert_eq!(f.detail::<Forbidden>(), Some(&expected), "{at}");

        let f = fault_of(client.fetch("two".into()).await);
        assert!(f.detail::<Forbidden>().is_none(), "{at}");
        let raw = f.detail::<AnyXml>().expect("raw detail");
        assert!(raw.as_str().contains("more"), "{at}: {raw:?}");

        assert_eq!(client.fetch("ok".into()).await.unwrap(), "ok");
    }
}

#[test]
fn declared_details_come_back_typed_over_the_blocking_client() {
    let addr = common::serve(server_app(false), HttpConfig::default());
    let client = StoreClient::new(
        HttpClient::new(&format!("http://{addr}/"))
            .unwrap()
            .caller(client_app(false)),
    );
    check_faults(|which| client.fetch(which.into()), "blocking");
}

#[tokio::test]
async fn declared_details_come_back_typed_in_process() {
    let client = StoreClient::new(InProcess::new(server_app(false)));
    let mut results = Vec::new();
    for which in ["not_found", "forbidden"] {
        results.push(client.fetch(which.into()).await);
    }
    let mut results = results.into_iter();
    check_faults(|_| results.next().unwrap(), "in process");
}

/// `StoreFetchError`, the enum `#[service]` generates for `fetch`'s declared faults: each
/// declared fault the server raises over a real socket lands in its variant with the detail
/// typed, an undeclared detail in `OtherFault`, a refused connection in `Client`.
#[tokio::test]
async fn declared_faults_sort_into_the_methods_fault_enum_over_http() {
    let addr = common::serve(server_app(true), HttpConfig::default());
    for soap12 in [false, true] {
        let at = if soap12 { "soap 1.2" } else { "soap 1.1" };
        let client = StoreClient::new(
            AsyncHttpClient::new(&format!("http://{addr}/"))
                .unwrap()
                .caller(client_app(soap12)),
        );
        match client
            .fetch("not_found".into())
            .await
            .map_err(StoreFetchError::from)
        {
            Err(StoreFetchError::NotFound { detail, fault }) => {
                assert_eq!(detail, not_found(), "{at}");
                assert_eq!(fault.code.as_str(), "Client.Refused", "{at}");
                assert_eq!(fault.string, "refused: not_found", "{at}");
                assert!(fault.detail.is_none(), "{at}: the detail was taken out");
            }
            other => panic!("{at}: expected NotFound, got {other:?}"),
        }
        let e = StoreFetchError::from(client.fetch("forbidden".into()).await.unwrap_err());
        match &e {
            StoreFetchError::Forbidden { detail, .. } => assert_eq!(detail, &forbidden(), "{at}"),
            other => panic!("{at}: expected Forbidden, got {other:?}"),
        }
        assert_eq!(
            e.fault().map(|f| f.string.as_str()),
            Some("refused: forbidden")
        );
        assert!(e.to_string().contains("refused: forbidden"), "{at}: {e}");
        assert!(format!("{e:?}").contains("Forbidden"), "{at}: {e:?}");

        match StoreFetchError::from(client.fetch("undeclared".into()).await.unwrap_err()) {
            StoreFetchError::OtherFault(f) => {
                let raw = f.detail::<AnyXml>().expect("raw detail");
                assert!(raw.as_str().contains("Undeclared"), "{at}: {raw:?}");
            }
            other => panic!("{at}: expected OtherFault, got {other:?}"),
        }
        // A declared element and another one: not a lone typed detail, so not a variant.
        assert!(matches!(
            StoreFetchError::from(client.fetch("two".into()).await.unwrap_err()),
            StoreFetchError::OtherFault(_)
        ));
        // Declared but unreadable: the reply is invalid, not a fault.
        assert!(matches!(
            StoreFetchError::from(client.fetch("malformed".into()).await.unwrap_err()),
            StoreFetchError::Client(ClientError::InvalidReply(_))
        ));
        assert_eq!(
            client
                .fetch("ok".into())
                .await
                .map_err(StoreFetchError::from)
                .unwrap(),
            "ok"
        );
    }

    // No server at all: a transport error, no fault.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let client = StoreClient::new(
        AsyncHttpClient::new(&url)
            .unwrap()
            .caller(client_app(false)),
    );
    let e = StoreFetchError::from(client.fetch("not_found".into()).await.unwrap_err());
    assert!(
        matches!(&e, StoreFetchError::Client(ClientError::Transport(_))),
        "{e:?}"
    );
    assert!(e.fault().is_none());
    assert!(std::error::Error::source(&e).is_some());
}

/// The same enum from the blocking client.
#[test]
fn declared_faults_sort_into_the_methods_fault_enum_over_the_blocking_client() {
    let addr = common::serve(server_app(false), HttpConfig::default());
    let client = StoreClient::new(
        HttpClient::new(&format!("http://{addr}/"))
            .unwrap()
            .caller(client_app(false)),
    );
    let result: Result<String, StoreFetchError> =
        client.fetch("not_found".into()).map_err(Into::into);
    assert!(
        matches!(result, Err(StoreFetchError::NotFound { detail, .. }) if detail == not_found())
    );
}
