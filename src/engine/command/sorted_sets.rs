//! Sorted sets: ZADD, ZINCRBY, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCARD, ZREM, ZRANDMEMBER and ZSCAN
//! here; the range commands (ZRANGE and its forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY…)
//! in [`ranges`], ZPOPMIN, ZPOPMAX and ZMPOP in [`pops`], ZUNION, ZINTER, ZDIFF, their STORE forms
//! and ZINTERCARD in [`setops`].
//!
//! Each follows Redis 7.0's `t_zset.c` step for step, because the order of its checks decides which
//! error a wrong command gets: options first, then their combinations, then every number, and only
//! then the key (so `ZADD string-key x m` says "not a valid float", not WRONGTYPE).
//!
//! Scores are `f64`, read as `getDoubleFromObject` reads them ([`parse_f64`]) and replied as
//! doubles ([`Reply::Double`], `addReplyDouble`: a bulk string `%.17g` in RESP2, RESP3's `,`);
//! with WITHSCORES, member and score are [`Reply::Pairs`] (nested pairs in RESP3). Range bounds
//! are read more loosely, as `zslParseRange` does ([`parse_f64_range`]).

mod blocking;
mod pops;
mod ranges;
mod setops;

pub use blocking::{bzmpop, bzpopmax, bzpopmin};
pub use pops::{zmpop, zpopmax, zpopmin, End};
pub use ranges::{
    zcount, zlexcount, zrange, zrangebylex, zrangebyscore, zrangestore, zremrangebylex,
    zremrangebyrank, zremrangebyscore, zrevrange, zrevrangebylex, zrevrangebyscore,
};
pub use setops::{zdiff, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore};

use super::{is, random};
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::glob::glob_match;
use crate::engine::number::{format_f64, parse_f64};
use crate::engine::reply::Reply;
use crate::engine::scan::{parse_cursor, scan_reply, ScanOptions};
use crate::engine::sorted_set::SortedSet;
use crate::engine::value::Value;

/// Members, with their scores when `with_scores`, as the range and set-operation commands reply
/// them: an array of members, or member/score pairs (flat in RESP2, nested in RESP3).
fn members_reply<'a>(elements: impl Iterator<Item = (&'a [u8], f64)>, with_scores: bool) -> Reply {
    if with_scores {
        Reply::Pairs(
            elements
                .map(|(m, s)| (Reply::Bulk(m.to_vec()), Reply::Double(s)))
                .collect(),
        )
    } else {
        Reply::Array(elements.map(|(m, _)| Reply::Bulk(m.to_vec())).collect())
    }
}

/// ZADD's options, as `zaddGenericCommand` collects them.
#[derive(Clone, Copy, Default)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// Adds members to a sorted set, or updates their scores.
///
/// ```text
/// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
/// ```
/// Replies the number of new members (with CH, of new or changed members); with INCR, the member's
/// new score, or nil when NX/XX/GT/LT stopped the update.
pub fn zadd(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    zadd_generic(db, argv, AddFlags::default())
}

/// Increments the score of a member (a missing member or key counts as 0); replies the new score.
///
/// ```text
/// ZINCRBY key increment member
/// ```
pub fn zincrby(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    zadd_generic(
        db,
        argv,
        AddFlags {
            incr: true,
            ..AddFlags::default()
        },
    )
}

