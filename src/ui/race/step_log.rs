//! The steps taken so far in the step-by-step view, with each lost update flagged on its step.

use leptos::prelude::*;

use crate::simulation::Interleaving;

use super::stage::client_letter;

/// The numbered list of the steps of `model`.
#[component]
pub fn StepLog(
    /// The exercise whose steps are listed.
    model: RwSignal<Interleaving, LocalStorage>,
) -> impl IntoView {
    let rows = move || model.with(|m| m.records().iter().cloned().enumerate().collect::<Vec<_>>());
    view! {
        <div class="step-log-wrap">
            <h4 id="step-log-title">"Steps taken"</h4>
            <Show
                when=move || model.with(|m| !m.records().is_empty())
                fallback=|| view! { <p class="placeholder">"No step yet: press a client's Step button."</p> }
            >
                <ol class="step-log" aria-labelledby="step-log-title">
                    <For
                        each=rows
                        key=|(i, r)| (*i, r.client, r.request.clone(), r.lost)
                        children=|(_, r)| {
                            let lost = r.lost;
                            view! {
                                <li class:lost={lost > 0}>
                                    <span class="who">{client_letter(r.client)}</span>
                                    " " <code>{r.request}</code> " → " <code>{r.response}</code>
                                    <span class="value">{format!(" likes = {}", r.value)}</span>
                                    {(lost > 0).then(|| view! {
                                        <strong class="lost-flag">
                                            {format!(
                                                " Lost update: this write overwrote {lost} {}",
                                                if lost == 1 { "like" } else { "likes" },
                                            )}
                                        </strong>
                                    })}
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
        </div>
    }
}
