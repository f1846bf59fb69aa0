//! Sorted sets: ZADD, ZINCRBY, ZSCORE, ZRANGE, ZREVRANGE, ZRANK, ZREVRANK, ZCARD, ZREM.
//!
//! Each follows Redis 7.0's `t_zset.c` step for step, because the order of its checks decides which
//! error a wrong command gets: options first, then their combinations, then every number, and only
//! then the key (so `ZADD string-key x m` says "not a valid float", not WRONGTYPE).
//!
//! Scores are `f64`, read as `getDoubleFromObject` reads them ([`parse_f64`]) and replied as
//! doubles ([`Reply::Double`], `addReplyDouble`: a bulk string `%.17g` in RESP2, RESP3's `,`);
//! with WITHSCORES, member and score are [`Reply::Pairs`] (nested pairs in RESP3). Range bounds
//! are read more loosely, as `zslParseRange` does ([`parse_f64_range`]).

use super::is;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::{parse_f64, parse_f64_range, parse_i64};
use crate::engine::reply::Reply;
use crate::engine::sorted_set::SortedSet;
use crate::engine::value::Value;

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

/// How ZRANGE reads `start` and `stop`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeType {
    Auto,
    Rank,
    Score,
    Lex,
}

/// Members in a range of ranks, scores or member names.
///
/// ```text
/// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
/// ```
/// By rank (the default) `start` and `stop` are 0-based, inclusive, negative from the end. BYSCORE
/// takes scores (`(` for exclusive, `-inf`, `+inf`), BYLEX takes `[a`, `(a`, `-` and `+`. With REV
/// the order is reversed, and for BYSCORE/BYLEX the first bound is the maximum. LIMIT needs BYSCORE
/// or BYLEX; a negative count means all, a negative offset gives nothing.
pub fn zrange(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, RangeType::Auto, false)
}

/// Members in a range of ranks, highest score first.
///
/// ```text
/// ZREVRANGE key start stop [WITHSCORES]
/// ```
pub fn zrevrange(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, RangeType::Rank, true)
}

/// A score bound, as `zslParseRange` reads it.
#[derive(Clone, Copy)]
struct ScoreBound {
    value: f64,
    exclusive: bool,
}

impl ScoreBound {
    fn parse(arg: &[u8]) -> Option<ScoreBound> {
        let (text, exclusive) = match arg.split_first() {
            Some((b'(', rest)) => (rest, true),
            _ => (arg, false),
        };
        Some(ScoreBound {
            value: parse_f64_range(text)?,
            exclusive,
        })
    }

    /// `zslValueGteMin`
    fn below(self, score: f64) -> bool {
        if self.exclusive {
            score > self.value
        } else {
            score >= self.value
        }
    }

    /// `zslValueLteMax`
    fn above(self, score: f64) -> bool {
        if self.exclusive {
            score < self.value
        } else {
            score <= self.value
        }
    }
}

/// A lex bound, as `zslParseLexRangeItem` reads it.
#[derive(Clone, Copy)]
enum LexBound<'a> {
    /// `-`
    Min,
    /// `+`
    Max,
    /// `[value` (false) or `(value` (true).
    Value(&'a [u8], bool),
}

impl<'a> LexBound<'a> {
    fn parse(arg: &'a [u8]) -> Option<LexBound<'a>> {
        // C sees the argument up to its first NUL: "+" must be followed by the end or a NUL.
        let alone = arg.get(1).is_none_or(|&b| b == 0);
        match arg.split_first() {
            Some((b'+', _)) if alone => Some(LexBound::Max),
            Some((b'-', _)) if alone => Some(LexBound::Min),
            Some((b'(', rest)) => Some(LexBound::Value(rest, true)),
            Some((b'[', rest)) => Some(LexBound::Value(rest, false)),
            _ => None,
        }
    }

    fn exclusive(self) -> bool {
        match self {
            LexBound::Min | LexBound::Max => true,
            LexBound::Value(_, exclusive) => exclusive,
        }
    }

    /// `sdscmplex(value, bound)`.
    fn compare_member(self, member: &[u8]) -> std::cmp::Ordering {
        use std::cmp::Ordering::{Greater, Less};
        match self {
            LexBound::Min => Greater,
            LexBound::Max => Less,
            LexBound::Value(v, _) => member.cmp(v),
        }
    }

    /// `zslLexValueGteMin`
    fn below(self, member: &[u8]) -> bool {
        let cmp = self.compare_member(member);
        if self.exclusive() {
            cmp.is_gt()
        } else {
            cmp.is_ge()
        }
    }

    /// `zslLexValueLteMax`
    fn above(self, member: &[u8]) -> bool {
        let cmp = self.compare_member(member);
        if self.exclusive() {
            cmp.is_lt()
        } else {
            cmp.is_le()
        }
    }
}

/// `sdscmplex(min, max)` on two bounds.
fn compare_bounds(min: LexBound<'_>, max: LexBound<'_>) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (min, max) {
        (LexBound::Min, LexBound::Min) | (LexBound::Max, LexBound::Max) => Equal,
        (LexBound::Min, _) | (_, LexBound::Max) => Less,
        (LexBound::Max, _) | (_, LexBound::Min) => Greater,
        (LexBound::Value(a, _), LexBound::Value(b, _)) => a.cmp(b),
    }
}

