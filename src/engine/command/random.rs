//! What HRANDFIELD and ZRANDMEMBER share (`hrandfieldWithCountCommand`,
//! `zrandmemberWithCountCommand`): reading `count [WITHVALUES | WITHSCORES]`, and drawing.

use super::is;
use super::strings::PROTO_MAX_BULK_LEN;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::parse_i64;

/// Reads `argv[2..]` = `count [word]`, in Redis' order of checks: the count
/// (`getRangeLongFromObjectOrReply` from `-LONG_MAX`), then the syntax (only `word` may follow),
/// then, with `word`, the count's half range (its pairs must not overflow). Returns the count and
/// whether `word` was given.
pub(crate) fn parse_count(argv: &[&[u8]], word: &str) -> Result<(i64, bool), Error> {
    let count = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    if count == i64::MIN {
        return Err(Error::ValueNotBetween(-i64::MAX, i64::MAX));
    }
    let with = match argv.get(3) {
        None => false,
        Some(arg) if argv.len() == 4 && is(arg, word) => true,
        Some(_) => return Err(Error::Syntax),
    };
    if with && !(-i64::MAX / 2..=i64::MAX / 2).contains(&count) {
        return Err(Error::ValueOutOfRange);
    }
    Ok((count, with))
}

/// Indexes of `|count|` random picks among `size` elements: independent draws for a negative
/// count, distinct ones in random order for a positive one (fewer than `size`; the caller answers
/// the whole collection itself, in its own order). Each pick takes about `per_pick` bytes of
/// reply, which is built whole before it is sent: the memory guard sees it first, and one past
/// 512 MB is refused even without a byte limit (redis-sim serve). Redis streams such a reply for
/// as long as the client reads it.
pub(crate) fn picks(
    db: &mut Db,
    size: usize,
    count: i64,
    per_pick: usize,
) -> Result<Vec<usize>, Error> {
    let wanted = count.unsigned_abs();
    let bytes = usize::try_from(wanted)
        .unwrap_or(usize::MAX)
        .saturating_mul(per_pick);
    if bytes as u64 > PROTO_MAX_BULK_LEN {
        return Err(Error::OutOfMemory);
    }
    db.check_growth(bytes)?;
    let wanted = (wanted as usize).min(if count < 0 { usize::MAX } else { size });
    let rng = db.rng();
    Ok(if count < 0 {
        (0..wanted)
            .map(|_| rng.below(size as u64) as usize)
            .collect()
    } else {
        // A partial Fisher-Yates shuffle: `wanted` distinct indexes in random order.
        let mut all: Vec<usize> = (0..size).collect();
        for i in 0..wanted {
            let j = i + rng.below((size - i) as u64) as usize;
            all.swap(i, j);
        }
        all.truncate(wanted);
        all
    })
}
