//! The hot-key demo's claims, checked on its model: a small Redis Cluster of single-threaded
//! primaries running real `INCR`s, keys placed by CRC16 hash slot.

use incr_lab::simulation::hot_key::{
    counter_keys, key_hash_slot, run, slot_owner, HotKeyParams, KeyNames, HOT_KEY,
};
use incr_lab::simulation::Config;

fn params(clients: usize, servers: usize, keys: usize, names: KeyNames) -> HotKeyParams {
    HotKeyParams {
        clients,
        servers,
        keys,
        names,
        ..HotKeyParams::default()
    }
}

#[test]
fn every_configuration_counts_every_like_exactly() {
    for clients in [1, 997, 10_000] {
        for servers in [1, 3, 6] {
            for keys in [1, 4, 16] {
                for names in KeyNames::ALL {
                    let o = run(params(clients, servers, keys, names));
                    let want = clients as i64;
                    assert_eq!(o.counted, want, "{servers} servers, {keys} keys, {names:?}");
                    assert_eq!(o.acknowledged, clients as u64);
                    assert_eq!(o.per_key.iter().sum::<u64>(), clients as u64);
                    assert_eq!(
                        o.servers.iter().map(|s| s.commands).sum::<u64>(),
                        clients as u64
                    );
                    assert!(o.p50_us <= o.p99_us && o.p99_us <= o.last_ack_us);
                }
            }
        }
    }
}

#[test]
fn one_key_puts_all_the_work_on_one_server() {
    let service = Config::default().service_us;
    for servers in [1, 3, 6] {
        let o = run(params(10_000, servers, 1, KeyNames::Plain));
        let busy: Vec<u64> = o.servers.iter().map(|s| s.busy_us).collect();
        let working = busy.iter().filter(|&&b| b > 0).count();
        assert_eq!(working, 1, "{busy:?}");
        assert_eq!(o.busiest().commands, 10_000);
        assert_eq!(o.busiest().busy_us, 10_000 * service);
        assert_eq!(o.busiest().keys, [HOT_KEY]);
        // The clients arrive within 1 ms; the last one waits behind almost all the others.
        assert!(o.busiest().max_queue > 9_000, "{}", o.busiest().max_queue);
        assert!(o.last_ack_us >= 10_000 * service);
        assert!(o.last_ack_us < 10_000 * service + 3_000);
        // One key is one value, read in one request: an atomic number.
        assert_eq!((o.read.values, o.read.requests, o.read.servers), (1, 1, 1));
        assert!(o.read.atomic);
    }
}

#[test]
fn sharded_keys_cut_the_busiest_servers_load_as_their_slots_allow() {
    for (servers, keys) in [(3, 4), (3, 16), (6, 4), (6, 16)] {
        let keys_named = counter_keys(keys, KeyNames::Plain);
        let owners: Vec<usize> = keys_named
            .iter()
            .map(|k| slot_owner(key_hash_slot(k.as_bytes()), servers))
            .collect();
        // The most keys any one server holds: the spread is K over that, at best min(K, S).
        let crowded = (0..servers)
            .map(|s| owners.iter().filter(|&&o| o == s).count())
            .max()
            .unwrap_or(0);
        let one = run(params(100_000, servers, 1, KeyNames::Plain));
        let many = run(params(100_000, servers, keys, KeyNames::Plain));
        let busiest = many.busiest().commands as f64;
        let expected = 100_000.0 * crowded as f64 / keys as f64;
        assert!(
            (busiest - expected).abs() < expected * 0.02,
            "{servers} servers, {keys} keys: {busiest} vs {expected}"
        );
        let drop = one.busiest().commands as f64 / busiest;
        assert!(drop <= keys.min(servers) as f64 * 1.02, "{drop}");
        let ideal = keys as f64 / crowded as f64;
        assert!((drop - ideal).abs() < ideal * 0.03, "{drop} vs {ideal}");
        // Four keys on three servers: two share one (slots 15614 and 11487), so the load halves
        // rather than thirds; no layout here does worse.
        assert!(drop > 1.9, "{servers} servers, {keys} keys: only {drop}");
        // The flood ends sooner, and waits less, by about as much.
        assert!(many.last_ack_us * 2 <= one.last_ack_us + 2_000);
        assert!(many.p99_us * 2 <= one.p99_us + 2_000);
        // The read: K values, one request per slot (no MGET across slots), on every server that
        // holds a key, and no snapshot.
        assert_eq!(many.read.values, keys);
        assert_eq!(many.read.requests, keys);
        let holding = (0..servers).filter(|s| owners.contains(s)).count();
        assert_eq!(many.read.servers, holding);
        assert!(!many.read.atomic);
        assert_eq!(many.read.commands.len(), keys);
        assert!(many
            .read
            .commands
            .iter()
            .all(|(_, c)| c.starts_with("GET ")));
    }
}

