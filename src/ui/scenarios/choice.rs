//! A labelled drop-down of a lab's settings.

use leptos::prelude::*;

use crate::ui::CollectErased;

/// A `<select>` inside its `<label>`: `options` are (value, text) pairs; `value` holds the chosen
/// value.
#[component]
pub fn Choice(
    /// The label, read by screen readers as the select's name.
    label: &'static str,
    /// (value, text) pairs, in order.
    options: Vec<(String, String)>,
    /// The chosen value.
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label>
            {label} " "
            <select on:change:target=move |ev| value.set(ev.target().value())>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = value.get_untracked() == v;
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_erased()}
            </select>
        </label>
    }
}

/// Options from a list of items, by their value and text.
pub fn options<T: Copy>(
    items: &[T],
    value: impl Fn(T) -> String,
    text: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    items.iter().map(|&i| (value(i), text(i))).collect()
}
