//! The table of contents, with the progress tools.

use leptos::prelude::*;

use crate::lesson::html::contents_html;

use super::state::LessonState;
use super::ProgressTools;

/// A disclosure listing every chapter (the open one marked as the current page, visited ones
/// ticked), followed by the [`ProgressTools`]. Choosing a chapter closes it (the lesson's click
/// handler does).
#[component]
pub fn Contents() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let list = move || {
        let current = state.current.get();
        state
            .progress
            .with(|p| contents_html(current, |c| p.has_visited(c.id)))
    };
    view! {
        <details class="contents">
            <summary>"Contents"</summary>
            <nav aria-label="Chapters" inner_html=list></nav>
            <ProgressTools />
        </details>
    }
}
