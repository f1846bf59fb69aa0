//! The quiz: every question, the score, and a way to start again.

use leptos::prelude::*;

use crate::lesson::quiz::QUESTIONS;
use crate::ui::CollectErased;

use super::state::LessonState;
use super::QuestionCard;

/// The score so far and every question as a [`QuestionCard`]; "Start the quiz again" clears the
/// answers (chapter progress stays).
#[component]
pub fn Quiz() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let total = QUESTIONS.len();
    let counts = Memo::new(move |_| {
        state.verdicts.with(|verdicts| {
            let answered = verdicts.iter().flatten().count();
            let right = verdicts.iter().flatten().filter(|v| v.correct).count();
            (answered, right)
        })
    });
    let score = move || {
        let (answered, right) = counts.get();
        if answered == total {
            format!("All {total} answered: {right} right.")
        } else {
            format!(
                "{right} right of {answered} answered, {} to go.",
                total - answered
            )
        }
    };
    // Bumped by a retry: the questions are drawn afresh, empty typed answers included.
    let round = RwSignal::new(0_u32);
    let retry = move |_| {
        state.progress.update(|p| p.answers.clear());
        round.update(|r| *r = r.wrapping_add(1));
    };
    view! {
        <section class="quiz" aria-labelledby="quiz-score">
            <p id="quiz-score" class="score" role="status">
                // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                <strong>"Score: "</strong>{move || score()}
            </p>
            <ol class="questions">
                {move || {
                    round.track();
                    QUESTIONS.iter().enumerate().map(|(index, question)| view! { <QuestionCard index question /> }).collect_erased()
                }}
            </ol>
            <p class="score-again">
                <strong>"Score: "</strong>{move || score()}" "
                <button type="button" on:click=retry disabled=move || counts.get().0 == 0>"Start the quiz again"</button>
            </p>
        </section>
    }
}
