//! The frame every lab shares: title, the lab's own content, the start and finish buttons, the
//! command log and the keyspace.

use leptos::prelude::*;

use super::command_log::CommandLog;
use super::lab_keys::LabKeys;
use super::runner::LabHandle;
use super::SelectedLab;
use crate::simulation::scenarios::LabId;
use crate::ui::clock::VirtualClock;

/// A lab's panel. The lab's own text, settings, start buttons and figures come as children; the
/// frame drives the lab on the virtual clock while it is shown.
#[component]
pub fn LabFrame<T: IntoView + 'static>(
    /// Which lab.
    id: LabId,
    /// The running lab.
    handle: LabHandle,
    /// Text, settings (with [`LabControls`](super::lab_controls::LabControls) among them) and figures.
    children: TypedChildren<T>,
) -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
    let SelectedLab(selected) = expect_context::<SelectedLab>();
    let shown = move || selected.get() == id;
    Effect::new(move || {
        let elapsed = clock.elapsed_ms.get();
        let shown = shown();
        if handle.started.get_untracked() {
            handle.follow(elapsed, shown);
        }
    });
    let slug = id.slug();
    let title_id = format!("lab-{slug}-title");
    let labelledby = title_id.clone();
    let log_id = format!("lab-{slug}-log");
    let keys_id = format!("lab-{slug}-keys");
    view! {
        <section class="lab" id=format!("lab-{slug}") aria-labelledby=labelledby hidden=move || !shown()>
            <h3 id=title_id tabindex="-1">{id.title()}</h3>
            {children.into_inner()()}
            <div class="lab-live">
                <CommandLog handle heading_id=log_id />
                <LabKeys handle heading_id=keys_id />
            </div>
        </section>
    }
}
