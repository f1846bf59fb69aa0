//! Lab 6's panel: durability.

use leptos::prelude::*;

use super::choice::options;
use super::figure::{alert, fig};
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::prose;
use super::runner::TypedLab;
use super::{fixed, num};
use crate::simulation::scenarios::durability::{
    Crash, DurabilityConfig, DurabilityLab, Persistence,
};
use crate::simulation::scenarios::LabId;
use crate::ui::CollectErased;

/// Durability: likes flowing, a crash when the learner says, and what each persistence setting
/// brings back.
#[component]
pub fn DurabilityPanel() -> impl IntoView {
    let handle = TypedLab::new(LabId::Durability, |c| format!("liker {c}"));
    let rate = RwSignal::new("200".to_owned());
    let rdb_every = RwSignal::new("10".to_owned());
    let rdb_s = move || rdb_every.get().parse::<u32>().unwrap_or(10);
    let lag = RwSignal::new("100".to_owned());
    let start = Callback::new(move |()| {
        handle.start(DurabilityLab::new(DurabilityConfig {
            likes_per_s: rate.get_untracked().parse().unwrap_or(200),
            rdb_every_s: untrack(rdb_s),
            replica_lag_ms: lag.get_untracked().parse().unwrap_or(100),
            ..DurabilityConfig::default()
        }))
    });
    let crashed = Signal::derive(move || {
        handle
            .with(|lab: &DurabilityLab| lab.crashed_at().is_some())
            .unwrap_or(false)
    });
    let figures = Signal::derive(move || {
        handle
            .with(|lab: &DurabilityLab| {
                let at = lab.crashed_at();
                let failover = lab.failover();
                vec![
                    fig("Likes counted by Redis", num(lab.counted() as i64)),
                    fig("Likers told “liked”", num(lab.acknowledged() as i64)),
                    alert(
                        "Crashed at",
                        at.map(|t| format!("{} s", fixed((t / 1_000) as i64, 3)))
                            .unwrap_or_else(|| "— (still running)".to_owned()),
                        at.is_some(),
                    ),
                    // The primary + replica: a failover at the crash (or now).
                    fig("On the replica", num(failover.on_replica as i64)),
                    alert(
                        "Answered, lost in a failover",
                        num(failover.lost as i64),
                        failover.lost > 0,
                    ),
                    fig(
                        "Confirmed by WAIT 1",
                        num(failover.confirmed_by_wait as i64),
                    ),
                    alert(
                        "Confirmed by WAIT, lost",
                        num(failover.confirmed_and_lost as i64),
                        failover.confirmed_and_lost > 0,
                    ),
                ]
            })
            .unwrap_or_default()
    });
    let report = Signal::derive(move || handle.with(DurabilityLab::report).unwrap_or_default());
    let crash = move |_| {
        handle.update(|lab: &mut DurabilityLab| lab.crash());
    };

    let settings = vec![
        Setting {
            label: "Likes per second",
            options: options(&[100, 200, 1_000], |n: i64| n.to_string(), num),
            value: rate,
        },
        Setting {
            label: "RDB snapshot: save every",
            options: options(&[5, 10, 30], |n: i64| n.to_string(), |n| format!("{n} s")),
            value: rdb_every,
        },
        Setting {
            label: "Replica behind the primary by",
            options: options(
                &[1, 100, 1_000],
                |n: i64| n.to_string(),
                |n| format!("{n} ms"),
            ),
            value: lag,
        },
    ];

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::Durability);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::Durability
                handle
                intro="Redis keeps the counter in memory; after a crash it comes back with whatever was on disk. \
                Likes flow in for a minute — press “Crash Redis now” whenever you like. The same run is \
                replayed against every persistence setting, for two kinds of crash, and against a replica \
                that is promoted when the primary dies: it has what reached it, while clients that waited \
                with `WAIT 1` after their INCR were told only of likes the replica had acknowledged."
                settings
                start
                start_label="Start the likes"
                figures
            />
            <div class="lab-actions">
                <button
                    type="button"
                    class="danger"
                    disabled=move || !handle.started() || crashed.get()
                    on:click=crash
                >
                    "Crash Redis now"
                </button>
            </div>
            <table class="durability">
                <caption>
                    {move || if crashed.get() {
                        "After the crash and a restart: likes back on disk, and likes lost"
                    } else {
                        "If Redis crashed right now: likes back on disk, and likes lost"
                    }}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Setting"</th>
                        {Crash::ALL.into_iter().map(|c| view! { <th scope="col">{c.label()}</th> }).collect_erased()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let report = report.get();
                        let every = rdb_s();
                        Persistence::ALL
                            .into_iter()
                            .map(|p| {
                                let cells = Crash::ALL
                                    .into_iter()
                                    .map(|c| {
                                        let text = report
                                            .iter()
                                            .find(|r| r.persistence == p && r.crash == c)
                                            .map(|r| format!("{} kept, {} lost", num(r.survived as i64), num(r.lost as i64)))
                                            .unwrap_or_default();
                                        view! { <td>{text}</td> }
                                    })
                                    .collect_erased();
                                view! { <tr><th scope="row">{p.label(every)}</th>{cells}</tr> }
                            })
                            .collect_erased()
                    }}
                </tbody>
            </table>
            <details>
                <summary>"The model of fsync timing, stated"</summary>
                <ul>
                    {MODEL.iter().map(|item| view! { <li>{prose(item)}</li> }).collect_erased()}
                </ul>
            </details>
            <LabTail
                id=LabId::Durability
                handle
                caveat="“Redis might lose data” depends on two choices you make and one you don't. `appendfsync \
                everysec` costs about a second of counts on power loss (about two on a slow disk); `always` costs \
                a disk flush per event-loop turn but loses nothing acknowledged; RDB alone, Redis' default (AOF \
                is off unless `appendonly yes`), can lose up to an hour with the default `save 3600 1 300 100 \
                60 10000`. And most crashes are process crashes, which the AOF survives, but for the up to 2 s \
                Redis holds back while a slow fsync runs. For counts that are money or \
                stock, keep the source of truth in a database and treat Redis as the fast path."
            />
        </section>
    }
}

/// The stated model of fsync timing, one point per line (backticks mark code).
const MODEL: [&str; 6] = [
    "AOF: each write is appended with write(2) before Redis answers — into the kernel's page cache. \
     fsync(2) puts it on the disk.",
    "`appendfsync always`: fsync before the replies go out. No like a client was told about is ever lost.",
    "`appendfsync everysec` (the default of that setting; the AOF itself is off by default, `appendonly \
     no`): a background fsync whenever the clock's second changes. A power loss loses the writes since the \
     last whole second — at most 1 s (up to ~2 s on a disk too slow to keep up, not modelled).",
    "`appendfsync no`: Redis never fsyncs; Linux writes pages back once they are 30 s old, checking \
     every 5 s. A power loss loses up to ~35 s.",
    "RDB (`save N 1`): a snapshot is forked once more than N whole seconds passed since the last one and \
     something changed; it counts once written (200 ms here). A crash loses everything since the last \
     finished snapshot's fork.",
    "If only the Redis process dies (killed, a crash, the OOM killer), the kernel still holds what Redis \
     wrote. The model takes a fast disk, where the AOF then loses nothing. On a slow disk, under everysec, \
     Redis keeps new writes in its own buffer for up to 2 s while an fsync still runs, and goes on \
     replying (flushAppendOnlyFile() in aof.c): a process crash can lose those. Only a power loss or \
     kernel panic empties the page cache.",
];
