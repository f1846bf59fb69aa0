//! COMMAND, COMMAND COUNT / INFO / DOCS / LIST / HELP: what Redis 7.0 tells clients about its
//! commands, for the commands the engine (and its host) has.
//!
//! The facts come from Redis' own command descriptions (`src/commands/*.json`), turned into
//! [`META`](super::meta_data::META) by `scripts/gen-command-meta.py`; the replies are built as
//! `server.c` builds them (`addReplyCommandInfo`, `addReplyCommandDocs`, …). Redis lists commands
//! in its command dictionary's order, which its random hash seed decides; the engine lists them in
//! its table's order.

use super::meta_data::META;
use super::{c_str, find, help_reply, is, Call, Spec, TABLE};
use crate::engine::error::Error;
use crate::engine::glob::glob_match;
use crate::engine::reply::Reply;
use crate::engine::Engine;

/// Where the keys of a command start (`begin_search`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Begin {
    /// `unknown`
    Unknown,
    /// `index`: at this argument.
    Index(i32),
    /// `keyword`: after this keyword, searched from `startfrom`.
    Keyword(&'static str, i32),
}

/// How the keys go on from there (`find_keys`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Find {
    /// `unknown`
    Unknown,
    /// `range`
    Range {
        /// The last key, relative to the first (negative: from the end).
        lastkey: i32,
        /// Arguments from one key to the next.
        keystep: i32,
        /// With a negative `lastkey`, the share of the rest that are keys.
        limit: i32,
    },
    /// `keynum`
    Keynum {
        /// Where the number of keys is, relative to the start.
        keynumidx: i32,
        /// Where the first key is, relative to the start.
        firstkey: i32,
        /// Arguments from one key to the next.
        keystep: i32,
    },
}

/// One key specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// Redis' note, if any.
    pub notes: Option<&'static str>,
    /// `RO`, `RW`, … as bits in [`KEY_FLAGS`]' order.
    pub flags: u32,
    /// Where the keys start.
    pub begin: Begin,
    /// How they go on.
    pub find: Find,
}

/// One argument in COMMAND DOCS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    /// Its name.
    pub name: &'static str,
    /// Its type, an index into [`ARG_TYPES`].
    pub kind: u8,
    /// The key specification it is a key of, or -1.
    pub key_spec_index: i32,
    /// The token that introduces it, if any.
    pub token: Option<&'static str>,
    /// The version that added it.
    pub since: Option<&'static str>,
    /// The version that deprecated it.
    pub deprecated_since: Option<&'static str>,
    /// `optional`, `multiple`, `multiple_token` as bits 0, 1, 2.
    pub flags: u8,
    /// A `oneof` or `block`'s own arguments.
    pub arguments: &'static [Arg],
}

/// One command's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Full name, lowercase: `get`, `config|get`.
    pub name: &'static str,
    /// Redis' arity.
    pub arity: i32,
    /// Command flags as bits in [`FLAGS`]' order.
    pub flags: u32,
    /// ACL categories as bits in [`ACL_CATEGORIES`]' order.
    pub acl: u32,
    /// The legacy first key, last key and step.
    pub range: (i32, i32, i32),
    /// Hints for clients (`nondeterministic_output`, …).
    pub tips: &'static [&'static str],
    /// Where its keys are.
    pub key_specs: &'static [KeySpec],
    /// One line on what it does.
    pub summary: Option<&'static str>,
    /// The version that added it.
    pub since: Option<&'static str>,
    /// Its group, an index into [`GROUPS`].
    pub group: u8,
    /// Its time complexity.
    pub complexity: Option<&'static str>,
    /// `deprecated`, `syscmd` as bits 0 and 1.
    pub doc_flags: u8,
    /// The version that deprecated it.
    pub deprecated_since: Option<&'static str>,
    /// What to use instead.
    pub replaced_by: Option<&'static str>,
    /// Changes by version.
    pub history: &'static [(&'static str, &'static str)],
    /// Its arguments.
    pub arguments: &'static [Arg],
}

/// Command flag names, in the order `addReplyFlagsForCommand` prints them.
pub const FLAGS: [&str; 20] = [
    "write",
    "readonly",
    "denyoom",
    "module",
    "admin",
    "pubsub",
    "noscript",
    "blocking",
    "loading",
    "stale",
    "skip_monitor",
    "skip_slowlog",
    "asking",
    "fast",
    "no_auth",
    "no_mandatory_keys",
    "no_async_loading",
    "no_multi",
    "movablekeys",
    "allow_busy",
];

