//! One classroom: its code and secret, the strategy, the figures the projector shows, and what
//! each request of a page does to the shared Redis.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, watch};

use super::link::{Backend, Link};
use super::protocol::{
    rtt_bucket, Event, Purchase, Request, Role, RoomState, Strategy, LIKES_KEY, RTT_BUCKETS_MS,
    STOCK_AFTER_RESET, STOCK_KEY,
};
use crate::cli::format::format_reply;
use crate::engine::Reply;

/// The buy button's safe version: decrement only while stock is left, else answer -1.
pub const SAFE_BUY_SCRIPT: &str = "local n = tonumber(redis.call('GET', KEYS[1]) or '0') \
if n > 0 then return redis.call('DECR', KEYS[1]) end return -1";

/// The commands a student's console may send: reading and writing keys, transactions. Not the
/// server's (FLUSHALL, CONFIG, DEBUG, SHUTDOWN, CLIENT…), not scripts (EVAL could call any of
/// those), not blocking pops (they would hold a real Redis connection), not SELECT/HELLO (a
/// console that changes database or protocol would read the room wrong). Sorted for the binary
/// search.
pub const ALLOWED: &[&str] = &[
    "APPEND",
    "DECR",
    "DECRBY",
    "DEL",
    "DISCARD",
    "ECHO",
    "EXEC",
    "EXISTS",
    "EXPIRE",
    "GET",
    "GETDEL",
    "GETRANGE",
    "GETSET",
    "HDEL",
    "HEXISTS",
    "HGET",
    "HGETALL",
    "HINCRBY",
    "HKEYS",
    "HLEN",
    "HMGET",
    "HSET",
    "HSETNX",
    "HVALS",
    "INCR",
    "INCRBY",
    "INCRBYFLOAT",
    "LINDEX",
    "LLEN",
    "LPOP",
    "LPUSH",
    "LRANGE",
    "MGET",
    "MSET",
    "MULTI",
    "PERSIST",
    "PEXPIRE",
    "PING",
    "PTTL",
    "RPOP",
    "RPUSH",
    "SADD",
    "SCARD",
    "SET",
    "SETEX",
    "SETNX",
    "SISMEMBER",
    "SMEMBERS",
    "SREM",
    "STRLEN",
    "TTL",
    "TYPE",
    "UNWATCH",
    "WATCH",
    "ZADD",
    "ZCARD",
    "ZINCRBY",
    "ZRANGE",
    "ZRANK",
    "ZREM",
    "ZREVRANGE",
    "ZREVRANK",
    "ZSCORE",
];

/// Whether a student may run the command named `name` (any case).
pub fn is_allowed(name: &str) -> bool {
    ALLOWED
        .binary_search(&name.to_ascii_uppercase().as_str())
        .is_ok()
}

/// The longest countdown a teacher can start, in seconds.
pub const MAX_COUNTDOWN: u32 = 60;

/// The room's shared state. Every connection holds it through an `Arc`.
pub struct Room {
    /// The code students type or scan (`?room=CODE`).
    pub code: String,
    /// The teacher's secret (`&teacher=SECRET`).
    pub secret: String,
    /// What runs the commands.
    pub backend: Backend,
    /// The address students open.
    pub join_url: String,
    /// That address as a QR code (SVG).
    pub qr_svg: String,
    naive: AtomicBool,
    students: AtomicU64,
    taps: AtomicU64,
    sold: AtomicU64,
    rtt: [AtomicU64; RTT_BUCKETS_MS.len() + 1],
    /// The latest figures (see [`Room::refresh`]).
    pub state: watch::Sender<RoomState>,
    /// Countdowns, to every page.
    pub events: broadcast::Sender<Event>,
}

impl Room {
    /// A room with no one in it yet, naive strategy.
    pub fn new(code: String, secret: String, backend: Backend, join_url: String) -> Room {
        let qr_svg = qrcode::QrCode::new(join_url.as_bytes())
            .map(|qr| {
                qr.render::<qrcode::render::svg::Color<'_>>()
                    .min_dimensions(240, 240)
                    .build()
            })
            .unwrap_or_default();
        Room {
            code,
            secret,
            backend,
            join_url,
            qr_svg,
            naive: AtomicBool::new(true),
            students: AtomicU64::new(0),
            taps: AtomicU64::new(0),
            sold: AtomicU64::new(0),
            rtt: Default::default(),
            state: watch::Sender::new(RoomState::default()),
            events: broadcast::Sender::new(16),
        }
    }

    /// The strategy now.
    pub fn strategy(&self) -> Strategy {
        if self.naive.load(Ordering::Relaxed) {
            Strategy::Naive
        } else {
            Strategy::Atomic
        }
    }

