//! A custom transport in one file: requests over a plain TCP socket in length-prefixed frames
//! (a 4-byte big-endian length, then the serialized request; the reply comes back the same
//! way). See `docs/implementing-transports-and-protocols.md`.
//!
//! The server is rpclib's pipeline verbatim: put the bytes in `ctx.in_string`, call
//! `get_in_object`, `get_out_object`, `get_out_string`, send `ctx.out_string`. The client is a
//! [`ClientTransport`]: bytes out, bytes back.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};

use rpclib_core::{Application, ClientTransport, OutgoingRequest};

/// Largest frame either side accepts.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

/// The transport part of a request's context: who sent it.
#[derive(Debug, Clone, Copy)]
pub struct TcpTransport {
    /// The peer's address.
    pub peer: SocketAddr,
}

fn read_frame(stream: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match stream.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("frame of {len} bytes is over the limit"),
        ));
    }
    let mut frame = vec![0; len];
    stream.read_exact(&mut frame)?;
    Ok(Some(frame))
}

fn write_frame(stream: &mut impl Write, chunks: &[Vec<u8>]) -> io::Result<()> {
    let len: usize = chunks.iter().map(Vec::len).sum();
    let len = u32::try_from(len)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "reply too large"))?;
    stream.write_all(&len.to_be_bytes())?;
    for chunk in chunks {
        stream.write_all(chunk)?;
    }
    stream.flush()
}

/// Serves `app` on `listener`, a thread per connection, until the listener fails.
pub fn serve(app: Arc<Application>, listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let mut stream = stream?;
        let app = Arc::clone(&app);
        std::thread::spawn(move || {
            let peer = stream.peer_addr();
            if let Err(e) = serve_connection(&app, &mut stream, peer) {
                log::debug!("tcp connection ended: {e}");
            }
        });
    }
    Ok(())
}

fn serve_connection(
    app: &Arc<Application>,
    stream: &mut TcpStream,
    peer: io::Result<SocketAddr>,
) -> io::Result<()> {
    let peer = peer?;
    while let Some(request) = read_frame(stream)? {
        // The guard fires `method_context_closed` once, also when writing the reply fails.
        let mut ctx = app.new_context_with(TcpTransport { peer });
        ctx.in_string = vec![request];
        app.get_in_object(&mut ctx);
        app.get_out_object_blocking(&mut ctx);
        app.get_out_string(&mut ctx);
        write_frame(stream, &ctx.out_string)?;
        ctx.close();
    }
    Ok(())
}

/// The client side: one connection, one call at a time.
#[derive(Debug)]
pub struct TcpClient {
    stream: Mutex<TcpStream>,
}

impl TcpClient {
    /// Connects to a server.
    pub fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpClient> {
        Ok(TcpClient {
            stream: Mutex::new(TcpStream::connect(addr)?),
        })
    }
}

impl ClientTransport for TcpClient {
    fn send(
        &self,
        request: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        let mut stream = self
            .stream
            .lock()
            .map_err(|_| "the connection is poisoned")?;
        write_frame(&mut *stream, &[request.body.to_vec()])?;
        Ok(Some(
            read_frame(&mut *stream)?.ok_or("the server closed the connection")?,
        ))
    }
}
