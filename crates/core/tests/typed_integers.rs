//! The typed integer calls of the model traits: `Deserializer::read_integer` and
//! `Serializer::write_integer`, their defaults (text, as before they existed) and the
//! built-in integers' use of them, which must give the same values and the same errors as
//! the text path.

use std::borrow::Cow;

use rpclib_core::Model;
use rpclib_core::model::value::{Value, from_value, to_value};
use rpclib_core::model::{
    AnyXml, ComplexType, DeError, Deserializer, FieldDescriptor, FieldVisitor, ItemVisitor,
    SerError, SerializeValue, Serializer, TypeRef,
};

/// A format with typed integers: its one value is an integer, handed over by `read_integer`.
struct TypedInt {
    value: i128,
    /// The type `read_integer` was asked for.
    asked: Option<String>,
}

impl Deserializer for TypedInt {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(false)
    }
    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        self.asked = Some(ty.name().into_owned());
        Ok(Some(self.value))
    }
    fn read_simple(&mut self, _: TypeRef) -> Result<Cow<'_, str>, DeError> {
        Err(DeError::unexpected("read as text, not as an integer"))
    }
    fn read_complex(
        &mut self,
        _: &'static ComplexType,
        _: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        Err(DeError::unexpected("not complex"))
    }
    fn read_seq(&mut self, _: TypeRef, _: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        Err(DeError::unexpected("not an array"))
    }
    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        Err(DeError::unexpected("not XML"))
    }
}

/// Records what a serializer is handed: typed integers as `int`, text as `text`.
#[derive(Default)]
struct Typed(Vec<String>);

impl Serializer for Typed {
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError> {
        self.0.push(format!("text {} {text}", ty.name()));
        Ok(())
    }
    fn write_integer(&mut self, ty: TypeRef, value: i128) -> Result<(), SerError> {
        self.0.push(format!("int {} {value}", ty.name()));
        Ok(())
    }
    fn write_nil(&mut self) -> Result<(), SerError> {
        Err(SerError::new("unexpected nil"))
    }
    fn begin_complex(&mut self, _: &'static ComplexType) -> Result<(), SerError> {
        Err(SerError::new("unexpected complex"))
    }
    fn write_field(
        &mut self,
        _: &'static FieldDescriptor,
        _: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        Err(SerError::new("unexpected field"))
    }
    fn end_complex(&mut self) -> Result<(), SerError> {
        Err(SerError::new("unexpected end"))
    }
    fn begin_seq(&mut self, _: TypeRef, _: usize) -> Result<(), SerError> {
        Ok(())
    }
    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        value.serialize_value(self)
    }
    fn end_seq(&mut self) -> Result<(), SerError> {
        Ok(())
    }
    fn write_any(&mut self, _: &AnyXml) -> Result<(), SerError> {
        Err(SerError::new("unexpected XML"))
    }
}

/// Reads `value` as `T` through `read_integer`, and through the text of the same number;
/// both must agree, in the value or in the error's message and kind.
fn both_ways<T: Model + PartialEq + std::fmt::Debug>(value: i128) -> Result<T, String> {
    let mut typed = TypedInt { value, asked: None };
    let by_value = T::deserialize(&mut typed);
    assert_eq!(
        typed.asked.as_deref(),
        Some(&*T::type_ref().name()),
        "{value}"
    );
    let by_text = from_value::<T>(&Value::Simple(value.to_string()));
    match (by_value, by_text) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{value}");
            Ok(a)
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.message(), b.message(), "{value}");
            assert_eq!(a.kind(), b.kind(), "{value}");
            Err(a.message().to_owned())
        }
        (a, b) => panic!("{value}: by value {a:?}, by text {b:?}"),
    }
}

const I64_MIN: i128 = i64::MIN as i128;
const I64_MAX: i128 = i64::MAX as i128;
const U64_MAX: i128 = u64::MAX as i128;

#[test]
fn the_widest_values_are_read() {
    assert_eq!(both_ways::<i64>(I64_MIN), Ok(i64::MIN));
    assert_eq!(both_ways::<i64>(I64_MAX), Ok(i64::MAX));
    assert_eq!(both_ways::<u64>(U64_MAX), Ok(u64::MAX));
    assert_eq!(both_ways::<u64>(0), Ok(0));
    assert_eq!(both_ways::<i8>(-128), Ok(i8::MIN));
    assert_eq!(both_ways::<u32>(4_294_967_295), Ok(u32::MAX));
}

/// A value beyond the type: the error the same number read as text gets, word for word.
#[test]
fn out_of_range_is_the_text_paths_error() {
    let out = |text: &str, ty: &str| {
        Some(format!(
            "\"{text}\" is not a valid xs:{ty}: out of range for the type"
        ))
    };
    assert_eq!(both_ways::<i8>(128).err(), out("128", "byte"));
    assert_eq!(both_ways::<i8>(-129).err(), out("-129", "byte"));
    assert_eq!(both_ways::<u8>(-1).err(), out("-1", "unsignedByte"));
    assert_eq!(both_ways::<i16>(32_768).err(), out("32768", "short"));
    assert_eq!(
        both_ways::<u16>(65_536).err(),
        out("65536", "unsignedShort")
    );
    assert_eq!(
        both_ways::<i32>(I64_MAX).err(),
        out("9223372036854775807", "int")
    );
    assert_eq!(both_ways::<u32>(-1).err(), out("-1", "unsignedInt"));
    assert_eq!(
        both_ways::<i64>(U64_MAX).err(),
        out("18446744073709551615", "long")
    );
    assert_eq!(
        both_ways::<i64>(I64_MAX + 1).err(),
        out("9223372036854775808", "long")
    );
    assert_eq!(
        both_ways::<u64>(I64_MIN).err(),
        out("-9223372036854775808", "unsignedLong")
    );
    assert_eq!(both_ways::<u64>(-1).err(), out("-1", "unsignedLong"));
}

/// A format without typed integers (the default `read_integer`) reads the text as before.
#[test]
fn the_default_reads_text() {
    assert_eq!(
        from_value::<i32>(&Value::Simple("-42".into())).ok(),
        Some(-42)
    );
    let e = from_value::<u16>(&Value::Simple("x".into())).map_err(|e| e.message().to_owned());
    assert_eq!(
        e,
        Err("\"x\" is not a valid xs:unsignedShort: expected an integer".to_owned())
    );
}

/// Built-in integers hand their value to `write_integer`; the default writes its text
/// through `write_simple`, as every integer was written before.
#[test]
fn integers_are_written_as_values_and_text_by_default() {
    let mut typed = Typed::default();
    i64::MIN.serialize(&mut typed).unwrap();
    u64::MAX.serialize(&mut typed).unwrap();
    (-5i8).serialize(&mut typed).unwrap();
    vec![7u16].serialize(&mut typed).unwrap();
    assert_eq!(
        typed.0,
        [
            "int long -9223372036854775808",
            "int unsignedLong 18446744073709551615",
            "int byte -5",
            "int unsignedShort 7",
        ]
    );
    for (value, text) in [
        (to_value(&i64::MIN), "-9223372036854775808"),
        (to_value(&i64::MAX), "9223372036854775807"),
        (to_value(&u64::MAX), "18446744073709551615"),
        (to_value(&0u8), "0"),
        (to_value(&-1i16), "-1"),
    ] {
        assert_eq!(value.ok(), Some(Value::Simple(text.to_owned())));
    }
}
