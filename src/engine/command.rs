//! The command table: names, arities and flags as in Redis 7.0's `commands.def`, and the family
//! modules that implement each command.

pub mod bitmaps;
pub mod connection;
pub mod databases;
pub mod hashes;
pub mod hyperloglog;
pub mod keys;
pub mod lists;
pub mod meta;
mod meta_data;
pub mod object;
mod random;
pub mod scan;
pub mod server;
pub mod sets;
pub mod sorted_sets;
pub mod strings;

use super::db::Db;
use super::error::Error;
use super::reply::{Protocol, Reply};
use super::scripting::{self, functions};
use super::{ClientId, Engine};

/// Redis' command flags (`commands.def`), the ones the engine acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags(u8);

impl Flags {
    /// No flag: the command neither reads nor writes keys (PING, ECHO, MULTI, …).
    pub const NONE: Flags = Flags(0);
    /// `write`: may change the keyspace (refused in a read-only script, EVAL_RO / FCALL_RO).
    pub const WRITE: Flags = Flags(1);
    /// `readonly`: reads the keyspace, never changes it.
    pub const READONLY: Flags = Flags(1 << 1);
    /// `denyoom`: refused once memory is over the limit.
    pub const DENY_OOM: Flags = Flags(1 << 2);
    /// `noscript`: refused from a script's `redis.call`.
    pub const NO_SCRIPT: Flags = Flags(1 << 3);
    /// `no-multi`: refused inside MULTI rather than queued.
    pub const NO_MULTI: Flags = Flags(1 << 4);

    /// Both sets of flags.
    pub const fn with(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    /// True when every flag of `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The flags most rows use, short so that the table reads as one row a command.
const READ: Flags = Flags::READONLY;
const WRITE: Flags = Flags::WRITE;
const WRITE_OOM: Flags = Flags::WRITE.with(Flags::DENY_OOM);
const NONE: Flags = Flags::NONE;
/// CONFIG's `admin` commands: refused from scripts.
const ADMIN: Flags = Flags::NO_SCRIPT;

/// A command on the keyspace: the arguments (name included, arity checked) → the reply.
pub type DbFn = fn(&mut Db, &[&[u8]]) -> Result<Reply, Error>;

/// A command that needs more than the keyspace: the engine itself (its clients, its scripts), the
/// calling client and the host.
pub type EngineFn = fn(&mut Engine, &mut Call<'_>) -> Result<Reply, Error>;

/// What an [`EngineFn`] is called with.
pub struct Call<'a> {
    /// The calling client.
    pub client: ClientId,
    /// The arguments, the command's name first; the arity is checked.
    pub argv: &'a [&'a [u8]],
    /// The host the command runs in (its own commands, its allow-list).
    pub host: &'a mut dyn Host,
}

/// What executing a command means.
#[derive(Clone, Copy)]
pub enum Run {
    /// A command on the keyspace.
    Db(DbFn),
    /// A command on the engine.
    Engine(EngineFn),
    /// A command the host adds ([`Host::run`] runs it).
    Host,
    /// A container (`CONFIG`, `OBJECT`, …): its subcommands are the commands.
    Container,
    /// MULTI
    Multi,
    /// EXEC
    Exec,
    /// DISCARD
    Discard,
    /// WATCH
    Watch,
    /// UNWATCH
    Unwatch,
}

/// One row of the command table.
#[derive(Clone, Copy)]
pub struct Spec {
    /// Lowercase name, as arity errors print it; a subcommand's is `container|sub`.
    pub name: &'static str,
    /// Redis' arity: `n` exactly n arguments (name included), `-n` at least n.
    pub arity: i32,
    /// What the engine checks before running it.
    pub flags: Flags,
    /// How it runs.
    pub run: Run,
    /// A container's subcommands (empty for any other command).
    pub subcommands: &'static [Spec],
    /// The word the command is typed with: `name`, or a subcommand's part after the `|`. Kept
    /// rather than cut from `name` at each lookup, which tripled INCR's instructions.
    word: &'static str,
}

/// `name` after its last `|` (all of it when it has none), at compile time.
const fn word_of(name: &'static str) -> &'static str {
    let bytes = name.as_bytes();
    let mut i = bytes.len();
    while i > 0 {
        if bytes[i - 1] == b'|' {
            break;
        }
        i -= 1;
    }
    let (_, tail) = bytes.split_at(i);
    match core::str::from_utf8(tail) {
        Ok(word) => word,
        Err(_) => panic!("command names are ASCII"),
    }
}

impl Spec {
    /// A command `name` with this arity and these flags, run by `run`.
    pub const fn new(name: &'static str, arity: i32, flags: Flags, run: Run) -> Spec {
        Spec {
            name,
            arity,
            flags,
            run,
            subcommands: &[],
            word: word_of(name),
        }
    }

    /// A container command such as `CONFIG` (arity -2, as in Redis): `argv[1]` names one of
    /// `subcommands`, whose names are `container|sub`.
    pub const fn container(name: &'static str, subcommands: &'static [Spec]) -> Spec {
        Spec {
            name,
            arity: -2,
            flags: Flags::NONE,
            run: Run::Container,
            subcommands,
            word: word_of(name),
        }
    }

    /// A container that also runs on its own, with no subcommand (COMMAND, arity -1): `run` then
    /// runs it; with an argument the argument names one of `subcommands`.
    pub const fn container_running(
        name: &'static str,
        arity: i32,
        flags: Flags,
        run: Run,
        subcommands: &'static [Spec],
    ) -> Spec {
        Spec {
            name,
            arity,
            flags,
            run,
            subcommands,
            word: word_of(name),
        }
    }

    /// True when `argc` (name included) fits the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = i64::from(self.arity);
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    /// The name a command is typed with: a subcommand's part after the `|`.
    fn word(&self) -> &'static str {
        self.word
    }
}

/// What a host of the engine adds to it: the RESP server's CONFIG, CLIENT, HELLO, AUTH and INFO,
/// a classroom's allow-list. The engine looks commands up in its own table first, then the host's,
/// checks arity, flags and the host's [`admit`](Host::admit) the same way for both, queues both
/// inside MULTI and runs both at EXEC, in order — so a host's command inside a transaction behaves
/// exactly as Redis' own.
pub trait Host {
    /// The host's command `name` (case-insensitive), when the engine has none of that name.
    /// Its [`Spec::run`] is [`Run::Host`] (or [`Run::Container`] with such subcommands).
    fn lookup(&self, name: &[u8]) -> Option<&'static Spec> {
        let _ = name;
        None
    }

