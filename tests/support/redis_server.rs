//! A real `redis-server` for tests to compare against: started on a free loopback port with
//! persistence off, killed when dropped.
//!
//! Include it from a test crate with
//! `#[path = "support/redis_server.rs"] mod redis_server;`.
//! A missing or broken redis-server fails the test loudly: these tests never skip.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running redis-server, owned by the test.
pub struct RedisServer {
    child: Child,
    port: u16,
}

/// How to get redis-server when it is missing.
const INSTALL_HINT: &str =
    "install Debian's redis-server 7.0 (`scripts/ensure-tools.sh native`, or `apt-get install redis-server`)";

impl RedisServer {
    /// Starts a fresh, empty redis-server on 127.0.0.1 and waits until it answers.
    ///
    /// Panics, with what to do about it, when redis-server is missing or will not start.
    pub fn start() -> RedisServer {
        let mut last_problem = String::new();
        for _ in 0..5 {
            let port = free_port();
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
                .args(["--dir", &std::env::temp_dir().to_string_lossy()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let child = match child {
                Ok(child) => child,
                Err(e) => panic!("cannot run redis-server ({e}): {INSTALL_HINT}"),
            };
            let mut server = RedisServer { child, port };
            match server.wait_ready() {
                Ok(()) => return server,
                Err(problem) => last_problem = problem,
            }
        }
        panic!("redis-server would not start: {last_problem}");
    }

    /// Its port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its address.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// A new client connection.
    pub fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr()).expect("connect to the test redis-server")
    }

    /// Sends one command on a new connection and returns the raw RESP reply's first line (enough
    /// for status, error and integer replies).
    pub fn command(&self, argv: &[&str]) -> String {
        let mut stream = self.connect();
        let mut request = format!("*{}\r\n", argv.len());
        for arg in argv {
            request.push_str(&format!("${}\r\n{arg}\r\n", arg.len()));
        }
        stream
            .write_all(request.as_bytes())
            .expect("send to redis-server");
        let mut line = String::new();
        BufReader::new(stream)
            .read_line(&mut line)
            .expect("read from redis-server");
        line.trim_end().to_owned()
    }

    /// Empties the server between test cases.
    pub fn flushall(&self) {
        assert_eq!(
            self.command(&["FLUSHALL"]),
            "+OK",
            "FLUSHALL on the test redis-server"
        );
    }

    /// `redis-server --version`, for failure messages.
    pub fn version() -> String {
        match Command::new("redis-server").arg("--version").output() {
            Ok(out) => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            Err(e) => format!("redis-server --version failed: {e}"),
        }
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "redis-server on port {} exited: {status}",
                    self.port
                ));
            }
            if let Ok(mut stream) = TcpStream::connect(self.addr()) {
                let mut reply = [0u8; 7];
                let pinged = stream.write_all(b"PING\r\n").is_ok()
                    && stream.read_exact(&mut reply).is_ok()
                    && &reply == b"+PONG\r\n";
                if pinged {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "redis-server on port {} did not answer PING",
                    self.port
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("find a free loopback port")
}
