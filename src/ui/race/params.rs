//! The flood's settings — client count, seed, the two strategies, how widely the arrivals spread,
//! likes per client and pipelining, and the playback speed — and their form in the page address, so that a shared link reproduces
//! the exact run.

use crate::simulation::StrategyKind;

/// The fewest clients a flood has.
pub const MIN_CLIENTS: usize = 2;
/// The most clients a flood has.
pub const MAX_CLIENTS: usize = 100_000;
/// The client counts offered as one-click presets.
pub const PRESETS: [usize; 5] = [2, 10, 1_000, 10_000, 100_000];
/// Playback speeds: simulated microseconds shown per real second (slowest first; the last two
/// are real time and twice as fast, for arrivals spread over seconds).
pub const SPEEDS: [u64; 14] = [
    100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
    1_000_000, 2_000_000,
];
/// How widely the clients' first requests spread, in ms: the offered windows (1 ms — a post
/// going viral — up to 10 s). With seed 1, GET-then-SET loses 998 / 919 / 519 / 96 of 1,000 likes
/// and 9,998 / 9,912 / 9,176 / 5,283 of 10,000; INCR none.
pub const SPREADS: [u64; 4] = [1, 100, 1_000, 10_000];
/// Likes per client offered (the first is the default, and the run of links older than the
/// setting).
pub const LIKES: [u32; 3] = [1, 10, 100];
/// The most likes a flood adds in all (clients × likes per client): a run's cost grows with it,
/// and a million is ten times the biggest one-like flood.
pub const MAX_TOTAL_LIKES: u64 = 1_000_000;
/// A run takes about this long to watch at the speed chosen for its size, in real seconds.
const WATCH_SECONDS: u64 = 8;

/// Everything that picks a flood and how fast it plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloodParams {
    /// Clients, each adding one like ([`MIN_CLIENTS`]–[`MAX_CLIENTS`]).
    pub clients: usize,
    /// The seed of the schedule (start instants, latencies, think times).
    pub seed: u64,
    /// The two strategies run side by side on the same schedule.
    pub kinds: [StrategyKind; 2],
    /// The window the clients start within, in ms, one of [`SPREADS`].
    pub spread_ms: u64,
    /// Likes each client adds, one of [`LIKES`] (clients × likes stay within [`MAX_TOTAL_LIKES`]).
    pub likes: u32,
    /// Whether clients pipeline their likes (see [`Likes`](crate::simulation::Likes)).
    pub pipelining: bool,
    /// Simulated µs per real second, one of [`SPEEDS`].
    pub speed: u64,
}

impl Default for FloodParams {
    /// 1,000 clients, seed 1, GET-then-SET against INCR, all starting within 1 ms.
    fn default() -> Self {
        FloodParams {
            clients: 1_000,
            seed: 1,
            kinds: [StrategyKind::Naive, StrategyKind::Atomic],
            spread_ms: SPREADS[0],
            likes: LIKES[0],
            pipelining: false,
            speed: auto_speed(1_000, SPREADS[0]),
        }
    }
}

/// The most likes per client of [`LIKES`] at or below `likes` that `clients` may add within
/// [`MAX_TOTAL_LIKES`] (1 at least).
pub fn fit_likes(clients: usize, likes: u32) -> u32 {
    LIKES
        .into_iter()
        .filter(|&l| l <= likes && (clients as u64).saturating_mul(u64::from(l)) <= MAX_TOTAL_LIKES)
        .max()
        .unwrap_or(LIKES[0])
}

/// The listed likes per client closest to `likes`.
pub fn snap_likes(likes: u64) -> u32 {
    LIKES
        .into_iter()
        .min_by_key(|&l| u64::from(l).abs_diff(likes))
        .unwrap_or(LIKES[0])
}

/// The speed at which a run of `clients` starting within `spread_ms` takes about [`WATCH_SECONDS`]
/// to watch: the server spends about 4 µs per client (two requests of 2 µs) after a few
/// milliseconds of start-up and network, plus however much longer than 1 ms the arrivals spread.
pub fn auto_speed(clients: usize, spread_ms: u64) -> u64 {
    auto_speed_for(clients, spread_ms, 1, false)
}

