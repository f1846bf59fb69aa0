//! The labs' claims, checked on their models: each lab runs real commands on the engine.

use incr_lab::engine::{Engine, Reply};
use incr_lab::simulation::scenarios::counters::{conversion_point, CountersConfig, CountersLab};
use incr_lab::simulation::scenarios::durability::{
    Crash, DurabilityConfig, DurabilityLab, Fsync, Persistence,
};
use incr_lab::simulation::scenarios::flash_sale::{Sale, SaleConfig, SaleLab};
use incr_lab::simulation::scenarios::leaderboard::{BoardConfig, BoardLab};
use incr_lab::simulation::scenarios::likes::{Flush, LikesConfig, LikesLab};
use incr_lab::simulation::scenarios::memory::{field_name, Layout, MemoryModel};
use incr_lab::simulation::scenarios::points::{
    PointsConfig, PointsLab, PointsOutcome, Way, KEY as POINTS_KEY, NEAR_MAX,
};
use incr_lab::simulation::scenarios::rate_limiter::{
    Burst, Caller, Guard, LimiterConfig, RateLab, Verdict,
};
use incr_lab::simulation::scenarios::{summary, Lab, LabId};

const S: u64 = 1_000_000;

fn run(engine: &mut Engine, line: &str) -> Reply {
    let argv: Vec<&str> = line.split_whitespace().collect();
    engine.execute(1, &argv)
}

// ---- Lab 1: likes ----

fn likes(flush: Flush, seed: u64) -> incr_lab::simulation::scenarios::likes::LikesOutcome {
    LikesLab::new(LikesConfig {
        likes_per_s: 500,
        seconds: 4,
        flush_every_ms: 500,
        flush,
        seed,
        ..LikesConfig::default()
    })
    .run()
}

#[test]
fn likes_naive_flush_wipes_the_likes_that_arrive_between_get_and_set() {
    let out = likes(Flush::GetThenSet, 1);
    assert_eq!(out.counted, 2_000);
    assert_eq!(out.acknowledged, 2_000);
    assert!(out.lost > 0, "{out:?}");
    // Every like is in SQL, still in Redis, or was wiped inside a GET…SET window.
    assert_eq!(out.in_sql + out.in_redis + out.lost, out.counted);
    // Write-behind: a handful of UPDATEs instead of one per like.
    assert!(
        out.sql_updates <= out.flushes && out.sql_updates >= 8,
        "{out:?}"
    );
}

#[test]
fn likes_atomic_flushes_lose_nothing_for_every_seed() {
    for flush in [Flush::SetGet, Flush::GetDel] {
        for seed in 0..4 {
            let out = likes(flush, seed);
            assert_eq!(out.lost, 0, "{flush:?} {seed}");
            assert_eq!(out.in_sql, 2_000, "{flush:?} seed {seed}: {out:?}");
            assert_eq!(out.in_redis, 0);
        }
    }
}

#[test]
fn likes_log_shows_the_flush_commands() {
    let mut lab = LikesLab::new(LikesConfig {
        likes_per_s: 100,
        seconds: 2,
        flush: Flush::GetDel,
        ..LikesConfig::default()
    });
    lab.run_until(1_100_000);
    let log: Vec<String> = lab
        .take_journal()
        .iter()
        .map(|l| l.request.text())
        .collect();
    assert!(log.iter().any(|l| l == "INCR post:99:likes"));
    assert!(log.iter().any(|l| l == "GETDEL post:99:likes"));
    assert!(log
        .iter()
        .any(|l| l.starts_with("UPDATE posts SET likes = likes + ")));
    assert!(lab.take_journal().is_empty());
}

// ---- Lab 2: flash sale ----

fn sale(
    sale: Sale,
    seed: u64,
    buyers: usize,
) -> incr_lab::simulation::scenarios::flash_sale::SaleOutcome {
    SaleLab::new(SaleConfig {
        sale,
        seed,
        buyers,
        ..SaleConfig::default()
    })
    .run()
}

#[test]
fn flash_sale_decr_sells_exactly_the_stock_for_every_seed() {
    for seed in 0..25 {
        let out = sale(Sale::Decr, seed, 1_500);
        assert!(out.finished);
        assert_eq!(out.sold, 100, "seed {seed}");
        assert_eq!(out.sold_out, 1_400);
        assert_eq!(out.oversold, 0);
        // The caveat: the stock went negative, one unit per late buyer.
        assert_eq!(out.final_stock, 100 - 1_500);
    }
    let out = sale(Sale::Decr, 7, 10_000);
    assert_eq!((out.sold, out.final_stock), (100, -9_900));
}

