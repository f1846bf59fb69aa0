//! A lab's start and "run to the end" buttons, and what the lab is doing.

use leptos::prelude::*;

use super::runner::LabHandle;
use crate::ui::clock::VirtualClock;

/// The start and "run to the end" buttons, and what the lab is doing.
#[component]
pub fn LabControls(
    /// The running lab.
    handle: LabHandle,
    /// Starts (or restarts) the lab with the chosen settings.
    start: Callback<()>,
    /// The label of the start button.
    #[prop(default = "Start")]
    start_label: &'static str,
) -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
    let paused = move || handle.started.get() && !clock.running.get();
    view! {
        <div class="lab-controls">
            <button type="button" class="primary" on:click=move |_| start.run(())>{start_label}</button>
            <button
                type="button"
                disabled=move || !handle.started.get()
                on:click=move |_| handle.finish()
            >
                "Run to the end"
            </button>
            <span class="lab-state" aria-live="polite">
                {move || {
                    if paused() {
                        "The virtual clock is paused: resume it below, or run to the end.".to_owned()
                    } else if handle.started.get() {
                        format!("Lab time {} s", super::fixed((handle.now_us() / 100_000) as i64, 1))
                    } else {
                        "Not started yet.".to_owned()
                    }
                }}
            </span>
        </div>
    }
}
