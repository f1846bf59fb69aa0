//! Lab 1's panel: likes and the write-behind job.

use leptos::prelude::*;

use super::choice::options;
use super::figure::{alert, fig};
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::num;
use super::runner::TypedLab;
use crate::simulation::scenarios::likes::{Flush, LikesConfig, LikesLab};
use crate::simulation::scenarios::LabId;

/// The likes lab: INCR per like, and a flush job that loses likes or not depending on how it
/// empties the counter.
#[component]
pub fn LikesPanel() -> impl IntoView {
    let handle = TypedLab::new(LabId::Likes, |c| {
        if c == 0 {
            "flush job".to_owned()
        } else {
            format!("liker {c}")
        }
    });
    let flush = RwSignal::new(Flush::GetThenSet.slug().to_owned());
    let rate = RwSignal::new("1000".to_owned());
    let start = Callback::new(move |()| {
        let flush = flush.get_untracked();
        handle.start(LikesLab::new(LikesConfig {
            flush: Flush::ALL
                .into_iter()
                .find(|f| f.slug() == flush)
                .unwrap_or(Flush::GetThenSet),
            likes_per_s: rate.get_untracked().parse().unwrap_or(1_000),
            ..LikesConfig::default()
        }))
    });
    let figures = Signal::derive(move || {
        handle
            .with(|lab: &LikesLab| {
                let o = lab.outcome();
                vec![
                    fig("Likes counted by Redis", num(o.counted)),
                    fig("Likers told “liked”", num(o.acknowledged)),
                    fig("In the SQL row", num(o.in_sql)),
                    fig("Still in Redis", num(o.in_redis)),
                    alert("Lost by the flush", num(o.lost), o.lost > 0),
                    fig("SQL UPDATEs", num(i64::from(o.sql_updates))),
                ]
            })
            .unwrap_or_default()
    });

    let settings = vec![
        Setting {
            label: "The job empties the counter with",
            options: options(
                &Flush::ALL,
                |f| f.slug().to_owned(),
                |f| f.label().to_owned(),
            ),
            value: flush,
        },
        Setting {
            label: "Likes per second",
            options: options(&[200, 1_000, 5_000], |r: i64| r.to_string(), num),
            value: rate,
        },
    ];

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::Likes);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::Likes
                handle
                intro="Every like is one `INCR post:99:likes`. Redis runs one command at a time, so no like is lost \
                however many arrive together. The article's pro tip adds write-behind: a job moves the count \
                into the SQL table with one `UPDATE … SET likes = likes + n` per period, so the database \
                takes a handful of writes instead of one per like. How the job empties the counter decides \
                whether likes vanish."
                settings
                start
                figures
            />
            <p class="lab-hint">"Likes arrive for 10 s; the job flushes every second and its UPDATE takes 20 ms to commit."</p>
            <LabTail
                id=LabId::Likes
                handle
                caveat="a job that reads with `GET`, saves, then resets with `SET post:99:likes 0` wipes every like \
                that lands between its GET and its SET — here, the 20 ms of the SQL commit, every flush. \
                `SET post:99:likes 0 GET` (Redis 6.2+) and `GETDEL post:99:likes` read and reset in one \
                command and lose nothing (`GETSET`, the old way, is deprecated since 6.2). Their own weak \
                spot: if the job dies after taking the count and before its UPDATE commits, that batch is \
                gone."
            />
        </section>
    }
}
