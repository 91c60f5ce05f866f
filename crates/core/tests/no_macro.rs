//! A service defined and served without any macro (issue 12: the macros are sugar).
//!
//! `no_macro/hand.rs` writes by hand, with public and documented items only, a complex model
//! type (`Model` and `ComplexModel`), the messages, invokers and descriptors of a service with
//! two methods (one returning a value, one a fault with a typed detail) and its `Service` impl.
//! `no_macro/twin.rs` is the same service with `#[service]` and `#[derive(ComplexModel)]`.
//! This test serves the hand-written one in process, through `Application` and `InProcess`,
//! and checks that its descriptors are equal, field by field, to the twin's and that both
//! answer the same calls the same way. `examples/tests/no_macro.rs` does the same over SOAP
//! (request bytes in, response bytes out) and compares the WSDL.

#[path = "no_macro/hand.rs"]
mod hand;
#[path = "no_macro/twin.rs"]
mod twin;

use rpclib_core::model::{ComplexType, FieldDescriptor, TypeRef};
use rpclib_core::{
    Application, Call, Caller, ClientError, ComplexModel, FaultClass, HeaderDescriptor, InProcess,
    MessageDescriptor, Model, Service, ServiceDescriptor,
};

use hand::{Item, ReserveIn, ReserveOut, STOCK, Shop, TotalIn, TotalOut};
use twin::{ItemTwin, ShopTwin, ShopTwinClient};

const NS: &str = hand::NS;

fn item(name: &str, quantity: u32) -> Item {
    Item {
        name: name.into(),
        quantity,
        note: None,
    }
}

fn twin_item(item: &Item) -> ItemTwin {
    ItemTwin {
        name: item.name.clone(),
        quantity: item.quantity,
        note: item.note.clone(),
    }
}

/// Calls `total` on the hand-written service, with no typed client: a `Call` built by hand.
async fn total(caller: &InProcess, item: Item, unit_price: u32) -> Result<u64, ClientError> {
    caller
        .call(Call {
            method: &Shop::descriptor().methods[0],
            args: Box::new(TotalIn { item, unit_price }),
            headers: Vec::new(),
            extract: |reply| {
                rpclib_core::downcast_boxed::<TotalOut>(reply.message).map(|o| o.result)
            },
        })
        .await
}

/// Calls `reserve` on the hand-written service.
async fn reserve(caller: &InProcess, item: Item) -> Result<String, ClientError> {
    caller
        .call(Call {
            method: &Shop::descriptor().methods[1],
            args: Box::new(ReserveIn { item }),
            headers: Vec::new(),
            extract: |reply| {
                rpclib_core::downcast_boxed::<ReserveOut>(reply.message).map(|o| o.result)
            },
        })
        .await
}

fn hand_caller() -> InProcess {
    let app = Application::builder("Shop", NS)
        .service(Shop)
        .build()
        .expect("the hand-written service registers");
    InProcess::new(app)
}

fn twin_client() -> ShopTwinClient<InProcess> {
    let app = Application::builder("Shop", NS)
        .service(ShopTwin)
        .build()
        .expect("the macro twin registers");
    ShopTwinClient::new(InProcess::new(app))
}

#[tokio::test]
async fn a_hand_written_service_is_served_in_process() {
    let caller = hand_caller();

    // A method returning a value.
    assert_eq!(total(&caller, item("apple", 3), 7).await.unwrap(), 21);

    // A method returning a value, and the same one returning a fault with a typed detail.
    assert_eq!(
        reserve(&caller, item("pear", 2)).await.unwrap(),
        "reserved 2 x pear"
    );
    let too_many = Item {
        note: Some("urgent".into()),
        ..item("pear", STOCK + 1)
    };
    let err = reserve(&caller, too_many.clone()).await.unwrap_err();
    let fault = err.fault().expect("a fault from the service");
    assert_eq!(fault.code.as_str(), "Client.OutOfStock");
    assert_eq!(fault.code.class(), FaultClass::Client);
    assert_eq!(fault.detail::<Item>(), Some(&too_many));

    // Constraints declared in the hand-written descriptors are checked before the method
    // runs, and the fault names the field path.
    let err = total(&caller, item("", 1), 1).await.unwrap_err();
    let fault = err.fault().expect("a validation fault");
    assert_eq!(fault.code.as_str(), "Client.ValidationError");
    assert!(fault.string.contains("item.name"), "{}", fault.string);
    let err = reserve(&caller, item("plum", 101)).await.unwrap_err();
    let fault = err.fault().expect("a validation fault");
    assert_eq!(fault.code.as_str(), "Client.ValidationError");
    assert!(fault.string.contains("item.quantity"), "{}", fault.string);
}

