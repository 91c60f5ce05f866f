//! [`XmlDeserializer`]: core's [`Deserializer`] over a [`Cursor`], reading document/literal
//! values with the element names and namespaces the descriptors declare.

use std::borrow::Cow;

use rpclib_core::model::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, DeError, DeErrorKind, Deserializer,
    FieldDescriptor, FieldKind, FieldVisitor, ItemVisitor, PolymorphicType, QualifiedVisitor,
    TypeRef, holds_qnames,
};

use super::any;
use super::any_attributes;
use super::cursor::{
    Cursor, Scope, ScopeAt, StartTag, Token, is_whitespace, split_qname, unclosed,
};
use super::scan::decode_attribute;
use crate::error::{ReadError, position_of};
use crate::short_eq::same_str;

/// Reads the value of one element (and, through visitors, of its descendants).
///
/// The element being read is `current`: its start tag has been read, its content not yet.
/// Each `read_*` consumes it through its end tag.
#[derive(Debug)]
pub(crate) struct XmlDeserializer<'a> {
    cursor: Cursor<'a>,
    tns: &'a str,
    current: Option<StartTag<'a>>,
    /// The descriptor of `current`, when it is a field or message part (items have none).
    field: Option<&'static FieldDescriptor>,
    /// `current` is the first of a run of repeated elements of an unwrapped array field.
    repetition: bool,
    /// The value of an attribute or text field being read (instead of `current`).
    value: Option<Cow<'a, str>>,
    /// The namespaces of the element whose text field `value` is, when that text holds
    /// QNames: reading the text ended the element, and its declarations with it.
    value_scope: Option<Scope>,
    /// `current` is an element a wildcard (`xs:any`) stands for: read whole as raw XML.
    wildcard: bool,
    /// The complex type and field index of the field being visited (for a wildcard's run,
    /// which ends at the next element another field declares).
    parent: Option<(&'static ComplexType, usize)>,
    /// The last complex type read and what [`Fields::non_elements`] says of it: the values
    /// of an array are all of one type, which need not be looked through for each of them.
    shape: Option<(&'static ComplexType, (bool, Option<usize>))>,
    /// The attributes an attribute wildcard took from the element being read, while its
    /// field is visited.
    any_attributes: Option<AnyAttributes>,
}

impl<'a> XmlDeserializer<'a> {
    /// A deserializer that reads elements from `cursor`; names without a namespace of their
    /// own resolve to `tns`.
    pub(crate) fn new(cursor: Cursor<'a>, tns: &'a str) -> Self {
        XmlDeserializer {
            cursor,
            tns,
            current: None,
            field: None,
            repetition: false,
            value: None,
            value_scope: None,
            wildcard: false,
            parent: None,
            shape: None,
            any_attributes: None,
        }
    }

    /// Makes `start` the element to read next, described by `field` if it has a descriptor.
    pub(crate) fn set_current(
        &mut self,
        start: StartTag<'a>,
        field: Option<&'static FieldDescriptor>,
    ) {
        self.current = Some(start);
        self.field = field;
        self.repetition = false;
    }

    /// The cursor, positioned after the last element read.
    pub(crate) fn cursor(&mut self) -> &mut Cursor<'a> {
        &mut self.cursor
    }

    /// Whether the current element was left unread (a visitor that read nothing).
    pub(crate) fn skip_unread(&mut self) -> Result<(), DeError> {
        if self.current.take().is_some() {
            self.cursor.skip_element().map_err(|e| self.fail(e))?;
        }
        Ok(())
    }

    /// Turns a syntax or limit problem into the error the model layer passes up: its kind
    /// and source (an [`XmlError`](crate::XmlError)) decide the fault. Out of line: it is
    /// named on every token's path (`map_err`) and called on none of the usual ones.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail(&self, e: ReadError) -> DeError {
        e.into_de_error(self.cursor.text())
    }

    /// Something where it does not belong, at `offset`.
    #[cold]
    #[inline(never)]
    fn invalid(&self, offset: usize, message: String) -> DeError {
        DeError::unexpected(message).at(position_of(self.cursor.text(), offset))
    }

    /// The element to read; on every value's path, so inlined with its errors out of line.
    #[inline]
    fn take_current(&mut self) -> Result<StartTag<'a>, DeError> {
        if self.value.is_none()
            && let Some(start) = self.current.take()
        {
            return Ok(start);
        }
        Err(self.no_current())
    }

    #[cold]
    fn no_current(&mut self) -> DeError {
        if self.value.take().is_some() {
            let name = self.field.map_or("?", |f| f.name);
            return DeError::unexpected(format!(
                "`{name}` is an XML attribute or text, which holds a simple value only"
            ));
        }
        internal("no element to read")
    }

    /// Hands the attributes of `start` that are fields of the type to `visit`; those no field
    /// claims go to the type's attribute wildcard (`xs:anyAttribute`) if it has one and it
    /// allows their namespace. Other attributes are ignored: namespace declarations, `xsi:*`,
    /// SOAP's own, and those a newer version of the schema may add (an element keeps its
    /// meaning without them).
    fn read_attributes(
        &mut self,
        fields: &Fields,
        start: &StartTag<'a>,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let wildcard = any_attributes::wildcard_of(fields.iter());
        let mut captured = AnyAttributes::new();
        for (name, raw) in start.attributes() {
            if name == "xmlns" || name.starts_with("xmlns:") {
                continue;
            }
            let (ns, local) = match split_qname(name) {
                // The cursor checked every prefix of the tag when it read it.
                Some(_) => match self.cursor.resolve_text_qname(name) {
                    Some(resolved) => resolved,
                    None => continue,
                },
                None => ("", name),
            };
            let tns = self.tns;
            let Some(index) = (0..fields.len()).find(|&i| {
                fields.get(i).is_some_and(|f| {
                    f.kind == FieldKind::Attribute
                        && f.name == local
                        && f.namespace.resolve(tns) == ns
                })
            }) else {
                if let Some((_, w, declared_in)) = wildcard
                    && any_attributes::takes(w, declared_in.resolve(tns), ns)
                {
                    let value = decode_attribute(raw, start.offset).map_err(|e| self.fail(e))?;
                    any_attributes::push(&mut captured, ns, local, value)
                        .map_err(|e| e.at(position_of(self.cursor.text(), start.offset)))?;
                }
                continue;
            };
            let value = decode_attribute(raw, start.offset).map_err(|e| self.fail(e))?;
            self.field = fields.get(index);
            self.value = Some(value);
            let result = visit(index, self);
            self.value = None;
            result.map_err(|e| e.at(position_of(self.cursor.text(), start.offset)))?;
        }
        if let Some((index, _, _)) = wildcard
            && !captured.is_empty()
        {
            self.field = fields.get(index);
            self.any_attributes = Some(captured);
            let result = visit(index, self);
            self.any_attributes = None;
            result.map_err(|e| e.at(position_of(self.cursor.text(), start.offset)))?;
        }
        Ok(())
    }

    /// Reads the text content of `start` into the `text` field at `index` (simpleContent):
    /// no child element may appear. Empty text for an optional field leaves it absent.
    fn read_text_field(
        &mut self,
        fields: &Fields,
        index: usize,
        start: &StartTag<'a>,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let field = fields
            .get(index)
            .ok_or_else(|| internal("text field index out of range"))?;
        self.field = Some(field);
        let ty = (field.ty)();
        let scope = holds_qnames(ty).then(|| self.cursor.scope());
        let text = self.text_content(start, ty)?;
        if text.is_empty() && field.min_occurs == 0 {
            return Ok(());
        }
        self.value = Some(text);
        self.value_scope = scope;
        let result = visit(index, self);
        self.value = None;
        self.value_scope = None;
        result.map_err(|e| e.at(position_of(self.cursor.text(), start.content)))
    }

    fn resolve(&self, namespace: Option<&'static str>) -> &'a str {
        namespace.unwrap_or(self.tns)
    }

    fn not_nillable(&self, start: &StartTag<'a>) -> DeError {
        let name = self.field.map_or(start.qname, |f| f.name);
        self.invalid(
            start.offset,
            format!("element `{name}` is nil (xsi:nil) but the field is not nillable"),
        )
    }

    /// Reads the (whitespace-only) content of a nil element.
    fn skip_nil_content(&mut self, start: &StartTag<'a>) -> Result<(), DeError> {
        match self.cursor.next_significant().map_err(|e| self.fail(e))? {
            Token::End { .. } => Ok(()),
            Token::Eof { offset } => Err(self.fail(unclosed(offset))),
            Token::Start(_) | Token::Text { .. } => Err(self.invalid(
                start.offset,
                format!("element `{}` is nil (xsi:nil) but has content", start.qname),
            )),
        }
    }

    /// The index of the field `child` stands for, accepting fields in sequence order only.
    fn match_field(
        &mut self,
        ty: &'static ComplexType,
        fields: &Fields,
        child: &StartTag<'a>,
        next: usize,
    ) -> Result<usize, DeError> {
        let tns = self.tns;
        let outcome = self
            .cursor
            .resolve(child)
            .map(|(ns, local)| find_field(tns, fields, ns, local, next));
        let message = match outcome {
            Err(e) => return Err(self.fail(e)),
            Ok(FieldMatch::At(index)) => return Ok(index),
            Ok(FieldMatch::Repeated(name)) => {
                format!("element `{name}` appears more than once in `{}`", ty.name)
            }
            Ok(FieldMatch::OutOfOrder(name)) => {
                format!("element `{name}` is out of sequence order in `{}`", ty.name)
            }
            Ok(FieldMatch::Unknown(name, hint)) => {
                format!("unexpected element `{name}` in `{}`{hint}", ty.name)
            }
        };
        Err(self.invalid(child.offset, message))
    }

    /// Reads the run of repeated sibling elements of an unwrapped array field: elements of
    /// the field's name, alternatives of a repeated choice, or the elements a wildcard takes.
    fn read_repetition(&mut self, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        let field = self
            .field
            .ok_or_else(|| internal("repeated elements without a field"))?;
        let expected_ns = field.namespace.resolve(self.tns);
        let wildcard = self.wildcard;
        let parent = self.parent;
        let mut count = 0usize;
        // As in `read_seq`: a sibling written like the last accepted item, neither of them
        // declaring anything, names the same element and gets the same answer, so it need
        // not be resolved again (a thousand-item repetition resolved each name before).
        let mut known: Option<&'a str> = None;
        loop {
            let offset = self.current.as_ref().map_or(0, |s| s.offset);
            count += 1;
            if count > self.cursor.limits().max_array_items {
                let limit = self.cursor.limits().max_array_items;
                return Err(self.fail(ReadError::limit(
                    format!(
                        "`{}` repeats more than the limit of {limit} items",
                        field.name
                    ),
                    offset,
                )));
            }
            self.repetition = false;
            self.field = None;
            self.wildcard = wildcard;
            let result = visit(self);
            self.wildcard = false;
            result.map_err(|e| e.at(position_of(self.cursor.text(), offset)))?;
            self.skip_unread()?;
            match self.cursor.next_significant().map_err(|e| self.fail(e))? {
                Token::Start(child) => {
                    let tns = self.tns;
                    let plain = is_whitespace(child.attrs);
                    let same = if plain && known == Some(child.qname) {
                        Ok(true)
                    } else {
                        self.cursor
                            .resolve(&child)
                            .map(|(ns, local)| match field.kind {
                                FieldKind::Choice => choice_of(field)
                                    .is_some_and(|c| c.variant_of(tns, ns, local).is_some()),
                                FieldKind::Any(w) => {
                                    w.allows(expected_ns, ns)
                                        && !parent.is_some_and(|(ty, index)| {
                                            declared_after(
                                                tns,
                                                &Fields::of(ty),
                                                ns,
                                                local,
                                                index + 1,
                                            )
                                        })
                                }
                                _ => local == field.name && ns == expected_ns,
                            })
                    };
                    match same {
                        Err(e) => return Err(self.fail(e)),
                        Ok(true) => {
                            known = plain.then_some(child.qname);
                            self.current = Some(child);
                        }
                        Ok(false) => {
                            self.cursor.push_back(Token::Start(child));
                            return Ok(());
                        }
                    }
                }
                other => {
                    self.cursor.push_back(other);
                    return Ok(());
                }
            }
        }
    }

    /// The text content of `start` (whose start tag was just read), through its end tag;
    /// a child element is an error (the element holds a simple value of type `ty`).
    fn text_content(&mut self, start: &StartTag<'a>, ty: TypeRef) -> Result<Cow<'a, str>, DeError> {
        if let Some(text) = self.cursor.simple_content().map_err(|e| self.fail(e))? {
            return self.within_limit(text, start);
        }
        self.text_pieces(start, ty)
    }

    /// `text` (all of the content of `start`) unless it is longer than the limit.
    #[inline]
    fn within_limit(
        &self,
        text: Cow<'a, str>,
        start: &StartTag<'a>,
    ) -> Result<Cow<'a, str>, DeError> {
        if text.len() > self.cursor.limits().max_string_bytes {
            return Err(self.too_long(start));
        }
        Ok(text)
    }

    /// The error of a text longer than the limit (out of line: the check is inlined where
    /// every simple value is read, the message rarely made).
    #[cold]
    #[inline(never)]
    fn too_long(&self, start: &StartTag<'a>) -> DeError {
        let max = self.cursor.limits().max_string_bytes;
        self.fail(ReadError::limit(
            format!(
                "the text of `{}` is longer than the limit of {max} bytes",
                start.qname
            ),
            start.content,
        ))
    }

    /// The content of `start` when it is not a single run of text (pieces, CDATA, comments),
    /// through its end tag.
    fn text_pieces(&mut self, start: &StartTag<'a>, ty: TypeRef) -> Result<Cow<'a, str>, DeError> {
        let max = self.cursor.limits().max_string_bytes;
        let mut text: Option<Cow<'a, str>> = None;
        loop {
            match self.cursor.next().map_err(|e| self.fail(e))? {
                Token::Text {
                    text: piece,
                    offset,
                } => {
                    let joined = match text.take() {
                        None => piece,
                        Some(prev) => {
                            let mut s = prev.into_owned();
                            s.push_str(&piece);
                            Cow::Owned(s)
                        }
                    };
                    if joined.len() > max {
                        return Err(self.fail(ReadError::limit(
                            format!(
                                "the text of `{}` is longer than the limit of {max} bytes",
                                start.qname
                            ),
                            offset,
                        )));
                    }
                    text = Some(joined);
                }
                Token::End { .. } => break,
                Token::Start(child) => {
                    let name = self.field.map_or(start.qname, |f| f.name);
                    return Err(self.invalid(
                        child.offset,
                        format!(
                            "unexpected element `{}` in `{name}`, which holds a simple value (xs:{})",
                            child.qname,
                            ty.name()
                        ),
                    ));
                }
                Token::Eof { offset } => return Err(self.fail(unclosed(offset))),
            }
        }
        Ok(text.unwrap_or(Cow::Borrowed("")))
    }
}

impl<'a> Deserializer for XmlDeserializer<'a> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        if self.value.is_some() {
            // Attributes and text are never nil.
            return Ok(false);
        }
        if self.repetition || self.wildcard {
            // The field holds a run of elements: the run exists, so the array is not absent.
            // An element a wildcard takes is raw XML, whatever its attributes say.
            return Ok(false);
        }
        let Some(start) = &self.current else {
            return Err(internal("no element to read"));
        };
        if !self.cursor.is_nil(start) {
            return Ok(false);
        }
        if self.field.is_some_and(|f| !f.nillable) {
            return Err(self.not_nillable(start));
        }
        let start = self.take_current()?;
        self.skip_nil_content(&start)?;
        Ok(true)
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        if let Some(value) = self.value.take() {
            return Ok(value);
        }
        let start = self.take_current()?;
        if self.cursor.is_nil(&start) {
            return Err(self.not_nillable(&start));
        }
        // The common case (text only, then the end tag) stays here, out of `text_content`.
        let text = match self.cursor.simple_content().map_err(|e| self.fail(e))? {
            // The limit is tested here rather than through `within_limit`, so that the text
            // is not moved into and out of a `Result` for every simple value.
            Some(text) => {
                if text.len() > self.cursor.limits().max_string_bytes {
                    return Err(self.too_long(&start));
                }
                text
            }
            None => self.text_pieces(&start, ty)?,
        };
        if text.is_empty()
            && let Some(declared) = self.field.and_then(|f| f.value_constraint)
        {
            // XSD: an element present and empty takes its `default` or `fixed` value.
            return Ok(Cow::Borrowed(declared.text()));
        }
        Ok(text)
    }

    fn read_qualified(
        &mut self,
        ty: TypeRef,
        visit: &mut QualifiedVisitor<'_>,
    ) -> Result<(), DeError> {
        if let Some(value) = self.value.take() {
            // An attribute is read while its element's start tag is the last one read, so
            // the cursor's bindings are that element's; a text field saved them.
            return match self.value_scope.take() {
                Some(scope) => visit(&value, Some(&ScopeAt::of(self.cursor.text(), &scope))),
                None => visit(&value, Some(&self.cursor.namespace_scope())),
            };
        }
        let start = self.take_current()?;
        if self.cursor.is_nil(&start) {
            return Err(self.not_nillable(&start));
        }
        // The bindings in force on the element, kept before its end tag takes them away.
        let scope = self.cursor.scope();
        let text = self.text_content(&start, ty)?;
        visit(&text, Some(&ScopeAt::of(self.cursor.text(), &scope)))
            .map_err(|e| e.at(position_of(self.cursor.text(), start.content)))
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let start = self.take_current()?;
        let fields = Fields::of(ty);
        if self.cursor.is_nil(&start) {
            // A type with nothing in it reads the same nil or empty (Spyne writes a bare
            // method's empty response nil), so nil loses nothing there; elsewhere it does.
            if fields.len() == 0 {
                return self.skip_nil_content(&start);
            }
            return Err(self.not_nillable(&start));
        }
        let (has_attributes, text) = match self.shape {
            Some((last, shape)) if std::ptr::eq(last, ty) => shape,
            _ => {
                let shape = fields.non_elements();
                self.shape = Some((ty, shape));
                shape
            }
        };
        if has_attributes && !is_whitespace(start.attrs) {
            self.read_attributes(&fields, &start, visit)?;
        }
        if let Some(index) = text {
            return self.read_text_field(&fields, index, &start, visit);
        }
        let mut next = 0usize;
        loop {
            match self.cursor.next().map_err(|e| self.fail(e))? {
                Token::Start(child) => {
                    let index = self.match_field(ty, &fields, &child, next)?;
                    let field = fields
                        .get(index)
                        .ok_or_else(|| internal("field index out of range"))?;
                    let offset = child.offset;
                    self.current = Some(child);
                    self.field = Some(field);
                    self.repetition = field.unwrapped;
                    self.wildcard = matches!(field.kind, FieldKind::Any(_));
                    self.parent = Some((ty, index));
                    let result = visit(index, self);
                    self.wildcard = false;
                    result.map_err(|e| e.at(position_of(self.cursor.text(), offset)))?;
                    self.repetition = false;
                    self.skip_unread()?;
                    next = index + 1;
                }
                Token::End { .. } => return Ok(()),
                Token::Text { text, offset } => {
                    if !is_whitespace(&text) {
                        return Err(
                            self.invalid(offset, format!("unexpected text in `{}`", ty.name))
                        );
                    }
                }
                Token::Eof { offset } => return Err(self.fail(unclosed(offset))),
            }
        }
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        if self.repetition {
            return self.read_repetition(visit);
        }
        let start = self.take_current()?;
        if self.cursor.is_nil(&start) {
            return Err(self.not_nillable(&start));
        }
        let item_name = item.name();
        let item_ns = self.resolve(array_namespace(item));
        let max = self.cursor.limits().max_array_items;
        let mut count = 0usize;
        // Items are siblings in one scope: an item written like the last one, without
        // declarations of its own, names the same element, so it need not be resolved again.
        let mut known: Option<&'a str> = None;
        loop {
            match self.cursor.next().map_err(|e| self.fail(e))? {
                Token::Start(child) => {
                    // The shortcut holds only for an item without attributes of its own: one
                    // that declares a namespace may rebind the prefix it is written with.
                    let mismatch = if known == Some(child.qname) && is_whitespace(child.attrs) {
                        Ok(None)
                    } else {
                        self.cursor.resolve(&child).map(|(ns, local)| {
                            (!same_str(local, &item_name) || !same_str(ns, item_ns))
                                .then(|| clark(ns, local))
                        })
                    };
                    match mismatch {
                        Err(e) => return Err(self.fail(e)),
                        Ok(None) => {
                            known = is_whitespace(child.attrs).then_some(child.qname);
                        }
                        Ok(Some(found)) => {
                            return Err(self.invalid(
                                child.offset,
                                format!(
                                    "unexpected element `{found}` in the array `{}`: its items are `{}`",
                                    start.qname,
                                    clark(item_ns, &item_name)
                                ),
                            ));
                        }
                    }
                    count += 1;
                    if count > max {
                        return Err(self.fail(ReadError::limit(
                            format!(
                                "the array `{}` has more than the limit of {max} items",
                                start.qname
                            ),
                            child.offset,
                        )));
                    }
                    let offset = child.offset;
                    self.set_current(child, None);
                    visit(self).map_err(|e| e.at(position_of(self.cursor.text(), offset)))?;
                    self.skip_unread()?;
                }
                Token::End { .. } => return Ok(()),
                Token::Text { text, offset } => {
                    if !is_whitespace(&text) {
                        return Err(self.invalid(
                            offset,
                            format!("unexpected text in the array `{}`", start.qname),
                        ));
                    }
                }
                Token::Eof { offset } => return Err(self.fail(unclosed(offset))),
            }
        }
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        let start = self.take_current()?;
        if self.wildcard {
            return any::capture_current(&mut self.cursor, start).map_err(|e| self.fail(e));
        }
        if self.cursor.is_nil(&start) {
            return Err(self.not_nillable(&start));
        }
        any::capture(&mut self.cursor, &start).map_err(|e| self.fail(e))
    }

    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        self.any_attributes.take().ok_or_else(|| {
            let name = self.field.map_or("?", |f| f.name);
            DeError::unexpected(format!(
                "`{name}` holds wildcard attributes (xs:anyAttribute), which only an attribute \
                 wildcard field can read"
            ))
        })
    }

    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        if self.value.is_some() {
            return self.take_current().map(|_| ());
        }
        let Some(start) = &self.current else {
            return Err(internal("no element to read"));
        };
        let offset = start.offset;
        let tns = self.tns;
        let found = self.cursor.resolve(start).map(|(ns, local)| {
            ty.variant_of(tns, ns, local)
                .ok_or_else(|| clark(ns, local))
        });
        let index = match found {
            Err(e) => return Err(self.fail(e)),
            Ok(Ok(index)) => index,
            Ok(Err(name)) => {
                return Err(self.invalid(
                    offset,
                    format!(
                        "unexpected element `{name}`: expected one of {} (the choice `{}`)",
                        ty.expected(),
                        ty.name
                    ),
                ));
            }
        };
        self.field = ty.variants.get(index);
        // A repeated alternative is a run of its elements.
        self.repetition = self.field.is_some_and(|f| f.unwrapped);
        let result = visit(index, self);
        self.repetition = false;
        result
    }

    /// The element stays the one the field names; its `xsi:type` tells the variant
    /// ([`polymorphic::variant_of`](super::polymorphic::variant_of)).
    fn read_polymorphic(
        &mut self,
        ty: &'static PolymorphicType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        if self.value.is_some() {
            return self.take_current().map(|_| ());
        }
        let Some(start) = &self.current else {
            return Err(internal("no element to read"));
        };
        // An array item or a repeated element has no descriptor of its own: its local name.
        let field = self.field.map_or_else(
            || split_qname(start.qname).map_or(start.qname, |(_, local)| local),
            |f| f.name,
        );
        let index = super::polymorphic::variant_of(&self.cursor, self.tns, ty, start, field)?;
        visit(index, self)
    }
}

