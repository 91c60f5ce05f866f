//! [`XmlSerializer`]: core's [`Serializer`] writing document/literal elements named and
//! qualified as the descriptors declare.

use crate::spares::{self, spare_stack};
use std::borrow::Cow;

use rpclib_core::model::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, FieldDescriptor, FieldKind, PolymorphicType,
    SerError, SerErrorKind, SerializeValue, Serializer, TypeRef,
};

use super::any::check_fragment;
use super::any_attributes;
use super::writer::{Open, XmlWriter};
use crate::read::cursor::XSI_NS;
use crate::read::de::array_namespace;

/// What to do with an absent value (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NilRule {
    /// Leave the element out (`minOccurs="0"`).
    Omit,
    /// Write it with `xsi:nil="true"` (a required, nillable element).
    Nil,
    /// Fail: the element is required and not nillable.
    Reject,
}

/// The element the next value goes in.
#[derive(Debug)]
pub(crate) struct Element<'n> {
    pub(crate) ns: &'n str,
    pub(crate) local: Cow<'static, str>,
    pub(crate) nil: NilRule,
    /// An unwrapped array field: the array's items are repeated elements with this name.
    pub(crate) unwrapped: bool,
}

#[derive(Debug)]
enum Target<'n> {
    Element(Element<'n>),
    /// An attribute of the element whose start tag is open (`ns` empty: unqualified).
    Attribute {
        ns: &'n str,
        local: &'static str,
        required: bool,
    },
    /// The text content of the element just opened (simpleContent).
    Text {
        field: &'static str,
    },
    /// Raw XML written without an element of its own (an `AnyXml` fault detail).
    Raw,
    /// The elements of a wildcard field (`xs:any`): raw XML, each item one element.
    Wildcard {
        field: &'static str,
        required: bool,
    },
    /// The attributes of an attribute wildcard field (`xs:anyAttribute`), on the element
    /// whose start tag is open.
    AnyAttributes {
        field: &'static str,
    },
}

