//! The differential suite, hand-written part for the string commands beyond GET/SET/INCR: SETNX,
//! SETEX, PSETEX, GETEX, MSET, MSETNX, MGET, APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE and LCS, and
//! the encodings (int, embstr, raw) Redis gives the strings they write.
//!
//! Each test starts its own `redis-server` (see `support`); if none can be started the test fails.

mod support;

use support::duo::{wall_ms, Duo};
use support::gen::SplitMix64;

#[test]
fn arity_errors() {
    let mut d = Duo::new();
    d.check_arities(&[
        "setnx", "setex", "psetex", "getex", "mset", "msetnx", "mget", "append", "strlen",
        "getrange", "substr", "setrange", "lcs",
    ]);
    d.lines(0, "MSET a 1 b\nMSETNX a 1 b\nMSET a\nMSETNX a");
}

#[test]
fn setnx_setex_psetex() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SETNX k v\nSETNX k w\nGET k\nHSET h f v\nSETNX h v\nTYPE h\nSETNX n 12\nGET n\n\
         SETEX e 100 v\nGET e\nSETEX e 0 v\nSETEX e -1 v\nSETEX e abc v\nSETEX e 1.5 v\n\
         SETEX e 9223372036854775807 v\nSETEX e 9223372036854775 v\nSETEX e 9223372036854776 v\n\
         SETEX e 01 v\nPSETEX p 100000 v\nGET p\nPSETEX p 0 v\nPSETEX p -5 v\n\
         PSETEX p 9223372036854775807 v\nPSETEX p x v\nSETEX h 100 v\nTYPE h\nGET h",
    );
    d.check_near(0, &["TTL", "e"], 1);
    d.check_near(0, &["PTTL", "p"], 250);
    d.check_near(0, &["TTL", "h"], 1);
    // SETEX/PSETEX replace the TTL; SETNX on an existing key keeps it.
    d.lines(0, "SETNX e other\nGET e\nSET plain v\nSETEX plain 50 w");
    d.check_near(0, &["TTL", "e"], 1);
    d.check_near(0, &["TTL", "plain"], 1);
    d.lines(0, "SET keep v EX 100\nSETNX keep w\nPSETEX keep 1 x");
    d.sleep_ms(20);
    d.lines(0, "GET keep\nSETNX keep again\nGET keep\nTTL keep");
}

#[test]
fn getex_options_and_order() {
    let mut d = Duo::new();
    let later_s = (wall_ms() / 1000 + 100_000).to_string();
    let later_ms = (wall_ms() + 100_000_000).to_string();
    d.lines(
        0,
        "GETEX missing\nGETEX missing EX 0\nGETEX missing EX abc\nGETEX missing FOO\n\
         GETEX missing KEEPTTL\nSET k v\nGETEX k\nTTL k\nGETEX k EX 100\nGETEX k PERSIST\nTTL k\n\
         GETEX k PX 50000\nGETEX k EX 0\nGETEX k PX -1\nGETEX k EX abc\nGETEX k EX\nGETEX k NX\n\
         GETEX k GET\nGETEX k KEEPTTL\nGETEX k EX 10 PX 10\nGETEX k PERSIST EX 10\n\
         GETEX k EX 10 PERSIST\nGETEX k EX 10 EX 20\nGETEX k PERSIST PERSIST\nGETEX k persist\n\
         GETEX k ex 9223372036854775807\nGETEX k px 9223372036854775807\nGETEX k EXAT 0\n\
         HSET h f v\nGETEX h\nGETEX h EX abc\nGETEX h FOO\nSET n 42\nGETEX n EX 100",
    );
    d.check_near(0, &["PTTL", "k"], 250);
    d.check_near(0, &["TTL", "n"], 1);
    d.check(0, &["GETEX", "k", "EXAT", &later_s]);
    d.check(0, &["EXPIRETIME", "k"]);
    d.check(0, &["GETEX", "k", "PXAT", &later_ms]);
    d.check(0, &["PEXPIRETIME", "k"]);
    d.check(0, &["GETEX", "k", "EXAT", &later_s, "EXAT", &later_s]);
    // A time in the past deletes the key after replying its value.
    d.lines(
        0,
        "GETEX k EXAT 1\nEXISTS k\nSET k v\nGETEX k PXAT 5\nEXISTS k\nGETEX k PXAT 5",
    );
    d.check(0, &["GETEX", "n", "EX\x00junk", "5"]);
    d.check(0, &["GETEX", "n", "PERSIST\x00"]);
}

#[test]
fn mset_msetnx_mget() {
    let mut d = Duo::new();
    d.lines(
        0,
        "MSET a 1 b 2 c 3\nMGET a b c d\nMSET a x a y\nGET a\nHSET h f v\nMGET a h missing a\n\
         SET t v EX 100\nMSET t w\nTTL t\nMSET h str\nTYPE h\nMSETNX a 1 new 2\nEXISTS new\n\
         MSETNX n1 1 n2 2\nMGET n1 n2\nMSETNX n3 1 n3 2\nGET n3\nMSETNX n1 9\nHSET h2 f v\n\
         MSETNX h2 9\nTYPE h2\nMGET",
    );
    d.check(0, &["MSET", "", "", "bin\x00", "v\r\n"]);
    d.check(0, &["MGET", "", "bin\x00", "nope"]);
    d.lines(0, "SET gone v PX 1");
    d.sleep_ms(20);
    d.lines(0, "MSETNX gone again\nGET gone\nMGET gone a");
}

