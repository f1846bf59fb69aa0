//! Redis 7.0's functions: FUNCTION LOAD [REPLACE] | DELETE | FLUSH | LIST | KILL | HELP, and FCALL /
//! FCALL_RO (`functions.c`, `function_lua.c`). A library is Lua code whose first line is
//! `#!lua name=<library>`; running it once registers functions with `redis.register_function`.

use super::vm::{LoadError, Registered};
use super::{help_reply, split_keys, RunContext, ScriptFlags};
use crate::engine::command::{self, Call};
use crate::engine::error::Error;
use crate::engine::reply::Reply;
use crate::engine::{glob, Engine};

/// Redis matches LIBRARYNAME patterns ignoring case; names are letters, digits and underscores.
fn matches_nocase(pattern: &[u8], name: &[u8]) -> bool {
    glob::glob_match(&pattern.to_ascii_lowercase(), &name.to_ascii_lowercase())
}

/// A loaded library.
#[derive(Clone, Debug)]
pub struct Library {
    /// Its name (`name=` in its shebang line).
    pub name: String,
    /// Its whole code, shebang line included (FUNCTION LIST WITHCODE shows it).
    pub code: Vec<u8>,
    /// The functions it registered, in registration order.
    pub functions: Vec<Registered>,
}

/// `functionExtractLibMetaData`: the engine, the library's name and where the code starts (at the
/// shebang line's newline, which stays so that line numbers stay).
fn metadata(payload: &[u8]) -> Result<(String, String, usize), String> {
    if !payload.starts_with(b"#!") {
        return Err("Missing library metadata".into());
    }
    let Some(end) = payload.iter().position(|&b| b == b'\n') else {
        return Err("Invalid library metadata".into());
    };
    let line = String::from_utf8_lossy(&payload[..end]);
    let mut parts = line.split_ascii_whitespace();
    let Some(first) = parts.next() else {
        return Err("Invalid library metadata".into());
    };
    let engine = first.get(2..).unwrap_or_default().to_string();
    let mut name = None;
    for part in parts {
        let is_name = part.len() >= 5 && part[..5].eq_ignore_ascii_case("name=");
        if !is_name {
            return Err(format!("Invalid metadata value given: {part}"));
        }
        if name.is_some() {
            return Err("Invalid metadata value, name argument was given multiple times".into());
        }
        name = Some(part[5..].to_string());
    }
    let name = name.ok_or_else(|| "Library name was not given".to_string())?;
    Ok((engine, name, end))
}

/// The function flags, in Redis' order (`scripts_flags_def`).
const FLAG_ORDER: [&str; 5] = [
    "no-writes",
    "allow-oom",
    "allow-stale",
    "no-cluster",
    "allow-cross-slot-keys",
];

/// `functionsVerifyName`: letters, digits and underscores, at least one.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The flags a function registered with, as a script's shebang would declare them.
fn flags_of(function: &Registered) -> ScriptFlags {
    ScriptFlags {
        compat: false,
        no_writes: function.flags.iter().any(|f| f == "no-writes"),
        allow_oom: function.flags.iter().any(|f| f == "allow-oom"),
    }
}

impl super::Scripting {
    /// Drops a library's functions from the VM.
    fn forget_functions(&mut self, library: &Library) {
        for f in &library.functions {
            self.vm().forget(format!("function:{}", f.name).as_bytes());
        }
    }
}