/// [`auto_speed`] for `likes` per client, pipelined or not: the server spends about 4 µs per like,
/// and a client that waits for each like adds about 2 ms (two round trips) per like after the first.
pub fn auto_speed_for(clients: usize, spread_ms: u64, likes: u32, pipelining: bool) -> u64 {
    let likes = u64::from(likes.max(1));
    let chained = if pipelining { 0 } else { likes - 1 };
    let run_us = 3_000u64
        .saturating_add((clients as u64).saturating_mul(likes).saturating_mul(4))
        .saturating_add(chained.saturating_mul(2_000))
        .saturating_add(spread_ms.saturating_sub(1).saturating_mul(1_000));
    let wanted = run_us / WATCH_SECONDS;
    SPEEDS
        .into_iter()
        .find(|&s| s >= wanted)
        .unwrap_or(SPEEDS[SPEEDS.len() - 1])
}

/// The listed speed closest to `speed`.
pub fn snap_speed(speed: u64) -> u64 {
    SPEEDS
        .into_iter()
        .min_by_key(|&s| s.abs_diff(speed))
        .unwrap_or(1_000)
}

/// The next listed speed up (`faster`) or down from `speed`, staying at the ends.
pub fn next_speed(speed: u64, faster: bool) -> u64 {
    let i = SPEEDS
        .iter()
        .position(|&s| s == snap_speed(speed))
        .unwrap_or(0);
    let j = if faster {
        (i + 1).min(SPEEDS.len() - 1)
    } else {
        i.saturating_sub(1)
    };
    SPEEDS[j]
}

/// A speed as the learner reads it: how many times slower than real time the run plays
/// (`1,000× slower`; the select is labelled "Slow motion"), or `real time`, `2× faster`.
pub fn speed_label(speed: u64) -> String {
    match speed {
        0..=999_999 => format!("{}× slower", group_digits(1_000_000 / speed.max(1))),
        1_000_000 => "real time".to_owned(),
        _ => format!("{}× faster", group_digits(speed / 1_000_000)),
    }
}

/// The listed spread closest to `spread_ms`.
pub fn snap_spread(spread_ms: u64) -> u64 {
    SPREADS
        .into_iter()
        .min_by_key(|&s| s.abs_diff(spread_ms))
        .unwrap_or(SPREADS[0])
}

/// A spread of [`SPREADS`] as the learner reads it: `1 ms`, `100 ms`, `1 s`, `10 s`.
pub fn spread_label(spread_ms: u64) -> String {
    if spread_ms < 1_000 {
        format!("{spread_ms} ms")
    } else {
        format!("{} s", group_digits(spread_ms / 1_000))
    }
}

/// `1234567` → `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// [`group_digits`] for signed numbers.
pub fn group_signed(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_digits(n.unsigned_abs()))
}

/// The query parameter names, in the order they are written (the lesson knows them too: they open
/// the race chapter). A link without `spread` (older than the setting) keeps the 1 ms of those days;
/// `likes` and `pipeline` are written only when not 1 and off, so a one-like run's link reads as
/// it did before them.
pub use crate::lesson::RACE_PARAMS as KEYS;