/// ACL categories, in `ACLCommandCategories`' order.
pub const ACL_CATEGORIES: [&str; 21] = [
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

/// Key specification flags, in `addReplyFlagsForKeyArgs`' order.
pub const KEY_FLAGS: [&str; 11] = [
    "RO",
    "RW",
    "OW",
    "RM",
    "access",
    "update",
    "insert",
    "delete",
    "not_key",
    "incomplete",
    "variable_flags",
];

/// Command groups (`COMMAND_GROUP_STR`).
pub const GROUPS: [&str; 18] = [
    "generic",
    "string",
    "list",
    "set",
    "sorted-set",
    "hash",
    "pubsub",
    "transactions",
    "connection",
    "server",
    "scripting",
    "hyperloglog",
    "cluster",
    "sentinel",
    "geo",
    "stream",
    "bitmap",
    "module",
];

/// Argument types (`ARG_TYPE_STR`).
pub const ARG_TYPES: [&str; 9] = [
    "string",
    "integer",
    "double",
    "key",
    "pattern",
    "unix-time",
    "pure-token",
    "oneof",
    "block",
];

/// The metadata of the command of full name `name` (lowercase).
pub fn meta(name: &str) -> Option<&'static Meta> {
    META.binary_search_by(|m| m.name.cmp(name))
        .ok()
        .map(|i| &META[i])
}

/// `addReplyCommandFlags`: the names of the bits set in `bits`, as a set of status replies.
fn flag_set(bits: u32, names: &[&'static str]) -> Reply {
    Reply::Set(
        names
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, name)| Reply::status(name))
            .collect(),
    )
}

fn bulk_map(pairs: Vec<(&'static str, Reply)>) -> Reply {
    Reply::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (Reply::bulk(k), v))
            .collect(),
    )
}

fn key_spec_reply(spec: &KeySpec) -> Reply {
    let mut pairs = Vec::with_capacity(4);
    if let Some(notes) = spec.notes {
        pairs.push(("notes", Reply::bulk(notes)));
    }
    pairs.push(("flags", flag_set(spec.flags, &KEY_FLAGS)));
    let begin = match spec.begin {
        Begin::Unknown => bulk_map(vec![
            ("type", Reply::bulk("unknown")),
            ("spec", Reply::Map(Vec::new())),
        ]),
        Begin::Index(pos) => bulk_map(vec![
            ("type", Reply::bulk("index")),
            (
                "spec",
                bulk_map(vec![("index", Reply::Integer(i64::from(pos)))]),
            ),
        ]),
        Begin::Keyword(keyword, startfrom) => bulk_map(vec![
            ("type", Reply::bulk("keyword")),
            (
                "spec",
                bulk_map(vec![
                    ("keyword", Reply::bulk(keyword)),
                    ("startfrom", Reply::Integer(i64::from(startfrom))),
                ]),
            ),
        ]),
    };
    pairs.push(("begin_search", begin));
    let find = match spec.find {
        Find::Unknown => bulk_map(vec![
            ("type", Reply::bulk("unknown")),
            ("spec", Reply::Map(Vec::new())),
        ]),
        Find::Range {
            lastkey,
            keystep,
            limit,
        } => bulk_map(vec![
            ("type", Reply::bulk("range")),
            (
                "spec",
                bulk_map(vec![
                    ("lastkey", Reply::Integer(i64::from(lastkey))),
                    ("keystep", Reply::Integer(i64::from(keystep))),
                    ("limit", Reply::Integer(i64::from(limit))),
                ]),
            ),
        ]),
        Find::Keynum {
            keynumidx,
            firstkey,
            keystep,
        } => bulk_map(vec![
            ("type", Reply::bulk("keynum")),
            (
                "spec",
                bulk_map(vec![
                    ("keynumidx", Reply::Integer(i64::from(keynumidx))),
                    ("firstkey", Reply::Integer(i64::from(firstkey))),
                    ("keystep", Reply::Integer(i64::from(keystep))),
                ]),
            ),
        ]),
    };
    pairs.push(("find_keys", find));
    bulk_map(pairs)
}

/// `addReplyCommandInfo` for `spec` (a subcommand's is nested in its container's).
fn info_reply(spec: &Spec) -> Reply {
    let Some(m) = meta(spec.name) else {
        return Reply::Nil;
    };
    let (first, last, step) = m.range;
    Reply::Array(vec![
        Reply::bulk(m.name),
        Reply::Integer(i64::from(m.arity)),
        flag_set(m.flags, &FLAGS),
        Reply::Integer(i64::from(first)),
        Reply::Integer(i64::from(last)),
        Reply::Integer(i64::from(step)),
        Reply::Set(
            ACL_CATEGORIES
                .iter()
                .enumerate()
                .filter(|(i, _)| m.acl & (1 << i) != 0)
                .map(|(_, c)| Reply::Status(format!("@{c}").into()))
                .collect(),
        ),
        Reply::Set(m.tips.iter().map(|t| Reply::bulk(*t)).collect()),
        Reply::Set(m.key_specs.iter().map(key_spec_reply).collect()),
        if spec.subcommands.is_empty() {
            Reply::Set(Vec::new())
        } else {
            Reply::Array(spec.subcommands.iter().map(info_reply).collect())
        },
    ])
}

