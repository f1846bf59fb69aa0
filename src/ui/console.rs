//! The console: type Redis commands, read redis-cli's answers.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;

use super::lab::Lab;
use super::server::ServerId;
use super::ConsoleEntry;

/// The `id` of the console's input, for links and labels elsewhere on the page.
pub const CONSOLE_INPUT_ID: &str = "console-input";

/// The `id` of the line saying which server the console talks to (the input's description).
pub const CONSOLE_SERVER_ID: &str = "console-server";

/// The command console for the [`Lab`] in context: the server it talks to (with a button back to
/// the page's own when it is a lab's), a transcript that answers exactly as `redis-cli --no-raw`
/// would (each line echoed with that server's time and prompt), and an input line with
/// redis-cli's prompt, history on ↑/↓, and Ctrl+L to clear (as in redis-cli). `HELP`,
/// `HELP <command>` and `CLEAR` work too. A checkbox prints the replies that follow as
/// `redis-cli -3` does (RESP3: a score is a double).
#[component]
pub fn Console() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let input = RwSignal::new(String::new());
    let log_ref = NodeRef::<html::Div>::new();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let line = input.get_untracked();
        input.set(String::new());
        lab.run(&line);
    };
    let keydown = move |ev: KeyboardEvent| {
        if ev.is_composing() {
            return; // an input method is composing a character: its keys are not ours
        }
        let recalled = match ev.key().as_str() {
            "ArrowUp" => lab
                .history
                .try_update_value(|h| h.older(&input.get_untracked())),
            "ArrowDown" => lab.history.try_update_value(|h| h.newer()),
            "l" | "L" if ev.ctrl_key() => {
                ev.prevent_default();
                lab.clear_transcript();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(line) = recalled.flatten() {
            input.set(line);
        }
    };

    // Keep the newest output in view.
    Effect::new(move || {
        lab.transcript.track();
        request_animation_frame(move || {
            // The console may be gone by the next frame (unmounted): then there is nothing to do.
            if let Some(Some(log)) = log_ref.try_get_untracked() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    });

    let on_lab = move || lab.connected.get() != ServerId::Page;
    let back = move |_| lab.connect(ServerId::Page);

    view! {
        <section class="pane console" aria-labelledby="console-title">
            <div class="console-head">
                <h2 id="console-title">"Console"</h2>
                <label class="console-resp3">
                    <input
                        type="checkbox"
                        prop:checked=move || lab.resp3.get()
                        on:change:target=move |ev| lab.resp3.set(ev.target().checked())
                    />
                    " RESP3 (redis-cli -3)"
                </label>
            </div>
            <div class="console-server" class:on-lab=on_lab>
                <p id=CONSOLE_SERVER_ID role="status">
                    "Connected to " <strong>{move || lab.connected.get().describe()}</strong>
                    {move || (!on_lab()).then_some(" (127.0.0.1:6379)")}
                </p>
                <Show when=on_lab>
                    <button type="button" on:click=back>"Back to this page's server"</button>
                </Show>
            </div>
            <div class="console-log" role="log" aria-label="Console output" tabindex="0" node_ref=log_ref>
                <p class="console-note">
                    "Type a Redis command below, or HELP. Answers are exactly what redis-cli prints."
                </p>
                <For each=move || lab.transcript.get() key=|entry| entry.id let:entry>
                    <ConsoleEntry entry />
                </For>
            </div>
            <form class="console-form" on:submit=submit>
                <span class="prompt" aria-hidden="true">{move || lab.prompt()}</span>
                <label class="visually-hidden" for=CONSOLE_INPUT_ID>"Command"</label>
                <input
                    id=CONSOLE_INPUT_ID
                    aria-describedby=CONSOLE_SERVER_ID
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    placeholder="SET likes 100"
                    prop:value=input
                    on:input:target=move |ev| input.set(ev.target().value())
                    on:keydown=keydown
                />
                <button type="submit">"Run"</button>
            </form>
        </section>
    }
}
