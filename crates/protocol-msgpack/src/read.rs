//! [`MsgReader`]: core's [`Deserializer`] over a decoded [`MsgValue`], checking each value's
//! MessagePack type against the model type that reads it and naming where a problem is.

use std::borrow::Cow;
use std::cell::Cell;

use rpclib_core::model::{
    AnyAttributes, AnyXml, ByteArray, ChoiceType, ComplexType, DeError, Deserializer, FieldVisitor,
    ItemVisitor, SimpleKind, TypeRef,
};

use crate::path::{Path, Step};
use crate::value::MsgValue;

/// Reads model values from one MessagePack value.
#[derive(Debug)]
pub(crate) struct MsgReader<'a> {
    value: &'a MsgValue,
    path: Path<'a>,
    /// Whether an error has been given its path (by the innermost reader that saw it).
    located: &'a Cell<bool>,
}

/// The XSD lexical form of a double (`NaN`, `INF`, `-INF`, else the shortest exact form).
fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "INF" } else { "-INF" }.to_owned()
    } else {
        format!("{f:?}")
    }
}

impl<'a> MsgReader<'a> {
    pub(crate) fn new(value: &'a MsgValue, path: Path<'a>, located: &'a Cell<bool>) -> Self {
        MsgReader {
            value,
            path,
            located,
        }
    }

    /// Adds this reader's path to `e`, unless a reader further in already did; the path
    /// becomes the error's field, the original error its source.
    pub(crate) fn locate(&self, e: DeError) -> DeError {
        if self.located.replace(true) {
            return e;
        }
        let path = self.path.to_string();
        let message = format!("{} at `{path}`", e.message());
        DeError::with_kind(e.kind(), message)
            .in_field(&path)
            .caused_by(e)
    }

    fn wrong_type(&self, expected: &str) -> DeError {
        DeError::unexpected(format!("expected {expected}, found {}", self.value.kind()))
    }
}

impl Deserializer for MsgReader<'_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(matches!(self.value, MsgValue::Nil))
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        let name = ty.name();
        let kind = match ty {
            TypeRef::Simple(s) => Some(s.kind),
            _ => None,
        };
        let numeric = matches!(
            kind,
            Some(SimpleKind::Integer | SimpleKind::Float | SimpleKind::Decimal)
        );
        match (kind, self.value) {
            (Some(SimpleKind::Boolean), MsgValue::Bool(b)) => {
                Ok(Cow::Borrowed(if *b { "true" } else { "false" }))
            }
            (Some(SimpleKind::Boolean), _) => Err(self.wrong_type("a boolean (`boolean`)")),
            (Some(SimpleKind::Binary), MsgValue::Bin(bytes)) => {
                Ok(Cow::Owned(ByteArray::from(bytes.clone()).to_base64()))
            }
            (Some(SimpleKind::Binary), _) => Err(self.wrong_type(&format!("a bin (`{name}`)"))),
            (_, MsgValue::Int(n)) if numeric => Ok(Cow::Owned(n.to_string())),
            (Some(SimpleKind::Float | SimpleKind::Decimal), MsgValue::Float(f)) => {
                Ok(Cow::Owned(float_text(*f)))
            }
            (_, MsgValue::Str(text)) => Ok(Cow::Borrowed(text)),
            (Some(SimpleKind::Integer), _) => {
                Err(self.wrong_type(&format!("an integer or a string (`{name}`)")))
            }
            _ if numeric => Err(self.wrong_type(&format!("a number or a string (`{name}`)"))),
            _ => Err(self.wrong_type(&format!("a string (`{name}`)"))),
        }
    }

    /// An int is handed over as its value; anything else (an integer given as a string
    /// included) is read as text by `read_simple`.
    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        Ok(match (ty, self.value) {
            (TypeRef::Simple(s), MsgValue::Int(n)) if s.kind == SimpleKind::Integer => Some(*n),
            _ => None,
        })
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let MsgValue::Map(entries) = self.value else {
            return Err(self.wrong_type(&format!("a map (`{}`)", ty.name)));
        };
        let fields = ty.all_fields();
        for (name, value) in entries {
            let Some(index) = fields.iter().position(|f| f.name == name) else {
                let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                return Err(DeError::unexpected(format!(
                    "unexpected member `{name}` in `{}` (expected one of: {})",
                    ty.name,
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            let field = fields[index];
            if matches!(value, MsgValue::Nil) && !field.nillable {
                if field.min_occurs > 0 {
                    return Err(DeError::unexpected(format!(
                        "member `{name}` is nil but the field is required and not nillable"
                    ))
                    .in_field(field.name));
                }
                // An optional member given as nil is the same as an absent one.
                continue;
            }
            let mut child =
                MsgReader::new(value, self.path.child(Step::Member(name)), self.located);
            visit(index, &mut child).map_err(|e| child.locate(e))?;
        }
        Ok(())
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        let MsgValue::Array(items) = self.value else {
            return Err(self.wrong_type(&format!("an array (`{}Array`)", item.name())));
        };
        for (i, value) in items.iter().enumerate() {
            let mut child = MsgReader::new(value, self.path.child(Step::Index(i)), self.located);
            visit(&mut child).map_err(|e| child.locate(e))?;
        }
        Ok(())
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        match self.value {
            MsgValue::Str(s) => Ok(AnyXml::new(s.as_str())),
            _ => Err(self.wrong_type("a string of XML (`anyType`)")),
        }
    }

    /// Wildcard attributes are a map of Clark-notation names (`{namespace}local`) to strings.
    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        let MsgValue::Map(members) = self.value else {
            return Err(self.wrong_type("a map of attribute names to strings (xs:anyAttribute)"));
        };
        let mut entries = Vec::with_capacity(members.len());
        for (name, value) in members {
            match value {
                MsgValue::Str(text) => entries.push((name.as_str(), text.as_str())),
                other => {
                    return Err(DeError::unexpected(format!(
                        "the wildcard attribute `{name}` must be a string, found {}",
                        other.kind()
                    )));
                }
            }
        }
        rpclib_core::model::any_attributes_from_clark(entries)
    }

    /// A choice is a map with exactly one member, named after the alternative present.
    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let expected = || {
            format!(
                "a map with one of {} (the choice `{}`)",
                ty.expected(),
                ty.name
            )
        };
        let MsgValue::Map(members) = self.value else {
            return Err(self.wrong_type(&expected()));
        };
        let [(name, value)] = members.as_slice() else {
            return Err(DeError::unexpected(format!(
                "expected {}, found {} members",
                expected(),
                members.len()
            )));
        };
        let index = ty
            .variants
            .iter()
            .position(|v| v.name == name)
            .ok_or_else(|| {
                DeError::unexpected(format!(
                    "unexpected member `{name}`: expected one of {} (the choice `{}`)",
                    ty.expected(),
                    ty.name
                ))
            })?;
        let mut child = MsgReader::new(value, self.path.child(Step::Member(name)), self.located);
        visit(index, &mut child).map_err(|e| child.locate(e))
    }
}
