//! WS-Security in the reverse direction: our `hello_client` sending a UsernameToken to a
//! server we did not write that validates it. gSOAP's WS-Security plugin (`wsseapi.c`, shipped
//! by Debian's gSOAP in `/usr/share/gsoap/plugin`) checks the token in
//! `xtask/interop/gsoap/hello_wsse_server.cpp`, a server of the hello contract built on the
//! skeleton soapcpp2 generates from `hello_wsse_service.h`. Rows `hello-wsse.*` of the
//! `ours->gSOAP` column: text and digest passwords (and a digest beside a timestamp) must get
//! the greetings, a wrong password must make `hello_client` exit non-zero with gSOAP's
//! `wsse:FailedAuthentication` fault.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::gsoap::{CachedBuild, IMPORT, compile_unless_fresh, server_skeleton};
use super::process::{self, run, run_ok};
use super::report::{Results, Status};
use super::reverse::serve;
use super::reverse_bench::GSOAP_SERVER;

/// Where gSOAP keeps its plugins' sources (and `custom/`, which the plugin needs too).
const GSOAP_SHARE: &str = "/usr/share/gsoap";
/// The flags Debian's `libgsoapssl++` was built with (`pkg-config --cflags gsoapssl++`): the
/// plugin's code and the library must agree on the layout of `struct soap`.
const GSOAP_SSL_FLAGS: [&str; 4] = ["-DWITH_IPV6", "-DWITH_OPENSSL", "-DWITH_GZIP", "-DWITH_DOM"];
/// The plugin's sources: the plugin, its digest and cipher helpers (OpenSSL), and the
/// `xsd:dateTime` <-> `struct timeval` serializer `wsu.h` uses.
const PLUGIN_SOURCES: [&str; 4] = [
    "plugin/wsseapi.cpp",
    "plugin/smdevp.c",
    "plugin/mecevp.c",
    "custom/struct_timeval.c",
];
const TOOL_LIMIT: Duration = Duration::from_secs(120);
const CLIENT_LIMIT: Duration = Duration::from_secs(120);

/// One row: its case name, whether the password is the right one, and `hello_client`'s flags.
struct Case {
    row: &'static str,
    right_password: bool,
    flags: &'static [&'static str],
}

const CASES: [Case; 5] = [
    Case {
        row: "text",
        right_password: true,
        flags: &[],
    },
    Case {
        row: "digest",
        right_password: true,
        flags: &["--wsse-digest"],
    },
    Case {
        row: "digest+timestamp",
        right_password: true,
        flags: &["--wsse-digest", "--wsse-timestamp"],
    },
    Case {
        row: "wrong password (text)",
        right_password: false,
        flags: &[],
    },
    Case {
        row: "wrong password (digest)",
        right_password: false,
        flags: &["--wsse-digest"],
    },
];

/// Runs soapcpp2 on `hello_wsse_service.h` (in `sources`) in `dir`, then compiles the server
/// with gSOAP's WS-Security plugin, unless the generated code, the sources and the flags are
/// those of the last build. Returns the executable.
pub(crate) fn build_server(sources: &Path, dir: &Path) -> Result<PathBuf> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let header = sources.join("hello_wsse_service.h");
    let mut soapcpp2 = Command::new("soapcpp2");
    soapcpp2
        .current_dir(dir)
        .args(["-S", "-x", "-L", "-I"])
        .arg(format!("{IMPORT}:{GSOAP_SHARE}"))
        .arg(&header);
    let out = run_ok(&mut soapcpp2, TOOL_LIMIT)?;
    let all = format!("{}\n{}", out.stdout, out.stderr);
    if all.to_ascii_lowercase().contains("error") {
        bail!("soapcpp2 reported errors on {}: {all}", header.display());
    }

    let server = sources.join("hello_wsse_server.cpp");
    let binary = dir.join("hello_wsse_server");
    let plugin: Vec<PathBuf> = PLUGIN_SOURCES
        .iter()
        .map(|s| Path::new(GSOAP_SHARE).join(s))
        .collect();
    let mut gpp = Command::new("g++");
    gpp.current_dir(dir)
        .args(["-O0", "-w", "-I."])
        .arg(format!("-I{GSOAP_SHARE}/plugin"))
        .arg(format!("-I{GSOAP_SHARE}"))
        .args(GSOAP_SSL_FLAGS)
        .arg("-o")
        .arg(&binary)
        .arg(&server)
        .args(["soapC.cpp", "soapServer.cpp"])
        .args(&plugin)
        .args(["-lgsoapssl++", "-lssl", "-lcrypto", "-lz"]);
    compile_unless_fresh(
        &mut gpp,
        &CachedBuild {
            dir,
            generated: &server_skeleton("HelloService.nsmap"),
            leave_out: None,
            sources: &std::iter::once(server).chain(plugin).collect::<Vec<_>>(),
            binary: &binary,
            stamp: "hello_wsse_server.fingerprint",
            what: "the gSOAP WS-Security hello server",
        },
    )?;
    Ok(binary)
}

