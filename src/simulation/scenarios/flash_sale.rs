//! Lab 2 — the flash sale: 100 phones, 10,000 buyers.
//!
//! `SET product:iphone:stock 100`, then every buyer tries to take one. Four ways:
//!
//! - [`Sale::CheckThenSet`]: `GET`, and if the stock is above 0, `SET stock v-1`. Buyers who read
//!   the same value all "buy" the same phone: the shop oversells.
//! - [`Sale::Decr`] (the article's way): `DECR`; a reply ≥ 0 means bought, < 0 sold out. Exactly
//!   the stock is sold — but every late buyer pushes the stock further below zero, so the key ends
//!   at 100 − 10,000 and anything that reads it (a "3 left!" badge, a restock job) sees nonsense.
//! - [`Sale::DecrCompensate`]: `DECR`, and a buyer who got < 0 gives the unit back with `INCR`.
//!   The stock ends at 0; it still dips below 0 for a moment while buyers compensate.
//! - [`Sale::WatchMulti`]: `WATCH stock`, `GET`; if above 0, `MULTI` / `DECR` / `EXEC`, retried
//!   when EXEC answers nil (someone else bought in between); at 0, `UNWATCH` and sold out. The stock
//!   never goes below 0, at the price of retries.
//! - [`Sale::LuaScript`]: one `EVAL` of [`SALE_SCRIPT`], which checks the stock and decrements it
//!   inside Redis, atomically: exactly the stock is sold, the stock never goes below 0, and every
//!   buyer needs one round trip and no retry.
//! - [`Sale::Bitfield`]: the stock is an unsigned 32-bit field (`BITFIELD stock SET u32 0 100`),
//!   and every buyer sends `BITFIELD stock OVERFLOW FAIL INCRBY u32 0 -1`: a decrement below 0
//!   does nothing and answers nil, so the stock stops at 0 in one command, with no script. The
//!   price: the key holds 4 raw bytes, which `GET` shows as bytes, not a number.

use std::rc::Rc;

use super::{int_of, peek_int, redis, text, Driver, Lab, EPOCH_MS};
use crate::engine::{Engine, Reply};
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Request, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};

/// The stock's key.
pub const KEY: &str = "product:iphone:stock";

/// The lesson's check-and-decrement script: 1 when the buyer got a unit, 0 when sold out.
pub const SALE_SCRIPT: &str = "local stock = tonumber(redis.call('GET', KEYS[1]))\n\
if stock and stock > 0 then\n  redis.call('DECR', KEYS[1])\n  return 1\nend\nreturn 0";

/// How a buyer takes a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sale {
    /// `GET`, then `SET stock v-1` if v > 0: oversells.
    CheckThenSet,
    /// `DECR`: sells exactly the stock; the stock goes negative.
    Decr,
    /// `DECR`, then `INCR` back when the reply is < 0.
    DecrCompensate,
    /// `WATCH` / `GET` / `MULTI` / `DECR` / `EXEC`, retried.
    WatchMulti,
    /// One `EVAL` of a script that checks and decrements atomically.
    LuaScript,
    /// `BITFIELD … OVERFLOW FAIL INCRBY u32 0 -1` on a 32-bit unsigned field.
    Bitfield,
}

impl Sale {
    /// Every way, in the order the page lists them.
    pub const ALL: [Sale; 6] = [
        Sale::CheckThenSet,
        Sale::Decr,
        Sale::DecrCompensate,
        Sale::WatchMulti,
        Sale::LuaScript,
        Sale::Bitfield,
    ];

    /// A short stable name.
    pub fn slug(self) -> &'static str {
        match self {
            Sale::CheckThenSet => "get-check-set",
            Sale::Decr => "decr",
            Sale::DecrCompensate => "decr-compensate",
            Sale::WatchMulti => "watch-multi",
            Sale::LuaScript => "lua-script",
            Sale::Bitfield => "bitfield-fail",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Sale::CheckThenSet => "GET, check, SET v-1 (naive)",
            Sale::Decr => "DECR (the article's way)",
            Sale::DecrCompensate => "DECR, then INCR back if < 0",
            Sale::WatchMulti => "WATCH / MULTI / DECR / EXEC",
            Sale::LuaScript => "Lua script: check and DECR in one EVAL",
            Sale::Bitfield => "BITFIELD … OVERFLOW FAIL INCRBY u32 0 -1",
        }
    }
}

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleConfig {
    /// Units in stock at the start.
    pub stock: i64,
    /// Buyers, each trying to buy one unit.
    pub buyers: usize,
    /// Buyers arrive at random within this window, in ms.
    pub window_ms: u64,
    /// How buyers take a unit.
    pub sale: Sale,
    /// The seed.
    pub seed: u64,
}

impl Default for SaleConfig {
    /// 100 units, 10,000 buyers within one second, DECR.
    fn default() -> Self {
        SaleConfig {
            stock: 100,
            buyers: 10_000,
            window_ms: 1_000,
            sale: Sale::Decr,
            seed: 1,
        }
    }
}

/// How a buyer's attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purchase {
    /// The buyer was told it got a unit.
    Bought,
    /// The buyer was told the product is sold out.
    SoldOut,
}

