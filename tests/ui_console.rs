//! The console in a real browser: typed lines answer exactly as redis-cli prints them, bad input is
//! answered and shown as text, history works with the arrow keys, snippets run when clicked.
#![cfg(target_arch = "wasm32")]

mod browser;

use browser::{key_down, mount, settle};
use incr_lab::ui::history::{History, MAX_HISTORY};
use incr_lab::ui::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn commands_answer_like_redis_cli() {
    let app = mount(App);
    settle().await;
    app.run("SET likes 100").await;
    assert_eq!(app.last_output(), "OK");
    app.run("INCR likes").await;
    assert_eq!(app.last_output(), "(integer) 101");
    app.run("GET likes").await;
    assert_eq!(app.last_output(), "\"101\"");
    app.run("GET nothing").await;
    assert_eq!(app.last_output(), "(nil)");
    app.run("HSET h a 1 b 2").await;
    app.run("HGETALL h").await;
    assert_eq!(app.last_output(), "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2\"");
    app.run("2 INCR n").await;
    assert_eq!(app.last_output(), "(integer) 1\n(integer) 2");
    // The echo shows the prompt with the virtual time, then the typed line.
    let echo = app
        .query_all(".console-echo")
        .last()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(
        echo.starts_with('[') && echo.ends_with("] 127.0.0.1:6379> 2 INCR n"),
        "{echo:?}"
    );
    assert_eq!(app.command_line(), "", "the input is cleared after running");
}

#[wasm_bindgen_test]
async fn the_resp3_toggle_prints_like_redis_cli_dash_3() {
    use wasm_bindgen::JsCast;
    let app = mount(App);
    settle().await;
    app.run("ZADD board 1.5 ada").await;
    app.run("ZSCORE board ada").await;
    assert_eq!(app.last_output(), "\"1.5\"");
    let toggle: web_sys::HtmlInputElement = app.labelled("RESP3 (redis-cli -3)").unchecked_into();
    assert!(!toggle.checked(), "RESP2 first, as plain redis-cli");
    toggle.click();
    settle().await;
    app.run("ZSCORE board ada").await;
    assert_eq!(app.last_output(), "(double) 1.5");
    app.run("HSET h f v").await;
    app.run("HGETALL h").await;
    assert_eq!(app.last_output(), "1# \"f\" => \"v\"");
    app.run("ZRANGE board 0 -1 WITHSCORES").await;
    assert_eq!(app.last_output(), "1) 1) \"ada\"\n   2) (double) 1.5");
    toggle.click();
    settle().await;
    assert!(!toggle.checked());
    app.run("ZSCORE board ada").await;
    assert_eq!(app.last_output(), "\"1.5\"");
}

#[wasm_bindgen_test]
async fn errors_are_exact_and_styled_apart() {
    let app = mount(App);
    settle().await;
    app.run("SET likes 100").await;
    assert!(!app.last_output_class().contains("error"));
    app.run("HGET likes f").await;
    assert_eq!(
        app.last_output(),
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value"
    );
    assert!(app.last_output_class().contains("error"));
    app.run("FOO bar \"baz qux\"").await;
    assert_eq!(
        app.last_output(),
        "(error) ERR unknown command 'FOO', with args beginning with: 'bar' 'baz qux' "
    );
    app.run("SET \"unbalanced").await;
    assert_eq!(app.last_output(), "Invalid argument(s)");
    assert!(app.last_output_class().contains("error"));
    app.run("INCR").await;
    assert_eq!(
        app.last_output(),
        "(error) ERR wrong number of arguments for 'incr' command"
    );
}

#[wasm_bindgen_test]
async fn html_is_shown_as_text_never_run() {
    let app = mount(App);
    settle().await;
    let html = "<img src=x onerror=alert(1)>";
    app.run(&format!("SET '{html}' '<script>alert(2)</script>'"))
        .await;
    app.run(&format!("GET '{html}'")).await;
    assert_eq!(app.last_output(), "\"<script>alert(2)</script>\"");
    assert!(
        app.query_all("img, script").is_empty(),
        "no element was created from input"
    );
    let echo = app
        .query_all(".console-echo .typed")
        .last()
        .and_then(|e| e.text_content());
    assert_eq!(echo.as_deref(), Some(format!("GET '{html}'").as_str()));
    assert!(app
        .keys()
        .iter()
        .any(|(name, _, _)| name == &format!("\"{html}\"")));
}

