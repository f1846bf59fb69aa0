//! The hash type, kept in Redis' field order.
//!
//! Redis stores a small hash as a listpack (fields in insertion order) and converts it for good to a
//! hash table once it has more than 512 fields or a field or value longer than 64 bytes; from then on
//! HGETALL's order is the table's. We keep the same two shapes so small hashes list their fields in
//! exactly Redis' order; a large one lists them in our table's order (Redis' own is seeded at random).

use super::config::ListpackLimits;
use super::scan::{dict_scan, dict_slots, scan_hash, ScanOptions};
use super::Map;

/// `hash-max-listpack-entries`' default (512 in Redis 7.0, in its built-in defaults and Debian's redis.conf).
pub const LISTPACK_MAX_ENTRIES: usize = 512;
/// `hash-max-listpack-value`'s default.
pub const LISTPACK_MAX_VALUE: usize = 64;

/// A field and its value, borrowed from a hash.
pub type FieldValue<'a> = (&'a [u8], &'a [u8]);

/// A hash value: field → value.
#[derive(Clone, Debug)]
pub struct Hash {
    repr: Repr,
    bytes: usize,
    /// The thresholds in force (`hash-max-listpack-*`): the keyspace hands them over with every
    /// lookup for writing, so a CONFIG SET takes effect for the next conversion, as in Redis.
    limits: ListpackLimits,
}

impl Default for Hash {
    fn default() -> Self {
        Hash {
            repr: Repr::default(),
            bytes: 0,
            limits: ListpackLimits {
                entries: LISTPACK_MAX_ENTRIES,
                value: LISTPACK_MAX_VALUE,
            },
        }
    }
}

impl PartialEq for Hash {
    /// Same fields and values in the same encoding (and order, while a listpack).
    fn eq(&self, other: &Self) -> bool {
        self.repr == other.repr
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    /// Insertion-ordered pairs (Redis' listpack encoding).
    Small(Vec<(Vec<u8>, Vec<u8>)>),
    /// Redis' hashtable encoding, with the size Redis' `dict` would have (HSCAN's cursors walk
    /// it).
    Table {
        map: Map<Vec<u8>, Vec<u8>>,
        slots: usize,
    },
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Small(Vec::new())
    }
}

const PER_FIELD_BYTES: usize = 16;

