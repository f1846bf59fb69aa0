//! The page layout.

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use super::clock::{VirtualClock, TICK_MS};
use super::lab::Lab;
use super::{ClockBar, Console, Inspector, Lesson, CONSOLE_INPUT_ID};
use crate::lesson::{SITE_TAGLINE, SITE_TITLE};

/// The whole page: header, the lesson beside the console and keyspace inspector, and the clock bar. Provides the
/// [`VirtualClock`] and the [`Lab`] to its children through context, ticks the clock every
/// [`TICK_MS`] ms and keeps the engine's time in step with it.
#[component]
pub fn App() -> impl IntoView {
    let clock = VirtualClock::new();
    // The console-lite answered while the app loaded: its clock goes on, its lines run again here.
    let handoff = super::handoff::take();
    let origin_ms = handoff
        .as_ref()
        .map_or_else(crate::wall_clock::wall_clock_ms, |h| h.origin_ms);
    let lab = Lab::new(origin_ms, clock);
    if let Some(handoff) = handoff {
        let now = crate::wall_clock::wall_clock_ms().saturating_sub(origin_ms);
        lab.take_over(&handoff.lines, now);
    }
    provide_context(clock);
    provide_context(lab);
    start_ticking(clock);
    // Every change of virtual time reaches the engine, which expires keys whose time is up.
    Effect::new(move || {
        clock.elapsed_ms.track();
        lab.sync_clock();
    });

    view! {
        <a class="skip-link" href=format!("#{CONSOLE_INPUT_ID}")>"Skip to the console"</a>
        <header class="site-header">
            <h1>{SITE_TITLE}</h1>
            <p class="tagline">{SITE_TAGLINE}</p>
        </header>
        <main id="main" class="layout">
            <Lesson />
            <div class="column workbench">
                <Console />
                <Inspector />
            </div>
        </main>
        <footer class="site-footer">
            <ClockBar />
        </footer>
    }
}

/// Advances `clock` by the real time elapsed since the previous tick, every [`TICK_MS`] ms, for as
/// long as the calling component lives.
fn start_ticking(clock: VirtualClock) {
    let mut last = js_sys::Date::now();
    let ticks = Interval::new(TICK_MS, move || {
        let now = js_sys::Date::now();
        clock.tick(now - last);
        last = now;
    });
    // Dropping the interval stops it.
    let ticks = StoredValue::new_local(Some(ticks));
    on_cleanup(move || drop(ticks.try_update_value(Option::take)));
}
