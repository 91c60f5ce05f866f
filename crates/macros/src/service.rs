//! `#[service]`: an `impl` block of plain functions becomes a service, with descriptors, an
//! invoker per method, and a typed client.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{FnArg, ImplItem, ImplItemFn, ItemImpl, LitStr, Pat, ReturnType, Type};

use crate::attr::{FieldAttrs, default_crate, doc_of, opt_str};
use crate::complex::{ComplexSpec, FieldSpec, check_field, render};
use crate::ctxt::Ctxt;

/// `#[service(...)]` arguments.
#[derive(Default)]
struct ServiceArgs {
    name: Option<LitStr>,
    namespace: Option<LitStr>,
    client: Option<syn::Ident>,
    krate: Option<syn::Path>,
    in_headers: Vec<Type>,
    out_headers: Vec<Type>,
}

fn parse_types(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Vec<Type>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Type::parse, syn::Token![,])?;
    Ok(list.into_iter().collect())
}

use syn::parse::Parse;

impl ServiceArgs {
    fn parse(cx: &Ctxt, args: TokenStream) -> Self {
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
struct RpcArgs {
    operation: Option<LitStr>,
    in_message: Option<LitStr>,
    out_message: Option<LitStr>,
    results: Option<Vec<LitStr>>,
    bare: bool,
    unwrapped_result: Option<proc_macro2::Span>,
    faults: Vec<Type>,
    in_headers: Option<Vec<Type>>,
    out_headers: Option<Vec<Type>>,
}

impl RpcArgs {
    fn parse(cx: &Ctxt, attr: &syn::Attribute) -> Self {
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
                     `in_headers`, `out_headers`",
                ));
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
        out
    }
}

/// What a method returns, as the macro sees it.
enum Returns {
    /// Nothing.
    Unit,
    /// One value.
    One(Type),
    /// Several values (a tuple).
    Many(Vec<Type>),
}

/// Splits `Result<T, E>` (any path ending in `Result`) into `T`; else the type itself.
fn result_inner(ty: &Type) -> (bool, Type) {
    if let Type::Path(p) = ty
        && let Some(seg) = p.path.segments.last()
        && seg.ident == "Result"
        && let syn::PathArguments::AngleBracketed(args) = &seg.arguments
        && let Some(syn::GenericArgument::Type(t)) = args.args.first()
    {
        return (true, t.clone());
    }
    (false, ty.clone())
}

fn classify(ty: &Type) -> Returns {
    match ty {
        Type::Tuple(t) if t.elems.is_empty() => Returns::Unit,
        Type::Tuple(t) => Returns::Many(t.elems.iter().cloned().collect()),
        Type::Paren(p) => classify(&p.elem),
        other => Returns::One(other.clone()),
    }
}

fn is_context(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "MethodContext"),
            _ => false,
        },
        _ => false,
    }
}

struct Method {
    ident: syn::Ident,
    /// An `async fn`: its invoker returns a boxed future.
    is_async: bool,
    has_self: bool,
    /// Position of the context among the non-self arguments, if taken.
    ctx_position: Option<usize>,
    params: Vec<FieldSpec>,
    is_result: bool,
    returns: Returns,
    args: RpcArgs,
    doc: Option<String>,
}

