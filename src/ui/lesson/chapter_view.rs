//! One chapter of the lesson.

use leptos::prelude::*;

use crate::lesson::html::{chapter_parts, pager_html};
use crate::lesson::{Demo, CHAPTERS};
use crate::ui::race::RaceDemo;

use super::Quiz;

/// Chapter `index` of [`CHAPTERS`]: its numbered heading (where focus lands after navigating),
/// its text as HTML (see [`crate::lesson::html`]; the lesson's delegated click handler runs its
/// snippets and follows its links), its live part mounted in place, and previous/next links.
#[component]
pub fn ChapterView(
    /// Index into [`CHAPTERS`].
    index: usize,
) -> impl IntoView {
    let title = CHAPTERS.get(index).map_or("", |c| c.title);
    let (before, demo, after) = chapter_parts(index);
    view! {
        <article class="chapter" aria-labelledby="chapter-title">
            <h2 id="chapter-title" tabindex="-1">
                <span class="chapter-number">{format!("{}. ", index + 1)}</span>
                {title}
            </h2>
            <div class="chapter-text" inner_html=before></div>
            {demo.map(demo_view)}
            <div class="chapter-text" inner_html=after></div>
            <nav class="pager" aria-label="Previous and next chapter" inner_html=pager_html(index)></nav>
        </article>
    }
}

/// The live part of a chapter. Parts still being built elsewhere say so instead of leaving a gap.
fn demo_view(demo: Demo) -> AnyView {
    match demo {
        Demo::Quiz => view! { <Quiz /> }.into_any(),
        Demo::Race => view! { <RaceDemo /> }.into_any(),
        Demo::Lab(_) | Demo::Summary => view! {
            <p class="placeholder demo-pending">
                "This chapter's live demo is not in this build yet: the commands above run in the console meanwhile."
            </p>
        }
        .into_any(),
    }
}
