//! The differential suite, random part: a seeded generator sends at least 10,000 commands — every
//! supported command, valid and invalid arguments, several keys of every type, three clients with
//! MULTI/EXEC/WATCH — to a real Redis and to the engine, and every reply must be the same bytes.
//!
//! The seed changes each run and is printed; `INCR_LAB_SEED=<n>` replays one (decimal or `0x…`),
//! `INCR_LAB_COMMANDS=<n>` changes the count. A mismatch prints the seed, the whole sequence and
//! both replies.
//!
//! Expire times are drawn so that no reply depends on the milliseconds between Redis' clock and
//! ours (see `support/gen.rs`); TTL-family replies of relative times are compared with a margin.

mod support;

use support::duo::{wall_ms, Duo, Mode};
use support::gen::{env_number, Gen, HASH_KEYS, ODD_KEYS, STRING_KEYS, ZSET_KEYS};
use support::{show, show_argv};

/// Compares the state of every key, from a client never in a transaction.
fn audit(duo: &mut Duo) {
    const AUDITOR: usize = 3;
    let all = [STRING_KEYS, HASH_KEYS, ZSET_KEYS, ODD_KEYS].concat();
    duo.check(AUDITOR, &["DBSIZE"]);
    duo.check(AUDITOR, &["KEYS", "*"]);
    for key in all {
        let kind = duo.check(AUDITOR, &[&b"TYPE"[..], key]);
        duo.check_with(AUDITOR, &[&b"PEXPIRETIME"[..], key], Mode::Near(250));
        match &kind[..] {
            b"+string\r\n" => {
                duo.check(AUDITOR, &[&b"GET"[..], key]);
                duo.check_str_encoding(key);
            }
            b"+hash\r\n" => {
                duo.check(AUDITOR, &[&b"HGETALL"[..], key]);
                duo.check_hash_encoding(key);
            }
            b"+zset\r\n" => {
                duo.check(AUDITOR, &[&b"ZRANGE"[..], key, b"0", b"-1", b"WITHSCORES"]);
            }
            _ => {}
        }
    }
}

#[test]
fn random_commands_match_redis() {
    let seed = env_number("INCR_LAB_SEED").unwrap_or_else(|| wall_ms() as u64 ^ 0x5eed);
    let count = env_number("INCR_LAB_COMMANDS").unwrap_or(12_000) as usize;
    println!("conformance_random: seed {seed:#x} (rerun with INCR_LAB_SEED={seed:#x})");
    let mut duo = Duo::new();
    duo.set_label(format!(
        "conformance_random: seed {seed:#x} (rerun with INCR_LAB_SEED={seed:#x})"
    ));
    let mut gen = Gen::new(seed, duo.engine());
    let mut sent = 0;
    while sent < count {
        let (client, argv, mode) = gen.command();
        let reply = duo.check_with(client, &argv, mode);
        sent += 1;
        if mode == Mode::Hash && reply.first() == Some(&b'*') {
            duo.check_hash_encoding(&argv[1]);
        }
        if sent % 1000 == 0 {
            audit(&mut duo);
        }
        if std::env::var_os("INCR_LAB_VERBOSE").is_some() {
            println!("[client {client}] {} -> {}", show_argv(&argv), show(&reply));
        }
    }
    audit(&mut duo);
    println!(
        "conformance_random: {count} random commands, {} compared in all",
        duo.compared()
    );
}

/// KEYS with random glob patterns over an alphabet of the bytes Redis' `stringmatchlen` treats
/// specially, against random keys over the same alphabet.
#[test]
fn random_glob_patterns_match_redis() {
    use support::gen::SplitMix64;
    let seed = env_number("INCR_LAB_SEED").unwrap_or_else(|| wall_ms() as u64 ^ 0x610b);
    let mut duo = Duo::new();
    duo.set_label(format!(
        "random_glob_patterns_match_redis: seed {seed:#x} (rerun with INCR_LAB_SEED={seed:#x})"
    ));
    let mut rng = SplitMix64::new(seed);
    const ALPHABET: &[u8] = b"ab-^]*?[\\\x00\xff";
    let word = |rng: &mut SplitMix64, max: usize| -> Vec<u8> {
        (0..rng.below(max + 1))
            .map(|_| *rng.pick(ALPHABET))
            .collect()
    };
    for _ in 0..60 {
        let key = word(&mut rng, 5);
        duo.check(0, &[&b"SET"[..], &key, b"v"]);
    }
    for _ in 0..2_000 {
        let pattern = word(&mut rng, 7);
        duo.check(0, &[&b"KEYS"[..], &pattern]);
    }
}
