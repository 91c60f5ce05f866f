//! The `mock` module of generated code: a `Sample` trait with an impl per generated type
//! (see `sample.rs` for the rules), `Mock`, which implements every service trait by answering
//! the sample of each operation's result, `app()` (every service in one application),
//! `app_at(path)` (the services a path serves), `endpoints()` (every path mounted, for
//! transport-http's server) and `ENDPOINTS`, the paths a mock binary announces; and the
//! sample round trip (`write_samples`, `read_samples`: see `sample.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::services::ServicePlan;
use super::types::Item;

/// The path of a `soap:address` location: what follows the authority, without query or
/// fragment; `/` when there is none. A location without `://` is read as a path (or
/// a name: `REPLACE_WITH_ACTUAL_URL` becomes `/REPLACE_WITH_ACTUAL_URL`). Characters a
/// request path cannot carry raw (space, control, non-ASCII) are percent-encoded, so every
/// path can be mounted.
pub(crate) fn address_path(location: &str) -> String {
    let rest = location
        .split_once("://")
        .map_or(location, |(_, r)| r.find('/').map_or("", |i| &r[i..]));
    let raw = rest.split(['?', '#']).next().unwrap_or("");
    let mut path = String::from("/");
    for b in raw.trim_start_matches('/').bytes() {
        if b.is_ascii_graphic() {
            path.push(char::from(b));
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

/// The module; `mocks` holds, per service, its `impl .. for Mock` and its registration.
pub(crate) fn module(
    items: &[Item],
    services: &[&ServicePlan],
    mocks: &[(TokenStream, TokenStream)],
    elements: &[(crate::ir::QName, usize)],
) -> TokenStream {
    let impls = super::sample::impls(items, elements);
    let round_trip = super::sample::round_trip(items, elements);
    let (name, ns) = services
        .first()
        .map(|s| (s.service_name.clone(), s.namespace.clone()))
        .unwrap_or_else(|| ("Mock".into(), "urn:mock".into()));
    // A shadowed trait's requests are routed to the trait that takes the same element first:
    // serving both would be refused (one request element, two methods).
    let served: Vec<usize> = (0..services.len())
        .filter(|&i| !services[i].shadowed)
        .collect();
    let mut paths: Vec<&str> = served
        .iter()
        .flat_map(|&i| services[i].paths.iter().map(String::as_str))
        .collect();
    paths.sort();
    paths.dedup();
    // Per path, the services served there; the application is named after the first.
    let arms = paths.iter().map(|p| {
        let at: Vec<usize> = served
            .iter()
            .copied()
            .filter(|&i| services[i].paths.iter().any(|q| q == p))
            .collect();
        let first = services[at[0]];
        let (n, ns) = (&first.service_name, &first.namespace);
        let regs = at.iter().map(|&i| &mocks[i].1);
        quote!(#p => ::rpclib_core::Application::builder(#n, #ns) #(#regs)*,)
    });
    let impl_blocks = mocks.iter().map(|(i, _)| i);
    let registers = served.iter().map(|&i| &mocks[i].1);
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

            #round_trip

            /// Implements every service trait with sample answers.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Mock;

            #(#impl_blocks)*

            /// The endpoint paths of the WSDL, sorted: each port's `soap:address` path, or
            /// `/<binding name>` for a binding no port names.
            pub const ENDPOINTS: &[&str] = &[#(#paths),*];

            /// The mock application with every service, SOAP 1.1 and 1.2, WSDL 1.1 (for
            /// in-process tests; a server mounts [`app_at`] per path).
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

            /// The application serving `path` (one of [`ENDPOINTS`]): the services whose
            /// ports are there, SOAP 1.1 and 1.2, WSDL 1.1. An unknown path has no service.
            pub fn app_at(path: &str) -> ::std::result::Result<
                ::std::sync::Arc<::rpclib_core::Application>,
                ::rpclib_core::ConfigError,
            > {
                let builder = match path {
                    #(#arms)*
                    _ => ::rpclib_core::Application::builder(#name, #ns),
                };
                builder
                    .protocol(::rpclib_protocol_soap::SoapAny::new())
                    .interface(::rpclib_interface_wsdl::Wsdl11::new())
                    .build()
            }

            /// Every path of [`ENDPOINTS`] mounted with its [`app_at`] application; any other
            /// path answers 404.
            pub fn endpoints() -> ::std::result::Result<
                ::rpclib_transport_http::Endpoints,
                ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>,
            > {
                let mut endpoints = ::rpclib_transport_http::Endpoints::new();
                for path in ENDPOINTS {
                    let service = ::rpclib_transport_http::RpcService::new(app_at(path)?);
                    endpoints = endpoints.mount(*path, service)?;
                }
                ::std::result::Result::Ok(endpoints)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::address_path;

    #[test]
    fn address_paths() {
        for (location, path) in [
            ("http://h:80/ws/services/LoginCms", "/ws/services/LoginCms"),
            ("http://www.example.com/v1?x=1#f", "/v1"),
            ("https://example.com", "/"),
            ("http://example.com/", "/"),
            ("REPLACE_WITH_ACTUAL_URL", "/REPLACE_WITH_ACTUAL_URL"),
            ("http://h/a b/\u{e9}", "/a%20b/%C3%A9"),
            ("", "/"),
        ] {
            assert_eq!(address_path(location), path, "{location}");
        }
    }
}
