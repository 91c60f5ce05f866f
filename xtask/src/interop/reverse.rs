//! The reverse direction: our clients against other stacks' servers. `interop_client` (every
//! operation of the interop contract, through the typed clients) against Spyne's own interop
//! server (`spyne.test.interop.server.soap11.soap_http_basic`, from PyPI), and `hello_client`
//! against a node-soap server of the hello contract (`xtask/interop/node_hello_server.js`).
//! Each is a column of the table: `ours->Spyne`, `ours->node`.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::process;
use super::report::{Results, Status, WSDL_ROW};

/// The column of `interop_client` against Spyne.
pub(crate) const SPYNE: &str = "ours->Spyne";
/// The column of `hello_client` against node-soap.
pub(crate) const NODE_SERVER: &str = "ours->node";
/// Operations Spyne's interop server cannot answer, and why (`interop_client --skip`s them).
const SPYNE_LACKS: &[(&str, &str)] = &[
    (
        "echo_array_in_array",
        "Spyne's server cannot serialize it (input and output types differ): a body-less envelope",
    ),
    (
        "huge_number",
        "Spyne's server cannot print 2^100000 under Python 3.11's 4300-digit int limit: a \
         body-less envelope",
    ),
];
const START_LIMIT: Duration = Duration::from_secs(30);
const CLIENT_LIMIT: Duration = Duration::from_secs(300);

/// A server process, ended when dropped.
pub(super) struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port free right now on the loopback interface.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Starts `cmd` (output to `log`) and waits until it accepts connections on `port`.
fn start(mut cmd: Command, port: u16, log: &Path, what: &str) -> Result<Running> {
    let file =
        std::fs::File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file)
        .spawn()
        .with_context(|| format!("cannot start {what}: {}", process::describe(&cmd)))?;
    let mut running = Running(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = running.0.try_wait()? {
            bail!(
                "{what} exited ({status}) before listening; see {}",
                log.display()
            );
        }
        if started.elapsed() > START_LIMIT {
            bail!("{what} did not listen on port {port} within {START_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(running)
}

/// Starts the server `command` makes for a free port (its output to `logs/<log>` under `out`)
/// and waits until it listens. Returns the port and the running server.
pub(super) fn serve(
    out: &Path,
    log: &str,
    what: &str,
    command: impl FnOnce(u16) -> Command,
) -> Result<(u16, Running)> {
    let port = free_port()?;
    let running = start(command(port), port, &out.join("logs").join(log), what)?;
    Ok((port, running))
}

/// `node <script> <wsdl> <port>` with node-soap on `NODE_PATH`: one of our node-soap servers
/// (`xtask/interop/node_*_server.js`), serving `wsdl`.
pub(super) fn node_server(
    scripts: &Path,
    script: &str,
    node_modules: &Path,
    wsdl: &Path,
    port: u16,
) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(scripts.join(script))
        .arg(wsdl)
        .arg(port.to_string())
        .env("NODE_PATH", node_modules);
    cmd
}

/// `interop_client` against Spyne's interop server, into the `ours->Spyne` column (rows of
/// the interop service).
pub(crate) fn spyne(
    python: &Path,
    examples: &Path,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    // The module picks a random port unless told: set it before its main().
    let (port, _server) = serve(out, "spyne-server.log", "Spyne's interop server", |port| {
        let mut cmd = Command::new(python);
        cmd.args([
            "-c",
            "import sys; from spyne.test.interop.server.soap11 import soap_http_basic as s; \
             s.port[0] = int(sys.argv[1]); s.main()",
        ])
        .arg(port.to_string())
        .env("PYTHONDONTWRITEBYTECODE", "1");
        cmd
    })?;
    eprintln!("xtask interop: running interop_client against Spyne on port {port}");
    let mut client = Command::new(examples.join("interop_client"));
    client.args(["--url", &format!("http://127.0.0.1:{port}/")]);
    for (op, _) in SPYNE_LACKS {
        client.args(["--skip", op]);
    }
    let output = process::run(&mut client, CLIENT_LIMIT)?;
    super::save_log(out, "interop_client-spyne", &output)?;
    let mut seen = Vec::new();
    for line in output.stdout.lines() {
        let (status, rest) = match line.split_once(' ') {
            Some(("PASS", op)) => (Status::Pass, (op, "")),
            Some(("FAIL", rest)) => (Status::Fail, rest.split_once(": ").unwrap_or((rest, ""))),
            Some(("SKIP", op)) => {
                let why = SPYNE_LACKS
                    .iter()
                    .find(|(o, _)| *o == op)
                    .map_or("skipped", |(_, why)| why);
                (Status::NotExpressible, (op, why))
            }
            _ => continue,
        };
        let (op, detail) = rest;
        seen.push(op.to_owned());
        results.set(SPYNE, &format!("interop.{op}"), status, detail);
    }
    results.set(
        SPYNE,
        &format!("interop.{WSDL_ROW}"),
        Status::NotExpressible,
        "typed clients from the contract's Rust definition: no WSDL read",
    );
    for op in results.operations("interop") {
        if op != WSDL_ROW && !seen.contains(&op) {
            results.set(
                SPYNE,
                &format!("interop.{op}"),
                Status::Fail,
                &format!(
                    "not reported by interop_client ({})",
                    output.failure_summary()
                ),
            );
        }
    }
    if !output.success() && !output.stdout.contains("FAIL ") {
        results.fail_general(SPYNE, output.failure_summary());
    }
    Ok(())
}

/// `hello_client` against node-soap serving our hello WSDL, into the `ours->node` column.
pub(crate) fn node(
    scripts: &Path,
    node_modules: &Path,
    hello_wsdl: &Path,
    examples: &Path,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    let (port, _server) = serve(
        out,
        "node-hello-server.log",
        "node-soap's hello server",
        |port| {
            node_server(
                scripts,
                "node_hello_server.js",
                node_modules,
                hello_wsdl,
                port,
            )
        },
    )?;
    eprintln!("xtask interop: running hello_client against node-soap on port {port}");
    let output = process::run(
        Command::new(examples.join("hello_client")).args([
            "--url",
            &format!("http://127.0.0.1:{port}/"),
            "Dave",
            "3",
        ]),
        CLIENT_LIMIT,
    )?;
    super::save_log(out, "hello_client-node", &output)?;
    let lines: Vec<&str> = output.stdout.lines().collect();
    let (status, detail) = if output.success() && lines == ["Hello, Dave"; 3] {
        (Status::Pass, String::new())
    } else {
        (
            Status::Fail,
            format!(
                "expected three greetings, got {lines:?} ({})",
                output.failure_summary()
            ),
        )
    };
    results.set(NODE_SERVER, "hello.say_hello", status, &detail);
    results.set(
        NODE_SERVER,
        &format!("hello.{WSDL_ROW}"),
        Status::Pass,
        "node-soap served our hello WSDL",
    );
    Ok(())
}
