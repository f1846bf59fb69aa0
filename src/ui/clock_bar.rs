//! The clock bar: shows virtual time and lets the learner pause it, fast-forward it and change its speed.

use leptos::prelude::*;

use super::clock::{format_elapsed, VirtualClock, FAST_FORWARD_SECONDS, SPEEDS};
use crate::ui::CollectErased;

/// Controls for the [`VirtualClock`] found in context: the virtual time, a Pause/Resume button,
/// fast-forward buttons (+1 s, +10 s, +60 s) and a speed select.
#[component]
pub fn ClockBar() -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
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
                <span class="clock-caption">"Virtual time"</span>
                " "
                <span class="clock-time" role="timer">
                    {move || format_elapsed(clock.elapsed_ms.get())}
                </span>
                <span class="clock-state">
                    {move || if clock.running.get() { "" } else { " (paused)" }}
                </span>
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
                    "Speed "
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