    /// Runs the host's command `spec` (arity checked) for `client`.
    fn run(
        &mut self,
        engine: &mut Engine,
        client: ClientId,
        spec: &'static Spec,
        argv: &[&[u8]],
    ) -> Reply {
        let _ = (engine, client, argv);
        Error::UnknownCommand {
            name: spec.name.as_bytes().to_vec(),
            args: Vec::new(),
        }
        .into()
    }

    /// The host's commands, for COMMAND, COMMAND COUNT and COMMAND LIST (each must also be found
    /// by [`Host::lookup`]).
    fn commands(&self) -> &'static [Spec] {
        &[]
    }

    /// Configuration parameters the host adds to CONFIG GET, read-only (`port`, `save`, …): CONFIG
    /// SET accepts one only with the value it already has, and answers Redis' "can't set
    /// immutable config" otherwise.
    fn parameters(&self) -> Vec<crate::engine::HostParam> {
        Vec::new()
    }

    /// Refuses a command before it runs or is queued (an allow-list): `Err` is the refusal,
    /// which inside MULTI also makes EXEC abort, as any rejected command does.
    fn admit(&self, client: ClientId, spec: &'static Spec) -> Result<(), Error> {
        let _ = (client, spec);
        Ok(())
    }

    /// The protocol `client`'s replies are written in now (the RESP server's `HELLO` switches
    /// it). EXEC asks after each queued command, so that a `HELLO` queued in a transaction
    /// switches the replies after it, as in Redis (see [`Reply::InProtocol`]).
    fn protocol(&self, client: ClientId) -> Protocol {
        let _ = client;
        Protocol::Resp2
    }
}

