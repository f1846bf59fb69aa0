//! The event queue: a timing wheel of 1 µs slots, with a heap for the far future.
//!
//! Simulated time never goes back, and almost every event is due within a few milliseconds of
//! "now" (a network hop, a think time). A wheel puts such an event in the slot of its microsecond:
//! O(1) to push and pop, with memory touched in time order. A binary heap of a million events, by
//! contrast, spends its time in cache misses. A bitmap of the busy slots finds the next event
//! without visiting empty slots one by one. Events further away than the wheel's span (long
//! back-offs, late arrivals) wait in a binary heap.
//!
//! The order is exactly (time, sequence) whatever path an event took, yet the wheel stores no
//! sequence numbers: a slot is first-in first-out, and at equal times a heap event always came
//! first. (It was pushed when its time lay beyond `base + SPAN`, a wheel event at that time when
//! it lay within; `base` only grows, so the heap event was pushed earlier.)

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The wheel's span in µs (a power of two, and a multiple of 64: the bitmap's words).
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
    slots: Vec<Vec<T>>,
    /// Events of slot `base % SPAN` already popped (a slot is emptied once all are).
    head: usize,
    /// Bit `i % 64` of word `i / 64` is set when slot `i` holds an event not yet popped.
    busy: Vec<u64>,
    /// Every event in the wheel has a time in `base .. base + SPAN`; `base` ≤ the time last popped.
    base: u64,
    in_wheel: usize,
    far: BinaryHeap<Reverse<Far<T>>>,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            slots: (0..SPAN).map(|_| Vec::new()).collect(),
            head: 0,
            busy: vec![0; (SPAN / 64) as usize],
            base: 0,
            in_wheel: 0,
            far: BinaryHeap::new(),
        }
    }
}

impl<T: Copy> EventQueue<T> {
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
    #[inline(always)]
    pub fn push(&mut self, time: u64, seq: u64, value: T) {
        let time = time.max(self.base);
        if time < self.base.saturating_add(SPAN) {
            let index = (time % SPAN) as usize;
            if let (Some(slot), Some(word)) =
                (self.slots.get_mut(index), self.busy.get_mut(index / 64))
            {
                slot.push(value);
                *word |= 1 << (index % 64);
                self.in_wheel += 1;
                return;
            }
        }
        self.far.push(Reverse(Far { time, seq, value }));
    }

    /// The first time in `from .. end` whose slot is busy (`end - from` ≤ `SPAN`).
    #[inline(always)]
    fn next_busy(&self, from: u64, end: u64) -> Option<u64> {
        let mut t = from;
        while t < end {
            let index = (t % SPAN) as usize;
            let word = self.busy.get(index / 64)? >> (index % 64);
            if word != 0 {
                let found = t.saturating_add(u64::from(word.trailing_zeros()));
                return (found < end).then_some(found);
            }
            // The rest of this word is idle: go on at the next word's first slot.
            t = t.saturating_add(64 - (index % 64) as u64);
        }
        None
    }

    /// The time of the wheel's next event if it comes before every far event: the far heap's
    /// events go first at equal times (see the module's note).
    #[inline(always)]
    fn wheel_next(&self) -> Option<u64> {
        if self.in_wheel == 0 {
            return None;
        }
        let end = self.base.saturating_add(SPAN);
        let end = self.far.peek().map_or(end, |Reverse(f)| f.time.min(end));
        self.next_busy(self.base, end)
    }

    /// The time of the next event.
    pub fn peek(&self) -> Option<u64> {
        self.wheel_next()
            .or_else(|| self.far.peek().map(|Reverse(f)| f.time))
    }

    /// Removes the next event: (time, value).
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(u64, T)> {
        let Some(time) = self.wheel_next() else {
            let Reverse(f) = self.far.pop()?;
            // No wheel event is due before `f.time`, which becomes "now".
            self.base = self.base.max(f.time);
            return Some((f.time, f.value));
        };
        self.base = time;
        let index = (time % SPAN) as usize;
        let slot = self.slots.get_mut(index)?;
        let value = *slot.get(self.head)?;
        self.head += 1;
        self.in_wheel -= 1;
        if self.head == slot.len() {
            slot.clear();
            self.head = 0;
            if let Some(word) = self.busy.get_mut(index / 64) {
                *word &= !(1 << (index % 64));
            }
        }
        Some((time, value))
    }

    /// Every queued event as (time, value), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> + '_ {
        let base = self.base;
        let head = self.head;
        let wheel = self.slots.iter().enumerate().flat_map(move |(i, slot)| {
            // The slot's time is the one in base .. base + SPAN with this remainder.
            let offset = (i as u64 + SPAN - base % SPAN) % SPAN;
            let popped = if offset == 0 { head } else { 0 };
            slot.iter().skip(popped).map(move |v| (base + offset, v))
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
                assert_eq!(queue.peek(), Some(want.0));
                let got = queue.pop().expect("not empty");
                assert_eq!(got, (want.0, want.2));
                now = got.0;
            }
            assert_eq!(queue.len(), reference.len());
        }
        let times: Vec<u64> = queue.iter().map(|(t, _)| t).collect();
        // The end of time is a time like any other (a client told to wait forever).
        let mut end = EventQueue::new();
        for (seq, time) in [u64::MAX, u64::MAX - 3, u64::MAX].into_iter().enumerate() {
            end.push(time, seq as u64, seq);
        }
        end.push(u64::MAX - 1, 9, 9);
        let popped: Vec<(u64, usize)> = std::iter::from_fn(|| end.pop()).collect();
        assert_eq!(
            popped,
            [
                (u64::MAX - 3, 1),
                (u64::MAX - 1, 9),
                (u64::MAX, 0),
                (u64::MAX, 2)
            ]
        );
        let mut want: Vec<u64> = reference.iter().map(|Reverse((t, _, _))| *t).collect();
        let mut times_sorted = times.clone();
        times_sorted.sort_unstable();
        want.sort_unstable();
        assert_eq!(times_sorted, want);
    }
}
