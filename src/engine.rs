//! The Redis-style engine: one keyspace, many clients, one command at a time.
//!
//! [`Engine::execute`] takes a command on behalf of a client and returns Redis 7.0's reply, byte
//! for byte. The engine never reads a clock: its time is whatever the caller last set
//! ([`Engine::set_now_ms`], [`Engine::advance_ms`]) — a virtual clock in the browser, the wall clock in
//! the native server.
//!
//! ```
//! use incr_lab::engine::{Engine, Reply};
//! let mut engine = Engine::new(0);
//! assert_eq!(engine.execute(1, &["SET", "likes", "100"]), Reply::ok());
//! assert_eq!(engine.execute(1, &["INCR", "likes"]), Reply::Integer(101));
//! ```

pub mod blocking;
pub mod command;
pub mod config;
pub mod db;
pub mod error;
pub mod glob;
pub mod hash;
pub mod hyperloglog;
pub mod list;
pub mod memory;
pub mod number;
pub mod object;
pub mod reply;
pub mod rng;
pub mod scan;
pub mod scripting;
pub mod set;
pub mod sorted_set;
pub mod value;

use std::collections::HashMap;

pub use blocking::{Block, Outcome, ServeFn, Wakeup};
pub use command::{Call, Flags, Host, NoHost, Run, Spec};
pub use config::{Config, HostParam};
pub use db::Db;
pub use error::Error;
pub use reply::{Protocol, Reply};
pub use value::{Str, StrEncoding, Value, ValueType};

/// The hash map the engine uses for keys and fields: foldhash with a fixed seed — several times
/// faster than SipHash on short keys, deterministic (same order on every run and platform), and
/// never asking the platform for randomness (which wasm32 has not).
pub type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Identifies a client connection; each has its own MULTI/WATCH state.
pub type ClientId = u64;

/// Limits that keep a runaway loop from eating the tab's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Past this many keys, commands that may grow memory answer Redis' OOM error.
    pub max_keys: Option<usize>,
    /// Past this many (estimated) bytes, the same.
    pub max_bytes: Option<usize>,
}

impl Limits {
    /// No limit at all (for simulations whose key count is fixed).
    pub fn none() -> Limits {
        Limits {
            max_keys: None,
            max_bytes: None,
        }
    }
}

impl Default for Limits {
    /// 100,000 keys and 64 MiB: far beyond any lesson, well below what a browser tab can hold.
    fn default() -> Self {
        Limits {
            max_keys: Some(100_000),
            max_bytes: Some(64 << 20),
        }
    }
}

/// How many databases the engine has (Redis' `databases 16`): SELECT, MOVE and SWAPDB take an
/// index below it.
pub const DATABASES: usize = 16;

/// A key this client WATCHes.
#[derive(Clone, Debug)]
struct Watched {
    key: Vec<u8>,
    /// The database the key was watched in.
    db: usize,
    /// The key existed but had expired when WATCH ran (Redis then ignores its later deletion).
    expired: bool,
}

/// A command queued by MULTI.
#[derive(Clone)]
struct Queued {
    spec: &'static Spec,
    argv: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Queued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queued")
            .field("command", &self.spec.name)
            .finish()
    }
}

/// One client's transaction state.
#[derive(Clone, Debug, Default)]
struct Client {
    /// Commands queued since MULTI, when in a transaction.
    queue: Option<Vec<Queued>>,
    /// A command failed to queue: EXEC will abort (`CLIENT_DIRTY_EXEC`).
    dirty_exec: bool,
    /// A watched key was modified: EXEC will answer nil (`CLIENT_DIRTY_CAS`).
    dirty_cas: bool,
    watched: Vec<Watched>,
}

