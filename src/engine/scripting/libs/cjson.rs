//! `cjson` as Redis 7.0 bundles it (lua-cjson 2.1.0, `deps/lua/src/lua_cjson.c`), with Redis'
//! defaults: numbers as `%.14g`, NaN and Inf refused when encoding, accepted (with hex numbers)
//! when decoding, sparse arrays refused past a ratio of 2 (and index 10), 1000 levels at most.
//! The setting functions (`encode_sparse_array`, `encode_max_depth`, `decode_max_depth`,
//! `encode_number_precision`, `encode_keep_buffer`, `encode_invalid_numbers`,
//! `decode_invalid_numbers`) change them, and `cjson.new()` makes a table with its own: as in C,
//! the functions of one table share one configuration (a userdata upvalue), so a script that
//! changes the global `cjson`'s settings changes them for the scripts after it, until the VM is
//! reset (SCRIPT FLUSH). One difference: lua-cjson nests as deep as a raised limit and Lua's
//! 8,000 C stack slots allow; the engine stops at 1,000 levels whatever the limit (deeper would
//! overflow the page's native stack), with the same error.
//!
//! Written after the C, not on serde_json: the replies must be byte-identical, and lua-cjson
//! differs from a JSON library on purpose — it accepts `0x10`, `inf`, `nan` and leading zeros
//! through strtod, stops at a NUL byte, keeps the last of duplicate keys, orders object keys as
//! `lua_next` walks the table, escapes `/`, and names the token and character of every error
//! ("Expected value but found T_END at character 1").

use rilua::vm::closure::{Closure, RustClosure};
use rilua::vm::gc::arena::GcRef;
use rilua::vm::state::LuaState;
use rilua::vm::table::Table;
use rilua::vm::value::Userdata;
use rilua::{LuaError, LuaResult, RustFn, Val};

use super::{arg, arg_count, arg_error, string_arg, type_error};
use crate::engine::scripting::native::{to_number, where_error};
use crate::engine::scripting::vm::c_g_format;

/// `cjson.null`: a NULL light userdata, as lua-cjson's.
pub const NULL: Val = Val::LightUserdata(0);

/// The functions, by name (`lua_cjson_new`'s `reg`).
const FUNCTIONS: [(&str, RustFn); 10] = [
    ("encode", encode),
    ("decode", decode),
    ("encode_sparse_array", encode_sparse_array),
    ("encode_max_depth", encode_max_depth),
    ("decode_max_depth", decode_max_depth),
    ("encode_number_precision", encode_number_precision),
    ("encode_keep_buffer", encode_keep_buffer),
    ("encode_invalid_numbers", encode_invalid_numbers),
    ("decode_invalid_numbers", decode_invalid_numbers),
    ("new", new),
];

/// The deepest the engine nests, whatever `encode_max_depth` / `decode_max_depth` allow: the
/// encoder and decoder recurse, and the page's stack is 1 MB.
const DEPTH_CAP: usize = 1000;
/// Lua 5.1's `LUAI_MAXCSTACK`: `lua_checkstack` refuses a C function more slots than this.
const MAX_C_STACK: usize = 8000;

/// lua-cjson's `json_config_t` (the strbuf aside), with Redis' build's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Config {
    sparse_convert: i32,
    sparse_ratio: i32,
    sparse_safe: i32,
    encode_max_depth: i32,
    decode_max_depth: i32,
    /// 0 off (an error), 1 on (`inf`, `nan`), 2 `null`.
    encode_invalid_numbers: i32,
    decode_invalid_numbers: i32,
    encode_keep_buffer: i32,
    encode_number_precision: i32,
}

const DEFAULTS: Config = Config {
    sparse_convert: 0,
    sparse_ratio: 2,
    sparse_safe: 10,
    encode_max_depth: 1000,
    decode_max_depth: 1000,
    encode_invalid_numbers: 0,
    decode_invalid_numbers: 1,
    encode_keep_buffer: 1,
    encode_number_precision: 14,
};

