//! The range commands: ZRANGE and its older forms, ZRANGESTORE, ZCOUNT, ZLEXCOUNT and the
//! ZREMRANGEBY family — Redis' `zrangeGenericCommand`, `zcountCommand`, `zlexcountCommand` and
//! `zremrangeGenericCommand`, with the ways its encodings find a range's ends.

use super::super::is;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::{parse_f64_range, parse_i64};
use crate::engine::reply::Reply;
use crate::engine::sorted_set::{Score, SortedSet};
use crate::engine::value::Value;

/// How a range command reads `min` and `max` (`zrange_type`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeType {
    /// ZRANGE: ranks, unless BYSCORE or BYLEX says otherwise.
    Auto,
    Rank,
    Score,
    Lex,
}

/// Which way a range command walks (`zrange_direction`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// ZRANGE: forward, unless REV says otherwise.
    Auto,
    Forward,
    Reverse,
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
    range_generic(db, argv, false, RangeType::Auto, Direction::Auto)
}

/// Members in a range of ranks, highest score first.
///
/// ```text
/// ZREVRANGE key start stop [WITHSCORES]
/// ```
pub fn zrevrange(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, false, RangeType::Rank, Direction::Reverse)
}

/// Members whose scores lie between two bounds, lowest score first (ZRANGE BYSCORE).
///
/// ```text
/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
/// ```
/// `(` before a bound excludes it; `-inf` and `+inf` are the ends.
pub fn zrangebyscore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, false, RangeType::Score, Direction::Forward)
}

/// ZRANGEBYSCORE from the highest score down: `max` comes first.
///
/// ```text
/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
/// ```
pub fn zrevrangebyscore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, false, RangeType::Score, Direction::Reverse)
}

/// Members between two member names, for a set whose members share one score (ZRANGE BYLEX).
///
/// ```text
/// ZRANGEBYLEX key min max [LIMIT offset count]
/// ```
/// `min` and `max` are `[name` (inclusive), `(name` (exclusive), `-` or `+`. When scores differ
/// the answer is the walk described in [`lex_first`].
pub fn zrangebylex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, false, RangeType::Lex, Direction::Forward)
}

/// ZRANGEBYLEX from the high end: `max` comes first.
///
/// ```text
/// ZREVRANGEBYLEX key max min [LIMIT offset count]
/// ```
pub fn zrevrangebylex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, false, RangeType::Lex, Direction::Reverse)
}

/// Stores a ZRANGE's result (members with their scores) at `dst`; replies its size.
///
/// ```text
/// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
/// ```
/// An empty result deletes `dst`. `dst` is overwritten whatever it held, and loses its TTL. Its
/// encoding is what Redis builds: a skip list from the start for more ranks than
/// `zset-max-listpack-entries`, else a listpack that converts as members are added (see
/// [`SortedSet::new_skiplist`]).
pub fn zrangestore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    range_generic(db, argv, true, RangeType::Auto, Direction::Auto)
}

/// A score bound, as `zslParseRange` reads it.
#[derive(Clone, Copy)]
struct ScoreBound {
    value: f64,
    exclusive: bool,
}

impl ScoreBound {
    /// `zslParseRange`: both bounds, or "min or max is not a float".
    fn parse_range(min: &[u8], max: &[u8]) -> Result<(ScoreBound, ScoreBound), Error> {
        match (ScoreBound::parse(min), ScoreBound::parse(max)) {
            (Some(min), Some(max)) => Ok((min, max)),
            _ => Err(Error::MinMaxNotFloat),
        }
    }

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

/// A range of member names (`zlexrangespec`).
#[derive(Clone, Copy)]
struct LexRange<'a> {
    min: LexBound<'a>,
    max: LexBound<'a>,
}

impl<'a> LexRange<'a> {
    /// `zslParseLexRange`.
    fn parse(min: &'a [u8], max: &'a [u8]) -> Result<LexRange<'a>, Error> {
        match (LexBound::parse(min), LexBound::parse(max)) {
            (Some(min), Some(max)) => Ok(LexRange { min, max }),
            _ => Err(Error::MinMaxNotLex),
        }
    }

    /// `zslLexValueGteMin`: `member` is not below the minimum.
    fn gte_min(self, member: &[u8]) -> bool {
        let cmp = self.min.compare_member(member);
        if self.min.exclusive() {
            cmp.is_gt()
        } else {
            cmp.is_ge()
        }
    }

    /// `zslLexValueLteMax`: `member` is not past the maximum.
    fn lte_max(self, member: &[u8]) -> bool {
        let cmp = self.max.compare_member(member);
        if self.max.exclusive() {
            cmp.is_lt()
        } else {
            cmp.is_le()
        }
    }

    /// `zslIsInLexRange` / `zzlIsInLexRange`: false when the range is empty by its bounds, when the
    /// last member is below the minimum or the first past the maximum.
    fn touches(self, set: &SortedSet) -> bool {
        let cmp = compare_bounds(self.min, self.max);
        if cmp.is_gt() || (cmp.is_eq() && (self.min.exclusive() || self.max.exclusive())) {
            return false;
        }
        match (set.iter().next(), set.iter().next_back()) {
            (Some((head, _)), Some((tail, _))) => self.gte_min(tail) && self.lte_max(head),
            _ => false,
        }
    }
}

