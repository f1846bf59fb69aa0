//! The guided lesson (issue 7): chapters with runnable examples and caveats, the race demo and the
//! labs embedded where the text needs them, the quiz, saved progress, and classroom mode.
//!
//! [`Lesson`] is the root. It provides a [`LessonState`] (open chapter, [`Progress`] in
//! localStorage, quiz verdicts, notices), keeps the page address naming the open chapter
//! (`?chapter=race`, beside the race demo's own parameters, so one link shares a chapter and a
//! run), and drives the lesson from the keyboard: PageDown / Space / → for the next chapter,
//! PageUp / ← for the previous one (PageDown, PageUp and Space scroll a long chapter first, the
//! way a presentation clicker expects; Space and the arrows stay the race demo's on its chapter).
//!
//! [`Progress`]: crate::lesson::progress::Progress

mod challenges;
mod chapter_view;
mod classroom;
mod contents;
mod notice;
mod progress_bar;
mod progress_tools;
mod question_card;
mod quiz;
pub mod quiz_html;
pub mod state;

pub use challenges::Challenges;
pub use chapter_view::ChapterView;
pub use classroom::ClassroomControls;
pub use contents::Contents;
pub use notice::Notice;
pub use progress_bar::ProgressBar;
pub use progress_tools::ProgressTools;
pub use question_card::QuestionCard;
pub use quiz::Quiz;
pub use state::LessonState;

use leptos::ev::{self, KeyboardEvent, MouseEvent, SubmitEvent};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::lesson::quiz::question;
use crate::lesson::{Block, Demo, CHAPTERS};
use crate::ui::lab::Lab;
use crate::ui::server::ServerId;

/// The lesson column: toolbar (contents, progress, classroom controls), notice, and the open
/// chapter. Saves progress on every change and answers the keyboard (see the module docs).
#[component]
pub fn Lesson() -> impl IntoView {
    let state = LessonState::new();
    provide_context(state);
    let lab = expect_context::<Lab>();

    Effect::new(move || state.progress.with(state::save));
    let popstate = window_event_listener(ev::popstate, move |_| state.follow_address());
    let keys = window_event_listener(ev::keydown, move |e: KeyboardEvent| on_key(state, &e));
    on_cleanup(move || {
        popstate.remove();
        keys.remove();
    });
    // After a navigation, move focus to the new chapter's heading (or the linked box) once it is
    // on the page, and bring it into view.
    Effect::new(move || {
        state.current.track();
        if state.focus_target.with(Option::is_none) {
            return;
        }
        request_animation_frame(move || {
            let Some(id) = state.focus_target.try_update(Option::take).flatten() else {
                return;
            };
            focus_element(&id);
        });
    });
    // A shared link to a box (`?chapter=rate-limit#incr-expire`): bring it into view on arrival.
    if let Some(anchor) = location_hash().filter(|a| !a.is_empty()) {
        request_animation_frame(move || {
            if document()
                .get_element_by_id(&anchor)
                .is_some_and(|el| el.closest(".chapter").ok().flatten().is_some())
            {
                focus_element(&anchor);
            }
        });
    }

    view! {
        <div class="lesson" on:click=move |ev| on_click(state, lab, &ev) on:submit=move |ev| on_submit(state, &ev)>
            <div class="lesson-bar">
                <Contents />
                <ProgressBar />
                <ClassroomControls />
            </div>
            <Notice />
            <ChapterView />
        </div>
    }
}

