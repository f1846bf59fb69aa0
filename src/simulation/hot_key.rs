//! A hot key in a small Redis Cluster: a flood of likes on one counter key against the same flood
//! spread over K counter keys ("sharded counter"), with what the spread costs on the read.
//!
//! The cluster is S primaries, each its own single-threaded server: one [`Sim`] per primary, each
//! with the flood's timing (2 µs a command, 250–750 µs one way on the network), running real
//! `INCR`s on its own engine. Clients never talk to two primaries here, so the primaries are
//! independent runs. Which primary a key lives on follows the cluster specification: its hash
//! slot is CRC16 of the key (or of its `{hash tag}`) modulo 16,384 ([`key_hash_slot`], as
//! `keyHashSlot` in Redis' `cluster.c`), and the slots are split into S equal ranges as
//! `redis-cli --cluster create` does ([`slot_owner`]).
//!
//! ```
//! use incr_lab::simulation::hot_key::{run, HotKeyParams};
//! let one = run(HotKeyParams { clients: 3_000, servers: 3, keys: 1, ..HotKeyParams::default() });
//! let four = run(HotKeyParams { clients: 3_000, servers: 3, keys: 4, ..HotKeyParams::default() });
//! assert_eq!((one.counted, four.counted), (3_000, 3_000));
//! assert!(four.busiest().commands < one.busiest().commands);
//! ```

use std::rc::Rc;

use super::program::{Arg, Batch, Command, Ctx, Finish, Program, Request, Response, Step};
use super::rng::Rng;
use super::sim::{Config, Programs, Sim, SimBuilder};
use crate::engine::Reply;

/// Hash slots in a Redis Cluster.
pub const SLOTS: u16 = 16_384;

/// The counter's key when it is one key.
pub const HOT_KEY: &str = "post:99:likes";

/// Random streams of this module (the simulator's own streams are 1 and 2).
const STREAM_KEY: u64 = 101;
const STREAM_START: u64 = 102;

/// CRC16 as Redis Cluster uses it: CCITT/XMODEM, polynomial 0x1021, initial value 0 (Redis'
/// `crc16.c`; the cluster specification gives `crc16("123456789") = 0x31C3`).
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in bytes {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The hash slot of `key`: CRC16 of the key modulo 16,384 — or, when the key has a `{…}` with at
/// least one byte inside (the first `{` and the first `}` after it), of those bytes only: the
/// hash tag, which keeps related keys in one slot (Redis' `keyHashSlot`).
pub fn key_hash_slot(key: &[u8]) -> u16 {
    let tagged = key.iter().position(|&b| b == b'{').and_then(|open| {
        let rest = key.get(open + 1..)?;
        let close = rest.iter().position(|&b| b == b'}')?;
        (close > 0).then(|| rest.get(..close)).flatten()
    });
    crc16(tagged.unwrap_or(key)) & (SLOTS - 1)
}

/// The primary (0-based) that serves `slot` when `servers` primaries share the 16,384 slots in
/// equal ranges, as `redis-cli --cluster create` splits them (3 primaries: 0–5460, 5461–10922,
/// 10923–16383).
pub fn slot_owner(slot: u16, servers: usize) -> usize {
    let servers = servers.max(1);
    let per = f32::from(SLOTS) / servers as f32;
    let mut first = 0i64;
    let mut cursor = 0f32;
    for server in 0..servers {
        let mut last = (cursor + per - 1.0).round() as i64;
        if last > i64::from(SLOTS) || server == servers - 1 {
            last = i64::from(SLOTS) - 1;
        }
        last = last.max(first);
        if i64::from(slot) <= last {
            return server;
        }
        first = last + 1;
        cursor += per;
    }
    servers - 1
}

/// How the K counter keys are named.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeyNames {
    /// `post:99:likes:0` … : each name hashes whole, so the keys fall in different slots.
    #[default]
    Plain,
    /// `{post:99}:likes:0` … : the hash tag makes every key hash as `post:99`, one slot, one
    /// server — the spread is gone.
    HashTag,
}

