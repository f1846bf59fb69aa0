//! Classroom mode: projector-sized, high-contrast, full screen, and a clean slate between classes.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::lesson::progress::Progress;

use super::state::{save, LessonState};
use crate::lesson::html::chapter_href;

/// The attribute on `<html>` that the stylesheet's classroom rules key on.
pub const CLASSROOM_ATTR: &str = "data-classroom";

/// The presenter's controls: the classroom toggle (a pressed/unpressed button), full screen (where
/// the browser allows it), "Copy link" (the address names the chapter and the race demo's run),
/// and, in classroom mode, "Reset everything".
#[component]
pub fn ClassroomControls() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let classroom = Memo::new(move |_| state.progress.with(|p| p.classroom));
    Effect::new(move || set_classroom_attr(classroom.get()));
    let toggle = move |_| state.progress.update(|p| p.classroom = !p.classroom);

    let fullscreen = RwSignal::new(is_fullscreen());
    let listener =
        window_event_listener_untyped("fullscreenchange", move |_| fullscreen.set(is_fullscreen()));
    on_cleanup(move || listener.remove());
    let can_fullscreen = document().fullscreen_enabled();

    let confirming = RwSignal::new(false);
    view! {
        <div class="classroom-controls">
            <button type="button" aria-pressed=move || classroom.get().to_string() on:click=toggle>
                "Classroom mode"
            </button>
            {can_fullscreen.then(|| view! {
                <button type="button" aria-pressed=move || fullscreen.get().to_string() on:click=move |_| toggle_fullscreen()>
                    "Full screen"
                </button>
            })}
            <button type="button" on:click=move |_| copy_link(state)>"Copy link"</button>
            {move || match (classroom.get(), confirming.get()) {
                (false, _) => ().into_any(),
                (true, false) => view! {
                    <button type="button" on:click=move |_| confirming.set(true)>"Reset everything…"</button>
                }.into_any(),
                (true, true) => view! {
                    <span class="confirm" role="group" aria-label="Confirm reset everything">
                        "Empty the keyspace, demos and answers, back to chapter 1? "
                        <button type="button" class="danger" on:click=move |_| reset_everything()>"Reset"</button>
                        <button type="button" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </span>
                }.into_any(),
            }}
        </div>
    }
}

/// Copies the page address (chapter and demo run) to the clipboard, and says so; where the browser
/// refuses, the notice shows the link to copy by hand.
fn copy_link(state: LessonState) {
    let href = window().location().href().unwrap_or_default();
    let get = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let write = get(&window().into(), "navigator")
        .and_then(|navigator| get(&navigator, "clipboard"))
        .and_then(|clipboard| {
            let write = get(&clipboard, "writeText")?
                .dyn_into::<js_sys::Function>()
                .ok()?;
            write
                .call1(&clipboard, &JsValue::from_str(&href))
                .ok()?
                .dyn_into::<js_sys::Promise>()
                .ok()
        });
    leptos::task::spawn_local(async move {
        let copied = match write {
            Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            None => false,
        };
        let message = if copied {
            format!("Link copied: {href}")
        } else {
            format!("Copy this link: {href}")
        };
        state.notice.set(Some(message));
    });
}

fn set_classroom_attr(on: bool) {
    if let Some(root) = document().document_element() {
        let _ = if on {
            root.set_attribute(CLASSROOM_ATTR, "")
        } else {
            root.remove_attribute(CLASSROOM_ATTR)
        };
    }
}

fn is_fullscreen() -> bool {
    document().fullscreen_element().is_some()
}

/// Enters or leaves full screen. The browser's promise is awaited so a refusal (no user gesture,
/// a policy) is swallowed instead of surfacing as an unhandled rejection.
fn toggle_fullscreen() {
    let doc = document();
    let (target, method): (JsValue, &str) = if is_fullscreen() {
        (doc.into(), "exitFullscreen")
    } else {
        match doc.document_element() {
            Some(root) => (root.into(), "requestFullscreen"),
            None => return,
        }
    };
    let Some(function) = js_sys::Reflect::get(&target, &JsValue::from_str(method))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    if let Ok(promise) = function
        .call0(&target)
        .and_then(|p| p.dyn_into::<js_sys::Promise>())
    {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// A clean slate for the next class: progress forgotten (classroom mode kept), and the page
/// reloaded at chapter 1 without any demo parameters, which empties the keyspace, the console,
/// the clock and every demo.
fn reset_everything() {
    save(&Progress {
        classroom: true,
        ..Progress::default()
    });
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let _ = location.replace(&format!("{path}{}", chapter_href(0, None)));
}