    /// Counts a student in; the guard counts them out when dropped.
    pub fn enter(&self) -> Presence<'_> {
        self.students.fetch_add(1, Ordering::Relaxed);
        Presence(self)
    }

    /// Students connected now.
    pub fn students(&self) -> u64 {
        self.students.load(Ordering::Relaxed)
    }

    /// Counts one round trip of `rtt` in the histogram.
    pub fn record_rtt(&self, rtt: Duration) {
        let ms = u64::try_from(rtt.as_millis()).unwrap_or(u64::MAX);
        self.rtt[rtt_bucket(ms)].fetch_add(1, Ordering::Relaxed);
    }

    /// Reads the counters through `link` and publishes the figures if they changed.
    pub async fn refresh(&self, link: &mut Link) {
        // Taps first: a tap is counted after its write answered, so the counter read next holds
        // every tap counted here (and maybe a few more in flight) — once the taps stop, the
        // figures are exact.
        let taps = self.taps.load(Ordering::Relaxed);
        let counter = read_integer(link, LIKES_KEY).await;
        let stock = read_integer(link, STOCK_KEY).await;
        let next = RoomState {
            students: self.students(),
            taps,
            counter,
            lost: i64::try_from(taps).unwrap_or(i64::MAX) - counter,
            stock,
            sold: self.sold.load(Ordering::Relaxed),
            strategy: self.strategy(),
            rtt: self.rtt.iter().map(|b| b.load(Ordering::Relaxed)).collect(),
        };
        self.state.send_if_modified(|state| {
            let changed = *state != next;
            *state = next;
            changed
        });
    }
}

/// A student's place in the room (see [`Room::enter`]).
pub struct Presence<'a>(&'a Room);