#[test]
fn the_plain_names_spread_as_their_crc16_says() {
    // post:99:likes:0…3 fall in slots 7356, 3229, 15614, 11487: with 3 primaries (0–5460,
    // 5461–10922, 10923–16383), keys 2 and 3 share the third. Checked with a real
    // `redis-server --cluster-enabled yes`: CLUSTER KEYSLOT gives the same slots.
    let slots: Vec<u16> = counter_keys(4, KeyNames::Plain)
        .iter()
        .map(|k| key_hash_slot(k.as_bytes()))
        .collect();
    assert_eq!(slots, [7356, 3229, 15614, 11487]);
    assert_eq!(key_hash_slot(HOT_KEY.as_bytes()), 1712);
    assert_eq!(key_hash_slot(b"post:99:likes:15"), 9014);
    assert_eq!(key_hash_slot(b"{post:99}:likes:3"), 16313);
    assert_eq!(key_hash_slot(b"foo{{bar}}zap"), 4015);
    let o = run(params(10_000, 3, 4, KeyNames::Plain));
    assert_eq!(o.servers[2].keys, ["post:99:likes:2", "post:99:likes:3"]);
    // Each key gets about a quarter of the likes (the seeded draw), the third server half.
    for n in &o.per_key {
        assert!((2_300..2_700).contains(n), "{:?}", o.per_key);
    }
    assert_eq!(o.busiest().commands, o.per_key[2] + o.per_key[3]);
}

#[test]
fn a_shared_hash_tag_puts_every_shard_back_in_one_slot() {
    let keys = counter_keys(16, KeyNames::HashTag);
    assert_eq!(keys[0], "{post:99}:likes:0");
    let slot = key_hash_slot(b"post:99");
    assert!(keys.iter().all(|k| key_hash_slot(k.as_bytes()) == slot));
    let o = run(params(10_000, 6, 16, KeyNames::HashTag));
    assert_eq!(o.busiest().commands, 10_000);
    assert_eq!(o.servers.iter().filter(|s| s.commands > 0).count(), 1);
    // All in one slot, so one MGET reads them all: the one thing the tag buys.
    assert_eq!((o.read.values, o.read.requests, o.read.servers), (16, 1, 1));
    assert!(o.read.commands[0].1.starts_with("MGET {post:99}:likes:0 "));
    assert_eq!(o.counted, 10_000);
}

#[test]
fn a_run_is_a_function_of_its_seed() {
    let a = run(params(5_000, 3, 16, KeyNames::Plain));
    let b = run(params(5_000, 3, 16, KeyNames::Plain));
    assert_eq!(a, b);
    let c = run(HotKeyParams {
        seed: 2,
        ..params(5_000, 3, 16, KeyNames::Plain)
    });
    assert_ne!(a.per_key, c.per_key);
    assert_eq!(c.counted, 5_000);
}

#[test]
fn a_read_mid_flood_is_one_instant_on_one_key_and_no_instant_on_several_servers() {
    for clients in [10_000, 100_000] {
        let one = run(params(clients, 3, 1, KeyNames::Plain));
        let many = run(params(clients, 3, 4, KeyNames::Plain));
        println!(
            "{clients}: one {:?}\n       many {:?}",
            one.mid_read, many.mid_read
        );
        let m = one.mid_read;
        // Sent a quarter into the clients' 1 ms start window: some likes are in, not all.
        assert_eq!(m.sent_us, 250);
        assert!(m.sum > 0 && m.sum < clients as i64, "{m:?}");
        // One GET on one server: the sum is the true total at the instant it ran.
        assert_eq!((m.total_first, m.total_last), (m.sum, m.sum));
        // It waited behind the INCRs already queued: more than a network round trip.
        assert!(m.answered_us > 2_000, "{m:?}");
        let m = many.mid_read;
        // Three servers answer at three instants; the sum is none of the totals in between's
        // ends, and lies between them.
        assert!(m.total_first < m.total_last, "{m:?}");
        assert!(m.total_first <= m.sum && m.sum <= m.total_last, "{m:?}");
        assert_ne!(m.sum, m.total_last, "{m:?}");
        // The read itself waits less: the queues are shorter.
        assert!(m.answered_us < one.mid_read.answered_us, "{m:?}");
    }
}
