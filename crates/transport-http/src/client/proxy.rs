//! [`ProxyConfig`]: whether calls go through an HTTP proxy, from options or from the
//! environment, and the route it gives one endpoint.
//!
//! Matching (`NO_PROXY` rules, credentials in the proxy URL) is hyper-util's proxy
//! [`Matcher`]; this module decides where its inputs come from and refuses proxy URLs the
//! client cannot use instead of ignoring them silently.

use http::Uri;
use http::header::HeaderValue;
use hyper_util::client::proxy::matcher::Matcher;

use super::error::HttpClientError;

/// Whether the client goes through an HTTP proxy.
///
/// The default reads the usual environment variables when the client is made, as curl does:
/// `HTTP_PROXY` for `http://` endpoints, `HTTPS_PROXY` for `https://` ones, `ALL_PROXY` for
/// both when the specific one is unset, and `NO_PROXY` (a comma-separated list of host names,
/// which also match their subdomains, IP addresses or networks such as `10.0.0.0/8`, or `*`)
/// for the hosts reached directly; each also in lower case. Under CGI (`REQUEST_METHOD` set)
/// the upper-case `HTTP_PROXY` is ignored, since a request's `Proxy:` header lands there.
///
/// A proxy URL is `http://[user:password@]host:port` (the scheme may be left out); its
/// credentials go in a `Proxy-Authorization: Basic` header. An `http://` endpoint is reached by
/// sending the request in absolute form to the proxy; an `https://` endpoint through a
/// `CONNECT` tunnel, with TLS to the endpoint inside it.
///
/// ```
/// use rpclib_transport_http::{HttpClientConfig, ProxyConfig};
///
/// let config = HttpClientConfig {
///     proxy: ProxyConfig::url("http://user:secret@proxy.internal:3128")
///         .with_no_proxy("localhost, 127.0.0.1, .corp.example"),
///     ..HttpClientConfig::default()
/// };
/// # let _ = config;
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    from_env: bool,
    http: Option<String>,
    https: Option<String>,
    no_proxy: String,
}

