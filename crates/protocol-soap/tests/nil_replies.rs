//! Replies whose body element is `xsi:nil="true"`, as Spyne writes them for a bare method that
//! returns nothing (an empty complex type) or `None`: read where the model allows it (a
//! response with no parts, an `Option`), refused with a clear error where it does not (a
//! response with a required part).

use std::sync::Arc;

use rpclib_core::{
    Application, ClientError, ClientTransport, OutgoingRequest, RemoteClient, Service, service,
};
use rpclib_protocol_soap::Soap11;

/// Answers every request with one canned reply.
struct Canned(String);

impl ClientTransport for Canned {
    fn send(
        &self,
        _: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Some(self.0.clone().into_bytes()))
    }
}

/// Bare methods whose replies come back nil.
#[derive(Debug)]
pub struct Bare;

#[service(namespace = "urn:nil")]
impl Bare {
    #[rpc(body = "bare")]
    fn empty_output_bare(&self, s: String) {
        let _ = s;
    }
    #[rpc(body = "bare")]
    fn maybe(&self, s: String) -> Option<String> {
        Some(s)
    }
    #[rpc(body = "bare")]
    fn required(&self, s: String) -> String {
        s
    }
    #[rpc]
    fn wrapped_nothing(&self) {}
}

fn client(reply_body: &str) -> BareClient<RemoteClient<Canned>> {
    let app: Arc<Application> = Application::builder("Nil", "urn:nil")
        .declare(Bare::descriptor())
        .protocol(Soap11::new())
        .build()
        .expect("valid client");
    let reply = format!(
        "<?xml version='1.0' encoding='UTF-8'?>\
         <soap11env:Envelope xmlns:soap11env=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:tns=\"urn:nil\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <soap11env:Body>{reply_body}</soap11env:Body></soap11env:Envelope>"
    );
    BareClient::new(RemoteClient::new(app, Canned(reply)))
}

#[test]
fn a_nil_empty_response_is_read_as_nothing() {
    // Spyne's reply to its interop server's `empty_output_bare`.
    let c = client("<tns:empty_output_bareResponse xsi:nil=\"true\"/>");
    assert!(c.empty_output_bare("x".into()).is_ok());
    // With whitespace inside, still nothing.
    let c =
        client("<tns:empty_output_bareResponse xsi:nil=\"1\">\n </tns:empty_output_bareResponse>");
    assert!(c.empty_output_bare("x".into()).is_ok());
    // A wrapped response with no parts, nil.
    let c = client("<tns:wrapped_nothingResponse xsi:nil=\"true\"/>");
    assert!(c.wrapped_nothing().is_ok());
    // Not nil: as before.
    let c = client("<tns:empty_output_bareResponse/>");
    assert!(c.empty_output_bare("x".into()).is_ok());
}

#[test]
fn a_nil_optional_response_is_none() {
    let c = client("<tns:maybeResponse xsi:nil=\"true\"/>");
    assert_eq!(c.maybe("x".into()).ok(), Some(None));
}

#[test]
fn a_nil_where_the_model_has_no_room_for_it_is_refused() {
    let c = client("<tns:requiredResponse xsi:nil=\"true\"/>");
    match c.required("x".into()) {
        Err(ClientError::InvalidReply(f)) => {
            assert!(f.string.contains("nil"), "{f}");
        }
        other => panic!("expected an invalid reply, got {other:?}"),
    }
    // A nil element with content is refused, even where nil is allowed.
    let c = client(
        "<tns:empty_output_bareResponse xsi:nil=\"true\"><x/></tns:empty_output_bareResponse>",
    );
    match c.empty_output_bare("x".into()) {
        Err(ClientError::InvalidReply(f)) => assert!(f.string.contains("has content"), "{f}"),
        other => panic!("expected an invalid reply, got {other:?}"),
    }
}