#[tokio::test]
async fn the_hand_written_service_answers_like_its_macro_twin() {
    let caller = hand_caller();
    let client = twin_client();
    let cases = [
        item("apple", 3),
        item("pear", STOCK),
        item("pear", STOCK + 1),
        item("", 1),
        item("plum", 101),
        Item {
            note: Some("gift".into()),
            ..item("a name of 16 chr", 1)
        },
        item("a name of 17 chrs", 1),
    ];
    let fault_of = |e: ClientError| {
        let f = e.fault().expect("a fault");
        (f.code.as_str().to_owned(), f.string.clone())
    };
    for case in cases {
        let hand = total(&caller, case.clone(), 5).await.map_err(fault_of);
        let macro_ = client.total(twin_item(&case), 5).await.map_err(fault_of);
        assert_eq!(hand, macro_, "total({case:?})");

        let hand = reserve(&caller, case.clone()).await;
        let macro_ = client.reserve(twin_item(&case)).await;
        match (hand, macro_) {
            (Ok(h), Ok(m)) => assert_eq!(h, m, "reserve({case:?})"),
            (Err(h), Err(m)) => {
                let (h, m) = (h.fault().unwrap(), m.fault().unwrap());
                assert_eq!(h.code, m.code, "reserve({case:?})");
                assert_eq!(h.string, m.string, "reserve({case:?})");
                assert_eq!(
                    h.detail::<Item>().map(twin_item).as_ref(),
                    m.detail::<ItemTwin>()
                );
            }
            (h, m) => panic!("reserve({case:?}): hand {h:?}, macro {m:?}"),
        }
    }
}

#[test]
fn the_hand_written_descriptors_equal_the_macro_ones() {
    assert_complex_eq(Item::complex_type(), ItemTwin::complex_type(), "Item");
    assert_type_eq(Item::type_ref(), ItemTwin::type_ref(), "Item");
    assert_service_eq(Shop::descriptor(), ShopTwin::descriptor());
}

fn assert_service_eq(hand: &ServiceDescriptor, macro_: &ServiceDescriptor) {
    assert_eq!(hand.name, macro_.name, "service name");
    assert_eq!(hand.namespace, macro_.namespace, "service namespace");
    assert_eq!(hand.doc, macro_.doc, "service doc");
    assert_headers_eq(hand.in_headers, macro_.in_headers, "service in_headers");
    assert_headers_eq(hand.out_headers, macro_.out_headers, "service out_headers");
    assert_eq!(hand.methods.len(), macro_.methods.len(), "method count");
    for (h, m) in hand.methods.iter().zip(macro_.methods) {
        let at = h.name;
        assert_eq!(h.name, m.name, "method name");
        assert_eq!(h.operation, m.operation, "{at}: operation");
        assert_eq!(h.body_style, m.body_style, "{at}: body_style");
        assert_eq!(h.doc, m.doc, "{at}: doc");
        assert_eq!(h.safe, m.safe, "{at}: safe");
        assert_message_eq(&h.input, &m.input, &format!("{at}: input"));
        assert_message_eq(&h.output, &m.output, &format!("{at}: output"));
        assert_eq!(
            h.in_headers.is_some(),
            m.in_headers.is_some(),
            "{at}: in_headers"
        );
        assert_headers_eq(
            h.in_headers.unwrap_or_default(),
            m.in_headers.unwrap_or_default(),
            &format!("{at}: in_headers"),
        );
        assert_eq!(
            h.out_headers.is_some(),
            m.out_headers.is_some(),
            "{at}: out_headers"
        );
        assert_headers_eq(
            h.out_headers.unwrap_or_default(),
            m.out_headers.unwrap_or_default(),
            &format!("{at}: out_headers"),
        );
        assert_eq!(h.faults.len(), m.faults.len(), "{at}: faults");
        for (hf, mf) in h.faults.iter().zip(m.faults) {
            assert_type_eq((hf.ty)(), (mf.ty)(), &format!("{at}: fault"));
        }
    }
}

fn assert_headers_eq(hand: &[HeaderDescriptor], macro_: &[HeaderDescriptor], at: &str) {
    assert_eq!(hand.len(), macro_.len(), "{at}: count");
    for (h, m) in hand.iter().zip(macro_) {
        assert_type_eq((h.ty)(), (m.ty)(), at);
    }
}