#[derive(Debug)]
enum Frame<'n> {
    Complex {
        open: Open,
        local: Cow<'static, str>,
        /// The type being written (its declared attributes, which wildcard attributes may
        /// not repeat).
        ty: &'static ComplexType,
    },
    Seq {
        item_ns: &'n str,
        item_local: Cow<'static, str>,
        wrapper: Option<(Open, Cow<'static, str>)>,
    },
    /// The items of a wildcard field.
    Wildcard { field: &'static str },
}

/// Writes model values into an [`XmlWriter`]; the caller names the outermost element with
/// [`element`](Self::element) (or [`raw`](Self::raw)) before handing it a value.
#[derive(Debug)]
pub(crate) struct XmlSerializer<'w, 'n> {
    w: &'w mut XmlWriter<'n>,
    tns: &'n str,
    target: Option<Target<'n>>,
    frames: Vec<Frame<'n>>,
    /// The subtype the next complex value is written as (`write_polymorphic`): its element
    /// gets `xsi:type`.
    subtype: Option<&'static ComplexType>,
}

spare_stack!(
    /// Spare frame stacks ([`crate::spares`]), kept without their borrow of a catalogue.
    SPARE_FRAMES,
    Frame<'static>
);

impl Drop for XmlSerializer<'_, '_> {
    fn drop(&mut self) {
        spares::give(
            &SPARE_FRAMES,
            spares::recast(std::mem::take(&mut self.frames)),
        );
    }
}

impl<'w, 'n> XmlSerializer<'w, 'n> {
    pub(crate) fn new(w: &'w mut XmlWriter<'n>, tns: &'n str) -> Self {
        XmlSerializer {
            w,
            tns,
            target: None,
            frames: spares::take(&SPARE_FRAMES),
            subtype: None,
        }
    }

    /// The next value goes in `element`.
    pub(crate) fn element(&mut self, element: Element<'n>) {
        self.target = Some(Target::Element(element));
    }

    /// The next value is raw XML written as is.
    pub(crate) fn raw(&mut self) {
        self.target = Some(Target::Raw);
    }

    /// Clears a target no value was written to (a header of another type).
    pub(crate) fn clear(&mut self) {
        self.target = None;
    }

    /// Checks that the value was written completely.
    pub(crate) fn finish(&mut self) -> Result<(), SerError> {
        if self.target.take().is_some() || !self.frames.is_empty() {
            return Err(SerError::with_kind(
                SerErrorKind::Internal,
                "internal: a value was not written completely",
            ));
        }
        Ok(())
    }

    fn field_element(&self, field: &'static FieldDescriptor) -> Element<'n> {
        Element {
            ns: field.namespace.resolve(self.tns),
            local: Cow::Borrowed(field.name),
            nil: if field.min_occurs == 0 {
                NilRule::Omit
            } else if field.nillable {
                NilRule::Nil
            } else {
                NilRule::Reject
            },
            unwrapped: field.unwrapped,
        }
    }

    fn take_element(&mut self, what: &str) -> Result<Element<'n>, SerError> {
        match self.target.take() {
            Some(Target::Element(e)) => Ok(e),
            other => Err(no_element(other, what)),
        }
    }
}

/// The error of a value written where no element is expected (out of line: the usual
/// target is an element).
#[cold]
#[inline(never)]
fn no_element(target: Option<Target<'_>>, what: &str) -> SerError {
    match target {
        Some(Target::Attribute { local, .. } | Target::Text { field: local }) => {
            SerError::with_kind(
                SerErrorKind::Unrepresentable,
                format!("`{local}` is an XML attribute or text, which cannot hold {what}"),
            )
        }
        Some(Target::Raw) => SerError::with_kind(
            SerErrorKind::Internal,
            format!("internal: {what} was written where raw XML was expected"),
        ),
        Some(Target::Wildcard { field, .. }) => SerError::with_kind(
            SerErrorKind::Unrepresentable,
            format!(
                "`{field}` is an element wildcard (xs:any), which holds raw XML (AnyXml) only, not {what}"
            ),
        ),
        Some(Target::AnyAttributes { field }) => SerError::with_kind(
            SerErrorKind::Unrepresentable,
            format!(
                "`{field}` is an attribute wildcard (xs:anyAttribute), which holds AnyAttributes only, not {what}"
            ),
        ),
        // An element is taken by `take_element` itself.
        Some(Target::Element(_)) | None => SerError::with_kind(
            SerErrorKind::Internal,
            format!("internal: {what} was written where no element was expected"),
        ),
    }
}

/// `prefix:local` for each name (space-separated), declaring the prefixes on the element
/// whose start tag is open. A name in no namespace is written unprefixed: the writer never
/// declares a default namespace, so an unprefixed name reads back in none.
fn prefixed(w: &mut XmlWriter<'_>, names: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (i, &(ns, local)) in names.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        if !ns.is_empty() {
            text.push_str(w.value_prefix(ns));
            text.push(':');
        }
        text.push_str(local);
    }
    text
}

/// The error of a character XML cannot carry (out of line: named on every simple value's
/// path, made on none of the usual ones).
#[cold]
#[inline(never)]
fn invalid_char(local: &str, c: char) -> SerError {
    SerError::with_kind(
        SerErrorKind::Unrepresentable,
        format!(
            "`{local}` holds the character U+{:04X}, which XML cannot carry",
            u32::from(c)
        ),
    )
}

impl Serializer for XmlSerializer<'_, '_> {
    fn write_simple(&mut self, _ty: TypeRef, text: &str) -> Result<(), SerError> {
        // Elements first: the hot path of every simple field and array item.
        if let Some(Target::Element(_)) = &self.target
            && let Some(Target::Element(el)) = self.target.take()
        {
            let written = match el.local {
                Cow::Borrowed(local) => self.w.simple_static(el.ns, local, text),
                Cow::Owned(ref local) => self.w.simple(el.ns, local, text),
            };
            return written.map_err(|c| invalid_char(&el.local, c));
        }
        match self.target.take() {
            Some(Target::Attribute { ns, local, .. }) => {
                let written = if ns.is_empty() {
                    self.w.plain_attribute(local, text)
                } else {
                    self.w.attribute(ns, local, text)
                };
                return written.map_err(|c| invalid_char(local, c));
            }
            Some(Target::Text { field }) => {
                return self.w.text(text).map_err(|c| invalid_char(field, c));
            }
            other => self.target = other,
        }
        let el = self.take_element("a simple value")?;
        self.w
            .simple(el.ns, &el.local, text)
            .map_err(|c| invalid_char(&el.local, c))
    }

