//! A command snippet that runs in the console when clicked, like Try Redis' tutorial links.

use leptos::prelude::*;

use super::lab::Lab;

/// A button showing a command line; clicking it (or Enter/Space on it) runs the line in the
/// console of the [`Lab`] in context.
#[component]
pub fn Snippet(
    /// The command line, in redis-cli syntax: shown as is, and run as typed.
    #[prop(into)]
    command: String,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let line = command.clone();
    view! {
        <button type="button" class="snippet" title="Run in the console" on:click=move |_| lab.run(&line)>
            {command}
        </button>
    }
}
