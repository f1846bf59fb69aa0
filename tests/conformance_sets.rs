//! The differential suite for sets: hand-written sequences sent to a real Redis 7.0 and to the
//! engine; every reply must be the same bytes, error texts included — except where Redis answers
//! in the order of a randomly seeded hash table or at random (SPOP, SRANDMEMBER): see
//! `support/duo/sets.rs` for what is compared there. Encodings (intset / hashtable) are compared
//! after every step that may switch them.
//!
//! Each test starts its own `redis-server` (see `support`); if none can be started the test fails.

mod support;

use support::duo::{Duo, Mode};

const COMMANDS: &[&str] = &[
    "sadd",
    "srem",
    "sismember",
    "smismember",
    "scard",
    "smembers",
    "spop",
    "srandmember",
    "smove",
    "sinter",
    "sinterstore",
    "sintercard",
    "sunion",
    "sunionstore",
    "sdiff",
    "sdiffstore",
    "sscan",
];

#[test]
fn arity() {
    let mut d = Duo::new();
    d.check(0, &["SADD", "a0", "1", "x"]);
    d.check_arity(COMMANDS);
}

#[test]
fn add_remove_and_membership() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SADD s 3 1 2 3\nSMEMBERS s\nSCARD s\nSISMEMBER s 1\nSISMEMBER s 4\nSISMEMBER s 01\n\
         SMISMEMBER s 1 4 3 x\nSMISMEMBER nokey a b\nSISMEMBER nokey a\nSCARD nokey\n\
         SREM s 4 1 1\nSMEMBERS s\nSREM s 2 3 9\nEXISTS s\nSREM nokey a\nSMEMBERS nokey\n\
         SET str x\nSADD str a\nSREM str a\nSISMEMBER str a\nSMISMEMBER str a\nSCARD str\n\
         SMEMBERS str\nTYPE str\nHSET h f v\nSADD h x\nSADD s2 a b c a\nTYPE s2\nSCARD s2",
    );
    d.check_set_encoding(b"s2");
    // Integers in canonical form only: "01", "+1", " 1" and 2^63 are strings.
    for member in [
        "0",
        "-1",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "01",
        "+1",
        " 1",
        "1.0",
        "-0",
        "",
        "\x00",
    ] {
        d.check(0, &["DEL", "i"]);
        d.check(0, &["SADD", "i", "5", member]);
        d.check_set_encoding(b"i");
        d.check(0, &["SMEMBERS", "i"]);
        d.check(0, &["SISMEMBER", "i", member]);
        d.check(0, &["DEL", "j"]);
        d.check(0, &["SADD", "j", member, "5"]);
        d.check_set_encoding(b"j");
        d.check(0, &["SMEMBERS", "j"]);
    }
}

#[test]
fn intset_turns_into_a_hash_table_at_513_members_or_a_string() {
    let mut d = Duo::new();
    for n in (0..512).rev() {
        d.check(0, &["SADD", "big", &(n * 3 - 700).to_string()]);
    }
    d.check_set_encoding(b"big");
    d.check(0, &["SMEMBERS", "big"]);
    d.check(0, &["SADD", "big", "-701"]);
    d.check_set_encoding(b"big");
    d.check(0, &["SCARD", "big"]);
    d.check(0, &["SMEMBERS", "big"]);
    // It never goes back, even down to integers only and few of them.
    let all: Vec<String> = (0..512).map(|n| (n * 3 - 700).to_string()).collect();
    let mut srem = vec!["SREM".to_owned(), "big".to_owned()];
    srem.extend(all.iter().cloned());
    d.check(0, &srem);
    d.check_set_encoding(b"big");
    d.lines(
        0,
        "SADD mixed 1 2 3\nSADD mixed a\nSREM mixed a\nSMEMBERS mixed",
    );
    d.check_set_encoding(b"mixed");
    // One SADD with 513 integers converts too.
    let mut sadd = vec!["SADD".to_owned(), "one".to_owned()];
    sadd.extend((0..513).map(|n| n.to_string()));
    d.check(0, &sadd);
    d.check_set_encoding(b"one");
}

