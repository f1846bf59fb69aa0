//! Challenge mode's checker: every interleaving of two or three client programs, exhaustively.
//!
//! A client is a Lua text (the scripting issue's VM). Placed as a **client** it runs outside the
//! server: each `redis.call` is one round trip, and the other clients may run between two of them.
//! Placed **inside EVAL** the same text is one command, atomic. A [`Problem`] gives the clients, the
//! keyspace they start from, an [`Invariant`] (a Lua text, read-only, that answers true when the
//! keyspace is right) and what an adversary may do between two commands (crash a client, jump the
//! clock). [`Checker::check`] explores every order of every client's round trips and adversary
//! moves and answers either "safe in all N interleavings" or the shortest interleaving that breaks
//! the invariant, which [`Checker::replay`] turns into a step-by-step trace.
//!
//! # How it stays small
//!
//! The search is breadth-first over *states*, not orders: a state is the keyspace, the clock, each
//! client's connection (transaction, WATCHes) and where each client's program is. Two orders that
//! commute — commands on different keys, two reads — reach the same state, which is explored once.
//! A client's place in its program is the list of replies it has received (a program is
//! deterministic: the same replies give the same commands), interned in a tree per client; the
//! number of orders reaching each state is carried along, so the report still counts every
//! interleaving. [`Checker::brute_force`] walks the whole tree of orders instead; the tests show
//! both find the same interleavings and the same failures.
//!
//! Clients that run the same program (same text, placement, keys and arguments) are
//! interchangeable: a state and the one where two of them swapped places behave alike, up to their
//! numbers. The search lists such clients in sorted order in a state's identity, so it explores one
//! state per permutation class (up to 3! = 6 times fewer with three identical clients: 3 clients ×
//! 6 round trips on one key go from 300,532 states to 50,536). The counts stay exact: from a
//! state, the moves into a class are the same in number for every member of the class, so the
//! orders reaching a class are still summed move by move. The counterexample is still a real,
//! shortest run: each state kept is the one first reached from its kept parent.
//!
//! Why not sleep sets or persistent sets: they skip moves rather than merge states, so the number
//! of orders could no longer be counted, and on one key (`GET`/`SET` of three clients) nearly
//! every pair of moves conflicts, so they would visit the same states. Two moves that commute
//! already reach the same state, which is explored once.
//!
//! # Bounds
//!
//! Nothing a learner types can make it run forever or panic: each program run has a Lua
//! instruction budget, each client a number of round trips after which it is stopped ("gave up"),
//! and the search a number of states after which it answers [`Verdict::BudgetSpent`].

use std::collections::HashMap;

use crate::engine::scripting::{LuaClient, Step};
use crate::engine::{ClientId, Engine, Map, Reply, Value};

use super::reply_text;

/// Where a client's text runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Outside the server: every `redis.call` is a round trip; others run in between.
    Client,
    /// Inside `EVAL`: the whole text is one atomic command.
    Eval,
}

/// One client's program.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The Lua text (`KEYS` and `ARGV` as EVAL gives them).
    pub text: String,
    /// Where it runs.
    pub placement: Placement,
    /// `KEYS`.
    pub keys: Vec<String>,
    /// `ARGV`.
    pub args: Vec<String>,
}

impl Program {
    /// A Lua text run as a client, with these keys and no arguments.
    pub fn client(text: &str, keys: &[&str]) -> Program {
        Program {
            text: text.to_owned(),
            placement: Placement::Client,
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            args: Vec::new(),
        }
    }

    /// The same, inside EVAL.
    pub fn eval(text: &str, keys: &[&str]) -> Program {
        Program {
            placement: Placement::Eval,
            ..Program::client(text, keys)
        }
    }

    /// With these `ARGV`.
    pub fn with_args(mut self, args: &[&str]) -> Program {
        self.args = args.iter().map(|a| (*a).to_owned()).collect();
        self
    }
}

/// A command list (one command per line, words as redis-cli splits them, `#` starts a comment)
/// written as the Lua text that sends them one by one: the first levels' form.
pub fn commands_to_lua(text: &str) -> Result<String, String> {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = crate::cli::tokenizer::split_args(line.as_bytes())
            .map_err(|e| format!("line {}: {e:?}", n + 1))?;
        if words.is_empty() {
            continue;
        }
        out.push_str("redis.call(");
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&lua_string(w));
        }
        out.push_str(")\n");
    }
    Ok(out)
}

