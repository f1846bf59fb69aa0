//! The random command generator shared by the differential suite and the panic-freedom tests.
//!
//! Time: Redis reads its own clock, the engine the wall clock set just before each command, so the
//! two differ by the round trip. Expire times are therefore drawn so that no comparison between
//! them depends on milliseconds: relative times fall in bands far apart from each other and from the
//! absolute ones, and within a band they grow with the command counter (a later command's relative
//! time always lands later). Nothing expires by the clock during a run; times in the past delete
//! at once, as they should.
//!
//! Arguments: any argument, the command's name included, may be mangled ([`Gen::mangle`]): CR, LF,
//! NUL, DEL, high bytes, spaces or tabs added at either end or inside, a byte replaced, or the
//! whole argument emptied — so every command reaches the error paths that quote arguments
//! (a mangled name is an unknown command quoting all the arguments after it) with such bytes.
//!
//! Sorted sets (`gen/zsets.rs`) are driven through both encodings — past 128 members or with a
//! member longer than 64 bytes, Redis' thresholds, which Debian's redis.conf keeps — with scores
//! that differ.

use incr_lab::engine::{Engine, Reply};
use incr_lab::simulation::rng::Rng;

use super::duo::{default_mode, wall_ms, Mode};

mod hashes;
mod hll;
mod keys;
mod lists;
mod sets;
mod strings;
mod zsets;
pub use hll::HLL_KEYS;
pub use lists::LIST_KEYS;
pub use sets::SET_KEYS;

/// Sebastiano Vigna's SplitMix64: tiny, portable, good enough to pick test inputs.
pub struct SplitMix64(Rng);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(Rng::new(seed))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A number from the environment, decimal or `0x…` hex.
pub fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// A command: name and arguments.
pub type Argv = Vec<Vec<u8>>;

/// The generator. `n` counts commands; relative expire times grow with it.
pub struct Gen {
    rng: SplitMix64,
    n: i64,
    /// Wall clock at the start, in seconds and milliseconds.
    base_s: i64,
    base_ms: i64,
    /// Commands the engine knows (others are being landed by other helpers).
    zsets: bool,
    incrbyfloat: bool,
    hincrbyfloat: bool,
    sets: bool,
    hll: bool,
    lists: bool,
}

pub const STRING_KEYS: &[&[u8]] = &[b"s1", b"s2", b"c1"];
pub const HASH_KEYS: &[&[u8]] = &[b"h1", b"h2"];
pub const ZSET_KEYS: &[&[u8]] = &[b"z1", b"z2"];
/// A sorted set only sorted-set commands pick (and DEL, EXPIRE and the like), so that it stays one
/// and grows: the usual home of the skip-list encoding.
pub const BIG_ZSET: &[u8] = b"zbig";
pub const ODD_KEYS: &[&[u8]] = &[b"", b"a key", b"\x00\xff", b"nokey"];
const FIELDS: &[&[u8]] = &[b"f1", b"f2", b"f3", b"n", b"", b"F\x00"];
const MEMBERS: &[&[u8]] = &[b"a", b"b", b"c", b"d", b"", b"\xff"];

/// Bytes [`Gen::mangle`] puts into arguments.
const ODD_BYTES: &[&[u8]] = &[
    b"\r", b"\n", b"\r\n", b"\n\r", b"\x00", b"\x7f", b"\xff", b"\x80", b" ", b"  ", b"\t",
];

const INTEGERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "10",
    "42",
    "-7",
    "100",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775806",
    "-9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901",
    "+1",
    "01",
    "-0",
    " 1",
    "1 ",
    "",
    "1.0",
    "1e3",
    "0x10",
    "abc",
    "-",
];

const FLOATS: &[&str] = &[
    "0",
    "1",
    "-1",
    "0.1",
    "0.2",
    "1.5",
    "-1.5",
    "3.0e0",
    ".5",
    "5.",
    "-.5",
    "1e3",
    "1E3",
    "1e-3",
    "1e308",
    "1e309",
    "-1e309",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e-320",
    "0x10",
    "0x1p-3",
    "0X1P3",
    "inf",
    "-inf",
    "+inf",
    "Infinity",
    "nan",
    "NaN",
    "-nan",
    "+1",
    "-0",
    "-0.0",
    "00.5",
    "1.",
    " 1",
    "1 ",
    "",
    "abc",
    "1e",
    "1.5.5",
    "9223372036854775807",
    "123456789012345678901234567890",
    "0.30000000000000004",
    "3.14159265358979323846264338327950288",
];

