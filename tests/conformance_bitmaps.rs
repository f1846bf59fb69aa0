//! The differential suite, hand-written part for the bit commands: SETBIT, GETBIT, BITCOUNT,
//! BITPOS, BITOP, BITFIELD and BITFIELD_RO, with seeded random ranges and fields where the edge
//! cases are too many to list.
//!
//! Each test starts its own `redis-server` (see `support`); if none can be started the test fails.

mod support;

use support::duo::Duo;
use support::gen::SplitMix64;

#[test]
fn arity_errors() {
    let mut d = Duo::new();
    d.check_arities(&[
        "setbit",
        "getbit",
        "bitcount",
        "bitpos",
        "bitop",
        "bitfield",
        "bitfield_ro",
    ]);
}

#[test]
fn setbit_and_getbit() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SETBIT k 7 1\nGET k\nSETBIT k 7 1\nSETBIT k 7 0\nSETBIT k 100 1\nSTRLEN k\nGETBIT k 100\n\
         GETBIT k 101\nGETBIT k 100000\nGETBIT missing 3\nSETBIT k -1 1\nSETBIT k 4294967296 1\n\
         GETBIT k 4294967296\nGETBIT k 4294967295\nGETBIT k -1\nGETBIT k abc\nGETBIT k 1.0\n\
         SETBIT k 0 2\nSETBIT k 0 -1\nSETBIT k 0 abc\nSETBIT k abc 1\nSETBIT k #1 1\n\
         SETBIT k 9223372036854775807 1\nSETBIT k 9223372036854775808 1\nSETBIT k 01 1\n\
         HSET h f v\nSETBIT h 0 1\nGETBIT h 0\nSETBIT h abc 1\nSETBIT h 0 5\nGETBIT h abc\n\
         SET n 5\nGETBIT n 2\nGETBIT n 5\nGETBIT n 7\nSETBIT n 6 1\nGET n\nSET t v EX 100\n\
         SETBIT t 0 0\nGETBIT missing 4294967296\nSETBIT fresh 0 0\nGET fresh\nEXISTS fresh",
    );
    d.check_near(0, &["TTL", "t"], 1);
    for key in ["k", "n", "t", "fresh"] {
        d.check_str_encoding(key.as_bytes());
    }
    // SETBIT that changes nothing is no change for WATCH, but still makes the string raw.
    d.lines(0, "SET w 7");
    d.check(1, &["WATCH", "w"]);
    d.lines(0, "SETBIT w 7 1");
    d.check_str_encoding(b"w");
    d.lines(1, "MULTI\nGET w\nEXEC\nWATCH w");
    d.lines(0, "SETBIT w 7 0");
    d.lines(1, "MULTI\nGET w\nEXEC\nWATCH w");
    d.lines(0, "SETBIT w 100 0");
    d.lines(1, "MULTI\nGET w\nEXEC");
}

#[test]
fn bitcount_and_bitpos_options() {
    let mut d = Duo::new();
    d.lines(0,
        "SET s foobar\nBITCOUNT s\nBITCOUNT s 0 0\nBITCOUNT s 1 1\nBITCOUNT s 1 1 BYTE\n\
         BITCOUNT s 5 30 BIT\nBITCOUNT s 5 30 bit\nBITCOUNT s -1 -5\nBITCOUNT s -1 -5 FOO\n\
         BITCOUNT s 0 -1 FOO\nBITCOUNT s 0\nBITCOUNT s 0 1 BIT x\nBITCOUNT s a 1\nBITCOUNT s 1 b\n\
         BITCOUNT missing\nBITCOUNT missing 0\nBITCOUNT missing a b c d\nHSET h f v\nBITCOUNT h\n\
         BITCOUNT h a\nSET n 12345\nBITCOUNT n\nBITCOUNT n 1 2 BIT\nBITCOUNT s -9223372036854775808 -1\n\
         BITCOUNT s 0 9223372036854775807 BIT\nBITCOUNT s -9223372036854775808 9223372036854775807 BIT\n\
         SET e \"\"\nBITCOUNT e\nBITCOUNT e 0 -1 BIT\n\
         BITPOS s 1\nBITPOS s 0\nBITPOS s 2\nBITPOS s -1\nBITPOS s x\nBITPOS missing 1\n\
         BITPOS missing 0\nBITPOS missing 1 a b FOO\nBITPOS missing 2\nBITPOS h 1\nBITPOS h 5\n\
         BITPOS s 1 2\nBITPOS s 1 2 -1\nBITPOS s 1 2 -1 BYTE\nBITPOS s 1 7 15 BIT\n\
         BITPOS s 0 1 abc FOO\nBITPOS s 0 1 2 BIT x\nBITPOS s 1 x\nBITPOS s 1 0 y\n\
         BITPOS e 0\nBITPOS e 1\nBITPOS e 0 0 -1\nSET ones \u{ff}\u{ff}\nBITPOS n 0\nBITPOS n 1 1",
    );
    d.check(0, &[&b"SET"[..], b"ones", b"\xff\xff\xff"]);
    d.lines(0,
        "BITPOS ones 0\nBITPOS ones 0 0\nBITPOS ones 0 0 -1\nBITPOS ones 0 0 -1 BIT\nBITPOS ones 1 1\n\
         BITPOS ones 0 3\nBITPOS ones 0 8 BIT\nBITPOS ones 0 8 -1 BIT",
    );
    d.check(0, &[&b"SET"[..], b"zeros", b"\x00\x00\x00"]);
    d.lines(0,
        "BITPOS zeros 1\nBITPOS zeros 0\nBITPOS zeros 1 1 -1\nBITPOS zeros 0 9 20 BIT\nBITPOS zeros 1 2 BIT",
    );
}

