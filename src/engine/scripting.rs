//! Lua scripting as Redis 7.0 has it: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, on a real Lua
//! 5.1 VM ([rilua](https://crates.io/crates/rilua), pure Rust, so it runs in the browser too).
//!
//! # How a script runs
//!
//! A script is a resumable computation. It runs as a Lua coroutine; `redis.call` and `redis.pcall`
//! *yield* the command to the engine ([`Outcome::Call`]), the engine runs it through its own
//! dispatch (Redis' `scriptCall`: the command table, then the host's, `noscript`, read-only and
//! memory checks) and resumes the script with the reply ([`Answer::Reply`]). Inside EVAL the
//! engine resumes at once, so nothing else runs between a script's commands and the clock does
//! not move: the script is atomic, as in Redis. [`LuaClient`] runs the same Lua text as a client
//! instead: each `redis.call` is a separate round trip, and other clients may run in between.
//!
//! The Lua side of that bridge is `scripting/bridge.lua`: Redis' `redis` table, its read-only
//! globals, its `pcall`, `math.random`, and the step budget that ends a runaway script.
//!
//! # Why rilua
//!
//! Of the Lua VMs that build for wasm32-unknown-unknown (mlua/rlua need a C toolchain for it),
//! rilua is the only one that *is* Lua 5.1, Redis' version: numbers print as Redis prints them
//! (`3.3333333333333`, `-nan`), error texts read the same, even `pairs` walks tables in Redis'
//! order; 51 of 53 probe expressions answered as Redis 7.0.15 does. piccolo (stackless, with
//! fuel) lacks most of the string and table libraries and positions in errors; omnilua is Lua
//! 5.4 (`tostring(10/2)` is `5.0`). rilua is also the smallest in the wasm and has no
//! dependencies. Lua 5.1 cannot yield across pcall: the bridge works around it (above).
//!
//! # Where the VM differs from Redis' Lua
//!
//! [`VM_DIFFERENCES`] lists them; the README and `HELP EVAL` print the same list.

pub mod functions;
mod libs;
mod native;
pub mod vm;

use std::fmt;
use std::sync::{Mutex, PoisonError};

use vm::Vm;
pub use vm::{Answer, Outcome};

use super::command::{self, Call, Flags, Host};
use super::error::Error;
use super::reply::Reply;
use super::{ClientId, Engine, Map};

/// How many Lua instructions one script may run before it is killed. Redis lets a script run on
/// (answering BUSY to others until SCRIPT KILL); a page must never hang, so here it ends. Ten
/// million instructions take about a tenth of a second natively.
pub const DEFAULT_STEP_BUDGET: u64 = 10_000_000;

/// What scripts here do differently from Redis 7.0.15's, each for a reason of the VM or the page.
pub const VM_DIFFERENCES: &[&str] = &[
    "A script that runs more than 10,000,000 Lua instructions is killed with 'ERR Script killed \
     after … Lua instructions'; Redis would let it run and answer BUSY to other clients.",
    "redis.call inside a metamethod, a table.sort comparator or a string.gsub replacement \
     function fails with 'attempt to yield across metamethod/C-call boundary' (Lua 5.1 cannot \
     pause there; pcall, xpcall and coroutines are handled).",
    "xpcall's handler runs after the failed function's stack is gone.",
    "pairs/next over _G or a library table (string, math, redis, …) sees nothing: they are \
     read-only views; getmetatable of them answers false.",
    "string.format('%q', n) refuses a number (Lua 5.1.1's behaviour; Redis' 5.1.5 quotes it).",
    "cjson has encode, decode, null, _NAME and _VERSION with Redis' default settings, but not \
     its setting functions (encode_max_depth, encode_sparse_array, …) nor new.",
    "A table nested more than 200 deep in a script's result becomes 'ERR reached lua stack limit'.",
    "error({}) (an error table without an err string) answers an error; redis-server 7.0.15 \
     crashes.",
    "SCRIPT DEBUG (the Lua debugger) is not there.",
    "An error raised through a coroutine.wrap function that is called in a return statement \
     (a Lua tail call) comes without ' script: …, on @user_script:N.'.",
    "Assigning the varargs to variables declared earlier (`a, b = ...`) gives every variable the \
     first value (a rilua bug; `local a, b = ...` is right).",
];