#[wasm_bindgen_test]
async fn a_100000_character_line_is_answered_exactly() {
    let app = mount(App);
    settle().await;
    let value = "x".repeat(100_000);
    app.run(&format!("SET big {value}")).await;
    assert_eq!(app.last_output(), "OK");
    app.run("STRLEN big").await;
    assert_eq!(app.last_output(), "(integer) 100000");
    app.run(&format!("NOSUCH {value}")).await;
    // Redis' unknown-command text, the argument cut as Redis cuts it.
    assert!(app
        .last_output()
        .starts_with("(error) ERR unknown command 'NOSUCH'"));
    app.run("GET big").await;
    assert_eq!(app.last_output(), format!("\"{value}\""));
    let long_garbage = "\"".repeat(100_000);
    app.run(&long_garbage).await;
    assert_eq!(app.last_output(), "Invalid argument(s)");
    let echo = app
        .query_all(".console-echo .typed")
        .last()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(
        echo.ends_with("… (100000 characters)"),
        "long lines are echoed cut"
    );
}

#[wasm_bindgen_test]
async fn help_and_clear() {
    let app = mount(App);
    settle().await;
    app.run("HELP INCR").await;
    assert!(
        app.last_output().contains("INCR key"),
        "{}",
        app.last_output()
    );
    app.run("help").await;
    assert!(app.last_output().contains("HGETALL"));
    assert!(app.last_output_class().contains("help"));
    app.run("CLEAR").await;
    assert!(app.query_all(".console-entry").is_empty());
    app.run("PING").await;
    assert_eq!(app.last_output(), "PONG");
    app.run("MULTI").await;
    assert!(app
        .text(".console-form .prompt")
        .ends_with("127.0.0.1:6379(TX)>"));
    app.run("INCR n").await;
    assert_eq!(app.last_output(), "QUEUED");
    app.run("EXEC").await;
    assert_eq!(app.last_output(), "1) (integer) 1");
    assert!(app
        .text(".console-form .prompt")
        .ends_with("127.0.0.1:6379>"));
}

#[wasm_bindgen_test]
async fn arrow_keys_walk_the_history() {
    let app = mount(App);
    settle().await;
    app.run("SET a 1").await;
    app.run("INCR a").await;
    let input = app.type_into("Command", "GET");
    key_down(&input, "ArrowUp");
    settle().await;
    assert_eq!(app.command_line(), "INCR a");
    key_down(&input, "ArrowUp");
    key_down(&input, "ArrowUp");
    settle().await;
    assert_eq!(app.command_line(), "SET a 1", "stops at the oldest line");
    key_down(&input, "ArrowDown");
    settle().await;
    assert_eq!(app.command_line(), "INCR a");
    key_down(&input, "ArrowDown");
    settle().await;
    assert_eq!(app.command_line(), "GET", "back to the unfinished line");
    app.button("Run").click(); // runs "GET": an arity error, recorded in history too
    settle().await;
    assert_eq!(
        app.last_output(),
        "(error) ERR wrong number of arguments for 'get' command"
    );
}

#[wasm_bindgen_test]
async fn snippets_run_in_the_console() {
    let app = mount(App);
    settle().await;
    app.button("SET likes 100").click();
    settle().await;
    app.button("INCR likes").click();
    settle().await;
    assert_eq!(app.last_output(), "(integer) 101");
    let typed = app
        .query_all(".console-echo .typed")
        .last()
        .and_then(|e| e.text_content());
    assert_eq!(typed.as_deref(), Some("INCR likes"));
}

