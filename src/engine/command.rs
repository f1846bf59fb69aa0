//! The command table: names, arities and flags as in Redis 7.0's `commands.def`, and the family
//! modules that implement each command.

pub mod connection;
pub mod hashes;
pub mod keys;
pub mod sorted_sets;
pub mod strings;

use super::db::Db;
use super::error::Error;
use super::reply::Reply;

/// What executing a command means.
#[derive(Clone, Copy)]
pub(crate) enum Run {
    /// A command on the keyspace.
    Db(fn(&mut Db, &[&[u8]]) -> Result<Reply, Error>),
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
pub(crate) struct Spec {
    /// Lowercase name, as arity errors print it.
    pub name: &'static str,
    /// Redis' arity: `n` exactly n arguments (name included), `-n` at least n.
    pub arity: i32,
    /// Rejected when the memory guard has tripped (Redis' `denyoom`).
    pub deny_oom: bool,
    pub run: Run,
}

impl Spec {
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
}

const fn db(
    name: &'static str,
    arity: i32,
    deny_oom: bool,
    f: fn(&mut Db, &[&[u8]]) -> Result<Reply, Error>,
) -> Spec {
    Spec {
        name,
        arity,
        deny_oom,
        run: Run::Db(f),
    }
}

const fn tx(name: &'static str, arity: i32, run: Run) -> Spec {
    Spec {
        name,
        arity,
        deny_oom: false,
        run,
    }
}

/// Every command the engine knows, in the order HELP lists them.
pub(crate) static TABLE: &[Spec] = &[
    db("get", 2, false, strings::get),
    db("set", -3, true, strings::set),
    db("getset", 3, true, strings::getset),
    db("getdel", 2, false, strings::getdel),
    db("incr", 2, true, strings::incr),
    db("decr", 2, true, strings::decr),
    db("incrby", 3, true, strings::incrby),
    db("decrby", 3, true, strings::decrby),
    db("incrbyfloat", 3, true, strings::incrbyfloat),
    db("hset", -4, true, hashes::hset),
    db("hget", 3, false, hashes::hget),
    db("hgetall", 2, false, hashes::hgetall),
    db("hdel", -3, false, hashes::hdel),
    db("hlen", 2, false, hashes::hlen),
    db("hexists", 3, false, hashes::hexists),
    db("hincrby", 4, true, hashes::hincrby),
    db("hincrbyfloat", 4, true, hashes::hincrbyfloat),
    db("zadd", -4, true, sorted_sets::zadd),
    db("zincrby", 4, true, sorted_sets::zincrby),
    db("zscore", 3, false, sorted_sets::zscore),
    db("zrange", -4, false, sorted_sets::zrange),
    db("zrevrange", -4, false, sorted_sets::zrevrange),
    db("zrank", 3, false, sorted_sets::zrank),
    db("zrevrank", 3, false, sorted_sets::zrevrank),
    db("zcard", 2, false, sorted_sets::zcard),
    db("zrem", -3, false, sorted_sets::zrem),
    db("del", -2, false, keys::del),
    db("exists", -2, false, keys::exists),
    db("type", 2, false, keys::type_),
    db("keys", 2, false, keys::keys),
    db("dbsize", 1, false, keys::dbsize),
    db("flushdb", -1, false, keys::flushdb),
    db("flushall", -1, false, keys::flushall),
    db("expire", -3, false, keys::expire),
    db("pexpire", -3, false, keys::pexpire),
    db("expireat", -3, false, keys::expireat),
    db("pexpireat", -3, false, keys::pexpireat),
    db("ttl", 2, false, keys::ttl),
    db("pttl", 2, false, keys::pttl),
    db("expiretime", 2, false, keys::expiretime),
    db("pexpiretime", 2, false, keys::pexpiretime),
    db("persist", 2, false, keys::persist),
    tx("multi", 1, Run::Multi),
    tx("exec", 1, Run::Exec),
    tx("discard", 1, Run::Discard),
    tx("watch", -2, Run::Watch),
    tx("unwatch", 1, Run::Unwatch),
    db("ping", -1, false, connection::ping),
    db("echo", 2, false, connection::echo),
];

/// Finds a command by name, ignoring ASCII case.
pub(crate) fn lookup(name: &[u8]) -> Option<&'static Spec> {
    if name.len() > 16 {
        return None;
    }
    // Names in the table are lowercase letters only (a test checks it), so a byte matches a
    // name's letter exactly when it equals it with the ASCII case bit (0x20) set.
    TABLE.iter().find(|spec| {
        let candidate = spec.name.as_bytes();
        candidate.len() == name.len() && candidate.iter().zip(name).all(|(&c, &n)| n | 0x20 == c)
    })
}

/// The bytes C code sees of an argument: up to its first NUL (Redis compares options with
/// `strcasecmp`, so `"NX\0junk"` is the option NX).
pub(crate) fn c_str(arg: &[u8]) -> &[u8] {
    match arg.iter().position(|&b| b == 0) {
        Some(n) => &arg[..n],
        None => arg,
    }
}

/// True when `arg` is the option `word`, compared as Redis does (`strcasecmp`).
pub(crate) fn is(arg: &[u8], word: &str) -> bool {
    c_str(arg).eq_ignore_ascii_case(word.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::{lookup, TABLE};

    #[test]
    fn names_are_lowercase_letters_and_lookup_ignores_case() {
        for spec in TABLE {
            assert!(
                spec.name.bytes().all(|b| b.is_ascii_lowercase()),
                "{}",
                spec.name
            );
            let upper = spec.name.to_ascii_uppercase();
            assert_eq!(lookup(upper.as_bytes()).map(|s| s.name), Some(spec.name));
        }
        for name in ["", "incr\0", "INCR ", "inc", "incrr", "GET\x00", "get\x00"] {
            assert_eq!(lookup(name.as_bytes()).map(|s| s.name), None, "{name:?}");
        }
        assert_eq!(lookup(b"iNcR").map(|s| s.name), Some("incr"));
        // Bytes that differ from a letter by the case bit only are letters' other case; others,
        // like '@' (0x40) against '`' (0x60), never appear in names.
        assert_eq!(lookup(b"g\x45t").map(|s| s.name), Some("get"));
    }
}
