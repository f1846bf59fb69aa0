//! Union, intersection and difference of sorted sets: ZUNION, ZINTER, ZDIFF, their STORE forms and
//! ZINTERCARD — Redis' `zunionInterDiffGenericCommand`. An input may also be a set, whose members
//! score 1.
//!
//! Scores combine in Redis' order, which decides the last bits of a sum: the inputs sorted by size
//! (a stable sort, as glibc's `qsort` is for this), each score times its weight (NaN, from `0 ×
//! inf`, counts as 0 — in ZINTER for the first input only), then SUM (NaN, from `inf + -inf`,
//! becomes 0), MIN or MAX (`val < target ? val : target`, so of `0` and `-0` the first one met
//! stays, and a NaN changes nothing). The result is built as a skip list,
//! so a reply keeps a `-0`; a stored result becomes a listpack if it fits (where `-0` is `0`).

use std::borrow::Cow;

use super::super::is;
use super::ranges::store_result;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::{parse_f64, parse_i64};
use crate::engine::reply::Reply;
use crate::engine::set::Set;
use crate::engine::sorted_set::SortedSet;
use crate::engine::value::Value;
use crate::engine::Map;

/// Which operation (`SET_OP_UNION`, `SET_OP_INTER`, `SET_OP_DIFF`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

/// What the command does with the result.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    /// Replies it (ZUNION, ZINTER, ZDIFF).
    Reply,
    /// Stores it at `argv[1]` (the STORE forms).
    Store,
    /// Replies its size only (ZINTERCARD).
    Cardinality,
}

/// AGGREGATE.
#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    /// `zunionInterAggregate`.
    fn apply(self, target: &mut f64, value: f64) {
        match self {
            Aggregate::Sum => {
                *target += value;
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => *target = if value < *target { value } else { *target },
            Aggregate::Max => *target = if value > *target { value } else { *target },
        }
    }
}

/// What an input key holds: a sorted set, a set (its members score 1), or nothing.
#[derive(Clone, Copy)]
enum Input<'a> {
    Missing,
    Sorted(&'a SortedSet),
    Plain(&'a Set),
}

/// One input and its weight.
struct Source<'a> {
    input: Input<'a>,
    weight: f64,
}

impl Source<'_> {
    fn len(&self) -> usize {
        match self.input {
            Input::Missing => 0,
            Input::Sorted(set) => set.len(),
            Input::Plain(set) => set.len(),
        }
    }

    /// `zuiFind`: the member's score, 1 for a member of a set.
    fn score(&self, member: &[u8]) -> Option<f64> {
        match self.input {
            Input::Missing => None,
            Input::Sorted(set) => set.score(member),
            Input::Plain(set) => set.contains(member).then_some(1.0),
        }
    }

    /// The members with their scores, in `zuiNext`'s order (a sorted set from its tail, a set in
    /// its own order).
    fn elements(&self) -> Box<dyn Iterator<Item = (Cow<'_, [u8]>, f64)> + '_> {
        match self.input {
            Input::Missing => Box::new(std::iter::empty()),
            Input::Sorted(set) => Box::new(set.iter().rev().map(|(m, s)| (Cow::Borrowed(m), s))),
            Input::Plain(set) => Box::new(set.iter().map(|m| (m, 1.0))),
        }
    }

    /// `weight × score`, a NaN (`0 × inf`) counting as 0.
    fn weighted(&self, score: f64) -> f64 {
        let value = self.weight * score;
        if value.is_nan() {
            0.0
        } else {
            value
        }
    }
}

/// The members of several sorted sets, with their scores combined.
///
/// ```text
/// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
///   [WITHSCORES]
/// ```
/// Each member's score is the sum (or minimum, or maximum) of its scores, each times its set's
/// weight (1 by default). A missing key is an empty set.
pub fn zunion(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zunion", Op::Union, Output::Reply)
}

/// The members every one of several sorted sets holds, with their scores combined as ZUNION does.
///
/// ```text
/// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
///   [WITHSCORES]
/// ```
pub fn zinter(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zinter", Op::Inter, Output::Reply)
}

/// The members of the first sorted set that none of the others holds, with their scores.
///
/// ```text
/// ZDIFF numkeys key [key ...] [WITHSCORES]
/// ```
pub fn zdiff(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zdiff", Op::Diff, Output::Reply)
}

/// ZUNION stored at `destination`; replies its size (an empty result deletes `destination`).
///
/// ```text
/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]]
///   [AGGREGATE SUM | MIN | MAX]
/// ```
pub fn zunionstore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zunionstore", Op::Union, Output::Store)
}

/// ZINTER stored at `destination`; replies its size (an empty result deletes `destination`).
///
/// ```text
/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]]
///   [AGGREGATE SUM | MIN | MAX]
/// ```
pub fn zinterstore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zinterstore", Op::Inter, Output::Store)
}

/// ZDIFF stored at `destination`; replies its size (an empty result deletes `destination`).
///
/// ```text
/// ZDIFFSTORE destination numkeys key [key ...]
/// ```
pub fn zdiffstore(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zdiffstore", Op::Diff, Output::Store)
}

