//! The values a key can hold.

use super::hash::Hash;
use super::sorted_set::SortedSet;

/// A key's value: one of the three types the engine supports.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string (counters are strings holding a decimal integer, as in Redis).
    Str(Vec<u8>),
    /// A hash of field → value.
    Hash(Hash),
    /// A sorted set of member → score.
    ZSet(SortedSet),
}

/// The type of a value, as `TYPE` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// `string`
    Str,
    /// `hash`
    Hash,
    /// `zset`
    ZSet,
}

impl ValueType {
    /// The name `TYPE` answers.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Str => "string",
            ValueType::Hash => "hash",
            ValueType::ZSet => "zset",
        }
    }
}

impl Value {
    /// This value's type.
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Str(_) => ValueType::Str,
            Value::Hash(_) => ValueType::Hash,
            Value::ZSet(_) => ValueType::ZSet,
        }
    }

    /// An estimate of the bytes this value takes (payload plus per-element overhead), for the memory
    /// guard. O(1): the collections keep a running total.
    pub fn approx_bytes(&self) -> usize {
        match self {
            Value::Str(s) => 16 + s.len(),
            Value::Hash(h) => h.approx_bytes(),
            Value::ZSet(z) => z.approx_bytes(),
        }
    }
}