impl Default for ProxyConfig {
    /// [`ProxyConfig::from_env`].
    fn default() -> Self {
        ProxyConfig::from_env()
    }
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Proxy URLs may carry a password.
        f.debug_struct("ProxyConfig")
            .field("from_env", &self.from_env)
            .field("http", &self.http.as_deref().map(redact))
            .field("https", &self.https.as_deref().map(redact))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl ProxyConfig {
    /// The proxies named by the environment variables, read when the client is made (the
    /// default).
    pub fn from_env() -> Self {
        ProxyConfig {
            from_env: true,
            http: None,
            https: None,
            no_proxy: String::new(),
        }
    }

    /// No proxy, whatever the environment says.
    pub fn none() -> Self {
        ProxyConfig {
            from_env: false,
            http: None,
            https: None,
            no_proxy: String::new(),
        }
    }

    /// The proxy at `url` for `http://` and `https://` endpoints alike.
    pub fn url(url: &str) -> Self {
        ProxyConfig::none().with_http(url).with_https(url)
    }

    /// The proxy at `url` for `http://` endpoints (the environment is no longer read).
    pub fn with_http(mut self, url: &str) -> Self {
        self.from_env = false;
        self.http = Some(url.to_owned());
        self
    }

    /// The proxy at `url` for `https://` endpoints (the environment is no longer read).
    pub fn with_https(mut self, url: &str) -> Self {
        self.from_env = false;
        self.https = Some(url.to_owned());
        self
    }

    /// Hosts reached directly, in `NO_PROXY`'s syntax (replaces the list).
    pub fn with_no_proxy(mut self, list: &str) -> Self {
        self.no_proxy = list.to_owned();
        self
    }

    /// Whether the proxies come from the environment.
    pub fn is_from_env(&self) -> bool {
        self.from_env
    }

    /// The route to `target` under this configuration, reading the process environment if
    /// the configuration says so.
    pub(crate) fn route(&self, target: &Uri) -> Result<Route, HttpClientError> {
        self.route_with(target, |name| std::env::var(name).ok())
    }

    /// The route to `target`, with `lookup` standing for the environment.
    pub(crate) fn route_with(
        &self,
        target: &Uri,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Route, HttpClientError> {
        let https = target.scheme_str() == Some("https");
        let (origin, proxy, no_proxy) = if self.from_env {
            let first = |names: &[&'static str]| {
                names.iter().find_map(|&name| {
                    lookup(name)
                        .filter(|v| !v.trim().is_empty())
                        .map(|v| (name, v))
                })
            };
            let cgi = lookup("REQUEST_METHOD").is_some();
            let specific = if https {
                first(&["HTTPS_PROXY", "https_proxy"])
            } else if cgi {
                first(&["http_proxy"])
            } else {
                first(&["HTTP_PROXY", "http_proxy"])
            };
            let Some((origin, url)) = specific.or_else(|| first(&["ALL_PROXY", "all_proxy"]))
            else {
                return Ok(Route::Direct);
            };
            let no_proxy = first(&["NO_PROXY", "no_proxy"]).map_or_else(String::new, |(_, v)| v);
            (origin, url, no_proxy)
        } else {
            let chosen = if https { &self.https } else { &self.http };
            let Some(url) = chosen.clone() else {
                return Ok(Route::Direct);
            };
            ("the proxy option", url, self.no_proxy.clone())
        };
        check_proxy_url(origin, &proxy)?;
        let matcher = Matcher::builder()
            .http(proxy.clone())
            .https(proxy.clone())
            .no(no_proxy)
            .build();
        let Some(intercept) = matcher.intercept(target) else {
            return Ok(Route::Direct);
        };
        let via = Via {
            proxy: intercept.uri().clone(),
            auth: intercept.basic_auth().cloned(),
        };
        Ok(if https {
            Route::Tunnel(via)
        } else {
            Route::Forward(via)
        })
    }
}

/// How the client reaches its endpoint.
#[derive(Debug, Clone)]
pub(crate) enum Route {
    /// A direct connection.
    Direct,
    /// An `http://` endpoint: requests in absolute form sent to the proxy.
    Forward(Via),
    /// An `https://` endpoint: a `CONNECT` tunnel through the proxy, TLS inside.
    Tunnel(Via),
}

/// The proxy of a route.
#[derive(Debug, Clone)]
pub(crate) struct Via {
    /// `http://host:port/`, without credentials.
    pub(crate) proxy: Uri,
    /// `Basic ...` from the proxy URL's credentials.
    pub(crate) auth: Option<HeaderValue>,
}

/// Refuses a proxy URL the client cannot use (hyper-util's matcher would skip it silently and
/// connect directly).
fn check_proxy_url(origin: &'static str, url: &str) -> Result<(), HttpClientError> {
    let invalid = |reason: String| HttpClientError::InvalidProxy {
        origin,
        url: redact(url),
        reason,
    };
    let uri: Uri = url.trim().parse().map_err(|e| invalid(format!("{e}")))?;
    match uri.scheme_str() {
        None | Some("http") => {}
        Some(other) => {
            return Err(invalid(format!(
                "the {other}:// scheme is not supported (an http:// proxy is)"
            )));
        }
    }
    let authority = uri
        .authority()
        .ok_or_else(|| invalid("no host".to_owned()))?;
    let host = authority.host();
    if host.is_empty() {
        return Err(invalid("no host".to_owned()));
    }
    Ok(())
}

/// `url` with any password replaced by `***`, for errors and debug output.
fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{user}:***@{host}")
        }
        None => authority.to_owned(),
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{authority}{path}"),
        None => format!("{authority}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn proxy_of(route: Route) -> Option<(String, bool, Option<String>)> {
        match route {
            Route::Direct => None,
            Route::Forward(via) => Some((
                via.proxy.to_string(),
                false,
                via.auth.map(|a| a.to_str().unwrap().to_owned()),
            )),
            Route::Tunnel(via) => Some((
                via.proxy.to_string(),
                true,
                via.auth.map(|a| a.to_str().unwrap().to_owned()),
            )),
        }
    }

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn environment_variables_by_scheme_with_lower_case_and_all_proxy() {
        let config = ProxyConfig::from_env();
        let vars = env(&[
            ("http_proxy", "http://plain:3128"),
            ("HTTPS_PROXY", "tls-proxy:8080"),
        ]);
        let route = config.route_with(&uri("http://svc.example/soap"), &vars);
        assert_eq!(
            proxy_of(route.unwrap()),
            Some(("http://plain:3128/".to_owned(), false, None))
        );
        let route = config.route_with(&uri("https://svc.example/soap"), &vars);
        assert_eq!(
            proxy_of(route.unwrap()),
            Some(("http://tls-proxy:8080/".to_owned(), true, None))
        );
        let all = env(&[("ALL_PROXY", "http://u:p%40ss@every:1")]);
        let route = config.route_with(&uri("https://svc.example/"), &all);
        // "u:p@ss" in base64.
        assert_eq!(
            proxy_of(route.unwrap()),
            Some((
                "http://every:1/".to_owned(),
                true,
                Some("Basic dTpwQHNz".to_owned())
            ))
        );
        let none = env(&[]);
        let route = config.route_with(&uri("https://svc.example/"), &none);
        assert!(proxy_of(route.unwrap()).is_none());
    }

