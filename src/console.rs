//! One console line in, what redis-cli would print out: the part shared by `redis-sim` and the
//! web console.
//!
//! [`eval_line`] follows redis-cli's interactive loop (`repl()` in redis-cli.c), which is also
//! what redis-cli runs on piped input:
//!
//! - a blank line prints nothing; a line that does not split ([`tokenizer`]) prints
//!   `Invalid argument(s)`;
//! - a first argument that is a number, followed by more, repeats the rest: `3 INCR n` runs INCR
//!   three times (zero, negative or overflowing counts print
//!   `Invalid redis-cli repeat command option value.`);
//! - `quit` / `exit` end the session, `clear` clears the screen, `:set hints` and other `:`
//!   words are redis-cli preferences;
//! - `HELP` / `HELP <command>` (or `?`) are answered here, never sent to the engine;
//! - anything else is executed and the reply printed by [`format`] — as it arrives over RESP2,
//!   or over RESP3 as `redis-cli -3` prints it ([`eval_line_in`]: maps `1# "f" => "v"`, doubles
//!   `(double) 1.5`, sets, …).
//!
//! A blocking command with nothing to pop (BZPOPMIN, BZMPOP…) waits as its host says ([`Wait`]):
//!
//! - [`Wait::Alone`] ([`eval_line`], `redis-sim`'s terminal): the console is its engine's only
//!   client, so no other client's write can wake it: it waits out its timeout on the engine's
//!   clock — the clock jumps to the deadline, and the timeout reply (nil) is printed; the jump is
//!   in [`Output::waited_ms`]. A timeout of 0 (for ever) is refused with a message instead of
//!   freezing.
//! - [`Wait::Blocked`] ([`eval_line_with`], the page): the client stays blocked and the line
//!   answers [`Kind::Waiting`]; the host's clock passing the deadline, or a write by another client,
//!   wakes it, and its reply comes through [`Engine::take_wakeup`] (printed by [`reply_lines`]).
//!   A repeat count stops at the first wait.
//!
//! Deliberate differences from redis-cli: HELP prints our own text, and a repeat count above
//! [`MAX_REPEAT`] is refused so that a typo cannot freeze a browser tab.
//!
//! ```
//! use incr_lab::console::{eval_line, Kind};
//! use incr_lab::engine::Engine;
//! let mut engine = Engine::new(0);
//! let out = eval_line(&mut engine, 1, b"2 INCR likes");
//! assert_eq!(out.kind, Kind::Reply);
//! assert_eq!(out.to_bytes(), b"(integer) 1\n(integer) 2\n");
//! ```
//!
//! [`tokenizer`]: crate::cli::tokenizer
//! [`format`]: crate::cli::format

use crate::cli::format::write_reply_in;
use crate::cli::help::help_lines;
use crate::cli::tokenizer::{split_args, SplitError};
use crate::engine::{ClientId, Engine, Outcome, Protocol, Reply};

/// The largest repeat count (`N COMMAND …`) the console runs.
pub const MAX_REPEAT: i64 = 10_000;

/// What a line produced, for a UI to style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing to show (a blank line, or a preference that was set).
    Nothing,
    /// The engine's reply (for a repeated command: the last reply was not an error).
    Reply,
    /// The engine answered with an error (for a repeated command: the last reply).
    Error,
    /// The console refused the line itself (bad quoting, bad repeat count, unknown `:` word);
    /// nothing reached the engine.
    Invalid,
    /// Help text.
    Help,
    /// `clear`: the screen should be cleared. No lines.
    Clear,
    /// `quit` or `exit`: the session should end. No lines.
    Quit,
    /// The client blocked ([`Wait::Blocked`]): its reply comes later. The lines are those of the
    /// repeats before it.
    Waiting,
}

/// What the console does when its client blocks (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Nothing else can wake the client: it waits out its timeout at once, on the engine's clock.
    Alone,
    /// The client stays blocked, and the line answers [`Kind::Waiting`].
    Blocked,
}

/// The result of one console line: its kind and the lines redis-cli would print, each without
/// its `\n`. Lines are bytes because replies are: a value may be any bytes, an error may echo
/// them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// How the UI should show it.
    pub kind: Kind,
    /// The printed lines.
    pub lines: Vec<Vec<u8>>,
    /// How long the line waited on the engine's clock, in ms: a blocking command with nothing
    /// to pop waits until its timeout (see the module documentation). The engine's clock has
    /// moved on by this much; a host keeping its own clock moves it too (the page's virtual clock;
    /// `redis-sim`, on the wall clock, sleeps it).
    pub waited_ms: i64,
}