// Lex ranges on a set whose scores differ.
//
// BYLEX assumes one score for all members: then member order is the set's order, each bound cuts
// the set in two, and every way of searching finds the same element. When scores differ, "not
// below the minimum" can hold, fail and hold again along the set, and the answer is wherever
// Redis' search stops:
//
// - a listpack is walked one entry at a time: the first element of a range from the head
//   (`zzlFirstInLexRange`), the last one from the tail (`zzlLastInLexRange`);
// - a skip list is searched from its top level down (`zslFirstInLexRange`, `zslLastInLexRange`,
//   `zslDeleteRangeByLex`). Where the search stops then depends on the nodes' levels, which Redis
//   draws with `random()`, seeded from the time and pid at start: the same commands can answer
//   differently in two runs of redis-server. We answer as the skip list whose nodes all have level
//   1 (one of the answers Redis can give, and the one it gives whenever no upper level happens to
//   jump over a place where the bound changes its mind): the first element is found walking from
//   the head, as in a listpack, but the last one too — forward while in range — where a listpack
//   walks back from the tail.
//
// The differential suite runs redis-server with `random()` pinned so that its skip lists have
// only level 1 (tests/support), and checks against an unpinned one that this answer is among
// those Redis can give (tests/conformance_sorted_sets.rs).

/// True when all members share one score: then members are in byte order and the lex bounds split
/// the set in two, so a binary search finds what any walk finds (in O(log n) instead of O(n)).
fn one_score(set: &SortedSet) -> bool {
    match (set.iter().next(), set.iter().next_back()) {
        (Some((_, low)), Some((_, high))) => Score(low) == Score(high),
        _ => true,
    }
}

/// The rank of the first member not below the minimum, walking from the head.
fn first_gte_min(set: &SortedSet, range: LexRange<'_>) -> Option<usize> {
    if one_score(set) {
        let rank = set.partition_point(|_, m| !range.gte_min(m));
        (rank < set.len()).then_some(rank)
    } else {
        set.iter().position(|(m, _)| range.gte_min(m))
    }
}

/// The rank where Redis starts a lex range from the low end (`zzlFirstInLexRange`,
/// `zslFirstInLexRange`): the first member not below the minimum, if it is not past the maximum.
fn lex_first(set: &SortedSet, range: LexRange<'_>) -> Option<usize> {
    if !range.touches(set) {
        return None;
    }
    let rank = first_gte_min(set, range)?;
    let (member, _) = set.get_by_rank(rank)?;
    range.lte_max(member).then_some(rank)
}

/// The rank where Redis starts a lex range from the high end (`zzlLastInLexRange`,
/// `zslLastInLexRange`): the last member not past the maximum — from the tail in a listpack, the
/// end of the first run in range in a skip list (see above) —, if it is not below the minimum.
fn lex_last(set: &SortedSet, range: LexRange<'_>) -> Option<usize> {
    if !range.touches(set) {
        return None;
    }
    let len = set.len();
    let end = if one_score(set) {
        set.partition_point(|_, m| range.lte_max(m))
    } else if set.is_listpack() {
        len - set.iter().rev().position(|(m, _)| range.lte_max(m))?
    } else {
        set.iter()
            .position(|(m, _)| !range.lte_max(m))
            .unwrap_or(len)
    };
    let rank = end.checked_sub(1)?;
    let (member, _) = set.get_by_rank(rank)?;
    range.gte_min(member).then_some(rank)
}

/// The parsed range of a range command.
enum Range<'a> {
    Rank(i64, i64),
    Score((ScoreBound, ScoreBound)),
    Lex(LexRange<'a>),
}

