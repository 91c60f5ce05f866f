//! The server side: the message structs, an invoker per method, the `static` service
//! descriptor and the `Service` impl.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;

use super::model::{Form, Message, Method, Service};
use crate::attr::opt_str;
use crate::complex::{ComplexSpec, field_descriptor, render};

/// Everything the server needs, as items of the hidden `const _: () = { .. }` block (which
/// also holds the client's items; both refer to `__SERVICE`).
pub(super) fn render_server(svc: &Service) -> TokenStream {
    let krate = &svc.krate;
    let messages = svc.methods.iter().map(|m| {
        let input = message_struct(krate, svc.namespace.as_deref(), &m.input);
        let output = message_struct(krate, svc.namespace.as_deref(), &m.output);
        quote!(#input #output)
    });
    let invokers = svc.methods.iter().map(|m| invoker(svc, m));
    let descriptors = svc.methods.iter().map(|m| method_descriptor(svc, m));
    let name = &svc.name;
    let namespace = opt_str(svc.namespace.as_deref());
    let doc = opt_str(svc.doc.as_deref());
    let in_headers = header_list(krate, &svc.in_headers);
    let out_headers = header_list(krate, &svc.out_headers);
    let registered = svc.form.registered();
    quote! {
        #(#messages)*
        #(#invokers)*

        static __SERVICE: #krate::ServiceDescriptor = #krate::ServiceDescriptor {
            name: #name,
            namespace: #namespace,
            methods: &[#(#descriptors),*],
            in_headers: #in_headers,
            out_headers: #out_headers,
            doc: #doc,
        };

        #[automatically_derived]
        impl #krate::Service for #registered {
            fn descriptor() -> &'static #krate::ServiceDescriptor {
                &__SERVICE
            }
        }
    }
}

