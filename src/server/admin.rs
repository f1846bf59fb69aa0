//! The few connection-level commands real tools send that the engine does not know: QUIT,
//! HELLO, `CLIENT SETNAME|GETNAME|ID`, AUTH, INFO and DEBUG, answered as Redis 7.0 answers them,
//! and the server's own configuration parameters.
//!
//! - `redis-benchmark` starts with `CONFIG GET save` and `CONFIG GET appendonly` and needs a
//!   two-element array for each (else it warns that it could not fetch the server's config). The
//!   engine answers CONFIG (no persistence: `save ""`, `appendonly no`); this host adds the
//!   address it listens on, `port` and `bind`, read-only.
//! - Redis' own test suite, run against this server, switches the active expiry off and on
//!   (`DEBUG SET-ACTIVE-EXPIRE 0|1`) and waits with `DEBUG SLEEP`: the server acts as a Redis
//!   started with `enable-debug-command yes` for those two.
//! - `redis-cli` in a terminal asks `COMMAND DOCS` for its hints: the engine answers it (and
//!   COMMAND, COMMAND INFO / COUNT / LIST) for its commands and this host's, which it lists through
//!   [`Host::commands`].
//! - Client libraries open with `HELLO` (redis-py 8, go-redis, Lettuce: `HELLO 3`) and name their
//!   connections with `CLIENT SETNAME`. `HELLO 2` / `HELLO 3` switch the connection's protocol
//!   (its [`Session::protocol`]; HELLO's own reply, a map, is already in the new one), `HELLO`
//!   alone reports the current one, any other version gets Redis' `NOPROTO`. The default user has
//!   no password, as in a fresh Redis: `AUTH default <anything>` passes (in HELLO too), any other
//!   user is refused with Redis' WRONGPASS text, and `AUTH <password>` gets Redis' "no password
//!   configured" error, which ioredis and others take as a warning only.
//! - ioredis checks readiness with `INFO` on connecting and gives up on the connection if that
//!   fails. INFO here reports the sections whose values this server really has (server,
//!   clients, persistence, replication, keyspace), laid out as Redis 7.0 lays them out (a verbatim string
//!   in RESP3). `CONFIG GET` answers a map.
//! - QUIT is special in Redis 7.0's `processCommand`: whatever its arguments, even inside MULTI, it
//!   answers `+OK` and the connection closes once the reply is written.
//!
//! They are the server's [`Host`] commands: the engine looks them up after its own, checks their
//! arity and subcommand, queues them inside MULTI and runs them at EXEC in order, exactly as its own
//! (an INFO queued between two writes sees the first one only; a HELLO queued there switches the
//! protocol of the replies after it, see [`Reply::InProtocol`]). QUIT never reaches the engine.

use crate::engine::command::{c_str, is};
use crate::engine::number::parse_i64;
use crate::engine::reply::{Protocol, Reply};
use crate::engine::{ClientId, Db, Engine, Error, Flags, Host, HostParam, Run, Spec};

/// What the server's own commands read and change of the server: its address (CONFIG GET
/// `port`, `bind`) and whether its cron runs the active expiry (DEBUG SET-ACTIVE-EXPIRE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerState {
    /// The TCP port it listens on.
    pub port: u16,
    /// The address it is bound to.
    pub bind: String,
    /// The cron deletes expired keys nobody reads (Redis' `active_expire_enabled`).
    pub active_expire: bool,
    /// Open client connections (INFO's `connected_clients`).
    pub connected_clients: usize,
}

impl Default for ServerState {
    fn default() -> Self {
        ServerState {
            port: 6379,
            bind: "127.0.0.1".to_owned(),
            active_expire: true,
            connected_clients: 0,
        }
    }
}

/// What connection-level commands read and change of their connection.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// The client id (`CLIENT ID`, HELLO's `id`).
    pub id: ClientId,
    /// The name given by `CLIENT SETNAME` or `HELLO … SETNAME`; never empty.
    pub name: Option<Vec<u8>>,
    /// The protocol its replies are written in: RESP2 until `HELLO 3`.
    pub protocol: Protocol,
}