/// The flags a script's `#!lua flags=…` line declares (`scripts_flags_def`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptFlags {
    /// No shebang: Redis' backwards-compatible mode (no flags apply).
    pub compat: bool,
    /// `no-writes`: the script may not write.
    pub no_writes: bool,
    /// `allow-oom`: the script may write past the memory limit.
    pub allow_oom: bool,
}

/// Reads a script's shebang line as `evalExtractShebangFlags` does: its flags and the length of
/// the line (the newline stays, so line numbers stay), or the error text.
pub fn shebang_flags(body: &[u8]) -> Result<(ScriptFlags, usize), String> {
    if !body.starts_with(b"#!") {
        return Ok((
            ScriptFlags {
                compat: true,
                ..ScriptFlags::default()
            },
            0,
        ));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err("Invalid script shebang".into());
    };
    let line = String::from_utf8_lossy(&body[..end]);
    let mut parts = line.split_ascii_whitespace();
    let Some(engine) = parts.next() else {
        return Err("Invalid engine in script shebang".into());
    };
    if engine != "#!lua" {
        return Err(format!("Unexpected engine in script shebang: {engine}"));
    }
    let mut flags = ScriptFlags::default();
    for part in parts {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(format!("Unknown lua shebang option: {part}"));
        };
        for flag in list.split(',').filter(|f| !f.is_empty()) {
            match flag {
                "no-writes" => flags.no_writes = true,
                "allow-oom" => flags.allow_oom = true,
                "allow-stale" | "no-cluster" | "allow-cross-slot-keys" => {}
                other => return Err(format!("Unexpected flag in script shebang: {other}")),
            }
        }
    }
    Ok((flags, end))
}

/// The SHA1 Redis names a script by, in lowercase hex.
pub fn sha1_hex(body: &[u8]) -> String {
    native::sha1_hex(body)
}

/// A script in the cache.
#[derive(Clone, Debug)]
struct Cached {
    body: Vec<u8>,
    flags: ScriptFlags,
}

/// The engine's scripting state: the script cache and the Lua VM that runs them. The VM is made
/// on first use (most engines of the simulation never run a script) and is not cloned: a clone
/// of the engine gets a fresh VM that compiles the cached scripts again when they run.
#[derive(Default)]
pub struct Scripting {
    cache: Map<String, Cached>,
    /// In a Mutex only to be `Sync` (Leptos' StoredValue asks it of the engine; the Lua state is
    /// `Send` only): the engine reaches it through `&mut`, so it is never locked.
    vm: Option<Mutex<Vm>>,
    /// The cached scripts the current VM has compiled.
    compiled: Map<String, ()>,
    budget: Option<u64>,
    log: Vec<(u8, Vec<u8>)>,
    /// Function libraries, in load order.
    libraries: Vec<functions::Library>,
    /// The current VM holds the libraries' functions.
    functions_in_vm: bool,
}

impl Clone for Scripting {
    fn clone(&self) -> Self {
        Scripting {
            cache: self.cache.clone(),
            vm: None,
            compiled: Map::default(),
            budget: self.budget,
            log: self.log.clone(),
            libraries: self.libraries.clone(),
            functions_in_vm: false,
        }
    }
}

impl fmt::Debug for Scripting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scripting")
            .field("scripts", &self.cache.len())
            .finish_non_exhaustive()
    }
}

/// Lines `redis.log` keeps at most (the oldest go first).
const LOG_LINES: usize = 100;

