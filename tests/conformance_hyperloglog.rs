//! The differential suite for HyperLogLog: every reply the same bytes as Redis 7.0's — the
//! estimates to the unit, and GET of the key (the representation itself, sparse or dense, with its
//! cached cardinality) byte for byte, through the sparse → dense switch and merges of both.
//!
//! Each test starts its own `redis-server` (see `support`); if none can be started the test fails.

mod support;

use support::duo::Duo;
use support::gen::SplitMix64;

const COMMANDS: &[&str] = &["pfadd", "pfcount", "pfmerge", "pfdebug"];

/// Checks the key's bytes, its estimate (twice: computed, then cached) and its string encoding.
fn check_hll(d: &mut Duo, key: &str) {
    d.check(0, &["GET", key]);
    d.check(0, &["PFCOUNT", key]);
    d.check(0, &["GET", key]);
    d.check(0, &["PFCOUNT", key]);
    d.check(0, &["PFDEBUG", "ENCODING", key]);
    d.check_str_encoding(key.as_bytes());
}

/// A random element: short or long, text or binary.
fn element(rng: &mut SplitMix64) -> Vec<u8> {
    let len = match rng.below(10) {
        0 => 0,
        1..=6 => 1 + rng.below(12),
        7 | 8 => 8 + rng.below(9),
        _ => 20 + rng.below(100),
    };
    (0..len).map(|_| rng.next() as u8).collect()
}

#[test]
fn arity() {
    let mut d = Duo::new();
    d.check(0, &["PFADD", "a0", "x"]);
    d.check_arity(COMMANDS);
}

#[test]
fn unique_views() {
    let mut d = Duo::new();
    d.lines(
        0,
        "PFADD views:page1 alice bob carol\nPFADD views:page1 alice\nPFADD views:page1 dave\n\
         PFCOUNT views:page1\nPFCOUNT views:page1\nPFADD views:page2 bob erin\nPFCOUNT views:page1 views:page2\n\
         PFMERGE views:all views:page1 views:page2\nPFCOUNT views:all\nTYPE views:all\n\
         PFADD empty\nPFADD empty\nPFCOUNT empty\nPFCOUNT nokey\nPFCOUNT nokey nokey2\n\
         PFCOUNT views:page1 nokey\nPFMERGE fresh\nEXISTS fresh\nPFCOUNT fresh",
    );
    for key in ["views:page1", "views:page2", "views:all", "empty", "fresh"] {
        check_hll(&mut d, key);
    }
    d.check(0, &["PFADD", "bin", "", "\x00", "\r\n", "\u{ff}"]);
    check_hll(&mut d, "bin");
}

/// PFADD of many random elements, batch after batch, through the switch to dense: after each
/// batch the bytes and the estimate must be Redis'.
#[test]
fn random_elements_sparse_then_dense() {
    let seed = support::gen::env_number("INCR_LAB_SEED").unwrap_or(0x4411);
    let mut rng = SplitMix64::new(seed);
    let mut d = Duo::new();
    d.set_label(format!("random_elements_sparse_then_dense: seed {seed:#x}"));
    for key in ["h1", "h2", "h3"] {
        let mut added = 0;
        while added < 6000 {
            let batch = match rng.below(4) {
                0 => 1,
                1 => 1 + rng.below(10),
                _ => 1 + rng.below(300),
            };
            let mut argv = vec![b"PFADD".to_vec(), key.as_bytes().to_vec()];
            argv.extend((0..batch).map(|_| element(&mut rng)));
            d.check(0, &argv);
            added += batch;
            check_hll(&mut d, key);
        }
    }
    d.check(0, &["PFCOUNT", "h1", "h2", "h3"]);
    d.check(0, &["PFCOUNT", "h1", "h1"]);
}

/// An element whose hash has 34 zeros after the register bits (found by searching: one in 2^33)
/// needs a register value of 35, which the sparse encoding cannot hold.
#[test]
fn a_register_past_32_turns_a_sparse_hyperloglog_dense() {
    const RARE: &str = "e2119568080";
    let mut d = Duo::new();
    d.lines(
        0,
        &format!(
            "PFADD fresh {RARE}\nPFADD small a b c\nPFCOUNT small\nPFADD small {RARE}\n\
             PFADD small {RARE}\nPFMERGE merged small\nPFADD sparse x y\nPFMERGE sparse small"
        ),
    );
    for key in ["fresh", "small", "merged", "sparse"] {
        check_hll(&mut d, key);
    }
}

