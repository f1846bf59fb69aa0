//! The keyspace inspector: every live key, its type, value and TTL, updated as commands run and as
//! virtual time passes.

use leptos::prelude::*;

use super::key_card::CardSource;
use super::key_items;
use super::keyspace::count_label;
use super::lab::Lab;

/// The keyspace of the server the console talks to (the [`Lab`] in context says which), in the
/// database the console has selected there: keys in byte order (the first
/// [`MAX_KEYS_SHOWN`](super::keyspace::MAX_KEYS_SHOWN)), the ones the latest command modified
/// highlighted, TTLs counting down on that server's clock, expired keys gone.
#[component]
pub fn Inspector() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let view_model = Memo::new(move |_| lab.keyspace());
    provide_context(CardSource {
        now_ms: Signal::derive(move || lab.server_now_ms()),
        touched: Signal::derive(move || lab.server_touched()),
    });
    let source = move || {
        format!(
            "{}, db {}",
            lab.connected.get().prompt_name(),
            lab.selected_db()
        )
    };

    view! {
        <section class="pane inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">"Keyspace"</h2>
            <p class="inspector-server" class:on-lab=move || lab.connected.get() != super::server::ServerId::Page>
                <span class="visually-hidden">"Server: "</span>
                {move || source()}
            </p>
            <p class="key-count" aria-live="polite">{move || view_model.with(count_label)}</p>
            <ul class="keys" aria-label="Keys">{key_items(view_model)}</ul>
        </section>
    }
}
