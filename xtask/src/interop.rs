//! `cargo xtask interop`: real SOAP clients against the example servers.
//!
//! Provisions the clients into `target/interop/` (a Python venv with zeep and suds, npm's
//! `soap`, Debian's gSOAP when running as root), builds and starts the interop, bench and hello
//! servers on free ports, drives every operation of their WSDLs with each client (the scripts and
//! C++ sources are in `xtask/interop/`), and prints a table client × operation. The interop and
//! bench servers speak SOAP 1.1 and 1.2 on one URL and publish both ports: the `zeep 1.2` and
//! `gSOAP 1.2` columns call them in SOAP 1.2 (zeep bound to the WSDL's SOAP 1.2 port, gSOAP
//! generated for SOAP 1.2), checking that every reply comes back in SOAP 1.2; the other columns
//! speak SOAP 1.1. The hello server also runs a second time with `--wsse-user/--wsse-password`
//! (service `hello-wsse`): zeep's `UsernameToken` and node-soap's `WSSecurity` call it with
//! text and digest passwords, which must pass, and with a wrong password, which must give the
//! `wsse:FailedAuthentication` fault. The `multi` example's `/jsonrpc` is called through
//! `jsonrpcclient` (a stock JSON-RPC 2.0 client) and every reply of its `/msgpack` decoded by
//! the `msgpack` package (`jsonrpc_client.py`, rows `jsonrpc` and `msgpack`). The interop
//! service served as JSON (`interop_json`) has its OpenAPI document checked by
//! `openapi-spec-validator` and every operation's request and reply validated by `openapi-core`
//! (`openapi_client.py`, column `openapi-core`, rows `interop-json`), and again over HttpRpc
//! under `/rpc` (rows `interop-rpc`). The reverse
//! direction runs our clients against other stacks' servers (`reverse.rs`): `interop_client`
//! against Spyne's own interop server (column `ours->Spyne`; the operations Spyne cannot answer
//! are listed as n/a with the reason) and `hello_client` against a node-soap server of our hello
//! WSDL (column `ours->node`); `bench_client` against gSOAP's server of the bench contract
//! (column `ours->gSOAP`) and node-soap serving our bench WSDL (`reverse_bench.rs`); `hello_client`
//! with a UsernameToken against a gSOAP hello server whose WS-Security plugin validates it
//! (rows `hello-wsse` of `ours->gSOAP`, `reverse_wsse.rs`); the `jsonrpc_client` example's
//! typed JSON-RPC clients against PyPI's `jsonrpcserver` serving the bench and hello
//! operations (column `ours->jsonrpcserver`, `reverse_jsonrpc.rs`; alone:
//! `cargo xtask interop jsonrpc-server`). Fails if anything fails, or if gSOAP had to be
//! skipped under `CI=true`.

pub(crate) mod gsoap;
mod process;
pub(crate) mod provision;
mod report;
mod reverse;
mod reverse_bench;
pub(crate) mod reverse_jsonrpc;
mod reverse_wsse;
mod servers;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use gsoap::GsoapService;
use report::{Results, Status, WSDL_ROW};
use servers::{Server, wsdl_operations};