fn assert_message_eq(hand: &MessageDescriptor, macro_: &MessageDescriptor, at: &str) {
    assert_eq!(hand.name, macro_.name, "{at}: name");
    assert_eq!(hand.namespace, macro_.namespace, "{at}: namespace");
    assert_complex_eq(hand.ty, macro_.ty, at);
}

fn assert_complex_eq(hand: &'static ComplexType, macro_: &'static ComplexType, at: &str) {
    assert_eq!(hand.name, macro_.name, "{at}: type name");
    assert_eq!(hand.namespace, macro_.namespace, "{at}: type namespace");
    assert_eq!(hand.doc, macro_.doc, "{at}: type doc");
    assert_eq!(hand.base.is_some(), macro_.base.is_some(), "{at}: base");
    if let (Some(h), Some(m)) = (hand.base, macro_.base) {
        assert_complex_eq(h(), m(), &format!("{at}: base"));
    }
    assert_eq!(hand.fields.len(), macro_.fields.len(), "{at}: field count");
    for (h, m) in hand.fields.iter().zip(macro_.fields) {
        assert_field_eq(h, m, &format!("{at}.{}", h.name));
    }
}

fn assert_field_eq(hand: &FieldDescriptor, macro_: &FieldDescriptor, at: &str) {
    assert_eq!(hand.name, macro_.name, "{at}: name");
    // The part of a result is named `r0` in the macro's message struct; the hand-written one
    // calls it `result`, but its descriptor keeps the macro's `rust_name` (it is only
    // informative: protocols and interfaces never read it).
    assert_eq!(hand.rust_name, macro_.rust_name, "{at}: rust_name");
    assert_eq!(hand.namespace, macro_.namespace, "{at}: namespace");
    assert_eq!(hand.kind, macro_.kind, "{at}: kind");
    assert_type_eq((hand.ty)(), (macro_.ty)(), at);
    assert_eq!(hand.min_occurs, macro_.min_occurs, "{at}: min_occurs");
    assert_eq!(hand.max_occurs, macro_.max_occurs, "{at}: max_occurs");
    assert_eq!(hand.nillable, macro_.nillable, "{at}: nillable");
    assert_eq!(hand.unwrapped, macro_.unwrapped, "{at}: unwrapped");
    let (h, m) = (&hand.constraints, &macro_.constraints);
    assert_eq!(h.min_len, m.min_len, "{at}: min_len");
    assert_eq!(h.max_len, m.max_len, "{at}: max_len");
    assert_eq!(
        h.pattern.map(|p| p.source()),
        m.pattern.map(|p| p.source()),
        "{at}: pattern"
    );
    assert_eq!(h.min_inclusive, m.min_inclusive, "{at}: min_inclusive");
    assert_eq!(h.max_inclusive, m.max_inclusive, "{at}: max_inclusive");
    assert_eq!(h.min_exclusive, m.min_exclusive, "{at}: min_exclusive");
    assert_eq!(h.max_exclusive, m.max_exclusive, "{at}: max_exclusive");
    assert_eq!(h.min_items, m.min_items, "{at}: min_items");
    assert_eq!(h.max_items, m.max_items, "{at}: max_items");
    assert_eq!(hand.doc, macro_.doc, "{at}: doc");
}

/// Two type references are the same type, and, for complex types, have equal descriptors.
fn assert_type_eq(hand: TypeRef, macro_: TypeRef, at: &str) {
    assert!(
        hand.same_as(&macro_),
        "{at}: type {hand:?} is not {macro_:?}"
    );
    match (hand, macro_) {
        (TypeRef::Complex(h), TypeRef::Complex(m)) => assert_complex_eq(h, m, at),
        (TypeRef::Array(h), TypeRef::Array(m)) => assert_type_eq(h(), m(), at),
        (TypeRef::Enum(h), TypeRef::Enum(m)) => assert_eq!(h.values, m.values, "{at}: values"),
        (TypeRef::Simple(h), TypeRef::Simple(m)) => assert_eq!(h.kind, m.kind, "{at}: kind"),
        (TypeRef::Any, TypeRef::Any) => {}
        (TypeRef::List(h), TypeRef::List(m)) => assert_type_eq(h(), m(), at),
        (TypeRef::Choice(h), TypeRef::Choice(m)) => {
            assert_eq!(h.variants.len(), m.variants.len(), "{at}: alternatives");
            for (i, (h, m)) in h.variants.iter().zip(m.variants).enumerate() {
                assert_field_eq(h, m, &format!("{at}|{i}"));
            }
        }
        (h, m) => panic!("{at}: {h:?} and {m:?} are different kinds of type"),
    }
}
