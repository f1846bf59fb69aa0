//! The keyspace inspector: every key, its type, value and TTL.

use leptos::prelude::*;

/// The keyspace inspector. Until the engine is wired in, it shows an empty keyspace.
#[component]
pub fn Inspector() -> impl IntoView {
    view! {
        <section class="pane inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">"Keyspace"</h2>
            <p class="placeholder">"(empty keyspace)"</p>
        </section>
    }
}
