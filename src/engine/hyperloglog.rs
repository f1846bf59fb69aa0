//! HyperLogLog, byte for byte as Redis 7.0 keeps it (`hyperloglog.c`), so that PFCOUNT answers the
//! same estimate to the unit and GET of the key the same bytes.
//!
//! A HyperLogLog is a string: a 16-byte header — `HYLL`, the encoding (0 dense, 1 sparse), three
//! unused bytes, the cached cardinality as 8 little-endian bytes whose top bit set means "stale" —
//! then the registers. There are 16384 registers (the low 14 bits of an element's 64-bit
//! MurmurHash64A, seed `0xadc83b19`, pick one); each keeps the longest run of zeros-then-a-one seen
//! in the other 50 bits, plus one. Dense: 6 bits a register, least significant bits first, 12288
//! bytes. Sparse: run-length opcodes — `00xxxxxx` ZERO (1 to 64 zero registers), `01xxxxxx
//! yyyyyyyy` XZERO (1 to 16384), `1vvvvvxx` VAL (1 to 4 registers of value 1 to 32). A new
//! HyperLogLog is sparse; it turns dense for good when a register needs a value over 32 or the
//! string would pass `hll-sparse-max-bytes` (3000). The estimate is Otmar Ertl's improved
//! estimator over the registers' histogram, as in Redis 7.0.
//!
//! A learner can SET any bytes, `HYLL` included, so every function here reads a representation it
//! cannot trust: corrupt sparse data is [`Corrupt`] where Redis reports it, and never a panic where
//! Redis would read past the end (the bytes past a string's end read as Redis' terminating zero).

/// Bytes of the header.
pub const HEADER_LEN: usize = 16;
/// Number of registers (`HLL_REGISTERS`, 2^14).
pub const REGISTERS: usize = 1 << P;
/// Bytes of a dense HyperLogLog, header included.
pub const DENSE_LEN: usize = HEADER_LEN + (REGISTERS * BITS).div_ceil(8);
/// `hll-sparse-max-bytes`' default: a sparse HyperLogLog that would grow past it turns dense.
pub const SPARSE_MAX_BYTES: usize = 3000;

const P: usize = 14;
const Q: usize = 64 - P;
const BITS: usize = 6;
const REGISTER_MAX: u8 = (1 << BITS) - 1;
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const SPARSE_VAL_MAX_VALUE: u8 = 32;
const SPARSE_VAL_MAX_LEN: usize = 4;
const SPARSE_ZERO_MAX_LEN: usize = 64;
const SPARSE_XZERO_MAX_LEN: usize = 16384;
/// 0.5 / ln 2, as Redis writes it.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The representation is corrupt (Redis' `INVALIDOBJ Corrupted HLL object detected`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrupt;

