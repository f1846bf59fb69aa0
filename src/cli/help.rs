//! HELP for the console: what each supported command does and how it is written.
//!
//! redis-cli answers `HELP` itself, from its own copy of the command docs, without asking the
//! server; the console does the same from this table. The syntax lines and versions are Redis
//! 7.0's; the summaries are ours. Only commands in the engine's command table are shown, and a
//! test fails when the table has a command this file does not document.
//!
//! ```
//! use incr_lab::cli::help;
//! assert_eq!(help::help_lines(&[b"incr"])[0], "  INCR key");
//! ```

use crate::engine::command;
use crate::engine::scripting::VM_DIFFERENCES;

/// The groups HELP lists commands under, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Strings and counters.
    Strings,
    /// Bits of strings (Redis' "bitmap" group).
    Bitmaps,
    /// Hashes.
    Hashes,
    /// Sets.
    Sets,
    /// Sorted sets.
    SortedSets,
    /// Lists.
    Lists,
    /// HyperLogLog.
    HyperLogLog,
    /// Keys and expiry (Redis' "generic" group, plus DBSIZE and FLUSHDB/FLUSHALL).
    Keys,
    /// MULTI/EXEC/WATCH.
    Transactions,
    /// PING, ECHO.
    Connection,
    /// EVAL, EVALSHA, SCRIPT.
    Scripting,
    /// CONFIG, MEMORY, TIME, … (Redis' "server" group).
    Server,
}

impl Group {
    /// Every group, in listing order.
    pub const ALL: [Group; 12] = [
        Group::Strings,
        Group::Bitmaps,
        Group::Hashes,
        Group::Sets,
        Group::SortedSets,
        Group::Lists,
        Group::HyperLogLog,
        Group::Keys,
        Group::Transactions,
        Group::Scripting,
        Group::Connection,
        Group::Server,
    ];

    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            Group::Strings => "Strings and counters",
            Group::Bitmaps => "Bitmaps",
            Group::Hashes => "Hashes",
            Group::Sets => "Sets",
            Group::SortedSets => "Sorted sets",
            Group::Lists => "Lists",
            Group::HyperLogLog => "HyperLogLog",
            Group::Keys => "Keys and expiry",
            Group::Transactions => "Transactions",
            Group::Connection => "Connection",
            Group::Scripting => "Scripting (Lua)",
            Group::Server => "Server",
        }
    }
}

/// One command's help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandDoc {
    /// The name, uppercase.
    pub name: &'static str,
    /// The arguments after the name, in Redis' notation (`key [key ...]`); empty if none.
    pub arguments: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// The Redis version that introduced it.
    pub since: &'static str,
    /// Where HELP lists it.
    pub group: Group,
}

impl CommandDoc {
    /// The syntax line: name and arguments (`INCRBY key increment`).
    pub fn syntax(&self) -> String {
        if self.arguments.is_empty() {
            self.name.to_owned()
        } else {
            format!("{} {}", self.name, self.arguments)
        }
    }
}

const fn doc(
    group: Group,
    name: &'static str,
    arguments: &'static str,
    since: &'static str,
    summary: &'static str,
) -> CommandDoc {
    CommandDoc {
        name,
        arguments,
        summary,
        since,
        group,
    }
}

use Group::{
    Bitmaps, Connection, Hashes, HyperLogLog, Keys, Lists, Scripting, Server, Sets, SortedSets,
    Strings, Transactions,
};