/// `bytes` as a Lua string literal.
fn lua_string(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b' '..=b'~' => out.push(b as char),
            _ => out.push_str(&format!("\\{b}")),
        }
    }
    out.push('"');
    out
}

/// When the invariant must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// In every state, between any two commands (`stock >= 0`).
    Always,
    /// Once every client has finished (`likes == 100 + clients`).
    AtEnd,
}

/// What must be true of the keyspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Invariant {
    /// A Lua text run as a read-only client on a copy of the keyspace: true (or 1) when the
    /// keyspace is right; false, nil or a string (the reason, shown to the learner) when not.
    pub lua: String,
    /// When it is checked.
    pub when: When,
}

/// What an adversary may do between two commands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Adversary {
    /// How many clients may crash (each after at least one round trip, before its next).
    pub crashes: u8,
    /// How many times the clock may jump.
    pub clock_jumps: u8,
    /// By how much, in milliseconds.
    pub jump_ms: i64,
}

/// The limits of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Round trips per client; a client that wants more is stopped ("gave up").
    pub round_trips: usize,
    /// Lua instructions per program run.
    pub lua_steps: u64,
    /// States the search may visit.
    pub states: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            round_trips: 12,
            lua_steps: 100_000,
            states: 200_000,
        }
    }
}

/// A checking problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Commands run before the clients start (`SET likes 100`).
    pub setup: Vec<Vec<String>>,
    /// The clients, two or three.
    pub clients: Vec<Program>,
    /// What must hold.
    pub invariant: Invariant,
    /// What the adversary may do.
    pub adversary: Adversary,
    /// The limits.
    pub budget: Budget,
    /// A client that fails (a Lua error, an error reply through `redis.call`) or gives up counts as
    /// a counterexample.
    pub must_finish: bool,
    /// The clock at the start (Unix ms).
    pub start_ms: i64,
}

impl Problem {
    /// `clients` under `invariant`, from an empty keyspace, no adversary, default budget.
    pub fn new(clients: Vec<Program>, invariant: &str, when: When) -> Problem {
        Problem {
            setup: Vec::new(),
            clients,
            invariant: Invariant {
                lua: invariant.to_owned(),
                when,
            },
            adversary: Adversary::default(),
            budget: Budget::default(),
            must_finish: false,
            start_ms: 1_700_000_000_000,
        }
    }

    /// With these setup commands (each a line of words).
    pub fn with_setup(mut self, commands: &[&str]) -> Problem {
        self.setup = commands
            .iter()
            .map(|c| c.split_whitespace().map(str::to_owned).collect())
            .collect();
        self
    }
}

/// One move of an interleaving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Move {
    /// Client `i` (from 0) sends its next command and gets the reply.
    Run(usize),
    /// Client `i` crashes: it sends nothing more; its connection closes.
    Crash(usize),
    /// The clock jumps forward.
    Clock,
}

impl Move {
    /// The move as the schedule text writes it: `1`, `crash 2`, `clock`.
    pub fn text(self) -> String {
        match self {
            Move::Run(i) => (i + 1).to_string(),
            Move::Crash(i) => format!("crash {}", i + 1),
            Move::Clock => "clock".to_owned(),
        }
    }
}

/// Reads a schedule a learner typed: client numbers from 1 (`1 2 1 2`), `crash N` (or `xN`),
/// `clock` (or `t`), separated by spaces, commas or new lines.
pub fn parse_schedule(text: &str) -> Result<Vec<Move>, String> {
    let mut moves = Vec::new();
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .peekable();
    let number = |w: &str| -> Result<usize, String> {
        match w.parse::<usize>() {
            Ok(n @ 1..=9) => Ok(n - 1),
            _ => Err(format!("'{w}' is not a client number")),
        }
    };
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if lower == "clock" || lower == "t" {
            moves.push(Move::Clock);
        } else if lower == "crash" {
            let Some(n) = words.next() else {
                return Err("'crash' needs a client number".to_owned());
            };
            moves.push(Move::Crash(number(n)?));
        } else if let Some(rest) = lower.strip_prefix('x').or(lower.strip_prefix("crash")) {
            moves.push(Move::Crash(number(rest)?));
        } else {
            moves.push(Move::Run(number(&lower)?));
        }
        if moves.len() > 1000 {
            return Err("that schedule is too long".to_owned());
        }
    }
    Ok(moves)
}