/// `lua_cjson_new`: a cjson table whose functions share a new configuration.
pub fn module(state: &mut LuaState) -> GcRef<Table> {
    let config = state.gc.alloc_userdata(Userdata::new(Box::new(DEFAULTS)));
    let table = state.gc.alloc_table(Table::new());
    for (name, func) in FUNCTIONS {
        let closure = state.gc.alloc_closure(Closure::Rust(RustClosure {
            func,
            upvalues: vec![Val::Userdata(config)],
            name: name.to_owned(),
            env: None,
        }));
        let key = Val::Str(state.gc.intern_string(name.as_bytes()));
        set(state, table, key, Val::Function(closure));
    }
    let key = Val::Str(state.gc.intern_string(b"null"));
    set(state, table, key, NULL);
    for (name, value) in [("_NAME", "cjson"), ("_VERSION", "2.1.0")] {
        let key = Val::Str(state.gc.intern_string(name.as_bytes()));
        let value = Val::Str(state.gc.intern_string(value.as_bytes()));
        set(state, table, key, value);
    }
    table
}

/// `cjson.new()`
fn new(state: &mut LuaState) -> LuaResult<u32> {
    let table = module(state);
    state.push(Val::Table(table));
    Ok(1)
}

/// The configuration userdata of the running function (`json_fetch_config`).
fn config_ref(state: &LuaState) -> Option<GcRef<Userdata>> {
    let Val::Function(f) = state.stack_get(state.call_stack[state.ci].func) else {
        return None;
    };
    match state.gc.closures.get(f) {
        Some(Closure::Rust(c)) => match c.upvalues.first() {
            Some(Val::Userdata(u)) => Some(*u),
            _ => None,
        },
        _ => None,
    }
}

fn config(state: &LuaState) -> Config {
    config_ref(state)
        .and_then(|u| state.gc.userdata.get(u))
        .and_then(|u| u.downcast_ref::<Config>().copied())
        .unwrap_or(DEFAULTS)
}

fn store(state: &mut LuaState, config: Config) {
    if let Some(u) = config_ref(state) {
        if let Some(c) = state
            .gc
            .userdata
            .get_mut(u)
            .and_then(|u| u.downcast_mut::<Config>())
        {
            *c = config;
        }
    }
}

/// `json_arg_init`: at most `args` arguments.
fn arg_init(state: &mut LuaState, args: usize) -> Result<Config, LuaError> {
    if arg_count(state) > args {
        return Err(arg_error(state, args + 1, "found too many arguments"));
    }
    // Padded with nils, so that the values pushed go after the arguments.
    while arg_count(state) < args {
        state.push(Val::Nil);
    }
    Ok(config(state))
}

/// x86-64's `(int)(lua_Integer)n` (`luaL_checkinteger` into an `int`): out of range (or NaN) is
/// `0x8000000000000000`, whose low 32 bits are 0.
fn c_int(n: f64) -> i32 {
    // -2^63 ..< 2^63, exactly.
    let low = i64::MIN as f64;
    let wide = if n.is_nan() || n < low || n >= -low {
        i64::MIN
    } else {
        n as i64
    };
    wide as i32
}

/// `json_integer_option`: sets `setting` from argument `i` unless it is nil; pushes the value.
fn integer_option(
    state: &mut LuaState,
    i: usize,
    setting: &mut i32,
    min: i32,
    max: i32,
) -> Result<(), LuaError> {
    let v = arg(state, i);
    if !matches!(v, Val::Nil) {
        let Some(n) = to_number(state, v) else {
            return Err(type_error(state, i, "number"));
        };
        let value = c_int(n);
        if !(min..=max).contains(&value) {
            // lua-cjson names argument 1 whichever it checks.
            return Err(arg_error(
                state,
                1,
                &format!("expected integer between {min} and {max}"),
            ));
        }
        *setting = value;
    }
    state.push(Val::Num(f64::from(*setting)));
    Ok(())
}

