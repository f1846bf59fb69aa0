//! The differential harness: every command goes to a real Redis, to our [`Engine`] and to the same
//! engine behind `redis-sim serve` over TCP, and all three replies must be the same bytes — in both
//! protocols: a [`Duo`] drives two lanes in lockstep, one whose connections speak RESP2 and one
//! whose connections opened with `HELLO 3` (each lane with its own Redis, engine and server, so
//! that both see the same sequence of commands). The engine's replies are encoded in the lane's
//! protocol.
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
//! - Sets: hash-table order, SSCAN pages and SPOP / SRANDMEMBER draws (see `duo/sets.rs`).

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use incr_lab::engine::{Engine, Protocol, Value};

mod hashes;
mod keys;
mod sets;
mod zsets;

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
    /// HKEYS or HVALS of this key: in order while listpack-encoded, sorted after.
    HashList,
    /// Integers within this distance when both are non-negative (TTL values); else exact.
    Near(i64),
    /// Key-value pairs whose order Redis leaves to a hash table seeded at random (CONFIG GET):
    /// compared as a set of pairs, a flat array in RESP2 as a map in RESP3.
    Pairs,
    /// HRANDFIELD key [count [WITHVALUES]] (and ZRANDMEMBER key [count [WITHSCORES]]): Redis draws
    /// at random, so the replies must have the same shape and length, every field (and value) must
    /// be the hash's (member and score the sorted set's), distinct for a positive count, and all of
    /// it when the count covers it. Inside EXEC, only the shape.
    RandomFields {
        /// The count argument, when there is one.
        count: Option<i64>,
        /// WITHVALUES was given.
        with_values: bool,
    },
    /// HSCAN: the same bytes while the hash is a listpack (it comes whole, in order); for a hash
    /// table, whose buckets depend on Redis' random hash seed, a well-formed page of the hash's
    /// own fields and values. Inside EXEC, only the shape.
    HashScan,
    /// Set members (SMEMBERS, SINTER, SUNION, SDIFF): in order when Redis' order is defined.
    Members,
    /// SSCAN: the same cursor, and its members as [`Mode::Members`].
    Scan,
    /// SPOP, SRANDMEMBER: what is deterministic of a random answer; an SPOP is then resynchronized.
    Random,
    /// ZSCAN: the same bytes while the sorted set is a listpack (it comes whole, in order); for a
    /// skip list, whose dict's buckets depend on Redis' random hash seed, a well-formed page of
    /// the set's own members and scores. Inside EXEC, only the shape.
    ZsetScan,
    /// RANDOMKEY: see `duo/keys.rs` for this mode and the three after it.
    RandomKey,
    /// SCAN from cursor 0 with a COUNT that covers the keyspace.
    KeyScan,
    /// MEMORY USAGE (its key is `argv[2]`).
    MemoryUsage,
    /// TIME.
    Time,
}

/// Both protocols' lanes, driven in lockstep: the RESP2 lane first.
pub struct Duo {
    lanes: [Lane; 2],
}

/// A real Redis and our engine, driven in lockstep, in one protocol.
struct Lane {
    /// What every connection of this lane speaks.
    protocol: Protocol,
    /// Kept alive for the connections; killed on drop.
    server: RedisServer,
    /// One connection per client, opened on first use.
    conns: Vec<Option<Conn>>,
    /// A RESP2 connection for the harness' own questions (OBJECT ENCODING), never in a
    /// transaction.
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
    /// Per client: in a transaction (Redis answered MULTI with OK, and no EXEC/DISCARD since).
    multi: Vec<bool>,
    /// What the set modes compare against (see `duo/sets.rs`).
    before: sets::Before,
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

impl Lane {
    /// Starts a Redis, an empty engine and a server. Fails the test if Redis cannot be started.
    fn new(protocol: Protocol) -> Lane {
        let server = RedisServer::start();
        let control = server.connect();
        let sim = SimServer::start();
        let sim_control = sim.connect();
        Lane {
            protocol,
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
            multi: Vec::new(),
            before: sets::Before::default(),
            compared: 0,
        }
    }

    /// Sets the text printed first when a mismatch is reported.
    fn set_label(&mut self, label: impl Into<String>) {
        self.label = label.into();
    }

    /// How many commands were compared so far.
    fn compared(&self) -> usize {
        self.compared
    }

