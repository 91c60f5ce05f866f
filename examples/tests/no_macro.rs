//! The service written without any macro (`crates/core/tests/no_macro/hand.rs`), served over
//! SOAP 1.1 with a WSDL, against its macro twin (`crates/core/tests/no_macro/twin.rs`): the
//! same request bytes in give byte-identical responses (a value, a fault with a typed detail,
//! a validation fault), and the two WSDL documents are byte-identical; a client built on the
//! hand-written descriptors reads the fault's detail back into its declared type. The in-process side and
//! the field-by-field comparison of the descriptors are in `crates/core/tests/no_macro.rs`.

#[path = "../../crates/core/tests/no_macro/hand.rs"]
mod hand;
#[path = "../../crates/core/tests/no_macro/twin.rs"]
mod twin;

use std::sync::Arc;

use rpclib_core::{Application, Call, ClientError, OutgoingCall, Service, TransportInfo};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::Soap11;

use hand::{NS, Shop};
use twin::ShopTwin;

fn app_of(builder: rpclib_core::ApplicationBuilder) -> Arc<Application> {
    builder
        .protocol(Soap11::new())
        .interface(Wsdl11::new())
        .build()
        .expect("the application builds")
}

fn hand_app() -> Arc<Application> {
    app_of(Application::builder("Shop", NS).service(Shop))
}

fn twin_app() -> Arc<Application> {
    app_of(Application::builder("Shop", NS).service(ShopTwin))
}

/// Runs one request through the server pipeline, as a transport would: the HTTP status and
/// the response body.
fn serve(app: &Arc<Application>, request: &str) -> (u16, String) {
    let mut ctx = app.new_context();
    ctx.in_content_type = Some("text/xml; charset=utf-8".into());
    ctx.in_string = vec![request.as_bytes().to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let body = String::from_utf8(ctx.out_string.concat()).expect("the response is UTF-8");
    (status, body)
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:s=\"{NS}\"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

fn item(name: &str, quantity: u32) -> String {
    format!("<s:item><s:name>{name}</s:name><s:quantity>{quantity}</s:quantity></s:item>")
}

/// Serves `request` with both applications; asserts the responses are byte-identical and
/// returns the hand-written service's.
fn both(request: &str) -> (u16, String) {
    let hand = serve(&hand_app(), request);
    let twin = serve(&twin_app(), request);
    assert_eq!(
        hand, twin,
        "hand-written and macro responses differ for {request}"
    );
    hand
}

#[test]
fn a_value_over_soap() {
    let request = envelope(&format!(
        "<s:total>{}<s:unit_price>7</s:unit_price></s:total>",
        item("apple", 3)
    ));
    let (status, body) = both(&request);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("totalResponse"), "{body}");
    assert!(body.contains(">21</"), "{body}");

    let request = envelope(&format!("<s:reserve>{}</s:reserve>", item("pear", 2)));
    let (status, body) = both(&request);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("reserveResponse"), "{body}");
    assert!(body.contains(">reserved 2 x pear</"), "{body}");
}

#[test]
fn a_fault_with_a_typed_detail_over_soap() {
    let request = envelope(&format!("<s:reserve>{}</s:reserve>", item("pear", 11)));
    let (status, body) = both(&request);
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("Client.OutOfStock"), "{body}");
    assert!(body.contains("<detail>"), "{body}");
    // The detail is the `Item`, written in the service's namespace.
    assert!(body.contains("Item"), "{body}");
    assert!(body.contains(">pear</"), "{body}");
    assert!(body.contains(">11</"), "{body}");
}

#[test]
fn a_client_reads_the_hand_written_fault_detail_back_into_its_type() {
    // The client's side of the hand-written descriptors: `FaultDescriptor::of::<Item>()` reads
    // the reply's detail back into an `Item`.
    let client_app = Application::builder("Shop", NS)
        .declare(<Shop as Service>::descriptor())
        .protocol(Soap11::new())
        .build()
        .expect("the client application builds");
    let method = <Shop as Service>::descriptor()
        .methods
        .iter()
        .find(|m| m.operation == "reserve")
        .expect("reserve");
    let item = hand::Item {
        name: "pear".into(),
        quantity: 11,
        note: None,
    };
    let call = Call {
        method,
        args: Box::new(hand::ReserveIn { item: item.clone() }),
        headers: Vec::new(),
        extract: |_| Some(()),
    };
    let outgoing = OutgoingCall::write(&client_app, call).expect("the request is written");
    let request = String::from_utf8(outgoing.body().to_vec()).expect("UTF-8");
    let (status, reply) = serve(&hand_app(), &request);
    assert_eq!(status, 500, "{reply}");
    match outgoing.read_reply(reply.into_bytes()) {
        Err(ClientError::Fault(f)) => {
            assert_eq!(f.code.as_str(), "Client.OutOfStock");
            assert_eq!(f.detail::<hand::Item>(), Some(&item));
        }
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn a_constraint_is_checked_over_soap() {
    let request = envelope(&format!(
        "<s:total>{}<s:unit_price>1</s:unit_price></s:total>",
        item("", 1)
    ));
    let (status, body) = both(&request);
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("Client.ValidationError"), "{body}");
    assert!(body.contains("item.name"), "{body}");

    let request = envelope(&format!("<s:reserve>{}</s:reserve>", item("plum", 101)));
    let (status, body) = both(&request);
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("Client.ValidationError"), "{body}");
    assert!(body.contains("item.quantity"), "{body}");
}

#[test]
fn the_wsdl_is_the_macro_twins() {
    let transport = TransportInfo {
        uri: "http://schemas.xmlsoap.org/soap/http".into(),
    };
    let render = |app: &Arc<Application>| {
        app.interface_document(&transport)
            .expect("a WSDL")
            .render("http://localhost:8000/")
    };
    let hand = render(&hand_app());
    let twin = render(&twin_app());
    assert_eq!(hand, twin);
    // The facets and the fault detail of the hand-written descriptors are published.
    assert!(hand.contains("maxLength"), "{hand}");
    assert!(hand.contains("maxInclusive"), "{hand}");
    assert!(hand.contains("wsdl:fault"), "{hand}");
}
