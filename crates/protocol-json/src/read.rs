//! [`JsonReader`]: core's [`Deserializer`] over a parsed [`JsonValue`], checking each value's
//! JSON type against the model type that reads it and naming where a problem is
//! (`$.say_hello.greeting.name`, `$.add.values[3]`).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt::Write as _;

use rpclib_core::model::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, DeError, Deserializer, FieldVisitor,
    ItemVisitor, SimpleKind, TypeRef,
};

use crate::value::{Found, JsonValue};

/// One step of the path from the message to a value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Member(&'a str),
    Index(usize),
}

/// The path to a value: a linked list up to the root, written only when an error needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Option<Step<'a>>,
}

impl<'a> Path<'a> {
    /// The path of the message's value (`$.` followed by the message name).
    pub(crate) fn root(name: &'a str) -> Self {
        let top: &'static Path<'static> = &Path {
            parent: None,
            step: None,
        };
        Path {
            parent: Some(top),
            step: Some(Step::Member(name)),
        }
    }

    pub(crate) fn child(&'a self, step: Step<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Some(step),
        }
    }

    fn write(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write(out);
        }
        match self.step {
            None => out.push('$'),
            Some(Step::Member(name)) => {
                let _ = write!(out, ".{name}");
            }
            Some(Step::Index(i)) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

/// Reads model values from one JSON value.
pub(crate) struct JsonReader<'a> {
    /// Mutable so that a string can be moved out to the model instead of copied (the tree is
    /// read once and then dropped).
    value: &'a mut JsonValue,
    path: Path<'a>,
    /// Whether an error has been given its path (by the innermost reader that saw it).
    located: &'a Cell<bool>,
    /// Where an integer's text is written when a model reads it as text (a `double` or a
    /// `decimal` given as `3`); uninitialised until then, so free to create.
    digits: itoa::Buffer,
}

impl std::fmt::Debug for JsonReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `digits` is scratch space, uninitialised until used: nothing to show.
        f.debug_struct("JsonReader")
            .field("value", &self.value)
            .field("path", &self.path)
            .field("located", &self.located)
            .finish_non_exhaustive()
    }
}

impl<'a> JsonReader<'a> {
    pub(crate) fn new(value: &'a mut JsonValue, path: Path<'a>, located: &'a Cell<bool>) -> Self {
        JsonReader {
            value,
            path,
            located,
            digits: itoa::Buffer::new(),
        }
    }

    /// The value this reader reads.
    pub(crate) fn value_mut(&mut self) -> &mut JsonValue {
        self.value
    }

    /// Adds this reader's path to `e`, unless a reader further in already did. The path
    /// becomes the error's field (so that the generated readers' `in_field` does not name
    /// the member a second time), and the error the original's source.
    pub(crate) fn locate(&self, e: DeError) -> DeError {
        locate(&self.path, self.located, e)
    }

    fn wrong_type(&self, expected: &str) -> DeError {
        wrong_type(expected, self.value.found())
    }
}

/// What `ty` expects when a value of kind `found` is not one of its forms, for the error;
/// `None` when `found` is.
pub(crate) fn simple_mismatch(ty: TypeRef, found: Found) -> Option<String> {
    match (ty, found) {
        (TypeRef::Simple(s), Found::Bool) if s.kind == SimpleKind::Boolean => None,
        (TypeRef::Simple(s), _) if s.kind == SimpleKind::Boolean => {
            Some("a boolean (`boolean`)".to_owned())
        }
        (TypeRef::Simple(s), Found::Number) if !string_only(s.kind) => None,
        (TypeRef::Simple(_) | TypeRef::Enum(_) | TypeRef::List(_), Found::String) => None,
        (TypeRef::Simple(s), _) if !string_only(s.kind) => {
            Some(format!("a number or a string (`{}`)", ty.name()))
        }
        _ => Some(format!("a string (`{}`)", ty.name())),
    }
}

/// Adds `path` to `e`, unless a reader further in already did (`located`): see
/// [`JsonReader::locate`].
pub(crate) fn locate(path: &Path<'_>, located: &Cell<bool>, e: DeError) -> DeError {
    if located.replace(true) {
        return e;
    }
    let path = path.to_string();
    let message = format!("{} at `{path}`", e.message());
    DeError::with_kind(e.kind(), message)
        .in_field(&path)
        .caused_by(e)
}