/// `json_enum_option` with `bool_true` 1: a boolean, or one of `options` (`off`, `on`, …).
fn enum_option(
    state: &mut LuaState,
    i: usize,
    setting: &mut i32,
    options: &[&str],
) -> Result<(), LuaError> {
    let v = arg(state, i);
    match v {
        Val::Nil => {}
        Val::Bool(b) => *setting = i32::from(b),
        _ => {
            let name = string_arg(state, i)?;
            match options.iter().position(|o| o.as_bytes() == name) {
                Some(at) => *setting = at as i32,
                None => {
                    let text = format!("invalid option '{}'", String::from_utf8_lossy(&name));
                    return Err(arg_error(state, i, &text));
                }
            }
        }
    }
    if *setting == 0 || *setting == 1 {
        state.push(Val::Bool(*setting == 1));
    } else {
        let text = options.get(*setting as usize).copied().unwrap_or_default();
        let s = state.gc.intern_string(text.as_bytes());
        state.push(Val::Str(s));
    }
    Ok(())
}

const ON_OFF: [&str; 2] = ["off", "on"];

/// `cjson.encode_sparse_array([convert[, ratio[, safe]]])`
fn encode_sparse_array(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 3)?;
    let result = (|| {
        enum_option(state, 1, &mut c.sparse_convert, &ON_OFF)?;
        integer_option(state, 2, &mut c.sparse_ratio, 0, i32::MAX)?;
        integer_option(state, 3, &mut c.sparse_safe, 0, i32::MAX)
    })();
    // C writes each setting as it goes: an error in the ratio keeps the convert flag.
    store(state, c);
    result.map(|()| 3)
}

/// `cjson.encode_max_depth([depth])`
fn encode_max_depth(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 1)?;
    integer_option(state, 1, &mut c.encode_max_depth, 1, i32::MAX)?;
    store(state, c);
    Ok(1)
}

/// `cjson.decode_max_depth([depth])`
fn decode_max_depth(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 1)?;
    integer_option(state, 1, &mut c.decode_max_depth, 1, i32::MAX)?;
    store(state, c);
    Ok(1)
}

/// `cjson.encode_number_precision([digits])`: 1 to 14.
fn encode_number_precision(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 1)?;
    integer_option(state, 1, &mut c.encode_number_precision, 1, 14)?;
    store(state, c);
    Ok(1)
}

/// `cjson.encode_keep_buffer([keep])`: whether encode reuses one buffer (nothing else changes).
fn encode_keep_buffer(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 1)?;
    enum_option(state, 1, &mut c.encode_keep_buffer, &ON_OFF)?;
    store(state, c);
    Ok(1)
}

/// `cjson.encode_invalid_numbers([setting])`: `off`, `on` (`inf`, `nan`) or `null`.
fn encode_invalid_numbers(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 1)?;
    enum_option(
        state,
        1,
        &mut c.encode_invalid_numbers,
        &["off", "on", "null"],
    )?;
    store(state, c);
    Ok(1)
}

/// `cjson.decode_invalid_numbers([setting])`: whether hex, `inf`, `nan`, `+1`… decode.
fn decode_invalid_numbers(state: &mut LuaState) -> LuaResult<u32> {
    let mut c = arg_init(state, 1)?;
    enum_option(state, 1, &mut c.decode_invalid_numbers, &ON_OFF)?;
    store(state, c);
    Ok(1)
}

fn error(state: &mut LuaState, text: String) -> LuaError {
    where_error(state, text)
}

/// `cjson.encode(value)`
fn encode(state: &mut LuaState) -> LuaResult<u32> {
    if arg_count(state) != 1 {
        return Err(arg_error(state, 1, "expected 1 argument"));
    }
    let v = arg(state, 1);
    let config = config(state);
    let mut out = Vec::new();
    // The stack holds the argument; each level adds its item (array) or key and value (object).
    if let Err(text) = append(state, &config, v, 0, 1, &mut out) {
        return Err(error(state, text));
    }
    let s = state.gc.intern_string(&out);
    state.push(Val::Str(s));
    Ok(1)
}

