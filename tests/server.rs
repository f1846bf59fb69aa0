//! `redis-sim serve` over TCP: the protocol layer byte-compared with a real redis-server, abuse
//! (malformed frames, huge announced lengths, a thousand connections, clients vanishing halfway,
//! pipelined bursts), clean shutdown on signals, and the real `redis-cli` / `redis-benchmark`.
//!
//! The command sequences of the differential suite run through the server too (see
//! `support::duo`); this file is about connections.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::sim::SimServer;
use support::{encode_command, show, Conn, RedisServer};

/// Sends `input` on a fresh connection to each server and returns what each answered before
/// closing the connection.
fn both_until_closed(redis: &RedisServer, sim: &SimServer, input: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let run = |mut conn: Conn| {
        // A server may close on a protocol error before reading everything: not a failure here.
        let _ = conn.send_raw(input);
        conn.read_until_closed()
    };
    (run(redis.connect()), run(sim.connect()))
}

/// Requests that end the connection, each answered exactly as Redis 7.0 answers it.
fn closing_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut long_inline = b"SET k ".to_vec();
    long_inline.resize(70_000, b'v');
    let mut long_count = b"*".to_vec();
    long_count.resize(70_000, b'1');
    let mut long_bulk_count = b"*1\r\n$".to_vec();
    long_bulk_count.resize(70_000, b'1');
    vec![
        ("multibulk count not a number", b"*x\r\n".to_vec()),
        ("multibulk count missing", b"*\r\n".to_vec()),
        ("multibulk count past INT_MAX", b"*2147483648\r\n".to_vec()),
        ("a 4 GB bulk", b"*1\r\n$4294967296\r\n".to_vec()),
        ("a negative bulk length", b"*1\r\n$-1\r\n".to_vec()),
        (
            "a bulk past proto-max-bulk-len",
            b"*1\r\n$536870913\r\n".to_vec(),
        ),
        ("no $ where a bulk starts", b"*1\r\nfoo\r\n".to_vec()),
        ("a line end where a bulk starts", b"*1\r\n\r\n".to_vec()),
        (
            "commands before the error are answered",
            b"*1\r\n$4\r\nPING\r\nSET a 1\r\n*1\r\n$x\r\n".to_vec(),
        ),
        (
            "unbalanced quotes inline",
            b"PING\r\nSET k \"open\r\nPING\r\n".to_vec(),
        ),
        ("text after a closing quote", b"ECHO \"a\"b\r\n".to_vec()),
        ("an inline request past 64 KB", long_inline),
        ("a multibulk count line past 64 KB", long_count),
        ("a bulk count line past 64 KB", long_bulk_count),
        (
            "QUIT answers +OK and drops the rest",
            b"PING\r\nQUIT now\r\nPING\r\n".to_vec(),
        ),
        (
            "QUIT inside MULTI",
            b"MULTI\r\nINCR n\r\nQUIT\r\nEXEC\r\n".to_vec(),
        ),
        (
            "inline commands as typed into nc",
            b"SET k \"a b\"\r\nGET k\nINCR n\r\n\r\n   \n*0\r\n*-1\r\nECHO 'it''s'\r\nECHO \"\\x41\\n\"\r\nQUIT\r\n"
                .to_vec(),
        ),
        (
            "a bulk's two trailing bytes are not checked",
            b"*1\r\n$4\r\nPINGxx*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nQUIT\r\n".to_vec(),
        ),
        (
            "CONFIG GET as redis-benchmark asks it",
            b"CONFIG GET save\r\nCONFIG GET appendonly\r\nCONFIG GET\r\nQUIT\r\n"
                .to_vec(),
        ),
    ]
}

#[test]
fn protocol_errors_and_quit_match_redis_byte_for_byte() {
    let redis = RedisServer::start();
    let sim = SimServer::start();
    for (what, input) in closing_inputs() {
        let (theirs, ours) = both_until_closed(&redis, &sim, &input);
        assert_eq!(
            show(&ours),
            show(&theirs),
            "{what}: redis-sim answered differently from redis-server"
        );
        // The server goes on serving everyone else.
        assert_eq!(sim.connect().call(&["PING"]), b"+PONG\r\n", "after: {what}");
    }
    // And nothing was lost: what the well-formed requests wrote is there.
    let mut conn = sim.connect();
    assert_eq!(conn.call(&["GET", "a"]), b"$1\r\n1\r\n");
    assert_eq!(conn.call(&["GET", "k"]), b"$3\r\na b\r\n");
}

