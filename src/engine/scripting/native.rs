//! The parts of Redis' Lua environment written in C there and in Rust here: `redis.call` and the
//! other `redis.*` functions that can raise, `error`, `math.random` (Redis' `redisLrand48`), and
//! the libraries Redis adds that Lua itself lacks.

use rilua::error::RuntimeError;
use rilua::vm::closure::Closure;
use rilua::vm::state::LuaState;
use rilua::{Lua, LuaApiMut, LuaError, LuaResult, RustFn, Val};

/// The first value of every request a script yields to the engine: a light userdata, which no
/// Lua code can make, so no script can forge a request.
pub const REQUEST_TAG: Val = Val::LightUserdata(0x1ab);

/// The table `bridge.lua` receives as `native`.
pub fn table(lua: &mut Lua) -> Val {
    let t = lua.create_table();
    // Written in Rust, not in bridge.lua, whenever they can raise: a Lua function reached by a
    // tail call (`return redis.setresp(4)`) replaces its caller's frame, and the error would lose
    // the script's line; a C function's frame does not.
    let functions: [(&str, RustFn); 10] = [
        ("call", redis_call),
        ("pcall", redis_pcall),
        ("acl_check_cmd", acl_check_cmd),
        ("sha1hex", sha1hex),
        ("log", log),
        ("setresp", setresp),
        ("set_repl", set_repl),
        ("error", error),
        ("random", random),
        ("randomseed", randomseed),
    ];
    for (name, f) in functions {
        lua.table_set_function(&t, name, f)
            .expect("a fresh table takes fields");
    }
    let key = lua.create_string(b"REQUEST");
    lua.table_raw_set(&t, key, REQUEST_TAG)
        .expect("a fresh table takes fields");
    let libraries = lua.create_table();
    super::libs::install(lua, &libraries);
    let key = lua.create_string(b"libraries");
    lua.table_raw_set(&t, key, Val::Table(libraries.gc_ref()))
        .expect("a fresh table takes fields");
    Val::Table(t.gc_ref())
}

/// The SHA1 of `bytes` in lowercase hex, as Redis names scripts (`sha1hex`).
pub fn sha1_hex(bytes: &[u8]) -> String {
    sha1_smol::Sha1::from(bytes).digest().to_string()
}

fn push_bytes(state: &mut LuaState, bytes: &[u8]) {
    let s = state.gc.intern_string(bytes);
    state.push(Val::Str(s));
}

/// The arguments of the running Rust function.
fn args(state: &LuaState) -> Vec<Val> {
    let func = state.call_stack[state.ci].func;
    (func + 1..state.top).map(|i| state.stack_get(i)).collect()
}

/// The bridge's `api` table (a real global, which scripts cannot see).
fn api(state: &mut LuaState) -> Option<rilua::vm::gc::arena::GcRef<rilua::vm::table::Table>> {
    let key = state.gc.intern_string(b"__incr_lab_bridge");
    let table = state.gc.tables.get(state.global)?;
    match table.get_str(key, &state.gc.string_arena) {
        Val::Table(t) => Some(t),
        _ => None,
    }
}

fn api_field(state: &mut LuaState, name: &[u8]) -> Val {
    let Some(t) = api(state) else {
        return Val::Nil;
    };
    let key = state.gc.intern_string(name);
    state
        .gc
        .tables
        .get(t)
        .map_or(Val::Nil, |t| t.get_str(key, &state.gc.string_arena))
}

fn set_api_field(state: &mut LuaState, name: &[u8], value: Val) {
    let Some(t) = api(state) else {
        return;
    };
    let key = Val::Str(state.gc.intern_string(name));
    if let Some(table) = state.gc.tables.get_mut(t) {
        let _ = table.raw_set(key, value, &state.gc.string_arena);
    }
}

