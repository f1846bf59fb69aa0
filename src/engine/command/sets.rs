//! Sets: SADD, SREM, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS, SPOP, SRANDMEMBER, SMOVE, SINTER,
//! SINTERSTORE, SINTERCARD, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN.
//!
//! Each follows Redis 7.0's `t_set.c`, including what makes an answer's order and a result's
//! encoding: SINTER walks the smallest set, SUNION and SDIFF build their result from an empty
//! intset member by member (so an all-integer result of up to 512 members is an intset, listed in
//! ascending order), and SDIFF picks between Redis' two algorithms by the same estimate, because
//! they can leave the result in different encodings. SPOP and SRANDMEMBER draw from the keyspace's
//! seeded random source and follow Redis' cases for a count against the set's size.

use std::borrow::Cow;

use super::is;
use super::scan::{self, ScanOptions};
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;
use crate::engine::rng::Rng;
use crate::engine::set::Set;
use crate::engine::value::Value;
use crate::engine::Map;

/// Adds members to a set; replies how many were new.
///
/// ```text
/// SADD key member [member ...]
/// ```
/// A new set is an intset when its first member is an integer (see [`Set`]).
pub fn sadd(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let set = db.set_or_create(key, argv[2])?;
    let added = argv[2..].iter().filter(|m| set.insert(m)).count();
    if added > 0 {
        db.touch(key);
    }
    Ok(Reply::Integer(added as i64))
}

/// Removes members from a set; replies how many were there. The key goes with its last member.
///
/// ```text
/// SREM key member [member ...]
/// ```
pub fn srem(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let Some(set) = db.set_mut(key)? else {
        return Ok(Reply::Integer(0));
    };
    let mut removed = 0;
    for member in &argv[2..] {
        if set.remove(member) {
            removed += 1;
            if set.is_empty() {
                break;
            }
        }
    }
    if removed > 0 {
        db.remove_if_empty(key);
        db.touch(key);
    }
    Ok(Reply::Integer(removed))
}

/// 1 when the member is in the set, else 0.
///
/// ```text
/// SISMEMBER key member
/// ```
pub fn sismember(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let found = db.get_set(argv[1])?.is_some_and(|s| s.contains(argv[2]));
    Ok(Reply::Integer(i64::from(found)))
}

/// 1 or 0 for each member: whether it is in the set (a missing key is an empty set).
///
/// ```text
/// SMISMEMBER key member [member ...]
/// ```
pub fn smismember(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let set = db.get_set(argv[1])?;
    let found = |m: &[u8]| set.is_some_and(|s| s.contains(m));
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| Reply::Integer(i64::from(found(m))))
            .collect(),
    ))
}

/// The number of members.
///
/// ```text
/// SCARD key
/// ```
pub fn scard(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Integer(
        db.get_set(argv[1])?.map_or(0, |s| s.len() as i64),
    ))
}

/// Every member, in the set's order (ascending for an intset).
///
/// ```text
/// SMEMBERS key
/// ```
/// Redis runs SINTER of the one key.
pub fn smembers(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    inter(db, &argv[1..], Inter::Reply)
}

/// Moves a member from one set to another; 1 if it was in the source, else 0.
///
/// ```text
/// SMOVE source destination member
/// ```
pub fn smove(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (src, dst, member) = (argv[1], argv[2], argv[3]);
    db.expire_if_needed(src);
    db.expire_if_needed(dst);
    let Some(source) = db.peek(src) else {
        return Ok(Reply::Integer(0));
    };
    if !matches!(source, Value::Set(_)) || db.peek(dst).is_some_and(|v| !matches!(v, Value::Set(_)))
    {
        return Err(Error::WrongType);
    }
    if src == dst {
        return sismember(db, &[argv[0], src, member]);
    }
    let removed = db.set_mut(src)?.is_some_and(|s| s.remove(member));
    if !removed {
        return Ok(Reply::Integer(0));
    }
    db.remove_if_empty(src);
    db.touch(src);
    if db.set_or_create(dst, member)?.insert(member) {
        db.touch(dst);
    }
    Ok(Reply::Integer(1))
}

