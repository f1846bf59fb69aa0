//! The parts every lab shares: [`LabHead`] (title, text, settings, start buttons, figures) and
//! [`LabTail`] (the caveat, the command log, the keyspace). A lab's panel is a `<section>` with its
//! own widgets between the two; neither part is generic, so their view code exists once in the
//! wasm whatever the lab.

use leptos::prelude::*;

use super::choice::Choice;
use super::command_log::CommandLog;
use super::figure::{Fig, Figures};
use super::lab_controls::LabControls;
use super::lab_keys::LabKeys;
use super::prose;
use super::runner::LabHandle;
use crate::simulation::scenarios::LabId;
use crate::ui::clock::VirtualClock;
use crate::ui::CollectErased;

/// One of a lab's settings: a labelled drop-down.
#[derive(Clone, Debug)]
pub struct Setting {
    /// The label.
    pub label: &'static str,
    /// (value, text) pairs.
    pub options: Vec<(String, String)>,
    /// The chosen value.
    pub value: RwSignal<String>,
}

/// The element ids of a lab's panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabIds {
    /// The panel's `<section>`.
    pub section: String,
    /// Its title, which labels the section.
    pub title: String,
}

/// The element ids of `id`'s panel.
pub fn ids(id: LabId) -> LabIds {
    let slug = id.slug();
    LabIds {
        section: format!("lab-{slug}"),
        title: format!("lab-{slug}-title"),
    }
}

/// The top of a lab's panel; it also drives the lab on the virtual clock while the panel is on
/// the page.
#[component]
pub fn LabHead(
    /// Which lab.
    id: LabId,
    /// The running lab.
    #[prop(into)]
    handle: LabHandle,
    /// What the lab shows, in our words (backticks mark code).
    intro: &'static str,
    /// The settings the next start uses.
    settings: Vec<Setting>,
    /// Starts (or restarts) the lab with the chosen settings.
    start: Callback<()>,
    /// The label of the start button.
    #[prop(default = "Start")]
    start_label: &'static str,
    /// The learner's numbers.
    #[prop(into)]
    figures: Signal<Vec<Fig>>,
) -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
    Effect::new(move || {
        let elapsed = clock.elapsed_ms.get();
        if handle.started.get_untracked() {
            handle.advance(elapsed);
        }
    });
    view! {
        <h3 id=ids(id).title tabindex="-1">{id.title()}</h3>
        <p>{prose(intro)}</p>
        <div class="lab-settings">
            {settings
                .into_iter()
                .map(|s| view! { <Choice label=s.label options=s.options value=s.value /> })
                .collect_erased()}
        </div>
        <LabControls handle start start_label />
        <Figures figures />
    }
}

/// The bottom of a lab's panel: the caveat, the command log and the keyspace.
#[component]
pub fn LabTail(
    /// Which lab.
    id: LabId,
    /// The running lab.
    #[prop(into)]
    handle: LabHandle,
    /// The caveat's lead-in.
    #[prop(default = "The catch the article skips: ")]
    caveat_title: &'static str,
    /// The caveat the article leaves out (backticks mark code).
    caveat: &'static str,
) -> impl IntoView {
    let slug = id.slug();
    view! {
        <p class="caveat"><strong>{caveat_title}</strong>{prose(caveat)}</p>
        <div class="lab-live">
            <CommandLog handle heading_id=format!("lab-{slug}-log") />
            <LabKeys handle heading_id=format!("lab-{slug}-keys") />
        </div>
    }
}