/// `bytes` with HELLO's client id (which counts each server's own connections) replaced by `N`.
fn mask_hello_ids(bytes: &[u8]) -> Vec<u8> {
    const ID: &[u8] = b"$2\r\nid\r\n:";
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(ID.len()).position(|w| w == ID) {
        out.extend_from_slice(&rest[..at + ID.len()]);
        out.push(b'N');
        rest = &rest[at + ID.len()..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = &rest[digits..];
    }
    out.extend_from_slice(rest);
    out
}

/// Sessions that switch protocols, each answered exactly as Redis 7.0 answers it (HELLO's client
/// id aside).
fn protocol_sessions() -> Vec<(&'static str, &'static [u8])> {
    vec![
        (
            "RESP3 types after HELLO 3, back to RESP2 after HELLO 2",
            b"HELLO 3\r\nHGETALL nokey\r\nHSET h f v g 1\r\nHGETALL h\r\nZADD z 1.5 m\r\n\
              ZSCORE z m\r\nZSCORE z nom\r\nZADD z INCR 1 m\r\nZADD z NX INCR 1 m\r\n\
              ZRANGE z 0 -1 WITHSCORES\r\nZREVRANGE z 0 -1 WITHSCORES\r\nZRANGE nokey 0 -1 WITHSCORES\r\n\
              ZINCRBY z 0.1 m\r\nZRANK z m\r\nZRANK z nom\r\nGET nokey\r\nCLIENT GETNAME\r\n\
              CONFIG GET save\r\nCONFIG GET nosuch\r\nINCRBYFLOAT fl 1.5\r\nHINCRBYFLOAT h g 0.5\r\n\
              SET k v NX\r\nSET k v GET\r\nGETDEL nokey\r\nKEYS nomatch*\r\nHELLO\r\nHELLO 2\r\n\
              ZSCORE z m\r\nHGETALL nokey\r\nQUIT\r\n",
        ),
        (
            "HELLO 3 queued in MULTI switches the replies after it",
            b"MULTI\r\nSET a 1\r\nGET nokey\r\nHELLO 3\r\nGET nokey\r\nHGETALL nokey\r\n\
              EXEC\r\nGET nokey\r\nMULTI\r\nGET nokey\r\nHELLO 2\r\nGET nokey\r\nEXEC\r\nQUIT\r\n",
        ),
        (
            "a failed WATCH in RESP3 is a null",
            b"HELLO 3\r\nWATCH w\r\nSET w 1\r\nMULTI\r\nGET w\r\nEXEC\r\nQUIT\r\n",
        ),
        (
            "HELLO's errors keep the protocol; AUTH and SETNAME",
            b"HELLO 4\r\nHELLO 1\r\nHELLO x\r\nHELLO 3 AUTH bob pw\r\nGET nokey\r\n\
              HELLO 3 SETNAME\r\nHELLO 3 FOO\r\nGET nokey\r\nHELLO AUTH default pw\r\n\
              HELLO 3 AUTH default anything SETNAME app\r\nCLIENT GETNAME\r\nGET nokey\r\n\
              HELLO 2 SETNAME a\x01b\r\nGET nokey\r\nQUIT\r\n",
        ),
        (
            "scripts' RESP3 types: big numbers, verbatim formats, doubles, booleans",
            b"HELLO 3\r\nEVAL \"return {big_number='123'}\" 0\r\n\
              EVAL \"return {verbatim_string={format='mkd', string='# hi'}}\" 0\r\n\
              EVAL \"return {verbatim_string={format='md', string='x'}}\" 0\r\n\
              EVAL \"return {double=0.1}\" 0\r\nEVAL \"return false\" 0\r\n\
              EVAL \"redis.setresp(3); return redis.call('hgetall', 'nokey')\" 0\r\n\
              EVAL \"redis.setresp(3); return {true, false, redis.call('get', 'nokey')}\" 0\r\n\
              HELLO 2\r\nEVAL \"return {big_number='123'}\" 0\r\nEVAL \"return false\" 0\r\nQUIT\r\n",
        ),
        (
            "errors and protocol errors in RESP3",
            b"HELLO 3\r\nNOSUCH a\r\nINCR h\r\n*1\r\n$x\r\n",
        ),
    ]
}

#[test]
fn protocol_switches_match_redis_byte_for_byte() {
    let redis = RedisServer::start();
    let sim = SimServer::start();
    for (what, input) in protocol_sessions() {
        let (theirs, ours) = both_until_closed(&redis, &sim, input);
        assert_eq!(
            show(&mask_hello_ids(&ours)),
            show(&mask_hello_ids(&theirs)),
            "{what}: redis-sim answered differently from redis-server"
        );
    }
    // INFO is a verbatim string in RESP3 (its fields are this server's own).
    let mut conn = sim.connect();
    conn.switch_to(support::Protocol::Resp3);
    let info = conn.call(&["INFO", "server"]);
    assert!(
        info.starts_with(b"=") && info.windows(14).any(|w| w == b"\r\ntxt:# Server"),
        "{}",
        show(&info)
    );
    let mut real = redis.connect();
    real.switch_to(support::Protocol::Resp3);
    assert!(real.call(&["INFO", "server"]).starts_with(b"="));
}

/// VmSize of this process, in kB (Linux).
fn virtual_memory_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmSize:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmSize in /proc/self/status")
}

