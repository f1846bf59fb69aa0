//! The differential suite for blocking commands: BZPOPMIN, BZPOPMAX and BZMPOP over several
//! connections to a real Redis and to `redis-sim serve`, in RESP2 and RESP3 — a blocked client
//! waits while the others go on, a write from another client or the timeout wakes it, and every
//! reply must be the same bytes, in the same order of wakeups.
//!
//! Commands to a blocked connection are sent without waiting for a reply; its reply is read when
//! the scenario expects it. After a client blocks (or a blocked one goes away), the next command
//! is sent only once both servers say, in `INFO clients`, that the expected number of clients is
//! blocked: both see the same order of events, whatever the machine's load. A timeout that the
//! scenario expects to pass is a second or more, so that a wakeup it expects comes long before.

mod support;

use std::time::Duration;

use support::sim::SimServer;
use support::{show, show_argv, Conn, Protocol, RedisServer};

/// A real Redis and `redis-sim serve`, with the same clients on each.
struct Twin {
    protocol: Protocol,
    redis: RedisServer,
    sim: SimServer,
    clients: Vec<(Conn, Conn)>,
    /// A connection to each that asks how many clients are blocked.
    control: (Conn, Conn),
    /// The clients blocked (sent a blocking command whose reply was not read yet).
    waiting: Vec<usize>,
    history: Vec<String>,
}

impl Twin {
    fn new(protocol: Protocol) -> Twin {
        let redis = RedisServer::start();
        let sim = SimServer::start();
        let control = (redis.connect(), sim.connect());
        Twin {
            protocol,
            redis,
            sim,
            clients: Vec::new(),
            control,
            waiting: Vec::new(),
            history: Vec::new(),
        }
    }

    fn client(&mut self, i: usize) -> &mut (Conn, Conn) {
        while self.clients.len() <= i {
            let pair = (
                self.redis.connect_in(self.protocol),
                self.sim.connect_in(self.protocol),
            );
            self.clients.push(pair);
        }
        &mut self.clients[i]
    }

    /// Sends `argv` from client `i` to both, without reading: a command that blocks. Returns once
    /// both servers have it blocked.
    fn block(&mut self, i: usize, argv: &[&str]) {
        self.history
            .push(format!("[{i}] {} (blocks)", show_argv(argv)));
        let (redis, sim) = self.client(i);
        redis.send(argv);
        sim.send(argv);
        self.waiting.push(i);
        self.settle();
    }