impl Hash {
    /// An empty hash.
    pub fn new() -> Hash {
        Hash::default()
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Small(v) => v.len(),
            Repr::Table { map, .. } => map.len(),
        }
    }

    /// True when there is no field (such a hash never stays in the keyspace).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sets the thresholds past which the hash leaves the listpack encoding.
    pub fn set_limits(&mut self, limits: ListpackLimits) {
        self.limits = limits;
    }

    /// True while the hash has Redis' compact (listpack) shape.
    pub fn is_listpack(&self) -> bool {
        matches!(self.repr, Repr::Small(_))
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match &self.repr {
            Repr::Small(v) => v
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.as_slice()),
            Repr::Table { map, .. } => map.get(field).map(Vec::as_slice),
        }
    }

    /// Sets `field` to `value`; true when the field is new. An existing field keeps its place.
    pub fn set(&mut self, field: &[u8], value: Vec<u8>) -> bool {
        if let Repr::Small(v) = &self.repr {
            let max = self.limits;
            let too_long = field.len() > max.value || value.len() > max.value;
            let exists = v.iter().any(|(f, _)| f == field);
            // hashTypeSet checks the length after every set, an update's too: a hash left past
            // a lowered hash-max-listpack-entries converts at its next write.
            if too_long || v.len() + usize::from(!exists) > max.entries {
                self.convert_to_table();
            }
        }
        let new_len = value.len();
        let old = match &mut self.repr {
            Repr::Small(v) => match v.iter_mut().find(|(f, _)| f == field) {
                Some((_, slot)) => Some(std::mem::replace(slot, value)),
                None => {
                    v.push((field.to_vec(), value));
                    None
                }
            },
            Repr::Table { map, slots } => match map.get_mut(field) {
                Some(slot) => Some(std::mem::replace(slot, value)),
                None => {
                    // _dictExpandIfNeeded: a full table doubles before the insertion.
                    if map.len() >= *slots {
                        *slots = dict_slots(map.len() + 1);
                    }
                    map.insert(field.to_vec(), value);
                    None
                }
            },
        };
        match old {
            Some(old) => {
                self.bytes = self.bytes + new_len - old.len();
                false
            }
            None => {
                self.bytes += PER_FIELD_BYTES + field.len() + new_len;
                true
            }
        }
    }

    /// Removes `field`; true when it was there. Fields after it keep their order.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        let removed = match &mut self.repr {
            Repr::Small(v) => v
                .iter()
                .position(|(f, _)| f == field)
                .map(|i| v.remove(i).1),
            Repr::Table { map, slots } => {
                let removed = map.remove(field);
                // hashTypeDelete: htNeedsResize, then dictResize to the smallest fitting size.
                if removed.is_some() && *slots > 4 && map.len() * 100 / *slots < 10 {
                    *slots = dict_slots(map.len());
                }
                removed
            }
        };
        match removed {
            Some(value) => {
                self.bytes -= PER_FIELD_BYTES + field.len() + value.len();
                true
            }
            None => false,
        }
    }

    /// Field-value pairs in the order HGETALL lists them.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (&[u8], &[u8])> + '_> {
        match &self.repr {
            Repr::Small(v) => Box::new(v.iter().map(|(f, v)| (f.as_slice(), v.as_slice()))),
            Repr::Table { map, .. } => {
                Box::new(map.iter().map(|(f, v)| (f.as_slice(), v.as_slice())))
            }
        }
    }

    /// The size of the hash table Redis would have for this hash; None while it is a listpack.
    pub fn table_slots(&self) -> Option<usize> {
        match &self.repr {
            Repr::Small(_) => None,
            Repr::Table { slots, .. } => Some(*slots),
        }
    }

    /// One HSCAN call from `cursor`: the cursor to continue from (0 at the end) and the pairs it
    /// returns, before MATCH filters them. A listpack returns everything at once with cursor 0, as
    /// in Redis; a table is walked bucket by bucket (see [`crate::engine::scan`]).
    pub fn scan(&self, cursor: u64, options: &ScanOptions<'_>) -> (u64, Vec<FieldValue<'_>>) {
        let (map, slots) = match &self.repr {
            Repr::Small(_) => return (0, self.iter().collect()),
            Repr::Table { map, slots } => (map, *slots),
        };
        let mut order: Vec<(u64, FieldValue<'_>)> = map
            .iter()
            .map(|(f, v)| (scan_hash(f).reverse_bits(), (f.as_slice(), v.as_slice())))
            .collect();
        order.sort_unstable_by_key(|(r, _)| *r);
        // scanGenericCommand doubles COUNT for a hash (a field and its value per element), in C's
        // wrapping arithmetic, and allows ten buckets per element asked for.
        let want = options.count.wrapping_mul(2);
        let max_iterations = want.wrapping_mul(10);
        let (next, range) = dict_scan(&order, slots, cursor, (want as u64, 2), max_iterations);
        (next, order[range].iter().map(|(_, pair)| *pair).collect())
    }

    /// Estimated bytes (payload plus a fixed overhead per field).
    pub fn approx_bytes(&self) -> usize {
        32 + self.bytes
    }

    fn convert_to_table(&mut self) {
        if let Repr::Small(v) = &mut self.repr {
            // hashTypeConvertListpack presizes the dict for the fields it holds.
            let slots = dict_slots(v.len());
            let map = std::mem::take(v).into_iter().collect();
            self.repr = Repr::Table { map, slots };
        }
    }
}
