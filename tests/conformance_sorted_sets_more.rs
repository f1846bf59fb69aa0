//! The differential suite for the sorted-set commands past the basics: ZRANGEBYSCORE and its
//! reverse, ZCOUNT, ZMSCORE, ZPOPMIN/ZPOPMAX, ZMPOP, ZRANGESTORE, ZREMRANGEBYRANK/SCORE, ZUNION,
//! ZINTER, ZDIFF, their STORE forms and ZINTERCARD — replies, error texts and the encodings of
//! what they store, against a real Redis 7.0.

mod support;

use support::duo::Duo;

/// A listpack (`small`), a skip list by size (`big`, 130 members) and one by a long member
/// (`long`), with ties, fractions, infinities and `-0` where the encoding keeps it.
fn fixtures(d: &mut Duo) {
    d.lines(
        0,
        "ZADD small 1 a 2 b 2 c 3.5 d -1 e inf f -inf g 0 h\nSET str x\nHSET hash f v",
    );
    let mut big = vec!["ZADD".to_owned(), "big".to_owned()];
    for i in 0..130 {
        big.push(((i * 7) % 13).to_string());
        big.push(format!("m{i:03}"));
    }
    big.extend(["-0".to_owned(), "negzero".to_owned()]);
    d.check(0, &big);
    d.check(
        0,
        &["ZADD", "long", "1", &"x".repeat(70), "-0", "z", "0.5", "y"],
    );
}

#[test]
fn zrangebyscore_zrevrangebyscore_and_zcount() {
    let mut d = Duo::new();
    fixtures(&mut d);
    let bounds = [
        "-inf", "+inf", "0", "(0", "1", "(1", "2", "(2", "3.5", "(inf", "inf", "-1", "(-inf", "x",
        "", "(", " 1", "1\0x", "nan", "12",
    ];
    for key in ["small", "big", "long", "nokey", "str"] {
        for min in bounds {
            for max in ["+inf", "2", "(2", "-inf", "(12", "x"] {
                d.check(0, &["ZRANGEBYSCORE", key, min, max, "WITHSCORES"]);
                d.check(0, &["ZREVRANGEBYSCORE", key, max, min]);
                d.check(0, &["ZCOUNT", key, min, max]);
            }
        }
        for (offset, count) in [
            ("0", "2"),
            ("1", "-1"),
            ("-1", "3"),
            ("3", "0"),
            ("200", "1"),
        ] {
            d.check(
                0,
                &["ZRANGEBYSCORE", key, "-inf", "+inf", "LIMIT", offset, count],
            );
            d.check(
                0,
                &[
                    "ZREVRANGEBYSCORE",
                    key,
                    "+inf",
                    "-inf",
                    "WITHSCORES",
                    "LIMIT",
                    offset,
                    count,
                ],
            );
        }
    }
    d.lines(
        0,
        "ZRANGEBYSCORE small 0 1 REV\nZRANGEBYSCORE small 0 1 BYSCORE\nZRANGEBYSCORE small 0 1 LIMIT 0\n\
         ZRANGEBYSCORE small 0 1 LIMIT a 1\nZRANGEBYSCORE small 0 1 withscores limit 0 1 withscores\n\
         ZREVRANGEBYSCORE small 0 1 BYLEX\nZCOUNT small 1\nZCOUNT small 1 2 3",
    );
}

