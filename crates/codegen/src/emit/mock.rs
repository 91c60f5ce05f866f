//! The `mock` module of generated code: a `Sample` trait with an impl per generated type
//! (see `sample.rs` for the rules), `Mock`, which implements every service trait by answering
//! the sample of each operation's result, `app()`, the application serving them all (SOAP 1.1
//! and 1.2 on one endpoint, WSDL 1.1), and `ENDPOINTS`, the paths a mock binary announces.

use proc_macro2::TokenStream;
use quote::quote;

use super::services::ServicePlan;
use super::types::Item;

/// The endpoint path of a planned service: the path of its first `soap:address`, else
/// `/<binding name>` (ONVIF-style WSDLs have bindings and no service).
pub(crate) fn endpoint_path(s: &ServicePlan) -> String {
    let from_address = s.addresses.first().map(|a| {
        let rest = a.split_once("://").map_or(a.as_str(), |(_, r)| r);
        let path = rest.find('/').map_or("/", |i| &rest[i..]);
        path.split(['?', '#']).next().unwrap_or("/").to_string()
    });
    from_address.unwrap_or_else(|| format!("/{}", s.binding))
}

/// The module; `mocks` holds, per service, its `impl .. for Mock` and its registration.
pub(crate) fn module(
    items: &[Item],
    services: &[&ServicePlan],
    mocks: &[(TokenStream, TokenStream)],
) -> TokenStream {
    let impls = super::sample::impls(items);
    let (name, ns) = services
        .first()
        .map(|s| (s.service_name.clone(), s.namespace.clone()))
        .unwrap_or_else(|| ("Mock".into(), "urn:mock".into()));
    let mut paths: Vec<String> = services.iter().map(|s| endpoint_path(s)).collect();
    paths.sort();
    paths.dedup();
    let impl_blocks = mocks.iter().map(|(i, _)| i);
    let registers = mocks.iter().map(|(_, r)| r);
    quote! {
        /// A mock of every service: deterministic, schema-valid sample answers.
        ///
        /// Required elements are present, optional ones absent, lists hold `minOccurs` items;
        /// enumerations take their first value; strings and numbers respect the length and
        /// range facets (`xs:pattern` is not honoured).
        pub mod mock {
            /// A deterministic sample value of a generated type.
            pub trait Sample: Sized {
                /// The sample.
                fn sample() -> Self;
            }

            #impls

            /// Implements every service trait with sample answers.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Mock;

            #(#impl_blocks)*

            /// The endpoint paths of the WSDL (`soap:address` paths, or `/<binding name>`);
            /// the application answers on any path, so each of them works.
            pub const ENDPOINTS: &[&str] = &[#(#paths),*];

            /// The mock application: every service, SOAP 1.1 and 1.2, WSDL 1.1.
            pub fn app() -> ::std::result::Result<
                ::std::sync::Arc<::rpclib_core::Application>,
                ::rpclib_core::ConfigError,
            > {
                ::rpclib_core::Application::builder(#name, #ns)
                    #(#registers)*
                    .protocol(::rpclib_protocol_soap::SoapAny::new())
                    .interface(::rpclib_interface_wsdl::Wsdl11::new())
                    .build()
            }
        }
    }
}
