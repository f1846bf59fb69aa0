//! The console-lite (src/console_lite.rs, src/bin/console-lite.rs) answers exactly as the page's
//! console: an engine on the core table replies as the full engine to every core command, the lite
//! console prints what the app's console prints, and what it cannot answer — HELP, COMMAND,
//! scripting, a blocked client — waits, with every line after it, for the app, which then replays
//! the lines into its own engine and ends with the same keyspace.

mod support;

use incr_lab::console::{eval_line_with, Kind, Output, Wait};
use incr_lab::console_lite::{is_full_only, LiteConsole, CLIENT};
use incr_lab::engine::command::{CORE_TABLE, FULL_ONLY, TABLE};
use incr_lab::engine::{Engine, Protocol, Reply};
use support::gen::Gen;

/// The app's console (`ui::lab::Lab::run`) on a full engine, without the UI: the clock set and
/// active expiry run before each line, as `Lab::sync_clock` does.
struct AppConsole {
    engine: Engine,
    origin_ms: i64,
}

impl AppConsole {
    fn run(&mut self, at_ms: i64, line: &str) -> Output {
        let now = self.origin_ms + at_ms;
        if self.engine.now_ms() != now {
            self.engine.set_now_ms(now);
        }
        self.engine.active_expire_cycle();
        eval_line_with(
            &mut self.engine,
            CLIENT,
            line,
            Protocol::Resp2,
            Wait::Blocked,
        )
    }
}

#[test]
fn the_tables_split_into_core_and_full_only_rows() {
    assert_eq!(CORE_TABLE.len() + FULL_ONLY.len(), TABLE.len());
    for spec in TABLE {
        let in_core = CORE_TABLE.iter().any(|s| s.name == spec.name);
        assert_ne!(in_core, FULL_ONLY.contains(&spec.name), "{}", spec.name);
    }
    for name in [
        "eval", "EVALSHA", "fcall_ro", "Function", "script", "command",
    ] {
        assert!(is_full_only(name.as_bytes()), "{name}");
    }
    for name in ["incr", "get", "object", "config", "ping", "evall", ""] {
        assert!(!is_full_only(name.as_bytes()), "{name}");
    }
    // A core engine does not know the others: an unknown command, as Redis says.
    let mut core = Engine::core(0);
    assert_eq!(
        core.execute(1, &["EVAL", "return 1", "0"]),
        Reply::Error(
            b"ERR unknown command 'EVAL', with args beginning with: 'return 1' '0' "
                .as_slice()
                .into()
        )
    );
}

#[test]
fn a_core_engine_replies_as_the_full_engine_to_every_core_command() {
    let seed = support::gen::env_number("INCR_LAB_SEED").unwrap_or(0x11e0);
    let mut full = Engine::new(1_000_000);
    let mut core = Engine::core(1_000_000);
    let mut gen = Gen::new(seed, &mut full);
    let mut compared = 0;
    for n in 0..30_000 {
        let (client, argv, _mode) = gen.command();
        let name = argv[0].split(|&b| b == 0).next().unwrap_or_default();
        if is_full_only(name) {
            continue;
        }
        let now = 1_000_000 + n;
        full.set_now_ms(now);
        core.set_now_ms(now);
        let client = client as u64;
        let a = full.execute(client, &argv);
        let b = core.execute(client, &argv);
        assert_eq!(
            a,
            b,
            "seed {seed:#x}, command {n}: {:?}",
            argv.iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect::<Vec<_>>()
        );
        compared += 1;
    }
    assert!(compared > 25_000, "{compared}");
}

/// A session typed into the lite: (virtual ms, line).
const SESSION: &[(i64, &str)] = &[
    (0, "INCR likes"),
    (400, "SET session:1 alice EX 30"),
    (1_200, "3 INCR likes"),
    (1_500, "HSET user:1 name ada visits 3"),
    (1_600, "MULTI"),
    (1_700, "INCR likes"),
    (1_800, "EXPIRE likes 100"),
    (1_900, "EXEC"),
    (2_000, "SET temp x PX 500"),
    (2_600, "GET temp"),
    (2_700, "DBSIZE"),
    (2_800, "TTL session:1"),
    (2_900, "bad 'quote"),
    (3_000, ""),
    (3_100, "quit"),
    (3_200, "clear"),
    (3_300, "GETT x"),
    (3_400, "ZADD board 10 ada 20 bob"),
    (3_500, "ZRANGE board 0 -1 WITHSCORES"),
];

