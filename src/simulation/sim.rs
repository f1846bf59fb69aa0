//! The scheduler: simulated clients, a network with latency, and one server that executes one
//! batch at a time in arrival order — Redis' single-threaded event loop.
//!
//! Time is logical, in microseconds. Events are ordered by (time, sequence number), so a run is a
//! pure function of its configuration and seed: the same seed gives the same trace on every
//! platform. Strategies run on the same schedule: client *i* starts at the same instant and draws
//! its latencies from its own random stream, whatever the strategy.

mod builder;
mod per_client;

use std::collections::VecDeque;

pub use builder::{Config, Counter, Latency, Programs, SimBuilder, Workload};
pub use per_client::{PerClient, PerClientIter};

use super::program::{Batch, Ctx, Finish, Program, Request, Response, Step};
use super::queue::EventQueue;
use super::rng::Rng;
use super::sql::{Row, Statement};
use crate::engine::{ClientId, Engine, Limits, Reply, Value};

/// One request the server executed, as the journal keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Executed {
    /// When it executed, in µs.
    pub time_us: u64,
    /// The client that sent it.
    pub client: usize,
    /// The request.
    pub request: Request,
    /// Its answer.
    pub response: Response,
    /// True when it changed the data: a Redis command that modified a key (a transaction's writes
    /// show on its EXEC), or a SQL statement other than SELECT. Redis appends exactly these to its
    /// AOF and sends them to replicas.
    pub wrote: bool,
}

/// Random streams, one per purpose, so that purposes never shift each other's draws.
const STREAM_START: u64 = 1;
const STREAM_CLIENT: u64 = 2;

/// What happens at an instant. Each client has at most one message on the wire, so the message
/// itself lives in the client's [`Slot`] and events stay small (the heap moves them a lot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EventKind {
    /// The client begins its program.
    Start,
    /// The client's batch reaches the server.
    Arrive,
    /// The server finished the batch it was executing.
    ServerFree,
    /// The replies reach the client.
    Deliver,
    /// A waiting client decides again.
    Wake,
}

/// One client: its program and all the scheduler keeps about it, side by side. A million
/// clients' state is far larger than any cache and events visit clients in random order, so each
/// separate per-client array an event touches costs a cache miss; one record costs one.
#[derive(Debug)]
#[cfg_attr(target_arch = "wasm32", repr(align(64)))]
struct Client<P> {
    program: P,
    rng: Rng,
    /// When the client's message on the wire left, in µs.
    departed_us: u64,
    /// The batch travelling to or waiting at the server.
    batch: Option<Batch>,
    /// The replies travelling back: an index in [`Sim::replies`] ([`NO_REPLIES`] when none).
    replies: u32,
    phase: Phase,
}

// In the browser's 32-bit wasm a race-demo client's record is exactly one cache line, and the
// alignment above keeps it in one line rather than straddling two.
#[cfg(target_arch = "wasm32")]
const _: () = assert!(std::mem::size_of::<Client<super::program::Strategy>>() == 64);

/// [`Client::replies`] when no reply is on the wire.
const NO_REPLIES: u32 = u32::MAX;

/// Where a client is in its program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Not started yet.
    Idle,
    /// Thinking before sending (computing, backing off).
    Thinking,
    /// Its request is on the wire to the server.
    Requesting,
    /// Its request waits in the server's queue or is executing.
    Queued,
    /// The reply is on the wire back.
    Replying,
    /// Finished.
    Done(Finish),
}

/// A message on the wire, for drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flight {
    /// The client sending or receiving it.
    pub client: usize,
    /// When it left, in µs.
    pub departed_us: u64,
    /// When it arrives, in µs.
    pub arrives_us: u64,
    /// True for a request (client → server), false for a reply.
    pub to_server: bool,
    /// True when the batch writes (adds a like).
    pub writes: bool,
}

