//! The configuration parameters the engine honours, as Redis 7.0's `config.c` defines them: names,
//! aliases, types, bounds, defaults, and the texts CONFIG SET answers when a value does not fit.
//!
//! Only parameters that change what the engine does are here: the encoding thresholds (a hash
//! leaves the listpack encoding past `hash-max-listpack-entries`, …), `maxmemory` and its policy
//! (OOM errors, eviction, which of OBJECT IDLETIME / FREQ answers, whether small integers are
//! shared), the LFU counter's parameters, the list node size the memory model uses and the
//! immutable `databases`. A host adds its own read-only ones (`port`, `save`, …) through
//! [`Host::parameters`](super::Host::parameters). Any other name is unknown, with Redis' text.

use super::glob::glob_match;
use super::number::parse_i64;

/// `maxmemory-policy`: what Redis does once memory is over `maxmemory`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// `volatile-lru`: evict the least recently used key that has a TTL.
    VolatileLru,
    /// `volatile-lfu`: evict the least frequently used key that has a TTL.
    VolatileLfu,
    /// `volatile-random`: evict a random key that has a TTL.
    VolatileRandom,
    /// `volatile-ttl`: evict the key that expires soonest.
    VolatileTtl,
    /// `allkeys-lru`: evict the least recently used key.
    AllkeysLru,
    /// `allkeys-lfu`: evict the least frequently used key.
    AllkeysLfu,
    /// `allkeys-random`: evict a random key.
    AllkeysRandom,
    /// `noeviction`: refuse commands that may grow memory (the default).
    NoEviction,
}

impl Policy {
    /// Every policy, in the order Redis' error message lists them (`maxmemory_policy_enum`).
    pub const ALL: [Policy; 8] = [
        Policy::VolatileLru,
        Policy::VolatileLfu,
        Policy::VolatileRandom,
        Policy::VolatileTtl,
        Policy::AllkeysLru,
        Policy::AllkeysLfu,
        Policy::AllkeysRandom,
        Policy::NoEviction,
    ];

    /// The name CONFIG GET answers.
    pub fn name(self) -> &'static str {
        match self {
            Policy::VolatileLru => "volatile-lru",
            Policy::VolatileLfu => "volatile-lfu",
            Policy::VolatileRandom => "volatile-random",
            Policy::VolatileTtl => "volatile-ttl",
            Policy::AllkeysLru => "allkeys-lru",
            Policy::AllkeysLfu => "allkeys-lfu",
            Policy::AllkeysRandom => "allkeys-random",
            Policy::NoEviction => "noeviction",
        }
    }

    /// `MAXMEMORY_FLAG_LFU`: objects keep an access-frequency counter instead of an access time.
    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::VolatileLfu | Policy::AllkeysLfu)
    }

    /// `MAXMEMORY_FLAG_LRU`.
    pub fn is_lru(self) -> bool {
        matches!(self, Policy::VolatileLru | Policy::AllkeysLru)
    }

    /// `MAXMEMORY_FLAG_ALLKEYS`: evicts among all keys, not only those with a TTL.
    pub fn is_allkeys(self) -> bool {
        matches!(
            self,
            Policy::AllkeysLru | Policy::AllkeysLfu | Policy::AllkeysRandom
        )
    }
}

/// How a numeric parameter's value is written (`config.c`'s numeric flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    /// `INTEGER_CONFIG`: a plain integer (`string2ll`).
    Integer,
    /// `MEMORY_CONFIG`: bytes, with an optional unit (`1kb`, `5m`, …; `memtoull`).
    Memory,
}

/// A parameter's type, bounds included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A number between `min` and `max`; `unsigned` for C's unsigned types (`size_t`, `unsigned
    /// long long`), whose bounds are compared after the value is read as unsigned, as Redis does.
    Number {
        unit: Unit,
        unsigned: bool,
        min: i128,
        max: i128,
    },
    /// `maxmemory-policy`.
    Policy,
    /// A value the engine cannot change (`save`, `appendonly`: nothing is ever persisted).
    /// CONFIG SET reads a new value as Redis reads it (a malformed one gets Redis' error), then
    /// takes only the value it holds.
    Fixed(&'static str, Syntax),
}

/// How Redis reads a [`Kind::Fixed`] parameter's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    /// `save`: space-separated pairs of seconds (at least 1) and changes (at least 0), read
    /// with `strtoll`; `""` for none (`setConfigSaveOption`).
    Save,
    /// A bool config: `yes` or `no`, any case (`yesnotoi`).
    YesNo,
}