#[test]
fn inter_union_diff_and_their_store_forms() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SADD a 1 2 3 4 5\nSADD b 2 3 4 6\nSADD c 4 3 100\nSADD t x y 3 4\nSADD u y z\n\
         SINTER a b\nSINTER a b c\nSINTER c b a\nSINTER a t\nSINTER t u\nSINTER a nokey\n\
         SINTER nokey a\nSINTER a a\nSUNION a b\nSUNION a b c\nSUNION a nokey b\nSUNION nokey\n\
         SUNION t u a\nSDIFF a b\nSDIFF a b c\nSDIFF a nokey\nSDIFF nokey a\nSDIFF a a\nSDIFF a b a\n\
         SDIFF t u\nSDIFF t a\nSDIFF a t\nSINTERCARD 2 a b\nSINTERCARD 3 a b c\nSINTERCARD 1 t\n\
         SINTERCARD 2 a nokey\nSINTERCARD 2 a b LIMIT 1\nSINTERCARD 2 a b LIMIT 0\n\
         SINTERCARD 2 a b limit 100\nSINTERCARD 2 a b LIMIT 1 LIMIT 2",
    );
    // WRONGTYPE wins over a missing key, whatever the order.
    d.lines(
        0,
        "SET str x\nSINTER nokey str\nSINTER str nokey\nSINTER a str\nSUNION nokey str\n\
         SDIFF nokey str\nSDIFF a str\nSINTERCARD 2 nokey str\nSINTERSTORE d nokey str\n\
         SUNIONSTORE d a str\nSDIFFSTORE d str\nEXISTS d\nSINTERSTORE str a b\nTYPE str",
    );
    // The store forms: the result replaces any value (and its TTL); an empty one deletes.
    d.lines(
        0,
        "SET d x\nEXPIRE d 100\nSINTERSTORE d a b\nTYPE d\nTTL d\nSMEMBERS d\n\
         SUNIONSTORE d t u\nSMEMBERS d\nSDIFFSTORE d a b c\nSMEMBERS d\nSINTERSTORE d a u\nEXISTS d\n\
         SET d x\nSUNIONSTORE d nokey\nEXISTS d\nSDIFFSTORE d a a\nEXISTS d\n\
         SINTERSTORE a a b\nSMEMBERS a\nSUNIONSTORE a a t\nSMEMBERS a\nSDIFFSTORE a a u\nSMEMBERS a",
    );
    for key in [&b"d"[..], b"a"] {
        d.check_set_encoding(key);
    }
    // SINTERCARD's own errors, in Redis' order.
    for args in [
        "0 a",
        "-1 a",
        "x a",
        "3 a b",
        "2 a",
        "1 a LIMIT",
        "1 a LIMIT -1",
        "1 a LIMIT x",
        "1 a FOO 1",
        "1 a b",
        "9223372036854775808 a",
        "1 str LIMIT -1",
        "2 a b LIMIT 1 x",
    ] {
        d.lines(0, &format!("SINTERCARD {args}"));
    }
}