/// What a check concluded.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The invariant holds in every interleaving (this many).
    Safe {
        /// Interleavings (orders of moves) covered.
        interleavings: u128,
    },
    /// This interleaving (a shortest one) breaks it.
    Unsafe {
        /// The moves, in order.
        counterexample: Vec<Move>,
        /// Why it is wrong, in words.
        reason: String,
    },
    /// The search visited its budget of states without finishing.
    BudgetSpent,
}

/// A check's verdict and what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The verdict.
    pub verdict: Verdict,
    /// Distinct states visited.
    pub states: usize,
    /// Moves tried (edges of the state graph).
    pub transitions: usize,
}

/// What a brute-force walk of every order found (for testing the reduction).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Census {
    /// Complete interleavings (paths to a state where every client has ended, or to a violation).
    pub interleavings: u128,
    /// Of those, the ones that break the invariant.
    pub failing: u128,
    /// The length of a shortest failing interleaving.
    pub shortest_failure: Option<usize>,
}

/// One step of a replayed interleaving.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceStep {
    /// The move.
    pub mv: Move,
    /// What happened, as the console prints it: `client 1: GET likes → "100"`.
    pub text: String,
    /// The command sent, when the move ran one.
    pub command: Option<String>,
    /// Its reply, printed.
    pub reply: Option<String>,
    /// The keyspace after the step: (key, value, TTL in seconds when it has one).
    pub keyspace: Vec<(String, String, Option<i64>)>,
    /// The invariant broke here (its reason).
    pub violation: Option<String>,
}

/// A replayed interleaving.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The keyspace before the first move.
    pub initial: Vec<(String, String, Option<i64>)>,
    /// The steps, in order.
    pub steps: Vec<TraceStep>,
    /// Every client has ended (or crashed).
    pub finished: bool,
    /// The invariant's verdict on the last state (None: it holds, or it is not yet checked —
    /// an AtEnd invariant on an unfinished run).
    pub violation: Option<String>,
}

/// Where a client's program is: a node of its tree of reply histories.
#[derive(Clone, Debug)]
struct HistNode {
    parent: u32,
    depth: usize,
    /// The reply that led here (none at the root).
    reply: Option<Reply>,
    /// What the program does next.
    next: Next,
}

#[derive(Clone, Debug, PartialEq)]
enum Next {
    Send(Vec<Vec<u8>>),
    Done(Reply),
    Failed(Reply),
}

/// One client's program and its interned histories.
struct Runner {
    kind: RunnerKind,
    nodes: Vec<HistNode>,
    children: HashMap<(u32, Vec<u8>), u32>,
    /// The history node the VM is at, if it is at one.
    vm_at: Option<u32>,
}

enum RunnerKind {
    Lua(Box<LuaClient>),
    /// Inside EVAL: one command, whose reply ends the program.
    Eval,
}

fn next_of(step: Step) -> Next {
    match step {
        Step::Command(argv) => Next::Send(argv),
        Step::Done(reply) => Next::Done(reply),
        Step::Failed(reply) => Next::Failed(reply),
    }
}

impl Runner {
    fn new(program: &Program, lua_steps: u64) -> Result<Runner, String> {
        let keys: Vec<&[u8]> = program.keys.iter().map(|k| k.as_bytes()).collect();
        let args: Vec<&[u8]> = program.args.iter().map(|a| a.as_bytes()).collect();
        // Compiled either way, so a syntax error shows before any search.
        let mut client = LuaClient::new(program.text.as_bytes(), &keys, &args)
            .map_err(|e| reply_text(&e))?
            .with_budget(lua_steps);
        let (kind, first) = match program.placement {
            Placement::Client => {
                let first = next_of(client.start());
                (RunnerKind::Lua(Box::new(client)), first)
            }
            Placement::Eval => {
                let mut argv: Vec<Vec<u8>> = vec![
                    b"EVAL".to_vec(),
                    program.text.as_bytes().to_vec(),
                    program.keys.len().to_string().into_bytes(),
                ];
                argv.extend(keys.iter().chain(&args).map(|a| a.to_vec()));
                (RunnerKind::Eval, Next::Send(argv))
            }
        };
        Ok(Runner {
            kind,
            nodes: vec![HistNode {
                parent: 0,
                depth: 0,
                reply: None,
                next: first,
            }],
            children: HashMap::new(),
            vm_at: Some(0),
        })
    }