/// MurmurHash2, 64-bit version, endian-neutral as Redis modified it.
pub fn murmur64a(key: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (key.len() as u64).wrapping_mul(M);
    let mut chunks = key.chunks_exact(8);
    for chunk in &mut chunks {
        let mut k = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// `hllPatLen`: the register an element goes to, and its run of zeros plus one (1 to 51).
fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash as usize) & (REGISTERS - 1);
    let rest = (hash >> P) | (1 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// A new, empty HyperLogLog: sparse, one XZERO over all registers (Redis' `createHLLObject`).
pub fn new_sparse() -> Vec<u8> {
    let mut hll = vec![0u8; HEADER_LEN];
    hll[..4].copy_from_slice(b"HYLL");
    hll[4] = SPARSE;
    let mut left = REGISTERS;
    while left > 0 {
        let run = left.min(SPARSE_XZERO_MAX_LEN);
        hll.extend_from_slice(&xzero(run));
        left -= run;
    }
    hll
}

/// True when `bytes` pass Redis' `isHLLObjectOrReply` (for a string that is not integer-encoded):
/// long enough for the header, `HYLL`, a known encoding, and exactly the dense length if dense.
pub fn is_valid(bytes: &[u8]) -> bool {
    bytes.len() >= HEADER_LEN
        && bytes.starts_with(b"HYLL")
        && bytes[4] <= SPARSE
        && (bytes[4] != DENSE || bytes.len() == DENSE_LEN)
}

/// True for the sparse encoding (the encoding must be valid).
pub fn is_sparse(hll: &[u8]) -> bool {
    hll[4] == SPARSE
}

/// The cached cardinality, when it is not stale.
pub fn cached_count(hll: &[u8]) -> Option<u64> {
    let card: [u8; 8] = hll[8..16].try_into().ok()?;
    (card[7] & 0x80 == 0).then(|| u64::from_le_bytes(card))
}

/// Caches `count` in the header (as Redis does, its top bit is not checked).
pub fn set_cached_count(hll: &mut [u8], count: u64) {
    hll[8..16].copy_from_slice(&count.to_le_bytes());
}

/// Marks the cached cardinality stale.
pub fn invalidate(hll: &mut [u8]) {
    hll[15] |= 0x80;
}

/// Adds `element`: true when a register changed. The HyperLogLog may turn dense.
pub fn add(hll: &mut Vec<u8>, element: &[u8]) -> Result<bool, Corrupt> {
    let (index, count) = pattern(element);
    set_register(hll, index, count)
}

/// Raises register `index` to `count` if it is lower (`hllDenseSet` / `hllSparseSet`): true when it
/// changed.
pub fn set_register(hll: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    match hll[4] {
        DENSE => Ok(dense_set(&mut hll[HEADER_LEN..], index, count)),
        SPARSE => sparse_set(hll, index, count),
        _ => Err(Corrupt),
    }
}

fn dense_get(registers: &[u8], index: usize) -> u8 {
    let byte = index * BITS / 8;
    let shift = (index * BITS) & 7;
    let b0 = u16::from(registers.get(byte).copied().unwrap_or(0));
    let b1 = u16::from(registers.get(byte + 1).copied().unwrap_or(0));
    ((b0 >> shift | b1 << (8 - shift)) & u16::from(REGISTER_MAX)) as u8
}

fn dense_put(registers: &mut [u8], index: usize, value: u8) {
    let byte = index * BITS / 8;
    let shift = (index * BITS) & 7;
    let value = u16::from(value);
    let max = u16::from(REGISTER_MAX);
    if let Some(b) = registers.get_mut(byte) {
        *b = ((u16::from(*b) & !(max << shift)) | value << shift) as u8;
    }
    // The last register's second byte is Redis' terminating zero, which this leaves untouched.
    if let Some(b) = registers.get_mut(byte + 1) {
        *b = ((u16::from(*b) & !(max >> (8 - shift))) | value >> (8 - shift)) as u8;
    }
}

fn dense_set(registers: &mut [u8], index: usize, count: u8) -> bool {
    if count > dense_get(registers, index) {
        dense_put(registers, index, count);
        true
    } else {
        false
    }
}

/// One sparse opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Zero(usize),
    Xzero(usize),
    Val(u8, usize),
}

impl Op {
    /// The opcode at `at` (a byte past the end reads as 0, as Redis' terminator does).
    fn read(bytes: &[u8], at: usize) -> Op {
        let b = bytes.get(at).copied().unwrap_or(0);
        if b & 0xc0 == 0 {
            Op::Zero(usize::from(b & 0x3f) + 1)
        } else if b & 0x80 == 0 {
            let low = bytes.get(at + 1).copied().unwrap_or(0);
            Op::Xzero((usize::from(b & 0x3f) << 8 | usize::from(low)) + 1)
        } else {
            Op::Val((b >> 2 & 0x1f) + 1, usize::from(b & 3) + 1)
        }
    }

    fn span(self) -> usize {
        match self {
            Op::Zero(n) | Op::Xzero(n) | Op::Val(_, n) => n,
        }
    }

    fn len(self) -> usize {
        match self {
            Op::Xzero(_) => 2,
            _ => 1,
        }
    }
}

fn val(value: u8, len: usize) -> u8 {
    0x80 | (value - 1) << 2 | (len - 1) as u8
}

fn zero(len: usize) -> u8 {
    (len - 1) as u8
}

fn xzero(len: usize) -> [u8; 2] {
    let l = len - 1;
    [0x40 | (l >> 8) as u8, l as u8]
}

/// A run of `len` zero registers: ZERO up to 64, else XZERO.
fn zeros(out: &mut Vec<u8>, len: usize) {
    if len > SPARSE_ZERO_MAX_LEN {
        out.extend_from_slice(&xzero(len));
    } else {
        out.push(zero(len));
    }
}

/// `hllSparseSet`, step for step: find the opcode covering `index`, split it around the new VAL,
/// merge equal neighbouring VALs, or turn dense when the value or the size calls for it.
fn sparse_set(hll: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    if count > SPARSE_VAL_MAX_VALUE {
        return promote(hll, index, count);
    }
    // Step 1: the opcode covering `index`.
    let end = hll.len();
    let (mut p, mut first, mut span) = (HEADER_LEN, 0usize, 0usize);
    let mut prev = None;
    let mut op = Op::Zero(0);
    while p < end {
        op = Op::read(hll, p);
        span = op.span();
        if index < first + span {
            break;
        }
        prev = Some(p);
        p += op.len();
        first += span;
    }
    if span == 0 || p >= end {
        return Err(Corrupt);
    }

    // Step 2: update in place, or build the sequence that replaces the opcode.
    let in_place = match op {
        Op::Val(old, _) if old >= count => return Ok(false),
        Op::Val(_, 1) | Op::Zero(1) => true,
        _ => false,
    };
    if in_place {
        hll[p] = val(count, 1);
    } else {
        let last = first + span - 1;
        let mut seq = Vec::with_capacity(5);
        match op {
            Op::Val(current, _) => {
                if index != first {
                    seq.push(val(current, index - first));
                }
                seq.push(val(count, 1));
                if index != last {
                    seq.push(val(current, last - index));
                }
            }
            _ => {
                if index != first {
                    zeros(&mut seq, index - first);
                }
                seq.push(val(count, 1));
                if index != last {
                    zeros(&mut seq, last - index);
                }
            }
        }
        // Step 3: put the sequence in the opcode's place.
        let grows = seq.len().saturating_sub(op.len());
        if grows > 0 && end + grows > SPARSE_MAX_BYTES {
            return promote(hll, index, count);
        }
        // An XZERO whose second byte lies past the end (a corrupt string) counts as two bytes.
        let new_len = end + seq.len() - op.len();
        hll.splice(p..(p + op.len()).min(end), seq);
        hll.resize(new_len, 0);
    }

    // Step 4: merge adjacent VALs of equal value, scanning up to 5 opcodes from `prev`.
    let mut p = prev.unwrap_or(HEADER_LEN);
    let mut scan = 5;
    while p < hll.len() && scan > 0 {
        scan -= 1;
        match Op::read(hll, p) {
            Op::Xzero(_) => p += 2,
            Op::Zero(_) => p += 1,
            Op::Val(v1, len1) => {
                if p + 1 < hll.len() {
                    if let Op::Val(v2, len2) = Op::read(hll, p + 1) {
                        if v1 == v2 && len1 + len2 <= SPARSE_VAL_MAX_LEN {
                            hll[p + 1] = val(v1, len1 + len2);
                            hll.remove(p);
                            continue;
                        }
                    }
                }
                p += 1;
            }
        }
    }
    invalidate(hll);
    Ok(true)
}

/// Turns the HyperLogLog dense, then sets the register there.
fn promote(hll: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(hll)?;
    dense_set(&mut hll[HEADER_LEN..], index, count);
    Ok(true)
}

/// Walks a sparse representation's opcodes: `f(first register, opcode)`; Err unless they cover
/// exactly [`REGISTERS`], none running past the last (what Redis checks when it converts or merges,
/// since the fix for CVE-2025-32023 that Debian's 7.0.15 carries).
fn walk_sparse(hll: &[u8], mut f: impl FnMut(usize, Op)) -> Result<(), Corrupt> {
    let mut p = HEADER_LEN;
    let mut index = 0usize;
    while p < hll.len() {
        let op = Op::read(hll, p);
        if index + op.span() > REGISTERS {
            return Err(Corrupt);
        }
        f(index, op);
        index += op.span();
        p += op.len();
    }
    if index == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// `hllSparseToDense`: true when it converted (false when already dense). The header is kept,
/// cached cardinality included.
pub fn to_dense(hll: &mut Vec<u8>) -> Result<bool, Corrupt> {
    if hll[4] == DENSE {
        return Ok(false);
    }
    let mut dense = vec![0u8; DENSE_LEN];
    dense[..HEADER_LEN].copy_from_slice(&hll[..HEADER_LEN]);
    dense[4] = DENSE;
    walk_sparse(hll, |first, op| {
        if let Op::Val(value, len) = op {
            for i in first..first + len {
                dense_put(&mut dense[HEADER_LEN..], i, value);
            }
        }
    })?;
    *hll = dense;
    Ok(true)
}

/// `hllMerge`: raises each of `max`'s registers to this HyperLogLog's.
pub fn merge_into(max: &mut [u8; REGISTERS], hll: &[u8]) -> Result<(), Corrupt> {
    if hll[4] == DENSE {
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(&hll[HEADER_LEN..], i));
        }
        return Ok(());
    }
    walk_sparse(hll, |first, op| {
        if let Op::Val(value, len) = op {
            for m in &mut max[first..first + len] {
                *m = (*m).max(value);
            }
        }
    })
}