impl KeyNames {
    /// Both, in the order the demo offers them.
    pub const ALL: [KeyNames; 2] = [KeyNames::Plain, KeyNames::HashTag];

    /// A stable short name.
    pub fn slug(self) -> &'static str {
        match self {
            KeyNames::Plain => "plain",
            KeyNames::HashTag => "tag",
        }
    }

    /// The names' pattern.
    pub fn label(self) -> &'static str {
        match self {
            KeyNames::Plain => "post:99:likes:N",
            KeyNames::HashTag => "{post:99}:likes:N",
        }
    }
}

/// The counter's keys: [`HOT_KEY`] alone for one key, else K keys named as `names` says.
pub fn counter_keys(keys: usize, names: KeyNames) -> Vec<String> {
    if keys <= 1 {
        return vec![HOT_KEY.to_owned()];
    }
    (0..keys)
        .map(|i| match names {
            KeyNames::Plain => format!("{HOT_KEY}:{i}"),
            KeyNames::HashTag => format!("{{post:99}}:likes:{i}"),
        })
        .collect()
}

/// A run's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HotKeyParams {
    /// Clients; each adds one like with one `INCR`.
    pub clients: usize,
    /// Primaries in the cluster.
    pub servers: usize,
    /// Counter keys (1: the one hot key).
    pub keys: usize,
    /// How the counter keys are named.
    pub names: KeyNames,
    /// The seed of every draw: which key each client picks, when it starts, its network delays.
    pub seed: u64,
    /// Clients start within this window, in µs (the flood's "same millisecond").
    pub window_us: u64,
}

impl Default for HotKeyParams {
    fn default() -> Self {
        HotKeyParams {
            clients: 10_000,
            servers: 3,
            keys: 4,
            names: KeyNames::Plain,
            seed: 1,
            window_us: 1_000,
        }
    }
}

/// One primary's share of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerFigures {
    /// Commands it executed (one `INCR` per client that picked one of its keys).
    pub commands: u64,
    /// Time its command thread was busy, in µs (commands × the service time).
    pub busy_us: u64,
    /// The longest its queue of waiting requests grew.
    pub max_queue: usize,
    /// The counter keys in its slots.
    pub keys: Vec<String>,
}

/// The read: fetch every counter key and add them up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadCost {
    /// Values to fetch (K).
    pub values: usize,
    /// Requests a read needs: keys of different slots cannot share one `MGET` in a cluster
    /// (`CROSSSLOT`), so one request per slot that holds counter keys.
    pub requests: usize,
    /// Primaries asked (the requests to one primary can travel pipelined, in one round trip).
    pub servers: usize,
    /// True when the read is one request: one atomic number. Several requests read their keys at
    /// different instants while likes keep arriving, so their sum is no snapshot.
    pub atomic: bool,
    /// The requests, as a learner would type them, each with the primary (0-based) it goes to.
    pub commands: Vec<(usize, String)>,
}

/// The figures of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HotKeyOutcome {
    /// The settings.
    pub params: HotKeyParams,
    /// Each primary's share.
    pub servers: Vec<ServerFigures>,
    /// When the last like was acknowledged to its client, in µs since the first could start.
    pub last_ack_us: u64,
    /// Median time from sending the `INCR` to its reply, in µs.
    pub p50_us: u64,
    /// 99th percentile of the same.
    pub p99_us: u64,
    /// Clients told their like was counted.
    pub acknowledged: u64,
    /// The sum of the counter keys as the read found them, on the primaries' engines.
    pub counted: i64,
    /// Which keys the clients picked: likes per key, in [`counter_keys`] order.
    pub per_key: Vec<u64>,
    /// What reading the counter costs.
    pub read: ReadCost,
    /// A read sent mid-flood.
    pub mid_read: MidRead,
}

