//! Shared test code: a real `redis-server` on a loopback port, and a minimal RESP client (RESP2,
//! and RESP3 after `HELLO 3`: it reads every RESP3 type).
//!
//! Use from a test file with `mod support;`. [`RedisServer::start`] fails the test with a clear
//! message when Redis cannot be found or started: the differential tests never skip silently.
//!
//! One thing in Redis is random and shows in replies: the levels of its skip-list nodes, drawn with
//! `random()` from a seed taken at start (time, pid). ZRANGE BYLEX and its kin on a skip-list set
//! whose scores differ stop wherever the levels make the search stop, so two runs of redis-server
//! may answer differently (see `src/engine/command/sorted_sets.rs`). The engine answers as a skip
//! list whose nodes all have level 1; [`RedisServer::start`] makes Redis build exactly such skip
//! lists, by preloading a one-line `random()` that always answers `RAND_MAX` (built with `cc` on
//! first use; the only other caller, `dictGetRandomKey`'s pick within a bucket, is compared
//! loosely anyway), and checks that it took. [`RedisServer::start_unpinned`] leaves Redis as it is.
//!
//! ```ignore
//! let server = support::RedisServer::start();
//! let mut conn = server.connect();
//! assert_eq!(conn.call(&["PING"]), b"+PONG\r\n");
//! ```

#![allow(dead_code)] // each test file uses its own part of this module

pub mod duo;
pub mod gen;
pub mod sim;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use incr_lab::engine::Protocol;

/// A `redis-server` child process serving on 127.0.0.1, killed (and its directory removed) on drop.
pub struct RedisServer {
    child: Child,
    port: u16,
    dir: PathBuf,
}

/// Where the server binary is: `$REDIS_SERVER`, else `redis-server` on the PATH, else Debian's path.
fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("REDIS_SERVER") {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("redis-server"))
            .find(|candidate| candidate.is_file())
    });
    on_path.unwrap_or_else(|| PathBuf::from("/usr/bin/redis-server"))
}

/// A port nobody listens on right now (the OS picks it; a race with another process is possible,
/// so [`RedisServer::start`] retries).
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind a loopback port to find a free one: {e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("cannot read the bound port: {e}"))
        .port()
}

fn fresh_dir() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("incr-lab-redis-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The C source of the preloaded `random()`: every skip-list node of Redis gets level 1.
const FLAT_RANDOM_C: &str = "long random(void) { return 2147483647L; }\n";

/// The shared object preloaded into redis-server, built once per test process.
fn flat_random_library() -> &'static Path {
    static LIBRARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let source = dir.join(format!("flat-random-{}.c", std::process::id()));
        let library = dir.join(format!("flat-random-{}.so", std::process::id()));
        std::fs::write(&source, FLAT_RANDOM_C)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", source.display()));
        let status = Command::new("cc")
            .args(["-shared", "-fPIC", "-O2", "-o"])
            .arg(&library)
            .arg(&source)
            .status()
            .unwrap_or_else(|e| panic!("cannot run cc (needed to pin Redis' random()): {e}"));
        assert!(status.success(), "cc failed to build {}", library.display());
        let _ = std::fs::remove_file(&source);
        library
    })
}

impl RedisServer {
    /// Starts `redis-server` (Debian's 7.0) with no persistence on a free loopback port, its skip
    /// lists flat (see the module doc), and waits until it answers PING. Panics — failing the
    /// test — if it cannot.
    pub fn start() -> RedisServer {
        let server = RedisServer::start_with(Some(flat_random_library()));
        server.assert_flat_skiplists();
        server
    }

    /// Starts `redis-server` as it is: skip-list levels at random.
    pub fn start_unpinned() -> RedisServer {
        RedisServer::start_with(None)
    }

    fn start_with(preload: Option<&Path>) -> RedisServer {
        let binary = server_binary();
        let mut last_error = String::new();
        for _attempt in 0..5 {
            match RedisServer::try_start(&binary, preload) {
                Ok(server) => return server,
                Err(e) => last_error = e,
            }
        }
        panic!(
            "could not start a real Redis for the differential tests ({}): {last_error}\n\
             Install Debian's redis-server (apt-get install redis-server) or set REDIS_SERVER.",
            binary.display()
        );
    }