#[test]
fn flash_sale_naive_check_then_set_oversells() {
    let oversold: Vec<i64> = (0..5)
        .map(|seed| sale(Sale::CheckThenSet, seed, 1_500).oversold)
        .collect();
    assert!(oversold.iter().all(|&o| o > 0), "{oversold:?}");
    let out = sale(Sale::CheckThenSet, 1, 1_500);
    assert_eq!(out.oversold, out.sold - 100);
    assert!(out.final_stock >= 0);
}

#[test]
fn flash_sale_fixes_sell_exactly_the_stock_and_end_at_zero() {
    for seed in 0..5 {
        let out = sale(Sale::DecrCompensate, seed, 1_500);
        assert_eq!((out.sold, out.final_stock), (100, 0), "seed {seed}");
        assert!(out.lowest_stock < 0, "compensation still dips below 0");
        let out = sale(Sale::WatchMulti, seed, 1_500);
        assert_eq!((out.sold, out.final_stock), (100, 0), "seed {seed}");
        assert!(out.lowest_stock >= 0);
        assert!(out.retries > 0);
        // The lesson's script: exactly the stock, never below 0, no retry, one command a buyer.
        let out = sale(Sale::LuaScript, seed, 1_500);
        assert_eq!((out.sold, out.final_stock), (100, 0), "seed {seed}");
        assert_eq!((out.oversold, out.retries), (0, 0));
        assert!(out.lowest_stock >= 0);
        assert_eq!(out.commands, 1_500, "one round trip per buyer");
        // BITFIELD … OVERFLOW FAIL: the same, in one command and no script; the stock is 4 raw bytes.
        let out = sale(Sale::Bitfield, seed, 1_500);
        assert_eq!((out.sold, out.final_stock), (100, 0), "seed {seed}");
        assert_eq!((out.oversold, out.retries, out.sold_out), (0, 0, 1_400));
        assert!(out.lowest_stock >= 0);
        assert_eq!(out.commands, 1_500, "one round trip per buyer");
    }
}

// ---- Lab 3: rate limiter ----

fn caller(
    user: u32,
    per_minute: u32,
    from_s: u64,
    until_s: u64,
    crash_at_s: Option<u64>,
) -> Caller {
    Caller {
        user,
        per_minute,
        from_s,
        until_s,
        crash_at_s,
    }
}

/// User 123 sends 150 a minute for two minutes, crashing on its first request; then again for
/// 30 s an hour later, when the key name `user:123:min:00` comes back.
fn crash_then_hour_later(guard: Guard) -> RateLab {
    RateLab::new(LimiterConfig {
        guard,
        callers: vec![
            caller(123, 150, 0, 120, Some(0)),
            caller(123, 150, 3_600, 3_630, None),
        ],
        ..LimiterConfig::default()
    })
}

#[test]
fn rate_limiter_crash_between_incr_and_expire_leaves_ttl_minus_one() {
    let mut lab = crash_then_hour_later(Guard::IncrThenExpire);
    lab.run_until(125 * S);
    let mut engine = lab.engine().clone();
    assert_eq!(run(&mut engine, "TTL user:123:min:00"), Reply::Integer(-1));
    // Minute 01's key got its EXPIRE and is gone.
    assert_eq!(
        run(&mut engine, "EXISTS user:123:min:01"),
        Reply::Integer(0)
    );
    let leaks = lab.leaks();
    assert_eq!(leaks.len(), 1);
    assert_eq!(leaks[0].key, "user:123:min:00");
    assert!(leaks[0].count > 100);
    // An hour later minute 00 starts over the limit: every request of that minute is blocked.
    lab.run();
    let later = &lab.caller(1).expect("the second caller").attempts;
    assert!(!later.is_empty());
    assert!(later
        .iter()
        .all(|a| a.verdict == Verdict::Blocked && a.minute == 0));
}

