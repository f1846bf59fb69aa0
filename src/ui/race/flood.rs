//! The flood: 2 to 100,000 clients adding one like each (or 10 or 100, pipelined or not), two
//! strategies side by side on the same schedule.

use gloo_timers::callback::Timeout;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

use super::flood_state::FloodState;
use super::params::{FloodParams, KEYS};
use super::{BigCounter, FloodControls, FloodLegend, FloodPanel, FloodResults};
use crate::ui::address::{query_value, write_address, Entry, Fragment};

/// How long after the last change of a setting the page address is updated, in ms.
const URL_DELAY_MS: u32 = 250;

/// The flood section. Reads its settings from the page address (`?clients=…&seed=…&strategy=…&vs=…
/// &spread=…&speed=…&likes=…&pipeline=1`) and writes every change back, provides the [`FloodState`] to its children, and listens
/// for the keyboard shortcuts: Space plays or pauses, → steps, + and − change the speed. The
/// shortcuts act while the section is on screen and the learner is not typing in a field.
#[component]
pub fn Flood() -> impl IntoView {
    let state = FloodState::new(FloodParams::from_query(query_value));
    provide_context(state);

    // A new client count, seed, strategy, spread, likes per client or pipelining means new runs.
    let run_key = Memo::new(move |_| state.params.with(FloodParams::run_key));
    Effect::new(move |_| {
        // `get`, not `track`: reading the memo is what makes it subscribe to the settings.
        let _ = run_key.get();
        state.rebuild();
    });
    // The address always names the run on screen (only once the learner changed something).
    // Written a moment after the last change: dragging the slider fires dozens of changes a
    // second, and browsers ignore history updates that come that fast.
    // A timeout that is dropped never fires: replacing the pending one cancels it.
    let pending = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |first: Option<()>| {
        let params = state.params.get();
        if first.is_none() {
            return;
        }
        let write = Timeout::new(URL_DELAY_MS, move || write_params(&params));
        pending.try_set_value(Some(write));
    });
    on_cleanup(move || drop(pending.try_update_value(Option::take)));

    let keys = window_event_listener(ev::keydown, move |e: KeyboardEvent| on_key(state, &e));
    on_cleanup(move || keys.remove());

    view! {
        <section class="flood" aria-labelledby="flood-title" node_ref=state.section>
            <h3 id="flood-title">"The flood"</h3>
            <p class="lede">
                "Every client adds one like to the same key, all starting within the window you pick \
                 (1 ms: a post going viral). Left and right, the same clients start at the same \
                 instants over the same network: only the way they add their like differs."
            </p>
            <p class="lede">
                "Widen the window and fewer requests overlap, so GET-then-SET loses fewer likes, \
                 yet it still loses some: a read and its write are a network round trip apart, and \
                 another client can slip in between. INCR never loses one."
            </p>
            <FloodControls />
            <BigCounter />
            <div class="flood-sides">
                <FloodPanel index=0 />
                <FloodPanel index=1 />
            </div>
            <FloodLegend />
            <FloodResults />
            <p class="flood-result" role="status" aria-live="polite">
                {move || state.result.get()}
            </p>
            <p class="flood-note" hidden=move || !nearly_all_lost(state)>
                "Not a bug: almost every client read the counter (0 or 1) before any write landed, \
                 so nearly every write stored 1 or 2, whatever the seed. Spread the arrivals over \
                 100 ms, 1 s or 10 s to see the seed matter."
            </p>
        </section>
    }
}

/// True once a run of ten clients or more has ended with a side's counter at 2 or below after
/// losing likes (GET-then-SET within 1 ms ends at 2 for every seed): a result a learner may take
/// for a bug, which the page explains.
fn nearly_all_lost(state: FloodState) -> bool {
    if state.result.with(String::is_empty) || state.params.with(|p| p.clients) < 10 {
        return false;
    }
    state.stats.with(|stats| {
        stats.as_ref().is_some_and(|sides| {
            sides
                .iter()
                .any(|s| s.outcome.lost_updates > 0 && s.outcome.actual <= 2)
        })
    })
}

/// Puts the flood's parameters into the page address, beside the open chapter, in place; a
/// parameter the settings leave out (likes per client back to 1) leaves the address too.
fn write_params(params: &FloodParams) {
    let query = params.to_query();
    let pairs: Vec<(&str, &str)> = KEYS
        .iter()
        .map(|key| {
            let value = query.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v);
            (*key, value)
        })
        .collect();
    write_address(&pairs, Fragment::Keep, Entry::Replace);
}

/// The link that reproduces `params` (relative: it keeps the page's path).
pub fn share_href(params: &FloodParams) -> String {
    let pairs: Vec<String> = params
        .to_query()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("?{}", pairs.join("&"))
}

/// Handles a shortcut key, unless the learner is typing or the flood is off screen.
fn on_key(state: FloodState, e: &KeyboardEvent) {
    if e.ctrl_key() || e.alt_key() || e.meta_key() || e.default_prevented() {
        return;
    }
    let key = e.key();
    if !matches!(key.as_str(), " " | "ArrowRight" | "+" | "=" | "-" | "_") {
        return;
    }
    let Some(section) = state.section.get_untracked() else {
        return;
    };
    let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
    if let Some(target) = &target {
        let tag = target.tag_name().to_ascii_uppercase();
        let typing = matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || target.closest("[contenteditable]").ok().flatten().is_some();
        // Space on a focused button presses that button; leave it alone.
        let native = key == " " && matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY");
        if typing || native {
            return;
        }
        let in_flood = section.contains(Some(target));
        let on_page = matches!(tag.as_str(), "BODY" | "HTML");
        if !(in_flood || on_page && on_screen(&section)) {
            return;
        }
    }
    e.prevent_default();
    match key.as_str() {
        " " => state.play_pause(),
        "ArrowRight" => state.step(),
        "+" | "=" => state.change_speed(true),
        _ => state.change_speed(false),
    }
}

/// True when part of `el` is inside the window.
fn on_screen(el: &Element) -> bool {
    let rect = el.get_bounding_client_rect();
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    rect.bottom() > 0.0 && rect.top() < height
}
