//! Errors keep their cause: the fault the SOAP reader raises for bad input carries the
//! `DeError` (and, below it, the `LexicalError` or `XmlError`) as its source, with a kind
//! saying what class of problem it was; and a fault's source is never written on the wire.

mod common;

use std::error::Error;
use std::sync::Arc;

use common::envelope;
use common::golden_service::GoldenService;
use rpclib_core::model::{
    DeError, DeErrorKind, LexicalError, ValidationError, ValidationErrorKind,
};
use rpclib_core::{Application, Fault, service};
use rpclib_protocol_soap::{Limits, Soap11, Soap12, XmlError};

fn golden(limits: Limits) -> Arc<Application> {
    Application::builder("Golden", "urn:golden")
        .service(GoldenService)
        .protocol(Soap11::with_limits(limits))
        .build()
        .expect("valid application")
}

/// Runs `request` through the server pipeline and hands the recorded fault to `inspect`.
fn with_fault(app: &Arc<Application>, request: &str, inspect: impl FnOnce(&Fault)) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.as_bytes().to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let fault = ctx.error().expect("a fault");
    inspect(fault);
}

/// The fault's source, as the `DeError` the reader passed up.
fn de_error(fault: &Fault) -> &DeError {
    fault
        .source()
        .and_then(|s| s.downcast_ref::<DeError>())
        .unwrap_or_else(|| panic!("the source of `{fault}` is not a DeError"))
}

#[test]
fn malformed_xml_is_a_syntax_error_caused_by_an_xml_error() {
    let app = golden(Limits::default());
    let request = envelope("<g:echo_string><g:s>x</g:echo_string>");
    with_fault(&app, &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.XMLSyntaxError");
        let de = de_error(fault);
        assert_eq!(de.kind(), DeErrorKind::Syntax);
        let xml = de
            .source()
            .and_then(|s| s.downcast_ref::<XmlError>())
            .expect("the DeError's source is an XmlError");
        assert!(!xml.limit);
        // Fault -> DeError -> XmlError, each at the same place.
        assert_eq!(de.line(), Some(xml.line));
        assert_eq!(de.column(), Some(xml.column));
        assert!(
            fault
                .string
                .ends_with(&format!("at line {}, column {}", xml.line, xml.column)),
            "{}",
            fault.string
        );
        assert!(fault.string.starts_with(&xml.message), "{}", fault.string);
    });
}

#[test]
fn an_invalid_integer_is_a_lexical_error() {
    let app = golden(Limits::default());
    let request = envelope("<g:multi><g:a>twelve</g:a><g:b>1</g:b></g:multi>");
    with_fault(&app, &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.ValidationError");
        let de = de_error(fault);
        assert_eq!(de.kind(), DeErrorKind::Lexical);
        assert_eq!(de.field(), Some("a"));
        assert!(de.position().is_some());
        let lexical = de
            .source()
            .and_then(|s| s.downcast_ref::<LexicalError>())
            .expect("the DeError's source is a LexicalError");
        assert_eq!(lexical.type_name, "int");
        assert_eq!(lexical.text, "twelve");
    });
}

#[test]
fn a_missing_required_element_is_missing() {
    let app = golden(Limits::default());
    let request = envelope("<g:multi><g:a>1</g:a></g:multi>");
    with_fault(&app, &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.ValidationError");
        let de = de_error(fault);
        assert_eq!(de.kind(), DeErrorKind::Missing);
        assert_eq!(de.field(), Some("b"));
        assert!(de.source().is_none());
    });
}

#[test]
fn an_unknown_element_is_unexpected() {
    let app = golden(Limits::default());
    let request = envelope("<g:multi><g:a>1</g:a><g:c>2</g:c></g:multi>");
    with_fault(&app, &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.ValidationError");
        assert_eq!(de_error(fault).kind(), DeErrorKind::Unexpected);
    });
}

