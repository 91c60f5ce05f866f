//! The model system: descriptors, the exact serialization event stream, validation faults that
//! name the field, and round trips of every model type.

use proptest::prelude::*;
use rpclib_core::model::value::{Value, from_value, to_value};
use rpclib_core::model::{
    AnyXml, BigInt, BigUint, ByteArray, ChoiceType, ComplexType, Constraints, Date, DateTime,
    Decimal, Duration, FieldDescriptor, FieldPath, MaxOccurs, SerError, SerializeValue, Serializer,
    Time, TimeZone, TypeRef,
};
use rpclib_core::{ComplexModel, Model, SimpleEnum};

/// Days, with Thursday deliberately missing (as in the interop service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, SimpleEnum)]
#[model(name = "DaysOfWeekEnum")]
enum Day {
    Monday,
    Friday,
    #[model(name = "SUNDAY")]
    Sunday,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
struct SimpleClass {
    i: Option<BigInt>,
    s: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "punk.tunk")]
struct NestedClass {
    simple: Option<Vec<SimpleClass>>,
    s: Option<String>,
    #[model(unwrapped)]
    tags: Vec<String>,
}

/// Extends `NestedClass` in another namespace.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(name = "ExtensionClass", namespace = "bar")]
struct Extension {
    #[model(base)]
    base: NestedClass,
    #[model(name = "q")]
    quantity: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
struct SelfRef {
    i: i32,
    sr: Option<Box<SelfRef>>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
struct Constrained {
    #[model(min_len = 1, max_len = 5)]
    name: String,
    #[model(pattern = "[a-z]+@[a-z]+")]
    email: Option<String>,
    #[model(min_inclusive = 0, max_exclusive = 150)]
    age: i32,
    #[model(min_exclusive = -1.5)]
    score: f64,
    #[model(max_items = 2, max_len = 3)]
    tags: Vec<String>,
    #[model(unwrapped, min_occurs = 1, max_occurs = 3)]
    codes: Vec<u8>,
    inner: Option<Box<Constrained>>,
}

fn valid_constrained() -> Constrained {
    Constrained {
        name: "ann".into(),
        email: Some("ann@example".into()),
        age: 30,
        score: 0.5,
        tags: vec!["a".into()],
        codes: vec![1],
        inner: None,
    }
}

fn validation_message<T: Model>(value: &T) -> Option<String> {
    let mut path = FieldPath::new();
    path.push_field("arg");
    value
        .validate(&Constraints::NONE, &mut path)
        .err()
        .map(|e| e.to_string())
}

#[test]
fn descriptors_follow_declarations() {
    let t: &ComplexType = Extension::complex_type();
    assert_eq!(t.name, "ExtensionClass");
    assert_eq!(t.namespace, Some("bar"));
    let names: Vec<(&str, Option<&str>)> = t
        .all_fields()
        .iter()
        .map(|f| (f.name, f.namespace.uri()))
        .collect();
    assert_eq!(
        names,
        [
            ("simple", Some("punk.tunk")),
            ("s", Some("punk.tunk")),
            ("tags", Some("punk.tunk")),
            ("q", Some("bar")),
        ]
    );
    let tags: &FieldDescriptor = t.field_at(2).unwrap();
    assert!(tags.unwrapped);
    assert_eq!(
        (tags.min_occurs, tags.max_occurs),
        (0, MaxOccurs::Unbounded)
    );
    let s = t.field_at(1).unwrap();
    assert_eq!(
        (s.min_occurs, s.max_occurs, s.nillable),
        (0, MaxOccurs::Bounded(1), true)
    );
    assert_eq!((s.ty)().name(), "string");
    let simple = t.field_at(0).unwrap();
    assert_eq!((simple.ty)().name(), "SimpleClassArray");
    assert_eq!((simple.ty)().namespace(), None);
    assert_eq!(<Vec<Vec<bool>>>::type_ref().name(), "booleanArrayArray");
    let TypeRef::Enum(e) = Day::type_ref() else {
        panic!("not an enum")
    };
    assert_eq!(e.values, ["Monday", "Friday", "SUNDAY"]);
    let c = Constrained::complex_type();
    let age = &c.fields[2];
    assert_eq!((age.min_occurs, age.nillable), (1, false));
    assert_eq!(c.fields[5].constraints.min_items, Some(1));
    assert_eq!(c.fields[5].constraints.max_items, Some(3));
}

/// Records serializer events as text.
#[derive(Default)]
struct Events(Vec<String>);

impl Serializer for Events {
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError> {
        self.0.push(format!("simple {} {text:?}", ty.name()));
        Ok(())
    }
    fn write_nil(&mut self) -> Result<(), SerError> {
        self.0.push("nil".into());
        Ok(())
    }
    fn begin_complex(&mut self, ty: &'static ComplexType) -> Result<(), SerError> {
        self.0.push(format!("begin {}", ty.name));
        Ok(())
    }
    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.0.push(format!("field {}", field.name));
        value.serialize_value(self)
    }
    fn end_complex(&mut self) -> Result<(), SerError> {
        self.0.push("end".into());
        Ok(())
    }
    fn begin_seq(&mut self, item: TypeRef, len: usize) -> Result<(), SerError> {
        self.0.push(format!("seq {} {len}", item.name()));
        Ok(())
    }
    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        value.serialize_value(self)
    }
    fn end_seq(&mut self) -> Result<(), SerError> {
        self.0.push("end seq".into());
        Ok(())
    }
    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        self.0.push(format!("any {}", xml.as_str()));
        Ok(())
    }
    fn write_choice(
        &mut self,
        ty: &'static ChoiceType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.0
            .push(format!("choice {} {}", ty.name, ty.variants[variant].name));
        value.serialize_value(self)
    }
}

