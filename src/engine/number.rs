//! Redis' number parsing and printing, byte-identical to Redis 7.0.15 on x86_64 with glibc.
//!
//! Redis leans on the C library for numbers: `strtod`/`strtold` read floats, `printf("%.17g")`
//! prints sorted-set scores, and INCRBYFLOAT/HINCRBYFLOAT compute with the x87 80-bit
//! `long double` and print it with `printf("%.17Lf")`. This module reproduces those in safe Rust:
//!
//! | here | Redis |
//! |---|---|
//! | [`parse_i64`], [`push_i64`] | `string2ll`, `ll2string` (util.c) |
//! | [`parse_f64`] | `getDoubleFromObject` (object.c): ZADD / ZINCRBY scores |
//! | [`parse_f64_range`] | the laxer check of `zslParseRange` (t_zset.c): ZRANGE BYSCORE bounds |
//! | [`format_f64`] | `%.17g`, as `addReplyDouble` prints scores |
//! | [`LongDouble`] | `string2ld`, x87 `+=`, `ld2string(.., LD_STR_HUMAN)` |
//!
//! Where Rust's own number code gives Redis' bytes, it is used: the 17 digits of `%.17g` are
//! `format!("{:.16e}")`'s (correctly rounded, ties to even, as glibc's), and big integers print
//! with `{}`. What remains hand-written is what Rust has no faithful equivalent for, each for a
//! reason stated at its site:
//!
//! - [`parse_i64`]: `string2ll`'s strict grammar; `str::parse::<i64>` accepts `+1`, `01`, `-0`.
//! - [`push_i64`]: the same bytes as `{}`, written out for speed (every integer reply goes through
//!   it, and the size-optimised wasm build turns core's division by 10 into a slow hardware one).
//! - [`parse_f64`], [`parse_f64_range`]: glibc's `strtod` grammar (hexadecimal floats,
//!   `nan(chars)`, leading white space for ZRANGE bounds, over- and underflow as errors) and its
//!   rounding below the smallest normal number, which drops a bit that correct rounding keeps
//!   (see `Rounding::GlibcStrto`), so `str::parse::<f64>` would differ there; the same routine
//!   reads the 80-bit `strtold`, for which Rust has no type.
//! - [`format_f64`]: `%g`'s choice between fixed and exponent layout and its trimming; Rust's
//!   formatting has no `%g`.
//! - [`LongDouble`]: the x87 80-bit `long double`, its addition and `%.17Lf`: Rust has no such
//!   type.
//!
//! `tests/number_vs_libc.rs` compares all of it with glibc itself.

// ---------------------------------------------------------------------------------------------
// Integers
// ---------------------------------------------------------------------------------------------

/// `string2ll` rejects strings of this length or more (Redis' `LONG_STR_SIZE`).
const LONG_STR_SIZE: usize = 21;

/// Redis' `string2ll` (util.c): a strict `i64`.
///
/// Only `0` or an optional `-` followed by a digit 1-9 and more digits is accepted. Rejected:
/// the empty string, 21 bytes or more, `+1`, `01`, `-0`, ` 1`, `1 `, and anything that overflows.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() >= LONG_STR_SIZE {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    let (&first, rest) = digits.split_first()?;
    if !(b'1'..=b'9').contains(&first) {
        return None;
    }
    let mut v = u64::from(first - b'0');
    for &c in rest {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    if negative {
        // 2^63 is the one magnitude that only fits as a negative number.
        (v <= 1 << 63).then(|| 0i64.wrapping_sub_unsigned(v))
    } else {
        i64::try_from(v).ok()
    }
}

/// `n / 10` as a multiplication by 2^67 / 10 (rounded up) and a shift, exact for every u64. It is
/// what an optimising compiler does for `n / 10`; written out because the release profile optimises
/// for size (the wasm build) and then emits a hardware division, several times slower.
fn div10(n: u64) -> u64 {
    ((u128::from(n) * 0xCCCC_CCCC_CCCC_CCCD) >> 67) as u64
}

/// Appends the decimal form of `v` to `out`, as Redis' `ll2string` writes it.
///
/// Digits go right to left into a stack buffer: nothing is allocated besides `out`'s growth.
pub fn push_i64(out: &mut Vec<u8>, v: i64) {
    // "-9223372036854775808" is the longest: 20 bytes.
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        let rest = div10(n);
        i -= 1;
        buf[i] = b'0' + (n - rest * 10) as u8;
        n = rest;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    out.extend_from_slice(&buf[i..]);
}

// ---------------------------------------------------------------------------------------------
// glibc's strtod grammar
// ---------------------------------------------------------------------------------------------

/// `isspace` in the C locale (Redis never sets `LC_CTYPE`).
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `s[a..b]`, or empty if out of range (never happens for the indices used here).
fn sub(s: &[u8], a: usize, b: usize) -> &[u8] {
    s.get(a..b).unwrap_or(&[])
}

/// Index of the first byte at or after `i` that does not satisfy `keep`.
fn skip_while(s: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while s.get(i).is_some_and(|&c| keep(c)) {
        i += 1;
    }
    i
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Decimal exponents are saturated here: any larger magnitude already over- or underflows.
const EXPONENT_CAP: i64 = 1_000_000_000_000_000;

/// An exponent part (`e`/`p`, optional sign, at least one digit) starting at `i`:
/// its value and the index after it, or `(0, i)` if there is none.
fn scan_exponent(s: &[u8], i: usize, marker: u8) -> (i64, usize) {
    if s.get(i).is_none_or(|c| c.to_ascii_lowercase() != marker) {
        return (0, i);
    }
    let mut j = i + 1;
    let negative = match s.get(j) {
        Some(b'-') => {
            j += 1;
            true
        }
        Some(b'+') => {
            j += 1;
            false
        }
        _ => false,
    };
    let start = j;
    let mut v: i64 = 0;
    while let Some(&c) = s.get(j).filter(|c| c.is_ascii_digit()) {
        v = (v * 10 + i64::from(c - b'0')).min(EXPONENT_CAP);
        j += 1;
    }
    if j == start {
        return (0, i);
    }
    (if negative { -v } else { v }, j)
}

/// What glibc's `strtod` recognises at the start of a string.
#[derive(Clone, Copy)]
enum Subject<'a> {
    /// No number at all: nothing is converted and the end pointer stays at the start.
    Nothing,
    /// `nan` or `nan(chars)`, any case.
    Nan,
    /// `inf` or `infinity`, any case.
    Inf,
    /// `digits [. digits] [e [sign] digits]`, at least one digit before the exponent.
    Decimal {
        int: &'a [u8],
        frac: &'a [u8],
        exp: i64,
    },
    /// `0x hexdigits [. hexdigits] [p [sign] digits]`, at least one hex digit.
    Hex {
        int: &'a [u8],
        frac: &'a [u8],
        exp: i64,
    },
}

/// The subject sequence `strtod` found.
struct Scanned<'a> {
    negative: bool,
    subject: Subject<'a>,
    /// Where `strtod` would leave its end pointer (0 when nothing was converted).
    end: usize,
}