/// The choice a `Choice` field holds (once, or repeated as an unwrapped array).
fn choice_of(field: &FieldDescriptor) -> Option<&'static ChoiceType> {
    match (field.ty)() {
        TypeRef::Choice(c) => Some(c),
        TypeRef::Array(item) => match item() {
            TypeRef::Choice(c) => Some(c),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `{ns}local` is an element (or choice alternative) declared by a field from `from` on.
fn declared_after(tns: &str, fields: &Fields, ns: &str, local: &str, from: usize) -> bool {
    (from..fields.len()).any(|i| fields.get(i).is_some_and(|f| declares(tns, f, ns, local)))
}

/// Whether the element or choice field `f` stands for `{ns}local`.
#[inline(always)]
fn declares(tns: &str, f: &FieldDescriptor, ns: &str, local: &str) -> bool {
    match f.kind {
        FieldKind::Element => same_str(f.name, local) && same_str(f.namespace.resolve(tns), ns),
        FieldKind::Choice => choice_of(f).is_some_and(|c| c.variant_of(tns, ns, local).is_some()),
        FieldKind::Attribute | FieldKind::Text | FieldKind::Any(_) | FieldKind::AnyAttribute(_) => {
            false
        }
    }
}

/// A problem of the reader itself (a bug, not bad input).
fn internal(what: &str) -> DeError {
    DeError::with_kind(DeErrorKind::Internal, format!("internal: {what}"))
}

/// The namespace of an array of `item` (`None`: the target namespace), as
/// [`TypeRef::namespace`] gives it for `TypeRef::Array`.
pub(crate) fn array_namespace(item: TypeRef) -> Option<&'static str> {
    match item {
        TypeRef::Simple(_) | TypeRef::Any => None,
        other => other.namespace(),
    }
}

/// `{namespace}local`, or `local` for names in no namespace.
pub(crate) fn clark(ns: &str, local: &str) -> String {
    if ns.is_empty() {
        local.to_owned()
    } else {
        format!("{{{ns}}}{local}")
    }
}

/// Where an element falls among a complex type's fields.
enum FieldMatch {
    At(usize),
    /// The field just read, again.
    Repeated(String),
    /// A field before the one just read.
    OutOfOrder(String),
    /// No field; with a hint when only the namespace is wrong.
    Unknown(String, String),
}

/// Finds `{ns}local` among `fields` from `next` on (sequence order).
#[inline]
fn find_field(tns: &str, fields: &Fields, ns: &str, local: &str, next: usize) -> FieldMatch {
    let is = |f: &FieldDescriptor| declares(tns, f, ns, local);
    if let Some(i) = (next..fields.len()).find(|&i| fields.get(i).is_some_and(is)) {
        return FieldMatch::At(i);
    }
    other_field(tns, fields, ns, local, next)
}

/// [`find_field`] when no field from `next` on declares the element: a wildcard, or an
/// error (out of line: the usual element is the next field's).
#[cold]
#[inline(never)]
fn other_field(tns: &str, fields: &Fields, ns: &str, local: &str, next: usize) -> FieldMatch {
    let is = |f: &FieldDescriptor| declares(tns, f, ns, local);
    // No field declares it: a wildcard still to come may take it.
    if let Some(i) = (next..fields.len()).find(|&i| {
        fields.get(i).is_some_and(|f| match f.kind {
            FieldKind::Any(w) => w.allows(f.namespace.resolve(tns), ns),
            _ => false,
        })
    }) {
        return FieldMatch::At(i);
    }
    let name = clark(ns, local);
    if let Some(i) = (0..next.min(fields.len())).find(|&i| fields.get(i).is_some_and(is)) {
        return if i + 1 == next {
            FieldMatch::Repeated(name)
        } else {
            FieldMatch::OutOfOrder(name)
        };
    }
    let hint = (0..fields.len())
        .filter_map(|i| fields.get(i))
        .find(|f| f.kind == FieldKind::Element && f.name == local)
        .map(|f| match f.namespace.resolve(tns) {
            "" => format!(" (a `{local}` element must be in no namespace)"),
            expected => format!(" (a `{local}` element must be in namespace `{expected}`)"),
        })
        .or_else(|| {
            // The next field is a required choice: name its alternatives.
            fields
                .get(next)
                .filter(|f| f.kind == FieldKind::Choice && f.min_occurs > 0)
                .and_then(choice_of)
                .map(|c| {
                    format!(
                        ": expected one of {} (the choice `{}`)",
                        c.expected(),
                        c.name
                    )
                })
        })
        .unwrap_or_default();
    FieldMatch::Unknown(name, hint)
}

/// The fields of a complex type in wire order, without allocating for types with no base.
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

    /// Whether any field is an attribute, and the index of the text field if there is one.
    fn non_elements(&self) -> (bool, Option<usize>) {
        let mut attributes = false;
        let mut text = None;
        for i in 0..self.len() {
            match self.get(i).map(|f| f.kind) {
                Some(FieldKind::Attribute | FieldKind::AnyAttribute(_)) => attributes = true,
                Some(FieldKind::Text) => text = Some(i),
                _ => {}
            }
        }
        (attributes, text)
    }

    fn len(&self) -> usize {
        match self {
            Fields::Own(f) => f.len(),
            Fields::All(f) => f.len(),
        }
    }

    fn get(&self, index: usize) -> Option<&'static FieldDescriptor> {
        match self {
            Fields::Own(f) => f.get(index),
            Fields::All(f) => f.get(index).copied(),
        }
    }

    /// The fields in order.
    fn iter(&self) -> impl Iterator<Item = &'static FieldDescriptor> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}