fn header_list(krate: &syn::Path, types: &[Type]) -> TokenStream {
    quote!(&[#(#krate::HeaderDescriptor::of::<#types>()),*])
}

/// The invoker: downcasts the service and the request message, calls the method, boxes the
/// response message.
fn invoker(svc: &Service, m: &Method) -> TokenStream {
    let krate = &svc.krate;
    let registered = svc.form.registered();
    let rust_name = svc.form.registered_name(&svc.rust_name);
    let operation = &m.operation;
    let invoke = &m.invoke;
    let in_ty = &m.input.ident;
    let out_ty = &m.output.ident;
    let param_idents: Vec<&syn::Ident> = m.input.fields.iter().map(|f| &f.ident).collect();

    let mut call_args: Vec<TokenStream> = param_idents.iter().map(|i| quote!(#i)).collect();
    if let Some(ctx) = m.ctx {
        call_args.insert(ctx.position, quote!(ctx));
    }
    let method_ident = &m.ident;
    // Trait methods all take `&self` (the parser refuses others).
    let uses_service = m.has_self || matches!(svc.form, Form::Trait { .. });
    // An async method's call carries the method's span: a future that is not `Send` is
    // reported there.
    let span = if m.is_async {
        m.ident.span()
    } else {
        Span::call_site()
    };
    let call = match &svc.form {
        Form::Trait { erased, .. } => {
            quote_spanned!(span=> #erased::#method_ident(&*service.inner, #(#call_args),*))
        }
        Form::Impl { .. } if m.has_self => {
            quote_spanned!(span=> service.#method_ident(#(#call_args),*))
        }
        Form::Impl { self_ty } => {
            quote_spanned!(span=> <#self_ty>::#method_ident(#(#call_args),*))
        }
    };
    let unpack_service = if uses_service {
        quote! {
            let service = (service as &dyn #krate::hygiene::Any).downcast_ref::<#registered>().ok_or_else(|| {
                #krate::Fault::server(::core::concat!("no instance of `", #rust_name, "` serves this application"))
            })?;
        }
    } else {
        quote!(let _ = service;)
    };
    let unpack_args = if m.input.bare {
        quote!(let #in_ty(#(#param_idents),*) = args;)
    } else {
        quote!(let #in_ty { #(#param_idents),* } = args;)
    };
    let ctx_binding = if m.ctx.is_some() {
        quote!()
    } else {
        quote!(let _ = ctx;)
    };
    // An async method's future is awaited; the check that it is `Send` carries the method's
    // span, so that a future that is not `Send` is reported at the method.
    let awaited = if m.is_async {
        quote_spanned!(span=> #krate::method_future_must_be_send(#call).await)
    } else {
        call
    };
    let ret = if m.is_result {
        quote!(let ret = #awaited.map_err(::core::convert::Into::<#krate::Fault>::into)?;)
    } else {
        quote!(let ret = #awaited;)
    };
    let pack = match (m.output.fields.len(), m.output.bare) {
        (0, _) => quote!({ let _: () = ret; #out_ty {} }),
        (1, true) => quote!(#out_ty(ret)),
        (1, false) => quote!(#out_ty { r0: ret }),
        (n, _) => {
            let names: Vec<syn::Ident> = (0..n).map(|i| format_ident!("r{}", i)).collect();
            quote!({ let (#(#names),*) = ret; #out_ty { #(#names),* } })
        }
    };
    let any_box = quote!(#krate::hygiene::Box<dyn #krate::hygiene::Any + ::core::marker::Send>);
    let body = quote! {
        #unpack_service
        let args = #krate::downcast_boxed::<#in_ty>(args).ok_or_else(|| {
            #krate::Fault::server(::core::concat!("wrong arguments for `", #operation, "`"))
        })?;
        #unpack_args
        #ctx_binding
        #ret
        #krate::hygiene::Ok::<#any_box, #krate::Fault>(#krate::hygiene::Box::new(#pack))
    };
    if m.is_async {
        quote! {
            fn #invoke<'a>(
                service: &'a (dyn #krate::hygiene::Any + ::core::marker::Send + ::core::marker::Sync),
                ctx: &'a mut #krate::MethodContext,
                args: #any_box,
            ) -> #krate::BoxFuture<'a, #krate::hygiene::Result<#any_box, #krate::Fault>> {
                #krate::hygiene::Box::pin(async move { #body })
            }
        }
    } else {
        quote! {
            fn #invoke(
                service: &(dyn #krate::hygiene::Any + ::core::marker::Send + ::core::marker::Sync),
                ctx: &mut #krate::MethodContext,
                args: #any_box,
            ) -> #krate::hygiene::Result<#any_box, #krate::Fault> {
                #body
            }
        }
    }
}

/// The method's entry in the service descriptor.
fn method_descriptor(svc: &Service, m: &Method) -> TokenStream {
    let krate = &svc.krate;
    let namespace = opt_str(svc.namespace.as_deref());
    let fn_name = m.ident.to_string();
    let operation = &m.operation;
    let invoke = &m.invoke;
    let invoke = if m.is_async {
        quote!(#krate::Invoke::Async(#invoke))
    } else {
        quote!(#krate::Invoke::Blocking(#invoke))
    };
    let message = |msg: &Message| {
        let ty = &msg.ident;
        let element = &msg.element;
        let type_static = format_ident!("__{}_TYPE", ty);
        quote! {
            #krate::MessageDescriptor {
                name: #element,
                namespace: #namespace,
                ty: &#type_static,
                deserialize: #krate::deserialize_boxed::<#ty>,
                serialize: #krate::serialize_boxed::<#ty>,
                validate: #krate::validate_boxed::<#ty>,
            }
        }
    };
    let input = message(&m.input);
    let output = message(&m.output);
    let body_style = if m.bare {
        quote!(#krate::BodyStyle::Bare)
    } else {
        quote!(#krate::BodyStyle::Wrapped)
    };
    let headers = |h: &Option<Vec<Type>>| match h {
        Some(h) => {
            let list = header_list(krate, h);
            quote!(#krate::hygiene::Some(#list))
        }
        None => quote!(#krate::hygiene::None),
    };
    let in_headers = headers(&m.in_headers);
    let out_headers = headers(&m.out_headers);
    let faults = &m.faults;
    let doc = opt_str(m.doc.as_deref());
    let safe = m.safe;
    quote! {
        #krate::MethodDescriptor {
            name: #fn_name,
            operation: #operation,
            body_style: #body_style,
            input: #input,
            output: #output,
            in_headers: #in_headers,
            out_headers: #out_headers,
            faults: &[#(#krate::FaultDescriptor::of::<#faults>()),*],
            doc: #doc,
            safe: #safe,
            invoke: #invoke,
        }
    }
}

/// A hidden message struct: wrapped messages are complex types with one field per part; a bare
/// message is a newtype whose value is the body element itself.
fn message_struct(krate: &syn::Path, namespace: Option<&str>, msg: &Message) -> TokenStream {
    let ident = &msg.ident;
    let element = &msg.element;
    let namespace_tokens = opt_str(namespace);
    let declaration = {
        let idents = msg.fields.iter().map(|f| &f.ident);
        let tys = msg.fields.iter().map(|f| &f.ty);
        if msg.bare {
            quote!(struct #ident(#(#tys),*);)
        } else {
            quote!(struct #ident { #(#idents: #tys),* })
        }
    };
    let spec = ComplexSpec {
        krate,
        self_ty: quote!(#ident),
        prefix: ident.to_string(),
        name: element.clone(),
        namespace: namespace.map(str::to_owned),
        base: None,
        fields: msg.fields.clone(),
        doc: None,
    };
    if !msg.bare {
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
    let descriptor = field_descriptor(krate, &namespace_tokens, None, field);
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
