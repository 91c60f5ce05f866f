//! # rpclib-protocol-soap
//!
//! SOAP 1.1 and SOAP 1.2 for rpclib: [`Soap11`] and [`Soap12`] implement core's
//! [`Protocol`](rpclib_core::Protocol), so an [`Application`](rpclib_core::Application)
//! reads requests and writes responses (or, in a client, writes requests and reads
//! responses) as document/literal SOAP, with the element names, namespaces and types its
//! service descriptors declare. [`SoapAny`] serves both versions on one endpoint, answering
//! each request in the version of its envelope. [`XmlDocument`] is Spyne's plain XML
//! document protocol on the same reader and writer: the Body's element as the whole
//! document, no envelope, faults as a plain `<Fault>` element.
//!
//! ## Features
//!
//! - **Dispatch** on the qualified name of the Body's first element (never on `SOAPAction`),
//!   whatever the prefixes; the request element is recorded in `ctx.method_request_string`
//!   as `{namespace}name`.
//! - **Both body styles**: wrapped (`<op>` holding the parameters, `<op>Response` holding
//!   `<op>Result`) and bare (the body element is the single part).
//! - **Every model type**: values are written in their lexical form (core does the lexical
//!   work); arrays are `<item>Array` elements holding items named after the item's XSD type,
//!   or repeated elements for unwrapped fields; `None` is left out (`minOccurs="0"`) or
//!   written `xsi:nil="true"` (required and nillable); raw XML (`AnyXml`) is read with the
//!   namespace declarations it needs copied onto it, and checked before it is written.
//! - **Header blocks**: declared in-headers are read into `ctx.in_headers`, out-headers in
//!   `ctx.out_headers` are written. Every block of a message, declared or not, is also in
//!   `ctx.in_headers` as a [`RawHeader`](rpclib_core::RawHeader) (its name, the whole element
//!   as text that stands alone, its `mustUnderstand` mark), which call wrappers read with
//!   [`MethodContext::raw_in_headers`](rpclib_core::MethodContext::raw_in_headers); the text
//!   copied for all blocks together is held to [`max_string_bytes`](Limits::max_string_bytes).
//!   A `RawHeader` in `ctx.out_headers` (a reply's, or a client call's) is written as is once
//!   checked to be one well-formed element of its name (else a `Server` fault), with
//!   `mustUnderstand="1"` added in the envelope's namespace if it asks for it. A block marked
//!   `mustUnderstand` and addressed to us must be understood: declared as a header type by the
//!   operation, or registered for the application with
//!   [`ApplicationBuilder::understand_header`](rpclib_core::ApplicationBuilder::understand_header)
//!   or by an installed call wrapper's
//!   [`understood_headers`](rpclib_core::CallWrapper::understood_headers) (the WS-Security
//!   validator registers `wsse:Security` so); any other is a `MustUnderstand` fault.
//! - **Faults**: 1.1 `faultcode` (`soap11env:Client.ValidationError`), `faultstring`,
//!   `faultactor`, `detail`; 1.2 `Code`/`Subcode`s, `Reason/Text xml:lang="en"`, `Role`,
//!   `Detail`. A typed detail is written as an element named after its type. A client reads
//!   a reply's fault into `ctx.in_error`. Its detail is read into the method's declared fault
//!   type ([`FaultDescriptor`](rpclib_core::FaultDescriptor)) when it holds exactly one
//!   element named as that type (name and namespace, as the WSDL declares it), so that
//!   `fault.detail::<T>()` gives it back; a detail that names a declared type but does not
//!   read as it is an error (the client's `ClientError::InvalidReply`); any other detail is
//!   kept as raw XML ([`AnyXml`](rpclib_core::model::AnyXml)).
//! - **Causes kept**: the fault for input that cannot be read has the error behind it as its
//!   [`source`](std::error::Error::source), for logs: the
//!   [`DeError`](rpclib_core::model::DeError) (its [`kind`](rpclib_core::model::DeErrorKind),
//!   field and position) and below it the [`XmlError`] or
//!   [`LexicalError`](rpclib_core::model::LexicalError). A fault's source is never written
//!   into a reply.
//! - **Hardened input**: one streaming pass over the message with a small purpose-built
//!   tokenizer (on the bench workloads it resolves namespaces and decodes text in less time
//!   than a bare quick-xml `Reader` pass takes to tokenize);
//!   any DOCTYPE is refused (no entity expansion, no external fetches), only the predefined
//!   entities exist, and every other well-formedness constraint of XML 1.0 (fifth edition)
//!   and Namespaces in XML 1.0 (third edition) that applies to a document without a DTD is
//!   enforced, including on parts nobody reads later (every attribute value, comments,
//!   processing instructions, what stands outside the root). [`Limits`] bound the rest and
//!   are counted as the message is read, so a refusal comes as soon as a limit is passed and
//!   the cost of reading any input is linear in its size. Every problem is a `Client` fault
//!   (SOAP 1.2: `Sender`) saying what was wrong and where (line and column), never a panic.
//!   The same tokenizer checks whole documents in [`check_well_formed`]; it is tested
//!   against the W3C XML Conformance Test Suite's cases without a DTD and fuzzed against
//!   roxmltree.
//! - **Single values**: [`to_element_xml`] writes one model value as a standalone element
//!   (every namespace declared on it) and [`from_element_xml`] reads one back, with the same
//!   writer and reader as messages: for documents that hold one value (samples checked
//!   against a schema, values stored as XML).
//! - **Direct writing**: replies are written straight into a byte buffer with escaping that
//!   refuses characters XML cannot carry (a `Server` fault instead of malformed XML; CR is
//!   written `&#13;` so that it survives), with every namespace the message can use declared
//!   once on the Envelope.
//!
//! ## Limits and their defaults
//!
//! | limit | default | fault when exceeded |
//! |---|---|---|
//! | [`max_input_bytes`](Limits::max_input_bytes) | 10 MiB | `Client.RequestTooLong` |
//! | [`max_depth`](Limits::max_depth) (at most 256) | 128 | `Client.LimitExceeded` |
//! | [`max_elements`](Limits::max_elements) | 1,000,000 | `Client.LimitExceeded` |
//! | [`max_array_items`](Limits::max_array_items) | 100,000 | `Client.LimitExceeded` |
//! | [`max_string_bytes`](Limits::max_string_bytes) | 4 MiB | `Client.LimitExceeded` |
//! | [`max_attributes`](Limits::max_attributes) | 64 | `Client.LimitExceeded` |
//!
//! Other faults for bad input: `Client.XMLSyntaxError` (malformed XML, DOCTYPE, invalid
//! UTF-8, empty message), `Client.InvalidEnvelope` (no Body, empty Body, stray elements),
//! `VersionMismatch` (an envelope in another namespace), `Client.MethodNotFound`,
//! `Client.ValidationError` (unexpected or missing elements, bad lexical values, broken
//! constraints; the message names the field).
//!
//! ## Example
//!
//! ```
//! use rpclib_core::{Application, Fault, service};
//! use rpclib_protocol_soap::Soap11;
//!
//! pub struct Echo;
//!
//! #[service(namespace = "urn:example:echo")]
//! impl Echo {
//!     #[rpc]
//!     fn echo_string(&self, s: String) -> Result<String, Fault> {
//!         Ok(s)
//!     }
//! }
//!
//! let app = Application::builder("Echo", "urn:example:echo")
//!     .service(Echo)
//!     .protocol(Soap11::new())
//!     .build()?;
//!
//! let request = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
//!     xmlns:e="urn:example:echo"><soapenv:Body><e:echo_string><e:s>a &lt; b</e:s></e:echo_string>
//!     </soapenv:Body></soapenv:Envelope>"#;
//!
//! let mut ctx = app.new_context();
//! ctx.in_string = vec![request.as_bytes().to_vec()];
//! app.get_in_object(&mut ctx);
//! app.get_out_object_blocking(&mut ctx);
//! app.get_out_string(&mut ctx);
//!
//! assert_eq!(app.response_status(&ctx), 200);
//! let reply = String::from_utf8(ctx.out_bytes())?;
//! assert!(reply.contains("<tns:echo_stringResult>a &lt; b</tns:echo_stringResult>"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Limitations
//!
//! - Messages must be UTF-8 (an XML declaration naming another encoding is refused).
//! - `xsi:type` is not used to pick a subtype (polymorphism is out of scope).
//! - Header blocks that no operation declares or the application registers are left to call
//!   wrappers (as raw XML) unless marked `mustUnderstand`.

#![forbid(unsafe_code)]

mod element;
mod error;
mod limits;
mod negotiate;
mod protocol;
mod read;
mod short_eq;
mod soap_any;
mod spares;
mod version;
mod write;
mod xml_document;

pub use element::{from_element_xml, from_element_xml_with, to_element_xml};
pub use limits::Limits;
pub use protocol::{Soap11, Soap12};
pub use read::document::{XmlError, check_well_formed};
pub use soap_any::SoapAny;
pub use version::{SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, SoapVersion};
pub use xml_document::XmlDocument;

/// Log target of this crate.
pub(crate) const LOG_TARGET: &str = "rpclib_protocol_soap";