    /// Waits until both servers count as blocked the clients in `waiting`.
    fn settle(&mut self) {
        let want = format!("\r\nblocked_clients:{}\r\n", self.waiting.len());
        for (name, conn) in [
            ("redis", &mut self.control.0),
            ("served", &mut self.control.1),
        ] {
            let mut tries = 0;
            loop {
                let info = conn.call(&["INFO", "clients"]);
                if String::from_utf8_lossy(&info).contains(&want) {
                    break;
                }
                tries += 1;
                assert!(
                    tries < 5_000,
                    "{name} never counted {} blocked clients: {}\n{}",
                    self.waiting.len(),
                    show(&info),
                    self.history.join("\n")
                );
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    /// Reads client `i`'s next reply from both; they must be the same bytes.
    fn read(&mut self, i: usize) -> Vec<u8> {
        let (redis, sim) = self.client(i);
        let (r, s) = (redis.read_reply(), sim.read_reply());
        self.waiting.retain(|&w| w != i);
        self.history.push(format!("[{i}] -> {}", show(&r)));
        if r != s {
            panic!(
                "{:?}: {}\nmismatch on client {i}:\n  redis: {}\n  served: {}",
                self.protocol,
                self.history.join("\n"),
                show(&r),
                show(&s)
            );
        }
        r
    }

    /// Sends and reads.
    fn call(&mut self, i: usize, argv: &[&str]) -> Vec<u8> {
        self.history.push(format!("[{i}] {}", show_argv(argv)));
        let (redis, sim) = self.client(i);
        redis.send(argv);
        sim.send(argv);
        self.read(i)
    }

    /// Runs `line` (words split at spaces) from client `i`.
    fn line(&mut self, i: usize, line: &str) -> Vec<u8> {
        let argv: Vec<&str> = line.split(' ').collect();
        self.call(i, &argv)
    }
}

/// Each scenario in both protocols.
fn both(scenario: fn(&mut Twin)) {
    for protocol in [Protocol::Resp2, Protocol::Resp3] {
        scenario(&mut Twin::new(protocol));
    }
}

#[test]
fn a_write_from_another_client_wakes_the_first_blocked() {
    both(|t| {
        t.block(0, &["BZPOPMIN", "q", "5"]);
        t.block(1, &["BZPOPMAX", "q", "other", "5"]);
        t.line(2, "ZADD q 1 job");
        t.read(0);
        t.line(2, "ZADD other 3 x 4 y");
        t.read(1);
        t.line(2, "ZRANGE other 0 -1 WITHSCORES");
        // Three clients, two members: first come, first served; the third times out.
        t.block(0, &["BZPOPMIN", "q", "5"]);
        t.block(1, &["BZPOPMIN", "q", "5"]);
        t.block(3, &["BZPOPMIN", "q", "1"]);
        t.line(2, "ZADD q 1 a 2 b");
        t.read(0);
        t.read(1);
        t.read(3);
        t.line(2, "EXISTS q");
    });
}

#[test]
fn bzmpop_takes_its_count_and_later_clients_the_rest() {
    both(|t| {
        t.block(0, &["BZMPOP", "5", "2", "a", "b", "MAX", "COUNT", "2"]);
        t.block(1, &["BZMPOP", "5", "1", "b", "MIN"]);
        t.block(3, &["BZPOPMIN", "b", "5"]);
        t.line(2, "ZADD b 1 one 2 two 3 three 4 four");
        t.read(0);
        t.read(1);
        t.read(3);
        t.line(2, "ZRANGE b 0 -1 WITHSCORES");
        t.block(0, &["BZMPOP", "1", "1", "b", "MIN", "COUNT", "5"]);
        t.read(0);
    });
}

#[test]
fn only_a_created_sorted_set_wakes_and_after_the_whole_transaction() {
    both(|t| {
        t.block(0, &["BZPOPMIN", "k", "1"]);
        // A string wakes nobody, nor its overwrite by a sorted set.
        t.line(2, "SET k x");
        t.line(2, "ZADD src 1 m 2 n");
        t.line(2, "ZUNIONSTORE k 1 src");
        t.read(0);
        // A sorted set created by a STORE wakes.
        t.line(2, "DEL k");
        t.block(0, &["BZPOPMAX", "k", "5"]);
        t.line(2, "ZUNIONSTORE k 1 src");
        t.read(0);
        // Inside a transaction: served after EXEC, from what the transaction left.
        t.block(0, &["BZPOPMIN", "t", "5"]);
        t.line(2, "MULTI");
        t.line(2, "ZADD t 1 a 2 b");
        t.line(2, "ZREM t a");
        t.line(2, "EXEC");
        t.read(0);
        // Created and deleted inside one transaction: nobody served; the timeout answers.
        t.block(0, &["BZPOPMIN", "u", "1"]);
        t.line(2, "MULTI");
        t.line(2, "ZADD u 1 a");
        t.line(2, "DEL u");
        t.line(2, "EXEC");
        t.read(0);
    });
}

#[test]
fn no_blocking_inside_multi_and_the_timeout_answers_nil() {
    both(|t| {
        t.line(0, "MULTI");
        t.line(0, "BZPOPMIN k 0");
        t.line(0, "BZMPOP 0 1 k MIN");
        t.line(0, "EXEC");
        t.line(0, "BZPOPMAX k 0.1");
        t.line(0, "BZMPOP 0.1 2 k j MIN COUNT 3");
        t.line(0, "ZADD k 1 a 2 b");
        t.line(0, "BZPOPMAX k 0");
        t.line(0, "BZMPOP 0 2 nokey k MIN COUNT 3");
        t.line(0, "SET s x");
        t.line(0, "BZPOPMIN s 0");
        t.line(0, "BZPOPMIN nokey s 0");
        t.line(0, "BZPOPMIN k -1");
        t.line(0, "BZPOPMIN k x");
        t.line(0, "BZPOPMIN k inf");
        t.line(0, "BZMPOP x 1 k MIN");
        t.line(0, "BZMPOP 0 0 k MIN");
        t.line(0, "BZMPOP -1 1 k MID");
        t.line(0, "BZMPOP -1 1 k MIN");
        t.line(0, "BZMPOP 0 1 k MIN COUNT 0");
        // Out of a long double's range (not a float), and beyond i64 once in ms (negative).
        t.line(0, "DEL k");
        t.line(0, "BZPOPMIN k 1e5000");
        t.line(0, "BZPOPMIN k 1e400");
        t.line(0, "BZPOPMIN k 0.0001");
        // Wrapped around, the deadline is negative: Redis' timeout table, ordered as unsigned
        // numbers, puts it after every time, and the client waits until a push wakes it.
        t.block(0, &["BZPOPMIN", "k", "9223372036854775"]);
        t.block(1, &["BZMPOP", "9223372036854775", "1", "k", "MIN"]);
        t.line(2, "ZADD k 1 a 2 b");
        t.read(0);
        t.read(1);
    });
}

#[test]
fn a_blocked_connection_keeps_its_next_commands_waiting() {
    both(|t| {
        // Pipelined after the blocking command: answered only once it is woken.
        let (redis, sim) = t.client(0);
        redis.send(&["ZCARD", "p"]);
        sim.send(&["ZCARD", "p"]);
        t.block(0, &["BZPOPMIN", "p", "5"]);
        let (redis, sim) = t.client(0);
        redis.send(&["ZCARD", "p"]);
        sim.send(&["ZCARD", "p"]);
        t.line(1, "ZADD p 1 a 2 b");
        t.read(0);
        t.read(0);
        t.read(0);
        // A blocked client that disconnects is forgotten.
        t.block(3, &["BZPOPMIN", "gone", "0"]);
        t.clients.truncate(3);
        t.waiting.clear();
        t.settle();
        t.line(1, "ZADD gone 1 x");
        t.line(1, "ZCARD gone");
    });
}