#[test]
fn rate_limiter_multi_exec_set_nx_and_the_script_survive_the_same_crash() {
    for guard in [Guard::MultiExec, Guard::SetNxIncr, Guard::LuaScript] {
        let mut lab = crash_then_hour_later(guard);
        lab.run_until(30 * S);
        assert!(lab.leaks().is_empty(), "{guard:?}");
        let mut engine = lab.engine().clone();
        assert!(
            matches!(run(&mut engine, "TTL user:123:min:00"), Reply::Integer(t) if t > 0),
            "{guard:?}"
        );
        lab.run();
        assert!(lab.leaks().is_empty(), "{guard:?}");
        let out = lab.outcome();
        assert_eq!(out[0].crashed, 1);
        let later = &lab.caller(1).expect("the second caller").attempts;
        assert!(
            later.iter().all(|a| a.verdict == Verdict::Allowed),
            "{guard:?}"
        );
    }
}

/// User 123 at 150 a minute for two minutes, its client stalling once between its two commands at
/// the end of minute 00 (the lesson's "SET … NX narrows the gap; it does not close it").
fn stalled_at_minute_end(guard: Guard) -> RateLab {
    let mut lab = RateLab::new(LimiterConfig {
        guard,
        callers: vec![caller(123, 150, 0, 120, None)],
        ..LimiterConfig::default()
    });
    lab.caller_mut(0).expect("the caller").stall_from(30);
    lab
}

#[test]
fn rate_limiter_set_nx_then_incr_leaks_a_key_when_it_expires_in_between() {
    let mut lab = stalled_at_minute_end(Guard::SetNxIncr);
    lab.run();
    let journal: Vec<String> = lab
        .take_journal()
        .iter()
        .map(|line| format!("{} → {:?}", line.request.text(), line.response))
        .collect();
    // The stalled request: SET … NX found minute 00's key, then INCR came after it expired.
    let set_nil = journal
        .iter()
        .rposition(|l| l.starts_with("SET user:123:min:00 0 EX 60 NX") && l.contains("Nil"))
        .expect("a SET NX that found the key");
    assert!(
        journal[set_nil + 1].starts_with("INCR user:123:min:00"),
        "{}",
        journal[set_nil + 1]
    );
    let leaks = lab.leaks();
    assert_eq!(leaks.len(), 1, "{leaks:?}");
    assert_eq!(leaks[0].key, "user:123:min:00");
    assert_eq!(leaks[0].count, 1, "born again by INCR, with no TTL");
    let mut engine = lab.engine().clone();
    assert_eq!(run(&mut engine, "TTL user:123:min:00"), Reply::Integer(-1));
}

#[test]
fn rate_limiter_the_same_stall_leaks_nothing_in_multi_exec_or_a_script() {
    for guard in [Guard::MultiExec, Guard::LuaScript, Guard::IncrThenExpire] {
        let mut lab = stalled_at_minute_end(guard);
        lab.run();
        assert!(lab.leaks().is_empty(), "{guard:?}: {:?}", lab.leaks());
    }
}

#[test]
fn rate_limiter_allows_at_most_the_limit_per_window() {
    let mut lab = RateLab::new(LimiterConfig::default());
    lab.run();
    for p in 0..2 {
        let attempts = &lab.caller(p).expect("caller").attempts;
        for minute in 0..3u8 {
            let allowed = attempts
                .iter()
                .filter(|a| a.minute == minute && a.verdict == Verdict::Allowed)
                .count();
            assert!(allowed <= 100, "caller {p} minute {minute}: {allowed}");
        }
    }
    let out = lab.outcome();
    assert!(
        out[0].blocked > 0,
        "150 a minute is over the limit: {out:?}"
    );
    assert_eq!(out[1].blocked, 0, "60 a minute is not: {out:?}");
    assert!(lab.leaks().is_empty());
    let timeline = lab.timeline(60 * S);
    assert_eq!(timeline.len(), 3);
    assert!(timeline.iter().all(|b| b.allowed <= 200));
}

#[test]
fn rate_limiter_window_edge_lets_twice_the_limit_through_in_two_seconds() {
    let mut lab = RateLab::new(LimiterConfig {
        callers: vec![caller(7, 9_000, 59, 61, None)],
        ..LimiterConfig::default()
    });
    lab.run();
    let Burst {
        allowed,
        start_us: start,
    } = lab.max_allowed_within(7, 60 * S);
    assert_eq!(allowed, 200);
    assert!((59 * S..61 * S).contains(&start));
    let Burst {
        allowed: in_two_seconds,
        ..
    } = lab.max_allowed_within(7, 2 * S + 100_000);
    assert_eq!(in_two_seconds, 200);
}

