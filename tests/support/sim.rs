//! `redis-sim serve` in this test process, on a free loopback port, for tests over TCP.
//!
//! ```ignore
//! let sim = support::sim::SimServer::start();
//! let mut conn = sim.connect();
//! assert_eq!(conn.call(&["PING"]), b"+PONG\r\n");
//! ```

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::thread::JoinHandle;

use incr_lab::server::{Server, Shutdown};

use super::Conn;

/// The server's event loop on its own thread; shut down (and checked to end cleanly) on drop.
pub struct SimServer {
    addr: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl SimServer {
    /// Binds port 0 on 127.0.0.1 and serves from a new thread.
    pub fn start() -> SimServer {
        let server = Server::bind((Ipv4Addr::LOCALHOST, 0).into())
            .unwrap_or_else(|e| panic!("cannot bind redis-sim serve on a loopback port: {e}"));
        let addr = server.local_addr().expect("the bound address");
        let shutdown = server.shutdown_handle();
        let thread = std::thread::Builder::new()
            .name("redis-sim-serve".to_owned())
            .spawn(move || server.run())
            .expect("spawn the server thread");
        SimServer {
            addr,
            shutdown,
            thread: Some(thread),
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// A new client connection.
    pub fn connect(&self) -> Conn {
        Conn::new(self.stream())
    }

    /// A new client connection speaking `protocol` (after `HELLO 3` for RESP3).
    pub fn connect_in(&self, protocol: super::Protocol) -> Conn {
        let mut conn = self.connect();
        conn.switch_to(protocol);
        conn
    }

    /// A new raw TCP connection.
    pub fn stream(&self) -> TcpStream {
        TcpStream::connect(self.addr)
            .unwrap_or_else(|e| panic!("cannot connect to redis-sim serve on {}: {e}", self.addr))
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.shutdown.shutdown();
        if let Some(thread) = self.thread.take() {
            let result = thread.join();
            if !std::thread::panicking() {
                match result {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => panic!("redis-sim serve failed: {e}"),
                    Err(_) => panic!("redis-sim serve panicked"),
                }
            }
        }
    }
}