impl Scripting {
    fn vm(&mut self) -> &mut Vm {
        let vm = self.vm.get_or_insert_with(|| Mutex::new(Vm::new()));
        vm.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    fn budget(&self) -> u64 {
        self.budget.unwrap_or(DEFAULT_STEP_BUDGET)
    }

    /// Trades VMs (with what is compiled and loaded in them) with `other`.
    pub(crate) fn swap_vm(&mut self, other: &mut Scripting) {
        std::mem::swap(&mut self.vm, &mut other.vm);
        std::mem::swap(&mut self.compiled, &mut other.compiled);
        std::mem::swap(&mut self.functions_in_vm, &mut other.functions_in_vm);
    }

    /// Adds `body` to the cache (compiling it) unless it is there: its SHA1, or the error reply.
    fn create(&mut self, body: &[u8]) -> Result<String, Error> {
        let sha = sha1_hex(body);
        if self.cache.contains_key(&sha) {
            return Ok(sha);
        }
        let (flags, shebang) = shebang_flags(body).map_err(|e| Error::Other(err_text(&e)))?;
        self.vm()
            .compile(sha.as_bytes(), &body[shebang..], "@user_script")
            .map_err(Error::ScriptCompile)?;
        self.compiled.insert(sha.clone(), ());
        self.cache.insert(
            sha.clone(),
            Cached {
                body: body.to_vec(),
                flags,
            },
        );
        Ok(sha)
    }

    /// Makes sure the current VM has compiled the cached script `sha`.
    fn ensure_compiled(&mut self, sha: &str) {
        if self.compiled.contains_key(sha) {
            return;
        }
        let Some(cached) = self.cache.get(sha) else {
            return;
        };
        let body = cached.body.clone();
        let shebang = shebang_flags(&body).map_or(0, |(_, n)| n);
        if self
            .vm()
            .compile(sha.as_bytes(), &body[shebang..], "@user_script")
            .is_ok()
        {
            self.compiled.insert(sha.to_string(), ());
        }
    }

    /// SCRIPT FLUSH: the cache and the VM go (Redis closes its Lua state and opens a new one).
    fn flush(&mut self) {
        self.cache.clear();
        self.compiled.clear();
        self.vm = None;
        // The functions lived in that VM too (Redis keeps them in a Lua state of their own).
        self.functions_in_vm = false;
    }

    fn keep_log(&mut self, lines: Vec<(u8, Vec<u8>)>) {
        self.log.extend(lines);
        if self.log.len() > LOG_LINES {
            let excess = self.log.len() - LOG_LINES;
            self.log.drain(..excess);
        }
    }
}

/// An error text as `addReplyErrorSds` sends it: `ERR ` first unless it starts with `-`.
fn err_text(text: &str) -> Vec<u8> {
    match text.strip_prefix('-') {
        Some(rest) => rest.as_bytes().to_vec(),
        None => format!("ERR {text}").into_bytes(),
    }
}

/// The limits one run of a script works under (`scriptRunCtx`'s flags).
#[derive(Clone, Copy, Debug)]
struct RunContext {
    read_only: bool,
    allow_oom: bool,
    /// A write has run (`SCRIPT_WRITE_DIRTY`): past it, memory no longer refuses writes.
    wrote: bool,
}

impl Engine {
    /// Sets how many Lua instructions a script may run before it is killed
    /// ([`DEFAULT_STEP_BUDGET`] unless set).
    pub fn set_script_budget(&mut self, steps: u64) {
        self.scripting.budget = Some(steps);
    }

    /// What scripts wrote with `redis.log` (level 0–3, text), oldest first; taking it empties it.
    pub fn take_script_log(&mut self) -> Vec<(u8, Vec<u8>)> {
        std::mem::take(&mut self.scripting.log)
    }

