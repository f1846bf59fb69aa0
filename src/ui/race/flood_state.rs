//! The flood's shared state and actions, provided by [`super::Flood`] through context to its controls,
//! panels and results: the settings, the two runs, playback on `requestAnimationFrame`, computing to
//! the end in slices with a progress bar, and drawing.

use leptos::html::{Canvas, Section};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::chart;
use super::flood_run::{FloodRun, SideStats};
use super::params::{group_signed, next_speed, spread_label, FloodParams};
use super::stage::Stage;

/// Real time a frame may spend simulating and drawing, in ms (a 60 Hz frame is 16.7 ms; the browser
/// needs the rest). Simulation gets what the last drawing left, and at least [`MIN_SIM_MS`]: when a
/// huge flood cannot keep up, it plays slower than asked rather than dropping frames.
const FRAME_BUDGET_MS: f64 = 11.0;
/// See [`FRAME_BUDGET_MS`].
const MIN_SIM_MS: f64 = 3.0;
/// Real time a frame may spend when computing a run to its end, in ms.
const COMPUTE_BUDGET_MS: f64 = 24.0;
/// A frame gap longer than this (a background tab) counts as this, in ms.
const MAX_FRAME_GAP_MS: f64 = 100.0;

/// Handles to everything the flood's components share (all `Copy`).
#[derive(Clone, Copy)]
pub struct FloodState {
    /// The settings (mirrored in the page address).
    pub params: RwSignal<FloodParams>,
    /// True while the animation plays.
    pub playing: RwSignal<bool>,
    /// Some(share done, 0–1) while a run is being computed to its end.
    pub progress: RwSignal<Option<f64>>,
    /// Both sides' figures, refreshed every frame.
    pub stats: RwSignal<Option<[SideStats; 2]>>,
    /// The result sentence, set once when a run ends (read out by a live region).
    pub result: RwSignal<String>,
    /// The two stage canvases.
    pub canvases: [NodeRef<Canvas>; 2],
    /// The two chart canvases.
    pub charts: [NodeRef<Canvas>; 2],
    /// The flood's section (keyboard shortcuts act while it is on screen).
    pub section: NodeRef<Section>,
    run: StoredValue<Option<FloodRun>, LocalStorage>,
    stages: StoredValue<Vec<Stage>, LocalStorage>,
    looping: StoredValue<bool>,
    last_frame_ms: StoredValue<f64>,
    /// How long the last drawing took, in ms.
    draw_ms: StoredValue<f64>,
}

/// The real clock, in ms (the page's high-resolution clock).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// True when the learner asked the system for reduced motion.
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

fn context_2d(canvas: &NodeRef<Canvas>) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_untracked()?
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}

impl FloodState {
    /// State for a flood with `params`; the runs are built by [`FloodState::rebuild`].
    pub fn new(params: FloodParams) -> FloodState {
        FloodState {
            params: RwSignal::new(params),
            playing: RwSignal::new(false),
            progress: RwSignal::new(None),
            stats: RwSignal::new(None),
            result: RwSignal::new(String::new()),
            canvases: [NodeRef::new(), NodeRef::new()],
            charts: [NodeRef::new(), NodeRef::new()],
            section: NodeRef::new(),
            run: StoredValue::new_local(None),
            stages: StoredValue::new_local(Vec::new()),
            looping: StoredValue::new(false),
            last_frame_ms: StoredValue::new(0.0),
            draw_ms: StoredValue::new(0.0),
        }
    }

    /// Builds both runs afresh from the current settings and shows their first instant.
    pub fn rebuild(&self) {
        let params = self.params.get_untracked();
        self.playing.set(false);
        self.progress.set(None);
        self.result.set(String::new());
        self.run.set_value(Some(FloodRun::new(params)));
        self.stages
            .set_value(vec![Stage::new(params.clients), Stage::new(params.clients)]);
        self.redraw();
    }

    /// Play or pause. Playing a finished run starts it again; with reduced motion, playing computes
    /// the result at once instead of animating it.
    pub fn play_pause(&self) {
        if self.playing.get_untracked() || self.progress.get_untracked().is_some() {
            self.playing.set(false);
            self.progress.set(None);
            return;
        }
        if self.is_finished() {
            self.rebuild();
        }
        if reduced_motion() {
            self.finish();
        } else {
            self.playing.set(true);
            self.ensure_loop();
        }
    }

    /// Pauses and advances to the next event of either run.
    pub fn step(&self) {
        self.playing.set(false);
        self.progress.set(None);
        self.run.update_value(|r| {
            if let Some(r) = r {
                r.step();
            }
        });
        self.redraw();
    }

    /// Computes both runs to their end, a slice per animation frame, with a progress bar.
    pub fn finish(&self) {
        if self.is_finished() {
            return;
        }
        self.playing.set(false);
        self.progress.set(Some(self.progress_now()));
        self.ensure_loop();
    }

    /// Starts over with the same settings.
    pub fn reset(&self) {
        self.rebuild();
    }

