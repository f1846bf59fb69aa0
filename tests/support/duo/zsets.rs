//! The differential harness' part for sorted sets: ZSCAN pages (see [`super::Mode::ZsetScan`]);
//! ZRANDMEMBER is compared as HRANDFIELD is (`duo/hashes.rs`).

use super::Lane;
use crate::support::Resp;

impl Lane {
    /// See [`super::Mode::ZsetScan`] (`in_exec`: the set as it was is unknown, only the shape
    /// counts). Equal bytes never get here.
    pub(super) fn same_zset_scan(
        &mut self,
        key: &[u8],
        r: &[Resp],
        o: &[Resp],
        in_exec: bool,
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
            (Some(_), Some(items)) if self.is_skiplist(key) => {
                let set = self.hash_pairs(key);
                items
                    .chunks_exact(2)
                    .all(|p| set.contains(&(p[0].clone(), p[1].clone())))
            }
            _ => false,
        }
    }

    /// True when Redis keeps the sorted set at `key` as a skip list.
    fn is_skiplist(&mut self, key: &[u8]) -> bool {
        self.control.call(&[&b"OBJECT"[..], b"ENCODING", key]) == b"$8\r\nskiplist\r\n"
    }
}