/// Removes and returns a random member (nil when the key is missing); with a count, up to that
/// many distinct members.
///
/// ```text
/// SPOP key [count]
/// ```
pub fn spop(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    match argv.len() {
        2 => {}
        3 => return spop_count(db, argv),
        _ => return Err(Error::Syntax),
    }
    let key = argv[1];
    db.with_rng(|db, rng| {
        let Some(set) = db.set_mut(key)? else {
            return Ok(Reply::Nil);
        };
        let Some(member) = set.random(rng) else {
            return Ok(Reply::Nil);
        };
        set.remove(&member);
        db.remove_if_empty(key);
        db.touch(key);
        Ok(Reply::Bulk(member))
    })
}

/// Redis' `SPOP_MOVE_STRATEGY_MUL`: when fewer than this many times the count would remain, the
/// members that stay are drawn instead of those that go.
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;

/// `spopWithCountCommand`.
fn spop_count(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let count = parse_i64(argv[2])
        .filter(|&n| n >= 0)
        .ok_or(Error::MustBePositive)? as u64;
    let Some(set) = db.get_set(key)? else {
        return Ok(Reply::Set(Vec::new()));
    };
    if count == 0 {
        return Ok(Reply::Set(Vec::new()));
    }
    let size = set.len() as u64;
    if count >= size {
        // The whole set, as SUNION of the one key lists it; then the key goes.
        let reply = union(&[Some(set)]).iter().map(bulk).collect();
        db.remove(key);
        return Ok(Reply::Set(reply));
    }
    let remaining = size - count;
    db.with_rng(|db, rng| {
        let Some(set) = db.set_mut(key)? else {
            return Ok(Reply::Set(Vec::new()));
        };
        let mut popped = Vec::with_capacity(count as usize);
        if remaining * SPOP_MOVE_STRATEGY_MUL > count {
            for _ in 0..count {
                let Some(member) = set.random(rng) else { break };
                set.remove(&member);
                popped.push(Reply::Bulk(member));
            }
        } else {
            // Draw the members that stay into a new set; the old one's rest is the answer.
            let mut kept: Option<Set> = None;
            for _ in 0..remaining {
                let Some(member) = set.random(rng) else { break };
                kept.get_or_insert_with(|| Set::for_member(&member))
                    .insert(&member);
                set.remove(&member);
            }
            popped.extend(set.iter().map(bulk));
            let mut kept = kept.unwrap_or_default();
            kept.settle(set.max_intset());
            *set = kept;
        }
        db.touch(key);
        Ok(Reply::Set(popped))
    })
}

/// A random member (nil when the key is missing); with a count, that many: distinct ones when
/// the count is positive (at most the whole set), possibly repeated when it is negative.
///
/// ```text
/// SRANDMEMBER key [count]
/// ```
pub fn srandmember(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    match argv.len() {
        2 => {}
        3 => return srandmember_count(db, argv),
        _ => return Err(Error::Syntax),
    }
    db.with_rng(|db, rng| {
        let member = db.get_set(argv[1])?.and_then(|s| s.random(rng));
        Ok(member.map_or(Reply::Nil, Reply::Bulk))
    })
}

/// Redis' `SRANDMEMBER_SUB_STRATEGY_MUL`: when the set is less than this many times the count,
/// the members left out are drawn instead of those returned.
const SRANDMEMBER_SUB_STRATEGY_MUL: u64 = 3;

/// The most members SRANDMEMBER with a negative count answers: Redis would build any reply,
/// however large; the page must not run out of memory building one.
pub const MAX_RANDOM_REPLY: u64 = 1 << 20;

/// `srandmemberWithCountCommand`.
fn srandmember_count(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let n = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    if n == i64::MIN {
        return Err(Error::ValueNotBetween(-i64::MAX, i64::MAX));
    }
    let (count, unique) = (n.unsigned_abs(), n >= 0);
    db.with_rng(|db, rng| {
        let Some(set) = db.get_set(argv[1])? else {
            return Ok(Reply::Array(Vec::new()));
        };
        let size = set.len() as u64;
        if count == 0 {
            return Ok(Reply::Array(Vec::new()));
        }
        if !unique || count == 1 {
            if count > MAX_RANDOM_REPLY {
                return Err(Error::OutOfMemory);
            }
            let picks = (0..count).filter_map(|_| set.random(rng));
            return Ok(Reply::Array(picks.map(Reply::Bulk).collect()));
        }
        if count >= size {
            return Ok(Reply::Array(set.iter().map(bulk).collect()));
        }
        let chosen: Vec<Vec<u8>> = if count * SRANDMEMBER_SUB_STRATEGY_MUL > size {
            // All members, less random ones until `count` are left.
            let all: Vec<Cow<'_, [u8]>> = set.iter().collect();
            let mut dropped = vec![false; all.len()];
            let mut left = size;
            while left > count {
                let i = rng.below(size) as usize;
                if !dropped[i] {
                    dropped[i] = true;
                    left -= 1;
                }
            }
            all.into_iter()
                .zip(dropped)
                .filter(|(_, dropped)| !dropped)
                .map(|(m, _)| m.into_owned())
                .collect()
        } else {
            distinct_picks(set, count as usize, rng)
        };
        Ok(Reply::Array(chosen.into_iter().map(Reply::Bulk).collect()))
    })
}