/// The host of an engine that adds nothing and refuses nothing (the web console, the labs).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHost;

impl Host for NoHost {}

const fn db(name: &'static str, arity: i32, flags: Flags, f: DbFn) -> Spec {
    Spec::new(name, arity, flags, Run::Db(f))
}

/// MULTI, EXEC, … are `noscript` in Redis.
const fn tx(name: &'static str, arity: i32, run: Run) -> Spec {
    Spec::new(name, arity, Flags::NO_SCRIPT, run)
}

const fn engine(name: &'static str, arity: i32, flags: Flags, f: EngineFn) -> Spec {
    Spec::new(name, arity, flags, Run::Engine(f))
}

const SCRIPTING: Flags = Flags::NO_SCRIPT;
const SCRIPTING_RO: Flags = Flags::NO_SCRIPT.with(Flags::READONLY);

/// Every command the engine knows, in the order HELP lists them: the core rows with COMMAND's and
/// scripting's in their places (see [`CORE_TABLE`]).
pub static TABLE: &[Spec] = &FULL_ROWS;

/// The core table: every command but COMMAND and scripting's (EVAL, SCRIPT, FCALL, FUNCTION), whose
/// code — the Lua VM, the COMMAND DOCS/INFO data — an engine built on it ([`Engine::core`]) leaves
/// out of the binary: the console-lite (src/bin/console-lite.rs) answers with it while the page
/// loads. Its replies are the full table's (tests/console_lite.rs).
///
/// [`Engine::core`]: super::Engine::core
pub static CORE_TABLE: &[Spec] = &CORE_ROWS;

/// The names of the commands only [`TABLE`] has, lowercase: the rows' names alone, so that naming
/// them brings none of their code.
pub const FULL_ONLY: [&str; META_ROWS.len() + SCRIPTING_ROWS.len()] =
    names(&[META_ROWS, SCRIPTING_ROWS]);

static FULL_ROWS: [Spec;
    CORE_HEAD.len() + META_ROWS.len() + CORE_TAIL.len() + SCRIPTING_ROWS.len()] =
    concat(&[CORE_HEAD, META_ROWS, CORE_TAIL, SCRIPTING_ROWS]);
static CORE_ROWS: [Spec; CORE_HEAD.len() + CORE_TAIL.len()] = concat(&[CORE_HEAD, CORE_TAIL]);

/// `parts` one after the other, at compile time.
const fn concat<const N: usize>(parts: &[&[Spec]]) -> [Spec; N] {
    let mut out = [parts[0][0]; N];
    let (mut part, mut n) = (0, 0);
    while part < parts.len() {
        let mut row = 0;
        while row < parts[part].len() {
            out[n] = parts[part][row];
            (n, row) = (n + 1, row + 1);
        }
        part += 1;
    }
    assert!(n == N, "N is the rows' count");
    out
}

/// The names of `parts`' rows, at compile time.
const fn names<const N: usize>(parts: &[&[Spec]]) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut part, mut n) = (0, 0);
    while part < parts.len() {
        let mut row = 0;
        while row < parts[part].len() {
            out[n] = parts[part][row].name;
            (n, row) = (n + 1, row + 1);
        }
        part += 1;
    }
    assert!(n == N, "N is the rows' count");
    out
}

