//! The flood's two counters in projector-sized type: the classroom view of the race.

use leptos::prelude::*;

use super::flood_state::FloodState;
use super::params::{group_signed, spread_label};

/// Both sides' counters of the [`FloodState`] in context, huge, each over the number of likes
/// sent, the window they arrived in and the likes lost. Shown only in the lesson's classroom mode (the stylesheet keys on
/// `html[data-classroom]`); hidden from screen readers, which have the results table and the
/// result sentence already.
#[component]
pub fn BigCounter() -> impl IntoView {
    let state = expect_context::<FloodState>();
    let side = move |i: usize| {
        let label = move || {
            state
                .params
                .with(|p| p.kinds.get(i).map_or("", |k| k.label()))
        };
        let counter = move || {
            state.stats.with(|s| {
                s.as_ref()
                    .and_then(|s| s.get(i))
                    .map_or_else(|| "0".to_owned(), |s| group_signed(s.counter))
            })
        };
        let lost = move || {
            state.stats.with(|s| {
                s.as_ref()
                    .and_then(|s| s.get(i))
                    .map(|s| s.outcome.lost_updates)
                    .filter(|&n| n > 0)
                    .map(|n| format!("{} lost", group_signed(n)))
            })
        };
        let of = move || {
            state.params.with(|p| {
                format!(
                    "of {} likes in {}",
                    group_signed(p.total_likes()),
                    spread_label(p.spread_ms)
                )
            })
        };
        view! {
            <div class="big-side">
                // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                <p class="big-label">{move || label()}</p>
                <p class="big-number">{move || counter()}</p>
                <p class="big-of">{move || of()}" "<span class="big-lost">{move || lost()}</span></p>
            </div>
        }
    };
    view! { <div class="big-counter" aria-hidden="true">{side(0)}{side(1)}</div> }
}
