//! The classic hello service over HTTP with SOAP 1.1: `say_hello(name, times) -> [String]`.
//!
//! Run: `cargo run --release -p rpclib-examples --example hello -- --port 8000`, then fetch
//! `http://127.0.0.1:8000/?wsdl`. With `--tls-cert cert.pem --tls-key key.pem` it serves HTTPS
//! (`hello_client --url https://localhost:8000/ --ca-cert cert.pem` calls it). With
//! `--wsse-user U --wsse-password P` every call must carry a WS-Security UsernameToken of that
//! user (text or digest; `hello_client --wsse-user U --wsse-password P [--wsse-digest]`).

use anyhow::{Context, bail};
use rpclib_examples::hello;
use rpclib_examples::server::{ServerArgs, serve, soap_app};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    run(std::env::args().skip(1))
}

/// Parses the flags (without the program name) and serves until SIGINT or SIGTERM.
pub fn run(args: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    // The WS-Security flags are this example's own; the rest are the shared server flags.
    let (mut user, mut password) = (None, None);
    let mut rest = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--wsse-user" => user = Some(args.next().context("--wsse-user needs a value")?),
            "--wsse-password" => {
                password = Some(args.next().context("--wsse-password needs a value")?);
            }
            _ => rest.push(arg),
        }
    }
    let builder = match (user, password) {
        (Some(user), Some(password)) => hello::builder_with_username_token(&user, &password),
        (None, None) => hello::builder(),
        _ => bail!("--wsse-user and --wsse-password go together"),
    };
    let args = ServerArgs::parse(rest)?;
    serve(soap_app(builder)?, &args)
}
