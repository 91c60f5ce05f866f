//! A service written without any macro: a complex model type (`Item`, `Model` and
//! `ComplexModel` by hand), the request and response message types of two methods, their
//! invokers, the descriptors and the `Service` impl. Everything comes from public, documented
//! items of `rpclib_core` and `rpclib_core::model`; `twin.rs` is the same service
//! written with `#[service]` and `#[derive(ComplexModel)]`.
//!
//! Shared by `crates/core/tests/no_macro.rs` (in-process) and
//! `examples/tests/no_macro.rs` (SOAP and WSDL), which include it by path.

use std::any::Any;

use rpclib_core::model::{
    ComplexType, Constraints, DeError, Deserializer, FieldDescriptor, FieldKind, FieldNamespace,
    FieldPath, MaxOccurs, Number, SerError, Serializer, TypeRef, ValidationError, deserialize_slot,
    finish_slot, validate_field,
};
use rpclib_core::{
    BodyStyle, ComplexModel, Fault, FaultDescriptor, Invoke, MessageDescriptor, MethodContext,
    MethodDescriptor, Model, Service, ServiceDescriptor, deserialize_boxed, downcast_boxed,
    serialize_boxed, validate_boxed,
};

/// The namespace of the service and its types.
pub(crate) const NS: &str = "urn:example:nomacro";

/// How many of any item are in stock.
pub(crate) const STOCK: u32 = 10;

// ---------------------------------------------------------------------------------------------
// The model type: `Item`, by hand.
// ---------------------------------------------------------------------------------------------

/// An item of an order: what `#[derive(ComplexModel)]` on `twin::Item` writes, by hand.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// 1 to 16 characters.
    pub(crate) name: String,
    /// At most 100.
    pub(crate) quantity: u32,
    /// An optional note.
    pub(crate) note: Option<String>,
}

/// The descriptor of `Item`: one `FieldDescriptor` per field, in wire order, with the
/// constraints that appear as facets in the WSDL and are checked on input.
static ITEM_TYPE: ComplexType = ComplexType {
    name: "Item",
    namespace: Some(NS),
    base: None,
    fields: &[
        FieldDescriptor {
            name: "name",
            rust_name: "name",
            namespace: FieldNamespace::Uri(NS),
            kind: FieldKind::Element,
            ty: <String as Model>::type_ref,
            min_occurs: 1,
            max_occurs: MaxOccurs::Bounded(1),
            nillable: <String as Model>::OPTIONAL,
            unwrapped: false,
            constraints: Constraints {
                min_len: Some(1),
                max_len: Some(16),
                ..Constraints::NONE
            },
            value_constraint: None,
            doc: Some("1 to 16 characters."),
        },
        FieldDescriptor {
            name: "quantity",
            rust_name: "quantity",
            namespace: FieldNamespace::Uri(NS),
            kind: FieldKind::Element,
            ty: <u32 as Model>::type_ref,
            min_occurs: 1,
            max_occurs: MaxOccurs::Bounded(1),
            nillable: false,
            unwrapped: false,
            constraints: Constraints {
                max_inclusive: Some(Number::Int(100)),
                ..Constraints::NONE
            },
            value_constraint: None,
            doc: Some("At most 100."),
        },
        FieldDescriptor {
            name: "note",
            rust_name: "note",
            namespace: FieldNamespace::Uri(NS),
            kind: FieldKind::Element,
            ty: <Option<String> as Model>::type_ref,
            // An `Option` may be absent or nil.
            min_occurs: 0,
            max_occurs: MaxOccurs::Bounded(1),
            nillable: true,
            unwrapped: false,
            constraints: Constraints::NONE,
            value_constraint: None,
            doc: Some("An optional note."),
        },
    ],
    doc: Some("An item of an order."),
};

/// Accumulates `Item`'s fields while one is read: one slot per field.
#[derive(Debug, Default)]
pub(crate) struct ItemBuilder {
    name: Option<String>,
    quantity: Option<u32>,
    note: Option<Option<String>>,
}

