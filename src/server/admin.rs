//! The few connection-level commands real tools send that the engine does not know: QUIT,
//! `CONFIG GET`, HELLO and `CLIENT SETNAME|GETNAME|ID`, answered as Redis 7.0 answers them.
//!
//! - `redis-benchmark` starts with `CONFIG GET save` and `CONFIG GET appendonly` and needs a
//!   two-element array for each (else it warns that it could not fetch the server's config).
//! - `redis-cli` in a terminal asks `COMMAND DOCS` for its hints; on an error reply it falls back to
//!   its own built-in help (Redis 7.0's), so COMMAND is left to the engine's unknown-command error.
//! - Client libraries open with `HELLO` (go-redis, Lettuce: `HELLO 3`, falling back to RESP2 on an
//!   error) and name their connections with `CLIENT SETNAME`. This server speaks RESP2 only, so
//!   HELLO 2 (or HELLO alone) gets Redis' RESP2 answer and HELLO 3 Redis' own error for a version
//!   it does not serve, `NOPROTO`. The default user has no password, as in a fresh Redis: `AUTH
//!   default <anything>` passes (in HELLO too), any other user is refused with Redis' WRONGPASS
//!   text, and `AUTH <password>` gets Redis' "no password configured" error, which ioredis and
//!   others take as a warning only.
//! - ioredis checks readiness with `INFO` on connecting and gives up on the connection if that
//!   fails. INFO here reports the sections whose values this server really has (server,
//!   persistence, replication, keyspace), laid out as Redis 7.0 lays them out.
//! - QUIT is special in Redis 7.0's `processCommand`: whatever its arguments, even inside MULTI, it
//!   answers `+OK` and the connection closes once the reply is written.
//!
//! Inside MULTI these commands are queued as Redis queues them: refused at once for a wrong number
//! of arguments or an unknown subcommand (and EXEC then aborts), otherwise answered `+QUEUED` and run
//! at EXEC, their replies in place among the engine's (the server keeps them in
//! [`Session::queued`]). They run after the engine's queued commands, so an INFO queued between two
//! writes reports the keyspace as EXEC leaves it.

use crate::engine::command::{c_str, is};
use crate::engine::glob::glob_match;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;
use crate::engine::{ClientId, Db};

/// What the server does for one command.
#[derive(Debug, PartialEq)]
pub enum Admin {
    /// Not a connection-level command: the engine executes it.
    Engine,
    /// Answer this and go on.
    Reply(Reply),
    /// Answer `+OK` and close the connection after writing it (QUIT).
    Quit,
    /// Inside MULTI: answer `+QUEUED` and keep the command in [`Session::queued`]; it runs at EXEC.
    Queue,
    /// Inside MULTI, refused at queue time: answer this, and the transaction's EXEC aborts.
    Refuse(Reply),
}

/// The configuration parameters `CONFIG GET` reports, with the values this server really has:
/// no persistence at all.
const CONFIG: &[(&str, &str)] = &[("save", ""), ("appendonly", "no")];

/// What connection-level commands read and change of their connection.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// The client id (`CLIENT ID`, HELLO's `id`).
    pub id: ClientId,
    /// The name given by `CLIENT SETNAME` or `HELLO … SETNAME`; never empty.
    pub name: Option<Vec<u8>>,
    /// The commands of this module queued in the open transaction: how many commands the engine
    /// had queued before each (its place in EXEC's reply), and its arguments.
    pub queued: Vec<(usize, Vec<Vec<u8>>)>,
}

/// Runs one of this module's commands.
type Run = fn(&[&[u8]], &mut Session, &Db) -> Reply;

/// The runner of a connection-level command other than QUIT, by name.
fn runner(name: &[u8]) -> Option<Run> {
    let run: Run = if name.eq_ignore_ascii_case(b"info") {
        |argv, _, db| info(argv, db)
    } else if name.eq_ignore_ascii_case(b"config") {
        |argv, _, _| config(argv)
    } else if name.eq_ignore_ascii_case(b"hello") {
        |argv, session, _| hello(argv, session)
    } else if name.eq_ignore_ascii_case(b"client") {
        |argv, session, _| client(argv, session)
    } else if name.eq_ignore_ascii_case(b"auth") {
        |argv, _, _| auth(argv)
    } else {
        return None;
    };
    Some(run)
}

