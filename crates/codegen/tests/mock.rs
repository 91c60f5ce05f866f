//! `rpclib-wsdl2rs generate --mock`: the crate it writes builds, its `mock` binary runs as a
//! process, announces its address, answers an operation of the WSDL with the sample response
//! (to a raw POST and to the generated typed client, run as a second program) at the path of
//! the port's `soap:address` only, and serves a WSDL at `?wsdl` there; its sample documents
//! read back equal. The paths of a WSDL with several ports, and bindings without a port, are
//! checked on the generated code.
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
    // The WSDL served names the path it is served at.
    assert!(
        wsdl.contains(&format!("location=\"http://{addr}/ws/services/LoginCms\"")),
        "{wsdl}"
    );
    // Only the port's path is served: any other is 404, the request and `?wsdl` alike.
    for request in [
        format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
        format!("GET /ws/services?wsdl HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    ] {
        let reply = http(&addr, &request);
        assert!(reply.starts_with("HTTP/1.1 404"), "{reply}");
    }
    // The sample round trip of the crate's global elements: written, read back equal.
    let samples = out.join("samples");
    let round_trip = Command::new(
        target
            .join("debug")
            .join(format!("call{}", std::env::consts::EXE_SUFFIX)),
    )
    .arg("samples")
    .arg(&samples)
    .output()
    .expect("call runs");
    assert!(
        round_trip.status.success(),
        "{}",
        String::from_utf8_lossy(&round_trip.stderr)
    );
    // The wrapper elements of the operation became parameters, not types: only the fault
    // element has a type of its own.
    assert_eq!(String::from_utf8_lossy(&round_trip.stdout).trim(), "1 1");
    let fault = std::fs::read_to_string(samples.join("000_fault.xml")).expect("sample");
    assert_eq!(
        fault,
        r#"<s0:fault xmlns:s0="https://wsaahomo.afip.gov.ar/ws/services/LoginCms"/>"#
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

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = std::env::args().nth(1).ok_or("usage: call URL | call samples DIR")?;
    if url == "samples" {
        let dir = std::path::PathBuf::from(std::env::args().nth(2).ok_or("no DIR")?);
        std::fs::create_dir_all(&dir)?;
        let written = logincms_mock::mock::write_samples(&dir)?;
        let read = logincms_mock::mock::read_samples(&dir)?;
        println!("{written} {read}");
        return Ok(());
    }
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

/// Two port types at two paths (one of them twice, under two services), and a binding no
/// port names: each path gets the services bound there, the unbound binding `/<name>`.
#[test]
fn each_port_is_served_at_its_address_path() {
    let dir = std::env::temp_dir().join(format!("rpclib-codegen-paths-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let wsdl = dir.join("paths.wsdl");
    std::fs::write(&wsdl, PATHS_WSDL).expect("write");
    let generated = rpclib_codegen::Builder::new()
        .wsdl(&wsdl)
        .mock(true)
        .generate()
        .expect("generates");
    // Compared without white space: the layout is prettyplease's.
    let code: String = generated.code.split_whitespace().collect();
    assert!(
        code.contains(r#"pubconstENDPOINTS:&[&str]=&["/CBinding","/a","/b/x%20y"];"#),
        "{code}"
    );
    for arm in [
        r#""/CBinding"=>{::rpclib_core::Application::builder("C","urn:p").service(<Mockassuper::C>::into_service(Mock))}"#,
        r#""/a"=>{::rpclib_core::Application::builder("S1","urn:p").service(<Mockassuper::A>::into_service(Mock))}"#,
        r#""/b/x%20y"=>{::rpclib_core::Application::builder("S1","urn:p").service(<Mockassuper::B>::into_service(Mock))}"#,
    ] {
        assert!(code.contains(arm), "{arm}\n{code}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

const PATHS_WSDL: &str = r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:p" targetNamespace="urn:p">
  <types>
    <xs:schema targetNamespace="urn:p" elementFormDefault="qualified">
      <xs:element name="a"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="aResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="b"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="bResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="c"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
      <xs:element name="cResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    </xs:schema>
  </types>
  <message name="a"><part name="p" element="tns:a"/></message>
  <message name="aResponse"><part name="p" element="tns:aResponse"/></message>
  <message name="b"><part name="p" element="tns:b"/></message>
  <message name="bResponse"><part name="p" element="tns:bResponse"/></message>
  <message name="c"><part name="p" element="tns:c"/></message>
  <message name="cResponse"><part name="p" element="tns:cResponse"/></message>
  <portType name="A"><operation name="a"><input message="tns:a"/><output message="tns:aResponse"/></operation></portType>
  <portType name="B"><operation name="b"><input message="tns:b"/><output message="tns:bResponse"/></operation></portType>
  <portType name="C"><operation name="c"><input message="tns:c"/><output message="tns:cResponse"/></operation></portType>
  <binding name="ABinding" type="tns:A"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="a"><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
  <binding name="BBinding" type="tns:B"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="b"><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
  <binding name="CBinding" type="tns:C"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="c"><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation></binding>
  <service name="S1">
    <port name="A1" binding="tns:ABinding"><soap:address location="http://h/a"/></port>
    <port name="B1" binding="tns:BBinding"><soap:address location="http://h/b/x y?q=1"/></port>
  </service>
  <service name="S2">
    <port name="A2" binding="tns:ABinding"><soap:address location="https://other:8443/a#f"/></port>
  </service>
</definitions>
"#;

/// Two operations taking one request element (told apart by SOAPAction only): two traits, so
/// that a client can call each; the mock serves the first, the one requests are routed to.
#[test]
fn operations_sharing_a_request_element_get_traits_of_their_own() {
    let wsdl =
        root().join("crates/codegen/tests/corpus/node-soap/non_identifier_chars_in_operation.wsdl");
    let generated = rpclib_codegen::Builder::new()
        .wsdl(&wsdl)
        .mock(true)
        .generate()
        .expect("generates");
    let code: String = generated.code.split_whitespace().collect();
    assert!(code.contains("pubtraitMyServicePortType{"), "{code}");
    assert!(
        code.contains("pubtraitMyServicePortTypeContract{"),
        "{code}"
    );
    assert!(code.contains("asyncfnprefixed_my_operation("), "{code}");
    assert!(
        code.contains("<Mockassuper::MyServicePortType>::into_service"),
        "{code}"
    );
    assert!(
        !code.contains("<Mockassuper::MyServicePortTypeContract>::into_service"),
        "{code}"
    );
    assert!(
        generated.warnings.iter().any(|w| w
            .to_string()
            .contains("takes the same request element `Request` as operation `MyOperation`")),
        "{:?}",
        generated.warnings
    );
}