impl Syntax {
    /// Redis' reading of `value`: true when it is the value the engine holds (`""` for `save`,
    /// `no` for `appendonly`), false for another valid one, or Redis' reason it is invalid.
    fn read(self, value: &[u8]) -> Result<bool, &'static str> {
        let value = super::command::c_str(value);
        match self {
            Syntax::YesNo if value.eq_ignore_ascii_case(b"no") => Ok(true),
            Syntax::YesNo if value.eq_ignore_ascii_case(b"yes") => Ok(false),
            Syntax::YesNo => Err("argument must be 'yes' or 'no'"),
            Syntax::Save => {
                // sdssplitlen on single spaces: "" is no argument, every space one more.
                let args: Vec<&[u8]> = if value.is_empty() {
                    Vec::new()
                } else {
                    value.split(|&b| b == b' ').collect()
                };
                let valid = args.len().is_multiple_of(2)
                    && args.iter().enumerate().all(|(j, arg)| {
                        strtoll_whole(arg).is_some_and(|n| n >= if j % 2 == 0 { 1 } else { 0 })
                    });
                if valid {
                    Ok(args.is_empty())
                } else {
                    Err("Invalid save parameters")
                }
            }
        }
    }
}

/// C's `strtoll(text, &end, 10)` when `*end` is then the end of the string (else None): leading
/// white space, a sign, digits (clamped to `i64` past it); no digits reads 0 only from `""`.
fn strtoll_whole(text: &[u8]) -> Option<i64> {
    let start = text
        .iter()
        .position(|b| !b" \t\n\x0b\x0c\r".contains(b))
        .unwrap_or(text.len());
    let (negative, digits) = match text.get(start) {
        Some(b'-') => (true, &text[start + 1..]),
        Some(b'+') => (false, &text[start + 1..]),
        _ => (false, &text[start..]),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return text.is_empty().then_some(0);
    }
    let mut value: i128 = 0;
    for &b in digits {
        value = (value * 10 + i128::from(b - b'0')).min(i128::from(i64::MAX) + 1);
    }
    let value = if negative { -value } else { value };
    Some(value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// One row of the parameter table.
#[derive(Clone, Copy, Debug)]
struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
    /// The value a new engine starts with (for the policy: its index in [`Policy::ALL`]).
    default: i64,
    /// `IMMUTABLE_CONFIG`: CONFIG SET refuses it.
    immutable: bool,
}

const INT_MIN: i128 = i32::MIN as i128;
const INT_MAX: i128 = i32::MAX as i128;
const LONG_MAX: i128 = i64::MAX as i128;
const ULLONG_MAX: i128 = u64::MAX as i128;

const fn size_t(
    name: &'static str,
    alias: Option<&'static str>,
    unit: Unit,
    default: i64,
) -> Param {
    Param {
        name,
        alias,
        kind: Kind::Number {
            unit,
            unsigned: true,
            min: 0,
            max: LONG_MAX,
        },
        default,
        immutable: false,
    }
}

const fn int(name: &'static str, alias: Option<&'static str>, min: i128, default: i64) -> Param {
    Param {
        name,
        alias,
        kind: Kind::Number {
            unit: Unit::Integer,
            unsigned: false,
            min,
            max: INT_MAX,
        },
        default,
        immutable: false,
    }
}

const fn fixed(name: &'static str, value: &'static str, syntax: Syntax) -> Param {
    Param {
        name,
        alias: None,
        kind: Kind::Fixed(value, syntax),
        default: 0,
        immutable: false,
    }
}

/// The parameters, in the order of [`Id`].
static PARAMS: [Param; 14] = [
    size_t(
        "hash-max-listpack-entries",
        Some("hash-max-ziplist-entries"),
        Unit::Integer,
        512,
    ),
    size_t(
        "hash-max-listpack-value",
        Some("hash-max-ziplist-value"),
        Unit::Memory,
        64,
    ),
    size_t(
        "zset-max-listpack-entries",
        Some("zset-max-ziplist-entries"),
        Unit::Integer,
        128,
    ),
    size_t(
        "zset-max-listpack-value",
        Some("zset-max-ziplist-value"),
        Unit::Memory,
        64,
    ),
    size_t("set-max-intset-entries", None, Unit::Integer, 512),
    int(
        "list-max-listpack-size",
        Some("list-max-ziplist-size"),
        INT_MIN,
        -2,
    ),
    Param {
        name: "maxmemory",
        alias: None,
        kind: Kind::Number {
            unit: Unit::Memory,
            unsigned: true,
            min: 0,
            max: ULLONG_MAX,
        },
        default: 0,
        immutable: false,
    },
    Param {
        name: "maxmemory-policy",
        alias: None,
        kind: Kind::Policy,
        default: 7,
        immutable: false,
    },
    int("maxmemory-samples", None, 1, 5),
    int("lfu-log-factor", None, 0, 10),
    int("lfu-decay-time", None, 0, 1),
    Param {
        name: "databases",
        alias: None,
        kind: Kind::Number {
            unit: Unit::Integer,
            unsigned: false,
            min: 1,
            max: INT_MAX,
        },
        default: super::DATABASES as i64,
        immutable: true,
    },
    // Persistence: none, in the browser as in `redis-sim serve`.
    fixed("save", "", Syntax::Save),
    fixed("appendonly", "no", Syntax::YesNo),
];

/// A parameter of [`PARAMS`], by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Id {
    HashMaxListpackEntries,
    HashMaxListpackValue,
    ZsetMaxListpackEntries,
    ZsetMaxListpackValue,
    SetMaxIntsetEntries,
    ListMaxListpackSize,
    Maxmemory,
    MaxmemoryPolicy,
    MaxmemorySamples,
    LfuLogFactor,
    LfuDecayTime,
}

