//! The differential harness' part for sets: replies whose order or content Redis leaves to chance.
//!
//! - [`Mode::Members`] (SMEMBERS, SINTER, SUNION, SDIFF): Redis lists an intset in ascending order
//!   and a hash table in the order of a table seeded at random. When every source set is an intset
//!   (and the result, at most 512 members, is one too) the order must match; otherwise the replies
//!   are compared as multisets.
//! - [`Mode::Scan`] (SSCAN): the same, for the members after the cursor; cursors must be equal.
//! - [`Mode::Random`] (SPOP, SRANDMEMBER): what is deterministic — errors, nil, the number of
//!   members, that they are members, that they are distinct when they must be, the whole set when
//!   the count covers it. After an SPOP, Redis' set is copied into the engine and `redis-sim serve`
//!   (members, encoding, TTL), since the two drew different members.

use incr_lab::engine::Value;

use super::{Lane, Mode};
use crate::support::Resp;

/// What the harness saw of the engine's sets before a command of one of these modes.
#[derive(Clone, Debug, Default)]
pub(super) struct Before {
    /// Every source set is an intset or missing: Redis' order is ascending.
    ordered: bool,
    /// The members of the set at `argv[1]` (None when it is not a set).
    members: Option<Vec<Vec<u8>>>,
    /// The answer's members must be distinct (SPOP, SRANDMEMBER with a count ≥ 0).
    distinct: bool,
    /// The count covers the whole set (SPOP / SRANDMEMBER with count ≥ its size).
    whole: bool,
}

/// The engine client the harness resynchronizes sets with (never in a transaction).
const RESYNC_CLIENT: u64 = u64::MAX - 7;

fn name_is<A: AsRef<[u8]>>(argv: &[A], names: &[&str]) -> bool {
    argv.first().is_some_and(|n| {
        names
            .iter()
            .any(|x| n.as_ref().eq_ignore_ascii_case(x.as_bytes()))
    })
}

impl Lane {
    /// The engine's set at `key`: (members, is an intset); None when it is not a set.
    fn engine_set(&self, key: &[u8]) -> Option<(Vec<Vec<u8>>, bool)> {
        match self.engine.db().peek(key) {
            Some(Value::Set(s)) => Some((s.iter().map(|m| m.to_vec()).collect(), s.is_intset())),
            _ => None,
        }
    }

    /// Records what the comparison of a set reply needs, before the command runs.
    pub(super) fn note_before<A: AsRef<[u8]>>(&mut self, argv: &[A], mode: Mode) {
        self.before = Before::default();
        if !matches!(mode, Mode::Members | Mode::Scan | Mode::Random) || argv.len() < 2 {
            return;
        }
        let sources: Vec<&[u8]> = if name_is(argv, &["smembers", "sinter", "sunion", "sdiff"]) {
            argv[1..].iter().map(AsRef::as_ref).collect()
        } else {
            vec![argv[1].as_ref()]
        };
        let db = self.engine.db();
        self.before.ordered = sources.iter().all(|k| match db.peek(k) {
            Some(Value::Set(s)) => s.is_intset(),
            _ => true,
        });
        let first = self.engine_set(argv[1].as_ref());
        let size = first.as_ref().map_or(0, |(m, _)| m.len() as i64);
        let count = argv
            .get(2)
            .and_then(|c| std::str::from_utf8(c.as_ref()).ok()?.parse::<i64>().ok());
        let spop = name_is(argv, &["spop"]);
        self.before.distinct = spop || count.is_some_and(|c| c >= 0);
        self.before.whole = count.is_some_and(|c| c >= size);
        // The whole set comes from a copy built member by member (sunionDiffGenericCommand): a
        // hash table past set-max-intset-entries, listed in its random order.
        if mode == Mode::Random {
            let intset = self.engine.config().set_max_intset_entries() as i64;
            self.before.ordered &= size <= intset;
        }
        self.before.members = first.map(|(m, _)| m);
    }

    /// Compares replies of the set modes (`in_exec`: the state before is unknown).
    pub(super) fn same_set_reply(
        &self,
        mode: Mode,
        redis: &Resp,
        ours: &Resp,
        in_exec: bool,
    ) -> bool {
        let before = if in_exec { None } else { Some(&self.before) };
        match (mode, redis, ours) {
            (Mode::Scan, Resp::Array(Some(r)), Resp::Array(Some(o))) => match (&r[..], &o[..]) {
                ([cursor_r, Resp::Array(Some(r))], [cursor_o, Resp::Array(Some(o))]) => {
                    let ordered = before.is_some_and(|b| b.ordered);
                    cursor_r == cursor_o && !ordered && multiset(r) == multiset(o)
                }
                _ => false,
            },
            (Mode::Random, Resp::Bulk(Some(r)), Resp::Bulk(Some(o))) => {
                before.is_none_or(|b| b.has(r) && b.has(o))
            }
            _ => match (elements(redis), elements(ours)) {
                (Some((kind_r, r)), Some((kind_o, o))) if kind_r == kind_o => match mode {
                    Mode::Members => {
                        // A result past set-max-intset-entries is a hash table in Redis.
                        let intset = self.engine.config().set_max_intset_entries();
                        let ordered = before.is_some_and(|b| b.ordered) && r.len() <= intset;
                        !ordered && multiset(r) == multiset(o)
                    }
                    Mode::Random => same_draws(before, r, o),
                    _ => false,
                },
                _ => false,
            },
        }
    }

