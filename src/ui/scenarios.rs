//! The labs: the article's six scenarios running in the browser, and its summary table.
//!
//! Each lab's model lives in [`crate::simulation::scenarios`]; a panel here runs it on the virtual
//! clock ([`runner::LabHandle`]), shows its command log (each command clickable into the console),
//! its keyspace (with the inspector's key cards), the learner's numbers and the caveat.
//! The lesson mounts a lab with [`LabPanel`] in the chapter that tells its story, and the summary
//! table with [`SummaryTable`], whose rows link to those chapters.

mod choice;
mod command_log;
mod counters;
mod durability;
mod figure;
mod flash_sale;
mod hot_key;
mod lab_controls;
mod lab_frame;
mod lab_keys;
mod leaderboard;
mod likes;
mod rate_limiter;
pub mod runner;
pub mod summary_table;
mod sweep_chart;
mod timeline_chart;

use leptos::either::Either;
use leptos::prelude::*;

use crate::simulation::scenarios::LabId;
use crate::ui::CollectErased;
pub use hot_key::HotKeyDemo;
pub use summary_table::SummaryTable;

/// Lab `id`'s panel, as a chapter of the lesson mounts it.
#[component]
pub fn LabPanel(
    /// Which lab.
    id: LabId,
) -> impl IntoView {
    match id {
        LabId::Likes => view! { <likes::LikesPanel /> }.into_any(),
        LabId::FlashSale => view! { <flash_sale::FlashSalePanel /> }.into_any(),
        LabId::RateLimiter => view! { <rate_limiter::RateLimiterPanel /> }.into_any(),
        LabId::Leaderboard => view! { <leaderboard::LeaderboardPanel /> }.into_any(),
        LabId::Counters => view! { <counters::CountersPanel /> }.into_any(),
        LabId::Durability => view! { <durability::DurabilityPanel /> }.into_any(),
    }
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
        .collect_erased()
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
