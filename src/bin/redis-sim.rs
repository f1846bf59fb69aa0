//! `redis-sim`: the incr-lab engine behind a redis-cli-style prompt, on the wall clock.
//!
//! Piped input is read one command per line and answered exactly as `redis-cli --no-raw` answers
//! the same lines against a real server. On a terminal it is an interactive prompt.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use incr_lab::console::{eval_line, Kind};
use incr_lab::engine::{ClientId, Engine, Limits};

const USAGE: &str = "\
redis-sim: the incr-lab engine (Redis 7.0 semantics) in a terminal

Usage:
  redis-sim                 read commands in redis-cli syntax, one per line, from standard input;
                            on a terminal, an interactive prompt (type HELP, or quit)
  redis-sim serve [--port N] [--bind ADDR]
                            serve real Redis clients over RESP (default 127.0.0.1:6379)
  redis-sim --help          this text

Piped output is what `redis-cli --no-raw` prints for the same input against a real server.
";

/// The one client of the console.
const CLIENT: ClientId = 1;

/// What the command line asks for.
enum Mode {
    Console,
    Help,
    Serve { port: u16, bind: String },
}

fn parse_args(args: &[String]) -> Result<Mode, String> {
    match args.split_first() {
        None => Ok(Mode::Console),
        Some((first, [])) if first == "--help" || first == "-h" => Ok(Mode::Help),
        Some((first, rest)) if first == "serve" => {
            let (mut port, mut bind) = (6379, "127.0.0.1".to_owned());
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
        Some((first, _)) => Err(format!("unknown argument '{first}'")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Mode::Console) => console(),
        Ok(Mode::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Mode::Serve { port, bind }) => serve(port, &bind),
        Err(problem) => {
            eprint!("redis-sim: {problem}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `redis-sim serve`: the engine behind a RESP2 server, until SIGINT/SIGTERM.
#[cfg(not(target_arch = "wasm32"))]
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

/// The server is native-only; this stub lets every binary compile for wasm32, which cargo needs to
/// build the browser tests (`tests/*.rs` integration tests build all binaries).
#[cfg(target_arch = "wasm32")]
fn serve(_port: u16, _bind: &str) -> ExitCode {
    eprintln!("redis-sim serve: needs a native build");
    ExitCode::FAILURE
}

/// Unix time in milliseconds.
fn wall_clock_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Reads lines until end of input or `quit`, printing each line's output.
fn console() -> ExitCode {
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
        let output = eval_line(&mut engine, CLIENT, &line);
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
