//! The differential suite for lists: hand-written sequences sent to a real Redis 7.0 and to the
//! engine (in RESP2 and in RESP3); every reply must be the same bytes, error texts included.
//!
//! Each test starts its own `redis-server` (see `support`); if none can be started the test fails.

mod support;

use support::duo::Duo;

const COMMANDS: &[&str] = &[
    "lpush",
    "rpush",
    "lpushx",
    "rpushx",
    "lpop",
    "rpop",
    "llen",
    "lindex",
    "lrange",
    "lset",
    "linsert",
    "lrem",
    "ltrim",
    "lpos",
    "lmove",
    "rpoplpush",
    "lmpop",
];

#[test]
fn arity() {
    let mut d = Duo::new();
    d.check(0, &["RPUSH", "a0", "1", "x", "a1"]);
    d.check_arity(COMMANDS);
}

#[test]
fn push_pop_and_read() {
    let mut d = Duo::new();
    d.lines(
        0,
        "LPUSH l a b c\nRPUSH l d e\nLRANGE l 0 -1\nLLEN l\nTYPE l\nLINDEX l 0\nLINDEX l -1\n\
         LINDEX l 5\nLINDEX l -6\nLINDEX l -5\nLINDEX l x\nLINDEX nokey x\nLINDEX nokey 0\n\
         LPUSHX nokey a\nRPUSHX nokey a\nEXISTS nokey\nLPUSHX l z\nRPUSHX l y y\nLRANGE l 0 -1\n\
         LPOP l\nRPOP l\nLPOP l 2\nRPOP l 2\nLRANGE l 0 -1\nLPOP l 0\nRPOP l 0\nLPOP l -1\n\
         LPOP l x\nLPOP nokey\nLPOP nokey 1\nRPOP nokey 0\nLPOP nokey -1\nLPOP l 1 2\n\
         RPOP l 100\nEXISTS l\nLLEN l\nLLEN nokey\nLRANGE nokey 0 -1\nLRANGE nokey a b",
    );
    // Elements of any bytes, integers in any form.
    d.lines(
        0,
        "RPUSH n 1 01 -0 +1 9223372036854775807 9223372036854775808 -9223372036854775808 1.5 \"\"\n\
         LRANGE n 0 -1\nLPOS n 1\nLPOS n 01\nLREM n 0 1\nLRANGE n 0 -1",
    );
    d.check(0, &["RPUSH", "b", "\x00", "a\r\nb", "\u{ff}"]);
    d.check(0, &["LRANGE", "b", "0", "-1"]);
    d.check(0, &["LPOS", "b", "\x00"]);
}

#[test]
fn wrong_types() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SET s x\nHSET h f v\nLPUSH s a\nRPUSH h a\nLPUSHX s a\nLPOP s\nRPOP s 2\nLPOP s x\n\
         LLEN s\nLINDEX s 0\nLINDEX s x\nLRANGE s 0 1\nLRANGE s a 1\nLSET s 0 v\nLSET s x v\n\
         LINSERT s BEFORE a b\nLINSERT s x a b\nLREM s 0 a\nLREM s x a\nLTRIM s 0 1\nLTRIM s x 1\n\
         LPOS s a\nLPOS s a RANK 0\nLMOVE s l LEFT RIGHT\nRPUSH l a\nLMOVE l s LEFT RIGHT\n\
         LRANGE l 0 -1\nRPOPLPUSH l s\nRPOPLPUSH s l\nLMPOP 2 nokey s LEFT\nLMPOP 2 l s LEFT\n\
         LMPOP 2 s l LEFT\nGET s\nSADD l x\nGET l",
    );
}

#[test]
fn ranges_and_trims() {
    let mut d = Duo::new();
    let bounds = [
        "0",
        "1",
        "-1",
        "-2",
        "3",
        "5",
        "6",
        "100",
        "-6",
        "-100",
        "9223372036854775807",
        "-9223372036854775808",
    ];
    for start in bounds {
        for stop in bounds {
            d.check(0, &["DEL", "l"]);
            d.check(0, &["RPUSH", "l", "a", "b", "c", "d", "e", "f"]);
            d.check(0, &["LRANGE", "l", start, stop]);
            d.check(0, &["LTRIM", "l", start, stop]);
            d.check(0, &["LRANGE", "l", "0", "-1"]);
            d.check(0, &["EXISTS", "l"]);
        }
    }
    d.lines(
        0,
        "LTRIM nokey 0 1\nLTRIM nokey a 1\nLTRIM l 0 x\nLRANGE l 0 99999999999999999999\n\
         LRANGE l 1.5 2",
    );
}

#[test]
fn set_insert_and_remove() {
    let mut d = Duo::new();
    d.lines(
        0,
        "RPUSH l a b a c a d\nLSET l 0 x\nLSET l -1 y\nLSET l 6 z\nLSET l -7 z\nLSET l x z\n\
         LSET nokey 0 v\nLSET nokey x v\nLRANGE l 0 -1\nLINSERT l BEFORE a p\nLINSERT l after a q\n\
         LINSERT l AFTER y end\nLINSERT l BEFORE x start\nLINSERT l BEFORE nothere v\n\
         LINSERT l middle a v\nLINSERT nokey BEFORE a v\nLINSERT nokey middle a v\nLRANGE l 0 -1\n\
         LREM l 1 a\nLRANGE l 0 -1\nLREM l -1 a\nLRANGE l 0 -1\nRPUSH l a a a\nLREM l -2 a\n\
         LRANGE l 0 -1\nLREM l 0 a\nLRANGE l 0 -1\nLREM l 0 nothere\nLREM nokey 0 a\nLREM l x a\n\
         LREM l 0 p\nLREM l 0 q\nLREM l 0 start\nLREM l 0 end\nLREM l 0 b\nLRANGE l 0 -1\n\
         LREM l -9223372036854775808 c\nLREM l 9223372036854775807 x\nLREM l 0 d\nEXISTS l",
    );
    d.check(0, &["RPUSH", "z", "a\x00b"]);
    d.check(0, &["LINSERT", "z", "after\x00junk", "a\x00b", "c"]);
    d.check(0, &["LRANGE", "z", "0", "-1"]);
}

