//! `redis-sim serve`: the engine behind a RESP server (RESP2, and RESP3 after `HELLO 3`), for
//! `redis-cli`, `redis-benchmark` and any Redis client library.
//!
//! One thread runs one event loop, as Redis does: every connection is its own engine client (its
//! own MULTI/WATCH state, released by [`Engine::disconnect`] when it closes), and commands run one
//! at a time in the order they arrive. A connection blocked in BZPOPMIN or its kin (see
//! [`crate::engine::blocking`]) keeps its later requests waiting, unread by the engine, until
//! another client's write or its timeout wakes it (the loop wakes up for the next timeout). Before each batch of commands the engine's clock is set to
//! the wall clock; every 100 ms the active expiry cycle runs (Redis' `hz 10`).
//!
//! Requests are read as Redis 7.0's `networking.c` reads them (see [`protocol`]): pipelining,
//! inline commands typed into `nc`, the same protocol errors, after which that connection alone is
//! closed. Memory per client is bounded by what it really sent: an announced length is never
//! allocated up front, a half-sent frame holds only its own bytes (at most 1 GiB, Redis'
//! `client-query-buffer-limit`), and a client that does not read its replies stops being read once
//! 4 MiB of them wait. Replies are gathered per client and written once per loop turn.
//!
//! ```no_run
//! use incr_lab::server::Server;
//! let server = Server::bind("127.0.0.1:6379".parse().unwrap()).unwrap();
//! let stop = server.shutdown_handle(); // stop.shutdown() from any thread ends run()
//! server.run().unwrap();
//! ```

pub mod admin;
pub mod protocol;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::unix::net::UnixStream as StdUnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream, UnixStream};
use mio::{Events, Interest, Poll, Token, Waker};

use crate::engine::{ClientId, Engine, Limits, Map, Outcome, Reply};
use crate::wall_clock::wall_clock_ms;
use admin::{ServerHost, ServerState, Session};
use protocol::{Parser, Request};

/// The port `redis-sim serve` listens on unless told otherwise (Redis' own).
pub const DEFAULT_PORT: u16 = 6379;

/// The address it binds to unless told otherwise: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1";

/// Redis' default `maxclients`: one more connection is answered with an error and closed.
pub const MAX_CLIENTS: usize = 10_000;

/// Bytes read from a socket at a time (Redis' `PROTO_IOBUF_LEN`).
const READ_CHUNK: usize = 16 * 1024;

/// The most a client may have sent of one unfinished request (Redis' `client-query-buffer-limit`).
const MAX_QUERY_BUFFER: usize = 1 << 30;

/// Past this many unwritten reply bytes, a client's further requests wait until it reads.
const OUTPUT_PAUSE: usize = 4 << 20;

/// Buffers grown past this are given back once empty.
const KEEP_BUFFER: usize = 1 << 20;

/// How often the active expiry cycle runs (Redis' `hz 10`).
const CRON: Duration = Duration::from_millis(100);

const LISTENER: Token = Token(usize::MAX - 1);
const WAKER: Token = Token(usize::MAX - 2);
const SIGNALS: Token = Token(usize::MAX - 3);

/// `redis-sim serve` options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The address to listen on (an IP address or a host name).
    pub bind: String,
    /// The TCP port; 0 picks a free one (printed at start).
    pub port: u16,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: DEFAULT_BIND.to_owned(),
            port: DEFAULT_PORT,
        }
    }
}

impl Options {
    /// The socket address these options name.
    pub fn socket_addr(&self) -> io::Result<SocketAddr> {
        (self.bind.as_str(), self.port)
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such address"))
    }
}

/// Runs `redis-sim serve` until SIGINT or SIGTERM: binds, prints where it listens, serves.
pub fn serve(options: &Options) -> io::Result<()> {
    let mut server = Server::bind(options.socket_addr()?)?;
    server.shutdown_on_signals()?;
    say(&format!(
        "redis-sim: ready to accept connections on {}",
        server.local_addr()?
    ));
    server.run()?;
    say("redis-sim: shut down");
    Ok(())
}

/// Prints a line on standard output; a closed stdout is no reason to stop serving.
fn say(line: &str) {
    let mut stdout = io::stdout().lock();
    let _ = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

/// Prints a line on standard error, ignoring a closed stderr.
fn warn(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}

/// Stops a running [`Server`] from another thread.
#[derive(Clone, Debug)]
pub struct Shutdown {
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
}

impl Shutdown {
    /// Asks the server to close every connection and return from [`Server::run`].
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // A failed wake-up leaves the stop to the next 100 ms tick.
        let _ = self.waker.wake();
    }
}

