//! Popping the lowest or highest members: ZPOPMIN, ZPOPMAX, ZMPOP — Redis' `genericZpopCommand`
//! and `zmpopGenericCommand`, which the blocking forms (BZPOPMIN, BZPOPMAX, BZMPOP) share.

use super::super::is;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;
use crate::engine::value::Value;

/// Which end of a sorted set a pop takes (`ZSET_MIN`, `ZSET_MAX`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The lowest scores first.
    Min,
    /// The highest scores first.
    Max,
}

/// Removes and returns the members with the lowest scores (with `count`: up to that many).
///
/// ```text
/// ZPOPMIN key [count]
/// ```
/// Without `count`: the member and its score; with it: member/score pairs. A missing key gives an
/// empty array.
pub fn zpopmin(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    zpop(db, argv, End::Min)
}

/// ZPOPMIN from the high end.
///
/// ```text
/// ZPOPMAX key [count]
/// ```
pub fn zpopmax(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    zpop(db, argv, End::Max)
}

/// `zpopMinMaxCommand`.
fn zpop(db: &mut Db, argv: &[&[u8]], end: End) -> Result<Reply, Error> {
    if argv.len() > 3 {
        return Err(Error::Syntax);
    }
    // getPositiveLongFromObjectOrReply: one message for "not an integer" and "negative".
    let count = match argv.get(2) {
        Some(arg) => Some(
            parse_i64(arg)
                .and_then(|n| u64::try_from(n).ok())
                .ok_or(Error::MustBePositive)?,
        ),
        None => None,
    };
    let key = argv[1];
    if db.get_zset(key)?.is_none() || count == Some(0) {
        return Ok(Reply::Array(Vec::new()));
    }
    let popped = pop(db, key, end, count.unwrap_or(1));
    Ok(match count {
        // A plain pop answers a flat [member, score], in RESP3 too.
        None => Reply::Array(
            popped
                .into_iter()
                .flat_map(|(m, s)| [Reply::Bulk(m), Reply::Double(s)])
                .collect(),
        ),
        Some(_) => Reply::Pairs(
            popped
                .into_iter()
                .map(|(m, s)| (Reply::Bulk(m), Reply::Double(s)))
                .collect(),
        ),
    })
}

/// Pops up to `count` members from the sorted set at `key` (which exists), lowest or highest
/// first; the key counts as modified, and goes when it empties.
pub(crate) fn pop(db: &mut Db, key: &[u8], end: End, count: u64) -> Vec<(Vec<u8>, f64)> {
    let mut popped = Vec::new();
    if let Ok(Some(set)) = db.zset_mut(key) {
        while (popped.len() as u64) < count {
            match set.pop(end == End::Max) {
                Some(element) => popped.push(element),
                None => break,
            }
        }
    }
    if !popped.is_empty() {
        db.remove_if_empty(key);
        db.touch(key);
    }
    popped
}

/// Pops from the first of `keys` that holds a value (`genericZpopCommand` with several keys):
/// None when none does; WRONGTYPE when that value is not a sorted set (later keys are not looked
/// at). The reply is BZPOPMIN's with `count` None, ZMPOP's with a count.
pub(crate) fn pop_existing(
    db: &mut Db,
    keys: &[&[u8]],
    end: End,
    count: Option<u64>,
) -> Result<Option<Reply>, Error> {
    for &key in keys {
        match db.get(key) {
            None => continue,
            Some(Value::ZSet(_)) => return Ok(Some(pop_reply(db, key, end, count))),
            Some(_) => return Err(Error::WrongType),
        }
    }
    Ok(None)
}

/// Pops from the sorted set at `key` (which exists) and replies as the command does:
/// `[key, member, score]` for BZPOPMIN/BZPOPMAX (`count` None), ZMPOP's nested reply for BZMPOP.
pub(crate) fn pop_reply(db: &mut Db, key: &[u8], end: End, count: Option<u64>) -> Reply {
    let popped = pop(db, key, end, count.unwrap_or(1));
    match count {
        None => {
            let mut reply = vec![Reply::Bulk(key.to_vec())];
            for (member, score) in popped {
                reply.push(Reply::Bulk(member));
                reply.push(Reply::Double(score));
            }
            Reply::Array(reply)
        }
        Some(_) => mpop_reply(key, popped),
    }
}

/// ZMPOP's and BZMPOP's reply: `[key, [[member, score], …]]`.
pub(crate) fn mpop_reply(key: &[u8], popped: Vec<(Vec<u8>, f64)>) -> Reply {
    let pairs = popped
        .into_iter()
        .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m), Reply::Double(s)]))
        .collect();
    Reply::Array(vec![Reply::Bulk(key.to_vec()), Reply::Array(pairs)])
}

/// What ZMPOP and BZMPOP read after `numkeys` (`zmpopGenericCommand`).
pub(crate) struct Mpop<'a> {
    /// The keys, in order.
    pub keys: &'a [&'a [u8]],
    /// MIN or MAX.
    pub end: End,
    /// COUNT, 1 unless given.
    pub count: u64,
}

impl<'a> Mpop<'a> {
    /// Parses `argv` from `numkeys` at `numkeys_at`: the number of keys (≥ 1), the keys, MIN or
    /// MAX, then `COUNT count` (≥ 1) at most once.
    pub(crate) fn parse(argv: &'a [&'a [u8]], numkeys_at: usize) -> Result<Mpop<'a>, Error> {
        let numkeys = parse_i64(argv[numkeys_at])
            .filter(|&n| n >= 1)
            .ok_or(Error::NumkeysNotPositive)?;
        let first = numkeys_at + 1;
        let where_at = usize::try_from(numkeys)
            .ok()
            .and_then(|n| first.checked_add(n))
            .filter(|&at| at < argv.len())
            .ok_or(Error::Syntax)?;
        let end = if is(argv[where_at], "min") {
            End::Min
        } else if is(argv[where_at], "max") {
            End::Max
        } else {
            return Err(Error::Syntax);
        };
        let mut count = None;
        let mut j = where_at + 1;
        while let Some(&opt) = argv.get(j) {
            if count.is_none() && is(opt, "count") && j + 1 < argv.len() {
                let n = parse_i64(argv[j + 1])
                    .filter(|&n| n >= 1)
                    .ok_or(Error::CountNotPositive)?;
                count = Some(n as u64);
                j += 2;
            } else {
                return Err(Error::Syntax);
            }
        }
        Ok(Mpop {
            keys: &argv[first..where_at],
            end,
            count: count.unwrap_or(1),
        })
    }
}

/// Pops from the first non-empty sorted set among several keys.
///
/// ```text
/// ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
/// ```
/// Replies the key and its popped member/score pairs, or nil when no key holds a value.
pub fn zmpop(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let mpop = Mpop::parse(argv, 1)?;
    Ok(pop_existing(db, mpop.keys, mpop.end, Some(mpop.count))?.unwrap_or(Reply::NilArray))
}