/// True for QUIT, which Redis 7.0's `processCommand` answers before anything else: whatever its
/// arguments, even inside MULTI, `+OK`, and the connection closes once the reply is written.
pub fn is_quit(argv: &[&[u8]]) -> bool {
    argv.first()
        .is_some_and(|name| name.eq_ignore_ascii_case(b"quit"))
}

/// Flags of these commands in Redis 7.0: none may run from a script but INFO.
const NO_SCRIPT: Flags = Flags::NO_SCRIPT;

/// The server's commands, with Redis 7.0's arities.
static COMMANDS: &[Spec] = &[
    Spec::new("info", -1, Flags::NONE, Run::Host),
    Spec::new("debug", -2, NO_SCRIPT, Run::Host),
    Spec::new("hello", -1, NO_SCRIPT, Run::Host),
    Spec::container(
        "client",
        &[
            Spec::new("client|setname", 3, NO_SCRIPT, Run::Host),
            Spec::new("client|getname", 2, NO_SCRIPT, Run::Host),
            Spec::new("client|id", 2, NO_SCRIPT, Run::Host),
        ],
    ),
    Spec::new("auth", -2, NO_SCRIPT, Run::Host),
];

/// The engine's host in `redis-sim serve`: one connection's session, the server's state and the
/// server's commands.
pub struct ServerHost<'a> {
    /// The connection whose command runs.
    pub session: &'a mut Session,
    /// The server.
    pub server: &'a mut ServerState,
}

impl Host for ServerHost<'_> {
    fn lookup(&self, name: &[u8]) -> Option<&'static Spec> {
        crate::engine::command::find(COMMANDS, name)
    }

    fn commands(&self) -> &'static [Spec] {
        COMMANDS
    }

    fn parameters(&self) -> Vec<HostParam> {
        vec![
            HostParam {
                name: "port",
                value: self.server.port.to_string().into_bytes(),
            },
            HostParam {
                name: "bind",
                value: self.server.bind.clone().into_bytes(),
            },
        ]
    }

    fn protocol(&self, _: ClientId) -> Protocol {
        self.session.protocol
    }

    fn run(
        &mut self,
        engine: &mut Engine,
        _: ClientId,
        spec: &'static Spec,
        argv: &[&[u8]],
    ) -> Reply {
        let session = &mut *self.session;
        match spec.name {
            "info" => info(
                argv,
                engine.db(),
                self.server.connected_clients,
                engine.blocked_clients(),
            ),
            "debug" => debug(argv, self.server),
            "hello" => hello(argv, session),
            "client|setname" => match set_name(session, argv.get(2).copied().unwrap_or_default()) {
                Ok(()) => Reply::ok(),
                Err(reply) => reply,
            },
            "client|getname" => session.name.clone().map_or(Reply::Nil, Reply::Bulk),
            "client|id" => Reply::Integer(i64::try_from(session.id).unwrap_or(i64::MAX)),
            _ => auth(argv),
        }
    }
}

/// `INFO [section ...]`: the server, clients, persistence, replication and keyspace sections, with
/// the fields whose values this server really has (of the clients: `connected_clients`, and
/// `blocked_clients`, the connections waiting in BZPOPMIN and its kin). As in Redis: no argument, `default`, `all` or
/// `everything` mean every section; names are case-insensitive; an unknown one adds nothing;
/// sections are separated by an empty line; the keyspace lists db0 only when it has keys.
fn info(argv: &[&[u8]], db: &Db, connected_clients: usize, blocked_clients: usize) -> Reply {
    const SECTIONS: [&str; 5] = [
        "server",
        "clients",
        "persistence",
        "replication",
        "keyspace",
    ];
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
            "clients" => {
                out.push_str(&format!(
                    "# Clients\r\nconnected_clients:{connected_clients}\r\nblocked_clients:{blocked_clients}\r\n"
                ));
            }
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
    Reply::verbatim_text(out)
}

