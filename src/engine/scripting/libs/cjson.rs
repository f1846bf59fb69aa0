//! `cjson` as Redis 7.0 bundles it (lua-cjson 2.1.0, `deps/lua/src/lua_cjson.c`), with Redis'
//! defaults: numbers as `%.14g`, NaN and Inf refused when encoding, accepted (with hex numbers)
//! when decoding, sparse arrays refused past a ratio of 2 (and index 10), 1000 levels at most.
//!
//! Written after the C, not on serde_json: the replies must be byte-identical, and lua-cjson
//! differs from a JSON library on purpose — it accepts `0x10`, `inf`, `nan` and leading zeros
//! through strtod, stops at a NUL byte, keeps the last of duplicate keys, orders object keys as
//! `lua_next` walks the table, escapes `/`, and names the token and character of every error
//! ("Expected value but found T_END at character 1").

use rilua::vm::gc::arena::GcRef;
use rilua::vm::state::LuaState;
use rilua::vm::table::Table;
use rilua::{LuaError, LuaResult, RustFn, Val};

use super::{arg, arg_count, arg_error, string_arg};
use crate::engine::scripting::native::where_error;
use crate::engine::scripting::vm::lua_number;

/// `cjson.null`: a NULL light userdata, as lua-cjson's.
pub const NULL: Val = Val::LightUserdata(0);

/// The functions, by name.
pub const FUNCTIONS: [(&str, RustFn); 2] = [("encode", encode), ("decode", decode)];

const MAX_DEPTH: usize = 1000;
const SPARSE_RATIO: i64 = 2;
const SPARSE_SAFE: i64 = 10;

fn error(state: &mut LuaState, text: String) -> LuaError {
    where_error(state, text)
}

/// `cjson.encode(value)`
fn encode(state: &mut LuaState) -> LuaResult<u32> {
    if arg_count(state) != 1 {
        return Err(arg_error(state, 1, "expected 1 argument"));
    }
    let v = arg(state, 1);
    let mut out = Vec::new();
    if let Err(text) = append(state, v, 0, &mut out) {
        return Err(error(state, text));
    }
    let s = state.gc.intern_string(&out);
    state.push(Val::Str(s));
    Ok(1)
}

fn cannot(v: Val, reason: &str) -> String {
    format!("Cannot serialise {}: {reason}", v.type_name())
}

fn append(state: &LuaState, v: Val, depth: usize, out: &mut Vec<u8>) -> Result<(), String> {
    match v {
        Val::Str(r) => {
            let bytes = super::bytes(state, r);
            append_string(&bytes, out);
        }
        Val::Num(n) => append_number(v, n, out)?,
        Val::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Val::Nil | Val::LightUserdata(0) => out.extend_from_slice(b"null"),
        Val::Table(t) => {
            let depth = depth + 1;
            if depth > MAX_DEPTH {
                return Err(format!("Cannot serialise, excessive nesting ({depth})"));
            }
            let entries = entries(state, t);
            match array_length(&entries) {
                Some(0) | None => append_object(state, v, &entries, depth, out)?,
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
                        append(state, item, depth, out)?;
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
fn array_length(entries: &[(Val, Val)]) -> Option<i64> {
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
    if max > items * SPARSE_RATIO && max > SPARSE_SAFE {
        return Some(-1);
    }
    Some(max)
}

fn append_object(
    state: &LuaState,
    _table: Val,
    entries: &[(Val, Val)],
    depth: usize,
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
                append_number(k, n, out)?;
                out.extend_from_slice(b"\":");
            }
            Val::Str(r) => {
                let bytes = super::bytes(state, r);
                append_string(&bytes, out);
                out.push(b':');
            }
            _ => return Err(cannot(k, "table key must be a number or string")),
        }
        append(state, v, depth, out)?;
    }
    out.push(b'}');
    Ok(())
}

fn append_number(v: Val, n: f64, out: &mut Vec<u8>) -> Result<(), String> {
    if !n.is_finite() {
        return Err(cannot(v, "must not be NaN or Inf"));
    }
    out.extend_from_slice(lua_number(n).as_bytes());
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
            b'i' | b'I' | b'n' | b'N' | b'+' if self.is_invalid_number() => self.number(&mut t),
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
    let mut parser = Parser {
        data: &text[..end],
        pos: 0,
        depth: 0,
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

fn descend(parser: &mut Parser<'_>) -> Result<(), String> {
    parser.depth += 1;
    if parser.depth > MAX_DEPTH {
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
            descend(parser)?;
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
            Val::Table(table)
        }
        Kind::ArrBegin => {
            descend(parser)?;
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
            Val::Table(table)
        }
        _ => return Err(expected("value", &t)),
    })
}