#[test]
fn zmscore_zremrangebyrank_zremrangebyscore() {
    let mut d = Duo::new();
    fixtures(&mut d);
    d.lines(
        0,
        "ZMSCORE small a z f g h\nZMSCORE nokey a b\nZMSCORE str a\nZMSCORE big m000 negzero\n\
         ZMSCORE long z",
    );
    for (start, stop) in [
        ("0", "0"),
        ("-2", "-1"),
        ("5", "2"),
        ("0", "-1"),
        ("x", "1"),
        ("1", "1.5"),
    ] {
        for key in ["small", "big"] {
            d.check(0, &["DEL", "copy"]);
            d.check(0, &["ZUNIONSTORE", "copy", "1", key]);
            d.check(0, &["ZREMRANGEBYRANK", "copy", start, stop]);
            d.check(0, &["ZRANGE", "copy", "0", "-1", "WITHSCORES"]);
        }
    }
    for (min, max) in [
        ("-inf", "+inf"),
        ("(1", "3.5"),
        ("5", "1"),
        ("x", "1"),
        ("2", "2"),
        ("(2", "2"),
    ] {
        for key in ["small", "big"] {
            d.check(0, &["DEL", "copy"]);
            d.check(0, &["ZUNIONSTORE", "copy", "1", key]);
            d.check(0, &["ZREMRANGEBYSCORE", "copy", min, max]);
            d.check(0, &["ZCARD", "copy"]);
        }
    }
    d.lines(
        0,
        "ZREMRANGEBYRANK nokey 0 -1\nZREMRANGEBYRANK str 0 -1\nZREMRANGEBYRANK str x 1\n\
         ZREMRANGEBYSCORE str x 1\nZREMRANGEBYSCORE str 0 1\nZREMRANGEBYSCORE nokey 0 1",
    );
}

#[test]
fn zpopmin_zpopmax_and_zmpop() {
    let mut d = Duo::new();
    fixtures(&mut d);
    d.lines(
        0,
        "ZPOPMIN small\nZPOPMAX small\nZPOPMIN small 2\nZPOPMAX small 0\nZPOPMIN small -1\n\
         ZPOPMIN small x\nZPOPMIN small 1 2\nZPOPMIN nokey\nZPOPMIN nokey 3\nZPOPMIN str\n\
         ZPOPMIN str x\nZPOPMAX big 3\nZPOPMIN big 2\nZPOPMIN long 5\nEXISTS long\n\
         ZPOPMAX small 100\nEXISTS small\nZPOPMIN small 0\nZPOPMIN str 0",
    );
    // ZMPOP: numkeys, keys, MIN|MAX, COUNT, in that order of checks.
    d.lines(
        0,
        "ZMPOP 0 big MIN\nZMPOP -1 big MIN\nZMPOP x big MIN\nZMPOP 2 big MIN\nZMPOP 1 big\n\
         ZMPOP 1 big MID\nZMPOP 1 big MIN COUNT\nZMPOP 1 big MIN COUNT 0\nZMPOP 1 big MIN COUNT -2\n\
         ZMPOP 1 big MIN COUNT x\nZMPOP 1 big MIN COUNT 1 COUNT 2\nZMPOP 1 big MIN FOO\n\
         ZMPOP 1 big min\nZMPOP 1 big max count 3\nZMPOP 2 nokey big MAX COUNT 2\n\
         ZMPOP 2 nokey nokey2 MIN\nZMPOP 2 str big MIN\nZMPOP 2 big str MIN\nZMPOP 2 nokey str MAX\n\
         ZMPOP 1 big MIN COUNT 1000\nEXISTS big\nZMPOP 9223372036854775807 big MIN",
    );
}

#[test]
fn zrangestore_stores_with_redis_encoding() {
    let mut d = Duo::new();
    fixtures(&mut d);
    let ranges: &[&[&str]] = &[
        &["0", "-1"],
        &["0", "127"],
        &["0", "128"],
        &["0", "200"],
        &["-1", "0"],
        &["-inf", "+inf", "BYSCORE"],
        &["+inf", "-inf", "BYSCORE", "REV"],
        &["0", "0", "BYSCORE"],
        &["-", "+", "BYLEX"],
        &["[m1", "(m5", "BYLEX"],
        &["-inf", "+inf", "BYSCORE", "LIMIT", "1", "128"],
        &["5", "0", "REV"],
        &["0", "-1", "WITHSCORES"],
        &["0", "-1", "LIMIT", "0", "1"],
        &["x", "1"],
        &["(x", "1", "BYSCORE"],
        &["a", "b", "BYLEX"],
    ];
    for src in ["small", "big", "long", "nokey", "str"] {
        for range in ranges {
            let mut argv = vec!["ZRANGESTORE", "dst", src];
            argv.extend_from_slice(range);
            d.check(0, &argv);
            d.check(0, &["ZRANGE", "dst", "0", "-1", "WITHSCORES"]);
            d.check_zset_encoding(b"dst");
        }
    }
    // The destination is replaced whatever it held, and loses its TTL; an empty result deletes it.
    d.lines(
        0,
        "SET dst x EX 100\nZRANGESTORE dst small 0 1\nTTL dst\nTYPE dst\nZRANGESTORE dst small 5 1\n\
         EXISTS dst\nZRANGESTORE small small 0 0\nZRANGE small 0 -1 WITHSCORES\nZRANGESTORE dst str 0 1",
    );
}

