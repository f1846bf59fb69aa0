//! The race demo's simulation: lost updates with read-modify-write, none with INCR, retries with
//! WATCH, the SQL comparison, determinism, and the step-by-hand view.

use incr_lab::simulation::{Finish, Interleaving, SimBuilder, StrategyKind, TraceEvent, TraceKind};

fn lost_in_trace(trace: &[TraceEvent]) -> i64 {
    trace
        .iter()
        .map(|e| match e.kind {
            TraceKind::LostUpdate { lost } => lost,
            _ => 0,
        })
        .sum()
}

#[test]
fn naive_read_modify_write_loses_updates_and_the_trace_accounts_for_each() {
    let mut sim = SimBuilder::new()
        .clients(200)
        .seed(11)
        .trace_limit(100_000)
        .build(StrategyKind::Naive);
    let out = sim.run();
    assert!(out.finished);
    assert_eq!(out.expected, 200);
    assert!(out.lost_updates > 0, "{out:?}");
    assert!(out.actual < 200);
    assert_eq!(out.expected - out.actual, out.lost_updates);
    assert_eq!(lost_in_trace(sim.trace_events()), out.lost_updates);
    assert_eq!(out.commands, 400);
}

#[test]
fn incr_never_loses_an_update_whatever_the_seed() {
    for seed in 0..200u64 {
        let clients = 1 + (seed as usize * 37) % 500;
        let out = SimBuilder::new()
            .clients(clients)
            .seed(seed)
            .initial(seed as i64)
            .build(StrategyKind::Atomic)
            .run();
        assert_eq!(out.actual, clients as i64, "seed {seed}");
        assert_eq!(out.lost_updates, 0);
    }
}

#[test]
fn watch_multi_exec_loses_nothing_and_counts_its_retries() {
    let out = SimBuilder::new()
        .clients(100)
        .seed(5)
        .build(StrategyKind::Optimistic)
        .run();
    assert!(out.finished);
    assert_eq!(out.lost_updates, 0);
    assert_eq!(out.actual, out.expected);
    assert_eq!(out.expected + out.gave_up as i64, 100);
    assert!(out.retries > 0, "contention must cause retries: {out:?}");
}

#[test]
fn sql_select_then_update_loses_updates_but_update_plus_one_does_not() {
    let naive = SimBuilder::new()
        .clients(300)
        .seed(3)
        .build(StrategyKind::SqlReadModifyWrite)
        .run();
    assert!(naive.lost_updates > 0);
    let atomic = SimBuilder::new()
        .clients(300)
        .seed(3)
        .build(StrategyKind::SqlAtomicUpdate)
        .run();
    assert_eq!(atomic.actual, 300);
}

#[test]
fn clients_spread_far_apart_do_not_race() {
    let out = SimBuilder::new()
        .clients(20)
        .seed(9)
        .arrival_window_us(100_000_000)
        .build(StrategyKind::Naive)
        .run();
    assert_eq!(out.lost_updates, 0);
    assert_eq!(out.actual, 20);
}