/// The estimated cardinality (`hllCount`); Err for a sparse representation whose runs do not
/// cover exactly the registers.
pub fn count(hll: &[u8]) -> Result<u64, Corrupt> {
    let mut histogram = [0u64; 64];
    if hll[4] == DENSE {
        for i in 0..REGISTERS {
            histogram[usize::from(dense_get(&hll[HEADER_LEN..], i))] += 1;
        }
    } else {
        let mut p = HEADER_LEN;
        let mut index: u64 = 0;
        while p < hll.len() {
            let op = Op::read(hll, p);
            let value = match op {
                Op::Val(value, _) => usize::from(value),
                _ => 0,
            };
            histogram[value] += op.span() as u64;
            index += op.span() as u64;
            p += op.len();
        }
        if index != REGISTERS as u64 {
            return Err(Corrupt);
        }
    }
    Ok(estimate(&histogram))
}

/// The estimated cardinality of merged registers, one byte each (PFCOUNT of several keys).
pub fn count_registers(registers: &[u8; REGISTERS]) -> u64 {
    let mut histogram = [0u64; 64];
    for &r in registers {
        histogram[usize::from(r & 63)] += 1;
    }
    estimate(&histogram)
}

/// Ertl's estimator over the registers' histogram, in `double` as Redis computes it, rounded as
/// `llroundl` rounds (a result past `i64`, which only a crafted HyperLogLog reaches, is what x86's
/// conversion gives: `i64::MIN`).
fn estimate(histogram: &[u64; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histogram[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histogram[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histogram[0] as f64 / m);
    let e = (ALPHA_INF * m * m / z).round();
    // `i64::MAX as f64` is 2^63: the conversion is exact below it.
    if e.is_finite() && e.abs() < i64::MAX as f64 {
        e as i64 as u64
    } else {
        i64::MIN as u64
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if before == z {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if before == z {
            return z / 3.0;
        }
    }
}

/// The dense registers' values (PFDEBUG GETREG; the HyperLogLog must be dense).
pub fn registers(hll: &[u8]) -> Vec<u8> {
    (0..REGISTERS)
        .map(|i| dense_get(&hll[HEADER_LEN..], i))
        .collect()
}

/// The sparse opcodes as PFDEBUG DECODE prints them: `Z:16384 v:3,1 z:12 …`.
pub fn decode(hll: &[u8]) -> String {
    let mut out = Vec::new();
    let mut p = HEADER_LEN;
    while p < hll.len() {
        let op = Op::read(hll, p);
        out.push(match op {
            Op::Zero(n) => format!("z:{n}"),
            Op::Xzero(n) => format!("Z:{n}"),
            Op::Val(v, n) => format!("v:{v},{n}"),
        });
        p += op.len();
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_hyperloglog_is_one_xzero() {
        let hll = new_sparse();
        assert_eq!(&hll[..5], b"HYLL\x01");
        assert_eq!(&hll[HEADER_LEN..], &[0x7f, 0xff]);
        assert_eq!(decode(&hll), "Z:16384");
        assert_eq!(count(&hll), Ok(0));
        assert!(is_valid(&hll));
    }

    #[test]
    fn sparse_and_dense_agree_and_registers_round_trip() {
        let mut sparse = new_sparse();
        for i in 0..2000u32 {
            add(&mut sparse, &i.to_le_bytes()).expect("valid");
        }
        let mut dense = sparse.clone();
        to_dense(&mut dense).expect("valid");
        assert_eq!(dense.len(), DENSE_LEN);
        assert_eq!(count(&sparse).ok(), count(&dense).ok());
        let mut regs = [0u8; REGISTERS];
        for (i, r) in regs.iter_mut().enumerate() {
            *r = ((i * 7) % 64) as u8;
        }
        let mut hll = vec![0u8; DENSE_LEN];
        for (i, &r) in regs.iter().enumerate() {
            dense_put(&mut hll[HEADER_LEN..], i, r);
        }
        assert_eq!(registers(&hll), regs.to_vec());
    }
}