/// Random strings, bits and ranges in bytes and bits: BITPOS's walk over partial bytes has many
/// paths, BITCOUNT's masks a few.
#[test]
fn random_ranges_match_redis() {
    let mut d = Duo::new();
    let mut rng = SplitMix64::new(0xb175);
    const BYTES: &[u8] = &[0x00, 0xff, 0x0f, 0xf0, 0x80, 0x01, 0x7f, 0xfe, 0x55, 0x18];
    for round in 0..60 {
        let len = rng.below(if round % 4 == 0 { 20 } else { 5 });
        let value: Vec<u8> = (0..len).map(|_| *rng.pick(BYTES)).collect();
        d.check(0, &[&b"SET"[..], b"r", &value]);
        for _ in 0..25 {
            let index = |rng: &mut SplitMix64| (rng.below(50) as i64 - 25).to_string();
            let (start, end) = (index(&mut rng), index(&mut rng));
            let unit = *rng.pick(&["BIT", "BYTE", "bit"]);
            let bit = *rng.pick(&["0", "1"]);
            match rng.below(5) {
                0 => d.check(0, &["BITPOS", "r", bit, &start]),
                1 => d.check(0, &["BITPOS", "r", bit, &start, &end]),
                2 => d.check(0, &["BITPOS", "r", bit, &start, &end, unit]),
                3 => d.check(0, &["BITCOUNT", "r", &start, &end, unit]),
                _ => d.check(0, &["BITCOUNT", "r", &start, &end]),
            };
        }
    }
}

#[test]
fn bitop_operations() {
    let mut d = Duo::new();
    d.check(
        0,
        &[
            &b"MSET"[..],
            b"a",
            b"\xff\x0f\x01",
            b"b",
            b"\xf0\xf0",
            b"c",
            b"x",
        ],
    );
    d.lines(0,
        "BITOP AND dest a b\nGET dest\nBITOP OR dest a b c\nGET dest\nBITOP XOR dest a b c missing\n\
         GET dest\nBITOP NOT dest a\nGET dest\nBITOP not dest b\nBITOP NOT dest a b\nBITOP NOT dest\n\
         BITOP FOO dest a\nBITOP and dest missing\nEXISTS dest\nBITOP OR dest missing nope\n\
         BITOP AND dest a missing\nGET dest\nHSET h f v\nBITOP AND dest a h\nBITOP AND h a\nTYPE h\n\
         SET t v EX 100\nBITOP OR t a\nTTL t\nSET n 123\nBITOP OR dest n\nGET dest\n\
         BITOP XOR a a b\nGET a\nBITOP AND\u{0} dest a\nBITOP OR dest a a a a a a a a a a a a a a a a a a",
    );
    d.check(0, &[&b"BITOP"[..], b"AND\x00x", b"dest", b"a"]);
    d.check(0, &[&b"SET"[..], b"e", b""]);
    d.lines(0, "BITOP OR dest e\nEXISTS dest\nBITOP NOT dest e");
    for key in ["dest", "a", "t"] {
        d.check_str_encoding(key.as_bytes());
    }
    let long: String = (0..100)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let other: String = (0..70).map(|i| char::from(b'A' + (i % 26) as u8)).collect();
    d.check(0, &["MSET", "l1", &long, "l2", &other]);
    d.lines(0,
        "BITOP AND d l1 l2\nGET d\nBITOP OR d l1 l2 a\nGET d\nBITOP XOR d l1 l2\nGET d\nBITOP NOT d l1\nGET d",
    );
}

