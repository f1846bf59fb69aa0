//! The values a key can hold.

use std::borrow::Cow;

use super::hash::Hash;
use super::number::{parse_i64, push_i64};
use super::set::Set;
use super::sorted_set::SortedSet;

/// A string value.
///
/// Like Redis (`tryObjectEncoding`), a string that is the canonical decimal form of an i64 — what
/// `string2ll` accepts — is kept as the integer, so INCR neither parses nor prints. Nothing
/// observable changes: the integer's decimal form is exactly the bytes that were stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Str {
    /// An integer in canonical form.
    Int(i64),
    /// Any other bytes.
    Bytes(Vec<u8>),
}

impl Str {
    /// The string holding `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Str {
        match parse_i64(bytes) {
            Some(n) => Str::Int(n),
            None => Str::Bytes(bytes.to_vec()),
        }
    }

    /// The string's integer value, when it is one (what INCR reads).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Str::Int(n) => Some(*n),
            Str::Bytes(b) => parse_i64(b),
        }
    }

    /// The string's bytes.
    pub fn to_bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Str::Int(n) => {
                let mut out = Vec::with_capacity(20);
                push_i64(&mut out, *n);
                Cow::Owned(out)
            }
            Str::Bytes(b) => Cow::Borrowed(b),
        }
    }

    /// Replaces the value with `bytes`, reusing the buffer when it can.
    pub fn set_bytes(&mut self, bytes: &[u8]) {
        match (parse_i64(bytes), &mut *self) {
            (Some(n), _) => *self = Str::Int(n),
            (None, Str::Bytes(b)) => {
                b.clear();
                b.extend_from_slice(bytes);
            }
            (None, _) => *self = Str::Bytes(bytes.to_vec()),
        }
    }

    /// The length in bytes (STRLEN).
    pub fn len(&self) -> usize {
        match self {
            Str::Int(n) => {
                let digits = n
                    .unsigned_abs()
                    .checked_ilog10()
                    .map_or(1, |d| d as usize + 1);
                digits + usize::from(*n < 0)
            }
            Str::Bytes(b) => b.len(),
        }
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A key's value: one of the types the engine supports.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string (counters are strings holding a decimal integer, as in Redis).
    Str(Str),
    /// A hash of field → value.
    Hash(Hash),
    /// A sorted set of member → score.
    ZSet(SortedSet),
    /// A set of distinct members.
    Set(Set),
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
    /// `set`
    Set,
}

impl ValueType {
    /// The name `TYPE` answers.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Str => "string",
            ValueType::Hash => "hash",
            ValueType::ZSet => "zset",
            ValueType::Set => "set",
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
            Value::Set(_) => ValueType::Set,
        }
    }

    /// An estimate of the bytes this value takes (payload plus per-element overhead), for the memory
    /// guard. O(1): the collections keep a running total.
    pub fn approx_bytes(&self) -> usize {
        match self {
            Value::Str(s) => 16 + s.len(),
            Value::Hash(h) => h.approx_bytes(),
            Value::ZSet(z) => z.approx_bytes(),
            Value::Set(s) => s.approx_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Str;

    #[test]
    fn canonical_integers_are_kept_as_integers_and_print_back_unchanged() {
        for text in [
            "0",
            "-1",
            "42",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            let s = Str::from_bytes(text.as_bytes());
            assert!(matches!(s, Str::Int(_)), "{text}");
            assert_eq!(&*s.to_bytes(), text.as_bytes());
            assert_eq!(s.len(), text.len());
        }
        for text in [
            "01",
            "+1",
            " 1",
            "1.0",
            "",
            "-0",
            "abc",
            "99999999999999999999",
        ] {
            let s = Str::from_bytes(text.as_bytes());
            assert_eq!(s, Str::Bytes(text.as_bytes().to_vec()), "{text:?}");
            assert_eq!(s.as_int(), None);
            assert_eq!(s.len(), text.len());
        }
        let mut s = Str::from_bytes(b"abc");
        s.set_bytes(b"17");
        assert_eq!(s, Str::Int(17));
        s.set_bytes(b"x");
        assert_eq!(&*s.to_bytes(), b"x");
    }
}
