//! The labs: the article's six scenarios running in the browser, and its summary table.
//!
//! Each lab's model lives in [`crate::simulation::scenarios`]; a panel here runs it on the virtual
//! clock ([`runner::LabHandle`]), shows its command log (each command clickable into the console),
//! its keyspace (with the inspector's key cards), the learner's numbers and the caveat.
//! `#lab-<slug>` in the address opens a lab (the lesson links to them that way).

mod choice;
mod command_log;
mod counters;
mod durability;
mod figure;
mod flash_sale;
mod lab_controls;
mod lab_frame;
mod lab_keys;
mod leaderboard;
mod likes;
mod rate_limiter;
pub mod runner;
mod summary_table;
mod sweep_chart;
mod timeline_chart;

use leptos::either::Either;
use leptos::prelude::*;

use crate::simulation::scenarios::LabId;

/// The lab on show, shared through context with the panels (a hidden panel's lab stands still).
#[derive(Clone, Copy, Debug)]
pub struct SelectedLab(pub RwSignal<LabId>);

/// The labs section: the summary table, a lab picker and the chosen lab's panel. Every panel is
/// on the page and the others are hidden, so a lab keeps its results while you look at another
/// (and no type-erased view is needed to switch, which keeps the wasm smaller).
#[component]
pub fn Scenarios() -> impl IntoView {
    let selected = RwSignal::new(lab_from_address().unwrap_or(LabId::Likes));
    provide_context(SelectedLab(selected));
    view! {
        <section class="pane scenarios" aria-labelledby="labs-title">
            <h2 id="labs-title">"Labs: the article's cases, live"</h2>
            <summary_table::SummaryTable selected />
            <nav class="lab-picker" aria-label="Labs">
                {LabId::ALL
                    .into_iter()
                    .map(|lab| view! {
                        <button
                            type="button"
                            aria-pressed=move || (selected.get() == lab).to_string()
                            on:click=move |_| open(selected, lab)
                        >
                            {lab.title()}
                        </button>
                    })
                    .collect_view()}
            </nav>
            <likes::LikesPanel />
            <flash_sale::FlashSalePanel />
            <rate_limiter::RateLimiterPanel />
            <leaderboard::LeaderboardPanel />
            <counters::CountersPanel />
            <durability::DurabilityPanel />
        </section>
    }
}

/// Shows `lab` and moves the focus to its title once it is on the page.
fn open(selected: RwSignal<LabId>, lab: LabId) {
    selected.set(lab);
    let id = format!("lab-{}-title", lab.slug());
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
            element.scroll_into_view();
        }
    });
}

/// The lab named by the address' `#lab-<slug>`, if any.
fn lab_from_address() -> Option<LabId> {
    let hash = web_sys::window()?.location().hash().ok()?;
    LabId::from_slug(hash.strip_prefix("#lab-")?)
}

/// A paragraph's text with the parts between backticks set as `<code>`. One way to render every
/// paragraph of the labs keeps the wasm small (each distinct view shape costs code).
pub fn prose(text: &'static str) -> impl IntoView {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                Either::Right(view! { <code>{part}</code> })
            } else {
                Either::Left(part)
            }
        })
        .collect_view()
}

/// `n / 10^places` written with `places` decimals, without float formatting (which would cost
/// the wasm ~10 KB): `fixed(12345, 3)` is `12.345`.
pub fn fixed(n: i64, places: u32) -> String {
    let scale = 10i64.pow(places.min(18));
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (
        n.unsigned_abs() / scale as u64,
        n.unsigned_abs() % scale as u64,
    );
    if places == 0 {
        return format!("{sign}{whole}");
    }
    format!("{sign}{whole}.{frac:0width$}", width = places as usize)
}

/// `n` with thousands separators: `10,000`, `-9,900`.
pub fn num(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