fn cannot(v: Val, reason: &str) -> String {
    format!("Cannot serialise {}: {reason}", v.type_name())
}

fn append(
    state: &LuaState,
    config: &Config,
    v: Val,
    depth: usize,
    slots: usize,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    match v {
        Val::Str(r) => {
            let bytes = super::bytes(state, r);
            append_string(&bytes, out);
        }
        Val::Num(n) => append_number(config, v, n, out)?,
        Val::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Val::Nil | Val::LightUserdata(0) => out.extend_from_slice(b"null"),
        Val::Table(t) => {
            let depth = depth + 1;
            // `json_check_encode_depth`: the limit, and lua_checkstack(3).
            let limit = usize::try_from(config.encode_max_depth).unwrap_or(0);
            if depth > limit || depth > DEPTH_CAP || slots + 3 > MAX_C_STACK {
                return Err(format!("Cannot serialise, excessive nesting ({depth})"));
            }
            let entries = entries(state, t);
            match array_length(config, &entries) {
                Some(0) | None => append_object(state, config, &entries, depth, slots, out)?,
                Some(len) if len < 0 => return Err(cannot(v, "excessively sparse array")),
                Some(len) => {
                    out.push(b'[');
                    for i in 1..=len {
                        if i > 1 {
                            out.push(b',');
                        }
                        let item = state
                            .gc
                            .tables
                            .get(t)
                            .map_or(Val::Nil, |table| table.get_int(i));
                        append(state, config, item, depth, slots + 1, out)?;
                    }
                    out.push(b']');
                }
            }
        }
        _ => return Err(cannot(v, "type not supported")),
    }
    Ok(())
}

/// A table's entries in `lua_next` order.
fn entries(state: &LuaState, t: GcRef<Table>) -> Vec<(Val, Val)> {
    let mut out = Vec::new();
    let Some(table) = state.gc.tables.get(t) else {
        return out;
    };
    let mut key = Val::Nil;
    while let Ok(Some((k, v))) = table.next(key, &state.gc.string_arena) {
        out.push((k, v));
        key = k;
    }
    out
}

/// `lua_array_length`: Some(n ≥ 0) for an array of n, None for an object, Some(-1) for an
/// excessively sparse array (an error).
fn array_length(config: &Config, entries: &[(Val, Val)]) -> Option<i64> {
    let mut max: i64 = 0;
    let mut items: i64 = 0;
    for (k, _) in entries {
        match *k {
            Val::Num(k) if k != 0.0 && k.floor() == k && k >= 1.0 => {
                // C's `max = k` into an int: out of range is INT_MIN on x86-64.
                let k = if k < 2_147_483_648.0 {
                    k as i64
                } else {
                    i64::from(i32::MIN)
                };
                if k > max {
                    max = k;
                }
                items += 1;
            }
            _ => return None,
        }
    }
    let ratio = i64::from(config.sparse_ratio);
    if ratio > 0 && max > items * ratio && max > i64::from(config.sparse_safe) {
        // Converted to an object, or an error.
        return if config.sparse_convert != 0 {
            None
        } else {
            Some(-1)
        };
    }
    Some(max)
}

