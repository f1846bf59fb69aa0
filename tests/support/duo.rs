//! The differential harness: every command goes to a real Redis and to our [`Engine`], and the two
//! replies must be the same bytes.
//!
//! Client `i` is the `i`-th RESP connection to Redis and engine client id `i + 1`. Before each
//! command the engine's clock is set to the wall clock, so TTLs and expiry behave alike.
//!
//! Redis leaves a few things undefined, and only those are compared loosely:
//! - KEYS lists keys in hash-table order: compared sorted.
//! - HGETALL on a hash that left the listpack encoding lists fields in the order of a hash table
//!   seeded at random: compared as a set of pairs, and only when Redis (or the engine) reports that
//!   encoding — listpack hashes must match in order.
//! - TTL-family values on relative expire times depend on the milliseconds between two commands:
//!   [`Duo::check_near`] allows a margin.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use incr_lab::engine::{Engine, Value};

use super::{show, show_argv, Conn, RedisServer, Resp};

/// How two replies are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Same bytes.
    Exact,
    /// An array compared sorted (KEYS).
    Sorted,
    /// HGETALL of this key: in order while listpack-encoded, as a set of pairs after.
    Hash,
    /// Integers within this distance when both are non-negative (TTL values); else exact.
    Near(i64),
}

/// A real Redis and our engine, driven in lockstep.
pub struct Duo {
    /// Kept alive for the connections; killed on drop.
    server: RedisServer,
    /// One connection per client, opened on first use.
    conns: Vec<Option<Conn>>,
    /// A connection for the harness' own questions (OBJECT ENCODING), never in a transaction.
    control: Conn,
    engine: Engine,
    /// Every command sent so far, for the mismatch report.
    history: Vec<String>,
    /// Per client: the comparison modes of the commands queued since MULTI, from Redis' QUEUED.
    queued: Vec<Vec<(Mode, Vec<u8>)>>,
    /// Printed first in a mismatch report (a seed, say).
    label: String,
    /// How many commands were compared.
    compared: usize,
}