/// Splits `s` as glibc's `strtod`/`strtold` do (C locale: `.` is the radix character, no grouping),
/// after skipping leading C-locale white space.
fn scan(s: &[u8]) -> Scanned<'_> {
    let start = skip_while(s, 0, is_c_space);
    let mut i = start;
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = sub(s, i, s.len());
    let found = |subject, end| Scanned {
        negative,
        subject,
        end,
    };
    if starts_with_ignore_case(rest, b"inf") {
        let len = if starts_with_ignore_case(rest, b"infinity") {
            8
        } else {
            3
        };
        return found(Subject::Inf, i + len);
    }
    if starts_with_ignore_case(rest, b"nan") {
        let mut end = i + 3;
        if s.get(end) == Some(&b'(') {
            let close = skip_while(s, end + 1, |c| c.is_ascii_alphanumeric() || c == b'_');
            if s.get(close) == Some(&b')') {
                end = close + 1;
            }
        }
        return found(Subject::Nan, end);
    }
    if rest.len() >= 2 && rest[0] == b'0' && rest[1].eq_ignore_ascii_case(&b'x') {
        let digits = i + 2;
        let int_end = skip_while(s, digits, |c| c.is_ascii_hexdigit());
        let (frac, frac_end) = if s.get(int_end) == Some(&b'.') {
            let e = skip_while(s, int_end + 1, |c| c.is_ascii_hexdigit());
            (sub(s, int_end + 1, e), e)
        } else {
            (&[][..], int_end)
        };
        let int = sub(s, digits, int_end);
        if !int.is_empty() || !frac.is_empty() {
            let (exp, end) = scan_exponent(s, frac_end, b'p');
            return found(Subject::Hex { int, frac, exp }, end);
        }
        // "0x" without hex digits: the number is the "0" alone.
        let zero = Subject::Decimal {
            int: sub(s, i, i + 1),
            frac: &[],
            exp: 0,
        };
        return found(zero, i + 1);
    }
    let int_end = skip_while(s, i, |c| c.is_ascii_digit());
    let (frac, frac_end) = if s.get(int_end) == Some(&b'.') {
        let e = skip_while(s, int_end + 1, |c| c.is_ascii_digit());
        (sub(s, int_end + 1, e), e)
    } else {
        (&[][..], int_end)
    };
    let int = sub(s, i, int_end);
    if int.is_empty() && frac.is_empty() {
        return Scanned {
            negative: false,
            subject: Subject::Nothing,
            end: 0,
        };
    }
    let (exp, end) = scan_exponent(s, frac_end, b'e');
    found(Subject::Decimal { int, frac, exp }, end)
}

// ---------------------------------------------------------------------------------------------
// Binary formats and correct rounding
// ---------------------------------------------------------------------------------------------

/// A binary floating-point format: IEEE double or x87 extended.
struct Format {
    /// Significand bits, the leading one included.
    precision: u32,
    /// Exponent of the leading bit of the smallest normal value.
    emin: i64,
    /// Exponent of the leading bit of the largest finite value.
    emax: i64,
    /// A decimal value of 10^this or more overflows.
    decimal_overflow: i64,
    /// A decimal value below 10^this rounds to zero.
    decimal_underflow: i64,
    /// glibc reads decimal digits down to 10^-this only (`MANT_DIG - MIN_EXP + 2`), the rest
    /// count as "more nonzero bits".
    glibc_digit_cap: i64,
}

/// IEEE 754 binary64: DBL_MAX ≈ 1.8e308, smallest subnormal ≈ 4.9e-324.
const F64: Format = Format {
    precision: 53,
    emin: -1022,
    emax: 1023,
    decimal_overflow: 309,
    decimal_underflow: -324,
    glibc_digit_cap: 1076,
};

/// x87 80-bit extended: LDBL_MAX ≈ 1.19e4932, smallest subnormal ≈ 3.6e-4951.
const X87: Format = Format {
    precision: 64,
    emin: -16382,
    emax: 16383,
    decimal_overflow: 4933,
    decimal_underflow: -4951,
    glibc_digit_cap: 16447,
};

/// A magnitude rounded to a [`Format`] (round to nearest, ties to even).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rounded {
    Zero,
    /// `significand × 2^exponent`; the significand has `precision` bits when normal, fewer when
    /// subnormal (then the exponent is the format's smallest).
    Finite {
        significand: u64,
        exponent: i64,
    },
    Infinite,
}

/// `r >> shift` rounded to nearest-even; `sticky` says nonzero bits lie below `r`.
/// Returns the result and whether anything was lost.
fn shift_round(r: u128, shift: u64, sticky: bool) -> (u128, bool) {
    match shift {
        0 => (r, sticky),
        1..=127 => {
            let dropped = r & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            let m = r >> shift;
            let up = dropped > half || (dropped == half && (sticky || m & 1 == 1));
            (m + u128::from(up), sticky || dropped != 0)
        }
        128 => {
            let half = 1u128 << 127;
            let up = r > half || (r == half && sticky);
            (u128::from(up), sticky || r != 0)
        }
        _ => (0, sticky || r != 0),
    }
}

/// How [`round_pack`] rounds.
#[derive(Clone, Copy, PartialEq)]
enum Rounding {
    /// IEEE round to nearest, ties to even: the x87 FPU.
    Ieee,
    /// The same, except for glibc's `strtod`/`strtold` quirk below the smallest normal number.
    ///
    /// glibc's `round_and_return` (stdlib/strtod_l.c) gets the first `precision` bits plus a
    /// round bit and a "more bits" flag. When the value is below the smallest normal it shifts
    /// the significand right and takes a new round bit from it, and only the bits *below* the old
    /// round bit join the sticky flag: the old round bit (the `precision + 1`-th significant bit)
    /// is lost. So `0x1.00000000000018p-1023` (exactly 2^51 + 3/4 units of the smallest subnormal)
    /// becomes 2^51 units, and `0x1.0000000000000001p-16446` becomes 0 in `strtold`.
    GlibcStrto,
}

/// Rounds `(r + ε) × 2^e` to the format, where ε ∈ (0, 1) if `sticky`, else 0.
/// When `sticky` is set, `r` must carry at least `precision + 2` bits.
fn round_pack(r: u128, e: i64, sticky: bool, f: &Format, rounding: Rounding) -> Rounded {
    if r == 0 {
        return Rounded::Zero;
    }
    let p = i64::from(f.precision);
    let top = i64::from(127 - r.leading_zeros());
    let mut r = r;
    if rounding == Rounding::GlibcStrto && top.saturating_add(e) < f.emin && top >= p {
        r &= !(1u128 << (top - p));
    }
    // The quantum (weight of the last significand bit) never goes below the subnormal one.
    let min_quantum = f.emin - (p - 1);
    let mut shift = top - (p - 1);
    if e.saturating_add(shift) < min_quantum {
        shift = min_quantum.saturating_sub(e);
    }
    let mut m = if shift <= 0 {
        // Exact: fewer than `precision` bits, scaled up.
        r << shift.unsigned_abs()
    } else {
        shift_round(r, shift.unsigned_abs(), sticky).0
    };
    if m >> f.precision != 0 {
        // Rounding carried into a new bit: 1.11…1 became 10.00…0.
        m >>= 1;
        shift += 1;
    }
    if m == 0 {
        return Rounded::Zero;
    }
    let exponent = e.saturating_add(shift);
    let lead = exponent.saturating_add(i64::from(127 - m.leading_zeros()));
    if lead > f.emax {
        return Rounded::Infinite;
    }
    Rounded::Finite {
        significand: m as u64,
        exponent,
    }
}

