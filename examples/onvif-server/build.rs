//! Generates the ONVIF device service (types, the `Device` server trait, its client) from
//! the corpus copy of `devicemgmt.wsdl`, its ONVIF schemas and the OASIS and W3C schemas
//! they import by URL, which the location map resolves to the corpus's copies: nothing is
//! fetched.

use std::path::Path;

// Build scripts talk to Cargo through stdout: printing is the interface here.
#[allow(clippy::print_stdout)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = Path::new("../../crates/codegen/tests/corpus/onvif");
    let generated = rpclib_codegen::Builder::new()
        .wsdl(corpus.join("www.onvif.org/ver10/device/wsdl/devicemgmt.wsdl"))
        .map(
            "http://docs.oasis-open.org/",
            corpus.join("docs.oasis-open.org"),
        )
        .map("http://www.w3.org/", corpus.join("www.w3.org"))
        .map("https://www.w3.org/", corpus.join("www.w3.org"))
        // Every operation answers `Server.NotImplemented` unless `Camera` implements it.
        .default_stubs(true)
        .generate()?;
    // `generate` rather than `compile`: the schemas' `xs:anyAttribute` warnings (documented
    // in the guide) would be repeated as `cargo:warning`s on every build of the example.
    for file in &generated.files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let out = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    std::fs::write(Path::new(&out).join("devicemgmt.rs"), generated.code)?;
    Ok(())
}
