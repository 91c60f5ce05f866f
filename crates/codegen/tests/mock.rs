//! `rpclib-wsdl2rs generate --mock`: the crate it writes builds, its `mock` binary runs as a
//! process, announces its address, answers an operation of the WSDL with the sample response
//! (to a raw POST and to the generated typed client, run as a second program) and serves a
//! WSDL at `?wsdl`.
//!
//! Builds the generated crate with this workspace's `Cargo.lock` and target directory (so the
//! rpclib crates are already compiled when the workspace's tests run).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn http(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect to the mock");
    s.write_all(request.as_bytes()).expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn generated_mock_runs_as_a_process_and_answers_samples() {
    let out = std::env::temp_dir().join(format!("rpclib-codegen-mock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let wsdl = root().join("crates/codegen/tests/corpus/node-soap/strict/logincms.wsdl");
    let generated = Command::new(env!("CARGO_BIN_EXE_rpclib-wsdl2rs"))
        .arg("generate")
        .arg(&wsdl)
        .arg("--out")
        .arg(&out)
        .args(["--name", "logincms-mock", "--mock", "--rpclib-path"])
        .arg(root())
        .output()
        .expect("runs");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    // A workspace of its own, pinned to this workspace's dependency versions.
    let mut manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("[[bin]]\nname = \"mock\""), "{manifest}");
    manifest.push_str("\n[workspace]\n");
    std::fs::write(out.join("Cargo.toml"), manifest).expect("write");
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("Cargo.lock");
    // A program calling the mock through the generated client, as a user of the crate would.
    std::fs::write(out.join("src/bin/call.rs"), CALL).expect("call.rs");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = Command::new(cargo)
        .args(["build", "--quiet", "--bins", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let exe = target
        .join("debug")
        .join(format!("mock{}", std::env::consts::EXE_SUFFIX));
    let mut child = Kill(
        Command::new(exe)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("mock starts"),
    );
    let mut lines = BufReader::new(child.0.stdout.take().expect("stdout")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let addr = first
        .strip_prefix("listening on http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("readiness line: {first:?}"))
        .to_string();
    let endpoint = lines.next().and_then(Result::ok).unwrap_or_default();
    assert_eq!(
        endpoint,
        format!("endpoint http://{addr}/ws/services/LoginCms")
    );

    let body = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><loginCms xmlns="http://wsaa.view.sua.dvadac.desein.afip.gov"><in0>cms</in0></loginCms></s:Body></s:Envelope>"#;
    let reply = http(
        &addr,
        &format!(
            "POST /ws/services/LoginCms HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(
        reply.contains("loginCmsResponse>") && reply.contains("loginCmsReturn>x</"),
        "{reply}"
    );
    let wsdl = http(
        &addr,
        &format!(
            "GET /ws/services/LoginCms?wsdl HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(
        wsdl.contains("wsdl:definitions") && wsdl.contains("loginCms"),
        "{wsdl}"
    );
    let call = Command::new(
        target
            .join("debug")
            .join(format!("call{}", std::env::consts::EXE_SUFFIX)),
    )
    .arg(format!("http://{addr}/ws/services/LoginCms"))
    .output()
    .expect("call runs");
    assert!(
        call.status.success(),
        "{}",
        String::from_utf8_lossy(&call.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&call.stdout).trim(), "x");
    let _ = std::fs::remove_dir_all(&out);
}

/// `src/bin/call.rs` of the generated crate: calls `loginCms` with the typed client.
const CALL: &str = r#"
use logincms_mock::{LoginCmsClient, LoginCmsService};
use rpclib_core::Service;
use rpclib_transport_http::HttpClient;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: call URL")?;
    let app = rpclib_core::Application::builder(
        "LoginCMSService",
        "http://wsaa.view.sua.dvadac.desein.afip.gov",
    )
    .declare(LoginCmsService::descriptor())
    .protocol(rpclib_protocol_soap::Soap11::new())
    .build()?;
    let client = LoginCmsClient::new(HttpClient::new(&url)?.caller(app));
    let answer = client.login_cms("cms".into())?;
    println!("{answer}");
    Ok(())
}
"#;