    /// The history node after `node` received `reply`.
    fn child(&mut self, node: u32, reply: Reply) -> u32 {
        let key = (node, reply.to_resp());
        if let Some(&id) = self.children.get(&key) {
            return id;
        }
        let next = match &mut self.kind {
            RunnerKind::Eval => Next::Done(reply.clone()),
            RunnerKind::Lua(client) => {
                if self.vm_at != Some(node) {
                    // Bring the VM to `node`: restart and feed it the replies that led there.
                    let mut path = Vec::new();
                    let mut at = node;
                    while at != 0 {
                        let n = &self.nodes[at as usize];
                        path.push(n.reply.clone().unwrap_or(Reply::Nil));
                        at = n.parent;
                    }
                    client.start();
                    for r in path.into_iter().rev() {
                        client.resume(r);
                    }
                }
                next_of(client.resume(reply.clone()))
            }
        };
        let id = self.nodes.len() as u32;
        self.nodes.push(HistNode {
            parent: node,
            depth: self.nodes[node as usize].depth + 1,
            reply: Some(reply),
            next,
        });
        self.children.insert(key, id);
        self.vm_at = match self.kind {
            RunnerKind::Lua(_) => Some(id),
            RunnerKind::Eval => None,
        };
        id
    }
}

/// A client in a state of the search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct At {
    node: u32,
    crashed: bool,
}

/// A state of the search.
#[derive(Clone, Debug)]
struct State {
    engine: Engine,
    clients: Vec<At>,
    crashes: u8,
    jumps: u8,
}

/// A check under way ([`Checker::search`], [`Checker::advance`]).
pub struct Search {
    /// Every state found, with the move that first reached it (breadth first: a shortest one).
    parents: Vec<(u32, Move)>,
    seen: Map<Vec<u8>, u32>,
    /// The layer being explored (boxed: a state holds a whole engine, and layers grow by the
    /// thousand), and the next one with the number of orders reaching each of its states.
    layer: std::vec::IntoIter<(u32, Box<State>, u128)>,
    next: Vec<(u32, Box<State>, u128)>,
    /// Index in `next` of each state found in this layer.
    slot: Map<u32, usize>,
    transitions: usize,
    interleavings: u128,
    done: Option<Report>,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("states", &self.parents.len())
            .field("transitions", &self.transitions)
            .finish_non_exhaustive()
    }
}

impl Search {
    /// Distinct states found so far.
    pub fn states(&self) -> usize {
        self.parents.len()
    }
}

/// The checker for one problem: its clients compiled, their histories remembered across checks.
pub struct Checker {
    problem: Problem,
    /// One runner per distinct program: clients that run the same program (same text, placement,
    /// keys and arguments) share one, so their places in it compare.
    runners: Vec<Runner>,
    /// The runner of each client.
    runner_of: Vec<usize>,
    /// Merge states that differ only by which of two identical clients is where (see
    /// [`Checker::without_symmetry`]).
    symmetry: bool,
    invariant: LuaClient,
    initial: Engine,
    /// Holds the Lua VM that EVAL runs in, lent to each state's engine for its commands.
    vm_home: Engine,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

/// The client id of client `i` (0 runs the setup and the invariant).
fn id(i: usize) -> ClientId {
    i as ClientId + 1
}

impl Checker {
    /// Compiles the problem's programs and runs its setup; an error (a program that does not
    /// compile, a failing setup command, too many clients) is the text to show.
    pub fn new(problem: Problem) -> Result<Checker, String> {
        if problem.clients.is_empty() || problem.clients.len() > 4 {
            return Err("a challenge has one to four clients".to_owned());
        }
        let mut runners: Vec<Runner> = Vec::new();
        let mut runner_of = Vec::new();
        for (i, p) in problem.clients.iter().enumerate() {
            match problem.clients[..i].iter().position(|q| q == p) {
                Some(first) => runner_of.push(runner_of[first]),
                None => {
                    runner_of.push(runners.len());
                    runners.push(
                        Runner::new(p, problem.budget.lua_steps)
                            .map_err(|e| format!("client {}: {e}", i + 1))?,
                    );
                }
            }
        }
        let invariant = LuaClient::new(problem.invariant.lua.as_bytes(), &[], &[])
            .map_err(|e| format!("invariant: {}", reply_text(&e)))?
            .with_budget(1_000_000);
        let mut initial = Engine::new(problem.start_ms);
        initial.set_script_budget(problem.budget.lua_steps);
        for command in &problem.setup {
            if let Reply::Error(e) = initial.execute(0, command) {
                return Err(format!(
                    "setup '{}': {}",
                    command.join(" "),
                    String::from_utf8_lossy(&e)
                ));
            }
        }
        Ok(Checker {
            problem,
            runners,
            runner_of,
            symmetry: true,
            invariant,
            vm_home: initial.clone(),
            initial,
        })
    }

