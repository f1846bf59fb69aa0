//! Lab 4 — a live leaderboard with `ZINCRBY`.
//!
//! Players score; each score is one `ZINCRBY leaderboard <points> <player>`, atomic like INCR, so
//! no point is lost however many games end at once. The page reads the top 10 with
//! `ZREVRANGE leaderboard 0 9 WITHSCORES` and a chosen player's place with `ZREVRANK` and `ZSCORE`.
//!
//! The detail the article leaves out: players with equal scores are not ordered by who got there
//! first. A sorted set orders equal scores by member name, byte by byte, and ZREVRANGE reverses the
//! whole order — so among equal scores, names run from Z to A. A game that wants "first to reach
//! the score ranks higher" must fold time into the score.

use std::rc::Rc;

use super::{redis, text, Driver, Lab, DASHBOARD_CLIENT, EPOCH_MS, SECOND_US};
use crate::engine::{Engine, Reply};
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};

/// The sorted set's key.
pub const KEY: &str = "leaderboard";

/// Player names, after people who shaped computing.
pub const NAMES: [&str; 24] = [
    "ada",
    "alan",
    "barbara",
    "bjarne",
    "brendan",
    "dennis",
    "donald",
    "edsger",
    "frances",
    "grace",
    "guido",
    "hedy",
    "james",
    "john",
    "ken",
    "larry",
    "linus",
    "margaret",
    "niklaus",
    "radia",
    "rob",
    "tim",
    "yukihiro",
    "katherine",
];

/// Player `i`'s name: one of [`NAMES`], then `player:<i>`.
pub fn player_name(i: usize) -> String {
    match NAMES.get(i) {
        Some(name) => (*name).to_owned(),
        None => format!("player:{i}"),
    }
}

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardConfig {
    /// Players.
    pub players: usize,
    /// Scores posted, spread at random over the run.
    pub scores: usize,
    /// How long the run lasts, in seconds.
    pub seconds: u32,
    /// Points per score: 1 to this.
    pub max_points: u32,
    /// The seed.
    pub seed: u64,
}

impl Default for BoardConfig {
    /// 16 players, 1,500 scores of 1–5 points over 30 s.
    fn default() -> Self {
        BoardConfig {
            players: 16,
            scores: 1_500,
            seconds: 30,
            max_points: 5,
            seed: 1,
        }
    }
}

/// One game result: a ZINCRBY.
#[derive(Clone, Debug)]
pub struct Scorer {
    players: Rc<[Rc<str>]>,
    max_points: u32,
    /// The player and points, once chosen.
    pub scored: Option<(usize, i64)>,
}

impl Program for Scorer {
    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        let n = self.players.len() as u64;
        // Skewed: low-numbered players play more (the square of a uniform draw).
        let u = ctx.rng.below(1 << 16);
        let i = ((u * u * n) >> 32).min(n.saturating_sub(1)) as usize;
        let points = ctx.rng.between(1, u64::from(self.max_points.max(1))) as i64;
        self.scored = Some((i, points));
        let Some(player) = self.players.get(i) else {
            return Step::Done(Finish::Acknowledged);
        };
        Step::Send {
            think_us: 0,
            batch: Batch::one(
                redis(vec![
                    Arg::Word("ZINCRBY"),
                    text(KEY),
                    Arg::Int(points),
                    Arg::Text(player.clone()),
                ]),
                0,
            ),
        }
    }

    fn next(&mut self, _replies: &[Response], _ctx: &mut Ctx<'_>) -> Step {
        Step::Done(Finish::Acknowledged)
    }
}

/// One row of the board.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// 1 for the leader.
    pub place: usize,
    /// The player.
    pub player: String,
    /// The score as Redis prints it.
    pub score: String,
    /// True when another row of the board has the same score.
    pub tied: bool,
}

/// A chosen player's standing.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// 1 for the leader (ZREVRANK + 1).
    pub place: u64,
    /// The score as Redis prints it.
    pub score: String,
}

/// Lab 4, running.
pub struct BoardLab {
    config: BoardConfig,
    driver: Driver<Scorer>,
}