#[test]
fn serialization_event_stream_is_exact() {
    let value = Extension {
        base: NestedClass {
            simple: Some(vec![SimpleClass {
                i: Some(BigInt::from(7)),
                s: None,
            }]),
            s: Some("x<y".into()),
            tags: vec!["a".into(), "b".into()],
        },
        quantity: None,
    };
    let mut events = Events::default();
    value.serialize(&mut events).unwrap();
    assert_eq!(
        events.0,
        [
            "begin ExtensionClass",
            "field simple",
            "seq SimpleClass 1",
            "begin SimpleClass",
            "field i",
            "simple integer \"7\"",
            "field s",
            "nil",
            "end",
            "end seq",
            "field s",
            "simple string \"x<y\"",
            "field tags",
            "seq string 2",
            "simple string \"a\"",
            "simple string \"b\"",
            "end seq",
            "field q",
            "nil",
            "end",
        ]
    );
}

#[test]
fn validation_names_the_field() {
    assert_eq!(validation_message(&valid_constrained()), None);
    let cases: Vec<(Constrained, &str)> = vec![
        (
            Constrained {
                name: String::new(),
                ..valid_constrained()
            },
            "field `arg.name`: length 0 is below the minimum of 1 characters",
        ),
        (
            Constrained {
                name: "abcdef".into(),
                ..valid_constrained()
            },
            "field `arg.name`: length 6 exceeds the maximum of 5 characters",
        ),
        (
            Constrained {
                email: Some("nope".into()),
                ..valid_constrained()
            },
            "field `arg.email`: value \"nope\" does not match the pattern `[a-z]+@[a-z]+`",
        ),
        (
            Constrained {
                age: -1,
                ..valid_constrained()
            },
            "field `arg.age`: value must be at least 0",
        ),
        (
            Constrained {
                age: 150,
                ..valid_constrained()
            },
            "field `arg.age`: value must be less than 150",
        ),
        (
            Constrained {
                score: -1.5,
                ..valid_constrained()
            },
            "field `arg.score`: value must be greater than -1.5",
        ),
        (
            Constrained {
                score: f64::NAN,
                ..valid_constrained()
            },
            "field `arg.score`: value must be greater than -1.5",
        ),
        (
            Constrained {
                tags: vec!["a".into(), "b".into(), "c".into()],
                ..valid_constrained()
            },
            "field `arg.tags`: 3 items, more than the maximum of 2",
        ),
        (
            Constrained {
                tags: vec!["a".into(), "long".into()],
                ..valid_constrained()
            },
            "field `arg.tags[1]`: length 4 exceeds the maximum of 3 characters",
        ),
        (
            Constrained {
                codes: vec![],
                ..valid_constrained()
            },
            "field `arg.codes`: 0 items, fewer than the minimum of 1",
        ),
        (
            Constrained {
                codes: vec![1, 2, 3, 4],
                ..valid_constrained()
            },
            "field `arg.codes`: 4 items, more than the maximum of 3",
        ),
        (
            Constrained {
                inner: Some(Box::new(Constrained {
                    age: 200,
                    ..valid_constrained()
                })),
                ..valid_constrained()
            },
            "field `arg.inner.age`: value must be less than 150",
        ),
    ];
    for (value, expected) in cases {
        assert_eq!(validation_message(&value).as_deref(), Some(expected));
    }
}