impl Engine {
    /// `functionsCreateWithLibraryCtx`: loads `payload` as a library; its name, or the error.
    fn load_library(&mut self, payload: &[u8], replace: bool) -> Result<String, Error> {
        let other = |text: String| Error::Other(format!("ERR {text}").into_bytes());
        let (engine, name, start) = metadata(payload).map_err(other)?;
        if !valid_name(&name) {
            return Err(other(
                "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long".into(),
            ));
        }
        if !engine.eq_ignore_ascii_case("lua") {
            return Err(other(format!("Engine '{engine}' not found")));
        }
        let scripting = &mut self.scripting;
        let existing = scripting.libraries.iter().position(|l| l.name == name);
        if existing.is_some() && !replace {
            return Err(other(format!("Library '{name}' already exists")));
        }
        let budget = scripting.budget();
        let registered = match scripting.vm().load_library(&payload[start..], budget) {
            Ok(registered) => registered,
            Err(LoadError::Compile(text)) => {
                let mut message = b"ERR Error compiling function: ".to_vec();
                message.extend_from_slice(&text);
                return Err(Error::Other(message));
            }
            Err(LoadError::Register(text)) => {
                let mut message = b"ERR Error registering functions: ".to_vec();
                message.extend_from_slice(&text);
                return Err(Error::Other(message));
            }
        };
        if registered.is_empty() {
            return Err(other("No functions registered".into()));
        }
        for function in &registered {
            let owner = scripting
                .libraries
                .iter()
                .enumerate()
                .find(|(_, l)| l.functions.iter().any(|f| f.name == function.name));
            if owner.is_some_and(|(i, _)| Some(i) != existing) {
                return Err(other(format!("Function {} already exists", function.name)));
            }
        }
        if let Some(i) = existing {
            let old = scripting.libraries.remove(i);
            scripting.forget_functions(&old);
        }
        scripting.vm().commit_library();
        scripting.libraries.push(Library {
            name: name.clone(),
            code: payload.to_vec(),
            functions: registered,
        });
        Ok(name)
    }

    /// Makes sure the VM holds the libraries' functions (a clone of the engine has a new VM).
    fn ensure_libraries(&mut self) {
        if self.scripting.vm.is_some() && self.scripting.functions_in_vm {
            return;
        }
        let libraries = std::mem::take(&mut self.scripting.libraries);
        let budget = self.scripting.budget();
        for library in &libraries {
            if let Ok((_, _, start)) = metadata(&library.code) {
                if self
                    .scripting
                    .vm()
                    .load_library(&library.code[start..], budget)
                    .is_ok()
                {
                    self.scripting.vm().commit_library();
                }
            }
        }
        self.scripting.libraries = libraries;
        self.scripting.functions_in_vm = true;
    }
}

/// `FUNCTION LOAD [REPLACE] code`
pub fn function_load(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    let mut replace = false;
    let mut at = 2;
    while at < argv.len() - 1 {
        if command::is(argv[at], "replace") {
            replace = true;
            at += 1;
            continue;
        }
        let option = String::from_utf8_lossy(command::c_str(argv[at])).into_owned();
        return Err(Error::Other(
            format!("ERR Unknown option given: {option}").into_bytes(),
        ));
    }
    if at >= argv.len() {
        return Err(Error::Other(b"ERR Function code is missing".to_vec()));
    }
    engine.ensure_libraries();
    let name = engine.load_library(argv[at], replace)?;
    Ok(Reply::Bulk(name.into_bytes()))
}

/// `FUNCTION DELETE library`
pub fn function_delete(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    engine.ensure_libraries();
    let name = String::from_utf8_lossy(call.argv[2]);
    let scripting = &mut engine.scripting;
    let Some(i) = scripting.libraries.iter().position(|l| l.name == name) else {
        return Err(Error::Other(b"ERR Library not found".to_vec()));
    };
    let library = scripting.libraries.remove(i);
    scripting.forget_functions(&library);
    Ok(Reply::ok())
}

/// `FUNCTION FLUSH [ASYNC|SYNC]`
pub fn function_flush(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    let ok = match argv.len() {
        2 => true,
        3 => command::is(argv[2], "sync") || command::is(argv[2], "async"),
        _ => false,
    };
    if !ok {
        return Err(Error::Other(
            b"ERR FUNCTION FLUSH only supports SYNC|ASYNC option".to_vec(),
        ));
    }
    engine.ensure_libraries();
    let scripting = &mut engine.scripting;
    for library in std::mem::take(&mut scripting.libraries) {
        scripting.forget_functions(&library);
    }
    Ok(Reply::ok())
}

