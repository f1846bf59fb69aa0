//! Save progress to a file, load it back, or start over.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::lesson::progress::{Progress, MAX_BYTES};

use super::state::LessonState;

/// The name an exported file gets.
pub const EXPORT_FILE: &str = "incr-lab-progress.json";

/// Export (a small JSON file download), import (a file picker; a file that is not incr-lab
/// progress is refused with a notice and changes nothing), and a two-step reset.
#[component]
pub fn ProgressTools() -> impl IntoView {
    let state = expect_context::<LessonState>();
    let confirming = RwSignal::new(false);
    let export = move |_| {
        let json = state.progress.with_untracked(Progress::to_json);
        if download(EXPORT_FILE, &json).is_none() {
            state
                .notice
                .set(Some("This browser refused to save the file.".to_owned()));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same file can be chosen again after a failure.
        input.set_value("");
        import_file(state, file);
    };
    let reset = move |_| {
        let classroom = state.progress.with_untracked(|p| p.classroom);
        state.replace(Progress {
            classroom,
            ..Progress::default()
        });
        confirming.set(false);
        state.notice.set(Some(
            "Progress reset: every chapter and answer is forgotten.".to_owned(),
        ));
    };
    view! {
        <section class="progress-tools" aria-labelledby="progress-tools-title">
            <h2 id="progress-tools-title">"Your progress"</h2>
            <p class="hint">"Saved in this browser as you go. Take it to another browser as a file."</p>
            <div class="tool-row">
                <button type="button" on:click=export>"Save to a file"</button>
                <label class="file-button">
                    "Load from a file"
                    <input type="file" accept=".json,application/json" on:change=import />
                </label>
                {move || if confirming.get() {
                    view! {
                        <span class="confirm" role="group" aria-label="Confirm the reset">
                            "Forget every chapter and answer? "
                            <button type="button" class="danger" on:click=reset>"Reset"</button>
                            <button type="button" on:click=move |_| confirming.set(false)>"Keep"</button>
                        </span>
                    }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| confirming.set(true)>"Reset progress…"</button> }.into_any()
                }}
            </div>
        </section>
    }
}

/// Reads `file` and, if it holds incr-lab progress, makes it the learner's; says what happened.
fn import_file(state: LessonState, file: web_sys::File) {
    let name = file.name();
    if file.size() > MAX_BYTES as f64 {
        state.notice.set(Some(format!(
            "{name} was not loaded: it is far too large to be incr-lab progress."
        )));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        let message = match text.map(|t| Progress::from_json(&t)) {
            Some(Ok(progress)) => {
                state.replace(progress);
                format!("Progress loaded from {name}.")
            }
            Some(Err(why)) => {
                format!("{name} was not loaded because {why}. Your progress is unchanged.")
            }
            None => format!("{name} could not be read. Your progress is unchanged."),
        };
        state.notice.set(Some(message));
    });
}

/// Offers `text` as a JSON file download named `name`.
fn download(name: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}
