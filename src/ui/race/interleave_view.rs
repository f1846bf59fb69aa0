//! Two or three clients stepped by hand, one command at a time (after The Deadlock Empire): the
//! learner is the scheduler.

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use crate::simulation::{BadInterleaving, Interleaving, StrategyKind};

use super::params::group_digits;
use super::stage::client_letter;
use super::{ClientColumn, StepLog, StrategySelect};

/// Real time between two steps when the view plays by itself, in ms.
const PLAY_EVERY_MS: u32 = 800;
/// Steps the "bad interleaving" search may try (three WATCH clients have millions of orders).
const SEARCH_BUDGET: usize = 20_000;
/// The counter's value before the first step.
const INITIAL: i64 = 100;

/// The step-by-step view: a strategy and client-count picker, one column per client, the shared
/// counter, the steps taken (lost updates flagged on their step), and Play, Step back, Reset and
/// "Show me a bad interleaving". Every step is announced in a live region.
#[component]
pub fn InterleaveView() -> impl IntoView {
    let kind = RwSignal::new(StrategyKind::Naive);
    let clients = RwSignal::new(2usize);
    let model = RwSignal::new_local(Interleaving::new(StrategyKind::Naive, 2, INITIAL));
    let message = RwSignal::new(String::new());
    // Dropping the interval stops it.
    let timer = StoredValue::new_local(None::<Interval>);
    let playing = RwSignal::new(false);

    let stop = move || {
        drop(timer.try_update_value(Option::take));
        playing.set(false);
    };
    on_cleanup(move || drop(timer.try_update_value(Option::take)));
    let restart = move || {
        stop();
        model.set(Interleaving::new(
            kind.get_untracked(),
            clients.get_untracked(),
            INITIAL,
        ));
        message.set(String::new());
    };
    let step = move |c: usize| {
        let moved = model.try_update(|m| m.step(c)).unwrap_or(false);
        if moved {
            message.set(model.with_untracked(describe_last_step));
        }
    };
    let step_by_hand = Callback::new(move |c: usize| {
        stop();
        step(c);
    });
    // Round robin: the client after the one that moved last, among those that can move.
    let play_one = move || {
        let next = model.with_untracked(|m| {
            let n = m.clients();
            let after = m.history().last().map_or(0, |&c| c + 1);
            (0..n).map(|k| (after + k) % n).find(|&c| m.can_step(c))
        });
        match next {
            Some(c) => step(c),
            None => stop(),
        }
    };
    let play = move |_| {
        if playing.get_untracked() {
            stop();
            return;
        }
        if model.with_untracked(Interleaving::is_done) {
            restart();
        }
        playing.set(true);
        play_one();
        timer.set_value(Some(Interval::new(PLAY_EVERY_MS, play_one)));
    };
    let step_back = move |_| {
        stop();
        if model.try_update(Interleaving::step_back).unwrap_or(false) {
            let remaining = model.with_untracked(|m| m.records().len());
            message.set(format!(
                "Stepped back: {remaining} {} taken.",
                if remaining == 1 { "step" } else { "steps" }
            ));
        }
    };
    let find_bad = move |_| {
        stop();
        let found = model.with_untracked(|m| m.search_bad_interleaving(SEARCH_BUDGET));
        let text = match found {
            BadInterleaving::Found(order) => {
                model.update(|m| m.replay(&order));
                let letters: Vec<String> = order.iter().map(|&c| client_letter(c)).collect();
                format!(
                    "Found one: {}. The lost update is flagged in the steps below; step back to \
                     watch it happen.",
                    letters.join(", ")
                )
            }
            BadInterleaving::NoneExists => {
                restart();
                "Every possible order of these steps was tried: none loses an update.".to_owned()
            }
            BadInterleaving::BudgetSpent => {
                restart();
                format!(
                    "{} steps tried, and no order lost an update: a conflicting EXEC fails and \
                     its client retries.",
                    group_digits(SEARCH_BUDGET as u64)
                )
            }
        };
        message.set(text);
    };

    let value = move || model.with(Interleaving::value);
    let acknowledged = move || model.with(Interleaving::acknowledged);
    let lost = move || model.with(|m| m.records().iter().map(|r| r.lost).sum::<i64>());

    view! {
        <section class="interleave" aria-labelledby="interleave-title">
            <h3 id="interleave-title">"Step by step"</h3>
            <p class="lede">
                "You are the scheduler. Each client adds one like to "<code>"likes"</code>
                " (it starts at "{INITIAL}"). Press a client's Step button to run its next command \
                 on the server: the server runs one command at a time, but nothing stops another \
                 client's command from running between a GET and the SET that depends on it."
            </p>
            <div class="control-row">
                <StrategySelect
                    label="Strategy"
                    value=kind.into()
                    on_change=Callback::new(move |k| {
                        kind.set(k);
                        restart();
                    })
                />
                <label>
                    "Clients "
                    <select on:change:target=move |ev| {
                        if let Ok(n) = ev.target().value().parse::<usize>() {
                            clients.set(n.clamp(2, 3));
                            restart();
                        }
                    }>
                        <option value="2" selected=move || clients.get() == 2>"2"</option>
                        <option value="3" selected=move || clients.get() == 3>"3"</option>
                    </select>
                </label>
            </div>
            <div class="control-row">
                <button type="button" class="primary" on:click=play>
                    {move || if playing.get() { "Pause" } else { "Play" }}
                </button>
                <button
                    type="button"
                    disabled=move || model.with(|m| m.history().is_empty())
                    on:click=step_back
                >
                    "Step back"
                </button>
                <button type="button" on:click=move |_| restart()>"Reset"</button>
                <button type="button" on:click=find_bad>"Show me a bad interleaving"</button>
            </div>
            <div class="shared" class:lost=move || { lost() > 0 }>
                <p>
                    "Server: " <code>"likes"</code> " = "
                    // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                    <strong class="shared-value">{move || value()}</strong>
                </p>
                <p>
                    "Likes acknowledged: " {move || acknowledged()} " — the counter should read "
                    {move || INITIAL + acknowledged()}
                    {move || {
                        let lost = lost();
                        (lost > 0)
                            .then(|| {
                                format!(
                                    " · {lost} lost {}",
                                    if lost == 1 { "update" } else { "updates" },
                                )
                            })
                    }}
                </p>
            </div>
            <div class="client-columns">
                <For
                    each=move || 0..clients.get()
                    key=|c| *c
                    children=move |c| view! { <ClientColumn model client=c on_step=step_by_hand /> }
                />
            </div>
            <StepLog model />
            <p class="interleave-status" role="status" aria-live="polite">{move || message.get()}</p>
        </section>
    }
}

/// The live-region sentence for the step just taken.
fn describe_last_step(m: &Interleaving) -> String {
    let Some(r) = m.records().last() else {
        return String::new();
    };
    let mut text = format!(
        "{} ran {} → {}; likes = {}.",
        client_letter(r.client),
        r.request,
        r.response,
        r.value
    );
    if r.lost > 0 {
        text.push_str(&format!(
            " Lost update! This write overwrote {} {} that another client had added.",
            r.lost,
            if r.lost == 1 { "like" } else { "likes" }
        ));
    }
    if m.is_done() {
        let acknowledged = m.acknowledged();
        text.push_str(&format!(
            " All clients are done: {acknowledged} {} acknowledged, so likes should read {}; it \
             reads {}.",
            if acknowledged == 1 { "like" } else { "likes" },
            INITIAL + acknowledged,
            m.value()
        ));
    }
    text
}