/// The engine's configuration: one value per parameter (numbers as C's `long long` holds them;
/// `maxmemory`'s bits as an unsigned value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    values: [i64; PARAMS.len()],
}

impl Default for Config {
    /// Redis 7.0's built-in defaults (what `redis-server` without a configuration file runs with).
    fn default() -> Self {
        let mut values = [0; PARAMS.len()];
        for (value, param) in values.iter_mut().zip(&PARAMS) {
            *value = param.default;
        }
        Config { values }
    }
}

/// The thresholds past which a collection leaves its compact encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListpackLimits {
    /// Most entries (`*-max-listpack-entries`, `set-max-intset-entries`).
    pub entries: usize,
    /// Longest element in bytes (`*-max-listpack-value`; unused for intsets).
    pub value: usize,
}

impl Config {
    fn get(&self, id: Id) -> i64 {
        self.values[id as usize]
    }

    fn size(&self, id: Id) -> usize {
        usize::try_from(self.get(id)).unwrap_or(usize::MAX)
    }

    /// `hash-max-listpack-entries` and `hash-max-listpack-value`.
    pub fn hash_limits(&self) -> ListpackLimits {
        ListpackLimits {
            entries: self.size(Id::HashMaxListpackEntries),
            value: self.size(Id::HashMaxListpackValue),
        }
    }

    /// `zset-max-listpack-entries` and `zset-max-listpack-value`.
    pub fn zset_limits(&self) -> ListpackLimits {
        ListpackLimits {
            entries: self.size(Id::ZsetMaxListpackEntries),
            value: self.size(Id::ZsetMaxListpackValue),
        }
    }

    /// `set-max-intset-entries`, capped at 2^30 as `setTypeAdd` caps it.
    pub fn set_max_intset_entries(&self) -> usize {
        self.size(Id::SetMaxIntsetEntries).min(1 << 30)
    }

    /// `list-max-listpack-size`: a positive count of entries per list node, or -1 … -5 for 4, 8,
    /// 16, 32 or 64 KB per node.
    pub fn list_max_listpack_size(&self) -> i64 {
        self.get(Id::ListMaxListpackSize)
    }

    /// `maxmemory` in bytes; 0 for no limit.
    pub fn maxmemory(&self) -> u64 {
        self.get(Id::Maxmemory) as u64
    }

    /// `maxmemory-policy`.
    pub fn policy(&self) -> Policy {
        let index = usize::try_from(self.get(Id::MaxmemoryPolicy)).unwrap_or(0);
        Policy::ALL
            .get(index)
            .copied()
            .unwrap_or(Policy::NoEviction)
    }

    /// `maxmemory-samples`.
    pub fn maxmemory_samples(&self) -> usize {
        self.size(Id::MaxmemorySamples)
    }

    /// `lfu-log-factor`.
    pub fn lfu_log_factor(&self) -> i64 {
        self.get(Id::LfuLogFactor)
    }

    /// `lfu-decay-time` in minutes.
    pub fn lfu_decay_time(&self) -> i64 {
        self.get(Id::LfuDecayTime)
    }