/// Help for every command of the tutorial, including some the engine may not run yet (those are
/// never shown).
static DOCS: &[CommandDoc] = &[
    doc(Strings, "GET", "key", "1.0.0", "Returns the string stored at a key, or nil when there is none."),
    doc(
        Strings,
        "SET",
        "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]",
        "1.0.0",
        "Stores a string at a key; NX/XX make it conditional, EX/PX/EXAT/PXAT give it an expiry.",
    ),
    doc(Strings, "GETSET", "key value", "1.0.0", "Stores a string at a key and returns the value it replaced."),
    doc(Strings, "GETDEL", "key", "6.2.0", "Returns the string stored at a key and deletes the key."),
    doc(Strings, "INCR", "key", "1.0.0", "Adds 1 to the integer stored at a key (a missing key counts as 0), in one atomic step."),
    doc(Strings, "DECR", "key", "1.0.0", "Subtracts 1 from the integer stored at a key (a missing key counts as 0)."),
    doc(Strings, "INCRBY", "key increment", "1.0.0", "Adds a whole number to the integer stored at a key."),
    doc(Strings, "DECRBY", "key decrement", "1.0.0", "Subtracts a whole number from the integer stored at a key."),
    doc(Strings, "INCRBYFLOAT", "key increment", "2.6.0", "Adds a decimal number to the number stored at a key."),
    doc(Strings, "SETNX", "key value", "1.0.0", "Stores a string at a key only if the key does not exist; replies 1 if it did."),
    doc(Strings, "SETEX", "key seconds value", "2.0.0", "Stores a string at a key that expires after a number of seconds."),
    doc(Strings, "PSETEX", "key milliseconds value", "2.6.0", "Stores a string at a key that expires after a number of milliseconds."),
    doc(
        Strings,
        "GETEX",
        "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]",
        "6.2.0",
        "Returns the string stored at a key and sets or removes its expiry.",
    ),
    doc(Strings, "MSET", "key value [key value ...]", "1.0.1", "Stores several strings at once."),
    doc(Strings, "MSETNX", "key value [key value ...]", "1.0.1", "Stores several strings at once, only if none of the keys exists."),
    doc(Strings, "MGET", "key [key ...]", "1.0.0", "Returns the strings stored at several keys (nil for missing ones)."),
    doc(Strings, "APPEND", "key value", "2.0.0", "Adds bytes to the end of the string at a key; replies the new length."),
    doc(Strings, "STRLEN", "key", "2.2.0", "The length in bytes of the string stored at a key."),
    doc(Strings, "GETRANGE", "key start end", "2.4.0", "Returns the bytes of a string between two offsets (negative ones count from the end)."),
    doc(Strings, "SUBSTR", "key start end", "1.0.0", "GETRANGE's old name: the bytes of a string between two offsets."),
    doc(Strings, "SETRANGE", "key offset value", "2.2.0", "Overwrites part of a string from an offset, padding with zero bytes."),
    doc(
        Strings,
        "LCS",
        "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]",
        "7.0.0",
        "The longest common subsequence of two strings, its length, or where it matches.",
    ),
    doc(Bitmaps, "SETBIT", "key offset value", "2.2.0", "Sets or clears one bit of a string (growing it with zero bytes); replies the old bit."),
    doc(Bitmaps, "GETBIT", "key offset", "2.2.0", "Returns one bit of a string (0 past its end)."),
    doc(Bitmaps, "BITCOUNT", "key [start end [BYTE|BIT]]", "2.6.0", "Counts the bits set to 1 in a string, or in a range of its bytes or bits."),
    doc(Bitmaps, "BITPOS", "key bit [start [end [BYTE|BIT]]]", "2.8.7", "The position of the first bit set to 1 (or 0) in a string or a range of it."),
    doc(Bitmaps, "BITOP", "AND|OR|XOR|NOT destkey key [key ...]", "2.6.0", "Combines strings bit by bit and stores the result; replies its length."),
    doc(
        Bitmaps,
        "BITFIELD",
        "key [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY encoding offset increment ...]",
        "3.2.0",
        "Reads and writes integers of any width (i5, u8, …) at bit offsets; OVERFLOW FAIL bounds an INCRBY.",
    ),
    doc(Bitmaps, "BITFIELD_RO", "key [GET encoding offset ...]", "6.0.0", "BITFIELD with GET only."),
    doc(Hashes, "HSET", "key field value [field value ...]", "2.0.0", "Sets fields of a hash; replies how many of them are new."),
    doc(Hashes, "HGET", "key field", "2.0.0", "Returns the value of one field of a hash, or nil."),
    doc(Hashes, "HGETALL", "key", "2.0.0", "Returns every field of a hash, each followed by its value."),
    doc(Hashes, "HDEL", "key field [field ...]", "2.0.0", "Removes fields from a hash; replies how many existed."),
    doc(Hashes, "HLEN", "key", "2.0.0", "Counts the fields of a hash."),
    doc(Hashes, "HEXISTS", "key field", "2.0.0", "Replies 1 when the hash has the field, 0 otherwise."),
    doc(Hashes, "HINCRBY", "key field increment", "2.0.0", "Adds a whole number to the integer in a hash field."),
    doc(Hashes, "HINCRBYFLOAT", "key field increment", "2.6.0", "Adds a decimal number to the number in a hash field."),
    doc(Hashes, "HMSET", "key field value [field value ...]", "2.0.0", "Sets fields of a hash and replies OK (HSET's old form)."),
    doc(Hashes, "HSETNX", "key field value", "2.0.0", "Sets a field only if the hash does not have it; replies 1 if it did."),
    doc(Hashes, "HMGET", "key field [field ...]", "2.0.0", "Returns the values of several fields of a hash (nil for missing ones)."),
    doc(Hashes, "HKEYS", "key", "2.0.0", "Returns every field of a hash."),
    doc(Hashes, "HVALS", "key", "2.0.0", "Returns every value of a hash."),
    doc(Hashes, "HSTRLEN", "key field", "3.2.0", "The length in bytes of a field's value."),
    doc(
        Hashes,
        "HRANDFIELD",
        "key [count [WITHVALUES]]",
        "6.2.0",
        "Random fields of a hash: distinct ones for a positive count, repeats allowed for a negative one.",
    ),
    doc(Hashes, "HSCAN", "key cursor [MATCH pattern] [COUNT count]", "2.8.0", "Iterates the fields and values of a hash, a page per call, with a cursor."),
    doc(
        SortedSets,
        "ZADD",
        "key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]",
        "1.2.0",
        "Adds members with their scores to a sorted set, or changes the scores of existing ones.",
    ),
    doc(SortedSets, "ZINCRBY", "key increment member", "1.2.0", "Adds a number to a member's score."),
    doc(SortedSets, "ZSCORE", "key member", "1.2.0", "Returns a member's score, or nil."),
    doc(
        SortedSets,
        "ZRANGE",
        "key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]",
        "1.2.0",
        "Returns the members in a range of ranks (of scores with BYSCORE, of names with BYLEX), lowest score first.",
    ),
    doc(SortedSets, "ZREVRANGE", "key start stop [WITHSCORES]", "1.2.0", "Returns the members in a range of ranks, highest score first."),
    doc(SortedSets, "ZRANK", "key member", "2.0.0", "Returns a member's rank (0 for the lowest score), or nil."),
    doc(SortedSets, "ZREVRANK", "key member", "2.0.0", "Returns a member's rank counted from the highest score, or nil."),
    doc(SortedSets, "ZCARD", "key", "1.2.0", "Counts the members of a sorted set."),
    doc(SortedSets, "ZREM", "key member [member ...]", "1.2.0", "Removes members from a sorted set; replies how many existed."),
    doc(SortedSets, "ZRANGEBYLEX", "key min max [LIMIT offset count]", "2.8.9", "Returns the members between two names ([a inclusive, (a exclusive, - and +) of a set whose scores are equal."),
    doc(SortedSets, "ZREVRANGEBYLEX", "key max min [LIMIT offset count]", "2.8.9", "ZRANGEBYLEX from the highest name down: the maximum comes first."),
    doc(SortedSets, "ZLEXCOUNT", "key min max", "2.8.9", "Counts the members between two names ([a, (a, - and +) of a set whose scores are equal."),
    doc(SortedSets, "ZREMRANGEBYLEX", "key min max", "2.8.9", "Removes the members between two names ([a, (a, - and +); replies how many went."),
    doc(SortedSets, "ZRANGEBYSCORE", "key min max [WITHSCORES] [LIMIT offset count]", "1.0.5", "Returns the members whose scores lie between min and max (( excludes a bound; -inf, +inf)."),
    doc(SortedSets, "ZREVRANGEBYSCORE", "key max min [WITHSCORES] [LIMIT offset count]", "2.2.0", "ZRANGEBYSCORE from the highest score down: the maximum comes first."),
    doc(SortedSets, "ZCOUNT", "key min max", "2.0.0", "Counts the members whose scores lie between min and max."),
    doc(SortedSets, "ZMSCORE", "key member [member ...]", "6.2.0", "Returns the scores of several members (nil for a missing one)."),
    doc(SortedSets, "ZPOPMIN", "key [count]", "5.0.0", "Removes and returns the members with the lowest scores."),
    doc(SortedSets, "ZPOPMAX", "key [count]", "5.0.0", "Removes and returns the members with the highest scores."),
    doc(SortedSets, "ZMPOP", "numkeys key [key ...] MIN|MAX [COUNT count]", "7.0.0", "Pops the lowest (MIN) or highest (MAX) members of the first of the keys that holds a sorted set."),
    doc(SortedSets, "ZRANGESTORE", "dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]", "6.2.0", "Stores a ZRANGE's members and scores at dst; replies how many."),
    doc(SortedSets, "ZREMRANGEBYRANK", "key start stop", "2.0.0", "Removes the members in a range of ranks; replies how many went."),
    doc(SortedSets, "ZREMRANGEBYSCORE", "key min max", "1.2.0", "Removes the members whose scores lie between min and max; replies how many went."),
    doc(SortedSets, "ZUNION", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]", "6.2.0", "Returns the members of all the sets, their scores summed (or the MIN, or the MAX)."),
    doc(SortedSets, "ZINTER", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]", "6.2.0", "Returns the members every set holds, their scores summed (or the MIN, or the MAX)."),
    doc(SortedSets, "ZDIFF", "numkeys key [key ...] [WITHSCORES]", "6.2.0", "Returns the members of the first set that none of the others holds."),
    doc(SortedSets, "ZUNIONSTORE", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]", "2.0.0", "Stores ZUNION's result at destination (a weekly leaderboard from daily ones); replies its size."),
    doc(SortedSets, "ZINTERSTORE", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]", "2.0.0", "Stores ZINTER's result at destination; replies its size."),
    doc(SortedSets, "ZDIFFSTORE", "destination numkeys key [key ...]", "6.2.0", "Stores ZDIFF's result at destination; replies its size."),
    doc(SortedSets, "ZINTERCARD", "numkeys key [key ...] [LIMIT limit]", "7.0.0", "Counts the members every set holds, stopping at limit (0: no limit)."),
    doc(SortedSets, "ZRANDMEMBER", "key [count [WITHSCORES]]", "6.2.0", "Returns random members: count distinct ones, or with a negative count that many draws."),
    doc(SortedSets, "ZSCAN", "key cursor [MATCH pattern] [COUNT count]", "2.8.0", "Iterates a sorted set's members and scores a page at a time; cursor 0 starts and ends."),
    doc(SortedSets, "BZPOPMIN", "key [key ...] timeout", "5.0.0", "ZPOPMIN on the first key with members; with none, waits until another client adds one or timeout seconds pass (0: for ever)."),
    doc(SortedSets, "BZPOPMAX", "key [key ...] timeout", "5.0.0", "ZPOPMAX on the first key with members, waiting up to timeout seconds as BZPOPMIN does."),
    doc(SortedSets, "BZMPOP", "timeout numkeys key [key ...] MIN|MAX [COUNT count]", "7.0.0", "ZMPOP that waits up to timeout seconds as BZPOPMIN does."),
    doc(Sets, "SADD", "key member [member ...]", "1.0.0", "Adds members to a set; replies how many were not there yet."),
    doc(Sets, "SREM", "key member [member ...]", "1.0.0", "Removes members from a set; replies how many were there."),
    doc(Sets, "SISMEMBER", "key member", "1.0.0", "Replies 1 when the member is in the set, 0 otherwise."),
    doc(Sets, "SMISMEMBER", "key member [member ...]", "6.2.0", "Replies 1 or 0 for each member: whether it is in the set."),
    doc(Sets, "SCARD", "key", "1.0.0", "Counts the members of a set."),
    doc(Sets, "SMEMBERS", "key", "1.0.0", "Returns every member of a set."),
    doc(Sets, "SPOP", "key [count]", "1.0.0", "Removes and returns random members of a set."),
    doc(Sets, "SRANDMEMBER", "key [count]", "1.0.0", "Returns random members of a set (a negative count may repeat them)."),
    doc(Sets, "SMOVE", "source destination member", "1.0.0", "Moves a member from one set to another."),
    doc(Sets, "SINTER", "key [key ...]", "1.0.0", "Returns the members every one of the sets has."),
    doc(Sets, "SINTERSTORE", "destination key [key ...]", "1.0.0", "Stores the intersection of sets at a key; replies its size."),
    doc(Sets, "SINTERCARD", "numkeys key [key ...] [LIMIT limit]", "7.0.0", "Counts the members every one of the sets has, up to a limit."),
    doc(Sets, "SUNION", "key [key ...]", "1.0.0", "Returns the members any of the sets has."),
    doc(Sets, "SUNIONSTORE", "destination key [key ...]", "1.0.0", "Stores the union of sets at a key; replies its size."),
    doc(Sets, "SDIFF", "key [key ...]", "1.0.0", "Returns the members of the first set that none of the others has."),
    doc(Sets, "SDIFFSTORE", "destination key [key ...]", "1.0.0", "Stores the difference of sets at a key; replies its size."),
    doc(Sets, "SSCAN", "key cursor [MATCH pattern] [COUNT count]", "2.8.0", "Iterates over the members of a set, a few at a time."),
    doc(Lists, "LPUSH", "key element [element ...]", "1.0.0", "Pushes elements at the head of a list, one after the other; replies its length."),
    doc(Lists, "RPUSH", "key element [element ...]", "1.0.0", "Pushes elements at the tail of a list; replies its length."),
    doc(Lists, "LPUSHX", "key element [element ...]", "2.2.0", "LPUSH, only if the list exists."),
    doc(Lists, "RPUSHX", "key element [element ...]", "2.2.0", "RPUSH, only if the list exists."),
    doc(Lists, "LPOP", "key [count]", "1.0.0", "Removes and returns the first element (or the first count)."),
    doc(Lists, "RPOP", "key [count]", "1.0.0", "Removes and returns the last element (or the last count)."),
    doc(Lists, "LLEN", "key", "1.0.0", "Returns the length of a list."),
    doc(Lists, "LINDEX", "key index", "1.0.0", "Returns the element at an index (negative counts from the tail)."),
    doc(Lists, "LRANGE", "key start stop", "1.0.0", "Returns the elements from start to stop, both included (-1 is the last)."),
    doc(Lists, "LSET", "key index element", "1.0.0", "Replaces the element at an index."),
    doc(Lists, "LINSERT", "key BEFORE|AFTER pivot element", "2.2.0", "Inserts an element before or after the first occurrence of another."),
    doc(Lists, "LREM", "key count element", "1.0.0", "Removes occurrences of an element (count > 0 from the head, < 0 from the tail, 0 all)."),
    doc(Lists, "LTRIM", "key start stop", "1.0.0", "Keeps only the elements from start to stop: a capped list."),
    doc(Lists, "LPOS", "key element [RANK rank] [COUNT num-matches] [MAXLEN len]", "6.0.6", "Returns the index of an element (or of several matches)."),
    doc(Lists, "LMOVE", "source destination LEFT|RIGHT LEFT|RIGHT", "6.2.0", "Pops an element from one list and pushes it onto another, atomically: a reliable queue."),
    doc(Lists, "RPOPLPUSH", "source destination", "1.2.0", "LMOVE source destination RIGHT LEFT."),
    doc(Lists, "LMPOP", "numkeys key [key ...] LEFT|RIGHT [COUNT count]", "7.0.0", "Pops elements from the first non-empty list among several keys."),
    doc(HyperLogLog, "PFADD", "key [element [element ...]]", "2.8.9", "Adds elements to a HyperLogLog, which counts distinct elements in 12 KB at most; 1 if its estimate may have changed."),
    doc(HyperLogLog, "PFCOUNT", "key [key ...]", "2.8.9", "Estimates how many distinct elements were added to a HyperLogLog (or to several together)."),
    doc(HyperLogLog, "PFMERGE", "destkey [sourcekey [sourcekey ...]]", "2.8.9", "Stores the union of HyperLogLogs at a key."),
    doc(HyperLogLog, "PFDEBUG", "subcommand key", "2.8.9", "Shows a HyperLogLog's insides: GETREG, DECODE, ENCODING or TODENSE."),
    doc(Keys, "DEL", "key [key ...]", "1.0.0", "Deletes keys; replies how many existed."),
    doc(Keys, "UNLINK", "key [key ...]", "4.0.0", "Deletes keys as DEL does, freeing big values in the background."),
    doc(Keys, "EXISTS", "key [key ...]", "1.0.0", "Counts how many of the given keys exist (a key named twice counts twice)."),
    doc(Keys, "TOUCH", "key [key ...]", "3.2.1", "Counts the given keys that exist, as a read of each (their idle time starts again)."),
    doc(Keys, "TYPE", "key", "1.0.0", "Names the type of the value at a key: string, hash, set, zset, or none."),
    doc(Keys, "KEYS", "pattern", "1.0.0", "Lists the keys matching a glob-style pattern (* ? [abc] [^a] [a-z])."),
    doc(
        Keys,
        "SCAN",
        "cursor [MATCH pattern] [COUNT count] [TYPE type]",
        "2.8.0",
        "Lists the keys a page at a time: start at cursor 0, pass the cursor it returns, stop when it returns 0.",
    ),
    doc(Keys, "RANDOMKEY", "", "1.0.0", "Returns a random key, or nil when the database is empty."),
    doc(Keys, "RENAME", "key newkey", "1.0.0", "Renames a key, with its expiry, replacing any key of the new name."),
    doc(Keys, "RENAMENX", "key newkey", "1.0.0", "Renames a key only if the new name is free; replies 1 if renamed."),
    doc(
        Keys,
        "COPY",
        "source destination [DB destination-db] [REPLACE]",
        "6.2.0",
        "Copies a key's value and expiry to another key, in this database or another.",
    ),
    doc(
        Keys,
        "OBJECT",
        "ENCODING|REFCOUNT|IDLETIME|FREQ key",
        "2.2.3",
        "Shows how a value is stored (ENCODING: int, embstr, listpack, …) and how recently it was used.",
    ),
    doc(Keys, "DBSIZE", "", "1.0.0", "Counts the keys in the database."),
    doc(Keys, "FLUSHDB", "[ASYNC|SYNC]", "1.0.0", "Deletes every key in the database."),
    doc(Keys, "FLUSHALL", "[ASYNC|SYNC]", "1.0.0", "Deletes every key in every database."),
    doc(Keys, "MOVE", "key db", "1.0.0", "Moves a key, with its expiry, to another of the 16 databases; 0 if it is missing or already there."),
    doc(Keys, "SWAPDB", "index1 index2", "4.0.0", "Swaps the contents of two databases; connections stay on the index they selected."),
    doc(Keys, "EXPIRE", "key seconds [NX|XX|GT|LT]", "1.0.0", "Makes a key expire after a number of seconds."),
    doc(Keys, "PEXPIRE", "key milliseconds [NX|XX|GT|LT]", "2.6.0", "Makes a key expire after a number of milliseconds."),
    doc(Keys, "EXPIREAT", "key unix-time-seconds [NX|XX|GT|LT]", "1.2.0", "Makes a key expire at a Unix time given in seconds."),
    doc(Keys, "PEXPIREAT", "key unix-time-milliseconds [NX|XX|GT|LT]", "2.6.0", "Makes a key expire at a Unix time given in milliseconds."),
    doc(Keys, "TTL", "key", "1.0.0", "Seconds until a key expires; -1 if it never does, -2 if it does not exist."),
    doc(Keys, "PTTL", "key", "2.6.0", "Milliseconds until a key expires; -1 if it never does, -2 if it does not exist."),
    doc(Keys, "EXPIRETIME", "key", "7.0.0", "The Unix time in seconds at which a key expires; -1 if never, -2 if no key."),
    doc(Keys, "PEXPIRETIME", "key", "7.0.0", "The Unix time in milliseconds at which a key expires; -1 if never, -2 if no key."),
    doc(Keys, "PERSIST", "key", "2.2.0", "Removes a key's expiry; replies 1 if it had one."),
    doc(Transactions, "MULTI", "", "1.2.0", "Starts a transaction: the commands that follow are queued, not run."),
    doc(Transactions, "EXEC", "", "1.2.0", "Runs the queued commands back to back; replies nil if a watched key changed."),
    doc(Transactions, "DISCARD", "", "2.0.0", "Drops the queued commands and ends the transaction."),
    doc(Transactions, "WATCH", "key [key ...]", "2.2.0", "Makes the next EXEC fail if any of these keys changes before it."),
    doc(Transactions, "UNWATCH", "", "2.2.0", "Forgets every watched key."),
    doc(Scripting, "EVAL", "script numkeys [key [key ...]] [arg [arg ...]]", "2.6.0", "Runs a Lua script atomically; KEYS and ARGV hold the keys and arguments, redis.call runs commands."),
    doc(Scripting, "EVALSHA", "sha1 numkeys [key [key ...]] [arg [arg ...]]", "2.6.0", "Runs a cached script by its SHA1 (SCRIPT LOAD or an earlier EVAL cached it)."),
    doc(Scripting, "EVAL_RO", "script numkeys [key [key ...]] [arg [arg ...]]", "7.0.0", "EVAL for a script that only reads: a write inside it fails."),
    doc(Scripting, "EVALSHA_RO", "sha1 numkeys [key [key ...]] [arg [arg ...]]", "7.0.0", "EVALSHA for a script that only reads: a write inside it fails."),
    doc(Scripting, "SCRIPT", "LOAD script | EXISTS sha1 [sha1 ...] | FLUSH [ASYNC|SYNC] | KILL | HELP", "2.6.0", "Manages the script cache: LOAD caches a script and replies its SHA1, EXISTS asks, FLUSH empties."),
    doc(Scripting, "FCALL", "function numkeys [key [key ...]] [arg [arg ...]]", "7.0.0", "Calls a function a library registered (FUNCTION LOAD), atomically, as EVAL runs a script."),
    doc(Scripting, "FCALL_RO", "function numkeys [key [key ...]] [arg [arg ...]]", "7.0.0", "FCALL for a function that only reads."),
    doc(Scripting, "FUNCTION", "LOAD [REPLACE] code | DELETE library | FLUSH [ASYNC|SYNC] | LIST [LIBRARYNAME pattern] [WITHCODE] | DUMP | RESTORE payload [FLUSH|APPEND|REPLACE] | STATS | KILL | HELP", "7.0.0", "Manages function libraries: code starting '#!lua name=lib' registers functions with redis.register_function."),
    doc(Connection, "PING", "[message]", "1.0.0", "Replies PONG, or the message when one is given."),
    doc(Connection, "ECHO", "message", "1.0.0", "Replies the message."),
    doc(Connection, "SELECT", "index", "1.0.0", "Switches this connection to database 0–15 (it starts in 0)."),
    doc(
        Server,
        "MEMORY",
        "USAGE key [SAMPLES count]",
        "4.0.0",
        "Reports the bytes a key and its value take in Redis' memory, by its own accounting.",
    ),
    doc(
        Server,
        "CONFIG",
        "GET parameter [parameter ...] | SET parameter value [parameter value ...] | RESETSTAT",
        "2.0.0",
        "Reads or changes settings such as hash-max-listpack-entries or maxmemory.",
    ),
    doc(
        Server,
        "COMMAND",
        "[COUNT | INFO [command-name ...] | DOCS [command-name ...] | LIST [FILTERBY ...]]",
        "2.8.13",
        "Describes the commands this server knows: arity, flags, key positions, documentation.",
    ),
    doc(Server, "TIME", "", "2.6.0", "Returns the server's clock: Unix seconds and microseconds."),
    doc(Server, "LASTSAVE", "", "1.0.0", "The Unix time of the last save to disk (nothing is saved here: the start)."),
];