    /// The problem.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Turns off the symmetry reduction: states that differ only by a permutation of identical
    /// clients are then explored separately (the tests compare both searches).
    pub fn without_symmetry(mut self) -> Checker {
        self.symmetry = false;
        self
    }

    /// Client `i`'s place in its program.
    fn node(&self, i: usize, at: At) -> &HistNode {
        &self.runners[self.runner_of[i]].nodes[at.node as usize]
    }

    fn start(&self) -> State {
        State {
            engine: self.initial.clone(),
            clients: vec![
                At {
                    node: 0,
                    crashed: false
                };
                self.runner_of.len()
            ],
            crashes: 0,
            jumps: 0,
        }
    }

    /// Client `i` has ended in `state` (finished, failed, crashed or out of round trips).
    fn ended(&self, state: &State, i: usize) -> bool {
        let at = state.clients[i];
        let node = self.node(i, at);
        at.crashed
            || !matches!(node.next, Next::Send(_))
            || node.depth >= self.problem.budget.round_trips
    }

    fn all_ended(&self, state: &State) -> bool {
        (0..state.clients.len()).all(|i| self.ended(state, i))
    }

    /// The moves possible from `state`, in a fixed order.
    fn moves(&self, state: &State) -> Vec<Move> {
        let mut out = Vec::new();
        if self.all_ended(state) {
            return out;
        }
        for i in 0..state.clients.len() {
            if !self.ended(state, i) {
                out.push(Move::Run(i));
            }
        }
        if state.crashes < self.problem.adversary.crashes {
            for i in 0..state.clients.len() {
                let depth = self.node(i, state.clients[i]).depth;
                if !self.ended(state, i) && depth > 0 {
                    out.push(Move::Crash(i));
                }
            }
        }
        if state.jumps < self.problem.adversary.clock_jumps {
            out.push(Move::Clock);
        }
        out
    }

    /// Applies `mv` (one of [`Checker::moves`]) to `state`: the command and reply when it ran one.
    fn apply(&mut self, state: &mut State, mv: Move) -> Option<(Vec<Vec<u8>>, Reply)> {
        match mv {
            Move::Run(i) => {
                let at = state.clients[i];
                let Next::Send(argv) = self.node(i, at).next.clone() else {
                    return None;
                };
                state.engine.swap_lua_vm(&mut self.vm_home);
                let reply = state.engine.execute(id(i), &argv);
                state.engine.swap_lua_vm(&mut self.vm_home);
                state.clients[i].node =
                    self.runners[self.runner_of[i]].child(at.node, reply.clone());
                Some((argv, reply))
            }
            Move::Crash(i) => {
                state.clients[i].crashed = true;
                state.crashes += 1;
                state.engine.disconnect(id(i));
                None
            }
            Move::Clock => {
                state.jumps += 1;
                state.engine.advance_ms(self.problem.adversary.jump_ms);
                None
            }
        }
    }