#[test]
fn bitfield_operations_and_errors() {
    let mut d = Duo::new();
    d.lines(0,
        "BITFIELD k\nBITFIELD_RO k\nBITFIELD k GET u8 0\nEXISTS k\nBITFIELD k SET u8 0 200\nGET k\n\
         BITFIELD k GET u8 0 GET i8 0 GET u4 4 GET i4 4 GET i64 0 GET u63 1\n\
         BITFIELD k INCRBY u8 0 100\nBITFIELD k OVERFLOW SAT INCRBY u8 0 100\n\
         BITFIELD k OVERFLOW FAIL INCRBY u8 0 1\nBITFIELD k OVERFLOW WRAP INCRBY u8 0 1\n\
         BITFIELD k SET i8 #1 -100 GET i8 #1 GET u8 #1\nBITFIELD k INCRBY i8 8 -100\n\
         BITFIELD k OVERFLOW SAT INCRBY i8 8 -100 INCRBY i8 8 300 OVERFLOW FAIL INCRBY i8 8 1\n\
         BITFIELD k SET i5 100 31 SET i5 100 -17 SET u5 100 32 SET u5 100 -1\n\
         BITFIELD k OVERFLOW SAT SET i5 100 31 SET i5 100 -17 SET u5 100 32 SET u5 100 -1\n\
         BITFIELD k OVERFLOW FAIL SET i5 100 16 SET u5 100 32 SET u5 100 -1 SET u5 100 31\n\
         BITFIELD k SET i64 0 -1 GET u63 0 GET i64 0 INCRBY i64 0 -9223372036854775808\n\
         BITFIELD k OVERFLOW SAT INCRBY i64 0 -9223372036854775808 INCRBY i64 0 9223372036854775807\n\
         BITFIELD k OVERFLOW FAIL INCRBY i64 0 1 SET i64 0 9223372036854775807 INCRBY i64 0 1\n\
         BITFIELD k OVERFLOW WRAP INCRBY i64 0 1 INCRBY u63 1 -1 INCRBY i1 0 1 INCRBY u1 0 3\n\
         GET k\nSTRLEN k\nBITFIELD k GET u64 0\nBITFIELD k GET i65 0\nBITFIELD k GET i0 0\n\
         BITFIELD k GET x8 0\nBITFIELD k GET I8 0\nBITFIELD k GET i08 0\nBITFIELD k GET i 0\n\
         BITFIELD k GET \"\" 0\nBITFIELD k GET u8 -1\nBITFIELD k GET u8 abc\nBITFIELD k GET u8 #-1\n\
         BITFIELD k GET u8 ##1\nBITFIELD k GET u8 4294967296\nBITFIELD k GET u8 4294967295\n\
         BITFIELD k GET u8 #536870911\nBITFIELD k GET u8 #536870912\nBITFIELD k SET u8 0 abc\n\
         BITFIELD k SET u8 0 1.5\nBITFIELD k INCRBY u8 0\nBITFIELD k GET u8\nBITFIELD k OVERFLOW\n\
         BITFIELD k OVERFLOW foo GET u8 0\nBITFIELD k overflow sat get u8 0\nBITFIELD k FOO\n\
         BITFIELD k GET u8 0 FOO\nBITFIELD k GET i64 #144115188075855872\n\
         BITFIELD k SET u8 #9223372036854775807 1\nBITFIELD_RO k GET u8 0 GET i4 4\n\
         BITFIELD_RO k SET u8 0 1\nBITFIELD_RO k GET u8 0 INCRBY u8 0 1\nBITFIELD_RO k OVERFLOW SAT\n\
         BITFIELD_RO missing GET u8 0\nBITFIELD_RO missing SET u8 0 1\nHSET h f v\nBITFIELD h\n\
         BITFIELD h GET u8 0\nBITFIELD h SET u8 0 1\nBITFIELD h GET x 0\nBITFIELD_RO h GET u8 0\n\
         BITFIELD_RO h SET u8 0 1\nSET n 12\nBITFIELD n GET u8 0 GET u8 8 GET u8 16\n\
         BITFIELD n SET u8 24 1\nGET n\nSET t v EX 100\nBITFIELD t GET u8 0 SET u8 0 118",
    );
    d.check_near(0, &["TTL", "t"], 1);
    for key in ["k", "n", "t"] {
        d.check_str_encoding(key.as_bytes());
    }
    d.check(0, &["BITFIELD", "k", "GET", "i8\x00junk", "0"]);
    d.check(0, &["BITFIELD", "k", "GET", "u8", "0\x00"]);
    d.check(0, &["BITFIELD", "k", "GET\x00", "u8", "0"]);
    // A write whose every operation fails still creates and grows the string, but signals nothing.
    d.lines(
        0,
        "BITFIELD fresh OVERFLOW FAIL SET u2 0 9\nGET fresh\nSET w x",
    );
    d.check(1, &["WATCH", "w"]);
    d.lines(0, "BITFIELD w OVERFLOW FAIL INCRBY u8 0 1000");
    d.lines(1, "MULTI\nGET w\nEXEC\nWATCH w");
    d.lines(0, "BITFIELD w SET u8 0 120");
    d.lines(1, "MULTI\nGET w\nEXEC\nWATCH w");
    d.lines(0, "BITFIELD w OVERFLOW FAIL INCRBY u8 100 1000");
    d.lines(1, "MULTI\nGET w\nEXEC");
}

