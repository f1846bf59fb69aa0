//! The virtual clock: the only time the browser's engine knows. It runs at a chosen multiple of real
//! time, can be paused, and can be fast-forwarded, so a learner can watch a 60-second window expire in
//! a few seconds.

use leptos::prelude::*;

/// The speeds a learner can pick, as multiples of real time.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

/// The fast-forward steps offered, in seconds.
pub const FAST_FORWARD_SECONDS: [i64; 3] = [1, 10, 60];

/// How often the clock ticks, in real milliseconds.
pub const TICK_MS: u32 = 100;

/// The longest real gap one tick accounts for, in milliseconds: a laptop waking from sleep must not
/// expire every key at once.
pub const MAX_TICK_GAP_MS: f64 = 1_000.0;

/// Virtual time as reactive state, shared through Leptos context (`expect_context::<VirtualClock>()`).
#[derive(Clone, Copy, Debug)]
pub struct VirtualClock {
    /// Virtual milliseconds elapsed since the page started.
    pub elapsed_ms: RwSignal<i64>,
    /// Whether time flows on its own (fast-forward works either way).
    pub running: RwSignal<bool>,
    /// Multiple of real time at which virtual time flows, one of [`SPEEDS`].
    pub speed: RwSignal<u32>,
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl VirtualClock {
    /// A running clock at 0 ms and real speed.
    pub fn new() -> Self {
        Self {
            elapsed_ms: RwSignal::new(0),
            running: RwSignal::new(true),
            speed: RwSignal::new(1),
        }
    }

    /// Moves virtual time forward by `ms` (negative values are ignored; the sum saturates).
    pub fn advance(&self, ms: i64) {
        if ms > 0 {
            self.elapsed_ms.update(|t| *t = t.saturating_add(ms));
        }
    }

    /// Accounts for `real_ms` of real time having passed: advances by `real_ms × speed` while running.
    /// The gap is capped at [`MAX_TICK_GAP_MS`]; NaN and negative gaps count as zero.
    pub fn tick(&self, real_ms: f64) {
        if !self.running.get_untracked() {
            return;
        }
        let gap = if real_ms.is_finite() {
            real_ms.clamp(0.0, MAX_TICK_GAP_MS)
        } else {
            0.0
        };
        // At most 1 000 ms × 60: far inside i64, and `as` saturates anyway.
        let virtual_ms = (gap * f64::from(self.speed.get_untracked())).round() as i64;
        self.advance(virtual_ms);
    }
}

/// Formats elapsed virtual time as `HH:MM:SS.t` (tenths), e.g. `00:01:05.3`. Negative input shows as 0.
pub fn format_elapsed(ms: i64) -> String {
    let ms = ms.max(0);
    let tenths = (ms / 100) % 10;
    let total_seconds = ms / 1_000;
    let (hours, minutes, seconds) = (
        total_seconds / 3_600,
        (total_seconds / 60) % 60,
        total_seconds % 60,
    );
    format!("{hours:02}:{minutes:02}:{seconds:02}.{tenths}")
}