/// The error of a value of kind `found` where `expected` was.
pub(crate) fn wrong_type(expected: &str, found: Found) -> DeError {
    DeError::unexpected(format!("expected {expected}, found {}", found.kind()))
}

/// Whether a simple type's values travel as JSON strings only.
fn string_only(kind: SimpleKind) -> bool {
    matches!(
        kind,
        SimpleKind::String | SimpleKind::Binary | SimpleKind::Temporal
    )
}

impl Deserializer for JsonReader<'_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(matches!(*self.value, JsonValue::Null))
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        if let Some(expected) = simple_mismatch(ty, self.value.found()) {
            return Err(self.wrong_type(&expected));
        }
        Ok(match &mut *self.value {
            JsonValue::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            JsonValue::Int(n) => Cow::Borrowed(self.digits.format(*n)),
            JsonValue::Uint(n) => Cow::Borrowed(self.digits.format(*n)),
            JsonValue::Number(text) => Cow::Borrowed(text.as_str()),
            // Moved out, not copied: a model `String` takes it as it is (the tree is read
            // once, then dropped).
            JsonValue::String(text) => Cow::Owned(std::mem::take(text)),
            // Refused above: no simple type accepts these.
            JsonValue::Null | JsonValue::Array(_) | JsonValue::Object(_) => Cow::Borrowed(""),
        })
    }

    /// An integer in the document is handed over as its value; anything else (an integer
    /// given as a string included) is read as text by `read_simple`.
    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        match ty {
            TypeRef::Simple(s) if s.kind == SimpleKind::Integer => Ok(self.value.integer()),
            _ => Ok(None),
        }
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let JsonValue::Object(members) = &mut *self.value else {
            return Err(self.wrong_type(&format!("an object (`{}`)", ty.name)));
        };
        let fields = ty.all_fields();
        for (name, value) in members.iter_mut() {
            let name = name.as_str();
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
            if matches!(value, JsonValue::Null) && !field.nillable && field.min_occurs > 0 {
                return Err(DeError::unexpected(format!(
                    "member `{name}` is null but the field is required and not nillable"
                ))
                .in_field(field.name));
            }
            if matches!(value, JsonValue::Null) && !field.nillable {
                // An optional member given as null is the same as an absent one.
                continue;
            }
            let mut child =
                JsonReader::new(value, self.path.child(Step::Member(name)), self.located);
            visit(index, &mut child).map_err(|e| child.locate(e))?;
        }
        Ok(())
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        let JsonValue::Array(items) = &mut *self.value else {
            return Err(self.wrong_type(&format!("an array (`{}Array`)", item.name())));
        };
        for (i, value) in items.iter_mut().enumerate() {
            let mut child = JsonReader::new(value, self.path.child(Step::Index(i)), self.located);
            visit(&mut child).map_err(|e| child.locate(e))?;
        }
        Ok(())
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        match &*self.value {
            JsonValue::String(s) => Ok(AnyXml::new(s.as_str())),
            _ => Err(self.wrong_type("a string of XML (`anyType`)")),
        }
    }

    /// Wildcard attributes are an object of Clark-notation names (`{namespace}local`) to
    /// strings.
    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        let JsonValue::Object(members) = &*self.value else {
            return Err(
                self.wrong_type("an object of attribute names to strings (xs:anyAttribute)")
            );
        };
        let mut entries = Vec::with_capacity(members.len());
        for (name, value) in members {
            match value {
                JsonValue::String(text) => entries.push((name.as_str(), text.as_str())),
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

    /// A choice is an object with exactly one member, named after the alternative present.
    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let expected = || {
            format!(
                "an object with one of {} (the choice `{}`)",
                ty.expected(),
                ty.name
            )
        };
        let JsonValue::Object(members) = &mut *self.value else {
            return Err(self.wrong_type(&expected()));
        };
        let count = members.len();
        let [(name, value)] = members.as_mut_slice() else {
            return Err(DeError::unexpected(format!(
                "expected {}, found {} members",
                expected(),
                count
            )));
        };
        let index = ty
            .variants
            .iter()
            .position(|v| v.name == name.as_str())
            .ok_or_else(|| {
                DeError::unexpected(format!(
                    "unexpected member `{name}`: expected one of {} (the choice `{}`)",
                    ty.expected(),
                    ty.name
                ))
            })?;
        let mut child = JsonReader::new(value, self.path.child(Step::Member(name)), self.located);
        visit(index, &mut child).map_err(|e| child.locate(e))
    }
}
