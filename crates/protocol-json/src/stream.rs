//! [`read_message`]: a request read in one pass of serde_json's parser, straight into the
//! method's model values, without an intermediate [`JsonValue`] tree.
//!
//! The model drives the read (core's [`Deserializer`] is pulled from: a type asks for text,
//! fields or items), serde_json pushes (its visitors are called with each value). The model
//! is called from inside the visitor of each value ([`Run`]), once serde_json has said what
//! the value is: a simple value is read already and handed over by a [`Simple`]; an array
//! or object is open, and a [`Stream`] reads its items or members when the model asks for
//! them, each through a seed that calls the model back the same way.
//!
//! Every value is read under the message's [`Limits`] with the same checks at the same places
//! as [`parse`](crate::value::parse), so that a document's syntax and limit errors are the
//! same, at the same line and column, as when it was parsed whole. They also keep their
//! precedence: the first error the model finds is kept, and the rest of the document is still
//! parsed and checked (nothing more is read into the model); a syntax or limit error anywhere
//! is the message's error, the model's only if the whole document is sound.

use std::any::Any;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

use rpclib_core::model::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, DeError, Deserializer, FieldDescriptor,
    FieldVisitor, IntegerItem, IntegerItemVisitor, ItemVisitor, SimpleKind, TypeRef,
};
use rpclib_core::{Catalogue, DeserializeFn, MethodRef};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::Limits;
use crate::read::{JsonReader, Path, Step, locate, simple_mismatch, wrong_type};
use crate::value::{Budget, Check, Found, JsonValue, Key, Names, Seed};

/// A request document read in one pass.
pub(crate) enum Message {
    /// The document is not an object: what it is.
    NotObject(Found),
    /// An object: how many members it has, and its first.
    Object {
        members: usize,
        first: Option<First>,
    },
}

/// The first member of a request object.
pub(crate) struct First {
    /// The member's name: the method's request element.
    pub(crate) name: String,
    /// The method of that name, if there is one (its message then read from the value).
    pub(crate) method: Option<MethodRef>,
    /// The message read from the value, or the first problem found reading it (`None` when
    /// there is no method to read it for).
    pub(crate) read: Option<Result<Box<dyn Any + Send>, DeError>>,
}

/// Reads a request document: an object whose first member names the method (looked up in
/// `catalogue`) and holds its message, which is read with the method's deserializer. A
/// syntax or limit error anywhere in the document is the error (`Err`).
pub(crate) fn read_message(
    bytes: &[u8],
    limits: &Limits,
    catalogue: &Catalogue,
) -> Result<Message, serde_json::Error> {
    let cx = Cx {
        budget: Budget::new(limits),
        failed: RefCell::new(None),
        has_failed: Cell::new(false),
        located: Cell::new(false),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut message = de::Deserializer::deserialize_any(&mut de, Top { cx: &cx, catalogue })?;
    de.end()?;
    if let Message::Object {
        first: Some(First {
            read: Some(read), ..
        }),
        ..
    } = &mut message
        && let Some(e) = cx.failed.take()
    {
        *read = Err(e);
    }
    Ok(message)
}

/// What the readers of one message share.
struct Cx<'l> {
    budget: Budget<'l>,
    /// The first error the model found, located; once set, the rest of the document is only
    /// checked.
    failed: RefCell<Option<DeError>>,
    /// Whether `failed` is set (asked once per value: cheaper than the `RefCell`).
    has_failed: Cell<bool>,
    /// Whether an error has been given its path (see [`JsonReader::locate`]).
    located: Cell<bool>,
}

impl Cx<'_> {
    fn failed(&self) -> bool {
        self.has_failed.get()
    }

    /// Keeps `e`, found reading the value at `path`, unless an error was found before.
    fn fail(&self, path: &Path<'_>, e: DeError) {
        if !self.has_failed.replace(true) {
            *self.failed.borrow_mut() = Some(locate(path, &self.located, e));
        }
    }

    fn check(&self, depth: usize) -> Check<'_, '_> {
        Check {
            budget: &self.budget,
            depth,
        }
    }
}

/// What a model receives once the document's reading has stopped (a syntax or limit error,
/// or an error found before): never reported, the reason is.
fn stopped() -> DeError {
    DeError::unexpected("the message could not be read")
}

