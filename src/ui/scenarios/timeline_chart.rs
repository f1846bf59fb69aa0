//! A bar chart of allowed and blocked requests over time.

use leptos::prelude::*;

use crate::simulation::scenarios::rate_limiter::Bin;
use crate::ui::CollectErased;

/// Height of the drawing, in its own units (bars are 8 wide, 10 apart).
const H: u32 = 120;

/// Stacked bars, one per fixed stretch of time: allowed requests at the bottom, blocked ones
/// above. The description says that the bars are fixed stretches, and how many requests any
/// stretch as long, wherever it starts, allowed at most — so that a burst a bar's edge cuts in two
/// never reads as smaller than it was.
#[component]
pub fn TimelineChart(
    /// The stretches, oldest first.
    #[prop(into)]
    bins: Signal<Vec<Bin>>,
    /// The length of one stretch, in seconds (for the description).
    bin_s: u64,
    /// The most requests allowed in any `bin_s` seconds in a row over the whole run.
    #[prop(into)]
    sliding_peak: Signal<u32>,
) -> impl IntoView {
    let view_box = move || format!("0 0 {} {H}", bins.with(Vec::len).max(1) * 10);
    let bars = move || {
        let bins = bins.get();
        let top = bins
            .iter()
            .map(|b| b.allowed + b.blocked)
            .max()
            .unwrap_or(0)
            .max(1);
        bins.iter()
            .enumerate()
            .map(|(i, b)| {
                let x = i as u32 * 10;
                let ok = b.allowed * H / top;
                let no = b.blocked * H / top;
                view! {
                    <rect class="bar-ok" x=x y=H - ok width="8" height=ok />
                    <rect class="bar-blocked" x=x y=H - ok - no width="8" height=no />
                }
            })
            .collect_erased()
    };
    let description = move || {
        let bins = bins.get();
        let allowed: u32 = bins.iter().map(|b| b.allowed).sum();
        let blocked: u32 = bins.iter().map(|b| b.blocked).sum();
        let peak = bins.iter().map(|b| b.allowed).max().unwrap_or(0);
        format!(
            "Requests in fixed {bin_s}-second bars (0–{bin_s} s, {bin_s}–{} s, …; the last {} shown): \
             {allowed} allowed, {blocked} blocked; the fullest bar holds {peak} allowed. Counted over \
             any {bin_s} seconds in a row, wherever they start, the run allowed at most {}.",
            bin_s * 2,
            bins.len(),
            sliding_peak.get()
        )
    };
    view! {
        <figure class="chart">
            <svg viewBox=view_box role="img" aria-label=description preserveAspectRatio="none">
                // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                {move || bars()}
            </svg>
            <figcaption>
                <span class="key-ok">"■ allowed"</span> " " <span class="key-blocked">"■ blocked"</span>
                " — " {move || description()}
            </figcaption>
        </figure>
    }
}
