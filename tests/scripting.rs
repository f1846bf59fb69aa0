//! Lua scripting in the engine: EVAL and friends, read like a console session. The byte-for-byte
//! comparison with a real Redis is `conformance_scripting.rs`.

use incr_lab::engine::scripting::{LuaClient, Step};
use incr_lab::engine::{Engine, Reply};

fn int(n: i64) -> Reply {
    Reply::Integer(n)
}

fn err(text: &str) -> Reply {
    Reply::error(text)
}

fn eval(e: &mut Engine, script: &str, keys: &[&str], args: &[&str]) -> Reply {
    let numkeys = keys.len().to_string();
    let mut argv = vec!["EVAL", script, numkeys.as_str()];
    argv.extend_from_slice(keys);
    argv.extend_from_slice(args);
    e.execute(1, &argv)
}

#[test]
fn a_script_calls_commands_and_returns_their_results() {
    let mut e = Engine::new(0);
    assert_eq!(
        eval(
            &mut e,
            "return redis.call('INCR', KEYS[1])",
            &["likes"],
            &[]
        ),
        int(1)
    );
    assert_eq!(
        eval(
            &mut e,
            "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
            &["k"],
            &["v"]
        ),
        Reply::bulk("v")
    );
    assert_eq!(eval(&mut e, "return 10/3", &[], &[]), int(3));
    assert_eq!(
        eval(&mut e, "return tostring(10/3)", &[], &[]),
        Reply::bulk("3.3333333333333")
    );
    assert_eq!(
        eval(&mut e, "return {1, 2, nil, 4}", &[], &[]),
        Reply::Array(vec![int(1), int(2)])
    );
    assert_eq!(
        eval(&mut e, "return redis.call('GET', 'nokey')", &[], &[]),
        Reply::Nil
    );
    assert_eq!(
        eval(&mut e, "return {ok='fine'}", &[], &[]),
        Reply::status("fine")
    );
}

#[test]
fn errors_carry_the_script_and_line() {
    let mut e = Engine::new(0);
    let sha = "c8852319f456a7dcbaae1e074ba660e2d8e28f5e";
    assert_eq!(
        eval(&mut e, "error('lvl')", &[], &[]),
        err(&format!(
            "ERR user_script:1: lvl script: {sha}, on @user_script:1."
        ))
    );
    assert_eq!(
        eval(&mut e, "return redis.call('nosuch')", &[], &[]),
        err("ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.")
    );
    assert_eq!(
        eval(&mut e, "return redis.pcall('nosuch')", &[], &[]),
        err("ERR Unknown Redis command called from script")
    );
    assert_eq!(
        eval(&mut e, "return 1 +", &[], &[]),
        err("ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'")
    );
    assert_eq!(
        eval(&mut e, "return pcall(redis.call, 'nosuch')", &[], &[]),
        Reply::Nil
    );
    assert_eq!(
        eval(
            &mut e,
            "local ok, e = pcall(redis.call, 'nosuch') return e",
            &[],
            &[]
        ),
        Reply::bulk("ERR Unknown Redis command called from script")
    );
    assert_eq!(
        eval(&mut e, "x = 1", &[], &[]),
        err("ERR user_script:1: Attempt to modify a readonly table script: 34bce5f775de97f557a34088509c8bfe1ea17e52, on @user_script:1.")
    );
}

#[test]
fn a_runaway_script_is_killed_by_the_budget() {
    let mut e = Engine::new(0);
    e.set_script_budget(100_000);
    let reply = eval(&mut e, "local i = 0 while true do i = i + 1 end", &[], &[]);
    let Reply::Error(text) = reply else {
        panic!("{reply:?}")
    };
    let text = String::from_utf8_lossy(&text).into_owned();
    assert!(
        text.starts_with("ERR Script killed after 100000 Lua instructions"),
        "{text}"
    );
    let reply = eval(
        &mut e,
        "while true do pcall(function() while true do end end) end",
        &[],
        &[],
    );
    assert!(reply.is_error(), "{reply:?}");
    // The engine works on.
    assert_eq!(eval(&mut e, "return 1", &[], &[]), int(1));
}

#[test]
fn a_lua_client_runs_the_same_text_one_round_trip_at_a_time() {
    let text = b"local n = tonumber(redis.call('GET', KEYS[1]) or '0') redis.call('SET', KEYS[1], n + 1) return n + 1";
    let mut engine = Engine::new(0);
    let mut a = LuaClient::new(text, &[b"likes"], &[]).unwrap();
    let mut b = LuaClient::new(text, &[b"likes"], &[]).unwrap();
    // Both read before either writes: a lost update, impossible inside EVAL.
    let Step::Command(get_a) = a.start() else {
        panic!()
    };
    let Step::Command(get_b) = b.start() else {
        panic!()
    };
    let ra = engine.execute(1, &get_a);
    let rb = engine.execute(2, &get_b);
    let Step::Command(set_a) = a.resume(ra) else {
        panic!()
    };
    let Step::Command(set_b) = b.resume(rb) else {
        panic!()
    };
    let ra = engine.execute(1, &set_a);
    let rb = engine.execute(2, &set_b);
    assert_eq!(a.resume(ra), Step::Done(int(1)));
    assert_eq!(b.resume(rb), Step::Done(int(1)));
    assert_eq!(engine.execute(1, &["GET", "likes"]), Reply::bulk("1"));
}

#[test]
fn a_lua_client_replays_the_same_steps_from_the_same_replies() {
    let text = b"local r = math.random(1000) redis.call('SET', KEYS[1], r) return redis.call('GET', KEYS[1])";
    let mut client = LuaClient::new(text, &[b"k"], &[]).unwrap();
    let run = |client: &mut LuaClient| {
        let mut engine = Engine::new(0);
        let mut steps = Vec::new();
        let mut step = client.start();
        while let Step::Command(argv) = &step {
            steps.push(argv.clone());
            let reply = engine.execute(1, argv);
            step = client.resume(reply);
        }
        (steps, step)
    };
    let first = run(&mut client);
    assert_eq!(run(&mut client), first);
    assert!(matches!(first.1, Step::Done(Reply::Bulk(_))));
    // Errors come back as EVAL words them; a compile error before any step.
    let mut failing = LuaClient::new(b"return redis.call('nosuch')", &[], &[]).unwrap();
    let Step::Command(argv) = failing.start() else {
        panic!()
    };
    let reply = Engine::new(0).execute(1, &argv);
    let Step::Failed(Reply::Error(text)) = failing.resume(reply) else {
        panic!()
    };
    assert!(
        text.starts_with(b"ERR unknown command 'nosuch'"),
        "{}",
        String::from_utf8_lossy(&text)
    );
    assert!(LuaClient::new(b"return 1 +", &[], &[]).is_err());
}
