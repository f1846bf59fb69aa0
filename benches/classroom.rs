//! The live classroom under load, on loopback: how many taps a second one room sustains, and how
//! long a tap takes to show on the projector (p50/p99).
//!
//! `cargo bench --bench classroom` (release build). STUDENTS pages tap INCR as fast as their
//! answers come back (the rate limit lifted); the projector page records when each of its
//! figures arrives. A tap's latency is from the moment the k-th tap was sent to the first
//! figures counting at least k taps — what the class sees on the wall. The projector's figures
//! are read every 50 ms (the server's default), which bounds the latency from below.
//! Printed, not asserted: the figures depend on the machine.

#[path = "../tests/support/classroom.rs"]
mod classroom;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use classroom::{options, Page};
use incr_lab::classroom::protocol::Event;
use incr_lab::classroom::server::{Classroom, Limits};

fn figure(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let students = figure("STUDENTS", 200);
    let taps = figure("TAPS", 200);
    let mut opts = options();
    opts.limits = Limits {
        rate: u32::MAX,
        burst: u32::MAX,
        ..Limits::default()
    };
    let class = Classroom::start(&opts).expect("the classroom starts");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (mut teacher, _) = Page::teacher(&class).await;
        teacher.ask("\"reset\"").await;
        teacher.ask(r#"{"strategy":"atomic"}"#).await;
        let mut pages = Vec::new();
        for _ in 0..students {
            pages.push(Page::student(&class).await.0);
        }
        teacher.room_until(|s| s.students == students as u64).await;
        let sent = Arc::new(Mutex::new(Vec::with_capacity(students * taps)));
        let total = (students * taps) as u64;
        let started = Instant::now();
        let watcher = tokio::spawn(async move {
            let mut seen = Vec::new();
            loop {
                match teacher.event().await {
                    Some(Event::Room(state)) => {
                        seen.push((Instant::now(), state.taps));
                        if state.taps >= total {
                            return seen;
                        }
                    }
                    Some(_) => {}
                    None => return seen,
                }
            }
        });
        let tasks: Vec<_> = pages
            .into_iter()
            .map(|mut page| {
                let sent = Arc::clone(&sent);
                tokio::spawn(async move {
                    for _ in 0..taps {
                        sent.lock().expect("unpoisoned").push(Instant::now());
                        page.tap().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a student's taps");
        }
        let elapsed = started.elapsed();
        let seen = watcher.await.expect("the projector");
        let mut sent = sent.lock().expect("unpoisoned").clone();
        sent.sort();
        let mut latencies = Vec::with_capacity(sent.len());
        let mut next = 0usize;
        for (at, count) in seen {
            while next < sent.len() && (next as u64) < count {
                latencies.push(at.saturating_duration_since(sent[next]));
                next += 1;
            }
        }
        latencies.sort();
        let pct = |p: f64| {
            latencies
                .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "classroom: {students} students x {taps} INCR taps = {total} in {:.2} s: {:.0} taps/s",
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64()
        );
        println!(
            "tap to projector: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} taps; figures every 50 ms)",
            pct(0.50),
            pct(0.99),
            pct(1.0),
            latencies.len()
        );
    });
    class.stop().expect("stops");
}