#[test]
fn announced_lengths_are_not_allocated() {
    let sim = SimServer::start();
    let mut other = sim.connect();
    assert_eq!(other.call(&["SET", "kept", "yes"]), b"+OK\r\n");
    let before = virtual_memory_kb();
    // 50 clients each announce 2^31-1 arguments of 512 MB and send a few bytes: an eager server
    // would reserve terabytes.
    let mut greedy: Vec<Conn> = (0..50).map(|_| sim.connect()).collect();
    for conn in &mut greedy {
        conn.send_raw(b"*2147483647\r\n$536870912\r\nsome bytes")
            .expect("send a partial frame");
    }
    assert_eq!(other.call(&["GET", "kept"]), b"$3\r\nyes\r\n");
    let grown_kb = virtual_memory_kb().saturating_sub(before);
    assert!(
        grown_kb < 256 * 1024,
        "the address space grew by {grown_kb} kB for 50 half-sent frames"
    );
    // Each holds only its own buffer; when they go away, everyone else is still served.
    drop(greedy);
    assert_eq!(other.call(&["PING"]), b"+PONG\r\n");
    assert_eq!(other.call(&["DBSIZE"]), b":1\r\n");
}

#[test]
fn a_thousand_simultaneous_connections() {
    let sim = SimServer::start();
    let mut conns: Vec<Conn> = (0..1000).map(|_| sim.connect()).collect();
    for conn in &mut conns {
        conn.send(&["INCR", "visitors"]);
    }
    let mut seen: Vec<i64> = conns
        .iter_mut()
        .map(|conn| {
            let reply = conn.read_reply();
            std::str::from_utf8(&reply[1..reply.len() - 2])
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("not an integer reply: {}", show(&reply)))
        })
        .collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        (1..=1000).collect::<Vec<i64>>(),
        "every INCR counted once"
    );
    // Each connection is its own client: a transaction on one is invisible to the others.
    assert_eq!(conns[7].call(&["MULTI"]), b"+OK\r\n");
    assert_eq!(conns[7].call(&["INCR", "visitors"]), b"+QUEUED\r\n");
    assert_eq!(conns[8].call(&["GET", "visitors"]), b"$4\r\n1000\r\n");
    assert_eq!(conns[7].call(&["EXEC"]), b"*1\r\n:1001\r\n");
    drop(conns);
    assert_eq!(sim.connect().call(&["GET", "visitors"]), b"$4\r\n1001\r\n");
}