/// The help of a command the engine runs, by name (any case).
pub fn lookup(name: &[u8]) -> Option<&'static CommandDoc> {
    command::lookup(name)?;
    DOCS.iter()
        .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name))
}

/// The help of every command the engine runs, in its command table's order.
pub fn supported() -> Vec<&'static CommandDoc> {
    command::TABLE
        .iter()
        .filter_map(|spec| lookup(spec.name.as_bytes()))
        .collect()
}

/// What `HELP` prints, given its arguments: an overview of every supported command when there
/// are none, one command's syntax, summary, version and group otherwise.
pub fn help_lines<A: AsRef<[u8]>>(topic: &[A]) -> Vec<String> {
    let topic: Vec<&[u8]> = topic.iter().map(AsRef::as_ref).collect();
    match topic.as_slice() {
        [] => overview(),
        [name] => match lookup(name) {
            Some(doc) => {
                let mut lines = vec![
                    format!("  {}", doc.syntax()),
                    format!("  summary: {}", doc.summary),
                    format!("  since: {}", doc.since),
                    format!("  group: {}", doc.group.title().to_ascii_lowercase()),
                ];
                if doc.group == Group::Scripting {
                    lines.push("  differences from Redis' Lua (a pure-Rust Lua 5.1 runs the scripts here):".to_owned());
                    lines.extend(VM_DIFFERENCES.iter().map(|d| format!("  - {d}")));
                }
                lines
            }
            None => no_help(&topic),
        },
        _ => no_help(&topic),
    }
}

