//! The parse stage: `#[service(...)]` and `#[rpc(...)]` arguments, and method signatures, read
//! from syn into plain structs. Nothing is decided here beyond what the syntax says; every
//! error goes to the [`Ctxt`] so that the user sees them all at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::Parse;
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, LitStr, Pat, ReturnType, Signature, Type};

use crate::attr::{FieldAttrs, doc_of};
use crate::complex::{FieldSpec, check_field};
use crate::ctxt::Ctxt;

/// `#[service(...)]` arguments.
#[derive(Default)]
pub(super) struct ServiceArgs {
    pub(super) name: Option<LitStr>,
    pub(super) namespace: Option<LitStr>,
    pub(super) client: Option<syn::Ident>,
    pub(super) krate: Option<syn::Path>,
    pub(super) in_headers: Vec<Type>,
    pub(super) out_headers: Vec<Type>,
}

fn parse_types(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Vec<Type>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Type::parse, syn::Token![,])?;
    Ok(list.into_iter().collect())
}

impl ServiceArgs {
    pub(super) fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut out = ServiceArgs::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("namespace") {
                out.namespace = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("client") {
                let s: LitStr = meta.value()?.parse()?;
                out.client = Some(s.parse()?);
            } else if meta.path.is_ident("crate") {
                let s: LitStr = meta.value()?.parse()?;
                out.krate = Some(s.parse()?);
            } else if meta.path.is_ident("in_headers") {
                out.in_headers = parse_types(&meta)?;
            } else if meta.path.is_ident("out_headers") {
                out.out_headers = parse_types(&meta)?;
            } else {
                return Err(meta.error(
                    "unknown service attribute; expected `name`, `namespace`, `client`, \
                     `in_headers`, `out_headers` or `crate`",
                ));
            }
            Ok(())
        });
        if let Err(e) = syn::parse::Parser::parse2(parser, args) {
            cx.push(e);
        }
        out
    }
}

/// `#[rpc(...)]` arguments.
#[derive(Default)]
pub(super) struct RpcArgs {
    pub(super) operation: Option<LitStr>,
    pub(super) in_message: Option<LitStr>,
    pub(super) out_message: Option<LitStr>,
    pub(super) results: Option<Vec<LitStr>>,
    pub(super) bare: bool,
    /// `safe`: the method may be called with HTTP `GET` (`MethodDescriptor::safe`).
    pub(super) safe: bool,
    pub(super) unwrapped_result: Option<Span>,
    pub(super) faults: Vec<Type>,
    pub(super) in_headers: Option<Vec<Type>>,
    pub(super) out_headers: Option<Vec<Type>>,
}

