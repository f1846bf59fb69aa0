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
                "`UPDATE posts SET likes = likes + 1 WHERE id = 99` is atomic in any SQL database, and it is one round trip too: the row is locked while it is read and written. What races is `SELECT` and then `UPDATE … SET likes = 101` with a number computed by the application: GET then SET again. Redis' edge lies elsewhere: no commit per update (a database flushes its write-ahead log to disk before it confirms one), and no row lock held until the transaction commits, which under a flood makes every writer of one hot row wait for the one before. Under REPEATABLE READ or SERIALIZABLE, PostgreSQL even fails the second of two concurrent writers with a serialization error, and the application must retry ([PostgreSQL: transaction isolation](https://www.postgresql.org/docs/current/transaction-iso.html)). The [race demo](race) runs both SQL versions."),
        ],
    },
    Chapter {
        id: "core-commands",
        title: "The core commands",
        blocks: &[
            P("Six commands cover almost every counter. The five that count reply with the new value, so there is no second read to race with; `EXPIRE` replies 1 when it set a timeout and 0 when the key does not exist."),
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
            Run(&["ZINCRBY board 10 alice", "ZINCRBY board 25 bob", "ZRANGE board 0 -1 REV WITHSCORES"]),
            P("`ZRANGE … REV` lists the highest scores first. The older `ZREVRANGE board 0 -1 WITHSCORES` does the same and still works, but it is deprecated since Redis 6.2 (its `deprecated_since` in Redis' command table)."),
            H("`EXPIRE key seconds`"),
            P("Gives a key a time to live; `TTL` shows what is left. Fast-forward the virtual clock at the bottom of the page and watch the key go. INCR keeps a key's TTL; SET removes it."),
            Run(&["INCR user:123:min:05", "EXPIRE user:123:min:05 60", "TTL user:123:min:05"]),
            caveat("integers", "Whole numbers only, within 64 bits",
                "The value must be exactly a signed 64-bit integer: \"abc\", \"1.5\", \" 1\", \"+1\" and \"01\" are refused with an error and left alone ({SET greeting abc}, {INCR greeting}). A key of any other type (a hash, a list, a set, a sorted set) is refused with `WRONGTYPE`. Past 9223372036854775807 comes an error, never a wrap-around, for `INCRBY` as for `INCR`: {SET big 9223372036854775806}, {INCRBY big 1}, {INCRBY big 1}. For fractions there is `INCRBYFLOAT`, but keep money in whole cents."),
        ],
    },
    Chapter {
        id: "race",
        title: "The race, live",
        blocks: &[
            P("The article's first lesson, live. Step two clients through GET-then-SET by hand and watch a like vanish; then flood one server with thousands of clients, naive and `INCR` side by side on the same schedule. The strategy menus also offer `WATCH`/`MULTI` (optimistic locking: correct, paid for in retries) and both SQL versions ([why one of them is safe](atomic#sql))."),
            Live(Demo::Race),
            P("Why INCR wins: the server takes one command at a time from its queue. GET-then-SET needs two turns per client, and other clients' turns fall between them; INCR needs one."),
            H("Where the time goes"),
            P("\"Less than a millisecond\" is the network's share, not Redis'. The flood's server spends 2 µs on a command; its network takes 250 to 750 µs each way, 0.5 to 1.5 ms a round trip, as within one data centre. The table under the flood shows both: round trips, and the time Redis was busy beside the simulated time. A client that waits for each reply spends almost all its time on the wire: 100 `INCR`s one by one take about 100 ms, of which Redis works 200 µs."),
            P("**Pipelining** sends N commands without waiting and reads the N replies after: one round trip, and Redis runs them back to back. The same 100 `INCR`s then take about 1.2 ms. (Clicking {10 INCR likes} sends ten one after the other, as redis-cli does.)"),
            P("The **event loop** is one thread that executes every command, one at a time, which is what makes each command atomic. Redis 6.0's `io-threads` (see `redis.conf`, \"THREADED I/O\") write replies, and with `io-threads-do-reads` also read requests, on several threads, but the commands themselves still run one at a time on the main thread: no two commands ever run in parallel."),
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
            H("Counting each user once"),
            P("`INCR` is not idempotent: run it twice and it counts twice. A client whose `INCR` timed out cannot tell whether it ran; if it retries and the first one had run, the like counts twice. And nothing stops one user from liking twice. Remember who liked in a set, and count only when `SADD` adds someone new (it answers 1), both in one step. `MULTI` cannot branch on a reply, so the step is a script:"),
            Run(&["EVAL \"if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then return redis.call('INCR', KEYS[2]) end return tonumber(redis.call('GET', KEYS[2]))\" 2 post:99:likers post:99:count user:7", "EVAL \"if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then return redis.call('INCR', KEYS[2]) end return tonumber(redis.call('GET', KEYS[2]))\" 2 post:99:likers post:99:count user:7", "SCARD post:99:likers"]),
            P("The second run, a retry or a second tap, finds user:7 in the set and answers the same count. A retry is now safe. The set is the truth and costs memory per liker; {SCARD post:99:likers} counts it without any counter ([SADD](https://redis.io/docs/latest/commands/sadd/) answers how many members it added)."),
            H("One hot key, one server"),
            P("However many servers a Redis Cluster has, a key lives in one of 16,384 hash slots, served by one primary and its one command thread ([cluster specification](https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/)). A million fans liking one post all queue on that server. Spread the counter over N keys, `INCR` a random one, and add them up on read:"),
            Run(&["INCR post:99:likes:2", "INCR post:99:likes:0", "INCR post:99:likes:2", "MGET post:99:likes:0 post:99:likes:1 post:99:likes:2 post:99:likes:3"]),
            P("Writes spread over N keys (in a cluster, over N slots and so over several servers); the price is on the read: N values to fetch and add, not one atomic number, and in a cluster keys of different slots cannot share one `MGET`, so a read is several requests. Shard only a counter that is really hot."),
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
            H("A decrement that stops at zero"),
            P("`BITFIELD` can keep the stock as an unsigned 32-bit field; with `OVERFLOW FAIL` an `INCRBY` that would leave the field's range does nothing and answers nil. So a decrement below 0 is refused inside Redis, in one command:"),
            Run(&["BITFIELD flash:stock SET u32 0 2", "BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1", "BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1", "BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1", "BITFIELD flash:stock GET u32 0"]),
            P("Two buyers get a unit, the third gets nil, and the stock stays at 0. The lab above offers it as its last way: 100 sold, and the stock never dips below 0. The catch: the value is 4 raw bytes, so `GET` shows bytes, not a number, and every reader must use `BITFIELD … GET u32 0`. Beside it, the ways of the caveat above: `DECR` and give back (the stock dips below 0 for a moment), `WATCH` (retries under contention) and the Lua check-and-decrement (one round trip, a readable number; [Redis' BITFIELD page](https://redis.io/docs/latest/commands/bitfield/))."),
        ],
    },
    Chapter {
        id: "rate-limit",
        title: "Rate limiting, one window a minute",
        blocks: &[
            P("Allow each user 100 requests a minute. Name the counter after the user and the minute, `user:123:min:05`; each request runs `INCR` and is refused when the reply is above 100. The lab below runs the pattern of Redis' [INCR page](https://redis.io/docs/latest/commands/incr/): `EXPIRE key 60` only when `INCR` answers 1, on the window's first request. The key then goes 60 seconds after that `EXPIRE`, shortly after its minute ends. Each `EXPIRE` starts the 60 seconds again: a limiter that sends it with every request keeps the key until 60 seconds after the last one."),
            Run(&["INCR user:123:min:05", "EXPIRE user:123:min:05 60", "TTL user:123:min:05"]),
            caveat("incr-expire", "INCR and EXPIRE are two commands",
                "If the client crashes or its connection drops after `INCR` and before `EXPIRE`, the key has no TTL (TTL −1). How long that lasts depends on the pattern. A limiter that sends `EXPIRE` with every request heals at the next request, which sets the TTL again: only the window's last request can leave the key for good. With `EXPIRE` only when `INCR` answers 1, the lab's pattern, the window's one `EXPIRE` is lost and the key stays for good: in memory, and, since `MM` comes back every hour, the user starts that minute already counted. A key that does not name its minute would block the user for good. Send both in one transaction, which a client that dies before `EXEC` never runs: {MULTI}, {INCR user:123:min:06}, {EXPIRE user:123:min:06 60}, {EXEC}; or run both in one Lua script, as Redis' INCR page suggests: {EVAL \"local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n\" 1 user:123:min:08 60}."),
            caveat("set-nx", "SET … NX first narrows the gap; it does not close it",
                "{SET user:123:min:07 0 EX 60 NX}, then {INCR user:123:min:07}, gives a new key its TTL at birth. But when `SET … NX` finds the key (it answers nil) and the key expires before the `INCR` runs, a client stalled between the two or the window's last request, `INCR` creates the key again, with no TTL. Redis freezes its clock only within one command, a `MULTI`/`EXEC` block or a script (`call()` in Redis' `server.c`, `keyIsExpired()` in `db.c`), so only those close the gap. Try it on the virtual clock: {SET user:9:win 0 EX 1 NX}, then {SET user:9:win 0 EX 1 NX} again (nil: the key exists), let the clock run two seconds, then {INCR user:9:win} and {TTL user:9:win}, which answers -1. The lab's stall button does the same to user 123."),
            caveat("no-rollback", "MULTI/EXEC runs all, but undoes nothing",
                "A transaction's commands run one after the other with nothing in between, and a client that dies before `EXEC` runs none of them. But Redis has no rollback: when a queued command fails as it runs, the others still run. {SET visits abc}, {MULTI}, {INCR visits}, {EXPIRE visits 60}, {EXEC}: the `INCR` fails and the `EXPIRE` runs. Only a command refused while it is queued (a wrong number of arguments, say) makes `EXEC` refuse the whole block with `EXECABORT`. See [Redis' transactions page](https://redis.io/docs/latest/develop/interact/transactions/)."),
            H("`EXPIRE … NX`: a window that never moves"),
            P("Redis 7.0 gave `EXPIRE` the option `NX`: set a timeout only when the key has none. Sent with every request, inside `MULTI`, it never pushes the window's end later, and it gives a TTL back to any key that lost its own:"),
            Run(&["MULTI", "INCR user:123:min:10", "EXPIRE user:123:min:10 60 NX", "EXEC", "MULTI", "INCR user:123:min:10", "EXPIRE user:123:min:10 60 NX", "EXEC"]),
            P("The second `EXEC` answers `0` for the `EXPIRE`: the window kept the end it was given at its first request."),
            caveat("window-edge", "Twice the limit at a window's edge",
                "Windows are fixed: 100 requests at 12:05:59 and 100 more at 12:06:00 all pass, 200 in two seconds. If bursts matter, use a sliding window (below) or a token bucket."),
            H("Sliding windows, two ways"),
            P("**A log**: one sorted-set member per request, scored by its time in ms. Drop what is older than a minute, add this request, count. Exact, but it holds one member per allowed request:"),
            Run(&["MULTI", "ZREMRANGEBYSCORE user:123:log -inf 1699999140000", "ZADD user:123:log 1699999200000 req:1", "ZCARD user:123:log", "EXPIRE user:123:log 60", "EXEC"]),
            P("**Two counters, weighted**: keep the fixed-window counters and estimate the last 60 seconds as the previous minute's count times the part of it still inside the window, plus this minute's count. Two keys per user, and an estimate that assumes the previous minute's requests were spread evenly. At 15 s into minute 15, with 80 requests in minute 14, the script counts this request and answers 80 × 45/60 + 1 = 61:"),
            Run(&["SET user:123:min:14 80", "EVAL \"local cur = redis.call('INCR', KEYS[2]) if cur == 1 then redis.call('EXPIRE', KEYS[2], 120) end local prev = tonumber(redis.call('GET', KEYS[1]) or '0') return math.floor(prev * (60 - ARGV[1]) / 60) + cur\" 2 user:123:min:14 user:123:min:15 15"]),
            Live(Demo::Lab(LabId::RateLimiter)),
        ],
    },
    Chapter {
        id: "leaderboard",
        title: "Leaderboards with ZINCRBY",
        blocks: &[
            P("A sorted set keeps its members ordered by score. `ZINCRBY game:scores 10 alice` adds ten points and moves alice to her new rank in one step; the top ten is always one read away."),
            Run(&["ZINCRBY game:scores 10 alice", "ZINCRBY game:scores 30 bob", "ZINCRBY game:scores 10 carol", "ZRANGE game:scores 0 9 REV WITHSCORES", "ZREVRANK game:scores alice"]),
            caveat("ties", "Ties are ordered by name",
                "Equal scores are ordered by member name, byte by byte, and reversed by `REV` (and by the deprecated `ZREVRANGE`): carol ranks above alice here, whoever scored first. To reward the first to reach a score, fold the time into the score: points × 10¹⁰ minus the time in seconds. A score is a double, exact for whole numbers only up to 2⁵³ (about 9.007 × 10¹⁵), so this holds while the time stays below 10¹⁰ seconds (until the year 2286) and the points at most 900,719: {ZADD race 29999999999999 first 29999999999998 second}, {ZRANGE race 0 -1 REV WITHSCORES}."),
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
                "A small hash is stored as one compact list (a listpack): by default up to 512 fields, with every field name and every value at most 64 bytes (`hash-max-listpack-entries` and `hash-max-listpack-value`; Redis' `t_hash.c` checks the name as well as the value). Past any limit it becomes a real hash table and most of the saving is gone. And in Redis 7.0 a field cannot expire on its own: only a whole key has a TTL."),
            Live(Demo::Lab(LabId::Counters)),
        ],
    },
    Chapter {
        id: "durability",
        title: "Counters you cannot lose",
        blocks: &[
            P("Redis keeps its data in memory. What survives a crash depends on persistence. Out of the box (Redis 7.0's `redis.conf`) that is RDB snapshots alone, `save 3600 1 300 100 60 10000`: a snapshot after an hour if one key changed, after 5 minutes if 100 did, after a minute if 10,000 did, so a crash can lose up to an hour of counts. The append-only file (AOF) is off (`appendonly no`); turned on, its `appendfsync` setting says how often it is forced to disk, and `everysec` is that setting's default:"),
            List(&[
                "`always`: on disk before the reply. Nothing acknowledged is lost; every write waits for the disk.",
                "`everysec`: up to about a second of writes can be lost, about two when the disk is slow.",
                "`no`: the operating system decides (on Linux, within about 30 seconds).",
                "RDB snapshots only, the default: everything since the last snapshot.",
            ]),
            caveat("what-crashed", "It depends on what crashed",
                "The AOF losses above happen when the machine goes down. If only the Redis process dies, the operating system still holds what Redis wrote to the file, synced or not. Almost: under `everysec`, while a background fsync is still running, Redis keeps new writes in its own buffer for up to 2 seconds and goes on replying (`flushAppendOnlyFile()` in Redis' `aof.c`), so on a slow disk a process crash can lose about 2 seconds too. With RDB alone, everything since the last snapshot is gone either way. And a lost like was acknowledged: its client was told `(integer) 101`."),
            Live(Demo::Lab(LabId::Durability)),
            H("A replica does not save an acknowledged increment"),
            P("Replication is asynchronous: the primary answers `(integer) 101` and sends the write to its replicas afterwards. If the primary dies before a replica got it and that replica is promoted (by Sentinel, or a Cluster failover), the acknowledged increments are gone, and the new primary counts on from its older value."),
            P("`WAIT 1 100` blocks the client until at least one replica has acknowledged every write the client sent before, or 100 ms have passed, and answers how many replicas did. It does not make a write durable (a replica acknowledges receiving it, not writing it to disk), it does not undo the write when too few replicas answered, and a failover can still promote a replica that missed it ([Redis' WAIT page](https://redis.io/docs/latest/commands/wait/)). It narrows the window of loss; it does not make Redis a consistent store. The lab above runs a replica beside the primary: choose how far behind it is, crash the primary, and compare what the primary had answered, what the promoted replica has, and what `WAIT 1` had confirmed."),
        ],
    },
    Chapter {
        id: "pros-cons",
        title: "Pros and cons",
        blocks: &[
            P("What counters in Redis give, and what they cost. Each point links to where you can see it."),
            H("Pros"),
            List(&[
                "**Speed**: memory, no commit flushed to disk per update, no row lock held until a commit. The [flood](race) pushes 100,000 updates through one server.",
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
];