#[test]
fn rate_limiter_rates_change_while_it_runs() {
    let mut lab = RateLab::new(LimiterConfig {
        callers: vec![caller(5, 30, 0, 120, None)],
        ..LimiterConfig::default()
    });
    lab.run_until(60 * S);
    let before = lab.outcome()[0].allowed;
    assert!((20..=40).contains(&before), "{before}");
    lab.caller_mut(0).expect("caller").set_per_minute(300);
    lab.run();
    let out = lab.outcome()[0];
    assert_eq!(out.allowed - before, 100, "{out:?}");
    assert!(out.blocked > 100);
}

// ---- Lab 4: leaderboard ----

#[test]
fn leaderboard_keeps_every_point_and_ranks_ties_by_name() {
    let mut lab = BoardLab::new(BoardConfig::default());
    lab.run();
    let sent = lab.points_sent();
    let board = lab.top(100);
    assert_eq!(board.len(), sent.iter().filter(|&&p| p > 0).count());
    for row in &board {
        let i = incr_lab::simulation::scenarios::leaderboard::NAMES
            .iter()
            .position(|n| *n == row.player)
            .expect("a known player");
        assert_eq!(row.score, sent[i].to_string(), "{}", row.player);
    }
    // Score descending; equal scores by name descending, as ZREVRANGE orders them.
    let key = |r: &incr_lab::simulation::scenarios::leaderboard::Row| {
        (r.score.parse::<i64>().unwrap_or(0), r.player.clone())
    };
    assert!(board.windows(2).all(|w| key(&w[0]) > key(&w[1])));
    let top = lab.top(10);
    assert_eq!(top.len(), 10);
    assert_eq!(top[..], board[..10]);
    let fifth = &board[4];
    let standing = lab.standing(&fifth.player).expect("scored");
    assert_eq!(
        (standing.place, standing.score.clone()),
        (5, fifth.score.clone())
    );
    assert_eq!(lab.standing("nobody"), None);
}

#[test]
fn leaderboard_tie_goes_to_the_later_name_not_the_earlier_scorer() {
    let mut lab = BoardLab::new(BoardConfig {
        scores: 0,
        ..BoardConfig::default()
    });
    assert_eq!(lab.post("ada", 10), "10");
    assert_eq!(lab.post("bjarne", 10), "10");
    let top = lab.top(10);
    let names: Vec<&str> = top.iter().map(|r| r.player.as_str()).collect();
    assert_eq!(names, ["bjarne", "ada"]);
    assert!(top.iter().all(|r| r.tied));
    assert_eq!(lab.standing("ada").map(|s| s.place), Some(2));
}

// ---- Lab 5: per-user counters and memory ----

/// `used_memory` growth per counter measured on Debian's redis-server 7.0.15 (system jemalloc
/// 5.3.0) after INCRBY user:<u>:<field> / HINCRBY user:<u> <field> for every user and field:
/// (users, counters per user, value, bytes per counter as strings, as a hash).
const MEASURED: [(u64, usize, i64, f64, f64); 8] = [
    (10_000, 1, 1, 75.5, 93.2),
    (10_000, 4, 1, 76.3, 31.3),
    (10_000, 4, 123_456, 92.3, 35.3),
    (2_000, 50, 1, 60.6, 9.1),
    (1_000, 200, 1, 58.9, 8.1),
    (200, 512, 1, 58.4, 8.1),
    (200, 513, 1, 58.3, 64.3),
    (200, 1_000, 1, 58.6, 56.4),
];

#[test]
fn memory_model_matches_redis_7_0_measurements() {
    let model = MemoryModel::DEBIAN_7_0;
    for (users, k, value, strings, hash) in MEASURED {
        let fields: Vec<String> = (0..k).map(field_name).collect();
        let s = model
            .layout(Layout::Strings, users, &fields, value)
            .per_counter();
        let h = model
            .layout(Layout::Hash, users, &fields, value)
            .per_counter();
        assert!(
            (s - strings).abs() / strings < 0.01,
            "{users}×{k}: strings {s} vs {strings}"
        );
        assert!(
            (h - hash).abs() / hash < 0.01,
            "{users}×{k}: hash {h} vs {hash}"
        );
    }
}