/// A read sent while the likes still pour in: its parts execute on their servers at different
/// instants, so with several servers the sum matches the true total at none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MidRead {
    /// When the reader sent it, in µs.
    pub sent_us: u64,
    /// How long until its last part was answered, in µs (it queues behind the `INCR`s).
    pub answered_us: u64,
    /// The sum it read.
    pub sum: i64,
    /// The likes counted on all servers when its first part executed.
    pub total_first: i64,
    /// The same when its last part executed.
    pub total_last: i64,
}

impl HotKeyOutcome {
    /// The primary with the most commands (the first such).
    pub fn busiest(&self) -> &ServerFigures {
        static NONE: ServerFigures = ServerFigures {
            commands: 0,
            busy_us: 0,
            max_queue: 0,
            keys: Vec::new(),
        };
        self.servers
            .iter()
            .rev()
            .max_by_key(|s| s.commands)
            .unwrap_or(&NONE)
    }
}

/// One client: sends its `INCR` when it starts and waits for the reply — or, as the reader, sends
/// its server's part of the read (a `GET` or `MGET` per slot, pipelined) and adds up the values.
#[derive(Debug)]
struct Liker {
    batch: Batch,
    start_us: u64,
    sent_us: u64,
    acked_us: Option<u64>,
    /// True for the reader; it then keeps the sum of the values it read.
    reader: bool,
    read: i64,
}

impl Program for Liker {
    fn start_at(&self, _drawn_us: u64) -> u64 {
        self.start_us
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        self.sent_us = ctx.now_us;
        Step::Send {
            think_us: 0,
            batch: self.batch.clone(),
        }
    }

    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step {
        if self.reader {
            self.read = replies
                .iter()
                .map(|r| match r {
                    Response::Redis(reply) => sum_values(reply),
                    _ => 0,
                })
                .sum();
            self.acked_us = Some(ctx.now_us);
        } else if let [Response::Redis(Reply::Integer(_))] = replies {
            self.acked_us = Some(ctx.now_us);
        }
        Step::Done(Finish::Acknowledged)
    }
}

/// The sum of the numbers in a `GET` or `MGET` reply (a missing key counts 0).
fn sum_values(reply: &Reply) -> i64 {
    match reply {
        Reply::Bulk(bytes) => std::str::from_utf8(bytes)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
            .unwrap_or(0),
        Reply::Array(items) => items.iter().map(sum_values).sum(),
        _ => 0,
    }
}

/// The value at rank `p`‰ of sorted `values` (nearest rank), 0 when empty.
fn percentile(sorted: &[u64], per_mille: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() * per_mille).div_ceil(1000).max(1);
    sorted.get(rank - 1).copied().unwrap_or(0)
}

