//! The flood's picture: clients around one server, drawn as pixels into a buffer that goes to the
//! `<canvas>` in one `putImageData` call. A hundred thousand clients are a hundred thousand pixel
//! writes in wasm, not a hundred thousand DOM nodes or canvas calls. The server, its queue and the
//! labels are a handful of ordinary canvas calls on top.

use js_sys::Uint8ClampedArray;
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, ImageData};

use crate::simulation::{Finish, Phase, Sim, Strategy};

use super::params::group_digits;

/// The canvas' width and height in pixels.
pub const SIZE: u32 = 440;
/// Half the server's square side.
const SERVER_HALF: f64 = 26.0;
/// Clients sit between these two radii around the server.
const RING_INNER: f64 = 70.0;
const RING_OUTER: f64 = 212.0;
/// Up to this many clients stand on one circle; more fill the ring in a sunflower spiral.
const ONE_CIRCLE: usize = 64;
/// Clients up to this count get a letter (A, B, …) beside them.
const LABELLED: usize = 26;
/// The queue column shows at most this many cells.
const QUEUE_CELLS: usize = 24;

type Rgba = [u8; 4];
/// The stage is dark in both themes; these colours are chosen against it.
const BACKGROUND: Rgba = [24, 23, 30, 255];
const IDLE: Rgba = [95, 92, 108, 255];
const HOLDING: Rgba = [245, 185, 66, 255];
const WAITING: Rgba = [120, 160, 235, 255];
const DONE: Rgba = [96, 206, 128, 255];
const GAVE_UP: Rgba = [240, 96, 84, 255];
const READ_MSG: Rgba = [150, 200, 255, 255];
const WRITE_MSG: Rgba = [255, 140, 60, 255];
const REPLY_MSG: Rgba = [225, 225, 235, 255];

/// The colours of the legend, with what they mean.
pub const LEGEND: [(&str, &str); 8] = [
    ("#5f5c6c", "not started"),
    ("#f5b942", "holds a value it read, about to write"),
    ("#78a0eb", "waiting for the server"),
    ("#60ce80", "done, like acknowledged"),
    ("#f06054", "gave up after too many retries"),
    ("#96c8ff", "read request on the wire"),
    ("#ff8c3c", "write request on the wire"),
    ("#e1e1eb", "reply on the wire"),
];

/// Above this many clients, messages are single pixels too (there is no room for more).
const TINY_MESSAGES: usize = 20_000;
/// Messages drawn per frame at most, about: above it one in every k is drawn. Each message is a
/// random access into the client table and the pixels (cache misses), and 50,000 of them cost tens
/// of milliseconds; at one pixel each, a quarter of them looks the same.
const DRAWN_MESSAGES: usize = 25_000;

/// Where a client stands, and the way to the server's edge from there.
#[derive(Clone, Copy)]
struct Spot {
    x: f32,
    y: f32,
    /// From the client to the server's edge: a message at fraction t of its way is at
    /// (x + t·dx, y + t·dy).
    dx: f32,
    dy: f32,
}

/// One side's picture.
pub struct Stage {
    size: usize,
    spots: Vec<Spot>,
    client_stamp: Vec<(i32, i32)>,
    message_stamp: Vec<(i32, i32)>,
    background: Vec<u8>,
    pixels: Vec<u8>,
    /// The canvas-side copy of `pixels` and the image over it, made once and reused every frame
    /// (a new `ImageData` per frame is most of a megabyte of garbage for the JS heap).
    image: Option<(Uint8ClampedArray, ImageData)>,
}

impl Stage {
    /// A stage for `clients` clients, placed once.
    pub fn new(clients: usize) -> Stage {
        let size = SIZE as usize;
        let c = f64::from(SIZE) / 2.0;
        let spots = (0..clients)
            .map(|i| place(i, clients))
            .map(|(r, a)| {
                let (sin, cos) = sin_cos(a);
                let reach = (r - SERVER_HALF).max(0.0);
                Spot {
                    x: (c + r * cos) as f32,
                    y: (c + r * sin) as f32,
                    dx: (-reach * cos) as f32,
                    dy: (-reach * sin) as f32,
                }
            })
            .collect();
        // Each client gets its share of the ring's area; its dot covers a fraction of it.
        let area = std::f64::consts::PI * (RING_OUTER * RING_OUTER - RING_INNER * RING_INNER);
        let radius = ((area / clients.max(1) as f64).sqrt() * 0.32).clamp(0.0, 11.0);
        let background = vec![0; size * size * 4];
        let message_radius = if clients > TINY_MESSAGES {
            0.0
        } else {
            (radius * 0.6).max(1.0)
        };
        let mut stage = Stage {
            size,
            spots,
            client_stamp: disc(radius),
            message_stamp: disc(message_radius),
            pixels: background.clone(),
            background,
            image: None,
        };
        stage.paint_background();
        stage
    }

