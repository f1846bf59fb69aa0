//! The keyspace: keys, their values and expire times, on the engine's clock.
//!
//! Every command reaches keys through [`Db`], which does what Redis' `db.c` does: a lookup of an
//! expired key deletes it first (lazy expiry), a write records the key as modified
//! (`signalModifiedKey`, which WATCH and the inspector's highlight both feed on), and the expire index
//! lets the active cycle drop expired keys nobody reads.

use std::collections::BTreeSet;

use super::config::Config;
use super::error::Error;
use super::hash::Hash;
use super::list::List;
use super::object;
use super::rng::Rng;
use super::scan::{dict_scan, dict_slots, scan_hash};
use super::set::Set;
use super::sorted_set::SortedSet;
use super::value::{Str, Value, ValueType};
use super::Map;

/// One key's slot.
#[derive(Clone, Debug)]
struct Entry {
    value: Value,
    /// Unix time in ms after which the key is gone (`now > expire_at`).
    expire_at: Option<i64>,
    /// The bytes this entry was last accounted as.
    accounted: usize,
    /// The value object's access stamp (`robj.lru`: see [`object`]).
    lru: u32,
    /// An integer in the shared range that is an object of its own (see
    /// [`object::shared_integer`]).
    private: bool,
}

impl Entry {
    fn new(value: Value, lru: u32, private: bool) -> Entry {
        Entry {
            value,
            expire_at: None,
            accounted: 0,
            lru,
            private,
        }
    }
}

/// What the object headers of one database need besides their entries: the configuration (the
/// policy decides what a stamp means), the stamps of the shared integers this database's keys
/// touched, and the stamp they all had when the engine started.
#[derive(Clone, Debug, Default)]
struct Objects {
    config: Config,
    shared: Map<u16, u32>,
    start: u32,
}

/// How an entry's metadata changes when a command reaches it (Redis' `lookupKey`).
fn access(entry: &mut Entry, objects: &mut Objects, now_ms: i64, rng: &mut Rng) {
    match object::shared_integer(&entry.value, entry.private) {
        Some(n) => {
            let stamp = objects.shared.get(&n).copied().unwrap_or(objects.start);
            let stamp = object::touched(stamp, &objects.config, now_ms, rng);
            objects.shared.insert(n, stamp);
        }
        None => entry.lru = object::touched(entry.lru, &objects.config, now_ms, rng),
    }
}

/// The keyspace of the engine's single database.
#[derive(Clone, Debug, Default)]
pub struct Db {
    entries: Map<Vec<u8>, Entry>,
    /// (expire time, key) for every key with a TTL, soonest first.
    expires: BTreeSet<(i64, Vec<u8>)>,
    now_ms: i64,
    /// Keys modified by the current command (or transaction): the first `modified_len` entries,
    /// in order, without repeats. The buffers beyond are kept for reuse, so touching a key does not
    /// allocate once warm.
    modified: Vec<Vec<u8>>,
    modified_len: usize,
    used_bytes: usize,
    /// Whether `used_bytes` is kept (only needed when a byte limit is set: it costs a lookup per
    /// write).
    accounting: bool,
    /// The engine's byte limit, for commands that would allocate far more than their arguments
    /// (see [`Db::check_growth`]).
    max_bytes: Option<usize>,
    /// What the engine's other databases hold, as the running command found them.
    elsewhere_bytes: usize,
    /// What the commands Redis answers at random (SPOP, SRANDMEMBER, …) draw from: seeded, so the
    /// page and the simulation replay the same way every time.
    rng: Rng,
    /// Keys created (Redis' `dbAdd`) with the type they were created as, in order, recorded only
    /// while `track_created` (some client is blocked): a creation is what wakes blocked clients
    /// (see [`crate::engine::blocking`]).
    created: Vec<(Vec<u8>, ValueType)>,
    track_created: bool,
    objects: Objects,
    /// Counts keys added and removed, so that SCAN's order is rebuilt only when the set of keys
    /// changed.
    generation: u64,
    /// SCAN's order of the keys (see [`Db::scan`]), as of a generation.
    scan_order: Option<ScanOrder>,
}

