//! The values a key can hold.

use std::borrow::Cow;

use super::hash::Hash;
use super::list::List;
use super::number::{parse_i64, push_i64};
use super::set::Set;
use super::sorted_set::SortedSet;

/// Redis' `OBJ_ENCODING_EMBSTR_SIZE_LIMIT`: strings up to this many bytes are created embstr.
pub const EMBSTR_MAX_LEN: usize = 44;

/// A string value, in the encoding Redis 7.0 would give it (OBJECT ENCODING shows it).
///
/// Like Redis (`tryObjectEncoding`), a string stored by SET, MSET, APPEND on a new key, … that is the
/// canonical decimal form of an i64 — what `string2ll` accepts — is kept as the integer, so INCR
/// neither parses nor prints; nothing else observable changes: the integer's decimal form is exactly
/// the bytes that were stored. Other bytes are `embstr` up to 44 bytes and `raw` beyond
/// (`createStringObject`), except that a string modified in place (APPEND, SETRANGE, SETBIT,
/// BITFIELD) or built by one of them or BITOP is `raw` at any length (`dbUnshareStringValue`,
/// `createObject`) until a new value replaces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Str {
    /// An integer in canonical form (`int`).
    Int(i64),
    /// Bytes as `createStringObject` keeps them: `embstr` up to [`EMBSTR_MAX_LEN`], `raw` beyond.
    Bytes(Vec<u8>),
    /// Bytes Redis keeps `raw` whatever their length.
    Raw(Vec<u8>),
}

/// A string's encoding, as OBJECT ENCODING names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StrEncoding {
    /// `int`
    Int,
    /// `embstr`
    Embstr,
    /// `raw`
    Raw,
}

impl StrEncoding {
    /// The name OBJECT ENCODING answers.
    pub fn name(self) -> &'static str {
        match self {
            StrEncoding::Int => "int",
            StrEncoding::Embstr => "embstr",
            StrEncoding::Raw => "raw",
        }
    }
}

impl Str {
    /// The string holding `bytes`, encoded as `tryObjectEncoding` does (an integer when it can).
    pub fn from_bytes(bytes: &[u8]) -> Str {
        match parse_i64(bytes) {
            Some(n) => Str::Int(n),
            None => Str::Bytes(bytes.to_vec()),
        }
    }

    /// The string holding `bytes` as `createStringObject` makes it: never an integer (INCRBYFLOAT's
    /// `"3"` is `embstr`).
    pub fn from_text(bytes: Vec<u8>) -> Str {
        Str::Bytes(bytes)
    }

    /// The string's encoding.
    pub fn encoding(&self) -> StrEncoding {
        match self {
            Str::Int(_) => StrEncoding::Int,
            Str::Bytes(b) if b.len() <= EMBSTR_MAX_LEN => StrEncoding::Embstr,
            Str::Bytes(_) | Str::Raw(_) => StrEncoding::Raw,
        }
    }

    /// The string's integer value, when it is one (what INCR reads).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Str::Int(n) => Some(*n),
            Str::Bytes(b) | Str::Raw(b) => parse_i64(b),
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
            Str::Bytes(b) | Str::Raw(b) => Cow::Borrowed(b),
        }
    }

    /// The bytes, to modify in place: the string becomes `raw` (Redis' `dbUnshareStringValue`), an
    /// integer its decimal form.
    ///
    /// A `raw` string's vector capacity stands for its sds string's `alloc`, which MEMORY USAGE
    /// reports and APPEND fills before it grows: when the string is made raw here
    /// (`createRawStringObject`), the room a new sds string of its length gets
    /// ([`memory::sds_new_alloc`](super::memory::sds_new_alloc)), grown only through
    /// [`Str::raw_mut_for`].
    pub fn raw_mut(&mut self) -> &mut Vec<u8> {
        match self {
            Str::Raw(bytes) => bytes,
            Str::Int(_) | Str::Bytes(_) => {
                *self = Str::Raw(match std::mem::replace(self, Str::Raw(Vec::new())) {
                    // Already raw in Redis: the argument's own sds string, made for its length
                    // and trimmed by tryObjectEncoding when over a tenth of it was spare.
                    Str::Bytes(bytes) if bytes.len() > EMBSTR_MAX_LEN => {
                        let mut bytes = Str::fresh_sds(bytes);
                        if bytes.capacity() - bytes.len() > bytes.len() / 10 {
                            bytes.shrink_to_fit();
                        }
                        bytes
                    }
                    // An embstr or an integer: a new raw copy.
                    Str::Bytes(bytes) => Str::fresh_sds(bytes),
                    other => Str::fresh_sds(other.to_bytes().into_owned()),
                });
                self.raw_mut()
            }
        }
    }

    /// A `raw` string made of a new sds string (`createObject(OBJ_STRING, sdsnewlen(…))`, as
    /// SETRANGE, SETBIT, BITFIELD and BITOP make one): its room is a new sds string's.
    pub fn new_raw(bytes: Vec<u8>) -> Str {
        Str::Raw(Str::fresh_sds(bytes))
    }

    /// `dupStringObject`: a copy of its own, a `raw` one with a new sds string's room.
    pub fn duplicate(&self) -> Str {
        match self {
            Str::Raw(bytes) => Str::Raw(Str::fresh_sds(bytes.clone())),
            Str::Bytes(bytes) if bytes.len() > EMBSTR_MAX_LEN => {
                Str::Raw(Str::fresh_sds(bytes.clone()))
            }
            other => other.clone(),
        }
    }

    /// `bytes` with the capacity of a new sds string of their length.
    fn fresh_sds(mut bytes: Vec<u8>) -> Vec<u8> {
        bytes.shrink_to_fit();
        let alloc = super::memory::sds_new_alloc(bytes.len());
        bytes.reserve_exact(alloc - bytes.len());
        bytes
    }

    /// [`Str::raw_mut`], with room for `len` bytes made as Redis' `sdsMakeRoomFor` makes it when
    /// they do not fit: greedily (twice `len` below 1 MB, 1 MB more above), then whatever the
    /// allocator's size class leaves over. APPEND, SETRANGE, SETBIT and BITFIELD grow a string so.
    pub fn raw_mut_for(&mut self, len: usize) -> &mut Vec<u8> {
        let bytes = self.raw_mut();
        if len > bytes.capacity() {
            let alloc = super::memory::sds_greedy_alloc(len);
            bytes.reserve_exact(alloc - bytes.len());
        }
        bytes
    }

    /// Replaces the value with `bytes` as SET does (an integer when it can), reusing the buffer
    /// when it can.
    pub fn set_bytes(&mut self, bytes: &[u8]) {
        match (parse_i64(bytes), &mut *self) {
            (Some(n), _) => *self = Str::Int(n),
            (None, Str::Bytes(b)) => {
                b.clear();
                b.extend_from_slice(bytes);
            }
            (None, Str::Raw(b)) => {
                let mut buffer = std::mem::take(b);
                buffer.clear();
                buffer.extend_from_slice(bytes);
                *self = Str::Bytes(buffer);
            }
            (None, Str::Int(_)) => *self = Str::Bytes(bytes.to_vec()),
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
            Str::Bytes(b) | Str::Raw(b) => b.len(),
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
    /// A list of elements, head first.
    List(List),
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
    /// `list`
    List,
}

impl ValueType {
    /// The name `TYPE` answers.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Str => "string",
            ValueType::Hash => "hash",
            ValueType::ZSet => "zset",
            ValueType::Set => "set",
            ValueType::List => "list",
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
            Value::List(_) => ValueType::List,
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
            Value::List(l) => l.approx_bytes(),
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