impl Output {
    fn new(kind: Kind) -> Output {
        Output {
            kind,
            lines: Vec::new(),
            waited_ms: 0,
        }
    }

    fn message(kind: Kind, text: impl Into<Vec<u8>>) -> Output {
        Output {
            kind,
            lines: vec![text.into()],
            waited_ms: 0,
        }
    }

    /// What a terminal gets: every line followed by `\n`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for line in &self.lines {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out
    }

    /// The lines as text, for a UI (invalid UTF-8 becomes U+FFFD).
    pub fn text_lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect()
    }
}

/// Evaluates one console line on behalf of `client`, the engine's only client (see the module
/// documentation), printing replies as plain `redis-cli` does (RESP2).
pub fn eval_line(engine: &mut Engine, client: ClientId, line: impl AsRef<[u8]>) -> Output {
    eval_line_in(engine, client, line, Protocol::Resp2)
}

/// [`eval_line`], printing replies as they arrive over `protocol`: for RESP3, as `redis-cli -3`
/// prints them.
pub fn eval_line_in(
    engine: &mut Engine,
    client: ClientId,
    line: impl AsRef<[u8]>,
    protocol: Protocol,
) -> Output {
    eval_line_with(engine, client, line, protocol, Wait::Alone)
}

/// [`eval_line_in`], waiting as `wait` says when the client blocks.
pub fn eval_line_with(
    engine: &mut Engine,
    client: ClientId,
    line: impl AsRef<[u8]>,
    protocol: Protocol,
    wait: Wait,
) -> Output {
    let help = |topic: &[Vec<u8>]| Some(help_lines(topic));
    eval(
        engine,
        client,
        line.as_ref(),
        protocol,
        wait,
        |_| true,
        help,
    )
    .unwrap_or_else(|| Output::new(Kind::Nothing))
}

/// [`eval_line_with`] for a console that has neither HELP's text nor every command (the
/// console-lite, on an [`Engine::core`]): `None`, and nothing runs, when the line asks for HELP or
/// for a command `runs` refuses (given its name as typed); else what [`eval_line_with`] answers.
/// What this leaves out is then not in the binary.
pub fn eval_line_core(
    engine: &mut Engine,
    client: ClientId,
    line: impl AsRef<[u8]>,
    protocol: Protocol,
    wait: Wait,
    runs: impl Fn(&[u8]) -> bool,
) -> Option<Output> {
    eval(engine, client, line.as_ref(), protocol, wait, runs, |_| {
        None
    })
}