impl Drop for Presence<'_> {
    fn drop(&mut self) {
        self.0.students.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A key's value as an integer; 0 when missing, not a number or unreadable.
async fn read_integer(link: &mut Link, key: &str) -> i64 {
    match link.call(&["GET", key]).await {
        Ok(Reply::Bulk(bytes)) => std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

/// One page's conversation with the room.
pub struct Session {
    role: Role,
    /// The buttons' client (the "app" on the phone).
    app: Link,
    /// The console's client, separate so that a MULTI typed there does not swallow taps.
    console: Option<Link>,
    /// Naive tap: the value read, waiting for [`Request::Write`].
    read: Option<i64>,
}

impl Session {
    /// A session for a page in `role`.
    pub fn new(room: &Room, role: Role) -> Session {
        Session {
            role,
            app: room.backend.link(),
            console: None,
            read: None,
        }
    }

    /// Runs one request and says what came of it.
    pub async fn handle(&mut self, room: &Room, request: Request) -> Event {
        let teacher_only = matches!(
            request,
            Request::Strategy(_) | Request::Reset | Request::Countdown(_)
        );
        if teacher_only && self.role != Role::Teacher {
            return Event::Error("only the teacher's page can do that".to_owned());
        }
        match request {
            Request::Cmd(argv) => self.console(room, argv).await,
            Request::Tap => self.tap(room).await,
            Request::Write => self.write(room).await,
            Request::Buy => self.buy(room).await,
            Request::Strategy(strategy) => {
                room.naive
                    .store(strategy == Strategy::Naive, Ordering::Relaxed);
                Event::Reply(format!("strategy: {strategy:?}\n"))
            }
            Request::Reset => self.reset(room).await,
            Request::Countdown(seconds) => {
                let seconds = seconds.clamp(1, MAX_COUNTDOWN);
                // No page listening is no failure.
                let _ = room.events.send(Event::Countdown(seconds));
                Event::Reply(format!("countdown: {seconds} s\n"))
            }
        }
    }

    async fn console(&mut self, room: &Room, argv: Vec<String>) -> Event {
        let Some(name) = argv.first() else {
            return Event::Error("an empty command".to_owned());
        };
        if !is_allowed(name) {
            return Event::Reply(format!(
                "(error) ERR '{}' is not allowed in the classroom (ask the teacher; allowed: {})\n",
                name.escape_default(),
                ALLOWED.join(" ")
            ));
        }
        let link = self.console.get_or_insert_with(|| room.backend.link());
        match link.call(&argv).await {
            Ok(reply) => Event::Reply(String::from_utf8_lossy(&format_reply(&reply)).into_owned()),
            Err(problem) => Event::Error(problem),
        }
    }

    async fn tap(&mut self, room: &Room) -> Event {
        match room.strategy() {
            Strategy::Atomic => match self.app.call(&["INCR", LIKES_KEY]).await {
                Ok(Reply::Integer(n)) => {
                    room.taps.fetch_add(1, Ordering::Relaxed);
                    Event::Tapped(n)
                }
                other => failure(other),
            },
            Strategy::Naive => match self.app.call(&["GET", LIKES_KEY]).await {
                Ok(Reply::Nil) => {
                    self.read = Some(0);
                    Event::Read(0)
                }
                Ok(Reply::Bulk(bytes)) => {
                    match std::str::from_utf8(&bytes)
                        .ok()
                        .and_then(|s| s.parse().ok())
                    {
                        Some(n) => {
                            self.read = Some(n);
                            Event::Read(n)
                        }
                        None => Event::Error(format!(
                            "'{LIKES_KEY}' does not hold a number: the teacher can reset"
                        )),
                    }
                }
                other => failure(other),
            },
        }
    }

    async fn write(&mut self, room: &Room) -> Event {
        let Some(read) = self.read.take() else {
            return Event::Error("nothing to write: tap first".to_owned());
        };
        let next = read.saturating_add(1);
        match self.app.call(&["SET", LIKES_KEY, &next.to_string()]).await {
            Ok(Reply::Status(_)) => {
                room.taps.fetch_add(1, Ordering::Relaxed);
                Event::Tapped(next)
            }
            other => failure(other),
        }
    }

    async fn buy(&mut self, room: &Room) -> Event {
        let reply = match room.strategy() {
            Strategy::Naive => self.app.call(&["DECR", STOCK_KEY]).await,
            Strategy::Atomic => {
                self.app
                    .call(&["EVAL", SAFE_BUY_SCRIPT, "1", STOCK_KEY])
                    .await
            }
        };
        let stock = match reply {
            Ok(Reply::Integer(n)) => n,
            other => return failure(other),
        };
        let outcome = match (room.strategy(), stock) {
            (_, n) if n >= 0 => Purchase::Got,
            (Strategy::Atomic, _) => Purchase::SoldOut,
            (Strategy::Naive, _) => Purchase::Oversold,
        };
        if outcome != Purchase::SoldOut {
            room.sold.fetch_add(1, Ordering::Relaxed);
        }
        Event::Bought {
            outcome,
            stock: if outcome == Purchase::SoldOut {
                0
            } else {
                stock
            },
        }
    }

    async fn reset(&mut self, room: &Room) -> Event {
        let stock = STOCK_AFTER_RESET.to_string();
        let reply = self
            .app
            .call(&["MSET", LIKES_KEY, "0", STOCK_KEY, &stock])
            .await;
        room.taps.store(0, Ordering::Relaxed);
        room.sold.store(0, Ordering::Relaxed);
        for bucket in &room.rtt {
            bucket.store(0, Ordering::Relaxed);
        }
        match reply {
            Ok(Reply::Status(_)) => Event::Reply(format!(
                "reset: {LIKES_KEY} = 0, {STOCK_KEY} = {STOCK_AFTER_RESET}\n"
            )),
            other => failure(other),
        }
    }
}

/// A reply a button did not expect, or a link failure, as an error event.
fn failure(reply: Result<Reply, String>) -> Event {
    match reply {
        Ok(reply) => Event::Error(
            String::from_utf8_lossy(&format_reply(&reply))
                .trim_end()
                .to_owned(),
        ),
        Err(problem) => Event::Error(problem),
    }
}

/// A token bucket: `rate` messages a second on average, `burst` at once.
#[derive(Debug)]
pub struct RateLimit {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimit {
    /// A full bucket.
    pub fn new(rate: u32, burst: u32) -> RateLimit {
        RateLimit {
            rate: f64::from(rate),
            burst: f64::from(burst.max(1)),
            tokens: f64::from(burst.max(1)),
            last: Instant::now(),
        }
    }

    /// Takes a token if there is one.
    pub fn allow(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_is_sorted_and_keeps_the_server_s_commands_out() {
        assert!(ALLOWED.windows(2).all(|w| w[0] < w[1]));
        for name in ["incr", "Get", "MULTI", "watch"] {
            assert!(is_allowed(name), "{name}");
        }
        for name in [
            "FLUSHALL", "flushdb", "CONFIG", "DEBUG", "SHUTDOWN", "EVAL", "CLIENT", "KEYS",
            "BLPOP", "SELECT", "HELLO", "", "MONITOR",
        ] {
            assert!(!is_allowed(name), "{name}");
        }
    }

    #[test]
    fn a_bucket_lets_a_burst_through_then_refuses() {
        let mut limit = RateLimit::new(1, 5);
        assert_eq!((0..10).filter(|_| limit.allow()).count(), 5);
    }
}
