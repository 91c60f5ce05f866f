//! Runs the generator on every WSDL of the node-soap corpus: each one either generates (and
//! generates the same text twice) or fails with the asserted first error (location and message
//! fragment). A new or changed outcome fails this test and shows in the diff of the table.

use std::path::{Path, PathBuf};

type Expected = Result<(), (&'static str, &'static str)>;

/// File -> outcome: `Ok` generates; `Err((location suffix, message fragment))` is the first error.
const TABLE: &[(&str, Expected)] = &[
    ("Dummy.wsdl", Ok(())),
    (
        "array_namespace_override.wsdl",
        Err((
            "array_namespace_override.wsdl:69",
            "wsdl:portType \"SampleArraySoapService\": messages in namespace",
        )),
    ),
    (
        "attachments.wsdl",
        Err((
            "attachments.wsdl:15",
            "XML: not well-formed XML: an unknown namespace prefix 'xmime' at 15:52",
        )),
    ),
    (
        "binding-exception.wsdl",
        Err(("binding-exception.wsdl:8", "xs:element @type: `wsdlt:ID")),
    ),
    (
        "binding_document.wsdl",
        Err((
            "binding_document.wsdl:4",
            "wsdl:binding @type: `wsdlns:mySoapPort",
        )),
    ),
    (
        "builtin_types.wsdl",
        Err((
            "builtin_types.wsdl:73",
            "wsdl:part \"normalizedstring\" @element: element",
        )),
    ),
    // The abstract `AbstractData` is only the base of `Data1` and `Data2`, which the choice
    // names directly: plain structs with a base field.
    ("complex/mixed-sequence.wsdl", Ok(())),
    (
        "complex/registration-common.wsdl",
        Err((
            "complex/registration-common.wsdl:34",
            "wsdl:operation \"registerUser\" message: message",
        )),
    ),
    (
        "complex/registration.wsdl",
        Err((
            "complex/registration-common.wsdl:34",
            "wsdl:operation \"registerUser\" message: message",
        )),
    ),
    (
        "connection/econnrefused.wsdl",
        Err((
            "connection/econnrefused.wsdl:11",
            "XML: not well-formed XML: an unknown namespace prefix 'xsd' at 11:8",
        )),
    ),
    // Its one operation is a notification, skipped with a warning: a types crate.
    ("cross_schema.wsdl", Ok(())),
    ("default_namespace.wsdl", Ok(())),
    (
        "default_namespace_soap12.wsdl",
        Err((
            "default_namespace_soap12.wsdl:30",
            "XML: not well-formed XML: an unknown namespace prefix 'soap' at 30:6",
        )),
    ),
    ("elementref/foo.wsdl", Ok(())),
    ("empty_body.wsdl", Ok(())),
    (
        "extended_element.wsdl",
        Err((
            "extended_element.wsdl:26",
            "wsdl:part @element: `e:ExtendedDummyRequest",
        )),
    ),
    ("extended_recursive.wsdl", Ok(())),
    ("extensionBase/foo.wsdl", Ok(())),
    (
        "fixedPath/netsuite.wsdl",
        Err(("", "xs:import: cannot open")),
    ),
    (
        "hello.wsdl",
        Err(("hello.wsdl:20", "rpc/encoded: operation `sayHello")),
    ),
    ("include_with_duplicated_namespace.wsdl", Ok(())),
    (
        "json_response.wsdl",
        Err((
            "json_response.wsdl:14",
            "wsdl:part \"parameter\" @element: element",
        )),
    ),
    ("list_parameter.wsdl", Ok(())),
    ("marketo.wsdl", Err(("marketo.wsdl:26", "type reference:"))),
    (
        "mergeWithAttributes/main.wsdl",
        Err((
            "mergeWithAttributes/def.xsd:13",
            "XML: not well-formed XML: an unknown namespace prefix 'xs' at 13:8",
        )),
    ),
    (
        "missing_message_definition.wsdl",
        Err((
            "missing_message_definition.wsdl:35",
            "wsdl:operation \"GetWeather\" message: message",
        )),
    ),
    (
        "multi-service.wsdl",
        Err((
            "multi-service.wsdl:82",
            "rpc/encoded: operation `sayAnotherBye",
        )),
    ),
    // Two operations on one request element (told apart by SOAPAction): two traits.
    ("non_identifier_chars_in_operation.wsdl", Ok(())),
    // The notification `OperationB` is skipped with a warning; `OperationA` generates.
    ("nsTypeConflict/main.wsdl", Ok(())),
    (
        "perf/order.wsdl",
        Err(("perf/order.wsdl:24", "type reference: `RabbitHole")),
    ),
    ("recursive.wsdl", Ok(())),
    (
        "recursive/file.wsdl",
        Err((
            "recursive/A.xsd:1",
            "XML: not well-formed XML: the root node was opened but never closed",
        )),
    ),
    (
        "recursive2.wsdl",
        Err((
            "recursive2.wsdl:145",
            "soap:header: message `{http://bugrepro.com/account}AddAttributeSecureHeader` is not declared",
        )),
    ),
    ("recursive_with_ref.wsdl", Ok(())),
    ("recursive_with_ref2.wsdl", Ok(())),
    ("redefined-ns.wsdl", Ok(())),
    ("ref_element_same_as_type.wsdl", Ok(())),
    (
        "rpcexample.wsdl",
        Err((
            "rpcexample.wsdl:38",
            "type reference: `{http://www.w3.org/2003/05/soap-encoding}Array",
        )),
    ),
    ("schema_with_no_targetnamespace.wsdl", Ok(())),
    (
        "schemas_without_targetnamespace.wsdl",
        Err((
            "schemas_without_targetnamespace.wsdl:14",
            "wsdl:part @element: `n:DummyRequest",
        )),
    ),
    ("self_referencing.wsdl", Ok(())),
    ("strict/CyberSourceTransaction_1.26.wsdl", Ok(())),
    ("strict/CyberSourceTransaction_1.26_2.wsdl", Ok(())),
    (
        "strict/CyberSourceTransaction_1.26_3.wsdl",
        Err((
            "strict/CyberSourceTransaction_1.26_3.wsdl:9",
            "wsdl:part \"input\" @element: element",
        )),
    ),
    (
        "strict/EVacSyncService_SPClient.wsdl",
        Err((
            "strict/EVacSyncService_SPClient.wsdl:110",
            "rpc/encoded: operation `eOrderRelationUpdateNotify",
        )),
    ),
    (
        "strict/ImportSample.wsdl",
        Err((
            "strict/ImportSample.xsd:2",
            "XML: not well-formed XML: an unknown namespace prefix 'xsd' at 2:4",
        )),
    ),
    ("strict/Netsuite.wsdl", Err(("", "xs:import: cannot open"))),
    ("strict/ip2tele.wsdl", Ok(())),
    ("strict/logincms.wsdl", Ok(())),
    (
        "strict/npe.wsdl",
        Err((
            "strict/npe.wsdl:4",
            "wsdl:binding @type: `wsdlns:mySoapPort",
        )),
    ),
    ("strict/one-way.wsdl", Ok(())),
    (
        "strict/stockquote-url.wsdl",
        Err((
            "strict/stockquote-url.wsdl:12",
            "xs:include: remote location `http://localhost:51515/ImportSample.xsd",
        )),
    ),
    (
        "strict/stockquote.wsdl",
        Err((
            "strict/stockquote.wsdl:41",
            "wsdl:part \"body\" @element: element",
        )),
    ),
    (
        "tnsImportConflict/bar.wsdl",
        Err((
            "",
            "wsdl:definitions: nothing to generate: no SOAP operation and no type",
        )),
    ),
    ("tnsImportConflict/foo.wsdl", Ok(())),
    (
        "tnsImportConflict/root.wsdl",
        Err((
            "tnsImportConflict/root.wsdl:12",
            "wsdl:port \"TestPort\" @binding: binding",
        )),
    ),
    (
        "typeof_null_extend_check.wsdl",
        Err((
            "typeof_null_extend_check.wsdl:10",
            "type reference: `{http://www.qas.com/web-2010-12}QAConfigType",
        )),
    ),
    (
        "typeref/order.wsdl",
        Err(("typeref/ns2.xsd:7", "type reference: `LineItemType")),
    ),
    (
        "ws-policy.wsdl",
        Err((
            "ws-policy.wsdl:6",
            "XML: not well-formed XML: an unknown namespace prefix 'wsu' at 6:17",
        )),
    ),
    ("wsdlImport/main.wsdl", Ok(())),
    // Types and a port type without binding: a types crate.
    ("wsdlImport/overridden.wsdl", Ok(())),
    // Types and a port type without binding: a types crate.
    ("wsdlImport/sub.wsdl", Ok(())),
    ("wsdl_style_mix.wsdl", Ok(())),
    (
        "wsdl_with_attributes.wsdl",
        Err((
            "wsdl_with_attributes.wsdl:13",
            "XML: not well-formed XML: an unknown namespace prefix 's' at 13:22",
        )),
    ),
    (
        "wsdl_with_restriction_attributes.wsdl",
        Err((
            "wsdl_with_restriction_attributes.wsdl:52",
            "wsdl:part \"personId\" @type: document style with a type part (WS-I R2204",
        )),
    ),
    (
        "xsdinclude/xsd_include.wsdl",
        Err((
            "xsdinclude/xsd_include.wsdl:25",
            "type reference: `{http://www.dummy.com/Types}DummyList",
        )),
    ),
    (
        "xsdinclude/xsd_include_http.wsdl",
        Err((
            "xsdinclude/xsd_include_http.wsdl:13",
            "xs:include: remote location `http://localhost:50000/Platform.asmx?xsd",
        )),
    ),
    (
        "xsdinclude/xsd_include_inline_xmlns.wsdl",
        Err((
            "xsdinclude/types_inline_xmlns.xsd:18",
            "type reference: `{http://www.dummy.com/Types}DummyList",
        )),
    ),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/node-soap")
}

