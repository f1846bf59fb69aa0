//! The live chart under each side of the flood: likes the clients were told were counted
//! (expected, dashed) against what the counter shows (actual, solid), over simulated time.

use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

use crate::simulation::Sample;

/// The chart canvas' width in pixels.
pub const WIDTH: u32 = 440;
/// The chart canvas' height in pixels.
pub const HEIGHT: u32 = 150;
const LEFT: f64 = 8.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 18.0;

/// The chart's line colours (on the dark stage colour), for the legend too.
pub const EXPECTED_COLOUR: &str = "#b7b2bf";
/// See [`EXPECTED_COLOUR`].
pub const ACTUAL_COLOUR: &str = "#f5b942";

/// Draws `samples` (all at times ≤ `now_us`) on a time axis of `0..=x_max_us` and a count axis of
/// `0..=y_max`.
pub fn draw(
    ctx: &CanvasRenderingContext2d,
    samples: &[Sample],
    now_us: u64,
    x_max_us: u64,
    y_max: i64,
) -> Result<(), JsValue> {
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    ctx.set_fill_style_str("#18171e");
    ctx.fill_rect(0.0, 0.0, w, h);
    let plot_w = w - 2.0 * LEFT;
    let plot_h = h - TOP - BOTTOM;
    let x_of = |t: u64| LEFT + plot_w * (t as f64 / x_max_us.max(1) as f64).min(1.0);
    let y_of = |v: i64| TOP + plot_h * (1.0 - (v.max(0) as f64 / y_max.max(1) as f64).min(1.0));

    ctx.set_stroke_style_str("#4a4652");
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(LEFT, TOP);
    ctx.line_to(LEFT + plot_w, TOP);
    ctx.move_to(LEFT, TOP + plot_h);
    ctx.line_to(LEFT + plot_w, TOP + plot_h);
    ctx.stroke();

    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str("#b7b2bf");
    ctx.set_text_baseline("alphabetic");
    ctx.set_text_align("left");
    ctx.fill_text(
        &format!("{} likes", super::params::group_signed(y_max)),
        LEFT,
        TOP - 6.0,
    )?;
    ctx.fill_text("0", LEFT, h - 5.0)?;
    ctx.set_text_align("right");
    ctx.fill_text(
        &format!("{} of simulated time", super::params::format_ms(x_max_us)),
        LEFT + plot_w,
        h - 5.0,
    )?;

    let dash = js_sys::Array::of2(&JsValue::from(5.0), &JsValue::from(4.0));
    let solid = js_sys::Array::new();
    for (expected, colour, width) in [(true, EXPECTED_COLOUR, 2.0), (false, ACTUAL_COLOUR, 2.5)] {
        ctx.set_line_dash(if expected { &dash } else { &solid })?;
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width);
        ctx.begin_path();
        let value = |s: &Sample| if expected { s.expected } else { s.actual };
        let mut last_x = f64::NEG_INFINITY;
        let mut last_v = 0;
        for (i, s) in samples.iter().enumerate() {
            let x = x_of(s.time_us);
            last_v = value(s);
            if i == 0 {
                ctx.move_to(x, y_of(last_v));
            } else if x - last_x >= 1.0 || i + 1 == samples.len() {
                // One point per pixel column is all the eye can see.
                ctx.line_to(x, y_of(last_v));
            } else {
                continue;
            }
            last_x = x;
        }
        ctx.line_to(x_of(now_us), y_of(last_v));
        ctx.stroke();
    }
    ctx.set_line_dash(&solid)?;
    Ok(())
}
