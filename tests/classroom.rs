//! `redis-sim classroom`'s server: the protocol, per-student clients, the allow-list, the teacher's
//! powers, and every limit a back row can try (garbage, big frames, floods, a full room).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/classroom.rs"]
mod classroom;

use std::io::{Read, Write};
use std::net::TcpStream;

use classroom::{options, runtime, start, ws_url, Page};
use incr_lab::classroom::protocol::{Event, Purchase, Role, Strategy, STOCK_AFTER_RESET};
use incr_lab::classroom::server::Limits;
use tokio_tungstenite::tungstenite::Message;

#[test]
fn students_share_one_engine_each_as_their_own_client() {
    let class = start(&options());
    runtime().block_on(async {
        let (mut ann, welcome) = Page::student(&class).await;
        assert_eq!(welcome.role, Role::Student);
        assert_eq!(welcome.room, class.code());
        assert_eq!(welcome.strategy, Strategy::Naive);
        assert_eq!(welcome.backend, "the incr-lab engine");
        assert_eq!(welcome.qr_svg, None, "students get no QR code");
        let (mut bob, _) = Page::student(&class).await;
        assert_eq!(ann.cmd("INCR likes").await, "(integer) 1\n");
        assert_eq!(bob.cmd("GET likes").await, "\"1\"\n");
        assert_eq!(bob.cmd("get nothing").await, "(nil)\n");
        assert_eq!(ann.cmd("HSET h f v").await, "(integer) 1\n");
        assert_eq!(bob.cmd("HGETALL h").await, "1) \"f\"\n2) \"v\"\n");
        // WATCH is per student: Bob's write breaks Ann's transaction.
        assert_eq!(ann.cmd("WATCH likes").await, "OK\n");
        assert_eq!(ann.cmd("MULTI").await, "OK\n");
        assert_eq!(ann.cmd("INCR likes").await, "QUEUED\n");
        // The Like button is another client: a MULTI typed in the console does not queue taps.
        assert_eq!(ann.ask("\"tap\"").await, Event::Read(1));
        assert_eq!(ann.ask("\"write\"").await, Event::Tapped(2));
        assert_eq!(bob.cmd("INCR likes").await, "(integer) 3\n");
        assert_eq!(ann.cmd("EXEC").await, "(nil)\n");
        assert_eq!(
            ann.cmd("INCR likes x").await,
            "(error) ERR wrong number of arguments for 'incr' command\n"
        );
        assert_eq!(
            ann.ask("\"write\"").await,
            Event::Error("nothing to write: tap first".to_owned())
        );
    });
}

