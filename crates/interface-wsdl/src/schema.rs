//! The `wsdl:types` section: one `xs:schema` per namespace holding every type reachable from
//! the application's messages, headers and faults.

use std::collections::HashMap;

use rpclib_core::model::{
    ComplexType, Constraints, EnumType, FieldDescriptor, FieldKind, MaxOccurs, Number, TypeRef,
    ValueConstraint, XSD_NS,
};
use rpclib_core::{
    BodyStyle, Catalogue, Fault, MessageDescriptor, MethodDescriptor, ServiceDescriptor,
};

use crate::prefixes::Prefixes;
use crate::xml::XmlOut;

/// A named definition in some schema.
enum Definition {
    Complex(&'static ComplexType),
    Enum(&'static EnumType),
    /// A named array type.
    Array(TypeRef),
    /// A named list type (`xs:list`), `<item>List`.
    List(TypeRef),
    /// A simple type restricted by a field's facets (`<Owner>_<field>Type`).
    Restricted {
        base: TypeRef,
        constraints: &'static Constraints,
    },
    /// A message wrapper (wrapped style) or a bare message's element.
    Message {
        message: &'static MessageDescriptor,
        bare: bool,
    },
    /// A global element or attribute declared for a field in another namespace than its
    /// type's, which the type refers to (`ref=`).
    Referenced(&'static FieldDescriptor),
}

/// Identity of a definition, to detect two different Rust types claiming one XSD name.
fn identity(d: &Definition) -> usize {
    match d {
        Definition::Complex(c) => *c as *const ComplexType as usize,
        Definition::Enum(e) => *e as *const EnumType as usize,
        Definition::Message { message, .. } => *message as *const MessageDescriptor as usize,
        Definition::Array(_) | Definition::List(_) | Definition::Restricted { .. } => 0,
        Definition::Referenced(_) => 1,
    }
}

/// Whether two definitions of one name are the same declaration: the same Rust item, or
/// references to one global element or attribute of the same type.
fn same(a: &Definition, b: &Definition) -> bool {
    match (a, b) {
        (Definition::Referenced(x), Definition::Referenced(y)) => {
            x.kind == y.kind && element_type(x).same_as(&element_type(y))
        }
        (Definition::Complex(c), Definition::Referenced(f))
        | (Definition::Referenced(f), Definition::Complex(c)) => {
            f.kind == FieldKind::Element && element_type(f).same_as(&TypeRef::Complex(c))
        }
        _ => identity(a) == identity(b),
    }
}

/// Collects definitions per namespace in first-reached order.
pub(crate) struct Schemas<'a> {
    catalogue: &'a Catalogue,
    namespaces: Vec<String>,
    definitions: Vec<(String, String, Definition)>,
    seen: HashMap<(String, String), usize>,
    /// The complex types some polymorphic value declares abstract (`abstract="true"`).
    abstract_types: Vec<*const ComplexType>,
}

impl<'a> Schemas<'a> {
    pub(crate) fn new(catalogue: &'a Catalogue) -> Self {
        Schemas {
            catalogue,
            namespaces: vec![catalogue.tns().to_owned()],
            definitions: Vec::new(),
            seen: HashMap::new(),
            abstract_types: Vec::new(),
        }
    }

    fn resolve(&self, ns: Option<&str>) -> String {
        self.catalogue.resolve_namespace(ns).to_owned()
    }

    /// The namespace of a field's name when it is neither unqualified nor the namespace of
    /// the schema declaring its owner (`owner_ns`): the field then refers to a global
    /// declaration of that other schema.
    fn foreign_namespace(&self, owner_ns: &str, field: &FieldDescriptor) -> Option<String> {
        if matches!(
            field.kind,
            FieldKind::Text | FieldKind::Choice | FieldKind::Any(_) | FieldKind::AnyAttribute(_)
        ) || field.namespace.is_unqualified()
        {
            return None;
        }
        let ns = field.namespace.resolve(self.catalogue.tns());
        (ns != owner_ns).then(|| ns.to_owned())
    }

    /// Where the restricted simple type of a field's facets lives: the field's namespace, or
    /// the application's for an unqualified field.
    fn restricted_namespace(&self, field: &FieldDescriptor) -> String {
        self.resolve(field.namespace.uri())
    }

    /// Adds a definition; `Ok(false)` if it was already there, an error on a name clash.
    fn add(&mut self, ns: String, name: String, def: Definition) -> Result<bool, Fault> {
        let key = (ns.clone(), name.clone());
        if let Some(&existing) = self.seen.get(&key) {
            if same(&self.definitions[existing].2, &def) {
                return Ok(false);
            }
            return Err(Fault::server(format!(
                "two different types are both named {{{ns}}}{name} in the interface"
            )));
        }
        if !self.namespaces.contains(&ns) {
            self.namespaces.push(ns.clone());
        }
        self.seen.insert(key, self.definitions.len());
        self.definitions.push((ns, name, def));
        Ok(true)
    }

    /// Adds a type and everything it refers to.
    pub(crate) fn visit(&mut self, ty: TypeRef) -> Result<(), Fault> {
        match ty {
            // A choice is no named type: its alternatives are visited as fields of the type
            // holding it (`visit_field`).
            TypeRef::Simple(_) | TypeRef::Any | TypeRef::Choice(_) => Ok(()),
            TypeRef::List(item) => {
                let ns = self.resolve(ty.namespace());
                if self.add(ns, ty.name().into_owned(), Definition::List(ty))? {
                    self.visit(item())?;
                }
                Ok(())
            }
            TypeRef::Enum(e) => self
                .add(
                    self.resolve(e.namespace),
                    e.name.to_owned(),
                    Definition::Enum(e),
                )
                .map(|_| ()),
            TypeRef::Array(item) => {
                let ns = self.resolve(ty.namespace());
                if self.add(ns, ty.name().into_owned(), Definition::Array(ty))? {
                    self.visit(item())?;
                }
                Ok(())
            }
            // The base and every variant, each a named type extending its base (an element
            // holding the value is declared with the base).
            TypeRef::Polymorphic(p) => {
                let base = (p.base)();
                if p.abstract_base && !self.abstract_types.contains(&std::ptr::from_ref(base)) {
                    self.abstract_types.push(std::ptr::from_ref(base));
                }
                self.visit(TypeRef::Complex(base))?;
                for variant in p.alternatives.variants {
                    self.visit((variant.ty)())?;
                }
                Ok(())
            }
            TypeRef::Complex(c) => {
                if self.add(
                    self.resolve(c.namespace),
                    c.name.to_owned(),
                    Definition::Complex(c),
                )? {
                    if let Some(base) = c.base {
                        self.visit(TypeRef::Complex(base()))?;
                    }
                    let own = self.resolve(c.namespace);
                    for field in c.fields {
                        self.visit_field(&own, c.name, field)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// Adds what a field of a type declared in `owner_ns` refers to: its type, a restricted
    /// type for its facets, a global declaration when it is in another namespace.
    fn visit_field(
        &mut self,
        owner_ns: &str,
        owner: &str,
        field: &'static FieldDescriptor,
    ) -> Result<(), Fault> {
        if field.kind == FieldKind::Choice {
            if let TypeRef::Choice(c) = element_type(field) {
                for alternative in c.variants {
                    self.visit_field(owner_ns, owner, alternative)?;
                }
            }
            return Ok(());
        }
        let ty = element_type(field);
        self.visit(ty)?;
        if let Some(foreign) = self.foreign_namespace(owner_ns, field) {
            self.add(
                foreign,
                field.name.to_owned(),
                Definition::Referenced(field),
            )?;
        }
        if let Some(name) = restricted_name(owner, field, ty) {
            let ns = self.restricted_namespace(field);
            self.add(
                ns,
                name,
                Definition::Restricted {
                    base: ty,
                    constraints: &field.constraints,
                },
            )?;
        }
        Ok(())
    }

    /// Adds a method's messages, headers and faults.
    pub(crate) fn visit_method(
        &mut self,
        service: &'static ServiceDescriptor,
        method: &'static MethodDescriptor,
    ) -> Result<(), Fault> {
        let bare = method.body_style == BodyStyle::Bare;
        for message in [&method.input, &method.output] {
            let ns = self
                .catalogue
                .message_namespace(service, message)
                .to_owned();
            let is_bare = bare && message.ty.fields.len() == 1;
            self.add(
                ns.clone(),
                message.name.to_owned(),
                Definition::Message {
                    message,
                    bare: is_bare,
                },
            )?;
            for part in message.ty.fields {
                self.visit_field(&ns, message.name, part)?;
            }
        }
        for header in method
            .effective_in_headers(service)
            .iter()
            .chain(method.effective_out_headers(service))
        {
            self.visit((header.ty)())?;
        }
        for fault in method.faults {
            self.visit((fault.ty)())?;
        }
        Ok(())
    }

    /// Writes every schema into `out`.
    pub(crate) fn write(&self, out: &mut XmlOut, prefixes: &mut Prefixes) {
        for ns in &self.namespaces {
            let mut body = XmlOut::with_depth(out.depth() + 1);
            let mut referenced: Vec<String> = Vec::new();
            for (def_ns, name, def) in &self.definitions {
                if def_ns == ns {
                    self.write_definition(&mut body, prefixes, &mut referenced, ns, name, def);
                }
            }
            referenced.retain(|r| r != ns && r != XSD_NS);
            out.open(
                "xs:schema",
                &[("targetNamespace", ns), ("elementFormDefault", "qualified")],
            );
            for import in &referenced {
                out.empty("xs:import", &[("namespace", import)]);
            }
            out.append(body);
            out.close("xs:schema");
        }
    }

    fn qname(&self, prefixes: &mut Prefixes, referenced: &mut Vec<String>, ty: TypeRef) -> String {
        let ns = match ty {
            TypeRef::Simple(_) | TypeRef::Any => XSD_NS.to_owned(),
            other => self.resolve(other.namespace()),
        };
        if !referenced.contains(&ns) {
            referenced.push(ns.clone());
        }
        prefixes.qname(&ns, &ty.name())
    }

    fn named_qname(
        &self,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        ns: &str,
        name: &str,
    ) -> String {
        if !referenced.iter().any(|r| r == ns) {
            referenced.push(ns.to_owned());
        }
        prefixes.qname(ns, name)
    }

    fn write_definition(
        &self,
        out: &mut XmlOut,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        ns: &str,
        name: &str,
        def: &Definition,
    ) {
        let own = self.named_qname(prefixes, referenced, ns, name);
        match def {
            Definition::Enum(e) => {
                out.open("xs:simpleType", &[("name", name)]);
                documentation(out, e.doc);
                out.open("xs:restriction", &[("base", "xs:string")]);
                for v in e.values {
                    out.empty("xs:enumeration", &[("value", v)]);
                }
                out.close("xs:restriction");
                out.close("xs:simpleType");
                out.empty("xs:element", &[("name", name), ("type", &own)]);
            }
            Definition::Restricted {
                base, constraints, ..
            } => {
                let base = self.qname(prefixes, referenced, *base);
                out.open("xs:simpleType", &[("name", name)]);
                out.open("xs:restriction", &[("base", &base)]);
                facets(out, constraints);
                out.close("xs:restriction");
                out.close("xs:simpleType");
            }
            Definition::List(ty) => {
                let TypeRef::List(item) = ty else { return };
                let item_type = self.qname(prefixes, referenced, item());
                out.open("xs:simpleType", &[("name", name)]);
                out.empty("xs:list", &[("itemType", &item_type)]);
                out.close("xs:simpleType");
            }
            Definition::Array(ty) => {
                let TypeRef::Array(item) = ty else { return };
                let item = item();
                let item_type = self.qname(prefixes, referenced, item);
                out.open("xs:complexType", &[("name", name)]);
                out.open("xs:sequence", &[]);
                out.empty(
                    "xs:element",
                    &[
                        ("name", &item.name()),
                        ("type", &item_type),
                        ("minOccurs", "0"),
                        ("maxOccurs", "unbounded"),
                    ],
                );
                out.close("xs:sequence");
                out.close("xs:complexType");
                out.empty("xs:element", &[("name", name), ("type", &own)]);
            }
            Definition::Complex(c) => {
                if self.abstract_types.contains(&std::ptr::from_ref(*c)) {
                    out.open("xs:complexType", &[("name", name), ("abstract", "true")]);
                } else {
                    out.open("xs:complexType", &[("name", name)]);
                }
                documentation(out, c.doc);
                let scope = Scope {
                    ns,
                    owner: c.name,
                    fields: c.fields,
                };
                match (c.base, c.fields.iter().find(|f| f.kind == FieldKind::Text)) {
                    (_, Some(text)) => {
                        let base_q = self.field_type(prefixes, referenced, c.name, text);
                        out.open("xs:simpleContent", &[]);
                        out.open("xs:extension", &[("base", &base_q)]);
                        self.attributes(out, prefixes, referenced, &scope);
                        out.close("xs:extension");
                        out.close("xs:simpleContent");
                    }
                    (Some(base), None) => {
                        let base_q = self.qname(prefixes, referenced, TypeRef::Complex(base()));
                        out.open("xs:complexContent", &[]);
                        out.open("xs:extension", &[("base", &base_q)]);
                        self.sequence(out, prefixes, referenced, &scope);
                        self.attributes(out, prefixes, referenced, &scope);
                        out.close("xs:extension");
                        out.close("xs:complexContent");
                    }
                    (None, None) => {
                        self.sequence(out, prefixes, referenced, &scope);
                        self.attributes(out, prefixes, referenced, &scope);
                    }
                }
                out.close("xs:complexType");
                out.empty("xs:element", &[("name", name), ("type", &own)]);
            }
            Definition::Message {
                message,
                bare: true,
            } => {
                let part = &message.ty.fields[0];
                let ty = match restricted_name(message.name, part, element_type(part)) {
                    Some(r) => {
                        let ns = self.restricted_namespace(part);
                        self.named_qname(prefixes, referenced, &ns, &r)
                    }
                    None => self.qname(prefixes, referenced, element_type(part)),
                };
                out.empty("xs:element", &[("name", name), ("type", &ty)]);
            }
            Definition::Message {
                message,
                bare: false,
            } => {
                out.open("xs:complexType", &[("name", name)]);
                let scope = Scope {
                    ns,
                    owner: message.name,
                    fields: message.ty.fields,
                };
                self.sequence(out, prefixes, referenced, &scope);
                out.close("xs:complexType");
                out.empty("xs:element", &[("name", name), ("type", &own)]);
            }
            Definition::Referenced(field) => {
                // Facets stay on the referring field's input checks: a global declaration
                // is shared by every field referring to it.
                let ty = self.qname(prefixes, referenced, element_type(field));
                let tag = match field.kind {
                    FieldKind::Attribute => "xs:attribute",
                    _ => "xs:element",
                };
                let mut attrs = vec![("name", field.name), ("type", ty.as_str())];
                if field.nillable && field.kind == FieldKind::Element {
                    attrs.push(("nillable", "true"));
                }
                out.empty(tag, &attrs);
            }
        }
    }

    /// The XSD type of a field's value: its restricted type when it has facets.
    fn field_type(
        &self,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        owner: &str,
        field: &FieldDescriptor,
    ) -> String {
        let ty = element_type(field);
        match restricted_name(owner, field, ty) {
            Some(r) => {
                let ns = self.restricted_namespace(field);
                self.named_qname(prefixes, referenced, &ns, &r)
            }
            None => self.qname(prefixes, referenced, ty),
        }
    }

    /// How a field of `scope` names itself: `name` (and `form` when it differs from the
    /// schema's default) or `ref` to a global declaration of another namespace.
    fn naming<'f>(
        &self,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        scope: &Scope<'_>,
        field: &'f FieldDescriptor,
    ) -> Naming<'f> {
        match self.foreign_namespace(scope.ns, field) {
            Some(foreign) => {
                Naming::Ref(self.named_qname(prefixes, referenced, &foreign, field.name))
            }
            None => Naming::Name {
                name: field.name,
                // Elements default to qualified (elementFormDefault), attributes to
                // unqualified (attributeFormDefault).
                form: match (field.kind, field.namespace.is_unqualified()) {
                    (FieldKind::Attribute, false) => Some("qualified"),
                    (FieldKind::Element, true) => Some("unqualified"),
                    _ => None,
                },
            },
        }
    }

    fn sequence(
        &self,
        out: &mut XmlOut,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        scope: &Scope<'_>,
    ) {
        if scope.fields.is_empty() {
            out.empty("xs:sequence", &[]);
            return;
        }
        let mut particles = scope
            .fields
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    FieldKind::Element | FieldKind::Choice | FieldKind::Any(_)
                )
            })
            .peekable();
        if particles.peek().is_none() {
            return;
        }
        out.open("xs:sequence", &[]);
        for field in particles {
            match field.kind {
                FieldKind::Choice => {
                    let TypeRef::Choice(c) = element_type(field) else {
                        continue;
                    };
                    let (min, max) = occurs(field);
                    let mut attrs: Vec<(&str, &str)> = Vec::new();
                    if let Some(min) = &min {
                        attrs.push(("minOccurs", min));
                    }
                    if let Some(max) = &max {
                        attrs.push(("maxOccurs", max));
                    }
                    out.open("xs:choice", &attrs);
                    documentation(out, c.doc.or(field.doc));
                    for alternative in c.variants {
                        self.element(out, prefixes, referenced, scope, alternative);
                    }
                    out.close("xs:choice");
                }
                FieldKind::Any(w) => {
                    let (min, max) = occurs(field);
                    let mut attrs: Vec<(&str, &str)> = vec![
                        ("namespace", w.namespace),
                        ("processContents", w.process_contents.as_str()),
                    ];
                    if let Some(min) = &min {
                        attrs.push(("minOccurs", min));
                    }
                    if let Some(max) = &max {
                        attrs.push(("maxOccurs", max));
                    }
                    out.empty("xs:any", &attrs);
                }
                _ => self.element(out, prefixes, referenced, scope, field),
            }
        }
        out.close("xs:sequence");
    }

    /// The `xs:element` declaration of an element field (or a choice's alternative).
    fn element(
        &self,
        out: &mut XmlOut,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        scope: &Scope<'_>,
        field: &FieldDescriptor,
    ) {
        let naming = self.naming(prefixes, referenced, scope, field);
        let type_q = self.field_type(prefixes, referenced, scope.owner, field);
        let (min, max) = occurs(field);
        let mut attrs: Vec<(&str, &str)> = match &naming {
            Naming::Name { name, form } => {
                let mut a = vec![("name", *name), ("type", type_q.as_str())];
                if let Some(form) = form {
                    a.push(("form", form));
                }
                a
            }
            Naming::Ref(q) => vec![("ref", q.as_str())],
        };
        if let Some(min) = &min {
            attrs.push(("minOccurs", min));
        }
        if let Some(max) = &max {
            attrs.push(("maxOccurs", max));
        }
        // A reference takes nillability from the global declaration.
        if field.nillable && matches!(naming, Naming::Name { .. }) {
            attrs.push(("nillable", "true"));
        }
        // So does it its value constraint.
        if let (Some(vc), Naming::Name { .. }) = (field.value_constraint, &naming) {
            attrs.push((vc.keyword(), vc.text()));
        }
        match field.doc {
            Some(doc) => {
                out.open("xs:element", &attrs);
                documentation(out, Some(doc));
                out.close("xs:element");
            }
            None => out.empty("xs:element", &attrs),
        }
    }

    /// The `xs:attribute` declarations of a type's attribute fields.
    fn attributes(
        &self,
        out: &mut XmlOut,
        prefixes: &mut Prefixes,
        referenced: &mut Vec<String>,
        scope: &Scope<'_>,
    ) {
        for field in scope
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Attribute)
        {
            let naming = self.naming(prefixes, referenced, scope, field);
            let type_q = self.field_type(prefixes, referenced, scope.owner, field);
            let mut attrs: Vec<(&str, &str)> = match &naming {
                Naming::Name { name, form } => {
                    let mut a = vec![("name", *name), ("type", type_q.as_str())];
                    if let Some(form) = form {
                        a.push(("form", form));
                    }
                    a
                }
                Naming::Ref(q) => vec![("ref", q.as_str())],
            };
            // XSD allows a `default` on an optional attribute only (absent, it takes the
            // default).
            let has_default = matches!(field.value_constraint, Some(ValueConstraint::Default(_)));
            attrs.push((
                "use",
                if field.min_occurs > 0 && !has_default {
                    "required"
                } else {
                    "optional"
                },
            ));
            if let (Some(vc), Naming::Name { .. }) = (field.value_constraint, &naming) {
                attrs.push((vc.keyword(), vc.text()));
            }
            match field.doc {
                Some(doc) => {
                    out.open("xs:attribute", &attrs);
                    documentation(out, Some(doc));
                    out.close("xs:attribute");
                }
                None => out.empty("xs:attribute", &attrs),
            }
        }
        // The attribute wildcard comes after the attributes (XSD's attrDecls); a type has
        // one, the first declared.
        if let Some(w) = scope.fields.iter().find_map(|f| match f.kind {
            FieldKind::AnyAttribute(w) => Some(w),
            _ => None,
        }) {
            out.empty(
                "xs:anyAttribute",
                &[
                    ("namespace", w.namespace),
                    ("processContents", w.process_contents.as_str()),
                ],
            );
        }
    }
}

/// The fields of one complex type (or message wrapper) being written, in the schema of `ns`.
struct Scope<'s> {
    ns: &'s str,
    owner: &'s str,
    fields: &'static [FieldDescriptor],
}