/// `HELLO [protover [AUTH username password] [SETNAME clientname]]`: see the module
/// documentation. Options apply in order as they are read, as in Redis (a SETNAME before a bad
/// option stays set); the protocol switches only once they all passed.
fn hello(argv: &[&[u8]], session: &mut Session) -> Reply {
    let mut options = argv.iter().skip(1);
    let mut protocol = None;
    if let Some(version) = options.next() {
        protocol = match parse_i64(version) {
            None => return Reply::error("ERR Protocol version is not an integer or out of range"),
            Some(2) => Some(Protocol::Resp2),
            Some(3) => Some(Protocol::Resp3),
            Some(_) => return Reply::error("NOPROTO unsupported protocol version"),
        };
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
            return Error::Other(text).into();
        }
    }
    if let Some(protocol) = protocol {
        session.protocol = protocol;
    }
    let id = i64::try_from(session.id).unwrap_or(i64::MAX);
    let proto = match session.protocol {
        Protocol::Resp2 => 2,
        Protocol::Resp3 => 3,
    };
    let field = |name: &'static str, value| (Reply::bulk(name), value);
    Reply::Map(vec![
        field("server", Reply::bulk("redis")),
        field("version", Reply::bulk("7.0.15")),
        field("proto", Reply::Integer(proto)),
        field("id", Reply::Integer(id)),
        field("mode", Reply::bulk("standalone")),
        field("role", Reply::bulk("master")),
        field("modules", Reply::Array(Vec::new())),
    ])
}