/// The wall clock in Unix milliseconds.
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Duo {
    /// Starts a Redis and an empty engine. Fails the test if Redis cannot be started.
    pub fn new() -> Duo {
        let server = RedisServer::start();
        let control = server.connect();
        Duo {
            server,
            conns: Vec::new(),
            control,
            engine: Engine::new(wall_ms()),
            history: Vec::new(),
            queued: Vec::new(),
            label: String::new(),
            compared: 0,
        }
    }

    /// Sets the text printed first when a mismatch is reported.
    pub fn set_label(&mut self, label: impl Into<String>) {
        self.label = label.into();
    }

    /// How many commands were compared so far.
    pub fn compared(&self) -> usize {
        self.compared
    }

    /// The engine, for checks of its own state.
    pub fn engine(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// Forgets every client (their connections close) and empties both keyspaces.
    pub fn reset(&mut self) {
        self.conns.clear();
        self.queued.clear();
        assert_eq!(self.control.call(&["FLUSHALL"]), b"+OK\r\n");
        self.engine = Engine::new(wall_ms());
        self.history
            .push("-- reset: new clients, FLUSHALL, new engine".to_owned());
    }

    /// Sleeps, then lets the engine run its active expiry as Redis' cron has meanwhile.
    pub fn sleep_ms(&mut self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
        self.engine.set_now_ms(wall_ms());
        self.engine.active_expire_cycle();
        self.history.push(format!("-- slept {ms} ms"));
    }

    /// Sends `argv` from `client` to both and fails the test unless the replies are the same bytes
    /// (sorted for KEYS, see [`Mode::Hash`] for HGETALL). Returns Redis' reply bytes.
    pub fn check<A: AsRef<[u8]>>(&mut self, client: usize, argv: &[A]) -> Vec<u8> {
        let mode = default_mode(argv);
        self.check_with(client, argv, mode)
    }

    /// As [`Duo::check`], but non-negative integer replies may differ by `margin` (TTL values of
    /// keys whose expire time was set relative to a clock that moved between the two servers).
    pub fn check_near<A: AsRef<[u8]>>(
        &mut self,
        client: usize,
        argv: &[A],
        margin: i64,
    ) -> Vec<u8> {
        self.check_with(client, argv, Mode::Near(margin))
    }

    /// Runs a console-like script from `client`: one command per line, arguments split on
    /// whitespace (no quoting: arguments with spaces or odd bytes go through [`Duo::check`]).
    pub fn lines(&mut self, client: usize, script: &str) {
        for line in script.lines() {
            let argv: Vec<&str> = line.split_whitespace().collect();
            if !argv.is_empty() {
                self.check(client, &argv);
            }
        }
    }

    /// Sends `argv` from `client` to both and compares the replies with `mode`.
    pub fn check_with<A: AsRef<[u8]>>(&mut self, client: usize, argv: &[A], mode: Mode) -> Vec<u8> {
        let (redis, ours) = self.send_both(client, argv);
        let key = argv.get(1).map(|k| k.as_ref().to_vec()).unwrap_or_default();
        let is_exec = argv
            .first()
            .is_some_and(|n| n.as_ref().eq_ignore_ascii_case(b"exec"));
        let same = if is_exec {
            let queued = std::mem::take(&mut self.queued[client]);
            self.same_exec(&redis, &ours, &queued)
        } else {
            self.same(mode, &key, &redis, &ours)
        };
        if !same {
            self.report(client, argv, &redis, &ours);
        }
        self.track_transaction(client, argv, &redis, mode, key);
        redis
    }

    /// Sends `argv` to both without comparing; returns (Redis' reply, the engine's reply).
    pub fn send_both<A: AsRef<[u8]>>(&mut self, client: usize, argv: &[A]) -> (Vec<u8>, Vec<u8>) {
        while self.conns.len() <= client {
            self.conns.push(None);
            self.queued.push(Vec::new());
        }
        if self.conns[client].is_none() {
            self.conns[client] = Some(self.server.connect());
        }
        self.history
            .push(format!("[client {client}] {}", show_argv(argv)));
        self.compared += 1;
        self.engine.set_now_ms(wall_ms());
        let redis = self.conns[client]
            .as_mut()
            .map(|c| c.call(argv))
            .unwrap_or_default();
        let ours = self.engine.execute(client as u64 + 1, argv).to_resp();
        (redis, ours)
    }

    fn track_transaction<A: AsRef<[u8]>>(
        &mut self,
        client: usize,
        argv: &[A],
        redis: &[u8],
        mode: Mode,
        key: Vec<u8>,
    ) {
        let name = argv.first().map(|n| n.as_ref()).unwrap_or_default();
        if redis == b"+QUEUED\r\n" {
            self.queued[client].push((mode, key));
        } else if (name.eq_ignore_ascii_case(b"multi") && redis == b"+OK\r\n")
            || name.eq_ignore_ascii_case(b"discard")
            || name.eq_ignore_ascii_case(b"exec")
        {
            self.queued[client].clear();
        }
    }

    fn same_exec(&mut self, redis: &[u8], ours: &[u8], queued: &[(Mode, Vec<u8>)]) -> bool {
        if redis == ours {
            return true;
        }
        match (Resp::parse(redis), Resp::parse(ours)) {
            (Some(Resp::Array(Some(r))), Some(Resp::Array(Some(o))))
                if r.len() == o.len() && r.len() == queued.len() =>
            {
                r.iter()
                    .zip(&o)
                    .zip(queued)
                    .all(|((r, o), (mode, key))| self.same_parsed(*mode, key, r, o))
            }
            _ => false,
        }
    }

    fn same(&mut self, mode: Mode, key: &[u8], redis: &[u8], ours: &[u8]) -> bool {
        if redis == ours {
            return true;
        }
        match (Resp::parse(redis), Resp::parse(ours)) {
            (Some(r), Some(o)) => self.same_parsed(mode, key, &r, &o),
            _ => false,
        }
    }

    fn same_parsed(&mut self, mode: Mode, key: &[u8], redis: &Resp, ours: &Resp) -> bool {
        if redis == ours {
            return true;
        }
        match (mode, redis, ours) {
            (Mode::Sorted, Resp::Array(Some(r)), Resp::Array(Some(o))) => sorted(r) == sorted(o),
            (Mode::Hash, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                pairs(r) == pairs(o) && self.is_hashtable(key)
            }
            (Mode::Near(margin), Resp::Int(r), Resp::Int(o)) => {
                *r >= 0 && *o >= 0 && (r - o).abs() <= margin
            }
            _ => false,
        }
    }

    /// True when the hash at `key` has left the listpack encoding, in Redis or in the engine.
    fn is_hashtable(&mut self, key: &[u8]) -> bool {
        let redis = self.control.call(&[&b"OBJECT"[..], b"ENCODING", key]);
        let ours = matches!(self.engine.db().peek(key), Some(Value::Hash(h)) if !h.is_listpack());
        redis == b"$9\r\nhashtable\r\n" || ours
    }

    /// Fails unless Redis and the engine agree on whether the hash at `key` is still a listpack
    /// (the encoding decides HGETALL's order, so it must switch at the same moment).
    pub fn check_hash_encoding(&mut self, key: &[u8]) {
        let redis = self.control.call(&[&b"OBJECT"[..], b"ENCODING", key]);
        let ours = match self.engine.db().peek(key) {
            Some(Value::Hash(h)) if h.is_listpack() => Some(&b"$8\r\nlistpack\r\n"[..]),
            Some(Value::Hash(_)) => Some(&b"$9\r\nhashtable\r\n"[..]),
            _ => None,
        };
        let redis_hash = redis == b"$8\r\nlistpack\r\n" || redis == b"$9\r\nhashtable\r\n";
        if (redis_hash || ours.is_some()) && ours != Some(&redis[..]) {
            let argv: [&[u8]; 3] = [b"OBJECT", b"ENCODING", key];
            self.report(0, &argv, &redis, ours.unwrap_or(b"(no hash)"));
        }
    }

    fn report<A: AsRef<[u8]>>(&self, client: usize, argv: &[A], redis: &[u8], ours: &[u8]) -> ! {
        let mut text = String::new();
        if !self.label.is_empty() {
            text.push_str(&format!("{}\n", self.label));
        }
        text.push_str("the sequence so far:\n");
        for line in &self.history {
            text.push_str(&format!("  {line}\n"));
        }
        text.push_str(&format!(
            "mismatch on [client {client}] {}\n  redis:  {}\n  engine: {}\n",
            show_argv(argv),
            show(redis),
            show(ours)
        ));
        panic!("{text}");
    }
}

impl Default for Duo {
    fn default() -> Self {
        Duo::new()
    }
}

fn default_mode<A: AsRef<[u8]>>(argv: &[A]) -> Mode {
    let name = argv.first().map(|n| n.as_ref()).unwrap_or_default();
    if name.eq_ignore_ascii_case(b"keys") {
        Mode::Sorted
    } else if name.eq_ignore_ascii_case(b"hgetall") {
        Mode::Hash
    } else {
        Mode::Exact
    }
}

fn sorted(items: &[Resp]) -> Vec<Resp> {
    let mut v = items.to_vec();
    v.sort();
    v
}

fn pairs(items: &[Resp]) -> Option<Vec<(Resp, Resp)>> {
    if items.len() % 2 != 0 {
        return None;
    }
    let mut v: Vec<(Resp, Resp)> = items
        .chunks_exact(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    v.sort();
    Some(v)
}