#[test]
fn memory_hash_saves_until_it_becomes_a_hash_table() {
    let model = MemoryModel::REDIS_7_0;
    let sweep = model.sweep(1_000, 600, 1);
    let at = |k: usize| sweep[k - 1];
    // One counter per user: the hash costs more than a plain key.
    assert!(at(1).hash > at(1).strings);
    // A few: far less.
    assert!(at(4).hash < at(4).strings / 1.5);
    assert!(at(512).listpack && at(512).hash < 10.0);
    // Field 513: a hash table, about as dear as separate keys.
    assert!(!at(513).listpack);
    assert!(at(513).hash > 0.9 * at(513).strings, "{:?}", at(513));
    assert_eq!(sweep.iter().position(|p| !p.listpack), Some(512));
    // The engine switches at the same point as Redis 7.0 (hash-max-listpack-entries 512).
    assert_eq!(conversion_point(600), Some(513));
}

#[test]
fn memory_estimate_of_a_real_keyspace_agrees_with_the_layout_formula() {
    let model = MemoryModel::REDIS_7_0;
    let fields: Vec<String> = (0..5).map(field_name).collect();
    let (mut strings, mut hashes) = (Engine::new(0), Engine::new(0));
    for u in 0..150 {
        for f in &fields {
            run(&mut strings, &format!("INCR user:{u}:{f}"));
            run(&mut hashes, &format!("HINCRBY user:{u} {f} 1"));
        }
    }
    assert_eq!(
        model.keyspace(strings.db()),
        model.layout(Layout::Strings, 150, &fields, 1)
    );
    assert_eq!(
        model.keyspace(hashes.db()),
        model.layout(Layout::Hash, 150, &fields, 1)
    );
}

#[test]
fn counters_lab_prices_both_layouts_of_the_same_events() {
    let mut lab = CountersLab::new(CountersConfig::default());
    let out = lab.run();
    assert_eq!(out.strings.counters, out.hash.counters);
    assert!(out.hash.keys <= 200 && out.strings.keys > 600);
    assert!(out.hash.total() * 3 < out.strings.total() * 2, "{out:?}");
    assert_eq!(out.hash.table_hashes, 0);
    let log = lab.take_journal();
    assert_eq!(log.len(), 4_000);
    assert!(log[0].request.text().starts_with("HINCRBY user:"));
}

// ---- Lab 6: durability ----

fn durability_at(crash_s: f64) -> DurabilityLab {
    let mut lab = DurabilityLab::new(DurabilityConfig::default());
    lab.crash_at((crash_s * 1e6) as u64);
    lab
}

#[test]
fn durability_always_loses_nothing_and_everysec_at_most_one_second() {
    // What survives a crash at t depends only on the writes before t: one run answers every t.
    let mut whole = DurabilityLab::new(DurabilityConfig::default());
    whole.run_until(u64::MAX);
    for crash_s in [0.5, 7.3, 19.99, 42.25, 59.9] {
        let t = (crash_s * 1e6) as u64;
        let lab = &whole;
        let counted = lab.writes_before(t + 1);
        let last_second = counted - lab.writes_before(t.saturating_sub(S));
        for crash in Crash::ALL {
            let always = lab.survival(Persistence::Aof(Fsync::Always), crash, t);
            assert_eq!((always.survived, always.lost), (counted, 0), "{crash_s}");
        }
        let everysec = lab.survival(Persistence::Aof(Fsync::EverySec), Crash::PowerLoss, t);
        assert!(
            everysec.lost <= last_second,
            "{crash_s}: {everysec:?} vs {last_second}"
        );
        let killed = lab.survival(Persistence::Aof(Fsync::EverySec), Crash::Process, t);
        assert_eq!(
            killed.lost, 0,
            "a killed process leaves its writes in the page cache"
        );
    }
    let lab = durability_at(42.25);
    let everysec = lab.survival(
        Persistence::Aof(Fsync::EverySec),
        Crash::PowerLoss,
        42_250_000,
    );
    assert!(everysec.lost > 0);
    assert_eq!(everysec.durable_until_us, Some(42 * S));
    // Every like a client was told about was fsynced first.
    let always = lab.survival(
        Persistence::Aof(Fsync::Always),
        Crash::PowerLoss,
        42_250_000,
    );
    assert!(always.survived >= lab.acknowledged());
    assert!(lab.acknowledged() > 8_000);
}

