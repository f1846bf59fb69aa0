//! One Lua 5.1 VM (rilua) with incr-lab's bridge (`bridge.lua`) loaded: compiles scripts, runs one
//! at a time as a coroutine, and converts values between Lua and [`Reply`] by Redis' rules
//! (`script_lua.c`: `redisProtocolToLuaType_*` one way, `luaReplyToRedisReply` the other).

use rilua::{Function, Lua, LuaApi, LuaApiMut, StdLib, Table, Val};

use super::native;
use crate::engine::reply::Reply;

/// How deep a returned table may nest before the conversion gives up, as Redis gives up when its
/// Lua stack is full ("reached lua stack limit"; Redis' own depth is larger).
const MAX_DEPTH: usize = 200;

/// What a running script did when it stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// `redis.call` / `redis.pcall` asks for a command (`argv`, name first).
    Call {
        /// The command and its arguments as Redis would receive them (numbers as `%.17g`).
        argv: Vec<Vec<u8>>,
        /// The protocol the script chose with `redis.setresp` (2 or 3) for the reply.
        resp: u8,
    },
    /// `redis.acl_check_cmd` asks whether a command exists.
    AclCheck {
        /// The command and its arguments.
        argv: Vec<Vec<u8>>,
    },
    /// The script returned this reply.
    Done(Reply),
    /// The script raised an error: the message (`None`: an error table without an `err`
    /// string) and where it happened (`@user_script`, line), when known.
    Error {
        /// The error's text, code first (`ERR user_script:1: …`).
        message: Option<Vec<u8>>,
        /// The chunk and line of the function that raised it.
        location: Option<(Vec<u8>, i64)>,
    },
}

/// A Lua VM with the bridge loaded.
pub struct Vm {
    lua: Lua,
    api: Table,
    /// The protocol the running script asked replies in.
    script_resp: u8,
    /// The pending request raises on failure (`redis.call`, not `redis.pcall`).
    raise: bool,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm").finish_non_exhaustive()
    }
}

/// The libraries Redis loads (`luaLoadLibraries`): base, table, string, math, debug (the bridge
/// keeps it; scripts never see it) and coroutine, which Lua 5.1's base library includes.
fn libraries() -> StdLib {
    StdLib::BASE | StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::DEBUG | StdLib::COROUTINE
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}

impl Vm {
    /// A new VM: Lua's libraries, Redis' additions written in Rust, then the bridge.
    pub fn new() -> Vm {
        let mut lua = Lua::new_with(libraries()).expect("Lua's libraries load");
        let api = lua.create_table();
        let native = native::table(&mut lua);
        lua.set_global_val("__incr_lab_bridge", Val::Table(api.gc_ref()))
            .expect("the global table exists");
        let bridge = lua
            .load_bytes(include_bytes!("bridge.lua"), "=bridge")
            .expect("the bridge compiles");
        lua.call_function(&bridge, &[Val::Table(api.gc_ref()), native])
            .expect("the bridge loads");
        Vm {
            lua,
            api,
            script_resp: 2,
            raise: false,
        }
    }