/// The engine: sixteen keyspaces plus per-client state (selected database, transaction).
#[derive(Clone, Debug)]
pub struct Engine {
    /// The databases, [`DATABASES`] of them; clients start in 0.
    dbs: Vec<Db>,
    /// The database of each client that SELECTed one other than 0. Most never do, so the common
    /// path finds this empty and skips a lookup per command.
    selected: Map<ClientId, usize>,
    /// The database the last command ran in (whose modified keys [`Engine::touched`] lists).
    current: usize,
    /// Databases whose modified-key record the current command has reset (bit i for db i).
    begun: u16,
    /// Databases that may hold keys (bit i for db i): set when a command enters one, cleared when
    /// a command leaves it empty. The sums over all databases (the memory guard) read only these.
    occupied: u16,
    clients: Map<ClientId, Client>,
    /// key → clients watching it.
    watchers: Map<Vec<u8>, Vec<ClientId>>,
    limits: Limits,
    /// CONFIG SET's parameters; every database holds a copy.
    config: Config,
    /// When the engine started (Unix ms): LASTSAVE, and the stamp shared integers start with.
    started_ms: i64,
    /// The script cache and the Lua VM.
    scripting: scripting::Scripting,
    /// Clients blocked in BZPOPMIN and its kin.
    blocking: blocking::Blocking,
    /// The table commands are looked up in: the full one, or [`Engine::core`]'s.
    commands: &'static command::Commands,
}

impl Engine {
    /// An empty engine whose clock reads `now_ms` (Unix time in milliseconds), with default limits.
    pub fn new(now_ms: i64) -> Engine {
        Engine::with_limits(now_ms, Limits::default())
    }

    /// An empty engine with the given memory limits.
    pub fn with_limits(now_ms: i64, limits: Limits) -> Engine {
        Engine::with_commands(now_ms, limits, &command::FULL)
    }

    /// An empty engine that knows the core table only ([`command::CORE_TABLE`]: no COMMAND, no
    /// scripting, which answer as unknown commands): a binary that builds no other engine has no
    /// Lua VM and no COMMAND DOCS data (the console-lite). Otherwise [`Engine::new`]'s twin.
    pub fn core(now_ms: i64) -> Engine {
        Engine::with_commands(now_ms, Limits::default(), &command::CORE)
    }

    fn with_commands(now_ms: i64, limits: Limits, commands: &'static command::Commands) -> Engine {
        let dbs = (0..DATABASES)
            .map(|_| {
                let mut db = Db::new(now_ms);
                db.set_byte_limit(limits.max_bytes);
                db
            })
            .collect();
        Engine {
            dbs,
            selected: Map::default(),
            current: 0,
            begun: 0,
            occupied: 0,
            clients: Map::default(),
            watchers: Map::default(),
            limits,
            config: Config::default(),
            started_ms: now_ms,
            scripting: scripting::Scripting::default(),
            blocking: blocking::Blocking::default(),
            commands,
        }
    }

