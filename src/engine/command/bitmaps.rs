//! Bitmaps, as Redis' `bitops.c` does them on strings: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
//! BITFIELD and BITFIELD_RO.
//!
//! Bit 0 is the most significant bit of the first byte. Reads past the end of a string see zero
//! bits; writes grow it with zero bytes (a new or grown string is `raw`, as in Redis). Offsets stop
//! at Redis' 512 MB string limit, and the engine's memory guard refuses a write that would grow a
//! string past its byte limit before allocating anything.

use super::is;
use super::strings::PROTO_MAX_BULK_LEN;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;
use crate::engine::value::{Str, Value};

/// Redis' `getBitOffsetFromArgument`: a bit offset below 512 MB × 8. With `hash_bits` (BITFIELD),
/// `#n` means `n` times the field's width.
fn bit_offset(arg: &[u8], hash_bits: Option<u32>) -> Result<u64, Error> {
    let (digits, scale) = match (arg.split_first(), hash_bits) {
        (Some((b'#', rest)), Some(bits)) => (rest, i64::from(bits)),
        _ => (arg, 1),
    };
    let n = parse_i64(digits).ok_or(Error::BitOffset)?;
    // C's signed multiplication wraps on the machines Redis runs on; the check below catches it.
    let n = n.wrapping_mul(scale);
    match u64::try_from(n) {
        Ok(n) if n >> 3 < PROTO_MAX_BULK_LEN => Ok(n),
        _ => Err(Error::BitOffset),
    }
}

/// Redis' `lookupStringForBitCommand`: the string at `key`, created or grown with zero bytes so
/// that bit `max_bit` exists, made `raw`. Returns whether it was created or grown (a change Redis
/// signals even when no bit changes). The memory guard runs before anything grows.
fn string_for_bits<'a>(
    db: &'a mut Db,
    key: &[u8],
    max_bit: u64,
) -> Result<(&'a mut Vec<u8>, bool), Error> {
    // At most 512 MB: fits a usize on the 32-bit wasm target too.
    let len = (max_bit >> 3) as usize + 1;
    let old_len = db.str_mut(key)?.map(|s| s.len());
    db.check_growth(len.saturating_sub(old_len.unwrap_or(0)))?;
    if old_len.is_none() {
        db.set(key, Value::Str(Str::new_raw(vec![0; len])), false);
    }
    let bytes = match db.str_mut(key)? {
        Some(s) => s.raw_mut_for(len),
        // Created just above.
        None => return Err(Error::WrongType),
    };
    let grown = bytes.len() < len;
    if grown {
        bytes.resize(len, 0);
    }
    Ok((bytes, grown || old_len.is_none()))
}

/// Sets or clears one bit of the string at a key (growing it with zero bytes); replies the bit's
/// old value.
///
/// ```text
/// SETBIT key offset value
/// ```
pub fn setbit(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let offset = bit_offset(argv[2], None)?;
    let on = parse_i64(argv[3]).ok_or(Error::BitValue)?;
    if on & !1 != 0 {
        return Err(Error::BitValue);
    }
    let (bytes, dirty) = string_for_bits(db, key, offset)?;
    let byte = (offset >> 3) as usize;
    let mask = 1u8 << (7 - (offset & 7));
    let old = bytes[byte] & mask != 0;
    let changed = dirty || old != (on == 1);
    if changed {
        if on == 1 {
            bytes[byte] |= mask;
        } else {
            bytes[byte] &= !mask;
        }
        db.touch(key);
    } else {
        // Made raw: no change Redis signals, but the estimate follows.
        db.reaccount(key);
    }
    Ok(Reply::Integer(i64::from(old)))
}