    /// One speed step faster or slower.
    pub fn change_speed(&self, faster: bool) {
        self.params
            .update(|p| p.speed = next_speed(p.speed, faster));
    }

    fn is_finished(&self) -> bool {
        self.run
            .try_with_value(|r| r.as_ref().is_some_and(FloodRun::is_finished))
            .unwrap_or(false)
    }

    fn progress_now(&self) -> f64 {
        self.run
            .try_with_value(|r| r.as_ref().map_or(0.0, FloodRun::progress))
            .unwrap_or(0.0)
    }

    fn ensure_loop(&self) {
        if self.looping.try_get_value() != Some(false) {
            return;
        }
        self.looping.set_value(true);
        self.last_frame_ms.set_value(now_ms());
        let state = *self;
        request_animation_frame(move || state.frame());
    }

    /// One animation frame: simulate (within a time budget), draw, and ask for the next frame while
    /// there is something to show.
    fn frame(self) {
        // The component is gone: stop quietly.
        let Some(last) = self.last_frame_ms.try_get_value() else {
            return;
        };
        let start = now_ms();
        let gap = (start - last).clamp(0.0, MAX_FRAME_GAP_MS);
        self.last_frame_ms.set_value(start);
        let computing = self.progress.get_untracked().is_some();
        let playing = self.playing.get_untracked();
        let speed = self.params.with_untracked(|p| p.speed);
        let sim_ms = (FRAME_BUDGET_MS - self.draw_ms.get_value()).max(MIN_SIM_MS);
        self.run.update_value(|r| {
            let Some(r) = r else { return };
            if computing {
                r.finish_some(start + COMPUTE_BUDGET_MS, &now_ms);
            } else if playing {
                let target = r
                    .now_us()
                    .saturating_add((gap * speed as f64 / 1_000.0).round() as u64);
                r.advance_to(target, start + sim_ms, &now_ms);
            }
        });
        let finished = self.is_finished();
        if computing {
            self.progress.set((!finished).then(|| self.progress_now()));
        }
        if finished {
            self.playing.set(false);
        }
        let drawing = now_ms();
        self.redraw();
        self.draw_ms.set_value(now_ms() - drawing);
        let more = self.playing.get_untracked() || self.progress.get_untracked().is_some();
        if more {
            request_animation_frame(move || self.frame());
        } else {
            self.looping.set_value(false);
        }
    }

    /// Paints both sides and the charts from the runs as they are, and refreshes the figures.
    pub fn redraw(&self) {
        let canvases = self.canvases;
        let charts = self.charts;
        let drawn = self.run.try_with_value(|run| {
            let run = run.as_ref()?;
            let stats = [run.stats(0)?, run.stats(1)?];
            let x_max = stats
                .iter()
                .map(|s| s.outcome.total_time_us.max(s.now_us))
                .max()
                .unwrap_or(1);
            self.stages.update_value(|stages| {
                for (i, (stage, sim)) in stages.iter_mut().zip(run.sims.iter()).enumerate() {
                    stage.paint(sim);
                    if let Some(ctx) = context_2d(&canvases[i]) {
                        let _ = stage.present(&ctx, stats[i].counter, stats[i].queue);
                    }
                    if let Some(ctx) = context_2d(&charts[i]) {
                        let _ = chart::draw(
                            &ctx,
                            sim.samples(),
                            sim.now_us(),
                            x_max,
                            run.params.total_likes(),
                        );
                    }
                }
            });
            Some((stats, run.is_finished(), run.params))
        });
        let Some(Some((stats, finished, params))) = drawn else {
            return;
        };
        if finished && self.result.get_untracked().is_empty() {
            self.result.set(result_sentence(&params, &stats));
        }
        self.stats.set(Some(stats));
    }
}

/// "Done: with GET then SET …, the counter ended at 562 of 1,000 (438 likes lost); with INCR …;
/// arrivals spread over 1 ms."
pub fn result_sentence(params: &FloodParams, stats: &[SideStats; 2]) -> String {
    let side = |i: usize| {
        let o = &stats[i].outcome;
        let mut s = format!(
            "with {}, the counter ended at {} of {} ({} {} lost",
            params.kinds[i].label(),
            group_signed(o.actual),
            group_signed(params.total_likes()),
            group_signed(o.lost_updates),
            if o.lost_updates == 1 { "like" } else { "likes" },
        );
        if o.retries > 0 {
            s.push_str(&format!(", {} retries", group_signed(o.retries as i64)));
        }
        if o.gave_up > 0 {
            s.push_str(&format!(", {} gave up", group_signed(o.gave_up as i64)));
        }
        s.push(')');
        s
    };
    let mut sentence = format!(
        "Done: {}; {}; arrivals spread over {}",
        side(0),
        side(1),
        spread_label(params.spread_ms)
    );
    if params.likes > 1 {
        sentence.push_str(&format!(
            "; {} likes per client, {}",
            group_signed(i64::from(params.likes)),
            if params.pipelining {
                "pipelined"
            } else {
                "one after the other"
            }
        ));
    }
    sentence.push('.');
    sentence
}
