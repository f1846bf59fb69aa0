//! The keyspace inspector in a real browser: values, types, TTLs counting down on the virtual clock,
//! the last command's keys highlighted, and keys leaving when they expire.
#![cfg(target_arch = "wasm32")]

mod browser;

use browser::{mount, settle};
use incr_lab::ui::keyspace::{ttl_label, MAX_KEYS_SHOWN};
use incr_lab::ui::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn s(triple: (&str, &str, &str)) -> (String, String, String) {
    (
        triple.0.to_owned(),
        triple.1.to_owned(),
        triple.2.to_owned(),
    )
}

#[wasm_bindgen_test]
async fn keys_show_type_and_value_in_byte_order() {
    let app = mount(App);
    settle().await;
    assert_eq!(app.text(".key-count"), "(empty keyspace)");
    app.run("SET likes 100").await;
    app.run("HSET page:1 views 1 likes 0").await;
    app.run("ZADD board 20 bob 10 alice 15 \"c d\"").await;
    app.run("SET bin \"\\xff\\n\"").await;
    assert_eq!(
        app.keys(),
        [
            s(("\"bin\"", "string", "\"\\xff\\n\"")),
            s((
                "\"board\"",
                "zset",
                "memberscore\"alice\"10\"c d\"15\"bob\"20"
            )),
            s(("\"likes\"", "string", "\"100\"")),
            s((
                "\"page:1\"",
                "hash",
                "fieldvalue\"views\"\"1\"\"likes\"\"0\""
            )),
        ]
    );
    assert_eq!(app.text(".key-count"), "4 keys");
    app.run("INCR likes").await;
    assert!(app.keys().contains(&s(("\"likes\"", "string", "\"101\""))));
    app.run("DEL likes board").await;
    assert_eq!(app.keys().len(), 2);
}

#[wasm_bindgen_test]
async fn sets_show_their_members_in_smembers_order() {
    let app = mount(App);
    settle().await;
    app.run("SADD ids 30 10 20").await;
    app.run("SADD likers bob alice").await;
    assert_eq!(
        app.keys(),
        [
            s(("\"ids\"", "set", "\"10\"\"20\"\"30\"")),
            s(("\"likers\"", "set", "\"bob\"\"alice\"")),
        ]
    );
    assert_eq!(app.query_all(".key-members li").len(), 5);
}

#[wasm_bindgen_test]
async fn lists_show_their_elements_head_first() {
    let app = mount(App);
    settle().await;
    app.run("RPUSH queue b c").await;
    app.run("LPUSH queue a").await;
    assert_eq!(app.keys(), [s(("\"queue\"", "list", "\"a\"\"b\"\"c\""))]);
    assert_eq!(app.query_all(".key-members li").len(), 3);
}

#[wasm_bindgen_test]
async fn the_last_commands_keys_are_highlighted() {
    let app = mount(App);
    settle().await;
    app.run("SET a 1").await;
    app.run("SET b 1").await;
    let touched = || {
        app.query_all(".key.touched")
            .iter()
            .filter_map(|k| k.query_selector(".key-name").ok().flatten()?.text_content())
            .collect::<Vec<_>>()
    };
    assert_eq!(touched(), ["\"b\""]);
    app.run("HSET h f v").await;
    assert_eq!(touched(), ["\"h\""]);
    app.run("GET a").await;
    assert!(touched().is_empty(), "a read touches nothing");
}

#[wasm_bindgen_test]
async fn ttls_count_down_and_expired_keys_disappear() {
    let app = mount(App);
    settle().await;
    app.button("Pause").click();
    settle().await;
    app.run("SET likes 100").await;
    app.run("EXPIRE likes 10").await;
    assert_eq!(app.last_output(), "(integer) 1");
    assert_eq!(app.text(".key-ttl"), "TTL 10.0 s");
    app.button("+1 s").click();
    settle().await;
    assert_eq!(app.text(".key-ttl"), "TTL 9.0 s");
    app.run("TTL likes").await;
    assert_eq!(app.last_output(), "(integer) 9");
    app.button("+10 s").click();
    settle().await;
    assert!(app.keys().is_empty(), "the key expired: {:?}", app.keys());
    assert_eq!(app.text(".key-count"), "(empty keyspace)");
    app.run("GET likes").await;
    assert_eq!(app.last_output(), "(nil)");
    app.run("DBSIZE").await;
    assert_eq!(app.last_output(), "(integer) 0");
}

#[wasm_bindgen_test]
async fn big_keyspaces_and_values_are_shown_in_part() {
    let app = mount(App);
    settle().await;
    for i in 0..MAX_KEYS_SHOWN + 5 {
        app.run(&format!("SET k{i:04} {i}")).await;
    }
    assert_eq!(app.keys().len(), MAX_KEYS_SHOWN);
    assert_eq!(
        app.text(".key-count"),
        format!(
            "{} keys (the first {MAX_KEYS_SHOWN} shown)",
            MAX_KEYS_SHOWN + 5
        )
    );
    let fields: Vec<String> = (0..60).map(|i| format!("f{i} {i}")).collect();
    app.run(&format!("HSET aaa {}", fields.join(" "))).await;
    let card = app.query(".inspector .key");
    assert_eq!(
        card.query_selector_all("tbody tr")
            .map(|l| l.length())
            .unwrap_or(0),
        50
    );
    assert!(card
        .text_content()
        .unwrap_or_default()
        .contains("… and 10 more"));
}

#[wasm_bindgen_test]
fn ttl_labels_read_naturally() {
    assert_eq!(ttl_label(10_000), "10.0 s");
    assert_eq!(ttl_label(9_401), "9.5 s");
    assert_eq!(ttl_label(1), "0.1 s");
    assert_eq!(ttl_label(0), "0.0 s");
    assert_eq!(ttl_label(-5), "0.0 s");
    assert_eq!(ttl_label(245_000), "4 min 05 s");
    assert_eq!(ttl_label(100_000_000), "27 h 46 min");
    assert_eq!(ttl_label(i64::MAX), "2562047788015 h 12 min");
}