    /// Redis' `MAXMEMORY_FLAG_NO_SHARED_INTEGERS` test: integers 0–9,999 are stored as shared
    /// objects unless `maxmemory` is set with an LRU or LFU policy.
    pub fn shares_integers(&self) -> bool {
        let policy = self.policy();
        self.maxmemory() == 0 || !(policy.is_lru() || policy.is_lfu())
    }

    /// The value CONFIG GET prints for parameter `index`.
    fn show(&self, index: usize) -> String {
        let value = self.values[index];
        match PARAMS[index].kind {
            Kind::Policy => self.policy().name().to_owned(),
            Kind::Fixed(value, _) => value.to_owned(),
            Kind::Number {
                unit: Unit::Memory, ..
            } => (value as u64).to_string(),
            Kind::Number { .. } => value.to_string(),
        }
    }
}

/// Every name a parameter answers to, alias included, with the parameter's index. Redis
/// registers an alias as a parameter of its own sharing the value (`registerConfigValue`): a
/// pattern lists both names, and CONFIG SET takes both in one call.
fn names() -> impl Iterator<Item = (&'static str, usize)> {
    PARAMS
        .iter()
        .enumerate()
        .flat_map(|(i, p)| std::iter::once((p.name, i)).chain(p.alias.map(|a| (a, i))))
}

/// Redis' `memtoull`: digits (fewer than 128) with an optional unit (`b`, `k`, `kb`, `m`, `mb`,
/// `g`, `gb`, any case), up to a NUL; no sign. Past `u64` the digits read as `u64::MAX` (strtoull), and the product wraps.
fn memtoull(value: &[u8]) -> Option<u64> {
    // A C string: it ends at a NUL.
    let value = super::command::c_str(value);
    let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
    // The digits are copied into a 128-byte buffer first: 128 or more are refused.
    if digits >= 128 {
        return None;
    }
    let unit = &value[digits..];
    let multiplier: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    // A leading '-' stops both the digits and the unit test above ("-1" has unit "-1").
    let mut number: u64 = 0;
    for &b in &value[..digits] {
        number = number
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .unwrap_or(u64::MAX);
    }
    Some(number.wrapping_mul(multiplier))
}

/// `numericParseString` then `numericBoundaryCheck` (or the enum's lookup) for parameter
/// `index`: the value to store, or Redis' reason.
fn parse(index: usize, value: &[u8]) -> Result<i64, String> {
    match PARAMS[index].kind {
        Kind::Fixed(_, syntax) => match syntax.read(value)? {
            true => Ok(0),
            false => Err("can't set immutable config".to_owned()),
        },
        Kind::Policy => Policy::ALL
            .iter()
            .position(|p| value.eq_ignore_ascii_case(p.name().as_bytes()))
            .map(|i| i as i64)
            .ok_or_else(|| {
                let names: Vec<&str> = Policy::ALL.iter().map(|p| p.name()).collect();
                format!(
                    "argument(s) must be one of the following: {}",
                    names.join(", ")
                )
            }),
        Kind::Number {
            unit,
            unsigned,
            min,
            max,
        } => {
            let parsed = match unit {
                Unit::Memory => memtoull(value)
                    .map(|v| v as i64)
                    .ok_or("argument must be a memory value"),
                Unit::Integer => {
                    parse_i64(value).ok_or("argument couldn't be parsed into an integer")
                }
            };
            let number = parsed.map_err(str::to_owned)?;
            let seen = if unsigned {
                i128::from(number as u64)
            } else {
                i128::from(number)
            };
            if seen < min || seen > max {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(number)
        }
    }
}

/// A read-only parameter of the host's (`port`, `save`, …): its name and current value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostParam {
    /// The name, lowercase.
    pub name: &'static str,
    /// The value CONFIG GET answers.
    pub value: Vec<u8>,
}

/// A name CONFIG GET or SET may reach: an engine parameter's (name, index) or a host's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Engine(&'static str, usize),
    Host(usize),
}

