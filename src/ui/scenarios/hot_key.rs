//! The hot-key demo: the same flood of likes on one counter key and on K sharded keys, on a small
//! Redis Cluster, side by side ([`crate::simulation::hot_key`]).

use leptos::prelude::*;

use super::choice::{options, Choice};
use super::figure::{alert, fig, Fig};
use super::{fixed, num, prose};
use crate::simulation::hot_key::{
    key_hash_slot, run, HotKeyOutcome, HotKeyParams, KeyNames, HOT_KEY,
};
use crate::ui::CollectErased;

/// Milliseconds with one decimal, from µs.
fn ms(us: u64) -> String {
    format!(
        "{} ms",
        fixed(i64::try_from(us / 100).unwrap_or(i64::MAX), 1)
    )
}

/// The figures of one side.
fn figures(o: &HotKeyOutcome) -> Vec<Fig> {
    let clients = o.params.clients as i64;
    let busiest = o.busiest();
    let share = (busiest.commands * 100)
        .checked_div(o.params.clients as u64)
        .unwrap_or(0);
    let spread = o
        .servers
        .iter()
        .map(|s| num(s.commands as i64))
        .collect::<Vec<_>>()
        .join(" · ");
    let read = &o.read;
    let requests = match (read.requests, read.servers) {
        (1, _) => format!("1 ({})", if read.values == 1 { "GET" } else { "MGET" }),
        (r, 1) => format!("{r}, to 1 server"),
        (r, s) => format!("{r}, to {s} servers"),
    };
    vec![
        alert(
            "Likes counted",
            format!("{} of {}", num(o.counted), num(clients)),
            o.counted != clients,
        ),
        fig("Last like answered", ms(o.last_ack_us)),
        fig(
            "Latency p50 / p99",
            format!("{} / {}", ms(o.p50_us), ms(o.p99_us)),
        ),
        alert(
            "Busiest server's share",
            format!("{}%", share),
            o.params.servers > 1 && share == 100,
        ),
        fig("Its thread busy", ms(busiest.busy_us)),
        fig("Its longest queue", num(busiest.max_queue as i64)),
        fig("INCRs per server", spread),
        fig("Values to read", num(read.values as i64)),
        fig("Read requests", requests),
        alert(
            "One atomic number?",
            if read.atomic { "yes" } else { "no" },
            !read.atomic,
        ),
        fig("Read sent mid-flood", num(o.mid_read.sum)),
        alert(
            "True total as it ran",
            if o.mid_read.total_first == o.mid_read.total_last {
                format!("{} (one instant)", num(o.mid_read.total_first))
            } else {
                format!(
                    "{} to {}",
                    num(o.mid_read.total_first),
                    num(o.mid_read.total_last)
                )
            },
            o.mid_read.total_first != o.mid_read.total_last,
        ),
        fig("Its answer took", ms(o.mid_read.answered_us)),
    ]
}

/// Where the sharded keys live: each key, its slot, its server.
fn placement(o: &HotKeyOutcome) -> Vec<String> {
    o.servers
        .iter()
        .enumerate()
        .flat_map(|(server, s)| {
            s.keys.iter().map(move |k| {
                format!(
                    "{k}: slot {} on server {}",
                    key_hash_slot(k.as_bytes()),
                    server + 1
                )
            })
        })
        .collect()
}

