//! The differential harness: every command goes to a real Redis, to our [`Engine`] and to the same
//! engine behind `redis-sim serve` over TCP, and all three replies must be the same bytes.
//!
//! Client `i` is the `i`-th RESP connection to Redis and engine client id `i + 1`. Before each
//! command the engine's clock is set to the wall clock, so TTLs and expiry behave alike.
//!
//! Redis leaves a few things undefined, and only those are compared loosely:
//! - KEYS lists keys in hash-table order: compared sorted.
//! - HGETALL on a hash that left the listpack encoding lists fields in the order of a hash table
//!   seeded at random: compared as a set of pairs, and only when Redis (or the engine) reports that
//!   encoding — listpack hashes must match in order. Inside EXEC the encoding at the moment the
//!   queued HGETALL ran cannot be asked, so there a key that may have been a hash table at some
//!   point (seen so, or written with a long argument by a queued command) compares as a set.
//! - TTL-family values on relative expire times depend on the milliseconds between two commands:
//!   [`Duo::check_near`] allows a margin.

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use incr_lab::engine::{Engine, Value};

use super::sim::SimServer;
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
    /// A flat array of key-value pairs whose order Redis leaves to a hash table (CONFIG GET):
    /// compared as a set of pairs.
    Pairs,
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
    /// The same engine behind `redis-sim serve` over TCP: every command goes there too, with its
    /// own connection per client, and must answer as Redis does.
    sim: SimServer,
    sim_conns: Vec<Option<Conn>>,
    sim_control: Conn,
    /// Every command sent so far, for the mismatch report.
    history: Vec<String>,
    /// Per client: the comparison modes of the commands queued since MULTI, from Redis' QUEUED.
    queued: Vec<Vec<(Mode, Vec<u8>)>>,
    /// Keys that may have been hash-table-encoded at some moment (see [`Mode::Hash`]).
    maybe_table: HashSet<Vec<u8>>,
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
        let sim = SimServer::start();
        let sim_control = sim.connect();
        Duo {
            server,
            conns: Vec::new(),
            control,
            engine: Engine::new(wall_ms()),
            sim,
            sim_conns: Vec::new(),
            sim_control,
            history: Vec::new(),
            queued: Vec::new(),
            maybe_table: HashSet::new(),
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
        self.sim_conns.clear();
        self.queued.clear();
        self.maybe_table.clear();
        assert_eq!(self.control.call(&["FLUSHALL"]), b"+OK\r\n");
        assert_eq!(self.sim_control.call(&["FLUSHALL"]), b"+OK\r\n");
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

    /// Sends `argv` from `client` to Redis, the engine and `redis-sim serve`, and compares the
    /// engine's and the server's replies with Redis' with `mode`.
    pub fn check_with<A: AsRef<[u8]>>(&mut self, client: usize, argv: &[A], mode: Mode) -> Vec<u8> {
        let (redis, ours, served) = self.send_both(client, argv);
        let key = argv.get(1).map(|k| k.as_ref().to_vec()).unwrap_or_default();
        let is_exec = argv
            .first()
            .is_some_and(|n| n.as_ref().eq_ignore_ascii_case(b"exec"));
        let queued = if is_exec {
            std::mem::take(&mut self.queued[client])
        } else {
            Vec::new()
        };
        for (side, reply) in [("engine", &ours), ("served", &served)] {
            let same = if is_exec {
                self.same_exec(&redis, reply, &queued)
            } else {
                self.same(mode, &key, &redis, reply)
            };
            if !same {
                self.report(side, client, argv, &redis, reply);
            }
        }
        self.track_transaction(client, argv, &redis, mode, key);
        redis
    }

    /// Sends `argv` everywhere without comparing; returns (Redis' reply, the engine's reply,
    /// `redis-sim serve`'s reply).
    pub fn send_both<A: AsRef<[u8]>>(
        &mut self,
        client: usize,
        argv: &[A],
    ) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        while self.conns.len() <= client {
            self.conns.push(None);
            self.sim_conns.push(None);
            self.queued.push(Vec::new());
        }
        if self.conns[client].is_none() {
            self.conns[client] = Some(self.server.connect());
        }
        if self.sim_conns[client].is_none() {
            self.sim_conns[client] = Some(self.sim.connect());
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
        let served = self.sim_conns[client]
            .as_mut()
            .map(|c| c.call(argv))
            .unwrap_or_default();
        for key in self.engine.touched() {
            if matches!(self.engine.db().peek(key), Some(Value::Hash(h)) if !h.is_listpack()) {
                self.maybe_table.insert(key.clone());
            }
        }
        (redis, ours, served)
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
            // A queued write that may convert a hash: a long argument, or a float result.
            let converts = name.eq_ignore_ascii_case(b"hincrbyfloat")
                || (name.len() > 1
                    && name[0].eq_ignore_ascii_case(&b'h')
                    && argv.iter().any(|a| a.as_ref().len() > 64));
            if converts {
                self.maybe_table.insert(key.clone());
            }
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
                    .all(|((r, o), (mode, key))| self.same_parsed(*mode, key, r, o, true))
            }
            _ => false,
        }
    }

    fn same(&mut self, mode: Mode, key: &[u8], redis: &[u8], ours: &[u8]) -> bool {
        if redis == ours {
            return true;
        }
        match (Resp::parse(redis), Resp::parse(ours)) {
            (Some(r), Some(o)) => self.same_parsed(mode, key, &r, &o, false),
            _ => false,
        }
    }

    /// `in_exec`: the reply is one of EXEC's, given before we could look at the key's encoding.
    fn same_parsed(
        &mut self,
        mode: Mode,
        key: &[u8],
        redis: &Resp,
        ours: &Resp,
        in_exec: bool,
    ) -> bool {
        if redis == ours {
            return true;
        }
        match (mode, redis, ours) {
            (Mode::Sorted, Resp::Array(Some(r)), Resp::Array(Some(o))) => sorted(r) == sorted(o),
            (Mode::Hash, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                pairs(r) == pairs(o)
                    && ((in_exec && self.maybe_table.contains(key)) || self.is_hashtable(key))
            }
            (Mode::Near(margin), Resp::Int(r), Resp::Int(o)) => {
                *r >= 0 && *o >= 0 && (r - o).abs() <= margin
            }
            (Mode::Pairs, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                pairs(r).is_some() && pairs(r) == pairs(o)
            }
            _ => false,
        }
    }

    /// True when the hash at `key` has left the listpack encoding, in Redis or in the engine.
    fn is_hashtable(&mut self, key: &[u8]) -> bool {
        let redis = self.control.call(&[&b"OBJECT"[..], b"ENCODING", key]);
        let ours = matches!(self.engine.db().peek(key), Some(Value::Hash(h)) if !h.is_listpack());
        let table = redis == b"$9\r\nhashtable\r\n" || ours;
        if table {
            self.maybe_table.insert(key.to_vec());
        }
        table
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
            self.report("engine", 0, &argv, &redis, ours.unwrap_or(b"(no hash)"));
        }
    }

    /// Fails the test, showing the sequence and both keyspaces. `side` is the one that differs
    /// from Redis: "engine" (in-process) or "served" (`redis-sim serve` over TCP).
    fn report<A: AsRef<[u8]>>(
        &mut self,
        side: &str,
        client: usize,
        argv: &[A],
        redis: &[u8],
        ours: &[u8],
    ) -> ! {
        let mut text = String::new();
        if !self.label.is_empty() {
            text.push_str(&format!("{}\n", self.label));
        }
        text.push_str("the sequence so far:\n");
        for line in &self.history {
            text.push_str(&format!("  {line}\n"));
        }
        text.push_str(&format!(
            "mismatch on [client {client}] {}\n  redis:  {}\n  {side}: {}\n",
            show_argv(argv),
            show(redis),
            show(ours)
        ));
        if let (Some(Resp::Array(Some(r))), Some(Resp::Array(Some(o)))) =
            (Resp::parse(redis), Resp::parse(ours))
        {
            if let Some(i) = (0..r.len().max(o.len())).find(|&i| r.get(i) != o.get(i)) {
                text.push_str(&format!(
                    "  first difference at element {i}:\n    redis:  {}\n    {side}: {}\n",
                    r.get(i)
                        .map_or("(none)".to_owned(), |r| show(&r.to_bytes())),
                    o.get(i)
                        .map_or("(none)".to_owned(), |o| show(&o.to_bytes()))
                ));
            }
        }
        // Both keyspaces, for the post-mortem (KEYS does not expire anything).
        let redis_keys = self.control.call(&["KEYS", "*"]);
        let mut redis_keys: Vec<String> = match Resp::parse(&redis_keys) {
            Some(Resp::Array(Some(keys))) => keys.iter().map(|k| show(&k.to_bytes())).collect(),
            _ => vec![show(&redis_keys)],
        };
        redis_keys.sort();
        let now = self.engine.now_ms();
        let db = self.engine.db();
        let mut our_keys: Vec<String> = db
            .raw_keys()
            .map(|k| {
                let at = db.expire_at(k).map(|at| at - now);
                format!("{} (ttl ms {at:?})", show(k))
            })
            .collect();
        our_keys.sort();
        text.push_str(&format!(
            "redis keys:  {}\nengine keys: {}\n",
            redis_keys.join(" "),
            our_keys.join(" ")
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
