//! The model: a service and its methods with everything decided once (operation and message
//! names, the parts of each message with their wire names, body style, headers, faults,
//! blocking or async, where the context goes). The renderers only read it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{LitStr, ReturnType, Type};

use super::parse::{CtxParam, ParsedMethod, ServiceArgs};
use crate::attr::{FieldAttrs, default_crate};
use crate::complex::{FieldSpec, is_vec_like};
use crate::ctxt::Ctxt;

/// Where the methods live, which decides what is registered and how an invoker reaches them.
pub(super) enum Form {
    /// `#[service] impl Type { .. }`: `Type` is registered and its methods are called directly.
    Impl {
        /// The type, as written.
        self_ty: Type,
    },
    /// `#[service] trait Name { .. }`: a contract. The registered value is the concrete
    /// `server` type, which holds any implementation behind the object-safe `erased` twin of
    /// the trait.
    Trait {
        /// The trait.
        ident: syn::Ident,
        /// `<Trait>Service`.
        server: syn::Ident,
        /// `__<Trait>Dyn`: the trait with boxed futures, implemented for every implementor.
        erased: syn::Ident,
    },
}

impl Form {
    /// The type whose value is registered with the application (and which every invoker
    /// downcasts the service instance to).
    pub(super) fn registered(&self) -> TokenStream {
        match self {
            Form::Impl { self_ty } => quote!(#self_ty),
            Form::Trait { server, .. } => quote!(#server),
        }
    }

    /// The registered type's name, for messages.
    pub(super) fn registered_name(&self, rust_name: &str) -> String {
        match self {
            Form::Impl { .. } => rust_name.to_owned(),
            Form::Trait { server, .. } => server.to_string(),
        }
    }
}

/// A service, resolved.
pub(super) struct Service {
    /// The path of rpclib-core.
    pub(super) krate: syn::Path,
    pub(super) form: Form,
    /// The Rust name of the type (or trait) the service is declared on.
    pub(super) rust_name: String,
    /// The service name on the wire.
    pub(super) name: String,
    pub(super) namespace: Option<String>,
    /// The typed client's name.
    pub(super) client: syn::Ident,
    /// The visibility of the generated public types (the client, the server wrapper).
    pub(super) vis: syn::Visibility,
    pub(super) doc: Option<String>,
    pub(super) in_headers: Vec<Type>,
    pub(super) out_headers: Vec<Type>,
    pub(super) methods: Vec<Method>,
}

/// A request or response message: a hidden struct, one field per part.
pub(super) struct Message {
    /// The Rust name of the hidden struct.
    pub(super) ident: syn::Ident,
    /// The body element's name.
    pub(super) element: String,
    /// The parts, with their final wire names (a bare message's one part is named after the
    /// element).
    pub(super) fields: Vec<FieldSpec>,
    /// A newtype whose value is the body element itself, rather than a wrapper.
    pub(super) bare: bool,
}

/// A remote method, resolved.
pub(super) struct Method {
    /// The Rust method's name (also the descriptor's `name`).
    pub(super) ident: syn::Ident,
    /// Position in the service descriptor's method list.
    pub(super) index: usize,
    pub(super) operation: String,
    /// An `async fn`: its invoker returns a boxed future.
    pub(super) is_async: bool,
    /// Takes `&self` (else an associated function).
    pub(super) has_self: bool,
    pub(super) ctx: Option<CtxParam>,
    /// The return type as declared (`()` if none): `Result<T, E>`, a value or a tuple.
    pub(super) ret: Type,
    /// Returns `Result<T, E>`, whose error converts into a `Fault`.
    pub(super) is_result: bool,
    /// Declared `body = "bare"`.
    pub(super) bare: bool,
    /// Declared `safe` (HTTP `GET` allowed).
    pub(super) safe: bool,
    /// The parameters, in order (the context left out).
    pub(super) input: Message,
    /// The results: none, one, or one per element of a returned tuple.
    pub(super) output: Message,
    pub(super) faults: Vec<Type>,
    pub(super) in_headers: Option<Vec<Type>>,
    pub(super) out_headers: Option<Vec<Type>>,
    pub(super) doc: Option<String>,
    /// The hidden invoker function.
    pub(super) invoke: syn::Ident,
    /// The hidden function taking the typed result out of a response message (client side).
    pub(super) extract: syn::Ident,
}

impl Method {
    /// The result types, in order.
    pub(super) fn result_types(&self) -> impl Iterator<Item = &Type> {
        self.output.fields.iter().map(|f| &f.ty)
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

/// The service-level decisions, before the methods are added.
pub(super) fn service(
    args: ServiceArgs,
    form: Form,
    vis: syn::Visibility,
    rust_name: String,
    doc: Option<String>,
) -> Service {
    Service {
        vis,
        krate: args.krate.unwrap_or_else(default_crate),
        form,
        name: args
            .name
            .as_ref()
            .map(LitStr::value)
            .unwrap_or_else(|| rust_name.clone()),
        namespace: args.namespace.as_ref().map(LitStr::value),
        client: args
            .client
            .unwrap_or_else(|| format_ident!("{}Client", rust_name)),
        rust_name,
        doc,
        in_headers: args.in_headers,
        out_headers: args.out_headers,
        methods: Vec::new(),
    }
}

/// Resolves one parsed method: names every message and part, and checks what the signature
/// and the `#[rpc]` arguments say together.
pub(super) fn method(cx: &Ctxt, index: usize, parsed: ParsedMethod) -> Method {
    let ParsedMethod {
        ident,
        asyncness,
        has_self,
        ctx,
        params,
        output,
        inputs,
        args,
        doc,
    } = parsed;
    let ret: Type = match &output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    if let Type::ImplTrait(t) = &ret {
        cx.error(
            t,
            "a remote method returns a value, or a `Result` of one: declare an `async fn` \
             (implementations of a contract may then return `impl Future<Output = ..> + Send`)",
        );
    }
    let (is_result, inner) = match &output {
        ReturnType::Default => (false, syn::parse_quote!(())),
        ReturnType::Type(_, ty) => result_inner(ty),
    };
    let returns = classify(&inner);
    if let Some(span) = args.unwrapped_result {
        let ok = matches!(&returns, Returns::One(t) if is_vec_like(t));
        if !ok {
            cx.push(syn::Error::new(
                span,
                "`unwrapped_result` needs a method returning one `Vec<T>`",
            ));
        }
    }
    if args.bare && params.len() > 1 {
        cx.error(&inputs, "a `bare` method takes at most one parameter");
    }
    if args.bare && matches!(returns, Returns::Many(_)) {
        cx.error(&output, "a `bare` method returns at most one value");
    }
    if let (Some(names), Returns::Many(tys)) = (&args.results, &returns)
        && names.len() != tys.len()
    {
        cx.error(
            &output,
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
            &output,
            "the method returns one value: name it with `result = \"...\"`",
        );
    }

    let fn_name = ident.to_string();
    let operation = args
        .operation
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| fn_name.clone());
    let in_name = args
        .in_message
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| operation.clone());
    let out_name = args
        .out_message
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| format!("{fn_name}Response"));

    let bare_in = args.bare && params.len() == 1;
    let in_fields = params
        .into_iter()
        .map(|p| FieldSpec {
            wire_name: if bare_in {
                in_name.clone()
            } else {
                p.wire_name
            },
            attrs: value_attrs(&p.attrs),
            ..p
        })
        .collect();

    let result_tys: Vec<Type> = match returns {
        Returns::Unit => Vec::new(),
        Returns::One(t) => vec![t],
        Returns::Many(ts) => ts,
    };
    let bare_out = args.bare && result_tys.len() == 1;
    let result_names: Vec<String> = match &args.results {
        Some(names) => names.iter().map(LitStr::value).collect(),
        None if result_tys.len() == 1 => vec![format!("{fn_name}Result")],
        None => (0..result_tys.len())
            .map(|i| format!("{fn_name}Result{i}"))
            .collect(),
    };
    let out_fields = result_tys
        .into_iter()
        .zip(result_names)
        .enumerate()
        .map(|(i, (ty, name))| FieldSpec {
            ident: format_ident!("r{}", i),
            ty,
            wire_name: if bare_out { out_name.clone() } else { name },
            attrs: FieldAttrs {
                unwrapped: args.unwrapped_result,
                ..FieldAttrs::default()
            },
            doc: None,
        })
        .collect();

    Method {
        index,
        operation,
        is_async: asyncness.is_some(),
        has_self,
        ctx,
        ret,
        is_result,
        bare: args.bare,
        safe: args.safe,
        input: Message {
            ident: format_ident!("__{}_In", fn_name),
            element: in_name,
            fields: in_fields,
            bare: bare_in,
        },
        output: Message {
            ident: format_ident!("__{}_Out", fn_name),
            element: out_name,
            fields: out_fields,
            bare: bare_out,
        },
        faults: args.faults,
        in_headers: args.in_headers,
        out_headers: args.out_headers,
        doc,
        invoke: format_ident!("__{}_invoke", fn_name),
        extract: format_ident!("__{}_extract", fn_name),
        ident,
    }
}

/// Checks what concerns the methods together: at least one, and unique operation names.
pub(super) fn check_methods(cx: &Ctxt, methods: &[Method], empty_span: &dyn quote::ToTokens) {
    if methods.is_empty() {
        cx.error(empty_span, "a service needs at least one `#[rpc]` method");
    }
    let mut seen: Vec<&str> = Vec::new();
    for m in methods {
        if seen.contains(&m.operation.as_str()) {
            cx.error(
                &m.ident,
                format!("operation `{}` is declared twice", m.operation),
            );
        }
        seen.push(&m.operation);
    }
}

/// The attributes of a parameter that apply to its message part (`base` is refused on
/// parameters and not carried over).
fn value_attrs(a: &FieldAttrs) -> FieldAttrs {
    FieldAttrs {
        base: None,
        ..a.clone()
    }
}