/// FNV-1a over the trace's debug text: the same on every platform if the run is.
pub fn fingerprint(seed: u64) -> u64 {
    let mut sim = SimBuilder::new()
        .clients(50)
        .seed(seed)
        .trace_limit(1_000_000)
        .build(StrategyKind::Optimistic);
    sim.run();
    let text = format!("{:?}", sim.trace_events());
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn same_seed_same_trace_different_seed_different_trace() {
    assert_eq!(fingerprint(42), fingerprint(42));
    assert_ne!(fingerprint(42), fingerprint(43));
}

#[test]
fn the_same_schedule_serves_every_strategy() {
    // Client i starts at the same instant whatever the strategy: the first request of each client
    // arrives at the same time in both runs.
    let first_sends = |kind| {
        let mut sim = SimBuilder::new()
            .clients(30)
            .seed(8)
            .trace_limit(10_000)
            .build(kind);
        sim.run();
        let mut firsts: Vec<(usize, u64)> = Vec::new();
        for e in sim.trace_events() {
            if matches!(e.kind, TraceKind::Sent(_)) && !firsts.iter().any(|(c, _)| *c == e.client) {
                firsts.push((e.client, e.time_us));
            }
        }
        firsts.sort();
        firsts
    };
    assert_eq!(
        first_sends(StrategyKind::Naive),
        first_sends(StrategyKind::Atomic)
    );
}

#[test]
fn two_clients_stepped_by_hand_lose_an_update_and_can_step_back() {
    let mut view = Interleaving::new(StrategyKind::Naive, 2, 100);
    assert!(view.step(0)); // A: GET likes -> "100"
    assert!(view.step(1)); // B: GET likes -> "100"
    assert_eq!(view.client_views()[0].local, Some(100));
    assert_eq!(
        view.client_views()[1].next.as_deref(),
        Some("SET likes 101")
    );
    assert!(view.step(0)); // A: SET likes 101
    assert!(view.step(1)); // B: SET likes 101 — A's like is gone
    assert!(view.is_done());
    assert_eq!(view.value(), 101);
    assert_eq!(view.acknowledged(), 2);
    assert_eq!(view.records().last().map(|r| r.lost), Some(1));
    assert!(view.step_back());
    assert_eq!(view.value(), 101);
    assert_eq!(
        view.client_views()[1].next.as_deref(),
        Some("SET likes 101")
    );
    assert!(view.step_back());
    assert!(view.step_back());
    assert_eq!(view.records().len(), 1);
    assert_eq!(view.client_views()[1].local, None);
}

#[test]
fn a_bad_interleaving_is_found_for_read_modify_write_and_none_exists_for_incr() {
    let view = Interleaving::new(StrategyKind::Naive, 2, 0);
    let order = view
        .find_bad_interleaving(10_000)
        .expect("naive has a bad order");
    let mut replay = view.clone();
    replay.replay(&order);
    assert!(replay.is_done());
    assert!(replay.value() < replay.acknowledged());
    for kind in [StrategyKind::Atomic, StrategyKind::SqlAtomicUpdate] {
        assert_eq!(
            Interleaving::new(kind, 3, 0).find_bad_interleaving(100_000),
            None
        );
    }
    let mut watch = Interleaving::new(StrategyKind::Optimistic, 2, 0);
    assert_eq!(watch.find_bad_interleaving(200_000), None);
    // A's WATCH+GET, then B's whole transaction, then A's EXEC fails and A retries.
    for c in [0, 0, 1, 1, 1, 1, 1, 0, 0, 0] {
        assert!(watch.step(c));
    }
    let a = &watch.records()[watch.records().len() - 1];
    assert_eq!(a.response, "(nil)");
    assert_eq!(watch.client_views()[0].finished, None::<Finish>);
}

#[test]
fn the_search_says_whether_none_found_is_a_proof_or_a_spent_budget() {
    use incr_lab::simulation::BadInterleaving;
    let naive = Interleaving::new(StrategyKind::Naive, 2, 0);
    assert_eq!(
        naive.search_bad_interleaving(1_000),
        BadInterleaving::Found(vec![0, 1, 0, 1])
    );
    let incr = Interleaving::new(StrategyKind::Atomic, 3, 0);
    assert_eq!(
        incr.search_bad_interleaving(1_000),
        BadInterleaving::NoneExists
    );
    let watch = Interleaving::new(StrategyKind::Optimistic, 3, 0);
    assert_eq!(
        watch.search_bad_interleaving(100),
        BadInterleaving::BudgetSpent
    );
    assert_eq!(watch.find_bad_interleaving(100), None);
}

#[test]
fn clients_writing_the_same_value_share_one_write_batch() {
    use incr_lab::engine::Reply;
    use incr_lab::simulation::{Ctx, Program, Response, Rng, Step, StrategyFactory, Timing};
    let factory = StrategyFactory::new(StrategyKind::Naive, "likes", Timing::default());
    let mut rng = Rng::new(1);
    let mut write_after_reading = |read: &[u8]| {
        let mut client = factory.client();
        let mut ctx = Ctx {
            now_us: 0,
            epoch_ms: 0,
            rng: &mut rng,
        };
        client.start(&mut ctx);
        match client.next(&[Response::Redis(Reply::Bulk(read.to_vec()))], &mut ctx) {
            Step::Send { batch, .. } => batch,
            other => panic!("a naive client writes after reading, not {other:?}"),
        }
    };
    let (a, b, c) = (
        write_after_reading(b"5"),
        write_after_reading(b"5"),
        write_after_reading(b"6"),
    );
    assert!(std::rc::Rc::ptr_eq(&a.requests, &b.requests), "shared");
    assert_eq!(a.requests[0].text(), "SET likes 6");
    assert_eq!(c.requests[0].text(), "SET likes 7");
}

#[test]
fn integer_arguments_are_sent_in_decimal() {
    use incr_lab::simulation::{Arg, Command};
    for n in [0, 7, -1, 10, 101, -2_048, i64::MAX, i64::MIN] {
        let sent = Command::of([Arg::Word("SET"), Arg::Word("likes"), Arg::Int(n)])
            .with_argv(|argv| argv.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
        assert_eq!(sent[2], n.to_string().into_bytes(), "{n}");
    }
}

#[test]
fn spreading_the_arrivals_loses_fewer_updates_but_still_some_and_incr_none() {
    let run = |kind, window_us| {
        SimBuilder::new()
            .clients(1_000)
            .seed(1)
            .arrival_window_us(window_us)
            .build(kind)
            .run()
    };
    let mut last = i64::MAX;
    for window_us in [1_000, 100_000, 1_000_000, 10_000_000] {
        let naive = run(StrategyKind::Naive, window_us);
        assert_eq!(naive.expected, 1_000);
        // Net: a stale write that puts back likes an earlier one erased does not count twice.
        assert_eq!(
            naive.expected - naive.actual,
            naive.lost_updates,
            "{window_us} µs"
        );
        assert!(naive.lost_updates > 0, "{window_us} µs: {naive:?}");
        assert!(naive.lost_updates < last, "{window_us} µs: {naive:?}");
        last = naive.lost_updates;
        let incr = run(StrategyKind::Atomic, window_us);
        assert_eq!(
            (incr.actual, incr.lost_updates),
            (1_000, 0),
            "{window_us} µs"
        );
    }
}

#[test]
fn the_lua_script_counts_every_like_in_one_round_trip_each() {
    for seed in [1u64, 7, 42] {
        let clients = 2_000;
        let run = |kind| {
            SimBuilder::new()
                .clients(clients)
                .seed(seed)
                .initial(10)
                .build(kind)
                .run()
        };
        let lua = run(StrategyKind::LuaScript);
        assert!(lua.finished, "seed {seed}");
        assert_eq!(lua.actual, clients as i64, "seed {seed}: exact");
        assert_eq!(lua.expected, clients as i64);
        assert_eq!(lua.lost_updates, 0);
        assert_eq!((lua.retries, lua.gave_up), (0, 0));
        assert_eq!(lua.round_trips, clients as u64, "one EVAL per like");
        assert_eq!(lua.commands, clients as u64);
        // The same schedule with WATCH: also exact, but two round trips per attempt, and retries.
        let watch = run(StrategyKind::Optimistic);
        assert_eq!(watch.lost_updates, 0);
        assert!(watch.retries > 0, "seed {seed}: {watch:?}");
        // Each attempt (a like counted, a failed EXEC retried, or the failed EXEC after which a
        // client gave up) is WATCH+GET, then MULTI/SET/EXEC.
        let attempts = watch.expected as u64 + watch.retries + watch.gave_up;
        assert_eq!(watch.round_trips, 2 * attempts);
        assert_eq!(watch.commands, 5 * attempts);
    }
}

#[test]
fn the_lua_script_sends_an_eval_and_no_order_of_clients_loses_a_like() {
    let mut sim = SimBuilder::new()
        .clients(3)
        .seed(2)
        .trace_limit(1_000)
        .build(StrategyKind::LuaScript);
    let out = sim.run();
    assert_eq!(out.actual, 3);
    let sent: Vec<String> = sim
        .trace_events()
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Sent(texts) => texts.first().cloned(),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|t| t.starts_with("EVAL local v = ") && t.ends_with(" 1 likes")),
        "{sent:?}"
    );
    let view = Interleaving::new(StrategyKind::LuaScript, 3, 5);
    assert_eq!(
        view.search_bad_interleaving(1_000),
        incr_lab::simulation::BadInterleaving::NoneExists
    );
    let mut view = view;
    assert!(view.step(1) && view.step(0) && view.step(2));
    assert!(view.is_done());
    assert_eq!(view.value(), 8);
    let replies: Vec<&str> = view.records().iter().map(|r| r.response.as_str()).collect();
    assert_eq!(replies, ["(integer) 6", "(integer) 7", "(integer) 8"]);
}

