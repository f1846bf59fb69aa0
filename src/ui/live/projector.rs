//! The projector's page in the live classroom.

use leptos::prelude::*;

use super::LiveRoom;
use crate::classroom::protocol::{Request, Strategy, RTT_BUCKETS_MS};
use crate::ui::CollectErased;

/// The room code and the QR code of the join address, the live figures (students, taps against
/// the counter, lost updates, the flash sale), the round-trip histogram, and the teacher's
/// controls: strategy, reset, countdown.
#[component]
pub fn ProjectorView() -> impl IntoView {
    let room = expect_context::<LiveRoom>();
    let welcome = move |f: fn(&crate::classroom::protocol::Welcome) -> String| {
        room.welcome.with(|w| w.as_ref().map(f).unwrap_or_default())
    };
    let figure = move |label: &'static str, value: Signal<String>, class: &'static str| {
        view! {
            <div class=class>
                <dt>{label}</dt>
                <dd>{move || value.get()}</dd>
            </div>
        }
    };
    let state = room.state;
    let histogram = move || {
        let counts = state.with(|s| s.rtt.clone());
        let most = counts.iter().copied().max().unwrap_or(0).max(1);
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| {
                let label = match (
                    i.checked_sub(1).map(|j| RTT_BUCKETS_MS[j]),
                    RTT_BUCKETS_MS.get(i),
                ) {
                    (None, Some(hi)) => format!("< {hi} ms"),
                    (Some(lo), Some(hi)) => format!("{lo}–{hi} ms"),
                    (Some(lo), None) => format!("≥ {lo} ms"),
                    (None, None) => String::new(),
                };
                let width = format!("width: {}%", count * 100 / most);
                view! {
                    <li>
                        <span class="live-bar-label">{label}</span>
                        <span class="live-bar" style=width></span>
                        <span class="live-bar-count">{count}</span>
                    </li>
                }
            })
            .collect_erased()
    };
    let naive = move || state.with(|s| s.strategy) == Strategy::Naive;
    view! {
        <main class="live live-projector">
            <section class="live-join" aria-labelledby="live-join-title">
                <h1 id="live-join-title">"Join room " <span class="live-code">{move || welcome(|w| w.room.clone())}</span></h1>
                <div class="live-qr" role="img" aria-label="QR code of the join address"
                    inner_html=move || welcome(|w| w.qr_svg.clone().unwrap_or_default())></div>
                <p class="live-url">{move || welcome(|w| w.join_url.clone().unwrap_or_default())}</p>
                <p class="live-status" role="status">{move || room.status.get()}</p>
            </section>
            <section class="live-figures" aria-label="The room now">
                <dl>
                    {figure("Students", Signal::derive(move || state.with(|s| s.students.to_string())), "live-figure")}
                    {figure("Taps", Signal::derive(move || state.with(|s| s.taps.to_string())), "live-figure")}
                    {figure("Counter", Signal::derive(move || state.with(|s| s.counter.to_string())), "live-figure")}
                    {figure("Lost updates", Signal::derive(move || state.with(|s| s.lost.to_string())), "live-figure live-lost")}
                    {figure("Stock", Signal::derive(move || state.with(|s| s.stock.to_string())), "live-figure")}
                    {figure("Sold", Signal::derive(move || state.with(|s| s.sold.to_string())), "live-figure")}
                </dl>
                <p class="live-countdown" aria-live="assertive">
                    {move || match room.countdown.get() {
                        None => String::new(),
                        Some(0) => "Tap now!".to_owned(),
                        Some(n) => format!("{n}…"),
                    }}
                </p>
            </section>
            <section class="live-rtt" aria-labelledby="live-rtt-title">
                <h2 id="live-rtt-title">"Round trips (phone ↔ server)"</h2>
                <ul>{histogram}</ul>
            </section>
            <section class="live-controls" aria-label="Teacher's controls">
                <fieldset>
                    <legend>"Like and Buy use"</legend>
                    <label>
                        <input type="radio" name="live-strategy" prop:checked=naive
                            on:change=move |_| room.send(&Request::Strategy(Strategy::Naive)) />
                        " GET then SET · DECR (naive)"
                    </label>
                    <label>
                        <input type="radio" name="live-strategy" prop:checked=move || !naive()
                            on:change=move |_| room.send(&Request::Strategy(Strategy::Atomic)) />
                        " INCR · a script (atomic)"
                    </label>
                </fieldset>
                <button type="button" on:click=move |_| room.send(&Request::Countdown(3))>"Countdown: everybody tap now"</button>
                <button type="button" on:click=move |_| room.send(&Request::Reset)>"Reset the room"</button>
            </section>
        </main>
    }
}
