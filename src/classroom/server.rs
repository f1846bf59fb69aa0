//! `redis-sim classroom`: the built site and one WebSocket endpoint (`/ws`), on the LAN.
//!
//! axum on tokio serves both: tower-http's `ServeDir` the static files (with the `.br`/`.gz`
//! twins a release build holds), axum's WebSocket upgrade the room. Nothing else is served.
//! Each connection is one task; the shared Redis is behind [`Link`]s (the engine's thread, or a
//! TCP connection each to a real Redis), so the engine stays single-threaded while hundreds of
//! phones talk to it. A ticker task reads the counters every [`Options::projector_every`] and
//! publishes the room's figures; each page's task forwards them at its own pace.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream as StdTcpStream, ToSocketAddrs, UdpSocket};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tokio::sync::oneshot;
use tokio::time::MissedTickBehavior;
use tower_http::services::ServeDir;

use super::link::{Backend, EngineHandle};
use super::protocol::{Event, Request, Role, Welcome};
use super::room::{RateLimit, Room, Session};

/// The port `redis-sim classroom` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8000;

/// The address it binds to unless told otherwise: every interface, for phones on the LAN.
pub const DEFAULT_BIND: &str = "0.0.0.0";

/// The WebSocket endpoint's path.
pub const WS_PATH: &str = "/ws";

/// How often the server pings each page (the round-trip histogram's samples).
const PING_EVERY: Duration = Duration::from_secs(2);

/// What one room tolerates from its pages.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Students at once; the next one is told the room is full.
    pub max_students: u64,
    /// The largest message (and frame) a page may send, in bytes.
    pub max_message: usize,
    /// Messages a second each page may send on average…
    pub rate: u32,
    /// …and at once.
    pub burst: u32,
    /// Refused messages in a row after which the connection is closed.
    pub refusals_before_close: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_students: 1000,
            max_message: 4096,
            // A naive tap is two messages; a quick thumb taps about ten times a second.
            rate: 30,
            burst: 60,
            refusals_before_close: 500,
        }
    }
}

/// `redis-sim classroom` options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The address to listen on.
    pub bind: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The built site (`trunk build --release`'s `dist/`).
    pub dist: PathBuf,
    /// A real Redis (`host:port`) to run the room on instead of the engine.
    pub redis: Option<String>,
    /// What pages may send.
    pub limits: Limits,
    /// How often the room's figures are read and pushed to the projector.
    pub projector_every: Duration,
    /// How often students get the figures.
    pub student_every: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: DEFAULT_BIND.to_owned(),
            port: DEFAULT_PORT,
            dist: PathBuf::from("dist"),
            redis: None,
            limits: Limits::default(),
            projector_every: Duration::from_millis(50),
            student_every: Duration::from_secs(1),
        }
    }
}