/// The value of one bit of the string at a key (0 past its end or for a missing key).
///
/// ```text
/// GETBIT key offset
/// ```
pub fn getbit(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let offset = bit_offset(argv[2], None)?;
    let Some(s) = db.get_str(argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let bytes = s.to_bytes();
    let bit = usize::try_from(offset >> 3)
        .ok()
        .and_then(|byte| bytes.get(byte))
        .is_some_and(|b| b & (1 << (7 - (offset & 7))) != 0);
    Ok(Reply::Integer(i64::from(bit)))
}

/// A BITCOUNT or BITPOS range, parsed and clamped as `bitops.c` does: the bytes `start..=end` and,
/// in BIT mode, the masks of the bits outside the range in the first and last byte.
struct BitRange {
    start: i64,
    end: i64,
    first_mask: u8,
    last_mask: u8,
}

impl BitRange {
    /// Clamps `start..=end` (negative counting from the end) to a string of `len` bytes, counted
    /// in bits when `bits`.
    fn new(len: usize, mut start: i64, mut end: i64, bits: bool) -> BitRange {
        let mut total = len as i64;
        if bits {
            total <<= 3;
        }
        if start < 0 {
            start += total;
        }
        if end < 0 {
            end += total;
        }
        start = start.max(0);
        end = end.max(0).min(total - 1);
        let (mut first_mask, mut last_mask) = (0, 0);
        if bits && start <= end {
            first_mask = !((1u16 << (8 - (start & 7))) - 1) as u8;
            last_mask = ((1u16 << (7 - (end & 7))) - 1) as u8;
            start >>= 3;
            end >>= 3;
        }
        BitRange {
            start,
            end,
            first_mask,
            last_mask,
        }
    }
}

/// BIT or BYTE, as `strcasecmp` compares them.
fn bit_unit(arg: &[u8]) -> Result<bool, Error> {
    if is(arg, "bit") {
        Ok(true)
    } else if is(arg, "byte") {
        Ok(false)
    } else {
        Err(Error::Syntax)
    }
}

/// Counts the set bits of the string at a key, in a range of bytes (or bits with BIT).
///
/// ```text
/// BITCOUNT key [start end [BYTE | BIT]]
/// ```
pub fn bitcount(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let Some(s) = db.get_str(argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let bytes = s.to_bytes();
    let range = match argv.len() {
        2 => BitRange::new(bytes.len(), 0, -1, false),
        4 | 5 => {
            let start = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
            let end = parse_i64(argv[3]).ok_or(Error::NotInteger)?;
            if start < 0 && end < 0 && start > end {
                return Ok(Reply::Integer(0));
            }
            let bits = match argv.get(4) {
                Some(unit) => bit_unit(unit)?,
                None => false,
            };
            BitRange::new(bytes.len(), start, end, bits)
        }
        _ => return Err(Error::Syntax),
    };
    if range.start > range.end {
        return Ok(Reply::Integer(0));
    }
    let (start, end) = (range.start as usize, range.end as usize);
    let mut count: u32 = bytes[start..=end].iter().map(|b| b.count_ones()).sum();
    count -= (bytes[start] & range.first_mask).count_ones();
    count -= (bytes[end] & range.last_mask).count_ones();
    Ok(Reply::Integer(i64::from(count)))
}

/// Redis' `redisBitpos`: the first bit equal to `bit` in `bytes`; for 0 the string counts as
/// padded with zeros on the right (so `8 × len` when every bit is 1), for 1 -1 when there is none.
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    let skip = if bit { 0 } else { 0xff };
    match bytes.iter().position(|&b| b != skip) {
        Some(i) => {
            let b = if bit { bytes[i] } else { !bytes[i] };
            i as i64 * 8 + i64::from(b.leading_zeros())
        }
        None if bit => -1,
        None => bytes.len() as i64 * 8,
    }
}

/// The position of the first bit set to 1 or 0 in the string at a key, in a range of bytes (or
/// bits with BIT).
///
/// ```text
/// BITPOS key bit [start [end [BYTE | BIT]]]
/// ```
/// A missing key is all zeros: 0 for the first clear bit, -1 for a set one. Without an end, the
/// string counts as padded with zeros (a clear bit is found past its end); with one, -1 means none.
pub fn bitpos(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let bit = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    if bit != 0 && bit != 1 {
        return Err(Error::BitposBit);
    }
    let bit = bit == 1;
    let Some(s) = db.get_str(argv[1])? else {
        return Ok(Reply::Integer(if bit { -1 } else { 0 }));
    };
    let p = s.to_bytes();
    let mut end_given = false;
    let range = match argv.len() {
        3 => BitRange::new(p.len(), 0, -1, false),
        4..=6 => {
            let start = parse_i64(argv[3]).ok_or(Error::NotInteger)?;
            let bits = match argv.get(5) {
                Some(unit) => bit_unit(unit)?,
                None => false,
            };
            let end = match argv.get(4) {
                Some(end) => {
                    end_given = true;
                    parse_i64(end).ok_or(Error::NotInteger)?
                }
                None => -1,
            };
            BitRange::new(p.len(), start, end, bits)
        }
        _ => return Err(Error::Syntax),
    };
    if range.start > range.end {
        return Ok(Reply::Integer(-1));
    }
    // bitposCommand's walk: the partial first byte, the whole bytes, the partial last byte; `start`
    // and `bytes` move as it goes, and the answer is relative to where it stopped.
    let (mut start, end) = (range.start as usize, range.end as usize);
    let mut bytes = end - start + 1;
    let masked = |byte: u8, mask: u8| if bit { byte & !mask } else { byte | mask };
    let pos = 'found: {
        if range.first_mask != 0 {
            let mut byte = masked(p[start], range.first_mask);
            if range.last_mask != 0 && bytes == 1 {
                byte = masked(byte, range.last_mask);
            }
            let pos = first_bit(&[byte], bit);
            if bytes == 1 || (pos != -1 && pos != 8) {
                break 'found pos;
            }
            start += 1;
            bytes -= 1;
        }
        let whole = bytes - usize::from(range.last_mask != 0);
        if whole > 0 {
            let pos = first_bit(&p[start..start + whole], bit);
            if bytes == whole || (pos != -1 && pos != whole as i64 * 8) {
                break 'found pos;
            }
            start += whole;
            bytes -= whole;
        }
        first_bit(&[masked(p[end], range.last_mask)], bit)
    };
    if end_given && !bit && pos == bytes as i64 * 8 {
        return Ok(Reply::Integer(-1));
    }
    Ok(Reply::Integer(if pos == -1 {
        -1
    } else {
        pos + start as i64 * 8
    }))
}

