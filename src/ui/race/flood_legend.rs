//! What the flood's colours mean.

use leptos::prelude::*;

use super::chart::{ACTUAL_COLOUR, EXPECTED_COLOUR};
use super::stage::LEGEND;
use crate::ui::CollectErased;

/// The key to the stage's and the chart's colours.
#[component]
pub fn FloodLegend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="Colour key">
            {LEGEND
                .into_iter()
                .map(|(colour, meaning)| {
                    view! {
                        <li>
                            <span class="swatch" style=format!("background:{colour}")></span>
                            {meaning}
                        </li>
                    }
                })
                .collect_erased()}
            <li>
                <span class="swatch line dashed" style=format!("border-color:{EXPECTED_COLOUR}")></span>
                "chart: likes acknowledged (expected)"
            </li>
            <li>
                <span class="swatch line" style=format!("border-color:{ACTUAL_COLOUR}")></span>
                "chart: the counter (actual)"
            </li>
        </ul>
    }
}