/// A running classroom server.
pub struct Classroom {
    addr: SocketAddr,
    room: Arc<Room>,
    teacher_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Classroom {
    /// Binds, opens the room and serves on a thread of its own until [`Classroom::stop`].
    pub fn start(options: &Options) -> io::Result<Classroom> {
        Classroom::launch(options, false)
    }

    fn launch(options: &Options, on_signals: bool) -> io::Result<Classroom> {
        if !options.dist.join("index.html").is_file() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no {}/index.html: build the site first (trunk build --release)",
                    options.dist.display()
                ),
            ));
        }
        let bind = (options.bind.as_str(), options.port)
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such address"))?;
        let backend = match &options.redis {
            Some(addr) => {
                check_redis(addr)?;
                Backend::Redis(addr.clone())
            }
            None => Backend::Engine(EngineHandle::spawn()?),
        };
        let listener = std::net::TcpListener::bind(bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let code = room_code();
        let secret = format!("{:016x}{:016x}", random_u64(), random_u64());
        let page = |ip: IpAddr| format!("http://{}/?room={code}", SocketAddr::new(ip, addr.port()));
        let join_url = page(public_ip(addr.ip()));
        let teacher_ip = if addr.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            addr.ip()
        };
        let teacher_url = format!("{}&teacher={secret}", page(teacher_ip));
        let room = Arc::new(Room::new(code, secret, backend, join_url));
        let (stop, stopped) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("classroom")
            .build()?;
        let shared = Arc::new(Shared {
            room: Arc::clone(&room),
            options: options.clone(),
        });
        let thread = std::thread::Builder::new()
            .name("classroom-server".to_owned())
            .spawn(move || {
                let served = runtime.block_on(serve(listener, shared, stopped, on_signals));
                runtime.shutdown_timeout(Duration::from_secs(1));
                served
            })?;
        Ok(Classroom {
            addr,
            room,
            teacher_url,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The room code.
    pub fn code(&self) -> &str {
        &self.room.code
    }

    /// The teacher's secret.
    pub fn secret(&self) -> &str {
        &self.room.secret
    }

    /// The address students open (the LAN address when bound to every interface).
    pub fn join_url(&self) -> &str {
        &self.room.join_url
    }

    /// The projector's address, with the secret.
    pub fn teacher_url(&self) -> &str {
        &self.teacher_url
    }

    /// Stops serving and waits for the server's thread.
    pub fn stop(mut self) -> io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the classroom's thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Classroom {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Runs `redis-sim classroom` until SIGINT or SIGTERM, printing the addresses to open.
pub fn run(options: &Options) -> io::Result<()> {
    let mut classroom = Classroom::launch(options, true)?;
    let backend = classroom.room.backend.describe();
    println!(
        "redis-sim classroom: room {code} on {backend}, serving {dist} on {addr}\n\n  \
         students open   {join}\n  \
         projector       {teacher}\n\n\
         (the projector shows the join address as a QR code; Ctrl-C stops the room)",
        code = classroom.code(),
        dist = options.dist.display(),
        addr = classroom.addr,
        join = classroom.join_url(),
        teacher = classroom.teacher_url(),
    );
    // Until a signal ends the serving thread.
    let result = match classroom.thread.take().map(JoinHandle::join) {
        Some(Ok(result)) => result,
        Some(Err(_)) => Err(io::Error::other("the classroom's thread panicked")),
        None => Ok(()),
    };
    classroom.stop = None;
    println!("redis-sim classroom: closed");
    result
}

/// What every request handler sees.
struct Shared {
    room: Arc<Room>,
    options: Options,
}

async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    stopped: oneshot::Receiver<()>,
    on_signals: bool,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let room = Arc::clone(&shared.room);
    let every = shared.options.projector_every;
    let ticker = tokio::spawn(async move {
        let mut link = room.backend.link();
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            room.refresh(&mut link).await;
        }
    });
    let site = ServeDir::new(&shared.options.dist)
        .precompressed_br()
        .precompressed_gzip();
    let app = Router::new()
        .route(WS_PATH, get(upgrade))
        .fallback_service(site)
        .with_state(shared);
    let stop = async move {
        if on_signals {
            wait_for_signal(stopped).await;
        } else {
            let _ = stopped.await;
        }
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await;
    ticker.abort();
    served
}

async fn wait_for_signal(stopped: oneshot::Receiver<()>) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => {
            let _ = stopped.await;
            return;
        }
    };
    tokio::select! {
        _ = stopped => {}
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// Who the query string says the page is: `room=CODE`, and `teacher=SECRET` for the projector.
fn access(room: &Room, query: Option<&str>) -> Result<Role, String> {
    let (mut code, mut secret) = (None, None);
    for pair in query.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            Some(("room", value)) => code = Some(value),
            Some(("teacher", value)) => secret = Some(value),
            _ => {}
        }
    }
    if code.map(str::to_ascii_uppercase) != Some(room.code.clone()) {
        return Err("no such room: check the code on the projector".to_owned());
    }
    match secret {
        None => Ok(Role::Student),
        Some(secret) if secret == room.secret => Ok(Role::Teacher),
        Some(_) => Err("wrong teacher secret".to_owned()),
    }
}

async fn upgrade(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Response {
    let role = access(&shared.room, query.as_deref());
    let max = shared.options.limits.max_message;
    ws.max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| connection(socket, shared, role))
}

/// Close codes (RFC 6455).
const CLOSE_POLICY: u16 = 1008;
const CLOSE_TOO_BIG: u16 = 1009;

async fn send(socket: &mut WebSocket, event: &Event) -> Result<(), axum::Error> {
    socket.send(Message::Text(event.to_json().into())).await
}