/// Redis' `zaddGenericCommand`, shared by ZADD and ZINCRBY (which is ZADD INCR, options included:
/// `ZINCRBY key nx member` is a syntax error because `nx` is taken as an option).
fn zadd_generic(db: &mut Db, argv: &[&[u8]], mut flags: AddFlags) -> Result<Reply, Error> {
    let key = argv[1];
    let mut score_idx = 2;
    while let Some(&opt) = argv.get(score_idx) {
        if is(opt, "nx") {
            flags.nx = true;
        } else if is(opt, "xx") {
            flags.xx = true;
        } else if is(opt, "ch") {
            flags.ch = true;
        } else if is(opt, "incr") {
            flags.incr = true;
        } else if is(opt, "gt") {
            flags.gt = true;
        } else if is(opt, "lt") {
            flags.lt = true;
        } else {
            break;
        }
        score_idx += 1;
    }
    let pairs = argv.get(score_idx..).unwrap_or(&[]);
    if pairs.is_empty() || pairs.len() % 2 == 1 {
        return Err(Error::Syntax);
    }
    let AddFlags {
        nx,
        xx,
        gt,
        lt,
        ch,
        incr,
    } = flags;
    if nx && xx {
        return Err(Error::ZaddXxAndNx);
    }
    if ((gt || lt) && nx) || (gt && lt) {
        return Err(Error::ZaddGtLtNx);
    }
    if incr && pairs.len() > 2 {
        return Err(Error::ZaddIncrSinglePair);
    }
    let mut elements = Vec::with_capacity(pairs.len() / 2);
    for pair in pairs.chunks_exact(2) {
        let score = parse_f64(pair[0]).ok_or(Error::NotFloat)?;
        elements.push((score, pair[1]));
    }

    let exists = match db.get(key) {
        None => false,
        Some(Value::ZSet(_)) => true,
        Some(_) => return Err(Error::WrongType),
    };
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last_score = 0.0;
    let mut result = Ok(());
    if exists || !xx {
        let set = db.zset_or_create(key)?;
        for &(score, member) in &elements {
            match zset_add(set, score, member, flags) {
                Ok(Added::New(s)) => {
                    added += 1;
                    processed += 1;
                    last_score = s;
                }
                Ok(Added::Updated(s)) => {
                    updated += 1;
                    processed += 1;
                    last_score = s;
                }
                Ok(Added::Unchanged(s)) => {
                    processed += 1;
                    last_score = s;
                }
                Ok(Added::Nop) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        // Never reached in practice (every path that creates the key adds a member), but an empty
        // set must not stay.
        db.remove_if_empty(key);
    }
    if added > 0 || updated > 0 {
        db.touch(key);
    }
    result?;
    Ok(if incr {
        if processed > 0 {
            Reply::Double(last_score)
        } else {
            Reply::Nil
        }
    } else {
        Reply::Integer(if ch { added + updated } else { added })
    })
}

/// What [`zset_add`] did with one element.
enum Added {
    /// A new member, with this score.
    New(f64),
    /// The member's score changed to this.
    Updated(f64),
    /// Processed, but the score stayed equal (this is the score it would have had).
    Unchanged(f64),
    /// NX, XX, GT or LT stopped it.
    Nop,
}

/// Redis' `zsetAdd` for one element.
fn zset_add(
    set: &mut SortedSet,
    score: f64,
    member: &[u8],
    flags: AddFlags,
) -> Result<Added, Error> {
    match set.score(member) {
        Some(current) => {
            if flags.nx {
                return Ok(Added::Nop);
            }
            let mut score = score;
            if flags.incr {
                score += current;
                if score.is_nan() {
                    return Err(Error::ScoreNan);
                }
            }
            if (flags.lt && score >= current) || (flags.gt && score <= current) {
                return Ok(Added::Nop);
            }
            // `-0` and `0` are equal: the stored bits stay, as in Redis.
            if score != current {
                set.insert(member, score);
                Ok(Added::Updated(score))
            } else {
                Ok(Added::Unchanged(score))
            }
        }
        None if !flags.xx => {
            set.insert(member, score);
            Ok(Added::New(score))
        }
        None => Ok(Added::Nop),
    }
}

/// The score of a member (nil when the member or the key is missing).
///
/// ```text
/// ZSCORE key member
/// ```
pub fn zscore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(match db.get_zset(argv[1])?.and_then(|z| z.score(argv[2])) {
        Some(score) => Reply::Double(score),
        None => Reply::Nil,
    })
}

/// The scores of several members: an array with each one's score, or nil where it is missing
/// (all nil when the key is).
///
/// ```text
/// ZMSCORE key member [member ...]
/// ```
pub fn zmscore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let set = db.get_zset(argv[1])?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| match set.and_then(|z| z.score(m)) {
                Some(score) => Reply::Double(score),
                None => Reply::Nil,
            })
            .collect(),
    ))
}