#[test]
fn result_encodings_follow_redis_algorithms() {
    let mut d = Duo::new();
    // SDIFF picks an algorithm by size: the second adds the whole first set before removing, so
    // an all-integer result can stay a hash table.
    d.lines(0, "SADD h 1 2 3 a\nSADD x a\nSADD y a 9 8 7 6 5 4 3 2 1 0");
    for (dst, args) in [
        ("r1", vec!["h", "x"]),
        ("r2", vec!["h", "x", "x"]),
        ("r3", vec!["h", "y"]),
        ("r4", vec!["h", "x", "y"]),
        ("r5", vec!["y", "x"]),
    ] {
        let mut argv = vec!["SDIFFSTORE", dst];
        argv.extend(args.iter().copied());
        d.check(0, &argv);
        d.check_set_encoding(dst.as_bytes());
        let mut argv = vec!["SDIFF"];
        argv.extend(args.iter().copied());
        d.check(0, &argv);
    }
    // A large hash table of integers: its intersection, union and difference are intsets again
    // when they fit in 512 members.
    let mut sadd = vec!["SADD".to_owned(), "wide".to_owned()];
    sadd.extend((0..600).map(|n| n.to_string()));
    d.check(0, &sadd);
    d.lines(
        0,
        "SADD narrow 5 10 700\nSINTERSTORE r6 wide narrow\nSUNIONSTORE r7 narrow narrow\n\
         SDIFFSTORE r8 narrow wide\nSUNIONSTORE r9 wide narrow\nSINTER wide narrow\nSDIFF narrow wide",
    );
    for key in ["wide", "r6", "r7", "r8", "r9"] {
        d.check_set_encoding(key.as_bytes());
    }
}

#[test]
fn smove() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SADD src 1 2 a\nSADD dst 3\nSMOVE src dst 1\nSMEMBERS src\nSMEMBERS dst\n\
         SMOVE src dst 1\nSMOVE src dst a\nSMEMBERS dst\nSMOVE src src 2\nSMOVE src src 9\n\
         SMOVE src dst 2\nEXISTS src\nSMOVE nokey dst 3\nSMOVE dst fresh 3\nTYPE fresh\n\
         SMOVE dst fresh2 a\nSET str x\nSMOVE str dst 1\nSMOVE dst str 1\nSMOVE nokey str 1\n\
         SMOVE dst str zz\nSMEMBERS dst\nSADD one 1\nSMOVE one dst 1\nSMOVE dst one 1",
    );
    for key in ["dst", "fresh", "fresh2", "one"] {
        d.check_set_encoding(key.as_bytes());
    }
}

#[test]
fn spop_and_srandmember() {
    let mut d = Duo::new();
    // What is not random: errors, counts, missing keys, whole sets.
    d.lines(
        0,
        "SADD s 1 2 3\nSPOP s 0\nSPOP s -1\nSPOP s x\nSPOP s 1 2\nSPOP nokey\nSPOP nokey 3\n\
         SPOP nokey -1\nSRANDMEMBER nokey\nSRANDMEMBER nokey 5\nSRANDMEMBER nokey -5\n\
         SRANDMEMBER s 0\nSRANDMEMBER s 3\nSRANDMEMBER s 10\nSRANDMEMBER s x\n\
         SRANDMEMBER s -9223372036854775808\nSRANDMEMBER s 9223372036854775808\n\
         SRANDMEMBER s 1 2\nSET str x\nSPOP str\nSPOP str 1\nSPOP str -1\nSRANDMEMBER str\n\
         SRANDMEMBER str 1\nSRANDMEMBER str x\nSPOP s 3\nEXISTS s\nSADD s 5 4\nSPOP s 100\n\
         SADD t a b c\nSRANDMEMBER t 5\nSPOP t 9\nEXISTS t",
    );
    // Random draws in every one of Redis' cases, on an intset and on a hash table.
    for (fill, kind) in [(0, "int"), (1, "str")] {
        for size in [1usize, 4, 20, 100] {
            let members: Vec<String> = (0..size)
                .map(|i| {
                    if fill == 0 {
                        (i * 7).to_string()
                    } else {
                        format!("{kind}{i}")
                    }
                })
                .collect();
            for count in [
                None,
                Some(1),
                Some(2),
                Some(size as i64 / 5),
                Some(size as i64 / 3 + 1),
                Some(size as i64 - 1),
                Some(size as i64),
                Some(-3),
                Some(-(size as i64) * 2),
            ] {
                for cmd in ["SRANDMEMBER", "SPOP"] {
                    let key = format!("r{kind}{size}");
                    let mut sadd = vec!["SADD".to_owned(), key.clone()];
                    sadd.extend(members.iter().cloned());
                    d.check(0, &["DEL", &key]);
                    d.check(0, &sadd);
                    let mut argv = vec![cmd.to_owned(), key.clone()];
                    argv.extend(count.map(|c| c.to_string()));
                    d.check_with(0, &argv, Mode::Random);
                    d.check(0, &["SCARD", &key]);
                    d.check(0, &["SMEMBERS", &key]);
                    d.check_set_encoding(key.as_bytes());
                }
            }
        }
    }
    // SPOP that keeps few members builds a new set from them: integers make an intset again.
    let mut sadd = vec!["SADD".to_owned(), "mix".to_owned(), "x".to_owned()];
    sadd.extend((0..50).map(|n| n.to_string()));
    d.check(0, &sadd);
    d.check(0, &["EXPIRE", "mix", "1000"]);
    d.check_with(0, &["SPOP", "mix", "49"], Mode::Random);
    d.check_set_encoding(b"mix");
    d.check(0, &["TTL", "mix"]);
    d.check(0, &["SCARD", "mix"]);
}