const RANGE_BOUNDS: &[&str] = &[
    "-inf", "+inf", "inf", "0", "1", "(1", "(0", "-1", "(-1", "1.5", "(1.5", "((1", "(", "x",
    "(inf", "(-inf", "nan",
];

const LEX_BOUNDS: &[&str] = &[
    "-", "+", "[a", "(a", "[c", "(c", "[", "(", "a", "", "[\u{7f}", "[m", "(m", "[m1", "(m5",
    "[m70", "(m100", "[l", "+\0x", "-\0",
];

const PATTERNS: &[&[u8]] = &[
    b"*", b"s*", b"h?", b"*1", b"[hs]*", b"[^h]*", b"\\*", b"z[", b"?", b"", b"*\x00*", b"[a-z]?",
    b"*key", b"[", b"\\", b"*[^0-9]",
];

const UNKNOWN: &[&[u8]] = &[
    b"FOO",
    b"incrr",
    b"GETT",
    b"",
    b"hsett",
    b"zaddd",
    b"a\r\nb",
    b"nu\x00ll",
    b"\xff",
    b"MULTII",
];

impl Gen {
    /// A generator for `engine`'s commands (it asks the engine which ones it knows).
    pub fn new(seed: u64, engine: &mut Engine) -> Gen {
        let now = wall_ms();
        let mut knows = |name: &str| {
            let reply = engine.execute(0, &[name]);
            !matches!(&reply, Reply::Error(e) if e.starts_with(b"ERR unknown command"))
        };
        Gen {
            rng: SplitMix64::new(seed),
            n: 0,
            base_s: now / 1000,
            base_ms: now,
            zsets: knows("zadd"),
            incrbyfloat: knows("incrbyfloat"),
            hincrbyfloat: knows("hincrbyfloat"),
            sets: knows("sadd"),
            hll: knows("pfadd"),
            lists: knows("lpush"),
        }
    }

    fn bytes(&mut self, items: &[&[u8]]) -> Vec<u8> {
        self.rng.pick(items).to_vec()
    }

    fn text(&mut self, items: &[&str]) -> Vec<u8> {
        self.rng.pick(items).as_bytes().to_vec()
    }

    /// A key of the preferred kind, sometimes any other (for WRONGTYPE) or an odd one.
    fn key(&mut self, preferred: &[&[u8]]) -> Vec<u8> {
        match self.rng.below(100) {
            0..=74 => self.bytes(preferred),
            75..=89 => {
                let all = [
                    STRING_KEYS,
                    HASH_KEYS,
                    ZSET_KEYS,
                    SET_KEYS,
                    HLL_KEYS,
                    LIST_KEYS,
                ]
                .concat();
                self.bytes(&all)
            }
            _ => self.bytes(ODD_KEYS),
        }
    }

    fn any_key(&mut self) -> Vec<u8> {
        let all = [
            STRING_KEYS,
            HASH_KEYS,
            ZSET_KEYS,
            SET_KEYS,
            LIST_KEYS,
            ODD_KEYS,
            &[BIG_ZSET],
        ]
        .concat();
        self.bytes(&all)
    }

    /// A key for a sorted-set command: [`BIG_ZSET`] often, else as [`Gen::key`] picks.
    fn zkey(&mut self) -> Vec<u8> {
        if self.rng.chance(40) {
            BIG_ZSET.to_vec()
        } else {
            self.key(ZSET_KEYS)
        }
    }