/// The core rows before COMMAND's.
const CORE_HEAD: &[Spec] = &[
    db("get", 2, READ, strings::get),
    db("set", -3, WRITE_OOM, strings::set),
    db("getset", 3, WRITE_OOM, strings::getset),
    db("getdel", 2, WRITE, strings::getdel),
    db("incr", 2, WRITE_OOM, strings::incr),
    db("decr", 2, WRITE_OOM, strings::decr),
    db("incrby", 3, WRITE_OOM, strings::incrby),
    db("decrby", 3, WRITE_OOM, strings::decrby),
    db("incrbyfloat", 3, WRITE_OOM, strings::incrbyfloat),
    db("setnx", 3, WRITE_OOM, strings::setnx),
    db("setex", 4, WRITE_OOM, strings::setex),
    db("psetex", 4, WRITE_OOM, strings::psetex),
    db("getex", -2, WRITE, strings::getex),
    db("mset", -3, WRITE_OOM, strings::mset),
    db("msetnx", -3, WRITE_OOM, strings::msetnx),
    db("mget", -2, READ, strings::mget),
    db("append", 3, WRITE_OOM, strings::append),
    db("strlen", 2, READ, strings::strlen),
    db("getrange", 4, READ, strings::getrange),
    db("substr", 4, READ, strings::substr),
    db("setrange", 4, WRITE_OOM, strings::setrange),
    db("lcs", -3, READ, strings::lcs),
    db("setbit", 4, WRITE_OOM, bitmaps::setbit),
    db("getbit", 3, READ, bitmaps::getbit),
    db("bitcount", -2, READ, bitmaps::bitcount),
    db("bitpos", -3, READ, bitmaps::bitpos),
    db("bitop", -4, WRITE_OOM, bitmaps::bitop),
    db("bitfield", -2, WRITE_OOM, bitmaps::bitfield),
    db("bitfield_ro", -2, READ, bitmaps::bitfield_ro),
    db("hset", -4, WRITE_OOM, hashes::hset),
    db("hget", 3, READ, hashes::hget),
    db("hgetall", 2, READ, hashes::hgetall),
    db("hdel", -3, WRITE, hashes::hdel),
    db("hlen", 2, READ, hashes::hlen),
    db("hexists", 3, READ, hashes::hexists),
    db("hincrby", 4, WRITE_OOM, hashes::hincrby),
    db("hincrbyfloat", 4, WRITE_OOM, hashes::hincrbyfloat),
    db("hmset", -4, WRITE_OOM, hashes::hmset),
    db("hsetnx", 4, WRITE_OOM, hashes::hsetnx),
    db("hmget", -3, READ, hashes::hmget),
    db("hkeys", 2, READ, hashes::hkeys),
    db("hvals", 2, READ, hashes::hvals),
    db("hstrlen", 3, READ, hashes::hstrlen),
    db("hrandfield", -2, READ, hashes::hrandfield),
    db("hscan", -3, READ, hashes::hscan),
    db("zadd", -4, WRITE_OOM, sorted_sets::zadd),
    db("zincrby", 4, WRITE_OOM, sorted_sets::zincrby),
    db("zscore", 3, READ, sorted_sets::zscore),
    db("zrange", -4, READ, sorted_sets::zrange),
    db("zrevrange", -4, READ, sorted_sets::zrevrange),
    db("zrank", 3, READ, sorted_sets::zrank),
    db("zrevrank", 3, READ, sorted_sets::zrevrank),
    db("zcard", 2, READ, sorted_sets::zcard),
    db("zrem", -3, WRITE, sorted_sets::zrem),
    db("zrangebylex", -4, READ, sorted_sets::zrangebylex),
    db("zrevrangebylex", -4, READ, sorted_sets::zrevrangebylex),
    db("zlexcount", 4, READ, sorted_sets::zlexcount),
    db("zremrangebylex", 4, WRITE, sorted_sets::zremrangebylex),
    db("zrangebyscore", -4, READ, sorted_sets::zrangebyscore),
    db("zrevrangebyscore", -4, READ, sorted_sets::zrevrangebyscore),
    db("zcount", 4, READ, sorted_sets::zcount),
    db("zmscore", -3, READ, sorted_sets::zmscore),
    db("zpopmin", -2, WRITE, sorted_sets::zpopmin),
    db("zpopmax", -2, WRITE, sorted_sets::zpopmax),
    db("zmpop", -4, WRITE, sorted_sets::zmpop),
    db("zrangestore", -5, WRITE_OOM, sorted_sets::zrangestore),
    db("zremrangebyrank", 4, WRITE, sorted_sets::zremrangebyrank),
    db("zremrangebyscore", 4, WRITE, sorted_sets::zremrangebyscore),
    db("zunion", -3, READ, sorted_sets::zunion),
    db("zinter", -3, READ, sorted_sets::zinter),
    db("zdiff", -3, READ, sorted_sets::zdiff),
    db("zunionstore", -4, WRITE_OOM, sorted_sets::zunionstore),
    db("zinterstore", -4, WRITE_OOM, sorted_sets::zinterstore),
    db("zdiffstore", -4, WRITE_OOM, sorted_sets::zdiffstore),
    db("zintercard", -3, READ, sorted_sets::zintercard),
    db("zrandmember", -2, READ, sorted_sets::zrandmember),
    db("zscan", -3, READ, sorted_sets::zscan),
    engine(
        "bzpopmin",
        -3,
        WRITE.with(Flags::NO_SCRIPT),
        sorted_sets::bzpopmin,
    ),
    engine(
        "bzpopmax",
        -3,
        WRITE.with(Flags::NO_SCRIPT),
        sorted_sets::bzpopmax,
    ),
    engine("bzmpop", -5, WRITE, sorted_sets::bzmpop),
    db("sadd", -3, WRITE_OOM, sets::sadd),
    db("srem", -3, WRITE, sets::srem),
    db("sismember", 3, READ, sets::sismember),
    db("smismember", -3, READ, sets::smismember),
    db("scard", 2, READ, sets::scard),
    db("smembers", 2, READ, sets::smembers),
    db("spop", -2, WRITE, sets::spop),
    db("srandmember", -2, READ, sets::srandmember),
    db("smove", 4, WRITE, sets::smove),
    db("sinter", -2, READ, sets::sinter),
    db("sinterstore", -3, WRITE_OOM, sets::sinterstore),
    db("sintercard", -3, READ, sets::sintercard),
    db("sunion", -2, READ, sets::sunion),
    db("sunionstore", -3, WRITE_OOM, sets::sunionstore),
    db("sdiff", -2, READ, sets::sdiff),
    db("sdiffstore", -3, WRITE_OOM, sets::sdiffstore),
    db("sscan", -3, READ, sets::sscan),
    db("lpush", -3, WRITE_OOM, lists::lpush),
    db("rpush", -3, WRITE_OOM, lists::rpush),
    db("lpushx", -3, WRITE_OOM, lists::lpushx),
    db("rpushx", -3, WRITE_OOM, lists::rpushx),
    db("lpop", -2, WRITE, lists::lpop),
    db("rpop", -2, WRITE, lists::rpop),
    db("llen", 2, READ, lists::llen),
    db("lindex", 3, READ, lists::lindex),
    db("lrange", 4, READ, lists::lrange),
    db("lset", 4, WRITE_OOM, lists::lset),
    db("linsert", 5, WRITE_OOM, lists::linsert),
    db("lrem", 4, WRITE, lists::lrem),
    db("ltrim", 4, WRITE, lists::ltrim),
    db("lpos", -3, READ, lists::lpos),
    db("lmove", 5, WRITE_OOM, lists::lmove),
    db("rpoplpush", 3, WRITE_OOM, lists::rpoplpush),
    db("lmpop", -4, WRITE, lists::lmpop),
    db("pfadd", -2, WRITE_OOM, hyperloglog::pfadd),
    db("pfcount", -2, READ, hyperloglog::pfcount),
    db("pfmerge", -2, WRITE_OOM, hyperloglog::pfmerge),
    db("pfdebug", 3, WRITE_OOM, hyperloglog::pfdebug),
    db("del", -2, WRITE, keys::del),
    db("unlink", -2, WRITE, keys::unlink),
    db("exists", -2, READ, keys::exists),
    db("touch", -2, READ, keys::touch),
    db("type", 2, READ, keys::type_),
    db("keys", 2, READ, keys::keys),
    db("scan", -2, READ, keys::scan),
    db("randomkey", 1, READ, keys::randomkey),
    db("rename", 3, WRITE, keys::rename),
    db("renamenx", 3, WRITE, keys::renamenx),
    Spec::new("copy", -3, WRITE_OOM, Run::Engine(keys::copy)),
    Spec::container(
        "object",
        &[
            db("object|encoding", 3, READ, object::object_encoding),
            Spec::new("object|freq", 3, READ, Run::Engine(object::object_freq)),
            db("object|help", 2, NONE, object::object_help),
            Spec::new(
                "object|idletime",
                3,
                READ,
                Run::Engine(object::object_idletime),
            ),
            db("object|refcount", 3, READ, object::object_refcount),
        ],
    ),
    db("dbsize", 1, READ, keys::dbsize),
    db("flushdb", -1, WRITE, keys::flushdb),
    Spec::new("flushall", -1, WRITE, Run::Engine(databases::flushall)),
    db("expire", -3, WRITE, keys::expire),
    db("pexpire", -3, WRITE, keys::pexpire),
    db("expireat", -3, WRITE, keys::expireat),
    db("pexpireat", -3, WRITE, keys::pexpireat),
    db("ttl", 2, READ, keys::ttl),
    db("pttl", 2, READ, keys::pttl),
    db("expiretime", 2, READ, keys::expiretime),
    db("pexpiretime", 2, READ, keys::pexpiretime),
    db("persist", 2, WRITE, keys::persist),
    tx("multi", 1, Run::Multi),
    tx("exec", 1, Run::Exec),
    tx("discard", 1, Run::Discard),
    tx("watch", -2, Run::Watch),
    tx("unwatch", 1, Run::Unwatch),
    Spec::new("select", 2, NONE, Run::Engine(databases::select)),
    Spec::new("swapdb", 3, WRITE, Run::Engine(databases::swapdb)),
    Spec::new("move", 3, WRITE, Run::Engine(databases::move_)),
    Spec::container(
        "memory",
        &[
            db("memory|doctor", 2, NONE, object::memory_doctor),
            db("memory|help", 2, NONE, object::memory_help),
            db("memory|purge", 2, NONE, object::memory_purge),
            db("memory|usage", -3, READ, object::memory_usage),
        ],
    ),
    Spec::container(
        "config",
        &[
            Spec::new("config|get", -3, ADMIN, Run::Engine(server::config_get)),
            Spec::new("config|set", -4, ADMIN, Run::Engine(server::config_set)),
            Spec::new(
                "config|resetstat",
                2,
                ADMIN,
                Run::Engine(server::config_resetstat),
            ),
            Spec::new(
                "config|rewrite",
                2,
                ADMIN,
                Run::Engine(server::config_rewrite),
            ),
            Spec::new("config|help", 2, NONE, Run::Engine(server::config_help)),
        ],
    ),
];

