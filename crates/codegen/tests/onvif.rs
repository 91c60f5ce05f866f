//! The ONVIF device, media and PTZ contracts (tests/corpus/onvif): each loads completely
//! through a location map (the OASIS and W3C schemas they import by URL) and has its asserted
//! outcome; without the map the first remote import is refused, never fetched.

use std::path::{Path, PathBuf};

use rpclib_codegen::Builder;

/// `Ok` generates, or `Err((location suffix, message fragment))`, the first error.
type Expected = Result<(), (&'static str, &'static str)>;

/// WSDL (under the corpus) -> its outcome.
const TABLE: &[(&str, Expected)] = &[
    ("www.onvif.org/ver10/device/wsdl/devicemgmt.wsdl", Ok(())),
    ("www.onvif.org/ver10/media/wsdl/media.wsdl", Ok(())),
    ("www.onvif.org/ver20/ptz/wsdl/ptz.wsdl", Ok(())),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/onvif")
}

/// The builder the docs show: every URL prefix the ONVIF files import maps to its copy.
fn builder(wsdl: &str) -> Builder {
    let root = corpus();
    Builder::new()
        .wsdl(root.join(wsdl))
        .map(
            "http://docs.oasis-open.org/",
            root.join("docs.oasis-open.org"),
        )
        .map("http://www.w3.org/", root.join("www.w3.org"))
        .map("https://www.w3.org/", root.join("www.w3.org"))
}

/// Diagnostics that mean a document was not loaded (as opposed to a construct refused).
const NOT_LOADED: &[&str] = &["cannot open", "never fetched", "not well-formed"];

#[test]
fn onvif_wsdls_load_through_the_location_map_and_have_their_expected_outcome() {
    let mut failures = Vec::new();
    for (wsdl, expected) in TABLE {
        let result = builder(wsdl).generate();
        match (expected, result) {
            (Ok(()), Ok(g)) => {
                if builder(wsdl).generate().map(|g| g.code).ok().as_ref() != Some(&g.code) {
                    failures.push(format!("{wsdl}: output differs between two runs"));
                }
            }
            (Ok(()), Err(e)) => failures.push(format!("{wsdl}: expected to generate, got {e}")),
            (Err((loc, frag)), Ok(_)) => failures.push(format!(
                "{wsdl}: expected `{loc}` `{frag}`, but it generated"
            )),
            (Err((loc, frag)), Err(e)) => {
                for d in e.errors() {
                    let text = d.to_string();
                    if NOT_LOADED.iter().any(|n| text.contains(n)) {
                        failures.push(format!("{wsdl}: not loaded: {text}"));
                    }
                }
                let first = e.errors().next().map(|d| d.to_string()).unwrap_or_default();
                if !first.contains(&format!("{loc}:")) || !first.contains(frag) {
                    failures.push(format!("{wsdl}: expected `{loc}` `{frag}`, got `{first}`"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_the_map_the_first_remote_import_is_refused_not_fetched() {
    let err = Builder::new()
        .wsdl(corpus().join("www.onvif.org/ver10/device/wsdl/devicemgmt.wsdl"))
        .generate()
        .expect_err("the OASIS and W3C imports cannot resolve without a map");
    let first = err
        .errors()
        .next()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        first.contains("is never fetched") && first.contains("http"),
        "{first}"
    );
}