    /// The state's identity: two states with the same fingerprint behave alike from there on.
    fn fingerprint(&self, state: &State) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(&state.engine.now_ms().to_le_bytes());
        out.push(state.crashes);
        out.push(state.jumps);
        // Each client's place and connection. With the symmetry reduction, clients that run the
        // same program are listed in sorted order rather than by number: a state and the one where
        // two identical clients swapped places behave alike (with those clients renumbered), so
        // they are explored once, and the orders reaching either are counted together.
        let mut parts: Vec<(usize, Vec<u8>)> = state
            .clients
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let mut part = Vec::with_capacity(24);
                part.extend_from_slice(&at.node.to_le_bytes());
                part.push(u8::from(at.crashed));
                state.engine.client_fingerprint(id(i), &mut part);
                let class = if self.symmetry { self.runner_of[i] } else { i };
                (class, part)
            })
            .collect();
        if self.symmetry {
            parts.sort_unstable();
        }
        for (class, part) in parts {
            out.push(class as u8);
            field(&mut out, &part);
        }
        // Every database a client could reach: its keys and its random source (SPOP draws
        // differently after another SPOP).
        for index in 0..crate::engine::DATABASES {
            let (Some(db), Some(initial)) =
                (state.engine.database(index), self.initial.database(index))
            else {
                continue;
            };
            if index > 0 && db.is_empty() && db.rng_state() == initial.rng_state() {
                continue;
            }
            out.push(index as u8);
            out.extend_from_slice(&db.rng_state().to_le_bytes());
            let mut entries: Vec<(&[u8], &Value, Option<i64>)> = db.live_entries().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
            for (key, value, expire) in entries {
                field(&mut out, key);
                out.extend_from_slice(&expire.unwrap_or(-1).to_le_bytes());
                value_bytes(value, &mut out);
            }
        }
        out
    }

    /// The invariant's verdict on `state`: None when it holds, else the reason.
    fn violation(&mut self, state: &State) -> Option<String> {
        let at_end = self.all_ended(state);
        if self.problem.invariant.when == When::AtEnd && !at_end {
            return None;
        }
        if self.problem.must_finish && at_end {
            for i in 0..state.clients.len() {
                let at = state.clients[i];
                let node = self.node(i, at);
                match &node.next {
                    Next::Failed(e) if !at.crashed => {
                        return Some(format!("client {} failed: {}", i + 1, reply_text(e)));
                    }
                    Next::Send(_) if !at.crashed => {
                        return Some(format!(
                            "client {} gave up after {} round trips",
                            i + 1,
                            node.depth
                        ));
                    }
                    _ => {}
                }
            }
        }
        let mut engine = state.engine.clone();
        let mut step = self.invariant.start();
        let mut trips = 0;
        let answer = loop {
            match step {
                Step::Command(argv) => {
                    trips += 1;
                    if trips > 10_000 {
                        break Err("the invariant sent too many commands".to_owned());
                    }
                    step = self.invariant.resume(engine.execute(0, &argv));
                }
                Step::Done(reply) => break Ok(reply),
                Step::Failed(e) => break Err(format!("the invariant failed: {}", reply_text(&e))),
            }
        };
        match answer {
            Ok(Reply::Integer(1)) => None,
            Ok(Reply::Bulk(reason)) => Some(String::from_utf8_lossy(&reason).into_owned()),
            Ok(Reply::Status(reason)) => Some(reason.into_owned()),
            Ok(_) => Some("the invariant is false".to_owned()),
            Err(e) => Some(e),
        }
    }

    /// Explores every interleaving (merging states that coincide) and answers the verdict.
    pub fn check(&mut self) -> Report {
        let mut search = self.search();
        loop {
            if let Some(report) = self.advance(&mut search, usize::MAX) {
                return report;
            }
        }
    }

    /// Starts a check that runs a slice at a time ([`Checker::advance`]): a page can then show its
    /// progress and stay responsive.
    pub fn search(&mut self) -> Search {
        let start = self.start();
        let mut search = Search {
            parents: vec![(0, Move::Clock)],
            seen: Map::default(),
            layer: Vec::new().into_iter(),
            next: Vec::new(),
            slot: Map::default(),
            transitions: 0,
            interleavings: 0,
            done: None,
        };
        if let Some(reason) = self.violation(&start) {
            search.done = Some(Report {
                verdict: Verdict::Unsafe {
                    counterexample: Vec::new(),
                    reason,
                },
                states: 1,
                transitions: 0,
            });
            return search;
        }
        search.seen.insert(self.fingerprint(&start), 0);
        search.layer = vec![(0, Box::new(start), 1)].into_iter();
        search
    }

    /// Goes on with `search` for about `work` moves: the report once it is over.
    pub fn advance(&mut self, search: &mut Search, work: usize) -> Option<Report> {
        if let Some(report) = &search.done {
            return Some(report.clone());
        }
        let report = self.advance_by(search, work);
        search.done.clone_from(&report);
        report
    }

    fn advance_by(&mut self, search: &mut Search, work: usize) -> Option<Report> {
        let until = search.transitions.saturating_add(work.max(1));
        let s = search;
        loop {
            if s.transitions >= until {
                return None;
            }
            let Some((index, state, paths)) = s.layer.next() else {
                if s.next.is_empty() {
                    return Some(Report {
                        verdict: Verdict::Safe {
                            interleavings: s.interleavings,
                        },
                        states: s.parents.len(),
                        transitions: s.transitions,
                    });
                }
                // The next layer (breadth first: the first failure found is a shortest one).
                s.layer = std::mem::take(&mut s.next).into_iter();
                s.slot.clear();
                continue;
            };
            let moves = self.moves(&state);
            if moves.is_empty() {
                s.interleavings = s.interleavings.saturating_add(paths);
                continue;
            }
            for mv in moves {
                s.transitions += 1;
                let mut child = Box::new((*state).clone());
                self.apply(&mut child, mv);
                let print = self.fingerprint(&child);
                if let Some(&known) = s.seen.get(&print) {
                    if let Some(&k) = s.slot.get(&known) {
                        s.next[k].2 = s.next[k].2.saturating_add(paths);
                    }
                    continue;
                }
                let child_index = s.parents.len() as u32;
                s.parents.push((index, mv));
                s.seen.insert(print, child_index);
                if let Some(reason) = self.violation(&child) {
                    return Some(Report {
                        verdict: Verdict::Unsafe {
                            counterexample: path_to(&s.parents, child_index),
                            reason,
                        },
                        states: s.parents.len(),
                        transitions: s.transitions,
                    });
                }
                if s.parents.len() > self.problem.budget.states {
                    return Some(Report {
                        verdict: Verdict::BudgetSpent,
                        states: s.parents.len(),
                        transitions: s.transitions,
                    });
                }
                s.slot.insert(child_index, s.next.len());
                s.next.push((child_index, child, paths));
            }
        }
    }

    /// Walks the whole tree of orders, without merging anything, up to `limit` moves tried: the
    /// reference the reduced search is tested against. None when the limit is reached.
    pub fn brute_force(&mut self, limit: usize) -> Option<Census> {
        let mut census = Census {
            interleavings: 0,
            failing: 0,
            shortest_failure: None,
        };
        let start = self.start();
        let mut tried = 0;
        self.walk(start, 0, &mut census, &mut tried, limit)
            .then_some(census)
    }

    fn walk(
        &mut self,
        state: State,
        depth: usize,
        census: &mut Census,
        tried: &mut usize,
        limit: usize,
    ) -> bool {
        if self.violation(&state).is_some() {
            census.interleavings += 1;
            census.failing += 1;
            census.shortest_failure = Some(census.shortest_failure.map_or(depth, |d| d.min(depth)));
            return true;
        }
        let moves = self.moves(&state);
        if moves.is_empty() {
            census.interleavings += 1;
            return true;
        }
        for mv in moves {
            *tried += 1;
            if *tried > limit {
                return false;
            }
            let mut child = state.clone();
            self.apply(&mut child, mv);
            if !self.walk(child, depth + 1, census, tried, limit) {
                return false;
            }
        }
        true
    }

    /// Replays `moves` from the start, step by step. A move that cannot be made there (a client
    /// that has ended, a crash or clock jump the level does not allow) is an error naming it.
    pub fn replay(&mut self, moves: &[Move]) -> Result<Trace, String> {
        let mut state = self.start();
        let initial = keyspace_view(&state.engine);
        let mut steps = Vec::new();
        let mut violation = self.violation(&state);
        for (n, &mv) in moves.iter().enumerate() {
            if violation.is_some() {
                break;
            }
            if !self.moves(&state).contains(&mv) {
                let why = match mv {
                    Move::Run(i) | Move::Crash(i) if i >= state.clients.len() => {
                        format!("there is no client {}", i + 1)
                    }
                    Move::Run(i) => format!("client {} has nothing left to send", i + 1),
                    Move::Crash(i) if self.problem.adversary.crashes == 0 => {
                        format!("crashing client {} is not allowed here", i + 1)
                    }
                    Move::Crash(i) => format!("client {} cannot crash now", i + 1),
                    Move::Clock => "the clock cannot jump here".to_owned(),
                };
                return Err(format!("step {}: {why}", n + 1));
            }
            let sent = self.apply(&mut state, mv);
            let (command, reply) = match &sent {
                Some((argv, reply)) => (Some(command_text(argv)), Some(reply_text(reply))),
                None => (None, None),
            };
            let text = match (mv, &command, &reply) {
                (Move::Run(i), Some(c), Some(r)) => format!("client {}: {c} → {r}", i + 1),
                (Move::Crash(i), ..) => format!("client {} crashes", i + 1),
                (Move::Clock, ..) => format!(
                    "the clock jumps {} s",
                    self.problem.adversary.jump_ms / 1000
                ),
                _ => String::new(),
            };
            violation = self.violation(&state);
            steps.push(TraceStep {
                mv,
                text,
                command,
                reply,
                keyspace: keyspace_view(&state.engine),
                violation: violation.clone(),
            });
        }
        Ok(Trace {
            initial,
            steps,
            finished: self.all_ended(&state),
            violation,
        })
    }

    /// The moves a learner can make next after `moves` (for a scheduler's buttons); empty when the
    /// run has ended or `moves` cannot be replayed.
    pub fn next_moves(&mut self, moves: &[Move]) -> Vec<Move> {
        let mut state = self.start();
        for &mv in moves {
            if !self.moves(&state).contains(&mv) {
                return Vec::new();
            }
            self.apply(&mut state, mv);
        }
        self.moves(&state)
    }

    /// What client `i` sends next after `moves` (None when it has ended).
    pub fn pending_command(&mut self, moves: &[Move], i: usize) -> Option<String> {
        let mut state = self.start();
        for &mv in moves {
            if !self.moves(&state).contains(&mv) {
                return None;
            }
            self.apply(&mut state, mv);
        }
        if i >= state.clients.len() || self.ended(&state, i) {
            return None;
        }
        match &self.node(i, state.clients[i]).next {
            Next::Send(argv) => Some(command_text(argv)),
            _ => None,
        }
    }
}