/// COMMAND and its subcommands (their data: meta_data.rs).
const META_ROWS: &[Spec] = &[Spec::container_running(
    "command",
    -1,
    NONE,
    Run::Engine(meta::command),
    &[
        Spec::new("command|count", 2, NONE, Run::Engine(meta::command_count)),
        Spec::new("command|docs", -2, NONE, Run::Engine(meta::command_docs)),
        Spec::new("command|help", 2, NONE, Run::Engine(meta::command_help)),
        Spec::new("command|info", -2, NONE, Run::Engine(meta::command_info)),
        Spec::new("command|list", -2, NONE, Run::Engine(meta::command_list)),
    ],
)];

/// The core rows after COMMAND's.
const CORE_TAIL: &[Spec] = &[
    Spec::new("time", 1, NONE, Run::Engine(server::time)),
    Spec::new("lastsave", 1, NONE, Run::Engine(server::lastsave)),
    db("ping", -1, NONE, connection::ping),
    db("echo", 2, NONE, connection::echo),
];

/// Scripting's rows: EVAL, SCRIPT, FCALL, FUNCTION (the Lua VM).
const SCRIPTING_ROWS: &[Spec] = &[
    engine("eval", -3, SCRIPTING, scripting::eval),
    engine("evalsha", -3, SCRIPTING, scripting::evalsha),
    engine("eval_ro", -3, SCRIPTING_RO, scripting::eval_ro),
    engine("evalsha_ro", -3, SCRIPTING_RO, scripting::evalsha_ro),
    Spec::container(
        "script",
        &[
            engine("script|load", 3, SCRIPTING, scripting::script_load),
            engine("script|exists", -3, SCRIPTING, scripting::script_exists),
            engine("script|flush", -2, SCRIPTING, scripting::script_flush),
            engine("script|kill", 2, SCRIPTING, scripting::script_kill),
            engine("script|help", 2, NONE, scripting::script_help),
        ],
    ),
    engine("fcall", -3, SCRIPTING, functions::fcall),
    engine("fcall_ro", -3, SCRIPTING_RO, functions::fcall_ro),
    Spec::container(
        "function",
        &[
            engine(
                "function|load",
                -3,
                SCRIPTING.with(WRITE_OOM),
                functions::function_load,
            ),
            engine(
                "function|delete",
                3,
                SCRIPTING.with(WRITE),
                functions::function_delete,
            ),
            engine(
                "function|flush",
                -2,
                SCRIPTING.with(WRITE),
                functions::function_flush,
            ),
            engine("function|list", -2, SCRIPTING, functions::function_list),
            engine("function|dump", 2, SCRIPTING, functions::function_dump),
            engine(
                "function|restore",
                -3,
                SCRIPTING.with(WRITE_OOM),
                functions::function_restore,
            ),
            engine("function|stats", 2, SCRIPTING, functions::function_stats),
            engine("function|kill", 2, SCRIPTING, functions::function_kill),
            engine("function|help", 2, NONE, functions::function_help),
        ],
    ),
];