    fn api_fn(&mut self, name: &str) -> Function {
        let key = self.lua.create_string(name.as_bytes());
        match self.lua.table_raw_get(&self.api, key) {
            Ok(Val::Function(f)) => Function::from_gc_ref(f),
            _ => unreachable!("bridge.lua defines api.{name}"),
        }
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Vec<Val> {
        let f = self.api_fn(name);
        // The bridge's functions catch every error a script raises; a failure here is the VM's.
        self.lua.call_function(&f, args).unwrap_or_default()
    }

    /// Compiles `body` as the chunk `chunkname` and keeps it under `key`; a syntax error's message
    /// (`user_script:1: …`) otherwise.
    pub fn compile(&mut self, key: &[u8], body: &[u8], chunkname: &str) -> Result<(), Vec<u8>> {
        let key = self.lua.create_string(key);
        let body = self.lua.create_string(body);
        let name = self.lua.create_string(chunkname.as_bytes());
        let out = self.call("compile", &[key, body, name]);
        match out.first() {
            Some(&v @ Val::Str(_)) => Err(self.bytes(v)),
            _ => Ok(()),
        }
    }

    /// Forgets every compiled script.
    pub fn forget_all(&mut self) {
        self.call("forget_all", &[]);
    }

    /// Forgets the compiled script or function `key`.
    pub fn forget(&mut self, key: &[u8]) {
        let key = self.lua.create_string(key);
        self.call("forget", &[key]);
    }

    /// Runs a function library's code (its shebang line already cut, its newline kept) with at
    /// most `steps` Lua instructions: the functions it registered, or FUNCTION LOAD's error text.
    /// [`Vm::commit_library`] then keeps them.
    pub fn load_library(&mut self, code: &[u8], steps: u64) -> Result<Vec<Registered>, LoadError> {
        let code = self.lua.create_string(code);
        let out = self.call("load_library", &[code, Val::Num(steps as f64)]);
        let kind = out.first().map(|&v| self.bytes(v)).unwrap_or_default();
        let text = || out.get(1).map(|&v| self.bytes(v)).unwrap_or_default();
        match kind.as_slice() {
            b"ok" => {}
            b"compile" => return Err(LoadError::Compile(text())),
            _ => return Err(LoadError::Register(text())),
        }
        let list = |i: usize| match out.get(i) {
            Some(&Val::Table(t)) => Some(Table::from_gc_ref(t)),
            _ => None,
        };
        let (Some(names), Some(descriptions), Some(flags)) = (list(1), list(2), list(3)) else {
            return Ok(Vec::new());
        };
        let n = self.lua.table_raw_len(&names);
        let mut registered = Vec::new();
        for i in 1..=n {
            let at = Val::Num(i as f64);
            let name = self
                .lua
                .table_raw_get(&names, at)
                .map(|v| self.bytes(v))
                .unwrap_or_default();
            let description = match self.lua.table_raw_get(&descriptions, at) {
                Ok(v @ Val::Str(_)) => Some(self.bytes(v)),
                _ => None,
            };
            let flag_list = match self.lua.table_raw_get(&flags, at) {
                Ok(Val::Table(t)) => {
                    let t = Table::from_gc_ref(t);
                    let m = self.lua.table_raw_len(&t);
                    (1..=m)
                        .map(|j| {
                            self.lua
                                .table_raw_get(&t, Val::Num(j as f64))
                                .map(|v| String::from_utf8_lossy(&self.bytes(v)).into_owned())
                                .unwrap_or_default()
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            registered.push(Registered {
                name: String::from_utf8_lossy(&name).into_owned(),
                description,
                flags: flag_list,
            });
        }
        Ok(registered)
    }

    /// Puts `math.random`'s generator back to its initial state (as a fresh Redis has it).
    pub fn reset_random(&mut self) {
        let key = self.lua.create_string(b"rand");
        let _ = self.lua.table_raw_set(&self.api, key, Val::Nil);
    }

    /// Keeps the functions the last [`Vm::load_library`] registered, under `function:<name>`.
    pub fn commit_library(&mut self) {
        self.call("commit_library", &[]);
    }

    /// Starts the script compiled under `key` with these keys and arguments and at most `steps`
    /// Lua instructions; [`Vm::resume`] runs it. `as_function`: FCALL's calling convention.
    pub fn start(
        &mut self,
        key: &[u8],
        keys: &[&[u8]],
        args: &[&[u8]],
        steps: u64,
        as_function: bool,
    ) {
        let key = self.lua.create_string(key);
        let keys = self.string_array(keys);
        let args = self.string_array(args);
        self.script_resp = 2;
        self.call(
            "start",
            &[
                key,
                keys,
                args,
                Val::Num(steps as f64),
                Val::Bool(as_function),
            ],
        );
    }

    fn string_array(&mut self, items: &[&[u8]]) -> Val {
        let t = self.lua.create_table();
        for (i, item) in items.iter().enumerate() {
            let v = self.lua.create_string(item);
            let _ = self.lua.table_raw_set(&t, Val::Num((i + 1) as f64), v);
        }
        Val::Table(t.gc_ref())
    }

    /// Runs the started script until it asks for a command, returns or fails. `answer` is the
    /// engine's answer to the last request (`None` at the start).
    pub fn resume(&mut self, answer: Option<Answer>) -> Outcome {
        let mut args = match answer {
            None => Vec::new(),
            Some(Answer::Reply(reply)) => {
                if reply.is_error() && self.raise {
                    let mut text = b"-".to_vec();
                    text.extend_from_slice(match &reply {
                        Reply::Error(e) => e,
                        _ => &[],
                    });
                    let e = self.error_table(&text, true);
                    vec![self.raise_tag(), e]
                } else {
                    vec![self.reply_to_lua(&reply, 0)]
                }
            }
            Some(Answer::Known(true)) => vec![Val::Bool(true)],
            Some(Answer::Known(false)) => {
                let e = self.error_table(
                    b"-ERR Invalid command passed to redis.acl_check_cmd()",
                    false,
                );
                vec![self.raise_tag(), e]
            }
        };
        loop {
            let out = self.call("resume", &args);
            let kind = out.first().map(|&v| self.bytes(v)).unwrap_or_default();
            match kind.as_slice() {
                b"call" | b"acl" => {
                    self.raise = matches!(out.get(1), Some(Val::Bool(true)));
                    match self.arguments(&out[2.min(out.len())..]) {
                        Ok(argv) if kind == b"acl" => return Outcome::AclCheck { argv },
                        Ok(argv) => {
                            let resp = self.resp();
                            self.script_resp = resp;
                            return Outcome::Call { argv, resp };
                        }
                        // luaArgsToRedisArgv's refusals: raised by redis.call, returned by pcall.
                        Err(text) => {
                            let e = self.error_table(text.as_bytes(), false);
                            args = if self.raise {
                                vec![self.raise_tag(), e]
                            } else {
                                vec![e]
                            };
                        }
                    }
                }
                b"done" => {
                    let value = out.get(1).copied().unwrap_or(Val::Nil);
                    self.script_resp = self.resp();
                    return Outcome::Done(self.lua_to_reply(value, 0));
                }
                _ => {
                    let message = match out.get(1) {
                        Some(&v @ Val::Str(_)) => Some(self.bytes(v)),
                        _ => None,
                    };
                    let location = match (out.get(2), out.get(3)) {
                        (Some(&source @ Val::Str(_)), Some(Val::Num(line))) => {
                            Some((self.bytes(source), *line as i64))
                        }
                        _ => None,
                    };
                    return Outcome::Error { message, location };
                }
            }
        }
    }

    /// A request's arguments as Redis receives them (luaArgsToRedisArgv): strings as they are,
    /// numbers as `%.17g`; anything else refuses the call.
    fn arguments(&self, values: &[Val]) -> Result<Vec<Vec<u8>>, &'static str> {
        if values.is_empty() {
            return Err("Please specify at least one argument for this redis lib call");
        }
        values
            .iter()
            .map(|&v| match v {
                Val::Str(_) => Ok(self.bytes(v)),
                Val::Num(n) => Ok(crate::engine::number::format_f64(n).into_bytes()),
                _ => Err("Lua redis lib command arguments must be strings or integers"),
            })
            .collect()
    }

    /// The protocol the script chose (`redis.setresp`), 2 unless 3.
    fn resp(&mut self) -> u8 {
        match self.field(&self.api.clone(), "resp") {
            Val::Num(3.0) => 3,
            _ => 2,
        }
    }

    fn raise_tag(&mut self) -> Val {
        self.field(&self.api.clone(), "RAISE")
    }

    /// Ends the run (KEYS and ARGV go) and returns what `redis.log` wrote during it.
    pub fn finish(&mut self) -> Vec<(u8, Vec<u8>)> {
        self.call("finish", &[]);
        let Val::Table(log) = self.field(&self.api.clone(), "log") else {
            return Vec::new();
        };
        let log = Table::from_gc_ref(log);
        let mut lines = Vec::new();
        let n = self.lua.table_raw_len(&log);
        for i in 1..=n {
            let entry = self
                .lua
                .table_raw_get(&log, Val::Num(i as f64))
                .map(|v| self.bytes(v))
                .unwrap_or_default();
            // "<level> <text>", as native::log writes it.
            if let Some((&level, text)) = entry.split_first() {
                lines.push((
                    level.wrapping_sub(b'0'),
                    text.get(1..).unwrap_or_default().to_vec(),
                ));
            }
            let _ = self.lua.table_raw_set(&log, Val::Num(i as f64), Val::Nil);
        }
        lines
    }

    fn bytes(&self, v: Val) -> Vec<u8> {
        self.lua
            .val_as_bytes(v)
            .map(<[u8]>::to_vec)
            .unwrap_or_default()
    }

    fn field(&mut self, t: &Table, name: &str) -> Val {
        let key = self.lua.create_string(name.as_bytes());
        self.lua.table_raw_get(t, key).unwrap_or(Val::Nil)
    }

    fn set_field(&mut self, t: &Table, name: &str, v: Val) {
        let key = self.lua.create_string(name.as_bytes());
        let _ = self.lua.table_raw_set(t, key, v);
    }

    /// Redis' error table for `-CODE msg` (luaPushErrorBuff); a command's error also carries
    /// `ignore_error_stats_update`.
    fn error_table(&mut self, text: &[u8], from_command: bool) -> Val {
        let t = self.lua.create_table();
        let msg = lua_error_text(text);
        let v = self.lua.create_string(&msg);
        self.set_field(&t, "err", v);
        if from_command {
            self.set_field(&t, "ignore_error_stats_update", Val::Bool(true));
        }
        Val::Table(t.gc_ref())
    }

    /// A command's reply as the script sees it (`redisProtocolToLuaType`), in the protocol the
    /// script chose.
    fn reply_to_lua(&mut self, reply: &Reply, depth: usize) -> Val {
        if depth > MAX_DEPTH {
            return Val::Nil;
        }
        let resp3 = self.script_resp == 3;
        if !resp3 {
            let shape = reply.resp2();
            if !matches!(shape, std::borrow::Cow::Borrowed(_)) {
                return self.reply_to_lua(&shape, depth);
            }
        }
        match reply {
            Reply::Status(s) => {
                let t = self.lua.create_table();
                let v = self.lua.create_string(s.as_bytes());
                self.set_field(&t, "ok", v);
                Val::Table(t.gc_ref())
            }
            Reply::Error(e) => {
                let mut text = b"-".to_vec();
                text.extend_from_slice(e);
                self.error_table(&text, true)
            }
            Reply::Integer(n) => Val::Num(*n as f64),
            Reply::Bulk(b) => self.lua.create_string(b),
            Reply::Nil | Reply::NilArray => {
                if resp3 {
                    Val::Nil
                } else {
                    Val::Bool(false)
                }
            }
            Reply::Array(items) => {
                let t = self.lua.create_table();
                for (i, item) in items.iter().enumerate() {
                    let v = self.reply_to_lua(item, depth + 1);
                    let _ = self.lua.table_raw_set(&t, Val::Num((i + 1) as f64), v);
                }
                Val::Table(t.gc_ref())
            }
            Reply::Set(items) => {
                let inner = self.lua.create_table();
                for item in items {
                    let k = self.reply_to_lua(item, depth + 1);
                    let _ = self.lua.table_raw_set(&inner, k, Val::Bool(true));
                }
                let t = self.lua.create_table();
                self.set_field(&t, "set", Val::Table(inner.gc_ref()));
                Val::Table(t.gc_ref())
            }
            Reply::Map(pairs) => {
                let inner = self.lua.create_table();
                for (k, v) in pairs {
                    let k = self.reply_to_lua(k, depth + 1);
                    let v = self.reply_to_lua(v, depth + 1);
                    let _ = self.lua.table_raw_set(&inner, k, v);
                }
                let t = self.lua.create_table();
                self.set_field(&t, "map", Val::Table(inner.gc_ref()));
                Val::Table(t.gc_ref())
            }
            Reply::Pairs(pairs) => {
                let t = self.lua.create_table();
                for (i, (a, b)) in pairs.iter().enumerate() {
                    let pair = Reply::Array(vec![a.clone(), b.clone()]);
                    let v = self.reply_to_lua(&pair, depth + 1);
                    let _ = self.lua.table_raw_set(&t, Val::Num((i + 1) as f64), v);
                }
                Val::Table(t.gc_ref())
            }
            Reply::Double(d) => {
                let t = self.lua.create_table();
                self.set_field(&t, "double", Val::Num(*d));
                Val::Table(t.gc_ref())
            }
            Reply::Bool(b) => Val::Bool(*b),
            Reply::BigNumber(digits) => {
                let t = self.lua.create_table();
                let s = self.lua.create_string(digits);
                self.set_field(&t, "big_number", s);
                Val::Table(t.gc_ref())
            }
            // Only EXEC makes these, and EXEC is not for scripts.
            Reply::InProtocol(_, inner) => self.reply_to_lua(inner, depth + 1),
            Reply::Verbatim { format, text } => {
                let inner = self.lua.create_table();
                let s = self.lua.create_string(text);
                self.set_field(&inner, "string", s);
                let f = self.lua.create_string(format);
                self.set_field(&inner, "format", f);
                let t = self.lua.create_table();
                self.set_field(&t, "verbatim_string", Val::Table(inner.gc_ref()));
                Val::Table(t.gc_ref())
            }
        }
    }

    /// A script's return value as Redis replies it (`luaReplyToRedisReply`).
    fn lua_to_reply(&mut self, v: Val, depth: usize) -> Reply {
        if depth > MAX_DEPTH {
            return Reply::error("ERR reached lua stack limit");
        }
        let resp3 = self.script_resp == 3;
        match v {
            Val::Str(_) => Reply::Bulk(self.bytes(v)),
            Val::Bool(b) if resp3 => Reply::Bool(b),
            Val::Bool(true) => Reply::Integer(1),
            Val::Bool(false) => Reply::Nil,
            Val::Num(n) => Reply::Integer(long_long(n)),
            Val::Table(t) => self.table_to_reply(Table::from_gc_ref(t), depth),
            _ => Reply::Nil,
        }
    }

    fn table_to_reply(&mut self, t: Table, depth: usize) -> Reply {
        let err = self.field(&t, "err");
        if matches!(err, Val::Str(_)) {
            // addReplyErrorFormatEx: trailing CR/LF go, inner ones become spaces.
            let mut text = self.bytes(err);
            while text.last().is_some_and(|&b| b == b'\r' || b == b'\n') {
                text.pop();
            }
            return Reply::Error(no_newlines(text));
        }
        let ok = self.field(&t, "ok");
        if matches!(ok, Val::Str(_)) {
            let text = String::from_utf8_lossy(&no_newlines(self.bytes(ok))).into_owned();
            return Reply::Status(text.into());
        }
        if let Val::Num(d) = self.field(&t, "double") {
            return Reply::Double(d);
        }
        let big = self.field(&t, "big_number");
        if matches!(big, Val::Str(_)) {
            return Reply::BigNumber(no_newlines(self.bytes(big)));
        }
        if let Val::Table(verbatim) = self.field(&t, "verbatim_string") {
            let verbatim = Table::from_gc_ref(verbatim);
            let format = self.field(&verbatim, "format");
            let text = self.field(&verbatim, "string");
            if let (Val::Str(_), Val::Str(_)) = (format, text) {
                return Reply::verbatim(&self.bytes(format), self.bytes(text));
            }
        }
        if let Val::Table(map) = self.field(&t, "map") {
            let map = Table::from_gc_ref(map);
            let mut pairs = Vec::new();
            for (k, v) in self.entries(&map) {
                let k = self.lua_to_reply(k, depth + 1);
                let v = self.lua_to_reply(v, depth + 1);
                pairs.push((k, v));
            }
            return Reply::Map(pairs);
        }
        if let Val::Table(set) = self.field(&t, "set") {
            let set = Table::from_gc_ref(set);
            let mut items = Vec::new();
            for (k, _) in self.entries(&set) {
                items.push(self.lua_to_reply(k, depth + 1));
            }
            return Reply::Set(items);
        }
        let mut items = Vec::new();
        for i in 1.. {
            match self.lua.table_raw_get(&t, Val::Num(i as f64)) {
                Ok(Val::Nil) | Err(_) => break,
                Ok(v) => items.push(self.lua_to_reply(v, depth + 1)),
            }
        }
        Reply::Array(items)
    }

    /// A table's entries in `lua_next` order.
    fn entries(&self, t: &Table) -> Vec<(Val, Val)> {
        let mut out = Vec::new();
        let mut key = Val::Nil;
        while let Ok(Some((k, v))) = self.lua.table_next(t, key) {
            out.push((k, v));
            key = k;
        }
        out
    }
}

/// A function a library registered (`redis.register_function`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    /// Its name.
    pub name: String,
    /// Its description, when given.
    pub description: Option<Vec<u8>>,
    /// Its flags (`no-writes`, …), lowercase, in the order given.
    pub flags: Vec<String>,
}

/// Why a library did not load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Lua's syntax error (`user_function:2: …`).
    Compile(Vec<u8>),
    /// The error its code raised while running (`ERR …`).
    Register(Vec<u8>),
}

/// What the engine answers a paused script.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The reply to its `redis.call` / `redis.pcall`.
    Reply(Reply),
    /// Whether the command of its `redis.acl_check_cmd` exists.
    Known(bool),
}

/// C's `(long long)` of a double on x86-64: truncation, and the "integer indefinite" value
/// (`LLONG_MIN`) for NaN and anything out of range.
pub fn long_long(n: f64) -> i64 {
    if n.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// addReplyErrorFormat's care for the protocol: CR and LF become spaces.
fn no_newlines(mut text: Vec<u8>) -> Vec<u8> {
    for b in &mut text {
        if *b == b'\r' || *b == b'\n' {
            *b = b' ';
        }
    }
    text
}

/// The `err` text luaPushErrorBuff makes of `-CODE msg` (or of `msg`, code ERR): the code, a
/// space, the message without leading or trailing CR/LF.
pub fn lua_error_text(text: &[u8]) -> Vec<u8> {
    let (code, msg): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(space) => (&rest[..space], &rest[space + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let is_newline = |b: &u8| *b == b'\r' || *b == b'\n';
    let start = msg.iter().position(|b| !is_newline(b)).unwrap_or(msg.len());
    let end = msg
        .iter()
        .rposition(|b| !is_newline(b))
        .map_or(start, |i| i + 1);
    let mut out = code.to_vec();
    out.push(b' ');
    out.extend_from_slice(&msg[start..end.max(start)]);
    out
}

/// Lua's `tostring` of a number: C's `%.14g`.
pub fn lua_number(n: f64) -> String {
    c_g_format(n, 14)
}

/// C's `%.<precision>g` (glibc: `nan`/`-nan`, `inf`/`-inf`, `-0`), precision 1 to 17.
pub fn c_g_format(n: f64, precision: usize) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf" } else { "inf" }.into();
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let precision = precision.clamp(1, 17);
    let digits = precision - 1;
    let sci = format!("{n:.digits$e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let strip = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= precision as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", strip(mantissa), exp.abs())
    } else {
        let decimals = (digits as i32 - exp).max(0) as usize;
        strip(&format!("{n:.decimals$}"))
    }
}
