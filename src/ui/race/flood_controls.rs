//! The flood's controls: client count (slider and presets), seed, the two strategies, how widely
//! the arrivals spread, likes per client and pipelining, playback.

use leptos::prelude::*;

use super::flood::share_href;
use super::flood_state::FloodState;
use super::params::{
    fit_likes, group_digits, slider_clients, slider_position, snap_likes, snap_speed, snap_spread,
    speed_label, spread_label, FloodParams, LIKES, MAX_TOTAL_LIKES, PRESETS, SLIDER_STEPS, SPEEDS,
    SPREADS,
};
use super::StrategySelect;
use crate::simulation::StrategyKind;
use crate::ui::CollectErased;

/// Settings and playback buttons for the [`FloodState`] in context. Changing the client count,
/// the spread, the likes per client or pipelining also picks a speed that suits them; more
/// clients than 100 likes each allow (see [`MAX_TOTAL_LIKES`]) lower the likes per client.
#[component]
pub fn FloodControls() -> impl IntoView {
    let state = expect_context::<FloodState>();
    let params = state.params;
    let set_clients = move |clients: usize| {
        params.update(|p| {
            p.clients = clients;
            p.likes = fit_likes(clients, p.likes);
            p.speed = p.suited_speed();
        })
    };
    let set_spread = move |spread_ms: u64| {
        params.update(|p| {
            p.spread_ms = spread_ms;
            p.speed = p.suited_speed();
        })
    };
    let set_likes = move |likes: u32| {
        params.update(|p| {
            p.likes = fit_likes(p.clients, likes);
            p.speed = p.suited_speed();
        })
    };
    let set_pipelining = move |on: bool| {
        params.update(|p| {
            p.pipelining = on;
            p.speed = p.suited_speed();
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
            <div class="control-row">
                <label>
                    "Likes per client "
                    <select on:change:target=move |ev| {
                        if let Ok(likes) = ev.target().value().parse::<u64>() {
                            set_likes(snap_likes(likes));
                        }
                    }>
                        {LIKES
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <option
                                        value=l.to_string()
                                        selected=move || params.with(|p| p.likes) == l
                                        disabled=move || {
                                            params.with(|p| fit_likes(p.clients, l)) != l
                                        }
                                    >
                                        {group_digits(u64::from(l))}
                                    </option>
                                }
                            })
                            .collect_erased()}
                    </select>
                </label>
                <label>
                    <input
                        type="checkbox"
                        aria-describedby="pipelining-hint"
                        prop:checked=move || params.with(|p| p.pipelining)
                        on:change:target=move |ev| set_pipelining(ev.target().checked())
                    />
                    " Pipelining"
                </label>
                <p class="hint pipelining-hint" id="pipelining-hint">
                    {move || params.with(pipelining_hint)}
                </p>
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

/// Real CPU one EVAL of the like script takes in the page, in µs: the Lua VM runs it. Measured by
/// `bench_eval_cost_in_wasm` (tests/bench_race.rs, run by scripts/bench-race.sh) in headless
/// Chromium on the wasm-release profile, 20,000 Lua clients against 20,000 INCR clients: an EVAL
/// cost 42.3 µs over an INCR on the first run and 25.0 µs on later runs (2026-12-07). The note
/// quotes the first run's figure, rounded down: a learner's first Lua flood is a first run.
pub const EVAL_CPU_US: u64 = 40;
/// From this many likes on (clients × likes per client), a side running the Lua script gets a note
/// on its cost.
const SCRIPT_NOTE_FROM: usize = 10_000;

/// The note on a big flood's cost when a side runs the Lua script, else None.
pub fn script_note(p: &FloodParams) -> Option<String> {
    let scripts = p.kinds.iter().filter(|k| k.runs_script()).count() as u64;
    if scripts == 0 || p.total_likes() < SCRIPT_NOTE_FROM as i64 {
        return None;
    }
    let evals = p.total_likes().max(0) as u64;
    let seconds = (evals * scripts * EVAL_CPU_US).div_ceil(1_000_000);
    let who = if p.likes > 1 {
        format!("{} likes", group_digits(evals))
    } else {
        format!("{} clients", group_digits(p.clients as u64))
    };
    Some(format!(
        "The Lua script runs in a real Lua VM in this page: about {EVAL_CPU_US} µs of CPU per \
         EVAL, so {who} take about {} s to compute. The page stays responsive; playback may run \
         slower than asked.",
        seconds.max(1),
    ))
}

/// What the likes-per-client and pipelining settings do to the two strategies on screen, for the
/// hint beside them. The semantics are [`Likes`](crate::simulation::Likes)'.
pub fn pipelining_hint(p: &FloodParams) -> String {
    let n = group_digits(u64::from(p.likes));
    let cap = group_digits(MAX_TOTAL_LIKES / u64::from(*LIKES.last().unwrap_or(&1)));
    if !p.pipelining {
        return format!(
            "Pipelining off: a client sends its next like only when the last one is answered. \
             100 likes per client go up to {cap} clients."
        );
    }
    if p.likes <= 1 {
        return "Pipelining on, but with one like per client there is nothing to send ahead: pick \
                10 or 100 likes per client."
            .to_owned();
    }
    let mut text = "Pipelining on: a client sends at once every command that needs no earlier \
                    reply."
        .to_owned();
    let mut kinds = p.kinds.to_vec();
    kinds.dedup();
    for kind in kinds {
        text.push(' ');
        text.push_str(&match kind {
            StrategyKind::Atomic => format!("INCR: all {n} INCRs in one round trip."),
            StrategyKind::LuaScript => format!("Lua: {n} EVALs in one round trip."),
            StrategyKind::SqlAtomicUpdate => format!(
                "SQL likes + 1: {n} UPDATEs in one round trip (a driver's pipeline mode, as in \
                 PostgreSQL 14's libpq)."
            ),
            StrategyKind::Naive => {
                "GET then SET gains nothing: each SET carries the value its GET \
                                    returned, so it waits for that reply; still 2 round trips a \
                                    like."
                    .to_owned()
            }
            StrategyKind::Optimistic => "WATCH/MULTI/EXEC already sends MULTI, SET and EXEC \
                                         together, but only after the GET's reply: 2 round trips \
                                         a like, more when EXEC fails."
                .to_owned(),
            StrategyKind::SqlReadModifyWrite => "SQL SELECT then UPDATE: the UPDATE needs the \
                                                 SELECT's reply; 2 round trips a like."
                .to_owned(),
        });
    }
    text.push_str(
        " Redis does the same work either way: when it is the bottleneck (thousands of clients \
         within 1 ms) pipelining saves round trips, not time.",
    );
    text
}