    /// The configuration CONFIG GET shows and CONFIG SET changes.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the configuration (CONFIG SET): every database follows it from the next command.
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
        let accounting = self.limits.max_bytes.is_some() || config.maxmemory() > 0;
        for db in &mut self.dbs {
            db.set_config(config);
            db.set_accounting(accounting);
        }
    }

    /// What Redis' `used_memory` would read, as far as `maxmemory` is concerned: the memory a
    /// fresh Redis 7.0 takes before any key (Debian's build, 876,008 bytes) plus the keyspace's
    /// estimated size. Only kept while a byte limit or `maxmemory` is set (else the startup
    /// figure alone).
    pub fn used_memory(&self) -> u64 {
        const STARTUP: u64 = 876_008;
        STARTUP
            + self
                .dbs
                .iter()
                .map(|db| db.used_bytes() as u64)
                .sum::<u64>()
    }

    /// When the engine started, in Unix milliseconds (what LASTSAVE reports: nothing is ever saved).
    pub fn started_ms(&self) -> i64 {
        self.started_ms
    }

    /// The engine's clock: Unix time in milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.dbs[0].now_ms()
    }

    /// Sets the clock. Time may only move forward in Redis; here the caller decides. Blocked
    /// clients whose deadline is now past time out (see [`Engine::take_wakeups`]).
    pub fn set_now_ms(&mut self, now_ms: i64) {
        for db in &mut self.dbs {
            db.set_now_ms(now_ms);
        }
        self.time_out_blocked();
    }

    /// Moves the clock forward by `ms`.
    pub fn advance_ms(&mut self, ms: i64) {
        self.set_now_ms(self.now_ms().saturating_add(ms));
    }

    /// Database 0, read-only (for the inspector and tests).
    pub fn db(&self) -> &Db {
        &self.dbs[0]
    }

    /// Database `index` (below [`DATABASES`]), read-only.
    pub fn database(&self, index: usize) -> Option<&Db> {
        self.dbs.get(index)
    }

    /// The database `client` has selected (0 unless it sent SELECT).
    pub fn selected_db(&self, client: ClientId) -> usize {
        if self.selected.is_empty() {
            0
        } else {
            self.selected.get(&client).copied().unwrap_or(0)
        }
    }

    /// Makes `client` work in database `index` (SELECT); false when there is no such database.
    pub fn select_db(&mut self, client: ClientId, index: usize) -> bool {
        if index >= DATABASES {
            return false;
        }
        if index == 0 {
            self.selected.remove(&client);
        } else {
            self.selected.insert(client, index);
        }
        true
    }

    /// The database `client` works in, for a command about to change it: its modified-key record
    /// starts afresh once per command.
    pub(crate) fn db_for(&mut self, client: ClientId) -> &mut Db {
        let index = self.selected_db(client);
        self.enter(index)
    }

    /// Database `index` for the command being run, its modified-key record started for it.
    pub(crate) fn enter(&mut self, index: usize) -> &mut Db {
        self.current = index;
        if self.begun & (1 << index) == 0 {
            self.begun |= 1 << index;
            self.dbs[index].begin_command();
            if self.limits.max_bytes.is_some() {
                // What the other databases hold, for the growth guard of this one's writes
                // (set once per command and database: no other database changes meanwhile).
                let elsewhere = self.occupied_dbs(Some(index)).map(Db::used_bytes).sum();
                self.dbs[index].set_elsewhere_bytes(elsewhere);
            }
            self.occupied |= 1 << index;
        }
        &mut self.dbs[index]
    }

    /// The databases that may hold keys, but `except`.
    fn occupied_dbs(&self, except: Option<usize>) -> impl Iterator<Item = &Db> + '_ {
        let mut bits = self.occupied & !except.map_or(0, |i| 1u16 << i);
        std::iter::from_fn(move || {
            let i = bits.trailing_zeros() as usize;
            bits &= bits.checked_sub(1)?;
            self.dbs.get(i)
        })
    }

    /// SWAPDB: database `a` gets `b`'s keys and `b` gets `a`'s; watchers are touched as Redis'
    /// `touchAllWatchedKeysInDb` touches them, clients keep the index they selected.
    pub(crate) fn swap_dbs(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        self.touch_all_watched(a, Some(b));
        self.touch_all_watched(b, Some(a));
        self.dbs.swap(a, b);
        self.occupied |= (1 << a) | (1 << b);
        // Keys clients wait on may have come in (scanDatabaseForReadyKeys).
        self.signal_existing(a);
        self.signal_existing(b);
        // A database's contents moved, not its modified-key record's meaning: start both afresh.
        self.dbs[a].begin_command();
        self.dbs[b].begin_command();
    }

    /// MOVE's second half: `key` (live in database `from`) goes to `to` with its expire time,
    /// unless `to` already has it. True when moved.
    pub(crate) fn move_key(
        &mut self,
        from: usize,
        to: usize,
        key: &[u8],
        expire_at: Option<i64>,
    ) -> bool {
        if self.dbs[to].get(key).is_some() {
            return false;
        }
        let Some(value) = self.enter(from).remove(key) else {
            return false;
        };
        self.occupied |= 1 << to;
        let target = &mut self.dbs[to];
        target.set(key, value, false);
        if let Some(at) = expire_at {
            target.set_expire(key, at);
        }
        // The source's deletion reaches watchers through the command's own record; the target's
        // is signalled here.
        self.signal_watchers(to, &[key.to_vec()]);
        self.enter(from);
        true
    }

    /// FLUSHALL: every database emptied, the watchers of every key touched.
    pub(crate) fn flush_all(&mut self, client: ClientId) {
        let own = self.selected_db(client);
        for index in 0..DATABASES {
            if index == own || self.dbs[index].is_empty() {
                continue;
            }
            let from = self.enter(index).modified().len();
            self.dbs[index].clear();
            self.after_command(from);
        }
        // The client's own database last: the command's caller signals its deleted keys, as for
        // any command (signalling them here too would touch a watched expired key twice).
        self.enter(own).clear();
    }

    /// Redis' `touchAllWatchedKeysInDb(emptied, replaced_with)`: every key watched in `emptied`
    /// that exists there, or in `replaced_with`, makes its watchers' EXEC fail — except where the
    /// key was already expired when watched and stays gone or expired.
    fn touch_all_watched(&mut self, emptied: usize, replaced_with: Option<usize>) {
        if self.watchers.is_empty() {
            return;
        }
        let keys: Vec<Vec<u8>> = self.watchers.keys().cloned().collect();
        for key in keys {
            let in_emptied = self.dbs[emptied].contains_raw(&key);
            let in_replacement = replaced_with.is_some_and(|r| self.dbs[r].contains_raw(&key));
            if !in_emptied && !in_replacement {
                continue;
            }
            let replacement_expired = replaced_with.is_some_and(|r| self.dbs[r].is_expired(&key));
            for id in self.watchers.get(&key).cloned().unwrap_or_default() {
                let Some(state) = self.clients.get_mut(&id) else {
                    continue;
                };
                let Some(w) = state
                    .watched
                    .iter_mut()
                    .find(|w| w.key == key && w.db == emptied)
                else {
                    continue;
                };
                if w.expired {
                    if !in_replacement {
                        // An expired key now deleted: no logical change.
                        w.expired = false;
                        continue;
                    } else if replacement_expired {
                        // An expired key that stays expired.
                        continue;
                    }
                } else if !in_emptied && replacement_expired {
                    // A missing key replaced with an expired one.
                    w.expired = true;
                    continue;
                }
                state.dirty_cas = true;
            }
        }
    }

    /// Starts a command of `client`'s: no database's modified keys are its yet, and it runs in the
    /// client's database unless it says otherwise.
    fn begin_command(&mut self, client: ClientId) {
        self.begun = 0;
        self.db_for(client);
    }

    /// The memory limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Changes the memory limits of an engine that may already hold keys: their memory estimate
    /// is brought up to date, so the guard counts them as if the limits had been there all along.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        for db in &mut self.dbs {
            db.set_byte_limit(limits.max_bytes);
        }
    }

    /// Keys the last command modified in the database it ran in (all of a transaction's, after
    /// EXEC).
    pub fn touched(&self) -> &[Vec<u8>] {
        self.dbs[self.current].modified()
    }

    /// Redis' active expiry: deletes keys whose time is up even if nobody reads them.
    /// Returns how many were deleted. Hosts call it on a timer (Redis runs it 10 times a second).
    pub fn active_expire_cycle(&mut self) -> usize {
        self.begun = 0;
        let mut removed = 0;
        for index in 0..DATABASES {
            removed += self.enter(index).remove_expired(usize::MAX);
            self.after_command(0);
        }
        self.current = 0;
        removed
    }

    /// Forgets a client (its connection closed): its transaction is dropped, its WATCHes released,
    /// its block (if it waits) given up.
    pub fn disconnect(&mut self, client: ClientId) {
        self.blocking.forget(client);
        self.stop_tracking_if_idle();
        self.unwatch_all(client);
        self.clients.remove(&client);
        self.selected.remove(&client);
    }

    /// Appends what the engine holds for `client` beyond the keyspace — its database, its
    /// transaction (queued commands, dirty flags) and its WATCHes — as unambiguous bytes: two
    /// engines whose keyspaces and these bytes agree answer this client alike. The challenge
    /// checker merges the states of its search on them.
    pub fn client_fingerprint(&self, client: ClientId, out: &mut Vec<u8>) {
        fn field(out: &mut Vec<u8>, bytes: &[u8]) {
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out.extend_from_slice(&(self.selected_db(client) as u64).to_le_bytes());
        let Some(state) = self.clients.get(&client) else {
            out.push(0);
            return;
        };
        out.push(
            1 | u8::from(state.dirty_exec) << 1
                | u8::from(state.dirty_cas) << 2
                | u8::from(state.queue.is_some()) << 3,
        );
        let queue = state.queue.as_deref().unwrap_or_default();
        out.extend_from_slice(&(queue.len() as u64).to_le_bytes());
        for queued in queue {
            out.extend_from_slice(&(queued.argv.len() as u64).to_le_bytes());
            for arg in &queued.argv {
                field(out, arg);
            }
        }
        out.extend_from_slice(&(state.watched.len() as u64).to_le_bytes());
        for w in &state.watched {
            field(out, &w.key);
            out.extend_from_slice(&(w.db as u64).to_le_bytes());
            out.push(u8::from(w.expired));
        }
    }

    /// Trades Lua VMs (with the scripts compiled in them) with `other`. A clone starts without a
    /// VM and making one costs milliseconds, so a search that clones an engine per state (the
    /// challenge checker) lends every clone the same VM around each command. For engines that are
    /// copies of one another: a VM holds the function libraries of the engine that loaded them.
    pub fn swap_lua_vm(&mut self, other: &mut Engine) {
        self.scripting.swap_vm(&mut other.scripting);
    }

    /// True while `client` is between MULTI and EXEC/DISCARD.
    pub fn in_multi(&self, client: ClientId) -> bool {
        !self.clients.is_empty() && self.clients.get(&client).is_some_and(|c| c.queue.is_some())
    }

    /// Executes one command (`argv[0]` is its name) for `client` and returns Redis' reply.
    pub fn execute<A: AsRef<[u8]>>(&mut self, client: ClientId, argv: &[A]) -> Reply {
        self.execute_in(&mut NoHost, client, argv)
    }

    /// [`Engine::execute`] in a host that adds commands of its own (see [`Host`]).
    pub fn execute_in<A: AsRef<[u8]>>(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        argv: &[A],
    ) -> Reply {
        const INLINE: usize = 8;
        if argv.len() <= INLINE {
            let mut args: [&[u8]; INLINE] = [&[]; INLINE];
            for (slot, arg) in args.iter_mut().zip(argv) {
                *slot = arg.as_ref();
            }
            self.execute_slices_in(host, client, &args[..argv.len()])
        } else {
            let args: Vec<&[u8]> = argv.iter().map(AsRef::as_ref).collect();
            self.execute_slices_in(host, client, &args)
        }
    }

    /// [`Engine::execute`] for arguments already held as byte slices: no copy of `argv` first
    /// (the race demo's flood sends two million commands through here).
    pub fn execute_slices(&mut self, client: ClientId, argv: &[&[u8]]) -> Reply {
        self.execute_slices_in(&mut NoHost, client, argv)
    }

    /// [`Engine::execute_slices`] in a host that adds commands of its own (see [`Host`]).
    ///
    /// Redis' `processCommand` order: look the command up (the host's after the engine's) and
    /// check its arity, ask the host to admit it, refuse it when memory is over the limit, queue
    /// it inside MULTI, else run it. The client may not block: a blocking command with nothing to
    /// do answers its timeout reply at once (see [`blocking`]).
    pub fn execute_slices_in(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        argv: &[&[u8]],
    ) -> Reply {
        match self.dispatch(host, client, argv, false) {
            Outcome::Reply(reply) => reply,
            // Not when the client may not block.
            Outcome::Blocked => Reply::NilArray,
        }
    }

    /// [`Engine::execute`] for a client that may wait (BZPOPMIN with nothing to pop): the reply,
    /// or [`Outcome::Blocked`] — its reply then comes through [`Engine::take_wakeups`] (see
    /// [`blocking`]).
    pub fn execute_or_block<A: AsRef<[u8]>>(&mut self, client: ClientId, argv: &[A]) -> Outcome {
        let args: Vec<&[u8]> = argv.iter().map(AsRef::as_ref).collect();
        self.execute_or_block_in(&mut NoHost, client, &args)
    }

    /// [`Engine::execute_or_block`] in a host that adds commands of its own (see [`Host`]).
    pub fn execute_or_block_in(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        argv: &[&[u8]],
    ) -> Outcome {
        self.dispatch(host, client, argv, true)
    }

    /// A client's command, from lookup to the clients it wakes (see
    /// [`Engine::execute_slices_in`]); `may_block` when the host lets the client wait.
    fn dispatch(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        argv: &[&[u8]],
        may_block: bool,
    ) -> Outcome {
        let reply = self.dispatch_reply(host, client, argv, may_block);
        self.serve_ready();
        match self.blocking.take_blocked_now() {
            Some(blocked) if blocked == client => Outcome::Blocked,
            _ => Outcome::Reply(reply),
        }
    }

    fn dispatch_reply(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        argv: &[&[u8]],
        may_block: bool,
    ) -> Reply {
        self.begin_command(client);
        self.blocking.start(may_block);
        let spec = match command::resolve_in(self.commands, argv, host) {
            Ok(spec) => spec,
            Err(error) => {
                // An EXEC rejected here discards its transaction (a wrong arity, say).
                let exec = argv.first().and_then(|name| self.commands.lookup(name));
                return match exec {
                    Some(spec) if matches!(spec.run, Run::Exec) => self.reject(client, spec, error),
                    _ => {
                        self.flag_transaction(client);
                        error.into()
                    }
                };
            }
        };
        if let Err(error) = host.admit(client, spec) {
            return self.reject(client, spec, error);
        }
        let in_multi = self.in_multi(client);
        // Redis refuses a command that may grow memory (denyoom), any command inside MULTI, and an
        // EXEC queueing one, while memory is over the limit. Asked in that order: the limit sums
        // sixteen databases, a read outside MULTI skips it.
        let may_grow = match spec.run {
            Run::Exec => self.queued_deny_oom(client),
            Run::Discard => false,
            _ => spec.flags.contains(Flags::DENY_OOM) || in_multi,
        };
        if may_grow && self.over_limits() {
            return self.reject(client, spec, Error::OutOfMemory);
        }
        if in_multi && !matches!(spec.run, Run::Exec | Run::Discard | Run::Multi | Run::Watch) {
            if let Some(queue) = self.client(client).queue.as_mut() {
                queue.push(Queued {
                    spec,
                    argv: argv.iter().map(|a| a.to_vec()).collect(),
                });
            }
            return Reply::status("QUEUED");
        }
        let reply = self.call(host, client, spec, argv);
        self.after_command(0);
        reply
    }

    /// Runs a command that was looked up and whose arity was checked.
    fn call(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        spec: &'static Spec,
        argv: &[&[u8]],
    ) -> Reply {
        // A client's own command is at depth 1; inside EXEC or a script, deeper: nothing blocks.
        self.blocking.enter();
        let reply = self.run_spec(host, client, spec, argv);
        self.blocking.leave();
        reply
    }

    fn run_spec(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        spec: &'static Spec,
        argv: &[&[u8]],
    ) -> Reply {
        match spec.run {
            Run::Db(f) => f(self.db_for(client), argv).unwrap_or_else(Reply::from),
            Run::Engine(f) => f(self, &mut Call { client, argv, host }).unwrap_or_else(Reply::from),
            Run::Host => host.run(self, client, spec, argv),
            // resolve() never returns a container: with no subcommand its arity (-2) fails.
            Run::Container => Error::WrongArity(spec.name).into(),
            Run::Multi => {
                let state = self.client(client);
                if state.queue.is_some() {
                    return Error::NestedMulti.into();
                }
                state.queue = Some(Vec::new());
                Reply::ok()
            }
            Run::Discard => {
                if !self.in_multi(client) {
                    return Error::DiscardWithoutMulti.into();
                }
                self.discard_transaction(client);
                Reply::ok()
            }
            Run::Watch => {
                if self.in_multi(client) {
                    return Error::WatchInsideMulti.into();
                }
                // Redis' watchCommand: no point in watching once a watched key has changed.
                if self.clients.get(&client).is_some_and(|c| c.dirty_cas) {
                    return Reply::ok();
                }
                for key in &argv[1..] {
                    self.watch(client, key);
                }
                Reply::ok()
            }
            Run::Unwatch => {
                self.unwatch_all(client);
                self.client(client).dirty_cas = false;
                Reply::ok()
            }
            Run::Exec => self.exec(host, client),
        }
    }

    fn exec(&mut self, host: &mut dyn Host, client: ClientId) -> Reply {
        if !self.in_multi(client) {
            return Error::ExecWithoutMulti.into();
        }
        if self.watched_key_expired(client) {
            self.client(client).dirty_cas = true;
        }
        let state = self.client(client);
        let (dirty_exec, dirty_cas) = (state.dirty_exec, state.dirty_cas);
        if dirty_exec || dirty_cas {
            self.discard_transaction(client);
            return if dirty_exec {
                Error::ExecAbortPrevious.into()
            } else {
                Reply::NilArray
            };
        }
        let queue = self.client(client).queue.take().unwrap_or_default();
        self.discard_transaction(client);
        let mut replies = Vec::with_capacity(queue.len());
        // The protocol each reply is written in: a queued HELLO switches it for its own reply and
        // those after it. Replies written in another protocol than the last are marked.
        let mut protocol = host.protocol(client);
        let mut written = Vec::with_capacity(queue.len());
        for queued in &queue {
            let args: Vec<&[u8]> = queued.argv.iter().map(Vec::as_slice).collect();
            let from = self.db_for(client).modified().len();
            let reply = self.call(host, client, queued.spec, &args);
            self.after_command(from);
            if matches!(queued.spec.run, Run::Host) {
                protocol = host.protocol(client);
            }
            replies.push(reply);
            written.push(protocol);
        }
        if written.iter().any(|&p| p != protocol) {
            for (reply, p) in replies.iter_mut().zip(written) {
                if p != protocol {
                    let inner = std::mem::replace(reply, Reply::NilArray);
                    *reply = Reply::InProtocol(p, Box::new(inner));
                }
            }
        }
        Reply::Array(replies)
    }

    /// Rejects a command before it runs, as Redis' `rejectCommand`: it flags an open transaction,
    /// and an EXEC so rejected discards the transaction.
    fn reject(&mut self, client: ClientId, spec: &'static Spec, error: Error) -> Reply {
        self.flag_transaction(client);
        if matches!(spec.run, Run::Exec) {
            self.discard_transaction(client);
            return Error::ExecAbort(Box::new(error)).into();
        }
        error.into()
    }

    fn flag_transaction(&mut self, client: ClientId) {
        if let Some(state) = self.clients.get_mut(&client) {
            if state.queue.is_some() {
                state.dirty_exec = true;
            }
        }
    }

    fn discard_transaction(&mut self, client: ClientId) {
        let state = self.client(client);
        state.queue = None;
        state.dirty_exec = false;
        state.dirty_cas = false;
        self.unwatch_all(client);
    }

    fn queued_deny_oom(&self, client: ClientId) -> bool {
        self.clients
            .get(&client)
            .and_then(|c| c.queue.as_ref())
            .is_some_and(|queue| queue.iter().any(|q| q.spec.flags.contains(Flags::DENY_OOM)))
    }

    fn over_limits(&self) -> bool {
        let maxmemory = self.config.maxmemory();
        (maxmemory > 0 && self.used_memory() > maxmemory)
            || self
                .limits
                .max_keys
                .is_some_and(|max| self.occupied_dbs(None).map(Db::len).sum::<usize>() > max)
            || self
                .limits
                .max_bytes
                .is_some_and(|max| self.occupied_dbs(None).map(Db::used_bytes).sum::<usize>() > max)
    }

    /// After each executed command: wake watchers for the keys it modified (those from index
    /// `from` of the modified list on).
    fn after_command(&mut self, from: usize) {
        if self.dbs[self.current].is_empty() {
            self.occupied &= !(1 << self.current);
        }
        if !self.watchers.is_empty() {
            let db = &self.dbs[self.current];
            let modified = db.modified().get(from..).unwrap_or_default().to_vec();
            self.signal_watchers(self.current, &modified);
        }
    }

    fn client(&mut self, client: ClientId) -> &mut Client {
        self.clients.entry(client).or_default()
    }

    fn watch(&mut self, client: ClientId, key: &[u8]) {
        let db = self.selected_db(client);
        let expired = self.dbs[db].is_expired(key);
        let state = self.client(client);
        if state.watched.iter().any(|w| w.key == key && w.db == db) {
            return;
        }
        state.watched.push(Watched {
            key: key.to_vec(),
            db,
            expired,
        });
        self.watchers.entry(key.to_vec()).or_default().push(client);
    }

    fn unwatch_all(&mut self, client: ClientId) {
        let Some(state) = self.clients.get_mut(&client) else {
            return;
        };
        for w in std::mem::take(&mut state.watched) {
            if let Some(list) = self.watchers.get_mut(&w.key) {
                list.retain(|&c| c != client);
                if list.is_empty() {
                    self.watchers.remove(&w.key);
                }
            }
        }
    }

    /// Redis' `touchWatchedKey` for each key modified in database `db`: each client watching the
    /// key there is flagged and, as Redis does, stops watching all its keys (its EXEC fails
    /// anyway), so the next write to the key does not visit it again. Visiting every flagged
    /// client on every write made a flood quadratic: 100,000 WATCH clients took 152 s.
    pub(crate) fn signal_watchers(&mut self, db: usize, modified: &[Vec<u8>]) {
        if self.watchers.is_empty() {
            return;
        }
        for key in modified {
            let Some(list) = self.watchers.remove(key.as_slice()) else {
                continue;
            };
            let exists = self.dbs[db].contains_raw(key);
            let mut kept = Vec::with_capacity(list.len());
            let mut flagged = Vec::new();
            for id in list {
                let Some(state) = self.clients.get_mut(&id) else {
                    continue;
                };
                let Some(at) = state
                    .watched
                    .iter()
                    .position(|w| &w.key == key && w.db == db)
                else {
                    // This client watches the key in another database.
                    kept.push(id);
                    continue;
                };
                let w = &mut state.watched[at];
                if w.expired && !exists {
                    // The key was already expired when watched; its deletion changes nothing.
                    w.expired = false;
                    kept.push(id);
                    continue;
                }
                state.dirty_cas = true;
                // Out of this key's list already (it is not put back): unwatch the rest.
                state.watched.remove(at);
                flagged.push(id);
            }
            if !kept.is_empty() {
                self.watchers.insert(key.clone(), kept);
            }
            for id in flagged {
                self.unwatch_all(id);
            }
        }
    }

    /// Redis' `isWatchedKeyExpired`: a key watched while alive whose time is now up.
    fn watched_key_expired(&self, client: ClientId) -> bool {
        self.clients.get(&client).is_some_and(|c| {
            c.watched
                .iter()
                .any(|w| !w.expired && self.dbs[w.db].is_expired(&w.key))
        })
    }
}
