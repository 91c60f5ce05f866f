//! Calls the hello example over HTTP or HTTPS with the typed client generated from the same
//! service definition; prints each greeting and exits non-zero on any error.
//!
//! Run the server (`cargo run -p rpclib-examples --example hello -- --port 8000`), then:
//! `cargo run -p rpclib-examples --example hello_client -- --url http://127.0.0.1:8000/ Dave 3`
//!
//! Flags: `--url URL` (default `http://127.0.0.1:8000/`), `--ca-cert FILE` (trust this PEM
//! root, e.g. the self-signed certificate of `hello --tls-cert`; the web PKI roots stay
//! trusted), `--platform-roots` (trust the platform's root store too, e.g. a private CA
//! installed system-wide; on Linux `SSL_CERT_FILE` / `SSL_CERT_DIR` name it), `--user U --password P` (HTTP Basic), `--wsse-user U --wsse-password P
//! [--wsse-digest] [--wsse-timestamp]` (a WS-Security UsernameToken, the password as text or as a
//! digest, optionally beside a `wsu:Timestamp` valid for five minutes). Then
//! optionally a name (default `Dave`)
//! and a count (default 3). A first positional argument that looks like a URL is taken as
//! the URL, as before.

use std::io::Write;

use anyhow::{Context, bail};
use rpclib_core::{Application, Service};
use rpclib_examples::hello::{HelloWorldService, HelloWorldServiceClient, TNS};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{HttpClient, HttpClientConfig, TlsConfig};
use rpclib_ws_security::{PasswordType, UsernameToken, WithUsernameToken};

const USAGE: &str = "usage: hello_client [--url URL] [--ca-cert FILE] [--platform-roots] \
     [--user U --password P] \
     [--wsse-user U --wsse-password P [--wsse-digest] [--wsse-timestamp]] [NAME [TIMES]]";
/// How long the `wsu:Timestamp` of `--wsse-timestamp` is valid.
const TIMESTAMP_TTL: std::time::Duration = std::time::Duration::from_secs(300);

fn main() -> anyhow::Result<()> {
    env_logger::init();
    run(std::env::args().skip(1), &mut std::io::stdout())
}

/// Parses the arguments (without the program name), makes the call and writes each greeting
/// on a line of `out`.
pub fn run(args: impl IntoIterator<Item = String>, out: &mut impl Write) -> anyhow::Result<()> {
    let mut url = "http://127.0.0.1:8000/".to_owned();
    let mut ca_cert = None;
    let mut platform_roots = false;
    let (mut user, mut password) = (None, None);
    let (mut wsse_user, mut wsse_password, mut wsse_digest) = (None, None, false);
    let mut wsse_timestamp = false;
    let mut positional = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--url" => url = value()?,
            "--ca-cert" => ca_cert = Some(value()?),
            "--platform-roots" => platform_roots = true,
            "--user" => user = Some(value()?),
            "--password" => password = Some(value()?),
            "--wsse-user" => wsse_user = Some(value()?),
            "--wsse-password" => wsse_password = Some(value()?),
            "--wsse-digest" => wsse_digest = true,
            "--wsse-timestamp" => wsse_timestamp = true,
            "--help" | "-h" => bail!(USAGE),
            other if other.starts_with("--") => bail!("unknown flag {other:?}\n{USAGE}"),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter().peekable();
    if let Some(first) = positional.next_if(|a| a.contains("://")) {
        url = first;
    }
    let name = positional.next().unwrap_or_else(|| "Dave".to_owned());
    let times: u32 = positional
        .next()
        .unwrap_or_else(|| "3".to_owned())
        .parse()
        .context("times")?;
    if positional.next().is_some() {
        bail!("too many arguments\n{USAGE}");
    }

    let mut config = HttpClientConfig::default();
    let mut tls = TlsConfig::default();
    if let Some(path) = &ca_cert {
        let pem = std::fs::read(path).with_context(|| format!("--ca-cert {path}"))?;
        tls = tls.with_root_pem(&pem)?;
    }
    if platform_roots {
        tls = tls.with_platform_roots();
    }
    config = config.with_tls(tls);
    match (&user, &password) {
        (Some(user), Some(password)) => config = config.with_basic_auth(user, password)?,
        (None, None) => {}
        _ => bail!("--user and --password go together"),
    }

    // The client's application declares the service and the protocol; no instance needed.
    let app = Application::builder("Application", TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    let caller = HttpClient::with_config(&url, config)?.caller(app);
    let lines = match (&wsse_user, &wsse_password) {
        (Some(user), Some(password)) => {
            let kind = if wsse_digest {
                PasswordType::Digest
            } else {
                PasswordType::Text
            };
            let mut token = UsernameToken::new(user, password, kind)?;
            if wsse_timestamp {
                token = token.with_timestamp(TIMESTAMP_TTL);
            }
            HelloWorldServiceClient::new(WithUsernameToken::new(caller, token))
                .say_hello(name, times)?
        }
        (None, None) if wsse_digest || wsse_timestamp => {
            bail!("--wsse-digest and --wsse-timestamp need --wsse-user and --wsse-password")
        }
        (None, None) => HelloWorldServiceClient::new(caller).say_hello(name, times)?,
        _ => bail!("--wsse-user and --wsse-password go together"),
    };
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