// ---- Likes per client and pipelining (the flood's settings) ----

use incr_lab::simulation::{Likes, Outcome};

fn flood(likes: Likes, clients: usize, seed: u64) -> Outcome {
    SimBuilder::new()
        .clients(clients)
        .seed(seed)
        .build(likes)
        .run()
}

#[test]
fn one_like_per_client_is_the_original_run_with_or_without_pipelining() {
    for kind in StrategyKind::ALL {
        for seed in [1, 7, 42] {
            let run = |likes: Option<Likes>| {
                let builder = SimBuilder::new()
                    .clients(300)
                    .seed(seed)
                    .arrival_window_us(100_000)
                    .trace_limit(1_000_000);
                let mut sim = match likes {
                    Some(likes) => builder.build(likes),
                    None => builder.build(kind),
                };
                let out = sim.run();
                (out, sim.trace_events().to_vec(), sim.samples().to_vec())
            };
            let original = run(None);
            assert_eq!(run(Some(Likes::new(kind, 1, false))), original, "{kind:?}");
            assert_eq!(run(Some(Likes::new(kind, 1, true))), original, "{kind:?}");
        }
    }
}

#[test]
fn a_thousand_clients_pipelining_ten_incrs_count_all_in_one_round_trip_each() {
    let clients = 1_000;
    let piped = flood(Likes::new(StrategyKind::Atomic, 10, true), clients, 1);
    let one_by_one = flood(Likes::new(StrategyKind::Atomic, 10, false), clients, 1);
    for out in [&piped, &one_by_one] {
        assert!(out.finished);
        assert_eq!(
            (out.expected, out.actual, out.lost_updates),
            (10_000, 10_000, 0)
        );
        assert_eq!(out.commands, 10_000, "the same work in Redis");
    }
    assert_eq!(piped.round_trips, clients as u64, "one per client");
    assert_eq!(one_by_one.round_trips, 10 * clients as u64, "one per like");
    // A thousand clients within 1 ms keep the server busy: its 20 ms of work (10,000 commands of
    // 2 µs) is the floor, pipelined or not, so pipelining saves round trips but little time.
    let busy = 10_000 * incr_lab::simulation::sim::Config::default().service_us;
    assert!(busy <= piped.total_time_us && piped.total_time_us < one_by_one.total_time_us);
    println!(
        "1,000 clients × 10 INCRs: pipelined {} µs, one by one {} µs, Redis busy {busy} µs",
        piped.total_time_us, one_by_one.total_time_us,
    );
}

