//! `onvif-server [--port N]`: serves the example camera's device service on 127.0.0.1:N
//! (0, the default, picks a free port), printing `listening on http://127.0.0.1:N/` once it
//! accepts connections. The service is at `/onvif/device_service`.

use std::process::ExitCode;

use onvif_server_example::{Camera, DEVICE_PATH, endpoints};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut port: u16 = 0;
    while let Some(a) = args.next() {
        match (a.as_str(), args.next().map(|v| v.parse::<u16>())) {
            ("--port", Some(Ok(p))) => port = p,
            _ => {
                eprintln!("usage: onvif-server [--port N]");
                return ExitCode::FAILURE;
            }
        }
    }
    match run(port) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onvif-server: {e}");
            ExitCode::FAILURE
        }
    }
}

// The announcement on stdout is the interface scripts wait for.
#[allow(clippy::print_stdout)]
fn run(port: u16) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let camera = Camera {
            base_url: format!("http://{addr}"),
        };
        let server = rpclib_transport_http::Server::from_listener(listener, endpoints(camera)?);
        println!("listening on http://{addr}/");
        println!("device service http://{addr}{DEVICE_PATH}");
        server.run().await?;
        Ok(())
    })
}