/// Runs the flood on the cluster and reads the counter back.
pub fn run(params: HotKeyParams) -> HotKeyOutcome {
    let servers = params.servers.clamp(1, 64);
    let keys = counter_keys(params.keys.clamp(1, 1024), params.names);
    let owner: Vec<usize> = keys
        .iter()
        .map(|k| slot_owner(key_hash_slot(k.as_bytes()), servers))
        .collect();
    let batches: Vec<Batch> = keys
        .iter()
        .map(|k| {
            let incr = Command::of([Arg::Word("INCR"), Arg::Text(Rc::from(k.as_str()))]);
            // Likes 0: the simulator's own lost-update count watches one key; this module keeps
            // its own figures.
            Batch::one(Request::Redis(incr), 0)
        })
        .collect();
    // Client i's key and start instant, drawn from its own streams: the same whatever S and the
    // names, so one key and K keys see the same clients arrive at the same instants.
    let mut per_server: Vec<Vec<(usize, u64)>> = vec![Vec::new(); servers];
    let mut per_key = vec![0u64; keys.len()];
    for client in 0..params.clients {
        let key = Rng::derive(params.seed, STREAM_KEY, client as u64).below(keys.len() as u64);
        let key = key as usize;
        let start =
            Rng::derive(params.seed, STREAM_START, client as u64).between(0, params.window_us);
        if let (Some(n), Some(&server)) = (per_key.get_mut(key), owner.get(key)) {
            *n += 1;
            if let Some(list) = per_server.get_mut(server) {
                list.push((key, start));
            }
        }
    }
    let service_us = Config::default().service_us;
    let groups = read_groups(&keys, &owner);
    // The reader sends the whole read a quarter into the clients' start window, each server's
    // part pipelined: its parts arrive while INCRs still do, and queue with them.
    let read_at_us = params.window_us / 4;
    let mut latencies = Vec::with_capacity(params.clients);
    let mut last_ack_us = 0;
    let mut figures = Vec::with_capacity(servers);
    let mut sims = Vec::with_capacity(servers);
    // Per server: when each INCR executed, and when the reader's part did (if it has one).
    let mut executed: Vec<Vec<u64>> = Vec::with_capacity(servers);
    let mut reads: Vec<(u64, u64, i64)> = Vec::new();
    for (server, list) in per_server.iter().enumerate() {
        let read: Vec<Request> = groups
            .iter()
            .filter(|(s, _, _)| *s == server)
            .map(|(_, _, ks)| read_request(ks))
            .collect();
        let reader = !read.is_empty();
        let read = Batch::new(read, 0);
        let mut sim: Sim<Liker> = SimBuilder::new()
            .clients(list.len() + usize::from(reader))
            .seed(params.seed.wrapping_add(server as u64))
            .journal(true)
            .build(Programs::new(|i: usize| match list.get(i) {
                Some(&(key, start_us)) => Liker {
                    batch: batches
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| Batch::new(vec![], 0)),
                    start_us,
                    sent_us: 0,
                    acked_us: None,
                    reader: false,
                    read: 0,
                },
                None => Liker {
                    batch: read.clone(),
                    start_us: read_at_us,
                    sent_us: 0,
                    acked_us: None,
                    reader: true,
                    read: 0,
                },
            }));
        let mut max_queue = 0;
        let mut times = Vec::with_capacity(list.len());
        let mut read_exec_us = None;
        while sim.step() {
            max_queue = max_queue.max(sim.queue_len());
            for e in sim.take_journal() {
                if e.client < list.len() {
                    times.push(e.time_us);
                } else {
                    read_exec_us.get_or_insert(e.time_us);
                }
            }
        }
        for liker in sim.programs().iter() {
            match (liker.reader, liker.acked_us) {
                (false, Some(acked)) => {
                    latencies.push(acked.saturating_sub(liker.sent_us));
                    last_ack_us = last_ack_us.max(acked);
                }
                (true, Some(acked)) => {
                    reads.push((read_exec_us.unwrap_or(acked), acked, liker.read));
                }
                _ => {}
            }
        }
        executed.push(times);
        let commands = list.len() as u64;
        figures.push(ServerFigures {
            commands,
            busy_us: commands.saturating_mul(service_us),
            max_queue,
            keys: keys
                .iter()
                .zip(&owner)
                .filter(|(_, &o)| o == server)
                .map(|(k, _)| k.clone())
                .collect(),
        });
        sims.push(sim);
    }
    // The likes counted on every server by `t` (journals are in time order).
    let total_at = |t: u64| -> i64 {
        executed
            .iter()
            .map(|times| times.partition_point(|&x| x <= t) as i64)
            .sum()
    };
    let first = reads.iter().map(|r| r.0).min().unwrap_or(read_at_us);
    let last = reads.iter().map(|r| r.0).max().unwrap_or(read_at_us);
    let mid_read = MidRead {
        sent_us: read_at_us,
        answered_us: reads
            .iter()
            .map(|r| r.1)
            .max()
            .unwrap_or(read_at_us)
            .saturating_sub(read_at_us),
        sum: reads.iter().map(|r| r.2).sum(),
        total_first: total_at(first),
        total_last: total_at(last),
    };
    latencies.sort_unstable();
    let (read, counted) = read_counter(&keys, &groups, &mut sims);
    HotKeyOutcome {
        params,
        servers: figures,
        last_ack_us,
        p50_us: percentile(&latencies, 500),
        p99_us: percentile(&latencies, 990),
        acknowledged: latencies.len() as u64,
        counted,
        per_key,
        read,
        mid_read,
    }
}

