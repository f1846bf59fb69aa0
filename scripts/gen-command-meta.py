#!/usr/bin/env python3
"""Writes src/engine/command/meta_data.rs: what COMMAND INFO and COMMAND DOCS report for every
command the engine (and redis-sim serve) knows, taken from Redis 7.0's own command descriptions.

    python3 scripts/gen-command-meta.py /path/to/redis-7.0.15

Redis generates its command table (commands.def) from src/commands/*.json; this does the same for
ours, with the facts Redis derives at start-up computed here: the implicit ACL categories
(setImplicitACLCategories), the legacy first/last/step key range and the movablekeys flag
(populateCommandLegacyRangeSpec), tips lowercased and tokens uppercased (generate-command-code.py).
The commands are those named in the engine's and the server's command tables (src/engine/command.rs,
src/server/admin.rs); a test fails when a command there has no entry here, so re-run this after
adding one. The output is data only: no code of Redis' is copied.
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = ["src/engine/command.rs", "src/server/admin.rs"]
OUT = "src/engine/command/meta_data.rs"

# Bit order = the order Redis prints them in (addReplyFlagsForCommand, ACLCommandCategories, …).
FLAGS = ["WRITE", "READONLY", "DENYOOM", "MODULE", "ADMIN", "PUBSUB", "NOSCRIPT", "BLOCKING",
         "LOADING", "STALE", "SKIP_MONITOR", "SKIP_SLOWLOG", "ASKING", "FAST", "NO_AUTH",
         "NO_MANDATORY_KEYS", "NO_ASYNC_LOADING", "NO_MULTI", "MOVABLE_KEYS", "ALLOW_BUSY"]
HIDDEN_FLAGS = {"MAY_REPLICATE", "SENTINEL", "ONLY_SENTINEL", "PROTECTED", "TOUCHES_ARBITRARY_KEYS"}
ACL = ["KEYSPACE", "READ", "WRITE", "SET", "SORTEDSET", "LIST", "HASH", "STRING", "BITMAP",
       "HYPERLOGLOG", "GEO", "STREAM", "PUBSUB", "ADMIN", "FAST", "SLOW", "BLOCKING", "DANGEROUS",
       "CONNECTION", "TRANSACTION", "SCRIPTING"]
KEY_FLAGS = ["RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE", "NOT_KEY",
             "INCOMPLETE", "VARIABLE_FLAGS"]
GROUPS = ["generic", "string", "list", "set", "sorted-set", "hash", "pubsub", "transactions",
          "connection", "server", "scripting", "hyperloglog", "cluster", "sentinel", "geo",
          "stream", "bitmap", "module"]
ARG_TYPES = ["string", "integer", "double", "key", "pattern", "unix-time", "pure-token", "oneof",
             "block"]
DOC_FLAGS = ["DEPRECATED", "SYSCMD"]


def bits(names, order):
    value = 0
    for name in names:
        value |= 1 << order.index(name)
    return value


def rust_str(text):
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"%s"' % out


def opt_str(text):
    return "Some(%s)" % rust_str(text) if text else "None"


def table_names():
    names = set()
    for path in TABLES:
        source = open(os.path.join(ROOT, path)).read()
        for name in re.findall(r'\(\s*"([a-z_\-]+(?:\|[a-z_\-]+)?)"', source):
            names.add(name)
    return names


def legacy_range(specs):
    """populateCommandLegacyRangeSpec: (first, last, step, movable)."""
    if not specs:
        return (0, 0, 0, False)
    def plain(s):
        return "index" in s["begin_search"] and "range" in s["find_keys"]
    if len(specs) == 1 and plain(specs[0]):
        s = specs[0]
        first = s["begin_search"]["index"]["pos"]
        last = s["find_keys"]["range"]["lastkey"]
        movable = "INCOMPLETE" in s.get("flags", [])
        return (first, last + first if last >= 0 else last, s["find_keys"]["range"]["step"],
                movable)
    movable = False
    first, last, prev_last = 1 << 31, 0, 0
    for s in specs:
        if not plain(s):
            movable = True
            continue
        pos = s["begin_search"]["index"]["pos"]
        rng = s["find_keys"]["range"]
        if rng["step"] != 1 or (prev_last and prev_last != pos - 1):
            movable = True
            continue
        if "INCOMPLETE" in s.get("flags", []):
            movable = True
        first = min(first, pos)
        abs_last = rng["lastkey"] + pos if rng["lastkey"] >= 0 else rng["lastkey"]
        # Unsigned comparison, as Redis does it.
        last = max(last & 0xFFFFFFFF, abs_last & 0xFFFFFFFF)
        last = last - (1 << 32) if last >= 1 << 31 else last
        prev_last = last
    if first == 1 << 31:
        return (0, 0, 0, True)
    rel = last if last < 0 else last - first
    return (first, rel + first if rel >= 0 else rel, 1, movable)


def key_spec(s):
    bs = s["begin_search"]
    if "index" in bs:
        begin = "Begin::Index(%d)" % bs["index"]["pos"]
    elif "keyword" in bs:
        begin = "Begin::Keyword(%s, %d)" % (rust_str(bs["keyword"]["keyword"]),
                                            bs["keyword"]["startfrom"])
    else:
        begin = "Begin::Unknown"
    fk = s["find_keys"]
    if "range" in fk:
        find = "Find::Range { lastkey: %d, keystep: %d, limit: %d }" % (
            fk["range"]["lastkey"], fk["range"]["step"], fk["range"]["limit"])
    elif "keynum" in fk:
        find = "Find::Keynum { keynumidx: %d, firstkey: %d, keystep: %d }" % (
            fk["keynum"]["keynumidx"], fk["keynum"]["firstkey"], fk["keynum"]["step"])
    else:
        find = "Find::Unknown"
    return "KeySpec { notes: %s, flags: %d, begin: %s, find: %s }" % (
        opt_str(s.get("notes")), bits(s.get("flags", []), KEY_FLAGS), begin, find)


def arg(a, indent):
    flags = (1 if a.get("optional") else 0) | (2 if a.get("multiple") else 0) | (
        4 if a.get("multiple_token") else 0)
    token = a.get("token")
    subs = a.get("arguments", [])
    inner = ""
    if subs:
        inner = "&[\n%s%s]" % ("".join(arg(s, indent + 4) for s in subs), " " * indent)
    else:
        inner = "&[]"
    return "%sArg { name: %s, kind: %d, key_spec_index: %d, token: %s, since: %s, \
deprecated_since: %s, flags: %d, arguments: %s },\n" % (
        " " * indent, rust_str(a["name"]), ARG_TYPES.index(a["type"]),
        a.get("key_spec_index", -1), opt_str(token.upper() if token else None),
        opt_str(a.get("since")), opt_str(a.get("deprecated_since")), flags, inner)


def entry(fullname, c):
    specs = c.get("key_specs", [])
    flags = [f for f in c.get("command_flags", []) if f not in HIDDEN_FLAGS]
    first, last, step, movable = legacy_range(specs)
    if movable:
        flags.append("MOVABLE_KEYS")
    acl = set(c.get("acl_categories", []))
    cflags = set(c.get("command_flags", []))
    if "WRITE" in cflags:
        acl.add("WRITE")
    if "READONLY" in cflags and "SCRIPTING" not in acl:
        acl.add("READ")
    if "ADMIN" in cflags:
        acl |= {"ADMIN", "DANGEROUS"}
    if "PUBSUB" in cflags:
        acl.add("PUBSUB")
    if "FAST" in cflags:
        acl.add("FAST")
    if "BLOCKING" in cflags:
        acl.add("BLOCKING")
    if "FAST" not in acl:
        acl.add("SLOW")
    tips = ", ".join(rust_str(t.lower()) for t in c.get("command_tips", []))
    history = ", ".join("(%s, %s)" % (rust_str(v), rust_str(t)) for v, t in c.get("history", []))
    args = "".join(arg(a, 12) for a in c.get("arguments", []))
    return """    Meta {
        name: %s,
        arity: %d,
        flags: %d,
        acl: %d,
        range: (%d, %d, %d),
        tips: &[%s],
        key_specs: &[%s],
        summary: %s,
        since: %s,
        group: %d,
        complexity: %s,
        doc_flags: %d,
        deprecated_since: %s,
        replaced_by: %s,
        history: &[%s],
        arguments: &[
%s        ],
    },
