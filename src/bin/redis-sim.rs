//! `redis-sim`: the incr-lab engine behind a redis-cli-style prompt, on the wall clock.
//!
//! Piped input is read one command per line and answered exactly as `redis-cli --no-raw` answers
//! the same lines against a real server (`redis-sim -3` as `redis-cli -3 --no-raw`: replies as they
//! arrive over RESP3). On a terminal it is an interactive prompt.
//!
//! A native tool: cargo builds every binary for wasm32 too (the browser tests need that), so there
//! it compiles to nothing.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use incr_lab::classroom::server::{DEFAULT_BIND as CLASS_BIND, DEFAULT_PORT as CLASS_PORT};
use incr_lab::console::{eval_line_in, Kind};
use incr_lab::engine::{ClientId, Engine, Limits, Protocol};
use incr_lab::server::{DEFAULT_BIND, DEFAULT_PORT};
use incr_lab::wall_clock::wall_clock_ms;

/// The `--help` text.
fn usage() -> String {
    format!(
        "\
redis-sim: the incr-lab engine (Redis 7.0 semantics) in a terminal

Usage:
  redis-sim [-3]            read commands in redis-cli syntax, one per line, from standard input;
                            on a terminal, an interactive prompt (type HELP, or quit); with -3,
                            replies are printed as they arrive over RESP3 (as redis-cli -3 does)
  redis-sim serve [--port N] [--bind ADDR]
                            serve real Redis clients over RESP (default {DEFAULT_BIND}:{DEFAULT_PORT})
  redis-sim classroom [--port N] [--bind ADDR] [--dist DIR] [--redis HOST:PORT]
                            a live classroom: serve the built site (default ./dist) and a room
                            that every student's phone joins (default {CLASS_BIND}:{CLASS_PORT});
                            prints the join address and the projector's; with --redis the room
                            runs on that real Redis instead of the engine
  redis-sim --help          this text

Piped output is what `redis-cli --no-raw` (with -3: `redis-cli -3 --no-raw`) prints for the same
input against a real server.
"
    )
}

/// The one client of the console.
const CLIENT: ClientId = 1;

/// What the command line asks for.
enum Mode {
    Console(Protocol),
    Help,
    Serve { port: u16, bind: String },
    Classroom(incr_lab::classroom::server::Options),
}

fn parse_args(args: &[String]) -> Result<Mode, String> {
    match args.split_first() {
        None => Ok(Mode::Console(Protocol::Resp2)),
        Some((first, [])) if first == "-3" => Ok(Mode::Console(Protocol::Resp3)),
        Some((first, [])) if first == "--help" || first == "-h" => Ok(Mode::Help),
        Some((first, rest)) if first == "serve" => {
            let (mut port, mut bind) = (DEFAULT_PORT, DEFAULT_BIND.to_owned());
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or(format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--port" => port = value.parse().map_err(|_| format!("bad port '{value}'"))?,
                    "--bind" => bind = value.clone(),
                    _ => return Err(format!("unknown option '{flag}'")),
                }
            }
            Ok(Mode::Serve { port, bind })
        }
        Some((first, rest)) if first == "classroom" => {
            let mut options = incr_lab::classroom::server::Options::default();
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or(format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--port" => {
                        options.port = value.parse().map_err(|_| format!("bad port '{value}'"))?
                    }
                    "--bind" => options.bind = value.clone(),
                    "--dist" => options.dist = value.into(),
                    "--redis" => options.redis = Some(value.clone()),
                    _ => return Err(format!("unknown option '{flag}'")),
                }
            }
            Ok(Mode::Classroom(options))
        }
        Some((first, _)) => Err(format!("unknown argument '{first}'")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Mode::Console(protocol)) => console(protocol),
        Ok(Mode::Help) => {
            print!("{}", usage());
            ExitCode::SUCCESS
        }
        Ok(Mode::Serve { port, bind }) => serve(port, &bind),
        Ok(Mode::Classroom(options)) => match incr_lab::classroom::server::run(&options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("redis-sim classroom: {e}");
                ExitCode::FAILURE
            }
        },
        Err(problem) => {
            eprint!("redis-sim: {problem}\n\n{}", usage());
            ExitCode::from(2)
        }
    }
}

/// `redis-sim serve`: the engine behind a RESP2 server, until SIGINT/SIGTERM.
fn serve(port: u16, bind: &str) -> ExitCode {
    let options = incr_lab::server::Options {
        bind: bind.to_owned(),
        port,
    };
    match incr_lab::server::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redis-sim serve: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads lines until end of input or `quit`, printing each line's output with replies as they
/// arrive over `protocol`.
fn console(protocol: Protocol) -> ExitCode {
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut input = stdin.lock();
    let mut stdout = io::stdout().lock();
    // No memory guard: that is for the browser tab. Here, as `redis-sim serve` and a
    // redis-server without maxmemory, writes never answer OOM.
    let mut engine = Engine::with_limits(wall_clock_ms(), Limits::none());
    let mut line = Vec::new();
    loop {
        if interactive {
            let prompt: &[u8] = if engine.in_multi(CLIENT) {
                b"redis-sim(TX)> "
            } else {
                b"redis-sim> "
            };
            if stdout
                .write_all(prompt)
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::FAILURE;
            }
        }
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => return ExitCode::SUCCESS,
            Ok(_) => {}
            Err(e) => {
                eprintln!("redis-sim: {e}");
                return ExitCode::FAILURE;
            }
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        engine.set_now_ms(wall_clock_ms());
        engine.active_expire_cycle();
        let started = Instant::now();
        let output = eval_line_in(&mut engine, CLIENT, &line, protocol);
        if output.waited_ms > 0 {
            // A blocking command waited out its timeout on the engine's clock: the wall clock,
            // which the engine follows, catches up (and the wait shows in the elapsed time).
            std::thread::sleep(Duration::from_millis(output.waited_ms.unsigned_abs()));
        }
        let mut printed = output.to_bytes();
        if matches!(output.kind, Kind::Reply | Kind::Error | Kind::Help) {
            // redis-cli reports a command (with its repeats) that took half a second or more.
            let elapsed_ms = started.elapsed().as_millis();
            if elapsed_ms >= 500 {
                let seconds = elapsed_ms as f64 / 1000.0;
                printed.extend_from_slice(format!("({seconds:.2}s)\n").as_bytes());
            }
        }
        let written = match output.kind {
            Kind::Quit => return ExitCode::SUCCESS,
            Kind::Clear => stdout.write_all(b"\x1b[H\x1b[2J"),
            _ => stdout.write_all(&printed),
        };
        if written.and_then(|()| stdout.flush()).is_err() {
            // The reader went away (a closed pipe): nothing more to say.
            return ExitCode::SUCCESS;
        }
    }
}
