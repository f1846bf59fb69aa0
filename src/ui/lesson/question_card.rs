//! One quiz question.

use leptos::prelude::*;

use crate::lesson::quiz::{Answer, Question};

use super::quiz_html::{answer_html, feedback_html, question_html};
use super::state::LessonState;

/// Question `index` as HTML from [`super::quiz_html`]: heading and prompt, its options (redrawn
/// as the answer changes) or its command form (drawn once, so typing is never disturbed), and the
/// verdict, read out when it appears. The lesson's delegated handlers take the answers.
#[component]
pub fn QuestionCard(
    /// Index into the quiz's questions (for the verdict and the numbering).
    index: usize,
    /// The question.
    question: &'static Question,
) -> impl IntoView {
    let state = expect_context::<LessonState>();
    let id = question.id;
    let verdict = Memo::new(move |_| state.verdicts.with(|v| v.get(index).cloned().flatten()));
    let saved = move || state.progress.with(|p| p.answers.get(id).cloned());
    let answer = move || match question.answer {
        Answer::Choice { .. } => {
            answer_html(question, saved().as_deref(), verdict.with(Option::is_some))
        }
        // The form keeps what the learner types: drawn once, from the saved answer.
        Answer::Command { .. } => untrack(|| answer_html(question, saved().as_deref(), false)),
    };
    let feedback = move || {
        verdict.with(|v| {
            v.as_ref()
                .map(|v| feedback_html(question, v))
                .unwrap_or_default()
        })
    };
    view! {
        <li class="question" id=format!("q-{id}")>
            <div inner_html=question_html(index + 1, question)></div>
            <div inner_html=answer></div>
            <div class="feedback" id=format!("q-{id}-feedback") tabindex="-1" aria-live="polite" inner_html=feedback></div>
        </li>
    }
}
