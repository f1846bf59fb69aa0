//! The event queue: a timing wheel of 1 µs slots, with a heap for the far future.
//!
//! Simulated time never goes back, and almost every event is due within a few milliseconds of
//! "now" (a network hop, a think time). A wheel puts such an event in the slot of its microsecond:
//! O(1) to push and pop, with memory touched in time order. A binary heap of a million events, by
//! contrast, spends its time in cache misses. Events further away than the wheel's span (long
//! back-offs, late arrivals) wait in a binary heap, and each pop compares the two heads, so the
//! order is exactly (time, sequence) whatever path an event took.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// The wheel's span in µs (a power of two).
const SPAN: u64 = 1 << 13;

/// An event in the far-future heap; ordered by (time, seq) only.
#[derive(Debug, Clone)]
struct Far<T> {
    time: u64,
    seq: u64,
    value: T,
}

impl<T> PartialEq for Far<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl<T> Eq for Far<T> {}
impl<T> PartialOrd for Far<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Far<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// A min-queue of `T` by (time, sequence). Pushes must not go below the time last popped, and
/// sequence numbers must increase with every push — both hold in a simulation.
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    /// Slot `t % SPAN` holds the wheel's events at time `t`, in push (= sequence) order.
    slots: Vec<VecDeque<(u64, T)>>,
    /// Every event in the wheel has a time in `base .. base + SPAN`; `base` ≤ the time last popped.
    base: u64,
    in_wheel: usize,
    far: BinaryHeap<Reverse<Far<T>>>,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            slots: (0..SPAN).map(|_| VecDeque::new()).collect(),
            base: 0,
            in_wheel: 0,
            far: BinaryHeap::new(),
        }
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> EventQueue<T> {
        EventQueue::default()
    }

    /// Number of queued events.
    pub fn len(&self) -> usize {
        self.in_wheel + self.far.len()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues `value` at `time` with sequence number `seq`.
    pub fn push(&mut self, time: u64, seq: u64, value: T) {
        let time = time.max(self.base);
        if time < self.base + SPAN {
            self.slots[(time % SPAN) as usize].push_back((seq, value));
            self.in_wheel += 1;
        } else {
            self.far.push(Reverse(Far { time, seq, value }));
        }
    }

    /// The first non-empty wheel slot's time, not looking past `limit`.
    fn wheel_next(&self, limit: Option<u64>) -> Option<u64> {
        if self.in_wheel == 0 {
            return None;
        }
        let end = limit.map_or(self.base + SPAN, |l| l.min(self.base + SPAN - 1) + 1);
        (self.base..end).find(|t| !self.slots[(t % SPAN) as usize].is_empty())
    }

    /// The (time, seq) of the next event.
    pub fn peek(&self) -> Option<(u64, u64)> {
        let far = self.far.peek().map(|Reverse(f)| (f.time, f.seq));
        let wheel = self.wheel_next(far.map(|f| f.0)).and_then(|t| {
            self.slots[(t % SPAN) as usize]
                .front()
                .map(|(seq, _)| (t, *seq))
        });
        match (wheel, far) {
            (Some(w), Some(f)) => Some(w.min(f)),
            (w, f) => w.or(f),
        }
    }

    /// Removes the next event: (time, seq, value).
    pub fn pop(&mut self) -> Option<(u64, u64, T)> {
        let far = self.far.peek().map(|Reverse(f)| (f.time, f.seq));
        // Move `base` to the next busy slot, but never past the far heap's head: pushes after
        // that pop may land anywhere from its time on.
        let limit = far.map(|f| f.0);
        while self.in_wheel > 0
            && self.slots[(self.base % SPAN) as usize].is_empty()
            && limit.is_none_or(|l| self.base < l)
        {
            self.base += 1;
        }
        let slot = (self.base % SPAN) as usize;
        let wheel = self.slots[slot].front().map(|(seq, _)| (self.base, *seq));
        let take_wheel = match (wheel, far) {
            (Some(w), Some(f)) => w < f,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        if take_wheel {
            let (seq, value) = self.slots[slot].pop_front()?;
            self.in_wheel -= 1;
            Some((self.base, seq, value))
        } else {
            let Reverse(f) = self.far.pop()?;
            if self.in_wheel == 0 {
                self.base = self.base.max(f.time);
            }
            Some((f.time, f.seq, f.value))
        }
    }

    /// Every queued event as (time, value), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> + '_ {
        let base = self.base;
        let wheel = self.slots.iter().enumerate().flat_map(move |(i, slot)| {
            // The slot's time is the one in base .. base + SPAN with this remainder.
            let offset = (i as u64 + SPAN - base % SPAN) % SPAN;
            slot.iter().map(move |(_, v)| (base + offset, v))
        });
        wheel.chain(self.far.iter().map(|Reverse(f)| (f.time, &f.value)))
    }
}

#[cfg(test)]
mod tests {
    use super::{EventQueue, SPAN};
    use crate::simulation::Rng;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    #[test]
    fn pops_in_time_then_sequence_order_like_a_binary_heap() {
        let mut rng = Rng::new(3);
        let mut queue = EventQueue::new();
        let mut reference = BinaryHeap::new();
        let (mut now, mut seq) = (0u64, 0u64);
        for round in 0..50_000u64 {
            if rng.below(3) > 0 || queue.is_empty() {
                // Mostly near events, some far beyond the wheel, some at the same instant.
                let delay = match rng.below(10) {
                    0 => rng.below(SPAN * 4),
                    2 => rng.below(100_000_000),
                    1 => 0,
                    _ => rng.below(700),
                };
                seq += 1;
                queue.push(now + delay, seq, round);
                reference.push(Reverse((now + delay, seq, round)));
            } else {
                let Reverse(want) = reference.pop().expect("not empty");
                assert_eq!(queue.peek(), Some((want.0, want.1)));
                let got = queue.pop().expect("not empty");
                assert_eq!(got, want);
                now = got.0;
            }
            assert_eq!(queue.len(), reference.len());
        }
        let times: Vec<u64> = queue.iter().map(|(t, _)| t).collect();
        let mut want: Vec<u64> = reference.iter().map(|Reverse((t, _, _))| *t).collect();
        let mut times_sorted = times.clone();
        times_sorted.sort_unstable();
        want.sort_unstable();
        assert_eq!(times_sorted, want);
    }
}