#[test]
fn durability_appendfsync_no_loses_the_last_30_to_35_seconds_on_power_loss() {
    let lab = durability_at(52.0);
    let t = 52 * S;
    let out = lab.survival(Persistence::Aof(Fsync::No), Crash::PowerLoss, t);
    let counted = lab.counted();
    assert_eq!(out.durable_until_us, Some(20 * S));
    assert!(out.lost >= counted - lab.writes_before(t - 30 * S));
    assert!(out.lost <= counted - lab.writes_before(t - 35 * S));
    assert_eq!(
        lab.survival(Persistence::Aof(Fsync::No), Crash::Process, t)
            .lost,
        0
    );
    // Early on, nothing has been written back yet.
    let early = durability_at(20.0);
    assert_eq!(
        early
            .survival(Persistence::Aof(Fsync::No), Crash::PowerLoss, 20 * S)
            .survived,
        0
    );
}

#[test]
fn durability_rdb_keeps_the_last_completed_snapshot() {
    let lab = durability_at(35.0);
    let snaps = lab.snapshots(35 * S);
    // save 10 1: a fork once more than 10 whole seconds passed since the last save.
    let forks: Vec<u64> = snaps.iter().map(|s| s.fork_us / 100_000).collect();
    assert_eq!(forks, [110, 220, 330]);
    for crash in Crash::ALL {
        let out = lab.survival(Persistence::Rdb, crash, 35 * S);
        assert_eq!(out.survived, lab.writes_before(33 * S));
        assert_eq!(out.survived, snaps[2].likes);
    }
    // A crash while the snapshot is being written falls back to the previous one.
    let during = durability_at(33.1);
    assert_eq!(
        during
            .survival(Persistence::Rdb, Crash::Process, 33_100_000)
            .survived,
        during.writes_before(22 * S)
    );
    assert_eq!(
        lab.survival(Persistence::Off, Crash::Process, 35 * S)
            .survived,
        0
    );
}

#[test]
fn durability_failover_loses_answered_likes_but_none_that_wait_confirmed() {
    let lab = durability_at(30.3);
    let f = lab.failover();
    assert_eq!(f.counted, lab.counted());
    // 200 likes a second, a replica 100 ms behind: about 20 answered likes are gone.
    assert!((10..=35).contains(&f.lost), "{f:?}");
    assert_eq!(f.on_replica + f.lost, f.counted);
    // WAIT confirmed only what the replica had acknowledged: none of it is lost, and the likes
    // answered but not yet confirmed include the lost ones.
    assert_eq!(f.confirmed_and_lost, 0);
    assert!(f.confirmed_by_wait < f.on_replica, "{f:?}");
    let mut replica = lab.promoted_replica();
    assert_eq!(
        run(&mut replica, "GET post:99:likes"),
        Reply::Bulk(f.on_replica.to_string().into_bytes())
    );
    let mut primary = lab.engine().clone();
    assert_eq!(
        run(&mut primary, "GET post:99:likes"),
        Reply::Bulk(f.counted.to_string().into_bytes())
    );
    // A replica that keeps up loses (almost) nothing.
    let mut close = DurabilityLab::new(DurabilityConfig {
        replica_lag_ms: 1,
        ..DurabilityConfig::default()
    });
    close.crash_at(30_300_000);
    assert!(close.failover().lost <= 2, "{:?}", close.failover());
}

#[test]
fn durability_restart_loads_what_survived() {
    let lab = durability_at(12.5);
    for s in lab.report() {
        let mut engine = lab.restart(s.persistence, s.crash);
        let expected = if s.survived == 0 {
            Reply::Nil
        } else {
            Reply::Bulk(s.survived.to_string().into_bytes())
        };
        assert_eq!(run(&mut engine, "GET post:99:likes"), expected, "{s:?}");
    }
    assert_eq!(lab.report().len(), 10);
}

// ---- Lab 7: reward points ----

fn points(die_percent: u32, start: i64, seed: u64) -> PointsOutcome {
    PointsLab::new(PointsConfig {
        die_percent,
        start,
        seed,
        ..PointsConfig::default()
    })
    .run()
}