/// The lesson's one click handler for its HTML (see [`crate::lesson::html`] and [`quiz_html`]): a `data-run`
/// snippet runs in the console on the page's server (its answer echoed beside it), a `data-chapter` link opens its
/// chapter in place (a modified click is left to the browser: a new tab), a `data-answer` option
/// answers its question (focus moves to the verdict), a `data-try` button runs its question's
/// commands.
// Size: the lesson's text is HTML strings, not views (−2.6 KB gzip for chapter text, −1.7 KB
// for the quiz), so its clicks are handled here, delegated: there is no view to give a handler.
fn on_click(state: LessonState, lab: Lab, ev: &MouseEvent) {
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let find = |selector: &str| target.closest(selector).ok().flatten();
    if let Some(button) = find("[data-run]") {
        let Some(command) = button.get_attribute("data-run") else {
            return;
        };
        lab.run_on(ServerId::Page, &command);
        let echo = lab.transcript.with_untracked(|t| {
            t.last()
                .map(|e| format!("{} → {}", e.echo, e.lines.join(" ")))
        });
        if let Some(result) = button
            .closest(".run-list")
            .ok()
            .flatten()
            .and_then(|list| list.query_selector(".run-result").ok().flatten())
        {
            result.set_text_content(echo.as_deref());
        }
    } else if let Some(link) = find("a[data-chapter]") {
        if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        let Some(index) = link
            .get_attribute("data-chapter")
            .and_then(|i| i.parse().ok())
        else {
            return;
        };
        ev.prevent_default();
        if let Some(details) = link.closest("details").ok().flatten() {
            let _ = details.remove_attribute("open");
        }
        state.go(index, link.get_attribute("data-anchor").as_deref());
    } else if let Some(option) = find("[data-answer]") {
        let Some(answer) = option.get_attribute("data-answer") else {
            return;
        };
        if let Some((id, picked)) = answer.split_once(':') {
            state.progress.update(|p| p.answer(id, picked));
            state.focus_target.set(Some(format!("q-{id}-feedback")));
        }
    } else if let Some(button) = find("[data-try]") {
        let question = button
            .get_attribute("data-try")
            .and_then(|id| question(&id));
        for command in question.map_or(&[][..], |q| q.try_it) {
            lab.run_on(ServerId::Page, command);
        }
    }
}

/// A typed quiz answer (`form[data-question]`): check what its input holds.
fn on_submit(state: LessonState, ev: &SubmitEvent) {
    let Some(form) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(id) = form.get_attribute("data-question") else {
        return;
    };
    ev.prevent_default();
    let typed = form
        .query_selector("input")
        .ok()
        .flatten()
        .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default();
    state.progress.update(|p| p.answer(&id, &typed));
}

fn focus_element(id: &str) {
    let Some(element) = document().get_element_by_id(id) else {
        return;
    };
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        let _ = element.focus();
        element.scroll_into_view();
    }
}

/// Does the open chapter hold the race demo (whose Space and → shortcuts win there)?
fn on_race_chapter(state: LessonState) -> bool {
    CHAPTERS
        .get(state.current.get_untracked())
        .is_some_and(|c| c.blocks.contains(&Block::Demo(Demo::Race)))
}

/// Lesson navigation from the keyboard, unless the learner is typing, a control owns the key,
/// or the page should scroll first.
fn on_key(state: LessonState, e: &KeyboardEvent) {
    if e.ctrl_key() || e.alt_key() || e.meta_key() || e.default_prevented() {
        return;
    }
    let key = e.key();
    let forward = match key.as_str() {
        "PageDown" | " " | "ArrowRight" => true,
        "PageUp" | "ArrowLeft" => false,
        _ => return,
    };
    if let Some(target) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let tag = target.tag_name().to_ascii_uppercase();
        let typing = matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || target
                .closest("[contenteditable], canvas")
                .ok()
                .flatten()
                .is_some();
        // Space presses a focused button, link or disclosure; leave it to them.
        let native = key == " " && matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY");
        if typing || native {
            return;
        }
    }
    let race_keys = matches!(key.as_str(), " " | "ArrowRight" | "ArrowLeft");
    if race_keys && on_race_chapter(state) {
        return;
    }
    let scrolls = matches!(key.as_str(), "PageDown" | "PageUp" | " ");
    if scrolls && can_scroll(forward) {
        return;
    }
    e.prevent_default();
    if forward {
        state.next();
    } else {
        state.previous();
    }
}

/// Whether the page can still scroll down (or up): then PageDown/PageUp/Space scroll it.
fn can_scroll(down: bool) -> bool {
    let window = window();
    let y = window.scroll_y().unwrap_or(0.0);
    if !down {
        return y > 1.0;
    }
    let view = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let height = document()
        .document_element()
        .map_or(0.0, |root| f64::from(root.scroll_height()));
    y + view < height - 2.0
}