/// The error Redis gives when queueing the command inside MULTI (`processCommand`'s checks: the
/// number of arguments, a known subcommand and its number of arguments), if any.
fn queue_error(argv: &[&[u8]]) -> Option<Reply> {
    let name = argv.first()?;
    if name.eq_ignore_ascii_case(b"client") {
        client_check(argv).err()
    } else if name.eq_ignore_ascii_case(b"config") {
        config_check(argv).err()
    } else if name.eq_ignore_ascii_case(b"auth") && argv.len() < 2 {
        Some(wrong_arity("auth"))
    } else {
        None
    }
}

/// EXEC's reply once the engine ran its queue: `items`, the engine's replies, with the replies of
/// the commands in `session.queued` run now and put in their places.
pub fn exec_queued(items: Vec<Reply>, session: &mut Session, db: &Db) -> Reply {
    let queued = std::mem::take(&mut session.queued);
    let mut replies = Vec::with_capacity(items.len() + queued.len());
    let mut own = queued.into_iter().peekable();
    let run = |argv: &[Vec<u8>], session: &mut Session| {
        let argv: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        let name = argv.first().copied().unwrap_or_default();
        runner(name).map_or(Reply::Nil, |run| run(&argv, session, db))
    };
    for (i, item) in items.into_iter().enumerate() {
        while let Some((_, argv)) = own.next_if(|(at, _)| *at <= i) {
            replies.push(run(&argv, session));
        }
        replies.push(item);
    }
    for (_, argv) in own {
        replies.push(run(&argv, session));
    }
    Reply::Array(replies)
}

/// Decides whether `argv` is a connection-level command, and answers it if so. `db` is the
/// keyspace (for INFO); `in_multi` tells whether the client is inside MULTI (asked only for a
/// command that cares).
pub fn handle(
    argv: &[&[u8]],
    session: &mut Session,
    db: &Db,
    in_multi: impl FnOnce() -> bool,
) -> Admin {
    let Some(name) = argv.first() else {
        return Admin::Engine;
    };
    if name.eq_ignore_ascii_case(b"quit") {
        return Admin::Quit;
    }
    let Some(run) = runner(name) else {
        return Admin::Engine;
    };
    if in_multi() {
        return queue_error(argv).map_or(Admin::Queue, Admin::Refuse);
    }
    Admin::Reply(run(argv, session, db))
}

/// `INFO [section ...]`: the server, persistence, replication and keyspace sections, with the
/// fields whose values this server really has. As in Redis: no argument, `default`, `all` or
/// `everything` mean every section; names are case-insensitive; an unknown one adds nothing;
/// sections are separated by an empty line; the keyspace lists db0 only when it has keys.
fn info(argv: &[&[u8]], db: &Db) -> Reply {
    const SECTIONS: [&str; 4] = ["server", "persistence", "replication", "keyspace"];
    let every = argv.len() == 1
        || argv[1..]
            .iter()
            .any(|a| ["default", "all", "everything"].iter().any(|w| is(a, w)));
    let mut out = String::new();
    for section in SECTIONS {
        if !every && !argv[1..].iter().any(|a| is(a, section)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        match section {
            "server" => out.push_str(&format!(
                "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nprocess_id:{}\r\n",
                std::process::id()
            )),
            "persistence" => out.push_str(
                "# Persistence\r\nloading:0\r\nasync_loading:0\r\nrdb_bgsave_in_progress:0\r\n\
                 aof_enabled:0\r\n",
            ),
            "replication" => out.push_str("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"),
            _ => {
                out.push_str("# Keyspace\r\n");
                if !db.is_empty() {
                    let expires = db.raw_keys().filter(|k| db.expire_at(k).is_some()).count();
                    out.push_str(&format!(
                        "db0:keys={},expires={expires},avg_ttl=0\r\n",
                        db.len()
                    ));
                }
            }
        }
    }
    Reply::Bulk(out.into_bytes())
}

/// An error reply as Redis' `addReplyErrorFormat` makes it: CR and LF turn into spaces.
fn error(text: Vec<u8>) -> Reply {
    Reply::Error(
        text.into_iter()
            .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b })
            .collect(),
    )
}

