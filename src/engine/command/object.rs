//! Looking inside values: OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP and MEMORY USAGE /
//! DOCTOR / PURGE / HELP, as `object.c` answers them.
//!
//! OBJECT reads the key without touching it (`LOOKUP_NOTOUCH`), expiring it first if its time is
//! up; a missing key is a nil reply. MEMORY USAGE does not even expire it (it finds the key in the
//! dictionary directly), and reports what [`crate::engine::memory`] computes.

use super::{help_reply, is, Call};
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::memory;
use crate::engine::number::parse_i64;
use crate::engine::object::{self, SHARED_REFCOUNT};
use crate::engine::reply::Reply;
use crate::engine::Engine;

/// The internal representation of the value at a key: `int`, `embstr`, `raw`, `listpack`,
/// `hashtable`, `skiplist`, `intset` or `quicklist`.
///
/// ```text
/// OBJECT ENCODING key
/// ```
pub fn object_encoding(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(db
        .get_untouched(argv[2])
        .map_or(Reply::Nil, |v| Reply::bulk(object::encoding(v))))
}

/// How many references the value has: `2147483647` for a shared integer (0–9,999, unless
/// `maxmemory` is set with an LRU or LFU policy), else 1.
///
/// ```text
/// OBJECT REFCOUNT key
/// ```
pub fn object_refcount(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[2];
    let private = db.is_private(key);
    let Some(value) = db.get_untouched(key) else {
        return Ok(Reply::Nil);
    };
    let shared = object::shared_integer(value, private).is_some();
    Ok(Reply::Integer(if shared { SHARED_REFCOUNT } else { 1 }))
}

/// The access stamp of `key` in the database `client` works in (for a shared integer, the latest
/// any database gave it), without touching it; `None` when missing.
fn stamp(engine: &mut Engine, client: crate::engine::ClientId, key: &[u8]) -> Option<u32> {
    let now = engine.now_ms();
    let lfu = engine.config().policy().is_lfu();
    let db = engine.db_for(client);
    db.get_untouched(key)?;
    let (own, shared) = db.stamp(key)?;
    let Some(n) = shared else {
        return Some(own);
    };
    // The shared object is one for the whole server: the latest access in any database wins.
    let age = |stamp: u32| {
        if lfu {
            // Minutes since the access, as LFUTimeElapsed counts them.
            let last = stamp >> 8;
            let minutes = (now.div_euclid(60_000).rem_euclid(1 << 16)) as u32;
            u64::from(if minutes >= last {
                minutes - last
            } else {
                65_535 - last + minutes
            })
        } else {
            object::idle_ms(stamp, now)
        }
    };
    let stamps = (0..crate::engine::DATABASES)
        .filter_map(|i| engine.database(i).and_then(|db| db.shared_stamp(n)))
        .chain(std::iter::once(own));
    stamps.min_by_key(|&s| age(s))
}

const LFU_SELECTED: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. \
Please note that when switching between policies at runtime LRU and LFU data will take some time \
to adjust.";

const LFU_NOT_SELECTED: &str = "ERR An LFU maxmemory policy is not selected, access frequency not \
tracked. Please note that when switching between policies at runtime LRU and LFU data will take \
some time to adjust.";

/// Seconds since the key was last read or written, at the LRU clock's one-second resolution.
/// Refused under an LFU policy.
///
/// ```text
/// OBJECT IDLETIME key
/// ```
pub fn object_idletime(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let Some(stamp) = stamp(engine, call.client, call.argv[2]) else {
        return Ok(Reply::Nil);
    };
    if engine.config().policy().is_lfu() {
        return Err(Error::Other(LFU_SELECTED.as_bytes().to_vec()));
    }
    let idle = object::idle_ms(stamp, engine.now_ms()) / 1000;
    Ok(Reply::Integer(i64::try_from(idle).unwrap_or(i64::MAX)))
}

/// The logarithmic access counter of the key, decayed to now. Only under an LFU policy.
///
/// ```text
/// OBJECT FREQ key
/// ```
pub fn object_freq(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let Some(stamp) = stamp(engine, call.client, call.argv[2]) else {
        return Ok(Reply::Nil);
    };
    let config = *engine.config();
    if !config.policy().is_lfu() {
        return Err(Error::Other(LFU_NOT_SELECTED.as_bytes().to_vec()));
    }
    let counter = object::lfu_decr_and_return(stamp, &config, engine.now_ms());
    Ok(Reply::Integer(i64::from(counter)))
}

/// OBJECT's subcommands, in Redis' words.
///
/// ```text
/// OBJECT HELP
/// ```
pub fn object_help(_db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(help_reply(
        argv[0],
        &[
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ],
    ))
}

/// The bytes a key and its value take, by Redis 7.0's accounting; nested values are sampled
/// `count` times (5 unless given; 0 means all).
///
/// ```text
/// MEMORY USAGE key [SAMPLES count]
/// ```
pub fn memory_usage(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let mut samples = 5usize;
    let mut j = 3;
    while j < argv.len() {
        if is(argv[j], "samples") && j + 1 < argv.len() {
            let n = parse_i64(argv[j + 1]).ok_or(Error::NotInteger)?;
            if n < 0 {
                return Err(Error::Syntax);
            }
            samples = if n == 0 {
                usize::MAX
            } else {
                usize::try_from(n).unwrap_or(usize::MAX)
            };
            j += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    let key = argv[2];
    Ok(match db.peek(key) {
        None => Reply::Nil,
        Some(value) => {
            let bytes = memory::usage(&memory::SERVER, key, value, samples);
            Reply::Integer(i64::try_from(bytes).unwrap_or(i64::MAX))
        }
    })
}

/// Memory problems report: on an instance this small, Redis' own refusal to diagnose it.
///
/// ```text
/// MEMORY DOCTOR
/// ```
pub fn memory_doctor(_db: &mut Db, _argv: &[&[u8]]) -> Result<Reply, Error> {
    // getMemoryDoctorReport: below 5 MB allocated, Redis says so instead of diagnosing.
    Ok(Reply::verbatim_text(
        b"Hi Sam, this instance is empty or is using very little memory, my issues detector can't \
be used in these conditions. Please, leave for your mission on Earth and fill it with some data. \
The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
            .to_vec(),
    ))
}

/// Asks the allocator to release dirty pages: nothing to do here.
///
/// ```text
/// MEMORY PURGE
/// ```
pub fn memory_purge(_db: &mut Db, _argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::ok())
}

/// MEMORY's subcommands, in Redis' words.
///
/// ```text
/// MEMORY HELP
/// ```
pub fn memory_help(_db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(help_reply(
        argv[0],
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ],
    ))
}