/// [`eval_line_with`], asking `runs` whether a command runs here and `help` for HELP's lines.
fn eval(
    engine: &mut Engine,
    client: ClientId,
    line: &[u8],
    protocol: Protocol,
    wait: Wait,
    runs: impl Fn(&[u8]) -> bool,
    help: impl FnOnce(&[Vec<u8>]) -> Option<Vec<String>>,
) -> Option<Output> {
    let argv = match split_args(line) {
        Ok(argv) => argv,
        Err(_) => return Some(Output::message(Kind::Invalid, SplitError::REDIS_CLI_TEXT)),
    };
    let Some(first) = argv.first() else {
        return Some(Output::new(Kind::Nothing));
    };
    let first = c_str(first);
    let mut repeat = 1;
    let mut skip = 0;
    if argv.len() > 1 {
        match repeat_count(first) {
            None => {}
            Some(Some(count)) if (1..=MAX_REPEAT).contains(&count) => (repeat, skip) = (count, 1),
            Some(Some(count)) if count > MAX_REPEAT => {
                let text = format!("Repeat counts above {MAX_REPEAT} are not run here.");
                return Some(Output::message(Kind::Invalid, text));
            }
            Some(_) => {
                return Some(Output::message(
                    Kind::Invalid,
                    "Invalid redis-cli repeat command option value.",
                ));
            }
        }
    }
    let word = |w: &str| first.eq_ignore_ascii_case(w.as_bytes());
    if word("quit") || word("exit") {
        return Some(Output::new(Kind::Quit));
    }
    if first.first() == Some(&b':') {
        return Some(preference(&argv));
    }
    if word("restart") {
        return Some(Output::message(
            Kind::Invalid,
            "Use 'restart' only in Lua debugging mode.",
        ));
    }
    if argv.len() == 1 && word("clear") {
        return Some(Output::new(Kind::Clear));
    }
    let command = &argv[skip..];
    let name = command.first().map_or(&[][..], |n| c_str(n));
    if name.eq_ignore_ascii_case(b"help") || name == b"?" {
        // Printed once, whatever the repeat count (redis-cli's issueCommandRepeat).
        let lines = help(command.get(1..).unwrap_or_default())?;
        return Some(Output {
            kind: Kind::Help,
            lines: lines.into_iter().map(String::into_bytes).collect(),
            waited_ms: 0,
        });
    }
    if !runs(name) {
        return None;
    }
    let mut printed = Vec::new();
    let mut kind = Kind::Reply;
    let mut waited_ms = 0i64;
    for _ in 0..repeat {
        let reply = match engine.execute_or_block(client, command) {
            Outcome::Reply(reply) => reply,
            Outcome::Blocked if wait == Wait::Blocked => {
                kind = Kind::Waiting;
                break;
            }
            Outcome::Blocked => match wait_alone(engine, client) {
                Some((reply, waited)) => {
                    waited_ms = waited_ms.saturating_add(waited);
                    reply
                }
                None => {
                    let name = String::from_utf8_lossy(name).to_ascii_uppercase();
                    let text = format!(
                        "{name} with timeout 0 would wait for ever: no other client here can \
                         wake it. Give it a timeout in seconds."
                    );
                    return Some(Output::message(Kind::Invalid, text));
                }
            },
        };
        kind = if matches!(reply, Reply::Error(_)) {
            Kind::Error
        } else {
            Kind::Reply
        };
        write_reply_in(&mut printed, &reply, protocol);
    }
    Some(Output {
        kind,
        lines: split_lines(&printed),
        waited_ms,
    })
}

/// The lines redis-cli prints for `reply` as it arrives over `protocol` (a woken client's, see
/// [`Wait::Blocked`]).
pub fn reply_lines(reply: &Reply, protocol: Protocol) -> Vec<Vec<u8>> {
    let mut printed = Vec::new();
    write_reply_in(&mut printed, reply, protocol);
    split_lines(&printed)
}

/// Formatted replies cut into lines, without their `\n`.
fn split_lines(printed: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = printed.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    // Every formatted reply ends with a newline: drop the empty piece after the last one.
    lines.pop();
    lines
}

/// `client` blocked, and is the only client: nobody can wake it, so its wait runs out — the
/// engine's clock moves past its deadline, and its timeout reply is the answer, with the ms
/// waited. None when it would wait for ever (it is unblocked, without an answer).
fn wait_alone(engine: &mut Engine, client: ClientId) -> Option<(Reply, i64)> {
    let deadline = engine.block_deadline(client);
    let before = engine.now_ms();
    if let Some(deadline) = deadline {
        // A deadline is passed once the clock is beyond it.
        engine.set_now_ms(deadline.saturating_add(1).max(before));
    }
    // For ever, or a deadline the clock cannot pass: unblocked as CLIENT UNBLOCK would.
    engine.unblock(client);
    let reply = engine.take_wakeup(client)?;
    deadline.map(|_| (reply, engine.now_ms().saturating_sub(before)))
}

/// redis-cli's `cliSetPreferences` for a line whose first word starts with `:`.
fn preference(argv: &[Vec<u8>]) -> Output {
    let first = argv.first().map_or(&[][..], |a| c_str(a));
    if first.eq_ignore_ascii_case(b":set") && argv.len() >= 2 {
        let value = c_str(&argv[1]);
        if value.eq_ignore_ascii_case(b"hints") || value.eq_ignore_ascii_case(b"nohints") {
            return Output::new(Kind::Nothing);
        }
        let text = [b"unknown redis-cli preference '", value, b"'"].concat();
        return Output::message(Kind::Invalid, text);
    }
    let text = [b"unknown redis-cli internal command '", first, b"'"].concat();
    Output::message(Kind::Invalid, text)
}