/// What kind of thing a trace event records.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceKind {
    /// The client sent these requests.
    Sent(Vec<String>),
    /// The server executed a request: its text, the reply's text and the counter afterwards.
    Executed {
        /// The request as typed.
        request: String,
        /// The reply as printed.
        response: String,
        /// The counter after this request.
        value: i64,
    },
    /// This batch overwrote `lost` likes that other clients had added (a lost update). A later
    /// stale write may put some of them back, so the trace can add up to more than
    /// [`Outcome::lost_updates`], which is the net count.
    LostUpdate {
        /// How many likes vanished.
        lost: i64,
    },
    /// The client finished.
    Finished(Finish),
}

/// One line of the trace.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceEvent {
    /// When, in µs.
    pub time_us: u64,
    /// Which client.
    pub client: usize,
    /// What.
    pub kind: TraceKind,
}

/// One point of the expected-versus-actual chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// When, in µs.
    pub time_us: u64,
    /// Likes the clients believe they added so far.
    pub expected: i64,
    /// What the counter shows (minus its initial value).
    pub actual: i64,
}

/// The figures of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Clients in the run.
    pub clients: usize,
    /// Likes the clients were told were counted: what the counter should show (added to its
    /// initial value).
    pub expected: i64,
    /// What the counter shows, minus its initial value.
    pub actual: i64,
    /// Likes overwritten by other clients' writes (`expected - actual`).
    pub lost_updates: i64,
    /// Writes refused (a nil EXEC) and tried again.
    pub retries: u64,
    /// Clients that gave up (optimistic only).
    pub gave_up: u64,
    /// Requests sent.
    pub commands: u64,
    /// Round trips made.
    pub round_trips: u64,
    /// Logical time from the first start to the last reply, in µs.
    pub total_time_us: u64,
    /// True when every client finished.
    pub finished: bool,
}

/// A running simulation.
pub struct Sim<P: Program> {
    config: Config,
    now_us: u64,
    seq: u64,
    /// Pending events keyed by (time, sequence number).
    events: EventQueue<(u32, EventKind)>,
    clients: Vec<Client<P>>,
    engine: Engine,
    row: Row,
    sql: bool,
    server_busy: bool,
    journal: Vec<Executed>,
    queue: VecDeque<u32>,
    trace: Vec<TraceEvent>,
    samples: Vec<Sample>,
    sample_stride: u64,
    executions: u64,
    expected: i64,
    lost: i64,
    failed_writes: u64,
    gave_up: u64,
    commands: u64,
    round_trips: u64,
    finished_clients: usize,
    last_time_us: u64,
    /// The counter as last read (after the last batch that could change it).
    current: i64,
    /// Reply buffers of the messages on the wire back (a few hundred at most, however many
    /// clients), indexed by [`Client::replies`]; emptied ones are reused.
    replies: Vec<Vec<Response>>,
    /// Indexes of the emptied buffers in `replies`.
    free_replies: Vec<u32>,
}

impl<P: Program> Sim<P> {
    fn new(config: Config, counter: Counter, mut program: impl FnMut(usize) -> P) -> Sim<P> {
        let n = config.clients.min(u32::MAX as usize);
        let mut engine = Engine::with_limits(config.epoch_ms, Limits::none());
        let sql = counter == Counter::SqlRow;
        if counter == Counter::RedisKey {
            let initial = config.initial.to_string();
            engine.execute(0, &["SET", config.key.as_str(), initial.as_str()]);
        }
        let mut sim = Sim {
            now_us: 0,
            seq: 0,
            events: EventQueue::new(),
            clients: (0..n)
                .map(|i| Client {
                    program: program(i),
                    rng: Rng::derive(config.seed, STREAM_CLIENT, i as u64),
                    departed_us: 0,
                    batch: None,
                    replies: NO_REPLIES,
                    phase: Phase::Idle,
                })
                .collect(),
            engine,
            row: Row {
                likes: config.initial,
            },
            sql,
            server_busy: false,
            journal: Vec::new(),
            queue: VecDeque::new(),
            trace: Vec::new(),
            samples: vec![Sample {
                time_us: 0,
                expected: 0,
                actual: 0,
            }],
            sample_stride: 1,
            executions: 0,
            expected: 0,
            lost: 0,
            failed_writes: 0,
            gave_up: 0,
            commands: 0,
            round_trips: 0,
            finished_clients: 0,
            last_time_us: 0,
            current: config.initial,
            replies: Vec::new(),
            free_replies: Vec::new(),
            config,
        };
        for client in 0..n {
            let mut rng = Rng::derive(sim.config.seed, STREAM_START, client as u64);
            let drawn = rng.between(0, sim.config.arrival_window_us);
            let at = sim.clients[client].program.start_at(drawn);
            sim.push(at, client, EventKind::Start);
        }
        sim
    }

