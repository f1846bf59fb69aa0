//! Lists: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LINDEX, LRANGE, LSET, LINSERT, LREM,
//! LTRIM, LPOS, LMOVE, RPOPLPUSH, LMPOP.
//!
//! Each follows Redis 7.0's `t_list.c`, including the order in which it checks its arguments and
//! the key (LINDEX and LSET look the key up before they parse the index; LRANGE, LTRIM and LREM
//! parse first), what a missing key answers, and that a list goes with its last element.

use super::is;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::list::List;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;

/// Pushes elements at the head, one after the other (so the last ends up first); replies the
/// length.
///
/// ```text
/// LPUSH key element [element ...]
/// ```
pub fn lpush(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    push(db, argv, true, false)
}

/// Pushes elements at the tail; replies the length.
///
/// ```text
/// RPUSH key element [element ...]
/// ```
pub fn rpush(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    push(db, argv, false, false)
}

/// LPUSH only when the list exists (else 0).
///
/// ```text
/// LPUSHX key element [element ...]
/// ```
pub fn lpushx(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    push(db, argv, true, true)
}

/// RPUSH only when the list exists (else 0).
///
/// ```text
/// RPUSHX key element [element ...]
/// ```
pub fn rpushx(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    push(db, argv, false, true)
}

/// `pushGenericCommand`.
fn push(db: &mut Db, argv: &[&[u8]], left: bool, existing: bool) -> Result<Reply, Error> {
    let key = argv[1];
    let list = if existing {
        match db.list_mut(key)? {
            Some(list) => list,
            None => return Ok(Reply::Integer(0)),
        }
    } else {
        db.list_or_create(key)?
    };
    for element in &argv[2..] {
        list.push(element.to_vec(), left);
    }
    let len = list.len();
    db.touch(key);
    Ok(Reply::Integer(len as i64))
}

/// Removes and returns the first element (with `count`: up to that many, as an array).
///
/// ```text
/// LPOP key [count]
/// ```
pub fn lpop(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    pop(db, argv, true, "lpop")
}

/// Removes and returns the last element (with `count`: up to that many, last first).
///
/// ```text
/// RPOP key [count]
/// ```
pub fn rpop(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    pop(db, argv, false, "rpop")
}

/// `popGenericCommand`: the count is parsed before the key is looked up; a missing key is nil
/// (a nil array with a count).
fn pop(db: &mut Db, argv: &[&[u8]], left: bool, name: &'static str) -> Result<Reply, Error> {
    if argv.len() > 3 {
        return Err(Error::WrongArity(name));
    }
    let count = match argv.get(2) {
        Some(arg) => Some(positive(arg, Error::MustBePositive)?),
        None => None,
    };
    let key = argv[1];
    let Some(list) = db.list_mut(key)? else {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::Nil
        });
    };
    let reply = match count {
        Some(0) => return Ok(Reply::Array(Vec::new())),
        Some(n) => Reply::Array(
            pop_some(list, left, n)
                .into_iter()
                .map(Reply::Bulk)
                .collect(),
        ),
        None => list.pop(left).map_or(Reply::Nil, Reply::Bulk),
    };
    db.remove_if_empty(key);
    db.touch(key);
    Ok(reply)
}

/// Pops up to `count` elements from one end, in the order they come off.
fn pop_some(list: &mut List, left: bool, count: u64) -> Vec<Vec<u8>> {
    let n = usize::try_from(count).unwrap_or(usize::MAX).min(list.len());
    (0..n).filter_map(|_| list.pop(left)).collect()
}

/// A non-negative integer (`getPositiveLongFromObjectOrReply`): `error` when not an integer or
/// negative.
fn positive(arg: &[u8], error: Error) -> Result<u64, Error> {
    parse_i64(arg)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or(error)
}

/// An integer argument (`getLongFromObjectOrReply`).
fn long(arg: &[u8]) -> Result<i64, Error> {
    parse_i64(arg).ok_or(Error::NotInteger)
}

/// The length of the list (0 when missing).
///
/// ```text
/// LLEN key
/// ```
pub fn llen(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Integer(
        db.get_list(argv[1])?.map_or(0, |l| l.len() as i64),
    ))
}

/// The position an index names (negative: from the tail, -1 last), if within the list.
fn position(index: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let at = if index < 0 {
        len.checked_add(index)?
    } else {
        index
    };
    (0..len).contains(&at).then_some(at as usize)
}

/// The element at an index (negative counts from the tail), or nil.
///
/// ```text
/// LINDEX key index
/// ```
pub fn lindex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let Some(list) = db.get_list(argv[1])? else {
        return Ok(Reply::Nil);
    };
    let index = long(argv[2])?;
    Ok(position(index, list.len())
        .and_then(|at| list.get(at))
        .map_or(Reply::Nil, |e| Reply::Bulk(e.to_vec())))
}