fn args_reply(args: &[Arg]) -> Reply {
    Reply::Array(
        args.iter()
            .map(|a| {
                let mut pairs = vec![
                    ("name", Reply::bulk(a.name)),
                    (
                        "type",
                        Reply::bulk(ARG_TYPES.get(usize::from(a.kind)).copied().unwrap_or("")),
                    ),
                ];
                if a.key_spec_index != -1 {
                    pairs.push((
                        "key_spec_index",
                        Reply::Integer(i64::from(a.key_spec_index)),
                    ));
                }
                if let Some(token) = a.token {
                    pairs.push(("token", Reply::bulk(token)));
                }
                if let Some(since) = a.since {
                    pairs.push(("since", Reply::bulk(since)));
                }
                if let Some(since) = a.deprecated_since {
                    pairs.push(("deprecated_since", Reply::bulk(since)));
                }
                if a.flags != 0 {
                    pairs.push((
                        "flags",
                        flag_set(
                            u32::from(a.flags),
                            &["optional", "multiple", "multiple_token"],
                        ),
                    ));
                }
                // A oneof or a block always lists its arguments.
                if matches!(
                    ARG_TYPES.get(usize::from(a.kind)),
                    Some(&("oneof" | "block"))
                ) {
                    pairs.push(("arguments", args_reply(a.arguments)));
                }
                bulk_map(pairs)
            })
            .collect(),
    )
}

/// `addReplyCommandDocs` for `spec`.
fn docs_reply(spec: &Spec) -> Reply {
    let Some(m) = meta(spec.name) else {
        return Reply::Map(Vec::new());
    };
    let mut pairs = Vec::with_capacity(10);
    if let Some(summary) = m.summary {
        pairs.push(("summary", Reply::bulk(summary)));
    }
    if let Some(since) = m.since {
        pairs.push(("since", Reply::bulk(since)));
    }
    pairs.push((
        "group",
        Reply::bulk(GROUPS.get(usize::from(m.group)).copied().unwrap_or("")),
    ));
    if let Some(complexity) = m.complexity {
        pairs.push(("complexity", Reply::bulk(complexity)));
    }
    if m.doc_flags != 0 {
        pairs.push((
            "doc_flags",
            flag_set(u32::from(m.doc_flags), &["deprecated", "syscmd"]),
        ));
    }
    if let Some(since) = m.deprecated_since {
        pairs.push(("deprecated_since", Reply::bulk(since)));
    }
    if let Some(replaced_by) = m.replaced_by {
        pairs.push(("replaced_by", Reply::bulk(replaced_by)));
    }
    if !m.history.is_empty() {
        pairs.push((
            "history",
            Reply::Set(
                m.history
                    .iter()
                    .map(|(v, t)| Reply::Array(vec![Reply::bulk(*v), Reply::bulk(*t)]))
                    .collect(),
            ),
        ));
    }
    if !m.arguments.is_empty() {
        pairs.push(("arguments", args_reply(m.arguments)));
    }
    if !spec.subcommands.is_empty() {
        pairs.push((
            "subcommands",
            Reply::Map(
                spec.subcommands
                    .iter()
                    .map(|sub| (Reply::bulk(sub.name), docs_reply(sub)))
                    .collect(),
            ),
        ));
    }
    bulk_map(pairs)
}

/// Every top-level command: the engine's, then the host's.
fn all_commands<'a>(call: &'a Call<'_>) -> impl Iterator<Item = &'static Spec> + 'a {
    TABLE.iter().chain(call.host.commands().iter())
}