/// Raises Redis' error table `{err = "ERR <text>"}` (luaPushError + luaError).
fn raise(state: &mut LuaState, text: &str) -> LuaError {
    let t = state.gc.alloc_table(rilua::vm::table::Table::new());
    let key = Val::Str(state.gc.intern_string(b"err"));
    let message = format!("ERR {text}");
    let value = Val::Str(state.gc.intern_string(message.as_bytes()));
    if let Some(table) = state.gc.tables.get_mut(t) {
        let _ = table.raw_set(key, value, &state.gc.string_arena);
    }
    state.error_object = Some(Val::Table(t));
    LuaError::Runtime(RuntimeError::new(message))
}

/// Raises a string with no position, as luaL_error from a C function called by C would.
fn raise_text(state: &mut LuaState, text: String) -> LuaError {
    let value = Val::Str(state.gc.intern_string(text.as_bytes()));
    state.error_object = Some(value);
    LuaError::Runtime(RuntimeError::new(text))
}

/// `lua_tonumber`: numbers and numeric strings.
pub(super) fn to_number(state: &LuaState, v: Val) -> Option<f64> {
    match v {
        Val::Num(n) => Some(n),
        Val::Str(r) => {
            let text = state.gc.string_arena.get(r)?.data();
            let text = std::str::from_utf8(text).ok()?.trim();
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text.strip_prefix('+').unwrap_or(text)),
            };
            let value = if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                u64::from_str_radix(hex, 16).ok()? as f64
            } else {
                digits.parse::<f64>().ok().filter(|_| {
                    !digits.is_empty()
                        && digits
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b".eE+-".contains(&b))
                })?
            };
            Some(if negative { -value } else { value })
        }
        _ => None,
    }
}

/// C's `(int)` of a double as x86-64 does it: truncation, INT_MIN when out of range.
fn c_int(n: f64) -> i32 {
    if n.is_nan() || !(-2_147_483_648.0..2_147_483_648.0).contains(&n) {
        i32::MIN
    } else {
        n as i32
    }
}

/// `redis.sha1hex(s)`
fn sha1hex(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    if args.len() != 1 {
        return Err(raise(state, "wrong number of arguments"));
    }
    let bytes = match args[0] {
        Val::Str(r) => state
            .gc
            .string_arena
            .get(r)
            .map(|s| s.data().to_vec())
            .unwrap_or_default(),
        Val::Num(n) => crate::engine::scripting::vm::lua_number(n).into_bytes(),
        _ => Vec::new(),
    };
    push_bytes(state, sha1_hex(&bytes).as_bytes());
    Ok(1)
}

/// `redis.log(level, …)`: the line goes to the bridge's log, which the engine keeps.
fn log(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    if args.len() < 2 {
        return Err(raise(state, "redis.log() requires two arguments or more."));
    }
    let Some(level) = to_number(state, args[0]) else {
        return Err(raise(state, "First argument must be a number (log level)."));
    };
    let level = c_int(level);
    if !(0..=3).contains(&level) {
        return Err(raise(state, "Invalid debug level."));
    }
    let mut text = Vec::new();
    for (i, v) in args[1..].iter().enumerate() {
        let part = match *v {
            Val::Str(r) => state.gc.string_arena.get(r).map(|s| s.data().to_vec()),
            Val::Num(n) => Some(crate::engine::scripting::vm::lua_number(n).into_bytes()),
            _ => None,
        };
        if let Some(part) = part {
            if i > 0 {
                text.push(b' ');
            }
            text.extend_from_slice(&part);
        }
    }
    let line = format!("{level} {}", String::from_utf8_lossy(&text));
    let Val::Table(log) = api_field(state, b"log") else {
        return Ok(0);
    };
    let value = Val::Str(state.gc.intern_string(line.as_bytes()));
    if let Some(t) = state.gc.tables.get_mut(log) {
        let n = t.len(&state.gc.string_arena);
        let _ = t.raw_set(Val::Num((n + 1) as f64), value, &state.gc.string_arena);
    }
    Ok(0)
}

