//! The generator's keys and server commands: RENAME, RENAMENX, COPY, UNLINK, TOUCH, RANDOMKEY,
//! SCAN, OBJECT, MEMORY USAGE, CONFIG GET / SET / RESETSTAT, COMMAND INFO / DOCS / HELP, TIME and
//! LASTSAVE.
//!
//! - SCAN always starts at cursor 0 (or an invalid one) with a COUNT that covers the keyspace:
//!   a hash table's later cursors are Redis' own bucket positions, seeded at random.
//! - CONFIG SET changes only what cannot make a reply depend on chance: the encoding thresholds
//!   (half the time back to their defaults, so both encodings stay in play), the LFU knobs and
//!   maxmemory-samples, maxmemory to 0 or 1gb (far above the keyspace: never an OOM), and
//!   policies that neither track LFU counters (random draws in Redis) nor stop sharing integers.
//! - CONFIG GET asks for the engine's parameters by name, or by patterns only they match (a wider
//!   one lists Redis' others).
//! - OBJECT IDLETIME is left to tests/conformance_keys.rs: the harness' own reads of Redis (an
//!   SPOP's resynchronization reads the set) touch keys there and not in the engine.
//! - COMMAND INFO / DOCS name commands both have (and one neither has); COMMAND and COMMAND COUNT
//!   list Redis' every command.

use super::{Argv, Gen, Mode, PATTERNS};

/// What CONFIG SET changes, with its default (restored half the time).
const SETTABLE: &[(&str, &str)] = &[
    ("hash-max-listpack-entries", "512"),
    ("hash-max-ziplist-entries", "512"),
    ("hash-max-listpack-value", "64"),
    ("zset-max-listpack-entries", "128"),
    ("zset-max-ziplist-value", "64"),
    ("zset-max-listpack-value", "64"),
    ("set-max-intset-entries", "512"),
    ("lfu-log-factor", "10"),
    ("lfu-decay-time", "1"),
    ("maxmemory-samples", "5"),
];

const SETTINGS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "4",
    "8",
    "16",
    "100",
    "-1",
    "x",
    "1kb",
    "2147483648",
    "",
    "3 ",
    "0x10",
];

/// CONFIG GET's names and patterns: each matches only parameters the engine has.
const GETTABLE: &[&str] = &[
    "hash-max-listpack-entries",
    "hash-max-ziplist-entries",
    "HASH-MAX-LISTPACK-VALUE",
    "zset-max-listpack-entries",
    "zset-max-*",
    "hash-max-*",
    "*-max-*-entries",
    "set-max-intset-entries",
    "set-max-*",
    "list-max-*",
    "maxmemory",
    "maxmemory-policy",
    "maxmemory-samples",
    "lfu-*",
    "databases",
    "save",
    "appendonly",
    "nosuch",
    "nosuch*",
    "",
];

/// Commands COMMAND INFO and COMMAND DOCS name: the engine's (containers and subcommands too),
/// and names neither knows.
const COMMAND_NAMES: &[&str] = &[
    "get",
    "SET",
    "incr",
    "hset",
    "zadd",
    "zrangebyscore",
    "sadd",
    "rename",
    "copy",
    "scan",
    "object|encoding",
    "config|get",
    "CONFIG|SET",
    "memory|usage",
    "command|info",
    "multi",
    "exec",
    "eval",
    "time",
    "nosuch",
    "get|x",
    "",
];

const TYPES: &[&str] = &[
    "string", "hash", "zset", "set", "list", "STRING", "ZSET", "stream", "foo", "",
];

const DATABASES: &[&str] = &["0", "1", "2", "15", "16", "-1", "x", "1.0", ""];