#[test]
fn when_the_network_is_the_bottleneck_pipelining_takes_far_less_time() {
    for (clients, likes) in [(100, 10), (10, 100)] {
        let piped = flood(Likes::new(StrategyKind::Atomic, likes, true), clients, 1);
        let one_by_one = flood(Likes::new(StrategyKind::Atomic, likes, false), clients, 1);
        let total = clients as i64 * i64::from(likes);
        assert_eq!((piped.actual, one_by_one.actual), (total, total));
        assert_eq!(piped.round_trips, clients as u64);
        // One round trip against `likes` of them, each 0.5–1.5 ms.
        assert!(
            piped.total_time_us * 3 < one_by_one.total_time_us,
            "{clients} × {likes}: pipelined {} µs, one by one {} µs",
            piped.total_time_us,
            one_by_one.total_time_us
        );
        println!(
            "{clients} clients × {likes} INCRs: pipelined {} µs, one by one {} µs (ratio {:.1})",
            piped.total_time_us,
            one_by_one.total_time_us,
            one_by_one.total_time_us as f64 / piped.total_time_us as f64
        );
    }
}

#[test]
fn the_lua_script_and_sql_update_pipeline_too() {
    for kind in [StrategyKind::LuaScript, StrategyKind::SqlAtomicUpdate] {
        let out = flood(Likes::new(kind, 10, true), 100, 3);
        assert!(out.finished, "{kind:?}");
        assert_eq!((out.actual, out.lost_updates), (1_000, 0), "{kind:?}");
        assert_eq!((out.round_trips, out.commands), (100, 1_000), "{kind:?}");
    }
}

#[test]
fn get_then_set_cannot_pipeline_across_its_read_and_still_loses_likes() {
    let clients = 1_000;
    let piped = flood(Likes::new(StrategyKind::Naive, 10, true), clients, 1);
    let one_by_one = flood(Likes::new(StrategyKind::Naive, 10, false), clients, 1);
    assert_eq!(
        piped, one_by_one,
        "the option changes nothing for GET-then-SET"
    );
    assert!(piped.finished);
    assert_eq!(piped.expected, 10_000, "every like acknowledged");
    assert!(piped.lost_updates > 0, "{piped:?}");
    assert_eq!(piped.actual + piped.lost_updates, 10_000);
    assert_eq!(piped.round_trips, 2 * 10_000, "two per like");
    assert_eq!(piped.commands, 2 * 10_000);
    for kind in [StrategyKind::SqlReadModifyWrite, StrategyKind::Optimistic] {
        let piped = flood(Likes::new(kind, 10, true), 100, 5);
        assert_eq!(
            piped,
            flood(Likes::new(kind, 10, false), 100, 5),
            "{kind:?}"
        );
        assert!(piped.round_trips >= 2 * 1_000, "{kind:?}: {piped:?}");
    }
}

#[test]
fn watch_clients_add_every_like_they_do_not_give_up_on() {
    let out = flood(Likes::new(StrategyKind::Optimistic, 10, false), 200, 9);
    assert!(out.finished);
    assert_eq!(out.lost_updates, 0);
    assert_eq!(out.actual, out.expected);
    assert!(out.retries > 0, "{out:?}");
    // A client that gives up stops with the likes it had not added yet.
    assert!(out.expected + 10 * out.gave_up as i64 >= 2_000, "{out:?}");
    // Two round trips per attempt: one per like done, one per failed EXEC.
    assert_eq!(
        out.round_trips,
        2 * (out.expected as u64 + out.retries + out.gave_up)
    );
}