impl FloodParams {
    /// Settings from query parameters (`get("clients")` → its value); anything missing or invalid
    /// takes its default, numbers are clamped into range or snapped to the listed values, and a
    /// missing speed suits the client count and spread.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> FloodParams {
        let default = FloodParams::default();
        let clients = get("clients")
            .and_then(|v| v.trim().replace([',', '_'], "").parse::<u64>().ok())
            .map_or(default.clients, |n| {
                n.clamp(MIN_CLIENTS as u64, MAX_CLIENTS as u64) as usize
            });
        let seed = get("seed")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(default.seed);
        let kind = |key: &str, fallback: StrategyKind| {
            get(key)
                .and_then(|v| StrategyKind::from_slug(v.trim()))
                .unwrap_or(fallback)
        };
        let kinds = [
            kind("strategy", default.kinds[0]),
            kind("vs", default.kinds[1]),
        ];
        let spread_ms = get("spread")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(default.spread_ms, snap_spread);
        let likes = get("likes")
            .and_then(|v| v.trim().replace([',', '_'], "").parse::<u64>().ok())
            .map_or(default.likes, |l| fit_likes(clients, snap_likes(l)));
        let pipelining = get("pipeline").is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "1" | "on" | "true" | "yes"
            )
        });
        let speed = get("speed")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or_else(
                || auto_speed_for(clients, spread_ms, likes, pipelining),
                snap_speed,
            );
        FloodParams {
            clients,
            seed,
            kinds,
            spread_ms,
            likes,
            pipelining,
            speed,
        }
    }

    /// The settings as query parameters, named by [`KEYS`]: likes per client and pipelining only
    /// when they are not 1 and off.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![
            (KEYS[0], self.clients.to_string()),
            (KEYS[1], self.seed.to_string()),
            (KEYS[2], self.kinds[0].slug().to_owned()),
            (KEYS[3], self.kinds[1].slug().to_owned()),
            (KEYS[4], self.spread_ms.to_string()),
            (KEYS[5], self.speed.to_string()),
        ];
        if self.likes != LIKES[0] {
            query.push((KEYS[6], self.likes.to_string()));
        }
        if self.pipelining {
            query.push((KEYS[7], "1".to_owned()));
        }
        query
    }

    /// What identifies the run itself (everything but the speed): a change rebuilds the run.
    pub fn run_key(&self) -> (usize, u64, [StrategyKind; 2], u64, u32, bool) {
        (
            self.clients,
            self.seed,
            self.kinds,
            self.spread_ms,
            self.likes,
            self.pipelining,
        )
    }

    /// The likes the run adds in all, if none is lost: the counter it should end at.
    pub fn total_likes(&self) -> i64 {
        (self.clients as i64).saturating_mul(i64::from(self.likes))
    }

    /// Side `i`'s workload.
    pub fn workload(&self, i: usize) -> crate::simulation::Likes {
        let kind = self.kinds[i.min(1)];
        crate::simulation::Likes::new(kind, self.likes, self.pipelining)
    }

    /// A speed that suits the run's size, spread, likes and pipelining ([`auto_speed_for`]).
    pub fn suited_speed(&self) -> u64 {
        auto_speed_for(self.clients, self.spread_ms, self.likes, self.pipelining)
    }
}

/// The clients slider's number of steps: 200 per decade from 2 to 100,000 (10 to 100,000 are four
/// decades; 2 to 10 takes the first 200 steps too).
pub const SLIDER_STEPS: u32 = 1_000;
const DECADE_STEPS: u64 = 200;
/// Each decade's lowest count; the slider is linear within a decade, so 10, 100, 1,000 and so on
/// fall exactly on a step. Integer arithmetic only: no floating-point maths pulled into the wasm.
const DECADES: [u64; 6] = [2, 10, 100, 1_000, 10_000, 100_000];

/// The clients slider's position (0–[`SLIDER_STEPS`]) for a client count.
pub fn slider_position(clients: usize) -> u32 {
    let n = (clients as u64).clamp(MIN_CLIENTS as u64, MAX_CLIENTS as u64);
    for (d, pair) in DECADES.windows(2).enumerate() {
        let (lo, hi) = (pair[0], pair[1]);
        if n < hi {
            let within = (n - lo) * DECADE_STEPS / (hi - lo);
            return (d as u64 * DECADE_STEPS + within) as u32;
        }
    }
    SLIDER_STEPS
}

/// The client count at a slider position.
pub fn slider_clients(position: u32) -> usize {
    let p = u64::from(position.min(SLIDER_STEPS));
    let d = (p / DECADE_STEPS) as usize;
    let (Some(&lo), Some(&hi)) = (DECADES.get(d), DECADES.get(d + 1)) else {
        return MAX_CLIENTS;
    };
    let n = lo + (p % DECADE_STEPS) * (hi - lo) / DECADE_STEPS;
    // Round to two significant digits, so the count reads well.
    let unit = (lo / 10).max(1);
    ((n / unit * unit) as usize).clamp(MIN_CLIENTS, MAX_CLIENTS)
}

/// Microseconds as milliseconds with three decimals (`1234` → `1.234 ms`), in integer arithmetic.
pub fn format_ms(us: u64) -> String {
    format!("{}.{:03} ms", group_digits(us / 1_000), us % 1_000)
}