/// Replaces the element at an index.
///
/// ```text
/// LSET key index element
/// ```
pub fn lset(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let Some(list) = db.list_mut(key)? else {
        return Err(Error::NoSuchKey);
    };
    let index = long(argv[2])?;
    let replaced = position(index, list.len()).is_some_and(|at| list.set(at, argv[3].to_vec()));
    if !replaced {
        return Err(Error::IndexOutOfRange);
    }
    db.touch(key);
    Ok(Reply::ok())
}

/// Inserts an element before or after the first occurrence of `pivot`; replies the new length,
/// -1 when the pivot is not there, 0 when the key is missing.
///
/// ```text
/// LINSERT key BEFORE | AFTER pivot element
/// ```
pub fn linsert(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let after = if is(argv[2], "after") {
        true
    } else if is(argv[2], "before") {
        false
    } else {
        return Err(Error::Syntax);
    };
    let key = argv[1];
    let Some(list) = db.list_mut(key)? else {
        return Ok(Reply::Integer(0));
    };
    let Some(at) = list.positions(argv[3], false).next() else {
        return Ok(Reply::Integer(-1));
    };
    list.insert(at + usize::from(after), argv[4].to_vec());
    let len = list.len();
    db.touch(key);
    Ok(Reply::Integer(len as i64))
}

/// The first and last positions of `start..=stop` within a list of `len` (negative indexes count
/// from the tail), as `addListRangeReply` and LTRIM clamp them; None when the range is empty.
fn range(start: i64, stop: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { len + start } else { start };
    let mut stop = if stop < 0 { len + stop } else { stop };
    start = start.max(0);
    if start > stop || start >= len {
        return None;
    }
    stop = stop.min(len - 1);
    Some((start as usize, stop as usize))
}