    /// After an SPOP that took members, copies Redis' set at `key` into the engine and
    /// `redis-sim serve`: its members, its encoding and its expire time.
    pub(super) fn resync_after<A: AsRef<[u8]>>(&mut self, argv: &[A], redis: &[u8]) {
        let took = match Resp::parse(redis) {
            Some(Resp::Bulk(Some(_))) => true,
            Some(Resp::Array(Some(items)) | Resp::Set(items)) => !items.is_empty(),
            _ => false,
        };
        if !name_is(argv, &["spop"]) || !took || argv.len() < 2 {
            return;
        }
        let key = argv[1].as_ref().to_vec();
        let members = match Resp::parse(&self.control.call(&[&b"SMEMBERS"[..], &key])) {
            Some(Resp::Array(Some(items))) => items
                .into_iter()
                .filter_map(|i| match i {
                    Resp::Bulk(Some(m)) => Some(m),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let table =
            self.control.call(&[&b"OBJECT"[..], b"ENCODING", &key]) == b"$9\r\nhashtable\r\n";
        let at = match Resp::parse(&self.control.call(&[&b"PEXPIRETIME"[..], &key])) {
            Some(Resp::Int(at)) if at > 0 => Some(at.to_string().into_bytes()),
            _ => None,
        };
        let mut script: Vec<Vec<Vec<u8>>> = vec![vec![b"DEL".to_vec(), key.clone()]];
        if !members.is_empty() {
            // An intset that grew under a higher set-max-intset-entries stays one in Redis when the
            // limit is lowered: let ours grow under the same higher limit, then put the limit back.
            // The limit as Redis holds it (the engine's getter clamps it).
            let limit = match Resp::parse(&self.control.call(&[
                &b"CONFIG"[..],
                b"GET",
                b"set-max-intset-entries",
            ])) {
                Some(Resp::Array(Some(items))) => match items.get(1) {
                    Some(Resp::Bulk(Some(v))) => v.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let below = std::str::from_utf8(&limit)
                .ok()
                .and_then(|l| l.parse::<usize>().ok())
                .is_some_and(|l| members.len() > l);
            let config = |n: Vec<u8>| {
                vec![
                    b"CONFIG".to_vec(),
                    b"SET".to_vec(),
                    b"set-max-intset-entries".to_vec(),
                    n,
                ]
            };
            let raise = !table && below;
            if raise {
                script.push(config(members.len().to_string().into_bytes()));
            }
            let mut sadd = vec![b"SADD".to_vec(), key.clone()];
            sadd.extend(members.iter().cloned());
            script.push(sadd);
            if raise {
                script.push(config(limit));
            }
            // Redis' set is a hash table of integers: make ours one too.
            let marker = b"\x00resync".to_vec();
            if table {
                script.push(vec![b"SADD".to_vec(), key.clone(), marker.clone()]);
                script.push(vec![b"SREM".to_vec(), key.clone(), marker]);
            }
        }
        if let Some(at) = at {
            script.push(vec![b"PEXPIREAT".to_vec(), key.clone(), at]);
        }
        for argv in &script {
            self.engine.execute(RESYNC_CLIENT, argv);
            self.sim_control.call(argv);
        }
        self.history.push(format!(
            "-- resync {}: Redis' {} members{}",
            crate::support::show(&key),
            members.len(),
            if table { " (hashtable)" } else { "" }
        ));
    }

    /// Fails unless Redis and the engine agree on the set encoding at `key` (intset or hashtable).
    pub(super) fn check_set_encoding(&mut self, key: &[u8]) {
        let ours = match self.engine.db().peek(key) {
            Some(Value::Set(s)) if s.is_intset() => Some("intset"),
            Some(Value::Set(_)) => Some("hashtable"),
            _ => None,
        };
        self.check_encoding(key, ours, &["intset", "hashtable"]);
    }
}

/// Random members drawn by Redis (`r`) and the engine (`o`) from the same set: as many, members,
/// distinct when they must be, the whole set when the count covers it.
fn same_draws(before: Option<&Before>, r: &[Resp], o: &[Resp]) -> bool {
    if r.len() != o.len() {
        return false;
    }
    let Some(b) = before else {
        return true;
    };
    let members_ok = |items: &[Resp]| {
        items
            .iter()
            .all(|i| matches!(i, Resp::Bulk(Some(m)) if b.has(m)))
            && (!b.distinct || multiset(items).windows(2).all(|w| w[0] != w[1]))
    };
    if !members_ok(r) || !members_ok(o) {
        return false;
    }
    // The whole set: the same members (in order when an intset lists them).
    !(b.distinct && b.whole) || (!b.ordered && multiset(r) == multiset(o))
}

/// The elements of an array or a RESP3 set, and which of the two it is.
fn elements(reply: &Resp) -> Option<(bool, &[Resp])> {
    match reply {
        Resp::Array(Some(items)) => Some((false, items)),
        Resp::Set(items) => Some((true, items)),
        _ => None,
    }
}

impl Before {
    fn has(&self, member: &[u8]) -> bool {
        self.members
            .as_ref()
            .is_some_and(|m| m.iter().any(|x| x == member))
    }
}

fn multiset(items: &[Resp]) -> Vec<Resp> {
    let mut v = items.to_vec();
    v.sort();
    v
}