fn append_object(
    state: &LuaState,
    config: &Config,
    entries: &[(Val, Val)],
    depth: usize,
    slots: usize,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    out.push(b'{');
    for (i, &(k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match k {
            Val::Num(n) => {
                out.push(b'"');
                append_number(config, k, n, out)?;
                out.extend_from_slice(b"\":");
            }
            Val::Str(r) => {
                let bytes = super::bytes(state, r);
                append_string(&bytes, out);
                out.push(b':');
            }
            _ => return Err(cannot(k, "table key must be a number or string")),
        }
        append(state, config, v, depth, slots + 2, out)?;
    }
    out.push(b'}');
    Ok(())
}

/// `json_append_number`: NaN and Inf by `encode_invalid_numbers`, others `%.<precision>g`.
fn append_number(config: &Config, v: Val, n: f64, out: &mut Vec<u8>) -> Result<(), String> {
    if !n.is_finite() {
        match config.encode_invalid_numbers {
            0 => return Err(cannot(v, "must not be NaN or Inf")),
            1 if n.is_nan() => {
                out.extend_from_slice(b"nan");
                return Ok(());
            }
            1 => {}
            _ => {
                out.extend_from_slice(b"null");
                return Ok(());
            }
        }
    }
    let precision = usize::try_from(config.encode_number_precision).unwrap_or(14);
    out.extend_from_slice(c_g_format(n, precision).as_bytes());
    Ok(())
}

/// `json_append_string`: `"`, `\`, `/`, control bytes and DEL escaped.
fn append_string(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            8 => out.extend_from_slice(b"\\b"),
            9 => out.extend_from_slice(b"\\t"),
            10 => out.extend_from_slice(b"\\n"),
            12 => out.extend_from_slice(b"\\f"),
            13 => out.extend_from_slice(b"\\r"),
            0..=31 | 127 => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// lua-cjson's token types; the names are what its errors print.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Number,
    Boolean,
    Null,
    Colon,
    Comma,
    End,
    Error,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str => "T_STRING",
            Kind::Number => "T_NUMBER",
            Kind::Boolean => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error => "T_ERROR",
        }
    }
}

struct Token {
    kind: Kind,
    /// 0-based position (the error prints it 1-based).
    index: usize,
    /// The error's text, for Kind::Error.
    error: &'static str,
    string: Vec<u8>,
    number: f64,
    boolean: bool,
}

struct Parser<'a> {
    /// The text up to its first NUL: lua-cjson reads a C string.
    data: &'a [u8],
    pos: usize,
    depth: usize,
    /// `decode_max_depth`.
    max_depth: usize,
    /// `decode_invalid_numbers`.
    invalid_numbers: bool,
    /// The Lua stack slots in use (the argument, then each open array's table, each open
    /// object's table and key): `lua_checkstack` refuses past 8,000.
    slots: usize,
}