/// A simple value, read before the model is called (or an array or object the model did
/// not ask for as one, checked and skipped: only its kind is kept, for the error).
enum Scalar<'de> {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer above `i64::MAX`.
    Uint(u64),
    /// Any other number, in its shortest round-trip form.
    Number(String),
    /// Borrowed from the message when it has no escapes.
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Scalar<'_> {
    fn found(&self) -> Found {
        match self {
            Scalar::Null => Found::Null,
            Scalar::Bool(_) => Found::Bool,
            Scalar::Int(_) | Scalar::Uint(_) | Scalar::Number(_) => Found::Number,
            Scalar::Str(_) => Found::String,
            Scalar::Array => Found::Array,
            Scalar::Object => Found::Object,
        }
    }
}

/// The text of `scalar` for the simple type `ty` (an integer written into `digits`), or the
/// error of a value `ty` does not accept.
fn scalar_text<'s>(
    scalar: &'s mut Scalar<'_>,
    digits: &'s mut itoa::Buffer,
    ty: TypeRef,
) -> Result<Cow<'s, str>, DeError> {
    let found = scalar.found();
    if let Some(expected) = simple_mismatch(ty, found) {
        return Err(wrong_type(&expected, found));
    }
    Ok(match scalar {
        Scalar::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Scalar::Int(n) => Cow::Borrowed(digits.format(*n)),
        Scalar::Uint(n) => Cow::Borrowed(digits.format(*n)),
        Scalar::Number(text) => Cow::Borrowed(text.as_str()),
        Scalar::Str(Cow::Borrowed(text)) => Cow::Borrowed(*text),
        // Moved out, not copied: a model `String` takes it as it is.
        Scalar::Str(Cow::Owned(text)) => Cow::Owned(std::mem::take(text)),
        // Refused above: no simple type accepts these.
        Scalar::Null | Scalar::Array | Scalar::Object => Cow::Borrowed(""),
    })
}

/// The integer in `scalar`, for a model integer type `ty`.
fn scalar_integer(scalar: &Scalar<'_>, ty: TypeRef) -> Option<i128> {
    match (ty, scalar) {
        (TypeRef::Simple(s), Scalar::Int(n)) if s.kind == SimpleKind::Integer => {
            Some(i128::from(*n))
        }
        (TypeRef::Simple(s), Scalar::Uint(n)) if s.kind == SimpleKind::Integer => {
            Some(i128::from(*n))
        }
        _ => None,
    }
}

/// The tree of a simple value, for a reader that needs one (a choice's).
fn scalar_tree(scalar: Scalar<'_>) -> Result<JsonValue, DeError> {
    Ok(match scalar {
        Scalar::Null => JsonValue::Null,
        Scalar::Bool(b) => JsonValue::Bool(b),
        Scalar::Int(n) => JsonValue::Int(n),
        Scalar::Uint(n) => JsonValue::Uint(n),
        Scalar::Number(text) => JsonValue::Number(text),
        Scalar::Str(text) => JsonValue::String(text.into_owned()),
        Scalar::Array | Scalar::Object => {
            return Err(DeError::unexpected("the value was read already"));
        }
    })
}

/// Core's [`Deserializer`] over a simple value of the message, read already: most values
/// are (every item of an array of numbers or strings), so this is the short way.
struct Simple<'c, 'de> {
    cx: &'c Cx<'c>,
    path: Path<'c>,
    scalar: Scalar<'de>,
    digits: itoa::Buffer,
}

impl Deserializer for Simple<'_, '_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(matches!(self.scalar, Scalar::Null))
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        scalar_text(&mut self.scalar, &mut self.digits, ty)
    }

    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        Ok(scalar_integer(&self.scalar, ty))
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        _: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        Err(wrong_type(
            &format!("an object (`{}`)", ty.name),
            self.scalar.found(),
        ))
    }

    fn read_seq(&mut self, item: TypeRef, _: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        Err(wrong_type(
            &format!("an array (`{}Array`)", item.name()),
            self.scalar.found(),
        ))
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        match &self.scalar {
            Scalar::Str(text) => Ok(AnyXml::new(text.as_ref())),
            other => Err(wrong_type("a string of XML (`anyType`)", other.found())),
        }
    }

    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let mut value = scalar_tree(std::mem::replace(&mut self.scalar, Scalar::Null))?;
        JsonReader::new(&mut value, self.path, &self.cx.located).read_choice(ty, visit)
    }

    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        let mut value = scalar_tree(std::mem::replace(&mut self.scalar, Scalar::Null))?;
        JsonReader::new(&mut value, self.path, &self.cx.located).read_any_attributes()
    }
}