fn path_to(parents: &[(u32, Move)], mut index: u32) -> Vec<Move> {
    let mut out = Vec::new();
    while index != 0 {
        let (parent, mv) = parents[index as usize];
        out.push(mv);
        index = parent;
    }
    out.reverse();
    out
}

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// A value's bytes, in the order the commands that list it answer.
fn value_bytes(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Str(s) => {
            out.push(b's');
            field(out, &s.to_bytes());
        }
        Value::Hash(h) => {
            out.push(b'h');
            out.extend_from_slice(&(h.len() as u64).to_le_bytes());
            for (f, v) in h.iter() {
                field(out, f);
                field(out, v);
            }
        }
        Value::Set(set) => {
            out.push(b'S');
            out.extend_from_slice(&(set.len() as u64).to_le_bytes());
            for m in set.iter() {
                field(out, &m);
            }
        }
        Value::ZSet(z) => {
            out.push(b'z');
            out.extend_from_slice(&(z.len() as u64).to_le_bytes());
            for (m, score) in z.iter() {
                field(out, m);
                out.extend_from_slice(&score.to_bits().to_le_bytes());
            }
        }
        Value::List(list) => {
            out.push(b'l');
            out.extend_from_slice(&(list.len() as u64).to_le_bytes());
            for e in list.iter() {
                field(out, e);
            }
        }
    }
}