impl Parser<'_> {
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    fn token(&mut self) -> Token {
        while matches!(self.at(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        let mut t = Token {
            kind: Kind::Error,
            index: self.pos,
            error: "invalid token",
            string: Vec::new(),
            number: 0.0,
            boolean: false,
        };
        let c = self.at(self.pos);
        let single = match c {
            b'{' => Some(Kind::ObjBegin),
            b'}' => Some(Kind::ObjEnd),
            b'[' => Some(Kind::ArrBegin),
            b']' => Some(Kind::ArrEnd),
            b',' => Some(Kind::Comma),
            b':' => Some(Kind::Colon),
            0 => {
                t.kind = Kind::End;
                return t;
            }
            _ => None,
        };
        if let Some(kind) = single {
            t.kind = kind;
            self.pos += 1;
            return t;
        }
        let rest = &self.data[self.pos.min(self.data.len())..];
        match c {
            b'"' => self.string(&mut t),
            b'-' | b'0'..=b'9' if !self.invalid_numbers && self.is_invalid_number() => {
                t.error = "invalid number";
            }
            b'-' | b'0'..=b'9' => self.number(&mut t),
            _ if rest.starts_with(b"true") => {
                t.kind = Kind::Boolean;
                t.boolean = true;
                self.pos += 4;
            }
            _ if rest.starts_with(b"false") => {
                t.kind = Kind::Boolean;
                self.pos += 5;
            }
            _ if rest.starts_with(b"null") => {
                t.kind = Kind::Null;
                self.pos += 4;
            }
            b'i' | b'I' | b'n' | b'N' | b'+'
                if self.invalid_numbers && self.is_invalid_number() =>
            {
                self.number(&mut t)
            }
            _ => {}
        }
        t
    }

    /// `json_is_invalid_number`: the non-JSON numbers strtod takes (`+1`, hex, leading zeros,
    /// inf, nan).
    fn is_invalid_number(&self) -> bool {
        let mut p = self.pos;
        match self.at(p) {
            b'+' => return true,
            b'-' => p += 1,
            _ => {}
        }
        let c = self.at(p);
        if c == b'0' {
            let c2 = self.at(p + 1);
            return (c2 | 0x20) == b'x' || c2.is_ascii_digit();
        }
        if c <= b'9' {
            return false;
        }
        let word = |w: &[u8]| (0..3).all(|i| self.at(p + i).eq_ignore_ascii_case(&w[i]));
        word(b"inf") || word(b"nan")
    }

    fn number(&mut self, t: &mut Token) {
        t.kind = Kind::Number;
        match strtod(&self.data[self.pos..]) {
            Some((n, len)) => {
                t.number = n;
                self.pos += len;
            }
            None => {
                t.kind = Kind::Error;
                t.index = self.pos;
                t.error = "invalid number";
            }
        }
    }

    fn string(&mut self, t: &mut Token) {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let c = self.at(self.pos);
            if c == b'"' {
                break;
            }
            if c == 0 {
                t.kind = Kind::Error;
                t.index = self.pos;
                t.error = "unexpected end of string";
                return;
            }
            let mut ch = c;
            if c == b'\\' {
                ch = match self.at(self.pos + 1) {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 8,
                    b't' => 9,
                    b'n' => 10,
                    b'f' => 12,
                    b'r' => 13,
                    b'u' => {
                        if self.unicode_escape(&mut out) {
                            continue;
                        }
                        t.kind = Kind::Error;
                        t.index = self.pos;
                        t.error = "invalid unicode escape code";
                        return;
                    }
                    _ => {
                        t.kind = Kind::Error;
                        t.index = self.pos;
                        t.error = "invalid escape code";
                        return;
                    }
                };
                self.pos += 1;
            }
            out.push(ch);
            self.pos += 1;
        }
        self.pos += 1;
        t.kind = Kind::Str;
        t.string = out;
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let mut v = 0;
        for i in 0..4 {
            v = (v << 4) | char::from(self.at(at + i)).to_digit(16)?;
        }
        Some(v)
    }

    /// `json_append_unicode_escape`: `\uXXXX` (or a surrogate pair) as UTF-8.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> bool {
        let Some(mut cp) = self.hex4(self.pos + 2) else {
            return false;
        };
        let mut len = 6;
        if cp & 0xF800 == 0xD800 {
            if cp & 0x400 != 0 {
                return false;
            }
            if self.at(self.pos + 6) != b'\\' || self.at(self.pos + 7) != b'u' {
                return false;
            }
            let Some(low) = self.hex4(self.pos + 8) else {
                return false;
            };
            if low & 0xFC00 != 0xDC00 {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            len = 12;
        }
        match cp {
            0..=0x7F => out.push(cp as u8),
            0x80..=0x7FF => {
                out.extend_from_slice(&[(cp >> 6) as u8 | 0xC0, (cp & 0x3F) as u8 | 0x80])
            }
            0x800..=0xFFFF => out.extend_from_slice(&[
                (cp >> 12) as u8 | 0xE0,
                ((cp >> 6) & 0x3F) as u8 | 0x80,
                (cp & 0x3F) as u8 | 0x80,
            ]),
            _ => out.extend_from_slice(&[
                (cp >> 18) as u8 | 0xF0,
                ((cp >> 12) & 0x3F) as u8 | 0x80,
                ((cp >> 6) & 0x3F) as u8 | 0x80,
                (cp & 0x3F) as u8 | 0x80,
            ]),
        }
        self.pos += len;
        true
    }
}

