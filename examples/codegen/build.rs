//! Generates the logincms types, server trait and client from the WSDL at build time.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    rpclib_codegen::Builder::new()
        .wsdl("../../crates/codegen/tests/corpus/node-soap/strict/logincms.wsdl")
        .compile()?;
    Ok(())
}