/// The requests every buyer sends unchanged, built once.
#[derive(Debug)]
struct Shared {
    get: Batch,
    decr: Batch,
    incr: Batch,
    watch_get: Batch,
    transaction: Batch,
    unwatch: Batch,
    eval: Batch,
    bitfield: Batch,
}

impl Shared {
    fn new() -> Shared {
        let cmd = |name: &'static str| redis(vec![Arg::Word(name), text(KEY)]);
        Shared {
            get: Batch::one(cmd("GET"), 0),
            decr: Batch::one(cmd("DECR"), 0),
            incr: Batch::one(cmd("INCR"), 0),
            watch_get: Batch::new(vec![cmd("WATCH"), cmd("GET")], 0),
            transaction: Batch::new(
                vec![
                    Request::redis(&["MULTI"]),
                    cmd("DECR"),
                    Request::redis(&["EXEC"]),
                ],
                0,
            ),
            unwatch: Batch::one(Request::redis(&["UNWATCH"]), 0),
            eval: Batch::one(
                redis(vec![
                    Arg::Word("EVAL"),
                    Arg::Word(SALE_SCRIPT),
                    Arg::Int(1),
                    text(KEY),
                ]),
                0,
            ),
            bitfield: Batch::one(
                redis(vec![
                    Arg::Word("BITFIELD"),
                    text(KEY),
                    Arg::Word("OVERFLOW"),
                    Arg::Word("FAIL"),
                    Arg::Word("INCRBY"),
                    Arg::Word("u32"),
                    Arg::Int(0),
                    Arg::Int(-1),
                ]),
                0,
            ),
        }
    }
}

/// Client think time between reading the stock and acting on it, in µs (min, max).
const THINK_US: (u64, u64) = (50, 200);
/// First back-off after a nil EXEC, in µs (doubling, capped at 64×).
const BACKOFF_US: u64 = 100;

/// One buyer.
#[derive(Clone, Debug)]
pub struct Buyer {
    sale: Sale,
    shared: Rc<Shared>,
    /// How the attempt ended, once it has.
    pub result: Option<Purchase>,
    /// What the buyer's DECR answered (DECR ways).
    pub decr_reply: Option<i64>,
    /// Nil EXECs this buyer retried after.
    pub retries: u32,
    /// True while the buyer waits for the answer to its compensating INCR.
    compensating: bool,
    /// True once it sent its write (naive) or its transaction (WATCH).
    wrote: bool,
}

impl Buyer {
    fn send(batch: &Batch, think_us: u64) -> Step {
        Step::Send {
            think_us,
            batch: batch.clone(),
        }
    }

    fn done(&mut self, purchase: Purchase) -> Step {
        self.result = Some(purchase);
        Step::Done(Finish::Acknowledged)
    }
}

impl Program for Buyer {
    fn start(&mut self, _ctx: &mut Ctx<'_>) -> Step {
        let shared = self.shared.clone();
        match self.sale {
            Sale::CheckThenSet => Buyer::send(&shared.get, 0),
            Sale::Decr | Sale::DecrCompensate => Buyer::send(&shared.decr, 0),
            Sale::WatchMulti => Buyer::send(&shared.watch_get, 0),
            Sale::LuaScript => Buyer::send(&shared.eval, 0),
            Sale::Bitfield => Buyer::send(&shared.bitfield, 0),
        }
    }

    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step {
        let shared = self.shared.clone();
        match self.sale {
            Sale::LuaScript => match int_of(replies.first()) {
                Some(1) => self.done(Purchase::Bought),
                _ => self.done(Purchase::SoldOut),
            },
            // `[n]`: the field's new value, a unit taken; `[nil]`: it would go below 0.
            Sale::Bitfield => match replies.first() {
                Some(Response::Redis(Reply::Array(items))) => {
                    match items.first().and_then(super::int_of_reply) {
                        Some(n) => {
                            self.decr_reply = Some(n);
                            self.done(Purchase::Bought)
                        }
                        None => self.done(Purchase::SoldOut),
                    }
                }
                _ => self.done(Purchase::SoldOut),
            },
            Sale::CheckThenSet => {
                if self.wrote {
                    return self.done(Purchase::Bought);
                }
                let v = int_of(replies.first()).unwrap_or(0);
                if v <= 0 {
                    return self.done(Purchase::SoldOut);
                }
                self.wrote = true;
                let set = redis(vec![
                    Arg::Word("SET"),
                    text(KEY),
                    Arg::Int(v.saturating_sub(1)),
                ]);
                let think = ctx.rng.between(THINK_US.0, THINK_US.1);
                Step::Send {
                    think_us: think,
                    batch: Batch::one(set, 0),
                }
            }
            Sale::Decr | Sale::DecrCompensate => {
                if self.compensating {
                    return self.done(Purchase::SoldOut);
                }
                let n = int_of(replies.first()).unwrap_or(-1);
                self.decr_reply = Some(n);
                if n >= 0 {
                    return self.done(Purchase::Bought);
                }
                if self.sale == Sale::Decr {
                    return self.done(Purchase::SoldOut);
                }
                self.compensating = true;
                Buyer::send(&shared.incr, 0)
            }
            Sale::WatchMulti => {
                if replies.len() == 1 {
                    // The UNWATCH after reading 0.
                    return self.done(Purchase::SoldOut);
                }
                if !self.wrote {
                    let v = int_of(replies.get(1)).unwrap_or(0);
                    if v <= 0 {
                        return Buyer::send(&shared.unwatch, 0);
                    }
                    self.wrote = true;
                    let think = ctx.rng.between(THINK_US.0, THINK_US.1);
                    return Buyer::send(&shared.transaction, think);
                }
                match replies.last() {
                    Some(Response::Redis(Reply::Array(items))) => {
                        if let Some(n) = items.first().and_then(super::int_of_reply) {
                            self.decr_reply = Some(n);
                        }
                        self.done(Purchase::Bought)
                    }
                    _ => {
                        self.retries += 1;
                        self.wrote = false;
                        let cap = BACKOFF_US << self.retries.min(7).saturating_sub(1);
                        let backoff = ctx.rng.between(cap / 2, cap);
                        Buyer::send(&shared.watch_get, backoff)
                    }
                }
            }
        }
    }
}

