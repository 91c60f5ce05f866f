//! # rpclib-interface-openapi
//!
//! OpenAPI 3.1 documents for rpclib applications served as JSON, generated from the same
//! descriptors as the WSDL: the endpoints' operations, a schema per type with its
//! constraints, faults as error responses. Today's OpenAPI tooling (validators, client
//! generators, API consoles) reads them.
//!
//! Two kinds of endpoint are described:
//!
//! - **JsonDocument** (`rpclib-protocol-json`): one path, one `POST` whose body is `oneOf`
//!   the methods' request documents (`{"say_hello": {"name": "Dave", "times": 2}}`) and whose
//!   `200` reply is `oneOf` their response documents. The endpoint is a single URL that
//!   picks the method from the document's only member, so a path per method would describe
//!   URLs the server does not serve; each request shape is closed and requires its own
//!   member, so exactly one matches, and validators and generated clients tell them apart.
//! - **HttpRpc**: a path per method (`/rpc/say_hello`), its arguments flattened into
//!   parameters (`name`, nested fields as `person.name`, arrays of simple values as
//!   repeated keys): in a form body (`application/x-www-form-urlencoded` or
//!   `multipart/form-data`) for `POST`, in the query string for `GET` where the method is
//!   marked safe. The reply is the method's JSON response document.
//!
//! Faults are the error responses: the fault object the JSON protocol writes
//! (`{"Fault": {"faultcode": ..., "faultstring": ...}}`) under `400` (a `Client` fault),
//! `413` (too long), `500` (any other), and `default` (the transport's `408` and `503`).
//!
//! ## How types map
//!
//! Each value is described in the form the JSON protocol writes it:
//!
//! | Model type | Schema |
//! |---|---|
//! | `bool` | `boolean` |
//! | integers whose range fits ±(2^53 − 1) (`i32`, `u32`, `i8`..) | `integer` with the type's `minimum`/`maximum` (`format: int32` for `int`) |
//! | wider integers (`i64`, `u64`, `BigInt`, `nonNegativeInteger`..) | `type: [integer, string]`, the string a pattern of digits (written as a string beyond 2^53) |
//! | `f32`, `f64` | `anyOf` a `number` (`format: float`/`double`) or one of the strings `NaN`, `INF`, `-INF` |
//! | `Decimal` | a `string` of the decimal's lexical form (never a number) |
//! | strings, string derivatives, dates, times, durations | `string` (`x-xsd-type` names the XSD type; no RFC 3339 `format`, which an XSD date without a time zone is not) |
//! | bytes | `string` with `contentEncoding: base64` |
//! | `AnyXml` | `string` with `contentMediaType: application/xml` |
//! | enumerations | a named schema, `string` with `enum` |
//! | complex types | a named, closed `object` (`additionalProperties: false`), fields in `properties`, `minOccurs` 1 as `required`; a base type's fields are flattened in |
//! | `Vec<T>` | `array` of `T`, item counts as `minItems`/`maxItems`, value facets on the items |
//! | `Option<T>`, nillable | `null` allowed (`type: [.., "null"]` or `anyOf` with `null`) |
//!
//! Facets become keywords: `minLength`/`maxLength`, `pattern` (anchored, since JSON Schema
//! patterns match anywhere), `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum`.
//! Recursive types refer to themselves through `$ref`.
//!
//! ## Not representable (an [`OpenApiError`] naming where)
//!
//! - two different types of one name in different XML namespaces (schema names have no
//!   namespace);
//! - a range facet on a value JSON carries as a string (decimals, dates), a pattern on a
//!   number, a bound beyond 64 bits;
//! - a pattern using syntax ECMA-262 lacks (inline flags, `\p{..}`, `\A`/`\z`, set
//!   operations in classes);
//! - for HttpRpc: a recursive type, arrays of structures or of arrays (they have no flat
//!   form), and a bare method whose single part is not a structure (HttpRpc reads a bare
//!   part from the whole form: a structure's fields are the top-level keys, a simple part
//!   has no key); describe such methods over JSON instead. With
//!   [`OpenApi::skip_unrepresentable`] such methods are left out of the HttpRpc paths
//!   rather than refusing the document, and never silently: [`OpenApi::left_out`] lists
//!   them with the reason, and so does the document's `x-left-out` member.
//!
//! SOAP headers have no JSON form and are left out, as the JSON protocol leaves them out.
//!
//! ## Serving it
//!
//! The document names no server: its paths are relative to where it is served, so serve it
//! on the same server as the endpoints (`Endpoints::document` in `rpclib-transport-http`).
//!
//! ```
//! use rpclib_core::{Application, service};
//! use rpclib_interface_openapi::OpenApi;
//!
//! pub struct Hello;
//!
//! #[service(namespace = "urn:hello")]
//! impl Hello {
//!     #[rpc]
//!     fn say_hello(&self, name: String, times: u32) -> Vec<String> {
//!         vec![name; times as usize]
//!     }
//! }
//!
//! let app = Application::builder("Hello", "urn:hello").service(Hello).build()?;
//! let json = OpenApi::new("Hello", "1.0.0")
//!     .json_document("/json", app.catalogue())
//!     .http_rpc("/rpc", app.catalogue())
//!     .to_json()?;
//! let doc: serde_json::Value = serde_json::from_str(&json)?;
//! assert_eq!(doc["openapi"], "3.1.0");
//! assert!(doc["paths"]["/json"]["post"].is_object());
//! assert!(doc["paths"]["/rpc/say_hello"]["post"].is_object());
//! assert_eq!(
//!     doc["components"]["schemas"]["say_hello"]["properties"]["times"],
//!     serde_json::json!({"type": "integer", "minimum": 0, "maximum": 4294967295u32})
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod error;
mod fault;
mod http_rpc;
mod json_document;
mod schema;
mod simple;