/// A BITOP operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// Combines the strings at source keys bit by bit into a destination key (shorter strings count
/// as padded with zero bytes); replies the result's length. An empty result deletes the
/// destination.
///
/// ```text
/// BITOP AND | OR | XOR | NOT destkey key [key ...]
/// ```
pub fn bitop(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let op = if is(argv[1], "and") {
        BitOp::And
    } else if is(argv[1], "or") {
        BitOp::Or
    } else if is(argv[1], "xor") {
        BitOp::Xor
    } else if is(argv[1], "not") {
        BitOp::Not
    } else {
        return Err(Error::Syntax);
    };
    if op == BitOp::Not && argv.len() != 4 {
        return Err(Error::BitopNotSingleKey);
    }
    let dest = argv[2];
    let mut sources = Vec::with_capacity(argv.len() - 3);
    for key in &argv[3..] {
        sources.push(match db.get_str(key)? {
            Some(s) => s.to_bytes().into_owned(),
            None => Vec::new(),
        });
    }
    let len = sources.iter().map(Vec::len).max().unwrap_or(0);
    if len == 0 {
        db.remove(dest);
        return Ok(Reply::Integer(0));
    }
    let byte = |source: &Vec<u8>, j: usize| source.get(j).copied().unwrap_or(0);
    let result: Vec<u8> = (0..len)
        .map(|j| {
            let first = byte(&sources[0], j);
            let rest = sources[1..].iter().map(|s| byte(s, j));
            match op {
                BitOp::And => rest.fold(first, |a, b| a & b),
                BitOp::Or => rest.fold(first, |a, b| a | b),
                BitOp::Xor => rest.fold(first, |a, b| a ^ b),
                BitOp::Not => !first,
            }
        })
        .collect();
    db.set(dest, Value::Str(Str::new_raw(result)), false);
    Ok(Reply::Integer(len as i64))
}

/// BITFIELD's OVERFLOW behaviour.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

/// One BITFIELD operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldOp {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// A BITFIELD integer type: `i1`..`i64` or `u1`..`u63`.
#[derive(Clone, Copy)]
struct FieldType {
    signed: bool,
    bits: u32,
}

