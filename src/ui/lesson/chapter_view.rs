//! The open chapter.

use leptos::prelude::*;

use crate::lesson::html::{chapter_parts, pager_html};
use crate::lesson::{Demo, CHAPTERS};
use crate::simulation::scenarios::LabId;
use crate::ui::race::RaceDemo;
use crate::ui::CollectErased;
use crate::ui::{HotKeyDemo, LabPanel, SummaryTable};

use super::state::LessonState;
use super::{Challenges, Quiz};

/// The open chapter of the lesson: its numbered heading (where focus lands after navigating), its
/// text as HTML (see [`crate::lesson::html`]; the lesson's delegated click handler runs its
/// snippets and follows its links), its live parts, and previous/next links.
///
/// The shell is built once and only its text changes. The live parts are all mounted once and
/// shown in their chapter only: a demo keeps its run while the learner reads on and comes back,
/// and no demo is ever patched into another (which would compile a second copy of its views).
#[component]
pub fn ChapterView() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let parts = Memo::new(move |_| chapter_parts(state.current.get()));
    let title = move || CHAPTERS.get(state.current.get()).map_or("", |c| c.title);
    let number = move || format!("{}. ", state.current.get() + 1);
    let hidden = move |demo: Demo| move || parts.with(|p| p.demo != Some(demo));
    view! {
        <article class="chapter" aria-labelledby="chapter-title">
            <h2 id="chapter-title" tabindex="-1">
                // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                <span class="chapter-number">{move || number()}</span>
                {move || title()}
            </h2>
            <div class="chapter-text" inner_html=move || parts.with(|p| p.before.clone())></div>
            <div class="demo" hidden=hidden(Demo::Race)><RaceDemo /></div>
            <div class="demo" hidden=hidden(Demo::Quiz)><Quiz /></div>
            <div class="demo" hidden=hidden(Demo::Challenges)><Challenges /></div>
            <div class="demo" hidden=hidden(Demo::Summary)><SummaryTable /></div>
            {LabId::ALL
                .into_iter()
                .map(|id| view! { <div class="demo" hidden=hidden(Demo::Lab(id))><LabPanel id /></div> })
                .collect_erased()}
            <div class="chapter-text" inner_html=move || parts.with(|p| p.after.clone())></div>
            // A chapter's second live part: only the hot-key demo sits there (a lesson test says so).
            <div class="demo" hidden=move || parts.with(|p| p.second != Some(Demo::HotKey))><HotKeyDemo /></div>
            <div class="chapter-text" inner_html=move || parts.with(|p| p.rest.clone())></div>
            <nav class="pager" aria-label="Previous and next chapter" inner_html=move || pager_html(state.current.get())></nav>
        </article>
    }
}