/// One client connection.
struct Conn {
    stream: TcpStream,
    /// The client id and name.
    session: Session,
    /// Bytes received; `buf[..filled]` holds data, the rest is room for the next read.
    buf: Vec<u8>,
    filled: usize,
    /// How far requests have been parsed.
    pos: usize,
    parser: Parser,
    /// Replies not yet written; `out[..sent]` went out already.
    out: Vec<u8>,
    sent: usize,
    /// Close once the replies are written (QUIT, a protocol error).
    closing: bool,
    /// Requests wait: too many replies are unread.
    paused: bool,
    /// Registered for writable events (a write could not finish).
    want_write: bool,
    /// Already in the list of connections to flush.
    queued: bool,
    /// The peer shut its side: read until the end, the close must not go unnoticed.
    peer_closed: bool,
    /// Waiting in a blocking command (BZPOPMIN…): its later requests wait too, as in Redis.
    blocked: bool,
}

impl Conn {
    fn unsent(&self) -> usize {
        self.out.len() - self.sent
    }

    /// Makes room for one more read, dropping what was parsed if that suffices.
    fn make_room(&mut self) {
        if self.buf.len() - self.filled >= READ_CHUNK {
            return;
        }
        let keep = self.parser.frame_start(self.pos);
        if keep > 0 {
            self.buf.copy_within(keep..self.filled, 0);
            self.filled -= keep;
            self.pos -= keep;
            self.parser.shift(keep);
        }
        if self.buf.len() - self.filled < READ_CHUNK {
            self.buf.resize(self.filled + READ_CHUNK, 0);
        }
    }

    /// After parsing: forget consumed bytes when nothing is pending, and give back a buffer a
    /// big request grew.
    fn settle(&mut self) {
        if self.pos == self.filled && !self.parser.in_frame() {
            self.pos = 0;
            self.filled = 0;
            if self.buf.len() > KEEP_BUFFER {
                self.buf = vec![0; READ_CHUNK * 2];
            }
        }
    }
}

/// The signal self-pipe: SIGINT and SIGTERM each write a byte into it.
struct Signals {
    reader: UnixStream,
    ids: Vec<signal_hook::SigId>,
}

/// The RESP2 server: a listening socket, its connections and the engine.
pub struct Server {
    poll: Poll,
    listener: TcpListener,
    engine: Engine,
    conns: Vec<Option<Conn>>,
    /// Free connection slots, and slots closed during this loop turn (reused from the next).
    free: Vec<usize>,
    closed: Vec<usize>,
    next_id: ClientId,
    /// Each connected client's slot (to deliver the reply of a client woken from a blocking
    /// command).
    slots: Map<ClientId, usize>,
    /// Connections with replies to write at the end of this loop turn.
    dirty: Vec<usize>,
    /// Connections to read from again next turn (unpaused, or stopped for fairness).
    resume: Vec<usize>,
    /// An accept failed (out of file descriptors): try again on the next tick.
    accept_retry: bool,
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
    signals: Option<Signals>,
    /// What the server's own commands read and change (its address, the active expiry switch).
    state: ServerState,
}

impl Server {
    /// Binds the listening socket. Nothing is served until [`Server::run`].
    pub fn bind(addr: SocketAddr) -> io::Result<Server> {
        let poll = Poll::new()?;
        let mut listener = TcpListener::bind(addr)?;
        let local = listener.local_addr().unwrap_or(addr);
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let engine = Engine::with_limits(
            wall_clock_ms(),
            Limits {
                max_keys: None,
                max_bytes: None,
            },
        );
        Ok(Server {
            poll,
            listener,
            engine,
            conns: Vec::new(),
            free: Vec::new(),
            closed: Vec::new(),
            next_id: 1,
            slots: Map::default(),
            dirty: Vec::new(),
            resume: Vec::new(),
            accept_retry: false,
            stop: Arc::new(AtomicBool::new(false)),
            waker,
            signals: None,
            state: ServerState {
                port: local.port(),
                bind: local.ip().to_string(),
                active_expire: true,
                connected_clients: 0,
            },
        })
    }