/// `ERR unknown subcommand '<sub>'. Try <NAME> HELP.`, the subcommand cut as `%.128s` cuts it.
fn unknown_subcommand(sub: &[u8], name: &str) -> Reply {
    let mut text = b"ERR unknown subcommand '".to_vec();
    text.extend(c_str(sub).iter().take(128));
    text.extend_from_slice(format!("'. Try {name} HELP.").as_bytes());
    error(text)
}

fn wrong_arity(name: &str) -> Reply {
    Reply::error(format!(
        "ERR wrong number of arguments for '{name}' command"
    ))
}

/// `HELLO [protover [AUTH username password] [SETNAME clientname]]`, RESP2 only: see the module
/// documentation. Options apply in order as they are read, as in Redis (a SETNAME before a bad
/// option stays set).
fn hello(argv: &[&[u8]], session: &mut Session) -> Reply {
    let mut options = argv.iter().skip(1);
    if let Some(version) = options.next() {
        match parse_i64(version) {
            None => return Reply::error("ERR Protocol version is not an integer or out of range"),
            Some(2) => {}
            Some(_) => return Reply::error("NOPROTO unsupported protocol version"),
        }
    }
    while let Some(option) = options.next() {
        let left = options.len();
        if is(option, "AUTH") && left >= 2 {
            let user = options.next().copied().unwrap_or_default();
            options.next();
            if user != b"default" {
                return Reply::error(WRONGPASS);
            }
        } else if is(option, "SETNAME") && left >= 1 {
            let name = options.next().copied().unwrap_or_default();
            if let Err(reply) = set_name(session, name) {
                return reply;
            }
        } else {
            let mut text = b"ERR Syntax error in HELLO option '".to_vec();
            text.extend_from_slice(c_str(option));
            text.push(b'\'');
            return error(text);
        }
    }
    let id = i64::try_from(session.id).unwrap_or(i64::MAX);
    Reply::Array(vec![
        Reply::bulk("server"),
        Reply::bulk("redis"),
        Reply::bulk("version"),
        Reply::bulk("7.0.15"),
        Reply::bulk("proto"),
        Reply::Integer(2),
        Reply::bulk("id"),
        Reply::Integer(id),
        Reply::bulk("mode"),
        Reply::bulk("standalone"),
        Reply::bulk("role"),
        Reply::bulk("master"),
        Reply::bulk("modules"),
        Reply::Array(Vec::new()),
    ])
}

/// `AUTH [username] password` against a fresh Redis' users: `default`, without a password.
fn auth(argv: &[&[u8]]) -> Reply {
    match argv {
        [_] => wrong_arity("auth"),
        [_, _] => Reply::error(
            "ERR AUTH <password> called without any password configured for the default user. \
             Are you sure your configuration is correct?",
        ),
        [_, user, _] if *user == b"default" => Reply::ok(),
        [_, _, _] => Reply::error(WRONGPASS),
        _ => Reply::error("ERR syntax error"),
    }
}