/// How a field's element or attribute is declared in its owner.
enum Naming<'f> {
    Name {
        name: &'f str,
        form: Option<&'static str>,
    },
    Ref(String),
}

/// `minOccurs` and `maxOccurs` of a particle, where they differ from 1.
fn occurs(field: &FieldDescriptor) -> (Option<String>, Option<String>) {
    let min = (field.min_occurs != 1).then(|| field.min_occurs.to_string());
    let max = match field.max_occurs {
        MaxOccurs::Bounded(1) => None,
        MaxOccurs::Bounded(n) => Some(n.to_string()),
        MaxOccurs::Unbounded => Some("unbounded".to_owned()),
    };
    (min, max)
}

/// The type of the element a field is written as: the item type for an unwrapped array
/// (a repeated element), else the field's own type.
fn element_type(field: &FieldDescriptor) -> TypeRef {
    match (field.unwrapped, (field.ty)()) {
        (true, TypeRef::Array(item)) => item(),
        (_, ty) => ty,
    }
}

/// The name of the restricted simple type a field's facets need, if any: only simple and
/// enumeration types carry value facets in XSD (facets on arrays apply to their items, which
/// the array type cannot express; they are still enforced on input).
fn restricted_name(owner: &str, field: &FieldDescriptor, ty: TypeRef) -> Option<String> {
    let simple = matches!(ty, TypeRef::Simple(_) | TypeRef::Enum(_));
    (simple && field.constraints.has_value_facets()).then(|| format!("{owner}_{}Type", field.name))
}

fn number(n: Number) -> String {
    n.to_string()
}

fn facets(out: &mut XmlOut, c: &Constraints) {
    if let Some(n) = c.min_len {
        out.empty("xs:minLength", &[("value", &n.to_string())]);
    }
    if let Some(n) = c.max_len {
        out.empty("xs:maxLength", &[("value", &n.to_string())]);
    }
    if let Some(p) = c.pattern {
        out.empty("xs:pattern", &[("value", p.source())]);
    }
    let ranges = [
        ("xs:minInclusive", c.min_inclusive),
        ("xs:maxInclusive", c.max_inclusive),
        ("xs:minExclusive", c.min_exclusive),
        ("xs:maxExclusive", c.max_exclusive),
    ];
    for (tag, bound) in ranges {
        if let Some(b) = bound {
            out.empty(tag, &[("value", &number(b))]);
        }
    }
}

fn documentation(out: &mut XmlOut, doc: Option<&str>) {
    if let Some(doc) = doc {
        out.open("xs:annotation", &[]);
        out.text("xs:documentation", &[], doc);
        out.close("xs:annotation");
    }
}