    fn try_start(binary: &Path, preload: Option<&Path>) -> Result<RedisServer, String> {
        let port = free_port();
        let dir = fresh_dir();
        let log = std::fs::File::create(dir.join("redis.log")).map_err(|e| e.to_string())?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(binary);
        if let Some(library) = preload {
            command.env("LD_PRELOAD", library);
        }
        let child = command
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--daemonize", "no"])
            .args(["--dir", &dir.to_string_lossy()])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| {
                let _ = std::fs::remove_dir_all(&dir);
                format!("cannot run {}: {e}", binary.display())
            })?;
        let mut server = RedisServer { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                let log = std::fs::read_to_string(server.dir.join("redis.log")).unwrap_or_default();
                return Err(format!("redis-server exited ({status}); its log:\n{log}"));
            }
            if let Ok(stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) {
                let mut conn = Conn::new(stream);
                if conn.call(&["PING"]) == b"+PONG\r\n" {
                    return Ok(server);
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "redis-server did not answer on port {port} within 10 s"
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Fails unless Redis' skip lists have only level 1. Probe: a skip list along which "not below
    /// `[b`" fails, holds once (at rank 1), fails for hundreds of nodes, then holds at the tail
    /// (`zslIsInLexRange` wants that). A flat list stops at
    /// rank 1; with random levels a search usually jumps past it (it stops there only when rank 1
    /// is the first node above level 1, about one time in four), so ten such sets that all stop at
    /// rank 1 leave about one chance in a million that the levels are random.
    fn assert_flat_skiplists(&self) {
        let mut conn = self.connect();
        for probe in 0..10 {
            let key = format!("incr-lab:probe:{probe}");
            let mut zadd = vec!["ZADD".to_owned(), key.clone()];
            zadd.extend([
                "0".to_owned(),
                "a".to_owned(),
                "1".to_owned(),
                "b".to_owned(),
            ]);
            for i in 0..300 {
                zadd.push((i + 2).to_string());
                zadd.push(format!("a{i:0>70}"));
            }
            zadd.extend(["302".to_owned(), "c".to_owned()]);
            assert_eq!(conn.call(&zadd), b":303\r\n");
            let first = conn.call(&["ZRANGE", &key, "[b", "+", "BYLEX", "LIMIT", "0", "1"]);
            assert_eq!(
                first,
                b"*1\r\n$1\r\nb\r\n",
                "redis-server's skip lists are not flat: preloading {} did not pin its random() \
                 (a statically linked redis-server?)",
                flat_random_library().display()
            );
        }
        assert_eq!(conn.call(&["FLUSHALL"]), b"+OK\r\n");
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A new client connection.
    pub fn connect(&self) -> Conn {
        let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port))
            .unwrap_or_else(|e| panic!("cannot connect to redis-server on {}: {e}", self.port));
        Conn::new(stream)
    }

    /// A new client connection speaking `protocol` (after `HELLO 3` for RESP3).
    pub fn connect_in(&self, protocol: Protocol) -> Conn {
        let mut conn = self.connect();
        conn.switch_to(protocol);
        conn
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One RESP connection: sends a command as a multibulk, reads one reply's exact bytes (any RESP2
/// or RESP3 type).
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn new(stream: TcpStream) -> Conn {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set a read timeout");
        stream.set_nodelay(true).expect("set TCP_NODELAY");
        let writer = stream.try_clone().expect("clone a TCP stream");
        Conn {
            reader: BufReader::new(stream),
            writer,
        }
    }

    /// Switches to `protocol` with `HELLO 3` (nothing for RESP2) and checks that the server
    /// answered with a RESP3 map.
    pub fn switch_to(&mut self, protocol: Protocol) {
        if protocol == Protocol::Resp3 {
            let hello = self.call(&["HELLO", "3"]);
            assert!(
                hello.starts_with(b"%7\r\n"),
                "HELLO 3 answered {}",
                show(&hello)
            );
        }
    }

    /// Sends `argv` and returns the raw bytes of the one reply.
    pub fn call<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> Vec<u8> {
        self.send(argv);
        self.read_reply()
    }

    /// Sends `argv` as a RESP multibulk without reading the reply.
    pub fn send<A: AsRef<[u8]>>(&mut self, argv: &[A]) {
        self.writer
            .write_all(&encode_command(argv))
            .expect("write to redis-server");
    }

    /// Sends bytes as they are (malformed frames, inline commands). An error is returned, not
    /// raised: a server may close on a protocol error before reading everything.
    pub fn send_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(bytes)
    }

    /// Reads everything until the server closes the connection (a reset ends it too: a server
    /// closing with unread input resets). Panics if it is still open after the read timeout.
    pub fn read_until_closed(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match self.reader.read(&mut chunk) {
                Ok(0) => return out,
                Ok(n) => out.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return out,
                Err(e) => panic!(
                    "the server did not close the connection ({e}); got {}",
                    show(&out)
                ),
            }
        }
    }

