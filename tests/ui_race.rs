//! The race demo in a real browser: its settings in the page address, the clients slider, the
//! flood's runs as the wasm computes them, and the step-by-step view driven by its buttons.
#![cfg(target_arch = "wasm32")]

mod browser;

use browser::{mount, settle};
use incr_lab::simulation::StrategyKind;
use incr_lab::ui::race::flood_run::FloodRun;
use incr_lab::ui::race::flood_state::result_sentence;
use incr_lab::ui::race::params::{
    auto_speed, auto_speed_for, format_ms, next_speed, slider_clients, slider_position,
    speed_label, spread_label, FloodParams, MAX_CLIENTS, MIN_CLIENTS, PRESETS, SLIDER_STEPS,
    SPEEDS, SPREADS,
};
use incr_lab::ui::race::InterleaveView;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn query(pairs: &'static [(&'static str, &'static str)]) -> FloodParams {
    FloodParams::from_query(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    })
}

/// `p` written to query parameters and read back, as a shared link does.
fn through_the_address(p: &FloodParams) -> FloodParams {
    let pairs = p.to_query();
    FloodParams::from_query(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    })
}

#[wasm_bindgen_test]
fn the_address_round_trips_and_bad_values_fall_back() {
    let p = query(&[
        ("clients", "10000"),
        ("seed", "42"),
        ("strategy", "watch"),
        ("vs", "sql-atomic"),
        ("spread", "100"),
        ("speed", "2000"),
    ]);
    assert_eq!(
        p,
        FloodParams {
            clients: 10_000,
            seed: 42,
            kinds: [StrategyKind::Optimistic, StrategyKind::SqlAtomicUpdate],
            spread_ms: 100,
            likes: 1,
            pipelining: false,
            speed: 2_000,
        }
    );
    assert_eq!(through_the_address(&p), p);

    assert_eq!(query(&[]), FloodParams::default());
    let odd = query(&[
        ("clients", "9999999999999999999999"),
        ("seed", "-3"),
        ("strategy", "nope"),
        ("spread", "30"),
        ("speed", "1234"),
    ]);
    assert_eq!(odd.clients, FloodParams::default().clients, "unparsable");
    assert_eq!(odd.seed, 1);
    assert_eq!(odd.kinds, FloodParams::default().kinds);
    assert_eq!(odd.speed, 1_000, "snapped to the nearest listed speed");
    assert_eq!(
        odd.spread_ms, 1,
        "30 ms: snapped to the nearest listed spread"
    );
    assert_eq!(query(&[("spread", "20000")]).spread_ms, 10_000);
    assert_eq!(query(&[("spread", "x")]).spread_ms, 1);
    assert_eq!(query(&[("clients", "1")]).clients, MIN_CLIENTS);
    assert_eq!(query(&[("clients", "1,000,000")]).clients, MAX_CLIENTS);
    assert_eq!(
        query(&[("clients", "100000")]).speed,
        auto_speed(100_000, 1),
        "no speed: one that suits the size"
    );
    // A link from before the spread setting: 1 ms, and the speed those links were given.
    let old = query(&[("clients", "100000"), ("seed", "3")]);
    assert_eq!((old.spread_ms, old.speed), (1, 100_000));
    assert_eq!(query(&[("clients", "2")]).speed, 500);
    assert_eq!(
        query(&[("clients", "1000"), ("spread", "10000")]).speed,
        2_000_000,
        "10 s of arrivals play in about 5 s"
    );
}

#[wasm_bindgen_test]
fn likes_per_client_and_pipelining_round_trip_through_the_address_and_garbage_falls_back() {
    let p = query(&[
        ("clients", "1000"),
        ("seed", "5"),
        ("likes", "10"),
        ("pipeline", "1"),
    ]);
    assert_eq!((p.likes, p.pipelining), (10, true));
    assert_eq!(
        p.speed,
        auto_speed_for(1_000, 1, 10, true),
        "no speed: one for 10 likes"
    );
    assert_eq!(through_the_address(&p), p);
    let pairs = p.to_query();
    assert!(pairs.contains(&("likes", "10".to_owned())), "{pairs:?}");
    assert!(pairs.contains(&("pipeline", "1".to_owned())), "{pairs:?}");
    // One like, no pipelining: the address reads exactly as before the settings.
    let default = FloodParams::default().to_query();
    let keys: Vec<&str> = default.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        ["clients", "seed", "strategy", "vs", "spread", "speed"]
    );
    assert_eq!(query(&[("likes", "100")]).likes, 100);
    assert_eq!(
        query(&[("likes", "37")]).likes,
        10,
        "snapped to the nearest listed"
    );
    assert_eq!(query(&[("likes", "1_000_000")]).likes, 100);
    assert_eq!(query(&[("likes", "0")]).likes, 1);
    assert_eq!(query(&[("likes", "-4")]).likes, 1, "unparsable");
    assert_eq!(query(&[("likes", "lots")]).likes, 1);
    assert!(query(&[("pipeline", " ON ")]).pipelining);
    assert!(!query(&[("pipeline", "0")]).pipelining);
    assert!(!query(&[("pipeline", "off")]).pipelining);
    assert!(!query(&[("pipeline", "")]).pipelining);
    assert!(!query(&[("pipeline", "maybe")]).pipelining);
    // A million likes at most: 100,000 clients get 10 each, not 100.
    let big = query(&[("clients", "100000"), ("likes", "100")]);
    assert_eq!((big.clients, big.likes), (100_000, 10));
    assert_eq!(big.total_likes(), 1_000_000);
    assert_eq!(query(&[("clients", "10000"), ("likes", "100")]).likes, 100);
}

