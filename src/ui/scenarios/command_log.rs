//! A lab's live command log: what the server executed, newest last, each Redis command a button
//! that runs it in the console.

use leptos::either::Either;
use leptos::prelude::*;

use super::runner::LabHandle;
use crate::ui::server::ServerId;
use crate::ui::Snippet;

/// The newest commands `handle`'s lab executed: time, client, command (clickable: it runs in the
/// console, connected to the lab's server), reply.
#[component]
pub fn CommandLog(
    /// The lab whose commands to list.
    handle: LabHandle,
    /// The id of the log's heading (unique on the page).
    heading_id: String,
) -> impl IntoView {
    let labelledby = heading_id.clone();
    view! {
        <div class="lab-log-wrap">
            <h4 id=heading_id>"Command log"</h4>
            <p class="lab-hint">
                "The newest commands the lab's server ran. Click one to run it again in the console, on \
                this lab's server."
            </p>
            <ol class="lab-log" tabindex="0" aria-labelledby=labelledby>
                <For each=move || handle.log.get() key=|line| line.id let:line>
                    <li>
                        <span class="log-at">{line.at}</span>
                        <span class="log-who">{line.who}</span>
                        {if line.runnable {
                            Either::Left(view! { <Snippet command=line.command server=ServerId::Lab(handle.id) /> })
                        } else {
                            Either::Right(view! { <code class="log-other">{line.command}</code> })
                        }}
                        <span class="log-reply">{line.reply}</span>
                    </li>
                </For>
            </ol>
        </div>
    }
}