#[test]
fn zunion_zinter_zdiff_and_their_stores() {
    let mut d = Duo::new();
    fixtures(&mut d);
    d.lines(
        0,
        "ZADD s1 0.1 x 1 a 2 b -0 z\nZADD s2 0.2 x 10 a inf c\nZADD s3 0.3 x 100 b -inf c 5 d\n\
         ZADD s4 0.3 x",
    );
    let keys: &[&[&str]] = &[
        &["1", "s1"],
        &["2", "s1", "s2"],
        &["3", "s1", "s2", "s3"],
        &["3", "s3", "s2", "s1"],
        &["4", "s4", "s1", "s2", "s3"],
        &["2", "s1", "s1"],
        &["2", "s1", "nokey"],
        &["2", "nokey", "s1"],
        &["3", "small", "big", "long"],
        &["2", "big", "small"],
    ];
    let options: &[&[&str]] = &[
        &[],
        &["WITHSCORES"],
        &["AGGREGATE", "MIN", "WITHSCORES"],
        &["AGGREGATE", "max", "WITHSCORES"],
        &["WEIGHTS", "2", "0", "-1", "0.5", "WITHSCORES"],
        &["WEIGHTS", "0", "inf", "-inf", "1", "WITHSCORES"],
        &[
            "WEIGHTS",
            "-1",
            "-1",
            "-1",
            "-1",
            "AGGREGATE",
            "MAX",
            "WITHSCORES",
        ],
    ];
    for name in ["ZUNION", "ZINTER", "ZDIFF"] {
        for k in keys {
            let n: usize = k[0].parse().unwrap_or(0);
            for opts in options {
                let mut argv = vec![name];
                argv.extend_from_slice(k);
                // WEIGHTS takes one weight per key.
                let opts: Vec<&str> = match opts.first() {
                    Some(&"WEIGHTS") => std::iter::once("WEIGHTS")
                        .chain(opts[1..].iter().copied().take(n))
                        .chain(opts.iter().copied().skip(5))
                        .collect(),
                    _ => opts.to_vec(),
                };
                argv.extend_from_slice(&opts);
                d.check(0, &argv);
                let mut store = vec![name.to_owned() + "STORE", "dst".to_owned()];
                store.extend(argv[1..].iter().map(|a| a.to_string()));
                store.retain(|a| a != "WITHSCORES");
                d.check(0, &store);
                d.check(0, &["ZRANGE", "dst", "0", "-1", "WITHSCORES"]);
                d.check_zset_encoding(b"dst");
            }
        }
        d.check(0, &[name, "2", "s1", "s2", "WITHSCORES", "WITHSCORES"]);
    }
    // Errors: numkeys first, then the keys' types, then the options.
    d.lines(
        0,
        "ZUNION 0 s1\nZUNION -1 s1\nZUNION x s1\nZUNION 3 s1 s2\nZUNION 1 str\nZUNION 2 s1 str FOO\n\
         ZUNION 1 s1 WEIGHTS\nZUNION 1 s1 WEIGHTS x\nZUNION 2 s1 s2 WEIGHTS 1\nZUNION 1 s1 WEIGHTS nan\n\
         ZUNION 1 s1 AGGREGATE\nZUNION 1 s1 AGGREGATE AVG\nZUNION 1 s1 FOO\nZDIFF 1 s1 WEIGHTS 1\n\
         ZDIFF 1 s1 AGGREGATE SUM\nZUNIONSTORE dst 0 s1\nZUNIONSTORE dst 1 s1 WITHSCORES\n\
         ZINTERSTORE dst 1 str\nZDIFFSTORE dst 1 hash\nZINTER 2 s1 hash\nZUNION 1 s1 WEIGHTS 1 WEIGHTS 2\n\
         ZINTER 1 s1 AGGREGATE sum AGGREGATE min WITHSCORES",
    );
    // ZINTERCARD.
    d.lines(
        0,
        "ZINTERCARD 1 s1\nZINTERCARD 3 s1 s2 s3\nZINTERCARD 2 big big\nZINTERCARD 2 big big LIMIT 5\n\
         ZINTERCARD 2 big big LIMIT 0\nZINTERCARD 2 big big LIMIT -1\nZINTERCARD 2 big big LIMIT x\n\
         ZINTERCARD 2 big big LIMIT\nZINTERCARD 0 s1\nZINTERCARD 1 s1 WITHSCORES\nZINTERCARD 1 str\n\
         ZINTERCARD 2 s1 nokey\nZINTERCARD 1 s1 WEIGHTS 1\nZINTERCARD 3 s1 s2",
    );
    // Stores replace the destination whatever it held and drop its TTL; empty results delete it.
    d.lines(
        0,
        "SET dst x EX 100\nZUNIONSTORE dst 1 s1\nTTL dst\nZINTERSTORE dst 2 s1 nokey\nEXISTS dst\n\
         ZDIFFSTORE s1 2 s1 s2\nZRANGE s1 0 -1 WITHSCORES",
    );
}