    /// The engine, for checks of its own state.
    fn engine(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// Forgets every client (their connections close) and empties both keyspaces.
    fn reset(&mut self) {
        self.conns.clear();
        self.sim_conns.clear();
        self.queued.clear();
        self.multi.clear();
        self.maybe_table.clear();
        assert_eq!(self.control.call(&["FLUSHALL"]), b"+OK\r\n");
        assert_eq!(self.sim_control.call(&["FLUSHALL"]), b"+OK\r\n");
        self.engine = Engine::new(wall_ms());
        self.history
            .push("-- reset: new clients, FLUSHALL, new engine".to_owned());
    }

    /// After a sleep: lets the engine run its active expiry as Redis' cron has meanwhile.
    fn slept(&mut self, ms: u64) {
        self.engine.set_now_ms(wall_ms());
        self.engine.active_expire_cycle();
        self.history.push(format!("-- slept {ms} ms"));
    }

    /// Compares the replies to `argv` (sent by [`Lane::send`]) with Redis' with `mode`: the
    /// engine's and the server's.
    fn compare<A: AsRef<[u8]>>(
        &mut self,
        client: usize,
        argv: &[A],
        mode: Mode,
        (redis, ours, served): (Vec<u8>, Vec<u8>, Vec<u8>),
    ) -> Vec<u8> {
        // The key the comparison looks at: MEMORY USAGE's follows its subcommand.
        let key_at = if mode == Mode::MemoryUsage { 2 } else { 1 };
        let key = argv
            .get(key_at)
            .map(|k| k.as_ref().to_vec())
            .unwrap_or_default();
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
        self.resync_after(argv, &redis);
        redis
    }

    /// Sends `argv` from `client` to Redis and to `redis-sim serve`, and runs it on the engine,
    /// without waiting: [`Lane::receive`] reads the replies. (Both servers — and the other lane's —
    /// work on it at the same time: a run of the random suite takes a third of the time it took
    /// one round trip after the other.)
    fn send<A: AsRef<[u8]>>(&mut self, client: usize, argv: &[A], mode: Mode) -> Vec<u8> {
        self.note_before(argv, mode);
        while self.conns.len() <= client {
            self.conns.push(None);
            self.sim_conns.push(None);
            self.queued.push(Vec::new());
            self.multi.push(false);
        }
        if self.conns[client].is_none() {
            self.conns[client] = Some(self.server.connect_in(self.protocol));
        }
        if self.sim_conns[client].is_none() {
            self.sim_conns[client] = Some(self.sim.connect_in(self.protocol));
        }
        self.history
            .push(format!("[client {client}] {}", show_argv(argv)));
        self.compared += 1;
        self.engine.set_now_ms(wall_ms());
        if let Some(conn) = self.conns[client].as_mut() {
            conn.send(argv);
        }
        let ours = self
            .engine
            .execute(client as u64 + 1, argv)
            .to_protocol(self.protocol);
        if let Some(conn) = self.sim_conns[client].as_mut() {
            conn.send(argv);
        }
        for key in self.engine.touched() {
            if matches!(self.engine.db().peek(key), Some(Value::Hash(h)) if !h.is_listpack()) {
                self.maybe_table.insert(key.clone());
            }
        }
        ours
    }

    /// The replies to what [`Lane::send`] sent: (Redis', the engine's, `redis-sim serve`'s).
    fn receive(&mut self, client: usize, ours: Vec<u8>) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let redis = self.conns[client]
            .as_mut()
            .map(Conn::read_reply)
            .unwrap_or_default();
        let served = self.sim_conns[client]
            .as_mut()
            .map(Conn::read_reply)
            .unwrap_or_default();
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
        // MULTI that Redis accepted opens a transaction; any EXEC ends it (a rejected one
        // discards it), and so does a DISCARD unless its arity was wrong.
        if name.eq_ignore_ascii_case(b"multi") && redis == b"+OK\r\n" {
            self.multi[client] = true;
        } else if name.eq_ignore_ascii_case(b"exec")
            || (name.eq_ignore_ascii_case(b"discard") && !redis.starts_with(b"-ERR wrong number"))
        {
            self.multi[client] = false;
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
            (Mode::HashList, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                sorted(r) == sorted(o)
                    && ((in_exec && self.maybe_table.contains(key)) || self.is_hashtable(key))
            }
            (Mode::Hash, Resp::Map(r), Resp::Map(o)) => {
                sorted_pairs(r) == sorted_pairs(o)
                    && ((in_exec && self.maybe_table.contains(key)) || self.is_hashtable(key))
            }
            (Mode::Near(margin), Resp::Int(r), Resp::Int(o)) => {
                *r >= 0 && *o >= 0 && (r - o).abs() <= margin
            }
            (Mode::Pairs, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                pairs(r).is_some() && pairs(r) == pairs(o)
            }
            (Mode::Pairs, Resp::Map(r), Resp::Map(o)) => sorted_pairs(r) == sorted_pairs(o),
            (Mode::RandomFields { count, with_values }, r, o) => {
                self.same_random_fields(key, count, with_values, r, o, in_exec)
            }
            (Mode::HashScan, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                self.same_hash_scan(key, r, o, in_exec)
            }
            (Mode::ZsetScan, Resp::Array(Some(r)), Resp::Array(Some(o))) => {
                self.same_zset_scan(key, r, o, in_exec)
            }
            (Mode::Members | Mode::Scan | Mode::Random, _, _) => {
                self.same_set_reply(mode, redis, ours, in_exec)
            }
            (Mode::RandomKey | Mode::KeyScan | Mode::MemoryUsage | Mode::Time, _, _) => {
                self.same_keys_reply(mode, key, redis, ours, in_exec)
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
    fn check_hash_encoding(&mut self, key: &[u8]) {
        let ours = match self.engine.db().peek(key) {
            Some(Value::Hash(h)) if h.is_listpack() => Some("listpack"),
            Some(Value::Hash(_)) => Some("hashtable"),
            // Another type: its encoding names overlap (a set's "hashtable", a sorted set's
            // "listpack"), and the replies already compared say whether the types agree.
            Some(_) => return,
            None => None,
        };
        self.check_encoding(key, ours, &["listpack", "hashtable"]);
    }

    /// Fails unless Redis and the engine agree on whether the sorted set at `key` is still a
    /// listpack (the encoding decides where ZRANGE BYLEX and its kin stop on mixed scores, and
    /// whether `-0` keeps its sign, so it must switch at the same moment).
    fn check_zset_encoding(&mut self, key: &[u8]) {
        let ours = match self.engine.db().peek(key) {
            Some(Value::ZSet(z)) if z.is_listpack() => Some("listpack"),
            Some(Value::ZSet(_)) => Some("skiplist"),
            // Another type: a hash's "listpack" is not a sorted set's.
            Some(_) => return,
            None => None,
        };
        self.check_encoding(key, ours, &["listpack", "skiplist"]);
    }

    /// Fails unless Redis and the engine give the string at `key` the same encoding (int, embstr,
    /// raw), or both hold no string there.
    fn check_str_encoding(&mut self, key: &[u8]) {
        let ours = match self.engine.db().peek(key) {
            Some(Value::Str(s)) => Some(s.encoding().name()),
            _ => None,
        };
        self.check_encoding(key, ours, &["int", "embstr", "raw"]);
    }

    /// Fails unless Redis' `OBJECT ENCODING key` is `ours` (the engine's encoding of the value,
    /// None when it holds no value of the type), whenever either side has one of `encodings`.
    fn check_encoding(&mut self, key: &[u8], ours: Option<&str>, encodings: &[&str]) {
        let redis = self.control.call(&[&b"OBJECT"[..], b"ENCODING", key]);
        let bulk = |name: &str| format!("${}\r\n{name}\r\n", name.len()).into_bytes();
        let redis_has = encodings.iter().any(|e| redis == bulk(e));
        let ours = ours.map(bulk);
        if (redis_has || ours.is_some()) && ours.as_deref() != Some(&redis[..]) {
            let argv: [&[u8]; 3] = [b"OBJECT", b"ENCODING", key];
            let ours = ours.unwrap_or_else(|| b"(no such value)".to_vec());
            self.report("engine", 0, &argv, &redis, &ours);
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
            "mismatch in {:?} on [client {client}] {}\n  redis:  {}\n  {side}: {}\n",
            self.protocol,
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

impl Duo {
    /// Starts a Redis, an empty engine and a server for each protocol. Fails the test if Redis
    /// cannot be started.
    pub fn new() -> Duo {
        Duo {
            lanes: [Lane::new(Protocol::Resp2), Lane::new(Protocol::Resp3)],
        }
    }

    /// Sets the text printed first when a mismatch is reported.
    pub fn set_label(&mut self, label: impl Into<String>) {
        let label = label.into();
        for lane in &mut self.lanes {
            lane.set_label(label.clone());
        }
    }

    /// How many commands were compared so far (in each protocol).
    pub fn compared(&self) -> usize {
        self.lanes[0].compared()
    }

    /// The RESP2 lane's engine, for checks of its own state.
    pub fn engine(&mut self) -> &mut Engine {
        self.lanes[0].engine()
    }

    /// Forgets every client (their connections close) and empties every keyspace.
    pub fn reset(&mut self) {
        for lane in &mut self.lanes {
            lane.reset();
        }
    }

    /// Sleeps, then lets the engines run their active expiry as Redis' cron has meanwhile.
    pub fn sleep_ms(&mut self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
        for lane in &mut self.lanes {
            lane.slept(ms);
        }
    }

    /// Sends `argv` from `client` in both protocols and fails the test unless the replies are the
    /// same bytes as Redis' (sorted for KEYS, see [`Mode::Hash`] for HGETALL). Returns Redis'
    /// RESP2 reply bytes.
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
    /// whitespace, `""` standing for an empty argument (no other quoting: arguments with spaces or
    /// odd bytes go through [`Duo::check`]).
    pub fn lines(&mut self, client: usize, script: &str) {
        for line in script.lines() {
            let argv: Vec<&str> = line
                .split_whitespace()
                .map(|arg| if arg == "\"\"" { "" } else { arg })
                .collect();
            if !argv.is_empty() {
                self.check(client, &argv);
            }
        }
    }

    /// Sends `argv` from `client` to Redis, the engine and `redis-sim serve` in both protocols,
    /// and compares the engine's and the server's replies with Redis' with `mode`. Returns Redis'
    /// RESP2 reply bytes.
    pub fn check_with<A: AsRef<[u8]>>(&mut self, client: usize, argv: &[A], mode: Mode) -> Vec<u8> {
        let [resp2, resp3] = &mut self.lanes;
        let (ours2, ours3) = (
            resp2.send(client, argv, mode),
            resp3.send(client, argv, mode),
        );
        let replies2 = resp2.receive(client, ours2);
        let replies3 = resp3.receive(client, ours3);
        let reply = resp2.compare(client, argv, mode, replies2);
        resp3.compare(client, argv, mode, replies3);
        reply
    }

    /// Sends `argv` from `client` in both protocols without comparing: each lane's (Redis', the
    /// engine's, `redis-sim serve`'s) reply bytes, the RESP2 lane first — for replies Redis leaves
    /// to chance (SCAN's pages, RANDOMKEY), which the caller checks for what is defined.
    pub fn replies<A: AsRef<[u8]>>(
        &mut self,
        client: usize,
        argv: &[A],
    ) -> [(Vec<u8>, Vec<u8>, Vec<u8>); 2] {
        let [resp2, resp3] = &mut self.lanes;
        let (ours2, ours3) = (
            resp2.send(client, argv, Mode::Exact),
            resp3.send(client, argv, Mode::Exact),
        );
        [resp2.receive(client, ours2), resp3.receive(client, ours3)]
    }

    /// Fails unless Redis and the engine agree on whether the hash at `key` is still a listpack
    /// (the encoding decides HGETALL's order, so it must switch at the same moment).
    pub fn check_hash_encoding(&mut self, key: &[u8]) {
        for lane in &mut self.lanes {
            lane.check_hash_encoding(key);
        }
    }

    /// Each command of `names` with 0, 1, 2 and 5 arguments, in lower and upper case: arity errors
    /// as Redis words them (and whatever the arities that fit answer).
    pub fn check_arities(&mut self, names: &[&str]) {
        for name in names {
            let upper = name.to_uppercase();
            self.check(0, &[*name]);
            self.check(0, &[*name, "k"]);
            self.check(0, &[*name, "k", "1"]);
            self.check(0, &[upper.as_str(), "a", "b", "c", "d", "e"]);
        }
    }

    /// A new RESP2 connection to the RESP2 lane's Redis, for a test's own walks (HSCAN to the end)
    /// that compare what Redis guarantees rather than each reply.
    pub fn redis_conn(&self) -> Conn {
        self.lanes[0].server.connect()
    }

    /// Fails unless Redis and the engine give the string at `key` the same encoding (int, embstr,
    /// raw), or both hold no string there.
    pub fn check_str_encoding(&mut self, key: &[u8]) {
        for lane in &mut self.lanes {
            lane.check_str_encoding(key);
        }
    }

    /// Fails unless Redis and the engine agree on whether the sorted set at `key` is still a
    /// listpack, or both hold no sorted set there.
    pub fn check_zset_encoding(&mut self, key: &[u8]) {
        for lane in &mut self.lanes {
            lane.check_zset_encoding(key);
        }
    }

    /// Fails unless Redis and the engine agree on the set encoding at `key` (intset or hashtable).
    pub fn check_set_encoding(&mut self, key: &[u8]) {
        for lane in &mut self.lanes {
            lane.check_set_encoding(key);
        }
    }

    /// True while `client` is in a transaction.
    pub fn in_multi(&self, client: usize) -> bool {
        self.lanes[0].multi.get(client).copied().unwrap_or(false)
    }

    /// Checks every command in `names` with 0 to 5 arguments, and in capitals without any:
    /// Redis' arity errors, or the command's own for the counts its arity allows.
    pub fn check_arity(&mut self, names: &[&str]) {
        for name in names {
            for n in 0..6 {
                let mut argv = vec![name.to_string()];
                argv.extend((0..n).map(|i| format!("a{i}")));
                self.check(0, &argv);
            }
            self.check(0, &[name.to_uppercase()]);
        }
    }
}

impl Default for Duo {
    fn default() -> Self {
        Duo::new()
    }
}

/// The comparison [`Duo::check`] uses for `argv`.
pub fn default_mode<A: AsRef<[u8]>>(argv: &[A]) -> Mode {
    let name = argv.first().map(|n| n.as_ref()).unwrap_or_default();
    if name.eq_ignore_ascii_case(b"keys") {
        Mode::Sorted
    } else if name.eq_ignore_ascii_case(b"hgetall") {
        Mode::Hash
    } else if name.eq_ignore_ascii_case(b"hkeys") || name.eq_ignore_ascii_case(b"hvals") {
        Mode::HashList
    } else if name.eq_ignore_ascii_case(b"hrandfield") || name.eq_ignore_ascii_case(b"zrandmember")
    {
        let arg = |i: usize| argv.get(i).map(|a| a.as_ref());
        let word: &[u8] = if name.eq_ignore_ascii_case(b"hrandfield") {
            b"withvalues"
        } else {
            b"withscores"
        };
        Mode::RandomFields {
            count: arg(2)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse().ok()),
            // Compared as C compares it: up to a NUL.
            with_values: arg(3).is_some_and(|w| {
                let end = w.iter().position(|&b| b == 0).unwrap_or(w.len());
                w[..end].eq_ignore_ascii_case(word)
            }),
        }
    } else if name.eq_ignore_ascii_case(b"hscan") {
        Mode::HashScan
    } else if name.eq_ignore_ascii_case(b"zscan") {
        Mode::ZsetScan
    } else if ["smembers", "sinter", "sunion", "sdiff"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
    {
        Mode::Members
    } else if name.eq_ignore_ascii_case(b"sscan") {
        Mode::Scan
    } else if name.eq_ignore_ascii_case(b"spop") || name.eq_ignore_ascii_case(b"srandmember") {
        Mode::Random
    } else if name.eq_ignore_ascii_case(b"randomkey") {
        Mode::RandomKey
    } else if name.eq_ignore_ascii_case(b"scan") {
        Mode::KeyScan
    } else if name.eq_ignore_ascii_case(b"memory") {
        Mode::MemoryUsage
    } else if name.eq_ignore_ascii_case(b"time") {
        Mode::Time
    } else {
        Mode::Exact
    }
}

fn sorted_pairs(pairs: &[(Resp, Resp)]) -> Vec<(Resp, Resp)> {
    let mut v = pairs.to_vec();
    v.sort();
    v
}

fn sorted(items: &[Resp]) -> Vec<Resp> {
    let mut v = items.to_vec();
    v.sort();
    v
}

fn pairs(items: &[Resp]) -> Option<Vec<(Resp, Resp)>> {
    if !items.len().is_multiple_of(2) {
        return None;
    }
    let mut v: Vec<(Resp, Resp)> = items
        .chunks_exact(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    v.sort();
    Some(v)
}