#[test]
fn append_strlen_getrange_substr() {
    let mut d = Duo::new();
    d.lines(
        0,
        "APPEND k hello\nAPPEND k world\nGET k\nSTRLEN k\nSTRLEN missing\nSET n 12\nAPPEND n 3\n\
         GET n\nINCR n\nSET m -5\nSTRLEN m\nHSET h f v\nAPPEND h x\nSTRLEN h\nGETRANGE h 0 1\n\
         SUBSTR h 0 1\nSET s This_is_a_string\nGETRANGE s 0 3\nGETRANGE s -3 -1\nGETRANGE s 0 -1\n\
         GETRANGE s 10 100\nGETRANGE s -1 -5\nGETRANGE s -100 -90\nGETRANGE s -100 2\n\
         GETRANGE s 5 3\nGETRANGE s 3 3\nGETRANGE s -1 0\nGETRANGE s 0 -100\n\
         GETRANGE s 0 9223372036854775807\nGETRANGE s -9223372036854775808 -1\n\
         GETRANGE s -9223372036854775808 9223372036854775807\nGETRANGE s 9223372036854775807 0\n\
         GETRANGE s a 1\nGETRANGE s 1 b\nGETRANGE missing 0 -1\nGETRANGE missing x 1\n\
         GETRANGE s 1.5 2\nSUBSTR s 0 3\nSUBSTR s -3 -1\nSUBSTR missing 0 1\nSET i 12345\n\
         GETRANGE i 1 2\nGETRANGE i -2 -1\nSUBSTR i 0 0\nSET empty \"\"\nAPPEND empty \"\"",
    );
    d.check(0, &["APPEND", "new-empty", ""]);
    d.lines(
        0,
        "EXISTS new-empty\nSTRLEN new-empty\nGETRANGE new-empty 0 -1\nGETRANGE new-empty 0 0",
    );
    d.check(0, &["SET", "e", ""]);
    d.lines(0, "GETRANGE e 0 -1\nGETRANGE e -1 0\nSTRLEN e");
    d.check(0, &["APPEND", "bin", "\x00\r\n\u{ff}"]);
    d.lines(0, "GETRANGE bin 1 2\nSTRLEN bin");
    d.lines(0, "SET t v EX 100\nAPPEND t w\nSETRANGE t 0 x");
    d.check_near(0, &["TTL", "t"], 1);
}

#[test]
fn setrange_pads_and_checks_its_limits() {
    let mut d = Duo::new();
    d.lines(0,
        "SETRANGE k 0 \"\"\nEXISTS k\nSETRANGE k 5 hi\nGET k\nSETRANGE k 0 He\nGET k\nSETRANGE k 6 llooo\n\
         GET k\nSTRLEN k\nSETRANGE k 100 \"\"\nSETRANGE k -1 x\nSETRANGE k -1 \"\"\nSETRANGE k x y\n\
         SETRANGE k 1.5 y\nSETRANGE missing -1 x\nSETRANGE missing 536870911 \"\"\n\
         SETRANGE missing 536870912 x\nSETRANGE missing 536870911 ab\nSETRANGE k 536870912 x\n\
         SETRANGE k 9223372036854775807 x\nSETRANGE k 9223372036854775808 x\nEXISTS missing\n\
         SET n 12345\nSETRANGE n 1 9\nGET n\nINCR n\nSETRANGE n 0 \"\"\nGET n\n\
         HSET h f v\nSETRANGE h 0 x\nSETRANGE h 0 \"\"\nSETRANGE h -1 x\nSETRANGE h 536870912 x",
    );
    d.check(0, &["SETRANGE", "far", "100000", "end"]);
    d.lines(0, "STRLEN far\nGETRANGE far 99998 -1\nGETRANGE far 0 3");
    d.check(0, &["SETRANGE", "k", "1", "\x00\r\n"]);
    d.check(0, &["GET", "k"]);
}

