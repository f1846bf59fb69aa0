//! One line of the console transcript: the prompt and typed line, then what redis-cli printed.

use std::sync::Arc;

use leptos::prelude::*;

use crate::console::Kind;

use super::lab::Entry;

/// Shows one transcript [`Entry`]. Errors (the engine's, and lines redis-cli itself refuses) are
/// styled apart; everything is shown as text, never as HTML.
#[component]
pub fn ConsoleEntry(
    /// The entry to show.
    entry: Arc<Entry>,
) -> impl IntoView {
    let class = match entry.kind {
        Kind::Error | Kind::Invalid => "console-reply error",
        Kind::Help => "console-reply help",
        Kind::Waiting => "console-reply waiting",
        _ => "console-reply",
    };
    if entry.note {
        return view! { <p class="console-note console-switch">{entry.lines.join(" ")}</p> }
            .into_any();
    }
    let hidden = entry.hidden_lines;
    view! {
        <div class="console-entry">
            <div class="console-echo">
                <span class="prompt">{entry.prompt.clone()}</span>
                " "
                <span class="typed">{entry.echo.clone()}</span>
            </div>
            {(!entry.lines.is_empty()).then(|| view! { <div class=class>{entry.lines.join("\n")}</div> })}
            {(hidden > 0)
                .then(|| {
                    view! { <div class="console-note">{format!("… {hidden} more lines not shown")}</div> }
                })}
        </div>
    }
    .into_any()
}