    /// Reads the raw bytes of one reply.
    pub fn read_reply(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.read_into(&mut out);
        out
    }

    fn read_into(&mut self, out: &mut Vec<u8>) {
        let start = out.len();
        let n = self
            .reader
            .read_until(b'\n', out)
            .expect("read a reply line from redis-server");
        assert!(n > 0, "redis-server closed the connection");
        let line = &out[start..];
        assert!(
            line.ends_with(b"\r\n"),
            "malformed reply line {:?}",
            String::from_utf8_lossy(line)
        );
        let kind = line[0];
        let count = || -> i64 {
            std::str::from_utf8(&line[1..line.len() - 2])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("bad length in {:?}", String::from_utf8_lossy(line)))
        };
        match kind {
            b'+' | b'-' | b':' | b'_' | b',' | b'#' | b'(' => {}
            b'$' | b'=' | b'!' => {
                let len = count();
                if len >= 0 {
                    let mut body = vec![0u8; len as usize + 2];
                    self.reader
                        .read_exact(&mut body)
                        .expect("read a bulk string from redis-server");
                    out.extend_from_slice(&body);
                }
            }
            b'*' | b'~' | b'>' => {
                let len = count();
                for _ in 0..len.max(0) {
                    self.read_into(out);
                }
            }
            b'%' | b'|' => {
                let len = count();
                for _ in 0..len.max(0) * 2 {
                    self.read_into(out);
                }
            }
            other => panic!("unexpected reply type byte {other:#x}"),
        }
    }
}

/// The RESP multibulk encoding of a command (the classroom's `--redis` links send the same).
pub use incr_lab::classroom::link::encode_command;

/// A parsed RESP2 or RESP3 reply, for comparisons that must ignore an order Redis does not
/// define.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resp {
    /// `+…`
    Status(Vec<u8>),
    /// `-…`
    Error(Vec<u8>),
    /// `:…`
    Int(i64),
    /// `$…` (None for the null bulk string)
    Bulk(Option<Vec<u8>>),
    /// `*…` (None for the null array)
    Array(Option<Vec<Resp>>),
    /// RESP3 `_`
    Null,
    /// RESP3 `,…`: the text as sent
    Double(Vec<u8>),
    /// RESP3 `#t` / `#f`
    Bool(bool),
    /// RESP3 `=…`: the format and the text, as sent (`txt:…`)
    Verbatim(Vec<u8>),
    /// RESP3 `(…`: the digits as sent
    BigNumber(Vec<u8>),
    /// RESP3 `~…`
    Set(Vec<Resp>),
    /// RESP3 `%…`
    Map(Vec<(Resp, Resp)>),
}

impl Resp {
    /// Parses exactly one reply from `bytes`; None if they are not exactly one well-formed reply.
    pub fn parse(bytes: &[u8]) -> Option<Resp> {
        let (reply, rest) = parse_one(bytes)?;
        rest.is_empty().then_some(reply)
    }