/// Where a [`Stream`]'s value is. serde_json has told what the value is before the model is
/// called: a simple value is read already, an array or object is open, its content waiting
/// for the model to ask for members or items.
enum State<'de, M, S> {
    Read(Scalar<'de>),
    /// An object, open.
    Map(M),
    /// An array, open.
    Seq(S),
    /// Read by a visitor.
    Taken,
}

/// The access a [`Stream`] of a value that is not an object (or not an array) never holds.
struct Never<E>(Infallible, PhantomData<E>);

impl<'de, E: de::Error> MapAccess<'de> for Never<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, E> {
        match self.0 {}
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _: V) -> Result<V::Value, E> {
        match self.0 {}
    }
}

impl<'de, E: de::Error> SeqAccess<'de> for Never<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _: T) -> Result<Option<T::Value>, E> {
        match self.0 {}
    }
}

/// Core's [`Deserializer`] over one value of the message.
struct Stream<'c, 'de, M: MapAccess<'de>, S> {
    cx: &'c Cx<'c>,
    path: Path<'c>,
    /// The depth of the values inside, for an array or object (as [`Seed`] counts it).
    depth: usize,
    state: State<'de, M, S>,
    /// A syntax or limit error met reading the value: the result of the whole message.
    err: Option<M::Error>,
    /// Where an integer's text is written when a model reads it as text.
    digits: itoa::Buffer,
}

/// Runs `read` (a model's reading of one value) over the value in `state`, at `path`. A
/// problem the model finds is kept in `cx` (the first one only); an array or object the
/// model did not read is checked under the limits; a syntax or limit error is returned.
fn run<'c, 'de, M, S>(
    cx: &'c Cx<'c>,
    path: Path<'c>,
    depth: usize,
    state: State<'de, M, S>,
    read: impl FnOnce(&mut dyn Deserializer) -> Result<(), DeError>,
) -> Result<(), M::Error>
where
    M: MapAccess<'de>,
    S: SeqAccess<'de, Error = M::Error>,
{
    let mut stream = Stream {
        cx,
        path,
        depth,
        state,
        err: None,
        digits: itoa::Buffer::new(),
    };
    let result = read(&mut stream);
    if let Some(e) = stream.err.take() {
        return Err(e);
    }
    if let Err(e) = result {
        cx.fail(&stream.path, e);
    }
    match stream.state {
        State::Map(map) => cx.check(depth).members(map),
        State::Seq(seq) => cx.check(depth).items(seq),
        State::Read(_) | State::Taken => Ok(()),
    }
}

impl<'de, M, S> Stream<'_, 'de, M, S>
where
    M: MapAccess<'de>,
    S: SeqAccess<'de, Error = M::Error>,
{
    /// Keeps a syntax or limit error; what the model gets instead.
    fn stop(&mut self, e: M::Error) -> DeError {
        self.err = Some(e);
        stopped()
    }

    /// The value as a simple value: an array or object is checked and skipped.
    fn scalar(&mut self) -> Result<&mut Scalar<'de>, DeError> {
        let skipped = match std::mem::replace(&mut self.state, State::Taken) {
            State::Map(map) => self
                .cx
                .check(self.depth)
                .members(map)
                .map(|()| Scalar::Object),
            State::Seq(seq) => self.cx.check(self.depth).items(seq).map(|()| Scalar::Array),
            State::Read(scalar) => Ok(scalar),
            State::Taken => return Err(DeError::unexpected("the value was read already")),
        };
        self.state = State::Read(skipped.map_err(|e| self.stop(e))?);
        match &mut self.state {
            State::Read(scalar) => Ok(scalar),
            _ => Err(stopped()),
        }
    }

    /// The whole value as a tree, under the same limits (for the shapes read whole).
    fn tree(&mut self) -> Result<JsonValue, DeError> {
        let seed = Seed::new(&self.cx.budget, self.depth);
        let value = match std::mem::replace(&mut self.state, State::Taken) {
            State::Map(map) => seed.object(map),
            State::Seq(seq) => seed.array(seq),
            State::Read(scalar) => Ok(scalar_tree(scalar)?),
            State::Taken => return Err(DeError::unexpected("the value was read already")),
        };
        value.map_err(|e| self.stop(e))
    }
}