/// `FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]`
pub fn function_list(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        if !with_code && command::is(argv[i], "withcode") {
            with_code = true;
        } else if pattern.is_none() && command::is(argv[i], "libraryname") {
            if i >= argv.len() - 1 {
                return Err(Error::Other(
                    b"ERR library name argument was not given".to_vec(),
                ));
            }
            i += 1;
            pattern = Some(argv[i]);
        } else {
            let arg = String::from_utf8_lossy(command::c_str(argv[i])).into_owned();
            return Err(Error::Other(
                format!("ERR Unknown argument {arg}").into_bytes(),
            ));
        }
        i += 1;
    }
    let libraries = engine
        .scripting
        .libraries
        .iter()
        .filter(|l| pattern.is_none_or(|p| matches_nocase(p, l.name.as_bytes())))
        .map(|l| {
            let functions = l
                .functions
                .iter()
                .map(|f| {
                    Reply::Map(vec![
                        (Reply::bulk("name"), Reply::bulk(f.name.as_bytes())),
                        (
                            Reply::bulk("description"),
                            f.description.clone().map_or(Reply::Nil, Reply::Bulk),
                        ),
                        (
                            Reply::bulk("flags"),
                            // In scripts_flags_def's order, as functionListReplyFlags lists them.
                            Reply::Set(
                                FLAG_ORDER
                                    .iter()
                                    .filter(|flag| f.flags.iter().any(|g| g == *flag))
                                    .map(|flag| Reply::status(flag))
                                    .collect(),
                            ),
                        ),
                    ])
                })
                .collect();
            let mut fields = vec![
                (Reply::bulk("library_name"), Reply::bulk(l.name.as_bytes())),
                (Reply::bulk("engine"), Reply::bulk("LUA")),
                (Reply::bulk("functions"), Reply::Array(functions)),
            ];
            if with_code {
                fields.push((Reply::bulk("library_code"), Reply::Bulk(l.code.clone())));
            }
            Reply::Map(fields)
        })
        .collect();
    Ok(Reply::Array(libraries))
}

/// `FUNCTION KILL`: no function is ever running while another command runs here.
pub fn function_kill(_: &mut Engine, _: &mut Call<'_>) -> Result<Reply, Error> {
    Err(Error::NotBusy)
}

/// `FUNCTION HELP`
pub fn function_help(_: &mut Engine, _: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(help_reply(
        "FUNCTION",
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    ))
}

/// `fcallCommandGeneric`
fn fcall_generic(engine: &mut Engine, call: &mut Call<'_>, ro: bool) -> Result<Reply, Error> {
    let argv = call.argv;
    engine.ensure_libraries();
    let name = String::from_utf8_lossy(argv[1]).into_owned();
    let Some(function) = engine
        .scripting
        .libraries
        .iter()
        .flat_map(|l| &l.functions)
        .find(|f| f.name == name)
        .cloned()
    else {
        return Err(Error::Other(b"ERR Function not found".to_vec()));
    };
    if crate::engine::number::parse_i64(argv[2]).is_none() {
        return Err(Error::Other(b"ERR Bad number of keys provided".to_vec()));
    }
    let (keys, args) = split_keys(argv)?;
    let flags = flags_of(&function);
    if !flags.no_writes && ro {
        return Err(Error::WriteScriptRo);
    }
    let ctx = RunContext {
        read_only: ro || flags.no_writes,
        allow_oom: flags.allow_oom,
        wrote: false,
    };
    let key = format!("function:{name}");
    Ok(engine.run_script(call.host, call.client, &key, &name, keys, args, ctx, true))
}

/// `FCALL function numkeys [key …] [arg …]`
pub fn fcall(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    fcall_generic(engine, call, false)
}

/// `FCALL_RO function numkeys [key …] [arg …]`: the function may not write.
pub fn fcall_ro(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    fcall_generic(engine, call, true)
}

/// `FUNCTION DUMP`: the libraries as Redis serializes them (see [`super::dump`]), in the order
/// they were loaded (Redis': its table's, seeded at random, so byte for byte only for one).
pub fn function_dump(engine: &mut Engine, _: &mut Call<'_>) -> Result<Reply, Error> {
    let codes = engine.scripting.libraries.iter().map(|l| l.code.as_slice());
    Ok(Reply::Bulk(super::dump::dump(codes)))
}