/// The parsed range of a ZRANGE.
enum Range<'a> {
    Rank(i64, i64),
    Score(ScoreBound, ScoreBound),
    Lex(LexBound<'a>, LexBound<'a>),
}

/// Redis' `zrangeGenericCommand` (for a client, not ZRANGESTORE).
fn range_generic(
    db: &mut Db,
    argv: &[&[u8]],
    mut range_type: RangeType,
    mut reverse: bool,
) -> Result<Reply, Error> {
    // ZRANGE may be given REV; ZREVRANGE is reversed already, and then REV is a syntax error.
    let mut direction_auto = !reverse;
    let mut with_scores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = 4;
    while let Some(&opt) = argv.get(j) {
        let left = argv.len() - j - 1;
        if is(opt, "withscores") {
            with_scores = true;
        } else if is(opt, "limit") && left >= 2 {
            offset = parse_i64(argv[j + 1]).ok_or(Error::NotInteger)?;
            limit = parse_i64(argv[j + 2]).ok_or(Error::NotInteger)?;
            j += 2;
        } else if direction_auto && is(opt, "rev") {
            reverse = true;
            direction_auto = false;
        } else if range_type == RangeType::Auto && is(opt, "bylex") {
            range_type = RangeType::Lex;
        } else if range_type == RangeType::Auto && is(opt, "byscore") {
            range_type = RangeType::Score;
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }
    if range_type == RangeType::Auto {
        range_type = RangeType::Rank;
    }
    if limit != -1 && range_type == RangeType::Rank {
        return Err(Error::LimitWithoutBy);
    }
    if with_scores && range_type == RangeType::Lex {
        return Err(Error::WithscoresWithBylex);
    }
    let (mut min_arg, mut max_arg) = (argv[2], argv[3]);
    if reverse && range_type != RangeType::Rank {
        std::mem::swap(&mut min_arg, &mut max_arg);
    }
    let range = match range_type {
        RangeType::Auto | RangeType::Rank => {
            let start = parse_i64(min_arg).ok_or(Error::NotInteger)?;
            let end = parse_i64(max_arg).ok_or(Error::NotInteger)?;
            Range::Rank(start, end)
        }
        RangeType::Score => match (ScoreBound::parse(min_arg), ScoreBound::parse(max_arg)) {
            (Some(min), Some(max)) => Range::Score(min, max),
            _ => return Err(Error::MinMaxNotFloat),
        },
        RangeType::Lex => match (LexBound::parse(min_arg), LexBound::parse(max_arg)) {
            (Some(min), Some(max)) => Range::Lex(min, max),
            _ => return Err(Error::MinMaxNotLex),
        },
    };

    let Some(set) = db.get_zset(argv[1])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let (mut members, mut pairs) = (Vec::new(), Vec::new());
    let emit = |(member, score): (&[u8], f64)| {
        let member = Reply::Bulk(member.to_vec());
        if with_scores {
            pairs.push((member, Reply::Double(score)));
        } else {
            members.push(member);
        }
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    match range {
        Range::Rank(start, end) => {
            if let Some((first, last)) = by_rank(set, start, end) {
                if reverse {
                    // Ranks counted from the high end.
                    let len = set.len();
                    set.range(len - last, len - first).rev().for_each(emit);
                } else {
                    set.range(first, last).for_each(emit);
                }
            }
        }
        // `genericZrangebyscoreCommand` / `genericZrangebylexCommand`: from the first element in
        // range, skip `offset` elements unchecked, then emit up to `limit` while in range. A
        // negative offset skips to the end; a negative limit has no end.
        Range::Score(min, max) => {
            let first = score_start(set, min, max, reverse);
            if let (Some(first), Ok(offset)) = (first, usize::try_from(offset)) {
                if reverse {
                    let end = (first + 1).saturating_sub(offset);
                    let items = set.range(0, end).rev();
                    items
                        .take(limit)
                        .take_while(|&(_, s)| min.below(s))
                        .for_each(emit);
                } else {
                    let items = set.range(first.saturating_add(offset), set.len());
                    items
                        .take(limit)
                        .take_while(|&(_, s)| max.above(s))
                        .for_each(emit);
                }
            }
        }
        Range::Lex(min, max) => {
            let first = lex_start(set, min, max, reverse);
            if let (Some(first), Ok(offset)) = (first, usize::try_from(offset)) {
                if reverse {
                    let end = (first + 1).saturating_sub(offset);
                    let items = set.range(0, end).rev();
                    items
                        .take(limit)
                        .take_while(|&(m, _)| min.below(m))
                        .for_each(emit);
                } else {
                    let items = set.range(first.saturating_add(offset), set.len());
                    items
                        .take(limit)
                        .take_while(|&(m, _)| max.above(m))
                        .for_each(emit);
                }
            }
        }
    }
    Ok(if with_scores {
        Reply::Pairs(pairs)
    } else {
        Reply::Array(members)
    })
}

/// Redis' `genericZrangebyrankCommand`: the ranks `first..last` for `start`/`end` (inclusive,
/// negative from the end), counted from the low end (from the high end with REV).
fn by_rank(set: &SortedSet, start: i64, end: i64) -> Option<(usize, usize)> {
    let len = set.len() as i64;
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, end as usize + 1))
}