fn parse_method(cx: &Ctxt, krate: &syn::Path, f: &mut ImplItemFn, args: RpcArgs) -> Option<Method> {
    let sig = &f.sig;
    let is_async = sig.asyncness.is_some();
    if !sig.generics.params.is_empty() {
        cx.error(&sig.generics, "remote methods cannot be generic");
    }
    let mut has_self = false;
    let mut ctx_position = None;
    let mut params = Vec::new();
    let mut position = 0;
    for input in f.sig.inputs.iter_mut() {
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
                if is_context(&pt.ty) {
                    if ctx_position.is_some() {
                        cx.error(&pt.ty, "only one `MethodContext` parameter is allowed");
                    }
                    ctx_position = Some(position);
                    position += 1;
                    continue;
                }
                position += 1;
                let Pat::Ident(pi) = &*pt.pat else {
                    cx.error(&pt.pat, "parameters of remote methods must be plain names (they become element names)");
                    continue;
                };
                if attrs.base.is_some() {
                    cx.error(&pt.pat, "`base` applies to struct fields only");
                }
                let wire_name =
                    attrs.name.as_ref().map(|n| n.value()).unwrap_or_else(|| {
                        pi.ident.to_string().trim_start_matches("r#").to_owned()
                    });
                let spec = FieldSpec {
                    ident: format_ident!("{}", pi.ident.to_string().trim_start_matches("r#")),
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
    let (is_result, inner) = match &f.sig.output {
        ReturnType::Default => (false, syn::parse_quote!(())),
        ReturnType::Type(_, ty) => result_inner(ty),
    };
    let returns = classify(&inner);
    if let Some(span) = args.unwrapped_result {
        let ok = matches!(&returns, Returns::One(t) if crate::complex::is_vec_like(t));
        if !ok {
            cx.push(syn::Error::new(
                span,
                "`unwrapped_result` needs a method returning one `Vec<T>`",
            ));
        }
    }
    if args.bare && params.len() > 1 {
        cx.error(&f.sig.inputs, "a `bare` method takes at most one parameter");
    }
    if args.bare && matches!(returns, Returns::Many(_)) {
        cx.error(&f.sig.output, "a `bare` method returns at most one value");
    }
    if let (Some(names), Returns::Many(tys)) = (&args.results, &returns)
        && names.len() != tys.len()
    {
        cx.error(
            &f.sig.output,
            format!(
                "`results` names {} values but the method returns {}",
                names.len(),
                tys.len()
            ),
        );
    }
    if let (Some(names), Returns::One(_)) = (&args.results, &returns)
        && names.len() != 1
    {
        cx.error(
            &f.sig.output,
            "the method returns one value: name it with `result = \"...\"`",
        );
    }
    Some(Method {
        ident: f.sig.ident.clone(),
        is_async,
        has_self,
        ctx_position,
        params,
        is_result,
        returns,
        args,
        doc: doc_of(&f.attrs),
    })
}

fn header_list(krate: &syn::Path, types: &[Type]) -> TokenStream {
    quote!(&[#(#krate::HeaderDescriptor::of::<#types>()),*])
}

pub(crate) fn expand(args: TokenStream, mut item: ItemImpl) -> TokenStream {
    let cx = Ctxt::new();
    let sargs = ServiceArgs::parse(&cx, args);
    let krate = sargs.krate.clone().unwrap_or_else(default_crate);
    if let Some(t) = &item.trait_ {
        cx.error(
            &t.1,
            "`#[service]` goes on an inherent `impl` block, not a trait impl",
        );
    }
    if !item.generics.params.is_empty() {
        cx.error(&item.generics, "a service type cannot be generic");
    }
    let self_ty = (*item.self_ty).clone();
    let self_name = match &self_ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    let Some(self_name) = self_name else {
        cx.error(&self_ty, "`#[service]` needs a named type");
        return cx.check().err().unwrap_or_default();
    };

    let mut methods = Vec::new();
    for impl_item in item.items.iter_mut() {
        let ImplItem::Fn(f) = impl_item else { continue };
        let Some(pos) = f.attrs.iter().position(|a| a.path().is_ident("rpc")) else {
            continue;
        };
        let attr = f.attrs.remove(pos);
        let rpc = RpcArgs::parse(&cx, &attr);
        if let Some(m) = parse_method(&cx, &krate, f, rpc) {
            methods.push(m);
        }
    }
    if methods.is_empty() {
        cx.error(
            &item.self_ty,
            "a service needs at least one `#[rpc]` method",
        );
    }
    let mut seen = Vec::new();
    for m in &methods {
        let op = m
            .args
            .operation
            .as_ref()
            .map(|o| o.value())
            .unwrap_or_else(|| m.ident.to_string());
        if seen.contains(&op) {
            cx.error(&m.ident, format!("operation `{op}` is declared twice"));
        }
        seen.push(op);
    }
    if let Err(e) = cx.check() {
        return e;
    }

    let service_name = sargs
        .name
        .as_ref()
        .map(|n| n.value())
        .unwrap_or_else(|| self_name.clone());
    let namespace_value = sargs.namespace.as_ref().map(|n| n.value());
    let namespace = opt_str(namespace_value.as_deref());
    let client_ident = sargs
        .client
        .clone()
        .unwrap_or_else(|| format_ident!("{}Client", self_name));
    let service_doc = opt_str(doc_of(&item.attrs).as_deref());

    let mut hidden = Vec::new();
    let mut descriptors = Vec::new();
    let mut client_methods = Vec::new();
    for (index, m) in methods.iter().enumerate() {
        let fn_name = m.ident.to_string();
        let operation = m
            .args
            .operation
            .as_ref()
            .map(|o| o.value())
            .unwrap_or_else(|| fn_name.clone());
        let in_name = m
            .args
            .in_message
            .as_ref()
            .map(|o| o.value())
            .unwrap_or_else(|| operation.clone());
        let out_name = m
            .args
            .out_message
            .as_ref()
            .map(|o| o.value())
            .unwrap_or_else(|| format!("{fn_name}Response"));
        let in_ty = format_ident!("__{}_In", fn_name);
        let out_ty = format_ident!("__{}_Out", fn_name);
        let invoke = format_ident!("__{}_invoke", fn_name);
        let extract = format_ident!("__{}_extract", fn_name);
        let bare_in = m.args.bare && m.params.len() == 1;

        // Result parts.
        let result_tys: Vec<Type> = match &m.returns {
            Returns::Unit => Vec::new(),
            Returns::One(t) => vec![t.clone()],
            Returns::Many(ts) => ts.clone(),
        };
        let bare_out = m.args.bare && result_tys.len() == 1;
        let result_names: Vec<String> = match &m.args.results {
            Some(names) => names.iter().map(LitStr::value).collect(),
            None if result_tys.len() == 1 => vec![format!("{fn_name}Result")],
            None => (0..result_tys.len())
                .map(|i| format!("{fn_name}Result{i}"))
                .collect(),
        };
        let result_fields: Vec<FieldSpec> = result_tys
            .iter()
            .zip(&result_names)
            .enumerate()
            .map(|(i, (ty, name))| FieldSpec {
                ident: format_ident!("r{}", i),
                ty: ty.clone(),
                wire_name: if bare_out {
                    out_name.clone()
                } else {
                    name.clone()
                },
                attrs: FieldAttrs {
                    unwrapped: m.args.unwrapped_result,
                    ..FieldAttrs::default()
                },
                doc: None,
            })
            .collect();

        let param_idents: Vec<&syn::Ident> = m.params.iter().map(|p| &p.ident).collect();
        let param_tys: Vec<&Type> = m.params.iter().map(|p| &p.ty).collect();
        let mut in_fields: Vec<FieldSpec> = Vec::new();
        for p in &m.params {
            in_fields.push(FieldSpec {
                ident: p.ident.clone(),
                ty: p.ty.clone(),
                wire_name: if bare_in {
                    in_name.clone()
                } else {
                    p.wire_name.clone()
                },
                attrs: clone_attrs(&p.attrs),
                doc: None,
            });
        }

        hidden.push(message_struct(
            &krate,
            &in_ty,
            &in_name,
            namespace_value.as_deref(),
            in_fields,
            bare_in,
        ));
        hidden.push(message_struct(
            &krate,
            &out_ty,
            &out_name,
            namespace_value.as_deref(),
            result_fields,
            bare_out,
        ));

        // The invoker.
        let mut call_args: Vec<TokenStream> = param_idents.iter().map(|i| quote!(#i)).collect();
        if let Some(pos) = m.ctx_position {
            call_args.insert(pos, quote!(ctx));
        }
        let method_ident = &m.ident;
        let call = if m.has_self {
            quote!(service.#method_ident(#(#call_args),*))
        } else {
            quote!(<#self_ty>::#method_ident(#(#call_args),*))
        };
        let unpack_service = if m.has_self {
            quote! {
                let service = (service as &dyn #krate::hygiene::Any).downcast_ref::<#self_ty>().ok_or_else(|| {
                    #krate::Fault::server(::core::concat!("no instance of `", #self_name, "` serves this application"))
                })?;
            }
        } else {
            quote!(let _ = service;)
        };
        let unpack_args = if bare_in {
            quote!(let #in_ty(#(#param_idents),*) = args;)
        } else {
            quote!(let #in_ty { #(#param_idents),* } = args;)
        };
        let ctx_binding = if m.ctx_position.is_some() {
            quote!()
        } else {
            quote!(let _ = ctx;)
        };
        let awaited = if m.is_async {
            quote!(#call.await)
        } else {
            quote!(#call)
        };
        let ret = if m.is_result {
            quote!(let ret = #awaited.map_err(::core::convert::Into::<#krate::Fault>::into)?;)
        } else {
            quote!(let ret = #awaited;)
        };
        let pack = match (result_tys.len(), bare_out) {
            (0, _) => quote!({ let _: () = ret; #out_ty {} }),
            (1, true) => quote!(#out_ty(ret)),
            (1, false) => quote!(#out_ty { r0: ret }),
            (n, _) => {
                let names: Vec<syn::Ident> = (0..n).map(|i| format_ident!("r{}", i)).collect();
                quote!({ let (#(#names),*) = ret; #out_ty { #(#names),* } })
            }
        };
        let body = quote! {
            #unpack_service
            let args = #krate::downcast_boxed::<#in_ty>(args).ok_or_else(|| {
                #krate::Fault::server(::core::concat!("wrong arguments for `", #operation, "`"))
            })?;
            #unpack_args
            #ctx_binding
            #ret
            #krate::hygiene::Ok::<#krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>, #krate::Fault>(#krate::hygiene::Box::new(#pack))
        };
        if m.is_async {
            hidden.push(quote! {
                fn #invoke<'a>(
                    service: &'a (dyn #krate::hygiene::Any + ::core::marker::Send + ::core::marker::Sync),
                    ctx: &'a mut #krate::MethodContext,
                    args: #krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>,
                ) -> #krate::BoxFuture<'a, #krate::hygiene::Result<#krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>, #krate::Fault>> {
                    #krate::hygiene::Box::pin(async move { #body })
                }
            });
        } else {
            hidden.push(quote! {
                fn #invoke(
                    service: &(dyn #krate::hygiene::Any + ::core::marker::Send + ::core::marker::Sync),
                    ctx: &mut #krate::MethodContext,
                    args: #krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>,
                ) -> #krate::hygiene::Result<#krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>, #krate::Fault> {
                    #body
                }
            });
        }
        let invoke_variant = if m.is_async {
            quote!(#krate::Invoke::Async(#invoke))
        } else {
            quote!(#krate::Invoke::Blocking(#invoke))
        };

        // The client side.
        let client_ret: TokenStream = match result_tys.len() {
            0 => quote!(()),
            1 => {
                let t = &result_tys[0];
                quote!(#t)
            }
            _ => quote!((#(#result_tys),*)),
        };
        let extract_body = match (result_tys.len(), bare_out) {
            (0, _) => quote!({
                let _ = out;
            }),
            (1, true) => quote!(out.0),
            (1, false) => quote!(out.r0),
            (n, _) => {
                let names: Vec<syn::Ident> = (0..n).map(|i| format_ident!("r{}", i)).collect();
                quote!((#(out.#names),*))
            }
        };
        hidden.push(quote! {
            fn #extract(out: #krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>) -> #krate::hygiene::Option<#client_ret> {
                let out = #krate::downcast_boxed::<#out_ty>(out)?;
                #krate::hygiene::Some(#extract_body)
            }
        });
        let pack_args = if bare_in {
            quote!(#in_ty(#(#param_idents),*))
        } else {
            quote!(#in_ty { #(#param_idents),* })
        };
        let doc = m.doc.as_deref().unwrap_or("");
        client_methods.push(quote! {
            #[doc = #doc]
            pub fn #method_ident(&self, #(#param_idents: #param_tys),*) -> C::Output<'_, #client_ret> {
                self.caller.call(#krate::Call {
                    method: &__SERVICE.methods[#index],
                    args: #krate::hygiene::Box::new(#pack_args),
                    headers: self.headers.instantiate(),
                    extract: #extract,
                })
            }
        });

        // The descriptor.
        let in_static = format_ident!("__{}_TYPE", in_ty);
        let out_static = format_ident!("__{}_TYPE", out_ty);
        let body_style = if m.args.bare {
            quote!(#krate::BodyStyle::Bare)
        } else {
            quote!(#krate::BodyStyle::Wrapped)
        };
        let in_headers = match &m.args.in_headers {
            Some(h) => {
                let list = header_list(&krate, h);
                quote!(#krate::hygiene::Some(#list))
            }
            None => quote!(#krate::hygiene::None),
        };
        let out_headers = match &m.args.out_headers {
            Some(h) => {
                let list = header_list(&krate, h);
                quote!(#krate::hygiene::Some(#list))
            }
            None => quote!(#krate::hygiene::None),
        };
        let faults = &m.args.faults;
        let method_doc = opt_str(m.doc.as_deref());
        descriptors.push(quote! {
            #krate::MethodDescriptor {
                name: #fn_name,
                operation: #operation,
                body_style: #body_style,
                input: #krate::MessageDescriptor {
                    name: #in_name,
                    namespace: #namespace,
                    ty: &#in_static,
                    deserialize: #krate::deserialize_boxed::<#in_ty>,
                    serialize: #krate::serialize_boxed::<#in_ty>,
                    validate: #krate::validate_boxed::<#in_ty>,
                },
                output: #krate::MessageDescriptor {
                    name: #out_name,
                    namespace: #namespace,
                    ty: &#out_static,
                    deserialize: #krate::deserialize_boxed::<#out_ty>,
                    serialize: #krate::serialize_boxed::<#out_ty>,
                    validate: #krate::validate_boxed::<#out_ty>,
                },
                in_headers: #in_headers,
                out_headers: #out_headers,
                faults: &[#(<#faults as #krate::Model>::type_ref),*],
                doc: #method_doc,
                invoke: #invoke_variant,
            }
        });
    }

    let service_in_headers = header_list(&krate, &sargs.in_headers);
    let service_out_headers = header_list(&krate, &sargs.out_headers);
    let client_doc = format!(
        "Typed client of [`{self_name}`], generated by `#[service]`: one method per remote method, over any [`Caller`]({}::Caller).",
        quote!(#krate).to_string().replace(' ', "")
    );
    quote! {
        #item

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct #client_ident<C> {
            caller: C,
            headers: #krate::HeaderSet,
        }

        #[doc(hidden)]
        #[allow(non_upper_case_globals, non_snake_case, non_camel_case_types, clippy::unused_unit)]
        const _: () = {
            #(#hidden)*

            static __SERVICE: #krate::ServiceDescriptor = #krate::ServiceDescriptor {
                name: #service_name,
                namespace: #namespace,
                methods: &[#(#descriptors),*],
                in_headers: #service_in_headers,
                out_headers: #service_out_headers,
                doc: #service_doc,
            };

            #[automatically_derived]
            impl #krate::Service for #self_ty {
                fn descriptor() -> &'static #krate::ServiceDescriptor {
                    &__SERVICE
                }
            }

            impl<C: #krate::Caller> #client_ident<C> {
                /// A client making its calls through `caller`.
                pub fn new(caller: C) -> Self {
                    Self { caller, headers: #krate::HeaderSet::new() }
                }

                /// Sends the header block `header` with every following call (replacing a
                /// header of the same type set before).
                pub fn set_header<H>(&mut self, header: H)
                where
                    H: ::core::any::Any + ::core::marker::Send + ::core::marker::Sync + ::core::clone::Clone,
                {
                    self.headers.set(header);
                }

                /// The header blocks sent with every call.
                pub fn headers_mut(&mut self) -> &mut #krate::HeaderSet {
                    &mut self.headers
                }

                /// The caller.
                pub fn caller(&self) -> &C {
                    &self.caller
                }

                /// The descriptor of the service this client calls.
                pub fn descriptor() -> &'static #krate::ServiceDescriptor {
                    &__SERVICE
                }

                #(#client_methods)*
            }
        };
    }
}

fn clone_attrs(a: &FieldAttrs) -> FieldAttrs {
    FieldAttrs {
        name: a.name.clone(),
        base: None,
        unwrapped: a.unwrapped,
        min_occurs: a.min_occurs,
        max_occurs: a.max_occurs,
        nillable: a.nillable,
        min_len: a.min_len,
        max_len: a.max_len,
        pattern: a.pattern.clone(),
        min_inclusive: a.min_inclusive.clone(),
        max_inclusive: a.max_inclusive.clone(),
        min_exclusive: a.min_exclusive.clone(),
        max_exclusive: a.max_exclusive.clone(),
        min_items: a.min_items,
        max_items: a.max_items,
    }
}

/// A hidden message struct: wrapped messages are complex types with one field per part; a bare
/// message is a newtype whose value is the body element itself.
fn message_struct(
    krate: &syn::Path,
    ident: &syn::Ident,
    element: &str,
    namespace: Option<&str>,
    fields: Vec<FieldSpec>,
    bare: bool,
) -> TokenStream {
    let namespace_tokens = opt_str(namespace);
    let declaration = {
        let idents = fields.iter().map(|f| &f.ident);
        let tys = fields.iter().map(|f| &f.ty);
        if bare {
            quote!(struct #ident(#(#tys),*);)
        } else {
            quote!(struct #ident { #(#idents: #tys),* })
        }
    };
    let spec = ComplexSpec {
        krate,
        self_ty: quote!(#ident),
        prefix: ident.to_string(),
        name: element.to_owned(),
        namespace: namespace.map(str::to_owned),
        base: None,
        fields,
        doc: None,
    };
    if !bare {
        let body = render(&spec);
        return quote! {
            #declaration
            #body
        };
    }
    // Bare: the descriptor still lists the single part, for interfaces.
    let type_static = spec.type_static();
    let field = &spec.fields[0];
    let ty = &field.ty;
    let descriptor = crate::complex::field_descriptor(krate, &namespace_tokens, None, field);
    quote! {
        #declaration

        static #type_static: #krate::model::ComplexType = #krate::model::ComplexType {
            name: #element,
            namespace: #namespace_tokens,
            base: #krate::hygiene::None,
            fields: &[#descriptor],
            doc: #krate::hygiene::None,
        };

        impl #krate::Model for #ident {
            fn type_ref() -> #krate::model::TypeRef {
                <#ty as #krate::Model>::type_ref()
            }

            fn serialize(&self, s: &mut dyn #krate::model::Serializer) -> #krate::hygiene::Result<(), #krate::model::SerError> {
                #krate::Model::serialize(&self.0, s)
            }

            fn deserialize(d: &mut dyn #krate::model::Deserializer) -> #krate::hygiene::Result<Self, #krate::model::DeError> {
                <#ty as #krate::Model>::deserialize(d).map(#ident)
            }

            fn validate(
                &self,
                _constraints: &#krate::model::Constraints,
                path: &mut #krate::model::FieldPath,
            ) -> #krate::hygiene::Result<(), #krate::model::ValidationError> {
                #krate::model::validate_field(&self.0, &#type_static.fields[0], path)
            }
        }
    }
}