/// `redis.setresp(2|3)`
fn setresp(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    if args.len() != 1 {
        return Err(raise(state, "redis.setresp() requires one argument."));
    }
    let resp = c_int(to_number(state, args[0]).unwrap_or(0.0));
    if resp != 2 && resp != 3 {
        return Err(raise(state, "RESP version must be 2 or 3."));
    }
    set_api_field(state, b"resp", Val::Num(f64::from(resp)));
    Ok(0)
}

/// `redis.set_repl(flags)`: checked, then nothing (there are no replicas here).
fn set_repl(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    if args.len() != 1 {
        return Err(raise(state, "redis.set_repl() requires two arguments."));
    }
    let flags = c_int(to_number(state, args[0]).unwrap_or(0.0));
    if flags & !3 != 0 {
        return Err(raise(
            state,
            "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
        ));
    }
    Ok(0)
}

/// `error(msg [, level])`: Lua's, except that a level naming no function adds no position (Lua
/// 5.1's luaL_where; the caller of Redis' main chunk is C), where rilua would name the chunk.
fn error(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    let level = match args.get(1) {
        Some(Val::Num(n)) => *n as i64,
        _ => 1,
    };
    if level > 0 && matches!(args.first(), Some(Val::Str(_) | Val::Num(_))) {
        let target = state.ci.checked_sub(level as usize);
        if target.is_none_or(|t| t == 0) {
            let func = state.call_stack[state.ci].func;
            state.top = func + 2;
            state.push(Val::Num(0.0));
        }
    }
    rilua::stdlib::base::lua_error(state)
}

const RAND_MAX: f64 = 2_147_483_647.0;

/// `math.random([m [, n]])` as Redis has it: Redis' redisLrand48, one state for the VM.
fn random(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    // luaL_argerror names the function as its caller calls it: from C (pcall) it has no name.
    let name = if caller_location(state).1 > 0 {
        "random"
    } else {
        "?"
    };
    let x = match api_field(state, b"rand") {
        Val::Num(n) => n as u64,
        _ => LCG_INITIAL,
    };
    let next = (LCG_A.wrapping_mul(x).wrapping_add(LCG_C)) & LCG_MASK;
    set_api_field(state, b"rand", Val::Num(next as f64));
    let value = (next >> 17) as f64;
    let r = (value % RAND_MAX) / RAND_MAX;
    let int_arg = |state: &mut LuaState, i: usize| -> LuaResult<f64> {
        match to_number(state, args[i]) {
            Some(n) => Ok(f64::from(c_int(n))),
            None => {
                let got = match args[i] {
                    Val::Nil => "nil",
                    Val::Bool(_) => "boolean",
                    Val::Str(_) => "string",
                    Val::Table(_) => "table",
                    Val::Function(_) => "function",
                    Val::Thread(_) => "thread",
                    _ => "userdata",
                };
                let text = format!(
                    "bad argument #{} to '{name}' (number expected, got {got})",
                    i + 1
                );
                Err(where_error(state, text))
            }
        }
    };
    let out = match args.len() {
        0 => r,
        1 => {
            let u = int_arg(state, 0)?;
            if u < 1.0 {
                return Err(where_error(
                    state,
                    format!("bad argument #1 to '{name}' (interval is empty)"),
                ));
            }
            (r * u).floor() + 1.0
        }
        2 => {
            let l = int_arg(state, 0)?;
            let u = int_arg(state, 1)?;
            if l > u {
                return Err(where_error(
                    state,
                    format!("bad argument #2 to '{name}' (interval is empty)"),
                ));
            }
            (r * (u - l + 1.0)).floor() + l
        }
        _ => return Err(where_error(state, "wrong number of arguments".into())),
    };
    state.push_number(out);
    Ok(1)
}

/// `math.randomseed(n)`: redisSrand48.
fn randomseed(state: &mut LuaState) -> LuaResult<u32> {
    let args = args(state);
    let Some(seed) = args.first().and_then(|&v| to_number(state, v)) else {
        let text = "bad argument #1 to 'randomseed' (number expected, got no value)".to_string();
        return Err(where_error(state, text));
    };
    let x = (u64::from(c_int(seed) as u32) << 16) | 0x330E;
    set_api_field(state, b"rand", Val::Num(x as f64));
    Ok(0)
}

