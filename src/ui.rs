//! The browser user interface (compiled for wasm32 only): Leptos components that render the engine's
//! state and send the learner's intent back to it.
//!
//! [`App`] is the page: a header, the guided [`Lesson`], the [`Console`] with a [`TryIt`] tour of
//! [`Snippet`]s, the keyspace [`Inspector`] (one [`KeyCard`] per key) and the [`ClockBar`]. Shared state travels through Leptos
//! context: [`App`] provides the [`clock::VirtualClock`] and the [`lab::Lab`] (the page's engine,
//! the server the console talks to — the page's or a lab's, see [`server`] — its transcript and
//! history).
//!
//! # Size
//!
//! Every distinct view type costs the page's wasm its own copy of Leptos' rendering code, so lists
//! are collected as erased views (`.map(IntoAny::into_any).collect_view()`): all lists then share
//! one `Vec<AnyView>` renderer. The crate is built with `--cfg erase_components` (.cargo/config.toml),
//! which does the same at each component's boundary, and turns a reactive child written as a
//! closure in the view (`{move || label()}`) into a shared boxed function: every such child of one
//! output type shares one render effect, where a closure variable (`{label}`) gets its own.
//! `scripts/size-breakdown.sh` shows where the bytes go.

pub mod address;
mod app;
pub mod clock;
mod clock_bar;
mod console;
mod console_entry;
pub mod history;
mod inspector;
mod key_card;
pub mod keyspace;
pub mod lab;
pub mod lesson;
pub mod race;
pub mod scenarios;
pub mod server;
mod snippet;
mod try_it;

pub use app::App;
pub use clock_bar::ClockBar;
pub use console::{Console, CONSOLE_INPUT_ID, CONSOLE_SERVER_ID};
pub use console_entry::ConsoleEntry;
pub use inspector::Inspector;
pub use key_card::{CardSource, KeyCard};
pub use lesson::Lesson;
pub use scenarios::{LabPanel, SummaryTable};
pub use snippet::Snippet;
pub use try_it::{TryIt, TOUR};

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
