//! A student's phone in the live classroom.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::LiveRoom;
use crate::classroom::protocol::{Purchase, Request, Strategy};

/// A big Like button, the flash sale's Buy button and a console, all on the room's shared Redis;
/// the teacher's countdown over them.
#[component]
pub fn StudentView() -> impl IntoView {
    let room = expect_context::<LiveRoom>();
    let input = RwSignal::new(String::new());
    let code = move || {
        room.welcome
            .with(|w| w.as_ref().map(|w| w.room.clone()).unwrap_or_default())
    };
    let strategy = move || room.state.with(|s| s.strategy);
    let explain = move || match strategy() {
        Strategy::Naive => "Like reads the counter (GET), then writes it back plus one (SET).",
        Strategy::Atomic => "Like runs INCR: Redis adds one, atomically.",
    };
    let purchase = move || match room.purchase.get() {
        None => String::new(),
        Some((Purchase::Got, stock)) => format!("You got one! Stock left: {stock}."),
        Some((Purchase::SoldOut, _)) => "Sold out: the script refused to sell.".to_owned(),
        Some((Purchase::Oversold, stock)) => {
            format!("You were sold an item that does not exist (stock {stock}).")
        }
    };
    let countdown = move || match room.countdown.get() {
        None => String::new(),
        Some(0) => "Tap now!".to_owned(),
        Some(n) => format!("{n}…"),
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        room.run_line(&input.get_untracked());
        input.set(String::new());
    };
    view! {
        <main class="live live-student">
            <header class="live-head">
                <h1>"Room " {code}</h1>
                <p class="live-status" role="status">{move || room.status.get()}</p>
            </header>
            <p class="live-countdown" aria-live="assertive">{countdown}</p>
            <section class="live-like-pane" aria-label="Likes">
                <button type="button" class="live-like" on:click=move |_| room.send(&Request::Tap)>
                    "Like"
                </button>
                <p class="live-explain">{explain}</p>
                <p>
                    "Your taps: " <strong data-testid="my-taps">{move || room.taps.get()}</strong>
                    " · the counter after your last tap: "
                    {move || room.last_tap.get().map(|n| n.to_string()).unwrap_or_else(|| "–".to_owned())}
                    " · the room's counter: " {move || room.state.with(|s| s.counter)}
                </p>
            </section>
            <section class="live-buy-pane" aria-label="Flash sale">
                <button type="button" class="live-buy" on:click=move |_| room.send(&Request::Buy)>
                    "Buy (flash sale)"
                </button>
                <p aria-live="polite">{purchase}</p>
            </section>
            <section class="live-console" aria-labelledby="live-console-title">
                <h2 id="live-console-title">"Console on the room's Redis"</h2>
                <div class="live-log" role="log" aria-label="Console output" tabindex="0">
                    <For each=move || room.lines.get() key=|line| line.id let:line>
                        <pre class:typed=line.typed>{line.text}</pre>
                    </For>
                </div>
                <form class="console-form" on:submit=submit>
                    <label class="visually-hidden" for="live-input">"Command"</label>
                    <input
                        id="live-input"
                        type="text"
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        enterkeyhint="send"
                        placeholder="GET likes"
                        prop:value=input
                        on:input:target=move |ev| input.set(ev.target().value())
                    />
                    <button type="submit">"Run"</button>
                </form>
            </section>
        </main>
    }
}