/// The lab's figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleOutcome {
    /// Buyers in the run.
    pub buyers: usize,
    /// Buyers told they bought a unit.
    pub sold: i64,
    /// Buyers told it is sold out.
    pub sold_out: i64,
    /// Units sold beyond the stock (the naive way's bug).
    pub oversold: i64,
    /// The stock's value now.
    pub final_stock: i64,
    /// The lowest value the stock held (a DECR's reply, or the final value).
    pub lowest_stock: i64,
    /// Nil EXECs retried (WATCH only).
    pub retries: u64,
    /// Commands sent.
    pub commands: u64,
    /// Logical time until the last buyer had its answer, in µs.
    pub duration_us: u64,
    /// True when every buyer has its answer.
    pub finished: bool,
}

/// The unsigned 32-bit field at offset 0 of a string key (what `BITFIELD key GET u32 0` answers),
/// read without touching expiry or statistics.
fn peek_u32(engine: &Engine, key: &str) -> Option<u32> {
    match engine.db().peek(key.as_bytes()) {
        Some(crate::engine::Value::Str(s)) => {
            let bytes = s.to_bytes();
            let mut field = [0u8; 4];
            for (to, from) in field.iter_mut().zip(bytes.iter()) {
                *to = *from;
            }
            Some(u32::from_be_bytes(field))
        }
        _ => None,
    }
}

/// Lab 2, running.
pub struct SaleLab {
    config: SaleConfig,
    driver: Driver<Buyer>,
}

impl SaleLab {
    /// A run of `config`.
    pub fn new(config: SaleConfig) -> SaleLab {
        let shared = Rc::new(Shared::new());
        let mut sim = SimBuilder::new()
            .clients(config.buyers)
            .seed(config.seed)
            .key(KEY)
            .arrival_window_us(config.window_ms.saturating_mul(1_000))
            .epoch_ms(EPOCH_MS)
            .journal(true)
            .build(Programs::new(|_| Buyer {
                sale: config.sale,
                shared: shared.clone(),
                result: None,
                decr_reply: None,
                retries: 0,
                compensating: false,
                wrote: false,
            }));
        let stock = config.stock.to_string();
        if config.sale == Sale::Bitfield {
            sim.engine_mut()
                .execute(0, &["BITFIELD", KEY, "SET", "u32", "0", stock.as_str()]);
        } else {
            sim.engine_mut().execute(0, &["SET", KEY, stock.as_str()]);
        }
        SaleLab {
            config,
            driver: Driver::new(sim),
        }
    }

    /// Runs to the end and returns the figures.
    pub fn run(&mut self) -> SaleOutcome {
        self.run_until(u64::MAX);
        self.outcome()
    }

    /// The figures so far.
    pub fn outcome(&self) -> SaleOutcome {
        let sim = &self.driver.sim;
        let final_stock = match self.config.sale {
            Sale::Bitfield => peek_u32(sim.engine(), KEY).map_or(0, i64::from),
            _ => peek_int(sim.engine(), KEY).unwrap_or(0),
        };
        let (mut sold, mut sold_out, mut retries) = (0, 0, 0u64);
        let mut lowest = final_stock.min(self.config.stock);
        for b in sim.programs() {
            match b.result {
                Some(Purchase::Bought) => sold += 1,
                Some(Purchase::SoldOut) => sold_out += 1,
                None => {}
            }
            if let Some(n) = b.decr_reply {
                lowest = lowest.min(n);
            }
            retries += u64::from(b.retries);
        }
        let outcome = sim.outcome();
        SaleOutcome {
            buyers: self.config.buyers,
            sold,
            sold_out,
            oversold: (sold - self.config.stock.max(0)).max(0),
            final_stock,
            lowest_stock: lowest,
            retries,
            commands: outcome.commands,
            duration_us: outcome.total_time_us,
            finished: outcome.finished,
        }
    }
}

impl Lab for SaleLab {
    lab_reads_its_driver!(run_until);
}
