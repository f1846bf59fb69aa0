//! The libraries Redis 7.0 adds to its Lua (`deps/lua/src/lua_*.c`), written in Rust.

pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod structlib;

use rilua::vm::state::LuaState;
use rilua::{Lua, LuaApiMut, LuaError, Val};

use super::native::where_error;

/// Fills `libraries` (the bridge's `native.libraries`) with one table per library, by name.
pub fn install(lua: &mut Lua, libraries: &rilua::Table) {
    let bit = lua.create_table();
    for (name, f) in bit::FUNCTIONS {
        lua.table_set_function(&bit, name, f)
            .expect("a fresh table takes fields");
    }
    let key = lua.create_string(b"bit");
    lua.table_raw_set(libraries, key, Val::Table(bit.gc_ref()))
        .expect("a fresh table takes fields");

    let cjson = lua.create_table();
    for (name, f) in cjson::FUNCTIONS {
        lua.table_set_function(&cjson, name, f)
            .expect("a fresh table takes fields");
    }
    for (name, value) in [("_NAME", "cjson"), ("_VERSION", "2.1.0")] {
        let key = lua.create_string(name.as_bytes());
        let value = lua.create_string(value.as_bytes());
        lua.table_raw_set(&cjson, key, value)
            .expect("a fresh table takes fields");
    }
    let key = lua.create_string(b"null");
    lua.table_raw_set(&cjson, key, cjson::NULL)
        .expect("a fresh table takes fields");
    let key = lua.create_string(b"cjson");
    lua.table_raw_set(libraries, key, Val::Table(cjson.gc_ref()))
        .expect("a fresh table takes fields");

    let structlib = lua.create_table();
    for (name, f) in structlib::FUNCTIONS {
        lua.table_set_function(&structlib, name, f)
            .expect("a fresh table takes fields");
    }
    let key = lua.create_string(b"struct");
    lua.table_raw_set(libraries, key, Val::Table(structlib.gc_ref()))
        .expect("a fresh table takes fields");

    let cmsgpack = lua.create_table();
    for (name, f) in cmsgpack::FUNCTIONS {
        lua.table_set_function(&cmsgpack, name, f)
            .expect("a fresh table takes fields");
    }
    for (name, value) in cmsgpack::FIELDS {
        let key = lua.create_string(name.as_bytes());
        let value = lua.create_string(value.as_bytes());
        lua.table_raw_set(&cmsgpack, key, value)
            .expect("a fresh table takes fields");
    }
    let key = lua.create_string(b"cmsgpack");
    lua.table_raw_set(libraries, key, Val::Table(cmsgpack.gc_ref()))
        .expect("a fresh table takes fields");
}

/// The bytes of a Lua string.
fn bytes(
    state: &LuaState,
    r: rilua::vm::gc::arena::GcRef<rilua::vm::string::LuaString>,
) -> Vec<u8> {
    state
        .gc
        .string_arena
        .get(r)
        .map(|s| s.data().to_vec())
        .unwrap_or_default()
}

/// luaL_checklstring: argument `i` as bytes (a number becomes its `%.14g` text).
fn string_arg(state: &mut LuaState, i: usize) -> Result<Vec<u8>, LuaError> {
    match arg(state, i) {
        Val::Str(r) => Ok(bytes(state, r)),
        Val::Num(n) => Ok(super::vm::lua_number(n).into_bytes()),
        _ => Err(type_error(state, i, "string")),
    }
}

/// How many arguments the running Rust function got.
fn arg_count(state: &LuaState) -> usize {
    let func = state.call_stack[state.ci].func;
    state.top.saturating_sub(func + 1)
}

/// Argument `i` (1-based) of the running Rust function; nil when absent.
fn arg(state: &LuaState, i: usize) -> Val {
    if i == 0 || i > arg_count(state) {
        return Val::Nil;
    }
    let func = state.call_stack[state.ci].func;
    state.stack_get(func + i)
}

/// luaL_typerror: `user_script:N: bad argument #i to 'name' (expected expected, got type)`.
fn type_error(state: &mut LuaState, i: usize, expected: &str) -> LuaError {
    let actual = if i <= arg_count(state) {
        arg(state, i).type_name()
    } else {
        "no value"
    };
    arg_error(state, i, &format!("{expected} expected, got {actual}"))
}

/// luaL_argerror: the message with the calling Lua function's position first.
fn arg_error(state: &mut LuaState, i: usize, message: &str) -> LuaError {
    let text = match state.arg_error(i, message) {
        LuaError::Runtime(e) => e.message,
        other => other.to_string(),
    };
    where_error(state, text)
}
