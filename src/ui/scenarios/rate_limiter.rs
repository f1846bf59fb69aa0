//! Lab 3's panel: the fixed-window rate limiter.

use leptos::prelude::*;

use super::choice::options;
use super::figure::{alert, fig};
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::num;
use super::runner::TypedLab;
use super::timeline_chart::TimelineChart;
use crate::simulation::scenarios::rate_limiter::{
    Caller, CallerOutcome, Guard, LimiterConfig, RateLab, WINDOW_S,
};
use crate::simulation::scenarios::LabId;
use crate::ui::clock::VirtualClock;
use crate::ui::server::ServerId;
use crate::ui::CollectErased;
use crate::ui::Snippet;

/// The two users of the lab, as (user id, starting requests per minute).
const USERS: [(u32, u32); 2] = [(123, 150), (42, 60)];
/// How long the callers keep going, in seconds: past the hour, when minute keys come back.
const RUN_S: u64 = 3_900;
/// The timeline's stretch, in seconds.
const BIN_S: u64 = 10;
/// Stretches shown.
const BINS_SHOWN: usize = 36;

/// The rate limiter: two users at rates the learner sets, a crash button, and the window edge.
#[component]
pub fn RateLimiterPanel() -> impl IntoView {
    let clock = expect_context::<VirtualClock>();
    let handle = TypedLab::new(LabId::RateLimiter, |c| match c {
        0 => "user 123".to_owned(),
        1 => "user 42".to_owned(),
        _ => "burst".to_owned(),
    });
    let guard = RwSignal::new(Guard::IncrThenExpire.slug().to_owned());
    let rates = [RwSignal::new(USERS[0].1), RwSignal::new(USERS[1].1)];
    let burst = RwSignal::new(false);
    let start_with = move |burst_only: bool| {
        burst.set(burst_only);
        let callers = if burst_only {
            vec![Caller {
                user: 123,
                per_minute: 9_000,
                from_s: 59,
                until_s: 61,
                crash_at_s: None,
            }]
        } else {
            USERS
                .iter()
                .zip(rates)
                .map(|(&(user, _), rate)| Caller {
                    user,
                    per_minute: rate.get_untracked(),
                    from_s: 0,
                    until_s: RUN_S,
                    crash_at_s: None,
                })
                .collect()
        };
        let guard = guard.get_untracked();
        handle.start(RateLab::new(LimiterConfig {
            guard: Guard::ALL
                .into_iter()
                .find(|g| g.slug() == guard)
                .unwrap_or(Guard::IncrThenExpire),
            callers,
            ..LimiterConfig::default()
        }));
    };
    let start = Callback::new(move |()| start_with(false));
    let set_rate = move |i: usize, per_minute: u32| {
        if let Some(rate) = rates.get(i) {
            rate.set(per_minute);
        }
        handle.update(|lab: &mut RateLab| {
            if let Some(c) = lab.caller_mut(i) {
                c.set_per_minute(per_minute);
            }
        });
    };
    let crash = move |_| {
        handle.update(|lab: &mut RateLab| {
            let now_s = lab_now_s(lab);
            if let Some(c) = lab.caller_mut(0) {
                c.crash_from(now_s);
            }
        });
    };
    let stall = move |_| {
        handle.update(|lab: &mut RateLab| {
            let now_s = lab_now_s(lab);
            if let Some(c) = lab.caller_mut(0) {
                c.stall_from(now_s);
            }
        });
    };
    let figures = Signal::derive(move || {
        handle
            .with(|lab: &RateLab| {
                let out = lab.outcome();
                // A user who sends nothing in this run (user 42 during the burst) has 0 of each.
                let user = |i: usize, what: fn(&CallerOutcome) -> u32| {
                    num(out.get(i).map_or(0, |o| i64::from(what(o))))
                };
                let leaks = lab.leaks().len();
                let edge = lab.max_allowed_within(123, 2_000_000).allowed;
                let minute = lab.max_allowed_within(123, WINDOW_S * 1_000_000).allowed;
                vec![
                    fig("User 123 allowed", user(0, |o| o.allowed)),
                    fig("User 123 blocked", user(0, |o| o.blocked)),
                    fig("User 123 crashes", user(0, |o| o.crashed)),
                    fig("User 42 allowed", user(1, |o| o.allowed)),
                    fig("User 42 blocked", user(1, |o| o.blocked)),
                    alert("Keys that never expire", leaks.to_string(), leaks > 0),
                    alert(
                        "Most allowed in 2 s (user 123)",
                        edge.to_string(),
                        edge > 100,
                    ),
                    fig("Most allowed in 60 s (user 123)", minute.to_string()),
                ]
            })
            .unwrap_or_default()
    });
    let leaks = Signal::derive(move || handle.with(RateLab::leaks).unwrap_or_default());
    let sliding_peak = Signal::derive(move || {
        handle
            .with(|lab: &RateLab| lab.max_allowed_within_all(BIN_S * 1_000_000).allowed)
            .unwrap_or(0)
    });
    let bins = Signal::derive(move || {
        handle
            .with(|lab: &RateLab| {
                let all = lab.timeline(BIN_S * 1_000_000);
                let from = all.len().saturating_sub(BINS_SHOWN);
                all.get(from..).map(<[_]>::to_vec).unwrap_or_default()
            })
            .unwrap_or_default()
    });

    let settings = vec![Setting {
        label: "Pair INCR with its expiry by",
        options: options(
            &Guard::ALL,
            |g| g.slug().to_owned(),
            |g| g.label().to_owned(),
        ),
        value: guard,
    }];

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::RateLimiter);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::RateLimiter
                handle
                intro="At most 100 requests per user per minute. Each request runs `INCR user:123:min:MM` (MM: the \
                minute of the hour) and is refused when the answer is above 100; `EXPIRE user:123:min:MM 60` \
                makes old windows clean themselves up. Set each user's rate below, even while it runs; the \
                virtual clock ticks the minutes (speed it up at the bottom of the page)."
                settings
                start
                figures
            />
            <div class="lab-actions">
                {USERS
                    .iter()
                    .enumerate()
                    .map(|(i, &(user, _))| {
                        let rate = rates[i.min(1)];
                        view! {
                            <label>
                                {format!("User {user}: ")}
                                <input
                                    type="range"
                                    min="0"
                                    max="300"
                                    step="10"
                                    prop:value=move || rate.get().to_string()
                                    on:input:target=move |ev| {
                                        if let Ok(v) = ev.target().value().parse() {
                                            set_rate(i, v);
                                        }
                                    }
                                />
                                {move || format!(" {} requests a minute", rate.get())}
                            </label>
                        }
                    })
                    .collect_erased()}
            </div>
            <div class="lab-actions">
                <button type="button" disabled=move || !handle.started() || burst.get() on:click=crash>
                    "Crash user 123’s client between INCR and EXPIRE"
                </button>
                <button type="button" disabled=move || !handle.started() || burst.get() on:click=stall>
                    "Stall user 123’s client 3 s between SET … NX and INCR, at a minute’s end"
                </button>
                <button type="button" on:click=move |_| clock.advance(3_600_000)>"Jump one hour ahead"</button>
                <button type="button" on:click=move |_| start_with(true)>"Try the window edge: a burst at 0:59"</button>
            </div>
            <p class="alert-text">
                {move || {
                    let leaks = leaks.get();
                    (!leaks.is_empty()).then(|| view! {
                        "No TTL: "
                        {leaks.into_iter().map(|l| view! {
                            <Snippet command=format!("TTL {}", l.key) server=ServerId::Lab(LabId::RateLimiter) /> {format!(" (count {}) ", l.count)}
                        }).collect_erased()}
                    })
                }}
            </p>
            <TimelineChart bins bin_s=BIN_S sliding_peak />
            <LabTail
                id=LabId::RateLimiter
                handle
                caveat_title="Two catches the article skips. "
                caveat="(a) `INCR` and `EXPIRE` are two round trips. A client that dies between them leaves a key \
                that never expires: `TTL` answers -1 (Redis' own INCR page warns about it under “Pattern: \
                Rate limiter”). Because MM repeats every hour, the user then starts that minute over the \
                limit every hour, for ever — crash the client, jump an hour ahead, and watch. (A limiter that \
                sent `EXPIRE` with every request would heal at the next one; this lab sends it only when \
                `INCR` answers 1, Redis' own pattern.) A client that dies before `EXEC` runs none of a \
                `MULTI` / `INCR` / `EXPIRE` / `EXEC` block, though `EXEC` undoes nothing that fails while it \
                runs. `SET key 0 EX 60 NX` before the INCR gives the key its TTL at birth, but if the key \
                expires between the two, the INCR makes it again without one: stall the client between them \
                and watch. (b) A fixed window resets on the minute: 100 requests in its \
                last second and 100 in the next one's first second pass — twice the limit in two seconds. A \
                sliding window (a sorted set of timestamps) closes that gap at a higher cost."
            />
        </section>
    }
}

/// The lab's time in whole seconds.
fn lab_now_s(lab: &RateLab) -> u64 {
    use crate::simulation::scenarios::Lab;
    lab.now_us() / 1_000_000
}