#[test]
fn sscan() {
    let mut d = Duo::new();
    d.lines(0, "SADD ints 5 1 3 10 -2\nSADD strs a b c ab abc 1");
    for args in [
        "ints 0",
        "ints 17",
        "ints 0 MATCH 1*",
        "ints 0 COUNT 1",
        "ints 0 match *0 count 2",
        "strs 0 COUNT 100",
        "strs 0 MATCH a* COUNT 100",
        "strs 0 MATCH * COUNT 100",
        "nokey 0",
        "nokey 0 COUNT 0",
        "nokey x",
        "ints x",
        "ints -1",
        "ints 18446744073709551616",
        "ints 0x1",
        "ints 0 COUNT 0",
        "ints 0 COUNT -1",
        "ints 0 COUNT x",
        "ints 0 COUNT",
        "ints 0 MATCH",
        "ints 0 TYPE set",
        "ints 0 FOO bar",
        "ints 0 COUNT 1 MATCH",
        "str 0",
    ] {
        d.lines(0, &format!("SSCAN {args}"));
    }
    d.check(0, &["SET", "str", "x"]);
    d.check_with(0, &["SSCAN", "str", "0"], Mode::Scan);
    d.check_with(0, &["SSCAN", "str", "x"], Mode::Scan);
    d.check_with(0, &["SSCAN", "ints", ""], Mode::Scan);
    d.check_with(0, &["SSCAN", "ints", " 0"], Mode::Scan);
    d.check_with(0, &["SSCAN", "strs", "0", "MATCH", ""], Mode::Scan);
}

#[test]
fn watch_sees_set_writes_and_not_failed_ones() {
    let mut d = Duo::new();
    for (write, dirty) in [
        ("SADD w 1", true),
        ("SADD w 9", false),
        ("SREM w 5", false),
        ("SREM w 9", true),
        ("SPOP w 0", false),
        ("SMOVE w other 7", false),
        ("SMOVE w other 9", true),
        ("SINTERSTORE w nokey", true),
        ("SUNIONSTORE other nokey", false),
        ("SINTERCARD 1 w", false),
        ("SRANDMEMBER w 2", false),
    ] {
        d.lines(0, "DEL w other\nSADD w 9 8");
        d.lines(1, "WATCH w");
        d.lines(0, write);
        d.lines(1, "MULTI\nSCARD w");
        let reply = d.check(1, &["EXEC"]);
        assert_eq!(reply == b"*-1\r\n", dirty, "{write}");
    }
    // Inside a transaction.
    d.lines(
        0,
        "DEL s\nMULTI\nSADD s a b\nSCARD s\nSINTER s s\nSMOVE s t a\nSMEMBERS t\nSPOP s 5\nEXEC",
    );
}
