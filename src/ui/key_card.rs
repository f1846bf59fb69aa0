//! One key in the inspector.

use leptos::prelude::*;

use super::keyspace::{ttl_label, Items, KeyView, KeyspaceView, Pairs, ValueView};
use crate::ui::CollectErased;

/// What [`KeyCard`]s read from the server whose keys they show: its clock (for TTLs) and the keys
/// its latest command modified (to highlight). Whoever lists the cards provides it as context —
/// the inspector for the console's server, a lab's keyspace for the lab's.
#[derive(Clone, Copy)]
pub struct CardSource {
    /// The server's engine time, Unix ms.
    pub now_ms: Signal<i64>,
    /// The keys its latest command (or batch of commands) modified.
    pub touched: Signal<Vec<Vec<u8>>>,
}

/// A keyspace's cards, keyed by name and fingerprint, so that a card is drawn again only when
/// its key changed; the caller's `<ul class="keys">` holds them and names the list. The inspector
/// and the labs' keyspaces both list their keys with it.
pub fn key_items(keys: Memo<KeyspaceView>) -> impl IntoView {
    view! {
        <For each=move || keys.get().keys key=|key| (key.key.clone(), key.fingerprint) let:key>
            <KeyCard key />
        </For>
    }
}

/// Shows one key: name, type, live TTL (if any) and value; highlighted while it is among the keys
/// the last command modified. Reads its server from the [`CardSource`] in context.
#[component]
pub fn KeyCard(
    /// The key to show.
    key: KeyView,
) -> impl IntoView {
    let source = expect_context::<CardSource>();
    let name = key.key.clone();
    let touched = Memo::new(move |_| source.touched.with(|t| t.contains(&name)));
    let ttl = key.expire_at.map(|at| {
        view! { <span class="key-ttl">"TTL " {move || ttl_label(at.saturating_sub(source.now_ms.get()))}</span> }
    });
    let value = match key.value {
        ValueView::Str(s) => view! { <div class="key-value">{s}</div> }.into_any(),
        ValueView::Hash(pairs) => pairs_table(pairs, "field", "value").into_any(),
        ValueView::ZSet(pairs) => pairs_table(pairs, "member", "score").into_any(),
        ValueView::Set(items) | ValueView::List(items) => members(items).into_any(),
    };

    view! {
        <li class="key" class:touched=touched>
            <div class="key-head">
                <span class="key-name">{key.label}</span>
                <span class="key-type">{key.type_name}</span>
                <span class="visually-hidden">{move || if touched.get() { " (just changed)" } else { "" }}</span>
                {ttl}
            </div>
            {value}
        </li>
    }
}

fn pairs_table(pairs: Pairs, left: &'static str, right: &'static str) -> impl IntoView {
    let more = more_note(pairs.total, pairs.shown.len());
    view! {
        <table class="key-value">
            <thead>
                <tr>
                    <th scope="col">{left}</th>
                    <th scope="col">{right}</th>
                </tr>
            </thead>
            <tbody>
                {pairs
                    .shown
                    .into_iter()
                    .map(|(a, b)| view! { <tr><td>{a}</td><td>{b}</td></tr> })
                    .collect_erased()}
            </tbody>
        </table>
        {more}
    }
}

fn members(items: Items) -> impl IntoView {
    let more = more_note(items.total, items.shown.len());
    view! {
        <ul class="key-value key-members">
            {items.shown.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
        </ul>
        {more}
    }
}

/// "… and N more" under a collection cut to what is shown.
fn more_note(total: usize, shown: usize) -> Option<impl IntoView> {
    let more = total.saturating_sub(shown);
    (more > 0).then(|| view! { <p class="more">{format!("… and {more} more")}</p> })
}