#[test]
fn a_client_vanishing_mid_transaction_or_mid_frame_leaves_nothing_behind() {
    let sim = SimServer::start();
    let mut b = sim.connect();
    assert_eq!(b.call(&["SET", "k", "before"]), b"+OK\r\n");
    {
        let mut a = sim.connect();
        assert_eq!(a.call(&["WATCH", "k"]), b"+OK\r\n");
        assert_eq!(a.call(&["MULTI"]), b"+OK\r\n");
        assert_eq!(a.call(&["SET", "k", "from a"]), b"+QUEUED\r\n");
        assert_eq!(a.call(&["INCR", "n"]), b"+QUEUED\r\n");
        // Half of a SET, then the connection drops.
        a.send_raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nhalf")
            .expect("send half a frame");
    }
    // Give the server a moment to see the close.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(b.call(&["GET", "k"]), b"$6\r\nbefore\r\n");
    assert_eq!(b.call(&["EXISTS", "n"]), b":0\r\n");
    // The same key can be watched and written by others as usual.
    assert_eq!(b.call(&["WATCH", "k"]), b"+OK\r\n");
    assert_eq!(b.call(&["MULTI"]), b"+OK\r\n");
    assert_eq!(b.call(&["SET", "k", "from b"]), b"+QUEUED\r\n");
    assert_eq!(b.call(&["EXEC"]), b"*1\r\n+OK\r\n");
    assert_eq!(b.call(&["GET", "k"]), b"$6\r\nfrom b\r\n");
}

