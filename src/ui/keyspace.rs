//! What the inspector shows of the keyspace: a bounded, sorted, display-ready view of the engine's
//! live keys, so that even 100,000 keys or a 50,000-field hash render quickly.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::cli::format::write_repr;
use crate::engine::number::format_f64;
use crate::engine::{Engine, Value};

/// At most this many keys are shown (the first ones in byte order).
pub const MAX_KEYS_SHOWN: usize = 200;
/// At most this many fields or members are shown per key.
pub const MAX_ITEMS_SHOWN: usize = 50;
/// Strings longer than this many bytes are shown cut, with their full length.
pub const MAX_STRING_SHOWN: usize = 300;

/// A key's value, ready to display.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueView {
    /// A string, quoted and escaped as redis-cli prints it (cut after [`MAX_STRING_SHOWN`] bytes).
    Str(String),
    /// A hash's fields and values, in HGETALL order.
    Hash(Pairs),
    /// A sorted set's members and scores, lowest score first (ZRANGE order).
    ZSet(Pairs),
    /// A set's members in SMEMBERS order (ascending integers for an intset, else the order they
    /// were added in).
    Set(Items),
    /// A list's elements, head first (LRANGE order).
    List(Items),
}

/// Up to [`MAX_ITEMS_SHOWN`] pairs of a collection, and how many it holds in all.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pairs {
    /// (field, value) or (member, score), as displayed.
    pub shown: Vec<(String, String)>,
    /// The collection's size.
    pub total: usize,
}

/// Up to [`MAX_ITEMS_SHOWN`] elements of a set, and how many it holds in all.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Items {
    /// The elements, as displayed.
    pub shown: Vec<String>,
    /// The collection's size.
    pub total: usize,
}

/// One live key, ready to display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyView {
    /// The key's bytes (identity, and to match the keys the last command touched).
    pub key: Vec<u8>,
    /// The key as redis-cli prints it: quoted, escaped.
    pub label: String,
    /// `TYPE`'s answer: `string`, `hash`, `set` or `zset`.
    pub type_name: &'static str,
    /// The value.
    pub value: ValueView,
    /// When the key expires (engine time, Unix milliseconds), if it has a TTL.
    pub expire_at: Option<i64>,
    /// Changes whenever anything displayed changes: the list re-renders only changed keys.
    pub fingerprint: u64,
}

/// The inspector's view of the keyspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyspaceView {
    /// The first [`MAX_KEYS_SHOWN`] live keys in byte order.
    pub keys: Vec<KeyView>,
    /// How many live keys there are in all (what DBSIZE would say after expiry).
    pub total: usize,
}

/// Builds the inspector's view of the live keys of `engine`'s database `db` (expired ones are left
/// out, as every read in Redis leaves them out).
pub fn keyspace_view(engine: &Engine, db: usize) -> KeyspaceView {
    let db = engine.database(db).unwrap_or_else(|| engine.db());
    let mut live: Vec<(&[u8], &Value, Option<i64>)> = db.live_entries().collect();
    let total = live.len();
    if live.len() > MAX_KEYS_SHOWN {
        live.select_nth_unstable_by(MAX_KEYS_SHOWN, |a, b| a.0.cmp(b.0));
        live.truncate(MAX_KEYS_SHOWN);
    }
    live.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let keys = live
        .into_iter()
        .map(|(key, value, expire_at)| {
            let view = value_view(value);
            let type_name = value.value_type().name();
            let mut hasher = DefaultHasher::new();
            (type_name, &view, expire_at).hash(&mut hasher);
            KeyView {
                key: key.to_vec(),
                label: repr(key),
                type_name,
                value: view,
                expire_at,
                fingerprint: hasher.finish(),
            }
        })
        .collect();
    KeyspaceView { keys, total }
}

fn value_view(value: &Value) -> ValueView {
    match value {
        Value::Str(s) => ValueView::Str(cut_repr(&s.to_bytes())),
        Value::Hash(h) => ValueView::Hash(Pairs {
            shown: h
                .iter()
                .take(MAX_ITEMS_SHOWN)
                .map(|(f, v)| (cut_repr(f), cut_repr(v)))
                .collect(),
            total: h.len(),
        }),
        Value::ZSet(z) => ValueView::ZSet(Pairs {
            shown: z
                .iter()
                .take(MAX_ITEMS_SHOWN)
                .map(|(m, s)| (cut_repr(m), format_f64(s)))
                .collect(),
            total: z.len(),
        }),
        Value::Set(set) => ValueView::Set(Items {
            shown: set
                .iter()
                .take(MAX_ITEMS_SHOWN)
                .map(|m| cut_repr(&m))
                .collect(),
            total: set.len(),
        }),
        Value::List(list) => ValueView::List(Items {
            shown: list.iter().take(MAX_ITEMS_SHOWN).map(cut_repr).collect(),
            total: list.len(),
        }),
    }
}

/// How many keys a view holds, in words: `(empty keyspace)`, `1 key`, `250 keys (the first 200
/// shown)`.
pub fn count_label(view: &KeyspaceView) -> String {
    match view.total {
        0 => "(empty keyspace)".to_owned(),
        1 => "1 key".to_owned(),
        n if n > view.keys.len() => format!("{n} keys (the first {} shown)", view.keys.len()),
        n => format!("{n} keys"),
    }
}

/// `bytes` as redis-cli prints them: `"…"` with `\n`, `\xff` and the like escaped.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len() + 2);
    write_repr(&mut out, bytes);
    // write_repr emits printable ASCII only.
    String::from_utf8_lossy(&out).into_owned()
}

/// [`repr`] of at most [`MAX_STRING_SHOWN`] bytes, followed by the full length when cut.
fn cut_repr(bytes: &[u8]) -> String {
    match bytes.get(..MAX_STRING_SHOWN) {
        Some(head) if bytes.len() > MAX_STRING_SHOWN => {
            format!("{}… ({} bytes)", repr(head), bytes.len())
        }
        _ => repr(bytes),
    }
}

/// A TTL for display, counting down: `9.4 s` under a minute, `4 min 05 s` under an hour, then
/// `27 h 46 min`. Rounded up, so `0.0 s` shows only in the last millisecond of a key's life.
pub fn ttl_label(remaining_ms: i64) -> String {
    let ms = remaining_ms.max(0);
    if ms < 60_000 {
        let tenths = ms.saturating_add(99) / 100;
        format!("{}.{} s", tenths / 10, tenths % 10)
    } else if ms < 3_600_000 {
        let seconds = ms.saturating_add(999) / 1_000;
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    } else {
        let minutes = ms / 60_000;
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}