use rpclib_core::Catalogue;
use serde_json::{Map, Value, json};

pub use error::OpenApiError;
pub use http_rpc::LeftOut;

use schema::Components;

/// The OpenAPI version written.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The protocol an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    JsonDocument,
    HttpRpc,
}

/// One described endpoint.
#[derive(Debug)]
struct Endpoint<'a> {
    kind: Kind,
    path: String,
    catalogue: &'a Catalogue,
}

/// An OpenAPI 3.1 document of JSON endpoints, built from applications' catalogues
/// ([`Application::catalogue`](rpclib_core::Application::catalogue)). See the
/// [crate documentation](crate) for what it says and how.
#[derive(Debug)]
pub struct OpenApi<'a> {
    title: String,
    version: String,
    description: Option<String>,
    endpoints: Vec<Endpoint<'a>>,
    skip_unrepresentable: bool,
}

/// The document and the methods it leaves out.
struct Built {
    value: Value,
    left_out: Vec<LeftOut>,
}

impl<'a> OpenApi<'a> {
    /// A document whose `info` has `title` and the API's `version`, describing no endpoint
    /// yet.
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        OpenApi {
            title: title.into(),
            version: version.into(),
            description: None,
            endpoints: Vec::new(),
            skip_unrepresentable: false,
        }
    }

    /// Sets `info.description`.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Describes a JsonDocument endpoint at `path` (as mounted, `/json`) serving the methods
    /// of `catalogue`.
    pub fn json_document(mut self, path: impl Into<String>, catalogue: &'a Catalogue) -> Self {
        self.endpoints.push(Endpoint {
            kind: Kind::JsonDocument,
            path: path.into(),
            catalogue,
        });
        self
    }

    /// Describes an HttpRpc endpoint whose methods are at `prefix/<method>` (`/rpc`),
    /// serving the methods of `catalogue` with JSON replies.
    pub fn http_rpc(mut self, prefix: impl Into<String>, catalogue: &'a Catalogue) -> Self {
        self.endpoints.push(Endpoint {
            kind: Kind::HttpRpc,
            path: prefix.into(),
            catalogue,
        });
        self
    }

    /// Leaves out of the HttpRpc endpoints the methods whose arguments have no flat form (a
    /// recursive type, an array of structures or of arrays) instead of refusing the whole
    /// document. Each one left out is listed by [`OpenApi::left_out`] and in the document's
    /// top-level `x-left-out` member (`path`, `method`, `reason`); the JSON endpoints still
    /// describe them. Any other problem still refuses the document.
    pub fn skip_unrepresentable(mut self) -> Self {
        self.skip_unrepresentable = true;
        self
    }

    /// The HttpRpc methods the document leaves out (with
    /// [`skip_unrepresentable`](OpenApi::skip_unrepresentable); none without it), in
    /// endpoint and method order, each with its path and why.
    pub fn left_out(&self) -> Result<Vec<LeftOut>, OpenApiError> {
        Ok(self.build()?.left_out)
    }

    /// The document as a JSON value.
    pub fn to_value(&self) -> Result<Value, OpenApiError> {
        Ok(self.build()?.value)
    }

    fn build(&self) -> Result<Built, OpenApiError> {
        let mut left_out = Vec::new();
        let mut components = Components::default();
        let mut paths = Map::new();
        let mut add_path = |path: String, item: Value| {
            if paths.contains_key(&path) {
                return Err(OpenApiError::new(path, "two endpoints describe this path"));
            }
            paths.insert(path, item);
            Ok(())
        };
        let mut tags: Vec<(&str, Option<&str>)> = Vec::new();
        for endpoint in &self.endpoints {
            check_path(&endpoint.path)?;
            for service in endpoint.catalogue.services() {
                if !tags.iter().any(|(name, _)| *name == service.name) {
                    tags.push((service.name, service.doc));
                }
            }
            let id = operation_prefix(&endpoint.path);
            match endpoint.kind {
                Kind::JsonDocument => add_path(
                    endpoint.path.clone(),
                    json_document::path_item(
                        &mut components,
                        endpoint.catalogue,
                        &endpoint.path,
                        &id,
                    )?,
                )?,
                Kind::HttpRpc => {
                    for (path, item) in http_rpc::path_items(
                        &mut components,
                        endpoint.catalogue,
                        &endpoint.path,
                        &id,
                        self.skip_unrepresentable,
                        &mut left_out,
                    )? {
                        add_path(path, item)?;
                    }
                }
            }
        }
        let mut schemas = components.into_map();
        for (name, schema) in fault::schemas() {
            schemas.insert(name, schema);
        }
        let mut info = Map::new();
        info.insert("title".into(), json!(self.title));
        info.insert("version".into(), json!(self.version));
        if let Some(d) = &self.description {
            info.insert("description".into(), json!(d));
        }
        tags.sort_by(|a, b| a.0.cmp(b.0));
        let tags: Vec<Value> = tags
            .into_iter()
            .map(
                |(name, doc)| match doc.map(str::trim).filter(|d| !d.is_empty()) {
                    Some(doc) => json!({"name": name, "description": doc}),
                    None => json!({"name": name}),
                },
            )
            .collect();
        let mut value = json!({
            "openapi": OPENAPI_VERSION,
            "info": info,
            "tags": tags,
            "paths": paths,
            "components": {
                "schemas": schemas,
                "responses": fault::responses(),
            },
        });
        if !left_out.is_empty()
            && let Value::Object(map) = &mut value
        {
            let listed = left_out
                .iter()
                .map(
                    |l| json!({"path": l.path, "method": l.method, "reason": l.reason.to_string()}),
                )
                .collect();
            map.insert("x-left-out".into(), Value::Array(listed));
        }
        Ok(Built { value, left_out })
    }

    /// The document as pretty-printed JSON text (ending in a newline).
    pub fn to_json(&self) -> Result<String, OpenApiError> {
        let value = self.to_value()?;
        let mut text = serde_json::to_string_pretty(&value)
            .map_err(|e| OpenApiError::new("the document", e.to_string()))?;
        text.push('\n');
        Ok(text)
    }
}

/// Refuses a path that is not an absolute, plain URL path (OpenAPI paths are templates:
/// braces would make parameters).
fn check_path(path: &str) -> Result<(), OpenApiError> {
    let plain = path.starts_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'{' | b'}' | b'?' | b'#'));
    if plain {
        Ok(())
    } else {
        Err(OpenApiError::new(
            format!("the endpoint `{path}`"),
            "the path must start with `/` and hold no space, brace, query or fragment",
        ))
    }
}

/// The prefix of an endpoint's operation ids: its path's letters and digits, `_` between
/// (`/json` -> `json`, `/api/v1` -> `api_v1`, `/` -> `root`).
fn operation_prefix(path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "root".to_owned()
    } else {
        words.join("_")
    }
}