#[test]
fn the_lite_console_prints_what_the_apps_console_prints() {
    let origin = 1_700_000_000_000;
    let mut lite = LiteConsole::new(origin);
    let mut app = AppConsole {
        engine: Engine::new(origin),
        origin_ms: origin,
    };
    for &(at, line) in SESSION {
        let ours = lite.run(at, line).expect("a core line runs in the lite");
        assert_eq!(ours, app.run(at, line), "{line:?}");
    }
    assert!(!lite.waiting());
    assert_eq!(lite.engine().db().len(), app.engine.db().len(), "same keys");
}

#[test]
fn what_the_lite_cannot_answer_waits_and_so_does_everything_after_it() {
    for (line, ran) in [
        ("EVAL \"return 1\" 0", false),
        ("eval_ro x 0", false),
        ("COMMAND DOCS get", false),
        ("command", false),
        ("FUNCTION LIST", false),
        ("2 FCALL f 0", false),
        ("HELP", false),
        ("help incr", false),
        ("? ", false),
        // Blocks: its reply comes later, in the app.
        ("BZPOPMIN queue 5", true),
    ] {
        let mut lite = LiteConsole::new(0);
        assert_eq!(
            lite.run(0, "SET a 1").map(|o| o.kind),
            Some(Kind::Reply),
            "{line}"
        );
        let out = lite.run(10, line);
        assert_eq!(out.is_some(), ran, "{line}");
        if let Some(out) = out {
            assert_eq!(out.kind, Kind::Waiting, "{line}");
        }
        assert!(lite.waiting(), "{line}");
        assert_eq!(lite.run(20, "INCR a"), None, "{line}: later lines wait");
        assert_eq!(lite.run(30, "GET a"), None, "{line}");
        assert_eq!(lite.engine().db().len(), 1, "{line}: nothing ran after it");
    }
    // Inside MULTI too: EVAL would be queued by the app, not refused.
    let mut lite = LiteConsole::new(0);
    assert!(lite.run(0, "MULTI").is_some());
    assert!(lite.in_multi());
    assert_eq!(lite.run(1, "EVAL 'return 1' 0"), None);
}

#[test]
fn the_app_replays_the_lites_lines_to_the_same_keyspace_and_ttls() {
    // The app (ui::lab::Lab::take_over) runs the lines the lite ran at their times, then the
    // waiting ones at once: here with a full engine as the app's.
    let origin = 1_700_000_000_000;
    let mut lite = LiteConsole::new(origin);
    let mut handed = Vec::new();
    let lines = [
        (0, "SET likes 10"),
        (300, "INCR likes"),
        (500, "SET ttl:1 v EX 20"),
        (900, "PEXPIRE likes 5000"),
        (1_000, "EVAL \"return redis.call('INCR', KEYS[1])\" 1 likes"),
        (1_100, "INCR likes"),
    ];
    for (at, line) in lines {
        handed.push((at, line, lite.run(at, line).is_some()));
    }
    assert_eq!(
        handed.iter().map(|h| h.2).collect::<Vec<_>>(),
        [true, true, true, true, false, false]
    );
    let mut app = AppConsole {
        engine: Engine::new(origin),
        origin_ms: origin,
    };
    for &(at, line, _) in handed.iter().filter(|h| h.2) {
        app.run(at, line);
    }
    let now = 2_000;
    for &(_, line, _) in handed.iter().filter(|h| !h.2) {
        app.run(now, line);
    }
    let mut text = |line: &str| app.run(now, line).text_lines();
    assert_eq!(text("GET likes"), ["\"13\""]);
    assert_eq!(text("PTTL likes"), ["(integer) 3900"]);
    assert_eq!(text("PTTL ttl:1"), ["(integer) 18500"]);
}