    fn integer(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=6 => self.text(INTEGERS),
            7 => (self.rng.next() as i64).to_string().into_bytes(),
            _ => (self.rng.below(2001) as i64 - 1000)
                .to_string()
                .into_bytes(),
        }
    }

    fn float(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=6 => self.text(FLOATS),
            7 => {
                let whole = self.rng.below(2001) as i64 - 1000;
                let frac = self.rng.below(1000);
                format!("{whole}.{frac:03}").into_bytes()
            }
            8 => format!("{:e}", f64::from_bits(self.rng.next())).into_bytes(),
            _ => self.integer(),
        }
    }

    /// A sorted-set score: mostly valid (ties, infinities, fractions), sometimes anything.
    fn score(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=3 => self.text(&[
                "0", "1", "-1", "2", "1.5", "-2.5", "10", "inf", "-inf", "0.1",
            ]),
            4..=6 => (self.rng.below(21) as i64 - 10).to_string().into_bytes(),
            _ => self.float(),
        }
    }

    /// A string value: counters, floats, text, long and binary strings.
    fn value(&mut self) -> Vec<u8> {
        match self.rng.below(12) {
            0..=3 => self.integer(),
            4 | 5 => self.float(),
            6 => b"hello".to_vec(),
            7 => Vec::new(),
            8 => vec![b'x'; 60 + self.rng.below(10)],
            9 => vec![0x00, 0xff, b'\r', b'\n'],
            _ => self.rng.below(100).to_string().into_bytes(),
        }
    }

    /// Seconds relative to now (EXPIRE, SET EX): see the module doc for the bands.
    fn rel_seconds(&mut self) -> Vec<u8> {
        let n = self.n;
        match self.rng.below(10) {
            0 => self.text(&["0", "-1", "-100"]),
            1..=4 => (1000 + n).to_string().into_bytes(),
            5 | 6 => (1_000_000 + n).to_string().into_bytes(),
            7 => self.text(&[
                "9223372036854775807",
                "9223372036854775",
                "9223372036854776",
                "-9223372036854775808",
                "-9223372036854776",
            ]),
            _ => self.not_soon(),
        }
    }

    /// Milliseconds relative to now (PEXPIRE, SET PX).
    fn rel_millis(&mut self) -> Vec<u8> {
        let n = self.n;
        match self.rng.below(10) {
            0 => self.text(&["0", "-5", "-100000"]),
            1..=4 => (100_000 + n).to_string().into_bytes(),
            5 | 6 => (5_000_000_000 + n).to_string().into_bytes(),
            7 => self.text(&[
                "9223372036854775807",
                "9223372036854000000",
                "-9223372036854775808",
            ]),
            _ => self.not_soon(),
        }
    }

    /// A Unix time in seconds (EXPIREAT, SET EXAT). `past` allows times in the past: EXPIREAT
    /// deletes the key at once, but SET keeps it until Redis' active expiry gets to it, at a
    /// moment of its own, so SET only gets future or invalid times.
    fn abs_seconds(&mut self, past: bool) -> Vec<u8> {
        let offsets: &[i64] = if past {
            &[500, 50_000, 100_000_000, -100]
        } else {
            &[500, 50_000, 100_000_000]
        };
        let time = match self.rng.below(10) {
            0..=5 => (self.base_s + self.rng.pick(offsets))
                .to_string()
                .into_bytes(),
            6 => self.text(&["0", "1", "-5"]),
            7 => self.text(&[
                "9223372036854775807",
                "9223372036854775",
                "9223372036854776",
            ]),
            _ => self.integer(),
        };
        if past {
            time
        } else {
            self.not_past(time, self.base_s)
        }
    }

    /// A Unix time in milliseconds (PEXPIREAT, SET PXAT); `past` as for [`Gen::abs_seconds`].
    fn abs_millis(&mut self, past: bool) -> Vec<u8> {
        let offsets: &[i64] = if past {
            &[500_007, 50_000_003, 100_000_000_001, -1000]
        } else {
            &[500_007, 50_000_003, 100_000_000_001]
        };
        let time = match self.rng.below(10) {
            0..=5 => (self.base_ms + self.rng.pick(offsets))
                .to_string()
                .into_bytes(),
            6 => self.text(&["0", "1", "-5"]),
            7 => self.text(&["9223372036854775807", "-9223372036854775808"]),
            _ => self.integer(),
        };
        if past {
            time
        } else {
            self.not_past(time, self.base_ms)
        }
    }

    /// An integer argument for a relative time that is not a short positive one (such a key would
    /// expire during the run, and its GT/LT comparisons could hinge on milliseconds): those are
    /// negated, so they delete at once.
    fn not_soon(&mut self) -> Vec<u8> {
        let n = self.integer();
        match std::str::from_utf8(&n)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
        {
            Some(v) if v > 0 && v < 10_000_000 => format!("-{v}").into_bytes(),
            _ => n,
        }
    }

    /// `time` unless it is a valid time before `now`: then its negation (an invalid time).
    fn not_past(&self, time: Vec<u8>, now: i64) -> Vec<u8> {
        match std::str::from_utf8(&time)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
        {
            Some(t) if t > 0 && t <= now => format!("-{t}").into_bytes(),
            _ => time,
        }
    }

    /// Command names in random case now and then.
    fn name(&mut self, name: &str) -> Vec<u8> {
        if self.rng.chance(80) {
            return name.as_bytes().to_vec();
        }
        name.bytes()
            .map(|b| {
                if self.rng.chance(50) {
                    b.to_ascii_uppercase()
                } else {
                    b
                }
            })
            .collect()
    }

    /// `arg` with odd bytes ([`ODD_BYTES`]) at an end or inside, a byte replaced by one, or empty.
    pub fn mangle(&mut self, mut arg: Vec<u8>) -> Vec<u8> {
        let odd = self.rng.pick(ODD_BYTES).to_vec();
        match self.rng.below(7) {
            0 => return odd.into_iter().chain(arg).collect(),
            1 | 2 => arg.extend_from_slice(&odd),
            3 => {
                let at = self.rng.below(arg.len() + 1);
                arg.splice(at..at, odd);
            }
            4 => {
                let tail = self.rng.pick(ODD_BYTES).to_vec();
                arg = odd.into_iter().chain(arg).chain(tail).collect();
            }
            5 if !arg.is_empty() => {
                let at = self.rng.below(arg.len());
                arg.splice(at..=at, odd);
            }
            _ => arg.clear(),
        }
        arg
    }

    /// One command, its comparison mode and the client that sends it.
    pub fn command(&mut self) -> (usize, Argv, Mode) {
        self.n += 1;
        let client = match self.rng.below(10) {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        };
        let (mut argv, mut mode) = self.pick_command();
        // Now and then a wrong argument count — never for COMMAND: without a name its INFO and
        // DOCS list Redis' every command, and an extra word could be "hello", one of Redis' (and
        // the server's) commands the engine alone does not have.
        let listing = argv[0].eq_ignore_ascii_case(b"command");
        if self.rng.chance(3) && !listing {
            // Not an extra argument for HRANDFIELD or SRANDMEMBER: it could be a count of minus
            // billions, which Redis would stream for ever. Nor for a blocking pop: its timeout is
            // the last argument, and 0 waits for ever.
            let name = argv[0].to_ascii_lowercase();
            let blocking = name == b"bzpopmin" || name == b"bzpopmax";
            let random = matches!(mode, Mode::RandomFields { .. } | Mode::Random) || blocking;
            if (random || self.rng.chance(50)) && argv.len() > 1 {
                argv.pop();
            } else {
                let extra = self.value();
                argv.push(extra);
            }
        }
        // Now and then odd bytes in an argument, or in the name: an unknown command then quotes
        // the arguments in its error.
        if self.rng.chance(2) {
            // Never a NUL in a name: Redis hashes a name's every byte but compares names as C
            // strings, so "incr\0…" runs INCR when its hash lands in INCR's bucket, which depends
            // on the hash seed redis-server draws at start.
            // Nor a NUL dropped: "hscan" less a byte is "scan", another command, compared as HSCAN.
            let name: Vec<u8> = self
                .mangle(argv[0].clone())
                .into_iter()
                .map(|b| if b == 0 { 0x7f } else { b })
                .collect();
            // Nor a plain word the engine does not know: it may be a Redis command the engine
            // does not have yet ("sscan" less a byte is SCAN), which Redis would run or queue.
            let plain_word = name.iter().all(u8::is_ascii_alphabetic);
            if !plain_word || incr_lab::engine::command::lookup(&name).is_some() {
                argv[0] = name;
            }
        }
        for percent in [15, 5] {
            if argv.len() > 1 && self.rng.chance(percent) {
                let i = 1 + self.rng.below(argv.len() - 1);
                argv[i] = self.mangle(std::mem::take(&mut argv[i]));
            }
        }
        // Nor a NUL in a container's subcommand name (CONFIG, OBJECT, …), for the same reason:
        // Redis finds it in a dict hashed over every byte and compared as a C string.
        // CONFIG's parameter names and COMMAND's command names too: looked up the same way.
        let container = incr_lab::engine::command::lookup(&argv[0])
            .is_some_and(|spec| !spec.subcommands.is_empty());
        let config = argv[0].eq_ignore_ascii_case(b"config") || listing;
        let named = if config {
            argv.len()
        } else {
            2.min(argv.len())
        };
        if container {
            for b in argv[1..named].iter_mut().flatten() {
                if *b == 0 {
                    *b = 0x7f;
                }
            }
        }
        // HRANDFIELD's comparison depends on its arguments as they are now.
        if matches!(mode, Mode::RandomFields { .. }) {
            mode = default_mode(&argv);
        }
        (client, argv, mode)
    }

    fn pick_command(&mut self) -> (Argv, Mode) {
        let exact = Mode::Exact;
        loop {
            let choice = self.rng.below(205);
            let cmd: (Argv, Mode) = match choice {
                0..=4 => (vec![self.name("get"), self.key(STRING_KEYS)], exact),
                5..=11 => (self.set(), exact),
                12 => (
                    vec![self.name("getset"), self.key(STRING_KEYS), self.value()],
                    exact,
                ),
                13 => (vec![self.name("getdel"), self.key(STRING_KEYS)], exact),
                14..=17 => (
                    vec![self.name_of(&["incr", "decr"]), self.key(STRING_KEYS)],
                    exact,
                ),
                18..=20 => (
                    vec![
                        self.name_of(&["incrby", "decrby"]),
                        self.key(STRING_KEYS),
                        self.integer(),
                    ],
                    exact,
                ),
                21..=22 if self.incrbyfloat => (
                    vec![
                        self.name("incrbyfloat"),
                        self.key(STRING_KEYS),
                        self.float(),
                    ],
                    exact,
                ),
                23..=27 => (self.hset(), exact),
                28 | 29 => (
                    vec![self.name("hget"), self.key(HASH_KEYS), self.bytes(FIELDS)],
                    exact,
                ),
                30 | 31 => (vec![self.name("hgetall"), self.key(HASH_KEYS)], Mode::Hash),
                32 => {
                    let mut argv = vec![self.name("hdel"), self.key(HASH_KEYS)];
                    for _ in 0..1 + self.rng.below(3) {
                        argv.push(self.bytes(FIELDS));
                    }
                    (argv, exact)
                }
                33 => (vec![self.name("hlen"), self.key(HASH_KEYS)], exact),
                34 => (
                    vec![
                        self.name("hexists"),
                        self.key(HASH_KEYS),
                        self.bytes(FIELDS),
                    ],
                    exact,
                ),
                35..=37 => (
                    vec![
                        self.name("hincrby"),
                        self.key(HASH_KEYS),
                        self.bytes(FIELDS),
                        self.integer(),
                    ],
                    exact,
                ),
                38 | 39 if self.hincrbyfloat => (
                    vec![
                        self.name("hincrbyfloat"),
                        self.key(HASH_KEYS),
                        self.bytes(FIELDS),
                        self.float(),
                    ],
                    exact,
                ),
                40 => {
                    let mut argv = vec![self.name("del")];
                    for _ in 0..1 + self.rng.below(2) {
                        argv.push(self.any_key());
                    }
                    (argv, exact)
                }
                41 | 42 => {
                    let mut argv = vec![self.name("exists")];
                    for _ in 0..1 + self.rng.below(3) {
                        argv.push(self.any_key());
                    }
                    (argv, exact)
                }
                43 => (vec![self.name("type"), self.any_key()], exact),
                44 => (vec![self.name("keys"), self.bytes(PATTERNS)], Mode::Sorted),
                45 => (vec![self.name("dbsize")], exact),
                46 if self.rng.chance(15) => {
                    let mut argv = vec![self.name_of(&["flushall", "flushdb"])];
                    if self.rng.chance(50) {
                        argv.push(self.text(&["ASYNC", "sync", "SYNC", "garbage"]));
                    }
                    (argv, exact)
                }
                47..=54 => self.expire(),
                55..=59 => {
                    let (name, mode) = *self.rng.pick(&[
                        ("ttl", Mode::Near(1)),
                        ("pttl", Mode::Near(250)),
                        ("expiretime", Mode::Near(1)),
                        ("pexpiretime", Mode::Near(250)),
                    ]);
                    (vec![self.name(name), self.any_key()], mode)
                }
                60 | 61 => (vec![self.name("persist"), self.any_key()], exact),
                // Half as many MULTI as EXEC, so clients spend about a third of their commands
                // queueing and transactions stay short enough to run rather than abort.
                62..=64 if self.rng.chance(50) => (vec![self.name("multi")], exact),
                62..=64 => (vec![self.name("exec")], exact),
                65..=67 => (vec![self.name("exec")], exact),
                68 => (vec![self.name("discard")], exact),
                69 | 70 => {
                    let mut argv = vec![self.name("watch")];
                    for _ in 0..1 + self.rng.below(2) {
                        argv.push(self.any_key());
                    }
                    (argv, exact)
                }
                71 => (vec![self.name("unwatch")], exact),
                72 => {
                    let mut argv = vec![self.name("ping")];
                    if self.rng.chance(50) {
                        argv.push(self.value());
                    }
                    (argv, exact)
                }
                73 => (vec![self.name("echo"), self.value()], exact),
                74 => {
                    let mut argv = vec![self.bytes(UNKNOWN)];
                    for _ in 0..self.rng.below(3) {
                        argv.push(self.value());
                    }
                    (argv, exact)
                }
                75..=99 if self.zsets => self.zset_command(),
                100..=119 => self.string_command(),
                120..=134 => self.bit_command(),
                135..=149 if self.sets => self.set_command(),
                150..=164 => self.hash_command(),
                165..=174 if self.hll => self.hll_command(),
                175..=189 if self.lists => self.list_command(),
                190..=204 => self.keys_command(),
                _ => continue,
            };
            return cmd;
        }
    }

    /// One of `names`, as [`Gen::name`] spells it.
    fn name_of(&mut self, names: &[&str]) -> Vec<u8> {
        let name = *self.rng.pick(names);
        self.name(name)
    }

    fn set(&mut self) -> Argv {
        let mut argv = vec![self.name("set"), self.key(STRING_KEYS), self.value()];
        for _ in 0..self.rng.below(4) {
            match self.rng.below(12) {
                0 => argv.push(self.text(&["NX", "nx"])),
                1 => argv.push(self.text(&["XX", "xx"])),
                2 | 3 => argv.push(self.text(&["GET", "get"])),
                4 => argv.push(self.text(&["KEEPTTL", "keepttl"])),
                5..=9 => argv.extend(self.expire_option(false)),
                10 => argv.push(self.text(&["EX", "PX", "FOO", "KEEP"])),
                _ => {}
            }
        }
        argv
    }

    /// SET's and GETEX's EX/PX/EXAT/PXAT with its time (EX and PX twice as often); `past` as for
    /// [`Gen::abs_seconds`].
    fn expire_option(&mut self, past: bool) -> [Vec<u8>; 2] {
        match self.rng.below(6) {
            0 | 1 => [self.text(&["EX", "ex"]), self.rel_seconds()],
            2 | 3 => [self.text(&["PX", "px"]), self.rel_millis()],
            4 => [b"EXAT".to_vec(), self.abs_seconds(past)],
            _ => [b"PXAT".to_vec(), self.abs_millis(past)],
        }
    }

    fn hset(&mut self) -> Argv {
        let mut argv = vec![self.name("hset"), self.key(HASH_KEYS)];
        for _ in 0..1 + self.rng.below(3) {
            argv.push(self.bytes(FIELDS));
            argv.push(self.value());
        }
        argv
    }

    fn expire(&mut self) -> (Argv, Mode) {
        let which = self.rng.below(4);
        let name = ["expire", "pexpire", "expireat", "pexpireat"][which];
        let time = match which {
            0 => self.rel_seconds(),
            1 => self.rel_millis(),
            2 => self.abs_seconds(true),
            _ => self.abs_millis(true),
        };
        let mut argv = vec![self.name(name), self.any_key(), time];
        for _ in 0..self.rng.below(3) {
            argv.push(self.text(&["NX", "XX", "GT", "LT", "gt", "lt", "nx", "xx", "FOO"]));
        }
        (argv, Mode::Exact)
    }

    fn small_index(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=7 => (self.rng.below(11) as i64 - 5).to_string().into_bytes(),
            _ => self.integer(),
        }
    }
}