fn wsdl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus directory")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            wsdl_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "wsdl") {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_wsdl_has_its_expected_outcome() {
    let root = corpus();
    let mut files = Vec::new();
    wsdl_files(&root, &mut files);
    let listed: Vec<&str> = TABLE.iter().map(|(f, _)| *f).collect();
    let mut failures = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&root)
            .expect("under the corpus")
            .to_string_lossy()
            .replace('\\', "/");
        let Some((_, expected)) = TABLE.iter().find(|(f, _)| *f == rel) else {
            failures.push(format!("{rel}: not in the table"));
            continue;
        };
        let result = rpclib_codegen::Builder::new().wsdl(file).generate();
        match (expected, result) {
            (Ok(()), Ok(g)) => {
                let again = rpclib_codegen::Builder::new()
                    .wsdl(file)
                    .generate()
                    .map(|g| g.code);
                if again.as_ref().ok() != Some(&g.code) {
                    failures.push(format!("{rel}: output differs between two runs"));
                }
            }
            (Ok(()), Err(e)) => failures.push(format!("{rel}: expected to generate, got {e}")),
            (Err((loc, frag)), Ok(_)) => failures.push(format!(
                "{rel}: expected `{loc}` `{frag}`, but it generated"
            )),
            (Err((loc, frag)), Err(e)) => {
                let first = e.errors().next().map(|d| d.to_string()).unwrap_or_default();
                let loc_ok = loc.is_empty() || first.contains(&format!("node-soap/{loc}:"));
                if !loc_ok || !first.contains(frag) {
                    failures.push(format!("{rel}: expected `{loc}` `{frag}`, got `{first}`"));
                }
            }
        }
    }
    for f in listed {
        if !files.iter().any(|p| p.ends_with(f)) {
            failures.push(format!("{f}: in the table but not in the corpus"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let generated = TABLE.iter().filter(|(_, e)| e.is_ok()).count();
    assert!(generated >= 29, "only {generated} corpus WSDLs generate");
}