#[test]
fn points_incrby_takes_one_round_trip_a_reward_and_the_incr_loop_fifty() {
    let out = points(0, 0, 1);
    for way in Way::ALL {
        let o = out.of(way);
        assert!(o.finished, "{way:?}");
        assert_eq!(o.whole, 100, "{way:?}");
        assert_eq!((o.died, o.partial, o.refused), (0, 0, 0), "{way:?}");
        assert_eq!(o.balance, 5_000, "{way:?}");
        assert_eq!((o.added, o.owed), (5_000, 5_000), "{way:?}");
    }
    assert_eq!(out.incr_loop.round_trips, 5_000);
    assert_eq!(out.incrby.round_trips, 100);
    // A round trip is 0.5 to 1.5 ms on this network: 50 of them against one.
    assert!(
        (1_000..=1_600).contains(&out.incrby.mean_reward_us),
        "{}",
        out.incrby.mean_reward_us
    );
    assert!(
        out.incr_loop.mean_reward_us > 40 * out.incrby.mean_reward_us,
        "{} vs {}",
        out.incr_loop.mean_reward_us,
        out.incrby.mean_reward_us
    );
}

#[test]
fn points_dying_clients_leave_half_given_rewards_only_with_the_incr_loop() {
    let mut partial_seen = 0;
    for seed in 1..=10 {
        let out = points(30, 0, seed);
        let (a, b) = (out.incr_loop, out.incrby);
        // The same clients die in both runs.
        assert_eq!(a.died, b.died, "seed {seed}");
        assert!(a.died > 10, "seed {seed}: {}", a.died);
        assert_eq!(a.whole + a.died, 100);
        assert_eq!(b.whole + b.died, 100);
        // INCRBY: every reward all there or not at all.
        assert_eq!((b.partial, b.partial_points), (0, 0), "seed {seed}");
        assert_eq!(b.added % 50, 0, "seed {seed}");
        assert!(b.added >= b.owed && b.added <= b.owed + 50 * b.died);
        // The INCR loop: rewards cut short, their points in the balance with no record.
        assert!(a.partial > 0, "seed {seed}");
        // Beyond the acknowledged rewards: the half-given points, plus whole rewards of clients
        // that died after sending their last INCR.
        let extra = a.added - a.owed - a.partial_points;
        assert!(extra >= 0 && extra % 50 == 0 && extra <= 50 * (a.died - a.partial));
        assert!(a.partial_points > 0 && a.partial_points < 50 * a.partial);
        partial_seen += a.partial;
    }
    assert!(partial_seen > 100, "{partial_seen}");
}

#[test]
fn points_overflow_is_refused_and_leaves_the_balance_unchanged() {
    let out = points(0, NEAR_MAX, 1);
    let b = out.incrby;
    assert_eq!((b.whole, b.refused, b.partial), (0, 100, 0));
    assert_eq!(b.balance, NEAR_MAX);
    assert_eq!(b.added, 0);
    // The INCR loop adds the 7 points left, up to i64::MAX, then is refused: the rewards whose
    // INCRs got in (those running at the time, interleaved) are left half given.
    let a = out.incr_loop;
    assert_eq!(a.balance, i64::MAX);
    assert_eq!((a.whole, a.refused, a.partial_points), (0, 100, 7));
    assert!((1..=7).contains(&a.partial), "{}", a.partial);
    // The error is Redis' own, in the shown run's log, and the engine keeps the value.
    let mut lab = PointsLab::new(PointsConfig {
        start: NEAR_MAX,
        die_percent: 0,
        shown: Way::IncrBy,
        ..PointsConfig::default()
    });
    lab.run_until(u64::MAX);
    let journal = lab.take_journal();
    assert_eq!(journal.len(), 100);
    for line in &journal {
        assert_eq!(line.request.text(), format!("INCRBY {POINTS_KEY} 50"));
        assert_eq!(
            line.response.text(),
            "(error) ERR increment or decrement would overflow"
        );
        assert!(!line.wrote);
    }
    assert_eq!(
        run(lab.engine_mut(), &format!("GET {POINTS_KEY}")),
        Reply::Bulk(NEAR_MAX.to_string().into_bytes())
    );
}

