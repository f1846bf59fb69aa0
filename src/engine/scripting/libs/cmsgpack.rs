//! `cmsgpack` as Redis 7.0 bundles it (lua-cmsgpack 0.4.0, `deps/lua/src/lua_cmsgpack.c`).
//!
//! By hand rather than on the rmp crate: the bytes must be lua-cmsgpack's, and most of them are
//! its own choices, not MessagePack's — a number is an integer when it is one, else a float32 when
//! that is exact, else a float64; a table is an array when its keys are exactly 1..n; tables
//! nested 16 deep become nil; `uint 64` comes back negative past 2^63 (Lua's lua_pushinteger);
//! and its errors have their own texts. rmp would only have written the headers, for more wasm.

use rilua::vm::gc::arena::GcRef;
use rilua::vm::state::LuaState;
use rilua::vm::table::Table;
use rilua::{LuaError, LuaResult, RustFn, Val};

use super::{arg, arg_count, arg_error, string_arg, type_error};
use crate::engine::scripting::native::{to_number, where_error};

/// The functions, by name.
pub const FUNCTIONS: [(&str, RustFn); 4] = [
    ("pack", pack),
    ("unpack", unpack),
    ("unpack_one", unpack_one),
    ("unpack_limit", unpack_limit),
];

/// The module's text fields.
pub const FIELDS: [(&str, &str); 4] = [
    ("_NAME", "cmsgpack"),
    ("_VERSION", "lua-cmsgpack 0.4.0"),
    ("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"),
    ("_DESCRIPTION", "MessagePack C implementation for Lua"),
];

const MAX_NESTING: usize = 16;

/// `cmsgpack.pack(…)`: every argument, one after the other.
fn pack(state: &mut LuaState) -> LuaResult<u32> {
    let n = arg_count(state);
    if n == 0 {
        return Err(arg_error(state, 0, "MessagePack pack needs input."));
    }
    let mut out = Vec::new();
    for i in 1..=n {
        let v = arg(state, i);
        encode(state, v, 0, &mut out);
    }
    let s = state.gc.intern_string(&out);
    state.push(Val::Str(s));
    Ok(1)
}

fn encode(state: &LuaState, v: Val, level: usize, out: &mut Vec<u8>) {
    match v {
        Val::Str(r) => {
            let bytes = super::bytes(state, r);
            encode_bytes(&bytes, out);
        }
        Val::Bool(b) => out.push(if b { 0xc3 } else { 0xc2 }),
        Val::Num(n) => encode_number(n, out),
        Val::Table(t) if level < MAX_NESTING => encode_table(state, t, level, out),
        _ => out.push(0xc0),
    }
}