impl FieldType {
    /// Redis' `getBitfieldTypeFromArgument` (the width is read as a C string, up to a NUL).
    fn parse(arg: &[u8]) -> Result<FieldType, Error> {
        let signed = match arg.first() {
            Some(b'i') => true,
            Some(b'u') => false,
            _ => return Err(Error::BitfieldType),
        };
        let bits = parse_i64(super::c_str(&arg[1..])).ok_or(Error::BitfieldType)?;
        let max = if signed { 64 } else { 63 };
        if !(1..=max).contains(&bits) {
            return Err(Error::BitfieldType);
        }
        Ok(FieldType {
            signed,
            bits: bits as u32,
        })
    }

    /// The field's bits at `offset` in `bytes` (zero past the end), as an unsigned number.
    fn read(self, bytes: &[u8], offset: u64) -> u64 {
        let mut value = 0u64;
        for j in 0..u64::from(self.bits) {
            let at = offset + j;
            let byte = usize::try_from(at >> 3)
                .ok()
                .and_then(|i| bytes.get(i))
                .copied()
                .unwrap_or(0);
            value = (value << 1) | u64::from((byte >> (7 - (at & 7))) & 1);
        }
        value
    }

    /// The field at `offset`, sign-extended when signed.
    fn get(self, bytes: &[u8], offset: u64) -> i64 {
        let raw = self.read(bytes, offset);
        if self.signed && self.bits < 64 && raw & (1 << (self.bits - 1)) != 0 {
            (raw | (u64::MAX << self.bits)) as i64
        } else {
            raw as i64
        }
    }

    /// Writes the low `bits` of `value` at `offset` (the string is long enough).
    fn write(self, bytes: &mut [u8], offset: u64, value: u64) {
        for j in 0..u64::from(self.bits) {
            let on = value & (1 << (u64::from(self.bits) - 1 - j)) != 0;
            let at = offset + j;
            let mask = 1u8 << (7 - (at & 7));
            if let Some(byte) = bytes.get_mut((at >> 3) as usize) {
                if on {
                    *byte |= mask;
                } else {
                    *byte &= !mask;
                }
            }
        }
    }

    /// `value + incr` in this type under `overflow`: the result, and whether it overflowed
    /// (`checkSignedBitfieldOverflow` / `checkUnsignedBitfieldOverflow`, wrapping as C does).
    fn add(self, value: i64, incr: i64, overflow: Overflow) -> (i64, bool) {
        let bits = self.bits;
        let wrapped = |c: u64| -> i64 {
            if self.signed {
                if bits == 64 {
                    c as i64
                } else if c & (1 << (bits - 1)) != 0 {
                    (c | (u64::MAX << bits)) as i64
                } else {
                    (c & !(u64::MAX << bits)) as i64
                }
            } else {
                (c & !(u64::MAX << bits)) as i64
            }
        };
        let sum = (value as u64).wrapping_add(incr as u64);
        let over = if self.signed {
            let max = if bits == 64 {
                i64::MAX
            } else {
                (1i64 << (bits - 1)) - 1
            };
            let min = -max - 1;
            let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
            let min_incr = min.wrapping_sub(value);
            if value > max
                || (bits != 64 && incr > max_incr)
                || (value >= 0 && incr > 0 && incr > max_incr)
            {
                Some(max)
            } else if value < min
                || (bits != 64 && incr < min_incr)
                || (value < 0 && incr < 0 && incr < min_incr)
            {
                Some(min)
            } else {
                None
            }
        } else {
            let max = (1u64 << bits) - 1;
            let value = value as u64;
            let max_incr = max.wrapping_sub(value) as i64;
            let min_incr = value.wrapping_neg() as i64;
            if value > max || (incr > 0 && incr > max_incr) {
                Some(max as i64)
            } else if incr < 0 && incr < min_incr {
                Some(0)
            } else {
                None
            }
        };
        match (over, overflow) {
            (None, _) => (sum as i64, false),
            (Some(_), Overflow::Wrap) => (wrapped(sum), true),
            (Some(limit), Overflow::Sat) => (limit, true),
            (Some(_), Overflow::Fail) => (0, true),
        }
    }
}

