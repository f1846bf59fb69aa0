//! The generator's string and bit commands beyond GET/SET/INCR. Offsets are small, or past Redis'
//! 512 MB limit, never in between: Redis would allocate what they ask for (and the engine, under
//! its byte limit, refuse).

use super::{Argv, Gen, Mode, STRING_KEYS};

impl Gen {
    /// The string commands beyond GET/SET/INCR: SETNX, SETEX, PSETEX, GETEX, MSET, MSETNX, MGET,
    /// APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE, LCS.
    pub(super) fn string_command(&mut self) -> (Argv, Mode) {
        let exact = Mode::Exact;
        let argv = match self.rng.below(20) {
            0 => vec![self.name("setnx"), self.key(STRING_KEYS), self.value()],
            1 => vec![
                self.name("setex"),
                self.key(STRING_KEYS),
                self.rel_seconds(),
                self.value(),
            ],
            2 => vec![
                self.name("psetex"),
                self.key(STRING_KEYS),
                self.rel_millis(),
                self.value(),
            ],
            3 | 4 => self.getex(),
            5 | 6 => {
                let mut argv = vec![self.name_of(&["mset", "msetnx"])];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.key(STRING_KEYS));
                    argv.push(self.value());
                }
                argv
            }
            7 => {
                let mut argv = vec![self.name("mget")];
                for _ in 0..1 + self.rng.below(4) {
                    argv.push(self.any_key());
                }
                argv
            }
            8 | 9 => vec![self.name("append"), self.key(STRING_KEYS), self.value()],
            10 => vec![self.name("strlen"), self.key(STRING_KEYS)],
            11 | 12 => vec![
                self.name_of(&["getrange", "substr"]),
                self.key(STRING_KEYS),
                self.small_index(),
                self.small_index(),
            ],
            13..=15 => vec![
                self.name("setrange"),
                self.key(STRING_KEYS),
                self.offset(),
                self.value(),
            ],
            _ => {
                let mut argv = vec![
                    self.name("lcs"),
                    self.key(STRING_KEYS),
                    self.key(STRING_KEYS),
                ];
                for _ in 0..self.rng.below(4) {
                    match self.rng.below(6) {
                        0 => argv.push(self.text(&["LEN", "len"])),
                        1 | 2 => argv.push(self.text(&["IDX", "idx"])),
                        3 => argv.push(b"WITHMATCHLEN".to_vec()),
                        4 => {
                            argv.push(b"MINMATCHLEN".to_vec());
                            argv.push(self.small_index());
                        }
                        _ => argv.push(self.text(&["MINMATCHLEN", "FOO"])),
                    }
                }
                argv
            }
        };
        (argv, exact)
    }

    fn getex(&mut self) -> Argv {
        let mut argv = vec![self.name("getex"), self.key(STRING_KEYS)];
        for _ in 0..self.rng.below(3) {
            match self.rng.below(7) {
                // GETEX deletes a key whose EXAT/PXAT time is past, at once: past times are fine.
                0..=3 => argv.extend(self.expire_option(true)),
                4 | 5 => argv.push(self.text(&["PERSIST", "persist"])),
                _ => argv.push(self.text(&["KEEPTTL", "NX", "EX", "GET"])),
            }
        }
        argv
    }

    /// A SETRANGE byte offset: see [`Gen::offset_below`].
    fn offset(&mut self) -> Vec<u8> {
        self.offset_below(
            80,
            536_870_912,
            &["536870912", "4294967296", "9223372036854775807", "-1"],
        )
    }

    /// An offset: mostly below `small`, sometimes one of `odd` or any integer, but never one
    /// between 100,000 and `limit` (Redis' limit for it), which would make Redis allocate
    /// megabytes (or the engine refuse it).
    fn offset_below(&mut self, small: usize, limit: i64, odd: &[&str]) -> Vec<u8> {
        match self.rng.below(10) {
            0..=6 => self.rng.below(small).to_string().into_bytes(),
            7 => self.text(odd),
            _ => {
                let n = self.integer();
                match std::str::from_utf8(&n)
                    .ok()
                    .and_then(|t| t.parse::<i64>().ok())
                {
                    Some(v) if (100_000..limit).contains(&v) => {
                        (v % small as i64).to_string().into_bytes()
                    }
                    _ => n,
                }
            }
        }
    }

    /// SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.
    pub(super) fn bit_command(&mut self) -> (Argv, Mode) {
        let argv = match self.rng.below(16) {
            0..=2 => vec![
                self.name("setbit"),
                self.key(STRING_KEYS),
                self.bit_offset(),
                self.text(&["0", "1", "1", "0", "2", "-1", "x"]),
            ],
            3 | 4 => vec![
                self.name("getbit"),
                self.key(STRING_KEYS),
                self.bit_offset(),
            ],
            5..=7 => {
                let name = self.name_of(&["bitcount", "bitpos"]);
                let mut argv = vec![name.clone(), self.key(STRING_KEYS)];
                if name.eq_ignore_ascii_case(b"bitpos") {
                    argv.push(self.text(&["0", "1", "1", "0", "2"]));
                }
                for _ in 0..self.rng.below(4) {
                    argv.push(self.small_index());
                }
                if self.rng.chance(40) {
                    argv.push(self.text(&["BIT", "BYTE", "bit", "FOO"]));
                }
                argv
            }
            8 | 9 => {
                let op = self.text(&["AND", "OR", "XOR", "NOT", "and", "not", "NAND"]);
                let mut argv = vec![self.name("bitop"), op, self.key(STRING_KEYS)];
                for _ in 0..1 + self.rng.below(3) {
                    argv.push(self.key(STRING_KEYS));
                }
                argv
            }
            _ => {
                let mut argv = vec![
                    self.name_of(&["bitfield", "bitfield", "bitfield_ro"]),
                    self.key(STRING_KEYS),
                ];
                for _ in 0..self.rng.below(4) {
                    match self.rng.below(8) {
                        0 => {
                            argv.push(b"OVERFLOW".to_vec());
                            argv.push(self.text(&["WRAP", "SAT", "FAIL", "fail", "FOO"]));
                        }
                        1..=3 => {
                            argv.push(self.text(&["GET", "get"]));
                            argv.push(self.field_type());
                            argv.push(self.field_offset());
                        }
                        4..=6 => {
                            argv.push(self.text(&["SET", "INCRBY", "incrby"]));
                            argv.push(self.field_type());
                            argv.push(self.field_offset());
                            argv.push(self.integer());
                        }
                        _ => argv.push(self.text(&["GET", "SET", "FOO", "OVERFLOW"])),
                    }
                }
                argv
            }
        };
        (argv, Mode::Exact)
    }

    /// A SETBIT/GETBIT bit offset: see [`Gen::offset_below`].
    fn bit_offset(&mut self) -> Vec<u8> {
        let odd = ["4294967296", "-1", "9223372036854775807", "#3", "abc"];
        self.offset_below(200, 4_294_967_296, &odd)
    }

    /// A BITFIELD type: mostly valid (`i1`..`i64`, `u1`..`u63`), sometimes not.
    fn field_type(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=3 => format!("i{}", 1 + self.rng.below(64)).into_bytes(),
            4..=7 => format!("u{}", 1 + self.rng.below(63)).into_bytes(),
            _ => self.text(&["u64", "i65", "i0", "I8", "x8", "i08", "u", ""]),
        }
    }

    /// A BITFIELD offset: small, `#n`, or past the limit.
    fn field_offset(&mut self) -> Vec<u8> {
        match self.rng.below(10) {
            0..=5 => self.rng.below(100).to_string().into_bytes(),
            6..=8 => format!("#{}", self.rng.below(5)).into_bytes(),
            _ => self.text(&["4294967296", "-1", "#-1", "#4294967296", "x"]),
        }
    }
}