#[test]
fn merges_of_mixed_encodings() {
    let mut d = Duo::new();
    let mut rng = SplitMix64::new(0x3e47);
    // Two sparse (small) and two dense (large) HyperLogLogs.
    for (key, n) in [("s1", 50), ("s2", 400), ("d1", 3000), ("d2", 8000)] {
        for chunk in 0..n / 50 {
            let mut argv = vec![b"PFADD".to_vec(), key.as_bytes().to_vec()];
            argv.extend((0..50).map(|i| format!("{key}-{chunk}-{i}").into_bytes()));
            d.check(0, &argv);
        }
        check_hll(&mut d, key);
    }
    for sources in [
        vec!["s1"],
        vec!["s1", "s2"],
        vec!["s2", "s1", "s2"],
        vec!["s1", "d1"],
        vec!["d1", "d2"],
        vec!["d2", "s1", "nokey"],
        vec!["nokey"],
    ] {
        for dest in ["new", "s1copy"] {
            d.check(0, &["DEL", "new"]);
            d.lines(0, "DEL s1copy\nPFMERGE s1copy s1");
            let mut argv = vec!["PFMERGE", dest];
            argv.extend(sources.iter().copied());
            d.check(0, &argv);
            check_hll(&mut d, dest);
            let mut argv = vec!["PFCOUNT"];
            argv.extend(sources.iter().copied());
            d.check(0, &argv);
        }
    }
    // A destination keeps its TTL; a sparse destination merged with sparse sources grows in
    // place, opcode by opcode, and may turn dense on the way.
    d.lines(
        0,
        "PFADD t a b c\nEXPIRE t 1000\nPFMERGE t s2\nTTL t\nPFMERGE t d1\nTTL t",
    );
    check_hll(&mut d, "t");
    let mut argv = vec![b"PFADD".to_vec(), b"grow".to_vec()];
    argv.extend((0..700).map(|_| element(&mut rng)));
    d.check(0, &argv);
    d.lines(
        0,
        "PFMERGE grow2 grow\nPFMERGE grow2 s2\nPFMERGE grow2 s1 s2",
    );
    check_hll(&mut d, "grow2");
}

#[test]
fn errors_and_corrupt_representations() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SET str hello\nSET int 12345\nHSET hash f v\nPFADD str a\nPFADD int a\nPFADD hash a\n\
         PFCOUNT str\nPFCOUNT hash\nPFCOUNT nokey str\nPFCOUNT nokey hash\nPFMERGE d str\n\
         PFMERGE str\nPFMERGE hash\nEXISTS d\nPFADD ok a\nPFMERGE ok hash\nPFMERGE hash ok\n\
         PFDEBUG ENCODING nokey\nPFDEBUG ENCODING str\nPFDEBUG ENCODING hash\nPFDEBUG FOO ok\n\
         PFDEBUG foo nokey\nPFDEBUG DECODE ok\nPFDEBUG encoding ok\nPFDEBUG TODENSE ok\n\
         PFDEBUG TODENSE ok\nPFDEBUG ENCODING ok\nPFDEBUG DECODE ok",
    );
    d.check(0, &["PFDEBUG", "x\r\ny", "ok"]);
    d.check(0, &["PFDEBUG", "getreg\x00zz", "ok"]);
    check_hll(&mut d, "ok");
    // Hand-made representations: the header's checks, sparse data that does not cover exactly
    // 16384 registers, a dense one of the wrong length, all registers at 63.
    let header = |enc: u8, card: [u8; 8]| {
        let mut h = b"HYLL".to_vec();
        h.extend([enc, 0, 0, 0]);
        h.extend(card);
        h
    };
    let stale = [0, 0, 0, 0, 0, 0, 0, 0x80];
    let cached = [42, 0, 0, 0, 0, 0, 0, 0];
    let mut cases: Vec<Vec<u8>> = vec![
        b"HYLL".to_vec(),
        header(2, stale),
        header(1, stale),
        [header(1, stale), vec![0x7f, 0xff]].concat(),
        [header(1, cached), vec![0x7f, 0xff]].concat(),
        [header(1, stale), vec![0x7f, 0xfe]].concat(),
        [header(1, stale), vec![0x7f, 0xff, 0x80]].concat(),
        [header(1, stale), vec![0x7f, 0xfc, 0x83]].concat(),
        [header(1, stale), vec![0x7f, 0xfe, 0x80, 0x00]].concat(),
        [header(1, stale), vec![0x7f]].concat(),
        [header(1, stale), vec![0x7f, 0xff, 0x00]].concat(),
        [header(1, stale), vec![0x7f, 0xfe, 0x81]].concat(),
        [header(1, stale), vec![0x7f, 0xfe, 0x80, 0x80]].concat(),
        [header(1, stale), vec![0x00, 0x7f, 0xfe]].concat(),
        [header(1, stale), vec![0x7f, 0xfe, 0x80, 0x7f, 0xff]].concat(),
        [
            header(1, stale),
            vec![0x40, 0x00, 0xfc, 0x7f, 0xb9, 0x9b, 0x3f],
        ]
        .concat(),
        [header(1, cached), vec![0x40, 0x40, 0xfb, 0x7f, 0xba]].concat(),
        [header(1, stale), vec![0x7f, 0xfd, 0x84, 0x84]].concat(),
        [header(1, stale), vec![0x00; 300]].concat(),
        [header(1, stale), vec![0xff; 5000]].concat(),
        [header(0, stale), vec![0; 12288]].concat(),
        [header(0, stale), vec![0; 12287]].concat(),
        [header(0, stale), vec![0xff; 12288]].concat(),
        [header(0, cached), vec![0xff; 12288]].concat(),
    ];
    cases.push(b"hyll-not-a-hyperloglog-string".to_vec());
    for (i, bytes) in cases.iter().enumerate() {
        let key = format!("crafted{i}");
        d.check(
            0,
            &[b"SET".to_vec(), key.clone().into_bytes(), bytes.clone()],
        );
        for argv in [
            vec!["PFCOUNT", &key],
            vec!["GET", &key],
            vec!["PFCOUNT", &key, "nokey"],
            vec!["PFADD", &key, "a", "b", "c"],
            vec!["GET", &key],
            vec!["PFDEBUG", "DECODE", &key],
            vec!["PFMERGE", "dst", &key],
            vec!["PFDEBUG", "GETREG", &key],
            vec!["GET", &key],
            vec!["PFCOUNT", &key],
        ] {
            d.check(0, &argv);
        }
        d.check_str_encoding(key.as_bytes());
    }
}