impl Gen {
    /// One keys or server command and its comparison mode.
    pub(super) fn keys_command(&mut self) -> (Argv, Mode) {
        let exact = Mode::Exact;
        match self.rng.below(100) {
            0..=9 => {
                let name = self.name_of(&["rename", "renamenx"]);
                (vec![name, self.any_key(), self.any_key()], exact)
            }
            10..=19 => {
                let mut argv = vec![self.name("copy"), self.any_key(), self.any_key()];
                for _ in 0..self.rng.below(3) {
                    match self.rng.below(4) {
                        0 | 1 => {
                            argv.push(self.text(&["DB", "db"]));
                            argv.push(self.text(DATABASES));
                        }
                        2 => argv.push(self.text(&["REPLACE", "replace"])),
                        _ => argv.push(self.text(&["FOO", "DB"])),
                    }
                }
                (argv, exact)
            }
            20..=26 => {
                let mut argv = vec![self.name_of(&["unlink", "touch"])];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.any_key());
                }
                (argv, exact)
            }
            27..=30 => (vec![self.name("randomkey")], Mode::RandomKey),
            31..=40 => {
                let cursor = self.text(&["0", "0", "0", "0", "", "x", " 0", "-", "1.5"]);
                let mut argv = vec![self.name("scan"), cursor];
                for _ in 0..self.rng.below(3) {
                    match self.rng.below(3) {
                        0 => {
                            argv.push(self.text(&["MATCH", "match"]));
                            argv.push(self.bytes(PATTERNS));
                        }
                        1 => {
                            argv.push(self.text(&["TYPE", "type"]));
                            argv.push(self.text(TYPES));
                        }
                        _ => argv.push(self.text(&["MATCH", "TYPE", "COUNT", "FOO"])),
                    }
                }
                // A COUNT that covers the keyspace, or an invalid one (checked before the walk).
                argv.push(self.text(&["COUNT", "count"]));
                argv.push(self.text(&["1000", "1000", "1000", "1000", "0", "-1", "x"]));
                (argv, Mode::KeyScan)
            }
            41..=52 => {
                let (sub, mode) = *self.rng.pick(&[
                    ("encoding", Mode::Exact),
                    ("ENCODING", Mode::Exact),
                    ("refcount", Mode::Exact),
                    ("freq", Mode::Exact),
                    ("nosuch", Mode::Exact),
                ]);
                let mut argv = vec![self.name("object"), self.text(&[sub])];
                if self.rng.chance(95) {
                    argv.push(self.any_key());
                }
                if self.rng.chance(3) {
                    argv = vec![self.name("object"), self.text(&["help", "HELP"])];
                }
                (argv, mode)
            }
            53..=62 => {
                let mut argv = vec![self.name("memory"), self.text(&["usage", "USAGE"])];
                argv.push(self.any_key());
                if self.rng.chance(20) {
                    argv.push(self.text(&["SAMPLES", "samples", "FOO"]));
                    argv.push(self.text(&["0", "1", "5", "-1", "x", "100000"]));
                }
                if self.rng.chance(3) {
                    argv = vec![self.name("memory"), self.text(&["help", "nosuch"])];
                }
                (argv, Mode::MemoryUsage)
            }
            63..=70 => {
                let mut argv = vec![self.name("config"), self.text(&["get", "GET"])];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.text(GETTABLE));
                }
                (argv, Mode::Pairs)
            }
            71..=80 => (self.config_set(), exact),
            81 => (
                vec![self.name("config"), self.text(&["resetstat", "RESETSTAT"])],
                exact,
            ),
            82..=87 => {
                let sub = self.text(&["info", "INFO", "docs", "DOCS"]);
                let mut argv = vec![self.name("command"), sub];
                // Without a name, INFO and DOCS list Redis' every command.
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.text(COMMAND_NAMES));
                }
                (argv, exact)
            }
            88 => (
                vec![self.name("command"), self.text(&["help", "HELP"])],
                exact,
            ),
            89..=92 => (vec![self.name("time")], Mode::Time),
            93..=95 => (vec![self.name("lastsave")], Mode::Near(5)),
            _ => {
                let mut argv = vec![self.name("config"), self.text(&["help", "HELP", "nosuch"])];
                if self.rng.chance(20) {
                    argv.push(self.value());
                }
                (argv, exact)
            }
        }
    }

    /// CONFIG SET of one to three of [`SETTABLE`] (a value, or its default half the time), now and
    /// then maxmemory, a policy, or a parameter it refuses.
    fn config_set(&mut self) -> Argv {
        let mut argv = vec![self.name("config"), self.text(&["set", "SET"])];
        for _ in 0..1 + self.rng.below(3) {
            match self.rng.below(20) {
                0 => {
                    argv.push(self.text(&["maxmemory", "MAXMEMORY"]));
                    argv.push(self.text(&["0", "0", "1gb", "x", "-1"]));
                }
                1 => {
                    argv.push(b"maxmemory-policy".to_vec());
                    argv.push(self.text(&[
                        "noeviction",
                        "noeviction",
                        "allkeys-random",
                        "volatile-ttl",
                        "lru",
                        "",
                    ]));
                }
                2 => {
                    argv.push(self.text(&["nosuch", "databases", "save", "appendonly"]));
                    argv.push(self.text(&["1", "16", "", "no"]));
                }
                _ => {
                    let (name, default) = *self.rng.pick(SETTABLE);
                    argv.push(name.as_bytes().to_vec());
                    if self.rng.chance(50) {
                        argv.push(default.as_bytes().to_vec());
                    } else {
                        argv.push(self.text(SETTINGS));
                    }
                }
            }
        }
        argv
    }
}
