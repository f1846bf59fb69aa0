//! The browser user interface (compiled for wasm32 only): Leptos components that render the engine's
//! state and send the learner's intent back to it.
//!
//! [`App`] is the page: a header, the console, the keyspace inspector and the virtual clock bar.
//! Shared state travels through Leptos context: [`clock::VirtualClock`] is provided by [`App`].

mod app;
pub mod clock;
mod clock_bar;
mod console;
mod inspector;
pub mod race;

pub use app::App;
pub use clock_bar::ClockBar;
pub use console::Console;
pub use inspector::Inspector;

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