    fn paint_background(&mut self) {
        for px in self.background.chunks_exact_mut(4) {
            px.copy_from_slice(&BACKGROUND);
        }
    }

    /// Paints `sim`'s clients and messages into the pixel buffer.
    pub fn paint(&mut self, sim: &Sim<Strategy>) {
        self.pixels.copy_from_slice(&self.background);
        for (phase, spot) in sim.phases().iter().zip(self.spots.iter()) {
            let colour = match phase {
                Phase::Idle => IDLE,
                Phase::Thinking => HOLDING,
                Phase::Requesting | Phase::Queued | Phase::Replying => WAITING,
                Phase::Done(Finish::Acknowledged) => DONE,
                Phase::Done(Finish::GaveUp) => GAVE_UP,
            };
            stamp(
                &mut self.pixels,
                self.size,
                &self.client_stamp,
                spot.x,
                spot.y,
                colour,
            );
        }
        let now = sim.now_us();
        let every = (self.spots.len() / DRAWN_MESSAGES).max(1);
        for f in sim.flights().step_by(every) {
            let Some(spot) = self.spots.get(f.client) else {
                continue;
            };
            let span = f.arrives_us.saturating_sub(f.departed_us).max(1) as f32;
            let t = (now.saturating_sub(f.departed_us) as f32 / span).clamp(0.0, 1.0);
            let along = if f.to_server { t } else { 1.0 - t };
            let colour = match (f.to_server, f.writes) {
                (true, true) => WRITE_MSG,
                (true, false) => READ_MSG,
                (false, _) => REPLY_MSG,
            };
            let (x, y) = (spot.x + spot.dx * along, spot.y + spot.dy * along);
            stamp(
                &mut self.pixels,
                self.size,
                &self.message_stamp,
                x,
                y,
                colour,
            );
        }
    }

    /// Puts the pixels on the canvas and draws the server, its queue, the counter and the labels.
    pub fn present(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        counter: i64,
        queue: usize,
    ) -> Result<(), JsValue> {
        if self.image.is_none() {
            let array = Uint8ClampedArray::new_with_length(SIZE * SIZE * 4);
            let image = ImageData::new_with_js_u8_clamped_array(&array, SIZE)?;
            self.image = Some((array, image));
        }
        if let Some((array, image)) = &self.image {
            array.copy_from(&self.pixels);
            ctx.put_image_data(image, 0.0, 0.0)?;
        }
        let c = f64::from(SIZE) / 2.0;
        if self.spots.len() <= LABELLED {
            ctx.set_font("bold 13px system-ui, sans-serif");
            ctx.set_text_align("center");
            ctx.set_text_baseline("middle");
            ctx.set_fill_style_str("#e9e6ee");
            for (i, spot) in self.spots.iter().enumerate() {
                let (x, y) = (f64::from(spot.x), f64::from(spot.y));
                let (dx, dy) = (x - c, y - c);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let (lx, ly) = (x + dx / len * 20.0, y + dy / len * 20.0);
                ctx.fill_text(&client_letter(i), lx, ly)?;
            }
        }
        // The server: one square, one thread.
        ctx.set_fill_style_str("#c9372c");
        ctx.fill_rect(
            c - SERVER_HALF,
            c - SERVER_HALF,
            SERVER_HALF * 2.0,
            SERVER_HALF * 2.0,
        );
        ctx.set_fill_style_str("#ffffff");
        ctx.set_font("bold 12px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.fill_text("server", c, c - 8.0)?;
        ctx.set_font("bold 14px ui-monospace, monospace");
        ctx.fill_text(&group_signed_short(counter), c, c + 9.0)?;
        // Its event-loop queue: a column of cells above it.
        let cells = queue.min(QUEUE_CELLS);
        ctx.set_fill_style_str("#78a0eb");
        for k in 0..cells {
            let y = c - SERVER_HALF - 8.0 - k as f64 * 5.0;
            ctx.fill_rect(c - 8.0, y, 16.0, 3.5);
        }
        if queue > 0 {
            ctx.set_font("12px system-ui, sans-serif");
            ctx.set_fill_style_str("#e9e6ee");
            let top = c - SERVER_HALF - 14.0 - cells as f64 * 5.0;
            ctx.fill_text(&format!("queue {}", group_digits(queue as u64)), c, top)?;
        }
        Ok(())
    }
}

/// A counter value, shortened to fit the server's square (`12.3k`).
fn group_signed_short(n: i64) -> String {
    let abs = n.unsigned_abs();
    if abs < 10_000 {
        return n.to_string();
    }
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}.{}k", abs / 1_000, abs % 1_000 / 100)
}