    /// The RESP2 encoding of this reply.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Resp::Status(s) => out.extend_from_slice(&[b"+", &s[..], b"\r\n"].concat()),
            Resp::Error(e) => out.extend_from_slice(&[b"-", &e[..], b"\r\n"].concat()),
            Resp::Int(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
            Resp::Bulk(None) => out.extend_from_slice(b"$-1\r\n"),
            Resp::Bulk(Some(b)) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Resp::Array(None) => out.extend_from_slice(b"*-1\r\n"),
            Resp::Array(Some(items)) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for item in items {
                    item.write(out);
                }
            }
            Resp::Null => out.extend_from_slice(b"_\r\n"),
            Resp::Double(d) => out.extend_from_slice(&[b",", &d[..], b"\r\n"].concat()),
            Resp::BigNumber(n) => out.extend_from_slice(&[b"(", &n[..], b"\r\n"].concat()),
            Resp::Bool(b) => out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" }),
            Resp::Verbatim(v) => {
                out.extend_from_slice(format!("={}\r\n", v.len()).as_bytes());
                out.extend_from_slice(v);
                out.extend_from_slice(b"\r\n");
            }
            Resp::Set(items) => {
                out.extend_from_slice(format!("~{}\r\n", items.len()).as_bytes());
                for item in items {
                    item.write(out);
                }
            }
            Resp::Map(pairs) => {
                out.extend_from_slice(format!("%{}\r\n", pairs.len()).as_bytes());
                for (key, value) in pairs {
                    key.write(out);
                    value.write(out);
                }
            }
        }
    }
}

fn parse_one(bytes: &[u8]) -> Option<(Resp, &[u8])> {
    let end = bytes.windows(2).position(|w| w == b"\r\n")?;
    let (kind, body) = bytes[..end].split_first()?;
    let rest = &bytes[end + 2..];
    let number = || -> Option<i64> { std::str::from_utf8(body).ok()?.parse().ok() };
    match kind {
        b'+' => Some((Resp::Status(body.to_vec()), rest)),
        b'-' => Some((Resp::Error(body.to_vec()), rest)),
        b':' => Some((Resp::Int(number()?), rest)),
        b'$' => {
            let len = number()?;
            if len < 0 {
                return Some((Resp::Bulk(None), rest));
            }
            let len = usize::try_from(len).ok()?;
            if rest.len() < len + 2 || &rest[len..len + 2] != b"\r\n" {
                return None;
            }
            Some((Resp::Bulk(Some(rest[..len].to_vec())), &rest[len + 2..]))
        }
        b'*' => {
            let len = number()?;
            if len < 0 {
                return Some((Resp::Array(None), rest));
            }
            let (items, rest) = parse_many(rest, len)?;
            Some((Resp::Array(Some(items)), rest))
        }
        b'_' if body.is_empty() => Some((Resp::Null, rest)),
        b',' => Some((Resp::Double(body.to_vec()), rest)),
        b'(' => Some((Resp::BigNumber(body.to_vec()), rest)),
        b'#' if body == b"t" || body == b"f" => Some((Resp::Bool(body == b"t"), rest)),
        b'=' => {
            let len = usize::try_from(number()?).ok()?;
            if rest.len() < len + 2 || &rest[len..len + 2] != b"\r\n" || len < 4 {
                return None;
            }
            Some((Resp::Verbatim(rest[..len].to_vec()), &rest[len + 2..]))
        }
        b'~' => {
            let (items, rest) = parse_many(rest, number()?)?;
            Some((Resp::Set(items), rest))
        }
        b'%' => {
            let (items, rest) = parse_many(rest, number()?.checked_mul(2)?)?;
            let pairs = items
                .chunks_exact(2)
                .map(|kv| (kv[0].clone(), kv[1].clone()))
                .collect();
            Some((Resp::Map(pairs), rest))
        }
        _ => None,
    }
}

/// `len` replies in a row (none for a negative `len`: only `*-1` has one, handled before).
fn parse_many(mut rest: &[u8], len: i64) -> Option<(Vec<Resp>, &[u8])> {
    if len < 0 {
        return None;
    }
    let mut items = Vec::new();
    for _ in 0..len {
        let (item, after) = parse_one(rest)?;
        items.push(item);
        rest = after;
    }
    Some((items, rest))
}

/// Bytes shown readably: printable ASCII as is, the rest as `\xhh`, CR/LF as `\r`/`\n`.
pub fn show(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

/// A command line shown readably: each argument quoted.
pub fn show_argv<A: AsRef<[u8]>>(argv: &[A]) -> String {
    argv.iter()
        .map(|a| format!("\"{}\"", show(a.as_ref())))
        .collect::<Vec<_>>()
        .join(" ")
}