/// A command table and its index by name: what an [`Engine`] looks its commands up in.
pub struct Commands {
    rows: &'static [Spec],
    /// The rows by name, built on first use: one hash of a u128 instead of a scan of 150-odd
    /// rows (ZADD sat 80 rows deep); every name fits in 16 bytes (a test checks it).
    index: std::sync::OnceLock<super::Map<(u128, usize), &'static Spec>>,
}

impl Commands {
    const fn new(rows: &'static [Spec]) -> Commands {
        Commands {
            rows,
            index: std::sync::OnceLock::new(),
        }
    }

    /// Finds a command by name, ignoring ASCII case.
    pub fn lookup(&'static self, name: &[u8]) -> Option<&'static Spec> {
        let index = self.index.get_or_init(|| {
            self.rows
                .iter()
                .filter_map(|spec| Some((packed_name(spec.word().as_bytes())?, spec)))
                .collect()
        });
        index.get(&packed_name(name)?).copied()
    }
}

impl std::fmt::Debug for Commands {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Commands({} rows)", self.rows.len())
    }
}

/// [`TABLE`], indexed: every engine's but [`Engine::core`]'s.
///
/// [`Engine::core`]: super::Engine::core
pub static FULL: Commands = Commands::new(&FULL_ROWS);

/// [`CORE_TABLE`], indexed.
pub static CORE: Commands = Commands::new(&CORE_ROWS);