impl Model for Item {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&ITEM_TYPE)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&ITEM_TYPE)?;
        self.serialize_fields(s)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut builder = ItemBuilder::default();
        d.read_complex(&ITEM_TYPE, &mut |index, d| {
            Self::deserialize_field(&mut builder, index, d)
        })?;
        Self::build(builder)
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        self.validate_fields(path)
    }
}

impl ComplexModel for Item {
    type Builder = ItemBuilder;

    fn complex_type() -> &'static ComplexType {
        &ITEM_TYPE
    }

    fn serialize_fields(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.write_field(&ITEM_TYPE.fields[0], &self.name)?;
        s.write_field(&ITEM_TYPE.fields[1], &self.quantity)?;
        s.write_field(&ITEM_TYPE.fields[2], &self.note)
    }

    fn deserialize_field(
        builder: &mut ItemBuilder,
        index: usize,
        d: &mut dyn Deserializer,
    ) -> Result<(), DeError> {
        match index {
            0 => deserialize_slot(&mut builder.name, &ITEM_TYPE.fields[0], d),
            1 => deserialize_slot(&mut builder.quantity, &ITEM_TYPE.fields[1], d),
            2 => deserialize_slot(&mut builder.note, &ITEM_TYPE.fields[2], d),
            _ => Err(DeError::new("no such field")),
        }
    }

    fn build(builder: ItemBuilder) -> Result<Self, DeError> {
        Ok(Item {
            name: finish_slot(builder.name, &ITEM_TYPE.fields[0])?,
            quantity: finish_slot(builder.quantity, &ITEM_TYPE.fields[1])?,
            note: finish_slot(builder.note, &ITEM_TYPE.fields[2])?,
        })
    }

    fn validate_fields(&self, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.name, &ITEM_TYPE.fields[0], path)?;
        validate_field(&self.quantity, &ITEM_TYPE.fields[1], path)?;
        validate_field(&self.note, &ITEM_TYPE.fields[2], path)
    }
}

// ---------------------------------------------------------------------------------------------
// The service and its methods: plain Rust.
// ---------------------------------------------------------------------------------------------

/// An order desk.
#[derive(Debug)]
pub(crate) struct Shop;

impl Shop {
    /// The price of `item` at `unit_price` per unit.
    pub(crate) fn total(&self, item: Item, unit_price: u32) -> u64 {
        u64::from(item.quantity) * u64::from(unit_price)
    }

    /// Reserves `item`; an `OutOfStock` fault carrying the item if there are not enough.
    pub(crate) fn reserve(&self, ctx: &mut MethodContext, item: Item) -> Result<String, Fault> {
        let _ = ctx;
        if item.quantity > STOCK {
            return Err(Fault::client("OutOfStock", "not enough in stock").with_detail(item));
        }
        Ok(format!("reserved {} x {}", item.quantity, item.name))
    }
}

// ---------------------------------------------------------------------------------------------
// The messages: one request and one response type per method (document/literal wrapped: the
// body element is named after the operation, or `<op>Response`, and holds one element per
// parameter, or result). Each only needs `Model`, and a `ComplexType` listing its parts.
// ---------------------------------------------------------------------------------------------

/// A message part: what `#[service]` declares for a parameter or result (in the service's
/// namespace, required unless `Option`, no constraints unless declared on the parameter).
const fn part(name: &'static str, rust_name: &'static str, ty: fn() -> TypeRef) -> FieldDescriptor {
    FieldDescriptor {
        name,
        rust_name,
        namespace: FieldNamespace::Uri(NS),
        kind: FieldKind::Element,
        ty,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        nillable: false,
        unwrapped: false,
        constraints: Constraints::NONE,
        value_constraint: None,
        doc: None,
    }
}

/// `total`'s request: `<total><item>..</item><unit_price>..</unit_price></total>`.
#[derive(Debug)]
pub(crate) struct TotalIn {
    /// The `item` parameter.
    pub(crate) item: Item,
    /// The `unit_price` parameter.
    pub(crate) unit_price: u32,
}

static TOTAL_IN: ComplexType = ComplexType {
    name: "total",
    namespace: Some(NS),
    base: None,
    fields: &[
        part("item", "item", <Item as Model>::type_ref),
        part("unit_price", "unit_price", <u32 as Model>::type_ref),
    ],
    doc: None,
};