/// The lesson's bounded decrement: stock that never goes below zero, in one command.
#[test]
fn bitfield_bounded_decrement() {
    let mut d = Duo::new();
    d.lines(
        0,
        "BITFIELD stock SET u8 0 3\nBITFIELD stock OVERFLOW FAIL INCRBY u8 0 -1\n\
         BITFIELD stock OVERFLOW FAIL INCRBY u8 0 -1\nBITFIELD stock OVERFLOW FAIL INCRBY u8 0 -1\n\
         BITFIELD stock OVERFLOW FAIL INCRBY u8 0 -1\nBITFIELD stock GET u8 0\n\
         BITFIELD stock OVERFLOW SAT INCRBY u8 0 -1\nBITFIELD stock INCRBY u8 0 -1",
    );
}

/// Random fields: types, offsets (plain and `#`), values near each type's edges, overflow modes.
#[test]
fn random_bitfields_match_redis() {
    let mut d = Duo::new();
    let mut rng = SplitMix64::new(0xf1e1d);
    for _ in 0..600 {
        let mut argv: Vec<String> = vec!["BITFIELD".into(), "bf".into()];
        for _ in 0..1 + rng.below(4) {
            if rng.chance(30) {
                argv.push("OVERFLOW".into());
                argv.push((*rng.pick(&["WRAP", "SAT", "FAIL"])).into());
            }
            let signed = rng.chance(50);
            let bits = if signed {
                1 + rng.below(64)
            } else {
                1 + rng.below(63)
            };
            let kind = format!("{}{bits}", if signed { 'i' } else { 'u' });
            let offset = if rng.chance(30) {
                format!("#{}", rng.below(6))
            } else {
                rng.below(80).to_string()
            };
            let edge = 1i128 << (bits - usize::from(signed));
            let value: i128 = match rng.below(5) {
                0 => edge - 1 + rng.below(3) as i128 - 1,
                1 => -edge + rng.below(3) as i128 - 1,
                2 => rng.next() as i64 as i128,
                _ => rng.below(41) as i128 - 20,
            };
            let value = value.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
            match rng.below(3) {
                0 => argv.extend(["GET".into(), kind, offset]),
                1 => argv.extend(["SET".into(), kind, offset, value.to_string()]),
                _ => argv.extend(["INCRBY".into(), kind, offset, value.to_string()]),
            }
        }
        d.check(0, &argv);
        if rng.chance(10) {
            d.check(0, &["GET", "bf"]);
        }
    }
    d.check(0, &["GET", "bf"]);
}

#[test]
fn bit_commands_in_transactions() {
    let mut d = Duo::new();
    d.lines(0,
        "MULTI\nSETBIT k 3 1\nGETBIT k 3\nBITCOUNT k\nBITPOS k 1\nBITOP NOT j k\nBITFIELD k INCRBY u4 0 1\n\
         BITFIELD_RO k GET u4 0\nSETBIT k -1 1\nBITFIELD_RO k SET u4 0 1\nEXEC\nMULTI\nBITOP NOT j k k\n\
         EXEC",
    );
}
