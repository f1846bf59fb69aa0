//! A full room under load, on loopback: 500 students tap Like 100 times each. With INCR the
//! counter ends at exactly 50,000 — on the engine, and on a real redis-server with `--redis`. With
//! the naive strategy some taps are lost, and the projector's figures add up: counter + lost = taps.
//!
//! Bounded, not timed: every wait has a generous timeout that only catches a hang.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/classroom.rs"]
mod classroom;
mod support;

use classroom::{options, runtime, start, Page};
use incr_lab::classroom::protocol::Event;
use incr_lab::classroom::server::{Classroom, Options};

const STUDENTS: usize = 500;
const TAPS: usize = 100;

/// Fills the room, switches to `strategy` from the projector, lets every student tap `taps`
/// times at once and returns what the projector shows once every tap is counted.
async fn flood(
    class: &Classroom,
    strategy: &str,
    students: usize,
    taps: usize,
) -> incr_lab::classroom::protocol::RoomState {
    let (mut teacher, _) = Page::teacher(class).await;
    assert!(matches!(teacher.ask("\"reset\"").await, Event::Reply(_)));
    let switch = format!(r#"{{"strategy":"{strategy}"}}"#);
    assert!(matches!(teacher.ask(&switch).await, Event::Reply(_)));
    let mut pages = Vec::with_capacity(students);
    for _ in 0..students {
        pages.push(Page::student(class).await.0);
    }
    teacher.room_until(|s| s.students == students as u64).await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(students));
    let tasks: Vec<_> = pages
        .into_iter()
        .map(|mut page| {
            let start = std::sync::Arc::clone(&start);
            tokio::spawn(async move {
                start.wait().await;
                for _ in 0..taps {
                    page.tap().await;
                }
                page
            })
        })
        .collect();
    let mut pages = Vec::new();
    for task in tasks {
        pages.push(task.await.expect("a student's taps"));
    }
    let total = (students * taps) as u64;
    let state = teacher.room_until(|s| s.taps == total).await;
    assert_eq!(state.students, students as u64);
    assert_eq!(state.counter + state.lost, total as i64, "{state:?}");
    // The figures match the key itself.
    let counter = pages[0].cmd("GET likes").await;
    assert_eq!(counter, format!("\"{}\"\n", state.counter));
    state
}

#[test]
fn five_hundred_students_tapping_incr_make_exactly_fifty_thousand() {
    let class = start(&options());
    let state = runtime().block_on(flood(&class, "atomic", STUDENTS, TAPS));
    assert_eq!(state.counter, (STUDENTS * TAPS) as i64);
    assert_eq!(state.lost, 0);
}

#[test]
fn naive_taps_lose_updates_and_the_figures_add_up() {
    let class = start(&options());
    let state = runtime().block_on(flood(&class, "naive", 100, 20));
    assert_eq!(state.taps, 2000);
    assert!(state.lost >= 0, "{state:?}");
}

#[test]
fn the_same_room_on_a_real_redis() {
    let redis = support::RedisServer::start_unpinned();
    let class = start(&Options {
        redis: Some(format!("127.0.0.1:{}", redis.port())),
        ..options()
    });
    let state = runtime().block_on(async {
        let (mut page, welcome) = Page::student(&class).await;
        assert_eq!(
            welcome.backend,
            format!("Redis at 127.0.0.1:{}", redis.port())
        );
        // Replies come from the real thing, printed as redis-cli prints them.
        assert_eq!(page.cmd("SET likes 7").await, "OK\n");
        assert_eq!(page.cmd("INCR likes").await, "(integer) 8\n");
        assert_eq!(
            page.cmd("INCR likes x").await,
            "(error) ERR wrong number of arguments for 'incr' command\n"
        );
        assert_eq!(page.cmd("MULTI").await, "OK\n");
        assert_eq!(page.cmd("GET likes").await, "QUEUED\n");
        assert_eq!(page.cmd("EXEC").await, "1) \"8\"\n");
        assert!(page.cmd("FLUSHALL").await.contains("is not allowed"));
        page.close().await;
        flood(&class, "atomic", STUDENTS, TAPS).await
    });
    assert_eq!(state.counter, (STUDENTS * TAPS) as i64);
    assert_eq!(state.lost, 0);
    // Buying with the safe script on the real Redis.
    runtime().block_on(async {
        let (mut page, _) = Page::student(&class).await;
        for _ in 0..11 {
            page.ask("\"buy\"").await;
        }
        assert_eq!(page.cmd("GET stock").await, "\"0\"\n");
    });
}
