//! What Redis keeps in every value's object header besides the value: the 24-bit access stamp
//! (`robj.lru`) and whether the value is one of the shared integers (`robj.refcount`), as
//! `object.c` and `evict.c` of Redis 7.0 keep them. OBJECT IDLETIME, FREQ and REFCOUNT show them.
//!
//! - Under an LRU (or no eviction) policy the stamp is the LRU clock: Unix seconds modulo 2^24,
//!   set when the object is created and whenever a command looks the key up (`lookupKey`), except
//!   the lookups that say not to (EXISTS, TYPE, the TTL family, OBJECT, SCAN's TYPE filter).
//! - Under an LFU policy the same 24 bits hold the minute of the last access (16 bits) and a
//!   logarithmic access counter (8 bits), which starts at 5, grows with probability
//!   1 / ((counter − 5) × lfu-log-factor + 1) on each access and decays by one every
//!   `lfu-decay-time` minutes. Switching policy leaves the bits as they are: as Redis warns, they
//!   take a while to mean anything again.
//! - Integers 0–9,999 stored by SET, INCR and their kind are one shared object per value
//!   (`OBJ_SHARED_INTEGERS`) unless `maxmemory` is set with an LRU or LFU policy: every key holding
//!   42 then shares one stamp, touched by a lookup of any of them (and first set when the server
//!   started), and its reference count is `INT_MAX`.

use super::config::Config;
use super::rng::Rng;
use super::value::{Str, Value};

/// `LRU_CLOCK_MAX`: the stamp has 24 bits.
pub const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;

/// `LFU_INIT_VAL`: the counter of a new object under an LFU policy.
pub const LFU_INIT_VAL: u32 = 5;

/// `OBJ_SHARED_INTEGERS`: integers below it (and not negative) are shared objects.
pub const SHARED_INTEGERS: i64 = 10_000;

/// `OBJ_SHARED_REFCOUNT`: what OBJECT REFCOUNT answers for a shared object.
pub const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// The LRU clock at `now_ms`: seconds modulo 2^24 (`getLRUClock`).
pub fn lru_clock(now_ms: i64) -> u32 {
    (now_ms.div_euclid(1000).rem_euclid(1 << 24)) as u32
}

/// `LFUGetTimeInMinutes`: minutes modulo 2^16.
fn lfu_minutes(now_ms: i64) -> u32 {
    (now_ms.div_euclid(60_000).rem_euclid(1 << 16)) as u32
}

/// The stamp of an object created at `now_ms` (`createObject`).
pub fn fresh_stamp(config: &Config, now_ms: i64) -> u32 {
    if config.policy().is_lfu() {
        (lfu_minutes(now_ms) << 8) | LFU_INIT_VAL
    } else {
        lru_clock(now_ms)
    }
}

/// The stamp after an access at `now_ms` (`lookupKey`: `updateLFU` or the LRU clock).
pub fn touched(stamp: u32, config: &Config, now_ms: i64, rng: &mut Rng) -> u32 {
    if !config.policy().is_lfu() {
        return lru_clock(now_ms);
    }
    let mut counter = lfu_decr_and_return(stamp, config, now_ms);
    if counter < 255 {
        // LFULogIncr, with the engine's seeded generator in place of C's rand().
        let r = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
        let p = 1.0 / (base * config.lfu_log_factor() as f64 + 1.0);
        if r < p {
            counter += 1;
        }
    }
    (lfu_minutes(now_ms) << 8) | counter
}

/// `LFUDecrAndReturn`: the counter once the minutes since the last access have decayed it.
pub fn lfu_decr_and_return(stamp: u32, config: &Config, now_ms: i64) -> u32 {
    let last = stamp >> 8;
    let counter = stamp & 255;
    let now = lfu_minutes(now_ms);
    let elapsed = if now >= last {
        now - last
    } else {
        65_535 - last + now
    };
    let decay = u32::try_from(config.lfu_decay_time()).unwrap_or(u32::MAX);
    let periods = elapsed.checked_div(decay).unwrap_or(0);
    counter.saturating_sub(periods)
}

/// `estimateObjectIdleTime` in milliseconds: the LRU clock's distance from the stamp, at Redis'
/// one-second resolution, with Redis' wrap-around arithmetic.
pub fn idle_ms(stamp: u32, now_ms: i64) -> u64 {
    let clock = lru_clock(now_ms);
    let ticks = if clock >= stamp {
        clock - stamp
    } else {
        clock + (LRU_CLOCK_MAX - stamp)
    };
    u64::from(ticks) * 1000
}

/// The encoding OBJECT ENCODING names for `value` (`strEncoding`).
pub fn encoding(value: &Value) -> &'static str {
    match value {
        Value::Str(s) => s.encoding().name(),
        Value::Hash(h) if h.is_listpack() => "listpack",
        Value::Hash(_) => "hashtable",
        Value::Set(s) if s.is_intset() => "intset",
        Value::Set(_) => "hashtable",
        Value::ZSet(z) if z.is_listpack() => "listpack",
        Value::ZSet(_) => "skiplist",
        Value::List(_) => super::list::ENCODING,
    }
}

/// The shared integer `value` is, when it is one: an integer-encoded string in the shared range
/// that was not made an object of its own (`private`: COPY's duplicate, or stored while sharing
/// was off).
pub fn shared_integer(value: &Value, private: bool) -> Option<u16> {
    match value {
        Value::Str(Str::Int(n)) if !private && (0..SHARED_INTEGERS).contains(n) => {
            u16::try_from(*n).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_time_counts_whole_seconds_of_the_lru_clock() {
        let stamp = lru_clock(10_999);
        assert_eq!(idle_ms(stamp, 11_000), 1000);
        assert_eq!(idle_ms(stamp, 10_000), 0);
        // The clock wraps after 2^24 seconds; Redis' formula is one tick short there.
        let late = lru_clock(i64::from(LRU_CLOCK_MAX) * 1000);
        assert_eq!(idle_ms(late, (i64::from(LRU_CLOCK_MAX) + 3) * 1000), 2000);
    }

    #[test]
    fn lfu_counters_start_at_five_and_decay_per_minute() {
        let mut config = Config::default();
        super::super::config::set(&mut config, &[], &[b"maxmemory-policy", b"allkeys-lfu"])
            .unwrap();
        let stamp = fresh_stamp(&config, 0);
        assert_eq!(lfu_decr_and_return(stamp, &config, 0), 5);
        assert_eq!(lfu_decr_and_return(stamp, &config, 3 * 60_000), 2);
        assert_eq!(lfu_decr_and_return(stamp, &config, 60 * 60_000), 0);
        // At 5 the first access always counts (p = 1).
        let mut rng = Rng::new(1);
        assert_eq!(touched(stamp, &config, 0, &mut rng) & 255, 6);
    }
}
