//! The lesson's text. Our own words; where the article is too quick, a caveat box says what really
//! happens (and the lab beside it shows it). Marks: `code`, **strong**, [label](target), {command}.

use super::{Block, Caveat, Chapter, Demo};
use crate::simulation::scenarios::LabId;
use Block::{Demo as Live, Heading as H, List, Para as P, Run};

const fn caveat(id: &'static str, title: &'static str, text: &'static str) -> Block {
    Block::Caveat(Caveat { id, title, text })
}

/// The chapters, in reading order: the article's structure, then the quiz.
pub static CHAPTERS: &[Chapter] = &[
    Chapter {
        id: "atomic",
        title: "Atomic increments",
        blocks: &[
            P("A counter looks too simple to get wrong: read the number, add one, write it back. With one visitor it works. With two at the same instant, both read 100, both write 101, and a like is gone. No error, no warning: the count is just wrong. This is a **lost update**."),
            P("Redis' `INCR` moves the read, the addition and the write into the server, as one command. Redis executes one command at a time, so nothing can run between INCR's read and its write. That is what **atomic** means here: the whole step happens as if no one else were there."),
            Run(&["SET likes 100", "INCR likes", "GET likes"]),
            P("Click a command to run it in the console; the keyspace beside it shows the value change. You can type there too: the answers are exactly what `redis-cli` prints."),
            caveat("one-at-a-time", "Single-threaded does not make GET + SET safe",
                "Redis runs one command at a time, but `GET` and `SET` are two commands, and other clients' commands run between them. Only a single command, a `MULTI`/`EXEC` block or a Lua script runs without interruption. [Watch it happen](race)."),
            caveat("sql", "Databases can increment atomically too",
                "`UPDATE posts SET likes = likes + 1 WHERE id = 99` is atomic in any SQL database: the row stays locked while it is read and written. What races is `SELECT` and then `UPDATE … SET likes = 101` with a number computed by the application: GET then SET again. Redis' edge is speed (memory, one round trip), not atomicity. The [race demo](race) runs both SQL versions."),
        ],
    },
    Chapter {
        id: "core-commands",
        title: "The core commands",
        blocks: &[
            P("Six commands cover almost every counter. Each one replies with the new value, so there is no second read to race with."),
            H("`INCR key`"),
            P("Adds 1. A missing key counts as 0, so a counter needs no set-up."),
            Run(&["INCR page:views", "INCR page:views"]),
            H("`INCRBY key increment`"),
            P("Adds any whole number; a negative one subtracts."),
            Run(&["INCRBY user:42:points 50", "INCRBY user:42:points -20"]),
            H("`DECR key`"),
            P("Subtracts 1 (`DECRBY` subtracts more). It goes below zero without complaint: see [the flash sale](flash-sale#below-zero)."),
            Run(&["SET stock 1", "DECR stock", "DECR stock"]),
            H("`HINCRBY key field increment`"),
            P("A counter in a field of a hash: one key per user, one field per counter."),
            Run(&["HINCRBY user:42 likes 1", "HINCRBY user:42 views 10", "HGETALL user:42"]),
            H("`ZINCRBY key increment member`"),
            P("Adds to a member's score in a sorted set, which stays ordered by score: a leaderboard."),
            Run(&["ZINCRBY board 10 alice", "ZINCRBY board 25 bob", "ZREVRANGE board 0 -1 WITHSCORES"]),
            H("`EXPIRE key seconds`"),
            P("Gives a key a time to live; `TTL` shows what is left. Fast-forward the virtual clock at the bottom of the page and watch the key go. INCR keeps a key's TTL; SET removes it."),
            Run(&["INCR user:123:min:05", "EXPIRE user:123:min:05 60", "TTL user:123:min:05"]),
            caveat("integers", "Whole numbers only, within 64 bits",
                "The value must be exactly a signed 64-bit integer: \"abc\", \"1.5\", \" 1\", \"+1\" and \"01\" are refused with an error and left alone ({SET greeting abc}, {INCR greeting}). Past 9223372036854775807 comes an error, never a wrap-around. For fractions there is `INCRBYFLOAT`, but keep money in whole cents."),
        ],
    },
    Chapter {
        id: "race",
        title: "The race, live",
        blocks: &[
            P("The article's first lesson, live. Step two clients through GET-then-SET by hand and watch a like vanish; then flood one server with thousands of clients, naive and `INCR` side by side on the same schedule. The strategy menus also offer `WATCH`/`MULTI` (optimistic locking: correct, paid for in retries) and both SQL versions ([why one of them is safe](atomic#sql))."),
            Live(Demo::Race),
            P("Why INCR wins: the server takes one command at a time from its queue. GET-then-SET needs two turns per client, and other clients' turns fall between them; INCR needs one."),
        ],
    },
    Chapter {
        id: "likes",
        title: "Likes: a flood on one key",
        blocks: &[
            P("A famous account posts a photo and a million people tap the heart. Each tap is one `INCR post:99:likes`: no read, no lock, no lost like."),
            Run(&["INCR post:99:likes", "10 INCR post:99:likes"]),
            P("The count lives in memory, so a job copies it to the database every few seconds (**write-behind**). That job must read the counter and reset it in one step."),
            caveat("flush", "Flushing with GET, then SET 0, loses likes",
                "Likes that arrive between the job's `GET` and its `SET post:99:likes 0` are wiped out without ever being counted. Read and reset atomically: {GETDEL post:99:likes}, or {SET post:99:likes 0 GET} (Redis 6.2+). `GETSET` does the same but is deprecated since 6.2."),
            Live(Demo::Lab(LabId::Likes)),
        ],
    },
    Chapter {
        id: "flash-sale",
        title: "Flash sale: 100 phones, 10,000 buyers",
        blocks: &[
            P("The stock starts at 100 and every buyer runs `DECR product:iphone:stock`. The reply decides: 0 or more, you got a phone; below 0, sold out. One command, so two buyers never get the same last phone."),
            Run(&["SET product:iphone:stock 100", "DECR product:iphone:stock"]),
            P("The naive shop reads the stock, checks that it is above zero, then writes stock − 1: buyers who read the same number all buy, and it oversells."),
            caveat("below-zero", "The stock goes negative",
                "DECR does not stop at zero: after 10,000 buyers the stock reads −9,900, and only the shop's check of each reply keeps it from selling phones it does not have. Anyone else reading the stock sees nonsense. Give the unit back with `INCR` when the reply is negative ({SET product:iphone:stock 0}, {DECR product:iphone:stock}, {INCR product:iphone:stock}), or check and take in one step with `WATCH`/`MULTI`/`EXEC` or a Lua script, which Redis runs whole, with nothing in between: {SET product:iphone:stock 1}, then {EVAL \"local s = tonumber(redis.call('GET', KEYS[1])) if s and s > 0 then redis.call('DECR', KEYS[1]) return 1 end return 0\" 1 product:iphone:stock} answers 1 (bought) once, then 0 (sold out), and the stock stays at 0."),
            Live(Demo::Lab(LabId::FlashSale)),
        ],
    },
    Chapter {
        id: "rate-limit",
        title: "Rate limiting, one window a minute",
        blocks: &[
            P("Allow each user 100 requests a minute. Name the counter after the user and the minute, `user:123:min:05`; each request runs `INCR` and is refused when the reply is above 100. `EXPIRE … 60` removes the key after its minute."),
            Run(&["INCR user:123:min:05", "EXPIRE user:123:min:05 60", "TTL user:123:min:05"]),
            caveat("incr-expire", "INCR and EXPIRE are two commands",
                "If the client crashes or its connection drops after `INCR` and before `EXPIRE`, the key never expires (TTL −1): it stays in memory for good, and a key that does not name its minute would block the user for good. Send both in one transaction: {MULTI}, {INCR user:123:min:06}, {EXPIRE user:123:min:06 60}, {EXEC}; or create the key with its TTL first: {SET user:123:min:07 0 EX 60 NX}, then {INCR user:123:min:07}; or run both in one Lua script, as Redis' [INCR page](https://redis.io/docs/latest/commands/incr/) suggests: {EVAL \"local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n\" 1 user:123:min:08 60}."),
            caveat("window-edge", "Twice the limit at a window's edge",
                "Windows are fixed: 100 requests at 12:05:59 and 100 more at 12:06:00 all pass, 200 in two seconds. If bursts matter, use a sliding window (a sorted set of timestamps) or a token bucket."),
            Live(Demo::Lab(LabId::RateLimiter)),
        ],
    },
    Chapter {
        id: "leaderboard",
        title: "Leaderboards with ZINCRBY",
        blocks: &[
            P("A sorted set keeps its members ordered by score. `ZINCRBY game:scores 10 alice` adds ten points and moves alice to her new rank in one step; the top ten is always one read away."),
            Run(&["ZINCRBY game:scores 10 alice", "ZINCRBY game:scores 30 bob", "ZINCRBY game:scores 10 carol", "ZREVRANGE game:scores 0 9 WITHSCORES", "ZREVRANK game:scores alice"]),
            caveat("ties", "Ties are ordered by name",
                "Equal scores are ordered by member name, byte by byte, and reversed by `ZREVRANGE`: carol ranks above alice here, whoever scored first. To reward the first to reach a score, fold the time into the score."),
            caveat("double", "A score is a double",
                "A score is a 64-bit floating-point number, not an integer. Plain `redis-cli` (RESP2) can only show it as a string: {ZSCORE game:scores alice} answers \"10\". Tick **RESP3** beside the console's title, as `redis-cli -3` or a RESP3 client library would speak, and the same command answers `(double) 10`: in RESP3 a score travels as a double, so a client hands you a number, not text."),
            Live(Demo::Lab(LabId::Leaderboard)),
        ],
    },
    Chapter {
        id: "per-user",
        title: "Per-user counters in a hash",
        blocks: &[
            P("A user has likes, views, followers… One key per counter (`user:42:likes`) works, but every key costs Redis its own bookkeeping. A hash per user pays that once: `HINCRBY user:42 likes 1`."),
            Run(&["HINCRBY user:42 likes 1", "HINCRBY user:42 views 1", "HINCRBY user:42 followers 1", "HGETALL user:42"]),
            caveat("listpack", "The saving has limits",
                "A small hash is stored as one compact list (a listpack): by default up to 512 fields, values up to 64 bytes. Past either limit it becomes a real hash table and most of the saving is gone. And in Redis 7.0 a field cannot expire on its own: only a whole key has a TTL."),
            P("Redis shows both: `OBJECT ENCODING` names how a value is stored, `MEMORY USAGE` what the key costs in bytes. Lower the limit to two fields and watch the same hash turn into a hash table, and its size jump:"),
            Run(&["OBJECT ENCODING user:42", "MEMORY USAGE user:42", "CONFIG SET hash-max-listpack-entries 2", "HINCRBY user:42 shares 1", "OBJECT ENCODING user:42", "MEMORY USAGE user:42", "CONFIG SET hash-max-listpack-entries 512"]),
            Live(Demo::Lab(LabId::Counters)),
        ],
    },
    Chapter {
        id: "durability",
        title: "Counters you cannot lose",
        blocks: &[
            P("Redis keeps its data in memory. What survives a crash depends on persistence: snapshots (RDB) now and then, and an append-only file (AOF) whose `appendfsync` setting says how often it is forced to disk:"),
            List(&[
                "`always`: on disk before the reply. Nothing acknowledged is lost; every write waits for the disk.",
                "`everysec`, the default: up to about a second of writes can be lost.",
                "`no`: the operating system decides (on Linux, within about 30 seconds).",
                "RDB snapshots only: everything since the last snapshot.",
            ]),
            caveat("what-crashed", "It depends on what crashed",
                "The AOF losses above happen when the machine goes down. If only the Redis process dies, the operating system still holds what Redis wrote to the file, synced or not; with RDB alone, everything since the last snapshot is gone either way. And a lost like was acknowledged: its client was told `(integer) 101`."),
            Live(Demo::Lab(LabId::Durability)),
        ],
    },
    Chapter {
        id: "pros-cons",
        title: "Pros and cons",
        blocks: &[
            P("What counters in Redis give, and what they cost. Each point links to where you can see it."),
            H("Pros"),
            List(&[
                "**Speed**: memory, no query planning, one round trip per update. The [flood](race) pushes 100,000 updates through one server.",
                "**No locks**: INCR needs neither a lock nor a retry, while `WATCH` retries under contention; compare them in the [flood](race).",
                "**Concurrency safety**: one command, one step, no update lost: the [race](race), the [flash sale](flash-sale).",
                "**Simplicity**: one command per event, a missing key counts as 0, the reply is the new value: [the commands](core-commands).",
            ]),
            H("Cons"),
            List(&[
                "**Memory**: every counter sits in RAM; hashes help, [within limits](per-user#listpack).",
                "**Durability**: a crash can lose recent counts, depending on [persistence](durability).",
                "**Source of truth**: keep the record in a database and copy the counts there [atomically](likes#flush); Redis is the fast front.",
            ]),
            P("A correction rather than a con: a database can increment atomically too ([why](atomic#sql)). Choose Redis for speed under load, not because SQL cannot count."),
        ],
    },
    Chapter {
        id: "summary",
        title: "Which command for which counter",
        blocks: &[
            P("The article's summary, with the catch in each row. Click an example to run it, or a row's lab to see it at work."),
            Live(Demo::Summary),
        ],
    },
    Chapter {
        id: "quiz",
        title: "Quiz",
        blocks: &[
            P("Questions on every chapter. Pick an answer or type a command: typed commands are checked by running them, so any command that does the job counts. Every answer tells you why, and \"Try it\" runs it in the console."),
            Live(Demo::Quiz),
        ],
    },
    Chapter {
        id: "challenges",
        title: "Challenges: break it, fix it",
        blocks: &[
            P("Now you play. In a **break it** level you are the scheduler: type which client runs next (`1 2 1 2`), and where the level allows, `crash 1` between two of a client's commands, until the invariant breaks. In a **fix it** level you write the client — Lua, where each `redis.call` is one round trip, or the same text inside `EVAL` — and the page checks it against **every** interleaving of the clients. A fix is accepted only when it is proved; a wrong one is shown the run that breaks it, step by step."),
            Live(Demo::Challenges),
        ],
    },
];