/// The elements from `start` to `stop`, both included (negative indexes count from the tail).
///
/// ```text
/// LRANGE key start stop
/// ```
pub fn lrange(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (start, stop) = (long(argv[2])?, long(argv[3])?);
    let Some(list) = db.get_list(argv[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let Some((first, last)) = range(start, stop, list.len()) else {
        return Ok(Reply::Array(Vec::new()));
    };
    Ok(Reply::Array(
        list.iter()
            .skip(first)
            .take(last - first + 1)
            .map(|e| Reply::Bulk(e.to_vec()))
            .collect(),
    ))
}

/// Keeps only the elements from `start` to `stop` (an empty range deletes the key).
///
/// ```text
/// LTRIM key start stop
/// ```
pub fn ltrim(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (start, stop) = (long(argv[2])?, long(argv[3])?);
    let key = argv[1];
    let Some(list) = db.list_mut(key)? else {
        return Ok(Reply::ok());
    };
    match range(start, stop, list.len()) {
        Some((first, last)) => list.keep(first, last - first + 1),
        None => list.keep(0, 0),
    }
    // Redis signals the key even when nothing was trimmed.
    db.remove_if_empty(key);
    db.touch(key);
    Ok(Reply::ok())
}

/// Removes occurrences of an element: `count` > 0 the first `count` from the head, < 0 from the
/// tail, 0 all; replies how many.
///
/// ```text
/// LREM key count element
/// ```
pub fn lrem(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let count = long(argv[2])?;
    let key = argv[1];
    let Some(list) = db.list_mut(key)? else {
        return Ok(Reply::Integer(0));
    };
    let limit = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    let mut hits: Vec<usize> = list.positions(argv[3], count < 0).collect();
    if limit != 0 {
        hits.truncate(limit);
    }
    hits.sort_unstable();
    for &at in hits.iter().rev() {
        list.remove(at);
    }
    if !hits.is_empty() {
        db.remove_if_empty(key);
        db.touch(key);
    }
    Ok(Reply::Integer(hits.len() as i64))
}

/// The index of an element: the RANK-th match (negative: from the tail), or with COUNT up to
/// that many matches (0: all) as an array, looking at MAXLEN elements at most (0: all).
///
/// ```text
/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
/// ```
pub fn lpos(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (mut rank, mut count, mut maxlen) = (1i64, None::<u64>, 0u64);
    let mut j = 3;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        if is(argv[j], "rank") && more {
            rank = long(argv[j + 1])?;
            if rank == 0 {
                return Err(Error::LposRankZero);
            }
        } else if is(argv[j], "count") && more {
            count = Some(positive(argv[j + 1], Error::LposCountNegative)?);
        } else if is(argv[j], "maxlen") && more {
            maxlen = positive(argv[j + 1], Error::LposMaxlenNegative)?;
        } else {
            return Err(Error::Syntax);
        }
        j += 2;
    }
    // `rank = -rank` in C: i64::MIN stays negative (so every match is past the rank).
    let from_tail = rank < 0;
    if from_tail {
        rank = rank.wrapping_neg();
    }
    let Some(list) = db.get_list(argv[1])? else {
        return Ok(match count {
            Some(_) => Reply::Array(Vec::new()),
            None => Reply::Nil,
        });
    };
    let len = list.len();
    let scanned = if maxlen == 0 {
        len
    } else {
        usize::try_from(maxlen).map_or(len, |m| m.min(len))
    };
    let mut found = Vec::new();
    let mut matches = 0i64;
    let elements: Box<dyn Iterator<Item = &[u8]>> = if from_tail {
        Box::new(list.iter().rev())
    } else {
        Box::new(list.iter())
    };
    for (i, element) in elements.take(scanned).enumerate() {
        if element != argv[2] {
            continue;
        }
        matches += 1;
        if matches < rank {
            continue;
        }
        let at = if from_tail { len - i - 1 } else { i };
        found.push(Reply::Integer(at as i64));
        match count {
            None => break,
            Some(c) => {
                let taken = matches.wrapping_sub(rank).wrapping_add(1);
                if c != 0 && taken >= 0 && taken as u64 >= c {
                    break;
                }
            }
        }
    }
    Ok(match count {
        Some(_) => Reply::Array(found),
        None => found.pop().unwrap_or(Reply::Nil),
    })
}

/// Which end an LMOVE / LMPOP argument names (`LEFT` the head, `RIGHT` the tail).
fn side(arg: &[u8]) -> Result<bool, Error> {
    if is(arg, "right") {
        Ok(false)
    } else if is(arg, "left") {
        Ok(true)
    } else {
        Err(Error::Syntax)
    }
}

/// Pops an element from one list and pushes it onto another (or the same one); replies the
/// element, nil when the source is missing.
///
/// ```text
/// LMOVE source destination LEFT | RIGHT LEFT | RIGHT
/// ```
pub fn lmove(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let from_left = side(argv[3])?;
    let to_left = side(argv[4])?;
    move_one(db, argv[1], argv[2], from_left, to_left)
}

/// LMOVE source destination RIGHT LEFT.
///
/// ```text
/// RPOPLPUSH source destination
/// ```
pub fn rpoplpush(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    move_one(db, argv[1], argv[2], false, true)
}

/// `lmoveGenericCommand`: the destination's type is checked before anything moves.
fn move_one(
    db: &mut Db,
    src: &[u8],
    dst: &[u8],
    from_left: bool,
    to_left: bool,
) -> Result<Reply, Error> {
    if db.get_list(src)?.is_none() {
        return Ok(Reply::Nil);
    }
    db.get_list(dst)?;
    let Some(element) = db.list_mut(src)?.and_then(|l| l.pop(from_left)) else {
        return Ok(Reply::Nil);
    };
    db.list_or_create(dst)?.push(element.clone(), to_left);
    db.touch(dst);
    db.remove_if_empty(src);
    db.touch(src);
    Ok(Reply::Bulk(element))
}

/// Pops up to COUNT elements (1 unless given) from the first non-empty list among the keys;
/// replies the key and the elements, nil when every key is missing.
///
/// ```text
/// LMPOP numkeys key [key ...] LEFT | RIGHT [COUNT count]
/// ```
pub fn lmpop(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let numkeys = parse_i64(argv[1])
        .filter(|&n| n >= 1)
        .ok_or(Error::NumkeysNotPositive)?;
    let where_at = usize::try_from(numkeys)
        .ok()
        .and_then(|n| n.checked_add(2))
        .filter(|&at| at < argv.len())
        .ok_or(Error::Syntax)?;
    let left = side(argv[where_at])?;
    let mut count = None;
    let mut j = where_at + 1;
    while j < argv.len() {
        if count.is_none() && is(argv[j], "count") && j + 1 < argv.len() {
            let n = parse_i64(argv[j + 1])
                .filter(|&n| n >= 1)
                .ok_or(Error::CountNotPositive)?;
            count = Some(n as u64);
            j += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    for &key in &argv[2..where_at] {
        let Some(list) = db.list_mut(key)? else {
            continue;
        };
        let popped = pop_some(list, left, count.unwrap_or(1));
        db.remove_if_empty(key);
        db.touch(key);
        return Ok(Reply::Array(vec![
            Reply::Bulk(key.to_vec()),
            Reply::Array(popped.into_iter().map(Reply::Bulk).collect()),
        ]));
    }
    Ok(Reply::NilArray)
}