/// NaN on the way: `0 × inf` and `inf + -inf`. ZUNION clears every weighted score of NaN, ZINTER
/// only the first input's — the others reach SUM (NaN becomes 0) or MIN/MAX (NaN changes nothing)
/// as they are.
#[test]
fn weighted_scores_that_are_not_a_number() {
    let mut d = Duo::new();
    d.lines(
        0,
        "ZADD p 0 zero inf pinf -inf ninf 1 one\nZADD q 0 zero inf pinf -inf ninf 1 one",
    );
    for (w1, w2) in [
        ("-inf", "-0"),
        ("inf", "0"),
        ("0", "inf"),
        ("1", "-inf"),
        ("-1", "1"),
    ] {
        for agg in ["SUM", "MIN", "MAX"] {
            for name in ["ZINTER", "ZUNION"] {
                for keys in [["p", "p"], ["p", "q"]] {
                    d.check(
                        0,
                        &[
                            name,
                            "2",
                            keys[0],
                            keys[1],
                            "WEIGHTS",
                            w1,
                            w2,
                            "AGGREGATE",
                            agg,
                            "WITHSCORES",
                        ],
                    );
                }
            }
        }
    }
}

/// Sets as inputs of ZUNION, ZINTER, ZDIFF and ZINTERCARD: each member scores 1 (times its weight).
#[test]
fn sets_take_part_with_score_one() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SADD ints 1 2 3 10\nSADD words a b 1\nZADD z 5 a 0.5 1 -2 2 7 c\nSET str x",
    );
    for keys in [
        &["2", "ints", "z"][..],
        &["2", "z", "words"],
        &["3", "words", "ints", "z"],
        &["1", "ints"],
        &["2", "ints", "ints"],
    ] {
        for name in ["ZUNION", "ZINTER", "ZDIFF"] {
            let mut argv = vec![name];
            argv.extend_from_slice(keys);
            argv.push("WITHSCORES");
            d.check(0, &argv);
            let mut store = vec![format!("{name}STORE"), "dst".to_owned()];
            store.extend(keys.iter().map(|k| k.to_string()));
            d.check(0, &store);
            d.check(0, &["ZRANGE", "dst", "0", "-1", "WITHSCORES"]);
            d.check_zset_encoding(b"dst");
        }
        let mut argv = vec!["ZINTERCARD"];
        argv.extend_from_slice(keys);
        d.check(0, &argv);
    }
    d.lines(
        0,
        "ZUNION 2 ints z WEIGHTS 2 3 AGGREGATE MAX WITHSCORES\nZUNION 2 ints str\nZRANGESTORE dst ints 0 -1\n\
         ZRANGE ints 0 -1\nZPOPMIN ints\nZMPOP 1 ints MIN\nZCOUNT ints 0 1\nZMSCORE ints 1",
    );
}

