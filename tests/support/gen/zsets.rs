//! The generator's sorted-set commands. Members are short names, numbered names (`m0`…`m149`)
//! and names longer than the listpack's 64 bytes; ZADDs of 40 to 140 numbered members at a few
//! mixed scores fill sets past 128 entries, so range commands meet both encodings with scores that
//! differ; lex bounds are built from members.

use super::{
    default_mode, Argv, Gen, Mode, BIG_ZSET, LEX_BOUNDS, MEMBERS, RANGE_BOUNDS, SET_KEYS, ZSET_KEYS,
};

impl Gen {
    /// A sorted-set member: a short name, a numbered one, or one past the listpack's 64 bytes.
    fn member(&mut self) -> Vec<u8> {
        match self.rng.below(20) {
            0..=13 => self.bytes(MEMBERS),
            14..=17 => format!("m{}", self.rng.below(150)).into_bytes(),
            _ => {
                let mut long = vec![b'l'; 60 + self.rng.below(10)];
                long.extend_from_slice(self.rng.below(3).to_string().as_bytes());
                long
            }
        }
    }

    /// A lex range bound: a fixed one, or `[`/`(` and a member.
    fn lex_bound(&mut self) -> Vec<u8> {
        if self.rng.chance(30) {
            return self.text(LEX_BOUNDS);
        }
        let open = *self.rng.pick(b"[(");
        let mut bound = vec![open];
        bound.extend(self.member());
        bound
    }

    /// `LIMIT offset count` now and then.
    fn maybe_limit(&mut self, argv: &mut Argv) {
        if self.rng.chance(30) {
            argv.push(self.text(&["LIMIT", "limit"]));
            argv.push(self.small_index());
            argv.push(self.small_index());
        }
    }

