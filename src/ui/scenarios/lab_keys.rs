//! A lab's keyspace, drawn with the inspector's own [`KeyCard`]s.

use leptos::context::Provider;
use leptos::prelude::*;

use super::runner::LabHandle;
use crate::simulation::scenarios::EPOCH_MS;
use crate::ui::clock::VirtualClock;
use crate::ui::keyspace::keyspace_view;
use crate::ui::lab::Lab;
use crate::ui::KeyCard;

/// The live keys of `handle`'s lab. Key cards read the time and the highlighted keys from the
/// [`Lab`] in context, so the cards get a `Lab` of their own whose clock shows the lab's engine
/// time and whose highlights are the keys the lab's latest commands wrote.
#[component]
pub fn LabKeys(
    /// The lab whose keys to show.
    handle: LabHandle,
    /// The id of the heading (unique on the page).
    heading_id: String,
) -> impl IntoView {
    let labelledby = heading_id.clone();
    let view_model = Memo::new(move |_| handle.with_engine(keyspace_view).unwrap_or_default());
    let lab_clock = VirtualClock::new();
    lab_clock.running.set(false);
    let cards_lab = Lab::new(EPOCH_MS, lab_clock);
    Effect::new(move || {
        lab_clock
            .elapsed_ms
            .set(handle.engine_now_ms().saturating_sub(EPOCH_MS));
        cards_lab.touched.set(handle.touched.get());
    });
    let count = move || {
        view_model.with(|v| match v.total {
            0 => "(empty keyspace)".to_owned(),
            1 => "1 key".to_owned(),
            n if n > v.keys.len() => format!("{n} keys (the first {} shown)", v.keys.len()),
            n => format!("{n} keys"),
        })
    };
    view! {
        <div class="lab-keys">
            <h4 id=heading_id>"Keyspace"</h4>
            // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
            <p class="lab-key-count">{move || count()}</p>
            <Provider value=cards_lab>
                <ul class="keys" tabindex="0" aria-labelledby=labelledby>
                    <For
                        each=move || view_model.get().keys
                        key=|key| (key.key.clone(), key.fingerprint)
                        let:key
                    >
                        <KeyCard key />
                    </For>
                </ul>
            </Provider>
        </div>
    }
}
