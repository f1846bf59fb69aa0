//! The memory chart: bytes per counter against counters per user, both layouts.

use leptos::prelude::*;

use crate::simulation::scenarios::memory::SweepPoint;

/// Height of the drawing, in its own units (one unit across per point).
const H: i64 = 160;

/// Two lines — one string key per counter, one hash per user — and the point where the hashes
/// stop being listpacks.
#[component]
pub fn SweepChart(
    /// The points, one per number of counters per user (1, 2, …).
    #[prop(into)]
    points: Signal<Vec<SweepPoint>>,
) -> impl IntoView {
    let view_box = move || format!("0 0 {} {H}", points.with(Vec::len).max(2) - 1);
    let path = move |pick: fn(&SweepPoint) -> f64| {
        points.with(|points| {
            let top = points
                .iter()
                .map(|p| p.strings.max(p.hash))
                .fold(1.0f64, f64::max);
            let mut d = String::new();
            for (i, p) in points.iter().enumerate() {
                let y = H - (pick(p) / top * (H - 10) as f64) as i64;
                d.push_str(&format!("{}{i},{y}", if i == 0 { "M" } else { " L" }));
            }
            d
        })
    };
    let switch_x = move || points.with(|p| p.iter().position(|p| !p.listpack));
    let description = move || {
        points.with(|points| {
            let mut text = String::from("Bytes per counter against counters per user.");
            for k in [1usize, 4, 64, 512, 513] {
                if let Some(p) = points.get(k.saturating_sub(1)) {
                    text.push_str(&format!(
                        " {k}: strings {}, hash {}{}.",
                        p.strings.round() as i64,
                        p.hash.round() as i64,
                        if p.listpack { "" } else { " (hash table)" }
                    ));
                }
            }
            text
        })
    };
    view! {
        <figure class="chart">
            <svg viewBox=view_box role="img" aria-label=description preserveAspectRatio="none">
                <path class="line-strings" d=move || path(|p| p.strings) />
                <path class="line-hash" d=move || path(|p| p.hash) />
                {move || switch_x().map(|x| view! { <line class="switch" x1=x x2=x y1="0" y2=H /> })}
            </svg>
            <figcaption>
                <span class="key-strings">"— one string key per counter"</span> " "
                <span class="key-hash">"— one hash per user"</span> " "
                <span class="key-switch">"| the hash becomes a hash table"</span>
                <br />
                // Size: {move || f()}, not {f}: one shared render effect, −2.3 KB gzip in all.
                {move || description()}
            </figcaption>
        </figure>
    }
}