/// Finds a command of the full table by name, ignoring ASCII case.
pub fn lookup(name: &[u8]) -> Option<&'static Spec> {
    FULL.lookup(name)
}

/// `name` lowercased (ASCII) into a u128, with its length (a NUL in a name is then no padding), if
/// it fits: the bytes are lowercased eight at a time.
fn packed_name(name: &[u8]) -> Option<(u128, usize)> {
    const ONES: u128 = u128::from_le_bytes([0x01; 16]);
    const HIGH: u128 = ONES * 0x80;
    let mut bytes = [0u8; 16];
    bytes.get_mut(..name.len())?.copy_from_slice(name);
    let x = u128::from_le_bytes(bytes);
    // Per byte: ASCII (high bit clear), at least 'A' and at most 'Z' → add 0x20.
    let low7 = x & !HIGH;
    let at_least_a = low7 + ONES * (0x80 - b'A' as u128);
    let above_z = low7 + ONES * (0x80 - b'Z' as u128 - 1);
    let upper = at_least_a & !above_z & !x & HIGH;
    Some((x | (upper >> 2), name.len()))
}

/// Finds `name` among `specs` (by the word a command is typed with), ignoring ASCII case.
pub(crate) fn find(specs: &'static [Spec], name: &[u8]) -> Option<&'static Spec> {
    if name.len() > 32 {
        return None;
    }
    // The words in the table are lowercase (a test checks it).
    specs.iter().find(|spec| {
        let candidate = spec.word().as_bytes();
        candidate.len() == name.len()
            && candidate
                .iter()
                .zip(name)
                .all(|(&c, &n)| n.to_ascii_lowercase() == c)
    })
}

/// Redis' `lookupCommand` then `processCommand`'s first checks: the command `argv` names — in the
/// engine's table, then the host's —, the subcommand when it is a container, and its arity.
pub fn resolve(argv: &[&[u8]], host: &dyn Host) -> Result<&'static Spec, Error> {
    resolve_in(&FULL, argv, host)
}