    #[inline(always)]
    fn push(&mut self, time_us: u64, client: usize, kind: EventKind) {
        self.seq += 1;
        self.events.push(time_us, self.seq, (client as u32, kind));
    }

    #[inline(always)]
    fn trace(&mut self, client: usize, kind: TraceKind) {
        if self.trace.len() < self.config.trace_limit {
            self.trace.push(TraceEvent {
                time_us: self.now_us,
                client,
                kind,
            });
        }
    }

    /// The logical clock, in µs.
    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    /// The time of the next event, if any.
    pub fn next_event_us(&self) -> Option<u64> {
        self.events.peek()
    }

    /// True when nothing is left to happen.
    pub fn is_finished(&self) -> bool {
        self.events.is_empty()
    }

    /// Advances by one event; false when there was none.
    ///
    /// Never inlined into the loops that call it: browsers first run wasm in quickly compiled
    /// code and swap in optimised code at a function's next call (V8 has no on-stack replacement
    /// for wasm), so a flood's whole run inside one call would never leave the slow code.
    #[inline(never)]
    pub fn step(&mut self) -> bool {
        let Some((time, (client, kind))) = self.events.pop() else {
            return false;
        };
        self.now_us = time;
        if kind == EventKind::ServerFree {
            self.server_busy = false;
            self.serve_next();
            return true;
        }
        let index = client as usize;
        let Some(client) = self.clients.get_mut(index) else {
            return true;
        };
        let mut ctx = Ctx {
            now_us: time,
            epoch_ms: self.config.epoch_ms,
            rng: &mut client.rng,
        };
        let step = match kind {
            EventKind::Start => client.program.start(&mut ctx),
            EventKind::Arrive => {
                client.phase = Phase::Queued;
                self.queue.push_back(index as u32);
                if !self.server_busy {
                    self.serve_next();
                }
                return true;
            }
            EventKind::Deliver => {
                self.last_time_us = time;
                let slot = std::mem::replace(&mut client.replies, NO_REPLIES);
                match self.replies.get_mut(slot as usize) {
                    Some(responses) => {
                        let step = client.program.next(responses, &mut ctx);
                        responses.clear();
                        self.free_replies.push(slot);
                        step
                    }
                    None => client.program.next(&[], &mut ctx),
                }
            }
            EventKind::Wake | EventKind::ServerFree => client.program.next(&[], &mut ctx),
        };
        self.follow(index, step);
        true
    }

    /// Runs every event up to and including time `t_us`; the clock then reads `t_us` (or the last
    /// event's time if the run ended earlier).
    pub fn run_until(&mut self, t_us: u64) {
        while self.next_event_us().is_some_and(|t| t <= t_us) {
            self.step();
        }
        if !self.is_finished() {
            self.now_us = self.now_us.max(t_us);
        }
    }

    /// Runs at most `max_events` events; returns how many ran.
    pub fn run_events(&mut self, max_events: usize) -> usize {
        let mut n = 0;
        while n < max_events && self.step() {
            n += 1;
        }
        n
    }

    /// Runs to the end and returns the outcome.
    pub fn run(&mut self) -> Outcome {
        while self.step() {}
        self.outcome()
    }