/// Every name, the engine's then the host's.
fn targets(host: &[HostParam]) -> impl Iterator<Item = (&'static str, Target)> + '_ {
    names().map(|(n, i)| (n, Target::Engine(n, i))).chain(
        host.iter()
            .enumerate()
            .map(|(i, p)| (p.name, Target::Host(i))),
    )
}

/// CONFIG GET's answer for `patterns`: name-value pairs. As in Redis' `configGetCommand`, a
/// plain name (no `*`, `?` or `[`) is answered under the name as typed, once per spelling; a
/// pattern matches every name and alias case-insensitively, each answered once.
pub fn get(config: &Config, host: &[HostParam], patterns: &[&[u8]]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut found: Vec<(Vec<u8>, Target)> = Vec::new();
    for pattern in patterns {
        // strpbrk and stringmatch read the pattern as a C string.
        let glob = super::command::c_str(pattern);
        let is_glob = glob.iter().any(|b| matches!(b, b'[' | b'*' | b'?'));
        if !is_glob {
            if found.iter().any(|(k, _)| k.eq_ignore_ascii_case(pattern)) {
                continue;
            }
            if let Some((_, target)) =
                targets(host).find(|(n, _)| pattern.eq_ignore_ascii_case(n.as_bytes()))
            {
                found.push((pattern.to_vec(), target));
            }
            continue;
        }
        let lower = glob.to_ascii_lowercase();
        for (name, target) in targets(host) {
            let seen = found
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(name.as_bytes()));
            if !seen && glob_match(&lower, name.as_bytes()) {
                found.push((name.as_bytes().to_vec(), target));
            }
        }
    }
    found
        .into_iter()
        .map(|(key, target)| {
            let value = match target {
                Target::Engine(_, i) => config.show(i).into_bytes(),
                Target::Host(i) => host[i].value.clone(),
            };
            (key, value)
        })
        .collect()
}

/// Why CONFIG SET refused: the error text after `-`.
fn set_error(argument: &[u8], reason: &str) -> Vec<u8> {
    let mut text = b"ERR CONFIG SET failed (possibly related to argument '".to_vec();
    text.extend_from_slice(super::command::c_str(argument));
    text.extend_from_slice(b"') - ");
    text.extend_from_slice(reason.as_bytes());
    text
}

