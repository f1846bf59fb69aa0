//! Lab 5's panel: per-user counters and what they cost in memory.

use leptos::prelude::*;

use super::choice::options;
use super::figure::{alert, fig};
use super::lab_frame::{ids, LabHead, LabIds, LabTail, Setting};
use super::prose;
use super::runner::TypedLab;
use super::sweep_chart::SweepChart;
use super::{fixed, num};
use crate::engine::{memory, object};
use crate::simulation::scenarios::counters::{conversion_point, CountersConfig, CountersLab};
use crate::simulation::scenarios::memory::{Allocator, Estimate, Layout, MemoryModel};
use crate::simulation::scenarios::LabId;

/// Counters per user in the chart: up to here.
const SWEEP_MAX: usize = 600;

/// The hash whose encoding and MEMORY USAGE the figures show.
const SAMPLE_KEY: &str = "user:0";

/// Per-user counters: the same events as string keys and as hashes, priced by the memory model,
/// and the chart of where the hash's saving stops.
#[component]
pub fn CountersPanel() -> impl IntoView {
    let handle = TypedLab::new(LabId::Counters, |c| format!("event {c}"));
    let users = RwSignal::new("200".to_owned());
    let counters = RwSignal::new("4".to_owned());
    let build = RwSignal::new("bundled".to_owned());
    let model = move || {
        if build.get() == "bundled" {
            MemoryModel::REDIS_7_0
        } else {
            MemoryModel::DEBIAN_7_0
        }
    };
    let users_n = move || users.get().parse::<u32>().unwrap_or(200);
    let start = Callback::new(move |()| {
        let u = untrack(users_n);
        let k = counters.get_untracked().parse::<u32>().unwrap_or(4);
        handle.start(CountersLab::new(CountersConfig {
            users: u,
            counters: k,
            events: (u as usize * k as usize * 3).clamp(100, 30_000),
            model: untrack(model),
            ..CountersConfig::default()
        }))
    });
    let figures = Signal::derive(move || {
        let model = model();
        handle
            .with(|lab: &CountersLab| {
                let s = model.keyspace(lab.engine_of(Layout::Strings).db());
                let hash_db = lab.engine_of(Layout::Hash).db();
                let h = model.keyspace(hash_db);
                // One user's hash as Redis itself reports it (OBJECT ENCODING, MEMORY USAGE).
                let sample = hash_db.peek(SAMPLE_KEY.as_bytes());
                let encoding = sample.map_or("(nil)", object::encoding);
                let usage = sample.map_or("(nil)".to_owned(), |v| {
                    let bytes = memory::usage(&model.allocator, SAMPLE_KEY.as_bytes(), v, 5);
                    format!("{} B", num(bytes as i64))
                });
                let saving = match s.total() {
                    0 => "— (no keys yet)".to_owned(),
                    total => format!("{} %", 100 - (h.total() * 100 / total) as i64),
                };
                let per_counter = |e: &Estimate| {
                    let tenths = (e.total() * 10).checked_div(e.counters).unwrap_or(0);
                    format!("{} B", fixed(tenths as i64, 1))
                };
                vec![
                    fig("String keys", num(s.keys as i64)),
                    fig("Bytes, string keys", num(s.total() as i64)),
                    fig("Per counter, string keys", per_counter(&s)),
                    fig("Hashes", num(h.keys as i64)),
                    fig("Bytes, hashes", num(h.total() as i64)),
                    fig("Per counter, hashes", per_counter(&h)),
                    fig("OBJECT ENCODING user:0", encoding),
                    fig("MEMORY USAGE user:0", usage),
                    alert("Hashes save", saving, h.total() > s.total()),
                ]
            })
            .unwrap_or_default()
    });
    let sweep = Signal::derive(move || model().sweep(u64::from(users_n()), SWEEP_MAX, 1));
    let switched_at = conversion_point(SWEEP_MAX);

    let settings = vec![
        Setting {
            label: "Users",
            options: options(&[50, 200, 1_000], |n: i64| n.to_string(), num),
            value: users,
        },
        Setting {
            label: "Counters per user",
            options: options(&[1, 2, 4, 16, 64], |n: i64| n.to_string(), num),
            value: counters,
        },
        Setting {
            label: "Redis build",
            options: vec![
                (
                    "bundled".to_owned(),
                    "from source (bundled jemalloc)".to_owned(),
                ),
                (
                    "system".to_owned(),
                    "Debian package (system jemalloc)".to_owned(),
                ),
            ],
            value: build,
        },
    ];
    let switched = match switched_at {
        Some(n) => format!(
            "Adding fields one by one with HINCRBY, the engine's hash turned into a hash table at field \
             {n}, as Redis 7.0 does."
        ),
        None => String::from("The engine's hash stayed a listpack."),
    };
    let model_text = format!(
        "Every allocation is rounded up to a jemalloc size class ({} for Redis built from source; {} for \
         Debian's package).",
        allocator_text(Allocator::REDIS_BUNDLED),
        allocator_text(Allocator::SYSTEM)
    );

    let LabIds {
        section: section_id,
        title: title_id,
    } = ids(LabId::Counters);

    view! {
        <section class="lab" id=section_id aria-labelledby=title_id>
            <LabHead
                id=LabId::Counters
                handle
                intro="The same events run twice on the same schedule: as `INCR user:42:likes` (one string key per \
                counter) and as `HINCRBY user:42 likes 1` (one hash per user). Both are atomic; what differs \
                is memory, priced below by a model of Redis 7.0 (the command log and keyspace show the hash \
                run)."
                settings
                start
                figures
            />
            <h4>"Where the saving stops"</h4>
            <SweepChart points=sweep />
            <p>
                {switched} " " {prose(
                    "Past `hash-max-listpack-entries` (512) fields, or with one value longer than \
                    `hash-max-listpack-value` (64 bytes), a hash becomes a real hash table for good, and a \
                    field then costs about what a key does. (512 is Redis 7.0's default in its source and \
                    its `redis.conf`; the 128 sometimes quoted is the sorted-set limit.)"
                )}
            </p>
            <details>
                <summary>"The memory model, and how it was checked"</summary>
                <p>
                    {model_text} " " {prose(
                        "A key costs a 24-byte dictionary entry, a share of the 8-byte bucket table (a power \
                        of two at least as large as the number of keys), its name as an sds string (1-, 3- or \
                        5-byte header, the bytes, a NUL), and a 16-byte object header for its value — except \
                        integers 0 to 9,999, which share one object. A small hash is a listpack: a 7-byte \
                        frame, and per field and value 1–9 bytes of encoding plus a 1–5-byte back-length. A \
                        hash table adds a 56-byte dict, its buckets, and per field an entry and two sds \
                        strings. Sources: Redis 7.0's `object.c`, `sds.h`, `dict.h`, `listpack.c`, \
                        `config.c`."
                    )}
                </p>
                <p>{prose(
                    "Checked against Debian's redis-server 7.0.15: the growth of `used_memory` for 200 to 10,000 \
                    users with 1 to 1,000 counters each matches the model within 1 %. Not modelled: \
                    fragmentation (the process' RSS is higher), a dictionary caught mid-rehash."
                )}</p>
            </details>
            <LabTail
                id=LabId::Counters
                handle
                caveat="the saving needs several counters per user — with one or two, a hash costs more than plain \
                keys — and it stops at field 513 or at the first long value. And a hash field cannot expire \
                on its own in Redis 7.0 (`HEXPIRE` came in 7.4): counters that need their own TTL, like rate \
                limits, cannot share a hash."
            />
        </section>
    }
}

fn allocator_text(a: Allocator) -> String {
    let classes: Vec<String> = [1usize, 9, 17, 25, 33, 65, 129]
        .iter()
        .map(|&n| a.usable(n).to_string())
        .collect();
    format!("classes {}, …", classes.join(", "))
}
