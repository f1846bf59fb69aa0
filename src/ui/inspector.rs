//! The keyspace inspector: every live key, its type, value and TTL, updated as commands run and as
//! virtual time passes.

use leptos::prelude::*;

use super::lab::Lab;
use super::KeyCard;

/// The keyspace of the [`Lab`] in context: keys in byte order (the first [`MAX_KEYS_SHOWN`](super::keyspace::MAX_KEYS_SHOWN)), the
/// ones the last command modified highlighted, TTLs counting down, expired keys gone.
#[component]
pub fn Inspector() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let view_model = Memo::new(move |_| {
        lab.revision.track();
        lab.keyspace()
    });
    let count = move || {
        view_model.with(|v| match v.total {
            0 => "(empty keyspace)".to_owned(),
            1 => "1 key".to_owned(),
            n if n > v.keys.len() => format!("{n} keys (the first {} shown)", v.keys.len()),
            n => format!("{n} keys"),
        })
    };

    view! {
        <section class="pane inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">"Keyspace"</h2>
            // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
            <p class="key-count" aria-live="polite">{move || count()}</p>
            <ul class="keys" aria-label="Keys">
                <For
                    each=move || view_model.get().keys
                    key=|key| (key.key.clone(), key.fingerprint)
                    let:key
                >
                    <KeyCard key />
                </For>
            </ul>
        </section>
    }
}