fn no_help(topic: &[&[u8]]) -> Vec<String> {
    let asked = topic
        .iter()
        .map(|t| String::from_utf8_lossy(t))
        .collect::<Vec<_>>()
        .join(" ");
    vec![format!(
        "No help for '{asked}': not a command this engine knows. Type HELP for the list."
    )]
}

fn overview() -> Vec<String> {
    let docs = supported();
    let width = docs.iter().map(|d| d.name.len()).max().unwrap_or(0) + 2;
    let mut lines = vec![
        "Commands this engine knows, with Redis 7.0's behaviour. Type HELP <command> for its syntax."
            .to_owned(),
    ];
    for group in Group::ALL {
        let members: Vec<_> = docs.iter().filter(|d| d.group == group).collect();
        if members.is_empty() {
            continue;
        }
        lines.push(String::new());
        lines.push(group.title().to_owned());
        for d in members {
            lines.push(format!("  {:<width$}{}", d.name, d.summary));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_in_the_table_has_help() {
        for spec in command::TABLE {
            let found = DOCS
                .iter()
                .filter(|d| d.name.eq_ignore_ascii_case(spec.name))
                .count();
            assert_eq!(
                found, 1,
                "command '{}' needs exactly one entry in help.rs DOCS",
                spec.name
            );
        }
        assert_eq!(supported().len(), command::TABLE.len());
    }

    #[test]
    fn docs_are_well_formed() {
        for (i, d) in DOCS.iter().enumerate() {
            assert_eq!(d.name, d.name.to_ascii_uppercase());
            assert!(
                !d.summary.is_empty() && !d.summary.contains('\n'),
                "{}",
                d.name
            );
            assert!(d.since.split('.').count() == 3, "{}", d.name);
            assert!(d.syntax().is_ascii(), "{}", d.name);
            assert!(
                DOCS[..i].iter().all(|e| e.name != d.name),
                "{} twice",
                d.name
            );
        }
    }

    #[test]
    fn help_for_one_command() {
        assert_eq!(
            help_lines(&["IncrBy"]),
            [
                "  INCRBY key increment",
                "  summary: Adds a whole number to the integer stored at a key.",
                "  since: 1.0.0",
                "  group: strings and counters",
            ]
        );
        assert_eq!(help_lines(&["dbsize"])[0], "  DBSIZE");
    }

    #[test]
    fn help_for_unknown_topics() {
        assert_eq!(
            help_lines(&["nope"]),
            ["No help for 'nope': not a command this engine knows. Type HELP for the list."]
        );
        assert!(help_lines(&["get", "set"])[0].starts_with("No help for 'get set'"));
    }

    #[test]
    fn overview_lists_every_supported_command_under_its_group() {
        let lines = help_lines::<&[u8]>(&[]);
        assert!(lines[0].starts_with("Commands this engine knows"));
        assert!(lines.contains(&"Strings and counters".to_owned()));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("  INCR ") && l.contains("atomic")));
        assert!(lines.iter().any(|l| l.starts_with("  MULTI ")));
        let listed = lines.iter().filter(|l| l.starts_with("  ")).count();
        assert_eq!(listed, command::TABLE.len());
    }
}
