//! Blocked clients: BZPOPMIN, BZPOPMAX and BZMPOP wait for a sorted set to appear, and the same
//! machinery serves any command that waits for a key (BLPOP, BLMOVE… for lists).
//!
//! # How it works (Redis' `blocked.c`, on the engine's clock)
//!
//! A blocking command that finds nothing to do registers its client with [`Block`]: the keys it
//! waits on (in its database), the type of value that wakes it, what to do then ([`ServeFn`]),
//! its deadline on the engine's clock, and the reply it gets when that passes. From then on the
//! client has no reply: it is blocked. It is woken, exactly as Redis wakes it, when
//!
//! - **a key it waits on is created** holding a value of a type some client waits for (Redis'
//!   `dbAdd` → `signalKeyAsReady`: a ZADD to a missing key, a ZUNIONSTORE or a MOVE creating it —
//!   not an overwrite, not a write to a key that exists), or SWAPDB brings such a key in. After the
//!   command (the whole MULTI/EXEC, the whole script) the ready keys are served in the order they
//!   were signalled, each to its waiting clients in the order they blocked, while the value lasts
//!   (`handleClientsBlockedOnKeys`); the serving is a write like any other (WATCH sees it, and
//!   [`crate::engine::Engine::touched`] lists it);
//! - **its deadline passes** on the engine's clock: [`Engine::set_now_ms`] and
//!   [`Engine::advance_ms`] time out every client whose deadline is before the new time, soonest
//!   first, with the timeout reply (a nil array for sorted sets and lists);
//! - it is unblocked ([`Engine::unblock`], as `CLIENT UNBLOCK`: the timeout reply), or it
//!   disconnects ([`Engine::disconnect`]: no reply).
//!
//! A client that may not block gets the timeout reply at once instead (Redis' `CLIENT_DENY_BLOCKING`):
//! inside MULTI/EXEC, inside a script, and whenever its host runs it with
//! [`Engine::execute`] / [`Engine::execute_slices_in`] — hosts whose clients never wait (the labs,
//! the simulations).
//!
//! # The API hosts use
//!
//! - [`Engine::execute_or_block`] / [`Engine::execute_or_block_in`] run a command for a client that
//!   may wait, and answer [`Outcome::Reply`] or [`Outcome::Blocked`]. A blocked client's next
//!   commands must wait in the host (Redis reads but does not run them) until its reply comes.
//! - [`Engine::take_wakeups`] returns the replies of clients woken since the last call ([`Wakeup`]):
//!   a host calls it after every command it runs for any client, and after moving the clock.
//! - [`Engine::next_block_deadline`] says when the next timeout is due, so a host can wake up for it.
//!
//! `redis-sim serve` holds a blocked connection's requests and writes its reply when it is woken
//! or times out (`src/server.rs`); the console, which has one client and so nobody to wake it,
//! moves the virtual clock to the deadline and prints the timeout reply (`src/console.rs`).
//!
//! # Adding a blocking command
//!
//! Its [`crate::engine::command::Run::Engine`] function does what the command does when it can;
//! when it must wait it returns [`Engine::block`]'s reply (a placeholder when the client blocks, the
//! timeout reply when it may not). Its [`ServeFn`] runs when a key it waits on is ready: it gets the
//! database, the key (which holds a value of the type the block named) and the command's arguments,
//! and answers the client's reply, or `None` to keep it waiting. Keys created through
//! [`crate::engine::db::Db::set`] and the `…_or_create` methods are noticed; a new way of creating a
//! key must go through them.

use super::db::Db;
use super::reply::Reply;
use super::value::ValueType;
use super::{ClientId, Map};

/// Serves a client woken on `key` (in `db`, holding a value of the type it waits for): the
/// client's reply, or `None` to leave it waiting. `argv` is the blocking command as it was sent.
pub type ServeFn = fn(db: &mut Db, key: &[u8], argv: &[Vec<u8>]) -> Option<Reply>;

/// What a blocking command registers when it has to wait (see the module documentation).
#[derive(Clone, Debug)]
pub struct Block<'a> {
    /// The keys it waits on, in the client's database; a repeated key counts once.
    pub keys: &'a [&'a [u8]],
    /// When it stops waiting (Unix ms on the engine's clock), or `None` to wait for ever.
    pub deadline: Option<i64>,
    /// The type of value that wakes it.
    pub wakes_on: ValueType,
    /// What it does once woken.
    pub serve: ServeFn,
    /// The command as sent (the arguments `serve` gets).
    pub argv: &'a [&'a [u8]],
    /// The reply at the deadline (or when it may not block).
    pub timeout_reply: Reply,
}