fn encode_bytes(s: &[u8], out: &mut Vec<u8>) {
    let len = s.len();
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len <= 0xff {
        out.extend_from_slice(&[0xd9, len as u8]);
    } else if len <= 0xffff {
        out.push(0xda);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
    out.extend_from_slice(s);
}

/// `mp_encode_lua_number`: an integer when `(int64_t)n == n`, else a float or a double.
fn encode_number(n: f64, out: &mut Vec<u8>) {
    let fits =
        n.is_finite() && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n);
    if fits && (n as i64) as f64 == n {
        encode_int(n as i64, out);
    } else if f64::from(n as f32) == n {
        out.push(0xca);
        out.extend_from_slice(&(n as f32).to_be_bytes());
    } else {
        out.push(0xcb);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn encode_int(n: i64, out: &mut Vec<u8>) {
    if n >= 0 {
        if n <= 127 {
            out.push(n as u8);
        } else if n <= 0xff {
            out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&n.to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= -128 {
        out.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= -32_768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn header(out: &mut Vec<u8>, n: usize, fix: u8, h16: u8, h32: u8) {
    if n <= 15 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        out.push(h16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(h32);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

fn encode_table(state: &LuaState, t: GcRef<Table>, level: usize, out: &mut Vec<u8>) {
    let Some(table) = state.gc.tables.get(t) else {
        out.push(0xc0);
        return;
    };
    let mut entries = Vec::new();
    let mut key = Val::Nil;
    while let Ok(Some((k, v))) = table.next(key, &state.gc.string_arena) {
        entries.push((k, v));
        key = k;
    }
    // `table_is_an_array`: every key a positive int, and as many keys as the largest.
    let mut max: i64 = 0;
    let mut array = true;
    for (k, _) in &entries {
        match *k {
            Val::Num(n)
                if n > 0.0 && n.is_finite() && n < 2_147_483_648.0 && (n as i32) as f64 == n =>
            {
                max = max.max(n as i64);
            }
            _ => {
                array = false;
                break;
            }
        }
    }
    if array && max == entries.len() as i64 {
        let len = table.len(&state.gc.string_arena);
        header(out, len, 0x90, 0xdc, 0xdd);
        for i in 1..=len {
            encode(state, table.get_int(i as i64), level + 1, out);
        }
    } else {
        header(out, entries.len(), 0x80, 0xde, 0xdf);
        for (k, v) in entries {
            encode(state, k, level + 1, out);
            encode(state, v, level + 1, out);
        }
    }
}

/// Why decoding stopped.
enum Stop {
    Eof,
    BadFormat,
}

struct Cursor<'a> {
    data: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.data.len() - self.at
    }

    fn need(&self, n: usize) -> Result<(), Stop> {
        if self.left() < n {
            Err(Stop::Eof)
        } else {
            Ok(())
        }
    }

    fn byte(&self, i: usize) -> u8 {
        self.data.get(self.at + i).copied().unwrap_or(0)
    }

    fn be(&self, from: usize, n: usize) -> u64 {
        (0..n).fold(0u64, |v, i| (v << 8) | u64::from(self.byte(from + i)))
    }

    fn take(&mut self, state: &mut LuaState, from: usize, len: usize) -> Result<Val, Stop> {
        self.need(from.checked_add(len).ok_or(Stop::Eof)?)?;
        let s = state
            .gc
            .intern_string(&self.data[self.at + from..self.at + from + len]);
        self.at += from + len;
        Ok(Val::Str(s))
    }
}

fn integer(n: i64) -> Val {
    Val::Num(n as f64)
}

fn decode(state: &mut LuaState, c: &mut Cursor<'_>) -> Result<Val, Stop> {
    c.need(1)?;
    let b = c.byte(0);
    let fixed = |c: &mut Cursor<'_>, n: usize| -> Result<u64, Stop> {
        c.need(1 + n)?;
        let v = c.be(1, n);
        c.at += 1 + n;
        Ok(v)
    };
    Ok(match b {
        0xcc => integer(fixed(c, 1)? as i64),
        0xd0 => integer(i64::from(fixed(c, 1)? as u8 as i8)),
        0xcd => integer(fixed(c, 2)? as i64),
        0xd1 => integer(i64::from(fixed(c, 2)? as u16 as i16)),
        0xce => integer(fixed(c, 4)? as i64),
        0xd2 => integer(i64::from(fixed(c, 4)? as u32 as i32)),
        // lua_pushinteger of a uint64_t: past 2^63 it comes back negative.
        0xcf => integer(fixed(c, 8)? as i64),
        0xd3 => integer(fixed(c, 8)? as i64),
        0xc0 => {
            c.at += 1;
            Val::Nil
        }
        0xc3 | 0xc2 => {
            c.at += 1;
            Val::Bool(b == 0xc3)
        }
        0xca => Val::Num(f64::from(f32::from_bits(fixed(c, 4)? as u32))),
        0xcb => Val::Num(f64::from_bits(fixed(c, 8)?)),
        0xd9 => {
            c.need(2)?;
            let len = c.byte(1) as usize;
            c.take(state, 2, len)?
        }
        0xda => {
            c.need(3)?;
            let len = c.be(1, 2) as usize;
            c.take(state, 3, len)?
        }
        0xdb => {
            c.need(5)?;
            let len = c.be(1, 4) as usize;
            c.take(state, 5, len)?
        }
        0xdc => {
            let len = fixed(c, 2)? as usize;
            array(state, c, len)?
        }
        0xdd => {
            let len = fixed(c, 4)? as usize;
            array(state, c, len)?
        }
        0xde => {
            let len = fixed(c, 2)? as usize;
            map(state, c, len)?
        }
        0xdf => {
            let len = fixed(c, 4)? as usize;
            map(state, c, len)?
        }
        _ if b & 0x80 == 0 => {
            c.at += 1;
            integer(i64::from(b))
        }
        _ if b & 0xe0 == 0xe0 => {
            c.at += 1;
            integer(i64::from(b as i8))
        }
        _ if b & 0xe0 == 0xa0 => c.take(state, 1, usize::from(b & 0x1f))?,
        _ if b & 0xf0 == 0x90 => {
            c.at += 1;
            array(state, c, usize::from(b & 0xf))?
        }
        _ if b & 0xf0 == 0x80 => {
            c.at += 1;
            map(state, c, usize::from(b & 0xf))?
        }
        _ => return Err(Stop::BadFormat),
    })
}

fn set(state: &mut LuaState, t: GcRef<Table>, k: Val, v: Val) {
    if matches!(k, Val::Nil) || matches!(v, Val::Nil) {
        return;
    }
    if let Some(table) = state.gc.tables.get_mut(t) {
        let _ = table.raw_set(k, v, &state.gc.string_arena);
    }
}

fn array(state: &mut LuaState, c: &mut Cursor<'_>, len: usize) -> Result<Val, Stop> {
    let t = state.gc.alloc_table(Table::new());
    for i in 1..=len {
        let v = decode(state, c)?;
        set(state, t, Val::Num(i as f64), v);
    }
    Ok(Val::Table(t))
}

fn map(state: &mut LuaState, c: &mut Cursor<'_>, len: usize) -> Result<Val, Stop> {
    let t = state.gc.alloc_table(Table::new());
    for _ in 0..len {
        let k = decode(state, c)?;
        let v = decode(state, c)?;
        set(state, t, k, v);
    }
    Ok(Val::Table(t))
}

/// `mp_unpack_full`: up to `limit` values from `offset` (all of them when both are 0), preceded
/// by the offset after them (-1 at the end) unless all were asked for.
fn unpack_full(state: &mut LuaState, limit: i64, offset: i64) -> LuaResult<u32> {
    let data = string_arg(state, 1)?;
    let len = data.len();
    let all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        let text = format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        );
        return Err(where_error(state, text));
    }
    if offset as u64 > len as u64 {
        let text = format!(
            "Start offset {} greater than input length {}.",
            offset as i32, len as i32
        );
        return Err(where_error(state, text));
    }
    let limit = if all { i64::from(i32::MAX) } else { limit };
    let mut c = Cursor {
        data: &data,
        at: offset as usize,
    };
    let mut values = Vec::new();
    while c.left() > 0 && (values.len() as i64) < limit {
        match decode(state, &mut c) {
            Ok(v) => values.push(v),
            Err(Stop::Eof) => return Err(where_error(state, "Missing bytes in input.".into())),
            Err(Stop::BadFormat) => {
                return Err(where_error(state, "Bad data format in input.".into()))
            }
        }
    }
    let mut n = values.len() as u32;
    if !all {
        let next = if c.left() == 0 { -1.0 } else { c.at as f64 };
        state.push(Val::Num(next));
        n += 1;
    }
    for v in values {
        state.push(v);
    }
    Ok(n)
}

/// luaL_checkinteger / luaL_optinteger: argument `i` as an integer (`default` when absent).
fn integer_arg(state: &mut LuaState, i: usize, default: Option<i64>) -> Result<i64, LuaError> {
    let v = arg(state, i);
    if let (Some(d), Val::Nil) = (default, v) {
        return Ok(d);
    }
    match to_number(state, v) {
        Some(n) if n.is_finite() && n.abs() < 9.2e18 => Ok(n as i64),
        Some(_) => Ok(i64::MIN),
        None => Err(type_error(state, i, "number")),
    }
}

fn unpack(state: &mut LuaState) -> LuaResult<u32> {
    unpack_full(state, 0, 0)
}

fn unpack_one(state: &mut LuaState) -> LuaResult<u32> {
    let offset = integer_arg(state, 2, Some(0))?;
    unpack_full(state, 1, offset)
}

fn unpack_limit(state: &mut LuaState) -> LuaResult<u32> {
    let limit = integer_arg(state, 2, None)?;
    let offset = integer_arg(state, 3, Some(0))?;
    unpack_full(state, limit, offset)
}