#[wasm_bindgen_test]
fn history_keeps_lines_without_blanks_or_repeats_and_forgets_the_oldest() {
    let mut h = History::new();
    assert_eq!(h.older("x"), None);
    assert_eq!(h.newer(), None);
    h.push("a");
    h.push("a");
    h.push("  ");
    h.push("b");
    assert_eq!(h.lines(), ["a", "b"]);
    assert_eq!(h.older("draft").as_deref(), Some("b"));
    assert_eq!(h.older("ignored").as_deref(), Some("a"));
    assert_eq!(h.newer().as_deref(), Some("b"));
    assert_eq!(h.newer().as_deref(), Some("draft"));
    assert_eq!(h.newer(), None);
    for i in 0..MAX_HISTORY + 5 {
        h.push(&i.to_string());
    }
    assert_eq!(h.lines().len(), MAX_HISTORY);
    assert_eq!(h.lines().first().map(String::as_str), Some("5"));
}

#[wasm_bindgen_test]
async fn random_lines_never_kill_the_page() {
    // A small seeded generator (SplitMix64): the same lines on every run.
    let mut rng = incr_lab::simulation::rng::Rng::new(0x1ab5_eed5);
    let mut next = move || rng.next_u64();
    const WORDS: [&str; 24] = [
        "SET",
        "GET",
        "INCR",
        "HSET",
        "ZADD",
        "EXPIRE",
        "MULTI",
        "EXEC",
        "WATCH",
        "HELP",
        "k",
        "h",
        "z",
        "10",
        "-1",
        "1e400",
        "\"",
        "'",
        "\\x",
        "\\xzz",
        "é😀",
        "<b>",
        "\0",
        "9223372036854775807",
    ];
    let app = mount(App);
    settle().await;
    for _ in 0..200 {
        let n = 1 + next() % 6;
        let line: Vec<&str> = (0..n)
            .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
            .collect();
        let sep = if next() % 4 == 0 { "" } else { " " };
        app.run(&line.join(sep)).await;
    }
    app.run("DISCARD").await;
    app.run("PING").await;
    assert_eq!(app.last_output(), "PONG", "the console still answers");
}

/// The text of each console entry's output, oldest first.
fn outputs(app: &browser::Mounted) -> Vec<String> {
    app.query_all(".console-entry")
        .into_iter()
        .map(|entry| {
            entry
                .query_selector(".console-reply")
                .ok()
                .flatten()
                .and_then(|reply| reply.text_content())
                .unwrap_or_default()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_blocking_command_waits_on_the_virtual_clock_until_a_write_or_its_timeout() {
    let app = mount(App);
    settle().await;
    app.button("Pause").click();
    settle().await;
    // Nothing to pop: the console's client waits, and the page says so.
    app.run("BZPOPMIN queue 5").await;
    assert!(
        app.last_output()
            .starts_with("(waiting: blocked until another client writes to a key it waits on, or until its timeout at 00:00:05."),
        "{:?}",
        app.last_output()
    );
    assert!(app.last_output_class().contains("waiting"));
    let prompt = app.text(".console-form .prompt");
    assert!(prompt.contains("(client 2) 127.0.0.1:6379>"), "{prompt:?}");
    // What is typed now runs as a second client: its write wakes the first, whose entry shows
    // the reply.
    app.run("ZADD queue 1 job 2 next").await;
    let shown = outputs(&app);
    assert_eq!(
        shown[shown.len() - 2..],
        ["1) \"queue\"\n2) \"job\"\n3) \"1\"", "(integer) 2"]
    );
    assert!(!app.text(".console-form .prompt").contains("client 2"));
    app.run("ZCARD queue").await;
    assert_eq!(app.last_output(), "(integer) 1");
    // The clock passing the timeout answers nil; before it, nothing.
    app.run("BZMPOP 2 1 empty MIN").await;
    app.button("+1 s").click();
    settle().await;
    assert!(app.last_output().starts_with("(waiting: "));
    app.button("+10 s").click();
    settle().await;
    assert_eq!(app.last_output(), "(nil)");
    app.run("PING").await;
    assert_eq!(app.last_output(), "PONG");
}