/// `count` distinct random members of a set at least three times larger, in the order drawn.
fn distinct_picks(set: &Set, count: usize, rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut seen: Map<Vec<u8>, ()> = Map::default();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let Some(member) = set.random(rng) else { break };
        if seen.insert(member.clone(), ()).is_none() {
            out.push(member);
        }
    }
    out
}

/// The members of the intersection of the sets.
///
/// ```text
/// SINTER key [key ...]
/// ```
pub fn sinter(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    inter(db, &argv[1..], Inter::Reply)
}

/// Stores the intersection of the sets at `destination`; replies its size.
///
/// ```text
/// SINTERSTORE destination key [key ...]
/// ```
pub fn sinterstore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    inter(db, &argv[2..], Inter::Store(argv[1]))
}

/// The size of the intersection, counting up to LIMIT when it is given and not 0.
///
/// ```text
/// SINTERCARD numkeys key [key ...] [LIMIT limit]
/// ```
pub fn sintercard(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let numkeys = parse_i64(argv[1])
        .filter(|&n| n >= 1)
        .ok_or(Error::NumkeysNotPositive)?;
    let given = argv.len() - 2;
    if numkeys as u64 > given as u64 {
        return Err(Error::NumkeysTooMany);
    }
    let keys_end = 2 + numkeys as usize;
    let mut limit = 0;
    let mut i = keys_end;
    while i < argv.len() {
        if is(argv[i], "limit") && i + 1 < argv.len() {
            limit = parse_i64(argv[i + 1])
                .filter(|&n| n >= 0)
                .ok_or(Error::LimitNegative)? as u64;
            i += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    inter(db, &argv[2..keys_end], Inter::Count(limit))
}

/// What SINTER's common code does with the intersection.
#[derive(Clone, Copy)]
enum Inter<'a> {
    /// Reply with the members (SINTER, SMEMBERS).
    Reply,
    /// Store them at this key (SINTERSTORE).
    Store(&'a [u8]),
    /// Reply with their number, stopping at this limit unless 0 (SINTERCARD).
    Count(u64),
}

/// Looks up every key in order, as Redis does before it computes anything: a missing key is an
/// empty set, another type is WRONGTYPE (even after a missing key).
fn lookup_sets<'a>(db: &'a mut Db, keys: &[&[u8]]) -> Result<Vec<Option<&'a Set>>, Error> {
    for key in keys {
        db.expire_if_needed(key);
        if db.peek(key).is_some_and(|v| !matches!(v, Value::Set(_))) {
            return Err(Error::WrongType);
        }
    }
    let db: &Db = db;
    Ok(keys
        .iter()
        .map(|key| match db.peek(key) {
            Some(Value::Set(s)) => Some(s),
            _ => None,
        })
        .collect())
}

/// `sinterGenericCommand`: walks the smallest set (the first of the smallest, as glibc's stable
/// `qsort` orders them) and keeps the members every other set has.
fn inter(db: &mut Db, keys: &[&[u8]], what: Inter<'_>) -> Result<Reply, Error> {
    let found = lookup_sets(db, keys)?;
    let Some(mut sets) = found.into_iter().collect::<Option<Vec<&Set>>>() else {
        return Ok(match what {
            Inter::Reply => Reply::Set(Vec::new()),
            Inter::Count(_) => Reply::Integer(0),
            Inter::Store(dst) => {
                db.remove(dst);
                Reply::Integer(0)
            }
        });
    };
    sets.sort_by_key(|s| s.len());
    let (smallest, others) = sets.split_first().ok_or(Error::Syntax)?;
    let common = smallest.iter().filter(|m| {
        others
            .iter()
            .all(|s| std::ptr::eq(*s, *smallest) || s.contains(m))
    });
    match what {
        Inter::Reply => Ok(Reply::Set(common.map(bulk).collect())),
        Inter::Count(limit) => {
            let limit = if limit == 0 {
                usize::MAX
            } else {
                limit as usize
            };
            Ok(Reply::Integer(common.take(limit).count() as i64))
        }
        Inter::Store(dst) => {
            let mut result = Set::new();
            for member in common {
                result.insert(&member);
            }
            Ok(store(db, dst, result))
        }
    }
}

