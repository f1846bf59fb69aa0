//! The generator's hash commands beyond HSET/HGET/HGETALL. HRANDFIELD never gets a large
//! negative count (Redis would stream that many fields); its comparison follows its arguments
//! ([`default_mode`]).

use super::{default_mode, Argv, Gen, Mode, FIELDS, HASH_KEYS, PATTERNS};

impl Gen {
    /// The hash commands beyond HSET/HGET/HGETALL: HMSET, HSETNX, HMGET, HKEYS, HVALS, HSTRLEN,
    /// HRANDFIELD and HSCAN.
    pub(super) fn hash_command(&mut self) -> (Argv, Mode) {
        let exact = Mode::Exact;
        match self.rng.below(16) {
            0 | 1 => {
                let mut argv = self.hset();
                argv[0] = self.name("hmset");
                (argv, exact)
            }
            2 => (
                vec![
                    self.name("hsetnx"),
                    self.key(HASH_KEYS),
                    self.bytes(FIELDS),
                    self.value(),
                ],
                exact,
            ),
            3 | 4 => {
                let mut argv = vec![self.name("hmget"), self.key(HASH_KEYS)];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.bytes(FIELDS));
                }
                (argv, exact)
            }
            5 | 6 => (
                vec![self.name_of(&["hkeys", "hvals"]), self.key(HASH_KEYS)],
                Mode::HashList,
            ),
            7 => (
                vec![
                    self.name("hstrlen"),
                    self.key(HASH_KEYS),
                    self.bytes(FIELDS),
                ],
                exact,
            ),
            8..=11 => {
                let mut argv = vec![self.name("hrandfield"), self.key(HASH_KEYS)];
                if self.rng.chance(80) {
                    // Never a large negative count: Redis would stream that many fields.
                    argv.push(match self.rng.below(10) {
                        0 => self.text(&["x", "-9223372036854775808", "9223372036854775807", ""]),
                        _ => (self.rng.below(21) as i64 - 10).to_string().into_bytes(),
                    });
                    if self.rng.chance(50) {
                        argv.push(self.text(&["WITHVALUES", "withvalues", "WITHVALUES", "FOO"]));
                    }
                }
                let mode = default_mode(&argv);
                (argv, mode)
            }
            _ => {
                let cursor = match self.rng.below(10) {
                    0..=5 => b"0".to_vec(),
                    6 | 7 => self.rng.below(16).to_string().into_bytes(),
                    _ => self.text(&["-1", "", " 1", "x", "18446744073709551616"]),
                };
                let mut argv = vec![self.name("hscan"), self.key(HASH_KEYS), cursor];
                for _ in 0..self.rng.below(3) {
                    match self.rng.below(5) {
                        0 | 1 => {
                            argv.push(self.text(&["MATCH", "match"]));
                            argv.push(self.bytes(PATTERNS));
                        }
                        2 | 3 => {
                            argv.push(self.text(&["COUNT", "count"]));
                            argv.push(self.small_index());
                        }
                        _ => argv.push(self.text(&["TYPE", "MATCH", "COUNT", "FOO"])),
                    }
                }
                (argv, Mode::HashScan)
            }
        }
    }
}