/// Open file descriptors of this process (Linux).
/// The server's open client connections, as its INFO reports them.
fn connected_clients(client: &mut Conn) -> usize {
    let info = client.call(&["INFO", "clients"]);
    let text = String::from_utf8_lossy(&info);
    text.split("\r\n")
        .find_map(|line| line.strip_prefix("connected_clients:"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no connected_clients in {text:?}"))
}

#[test]
fn clients_that_send_and_hang_up_at_once_are_closed() {
    let sim = SimServer::start();
    let mut other = sim.connect();
    // Counted by the server itself: the test process's descriptors also count other tests'
    // connections, which run at the same time.
    assert_eq!(connected_clients(&mut other), 1);
    // Requests and the close arrive together: the server must notice the close all the same.
    for i in 0..300 {
        let mut stream = sim.stream();
        let _ = match i % 3 {
            0 => stream.write_all(b"MULTI\r\nINCR n\r\n"),
            1 => stream.write_all(b"WATCH k\r\nINCR seen\r\n"),
            _ => stream.write_all(b"*2\r\n$4\r\nINCR\r\n$4\r\nseen"),
        };
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while connected_clients(&mut other) > 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(connected_clients(&mut other), 1, "connections left open");
    // The transactions were dropped, the complete commands ran, the half one did not.
    assert_eq!(other.call(&["EXISTS", "n"]), b":0\r\n");
    assert_eq!(other.call(&["GET", "seen"]), b"$3\r\n100\r\n");
}

#[test]
fn a_slow_client_does_not_hold_up_the_others() {
    let sim = SimServer::start();
    let mut slow = sim.connect();
    let mut fast = sim.connect();
    let frame = encode_command(&["SET", "slow", "finally"]);
    let (head, tail) = frame.split_at(frame.len() / 2);
    slow.send_raw(head).expect("send half a frame");
    for i in 1..=100 {
        assert_eq!(
            fast.call(&["INCR", "fast"]),
            format!(":{i}\r\n").into_bytes()
        );
    }
    for byte in tail {
        slow.send_raw(std::slice::from_ref(byte))
            .expect("send a byte");
    }
    assert_eq!(slow.read_reply(), b"+OK\r\n");
    assert_eq!(fast.call(&["GET", "slow"]), b"$7\r\nfinally\r\n");
}

#[test]
fn pipelined_bursts_are_answered_in_order() {
    const N: usize = 200_000;
    let sim = SimServer::start();
    let stream = sim.stream();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("set a read timeout");
    let mut burst = Vec::with_capacity(N * 24);
    for _ in 0..N {
        burst.extend_from_slice(&encode_command(&["INCR", "burst"]));
    }
    let mut writer = stream.try_clone().expect("clone the stream");
    let sender = std::thread::spawn(move || writer.write_all(&burst));
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    for i in 1..=N {
        line.clear();
        reader.read_until(b'\n', &mut line).expect("read a reply");
        assert_eq!(line, format!(":{i}\r\n").into_bytes(), "reply {i}");
    }
    sender
        .join()
        .expect("the sender thread")
        .expect("send the burst");
    assert_eq!(
        sim.connect().call(&["GET", "burst"]),
        format!("${}\r\n{N}\r\n", N.to_string().len()).into_bytes()
    );
}

#[test]
fn a_client_that_does_not_read_its_replies_is_paused_not_dropped() {
    const GETS: usize = 400;
    let sim = SimServer::start();
    let mut conn = sim.connect();
    let value = vec![b'v'; 100_000];
    assert_eq!(conn.call(&[&b"SET"[..], b"big", &value]), b"+OK\r\n");
    // 40 MB of replies asked for at once, far past what the socket buffers and the server's
    // 4 MiB output pause hold; nothing is read for a while.
    let mut asks = Vec::new();
    for _ in 0..GETS {
        asks.extend_from_slice(&encode_command(&["GET", "big"]));
    }
    conn.send_raw(&asks).expect("send the GETs");
    std::thread::sleep(Duration::from_millis(300));
    let mut other = sim.connect();
    assert_eq!(other.call(&["INCR", "others"]), b":1\r\n");
    let mut expected = format!("${}\r\n", value.len()).into_bytes();
    expected.extend_from_slice(&value);
    expected.extend_from_slice(b"\r\n");
    for i in 0..GETS {
        assert!(conn.read_reply() == expected, "reply {i} differs");
    }
    assert_eq!(conn.call(&["PING"]), b"+PONG\r\n");
}

#[test]
fn keys_expire_even_when_nobody_reads_them() {
    let sim = SimServer::start();
    let mut conn = sim.connect();
    assert_eq!(conn.call(&["SET", "a", "1", "PX", "50"]), b"+OK\r\n");
    assert_eq!(conn.call(&["SET", "b", "1"]), b"+OK\r\n");
    assert_eq!(conn.call(&["DBSIZE"]), b":2\r\n");
    // Active expiry runs every 100 ms; DBSIZE itself expires nothing.
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(conn.call(&["DBSIZE"]), b":1\r\n");
}

/// Runs `redis-sim serve --port 0`, returns the child and the port it printed.
fn spawn_binary() -> (std::process::Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redis-sim"))
        .args(["serve", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run redis-sim serve");
    let stdout = child.stdout.take().expect("its stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read the ready line");
    let port = first
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    (child, port)
}

fn wait_for_exit(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().expect("wait for redis-sim") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("redis-sim serve did not stop within 5 s of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_and_sigint_shut_down_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let (mut child, port) = spawn_binary();
        let mut conn = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        conn.write_all(b"INCR n\r\n").expect("send");
        let mut reply = [0u8; 4];
        conn.read_exact(&mut reply).expect("read the reply");
        assert_eq!(&reply, b":1\r\n");
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        let status = wait_for_exit(&mut child);
        assert!(status.success(), "{signal}: exited with {status}");
        // The open connection was closed by the server.
        let mut rest = Vec::new();
        let _ = conn.read_to_end(&mut rest);
        assert!(rest.is_empty());
    }
}

#[test]
fn real_redis_cli_and_redis_benchmark_work() {
    let sim = SimServer::start();
    let port = sim.port().to_string();
    let cli = Command::new("redis-cli")
        .args(["-p", &port, "INCR", "cli"])
        .output()
        .expect("redis-cli must be installed (scripts/ensure-tools.sh native)");
    assert_eq!(String::from_utf8_lossy(&cli.stdout), "1\n");
    let bench = Command::new("redis-benchmark")
        .args([
            "-p",
            &port,
            "-t",
            "set,get,incr",
            "-n",
            "2000",
            "-P",
            "4",
            "-q",
        ])
        .output()
        .expect("redis-benchmark must be installed (scripts/ensure-tools.sh native)");
    let out = String::from_utf8_lossy(&bench.stdout).replace('\r', "\n");
    let err = String::from_utf8_lossy(&bench.stderr);
    assert!(bench.status.success(), "redis-benchmark failed: {out}{err}");
    for test in ["SET: ", "GET: ", "INCR: "] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(test) && l.contains("requests per second")),
            "no {test} result in: {out}"
        );
    }
    assert!(
        !out.contains("WARNING") && !out.contains("ERROR") && err.is_empty(),
        "redis-benchmark complained: {out}{err}"
    );
    // Its INCRs all landed on the one counter it uses.
    let mut conn = sim.connect();
    assert_eq!(
        conn.call(&["GET", "counter:__rand_int__"]),
        b"$4\r\n2000\r\n"
    );
}