fn rounded_to_f64(negative: bool, r: Rounded) -> f64 {
    let magnitude = match r {
        Rounded::Zero => 0.0,
        Rounded::Infinite => f64::INFINITY,
        Rounded::Finite {
            significand,
            exponent,
        } => {
            let bits = if significand >> 52 != 0 {
                let biased = (exponent + 52 + 1023) as u64;
                (biased << 52) | (significand & ((1 << 52) - 1))
            } else {
                significand
            };
            f64::from_bits(bits)
        }
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

// ---------------------------------------------------------------------------------------------
// A small unsigned big integer
// ---------------------------------------------------------------------------------------------

/// An unsigned integer of any size: little-endian 64-bit limbs, no leading zero limb.
#[derive(Clone, Debug)]
struct Big {
    limbs: Vec<u64>,
}

/// 5^27, the largest power of five in a u64.
const POW5_27: u64 = 7_450_580_596_923_828_125;

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big { limbs: vec![v] };
        b.trim();
        b
    }

    /// The integer written by ASCII decimal digits.
    fn from_digits(digits: impl Iterator<Item = u8>) -> Big {
        let mut b = Big { limbs: Vec::new() };
        let (mut chunk, mut scale) = (0u64, 1u64);
        for c in digits {
            chunk = chunk * 10 + u64::from(c.wrapping_sub(b'0') % 10);
            scale *= 10;
            if scale == 10_000_000_000_000_000_000 {
                b.mul_small(scale);
                b.add_small(chunk);
                (chunk, scale) = (0, 1);
            }
        }
        b.mul_small(scale);
        b.add_small(chunk);
        b
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn bits(&self) -> u64 {
        match self.limbs.last() {
            None => 0,
            Some(&top) => self.limbs.len() as u64 * 64 - u64::from(top.leading_zeros()),
        }
    }

    fn mul_small(&mut self, m: u64) {
        let mut carry = 0u128;
        for limb in &mut self.limbs {
            let x = u128::from(*limb) * u128::from(m) + carry;
            *limb = x as u64;
            carry = x >> 64;
        }
        if carry != 0 {
            self.limbs.push(carry as u64);
        }
        self.trim();
    }

    fn add_small(&mut self, a: u64) {
        let mut carry = a;
        for limb in &mut self.limbs {
            if carry == 0 {
                return;
            }
            let (x, overflow) = limb.overflowing_add(carry);
            *limb = x;
            carry = u64::from(overflow);
        }
        if carry != 0 {
            self.limbs.push(carry);
        }
    }

    fn mul_pow5(&mut self, mut k: u64) {
        while k >= 27 {
            self.mul_small(POW5_27);
            k -= 27;
        }
        self.mul_small(5u64.pow(k as u32));
    }

    fn shl(&mut self, n: u64) {
        if self.is_zero() {
            return;
        }
        let (limbs, bits) = ((n / 64) as usize, (n % 64) as u32);
        if bits != 0 {
            let mut carry = 0u64;
            for limb in &mut self.limbs {
                let next = *limb >> (64 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        }
        self.limbs.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    /// `self / den` and whether a remainder is left, for quotients below 2^128 (Knuth's
    /// algorithm D on 64-bit limbs). `den` must not be zero.
    fn div_small_quotient(&self, den: &Big) -> (u128, bool) {
        let Some(&den_top) = den.limbs.last() else {
            return (0, false);
        };
        let n = den.limbs.len();
        if self.limbs.len() < n {
            return (0, !self.is_zero());
        }
        // Normalise so the divisor's top bit is set; the dividend gets one more limb.
        let shift = u64::from(den_top.leading_zeros());
        let mut v = den.clone();
        v.shl(shift);
        let mut u = self.clone();
        u.shl(shift);
        u.limbs.resize(self.limbs.len() + 1, 0);
        let (u, v) = (&mut u.limbs, &v.limbs);
        let m = u.len() - 1 - n;
        let v_top = u128::from(v[n - 1]);
        let v_next = u128::from(if n >= 2 { v[n - 2] } else { 0 });
        let mut quotient = 0u128;
        for j in (0..=m).rev() {
            let top = (u128::from(u[j + n]) << 64) | u128::from(u[j + n - 1]);
            let below = u128::from(if n >= 2 { u[j + n - 2] } else { 0 });
            let (mut qhat, mut rhat) = (top / v_top, top % v_top);
            while qhat >> 64 != 0 || qhat * v_next > ((rhat << 64) | below) {
                qhat -= 1;
                rhat += v_top;
                if rhat >> 64 != 0 {
                    break;
                }
            }
            // u[j..=j+n] -= qhat × v
            let (mut carry, mut borrow) = (0u128, false);
            for i in 0..n {
                let product = qhat * u128::from(v[i]) + carry;
                carry = product >> 64;
                let (x, b1) = u[i + j].overflowing_sub(product as u64);
                let (x, b2) = x.overflowing_sub(u64::from(borrow));
                u[i + j] = x;
                borrow = b1 || b2;
            }
            let (x, b1) = u[j + n].overflowing_sub(carry as u64);
            let (x, b2) = x.overflowing_sub(u64::from(borrow));
            u[j + n] = x;
            if b1 || b2 {
                // qhat was one too large: add v back.
                qhat -= 1;
                let mut carry = 0u128;
                for i in 0..n {
                    let sum = u128::from(u[i + j]) + u128::from(v[i]) + carry;
                    u[i + j] = sum as u64;
                    carry = sum >> 64;
                }
                u[j + n] = u[j + n].wrapping_add(carry as u64);
            }
            if j < 2 {
                quotient |= qhat << (64 * j);
            }
        }
        (quotient, u.iter().take(n).any(|&l| l != 0))
    }

    /// Bits `n .. n+128` of the integer.
    fn bits_from(&self, n: u64) -> u128 {
        let at = |i: u64| {
            usize::try_from(i)
                .ok()
                .and_then(|i| self.limbs.get(i))
                .map_or(0u128, |&l| u128::from(l))
        };
        let (limb, off) = (n / 64, (n % 64) as u32);
        let low = at(limb) | (at(limb + 1) << 64);
        if off == 0 {
            low
        } else {
            (low >> off) | (at(limb + 2) << (128 - off))
        }
    }

    /// Whether any of the lowest `n` bits is set.
    fn any_below(&self, n: u64) -> bool {
        let (limb, off) = ((n / 64) as usize, n % 64);
        self.limbs.iter().take(limb).any(|&l| l != 0)
            || (off != 0 && self.limbs.get(limb).is_some_and(|&l| l << (64 - off) != 0))
    }

    /// `self /= d`, returning the remainder; `d` must not be zero.
    fn div_rem_small(&mut self, d: u64) -> u64 {
        let mut rem = 0u128;
        for limb in self.limbs.iter_mut().rev() {
            let x = (rem << 64) | u128::from(*limb);
            *limb = (x / u128::from(d)) as u64;
            rem = x % u128::from(d);
        }
        self.trim();
        rem as u64
    }

    /// The integer's decimal digits, ASCII, without leading zeros ("0" for zero).
    fn to_decimal(&self) -> Vec<u8> {
        const CHUNK: u64 = 10_000_000_000_000_000_000;
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_rem_small(CHUNK));
        }
        let mut out = Vec::with_capacity(chunks.len() * 19);
        push_u64(&mut out, chunks.pop().unwrap_or(0), 1);
        for &c in chunks.iter().rev() {
            push_u64(&mut out, c, 19);
        }
        out
    }
}

/// Appends the decimal digits of `v` to `out`, left-padded with zeros to at least `width` digits.
fn push_u64(out: &mut Vec<u8>, v: u64, width: usize) {
    out.extend_from_slice(format!("{v:0width$}").as_bytes());
}

// ---------------------------------------------------------------------------------------------
// Text to binary, correctly rounded
// ---------------------------------------------------------------------------------------------

/// Rounds `(num / den + ε) × 2^e2` (`den` absent means 1; ε tiny and positive if `sticky`) to
/// the format, as glibc's `strtod` does.
fn ratio_to_rounded(num: Big, den: Option<Big>, e2: i64, sticky: bool, f: &Format) -> Rounded {
    let p = i64::from(f.precision);
    let glibc = Rounding::GlibcStrto;
    match den {
        None => {
            let drop = num.bits().saturating_sub(128);
            let sticky = sticky || num.any_below(drop);
            let e = e2.saturating_add(drop as i64);
            round_pack(num.bits_from(drop), e, sticky, f, glibc)
        }
        Some(den) => {
            // num/den lies in [2^(bl-1), 2^(bl+1)); scale it so the quotient has p+3 or p+4 bits.
            let bl = num.bits() as i64 - den.bits() as i64;
            let s = p + 3 - bl;
            let (mut num, mut den) = (num, den);
            if s >= 0 {
                num.shl(s as u64);
            } else {
                den.shl(s.unsigned_abs());
            }
            let (q, remainder) = num.div_small_quotient(&den);
            round_pack(q, e2.saturating_sub(s), sticky || remainder, f, glibc)
        }
    }
}

/// Rounds the decimal `int.frac × 10^exp` to the format, as glibc's `strtod` does.
fn decimal_to_rounded(int: &[u8], frac: &[u8], exp: i64, f: &Format) -> Rounded {
    let digits = || int.iter().chain(frac).copied();
    let Some(first) = digits().position(|c| c != b'0') else {
        return Rounded::Zero;
    };
    let total = int.len() + frac.len();
    let trailing = digits().rev().position(|c| c != b'0').unwrap_or(0);
    let last_nonzero = total - 1 - trailing;
    // Digit j weighs 10^(point - j).
    let point = (int.len() as i64 - 1).saturating_add(exp);
    // The value lies in [10^(magnitude-1), 10^magnitude).
    let magnitude = point.saturating_sub(first as i64).saturating_add(1);
    if magnitude > f.decimal_overflow {
        return Rounded::Infinite;
    }
    if magnitude <= f.decimal_underflow {
        return Rounded::Zero;
    }
    // glibc stops reading digits below 10^-cap and notes whether any nonzero one was left. That
    // never changes a correctly rounded result, but it decides the sticky bit in the
    // `Rounding::GlibcStrto` case. `first` weighs more than 10^-cap here.
    let last_read = point.saturating_add(f.glibc_digit_cap);
    let last = usize::try_from(last_read)
        .unwrap_or(0)
        .min(last_nonzero)
        .max(first);
    let truncated = last < last_nonzero;
    // The value read is D × 10^e10, D the integer of digits first..=last.
    let e10 = point - last as i64;
    let count = last - first + 1;
    if count <= 19 && (-25..=27).contains(&e10) {
        // Everyday numbers ("10.5", "3.0e3") fit in 128 bits: no big integers.
        let d = digits()
            .skip(first)
            .take(count)
            .fold(0u64, |d, c| d * 10 + u64::from(c - b'0'));
        let glibc = Rounding::GlibcStrto;
        if e10 >= 0 {
            let x = u128::from(d) * u128::from(5u64.pow(e10 as u32));
            return round_pack(x, e10, truncated, f, glibc);
        }
        // D / 5^k × 2^e10 with a quotient of p+3 or p+4 bits: D << s over 5^k, or D over 5^k << -s
        // when D has more bits than that (a 53-bit format, 19 digits); both stay below 2^127.
        let den = u128::from(5u64.pow(e10.unsigned_abs() as u32));
        let bits = |x: u128| i64::from(128 - x.leading_zeros());
        let s = i64::from(f.precision) + 3 - (bits(u128::from(d)) - bits(den));
        let (n, den) = if s >= 0 {
            (u128::from(d) << s, den)
        } else {
            (u128::from(d), den << s.unsigned_abs())
        };
        return round_pack(n / den, e10 - s, truncated || n % den != 0, f, glibc);
    }
    let mut num = Big::from_digits(digits().skip(first).take(count));
    if e10 >= 0 {
        // D × 10^e10 = (D × 5^e10) × 2^e10
        num.mul_pow5(e10 as u64);
        ratio_to_rounded(num, None, e10, truncated, f)
    } else {
        // D × 10^e10 = D / 5^-e10 × 2^e10
        let mut den = Big::from_u64(1);
        den.mul_pow5(e10.unsigned_abs());
        ratio_to_rounded(num, Some(den), e10, truncated, f)
    }
}

/// Rounds the hexadecimal `int.frac × 2^exp` to the format.
fn hex_to_rounded(int: &[u8], frac: &[u8], exp: i64, f: &Format) -> Rounded {
    // 31 hex digits (≥ 121 bits) carry all a 64-bit significand needs; the rest is sticky.
    const KEPT: u32 = 31;
    let (mut r, mut kept, mut dropped, mut sticky) = (0u128, 0u32, 0i64, false);
    for c in int.iter().chain(frac) {
        let d = (*c as char).to_digit(16).unwrap_or(0);
        if kept == 0 && d == 0 {
            continue;
        }
        if kept < KEPT {
            r = (r << 4) | u128::from(d);
            kept += 1;
        } else {
            dropped += 1;
            sticky |= d != 0;
        }
    }
    let frac_len = i64::try_from(frac.len()).unwrap_or(i64::MAX);
    let e2 = exp
        .saturating_sub(frac_len.saturating_mul(4))
        .saturating_add(dropped.saturating_mul(4));
    round_pack(r, e2, sticky, f, Rounding::GlibcStrto)
}

/// What glibc's `strtod` returns for `s`, as far as Redis looks at it.
struct Strtod {
    value: f64,
    /// Bytes consumed (0 if no number was found).
    end: usize,
    /// `errno == ERANGE` with a result of zero or ±HUGE_VAL: the number over- or underflowed.
    /// (glibc also sets ERANGE for inexact subnormal results; Redis accepts those.)
    range_error: bool,
}

fn strtod(s: &[u8]) -> Strtod {
    let scanned = scan(s);
    let (value, nonzero) = match scanned.subject {
        Subject::Nothing => (0.0, false),
        Subject::Nan => (f64::NAN, false),
        Subject::Inf => (f64::INFINITY, false),
        Subject::Decimal { int, frac, exp } => {
            let rounded = decimal_to_rounded(int, frac, exp, &F64);
            let nonzero = int.iter().chain(frac).any(|&c| c != b'0');
            (rounded_to_f64(false, rounded), nonzero)
        }
        Subject::Hex { int, frac, exp } => {
            let value = rounded_to_f64(false, hex_to_rounded(int, frac, exp, &F64));
            (value, int.iter().chain(frac).any(|&c| c != b'0'))
        }
    };
    let range_error = nonzero && (value == 0.0 || value.is_infinite());
    Strtod {
        value: if scanned.negative { -value } else { value },
        end: scanned.end,
        range_error,
    }
}

/// Redis' `getDoubleFromObject` (object.c), as ZADD and ZINCRBY read a score: `strtod` with
/// Redis' checks.
///
/// glibc's grammar: optional sign, then decimal (`1`, `.5`, `5.`, `1e-3`), hexadecimal (`0x1p3`,
/// `0X.8`), `inf`/`infinity` or `nan` in any case; correctly rounded. Rejected: the empty string,
/// leading white space, anything left over (a NUL byte included), overflow to ±inf, underflow to
/// zero (but `0e-999` is a plain zero), and NaN. `inf` itself is accepted.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    if s.first().is_none_or(|&c| is_c_space(c)) {
        return None;
    }
    let r = strtod(s);
    if r.end != s.len() || r.value.is_nan() || r.range_error {
        return None;
    }
    Some(r.value)
}

