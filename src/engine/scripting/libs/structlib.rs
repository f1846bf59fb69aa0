//! `struct` as Redis 7.0 bundles it (Roberto Ierusalimschy's struct library, `deps/lua/src/
//! lua_struct.c`), on x86-64 as Redis' builds run: `long` integers of 8 bytes, little endian by
//! default, maximum alignment 8, C's conversions of out-of-range numbers included.

use rilua::vm::state::LuaState;
use rilua::{LuaError, LuaResult, RustFn, Val};

use super::{arg, arg_count, arg_error, string_arg, type_error};
use crate::engine::scripting::native::{to_number, where_error};

/// The functions, by name.
pub const FUNCTIONS: [(&str, RustFn); 3] = [("pack", pack), ("unpack", unpack), ("size", size)];

const MAXINTSIZE: usize = 32;
const MAXALIGN: usize = 8;

#[derive(Clone, Copy)]
struct Header {
    little: bool,
    align: usize,
}

const DEFAULT: Header = Header {
    little: true,
    align: 1,
};

/// The format, read one option at a time.
struct Format {
    text: Vec<u8>,
    at: usize,
}

impl Format {
    fn next(&mut self) -> Option<u8> {
        let c = self.text.get(self.at).copied().filter(|&c| c != 0)?;
        self.at += 1;
        Some(c)
    }

    /// `getnum`: the digits that follow, or `default`.
    fn number(&mut self, state: &mut LuaState, default: usize) -> Result<usize, LuaError> {
        let digit = |f: &Format| f.text.get(f.at).copied().filter(u8::is_ascii_digit);
        if digit(self).is_none() {
            return Ok(default);
        }
        let mut a: i32 = 0;
        while let Some(d) = digit(self) {
            let d = i32::from(d - b'0');
            if a > i32::MAX / 10 || a * 10 > i32::MAX - d {
                return Err(where_error(state, "integral size overflow".into()));
            }
            a = a * 10 + d;
            self.at += 1;
        }
        Ok(a as usize)
    }

    /// `optsize`
    fn size(&mut self, state: &mut LuaState, opt: u8) -> Result<usize, LuaError> {
        Ok(match opt {
            b'B' | b'b' | b'x' => 1,
            b'H' | b'h' => 2,
            b'L' | b'l' | b'T' | b'd' => 8,
            b'f' => 4,
            b'c' => self.number(state, 1)?,
            b'i' | b'I' => {
                let size = self.number(state, 4)?;
                if size > MAXINTSIZE {
                    let text = format!("integral size {size} is larger than limit of {MAXINTSIZE}");
                    return Err(where_error(state, text));
                }
                size
            }
            _ => 0,
        })
    }

    /// `controloptions`
    fn control(&mut self, state: &mut LuaState, opt: u8, h: &mut Header) -> Result<(), LuaError> {
        match opt {
            b' ' => {}
            b'>' => h.little = false,
            b'<' => h.little = true,
            b'!' => {
                let a = self.number(state, MAXALIGN)?;
                if !a.is_power_of_two() {
                    return Err(where_error(
                        state,
                        format!("alignment {a} is not a power of 2"),
                    ));
                }
                h.align = a;
            }
            _ => {
                let text = format!("invalid format option '{}'", char::from(opt));
                return Err(arg_error(state, 1, &text));
            }
        }
        Ok(())
    }
}

/// `gettoalign`
fn to_align(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    (size.wrapping_sub(len & (size - 1))) & (size - 1)
}

fn format_arg(state: &mut LuaState) -> Result<Format, LuaError> {
    Ok(Format {
        text: string_arg(state, 1)?,
        at: 0,
    })
}

/// luaL_checknumber
fn number_arg(state: &mut LuaState, i: usize) -> Result<f64, LuaError> {
    let v = arg(state, i);
    match to_number(state, v) {
        Some(n) => Ok(n),
        None => Err(type_error(state, i, "number")),
    }
}

/// pack's arguments: b_pack pushes a nil to mark where its buffer starts, so the first argument
/// missing is that nil, not "no value".
fn pack_arg(state: &mut LuaState, i: usize, expected: &str) -> Option<LuaError> {
    (i == arg_count(state) + 1)
        .then(|| arg_error(state, i, &format!("{expected} expected, got nil")))
}

fn pack_number(state: &mut LuaState, i: usize) -> Result<f64, LuaError> {
    match pack_arg(state, i, "number") {
        Some(e) => Err(e),
        None => number_arg(state, i),
    }
}

fn pack_string(state: &mut LuaState, i: usize) -> Result<Vec<u8>, LuaError> {
    match pack_arg(state, i, "string") {
        Some(e) => Err(e),
        None => string_arg(state, i),
    }
}

/// x86-64's `(unsigned long)n` for n ≥ 0 and `(unsigned long)(long)n` for n < 0.
fn c_ulong(n: f64) -> u64 {
    if n < 0.0 {
        if n >= -9_223_372_036_854_775_808.0 {
            n as i64 as u64
        } else {
            1 << 63
        }
    } else if n < 9_223_372_036_854_775_808.0 {
        n as u64
    } else if n < 18_446_744_073_709_551_616.0 {
        ((n - 9_223_372_036_854_775_808.0) as i64 as u64) ^ (1 << 63)
    } else {
        // cvttsd2si's "indefinite" 2^63, xored with 2^63; NaN lands here too.
        0
    }
}