/// luaL_error's message: the calling Lua function's position first.
pub(super) fn where_error(state: &mut LuaState, text: String) -> LuaError {
    let (source, line) = caller_location(state);
    let prefix = match source {
        Some(source) if line > 0 => {
            let short =
                String::from_utf8_lossy(source.strip_prefix(b"@").unwrap_or(&source)).into_owned();
            format!("{short}:{line}: ")
        }
        _ => String::new(),
    };
    raise_text(state, format!("{prefix}{text}"))
}

/// drand48's multiplier and addend, which Redis' `rand.c` uses, and its initial state.
const LCG_A: u64 = 0x5_DEEC_E66D;
const LCG_C: u64 = 0xB;
const LCG_MASK: u64 = (1 << 48) - 1;
const LCG_INITIAL: u64 = 0x1234_ABCD_330E;

/// `redis.call(…)`: yields the command to the engine; a failure raises.
fn redis_call(state: &mut LuaState) -> LuaResult<u32> {
    request(state, b"call", true)
}

/// `redis.pcall(…)`: yields the command to the engine; a failure is returned.
fn redis_pcall(state: &mut LuaState) -> LuaResult<u32> {
    request(state, b"call", false)
}

/// `redis.acl_check_cmd(…)`: asks the engine whether the command exists.
fn acl_check_cmd(state: &mut LuaState) -> LuaResult<u32> {
    request(state, b"acl", true)
}

/// Yields `REQUEST_TAG, thread, kind, raise, source, line, args…` to whoever resumed the script.
///
/// A Rust function, not Lua, for two reasons: a C function's frame survives a tail call
/// (`return redis.call(…)`), so the caller's line is known as Redis knows it; and the engine
/// answers a failure that must raise by ending the coroutine where it stands (bridge.lua), which
/// needs no code to run after the yield.
fn request(state: &mut LuaState, kind: &[u8], raise: bool) -> LuaResult<u32> {
    if state.current_thread.is_none() || state.n_ccalls > 0 {
        return Err(LuaError::Runtime(RuntimeError {
            message: "attempt to yield across metamethod/C-call boundary".into(),
            level: 0,
            traceback: vec![],
        }));
    }
    let func = state.call_stack[state.ci].func;
    let args: Vec<Val> = (func + 1..state.top).map(|i| state.stack_get(i)).collect();
    let (source, line) = caller_location(state);
    state.top = func + 1;
    state.push(REQUEST_TAG);
    let thread = state.current_thread.map_or(Val::Nil, Val::Thread);
    state.push(thread);
    push_bytes(state, kind);
    state.push(Val::Bool(raise));
    match source {
        Some(source) => push_bytes(state, &source),
        None => state.push(Val::Nil),
    }
    state.push(Val::Num(f64::from(line)));
    let n = args.len();
    for arg in args {
        state.push(arg);
    }
    Err(LuaError::Yield((6 + n) as u32))
}

/// The chunk and current line of the Lua function that called the running Rust function, as
/// `debug.getinfo(2, 'Sl')` gives them.
fn caller_location(state: &LuaState) -> (Option<Vec<u8>>, i32) {
    let Some(caller) = state.ci.checked_sub(1).map(|i| &state.call_stack[i]) else {
        return (None, -1);
    };
    if !caller.is_lua {
        return (Some(b"=[C]".to_vec()), -1);
    }
    let Val::Function(f) = state.stack_get(caller.func) else {
        return (None, -1);
    };
    let Some(Closure::Lua(closure)) = state.gc.closures.get(f) else {
        return (None, -1);
    };
    let lines = &closure.proto.line_info;
    let pc = caller.saved_pc;
    let line = if pc > 0 && pc <= lines.len() {
        lines[pc - 1]
    } else {
        lines.first().copied().unwrap_or(0)
    };
    (
        Some(closure.proto.source.as_bytes().to_vec()),
        i32::try_from(line).unwrap_or(-1),
    )
}