/// "A" for client 0, … "Z", then "C27", "C28", …
pub fn client_letter(i: usize) -> String {
    match u8::try_from(i) {
        Ok(n) if n < 26 => char::from(b'A' + n).to_string(),
        _ => format!("C{}", i + 1),
    }
}

/// Client `i` of `n`: (radius, angle). Few clients stand evenly on one circle; many fill the ring in
/// a sunflower spiral, which spreads any number evenly.
fn place(i: usize, n: usize) -> (f64, f64) {
    use std::f64::consts::{PI, TAU};
    if n <= ONE_CIRCLE {
        let r = (RING_INNER + RING_OUTER) / 2.0;
        return (r, -PI / 2.0 + TAU * i as f64 / n.max(1) as f64);
    }
    let golden = PI * (3.0 - 5f64.sqrt());
    let share = (i as f64 + 0.5) / n as f64;
    let r = (RING_INNER * RING_INNER + (RING_OUTER * RING_OUTER - RING_INNER * RING_INNER) * share)
        .sqrt();
    (r, golden * i as f64)
}

/// Sine and cosine by their Taylor series after reducing the angle to −π…π: accurate to far below
/// a pixel, and without pulling the libm routines (several KB) into the wasm.
fn sin_cos(angle: f64) -> (f64, f64) {
    use std::f64::consts::TAU;
    let x = angle - TAU * (angle / TAU).round();
    let x2 = x * x;
    let (mut sin, mut cos) = (0.0, 0.0);
    let (mut s_term, mut c_term) = (x, 1.0);
    for k in 1..=12 {
        sin += s_term;
        cos += c_term;
        let k = f64::from(k);
        s_term *= -x2 / ((2.0 * k) * (2.0 * k + 1.0));
        c_term *= -x2 / ((2.0 * k - 1.0) * (2.0 * k));
    }
    (sin, cos)
}

/// The pixel offsets of a filled disc of `radius` (one pixel when small).
fn disc(radius: f64) -> Vec<(i32, i32)> {
    let r = radius.floor() as i32;
    if r < 1 {
        return vec![(0, 0)];
    }
    let r2 = radius * radius;
    let mut out = Vec::new();
    for dy in -r..=r {
        for dx in -r..=r {
            if f64::from(dx * dx + dy * dy) <= r2 {
                out.push((dx, dy));
            }
        }
    }
    out
}

/// Writes `colour` at every offset of `shape` around (`x`, `y`), clipped to the buffer.
fn stamp(pixels: &mut [u8], size: usize, shape: &[(i32, i32)], x: f32, y: f32, colour: Rgba) {
    // `+ 0.5` then truncation rounds the canvas' (non-negative) coordinates without a libm call.
    let (cx, cy) = ((x + 0.5) as i32, (y + 0.5) as i32);
    for &(dx, dy) in shape {
        let (px, py) = (cx + dx, cy + dy);
        if px < 0 || py < 0 || px as usize >= size || py as usize >= size {
            continue;
        }
        let at = (py as usize * size + px as usize) * 4;
        if let Some(p) = pixels.get_mut(at..at + 4) {
            p.copy_from_slice(&colour);
        }
    }
}