/// Says why, then closes.
async fn refuse(mut socket: WebSocket, code: u16, why: &str) {
    let _ = send(&mut socket, &Event::Error(why.to_owned())).await;
    let reason: String = why.chars().take(100).collect();
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await;
    // The closing handshake: read (and drop) what the page still sends until its Close, for a
    // second at most. Closing with its messages unread would make the kernel reset the
    // connection, and the reset can destroy the refusal before the page reads it.
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

async fn connection(mut socket: WebSocket, shared: Arc<Shared>, role: Result<Role, String>) {
    let room = &shared.room;
    let limits = &shared.options.limits;
    let role = match role {
        Ok(role) => role,
        Err(why) => return refuse(socket, CLOSE_POLICY, &why).await,
    };
    if role == Role::Student && room.students() >= limits.max_students {
        let why = format!("the room is full ({} students)", limits.max_students);
        return refuse(socket, CLOSE_POLICY, &why).await;
    }
    let _presence = (role == Role::Student).then(|| room.enter());
    let teacher = role == Role::Teacher;
    let welcome = Event::Welcome(Welcome {
        role,
        room: room.code.clone(),
        strategy: room.strategy(),
        backend: room.backend.describe(),
        join_url: teacher.then(|| room.join_url.clone()),
        qr_svg: teacher.then(|| room.qr_svg.clone()),
    });
    if send(&mut socket, &welcome).await.is_err() {
        return;
    }
    let mut session = Session::new(room, role);
    let mut limit = RateLimit::new(limits.rate, limits.burst);
    let mut refused = 0u32;
    let mut events = room.events.subscribe();
    let mut state = room.state.subscribe();
    state.mark_changed();
    let mut push = tokio::time::interval(if teacher {
        shared.options.projector_every
    } else {
        shared.options.student_every
    });
    push.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let epoch = Instant::now();
    loop {
        let event = tokio::select! {
            incoming = socket.recv() => {
                let message = match incoming {
                    None | Some(Ok(Message::Close(_))) => return,
                    Some(Ok(message)) => message,
                    Some(Err(error)) => {
                        // tungstenite's capacity errors are the only ones a page can cause on a
                        // live socket; anything else has broken the connection.
                        let text = error.to_string();
                        if text.contains("too long") || text.contains("too big") || text.contains("Space limit") {
                            let why = format!("message too big: at most {} bytes", limits.max_message);
                            refuse(socket, CLOSE_TOO_BIG, &why).await;
                        }
                        return;
                    }
                };
                match message {
                    Message::Pong(payload) => {
                        if let Some(rtt) = round_trip(epoch, &payload) {
                            room.record_rtt(rtt);
                        }
                        continue;
                    }
                    Message::Ping(_) | Message::Close(_) => continue,
                    _ if !limit.allow() => {
                        refused += 1;
                        if refused >= limits.refusals_before_close {
                            return refuse(socket, CLOSE_POLICY, "too many messages: closed").await;
                        }
                        Event::Error(format!(
                            "slow down: at most {} messages a second (this one was not run)",
                            limits.rate
                        ))
                    }
                    Message::Text(text) => {
                        refused = 0;
                        match serde_json::from_str::<Request>(text.as_str()) {
                            Ok(request) => session.handle(room, request).await,
                            Err(error) => Event::Error(format!(
                                "not understood ({error}): send JSON such as \
                                 {{\"cmd\":[\"INCR\",\"likes\"]}}, \"tap\", \"write\" or \"buy\""
                            )),
                        }
                    }
                    Message::Binary(_) => Event::Error(
                        "binary messages are not understood: send JSON text".to_owned(),
                    ),
                }
            }
            Ok(event) = events.recv() => event,
            _ = push.tick() => {
                if !state.has_changed().unwrap_or(false) {
                    continue;
                }
                Event::Room(state.borrow_and_update().clone())
            }
            _ = ping.tick() => {
                let micros = u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX);
                if socket.send(Message::Ping(micros.to_be_bytes().to_vec().into())).await.is_err() {
                    return;
                }
                continue;
            }
        };
        if send(&mut socket, &event).await.is_err() {
            return;
        }
    }
}

/// The round trip a pong's payload (our ping's send time) tells, if it is one of ours.
fn round_trip(epoch: Instant, payload: &[u8]) -> Option<Duration> {
    let sent = u64::from_be_bytes(payload.try_into().ok()?);
    let now = u64::try_from(epoch.elapsed().as_micros()).ok()?;
    now.checked_sub(sent).map(Duration::from_micros)
}

/// Fails early, with the address in the message, when `--redis` names no Redis that answers.
fn check_redis(addr: &str) -> io::Result<()> {
    let target = addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no such host: {addr}")))?;
    let mut stream = StdTcpStream::connect_timeout(&target, Duration::from_secs(3))
        .map_err(|e| io::Error::new(e.kind(), format!("cannot reach Redis at {addr}: {e}")))?;
    stream.set_read_timeout(Some(Duration::from_secs(3)))?;
    use std::io::{Read, Write};
    stream.write_all(b"*1\r\n$4\r\nPING\r\n")?;
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer)?;
    if answer[..n].starts_with(b"+PONG") {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "Redis at {addr} answered PING with {:?}",
            String::from_utf8_lossy(&answer[..n])
        )))
    }
}

/// The address phones reach this machine at: the interface the default route leaves by (a UDP
/// socket's connect sends nothing), else loopback.
fn public_ip(bound: IpAddr) -> IpAddr {
    if !bound.is_unspecified() {
        return bound;
    }
    let routed = UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .map(|local| local.ip());
    match routed {
        Ok(ip) if !ip.is_unspecified() => ip,
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

/// 64 unpredictable bits: std's `RandomState` is SipHash keyed from the OS's random source.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish()
}

/// A four-character room code, without the letters and digits that read alike (0/O, 1/I/L).
fn room_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bits = random_u64();
    (0..4)
        .map(|_| {
            let c = ALPHABET[(bits % ALPHABET.len() as u64) as usize];
            bits /= ALPHABET.len() as u64;
            char::from(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_codes_avoid_lookalikes() {
        for _ in 0..100 {
            let code = room_code();
            assert_eq!(code.len(), 4);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
        assert_ne!(random_u64(), random_u64());
    }
}