/// glibc's strtod on the front of `s`: the value and the bytes it used, None when it used none.
/// Decimal (correctly rounded), hexadecimal (`0x1.8p3`), `inf`/`infinity`, `nan`/`nan(…)`.
pub fn strtod(s: &[u8]) -> Option<(f64, usize)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut p = 0;
    let negative = match at(0) {
        b'-' => {
            p = 1;
            true
        }
        b'+' => {
            p = 1;
            false
        }
        _ => false,
    };
    let sign = |v: f64| if negative { -v } else { v };
    let word = |from: usize, w: &[u8]| {
        w.iter()
            .enumerate()
            .all(|(i, c)| at(from + i).eq_ignore_ascii_case(c))
    };
    if word(p, b"inf") {
        let len = if word(p, b"infinity") { 8 } else { 3 };
        return Some((sign(f64::INFINITY), p + len));
    }
    if word(p, b"nan") {
        let mut end = p + 3;
        if at(end) == b'(' {
            let mut q = end + 1;
            while at(q).is_ascii_alphanumeric() || at(q) == b'_' {
                q += 1;
            }
            if at(q) == b')' {
                end = q + 1;
            }
        }
        return Some((sign(f64::NAN), end));
    }
    if at(p) == b'0' && (at(p + 1) | 0x20) == b'x' {
        let start = p + 2;
        let mut q = start;
        let mut mantissa = 0f64;
        let mut digits = 0;
        while let Some(d) = char::from(at(q)).to_digit(16) {
            mantissa = mantissa * 16.0 + f64::from(d);
            q += 1;
            digits += 1;
        }
        let mut exp: i32 = 0;
        if at(q) == b'.' {
            let mut r = q + 1;
            while let Some(d) = char::from(at(r)).to_digit(16) {
                mantissa = mantissa * 16.0 + f64::from(d);
                exp -= 4;
                r += 1;
                digits += 1;
            }
            if digits > 0 {
                q = r;
            }
        }
        if digits == 0 {
            // "0x" without digits: strtod reads the "0".
            return Some((sign(0.0), p + 1));
        }
        if (at(q) | 0x20) == b'p' {
            let mut r = q + 1;
            let e_negative = match at(r) {
                b'-' => {
                    r += 1;
                    true
                }
                b'+' => {
                    r += 1;
                    false
                }
                _ => false,
            };
            if at(r).is_ascii_digit() {
                let mut e: i32 = 0;
                while at(r).is_ascii_digit() {
                    e = e.saturating_mul(10).saturating_add(i32::from(at(r) - b'0'));
                    r += 1;
                }
                exp = exp.saturating_add(if e_negative { -e } else { e });
                q = r;
            }
        }
        return Some((sign(mantissa * 2f64.powi(exp)), q));
    }
    let start = p;
    let mut q = p;
    while at(q).is_ascii_digit() {
        q += 1;
    }
    let mut digits = q - start;
    if at(q) == b'.' {
        let mut r = q + 1;
        while at(r).is_ascii_digit() {
            r += 1;
        }
        digits += r - q - 1;
        if digits > 0 {
            q = r;
        }
    }
    if digits == 0 {
        return None;
    }
    if (at(q) | 0x20) == b'e' {
        let mut r = q + 1;
        if matches!(at(r), b'+' | b'-') {
            r += 1;
        }
        if at(r).is_ascii_digit() {
            while at(r).is_ascii_digit() {
                r += 1;
            }
            q = r;
        }
    }
    let text = std::str::from_utf8(&s[start..q]).ok()?;
    let text = text.strip_suffix('.').unwrap_or(text);
    let value: f64 = text.parse().ok()?;
    Some((sign(value), q))
}