/// Stores a computed set at `dst` (Redis' `setKey`, which drops a TTL), or deletes `dst` when the
/// set is empty; replies the size.
fn store(db: &mut Db, dst: &[u8], mut result: Set) -> Reply {
    let size = result.len() as i64;
    if size > 0 {
        result.settle(db.config().set_max_intset_entries());
        db.set(dst, Value::Set(result), false);
    } else {
        db.remove(dst);
    }
    Reply::Integer(size)
}

/// The members of the union of the sets.
///
/// ```text
/// SUNION key [key ...]
/// ```
pub fn sunion(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let sets = lookup_sets(db, &argv[1..])?;
    Ok(Reply::Set(union(&sets).iter().map(bulk).collect()))
}

/// Stores the union of the sets at `destination`; replies its size.
///
/// ```text
/// SUNIONSTORE destination key [key ...]
/// ```
pub fn sunionstore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let result = union(&lookup_sets(db, &argv[2..])?);
    Ok(store(db, argv[1], result))
}

/// The members of the first set that none of the others has.
///
/// ```text
/// SDIFF key [key ...]
/// ```
pub fn sdiff(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let result = diff(&lookup_sets(db, &argv[1..])?, &argv[1..]);
    Ok(Reply::Set(result.iter().map(bulk).collect()))
}

/// Stores the difference of the sets at `destination`; replies its size.
///
/// ```text
/// SDIFFSTORE destination key [key ...]
/// ```
pub fn sdiffstore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let result = diff(&lookup_sets(db, &argv[2..])?, &argv[2..]);
    Ok(store(db, argv[1], result))
}

/// SUNION's result: every member of every set, added in order to a new intset.
fn union(sets: &[Option<&Set>]) -> Set {
    let mut result = Set::new();
    for set in sets.iter().flatten() {
        for member in set.iter() {
            result.insert(&member);
        }
    }
    result
}

/// SDIFF's result, by the algorithm Redis would pick (it decides the result's encoding: the
/// second adds every member of the first set before it removes the others').
fn diff(sets: &[Option<&Set>], keys: &[&[u8]]) -> Set {
    let mut result = Set::new();
    let Some(Some(first)) = sets.first() else {
        return result;
    };
    // The first key named again: the difference is empty.
    if keys[1..].contains(&keys[0]) {
        return result;
    }
    let present = sets.iter().flatten();
    let one_work = (first.len() * present.clone().count()) / 2;
    let two_work: usize = present.map(|s| s.len()).sum();
    if one_work <= two_work {
        for member in first.iter() {
            if !sets[1..].iter().flatten().any(|s| s.contains(&member)) {
                result.insert(&member);
            }
        }
    } else {
        for member in first.iter() {
            result.insert(&member);
        }
        for set in sets[1..].iter().flatten() {
            if result.is_empty() {
                break;
            }
            for member in set.iter() {
                result.remove(&member);
            }
        }
    }
    result
}

/// Iterates over a set's members a page at a time.
///
/// ```text
/// SSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
/// An intset answers all its members at once with cursor 0, as in Redis.
pub fn sscan(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let cursor = scan::parse_cursor(argv[2])?;
    let Some(set) = db.get_set(argv[1])? else {
        return Ok(scan::reply(0, Vec::new()));
    };
    let options = ScanOptions::parse(&argv[3..], false)?;
    let (next, mut members) = set.scan(cursor, options.count);
    members.retain(|m| options.matches(m));
    Ok(scan::reply(next, members))
}

fn bulk(member: Cow<'_, [u8]>) -> Reply {
    Reply::Bulk(member.into_owned())
}
