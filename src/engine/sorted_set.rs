//! The sorted-set type: members ordered by score, then by member bytes.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

/// A score with the total order Redis uses among scores (never NaN; -0 equals 0).
#[derive(Clone, Copy, Debug)]
pub struct Score(pub f64);

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Score {}
impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

/// A sorted set: member → score, iterable in Redis' order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SortedSet {
    scores: HashMap<Vec<u8>, f64>,
    order: BTreeSet<(Score, Vec<u8>)>,
    bytes: usize,
}

const PER_MEMBER_BYTES: usize = 48;

impl SortedSet {
    /// An empty sorted set.
    pub fn new() -> SortedSet {
        SortedSet::default()
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// True when there is no member (such a set never stays in the keyspace).
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Sets `member`'s score; true when the member is new.
    pub fn insert(&mut self, member: &[u8], score: f64) -> bool {
        match self.scores.get_mut(member) {
            Some(old) => {
                if Score(*old) != Score(score) || old.to_bits() != score.to_bits() {
                    self.order.remove(&(Score(*old), member.to_vec()));
                    *old = score;
                    self.order.insert((Score(score), member.to_vec()));
                }
                false
            }
            None => {
                self.scores.insert(member.to_vec(), score);
                self.order.insert((Score(score), member.to_vec()));
                self.bytes += PER_MEMBER_BYTES + 2 * member.len();
                true
            }
        }
    }

    /// Removes `member`; true when it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self.scores.remove(member) {
            Some(score) => {
                self.order.remove(&(Score(score), member.to_vec()));
                self.bytes -= PER_MEMBER_BYTES + 2 * member.len();
                true
            }
            None => false,
        }
    }

    /// Members with their scores, lowest score first (ties by member bytes).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> + '_ {
        self.order.iter().map(|(s, m)| (m.as_slice(), s.0))
    }

    /// Estimated bytes (payload plus a fixed overhead per member).
    pub fn approx_bytes(&self) -> usize {
        32 + self.bytes
    }
}