impl<'de, M, S> Deserializer for Stream<'_, 'de, M, S>
where
    M: MapAccess<'de>,
    S: SeqAccess<'de, Error = M::Error>,
{
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(matches!(self.state, State::Read(Scalar::Null)))
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        self.scalar()?;
        match &mut self.state {
            State::Read(scalar) => scalar_text(scalar, &mut self.digits, ty),
            _ => Err(stopped()),
        }
    }

    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        match &self.state {
            State::Read(scalar) => Ok(scalar_integer(scalar, ty)),
            _ => Ok(None),
        }
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        if let State::Map(_) = self.state
            && let State::Map(map) = std::mem::replace(&mut self.state, State::Taken)
        {
            return fields(self.cx, self.path, self.depth, map, ty, visit)
                .unwrap_or_else(|e| Err(self.stop(e)));
        }
        let found = self.scalar()?.found();
        Err(wrong_type(&format!("an object (`{}`)", ty.name), found))
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        if let State::Seq(_) = self.state
            && let State::Seq(seq) = std::mem::replace(&mut self.state, State::Taken)
        {
            return items(self.cx, self.path, self.depth, seq, visit)
                .unwrap_or_else(|e| Err(self.stop(e)));
        }
        let found = self.scalar()?.found();
        Err(wrong_type(
            &format!("an array (`{}Array`)", item.name()),
            found,
        ))
    }

    /// The items of an array of integers in one loop: a number is handed over as it is read,
    /// anything else through the usual reading of one value.
    fn read_integer_items(
        &mut self,
        item: TypeRef,
        visit: &mut IntegerItemVisitor<'_>,
    ) -> Result<(), DeError> {
        if let State::Seq(_) = self.state
            && let State::Seq(seq) = std::mem::replace(&mut self.state, State::Taken)
        {
            return integer_items(self.cx, self.path, self.depth, seq, item, visit)
                .unwrap_or_else(|e| Err(self.stop(e)));
        }
        self.read_seq(item, &mut |d| visit(IntegerItem::Other(d)))
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        match self.scalar()? {
            Scalar::Str(text) => Ok(AnyXml::new(text.as_ref())),
            other => Err(wrong_type("a string of XML (`anyType`)", other.found())),
        }
    }

    /// A choice is read from its value as a tree (it is decided by the object's only member,
    /// known once the object is read whole): choices are rare, and small.
    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let mut value = self.tree()?;
        JsonReader::new(&mut value, self.path, &self.cx.located).read_choice(ty, visit)
    }

    /// Wildcard attributes are read from their value as a tree too: an object of strings,
    /// rare and small like a choice.
    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        let mut value = self.tree()?;
        JsonReader::new(&mut value, self.path, &self.cx.located).read_any_attributes()
    }
}

/// serde_json's visitor of one value: runs `read` (the model's reading of it) over a
/// [`Stream`] of it.
struct Run<'c, F> {
    cx: &'c Cx<'c>,
    path: Path<'c>,
    /// The value's depth, as [`Seed`] counts it.
    depth: usize,
    /// The field the value is a member for, whose rules say what `null` means; `None` for an
    /// item or the message.
    field: Option<&'static FieldDescriptor>,
    read: F,
}

impl<'c, F: FnOnce(&mut dyn Deserializer) -> Result<(), DeError>> Run<'c, F> {
    /// Runs the model's reading over a simple value (read already: nothing of it is left to
    /// check, and no syntax error can come of it).
    #[inline]
    fn scalar<'de, E: de::Error>(self, scalar: Scalar<'de>) -> Result<Option<DeError>, E> {
        let mut simple = Simple {
            cx: self.cx,
            path: self.path,
            scalar,
            digits: itoa::Buffer::new(),
        };
        if let Err(e) = (self.read)(&mut simple) {
            self.cx.fail(&self.path, e);
        }
        Ok(None)
    }
}

