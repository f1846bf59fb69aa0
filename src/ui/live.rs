//! The live classroom's pages (`redis-sim classroom`): opened with `?room=CODE` the page is a
//! student's phone ([`StudentView`]), with `&teacher=SECRET` too the projector
//! ([`ProjectorView`]). Both talk to the server over one WebSocket ([`LiveRoom`]), in the JSON of
//! [`crate::classroom::protocol`].
//!
//! Size: the views are small and the server does the heavy parts — replies come printed as
//! redis-cli prints them, the QR code comes drawn as SVG — so the page carries no QR encoder and no
//! reply printer for this.

mod projector;
mod student;

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::classroom::protocol::{Event, Purchase, Request, RoomState, Welcome};

pub use projector::ProjectorView;
pub use student::StudentView;

/// A line of the student's console transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Unique within the page.
    pub id: u64,
    /// What was typed (with its prompt) or what came back.
    pub text: String,
    /// A typed line rather than a reply.
    pub typed: bool,
}

/// The page's connection to the room and everything the server told it.
#[derive(Clone, Copy)]
pub struct LiveRoom {
    socket: StoredValue<Option<WebSocket>, LocalStorage>,
    /// Kept alive while a countdown runs.
    ticker: StoredValue<Option<Interval>, LocalStorage>,
    /// The server's welcome, once it came.
    pub welcome: RwSignal<Option<Welcome>>,
    /// The room's figures.
    pub state: RwSignal<RoomState>,
    /// Connection news and refusals, for a `role="status"` line.
    pub status: RwSignal<String>,
    /// Seconds left in the teacher's countdown; `Some(0)` says "tap now".
    pub countdown: RwSignal<Option<u32>>,
    /// Taps this page completed.
    pub taps: RwSignal<u64>,
    /// The counter as this page's last tap left it.
    pub last_tap: RwSignal<Option<i64>>,
    /// The last buy's outcome and the stock after it.
    pub purchase: RwSignal<Option<(Purchase, i64)>>,
    /// The console transcript.
    pub lines: RwSignal<Vec<Line>>,
}

