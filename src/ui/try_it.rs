//! A short guided tour: snippets to click, in an order that tells a story.

use leptos::prelude::*;

use super::Snippet;
use crate::ui::CollectErased;

/// The commands of the tour, in order.
pub const TOUR: [&str; 9] = [
    "SET likes 100",
    "INCR likes",
    "INCRBY likes 10",
    "GET likes",
    "EXPIRE likes 10",
    "TTL likes",
    "HSET page:1 views 1 likes 0",
    "ZADD board 10 alice 20 bob",
    "HELP INCR",
];

/// The "Try it" panel: the [`TOUR`] as clickable [`Snippet`]s.
#[component]
pub fn TryIt() -> impl IntoView {
    view! {
        <section class="pane try-it" aria-labelledby="try-title">
            <h2 id="try-title">"Try it"</h2>
            <p>
                "Click a command to run it in the console. After " <code>"EXPIRE"</code>
                ", fast-forward the clock and watch the key go."
            </p>
            <ul class="snippets">
                {TOUR.into_iter().map(|command| view! { <li><Snippet command /></li> }).collect_erased()}
            </ul>
        </section>
    }
}
