//! The classroom's WebSocket messages: one JSON text frame each, in both directions.
//!
//! Shared by the server (`redis-sim classroom`) and the page, so both read the same shapes. A page
//! sends a [`Request`]; the server answers with [`Event`]s.
//!
//! ```
//! use incr_lab::classroom::protocol::{Request, Strategy};
//! let cmd: Request = serde_json::from_str(r#"{"cmd":["INCR","likes"]}"#).unwrap();
//! assert_eq!(cmd, Request::Cmd(vec!["INCR".into(), "likes".into()]));
//! assert_eq!(serde_json::from_str::<Request>(r#""tap""#).unwrap(), Request::Tap);
//! let switch: Request = serde_json::from_str(r#"{"strategy":"atomic"}"#).unwrap();
//! assert_eq!(switch, Request::Strategy(Strategy::Atomic));
//! ```

use serde::{Deserialize, Serialize};

/// The key the Like button counts in.
pub const LIKES_KEY: &str = "likes";

/// The key the flash sale's stock is kept in.
pub const STOCK_KEY: &str = "stock";

/// The stock a reset puts on sale.
pub const STOCK_AFTER_RESET: i64 = 10;

/// How the room's buttons talk to the shared Redis; the teacher switches it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Read-modify-write: Like is `GET likes`, then (after a round trip to the phone) `SET likes
    /// n+1`; Buy is `DECR stock`, which sells below zero. Updates get lost.
    #[default]
    Naive,
    /// Like is `INCR likes`; Buy is a script that decrements only while stock is left.
    Atomic,
}

/// What a page sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// A console command, one argument per string: `{"cmd":["INCR","likes"]}`. Answered with
    /// [`Event::Reply`].
    Cmd(Vec<String>),
    /// The Like button: `"tap"`. Answered with [`Event::Tapped`] (atomic) or [`Event::Read`]
    /// (naive, which the page follows with [`Request::Write`]).
    Tap,
    /// The naive tap's second half: write back what was read plus one. Answered with
    /// [`Event::Tapped`].
    Write,
    /// The flash sale's Buy button: `"buy"`. Answered with [`Event::Bought`].
    Buy,
    /// Teacher only: switch the room's strategy.
    Strategy(Strategy),
    /// Teacher only: counters back to 0, stock back to [`STOCK_AFTER_RESET`], figures cleared.
    Reset,
    /// Teacher only: every page counts down this many seconds, then says "tap now".
    Countdown(u32),
}

/// Who a connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A phone in the room.
    Student,
    /// The projector page, opened with the room's secret.
    Teacher,
}

/// The first message on every connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    /// Who the server takes this connection for.
    pub role: Role,
    /// The room code.
    pub room: String,
    /// The room's strategy now.
    pub strategy: Strategy,
    /// What the shared Redis is: "the incr-lab engine" or "Redis at HOST:PORT".
    pub backend: String,
    /// Teacher only: the address students open.
    pub join_url: Option<String>,
    /// Teacher only: that address as a QR code, an SVG document.
    pub qr_svg: Option<String>,
}

/// The room's figures, pushed to the projector (a few times a second) and to students (less often).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RoomState {
    /// Students connected now.
    pub students: u64,
    /// Taps completed since the last reset (an atomic INCR answered, or a naive SET written).
    pub taps: u64,
    /// The `likes` counter as Redis holds it (0 when missing or not a number).
    pub counter: i64,
    /// Taps that left no trace in the counter: `taps - counter`.
    pub lost: i64,
    /// The `stock` key.
    pub stock: i64,
    /// Buys that were told "you got one".
    pub sold: u64,
    /// The strategy now.
    pub strategy: Strategy,
    /// Round-trip times of the students' connections since the last reset (WebSocket ping to
    /// pong), counted in the buckets of [`RTT_BUCKETS_MS`].
    pub rtt: Vec<u64>,
}

/// Upper bounds (ms, exclusive) of the round-trip histogram's buckets; the last bucket takes the rest.
pub const RTT_BUCKETS_MS: [u64; 7] = [5, 10, 20, 50, 100, 200, 500];

/// The histogram bucket of a round trip of `ms` milliseconds.
pub fn rtt_bucket(ms: u64) -> usize {
    RTT_BUCKETS_MS
        .iter()
        .position(|&limit| ms < limit)
        .unwrap_or(RTT_BUCKETS_MS.len())
}

/// What the buy button got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchase {
    /// One item, and stock was left.
    Got,
    /// Nothing left: the safe script refused.
    SoldOut,
    /// DECR went below zero: an item that does not exist was sold.
    Oversold,
}

/// What the server sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first message.
    Welcome(Welcome),
    /// A console command's reply, as `redis-cli` prints it (lines ending in `\n`).
    Reply(String),
    /// A tap landed: the counter as this tap left it.
    Tapped(i64),
    /// Naive tap, first half: the counter read. The page answers [`Request::Write`].
    Read(i64),
    /// The buy button's outcome, and the stock after it.
    Bought {
        /// What happened.
        outcome: Purchase,
        /// `stock` afterwards.
        stock: i64,
    },
    /// The room's figures.
    Room(RoomState),
    /// The teacher started a countdown of this many seconds.
    Countdown(u32),
    /// A refusal or a failure, said plainly (the request was not run).
    Error(String),
}

impl Event {
    /// The event as the JSON text frame that carries it.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs cannot fail; an empty object would be the fallback.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}
