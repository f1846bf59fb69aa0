//! A lab's keyspace, drawn with the inspector's own [`key_items`].

use leptos::prelude::*;

use super::runner::LabHandle;
use crate::ui::key_card::CardSource;
use crate::ui::key_items;
use crate::ui::keyspace::{count_label, keyspace_view};

/// The live keys of `handle`'s lab (its database 0, where its clients work), the cards showing
/// TTLs on the lab's clock and highlighting the keys its latest commands wrote.
#[component]
pub fn LabKeys(
    /// The lab whose keys to show.
    handle: LabHandle,
    /// The id of the heading (unique on the page).
    heading_id: String,
) -> impl IntoView {
    let labelledby = heading_id.clone();
    let view_model = Memo::new(move |_| {
        handle
            .with_engine(|e| keyspace_view(e, 0))
            .unwrap_or_default()
    });
    provide_context(CardSource {
        now_ms: Signal::derive(move || handle.engine_now_ms()),
        touched: handle.touched.into(),
    });
    let count = move || view_model.with(count_label);
    view! {
        <div class="lab-keys">
            <h4 id=heading_id>"Keyspace"</h4>
            // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
            <p class="lab-key-count">{move || count()}</p>
            <ul class="keys" tabindex="0" aria-labelledby=labelledby>{key_items(view_model)}</ul>
        </div>
    }
}
