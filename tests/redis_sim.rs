//! `redis-sim` prints exactly what `redis-cli --no-raw` prints for the same input against a real
//! redis-server: every `tests/cli/*.txt` file, and a few inputs with bytes a text file would hide —
//! and `redis-sim -3` what `redis-cli -3 --no-raw` prints (replies as they arrive over RESP3).

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::{Protocol, RedisServer};

const REDIS_SIM: &str = env!("CARGO_BIN_EXE_redis-sim");

/// Runs `program args` with `input` on standard input; returns its output.
fn run(mut command: Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("wait for the child");
    // A program may stop reading early (`quit`): a broken pipe here is fine.
    let _ = writer.join();
    output
}

fn redis_sim(input: &[u8]) -> Output {
    redis_sim_in(input, Protocol::Resp2)
}

/// `redis-sim`, or `redis-sim -3` for RESP3.
fn redis_sim_in(input: &[u8], protocol: Protocol) -> Output {
    let mut command = Command::new(REDIS_SIM);
    if protocol == Protocol::Resp3 {
        command.arg("-3");
    }
    run(command, input)
}

/// `redis-cli --no-raw`, with `-3` for RESP3.
fn redis_cli(server: &RedisServer, input: &[u8], protocol: Protocol) -> Output {
    let mut command = Command::new("redis-cli");
    command.args([
        "-h",
        "127.0.0.1",
        "-p",
        &server.port().to_string(),
        "--no-raw",
    ]);
    if protocol == Protocol::Resp3 {
        command.arg("-3");
    }
    run(command, input)
}

/// Bytes as readable text: printable ASCII as is, the rest escaped.
fn visible(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string().replace("\\n", "\\n\n")
}

/// Compares both programs on one input in one protocol; returns a description of the difference,
/// if any.
fn compare(server: &RedisServer, name: &str, input: &[u8], protocol: Protocol) -> Option<String> {
    assert_eq!(server.connect().call(&["FLUSHALL"]), b"+OK\r\n");
    let expected = redis_cli(server, input, protocol);
    let actual = redis_sim_in(input, protocol);
    let name = format!("{name} ({protocol:?})");
    assert!(
        expected.status.success() && expected.stderr.is_empty(),
        "redis-cli failed on {name}: {}",
        String::from_utf8_lossy(&expected.stderr)
    );
    assert!(
        !expected.stdout.is_empty(),
        "redis-cli printed nothing for {name}"
    );
    let (expected, actual) = (
        Output {
            stdout: without_timings(&expected.stdout),
            ..expected
        },
        Output {
            stdout: without_timings(&actual.stdout),
            ..actual
        },
    );
    if actual.stdout == expected.stdout && actual.status.success() && actual.stderr.is_empty() {
        return None;
    }
    let expected_lines: Vec<&[u8]> = expected.stdout.split(|&b| b == b'\n').collect();
    let actual_lines: Vec<&[u8]> = actual.stdout.split(|&b| b == b'\n').collect();
    let first = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(e, a)| e != a)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    Some(format!(
        "== {name}: first difference at output line {}\n\
         redis-cli: {:?}\nredis-sim: {:?}\n\
         -- redis-sim exit {:?}, stderr: {}\n\
         -- input:\n{}\n-- redis-cli printed:\n{}\n-- redis-sim printed:\n{}",
        first + 1,
        expected_lines.get(first).map(|l| visible(l)),
        actual_lines.get(first).map(|l| visible(l)),
        actual.status.code(),
        String::from_utf8_lossy(&actual.stderr),
        visible(input),
        visible(&expected.stdout),
        visible(&actual.stdout),
    ))
}