    pub(super) fn zset_command(&mut self) -> (Argv, Mode) {
        let exact = Mode::Exact;
        let choice = self.rng.below(45);
        if choice == 44 {
            return (self.blocking_pop(), exact);
        }
        if choice >= 42 {
            // Fills come back often: the pops and removals above empty sets quickly.
            return (self.zset_fill(), exact);
        }
        if choice >= 27 {
            let argv = self.zset_breadth_command(choice - 27);
            let mode = default_mode(&argv);
            return (argv, mode);
        }
        match choice {
            0..=5 => {
                let mut argv = vec![self.name("zadd"), self.zkey()];
                for _ in 0..self.rng.below(3) {
                    argv.push(self.text(&["NX", "XX", "GT", "LT", "CH", "INCR", "ch", "incr"]));
                }
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.score());
                    argv.push(self.member());
                }
                (argv, exact)
            }
            6 | 7 => (
                vec![
                    self.name("zincrby"),
                    self.zkey(),
                    self.score(),
                    self.member(),
                ],
                exact,
            ),
            8 => (vec![self.name("zscore"), self.zkey(), self.member()], exact),
            9..=12 => (self.zrange(), exact),
            13 => {
                let mut argv = vec![
                    self.name("zrevrange"),
                    self.zkey(),
                    self.small_index(),
                    self.small_index(),
                ];
                if self.rng.chance(50) {
                    argv.push(self.text(&["WITHSCORES", "withscores", "LIMIT"]));
                }
                (argv, exact)
            }
            14 | 15 => (
                vec![
                    self.name_of(&["zrank", "zrevrank"]),
                    self.zkey(),
                    self.member(),
                ],
                exact,
            ),
            16 => (vec![self.name("zcard"), self.zkey()], exact),
            17 | 18 => {
                let mut argv = vec![self.name("zrem"), self.zkey()];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.member());
                }
                (argv, exact)
            }
            19 => (self.zset_fill(), exact),
            20..=22 => {
                let name = self.name_of(&["zrangebylex", "zrevrangebylex"]);
                let mut argv = vec![name, self.zkey(), self.lex_bound(), self.lex_bound()];
                self.maybe_limit(&mut argv);
                (argv, exact)
            }
            23 | 24 => (
                vec![
                    self.name("zlexcount"),
                    self.zkey(),
                    self.lex_bound(),
                    self.lex_bound(),
                ],
                exact,
            ),
            _ => (
                vec![
                    self.name("zremrangebylex"),
                    self.zkey(),
                    self.lex_bound(),
                    self.lex_bound(),
                ],
                exact,
            ),
        }
    }

    /// The sorted-set commands past the basics, `which` in `0..15`: ZRANGEBYSCORE and its reverse,
    /// ZCOUNT, ZMSCORE, ZPOPMIN/ZPOPMAX, ZMPOP, ZRANGESTORE, ZREMRANGEBYRANK/SCORE, ZUNION, ZINTER,
    /// ZDIFF (and STORE), ZINTERCARD, ZRANDMEMBER, ZSCAN.
    fn zset_breadth_command(&mut self, which: usize) -> Argv {
        match which {
            0 | 1 => {
                let name = self.name_of(&["zrangebyscore", "zrevrangebyscore"]);
                let mut argv = vec![name, self.zkey(), self.text(RANGE_BOUNDS)];
                argv.push(self.text(RANGE_BOUNDS));
                if self.rng.chance(40) {
                    argv.push(self.text(&["WITHSCORES", "withscores"]));
                }
                self.maybe_limit(&mut argv);
                argv
            }
            2 => {
                let (min, max) = (self.text(RANGE_BOUNDS), self.text(RANGE_BOUNDS));
                vec![self.name("zcount"), self.zkey(), min, max]
            }
            3 => {
                let mut argv = vec![self.name("zmscore"), self.zkey()];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.member());
                }
                argv
            }
            4 | 5 => {
                let mut argv = vec![self.name_of(&["zpopmin", "zpopmax"]), self.zkey()];
                if self.rng.chance(50) {
                    argv.push(self.small_index());
                }
                argv
            }
            6 => {
                let mut argv = vec![self.name("zmpop")];
                self.push_keys(&mut argv);
                argv.push(self.text(&["MIN", "MAX", "min", "max", "MID"]));
                if self.rng.chance(50) {
                    argv.push(self.text(&["COUNT", "count"]));
                    argv.push(self.small_index());
                }
                argv
            }
            7 => {
                // ZRANGE's arguments after its name and key, behind a destination and a source.
                let mut argv = self.zrange();
                argv[0] = self.name("zrangestore");
                argv.insert(1, self.zkey());
                argv.retain(|a| !a.eq_ignore_ascii_case(b"withscores") || self.rng.chance(10));
                argv
            }
            8 => {
                let name = self.name_of(&["zremrangebyrank", "zremrangebyscore"]);
                let (a, b) = if name.eq_ignore_ascii_case(b"zremrangebyrank") {
                    (self.small_index(), self.small_index())
                } else {
                    (self.text(RANGE_BOUNDS), self.text(RANGE_BOUNDS))
                };
                vec![name, self.zkey(), a, b]
            }
            13 => {
                let mut argv = vec![self.name("zrandmember"), self.zkey()];
                if self.rng.chance(70) {
                    // Never a large negative count: Redis would stream that many members.
                    argv.push(match self.rng.below(10) {
                        0 => self.text(&["x", "-9223372036854775808", "9223372036854775807", ""]),
                        1 => self.text(&["129", "130", "200", "-140"]),
                        _ => (self.rng.below(21) as i64 - 10).to_string().into_bytes(),
                    });
                    if self.rng.chance(50) {
                        argv.push(self.text(&["WITHSCORES", "withscores", "WITHVALUES"]));
                    }
                }
                argv
            }
            14 => {
                let cursor = match self.rng.below(4) {
                    0..=2 => b"0".to_vec(),
                    _ => self.integer(),
                };
                let mut argv = vec![self.name("zscan"), self.zkey(), cursor];
                for _ in 0..self.rng.below(3) {
                    match self.rng.below(3) {
                        0 => {
                            argv.push(self.text(&["COUNT", "count"]));
                            argv.push(self.small_index());
                        }
                        1 => {
                            argv.push(self.text(&["MATCH", "match"]));
                            argv.push(self.text(&["*", "m1*", "*a*", "l*", "[ab]", ""]));
                        }
                        _ => argv.push(self.text(&["TYPE", "FOO", "COUNT"])),
                    }
                }
                argv
            }
            9 => {
                let mut argv = vec![self.name("zintercard")];
                self.push_keys(&mut argv);
                if self.rng.chance(50) {
                    argv.push(self.text(&["LIMIT", "limit"]));
                    argv.push(self.small_index());
                }
                argv
            }
            10..=12 => {
                let op = *self.rng.pick(&["zunion", "zinter", "zdiff"]);
                let store = self.rng.chance(50);
                let mut argv = if store {
                    vec![self.name(&format!("{op}store")), self.zkey()]
                } else {
                    vec![self.name(op)]
                };
                let keys = self.push_keys(&mut argv);
                if self.rng.chance(40) {
                    argv.push(self.text(&["WEIGHTS", "weights"]));
                    // Usually one weight per key, now and then one too few.
                    for _ in 0..keys.saturating_sub(usize::from(self.rng.chance(10))) {
                        let weight = match self.rng.below(4) {
                            0 => self.score(),
                            _ => self.text(&["1", "2", "0", "-1", "0.5", "inf", "-inf", "-0"]),
                        };
                        argv.push(weight);
                    }
                }
                if self.rng.chance(40) {
                    argv.push(self.text(&["AGGREGATE", "aggregate"]));
                    argv.push(self.text(&["SUM", "MIN", "MAX", "min", "avg"]));
                }
                if !store && self.rng.chance(50) {
                    argv.push(self.text(&["WITHSCORES", "withscores"]));
                }
                argv
            }
            _ => unreachable!("zset_breadth_command takes 0..15"),
        }
    }

    /// BZPOPMIN, BZPOPMAX or BZMPOP, mostly on [`BIG_ZSET`] (which usually has members) and
    /// with timeouts of a few milliseconds: one with nothing to pop makes Redis wait until the
    /// timeout (a tenth of a second with its cron), where the engine — a client that may not
    /// block here — answers the same nil at once. Never a timeout of 0: Redis would wait for ever.
    fn blocking_pop(&mut self) -> Argv {
        let timeout = match self.rng.below(20) {
            0 => self.text(&["x", "-1", "inf", "", "1e400", "-0.5"]),
            _ => self.text(&["0.01", "0.02", "0.005"]),
        };
        let key = |gen: &mut Gen| {
            if gen.rng.chance(70) {
                BIG_ZSET.to_vec()
            } else {
                gen.zkey()
            }
        };
        if self.rng.chance(30) {
            let mut argv = vec![self.name("bzmpop"), timeout];
            let keys = 1 + self.rng.below(2);
            argv.push(keys.to_string().into_bytes());
            for _ in 0..keys {
                argv.push(key(self));
            }
            argv.push(self.text(&["MIN", "MAX", "max"]));
            if self.rng.chance(50) {
                argv.push(self.text(&["COUNT", "count"]));
                argv.push(self.text(&["1", "3", "0", "200"]));
            }
            return argv;
        }
        let mut argv = vec![self.name_of(&["bzpopmin", "bzpopmax"])];
        for _ in 0..1 + self.rng.below(2) {
            argv.push(key(self));
        }
        argv.push(timeout);
        argv
    }

    /// `numkeys` and that many sorted-set keys, now and then a set's (or a wrong count); returns
    /// the count.
    fn push_keys(&mut self, argv: &mut Argv) -> usize {
        let keys = 1 + self.rng.below(3);
        let said = match self.rng.below(20) {
            0 => self.text(&["0", "-1", "x", "4"]),
            _ => keys.to_string().into_bytes(),
        };
        argv.push(said);
        for _ in 0..keys {
            // Sets take part in ZUNION and its kin (their members score 1).
            let key = if self.rng.chance(15) {
                self.bytes(SET_KEYS)
            } else {
                self.zkey()
            };
            argv.push(key);
        }
        keys
    }

    /// A ZADD of 40 to 140 numbered members at a few mixed scores (ties and different ones):
    /// two of them take a set past the listpack's 128 entries.
    fn zset_fill(&mut self) -> Argv {
        let key = if self.rng.chance(50) {
            BIG_ZSET.to_vec()
        } else {
            self.bytes(ZSET_KEYS)
        };
        let mut argv = vec![self.name("zadd"), key];
        let scores = 1 + self.rng.below(6);
        for _ in 0..40 + self.rng.below(101) {
            argv.push((self.rng.below(scores) as i64 - 2).to_string().into_bytes());
            argv.push(format!("m{}", self.rng.below(150)).into_bytes());
        }
        argv
    }

    fn zrange(&mut self) -> Argv {
        let mut argv = vec![self.name("zrange"), self.zkey()];
        let by = self.rng.below(3);
        match by {
            0 => {
                argv.push(self.small_index());
                argv.push(self.small_index());
            }
            1 => {
                argv.push(self.text(RANGE_BOUNDS));
                argv.push(self.text(RANGE_BOUNDS));
                argv.push(self.text(&["BYSCORE", "byscore"]));
            }
            _ => {
                argv.push(self.lex_bound());
                argv.push(self.lex_bound());
                argv.push(self.text(&["BYLEX", "bylex"]));
            }
        }
        for _ in 0..self.rng.below(3) {
            match self.rng.below(5) {
                0 => argv.push(b"REV".to_vec()),
                1 | 2 => {
                    argv.push(b"LIMIT".to_vec());
                    argv.push(self.small_index());
                    argv.push(self.small_index());
                }
                3 => argv.push(b"WITHSCORES".to_vec()),
                _ => argv.push(self.text(&["BYSCORE", "BYLEX", "FOO", "LIMIT"])),
            }
        }
        argv
    }
}