/// Whether a case's run is what it must be, and what to say about it.
fn judge(case: &Case, output: &process::Output) -> (Status, String) {
    let lines: Vec<&str> = output.stdout.lines().collect();
    if case.right_password {
        if output.success() && lines == ["Hello, Dave"; 3] {
            (
                Status::Pass,
                "gSOAP's wsseapi accepted the token".to_owned(),
            )
        } else {
            (
                Status::Fail,
                format!(
                    "expected three greetings, got {lines:?} ({})",
                    output.failure_summary()
                ),
            )
        }
    } else if output.success() || output.timed_out {
        (
            Status::Fail,
            format!(
                "a wrong password was not refused: {lines:?} ({})",
                output.failure_summary()
            ),
        )
    } else if output.stderr.contains("FailedAuthentication") {
        (
            Status::Pass,
            "refused with gSOAP's wsse:FailedAuthentication fault".to_owned(),
        )
    } else {
        (
            Status::Fail,
            format!(
                "refused, but not with the FailedAuthentication fault ({})",
                output.failure_summary()
            ),
        )
    }
}

/// `hello_client` with each case against the server (`server`, from [`build_server`]) that
/// requires `user` and `password`, into `ours->gSOAP`'s rows of `service`.
pub(crate) fn run_cases(
    server: &Path,
    examples: &Path,
    out: &Path,
    service: &str,
    user: &str,
    password: &str,
    results: &mut Results,
) -> Result<()> {
    let (port, _server) = serve(
        out,
        "gsoap-wsse-server.log",
        "gSOAP's WS-Security hello server",
        |port| {
            let mut cmd = Command::new(server);
            cmd.args([&port.to_string(), user, password]);
            cmd
        },
    )?;
    let url = format!("http://127.0.0.1:{port}/");
    let wrong = format!("{password}-wrong");
    for case in &CASES {
        eprintln!("xtask interop: hello_client ({}) against {url}", case.row);
        let password = if case.right_password {
            password
        } else {
            &wrong
        };
        let output = run(
            Command::new(examples.join("hello_client"))
                .args([
                    "--url",
                    &url,
                    "--wsse-user",
                    user,
                    "--wsse-password",
                    password,
                ])
                .args(case.flags)
                .args(["Dave", "3"])
                .env("RUST_BACKTRACE", "0"),
            CLIENT_LIMIT,
        )?;
        let log: String = case
            .row
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        super::save_log(out, &format!("hello_client-gsoap-wsse-{log}"), &output)?;
        let (status, detail) = judge(case, &output);
        results.set(
            GSOAP_SERVER,
            &format!("{service}.{}", case.row),
            status,
            &detail,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_the_rows_of_the_wsse_service() {
        let rows: Vec<&str> = CASES.iter().map(|c| c.row).collect();
        assert_eq!(rows, super::super::WSSE_CASES);
    }
}