    /// Runs the compiled script `key` to its end, answering its commands as they come: the reply
    /// EVAL or FCALL sends. `name` is what errors call it (the SHA1, or the function's name).
    #[allow(clippy::too_many_arguments)]
    fn run_script(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        key: &str,
        name: &str,
        keys: &[&[u8]],
        args: &[&[u8]],
        mut ctx: RunContext,
        as_function: bool,
    ) -> Reply {
        let budget = self.scripting.budget();
        // A SELECT inside the script is the script's own (Redis' script client): the caller's
        // database is the same after it.
        let db = self.selected_db(client);
        self.scripting
            .vm()
            .start(key.as_bytes(), keys, args, budget, as_function);
        let mut answer = None;
        let reply = loop {
            match self.scripting.vm().resume(answer.take()) {
                Outcome::Call { argv, .. } => {
                    let reply = self.call_from_script(host, client, &argv, &mut ctx);
                    answer = Some(Answer::Reply(reply));
                }
                Outcome::AclCheck { argv } => {
                    let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
                    answer = Some(Answer::Known(command::resolve(&args, host).is_ok()));
                }
                Outcome::Done(reply) => break reply,
                Outcome::Error { message, location } => {
                    break script_error(message, location, name)
                }
            }
        };
        let log = self.scripting.vm().finish();
        self.scripting.keep_log(log);
        self.select_db(client, db);
        reply
    }

