//! Manual cross-check of `engine::number` against a real Redis 7.0 server:
//! `cargo test --test number_vs_redis -- --ignored --nocapture`.
//!
//! Starts its own `redis-server` on a free loopback port and compares INCRBYFLOAT replies
//! (long double sums printed by `ld2string`), ZADD/ZSCORE (`getDoubleFromObject` + `%.17g`) and
//! ZCOUNT bounds (`zslParseRange`) with what our functions predict. Ignored by default because the
//! engine's own differential suite owns the server in CI; it fails (never skips) when run without
//! `redis-server`.

use incr_lab::engine::number::{format_f64, parse_f64, parse_f64_range, parse_i64, LongDouble};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, PartialEq)]
enum Reply {
    Status(String),
    Error(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Vec<Reply>),
}

struct Server {
    child: Child,
    conn: BufReader<TcpStream>,
}

impl Server {
    fn start() -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server must be installed for this cross-check");
        let deadline = Instant::now() + Duration::from_secs(10);
        let stream = loop {
            match TcpStream::connect(("127.0.0.1", port)) {
                Ok(s) => break s,
                Err(e) if Instant::now() > deadline => panic!("redis-server did not start: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        Server {
            child,
            conn: BufReader::new(stream),
        }
    }

    fn call(&mut self, args: &[&[u8]]) -> Reply {
        let mut out = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            out.extend_from_slice(a);
            out.extend_from_slice(b"\r\n");
        }
        self.conn.get_mut().write_all(&out).expect("send");
        self.read()
    }

    fn read(&mut self) -> Reply {
        let mut line = Vec::new();
        self.conn.read_until(b'\n', &mut line).expect("reply");
        let text = String::from_utf8_lossy(&line[1..line.len() - 2]).to_string();
        match line[0] {
            b'+' => Reply::Status(text),
            b'-' => Reply::Error(text),
            b':' => Reply::Integer(text.parse().unwrap()),
            b'$' => {
                let len: i64 = text.parse().unwrap();
                if len < 0 {
                    return Reply::Bulk(None);
                }
                let mut body = vec![0; len as usize + 2];
                self.conn.read_exact(&mut body).expect("bulk");
                body.truncate(len as usize);
                Reply::Bulk(Some(body))
            }
            b'*' => {
                let n: usize = text.parse().unwrap();
                Reply::Array((0..n).map(|_| self.read()).collect())
            }
            other => panic!("unexpected reply type {other}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Rng(incr_lab::simulation::rng::Rng);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(incr_lab::simulation::rng::Rng::new(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A number as a user might type it, sometimes malformed.
fn random_number(rng: &mut Rng) -> String {
    let sign = ["", "-", "+", ""][rng.below(4) as usize];
    let body = match rng.below(9) {
        0 => format!("{}", rng.below(1000)),
        1 => format!("{}.{}", rng.below(1000), rng.below(1000)),
        2 => format!("0.{:03}", rng.below(1000)),
        3 => format!("{}e{}", rng.below(100), rng.below(40) as i64 - 20),
        4 => format!(
            "{}.{}e{}",
            rng.below(10),
            rng.below(100000),
            rng.below(700) as i64 - 350
        ),
        5 => format!("0x{:x}p{}", rng.below(1 << 20), rng.below(100) as i64 - 50),
        6 => format!("{}", f64::from_bits(rng.next() >> 2)),
        7 => [
            "inf", "nan", "1e5000", "1e-5000", " 1", "1 ", "", "1e", ".5", "5.",
        ][rng.below(10) as usize]
            .to_string(),
        _ => format!("{}", rng.next() as i64),
    };
    format!("{sign}{body}")
}

#[test]
#[ignore = "manual: needs redis-server; run with --ignored"]
fn numbers_match_a_real_redis() {
    let mut redis = Server::start();
    let mut rng = Rng::new(0x7ed1_5000);
    assert_eq!(
        redis.call(&[b"CONFIG", b"SET", b"zset-max-listpack-entries", b"0"]),
        Reply::Status("OK".into())
    );
    let mut checked = 0;

    // INCRBYFLOAT: long double sums, printed the human way.
    for round in 0..200 {
        let key = format!("f{round}");
        let mut current: Option<LongDouble> = None;
        for _ in 0..25 {
            let incr = random_number(&mut rng);
            let reply = redis.call(&[b"INCRBYFLOAT", key.as_bytes(), incr.as_bytes()]);
            let base = current.unwrap_or(LongDouble::from_i64(0));
            let expected = match LongDouble::parse(incr.as_bytes()) {
                None => Reply::Error("ERR value is not a valid float".into()),
                Some(step) => {
                    let sum = base.add(step);
                    if sum.is_finite() {
                        let text = sum.to_human_string();
                        // What Redis stores is re-read from the text next time.
                        current = LongDouble::parse(text.as_bytes());
                        Reply::Bulk(Some(text.into_bytes()))
                    } else {
                        Reply::Error("ERR increment would produce NaN or Infinity".into())
                    }
                }
            };
            assert_eq!(reply, expected, "INCRBYFLOAT {key} {incr:?}");
            checked += 1;
        }
    }

    // INCRBY: strict integers.
    for round in 0..500 {
        let key = format!("i{round}");
        let incr = random_number(&mut rng);
        let reply = redis.call(&[b"INCRBY", key.as_bytes(), incr.as_bytes()]);
        let expected = match parse_i64(incr.as_bytes()) {
            Some(v) => Reply::Integer(v),
            None => Reply::Error("ERR value is not an integer or out of range".into()),
        };
        assert_eq!(reply, expected, "INCRBY {key} {incr:?}");
        checked += 1;
    }

    // ZADD / ZSCORE: doubles printed with %.17g.
    for round in 0..3000 {
        let member = format!("m{round}");
        let score = random_number(&mut rng);
        let reply = redis.call(&[b"ZADD", b"z", score.as_bytes(), member.as_bytes()]);
        match parse_f64(score.as_bytes()) {
            None => assert_eq!(
                reply,
                Reply::Error("ERR value is not a valid float".into()),
                "ZADD {score:?}"
            ),
            Some(v) => {
                assert_eq!(reply, Reply::Integer(1), "ZADD {score:?}");
                let got = redis.call(&[b"ZSCORE", b"z", member.as_bytes()]);
                let want = Reply::Bulk(Some(format_f64(v).into_bytes()));
                assert_eq!(got, want, "ZSCORE after ZADD {score:?}");
            }
        }
        checked += 1;
    }

    // ZCOUNT bounds: zslParseRange, compared by count over the set built above.
    let scores: Vec<f64> = match redis.call(&[b"ZRANGE", b"z", b"0", b"-1", b"WITHSCORES"]) {
        Reply::Array(items) => items
            .chunks(2)
            .map(|pair| match &pair[1] {
                Reply::Bulk(Some(s)) => parse_f64(s).unwrap(),
                other => panic!("score {other:?}"),
            })
            .collect(),
        other => panic!("ZRANGE {other:?}"),
    };
    for _ in 0..1000 {
        let min = random_number(&mut rng);
        let reply = redis.call(&[b"ZCOUNT", b"z", min.as_bytes(), b"+inf"]);
        let expected = match parse_f64_range(min.as_bytes()) {
            None => Reply::Error("ERR min or max is not a float".into()),
            Some(lo) => Reply::Integer(scores.iter().filter(|&&s| s >= lo).count() as i64),
        };
        assert_eq!(reply, expected, "ZCOUNT z {min:?} +inf");
        checked += 1;
    }
    println!("{checked} replies matched redis-server");
}