const SERVICES: [&str; 3] = ["interop", "bench", "hello"];
const CLIENT_LIMIT: Duration = Duration::from_secs(600);
const ZEEP: &str = "zeep";
const ZEEP12: &str = "zeep 1.2";
const SUDS: &str = "suds";
const NODE: &str = "node-soap";
const GSOAP: &str = "gSOAP";
const GSOAP12: &str = "gSOAP 1.2";
const JSONRPC: &str = "jsonrpcclient";
const MSGPACK: &str = "msgpack";
/// The OpenAPI column: `openapi-spec-validator` and `openapi-core` on the interop service
/// served as JSON (`openapi_client.py`).
const OPENAPI: &str = "openapi-core";
/// The rows of that column: the interop service's operations, over JSON.
const OPENAPI_SERVICE: &str = "interop-json";
/// The rows of the HttpRpc pass of `openapi_client.py` (the interop service under `/rpc`).
const OPENAPI_RPC_SERVICE: &str = "interop-rpc";
/// The cases of `jsonrpc_client.py`, by pseudo-service (each its own column).
const MULTI_CASES: [(&str, &str, &[&str]); 2] = [
    (
        JSONRPC,
        "jsonrpc",
        &["single", "batch", "notification", "error"],
    ),
    (MSGPACK, "msgpack", &["say_hello", "faults"]),
];
/// The services that publish a SOAP 1.2 port (and serve 1.2 on the same URL).
const SOAP12_SERVICES: [&str; 2] = ["interop", "bench"];
/// What the gSOAP programs must call (the rest of their services is optional).
const GSOAP_REQUIRED: &[&str] = &[
    "hello.say_hello",
    "interop.echo_string",
    "interop.echo_integer_array",
    "interop.echo_simple_class",
    "interop.echo_nested_class",
    "bench.echo_string",
    "bench.echo_integer_array",
    "bench.echo_people",
];
/// The hello server requiring a WS-Security UsernameToken, and its rows.
const WSSE_SERVICE: &str = "hello-wsse";
const WSSE_USER: &str = "interop";
const WSSE_PASSWORD: &str = "p@ss w0rd <&>";
const WSSE_CASES: [&str; 5] = [
    "text",
    "digest",
    "digest+timestamp",
    "wrong password (text)",
    "wrong password (digest)",
];
/// Where the reader's test keeps gSOAP's WSDL of the bench contract.
const GSOAP_BENCH_FIXTURE: &str = "crates/interface-wsdl/tests/data/gsoap-bench.wsdl";

