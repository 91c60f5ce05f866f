//! gSOAP: `wsdl2h` + `soapcpp2` on our WSDLs, a compiled C++ client per service, and gSOAP's
//! own WSDL for the bench contract (a WSDL that we did not write, for the reader's tests)
//! with, on the skeleton generated beside it, our gSOAP server of the contract.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::process::{describe, run, run_ok};

const TYPEMAP: &str = "/usr/share/gsoap/WS/typemap.dat";
pub(super) const IMPORT: &str = "/usr/share/gsoap/import";
const TOOL_LIMIT: Duration = Duration::from_secs(120);
const COMPILE_LIMIT: Duration = Duration::from_secs(600);

/// One of our services as gSOAP sees it.
#[derive(Debug)]
pub(crate) struct GsoapService<'a> {
    /// `interop` or `bench`.
    pub(crate) name: &'a str,
    /// The running server's root URL (wsdl2h reads `URL?wsdl`).
    pub(crate) url: &'a str,
    /// The proxy class soapcpp2 generates (`ApplicationProxy` → `soapApplicationProxy.cpp`).
    pub(crate) proxy: &'a str,
    /// Our client program, under `xtask/interop/gsoap/`.
    pub(crate) client_source: &'a str,
    /// The SOAP version the generated code speaks, `1.1` or `1.2` (soapcpp2 `-1` or `-2`;
    /// left to itself, gSOAP speaks 1.2 as soon as the WSDL declares a SOAP 1.2 binding). The
    /// client program is told it too, and checks that every reply comes in it.
    pub(crate) soap_version: &'a str,
    /// Compile with `-O2` (a load client, whose CPU is measured) rather than `-O0`.
    pub(crate) optimize: bool,
}

/// A built client, and what the generators printed as warnings.
#[derive(Debug)]
pub(crate) struct Built {
    /// The client executable.
    pub(crate) binary: PathBuf,
    /// Warnings of wsdl2h and soapcpp2 (one line each).
    pub(crate) warnings: Vec<String>,
}

/// Lines of a generator's output that are warnings (or errors).
fn diagnostics(text: &str) -> (Vec<String>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for line in text.lines().map(str::trim) {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("compilation successful") {
            continue;
        }
        if lower.contains("error") {
            errors.push(line.to_owned());
        } else if lower.contains("warning") {
            warnings.push(line.to_owned());
        }
    }
    (warnings, errors)
}

/// Runs wsdl2h and soapcpp2 on the service's WSDL in `dir`, then compiles the client there
/// (unless the generated code, the client sources and the flags are those of the last build).
pub(crate) fn build(svc: &GsoapService<'_>, dir: &Path, sources: &Path) -> Result<Built> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let header = format!("{}.h", svc.name);
    let wsdl_url = format!("{}?wsdl", svc.url);
    let mut warnings = Vec::new();

    let mut wsdl2h = Command::new("wsdl2h");
    wsdl2h
        .current_dir(dir)
        .args(["-t", TYPEMAP, "-o", &header, &wsdl_url]);
    let out = run(&mut wsdl2h, TOOL_LIMIT)?;
    let all = format!("{}\n{}", out.stdout, out.stderr);
    fs::write(dir.join("wsdl2h.log"), &all)?;
    let (w, errors) = diagnostics(&all);
    if !out.success() || !errors.is_empty() {
        bail!(
            "wsdl2h refused the {} WSDL ({}): {}",
            svc.name,
            out.failure_summary(),
            errors.join(" | ")
        );
    }
    warnings.extend(w.into_iter().map(|l| format!("wsdl2h: {l}")));

    let version_flag = match svc.soap_version {
        "1.1" => "-1",
        "1.2" => "-2",
        other => bail!("gSOAP speaks SOAP 1.1 or 1.2, not {other:?}"),
    };
    let mut soapcpp2 = Command::new("soapcpp2");
    soapcpp2
        .current_dir(dir)
        .args([version_flag, "-C", "-j", "-x", "-L", "-I", IMPORT, &header]);
    let out = run(&mut soapcpp2, TOOL_LIMIT)?;
    let all = format!("{}\n{}", out.stdout, out.stderr);
    fs::write(dir.join("soapcpp2.log"), &all)?;
    let (w, errors) = diagnostics(&all);
    if !out.success() || !errors.is_empty() {
        bail!(
            "soapcpp2 refused the header wsdl2h made from the {} WSDL ({}): {}",
            svc.name,
            out.failure_summary(),
            errors.join(" | ")
        );
    }
    warnings.extend(w.into_iter().map(|l| format!("soapcpp2: {l}")));

    let proxy_cpp = format!("soap{}.cpp", svc.proxy);
    let client = sources.join(svc.client_source);
    let binary = dir.join(format!("{}_client", svc.name));
    let mut gpp = Command::new("g++");
    gpp.current_dir(dir)
        .arg(if svc.optimize { "-O2" } else { "-O0" })
        .args(["-w", "-I."])
        .arg(format!("-I{}", sources.display()))
        .arg("-o")
        .arg(&binary)
        .arg(&client)
        .args(["soapC.cpp", &proxy_cpp, "-lgsoap++"]);

    // The generated code embeds the server's URL (its port changes every run): leave it out
    // of the fingerprint, since the client is given the URL when it runs.
    // The namespace table decides the SOAP version the client speaks.
    let nsmap = format!("{}.nsmap", svc.proxy.trim_end_matches("Proxy"));
    let proxy_h = format!("soap{}.h", svc.proxy);
    compile_unless_fresh(
        &mut gpp,
        &CachedBuild {
            dir,
            generated: &[
                "soapStub.h",
                "soapH.h",
                "soapC.cpp",
                &proxy_cpp,
                &proxy_h,
                &nsmap,
            ],
            leave_out: Some(svc.url),
            sources: &[client, sources.join("result.h")],
            binary: &binary,
            stamp: "build.fingerprint",
            what: &format!("the gSOAP {} client", svc.name),
        },
    )?;
    Ok(Built { binary, warnings })
}