/// Reads and writes integers of any width from 1 to 64 bits at any bit offset of the string at a
/// key, in one atomic command.
///
/// ```text
/// BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL]
///     <SET encoding offset value | INCRBY encoding offset increment> ...]
/// ```
/// Replies one entry per GET, SET (the old value) and INCRBY (the new value); with OVERFLOW FAIL
/// an overflowing SET or INCRBY writes nothing and replies nil — `OVERFLOW FAIL INCRBY u8 0 -1` is
/// a decrement that stops at zero.
pub fn bitfield(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    bitfield_generic(db, argv, false)
}

/// BITFIELD with GET only, for read-only replicas and scripts.
///
/// ```text
/// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
/// ```
pub fn bitfield_ro(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    bitfield_generic(db, argv, true)
}

/// Redis' `bitfieldGeneric`: every operation is parsed before any runs.
fn bitfield_generic(db: &mut Db, argv: &[&[u8]], read_only: bool) -> Result<Reply, Error> {
    let key = argv[1];
    let mut ops: Vec<(FieldOp, FieldType, u64, Overflow)> = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut highest_write: Option<u64> = None;
    let mut j = 2;
    while j < argv.len() {
        let more = argv.len() - j - 1;
        let sub = argv[j];
        let get = is(sub, "get") && more >= 2;
        if !get && is(sub, "overflow") && more >= 1 {
            let kind = argv[j + 1];
            overflow = if is(kind, "wrap") {
                Overflow::Wrap
            } else if is(kind, "sat") {
                Overflow::Sat
            } else if is(kind, "fail") {
                Overflow::Fail
            } else {
                return Err(Error::BitfieldOverflowType);
            };
            j += 2;
            continue;
        }
        if !get && !((is(sub, "set") || is(sub, "incrby")) && more >= 3) {
            return Err(Error::Syntax);
        }
        let kind = FieldType::parse(argv[j + 1])?;
        let offset = bit_offset(argv[j + 2], Some(kind.bits))?;
        let op = if get {
            FieldOp::Get
        } else {
            let last = offset + u64::from(kind.bits) - 1;
            highest_write = Some(highest_write.map_or(last, |h| h.max(last)));
            let n = parse_i64(argv[j + 3]).ok_or(Error::NotInteger)?;
            if is(sub, "set") {
                FieldOp::Set(n)
            } else {
                FieldOp::IncrBy(n)
            }
        };
        ops.push((op, kind, offset, overflow));
        j += if get { 3 } else { 4 };
    }

    let Some(highest) = highest_write else {
        // Only GETs: a read, zero bits past the end or for a missing key.
        let bytes = match db.get_str(key)? {
            Some(s) => s.to_bytes().into_owned(),
            None => Vec::new(),
        };
        let replies = ops
            .iter()
            .map(|&(_, kind, offset, _)| Reply::Integer(kind.get(&bytes, offset)))
            .collect();
        return Ok(Reply::Array(replies));
    };
    if read_only {
        return Err(Error::BitfieldReadOnly);
    }
    let (bytes, dirty) = string_for_bits(db, key, highest)?;
    let mut changes = 0;
    let mut replies = Vec::with_capacity(ops.len());
    for (op, kind, offset, overflow) in ops {
        let old = kind.get(bytes, offset);
        let (new, reply, overflowed) = match op {
            FieldOp::Get => {
                replies.push(Reply::Integer(old));
                continue;
            }
            FieldOp::IncrBy(by) => {
                let (new, overflowed) = kind.add(old, by, overflow);
                (new, new, overflowed)
            }
            FieldOp::Set(value) => {
                let (new, overflowed) = kind.add(value, 0, overflow);
                (new, old, overflowed)
            }
        };
        if overflowed && overflow == Overflow::Fail {
            replies.push(Reply::Nil);
            continue;
        }
        replies.push(Reply::Integer(reply));
        kind.write(bytes, offset, new as u64);
        if dirty || old != kind.get(bytes, offset) {
            changes += 1;
        }
    }
    if changes > 0 {
        db.touch(key);
    } else {
        db.reaccount(key);
    }
    Ok(Reply::Array(replies))
}
