//! A connection to the room's shared Redis: the incr-lab engine on its own thread, or a real
//! Redis over TCP (`--redis`). Each student holds links of their own, so MULTI/WATCH are theirs.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::engine::{ClientId, Engine, Limits, Reply};
use crate::wall_clock::wall_clock_ms;

/// Jobs that may wait for the engine thread at once. Each connection waits for its own reply
/// before it sends the next, so a full room (1,000 students, two links each) never fills it.
const ENGINE_QUEUE: usize = 4096;

/// How often the engine thread runs the active expiry cycle (Redis' `hz 10`).
const CRON: Duration = Duration::from_millis(100);

/// The engine's memory guard in a classroom: students share one engine on the teacher's laptop,
/// so writes answer OOM past this (the rate and frame limits make it a long way).
const ENGINE_LIMITS: Limits = Limits {
    max_keys: Some(200_000),
    max_bytes: Some(256 << 20),
};

/// The deepest reply nesting read from a real Redis (EXEC inside arrays is two).
const MAX_DEPTH: usize = 32;

/// The biggest reply accepted from a real Redis; a bigger one closes that link.
const MAX_REPLY: usize = 16 << 20;

/// What runs the room's commands.
#[derive(Clone, Debug)]
pub enum Backend {
    /// The incr-lab engine, owned by one thread.
    Engine(EngineHandle),
    /// A real Redis at this address (`host:port`).
    Redis(String),
}

impl Backend {
    /// The backend as the welcome message names it.
    pub fn describe(&self) -> String {
        match self {
            Backend::Engine(_) => "the incr-lab engine".to_owned(),
            Backend::Redis(addr) => format!("Redis at {addr}"),
        }
    }

    /// A new client of the shared Redis (connected on first use).
    pub fn link(&self) -> Link {
        match self {
            Backend::Engine(handle) => Link(Inner::Engine {
                jobs: handle.jobs.clone(),
                client: handle.next_client.fetch_add(1, Ordering::Relaxed),
            }),
            Backend::Redis(addr) => Link(Inner::Redis {
                addr: addr.clone(),
                conn: None,
            }),
        }
    }
}

/// Work for the engine thread.
#[derive(Debug)]
enum Job {
    Exec {
        client: ClientId,
        argv: Vec<Vec<u8>>,
        reply: oneshot::Sender<Reply>,
    },
    Disconnect(ClientId),
}

/// The way to the engine thread; the thread ends when the last handle (and link) is dropped.
#[derive(Clone, Debug)]
pub struct EngineHandle {
    jobs: SyncSender<Job>,
    next_client: Arc<AtomicU64>,
}

impl EngineHandle {
    /// Starts the engine's thread: the room's one engine, single-threaded as Redis is. Every
    /// command of every student runs there, one at a time, in the order they arrive.
    pub fn spawn() -> io::Result<EngineHandle> {
        let (jobs, queue) = std::sync::mpsc::sync_channel(ENGINE_QUEUE);
        std::thread::Builder::new()
            .name("classroom-engine".to_owned())
            .spawn(move || engine_thread(queue))?;
        Ok(EngineHandle {
            jobs,
            next_client: Arc::new(AtomicU64::new(1)),
        })
    }
}

