//! Times the generator on the largest contract of the corpus: ONVIF's devicemgmt.wsdl with
//! onvif.xsd (about 380 KB), common.xsd and the OASIS/W3C schemas they import. Loading,
//! schema IR and checking all run; the run ends at the first construct the model system
//! cannot express yet (the outcome tests/onvif.rs asserts), or with the generated code.
//!
//! `cargo bench -p rpclib-codegen --bench onvif` (release build); prints the median and
//! the slowest of 10 runs. A benchmark, not a test: the target (< 1 s) is checked by reading.

use std::path::Path;
use std::time::{Duration, Instant};

// A benchmark reports on stdout.
#[allow(clippy::print_stdout)]
fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/onvif");
    let builder = rpclib_codegen::Builder::new()
        .wsdl(root.join("www.onvif.org/ver10/device/wsdl/devicemgmt.wsdl"))
        .map(
            "http://docs.oasis-open.org/",
            root.join("docs.oasis-open.org"),
        )
        .map("http://www.w3.org/", root.join("www.w3.org"))
        .map("https://www.w3.org/", root.join("www.w3.org"));
    let mut times: Vec<Duration> = Vec::new();
    let mut outcome = String::new();
    for _ in 0..10 {
        let start = Instant::now();
        let result = builder.generate();
        times.push(start.elapsed());
        outcome = match result {
            Ok(g) => format!("generated {} bytes of Rust", g.code.len()),
            Err(e) => format!("refused with {} error(s)", e.errors().count()),
        };
    }
    times.sort();
    println!(
        "codegen devicemgmt.wsdl: median {:?}, slowest {:?} over {} runs ({outcome})",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}