#[test]
fn lpos_options() {
    let mut d = Duo::new();
    d.check(0, &["RPUSH", "l", "a", "b", "c", "a", "b", "a", "c", "a"]);
    let options: &[&[&str]] = &[
        &[],
        &["RANK", "1"],
        &["RANK", "2"],
        &["RANK", "-1"],
        &["RANK", "-3"],
        &["RANK", "9"],
        &["RANK", "-9"],
        &["RANK", "0"],
        &["RANK", "x"],
        &["RANK", "9223372036854775807"],
        &["RANK", "-9223372036854775808"],
        &["COUNT", "0"],
        &["COUNT", "1"],
        &["COUNT", "2"],
        &["COUNT", "-1"],
        &["COUNT", "x"],
        &["MAXLEN", "0"],
        &["MAXLEN", "3"],
        &["MAXLEN", "-1"],
        &["MAXLEN", "x"],
        &["RANK", "2", "COUNT", "2"],
        &["RANK", "-2", "COUNT", "0"],
        &["RANK", "-9223372036854775808", "COUNT", "0"],
        &["RANK", "-9223372036854775808", "COUNT", "2"],
        &["RANK", "2", "COUNT", "0", "MAXLEN", "6"],
        &["RANK", "-1", "MAXLEN", "1"],
        &["RANK", "-1", "MAXLEN", "2", "COUNT", "0"],
        &["COUNT", "1", "COUNT", "3"],
        &["RANK"],
        &["COUNT"],
        &["FOO", "1"],
        &["RANK", "0", "FOO"],
        &["COUNT", "-1", "RANK", "0"],
    ];
    for element in ["a", "b", "c", "x"] {
        for opts in options {
            let mut argv = vec!["LPOS", "l", element];
            argv.extend_from_slice(opts);
            d.check(0, &argv);
            argv[1] = "nokey";
            d.check(0, &argv);
        }
    }
}

#[test]
fn moves_between_lists() {
    let mut d = Duo::new();
    d.lines(
        0,
        "RPUSH a 1 2 3\nLMOVE a b LEFT RIGHT\nLMOVE a b RIGHT LEFT\nLRANGE a 0 -1\nLRANGE b 0 -1\n\
         LMOVE a a LEFT RIGHT\nLRANGE a 0 -1\nLMOVE a a RIGHT RIGHT\nLMOVE a b LEFT LEFT\n\
         EXISTS a\nLMOVE a b LEFT LEFT\nLMOVE nokey b LEFT x\nLMOVE b b UP LEFT\nLMOVE b c left right\n\
         RPOPLPUSH b c\nRPOPLPUSH b c\nRPOPLPUSH b c\nLRANGE c 0 -1\nRPOPLPUSH c c\nLRANGE c 0 -1\n\
         RPUSH one x\nRPOPLPUSH one one\nLRANGE one 0 -1\nLMOVE one one LEFT LEFT\nLLEN one\n\
         LMPOP 1 c LEFT\nLMPOP 2 nokey c RIGHT COUNT 10\nLMPOP 2 nokey c RIGHT\nLMPOP 1 nokey LEFT\n\
         RPUSH m 1 2 3 4 5\nLMPOP 1 m LEFT COUNT 2\nLMPOP 1 m RIGHT COUNT 2\nLMPOP 1 m LEFT COUNT 0\n\
         LMPOP 1 m LEFT COUNT -1\nLMPOP 1 m LEFT COUNT x\nLMPOP 1 m LEFT COUNT 1 COUNT 1\n\
         LMPOP 1 m LEFT COUNT\nLMPOP 1 m UP\nLMPOP 0 m LEFT\nLMPOP -1 m LEFT\nLMPOP x m LEFT\n\
         LMPOP 3 m LEFT\nLMPOP 2 m LEFT\nLMPOP 9223372036854775807 m LEFT\nLMPOP 1 m left FOO\n\
         LMPOP 1 m LEFT\nEXISTS m",
    );
}

#[test]
fn watch_sees_list_changes() {
    let mut d = Duo::new();
    let no_ops = [
        "LPUSHX nokey a",
        "LPOP nokey",
        "LREM l 0 nothere",
        "LINSERT l BEFORE nothere x",
        "LRANGE l 0 -1",
        "LPOS l a",
        "LMOVE nokey l LEFT LEFT",
    ];
    let changes = [
        "LPUSH l x",
        "RPOP l",
        "LPOP l 0",
        "LTRIM l 0 -1",
        "LSET l 0 z",
        "LREM l 1 a",
        "LINSERT l AFTER a y",
        "LMOVE l l LEFT RIGHT",
        "RPOPLPUSH other l",
        "LMPOP 1 l LEFT",
    ];
    for cmd in no_ops.iter().chain(changes.iter()) {
        d.lines(0, "DEL l other\nRPUSH l a b c\nRPUSH other o\nWATCH l");
        d.lines(1, cmd);
        d.lines(0, "MULTI\nLLEN l\nEXEC");
    }
}