const PER_KEY_BYTES: usize = 56;

/// The keys sorted by their reversed hash — the order SCAN visits buckets in — built for one
/// generation of the keyspace.
#[derive(Clone, Debug)]
struct ScanOrder {
    generation: u64,
    keys: Vec<(u64, Vec<u8>)>,
}

impl Db {
    /// An empty keyspace whose clock reads `now_ms`.
    pub fn new(now_ms: i64) -> Db {
        Db {
            now_ms,
            objects: Objects {
                start: object::lru_clock(now_ms),
                ..Objects::default()
            },
            ..Db::default()
        }
    }

    /// Starts or stops recording the keys created (the engine does while clients are blocked).
    pub(crate) fn track_created(&mut self, on: bool) {
        self.track_created = on;
        if !on {
            self.created.clear();
        }
    }

    /// The keys created since the last call, with the type each was created as.
    pub(crate) fn take_created(&mut self) -> Vec<(Vec<u8>, ValueType)> {
        std::mem::take(&mut self.created)
    }

    /// Records that `key` was created holding a value of type `kind` (Redis' `dbAdd`, which
    /// signals clients blocked on it), when the engine asks for it.
    fn note_created(&mut self, key: &[u8], kind: ValueType) {
        if self.track_created {
            self.created.push((key.to_vec(), kind));
        }
    }

    /// The configuration this database's commands follow (encoding thresholds, policy).
    pub fn config(&self) -> &Config {
        &self.objects.config
    }

    pub(crate) fn set_config(&mut self, config: Config) {
        self.objects.config = config;
    }

    /// The stamp of a new object, now.
    fn fresh(&self) -> u32 {
        object::fresh_stamp(&self.objects.config, self.now_ms)
    }

    /// A new entry holding `value`, created now.
    fn new_entry(&self, value: Value) -> Entry {
        Entry::new(value, self.fresh(), !self.objects.config.shares_integers())
    }

    /// Adds an entry for a key that has none.
    fn insert_new(&mut self, key: &[u8], entry: Entry) {
        self.note_created(key, entry.value.value_type());
        self.generation += 1;
        self.entries.insert(key.to_vec(), entry);
    }

    /// The access stamp OBJECT IDLETIME and FREQ read for `key` (not expired first, not touched),
    /// and the shared integer whose stamp it is, if the value is one. `None` without the key.
    pub fn stamp(&self, key: &[u8]) -> Option<(u32, Option<u16>)> {
        let entry = self.entries.get(key)?;
        Some(match object::shared_integer(&entry.value, entry.private) {
            Some(n) => (
                self.objects
                    .shared
                    .get(&n)
                    .copied()
                    .unwrap_or(self.objects.start),
                Some(n),
            ),
            None => (entry.lru, None),
        })
    }

    /// The stamp shared integer `n` got from this database's keys, if any touched it.
    pub fn shared_stamp(&self, n: u16) -> Option<u32> {
        self.objects.shared.get(&n).copied()
    }

    /// True when the value at `key` is an object of its own where Redis would share one (see
    /// [`object::shared_integer`]).
    pub fn is_private(&self, key: &[u8]) -> bool {
        self.entries.get(key).is_some_and(|e| e.private)
    }

    /// Redis' `lookupKey` on a live `key`: its access stamp moves (see [`object`]).
    fn access(&mut self, key: &[u8]) {
        let Db {
            entries,
            objects,
            now_ms,
            rng,
            ..
        } = self;
        if let Some(entry) = entries.get_mut(key) {
            access(entry, objects, *now_ms, rng);
        }
    }

    /// The random source of commands whose answer Redis draws at random.
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Runs `f` with the keyspace and its random source apart, for a command that draws while it
    /// holds a value (SPOP).
    pub fn with_rng<R>(&mut self, f: impl FnOnce(&mut Db, &mut Rng) -> R) -> R {
        let mut rng = std::mem::take(&mut self.rng);
        let result = f(self, &mut rng);
        self.rng = rng;
        result
    }