/// [`resolve`] in `commands` rather than the full table.
pub fn resolve_in(
    commands: &'static Commands,
    argv: &[&[u8]],
    host: &dyn Host,
) -> Result<&'static Spec, Error> {
    let name: &[u8] = argv.first().copied().unwrap_or_default();
    let Some(mut spec) = commands.lookup(name).or_else(|| host.lookup(name)) else {
        return Err(Error::UnknownCommand {
            name: name.to_vec(),
            args: argv.iter().skip(1).map(|a| a.to_vec()).collect(),
        });
    };
    if !spec.subcommands.is_empty() && argv.len() >= 2 {
        let sub = argv[1];
        spec = find(spec.subcommands, sub).ok_or_else(|| Error::UnknownSubcommand {
            sub: sub.to_vec(),
            container: name.to_ascii_uppercase(),
        })?;
    }
    if !spec.arity_ok(argv.len()) {
        return Err(Error::WrongArity(spec.name));
    }
    Ok(spec)
}

/// The bytes C code sees of an argument: up to its first NUL (Redis compares options with
/// `strcasecmp`, so `"NX\0junk"` is the option NX).
pub(crate) fn c_str(arg: &[u8]) -> &[u8] {
    match arg.iter().position(|&b| b == 0) {
        Some(n) => &arg[..n],
        None => arg,
    }
}

/// Redis' `addReplyHelp`: `<COMMAND> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`
/// (the command as typed, uppercased), `lines`, then HELP's own two lines, as status replies.
pub(crate) fn help_reply(command: &[u8], lines: &[&'static str]) -> Reply {
    let mut head = String::from_utf8_lossy(c_str(command)).to_ascii_uppercase();
    head.push_str(" <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    let mut out = Vec::with_capacity(lines.len() + 3);
    out.push(Reply::Status(head.into()));
    for line in lines.iter().chain(&["HELP", "    Prints this help."]) {
        out.push(Reply::status(line));
    }
    Reply::Array(out)
}

/// True when `arg` is the option `word`, compared as Redis does (`strcasecmp`).
pub(crate) fn is(arg: &[u8], word: &str) -> bool {
    c_str(arg).eq_ignore_ascii_case(word.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::{find, lookup, TABLE};

    #[test]
    fn names_are_lowercase_letters_and_lookup_ignores_case() {
        let rows = TABLE.iter().map(|spec| (TABLE, spec)).chain(
            TABLE
                .iter()
                .flat_map(|c| c.subcommands.iter().map(|s| (c.subcommands, s))),
        );
        for (specs, spec) in rows {
            assert!(
                spec.word()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_'),
                "{}",
                spec.name
            );
            assert!(
                spec.word().len() <= 16,
                "{} is too long for lookup()",
                spec.name
            );
            let upper = spec.word().to_ascii_uppercase();
            assert_eq!(
                find(specs, upper.as_bytes()).map(|s| s.name),
                Some(spec.name)
            );
        }
        for name in ["", "incr\0", "INCR ", "inc", "incrr", "GET\x00", "get\x00"] {
            assert_eq!(lookup(name.as_bytes()).map(|s| s.name), None, "{name:?}");
        }
        assert_eq!(lookup(b"iNcR").map(|s| s.name), Some("incr"));
        // Only letters have another case: '@' (0x40) is not '`' (0x60), CR (0x0d) is not '-'.
        assert_eq!(lookup(b"g\x45t").map(|s| s.name), Some("get"));
        assert_eq!(lookup(b"@et").map(|s| s.name), None);
    }
}