/// How many members every one of several sorted sets holds, counting up to `limit` (0: no limit).
///
/// ```text
/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
/// ```
pub fn zintercard(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    generic(db, argv, "zintercard", Op::Inter, Output::Cardinality)
}

/// `zunionInterDiffGenericCommand`: numkeys, then the keys (looked up, WRONGTYPE at the first
/// that is not a sorted set), then the options; then the operation.
fn generic(
    db: &mut Db,
    argv: &[&[u8]],
    name: &'static str,
    op: Op,
    output: Output,
) -> Result<Reply, Error> {
    let numkeys_at = if output == Output::Store { 2 } else { 1 };
    let setnum = parse_i64(argv[numkeys_at]).ok_or(Error::NotInteger)?;
    if setnum < 1 {
        return Err(Error::NoInputKeys(name));
    }
    let first = numkeys_at + 1;
    let setnum = usize::try_from(setnum)
        .ok()
        .filter(|&n| n <= argv.len() - first)
        .ok_or(Error::Syntax)?;
    let keys = &argv[first..first + setnum];
    for key in keys {
        match db.get(key) {
            None | Some(Value::ZSet(_) | Value::Set(_)) => {}
            Some(_) => return Err(Error::WrongType),
        }
    }

    let mut weights = vec![1.0; setnum];
    let mut aggregate = Aggregate::Sum;
    let mut with_scores = false;
    let mut limit = 0u64;
    let mut j = first + setnum;
    while j < argv.len() {
        let remaining = argv.len() - j;
        let combines = op != Op::Diff && output != Output::Cardinality;
        if combines && remaining > setnum && is(argv[j], "weights") {
            for (weight, arg) in weights.iter_mut().zip(&argv[j + 1..]) {
                *weight = parse_f64(arg).ok_or(Error::WeightNotFloat)?;
            }
            j += 1 + setnum;
        } else if combines && remaining >= 2 && is(argv[j], "aggregate") {
            let word = argv[j + 1];
            aggregate = if is(word, "sum") {
                Aggregate::Sum
            } else if is(word, "min") {
                Aggregate::Min
            } else if is(word, "max") {
                Aggregate::Max
            } else {
                return Err(Error::Syntax);
            };
            j += 2;
        } else if output == Output::Reply && is(argv[j], "withscores") {
            with_scores = true;
            j += 1;
        } else if output == Output::Cardinality && remaining >= 2 && is(argv[j], "limit") {
            limit = parse_i64(argv[j + 1])
                .and_then(|n| u64::try_from(n).ok())
                .ok_or(Error::LimitNegative)?;
            j += 2;
        } else {
            return Err(Error::Syntax);
        }
    }

    let mut sources: Vec<Source<'_>> = keys
        .iter()
        .zip(&weights)
        .map(|(key, &weight)| Source {
            input: match db.peek(key) {
                Some(Value::ZSet(set)) => Input::Sorted(set),
                Some(Value::Set(set)) => Input::Plain(set),
                _ => Input::Missing,
            },
            weight,
        })
        .collect();
    if op != Op::Diff {
        sources.sort_by_key(Source::len);
    }
    // createZsetObject, converted at the end with the thresholds in force.
    let mut result = SortedSet::new_skiplist();
    result.set_limits(db.config().zset_limits());
    match op {
        Op::Inter => {
            let mut count = 0u64;
            for (member, score) in sources[0].elements() {
                let member = &member[..];
                let mut total = sources[0].weighted(score);
                // Only the first input's product is cleared of NaN; the others' go to the
                // aggregate as they are (a SUM with NaN becomes 0, MIN and MAX keep their value).
                let everywhere = sources[1..]
                    .iter()
                    .all(|source| match source.score(member) {
                        Some(score) => {
                            aggregate.apply(&mut total, score * source.weight);
                            true
                        }
                        None => false,
                    });
                if !everywhere {
                    continue;
                }
                if output == Output::Cardinality {
                    count += 1;
                    if count == limit {
                        break;
                    }
                } else {
                    result.insert(member, total);
                }
            }
            if output == Output::Cardinality {
                return Ok(Reply::Integer(count as i64));
            }
        }
        Op::Union => {
            let mut totals: Map<Cow<'_, [u8]>, f64> = Map::default();
            for source in &sources {
                for (member, score) in source.elements() {
                    let value = source.weighted(score);
                    match totals.get_mut(&member[..]) {
                        Some(total) => aggregate.apply(total, value),
                        None => {
                            totals.insert(member, value);
                        }
                    }
                }
            }
            for (member, total) in totals {
                result.insert(&member, total);
            }
        }
        Op::Diff => {
            for (member, score) in sources[0].elements() {
                if sources[1..].iter().all(|s| s.score(&member).is_none()) {
                    result.insert(&member, score);
                }
            }
        }
    }
    Ok(match output {
        Output::Store => {
            result.convert_to_listpack_if_needed();
            store_result(db, argv[1], result)
        }
        _ => super::members_reply(result.iter(), with_scores),
    })
}