#[test]
fn limits_exceeded_are_limit_errors() {
    let request = envelope("<g:echo_string><g:s>longer than five</g:s></g:echo_string>");
    let app = golden(Limits::default().max_string_bytes(5));
    with_fault(&app, &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.LimitExceeded");
        let de = de_error(fault);
        assert_eq!(de.kind(), DeErrorKind::Limit);
        let xml = de
            .source()
            .and_then(|s| s.downcast_ref::<XmlError>())
            .expect("the DeError's source is an XmlError");
        assert!(xml.limit);
    });

    let attributes: String = (0..65).map(|i| format!(" a{i}=\"1\"")).collect();
    let request = envelope(&format!(
        "<g:echo_string><g:s{attributes}>x</g:s></g:echo_string>"
    ));
    with_fault(&golden(Limits::default()), &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.LimitExceeded");
        assert_eq!(de_error(fault).kind(), DeErrorKind::Limit);
    });
}

#[test]
fn a_broken_constraint_keeps_its_validation_error() {
    let app = golden(Limits::default());
    let request = envelope("<g:ranged><g:n>11</g:n><g:code>ab</g:code></g:ranged>");
    with_fault(&app, &request, |fault| {
        assert_eq!(fault.code.as_str(), "Client.ValidationError");
        let e = fault
            .source()
            .and_then(|s| s.downcast_ref::<ValidationError>())
            .expect("the fault's source is a ValidationError");
        assert_eq!(e.kind(), ValidationErrorKind::Range);
        assert_eq!(e.path(), "n");
        assert_eq!(fault.string, e.to_string());
    });
}

#[test]
fn envelope_problems_keep_the_xml_error() {
    let app = golden(Limits::default());
    with_fault(&app, "<s:Envelope", |fault| {
        assert_eq!(fault.code.as_str(), "Client.XMLSyntaxError");
        let xml = fault
            .source()
            .and_then(|s| s.downcast_ref::<XmlError>())
            .expect("the fault's source is an XmlError");
        assert_eq!(
            fault.string,
            format!(
                "{} at line {}, column {}",
                xml.message, xml.line, xml.column
            )
        );
    });
}

/// Two methods that fail alike, one fault carrying a source, the other not.
#[derive(Debug)]
pub struct Failing;

/// The fault both methods raise.
fn refusal() -> Fault {
    Fault::client("Refused", "not today")
        .with_actor("urn:actor")
        .with_detail(rpclib_core::model::AnyXml::new(
            "<why xmlns=\"urn:w\">busy</why>",
        ))
}

#[service(namespace = "urn:failing")]
impl Failing {
    #[rpc]
    fn plain(&self) -> Result<(), Fault> {
        Err(refusal())
    }

    #[rpc]
    fn caused(&self) -> Result<(), Fault> {
        let cause = DeError::with_source(
            DeErrorKind::Custom,
            "secret internal cause",
            std::io::Error::other("secret io cause"),
        );
        Err(refusal().with_source(cause))
    }
}

#[test]
fn a_fault_source_is_never_written() {
    let soap11 = ("http://schemas.xmlsoap.org/soap/envelope/", true);
    let soap12 = ("http://www.w3.org/2003/05/soap-envelope", false);
    for (ns, eleven) in [soap11, soap12] {
        let builder = Application::builder("Failing", "urn:failing").service(Failing);
        let builder = if eleven {
            builder.protocol(Soap11::new())
        } else {
            builder.protocol(Soap12::new())
        };
        let app = builder.build().expect("valid application");
        let reply = |op: &str| {
            let request = format!(
                "<s:Envelope xmlns:s=\"{ns}\" xmlns:f=\"urn:failing\"><s:Body><f:{op}/></s:Body></s:Envelope>"
            );
            let mut ctx = app.new_context();
            ctx.in_string = vec![request.into_bytes()];
            app.get_in_object(&mut ctx);
            app.get_out_object_blocking(&mut ctx);
            let has_source = ctx.error().and_then(|f| f.source()).is_some();
            app.get_out_string(&mut ctx);
            let status = app.response_status(&ctx);
            let body = String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8");
            (has_source, status, body)
        };
        let (plain_source, plain_status, plain) = reply("plain");
        let (caused_source, caused_status, caused) = reply("caused");
        assert!(!plain_source);
        assert!(caused_source, "the pipeline keeps the fault's source");
        assert_eq!(plain_status, caused_status);
        assert_eq!(plain, caused, "a source changes nothing on the wire");
        assert!(plain.contains("not today"), "{plain}");
        assert!(!caused.contains("secret"), "{caused}");
    }
}