impl LiveRoom {
    /// Opens the page's WebSocket to the server that served it (`ws` beside the page, with the
    /// page's own query string, which names the room and the teacher's secret).
    pub fn connect() -> LiveRoom {
        let room = LiveRoom {
            socket: StoredValue::new_local(None),
            ticker: StoredValue::new_local(None),
            welcome: RwSignal::new(None),
            state: RwSignal::new(RoomState::default()),
            status: RwSignal::new("Connecting…".to_owned()),
            countdown: RwSignal::new(None),
            taps: RwSignal::new(0),
            last_tap: RwSignal::new(None),
            purchase: RwSignal::new(None),
            lines: RwSignal::new(Vec::new()),
        };
        let Some(url) = socket_url() else {
            room.status
                .set("This browser cannot open the room.".to_owned());
            return room;
        };
        let socket = match WebSocket::new(&url) {
            Ok(socket) => socket,
            Err(_) => {
                room.status
                    .set("This browser cannot open the room.".to_owned());
                return room;
            }
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            if let Some(text) = message.data().as_string() {
                match serde_json::from_str::<Event>(&text) {
                    Ok(event) => room.receive(event),
                    Err(_) => room
                        .status
                        .set("The server sent something unexpected.".to_owned()),
                }
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |close: CloseEvent| {
            let reason = close.reason();
            let said = room.status.get_untracked();
            room.status.set(if !reason.is_empty() {
                format!("Disconnected: {reason}. Reload the page to join again.")
            } else if said.starts_with("Refused") {
                said
            } else {
                "Disconnected. Reload the page to join again.".to_owned()
            });
            room.socket.set_value(None);
        });
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
        room.socket.set_value(Some(socket));
        room
    }

    /// Sends a request; a closed connection says so in the status line.
    pub fn send(&self, request: &Request) {
        let Ok(json) = serde_json::to_string(request) else {
            return;
        };
        let sent = self
            .socket
            .with_value(|socket| socket.as_ref().map(|s| s.send_with_str(&json).is_ok()));
        if sent != Some(true) {
            self.status
                .set("Not connected. Reload the page to join again.".to_owned());
        }
    }

    /// Runs a console line typed by the student (split as redis-cli splits it).
    pub fn run_line(&self, line: &str) {
        let argv = match crate::cli::tokenizer::split_args(line.as_bytes()) {
            Ok(argv) if argv.is_empty() => return,
            Ok(argv) => argv,
            Err(_) => {
                self.push_line("Invalid argument(s)".to_owned(), false);
                return;
            }
        };
        self.push_line(format!("> {line}"), true);
        let argv = argv
            .into_iter()
            .map(|arg| String::from_utf8_lossy(&arg).into_owned())
            .collect();
        self.send(&Request::Cmd(argv));
    }

    fn push_line(&self, text: String, typed: bool) {
        self.lines.update(|lines| {
            let id = lines.last().map_or(0, |l| l.id + 1);
            lines.push(Line { id, text, typed });
            // The transcript keeps the last hundred lines.
            if lines.len() > 100 {
                lines.remove(0);
            }
        });
    }

    fn receive(&self, event: Event) {
        match event {
            Event::Welcome(welcome) => {
                self.status
                    .set(format!("Connected to {}.", welcome.backend));
                self.state.update(|s| s.strategy = welcome.strategy);
                self.welcome.set(Some(welcome));
            }
            Event::Reply(text) => {
                if self
                    .welcome
                    .with_untracked(|w| w.as_ref().and_then(|w| w.join_url.clone()))
                    .is_some()
                {
                    // The projector's own requests answer with a line for its status.
                    self.status.set(text.trim_end().to_owned());
                } else {
                    self.push_line(text.trim_end_matches('\n').to_owned(), false);
                }
            }
            // The naive tap's first half: write back at once, as the app on a phone would.
            Event::Read(_) => self.send(&Request::Write),
            Event::Tapped(counter) => {
                self.taps.update(|n| *n += 1);
                self.last_tap.set(Some(counter));
            }
            Event::Bought { outcome, stock } => self.purchase.set(Some((outcome, stock))),
            Event::Room(state) => self.state.set(state),
            Event::Countdown(seconds) => self.start_countdown(seconds),
            Event::Error(text) => {
                if self.welcome.with_untracked(Option::is_none) {
                    self.status.set(format!("Refused: {text}"));
                } else {
                    self.status.set(text);
                }
            }
        }
    }

    fn start_countdown(&self, seconds: u32) {
        self.countdown.set(Some(seconds));
        let room = *self;
        // "Tap now" stays two seconds after zero.
        let mut left = i64::from(seconds);
        self.ticker.set_value(Some(Interval::new(1_000, move || {
            left -= 1;
            if left >= 0 {
                room.countdown.set(Some(u32::try_from(left).unwrap_or(0)));
            } else if left < -2 {
                room.countdown.set(None);
                room.ticker.set_value(None);
            }
        })));
    }
}

/// `ws://` (or `wss://`) beside the page, with the page's query string.
fn socket_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss:"
    } else {
        "ws:"
    };
    let path = location.pathname().ok()?;
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    Some(format!(
        "{scheme}//{}{dir}ws{}",
        location.host().ok()?,
        location.search().ok()?
    ))
}

/// The live classroom page: the projector with the teacher's secret in the address, else a
/// student's phone.
#[component]
pub fn LivePage() -> impl IntoView {
    let room = LiveRoom::connect();
    provide_context(room);
    if crate::ui::address::query_value("teacher").is_some() {
        view! { <ProjectorView /> }.into_any()
    } else {
        view! { <StudentView /> }.into_any()
    }
}