impl RpcArgs {
    fn parse(cx: &Ctxt, attr: &Attribute) -> Self {
        let mut out = RpcArgs::default();
        if matches!(attr.meta, syn::Meta::Path(_)) {
            return out;
        }
        let result = attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("operation") {
                out.operation = Some(meta.value()?.parse()?);
            } else if p.is_ident("in_message") {
                out.in_message = Some(meta.value()?.parse()?);
            } else if p.is_ident("out_message") {
                out.out_message = Some(meta.value()?.parse()?);
            } else if p.is_ident("result") {
                out.results = Some(vec![meta.value()?.parse()?]);
            } else if p.is_ident("results") {
                let content;
                syn::parenthesized!(content in meta.input);
                let list = content.parse_terminated(<LitStr as Parse>::parse, syn::Token![,])?;
                out.results = Some(list.into_iter().collect());
            } else if p.is_ident("body") {
                let s: LitStr = meta.value()?.parse()?;
                match s.value().as_str() {
                    "bare" => out.bare = true,
                    "wrapped" => out.bare = false,
                    _ => {
                        return Err(syn::Error::new_spanned(
                            s,
                            "expected \"wrapped\" or \"bare\"",
                        ));
                    }
                }
            } else if p.is_ident("safe") {
                out.safe = true;
            } else if p.is_ident("unwrapped_result") {
                out.unwrapped_result = Some(p.span());
            } else if p.is_ident("faults") {
                out.faults = parse_types(&meta)?;
            } else if p.is_ident("in_headers") {
                out.in_headers = Some(parse_types(&meta)?);
            } else if p.is_ident("out_headers") {
                out.out_headers = Some(parse_types(&meta)?);
            } else {
                return Err(meta.error(
                    "unknown rpc attribute; expected one of `operation`, `in_message`, \
                     `out_message`, `result`, `results`, `unwrapped_result`, `body`, `faults`, \
                     `in_headers`, `out_headers`, `safe`",
                ));
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
        out
    }

    /// Removes the `#[rpc(...)]` attribute from `attrs` and parses it; `None` if there is none
    /// (the item is not a remote method).
    pub(super) fn take(cx: &Ctxt, attrs: &mut Vec<Attribute>) -> Option<Self> {
        let pos = attrs.iter().position(|a| a.path().is_ident("rpc"))?;
        let attr = attrs.remove(pos);
        Some(RpcArgs::parse(cx, &attr))
    }
}

/// The `MethodContext` parameter of a method, if it takes one.
#[derive(Clone, Copy)]
pub(super) struct CtxParam {
    /// Position among the non-`self` arguments.
    pub(super) position: usize,
    /// `&mut MethodContext` (else `&MethodContext`).
    pub(super) mutable: bool,
}

/// A method signature, as written.
pub(super) struct ParsedMethod {
    pub(super) ident: syn::Ident,
    /// `async fn`.
    pub(super) asyncness: Option<syn::Token![async]>,
    /// Takes `self` in some form (the receiver's form was checked here).
    pub(super) has_self: bool,
    pub(super) ctx: Option<CtxParam>,
    /// The message parameters, named as written, in order.
    pub(super) params: Vec<FieldSpec>,
    /// The declared return type.
    pub(super) output: ReturnType,
    /// The whole parameter list, to point errors at.
    pub(super) inputs: TokenStream,
    pub(super) args: RpcArgs,
    pub(super) doc: Option<String>,
}

fn is_context(ty: &Type) -> Option<bool> {
    match ty {
        Type::Reference(r) => match &*r.elem {
            Type::Path(p)
                if p.path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "MethodContext") =>
            {
                Some(r.mutability.is_some())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Reads a remote method's signature; strips the `#[model]` attributes of its parameters (they
/// are not Rust attributes). Errors for what no form of service accepts.
pub(super) fn parse_method(
    cx: &Ctxt,
    krate: &syn::Path,
    sig: &mut Signature,
    attrs: &[Attribute],
    args: RpcArgs,
) -> ParsedMethod {
    if !sig.generics.params.is_empty() {
        cx.error(
            &sig.generics,
            "remote methods cannot be generic: each parameter and result is a message part \
             of one fixed type; use concrete types",
        );
    }
    let mut has_self = false;
    let mut ctx = None;
    let mut params = Vec::new();
    let mut position = 0;
    for input in sig.inputs.iter_mut() {
        match input {
            FnArg::Receiver(r) => {
                if r.reference.is_none() || r.mutability.is_some() {
                    cx.error(
                        &*r,
                        "remote methods take `&self` (the service is shared between requests)",
                    );
                }
                has_self = true;
            }
            FnArg::Typed(pt) => {
                let attrs = FieldAttrs::parse(cx, krate, &pt.attrs);
                pt.attrs.retain(|a| !a.path().is_ident("model"));
                if let Some(mutable) = is_context(&pt.ty) {
                    if ctx.is_some() {
                        cx.error(&pt.ty, "only one `MethodContext` parameter is allowed");
                    }
                    ctx = Some(CtxParam { position, mutable });
                    position += 1;
                    continue;
                }
                position += 1;
                let Pat::Ident(pi) = &*pt.pat else {
                    cx.error(
                        &pt.pat,
                        "parameters of remote methods must be plain names (they become element names)",
                    );
                    continue;
                };
                if attrs.base.is_some() {
                    cx.error(&pt.pat, "`base` applies to struct fields only");
                }
                if attrs.attribute.is_some() || attrs.text.is_some() {
                    cx.error(
                        &pt.pat,
                        "`attribute` and `text` apply to struct fields only (a parameter is an \
                         element of the message)",
                    );
                }
                let wire_name =
                    attrs.name.as_ref().map(|n| n.value()).unwrap_or_else(|| {
                        pi.ident.to_string().trim_start_matches("r#").to_owned()
                    });
                let spec = FieldSpec {
                    // A raw identifier (`r#type`) stays raw: the name without `r#` is only
                    // the XML name.
                    ident: pi.ident.clone(),
                    ty: (*pt.ty).clone(),
                    wire_name,
                    attrs,
                    doc: None,
                };
                check_field(cx, &spec);
                params.push(spec);
            }
        }
    }
    ParsedMethod {
        ident: sig.ident.clone(),
        asyncness: sig.asyncness,
        has_self,
        ctx,
        params,
        output: sig.output.clone(),
        inputs: sig.inputs.to_token_stream(),
        args,
        doc: doc_of(attrs),
    }
}