    /// The address the server listens on (with the real port when bound to port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle that stops [`Server::run`] from another thread.
    pub fn shutdown_handle(&self) -> Shutdown {
        Shutdown {
            stop: Arc::clone(&self.stop),
            waker: Arc::clone(&self.waker),
        }
    }

    /// Makes SIGINT and SIGTERM stop [`Server::run`] cleanly (through a self-pipe the loop
    /// watches, so the signal handler itself only writes a byte).
    pub fn shutdown_on_signals(&mut self) -> io::Result<()> {
        let (reader, writer) = StdUnixStream::pair()?;
        reader.set_nonblocking(true)?;
        let mut reader = UnixStream::from_std(reader);
        self.poll
            .registry()
            .register(&mut reader, SIGNALS, Interest::READABLE)?;
        let second = writer.try_clone()?;
        let ids = vec![
            signal_hook::low_level::pipe::register(signal_hook::consts::SIGINT, writer)?,
            signal_hook::low_level::pipe::register(signal_hook::consts::SIGTERM, second)?,
        ];
        self.signals = Some(Signals { reader, ids });
        Ok(())
    }

    /// Serves until shut down (a [`Shutdown`] handle or a signal), then closes every connection.
    pub fn run(mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        let mut next_cron = Instant::now() + CRON;
        while !self.stop.load(Ordering::SeqCst) {
            let now = Instant::now();
            let timeout = if self.resume.is_empty() {
                // Wake for the cron, or for the next blocked client's timeout if sooner.
                let cron = next_cron.saturating_duration_since(now);
                match self.engine.next_block_deadline() {
                    Some(deadline) => {
                        let ms = deadline.saturating_sub(wall_clock_ms()).saturating_add(1);
                        cron.min(Duration::from_millis(ms.max(0).unsigned_abs()))
                    }
                    None => cron,
                }
            } else {
                Duration::ZERO
            };
            match self.poll.poll(&mut events, Some(timeout)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            for slot in std::mem::take(&mut self.resume) {
                self.on_readable(slot);
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(),
                    WAKER => {}
                    SIGNALS => self.on_signal(),
                    Token(slot) => {
                        if event.is_writable() {
                            self.flush(slot);
                        }
                        if event.is_read_closed() || event.is_error() {
                            if let Some(conn) = self.conns.get_mut(slot).and_then(Option::as_mut) {
                                conn.peer_closed = true;
                            }
                        }
                        if event.is_readable() || event.is_read_closed() || event.is_error() {
                            self.on_readable(slot);
                        }
                    }
                }
            }
            if self
                .engine
                .next_block_deadline()
                .is_some_and(|deadline| deadline < wall_clock_ms())
            {
                // Blocked clients whose timeout passed get their reply now, not at the next cron.
                self.engine.set_now_ms(wall_clock_ms());
                self.deliver_wakeups();
            }
            while let Some(slot) = self.dirty.pop() {
                if let Some(conn) = self.conns.get_mut(slot).and_then(Option::as_mut) {
                    conn.queued = false;
                }
                self.flush(slot);
            }
            self.free.append(&mut self.closed);
            if Instant::now() >= next_cron {
                self.cron();
                next_cron = Instant::now() + CRON;
            }
        }
        self.close_all();
        Ok(())
    }

    /// The 100 ms tick: active expiry, blocked clients whose timeout passed, and accepting again
    /// after running out of descriptors.
    fn cron(&mut self) {
        self.engine.set_now_ms(wall_clock_ms());
        if self.state.active_expire {
            self.engine.active_expire_cycle();
        }
        self.deliver_wakeups();
        if self.accept_retry {
            self.accept_retry = false;
            self.accept();
        }
    }

    fn on_signal(&mut self) {
        if let Some(signals) = self.signals.as_mut() {
            let mut byte = [0u8; 16];
            while matches!(signals.reader.read(&mut byte), Ok(n) if n > 0) {}
        }
        warn("redis-sim: received a shutdown signal");
        self.stop.store(true, Ordering::SeqCst);
    }