/// Output without the `(0.52s)` lines redis-cli (and redis-sim) add after a command that took
/// half a second or more: on a loaded machine they come and go.
fn without_timings(stdout: &[u8]) -> Vec<u8> {
    let is_timing = |line: &[u8]| {
        line.strip_prefix(b"(")
            .and_then(|l| l.strip_suffix(b"s)"))
            .and_then(|l| std::str::from_utf8(l).ok())
            .is_some_and(|t| t.contains('.') && t.parse::<f64>().is_ok())
    };
    let mut out = Vec::new();
    for line in stdout.split_inclusive(|&b| b == b'\n') {
        if !is_timing(line.strip_suffix(b"\n").unwrap_or(line)) {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Seeded random lines glued from fragments that stress quoting, repeat prefixes and the engine
/// (no HELP: its text is ours; no KEYS: Redis' order is random).
fn random_lines(seed: u64, count: usize) -> Vec<u8> {
    const FRAGMENTS: &[&[u8]] = &[
        b"\"",
        b"'",
        b"\\",
        b"x",
        b"4",
        b"fF",
        b"g",
        b" ",
        b"\t",
        b"\r",
        b"\x0b",
        b"\0",
        b"\xff",
        b"\xc3\xa9",
        b"\\x",
        b"\\'",
        b"\\n",
        b"INCR ",
        b"SET ",
        b"GET ",
        b"HSET ",
        b"EXPIRE ",
        b"MULTI",
        b"EXEC",
        b"WATCH ",
        b":",
        b":set ",
        b" DEL ",
        b"ECHO ",
        b"HGETALL ",
        b"3 ",
        b"0 ",
        b"-1 ",
        b"+2 ",
        b"k ",
        b"f ",
        b"EX ",
        b"NX ",
        b"1 ",
        b"10 ",
        b"h ",
        b"DISCARD",
        b"TTL ",
        b"ZADD ",
        b"ZRANGE ",
        b"0.1 ",
        b"INCRBYFLOAT ",
        b"WITHSCORES ",
        b"-inf ",
        b"PING ",
    ];
    let mut rng = incr_lab::simulation::rng::Rng::new(seed);
    let mut next = move || rng.next_u64();
    let mut input = Vec::new();
    for _ in 0..count {
        for _ in 0..1 + next() % 8 {
            let pick = (next() % FRAGMENTS.len() as u64) as usize;
            input.extend_from_slice(FRAGMENTS[pick]);
        }
        input.push(b'\n');
    }
    input
}

/// `redis-cli --version`, for failure messages.
fn redis_cli_version() -> String {
    match Command::new("redis-cli").arg("--version").output() {
        Ok(out) => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        Err(e) => format!("redis-cli --version failed: {e}"),
    }
}

fn command_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn redis_sim_prints_what_redis_cli_prints() {
    let server = RedisServer::start();
    let mut cases: Vec<(String, Vec<u8>)> = command_files()
        .into_iter()
        .map(|path| {
            let input = std::fs::read(&path).expect("read command file");
            (path.display().to_string(), input)
        })
        .collect();
    assert!(cases.len() >= 5, "the command files are missing");
    let inline: [(&str, &[u8]); 6] = [
        ("CRLF line ends", b"SET k \"v\"\r\nGET k\r\nECHO a\r\n"),
        ("no final newline", b"PING\nECHO last"),
        (
            "NUL ends a line",
            b"ECHO a\0 b c\nECHO \"q\0z\"\n\"fo\0o\" x\nPING\n",
        ),
        (
            "vertical tab and form feed",
            b"ECHO a\x0bb\nECHO a\x0cb\n\x0b\x0cECHO\x0b x\nECHO \"a\x0bb\"\x0b\n\x0b\n",
        ),
        (
            "high bytes",
            b"ECHO \x80\xff\n\"\xffx\" y\nSET \xc3\xa9 \"\\xe9\"\nGET \xc3\xa9\n",
        ),
        ("only blank lines", b"\n \n\t\r\nPING\n"),
    ];
    for seed in 1..=3 {
        let input = random_lines(seed, 2000);
        if let Some(dir) = std::env::var_os("REDIS_SIM_DUMP") {
            // For a look at what the generator makes: REDIS_SIM_DUMP=/tmp cargo test --test redis_sim
            let _ = std::fs::write(Path::new(&dir).join(format!("random-{seed}.txt")), &input);
        }
        cases.push((format!("random lines, seed {seed}"), input));
    }
    cases.extend(
        inline
            .iter()
            .map(|(name, input)| (name.to_string(), input.to_vec())),
    );
    let failures: Vec<String> = [Protocol::Resp2, Protocol::Resp3]
        .into_iter()
        .flat_map(|protocol| cases.iter().map(move |case| (protocol, case)))
        .filter_map(|(protocol, (name, input))| compare(&server, name, input, protocol))
        .collect();
    assert!(
        failures.is_empty(),
        "redis-sim differs from redis-cli --no-raw ({}):\n\n{}",
        redis_cli_version(),
        failures.join("\n\n")
    );
}

#[test]
fn help_is_answered_locally() {
    let out = redis_sim(b"HELP INCR\nhelp\n");
    let text = String::from_utf8(out.stdout).expect("help is text");
    assert!(text.starts_with("  INCR key\n  summary: "), "{text}");
    assert!(text.contains("\nStrings and counters\n"), "{text}");
}

#[test]
fn command_line() {
    let help = Command::new(REDIS_SIM)
        .arg("--help")
        .output()
        .expect("run redis-sim");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("redis-sim serve [--port N]"));
    let bad = Command::new(REDIS_SIM)
        .arg("--bogus")
        .output()
        .expect("run redis-sim");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown argument '--bogus'"));
}

/// Piped, redis-sim has no memory guard (the browser's engine has one), as redis-server without
/// maxmemory: past the guard's 100,000 keys writes still succeed. (redis-cli against Redis prints
/// the same; comparing 100,000 round trips through it would take seconds.)
#[test]
fn no_memory_guard_when_piped() {
    let keys = 100_010;
    let mut input = String::new();
    for n in 0..keys {
        input.push_str(&format!("SET k{n} v\n"));
    }
    input.push_str("DBSIZE\n");
    let output = redis_sim(input.as_bytes());
    // A SET that took half a second on a loaded machine is followed by its `(0.52s)` line, as
    // redis-cli --no-raw prints it: not a refusal.
    let stdout = without_timings(&output.stdout);
    let expected = "OK\n".repeat(keys) + &format!("(integer) {keys}\n");
    assert!(
        stdout == expected.as_bytes(),
        "redis-sim refused writes: {:?}",
        String::from_utf8_lossy(&stdout)
            .lines()
            .find(|line| *line != "OK")
    );
}