    fn write_qualified(&mut self, ty: TypeRef, names: &[(&str, &str)]) -> Result<(), SerError> {
        // The element is opened first, so that the prefixes are declared on it (or, for an
        // attribute or text, on the element whose start tag is still open).
        match self.target.take() {
            Some(Target::Element(el)) => {
                let open = self.w.open(el.ns, &el.local);
                let text = prefixed(self.w, names);
                if !text.is_empty() {
                    self.w.text(&text).map_err(|c| invalid_char(&el.local, c))?;
                }
                self.w.end(open, &el.local);
                Ok(())
            }
            Some(Target::Attribute { ns, local, .. }) => {
                let text = prefixed(self.w, names);
                let written = if ns.is_empty() {
                    self.w.plain_attribute(local, &text)
                } else {
                    self.w.attribute(ns, local, &text)
                };
                written.map_err(|c| invalid_char(local, c))
            }
            Some(Target::Text { field }) => {
                if !self.w.in_start_tag() {
                    return Err(SerError::with_kind(
                        SerErrorKind::Internal,
                        format!(
                            "internal: the QName text `{field}` was written after the element's content"
                        ),
                    ));
                }
                let text = prefixed(self.w, names);
                self.w.text(&text).map_err(|c| invalid_char(field, c))
            }
            other => {
                self.target = other;
                match self.take_element(&format!("a value of `{}`", ty.name())) {
                    Err(e) => Err(e),
                    Ok(_) => Err(SerError::with_kind(
                        SerErrorKind::Internal,
                        "internal: a QName element was not written",
                    )),
                }
            }
        }
    }

    fn write_nil(&mut self) -> Result<(), SerError> {
        let el = match self.target.take() {
            Some(Target::Raw) => return Ok(()),
            Some(Target::Wildcard { field, required }) => {
                if required {
                    return Err(SerError::with_kind(
                        SerErrorKind::Missing,
                        format!("the wildcard `{field}` (xs:any) is required, but has no value"),
                    ));
                }
                return Ok(());
            }
            // An absent text is empty content.
            Some(Target::Text { .. }) => return Ok(()),
            Some(Target::Attribute {
                local, required, ..
            }) => {
                if required {
                    return Err(SerError::with_kind(
                        SerErrorKind::Missing,
                        format!("the attribute `{local}` is required, but has no value"),
                    ));
                }
                return Ok(());
            }
            other => {
                self.target = other;
                self.take_element("a nil value")?
            }
        };
        match el.nil {
            NilRule::Omit => Ok(()),
            NilRule::Nil => {
                let open = self.w.open(el.ns, &el.local);
                self.w
                    .attribute(XSI_NS, "nil", "true")
                    .map_err(|c| invalid_char(&el.local, c))?;
                self.w.end(open, &el.local);
                Ok(())
            }
            NilRule::Reject => Err(SerError::with_kind(
                SerErrorKind::Missing,
                format!(
                    "`{}` is required and not nillable, but has no value",
                    el.local
                ),
            )),
        }
    }

    fn write_explicit_nil(&mut self) -> Result<(), SerError> {
        // Written even where an absent value is left out (an optional nillable element).
        if let Some(Target::Element(el)) = &mut self.target
            && el.nil == NilRule::Omit
        {
            el.nil = NilRule::Nil;
        }
        self.write_nil()
    }