impl Model for TotalIn {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&TOTAL_IN)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&TOTAL_IN)?;
        s.write_field(&TOTAL_IN.fields[0], &self.item)?;
        s.write_field(&TOTAL_IN.fields[1], &self.unit_price)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let (mut item, mut unit_price) = (None, None);
        d.read_complex(&TOTAL_IN, &mut |index, d| match index {
            0 => deserialize_slot(&mut item, &TOTAL_IN.fields[0], d),
            1 => deserialize_slot(&mut unit_price, &TOTAL_IN.fields[1], d),
            _ => Err(DeError::new("no such field")),
        })?;
        Ok(TotalIn {
            item: finish_slot(item, &TOTAL_IN.fields[0])?,
            unit_price: finish_slot(unit_price, &TOTAL_IN.fields[1])?,
        })
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.item, &TOTAL_IN.fields[0], path)?;
        validate_field(&self.unit_price, &TOTAL_IN.fields[1], path)
    }
}

/// `total`'s response: `<totalResponse><totalResult>..</totalResult></totalResponse>`.
#[derive(Debug)]
pub(crate) struct TotalOut {
    /// The result.
    pub(crate) result: u64,
}

static TOTAL_OUT: ComplexType = ComplexType {
    name: "totalResponse",
    namespace: Some(NS),
    base: None,
    fields: &[part("totalResult", "r0", <u64 as Model>::type_ref)],
    doc: None,
};

impl Model for TotalOut {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&TOTAL_OUT)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&TOTAL_OUT)?;
        s.write_field(&TOTAL_OUT.fields[0], &self.result)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut result = None;
        d.read_complex(&TOTAL_OUT, &mut |index, d| match index {
            0 => deserialize_slot(&mut result, &TOTAL_OUT.fields[0], d),
            _ => Err(DeError::new("no such field")),
        })?;
        Ok(TotalOut {
            result: finish_slot(result, &TOTAL_OUT.fields[0])?,
        })
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.result, &TOTAL_OUT.fields[0], path)
    }
}

/// `reserve`'s request: `<reserve><item>..</item></reserve>`.
#[derive(Debug)]
pub(crate) struct ReserveIn {
    /// The `item` parameter.
    pub(crate) item: Item,
}

static RESERVE_IN: ComplexType = ComplexType {
    name: "reserve",
    namespace: Some(NS),
    base: None,
    fields: &[part("item", "item", <Item as Model>::type_ref)],
    doc: None,
};

impl Model for ReserveIn {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&RESERVE_IN)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&RESERVE_IN)?;
        s.write_field(&RESERVE_IN.fields[0], &self.item)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut item = None;
        d.read_complex(&RESERVE_IN, &mut |index, d| match index {
            0 => deserialize_slot(&mut item, &RESERVE_IN.fields[0], d),
            _ => Err(DeError::new("no such field")),
        })?;
        Ok(ReserveIn {
            item: finish_slot(item, &RESERVE_IN.fields[0])?,
        })
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.item, &RESERVE_IN.fields[0], path)
    }
}

/// `reserve`'s response: `<reserveResponse><reserveResult>..</reserveResult></reserveResponse>`.
#[derive(Debug)]
pub(crate) struct ReserveOut {
    /// The result.
    pub(crate) result: String,
}

static RESERVE_OUT: ComplexType = ComplexType {
    name: "reserveResponse",
    namespace: Some(NS),
    base: None,
    fields: &[part("reserveResult", "r0", <String as Model>::type_ref)],
    doc: None,
};

impl Model for ReserveOut {
    fn type_ref() -> TypeRef {
        TypeRef::Complex(&RESERVE_OUT)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_complex(&RESERVE_OUT)?;
        s.write_field(&RESERVE_OUT.fields[0], &self.result)?;
        s.end_complex()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut result = None;
        d.read_complex(&RESERVE_OUT, &mut |index, d| match index {
            0 => deserialize_slot(&mut result, &RESERVE_OUT.fields[0], d),
            _ => Err(DeError::new("no such field")),
        })?;
        Ok(ReserveOut {
            result: finish_slot(result, &RESERVE_OUT.fields[0])?,
        })
    }

    fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        validate_field(&self.result, &RESERVE_OUT.fields[0], path)
    }
}

