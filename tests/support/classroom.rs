//! Test helpers for `redis-sim classroom`: a server on a loopback port with a stand-in site, and
//! pages as WebSocket clients. Include with `#[path = "support/classroom.rs"] mod classroom;`.

#![allow(dead_code)] // each test file uses its own part of this module

use std::path::PathBuf;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use incr_lab::classroom::protocol::{Event, Welcome};
use incr_lab::classroom::server::{Classroom, Options};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for any one message before it fails (a hang guard, not a timing).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A stand-in for `dist/`: an index page and one asset, in a fresh temporary folder.
pub fn stand_in_site() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("incr-lab-classroom-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>incr-lab</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log('hi')").unwrap();
    dir
}

/// Options for a test server: loopback, a free port, the stand-in site.
pub fn options() -> Options {
    Options {
        bind: "127.0.0.1".to_owned(),
        port: 0,
        dist: stand_in_site(),
        ..Options::default()
    }
}

/// Starts a classroom server.
pub fn start(options: &Options) -> Classroom {
    Classroom::start(options).expect("the classroom server starts")
}

/// The WebSocket address of `classroom` with this query string.
pub fn ws_url(classroom: &Classroom, query: &str) -> String {
    format!("ws://{}/ws?{query}", classroom.addr())
}

/// One page: a WebSocket client.
pub struct Page {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Page {
    /// Opens a student's page.
    pub async fn student(classroom: &Classroom) -> (Page, Welcome) {
        Page::open(&ws_url(classroom, &format!("room={}", classroom.code()))).await
    }

    /// Opens the projector's page.
    pub async fn teacher(classroom: &Classroom) -> (Page, Welcome) {
        let query = format!("room={}&teacher={}", classroom.code(), classroom.secret());
        Page::open(&ws_url(classroom, &query)).await
    }

    /// Connects to `url` and reads the welcome.
    pub async fn open(url: &str) -> (Page, Welcome) {
        let mut page = Page::connect(url).await;
        match page.event().await {
            Some(Event::Welcome(welcome)) => (page, welcome),
            other => panic!("expected a welcome, got {other:?}"),
        }
    }

    /// Connects without reading anything.
    pub async fn connect(url: &str) -> Page {
        let (ws, _) = tokio::time::timeout(PATIENCE, tokio_tungstenite::connect_async(url))
            .await
            .expect("connects in time")
            .expect("the WebSocket handshake succeeds");
        Page { ws }
    }

    /// Sends a text frame.
    pub async fn send(&mut self, text: &str) {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .expect("sent");
    }

    /// Sends a raw message.
    pub async fn send_message(&mut self, message: Message) {
        self.ws.send(message).await.expect("sent");
    }

    /// The next event; `None` once the server closed the connection.
    pub async fn event(&mut self) -> Option<Event> {
        self.next_frame().await.ok()
    }

    /// The next event, or the close frame that ended the connection.
    pub async fn next_frame(&mut self) -> Result<Event, Option<CloseFrame>> {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("a message in time");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Ok(serde_json::from_str(text.as_str())
                        .unwrap_or_else(|e| panic!("bad event {text}: {e}")))
                }
                Some(Ok(Message::Close(frame))) => return Err(frame),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// The next event that answers a request (room figures and countdowns skipped).
    pub async fn answer(&mut self) -> Event {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            assert!(tokio::time::Instant::now() < deadline, "no answer in time");
            match self.event().await {
                Some(Event::Room(_)) | Some(Event::Countdown(_)) => continue,
                Some(event) => return event,
                None => panic!("the connection closed while waiting for an answer"),
            }
        }
    }

    /// Sends a request and returns its answer.
    pub async fn ask(&mut self, request: &str) -> Event {
        self.send(request).await;
        self.answer().await
    }

    /// A console command's printed reply (`cmd` as words split on spaces).
    pub async fn cmd(&mut self, line: &str) -> String {
        let argv: Vec<&str> = line.split(' ').collect();
        let request = serde_json::json!({ "cmd": argv }).to_string();
        match self.ask(&request).await {
            Event::Reply(text) => text,
            other => panic!("{line}: expected a reply, got {other:?}"),
        }
    }

    /// Taps Like once, as the page does (a naive tap's read is followed by its write), retrying
    /// after a rate-limit refusal. Returns the counter the tap left.
    pub async fn tap(&mut self) -> i64 {
        loop {
            match self.ask("\"tap\"").await {
                Event::Tapped(n) => return n,
                Event::Read(_) => match self.ask("\"write\"").await {
                    Event::Tapped(n) => return n,
                    other => panic!("write: {other:?}"),
                },
                Event::Error(text) if text.starts_with("slow down") => {
                    tokio::time::sleep(Duration::from_millis(50)).await
                }
                other => panic!("tap: {other:?}"),
            }
        }
    }

    /// Waits for room figures that satisfy `done`, and returns them.
    pub async fn room_until(
        &mut self,
        done: impl Fn(&incr_lab::classroom::protocol::RoomState) -> bool,
    ) -> incr_lab::classroom::protocol::RoomState {
        let deadline = tokio::time::Instant::now() + PATIENCE * 2;
        loop {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the figures never came"
            );
            match self.event().await {
                Some(Event::Room(state)) if done(&state) => return state,
                Some(_) => continue,
                None => panic!("the projector's connection closed"),
            }
        }
    }

    /// Closes the connection.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// A multi-threaded runtime for a test's pages.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
