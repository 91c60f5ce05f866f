//! Parsing of `#[model(...)]` attributes on types, fields and parameters.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Lit, LitStr, UnOp};

use crate::ctxt::Ctxt;

/// `#[model(...)]` on a struct or enum.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) name: Option<LitStr>,
    pub(crate) namespace: Option<LitStr>,
    pub(crate) krate: Option<syn::Path>,
    /// `element_form = "qualified" | "unqualified"`: the default form of the fields' elements.
    pub(crate) element_form: Option<Form>,
}

/// `form = "qualified" | "unqualified"`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Qualified,
    Unqualified,
}

fn parse_form(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Form> {
    let s: LitStr = meta.value()?.parse()?;
    match s.value().as_str() {
        "qualified" => Ok(Form::Qualified),
        "unqualified" => Ok(Form::Unqualified),
        _ => Err(syn::Error::new_spanned(
            s,
            "expected \"qualified\" or \"unqualified\"",
        )),
    }
}

impl ContainerAttrs {
    pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = ContainerAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    out.name = Some(meta.value()?.parse()?);
                } else if meta.path.is_ident("namespace") {
                    out.namespace = Some(meta.value()?.parse()?);
                } else if meta.path.is_ident("crate") {
                    let s: LitStr = meta.value()?.parse()?;
                    out.krate = Some(s.parse()?);
                } else if meta.path.is_ident("element_form") {
                    out.element_form = Some(parse_form(&meta)?);
                } else {
                    return Err(meta.error(
                        "unknown type attribute; expected `name`, `namespace`, `element_form` \
                         or `crate`",
                    ));
                }
                Ok(())
            });
            if let Err(e) = result {
                cx.push(e);
            }
        }
        out
    }
}

/// Upper bound given in `max_occurs`.
#[derive(Clone, Copy)]
pub(crate) enum MaxOccursAttr {
    Bounded(u32),
    Unbounded,
}

/// `#[model(...)]` on a field or a method parameter.
#[derive(Default, Clone)]
pub(crate) struct FieldAttrs {
    pub(crate) name: Option<LitStr>,
    pub(crate) base: Option<Span>,
    /// `attribute`: an XML attribute rather than a child element.
    pub(crate) attribute: Option<Span>,
    /// `text`: the element's text content (simpleContent).
    pub(crate) text: Option<Span>,
    /// `form = ".."`: whether the element (or attribute) name is namespace-qualified.
    pub(crate) form: Option<Form>,
    /// `namespace = ".."`: the element (or attribute) is in this namespace.
    pub(crate) namespace: Option<LitStr>,
    pub(crate) unwrapped: Option<Span>,
    /// `any` / `any = "##other"`: an element wildcard (`xs:any`) with this namespace
    /// constraint (`##any` when bare).
    pub(crate) any: Option<LitStr>,
    /// `any_attribute` / `any_attribute = "##other"`: an attribute wildcard
    /// (`xs:anyAttribute`, an `AnyAttributes` field) with this namespace constraint (`##any`
    /// when bare).
    pub(crate) any_attribute: Option<LitStr>,
    /// `process_contents = "strict" | "lax" | "skip"` of a wildcard.
    pub(crate) process_contents: Option<LitStr>,
    pub(crate) min_occurs: Option<u32>,
    pub(crate) max_occurs: Option<MaxOccursAttr>,
    pub(crate) nillable: Option<bool>,
    pub(crate) min_len: Option<usize>,
    pub(crate) max_len: Option<usize>,
    pub(crate) pattern: Option<LitStr>,
    pub(crate) min_inclusive: Option<TokenStream>,
    pub(crate) max_inclusive: Option<TokenStream>,
    pub(crate) min_exclusive: Option<TokenStream>,
    pub(crate) max_exclusive: Option<TokenStream>,
    pub(crate) min_items: Option<usize>,
    pub(crate) max_items: Option<usize>,
    /// `default = ".."`: XSD's `default` value (lexical form).
    pub(crate) default: Option<LitStr>,
    /// `fixed = ".."`: XSD's `fixed` value (lexical form).
    pub(crate) fixed: Option<LitStr>,
}

