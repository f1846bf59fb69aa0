//! Prints the hot-key demo's figures for every setting it offers: `cargo run --release --example
//! hot_key_figures`.

use incr_lab::simulation::hot_key::{
    counter_keys, key_hash_slot, run, slot_owner, HotKeyParams, KeyNames,
};

fn main() {
    for names in KeyNames::ALL {
        for k in [4, 16] {
            let keys = counter_keys(k, names);
            let slots: Vec<String> = keys
                .iter()
                .map(|key| format!("{key}={}", key_hash_slot(key.as_bytes())))
                .collect();
            println!("{}", slots.join(" "));
            for s in [1, 3, 6] {
                let owners: Vec<usize> = keys
                    .iter()
                    .map(|key| slot_owner(key_hash_slot(key.as_bytes()), s))
                    .collect();
                println!("  S={s}: owners {owners:?}");
            }
        }
    }
    for clients in [10_000, 100_000] {
        for servers in [1, 3, 6] {
            for keys in [1, 4, 16] {
                for names in KeyNames::ALL {
                    if keys == 1 && names == KeyNames::HashTag {
                        continue;
                    }
                    let o = run(HotKeyParams {
                        clients,
                        servers,
                        keys,
                        names,
                        ..HotKeyParams::default()
                    });
                    let b = o.busiest();
                    println!(
                        "C={clients} S={servers} K={keys} {:?}: counted {} last ack {} us p50 {} p99 {} busiest {} cmds {} us q{} per-server {:?} read {} req {} srv",
                        names, o.counted, o.last_ack_us, o.p50_us, o.p99_us, b.commands, b.busy_us, b.max_queue,
                        o.servers.iter().map(|s| s.commands).collect::<Vec<_>>(), o.read.requests, o.read.servers
                    );
                }
            }
        }
    }
}