    fn follow(&mut self, index: usize, step: Step) {
        let latency = self.config.latency;
        let Some(client) = self.clients.get_mut(index) else {
            return;
        };
        match step {
            Step::Send { think_us, batch } => {
                self.commands += batch.requests.len() as u64;
                self.round_trips += 1;
                let departed = self.now_us.saturating_add(think_us);
                let arrives = departed.saturating_add(latency.draw(&mut client.rng));
                client.phase = if think_us > 0 {
                    Phase::Thinking
                } else {
                    Phase::Requesting
                };
                let texts = (self.config.trace_limit > 0)
                    .then(|| batch.requests.iter().map(Request::text).collect());
                client.batch = Some(batch);
                client.departed_us = departed;
                if let Some(texts) = texts {
                    self.trace(index, TraceKind::Sent(texts));
                }
                self.push(arrives, index, EventKind::Arrive);
            }
            Step::Wait { us } => {
                client.phase = Phase::Thinking;
                self.push(self.now_us.saturating_add(us), index, EventKind::Wake);
            }
            Step::Done(finish) => {
                client.phase = Phase::Done(finish);
                self.finished_clients += 1;
                if finish == Finish::GaveUp {
                    self.gave_up += 1;
                }
                self.trace(index, TraceKind::Finished(finish));
            }
        }
    }

    /// Executes the next queued batch, back to back, as the single server thread does.
    fn serve_next(&mut self) {
        let Some(client) = self.queue.pop_front() else {
            return;
        };
        let client = client as usize;
        let Some(batch) = self.clients.get_mut(client).and_then(|c| c.batch.take()) else {
            return;
        };
        self.server_busy = true;
        // Only a batch that adds likes may move the counter (programs promise it), so the value
        // after the last such batch is the value before this one.
        let writes = batch.likes != 0;
        let before = self.current;
        self.engine
            .set_now_ms(self.config.epoch_ms + (self.now_us / 1000) as i64);
        let slot = match self.free_replies.pop() {
            Some(slot) => slot,
            None => {
                self.replies.push(Vec::new());
                u32::try_from(self.replies.len() - 1).unwrap_or(NO_REPLIES)
            }
        };
        let id = client as ClientId + 1;
        let recording = self.config.journal || self.config.trace_limit > 0;
        // A batch adds its likes only if it was not refused (a nil EXEC, an error).
        let mut refused = false;
        for request in batch.requests.iter() {
            let response = match request {
                Request::Redis(command) => {
                    let reply = command.with_argv(|argv| self.engine.execute_slices(id, argv));
                    refused |= matches!(reply, Reply::NilArray | Reply::Error(_));
                    Response::Redis(reply)
                }
                Request::Sql(statement) => Response::Sql(self.row.execute(statement)),
                Request::Disconnect => {
                    self.engine.disconnect(id);
                    Response::Disconnected
                }
            };
            if recording {
                self.record(client, request, &response);
            }
            if let Some(responses) = self.replies.get_mut(slot as usize) {
                responses.push(response);
            }
        }
        let after = if writes { self.counter() } else { self.current };
        self.current = after;
        if !refused && batch.likes != 0 {
            self.expected += batch.likes;
            let lost = before + batch.likes - after;
            // Net, so that lost_updates stays expected - actual: when arrivals are spread out, a
            // stale write can also raise the counter past likes an earlier stale write erased.
            self.lost += lost;
            if lost > 0 {
                self.trace(client, TraceKind::LostUpdate { lost });
            }
        } else if batch.likes != 0 {
            self.failed_writes += 1;
        }
        self.record_sample();
        let service = self
            .config
            .service_us
            .saturating_mul(batch.requests.len() as u64);
        let done = self.now_us.saturating_add(service);
        let latency = self.config.latency;
        let Some(record) = self.clients.get_mut(client) else {
            return;
        };
        let arrives = done.saturating_add(latency.draw(&mut record.rng));
        record.replies = slot;
        record.departed_us = done;
        record.phase = Phase::Replying;
        self.push(done, client, EventKind::ServerFree);
        self.push(arrives, client, EventKind::Deliver);
    }

