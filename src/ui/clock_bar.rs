//! The clock bar: shows the time of the server the console talks to and lets the learner pause
//! the virtual clock, fast-forward it and change its speed.

use leptos::prelude::*;

use super::clock::{format_elapsed, VirtualClock, FAST_FORWARD_SECONDS, SPEEDS};
use super::lab::Lab;
use super::server::ServerId;
use crate::ui::CollectErased;

/// Controls for the [`VirtualClock`] found in context: the time of the server the console talks
/// to (the [`Lab`] in context says which) — the virtual time for the page's own, a lab's time
/// (the virtual time since the lab started, said beside it) for a lab's — a Pause/Resume button,
/// fast-forward buttons (+1 s, +10 s, +60 s) and a speed select.
#[component]
pub fn ClockBar() -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
    let lab = expect_context::<Lab>();
    let caption = move || match lab.connected.get() {
        ServerId::Page => "Virtual time".to_owned(),
        ServerId::Lab(id) => format!("{} time", capitalised(id.server_name())),
    };
    let relation = move || {
        lab.server_origin_ms().map(|origin| {
            format!(
                " (virtual time {}, the lab started at {})",
                format_elapsed(clock.elapsed_ms.get()),
                format_elapsed(origin)
            )
        })
    };
    let toggle = move |_| clock.running.update(|running| *running = !*running);
    let set_speed = move |value: String| {
        if let Some(speed) = value.parse::<u32>().ok().filter(|s| SPEEDS.contains(s)) {
            clock.speed.set(speed);
        }
    };

    view! {
        <section class="clock-bar" aria-labelledby="clock-title">
            <h2 id="clock-title" class="visually-hidden">"Virtual clock"</h2>
            <p class="clock-readout">
                <span class="clock-caption">{move || caption()}</span>
                " "
                <span class="clock-time" role="timer">
                    {move || format_elapsed(lab.server_elapsed_ms())}
                </span>
                <span class="clock-state">
                    {move || if clock.running.get() { "" } else { " (paused)" }}
                </span>
                <span class="clock-relation">{move || relation()}</span>
            </p>
            <div class="clock-controls">
                <button type="button" class="clock-toggle" on:click=toggle>
                    {move || if clock.running.get() { "Pause" } else { "Resume" }}
                </button>
                {FAST_FORWARD_SECONDS
                    .into_iter()
                    .map(|seconds| {
                        let plural = if seconds == 1 { "" } else { "s" };
                        view! {
                            <button
                                type="button"
                                title=format!("Fast-forward {seconds} second{plural}")
                                on:click=move |_| clock.advance(seconds * 1_000)
                            >
                                {format!("+{seconds} s")}
                            </button>
                        }
                    })
                    .collect_erased()}
                <label class="clock-speed">
                    <span class="clock-speed-text">"Speed "</span>
                    <select on:change:target=move |ev| set_speed(ev.target().value())>
                        {SPEEDS
                            .into_iter()
                            .map(|speed| {
                                view! {
                                    <option value=speed.to_string() selected=move || clock.speed.get() == speed>
                                        {format!("{speed}×")}
                                    </option>
                                }
                            })
                            .collect_erased()}
                    </select>
                </label>
            </div>
        </section>
    }
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
