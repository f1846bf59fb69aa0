//! A message for the learner about their progress.

use leptos::prelude::*;

use super::state::LessonState;

/// The lesson's notice, if any (saved progress ignored, a file loaded or refused…), announced to
/// screen readers, with a button to dismiss it.
#[component]
pub fn Notice() -> impl IntoView {
    let state = expect_context::<LessonState>();
    view! {
        <div class="notice-area" role="status">
            {move || state.notice.get().map(|text| view! {
                <div class="notice">
                    <p>{text}</p>
                    <button type="button" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
                </div>
            })}
        </div>
    }
}
