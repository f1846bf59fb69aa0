//! Two or three clients stepped by hand, one command at a time (The Deadlock Empire's view).
//!
//! There is no network here: the learner is the scheduler. Each step runs the chosen client's next
//! command on the engine at once. Stepping back replays the history minus its last step from the
//! start, which is exact because everything is deterministic.

use super::program::{
    Batch, Ctx, Finish, Program, Request, Response, Step, Strategy, StrategyKind, Timing,
};
use super::rng::Rng;
use super::sql::Row;
use crate::engine::{ClientId, Engine, Reply, Value};

/// One executed step.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRecord {
    /// The client that moved.
    pub client: usize,
    /// Its command, as typed.
    pub request: String,
    /// The reply, as printed.
    pub response: String,
    /// The shared counter after the step.
    pub value: i64,
    /// Likes this step overwrote (a lost update happened here when > 0).
    pub lost: i64,
}

/// A client's state in the view.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientView {
    /// The command it will run next (None when finished).
    pub next: Option<String>,
    /// Its local variable: the value it read, if it holds one.
    pub local: Option<i64>,
    /// How it ended, once it has.
    pub finished: Option<Finish>,
}

#[derive(Clone, Debug)]
struct Live {
    engine: Engine,
    row: Row,
    programs: Vec<Strategy>,
    /// The batch each client is working through, with the replies gathered so far.
    pending: Vec<Option<(Batch, Vec<Response>)>>,
    finished: Vec<Option<Finish>>,
    records: Vec<StepRecord>,
    rng: Rng,
}

/// The interleaving exercise.
#[derive(Clone, Debug)]
pub struct Interleaving {
    kind: StrategyKind,
    clients: usize,
    initial: i64,
    history: Vec<usize>,
    live: Live,
}

/// What a search for a bad interleaving concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadInterleaving {
    /// This order of clients (one entry per step) loses an update.
    Found(Vec<usize>),
    /// Every order was tried and none loses an update: a proof, for this many clients.
    NoneExists,
    /// The budget ran out before every order was tried.
    BudgetSpent,
}

/// The counter key the exercise uses.
const KEY: &str = "likes";

impl Interleaving {
    /// `clients` clients (clamped to 1–3) each adding one like the `kind` way to a counter that
    /// starts at `initial`.
    pub fn new(kind: StrategyKind, clients: usize, initial: i64) -> Interleaving {
        let clients = clients.clamp(1, 3);
        let live = Self::fresh(kind, clients, initial);
        Interleaving {
            kind,
            clients,
            initial,
            history: Vec::new(),
            live,
        }
    }

    fn fresh(kind: StrategyKind, clients: usize, initial: i64) -> Live {
        let timing = Timing {
            max_retries: 3,
            ..Timing::default()
        };
        let mut engine = Engine::new(0);
        engine.execute(0, &["SET", KEY, &initial.to_string()]);
        let mut live = Live {
            engine,
            row: Row { likes: initial },
            programs: (0..clients)
                .map(|_| Strategy::new(kind, KEY, timing))
                .collect(),
            pending: vec![None; clients],
            finished: vec![None; clients],
            records: Vec::new(),
            rng: Rng::new(0),
        };
        for c in 0..clients {
            let mut ctx = Ctx {
                now_us: 0,
                epoch_ms: 0,
                rng: &mut live.rng,
            };
            let step = live.programs[c].start(&mut ctx);
            live.take(c, step);
        }
        live
    }

    /// The strategy every client runs.
    pub fn kind(&self) -> StrategyKind {
        self.kind
    }

    /// Number of clients.
    pub fn clients(&self) -> usize {
        self.clients
    }

    /// The shared counter now.
    pub fn value(&self) -> i64 {
        self.live.counter(self.kind.is_sql())
    }

    /// Likes the clients were told were counted so far.
    pub fn acknowledged(&self) -> i64 {
        self.live
            .finished
            .iter()
            .filter(|f| **f == Some(Finish::Acknowledged))
            .count() as i64
    }

    /// The steps taken so far.
    pub fn records(&self) -> &[StepRecord] {
        &self.live.records
    }

    /// Each client's next command, local variable and end.
    pub fn client_views(&self) -> Vec<ClientView> {
        (0..self.clients)
            .map(|c| ClientView {
                next: self.live.pending[c]
                    .as_ref()
                    .and_then(|(batch, got)| batch.requests.get(got.len()))
                    .map(Request::text),
                local: self.live.programs[c].local(),
                finished: self.live.finished[c],
            })
            .collect()
    }

    /// True when `client` has a command to run.
    pub fn can_step(&self, client: usize) -> bool {
        client < self.clients && self.live.pending[client].is_some()
    }

    /// True when every client has finished.
    pub fn is_done(&self) -> bool {
        self.live.finished.iter().all(Option::is_some)
    }

    /// Runs `client`'s next command; false if it has none.
    pub fn step(&mut self, client: usize) -> bool {
        if !self.can_step(client) {
            return false;
        }
        self.live.step(client, self.kind.is_sql());
        self.history.push(client);
        true
    }