#[test]
fn strings_are_encoded_as_redis_encodes_them() {
    let mut d = Duo::new();
    let long = "x".repeat(45);
    let edge = "y".repeat(44);
    let steps: Vec<Vec<String>> = [
        "SET k 123",
        "SET k -9223372036854775808",
        "SET k 9223372036854775808",
        "SET k abc",
        "SET k 007",
        "SET k -0",
        "SET k 1.5",
        "INCRBYFLOAT k 1.5",
        "INCRBYFLOAT k 0",
        "INCR k",
        "APPEND k \"\"",
        "INCR k",
        "APPEND k 5",
        "SETRANGE k 0 \"\"",
        "SETRANGE k 0 1",
        "GETSET k 10",
        "SETNX fresh 10",
        "SETEX k 100 20",
        "PSETEX k 100000 twenty",
        "MSET k 30 k2 thirty",
        "MSETNX k3 40",
        "SETRANGE k4 0 abc",
        "APPEND k5 12",
        "APPEND k5 3",
        "SET k6 7",
        "SETRANGE k6 0 8",
        "INCRBY k6 1",
        "GETEX k6 PERSIST",
        "SET k7 44",
        "DECR k7",
    ]
    .iter()
    .map(|line| line.split(' ').map(str::to_owned).collect())
    .chain([
        vec!["SET".into(), "k8".into(), edge.clone()],
        vec!["SET".into(), "k9".into(), long.clone()],
        vec!["APPEND".into(), "k10".into(), edge],
        vec!["APPEND".into(), "k11".into(), long],
        vec!["SETRANGE".into(), "k8".into(), "0".into(), "z".into()],
        vec!["SET".into(), "k9".into(), "short".into()],
    ])
    .collect();
    for argv in steps {
        d.lines(0, &argv.join(" "));
        for key in [
            "k", "fresh", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11",
        ] {
            d.check_str_encoding(key.as_bytes());
        }
    }
}

#[test]
fn lcs_and_its_options() {
    let mut d = Duo::new();
    d.lines(
        0,
        "MSET key1 ohmytext key2 mynewtext\nLCS key1 key2\nLCS key1 key2 LEN\nLCS key1 key2 IDX\n\
         LCS key1 key2 IDX MINMATCHLEN 4\nLCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN\n\
         LCS key1 key2 idx withmatchlen\nLCS key1 key2 LEN IDX\nLCS key1 key2 IDX LEN\n\
         LCS key1 key2 LEN LEN\nLCS key1 key2 MINMATCHLEN\nLCS key1 key2 MINMATCHLEN abc\n\
         LCS key1 key2 MINMATCHLEN -5 IDX\nLCS key1 key2 MINMATCHLEN 9223372036854775807 IDX\n\
         LCS key1 key2 FOO\nLCS key1 missing\nLCS missing key2 IDX\nLCS missing nope LEN\n\
         LCS key1 key1 IDX WITHMATCHLEN\nHSET h f v\nLCS key1 h\nLCS h key1\nLCS h missing IDX\n\
         LCS h key1 FOO\nLCS key1 key2 MINMATCHLEN 2 MINMATCHLEN 3 IDX WITHMATCHLEN\n\
         SET n 123456\nSET m 2x4y6\nLCS n m IDX WITHMATCHLEN\nLCS m n",
    );
    // Random strings over small alphabets, so tracebacks take every branch.
    let mut rng = SplitMix64::new(0x1c5);
    for round in 0..120 {
        let alphabet: &[u8] = if round % 3 == 0 { b"ab" } else { b"abcd\x00" };
        let mut word = |max: usize| -> Vec<u8> {
            (0..rng.below(max + 1))
                .map(|_| *rng.pick(alphabet))
                .collect()
        };
        let (a, b) = (word(12), word(12));
        d.check(0, &[&b"MSET"[..], b"a", &a, b"b", &b]);
        d.check(0, &["LCS", "a", "b"]);
        d.check(0, &["LCS", "a", "b", "LEN"]);
        d.check(0, &["LCS", "a", "b", "IDX", "WITHMATCHLEN"]);
        d.check(0, &["LCS", "a", "b", "IDX", "MINMATCHLEN", "2"]);
    }
    // Longer strings, and one pair whose table would pass proto-max-bulk-len (512 MB).
    let text = |n: usize, seed: u64| -> String {
        let mut rng = SplitMix64::new(seed);
        (0..n).map(|_| *rng.pick(&['g', 'a', 't', 'c'])).collect()
    };
    d.check(0, &["MSET", "x", &text(1500, 1), "y", &text(1200, 2)]);
    d.lines(
        0,
        "LCS x y LEN\nLCS x y\nLCS x y IDX MINMATCHLEN 5 WITHMATCHLEN",
    );
    let big = text(12_000, 3);
    d.check(0, &["MSET", "x", &big, "y", &big]);
    d.lines(0, "LCS x y\nLCS x y LEN\nLCS x missing LEN");
}

#[test]
fn string_commands_in_transactions() {
    let mut d = Duo::new();
    d.lines(
        0,
        "MULTI\nSETNX k v\nAPPEND k w\nSETRANGE k 5 z\nGETRANGE k 0 -1\nMSET a 1 b 2\nMGET a b k\n\
         GETEX k EX 100\nSTRLEN k\nLCS a b\nSETRANGE k -1 x\nEXEC\nMULTI\nMSET a\nEXEC",
    );
    d.check(1, &["WATCH", "k"]);
    d.lines(0, "SETRANGE k 0 \"\"");
    d.lines(1, "MULTI\nGET k\nEXEC\nWATCH k");
    d.lines(0, "GETEX k");
    d.lines(1, "MULTI\nGET k\nEXEC\nWATCH k");
    d.lines(0, "GETEX k PERSIST");
    d.lines(1, "MULTI\nGET k\nEXEC\nWATCH k");
    d.lines(0, "GETEX k PERSIST\nMSETNX k x");
    d.lines(1, "MULTI\nGET k\nEXEC");
}
