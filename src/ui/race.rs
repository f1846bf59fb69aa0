//! The race demo (issue 5): why `INCR` beats GET-then-SET, shown two ways on the
//! [`crate::simulation`] model.
//!
//! - [`InterleaveView`]: two or three clients stepped by hand, one command at a time, forward and
//!   back, with each lost update flagged on the step that causes it ([`ClientColumn`], [`StepLog`]).
//! - [`Flood`]: 2 to 100,000 clients on a `<canvas>` ([`FloodPanel`], drawn by [`stage`] and
//!   [`chart`]), two strategies side by side on the same schedule, with [`FloodControls`],
//!   [`FloodLegend`], [`FloodResults`] and, in the lesson's classroom mode, a [`BigCounter`].
//!   Its settings live in the page address ([`params`]); its
//!   shared state is a [`flood_state::FloodState`] in context.

mod big_counter;
pub mod chart;
mod client_column;
mod flood;
mod flood_controls;
mod flood_legend;
mod flood_panel;
mod flood_results;
pub mod flood_run;
pub mod flood_state;
mod interleave_view;
pub mod listing;
pub mod params;
mod race_demo;
pub mod stage;
mod step_log;
mod strategy_select;

pub use big_counter::BigCounter;
pub use client_column::ClientColumn;
pub use flood::Flood;
pub use flood_controls::FloodControls;
pub use flood_legend::FloodLegend;
pub use flood_panel::FloodPanel;
pub use flood_results::FloodResults;
pub use interleave_view::InterleaveView;
pub use race_demo::RaceDemo;
pub use step_log::StepLog;
pub use strategy_select::StrategySelect;