#[wasm_bindgen_test]
fn a_pipelined_flood_counts_clients_times_likes_in_one_round_trip_per_incr_client() {
    let p = FloodParams {
        clients: 100,
        likes: 10,
        pipelining: true,
        ..FloodParams::default()
    };
    let run = finished(p);
    let (naive, incr) = (run.stats(0).unwrap(), run.stats(1).unwrap());
    assert_eq!(incr.outcome.actual, 1_000);
    assert_eq!(incr.outcome.round_trips, 100);
    assert_eq!(naive.outcome.round_trips, 2_000);
    assert!(naive.outcome.lost_updates > 0);
    let sentence = result_sentence(&p, &[naive, incr]);
    assert!(
        sentence.contains("the counter ended at 1,000 of 1,000 (0 likes lost)")
            && sentence.ends_with("; 10 likes per client, pipelined."),
        "{sentence}"
    );
}

/// Both sides of `params`' flood, computed to the end.
fn finished(params: FloodParams) -> FloodRun {
    let mut run = FloodRun::new(params);
    assert!(run.finish_some(f64::INFINITY, &|| 0.0));
    run
}

#[wasm_bindgen_test]
fn wider_spreads_lose_fewer_likes_but_some_and_incr_none_and_a_shared_link_reproduces_the_run() {
    let mut last = i64::MAX;
    for spread in SPREADS {
        let p = FloodParams {
            spread_ms: spread,
            ..FloodParams::default()
        };
        let run = finished(p);
        let (naive, incr) = (run.stats(0).unwrap(), run.stats(1).unwrap());
        let lost = naive.outcome.lost_updates;
        assert!(
            lost > 0 && lost < last,
            "{}: {lost} lost",
            spread_label(spread)
        );
        assert_eq!(naive.outcome.actual + lost, 1_000);
        assert_eq!((incr.counter, incr.outcome.lost_updates), (1_000, 0));
        last = lost;

        // The link names the spread, and opening it gives the same figures.
        let back = through_the_address(&p);
        assert_eq!(back, p);
        assert_eq!(finished(back).stats(0), run.stats(0));
    }
    // Measured natively, seed 1: the browser's wasm computes the same run.
    let run = finished(FloodParams {
        spread_ms: 1_000,
        ..FloodParams::default()
    });
    let stats = [run.stats(0).unwrap(), run.stats(1).unwrap()];
    assert_eq!(
        result_sentence(&run.params, &stats),
        "Done: with GET then SET (read-modify-write), the counter ended at 481 of 1,000 (519 likes lost); with INCR \
         (atomic), the counter ended at 1,000 of 1,000 (0 likes lost); arrivals spread over 1 s."
    );
}

#[wasm_bindgen_test]
fn the_slider_reaches_every_preset_exactly_and_speeds_step_within_the_list() {
    for n in PRESETS {
        assert_eq!(slider_clients(slider_position(n)), n, "preset {n}");
    }
    assert_eq!(slider_clients(0), MIN_CLIENTS);
    assert_eq!(slider_clients(SLIDER_STEPS), MAX_CLIENTS);
    assert_eq!(slider_clients(u32::MAX), MAX_CLIENTS);
    let mut last = 0;
    for pos in 0..=SLIDER_STEPS {
        let n = slider_clients(pos);
        assert!(n >= last, "monotonic at {pos}");
        last = n;
    }
    assert_eq!(next_speed(SPEEDS[0], false), SPEEDS[0]);
    assert_eq!(
        next_speed(SPEEDS[SPEEDS.len() - 1], true),
        SPEEDS[SPEEDS.len() - 1]
    );
    assert_eq!(next_speed(1_000, true), 2_000);
    assert_eq!(speed_label(1_000), "1,000× slower");
    assert_eq!(speed_label(1_000_000), "real time");
    assert_eq!(speed_label(2_000_000), "2× faster");
    let spreads: Vec<String> = SPREADS.into_iter().map(spread_label).collect();
    assert_eq!(spreads, ["1 ms", "100 ms", "1 s", "10 s"]);
    assert_eq!(format_ms(1_234_567), "1,234.567 ms");
    assert_eq!(format_ms(5), "0.005 ms");
}

#[wasm_bindgen_test]
async fn two_clients_lose_an_update_on_screen_and_step_back_restores_it() {
    let app = mount(InterleaveView);
    settle().await;
    assert!(app.button("Step back").has_attribute("disabled"));
    for name in ["Step A", "Step B", "Step A", "Step B"] {
        app.button(name).click();
        settle().await;
    }
    assert_eq!(app.text(".shared-value"), "101");
    let lost = app.query_all(".step-log li.lost");
    assert_eq!(lost.len(), 1, "one step flagged");
    assert!(lost[0]
        .text_content()
        .unwrap_or_default()
        .contains("SET likes 101"));
    assert!(app.text("[role=status]").contains("Lost update!"));
    assert!(app.button("Step B").has_attribute("disabled"), "B is done");

    app.button("Step back").click();
    settle().await;
    assert!(app.query_all(".step-log li.lost").is_empty());
    assert!(!app.button("Step B").has_attribute("disabled"));
    let current: Vec<String> = app
        .query_all("[aria-current=step]")
        .iter()
        .map(|li| li.text_content().unwrap_or_default())
        .collect();
    assert_eq!(current, ["SET likes v+1"], "only B has a next line");

    app.select("Strategy", "incr");
    settle().await;
    app.button("Show me a bad interleaving").click();
    settle().await;
    assert!(app.text("[role=status]").contains("none loses an update"));
}
