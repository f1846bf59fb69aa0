//! Where the learner is and how far they have come.

use leptos::prelude::*;

use crate::lesson::quiz::QUESTIONS;
use crate::lesson::CHAPTERS;

use super::state::LessonState;

/// "Chapter 3 of 12", a bar of the chapters visited, and the quiz score.
#[component]
pub fn ProgressBar() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let total = CHAPTERS.len();
    let visited = move || state.progress.with(|p| p.visited.len());
    let right = move || {
        state
            .verdicts
            .with(|v| v.iter().flatten().filter(|v| v.correct).count())
    };
    view! {
        <div class="lesson-progress">
            <span class="where">{move || format!("Chapter {} of {total}", state.current.get() + 1)}</span>
            <progress
                id="chapters-visited"
                max=total
                value=visited
                aria-label=move || format!("{} of {total} chapters visited", visited())
            ></progress>
            <span class="quiz-tally">{move || format!("Quiz {}/{}", right(), QUESTIONS.len())}</span>
        </div>
    }
}