/// The read's requests: (server, slot, keys of that slot), in the order the keys first appear.
fn read_groups<'k>(keys: &'k [String], owner: &[usize]) -> Vec<(usize, u16, Vec<&'k str>)> {
    let mut groups: Vec<(usize, u16, Vec<&str>)> = Vec::new();
    for (key, &server) in keys.iter().zip(owner) {
        let slot = key_hash_slot(key.as_bytes());
        match groups.iter_mut().find(|(_, s, _)| *s == slot) {
            Some((_, _, ks)) => ks.push(key),
            None => groups.push((server, slot, vec![key])),
        }
    }
    groups
}

/// `GET key`, or `MGET` of the keys of one slot.
fn read_request(keys: &[&str]) -> Request {
    let name = if keys.len() == 1 { "GET" } else { "MGET" };
    let mut args = vec![Arg::Word(name)];
    args.extend(keys.iter().map(|k| Arg::Text(Rc::from(*k))));
    Request::Redis(Command::new(args))
}

/// Reads every counter key, once the flood is over, on the primary that holds it: one `GET` (or
/// one `MGET` for keys that share a slot) per slot, and adds the values up.
fn read_counter(
    keys: &[String],
    groups: &[(usize, u16, Vec<&str>)],
    sims: &mut [Sim<Liker>],
) -> (ReadCost, i64) {
    let mut sum = 0i64;
    let mut commands = Vec::with_capacity(groups.len());
    let mut asked: Vec<usize> = Vec::new();
    for (server, _, ks) in groups {
        let request = read_request(ks);
        commands.push((*server, request.text()));
        if !asked.contains(server) {
            asked.push(*server);
        }
        if let (Some(sim), Request::Redis(command)) = (sims.get_mut(*server), &request) {
            let reply = command.with_argv(|argv| sim.engine_mut().execute(0, argv));
            sum += sum_values(&reply);
        }
    }
    let read = ReadCost {
        values: keys.len(),
        requests: groups.len(),
        servers: asked.len(),
        atomic: groups.len() == 1,
        commands,
    };
    (read, sum)
}

#[cfg(test)]
mod tests {
    use super::{crc16, key_hash_slot, percentile, slot_owner};

    #[test]
    fn crc16_and_slots_match_the_cluster_specification() {
        // The specification's check value, and its hash-tag examples.
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(
            key_hash_slot(b"{user1000}.following"),
            key_hash_slot(b"{user1000}.followers")
        );
        assert_eq!(key_hash_slot(b"foo{}{bar}"), crc16(b"foo{}{bar}") & 16383);
        assert_eq!(key_hash_slot(b"foo{{bar}}zap"), crc16(b"{bar") & 16383);
        assert_eq!(key_hash_slot(b"foo{bar}{zap}"), crc16(b"bar") & 16383);
        assert_eq!(key_hash_slot(b"{"), crc16(b"{") & 16383);
    }

    #[test]
    fn slots_split_as_redis_cli_creates_a_cluster() {
        let bounds = |s: usize| {
            let owners: Vec<usize> = (0..16_384u16).map(|slot| slot_owner(slot, s)).collect();
            (0..s)
                .map(|n| {
                    let first = owners.iter().position(|&o| o == n).unwrap_or(usize::MAX);
                    let last = owners.iter().rposition(|&o| o == n).unwrap_or(usize::MAX);
                    (first, last)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(bounds(1), [(0, 16_383)]);
        assert_eq!(bounds(3), [(0, 5_460), (5_461, 10_922), (10_923, 16_383)]);
        assert_eq!(bounds(6).first(), Some(&(0, 2_730)));
        assert_eq!(bounds(6).last(), Some(&(13_653, 16_383)));
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!((percentile(&v, 500), percentile(&v, 990)), (50, 99));
        assert_eq!(percentile(&[], 500), 0);
        assert_eq!(percentile(&[7], 990), 7);
    }
}