    /// Undoes the last step; false if there was none.
    pub fn step_back(&mut self) -> bool {
        if self.history.pop().is_none() {
            return false;
        }
        let mut live = Self::fresh(self.kind, self.clients, self.initial);
        for &c in &self.history {
            live.step(c, self.kind.is_sql());
        }
        self.live = live;
        true
    }

    /// Starts over.
    pub fn reset(&mut self) {
        self.history.clear();
        self.live = Self::fresh(self.kind, self.clients, self.initial);
    }

    /// The order of clients stepped so far.
    pub fn history(&self) -> &[usize] {
        &self.history
    }

    /// Searches (depth first, at most `budget` steps tried) for a complete order of steps that loses
    /// an update; returns it, or None if none was found. For INCR none exists, and the search
    /// proves it when it ends within the budget.
    pub fn find_bad_interleaving(&self, budget: usize) -> Option<Vec<usize>> {
        match self.search_bad_interleaving(budget) {
            BadInterleaving::Found(order) => Some(order),
            BadInterleaving::NoneExists | BadInterleaving::BudgetSpent => None,
        }
    }

    /// Like [`Interleaving::find_bad_interleaving`], but says whether "none found" is a proof
    /// (every order tried) or only a spent budget — the UI tells the learner which.
    pub fn search_bad_interleaving(&self, budget: usize) -> BadInterleaving {
        let mut budget = Budget {
            left: budget,
            spent: false,
        };
        let start = Self::fresh(self.kind, self.clients, self.initial);
        let mut order = Vec::new();
        match search(
            start,
            self.kind.is_sql(),
            self.clients,
            &mut order,
            &mut budget,
        ) {
            Some(order) => BadInterleaving::Found(order),
            None if budget.spent => BadInterleaving::BudgetSpent,
            None => BadInterleaving::NoneExists,
        }
    }

    /// Replays `order` from the start (as found by [`Interleaving::find_bad_interleaving`]).
    pub fn replay(&mut self, order: &[usize]) {
        self.reset();
        for &c in order {
            self.step(c);
        }
    }
}

/// Steps a search may still try, and whether it wanted more.
struct Budget {
    left: usize,
    spent: bool,
}

fn search(
    live: Live,
    sql: bool,
    clients: usize,
    order: &mut Vec<usize>,
    budget: &mut Budget,
) -> Option<Vec<usize>> {
    if live.finished.iter().all(Option::is_some) {
        let lost: i64 = live.records.iter().map(|r| r.lost).sum();
        return (lost > 0).then(|| order.clone());
    }
    for c in 0..clients {
        if live.pending[c].is_none() {
            continue;
        }
        if budget.left == 0 {
            budget.spent = true;
            return None;
        }
        budget.left -= 1;
        let mut next = live.clone();
        next.step(c, sql);
        order.push(c);
        if let Some(found) = search(next, sql, clients, order, budget) {
            return Some(found);
        }
        order.pop();
    }
    None
}

impl Live {
    fn counter(&self, sql: bool) -> i64 {
        if sql {
            return self.row.likes;
        }
        match self.engine.db().peek(KEY.as_bytes()) {
            Some(Value::Str(s)) => s.as_int().unwrap_or(0),
            _ => 0,
        }
    }

    fn take(&mut self, client: usize, step: Step) {
        match step {
            Step::Send { batch, .. } => self.pending[client] = Some((batch, Vec::new())),
            Step::Wait { .. } => {
                // No clock here: the wait is over at once.
                let mut ctx = Ctx {
                    now_us: 0,
                    epoch_ms: 0,
                    rng: &mut self.rng,
                };
                let Some(program) = self.programs.get_mut(client) else {
                    return;
                };
                let step = program.next(&[], &mut ctx);
                self.take(client, step);
            }
            Step::Done(finish) => {
                self.pending[client] = None;
                self.finished[client] = Some(finish);
            }
        }
    }

    fn step(&mut self, client: usize, sql: bool) {
        let Some((batch, mut got)) = self.pending[client].take() else {
            return;
        };
        let Some(request) = batch.requests.get(got.len()).cloned() else {
            return;
        };
        let before = self.counter(sql);
        let response = match &request {
            Request::Redis(command) => Response::Redis(
                command.with_argv(|argv| self.engine.execute_slices(client as ClientId + 1, argv)),
            ),
            Request::Sql(statement) => Response::Sql(self.row.execute(statement)),
            Request::Disconnect => {
                self.engine.disconnect(client as ClientId + 1);
                Response::Disconnected
            }
        };
        let after = self.counter(sql);
        let last = got.len() + 1 == batch.requests.len();
        let refused = matches!(
            response,
            Response::Redis(Reply::NilArray) | Response::Redis(Reply::Error(_))
        );
        let lost = if last && !refused && batch.likes != 0 {
            (before + batch.likes - after).max(0)
        } else {
            0
        };
        self.records.push(StepRecord {
            client,
            request: request.text(),
            response: response.text(),
            value: after,
            lost,
        });
        got.push(response);
        if last {
            let mut ctx = Ctx {
                now_us: 0,
                epoch_ms: 0,
                rng: &mut self.rng,
            };
            let step = self.programs[client].next(&got, &mut ctx);
            self.take(client, step);
        } else {
            self.pending[client] = Some((batch, got));
        }
    }
}