/// What a command did, for a host whose clients may wait.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The command's reply.
    Reply(Reply),
    /// The client waits: its reply will come through [`Engine::take_wakeups`].
    Blocked,
}

/// A blocked client's reply, now that it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Wakeup {
    /// The client.
    pub client: ClientId,
    /// Its reply: what serving it answered, or its timeout reply.
    pub reply: Reply,
}

/// One blocked client.
#[derive(Clone, Debug)]
struct Waiter {
    db: usize,
    keys: Vec<Vec<u8>>,
    deadline: Option<i64>,
    wakes_on: ValueType,
    serve: ServeFn,
    argv: Vec<Vec<u8>>,
    timeout_reply: Reply,
    /// When it blocked, relative to the others (ties between equal deadlines).
    seq: u64,
}

/// The engine's blocked clients.
#[derive(Clone, Debug, Default)]
pub(crate) struct Blocking {
    waiters: Map<ClientId, Waiter>,
    /// (database, key) → the clients waiting on it, first blocked first.
    by_key: Map<(usize, Vec<u8>), Vec<ClientId>>,
    /// Keys signalled ready and not served yet, in order, without repeats.
    ready: Vec<(usize, Vec<u8>)>,
    /// Replies of woken clients, not taken yet.
    wakeups: Vec<Wakeup>,
    next_seq: u64,
    /// The command running at the top level may block its client.
    may_block: bool,
    /// How deep in commands the engine is: 1 for a client's own command, more inside EXEC or a
    /// script (where nothing blocks).
    depth: u32,
    /// The client the running command blocked.
    blocked_now: Option<ClientId>,
}

impl Blocking {
    /// True when no client is blocked.
    pub(crate) fn is_empty(&self) -> bool {
        self.waiters.is_empty()
    }

    /// How many clients are blocked.
    pub(crate) fn len(&self) -> usize {
        self.waiters.len()
    }

    /// Goes one level deeper in commands (EXEC, a script).
    pub(crate) fn enter(&mut self) {
        self.depth += 1;
    }

    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// A client's own command is about to run; `may_block` when its host lets it wait.
    pub(crate) fn start(&mut self, may_block: bool) {
        self.may_block = may_block;
        self.blocked_now = None;
    }

    /// True when the client whose command runs now may be blocked by it.
    fn may_block_now(&self) -> bool {
        self.may_block && self.depth == 1
    }

    /// True when `client` is blocked.
    pub(crate) fn is_blocked(&self, client: ClientId) -> bool {
        self.waiters.contains_key(&client)
    }

    /// Takes "the running command blocked `client`".
    pub(crate) fn take_blocked_now(&mut self) -> Option<ClientId> {
        self.blocked_now.take()
    }