    fn begin_complex(&mut self, ty: &'static ComplexType) -> Result<(), SerError> {
        let el = self.take_element("a complex value")?;
        let open = self.w.open(el.ns, &el.local);
        if let Some(subtype) = self.subtype.take() {
            // `xsi:type="p:Dog"`: the prefix of the type's namespace declared on this element
            // unless one is in scope.
            let ns = subtype.namespace.unwrap_or(self.tns);
            let text = prefixed(self.w, &[(ns, subtype.name)]);
            self.w
                .attribute(XSI_NS, "type", &text)
                .map_err(|c| invalid_char(&el.local, c))?;
        }
        self.frames.push(Frame::Complex {
            open,
            local: el.local,
            ty,
        });
        Ok(())
    }

    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        if self.target.is_some() {
            return Err(SerError::with_kind(
                SerErrorKind::Internal,
                format!(
                    "internal: field `{}` was written while another value was pending",
                    field.name
                ),
            ));
        }
        self.target = Some(match field.kind {
            // A choice's element is named by the alternative (`write_choice`).
            FieldKind::Element | FieldKind::Choice => Target::Element(self.field_element(field)),
            FieldKind::Any(_) => Target::Wildcard {
                field: field.name,
                required: field.min_occurs > 0,
            },
            FieldKind::Attribute => {
                if !self.w.in_start_tag() {
                    return Err(SerError::with_kind(
                        SerErrorKind::Internal,
                        format!(
                            "internal: the attribute `{}` was written after the element's content",
                            field.name
                        ),
                    ));
                }
                Target::Attribute {
                    ns: field.namespace.resolve(self.tns),
                    local: field.name,
                    required: field.min_occurs > 0,
                }
            }
            FieldKind::Text => Target::Text { field: field.name },
            FieldKind::AnyAttribute(_) => Target::AnyAttributes { field: field.name },
        });
        value.serialize_value(self)?;
        if self.target.take().is_some() {
            return Err(SerError::with_kind(
                SerErrorKind::Missing,
                format!("no value was written for `{}`", field.name),
            ));
        }
        Ok(())
    }

    fn end_complex(&mut self) -> Result<(), SerError> {
        match self.frames.pop() {
            Some(Frame::Complex { open, local, .. }) => {
                self.w.end(open, &local);
                Ok(())
            }
            _ => Err(SerError::with_kind(
                SerErrorKind::Internal,
                "internal: end of a complex value that was not begun",
            )),
        }
    }

    fn begin_seq(&mut self, item: TypeRef, _len: usize) -> Result<(), SerError> {
        if let Some(Target::Wildcard { field, .. }) = self.target {
            self.target = None;
            self.frames.push(Frame::Wildcard { field });
            return Ok(());
        }
        let el = self.take_element("an array")?;
        let frame = if el.unwrapped {
            Frame::Seq {
                item_ns: el.ns,
                item_local: el.local,
                wrapper: None,
            }
        } else {
            let open = self.w.open(el.ns, &el.local);
            Frame::Seq {
                item_ns: array_namespace(item).unwrap_or(self.tns),
                item_local: item.name(),
                wrapper: Some((open, el.local)),
            }
        };
        self.frames.push(frame);
        Ok(())
    }

    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        if let Some(Frame::Wildcard { field }) = self.frames.last() {
            self.target = Some(Target::Wildcard {
                field,
                required: true,
            });
            value.serialize_value(self)?;
            return match self.target.take() {
                None => Ok(()),
                Some(_) => Err(SerError::with_kind(
                    SerErrorKind::Missing,
                    "no value was written for an item of a wildcard",
                )),
            };
        }
        let (ns, local) = match self.frames.last() {
            Some(Frame::Seq {
                item_ns,
                item_local,
                ..
            }) => (*item_ns, item_local.clone()),
            _ => {
                return Err(SerError::with_kind(
                    SerErrorKind::Internal,
                    "internal: an array item outside an array",
                ));
            }
        };
        self.target = Some(Target::Element(Element {
            ns,
            local,
            nil: NilRule::Nil,
            unwrapped: false,
        }));
        value.serialize_value(self)?;
        if self.target.take().is_some() {
            return Err(SerError::with_kind(
                SerErrorKind::Missing,
                "no value was written for an array item",
            ));
        }
        Ok(())
    }

    fn end_seq(&mut self) -> Result<(), SerError> {
        match self.frames.pop() {
            Some(Frame::Seq { wrapper, .. }) => {
                if let Some((open, local)) = wrapper {
                    self.w.end(open, &local);
                }
                Ok(())
            }
            Some(Frame::Wildcard { .. }) => Ok(()),
            _ => Err(SerError::with_kind(
                SerErrorKind::Internal,
                "internal: end of an array that was not begun",
            )),
        }
    }

    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        match self.target.take() {
            Some(Target::Raw) => {
                let fragment = check_fragment(xml, "the raw XML detail")?;
                self.w.raw(fragment);
                Ok(())
            }
            Some(Target::Wildcard { field, .. }) => {
                let fragment = check_fragment(xml, field)?;
                if !fragment.trim_start().starts_with('<') {
                    return Err(SerError::with_kind(
                        SerErrorKind::Unrepresentable,
                        format!(
                            "an item of the wildcard `{field}` (xs:any) must be an element, not text"
                        ),
                    ));
                }
                self.w.raw(fragment);
                Ok(())
            }
            Some(
                Target::Attribute { local, .. }
                | Target::Text { field: local }
                | Target::AnyAttributes { field: local },
            ) => Err(SerError::with_kind(
                SerErrorKind::Unrepresentable,
                format!("`{local}` is an XML attribute or text, which cannot hold raw XML"),
            )),
            Some(Target::Element(el)) => {
                let fragment = check_fragment(xml, &el.local)?;
                let open = self.w.open(el.ns, &el.local);
                if !fragment.is_empty() {
                    self.w.raw(fragment);
                }
                self.w.end(open, &el.local);
                Ok(())
            }
            None => Err(SerError::with_kind(
                SerErrorKind::Internal,
                "internal: raw XML was written where no element was expected",
            )),
        }
    }

    fn write_any_attributes(&mut self, attrs: &AnyAttributes) -> Result<(), SerError> {
        match self.target.take() {
            Some(Target::AnyAttributes { field }) => {
                let ty = match self.frames.last() {
                    Some(Frame::Complex { ty, .. }) => Some(*ty),
                    _ => None,
                };
                any_attributes::write(self.w, self.tns, ty, field, attrs)
            }
            other => {
                self.target = other;
                match self.take_element("wildcard attributes") {
                    Err(e) => Err(e),
                    Ok(el) => Err(SerError::with_kind(
                        SerErrorKind::Unrepresentable,
                        format!(
                            "`{}` is an element, which cannot hold wildcard attributes \
                             (AnyAttributes belongs in an `any_attribute` field)",
                            el.local
                        ),
                    )),
                }
            }
        }
    }

    fn write_choice(
        &mut self,
        ty: &'static ChoiceType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let field = ty.variants.get(variant).ok_or_else(|| {
            SerError::with_kind(
                SerErrorKind::Internal,
                format!(
                    "internal: no alternative {variant} in the choice `{}`",
                    ty.name
                ),
            )
        })?;
        // The alternative's element takes the place of the one the choice was to go in.
        self.take_element("a choice")?;
        self.target = Some(Target::Element(self.field_element(field)));
        value.serialize_value(self)?;
        if self.target.take().is_some() {
            return Err(SerError::with_kind(
                SerErrorKind::Missing,
                format!("no value was written for `{}`", field.name),
            ));
        }
        Ok(())
    }

    /// The element is the one the field (or array) names, its declared type the base; a
    /// subtype says what it is with `xsi:type`.
    fn write_polymorphic(
        &mut self,
        ty: &'static PolymorphicType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let Some(variant_type) = ty.variant_type(variant) else {
            return Err(SerError::with_kind(
                SerErrorKind::Internal,
                format!(
                    "internal: no complex variant {variant} in the polymorphic `{}`",
                    ty.name()
                ),
            ));
        };
        self.subtype = ty.is_subtype(variant).then_some(variant_type);
        let written = value.serialize_value(self);
        // A variant that wrote no complex value leaves nothing to carry over to the next one.
        if self.subtype.take().is_some() && written.is_ok() {
            return Err(SerError::with_kind(
                SerErrorKind::Internal,
                format!(
                    "internal: the variant `{}` of `{}` wrote no complex value",
                    variant_type.name,
                    ty.name()
                ),
            ));
        }
        written
    }
}