#[test]
fn the_console_refuses_what_is_not_on_the_allow_list() {
    let class = start(&options());
    runtime().block_on(async {
        let (mut page, _) = Page::student(&class).await;
        assert_eq!(page.cmd("SET likes 5").await, "OK\n");
        for line in [
            "FLUSHALL",
            "flushdb",
            "CONFIG SET maxmemory 1",
            "DEBUG SLEEP 10",
            "SHUTDOWN",
            "EVAL return 1 0",
            "KEYS *",
            "CLIENT LIST",
            "BLPOP q 0",
        ] {
            let reply = page.cmd(line).await;
            assert!(reply.starts_with("(error) ERR '"), "{line}: {reply}");
            assert!(
                reply.contains("is not allowed in the classroom"),
                "{line}: {reply}"
            );
        }
        assert_eq!(page.cmd("GET likes").await, "\"5\"\n");
        let empty = page.ask(r#"{"cmd":[]}"#).await;
        assert_eq!(empty, Event::Error("an empty command".to_owned()));
    });
}

#[test]
fn taps_follow_the_teacher_s_strategy_and_only_the_teacher_switches_it() {
    let class = start(&options());
    runtime().block_on(async {
        let (mut student, _) = Page::student(&class).await;
        let (mut teacher, welcome) = Page::teacher(&class).await;
        assert_eq!(welcome.role, Role::Teacher);
        assert_eq!(welcome.join_url.as_deref(), Some(class.join_url()));
        assert!(welcome
            .qr_svg
            .as_deref()
            .is_some_and(|svg| svg.contains("<svg")));
        for request in [
            r#"{"strategy":"atomic"}"#,
            "\"reset\"",
            r#"{"countdown":3}"#,
        ] {
            assert_eq!(
                student.ask(request).await,
                Event::Error("only the teacher's page can do that".to_owned()),
                "{request}"
            );
        }
        // Naive: a read, then (after the page's round trip) the write.
        assert_eq!(student.ask("\"tap\"").await, Event::Read(0));
        assert_eq!(student.ask("\"write\"").await, Event::Tapped(1));
        assert!(matches!(
            teacher.ask(r#"{"strategy":"atomic"}"#).await,
            Event::Reply(_)
        ));
        assert_eq!(student.ask("\"tap\"").await, Event::Tapped(2));
        assert_eq!(student.ask("\"tap\"").await, Event::Tapped(3));
        // The projector's figures: 3 taps, counter 3, nothing lost, one student.
        let state = teacher.room_until(|s| s.taps == 3 && s.counter == 3).await;
        assert_eq!((state.students, state.lost), (1, 0));
        assert_eq!(state.strategy, Strategy::Atomic);
        // A countdown reaches every page.
        assert_eq!(
            teacher.ask(r#"{"countdown":3}"#).await,
            Event::Reply("countdown: 3 s\n".to_owned())
        );
        loop {
            match student.event().await {
                Some(Event::Countdown(seconds)) => break assert_eq!(seconds, 3),
                Some(_) => continue,
                None => panic!("closed"),
            }
        }
        // Reset: counters and figures back to zero.
        assert!(matches!(teacher.ask("\"reset\"").await, Event::Reply(_)));
        let state = teacher.room_until(|s| s.taps == 0 && s.counter == 0).await;
        assert_eq!(state.stock, STOCK_AFTER_RESET);
    });
}

#[test]
fn buying_with_decr_oversells_and_with_the_script_does_not() {
    let class = start(&options());
    runtime().block_on(async {
        let (mut teacher, _) = Page::teacher(&class).await;
        let (mut student, _) = Page::student(&class).await;
        teacher.ask("\"reset\"").await;
        let mut outcomes = Vec::new();
        for _ in 0..12 {
            match student.ask("\"buy\"").await {
                Event::Bought { outcome, stock } => outcomes.push((outcome, stock)),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(outcomes[9], (Purchase::Got, 0));
        assert_eq!(outcomes[11], (Purchase::Oversold, -2));
        teacher.ask("\"reset\"").await;
        teacher.ask(r#"{"strategy":"atomic"}"#).await;
        let mut got = 0;
        for _ in 0..12 {
            match student.ask("\"buy\"").await {
                Event::Bought {
                    outcome: Purchase::Got,
                    ..
                } => got += 1,
                Event::Bought { outcome, stock } => {
                    assert_eq!((outcome, stock), (Purchase::SoldOut, 0))
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(got, STOCK_AFTER_RESET);
        assert_eq!(student.cmd("GET stock").await, "\"0\"\n");
    });
}

#[test]
fn garbage_gets_a_plain_answer_and_the_page_goes_on() {
    let class = start(&options());
    runtime().block_on(async {
        let (mut page, _) = Page::student(&class).await;
        for garbage in [
            "hello",
            "{",
            r#"{"cmd":"INCR likes"}"#,
            r#"{"cmd":[1,2]}"#,
            r#"{"tap":1,"buy":2}"#,
            r#""flushall""#,
            "null",
            "",
        ] {
            match page.ask(garbage).await {
                Event::Error(text) => {
                    assert!(text.starts_with("not understood ("), "{garbage}: {text}")
                }
                other => panic!("{garbage}: {other:?}"),
            }
        }
        page.send_message(Message::Binary(vec![0xff, 0, 1].into()))
            .await;
        assert_eq!(
            page.answer().await,
            Event::Error("binary messages are not understood: send JSON text".to_owned())
        );
        assert_eq!(page.cmd("PING").await, "PONG\n");
    });
}

#[test]
fn an_oversized_message_is_refused_and_closes_that_page_only() {
    let class = start(&options());
    runtime().block_on(async {
        let (mut big, _) = Page::student(&class).await;
        let (mut other, _) = Page::student(&class).await;
        let huge = format!(r#"{{"cmd":["SET","k","{}"]}}"#, "x".repeat(10_000));
        big.send(&huge).await;
        let mut said = None;
        let close = loop {
            match big.next_frame().await {
                Ok(Event::Error(text)) => said = Some(text),
                Ok(_) => continue,
                Err(frame) => break frame,
            }
        };
        assert_eq!(said.as_deref(), Some("message too big: at most 4096 bytes"));
        // The close frame says 1009 — when it arrives: the rest of the big message stays unread
        // (the WebSocket layer stops at the frame's announced length), and closing over unread
        // bytes makes the kernel reset the connection, which can destroy the frame in flight.
        // The refusal, sent first, arrived.
        if let Some(close) = close {
            assert_eq!(u16::from(close.code), 1009);
        }
        assert_eq!(other.cmd("PING").await, "PONG\n");
        // Just under the limit is fine.
        let fits = format!(r#"{{"cmd":["SET","k","{}"]}}"#, "x".repeat(4000));
        assert_eq!(other.ask(&fits).await, Event::Reply("OK\n".to_owned()));
    });
}

#[test]
fn a_flood_is_refused_then_cut_off() {
    let mut opts = options();
    opts.limits = Limits {
        rate: 5,
        burst: 10,
        refusals_before_close: 50,
        ..Limits::default()
    };
    let class = start(&opts);
    runtime().block_on(async {
        let (mut page, _) = Page::student(&class).await;
        for _ in 0..30 {
            page.send(r#"{"cmd":["INCR","flood"]}"#).await;
        }
        let (mut ran, mut refused) = (0, 0);
        for _ in 0..30 {
            match page.answer().await {
                Event::Reply(_) => ran += 1,
                Event::Error(text) => {
                    assert_eq!(
                        text,
                        "slow down: at most 5 messages a second (this one was not run)"
                    );
                    refused += 1;
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(refused > 0 && ran >= 10, "ran {ran}, refused {refused}");
        // What was refused did not run.
        let (mut other, _) = Page::student(&class).await;
        assert_eq!(other.cmd("GET flood").await, format!("\"{ran}\"\n"));
        // Keep flooding: the connection is closed with a policy-violation code.
        for _ in 0..100 {
            page.send("\"tap\"").await;
        }
        let close = loop {
            match page.next_frame().await {
                Ok(_) => continue,
                Err(frame) => break frame,
            }
        };
        assert_eq!(close.map(|f| u16::from(f.code)), Some(1008));
        assert_eq!(other.cmd("PING").await, "PONG\n");
    });
}

#[test]
fn wrong_codes_and_a_full_room_are_refused_plainly() {
    let mut opts = options();
    opts.limits.max_students = 2;
    let class = start(&opts);
    runtime().block_on(async {
        for (query, why) in [
            (
                "room=NOPE".to_owned(),
                "no such room: check the code on the projector",
            ),
            (
                String::new(),
                "no such room: check the code on the projector",
            ),
            (
                format!("room={}&teacher=guess", class.code()),
                "wrong teacher secret",
            ),
        ] {
            let mut page = Page::connect(&ws_url(&class, &query)).await;
            assert_eq!(
                page.event().await,
                Some(Event::Error(why.to_owned())),
                "{query}"
            );
            assert_eq!(page.event().await, None, "{query}: closed after");
        }
        // The code is not case-sensitive (phones capitalise).
        let lower = format!("room={}", class.code().to_lowercase());
        let (first, _) = Page::open(&ws_url(&class, &lower)).await;
        let (_second, _) = Page::student(&class).await;
        let mut third = Page::connect(&ws_url(&class, &lower)).await;
        assert_eq!(
            third.event().await,
            Some(Event::Error("the room is full (2 students)".to_owned()))
        );
        // The teacher is not a student: the projector still gets in.
        let (_teacher, welcome) = Page::teacher(&class).await;
        assert_eq!(welcome.role, Role::Teacher);
        // A seat frees when a student leaves.
        first.close().await;
        let mut tries = 0;
        loop {
            let mut again = Page::connect(&ws_url(&class, &lower)).await;
            match again.event().await {
                Some(Event::Welcome(_)) => break,
                _ if tries < 100 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                other => panic!("the seat never freed: {other:?}"),
            }
        }
    });
}

/// One HTTP/1.0 request; the response's status line and body.
fn http(class: &incr_lab::classroom::server::Classroom, request: &str) -> (String, String) {
    let mut stream = TcpStream::connect(class.addr()).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn only_the_site_and_the_websocket_are_served() {
    let opts = options();
    let class = start(&opts);
    let (status, body) = http(&class, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, "HTTP/1.0 200 OK");
    assert_eq!(body, "<!doctype html><title>incr-lab</title>");
    let (status, body) = http(&class, "GET /assets/app.js?x=1 HTTP/1.0\r\n\r\n");
    assert_eq!(
        (status.as_str(), body.as_str()),
        ("HTTP/1.0 200 OK", "console.log('hi')")
    );
    for path in [
        "/nothing",
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/../../x",
    ] {
        let (status, _) = http(&class, &format!("GET {path} HTTP/1.0\r\n\r\n"));
        assert_eq!(status, "HTTP/1.0 404 Not Found", "{path}");
    }
    let (status, _) = http(&class, "POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(status, "HTTP/1.0 405 Method Not Allowed");
    // /ws without the upgrade handshake is no page.
    let (status, _) = http(&class, "GET /ws HTTP/1.0\r\n\r\n");
    assert!(status.starts_with("HTTP/1.0 4"), "{status}");
    std::fs::remove_dir_all(&opts.dist).unwrap();
}

#[test]
fn the_server_will_not_start_without_a_built_site_or_a_reachable_redis() {
    let mut opts = options();
    opts.dist = opts.dist.join("missing");
    let error = incr_lab::classroom::server::Classroom::start(&opts)
        .err()
        .unwrap();
    assert!(
        error.to_string().contains("build the site first"),
        "{error}"
    );
    let mut opts = options();
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    opts.redis = Some(format!("127.0.0.1:{port}"));
    let error = incr_lab::classroom::server::Classroom::start(&opts)
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("cannot reach Redis at 127.0.0.1:"),
        "{error}"
    );
}