/// The bytes C sees of an argument: up to its first NUL.
fn c_str(arg: &[u8]) -> &[u8] {
    match arg.iter().position(|&b| b == 0) {
        Some(end) => &arg[..end],
        None => arg,
    }
}

/// redis-cli's repeat test, `strtol(arg, &end, 10)` then `*end == '\0'`: `None` when `arg` (a C
/// string) is not wholly a number, `Some(None)` when it overflows a long, else its value. Blanks
/// may lead and a sign may precede the digits; an empty string reads as 0.
fn repeat_count(arg: &[u8]) -> Option<Option<i64>> {
    if arg.is_empty() {
        return Some(Some(0));
    }
    let start = arg
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(arg.len());
    let rest = &arg[start..];
    let (negative, digits) = match rest.split_first() {
        Some((b'-', tail)) => (true, tail),
        Some((b'+', tail)) => (false, tail),
        _ => (false, rest),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut value: i64 = 0;
    for &d in digits {
        let d = i64::from(d - b'0');
        let next = value.checked_mul(10).and_then(|v| {
            if negative {
                v.checked_sub(d)
            } else {
                v.checked_add(d)
            }
        });
        match next {
            Some(v) => value = v,
            None => return Some(None),
        }
    }
    Some(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one line and returns what a terminal would show.
    fn run(engine: &mut Engine, line: &str) -> String {
        String::from_utf8_lossy(&eval_line(engine, 1, line).to_bytes()).into_owned()
    }

    #[test]
    fn replies_are_printed_like_redis_cli() {
        let mut e = Engine::new(0);
        assert_eq!(run(&mut e, "SET likes 100"), "OK\n");
        assert_eq!(run(&mut e, "incr likes"), "(integer) 101\n");
        assert_eq!(run(&mut e, "GET likes"), "\"101\"\n");
        assert_eq!(run(&mut e, "GET nothing"), "(nil)\n");
        assert_eq!(
            run(&mut e, "INCR"),
            "(error) ERR wrong number of arguments for 'incr' command\n"
        );
        assert_eq!(eval_line(&mut e, 1, "INCR").kind, Kind::Error);
        assert_eq!(eval_line(&mut e, 1, "INCR likes").kind, Kind::Reply);
    }

    #[test]
    fn a_blocking_command_waits_out_its_timeout_on_the_engines_clock() {
        let mut e = Engine::new(10_000);
        let out = eval_line(&mut e, 1, "BZPOPMIN queue 2.5");
        assert_eq!(out.text_lines(), ["(nil)"]);
        assert_eq!((out.kind, out.waited_ms), (Kind::Reply, 2_501));
        assert_eq!(e.now_ms(), 12_501);
        assert!(!e.is_blocked(1));
        // With something to pop it does not wait.
        run(&mut e, "ZADD queue 1 job");
        let out = eval_line(&mut e, 1, "BZMPOP 1 1 queue MIN");
        assert_eq!(out.waited_ms, 0);
        assert_eq!(
            out.text_lines(),
            ["1) \"queue\"", "2) 1) 1) \"job\"", "      2) \"1\""]
        );
        // Repeated, the waits add up.
        assert_eq!(eval_line(&mut e, 1, "2 BZPOPMAX queue 0.1").waited_ms, 202);
        // For ever: refused, and nothing waits.
        let out = eval_line(&mut e, 1, "bzpopmin queue 0");
        assert_eq!(out.kind, Kind::Invalid);
        assert!(out.text_lines()[0].starts_with("BZPOPMIN with timeout 0 would wait for ever"));
        assert!(!e.is_blocked(1));
        assert_eq!(run(&mut e, "PING"), "PONG\n");
    }

    #[test]
    fn a_blocked_client_stays_blocked_when_the_host_lets_it_wait() {
        let mut e = Engine::new(10_000);
        run(&mut e, "ZADD queue 1 a");
        let out = eval_line_with(
            &mut e,
            1,
            "3 BZPOPMIN queue 2",
            Protocol::Resp2,
            Wait::Blocked,
        );
        // The first repeat pops, the second blocks, the third is not run.
        assert_eq!(out.kind, Kind::Waiting);
        assert_eq!(out.text_lines(), ["1) \"queue\"", "2) \"a\"", "3) \"1\""]);
        assert_eq!((e.is_blocked(1), e.block_deadline(1)), (true, Some(12_000)));
        // Another client's write wakes it.
        assert_eq!(
            e.execute(2, &["ZADD", "queue", "2", "b"]),
            Reply::Integer(1)
        );
        let reply = e.take_wakeup(1).expect("woken");
        let lines: Vec<String> = reply_lines(&reply, Protocol::Resp2)
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect();
        assert_eq!(lines, ["1) \"queue\"", "2) \"b\"", "3) \"2\""]);
        let resp3 = reply_lines(&reply, Protocol::Resp3);
        assert_eq!(resp3.last().map(Vec::as_slice), Some(&b"3) (double) 2"[..]));
        // Or the clock.
        let out = eval_line_with(
            &mut e,
            1,
            "BZMPOP 0.5 1 queue MIN",
            Protocol::Resp3,
            Wait::Blocked,
        );
        assert_eq!((out.kind, out.lines.len()), (Kind::Waiting, 0));
        e.advance_ms(501);
        assert_eq!(e.take_wakeup(1), Some(Reply::NilArray));
        assert!(!e.is_blocked(1));
    }

    #[test]
    fn resp3_prints_like_redis_cli_dash_3() {
        let mut e = Engine::new(0);
        let mut run3 = |line: &str| {
            let out = eval_line_in(&mut e, 1, line, Protocol::Resp3);
            String::from_utf8_lossy(&out.to_bytes()).into_owned()
        };
        assert_eq!(run3("ZADD z 1.5 m"), "(integer) 1\n");
        assert_eq!(run3("ZSCORE z m"), "(double) 1.5\n");
        assert_eq!(
            run3("ZRANGE z 0 -1 WITHSCORES"),
            "1) 1) \"m\"\n   2) (double) 1.5\n"
        );
        assert_eq!(run3("HSET h f v"), "(integer) 1\n");
        assert_eq!(run3("HGETALL h"), "1# \"f\" => \"v\"\n");
        assert_eq!(run3("HGETALL nokey"), "(empty hash)\n");
        assert_eq!(run3("GET nokey"), "(nil)\n");
        assert_eq!(run(&mut e, "ZSCORE z m"), "\"1.5\"\n");
    }

    #[test]
    fn blank_lines_print_nothing() {
        let mut e = Engine::new(0);
        assert_eq!(eval_line(&mut e, 1, ""), Output::new(Kind::Nothing));
        assert_eq!(eval_line(&mut e, 1, " \t\r"), Output::new(Kind::Nothing));
    }

    #[test]
    fn bad_quoting_is_refused_before_the_engine() {
        let mut e = Engine::new(0);
        let out = eval_line(&mut e, 1, "SET k \"oops");
        assert_eq!(out.kind, Kind::Invalid);
        assert_eq!(out.text_lines(), ["Invalid argument(s)"]);
        assert_eq!(run(&mut e, "SET k 'a'b"), "Invalid argument(s)\n");
        assert_eq!(run(&mut e, "DBSIZE"), "(integer) 0\n");
    }

    #[test]
    fn a_leading_number_repeats_the_command() {
        let mut e = Engine::new(0);
        assert_eq!(
            run(&mut e, "3 INCR n"),
            "(integer) 1\n(integer) 2\n(integer) 3\n"
        );
        assert_eq!(run(&mut e, "+2 INCR n"), "(integer) 4\n(integer) 5\n");
        assert_eq!(run(&mut e, "\" 1\" INCR n"), "(integer) 6\n");
        for bad in [
            "0 INCR n",
            "-1 INCR n",
            "\"\" INCR n",
            "99999999999999999999 INCR n",
        ] {
            assert_eq!(
                run(&mut e, bad),
                "Invalid redis-cli repeat command option value.\n",
                "{bad}"
            );
        }
        assert_eq!(
            run(&mut e, "3"),
            "(error) ERR unknown command '3', with args beginning with: \n"
        );
        assert_eq!(
            run(&mut e, "2 3 INCR n"),
            "(error) ERR unknown command '3', with args beginning with: 'INCR' 'n' \n\
             (error) ERR unknown command '3', with args beginning with: 'INCR' 'n' \n"
        );
        assert_eq!(run(&mut e, "GET n"), "\"6\"\n");
        assert_eq!(
            eval_line(&mut e, 1, "10001 INCR n").kind,
            Kind::Invalid,
            "beyond MAX_REPEAT"
        );
    }

    #[test]
    fn the_kind_of_a_repeated_command_is_its_last_reply() {
        let mut e = Engine::new(0);
        assert_eq!(run(&mut e, "SET n 9223372036854775806"), "OK\n");
        let out = eval_line(&mut e, 1, "2 INCR n");
        assert_eq!(
            out.text_lines(),
            [
                "(integer) 9223372036854775807",
                "(error) ERR increment or decrement would overflow"
            ]
        );
        assert_eq!(out.kind, Kind::Error);
    }

    #[test]
    fn session_words_are_handled_by_the_console() {
        let mut e = Engine::new(0);
        assert_eq!(eval_line(&mut e, 1, "quit").kind, Kind::Quit);
        assert_eq!(eval_line(&mut e, 1, "EXIT now").kind, Kind::Quit);
        assert_eq!(eval_line(&mut e, 1, "clear").kind, Kind::Clear);
        assert_eq!(
            run(&mut e, "clear all"),
            "(error) ERR unknown command 'clear', with args beginning with: 'all' \n"
        );
        assert_eq!(run(&mut e, ":set hints"), "");
        assert_eq!(
            run(&mut e, ":set colour"),
            "unknown redis-cli preference 'colour'\n"
        );
        assert_eq!(
            run(&mut e, ": x"),
            "unknown redis-cli internal command ':'\n"
        );
        assert_eq!(
            run(&mut e, "restart"),
            "Use 'restart' only in Lua debugging mode.\n"
        );
    }

    #[test]
    fn help_never_reaches_the_engine() {
        let mut e = Engine::new(0);
        e.execute(1, &["MULTI"]);
        let out = eval_line(&mut e, 1, "help incr");
        assert_eq!(out.kind, Kind::Help);
        assert_eq!(out.text_lines()[0], "  INCR key");
        assert_eq!(eval_line(&mut e, 1, "?").kind, Kind::Help);
        assert_eq!(eval_line(&mut e, 1, "3 HELP").kind, Kind::Help);
        assert_eq!(run(&mut e, "EXEC"), "(empty array)\n");
    }

    #[test]
    fn random_lines_never_panic_and_print_whole_lines() {
        // Lines glued from fragments that stress the splitter, the repeat prefix and the engine.
        const FRAGMENTS: &[&[u8]] = &[
            b"\"",
            b"'",
            b"\\",
            b"x",
            b"4",
            b"fF",
            b"g",
            b" ",
            b"\t",
            b"\r",
            b"\x0b",
            b"\0",
            b"\xff",
            b"\xc3\xa9",
            b"\\x",
            b"\\'",
            b"INCR ",
            b"SET ",
            b"GET ",
            b"HSET ",
            b"EXPIRE ",
            b"MULTI",
            b"EXEC",
            b"WATCH ",
            b"HELP ",
            b"? ",
            b":",
            b":set ",
            b"quit",
            b"clear",
            b"3 ",
            b"0 ",
            b"-1 ",
            b"+2 ",
            b"k ",
            b"f ",
            b"9223372036854775807 ",
            b"EX ",
            b"NX ",
        ];
        let mut rng = crate::simulation::rng::Rng::new(0x1234_5678);
        let mut next = move || rng.next_u64();
        let mut e = Engine::new(0);
        for _ in 0..20_000 {
            let pieces = next() % 8;
            let mut line = Vec::new();
            for _ in 0..pieces {
                let pick = usize::try_from(next() % FRAGMENTS.len() as u64).unwrap_or(0);
                line.extend_from_slice(FRAGMENTS[pick]);
            }
            let client = next() % 3;
            let out = eval_line(&mut e, client, &line);
            assert!(
                out.lines.iter().all(|l| !l.contains(&b'\n')),
                "{:?}",
                line.escape_ascii().to_string()
            );
        }
    }

    #[test]
    fn values_keep_their_bytes() {
        let mut e = Engine::new(0);
        assert_eq!(run(&mut e, r#"SET k "caf\xc3\xa9\n""#), "OK\n");
        assert_eq!(run(&mut e, "GET k"), "\"caf\\xc3\\xa9\\n\"\n");
        let out = eval_line(&mut e, 1, b"\"\xff\" x".as_slice());
        assert_eq!(
            out.lines,
            [b"(error) ERR unknown command '\xff', with args beginning with: 'x' ".to_vec()]
        );
    }
}