/// `AUTH [username] password` against a fresh Redis' users: `default`, without a password.
fn auth(argv: &[&[u8]]) -> Reply {
    match argv {
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

/// `DEBUG SET-ACTIVE-EXPIRE <0|1>` (C's `atoi`: anything but a leading non-zero number turns
/// it off) and `DEBUG SLEEP <seconds>` (blocks the whole server, as in Redis; C's `strtod`, so a
/// bad number sleeps 0). Any other subcommand is Redis' subcommand error.
fn debug(argv: &[&[u8]], server: &mut ServerState) -> Reply {
    match argv {
        [_, sub] if is(sub, "help") => crate::engine::command::help_reply(
            argv[0],
            &[
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
            ],
        ),
        [_, sub, value] if is(sub, "set-active-expire") => {
            server.active_expire = atoi(value) != 0;
            Reply::ok()
        }
        [_, sub, value] if is(sub, "sleep") => {
            let seconds = strtod(value);
            if seconds > 0.0 {
                // Redis truncates to whole microseconds.
                let micros = (seconds * 1e6).min(1e15) as u64;
                std::thread::sleep(std::time::Duration::from_micros(micros));
            }
            Reply::ok()
        }
        _ => {
            let mut text = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
            let sub = c_str(argv[1]);
            text.extend_from_slice(&sub[..sub.len().min(128)]);
            text.extend_from_slice(b"'. Try DEBUG HELP.");
            Error::Other(text).into()
        }
    }
}

/// C's `atoi`: optional blanks, an optional sign, then digits as far as they go; 0 otherwise.
fn atoi(text: &[u8]) -> i64 {
    let text = c_str(text);
    let start = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let rest = &text[start..];
    let (negative, rest) = match rest.first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    let mut n: i64 = 0;
    for &b in rest.iter().take_while(|b| b.is_ascii_digit()) {
        n = n.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
    }
    if negative {
        n.wrapping_neg()
    } else {
        n
    }
}

/// C's `strtod` as far as DEBUG SLEEP needs it: the longest prefix that reads as a decimal
/// number; 0 when none does.
fn strtod(text: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(c_str(text));
    let text = text.trim_start();
    (1..=text.len())
        .rev()
        .filter(|&n| text.is_char_boundary(n))
        .find_map(|n| text[..n].parse::<f64>().ok().filter(|v| v.is_finite()))
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `line` (words split at spaces) on `engine` as connection `session`.
    fn on(engine: &mut Engine, session: &mut Session, line: &str) -> Reply {
        let argv: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        let id = session.id;
        let mut server = ServerState::default();
        engine.execute_slices_in(
            &mut ServerHost {
                session,
                server: &mut server,
            },
            id,
            &argv,
        )
    }

    fn run(line: &str) -> Reply {
        on(&mut Engine::new(0), &mut Session::default(), line)
    }

    /// A map reply of these key-value pairs.
    fn map(items: &[(&str, &str)]) -> Reply {
        Reply::Map(
            items
                .iter()
                .map(|(k, v)| (Reply::bulk(*k), Reply::bulk(*v)))
                .collect(),
        )
    }

    #[test]
    fn config_get_answers_what_redis_benchmark_asks() {
        assert_eq!(run("CONFIG GET save"), map(&[("save", "")]));
        assert_eq!(run("config get appendonly"), map(&[("appendonly", "no")]));
        assert_eq!(run("CONFIG GET SAVE"), map(&[("SAVE", "")]));
        assert_eq!(run("CONFIG GET nosuch"), map(&[]));
        assert_eq!(run("CONFIG GET app*"), map(&[("appendonly", "no")]));
        assert_eq!(
            run("CONFIG GET appendonly save appendonly"),
            map(&[("appendonly", "no"), ("save", "")])
        );
        assert_eq!(run("CONFIG GET s*ve SAVE"), map(&[("save", "")]));
        assert_eq!(run("CONFIG GET port"), map(&[("port", "6379")]));
        assert_eq!(run("CONFIG SET save "), Reply::ok());
        assert_eq!(run("CONFIG SET appendonly NO"), Reply::ok());
        assert_eq!(
            run("CONFIG SET appendonly yes"),
            Reply::error(
                "ERR CONFIG SET failed (possibly related to argument 'appendonly') - can't set \
                 immutable config"
            )
        );
    }

    #[test]
    fn debug_switches_the_active_expiry_and_sleeps() {
        let mut server = ServerState::default();
        for (line, active) in [
            ("DEBUG set-active-expire 0", false),
            ("debug SET-ACTIVE-EXPIRE 1", true),
        ] {
            let argv: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
            assert_eq!(debug(&argv, &mut server), Reply::ok());
            assert_eq!(server.active_expire, active);
        }
        assert_eq!(run("DEBUG SLEEP 0"), Reply::ok());
        assert_eq!(
            run("DEBUG nosuch"),
            Reply::error(
                "ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP."
            )
        );
        assert_eq!(atoi(b" -12x"), -12);
        assert_eq!(strtod(b"0.5s"), 0.5);
        assert_eq!(strtod(b"x"), 0.0);
    }

    #[test]
    fn config_errors_are_worded_like_redis() {
        assert_eq!(
            run("CONFIG"),
            Reply::error("ERR wrong number of arguments for 'config' command")
        );
        assert_eq!(
            run("CONFIG GET"),
            Reply::error("ERR wrong number of arguments for 'config|get' command")
        );
        assert_eq!(
            run("config foo"),
            Reply::error("ERR unknown subcommand 'foo'. Try CONFIG HELP.")
        );
    }

    #[test]
    fn quit_ignores_its_arguments_and_the_others_queue_in_multi() {
        assert!(is_quit(&[b"QUIT"]) && is_quit(&[b"quit", b"now"]) && !is_quit(&[b"GET"]));
        let mut engine = Engine::new(0);
        let mut session = Session {
            id: 3,
            ..Session::default()
        };
        assert_eq!(on(&mut engine, &mut session, "MULTI"), Reply::ok());
        for line in [
            "CONFIG GET save",
            "HELLO",
            "client id",
            "SET k v",
            "INFO keyspace",
        ] {
            assert_eq!(
                on(&mut engine, &mut session, line),
                Reply::status("QUEUED"),
                "{line}"
            );
        }
        let Reply::Array(replies) = on(&mut engine, &mut session, "EXEC") else {
            panic!("EXEC answers an array");
        };
        assert_eq!(replies.len(), 5);
        assert_eq!(replies[0], map(&[("save", "")]));
        assert_eq!(replies[2], Reply::Integer(3));
        assert_eq!(replies[3], Reply::ok());
        // INFO ran after SET, inside EXEC: it sees the key.
        assert_eq!(
            replies[4],
            Reply::verbatim_text("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n")
        );
        assert_eq!(on(&mut engine, &mut session, "MULTI"), Reply::ok());
        assert_eq!(
            on(&mut engine, &mut session, "CLIENT SETNAME"),
            Reply::error("ERR wrong number of arguments for 'client|setname' command")
        );
        assert_eq!(
            on(&mut engine, &mut session, "EXEC"),
            Reply::error("EXECABORT Transaction discarded because of previous errors.")
        );
    }

    #[test]
    fn hello_and_client_names_follow_the_connection() {
        let mut engine = Engine::new(0);
        let mut session = Session {
            id: 7,
            ..Session::default()
        };
        let mut run = |line: &str| on(&mut engine, &mut session, line);
        assert_eq!(run("CLIENT GETNAME"), Reply::Nil);
        assert_eq!(run("CLIENT ID"), Reply::Integer(7));
        let Reply::Map(fields) = run("HELLO 2 SETNAME app") else {
            panic!("HELLO answers a map");
        };
        assert_eq!(fields[2], (Reply::bulk("proto"), Reply::Integer(2)));
        assert_eq!(fields[3], (Reply::bulk("id"), Reply::Integer(7)));
        assert_eq!(run("client getname"), Reply::bulk("app"));
        for bad in ["HELLO 4", "HELLO 1", "HELLO -3"] {
            assert_eq!(
                run(bad),
                Reply::error("NOPROTO unsupported protocol version")
            );
        }
        assert_eq!(
            run("HELLO 3 AUTH alice pw"),
            Reply::error(WRONGPASS),
            "refused credentials keep the protocol"
        );
        let Reply::Map(fields) = run("HELLO 3") else {
            panic!("HELLO answers a map");
        };
        assert_eq!(fields[2], (Reply::bulk("proto"), Reply::Integer(3)));
        let Reply::Map(fields) = run("HELLO") else {
            panic!("HELLO answers a map");
        };
        assert_eq!(fields[2], (Reply::bulk("proto"), Reply::Integer(3)));
        assert!(run("HELLO 2 SETNAME a\tb").is_error());
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

    #[test]
    fn a_hello_queued_in_multi_switches_the_replies_after_it() {
        let mut engine = Engine::new(0);
        let mut session = Session::default();
        for line in ["MULTI", "GET a", "HELLO 3", "GET a", "HELLO 2", "GET a"] {
            on(&mut engine, &mut session, line);
        }
        let exec = on(&mut engine, &mut session, "EXEC");
        assert_eq!(session.protocol, Protocol::Resp2);
        let Reply::Array(replies) = &exec else {
            panic!("EXEC answers an array");
        };
        assert_eq!(replies[0], Reply::Nil);
        assert!(
            matches!(&replies[1], Reply::InProtocol(Protocol::Resp3, map) if matches!(**map, Reply::Map(_)))
        );
        assert_eq!(
            replies[2],
            Reply::InProtocol(Protocol::Resp3, Box::new(Reply::Nil))
        );
        assert!(matches!(replies[3], Reply::Map(_)));
        let bytes = exec.to_protocol(Protocol::Resp2);
        assert!(bytes.starts_with(b"*5\r\n$-1\r\n%7\r\n"));
        assert!(bytes.ends_with(b"*0\r\n_\r\n*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:0\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n$-1\r\n"));
    }
}