/// `FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]` (`functionRestoreCommand`): the payload's
/// libraries are all loaded, into a context of their own, before any joins the current ones; any
/// error leaves the current libraries as they were.
pub fn function_restore(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    let other = |text: String| Error::Other(format!("ERR {text}").into_bytes());
    if argv.len() > 4 {
        let sub = String::from_utf8_lossy(command::c_str(argv[1])).into_owned();
        return Err(other(format!(
            "unknown subcommand or wrong number of arguments for '{sub}'. Try FUNCTION HELP."
        )));
    }
    #[derive(PartialEq)]
    enum Policy {
        Append,
        Replace,
        Flush,
    }
    let policy = match argv.get(3) {
        None => Policy::Append,
        Some(p) if command::is(p, "append") => Policy::Append,
        Some(p) if command::is(p, "replace") => Policy::Replace,
        Some(p) if command::is(p, "flush") => Policy::Flush,
        Some(_) => {
            return Err(other(
                "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
                    .into(),
            ))
        }
    };
    let payload = argv[2];
    if !super::dump::verify(payload) {
        return Err(other("DUMP payload version or checksum are wrong".into()));
    }
    let codes = super::dump::libraries(payload).map_err(other)?;
    engine.ensure_libraries();
    let current = std::mem::take(&mut engine.scripting.libraries);
    // The payload's libraries, loaded as into a new, empty context.
    for code in &codes {
        if let Err(e) = engine.load_library(code, false) {
            engine.restore_libraries(current);
            return Err(e);
        }
    }
    let restored = std::mem::take(&mut engine.scripting.libraries);
    let joined = match policy {
        Policy::Flush => Ok(restored),
        _ => join(current.clone(), restored, policy == Policy::Replace),
    };
    match joined {
        Ok(libraries) => {
            engine.restore_libraries(libraries);
            Ok(Reply::ok())
        }
        Err(text) => {
            engine.restore_libraries(current);
            Err(other(text))
        }
    }
}

/// `libraryJoin`: the current libraries with the restored ones (replacing those of the same name
/// when `replace`), or the collision's error.
fn join(
    mut current: Vec<Library>,
    restored: Vec<Library>,
    replace: bool,
) -> Result<Vec<Library>, String> {
    for library in &restored {
        if let Some(i) = current.iter().position(|l| l.name == library.name) {
            if !replace {
                return Err(format!("Library {} already exists", library.name));
            }
            current.remove(i);
        }
    }
    for function in restored.iter().flat_map(|l| &l.functions) {
        if current
            .iter()
            .flat_map(|l| &l.functions)
            .any(|f| f.name == function.name)
        {
            return Err(format!("Function {} already exists", function.name));
        }
    }
    current.extend(restored);
    Ok(current)
}

impl Engine {
    /// Makes `libraries` the current ones, the VM's functions brought in line with them (a failed
    /// or partial load may have registered others under the same names).
    fn restore_libraries(&mut self, libraries: Vec<Library>) {
        self.scripting.libraries = libraries;
        self.scripting.functions_in_vm = false;
        self.ensure_libraries();
    }
}

/// `FUNCTION STATS`: no script is ever running while a command runs here, so `running_script` is
/// nil; the one engine, LUA, with its counts.
pub fn function_stats(engine: &mut Engine, _: &mut Call<'_>) -> Result<Reply, Error> {
    let libraries = &engine.scripting.libraries;
    let functions: usize = libraries.iter().map(|l| l.functions.len()).sum();
    Ok(Reply::Map(vec![
        (Reply::bulk("running_script"), Reply::Nil),
        (
            Reply::bulk("engines"),
            Reply::Map(vec![(
                Reply::bulk("LUA"),
                Reply::Map(vec![
                    (
                        Reply::bulk("libraries_count"),
                        Reply::Integer(libraries.len() as i64),
                    ),
                    (
                        Reply::bulk("functions_count"),
                        Reply::Integer(functions as i64),
                    ),
                ]),
            )]),
        ),
    ]))
}
