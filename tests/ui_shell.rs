//! The page shell in a real browser: layout landmarks, and the virtual clock bar driving virtual time.
#![cfg(target_arch = "wasm32")]

mod browser;

use browser::{mount, settle};
use incr_lab::ui::clock::{format_elapsed, VirtualClock, MAX_TICK_GAP_MS};
use incr_lab::ui::App;
use leptos::prelude::{GetUntracked, Set};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Parses the clock bar's `HH:MM:SS.t` back into milliseconds.
fn parse_elapsed(text: &str) -> i64 {
    let (hms, tenths) = text.trim().split_once('.').expect("HH:MM:SS.t");
    let parts: Vec<i64> = hms.split(':').map(|p| p.parse().expect("number")).collect();
    let [h, m, s] = parts[..] else {
        panic!("three fields in {text:?}")
    };
    ((h * 60 + m) * 60 + s) * 1_000 + tenths.parse::<i64>().expect("tenths") * 100
}

#[wasm_bindgen_test]
async fn the_shell_has_its_landmarks_and_headings() {
    let app = mount(App);
    settle().await;
    assert_eq!(app.text("header h1"), "incr-lab");
    assert!(app.query_all("main").len() == 1, "one main landmark");
    let headings: Vec<String> = app
        .query_all("h2")
        .iter()
        .map(|h| h.text_content().unwrap_or_default())
        .collect();
    assert_eq!(
        headings,
        [
            "Your progress",
            "1. Atomic increments",
            "The race: GET then SET against INCR",
            "Console",
            "Keyspace",
            "Virtual clock"
        ]
    );
}

#[wasm_bindgen_test]
async fn pause_then_fast_forward_moves_time_by_exactly_the_step() {
    let app = mount(App);
    settle().await;
    app.button("Pause").click();
    settle().await;
    assert!(app.text(".clock-readout").contains("(paused)"));
    let before = parse_elapsed(&app.text("[role=timer]"));
    app.button("+10 s").click();
    settle().await;
    assert_eq!(parse_elapsed(&app.text("[role=timer]")), before + 10_000);
    app.button("+60 s").click();
    app.button("+1 s").click();
    settle().await;
    assert_eq!(parse_elapsed(&app.text("[role=timer]")), before + 71_000);
    app.button("Resume").click();
    settle().await;
    assert!(!app.text(".clock-readout").contains("(paused)"));
    app.button("Pause");
}

#[wasm_bindgen_test]
async fn the_speed_select_sets_the_clock_speed() {
    let app = mount(App);
    settle().await;
    app.select("Speed", "10");
    settle().await;
    let select: web_sys::HtmlSelectElement =
        wasm_bindgen::JsCast::unchecked_into(app.labelled("Speed"));
    assert_eq!(select.value(), "10");
}

#[wasm_bindgen_test]
fn the_clock_advances_by_real_time_times_speed_and_caps_gaps() {
    let owner = leptos::prelude::Owner::new();
    owner.with(|| {
        let clock = VirtualClock::new();
        clock.tick(100.0);
        assert_eq!(clock.elapsed_ms.get_untracked(), 100);
        clock.speed.set(60);
        clock.tick(100.0);
        assert_eq!(clock.elapsed_ms.get_untracked(), 6_100);
        // A laptop waking from sleep: one tick counts for at most MAX_TICK_GAP_MS of real time.
        clock.tick(3_600_000.0);
        assert_eq!(
            clock.elapsed_ms.get_untracked(),
            6_100 + (MAX_TICK_GAP_MS as i64) * 60
        );
        for bad in [f64::NAN, f64::INFINITY, -5.0] {
            let at = clock.elapsed_ms.get_untracked();
            clock.tick(bad);
            assert_eq!(clock.elapsed_ms.get_untracked(), at, "tick({bad})");
        }
        clock.running.set(false);
        clock.tick(500.0);
        clock.advance(-1);
        assert_eq!(clock.elapsed_ms.get_untracked(), 66_100);
        clock.advance(i64::MAX);
        assert_eq!(clock.elapsed_ms.get_untracked(), i64::MAX, "saturates");
    });
}

#[wasm_bindgen_test]
fn elapsed_time_reads_as_hours_minutes_seconds_tenths() {
    assert_eq!(format_elapsed(0), "00:00:00.0");
    assert_eq!(format_elapsed(65_349), "00:01:05.3");
    assert_eq!(format_elapsed(36_000_000), "10:00:00.0");
    assert_eq!(format_elapsed(-5), "00:00:00.0");
    assert_eq!(
        format_elapsed(i64::MAX).len(),
        "2562047788015:12:55.8".len()
    );
}

#[wasm_bindgen_test]
#[should_panic(expected = "the page reported errors")]
fn a_console_error_in_the_page_fails_the_test() {
    let app = mount(App);
    web_sys::console::error_1(&"something broke".into());
    drop(app);
}
