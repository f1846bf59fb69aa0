//! A lab's start and "run to the end" buttons, and what the lab is doing.

use leptos::prelude::*;

use super::runner::LabHandle;
use crate::ui::clock::{format_elapsed, VirtualClock};

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
                title="Runs the lab to its end at once, moving the virtual clock on to that moment"
                disabled=move || !handle.started.get()
                on:click=move |_| handle.finish()
            >
                "Run to the end"
            </button>
            <span class="lab-state" aria-live="polite">
                {move || {
                    if !handle.started.get() {
                        return "Not started yet.".to_owned();
                    }
                    let mut text = format!(
                        "Lab time {}: the virtual clock since Start, pressed at {}.",
                        format_elapsed(handle.lab_time_ms()),
                        format_elapsed(handle.origin_ms())
                    );
                    if handle.is_finished() {
                        text.push_str(" The run is over; the lab's server keeps its keys.");
                    }
                    if paused() {
                        text.push_str(" The virtual clock is paused: resume it below, or run to the end.");
                    }
                    text
                }}
            </span>
        </div>
    }
}