/// Runs the whole interop check from the workspace root.
pub(crate) fn interop(root: &Path) -> Result<()> {
    let started = Instant::now();
    let target = crate::target_dir()?;
    let out = target.join("interop");
    fs::create_dir_all(out.join("logs")).context("cannot create target/interop")?;
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");

    let clients = provision::provision(&out)?;
    if let Err(why) = &clients.gsoap {
        eprintln!();
        eprintln!("!!!!!!!! xtask interop: SKIPPING gSOAP: {why}");
        eprintln!("!!!!!!!! (run as root, or `apt-get install gsoap libgsoap-dev` first)");
        eprintln!();
    }

    crate::cargo(
        &[
            "build",
            "--release",
            "-p",
            "rpclib-examples",
            "--example",
            "interop",
            "--example",
            "bench",
            "--example",
            "hello",
            "--example",
            "multi",
            "--example",
            "interop_json",
            "--example",
            "interop_client",
            "--example",
            "hello_client",
            "--example",
            "bench_client",
            "--example",
            "jsonrpc_client",
        ],
        &[],
    )?;
    let examples = target.join("release").join("examples");
    let mut running = Vec::new();
    for name in SERVICES {
        let server = Server::start(
            name,
            &examples.join(name),
            &out.join("logs").join(format!("{name}-server.log")),
        )?;
        eprintln!("xtask interop: {name} server at {}", server.url);
        running.push(server);
    }

    let mut wsse_server = Server::start_with(
        WSSE_SERVICE,
        &examples.join("hello"),
        &["--wsse-user", WSSE_USER, "--wsse-password", WSSE_PASSWORD],
        &out.join("logs").join(format!("{WSSE_SERVICE}-server.log")),
    )?;
    eprintln!(
        "xtask interop: {WSSE_SERVICE} server at {}",
        wsse_server.url
    );
    // No WSDL at its root: started beside the others, called by its own script.
    let mut multi = Server::start(
        "multi",
        &examples.join("multi"),
        &out.join("logs").join("multi-server.log"),
    )?;
    eprintln!("xtask interop: multi server at {}", multi.url);

    let mut results = Results::default();
    for client in [
        ZEEP,
        ZEEP12,
        SUDS,
        NODE,
        GSOAP,
        GSOAP12,
        JSONRPC,
        MSGPACK,
        OPENAPI,
        reverse::SPYNE,
        reverse::NODE_SERVER,
        reverse_bench::GSOAP_SERVER,
        reverse_jsonrpc::COLUMN,
    ] {
        results.add_client(client);
    }
    let wsdl_dir = out.join("wsdl");
    fs::create_dir_all(&wsdl_dir)?;
    for server in &running {
        let wsdl = server.wsdl()?;
        fs::write(wsdl_dir.join(format!("{}.wsdl", server.name)), &wsdl)?;
        let ops = wsdl_operations(&wsdl)
            .with_context(|| format!("cannot list the operations of the {} WSDL", server.name))?;
        results.add_service(&server.name, &ops);
    }
    results.add_service(WSSE_SERVICE, &WSSE_CASES.map(str::to_owned));
    for (_, service, cases) in MULTI_CASES {
        results.add_rows(service, cases);
    }
    results.add_rows(reverse_jsonrpc::SERVICE, &reverse_jsonrpc::CASES);
    let urls: Vec<&str> = running.iter().map(|s| s.url.as_str()).collect();
    let scripts = root.join("xtask").join("interop");

    for (client, script) in [(ZEEP, "zeep_client.py"), (SUDS, "suds_client.py")] {
        eprintln!("xtask interop: running {client}");
        let output = process::run(
            Command::new(&clients.python)
                .arg(scripts.join(script))
                .args(&urls)
                .current_dir(&scripts)
                .env("PYTHONDONTWRITEBYTECODE", "1"),
            CLIENT_LIMIT,
        )?;
        save_log(&out, client, &output)?;
        results.ingest(client, &output, &SERVICES, false, &[]);
    }

    eprintln!("xtask interop: running {ZEEP12}");
    let soap12_urls: Vec<&str> = SOAP12_SERVICES
        .iter()
        .filter_map(|name| running.iter().find(|s| s.name == *name))
        .map(|s| s.url.as_str())
        .collect();
    let output = process::run(
        Command::new(&clients.python)
            .arg(scripts.join("zeep_client.py"))
            .arg("--soap12")
            .args(&soap12_urls)
            .current_dir(&scripts)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        CLIENT_LIMIT,
    )?;
    save_log(&out, "zeep-soap12", &output)?;
    results.ingest(ZEEP12, &output, &SOAP12_SERVICES, false, &[]);

    eprintln!("xtask interop: running {NODE}");
    let output = process::run(
        Command::new("node")
            .arg(scripts.join("node_client.js"))
            .args(&urls)
            .current_dir(&scripts)
            .env("NODE_PATH", &clients.node_modules),
        CLIENT_LIMIT,
    )?;
    save_log(&out, NODE, &output)?;
    results.ingest(NODE, &output, &SERVICES, false, &[]);

    run_wsse(&clients, &scripts, &out, &wsse_server.url, &mut results)?;

    match provision::spyne_venv(&out.join("spyne-venv")) {
        Ok(python) => reverse::spyne(&python, &examples, &out, &mut results)?,
        Err(e) => results.fail_general(reverse::SPYNE, format!("cannot provision Spyne: {e:#}")),
    }
    reverse::node(
        &scripts,
        &clients.node_modules,
        &wsdl_dir.join("hello.wsdl"),
        &examples,
        &out,
        &mut results,
    )?;
    reverse_bench::node(
        &scripts,
        &clients.node_modules,
        &wsdl_dir.join("bench.wsdl"),
        &examples,
        &out,
        &mut results,
    )?;
    match provision::jsonrpcserver_venv(&out.join("jsonrpcserver-venv")) {
        Ok(python) => reverse_jsonrpc::run(&python, &scripts, &examples, &out, &mut results)?,
        Err(e) => results.fail_general(
            reverse_jsonrpc::COLUMN,
            format!("cannot provision jsonrpcserver: {e:#}"),
        ),
    }
    if let Err(e) = wsse_server.check_alive() {
        results.fail_general("server", format!("{e:#}"));
    }
    drop(wsse_server);
    for (client, service, _) in MULTI_CASES {
        eprintln!("xtask interop: running {client}");
        let output = process::run(
            Command::new(&clients.python)
                .arg(scripts.join("jsonrpc_client.py"))
                .arg(service)
                .arg(&multi.url)
                .current_dir(&scripts)
                .env("PYTHONDONTWRITEBYTECODE", "1"),
            CLIENT_LIMIT,
        )?;
        save_log(&out, client, &output)?;
        results.ingest(client, &output, &[service], false, &[]);
    }
    if let Err(e) = multi.check_alive() {
        results.fail_general("server", format!("{e:#}"));
    }
    drop(multi);
    run_openapi(&clients, &scripts, &examples, &out, &mut results)?;

    let gsoap_services = ["interop", "bench", "hello"];
    match &clients.gsoap {
        Err(why) => {
            results.set_all(GSOAP, &gsoap_services, Status::Skipped, why);
            results.set_all(GSOAP12, &SOAP12_SERVICES, Status::Skipped, why);
            results.set_all(
                reverse_bench::GSOAP_SERVER,
                &["bench", WSSE_SERVICE],
                Status::Skipped,
                why,
            );
            if ci {
                results.fail_general(GSOAP, format!("skipped under CI=true: {why}"));
                results.fail_general(GSOAP12, format!("skipped under CI=true: {why}"));
                results.fail_general(
                    reverse_bench::GSOAP_SERVER,
                    format!("skipped under CI=true: {why}"),
                );
            }
        }
        Ok(()) => run_gsoap(root, &out, &running, &examples, &mut results)?,
    }

    for server in &mut running {
        if let Err(e) = server.check_alive() {
            results.fail_general("server", format!("{e:#}"));
        }
    }
    drop(running);

    let table = results.render();
    fs::write(out.join("table.txt"), &table).context("cannot write target/interop/table.txt")?;
    print_table(&table);
    let elapsed = started.elapsed().as_secs_f64();
    let failures = results.failures();
    eprintln!(
        "xtask interop: {} in {elapsed:.1} s (logs and generated files in {})",
        if failures == 0 {
            "all passed"
        } else {
            "FAILED"
        },
        out.display()
    );
    if failures > 0 {
        bail!("{failures} interop check(s) failed (see the failures under the table)");
    }
    Ok(())
}

