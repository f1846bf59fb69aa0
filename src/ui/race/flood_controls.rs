//! The flood's controls: client count (slider and presets), seed, the two strategies, how widely
//! the arrivals spread, playback.

use leptos::prelude::*;

use super::flood::share_href;
use super::flood_state::FloodState;
use super::params::{
    auto_speed, group_digits, slider_clients, slider_position, snap_speed, snap_spread,
    speed_label, spread_label, FloodParams, PRESETS, SLIDER_STEPS, SPEEDS, SPREADS,
};
use super::StrategySelect;
use crate::ui::CollectErased;

/// Settings and playback buttons for the [`FloodState`] in context. Changing the client count or
/// the spread also picks a speed that suits them.
#[component]
pub fn FloodControls() -> impl IntoView {
    let state = expect_context::<FloodState>();
    let params = state.params;
    let set_clients = move |clients: usize| {
        params.update(|p| {
            p.clients = clients;
            p.speed = auto_speed(clients, p.spread_ms);
        })
    };
    let set_spread = move |spread_ms: u64| {
        params.update(|p| {
            p.spread_ms = spread_ms;
            p.speed = auto_speed(p.clients, spread_ms);
        })
    };
    let clients_text = move || group_digits(params.with(|p| p.clients) as u64);
    let busy = move || state.playing.get() || state.progress.get().is_some();

    view! {
        <div class="flood-controls">
            <div class="control-row">
                <label class="clients-slider">
                    "Clients "
                    <input
                        type="range"
                        min="0"
                        max=SLIDER_STEPS.to_string()
                        prop:value=move || slider_position(params.with(|p| p.clients)).to_string()
                        aria-valuetext=move || format!("{} clients", clients_text())
                        on:input:target=move |ev| {
                            if let Ok(pos) = ev.target().value().parse::<u32>() {
                                set_clients(slider_clients(pos));
                            }
                        }
                    />
                </label>
                // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                <output class="clients-count" aria-hidden="true">{move || clients_text()}</output>
                <div class="presets" role="group" aria-label="Client count presets">
                    {PRESETS
                        .into_iter()
                        .map(|n| {
                            view! {
                                <button
                                    type="button"
                                    aria-label=format!("{} clients", group_digits(n as u64))
                                    aria-pressed=move || (params.with(|p| p.clients) == n).to_string()
                                    on:click=move |_| set_clients(n)
                                >
                                    {group_digits(n as u64)}
                                </button>
                            }
                        })
                        .collect_erased()}
                </div>
            </div>
            <div class="control-row">
                <label>
                    "Seed "
                    <input
                        type="number"
                        class="seed"
                        aria-describedby="seed-hint"
                        min="0"
                        prop:value=move || params.with(|p| p.seed).to_string()
                        on:change:target=move |ev| {
                            if let Ok(seed) = ev.target().value().trim().parse::<u64>() {
                                params.update(|p| p.seed = seed);
                            }
                        }
                    />
                </label>
                <span class="hint seed-hint" id="seed-hint">
                    {move || {
                        if params.with(|p| p.spread_ms) == SPREADS[0] {
                            "Within 1 ms, GET-then-SET ends near 2 for every seed: spread the \
                             arrivals wider to see seeds differ."
                        } else {
                            "The same seed replays the same run."
                        }
                    }}
                </span>
                <StrategySelect
                    label="Left strategy"
                    value=Signal::derive(move || params.with(|p| p.kinds[0]))
                    on_change=Callback::new(move |kind| params.update(|p| p.kinds[0] = kind))
                />
                <StrategySelect
                    label="Right strategy"
                    value=Signal::derive(move || params.with(|p| p.kinds[1]))
                    on_change=Callback::new(move |kind| params.update(|p| p.kinds[1] = kind))
                />
                <label>
                    "Arrivals spread over "
                    <select on:change:target=move |ev| {
                        if let Ok(spread) = ev.target().value().parse::<u64>() {
                            set_spread(snap_spread(spread));
                        }
                    }>
                        {SPREADS
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option
                                        value=s.to_string()
                                        selected=move || params.with(|p| p.spread_ms) == s
                                    >
                                        {spread_label(s)}
                                    </option>
                                }
                            })
                            .collect_erased()}
                    </select>
                </label>
                <label>
                    "Slow motion "
                    <select on:change:target=move |ev| {
                        if let Ok(speed) = ev.target().value().parse::<u64>() {
                            params.update(|p| p.speed = snap_speed(speed));
                        }
                    }>
                        {SPEEDS
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option
                                        value=s.to_string()
                                        selected=move || params.with(|p| p.speed) == s
                                    >
                                        {speed_label(s)}
                                    </option>
                                }
                            })
                            .collect_erased()}
                    </select>
                </label>
            </div>
            <div class="control-row playback">
                <button type="button" class="primary" on:click=move |_| state.play_pause()>
                    {move || if busy() { "Pause" } else { "Play" }}
                </button>
                <button type="button" on:click=move |_| state.step()>"Step"</button>
                <button type="button" on:click=move |_| state.finish()>"Show the result"</button>
                <button type="button" on:click=move |_| state.reset()>"Reset"</button>
                <a class="share" href=move || params.with(share_href)>"Link to this run"</a>
                <p class="hint">
                    "Keys: " <kbd>"Space"</kbd> " play/pause · " <kbd>"→"</kbd> " step · "
                    <kbd>"+"</kbd> " / " <kbd>"−"</kbd> " speed"
                </p>
            </div>
            <Show when=move || params.with(script_note).is_some()>
                <p class="hint script-cost">{move || params.with(script_note)}</p>
            </Show>
            <Show when=move || state.progress.get().is_some()>
                <label class="progress">
                    "Computing the flood "
                    <progress
                        max="1000"
                        value=move || {
                            // Per mille as an integer: an f64 attribute would pull Rust's float
                            // formatting (about 5 KB gzip) into the wasm.
                            let share = state.progress.get().unwrap_or(0.0).clamp(0.0, 1.0);
                            ((share * 1000.0) as u32).to_string()
                        }
                    ></progress>
                </label>
            </Show>
        </div>
    }
}

/// Real CPU one EVAL of the like script takes in the page, in µs: the Lua VM runs it (measured in
/// Chromium on the release build: see the race e2e test, which prints the figure).
pub const EVAL_CPU_US: u64 = 20;
/// From this many clients on, a side running the Lua script gets a note on its cost.
const SCRIPT_NOTE_FROM: usize = 10_000;

/// The note on a big flood's cost when a side runs the Lua script, else None.
pub fn script_note(p: &FloodParams) -> Option<String> {
    let scripts = p.kinds.iter().filter(|k| k.runs_script()).count() as u64;
    if scripts == 0 || p.clients < SCRIPT_NOTE_FROM {
        return None;
    }
    let seconds = (p.clients as u64 * scripts * EVAL_CPU_US).div_ceil(1_000_000);
    Some(format!(
        "The Lua script runs in a real Lua VM in this page: about {EVAL_CPU_US} µs of CPU per \
         EVAL, so {} clients take about {} s to compute. The page stays responsive; playback may \
         run slower than asked.",
        group_digits(p.clients as u64),
        seconds.max(1),
    ))
}
