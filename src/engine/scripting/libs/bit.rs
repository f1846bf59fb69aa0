//! Lua BitOp 1.0.2 (`bit`), as Redis 7.0 bundles it (`deps/lua/src/lua_bit.c`): 32-bit operations on
//! Lua numbers, answers as signed 32-bit numbers.

use rilua::vm::state::LuaState;
use rilua::{LuaResult, RustFn, Val};

use super::{arg, type_error};
use crate::engine::scripting::native::to_number;

/// The functions, by name.
pub const FUNCTIONS: [(&str, RustFn); 12] = [
    ("tobit", tobit),
    ("bnot", bnot),
    ("band", band),
    ("bor", bor),
    ("bxor", bxor),
    ("lshift", lshift),
    ("rshift", rshift),
    ("arshift", arshift),
    ("rol", rol),
    ("ror", ror),
    ("bswap", bswap),
    ("tohex", tohex),
];

/// `barg`: argument `i` (1-based) as 32 bits. BitOp adds 2^52 + 2^51 and keeps the low word of the
/// double, which rounds to the nearest integer (ties to even) and wraps modulo 2^32.
fn barg(state: &mut LuaState, i: usize) -> LuaResult<u32> {
    let v = arg(state, i);
    let n = to_number(state, v);
    let b = (n.unwrap_or(0.0) + 6_755_399_441_055_744.0).to_bits() as u32;
    if b == 0 && n.is_none() {
        return Err(type_error(state, i, "number"));
    }
    Ok(b)
}

fn ret(state: &mut LuaState, b: u32) -> LuaResult<u32> {
    state.push(Val::Num(f64::from(b as i32)));
    Ok(1)
}

fn tobit(state: &mut LuaState) -> LuaResult<u32> {
    let b = barg(state, 1)?;
    ret(state, b)
}

fn bnot(state: &mut LuaState) -> LuaResult<u32> {
    let b = barg(state, 1)?;
    ret(state, !b)
}

/// band/bor/bxor: the first argument, then the others from the last to the second, as BitOp
/// reads them (so an error names the last bad argument).
fn fold(state: &mut LuaState, op: fn(u32, u32) -> u32) -> LuaResult<u32> {
    let mut b = barg(state, 1)?;
    let mut i = super::arg_count(state);
    while i > 1 {
        b = op(b, barg(state, i)?);
        i -= 1;
    }
    ret(state, b)
}

fn band(state: &mut LuaState) -> LuaResult<u32> {
    fold(state, |a, b| a & b)
}

fn bor(state: &mut LuaState) -> LuaResult<u32> {
    fold(state, |a, b| a | b)
}

fn bxor(state: &mut LuaState) -> LuaResult<u32> {
    fold(state, |a, b| a ^ b)
}

fn shift(state: &mut LuaState, op: fn(u32, u32) -> u32) -> LuaResult<u32> {
    let b = barg(state, 1)?;
    let n = barg(state, 2)? & 31;
    ret(state, op(b, n))
}

fn lshift(state: &mut LuaState) -> LuaResult<u32> {
    shift(state, |b, n| b << n)
}

fn rshift(state: &mut LuaState) -> LuaResult<u32> {
    shift(state, |b, n| b >> n)
}

fn arshift(state: &mut LuaState) -> LuaResult<u32> {
    shift(state, |b, n| ((b as i32) >> n) as u32)
}

fn rol(state: &mut LuaState) -> LuaResult<u32> {
    shift(state, u32::rotate_left)
}

fn ror(state: &mut LuaState) -> LuaResult<u32> {
    shift(state, u32::rotate_right)
}

fn bswap(state: &mut LuaState) -> LuaResult<u32> {
    let b = barg(state, 1)?;
    ret(state, b.swap_bytes())
}

/// `tohex(x [, n])`: the low `n` hex digits (8 by default; upper case when n < 0; at most 8).
fn tohex(state: &mut LuaState) -> LuaResult<u32> {
    let mut b = barg(state, 1)?;
    let mut n = if super::arg_count(state) < 2 {
        8
    } else {
        i64::from(barg(state, 2)? as i32)
    };
    let digits: &[u8; 16] = if n < 0 {
        n = -n;
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let n = n.min(8) as usize;
    let mut buf = [0u8; 8];
    for slot in buf[..n].iter_mut().rev() {
        *slot = digits[(b & 15) as usize];
        b >>= 4;
    }
    let s = state.gc.intern_string(&buf[..n]);
    state.push(Val::Str(s));
    Ok(1)
}