/// Parses a numeric literal (optionally negated) into `Number` tokens.
fn number(cx: &Ctxt, krate: &syn::Path, expr: &Expr) -> Option<TokenStream> {
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            other => {
                cx.error(other, "expected a numeric literal");
                return None;
            }
        },
        other => {
            cx.error(other, "expected a numeric literal");
            return None;
        }
    };
    let sign = if negative { "-" } else { "" };
    match lit {
        Lit::Int(i) => match format!("{sign}{}", i.base10_digits()).parse::<i128>() {
            Ok(v) => Some(quote!(#krate::model::Number::Int(#v))),
            Err(_) => {
                cx.error(i, "integer bound out of range");
                None
            }
        },
        Lit::Float(f) => match format!("{sign}{}", f.base10_digits()).parse::<f64>() {
            Ok(v) => Some(quote!(#krate::model::Number::Float(#v))),
            Err(_) => {
                cx.error(f, "invalid float bound");
                None
            }
        },
        other => {
            cx.error(other, "expected a numeric literal");
            None
        }
    }
}

impl FieldAttrs {
    pub(crate) fn parse(cx: &Ctxt, krate: &syn::Path, attrs: &[Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
            let result = attr.parse_nested_meta(|meta| {
                let p = &meta.path;
                if p.is_ident("name") {
                    out.name = Some(meta.value()?.parse()?);
                } else if p.is_ident("base") {
                    out.base = Some(p.span());
                } else if p.is_ident("unwrapped") {
                    out.unwrapped = Some(p.span());
                } else if p.is_ident("any") {
                    out.any = Some(if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse()?
                    } else {
                        LitStr::new("##any", p.span())
                    });
                } else if p.is_ident("any_attribute") {
                    out.any_attribute = Some(if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse()?
                    } else {
                        LitStr::new("##any", p.span())
                    });
                } else if p.is_ident("process_contents") {
                    let s: LitStr = meta.value()?.parse()?;
                    if !matches!(s.value().as_str(), "strict" | "lax" | "skip") {
                        return Err(syn::Error::new_spanned(
                            s,
                            "expected \"strict\", \"lax\" or \"skip\"",
                        ));
                    }
                    out.process_contents = Some(s);
                } else if p.is_ident("attribute") {
                    out.attribute = Some(p.span());
                } else if p.is_ident("text") {
                    out.text = Some(p.span());
                } else if p.is_ident("form") {
                    out.form = Some(parse_form(&meta)?);
                } else if p.is_ident("namespace") {
                    out.namespace = Some(meta.value()?.parse()?);
                } else if p.is_ident("min_occurs") {
                    out.min_occurs = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
                } else if p.is_ident("max_occurs") {
                    let v: Lit = meta.value()?.parse()?;
                    out.max_occurs = Some(match v {
                        Lit::Int(i) => MaxOccursAttr::Bounded(i.base10_parse()?),
                        Lit::Str(s) if s.value() == "unbounded" => MaxOccursAttr::Unbounded,
                        other => {
                            return Err(syn::Error::new_spanned(
                                other,
                                "expected an integer or \"unbounded\"",
                            ));
                        }
                    });
                } else if p.is_ident("nillable") {
                    out.nillable = Some(meta.value()?.parse::<syn::LitBool>()?.value);
                } else if p.is_ident("min_len") {
                    out.min_len = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
                } else if p.is_ident("max_len") {
                    out.max_len = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
                } else if p.is_ident("min_items") {
                    out.min_items = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
                } else if p.is_ident("max_items") {
                    out.max_items = Some(meta.value()?.parse::<syn::LitInt>()?.base10_parse()?);
                } else if p.is_ident("pattern") {
                    out.pattern = Some(meta.value()?.parse()?);
                } else if p.is_ident("default") {
                    out.default = Some(meta.value()?.parse()?);
                } else if p.is_ident("fixed") {
                    out.fixed = Some(meta.value()?.parse()?);
                } else if p.is_ident("min_inclusive") {
                    out.min_inclusive = number(cx, krate, &meta.value()?.parse()?);
                } else if p.is_ident("max_inclusive") {
                    out.max_inclusive = number(cx, krate, &meta.value()?.parse()?);
                } else if p.is_ident("min_exclusive") {
                    out.min_exclusive = number(cx, krate, &meta.value()?.parse()?);
                } else if p.is_ident("max_exclusive") {
                    out.max_exclusive = number(cx, krate, &meta.value()?.parse()?);
                } else {
                    return Err(meta.error(
                        "unknown field attribute; expected one of `name`, `base`, `attribute`, \
                         `text`, `form`, `namespace`, `unwrapped`, `any`, `any_attribute`, \
                         `process_contents`, \
                         `min_occurs`, `max_occurs`, `nillable`, `min_len`, `max_len`, \
                         `pattern`, `min_inclusive`, `max_inclusive`, `min_exclusive`, \
                         `max_exclusive`, `min_items`, `max_items`, `default`, `fixed`",
                    ));
                }
                Ok(())
            });
            if let Err(e) = result {
                cx.push(e);
            }
        }
        if let (Some(min), Some(max)) = (out.min_len, out.max_len)
            && min > max
        {
            cx.push(syn::Error::new(
                Span::call_site(),
                "`min_len` is greater than `max_len`",
            ));
        }
        if out.attribute.is_some() && out.text.is_some() {
            cx.push(syn::Error::new(
                Span::call_site(),
                "a field is either an `attribute` or the `text`, not both",
            ));
        }
        if out.any.is_some()
            && (out.attribute.is_some()
                || out.text.is_some()
                || out.form.is_some()
                || out.namespace.is_some()
                || out.name.is_some())
        {
            cx.push(syn::Error::new(
                Span::call_site(),
                "an `any` field (xs:any) stands for elements of any name: `name`, `form`, \
                 `namespace`, `attribute` and `text` do not apply",
            ));
        }
        if out.any_attribute.is_some()
            && (out.attribute.is_some()
                || out.text.is_some()
                || out.any.is_some()
                || out.form.is_some()
                || out.namespace.is_some()
                || out.name.is_some()
                || out.unwrapped.is_some()
                || out.min_occurs.is_some()
                || out.max_occurs.is_some()
                || out.nillable.is_some()
                || out.default.is_some()
                || out.fixed.is_some())
        {
            cx.push(syn::Error::new(
                Span::call_site(),
                "an `any_attribute` field (xs:anyAttribute) stands for attributes of any name: \
                 only `process_contents` applies to it",
            ));
        }
        if out.process_contents.is_some() && out.any.is_none() && out.any_attribute.is_none() {
            cx.push(syn::Error::new(
                Span::call_site(),
                "`process_contents` applies to an `any` or `any_attribute` field only",
            ));
        }
        if out.form.is_some() && out.namespace.is_some() {
            cx.push(syn::Error::new(
                Span::call_site(),
                "`form` and `namespace` exclude each other (`namespace` implies qualified)",
            ));
        }
        if out.text.is_some() && (out.form.is_some() || out.namespace.is_some()) {
            cx.push(syn::Error::new(
                Span::call_site(),
                "the `text` field has no name of its own: `form` and `namespace` do not apply",
            ));
        }
        if out.default.is_some() && out.fixed.is_some() {
            cx.push(syn::Error::new(
                Span::call_site(),
                "`default` and `fixed` exclude each other (XSD allows one value constraint)",
            ));
        }
        if (out.default.is_some() || out.fixed.is_some())
            && (out.text.is_some() || out.any.is_some() || out.unwrapped.is_some())
        {
            cx.push(syn::Error::new(
                Span::call_site(),
                "`default` and `fixed` apply to a single element or an attribute, not to the \
                 `text`, an `any` field or a repeated (`unwrapped`) field",
            ));
        }
        if let (Some(min), Some(MaxOccursAttr::Bounded(max))) = (out.min_occurs, out.max_occurs)
            && min > max
        {
            cx.push(syn::Error::new(
                Span::call_site(),
                "`min_occurs` is greater than `max_occurs`",
            ));
        }
        out
    }

    /// Whether anything other than `base` was given.
    pub(crate) fn has_value_attrs(&self) -> bool {
        self.name.is_some()
            || self.attribute.is_some()
            || self.text.is_some()
            || self.form.is_some()
            || self.namespace.is_some()
            || self.unwrapped.is_some()
            || self.any.is_some()
            || self.any_attribute.is_some()
            || self.process_contents.is_some()
            || self.min_occurs.is_some()
            || self.max_occurs.is_some()
            || self.nillable.is_some()
            || self.min_len.is_some()
            || self.max_len.is_some()
            || self.pattern.is_some()
            || self.min_inclusive.is_some()
            || self.max_inclusive.is_some()
            || self.min_exclusive.is_some()
            || self.max_exclusive.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.default.is_some()
            || self.fixed.is_some()
    }
}

/// The doc comment of an item, joined, for descriptors.
pub(crate) fn doc_of(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n").trim().to_owned())
    }
}

/// `Some("..")` / `None` tokens for an optional string.
pub(crate) fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The default path of the core crate.
pub(crate) fn default_crate() -> syn::Path {
    syn::parse_quote!(::rpclib_core)
}