    fn accept(&mut self) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => self.add_client(stream),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // Typically EMFILE: the pending connections wait in the backlog.
                    warn(&format!("redis-sim: accepting a connection failed: {e}"));
                    self.accept_retry = true;
                    return;
                }
            }
        }
    }

    fn add_client(&mut self, mut stream: TcpStream) {
        if self.state.connected_clients >= MAX_CLIENTS {
            // As Redis: a best-effort error on the fresh socket, then close it.
            let _ = stream.write(b"-ERR max number of clients reached\r\n");
            return;
        }
        let _ = stream.set_nodelay(true);
        let slot = self.free.pop().unwrap_or(self.conns.len());
        if self
            .poll
            .registry()
            .register(&mut stream, Token(slot), Interest::READABLE)
            .is_err()
        {
            self.free.push(slot);
            return;
        }
        let conn = Conn {
            stream,
            session: Session {
                id: self.next_id,
                ..Session::default()
            },
            buf: vec![0; READ_CHUNK],
            filled: 0,
            pos: 0,
            parser: Parser::new(),
            out: Vec::new(),
            sent: 0,
            closing: false,
            paused: false,
            want_write: false,
            queued: false,
            peer_closed: false,
            blocked: false,
        };
        self.slots.insert(self.next_id, slot);
        self.next_id += 1;
        self.state.connected_clients += 1;
        if slot == self.conns.len() {
            self.conns.push(Some(conn));
        } else {
            self.conns[slot] = Some(conn);
        }
    }

    /// Reads what the client sent and runs the requests in it.
    fn on_readable(&mut self, slot: usize) {
        // Requests already buffered (after a pause) come first.
        self.process(slot);
        let mut rounds = 0;
        loop {
            let Some(conn) = self.conns.get_mut(slot).and_then(Option::as_mut) else {
                return;
            };
            if conn.closing || conn.paused {
                return;
            }
            rounds += 1;
            if rounds > 16 {
                // A client that keeps sending yields to the others; it is read again next turn.
                self.resume.push(slot);
                return;
            }
            conn.make_room();
            let room = conn.buf.len() - conn.filled;
            let read = conn.stream.read(&mut conn.buf[conn.filled..]);
            match read {
                Ok(0) => {
                    // The client is gone: what it asked before closing is answered if it can be.
                    conn.closing = true;
                    self.flush(slot);
                    self.close(slot);
                    return;
                }
                Ok(n) => {
                    conn.filled += n;
                    if conn.filled - conn.parser.frame_start(conn.pos) > MAX_QUERY_BUFFER {
                        warn("redis-sim: closing a client past the query buffer limit");
                        self.close(slot);
                        return;
                    }
                    self.process(slot);
                    let peer_closed = self
                        .conns
                        .get(slot)
                        .and_then(Option::as_ref)
                        .is_some_and(|c| c.peer_closed);
                    if n < room && !peer_closed {
                        // The socket is drained: epoll reports whatever arrives next. (Not so for
                        // a close that came with the data: that edge is already spent.)
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.close(slot);
                    return;
                }
            }
        }
    }

    /// Runs every complete request in the client's buffer.
    fn process(&mut self, slot: usize) {
        let Some(conn) = self.conns.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        if conn.pos == conn.filled || conn.blocked {
            return;
        }
        let engine = &mut self.engine;
        let state = &mut self.state;
        engine.set_now_ms(wall_clock_ms());
        let Conn {
            session,
            buf,
            filled,
            pos,
            parser,
            out,
            sent,
            closing,
            paused,
            blocked,
            ..
        } = conn;
        while !*closing && !*blocked {
            if out.len() - *sent > OUTPUT_PAUSE {
                *paused = true;
                break;
            }
            let after = match parser.parse(&buf[..*filled], pos) {
                Ok(None) => break,
                Ok(Some(Request::Multibulk)) => with_argv(buf, parser.args(), |argv| {
                    dispatch(engine, session, state, argv, out)
                }),
                Ok(Some(Request::Inline(args))) => {
                    let argv: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
                    dispatch(engine, session, state, &argv, out)
                }
                Err(error) => {
                    Reply::Error(error.reply_text()).write_resp(out);
                    After::Close
                }
            };
            match after {
                After::Next => {}
                After::Close => *closing = true,
                After::Wait => *blocked = true,
            }
        }
        conn.settle();
        if (conn.unsent() > 0 || conn.closing) && !conn.queued {
            conn.queued = true;
            self.dirty.push(slot);
        }
        self.deliver_wakeups();
    }

    /// Writes the replies of clients the last commands (or the clock) woke from a blocking
    /// command, and lets their connections go on with the requests that waited.
    fn deliver_wakeups(&mut self) {
        for wakeup in self.engine.take_wakeups() {
            let Some(&slot) = self.slots.get(&wakeup.client) else {
                continue;
            };
            let Some(conn) = self.conns.get_mut(slot).and_then(Option::as_mut) else {
                continue;
            };
            wakeup.reply.write(&mut conn.out, conn.session.protocol);
            conn.blocked = false;
            self.resume.push(slot);
            if !conn.queued {
                conn.queued = true;
                self.dirty.push(slot);
            }
        }
    }

    /// Writes pending replies; closes the connection if it was to close after them.
    fn flush(&mut self, slot: usize) {
        let Some(conn) = self.conns.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        while conn.sent < conn.out.len() {
            match conn.stream.write(&conn.out[conn.sent..]) {
                Ok(0) => {
                    self.close(slot);
                    return;
                }
                Ok(n) => conn.sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if !conn.want_write {
                        conn.want_write = true;
                        let interest = Interest::READABLE | Interest::WRITABLE;
                        if self
                            .poll
                            .registry()
                            .reregister(&mut conn.stream, Token(slot), interest)
                            .is_err()
                        {
                            self.close(slot);
                        }
                    }
                    return;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.close(slot);
                    return;
                }
            }
        }
        conn.out.clear();
        conn.sent = 0;
        if conn.out.capacity() > KEEP_BUFFER {
            conn.out = Vec::new();
        }
        if conn.closing {
            self.close(slot);
            return;
        }
        if conn.want_write {
            conn.want_write = false;
            if self
                .poll
                .registry()
                .reregister(&mut conn.stream, Token(slot), Interest::READABLE)
                .is_err()
            {
                self.close(slot);
                return;
            }
        }
        if conn.paused {
            conn.paused = false;
            self.resume.push(slot);
        }
    }

    fn close(&mut self, slot: usize) {
        let Some(mut conn) = self.conns.get_mut(slot).and_then(Option::take) else {
            return;
        };
        // Unread bytes would make the kernel answer with a reset, which can destroy the last
        // reply in flight: read them away first.
        let mut scratch = [0u8; 4096];
        for _ in 0..16 {
            if !matches!(conn.stream.read(&mut scratch), Ok(n) if n > 0) {
                break;
            }
        }
        let _ = self.poll.registry().deregister(&mut conn.stream);
        self.engine.disconnect(conn.session.id);
        self.slots.remove(&conn.session.id);
        self.state.connected_clients -= 1;
        self.closed.push(slot);
    }

    fn close_all(&mut self) {
        for slot in 0..self.conns.len() {
            self.close(slot);
        }
        if let Some(signals) = self.signals.take() {
            for id in signals.ids {
                signal_hook::low_level::unregister(id);
            }
        }
    }
}