    /// One `redis.call` from a script: Redis' `scriptCall` checks, then the command.
    fn call_from_script(
        &mut self,
        host: &mut dyn Host,
        client: ClientId,
        argv: &[Vec<u8>],
        ctx: &mut RunContext,
    ) -> Reply {
        let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        let spec = match command::resolve(&args, host) {
            Ok(spec) => spec,
            Err(Error::WrongArity(_)) => {
                return Reply::error("ERR Wrong number of args calling Redis command from script")
            }
            Err(_) => return Reply::error("ERR Unknown Redis command called from script"),
        };
        if spec.flags.contains(Flags::NO_SCRIPT) {
            return Reply::error("ERR This Redis command is not allowed from script");
        }
        if let Err(error) = host.admit(client, spec) {
            return error.into();
        }
        let writes = spec.flags.contains(Flags::WRITE);
        if ctx.read_only && writes {
            return Reply::error("ERR Write commands are not allowed from read-only scripts.");
        }
        if !ctx.allow_oom
            && !ctx.wrote
            && spec.flags.contains(Flags::DENY_OOM)
            && self.over_limits()
        {
            return Error::OutOfMemory.into();
        }
        if writes {
            ctx.wrote = true;
        }
        self.call(host, client, spec, &args)
    }
}

/// The error reply of a script that raised `message` at `location` (luaCallFunction).
fn script_error(message: Option<Vec<u8>>, location: Option<(Vec<u8>, i64)>, name: &str) -> Reply {
    let Some(mut text) = message else {
        // redis-server 7.0.15 crashes here (it formats a NULL message).
        return Reply::error("ERR Script raised an error table without an 'err' string");
    };
    if let Some((source, line)) = location {
        text.extend_from_slice(b" script: ");
        text.extend_from_slice(name.as_bytes());
        text.extend_from_slice(b", on ");
        text.extend_from_slice(&source);
        text.extend_from_slice(format!(":{line}.").as_bytes());
    }
    for b in &mut text {
        if *b == b'\r' || *b == b'\n' {
            *b = b' ';
        }
    }
    Reply::Error(text)
}

/// Arguments as byte slices.
type Args<'a> = &'a [&'a [u8]];

/// EVAL's and FCALL's `numkeys`: the keys and the arguments after it.
fn split_keys<'a>(argv: Args<'a>) -> Result<(Args<'a>, Args<'a>), Error> {
    let numkeys = super::number::parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    let rest = &argv[3..];
    if numkeys > rest.len() as i64 {
        return Err(Error::NumKeysTooLarge);
    }
    if numkeys < 0 {
        return Err(Error::NumKeysNegative);
    }
    Ok(rest.split_at(numkeys as usize))
}

/// `evalGenericCommand`.
fn eval_generic(
    engine: &mut Engine,
    call: &mut Call<'_>,
    evalsha: bool,
    ro: bool,
) -> Result<Reply, Error> {
    let argv = call.argv;
    if evalsha && argv[1].len() != 40 {
        return Err(Error::NoScript);
    }
    let (keys, args) = split_keys(argv)?;
    let sha = if evalsha {
        let sha = String::from_utf8_lossy(argv[1]).to_ascii_lowercase();
        if !engine.scripting.cache.contains_key(&sha) {
            return Err(Error::NoScript);
        }
        sha
    } else {
        engine.scripting.create(argv[1])?
    };
    engine.scripting.ensure_compiled(&sha);
    let flags = engine.scripting.cache[&sha].flags;
    if !flags.compat && !flags.no_writes && ro {
        return Err(Error::WriteScriptRo);
    }
    let ctx = RunContext {
        read_only: ro || (!flags.compat && flags.no_writes),
        allow_oom: !flags.compat && flags.allow_oom,
        wrote: false,
    };
    Ok(engine.run_script(call.host, call.client, &sha, &sha, keys, args, ctx, false))
}

/// `EVAL script numkeys [key …] [arg …]`
pub fn eval(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    eval_generic(engine, call, false, false)
}

/// `EVALSHA sha1 numkeys [key …] [arg …]`
pub fn evalsha(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    eval_generic(engine, call, true, false)
}

/// `EVAL_RO script numkeys [key …] [arg …]`: the script may not write.
pub fn eval_ro(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    eval_generic(engine, call, false, true)
}

/// `EVALSHA_RO sha1 numkeys [key …] [arg …]`: the script may not write.
pub fn evalsha_ro(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    eval_generic(engine, call, true, true)
}

/// `SCRIPT LOAD script`: caches and compiles it; its SHA1.
pub fn script_load(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let sha = engine.scripting.create(call.argv[2])?;
    Ok(Reply::Bulk(sha.into_bytes()))
}

/// `SCRIPT EXISTS sha1 [sha1 …]`: 1 or 0 for each (the SHA1 as typed: Redis does not lowercase it).
pub fn script_exists(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let found = call.argv[2..]
        .iter()
        .map(|sha| {
            // Redis' script dictionary compares SHA1s ignoring case.
            let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
            let known = engine.scripting.cache.contains_key(&sha);
            Reply::Integer(i64::from(known))
        })
        .collect();
    Ok(Reply::Array(found))
}

/// `SCRIPT FLUSH [ASYNC|SYNC]`
pub fn script_flush(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    match call.argv.get(2) {
        None => {}
        Some(mode)
            if call.argv.len() == 3
                && (command::is(mode, "sync") || command::is(mode, "async")) => {}
        Some(_) => return Err(Error::ScriptFlushOption),
    }
    engine.scripting.flush();
    Ok(Reply::ok())
}

/// `SCRIPT KILL`: no script is ever running while another command runs here.
pub fn script_kill(_: &mut Engine, _: &mut Call<'_>) -> Result<Reply, Error> {
    Err(Error::NotBusy)
}

/// `SCRIPT HELP`
pub fn script_help(_: &mut Engine, _: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(help_reply(
        "SCRIPT",
        &[
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        ],
    ))
}

/// `addReplyHelp`: a header naming the command, the lines, and HELP's own two.
pub(crate) fn help_reply(command: &str, lines: &[&str]) -> Reply {
    let mut out = vec![Reply::Status(
        format!("{command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").into(),
    )];
    out.extend(lines.iter().map(|l| Reply::Status(l.to_string().into())));
    out.push(Reply::status("HELP"));
    out.push(Reply::status("    Prints this help."));
    Reply::Array(out)
}

// ------------------------------------------------------------------------------------------------
// Lua text as a client: the API challenge mode uses.

/// What a [`LuaClient`] does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send this command to the server (one round trip); answer with [`LuaClient::resume`].
    Command(Vec<Vec<u8>>),
    /// The program ended with this value (converted as EVAL converts a script's result).
    Done(Reply),
    /// The program failed: the error, as EVAL would word it.
    Failed(Reply),
}

