//! The example servers: started on free ports, their WSDL fetched over plain HTTP.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// A running example server; killed when dropped.
#[derive(Debug)]
pub(crate) struct Server {
    /// The example's name (`interop`, `bench`, `hello`).
    pub(crate) name: String,
    /// Its root URL, `http://127.0.0.1:N/`.
    pub(crate) url: String,
    /// The port it listens on.
    pub(crate) port: u16,
    child: Child,
}

impl Server {
    /// Starts `binary --port 0`, with stderr going to `log`, and waits for its
    /// `listening on http://127.0.0.1:N/` line.
    pub(crate) fn start(name: &str, binary: &Path, log: &Path) -> Result<Server> {
        Self::start_with(name, binary, &[], log)
    }

    /// Starts `binary --port 0 ARGS..`, as [`start`](Self::start) does.
    pub(crate) fn start_with(
        name: &str,
        binary: &Path,
        args: &[&str],
        log: &Path,
    ) -> Result<Server> {
        let log_file =
            File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child
            .stdout
            .take()
            .context("server stdout was not captured")?;
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            // Forward the first line, then keep draining so the server never blocks on stdout.
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            for _ in lines {}
        });
        let mut server = Server {
            name: name.to_owned(),
            url: String::new(),
            port: 0,
            child,
        };
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(Ok(line))) => line,
            Ok(_) => bail!(
                "the {name} server exited before listening (see {})",
                log.display()
            ),
            Err(_) => bail!("the {name} server printed no listening line within 60 s"),
        };
        let url = line
            .strip_prefix("listening on ")
            .with_context(|| format!("unexpected first line from the {name} server: {line:?}"))?
            .trim()
            .to_owned();
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|p| p.parse::<u16>().ok())
            .with_context(|| format!("unexpected listening URL from the {name} server: {url:?}"))?;
        server.url = url;
        server.port = port;
        Ok(server)
    }

    /// Fails if the server has exited (it must serve until the end of the run).
    pub(crate) fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait().context("cannot poll a server")? {
            bail!("the {} server exited during the run ({status})", self.name);
        }
        Ok(())
    }

    /// `GET /?wsdl`.
    pub(crate) fn wsdl(&self) -> Result<String> {
        http_get(self.port, "/?wsdl")
            .with_context(|| format!("cannot fetch the WSDL of the {} server", self.name))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Ends only the server process this run started.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 GET on 127.0.0.1 (`Connection: close`), returning the body of a 200.
fn http_get(port: u16, path: &str) -> Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .with_context(|| format!("cannot connect to 127.0.0.1:{port}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .context("cannot read the HTTP response")?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("HTTP response without an end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = &raw[split + 4..];
    let status_line = head.lines().next().unwrap_or_default();
    if status_line.split_whitespace().nth(1) != Some("200") {
        bail!("GET {path} answered {status_line:?}");
    }
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    String::from_utf8(body).context("the response body is not UTF-8")
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("truncated chunk size")?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .with_context(|| format!("bad chunk size {size_text:?}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = data.get(..size).context("truncated chunk")?;
        out.extend_from_slice(chunk);
        data = data.get(size + 2..).context("truncated chunk end")?;
    }
}

/// The operation names of a WSDL's (first) portType, in document order.
pub(crate) fn wsdl_operations(wsdl: &str) -> Result<Vec<String>> {
    let start = wsdl
        .find("portType name=")
        .context("the WSDL has no portType")?;
    let end = wsdl[start..]
        .find("portType>")
        .map(|e| start + e)
        .context("the WSDL's portType is not closed")?;
    let body = &wsdl[start..end];
    let mut ops = Vec::new();
    let mut rest = body;
    while let Some(pos) = rest.find("operation name=\"") {
        let before = rest[..pos].chars().last();
        let after = &rest[pos + "operation name=\"".len()..];
        let close = after.find('"').context("unterminated operation name")?;
        if matches!(before, Some('<' | ':')) {
            ops.push(after[..close].to_owned());
        }
        rest = &after[close..];
    }
    if ops.is_empty() {
        bail!("the WSDL's portType declares no operation");
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_of_a_port_type() {
        let wsdl = r#"<wsdl:definitions><wsdl:message name="x"/>
            <wsdl:portType name="P"><wsdl:operation name="a" parameterOrder="a">
            <wsdl:input name="a" message="tns:a"/></wsdl:operation>
            <wsdl:operation name="b"/></wsdl:portType>
            <wsdl:binding><wsdl:operation name="a"/></wsdl:binding></wsdl:definitions>"#;
        assert_eq!(wsdl_operations(wsdl).unwrap(), ["a", "b"]);
        assert!(wsdl_operations("<definitions/>").is_err());
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert!(dechunk(b"5\r\nab").is_err());
    }
}