/// The hot-key demo, in the likes chapter under "One hot key, one server".
#[component]
pub fn HotKeyDemo() -> impl IntoView {
    let clients = RwSignal::new("10000".to_owned());
    let servers = RwSignal::new("3".to_owned());
    let keys = RwSignal::new("4".to_owned());
    let names = RwSignal::new(KeyNames::Plain.slug().to_owned());
    let seed = RwSignal::new("1".to_owned());
    let result = RwSignal::new(None::<(HotKeyOutcome, HotKeyOutcome)>);
    let running = RwSignal::new(false);
    let start = move |_| {
        let parse = |s: RwSignal<String>, default: usize| {
            s.get_untracked().parse::<usize>().unwrap_or(default)
        };
        let params = HotKeyParams {
            clients: parse(clients, 10_000).min(100_000),
            servers: parse(servers, 3).clamp(1, 6),
            keys: parse(keys, 4).clamp(1, 16),
            names: KeyNames::ALL
                .into_iter()
                .find(|n| n.slug() == names.get_untracked())
                .unwrap_or_default(),
            seed: parse(seed, 1) as u64,
            ..HotKeyParams::default()
        };
        running.set(true);
        // Let the page say "Running…" before the runs take the thread.
        set_timeout(
            move || {
                let one = run(HotKeyParams { keys: 1, ..params });
                let many = run(params);
                result.set(Some((one, many)));
                running.set(false);
            },
            std::time::Duration::from_millis(30),
        );
    };
    let title = move |sharded: bool| {
        result.with(|r| match r {
            Some((_, many)) if sharded => {
                let k = many.read.values;
                if k == 1 {
                    return format!("Also one key: {HOT_KEY}");
                }
                let stem = if many.params.names == KeyNames::HashTag {
                    "{post:99}:likes"
                } else {
                    HOT_KEY
                };
                format!("{k} keys: {stem}:0…{}", k - 1)
            }
            _ if sharded => "Sharded keys".to_owned(),
            _ => format!("One key: {HOT_KEY}"),
        })
    };
    // One row per figure: its label, then one key's value beside the sharded keys' value.
    let rows = move || {
        result.with(|r| {
            let Some((one, many)) = r else {
                return Vec::new();
            };
            figures(one)
                .into_iter()
                .zip(figures(many))
                .collect::<Vec<_>>()
        })
    };
    let cell = |side: &'static str, f: Fig| {
        view! { <td data-side=side data-figure=f.label class:alert=f.alert>{f.value}</td> }
    };
    let settings = [
        (
            "Clients",
            options(&[10_000, 100_000], |n: i64| n.to_string(), num),
            clients,
        ),
        (
            "Servers (primaries)",
            options(&[1, 3, 6], |n: i64| n.to_string(), num),
            servers,
        ),
        (
            "Counter keys",
            options(&[1, 4, 16], |n: i64| n.to_string(), num),
            keys,
        ),
        (
            "Key names",
            options(
                &KeyNames::ALL,
                |n| n.slug().to_owned(),
                |n| n.label().to_owned(),
            ),
            names,
        ),
        (
            "Seed",
            options(&[1, 2, 3], |n: i64| n.to_string(), num),
            seed,
        ),
    ];
    view! {
        <section class="lab hot-key" id="hot-key" aria-labelledby="hot-key-title">
            <h3 id="hot-key-title">"Live: one hot key against sharded keys"</h3>
            <p>
                {prose(
                    "A Redis Cluster of single-threaded primaries, each 2 µs a command as in the flood. \
                    Every client sends one `INCR` within the same millisecond: on `post:99:likes`, or \
                    on one of the counter keys chosen at random. A key's slot is CRC16 of its name \
                    modulo 16,384; the slots are split evenly between the servers. A reader sends a read \
                    0.25 ms in, while likes still arrive; once the flood is over the counter is read \
                    back on the servers' engines and added up.",
                )}
            </p>
            <div class="lab-settings">
                {settings
                    .into_iter()
                    .map(|(label, options, value)| view! { <Choice label options value /> })
                    .collect_erased()}
            </div>
            <div class="lab-controls">
                <button type="button" class="primary" on:click=start disabled=move || running.get()>
                    "Run both"
                </button>
                <span class="lab-state" aria-live="polite">
                    {move || {
                        if running.get() {
                            return "Running…".to_owned();
                        }
                        result.with(|r| match r {
                            None => "Not run yet.".to_owned(),
                            Some((one, _)) => format!(
                                "Done: {} clients, {} servers, seed {}. The same seed gives the same figures.",
                                num(one.params.clients as i64),
                                one.params.servers,
                                one.params.seed
                            ),
                        })
                    }}
                </span>
            </div>
            <table class="hot-key-table">
                <caption>"The same clients, one key against sharded keys"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Figure"</th>
                        <th scope="col" data-side="one">{move || title(false)}</th>
                        <th scope="col" data-side="sharded">{move || title(true)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        rows()
                            .into_iter()
                            .map(|(one, many)| {
                                view! {
                                    <tr>
                                        <th scope="row">{one.label}</th>
                                        {cell("one", one)}
                                        {cell("sharded", many)}
                                    </tr>
                                }
                            })
                            .collect_erased()
                    }}
                </tbody>
            </table>
            <details class="hot-key-placement">
                <summary>"Where the sharded keys live"</summary>
                <ul>
                    {move || {
                        result.with(|r| {
                            r.as_ref()
                                .map(|(_, many)| placement(many))
                                .unwrap_or_default()
                                .into_iter()
                                .map(|line| view! { <li>{line}</li> })
                                .collect_erased()
                        })
                    }}
                </ul>
            </details>
            <p class="lab-hint">
                {prose(
                    "A few keys do not spread evenly: `post:99:likes:2` and `:3` hash to slots 15614 and \
                    11487, both on the third of three servers, which so takes half the likes. With \
                    `{post:99}` in the names the hash tag is all that is hashed: every key lands in one \
                    slot, one `MGET` reads them, and the flood is back on one server.",
                )}
            </p>
            <details class="checked">
                <summary>"How it was checked"</summary>
                <p>
                    {prose(
                        "16,384 slots, CRC16 (XMODEM) of the key modulo 16,384, and the hash tag rule \
                        (the bytes between the first `{` and the next `}`, if any) are the cluster \
                        specification's, as in Redis' `keyHashSlot` (`cluster.c`); the demo's slots \
                        match `CLUSTER KEYSLOT` of a real `redis-server --cluster-enabled yes`. The even \
                        split of the slots is `redis-cli --cluster create`'s. A multi-key command whose \
                        keys are in different slots fails with `CROSSSLOT`, so a read asks each slot \
                        separately. Native tests check every figure: the count is exact in every \
                        setting, one key puts all the work on one server, and K keys cut the busiest \
                        server's load by K over the most keys one server holds; a read sent mid-flood \
                        adds values from different instants (its sum lies between the true totals when its \
                        first and last parts ran), where one `GET` reads the total of one instant.",
                    )}
                </p>
                <p>
                    <a href="https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/">
                        "Redis Cluster specification: key distribution model, hash tags"
                    </a>
                </p>
            </details>
        </section>
    }
}
