//! One side of the flood: its strategy, the clients around the server, and the chart.

use leptos::prelude::*;

use super::chart;
use super::flood_state::FloodState;
use super::params::{group_digits, group_signed};
use super::stage;

/// The stage and chart canvases of side `index` of the [`FloodState`] in context. Both canvases
/// are images whose accessible names carry their numbers; the results table has them all.
#[component]
pub fn FloodPanel(
    /// Which side: 0 (left) or 1 (right).
    index: usize,
) -> impl IntoView {
    let state = expect_context::<FloodState>();
    let i = index.min(1);
    let kind = move || state.params.with(|p| p.kinds[i]);
    let stats = move || state.stats.with(|s| s.as_ref().map(|s| s[i].clone()));
    let stage_text = move || {
        let (clients, total) = state.params.with(|p| (p.clients, p.total_likes()));
        match stats() {
            Some(s) => format!(
                "{} clients around one server running {}: the counter reads {} after {} of \
                 {} likes were acknowledged; {} requests wait in the server's queue.",
                group_digits(clients as u64),
                kind().label(),
                group_signed(s.outcome.actual),
                group_signed(s.outcome.expected),
                group_signed(total),
                group_digits(s.queue as u64),
            ),
            None => format!("{} clients around one server", group_digits(clients as u64)),
        }
    };
    let chart_text = move || match stats() {
        Some(s) => format!(
            "Chart of likes over time for {}: expected {}, actual {}.",
            kind().label(),
            group_signed(s.outcome.expected),
            group_signed(s.outcome.actual),
        ),
        None => "Chart of likes over time".to_owned(),
    };

    view! {
        <figure class="flood-side">
            <figcaption>{move || kind().label()}</figcaption>
            <canvas
                class="stage"
                width=stage::SIZE.to_string()
                height=stage::SIZE.to_string()
                role="img"
                aria-label=stage_text
                node_ref=state.canvases[i]
            ></canvas>
            <canvas
                class="chart"
                width=chart::WIDTH.to_string()
                height=chart::HEIGHT.to_string()
                role="img"
                aria-label=chart_text
                node_ref=state.charts[i]
            ></canvas>
        </figure>
    }
}