/// What a connection does after a request.
enum After {
    /// Goes on with its next request.
    Next,
    /// Closes once its replies are written (QUIT, a protocol error).
    Close,
    /// Waits: the request blocked, and its reply comes with [`Engine::take_wakeups`].
    Wait,
}

/// Runs one request in the engine, with the server's own commands as its host, and writes the
/// reply in the connection's protocol — as it is after the command (HELLO's own reply is in the
/// protocol it chose). The client may block (see [`crate::engine::blocking`]).
fn dispatch(
    engine: &mut Engine,
    session: &mut Session,
    server: &mut ServerState,
    argv: &[&[u8]],
    out: &mut Vec<u8>,
) -> After {
    if admin::is_quit(argv) {
        Reply::ok().write(out, session.protocol);
        return After::Close;
    }
    let id = session.id;
    match engine.execute_or_block_in(&mut ServerHost { session, server }, id, argv) {
        Outcome::Reply(reply) => {
            reply.write(out, session.protocol);
            After::Next
        }
        Outcome::Blocked => After::Wait,
    }
}

/// Calls `f` with the arguments as slices of `buf`, without allocating for short commands.
fn with_argv<R>(buf: &[u8], ranges: &[std::ops::Range<usize>], f: impl FnOnce(&[&[u8]]) -> R) -> R {
    const STACK: usize = 8;
    let arg = |r: &std::ops::Range<usize>| buf.get(r.clone()).unwrap_or_default();
    if ranges.len() <= STACK {
        let mut argv: [&[u8]; STACK] = [&[]; STACK];
        for (slot, range) in argv.iter_mut().zip(ranges) {
            *slot = arg(range);
        }
        f(&argv[..ranges.len()])
    } else {
        let argv: Vec<&[u8]> = ranges.iter().map(arg).collect();
        f(&argv)
    }
}
