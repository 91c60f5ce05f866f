//! Every kind of bad input gets the right fault, naming the problem; never a panic, never a
//! malformed reply.

mod common;

use std::sync::Arc;

use common::golden_service::GoldenService;
use common::{SOAP11, assert_well_formed, envelope};
use rpclib_core::Application;
use rpclib_protocol_soap::{Limits, SOAP12_ENVELOPE_NS, Soap11, Soap12};

struct Case {
    name: &'static str,
    request: Vec<u8>,
    code: &'static str,
    says: &'static [&'static str],
}

fn case(
    name: &'static str,
    request: impl Into<Vec<u8>>,
    code: &'static str,
    says: &'static [&'static str],
) -> Case {
    Case {
        name,
        request: request.into(),
        code,
        says,
    }
}

fn cases() -> Vec<Case> {
    let deep = format!(
        "<g:echo_any><g:xml>{}{}</g:xml></g:echo_any>",
        "<a>".repeat(200),
        "</a>".repeat(200)
    );
    let mut invalid_utf8 = envelope("<g:echo_string><g:s>x</g:s></g:echo_string>").into_bytes();
    let at = invalid_utf8.len() - 60;
    invalid_utf8.insert(at, 0xFF);
    vec![
        case(
            "malformed XML",
            envelope("<g:echo_string><g:s>x</g:echo_string>"),
            "Client.XMLSyntaxError",
            &["malformed XML", "line 1, column"],
        ),
        case(
            "truncated document",
            &envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")[..120],
            "Client.XMLSyntaxError",
            &["line 1"],
        ),
        case(
            "billion laughs",
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>{}",
                envelope("<g:echo_string><g:s>&lol2;</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["DOCTYPE is not allowed", "line 1, column 22"],
        ),
        case(
            "external entity",
            format!(
                "<!DOCTYPE s [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{}",
                envelope("<g:echo_string><g:s>&xxe;</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["DOCTYPE is not allowed"],
        ),
        case(
            "undefined entity",
            envelope("<g:echo_string><g:s>&xxe;</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["undefined entity &xxe;"],
        ),
        case(
            "invalid character reference",
            envelope("<g:echo_string><g:s>&#0;</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["character reference"],
        ),
        case(
            "control character",
            envelope("<g:echo_string><g:s>a\u{1}b</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["U+0001 is not allowed"],
        ),
        case(
            "undeclared prefix",
            envelope("<g:echo_string><q:s>x</q:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["undeclared namespace prefix `q`"],
        ),
        case(
            "text after the envelope",
            format!(
                "{}junk",
                envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["after the end of the root element"],
        ),
        case(
            "undefined entity in an attribute (mustUnderstand bypass)",
            format!(
                "<s:Envelope xmlns:s=\"{SOAP11}\" xmlns:g=\"urn:golden\"><s:Header><x:A xmlns:x=\"urn:x\" s:mustUnderstand=\"&x;\"/></s:Header><s:Body><g:nothing/></s:Body></s:Envelope>"
            ),
            "Client.XMLSyntaxError",
            &["undefined entity &x;", "attribute `s:mustUnderstand`"],
        ),
        case(
            "forbidden character reference in an attribute",
            envelope("<g:echo_string><g:s a=\"&#1;\">x</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["&#1; (U+0001) is not allowed", "attribute `a`"],
        ),
        case(
            "two attributes with one expanded name",
            envelope(
                "<g:echo_string><g:s xmlns:p=\"urn:p\" xmlns:q=\"urn:p\" p:a=\"1\" q:a=\"2\">x</g:s></g:echo_string>",
            ),
            "Client.XMLSyntaxError",
            &["`q:a` is `{urn:p}a`"],
        ),
        case(
            "]]> in character data",
            envelope("<g:echo_string><g:s>a ]]> b</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["`]]>` is not allowed in character data"],
        ),
        case(
            "forbidden character in a comment",
            envelope("<g:echo_string><!-- a\u{1}b --><g:s>x</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["U+0001 is not allowed"],
        ),
        case(
            "forbidden character in a processing instruction",
            envelope("<g:echo_string><?pi a\u{FFFE}b?><g:s>x</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["U+FFFE is not allowed"],
        ),
        case(
            "upper-case XML declaration",
            format!(
                "<?XML version=\"1.0\"?>{}",
                envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["target `XML` is reserved"],
        ),
        case(
            "unsupported XML version",
            format!(
                "<?xml version=\"2.0\"?>{}",
                envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["unsupported version `2.0`"],
        ),
        case(
            "xml prefix rebound",
            envelope("<g:echo_string xmlns:xml=\"urn:x\"><g:s>x</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["prefix `xml` can only be bound"],
        ),
        case(
            "xml namespace bound to another prefix",
            envelope(
                "<g:echo_string xmlns:p=\"http://www.w3.org/XML/1998/namespace\"><g:s>x</g:s></g:echo_string>",
            ),
            "Client.XMLSyntaxError",
            &["can only be bound to the prefix `xml`"],
        ),
        case(
            "xmlns prefix declared",
            envelope("<g:echo_string xmlns:xmlns=\"urn:x\"><g:s>x</g:s></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["prefix `xmlns` cannot be declared"],
        ),
        case(
            "xmlns namespace declared",
            envelope(
                "<g:echo_string xmlns:p=\"http://www.w3.org/2000/xmlns/\"><g:s>x</g:s></g:echo_string>",
            ),
            "Client.XMLSyntaxError",
            &["http://www.w3.org/2000/xmlns/ cannot be declared"],
        ),
        case(
            "character reference outside the root",
            format!(
                "&#32;{}",
                envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["text before the root element", "line 1, column 1"],
        ),
        case(
            "CDATA outside the root",
            format!(
                "{}<![CDATA[ ]]>",
                envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["CDATA section outside the root element"],
        ),
        case(
            "name with a character names cannot hold",
            envelope("<g:echo_string><g:s\u{D7}>x</g:s\u{D7}></g:echo_string>"),
            "Client.XMLSyntaxError",
            &["U+00D7 is not allowed in a name"],
        ),
        case(
            "array item that rebinds its prefix",
            envelope(
                "<g:echo_containers><g:c><g:ints><g:int>1</g:int><g:int xmlns:g=\"urn:evil\">2</g:int></g:ints></g:c></g:echo_containers>",
            ),
            "Client.ValidationError",
            &["unexpected element `{urn:evil}int`"],
        ),
        case(
            "more attributes than the limit",
            envelope(&format!(
                "<g:echo_string><g:s{}>x</g:s></g:echo_string>",
                (0..65).map(|i| format!(" a{i}=\"1\"")).collect::<String>()
            )),
            "Client.LimitExceeded",
            &["more than the limit of 64 attributes"],
        ),
        case(
            "unsupported encoding",
            format!(
                "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{}",
                envelope("<g:echo_string><g:s>x</g:s></g:echo_string>")
            ),
            "Client.XMLSyntaxError",
            &["unsupported encoding `ISO-8859-1`"],
        ),
        case(
            "invalid UTF-8",
            invalid_utf8,
            "Client.XMLSyntaxError",
            &["not valid UTF-8", "line 1, column"],
        ),
        case("empty request", "", "Client.XMLSyntaxError", &["empty"]),
        case(
            "blank request",
            "  \r\n ",
            "Client.XMLSyntaxError",
            &["empty"],
        ),
        case(
            "unknown envelope namespace",
            "<e:Envelope xmlns:e=\"urn:not-soap\"><e:Body/></e:Envelope>",
            "VersionMismatch",
            &["unknown envelope namespace `urn:not-soap`"],
        ),
        case(
            "SOAP 1.2 envelope",
            format!("<e:Envelope xmlns:e=\"{SOAP12_ENVELOPE_NS}\"><e:Body/></e:Envelope>"),
            "VersionMismatch",
            &["SOAP 1.2 envelope was sent to a SOAP 1.1 endpoint"],
        ),
        case(
            "not an envelope",
            "<g:echo_string xmlns:g=\"urn:golden\"/>",
            "Client.InvalidEnvelope",
            &["`{urn:golden}echo_string` is not a SOAP Envelope"],
        ),
        case(
            "missing Body",
            format!("<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header/></s:Envelope>"),
            "Client.InvalidEnvelope",
            &["no Body"],
        ),
        case(
            "empty Body",
            envelope(" "),
            "Client.InvalidEnvelope",
            &["the Body has no element"],
        ),
        case(
            "two Body elements",
            envelope("<g:nothing/><g:nothing/>"),
            "Client.InvalidEnvelope",
            &["more than one element"],
        ),
        case(
            "unknown operation",
            envelope("<g:nope/>"),
            "Client.MethodNotFound",
            &["`{urn:golden}nope`"],
        ),
        case(
            "operation in another namespace",
            envelope("<echo_string xmlns=\"urn:elsewhere\"/>"),
            "Client.MethodNotFound",
            &["`{urn:elsewhere}echo_string`"],
        ),
        case(
            "missing required element",
            envelope("<g:echo_string/>"),
            "Client.ValidationError",
            &["missing required element `s`"],
        ),
        case(
            "unexpected element",
            envelope("<g:echo_string><g:s>x</g:s><g:t>y</g:t></g:echo_string>"),
            "Client.ValidationError",
            &["unexpected element `{urn:golden}t`", "line 1, column"],
        ),
        case(
            "unqualified element",
            envelope("<g:echo_string><s>x</s></g:echo_string>"),
            "Client.ValidationError",
            &[
                "unexpected element `s`",
                "must be in namespace `urn:golden`",
            ],
        ),
        case(
            "duplicate element",
            envelope("<g:echo_string><g:s>x</g:s><g:s>y</g:s></g:echo_string>"),
            "Client.ValidationError",
            &["`{urn:golden}s` appears more than once"],
        ),
        case(
            "elements out of order",
            envelope("<g:ranged><g:code>ab</g:code><g:n>1</g:n></g:ranged>"),
            "Client.ValidationError",
            &["`{urn:golden}n` is out of sequence order"],
        ),
        case(
            "wrong lexical value",
            envelope("<g:ranged><g:n>ten</g:n><g:code>ab</g:code></g:ranged>"),
            "Client.ValidationError",
            &["\"ten\" is not a valid xs:int", "`n`"],
        ),
        case(
            "value out of the type's range",
            envelope("<g:ranged><g:n>99999999999</g:n><g:code>ab</g:code></g:ranged>"),
            "Client.ValidationError",
            &["out of range", "`n`"],
        ),
        case(
            "value out of the declared range",
            envelope("<g:ranged><g:n>0</g:n><g:code>ab</g:code></g:ranged>"),
            "Client.ValidationError",
            &["field `n`", "at least 1"],
        ),
        case(
            "string longer than declared",
            envelope("<g:ranged><g:n>1</g:n><g:code>abcd</g:code></g:ranged>"),
            "Client.ValidationError",
            &["field `code`", "exceeds the maximum of 3"],
        ),
        case(
            "nil on a non-nillable field",
            envelope("<g:echo_string><g:s xsi:nil=\"true\"/></g:echo_string>"),
            "Client.ValidationError",
            &["`s` is nil", "not nillable"],
        ),
        case(
            "element in a simple value",
            envelope("<g:echo_string><g:s><g:x/></g:s></g:echo_string>"),
            "Client.ValidationError",
            &["unexpected element `g:x` in `s`"],
        ),
        case(
            "wrong array item",
            envelope(
                "<g:echo_containers><g:c><g:nil xsi:nil=\"true\"/><g:ints><g:integer>1</g:integer></g:ints></g:c></g:echo_containers>",
            ),
            "Client.ValidationError",
            &[
                "unexpected element `{urn:golden}integer`",
                "`{urn:golden}int`",
            ],
        ),
        case(
            "bad enumeration value",
            envelope(
                "<g:echo_derived><g:d><b:id xmlns:b=\"urn:golden:base\">1</b:id><g:extra/><g:day>Thursday</g:day></g:d></g:echo_derived>",
            ),
            "Client.ValidationError",
            &["\"Thursday\" is not a valid xs:Day", "`day`"],
        ),
        case(
            "nesting deeper than the limit",
            envelope(&deep),
            "Client.LimitExceeded",
            &["deeper than the limit of 128"],
        ),
        case(
            "must understand",
            format!(
                "<s:Envelope xmlns:s=\"{SOAP11}\" xmlns:g=\"urn:golden\"><s:Header><x:A xmlns:x=\"urn:x\" s:mustUnderstand=\"1\"/></s:Header><s:Body><g:nothing/></s:Body></s:Envelope>"
            ),
            "MustUnderstand",
            &["`{urn:x}A` must be understood"],
        ),
    ]
}

fn app_with(protocol11: bool, limits: Limits) -> Arc<Application> {
    let builder = Application::builder("Golden", "urn:golden").service(GoldenService);
    let builder = if protocol11 {
        builder.protocol(Soap11::with_limits(limits))
    } else {
        builder.protocol(Soap12::with_limits(limits))
    };
    builder.build().expect("valid application")
}

fn check(app: &Arc<Application>, case: &Case, code: &str, wire_code: &str, status: u16) {
    let (got_status, reply, fault) = common::serve_fault(app, &case.request);
    let Some((got_code, string)) = fault else {
        panic!("{}: no fault; reply: {reply}", case.name);
    };
    assert_eq!(got_code, code, "{}: {string}", case.name);
    for needle in case.says {
        assert!(
            string.contains(needle),
            "{}: {string:?} does not say {needle:?}",
            case.name
        );
    }
    assert_eq!(got_status, status, "{}", case.name);
    assert!(
        reply.contains(wire_code),
        "{}: {wire_code} not in {reply}",
        case.name
    );
    assert_well_formed(&reply);
}

#[test]
fn soap11_bad_input_table() {
    let app = app_with(true, Limits::default());
    for case in cases() {
        let wire = format!("<faultcode>soap11env:{}</faultcode>", case.code);
        check(&app, &case, case.code, &wire, 500);
    }
}

#[test]
fn soap12_bad_input_table() {
    let app = app_with(false, Limits::default());
    for mut case in cases() {
        if case.code == "VersionMismatch" {
            continue;
        }
        case.request = if case.name == "invalid UTF-8" {
            // Byte for byte: a lossy conversion would turn the invalid byte into U+FFFD.
            let at = case
                .request
                .windows(SOAP11.len())
                .position(|w| w == SOAP11.as_bytes())
                .expect("a SOAP 1.1 envelope");
            let mut bytes = case.request[..at].to_vec();
            bytes.extend_from_slice(SOAP12_ENVELOPE_NS.as_bytes());
            bytes.extend_from_slice(&case.request[at + SOAP11.len()..]);
            assert!(std::str::from_utf8(&bytes).is_err(), "the bad byte is kept");
            bytes
        } else {
            String::from_utf8_lossy(&case.request)
                .replace(SOAP11, SOAP12_ENVELOPE_NS)
                .into_bytes()
        };
        let (head, status) = match case.code.split('.').next() {
            Some("Client") => ("Sender", 400),
            Some(other) => (other, 500),
            None => ("Receiver", 500),
        };
        let wire = format!("<soap12env:Value>soap12env:{head}</soap12env:Value>");
        check(&app, &case, case.code, &wire, status);
    }
}

#[test]
fn soap11_envelope_sent_to_soap12_endpoint() {
    let app = app_with(false, Limits::default());
    let case = case(
        "SOAP 1.1 envelope",
        envelope("<g:nothing/>"),
        "VersionMismatch",
        &["SOAP 1.1 envelope was sent to a SOAP 1.2 endpoint"],
    );
    check(
        &app,
        &case,
        "VersionMismatch",
        "soap12env:VersionMismatch",
        500,
    );
}

#[test]
fn configured_limits() {
    let body = envelope("<g:echo_string><g:s>0123456789</g:s></g:echo_string>");
    let items = envelope(
        "<g:echo_bare_array><g:string>1</g:string><g:string>2</g:string><g:string>3</g:string></g:echo_bare_array>",
    );
    let limited = [
        (
            Limits::default().max_input_bytes(100),
            body.clone(),
            "Client.RequestTooLong",
            "more than the limit of 100 bytes",
        ),
        (
            Limits::default().max_string_bytes(5),
            body.clone(),
            "Client.LimitExceeded",
            "longer than the limit of 5 bytes",
        ),
        (
            Limits::default().max_depth(3),
            body.clone(),
            "Client.LimitExceeded",
            "deeper than the limit of 3",
        ),
        (
            Limits::default().max_elements(3),
            body.clone(),
            "Client.LimitExceeded",
            "more than the limit of 3 elements",
        ),
        (
            Limits::default().max_array_items(2),
            items,
            "Client.LimitExceeded",
            "more than the limit of 2 items",
        ),
        (
            Limits::default().max_attributes(2),
            body.replace("<g:s>", "<g:s a='1' b='2' c='3'>"),
            "Client.LimitExceeded",
            "more than the limit of 2 attributes",
        ),
    ];
    for (limits, request, code, says) in limited {
        let app = app_with(true, limits);
        let (_, reply, fault) = common::serve_fault(&app, request.as_bytes());
        let (got, string) = fault.unwrap_or_else(|| panic!("no fault for {says}: {reply}"));
        assert_eq!(got, code, "{string}");
        assert!(string.contains(says), "{string:?} does not say {says:?}");
        assert_well_formed(&reply);
    }
    assert_eq!(Limits::default().max_depth(10_000).max_depth, 256);
}

#[test]
fn garbage_never_panics() {
    let app = app_with(true, Limits::default());
    let valid = envelope(
        "<g:echo_containers><g:c><g:nil xsi:nil=\"true\"/><g:ints><g:int>1</g:int></g:ints><g:xml><a/></g:xml></g:c></g:echo_containers>",
    );
    // Every prefix of a valid request, and every single-byte corruption of it.
    for end in 0..valid.len() {
        let (_, reply, _) = common::serve_fault(&app, &valid.as_bytes()[..end]);
        assert_well_formed(&reply);
    }
    for at in 0..valid.len() {
        for byte in [b'<', b'>', b'&', b'"', b'/', b'x', 0u8, 0xC3] {
            let mut bytes = valid.clone().into_bytes();
            bytes[at] = byte;
            let (_, reply, _) = common::serve_fault(&app, &bytes);
            assert_well_formed(&reply);
        }
    }
}

mod fuzzish {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "<",
            ">",
            "</",
            "/>",
            "s:Envelope",
            "s:Body",
            "s:Header",
            "g:echo_string",
            "g:echo_containers",
            "g:s",
            "g:ints",
            "g:int",
            " xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"",
            " xmlns:g=\"urn:golden\"",
            " xmlns=\"\"",
            " xsi:nil=\"true\"",
            " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
            "&amp;",
            "&#13;",
            "&",
            "'",
            "\"",
            "=",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "<?",
            "?>",
            "<!DOCTYPE",
            "x",
            "1",
            " ",
            "\r\n",
            "é",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn markup_soup_gets_a_well_formed_reply(pieces in prop::collection::vec(piece(), 0..80)) {
            let app = app_with(true, Limits::default());
            let (_, reply, _) = common::serve_fault(&app, pieces.concat().as_bytes());
            assert_well_formed(&reply);
        }

        #[test]
        fn arbitrary_bytes_get_a_well_formed_reply(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let app = app_with(false, Limits::default());
            let (_, reply, _) = common::serve_fault(&app, &bytes);
            assert_well_formed(&reply);
        }
    }
}
