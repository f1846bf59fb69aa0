//! The browser user interface (compiled for wasm32 only): Leptos components that render the engine's
//! state and send the learner's intent back to it.
//!
//! [`App`] is the page: a header, the guided [`Lesson`] (with the race demo and the labs, whose
//! commands are [`Snippet`]s to click), the [`Console`], the keyspace [`Inspector`] (one
//! [`KeyCard`] per key) and the [`ClockBar`]. Shared state travels through Leptos context: [`App`]
//! provides the [`clock::VirtualClock`] and the [`lab::Lab`] (the page's engine, the server the
//! console talks to — the page's or a lab's, see [`server`] — its transcript and
//! history). Opened with `?room=CODE` the page is the live classroom instead ([`live`]: a
//! student's phone, or the projector), served by `redis-sim classroom`.
//!
//! # Size
//!
//! The page's budget is counted in kilobytes, and every distinct view type costs the wasm its own
//! copy of Leptos' rendering code. The shapes below are chosen for that; each says so where it
//! stands, with what it saves (gzip -9 of the whole release page, `scripts/size.sh`, measured in
//! issue 17 by building without it, on a 387,484 B page). `scripts/size-breakdown.sh` shows where
//! the bytes go, and `scripts/size-ceiling` keeps the total from creeping up unseen.
//!
//! - `--cfg erase_components` (.cargo/config.toml): every component's view is erased at its
//!   boundary, one copy of its rendering code: −16.6 KB.
//! - Lists collected as erased views ([`CollectErased`]): one `Vec<AnyView>` renderer for every
//!   list: −5.9 KB.
//! - A reactive child written as a closure in the view (`{move || label()}`, not `{label}`):
//!   under `erase_components` the view macro boxes it, so every such child of one output type
//!   shares one render effect: −2.3 KB.
//! - The labs' panels behind one handle type ([`scenarios::runner::LabHandle`], the lab as a
//!   `dyn AnyLab`) rather than generic ones: −11.9 KB.
//! - The lesson's text as HTML strings with one delegated listener ([`crate::lesson::html`],
//!   [`lesson::quiz_html`]) rather than views: −2.6 KB for the chapter text, −1.7 KB for the quiz.

pub mod address;
mod app;
pub mod clock;
mod clock_bar;
mod console;
mod console_entry;
pub mod handoff;
pub mod history;
mod inspector;
mod key_card;
pub mod keyspace;
pub mod lab;
pub mod lesson;
pub mod live;
pub mod race;
pub mod scenarios;
pub mod server;
mod snippet;

use leptos::prelude::{AnyView, IntoAny};

pub use app::App;
pub use clock_bar::ClockBar;
pub use console::{Console, CONSOLE_INPUT_ID, CONSOLE_SERVER_ID};
pub use console_entry::ConsoleEntry;
pub use inspector::Inspector;
pub use key_card::{key_items, CardSource, KeyCard};
pub use lesson::Lesson;
pub use scenarios::{HotKeyDemo, LabPanel, SummaryTable};
pub use snippet::Snippet;

/// Collects a list's items as erased views: how every list on the page is collected.
pub trait CollectErased: Iterator + Sized {
    /// The items as one list of [`AnyView`]s.
    // Size: every list then shares one `Vec<AnyView>` renderer instead of one per item type:
    // −5.9 KB gzip (issue 17).
    fn collect_erased(self) -> Vec<AnyView>
    where
        Self::Item: IntoAny,
    {
        self.map(IntoAny::into_any).collect()
    }
}

impl<I: Iterator> CollectErased for I {}

/// Installs a panic hook that logs the panic to the browser console and tells the learner on the page
/// that the app stopped, instead of leaving a page that silently ignores every click.
///
/// A panic is a bug: the engine and the components are written never to panic on any input.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_banner();
    }));
}

fn show_crash_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    banner.set_class_name("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(
        "incr-lab hit an internal error and stopped. Reload the page to start again.",
    ));
    let _ = body.prepend_with_node_1(&banner);
}