impl BoardLab {
    /// A run of `config`.
    pub fn new(config: BoardConfig) -> BoardLab {
        let players: Rc<[Rc<str>]> = (0..config.players.max(1))
            .map(|i| Rc::from(player_name(i)))
            .collect();
        let sim = SimBuilder::new()
            .clients(config.scores)
            .seed(config.seed)
            .key(KEY)
            .arrival_window_us(u64::from(config.seconds) * SECOND_US)
            .epoch_ms(EPOCH_MS)
            .journal(true)
            .build(Programs::new(|_| Scorer {
                players: players.clone(),
                max_points: config.max_points,
                scored: None,
            }));
        BoardLab {
            config,
            driver: Driver::new(sim),
        }
    }

    /// Runs to the end.
    pub fn run(&mut self) {
        self.run_until(u64::MAX);
    }

    /// Runs a command on the lab's engine, as the page's dashboard does, with its own client id;
    /// the reply as a RESP2 client reads it (scores as bulk strings, WITHSCORES flat).
    fn query(&mut self, argv: &[&str]) -> Reply {
        let reply = self.driver.sim.engine_mut().execute(DASHBOARD_CLIENT, argv);
        reply.resp2().into_owned()
    }

    /// Gives `player` `points` by hand (`ZINCRBY leaderboard <points> <player>`), as the page's
    /// "score" button does; returns the new score as Redis prints it.
    pub fn post(&mut self, player: &str, points: i64) -> String {
        let points = points.to_string();
        match self.query(&["ZINCRBY", KEY, &points, player]) {
            Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
            other => crate::simulation::reply_text(&other),
        }
    }

    /// The commands the dashboard runs, for the page to show (and make clickable).
    pub fn dashboard_commands(n: usize, player: &str) -> [String; 3] {
        [
            format!("ZREVRANGE {KEY} 0 {} WITHSCORES", n.max(1) - 1),
            format!("ZREVRANK {KEY} {player}"),
            format!("ZSCORE {KEY} {player}"),
        ]
    }

    /// The top `n`, from `ZREVRANGE leaderboard 0 n-1 WITHSCORES`.
    pub fn top(&mut self, n: usize) -> Vec<Row> {
        let stop = (n.max(1) - 1).to_string();
        let Reply::Array(items) = self.query(&["ZREVRANGE", KEY, "0", &stop, "WITHSCORES"]) else {
            return Vec::new();
        };
        let text = |r: &Reply| match r {
            Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
            _ => String::new(),
        };
        let mut rows: Vec<Row> = items
            .chunks(2)
            .enumerate()
            .map(|(i, pair)| Row {
                place: i + 1,
                player: pair.first().map(text).unwrap_or_default(),
                score: pair.get(1).map(text).unwrap_or_default(),
                tied: false,
            })
            .collect();
        let scores: Vec<String> = rows.iter().map(|r| r.score.clone()).collect();
        for row in &mut rows {
            row.tied = scores.iter().filter(|s| **s == row.score).count() > 1;
        }
        rows
    }

    /// `player`'s place and score (`ZREVRANK` + 1, `ZSCORE`), if it has scored.
    pub fn standing(&mut self, player: &str) -> Option<Standing> {
        let Reply::Integer(rank) = self.query(&["ZREVRANK", KEY, player]) else {
            return None;
        };
        let Reply::Bulk(score) = self.query(&["ZSCORE", KEY, player]) else {
            return None;
        };
        Some(Standing {
            place: rank.max(0) as u64 + 1,
            score: String::from_utf8_lossy(&score).into_owned(),
        })
    }

    /// Points each player was sent by the scorers that have started, by the scorers' own account
    /// (once the run is over, what the board must show).
    pub fn points_sent(&self) -> Vec<i64> {
        let mut points = vec![0i64; self.config.players.max(1)];
        for (i, p) in self.driver.sim.programs().iter().filter_map(|s| s.scored) {
            if let Some(slot) = points.get_mut(i) {
                *slot += p;
            }
        }
        points
    }
}

impl Lab for BoardLab {
    lab_reads_its_driver!(run_until);
}