fn engine_thread(queue: Receiver<Job>) {
    let mut engine = Engine::with_limits(wall_clock_ms(), ENGINE_LIMITS);
    let mut next_cron = Instant::now() + CRON;
    loop {
        let job = queue.recv_timeout(next_cron.saturating_duration_since(Instant::now()));
        match job {
            Ok(Job::Exec {
                client,
                argv,
                reply,
            }) => {
                engine.set_now_ms(wall_clock_ms());
                // The asker may be gone (a closed tab): its reply is dropped.
                let _ = reply.send(engine.execute(client, &argv));
            }
            Ok(Job::Disconnect(client)) => engine.disconnect(client),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if Instant::now() >= next_cron {
            engine.set_now_ms(wall_clock_ms());
            engine.active_expire_cycle();
            next_cron = Instant::now() + CRON;
        }
    }
}

/// One client of the shared Redis.
#[derive(Debug)]
pub struct Link(Inner);

#[derive(Debug)]
enum Inner {
    /// A client of the engine thread: its queue and this client's id in the engine.
    Engine {
        jobs: SyncSender<Job>,
        client: ClientId,
    },
    /// A TCP connection to a real Redis (`host:port`), opened on first use and again after a
    /// failure, with the bytes read from it.
    Redis {
        addr: String,
        conn: Option<(TcpStream, Vec<u8>)>,
    },
}

impl Link {
    /// Runs one command and returns its reply; `Err` says in words why there is none.
    pub async fn call<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> Result<Reply, String> {
        match &mut self.0 {
            Inner::Engine { jobs, client } => {
                let (reply, answer) = oneshot::channel();
                let job = Job::Exec {
                    client: *client,
                    argv: argv.iter().map(|a| a.as_ref().to_vec()).collect(),
                    reply,
                };
                match jobs.try_send(job) {
                    Ok(()) => {}
                    Err(TrySendError::Full(_)) => {
                        return Err("the room is busy: try again in a moment".to_owned())
                    }
                    Err(TrySendError::Disconnected(_)) => {
                        return Err("the room's engine has stopped".to_owned())
                    }
                }
                answer
                    .await
                    .map_err(|_| "the room's engine has stopped".to_owned())
            }
            Inner::Redis { addr, conn } => {
                let result = redis_call(addr, conn, argv).await;
                if result.is_err() {
                    // Next call connects afresh (a real Redis restarted, a timeout).
                    *conn = None;
                }
                result.map_err(|e| format!("Redis at {addr}: {e}"))
            }
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        if let Inner::Engine { jobs, client } = &self.0 {
            // Its WATCH/MULTI state goes with it. A full queue leaves a few bytes behind.
            let _ = jobs.try_send(Job::Disconnect(*client));
        }
    }
}

/// How long a real Redis may take to answer before the link gives up.
const REDIS_TIMEOUT: Duration = Duration::from_secs(5);

async fn redis_call<A: AsRef<[u8]>>(
    addr: &str,
    conn: &mut Option<(TcpStream, Vec<u8>)>,
    argv: &[A],
) -> io::Result<Reply> {
    let timed = |e: tokio::time::error::Elapsed| io::Error::new(io::ErrorKind::TimedOut, e);
    if conn.is_none() {
        let stream = tokio::time::timeout(REDIS_TIMEOUT, TcpStream::connect(addr))
            .await
            .map_err(timed)??;
        stream.set_nodelay(true)?;
        *conn = Some((stream, Vec::new()));
    }
    let Some((stream, buf)) = conn.as_mut() else {
        return Err(io::Error::other("not connected"));
    };
    stream.write_all(&encode_command(argv)).await?;
    tokio::time::timeout(REDIS_TIMEOUT, async {
        loop {
            if let Some((reply, used)) = parse_reply(buf, 0)? {
                buf.drain(..used);
                return Ok(reply);
            }
            if buf.len() > MAX_REPLY {
                return Err(io::Error::other("reply too big"));
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed",
                ));
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .map_err(timed)?
}

/// A command as RESP: an array of bulk strings.
pub fn encode_command<A: AsRef<[u8]>>(argv: &[A]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", argv.len()).into_bytes();
    for arg in argv {
        let arg = arg.as_ref();
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Reads one RESP2 reply from the front of `buf`: the reply and the bytes it took, `None` while
/// it is incomplete.
pub fn parse_reply(buf: &[u8], depth: usize) -> io::Result<Option<(Reply, usize)>> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    if depth > MAX_DEPTH {
        return Err(bad("reply nested too deep"));
    }
    let Some(end) = buf.windows(2).position(|w| w == b"\r\n") else {
        return Ok(None);
    };
    let Some((&kind, line)) = buf[..end].split_first() else {
        return Err(bad("empty reply line"));
    };
    let after = end + 2;
    let number = || -> io::Result<i64> {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad number in reply"))
    };
    Ok(match kind {
        b'+' => Some((
            Reply::Status(String::from_utf8_lossy(line).into_owned().into()),
            after,
        )),
        b'-' => Some((Reply::Error(line.to_vec()), after)),
        b':' => Some((Reply::Integer(number()?), after)),
        b'$' => match number()? {
            -1 => Some((Reply::Nil, after)),
            len if len < 0 => return Err(bad("bad bulk length")),
            len => {
                let len = usize::try_from(len).map_err(|_| bad("bad bulk length"))?;
                if len > MAX_REPLY {
                    return Err(bad("reply too big"));
                }
                if buf.len() < after + len + 2 {
                    None
                } else {
                    Some((
                        Reply::Bulk(buf[after..after + len].to_vec()),
                        after + len + 2,
                    ))
                }
            }
        },
        b'*' => match number()? {
            -1 => Some((Reply::NilArray, after)),
            len if len < 0 => return Err(bad("bad array length")),
            len => {
                let mut items = Vec::new();
                let mut at = after;
                for _ in 0..len {
                    match parse_reply(&buf[at..], depth + 1)? {
                        Some((item, used)) => {
                            items.push(item);
                            at += used;
                        }
                        None => return Ok(None),
                    }
                }
                Some((Reply::Array(items), at))
            }
        },
        _ => return Err(bad("unexpected reply type")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_replies_and_waits_for_the_rest() {
        let whole = b"*3\r\n:1\r\n$2\r\nhi\r\n*-1\r\n+OK\r\n";
        let (reply, used) = parse_reply(whole, 0).unwrap().unwrap();
        assert_eq!(
            reply,
            Reply::Array(vec![Reply::Integer(1), Reply::bulk("hi"), Reply::NilArray])
        );
        assert_eq!(&whole[used..], b"+OK\r\n");
        for cut in 0..used {
            assert!(parse_reply(&whole[..cut], 0).unwrap().is_none(), "{cut}");
        }
        assert!(parse_reply(b"?x\r\n", 0).is_err());
        assert!(parse_reply(b"$-5\r\n", 0).is_err());
    }
}