/// CONFIG SET's pairs (`args` alternate name and value; an odd count is the caller's syntax
/// error), applied all or none, as Redis' `configSetCommand`: an unknown name wins over every
/// other error, then an immutable or repeated one (named as typed), then the first value that
/// does not parse (named as registered). A host's parameter takes only its current value. On
/// success `config` holds the new values.
pub fn set(config: &mut Config, host: &[HostParam], args: &[&[u8]]) -> Result<(), Vec<u8>> {
    let mut chosen: Vec<(Target, &[u8])> = Vec::with_capacity(args.len() / 2);
    let mut unknown: Option<&[u8]> = None;
    let mut refused: Option<(&[u8], &str)> = None;
    for pair in args.chunks_exact(2) {
        let (name, value) = (pair[0], pair[1]);
        let Some((_, target)) =
            targets(host).find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
        else {
            if unknown.is_none() && refused.is_none() {
                unknown = Some(name);
            }
            continue;
        };
        if unknown.is_some() || refused.is_some() {
            continue;
        }
        // A host's value takes only itself. (The engine's fixed ones are read with the other
        // values, below, as Redis reads them.)
        let immutable = match target {
            Target::Engine(_, i) => PARAMS[i].immutable,
            Target::Host(i) => !value.eq_ignore_ascii_case(&host[i].value),
        };
        if immutable {
            refused = Some((name, "can't set immutable config"));
            continue;
        }
        if chosen.iter().any(|(t, _)| *t == target) {
            refused = Some((name, "duplicate parameter"));
        }
        chosen.push((target, value));
    }
    if let Some(name) = unknown {
        let mut text = b"ERR Unknown option or number of arguments for CONFIG SET - '".to_vec();
        text.extend_from_slice(super::command::c_str(name));
        text.push(b'\'');
        return Err(text);
    }
    if let Some((name, reason)) = refused {
        return Err(set_error(name, reason));
    }
    let mut next = *config;
    for (target, value) in chosen {
        if let Target::Engine(name, i) = target {
            next.values[i] = parse(i, value).map_err(|e| set_error(name.as_bytes(), &e))?;
        }
    }
    *config = next;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_redis_built_in_ones() {
        let c = Config::default();
        assert_eq!(
            c.hash_limits(),
            ListpackLimits {
                entries: 512,
                value: 64
            }
        );
        assert_eq!(
            c.zset_limits(),
            ListpackLimits {
                entries: 128,
                value: 64
            }
        );
        assert_eq!(c.set_max_intset_entries(), 512);
        assert_eq!(c.policy(), Policy::NoEviction);
        assert!(c.shares_integers());
    }

    #[test]
    fn memory_values_read_as_memtoull_reads_them() {
        assert_eq!(memtoull(b"1kb"), Some(1024));
        assert_eq!(memtoull(b"1K"), Some(1000));
        assert_eq!(memtoull(b"2GB"), Some(2 << 30));
        assert_eq!(memtoull(b""), Some(0));
        assert_eq!(memtoull(b"12b"), Some(12));
        assert_eq!(memtoull(b"-1"), None);
        assert_eq!(memtoull(b"1.5mb"), None);
        assert_eq!(memtoull(b"99999999999999999999999"), Some(u64::MAX));
        assert_eq!(memtoull(b"\0x"), Some(0));
        assert_eq!(memtoull(b"12\0kb"), Some(12));
        assert_eq!(memtoull("1".repeat(128).as_bytes()), None);
    }

    #[test]
    fn set_is_all_or_nothing_with_redis_texts() {
        let mut c = Config::default();
        let err = |r: Result<(), Vec<u8>>| String::from_utf8(r.unwrap_err()).unwrap();
        assert_eq!(
            err(set(&mut c, &[], &[b"maxmemory", b"1mb", b"nope", b"1"])),
            "ERR Unknown option or number of arguments for CONFIG SET - 'nope'"
        );
        assert_eq!(
            err(set(
                &mut c,
                &[],
                &[b"maxmemory", b"1mb", b"hash-max-listpack-entries", b"x"]
            )),
            "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - \
             argument couldn't be parsed into an integer"
        );
        assert_eq!(c.maxmemory(), 0);
        assert_eq!(
            err(set(&mut c, &[], &[b"maxmemory", b"1", b"MAXMEMORY", b"2"])),
            "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter"
        );
        // An alias is a parameter of its own: both in one call is no repetition, and a value
        // that does not parse is blamed on the name as registered.
        set(
            &mut c,
            &[],
            &[
                b"hash-max-ziplist-entries",
                b"1",
                b"hash-max-listpack-entries",
                b"2",
            ],
        )
        .unwrap();
        assert_eq!(c.hash_limits().entries, 2);
        assert_eq!(
            err(set(&mut c, &[], &[b"HASH-MAX-ZIPLIST-ENTRIES", b"x"])),
            "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - \
             argument couldn't be parsed into an integer"
        );
        assert_eq!(
            err(set(&mut c, &[], &[b"databases", b"3"])),
            "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"
        );
        assert_eq!(
            err(set(&mut c, &[], &[b"hash-max-listpack-entries", b"-1"])),
            "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - \
             argument must be between 0 and 9223372036854775807 inclusive"
        );
        set(
            &mut c,
            &[],
            &[b"maxmemory", b"1mb", b"maxmemory-policy", b"ALLKEYS-LRU"],
        )
        .unwrap();
        assert_eq!(c.maxmemory(), 1 << 20);
        assert!(!c.shares_integers());
        let host = [HostParam {
            name: "port",
            value: b"6379".to_vec(),
        }];
        set(&mut c, &host, &[b"appendonly", b"NO", b"port", b"6379"]).unwrap();
        assert!(set(&mut c, &host, &[b"appendonly", b"yes"]).is_err());
        assert!(set(&mut c, &host, &[b"port", b"7000"]).is_err());
    }

    #[test]
    fn get_answers_names_as_typed_and_patterns_once() {
        let c = Config::default();
        let host = [HostParam {
            name: "port",
            value: b"6379".to_vec(),
        }];
        let keys = |patterns: &[&[u8]]| -> Vec<String> {
            get(&c, &host, patterns)
                .into_iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        String::from_utf8_lossy(&k),
                        String::from_utf8_lossy(&v)
                    )
                })
                .collect()
        };
        assert_eq!(keys(&[b"MAXMEMORY"]), ["MAXMEMORY=0"]);
        assert_eq!(keys(&[b"maxmemory", b"MAXMEMORY"]), ["maxmemory=0"]);
        assert_eq!(keys(&[b"save", b"port"]), ["save=", "port=6379"]);
        assert_eq!(
            keys(&[b"HASH-*-entries"]),
            [
                "hash-max-listpack-entries=512",
                "hash-max-ziplist-entries=512"
            ]
        );
        assert_eq!(keys(&[b"hash-max-ziplist-entries", b"*-entries"]).len(), 5);
        assert_eq!(keys(&[b"maxmemory-p*"]), ["maxmemory-policy=noeviction"]);
        assert!(keys(&[b"nosuch"]).is_empty());
    }
}
