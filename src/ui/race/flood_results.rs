//! The flood's figures, side by side, as a table (the canvases' text alternative, too).

use leptos::prelude::*;

use super::flood_run::SideStats;
use super::flood_state::FloodState;
use super::params::{format_ms, group_digits, group_signed};
use crate::ui::CollectErased;

/// How one row reads its figure from one side's stats.
type Read = fn(&SideStats) -> String;

/// The rows: a heading and how to read the figure.
const ROWS: [(&str, Read); 11] = [
    ("Counter (likes)", |s| group_signed(s.outcome.actual)),
    ("Likes acknowledged", |s| group_signed(s.outcome.expected)),
    ("Lost updates", |s| group_signed(s.outcome.lost_updates)),
    ("Retries", |s| group_digits(s.outcome.retries)),
    ("Gave up", |s| group_digits(s.outcome.gave_up)),
    ("Round trips", |s| group_digits(s.outcome.round_trips)),
    ("Round trips per like", |s| {
        per_like(s.outcome.round_trips, s.outcome.expected)
    }),
    ("Commands sent", |s| group_digits(s.outcome.commands)),
    ("Server queue", |s| group_digits(s.queue as u64)),
    // Where the time goes (the race chapter's "Where the time goes"): the server's share.
    ("Time Redis was busy", |s| format_ms(busy_us(s))),
    ("Simulated time", |s| format_ms(s.now_us)),
];

/// `round_trips / likes` with two decimals (`1.00`, `2.37`), in integers: a float format would
/// pull Rust's float printing into the wasm. `—` before the first like.
pub fn per_like(round_trips: u64, likes: i64) -> String {
    let Ok(likes) = u64::try_from(likes) else {
        return "—".to_owned();
    };
    if likes == 0 {
        return "—".to_owned();
    }
    let hundredths = round_trips.saturating_mul(100).saturating_add(likes / 2) / likes;
    format!("{}.{:02}", group_digits(hundredths / 100), hundredths % 100)
}

/// The server's busy time so far: every command sent costs the simulated server
/// [`Config::service_us`] (2 µs); the rest of the simulated time is the network and the queue.
fn busy_us(s: &SideStats) -> u64 {
    s.outcome
        .commands
        .saturating_mul(crate::simulation::sim::Config::default().service_us)
}

/// A table of every figure of both sides of the [`FloodState`] in context.
#[component]
pub fn FloodResults() -> impl IntoView {
    let state = expect_context::<FloodState>();
    let label = move |i: usize| state.params.with(|p| p.kinds[i].label());
    let cell = move |row: usize, side: usize| {
        state.stats.with(|s| {
            s.as_ref()
                .and_then(|s| s.get(side))
                .and_then(|s| ROWS.get(row).map(|(_, read)| read(s)))
                .unwrap_or_default()
        })
    };
    let lossy = move |side: usize| {
        state.stats.with(|s| {
            s.as_ref()
                .and_then(|s| s.get(side))
                .is_some_and(|s| s.outcome.lost_updates > 0)
        })
    };
    view! {
        <table class="flood-results">
            <caption>"Flood results"</caption>
            <thead>
                <tr>
                    <th scope="col">"Figure"</th>
                    <th scope="col">{move || label(0)}</th>
                    <th scope="col">{move || label(1)}</th>
                </tr>
            </thead>
            <tbody>
                {ROWS
                    .iter()
                    .enumerate()
                    .map(|(row, (name, _))| {
                        let flag = row == 2;
                        view! {
                            <tr>
                                <th scope="row">{*name}</th>
                                <td class:bad=move || flag && lossy(0)>{move || cell(row, 0)}</td>
                                <td class:bad=move || flag && lossy(1)>{move || cell(row, 1)}</td>
                            </tr>
                        }
                    })
                    .collect_erased()}
            </tbody>
        </table>
    }
}