/// The rank of the first element in the score range (the last one with REV), as
/// `zslFirstInRange` / `zslLastInRange` find it.
fn score_start(set: &SortedSet, min: ScoreBound, max: ScoreBound, reverse: bool) -> Option<usize> {
    // Scores ascend with rank, so each bound splits the set in two.
    if reverse {
        let rank = set
            .partition_point(|score, _| max.above(score))
            .checked_sub(1)?;
        let (_, score) = set.get_by_rank(rank)?;
        min.below(score).then_some(rank)
    } else {
        let rank = set.partition_point(|score, _| !min.below(score));
        let (_, score) = set.get_by_rank(rank)?;
        max.above(score).then_some(rank)
    }
}

/// The rank of the first element in the lex range (the last one with REV), found as Redis finds
/// it. ZRANGE BYLEX assumes equal scores; when they differ, the answer depends on how Redis walks
/// the set. A listpack is walked linearly, as Redis does; a skip list is searched in O(log n), which
/// agrees with Redis' skip list whenever the lex order follows the set's order.
fn lex_start(
    set: &SortedSet,
    min: LexBound<'_>,
    max: LexBound<'_>,
    reverse: bool,
) -> Option<usize> {
    // `zslIsInLexRange`
    let cmp = compare_bounds(min, max);
    if cmp.is_gt() || (cmp.is_eq() && (min.exclusive() || max.exclusive())) {
        return None;
    }
    let (tail, _) = set.iter().next_back()?;
    let (head, _) = set.iter().next()?;
    if !min.below(tail) || !max.above(head) {
        return None;
    }
    let linear = set.is_listpack();
    if reverse {
        // `zslLastInLexRange`: the last member not past `max`, if it is not below `min`.
        let end = if linear {
            set.len() - set.iter().rev().position(|(m, _)| max.above(m))?
        } else {
            set.partition_point(|_, m| max.above(m))
        };
        let rank = end.checked_sub(1)?;
        let (m, _) = set.get_by_rank(rank)?;
        min.below(m).then_some(rank)
    } else {
        // `zslFirstInLexRange`: the first member not below `min`, if it is not past `max`.
        let rank = if linear {
            set.iter().position(|(m, _)| min.below(m))?
        } else {
            set.partition_point(|_, m| !min.below(m))
        };
        let (m, _) = set.get_by_rank(rank)?;
        max.above(m).then_some(rank)
    }
}
