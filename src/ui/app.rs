//! The page layout.

use leptos::prelude::*;

use super::clock::{VirtualClock, TICK_MS};
use super::race::RaceDemo;
use super::{ClockBar, Console, Inspector};

/// The whole page: header, console, keyspace inspector and clock bar. Provides the
/// [`VirtualClock`] to its children through context and ticks it every [`TICK_MS`] ms.
#[component]
pub fn App() -> impl IntoView {
    let clock = VirtualClock::new();
    provide_context(clock);
    start_ticking(clock);

    view! {
        <a class="skip-link" href="#main">"Skip to the console"</a>
        <header class="site-header">
            <h1>"incr-lab"</h1>
            <p class="tagline">"Redis counters, hands-on: a Redis 7.0 engine running in your browser."</p>
        </header>
        <main id="main" class="layout">
            <Console />
            <Inspector />
            <RaceDemo />
        </main>
        <footer class="site-footer">
            <ClockBar />
        </footer>
    }
}

/// Advances `clock` by the real time elapsed since the previous tick, every [`TICK_MS`] ms, for as
/// long as the calling component lives.
fn start_ticking(clock: VirtualClock) {
    let last = StoredValue::new(js_sys::Date::now());
    let handle = set_interval_with_handle(
        move || {
            let now = js_sys::Date::now();
            clock.tick(now - last.get_value());
            last.set_value(now);
        },
        std::time::Duration::from_millis(u64::from(TICK_MS)),
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
}