    #[test]
    fn no_proxy_hosts_subdomains_and_networks_are_reached_directly() {
        let config = ProxyConfig::from_env();
        let vars = env(&[
            ("HTTP_PROXY", "http://proxy:3128"),
            ("no_proxy", "localhost, .corp.example, 10.0.0.0/8"),
        ]);
        for direct in [
            "http://localhost:8000/",
            "http://a.corp.example/",
            "http://corp.example/",
            "http://10.1.2.3/",
        ] {
            let route = config.route_with(&uri(direct), &vars).unwrap();
            assert!(proxy_of(route).is_none(), "{direct} should bypass");
        }
        let route = config
            .route_with(&uri("http://notcorp.example/"), &vars)
            .unwrap();
        assert!(proxy_of(route).is_some());
        let explicit = ProxyConfig::url("http://proxy:3128").with_no_proxy("*");
        let route = explicit.route_with(&uri("http://x/"), env(&[])).unwrap();
        assert!(proxy_of(route).is_none());
    }

    #[test]
    fn cgi_ignores_upper_case_http_proxy_and_options_ignore_the_environment() {
        let vars = env(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://injected:1"),
        ]);
        let route = ProxyConfig::from_env()
            .route_with(&uri("http://svc/"), &vars)
            .unwrap();
        assert!(proxy_of(route).is_none());
        let vars = env(&[("HTTP_PROXY", "http://from-env:1")]);
        let route = ProxyConfig::none()
            .route_with(&uri("http://svc/"), &vars)
            .unwrap();
        assert!(proxy_of(route).is_none());
        let route = ProxyConfig::none()
            .with_https("http://only-tls:2")
            .route_with(&uri("http://svc/"), &vars)
            .unwrap();
        assert!(proxy_of(route).is_none());
    }

    #[test]
    fn unusable_proxy_urls_are_refused_naming_the_source_without_the_password() {
        let vars = env(&[("HTTPS_PROXY", "socks5://user:hunter2@proxy:1080")]);
        let err = ProxyConfig::from_env()
            .route_with(&uri("https://svc/"), &vars)
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("HTTPS_PROXY"), "{text}");
        assert!(text.contains("socks5"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        let err = ProxyConfig::url("http://")
            .route_with(&uri("http://svc/"), env(&[]))
            .unwrap_err();
        assert!(err.to_string().contains("the proxy option"), "{err}");
        assert_eq!(redact("http://a:b@h:1/x"), "http://a:***@h:1/x".to_owned());
        let debug = format!("{:?}", ProxyConfig::url("http://a:topsecret@h:1"));
        assert!(!debug.contains("topsecret"), "{debug}");
    }
}
