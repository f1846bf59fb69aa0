//! The generator's list commands: pushes of a few elements (sometimes a few hundred), pops with
//! and without a count, reads and writes by index (small ones mostly, any integer now and then),
//! LINSERT / LREM / LPOS around elements the lists hold, and moves between lists (the same one
//! included).

use super::{Argv, Gen, Mode, HASH_KEYS, STRING_KEYS};

/// Keys list commands prefer.
pub const LIST_KEYS: &[&[u8]] = &[b"list1", b"list2"];

const ELEMENTS: &[&[u8]] = &[b"a", b"b", b"c", b"1", b"01", b"-1", b"", b"\x00\xff"];

impl Gen {
    fn list_key(&mut self) -> Vec<u8> {
        if self.rng.chance(85) {
            self.bytes(LIST_KEYS)
        } else {
            let others = [STRING_KEYS, HASH_KEYS].concat();
            self.bytes(&others)
        }
    }

    fn list_element(&mut self) -> Vec<u8> {
        if self.rng.chance(80) {
            self.bytes(ELEMENTS)
        } else {
            self.value()
        }
    }

    fn list_side(&mut self) -> Vec<u8> {
        self.text(&["LEFT", "RIGHT", "left", "right", "UP"])
    }

    /// One list command and its comparison mode.
    pub(super) fn list_command(&mut self) -> (Argv, Mode) {
        let key = self.list_key();
        let argv = match self.rng.below(17) {
            0..=3 => {
                let name = self.name_of(&["lpush", "rpush", "lpushx", "rpushx"]);
                let mut argv = vec![name, key];
                let n = if self.rng.chance(3) {
                    200 + self.rng.below(200)
                } else {
                    1 + self.rng.below(4)
                };
                for _ in 0..n {
                    argv.push(self.list_element());
                }
                argv
            }
            4 | 5 => {
                let name = self.name_of(&["lpop", "rpop"]);
                let mut argv = vec![name, key];
                if self.rng.chance(50) {
                    argv.push(self.small_index());
                }
                argv
            }
            6 => vec![self.name("llen"), key],
            7 => vec![self.name("lindex"), key, self.small_index()],
            8 => vec![
                self.name("lrange"),
                key,
                self.small_index(),
                self.small_index(),
            ],
            9 => vec![
                self.name("lset"),
                key,
                self.small_index(),
                self.list_element(),
            ],
            10 => {
                let place = self.text(&["BEFORE", "AFTER", "after", "AROUND"]);
                vec![
                    self.name("linsert"),
                    key,
                    place,
                    self.list_element(),
                    self.list_element(),
                ]
            }
            11 => vec![
                self.name("lrem"),
                key,
                self.small_index(),
                self.list_element(),
            ],
            12 => vec![
                self.name("ltrim"),
                key,
                self.small_index(),
                self.small_index(),
            ],
            13 => {
                let mut argv = vec![self.name("lpos"), key, self.list_element()];
                for _ in 0..self.rng.below(3) {
                    argv.push(self.text(&["RANK", "COUNT", "MAXLEN", "rank", "FOO"]));
                    argv.push(self.small_index());
                }
                argv
            }
            14 => {
                let to = self.list_key();
                let (from_side, to_side) = (self.list_side(), self.list_side());
                vec![self.name("lmove"), key, to, from_side, to_side]
            }
            15 => vec![self.name("rpoplpush"), key, self.list_key()],
            _ => {
                let n = 1 + self.rng.below(3);
                let mut argv = vec![self.name("lmpop"), n.to_string().into_bytes()];
                if self.rng.chance(10) {
                    argv[1] = self.small_index();
                }
                argv.push(key);
                for _ in 1..n {
                    argv.push(self.list_key());
                }
                argv.push(self.list_side());
                if self.rng.chance(50) {
                    argv.push(self.text(&["COUNT", "count", "FOO"]));
                    argv.push(self.small_index());
                }
                argv
            }
        };
        (argv, Mode::Exact)
    }
}