/// `struct.pack(fmt, …)`
fn pack(state: &mut LuaState) -> LuaResult<u32> {
    let mut fmt = format_arg(state)?;
    let mut h = DEFAULT;
    let mut i = 2;
    let mut total = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while let Some(opt) = fmt.next() {
        let mut size = fmt.size(state, opt)?;
        let pad = to_align(total, &h, opt, size);
        total += pad;
        out.resize(out.len() + pad, 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let mut value = c_ulong(pack_number(state, i)?);
                i += 1;
                let mut buf = vec![0u8; size];
                for k in 0..size {
                    let slot = if h.little { k } else { size - 1 - k };
                    buf[slot] = value as u8;
                    value >>= 8;
                }
                out.extend_from_slice(&buf);
            }
            b'x' => out.push(0),
            b'f' => {
                let f = pack_number(state, i)? as f32;
                i += 1;
                let bytes = if h.little {
                    f.to_le_bytes()
                } else {
                    f.to_be_bytes()
                };
                out.extend_from_slice(&bytes);
            }
            b'd' => {
                let d = pack_number(state, i)?;
                i += 1;
                let bytes = if h.little {
                    d.to_le_bytes()
                } else {
                    d.to_be_bytes()
                };
                out.extend_from_slice(&bytes);
            }
            b'c' | b's' => {
                let s = pack_string(state, i)?;
                i += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // luaL_argcheck names the argument after the string (arg was incremented).
                    return Err(arg_error(state, i, "string too short"));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                    size += 1;
                }
            }
            _ => fmt.control(state, opt, &mut h)?,
        }
        total += size;
    }
    let s = state.gc.intern_string(&out);
    state.push(Val::Str(s));
    Ok(1)
}

/// `getinteger`
fn get_integer(bytes: &[u8], little: bool, signed: bool) -> f64 {
    let mut l: u64 = 0;
    let size = bytes.len();
    for k in 0..size {
        let b = if little {
            bytes[size - 1 - k]
        } else {
            bytes[k]
        };
        l = (l << 8) | u64::from(b);
    }
    if !signed {
        return l as f64;
    }
    // C shifts by (size*8 - 1) mod 64 on x86-64.
    let mask = u64::MAX.wrapping_shl((size * 8).wrapping_sub(1) as u32);
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

/// `struct.unpack(fmt, data [, pos])`: the values, then the position after them.
fn unpack(state: &mut LuaState) -> LuaResult<u32> {
    let mut fmt = format_arg(state)?;
    let data = string_arg(state, 2)?;
    let start = if arg_count(state) < 3 || matches!(arg(state, 3), Val::Nil) {
        1i64
    } else {
        let n = number_arg(state, 3)?;
        if n.is_nan() || !(-9.2e18..9.2e18).contains(&n) {
            i64::MIN
        } else {
            n as i64
        }
    };
    let mut pos = start as u64 as usize;
    if pos == 0 {
        return Err(arg_error(state, 3, "offset must be 1 or greater"));
    }
    pos -= 1;
    let ld = data.len();
    let mut h = DEFAULT;
    let mut values: Vec<Val> = Vec::new();
    while let Some(opt) = fmt.next() {
        let mut size = fmt.size(state, opt)?;
        pos = pos.wrapping_add(to_align(pos, &h, opt, size));
        if !(size <= ld && pos <= ld - size) {
            return Err(arg_error(state, 2, "data string too short"));
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = get_integer(&data[pos..pos + size], h.little, opt.is_ascii_lowercase());
                values.push(Val::Num(n));
            }
            b'x' => {}
            b'f' => {
                let mut b = [0u8; 4];
                b.copy_from_slice(&data[pos..pos + 4]);
                let f = if h.little {
                    f32::from_le_bytes(b)
                } else {
                    f32::from_be_bytes(b)
                };
                values.push(Val::Num(f64::from(f)));
            }
            b'd' => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[pos..pos + 8]);
                let d = if h.little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                };
                values.push(Val::Num(d));
            }
            b'c' => {
                if size == 0 {
                    let previous = match values.last() {
                        Some(&v) => to_number(state, v),
                        None => None,
                    };
                    let Some(n) = previous else {
                        return Err(where_error(
                            state,
                            "format 'c0' needs a previous size".into(),
                        ));
                    };
                    values.pop();
                    size = c_ulong(n) as usize;
                    if !(size <= ld && pos <= ld - size) {
                        return Err(arg_error(state, 2, "data string too short"));
                    }
                }
                let s = state.gc.intern_string(&data[pos..pos + size]);
                values.push(Val::Str(s));
            }
            b's' => {
                let Some(end) = data[pos..].iter().position(|&b| b == 0) else {
                    return Err(where_error(state, "unfinished string in data".into()));
                };
                size = end + 1;
                let s = state.gc.intern_string(&data[pos..pos + end]);
                values.push(Val::Str(s));
            }
            _ => fmt.control(state, opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    let n = values.len() as u32;
    for v in values {
        state.push(v);
    }
    state.push(Val::Num((pos as u64).wrapping_add(1) as i64 as f64));
    Ok(n + 1)
}

/// `struct.size(fmt)`
fn size(state: &mut LuaState) -> LuaResult<u32> {
    let mut fmt = format_arg(state)?;
    let mut h = DEFAULT;
    let mut pos = 0usize;
    while let Some(opt) = fmt.next() {
        let size = fmt.size(state, opt)?;
        pos += to_align(pos, &h, opt, size);
        if opt == b's' {
            return Err(arg_error(state, 1, "option 's' has no fixed size"));
        }
        if opt == b'c' && size == 0 {
            return Err(arg_error(state, 1, "option 'c0' has no fixed size"));
        }
        if !opt.is_ascii_alphanumeric() {
            fmt.control(state, opt, &mut h)?;
        }
        pos += size;
    }
    state.push(Val::Num(pos as f64));
    Ok(1)
}
