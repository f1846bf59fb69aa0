//! The race demo's section of the page.

use leptos::prelude::*;

use super::{Flood, InterleaveView};

/// The race section: the step-by-step view, then the flood.
#[component]
pub fn RaceDemo() -> impl IntoView {
    view! {
        <section class="pane race" aria-labelledby="race-title">
            <h2 id="race-title">"The race: GET then SET against INCR"</h2>
            <p class="lede">
                "Two requests read 100, both write 101: one like is gone. Watch it happen one \
                 command at a time, then with thousands of clients — and watch "<code>"INCR"</code>
                " make it impossible, because the server reads and writes the counter in one \
                 command that nothing can interrupt."
            </p>
            <InterleaveView />
            <Flood />
        </section>
    }
}