/// zeep's `UsernameToken` and node-soap's `WSSecurity` against the hello server that requires
/// a token (`xtask/interop/zeep_wsse.py`, `node_wsse.js`).
fn run_wsse(
    clients: &provision::Clients,
    scripts: &Path,
    out: &Path,
    url: &str,
    results: &mut Results,
) -> Result<()> {
    eprintln!("xtask interop: running {ZEEP} and {NODE} with WS-Security");
    let output = process::run(
        Command::new(&clients.python)
            .arg(scripts.join("zeep_wsse.py"))
            .args([url, WSSE_USER, WSSE_PASSWORD])
            .current_dir(scripts)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        CLIENT_LIMIT,
    )?;
    save_log(out, "zeep-wsse", &output)?;
    results.ingest(ZEEP, &output, &[WSSE_SERVICE], false, &[]);
    let output = process::run(
        Command::new("node")
            .arg(scripts.join("node_wsse.js"))
            .args([url, WSSE_USER, WSSE_PASSWORD])
            .current_dir(scripts)
            .env("NODE_PATH", &clients.node_modules),
        CLIENT_LIMIT,
    )?;
    save_log(out, "node-soap-wsse", &output)?;
    results.ingest(NODE, &output, &[WSSE_SERVICE], false, &[]);
    Ok(())
}