/// The laxer check `zslParseRange` (t_zset.c) applies to a ZRANGE BYSCORE / ZCOUNT bound, after
/// the caller has removed a leading `(`: plain `strtod`, then only "the end pointer is at a NUL"
/// and "not NaN".
///
/// So, unlike [`parse_f64`]: leading white space is skipped (`" 1"` is 1), anything after a NUL byte
/// is ignored (`"1\0x"` is 1), the empty string is 0, and out-of-range values are accepted as ±inf
/// or 0 (`1e999` is inf).
pub fn parse_f64_range(s: &[u8]) -> Option<f64> {
    let r = strtod(s);
    match s.get(r.end) {
        None | Some(0) if !r.value.is_nan() => Some(r.value),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// printf("%.17g")
// ---------------------------------------------------------------------------------------------

/// `printf("%.17g", v)` exactly as glibc prints it, which is how Redis 7.0 replies a sorted-set
/// score: `0.1` is `0.10000000000000001`, `1e17` is `1e+17`, `-0.0` is `-0`, infinities are
/// `inf`/`-inf` and NaN is `nan` or `-nan` by its sign bit.
pub fn format_f64(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let mut out = Vec::with_capacity(24);
    if v.is_sign_negative() {
        out.push(b'-');
    }
    // glibc's `%.16e` digits (the exact value rounded half-to-even to 17 significant digits);
    // `%.17g` then picks a layout from the decimal exponent.
    let (digits, exp) = seventeen_digits(v.abs());
    if (-4..17).contains(&exp) {
        let (int, frac) = if exp >= 0 {
            digits.split_at((exp as usize + 1).min(digits.len()))
        } else {
            out.push(b'0');
            (&[][..], &digits[..])
        };
        out.extend_from_slice(int);
        let zeros = if exp < 0 { (-exp - 1) as usize } else { 0 };
        let frac = trim_zeros(frac);
        if !frac.is_empty() {
            out.push(b'.');
            out.extend(std::iter::repeat_n(b'0', zeros));
            out.extend_from_slice(frac);
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.extend_from_slice(first);
        let rest = trim_zeros(rest);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        out.extend_from_slice(if exp < 0 { b"e-" } else { b"e+" });
        push_u64(&mut out, exp.unsigned_abs(), 2);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// `s` without its trailing `'0'` digits.
fn trim_zeros(s: &[u8]) -> &[u8] {
    let len = s.iter().rposition(|&c| c != b'0').map_or(0, |i| i + 1);
    &s[..len]
}

/// The exact decimal value of the finite, non-negative `a` rounded half-to-even to 17 significant
/// digits, as glibc's `printf("%.16e")` rounds it: exactly 17 ASCII digits and the decimal exponent
/// of the first one. Zero is seventeen zeros with exponent 0.
///
/// Rust's exact formatting (`{:.16e}`) rounds the same way, so its digits are taken as they are.
fn seventeen_digits(a: f64) -> (Vec<u8>, i64) {
    let text = format!("{a:.16e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// x87 long double
// ---------------------------------------------------------------------------------------------

/// `string2ld` rejects inputs of this length or more (Redis' `MAX_LONG_DOUBLE_CHARS`).
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;
const EXP_ALL_ONES: u16 = 0x7fff;
const INTEGER_BIT: u64 = 1 << 63;
const EXP_BIAS: i64 = 16383;
/// Exponent of the last significand bit of subnormals (and of the smallest normals).
const X87_MIN_QUANTUM: i64 = 1 - EXP_BIAS - 63;

/// An x87 80-bit extended-precision value: Redis' `long double` on x86_64, with which
/// INCRBYFLOAT and HINCRBYFLOAT compute.
///
/// Stored as the hardware stores it: sign and 15-bit biased exponent, and a 64-bit significand
/// with an explicit integer bit. Equality compares encodings (so `0 != -0`, NaN == same NaN).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LongDouble {
    sign_exponent: u16,
    significand: u64,
}

/// A [`LongDouble`] taken apart.
enum Class {
    Nan,
    Infinite {
        negative: bool,
    },
    Zero {
        negative: bool,
    },
    /// `significand × 2^exponent`
    Finite {
        negative: bool,
        significand: u64,
        exponent: i64,
    },
}

impl LongDouble {
    /// The x87 "real indefinite" NaN, which invalid operations such as `inf + -inf` produce.
    const INDEFINITE: LongDouble = LongDouble {
        sign_exponent: 0xffff,
        significand: 0xc000_0000_0000_0000,
    };

    /// Redis' `string2ld` (util.c): glibc's `strtold` with Redis' checks.
    ///
    /// Same grammar and rejections as [`parse_f64`] (empty, leading white space, leftovers or a NUL
    /// byte, NaN, overflow to ±inf, underflow to zero), rounded to 64 significand bits; `inf` is
    /// accepted. Inputs of 5120 bytes or more are rejected.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_LONG_DOUBLE_CHARS || is_c_space(s[0]) {
            return None;
        }
        let scanned = scan(s);
        if scanned.end != s.len() {
            return None;
        }
        let negative = scanned.negative;
        let (rounded, nonzero) = match scanned.subject {
            Subject::Nothing | Subject::Nan => return None,
            Subject::Inf => (Rounded::Infinite, false),
            Subject::Decimal { int, frac, exp } => (
                decimal_to_rounded(int, frac, exp, &X87),
                int.iter().chain(frac).any(|&c| c != b'0'),
            ),
            Subject::Hex { int, frac, exp } => (
                hex_to_rounded(int, frac, exp, &X87),
                int.iter().chain(frac).any(|&c| c != b'0'),
            ),
        };
        if nonzero && matches!(rounded, Rounded::Zero | Rounded::Infinite) {
            return None;
        }
        Some(LongDouble::from_rounded(negative, rounded))
    }

    /// The exact value of `v` (64 significand bits hold every `i64`), as Redis converts an
    /// integer-encoded string.
    pub fn from_i64(v: i64) -> LongDouble {
        let rounded = round_pack(u128::from(v.unsigned_abs()), 0, false, &X87, Rounding::Ieee);
        LongDouble::from_rounded(v < 0, rounded)
    }

    /// The 80-bit encoding in the low bits: significand in bits 0-63, biased exponent in 64-78,
    /// sign in bit 79 (the x87 memory layout read as a little-endian integer).
    pub fn to_bits(self) -> u128 {
        (u128::from(self.sign_exponent) << 64) | u128::from(self.significand)
    }

    /// The value of an 80-bit encoding (bits above 79 are ignored). Encodings the x87 refuses as
    /// operands (unnormals, pseudo-infinities, pseudo-NaNs) behave as NaN; pseudo-denormals keep
    /// their value.
    pub fn from_bits(bits: u128) -> LongDouble {
        LongDouble {
            sign_exponent: (bits >> 64) as u16,
            significand: bits as u64,
        }
    }

    fn from_rounded(negative: bool, r: Rounded) -> LongDouble {
        let sign = if negative { 0x8000 } else { 0 };
        let (exp, significand) = match r {
            Rounded::Zero => (0, 0),
            Rounded::Infinite => (EXP_ALL_ONES, INTEGER_BIT),
            Rounded::Finite {
                significand,
                exponent,
            } => {
                let exp = if significand & INTEGER_BIT != 0 {
                    // round_pack keeps normal exponents within 1..=0x7ffe.
                    (exponent - X87_MIN_QUANTUM + 1) as u16
                } else {
                    0
                };
                (exp, significand)
            }
        };
        LongDouble {
            sign_exponent: sign | exp,
            significand,
        }
    }

    fn class(self) -> Class {
        let negative = self.sign_exponent & 0x8000 != 0;
        let exp = self.sign_exponent & EXP_ALL_ONES;
        let m = self.significand;
        match exp {
            EXP_ALL_ONES if m == INTEGER_BIT => Class::Infinite { negative },
            EXP_ALL_ONES => Class::Nan,
            0 if m == 0 => Class::Zero { negative },
            0 => Class::Finite {
                negative,
                significand: m,
                exponent: X87_MIN_QUANTUM,
            },
            _ if m & INTEGER_BIT == 0 => Class::Nan,
            _ => Class::Finite {
                negative,
                significand: m,
                exponent: i64::from(exp) - 1 + X87_MIN_QUANTUM,
            },
        }
    }

    /// `self + other` rounded to nearest-even at 64 significand bits, as the x87 FPU in its
    /// default (extended) precision mode computes Redis' `value += incr`: overflow gives ±inf,
    /// `inf + -inf` gives NaN, exact cancellation gives +0. (`a + b` does the same.)
    #[allow(clippy::should_implement_trait)] // it is implemented too; this needs no import
    pub fn add(self, other: LongDouble) -> LongDouble {
        // Zeros join the finite path as significand 0; only zero + zero needs its own sign rule.
        let parts = |c: Class| match c {
            Class::Zero { negative } => Some((negative, 0u64, X87_MIN_QUANTUM)),
            Class::Finite {
                negative,
                significand,
                exponent,
            } => Some((negative, significand, exponent)),
            _ => None,
        };
        match (self.class(), other.class()) {
            (Class::Nan, _) | (_, Class::Nan) => LongDouble::INDEFINITE,
            (Class::Infinite { negative: a }, Class::Infinite { negative: b }) if a != b => {
                LongDouble::INDEFINITE
            }
            (Class::Infinite { negative }, _) | (_, Class::Infinite { negative }) => {
                LongDouble::from_rounded(negative, Rounded::Infinite)
            }
            (Class::Zero { negative: a }, Class::Zero { negative: b }) => {
                LongDouble::from_rounded(a && b, Rounded::Zero)
            }
            (a, b) => match (parts(a), parts(b)) {
                (Some(a), Some(b)) => add_finite(a, b),
                _ => LongDouble::INDEFINITE,
            },
        }
    }

    /// Redis' `(long long) ceill(self * 1000.0)` (`getTimeoutFromObjectOrReply`, seconds to
    /// milliseconds): the product rounded to the x87's 64 significand bits, then up to an integer,
    /// then converted as the x87 converts — an infinity, a NaN or a value outside the `i64` range
    /// gives the "integer indefinite", `i64::MIN`. So `0.0001` is 1, `-0.0001` is 0 and `inf` is
    /// negative.
    pub fn seconds_to_ms_ceil(self) -> i64 {
        match self.class() {
            Class::Nan | Class::Infinite { .. } => i64::MIN,
            Class::Zero { .. } => 0,
            Class::Finite {
                negative,
                significand,
                exponent,
            } => {
                let product = u128::from(significand) * 1000;
                let rounded = round_pack(product, exponent, false, &X87, Rounding::Ieee);
                LongDouble::from_rounded(negative, rounded).ceil_to_i64()
            }
        }
    }

    /// `(long long) ceill(self)` as the x87 converts (see [`LongDouble::seconds_to_ms_ceil`]).
    fn ceil_to_i64(self) -> i64 {
        let (negative, significand, exponent) = match self.class() {
            Class::Nan | Class::Infinite { .. } => return i64::MIN,
            Class::Zero { .. } => return 0,
            Class::Finite {
                negative,
                significand,
                exponent,
            } => (negative, u128::from(significand), exponent),
        };
        // The magnitude rounded toward +inf: up for a positive value, down (truncated) for a
        // negative one.
        let magnitude = if exponent >= 0 {
            if exponent >= 64 {
                return i64::MIN;
            }
            significand << exponent
        } else {
            let shift = exponent.unsigned_abs();
            let int = if shift >= 128 {
                0
            } else {
                significand >> shift
            };
            let fraction = shift >= 128 || significand & ((1u128 << shift) - 1) != 0;
            if !negative && fraction {
                int + 1
            } else {
                int
            }
        };
        if negative {
            match magnitude {
                m if m <= i64::MAX as u128 => -(m as i64),
                m if m == 1u128 << 63 => i64::MIN,
                _ => i64::MIN,
            }
        } else {
            i64::try_from(magnitude).unwrap_or(i64::MIN)
        }
    }

    /// Whether the value is neither infinite nor NaN.
    pub fn is_finite(self) -> bool {
        matches!(self.class(), Class::Zero { .. } | Class::Finite { .. })
    }

    /// Whether the value is NaN (including encodings the x87 treats as NaN).
    pub fn is_nan(self) -> bool {
        matches!(self.class(), Class::Nan)
    }

    /// Redis' `ld2string(.., LD_STR_HUMAN)`: `snprintf("%.17Lf")` (the exact binary value rounded
    /// half-to-even to 17 decimals, as glibc does), then trailing zeros after the `.` removed, then
    /// the `.` if nothing follows it, and `-0` made `0`. Infinities print `inf`/`-inf`, NaN `nan`.
    pub fn to_human_string(self) -> String {
        match self.class() {
            Class::Nan => "nan".to_string(),
            Class::Infinite { negative } => if negative { "-inf" } else { "inf" }.to_string(),
            Class::Zero { .. } => "0".to_string(),
            Class::Finite {
                negative,
                significand,
                exponent,
            } => {
                let fixed = fixed_17_decimals(significand, exponent);
                let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
                if negative && trimmed != "0" {
                    format!("-{trimmed}")
                } else {
                    trimmed.to_string()
                }
            }
        }
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    /// See [`LongDouble::add`].
    fn add(self, other: LongDouble) -> LongDouble {
        LongDouble::add(self, other)
    }
}

/// Adds two finite `(negative, significand, exponent)` values, not both zero.
fn add_finite(a: (bool, u64, i64), b: (bool, u64, i64)) -> LongDouble {
    // Order by magnitude; (exponent, significand) order is magnitude order for x87 encodings.
    let (a, b) = if (a.2, a.1) >= (b.2, b.1) {
        (a, b)
    } else {
        (b, a)
    };
    // 62 guard bits; bits of b shifted past them are jammed into the lowest bit.
    const GUARD: u32 = 62;
    let ma = u128::from(a.1) << GUARD;
    let full = u128::from(b.1) << GUARD;
    let d = a.2.saturating_sub(b.2).unsigned_abs();
    let mb = if d >= 126 {
        u128::from(b.1 != 0)
    } else {
        (full >> d) | u128::from(full & ((1u128 << d) - 1) != 0)
    };
    let r = if a.0 == b.0 { ma + mb } else { ma - mb };
    let exponent = a.2 - i64::from(GUARD);
    // An exact zero difference is +0 in round-to-nearest.
    let negative = a.0 && r != 0;
    let rounded = round_pack(r, exponent, false, &X87, Rounding::Ieee);
    LongDouble::from_rounded(negative, rounded)
}

/// `%.17Lf` of `significand × 2^exponent` without the sign: the exact value rounded half-to-even
/// to 17 decimals.
fn fixed_17_decimals(significand: u64, exponent: i64) -> String {
    const DECIMALS: usize = 17;
    let digits = if exponent >= 0 {
        let mut int = Big::from_u64(significand);
        int.shl(exponent as u64);
        let mut s = int.to_decimal();
        s.extend(std::iter::repeat_n(b'0', DECIMALS));
        s
    } else {
        // value × 10^17 = significand × 5^17 × 2^(exponent + 17); 5^17 < 2^40 keeps it in u128.
        let x = u128::from(significand) * 5u128.pow(DECIMALS as u32);
        let k = -exponent - DECIMALS as i64;
        let scaled = if k <= 0 {
            x << k.unsigned_abs()
        } else {
            shift_round(x, k.unsigned_abs(), false).0
        };
        let mut big = Big {
            limbs: vec![scaled as u64, (scaled >> 64) as u64],
        };
        big.trim();
        let s = big.to_decimal();
        // At least one digit before the point.
        let mut padded = vec![b'0'; (DECIMALS + 1).saturating_sub(s.len())];
        padded.extend_from_slice(&s);
        padded
    };
    let (int, frac) = digits.split_at(digits.len() - DECIMALS);
    let mut out = Vec::with_capacity(digits.len() + 1);
    out.extend_from_slice(int);
    out.push(b'.');
    out.extend_from_slice(frac);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn div10_is_exact_and_push_i64_prints_like_to_string() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for n in (0..100_000u64).chain([u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1]) {
            assert_eq!(div10(n), n / 10, "{n}");
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            assert_eq!(div10(x), x / 10, "{x}");
        }
        for v in [
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            12345,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            let mut out = b"x".to_vec();
            push_i64(&mut out, v);
            assert_eq!(out, format!("x{v}").into_bytes());
        }
    }

    fn ld(s: &str) -> LongDouble {
        LongDouble::parse(s.as_bytes()).unwrap_or_else(|| panic!("{s:?} should parse"))
    }

    fn sum(terms: &[&str]) -> String {
        let total = terms
            .iter()
            .fold(LongDouble::from_i64(0), |acc, t| acc.add(ld(t)));
        total.to_human_string()
    }

    fn int_text(v: i64) -> String {
        let mut out = Vec::new();
        push_i64(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn three_tenths_from_long_double_but_not_from_f64() {
        assert_eq!(sum(&["0.1", "0.1", "0.1"]), "0.3");
        assert_eq!(format_f64(0.1 + 0.1 + 0.1), "0.30000000000000004");
    }

    #[test]
    fn incrbyfloat_examples_from_the_redis_docs() {
        assert_eq!(sum(&["10.5", "0.1"]), "10.6");
        assert_eq!(sum(&["5.0e3", "2.0e2"]), "5200");
        assert_eq!(sum(&["3.0e3"]), "3000");
        assert_eq!(sum(&["10.50", "-5"]), "5.5");
        assert_eq!(sum(&["1", "-1"]), "0");
        assert_eq!(sum(&["-0.0"]), "0");
        assert_eq!(sum(&["-1e-20"]), "0");
        assert_eq!(sum(&["-1.5"]), "-1.5");
        assert_eq!(sum(&["0x1p-1"]), "0.5");
        assert_eq!(sum(&["1e20"]), "100000000000000000000");
    }

    #[test]
    fn long_double_printing_rounds_half_to_even_on_the_exact_value() {
        // 2^-18 = 0.000003814697265625: the 18th decimal is an exact 5 and the 17th is even.
        assert_eq!(ld("0x1p-18").to_human_string(), "0.00000381469726562");
        // 3 × 2^-18 = 0.000011444091796875: the 17th decimal is odd, so it rounds up.
        assert_eq!(ld("0x3p-18").to_human_string(), "0.00001144409179688");
        assert_eq!(ld("1e-17").to_human_string(), "0.00000000000000001");
        assert_eq!(ld("4e-18").to_human_string(), "0");
    }

    #[test]
    fn long_double_extremes() {
        let max = ld("0x1.fffffffffffffffep16383");
        assert!(max.is_finite());
        let text = max.to_human_string();
        assert_eq!(text.len(), 4933);
        assert!(text.starts_with("118973149535723176"));
        assert_eq!(LongDouble::parse(text.as_bytes()), Some(max));
        assert!(!max.add(max).is_finite());
        assert!(!max.add(max).is_nan());
        assert!(LongDouble::parse(b"1.2e4932").is_none());
        assert!(LongDouble::parse(b"1e-4952").is_none());
        assert!(LongDouble::parse(b"1e-4940").is_some());
        assert_eq!(
            LongDouble::parse(b"0e-99999"),
            Some(LongDouble::from_i64(0))
        );
        let inf = ld("inf");
        assert_eq!(inf.to_human_string(), "inf");
        assert_eq!(ld("-Infinity").to_human_string(), "-inf");
        assert!(inf.add(ld("-inf")).is_nan());
        assert!(LongDouble::parse(b"nan").is_none());
    }

    #[test]
    fn long_double_rejections_follow_string2ld() {
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"1\0",
            b"1\0abc",
            b"abc",
            b"1e",
            b"0x",
            b"--1",
            b".",
            b"nan",
            b"1e99999",
        ] {
            assert_eq!(LongDouble::parse(bad), None, "{bad:?}");
        }
        // "1.000…": 5119 bytes are read, 5120 are too many.
        let mut long = b"1.".to_vec();
        long.resize(5119, b'0');
        assert_eq!(LongDouble::parse(&long), Some(LongDouble::from_i64(1)));
        long.push(b'0');
        assert_eq!(LongDouble::parse(&long), None);
    }

    #[test]
    fn long_double_from_i64_is_exact() {
        for v in [0, 1, -1, i64::MAX, i64::MIN, 1 << 53 | 1] {
            assert_eq!(LongDouble::from_i64(v), ld(&v.to_string()));
            assert_eq!(LongDouble::from_i64(v).to_human_string(), v.to_string());
        }
        assert_eq!(
            LongDouble::from_i64(i64::MAX)
                .add(LongDouble::from_i64(1))
                .to_human_string(),
            "9223372036854775808"
        );
    }

    #[test]
    fn long_double_bits_round_trip() {
        let one = LongDouble::from_i64(1);
        assert_eq!(one.to_bits(), 0x3fff_8000_0000_0000_0000);
        assert_eq!(LongDouble::from_bits(one.to_bits()), one);
        // An unnormal (exponent set, integer bit clear) is no number to the x87.
        assert!(LongDouble::from_bits(0x3fff_0000_0000_0000_0001).is_nan());
    }

    #[test]
    fn parse_i64_is_string2ll() {
        for (text, want) in [
            ("0", Some(0)),
            ("1", Some(1)),
            ("-1", Some(-1)),
            ("99", Some(99)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("-9223372036854775809", None),
            ("18446744073709551616", None),
            ("99999999999999999999", None),
            ("-99999999999999999999", None),
            ("", None),
            ("-", None),
            ("+1", None),
            ("01", None),
            ("00", None),
            ("-0", None),
            (" 1", None),
            ("1 ", None),
            ("1\0", None),
            ("1a", None),
            ("1.0", None),
            ("1e3", None),
            ("000000000000000000001", None),
        ] {
            assert_eq!(parse_i64(text.as_bytes()), want, "{text:?}");
        }
    }

    #[test]
    fn push_i64_is_ll2string() {
        for v in [
            0,
            7,
            10,
            99,
            100,
            -5,
            -10,
            12345,
            i64::MAX,
            i64::MIN,
            -i64::MAX,
        ] {
            assert_eq!(int_text(v), v.to_string());
        }
        let mut out = b"x=".to_vec();
        push_i64(&mut out, -42);
        assert_eq!(out, b"x=-42");
    }

    #[test]
    fn format_f64_is_percent_17g() {
        for (v, want) in [
            (0.1, "0.10000000000000001"),
            (1e300, "1.0000000000000001e+300"),
            (1.0, "1"),
            (1.5, "1.5"),
            (-2.5, "-2.5"),
            (1e17, "1e+17"),
            (1e16, "10000000000000000"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (0.0, "0"),
            (-0.0, "-0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (5e-324, "4.9406564584124654e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            // An exact tie at the 17th digit: glibc rounds half to even.
            (1e15 + 0.25, "1000000000000000.2"),
            (1e15 + 0.75, "1000000000000000.8"),
            (3.0, "3"),
            (-1e-300, "-1e-300"),
        ] {
            assert_eq!(format_f64(v), want, "{v:e}");
        }
    }

    #[test]
    fn parse_f64_is_get_double_from_object() {
        for (text, want) in [
            ("1", Some(1.0)),
            ("-1.5", Some(-1.5)),
            ("+.5", Some(0.5)),
            ("5.", Some(5.0)),
            ("1e3", Some(1000.0)),
            ("1E+3", Some(1000.0)),
            ("0x1p3", Some(8.0)),
            ("0X.8", Some(0.5)),
            ("-0x1.8P1", Some(-3.0)),
            ("0x1.", Some(1.0)),
            ("inf", Some(f64::INFINITY)),
            ("-INFINITY", Some(f64::NEG_INFINITY)),
            ("4e-324", Some(5e-324)),
            ("0e-999", Some(0.0)),
            ("1.7976931348623158e308", Some(f64::MAX)),
            ("1e-400", None),
            ("2e-324", None),
            ("1e309", None),
            ("1.7976931348623159e308", None),
            ("nan", None),
            ("-nan(123)", None),
            ("", None),
            (" 1", None),
            ("1 ", None),
            ("1\0", None),
            ("infin", None),
            ("1e", None),
            ("1e+", None),
            ("0x", None),
            ("0xp1", None),
            ("0x1p", None),
            (".", None),
            ("-", None),
            ("e5", None),
            ("1,5", None),
        ] {
            let got = parse_f64(text.as_bytes());
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{text:?}");
        }
        assert!(parse_f64(b"-0").is_some_and(|v| v == 0.0 && v.is_sign_negative()));
    }

    #[test]
    fn glibc_drops_the_bit_after_the_significand_below_the_smallest_normal() {
        // Exactly 2^-1074 × (2^51 + 3/4): correct rounding gives 2^51 + 1 units, glibc 2^51.
        assert_eq!(
            parse_f64(b"0x1.00000000000018p-1023"),
            Some(2f64.powi(-1023))
        );
        // A sticky bit further down still counts.
        let up = f64::from_bits((1 << 51) + 1);
        assert_eq!(parse_f64(b"0x1.000000000000180001p-1023"), Some(up));
        // Just above half the smallest x87 subnormal: glibc's strtold gives 0, Redis rejects it.
        assert_eq!(LongDouble::parse(b"0x1.0000000000000001p-16446"), None);
        assert!(LongDouble::parse(b"0x1.00000000000000008p-16446").is_some());
        // Normal results are correctly rounded: 1 + 3/2 ulp is a tie between 1 and 2 ulps up,
        // 2 is even.
        let two_ulps_up = f64::from_bits(2f64.powi(-1021).to_bits() + 2);
        assert_eq!(parse_f64(b"0x1.00000000000018p-1021"), Some(two_ulps_up));
    }

    #[test]
    fn parse_f64_range_is_zsl_parse_range() {
        assert_eq!(parse_f64_range(b" 0"), Some(0.0));
        assert_eq!(parse_f64_range(b""), Some(0.0));
        assert_eq!(parse_f64_range(b"\0junk"), Some(0.0));
        assert_eq!(parse_f64_range(b"1\0x"), Some(1.0));
        assert_eq!(parse_f64_range(b"1e999"), Some(f64::INFINITY));
        assert_eq!(parse_f64_range(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64_range(b"1e-999"), Some(0.0));
        assert_eq!(parse_f64_range(b" "), None);
        assert_eq!(parse_f64_range(b"1 "), None);
        assert_eq!(parse_f64_range(b"nan"), None);
        assert_eq!(parse_f64_range(b"x"), None);
    }

    #[test]
    fn timeouts_in_seconds_become_milliseconds_as_redis_computes_them() {
        let ms = |t: &str| LongDouble::parse(t.as_bytes()).map(LongDouble::seconds_to_ms_ceil);
        assert_eq!(ms("0"), Some(0));
        assert_eq!(ms("1"), Some(1000));
        assert_eq!(ms("1.5"), Some(1500));
        assert_eq!(ms("0.0001"), Some(1));
        assert_eq!(ms("-0.0001"), Some(0));
        assert_eq!(ms("-1"), Some(-1000));
        assert_eq!(ms("-1.0005"), Some(-1000));
        assert_eq!(ms("0.001"), Some(1));
        assert_eq!(ms("9223372036854775.807"), Some(i64::MAX));
        assert_eq!(ms("9223372036854775.808"), Some(i64::MIN));
        // -9223372036854775807.5 (the product at 64 bits) rounds up, toward +inf.
        assert_eq!(ms("-9223372036854775.808"), Some(-i64::MAX));
        assert_eq!(ms("1e300"), Some(i64::MIN));
        assert_eq!(ms("inf"), Some(i64::MIN));
        assert_eq!(ms("-inf"), Some(i64::MIN));
        assert_eq!(ms("1e-4000"), Some(1));
        assert_eq!(ms("1e-5000"), None);
        assert_eq!(ms("x"), None);
    }

    /// Pushes the correctly rounded digits-to-f64 routine and Rust's parser through the same
    /// inputs: the long-double path relies on the former.
    #[test]
    fn big_integer_conversion_agrees_with_rust_parser() {
        let mut rng = crate::simulation::rng::Rng::new(0x1234_5678_9abc_def0u64);
        let mut next = move || rng.next_u64();
        for round in 0..6000 {
            // Half the inputs are everyday numbers (at most 20 digits, a small exponent): the
            // 128-bit path, which every ZADD score takes.
            let (max_len, exp_span) = if round % 2 == 0 { (30, 700) } else { (11, 60) };
            let int_len = (next() % max_len) as usize;
            let frac_len = (next() % max_len) as usize;
            let int: Vec<u8> = (0..int_len).map(|_| b'0' + (next() % 10) as u8).collect();
            let frac: Vec<u8> = (0..frac_len).map(|_| b'0' + (next() % 10) as u8).collect();
            let exp = (next() % exp_span) as i64 - exp_span as i64 / 2;
            let text = format!(
                "{}.{}e{exp}",
                String::from_utf8_lossy(&int),
                String::from_utf8_lossy(&frac)
            );
            if int.is_empty() && frac.is_empty() {
                continue;
            }
            let ours = rounded_to_f64(false, decimal_to_rounded(&int, &frac, exp, &F64));
            let rust: f64 = text.parse().unwrap();
            assert_eq!(ours.to_bits(), rust.to_bits(), "{text}");
        }
    }

    #[test]
    fn nineteen_digit_decimals_round_correctly() {
        // 19 significant digits and a fraction: the quotient must not be shifted by a negative
        // amount (found by tests/number_vs_libc.rs).
        for text in [
            "954370295486687325.5",
            "1451819042663092.125e2",
            "85475136653314445.730",
            "00000000000000000000753256839609534164.2",
            "9999999999999999999.9",
            "1000000000000000000.1",
        ] {
            let want: f64 = text.parse().unwrap();
            assert_eq!(parse_f64(text.as_bytes()), Some(want), "{text}");
        }
    }
}