/// `cjson.decode(text)`
fn decode(state: &mut LuaState) -> LuaResult<u32> {
    if arg_count(state) != 1 {
        return Err(arg_error(state, 1, "expected 1 argument"));
    }
    let text = string_arg(state, 1)?;
    if text.len() >= 2 && (text[0] == 0 || text[1] == 0) {
        return Err(error(
            state,
            "JSON parser does not support UTF-16 or UTF-32".into(),
        ));
    }
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    let config = config(state);
    let mut parser = Parser {
        data: &text[..end],
        pos: 0,
        depth: 0,
        max_depth: usize::try_from(config.decode_max_depth).unwrap_or(0),
        invalid_numbers: config.decode_invalid_numbers != 0,
        slots: 1,
    };
    let result = (|| {
        let t = parser.token();
        let v = value(state, &mut parser, t)?;
        let t = parser.token();
        if t.kind != Kind::End {
            return Err(expected("the end", &t));
        }
        Ok(v)
    })();
    match result {
        Ok(v) => {
            state.push(v);
            Ok(1)
        }
        Err(text) => Err(error(state, text)),
    }
}

fn expected(what: &str, t: &Token) -> String {
    let found = if t.kind == Kind::Error {
        t.error
    } else {
        t.kind.name()
    };
    format!(
        "Expected {what} but found {found} at character {}",
        t.index + 1
    )
}

/// `json_decode_descend`: the limit, and lua_checkstack(`slots`) (3 for an object: table, key,
/// value; 2 for an array).
fn descend(parser: &mut Parser<'_>, slots: usize) -> Result<(), String> {
    parser.depth += 1;
    if parser.depth > parser.max_depth
        || parser.depth > DEPTH_CAP
        || parser.slots + slots > MAX_C_STACK
    {
        return Err(format!(
            "Found too many nested data structures ({}) at character {}",
            parser.depth, parser.pos
        ));
    }
    Ok(())
}

fn set(state: &mut LuaState, t: GcRef<Table>, k: Val, v: Val) {
    if let Some(table) = state.gc.tables.get_mut(t) {
        let _ = table.raw_set(k, v, &state.gc.string_arena);
    }
}

fn value(state: &mut LuaState, parser: &mut Parser<'_>, t: Token) -> Result<Val, String> {
    Ok(match t.kind {
        Kind::Str => Val::Str(state.gc.intern_string(&t.string)),
        Kind::Number => Val::Num(t.number),
        Kind::Boolean => Val::Bool(t.boolean),
        Kind::Null => NULL,
        Kind::ObjBegin => {
            descend(parser, 3)?;
            parser.slots += 2;
            let table = state.gc.alloc_table(Table::new());
            let mut t = parser.token();
            if t.kind != Kind::ObjEnd {
                loop {
                    if t.kind != Kind::Str {
                        return Err(expected("object key string", &t));
                    }
                    let key = Val::Str(state.gc.intern_string(&t.string));
                    let colon = parser.token();
                    if colon.kind != Kind::Colon {
                        return Err(expected("colon", &colon));
                    }
                    let next = parser.token();
                    let v = value(state, parser, next)?;
                    set(state, table, key, v);
                    let after = parser.token();
                    if after.kind == Kind::ObjEnd {
                        break;
                    }
                    if after.kind != Kind::Comma {
                        return Err(expected("comma or object end", &after));
                    }
                    t = parser.token();
                }
            }
            parser.depth -= 1;
            parser.slots -= 2;
            Val::Table(table)
        }
        Kind::ArrBegin => {
            descend(parser, 2)?;
            parser.slots += 1;
            let table = state.gc.alloc_table(Table::new());
            let mut t = parser.token();
            if t.kind != Kind::ArrEnd {
                let mut i = 1.0;
                loop {
                    let v = value(state, parser, t)?;
                    set(state, table, Val::Num(i), v);
                    i += 1.0;
                    let after = parser.token();
                    if after.kind == Kind::ArrEnd {
                        break;
                    }
                    if after.kind != Kind::Comma {
                        return Err(expected("comma or array end", &after));
                    }
                    t = parser.token();
                }
            }
            parser.depth -= 1;
            parser.slots -= 1;
            Val::Table(table)
        }
        _ => return Err(expected("value", &t)),
    })
}
