//! The generator's set commands. Members are small integers (so sets start as intsets), integers
//! in and out of the canonical form, and strings (which turn a set into a hash table); now and then
//! an SADD of 505 to 520 integers takes a set across the 512-member intset limit. SSCAN always
//! starts at cursor 0 with a COUNT that covers the whole set, since a hash table's later cursors
//! are Redis' own bucket positions.

use super::{Argv, Gen, Mode, HASH_KEYS, PATTERNS, STRING_KEYS};

/// Keys set commands prefer.
pub const SET_KEYS: &[&[u8]] = &[b"set1", b"set2", b"set3"];

const SET_MEMBERS: &[&[u8]] = &[
    b"0",
    b"1",
    b"2",
    b"3",
    b"7",
    b"-5",
    b"42",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"9223372036854775808",
    b"01",
    b"+1",
    b"a",
    b"b",
    b"c",
    b"",
    b"\xff",
];

impl Gen {
    /// A set member: mostly small integers, sometimes strings.
    fn set_member(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=4 => self.rng.below(30).to_string().into_bytes(),
            5..=8 => self.bytes(SET_MEMBERS),
            _ => self.value(),
        }
    }

    /// A key for a set command: a set key mostly, sometimes another type's or an odd one.
    fn set_key(&mut self) -> Vec<u8> {
        if self.rng.chance(85) {
            self.bytes(SET_KEYS)
        } else {
            let others = [STRING_KEYS, HASH_KEYS].concat();
            self.bytes(&others)
        }
    }

    fn set_keys(&mut self, argv: &mut Argv, most: usize) {
        for _ in 0..1 + self.rng.below(most) {
            argv.push(self.set_key());
        }
    }

    /// A count for SPOP / SRANDMEMBER. Never a large negative one: Redis would build that many
    /// random members (the engine refuses past a million).
    fn set_count(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=5 => self.rng.below(8).to_string().into_bytes(),
            6 | 7 => format!("-{}", 1 + self.rng.below(8)).into_bytes(),
            _ => {
                let n = self.integer();
                match std::str::from_utf8(&n)
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                {
                    Some(v) if v < -1000 && v != i64::MIN => {
                        v.unsigned_abs().to_string().into_bytes()
                    }
                    _ => n,
                }
            }
        }
    }

    /// One set command and its comparison mode.
    pub(super) fn set_command(&mut self) -> (Argv, Mode) {
        let exact = Mode::Exact;
        match self.rng.below(100) {
            0..=24 => {
                let mut argv = vec![self.name("sadd"), self.set_key()];
                if self.rng.chance(3) {
                    let from = self.rng.below(40) as i64 - 20;
                    let n = 505 + self.rng.below(16) as i64;
                    argv.extend((from..from + n).map(|i| i.to_string().into_bytes()));
                } else {
                    for _ in 0..1 + self.rng.below(4) {
                        argv.push(self.set_member());
                    }
                }
                (argv, exact)
            }
            25..=34 => {
                let mut argv = vec![self.name("srem"), self.set_key()];
                for _ in 0..1 + self.rng.below(4) {
                    argv.push(self.set_member());
                }
                (argv, exact)
            }
            35..=38 => (
                vec![self.name("sismember"), self.set_key(), self.set_member()],
                exact,
            ),
            39..=42 => {
                let mut argv = vec![self.name("smismember"), self.set_key()];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.set_member());
                }
                (argv, exact)
            }
            43..=46 => (vec![self.name("scard"), self.set_key()], exact),
            47..=53 => (vec![self.name("smembers"), self.set_key()], Mode::Members),
            54..=59 => {
                let name = self.name_of(&["spop", "srandmember"]);
                let mut argv = vec![name, self.set_key()];
                if self.rng.chance(60) {
                    argv.push(self.set_count());
                }
                (argv, Mode::Random)
            }
            60..=64 => (
                vec![
                    self.name("smove"),
                    self.set_key(),
                    self.set_key(),
                    self.set_member(),
                ],
                exact,
            ),
            65..=74 => {
                let mut argv = vec![self.name_of(&["sinter", "sunion", "sdiff"])];
                self.set_keys(&mut argv, 3);
                (argv, Mode::Members)
            }
            75..=82 => {
                let mut argv = vec![
                    self.name_of(&["sinterstore", "sunionstore", "sdiffstore"]),
                    self.set_key(),
                ];
                self.set_keys(&mut argv, 3);
                (argv, exact)
            }
            83..=87 => {
                let mut keys = Vec::new();
                self.set_keys(&mut keys, 3);
                let numkeys = match self.rng.below(10) {
                    0 => self.integer(),
                    1 => (keys.len() + 1).to_string().into_bytes(),
                    _ => keys.len().to_string().into_bytes(),
                };
                let mut argv = vec![self.name("sintercard"), numkeys];
                argv.extend(keys);
                if self.rng.chance(40) {
                    argv.push(self.text(&["LIMIT", "limit", "FOO"]));
                    let limit = self.set_count();
                    argv.push(limit);
                }
                (argv, exact)
            }
            _ => {
                let cursor = self.text(&["0", "0", "0", "0", "", "x", " 0", "-"]);
                let mut argv = vec![self.name("sscan"), self.set_key(), cursor];
                if self.rng.chance(50) {
                    argv.push(self.text(&["MATCH", "match"]));
                    argv.push(self.bytes(PATTERNS));
                }
                argv.push(self.text(&["COUNT", "count"]));
                argv.push(self.text(&["1000", "1000", "1000", "0", "-1", "x"]));
                if self.rng.chance(5) {
                    argv.push(self.text(&["TYPE", "MATCH"]));
                }
                (argv, Mode::Scan)
            }
        }
    }
}
