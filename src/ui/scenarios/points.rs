//! Lab 7's panel: reward points, one INCRBY against INCR called 50 times, and overflow.

use leptos::prelude::*;

use super::choice::options;
use super::figure::{alert, fig};
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::runner::TypedLab;
use super::{fixed, num, prose};
use crate::simulation::scenarios::points::{PointsConfig, PointsLab, Way, KEY, NEAR_MAX};
use crate::simulation::scenarios::LabId;
use crate::ui::server::ServerId;
use crate::ui::Snippet;

/// A time in µs as milliseconds with one decimal.
fn ms(us: u64) -> String {
    format!("{} ms", fixed((us / 100) as i64, 1))
}

/// Reward points: the same rewards granted with 50 INCRs and with one INCRBY, clients dying on
/// the way, and a balance near the 64-bit limit.
#[component]
pub fn PointsPanel() -> impl IntoView {
    let handle = TypedLab::new(LabId::Points, |c| format!("reward {c}"));
    let shown = RwSignal::new(Way::IncrLoop.slug().to_owned());
    let dying = RwSignal::new("10".to_owned());
    let balance = RwSignal::new("0".to_owned());
    let start = Callback::new(move |()| {
        let shown = shown.get_untracked();
        handle.start(PointsLab::new(PointsConfig {
            shown: Way::ALL
                .into_iter()
                .find(|w| w.slug() == shown)
                .unwrap_or(Way::IncrLoop),
            die_percent: dying.get_untracked().parse().unwrap_or(10),
            start: balance.get_untracked().parse().unwrap_or(0),
            ..PointsConfig::default()
        }))
    });
    let figures = Signal::derive(move || {
        handle
            .with(|lab: &PointsLab| {
                let o = lab.outcome();
                let (a, b) = (o.incr_loop, o.incrby);
                vec![
                    fig("Round trips, 50 INCRs a reward", num(a.round_trips)),
                    fig("Round trips, one INCRBY a reward", num(b.round_trips)),
                    fig("Time a reward takes, INCRs", ms(a.mean_reward_us)),
                    fig("Time a reward takes, INCRBY", ms(b.mean_reward_us)),
                    fig("Clients that died", num(a.died)),
                    alert("Half-given rewards, INCRs", num(a.partial), a.partial > 0),
                    alert("Half-given rewards, INCRBY", num(b.partial), b.partial > 0),
                    alert("Points added, INCRs", num(a.added), a.added != a.owed),
                    fig("Points added, INCRBY", num(b.added)),
                    fig("Points of acknowledged rewards, INCRs", num(a.owed)),
                    fig("Points of acknowledged rewards, INCRBY", num(b.owed)),
                    fig("Rewards refused (overflow), INCRs", num(a.refused)),
                    fig("Rewards refused (overflow), INCRBY", num(b.refused)),
                    fig("Balance, INCRs", num(a.balance)),
                    fig("Balance, INCRBY", num(b.balance)),
                ]
            })
            .unwrap_or_default()
    });

    let settings = vec![
        Setting {
            label: "The log shows",
            options: options(&Way::ALL, |w| w.slug().to_owned(), |w| w.label().to_owned()),
            value: shown,
        },
        Setting {
            label: "Clients that die mid-reward",
            options: options(&[0, 10, 30], |p: i64| p.to_string(), |p| format!("{p} %")),
            value: dying,
        },
        Setting {
            label: "Balance starts at",
            options: vec![
                ("0".to_owned(), "0".to_owned()),
                (
                    NEAR_MAX.to_string(),
                    format!("{NEAR_MAX}, 7 below the 64-bit limit"),
                ),
            ],
            value: balance,
        },
    ];

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::Points);
    let lab = ServerId::Lab(LabId::Points);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::Points
                handle
                intro="A game grants user 42 a hundred rewards of 50 points within two seconds. The same rewards \
                run twice on the same schedule: once as `INCR user:42:points` sent 50 times, each waiting for \
                the reply before the next, once as one `INCRBY user:42:points 50`. The same clients die on the \
                way in both runs (the process is killed, the connection drops), at a moment drawn among their \
                commands, up to just after the last one was sent."
                settings
                start
                figures
            />
            <p class="lab-hint">
                "Try it on the lab's server: " <Snippet command=format!("INCRBY {KEY} 50") server=lab />
                ", then " <Snippet command=format!("SET {KEY} {NEAR_MAX}") server=lab />
                " and " <Snippet command=format!("INCRBY {KEY} 50") server=lab />
                " again: an error, and " <Snippet command=format!("GET {KEY}") server=lab />
                " shows the value unchanged."
            </p>
            <details>
                <summary>"How it was checked"</summary>
                <p>{prose(
                    "Each INCR is atomic, but 50 of them are 50 steps: a client that dies after the 20th has \
                    given 20 points, and neither it nor anyone else knows how many (the “Half-given rewards” \
                    above). `INCRBY` adds the 50 in one step inside Redis: a client that dies before sending it \
                    gives nothing, one that dies after gives all 50, never a part. It also takes one round trip \
                    instead of 50: about 1 ms instead of 50 on this network (250–750 µs each way)."
                )}</p>
                <p>{prose(
                    "Overflow: Redis' `incrDecrCommand` (`t_string.c`, Redis 7.0) checks \
                    `incr > LLONG_MAX - oldvalue` before adding and answers `ERR increment or decrement would \
                    overflow`, leaving the value as it was; "
                )}
                <a href="https://redis.io/docs/latest/commands/incrby/">"Redis' INCRBY page"</a>
                {prose(
                    " says the operation is limited to 64-bit signed integers. The lab's engine answers with \
                    the same bytes, checked against redis-server 7.0 by the conformance tests. From \
                    9223372036854775800, `INCRBY … 50` is refused whole, while the INCR loop adds the 7 points \
                    left and is then refused, leaving half given the rewards whose INCRs got in."
                )}</p>
            </details>
            <LabTail
                id=LabId::Points
                handle
                caveat="a reward whose client died can be retried safely only if it was all-or-nothing. After a \
                dead `INCRBY`, the reward was given whole or not at all, but the client still cannot tell which: \
                remember granted rewards (a set of reward ids, checked in the same script, as for likes) before \
                retrying. After a dead INCR loop nobody even knows how many points went in."
            />
        </section>
    }
}
