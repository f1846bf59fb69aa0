//! A command snippet that runs in the console when clicked, like Try Redis' tutorial links.

use leptos::prelude::*;

use super::lab::Lab;
use super::server::ServerId;

/// A button showing a command line; clicking it (or Enter/Space on it) connects the console of
/// the [`Lab`] in context to the snippet's server and runs the line there.
#[component]
pub fn Snippet(
    /// The command line, in redis-cli syntax: shown as is, and run as typed.
    #[prop(into)]
    command: String,
    /// The server the command belongs to: the page's own unless it is a lab's command.
    #[prop(default = ServerId::Page)]
    server: ServerId,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let line = command.clone();
    let title = match server {
        ServerId::Page => "Run in the console".to_owned(),
        ServerId::Lab(id) => format!("Run in the console, on the {}'s server", id.server_name()),
    };
    view! {
        <button type="button" class="snippet" title=title on:click=move |_| lab.run_on(server, &line)>
            {command}
        </button>
    }
}