/// ZRANDMEMBER: Redis draws at random, so what is compared is what is certain (see
/// `Mode::RandomFields`): errors, nil, the number of members, that they are the set's (with their
/// scores), distinct for a positive count, the whole set when the count covers it.
#[test]
fn zrandmember() {
    let mut d = Duo::new();
    fixtures(&mut d);
    for key in ["small", "big", "long", "nokey", "str"] {
        for count in [
            "", "0", "1", "2", "-1", "-5", "7", "8", "100", "-300", "129", "131",
        ] {
            let mut argv = vec!["ZRANDMEMBER", key];
            if !count.is_empty() {
                argv.push(count);
            }
            d.check(0, &argv);
            if !count.is_empty() {
                argv.push("WITHSCORES");
                d.check(0, &argv);
            }
        }
    }
    d.lines(
        0,
        "ZRANDMEMBER small x\nZRANDMEMBER small 1 FOO\nZRANDMEMBER small 1 WITHSCORES x\n\
         ZRANDMEMBER small -9223372036854775808\nZRANDMEMBER small 9223372036854775807 WITHSCORES\n\
         ZRANDMEMBER small -4611686018427387904 WITHSCORES\nZRANDMEMBER str x\nZRANDMEMBER str 1 FOO\n\
         ZRANDMEMBER nokey x\nZRANDMEMBER small 1.5",
    );
}

/// ZSCAN: a listpack comes whole, its scores as the listpack holds them (an integral score as an
/// integer); a skip list a page at a time, compared loosely (Redis' buckets follow a random
/// seed), and a whole walk must cover the set.
#[test]
fn zscan() {
    let mut d = Duo::new();
    fixtures(&mut d);
    d.lines(
        0,
        "ZADD ints 1e17 big 4611686018427387904 edge 4611686018427387903 below -0 nz 1.5 f 1e300 huge",
    );
    for key in ["small", "ints", "long", "nokey", "str"] {
        for options in [
            &[][..],
            &["COUNT", "1"],
            &["MATCH", "*a*"],
            &["MATCH", "z*", "COUNT", "100"],
        ] {
            let mut argv = vec!["ZSCAN", key, "0"];
            argv.extend_from_slice(options);
            d.check(0, &argv);
        }
    }
    d.lines(
        0,
        "ZSCAN small x\nZSCAN small -1\nZSCAN small 0 COUNT 0\nZSCAN small 0 COUNT x\nZSCAN small 0 FOO\n\
         ZSCAN small 0 COUNT\nZSCAN small 0 TYPE zset\nZSCAN nokey 0 FOO\nZSCAN str x\nZSCAN str 0 FOO\n\
         ZSCAN small 18446744073709551616\nZSCAN small \"\"",
    );
    // A skip list walked to the end: every member once or more, each page of its own elements.
    for count in ["1", "7", "1000"] {
        let mut cursor = "0".to_owned();
        loop {
            let reply = d.check(0, &["ZSCAN", "big", &cursor, "COUNT", count]);
            let Some(support::Resp::Array(Some(parts))) = support::Resp::parse(&reply) else {
                panic!("ZSCAN answers an array");
            };
            let Some(support::Resp::Bulk(Some(next))) = parts.first() else {
                panic!("ZSCAN answers a cursor");
            };
            cursor = String::from_utf8_lossy(next).into_owned();
            if cursor == "0" {
                break;
            }
        }
    }
}