/// Refused credentials, in Redis' words.
const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// Redis' `clientSetName`: an empty name removes the name; otherwise only the bytes `!`…`~`.
fn set_name(session: &mut Session, name: &[u8]) -> Result<(), Reply> {
    if name.iter().any(|b| !(b'!'..=b'~').contains(b)) {
        return Err(Reply::error(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    session.name = (!name.is_empty()).then(|| name.to_vec());
    Ok(())
}

/// CLIENT's checks before it runs: a known subcommand with its number of arguments. Returns the
/// subcommand's full name.
fn client_check(argv: &[&[u8]]) -> Result<&'static str, Reply> {
    let Some(sub) = argv.get(1) else {
        return Err(wrong_arity("client"));
    };
    let (full, arity) = if sub.eq_ignore_ascii_case(b"setname") {
        ("client|setname", 3)
    } else if sub.eq_ignore_ascii_case(b"getname") {
        ("client|getname", 2)
    } else if sub.eq_ignore_ascii_case(b"id") {
        ("client|id", 2)
    } else {
        return Err(unknown_subcommand(sub, "CLIENT"));
    };
    if argv.len() != arity {
        return Err(wrong_arity(full));
    }
    Ok(full)
}

/// `CLIENT SETNAME name`, `CLIENT GETNAME`, `CLIENT ID`; any other subcommand is unknown here.
fn client(argv: &[&[u8]], session: &mut Session) -> Reply {
    let full = match client_check(argv) {
        Ok(full) => full,
        Err(reply) => return reply,
    };
    match (full, argv.get(2)) {
        ("client|setname", Some(name)) => match set_name(session, name) {
            Ok(()) => Reply::ok(),
            Err(reply) => reply,
        },
        ("client|getname", _) => session.name.clone().map_or(Reply::Nil, Reply::Bulk),
        _ => Reply::Integer(i64::try_from(session.id).unwrap_or(i64::MAX)),
    }
}

/// CONFIG's checks before it runs: GET, the one subcommand here, with a parameter at least.
fn config_check(argv: &[&[u8]]) -> Result<(), Reply> {
    let Some(sub) = argv.get(1) else {
        return Err(wrong_arity("config"));
    };
    if !sub.eq_ignore_ascii_case(b"get") {
        return Err(unknown_subcommand(sub, "CONFIG"));
    }
    if argv.len() < 3 {
        return Err(wrong_arity("config|get"));
    }
    Ok(())
}

/// `CONFIG GET parameter [parameter ...]`; every other subcommand is unknown here.
fn config(argv: &[&[u8]]) -> Reply {
    if let Err(reply) = config_check(argv) {
        return reply;
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
        handle(&argv, &mut Session::default(), &Db::new(0), || false)
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
    fn quit_ignores_its_arguments_and_the_others_queue_in_multi() {
        assert_eq!(run("QUIT"), Admin::Quit);
        let mut session = Session::default();
        assert_eq!(
            handle(&[b"quit", b"now"], &mut session, &Db::new(0), || true),
            Admin::Quit
        );
        for argv in [
            &[&b"CONFIG"[..], b"GET", b"save"][..],
            &[b"HELLO"],
            &[b"client", b"id"],
        ] {
            assert_eq!(
                handle(argv, &mut session, &Db::new(0), || true),
                Admin::Queue
            );
        }
        assert_eq!(
            handle(&[b"CLIENT", b"SETNAME"], &mut session, &Db::new(0), || true),
            Admin::Refuse(Reply::error(
                "ERR wrong number of arguments for 'client|setname' command"
            ))
        );
        assert_eq!(
            handle(&[b"GET", b"k"], &mut session, &Db::new(0), || true),
            Admin::Engine
        );
        assert_eq!(run("GET k"), Admin::Engine);
    }

    #[test]
    fn hello_and_client_names_follow_the_connection() {
        let mut session = Session {
            id: 7,
            ..Session::default()
        };
        let mut run = |line: &str| -> Reply {
            let argv: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
            match handle(&argv, &mut session, &Db::new(0), || false) {
                Admin::Reply(reply) => reply,
                other => panic!("{line}: {other:?}"),
            }
        };
        assert_eq!(run("CLIENT GETNAME"), Reply::Nil);
        assert_eq!(run("CLIENT ID"), Reply::Integer(7));
        let Reply::Array(fields) = run("HELLO 2 SETNAME app") else {
            panic!("HELLO answers an array");
        };
        assert_eq!(fields.get(7), Some(&Reply::Integer(7)));
        assert_eq!(run("client getname"), Reply::bulk("app"));
        assert_eq!(
            run("HELLO 3"),
            Reply::error("NOPROTO unsupported protocol version")
        );
        assert_eq!(
            run("CLIENT SETNAME a\tb"),
            Reply::error("ERR Client names cannot contain spaces, newlines or special characters.")
        );
        assert_eq!(run("CLIENT SETNAME "), Reply::ok());
        assert_eq!(run("CLIENT GETNAME"), Reply::Nil);
        assert_eq!(
            run("CLIENT LIST"),
            Reply::error("ERR unknown subcommand 'LIST'. Try CLIENT HELP.")
        );
    }
}
