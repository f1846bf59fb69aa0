//! The generator's HyperLogLog commands: PFADD of a few or a few hundred elements (so a key goes
//! from sparse to dense during a run), PFCOUNT of one to three keys (the cache, the merge), PFMERGE
//! and PFDEBUG. String commands reach these keys too, now and then, and corrupt them.

use super::{Argv, Gen, Mode, STRING_KEYS};

/// Keys HyperLogLog commands prefer.
pub const HLL_KEYS: &[&[u8]] = &[b"hll1", b"hll2"];

impl Gen {
    fn hll_key(&mut self) -> Vec<u8> {
        if self.rng.chance(85) {
            self.bytes(HLL_KEYS)
        } else {
            self.key(STRING_KEYS)
        }
    }

    fn hll_element(&mut self) -> Vec<u8> {
        match self.rng.below(4) {
            0 => self.value(),
            _ => format!("user:{}", self.rng.below(100_000)).into_bytes(),
        }
    }

    /// One HyperLogLog command and its comparison mode.
    pub(super) fn hll_command(&mut self) -> (Argv, Mode) {
        let mut argv = match self.rng.below(10) {
            0..=4 => {
                let mut argv = vec![self.name("pfadd"), self.hll_key()];
                let n = if self.rng.chance(20) {
                    100 + self.rng.below(400)
                } else {
                    self.rng.below(4)
                };
                for _ in 0..n {
                    argv.push(self.hll_element());
                }
                argv
            }
            5..=7 => vec![self.name("pfcount")],
            8 => vec![self.name("pfmerge")],
            _ => {
                let sub = self.text(&["ENCODING", "DECODE", "TODENSE", "GETREG", "getreg", "FOO"]);
                vec![self.name("pfdebug"), sub]
            }
        };
        if argv.len() == 1 || argv[0].eq_ignore_ascii_case(b"pfdebug") {
            let keys = if argv.len() == 1 {
                1 + self.rng.below(3)
            } else {
                1
            };
            for _ in 0..keys {
                let key = self.hll_key();
                argv.push(key);
            }
        }
        (argv, Mode::Exact)
    }
}
