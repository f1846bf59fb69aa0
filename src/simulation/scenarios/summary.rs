//! The summary table: which increment command for which use and on which data structure (the
//! article's columns), each row with a command to try and the lab, or the lesson's box, that shows
//! it at work.

use super::LabId;

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The command (or commands).
    pub command: &'static str,
    /// The data structure it works on (the article's "Data Structure" column).
    pub structure: &'static str,
    /// What it is for.
    pub used_for: &'static str,
    /// A command to run in the console.
    pub example: &'static str,
    /// The catch worth knowing.
    pub watch_out: &'static str,
    /// The lab that shows it, if one does.
    pub lab: Option<LabId>,
    /// Where the lesson shows it live when no lab does: a chapter id and a box's id in it.
    pub shown_at: Option<(&'static str, &'static str)>,
}

/// The table, in the article's order of use cases.
pub const ROWS: [Row; 8] = [
    Row {
        command: "INCR",
        structure: "String",
        used_for: "Counting events one at a time: likes, views, downloads",
        example: "INCR post:99:likes",
        watch_out: "Moving the count elsewhere needs an atomic read-and-reset (GETDEL or SET … GET), not GET then SET",
        lab: Some(LabId::Likes),
        shown_at: None,
    },
    Row {
        command: "INCRBY",
        structure: "String",
        used_for: "Adding several at once: reward points, a batch of events",
        example: "INCRBY user:42:points 50",
        watch_out: "64-bit signed integers only; overflow is an error, not a wrap-around. One INCRBY 50 beats 50 INCRs: one round trip, one atomic step, never a half-given reward if the client dies",
        lab: Some(LabId::Points),
        shown_at: None,
    },
    Row {
        command: "DECR / DECRBY",
        structure: "String",
        used_for: "Counting down: stock, seats, remaining quota",
        example: "DECR product:iphone:stock",
        watch_out: "DECR does not stop at 0: the stock goes negative unless you give units back or check atomically",
        lab: Some(LabId::FlashSale),
        shown_at: None,
    },
    Row {
        command: "INCR + EXPIRE",
        structure: "String",
        used_for: "Rate limiting: requests per user per window",
        example: "INCR user:123:min:07",
        watch_out: "Two round trips: a crash between them leaves a key that never expires. Use MULTI/EXEC or a Lua script; SET … EX … NX first narrows the gap but does not close it",
        lab: Some(LabId::RateLimiter),
        shown_at: None,
    },
    Row {
        command: "ZINCRBY",
        structure: "Sorted set",
        used_for: "Scores that must stay ranked: leaderboards, trending lists",
        example: "ZINCRBY leaderboard 10 ada",
        watch_out: "Equal scores are ordered by member name, not by who got there first",
        lab: Some(LabId::Leaderboard),
        shown_at: None,
    },
    Row {
        command: "HINCRBY",
        structure: "Hash",
        used_for: "Many counters of one object: a user's likes, views, comments",
        example: "HINCRBY user:42 likes 1",
        watch_out: "Saves memory only while the hash is a listpack (≤ 512 fields, field names and values ≤ 64 bytes); no per-field TTL in Redis 7.0",
        lab: Some(LabId::Counters),
        shown_at: None,
    },
    Row {
        command: "INCRBYFLOAT",
        structure: "String",
        used_for: "Fractional amounts: ratings, balances in a float",
        example: "INCRBYFLOAT account:7:balance 0.1",
        watch_out: "Binary floating point underneath: small sums print exactly on x86-64, whose 80-bit long double Redis uses (0.1 three times gives 0.3), but 1000000000000000 plus 0.1 gives 1000000000000000.0999755859375; keep money in integer cents with INCRBY",
        lab: None,
        shown_at: None,
    },
    Row {
        command: "any counter you cannot lose",
        structure: "Any",
        used_for: "Counts that must survive a crash",
        example: "INCR orders:today",
        watch_out: "Redis is in memory: what survives depends on appendfsync (always, everysec, no) and on RDB snapshots",
        lab: Some(LabId::Durability),
        shown_at: None,
    },
];