/// Runs soapcpp2 on our gSOAP header of the bench contract to obtain gSOAP's own WSDL for it,
/// kept as `dir/BenchService.wsdl`. Returns the WSDL's path.
pub(crate) fn own_bench_wsdl(header: &Path, dir: &Path) -> Result<PathBuf> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut soapcpp2 = Command::new("soapcpp2");
    soapcpp2
        .current_dir(dir)
        .args(["-S", "-x", "-L", "-I", IMPORT])
        .arg(header);
    let out = run_ok(&mut soapcpp2, TOOL_LIMIT)?;
    let (_, errors) = diagnostics(&format!("{}\n{}", out.stdout, out.stderr));
    if !errors.is_empty() {
        bail!(
            "soapcpp2 reported errors on {}: {}",
            header.display(),
            errors.join(" | ")
        );
    }
    let wsdl = dir.join("BenchService.wsdl");
    if !wsdl.is_file() {
        bail!("soapcpp2 wrote no BenchService.wsdl in {}", dir.display());
    }
    Ok(wsdl)
}

/// Compiles our gSOAP server of the bench contract (`bench_server.cpp` in `sources`) against
/// the skeleton [`own_bench_wsdl`] had soapcpp2 generate in `dir` (`soapServer.cpp`,
/// `soapC.cpp`), unless the sources and flags are those of the last build. Optimized, since
/// it is a server to measure against too. Returns the executable.
pub(crate) fn build_bench_server(sources: &Path, dir: &Path) -> Result<PathBuf> {
    let server = sources.join("bench_server.cpp");
    let binary = dir.join("bench_server");
    let mut gpp = Command::new("g++");
    gpp.current_dir(dir)
        .args(["-O2", "-w", "-I."])
        .arg("-o")
        .arg(&binary)
        .arg(&server)
        .args(["soapC.cpp", "soapServer.cpp", "-lgsoap++", "-pthread"]);
    compile_unless_fresh(
        &mut gpp,
        &CachedBuild {
            dir,
            generated: &server_skeleton("BenchService.nsmap"),
            leave_out: None,
            sources: &[server],
            binary: &binary,
            stamp: "bench_server.fingerprint",
            what: "the gSOAP bench server",
        },
    )?;
    Ok(binary)
}

/// The files of a server skeleton soapcpp2 generates (with `-S`), and its namespace map.
pub(super) fn server_skeleton(nsmap: &str) -> [&str; 5] {
    [
        "soapStub.h",
        "soapH.h",
        "soapC.cpp",
        "soapServer.cpp",
        nsmap,
    ]
}

/// A g++ build over code soapcpp2 generated, done only when something it depends on changed.
pub(super) struct CachedBuild<'a> {
    /// Where soapcpp2 wrote and the compiler runs.
    pub(super) dir: &'a Path,
    /// The generated files the build reads (in `dir`).
    pub(super) generated: &'a [&'a str],
    /// Text left out of the generated files' fingerprint (a URL that changes every run).
    pub(super) leave_out: Option<&'a str>,
    /// Our own sources the build reads.
    pub(super) sources: &'a [PathBuf],
    /// The executable the build writes.
    pub(super) binary: &'a Path,
    /// The file (in `dir`) that keeps the last build's fingerprint.
    pub(super) stamp: &'a str,
    /// What is built, for messages.
    pub(super) what: &'a str,
}

/// Runs `gpp` unless `build.binary` exists and its recorded fingerprint (the command line, the
/// generated code without the time of generation, `SOAP_SOURCE_STAMP`, and our sources) is
/// that of this build.
pub(super) fn compile_unless_fresh(gpp: &mut Command, build: &CachedBuild<'_>) -> Result<()> {
    let mut key = describe(gpp);
    for file in build.generated {
        let text = fs::read_to_string(build.dir.join(file))
            .with_context(|| format!("soapcpp2 did not write {file}"))?;
        for line in text.lines().filter(|l| !l.contains("SOAP_SOURCE_STAMP")) {
            match build.leave_out {
                Some(text) => key.push_str(&line.replace(text, "")),
                None => key.push_str(line),
            }
            key.push('\n');
        }
    }
    for file in build.sources {
        key.push_str(
            &fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?,
        );
    }
    let fingerprint = format!("{:016x}", fnv1a(key.as_bytes()));
    let stamp = build.dir.join(build.stamp);
    let fresh =
        build.binary.is_file() && fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == fingerprint);
    if !fresh {
        eprintln!("xtask interop: compiling {}", build.what);
        let _ = fs::remove_file(&stamp);
        run_ok(gpp, COMPILE_LIMIT).with_context(|| format!("cannot compile {}", build.what))?;
        fs::write(&stamp, &fingerprint)?;
    }
    Ok(())
}

/// 64-bit FNV-1a: a stable fingerprint (std's hasher is not stable across releases).
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_diagnostics() {
        let (w, e) = diagnostics(
            "x.h(651): *WARNING*: identifier 'xml' ...\nCompilation successful (2 warnings)\n",
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(e.is_empty());
        let (_, e) = diagnostics("x.h(3): syntax error\n");
        assert_eq!(e.len(), 1);
    }

    #[test]
    fn fingerprint_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