#[test]
fn lexical_errors_name_type_and_text() {
    let err = from_value::<i8>(&Value::Simple("300".into())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"300\" is not a valid xs:byte: out of range for the type"
    );
    let err = from_value::<bool>(&Value::Simple("yes".into())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"yes\" is not a valid xs:boolean: expected true, false, 1 or 0"
    );
    let err = from_value::<f64>(&Value::Simple("inf".into())).unwrap_err();
    assert!(err.to_string().contains("xs:double"));
    let err = from_value::<Day>(&Value::Simple("Thursday".into())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"Thursday\" is not a valid xs:DaysOfWeekEnum: expected one of: Monday, Friday, SUNDAY"
    );
    let err = from_value::<SelfRef>(&Value::Complex(vec![])).unwrap_err();
    assert_eq!(err.to_string(), "missing required element `i`");
    assert!(from_value::<bool>(&Value::Simple(" 1\n".into())).unwrap());
    assert_eq!(
        from_value::<f64>(&Value::Simple("-INF".into())).unwrap(),
        f64::NEG_INFINITY
    );
}

#[test]
#[allow(clippy::approx_constant)] // the interop service sends exactly this value
fn floats_print_shortest_round_trip_text() {
    assert_eq!(
        to_value(&3.141592653f64).unwrap(),
        Value::Simple("3.141592653".into())
    );
    assert_eq!(to_value(&12.34f32).unwrap(), Value::Simple("12.34".into()));
    assert_eq!(to_value(&3.0f64).unwrap(), Value::Simple("3.0".into()));
    assert_eq!(to_value(&f64::NAN).unwrap(), Value::Simple("NaN".into()));
}

fn round_trip<T: Model + PartialEq + std::fmt::Debug>(value: &T) {
    let tree = to_value(value).unwrap();
    let back: T = from_value(&tree).unwrap();
    assert_eq!(&back, value, "via {tree:?}");
}