/// The interop service as JSON (the `interop_json` example): its OpenAPI document through
/// `openapi-spec-validator`, every operation called over JSON (rows `interop-json`) and over
/// HttpRpc (rows `interop-rpc`; the methods the document leaves out are `n/a` with its
/// reason) with the request and the reply validated by `openapi-core`
/// (`xtask/interop/openapi_client.py`).
fn run_openapi(
    clients: &provision::Clients,
    scripts: &Path,
    examples: &Path,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    let started = Instant::now();
    let operations: Vec<String> = results
        .operations("interop")
        .into_iter()
        .filter(|op| op != WSDL_ROW)
        .collect();
    let mut rows = vec!["(openapi)"];
    rows.extend(operations.iter().map(String::as_str));
    results.add_rows(OPENAPI_SERVICE, &rows);
    results.add_rows(OPENAPI_RPC_SERVICE, &rows[1..]);
    let mut server = Server::start(
        OPENAPI_SERVICE,
        &examples.join("interop_json"),
        &out.join("logs").join("interop-json-server.log"),
    )?;
    eprintln!("xtask interop: running {OPENAPI} against {}", server.url);
    let output = process::run(
        Command::new(&clients.python)
            .arg(scripts.join("openapi_client.py"))
            .arg(OPENAPI_SERVICE)
            .arg(OPENAPI_RPC_SERVICE)
            .arg(&server.url)
            .args(&operations)
            .current_dir(scripts)
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        CLIENT_LIMIT,
    )?;
    save_log(out, OPENAPI, &output)?;
    results.ingest(
        OPENAPI,
        &output,
        &[OPENAPI_SERVICE, OPENAPI_RPC_SERVICE],
        false,
        &[],
    );
    if let Err(e) = server.check_alive() {
        results.fail_general("server", format!("{e:#}"));
    }
    eprintln!(
        "xtask interop: {OPENAPI} took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn save_log(out: &Path, client: &str, output: &process::Output) -> Result<()> {
    let path = out.join("logs").join(format!("{client}.log"));
    fs::write(
        &path,
        format!(
            "status: {}{}\n--- stdout\n{}\n--- stderr\n{}",
            output.status,
            if output.timed_out { " (timed out)" } else { "" },
            output.stdout,
            output.stderr
        ),
    )
    .with_context(|| format!("cannot write {}", path.display()))
}

fn run_gsoap(
    root: &Path,
    out: &Path,
    running: &[Server],
    examples: &Path,
    results: &mut Results,
) -> Result<()> {
    let sources = root.join("xtask").join("interop").join("gsoap");
    let dir = out.join("gsoap");
    let url_of = |name: &str| {
        running
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.url.clone())
            .with_context(|| format!("no {name} server"))
    };
    let interop_url = url_of("interop")?;
    let bench_url = url_of("bench")?;
    let hello_url = url_of("hello")?;
    let interop = |soap_version| GsoapService {
        name: "interop",
        url: &interop_url,
        proxy: "ApplicationProxy",
        client_source: "interop_client.cpp",
        soap_version,
        optimize: false,
    };
    let bench = |soap_version| GsoapService {
        name: "bench",
        url: &bench_url,
        proxy: "BenchServiceProxy",
        client_source: "bench_client.cpp",
        soap_version,
        optimize: false,
    };
    let hello = GsoapService {
        name: "hello",
        url: &hello_url,
        proxy: "ApplicationProxy",
        client_source: "hello_client.cpp",
        soap_version: "1.1",
        optimize: false,
    };
    // The same programs, generated once for SOAP 1.1 (the gSOAP column) and once for SOAP 1.2
    // (the gSOAP 1.2 column) from the same WSDL.
    let services = [
        (GSOAP, interop("1.1"), "interop"),
        (GSOAP, bench("1.1"), "bench"),
        (GSOAP, hello, "hello"),
        (GSOAP12, interop("1.2"), "interop-soap12"),
        (GSOAP12, bench("1.2"), "bench-soap12"),
    ];
    for (column, svc, build_dir) in &services {
        let column = *column;
        eprintln!(
            "xtask interop: gSOAP (SOAP {}) on the {} WSDL",
            svc.soap_version, svc.name
        );
        let built = match gsoap::build(svc, &dir.join(build_dir), &sources) {
            Ok(built) => built,
            Err(e) => {
                let why = format!("{e:#}");
                results.set(
                    column,
                    &format!("{}.{WSDL_ROW}", svc.name),
                    Status::Fail,
                    &why,
                );
                for op in results.operations(svc.name) {
                    let key = format!("{}.{op}", svc.name);
                    if GSOAP_REQUIRED.contains(&key.as_str()) {
                        results.set(column, &key, Status::Fail, "the gSOAP client was not built");
                    }
                }
                continue;
            }
        };
        let note = if built.warnings.is_empty() {
            String::new()
        } else {
            format!(
                "accepted with {} warning(s): {}",
                built.warnings.len(),
                built
                    .warnings
                    .iter()
                    .map(|w| shorten(w, 110))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        };
        results.set(
            column,
            &format!("{}.{WSDL_ROW}", svc.name),
            Status::Pass,
            &note,
        );
        let output = process::run(
            Command::new(&built.binary).args([svc.url, svc.soap_version]),
            CLIENT_LIMIT,
        )?;
        save_log(out, &format!("gsoap-{build_dir}"), &output)?;
        results.ingest(column, &output, &[svc.name], true, GSOAP_REQUIRED);
    }

    // gSOAP's own WSDL of the bench contract: a third-party WSDL for the reader's tests.
    match gsoap::own_bench_wsdl(&sources.join("bench_service.h"), &dir.join("bench-service")) {
        Ok(wsdl) => {
            let copy = dir.join("gsoap-bench.wsdl");
            fs::copy(&wsdl, &copy)
                .with_context(|| format!("cannot copy {} to {}", wsdl.display(), copy.display()))?;
            let fresh = fs::read(&copy)?;
            if fs::read(root.join(GSOAP_BENCH_FIXTURE)).ok().as_deref() != Some(fresh.as_slice()) {
                eprintln!(
                    "xtask interop: note: {} differs from {GSOAP_BENCH_FIXTURE}; copy it over if \
                     the gSOAP header or gSOAP itself changed",
                    copy.display()
                );
            }
            // The reverse direction: our bench client against gSOAP's server of the contract,
            // built on the skeleton soapcpp2 generated beside that WSDL.
            match gsoap::build_bench_server(&sources, &dir.join("bench-service")) {
                Ok(server) => reverse_bench::gsoap(&server, examples, out, results)?,
                Err(e) => {
                    let why = format!("{e:#}");
                    results.set_all(reverse_bench::GSOAP_SERVER, &["bench"], Status::Fail, &why);
                }
            }
        }
        Err(e) => {
            results.fail_general(GSOAP, format!("gSOAP's own bench WSDL: {e:#}"));
            results.fail_general(
                reverse_bench::GSOAP_SERVER,
                format!("no gSOAP bench server without its skeleton: {e:#}"),
            );
        }
    }

    // WS-Security the other way round: gSOAP's plugin validating hello_client's token.
    match reverse_wsse::build_server(&sources, &dir.join("hello-wsse-server")) {
        Ok(server) => reverse_wsse::run_cases(
            &server,
            examples,
            out,
            WSSE_SERVICE,
            WSSE_USER,
            WSSE_PASSWORD,
            results,
        )?,
        Err(e) => {
            let why = format!("{e:#}");
            for case in WSSE_CASES {
                let key = format!("{WSSE_SERVICE}.{case}");
                results.set(reverse_bench::GSOAP_SERVER, &key, Status::Fail, &why);
            }
        }
    }
    Ok(())
}

/// `text` cut to `max` characters (with an ellipsis).
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

#[allow(clippy::print_stdout)] // the table is this command's output
fn print_table(table: &str) {
    println!("{table}");
}