""" % (rust_str(fullname), c["arity"], bits(flags, FLAGS), bits(acl, ACL), first, last, step,
       tips, ", ".join(key_spec(s) for s in specs), opt_str(c.get("summary")),
       opt_str(c.get("since")), GROUPS.index(c["group"].replace("_", "-")), opt_str(c.get("complexity")),
       bits(c.get("doc_flags", []), DOC_FLAGS), opt_str(c.get("deprecated_since")),
       opt_str(c.get("replaced_by")), history, args)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wanted = table_names()
    found = {}
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "src", "commands", "*.json"))):
        for name, c in json.load(open(path)).items():
            fullname = name.lower()
            if c.get("container"):
                fullname = "%s|%s" % (c["container"].lower(), fullname)
            if fullname in wanted:
                found[fullname] = entry(fullname, c)
    out = ["// Generated by scripts/gen-command-meta.py from Redis 7.0.15's src/commands/*.json: do\n"
           "// not edit; re-run it after adding a command to the engine's or the server's table.\n\n"
           "use super::meta::{Arg, Begin, Find, KeySpec, Meta};\n\n"
           "/// Every command's metadata, by full name (`config|get`), sorted.\n"
           "pub static META: &[Meta] = &[\n"]
    for name in sorted(found):
        out.append(found[name])
    out.append("];\n")
    with open(os.path.join(ROOT, OUT), "w") as f:
        f.write("".join(out))
    missing = sorted(wanted - set(found))
    print("%d commands written to %s; names in the tables without a Redis command: %s"
          % (len(found), OUT, ", ".join(missing) or "none"))


main()