    /// The clock: Unix time in milliseconds (virtual in the browser).
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    pub(crate) fn set_now_ms(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
    }

    /// The number of keys, counting expired keys not yet removed (as DBSIZE does).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the keyspace holds no key at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets the byte limit; the memory estimate is kept only when there is one, and is counted
    /// afresh for the keys already held.
    pub(crate) fn set_byte_limit(&mut self, max_bytes: Option<usize>) {
        self.max_bytes = max_bytes;
        self.set_accounting(max_bytes.is_some() || self.objects.config.maxmemory() > 0);
    }

    /// The memory guard for a command about to allocate `extra` bytes that its arguments do not
    /// hold (SETRANGE or SETBIT at a far offset, a long HRANDFIELD reply): Redis' OOM error when
    /// that would take the keyspace past the byte limit.
    ///
    /// Redis itself checks `maxmemory` only before a command and would allocate up to its 512 MB
    /// string limit; a browser tab cannot afford that, so the engine refuses such a command up
    /// front, where a Redis with the memory to spare would run it.
    pub fn check_growth(&self, extra: usize) -> Result<(), Error> {
        match self.max_bytes {
            Some(max)
                if self
                    .used_bytes
                    .saturating_add(self.elsewhere_bytes)
                    .saturating_add(extra)
                    > max =>
            {
                Err(Error::OutOfMemory)
            }
            _ => Ok(()),
        }
    }

    /// Tells the guard what the engine's other databases hold (the engine does, as a command
    /// enters this database).
    pub(crate) fn set_elsewhere_bytes(&mut self, bytes: usize) {
        self.elsewhere_bytes = bytes;
    }

    /// The byte limit, if any (for transient buffers such as LCS's table).
    pub fn max_bytes(&self) -> Option<usize> {
        self.max_bytes
    }

    /// Turns the memory estimate on or off (on for a byte limit or `maxmemory`), counting what is
    /// already there when it turns on.
    pub(crate) fn set_accounting(&mut self, on: bool) {
        if on && !self.accounting {
            // Count what is already there.
            self.used_bytes = 0;
            for (key, entry) in self.entries.iter_mut() {
                entry.accounted = PER_KEY_BYTES + key.len() + entry.value.approx_bytes();
                self.used_bytes += entry.accounted;
            }
        }
        self.accounting = on;
    }

    /// The estimated bytes the keyspace takes (0 unless the engine has a byte limit).
    pub fn used_bytes(&self) -> usize {
        self.used_bytes
    }

    /// True when `key` exists but its time is up (Redis' `keyIsExpired`), without deleting it.
    pub fn is_expired(&self, key: &[u8]) -> bool {
        self.entries
            .get(key)
            .and_then(|e| e.expire_at)
            .is_some_and(|at| self.now_ms > at)
    }

    /// True when `key` is in the table, expired or not.
    pub fn contains_raw(&self, key: &[u8]) -> bool {
        self.entries.contains_key(key)
    }

    /// Deletes `key` if its time is up; true when it did.
    pub fn expire_if_needed(&mut self, key: &[u8]) -> bool {
        // With no TTL anywhere nothing can be expired: skip the lookup.
        if !self.expires.is_empty() && self.is_expired(key) {
            self.remove(key);
            true
        } else {
            false
        }
    }

    /// Looks `key` up for reading, deleting it first if expired.
    pub fn get(&mut self, key: &[u8]) -> Option<&Value> {
        self.expire_if_needed(key);
        self.access(key);
        self.entries.get(key).map(|e| &e.value)
    }

    /// Looks `key` up without touching its access stamp (Redis' `LOOKUP_NOTOUCH`: EXISTS, TYPE,
    /// the TTL family, OBJECT), deleting it first if expired.
    pub fn get_untouched(&mut self, key: &[u8]) -> Option<&Value> {
        self.expire_if_needed(key);
        self.entries.get(key).map(|e| &e.value)
    }