/// Random members of a sorted set.
///
/// ```text
/// ZRANDMEMBER key [count [WITHSCORES]]
/// ```
/// Without `count`: one member, or nil. A positive `count`: that many distinct members (the whole
/// set, highest score first, when it has no more); a negative one: that many draws, repeats
/// allowed. Draws come from the engine's seeded generator, so they are not Redis' own.
pub fn zrandmember(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    if argv.len() < 3 {
        let Some(size) = db.get_zset(key)?.map(SortedSet::len) else {
            return Ok(Reply::Nil);
        };
        let rank = db.rng().below(size as u64) as usize;
        let member = db.get_zset(key)?.and_then(|z| z.get_by_rank(rank));
        return Ok(member.map_or(Reply::Nil, |(m, _)| Reply::Bulk(m.to_vec())));
    }
    let (count, with_scores) = random::parse_count(argv, "withscores")?;
    let Some(set) = db.get_zset(key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let size = set.len();
    // Ranks: all of them from the top when a positive count covers the set
    // (zrandmemberWithCountCommand's CASE 2 walks the set from its tail), else random picks.
    let ranks: Vec<usize> = if count > 1 && count.unsigned_abs() >= size as u64 {
        (0..size).rev().collect()
    } else {
        let per_pick = 48 + set.approx_bytes() / size.max(1);
        random::picks(db, size, count, per_pick)?
    };
    let Some(set) = db.get_zset(key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let chosen = ranks.iter().filter_map(|&rank| set.get_by_rank(rank));
    Ok(members_reply(chosen, with_scores))
}

/// Iterates a sorted set with a cursor: a page of members and scores, and the cursor to continue
/// from (0 when done).
///
/// ```text
/// ZSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
/// A listpack answers whole, in order, its scores as the listpack holds them (an integral score
/// as an integer: `1e17` is `100000000000000000` here, `1e+17` in ZRANGE); a skip list a page at a
/// time (see [`SortedSet::scan`]). MATCH filters members after the page is taken.
pub fn zscan(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let cursor = parse_cursor(argv[2])?;
    let Some(set) = db.get_zset(argv[1])? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let options = ScanOptions::parse(argv, 3)?;
    let listpack = set.is_listpack();
    let (next, page) = set.scan(cursor, options.count);
    let mut items = Vec::with_capacity(page.len() * 2);
    for (member, score) in page {
        if options.pattern.is_some_and(|p| !glob_match(p, member)) {
            continue;
        }
        items.push(Reply::Bulk(member.to_vec()));
        let score = if listpack {
            listpack_score_text(score)
        } else {
            format_f64(score)
        };
        items.push(Reply::Bulk(score.into_bytes()));
    }
    Ok(scan_reply(next, items))
}

/// A score as a listpack stores it (`zzlInsertAt`): an integral value within ±2^62 as an integer
/// (`double2ll`), anything else as `%.17g` (`d2string`).
fn listpack_score_text(score: f64) -> String {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if score.fract() == 0.0 && (-LIMIT..=LIMIT).contains(&score) {
        (score as i64).to_string()
    } else {
        format_f64(score)
    }
}

/// The number of members of a sorted set (0 when the key is missing).
///
/// ```text
/// ZCARD key
/// ```
pub fn zcard(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Integer(
        db.get_zset(argv[1])?.map_or(0, |z| z.len() as i64),
    ))
}

/// The 0-based rank of a member, lowest score first (nil when missing).
///
/// ```text
/// ZRANK key member
/// ```
pub fn zrank(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    rank_generic(db, argv, false)
}

/// The 0-based rank of a member, highest score first (nil when missing).
///
/// ```text
/// ZREVRANK key member
/// ```
pub fn zrevrank(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    rank_generic(db, argv, true)
}

fn rank_generic(db: &mut Db, argv: &[&[u8]], reverse: bool) -> Result<Reply, Error> {
    let Some(set) = db.get_zset(argv[1])? else {
        return Ok(Reply::Nil);
    };
    Ok(match set.rank(argv[2]) {
        Some(rank) if reverse => Reply::Integer((set.len() - 1 - rank) as i64),
        Some(rank) => Reply::Integer(rank as i64),
        None => Reply::Nil,
    })
}

/// Removes members; replies how many existed. The key goes when its last member does.
///
/// ```text
/// ZREM key member [member ...]
/// ```
pub fn zrem(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let Some(set) = db.zset_mut(key)? else {
        return Ok(Reply::Integer(0));
    };
    let mut deleted = 0;
    for member in &argv[2..] {
        if set.remove(member) {
            deleted += 1;
        }
        if set.is_empty() {
            break;
        }
    }
    if deleted > 0 {
        db.remove_if_empty(key);
        db.touch(key);
    }
    Ok(Reply::Integer(deleted))
}
