//! The few connection-level commands real tools send that the engine does not know: QUIT and
//! `CONFIG GET`, answered as Redis 7.0 answers them.
//!
//! - `redis-benchmark` starts with `CONFIG GET save` and `CONFIG GET appendonly` and needs a
//!   two-element array for each (else it warns that it could not fetch the server's config).
//! - `redis-cli` in a terminal asks `COMMAND DOCS` for its hints; on an error reply it falls back to
//!   its own built-in help (Redis 7.0's), so COMMAND is left to the engine's unknown-command error.
//! - QUIT is special in Redis 7.0's `processCommand`: whatever its arguments, even inside MULTI, it
//!   answers `+OK` and the connection closes once the reply is written.
//!
//! Outside MULTI only: inside a transaction CONFIG goes to the engine like any other command (an
//! unknown command there, where Redis would queue it).

use crate::engine::glob::glob_match;
use crate::engine::reply::Reply;

/// What the server does for one command.
#[derive(Debug, PartialEq, Eq)]
pub enum Admin {
    /// Not a connection-level command: the engine executes it.
    Engine,
    /// Answer this and go on.
    Reply(Reply),
    /// Answer `+OK` and close the connection after writing it (QUIT).
    Quit,
}

/// The configuration parameters `CONFIG GET` reports, with the values this server really has:
/// no persistence at all.
const CONFIG: &[(&str, &str)] = &[("save", ""), ("appendonly", "no")];

/// Decides whether `argv` is a connection-level command, and answers it if so. `in_multi` tells
/// whether the client is inside MULTI (asked only for a command that cares).
pub fn handle(argv: &[&[u8]], in_multi: impl FnOnce() -> bool) -> Admin {
    let Some(name) = argv.first() else {
        return Admin::Engine;
    };
    if name.eq_ignore_ascii_case(b"quit") {
        return Admin::Quit;
    }
    if name.eq_ignore_ascii_case(b"config") && !in_multi() {
        return Admin::Reply(config(argv));
    }
    Admin::Engine
}

/// `CONFIG GET parameter [parameter ...]`; every other subcommand is unknown here.
fn config(argv: &[&[u8]]) -> Reply {
    let Some(sub) = argv.get(1) else {
        return Reply::error("ERR wrong number of arguments for 'config' command");
    };
    if !sub.eq_ignore_ascii_case(b"get") {
        let mut text = b"ERR unknown subcommand '".to_vec();
        // addReplySubcommandSyntaxError prints at most 128 bytes of it.
        text.extend(sub.iter().take(128));
        text.extend_from_slice(b"'. Try CONFIG HELP.");
        return Reply::Error(text);
    }
    if argv.len() < 3 {
        return Reply::error("ERR wrong number of arguments for 'config|get' command");
    }
    // Redis collects matches in a dict (case-insensitive), keyed by the name as typed for a plain
    // name and by the parameter's own name for a pattern; the first key wins. The reply follows
    // the dict's order, which for these parameters is the table's.
    let mut keys: Vec<Option<Vec<u8>>> = vec![None; CONFIG.len()];
    for pattern in &argv[2..] {
        let is_glob = pattern.iter().any(|b| matches!(b, b'[' | b'*' | b'?'));
        for (slot, &(param, _)) in keys.iter_mut().zip(CONFIG) {
            let key = if is_glob {
                glob_match(pattern, param.as_bytes()).then_some(param.as_bytes())
            } else {
                pattern
                    .eq_ignore_ascii_case(param.as_bytes())
                    .then_some(&pattern[..])
            };
            if slot.is_none() {
                *slot = key.map(<[u8]>::to_vec);
            }
        }
    }
    let mut items = Vec::new();
    for (key, &(_, value)) in keys.into_iter().zip(CONFIG) {
        if let Some(key) = key {
            items.push(Reply::Bulk(key));
            items.push(Reply::bulk(value));
        }
    }
    Reply::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Admin {
        let argv: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        handle(&argv, || false)
    }

    fn bulks(items: &[&str]) -> Admin {
        Admin::Reply(Reply::Array(
            items.iter().map(|s| Reply::bulk(*s)).collect(),
        ))
    }

    #[test]
    fn config_get_answers_what_redis_benchmark_asks() {
        assert_eq!(run("CONFIG GET save"), bulks(&["save", ""]));
        assert_eq!(run("config get appendonly"), bulks(&["appendonly", "no"]));
        assert_eq!(run("CONFIG GET SAVE"), bulks(&["SAVE", ""]));
        assert_eq!(run("CONFIG GET nosuch"), bulks(&[]));
        assert_eq!(run("CONFIG GET app*"), bulks(&["appendonly", "no"]));
        assert_eq!(
            run("CONFIG GET appendonly save appendonly"),
            bulks(&["save", "", "appendonly", "no"])
        );
        assert_eq!(run("CONFIG GET s*ve SAVE"), bulks(&["save", ""]));
    }

    #[test]
    fn config_errors_are_worded_like_redis() {
        assert_eq!(
            run("CONFIG"),
            Admin::Reply(Reply::error(
                "ERR wrong number of arguments for 'config' command"
            ))
        );
        assert_eq!(
            run("CONFIG GET"),
            Admin::Reply(Reply::error(
                "ERR wrong number of arguments for 'config|get' command"
            ))
        );
        assert_eq!(
            run("CONFIG foo"),
            Admin::Reply(Reply::error(
                "ERR unknown subcommand 'foo'. Try CONFIG HELP."
            ))
        );
    }

    #[test]
    fn quit_ignores_its_arguments_even_in_multi() {
        assert_eq!(run("QUIT"), Admin::Quit);
        assert_eq!(handle(&[b"quit", b"now"], || true), Admin::Quit);
        assert_eq!(
            handle(&[b"CONFIG", b"GET", b"save"], || true),
            Admin::Engine
        );
        assert_eq!(run("GET k"), Admin::Engine);
    }
}