    /// Looks `key` up for writing, deleting it first if expired. The caller must call
    /// [`Db::touch`] if it changes the value.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.expire_if_needed(key);
        self.access(key);
        self.entries.get_mut(key).map(|e| &mut e.value)
    }

    /// Looks `key` up without expiring it (for the inspector and WATCH).
    pub fn peek(&self, key: &[u8]) -> Option<&Value> {
        self.entries.get(key).map(|e| &e.value)
    }

    /// The string at `key` for reading: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn get_str(&mut self, key: &[u8]) -> Result<Option<&Str>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The hash at `key` for reading: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn get_hash(&mut self, key: &[u8]) -> Result<Option<&Hash>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Hash(h)) => Ok(Some(h)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The sorted set at `key` for reading: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn get_zset(&mut self, key: &[u8]) -> Result<Option<&SortedSet>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::ZSet(z)) => Ok(Some(z)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The set at `key` for reading: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn get_set(&mut self, key: &[u8]) -> Result<Option<&Set>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Set(s)) => Ok(Some(s)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The set at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn set_mut(&mut self, key: &[u8]) -> Result<Option<&mut Set>, Error> {
        let max = self.objects.config.set_max_intset_entries();
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::Set(s)) => {
                s.set_max_intset(max);
                Ok(Some(s))
            }
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The list at `key` for reading: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn get_list(&mut self, key: &[u8]) -> Result<Option<&List>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::List(l)) => Ok(Some(l)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The list at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn list_mut(&mut self, key: &[u8]) -> Result<Option<&mut List>, Error> {
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::List(l)) => Ok(Some(l)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The list at `key`, created empty if missing. An empty list must not stay: the caller pushes
    /// an element or calls [`Db::remove_if_empty`].
    pub fn list_or_create(&mut self, key: &[u8]) -> Result<&mut List, Error> {
        match self.or_create(key, || Value::List(List::new())) {
            Value::List(l) => Ok(l),
            _ => Err(Error::WrongType),
        }
    }

    /// The string at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    /// The caller must call [`Db::touch`] if it changes the value.
    pub fn str_mut(&mut self, key: &[u8]) -> Result<Option<&mut Str>, Error> {
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The set at `key`, created empty if missing in the encoding Redis' `setTypeCreate` picks for
    /// `first`, the first member to be added (which the caller must add: an empty set must not stay).
    pub fn set_or_create(&mut self, key: &[u8], first: &[u8]) -> Result<&mut Set, Error> {
        let max = self.objects.config.set_max_intset_entries();
        match self.or_create(key, || Value::Set(Set::for_member(first))) {
            Value::Set(s) => {
                s.set_max_intset(max);
                Ok(s)
            }
            _ => Err(Error::WrongType),
        }
    }

    /// The hash at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn hash_mut(&mut self, key: &[u8]) -> Result<Option<&mut Hash>, Error> {
        let limits = self.objects.config.hash_limits();
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::Hash(h)) => {
                h.set_limits(limits);
                Ok(Some(h))
            }
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The sorted set at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn zset_mut(&mut self, key: &[u8]) -> Result<Option<&mut SortedSet>, Error> {
        let limits = self.objects.config.zset_limits();
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::ZSet(z)) => {
                z.set_limits(limits);
                Ok(Some(z))
            }
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The value at `key` for writing, created by `make` if missing (touched if present, as any
    /// lookup).
    fn or_create(&mut self, key: &[u8], make: impl FnOnce() -> Value) -> &mut Value {
        self.expire_if_needed(key);
        if self.entries.contains_key(key) {
            self.access(key);
        } else {
            let entry = self.new_entry(make());
            self.insert_new(key, entry);
        }
        match self.entries.get_mut(key) {
            Some(entry) => &mut entry.value,
            None => unreachable!("the entry was just found or inserted"),
        }
    }

    /// The hash at `key`, created empty if missing (Redis' `hashTypeLookupWriteOrCreate`).
    /// An empty hash must not stay: the caller adds a field or calls [`Db::remove_if_empty`].
    pub fn hash_or_create(&mut self, key: &[u8]) -> Result<&mut Hash, Error> {
        let limits = self.objects.config.hash_limits();
        match self.or_create(key, || Value::Hash(Hash::new())) {
            Value::Hash(h) => {
                h.set_limits(limits);
                Ok(h)
            }
            _ => Err(Error::WrongType),
        }
    }

    /// The sorted set at `key`, created empty if missing. As with [`Db::hash_or_create`], an empty
    /// set must not stay.
    pub fn zset_or_create(&mut self, key: &[u8]) -> Result<&mut SortedSet, Error> {
        let limits = self.objects.config.zset_limits();
        match self.or_create(key, || Value::ZSet(SortedSet::with_limits(limits))) {
            Value::ZSet(z) => {
                z.set_limits(limits);
                Ok(z)
            }
            _ => Err(Error::WrongType),
        }
    }

    /// Deletes `key` if it holds an empty collection (Redis never keeps empty collections).
    pub fn remove_if_empty(&mut self, key: &[u8]) {
        let empty = match self.entries.get(key).map(|e| &e.value) {
            Some(Value::Hash(h)) => h.is_empty(),
            Some(Value::ZSet(z)) => z.is_empty(),
            Some(Value::Set(s)) => s.is_empty(),
            Some(Value::List(l)) => l.is_empty(),
            _ => false,
        };
        if empty {
            self.remove(key);
        }
    }

    /// Sets `key` to `value`, dropping its TTL unless `keep_ttl` (Redis' `setKey`). Records the
    /// key as modified. A key that existed is looked up first, as `setKey` does; the value is a new
    /// object either way.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        if self.entries.contains_key(key) {
            self.overwrite(key, keep_ttl, |old| *old = value);
        } else {
            let entry = self.new_entry(value);
            self.insert_new(key, entry);
            self.touch(key);
        }
    }

    /// Sets `key` to the string `bytes`, like [`Db::set`], reusing the old string's buffer when
    /// there is one (SET on an existing counter then allocates nothing).
    pub fn set_str(&mut self, key: &[u8], bytes: &[u8], keep_ttl: bool) {
        if let Some(Entry {
            value: Value::Str(_),
            ..
        }) = self.entries.get(key)
        {
            self.overwrite(key, keep_ttl, |old| {
                if let Value::Str(s) = old {
                    s.set_bytes(bytes);
                }
            });
        } else {
            self.set(key, Value::Str(Str::from_bytes(bytes)), keep_ttl);
        }
    }

    /// `dbOverwrite` on an existing `key`: the lookup that precedes it, `write` replacing the
    /// value, the new object's stamp (an LFU counter carries over), the TTL dropped unless
    /// `keep_ttl`. Records the key as modified.
    fn overwrite(&mut self, key: &[u8], keep_ttl: bool, write: impl FnOnce(&mut Value)) {
        let private = !self.objects.config.shares_integers();
        let fresh = self.fresh();
        let lfu = self.objects.config.policy().is_lfu();
        let Db {
            entries,
            objects,
            now_ms,
            rng,
            expires,
            ..
        } = self;
        if let Some(entry) = entries.get_mut(key) {
            access(entry, objects, *now_ms, rng);
            write(&mut entry.value);
            entry.private = private;
            if !lfu {
                entry.lru = fresh;
            }
            if !keep_ttl {
                if let Some(at) = entry.expire_at.take() {
                    expires.remove(&(at, key.to_vec()));
                }
            }
        }
        self.touch(key);
    }

    /// Deletes `key` whatever its state; returns its value. Records the key as modified.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        let entry = self.entries.remove(key)?;
        self.generation += 1;
        if let Some(at) = entry.expire_at {
            self.expires.remove(&(at, key.to_vec()));
        }
        self.used_bytes -= entry.accounted;
        self.touch(key);
        Some(entry.value)
    }

    /// The expire time of `key` (Unix ms), if it has one. Does not expire the key.
    pub fn expire_at(&self, key: &[u8]) -> Option<i64> {
        self.entries.get(key).and_then(|e| e.expire_at)
    }

    /// Gives an existing `key` an expire time. Does not record a modification: the command does.
    pub fn set_expire(&mut self, key: &[u8], at: i64) {
        if let Some(entry) = self.entries.get_mut(key) {
            if let Some(old) = entry.expire_at.replace(at) {
                self.expires.remove(&(old, key.to_vec()));
            }
            self.expires.insert((at, key.to_vec()));
        }
    }

    /// Removes the TTL of `key`; true when it had one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        match self.entries.get_mut(key).and_then(|e| e.expire_at.take()) {
            Some(at) => {
                self.expires.remove(&(at, key.to_vec()));
                true
            }
            None => false,
        }
    }

    /// Records `key` as modified by the current command (Redis' `signalModifiedKey`), after the
    /// change: the memory estimate is brought up to date here.
    pub fn touch(&mut self, key: &[u8]) {
        self.reaccount(key);
        self.mark_modified(key);
    }

    /// Brings the memory estimate of `key` up to date without recording a modification (a write
    /// Redis does not signal, such as BITFIELD growing a string whose every write then failed).
    pub fn reaccount(&mut self, key: &[u8]) {
        if self.accounting {
            if let Some(entry) = self.entries.get_mut(key) {
                let bytes = PER_KEY_BYTES + key.len() + entry.value.approx_bytes();
                self.used_bytes = self.used_bytes + bytes - entry.accounted;
                entry.accounted = bytes;
            }
        }
    }

    /// Adds `key` to the modified list (once), without accounting.
    fn mark_modified(&mut self, key: &[u8]) {
        let live = &self.modified[..self.modified_len];
        if live.iter().any(|k| k == key) {
            return;
        }
        match self.modified.get_mut(self.modified_len) {
            Some(slot) => {
                slot.clear();
                slot.extend_from_slice(key);
            }
            None => self.modified.push(key.to_vec()),
        }
        self.modified_len += 1;
    }

    /// Read-modify-write in a single hash lookup, the hot path of INCR and its kin: runs `f` on
    /// the live value at `key` and, if it succeeds, records the key as modified (accounting
    /// included). `None` when the key is missing or expired (an expired key is deleted first);
    /// an error from `f` leaves the key unmodified.
    pub fn update<R>(
        &mut self,
        key: &[u8],
        f: impl FnOnce(&mut Value) -> Result<R, Error>,
    ) -> Option<Result<R, Error>> {
        let now = self.now_ms;
        let entry = self.entries.get_mut(key)?;
        if entry.expire_at.is_some_and(|at| now > at) {
            self.remove(key);
            return None;
        }
        access(entry, &mut self.objects, now, &mut self.rng);
        let result = f(&mut entry.value);
        if result.is_ok() {
            // A new integer object replaced the old one, or the old one changed in place: either
            // way it is shared exactly when a new one would be.
            entry.private = !self.objects.config.shares_integers();
            if self.accounting {
                let bytes = PER_KEY_BYTES + key.len() + entry.value.approx_bytes();
                self.used_bytes = self.used_bytes + bytes - entry.accounted;
                entry.accounted = bytes;
            }
            self.mark_modified(key);
        }
        Some(result)
    }

    /// Starts a new command: forgets the keys the last one modified.
    pub(crate) fn begin_command(&mut self) {
        self.modified_len = 0;
    }

    /// Keys modified since [`Db::begin_command`], in order.
    pub fn modified(&self) -> &[Vec<u8>] {
        &self.modified[..self.modified_len]
    }

    /// All keys, expired or not, in no particular order.
    pub fn raw_keys(&self) -> impl Iterator<Item = &Vec<u8>> + '_ {
        self.entries.keys()
    }

    /// Gives `key` a value object of its own where Redis would share one (COPY's duplicate of a
    /// small integer: see [`object::shared_integer`]).
    pub(crate) fn make_private(&mut self, key: &[u8]) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.private = true;
        }
    }

    /// RENAME's move: `from`'s entry (value, access stamp, expire time) goes to `to`, replacing
    /// whatever `to` held. Both keys are recorded as modified. False when `from` is missing.
    pub fn rename(&mut self, from: &[u8], to: &[u8]) -> bool {
        let Some(mut entry) = self.entries.remove(from) else {
            return false;
        };
        self.generation += 1;
        if let Some(at) = entry.expire_at {
            self.expires.remove(&(at, from.to_vec()));
            self.expires.insert((at, to.to_vec()));
        }
        self.used_bytes -= entry.accounted;
        entry.accounted = 0;
        self.mark_modified(from);
        self.remove(to);
        self.insert_new(to, entry);
        self.touch(to);
        true
    }

    /// A random key, live or not (Redis' `dictGetFairRandomKey`); `None` when there is none.
    pub fn random_key(&mut self) -> Option<Vec<u8>> {
        let n = self.entries.len();
        if n == 0 {
            return None;
        }
        let i = self.rng.below(n as u64) as usize;
        self.entries.keys().nth(i).cloned()
    }

    /// One step of Redis' `dictScan` over the keyspace from `cursor`: the keys of the buckets it
    /// visits (expired ones included: the caller filters) and the cursor to continue from, 0 at the
    /// end. It visits buckets until it has `count` keys or has looked at `count × 10` more buckets,
    /// as `scanGenericCommand` does.
    ///
    /// The walk is [`dict_scan`]'s over the keys sorted by reversed hash (kept until a key is added
    /// or removed), so, as in Redis, a key present for the whole scan is returned however the
    /// table grows or shrinks between calls, and a scan of a small keyspace ends in one call.
    pub fn scan(&mut self, cursor: u64, count: usize) -> (u64, Vec<Vec<u8>>) {
        let n = self.entries.len();
        if n == 0 {
            return (0, Vec::new());
        }
        let stale = self
            .scan_order
            .as_ref()
            .is_none_or(|o| o.generation != self.generation || o.keys.len() != n);
        if stale {
            let mut order: Vec<(u64, Vec<u8>)> = self
                .entries
                .keys()
                .map(|k| (scan_hash(k).reverse_bits(), k.clone()))
                .collect();
            order.sort_unstable();
            self.scan_order = Some(ScanOrder {
                generation: self.generation,
                keys: order,
            });
        }
        let Some(ScanOrder { keys: order, .. }) = self.scan_order.as_ref() else {
            return (0, Vec::new());
        };
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        let (next, range) = dict_scan(
            order,
            dict_slots(n),
            cursor,
            (count as u64, 1),
            count.wrapping_mul(10),
        );
        (next, order[range].iter().map(|(_, k)| k.clone()).collect())
    }

    /// Every live key with its value and expire time, for the inspector.
    pub fn live_entries(&self) -> impl Iterator<Item = (&[u8], &Value, Option<i64>)> + '_ {
        let now = self.now_ms;
        self.entries
            .iter()
            .filter(move |(_, e)| e.expire_at.is_none_or(|at| now <= at))
            .map(|(k, e)| (k.as_slice(), &e.value, e.expire_at))
    }

    /// Removes every key. Records each removed key as modified.
    pub fn clear(&mut self) -> usize {
        let n = self.entries.len();
        let keys: Vec<Vec<u8>> = self.entries.keys().cloned().collect();
        for key in keys {
            self.remove(&key);
        }
        n
    }

    /// Deletes expired keys, soonest first, at most `limit` of them; returns how many.
    pub fn remove_expired(&mut self, limit: usize) -> usize {
        let mut removed = 0;
        while removed < limit {
            let key = match self.expires.first() {
                Some((at, key)) if self.now_ms > *at => key.clone(),
                _ => break,
            };
            self.remove(&key);
            removed += 1;
        }
        removed
    }
}
