//! The differential harness' part for hashes: replies Redis leaves to chance.
//!
//! - [`super::Mode::RandomFields`] (HRANDFIELD): the same shape and length, fields (and values) of the
//!   hash, distinct for a positive count, the whole hash when the count covers it.
//! - [`super::Mode::HashScan`] (HSCAN): a listpack comes whole and in order, so exactly; a hash table's
//!   pages follow Redis' random hash seed, so a well-formed page of the hash's own fields and
//!   values.

use super::Lane;
use crate::support::Resp;

impl Lane {
    /// See [`super::Mode::HashScan`] (`in_exec`: the hash as it was is unknown, only the shape counts).
    pub(super) fn same_hash_scan(
        &mut self,
        key: &[u8],
        r: &[Resp],
        o: &[Resp],
        in_exec: bool,
    ) -> bool {
        self.same_scan_page(key, r, o, in_exec, Lane::is_hashtable)
    }

    /// A page of HSCAN or ZSCAN that differs from Redis' bytes: fine when both are well-formed
    /// pages, and (outside EXEC) the collection is paged (`paged`: a hash table, a skip list) and
    /// every pair of ours is one of its pairs now.
    pub(super) fn same_scan_page(
        &mut self,
        key: &[u8],
        r: &[Resp],
        o: &[Resp],
        in_exec: bool,
        paged: fn(&mut Lane, &[u8]) -> bool,
    ) -> bool {
        let page = |reply: &[Resp]| match reply {
            [Resp::Bulk(Some(cursor)), Resp::Array(Some(items))]
                if std::str::from_utf8(cursor).is_ok_and(|c| c.parse::<i64>().is_ok())
                    && items.len() % 2 == 0 =>
            {
                Some(items.clone())
            }
            _ => None,
        };
        match (page(r), page(o)) {
            (Some(_), Some(_)) if in_exec => true,
            (Some(_), Some(items)) if paged(self, key) => {
                let pairs = self.hash_pairs(key);
                items
                    .chunks_exact(2)
                    .all(|p| pairs.contains(&(p[0].clone(), p[1].clone())))
            }
            _ => false,
        }
    }

    /// The hash at `key` in Redis now, as (field, value) pairs — or the sorted set's, as (member,
    /// score) pairs (ZRANDMEMBER is compared as HRANDFIELD is).
    pub(super) fn hash_pairs(&mut self, key: &[u8]) -> Vec<(Resp, Resp)> {
        let zset = self.control.call(&[&b"TYPE"[..], key]) == b"+zset\r\n";
        let argv: &[&[u8]] = if zset {
            &[b"ZRANGE", key, b"0", b"-1", b"WITHSCORES"]
        } else {
            &[b"HGETALL", key]
        };
        match Resp::parse(&self.control.call(argv)) {
            Some(Resp::Array(Some(items))) => items
                .chunks_exact(2)
                .map(|p| (p[0].clone(), p[1].clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// See [`super::Mode::RandomFields`].
    pub(super) fn same_random_fields(
        &mut self,
        key: &[u8],
        count: Option<i64>,
        with_values: bool,
        redis: &Resp,
        ours: &Resp,
        in_exec: bool,
    ) -> bool {
        // The picks, each a field or a field-value pair, in either protocol's shape.
        let picks = |reply: &Resp| -> Option<Vec<(Resp, Option<Resp>)>> {
            let Resp::Array(Some(items)) = reply else {
                return None;
            };
            // A score arrives as a RESP3 double in the RESP3 lane, as a bulk string in the
            // control connection's answer.
            let text = |r: &Resp| match r {
                Resp::Double(d) => Resp::Bulk(Some(d.clone())),
                other => other.clone(),
            };
            if !with_values {
                return Some(items.iter().map(|f| (f.clone(), None)).collect());
            }
            if items
                .iter()
                .all(|i| matches!(i, Resp::Array(Some(p)) if p.len() == 2))
            {
                return Some(
                    items
                        .iter()
                        .filter_map(|i| match i {
                            Resp::Array(Some(p)) => Some((p[0].clone(), Some(text(&p[1])))),
                            _ => None,
                        })
                        .collect(),
                );
            }
            (items.len() % 2 == 0).then(|| {
                items
                    .chunks_exact(2)
                    .map(|p| (p[0].clone(), Some(text(&p[1]))))
                    .collect()
            })
        };
        let one = |reply: &Resp| matches!(reply, Resp::Bulk(Some(_)));
        if count.is_none() {
            if !(one(redis) && one(ours)) {
                return false;
            }
            return in_exec || self.hash_pairs(key).iter().any(|(f, _)| f == ours);
        }
        let (Some(r), Some(o)) = (picks(redis), picks(ours)) else {
            return false;
        };
        if r.len() != o.len() || shape(redis) != shape(ours) {
            return false;
        }
        if in_exec {
            return true;
        }
        let hash = self.hash_pairs(key);
        let belongs = o.iter().all(|(f, v)| {
            hash.iter()
                .any(|(hf, hv)| hf == f && v.as_ref().is_none_or(|v| v == hv))
        });
        let count = count.unwrap_or(0);
        let mut sorted_o: Vec<_> = o.iter().map(|(f, _)| f.clone()).collect();
        sorted_o.sort();
        let distinct = count < 0 || sorted_o.windows(2).all(|w| w[0] != w[1]);
        let whole = count < 0 || (count as u64) < hash.len() as u64 || {
            let mut sorted_r: Vec<_> = r.iter().map(|(f, _)| f.clone()).collect();
            sorted_r.sort();
            sorted_r == sorted_o
        };
        belongs && distinct && whole
    }
}

/// What of a random pick's reply must be the same bytes whatever was drawn: the type of the reply
/// and, for each element, its type (a RESP3 pair is an array of a field or member and a value,
/// a score a double) — so that RESP3's nested pairs and doubles are checked, not only the
/// picks.
fn shape(reply: &Resp) -> Vec<u8> {
    let kind = |r: &Resp| match r {
        Resp::Status(_) => b'+',
        Resp::Error(_) => b'-',
        Resp::Int(_) => b':',
        Resp::Bulk(_) => b'$',
        Resp::Array(_) => b'*',
        Resp::Null => b'_',
        Resp::Double(_) => b',',
        Resp::Bool(_) => b'#',
        Resp::Verbatim(_) => b'=',
        Resp::BigNumber(_) => b'(',
        Resp::Set(_) => b'~',
        Resp::Map(_) => b'%',
    };
    let mut out = vec![kind(reply)];
    if let Resp::Array(Some(items)) = reply {
        for item in items {
            out.push(kind(item));
            if let Resp::Array(Some(pair)) = item {
                out.extend(pair.iter().map(kind));
                out.push(b'.');
            }
        }
    }
    out
}
