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
        self.same_scan_page(key, r, o, in_exec, Lane::is_skiplist)
    }

    /// True when Redis keeps the sorted set at `key` as a skip list.
    fn is_skiplist(&mut self, key: &[u8]) -> bool {
        self.control.call(&[&b"OBJECT"[..], b"ENCODING", key]) == b"$8\r\nskiplist\r\n"
    }
}