    /// Registers `client` as blocked in database `db`, if it may be: the reply to give now (a
    /// placeholder the host never sees when it blocks, the timeout reply when it may not).
    pub(crate) fn block(&mut self, client: ClientId, db: usize, block: Block<'_>) -> Reply {
        if !self.may_block_now() {
            return block.timeout_reply;
        }
        let mut keys: Vec<Vec<u8>> = Vec::with_capacity(block.keys.len());
        for key in block.keys {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_vec());
            }
        }
        for key in &keys {
            self.by_key
                .entry((db, key.clone()))
                .or_default()
                .push(client);
        }
        self.waiters.insert(
            client,
            Waiter {
                db,
                keys,
                deadline: block.deadline,
                wakes_on: block.wakes_on,
                serve: block.serve,
                argv: block.argv.iter().map(|a| a.to_vec()).collect(),
                timeout_reply: block.timeout_reply,
                seq: self.next_seq,
            },
        );
        self.next_seq += 1;
        self.blocked_now = Some(client);
        Reply::NilArray
    }

    /// Forgets `client`'s block; its waiter, if it was blocked.
    fn remove(&mut self, client: ClientId) -> Option<Waiter> {
        let waiter = self.waiters.remove(&client)?;
        for key in &waiter.keys {
            let slot = (waiter.db, key.clone());
            if let Some(list) = self.by_key.get_mut(&slot) {
                list.retain(|&c| c != client);
                if list.is_empty() {
                    self.by_key.remove(&slot);
                }
            }
        }
        Some(waiter)
    }

    /// Unblocks `client` with its timeout reply (`CLIENT UNBLOCK`); false when it was not blocked.
    pub(crate) fn unblock(&mut self, client: ClientId) -> bool {
        match self.remove(client) {
            Some(waiter) => {
                self.wakeups.push(Wakeup {
                    client,
                    reply: waiter.timeout_reply,
                });
                true
            }
            None => false,
        }
    }

    /// Forgets `client` without a reply (it disconnected).
    pub(crate) fn forget(&mut self, client: ClientId) {
        self.remove(client);
    }

    /// Redis' `signalKeyAsReady`: `key` in `db` now holds a value of type `kind` (it was created
    /// so, or SWAPDB brought it): queued when a client waits on it and some client waits for that
    /// type.
    pub(crate) fn signal(&mut self, db: usize, key: &[u8], kind: ValueType) {
        if !self.waiters.values().any(|w| w.wakes_on == kind) {
            return;
        }
        let slot = (db, key.to_vec());
        if self.by_key.contains_key(&slot) && !self.ready.contains(&slot) {
            self.ready.push(slot);
        }
    }

    /// The keys of database `db` some client waits on.
    pub(crate) fn keys_in(&self, db: usize) -> Vec<Vec<u8>> {
        self.by_key
            .keys()
            .filter(|(d, _)| *d == db)
            .map(|(_, k)| k.clone())
            .collect()
    }

    /// Takes the ready keys queued so far.
    pub(crate) fn take_ready(&mut self) -> Vec<(usize, Vec<u8>)> {
        std::mem::take(&mut self.ready)
    }

    /// The clients waiting on `key` in `db` for a value of type `kind`, first blocked first.
    pub(crate) fn waiting_on(&self, db: usize, key: &[u8], kind: ValueType) -> Vec<ClientId> {
        self.by_key
            .get(&(db, key.to_vec()))
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|c| self.waiters.get(c).is_some_and(|w| w.wakes_on == kind))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Serves `client` from `key` in `db` (see [`ServeFn`]); true when it was answered (and is
    /// unblocked).
    pub(crate) fn serve(&mut self, client: ClientId, db: &mut Db, key: &[u8]) -> bool {
        let Some(waiter) = self.waiters.get(&client) else {
            return false;
        };
        let Some(reply) = (waiter.serve)(db, key, &waiter.argv) else {
            return false;
        };
        self.remove(client);
        self.wakeups.push(Wakeup { client, reply });
        true
    }

    /// Times out every client whose deadline is before `now`, soonest first (then first blocked
    /// first); true when some did.
    pub(crate) fn time_out(&mut self, now: i64) -> bool {
        let mut due: Vec<(i64, u64, ClientId)> = self
            .waiters
            .iter()
            .filter_map(|(&c, w)| w.deadline.filter(|&d| d < now).map(|d| (d, w.seq, c)))
            .collect();
        due.sort_unstable();
        for &(_, _, client) in &due {
            self.unblock(client);
        }
        !due.is_empty()
    }

    /// `client`'s deadline, if it is blocked with one.
    pub(crate) fn deadline_of(&self, client: ClientId) -> Option<i64> {
        self.waiters.get(&client).and_then(|w| w.deadline)
    }

    /// The soonest deadline of a blocked client.
    pub(crate) fn next_deadline(&self) -> Option<i64> {
        self.waiters.values().filter_map(|w| w.deadline).min()
    }

    /// The replies of woken clients, oldest first; none twice.
    pub(crate) fn take_wakeups(&mut self) -> Vec<Wakeup> {
        std::mem::take(&mut self.wakeups)
    }

    /// `client`'s reply, if it was woken; the others' stay.
    pub(crate) fn take_wakeup(&mut self, client: ClientId) -> Option<Reply> {
        let at = self.wakeups.iter().position(|w| w.client == client)?;
        Some(self.wakeups.remove(at).reply)
    }
}

use super::Engine;