// ---------------------------------------------------------------------------------------------
// The invokers (`InvokeFn`): downcast the instance and the request, call, box the response.
// ---------------------------------------------------------------------------------------------

fn shop(service: &(dyn Any + Send + Sync)) -> Result<&Shop, Fault> {
    (service as &dyn Any)
        .downcast_ref::<Shop>()
        .ok_or_else(|| Fault::server("no instance of `Shop` serves this application"))
}

fn invoke_total(
    service: &(dyn Any + Send + Sync),
    _ctx: &mut MethodContext,
    args: Box<dyn Any + Send>,
) -> Result<Box<dyn Any + Send>, Fault> {
    let service = shop(service)?;
    let TotalIn { item, unit_price } = downcast_boxed::<TotalIn>(args)
        .ok_or_else(|| Fault::server("wrong arguments for `total`"))?;
    let result = service.total(item, unit_price);
    Ok(Box::new(TotalOut { result }))
}

fn invoke_reserve(
    service: &(dyn Any + Send + Sync),
    ctx: &mut MethodContext,
    args: Box<dyn Any + Send>,
) -> Result<Box<dyn Any + Send>, Fault> {
    let service = shop(service)?;
    let ReserveIn { item } = downcast_boxed::<ReserveIn>(args)
        .ok_or_else(|| Fault::server("wrong arguments for `reserve`"))?;
    let result = service.reserve(ctx, item)?;
    Ok(Box::new(ReserveOut { result }))
}

// ---------------------------------------------------------------------------------------------
// The descriptors and the `Service` impl.
// ---------------------------------------------------------------------------------------------

/// The descriptor of `Shop`, served under the name `Shop`.
pub(crate) static SHOP: ServiceDescriptor = ServiceDescriptor {
    name: "Shop",
    namespace: Some(NS),
    methods: &[
        MethodDescriptor {
            name: "total",
            operation: "total",
            body_style: BodyStyle::Wrapped,
            input: MessageDescriptor {
                name: "total",
                namespace: Some(NS),
                ty: &TOTAL_IN,
                deserialize: deserialize_boxed::<TotalIn>,
                serialize: serialize_boxed::<TotalIn>,
                validate: validate_boxed::<TotalIn>,
            },
            output: MessageDescriptor {
                name: "totalResponse",
                namespace: Some(NS),
                ty: &TOTAL_OUT,
                deserialize: deserialize_boxed::<TotalOut>,
                serialize: serialize_boxed::<TotalOut>,
                validate: validate_boxed::<TotalOut>,
            },
            in_headers: None,
            out_headers: None,
            faults: &[],
            doc: Some("The price of `item` at `unit_price` per unit."),
            // A computation: callable with HTTP `GET` (`#[rpc(safe)]` in the twin).
            safe: true,
            invoke: Invoke::Blocking(invoke_total),
        },
        MethodDescriptor {
            name: "reserve",
            operation: "reserve",
            body_style: BodyStyle::Wrapped,
            input: MessageDescriptor {
                name: "reserve",
                namespace: Some(NS),
                ty: &RESERVE_IN,
                deserialize: deserialize_boxed::<ReserveIn>,
                serialize: serialize_boxed::<ReserveIn>,
                validate: validate_boxed::<ReserveIn>,
            },
            output: MessageDescriptor {
                name: "reserveResponse",
                namespace: Some(NS),
                ty: &RESERVE_OUT,
                deserialize: deserialize_boxed::<ReserveOut>,
                serialize: serialize_boxed::<ReserveOut>,
                validate: validate_boxed::<ReserveOut>,
            },
            in_headers: None,
            out_headers: None,
            // The declared fault detail, published in the WSDL.
            faults: &[FaultDescriptor::of::<Item>()],
            doc: Some(
                "Reserves `item`; an `OutOfStock` fault carrying the item if there are not enough.",
            ),
            safe: false,
            invoke: Invoke::Blocking(invoke_reserve),
        },
    ],
    in_headers: &[],
    out_headers: &[],
    doc: Some("An order desk."),
};

impl Service for Shop {
    fn descriptor() -> &'static ServiceDescriptor {
        &SHOP
    }
}
