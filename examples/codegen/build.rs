//! Generates the logincms types, server trait and client from the WSDL at build time, and the
//! bench service's client from its published WSDL (for the `client_cost` example).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    rpclib_codegen::Builder::new()
        .wsdl("../../crates/codegen/tests/corpus/node-soap/strict/logincms.wsdl")
        .compile()?;
    // The WSDL `rpclib-examples`' bench service publishes (pinned by its snapshot test).
    rpclib_codegen::Builder::new()
        .wsdl("../tests/snapshots/bench.wsdl")
        .file_name("bench")
        .compile()?;
    Ok(())
}
