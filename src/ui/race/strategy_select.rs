//! A labelled picker of the race demo's strategies.

use leptos::prelude::*;

use crate::simulation::StrategyKind;
use crate::ui::CollectErased;

/// A `<select>` of every [`StrategyKind`], labelled `label`.
#[component]
pub fn StrategySelect(
    /// The visible label (the select's accessible name).
    label: &'static str,
    /// The strategy shown as chosen.
    value: Signal<StrategyKind>,
    /// Called with the learner's choice.
    on_change: Callback<StrategyKind>,
) -> impl IntoView {
    view! {
        <label>
            {label} " "
            <select on:change:target=move |ev| {
                if let Some(kind) = StrategyKind::from_slug(&ev.target().value()) {
                    on_change.run(kind);
                }
            }>
                {StrategyKind::ALL
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <option value=kind.slug() selected=move || value.get() == kind>
                                {kind.label()}
                            </option>
                        }
                    })
                    .collect_erased()}
            </select>
        </label>
    }
}