fn tz() -> impl Strategy<Value = Option<TimeZone>> {
    prop_oneof![
        Just(None),
        Just(Some(TimeZone::UTC)),
        (-840i16..=840).prop_map(|m| Some(TimeZone::offset(m).unwrap())),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (1i32..=9999, 1u8..=12, 1u8..=28, tz())
        .prop_map(|(y, m, d, z)| Date::new(y, m, d).unwrap().with_tz(z))
}

fn time() -> impl Strategy<Value = Time> {
    (0u8..24, 0u8..60, 0u8..60, 0u32..1_000_000_000, tz())
        .prop_map(|(h, m, s, n, z)| Time::new(h, m, s, n).unwrap().with_tz(z))
}

fn duration() -> impl Strategy<Value = Duration> {
    (
        any::<bool>(),
        0u64..100,
        0u64..100,
        0u64..1000,
        0u64..100_000,
        0u32..1_000_000,
    )
        .prop_map(|(neg, y, mo, d, s, micros)| {
            Duration::ZERO
                .with_negative(neg)
                .with_years(y)
                .with_months(mo)
                .with_days(d)
                .with_seconds(s)
                .with_fraction(micros * 1000, if micros == 0 { 0 } else { 6 })
                .unwrap()
        })
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
struct Everything {
    b: bool,
    i8_: i8,
    i16_: i16,
    i32_: i32,
    i64_: i64,
    u8_: u8,
    u16_: u16,
    u32_: u32,
    u64_: u64,
    big: BigInt,
    ubig: BigUint,
    f: f32,
    d: f64,
    dec: Decimal,
    s: String,
    bytes: ByteArray,
    date: Date,
    time: Time,
    dt: DateTime,
    dur: Duration,
    day: Day,
    any: AnyXml,
    opt: Option<i32>,
    list: Vec<Option<String>>,
    #[model(unwrapped)]
    repeated: Vec<i64>,
    nested: Vec<Vec<bool>>,
    inheritance: Extension,
    recursive: SelfRef,
}

fn everything() -> impl Strategy<Value = Everything> {
    let primitives = (
        any::<bool>(),
        any::<i8>(),
        any::<i16>(),
        any::<i32>(),
        any::<i64>(),
        any::<u8>(),
        any::<u16>(),
        any::<u32>(),
        any::<u64>(),
        any::<i128>().prop_map(BigInt::from),
        any::<u128>().prop_map(BigUint::from),
        any::<f32>().prop_filter("NaN never equals itself", |f| !f.is_nan()),
    );
    let more = (
        any::<f64>().prop_filter("NaN never equals itself", |f| !f.is_nan()),
        (any::<i64>(), 0u32..=18).prop_map(|(m, s)| Decimal::new(m, s)),
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(ByteArray::from),
        date(),
        time(),
        (date(), time(), tz()).prop_map(|(d, t, z)| {
            DateTime::new(d.with_tz(None), t.with_tz(None))
                .unwrap()
                .with_tz(z)
        }),
        duration(),
        prop_oneof![Just(Day::Monday), Just(Day::Friday), Just(Day::Sunday)],
        "[a-z]{1,8}".prop_map(|n| AnyXml::new(format!("<{n} xmlns=\"urn:x\">text</{n}>"))),
        any::<Option<i32>>(),
        proptest::collection::vec(any::<Option<String>>(), 0..5),
    );
    let containers = (
        proptest::collection::vec(any::<i64>(), 0..5),
        proptest::collection::vec(proptest::collection::vec(any::<bool>(), 0..3), 0..3),
        (
            any::<Option<String>>(),
            proptest::collection::vec("[a-z]*", 0..3),
            any::<Option<u64>>(),
        ),
        proptest::collection::vec(any::<i32>(), 1..4),
    );
    (primitives, more, containers).prop_map(|(p, m, c)| Everything {
        b: p.0,
        i8_: p.1,
        i16_: p.2,
        i32_: p.3,
        i64_: p.4,
        u8_: p.5,
        u16_: p.6,
        u32_: p.7,
        u64_: p.8,
        big: p.9,
        ubig: p.10,
        f: p.11,
        d: m.0,
        dec: m.1,
        s: m.2,
        bytes: m.3,
        date: m.4,
        time: m.5,
        dt: m.6,
        dur: m.7,
        day: m.8,
        any: m.9,
        opt: m.10,
        list: m.11,
        repeated: c.0,
        nested: c.1,
        inheritance: Extension {
            base: NestedClass {
                simple: Some(vec![SimpleClass {
                    i: None,
                    s: c.2.0.clone(),
                }]),
                s: c.2.0,
                tags: c.2.1,
            },
            quantity: c.2.2,
        },
        recursive: c
            .3
            .iter()
            .rev()
            .fold(None, |inner, i| {
                Some(Box::new(SelfRef { i: *i, sr: inner }))
            })
            .map(|b| *b)
            .unwrap_or(SelfRef { i: 0, sr: None }),
    })
}

proptest! {
    #[test]
    fn every_model_type_round_trips(value in everything()) {
        round_trip(&value);
    }

    #[test]
    fn lexical_forms_read_back(d in any::<f64>(), f in any::<f32>(), i in any::<i64>()) {
        let text = |v: &Value| match v { Value::Simple(s) => s.clone(), other => panic!("{other:?}") };
        let back: f64 = from_value(&Value::Simple(text(&to_value(&d).unwrap()))).unwrap();
        prop_assert!(back == d || (back.is_nan() && d.is_nan()));
        let back: f32 = from_value(&Value::Simple(text(&to_value(&f).unwrap()))).unwrap();
        prop_assert!(back == f || (back.is_nan() && f.is_nan()));
        let back: i64 = from_value(&Value::Simple(text(&to_value(&i).unwrap()))).unwrap();
        prop_assert_eq!(back, i);
    }
}