/// A command as redis-cli would echo it: words, quoted when they need it.
fn command_text(argv: &[Vec<u8>]) -> String {
    let words: Vec<String> = argv
        .iter()
        .map(|a| {
            let text = String::from_utf8_lossy(a);
            if text.is_empty() || text.contains(|c: char| c.is_whitespace() || c == '"') {
                format!("{text:?}")
            } else {
                text.into_owned()
            }
        })
        .collect();
    let mut line = words.join(" ");
    if line.chars().count() > 120 {
        line = line.chars().take(117).collect::<String>() + "…";
    }
    line
}

/// The keyspace as the replay shows it: sorted keys, values in a line, TTLs in seconds.
pub fn keyspace_view(engine: &Engine) -> Vec<(String, String, Option<i64>)> {
    let now = engine.now_ms();
    let mut out: Vec<(String, String, Option<i64>)> = engine
        .db()
        .live_entries()
        .map(|(key, value, expire)| {
            let shown = match value {
                Value::Str(s) => String::from_utf8_lossy(&s.to_bytes()).into_owned(),
                Value::Hash(h) => h
                    .iter()
                    .map(|(f, v)| {
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(f),
                            String::from_utf8_lossy(v)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                Value::Set(set) => set
                    .iter()
                    .map(|m| String::from_utf8_lossy(&m).into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                Value::List(list) => list
                    .iter()
                    .map(|e| String::from_utf8_lossy(e).into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                Value::ZSet(z) => z
                    .iter()
                    .map(|(m, s)| format!("{}:{s}", String::from_utf8_lossy(m)))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let ttl = expire.map(|at| (at - now + 999).div_euclid(1000));
            (String::from_utf8_lossy(key).into_owned(), shown, ttl)
        })
        .collect();
    out.sort();
    out
}