impl Engine {
    /// Registers the client of the running command as blocked, as [`Block`] describes: the reply
    /// its command function returns (see the module documentation).
    pub fn block(&mut self, client: ClientId, block: Block<'_>) -> Reply {
        let db = self.selected_db(client);
        let reply = self.blocking.block(client, db, block);
        if !self.blocking.is_empty() {
            self.track_created(true);
        }
        reply
    }

    /// The replies of the clients woken (served, timed out, unblocked) since the last call: see
    /// the module documentation.
    pub fn take_wakeups(&mut self) -> Vec<Wakeup> {
        self.blocking.take_wakeups()
    }

    /// `client`'s reply if it was woken (see [`Engine::take_wakeups`]), leaving the others' for
    /// their host.
    pub fn take_wakeup(&mut self, client: ClientId) -> Option<Reply> {
        self.blocking.take_wakeup(client)
    }

    /// When the next blocked client times out (Unix ms on the engine's clock), if any waits with a
    /// timeout.
    pub fn next_block_deadline(&self) -> Option<i64> {
        self.blocking.next_deadline()
    }

    /// How many clients are blocked (INFO's `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.blocking.len()
    }

    /// True while `client` is blocked.
    pub fn is_blocked(&self, client: ClientId) -> bool {
        self.blocking.is_blocked(client)
    }

    /// When blocked `client` times out (Unix ms); None when it is not blocked or waits for ever.
    pub fn block_deadline(&self, client: ClientId) -> Option<i64> {
        self.blocking.deadline_of(client)
    }

    /// Unblocks `client` with its timeout reply (Redis' `CLIENT UNBLOCK`), delivered through
    /// [`Engine::take_wakeups`]; false when it was not blocked.
    pub fn unblock(&mut self, client: ClientId) -> bool {
        let unblocked = self.blocking.unblock(client);
        self.stop_tracking_if_idle();
        unblocked
    }

    /// Records key creations in every database (while a client is blocked) or stops.
    fn track_created(&mut self, on: bool) {
        for db in &mut self.dbs {
            db.track_created(on);
        }
    }

    pub(crate) fn stop_tracking_if_idle(&mut self) {
        if self.blocking.is_empty() {
            self.track_created(false);
        }
    }

    /// Signals the keys created by the last command in every database (see
    /// [`Blocking::signal`]).
    pub(crate) fn signal_created(&mut self) {
        if self.blocking.is_empty() {
            return;
        }
        for index in 0..self.dbs.len() {
            for (key, kind) in self.dbs[index].take_created() {
                self.blocking.signal(index, &key, kind);
            }
        }
    }

    /// Redis' `scanDatabaseForReadyKeys` (SWAPDB): every key of database `db` a client waits on
    /// and that now exists is signalled with its type.
    pub(crate) fn signal_existing(&mut self, db: usize) {
        for key in self.blocking.keys_in(db) {
            if let Some(value) = self.dbs[db].peek(&key) {
                let kind = value.value_type();
                self.blocking.signal(db, &key, kind);
            }
        }
    }

    /// Redis' `handleClientsBlockedOnKeys`, after a client's command: each ready key, in the order
    /// signalled, serves the clients waiting on it for the type it holds, first blocked first,
    /// while it holds one; serving may create keys, which are served in turn.
    pub(crate) fn serve_ready(&mut self) {
        self.signal_created();
        loop {
            let ready = self.blocking.take_ready();
            if ready.is_empty() {
                break;
            }
            for (index, key) in ready {
                // lookupKeyReadWithFlags: an expired key is deleted, and serves nobody.
                let kind = match self.enter(index).get(&key) {
                    Some(value) => value.value_type(),
                    None => continue,
                };
                for client in self.blocking.waiting_on(index, &key, kind) {
                    let from = self.dbs[index].modified().len();
                    let served = self.blocking.serve(client, &mut self.dbs[index], &key);
                    self.current = index;
                    self.after_command(from);
                    if served && self.dbs[index].peek(&key).is_none() {
                        break;
                    }
                }
                self.signal_created();
            }
        }
        self.stop_tracking_if_idle();
    }

    /// Times out the blocked clients whose deadline is before the clock.
    pub(crate) fn time_out_blocked(&mut self) {
        if !self.blocking.is_empty() && self.blocking.time_out(self.now_ms()) {
            self.stop_tracking_if_idle();
        }
    }
}