#[test]
fn points_runs_are_reproducible_from_their_seed() {
    let config = PointsConfig {
        die_percent: 30,
        seed: 7,
        ..PointsConfig::default()
    };
    let journal = |config: &PointsConfig| {
        let mut lab = PointsLab::new(config.clone());
        lab.run_until(u64::MAX);
        let lines: Vec<(u64, usize, String, String)> = lab
            .take_journal()
            .into_iter()
            .map(|l| (l.time_us, l.client, l.request.text(), l.response.text()))
            .collect();
        (lab.outcome(), lines)
    };
    let (a, lines) = journal(&config);
    assert_eq!(journal(&config), (a, lines.clone()));
    assert!(lines.iter().any(|l| l.2 == "(connection closed)"));
    let other = journal(&PointsConfig { seed: 8, ..config });
    assert_ne!(other.1, lines);
}

// ---- The summary table ----

#[test]
fn summary_table_rows_run_and_open_every_lab() {
    let mut engine = Engine::new(0);
    for row in summary::ROWS {
        let reply = run(&mut engine, row.example);
        assert!(
            !matches!(reply, Reply::Error(_)),
            "{}: {reply:?}",
            row.example
        );
    }
    for lab in LabId::ALL {
        assert!(summary::ROWS.iter().any(|r| r.lab == Some(lab)), "{lab:?}");
        assert_eq!(LabId::from_slug(lab.slug()), Some(lab));
    }
}

// ---- The race chapter's "Where the time goes" ----

/// One client sending `n` INCRs: one by one (each waits for the previous reply), or as one
/// pipeline.
struct Sender {
    left: usize,
    pipelined: bool,
}

impl incr_lab::simulation::Program for Sender {
    fn start(&mut self, ctx: &mut incr_lab::simulation::Ctx<'_>) -> incr_lab::simulation::Step {
        self.next(&[], ctx)
    }

    fn next(
        &mut self,
        _replies: &[incr_lab::simulation::Response],
        _ctx: &mut incr_lab::simulation::Ctx<'_>,
    ) -> incr_lab::simulation::Step {
        use incr_lab::simulation::{Batch, Finish, Request, Step};
        if self.left == 0 {
            return Step::Done(Finish::Acknowledged);
        }
        let n = if self.pipelined { self.left } else { 1 };
        self.left -= n;
        let batch = (0..n).map(|_| Request::redis(&["INCR", "likes"])).collect();
        Step::Send {
            think_us: 0,
            batch: Batch::new(batch, 0),
        }
    }
}

fn hundred_incrs(pipelined: bool) -> incr_lab::simulation::Outcome {
    use incr_lab::simulation::{Programs, SimBuilder};
    let mut sim = SimBuilder::new()
        .clients(1)
        .seed(7)
        .arrival_window_us(0)
        .build(Programs::new(|_| Sender {
            left: 100,
            pipelined,
        }));
    let outcome = sim.run();
    let mut engine = sim.engine().clone();
    assert_eq!(run(&mut engine, "GET likes"), Reply::Bulk(b"100".to_vec()));
    outcome
}

#[test]
fn a_hundred_incrs_take_round_trips_not_redis_time_and_a_pipeline_takes_one() {
    let service_us = incr_lab::simulation::sim::Config::default().service_us;
    let one_by_one = hundred_incrs(false);
    assert_eq!((one_by_one.commands, one_by_one.round_trips), (100, 100));
    let busy = 100 * service_us;
    assert_eq!(busy, 200, "200 µs of work in Redis");
    // 100 round trips of 0.5–1.5 ms: about 100 ms, of which Redis works 200 µs.
    assert!(
        (50_000..=150_000 + busy).contains(&one_by_one.total_time_us),
        "{}",
        one_by_one.total_time_us
    );
    let pipelined = hundred_incrs(true);
    assert_eq!((pipelined.commands, pipelined.round_trips), (100, 1));
    // One round trip plus 200 µs of work: about 1.2 ms.
    assert!(
        (500 + busy..=1_500 + busy).contains(&pipelined.total_time_us),
        "{}",
        pipelined.total_time_us
    );
    println!(
        "100 INCRs: one by one {} µs, pipelined {} µs (ratio {:.0})",
        one_by_one.total_time_us,
        pipelined.total_time_us,
        one_by_one.total_time_us as f64 / pipelined.total_time_us as f64
    );
}