impl<'de, F: FnOnce(&mut dyn Deserializer) -> Result<(), DeError>> Visitor<'de> for Run<'_, F> {
    /// A problem of the enclosing object (a required member given as `null`).
    type Value = Option<DeError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        if let Some(field) = self.field
            && !field.nillable
        {
            if field.min_occurs > 0 {
                return Ok(Some(
                    DeError::unexpected(format!(
                        "member `{}` is null but the field is required and not nillable",
                        field.name
                    ))
                    .in_field(field.name),
                ));
            }
            // An optional member given as null is the same as an absent one.
            return Ok(None);
        }
        self.scalar(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        self.scalar(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        self.scalar(Scalar::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        self.scalar(match i64::try_from(v) {
            Ok(v) => Scalar::Int(v),
            Err(_) => Scalar::Uint(v),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        // `{:?}` keeps the shortest round-trip form, as the tree does.
        self.scalar(Scalar::Number(format!("{v:?}")))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        self.cx.budget.check_string(v)?;
        self.scalar(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<DeError>, E> {
        self.cx.budget.count()?;
        self.cx.budget.check_string(v)?;
        self.scalar(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<DeError>, A::Error> {
        self.cx.budget.count()?;
        let inner = self.cx.budget.nested(self.depth)?;
        let state = State::<'de, Never<A::Error>, A>::Seq(seq);
        run(self.cx, self.path, inner, state, self.read)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<DeError>, A::Error> {
        self.cx.budget.count()?;
        let inner = self.cx.budget.nested(self.depth)?;
        let state = State::<'de, A, Never<A::Error>>::Map(map);
        run(self.cx, self.path, inner, state, self.read)?;
        Ok(None)
    }
}

/// An array's items (at `depth`), each read by `visit` (once the model has failed, only
/// checked).
fn items<'de, A: SeqAccess<'de>>(
    cx: &Cx<'_>,
    path: Path<'_>,
    depth: usize,
    mut seq: A,
    visit: &mut ItemVisitor<'_>,
) -> Result<Result<(), DeError>, A::Error> {
    let mut read = 0;
    loop {
        let item = Item {
            cx,
            path: path.child(Step::Index(read)),
            depth,
            visit: &mut *visit,
        };
        match next_item(cx, &mut seq, read, item)? {
            Some(next) => read = next,
            None => return Ok(items_read(cx)),
        }
    }
}

/// Reads the item at index `read` of an array with `seed`, counting it against the limits:
/// the count of items read, or `None` after the last.
fn next_item<'de, A: SeqAccess<'de>, T: DeserializeSeed<'de, Value = ()>>(
    cx: &Cx<'_>,
    seq: &mut A,
    read: usize,
    seed: T,
) -> Result<Option<usize>, A::Error> {
    if seq.next_element_seed(seed)?.is_none() {
        return Ok(None);
    }
    cx.budget.item(read)?;
    Ok(Some(read + 1))
}

/// How an array's reading ended for the model: stopped if an error was found in it.
fn items_read(cx: &Cx<'_>) -> Result<(), DeError> {
    if cx.failed() { Err(stopped()) } else { Ok(()) }
}

/// An array of integers' items (at `depth`), as [`items`] reads them but each through an
/// [`IntegerRun`].
fn integer_items<'de, A: SeqAccess<'de>>(
    cx: &Cx<'_>,
    path: Path<'_>,
    depth: usize,
    mut seq: A,
    ty: TypeRef,
    visit: &mut IntegerItemVisitor<'_>,
) -> Result<Result<(), DeError>, A::Error> {
    let mut read = 0;
    loop {
        let item = IntegerRun {
            cx,
            path: path.child(Step::Index(read)),
            depth,
            ty,
            visit: &mut *visit,
        };
        match next_item(cx, &mut seq, read, item)? {
            Some(next) => read = next,
            None => return Ok(items_read(cx)),
        }
    }
}

/// One item of an array of integers: a number goes to the visitor as an
/// [`IntegerItem::Value`], counted and located as [`Run`] counts and locates it; any other
/// value is read by a [`Run`] whose model reads it as an [`IntegerItem::Other`].
struct IntegerRun<'c, 'v, 'f> {
    cx: &'c Cx<'c>,
    path: Path<'c>,
    depth: usize,
    ty: TypeRef,
    visit: &'v mut IntegerItemVisitor<'f>,
}

impl<'c, 'v, 'f> IntegerRun<'c, 'v, 'f> {
    /// Hands a number over (the model's error, such as a value beyond its type's range, is
    /// kept as `Run` keeps it).
    #[inline]
    fn number<E: de::Error>(self, scalar: Scalar<'_>) -> Result<(), E> {
        match scalar_integer(&scalar, self.ty) {
            Some(value) => {
                if let Err(e) = (self.visit)(IntegerItem::Value(value)) {
                    self.cx.fail(&self.path, e);
                }
                Ok(())
            }
            None => self.run().scalar(scalar).map(drop),
        }
    }

    /// The usual reading of one value, for an item that is not a number.
    fn run(
        self,
    ) -> Run<'c, impl FnOnce(&mut dyn Deserializer) -> Result<(), DeError> + use<'v, 'f, 'c>> {
        let visit = self.visit;
        Run {
            cx: self.cx,
            path: self.path,
            depth: self.depth,
            field: None,
            read: move |d: &mut dyn Deserializer| visit(IntegerItem::Other(d)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for IntegerRun<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.cx.failed() {
            return self.cx.check(self.depth).deserialize(d);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IntegerRun<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.cx.budget.count()?;
        self.number(Scalar::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.cx.budget.count()?;
        self.number(match i64::try_from(v) {
            Ok(v) => Scalar::Int(v),
            Err(_) => Scalar::Uint(v),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.run().visit_unit().map(drop)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.run().visit_bool(v).map(drop)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.run().visit_f64(v).map(drop)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.run().visit_borrowed_str(v).map(drop)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.run().visit_str(v).map(drop)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.run().visit_seq(seq).map(drop)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.run().visit_map(map).map(drop)
    }
}

/// An object's members (at `depth`), each read as the field of its name by `visit` (once
/// the model has failed, or after a member that is no field, only checked).
fn fields<'de, A: MapAccess<'de>>(
    cx: &Cx<'_>,
    path: Path<'_>,
    depth: usize,
    mut map: A,
    ty: &'static ComplexType,
    visit: &mut FieldVisitor<'_>,
) -> Result<Result<(), DeError>, A::Error> {
    let all = Fields::of(ty);
    let mut names = Names::default();
    let mut read = 0;
    let mut error = None;
    while let Some(name) = map.next_key_seed(Key(&cx.budget))? {
        cx.budget.item(read)?;
        read += 1;
        names.insert(name.clone())?;
        if error.is_some() || cx.failed() {
            map.next_value_seed(cx.check(depth))?;
            continue;
        }
        let Some((index, field)) = all.find(&name) else {
            error = Some(unexpected_member(&name, ty));
            map.next_value_seed(cx.check(depth))?;
            continue;
        };
        let member = Member {
            cx,
            path: path.child(Step::Member(&name)),
            depth,
            field,
            index,
            visit: &mut *visit,
        };
        error = map.next_value_seed(member)?;
    }
    Ok(match error {
        Some(e) => Err(e),
        None if cx.failed() => Err(stopped()),
        None => Ok(()),
    })
}

/// One item of an array, read by the array's item visitor.
struct Item<'c, 'v, 'f> {
    cx: &'c Cx<'c>,
    path: Path<'c>,
    depth: usize,
    visit: &'v mut ItemVisitor<'f>,
}

impl<'de> DeserializeSeed<'de> for Item<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.cx.failed() {
            return self.cx.check(self.depth).deserialize(d);
        }
        let visit = self.visit;
        d.deserialize_any(Run {
            cx: self.cx,
            path: self.path,
            depth: self.depth,
            field: None,
            read: |d: &mut dyn Deserializer| visit(d),
        })?;
        Ok(())
    }
}

/// One member of an object, read as the field at `index` by the object's field visitor.
struct Member<'c, 'v, 'f> {
    cx: &'c Cx<'c>,
    path: Path<'c>,
    depth: usize,
    field: &'static FieldDescriptor,
    index: usize,
    visit: &'v mut FieldVisitor<'f>,
}

impl<'de> DeserializeSeed<'de> for Member<'_, '_, '_> {
    /// A problem of the object (a required member given as `null`).
    type Value = Option<DeError>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<DeError>, D::Error> {
        let (index, visit) = (self.index, self.visit);
        d.deserialize_any(Run {
            cx: self.cx,
            path: self.path,
            depth: self.depth,
            field: Some(self.field),
            read: |d: &mut dyn Deserializer| visit(index, d),
        })
    }
}

/// The fields of a complex type, in wire order: its own, without allocating, when it extends
/// no other type (most do not; objects are read once per item of an array).
enum Fields {
    Own(&'static [FieldDescriptor]),
    All(Vec<&'static FieldDescriptor>),
}

impl Fields {
    fn of(ty: &'static ComplexType) -> Self {
        match ty.base {
            None => Fields::Own(ty.fields),
            Some(_) => Fields::All(ty.all_fields()),
        }
    }

    /// The field called `name` and its index (into [`ComplexType::all_fields`]).
    fn find(&self, name: &str) -> Option<(usize, &'static FieldDescriptor)> {
        match self {
            Fields::Own(fields) => fields.iter().enumerate().find(|(_, f)| f.name == name),
            Fields::All(fields) => fields
                .iter()
                .enumerate()
                .find(|(_, f)| f.name == name)
                .map(|(i, f)| (i, *f)),
        }
    }
}

/// A member `name` that `ty` does not declare.
fn unexpected_member(name: &str, ty: &'static ComplexType) -> DeError {
    let known: Vec<&str> = ty.all_fields().iter().map(|f| f.name).collect();
    DeError::unexpected(format!(
        "unexpected member `{name}` in `{}` (expected one of: {})",
        ty.name,
        if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        }
    ))
}

/// The document: an object whose first member names the method.
struct Top<'c> {
    cx: &'c Cx<'c>,
    catalogue: &'c Catalogue,
}

impl Top<'_> {
    fn not_object<E: de::Error>(&self, found: Found) -> Result<Message, E> {
        self.cx.budget.count()?;
        Ok(Message::NotObject(found))
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Message;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Message, E> {
        self.not_object(Found::Null)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Message, E> {
        self.not_object(Found::Bool)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Message, E> {
        self.not_object(Found::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Message, E> {
        self.not_object(Found::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Message, E> {
        self.not_object(Found::Number)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Message, E> {
        let message = self.not_object(Found::String)?;
        self.cx.budget.check_string(v)?;
        Ok(message)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Message, A::Error> {
        let message = self.not_object(Found::Array)?;
        self.cx.check(0).nested()?.items(seq)?;
        Ok(message)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Message, A::Error> {
        let cx = self.cx;
        cx.budget.count()?;
        let inner = cx.budget.nested(0)?;
        let mut names = Names::default();
        let mut read = 0;
        let mut first = None;
        while let Some(name) = map.next_key_seed(Key(&cx.budget))? {
            cx.budget.item(read)?;
            read += 1;
            names.insert(name.clone())?;
            if read > 1 {
                map.next_value_seed(cx.check(inner))?;
                continue;
            }
            // Keys carry no namespace.
            let method = self.catalogue.lookup_method_by_name(&name);
            let read = match method {
                Some(method) => {
                    let body = Body {
                        cx,
                        name: &name,
                        depth: inner,
                        deserialize: method.method().input.deserialize,
                    };
                    Some(map.next_value_seed(body)?.ok_or_else(stopped))
                }
                None => {
                    map.next_value_seed(cx.check(inner))?;
                    None
                }
            };
            first = Some(First {
                name: name.into_owned(),
                method,
                read,
            });
        }
        Ok(Message::Object {
            members: read,
            first,
        })
    }
}

/// The message's value, read with the method's deserializer.
struct Body<'c> {
    cx: &'c Cx<'c>,
    name: &'c str,
    depth: usize,
    deserialize: DeserializeFn,
}

impl<'de> DeserializeSeed<'de> for Body<'_> {
    /// The message, unless reading it failed.
    type Value = Option<Box<dyn Any + Send>>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let mut object = None;
        let deserialize = self.deserialize;
        d.deserialize_any(Run {
            cx: self.cx,
            path: Path::root(self.name),
            depth: self.depth,
            field: None,
            read: |d: &mut dyn Deserializer| {
                object = Some(deserialize(d)?);
                Ok(())
            },
        })?;
        Ok(object)
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