#[test]
fn watch_sees_pfcount_caching_its_estimate() {
    let mut d = Duo::new();
    for (setup, write, dirty) in [
        ("PFADD w a", "PFCOUNT w", true),
        ("PFCOUNT w", "PFCOUNT w", false),
        ("PFCOUNT w", "PFADD w a", false),
        ("PFCOUNT w", "PFADD w zz", true),
        ("PFCOUNT w", "PFCOUNT w nokey", false),
        ("PFCOUNT w", "PFDEBUG TODENSE w", false),
        ("PFCOUNT w", "PFMERGE w", true),
        ("PFCOUNT w", "PFMERGE other w", false),
    ] {
        d.lines(0, &format!("DEL w other\nPFADD w a b\n{setup}"));
        d.lines(1, "WATCH w");
        d.lines(0, write);
        d.lines(1, "MULTI\nGET w");
        let reply = d.check(1, &["EXEC"]);
        assert_eq!(reply == b"*-1\r\n", dirty, "{setup} then {write}");
    }
}

/// Sparse bodies built from random opcodes — covering the 16384 registers exactly, or falling
/// short, or running past them, with equal neighbouring values left unmerged — then every PF
/// command on them: what Redis accepts, rejects and writes, byte for byte.
#[test]
fn random_crafted_sparse_representations() {
    let seed = support::gen::env_number("INCR_LAB_SEED").unwrap_or(0xc0de);
    let mut rng = SplitMix64::new(seed);
    let mut d = Duo::new();
    d.set_label(format!(
        "random_crafted_sparse_representations: seed {seed:#x}"
    ));
    for round in 0..80 {
        let target = match rng.below(4) {
            0 => 16384 - rng.below(3),
            1 => 16384 + rng.below(3),
            _ => 16384,
        };
        let mut body = Vec::new();
        let mut covered = 0;
        while covered < target {
            let left = target - covered;
            match rng.below(3) {
                0 => {
                    let len = 1 + rng.below(left.min(64));
                    body.push((len - 1) as u8);
                    covered += len;
                }
                1 => {
                    let len = 1 + rng.below(left.min(16384));
                    body.extend([0x40 | ((len - 1) >> 8) as u8, (len - 1) as u8]);
                    covered += len;
                }
                _ => {
                    let len = 1 + rng.below(left.min(4));
                    let most = if rng.chance(50) { 3 } else { 32 };
                    let value = 1 + rng.below(most);
                    body.push(0x80 | ((value - 1) << 2) as u8 | (len - 1) as u8);
                    covered += len;
                }
            }
        }
        if rng.chance(10) {
            body.push(rng.next() as u8);
        }
        let mut bytes = b"HYLL\x01\x00\x00\x00".to_vec();
        bytes.extend((rng.next() | 1 << 63).to_le_bytes());
        bytes.extend(body);
        let key = format!("c{round}");
        d.check(0, &[b"SET".to_vec(), key.clone().into_bytes(), bytes]);
        let mut pfadd = vec![b"PFADD".to_vec(), key.clone().into_bytes()];
        pfadd.extend((0..rng.below(40)).map(|_| element(&mut rng)));
        d.check(0, &pfadd);
        d.check(0, &["GET", &key]);
        d.check(0, &["PFCOUNT", &key, "nokey"]);
        d.check(0, &["PFMERGE", "sum", &key]);
        d.check(0, &["GET", "sum"]);
        check_hll(&mut d, &key);
    }
}