/// Redis' `lookupCommandBySds`: `name` or `container|sub`, any case; None for more parts or a
/// subcommand of a command that has none.
fn lookup_full(call: &Call<'_>, name: &[u8]) -> Option<&'static Spec> {
    let mut parts = name.split(|&b| b == b'|');
    let base = parts.next()?;
    let sub = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let spec = super::lookup(base).or_else(|| call.host.lookup(base))?;
    match sub {
        None => Some(spec),
        Some(_) if spec.subcommands.is_empty() => None,
        Some(sub) => find(spec.subcommands, sub),
    }
}

/// Details of every command: name, arity, flags, key positions, ACL categories, tips, key
/// specifications, subcommands.
///
/// ```text
/// COMMAND
/// ```
pub fn command(_engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(Reply::Array(all_commands(call).map(info_reply).collect()))
}

/// The number of commands (subcommands not counted).
///
/// ```text
/// COMMAND COUNT
/// ```
pub fn command_count(_engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(Reply::Integer(all_commands(call).count() as i64))
}

/// Details of the named commands (nil for an unknown one), or of every command.
///
/// ```text
/// COMMAND INFO [command-name [command-name ...]]
/// ```
pub fn command_info(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    if call.argv.len() == 2 {
        return command(engine, call);
    }
    let argv = call.argv;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|name| lookup_full(call, name).map_or(Reply::Nil, info_reply))
            .collect(),
    ))
}

/// Documentation of the named commands (unknown ones left out), or of every command: summary,
/// version, group, complexity, history, arguments.
///
/// ```text
/// COMMAND DOCS [command-name [command-name ...]]
/// ```
pub fn command_docs(_engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let specs: Vec<&'static Spec> = if call.argv.len() == 2 {
        all_commands(call).collect()
    } else {
        call.argv[2..]
            .iter()
            .filter_map(|name| lookup_full(call, name))
            .collect()
    };
    Ok(Reply::Map(
        specs
            .into_iter()
            .map(|spec| (Reply::bulk(spec.name), docs_reply(spec)))
            .collect(),
    ))
}

/// The names of every command and subcommand, or of those an ACL category, a glob-style pattern
/// (on the full name, any case) or a module (none here) selects.
///
/// ```text
/// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
/// ```
pub fn command_list(_engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    let mut filter: Option<(&[u8], &[u8])> = None;
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        if is(argv[i], "filterby") && more == 2 {
            let kind = argv[i + 1];
            if !(is(kind, "module") || is(kind, "aclcat") || is(kind, "pattern")) {
                return Err(Error::Syntax);
            }
            filter = Some((kind, argv[i + 2]));
            i += 3;
        } else {
            return Err(Error::Syntax);
        }
    }
    let keep = |spec: &Spec| -> bool {
        let Some((kind, arg)) = filter else {
            return true;
        };
        if is(kind, "module") {
            return false;
        }
        if is(kind, "aclcat") {
            let arg = c_str(arg);
            let Some(bit) = ACL_CATEGORIES
                .iter()
                .position(|c| arg.eq_ignore_ascii_case(c.as_bytes()))
            else {
                return false;
            };
            return meta(spec.name).is_some_and(|m| m.acl & (1 << bit) != 0);
        }
        glob_match(&c_str(arg).to_ascii_lowercase(), spec.name.as_bytes())
    };
    let mut names = Vec::new();
    for spec in all_commands(call) {
        for s in std::iter::once(spec).chain(spec.subcommands) {
            if keep(s) {
                names.push(Reply::bulk(s.name));
            }
        }
    }
    Ok(Reply::Array(names))
}

/// COMMAND's subcommands, in Redis' words.
///
/// ```text
/// COMMAND HELP
/// ```
pub fn command_help(_engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(help_reply(
        call.argv[0],
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command of the engine's table has Redis' metadata, with the arity the table gives
    /// it: a row whose arity differs from Redis' is caught here.
    #[test]
    fn every_command_has_metadata_with_its_arity() {
        let mut wrong = Vec::new();
        for spec in TABLE
            .iter()
            .flat_map(|s| std::iter::once(s).chain(s.subcommands))
        {
            let m = meta(spec.name).unwrap_or_else(|| {
                panic!(
                    "no metadata for '{}': run scripts/gen-command-meta.py with Redis 7.0's source",
                    spec.name
                )
            });
            assert_eq!(m.arity, spec.arity, "arity of '{}'", spec.name);
            for (flag, name) in [
                (super::super::Flags::WRITE, "write"),
                (super::super::Flags::READONLY, "readonly"),
                (super::super::Flags::DENY_OOM, "denyoom"),
                (super::super::Flags::NO_SCRIPT, "noscript"),
                (super::super::Flags::NO_MULTI, "no_multi"),
            ] {
                let bit = FLAGS.iter().position(|f| *f == name).unwrap_or(0);
                if spec.flags.contains(flag) != (m.flags & (1 << bit) != 0) {
                    wrong.push(format!("{} {name}", spec.name));
                }
            }
        }
        assert!(wrong.is_empty(), "flags unlike Redis': {wrong:?}");
        assert!(
            META.windows(2).all(|w| w[0].name < w[1].name),
            "META is sorted"
        );
    }
}
