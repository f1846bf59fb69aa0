//! The keyspace: keys, their values and expire times, on the engine's clock.
//!
//! Every command reaches keys through [`Db`], which does what Redis' `db.c` does: a lookup of an
//! expired key deletes it first (lazy expiry), a write records the key as modified
//! (`signalModifiedKey`, which WATCH and the inspector's highlight both feed on), and the expire index
//! lets the active cycle drop expired keys nobody reads.

use std::collections::BTreeSet;

use super::error::Error;
use super::hash::Hash;
use super::list::List;
use super::rng::Rng;
use super::set::Set;
use super::sorted_set::SortedSet;
use super::value::{Str, Value};
use super::Map;

/// One key's slot.
#[derive(Clone, Debug)]
struct Entry {
    value: Value,
    /// Unix time in ms after which the key is gone (`now > expire_at`).
    expire_at: Option<i64>,
    /// The bytes this entry was last accounted as.
    accounted: usize,
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
}

const PER_KEY_BYTES: usize = 56;

impl Db {
    /// An empty keyspace whose clock reads `now_ms`.
    pub fn new(now_ms: i64) -> Db {
        Db {
            now_ms,
            ..Db::default()
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

    /// Sets the byte limit; the memory estimate is kept only when there is one.
    pub(crate) fn set_byte_limit(&mut self, max_bytes: Option<usize>) {
        self.accounting = max_bytes.is_some();
        self.max_bytes = max_bytes;
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
        self.entries.get(key).map(|e| &e.value)
    }

    /// Looks `key` up for writing, deleting it first if expired. The caller must call
    /// [`Db::touch`] if it changes the value.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.expire_if_needed(key);
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
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::Set(s)) => Ok(Some(s)),
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
        self.expire_if_needed(key);
        let entry = self.entries.entry(key.to_vec()).or_insert_with(|| Entry {
            value: Value::List(List::new()),
            expire_at: None,
            accounted: 0,
        });
        match &mut entry.value {
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
        self.expire_if_needed(key);
        let entry = self.entries.entry(key.to_vec()).or_insert_with(|| Entry {
            value: Value::Set(Set::for_member(first)),
            expire_at: None,
            accounted: 0,
        });
        match &mut entry.value {
            Value::Set(s) => Ok(s),
            _ => Err(Error::WrongType),
        }
    }

    /// The hash at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn hash_mut(&mut self, key: &[u8]) -> Result<Option<&mut Hash>, Error> {
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::Hash(h)) => Ok(Some(h)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The sorted set at `key` for writing: `Ok(None)` when missing, WRONGTYPE for another type.
    pub fn zset_mut(&mut self, key: &[u8]) -> Result<Option<&mut SortedSet>, Error> {
        match self.get_mut(key) {
            None => Ok(None),
            Some(Value::ZSet(z)) => Ok(Some(z)),
            Some(_) => Err(Error::WrongType),
        }
    }

    /// The hash at `key`, created empty if missing (Redis' `hashTypeLookupWriteOrCreate`).
    /// An empty hash must not stay: the caller adds a field or calls [`Db::remove_if_empty`].
    pub fn hash_or_create(&mut self, key: &[u8]) -> Result<&mut Hash, Error> {
        self.expire_if_needed(key);
        let entry = self.entries.entry(key.to_vec()).or_insert_with(|| Entry {
            value: Value::Hash(Hash::new()),
            expire_at: None,
            accounted: 0,
        });
        match &mut entry.value {
            Value::Hash(h) => Ok(h),
            _ => Err(Error::WrongType),
        }
    }

    /// The sorted set at `key`, created empty if missing. As with [`Db::hash_or_create`], an empty
    /// set must not stay.
    pub fn zset_or_create(&mut self, key: &[u8]) -> Result<&mut SortedSet, Error> {
        self.expire_if_needed(key);
        let entry = self.entries.entry(key.to_vec()).or_insert_with(|| Entry {
            value: Value::ZSet(SortedSet::new()),
            expire_at: None,
            accounted: 0,
        });
        match &mut entry.value {
            Value::ZSet(z) => Ok(z),
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
    /// key as modified.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        match self.entries.get_mut(key) {
            Some(entry) => {
                entry.value = value;
                if !keep_ttl {
                    if let Some(at) = entry.expire_at.take() {
                        self.expires.remove(&(at, key.to_vec()));
                    }
                }
            }
            None => {
                self.entries.insert(
                    key.to_vec(),
                    Entry {
                        value,
                        expire_at: None,
                        accounted: 0,
                    },
                );
            }
        }
        self.touch(key);
    }

    /// Sets `key` to the string `bytes`, like [`Db::set`], reusing the old string's buffer when
    /// there is one (SET on an existing counter then allocates nothing).
    pub fn set_str(&mut self, key: &[u8], bytes: &[u8], keep_ttl: bool) {
        match self.entries.get_mut(key) {
            Some(Entry {
                value: Value::Str(s),
                expire_at,
                ..
            }) => {
                s.set_bytes(bytes);
                if !keep_ttl {
                    // PERSIST, on the entry in hand.
                    if let Some(at) = expire_at.take() {
                        self.expires.remove(&(at, key.to_vec()));
                    }
                }
                self.touch(key);
            }
            _ => self.set(key, Value::Str(Str::from_bytes(bytes)), keep_ttl),
        }
    }

    /// Deletes `key` whatever its state; returns its value. Records the key as modified.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        let entry = self.entries.remove(key)?;
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
        let result = f(&mut entry.value);
        if result.is_ok() {
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