/// A Lua text run as a client of the engine, not inside it: every `redis.call` / `redis.pcall` is
/// a separate round trip that the caller performs (on any engine, after any other client's
/// commands), so the same text that is atomic inside EVAL can interleave with others here.
///
/// ```
/// use incr_lab::engine::{Engine, scripting::{LuaClient, Step}};
/// let mut engine = Engine::new(0);
/// let mut client = LuaClient::new(
///     b"local n = tonumber(redis.call('GET', KEYS[1]) or '0') redis.call('SET', KEYS[1], n + 1)",
///     &[b"likes"], &[],
/// ).unwrap();
/// let mut step = client.start();
/// while let Step::Command(argv) = step {
///     // Another client could run here: that is the point.
///     let reply = engine.execute(7, &argv);
///     step = client.resume(reply);
/// }
/// assert_eq!(engine.execute(7, &["GET", "likes"]), incr_lab::engine::Reply::bulk("1"));
/// ```
///
/// A client owns its own small Lua VM (a VM cannot be copied mid-run: to explore interleavings,
/// re-run a client from the start and feed it the same replies — it is deterministic).
pub struct LuaClient {
    /// In a Mutex only to be `Sync`, as the engine's (never locked: reached through `&mut`).
    vm: Mutex<Vm>,
    name: String,
    keys: Vec<Vec<u8>>,
    args: Vec<Vec<u8>>,
    steps: u64,
}

impl fmt::Debug for LuaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LuaClient")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl LuaClient {
    /// Compiles `text` (KEYS and ARGV as EVAL would give them); a compile error is EVAL's reply.
    pub fn new(text: &[u8], keys: &[&[u8]], args: &[&[u8]]) -> Result<LuaClient, Reply> {
        let name = sha1_hex(text);
        let (_, shebang) = shebang_flags(text).map_err(|e| Reply::Error(err_text(&e)))?;
        let mut vm = Vm::new();
        vm.compile(name.as_bytes(), &text[shebang..], "@user_script")
            .map_err(|e| Reply::from(Error::ScriptCompile(e)))?;
        Ok(LuaClient {
            vm: Mutex::new(vm),
            name,
            keys: keys.iter().map(|k| k.to_vec()).collect(),
            args: args.iter().map(|a| a.to_vec()).collect(),
            steps: DEFAULT_STEP_BUDGET,
        })
    }

    /// Sets the Lua instruction budget of a run (an endless retry loop then fails cleanly).
    pub fn with_budget(mut self, steps: u64) -> LuaClient {
        self.steps = steps;
        self
    }

    /// Starts (or restarts) the program: its first step. Every run starts from the same state
    /// (`math.random` included), so the same replies give the same steps.
    pub fn start(&mut self) -> Step {
        let keys: Vec<&[u8]> = self.keys.iter().map(Vec::as_slice).collect();
        let args: Vec<&[u8]> = self.args.iter().map(Vec::as_slice).collect();
        let vm = self.vm.get_mut().unwrap_or_else(PoisonError::into_inner);
        vm.reset_random();
        vm.start(self.name.as_bytes(), &keys, &args, self.steps, false);
        self.advance(None)
    }

    /// Gives the program the server's reply to its last command: its next step.
    pub fn resume(&mut self, reply: Reply) -> Step {
        self.advance(Some(Answer::Reply(reply)))
    }

    fn vm(&mut self) -> &mut Vm {
        self.vm.get_mut().unwrap_or_else(PoisonError::into_inner)
    }

    fn advance(&mut self, mut answer: Option<Answer>) -> Step {
        loop {
            match self.vm().resume(answer.take()) {
                Outcome::Call { argv, .. } => return Step::Command(argv),
                // A client knows the commands of the server it talks to: the engine's.
                Outcome::AclCheck { argv } => {
                    let known = argv.first().is_some_and(|n| command::lookup(n).is_some());
                    answer = Some(Answer::Known(known));
                }
                Outcome::Done(reply) => {
                    self.vm().finish();
                    return Step::Done(reply);
                }
                Outcome::Error { message, location } => {
                    self.vm().finish();
                    return Step::Failed(script_error(message, location, &self.name));
                }
            }
        }
    }
}