/// Redis' `zrangeGenericCommand`: for a client, or for ZRANGESTORE (`store`, whose source key is
/// `argv[2]` and which takes no WITHSCORES).
fn range_generic(
    db: &mut Db,
    argv: &[&[u8]],
    store: bool,
    mut range_type: RangeType,
    mut direction: Direction,
) -> Result<Reply, Error> {
    let src = if store { 2 } else { 1 };
    let mut with_scores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = src + 3;
    while let Some(&opt) = argv.get(j) {
        let left = argv.len() - j - 1;
        if !store && is(opt, "withscores") {
            with_scores = true;
        } else if is(opt, "limit") && left >= 2 {
            offset = parse_i64(argv[j + 1]).ok_or(Error::NotInteger)?;
            limit = parse_i64(argv[j + 2]).ok_or(Error::NotInteger)?;
            j += 2;
        } else if direction == Direction::Auto && is(opt, "rev") {
            direction = Direction::Reverse;
        } else if range_type == RangeType::Auto && is(opt, "bylex") {
            range_type = RangeType::Lex;
        } else if range_type == RangeType::Auto && is(opt, "byscore") {
            range_type = RangeType::Score;
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }
    let reverse = direction == Direction::Reverse;
    if range_type == RangeType::Auto {
        range_type = RangeType::Rank;
    }
    if limit != -1 && range_type == RangeType::Rank {
        return Err(Error::LimitWithoutBy);
    }
    if with_scores && range_type == RangeType::Lex {
        return Err(Error::WithscoresWithBylex);
    }
    let (mut min_arg, mut max_arg) = (argv[src + 1], argv[src + 2]);
    if reverse && range_type != RangeType::Rank {
        std::mem::swap(&mut min_arg, &mut max_arg);
    }
    let range = match range_type {
        RangeType::Auto | RangeType::Rank => {
            let start = parse_i64(min_arg).ok_or(Error::NotInteger)?;
            let end = parse_i64(max_arg).ok_or(Error::NotInteger)?;
            Range::Rank(start, end)
        }
        RangeType::Score => Range::Score(ScoreBound::parse_range(min_arg, max_arg)?),
        RangeType::Lex => Range::Lex(LexRange::parse(min_arg, max_arg)?),
    };

    if store {
        let (elements, ranked) = match db.get_zset(argv[src])? {
            Some(set) => {
                let elements = range_elements(set, &range, reverse, offset, limit);
                let ranked = matches!(range, Range::Rank(..));
                let owned: Vec<(Vec<u8>, f64)> =
                    elements.into_iter().map(|(m, s)| (m.to_vec(), s)).collect();
                (owned, ranked)
            }
            None => (Vec::new(), false),
        };
        // zrangeResultBeginStore: a rank range knows its length up front.
        let limits = db.config().zset_limits();
        let mut result = if ranked && elements.len() > limits.entries {
            SortedSet::new_skiplist()
        } else {
            SortedSet::new()
        };
        result.set_limits(limits);
        for (member, score) in &elements {
            result.insert(member, *score);
        }
        return Ok(store_result(db, argv[1], result));
    }
    let Some(set) = db.get_zset(argv[src])? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let elements = range_elements(set, &range, reverse, offset, limit);
    Ok(super::members_reply(elements.into_iter(), with_scores))
}

/// Stores a computed sorted set at `dst` as the STORE commands do (`setKey`, which drops the
/// TTL), and replies its size; an empty one deletes `dst` instead (`dbDelete`, noticed only when
/// there was a key).
pub(super) fn store_result(db: &mut Db, dst: &[u8], result: SortedSet) -> Reply {
    let len = result.len() as i64;
    if result.is_empty() {
        db.remove(dst);
    } else {
        db.set(dst, Value::ZSet(result), false);
    }
    Reply::Integer(len)
}

/// The elements of `range`, in the order Redis emits them (`genericZrangebyrankCommand`,
/// `genericZrangebyscoreCommand`, `genericZrangebylexCommand`): from the first element in range
/// (the last one when reversed), skip `offset` elements unchecked, then up to `limit` while in
/// range. A negative offset skips to the end; a negative limit has no end.
fn range_elements<'s>(
    set: &'s SortedSet,
    range: &Range<'_>,
    reverse: bool,
    offset: i64,
    limit: i64,
) -> Vec<(&'s [u8], f64)> {
    let len = set.len();
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    // From `first` on (down from `first` when reversed), after the offset, while `in_range`.
    let walk = |first: Option<usize>, in_range: &dyn Fn(&[u8], f64) -> bool| {
        let (Some(first), Ok(offset)) = (first, usize::try_from(offset)) else {
            return Vec::new();
        };
        let in_range = |&(m, s): &(&[u8], f64)| in_range(m, s);
        if reverse {
            let items = set.range(0, (first + 1).saturating_sub(offset)).rev();
            items.take(limit).take_while(in_range).collect()
        } else {
            let items = set.range(first.saturating_add(offset), len);
            items.take(limit).take_while(in_range).collect()
        }
    };
    match *range {
        Range::Rank(start, end) => match by_rank(set, start, end) {
            // Ranks counted from the high end.
            Some((first, last)) if reverse => set.range(len - last, len - first).rev().collect(),
            Some((first, last)) => set.range(first, last).collect(),
            None => Vec::new(),
        },
        // `genericZrangebyscoreCommand` gives up at once on an offset past the end.
        Range::Score(..) if offset > 0 && offset >= len as i64 => Vec::new(),
        Range::Score((min, max)) => {
            let first = score_start(set, min, max, reverse);
            if reverse {
                walk(first, &|_, s| min.below(s))
            } else {
                walk(first, &|_, s| max.above(s))
            }
        }
        Range::Lex(lex) if reverse => walk(lex_last(set, lex), &|m, _| lex.gte_min(m)),
        Range::Lex(lex) => walk(lex_first(set, lex), &|m, _| lex.lte_max(m)),
    }
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

/// The number of members between two member names.
///
/// ```text
/// ZLEXCOUNT key min max
/// ```
/// Bounds as for ZRANGEBYLEX. When scores differ, Redis counts as its encoding walks: a listpack
/// from the first element in range onwards while in range; a skip list by the ranks of the first
/// and the last element in range ([`lex_first`], [`lex_last`]), which can even give a negative
/// count.
pub fn zlexcount(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let range = LexRange::parse(argv[2], argv[3])?;
    let Some(set) = db.get_zset(argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let Some(first) = lex_first(set, range) else {
        return Ok(Reply::Integer(0));
    };
    let count = if set.is_listpack() {
        set.range(first, set.len())
            .take_while(|&(m, _)| range.lte_max(m))
            .count() as u64
    } else {
        // zlexcountCommand's unsigned arithmetic on 1-based ranks, printed as a signed number.
        let len = set.len() as u64;
        let mut count = len - first as u64;
        if let Some(last) = lex_last(set, range) {
            count = count.wrapping_sub(len - (last as u64 + 1));
        }
        count
    };
    Ok(Reply::Integer(count as i64))
}

/// The number of members whose scores lie between two bounds.
///
/// ```text
/// ZCOUNT key min max
/// ```
pub fn zcount(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (min, max) = ScoreBound::parse_range(argv[2], argv[3])?;
    let Some(set) = db.get_zset(argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    // Scores ascend with rank: each bound splits the set in two, whichever way Redis walks.
    let (from, to) = score_span(set, min, max);
    Ok(Reply::Integer(to.saturating_sub(from) as i64))
}

/// The ranks `from..to` of the members between `min` and `max` (`to <= from` when none).
fn score_span(set: &SortedSet, min: ScoreBound, max: ScoreBound) -> (usize, usize) {
    let from = set.partition_point(|score, _| !min.below(score));
    let to = set.partition_point(|score, _| max.above(score));
    (from, to)
}

/// Removes the members at a range of ranks; replies how many went.
///
/// ```text
/// ZREMRANGEBYRANK key start stop
/// ```
/// `start` and `stop` are 0-based and inclusive, negative from the end, as for ZRANGE.
pub fn zremrangebyrank(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let start = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    let end = parse_i64(argv[3]).ok_or(Error::NotInteger)?;
    remove_span(db, argv[1], |set| by_rank(set, start, end))
}

/// Removes the members whose scores lie between two bounds; replies how many went.
///
/// ```text
/// ZREMRANGEBYSCORE key min max
/// ```
pub fn zremrangebyscore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (min, max) = ScoreBound::parse_range(argv[2], argv[3])?;
    remove_span(db, argv[1], |set| Some(score_span(set, min, max)))
}

/// `zremrangeGenericCommand`'s deletion: the members at ranks `from..to` that `span` finds go, the
/// key with them if it empties; the key counts as modified when any went.
fn remove_span(
    db: &mut Db,
    key: &[u8],
    span: impl FnOnce(&SortedSet) -> Option<(usize, usize)>,
) -> Result<Reply, Error> {
    let Some(set) = db.zset_mut(key)? else {
        return Ok(Reply::Integer(0));
    };
    let Some((from, to)) = span(set) else {
        return Ok(Reply::Integer(0));
    };
    let doomed: Vec<Vec<u8>> = set.range(from, to).map(|(m, _)| m.to_vec()).collect();
    for member in &doomed {
        set.remove(member);
    }
    if !doomed.is_empty() {
        db.remove_if_empty(key);
        db.touch(key);
    }
    Ok(Reply::Integer(doomed.len() as i64))
}

/// Removes the members between two member names; replies how many went.
///
/// ```text
/// ZREMRANGEBYLEX key min max
/// ```
/// From the first member not below `min`, members are removed while not past `max`. When scores
/// differ, where that starts follows Redis' encoding ([`lex_first`] in a listpack; in a skip list,
/// `zslDeleteRangeByLex`, the same walk without the first check of the whole range).
pub fn zremrangebylex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let range = LexRange::parse(argv[2], argv[3])?;
    remove_span(db, argv[1], |set| {
        let first = if set.is_listpack() {
            lex_first(set, range)
        } else {
            first_gte_min(set, range)
        }?;
        let count = set
            .range(first, set.len())
            .take_while(|&(m, _)| range.lte_max(m))
            .count();
        Some((first, first + count))
    })
}
