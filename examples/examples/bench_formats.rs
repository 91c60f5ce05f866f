//! The bench service of `docs/contracts/bench-service.md` in another wire format than SOAP,
//! at every path: `--protocol json` (JsonDocument) or `--protocol msgpack` (MessagePack).
//! `cargo xtask bench http` loads it with `examples/data/bench/w*-request.{json,msgpack}`.
//!
//! Run: `cargo run --release -p rpclib-examples --example bench_formats -- --protocol json
//! --port 8000`, then `curl -d @examples/data/bench/w1-request.json http://127.0.0.1:8000/`.

use anyhow::{Context, bail};
use rpclib_examples::bench;
use rpclib_examples::server::{ServerArgs, serve};
use rpclib_protocol_json::JsonDocument;
use rpclib_protocol_msgpack::MsgPack;

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let mut protocol = None;
    let mut rest = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--protocol" {
            protocol = Some(args.next().context("--protocol json|msgpack")?);
        } else {
            rest.push(a);
        }
    }
    let builder = bench::builder();
    let app = match protocol.as_deref() {
        Some("json") => builder.protocol(JsonDocument::new()).build()?,
        Some("msgpack") => builder.protocol(MsgPack::new()).build()?,
        other => bail!("--protocol takes json or msgpack, not {other:?}"),
    };
    serve(app, &ServerArgs::parse(rest)?)
}