    /// Journals and traces one executed request (when the configuration asks for either).
    #[inline(never)]
    fn record(&mut self, client: usize, request: &Request, response: &Response) {
        if self.config.journal {
            let wrote = match request {
                Request::Redis(_) => !self.engine.touched().is_empty(),
                Request::Sql(statement) => *statement != Statement::Select,
                Request::Disconnect => false,
            };
            self.journal.push(Executed {
                time_us: self.now_us,
                client,
                request: request.clone(),
                response: response.clone(),
                wrote,
            });
        }
        if self.config.trace_limit > 0 {
            let value = self.counter();
            self.trace(
                client,
                TraceKind::Executed {
                    request: request.text(),
                    response: response.text(),
                    value,
                },
            );
        }
    }

    fn record_sample(&mut self) {
        self.executions += 1;
        if !self.executions.is_multiple_of(self.sample_stride) {
            return;
        }
        self.samples.push(Sample {
            time_us: self.now_us,
            expected: self.expected,
            actual: self.current - self.config.initial,
        });
        if self.samples.len() >= 4096 {
            // Keep the chart light: drop every other point and sample half as often.
            let mut i = 0;
            self.samples.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.sample_stride *= 2;
        }
    }

    /// The counter's current value (Redis key or SQL row).
    pub fn counter(&self) -> i64 {
        if self.sql {
            return self.row.likes;
        }
        match self.engine.db().peek(self.config.key.as_bytes()) {
            Some(Value::Str(s)) => s.as_int().unwrap_or(0),
            _ => 0,
        }
    }

    /// The figures so far (final once [`Sim::is_finished`]).
    pub fn outcome(&self) -> Outcome {
        let actual = self.counter() - self.config.initial;
        Outcome {
            clients: self.config.clients,
            expected: self.expected,
            actual,
            lost_updates: self.lost,
            retries: self.failed_writes - self.gave_up,
            gave_up: self.gave_up,
            commands: self.commands,
            round_trips: self.round_trips,
            total_time_us: self.last_time_us,
            finished: self.finished_clients == self.config.clients,
        }
    }

    /// The trace kept so far (see [`Config::trace_limit`]).
    pub fn trace_events(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// The expected-versus-actual chart so far.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// Where each client is.
    pub fn phases(&self) -> PerClient<'_, P, Phase> {
        PerClient {
            clients: &self.clients,
            field: |c| &c.phase,
        }
    }

    /// Batches waiting in the server's queue (not counting the one executing).
    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    /// Messages on the wire now (requests after their think time, and replies).
    pub fn flights(&self) -> impl Iterator<Item = Flight> + '_ {
        let now = self.now_us;
        self.events
            .iter()
            .filter_map(move |(time, (client, kind))| {
                let client = *client as usize;
                let slot = self.clients.get(client)?;
                let to_server = match kind {
                    EventKind::Arrive if slot.departed_us <= now => true,
                    EventKind::Deliver => false,
                    _ => return None,
                };
                Some(Flight {
                    client,
                    departed_us: slot.departed_us,
                    arrives_us: time,
                    to_server,
                    writes: to_server && slot.batch.as_ref().is_some_and(|b| b.likes != 0),
                })
            })
    }

    /// The engine (to show the keyspace).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The engine, to prepare keys before a run (a scenario's stock, say) or poke it during one.
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// The SQL row (for the SQL strategies).
    pub fn row(&self) -> &Row {
        &self.row
    }

    /// The client programs.
    pub fn programs(&self) -> PerClient<'_, P, P> {
        PerClient {
            clients: &self.clients,
            field: |c| &c.program,
        }
    }

    /// Client `client`'s program, to change it during a run (a rate, a planned crash); `None` past
    /// the last client. The change shows at the program's next decision.
    pub fn program_mut(&mut self, client: usize) -> Option<&mut P> {
        self.clients.get_mut(client).map(|c| &mut c.program)
    }

    /// The requests executed since the journal was last taken, in execution order, and empties it
    /// (empty unless [`Config::journal`] is on).
    pub fn take_journal(&mut self) -> Vec<Executed> {
        std::mem::take(&mut self.journal)
    }
}
