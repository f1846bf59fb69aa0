//! The console: where the learner types Redis commands.

use leptos::prelude::*;

/// The command console. Until the engine is wired in, it shows where commands will go.
#[component]
pub fn Console() -> impl IntoView {
    view! {
        <section class="pane console" aria-labelledby="console-title">
            <h2 id="console-title">"Console"</h2>
            <p class="placeholder">"The Redis console appears here."</p>
        </section>
    }
}
